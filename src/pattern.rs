//! How every pattern of a pack compiles: one set of regex options, used
//! when a pack is checked (syntax only), when the screener builds the
//! shared set of all patterns, and when it runs one pattern alone for its
//! spans. They must agree, so they live in one place.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::nfa::thompson;
use regex_syntax::hir::{Class, Hir, HirKind};
use regex_syntax::utf8::Utf8Sequences;

use crate::limits::REGEX_SIZE_LIMIT;

mod required;
mod set;

pub(crate) use set::Set;

/// The builder every pattern is compiled with: ASCII classes unless the
/// pattern asks for `(?u)` (Unicode tables make every class slower), any
/// case, within [`REGEX_SIZE_LIMIT`].
pub(crate) fn pattern_builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT);
    b
}

/// The syntax [`pattern_builder`] parses with (`regex::bytes` does not
/// require UTF-8).
#[cfg(test)]
pub(crate) fn syntax_config() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(true)
}

/// Parses `pattern` for text in the normal form, which has no ASCII
/// capitals (`normalize`'s tests hold every character to that), and says
/// whether it was parsed without case folding. Most patterns find the
/// same matches there either way (see [`case_free`]), and folding turns
/// every letter into a class of two, which was two thirds of parsing a
/// pack's patterns. The syntax is [`syntax_config`]'s.
pub(crate) fn parse_normal(
    pattern: &str,
) -> Result<(Hir, bool), Box<regex_syntax::Error>> {
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| Box::new(e.into()))?;
    let free = case_free(&ast);
    let hir = regex_syntax::hir::translate::TranslatorBuilder::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(!free)
        .build()
        .translate(pattern, &ast)
        .map_err(|e| Box::new(e.into()))?;
    Ok((hir, free))
}

/// Whether `ast` matches the same on text without ASCII capitals with
/// ASCII case folding and without: no capital written (`A`, `\x41`, a
/// range reaching into `A-Z`, `[:upper:]`), no Unicode mode (folding there
/// reaches beyond ASCII: `k` and the Kelvin sign), no class operation.
/// Then each class folded differs from the class as written only in
/// capitals — a class is folded before it is negated, so `[^a]` folded
/// is `[^aA]` — and the text has none (`[^A-Z]` would hold `a` without
/// folding and not with it: refused).
fn case_free(ast: &regex_syntax::ast::Ast) -> bool {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Empty(_)
        | Ast::Dot(_)
        | Ast::Assertion(_)
        | Ast::ClassPerl(_) => true,
        Ast::Flags(f) => !unicode_flag(&f.flags),
        Ast::Literal(l) => !l.c.is_ascii_uppercase(),
        Ast::ClassUnicode(_) => false,
        Ast::ClassBracketed(c) => class_case_free(&c.kind),
        Ast::Repetition(r) => case_free(&r.ast),
        Ast::Group(g) => {
            let flags = match &g.kind {
                GroupKind::NonCapturing(f) => unicode_flag(f),
                _ => false,
            };
            !flags && case_free(&g.ast)
        }
        Ast::Alternation(a) => a.asts.iter().all(case_free),
        Ast::Concat(c) => c.asts.iter().all(case_free),
    }
}

fn class_case_free(set: &regex_syntax::ast::ClassSet) -> bool {
    match set {
        regex_syntax::ast::ClassSet::Item(item) => item_case_free(item),
        regex_syntax::ast::ClassSet::BinaryOp(_) => false,
    }
}

fn item_case_free(item: &regex_syntax::ast::ClassSetItem) -> bool {
    use regex_syntax::ast::{ClassAsciiKind, ClassSetItem};
    match item {
        ClassSetItem::Empty(_) | ClassSetItem::Perl(_) => true,
        ClassSetItem::Literal(l) => !l.c.is_ascii_uppercase(),
        ClassSetItem::Range(r) => r.end.c < 'A' || r.start.c > 'Z',
        ClassSetItem::Ascii(a) => a.kind != ClassAsciiKind::Upper,
        ClassSetItem::Unicode(_) => false,
        ClassSetItem::Bracketed(c) => class_case_free(&c.kind),
        ClassSetItem::Union(u) => u.items.iter().all(item_case_free),
    }
}

