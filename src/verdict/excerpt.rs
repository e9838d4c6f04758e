//! Masks and excerpts: the few words around a hit that a reason shows,
//! with masked letters and digits hidden.

use std::ops::Range;

/// The ends of an excerpt: this many words either side of the hit, on its
/// line.
const EXCERPT_WORDS: usize = 2;
/// And at most this many bytes either side.
const EXCERPT_BYTES: usize = 40;
/// The character that replaces masked letters and digits.
pub(super) const MASK: char = '\u{2022}';

/// A masked hit keeps its last four letters or digits visible only when
/// the value it ends with is at least this long: a card's or an IBAN's
/// last four identify it without giving it away, but the last four of a
/// door code ("the keypad takes 4 0 6 2") or of a short password are
/// most or all of it.
const KEEP_FROM_LEN: usize = 12;

/// The masked spans of a post, each with the offset from which its last
/// four letters or digits stay visible (its end when none do).
#[derive(Default)]
pub(crate) struct Masks {
    /// `(start, end, keep_from)`, sorted by start.
    spans: Vec<(usize, usize, usize)>,
    longest: usize,
}

impl Masks {
    /// The masks for `spans` of `post`.
    pub(super) fn new(
        post: &str,
        spans: impl Iterator<Item = Range<usize>>,
    ) -> Masks {
        let mut m = Masks::default();
        m.fill(post, spans);
        m
    }

    /// [`Masks::new`] into this (reused) buffer.
    pub(crate) fn fill(
        &mut self,
        post: &str,
        spans: impl Iterator<Item = Range<usize>>,
    ) {
        self.spans.clear();
        self.spans.extend(spans.map(|m| {
            let hit = &post[m.clone()];
            let keep = if trailing_value_len(hit) < KEEP_FROM_LEN {
                m.end
            } else {
                hit.char_indices()
                    .rev()
                    .filter(|(_, c)| c.is_alphanumeric())
                    .nth(3)
                    .map_or(m.end, |(i, _)| m.start + i)
            };
            (m.start, m.end, keep)
        }));
        self.spans.sort_unstable();
        self.longest =
            self.spans.iter().map(|&(s, e, _)| e - s).max().unwrap_or(0);
    }

    /// True if the character `c` at byte `at` is masked: a letter or digit
    /// inside a masked span, before that span's last four.
    pub(super) fn hides(&self, at: usize, c: char) -> bool {
        if !c.is_alphanumeric() {
            return false;
        }
        // Spans that start at or before `at`, latest first; none further
        // back than the longest span can reach it.
        let upto = self.spans.partition_point(|&(s, _, _)| s <= at);
        self.spans[..upto]
            .iter()
            .rev()
            .take_while(|&&(s, _, _)| at - s < self.longest)
            .any(|&(_, e, keep)| at < e && at < keep)
    }
}

/// The letters and digits of the value `hit` ends with: its last run
/// without white space, where a single space between two digits joins
/// groups ("4111 1111 1111 1111", "GB33 BUKB 2020 1555 5555 55" from
/// "2020" on), and a rule's words before it ("the keypad takes") do not
/// count.
fn trailing_value_len(hit: &str) -> usize {
    let mut n = 0;
    // Walking backwards: `after` is the character just after `c`.
    let mut after = None;
    let mut chars = hit.trim_end().chars().rev().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            let before = chars.peek().copied();
            let joins = c == ' '
                && before.is_some_and(|b| b.is_ascii_digit())
                && after.is_some_and(|a: char| a.is_ascii_digit());
            if !joins {
                break;
            }
        } else if c.is_alphanumeric() {
            n += 1;
        }
        after = Some(c);
    }
    n
}

