//! Proximity (`near`) rules: where the concepts of a rule occur close to
//! each other. Concept terms are found by the one automaton pass (marks of
//! `Use::Concept`); entities and concept patterns are looked for only on a
//! post with such a mark (or always, for a rule whose concepts have no
//! terms), and only for the rules that can still fire: every concept of
//! the rule has a mark or entities or patterns of its own. Each chain found is a hit whose
//! span covers its occurrences; judging then treats it like any hit.

use std::ops::Range;

use regex::bytes::Regex;

use crate::concept::Resolved;
use crate::entity::{Entity, ENTITIES};
use crate::error::{Error, ErrorKind};
use crate::link::{self, Link};
use crate::normalize::normalize_pattern;
use crate::pack::Scope;
use crate::pattern::{pattern_builder, regex_message};
use crate::sentence::View;
use crate::text::{near, snap};

use super::compile::{RuleIdx, Use};
use super::scan::{Found, Hit};
use super::Post;

/// A near rule, compiled: concept ids and how close they must be.
#[derive(Debug)]
pub(super) struct NearSpec {
    pub(super) concepts: Vec<u32>,
    within: Option<u32>,
    scope: Scope,
    ordered: bool,
}

/// The policy's concepts as the near stage reads them.
#[derive(Debug, Default)]
pub(super) struct Concepts {
    /// Every concept of the policy (used or not), by id.
    pub(super) resolved: Vec<Resolved>,
    /// Which are used by an enabled near rule.
    used: Vec<bool>,
    /// Per concept id: its patterns, compiled (used concepts only).
    patterns: Vec<Vec<Regex>>,
    /// `(entity, concept)` for each entity a used concept includes.
    entities: Vec<(Entity, u32)>,
    /// The near rules.
    pub(super) rules: Vec<RuleIdx>,
    /// Each concept's name, shared by the reasons that name it.
    pub(super) names: Vec<std::sync::Arc<str>>,
    /// Some near rule's concepts have no terms: look on every post.
    always: bool,
}

impl Concepts {
    pub(super) fn new(resolved: Vec<Resolved>) -> Concepts {
        let used = vec![false; resolved.len()];
        Concepts { resolved, used, ..Concepts::default() }
    }

    /// A near rule's spec; an unknown concept is `Err` of the message.
    pub(super) fn spec(
        &mut self,
        r: RuleIdx,
        names: &[String],
        within: Option<u32>,
        scope: Scope,
        ordered: bool,
    ) -> Result<NearSpec, String> {
        let mut concepts = Vec::with_capacity(names.len());
        for name in names {
            let Some(id) = self.resolved.iter().position(|c| &c.name == name)
            else {
                let known = self.resolved.iter().map(|c| c.name.as_str());
                let hint = crate::pack::did_you_mean(name, known);
                return Err(format!(
                    "unknown concept `{name}`{hint}: define it with \
                     [concepts.{name}] in this pack or one it extends"
                ));
            };
            self.used[id] = true;
            concepts.push(id as u32);
        }
        if concepts.iter().all(|&c| self.resolved[c as usize].forms.is_empty())
        {
            self.always = true;
        }
        self.rules.push(r);
        Ok(NearSpec { concepts, within, scope, ordered })
    }

    /// Each used concept's forms, with its id, for the automaton.
    pub(super) fn words(&self) -> impl Iterator<Item = (&str, Use)> {
        self.resolved
            .iter()
            .enumerate()
            .filter(|(i, _)| self.used[*i])
            .flat_map(|(i, c)| {
                c.forms
                    .iter()
                    .map(move |f| (f.as_str(), Use::Concept(i as u32)))
            })
    }

    /// Compiles the used concepts' patterns and lists their entities.
    pub(super) fn finish(
        &mut self,
        form: crate::normalize::Form,
    ) -> Result<(), Error> {
        self.patterns = Vec::with_capacity(self.resolved.len());
        self.names =
            self.resolved.iter().map(|c| c.name.as_str().into()).collect();
        for (i, c) in self.resolved.iter().enumerate() {
            let mut compiled = Vec::new();
            if self.used[i] {
                for p in &c.patterns {
                    let p = normalize_pattern(p, form);
                    compiled.push(pattern_builder(&p).build().map_err(
                        |e| {
                            Error::new(ErrorKind::Regex(regex_message(&e)))
                                .with_pack(c.pack.clone())
                                .with_source(e)
                        },
                    )?);
                }
                for (_, e) in ENTITIES {
                    if c.entities & e.bit() != 0 {
                        self.entities.push((e, i as u32));
                    }
                }
            }
            self.patterns.push(compiled);
        }
        Ok(())
    }
}

