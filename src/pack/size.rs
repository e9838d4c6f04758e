//! Limit accounting of one pack: the counts and sizes of
//! `crate::limits`, checked before anything is built from the lists.

use super::check::Checker;
use super::raw::{RawPack, RawRule};
use super::rule::{Context, Unless};
use crate::error::{Error, ErrorKind};
use crate::limits::within;
use crate::limits::{
    MAX_PACK_BYTES, MAX_PATTERNS_PER_PACK, MAX_PATTERN_BYTES,
    MAX_RULES_PER_PACK, MAX_TERMS_PER_PACK, MAX_TERMS_PER_RULE,
};

/// The error for a pack of `bytes` bytes, over [`MAX_PACK_BYTES`].
pub(crate) fn pack_too_large(bytes: u64) -> Error {
    Error::new(ErrorKind::Limit(format!(
        "pack is {bytes} bytes, over the limit of {MAX_PACK_BYTES} bytes \
         per pack"
    )))
}

/// Checks the counts and sizes of `crate::limits` before anything is
/// built from the lists, so a hostile pack costs no more than parsing it.
pub(super) fn check_limits(
    raw: &RawPack,
    cx: &Checker,
) -> Result<Sizes, Error> {
    let limit = |msg: String, at: usize| cx.error(ErrorKind::Limit(msg), at);
    if raw.rules.len() > MAX_RULES_PER_PACK {
        let first_over = raw.rules[MAX_RULES_PER_PACK].get_ref();
        return Err(limit(
            format!(
                "pack has {} rules, over the limit of {MAX_RULES_PER_PACK} \
                 rules per pack",
                raw.rules.len()
            ),
            first_over.id.span().start,
        )
        .with_rule(first_over.id.get_ref().clone()));
    }
    let items = counted(raw, &limit)?;
    Ok(Sizes {
        rules: raw.rules.len(),
        overrides: raw.overrides.len(),
        exceptions: raw.exceptions.len(),
        terms: total(
            &items,
            "terms",
            MAX_TERMS_PER_PACK,
            |i| i.terms,
            &limit,
        )?,
        patterns: total(
            &items,
            "patterns",
            MAX_PATTERNS_PER_PACK,
            |i| i.patterns,
            &limit,
        )?,
    })
}

/// The error for a message at a byte offset.
type Limit<'a> = dyn Fn(String, usize) -> Error + 'a;

/// Every item of the pack that holds terms or patterns, for the pack
/// totals; a rule or pattern over its own limit is an error.
fn counted<'r>(
    raw: &'r RawPack,
    limit: &Limit,
) -> Result<Vec<Counted<'r>>, Error> {
    let mut items = Vec::new();
    for spanned in &raw.rules {
        items.push(rule_counted(spanned.get_ref(), limit)?);
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
    // A concept's terms and patterns count as a rule's do (they join the
    // same automaton and are checked the same way).
    for spanned in raw.concepts.values() {
        let c = spanned.get_ref();
        if let Some(p) = c.patterns().iter().find(|p| long(p.get_ref())) {
            return Err(limit(too_long(p.get_ref().len()), p.span().start));
        }
        items.push(Counted {
            at: spanned.span().start,
            rule: None,
            terms: c.term_count(),
            patterns: c.patterns().len(),
        });
    }
    // Locked categories are matched against every rule of the policy.
    items.push(Counted {
        at: raw.pack.name.span().start,
        rule: None,
        terms: raw.pack.locked_categories.len(),
        patterns: 0,
    });
    Ok(items)
}

/// A rule's terms and patterns, within the per-rule limits.
fn rule_counted<'r>(
    r: &'r RawRule,
    limit: &Limit,
) -> Result<Counted<'r>, Error> {
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
        return Err(
            limit(too_long(p.get_ref().len()), p.span().start).with_rule(id)
        );
    }
    let mut patterns = usize::from(r.pattern.is_some());
    for m in sides {
        if let Some(p) = m.patterns.iter().find(|p| long(p.get_ref())) {
            return Err(limit(too_long(p.get_ref().len()), at).with_rule(id));
        }
        patterns += m.patterns.len();
    }
    Ok(Counted { at, rule: Some(id), terms, patterns })
}

/// The pack's total of `what` (each item's `count`), within `max`; a total
/// over its limit is reported at the item that crosses it.
fn total(
    items: &[Counted],
    what: &str,
    max: usize,
    count: fn(&Counted) -> usize,
    limit: &Limit,
) -> Result<usize, Error> {
    let (total, item) = match within(items, max, count) {
        Ok(total) => return Ok(total),
        Err(over) => over,
    };
    let err = limit(
        format!(
            "pack has {total} {what}, over the limit of {max} {what} per pack"
        ),
        item.at,
    );
    Err(match item.rule {
        Some(r) => err.with_rule(r),
        None => err,
    })
}

/// The words of a rule's (or override's) `context` and `unless`.
fn words(context: &[Context], unless: &Option<Unless>) -> usize {
    context.iter().map(|c| c.words.len()).sum::<usize>()
        + unless.as_ref().map_or(0, |u| u.words.len())
}

fn long(pattern: &str) -> bool {
    pattern.len() > MAX_PATTERN_BYTES
}

fn too_long(len: usize) -> String {
    format!(
        "pattern is {len} bytes, over the limit of {MAX_PATTERN_BYTES} \
         bytes per pattern"
    )
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
