//! Stage 2 of loading a pack: the checks that turn the raw file into
//! checked rule types, each failure located in the file.

use std::collections::HashSet;

use toml::Spanned;

use super::near::did_you_mean;
use super::raw::{RawException, RawMatchers, RawOverride, RawRule};
use super::rule::{
    Context, Example, Exception, Matchers, Override, Rule, RuleKind,
    Suggestion, Thresholds, Unless, INERT_RULE,
};
use crate::date::{empty_span, Date};
use crate::error::{Error, ErrorKind};
use crate::pattern::{parse_normal, regex_message};
use crate::stance::StanceRule;
use crate::text::Positions;

/// Checks one pack's source: every error names the pack and the line and
/// column of the byte offset it is about.
pub(super) struct Checker<'a> {
    origin: &'a str,
    positions: Positions<'a>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(origin: &'a str, positions: Positions<'a>) -> Self {
        Checker { origin, positions }
    }

    /// 1-based line and column of byte `offset` of the source.
    pub(super) fn at(&self, offset: usize) -> (usize, usize) {
        self.positions.at(offset)
    }

    /// An error of `kind` at byte `offset`.
    pub(super) fn error(&self, kind: ErrorKind, offset: usize) -> Error {
        let (line, column) = self.at(offset);
        Error::new(kind).with_pack(self.origin).with_position(line, column)
    }

    /// An [`ErrorKind::InvalidPack`] error at byte `offset`.
    fn invalid(&self, msg: String, offset: usize) -> Error {
        self.error(ErrorKind::InvalidPack(msg), offset)
    }

    /// The pack's `name`.
    pub(super) fn name(&self, name: &Spanned<String>) -> Result<(), Error> {
        let n = name.get_ref();
        if is_identifier(n) {
            return Ok(());
        }
        Err(self.invalid(
            format!(
                "pack name '{n}' must be lower-case letters, digits, '.', \
                 '_' or '-'"
            ),
            name.span().start,
        ))
    }

    /// `[thresholds]`, and where the table starts (`(1, 1)` without one).
    pub(super) fn thresholds(
        &self,
        raw: Option<Spanned<Thresholds>>,
    ) -> Result<(Option<Thresholds>, (usize, usize)), Error> {
        let Some(t) = raw else { return Ok((None, (1, 1))) };
        let start = t.span().start;
        let t = t.into_inner();
        if t.warn == 0 || t.block < t.warn {
            return Err(self.invalid(
                format!(
                    "thresholds must satisfy 1 <= warn <= block (got warn = \
                     {}, block = {})",
                    t.warn, t.block
                ),
                start,
            ));
        }
        Ok((Some(t), self.at(start)))
    }

    /// The `[[rules]]` of pack `pack`, in file order; ids are unique.
    pub(super) fn rules(
        &self,
        raw: Vec<Spanned<RawRule>>,
        pack: &str,
    ) -> Result<Vec<Rule>, Error> {
        let mut rules = Vec::with_capacity(raw.len());
        let mut ids = HashSet::new();
        for spanned in raw {
            rules.push(self.rule(spanned, &mut ids, pack)?);
        }
        // After every rule's own checks, so that a duplicate id or a bad
        // pattern is reported as such.
        if let Some(r) =
            rules.iter().find(|r| r.enabled && !r.can_change_verdict())
        {
            let (line, column) = r.position;
            return Err(Error::new(ErrorKind::InvalidPack(INERT_RULE.into()))
                .with_pack(self.origin)
                .with_position(line, column)
                .with_rule(r.id.clone()));
        }
        Ok(rules)
    }

    /// The `[concepts.NAME]` tables.
    pub(super) fn concepts(
        &self,
        raw: crate::concept::RawConcepts,
    ) -> Result<Vec<crate::concept::Concept>, Error> {
        crate::concept::check(
            raw,
            |at| self.at(at),
            |kind, at| self.error(kind, at),
            |p| checked_regex(p, |kind, at| self.error(kind, at)),
        )
    }

    /// The `[[examples]]`, in file order, with their positions.
    pub(super) fn examples(&self, raw: Vec<Spanned<Example>>) -> Vec<Example> {
        raw.into_iter()
            .map(|e| {
                let position = self.at(e.span().start);
                Example { position, ..e.into_inner() }
            })
            .collect()
    }

    /// One rule; `ids` holds the ids of the rules before it.
    fn rule(
        &self,
        spanned: Spanned<RawRule>,
        ids: &mut HashSet<String>,
        pack: &str,
    ) -> Result<Rule, Error> {
        let rule_start = spanned.span().start;
        let mut r = spanned.into_inner();
        let id = r.id.get_ref().clone();
        let id_start = r.id.span().start;
        if !is_identifier(&id) {
            return Err(self.invalid(
                format!(
                    "rule id '{id}' must be lower-case letters, digits, '.', \
                     '_' or '-'"
                ),
                id_start,
            ));
        }
        if !ids.insert(id.clone()) {
            let kind = ErrorKind::DuplicateRule { first: pack.to_string() };
            return Err(self.error(kind, id_start).with_rule(id));
        }
        let this = InRule { cx: self, id: &id };
        let (mut kind, pattern_start) = this.kind(&mut r)?;
        if let Some(lang) = r.inflect.take() {
            this.inflect(lang, &mut kind)?;
        }
        this.nearby(&r.context, &r.unless, rule_start)?;
        let date = |d| parse_date(d, |msg, at| this.invalid(msg, at));
        let active_from = date(r.active_from)?;
        let active_until = date(r.active_until)?;
        if let Some(msg) = empty_span(active_from, active_until) {
            return Err(this.invalid(msg, rule_start));
        }
        let suggest = this.suggestion(r.suggest, &kind)?;
        let position = self.at(id_start);
        Ok(Rule {
            id,
            kind,
            category: r.category,
            score: r.score,
            action: r.action,
            message: r.message,
            suggest,
            enabled: r.enabled,
            locked: r.locked,
            mask: r.mask,
            whole_word: r.whole_word,
            evasion: r.evasion,
            context: r.context,
            unless: r.unless,
            active_from,
            active_until,
            stance: StanceRule {
                negated: r.negated,
                quoted: r.quoted,
                reported: r.reported,
            },
            position,
            pattern_position: pattern_start.map_or(position, |p| self.at(p)),
        })
    }

    /// The `[[exceptions]]`, in file order.
    pub(super) fn exceptions(
        &self,
        raw: Vec<Spanned<RawException>>,
    ) -> Result<Vec<Exception>, Error> {
        raw.into_iter().map(|e| self.exception(e)).collect()
    }

    fn exception(
        &self,
        spanned: Spanned<RawException>,
    ) -> Result<Exception, Error> {
        let start = spanned.span().start;
        let e = spanned.into_inner();
        if e.terms.is_empty() && e.patterns.is_empty() && e.concepts.is_empty()
        {
            return Err(self.invalid(
                "an exception needs `terms`, `patterns` or `concepts`".into(),
                start,
            ));
        }
        let patterns = e
            .patterns
            .into_iter()
            .map(|p| checked_regex(p, |kind, at| self.error(kind, at)));
        Ok(Exception {
            patterns: patterns.collect::<Result<_, _>>()?,
            rules: e.rules,
            categories: e.categories,
            terms: e.terms,
            concepts: e.concepts,
            window: e.window,
            reason: e.reason,
            position: self.at(start),
        })
    }

    /// The `[[overrides]]`, in file order.
    pub(super) fn overrides(
        &self,
        raw: Vec<Spanned<RawOverride>>,
    ) -> Result<Vec<Override>, Error> {
        raw.into_iter().map(|o| self.override_entry(o)).collect()
    }

    fn override_entry(
        &self,
        spanned: Spanned<RawOverride>,
    ) -> Result<Override, Error> {
        let start = spanned.span().start;
        let o = spanned.into_inner();
        let target = match (&o.rule, &o.category) {
            (Some(r), None) => r.clone(),
            (None, Some(c)) => format!("category {c}"),
            _ => {
                return Err(self.invalid(
                    "an override names either `rule` or `category`".into(),
                    start,
                ))
            }
        };
        // Errors name the rule, or the category, it overrides.
        let this = InRule { cx: self, id: &target };
        let date = |d| parse_date(d, |msg, at| this.invalid(msg, at));
        let suggest = match o.suggest {
            Some(s) => Some(this.suggestion_text(s)?),
            None => None,
        };
        // An override's context and unless replace the rule's: the same
        // checks as a rule's, or `unless = {}` would quietly drop it.
        let context = o.context.as_deref().unwrap_or_default();
        this.nearby(context, &o.unless, start)?;
        Ok(Override {
            suggest,
            add_allow: this.hosts(o.add_allow, start)?,
            add_deny: this.hosts(o.add_deny, start)?,
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
            negated: o.negated,
            quoted: o.quoted,
            reported: o.reported,
            position: self.at(start),
        })
    }
}

