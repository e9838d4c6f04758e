//! Explaining a judged post: the kept hits become the [`Verdict`]'s
//! reasons, in the post's own coordinates, with line and column, masked
//! excerpts and notes. Apart from judging because it is about text, not
//! scores, and because it is the one stage that allocates.

use std::ops::Range;

use crate::verdict::Decision;
use crate::verdict::{ConceptMatch, Masks, Reason, Verdict};

use super::compile::{CompiledRule, Shape};
use super::judge::Judging;
use super::near::{Nearing, Occ};
use super::scan::{Hit, Imitation};
use super::score::Scoring;
use super::Post;

/// Explaining's scratch space, reused between screenings.
#[derive(Default)]
pub(super) struct Explaining {
    /// Each kept hit's span in the post, with its index in `kept`, in text
    /// order.
    spans: Vec<(Range<usize>, usize)>,
    /// Line and column of each of `spans`.
    positions: Vec<(usize, usize)>,
    masks: Masks,
}

/// What the near and score stages noted, for the reasons of their rules.
pub(super) struct Notes<'a> {
    pub(super) nearing: &'a Nearing,
    pub(super) scoring: &'a Scoring,
}

/// The verdict on the kept hits.
pub(super) fn verdict(
    p: &Post,
    j: &mut Judging,
    e: &mut Explaining,
    notes: Notes,
    decision: Decision,
    score: u32,
) -> Verdict {
    place(p, j, e);
    let reasons = reasons(p, &j.kept, e, notes);
    // Kept for `Verdict::redact`; empty (no allocation) as a rule.
    let hidden = j.hidden.to_vec();
    Verdict::new(decision, score, reasons, hidden, p.inner.policy.clone())
}

/// Spans, positions and masks in the post's coordinates. Positions and
/// masks are worked out in one pass over the post, whatever the number of
/// reasons.
fn place(p: &Post, j: &mut Judging, e: &mut Explaining) {
    let Explaining { spans, positions, masks } = e;
    let kept = &j.kept;
    spans.clear();
    spans.extend(
        kept.iter()
            .enumerate()
            .map(|(i, (h, _))| (p.norm.source_span(h.start..h.end), i)),
    );
    spans.sort_unstable_by_key(|(r, i)| (r.start, r.end, *i));
    crate::text::line_columns(
        p.source,
        spans.iter().map(|(r, _)| r.start),
        positions,
    );
    for r in j.hidden.iter_mut() {
        *r = p.norm.source_span(r.clone());
    }
    let masked = |i: usize| p.inner.rules[kept[i].0.rule as usize].info.mask;
    masks.fill(
        p.source,
        spans
            .iter()
            .filter(|(_, i)| masked(*i))
            .map(|(r, _)| r.clone())
            .chain(j.hidden.iter().cloned()),
    );
}

/// Reasons in text order; whole-post reasons (required rules) first.
fn reasons(
    p: &Post,
    kept: &[(Hit, u32)],
    e: &Explaining,
    notes: Notes,
) -> Vec<Reason> {
    let rule = |i: usize| &p.inner.rules[kept[i].0.rule as usize];
    let whole_post =
        |i: usize| matches!(rule(i).shape, Shape::Required { .. });
    let reason = |((span, i), &position): (&(Range<usize>, usize), _)| {
        let r =
            reason(p, rule(*i), kept[*i], span.clone(), position, &e.masks);
        let hit = &kept[*i].0;
        match rule(*i).shape {
            Shape::Near(_) => with_concepts(p, r, notes.nearing.chain(hit)),
            Shape::Score(_) => match notes.scoring.note(p, hit, r.masked()) {
                Some(note) => {
                    let message = noted(r.message(), format_args!("{note}"));
                    r.with_concepts(Vec::new(), message)
                }
                None => r,
            },
            _ => r,
        }
    };
    let both = || e.spans.iter().zip(e.positions.iter());
    let mut reasons = Vec::with_capacity(e.spans.len());
    reasons.extend(both().filter(|((_, i), _)| whole_post(*i)).map(reason));
    reasons.extend(both().filter(|((_, i), _)| !whole_post(*i)).map(reason));
    reasons
}

