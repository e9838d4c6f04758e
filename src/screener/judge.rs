//! Judging the candidate hits of a post: which count and how much
//! (exceptions, required elements, `unless`, context), which are the same
//! finding (overlaps within a rule, containment within a category), and
//! the decision their scores add up to. Runs only on posts with hits, so
//! it can afford to look around each one.

use std::ops::Range;

use crate::pack::Scope;
use crate::sentence::View;
use crate::stance::{self, Around, CueAt, Lexicon, StanceAction};
use crate::verdict::Decision;

use super::compile::{Inner, Shape, Use};
use super::scan::{Found, Hit, Imitation, Mark};
use super::Post;

/// Judging's scratch space. Used only by posts with hits; kept between
/// screenings so that only the verdict allocates (once the buffers have
/// grown).
#[derive(Default)]
pub(super) struct Judging {
    /// The hits that count, with their scores.
    pub(super) kept: Vec<(Hit, u32)>,
    /// Per rule, once looked up: whether a required element is present.
    required: Vec<Option<bool>>,
    /// For the category sweep: hits in text order, and which are covered.
    order: Vec<usize>,
    covered: Vec<bool>,
    /// The hits the sweep dropped: (their rule, their score, the rule of
    /// the innermost hit that holds them, their place in the sweep).
    swallowed: Vec<(u32, u32, u32, u32)>,
    /// What each holding rule is owed: (holder, lost score), by holder.
    credits: Vec<(u32, u32)>,
    /// The hits that reach past the sweep's position, with their scores
    /// and whether they are kept.
    open: Vec<(Hit, u32, bool)>,
    /// Masked text that no reason's span covers (dropped duplicate hits,
    /// a masked required rule's trigger), in normalised coordinates.
    pub(super) hidden: Vec<Range<usize>>,
    /// Stance cues found around the hit being judged.
    cues: Vec<CueAt>,
    /// Whether the post quotes what it answers on `>` lines.
    answers_quotes: bool,
    /// The post's first report cues, once looked up: any frame (for a
    /// defanged link) and a warning (for a live look-alike).
    report_in_post: Option<stance::PostWarning>,
}

/// The marks of a post sorted by start, so that each hit looks only at
/// the marks around it.
struct Nearby<'a, 'v> {
    marks: &'a [Mark],
    text: &'a str,
    sentences: &'a View<'v>,
    /// The longest mark, in bytes.
    reach: usize,
}

impl Nearby<'_, '_> {
    /// True if a mark for which `wanted` holds overlaps `hit` (`window`
    /// `None`) or stands within `window` of it. The search walks outwards
    /// from the hit and stops where marks can no longer be near, so a long
    /// post costs what its neighbourhoods cost.
    fn any(
        &self,
        hit: Hit,
        window: Option<Scope>,
        wanted: impl Fn(&Mark) -> bool,
    ) -> bool {
        let close = |m: &Mark| match window {
            None => m.start < hit.end && hit.start < m.end,
            Some(w) => self.sentences.within(
                w,
                self.text,
                hit.start..hit.end,
                m.start..m.end,
            ),
        };
        // Marks that start before this cannot reach the hit's scope.
        let from = window
            .and_then(|w| self.sentences.reach(w, hit.start..hit.end))
            .map_or(hit.start, |r| r.start.min(hit.start));
        let marks = self.marks;
        let at = marks.partition_point(|m| m.start < hit.start);
        for m in &marks[at..] {
            if !close(m) {
                // Later marks start later still: none is nearer.
                break;
            }
            if wanted(m) {
                return true;
            }
        }
        for m in marks[..at].iter().rev() {
            if close(m) {
                if wanted(m) {
                    return true;
                }
            } else if m.start + self.reach < from {
                // No earlier mark can reach the hit any more.
                break;
            }
        }
        false
    }
}

/// Which hits count, and how much: into `j.kept`.
pub(super) fn weigh(
    p: &Post,
    sentences: &View,
    found: &mut Found,
    j: &mut Judging,
) {
    found.marks.sort_unstable_by_key(|m| (m.start, m.end));
    let nearby = Nearby {
        marks: &found.marks,
        text: p.text,
        sentences,
        reach: found.marks.iter().map(|m| m.end - m.start).max().unwrap_or(0),
    };
    j.kept.clear();
    j.required.clear();
    j.answers_quotes = stance::answers_quotes(p.source);
    j.report_in_post = None;
    for &hit in &found.hits {
        if let Some(score) = score(p, &nearby, &mut j.required, hit) {
            if let Some(kept) = framed(p, sentences, j, hit, score) {
                j.kept.push(kept);
            }
        }
    }
}

