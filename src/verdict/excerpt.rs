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

/// The masked spans of a post, each with the offset from which its last
/// four letters or digits stay visible.
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
            let keep = post[m.clone()]
                .char_indices()
                .rev()
                .filter(|(_, c)| c.is_alphanumeric())
                .nth(3)
                .map_or(m.end, |(i, _)| m.start + i);
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

/// `post[span]` with up to [`EXCERPT_WORDS`] words either side on the same
/// line, with every masked span's letters and digits replaced by `•`
/// except its last four.
pub(super) fn excerpt(
    post: &str,
    span: Range<usize>,
    masks: &Masks,
) -> String {
    // The line around the hit, as far as an excerpt can reach.
    let mut lo = span.start.saturating_sub(4 * EXCERPT_BYTES);
    while !post.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (span.end + 4 * EXCERPT_BYTES).min(post.len());
    while !post.is_char_boundary(hi) {
        hi -= 1;
    }
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
    fn excerpts_stay_on_the_line() {
        let post = "first line\nsecret here\nlast";
        let none = Masks::new(post, std::iter::empty());
        assert_eq!(excerpt(post, 11..17, &none), "secret here");
    }
}
