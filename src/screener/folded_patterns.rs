//! Numbers as a reader reads them, for pattern rules: a second view of
//! the normalised text in which what a reader skips between the digits
//! of a number is gone, and the pattern set runs once more over it.
//!
//! The view differs from the normalised text only where a number is
//! disguised (issue 13, item 4):
//! - digit groups joined by a short run of spaces and punctuation
//!   (` . `, ` / `, ` | `, `, `, a line break with a bullet or a `> `
//!   quote marker, Markdown `**`/`__`/`~~`/`` ` ``/`||` around groups)
//!   are joined by one space;
//! - letters standing for digits inside a group (`4l11`, `||11`, `O78`,
//!   Cyrillic `З`, `б`, `ӏ`) become the digits;
//! - runs of nine or more digits spelled out in English (`four one one
//!   one …`) become digits.
//!
//! A separator the patterns already accept (one `.`, `/`, `_`, `-`, or up
//! to three spaces) is kept as written, so a run that continues a decimal
//! number (`2.718281828459045`), a version or a timestamp reads the same
//! in both views. Hits found only in the view are mapped back to the
//! normalised text; a post whose view equals its text is not searched
//! twice.

mod secrets;

use std::ops::Range;

use regex_automata::PatternSet;

use super::scan::{pattern_set, Found};
use super::Post;

/// The view: its text, and for each of its bytes the normalised range it
/// came from.
#[derive(Default)]
struct View {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
    found: Found,
    tokens: Vec<Token>,
    reads: Vec<Read>,
    /// The bytes a joined key keeps (secrets view).
    kept: Vec<Range<usize>>,
}

thread_local! {
    static VIEW: std::cell::RefCell<View> =
        std::cell::RefCell::new(View::default());
}

const WORDS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine",
];

/// What a token of the normalised text reads as.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Read {
    /// Digits, possibly with letters standing for digits.
    Digits,
    /// Letters that stand for digits only next to digits (`|ӏl|`).
    MaybeDigits,
    /// A digit spelled out (`four`).
    Word(u8),
    /// Digits in a chain with a decimal point: kept as written.
    Decimal,
    /// Anything else.
    Other,
}

/// A token (a run of letters, digits and `|`) or the gap after it.
struct Token {
    at: Range<usize>,
    read: Read,
}

/// The digit a letter stands for inside a number.
fn digit_for(c: char) -> Option<char> {
    Some(match c {
        'o' | '\u{03BF}' | '\u{043E}' => '0',
        'l' | 'i' | '|' | '\u{04CF}' | '\u{0456}' => '1',
        '\u{0437}' => '3',
        '\u{0431}' => '6',
        _ => return None,
    })
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '|'
}

fn read(tok: &str) -> Read {
    if let Some(d) = WORDS.iter().position(|w| *w == tok) {
        return Read::Word(d as u8);
    }
    let digits = tok.chars().filter(char::is_ascii_digit).count();
    let stand =
        tok.chars().all(|c| c.is_ascii_digit() || digit_for(c).is_some());
    let long = tok.chars().count() >= 3 || tok.contains('|') && tok.len() >= 2;
    match (digits, stand) {
        (0, true) if long || !tok.is_ascii() => Read::MaybeDigits,
        (1.., true) => Read::Digits,
        _ => Read::Other,
    }
}

/// Whether `gap` (between two tokens) is what a reader skips inside a
/// number: a short run of spaces and punctuation.
fn joiner(gap: &str) -> bool {
    let marks = gap.chars().filter(|&c| c != ' ').count();
    // Spaces alone are table columns; `->` is an arrow; a comma makes a
    // list (`9600, 19200, 38400`).
    gap.chars().count() <= 6
        && (1..=3).contains(&marks)
        && !gap.contains("->")
        && !gap.contains(',')
        && gap.chars().all(|c| {
            matches!(
                c,
                ' ' | '.'
                    | ','
                    | '/'
                    | '|'
                    | '~'
                    | '-'
                    | '_'
                    | '>'
                    | '*'
                    | '`'
                    | '\u{2022}'
                    | '\u{B7}'
            )
        })
}

/// Whether a number goes on across `gap`; `spelled`: a spelled digit
/// stands on one side, and then a comma joins too (`four, one`).
fn continues(gap: &str, spelled: bool) -> bool {
    accepted(gap) || joiner(gap) || spelled && comma(gap)
}

fn comma(gap: &str) -> bool {
    gap.trim_matches(' ') == "," && gap.len() <= 3
}