/// Whether `flags` name Unicode mode, on or off.
fn unicode_flag(flags: &regex_syntax::ast::Flags) -> bool {
    use regex_syntax::ast::{Flag, FlagsItemKind};
    flags
        .items
        .iter()
        .any(|i| matches!(i.kind, FlagsItemKind::Flag(Flag::Unicode)))
}

/// The regex crate's messages span several lines; the last one says what
/// is wrong.
pub(crate) fn regex_message(e: &dyn std::fmt::Display) -> String {
    let message = e.to_string();
    let last = message.lines().rev().find(|l| !l.trim().is_empty());
    last.unwrap_or("").trim().trim_start_matches("error: ").to_string()
}

/// A pattern compiled the first time a post needs it. Building a regex
/// (the literal extraction for its prefilters, its engines) costs several
/// times what checking it does, and most patterns of a pack never run on
/// most posts: [`Lazy::checked`] builds only the forward and reverse
/// NFAs, within the size limit the full build uses, when the pack
/// compiles.
#[derive(Debug)]
pub(crate) struct Lazy {
    source: String,
    regex: OnceLock<Option<Regex>>,
    /// What every match holds at least (known for checked patterns).
    needs: Needs,
    /// Words of which every match holds one (checked patterns; empty if
    /// none are known).
    words: Vec<String>,
    /// Built without case folding (see [`parse_normal`]).
    case_free: bool,
    /// The index of the group named `at`, if the pattern has one: the
    /// part of a match that is the occurrence, the rest being context.
    at: Option<usize>,
}

impl Lazy {
    fn new(source: String) -> Lazy {
        Lazy {
            source,
            regex: OnceLock::new(),
            needs: Needs::default(),
            words: Vec::new(),
            case_free: false,
            at: None,
        }
    }

    /// `source` if it compiles within [`REGEX_SIZE_LIMIT`]; else the regex
    /// crate's own error, so that it reads as every other pattern error.
    pub(crate) fn checked(source: String) -> Result<Lazy, regex::Error> {
        Lazy::check(source, false).map(|(lazy, _)| lazy)
    }

    /// [`Lazy::checked`], also finding the pattern's [`Lazy::words`].
    pub(crate) fn checked_with_words(
        source: String,
    ) -> Result<Lazy, regex::Error> {
        Lazy::check(source, true).map(|(lazy, _)| lazy)
    }

    /// [`Lazy::checked`], with the pattern as parsed (for the shared set)
    /// when the check parsed it.
    pub(crate) fn checked_with_parse(
        source: String,
    ) -> Result<(Lazy, Option<Hir>), regex::Error> {
        Lazy::check(source, false)
    }

    fn check(
        source: String,
        words: bool,
    ) -> Result<(Lazy, Option<Hir>), regex::Error> {
        if let Ok((hir, case_free)) = parse_normal(&source) {
            // Most patterns are far below the limit by a bound computed
            // from their parsed form: building the two NFAs to learn that
            // was 8.6 M instructions of the bank pack's compile.
            let limit = REGEX_SIZE_LIMIT;
            let bounded = nfa_bound(&hir).is_some_and(|b| b <= limit as u64);
            if bounded || nfa_fits(&hir, limit) {
                let needs = Needs::of(&hir);
                let words = if words {
                    required::required_words(&hir)
                } else {
                    Vec::new()
                };
                let at = group_at(&hir);
                let lazy =
                    Lazy { needs, words, case_free, at, ..Lazy::new(source) };
                return Ok((lazy, Some(hir)));
            }
        }
        Lazy::built(source).map(|lazy| (lazy, None))
    }

