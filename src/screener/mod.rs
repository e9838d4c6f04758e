//! The compiled screener, the crate's public face: [`ScreenerBuilder`]
//! and [`Screener`], and the per-thread scratch space a screening works
//! in. How a policy is compiled, how a post is scanned for candidate hits
//! and how those hits are judged each live in their own room below.

mod compile;
mod judge;
mod scan;

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use regex_automata::{Input, PatternSet};

use crate::error::{Error, ErrorKind};
use crate::evasion::{self, Folded};
use crate::limits::MAX_POST_BYTES;
use crate::link::{self, Link};
use crate::normalize::Normalized;
use crate::pack::{Date, Decision, Thresholds};
use crate::policy::Policy;
use crate::text::{camel_edges, snap, whole_word, word_edges};
use crate::verdict::{noted, Masks, Reason, Verdict};

use self::compile::{
    compile, pattern_builder, CompiledRule, Inner, Role, Shape, Use,
};
use self::judge::{any_near, trigger_note};
use self::scan::{Hit, Mark};

/// Builds a [`Screener`] with options. One builder can build many
/// screeners.
#[derive(Clone, Debug)]
pub struct ScreenerBuilder {
    now: Option<Date>,
    reveal: bool,
    evasion: bool,
    max_post: usize,
}

impl Default for ScreenerBuilder {
    fn default() -> ScreenerBuilder {
        ScreenerBuilder {
            now: None,
            reveal: false,
            evasion: true,
            max_post: MAX_POST_BYTES,
        }
    }
}

impl ScreenerBuilder {
    /// A builder with the defaults.
    pub fn new() -> ScreenerBuilder {
        ScreenerBuilder::default()
    }

    /// The date against which `active_from` / `active_until` are checked.
    /// Default: none, meaning today (UTC) at the time of each screening.
    pub fn now(&mut self, date: Date) -> &mut ScreenerBuilder {
        self.now = Some(date);
        self
    }

    /// Show the full text of masked hits in excerpts. Default `false`:
    /// only the last four letters or digits of a masked hit are shown.
    pub fn reveal_masked(&mut self, yes: bool) -> &mut ScreenerBuilder {
        self.reveal = yes;
        self
    }

    /// Match what a reader sees, not only the bytes: look-alike and
    /// styled letters, Unicode digits, leetspeak, spelled-out and repeated
    /// letters, words run together in hashtags (SPEC §5; rules opt out with
    /// `evasion = false`). Default `true`; `false` matches the lower-cased
    /// text as written, which is faster and what evasion handling is
    /// measured against.
    pub fn evasion(&mut self, yes: bool) -> &mut ScreenerBuilder {
        self.evasion = yes;
        self
    }

    /// The largest post, in bytes, that [`Screener::screen`] accepts; a
    /// longer one is an [`ErrorKind::Limit`] error, never a truncation.
    /// Default [`MAX_POST_BYTES`] (10 MiB). Screening time and scratch
    /// memory grow linearly with the post.
    pub fn max_post_bytes(&mut self, bytes: usize) -> &mut ScreenerBuilder {
        self.max_post = bytes;
        self
    }

    /// Compiles `policy` into a screener.
    pub fn build(&self, policy: &Policy) -> Result<Screener, Error> {
        compile(self, policy)
    }
}

/// A compiled policy. Immutable, `Send + Sync`, and cheap to clone (an
/// `Arc`): build it once and share it between threads.
///
/// ```
/// use preclear::{Decision, Policy, Screener};
///
/// let mut policy = Policy::new();
/// policy.add_bundled("financial-institution")?;
/// let screener = Screener::new(&policy)?;
/// let v = screener.screen("Please charge card 4111 1111 1111 1111 today")?;
/// assert_eq!(v.decision(), Decision::Block);
/// assert_eq!(v.reasons()[0].span(), Some(19..38));
/// # Ok::<(), preclear::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Screener {
    inner: Arc<Inner>,
}