fn spelled_pair(a: &Token, b: &Token) -> bool {
    matches!(a.read, Read::Word(_)) || matches!(b.read, Read::Word(_))
}

/// Whether the patterns already accept `gap` between two digits.
fn accepted(gap: &str) -> bool {
    matches!(gap, "." | "/" | "_" | "-")
        || (!gap.is_empty()
            && gap.len() <= 3
            && gap.bytes().all(|b| b == b' '))
}

/// Cheap first look: the view can differ only where a digit, a `|` or a
/// spelled digit stands.
fn worth_a_look(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit() || b == b'|')
        || WORDS.iter().any(|w| text.contains(w))
}

impl View {
    /// Builds the view of `text`; false if it equals `text`.
    fn fill(&mut self, text: &str) -> bool {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        if !worth_a_look(text) {
            return false;
        }
        let mut tokens = std::mem::take(&mut self.tokens);
        let mut reads = std::mem::take(&mut self.reads);
        tokenize(text, &mut tokens);
        resolve(text, &tokens, &mut reads);
        let changed = self.rewrite(text, &tokens, &reads);
        self.tokens = tokens;
        self.reads = reads;
        changed
    }

    /// Writes the view from the tokens and what they read as; true if it
    /// differs from `text`.
    fn rewrite(
        &mut self,
        text: &str,
        tokens: &[Token],
        reads: &[Read],
    ) -> bool {
        let mut changed = false;
        let mut last = 0;
        for (k, t) in tokens.iter().enumerate() {
            let gap = &text[last..t.at.start];
            let joins = k > 0
                && reads[k - 1] == Read::Digits
                && reads[k] == Read::Digits
                && !accepted(gap)
                && (joiner(gap)
                    || comma(gap) && spelled_pair(&tokens[k - 1], t));
            if joins {
                self.push(" ", last..t.at.start);
                changed = true;
            } else {
                self.copy(text, last..t.at.start);
            }
            match (reads[k], tokens[k].read) {
                (Read::Digits, Read::Word(d)) => {
                    let s = char::from(b'0' + d).to_string();
                    self.push(&s, t.at.clone());
                    changed = true;
                }
                (Read::Digits, _) => {
                    for (i, c) in text[t.at.clone()].char_indices() {
                        let at = t.at.start + i..t.at.start + i + c.len_utf8();
                        match digit_for(c) {
                            Some(d) if !c.is_ascii_digit() => {
                                self.push(d.encode_utf8(&mut [0; 4]), at);
                                changed = true;
                            }
                            _ => self.copy(text, at),
                        }
                    }
                }
                _ => self.copy(text, t.at.clone()),
            }
            last = t.at.end;
        }
        self.copy(text, last..text.len());
        changed
    }

    fn push(&mut self, s: &str, from: Range<usize>) {
        self.text.push_str(s);
        self.starts.extend(std::iter::repeat_n(from.start as u32, s.len()));
        self.ends.extend(std::iter::repeat_n(from.end as u32, s.len()));
    }

    fn copy(&mut self, text: &str, r: Range<usize>) {
        self.text.push_str(&text[r.clone()]);
        self.starts.extend(r.start as u32..r.end as u32);
        self.ends.extend(r.start as u32 + 1..r.end as u32 + 1);
    }

    /// The normalised range of the view's range `r`.
    fn span(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= r.end || r.end > self.starts.len() {
            return 0..0;
        }
        self.starts[r.start] as usize..self.ends[r.end - 1] as usize
    }
}

