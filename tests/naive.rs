//! A naive screener: the oracle `oracle.rs` checks the real one against,
//! and the baseline of `benches/screen.rs` (which includes this file).
//!
//! Naive on purpose: each term is searched for alone, each pattern rule
//! runs its own regex, rule after rule; every step is the plainest reading
//! of rules/README.md with evasion handling off
//! (`ScreenerBuilder::evasion(false)`):
//!
//! - The post is put in the basic normal form character by character:
//!   each one lower-cased on its own, ASCII whitespace a space. (The real
//!   basic form also turns typographic punctuation into ASCII and drops
//!   invisible characters; the oracle's posts have none.)
//! - A term matches at every place it occurs, overlaps included, as a
//!   whole word (UAX #29 boundaries of the whole normalised text), or
//!   before an English possessive ("regulator" in "regulator's"), unless
//!   its rule says `whole_word = false`.
//! - A pattern runs on the normalised text; a validator confirms each
//!   match and trims it to the valid number, and the search goes on right
//!   after what it kept.
//! - A hit of a rule with score 0 and action `allow` is not reported.
//!   Overlapping hits of one rule are one finding (the earliest, longest
//!   one). A hit inside a hit of another rule of its category is dropped
//!   when that rule weighs at least as much (action and score) and its hit
//!   is longer, or as long and heavier, or as long, as heavy and earlier
//!   in the policy: one phrase, one reason.
//!   What a rule left with no hit that way would have counted (its score,
//!   or what it is owed if more) is owed to the rule of the innermost hit
//!   that covers its first dropped one.
//! - Each rule counts once, with its score or what it is owed if that is
//!   more; the decision is the higher of the thresholds' answer for the
//!   summed score and the strongest action.
//!
//! Not implemented, so ignored: evasion, context, unless, exceptions,
//! `required` and `link` rules, dates, masks and excerpts. The oracle's
//! packs use none of them; the benchmark's pack does, and its checks say
//! what that changes.

use std::collections::BTreeMap;
use std::ops::Range;

use preclear::limits::REGEX_SIZE_LIMIT;
use preclear::{Decision, Policy, RuleKind};
use regex::bytes::{Regex, RegexBuilder};
use unicode_segmentation::UnicodeSegmentation;

use crate::support::{card_brand_ok, iban_length, iban_mod97, luhn};

/// A pattern compiled as rules/README.md says patterns are: ASCII classes,
/// case-insensitive, within preclear's size limit.
pub(crate) fn regex(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .expect("the policy's patterns compile")
}

pub(crate) struct Naive {
    rules: Vec<NaiveRule>,
    warn: u32,
    block: u32,
}

struct NaiveRule {
    id: String,
    category: String,
    score: u32,
    action: Decision,
    find: Find,
}

enum Find {
    Terms {
        terms: Vec<String>,
        whole_word: bool,
    },
    Pattern {
        re: Regex,
        validator: Option<String>,
    },
    /// A kind the naive screener does not implement.
    Nothing,
}

/// What the naive screener answers for a post.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NaiveVerdict {
    pub(crate) decision: Decision,
    pub(crate) score: u32,
    /// Each finding's rule and byte span in the post, sorted.
    pub(crate) findings: Vec<(String, Range<usize>)>,
}

impl Naive {
    pub(crate) fn new(policy: &Policy) -> Naive {
        let effective = policy.effective().expect("the policy resolves");
        let rules = effective
            .rules
            .iter()
            .filter(|r| r.enabled)
            .map(|r| {
                let rule = &r.rule;
                let find = match &rule.kind {
                    RuleKind::Terms(terms) => Find::Terms {
                        terms: terms.iter().map(|t| normal_term(t)).collect(),
                        whole_word: rule.whole_word,
                    },
                    RuleKind::Pattern { pattern, validator } => {
                        Find::Pattern {
                            re: regex(pattern),
                            validator: validator.clone(),
                        }
                    }
                    _ => Find::Nothing,
                };
                NaiveRule {
                    id: rule.id.clone(),
                    category: rule.category.clone(),
                    score: rule.score,
                    action: rule.action,
                    find,
                }
            })
            .collect();
        let t = effective.thresholds;
        Naive { rules, warn: t.warn, block: t.block }
    }