/// The hit as its frame leaves it (see `stance`): as it is, lowered to
/// warn, or `None` when its rule ignores hits in that frame (or the hit is
/// a link written defanged, in any frame). Cues are
/// looked up only for rules that care (and only then is the hit's
/// sentence segmented).
fn framed(
    p: &Post,
    sentences: &View,
    j: &mut Judging,
    mut hit: Hit,
    score: u32,
) -> Option<(Hit, u32)> {
    let rule = &p.inner.rules[hit.rule as usize];
    if rule.stance.is_keep() {
        return Some((hit, score));
    }
    let sentence = sentences.sentence(hit.start);
    let question = p.text[..sentence.end].trim_end().ends_with('?');
    let clause = sentences.clause(hit.start);
    // Only a rule that reads negation needs an apposed one.
    let apposed = match rule.stance.negated {
        StanceAction::Keep => None,
        _ => stance::apposed(
            p.text,
            sentence.start,
            clause.clone(),
            hit.start,
            |at| sentences.clause(at),
        ),
    };
    let around = Around {
        report_end: if question && sentence.end < p.text.len() {
            sentences.sentence(sentence.end).end
        } else {
            sentence.end
        },
        clause,
        end_clause: sentences.clause(hit.end.saturating_sub(1).max(hit.start)),
        sentence,
        reply_quote: j.answers_quotes
            && rule.stance.quoted != StanceAction::Keep
            && stance::reply_quoted(
                p.source,
                p.norm.source_span(hit.start..hit.end).start,
            ),
        apposed,
    };
    let stance = stance::judge(
        Lexicon::get(p.inner.form),
        p.text,
        hit.start..hit.end,
        &around,
        rule.stance,
        &rule.own_cues,
        &mut j.cues,
    );
    // A link written defanged inside a warning, a quotation or a
    // negation names the host so that nobody can click it; so does one
    // in a post that warns anywhere ("… ticketrnaster[.]com … It's a
    // scam."). Defanging alone is no warning: it also hides a link from
    // a filter. A live look-alike in a post that warns anywhere is
    // reported, as its rule says ("verify at amaz0n-account-verify.com.
    // It's a scam.": the warning is often the next sentence).
    let mut in_post = || {
        *j.report_in_post.get_or_insert_with(|| {
            stance::warning_in_post(
                Lexicon::get(p.inner.form),
                p.text,
                &mut j.cues,
            )
        })
    };
    let stance = match stance {
        Some(stance) if hit.defanged => Some(stance.ignored()),
        None if hit.defanged => in_post().any,
        None if hit.imitates != Imitation::Nothing
            && rule.stance.reported != StanceAction::Keep =>
        {
            in_post().report.map(|s| s.with_effect(rule.stance.reported))
        }
        stance => stance,
    };
    let Some(stance) = stance else { return Some((hit, score)) };
    hit.stance = Some(stance);
    match stance.effect() {
        // Listed for an author who asks, worth nothing.
        StanceAction::Ignore => p.inner.show_ignored.then_some((hit, 0)),
        StanceAction::Warn => {
            let below = p.inner.thresholds.block.saturating_sub(1);
            Some((hit, score.min(below)))
        }
        StanceAction::Keep => Some((hit, score)),
    }
}

/// The least verdict `hit` imposes: its rule's action, lowered when its
/// frame says so.
pub(super) fn action(inner: &Inner, hit: &Hit) -> Decision {
    stance::lowered(inner.rules[hit.rule as usize].info.action, hit.stance)
}

