//! What screening a post answers: the decision, the score and the reasons,
//! and their JSON form (the contract of SPEC §2, shared by the CLI and the
//! C ABI).

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::pack::Decision;

/// What the policy says about a rule, shared by every reason it gives.
#[derive(Debug)]
pub(crate) struct RuleInfo {
    pub(crate) id: String,
    pub(crate) pack: String,
    /// The last pack whose override changed the rule.
    pub(crate) decided_by: String,
    pub(crate) category: String,
    pub(crate) action: Decision,
    pub(crate) score: u32,
    pub(crate) message: String,
    /// Hide the match in excerpts (already `false` when the caller asked to
    /// reveal masked text).
    pub(crate) mask: bool,
}

/// The packs and fingerprint printed with every verdict.
#[derive(Debug)]
pub(crate) struct PolicyInfo {
    pub(crate) packs: Vec<String>,
    pub(crate) fingerprint: String,
}

/// One reason for a verdict: a rule that fired, where, and why.
#[derive(Clone, Debug)]
pub struct Reason {
    rule: Arc<RuleInfo>,
    /// The rule's message with this hit's details (where a required rule's
    /// trigger is, which host a link imitates), when it has any.
    message: Option<String>,
    score: u32,
    span: Option<Range<usize>>,
    line: usize,
    column: usize,
    excerpt: Option<String>,
}

/// The ends of an excerpt: this many words either side of the hit, on its
/// line.
/// `message`, a space and `note`: one allocation, sized exactly (a
/// verdict allocates only what it keeps).
pub(crate) fn noted(message: &str, note: std::fmt::Arguments) -> String {
    use std::fmt::Write;
    struct Len(usize);
    impl Write for Len {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut len = Len(0);
    let _ = len.write_fmt(note);
    let sep = if message.is_empty() { "" } else { " " };
    let mut out = String::with_capacity(message.len() + sep.len() + len.0);
    out.push_str(message);
    out.push_str(sep);
    let _ = out.write_fmt(note);
    out
}

const EXCERPT_WORDS: usize = 2;
/// And at most this many bytes either side.
const EXCERPT_BYTES: usize = 40;
/// The character that replaces masked letters and digits.
const MASK: char = '\u{2022}';

impl Reason {
    /// A reason about `span` of `post`, which starts at `(line, column)`;
    /// `masks` hide what must not appear in any excerpt.
    pub(crate) fn new(
        rule: Arc<RuleInfo>,
        score: u32,
        post: &str,
        span: Option<Range<usize>>,
        (line, column): (usize, usize),
        masks: &Masks,
        message: Option<String>,
    ) -> Reason {
        let excerpt = span.as_ref().map(|s| excerpt(post, s.clone(), masks));
        Reason { rule, message, score, span, line, column, excerpt }
    }

    /// The id of the rule that fired.
    pub fn rule(&self) -> &str {
        &self.rule.id
    }

    /// The name of the pack that defines the rule.
    pub fn pack(&self) -> &str {
        &self.rule.pack
    }

    /// The pack whose setting decided the rule: the last pack that
    /// overrode it, or the defining pack.
    pub fn decided_by(&self) -> &str {
        &self.rule.decided_by
    }

    /// The rule's category.
    pub fn category(&self) -> &str {
        &self.rule.category
    }

    /// The rule's action (the least verdict it imposes).
    pub fn action(&self) -> Decision {
        self.rule.action
    }

    /// The score this hit contributed (the rule's score, adjusted by
    /// context).
    pub fn score(&self) -> u32 {
        self.score
    }

    /// What the author should do (with this hit's details, if any).
    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or(&self.rule.message)
    }

    /// Whether the rule masks its matches.
    pub fn masked(&self) -> bool {
        self.rule.mask
    }

    /// Byte range of the hit in the original post (end exclusive), or
    /// `None` for a reason about the post as a whole.
    pub fn span(&self) -> Option<Range<usize>> {
        self.span.clone()
    }

    /// 1-based line of the hit's start, if it has a span.
    pub fn line(&self) -> Option<usize> {
        self.span.as_ref().map(|_| self.line)
    }

    /// 1-based column (in characters) of the hit's start, if it has a span.
    pub fn column(&self) -> Option<usize> {
        self.span.as_ref().map(|_| self.column)
    }

    /// The hit with a few words around it, masked where the policy asks.
    pub fn excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }
}

/// The answer for one post.
#[derive(Clone, Debug)]
pub struct Verdict {
    decision: Decision,
    score: u32,
    reasons: Vec<Reason>,
    /// Masked text that no reason's span shows (a masked required rule's
    /// trigger, a duplicate hit), hidden by `redact` too.
    hidden: Vec<Range<usize>>,
    policy: Arc<PolicyInfo>,
}

impl Verdict {
    pub(crate) fn allow(policy: Arc<PolicyInfo>) -> Verdict {
        Verdict {
            decision: Decision::Allow,
            score: 0,
            reasons: Vec::new(),
            hidden: Vec::new(),
            policy,
        }
    }

    pub(crate) fn new(
        decision: Decision,
        score: u32,
        reasons: Vec<Reason>,
        hidden: Vec<Range<usize>>,
        policy: Arc<PolicyInfo>,
    ) -> Verdict {
        Verdict { decision, score, reasons, hidden, policy }
    }