/// Checks inside one rule (or override): errors also name it.
struct InRule<'c, 'a> {
    cx: &'c Checker<'a>,
    id: &'c str,
}

impl InRule<'_, '_> {
    fn error(&self, kind: ErrorKind, offset: usize) -> Error {
        self.cx.error(kind, offset).with_rule(self.id)
    }

    fn invalid(&self, msg: String, offset: usize) -> Error {
        self.error(ErrorKind::InvalidPack(msg), offset)
    }

    /// What the rule matches, taken out of `r`; and the byte offset of its
    /// pattern, if it has one.
    fn kind(
        &self,
        r: &mut RawRule,
    ) -> Result<(RuleKind, Option<usize>), Error> {
        let at = r.kind.span().start;
        let name = r.kind.get_ref().as_str();
        let takes: &[&str] = match name {
            "terms" => &["terms"],
            "pattern" => &["pattern", "validator"],
            "required" => &["trigger", "require"],
            "link" => &["allow", "deny", "protect"],
            "near" => &["near", "within", "scope", "ordered"],
            "score" => &["weights", "grams", "bias", "threshold"],
            other => {
                const KINDS: [&str; 6] =
                    ["terms", "pattern", "required", "link", "near", "score"];
                let hint = did_you_mean(other, KINDS);
                let hint = if hint.is_empty() {
                    " (expected terms, pattern, required, link, near or score)"
                        .into()
                } else {
                    hint
                };
                return Err(self.invalid(
                    format!("unknown rule kind '{other}'{hint}"),
                    at,
                ));
            }
        };
        self.only_keys_of(name, takes, r, at)?;
        Ok(match name {
            "terms" => (self.terms(std::mem::take(&mut r.terms), at)?, None),
            "pattern" => {
                self.pattern(r.pattern.take(), r.validator.take(), at)?
            }
            "required" => {
                (self.required(r.trigger.take(), r.require.take(), at)?, None)
            }
            "near" => (self.near(r, at)?, None),
            "score" => {
                let raw = crate::score::RawScore {
                    weights: r.weights.take(),
                    grams: r.grams.take(),
                    bias: r.bias.take(),
                    threshold: r.threshold.take(),
                };
                let weights = raw.check(at, |m, a| self.invalid(m, a))?;
                (RuleKind::Score(weights), None)
            }
            _ => {
                let lists = [&mut r.allow, &mut r.deny, &mut r.protect]
                    .map(std::mem::take);
                (self.link(lists, at)?, None)
            }
        })
    }