    /// The pattern built at once, for one the check could not parse or
    /// bound: the builder's own error, or a regex with no gate.
    fn built(source: String) -> Result<Lazy, regex::Error> {
        let regex = pattern_builder(&source).build()?;
        let at = regex.capture_names().position(|n| n == Some("at"));
        let lazy = Lazy {
            regex: OnceLock::from(Some(regex)),
            at,
            ..Lazy::new(source)
        };
        Ok(lazy)
    }

    /// False when `text`, which holds `has` of what a match needs, holds
    /// too few for any match: the search is skipped.
    pub(crate) fn may_match(&self, has: Needs) -> bool {
        self.needs.digits <= has.digits && self.needs.ats <= has.ats
    }

    /// Words of which every match holds one: a text with none of them
    /// has no match. Empty when none are known.
    pub(crate) fn words(&self) -> &[String] {
        &self.words
    }

    /// Whether a group named `at` narrows each match to itself.
    pub(crate) fn narrows(&self) -> bool {
        self.at.is_some()
    }

    /// Drops the words (a pattern that gets no gate does not keep them).
    pub(crate) fn forget_words(&mut self) {
        self.words = Vec::new();
    }

    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// Calls `f` with each match's range in `text` — or, when the
    /// pattern has a group named `at` and it took part, that group's:
    /// the words around it are context, not the occurrence (the regex
    /// crate has no look-around).
    pub(crate) fn each_match(
        &self,
        text: &[u8],
        mut f: impl FnMut(usize, usize),
    ) {
        let Some(re) = self.get() else { return };
        let Some(at) = self.at else {
            re.find_iter(text).for_each(|m| f(m.start(), m.end()));
            return;
        };
        // One set of locations for every match (`captures_iter` would
        // allocate one per match), with its rule for empty matches: none
        // right where the previous match ended.
        let mut locs = re.capture_locations();
        let (mut from, mut last_end) = (0, None);
        while from <= text.len() {
            let Some(m) = re.captures_read_at(&mut locs, text, from) else {
                break;
            };
            if m.is_empty() && Some(m.end()) == last_end {
                from = m.end() + 1;
                continue;
            }
            let (start, end) = locs.get(at).unwrap_or((m.start(), m.end()));
            f(start, end);
            last_end = Some(m.end());
            from = if m.is_empty() { m.end() + 1 } else { m.end() };
        }
    }

    /// The regex, built on the first call, with or without case folding
    /// as the check parsed it. `None` only if the full build fails where
    /// the check passed (not seen: the check bounds or builds the same
    /// forward and reverse NFAs under the same limit): the pattern then
    /// matches nothing.
    pub(crate) fn get(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| {
                let mut b = pattern_builder(&self.source);
                b.case_insensitive(!self.case_free).build().ok()
            })
            .as_ref()
    }
}

/// The capture index of the group named `at` in `hir`, if any.
fn group_at(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some("at") => {
            Some(c.index as usize)
        }
        HirKind::Capture(c) => group_at(&c.sub),
        HirKind::Repetition(r) => group_at(&r.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            hs.iter().find_map(group_at)
        }
        _ => None,
    }
}

/// Whether the forward and reverse NFAs of `hir` build within `limit`
/// bytes. The full build compiles a reverse NFA too, under the same limit,
/// and it can be the larger (a Unicode class run backwards): both are
/// checked.
fn nfa_fits(hir: &Hir, limit: usize) -> bool {
    let config =
        thompson::Config::new().utf8(false).nfa_size_limit(Some(limit));
    let forward = thompson::Compiler::new()
        .configure(config.clone())
        .build_from_hir(hir);
    let reverse = thompson::Compiler::new()
        .configure(
            config.reverse(true).which_captures(thompson::WhichCaptures::None),
        )
        .build_from_hir(hir);
    forward.is_ok() && reverse.is_ok()
}