    /// Allow, warn or block.
    pub fn decision(&self) -> Decision {
        self.decision
    }

    /// The sum of the scores of the rules that fired (each rule once).
    pub fn score(&self) -> u32 {
        self.score
    }

    /// The reasons, in text order.
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }

    /// `name@version` of the policy's packs, most general first.
    pub fn packs(&self) -> &[String] {
        &self.policy.packs
    }

    /// The fingerprint of the policy that decided.
    pub fn fingerprint(&self) -> &str {
        &self.policy.fingerprint
    }

    /// `post` (the text this verdict is about) with every masked hit's
    /// letters and digits replaced by `•` except its last four, as excerpts
    /// show it. The result's [`Redacted::offset`] maps byte offsets of
    /// `post` into it.
    pub fn redact(&self, post: &str) -> Redacted {
        let masks = Masks::new(
            post,
            self.reasons
                .iter()
                .filter(|r| r.masked())
                .filter_map(|r| r.span())
                .chain(self.hidden.iter().cloned())
                .filter(|s| {
                    s.end <= post.len() && post.is_char_boundary(s.start)
                }),
        );
        let mut text = String::with_capacity(post.len());
        let mut shifts = Vec::new();
        let mut shift = 0isize;
        for (at, c) in post.char_indices() {
            if masks.hides(at, c) {
                text.push(MASK);
                shift += MASK.len_utf8() as isize - c.len_utf8() as isize;
                shifts.push((at + c.len_utf8(), shift));
            } else {
                text.push(c);
            }
        }
        Redacted { text, shifts }
    }

    /// The verdict as one line of JSON (no newline), as `preclear check
    /// --format json` prints it, with `id` naming the post.
    pub fn to_json(&self, id: &str) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            id: &'a str,
            verdict: &'static str,
            score: u32,
            packs: &'a [String],
            fingerprint: &'a str,
            reasons: Vec<OutReason<'a>>,
        }
        #[derive(Serialize)]
        struct OutReason<'a> {
            rule: &'a str,
            pack: &'a str,
            decided_by: &'a str,
            category: &'a str,
            action: &'static str,
            score: u32,
            message: &'a str,
            start: Option<usize>,
            end: Option<usize>,
            line: Option<usize>,
            column: Option<usize>,
            excerpt: Option<&'a str>,
        }
        let out = Out {
            id,
            verdict: self.decision.as_str(),
            score: self.score,
            packs: &self.policy.packs,
            fingerprint: &self.policy.fingerprint,
            reasons: self
                .reasons
                .iter()
                .map(|r| OutReason {
                    rule: r.rule(),
                    pack: r.pack(),
                    decided_by: r.decided_by(),
                    category: r.category(),
                    action: r.action().as_str(),
                    score: r.score,
                    message: r.message(),
                    start: r.span.as_ref().map(|s| s.start),
                    end: r.span.as_ref().map(|s| s.end),
                    line: r.line(),
                    column: r.column(),
                    excerpt: r.excerpt(),
                })
                .collect(),
        };
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string(&out).unwrap_or_default()
    }
}

/// A post with its masked hits hidden (see [`Verdict::redact`]).
#[derive(Clone, Debug)]
pub struct Redacted {
    text: String,
    /// `(end of a masked character in the post, total shift so far)`.
    shifts: Vec<(usize, isize)>,
}

impl Redacted {
    /// The redacted text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where byte `offset` of the original post is in the redacted text.
    pub fn offset(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|&(end, _)| end <= offset);
        let shift = if i == 0 { 0 } else { self.shifts[i - 1].1 };
        (offset as isize + shift) as usize
    }
}

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
    pub(crate) fn new(
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
    fn hides(&self, at: usize, c: char) -> bool {
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
fn excerpt(post: &str, span: Range<usize>, masks: &Masks) -> String {
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
    fn redaction_maps_offsets() {
        let info =
            Arc::new(PolicyInfo { packs: vec![], fingerprint: String::new() });
        let rule = Arc::new(RuleInfo {
            id: "x".into(),
            pack: "p".into(),
            decided_by: "p".into(),
            category: String::new(),
            action: Decision::Block,
            score: 1,
            message: String::new(),
            mask: true,
        });
        let post = "card 4111-1111 ok";
        let masks = Masks::new(post, std::iter::once(5..14));
        let reason =
            Reason::new(rule, 1, post, Some(5..14), (1, 6), &masks, None);
        let v =
            Verdict::new(Decision::Block, 1, vec![reason], Vec::new(), info);
        let r = v.redact(post);
        assert_eq!(r.text(), "card \u{2022}\u{2022}\u{2022}\u{2022}-1111 ok");
        assert_eq!(
            &r.text()[r.offset(5)..r.offset(14)],
            "\u{2022}\u{2022}\u{2022}\u{2022}-1111"
        );
        assert_eq!(&r.text()[r.offset(15)..], "ok");
    }

    #[test]
    fn excerpts_stay_on_the_line() {
        let post = "first line\nsecret here\nlast";
        let none = Masks::new(post, std::iter::empty());
        assert_eq!(excerpt(post, 11..17, &none), "secret here");
    }
}
