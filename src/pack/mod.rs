//! Rule packs: the checked [`Pack`], loaded in two stages (`raw`: serde
//! structs that mirror the TOML file; `check`: the checks that make rule
//! types of them). Parsing and checking only; matching lives in the
//! screener.

mod check;
mod raw;
mod rule;
mod size;

use self::check::{blank, is_identifier, parse_date};
use self::raw::{enclosing_rule_id, RawPack};
pub use self::rule::{
    Context, Example, Exception, Level, Matchers, Override, Rule, RuleKind,
    Thresholds, Unless,
};
use self::size::check_limits;
pub(crate) use self::size::{pack_too_large, Sizes};
use crate::error::{Error, ErrorKind, Positions};
use crate::limits::MAX_PACK_BYTES;

// Until the screener imports these from their own rooms (issue 11).
pub(crate) use crate::date::Date;
pub(crate) use crate::verdict::Decision;

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
