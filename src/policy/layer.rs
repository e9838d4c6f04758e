//! What a stack of packs means: each pack adds rules, overrides earlier
//! ones, adds exceptions and sets thresholds, within the locks that earlier
//! packs set. The result, [`EffectivePolicy`], is what the screener
//! compiles and what `preclear policy` explains.

use std::collections::{HashMap, HashSet};

use crate::date::empty_span;
use crate::error::{Error, ErrorKind};
use crate::pack::{
    did_you_mean, origin_of, Exception, Level, Override, Pack, Rule, RuleKind,
    Thresholds, INERT_RULE,
};
use crate::stance::StanceAction;

/// A pack, as named in lock errors: `individual pack 'dj-nova'`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PackRef {
    /// The pack's name.
    name: String,
    /// The pack's level.
    level: Level,
}

impl PackRef {
    fn of(p: &Pack) -> PackRef {
        PackRef { name: p.name.clone(), level: p.level }
    }
}

impl std::fmt::Display for PackRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} pack '{}'", self.level.as_str(), self.name)
    }
}

/// One change a later pack made to a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Change {
    /// The pack that made it.
    pub pack: String,
    /// What changed, e.g. `action warn -> block`.
    pub what: String,
}

/// One rule of the effective policy.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EffectiveRule {
    /// The rule with every override applied.
    pub rule: Rule,
    /// The pack that defined it.
    pub pack: String,
    /// The last pack whose override changed it (the defining pack if none).
    pub decided_by: String,
    /// Every override applied, in order.
    pub changes: Vec<Change>,
    /// The pack that locked it (by the rule or its category), if any.
    pub locked_by: Option<String>,
    /// False when its pack defined it switched off or a later pack
    /// disabled it.
    pub enabled: bool,
    /// `(part, pack)`: the packs whose overrides replaced a part, in order.
    set_by: Vec<(&'static str, String)>,
    /// `(pack, part, entries)`: what later packs added to a list.
    added: Vec<(String, &'static str, Vec<String>)>,
}

impl EffectiveRule {
    /// Whether exception `e`, added by `pack`, reaches this rule: it
    /// names it (or its category, or names nothing), and the rule is not
    /// locked by another pack (a locked rule answers only to the
    /// exceptions of the pack that locked it).
    pub(crate) fn answers_to(&self, pack: &str, e: &Exception) -> bool {
        applies(e, &self.rule)
            && self.locked_by.as_deref().is_none_or(|l| l == pack)
    }

    /// The pack that set `part` of the rule as it stands: the last pack
    /// whose override replaced it, else the pack that defined the rule.
    /// Parts an override can replace: `terms`, `context`, `unless`,
    /// `suggest`, `message`, `action`, `score`, `active_from`,
    /// `active_until`, `enabled`, `locked`, `negated`, `quoted`,
    /// `reported`; any other part (`pattern`,
    /// `validator`, `mask`…) is the defining pack's.
    ///
    /// ```
    /// use preclear::Policy;
    ///
    /// let mut policy = Policy::new();
    /// policy.add_bundled("financial-institution")?;
    /// policy.add_toml("team.toml", r#"
    ///     [pack]
    ///     name = "team"
    ///     version = "1"
    ///     [[overrides]]
    ///     rule = "mnpi.announcement"
    ///     action = "block"
    ///     add_terms = ["hush-hush deal"]
    /// "#)?;
    /// let effective = policy.effective()?;
    /// let rule = effective.rules.iter().find(|r| r.rule.id == "mnpi.announcement").unwrap();
    /// assert_eq!(rule.set_by("action"), "team");
    /// assert_eq!(rule.set_by("terms"), "financial-institution");
    /// let (pack, part, entries) = rule.added().next().unwrap();
    /// assert_eq!((pack, part, entries), ("team", "terms", &["hush-hush deal".to_string()][..]));
    /// # Ok::<(), preclear::Error>(())
    /// ```
    pub fn set_by(&self, part: &str) -> &str {
        self.set_by
            .iter()
            .rev()
            .find(|(p, _)| *p == part)
            .map_or(&self.pack, |(_, pack)| pack)
    }

    /// What later packs added to the rule's lists, in order: `(pack,
    /// part, entries)`, the part being `terms` (`add_terms`), `allow` or
    /// `deny` (`add_allow`, `add_deny`). The entries are also in the
    /// rule's lists.
    pub fn added(&self) -> impl Iterator<Item = (&str, &str, &[String])> {
        self.added
            .iter()
            .map(|(pack, part, entries)| (pack.as_str(), *part, &entries[..]))
    }
}

/// The policy after layering: what is screened for, and why.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EffectivePolicy {
    /// Every rule, in definition order (disabled ones included).
    pub rules: Vec<EffectiveRule>,
    /// Every exception with the pack that added it.
    pub exceptions: Vec<(String, Exception)>,
    /// The thresholds in force.
    pub thresholds: Thresholds,
    /// The pack that set them (`None`: the defaults).
    pub thresholds_from: Option<String>,
    /// The pack that locked them.
    pub thresholds_locked_by: Option<String>,
}