/// One occurrence of a concept, in normalised coordinates.
#[derive(Clone, Copy, Debug)]
pub(super) struct Occ {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) concept: u32,
}

/// The near stage's scratch space, kept between screenings.
#[derive(Default)]
pub(super) struct Nearing {
    occ: Vec<Occ>,
    links: Vec<Link>,
    path: Vec<usize>,
    /// `(rule, hit start, hit end, parts range)` of each chain found.
    chains: Vec<(RuleIdx, usize, usize, Range<usize>)>,
    parts: Vec<Occ>,
    /// Per concept id: whether its terms occur in the post, and whether
    /// its entities and patterns are worth looking for.
    marked: Vec<bool>,
    needed: Vec<bool>,
}

impl Nearing {
    /// The occurrences of the chain behind a near rule's hit.
    pub(super) fn chain(&self, hit: &Hit) -> &[Occ] {
        self.chains
            .iter()
            .find(|c| c.0 == hit.rule && c.1 == hit.start && c.2 == hit.end)
            .map_or(&[], |c| &self.parts[c.3.clone()])
    }
}

/// Candidates considered per rule and post at most: a post of thousands
/// of occurrences costs a bounded search, not a combinatorial one. (Which
/// chains a post that runs out finds depends on the occurrences of other
/// concepts among them: those of rules that cannot fire are not looked
/// for.)
const BUDGET: u32 = 50_000;

/// The hits of the policy's near rules in this post. `sentences`
/// segments only around the occurrences a clause or sentence scope asks
/// about.
pub(super) fn hits(
    p: &Post,
    n: &mut Nearing,
    sentences: &View,
    found: &mut Found,
) {
    let c = &p.inner.concepts;
    n.chains.clear();
    n.parts.clear();
    if c.rules.is_empty() {
        return;
    }
    n.occ.clear();
    n.occ.extend(found.marks.iter().filter_map(|m| match m.what {
        Use::Concept(concept) => {
            Some(Occ { start: m.start, end: m.end, concept })
        }
        _ => None,
    }));
    if n.occ.is_empty() && !c.always {
        return;
    }
    needed(p, n);
    others(p, n);
    n.occ.sort_unstable_by_key(|o| (o.start, o.end, o.concept));
    n.occ.dedup_by_key(|o| (o.start, o.end, o.concept));
    let reach = n.occ.iter().map(|o| o.end - o.start).max().unwrap_or(0);
    for &r in &c.rules {
        let rule = &p.inner.rules[r as usize];
        let super::compile::Shape::Near(spec) = &rule.shape else { continue };
        if !p.active(rule) {
            continue;
        }
        rule_hits(p.text, sentences, r, spec, reach, n, found);
    }
}

/// Which concepts' entities and patterns to look for (`n.needed`): those
/// of the active rules that can fire, whose every concept has a mark in
/// the post or entities or patterns of its own. A rule with a concept of
/// terms alone that the post lacks cannot fire, so a clean post with one
/// stray concept word does not pay for every entity finder.
fn needed(p: &Post, n: &mut Nearing) {
    let c = &p.inner.concepts;
    let count = c.resolved.len();
    n.marked.clear();
    n.marked.resize(count, false);
    n.needed.clear();
    n.needed.resize(count, false);
    for o in &n.occ {
        n.marked[o.concept as usize] = true;
    }
    for &r in &c.rules {
        let rule = &p.inner.rules[r as usize];
        let super::compile::Shape::Near(spec) = &rule.shape else { continue };
        if !p.active(rule) {
            continue;
        }
        let possible = spec.concepts.iter().all(|&k| {
            let k = k as usize;
            n.marked[k]
                || c.resolved[k].entities != 0
                || !c.patterns[k].is_empty()
        });
        if possible {
            for &k in &spec.concepts {
                n.needed[k as usize] = true;
            }
        }
    }
}

