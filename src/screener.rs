//! The compiled screener: one Aho-Corasick automaton for every term and
//! context word of every rule, one `RegexSet` for every pattern, validators
//! on candidates only; then scoring.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use unicode_segmentation::UnicodeSegmentation;

use crate::error::{Error, ErrorKind};
use crate::normalize::{normalize_term, Normalized};
use crate::pack::{Date, Decision, RuleKind, Thresholds};
use crate::policy::Policy;
use crate::validate::{self, Validator};
use crate::verdict::{PolicyInfo, Reason, RuleInfo, Verdict};

/// Above this many bytes of terms the automaton is left to pick its own
/// (smaller, slower) representation: a DFA over 10,000 terms costs tens of
/// megabytes and seconds to build.
const DFA_TERM_BYTES: usize = 64 * 1024;

/// Regex size limits: a hostile pack must not compile into gigabytes.
const REGEX_SIZE_LIMIT: usize = 16 * 1024 * 1024;

/// Builds a [`Screener`] with options. One builder can build many
/// screeners.
#[derive(Clone, Debug, Default)]
pub struct ScreenerBuilder {
    now: Option<Date>,
    reveal: bool,
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
/// let v = screener.screen("Please charge card 4111 1111 1111 1111 today");
/// assert_eq!(v.decision(), Decision::Block);
/// assert_eq!(v.reasons()[0].span(), Some(19..38));
/// # Ok::<(), preclear::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Screener {
    inner: Arc<Inner>,
}

/// Index of a rule in the compiled policy.
type RuleIdx = u32;

/// What an automaton pattern (a unique normalised word) is used for.
#[derive(Clone, Copy, Debug)]
enum Use {
    /// A term of a terms rule.
    Term(RuleIdx),
    /// A word of context entry `.1` of a rule.
    Context(RuleIdx, u16),
    /// A word of a rule's `unless`.
    Unless(RuleIdx),
    /// A term of exception `.0`.
    Exception(u32),
}

#[derive(Debug)]
struct CompiledRule {
    info: Arc<RuleInfo>,
    validator: Option<Validator>,
    whole_word: bool,
    /// `(window, score, required)` per context entry.
    context: Vec<(u32, i32, bool)>,
    any_required: bool,
    unless_window: Option<u32>,
    /// Exceptions that apply to this rule.
    exceptions: Vec<u32>,
    active_from: Option<Date>,
    active_until: Option<Date>,
}

#[derive(Debug)]
struct CompiledException {
    patterns: Vec<Regex>,
}

#[derive(Debug)]
struct Inner {
    rules: Vec<CompiledRule>,
    words: Option<AhoCorasick>,
    /// `uses[word_uses[p].clone()]` are the uses of automaton pattern `p`.
    word_uses: Vec<Range<u32>>,
    uses: Vec<Use>,
    pattern_set: Option<RegexSet>,
    pattern_regexes: Vec<Regex>,
    pattern_rules: Vec<RuleIdx>,
    exceptions: Vec<CompiledException>,
    thresholds: Thresholds,
    policy: Arc<PolicyInfo>,
    now: Option<Date>,
    dated: bool,
    reveal: bool,
}