/// Scratch space reused by screenings on the same thread.
#[derive(Default)]
struct Scratch {
    norm: Normalized,
    hits: Vec<Hit>,
    marks: Vec<Mark>,
    kept: Vec<(Hit, u32)>,
    links: Vec<Link>,
    folded: Folded,
    /// Which patterns matched; sized for the largest set seen.
    patterns: Option<PatternSet>,
    /// The rest is for posts with findings, so that only the verdict
    /// allocates (once the buffers have grown).
    required: Vec<Option<bool>>,
    order: Vec<usize>,
    covered: Vec<bool>,
    category_reach: Vec<(Hit, u32)>,
    /// Masked text that no reason's span covers (dropped duplicate hits,
    /// a masked required rule's trigger), in normalised coordinates.
    hidden: Vec<Range<usize>>,
    spans: Vec<(Range<usize>, usize)>,
    positions: Vec<(usize, usize)>,
    masks: Masks,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Screener {
    /// Compiles `policy` with the default options.
    pub fn new(policy: &Policy) -> Result<Screener, Error> {
        ScreenerBuilder::new().build(policy)
    }

    /// A builder for options.
    pub fn builder() -> ScreenerBuilder {
        ScreenerBuilder::new()
    }

    /// `name@version` of each pack, most general first.
    pub fn packs(&self) -> &[String] {
        &self.inner.policy.packs
    }

    /// The policy's fingerprint (see [`Policy::fingerprint`]).
    pub fn fingerprint(&self) -> &str {
        &self.inner.policy.fingerprint
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> Thresholds {
        self.inner.thresholds
    }

    /// Screens one post, as of the builder's `now` (default today).
    ///
    /// The only error is a post longer than
    /// [`ScreenerBuilder::max_post_bytes`] ([`ErrorKind::Limit`]).
    pub fn screen(&self, post: &str) -> Result<Verdict, Error> {
        let now = match (self.inner.now, self.inner.dated) {
            (Some(d), _) => Some(d),
            (None, true) => Some(Date::today()),
            (None, false) => None,
        };
        self.screen_inner(post, now)
    }

    /// Screens one post as of `now` (for `active_from` / `active_until`).
    pub fn screen_at(&self, post: &str, now: Date) -> Result<Verdict, Error> {
        self.screen_inner(post, Some(now))
    }

    /// The largest post [`Screener::screen`] accepts, in bytes.
    pub fn max_post_bytes(&self) -> usize {
        self.inner.max_post
    }

    fn screen_inner(
        &self,
        post: &str,
        now: Option<Date>,
    ) -> Result<Verdict, Error> {
        if post.len() > self.inner.max_post {
            return Err(Error::new(ErrorKind::Limit(format!(
                "post is {} bytes, over the limit of {} bytes",
                post.len(),
                self.inner.max_post
            ))));
        }
        Ok(SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => self.screen_with(&mut s, post, now),
            // Re-entered from a callback on the same thread: use fresh space.
            Err(_) => self.screen_with(&mut Scratch::default(), post, now),
        }))
    }

