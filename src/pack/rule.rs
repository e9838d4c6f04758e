//! The checked rule types of a pack: rules and what they match, context,
//! exceptions, overrides, examples, thresholds and the pack's level.

use serde::Deserialize;

use crate::date::Date;
use crate::stance::{StanceAction, StanceRule};
use crate::verdict::Decision;

/// The level of a pack in a policy stack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Level {
    /// The whole organisation's policy.
    #[default]
    Organization,
    /// A team's overlay.
    Team,
    /// One person's overlay.
    Individual,
}

impl Level {
    /// `"organization"`, `"team"` or `"individual"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Organization => "organization",
            Level::Team => "team",
            Level::Individual => "individual",
        }
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Level, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "organization" => Ok(Level::Organization),
            "team" => Ok(Level::Team),
            "individual" => Ok(Level::Individual),
            _ => Err(serde::de::Error::unknown_variant(
                &s,
                &["organization", "team", "individual"],
            )),
        }
    }
}

/// How far a window around a hit reaches: `window = 5` (words either
/// side), or `window = "clause"`, `"sentence"`, `"sentence-and-previous"`
/// or `"post"` in a pack.
///
/// ```
/// use preclear::Scope;
///
/// assert_eq!(Scope::default(), Scope::Sentence);
/// assert_eq!(Scope::Words(3).to_string(), "within 3 words");
/// assert_eq!(Scope::Clause.to_string(), "in the same clause");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// At most this many words between the hit and the word.
    Words(u32),
    /// The clause that holds the hit (a sentence's part between commas,
    /// semicolons, colons, dashes, brackets or a "but").
    Clause,
    /// The sentence that holds the hit (the default for `context`).
    #[default]
    Sentence,
    /// The sentence that holds the hit and the one before it: what a
    /// number refers back to ("The routing number I gave you was wrong.
    /// The correct one is …").
    SentenceAndPrevious,
    /// Anywhere in the post.
    Post,
}

impl Scope {
    /// The names a pack may write, as [`Scope::name`] gives them.
    pub const NAMES: [&'static str; 4] =
        ["clause", "sentence", "sentence-and-previous", "post"];

    /// `"clause"`, `"sentence"`, `"sentence-and-previous"`, `"post"`, or
    /// `None` for a number of words.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Scope::Words(_) => None,
            Scope::Clause => Some("clause"),
            Scope::Sentence => Some("sentence"),
            Scope::SentenceAndPrevious => Some("sentence-and-previous"),
            Scope::Post => Some("post"),
        }
    }

    /// The scope a pack names `name`, if it is one of [`Scope::NAMES`].
    pub fn from_name(name: &str) -> Option<Scope> {
        [
            Scope::Clause,
            Scope::Sentence,
            Scope::SentenceAndPrevious,
            Scope::Post,
        ]
        .into_iter()
        .find(|s| s.name() == Some(name))
    }
}

/// How `preclear policy` says it: `within 4 words`, `in the same
/// sentence`, `anywhere in the post`.
impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Words(1) => f.write_str("within 1 word"),
            Scope::Words(n) => write!(f, "within {n} words"),
            Scope::Clause => f.write_str("in the same clause"),
            Scope::Sentence => f.write_str("in the same sentence"),
            Scope::SentenceAndPrevious => {
                f.write_str("in the same sentence or the one before")
            }
            Scope::Post => f.write_str("anywhere in the post"),
        }
    }
}

/// A whole number of words, or one of the names.
impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Scope, D::Error> {
        d.deserialize_any(ScopeVisitor)
    }
}

struct ScopeVisitor;

impl serde::de::Visitor<'_> for ScopeVisitor {
    type Value = Scope;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(
            "a number of words, or \"clause\", \"sentence\", \
             \"sentence-and-previous\" or \"post\"",
        )
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scope, E> {
        u32::try_from(v).map(Scope::Words).map_err(|_| {
            E::custom(format!(
                "expected a number of words from 0 to {}, found {v}",
                u32::MAX
            ))
        })
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scope, E> {
        self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scope, E> {
        Scope::from_name(v).ok_or_else(|| E::unknown_variant(v, &Scope::NAMES))
    }
}

fn default_unless_window() -> Scope {
    Scope::Words(5)
}

/// Words near a hit that change its score (`context = [{…}]` on a rule).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Context {
    /// The words or phrases to look for.
    pub words: Vec<String>,
    /// How far from the hit one of `words` may stand: a number of words
    /// (either side), or the clause, sentence or post. Default: the
    /// sentence.
    #[serde(default)]
    pub window: Scope,
    /// Added to the rule's score when one of `words` is near (may be
    /// negative). Counted once per hit, whatever the number of words found.
    #[serde(default)]
    pub score: i32,
    /// When true, a hit with none of `words` near does not count at all.
    #[serde(default)]
    pub required: bool,
}