/// The hit's score, or `None` if it does not count: excepted, its rule's
/// required element present, suppressed by `unless`, a required context
/// missing, or worth nothing to an `allow` rule.
fn score(
    p: &Post,
    nearby: &Nearby,
    required: &mut Vec<Option<bool>>,
    hit: Hit,
) -> Option<u32> {
    let rule = &p.inner.rules[hit.rule as usize];
    let excepted = rule.exceptions.iter().any(|&e| {
        let window = p.inner.exceptions[e as usize].window;
        nearby.any(
            hit,
            window,
            |m| matches!(m.what, Use::Exception(x) if x == e),
        )
    });
    if excepted {
        return None;
    }
    if let Shape::Required { within } = rule.shape {
        if has_required(p, nearby.marks, required, hit, within) {
            return None;
        }
    }
    if let Some(window) = rule.unless_window {
        // A rule's own words do not suppress it ("Spotify downloader"
        // with `spotify` as an unless word); words between a near rule's
        // concepts do ("guaranteed — a scam — returns").
        let own = |m: &Mark| {
            !matches!(rule.shape, Shape::Near(_))
                && hit.start <= m.start
                && m.end <= hit.end
        };
        let suppressed = nearby.any(hit, Some(window), |m| {
            matches!(m.what, Use::Unless(r) if r == hit.rule) && !own(m)
        });
        if suppressed {
            return None;
        }
    }
    let mut score = i64::from(rule.info.score);
    let mut required_met = !rule.any_required;
    for (k, &(window, delta, required)) in rule.context.iter().enumerate() {
        let found = nearby.any(hit, Some(window), |m| {
            matches!(m.what, Use::Context(r, j) if r == hit.rule && j as usize == k)
        });
        if found {
            score += i64::from(delta);
            required_met |= required;
        }
    }
    if !required_met {
        return None;
    }
    let score = score.clamp(0, i64::from(u32::MAX)) as u32;
    if score == 0 && rule.info.action == Decision::Allow {
        return None;
    }
    Some(score)
}

/// Whether the post has the required element of `hit`'s rule (within
/// the first `within` characters): looked up once per rule.
fn has_required(
    p: &Post,
    marks: &[Mark],
    required: &mut Vec<Option<bool>>,
    hit: Hit,
    within: Option<u32>,
) -> bool {
    if required.is_empty() {
        required.resize(p.inner.rules.len(), None);
    }
    *required[hit.rule as usize].get_or_insert_with(|| {
        marks.iter().any(|m| {
            matches!(m.what, Use::Required(r) if r == hit.rule)
                && within.is_none_or(|n| {
                    let at = p.norm.source_span(m.start..m.end).start;
                    p.source[..at].chars().count() < n as usize
                })
        })
    })
}

