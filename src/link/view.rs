//! The host view: the normalised post with written-out and defanged dots
//! put back, so `example[.]com`, `example(dot)com`, `example dot com`,
//! `example%2Ecom` and `example。com` are read as `example.com`.
//!
//! The normal form already drops zero-width characters and turns
//! fullwidth letters and the fullwidth full stop into ASCII; what it
//! leaves (these tokens, the ideographic full stop) is undone here. A
//! token counts only between host characters, so `(.)` alone or a
//! sentence about a "dot" is left as it is.

use std::borrow::Cow;
use std::ops::Range;

/// Dots as they are written out or defanged, in the normal form (lower
/// case, spaces as ASCII spaces). Longest first where one starts another.
const DOTS: &[&str] = &[
    " [dot] ", " (dot) ", " {dot} ", " [.] ", " (.) ", " {.} ", " dot ",
    "[dot]", "(dot)", "{dot}", "<dot>", "[.]", "(.)", "{.}", "<.>", "%2e",
    // The ideographic full stop, and the halfwidth one (NFKC makes it
    // ideographic); IDNA reads both as dots.
    "\u{3002}",
];

/// The normalised text with mangled dots replaced, and the map back.
pub(crate) struct View<'a> {
    /// The normal form the view was made from.
    norm: &'a str,
    text: Cow<'a, str>,
    /// For each byte of a rewritten view, and one past its end: the
    /// normalised byte it starts at. Empty when nothing was rewritten.
    map: Vec<u32>,
}

impl<'a> View<'a> {
    /// The view of `norm`; borrows it (and allocates nothing) when it
    /// holds no mangled dot.
    pub(crate) fn new(norm: &'a str) -> View<'a> {
        let bytes = norm.as_bytes();
        // One look over the bytes: a bracket, `%`, the first byte of `。`,
        // or a space that starts ` dot ` or ` . `.
        // A table says which bytes need a closer look (every post pays
        // for this loop).
        const LOOK: [bool; 256] = {
            let mut t = [false; 256];
            let mut k = 0;
            let bytes = b"[({<% \xE3";
            while k < bytes.len() {
                t[bytes[k] as usize] = true;
                k += 1;
            }
            t
        };
        let maybe = bytes.iter().enumerate().any(|(i, &b)| {
            LOOK[b as usize]
                && (b != b' ' || {
                    let next = &bytes[i + 1..];
                    next.starts_with(b"dot ") || next.starts_with(b". ")
                })
        });
        if !maybe {
            return View { norm, text: Cow::Borrowed(norm), map: Vec::new() };
        }
        let mut text = String::new();
        let mut map = Vec::new();
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            let Some(len) = mangled_dot(norm, i) else {
                i += 1;
                continue;
            };
            text.push_str(&norm[copied..i]);
            map.extend(copied as u32..i as u32);
            text.push('.');
            map.push(i as u32);
            i += len;
            copied = i;
        }
        if map.is_empty() {
            return View { norm, text: Cow::Borrowed(norm), map };
        }
        text.push_str(&norm[copied..]);
        map.extend(copied as u32..norm.len() as u32 + 1);
        View { norm, text: Cow::Owned(text), map }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The normalised range that the view's range `r` came from.
    pub(crate) fn normalized(&self, r: Range<usize>) -> Range<usize> {
        if self.map.is_empty() {
            return r;
        }
        self.map[r.start] as usize..self.map[r.end] as usize
    }

    /// Whether the view's byte `i` is a dot put back here.
    pub(crate) fn is_restored_dot(&self, i: usize) -> bool {
        !self.map.is_empty() && self.map[i + 1] - self.map[i] > 1
    }

    /// Whether the view's byte `i` is a dot put back from a defanged
    /// form (`[.]`, `(dot)`, ` dot `, ` . `): one a reader cannot click,
    /// unlike `%2E` or `。`, which browsers read as dots.
    pub(crate) fn is_defanged_dot(&self, i: usize) -> bool {
        self.is_restored_dot(i)
            && matches!(
                self.norm.as_bytes()[self.map[i] as usize],
                b'[' | b'(' | b'{' | b'<' | b' '
            )
    }
}

/// The length of the mangled dot at byte `i` of `text`, if one stands
/// there between two host characters.
fn mangled_dot(text: &str, i: usize) -> Option<usize> {
    let rest = &text.as_bytes()[i..];
    let first = *rest.first()?;
    if !matches!(first, b' ' | b'[' | b'(' | b'{' | b'<' | b'%' | 0xE3) {
        return None;
    }
    let before = text[..i].chars().next_back()?;
    if !super::is_host_char(before) {
        return None;
    }
    if rest.starts_with(SPACED_DOT.as_bytes()) {
        return spaced_dot(text, i + SPACED_DOT.len());
    }
    let dot = DOTS.iter().find(|d| {
        rest.len() >= d.len()
            && rest[..d.len()].eq_ignore_ascii_case(d.as_bytes())
    })?;
    let after = text[i + dot.len()..].chars().next()?;
    super::is_host_char(after).then_some(dot.len())
}

/// A full stop set off by spaces (`mega . nz/file`), the way defanging
/// tools and people write a host apart.
const SPACED_DOT: &str = " . ";

/// The length of a spaced dot whose next label starts at `label`: a dot
/// only when that label ends in a path (`/`) or another spaced dot, since
/// ` . ` also ends sentences and separates items (`see foo . Then`).
fn spaced_dot(text: &str, label: usize) -> Option<usize> {
    let rest = &text[label..];
    let end = rest.find(|c: char| !super::is_host_char(c))?;
    let after = &rest[end..];
    let ok =
        end > 0 && (after.starts_with('/') || after.starts_with(SPACED_DOT));
    ok.then_some(SPACED_DOT.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mangled_dots_are_put_back_between_host_characters() {
        let cases: &[(&str, &str)] = &[
            ("example[.]com", "example.com"),
            ("example (dot) com/x", "example.com/x"),
            ("example dot com", "example.com"),
            ("example%2ecom", "example.com"),
            ("example\u{3002}com", "example.com"),
            ("a (.) b [.]", "a.b [.]"),
            ("connect the dots", "connect the dots"),
            ("f(x) = (.)", "f(x) = (.)"),
            ("mega . nz/file", "mega.nz/file"),
            ("www . mediafire . com/x", "www.mediafire.com/x"),
            ("see foo . then bar", "see foo . then bar"),
            ("see foo . then/bar", "see foo.then/bar"),
            ("end . /tmp", "end . /tmp"),
        ];
        for (norm, want) in cases {
            let v = View::new(norm);
            assert_eq!(v.text(), *want, "{norm:?}");
            let all = v.normalized(0..v.text().len());
            assert_eq!(all, 0..norm.len(), "{norm:?}");
        }
        let v = View::new("see a[.]b.c now");
        let at = v.text().find("a.b.c").unwrap();
        assert_eq!(v.normalized(at..at + 5), 4..11);
        assert!(v.is_restored_dot(at + 1));
        assert!(!v.is_restored_dot(at + 3));
    }
}