impl EffectivePolicy {
    /// The rules an exception names but does not reach, as `(exception
    /// index, rule id, locking pack)`: a locked rule answers only to the
    /// exceptions of the pack that locked it, so an earlier pack's
    /// exception (base's, under a bank that locks `pii`) is cut there,
    /// and the locking pack must repeat it if it still holds. Disabled
    /// rules are left out: nothing of theirs is screened.
    pub fn unreached(&self) -> Vec<(usize, &str, &str)> {
        let mut cut = Vec::new();
        for (i, (pack, e)) in self.exceptions.iter().enumerate() {
            for r in self.rules.iter().filter(|r| r.enabled) {
                if applies(e, &r.rule) && !r.answers_to(pack, e) {
                    let locker = r.locked_by.as_deref().unwrap_or_default();
                    cut.push((i, r.rule.id.as_str(), locker));
                }
            }
        }
        cut
    }
}

/// A lock: who set it.
type Lock = Option<PackRef>;

/// Resolves the stack `packs` (most general first) into its effective
/// rules.
pub(super) fn resolve(packs: &[Pack]) -> Result<EffectivePolicy, Error> {
    let mut layers = Layers::default();
    for pack in packs {
        let me = PackRef::of(pack);
        layers.lock_categories(pack, &me);
        layers.set_thresholds(pack, &me)?;
        layers.add_rules(pack, &me)?;
        layers.apply_overrides(pack, &me)?;
        layers.add_exceptions(pack, &me)?;
    }
    layers.check_exception_targets(packs)?;
    Ok(EffectivePolicy {
        rules: layers.rules.into_iter().map(|(r, _)| r).collect(),
        exceptions: layers.exceptions,
        thresholds: layers.thresholds,
        thresholds_from: layers.thresholds_from,
        thresholds_locked_by: layers.thresholds_lock.map(|p| p.name),
    })
}

/// The packs resolved so far, which the next pack adds to.
#[derive(Default)]
struct Layers {
    rules: Vec<(EffectiveRule, Lock)>,
    /// Rule id -> its index in `rules`: finding a duplicate id by a scan
    /// of every earlier rule made 20,000 rules take seconds.
    ids: HashMap<String, usize>,
    category_locks: Vec<(String, PackRef)>,
    exceptions: Vec<(String, Exception)>,
    thresholds: Thresholds,
    thresholds_from: Option<String>,
    thresholds_lock: Lock,
}

/// `e` located at `pos` in `pack`.
fn located(pack: &Pack, e: Error, pos: (usize, usize)) -> Error {
    e.with_pack(pack.origin.clone()).with_position(pos.0, pos.1)
}

impl Layers {
    /// `pack`'s `locked_categories` lock the rules so far and those to come.
    fn lock_categories(&mut self, pack: &Pack, me: &PackRef) {
        for c in &pack.locked_categories {
            self.category_locks.push((c.clone(), me.clone()));
            for (r, lock) in self.rules.iter_mut() {
                if r.rule.category == *c && lock.is_none() {
                    *lock = Some(me.clone());
                    r.locked_by = Some(me.name.clone());
                }
            }
        }
    }

