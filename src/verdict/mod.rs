//! What screening a post answers: the decision, the score and the reasons,
//! and their JSON form (the contract of SPEC §2, shared by the CLI and the
//! C ABI).

mod excerpt;
mod json;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use serde::Deserialize;

pub(crate) use self::excerpt::Masks;
use self::excerpt::{excerpt, MASK};
use crate::error::{Error, ErrorKind};
use crate::pack::Suggestion;
use crate::stance::Stance;

/// A decision about a post, and the `action` floor of a rule.
///
/// Ordered `Allow < Warn < Block`, so the worst one wins with `max`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum Decision {
    /// Publish as is.
    #[default]
    Allow,
    /// Publish only after a second look.
    Warn,
    /// Do not publish.
    Block,
}

impl Decision {
    /// `"allow"`, `"warn"` or `"block"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Warn => "warn",
            Decision::Block => "block",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Decision {
    type Err = Error;
    fn from_str(s: &str) -> Result<Decision, Error> {
        match s {
            "allow" => Ok(Decision::Allow),
            "warn" => Ok(Decision::Warn),
            "block" => Ok(Decision::Block),
            _ => Err(Error::new(ErrorKind::InvalidArgument(format!(
                "unknown decision '{s}' (expected allow, warn or block)"
            )))),
        }
    }
}

impl<'de> Deserialize<'de> for Decision {
    fn deserialize<D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Decision, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|_| {
            serde::de::Error::unknown_variant(&s, &["allow", "warn", "block"])
        })
    }
}

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
    /// What to write instead (`suggest` in the pack).
    pub(crate) suggestion: Option<Suggestion>,
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
    /// The frame that changed this hit (negated, quoted, reported).
    stance: Option<Stance>,
    /// For a near rule: the concepts it matched, in chain order.
    concepts: Vec<ConceptMatch>,
}

/// One concept occurrence behind a near rule's reason: the concept's name
/// and where it is in the post.
///
/// ```
/// use preclear::{Policy, Screener};
///
/// let mut policy = Policy::new();
/// policy.add_toml("p.toml", r#"
///     [pack]
///     name = "p"
///     version = "1"
///     [concepts.certainty]
///     terms = ["guarantee"]
///     inflect = "en"
///     [concepts.return]
///     entities = ["percent"]
///     [[rules]]
///     id = "promise"
///     kind = "near"
///     near = ["certainty", "return"]
///     within = 5
///     action = "block"
/// "#)?;
/// let post = "You are guaranteed 6% a year.";
/// let v = Screener::new(&policy)?.screen(post)?;
/// let found: Vec<(&str, &str)> = v.reasons()[0]
///     .concepts()
///     .iter()
///     .map(|c| (c.concept(), &post[c.span()]))
///     .collect();
/// assert_eq!(found, [("certainty", "guaranteed"), ("return", "6%")]);
/// # Ok::<(), preclear::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConceptMatch {
    /// Shared with the screener: a reason costs no copy of the name.
    concept: Arc<str>,
    span: Range<usize>,
}

impl ConceptMatch {
    pub(crate) fn new(concept: Arc<str>, span: Range<usize>) -> ConceptMatch {
        ConceptMatch { concept, span }
    }

    /// The concept's name.
    pub fn concept(&self) -> &str {
        &self.concept
    }

    /// Byte range of the occurrence in the post.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

impl Reason {
    /// The reason with the concepts a near rule matched, and the message
    /// that names them.
    pub(crate) fn with_concepts(
        mut self,
        concepts: Vec<ConceptMatch>,
        message: String,
    ) -> Reason {
        self.concepts = concepts;
        self.message = Some(message);
        self
    }

    /// For a near rule: the concepts it matched, in the order the rule
    /// lists them; empty for other rules.
    pub fn concepts(&self) -> &[ConceptMatch] {
        &self.concepts
    }

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
        Reason {
            rule,
            message,
            score,
            span,
            line,
            column,
            excerpt,
            stance: None,
            concepts: Vec::new(),
        }
    }

    /// This reason, with the frame that changed its hit.
    pub(crate) fn with_stance(mut self, stance: Option<Stance>) -> Reason {
        self.stance = stance;
        self
    }

