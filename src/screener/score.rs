//! The score stage: each score rule adds the weights of the phrases the
//! one automaton pass found (marks of `Use::Score`), each phrase once,
//! and fires where the sum reaches its threshold. Its hit is the phrase
//! of greatest weight; its reason lists the phrases that weighed most.
//! A rule that weighs character grams (`crate::grams`) scores the whole
//! post instead, without the automaton; its hit is the word whose grams
//! weighed most for it.

use std::cmp::Reverse;
use std::ops::Range;

use crate::grams::{Grams, Part, Words};
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
    /// The grams, for a rule that weighs grams.
    grams: Option<Grams>,
}

impl ScoreSpec {
    /// The compiled rule, or why its grams cannot be compiled.
    pub(super) fn new(w: &Weights) -> Result<ScoreSpec, String> {
        let grams = match w.grams.is_empty() {
            true => None,
            false => Some(Grams::new(&w.grams)?),
        };
        Ok(ScoreSpec {
            grams,
            weights: w.terms.iter().map(|(_, v)| *v).collect(),
            phrases: w.terms.iter().map(|(t, _)| t.as_str().into()).collect(),
            bias: w.bias,
            threshold: w.threshold,
        })
    }
}

/// The stretch of text a score covers, in bytes of the normal form: a
/// long post is scored stretch by stretch. The weights were learnt on posts
/// of at most 561 bytes; summed over a 2 KB newsletter of unrelated
/// notices, the small weights of many ordinary words passed the
/// threshold (the latency bench's clean 2 KB post was blocked).
pub(crate) const WINDOW: usize = 600;

/// Whether a sentence ends between `from` and `to`: a line break, or a
/// full stop, `!` or `?` before a space. The weights were learnt on whole
/// posts, but summed over several sentences of ordinary notices ("our
/// clients", "retirement", "Monday") they passed the threshold; a
/// promise or a hint is made in one sentence.
fn sentence_ends(p: &Post, from: usize, to: usize) -> bool {
    if from >= to {
        return false;
    }
    // The normal form turns line breaks into spaces: read the post.
    let gap = p.source.as_bytes().get(p.norm.source_span(from..to));
    let gap = gap.unwrap_or_default();
    gap.iter().enumerate().any(|(i, &c)| {
        c == b'\n'
            || (matches!(c, b'.' | b'!' | b'?')
                && gap.get(i + 1).is_some_and(u8::is_ascii_whitespace))
    })
}

/// An occurrence of phrase `.1` of rule `.0` at `.2..3`.
type Seen = (RuleIdx, u16, usize, usize);

/// The score stage's scratch space, reused between screenings.
#[derive(Default)]
pub(super) struct Scoring {
    /// Every occurrence of a phrase, by rule and then position.
    seen: Vec<Seen>,
    /// The rules that fired: their score and the occurrences of the
    /// stretch that scored it, in `seen`; for a gram rule, its heaviest
    /// words, in `gram_parts`.
    fired: Vec<(RuleIdx, i32, Range<usize>)>,
    /// How often each phrase of the rule being scored is in the stretch.
    counts: Vec<u16>,
    /// How often each gram of the rule being scored is in the post.
    grams: crate::grams::Counts,
    gram_parts: Vec<Part>,
    words: Words,
}

/// How many words a gram rule's reason lists.
const NOTED: usize = 5;

/// The hits of the rules that weigh grams, whose score over the post
/// reaches their threshold.
fn gram_hits(p: &Post, s: &mut Scoring, found: &mut Found) {
    s.gram_parts.clear();
    for &r in &p.inner.gram_rules {
        let rule = &p.inner.rules[r as usize];
        let Shape::Score(spec) = &rule.shape else { continue };
        let (Some(g), true) = (&spec.grams, p.active(rule)) else { continue };
        let Some(dot) = g.score(p.text, &mut s.grams) else { continue };
        let score = spec.bias.saturating_add(dot);
        if score < spec.threshold {
            continue;
        }
        // The hit is the word that weighed most for the rule.
        let top = g.words(p.text, NOTED, &mut s.words);
        let Some(word) =
            top.or_else(|| s.words.parts.first().map(|x| x.word.clone()))
        else {
            continue;
        };
        found.hits.push(Hit::new(r, word.start, word.end));
        let at = s.gram_parts.len();
        s.gram_parts.extend_from_slice(&s.words.parts);
        s.fired.push((r, score, at..s.gram_parts.len()));
    }
}