    /// `pack`'s thresholds, which may not raise locked ones.
    fn set_thresholds(
        &mut self,
        pack: &Pack,
        me: &PackRef,
    ) -> Result<(), Error> {
        let Some(t) = pack.thresholds else { return Ok(()) };
        let now = self.thresholds;
        if let Some(locker) = &self.thresholds_lock {
            if t.warn > now.warn || t.block > now.block {
                return Err(located(
                    pack,
                    Error::new(ErrorKind::Locked(format!(
                        "{me} cannot raise the locked thresholds (warn {} -> \
                         {}, block {} -> {}; locked by {locker})",
                        now.warn, t.warn, now.block, t.block
                    ))),
                    pack.thresholds_position,
                ));
            }
        }
        if t.locked && self.thresholds_lock.is_none() {
            self.thresholds_lock = Some(me.clone());
        }
        self.thresholds =
            Thresholds { locked: self.thresholds_lock.is_some(), ..t };
        self.thresholds_from = Some(me.name.clone());
        Ok(())
    }

    /// `pack`'s rules, locked by themselves or by their category; ids are
    /// unique across the stack.
    fn add_rules(&mut self, pack: &Pack, me: &PackRef) -> Result<(), Error> {
        self.ids.reserve(pack.rules.len());
        for rule in &pack.rules {
            if let Some(&first) = self.ids.get(&rule.id) {
                return Err(located(
                    pack,
                    Error::new(ErrorKind::DuplicateRule {
                        first: self.rules[first].0.pack.clone(),
                    }),
                    rule.position,
                )
                .with_rule(rule.id.clone()));
            }
            self.ids.insert(rule.id.clone(), self.rules.len());
            let lock = if rule.locked {
                Some(me.clone())
            } else {
                self.category_locks
                    .iter()
                    .find(|(c, _)| *c == rule.category)
                    .map(|(_, p)| p.clone())
            };
            self.rules.push((
                EffectiveRule {
                    rule: rule.clone(),
                    pack: me.name.clone(),
                    decided_by: me.name.clone(),
                    changes: Vec::new(),
                    locked_by: lock.as_ref().map(|p| p.name.clone()),
                    enabled: rule.enabled,
                    set_by: Vec::new(),
                    added: Vec::new(),
                },
                lock,
            ));
        }
        Ok(())
    }

    /// `pack`'s overrides; each must change at least one rule.
    fn apply_overrides(
        &mut self,
        pack: &Pack,
        me: &PackRef,
    ) -> Result<(), Error> {
        for o in &pack.overrides {
            let mut hit = false;
            // A rule id is looked up in the id map, not compared with
            // every rule; a category touches every rule of it.
            let by_id = o.rule.as_ref().map(|id| self.ids.get(id).copied());
            let range = match by_id {
                Some(Some(i)) => i..i + 1,
                Some(None) => 0..0,
                None => 0..self.rules.len(),
            };
            for (r, lock) in &mut self.rules[range] {
                let targeted = match (by_id, &o.category) {
                    (Some(_), _) => true,
                    (None, Some(c)) => r.rule.category == *c,
                    (None, None) => false,
                };
                if !targeted {
                    continue;
                }
                hit = true;
                apply(o, r, lock, me)
                    .map_err(|e| located(pack, e, o.position))?;
            }
            if !hit {
                let ids = self.rules.iter().map(|(r, _)| r.rule.id.as_str());
                let categories =
                    self.rules.iter().map(|(r, _)| r.rule.category.as_str());
                let what = match (&o.rule, &o.category) {
                    (Some(id), _) => format!(
                        "no rule '{id}' to override{}",
                        did_you_mean(id, ids)
                    ),
                    (None, Some(c)) => format!(
                        "no rule of category '{c}' to override{}",
                        did_you_mean(c, categories)
                    ),
                    (None, None) => "an override names no rule".to_string(),
                };
                return Err(located(
                    pack,
                    Error::new(ErrorKind::InvalidPack(what)),
                    o.position,
                ));
            }
        }
        Ok(())
    }