    /// The frame that changed the hit, if one did: negated, quoted or
    /// reported, the cue that showed it, and what the rule did (a rule
    /// with `negated = "warn"` lowers such a hit to warn). `None` for a
    /// plain hit.
    pub fn stance(&self) -> Option<Stance> {
        self.stance
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

    /// The least verdict this hit imposes: the rule's action, or warn
    /// (allow) when its [`stance`](Reason::stance) lowered (ignored) it.
    pub fn action(&self) -> Decision {
        crate::stance::lowered(self.rule.action, self.stance)
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

    /// What the rule says whatever the post: its pack's `message`, without
    /// this hit's details (a code-scanning dashboard's rule description).
    pub fn rule_message(&self) -> &str {
        &self.rule.message
    }

    /// What the rule suggests writing instead, if its pack says
    /// (`suggest`): a hint, or a replacement for the text of the span
    /// ([`Suggestion::is_replacement`]). Its `Display` is the line a person
    /// reads (`replace with "aims to"`, or the hint).
    pub fn suggestion(&self) -> Option<&Suggestion> {
        self.rule.suggestion.as_ref()
    }

    /// The text that replaces [`span`](Reason::span) when the rule suggests
    /// a replacement (a fix a tool can apply); `None` for a hint or no
    /// suggestion. A reason without a span never has one.
    pub fn replacement(&self) -> Option<&str> {
        match (&self.rule.suggestion, &self.span) {
            (Some(s), Some(_)) if s.is_replacement() => Some(s.text()),
            _ => None,
        }
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
    /// letters and digits replaced by `•` (but the last four of a value of
    /// 12 or more, a card's or an IBAN's), as excerpts show it. The
    /// result's [`Redacted::offset`] maps byte offsets of `post` into it.
    pub fn redact(&self, post: &str) -> Redacted {
        self.redact_with(post, false)
    }

    /// `post` with every finding hidden, to publish or pass on: a masked
    /// hit as [`Verdict::redact`] shows it; every other hit's letters and
    /// digits become `•`. A reason about the whole post hides nothing.
    pub fn redact_findings(&self, post: &str) -> Redacted {
        self.redact_with(post, true)
    }

    fn redact_with(&self, post: &str, all: bool) -> Redacted {
        // Unmasked hits, hidden whole when `all`; sorted by start.
        let mut whole: Vec<Range<usize>> = if all {
            self.reasons
                .iter()
                .filter(|r| !r.masked())
                .filter_map(|r| r.span())
                .collect()
        } else {
            Vec::new()
        };
        whole.sort_unstable_by_key(|s| s.start);
        let mut next = 0;
        let masks = Masks::new(
            post,
            self.reasons
                .iter()
                .filter(|r| r.masked())
                .filter_map(|r| r.span())
                .chain(self.hidden.iter().cloned())
                .filter(|s| {
                    s.end <= post.len()
                        && post.is_char_boundary(s.start)
                        && post.is_char_boundary(s.end)
                }),
        );
        let mut text = String::with_capacity(post.len());
        let mut shifts = Vec::new();
        let mut shift = 0isize;
        for (at, c) in post.char_indices() {
            // Spans behind `at` are done with; any left that starts at or
            // before it may cover it.
            while whole.get(next).is_some_and(|s| s.end <= at) {
                next += 1;
            }
            let in_whole = c.is_alphanumeric()
                && whole[next..]
                    .iter()
                    .take_while(|s| s.start <= at)
                    .any(|s| at < s.end);
            if in_whole || masks.hides(at, c) {
                text.push(MASK);
                shift += MASK.len_utf8() as isize - c.len_utf8() as isize;
                shifts.push((at + c.len_utf8(), shift));
            } else {
                text.push(c);
            }
        }
        Redacted { text, shifts }
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

#[cfg(test)]
mod tests {
    use super::*;

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
            suggestion: None,
            mask: true,
        });
        let post = "card 4111-1111-1111-1111 ok";
        let masks = Masks::new(post, std::iter::once(5..24));
        let reason =
            Reason::new(rule, 1, post, Some(5..24), (1, 6), &masks, None);
        let v =
            Verdict::new(Decision::Block, 1, vec![reason], Vec::new(), info);
        let r = v.redact(post);
        assert_eq!(r.text(), "card ••••-••••-••••-1111 ok");
        assert_eq!(
            &r.text()[r.offset(5)..r.offset(24)],
            "••••-••••-••••-1111"
        );
        assert_eq!(&r.text()[r.offset(25)..], "ok");
    }
}