/// The hits of the score rules whose phrases in some stretch (one
/// sentence, at most [`WINDOW`] bytes) reach their threshold.
pub(super) fn hits(p: &Post, s: &mut Scoring, found: &mut Found) {
    s.fired.clear();
    gram_hits(p, s, found);
    s.seen.clear();
    s.seen.extend(found.marks.iter().filter_map(|m| match m.what {
        Use::Score(r, k) => Some((r, k, m.start, m.end)),
        _ => None,
    }));
    let concepts = &p.inner.concepts;
    if concepts.scores() {
        for m in &found.marks {
            if let Use::Concept(c) = m.what {
                let at =
                    concepts.scored_by(c).map(|(r, k)| (r, k, m.start, m.end));
                s.seen.extend(at);
            }
        }
    }
    if s.seen.is_empty() {
        return;
    }
    s.seen.sort_unstable_by_key(|x| (x.0, x.2, x.1));
    let mut i = 0;
    while i < s.seen.len() {
        let r = s.seen[i].0;
        let j = i + s.seen[i..].iter().take_while(|x| x.0 == r).count();
        let rule = &p.inner.rules[r as usize];
        if let (Shape::Score(spec), true) = (&rule.shape, p.active(rule)) {
            let (score, best) =
                best_stretch(p, spec, &s.seen[i..j], &mut s.counts);
            let stretch = &s.seen[i + best.start..i + best.end];
            // The heaviest phrase, the first of equals, is the hit's span.
            let weight = |x: &&Seen| spec.weights[x.1 as usize];
            let top = stretch.iter().max_by_key(|x| (weight(x), Reverse(x.2)));
            if let (true, Some(top)) = (score >= spec.threshold, top) {
                found.hits.push(Hit::new(r, top.2, top.3));
                let at = i + best.start..i + best.end;
                s.fired.push((r, score, at));
            }
        }
        i = j;
    }
}

/// The best score of one rule over its occurrences `seen` (in text
/// order), and the stretch that scored it as a range of `seen`. Positive
/// weights count within a stretch of one sentence and at most [`WINDOW`]
/// bytes; negative ones (what harmless posts say: "scam", "nobody can")
/// count wherever they are in the post, because a warning in the next
/// sentence still frames the claim. Each phrase counts once. One sweep: a
/// phrase's weight is added when it enters the stretch and taken off when
/// its last occurrence leaves.
fn best_stretch(
    p: &Post,
    spec: &ScoreSpec,
    seen: &[Seen],
    counts: &mut Vec<u16>,
) -> (i32, Range<usize>) {
    counts.clear();
    counts.resize(spec.weights.len(), 0);
    // In i64: a hostile pack's thousands of phrases of weight 1000 in one
    // sentence would overflow an i32 sum.
    let gain = |k: usize| i64::from(spec.weights[k].max(0));
    let mut against = 0i32;
    for x in seen {
        let k = x.1 as usize;
        if spec.weights[k] < 0 && counts[k] == 0 {
            against = against.saturating_add(spec.weights[k]);
            counts[k] = 1;
        }
    }
    counts.iter_mut().for_each(|c| *c = 0);
    let (mut sum, mut best, mut at) = (0i64, 0i64, 0..0);
    let mut left = 0;
    for (right, x) in seen.iter().enumerate() {
        // A new sentence starts a new stretch.
        if right > 0 && sentence_ends(p, seen[right - 1].3, x.2) {
            while left < right {
                counts[seen[left].1 as usize] = 0;
                left += 1;
            }
            sum = 0;
        }
        while seen[left].2 + WINDOW <= x.2 {
            let k = seen[left].1 as usize;
            counts[k] -= 1;
            if counts[k] == 0 {
                sum -= gain(k);
            }
            left += 1;
        }
        let k = x.1 as usize;
        counts[k] = counts[k].saturating_add(1);
        if counts[k] == 1 {
            sum += gain(k);
        }
        if sum > best || at.is_empty() {
            (best, at) = (sum, left..right + 1);
        }
    }
    let best = i32::try_from(best).unwrap_or(i32::MAX);
    (spec.bias.saturating_add(against).saturating_add(best), at)
}

/// The "(score 2.61 for a threshold of 1.00: “guaranteed” +1.82, …)"
/// note of a fired score rule: the phrases of greatest weight, either
/// way, at most five; the score alone for a masked rule.
pub(super) struct ScoreNote<'a> {
    spec: &'a ScoreSpec,
    score: i32,
    seen: &'a [Seen],
    /// A gram rule's heaviest words, and the normal form they are in.
    grams: Option<(&'a [Part], &'a str)>,
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
        let Shape::Score(spec) = &p.inner.rules[hit.rule as usize].shape
        else {
            return None;
        };
        let (_, score, range) = self.fired.iter().find(|f| f.0 == hit.rule)?;
        let (seen, grams) = match spec.grams {
            Some(_) => {
                (&[][..], Some((&self.gram_parts[range.clone()], p.text)))
            }
            None => (&self.seen[range.clone()], None),
        };
        Some(ScoreNote { spec, score: *score, seen, grams, masked })
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
        if let (Some((parts, text)), false) = (self.grams, self.masked) {
            for (n, x) in parts.iter().enumerate() {
                let word = text.get(x.word.clone()).unwrap_or_default();
                let sep = if n == 0 { ": " } else { ", " };
                write!(f, "{sep}\u{201c}{word}\u{201d} {}", Signed(x.weight))?;
            }
        } else if !self.masked {
            // The five heaviest either way, without sorting (no allocation):
            // each pass takes the heaviest below the one before.
            let mut last: Option<(i32, usize, u16)> = None;
            for n in 0..5 {
                let key = |x: &Seen| {
                    (spec.weights[x.1 as usize].abs(), usize::MAX - x.2, x.1)
                };
                // A phrase once, at its first occurrence in the stretch.
                let first = |x: &&Seen| {
                    self.seen
                        .iter()
                        .find(|y| y.1 == x.1)
                        .is_some_and(|y| y.2 == x.2)
                };
                let next = self
                    .seen
                    .iter()
                    .filter(first)
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
