//! Text with non-ASCII characters, written as ASCII that UAX #29 splits
//! the same way, so that the byte loop of [`super::ascii`] can segment it:
//! unicode-segmentation's state machine costs a few hundred instructions a
//! byte, and a third of a long post's stretches between cuts hold an
//! emoji, an accent or a typographic quote.
//!
//! Each non-ASCII character becomes as many bytes as its UTF-8 form (so
//! offsets carry over) of an ASCII character of its sentence-break class:
//! `a` for `Lower`, `A` for `Upper`, `#` for `Other`, a space for `Sp`,
//! `0` for `Numeric`, `"` for `Close`, `!` for `STerm`, `,` for
//! `SContinue`. Why a run of one class reads as one character of it: no
//! rule breaks inside a run of letters, digits, `Other`, `Sp` or `Close`,
//! or between two `STerm` or `SContinue` (SB8a, SB9–SB11, SB998), and the
//! rules that look at a neighbour (SB6–SB8, SB11) see the run's first or
//! last character, which has the class. `Extend` and `Format` count as the
//! character before them (SB5): they repeat its stand-in. What has no
//! stand-in is refused and the stretch goes to unicode-segmentation:
//! `OLetter` (no ASCII letter is neither upper nor lower case), `ATerm`
//! (`.` then another `.` would hide the letter before it from SB7), `Sep`,
//! characters outside the table (unassigned in its Unicode version), and
//! `Extend` at the start, after a line break or after `.`.

use super::classes::{Class, CLASSES};

/// `text` with its non-ASCII characters replaced by their stand-ins, in
/// `out`; `None` if one has none.
pub(super) fn shadow<'a>(text: &str, out: &'a mut Vec<u8>) -> Option<&'a str> {
    out.clear();
    let mut last = None;
    let mut rest = text;
    while !rest.is_empty() {
        // ASCII runs are copied as they are.
        let run =
            rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        if run > 0 {
            out.extend_from_slice(&rest.as_bytes()[..run]);
            last = Some(rest.as_bytes()[run - 1]);
            rest = &rest[run..];
            continue;
        }
        let c = rest.chars().next()?;
        let stand = match class_of(c)? {
            Class::Lower => b'a',
            Class::Upper => b'A',
            Class::Other => b'#',
            Class::Space => b' ',
            Class::Numeric => b'0',
            Class::Close => b'"',
            Class::STerm => b'!',
            Class::SContinue => b',',
            Class::Extend => last.filter(|&b| repeats(b))?,
        };
        out.extend(std::iter::repeat_n(stand, c.len_utf8()));
        last = Some(stand);
        rest = &rest[c.len_utf8()..];
    }
    std::str::from_utf8(out).ok()
}

/// Whether a run of the ASCII byte `b` segments as `b` alone: not a line
/// break, and not `.` (see the module's notes).
fn repeats(b: u8) -> bool {
    !matches!(b, b'\n' | b'\r' | b'.')
}

fn class_of(c: char) -> Option<Class> {
    let c = c as u32;
    let i = CLASSES.partition_point(|&(_, last, _)| last < c);
    CLASSES.get(i).filter(|&&(first, _, _)| first <= c).map(|&(_, _, k)| k)
}

#[cfg(test)]
mod tests {
    use unicode_segmentation::UnicodeSegmentation;

    use super::super::ascii;
    use super::*;
    use crate::test_rng::Rng;

    /// The pieces' offsets: through the shadow, or `None` if it is refused.
    fn shadowed(text: &str) -> Option<Vec<usize>> {
        let mut buf = Vec::new();
        let s = shadow(text, &mut buf)?;
        let mut starts = Vec::new();
        ascii::pieces(s, |i, _| starts.push(i));
        Some(starts)
    }

    fn uax29(text: &str) -> Vec<usize> {
        text.split_sentence_bound_indices().map(|(i, _)| i).collect()
    }

    /// Every character of the table, in contexts where each class splits
    /// differently: the table's Unicode version (Perl's) may be older than
    /// unicode-segmentation's, and a character whose class has changed
    /// since must be left out of the table (`classes.pl`).
    #[test]
    fn every_class_in_the_table_segments_as_unicode_segmentation() {
        const CONTEXTS: &[(&str, &str)] = &[
            ("", ""),
            ("a.", "b"),
            ("a. ", "b"),
            ("A.", "B"),
            ("x", ". Y"),
            ("x", ". y"),
            ("x", "! Y"),
            ("Hi! ", " there."),
            ("end.", ""),
            ("go", "\nNext"),
            ("a", "\u{301}. B"),
            ("Ok? ", "a"),
            ("e.g. ", "lower"),
            ("1.", "5"),
            ("\"Stop.\"", " Go"),
        ];
        let mut shadowed_count = 0;
        let mut wrong = Vec::new();
        for &(first, last, class) in CLASSES {
            // Every character, but of the private-use planes a sample.
            let sample = [first, first + (last - first) / 2, last];
            let every = (last - first < 10_000).then_some(first..=last);
            for cp in every.into_iter().flatten().chain(sample) {
                let Some(c) = char::from_u32(cp) else { continue };
                for (before, after) in CONTEXTS {
                    let text = format!("{before}{c}{after}");
                    if let Some(got) = shadowed(&text) {
                        shadowed_count += 1;
                        if got != uax29(&text) {
                            wrong.push(format!(
                                "U+{cp:04X} {class:?} {text:?}"
                            ));
                        }
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert!(shadowed_count > 200_000, "only {shadowed_count} shadowed");
    }

    /// Random texts of ASCII pieces and characters of every class, refused
    /// ones included.
    #[test]
    fn random_texts_segment_as_unicode_segmentation() {
        const PIECES: &[&str] = &[
            "a", "Z", "1", " ", ".", "!", "?", ",", "-", ":", "\"", "'", "(",
            ")", "\n", "\r", "\t", "#", "é", "É", "ß", "ǅ", "٣", "\u{a0}",
            "\u{2003}", "“", "”", "«", "»", "。", "！", "？", "–", "—", "…",
            "\u{301}", "\u{200d}", "\u{fe0f}", "\u{ad}", "\u{200b}", "⚽",
            "🎉", "👋🏽", "あ", "中", "\u{2028}", "\u{ff0e}", "\u{85}", "x.",
            "A. ", ". a", "e.g.", "1.5",
        ];
        let mut rng = Rng(29);
        let mut shadowed_count = 0;
        for _ in 0..30_000 {
            let text: String = (0..rng.below(14))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect();
            if let Some(got) = shadowed(&text) {
                shadowed_count += 1;
                assert_eq!(got, uax29(&text), "{text:?}");
            }
        }
        assert!(shadowed_count > 10_000, "only {shadowed_count} shadowed");
    }

    /// What has no stand-in is refused.
    #[test]
    fn refusals() {
        for text in ["あ", "a\u{2028}b", "x\u{ff0e}", "\u{301}a", "a.\u{301}"]
        {
            assert_eq!(shadowed(text), None, "{text:?}");
        }
        for text in ["é", "a\u{301}.", "👋🏽 hi", "“quote”", "x\u{a0}y"]
        {
            assert!(shadowed(text).is_some(), "{text:?}");
        }
    }
}
