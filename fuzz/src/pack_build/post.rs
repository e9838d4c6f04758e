//! Posts made of the packs' own strings, disguised, and noise.

use std::fmt::Write as _;

use super::render::Render;
use super::spec::*;

impl Render {
    pub(super) fn post(&self, p: &Post) -> String {
        let mut post = String::new();
        if !self.own.is_empty() {
            let s = &self.own[usize::from(p.lead) % self.own.len()];
            disguise(&mut post, s, &p.style);
        }
        let mut glue = post.is_empty();
        for p in p.pieces.iter().take(MAX_PIECES) {
            if !glue {
                post.push(' ');
            }
            glue = false;
            match p {
                Piece::Own(i, style) => {
                    if !self.own.is_empty() {
                        let s = &self.own[usize::from(*i) % self.own.len()];
                        disguise(&mut post, s, style);
                    }
                }
                Piece::Word(i) => post.push_str(pick(WORDS, *i)),
                Piece::Number(i) => post.push_str(pick(NUMBERS, *i)),
                Piece::Digits(n, g) => {
                    let group = usize::from(g % 5) + 2;
                    let sep = pick(&[" ", "-", ".", ""], g / 5);
                    for (k, d) in n.to_string().chars().enumerate() {
                        if k > 0 && k % group == 0 {
                            post.push_str(sep);
                        }
                        post.push(d);
                    }
                }
                Piece::Unicode(i) => post.push_str(pick(UNICODE, *i)),
                Piece::Url(h, form) => {
                    let h = pick(HOSTS, *h);
                    let _ = match form % 6 {
                        0 => write!(post, "https://{h}/x"),
                        1 => write!(post, "{h}"),
                        2 => write!(post, "www.{h}"),
                        3 => write!(post, "user@{h}"),
                        4 => write!(post, "http://{h}:8080/a?b=c)"),
                        _ => write!(post, "({h}/path)."),
                    };
                }
                Piece::Separator(i) => {
                    post.push_str(pick(SEPARATORS, *i));
                    glue = true;
                }
                Piece::Stance(i) => post.push_str(pick(STANCE_WORDS, *i)),
                Piece::Entity(i) => post.push_str(pick(ENTITY_TEXTS, *i)),
                Piece::Glue => glue = true,
                Piece::Raw(s) => post.extend(s.chars().take(32)),
            }
        }
        post
    }
}

/// `s` as an author hiding it from a filter might write it.
fn disguise(post: &mut String, s: &str, style: &Style) {
    match style {
        Style::Plain => post.push_str(s),
        Style::Upper => post.push_str(&s.to_uppercase()),
        Style::Spaced | Style::Dotted => {
            let sep = if matches!(style, Style::Spaced) { ' ' } else { '.' };
            for (k, c) in s.chars().enumerate() {
                if k > 0 {
                    post.push(sep);
                }
                post.push(c);
            }
        }
        Style::Fullwidth => post.extend(s.chars().map(|c| match c {
            '!'..='~' => char::from_u32(u32::from(c) + 0xfee0).unwrap_or(c),
            c => c,
        })),
        Style::Leet => post.extend(s.chars().map(|c| match c {
            'a' => '4',
            'e' => '3',
            'i' => '1',
            'o' => '0',
            's' => '5',
            't' => '7',
            c => c,
        })),
        Style::Repeated => {
            for c in s.chars() {
                post.push(c);
                if c.is_alphabetic() {
                    post.push(c);
                    post.push(c);
                }
            }
        }
        Style::Hashtag => {
            post.push('#');
            post.extend(s.chars().filter(|c| !c.is_whitespace()));
        }
    }
}