    /// `pack`'s exceptions, which may not reach rules another pack locked.
    fn add_exceptions(
        &mut self,
        pack: &Pack,
        me: &PackRef,
    ) -> Result<(), Error> {
        for e in &pack.exceptions {
            // A switched-off rule may be switched on again later, so it
            // counts, but the error names a rule in force if there is one.
            let mut reached = self.rules.iter().filter_map(|(r, lock)| {
                let locker = lock.as_ref()?;
                (locker.name != me.name && applies(e, &r.rule))
                    .then_some((r, locker))
            });
            let first = reached.next();
            let named = first
                .filter(|(r, _)| r.enabled)
                .or_else(|| reached.find(|(r, _)| r.enabled))
                .or(first);
            if let Some((r, locker)) = named {
                return Err(located(
                    pack,
                    Error::new(ErrorKind::Locked(format!(
                        "{me} cannot add an exception to locked rule '{}' \
                         (locked by {locker})",
                        r.rule.id
                    ))),
                    e.position,
                ));
            }
            self.exceptions.push((me.name.clone(), e.clone()));
        }
        Ok(())
    }

    /// An exception must name what exists: a misspelt rule or category
    /// would silently except nothing.
    fn check_exception_targets(&self, packs: &[Pack]) -> Result<(), Error> {
        let rules = &self.rules;
        let known: HashSet<&str> =
            rules.iter().map(|(r, _)| r.rule.category.as_str()).collect();
        for (pack, e) in &self.exceptions {
            let origin = origin_of(packs, pack);
            let ids = || rules.iter().map(|(r, _)| r.rule.id.as_str());
            let categories =
                || rules.iter().map(|(r, _)| r.rule.category.as_str());
            let missing = e
                .rules
                .iter()
                .find(|id| !self.ids.contains_key(id.as_str()))
                .map(|id| {
                    format!(
                        "an exception names no rule '{id}'{}",
                        did_you_mean(id, ids())
                    )
                })
                .or_else(|| {
                    e.categories
                        .iter()
                        .find(|c| !known.contains(c.as_str()))
                        .map(|c| {
                            format!(
                                "an exception names no category '{c}'{}",
                                did_you_mean(c, categories())
                            )
                        })
                });
            if let Some(what) = missing {
                return Err(Error::new(ErrorKind::InvalidPack(what))
                    .with_pack(origin)
                    .with_position(e.position.0, e.position.1));
            }
        }
        Ok(())
    }
}

/// True if exception `e` applies to `rule`.
fn applies(e: &Exception, rule: &Rule) -> bool {
    (e.rules.is_empty() && e.categories.is_empty())
        || e.rules.contains(&rule.id)
        || e.categories.contains(&rule.category)
}

/// Applies override `o` from pack `me` to `r`, refusing to weaken a lock.
fn apply(
    o: &Override,
    r: &mut EffectiveRule,
    lock: &mut Lock,
    me: &PackRef,
) -> Result<(), Error> {
    // Weakening is refused when another pack locked the rule.
    if let Some(locker) = lock.as_ref().filter(|l| l.name != me.name) {
        if let Some(verb) = weakening(o, &r.rule) {
            return Err(Error::new(ErrorKind::Locked(format!(
                "{me} cannot {verb} locked rule '{}' (locked by {locker})",
                r.rule.id
            ))));
        }
    }
    fits(o, &r.rule)?;

    // In this order, which `preclear policy` shows.
    let mut changes = Vec::new();
    let added = add_hosts(o, &mut r.rule, &mut changes);
    if let Some(on) = o.enabled {
        if on != r.enabled {
            r.enabled = on;
            changes.push(if on {
                "enabled".into()
            } else {
                "disabled".into()
            });
        }
    }
    set_scoring(o, &mut r.rule, &mut changes);
    let added_terms = set_terms(o, &mut r.rule, &mut changes);
    set_nearby_and_dates(o, &mut r.rule, &mut changes);
    set_stance(o, &mut r.rule, &mut changes);
    if o.locked == Some(true) && lock.is_none() {
        *lock = Some(me.clone());
        r.locked_by = Some(me.name.clone());
        changes.push("locked".into());
    }
    record_sources(o, r, &me.name, added.into_iter().chain(added_terms));

    let rule = &r.rule;
    if let Some(msg) = empty_span(rule.active_from, rule.active_until) {
        return Err(
            Error::new(ErrorKind::InvalidPack(msg)).with_rule(rule.id.clone())
        );
    }
    if r.enabled && !rule.can_change_verdict() {
        return Err(Error::new(ErrorKind::InvalidPack(format!(
            "after this override, {INERT_RULE}"
        )))
        .with_rule(rule.id.clone()));
    }
    if !changes.is_empty() {
        r.decided_by = me.name.clone();
        r.changes.extend(
            changes
                .into_iter()
                .map(|what| Change { pack: me.name.clone(), what }),
        );
    }
    Ok(())
}