fn compile(
    opts: &ScreenerBuilder,
    policy: &Policy,
) -> Result<Screener, Error> {
    let mut rules = Vec::new();
    let mut first_pack: Vec<(&str, &str)> = Vec::new();
    // Normalised word -> its uses, in a stable order.
    let mut word_index: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    let mut words: Vec<(String, Vec<Use>)> = Vec::new();
    let mut add_word = |w: &str, u: Use| {
        let n = normalize_term(w);
        let i = *word_index.entry(n.clone()).or_insert_with(|| {
            words.push((n, Vec::new()));
            words.len() - 1
        });
        words[i].1.push(u);
    };
    let mut pattern_sources = Vec::new();
    let mut pattern_regexes = Vec::new();
    let mut pattern_rules = Vec::new();
    let mut exceptions = Vec::new();
    // (rule ids, categories) each exception applies to.
    let mut exception_scope: Vec<(Vec<String>, Vec<String>)> = Vec::new();

    for pack in policy.packs() {
        for rule in &pack.rules {
            if let Some((_, first)) =
                first_pack.iter().find(|(id, _)| *id == rule.id)
            {
                return Err(Error::new(ErrorKind::DuplicateRule {
                    first: first.to_string(),
                })
                .with_pack(pack.origin.clone())
                .with_rule(rule.id.clone())
                .with_position(rule.position.0, rule.position.1));
            }
            first_pack.push((&rule.id, &pack.name));
            let idx = rules.len() as RuleIdx;
            let mut validator = None;
            match &rule.kind {
                RuleKind::Terms(terms) => {
                    for t in terms {
                        add_word(t, Use::Term(idx));
                    }
                }
                RuleKind::Pattern { pattern, validator: v } => {
                    let re =
                        pattern_builder(pattern).build().map_err(|e| {
                            Error::new(ErrorKind::Regex(regex_message(&e)))
                                .with_pack(pack.origin.clone())
                                .with_rule(rule.id.clone())
                                .with_position(
                                    rule.pattern_position.0,
                                    rule.pattern_position.1,
                                )
                        })?;
                    if let Some(name) = v {
                        validator = Some(validate::by_name(name).ok_or_else(
                            || {
                                Error::new(ErrorKind::UnknownValidator(
                                    name.clone(),
                                ))
                                .with_pack(pack.origin.clone())
                                .with_rule(rule.id.clone())
                            },
                        )?);
                    }
                    pattern_sources.push(pattern.clone());
                    pattern_regexes.push(re);
                    pattern_rules.push(idx);
                }
            }
            for (k, c) in rule.context.iter().enumerate() {
                for w in &c.words {
                    add_word(w, Use::Context(idx, k as u16));
                }
            }
            if let Some(u) = &rule.unless {
                for w in &u.words {
                    add_word(w, Use::Unless(idx));
                }
            }
            rules.push(CompiledRule {
                info: Arc::new(RuleInfo {
                    id: rule.id.clone(),
                    pack: pack.name.clone(),
                    category: rule.category.clone(),
                    action: rule.action,
                    score: rule.score,
                    message: rule.message.clone(),
                    mask: rule.mask && !opts.reveal,
                }),
                validator,
                whole_word: rule.whole_word,
                context: rule
                    .context
                    .iter()
                    .map(|c| (c.window, c.score, c.required))
                    .collect(),
                any_required: rule.context.iter().any(|c| c.required),
                unless_window: rule.unless.as_ref().map(|u| u.window),
                exceptions: Vec::new(),
                active_from: rule.active_from,
                active_until: rule.active_until,
            });
        }
        for ex in &pack.exceptions {
            let e = exceptions.len() as u32;
            for t in &ex.terms {
                add_word(t, Use::Exception(e));
            }
            let mut patterns = Vec::new();
            for p in &ex.patterns {
                patterns.push(pattern_builder(p).build().map_err(|err| {
                    Error::new(ErrorKind::Regex(regex_message(&err)))
                        .with_pack(pack.origin.clone())
                        .with_position(ex.position.0, ex.position.1)
                })?);
            }
            exceptions.push(CompiledException { patterns });
            exception_scope.push((ex.rules.clone(), ex.categories.clone()));
        }
    }

    // An exception applies to the rules it names, from any pack.
    for (e, (ids, cats)) in exception_scope.iter().enumerate() {
        for r in rules.iter_mut() {
            let all = ids.is_empty() && cats.is_empty();
            if all
                || ids.iter().any(|i| *i == r.info.id)
                || cats.iter().any(|c| *c == r.info.category)
            {
                r.exceptions.push(e as u32);
            }
        }
    }

    let automaton = if words.is_empty() {
        None
    } else {
        let total: usize = words.iter().map(|(w, _)| w.len()).sum();
        let kind = (total <= DFA_TERM_BYTES).then_some(AhoCorasickKind::DFA);
        Some(
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(words.iter().map(|(w, _)| w.as_bytes()))
                .map_err(|e| {
                    Error::new(ErrorKind::InvalidPack(format!(
                        "terms do not fit in an automaton: {e}"
                    )))
                })?,
        )
    };
    let mut word_uses = Vec::with_capacity(words.len());
    let mut uses = Vec::new();
    for (_, u) in words {
        let start = uses.len() as u32;
        uses.extend(u);
        word_uses.push(start..uses.len() as u32);
    }

    let pattern_set = if pattern_sources.is_empty() {
        None
    } else {
        Some(
            RegexSetBuilder::new(&pattern_sources)
                .unicode(false)
                .case_insensitive(true)
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| {
                    Error::new(ErrorKind::Regex(regex_message(&e)))
                })?,
        )
    };

    let dated = rules
        .iter()
        .any(|r| r.active_from.is_some() || r.active_until.is_some());
    Ok(Screener {
        inner: Arc::new(Inner {
            rules,
            words: automaton,
            word_uses,
            uses,
            pattern_set,
            pattern_regexes,
            pattern_rules,
            exceptions,
            thresholds: policy.thresholds(),
            policy: Arc::new(PolicyInfo {
                packs: policy.pack_labels(),
                fingerprint: policy.fingerprint(),
            }),
            now: opts.now,
            dated,
            reveal: opts.reveal,
        }),
    })
}