    /// Keys that belong to other kinds are mistakes, not options.
    fn only_keys_of(
        &self,
        kind: &str,
        takes: &[&str],
        r: &RawRule,
        at: usize,
    ) -> Result<(), Error> {
        let given = [
            ("terms", !r.terms.is_empty()),
            ("pattern", r.pattern.is_some()),
            ("validator", r.validator.is_some()),
            ("trigger", r.trigger.is_some()),
            ("require", r.require.is_some()),
            ("allow", !r.allow.is_empty()),
            ("deny", !r.deny.is_empty()),
            ("protect", !r.protect.is_empty()),
            ("near", !r.near.is_empty()),
            ("within", r.within.is_some()),
            ("scope", r.scope.is_some()),
            ("ordered", r.ordered),
            ("weights", r.weights.is_some()),
            ("grams", r.grams.is_some()),
            ("bias", r.bias.is_some()),
            ("threshold", r.threshold.is_some()),
        ];
        let Some((key, _)) =
            given.iter().find(|(k, set)| *set && !takes.contains(k))
        else {
            return Ok(());
        };
        Err(self.invalid(
            format!(
                "a {kind} rule does not take `{key}` (it takes {})",
                takes
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            at,
        ))
    }

    /// Every entry of `list` (terms, called `what`) has something to match.
    fn matchable(
        &self,
        list: &[String],
        what: &str,
        at: usize,
    ) -> Result<(), Error> {
        match list.iter().find(|t| blank(t)) {
            Some(t) if t.trim().is_empty() => {
                Err(self.invalid(format!("empty {what} {t:?}"), at))
            }
            Some(t) => Err(self.invalid(
                format!(
                    "{what} {t:?} has nothing to match: emoji, symbols and \
                     invisible characters are read as spaces"
                ),
                at,
            )),
            None => Ok(()),
        }
    }

    /// A rule's `suggest`: text to show, and a replacement only where a
    /// hit has a span to replace.
    fn suggestion(
        &self,
        suggest: Option<Spanned<Suggestion>>,
        kind: &RuleKind,
    ) -> Result<Option<Suggestion>, Error> {
        let Some(s) = suggest else { return Ok(None) };
        let at = s.span().start;
        let s = self.suggestion_text(s)?;
        if s.is_replacement() && matches!(kind, RuleKind::Required { .. }) {
            return Err(self.invalid(
                "a required rule fires about the whole post, so there is no \
                 text to replace: write its `suggest` as a hint"
                    .into(),
                at,
            ));
        }
        Ok(Some(s))
    }

    /// A suggestion with something to say.
    fn suggestion_text(
        &self,
        s: Spanned<Suggestion>,
    ) -> Result<Suggestion, Error> {
        let at = s.span().start;
        let s = s.into_inner();
        if s.text().trim().is_empty() && !s.is_replacement() {
            return Err(self.invalid("`suggest` is empty".into(), at));
        }
        Ok(s)
    }

    fn terms(&self, terms: Vec<String>, at: usize) -> Result<RuleKind, Error> {
        if terms.is_empty() {
            return Err(self
                .invalid("a terms rule needs at least one term".into(), at));
        }
        self.matchable(&terms, "term", at)?;
        Ok(RuleKind::Terms(terms))
    }

    fn pattern(
        &self,
        pattern: Option<Spanned<String>>,
        validator: Option<Spanned<String>>,
        at: usize,
    ) -> Result<(RuleKind, Option<usize>), Error> {
        let Some(p) = pattern else {
            return Err(
                self.invalid("a pattern rule needs `pattern`".into(), at)
            );
        };
        let pattern_start = p.span().start;
        let validator = match validator {
            Some(v) if crate::validate::by_name(v.get_ref()).is_none() => {
                let start = v.span().start;
                let kind = ErrorKind::UnknownValidator(v.into_inner());
                return Err(self.error(kind, start));
            }
            v => v.map(Spanned::into_inner),
        };
        let pattern = self.regex(p)?;
        let kind = RuleKind::Pattern { pattern, validator };
        Ok((kind, Some(pattern_start)))
    }

    fn required(
        &self,
        trigger: Option<RawMatchers>,
        require: Option<RawMatchers>,
        at: usize,
    ) -> Result<RuleKind, Error> {
        let (Some(trigger), Some(require)) = (trigger, require) else {
            return Err(self.invalid(
                "a required rule needs `trigger` and `require`".into(),
                at,
            ));
        };
        if trigger.within.is_some() {
            return Err(self.invalid(
                "`within` belongs to `require`, not `trigger`".into(),
                at,
            ));
        }
        for (side, m) in [("trigger", &trigger), ("require", &require)] {
            if m.terms.is_empty() && m.patterns.is_empty() {
                return Err(self.invalid(
                    format!("`{side}` needs terms or patterns"),
                    at,
                ));
            }
            self.matchable(&m.terms, "term", at)?;
        }
        Ok(RuleKind::Required {
            within: require.within,
            trigger: self.matchers(trigger)?,
            require: self.matchers(require)?,
        })
    }

    /// One side of a required rule.
    fn matchers(&self, m: RawMatchers) -> Result<Matchers, Error> {
        let patterns = m.patterns.into_iter().map(|p| self.regex(p));
        Ok(Matchers {
            terms: m.terms,
            patterns: patterns.collect::<Result<_, _>>()?,
        })
    }

    /// A pattern of the rule, which must parse as a regex.
    fn regex(&self, pattern: Spanned<String>) -> Result<String, Error> {
        checked_regex(pattern, |kind, at| self.error(kind, at))
    }

    /// A near rule: two or more concepts (one alone is its occurrences).
    fn near(&self, r: &mut RawRule, at: usize) -> Result<RuleKind, Error> {
        let concepts = std::mem::take(&mut r.near);
        if concepts.is_empty() {
            return Err(self.invalid(
                "a near rule needs `near`, a list of concepts".into(),
                at,
            ));
        }
        let scope = match r.scope.take() {
            None => super::rule::Scope::Sentence,
            Some(s) => {
                crate::concept::scope_named(&s, |m, a| self.invalid(m, a))?
            }
        };
        Ok(RuleKind::Near {
            concepts,
            within: r.within,
            scope,
            ordered: r.ordered,
        })
    }

    /// `inflect` expands a terms rule's terms into their forms.
    fn inflect(
        &self,
        langs: crate::concept::Languages,
        kind: &mut RuleKind,
    ) -> Result<(), Error> {
        let at = langs.span().start;
        let langs =
            crate::concept::languages(langs, |m, a| self.invalid(m, a))?;
        let RuleKind::Terms(terms) = kind else {
            return Err(self.invalid(
                "`inflect` belongs to terms rules and concepts".into(),
                at,
            ));
        };
        *terms = crate::concept::all_forms(terms, &langs);
        Ok(())
    }

    /// A link rule from its `[allow, deny, protect]` lists.
    fn link(
        &self,
        [allow, deny, protect]: [Vec<String>; 3],
        at: usize,
    ) -> Result<RuleKind, Error> {
        if allow.is_empty() && deny.is_empty() && protect.is_empty() {
            return Err(self.invalid(
                "a link rule needs `allow`, `deny` or `protect`".into(),
                at,
            ));
        }
        Ok(RuleKind::Link {
            allow: self.hosts(allow, at)?,
            deny: self.hosts(deny, at)?,
            protect: self.hosts(protect, at)?,
        })
    }

    /// Host names in their normal form.
    fn hosts(
        &self,
        list: Vec<String>,
        at: usize,
    ) -> Result<Vec<String>, Error> {
        list.into_iter()
            .map(|h| {
                crate::link::normalize_host(&h).ok_or_else(|| {
                    self.invalid(format!("invalid host {h:?}"), at)
                })
            })
            .collect()
    }

    /// `context` and `unless` have words to look for.
    fn nearby(
        &self,
        context: &[Context],
        unless: &Option<Unless>,
        at: usize,
    ) -> Result<(), Error> {
        let empty = |words: &[String]| {
            words.is_empty() || words.iter().any(|w| blank(w))
        };
        if context.iter().any(|c| empty(&c.words)) {
            return Err(self.invalid(
                "context needs a non-empty list of non-empty words".into(),
                at,
            ));
        }
        if let Some(u) = unless {
            let nothing = u.words.is_empty() && u.concepts.is_empty();
            let blanks = u.words.iter().chain(&u.concepts).any(|w| blank(w));
            if nothing || blanks {
                return Err(self.invalid(
                    "unless needs non-empty words or concepts".into(),
                    at,
                ));
            }
            let mut names: Vec<&String> = u.concepts.iter().collect();
            names.sort_unstable();
            if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
                return Err(self.invalid(
                    format!("unless names concept `{}` twice", w[0]),
                    at,
                ));
            }
        }
        Ok(())
    }
}

