//! Text geometry: where words begin and end, in any script, how far apart
//! two spans are, and the line and column of a byte offset (in a post or
//! a pack file). Pure functions over text and byte offsets, kept apart
//! from the screener and the pack so they can be read and tested alone.

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

/// `span` widened by up to `reach` bytes each side, within `text` and on
/// its character boundaries (each end moved back towards the span): how
/// far a look around a hit goes, bounded whatever the post's length.
pub(crate) fn around(
    text: &str,
    span: Range<usize>,
    reach: usize,
) -> Range<usize> {
    let mut from = span.start.saturating_sub(reach);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (span.end + reach).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    from..to
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
    word_start_after(&text[..to], from, window) >= to
}

/// Where the word after the first `words` words from `from` starts, as
/// [`near`] counts words (a run of alphanumeric characters; one that
/// `from` cuts counts from `from`): an occurrence that starts later has
/// more than `words` words between. The end of `text` when there are not
/// that many.
pub(crate) fn word_start_after(text: &str, from: usize, words: u32) -> usize {
    let mut count = 0u32;
    let mut in_word = false;
    for (i, c) in text[from..].char_indices() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            count += 1;
            if count > words {
                return from + i;
            }
        }
        in_word = w;
    }
    text.len()
}

/// How far to look either side of a match for the word segmentation that
/// decides whether it is a whole word.
const WORD_WINDOW: usize = 64;

/// True if `start..end` begins and ends on UAX #29 word boundaries.
pub(crate) fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let (a, b) = word_edges(text, start, end);
    a && b
}

/// True if `start..end` is a whole word, or a whole word but for an
/// English possessive after it: a term `regulator` is found in "the
/// regulator's letter" (UAX #29 keeps "regulator's" one word, as it keeps
/// "can't").
pub(crate) fn whole_term(text: &str, start: usize, end: usize) -> bool {
    let (a, b) = word_edges(text, start, end);
    a && (b || possessive_after(text, end))
}

/// Whether `'s` follows a letter at byte `end` and ends a word there.
pub(crate) fn possessive_after(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    end > 0
        && b[end - 1].is_ascii_alphabetic()
        && b.get(end..end + 2) == Some(b"'s".as_slice())
        && b.get(end + 2).is_none_or(|c| !c.is_ascii_alphanumeric())
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
    let Range { start: mut ws, end: mut we } =
        around(text, start..end, WORD_WINDOW);
    if let Some(i) =
        bytes[ws..start].iter().rposition(|b| b.is_ascii_whitespace())
    {
        ws += i + 1;
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

/// 1-based line and column (in characters) of byte `offset` in `src`.
pub(crate) fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start =
        before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    // Count characters, tolerating an offset inside a character.
    let column = src.as_bytes()[line_start..offset]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, column)
}

/// Line and column of many offsets of one source, each in time
/// proportional to its distance from the previous one (plus a binary
/// search), not to the offset: a pack asks for a position per rule, and
/// counting from the start each time made a 10,000-rule pack take seconds
/// to load.
pub(crate) struct Positions<'a> {
    src: &'a [u8],
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// The last answer: `(offset, line, column)`.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(src: &'a str) -> Positions<'a> {
        let src = src.as_bytes();
        let starts = std::iter::once(0)
            .chain(
                src.iter()
                    .enumerate()
                    .filter_map(|(i, &b)| (b == b'\n').then_some(i + 1)),
            )
            .collect();
        Positions { src, starts, last: std::cell::Cell::new((0, 1, 1)) }
    }

    /// 1-based line and column (in characters) of byte `offset`, as
    /// [`line_column`] gives them.
    pub(crate) fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let chars = |a: usize, b: usize| {
            self.src[a..b].iter().filter(|&&b| (b & 0xC0) != 0x80).count()
        };
        let (last, last_line, last_col) = self.last.get();
        let column = if last_line != line {
            chars(self.starts[line - 1], offset) + 1
        } else if last <= offset {
            last_col + chars(last, offset)
        } else {
            last_col - chars(offset, last)
        };
        self.last.set((offset, line, column));
        (line, column)
    }
}

/// 1-based line and column of each of `offsets` (sorted) in `src`, in one
/// pass over the text up to the last of them, into `out` (cleared first).
pub(crate) fn line_columns(
    src: &str,
    offsets: impl Iterator<Item = usize>,
    out: &mut Vec<(usize, usize)>,
) {
    out.clear();
    let (mut line, mut column) = (1, 1);
    let mut chars = src.char_indices().peekable();
    for offset in offsets {
        while let Some(&(i, c)) = chars.peek() {
            if i >= offset {
                break;
            }
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
            chars.next();
        }
        out.push((line, column));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    /// `word_start_after` bounds what `near` accepts: an occurrence after
    /// `a` is within `w` words exactly when it starts at the bound or
    /// before it.
    #[test]
    fn the_word_bound_agrees_with_near() {
        let alphabet = ["a", "bc", " ", ", ", "é", "7", "-", "  ", "x1"];
        let mut rng = Rng(7);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..rng.below(24) {
                text.push_str(alphabet[rng.below(alphabet.len())]);
            }
            let cuts: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let a_end = cuts[rng.below(cuts.len())];
            let b_start = cuts[rng.below(cuts.len())].max(a_end);
            let w = rng.below(4) as u32;
            let b = b_start..b_start + usize::from(b_start < text.len());
            assert_eq!(
                near(&text, 0..a_end, b.clone(), w),
                b.start <= word_start_after(&text, a_end, w),
                "{text:?} a ends {a_end}, b {b:?}, within {w}"
            );
        }
    }

    /// (text, word, whole word, whole term): a term also ends before an
    /// English possessive.
    #[test]
    fn whole_words_and_terms() {
        let cases: &[(&str, &str, bool, bool)] = &[
            ("a class act", "ass", false, false),
            ("you can't lose", "can't lose", true, true),
            ("you can't lose", "can", false, false),
            ("#guaranteed!", "guaranteed", true, true),
            ("guaranteedreturns", "guaranteed", false, false),
            ("3.14 percent", "14", false, false),
            ("price: 14.", "14", true, true),
            ("東京で会いましょう", "東京", true, true),
            ("naïve", "na", false, false),
            ("the regulator's letter", "regulator", false, true),
            ("the regulator's", "regulator", false, true),
            ("the regulators' letter", "regulator", false, false),
            ("the regulator'sletter", "regulator", false, false),
            // The cost: a contraction reads the same ("it's" holds "it").
            ("it's late", "it", false, true),
            ("a bregulator's", "regulator", false, false),
            ("client's", "client's", true, true),
        ];
        for &(text, word, word_want, term_want) in cases {
            let s = text.find(word).unwrap();
            let e = s + word.len();
            assert_eq!(
                whole_word(text, s, e),
                word_want,
                "{word:?} in {text:?}"
            );
            assert_eq!(
                whole_term(text, s, e),
                term_want,
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

    /// `Positions` answers what `line_column` does, in any order of
    /// offsets, including offsets inside a character.
    #[test]
    fn positions_agree_with_line_column() {
        let src = "ab\nçé x\n\n🙂 z\nlast";
        let positions = Positions::new(src);
        let mut offsets: Vec<usize> = (0..=src.len() + 2).collect();
        offsets.extend((0..=src.len()).rev());
        offsets.extend([7, 2, 15, 3, 0, 9, 9, 1]);
        for offset in offsets {
            assert_eq!(
                positions.at(offset),
                line_column(src, offset),
                "offset {offset}"
            );
        }
    }
}