fn pattern_builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT);
    b
}

// The regex crate's messages span several lines; keep the last one, which
// says what is wrong.
fn regex_message(e: &regex::Error) -> String {
    let s = e.to_string();
    let last = s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    last.trim().trim_start_matches("error: ").to_string()
}

/// A candidate hit, in normalised coordinates.
#[derive(Clone, Copy, Debug)]
struct Hit {
    rule: RuleIdx,
    start: usize,
    end: usize,
}

/// A context, unless or exception word found in the post.
#[derive(Clone, Copy, Debug)]
struct Mark {
    what: Use,
    start: usize,
    end: usize,
}

/// Scratch space reused by screenings on the same thread.
#[derive(Default)]
struct Scratch {
    norm: Normalized,
    hits: Vec<Hit>,
    marks: Vec<Mark>,
    kept: Vec<(Hit, u32)>,
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
    pub fn screen(&self, post: &str) -> Verdict {
        let now = match (self.inner.now, self.inner.dated) {
            (Some(d), _) => Some(d),
            (None, true) => Some(Date::today()),
            (None, false) => None,
        };
        self.screen_inner(post, now)
    }

    /// Screens one post as of `now` (for `active_from` / `active_until`).
    pub fn screen_at(&self, post: &str, now: Date) -> Verdict {
        self.screen_inner(post, Some(now))
    }