    /// The number of findings per rule id (rules with none left out).
    pub(crate) fn scan(&self, post: &str) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for f in self.findings(&normal_form(post)).0 {
            *counts.entry(self.rules[f.rule].id.clone()).or_insert(0) += 1;
        }
        counts
    }

    pub(crate) fn screen(&self, post: &str) -> NaiveVerdict {
        let (findings, owed) = self.findings(&normal_form(post));
        // Each rule counts once, or with what it is owed if that is more.
        let mut fired: Vec<usize> = findings.iter().map(|f| f.rule).collect();
        fired.sort_unstable();
        fired.dedup();
        let total: u64 = fired
            .iter()
            .map(|&r| {
                let own = u64::from(self.rules[r].score);
                own.max(owed.get(&r).copied().unwrap_or(0))
            })
            .sum();
        let score = u32::try_from(total).unwrap_or(u32::MAX);
        // Written out, not `Thresholds::decision`: the oracle shares no
        // code with the screener it checks.
        let by_score = if score >= self.block {
            Decision::Block
        } else if score >= self.warn {
            Decision::Warn
        } else {
            Decision::Allow
        };
        let strongest = fired
            .iter()
            .map(|&r| self.rules[r].action)
            .max()
            .unwrap_or_default();
        let mut findings: Vec<(String, Range<usize>)> = findings
            .into_iter()
            .map(|f| {
                (self.rules[f.rule].id.clone(), source_span(post, f.span))
            })
            .collect();
        findings.sort_by_key(|(id, span)| (span.start, span.end, id.clone()));
        NaiveVerdict { decision: by_score.max(strongest), score, findings }
    }

    /// The findings in the normalised `text`, and what rules are owed for
    /// the phrases of others they hold.
    fn findings(&self, text: &str) -> (Vec<PhraseHit<'_>>, Owed) {
        one_per_phrase(self.phrase_hits(text))
    }

    /// Every hit of every rule that would be reported, overlapping hits
    /// of a rule already one.
    fn phrase_hits(&self, text: &str) -> Vec<PhraseHit<'_>> {
        let mut boundaries = None;
        let mut hits: Vec<(usize, Range<usize>)> = Vec::new();
        for (r, rule) in self.rules.iter().enumerate() {
            if rule.score == 0 && rule.action == Decision::Allow {
                continue;
            }
            match &rule.find {
                Find::Terms { terms, whole_word } => {
                    for term in terms {
                        for span in occurrences(text, term) {
                            let mut whole = || {
                                let b = boundaries
                                    .get_or_insert_with(|| word_bounds(text));
                                b[span.start]
                                    && (b[span.end] || possessive(text, &span))
                            };
                            if !whole_word || whole() {
                                hits.push((r, span));
                            }
                        }
                    }
                }
                Find::Pattern { re, validator } => {
                    for span in pattern_hits(text, re, validator.as_deref()) {
                        hits.push((r, span));
                    }
                }
                Find::Nothing => {}
            }
        }
        one_per_overlap(hits)
            .into_iter()
            .map(|(r, span)| PhraseHit {
                rule: r,
                category: &self.rules[r].category,
                action: self.rules[r].action,
                score: self.rules[r].score,
                span,
            })
            .collect()
    }
}

/// A hit of a rule, in normalised coordinates, with what one-per-phrase
/// weighs.
pub(crate) struct PhraseHit<'a> {
    /// The rule's index in the policy.
    pub(crate) rule: usize,
    pub(crate) category: &'a str,
    pub(crate) action: Decision,
    pub(crate) score: u32,
    pub(crate) span: Range<usize>,
}

impl PhraseHit<'_> {
    /// At least as much action and score as `other`.
    pub(crate) fn at_least(&self, other: &PhraseHit) -> bool {
        self.action >= other.action && self.score >= other.score
    }

    /// Whether this hit makes `h` not count: `h` lies inside it, its rule
    /// is another of the same category and weighs at least as much, and
    /// it is longer, or as long and heavier, or as long, as heavy and
    /// earlier in the policy.
    fn covers(&self, h: &PhraseHit) -> bool {
        self.rule != h.rule
            && self.category == h.category
            && self.span.start <= h.span.start
            && h.span.end <= self.span.end
            && self.at_least(h)
            && (self.span.len() > h.span.len()
                || !h.at_least(self)
                || self.rule < h.rule)
    }
}