/// Entities and concept patterns of the needed concepts, into `n.occ`.
fn others(p: &Post, n: &mut Nearing) {
    let c = &p.inner.concepts;
    let mut links_found = false;
    for &(e, concept) in &c.entities {
        if !n.needed[concept as usize] {
            continue;
        }
        let occ = &mut n.occ;
        if e == Entity::Url {
            if !links_found {
                n.links.clear();
                link::find_links(p.norm, p.source, &mut n.links);
                links_found = true;
            }
            for l in n.links.iter().filter(|l| !l.file_like) {
                occ.push(Occ {
                    start: l.span.start,
                    end: l.span.end,
                    concept,
                });
            }
            continue;
        }
        e.find(p.text, &mut |r: Range<usize>| {
            occ.push(Occ { start: r.start, end: r.end, concept });
        });
    }
    for (concept, patterns) in c.patterns.iter().enumerate() {
        if !n.needed[concept] {
            continue;
        }
        for re in patterns {
            for m in re.find_iter(p.text.as_bytes()) {
                let (start, end) = snap(p.text, m.start(), m.end());
                if start < end {
                    let concept = concept as u32;
                    n.occ.push(Occ { start, end, concept });
                }
            }
        }
    }
}

/// Every chain of `spec` that starts at an occurrence of its first
/// concept: a hit each.
fn rule_hits(
    text: &str,
    sentences: &View,
    r: RuleIdx,
    spec: &NearSpec,
    reach: usize,
    n: &mut Nearing,
    found: &mut Found,
) {
    let Nearing { occ, path, chains, parts, .. } = n;
    let mut budget = BUDGET;
    let look = Look { text, sentences, spec, occ, reach };
    for a in 0..occ.len() {
        if occ[a].concept != spec.concepts[0] {
            continue;
        }
        path.clear();
        path.push(a);
        if look.extend(path, &mut budget) {
            let start = path.iter().map(|&i| occ[i].start).min().unwrap_or(0);
            let end = path.iter().map(|&i| occ[i].end).max().unwrap_or(0);
            found.hits.push(Hit {
                rule: r,
                start,
                end,
                imitates: 0,
                defanged: false,
                stance: None,
            });
            let from = parts.len();
            parts.extend(path.iter().map(|&i| occ[i]));
            chains.push((r, start, end, from..parts.len()));
        }
        if budget == 0 {
            break;
        }
    }
}

/// A chain search over the sorted occurrences.
struct Look<'a, 'v> {
    text: &'a str,
    sentences: &'a View<'v>,
    spec: &'a NearSpec,
    occ: &'a [Occ],
    /// The longest occurrence, in bytes.
    reach: usize,
}

impl Look<'_, '_> {
    /// Whether `path` (a chain of the spec's first concepts) extends to a
    /// whole chain; then `path` holds it.
    fn extend(&self, path: &mut Vec<usize>, budget: &mut u32) -> bool {
        let i = path.len();
        let Some(&want) = self.spec.concepts.get(i) else { return true };
        let last = path[i - 1];
        let prev = self.occ[last];
        // After it, nearest first; then (unordered) before it.
        for j in last + 1..self.occ.len() {
            if !self.close(prev, self.occ[j]) {
                break;
            }
            if self.try_at(j, want, path, budget) {
                return true;
            }
        }
        if !self.spec.ordered {
            for j in (0..last).rev() {
                let o = self.occ[j];
                if !self.close(prev, o) {
                    if o.start + self.reach < prev.start {
                        break;
                    }
                    continue;
                }
                if self.try_at(j, want, path, budget) {
                    return true;
                }
            }
        }
        false
    }

    fn try_at(
        &self,
        j: usize,
        want: u32,
        path: &mut Vec<usize>,
        budget: &mut u32,
    ) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let o = self.occ[j];
        let overlaps = path.iter().any(|&k| {
            let q = self.occ[k];
            q.start < o.end && o.start < q.end
        });
        if o.concept != want || overlaps {
            return false;
        }
        let prev = self.occ[path[path.len() - 1]];
        if self.spec.ordered && o.start < prev.end {
            return false;
        }
        path.push(j);
        if self.extend(path, budget) {
            return true;
        }
        path.pop();
        false
    }

    /// Whether `b` is near enough to `a`: within the words and the scope.
    fn close(&self, a: Occ, b: Occ) -> bool {
        let (x, y) = (a.start..a.end, b.start..b.end);
        self.spec
            .within
            .is_none_or(|w| near(self.text, x.clone(), y.clone(), w))
            && (self.spec.scope == Scope::Post
                || self.sentences.within(self.spec.scope, self.text, x, y))
    }
}
