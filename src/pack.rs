//! Rule packs: the TOML format (stage 1, serde structs that mirror the file)
//! and the checked [`Pack`] (stage 2). Parsing and checking only; matching
//! lives in the screener.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, ErrorKind, Positions};
use crate::limits::{
    MAX_PACK_BYTES, MAX_PATTERNS_PER_PACK, MAX_PATTERN_BYTES,
    MAX_RULES_PER_PACK, MAX_TERMS_PER_PACK, MAX_TERMS_PER_RULE,
};

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

/// A calendar date (UTC), for `active_from` / `active_until` and `--now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

impl FromStr for Date {
    type Err = Error;
    /// Parses `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Date, Error> {
        let bad = || {
            Error::new(ErrorKind::InvalidArgument(format!(
                "invalid date '{s}' (expected YYYY-MM-DD)"
            )))
        };
        let b = s.as_bytes();
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        {
            return Err(bad());
        }
        let year: u16 = s[0..4].parse().map_err(|_| bad())?;
        let month: u8 = s[5..7].parse().map_err(|_| bad())?;
        let day: u8 = s[8..10].parse().map_err(|_| bad())?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if day == 0 || day > days_in_month {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

// ---------------------------------------------------------------------------
// Stage 1: the file as written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: RawMeta,
    thresholds: Option<Spanned<Thresholds>>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
    #[serde(default)]
    exceptions: Vec<Spanned<RawException>>,
    #[serde(default)]
    overrides: Vec<Spanned<RawOverride>>,
    #[serde(default)]
    examples: Vec<Example>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    name: Spanned<String>,
    version: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    level: Level,
    #[serde(default)]
    extends: Vec<Spanned<String>>,
    #[serde(default)]
    locked_categories: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    terms: Vec<String>,
    pattern: Option<Spanned<String>>,
    validator: Option<Spanned<String>>,
    #[serde(default)]
    category: String,
    #[serde(default)]
    score: u32,
    #[serde(default)]
    action: Decision,
    #[serde(default)]
    message: String,
    #[serde(default)]
    locked: bool,
    #[serde(default)]
    mask: bool,
    #[serde(default = "yes")]
    whole_word: bool,
    #[serde(default = "yes")]
    evasion: bool,
    #[serde(default)]
    context: Vec<Context>,
    unless: Option<Unless>,
    active_from: Option<Spanned<String>>,
    active_until: Option<Spanned<String>>,
    trigger: Option<RawMatchers>,
    require: Option<RawMatchers>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    deny: Vec<String>,
    #[serde(default)]
    protect: Vec<String>,
}

/// `trigger = {…}` / `require = {…}` of a required rule.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatchers {
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    /// Only for `require`: the element must start within the first N
    /// characters of the post.
    within: Option<u32>,
}

/// `[[overrides]]`: a later pack's change to earlier rules.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    rule: Option<String>,
    category: Option<String>,
    enabled: Option<bool>,
    action: Option<Decision>,
    score: Option<u32>,
    message: Option<String>,
    terms: Option<Vec<String>>,
    #[serde(default)]
    add_terms: Vec<String>,
    #[serde(default)]
    add_allow: Vec<String>,
    #[serde(default)]
    add_deny: Vec<String>,
    context: Option<Vec<Context>>,
    unless: Option<Unless>,
    locked: Option<bool>,
    active_from: Option<Spanned<String>>,
    active_until: Option<Spanned<String>>,
}

fn yes() -> bool {
    true
}

fn default_window() -> u32 {
    5
}

/// Words near a hit that change its score (`context = [{…}]` on a rule).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// The words or phrases to look for.
    pub words: Vec<String>,
    /// How many words may stand between the hit and one of `words`
    /// (either side). Default 5.
    #[serde(default = "default_window")]
    pub window: u32,
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
pub struct Unless {
    /// The words or phrases that suppress the hit.
    pub words: Vec<String>,
    /// How many words may stand between. Default 5.
    #[serde(default = "default_window")]
    pub window: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    reason: String,
}

/// `[thresholds]`: the score at which a post is warned or blocked.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A score at or above this warns.
    pub warn: u32,
    /// A score at or above this blocks.
    pub block: u32,
    /// Later packs may lower the thresholds but not raise them.
    #[serde(default)]
    pub locked: bool,
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
pub struct Example {
    /// The post.
    pub text: String,
    /// The verdict the policy must give.
    pub verdict: Decision,
    /// Rules that must be among the reasons (optional).
    #[serde(default)]
    pub rules: Vec<String>,
    /// The date to screen as of, `YYYY-MM-DD` (optional).
    pub now: Option<String>,
}