/// Per rule index, the score owed to it for the rules it swallowed.
type Owed = BTreeMap<usize, u64>;

/// One phrase, one reason: drops each hit another covers. What a rule
/// left with no hit that way would have counted (its score, or what it is
/// owed if more) is owed to the rule of the innermost hit, dropped or not,
/// that covers its first dropped one ("first" and "innermost": in text
/// order, longest first, then heaviest, then earliest in the policy),
/// inner rules first.
fn one_per_phrase(hits: Vec<PhraseHit<'_>>) -> (Vec<PhraseHit<'_>>, Owed) {
    let covered: Vec<bool> =
        hits.iter().map(|h| hits.iter().any(|g| g.covers(h))).collect();
    let first = |h: &PhraseHit| {
        let weight = std::cmp::Reverse((h.action, h.score));
        (h.span.start, std::cmp::Reverse(h.span.end), weight, h.rule)
    };
    let kept_rules: Vec<usize> = hits
        .iter()
        .zip(&covered)
        .filter(|(_, c)| !**c)
        .map(|(h, _)| h.rule)
        .collect();
    // Each dropped rule's first dropped hit, innermost first.
    let mut dropped: Vec<&PhraseHit> = hits
        .iter()
        .zip(&covered)
        .filter(|(_, c)| **c)
        .map(|(h, _)| h)
        .collect();
    dropped.sort_by_key(|h| first(h));
    let mut seen = Vec::new();
    dropped.retain(|h| {
        let new = !seen.contains(&h.rule);
        seen.push(h.rule);
        new
    });
    dropped.reverse();
    let mut owed = Owed::new();
    for h in dropped {
        if kept_rules.contains(&h.rule) {
            continue;
        }
        let holder = hits
            .iter()
            .filter(|g| g.covers(h))
            .max_by_key(|g| first(g))
            .expect("a dropped hit is covered");
        let lost =
            u64::from(h.score).max(owed.get(&h.rule).copied().unwrap_or(0));
        *owed.entry(holder.rule).or_insert(0) += lost;
    }
    let kept = hits
        .into_iter()
        .zip(covered)
        .filter(|(_, c)| !c)
        .map(|(h, _)| h)
        .collect();
    (kept, owed)
}

/// Overlapping hits of one rule are one finding: in text order, longest
/// first, a hit that overlaps one kept before it is dropped.
fn one_per_overlap(
    mut hits: Vec<(usize, Range<usize>)>,
) -> Vec<(usize, Range<usize>)> {
    hits.sort_by_key(|(r, s)| (*r, s.start, std::cmp::Reverse(s.end)));
    let mut kept: Vec<(usize, Range<usize>)> = Vec::new();
    for (r, span) in hits {
        let overlaps = kept
            .iter()
            .rev()
            .take_while(|(k, _)| *k == r)
            .any(|(_, ks)| ks.start < span.end && span.start < ks.end);
        if !overlaps {
            kept.push((r, span));
        }
    }
    kept
}

/// Whether an English possessive ends the word right after `span` (a
/// term "regulator" is a whole word in "the regulator's letter"): `'s`
/// after a letter, then no letter or digit.
fn possessive(text: &str, span: &Range<usize>) -> bool {
    let after = &text[span.end..];
    text[..span.end].ends_with(|c: char| c.is_ascii_alphabetic())
        && after.starts_with("'s")
        && !after[2..].starts_with(|c: char| c.is_ascii_alphanumeric())
}

/// The basic normal form: each character lower-cased on its own, ASCII
/// whitespace a space.
fn normal_form(post: &str) -> String {
    let mut text = String::with_capacity(post.len());
    for c in post.chars() {
        match c {
            '\t' | '\n' | '\r' | '\x0b' | '\x0c' => text.push(' '),
            // The same as below, faster (the benchmark's text is 50 MiB).
            c if c.is_ascii() => text.push(c.to_ascii_lowercase()),
            c => text.extend(c.to_lowercase()),
        }
    }
    text
}

/// How many bytes `c` becomes in the normal form.
fn normal_len(c: char) -> usize {
    normal_form(c.encode_utf8(&mut [0; 4])).len()
}

