//! Sentences and clauses of the normalised post (a stand-in with the
//! API the lead's segmentation lands with: sentences end at `.`, `!`, `?`
//! followed by a space or the end; clauses also at `,` `;` `:` and
//! dashes between spaces).

use std::ops::Range;

use crate::normalize::Normalized;

/// The sentence and clause boundaries of one post, filled only for posts
/// with hits.
#[derive(Default)]
pub(crate) struct Sentences {
    text_len: usize,
    /// Start of each sentence after the first.
    sentences: Vec<usize>,
    /// Start of each clause after the first.
    clauses: Vec<usize>,
}

impl Sentences {
    /// Segments the normalised post.
    pub(crate) fn fill(&mut self, norm: &Normalized, _source: &str) {
        let text = norm.text();
        self.text_len = text.len();
        self.sentences.clear();
        self.clauses.clear();
        let b = text.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            let next_space = b.get(i + 1).is_none_or(|n| *n == b' ');
            match c {
                b'.' | b'!' | b'?' if next_space => {
                    self.sentences.push(i + 1);
                    self.clauses.push(i + 1);
                }
                b',' | b';' | b':' | b'(' | b')' => self.clauses.push(i + 1),
                b'-' if next_space && i > 0 && b[i - 1] == b' ' => {
                    self.clauses.push(i + 1)
                }
                _ => {}
            }
        }
    }

    fn find(bounds: &[usize], len: usize, pos: usize) -> Range<usize> {
        let k = bounds.partition_point(|&s| s <= pos);
        let start = if k == 0 { 0 } else { bounds[k - 1] };
        let end = bounds.get(k).copied().unwrap_or(len);
        start..end
    }

    /// The sentence holding normalised byte `pos`.
    pub(crate) fn sentence(&self, pos: usize) -> Range<usize> {
        Sentences::find(&self.sentences, self.text_len, pos)
    }

    /// The clause holding normalised byte `pos`.
    pub(crate) fn clause(&self, pos: usize) -> Range<usize> {
        Sentences::find(&self.clauses, self.text_len, pos)
    }
}