/// Bytes of Thompson-NFA builder memory (what the size limit measures)
/// that one state, one transition or one alternate of a union costs at
/// most here: a builder state is 32 bytes, a transition 8, an alternate 4.
const NFA_UNIT: u64 = 64;

/// An upper bound of the memory that Thompson's construction takes to
/// compile `hir`, forward or reverse; `None` if it overflows. Each node
/// counts the states, transitions and alternates the compiler makes for
/// it, generously: a literal two a byte (a trie of literals takes a state,
/// a union and an alternate a byte); a byte class is a state with a
/// transition a range and an empty state after; a Unicode class a union with, for each of its
/// UTF-8 sequences, an alternate and up to four states and transitions
/// (forwards, shared suffixes make fewer); an alternation a union, an
/// alternate an arm and an empty state; a repetition up to `max + 1`
/// copies (`min + 1` when unbounded), each behind a union of two
/// alternates. The unanchored prefix, the match state and the whole
/// match's capture are the 16 units added once.
fn nfa_bound(hir: &Hir) -> Option<u64> {
    fn units(hir: &Hir) -> Option<u64> {
        Some(match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => 1,
            // Two units a byte: an alternation of literals alone is
            // compiled as a trie, a state, a union and an alternate a byte
            // (review of 1ad7387: `(?:0 1{1989}|2 3{1989}){64}` was over
            // a bound of one unit a byte).
            HirKind::Literal(lit) => 2 * lit.0.len() as u64 + 1,
            HirKind::Class(Class::Bytes(c)) => c.ranges().len() as u64 + 2,
            HirKind::Class(Class::Unicode(c)) => {
                c.ranges().iter().fold(2, |n, r| {
                    let seqs = Utf8Sequences::new(r.start(), r.end()).count();
                    n + 9 * seqs as u64
                })
            }
            HirKind::Capture(c) => units(&c.sub)?.checked_add(2)?,
            HirKind::Concat(parts) => {
                parts.iter().try_fold(1u64, |n, h| n.checked_add(units(h)?))?
            }
            HirKind::Alternation(arms) => {
                arms.iter().try_fold(2u64, |n, h| {
                    n.checked_add(units(h)?.checked_add(1)?)
                })?
            }
            HirKind::Repetition(r) => {
                let copies = u64::from(r.max.unwrap_or(r.min)) + 1;
                copies
                    .checked_mul(units(&r.sub)?.checked_add(3)?)?
                    .checked_add(2)?
            }
        })
    }
    units(hir)?.checked_add(16)?.checked_mul(NFA_UNIT)
}

/// How many ASCII digits and `@` signs a text holds, or every match of a
/// pattern holds at least: a phone number needs its nine digits, an e-mail
/// address its `@`, and most posts have neither, so a concept's patterns
/// (which run on every post when the concept has no terms) are skipped
/// for the price of one count over the post.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    pub(crate) digits: u32,
    pub(crate) ats: u32,
}

impl Needs {
    /// What `text` holds.
    pub(crate) fn count(text: &str) -> Needs {
        let mut n = Needs::default();
        for &b in text.as_bytes() {
            n.digits += u32::from(b.is_ascii_digit());
            n.ats += u32::from(b == b'@');
        }
        n
    }

    /// The least that any match of `hir` holds.
    fn of(hir: &Hir) -> Needs {
        let one = |digit: bool, at: bool| Needs {
            digits: u32::from(digit),
            ats: u32::from(at),
        };
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Needs::default(),
            HirKind::Literal(lit) => {
                lit.0.iter().fold(Needs::default(), |n, &b| {
                    n.plus(one(b.is_ascii_digit(), b == b'@'))
                })
            }
            HirKind::Class(class) => {
                let (digit, at) = class_is(class);
                one(digit, at)
            }
            HirKind::Repetition(r) => {
                let n = Needs::of(&r.sub);
                Needs {
                    digits: n.digits.saturating_mul(r.min),
                    ats: n.ats.saturating_mul(r.min),
                }
            }
            HirKind::Capture(c) => Needs::of(&c.sub),
            HirKind::Concat(parts) => parts
                .iter()
                .fold(Needs::default(), |n, h| n.plus(Needs::of(h))),
            HirKind::Alternation(arms) => arms
                .iter()
                .map(Needs::of)
                .reduce(|a, b| Needs {
                    digits: a.digits.min(b.digits),
                    ats: a.ats.min(b.ats),
                })
                .unwrap_or_default(),
        }
    }

    fn plus(self, o: Needs) -> Needs {
        Needs {
            digits: self.digits.saturating_add(o.digits),
            ats: self.ats.saturating_add(o.ats),
        }
    }
}