/// A term in normal form, runs of spaces as one.
fn normal_term(term: &str) -> String {
    normal_form(term)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The bytes of `post` that the normalised range `span` came from: from
/// the character that gave its first byte to the one that gave its last.
fn source_span(post: &str, span: Range<usize>) -> Range<usize> {
    let mut normal_at = 0;
    let (mut start, mut end) = (None, None);
    for (i, c) in post.char_indices() {
        let n = normal_len(c);
        let gave = normal_at..normal_at + n;
        if gave.contains(&span.start) && start.is_none() {
            start = Some(i);
        }
        if gave.contains(&(span.end - 1)) {
            end = Some(i + c.len_utf8());
        }
        normal_at += n;
    }
    start.expect("span in the text")..end.expect("span in the text")
}

/// Every occurrence of `term` in `text`, overlapping ones too.
fn occurrences(text: &str, term: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    if term.is_empty() {
        return found;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(term) {
        let at = from + i;
        found.push(at..at + term.len());
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// `b[i]`: whether byte offset `i` of `text` is a UAX #29 word boundary.
fn word_bounds(text: &str) -> Vec<bool> {
    let mut b = vec![false; text.len() + 1];
    for (i, _) in text.split_word_bound_indices() {
        b[i] = true;
    }
    b[text.len()] = true;
    b
}

/// The hits of one pattern: each match, confirmed and trimmed by the
/// validator if there is one; the search resumes after what was kept.
fn pattern_hits(
    text: &str,
    re: &Regex,
    validator: Option<&str>,
) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut hits = Vec::new();
    let mut at = 0;
    while at <= bytes.len() {
        let Some(m) = re.find_at(bytes, at) else { break };
        // An empty match moves the search on by one.
        at = m.end().max(m.start() + 1);
        // A match inside a character (ASCII classes on UTF-8) covers the
        // whole character.
        let mut span = m.range();
        while !text.is_char_boundary(span.start) {
            span.start -= 1;
        }
        while !text.is_char_boundary(span.end) {
            span.end += 1;
        }
        if let Some(v) = validator {
            let Some(valid) = confirm(v, &text[span.clone()]) else {
                continue;
            };
            span = span.start + valid.start..span.start + valid.end;
            at = span.end.max(span.start + 1);
        }
        if !span.is_empty() {
            hits.push(span);
        }
    }
    hits
}

/// The part of `candidate` that validator `name` confirms, if any.
fn confirm(name: &str, candidate: &str) -> Option<Range<usize>> {
    match name {
        "luhn" => payment_card(candidate),
        "iban" => iban(candidate),
        "aba" => nine_digits(candidate, aba_ok),
        "us_ssn" => nine_digits(candidate, ssn_ok),
        "us_tin" => nine_digits(candidate, |d| ssn_ok(d) || itin_ok(d)),
        "es_ccc" => es_ccc(candidate),
        "code" => {
            let count =
                |f: fn(&u8) -> bool| candidate.bytes().filter(f).count();
            let mixed = count(u8::is_ascii_alphabetic) >= 2
                && count(u8::is_ascii_digit) >= 2;
            mixed.then_some(0..candidate.len())
        }
        _ => panic!("unknown validator {name}"),
    }
}

/// A Spanish account number (CCC): twenty digits whose ninth and tenth
/// are the control digits of "00" + bank + branch and of the account.
fn es_ccc(s: &str) -> Option<Range<usize>> {
    let d = digits(s);
    if d.len() != 20 || d[10..].iter().all(|&(_, x)| x == 0) {
        return None;
    }
    let control = |ten: Vec<u8>| {
        let w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
        let sum: u32 = ten.iter().zip(w).map(|(&x, w)| u32::from(x) * w).sum();
        // 11 - sum mod 11, with 11 written 0 and 10 written 1.
        [0, 1, 9, 8, 7, 6, 5, 4, 3, 2, 1][(sum % 11) as usize]
    };
    let mut head = vec![0, 0];
    head.extend(d[..8].iter().map(|&(_, x)| x));
    let ok = control(head) == d[8].1
        && control(d[10..].iter().map(|&(_, x)| x).collect()) == d[9].1;
    ok.then(|| d[0].0..d[19].0 + 1)
}

/// The digits of `s`, each with its byte offset.
fn digits(s: &str) -> Vec<(usize, u8)> {
    s.bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_digit())
        .map(|(i, b)| (i, b - b'0'))
        .collect()
}

/// A payment card: of the runs of whole digit groups with 12 to 19
/// digits, from the earliest start and the longest first, the first with
/// an issuer prefix, a length its scheme issues and a valid Luhn check
/// digit. A candidate with letters (an IBAN's head) holds no card.
fn payment_card(s: &str) -> Option<Range<usize>> {
    if s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let ds = digits(s);
    // Groups: runs of adjacent digits, as index ranges into `ds`.
    let mut groups: Vec<Range<usize>> = Vec::new();
    for (k, &(i, _)) in ds.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if ds[g.end - 1].0 + 1 == i => g.end = k + 1,
            _ => groups.push(k..k + 1),
        }
    }
    for a in 0..groups.len() {
        for b in (a..groups.len()).rev() {
            let run = groups[a].start..groups[b].end;
            let number: Vec<u8> =
                ds[run.clone()].iter().map(|d| d.1).collect();
            if (12..=19).contains(&number.len())
                && card_brand_ok(&number)
                && luhn(&number)
            {
                return Some(ds[run.start].0..ds[run.end - 1].0 + 1);
            }
        }
    }
    None
}

