//! Stance: whether a hit is asserted, or negated ("nobody can guarantee
//! returns"), quoted ("the rule bans phrases like 'guaranteed returns'")
//! or reported ("if a stranger promises to triple your money, it's a
//! scam"). A rule says per frame what such a hit does (`negated`,
//! `quoted`, `reported` = "keep" | "warn" | "ignore").
//!
//! The cue words are data: one table per language below, all in one
//! automaton (built once per normal form, on first use). They are looked
//! for only in the sentences of hits whose rule cares, so a clean post
//! costs nothing.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use serde::Deserialize;

use crate::normalize::{normalize_term, Form};
use crate::text::{near, whole_word};
use crate::verdict::Decision;

/// What a rule does with a hit in a frame (`negated = "ignore"`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[non_exhaustive]
pub enum StanceAction {
    /// Nothing: the hit is not counted (ordered first: the most lenient).
    Ignore,
    /// The hit's action is lowered to warn and its score to below block.
    Warn,
    /// The hit counts as if it were asserted (the default).
    #[default]
    Keep,
}

impl StanceAction {
    /// `"ignore"`, `"warn"` or `"keep"`, as a pack writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            StanceAction::Ignore => "ignore",
            StanceAction::Warn => "warn",
            StanceAction::Keep => "keep",
        }
    }
}

impl std::fmt::Display for StanceAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for StanceAction {
    fn deserialize<D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<StanceAction, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "ignore" => Ok(StanceAction::Ignore),
            "warn" => Ok(StanceAction::Warn),
            "keep" => Ok(StanceAction::Keep),
            _ => Err(serde::de::Error::unknown_variant(
                &s,
                &["keep", "warn", "ignore"],
            )),
        }
    }
}

/// `action` as a hit's stance leaves it: warn at most when lowered,
/// allow when ignored (such a hit is a reason only when asked for).
pub(crate) fn lowered(action: Decision, stance: Option<Stance>) -> Decision {
    match stance.map(|s| s.effect) {
        Some(StanceAction::Warn) => action.min(Decision::Warn),
        Some(StanceAction::Ignore) => Decision::Allow,
        _ => action,
    }
}

/// A rule's action per frame; all `Keep` unless the pack says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct StanceRule {
    /// For hits under a negation.
    pub negated: StanceAction,
    /// For hits in quotation marks or mentioned ("phrases like …").
    pub quoted: StanceAction,
    /// For hits in a warning or report ("scam", "beware", "report it").
    pub reported: StanceAction,
}

impl StanceRule {
    /// True when every frame keeps the hit: nothing to look for.
    pub fn is_keep(&self) -> bool {
        *self == StanceRule::default()
    }
}

/// The frame a hit was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame {
    /// Under a negation.
    Negated,
    /// Quoted or mentioned.
    Quoted,
    /// In a warning or report.
    Reported,
}

impl Frame {
    /// `"negated"`, `"quoted"` or `"reported"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Frame::Negated => "negated",
            Frame::Quoted => "quoted",
            Frame::Reported => "reported",
        }
    }
}

/// How a hit's frame changed it: which frame, the cue that showed it (a
/// word of the lexicon, or the quotation mark), and what the rule did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stance {
    frame: Frame,
    cue: &'static str,
    effect: StanceAction,
}

impl Stance {
    /// The same frame and cue, with the hit not counted: what a link
    /// written defanged gets in any frame (see the judge).
    pub(crate) fn ignored(self) -> Stance {
        self.with_effect(StanceAction::Ignore)
    }

    /// The same frame and cue, doing `effect`.
    pub(crate) fn with_effect(self, effect: StanceAction) -> Stance {
        Stance { effect, ..self }
    }
}

impl Stance {
    /// The frame.
    pub fn frame(&self) -> Frame {
        self.frame
    }

    /// The cue: a lexicon word such as `nobody` or `scam`, or `"` for a
    /// quotation.
    pub fn cue(&self) -> &'static str {
        self.cue
    }

    /// What the rule did with the hit.
    pub fn effect(&self) -> StanceAction {
        self.effect
    }
}