    fn screen_inner(&self, post: &str, now: Option<Date>) -> Verdict {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => self.screen_with(&mut s, post, now),
            // Re-entered from a callback on the same thread: use fresh space.
            Err(_) => self.screen_with(&mut Scratch::default(), post, now),
        })
    }

    fn screen_with(
        &self,
        s: &mut Scratch,
        post: &str,
        now: Option<Date>,
    ) -> Verdict {
        let inner = &*self.inner;
        let Scratch { norm, hits, marks, kept } = s;
        hits.clear();
        marks.clear();
        kept.clear();
        norm.fill(post);
        let text = norm.text();
        let active = |r: &CompiledRule| match now {
            None => true,
            Some(d) => {
                r.active_from.is_none_or(|f| d >= f)
                    && r.active_until.is_none_or(|u| d <= u)
            }
        };

        if let Some(ac) = &inner.words {
            for m in ac.find_overlapping_iter(text) {
                let (start, end) = (m.start(), m.end());
                let mut whole: Option<bool> = None;
                let mut is_whole = || {
                    *whole.get_or_insert_with(|| whole_word(text, start, end))
                };
                let range = &inner.word_uses[m.pattern().as_usize()];
                for u in &inner.uses[range.start as usize..range.end as usize]
                {
                    match *u {
                        Use::Term(r) => {
                            let rule = &inner.rules[r as usize];
                            if (!rule.whole_word || is_whole()) && active(rule)
                            {
                                hits.push(Hit { rule: r, start, end });
                            }
                        }
                        what => {
                            if is_whole() {
                                marks.push(Mark { what, start, end });
                            }
                        }
                    }
                }
            }
        }

        if let Some(set) = &inner.pattern_set {
            let bytes = text.as_bytes();
            for i in set.matches(bytes).iter() {
                let r = inner.pattern_rules[i];
                let rule = &inner.rules[r as usize];
                if !active(rule) {
                    continue;
                }
                for m in inner.pattern_regexes[i].find_iter(bytes) {
                    let (mut start, mut end) = (m.start(), m.end());
                    if let Some(v) = rule.validator {
                        // The match may split a character (ASCII mode);
                        // validators see whole characters.
                        let (a, b) = snap(text, start, end);
                        match v(&text[a..b]) {
                            Some(sub) => {
                                end = a + sub.end;
                                start = a + sub.start;
                            }
                            None => continue,
                        }
                    }
                    let (start, end) = snap(text, start, end);
                    if start < end {
                        hits.push(Hit { rule: r, start, end });
                    }
                }
            }
        }

        if hits.is_empty() {
            return Verdict::allow(inner.policy.clone());
        }

        for &hit in hits.iter() {
            let rule = &inner.rules[hit.rule as usize];
            if self.excepted(rule, hit, marks, text) {
                continue;
            }
            if let Some(window) = rule.unless_window {
                let suppressed = marks.iter().any(|m| {
                    matches!(m.what, Use::Unless(r) if r == hit.rule)
                        && near(text, m, hit, window)
                });
                if suppressed {
                    continue;
                }
            }
            let mut score = i64::from(rule.info.score);
            let mut required_met = !rule.any_required;
            for (k, &(window, delta, required)) in
                rule.context.iter().enumerate()
            {
                let found = marks.iter().any(|m| {
                    matches!(m.what, Use::Context(r, j)
                        if r == hit.rule && j as usize == k)
                        && near(text, m, hit, window)
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
        // about to acquire") are one finding: keep the earliest, longest.
        kept.sort_by_key(|(h, _)| (h.rule, h.start, std::cmp::Reverse(h.end)));
        let mut prev: Option<Hit> = None;
        kept.retain(|(h, _)| {
            let overlaps =
                prev.is_some_and(|p| p.rule == h.rule && h.start < p.end);
            if !overlaps {
                prev = Some(*h);
            }
            !overlaps
        });

        // Each rule counts once, with its best hit.
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

        kept.sort_by_key(|(h, _)| (h.start, h.end, h.rule));
        let spans: Vec<(Range<usize>, bool)> = kept
            .iter()
            .map(|(h, _)| {
                (
                    norm.source_span(h.start..h.end),
                    inner.rules[h.rule as usize].info.mask,
                )
            })
            .collect();
        let masked: Vec<Range<usize>> =
            spans.iter().filter(|(_, m)| *m).map(|(r, _)| r.clone()).collect();
        let reasons = kept
            .iter()
            .zip(&spans)
            .map(|((h, sc), (span, _))| {
                Reason::new(
                    inner.rules[h.rule as usize].info.clone(),
                    *sc,
                    post,
                    span.clone(),
                    &masked,
                )
            })
            .collect();
        let _ = inner.reveal;
        Verdict::new(by_score.max(floor), total, reasons, inner.policy.clone())
    }

    /// True if an exception that applies to `rule` overlaps `hit`.
    fn excepted(
        &self,
        rule: &CompiledRule,
        hit: Hit,
        marks: &[Mark],
        text: &str,
    ) -> bool {
        rule.exceptions.iter().any(|&e| {
            marks.iter().any(|m| {
                matches!(m.what, Use::Exception(x) if x == e)
                    && m.start < hit.end
                    && hit.start < m.end
            }) || self.inner.exceptions[e as usize].patterns.iter().any(|re| {
                re.find_iter(text.as_bytes())
                    .any(|m| m.start() < hit.end && hit.start < m.end())
            })
        })
    }
}

/// Widens `start..end` to character boundaries of `text`.
fn snap(text: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// True if at most `window` words stand between the mark and the hit.
fn near(text: &str, m: &Mark, hit: Hit, window: u32) -> bool {
    let (a, b) = if m.end <= hit.start {
        (m.end, hit.start)
    } else if hit.end <= m.start {
        (hit.end, m.start)
    } else {
        return true; // overlapping
    };
    let mut words = 0u32;
    let mut in_word = false;
    for c in text[a..b].chars() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            words += 1;
            if words > window {
                return false;
            }
        }
        in_word = w;
    }
    true
}

/// How far to look either side of a match for the word segmentation that
/// decides whether it is a whole word.
const WORD_WINDOW: usize = 64;

/// True if `start..end` begins and ends on UAX #29 word boundaries.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    // Fast paths for the common ASCII cases: a space or punctuation that
    // never joins words on both sides, or a letter or digit continuing the
    // word.
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(end).copied();
    let first = bytes[start];
    let last = bytes[end - 1];
    let joins =
        |a: u8, b: u8| a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
    if before
        .is_some_and(|b| b.is_ascii() && first.is_ascii() && joins(b, first))
        || after
            .is_some_and(|a| a.is_ascii() && last.is_ascii() && joins(last, a))
    {
        return false;
    }
    let plain = |c: Option<u8>| {
        c.is_none_or(|c| c == b' ' || c == b'\n' || c == b'\t' || c == b'\r')
    };
    if plain(before) && plain(after) {
        return true;
    }
    let mut ws = start.saturating_sub(WORD_WINDOW);
    while !text.is_char_boundary(ws) {
        ws += 1;
    }
    if let Some(i) =
        bytes[ws..start].iter().rposition(|b| b.is_ascii_whitespace())
    {
        ws += i + 1;
    }
    let mut we = (end + WORD_WINDOW).min(text.len());
    while !text.is_char_boundary(we) {
        we -= 1;
    }
    if let Some(i) =
        bytes[end..we].iter().position(|b| b.is_ascii_whitespace())
    {
        we = end + i;
    }
    let mut start_ok = start == ws;
    let mut end_ok = end == we;
    for (i, _) in text[ws..we].split_word_bound_indices() {
        let at = ws + i;
        start_ok |= at == start;
        end_ok |= at == end;
        if at > end {
            break;
        }
    }
    start_ok && end_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words() {
        let cases: &[(&str, &str, bool)] = &[
            ("a class act", "ass", false),
            ("you can't lose", "can't lose", true),
            ("you can't lose", "can", false),
            ("#guaranteed!", "guaranteed", true),
            ("guaranteedreturns", "guaranteed", false),
            ("3.14 percent", "14", false),
            ("price: 14.", "14", true),
            ("東京で会いましょう", "東京", true),
            ("naïve", "na", false),
        ];
        for &(text, word, want) in cases {
            let s = text.find(word).unwrap();
            assert_eq!(
                whole_word(text, s, s + word.len()),
                want,
                "{word:?} in {text:?}"
            );
        }
    }

    #[test]
    fn nearness_counts_words_between() {
        let text = "my social security number is 078051123";
        let m = Mark { what: Use::Unless(0), start: 3, end: 18 };
        let hit = Hit { rule: 0, start: 29, end: 38 };
        assert!(near(text, &m, hit, 2));
        assert!(!near(text, &m, hit, 1));
    }
}