/// How `o` would weaken `rule` (the verb of the refusal), if it would.
fn weakening(o: &Override, rule: &Rule) -> Option<&'static str> {
    let terms_removed = match (&o.terms, &rule.kind) {
        (Some(new), RuleKind::Terms(old)) => {
            old.iter().any(|t| !new.contains(t))
        }
        _ => false,
    };
    let weakened = [
        (o.enabled == Some(false), "disable"),
        (o.locked == Some(false), "unlock"),
        (o.action.is_some_and(|a| a < rule.action), "lower"),
        (o.score.is_some_and(|s| s < rule.score), "lower"),
        (terms_removed, "remove terms from"),
        (!o.add_allow.is_empty(), "allow more hosts in"),
        (
            o.context.as_ref().is_some_and(|c| *c != rule.context),
            "change the context of",
        ),
        (o.unless.is_some() && o.unless != rule.unless, "add an unless to"),
        (
            stance_overrides(o, rule).any(|(_, new, old)| new < old),
            "let more negated, quoted or reported hits through",
        ),
        (
            o.active_from
                .is_some_and(|d| rule.active_from.is_none_or(|f| d > f))
                || o.active_until
                    .is_some_and(|d| rule.active_until.is_none_or(|u| d < u)),
            "narrow the dates of",
        ),
    ];
    weakened.iter().find(|(w, _)| *w).map(|(_, verb)| *verb)
}

/// Overridden lists must be of `rule`'s kind, and a replacement needs a
/// span to replace.
fn fits(o: &Override, rule: &Rule) -> Result<(), Error> {
    if o.suggest.as_ref().is_some_and(|s| s.is_replacement())
        && matches!(rule.kind, RuleKind::Required { .. })
    {
        return Err(Error::new(ErrorKind::InvalidPack(
            "a required rule fires about the whole post, so there is no \
             text to replace: write its `suggest` as a hint"
                .into(),
        ))
        .with_rule(rule.id.clone()));
    }
    if (o.terms.is_some() || !o.add_terms.is_empty())
        && !matches!(rule.kind, RuleKind::Terms(_))
    {
        return Err(Error::new(ErrorKind::InvalidPack(
            "`terms` and `add_terms` override only terms rules".into(),
        ))
        .with_rule(rule.id.clone()));
    }
    if (!o.add_allow.is_empty() || !o.add_deny.is_empty())
        && !matches!(rule.kind, RuleKind::Link { .. })
    {
        return Err(Error::new(ErrorKind::InvalidPack(
            "`add_allow` and `add_deny` override only link rules".into(),
        ))
        .with_rule(rule.id.clone()));
    }
    Ok(())
}