/// Words near a hit that suppress it (`unless = {…}` on a rule).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Unless {
    /// The words or phrases that suppress the hit.
    #[serde(default)]
    pub words: Vec<String>,
    /// Concepts whose terms (with their forms) suppress the hit too, so a
    /// list the pack keeps once is not copied into a rule's `unless`.
    #[serde(default)]
    pub concepts: Vec<String>,
    /// How far from the hit: a number of words, or the clause, sentence
    /// or post. Default 5 words.
    #[serde(default = "default_unless_window")]
    pub window: Scope,
}

/// `[thresholds]`: the score at which a post is warned or blocked.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Thresholds {
    /// A score at or above this warns.
    pub warn: u32,
    /// A score at or above this blocks.
    pub block: u32,
    /// Later packs may lower the thresholds but not raise them.
    #[serde(default)]
    pub locked: bool,
}

impl Thresholds {
    /// The decision a post with this total score gets from the thresholds
    /// alone (a rule's own `action` can only raise it).
    ///
    /// ```
    /// use preclear::{Decision, Thresholds};
    ///
    /// let t = Thresholds::default();
    /// assert_eq!(t.decision(29), Decision::Allow);
    /// assert_eq!(t.decision(30), Decision::Warn);
    /// assert_eq!(t.decision(100), Decision::Block);
    /// ```
    pub fn decision(&self, score: u32) -> Decision {
        if score >= self.block {
            Decision::Block
        } else if score >= self.warn {
            Decision::Warn
        } else {
            Decision::Allow
        }
    }
}

impl Default for Thresholds {
    /// `warn = 30`, `block = 100`, not locked.
    fn default() -> Thresholds {
        Thresholds { warn: 30, block: 100, locked: false }
    }
}

/// `[[examples]]`: a post and the verdict the pack must give it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Example {
    /// The post.
    pub text: String,
    /// The verdict the policy must give.
    pub verdict: Decision,
    /// Rules that must be among the reasons (optional).
    #[serde(default)]
    pub rules: Vec<String>,
    /// The date to screen as of, `YYYY-MM-DD` (optional), checked when
    /// the pack loads.
    pub now: Option<Date>,
    /// 1-based line and column of the example in the pack file.
    #[serde(skip)]
    pub position: (usize, usize),
}

/// What a rule looks for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleKind {
    /// One of a list of words or phrases.
    Terms(Vec<String>),
    /// A regular expression, optionally confirmed by a validator.
    Pattern {
        /// The regex (ASCII classes unless it asks for `(?u)`).
        pattern: String,
        /// The name of a checksum validator, e.g. `luhn`.
        validator: Option<String>,
    },
    /// Fires when a trigger occurs and no required element does.
    Required {
        /// What makes the element necessary.
        trigger: Matchers,
        /// The elements, one of which must be present.
        require: Matchers,
        /// The element must start within the first N characters.
        within: Option<u32>,
    },
    /// Fires on links to hosts on `deny`, off `allow` (when it is not
    /// empty), or imitating a host of `allow` or `protect`.
    Link {
        /// Hosts (and their subdomains) that may be linked.
        allow: Vec<String>,
        /// Hosts (and their subdomains) that may not be linked.
        deny: Vec<String>,
        /// Hosts whose look-alikes are flagged.
        protect: Vec<String>,
    },
    /// Fires where the concepts occur near each other, in order of the
    /// list: the first near the second, the second near the third…
    Near {
        /// The concepts' names (`[concepts.NAME]` of this pack or an
        /// earlier one).
        concepts: Vec<String>,
        /// At most this many words between neighbours (`None`: any number
        /// within the scope).
        within: Option<u32>,
        /// They must also share this clause, sentence (the default) or
        /// post.
        scope: Scope,
        /// Each concept must come after the one before it.
        ordered: bool,
    },
    /// Fires when the weights of the words and two-word phrases in the
    /// post, each counted once, plus `bias`, reach `threshold`: a linear
    /// scorer learnt from labelled posts (see `crate::score`).
    Score(crate::score::Weights),
}