/// `pattern` if it parses as a regex; else the regex error, located at
/// the pattern by `error`.
fn checked_regex(
    pattern: Spanned<String>,
    error: impl Fn(ErrorKind, usize) -> Error,
) -> Result<String, Error> {
    match regex_error(pattern.get_ref()) {
        Some((kind, source)) => {
            Err(error(kind, pattern.span().start).with_source(source))
        }
        None => Ok(pattern.into_inner()),
    }
}

/// Why `pattern` is not a valid regex, if it is not. Parsed only, with the
/// syntax of [`pattern_builder`], so the errors are the builder's: building
/// too would cost ten times as much at every load, and whether compiled
/// patterns fit the size limit depends on the whole policy, so the screener
/// checks that when it compiles one.
fn regex_error(
    pattern: &str,
) -> Option<(ErrorKind, impl std::error::Error + Send + Sync + 'static)> {
    // Parsed as the screener parses it: case folding changes no error.
    let e = parse_normal(pattern).err()?;
    let start = match &*e {
        regex_syntax::Error::Parse(p) => Some(p.span().start),
        regex_syntax::Error::Translate(t) => Some(t.span().start),
        _ => None,
    };
    // Where in the pattern: the file position is the pattern's start, and
    // a pattern may be long.
    let place = match start {
        Some(p) if p.line > 1 => {
            format!(
                " at line {}, character {} of the pattern",
                p.line, p.column
            )
        }
        Some(p) => format!(" at character {} of the pattern", p.column),
        None => String::new(),
    };
    Some((ErrorKind::Regex(format!("{}{place}", regex_message(&e))), e))
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
    use crate::pattern::pattern_builder;

    /// The check at load refuses what the builder refuses, with its
    /// message, except what is only too big once compiled.
    #[test]
    fn load_check_agrees_with_the_builder() {
        let nested = format!("{}x{}", "(".repeat(300), ")".repeat(300));
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("valid", r"\bAC-\d{8}\b", None),
            ("ascii_class", r"\w+", None),
            ("unicode_class_asked_for", r"(?u)\p{Greek}+", None),
            ("any_byte", r"(?-u:\xFF)", None),
            (
                "unclosed_group",
                r"\bAC-(\d{8}\b",
                Some("unclosed group at character 6 of the pattern"),
            ),
            (
                "second_line_of_a_verbose_pattern",
                "(?x)\n  foo\n  [a-",
                Some("unclosed character class at line 3, character 3"),
            ),
            ("unclosed_class", r"[a-", Some("unclosed character class")),
            (
                "unicode_class_not_asked_for",
                r"\p{Greek}",
                Some("Unicode not allowed here"),
            ),
            (
                "bad_repetition",
                r"a{2,1}",
                Some("invalid repetition count range, the start must be <= the end"),
            ),
            ("nested_too_deep", &nested, Some("nested parentheses")),
        ];
        for (name, pattern, want) in cases {
            let checked = regex_error(pattern).map(|(kind, _)| match kind {
                ErrorKind::Regex(message) => message,
                other => panic!("{name}: {other:?}"),
            });
            let built = pattern_builder(pattern)
                .build()
                .err()
                .map(|e| regex_message(&e));
            // The check adds where in the pattern.
            let said = checked.as_deref().map(|c| {
                let c = c.split(" at character ").next().unwrap_or(c);
                c.split(" at line ").next().unwrap_or(c).to_string()
            });
            assert_eq!(said, built, "{name}");
            match want {
                None => assert_eq!(checked, None, "{name}"),
                Some(w) => {
                    let got = checked.unwrap_or_default();
                    assert!(got.contains(w), "{name}: {got}");
                }
            }
        }
        // Too big once compiled: the screener's error, not the pack's.
        let huge = r"\w{1000}{1000}";
        assert!(regex_error(huge).is_none());
        assert!(pattern_builder(huge).build().is_err());
    }
}