/// `post[span]` with up to [`EXCERPT_WORDS`] words either side on the same
/// line, with every masked span's letters and digits replaced by `•`
/// except the last four of a long value (see [`KEEP_FROM_LEN`]).
pub(super) fn excerpt(
    post: &str,
    span: Range<usize>,
    masks: &Masks,
) -> String {
    // The line around the hit, as far as an excerpt can reach.
    let Range { start: lo, end: hi } =
        crate::text::around(post, span.clone(), 4 * EXCERPT_BYTES);
    let line_start =
        post[lo..span.start].rfind('\n').map_or(lo, |i| lo + i + 1);
    let line_end = post[span.end..hi].find('\n').map_or(hi, |i| span.end + i);
    let from = extend_words(post, line_start, span.start, true);
    let to = extend_words(post, span.end, line_end, false);
    // Trimmed first and sized exactly, so the excerpt is one allocation.
    let region = post[from..to].trim_start();
    let from = to - region.len();
    let region = region.trim_end();
    let shown = |(i, c): (usize, char)| {
        if masks.hides(from + i, c) {
            MASK
        } else {
            c
        }
    };
    let len = region.char_indices().map(|p| shown(p).len_utf8()).sum();
    let mut out = String::with_capacity(len);
    out.extend(region.char_indices().map(shown));
    out
}

/// Moves from one end of `lo..hi` towards the other across up to
/// [`EXCERPT_WORDS`] words and [`EXCERPT_BYTES`] bytes; returns the new end.
fn extend_words(post: &str, lo: usize, hi: usize, backwards: bool) -> usize {
    let region = &post[lo..hi];
    if backwards {
        walk(region.char_indices().rev(), hi, |i, _| lo + i, |at| hi - at)
    } else {
        walk(
            region.char_indices(),
            lo,
            |i, c| lo + i + c.len_utf8(),
            |end| end - lo,
        )
    }
}

/// Walks characters outwards; `edge` gives the new end of the excerpt if
/// it takes the character, `dist` how far that is from the hit.
fn walk(
    chars: impl Iterator<Item = (usize, char)>,
    start: usize,
    edge: impl Fn(usize, char) -> usize,
    dist: impl Fn(usize) -> usize,
) -> usize {
    let mut best = start;
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in chars {
        let at = edge(i, c);
        if dist(at) > EXCERPT_BYTES {
            break;
        }
        let space = c.is_whitespace();
        if !space && !in_word {
            words += 1;
            if words > EXCERPT_WORDS {
                break;
            }
        }
        in_word = !space;
        if !space {
            best = at;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_mask_all_but_last_four() {
        let post = "Please charge card 4111 1111 1111 1111 today";
        let card = 19..38;
        assert_eq!(&post[card.clone()], "4111 1111 1111 1111");
        let masks = Masks::new(post, std::iter::once(card.clone()));
        let none = Masks::new(post, std::iter::empty());
        assert_eq!(
            excerpt(post, card.clone(), &masks),
            "charge card \u{2022}\u{2022}\u{2022}\u{2022} \u{2022}\u{2022}\
             \u{2022}\u{2022} \u{2022}\u{2022}\u{2022}\u{2022} 1111 today"
        );
        assert_eq!(
            excerpt(post, card.clone(), &none),
            "charge card 4111 1111 1111 1111 today"
        );
        // Another reason's excerpt that reaches the card masks it too.
        let charge = 7..13;
        let e = excerpt(post, charge, &masks);
        assert!(!e.contains("4111"), "{e}");
    }

    #[test]
    fn only_a_long_value_keeps_its_last_four() {
        // (masked hit, what the excerpt of the hit alone shows)
        let cases: &[(&str, &str)] = &[
            ("4111 1111 1111 1111", "•••• •••• •••• 1111"),
            ("GB33 BUKB 2020 1555 5555 55", "•••• •••• •••• •••• ••55 55"),
            ("AKIAIOSFODNN7QWERTY5D", "•••••••••••••••••TY5D"),
            ("keypad takes 4 0 6 2", "•••••• ••••• • • • •"),
            ("code 5917", "•••• ••••"),
            ("pw Summer2025!", "•• ••••••••••!"),
            ("123-45-6789", "•••-••-••••"),
            ("login admin / Hunter2024!", "••••• ••••• / ••••••••••!"),
        ];
        for (hit, want) in cases {
            let masks = Masks::new(hit, std::iter::once(0..hit.len()));
            assert_eq!(&excerpt(hit, 0..hit.len(), &masks), want, "{hit}");
        }
    }

    #[test]
    fn excerpts_stay_on_the_line() {
        let post = "first line\nsecret here\nlast";
        let none = Masks::new(post, std::iter::empty());
        assert_eq!(excerpt(post, 11..17, &none), "secret here");
    }
}