fn tokenize(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let mut start = None;
    // Two or more `||` are Markdown spoiler marks (`||6011-1111||`), not
    // ones standing for digits.
    let spoilers = text.matches("||").nth(1).is_some();
    let bytes = text.as_bytes();
    let paired = |i: usize| {
        spoilers
            && (bytes.get(i + 1) == Some(&b'|')
                || i.checked_sub(1).is_some_and(|k| bytes[k] == b'|'))
    };
    for (i, c) in text.char_indices() {
        let inside = is_token_char(c) && !(c == '|' && paired(i));
        match (inside, start) {
            (true, None) => start = Some(i),
            // A lone `|` separates (`4111 | 1111`).
            (false, Some(s)) if &text[s..i] == "|" => start = None,
            (false, Some(s)) => {
                tokens.push(Token { at: s..i, read: read(&text[s..i]) });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(Token { at: s..text.len(), read: read(&text[s..]) });
    }
}

/// What each token reads as in context: a chain of tokens joined by
/// joiners reads as a number when it holds a real digit, and spelled
/// digits count when the chain has nine or more of them.
fn resolve(text: &str, tokens: &[Token], reads: &mut Vec<Read>) {
    reads.clear();
    reads.extend(tokens.iter().map(|t| t.read));
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].read == Read::Other {
            i += 1;
            continue;
        }
        // The chain i..j of number-like tokens joined by joiners.
        let mut j = i + 1;
        while j < tokens.len()
            && tokens[j].read != Read::Other
            && continues(
                &text[tokens[j - 1].at.end..tokens[j].at.start],
                spelled_pair(&tokens[j - 1], &tokens[j]),
            )
        {
            j += 1;
        }
        let chain = &tokens[i..j];
        let words = chain.iter().filter(|t| matches!(t.read, Read::Word(_)));
        let digits: usize = chain
            .iter()
            .map(|t| match t.read {
                Read::Word(_) => 1,
                Read::Digits => text[t.at.clone()].chars().count(),
                _ => 0,
            })
            .sum();
        let real = chain.iter().any(|t| t.read == Read::Digits);
        // Decimals, versions and addresses (`2.412`, `5.15.19`,
        // `162.222.181.197`) in a list are not one number: a chain with a
        // `.` between digits is only read as written.
        let decimal =
            chain.windows(2).any(|w| &text[w[0].at.end..w[1].at.start] == ".");
        let spelled = words.count() > 0 && digits >= 9;
        for (k, t) in chain.iter().enumerate() {
            reads[i + k] = match t.read {
                Read::Word(_) if spelled => Read::Digits,
                Read::MaybeDigits if real && chain.len() > 1 => Read::Digits,
                Read::Digits if decimal => Read::Decimal,
                Read::Digits => Read::Digits,
                _ => Read::Other,
            };
        }
        i = j;
    }
}

/// Runs the pattern set over the views of `p`'s text (numbers as read,
/// split keys joined), when they differ from it, and adds the hits the
/// normalised text did not give.
pub(super) fn run(p: &Post, which: &mut PatternSet, found: &mut Found) {
    VIEW.with(|cell| {
        let Ok(mut view) = cell.try_borrow_mut() else { return };
        let view = &mut *view;
        if view.fill(p.text) {
            view.merge(p, which, found);
        }
        if view.fill_secrets(p, p.text) {
            view.merge(p, which, found);
        }
    })
}

impl View {
    /// The pattern set over the view; its new hits and its marks, mapped
    /// back to the normalised text, into `found`.
    fn merge(&mut self, p: &Post, which: &mut PatternSet, found: &mut Found) {
        self.found.clear();
        pattern_set(p, &self.text, which, &mut self.found);
        for h in &self.found.hits {
            let r = self.span(h.start..h.end);
            let known = found.hits.iter().any(|k| {
                k.rule == h.rule && k.start < r.end && r.start < k.end
            });
            if !known && r.start < r.end {
                found.hits.push(super::scan::Hit {
                    start: r.start,
                    end: r.end,
                    ..*h
                });
            }
        }
        for m in &self.found.marks {
            let r = self.span(m.start..m.end);
            if r.start < r.end {
                found.marks.push(super::scan::Mark {
                    start: r.start,
                    end: r.end,
                    ..*m
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(s: &str) -> Option<String> {
        let mut v = View::default();
        v.fill(s).then(|| v.text.clone())
    }

    #[test]
    fn numbers_as_read() {
        for (text, want) in [
            (
                "card 4111 | 1111 | 1111 | 1111 ok",
                "card 4111 1111 1111 1111 ok",
            ),
            ("4111 _1111_ _1111_ 1111", "4111 1111 1111 1111"),
            ("4111 1111 *11*11 1111", "4111 1111 11 11 1111"),
            ("4111 • 1111", "4111 1111"),
            ("41l1 ||11 |ӏl| 1il1", "4111 1111 1111 1111"),
            ("o78-o5-1120", "078-05-1120"),
            ("four one one one, one one one one, one", "4 1 1 1 1 1 1 1 1"),
        ] {
            assert_eq!(view(text).as_deref(), Some(want), "{text:?}");
        }
    }

    #[test]
    fn what_stays() {
        for text in [
            "pi is 2.718281828459045 roughly",
            "version 1.2.3 on 2024-01-05 12:30:45",
            "one or two things",
            "lol oil ill",
            "hello world",
        ] {
            assert_eq!(view(text), None, "{text:?}");
        }
    }
}