impl RuleKind {
    /// The kind as a pack writes it: `terms`, `pattern`, `required`,
    /// `link`, `near` or `score`.
    pub fn as_str(&self) -> &'static str {
        match self {
            RuleKind::Terms(_) => "terms",
            RuleKind::Pattern { .. } => "pattern",
            RuleKind::Required { .. } => "required",
            RuleKind::Link { .. } => "link",
            RuleKind::Near { .. } => "near",
            RuleKind::Score(_) => "score",
        }
    }
}

/// Terms and patterns, for the two sides of a `required` rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Matchers {
    /// Words or phrases (whole words, any case).
    pub terms: Vec<String>,
    /// Regular expressions.
    pub patterns: Vec<String>,
}

/// A later pack's change to earlier rules (`[[overrides]]`), by rule id or
/// by category. Absent fields leave the rule as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Override {
    /// The rule it changes.
    pub rule: Option<String>,
    /// Or every rule of this category.
    pub category: Option<String>,
    /// `false` disables the rule.
    pub enabled: Option<bool>,
    /// A new action.
    pub action: Option<Decision>,
    /// A new score.
    pub score: Option<u32>,
    /// A new message.
    pub message: Option<String>,
    /// A new suggestion.
    pub suggest: Option<Suggestion>,
    /// New terms, replacing the rule's (terms rules).
    pub terms: Option<Vec<String>>,
    /// Terms added to the rule's (terms rules).
    pub add_terms: Vec<String>,
    /// Hosts added to a link rule's `allow` list.
    pub add_allow: Vec<String>,
    /// Hosts added to a link rule's `deny` list.
    pub add_deny: Vec<String>,
    /// New context entries, replacing the rule's.
    pub context: Option<Vec<Context>>,
    /// A new `unless`, replacing the rule's.
    pub unless: Option<Unless>,
    /// Lock the rule for the packs above this one.
    pub locked: Option<bool>,
    /// A new first day.
    pub active_from: Option<Date>,
    /// A new last day.
    pub active_until: Option<Date>,
    /// New actions for negated, quoted or reported hits.
    pub negated: Option<StanceAction>,
    /// See `negated`.
    pub quoted: Option<StanceAction>,
    /// See `negated`.
    pub reported: Option<StanceAction>,
    /// 1-based line and column in the pack file.
    pub position: (usize, usize),
}

/// One checked rule of a pack.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Rule {
    /// Unique, dotted id, e.g. `pii.payment-card`.
    pub id: String,
    /// What it looks for.
    pub kind: RuleKind,
    /// Free-form category, e.g. `pii`.
    pub category: String,
    /// Added to the post's score when the rule fires.
    pub score: u32,
    /// The least verdict a post gets when the rule fires.
    pub action: Decision,
    /// What the author should do.
    pub message: String,
    /// What to write instead, if the pack says (`suggest`).
    pub suggest: Option<Suggestion>,
    /// False when the pack defines the rule switched off (`enabled =
    /// false`), e.g. for a later pack to switch on.
    pub enabled: bool,
    /// No later pack may disable or weaken this rule.
    pub locked: bool,
    /// Hide the matched text in excerpts and logs.
    pub mask: bool,
    /// Terms match whole words only (default true).
    pub whole_word: bool,
    /// Terms also match disguised (leetspeak, spelled out, repeated
    /// letters, run together); default true. Off for exact tokens such as
    /// tickers or hashtags.
    pub evasion: bool,
    /// Nearby words that change the score.
    pub context: Vec<Context>,
    /// Nearby words that suppress a hit.
    pub unless: Option<Unless>,
    /// First day the rule applies.
    pub active_from: Option<Date>,
    /// Last day the rule applies (inclusive).
    pub active_until: Option<Date>,
    /// What a negated, quoted or reported hit does (`negated`, `quoted`,
    /// `reported` in the pack; "keep" by default).
    pub stance: StanceRule,
    /// 1-based line and column of the rule's `id` in the pack file.
    pub position: (usize, usize),
    pub(crate) pattern_position: (usize, usize),
}