/// Whether every character of a (non-empty) class is an ASCII digit, and
/// whether it is `@` alone.
fn class_is(class: &Class) -> (bool, bool) {
    let ranges: Vec<(u32, u32)> = match class {
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .map(|r| (r.start().into(), r.end().into()))
            .collect(),
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .map(|r| (r.start().into(), r.end().into()))
            .collect(),
    };
    let digit = !ranges.is_empty()
        && ranges
            .iter()
            .all(|&(a, b)| a >= u32::from(b'0') && b <= u32::from(b'9'));
    let at = ranges == [(u32::from(b'@'), u32::from(b'@'))];
    (digit, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    #[test]
    fn a_group_named_at_is_the_occurrence() {
        // (pattern, text, ranges given): a group named `at` narrows each
        // match to itself; without one, or when it took no part, the whole
        // match is given. Built both ways (parsed, and built at once for a
        // pattern the bound cannot size).
        type Case<'a> = (&'a str, &'a str, &'a [(usize, usize)]);
        let table: &[Case] = &[
            (r"\bcode (?<at>\d{4})\b(?:\D|$)", "code 1234 now", &[(5, 9)]),
            (r"\bcode (?<at>\d{4})\b(?:\D|$)", "code 1234", &[(5, 9)]),
            (r"\bcode (\d{4})\b", "code 1234", &[(0, 9)]),
            (r"(?:to (?<at>\d)|x\d)", "to 5, x6", &[(3, 4), (6, 8)]),
            (r"(?:(?<a>k)|(?<at>\d))\d", "k1 23", &[(0, 2), (3, 4)]),
        ];
        for &(pattern, text, want) in table {
            for lazy in [
                Lazy::checked(pattern.into()).unwrap(),
                Lazy::built(pattern.into()).unwrap(),
            ] {
                let mut got = Vec::new();
                lazy.each_match(text.as_bytes(), |s, e| got.push((s, e)));
                assert_eq!(got, want, "{pattern:?} on {text:?}");
            }
        }
    }

    #[test]
    fn lazy_patterns_are_checked_now_and_built_on_first_use() {
        let lazy = Lazy::checked(r"\b07\d{3} \d{6}\b".into()).unwrap();
        assert!(lazy.regex.get().is_none(), "built before its first use");
        let re = lazy.get().expect("builds");
        assert!(re.is_match(b"call 07700 900123"));
        assert!(!re.is_match(b"call 0770 900123"));
        // Parses, but too big once compiled: the builder's own error. The
        // last two's forward NFAs fit, their reverse ones do not.
        let trie =
            format!("(?:0{}|2{}){{64}}", "1".repeat(1989), "3".repeat(1989));
        for huge in
            [r"\w{1000}{1000}", r"(?u)\w{813}", r"(?u)[^a]{16195}", &trie]
        {
            let e = Lazy::checked(huge.into()).unwrap_err();
            assert!(regex_message(&e).contains("size limit"), "{huge}: {e}");
        }
        assert!(Lazy::checked("(unclosed".into()).is_err());
    }

    /// Which patterns are parsed without case folding, table-driven.
    #[test]
    fn case_free_patterns() {
        for (pattern, free) in [
            ("abc", true),
            (r"\bcard\s*\d{4}", true),
            ("[a-z0-9_]", true),
            ("[^a]", true),
            ("[[:lower:]]", true),
            ("[[:^lower:]]", true),
            ("(?-i)abc", true),
            ("(?i)abc", true),
            ("[!-@]", true),
            (r"[\[-`]", true),
            ("Abc", false),
            ("[A-Z]", false),
            ("[^A-Z]", false),
            ("[0-_]", false),
            ("[[:upper:]]", false),
            (r"\x41", false),
            ("(?u)k", false),
            ("(?u:k)", false),
            ("(?-u:k)", false),
            ("[a-z&&b]", false),
            ("(?i)ABC", false),
        ] {
            let (_, got) = parse_normal(pattern).unwrap();
            assert_eq!(got, free, "{pattern}");
        }
    }

    /// A pattern parsed without case folding finds the same matches as
    /// with it on text without ASCII capitals: random patterns with
    /// capitals, ranges, negations and Unicode mode among their pieces,
    /// over random texts with non-ASCII capitals and case pairs (`É`,
    /// the Kelvin sign, `ſ`).
    #[test]
    fn parsing_without_folding_matches_the_same_on_normal_text() {
        const ATOMS: &[&str] = &[
            "a",
            "k",
            "s",
            "ab",
            "[a-c]",
            "[^a]",
            "[^a-c]",
            "[[:lower:]]",
            "[[:^lower:]]",
            "[[:alpha:]]",
            "[^[:alpha:]]",
            r"\w",
            r"\W",
            r"\d",
            r"\b",
            ".",
            "[!-@]",
            "[^!-@]",
            r"[\[-`]",
            r"[^\[-`]",
            "é",
            "(?-i:ab)",
            "(?i:ab)",
            "[a[^b]]",
            "[^[^a]]",
            "A",
            "[A-C]",
            "[^A-C]",
            "[0-_]",
            "[^0-_]",
            "[[:upper:]]",
            "[^[:upper:]]",
            r"\x41",
            "(?u:k)",
            "(?u:s)",
            "(?u:é)",
            "(?u)k",
            "(?u)[^a]",
            "[a-z&&[^c]]",
        ];
        const PIECES: &[&str] = &[
            "a", "b", "c", "k", "s", "ab", " ", "1", "_", "[", "`", "@", "!",
            "é", "É", "\u{212a}", "ſ", "\n",
        ];
        const REPS: &[&str] = &["", "", "?", "+", "{2}"];
        let mut rng = Rng(3);
        let mut free = 0;
        for _ in 0..3000 {
            let parts: Vec<String> = (0..1 + rng.below(4))
                .map(|_| {
                    let atom = ATOMS[rng.below(ATOMS.len())];
                    format!("{atom}{}", REPS[rng.below(REPS.len())])
                })
                .collect();
            let pattern = parts.join(if rng.below(4) == 0 { "|" } else { "" });
            let (_, case_free) = parse_normal(&pattern).unwrap();
            if !case_free {
                continue;
            }
            free += 1;
            let folded = pattern_builder(&pattern).build().unwrap();
            let plain = pattern_builder(&pattern)
                .case_insensitive(false)
                .build()
                .unwrap();
            for _ in 0..100 {
                let text: String = (0..rng.below(12))
                    .map(|_| PIECES[rng.below(PIECES.len())])
                    .collect();
                let spans = |re: &Regex| -> Vec<_> {
                    re.find_iter(text.as_bytes()).map(|m| m.range()).collect()
                };
                assert_eq!(
                    spans(&folded),
                    spans(&plain),
                    "{pattern} on {text:?}"
                );
            }
        }
        assert!(free > 1000, "only {free} of 3000 case-free");
    }

    /// Where the bound says a pattern fits, its NFAs fit in the bound
    /// itself (the builder is given the bound as its limit): on random
    /// patterns, and on every pattern of the bundled packs, which the
    /// bound must cover (that is what it is for).
    #[test]
    fn the_nfa_bound_holds() {
        // Both parsed forms: with case folding, and as the screener
        // parses it (without, where that matches the same).
        let holds = |pattern: &str| -> Option<bool> {
            let folded = regex_automata::util::syntax::parse_with(
                pattern,
                &syntax_config(),
            );
            let normal = parse_normal(pattern).map(|(hir, _)| hir);
            let mut fits = true;
            for hir in [folded.ok()?, normal.ok()?] {
                let bound = nfa_bound(&hir)?;
                if bound > REGEX_SIZE_LIMIT as u64 {
                    return None;
                }
                fits &= nfa_fits(&hir, bound as usize);
            }
            Some(fits)
        };
        let mut bundled = 0;
        for pack in [
            include_str!("../rules/base.toml"),
            include_str!("../rules/financial-institution.toml"),
            include_str!("../rules/music-label.toml"),
        ] {
            let value: toml::Value = toml::from_str(pack).unwrap();
            for pattern in patterns_in(&value, false) {
                assert_eq!(holds(pattern), Some(true), "{pattern}");
                bundled += 1;
            }
        }
        assert!(bundled > 80, "{bundled} bundled patterns");
        let mut rng = Rng(7);
        let mut bounded = 0;
        for _ in 0..3000 {
            let pattern = random_pattern(&mut rng, 3);
            match holds(&pattern) {
                Some(true) => bounded += 1,
                Some(false) => panic!("{pattern}: over its bound"),
                None => {}
            }
        }
        assert!(bounded > 1500, "only {bounded} of 3000 bounded");
        // The patterns too big for the limit are over their bound too, so
        // the check builds them (and refuses them).
        for (pattern, over) in [
            (r"(?u)\w", false),
            (r"(?u:é)|[a-z]{20}", false),
            (r"\d{1000}{1000}", true),
            (r"(?u)\w{813}", true),
            (r"(?u)[^a]{16195}", true),
        ] {
            let hir = regex_automata::util::syntax::parse_with(
                pattern,
                &syntax_config(),
            )
            .unwrap();
            let bound = nfa_bound(&hir).unwrap_or(u64::MAX);
            assert_eq!(bound > REGEX_SIZE_LIMIT as u64, over, "{pattern}");
        }
    }

    /// A text without any of a pattern's words has no match: random
    /// patterns of short words, classes and small repetitions, over random
    /// lower-case texts of the same pieces.
    #[test]
    fn a_match_holds_one_of_its_words() {
        const ATOMS: &[&str] = &[
            "ab",
            "aab",
            "xab",
            "fa",
            "b-1",
            "é7",
            r"\$1",
            "a",
            "[ab]",
            r"\d",
            "[a-z]",
            ".",
            r"\b",
            " ",
            "(?:ab|fx)",
            "(?:é|x)",
        ];
        const REPS: &[&str] = &["", "", "", "?", "+", "*", "{2}", "{1,3}"];
        const PIECES: &[&str] = &[
            "ab", "aab", "xab", "fa", "b-1", "é7", "$1", "a", "b", "x", "f",
            "fx", "é", "1", " ", "-",
        ];
        fn pattern(rng: &mut Rng, depth: usize) -> String {
            let n = 1 + rng.below(4);
            let parts: Vec<String> = (0..n)
                .map(|_| {
                    let atom = if depth > 0 && rng.below(4) == 0 {
                        format!("(?:{})", pattern(rng, depth - 1))
                    } else {
                        ATOMS[rng.below(ATOMS.len())].to_string()
                    };
                    atom + REPS[rng.below(REPS.len())]
                })
                .collect();
            if rng.below(5) == 0 {
                parts.join("|")
            } else {
                parts.concat()
            }
        }
        let mut rng = Rng(11);
        let (mut gated, mut matched) = (0, 0);
        for _ in 0..3000 {
            let pattern = pattern(&mut rng, 2);
            let lazy =
                Lazy::checked_with_words(pattern.clone()).expect("compiles");
            if lazy.words().is_empty() {
                continue;
            }
            gated += 1;
            let re = lazy.get().expect("builds");
            for _ in 0..200 {
                let n = rng.below(16);
                let text: String =
                    (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
                if re.is_match(text.as_bytes()) {
                    matched += 1;
                    let words = lazy.words();
                    assert!(
                        words.iter().any(|w| text.contains(w.as_str())),
                        "{pattern} matches {text:?} with none of {words:?}"
                    );
                }
            }
        }
        assert!(gated > 1000 && matched > 2000, "{gated} gated, {matched}");
    }

    /// Every string under a `pattern` or `patterns` key of a pack.
    fn patterns_in(value: &toml::Value, under: bool) -> Vec<&str> {
        match value {
            toml::Value::String(s) if under => vec![s.as_str()],
            toml::Value::Array(items) => {
                items.iter().flat_map(|v| patterns_in(v, under)).collect()
            }
            toml::Value::Table(t) => t
                .iter()
                .flat_map(|(k, v)| {
                    patterns_in(v, k == "pattern" || k == "patterns")
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A pattern of literals, classes, anchors, groups, alternations and
    /// repetitions, nested `depth` deep.
    fn random_pattern(rng: &mut Rng, depth: usize) -> String {
        const ATOMS: &[&str] = &[
            "a",
            "ab",
            "[a-z]",
            r"\d",
            r"\w",
            r"\s",
            r"\b",
            ".",
            "[^a]",
            r"\$",
            "é",
            "[0-9a-f]",
            r"\W",
            r"(?u:\w)",
            r"(?u:[^a])",
            r"(?u:\d)",
            "(?u:é)",
            r"(?u)\b",
            // Literals (digits, `(?-i)`): an alternation of them alone is
            // a trie.
            "0123456789",
            "(?-i:abcdef)",
            "(?:0123456789|9876543210|5555)",
        ];
        const REPS: &[&str] = &[
            "", "", "?", "*", "+", "{2}", "{1,5}", "{3,}", "{0,40}", "{100}",
        ];
        let atom = if depth == 0 || rng.below(3) == 0 {
            ATOMS[rng.below(ATOMS.len())].to_string()
        } else {
            let n = 1 + rng.below(3);
            let parts: Vec<String> =
                (0..n).map(|_| random_pattern(rng, depth - 1)).collect();
            match rng.below(3) {
                0 => format!("(?:{})", parts.join("|")),
                1 => format!("({})", parts.concat()),
                _ => format!("(?:{})", parts.concat()),
            }
        };
        format!("{atom}{}", REPS[rng.below(REPS.len())])
    }

    /// What a match needs at least, table-driven: (pattern, digits, `@`s).
    #[test]
    fn what_every_match_holds() {
        for (pattern, digits, ats) in [
            (r"(?:\+44\s?7\d{3}|\b07\d{3})\s\d{3}\s?\d{3}\b", 11, 0),
            (r"\b[a-z0-9._%+-]+@(?:gmail|gmx)\.(?:com|de)\b", 0, 1),
            (r"(?:\+41\s?|\b0)7[5-9]\s\d{3}", 6, 0),
            (r"[0-9a]\d?", 0, 0),
            (r"x{8,}|\d{2}@", 0, 0),
            (r"(?:ab|\d\d){3}", 0, 0),
            (r"(?:\d\d){3,}@@", 6, 2),
        ] {
            let lazy = Lazy::checked(pattern.into()).unwrap();
            assert_eq!(lazy.needs, Needs { digits, ats }, "{pattern}");
            // A text with exactly that much may match; one less may not.
            assert!(lazy.may_match(Needs { digits, ats }));
            if digits > 0 {
                assert!(!lazy.may_match(Needs { digits: digits - 1, ats }));
            }
        }
        let n = Needs::count("call 07700 900123 or a@b.c");
        assert_eq!(n, Needs { digits: 11, ats: 1 });
    }
}
