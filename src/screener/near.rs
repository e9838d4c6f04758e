//! Proximity (`near`) rules: where the concepts of a rule occur close to
//! each other. Concept terms are found by the one automaton pass (marks of
//! `Use::Concept`); entities and concept patterns are looked for only for
//! the rules that can still fire (every concept of terms alone has a
//! mark), cheapest first, and once a post whatever the number of rules
//! that share them. Each chain found is a hit whose span covers its
//! occurrences; judging then treats it like any hit.

use std::ops::Range;

use crate::concept::Resolved;
use crate::entity::{given_names_in, passwords, people, Entity, ENTITIES};
use crate::error::{Error, ErrorKind};
use crate::link::{self, Link};
use crate::normalize::normalize_pattern;
use crate::pack::Scope;
use crate::pattern::{regex_message, Lazy, Needs};
use crate::sentence::View;
use crate::text::{near, snap, word_start_after};

use super::compile::{RuleIdx, Use};
use super::scan::{Found, Hit};
use super::Post;

/// A near rule, compiled: concept ids and how close they must be.
#[derive(Debug)]
pub(super) struct NearSpec {
    pub(super) concepts: Vec<u32>,
    /// The concepts with entities or patterns, cheapest to look for first.
    look: Vec<u32>,
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
    /// Per concept id: its patterns, checked (used concepts only) and
    /// built on first use.
    patterns: Vec<Vec<Gated>>,
    /// How many patterns have a gate.
    pub(super) gates: u32,
    /// How many patterns got no gate for want of room (their words, if
    /// any, were not looked for or did not fit): each runs on every post.
    pub(super) starved: u32,
    /// The near rules.
    pub(super) rules: Vec<RuleIdx>,
    /// Each concept's name, shared by the reasons that name it.
    pub(super) names: Vec<std::sync::Arc<str>>,
    /// Some near rule's concepts have no terms: look on every post.
    always: bool,
    /// `(concept, score rule, feature)`, by concept: the score rules'
    /// features that are concepts.
    scored: Vec<(u32, RuleIdx, u16)>,
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
            concepts.push(self.resolve(name)?);
        }
        if concepts.iter().all(|&c| self.resolved[c as usize].forms.is_empty())
        {
            self.always = true;
        }
        let mut look: Vec<u32> = concepts.clone();
        look.retain(|&k| self.extras(k));
        // Cached: `cost` parses a pattern that starts with `^`.
        look.sort_by_cached_key(|&k| (self.cost(k), k));
        look.dedup();
        self.rules.push(r);
        Ok(NearSpec { concepts, look, within, scope, ordered })
    }

    /// Concept `name`'s index; for an unknown name, `Err` of what follows
    /// it in the error: "did you mean" and where to define it.
    pub(super) fn find(&self, name: &str) -> Result<usize, String> {
        self.resolved.iter().position(|c| c.name == name).ok_or_else(|| {
            let known = self.resolved.iter().map(|c| c.name.as_str());
            let hint = crate::pack::did_you_mean(name, known);
            format!(
                "{hint}: define it with [concepts.{name}] in any pack of \
                 the policy"
            )
        })
    }

    /// Concept `name`'s id, its terms from now on in the automaton; an
    /// unknown concept is `Err` of the message.
    fn resolve(&mut self, name: &str) -> Result<u32, String> {
        let id = self
            .find(name)
            .map_err(|tail| format!("unknown concept `{name}`{tail}"))?;
        self.used[id] = true;
        Ok(id as u32)
    }

    /// Feature `k` of score rule `r` is concept `name`: each occurrence of
    /// one of its terms counts as the phrase would.
    pub(super) fn score_feature(
        &mut self,
        r: RuleIdx,
        k: u16,
        name: &str,
    ) -> Result<(), String> {
        let id = self.resolve(name)?;
        // Sorted by concept once all are in (`finish`).
        self.scored.push((id, r, k));
        Ok(())
    }

    /// The score rules' features that concept `id` is: `(rule, feature)`.
    pub(super) fn scored_by(
        &self,
        id: u32,
    ) -> impl Iterator<Item = (RuleIdx, u16)> + '_ {
        let from = self.scored.partition_point(|x| x.0 < id);
        let to = self.scored.partition_point(|x| x.0 <= id);
        self.scored[from..to].iter().map(|x| (x.1, x.2))
    }

    /// Whether some score rule has a concept among its features.
    pub(super) fn scores(&self) -> bool {
        !self.scored.is_empty()
    }

    /// Whether concept `k` has entities or patterns, besides its terms.
    fn extras(&self, k: u32) -> bool {
        let c = &self.resolved[k as usize];
        c.entities != 0 || !c.patterns.is_empty()
    }

    /// A rough rank of what looking for `k`'s entities and patterns costs:
    /// the finders that start from a rare byte (`$`, `@`, a currency sign)
    /// are cheapest, and so is a regex anchored at the start of the post
    /// (it reads only its beginning); another regex scans the whole post;
    /// dates, street addresses, links, recovery phrases, names and
    /// password-shaped words read every word.
    fn cost(&self, k: u32) -> u32 {
        let c = &self.resolved[k as usize];
        let entities: u32 = ENTITIES
            .iter()
            .filter(|(_, e)| c.entities & e.bit() != 0)
            .map(|(_, e)| match e {
                Entity::Ticker | Entity::Email | Entity::NamedEmail => 1,
                Entity::Money | Entity::Percent => 2,
                Entity::Phone => 3,
                Entity::Date
                | Entity::Address
                | Entity::Url
                | Entity::SeedPhrase
                | Entity::Person
                | Entity::GivenName => 5,
                Entity::Password => 4,
            })
            .sum();
        let patterns: u32 = c
            .patterns
            .iter()
            .map(|p| if starts_anchored(p) { 1 } else { 4 })
            .sum();
        entities + patterns
    }

    /// The ids of the concepts an enabled near rule uses.
    pub(super) fn used(&self) -> impl Iterator<Item = usize> + '_ {
        self.used.iter().enumerate().filter(|(_, &u)| u).map(|(i, _)| i)
    }

    /// The words of each gated pattern, for the automaton: the pattern
    /// runs only in a post where one of them is found.
    pub(super) fn gate_words(&self) -> impl Iterator<Item = (&str, Use)> {
        let gated = self.patterns.iter().flatten();
        gated.filter_map(|g| Some((g.gate?, g.lazy.words()))).flat_map(
            |(b, words)| words.iter().map(move |w| (w.as_str(), Use::Gate(b))),
        )
    }

    /// Checks the used concepts' patterns, and gives a gate to each that
    /// has words while their bytes fit in `gate_bytes`.
    pub(super) fn finish(
        &mut self,
        form: crate::normalize::Form,
        mut gate_bytes: usize,
    ) -> Result<(), Error> {
        self.scored.sort_unstable();
        self.patterns = Vec::with_capacity(self.resolved.len());
        self.names =
            self.resolved.iter().map(|c| c.name.as_str().into()).collect();
        for (i, c) in self.resolved.iter().enumerate() {
            let mut compiled = Vec::new();
            if self.used[i] {
                for p in &c.patterns {
                    let p = normalize_pattern(p, form);
                    // Words only while there is room for their gate.
                    let roomy = gate_bytes >= MIN_GATE_BYTES;
                    let check = if roomy {
                        Lazy::checked_with_words
                    } else {
                        Lazy::checked
                    };
                    let mut lazy = check(p).map_err(|e| {
                        Error::new(ErrorKind::Regex(regex_message(&e)))
                            .with_pack(c.origin.clone())
                            .with_position(c.position.0, c.position.1)
                            .with_source(e)
                    })?;
                    let words = lazy.words();
                    let bytes: usize = words.iter().map(String::len).sum();
                    let fits = !words.is_empty() && bytes <= gate_bytes;
                    if !roomy || !words.is_empty() && !fits {
                        self.starved += 1;
                    }
                    let gate = fits.then(|| {
                        gate_bytes -= bytes;
                        self.gates += 1;
                        self.gates - 1
                    });
                    if gate.is_none() {
                        lazy.forget_words();
                    }
                    compiled.push(Gated { lazy, gate });
                }
            }
            self.patterns.push(compiled);
        }
        Ok(())
    }
}