/// What one override added to a list: `(part, entries)`.
type Addition = (&'static str, Vec<String>);

/// `add_allow` and `add_deny` of a link rule; returns what was added.
fn add_hosts(
    o: &Override,
    rule: &mut Rule,
    changes: &mut Vec<String>,
) -> Vec<Addition> {
    let mut additions = Vec::new();
    let RuleKind::Link { allow, deny, .. } = &mut rule.kind else {
        return additions;
    };
    for (list, new, what, part) in [
        (allow, &o.add_allow, "allowed", "allow"),
        (deny, &o.add_deny, "denied", "deny"),
    ] {
        let added: Vec<String> =
            new.iter().filter(|h| !list.contains(h)).cloned().collect();
        if !added.is_empty() {
            changes.push(format!("{what} {}", added.join(", ")));
            list.extend(added.iter().cloned());
            additions.push((part, added));
        }
    }
    additions
}

/// Notes which parts of `r` pack `me` replaced, and what it added.
fn record_sources(
    o: &Override,
    r: &mut EffectiveRule,
    me: &str,
    added: impl Iterator<Item = Addition>,
) {
    if o.terms.is_some() {
        // Replaced terms replace what was added to them, too.
        r.added.retain(|(_, part, _)| *part != "terms");
    }
    let replaced = [
        ("terms", o.terms.is_some()),
        ("context", o.context.is_some()),
        ("unless", o.unless.is_some()),
        ("suggest", o.suggest.is_some()),
        ("message", o.message.is_some()),
        ("action", o.action.is_some()),
        ("score", o.score.is_some()),
        ("active_from", o.active_from.is_some()),
        ("active_until", o.active_until.is_some()),
        ("enabled", o.enabled.is_some()),
        ("locked", o.locked.is_some()),
        ("negated", o.negated.is_some()),
        ("quoted", o.quoted.is_some()),
        ("reported", o.reported.is_some()),
    ];
    for (part, _) in replaced.iter().filter(|(_, set)| *set) {
        r.set_by.push((part, me.to_string()));
    }
    for (part, entries) in added {
        r.added.push((me.to_string(), part, entries));
    }
}

/// A new action, score or message.
fn set_scoring(o: &Override, rule: &mut Rule, changes: &mut Vec<String>) {
    if let Some(a) = o.action {
        if a != rule.action {
            changes.push(format!("action {} -> {}", rule.action, a));
            rule.action = a;
        }
    }
    if let Some(s) = o.score {
        if s != rule.score {
            changes.push(format!("score {} -> {}", rule.score, s));
            rule.score = s;
        }
    }
    if let Some(m) = &o.message {
        if *m != rule.message {
            changes.push("message".into());
            rule.message = m.clone();
        }
    }
    if let Some(s) = &o.suggest {
        if rule.suggest.as_ref() != Some(s) {
            changes.push("suggestion".into());
            rule.suggest = Some(s.clone());
        }
    }
}

/// `terms` and `add_terms` of a terms rule; returns what was added.
fn set_terms(
    o: &Override,
    rule: &mut Rule,
    changes: &mut Vec<String>,
) -> Option<Addition> {
    let RuleKind::Terms(terms) = &mut rule.kind else { return None };
    if let Some(new) = &o.terms {
        changes.push(format!("terms replaced ({} terms)", new.len()));
        *terms = new.clone();
    }
    let added: Vec<String> =
        o.add_terms.iter().filter(|t| !terms.contains(t)).cloned().collect();
    if added.is_empty() {
        return None;
    }
    changes.push(format!("{} terms added", added.len()));
    terms.extend(added.iter().cloned());
    Some(("terms", added))
}

/// A new context, unless, or first or last day.
fn set_nearby_and_dates(
    o: &Override,
    rule: &mut Rule,
    changes: &mut Vec<String>,
) {
    if let Some(c) = &o.context {
        if *c != rule.context {
            changes.push("context replaced".into());
            rule.context = c.clone();
        }
    }
    if let Some(u) = &o.unless {
        if rule.unless.as_ref() != Some(u) {
            changes.push("unless replaced".into());
            rule.unless = Some(u.clone());
        }
    }
    if let Some(d) = o.active_from {
        changes.push(format!("active from {d}"));
        rule.active_from = Some(d);
    }
    if let Some(d) = o.active_until {
        changes.push(format!("active until {d}"));
        rule.active_until = Some(d);
    }
}

/// `(frame, new, old)` for each stance action `o` sets on `rule`.
fn stance_overrides<'a>(
    o: &'a Override,
    rule: &'a Rule,
) -> impl Iterator<Item = (&'static str, StanceAction, StanceAction)> + 'a {
    let s = rule.stance;
    [
        ("negated", o.negated, s.negated),
        ("quoted", o.quoted, s.quoted),
        ("reported", o.reported, s.reported),
    ]
    .into_iter()
    .filter_map(|(frame, new, old)| new.map(|n| (frame, n, old)))
}

/// New actions for negated, quoted or reported hits.
fn set_stance(o: &Override, rule: &mut Rule, changes: &mut Vec<String>) {
    let set: Vec<_> = stance_overrides(o, rule).collect();
    for (frame, new, old) in set {
        if new == old {
            continue;
        }
        changes.push(format!("{frame} {old} -> {new}"));
        let s = &mut rule.stance;
        match frame {
            "negated" => s.negated = new,
            "quoted" => s.quoted = new,
            _ => s.reported = new,
        }
    }
}