/// What a rule suggests the author write instead: `suggest = "…"` (a
/// hint) or `suggest = { replace = "…" }` (text that replaces the match)
/// in a pack.
///
/// ```
/// use preclear::Suggestion;
///
/// let fix = Suggestion::Replace("aims to".into());
/// assert!(fix.is_replacement());
/// assert_eq!(fix.text(), "aims to");
/// assert_eq!(fix.to_string(), "replace with \"aims to\"");
/// let hint = Suggestion::Hint("Add #ad at the start.".into());
/// assert_eq!(hint.to_string(), "Add #ad at the start.");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Suggestion {
    /// Text that replaces the matched text (a fix a tool can apply).
    Replace(String),
    /// Advice in words, for a person.
    Hint(String),
}

impl Suggestion {
    /// The replacement text, or the hint.
    pub fn text(&self) -> &str {
        match self {
            Suggestion::Replace(t) | Suggestion::Hint(t) => t,
        }
    }

    /// True for a replacement of the matched text, false for a hint.
    pub fn is_replacement(&self) -> bool {
        matches!(self, Suggestion::Replace(_))
    }

    /// `"replace"` or `"hint"`, as the JSON output names the kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Suggestion::Replace(_) => "replace",
            Suggestion::Hint(_) => "hint",
        }
    }
}

/// The line a person reads: the hint, or `replace with "…"`.
impl std::fmt::Display for Suggestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Suggestion::Replace(t) => write!(f, "replace with {t:?}"),
            Suggestion::Hint(t) => f.write_str(t),
        }
    }
}

/// A string is a hint; a table holds exactly one of `hint` or `replace`.
impl<'de> Deserialize<'de> for Suggestion {
    fn deserialize<D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Suggestion, D::Error> {
        d.deserialize_any(SuggestionVisitor)
    }
}

struct SuggestionVisitor;

impl<'de> serde::de::Visitor<'de> for SuggestionVisitor {
    type Value = Suggestion;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a hint (a string) or `{ replace = \"…\" }`")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Suggestion, E> {
        Ok(Suggestion::Hint(v.to_string()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<Suggestion, A::Error> {
        use serde::de::Error as _;
        const KEYS: &[&str] = &["hint", "replace"];
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            let text: String = map.next_value()?;
            let s = match key.as_str() {
                "hint" => Suggestion::Hint(text),
                "replace" => Suggestion::Replace(text),
                other => return Err(A::Error::unknown_field(other, KEYS)),
            };
            if found.replace(s).is_some() {
                return Err(A::Error::custom(
                    "a suggestion is either a `hint` or a `replace`, not both",
                ));
            }
        }
        found.ok_or_else(|| {
            A::Error::custom("`suggest` needs `hint` or `replace`")
        })
    }
}

impl Rule {
    /// False when no hit of the rule can change a verdict: score 0, action
    /// allow and no context that adds to the score (such hits are not even
    /// reported). A pack that means to keep a rule off says `enabled =
    /// false`.
    pub(crate) fn can_change_verdict(&self) -> bool {
        self.score > 0
            || self.action > crate::verdict::Decision::Allow
            || self.context.iter().any(|c| c.score > 0)
    }
}

/// Why a rule that [`Rule::can_change_verdict`] refuses is an error.
pub(crate) const INERT_RULE: &str = "this rule can never change a verdict: \
     its score is 0 and its action is allow (give it a `score` or an \
     `action`, or say `enabled = false` to keep it switched off)";

/// An exception: occurrences of these terms or patterns suppress overlapping
/// hits of the named rules or categories (all rules when both are empty).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Exception {
    /// Rule ids it applies to.
    pub rules: Vec<String>,
    /// Categories it applies to.
    pub categories: Vec<String>,
    /// Terms whose occurrences suppress overlapping hits.
    pub terms: Vec<String>,
    /// Patterns whose matches suppress overlapping hits.
    pub patterns: Vec<String>,
    /// Concepts (of this pack or an earlier one) whose terms and patterns
    /// count as the exception's own: a list written once in a base pack
    /// serves the exceptions of every pack that extends it.
    pub concepts: Vec<String>,
    /// How far from a hit an occurrence suppresses it: `None` (the
    /// default) when it must overlap the hit, else a number of words, the
    /// clause, the sentence or the post.
    pub window: Option<Scope>,
    /// Why the exception exists (for the audit trail).
    pub reason: String,
    pub(crate) position: (usize, usize),
}
