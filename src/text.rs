//! Text geometry: where words begin and end, in any script, and how far
//! apart two spans are. Pure functions over text and byte offsets, kept
//! apart from the screener so they can be read and tested on their own.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::normalize::Normalized;

/// Whether the normalised range `start..end` begins and ends on a
/// camel-case change in the original post (`#GuaranteedReturnsDaily`):
/// a lower-case letter before an upper-case one.
pub(crate) fn camel_edges(
    post: &str,
    norm: &Normalized,
    start: usize,
    end: usize,
) -> (bool, bool) {
    let src = norm.source_span(start..end);
    let before = post[..src.start].chars().next_back();
    let first = post[src.start..].chars().next();
    let last = post[..src.end].chars().next_back();
    let after = post[src.end..].chars().next();
    let change = |a: Option<char>, b: Option<char>| {
        a.is_some_and(char::is_lowercase) && b.is_some_and(char::is_uppercase)
    };
    (change(before, first), change(last, after))
}

/// Widens `start..end` to character boundaries of `text`.
pub(crate) fn snap(
    text: &str,
    mut start: usize,
    mut end: usize,
) -> (usize, usize) {
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// True if at most `window` words stand between spans `a` and `b` of
/// `text`; overlapping spans are near.
pub(crate) fn near(
    text: &str,
    a: Range<usize>,
    b: Range<usize>,
    window: u32,
) -> bool {
    let (from, to) = if a.end <= b.start {
        (a.end, b.start)
    } else if b.end <= a.start {
        (b.end, a.start)
    } else {
        return true;
    };
    let mut words = 0u32;
    let mut in_word = false;
    for c in text[from..to].chars() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            words += 1;
            if words > window {
                return false;
            }
        }
        in_word = w;
    }
    true
}

/// How far to look either side of a match for the word segmentation that
/// decides whether it is a whole word.
pub(crate) const WORD_WINDOW: usize = 64;

/// True if `start..end` begins and ends on UAX #29 word boundaries.
pub(crate) fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let (a, b) = word_edges(text, start, end);
    a && b
}

/// Whether `start` and `end` are UAX #29 word boundaries, around the
/// non-empty match `start..end`.
pub(crate) fn word_edges(
    text: &str,
    start: usize,
    end: usize,
) -> (bool, bool) {
    let bytes = text.as_bytes();
    // Fast paths for the common ASCII cases: a space on a side, or a
    // letter or digit continuing the word.
    if start >= end || end > bytes.len() {
        return (false, false);
    }
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(end).copied();
    let first = bytes[start];
    let last = bytes[end - 1];
    let joins =
        |a: u8, b: u8| a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
    let plain = |c: Option<u8>| {
        c.is_none_or(|c| c == b' ' || c == b'\n' || c == b'\t' || c == b'\r')
    };
    let fast = |outside: Option<u8>, inside: u8| match outside {
        _ if plain(outside) => Some(true),
        Some(o) if o.is_ascii() && inside.is_ascii() && joins(o, inside) => {
            Some(false)
        }
        _ => None,
    };
    if let (Some(a), Some(b)) = (fast(before, first), fast(after, last)) {
        return (a, b);
    }
    let mut ws = start.saturating_sub(WORD_WINDOW);
    while !text.is_char_boundary(ws) {
        ws += 1;
    }
    if let Some(i) =
        bytes[ws..start].iter().rposition(|b| b.is_ascii_whitespace())
    {
        ws += i + 1;
    }
    let mut we = (end + WORD_WINDOW).min(text.len());
    while !text.is_char_boundary(we) {
        we -= 1;
    }
    if let Some(i) =
        bytes[end..we].iter().position(|b| b.is_ascii_whitespace())
    {
        we = end + i;
    }
    let mut start_ok = start == ws;
    let mut end_ok = end == we;
    for (i, _) in text[ws..we].split_word_bound_indices() {
        let at = ws + i;
        start_ok |= at == start;
        end_ok |= at == end;
        if at > end {
            break;
        }
    }
    (start_ok, end_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words() {
        let cases: &[(&str, &str, bool)] = &[
            ("a class act", "ass", false),
            ("you can't lose", "can't lose", true),
            ("you can't lose", "can", false),
            ("#guaranteed!", "guaranteed", true),
            ("guaranteedreturns", "guaranteed", false),
            ("3.14 percent", "14", false),
            ("price: 14.", "14", true),
            ("東京で会いましょう", "東京", true),
            ("naïve", "na", false),
        ];
        for &(text, word, want) in cases {
            let s = text.find(word).unwrap();
            assert_eq!(
                whole_word(text, s, s + word.len()),
                want,
                "{word:?} in {text:?}"
            );
        }
    }

    #[test]
    fn nearness_counts_words_between() {
        let text = "my social security number is 078051123";
        let (ssn, number) = (3..18, 29..38);
        assert!(near(text, ssn.clone(), number.clone(), 2));
        assert!(!near(text, ssn, number, 1));
    }
}