/// Below this much room for gate words, the words are not looked for.
const MIN_GATE_BYTES: usize = 3;

/// A concept's pattern, and its bit in [`Found::gates`] if it has words
/// that every match holds (see `pattern::required`).
#[derive(Debug)]
struct Gated {
    lazy: Lazy,
    gate: Option<u32>,
}

/// Whether every match of pattern `p` starts at the start of the text
/// (`^…` outside multi-line mode, in every branch).
fn starts_anchored(p: &str) -> bool {
    use regex_syntax::hir::Look;
    p.starts_with('^')
        && crate::pattern::parse_normal(p).is_ok_and(|(hir, _)| {
            hir.properties().look_set_prefix().contains(Look::Start)
        })
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
    /// Per concept id: its occurrences so far, and whether its entities
    /// and patterns have been looked for in this post.
    count: Vec<u32>,
    looked: Vec<bool>,
    /// Each entity's occurrences in this post, found once for every
    /// concept that includes it: a range of `spans` per entity, once
    /// looked for.
    spans: Vec<Range<usize>>,
    entity: [Option<Range<usize>>; ENTITIES.len()],
    /// The post's digits and `@`s, counted once a concept's patterns are
    /// first looked for: a pattern that needs more is not run.
    has: Option<Needs>,
    /// The near rules that can fire on this post.
    possible: Vec<RuleIdx>,
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
/// concepts among them: those of rules that cannot fire, and of concepts
/// after the first one a rule finds missing, are not looked for.)
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
    possible(p, n, found);
    if n.possible.is_empty() {
        return;
    }
    n.occ.sort_unstable_by_key(|o| (o.start, o.end, o.concept));
    n.occ.dedup_by_key(|o| (o.start, o.end, o.concept));
    let reach = n.occ.iter().map(|o| o.end - o.start).max().unwrap_or(0);
    for i in 0..n.possible.len() {
        let r = n.possible[i];
        let super::compile::Shape::Near(spec) =
            &p.inner.rules[r as usize].shape
        else {
            continue;
        };
        rule_hits(p.text, sentences, r, spec, reach, n, found);
    }
}