    fn screen_with(
        &self,
        s: &mut Scratch,
        post: &str,
        now: Option<Date>,
    ) -> Verdict {
        let inner = &*self.inner;
        let Scratch {
            norm,
            folded,
            hits,
            marks,
            kept,
            links,
            patterns,
            required,
            order,
            covered,
            category_reach,
            hidden,
            spans,
            positions,
            masks,
        } = s;
        hits.clear();
        marks.clear();
        kept.clear();
        norm.fill(post, inner.form);
        let text = norm.text();
        let active = |r: &CompiledRule| match now {
            None => true,
            Some(d) => {
                r.active_from.is_none_or(|f| d >= f)
                    && r.active_until.is_none_or(|u| d <= u)
            }
        };

        // 1. One automaton pass: terms, and the words that qualify them.
        if let Some(ac) = &inner.words {
            ac.for_each(text.as_bytes(), |pattern, start, end| {
                let mut whole: Option<bool> = None;
                let mut is_whole = || {
                    *whole.get_or_insert_with(|| whole_word(text, start, end))
                };
                let range = &inner.word_uses[pattern];
                for u in &inner.uses[range.start as usize..range.end as usize]
                {
                    match *u {
                        Use::Term(r) => {
                            let rule = &inner.rules[r as usize];
                            if (!rule.whole_word || is_whole()) && active(rule)
                            {
                                hits.push(Hit {
                                    rule: r,
                                    start,
                                    end,
                                    imitates: 0,
                                });
                            }
                        }
                        what => {
                            if is_whole() {
                                marks.push(Mark { what, start, end });
                            }
                        }
                    }
                }
            });
        }

        // 1b. Disguised terms: one pass over the folded view; each
        //     candidate is checked against its term's shape.
        if let Some(ac) = &inner.folded {
            folded.fill(text);
            let folded = &*folded;
            ac.for_each(folded.text().as_bytes(), |pattern, fstart, fend| {
                let region = folded.span(fstart..fend);
                let uses = &inner.folded_uses[pattern];
                for &(r, shape) in uses {
                    let rule = &inner.rules[r as usize];
                    if !active(rule) {
                        continue;
                    }
                    let shape = &inner.shapes[shape as usize];
                    let Some(part) = shape.accepts(&text[region.clone()])
                    else {
                        continue;
                    };
                    let (start, end) =
                        (region.start + part.start, region.start + part.end);
                    let (a, b) = word_edges(text, start, end);
                    let (ca, cb) = camel_edges(post, norm, start, end);
                    if (a || ca)
                        && (b || cb)
                        && evasion::spelled_edges_ok(text, start..end)
                    {
                        hits.push(Hit { rule: r, start, end, imitates: 0 });
                    }
                }
            });
        }

        // 2. One RegexSet pass says which patterns match; only those run
        //    for spans, and validators confirm them.
        if let Some(set) = &inner.pattern_set {
            let bytes = text.as_bytes();
            let n = set.pattern_len();
            let which = match patterns {
                Some(p) if p.capacity() >= n => p,
                _ => patterns.insert(PatternSet::new(n)),
            };
            which.clear();
            set.which_overlapping_matches(&Input::new(bytes), which);
            for i in which.iter() {
                let i = i.as_usize();
                let pattern = &inner.patterns[i];
                let (r, role) = (pattern.rule, pattern.role);
                let rule = &inner.rules[r as usize];
                if !active(rule) {
                    continue;
                }
                // Cannot fail: the set compiled this pattern with the same
                // syntax and size limits.
                let Some(re) = pattern.alone.get_or_init(|| {
                    pattern_builder(&pattern.source).build().ok()
                }) else {
                    continue;
                };
                let mut at = 0;
                while at <= bytes.len() {
                    let Some(m) = re.find_at(bytes, at) else { break };
                    let (mut start, mut end) = (m.start(), m.end());
                    // An empty match (`a?`) moves the search on by one.
                    at = if end > start { end } else { end + 1 };
                    if let Some(v) = rule.validator {
                        // The match may split a character (ASCII mode);
                        // validators see whole characters.
                        let (a, b) = snap(text, start, end);
                        match v(&text[a..b]) {
                            Some(sub) => {
                                end = a + sub.end;
                                start = a + sub.start;
                                // What the validator trimmed off may hold
                                // the next number ("4111… 5555…" as one
                                // run): search on from here.
                                at = end.max(start + 1);
                            }
                            None => continue,
                        }
                    }
                    let (start, end) = snap(text, start, end);
                    match role {
                        _ if start >= end => {}
                        Role::Hit => {
                            hits.push(Hit { rule: r, start, end, imitates: 0 })
                        }
                        Role::Required => marks.push(Mark {
                            what: Use::Required(r),
                            start,
                            end,
                        }),
                    }
                }
            }
        }

        // 3. Links, when the policy has link rules.
        if !inner.link_rules.is_empty() && post.contains('.') {
            links.clear();
            link::find_links(post, links);
            for l in links.iter() {
                for &r in &inner.link_rules {
                    let rule = &inner.rules[r as usize];
                    let Shape::Link(lists) = &rule.shape else { continue };
                    if !active(rule) {
                        continue;
                    }
                    let imitates = link::imitated(&l.host, &lists.protect)
                        .and_then(|p| {
                            lists.protect.iter().position(|(h, _)| h == p)
                        })
                        .map_or(0, |i| i as u32 + 1);
                    let denied = lists
                        .deny
                        .iter()
                        .any(|d| link::host_matches(&l.host, d))
                        || link::imitated(&l.host, &lists.deny_skeletons)
                            .is_some();
                    let unlisted = !lists.allow.is_empty()
                        && !lists
                            .allow
                            .iter()
                            .any(|a| link::host_matches(&l.host, a));
                    if imitates > 0 || denied || unlisted {
                        let (start, end) =
                            norm.normalized_span(l.span.clone());
                        hits.push(Hit { rule: r, start, end, imitates });
                    }
                }
            }
        }

        if hits.is_empty() {
            return Verdict::allow(inner.policy.clone());
        }

        // Exception patterns run once, and only when a hit could use them.
        for (e, ex) in inner.exceptions.iter().enumerate() {
            let e = e as u32;
            let needed = !ex.patterns.is_empty()
                && hits.iter().any(|h| {
                    inner.rules[h.rule as usize].exceptions.contains(&e)
                });
            if needed {
                for re in &ex.patterns {
                    for m in re.find_iter(text.as_bytes()) {
                        let (start, end) = snap(text, m.start(), m.end());
                        marks.push(Mark {
                            what: Use::Exception(e),
                            start,
                            end,
                        });
                    }
                }
            }
        }
        // Sorted, so each hit looks only at the marks around it.
        marks.sort_unstable_by_key(|m| (m.start, m.end));
        let marks = &marks[..];
        let reach = marks.iter().map(|m| m.end - m.start).max().unwrap_or(0);
        required.clear();

        // 4. Exceptions, unless, context: which hits count, and how much.
        for &hit in hits.iter() {
            let rule = &inner.rules[hit.rule as usize];
            let excepted = rule.exceptions.iter().any(|&e| {
                any_near(
                    marks,
                    text,
                    hit,
                    None,
                    reach,
                    |w| matches!(w, Use::Exception(x) if x == e),
                )
            });
            if excepted {
                continue;
            }
            if let Shape::Required { within } = rule.shape {
                // Whether the post has the required element: once per rule.
                if required.is_empty() {
                    required.resize(inner.rules.len(), None);
                }
                let present =
                    *required[hit.rule as usize].get_or_insert_with(|| {
                        marks.iter().any(|m| {
                            matches!(m.what, Use::Required(r) if r == hit.rule)
                                && within.is_none_or(|n| {
                                    let at =
                                        norm.source_span(m.start..m.end).start;
                                    post[..at].chars().count() < n as usize
                                })
                        })
                    });
                if present {
                    continue;
                }
            }
            if let Some(window) = rule.unless_window {
                let suppressed = any_near(
                    marks,
                    text,
                    hit,
                    Some(window),
                    reach,
                    |w| matches!(w, Use::Unless(r) if r == hit.rule),
                );
                if suppressed {
                    continue;
                }
            }
            let mut score = i64::from(rule.info.score);
            let mut required_met = !rule.any_required;
            for (k, &(window, delta, required)) in
                rule.context.iter().enumerate()
            {
                let found =
                    any_near(marks, text, hit, Some(window), reach, |w| {
                        matches!(w, Use::Context(r, j)
                            if r == hit.rule && j as usize == k)
                    });
                if found {
                    score += i64::from(delta);
                    required_met |= required;
                }
            }
            if !required_met {
                continue;
            }
            let score = score.clamp(0, i64::from(u32::MAX)) as u32;
            if score == 0 && rule.info.action == Decision::Allow {
                continue;
            }
            kept.push((hit, score));
        }

        // Overlapping hits of one rule ("about to acquire" inside "we are
        // about to acquire") are one finding, and a required rule fires
        // once: keep the earliest, longest.
        // (Unstable, so it does not allocate; among equal spans the
        // higher score comes first.)
        kept.sort_unstable_by_key(|&(h, score)| {
            (
                h.rule,
                h.start,
                std::cmp::Reverse(h.end),
                std::cmp::Reverse(score),
            )
        });
        let mut prev: Option<Hit> = None;
        hidden.clear();
        kept.retain(|(h, _)| {
            let rule = &inner.rules[h.rule as usize];
            let same_rule = prev.is_some_and(|p| p.rule == h.rule);
            let once = matches!(rule.shape, Shape::Required { .. });
            let drop =
                same_rule && (once || prev.is_some_and(|p| h.start < p.end));
            if !drop {
                prev = Some(*h);
            }
            // What a masked rule matched stays masked, reported or not.
            if rule.info.mask && (drop || once) {
                hidden.push(h.start..h.end);
            }
            !drop
        });

        // Two rules of one category on the same words are one finding: a
        // hit inside a longer hit of another rule of its category (a bare
        // "risk-free" inside "risk-free investment") is dropped, if that
        // rule weighs at least as much: a team's weaker rule must not hide
        // a locked one.
        if kept.len() > 1 {
            let category =
                |h: &Hit| inner.rules[h.rule as usize].info.category.as_str();
            // A sweep in text order, longest first, keeping per category
            // the hit that reaches furthest.
            order.clear();
            order.extend(0..kept.len());
            order.sort_unstable_by_key(|&i| {
                let h = kept[i].0;
                (h.start, std::cmp::Reverse(h.end), h.rule)
            });
            covered.clear();
            covered.resize(kept.len(), false);
            category_reach.clear();
            let action = |h: &Hit| inner.rules[h.rule as usize].info.action;
            for &i in order.iter() {
                let (h, score) = kept[i];
                match category_reach
                    .iter_mut()
                    .find(|c| category(&c.0) == category(&h))
                {
                    Some(c) => {
                        let heavier =
                            action(&c.0) >= action(&h) && c.1 >= score;
                        if c.0.rule != h.rule && h.end <= c.0.end && heavier {
                            covered[i] = true;
                            if inner.rules[h.rule as usize].info.mask {
                                hidden.push(h.start..h.end);
                            }
                        } else if h.end > c.0.end {
                            *c = (h, score);
                        }
                    }
                    None => category_reach.push((h, score)),
                }
            }
            let mut k = 0;
            kept.retain(|_| {
                k += 1;
                !covered[k - 1]
            });
        }

        // 5. Each rule counts once, with its best hit.
        let mut total: u64 = 0;
        let mut floor = Decision::Allow;
        let mut i = 0;
        while i < kept.len() {
            let rule = kept[i].0.rule;
            let mut best = 0;
            while i < kept.len() && kept[i].0.rule == rule {
                best = best.max(kept[i].1);
                i += 1;
            }
            total += u64::from(best);
            floor = floor.max(inner.rules[rule as usize].info.action);
        }
        let total = total.min(u64::from(u32::MAX)) as u32;
        let t = inner.thresholds;
        let by_score = if total >= t.block {
            Decision::Block
        } else if total >= t.warn {
            Decision::Warn
        } else {
            Decision::Allow
        };

        // 6. Reasons in text order; whole-post reasons first. Positions and
        //    masks are worked out in one pass over the post, whatever the
        //    number of reasons.
        spans.clear();
        spans.extend(
            kept.iter()
                .enumerate()
                .map(|(i, (h, _))| (norm.source_span(h.start..h.end), i)),
        );
        spans.sort_unstable_by_key(|(r, i)| (r.start, r.end, *i));
        crate::error::line_columns(
            post,
            spans.iter().map(|(r, _)| r.start),
            positions,
        );
        for r in hidden.iter_mut() {
            *r = norm.source_span(r.clone());
        }
        masks.fill(
            post,
            spans
                .iter()
                .filter(|(_, i)| {
                    inner.rules[kept[*i].0.rule as usize].info.mask
                })
                .map(|(r, _)| r.clone())
                .chain(hidden.iter().cloned()),
        );
        let masks = &*masks;
        let reason = |((span, i), &position): (&(Range<usize>, usize), _)| {
            let (h, sc) = &kept[*i];
            let rule = &inner.rules[h.rule as usize];
            let (span, message) = match &rule.shape {
                Shape::Required { .. } => {
                    (None, Some(trigger_note(post, span.clone(), rule)))
                }
                Shape::Link(lists) if h.imitates > 0 => (
                    Some(span.clone()),
                    Some(noted(
                        &rule.info.message,
                        format_args!(
                            "(the link's host imitates '{}')",
                            lists.protect[h.imitates as usize - 1].0
                        ),
                    )),
                ),
                _ => (Some(span.clone()), None),
            };
            Reason::new(
                rule.info.clone(),
                *sc,
                post,
                span,
                position,
                masks,
                message,
            )
        };
        // Whole-post reasons (required rules) first, then by span.
        let whole_post = |i: usize| {
            matches!(
                inner.rules[kept[i].0.rule as usize].shape,
                Shape::Required { .. }
            )
        };
        let both = || spans.iter().zip(positions.iter());
        let mut reasons = Vec::with_capacity(spans.len());
        reasons
            .extend(both().filter(|((_, i), _)| whole_post(*i)).map(reason));
        reasons
            .extend(both().filter(|((_, i), _)| !whole_post(*i)).map(reason));
        // Kept for `Verdict::redact`; empty (no allocation) as a rule.
        let hidden = hidden.to_vec();
        Verdict::new(
            by_score.max(floor),
            total,
            reasons,
            hidden,
            inner.policy.clone(),
        )
    }
}
