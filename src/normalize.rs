//! The one normalisation pass run on every post before matching, and the
//! map from normalised bytes back to the original ones.
//!
//! Terms are compiled in the same normal form, so matching happens on the
//! normalised text; every span found there is mapped back through
//! [`Normalized::source_span`], so reasons always point at the bytes the
//! author wrote.
//!
//! Today the pass lower-cases (full Unicode lower-casing), unifies
//! typographic apostrophes, quotes, dashes and spaces with their ASCII
//! forms, and drops zero-width and format characters.

use std::ops::Range;

/// A normalised post and its offset map. Reused between posts (the buffers
/// keep their capacity), so screening allocates nothing once warm.
#[derive(Default)]
pub(crate) struct Normalized {
    text: String,
    /// For each byte of `text`: the source byte range of the character it
    /// came from. Empty when the text is ASCII (the map is the identity).
    starts: Vec<u32>,
    ends: Vec<u32>,
    identity: bool,
    source_len: usize,
}

impl Normalized {
    /// Normalises `src` into this buffer.
    pub(crate) fn fill(&mut self, src: &str) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        self.source_len = src.len();
        if src.is_ascii() {
            self.identity = true;
            self.text.push_str(src);
            self.text.make_ascii_lowercase();
            return;
        }
        self.identity = false;
        for (i, c) in src.char_indices() {
            let (start, end) = (i as u32, (i + c.len_utf8()) as u32);
            let before = self.text.len();
            normalize_char(c, &mut self.text);
            let added = self.text.len() - before;
            self.starts.extend(std::iter::repeat_n(start, added));
            self.ends.extend(std::iter::repeat_n(end, added));
        }
    }

    /// The normalised text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The normalised range covering the source range `r` (for hits found
    /// on the original text, such as links).
    pub(crate) fn normalized_span(&self, r: Range<usize>) -> (usize, usize) {
        if self.identity {
            return (r.start, r.end);
        }
        let start = self.starts.partition_point(|&s| (s as usize) < r.start);
        let end = self.ends.partition_point(|&e| (e as usize) <= r.end);
        (start, end.max(start))
    }

    /// The source byte range that the normalised range `r` came from.
    /// `r` must be non-empty and lie within the normalised text.
    pub(crate) fn source_span(&self, r: Range<usize>) -> Range<usize> {
        if self.identity {
            return r;
        }
        if r.start >= r.end {
            let at = self
                .starts
                .get(r.start)
                .map_or(self.source_len, |&s| s as usize);
            return at..at;
        }
        self.starts[r.start] as usize..self.ends[r.end - 1] as usize
    }
}

/// Appends the normal form of `c` to `out`.
fn normalize_char(c: char, out: &mut String) {
    match c {
        // Typographic apostrophes and primes: `can’t` is `can't`.
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{2032}'
        | '\u{FF07}' | '`' | '\u{00B4}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}'
        | '\u{FF02}' => out.push('"'),
        // Hyphens and dashes.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => {
            out.push('-')
        }
        // Spaces of every width.
        '\u{00A0}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => out.push(' '),
        // Zero-width and invisible format characters: gone.
        '\u{00AD}'
        | '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}'
        | '\u{180E}' => {}
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => out.extend(c.to_lowercase()),
    }
}

/// The normal form of a term or context word, as the automaton holds it.
pub(crate) fn normalize_term(term: &str) -> String {
    let mut n = Normalized::default();
    n.fill(term.trim());
    // Collapse runs of spaces so `"can't  lose"` is `"can't lose"`.
    let mut out = String::with_capacity(n.text.len());
    for w in n.text.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_map_back_to_source_bytes() {
        let src = "Can\u{2019}t L\u{200B}OSE \u{00C9}t\u{00C9}";
        let mut n = Normalized::default();
        n.fill(src);
        assert_eq!(n.text(), "can't lose \u{e9}t\u{e9}");
        let at = n.text().find("can't lose").unwrap();
        let r = n.source_span(at..at + "can't lose".len());
        assert_eq!(&src[r], "Can\u{2019}t L\u{200B}OSE");
        let at = n.text().find('t').unwrap();
        assert_eq!(&src[n.source_span(at..at + 1)], "t");
        let e = n.text().rfind('\u{e9}').unwrap();
        assert_eq!(&src[n.source_span(e..e + 2)], "\u{00C9}");
    }

    #[test]
    fn source_spans_map_into_the_normal_form() {
        let src = "Go \u{200B}to EXAMPLE.com now";
        let mut n = Normalized::default();
        n.fill(src);
        let at = src.find("EXAMPLE").unwrap();
        let (s, e) = n.normalized_span(at..at + "EXAMPLE.com".len());
        assert_eq!(&n.text()[s..e], "example.com");
        assert_eq!(&src[n.source_span(s..e)], "EXAMPLE.com");
    }

    #[test]
    fn ascii_is_identity() {
        let mut n = Normalized::default();
        n.fill("Guaranteed RETURNS");
        assert_eq!(n.text(), "guaranteed returns");
        assert_eq!(n.source_span(3..7), 3..7);
    }

    #[test]
    fn terms_collapse_spaces() {
        assert_eq!(normalize_term("  Can\u{2019}t   Lose "), "can't lose");
    }
}