/// An IBAN: the letters and digits from the start of the candidate
/// (spaces, dashes, dots, slashes and underscores between them skipped,
/// anything else ends it), as many as the country's registered length,
/// ending a group; two check digits; mod 97.
fn iban(s: &str) -> Option<Range<usize>> {
    // (upper-cased character, its byte offset, whether a separator
    // came before it)
    let mut chars: Vec<(u8, usize, bool)> = Vec::new();
    let mut separated = false;
    for (i, b) in s.bytes().enumerate() {
        if matches!(b, b' ' | b'-' | b'.' | b'/' | b'_') {
            separated = true;
        } else if b.is_ascii_alphanumeric() {
            chars.push((b.to_ascii_uppercase(), i, separated));
            separated = false;
        } else {
            break;
        }
    }
    if chars.len() < 2 {
        return None;
    }
    let n = iban_length(&[chars[0].0, chars[1].0])?;
    let ends_a_group = chars.get(n).is_none_or(|&(_, _, sep)| sep);
    if chars.len() < n || !ends_a_group {
        return None;
    }
    let compact: Vec<u8> = chars[..n].iter().map(|c| c.0).collect();
    let ok = compact[2].is_ascii_digit()
        && compact[3].is_ascii_digit()
        && iban_mod97(&compact);
    ok.then(|| 0..chars[n - 1].1 + 1)
}

/// Exactly nine digits that pass `ok`: from the first digit to the last.
fn nine_digits(s: &str, ok: fn(&[u8]) -> bool) -> Option<Range<usize>> {
    let ds = digits(s);
    let number: Vec<u8> = ds.iter().map(|d| d.1).collect();
    (number.len() == 9 && ok(&number)).then(|| ds[0].0..ds[8].0 + 1)
}

/// A US routing number: a Federal Reserve prefix (00-12, 21-32, 61-72,
/// 80), not all zeros, and the 3-7-1 weighted sum a multiple of ten.
fn aba_ok(d: &[u8]) -> bool {
    let prefix = d[0] * 10 + d[1];
    let sum: u32 = d
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(&d, &w)| u32::from(d) * w)
        .sum();
    matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80)
        && d.iter().any(|&x| x != 0)
        && sum % 10 == 0
}

/// A US SSN: area not 000, 666 or 900-999; group not 00; serial not 0000;
/// not a number printed as an example (python-stdnum's list, and the
/// form sample 123-45-6789).
fn ssn_ok(d: &[u8]) -> bool {
    let num = |ds: &[u8]| ds.iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    let (area, group, serial) = (num(&d[..3]), num(&d[3..5]), num(&d[5..]));
    let text: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    let published = ["078051120", "219099999", "457555462", "123456789"];
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !published.contains(&text.as_str())
}

/// A US ITIN: area 9xx, group 50-65, 70-88, 90-92 or 94-99.
fn itin_ok(d: &[u8]) -> bool {
    let group = d[3] * 10 + d[4];
    d[0] == 9 && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}