/// The reason for one kept hit, at `span` of the post.
fn reason(
    p: &Post,
    rule: &CompiledRule,
    (hit, score): (Hit, u32),
    span: Range<usize>,
    position: (usize, usize),
    masks: &Masks,
) -> Reason {
    let (span, message) = match &rule.shape {
        Shape::Required { .. } => {
            (None, Some(trigger_note(p.source, span, rule)))
        }
        Shape::Link(lists) => {
            let message = match hit.imitates {
                Imitation::Protected(i) => {
                    let host = &lists.protect[i as usize].0;
                    Some(noted(
                        &rule.info.message,
                        format_args!("(the link's host imitates '{host}')"),
                    ))
                }
                Imitation::HiddenDomain => Some(noted(
                    &rule.info.message,
                    format_args!("(the link's host puts another site's domain in front of its own)"),
                )),
                Imitation::Nothing => None,
            };
            (Some(span), message)
        }
        _ => (Some(span), None),
    };
    let info = rule.info.clone();
    Reason::new(info, score, p.source, span, position, masks, message)
        .with_stance(hit.stance)
}

/// A near rule's reason with the concepts it matched: their names and
/// spans, and in the message "(certainty “guaranteed” near return “6%”)"
/// (the names only, for a masked rule). The note is written straight into
/// the message: a reason allocates its message and its list, nothing else.
fn with_concepts(p: &Post, r: Reason, chain: &[Occ]) -> Reason {
    if chain.is_empty() {
        return r;
    }
    let names = &p.inner.concepts.names;
    let matches = chain
        .iter()
        .map(|o| {
            let name = &names[o.concept as usize];
            ConceptMatch::new(name.clone(), p.norm.source_span(o.start..o.end))
        })
        .collect();
    let note = ChainNote { p, chain, masked: r.masked() };
    let message = noted(r.message(), format_args!("{note}"));
    r.with_concepts(matches, message)
}

/// The "(certainty “guaranteed” near return “6%”)" note of a near reason.
struct ChainNote<'a, 'p> {
    p: &'a Post<'p>,
    chain: &'a [Occ],
    masked: bool,
}

impl std::fmt::Display for ChainNote<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        let names = &self.p.inner.concepts.names;
        f.write_char('(')?;
        for (k, o) in self.chain.iter().enumerate() {
            if k > 0 {
                f.write_str(" near ")?;
            }
            f.write_str(&names[o.concept as usize])?;
            if !self.masked {
                let span = self.p.norm.source_span(o.start..o.end);
                f.write_str(" \u{201c}")?;
                for c in self.p.source[span].chars().take(40) {
                    f.write_char(if c.is_control() { ' ' } else { c })?;
                }
                f.write_char('\u{201d}')?;
            }
        }
        f.write_char(')')
    }
}

/// "(triggered by “returned 12%” at line 1, column 5)": where a required
/// rule's trigger is, after the rule's message, for its whole-post
/// reason.
fn trigger_note(
    post: &str,
    span: Range<usize>,
    rule: &CompiledRule,
) -> String {
    let (line, column) = crate::text::line_column(post, span.start);
    let message = &rule.info.message;
    if rule.info.mask {
        return noted(
            message,
            format_args!("(triggered at line {line}, column {column})"),
        );
    }
    /// The first 40 characters, on one line.
    struct Quoted<'a>(&'a str);
    impl std::fmt::Display for Quoted<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            use std::fmt::Write;
            for c in self.0.chars().take(40) {
                f.write_char(if matches!(c, '\n' | '\r') { ' ' } else { c })?;
            }
            Ok(())
        }
    }
    noted(
        message,
        format_args!(
            "(triggered by \u{201c}{}\u{201d} at line {line}, column \
             {column})",
            Quoted(&post[span])
        ),
    )
}

/// `message`, a space and `note`: one allocation, sized exactly (a
/// verdict allocates only what it keeps).
fn noted(message: &str, note: std::fmt::Arguments) -> String {
    use std::fmt::Write;
    struct Len(usize);
    impl Write for Len {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut len = Len(0);
    let _ = len.write_fmt(note);
    let sep = if message.is_empty() { "" } else { " " };
    let mut out = String::with_capacity(message.len() + sep.len() + len.0);
    out.push_str(message);
    out.push_str(sep);
    let _ = out.write_fmt(note);
    out
}
