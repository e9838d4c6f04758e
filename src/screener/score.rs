//! The score stage: each score rule adds the weights of the phrases the
//! one automaton pass found (marks of `Use::Score`), each phrase once,
//! and fires where the sum reaches its threshold. Its hit is the phrase
//! of greatest weight; its reason lists the phrases that weighed most.

use std::cmp::Reverse;
use std::ops::Range;

use crate::score::{Signed, Weights};

use super::compile::{RuleIdx, Shape, Use};
use super::scan::{Found, Hit};
use super::Post;

/// A score rule, compiled.
#[derive(Debug)]
pub(crate) struct ScoreSpec {
    /// Weight of phrase `k`, in thousandths.
    weights: Vec<i32>,
    /// Phrase `k` as the pack wrote it, for the reason.
    phrases: Vec<Box<str>>,
    bias: i32,
    threshold: i32,
}

impl ScoreSpec {
    pub(super) fn new(w: &Weights) -> ScoreSpec {
        ScoreSpec {
            weights: w.terms.iter().map(|(_, v)| *v).collect(),
            phrases: w.terms.iter().map(|(t, _)| t.as_str().into()).collect(),
            bias: w.bias,
            threshold: w.threshold,
        }
    }
}

/// The score stage's scratch space, reused between screenings.
#[derive(Default)]
pub(super) struct Scoring {
    /// `(rule, phrase, start, end)` of each phrase found: sorted, then
    /// one per phrase (its first occurrence).
    seen: Vec<(RuleIdx, u16, usize, usize)>,
    /// The rules that fired: their score and their phrases in `seen`.
    fired: Vec<(RuleIdx, i32, Range<usize>)>,
}

/// The hits of the score rules whose phrases in the post reach their
/// threshold.
pub(super) fn hits(p: &Post, s: &mut Scoring, found: &mut Found) {
    s.seen.clear();
    s.fired.clear();
    s.seen.extend(found.marks.iter().filter_map(|m| match m.what {
        Use::Score(r, k) => Some((r, k, m.start, m.end)),
        _ => None,
    }));
    if s.seen.is_empty() {
        return;
    }
    s.seen.sort_unstable();
    s.seen.dedup_by_key(|x| (x.0, x.1));
    let mut i = 0;
    while i < s.seen.len() {
        let r = s.seen[i].0;
        let j = i + s.seen[i..].iter().take_while(|x| x.0 == r).count();
        let rule = &p.inner.rules[r as usize];
        if let (Shape::Score(spec), true) = (&rule.shape, p.active(rule)) {
            let found_here = &s.seen[i..j];
            let weight =
                |x: &(RuleIdx, u16, usize, usize)| spec.weights[x.1 as usize];
            let score = spec.bias + found_here.iter().map(weight).sum::<i32>();
            // The heaviest phrase, the first of equals, is the hit's span.
            let top =
                found_here.iter().max_by_key(|x| (weight(x), Reverse(x.2)));
            if let (true, Some(top)) = (score >= spec.threshold, top) {
                found.hits.push(Hit::new(r, top.2, top.3));
                s.fired.push((r, score, i..j));
            }
        }
        i = j;
    }
}

/// The "(score 2.61 for a threshold of 1.00: “guaranteed” +1.82, …)"
/// note of a fired score rule: the phrases of greatest weight, either
/// way, at most five; the score alone for a masked rule.
pub(super) struct ScoreNote<'a> {
    spec: &'a ScoreSpec,
    score: i32,
    seen: &'a [(RuleIdx, u16, usize, usize)],
    masked: bool,
}

impl Scoring {
    /// The note of `hit`, if a score rule's.
    pub(super) fn note<'a>(
        &'a self,
        p: &'a Post,
        hit: &Hit,
        masked: bool,
    ) -> Option<ScoreNote<'a>> {
        let (_, score, range) = self.fired.iter().find(|f| f.0 == hit.rule)?;
        let Shape::Score(spec) = &p.inner.rules[hit.rule as usize].shape
        else {
            return None;
        };
        let seen = &self.seen[range.clone()];
        Some(ScoreNote { spec, score: *score, seen, masked })
    }
}

impl std::fmt::Display for ScoreNote<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let spec = self.spec;
        write!(
            f,
            "(score {} for a threshold of {}",
            Signed(self.score),
            Signed(spec.threshold)
        )?;
        if !self.masked {
            // The five heaviest either way, without sorting (no allocation):
            // each pass takes the heaviest below the one before.
            let mut last: Option<(i32, usize, u16)> = None;
            for n in 0..5 {
                let key = |x: &(RuleIdx, u16, usize, usize)| {
                    (spec.weights[x.1 as usize].abs(), usize::MAX - x.2, x.1)
                };
                let next = self
                    .seen
                    .iter()
                    .filter(|x| last.is_none_or(|l| key(x) < l))
                    .max_by_key(|x| key(x));
                let Some(x) = next else { break };
                last = Some(key(x));
                let k = x.1 as usize;
                let sep = if n == 0 { ": " } else { ", " };
                write!(
                    f,
                    "{sep}\u{201c}{}\u{201d} {}",
                    spec.phrases[k],
                    Signed(spec.weights[k])
                )?;
            }
        }
        f.write_str(")")
    }
}
