//! Scanning a post for candidate hits: what the engines find before
//! anything is judged.

use super::compile::{RuleIdx, Use};

/// A candidate hit, in normalised coordinates.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hit {
    pub(super) rule: RuleIdx,
    pub(super) start: usize,
    pub(super) end: usize,
    /// For a link that imitates a protected host: 1 + its index in the
    /// rule's `protect` list; else 0.
    pub(super) imitates: u32,
}

/// A context, unless or exception word found in the post.
#[derive(Clone, Copy, Debug)]
pub(super) struct Mark {
    pub(super) what: Use,
    pub(super) start: usize,
    pub(super) end: usize,
}