/// Overlapping hits of one rule ("about to acquire" inside "we are about
/// to acquire") are one finding, and a required rule fires once: keep the
/// earliest, longest. Leaves `kept` sorted by rule.
pub(super) fn drop_overlaps(inner: &Inner, j: &mut Judging) {
    let Judging { kept, hidden, .. } = j;
    // Unstable, so it does not allocate; among equal spans the higher
    // score comes first.
    kept.sort_unstable_by_key(|&(h, score)| {
        (h.rule, h.start, std::cmp::Reverse(h.end), std::cmp::Reverse(score))
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
}

/// Two rules of one category on the same words are one finding: a hit
/// inside a hit of another rule of its category (a bare "risk-free" inside
/// "risk-free investment") is dropped, if that rule weighs at least as much
/// (action and score): a team's weaker rule must not hide a locked one.
/// Of two hits on the same words that weigh the same, the earlier rule's
/// stays. Keeps `kept` in its order; records in `swallowed` who holds what
/// it dropped, for [`decide`].
pub(super) fn drop_covered(inner: &Inner, j: &mut Judging) {
    let Judging { kept, order, covered, open, hidden, swallowed, .. } = j;
    swallowed.clear();
    if kept.len() < 2 {
        return;
    }
    let info = |h: &Hit| &inner.rules[h.rule as usize].info;
    let act = |h: &Hit| action(inner, h);
    // A sweep in text order, longest first, then heaviest: every hit that
    // can hold another comes before it.
    order.clear();
    order.extend(0..kept.len());
    order.sort_unstable_by_key(|&i| {
        let (h, score) = kept[i];
        let weight = std::cmp::Reverse((act(&h), score));
        (h.start, std::cmp::Reverse(h.end), weight, h.rule)
    });
    covered.clear();
    covered.resize(kept.len(), false);
    // The hits so far, kept or dropped, that reach past the current one's
    // start: only these can hold it. A kept one decides that it is dropped
    // (a hit held by a dropped one is held by what dropped that one, too);
    // the innermost, kept or dropped, is owed what it loses.
    open.clear();
    for &i in order.iter() {
        let (h, score) = kept[i];
        open.retain(|(g, _, _)| g.end > h.start);
        let at_least = |a: (&Hit, u32), b: (&Hit, u32)| {
            act(a.0) >= act(b.0) && a.1 >= b.1
        };
        let holds = |&(g, g_score, _): &(Hit, u32, bool)| {
            g.rule != h.rule
                && h.end <= g.end
                && inner.rules[g.rule as usize].category
                    == inner.rules[h.rule as usize].category
                && at_least((&g, g_score), (&h, score))
                && (g.end - g.start > h.end - h.start
                    || !at_least((&h, score), (&g, g_score))
                    || g.rule < h.rule)
        };
        if open.iter().any(|g| g.2 && holds(g)) {
            covered[i] = true;
            // Owed to the innermost holder, kept or not: a dropped holder
            // passes on what it would have counted.
            let g = open
                .iter()
                .rev()
                .find(|g| holds(g))
                .map_or(h.rule, |g| g.0.rule);
            swallowed.push((h.rule, score, g, swallowed.len() as u32));
            if info(&h).mask {
                hidden.push(h.start..h.end);
            }
        }
        open.push((h, score, !covered[i]));
    }
    let mut k = 0;
    kept.retain(|_| {
        k += 1;
        !covered[k - 1]
    });
}

/// Each rule counts once, with its best hit: the decision and the total
/// score. A rule that holds the phrases of others counts at least what
/// they would have: what a swallowed rule loses is owed to the rule that
/// holds it ([`owed`]), and a rule's best hit, as its reason shows it,
/// weighs the larger of its own score and what the rule is owed. So "bead cafe" (51) holding two
/// rules' "cafe" (38 and 16) counts 54, and adding a rule to a policy
/// never lowers a score. `kept` is sorted by rule.
pub(super) fn decide(inner: &Inner, j: &mut Judging) -> (Decision, u32) {
    owed(j);
    let Judging { kept, credits, .. } = j;
    let mut owed = credits.iter().peekable();
    let mut total: u64 = 0;
    let mut floor = Decision::Allow;
    for same_rule in kept.chunk_by_mut(|a, b| a.0.rule == b.0.rule) {
        let rule = same_rule[0].0.rule;
        let mut credit: u32 = 0;
        while let Some(&&(holder, lost)) = owed.peek() {
            if holder > rule {
                break;
            }
            if holder == rule {
                credit = credit.saturating_add(lost);
            }
            owed.next();
        }
        // The first of the best hits carries the credit.
        let top = same_rule.iter().map(|&(_, s)| s).max().unwrap_or(0);
        let best = same_rule.iter().position(|&(_, s)| s == top).unwrap_or(0);
        let best = &mut same_rule[best].1;
        *best = (*best).max(credit);
        total += u64::from(*best);
        for (h, _) in same_rule {
            floor = floor.max(action(inner, h));
        }
    }
    let total = total.min(u64::from(u32::MAX)) as u32;
    (inner.thresholds.decision(total).max(floor), total)
}

/// Fills `credits`, sorted by holder: for each rule the sweep dropped hits
/// of, what it lost, owed to the innermost holder of its best dropped hit
/// (the first in the sweep among equals). A rule with a kept hit loses its
/// best dropped score over its best kept one; a rule with none loses the
/// larger of its best dropped score and what it is owed itself, so a
/// dropped holder passes on what it would have counted ("cafe" 38 inside
/// "cafe" 40 inside "bead cafe" 45: 40, not 78, is owed to the outermost).
/// Inner rules first: a holder comes before what it holds in the sweep.
fn owed(j: &mut Judging) {
    let Judging { kept, swallowed, credits, .. } = j;
    credits.clear();
    if swallowed.is_empty() {
        return;
    }
    swallowed.sort_unstable_by_key(|&(rule, score, _, seq)| {
        (rule, std::cmp::Reverse(score), seq)
    });
    swallowed.dedup_by_key(|e| e.0);
    swallowed.sort_unstable_by_key(|e| std::cmp::Reverse(e.3));
    for &(rule, score, holder, _) in swallowed.iter() {
        let first = kept.partition_point(|(h, _)| h.rule < rule);
        let mine = kept[first..].iter().take_while(|(h, _)| h.rule == rule);
        let lost = match mine.map(|&(_, s)| s).max() {
            Some(kept_best) => score.saturating_sub(kept_best),
            None => score.max(owed_to(credits, rule)),
        };
        if lost > 0 && holder != rule {
            credits.push((holder, lost));
        }
    }
    credits.sort_unstable();
}

/// What `credits` owe `rule` so far.
fn owed_to(credits: &[(u32, u32)], rule: u32) -> u32 {
    credits
        .iter()
        .filter(|c| c.0 == rule)
        .fold(0, |a: u32, c| a.saturating_add(c.1))
}