// ---------------------------------------------------------------------------
// Stage 2: the checked pack.

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
}

/// Terms and patterns, for the two sides of a `required` rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
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
    /// 1-based line and column of the rule's `id` in the pack file.
    pub position: (usize, usize),
    pub(crate) pattern_position: (usize, usize),
}

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
    /// Why the exception exists (for the audit trail).
    pub reason: String,
    pub(crate) position: (usize, usize),
}

/// A parsed and checked rule pack.
#[derive(Clone, Debug)]
pub struct Pack {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) description: String,
    pub(crate) level: Level,
    pub(crate) extends: Vec<(String, (usize, usize))>,
    pub(crate) thresholds: Option<Thresholds>,
    pub(crate) thresholds_position: (usize, usize),
    pub(crate) rules: Vec<Rule>,
    pub(crate) exceptions: Vec<Exception>,
    pub(crate) overrides: Vec<Override>,
    pub(crate) locked_categories: Vec<String>,
    pub(crate) examples: Vec<Example>,
    pub(crate) origin: String,
    pub(crate) source: String,
    pub(crate) sizes: Sizes,
}

impl Pack {
    /// Parses and checks a pack. `origin` names it in errors (a file path,
    /// or `bundled:NAME`).
    pub fn from_toml(origin: &str, source: &str) -> Result<Pack, Error> {
        if source.len() as u64 > MAX_PACK_BYTES {
            return Err(pack_too_large(source.len() as u64).with_pack(origin));
        }
        let positions = Positions::new(source);
        let at = |offset: usize| positions.at(offset);
        let raw: RawPack = toml::from_str(source).map_err(|e| {
            let mut err = Error::new(ErrorKind::Toml(
                e.message().trim_end_matches('\n').to_string(),
            ))
            .with_pack(origin);
            if let Some(span) = e.span() {
                let (l, c) = at(span.start);
                err = err.with_position(l, c);
                if let Some(id) = enclosing_rule_id(source, span.start) {
                    err = err.with_rule(id);
                }
            }
            err
        })?;
        let fail = |msg: String, offset: usize| {
            let (l, c) = at(offset);
            Error::new(ErrorKind::InvalidPack(msg))
                .with_pack(origin)
                .with_position(l, c)
        };

        let sizes = check_limits(&raw, &|msg, offset| {
            let (l, c) = at(offset);
            Error::new(ErrorKind::Limit(msg))
                .with_pack(origin)
                .with_position(l, c)
        })?;

        let name = raw.pack.name.get_ref();
        if !is_identifier(name) {
            return Err(fail(
                format!(
                    "pack name '{name}' must be lower-case letters, digits, \
                     '.', '_' or '-'"
                ),
                raw.pack.name.span().start,
            ));
        }
        let mut thresholds_position = (1, 1);
        let thresholds = match raw.thresholds {
            Some(t) => {
                let start = t.span().start;
                thresholds_position = at(start);
                let t = t.into_inner();
                if t.warn == 0 || t.block < t.warn {
                    return Err(fail(
                        format!(
                            "thresholds must satisfy 1 <= warn <= block (got \
                             warn = {}, block = {})",
                            t.warn, t.block
                        ),
                        start,
                    ));
                }
                Some(t)
            }
            None => None,
        };

        let mut rules: Vec<Rule> = Vec::with_capacity(raw.rules.len());
        let mut ids = std::collections::HashSet::new();
        for spanned in raw.rules {
            let rule_start = spanned.span().start;
            let r = spanned.into_inner();
            let id = r.id.get_ref().clone();
            let id_pos = at(r.id.span().start);
            let rule_err = |msg: String, offset: usize| {
                fail(msg, offset).with_rule(id.clone())
            };
            if !is_identifier(&id) {
                return Err(fail(
                    format!(
                        "rule id '{id}' must be lower-case letters, digits, \
                         '.', '_' or '-'"
                    ),
                    r.id.span().start,
                ));
            }
            if !ids.insert(id.clone()) {
                return Err(Error::new(ErrorKind::DuplicateRule {
                    first: name.clone(),
                })
                .with_pack(origin)
                .with_rule(id.clone())
                .with_position(id_pos.0, id_pos.1));
            }
            let kind_pos = r.kind.span().start;
            let mut pattern_position = id_pos;
            let kind_name = r.kind.get_ref().as_str();
            // Keys that belong to other kinds are mistakes, not options.
            let given = [
                ("terms", !r.terms.is_empty()),
                ("pattern", r.pattern.is_some()),
                ("validator", r.validator.is_some()),
                ("trigger", r.trigger.is_some()),
                ("require", r.require.is_some()),
                ("allow", !r.allow.is_empty()),
                ("deny", !r.deny.is_empty()),
                ("protect", !r.protect.is_empty()),
            ];
            let takes: &[&str] = match kind_name {
                "terms" => &["terms"],
                "pattern" => &["pattern", "validator"],
                "required" => &["trigger", "require"],
                "link" => &["allow", "deny", "protect"],
                other => {
                    return Err(rule_err(
                        format!(
                            "unknown rule kind '{other}' (expected terms, \
                             pattern, required or link)"
                        ),
                        kind_pos,
                    ))
                }
            };
            if let Some((key, _)) =
                given.iter().find(|(k, set)| *set && !takes.contains(k))
            {
                return Err(rule_err(
                    format!(
                        "a {kind_name} rule does not take `{key}` (it takes \
                         {})",
                        takes
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    kind_pos,
                ));
            }
            let non_empty = |list: &[String], what: &str| match list
                .iter()
                .find(|t| blank(t))
            {
                Some(t) if t.trim().is_empty() => {
                    Err(rule_err(format!("empty {what} {t:?}"), kind_pos))
                }
                Some(t) => Err(rule_err(
                    format!(
                        "{what} {t:?} has nothing to match: emoji, symbols \
                         and invisible characters are read as spaces"
                    ),
                    kind_pos,
                )),
                None => Ok(()),
            };
            let kind = match kind_name {
                "terms" => {
                    if r.terms.is_empty() {
                        return Err(rule_err(
                            "a terms rule needs at least one term".into(),
                            kind_pos,
                        ));
                    }
                    non_empty(&r.terms, "term")?;
                    RuleKind::Terms(r.terms)
                }
                "pattern" => {
                    let Some(p) = r.pattern else {
                        return Err(rule_err(
                            "a pattern rule needs `pattern`".into(),
                            kind_pos,
                        ));
                    };
                    pattern_position = at(p.span().start);
                    let validator = match r.validator {
                        Some(v) => {
                            if !crate::validate::NAMES
                                .contains(&v.get_ref().as_str())
                            {
                                let (l, c) = at(v.span().start);
                                return Err(Error::new(
                                    ErrorKind::UnknownValidator(
                                        v.into_inner(),
                                    ),
                                )
                                .with_pack(origin)
                                .with_rule(id.clone())
                                .with_position(l, c));
                            }
                            Some(v.into_inner())
                        }
                        None => None,
                    };
                    RuleKind::Pattern { pattern: p.into_inner(), validator }
                }
                "required" => {
                    let (Some(trigger), Some(require)) =
                        (r.trigger, r.require)
                    else {
                        return Err(rule_err(
                            "a required rule needs `trigger` and `require`"
                                .into(),
                            kind_pos,
                        ));
                    };
                    if trigger.within.is_some() {
                        return Err(rule_err(
                            "`within` belongs to `require`, not `trigger`"
                                .into(),
                            kind_pos,
                        ));
                    }
                    for (side, m) in
                        [("trigger", &trigger), ("require", &require)]
                    {
                        if m.terms.is_empty() && m.patterns.is_empty() {
                            return Err(rule_err(
                                format!("`{side}` needs terms or patterns"),
                                kind_pos,
                            ));
                        }
                        non_empty(&m.terms, "term")?;
                    }
                    RuleKind::Required {
                        within: require.within,
                        trigger: Matchers {
                            terms: trigger.terms,
                            patterns: trigger.patterns,
                        },
                        require: Matchers {
                            terms: require.terms,
                            patterns: require.patterns,
                        },
                    }
                }
                _ => {
                    if r.allow.is_empty()
                        && r.deny.is_empty()
                        && r.protect.is_empty()
                    {
                        return Err(rule_err(
                            "a link rule needs `allow`, `deny` or `protect`"
                                .into(),
                            kind_pos,
                        ));
                    }
                    let mut lists = [r.allow, r.deny, r.protect];
                    for list in &mut lists {
                        for host in list.iter_mut() {
                            *host = crate::link::normalize_host(host)
                                .ok_or_else(|| {
                                    rule_err(
                                        format!("invalid host {host:?}"),
                                        kind_pos,
                                    )
                                })?;
                        }
                    }
                    let [allow, deny, protect] = lists;
                    RuleKind::Link { allow, deny, protect }
                }
            };
            for c in &r.context {
                if c.words.is_empty() || c.words.iter().any(|w| blank(w)) {
                    return Err(rule_err(
                        "context needs a non-empty list of non-empty words"
                            .into(),
                        rule_start,
                    ));
                }
            }
            if let Some(u) = &r.unless {
                if u.words.is_empty() || u.words.iter().any(|w| blank(w)) {
                    return Err(rule_err(
                        "unless needs a non-empty list of non-empty words"
                            .into(),
                        rule_start,
                    ));
                }
            }
            let date = |d| parse_date(d, rule_err);
            let active_from = date(r.active_from)?;
            let active_until = date(r.active_until)?;
            if let (Some(f), Some(u)) = (active_from, active_until) {
                if u < f {
                    return Err(rule_err(
                        format!("active_until {u} is before active_from {f}"),
                        rule_start,
                    ));
                }
            }
            rules.push(Rule {
                id,
                kind,
                category: r.category,
                score: r.score,
                action: r.action,
                message: r.message,
                locked: r.locked,
                mask: r.mask,
                whole_word: r.whole_word,
                evasion: r.evasion,
                context: r.context,
                unless: r.unless,
                active_from,
                active_until,
                position: id_pos,
                pattern_position,
            });
        }

        let mut exceptions = Vec::with_capacity(raw.exceptions.len());
        for spanned in raw.exceptions {
            let start = spanned.span().start;
            let position = at(start);
            let e = spanned.into_inner();
            if e.terms.is_empty() && e.patterns.is_empty() {
                return Err(fail(
                    "an exception needs `terms` or `patterns`".into(),
                    start,
                ));
            }
            exceptions.push(Exception {
                rules: e.rules,
                categories: e.categories,
                terms: e.terms,
                patterns: e
                    .patterns
                    .into_iter()
                    .map(|p| p.into_inner())
                    .collect(),
                reason: e.reason,
                position,
            });
        }

        let mut overrides = Vec::with_capacity(raw.overrides.len());
        for spanned in raw.overrides {
            let start = spanned.span().start;
            let position = at(start);
            let o = spanned.into_inner();
            let target = match (&o.rule, &o.category) {
                (Some(r), None) => r.clone(),
                (None, Some(c)) => format!("category {c}"),
                _ => {
                    return Err(fail(
                        "an override names either `rule` or `category`".into(),
                        start,
                    ))
                }
            };
            let date = |d| {
                parse_date(d, |m, at| fail(m, at).with_rule(target.clone()))
            };
            let hosts = |list: Vec<String>| -> Result<Vec<String>, Error> {
                list.into_iter()
                    .map(|h| {
                        crate::link::normalize_host(&h).ok_or_else(|| {
                            fail(format!("invalid host {h:?}"), start)
                                .with_rule(target.clone())
                        })
                    })
                    .collect()
            };
            overrides.push(Override {
                add_allow: hosts(o.add_allow)?,
                add_deny: hosts(o.add_deny)?,
                active_from: date(o.active_from)?,
                active_until: date(o.active_until)?,
                rule: o.rule,
                category: o.category,
                enabled: o.enabled,
                action: o.action,
                score: o.score,
                message: o.message,
                terms: o.terms,
                add_terms: o.add_terms,
                context: o.context,
                unless: o.unless,
                locked: o.locked,
                position,
            });
        }

        Ok(Pack {
            sizes,
            overrides,
            locked_categories: raw.pack.locked_categories,
            name: name.clone(),
            version: raw.pack.version,
            description: raw.pack.description,
            level: raw.pack.level,
            extends: raw
                .pack
                .extends
                .into_iter()
                .map(|s| {
                    let pos = at(s.span().start);
                    (s.into_inner(), pos)
                })
                .collect(),
            thresholds,
            thresholds_position,
            rules,
            exceptions,
            examples: raw.examples,
            origin: origin.to_string(),
            source: source.to_string(),
        })
    }

    /// The pack's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The pack's version string.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The pack's description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The pack's level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The packs this one extends, as written.
    pub fn extends(&self) -> impl Iterator<Item = &str> {
        self.extends.iter().map(|(s, _)| s.as_str())
    }

    /// The pack's own thresholds, if it sets them.
    pub fn thresholds(&self) -> Option<Thresholds> {
        self.thresholds
    }

    /// The pack's rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The pack's exceptions, in file order.
    pub fn exceptions(&self) -> &[Exception] {
        &self.exceptions
    }

    /// The pack's overrides of earlier packs' rules, in file order.
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// Categories whose rules no later pack may weaken.
    pub fn locked_categories(&self) -> &[String] {
        &self.locked_categories
    }

    /// The pack's examples, in file order.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// Where the pack came from: a file path or `bundled:NAME`.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// The error for a pack of `bytes` bytes, over [`MAX_PACK_BYTES`].
pub(crate) fn pack_too_large(bytes: u64) -> Error {
    Error::new(ErrorKind::Limit(format!(
        "pack is {bytes} bytes, over the limit of {MAX_PACK_BYTES} bytes \
         per pack"
    )))
}

/// Checks the counts and sizes of `crate::limits` before anything is
/// built from the lists, so a hostile pack costs no more than parsing it.
/// `limit` makes the error for a message and a byte offset.
fn check_limits(
    raw: &RawPack,
    limit: &dyn Fn(String, usize) -> Error,
) -> Result<Sizes, Error> {
    if raw.rules.len() > MAX_RULES_PER_PACK {
        let first_over = &raw.rules[MAX_RULES_PER_PACK];
        return Err(limit(
            format!(
                "pack has {} rules, over the limit of {MAX_RULES_PER_PACK} \
                 rules per pack",
                raw.rules.len()
            ),
            first_over.get_ref().id.span().start,
        )
        .with_rule(first_over.get_ref().id.get_ref().clone()));
    }
    let words = |cs: &[Context], u: &Option<Unless>| {
        cs.iter().map(|c| c.words.len()).sum::<usize>()
            + u.as_ref().map_or(0, |u| u.words.len())
    };
    let long = |p: &str| p.len() > MAX_PATTERN_BYTES;
    let too_long = |len: usize| {
        format!(
            "pattern is {len} bytes, over the limit of {MAX_PATTERN_BYTES} \
             bytes per pattern"
        )
    };

    // Every item that holds terms or patterns, for the pack totals.
    let mut items: Vec<Counted> = Vec::new();
    for spanned in &raw.rules {
        let r = spanned.get_ref();
        let id = r.id.get_ref().as_str();
        let at = r.id.span().start;
        let sides = [&r.trigger, &r.require];
        let sides = sides.iter().filter_map(|m| m.as_ref());
        let terms = r.terms.len()
            + sides.clone().map(|m| m.terms.len()).sum::<usize>()
            + r.allow.len()
            + r.deny.len()
            + r.protect.len()
            + words(&r.context, &r.unless);
        if terms > MAX_TERMS_PER_RULE {
            return Err(limit(
                format!(
                    "rule has {terms} terms, over the limit of \
                     {MAX_TERMS_PER_RULE} terms per rule"
                ),
                at,
            )
            .with_rule(id));
        }
        if let Some(p) = r.pattern.as_ref().filter(|p| long(p.get_ref())) {
            return Err(limit(too_long(p.get_ref().len()), p.span().start)
                .with_rule(id));
        }
        let mut patterns = usize::from(r.pattern.is_some());
        for m in sides {
            if let Some(p) = m.patterns.iter().find(|p| long(p)) {
                return Err(limit(too_long(p.len()), at).with_rule(id));
            }
            patterns += m.patterns.len();
        }
        items.push(Counted { at, rule: Some(id), terms, patterns });
    }
    for spanned in &raw.exceptions {
        let e = spanned.get_ref();
        if let Some(p) = e.patterns.iter().find(|p| long(p.get_ref())) {
            return Err(limit(too_long(p.get_ref().len()), p.span().start));
        }
        items.push(Counted {
            at: spanned.span().start,
            rule: None,
            terms: e.terms.len() + e.rules.len() + e.categories.len(),
            patterns: e.patterns.len(),
        });
    }
    for spanned in &raw.overrides {
        let o = spanned.get_ref();
        let terms = o.terms.as_ref().map_or(0, Vec::len)
            + o.add_terms.len()
            + o.add_allow.len()
            + o.add_deny.len()
            + words(o.context.as_deref().unwrap_or(&[]), &o.unless);
        items.push(Counted {
            at: spanned.span().start,
            rule: o.rule.as_deref(),
            terms,
            patterns: 0,
        });
    }

    // Locked categories are matched against every rule of the policy.
    items.push(Counted {
        at: raw.pack.name.span().start,
        rule: None,
        terms: raw.pack.locked_categories.len(),
        patterns: 0,
    });

    // A pack total over its limit is reported at the item that crosses it.
    let total = |what: &str, max: usize, count: fn(&Counted) -> usize| {
        let total: usize = items.iter().map(count).sum();
        if total <= max {
            return Ok(total);
        }
        let mut sum = 0;
        let item = items
            .iter()
            .find(|i| {
                sum += count(i);
                sum > max
            })
            .expect("the running sum reaches the total");
        let err = limit(
            format!(
                "pack has {total} {what}, over the limit of {max} {what} \
                 per pack"
            ),
            item.at,
        );
        Err(match item.rule {
            Some(r) => err.with_rule(r),
            None => err,
        })
    };
    Ok(Sizes {
        rules: raw.rules.len(),
        overrides: raw.overrides.len(),
        exceptions: raw.exceptions.len(),
        terms: total("terms", MAX_TERMS_PER_PACK, |i| i.terms)?,
        patterns: total("patterns", MAX_PATTERNS_PER_PACK, |i| i.patterns)?,
    })
}

/// What a pack holds, as the limits count it; a policy's totals are
/// checked against the per-policy limits.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Sizes {
    pub(crate) rules: usize,
    pub(crate) overrides: usize,
    pub(crate) exceptions: usize,
    pub(crate) terms: usize,
    pub(crate) patterns: usize,
}

/// An item of a pack with the terms and patterns it holds.
struct Counted<'a> {
    /// Byte offset where it starts.
    at: usize,
    /// The rule it defines or overrides.
    rule: Option<&'a str>,
    terms: usize,
    patterns: usize,
}