/// The active rules that can fire (`n.possible`): every concept of the
/// rule occurs in the post. Terms are marked already; entities and
/// patterns are looked for only for a rule whose every concept of terms
/// alone is marked, and cheapest first, so that the first concept found
/// missing spares the rest. A clean post with one stray concept word does
/// not pay for every entity finder.
fn possible(p: &Post, n: &mut Nearing, found: &Found) {
    let c = &p.inner.concepts;
    let count = c.resolved.len();
    n.count.clear();
    n.count.resize(count, 0);
    n.looked.clear();
    n.looked.resize(count, false);
    n.spans.clear();
    n.entity = Default::default();
    n.has = None;
    n.possible.clear();
    for o in &n.occ {
        n.count[o.concept as usize] += 1;
    }
    'rules: for &r in &c.rules {
        let rule = &p.inner.rules[r as usize];
        let super::compile::Shape::Near(spec) = &rule.shape else { continue };
        if !p.active(rule) {
            continue;
        }
        let unmarked = |k: &u32| n.count[*k as usize] == 0;
        if spec.concepts.iter().any(|k| unmarked(k) && !spec.look.contains(k))
        {
            continue;
        }
        // A missing concept that only gated patterns could find, all
        // gates shut, is missing for sure: no search before that check
        // (the rank below does not know which gates a post opened).
        if spec.look.iter().any(|k| unmarked(k) && shut(c, found, *k)) {
            continue;
        }
        // The concepts still missing first: one found empty ends the rule.
        for pass in [true, false] {
            for &k in &spec.look {
                if (n.count[k as usize] == 0) != pass {
                    continue;
                }
                look(p, n, found, k);
                if n.count[k as usize] == 0 {
                    continue 'rules;
                }
            }
        }
        n.possible.push(r);
    }
}

/// Whether concept `k` has no entity and every pattern of it waits behind
/// a gate this post did not open: looking for it would find nothing.
fn shut(c: &Concepts, found: &Found, k: u32) -> bool {
    c.resolved[k as usize].entities == 0
        && c.patterns[k as usize]
            .iter()
            .all(|g| g.gate.is_some_and(|b| !found.opened(b)))
}

/// Concept `k`'s entities and patterns, into `n.occ` (once a post).
fn look(p: &Post, n: &mut Nearing, found: &Found, k: u32) {
    let c = &p.inner.concepts;
    if std::mem::replace(&mut n.looked[k as usize], true) {
        return;
    }
    let before = n.occ.len();
    for (i, &(_, e)) in ENTITIES.iter().enumerate() {
        if c.resolved[k as usize].entities & e.bit() == 0 {
            continue;
        }
        let range = match &n.entity[i] {
            Some(range) => range.clone(),
            None => {
                let from = n.spans.len();
                find_entity(p, n, e);
                n.entity[i] = Some(from..n.spans.len());
                from..n.spans.len()
            }
        };
        n.occ.extend(n.spans[range].iter().map(|s| Occ {
            start: s.start,
            end: s.end,
            concept: k,
        }));
    }
    let patterns = &c.patterns[k as usize];
    let has = if patterns.is_empty() {
        Needs::default()
    } else {
        *n.has.get_or_insert_with(|| Needs::count(p.text))
    };
    let run = patterns.iter().filter(|g| {
        g.gate.is_none_or(|b| found.opened(b)) && g.lazy.may_match(has)
    });
    for g in run {
        g.lazy.each_match(p.text.as_bytes(), |start, end| {
            let (start, end) = snap(p.text, start, end);
            if start < end {
                n.occ.push(Occ { start, end, concept: k });
            }
        });
    }
    n.count[k as usize] += (n.occ.len() - before) as u32;
}