/// "negated by 'nobody': lowered to warn".
impl std::fmt::Display for Stance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let effect = match self.effect {
            StanceAction::Ignore => "ignored",
            StanceAction::Warn => "lowered to warn",
            StanceAction::Keep => "kept",
        };
        write!(f, "{} by '{}': {effect}", self.frame.as_str(), self.cue)
    }
}

mod cues;

use cues::Cue::{self, *};
use cues::TABLES;

mod apposition;
mod quote;

pub(crate) use apposition::{apposed, Apposed};
use quote::quotation;
pub(crate) use quote::{answers_quotes, reply_quoted};

/// The cues of every language in one automaton, in one normal form.
pub(crate) struct Lexicon {
    ac: Option<AhoCorasick>,
    /// Per automaton pattern: its kind and the word as listed.
    cues: Vec<(Cue, &'static str)>,
}

impl Lexicon {
    fn new(form: Form) -> Lexicon {
        let mut keys: Vec<String> = Vec::new();
        let mut cues = Vec::new();
        for (_, table) in TABLES {
            for &(word, cue) in table {
                let key = normalize_term(word, form);
                // A word in two tables ("no", "illegal") is one pattern;
                // the tests check that both give it the same kind.
                if key.is_empty() || keys.contains(&key) {
                    continue;
                }
                keys.push(key);
                cues.push((cue, word));
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .ok();
        Lexicon { ac, cues }
    }

    /// The lexicon for `form`, built on first use.
    pub(crate) fn get(form: Form) -> &'static Lexicon {
        static BASIC: OnceLock<Lexicon> = OnceLock::new();
        static FULL: OnceLock<Lexicon> = OnceLock::new();
        let cell = match form {
            Form::Basic => &BASIC,
            Form::Full => &FULL,
        };
        cell.get_or_init(|| Lexicon::new(form))
    }

    /// Whole-word cues in `text[within]`, in text order. A longest match
    /// that is not a whole word ("people ask" in "people asked me") is
    /// dropped and the search goes on from its second character, so the
    /// cue it hid ("asked me") is still found.
    fn scan(&self, text: &str, within: Range<usize>, out: &mut Vec<CueAt>) {
        let Some(ac) = &self.ac else { return };
        let mut at = within.start;
        while let Some(m) = ac.find(Input::new(text).span(at..within.end)) {
            let (start, end) = (m.start(), m.end());
            if whole_word(text, start, end) {
                let id = m.pattern().as_u32();
                out.push(CueAt { id, start, end });
                at = end;
            } else {
                at = start
                    + text[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }

    /// The cue words of the lexicon that occur in `words` (a rule's
    /// terms, or a pattern's source): a hit of the rule does not count
    /// them as its frame ("can't lose" is not negated by its "can't").
    pub(crate) fn own(&self, words: &[&str], form: Form) -> Vec<u32> {
        let normal: Vec<String> =
            words.iter().map(|w| normalize_term(w, form)).collect();
        self.own_normal(normal.iter().map(String::as_str))
    }

    /// [`Lexicon::own`] of words already in the normal form (a rule's
    /// terms, which the compiler has normalised for its automaton).
    pub(crate) fn own_normal<'a>(
        &self,
        normal: impl IntoIterator<Item = &'a str>,
    ) -> Vec<u32> {
        let mut found = Vec::new();
        let mut own = Vec::new();
        for n in normal {
            found.clear();
            self.scan(n, 0..n.len(), &mut found);
            own.extend(found.iter().map(|f| f.id));
        }
        own.sort_unstable();
        own.dedup();
        own
    }
}

/// A cue found in the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CueAt {
    id: u32,
    start: usize,
    end: usize,
}

/// Where a hit stands: its sentence and clause, in the normalised text,
/// the end of the next sentence (warnings often follow a question:
/// "Guaranteed 20% a month? It's a scam."), and whether its line, read on
/// the post as written, quotes what the post answers.
pub(crate) struct Around {
    pub(crate) sentence: Range<usize>,
    pub(crate) clause: Range<usize>,
    /// The clause the hit ends in: a proximity rule's hit can run over
    /// several clauses, and only there does a negation inside it reach its
    /// last word ("the feature … is Marlowe Kid. you'd never guess. you
    /// didn't hear it from me": the "never" is not the aside's).
    pub(crate) end_clause: Range<usize>,
    /// Where the next sentence ends, when the hit's sentence is a
    /// question; else `sentence.end`.
    pub(crate) report_end: usize,
    /// The hit's line, as written, starts with `>` in a post that answers
    /// it ([`answers_quotes`], [`reply_quoted`]).
    pub(crate) reply_quote: bool,
    /// A negative subject and its apposition before the hit's clause
    /// ("Nobody, not even the best manager, | can guarantee …").
    pub(crate) apposed: Option<Apposed>,
}

/// How many words a "no" reaches, and a "… is a myth" looks back.
const NO_REACH: u32 = 3;
const AFTER_REACH: u32 = 4;
/// How many words may stand before a hit that is the question a bare
/// "None" answers ("A guaranteed return? None."); none may stand after it.
const ANSWER_OPENS: u32 = 1;
/// How many words into the next sentence an answer to a question denies it.
const ANSWER_REACH: u32 = 2;
/// How many words before a hit a "phrases like" introduces it.
const MENTION_REACH: u32 = 6;

/// The frame of the hit `hit` of a rule with `rule` actions and `own`
/// cues, if the rule cares about it: the most lenient action among the
/// frames found wins. `cues` is scratch space.
pub(crate) fn judge(
    lex: &Lexicon,
    text: &str,
    hit: Range<usize>,
    around: &Around,
    rule: StanceRule,
    own: &[u32],
    cues: &mut Vec<CueAt>,
) -> Option<Stance> {
    cues.clear();
    let scan_end = around.report_end.max(around.sentence.end).min(text.len());
    let scan_start = around.sentence.start.min(hit.start);
    lex.scan(text, scan_start..scan_end, cues);
    // A cue inside a link is part of it, not a frame around it: the path
    // of "https://paypa1.com/claims/staff" reports nothing.
    cues.retain(|c| !in_link(text, c));
    let mut best: Option<Stance> = None;
    let mut consider = |frame, cue, action: StanceAction| {
        if best.is_none_or(|b| action < b.effect) {
            best = Some(Stance { frame, cue, effect: action });
        }
    };
    if rule.negated != StanceAction::Keep {
        if let Some(cue) = negation(lex, text, &hit, around, own, cues) {
            consider(Frame::Negated, cue, rule.negated);
        }
    }
    if rule.quoted != StanceAction::Keep {
        let cue = around
            .reply_quote
            .then_some(">")
            .or_else(|| quotation(text, &hit))
            .or_else(|| mention(lex, text, &hit, around, cues));
        if let Some(cue) = cue {
            consider(Frame::Quoted, cue, rule.quoted);
        }
    }
    if rule.reported != StanceAction::Keep {
        let report = cues.iter().find(|c| {
            let kind = lex.cues[c.id as usize].0;
            (kind.reports()
                || kind == Ask && !answered(text, c, &hit, &around.sentence))
                && !(own.contains(&c.id) && inside(c, &hit))
                && (c.end <= around.sentence.end || c.start >= hit.end)
        });
        if let Some(c) = report {
            consider(
                Frame::Reported,
                lex.cues[c.id as usize].1,
                rule.reported,
            );
        }
    }
    best
}

/// The first report cue anywhere in `text`, for a link: a link written
/// defanged in a post that defangs a host and calls it a scam or phishing
/// a sentence away is a warning about it, and so is one in a post that
/// asks about it or calls for attention ([`PostWarning::any`]); a live
/// look-alike is reported only by a warning, about anything or about the
/// host ([`PostWarning::report`]: an asked question warns nobody, and
/// "heads up" opens a phish as well).
/// Memories ("back in the day") and reported promises count too. `cues`
/// is scratch.
pub(crate) fn warning_in_post(
    lex: &Lexicon,
    text: &str,
    cues: &mut Vec<CueAt>,
) -> PostWarning {
    cues.clear();
    lex.scan(text, 0..text.len(), cues);
    // A word of a link's own host or path ("paypa1.com/fraud-refund/…")
    // warns about nothing.
    cues.retain(|c| !in_link(text, c));
    let first = |counts: fn(Cue) -> bool| {
        let c = cues.iter().find(|c| counts(lex.cues[c.id as usize].0))?;
        Some(Stance {
            frame: Frame::Reported,
            cue: lex.cues[c.id as usize].1,
            effect: StanceAction::Ignore,
        })
    };
    PostWarning {
        any: first(|k| {
            k.reports() || matches!(k, Ask | LinkWarning | Attention)
        }),
        report: first(|k| matches!(k, Report | LinkWarning)),
    }
}

/// A post's first report cues (see [`warning_in_post`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PostWarning {
    /// A warning or an asked question.
    pub(crate) any: Option<Stance>,
    /// A warning.
    pub(crate) report: Option<Stance>,
}

/// Whether the question an [`Ask`] cue introduces has ended before the
/// hit does: a colon or question mark stands between the cue and the
/// hit's end, or the hit runs on past the question's sentence ("ppl keep
/// asking if it's safe. look. there is no scenario in which you lose"). A
/// proximity hit that starts in the question and ends in the
/// answer ("asked whether clients can lose money with our bond approach.
/// Honestly? You'd have to try hard not to make money") is the answer's.
fn answered(
    text: &str,
    c: &CueAt,
    hit: &Range<usize>,
    sentence: &Range<usize>,
) -> bool {
    c.end <= hit.end
        && (text[c.end..hit.end].contains([':', '?'])
            || hit.end > sentence.end)
}

/// Whether cue `c` is part of a longer token that reads as a link: one
/// with a `.` between a letter or digit and another (a host; "Scam/phishing"
/// is two words).
fn in_link(text: &str, c: &CueAt) -> bool {
    let start = text[..c.start]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let end = text[c.end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| c.end + i);
    let token = &text[start..end];
    token.len() > c.end - c.start
        && token.as_bytes().windows(3).any(|w| {
            w[1] == b'.'
                && w[0].is_ascii_alphanumeric()
                && w[2].is_ascii_alphanumeric()
        })
}

fn inside(c: &CueAt, hit: &Range<usize>) -> bool {
    c.start < hit.end && hit.start < c.end
}

/// The negation that reaches the hit, if an odd number do (two
/// negations make a promise again: "you can't not make money").
fn negation(
    lex: &Lexicon,
    text: &str,
    hit: &Range<usize>,
    around: &Around,
    own: &[u32],
    cues: &[CueAt],
) -> Option<&'static str> {
    let clause = &around.clause;
    let mut count = 0u32;
    let mut first = None;
    let from = negation_start(lex, text, hit, clause, cues);
    for (i, c) in cues.iter().enumerate() {
        let (kind, word) = lex.cues[c.id as usize];
        let counts = if inside(c, hit) && answers(text, kind, c, hit, around) {
            true
        } else if inside(c, hit) {
            // A negation inside the hit that is not one of the rule's
            // own words ("returns are not guaranteed"), in the clause the
            // hit ends in, or one that follows what it denies in the
            // clause the hit starts in ("eine Rendite ohne Risiko gibt es
            // nicht. … Ihr Geld").
            matches!(kind, Not | No | After | Concord)
                && !own.contains(&c.id)
                && (c.start >= around.end_clause.start
                    || kind == After && c.end <= around.clause.end)
        } else if let Some(a) = around.apposed.as_ref().filter(|a| {
            c.start >= a.subject.start && c.end <= a.apposition.end
        }) {
            // The subject's negation reaches across its apposition, whose
            // own "not"s agree with it.
            c.end <= a.subject.end && matches!(kind, Not | No | Concord)
        } else if c.end <= hit.start {
            c.start >= from
                && match kind {
                    Not | Concord => true,
                    No => {
                        near(text, c.start..c.end, hit.clone(), NO_REACH)
                            && !cues[i + 1..].iter().any(|d| {
                                d.start >= c.end
                                    && d.end <= hit.start
                                    && matches!(
                                        lex.cues[d.id as usize].0,
                                        And | Contrast
                                    )
                            })
                    }
                    _ => false,
                }
        } else if c.end <= around.sentence.end {
            kind == After
                && near(text, hit.clone(), c.start..c.end, AFTER_REACH)
        } else {
            answers(text, kind, c, hit, around)
        };
        // A Spanish negative word after a negation agrees with it, and so
        // does a post-negation in a later clause, which says again what
        // was denied ("no one can promise guaranteed returns, they don't
        // exist"); in the hit's own clause two negations still make a
        // promise.
        let agrees = count > 0
            && (kind == Concord
                || kind == Answer
                || kind == After && c.start >= around.end_clause.end);
        if counts && !agrees {
            count += 1;
            first.get_or_insert(word);
        }
    }
    (count % 2 == 1).then_some(first).flatten()
}

/// Where the negations that reach the hit start: after the last "but"
/// before it in its clause ("can't say much but the merger talks …"), or
/// after an "and" that opens a negation of its own reaching the hit ("we
/// will never contact you like this and never promise returns" denies
/// twice, it does not promise; "don't settle for 0.5% and don't miss out
/// on guaranteed returns" urges: an idiom's negation negates nothing).
/// One that does not reach the hit's words opens nothing: "we are not a
/// casino and not a hedge fund so your capital is safe" denies the fund,
/// not the safety.
fn negation_start(
    lex: &Lexicon,
    text: &str,
    hit: &Range<usize>,
    clause: &Range<usize>,
    cues: &[CueAt],
) -> usize {
    let kind = |c: &CueAt| lex.cues[c.id as usize].0;
    // Cues come in text order: only those before the hit can open one.
    let opens_negation = |rest: &[CueAt]| {
        rest.iter().take_while(|d| d.end <= hit.start).any(|d| {
            matches!(kind(d), Not | No | Idiom)
                && near(text, d.start..d.end, hit.clone(), NO_REACH)
        })
    };
    cues.iter()
        .enumerate()
        .filter(|(_, c)| c.end <= hit.start && c.start >= clause.start)
        .filter(|&(i, c)| match kind(c) {
            Contrast => true,
            And => opens_negation(&cues[i + 1..]),
            _ => false,
        })
        .map(|(_, c)| c.end)
        .max()
        .unwrap_or(clause.start)
}

/// Whether cue `c` of kind `kind` answers the hit's sentence, a question,
/// with a denial opening the next one ("Free money? No such thing.").
fn answers(
    text: &str,
    kind: Cue,
    c: &CueAt,
    hit: &Range<usize>,
    around: &Around,
) -> bool {
    let next = around.sentence.end;
    // A bare "No," or "No." answering is a denial too ("Can you
    // guarantee I won't lose money? A: No, and nobody honest can."), and
    // so is a bare "None." ("¿Rentabilidad garantizada? Ninguna, y quien
    // te la prometa te miente", "Keine."); "no way you can lose" is not
    // an answer but a promise of its own, nor "ninguna duda". A bare
    // "None" answers only a question that is the hit, opened and closed
    // by it: "What's the catch with our guaranteed 9%? None." and
    // "Rentabilidad garantizada del 5 %, ¿comisiones? Ninguna." deny the
    // catch and the fees.
    let opens = || {
        let at = around.sentence.start;
        let to_ask = text.get(hit.end..next).and_then(|s| s.split_once('?'));
        near(text, at..at, hit.clone(), ANSWER_OPENS)
            && to_ask.is_some_and(|(between, _)| {
                !between.chars().any(char::is_alphanumeric)
            })
    };
    let bare = kind == No
        || (kind == Concord || kind == Not && &text[c.start..c.end] == "none")
            && opens();
    let bare_no = || bare && text[c.end..].starts_with([',', '.', '!', ';']);
    (matches!(kind, After | Answer) || bare_no())
        && around.report_end > next
        && c.start >= next
        && c.end <= around.report_end
        && near(text, next..next, c.start..c.end, ANSWER_REACH)
}

/// A "phrases like" shortly before the hit in its sentence.
fn mention(
    lex: &Lexicon,
    text: &str,
    hit: &Range<usize>,
    around: &Around,
    cues: &[CueAt],
) -> Option<&'static str> {
    cues.iter()
        .filter(|c| c.start >= around.sentence.start && c.end <= hit.start)
        .find(|c| {
            lex.cues[c.id as usize].0 == Mention
                && near(text, c.start..c.end, hit.clone(), MENTION_REACH)
        })
        .map(|c| lex.cues[c.id as usize].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word listed in two tables has one kind.
    #[test]
    fn shared_words_agree() {
        let mut seen: Vec<(String, Cue)> = Vec::new();
        for (_, table) in TABLES {
            for &(w, cue) in table {
                let n = normalize_term(w, Form::Full);
                if let Some((_, k)) = seen.iter().find(|(s, _)| *s == n) {
                    assert_eq!(*k, cue, "{w}");
                }
                seen.push((n, cue));
            }
        }
    }

    /// A cue inside a link hit's path frames nothing; the same cue as a
    /// word of the sentence does, and so does a hit that is the cue itself.
    #[test]
    fn cues_inside_a_token_hit() {
        let lex = Lexicon::get(Form::Full);
        let rule = StanceRule {
            negated: StanceAction::Ignore,
            quoted: StanceAction::Ignore,
            reported: StanceAction::Ignore,
        };
        let cases: &[(&str, &str, bool)] = &[
            (
                "claim yours at paypa1.com/claims/staff now",
                "paypa1.com/claims/staff",
                false,
            ),
            ("he claims paypa1.com/staff is real", "paypa1.com/staff", true),
            ("that was a scam", "scam", true),
        ];
        for &(text, hit, framed) in cases {
            let at = text.find(hit).unwrap();
            let around = Around {
                sentence: 0..text.len(),
                clause: 0..text.len(),
                end_clause: 0..text.len(),
                report_end: text.len(),
                reply_quote: false,
                apposed: None,
            };
            let mut cues = Vec::new();
            let got = judge(
                lex,
                text,
                at..at + hit.len(),
                &around,
                rule,
                &[],
                &mut cues,
            );
            assert_eq!(got.is_some(), framed, "{text}");
        }
    }

    /// A cue word inside a link's host or path is the link's, not a frame.
    #[test]
    fn cues_in_links() {
        let cases: &[(&str, &str, bool)] = &[
            ("see paypa1.com/fraud-refund now", "fraud", true),
            ("see paypa1-fraud-centre.com now", "fraud", true),
            ("it's fraud. report it", "fraud", false),
            ("it's a scam.", "scam", false),
            ("Scam/phishing, ignore.", "Scam", false),
            ("fraud", "fraud", false),
        ];
        for &(text, cue, want) in cases {
            let start = text.find(cue).unwrap();
            let c = CueAt { id: 0, start, end: start + cue.len() };
            assert_eq!(in_link(text, &c), want, "{text}");
        }
    }

    #[test]
    fn quotes() {
        let cases: &[(&str, &str, bool)] = &[
            ("bans \"guaranteed returns\" here", "guaranteed", true),
            ("bans 'guaranteed returns' here", "guaranteed", true),
            ("bans 'guaranteed' here", "guaranteed", true),
            // Up to five words may introduce the quotation the hit ends in
            // ("lines sent to clients over the years: \"can't go down\"").
            (
                "sent to clients over the years: \"can't go down\", no",
                "clients over the years: \"can't go down",
                true,
            ),
            (
                "our clients over all of these years: \"can't go down\", no",
                "clients over all of these years: \"can't go down",
                false,
            ),
            ("we can't say guaranteed returns", "guaranteed", false),
            ("«rentabilidad garantizada», no", "garantizada", true),
            ("\"hi\" then guaranteed returns \"x\"", "guaranteed", false),
            ("the users' guaranteed returns", "guaranteed", false),
            // A hit that starts inside a quotation and runs on past its
            // close is quoted, as its claim is...
            ("«sichere Sache» bis -40 %", "Sache» bis -40", true),
            ("watched 'sure things' do -40%", "things' do -40", true),
            ("watched 'sure things do -40%", "things do -40", false),
            // ... but one word in single quotes is emphasis as often as
            // quotation: the poster's own.
            ("'Guaranteed' returns of 7%", "Guaranteed' returns", false),
            ("see 'leaked' tracks around", "leaked' tracks", false),
            ("the band's 'new' leaked tracks", "leaked tracks", false),
        ];
        for &(text, word, want) in cases {
            let at = text.find(word).unwrap();
            let got = quotation(text, &(at..at + word.len())).is_some();
            assert_eq!(got, want, "{text}");
        }
    }
}