/// A `YYYY-MM-DD` value of the pack, with errors located by `fail`.
fn parse_date(
    d: Option<Spanned<String>>,
    fail: impl Fn(String, usize) -> Error,
) -> Result<Option<Date>, Error> {
    match d {
        None => Ok(None),
        Some(s) => s
            .get_ref()
            .parse()
            .map(Some)
            .map_err(|e: Error| fail(e.kind().to_string(), s.span().start)),
    }
}

/// The `id` of the `[[rules]]` table that holds byte `offset` of `source`,
/// if any: TOML errors come with a position only, and naming the rule makes
/// a typo in a long pack easy to find.
fn enclosing_rule_id(source: &str, offset: usize) -> Option<String> {
    let before = &source[..offset.min(source.len())];
    let header = before
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain(std::iter::once(0))
        .filter(|&i| source[i..].trim_start().starts_with('['))
        .max()?;
    if !source[header..].trim_start().starts_with("[[rules]]") {
        return None;
    }
    let body = &source[header..];
    let body = body.split_once('\n').map_or("", |(_, b)| b);
    for line in body.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        if let Some(rest) = line.strip_prefix("id") {
            let value = rest.trim_start().strip_prefix('=')?.trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            return Some(value.to_string());
        }
    }
    None
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || matches!(b, b'.' | b'_' | b'-')
        })
}

/// True if a term or word would match nothing: empty once normalised
/// (emoji, symbols and invisible characters become spaces).
fn blank(word: &str) -> bool {
    crate::normalize::normalize_term(word, crate::normalize::Form::Full)
        .trim()
        .is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_order() {
        let d: Date = "2026-02-28".parse().unwrap();
        assert_eq!(d.to_string(), "2026-02-28");
        assert!("2026-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2026-13-01".parse::<Date>().is_err());
        assert!("26-01-01".parse::<Date>().is_err());
        assert!(d < "2026-03-01".parse().unwrap());
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(20_513).to_string(),
            "2026-03-01"
        );
    }
}