/// Entity `e`'s occurrences in the post, to `n.spans`.
fn find_entity(p: &Post, n: &mut Nearing, e: Entity) {
    let spans = &mut n.spans;
    let to_source = |r: Range<usize>| p.norm.source_span(r);
    if e == Entity::Person {
        people(p.text, p.source, &to_source, &mut |r| spans.push(r));
        return;
    }
    if e == Entity::GivenName {
        given_names_in(p.text, p.source, &to_source, &mut |r| spans.push(r));
        return;
    }
    if e == Entity::Password {
        passwords(p.text, p.source, &to_source, &mut |r| spans.push(r));
        return;
    }
    if e != Entity::Url {
        e.find(p.text, &mut |r: Range<usize>| spans.push(r));
        return;
    }
    n.links.clear();
    link::find_links(p.norm, p.source, &mut n.links);
    n.spans.extend(
        n.links.iter().filter(|l| !l.file_like).map(|l| l.span.clone()),
    );
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
            found.hits.push(Hit::new(r, start, end));
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
        let limit = self.limit(prev);
        for j in last + 1..self.occ.len() {
            if self.occ[j].start > limit {
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

    /// The last start an occurrence at or after `a`'s start may have and
    /// still be near `a` (what [`Look::close`] decides, found once for
    /// all the occurrences after `a` rather than once each): before the
    /// end of `a`'s clause or sentence, and at the latest where the word
    /// after the `within` words that may follow `a` starts.
    fn limit(&self, a: Occ) -> usize {
        let mut limit = usize::MAX;
        if self.spec.scope != Scope::Post {
            let r = self.sentences.reach(self.spec.scope, a.start..a.end);
            if let Some(r) = r {
                limit = r.end.saturating_sub(1);
            }
        }
        if let Some(w) = self.spec.within {
            limit = limit.min(word_start_after(self.text, a.end, w));
        }
        limit
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

#[cfg(test)]
mod tests {
    use crate::automaton::Terms;
    use crate::{Policy, Screener};

    #[test]
    fn anchored_patterns_are_told_apart() {
        for (p, want) in [
            ("^@[a-z]+", true),
            ("^(?:hi|hey) @[a-z]+", true),
            ("^a|b", false),
            ("(?m)^a", false),
            ("a^", false),
            ("@[a-z]+", false),
            ("^(", false),
        ] {
            assert_eq!(super::starts_anchored(p), want, "{p}");
        }
    }

    /// 1,000 patterns of 64 words each (review of 5c492e1: the hostile
    /// test passes without a budget): gates only for the few whose words
    /// fit it, the others keep no words, and the term automaton stays a
    /// dense DFA.
    #[test]
    fn gate_words_stay_within_their_budget() {
        let patterns: Vec<String> = (0..1000)
            .map(|i| format!("'[ab][cd][ef][gh][ij][kl]{i:05}mnopqrstuvwxyz'"))
            .collect();
        let src = format!(
            "[pack]\nname = \"wide\"\nversion = \"1\"\n\n[concepts.cue]\n\
             terms = [\"promo\"]\n\n[concepts.wide]\npatterns = [{}]\n\n\
             [[rules]]\nid = \"wide.near\"\nkind = \"near\"\n\
             near = [\"cue\", \"wide\"]\nwithin = 5\naction = \"block\"\n",
            patterns.join(", ")
        );
        let mut policy = Policy::new();
        policy.add_toml("wide.toml", &src).unwrap();
        let screener = Screener::new(&policy).unwrap();
        let inner = &screener.inner;
        // 64 words of 25 bytes a pattern: fifteen fit in 24 KiB.
        let most = crate::automaton::GATE_ROOM / (64 * 25);
        let gates = inner.concepts.gates as usize;
        assert!((1..=most).contains(&gates), "{gates} gates");
        assert!(matches!(inner.words, Some(Terms::Dfa(_))));
        for g in inner.concepts.patterns.iter().flatten() {
            assert_eq!(g.gate.is_some(), !g.lazy.words().is_empty());
        }
    }
}
