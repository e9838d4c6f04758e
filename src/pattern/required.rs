//! Words that every match of a pattern holds (`user`, `login`, … for a
//! login written out in prose): the screener's one automaton pass looks
//! for them with the terms, and the pattern runs only in a post that has
//! one, instead of searching every post.
//!
//! Patterns run over the normal form, which is lower case: under `(?i)` a
//! letter is the class of its two cases, and counts as the lower one.

use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many words a pattern, each at most `MAX_LEN` bytes: more
/// is a pattern of open shapes, better left to its own search.
const MAX_WORDS: usize = 64;
const MAX_LEN: usize = 32;
/// Shorter words are in most posts (`pw`, `, `): no gate.
const MIN_LEN: usize = 3;
/// A class of more characters than this is a shape, not a spelling.
const MAX_CLASS: usize = 8;

type Set = Vec<Vec<u8>>;

/// Words of which every match of `hir` holds at least one, each at least
/// three bytes long; empty when there are none such.
pub(crate) fn required_words(hir: &Hir) -> Vec<String> {
    let Some(mut set) = lits(hir).required() else { return Vec::new() };
    set.sort_unstable();
    set.dedup();
    if shortest(&set) < MIN_LEN {
        return Vec::new();
    }
    let words: Result<Vec<String>, _> =
        set.into_iter().map(String::from_utf8).collect();
    words.unwrap_or_default()
}

fn shortest(set: &Set) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// What a node of a pattern is known to match.
struct Lits {
    /// Every string it matches, if there are few and they are short.
    exact: Option<Set>,
    /// Else, a set of which every match holds a member, if one is known.
    other: Option<Set>,
}

impl Lits {
    fn exact(set: Option<Set>) -> Lits {
        Lits { exact: set, other: None }
    }

    fn required(self) -> Option<Set> {
        self.exact.or(self.other)
    }
}

/// Each node once, from its children's.
fn lits(hir: &Hir) -> Lits {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {
            Lits::exact(Some(vec![Vec::new()]))
        }
        HirKind::Literal(lit) => {
            Lits::exact((lit.0.len() <= MAX_LEN).then(|| vec![lit.0.to_vec()]))
        }
        HirKind::Class(c) => Lits::exact(members(c)),
        HirKind::Capture(c) => lits(&c.sub),
        HirKind::Concat(parts) => concat(parts.iter().map(lits)),
        HirKind::Alternation(arms) => {
            let arms: Vec<Lits> = arms.iter().map(lits).collect();
            if arms.iter().all(|a| a.exact.is_some()) {
                let exact = arms.into_iter().try_fold(Vec::new(), |acc, a| {
                    union(acc, a.exact.as_ref()?)
                });
                if let Some(e) = exact {
                    return Lits::exact(Some(e));
                }
                return Lits { exact: None, other: None };
            }
            let other = arms
                .into_iter()
                .try_fold(Vec::new(), |acc, a| union(acc, &a.required()?));
            Lits { exact: None, other }
        }
        HirKind::Repetition(r) => {
            let sub = lits(&r.sub);
            let exact = r.max.filter(|&m| m <= 3).and_then(|max| {
                let one = sub.exact.as_ref()?;
                let (mut power, mut all) = (vec![Vec::new()], Vec::new());
                for k in 0..=max {
                    if k >= r.min {
                        all = union(all, &power)?;
                    }
                    if k < max && !extend(&mut power, one) {
                        return None;
                    }
                }
                Some(all)
            });
            match exact {
                Some(e) => Lits::exact(Some(e)),
                None if r.min >= 1 => {
                    Lits { exact: None, other: sub.required() }
                }
                None => Lits { exact: None, other: None },
            }
        }
    }
}

/// A concatenation: the product of its parts if all are exact; else a run
/// of exact parts spells the strings of their product, and any part's own
/// set will do too. The longest shortest word wins, then the fewest words.
fn concat(parts: impl Iterator<Item = Lits>) -> Lits {
    let mut best: Option<Set> = None;
    let consider = |best: &mut Option<Set>, c: &Set| {
        if best.as_ref().is_none_or(|b| better(c, b)) {
            *best = Some(c.clone());
        }
    };
    let mut run: Set = vec![Vec::new()];
    // Every part so far exact, and the run never cut short.
    let mut whole = true;
    for part in parts {
        match part.exact {
            // A one-string part only lengthens every word of the run: the
            // run is looked at only before it may get worse (more words)
            // or ends.
            Some(e) => {
                if e.len() > 1 {
                    consider(&mut best, &run);
                }
                if !extend(&mut run, &e) {
                    consider(&mut best, &run);
                    whole = false;
                    run = e;
                }
            }
            None => {
                whole = false;
                consider(&mut best, &run);
                run = vec![Vec::new()];
                if let Some(r) = &part.other {
                    consider(&mut best, r);
                }
            }
        }
    }
    if whole {
        return Lits::exact(Some(run));
    }
    consider(&mut best, &run);
    Lits { exact: None, other: best }
}

fn better(a: &Set, b: &Set) -> bool {
    (shortest(a), std::cmp::Reverse(a.len()))
        > (shortest(b), std::cmp::Reverse(b.len()))
}

/// A small class's characters, as UTF-8; an ASCII capital whose small
/// letter is there too is left out (the text has no capitals).
fn members(class: &Class) -> Option<Set> {
    let mut all: Set = match class {
        Class::Bytes(c) => {
            let n: usize = c.ranges().iter().map(|r| r.len()).sum();
            let bytes = c.iter().flat_map(|r| r.start()..=r.end());
            (n <= MAX_CLASS).then(|| bytes.map(|b| vec![b]).collect())?
        }
        Class::Unicode(c) => {
            let n: usize = c.ranges().iter().map(|r| r.len()).sum();
            let chars = c.iter().flat_map(|r| r.start()..=r.end());
            (n <= MAX_CLASS).then(|| {
                chars.map(|ch| ch.to_string().into_bytes()).collect()
            })?
        }
    };
    // The ASCII members, as bits.
    let ascii = all.iter().fold(0u128, |bits, m| match m[..] {
        [b] if b.is_ascii() => bits | 1 << b,
        _ => bits,
    });
    all.retain(|m| {
        !matches!(m[..], [b] if b.is_ascii_uppercase()
            && ascii & (1 << b.to_ascii_lowercase()) != 0)
    });
    Some(all)
}

/// Every string of `a` followed by every string of `b`, in `a`; false
/// (and `a` as it was) if that makes too many or too long.
fn extend(a: &mut Set, b: &Set) -> bool {
    if let [one] = &b[..] {
        if a.iter().any(|x| x.len() + one.len() > MAX_LEN) {
            return false;
        }
        a.iter_mut().for_each(|x| x.extend_from_slice(one));
        return true;
    }
    match product(a, b) {
        Some(p) => {
            *a = p;
            true
        }
        None => false,
    }
}

fn product(a: &Set, b: &Set) -> Option<Set> {
    if a.len() * b.len() > MAX_WORDS {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            if x.len() + y.len() > MAX_LEN {
                return None;
            }
            out.push([x.as_slice(), y].concat());
        }
    }
    Some(out)
}

/// `a` and `b` together; duplicates are removed only when they would make
/// too many (a set is sorted once, at the end).
fn union(mut a: Set, b: &Set) -> Option<Set> {
    a.extend(b.iter().cloned());
    if a.len() > MAX_WORDS {
        a.sort_unstable();
        a.dedup();
    }
    (a.len() <= MAX_WORDS).then_some(a)
}

#[cfg(test)]
mod tests {
    use super::required_words;
    use crate::pattern::{parse_normal, syntax_config};

    /// The words, the same whether the pattern is parsed with case
    /// folding or as the screener parses it.
    fn words(pattern: &str) -> Vec<String> {
        let hir = regex_automata::util::syntax::parse_with(
            pattern,
            &syntax_config(),
        )
        .unwrap();
        let (normal, _) = parse_normal(pattern).unwrap();
        let words = required_words(&hir);
        assert_eq!(required_words(&normal), words, "{pattern}");
        words
    }

    #[test]
    fn words_every_match_holds() {
        for (pattern, want) in [
            // The parts' sets: the longest shortest word wins, then the
            // fewest words (`user`, not `user`, `user:`, `user: `…).
            (
                r"\b(?:user|login)\b:? ?[a-z0-9._@-]+ ?/ ?(?:pass|pw)\b",
                &["login", "user"][..],
            ),
            (
                // A pattern of few strings is its own words.
                r"(?:,|-) ?(?:period|punkt)\b",
                &[
                    ", period", ", punkt", ",period", ",punkt", "- period",
                    "- punkt", "-period", "-punkt",
                ],
            ),
            // Under (?i) a letter is its small one; a capital alone stays.
            (r"Wire (?-i:TO)", &["wire TO"]),
            (r"\d{3}-acme", &["-acme"]),
            (r"(?:ab){2,3}x", &["abababx", "ababx"]),
            (r"ü{2}ber", &["üüber"]),
            // Alternatives each with their own word.
            (r"foo\d+|\d+bar", &["bar", "foo"]),
            // No word of three bytes every match holds.
            (r"\d{13,19}", &[]),
            (r"pw|password", &[]),
            (r"[a-z]+@[a-z]+\.com", &[".com"]),
            (r"(?:foo|\d+)x", &[]),
            (r"(?:abc)?\d", &[]),
            (r"[^a]bcd", &["bcd"]),
        ] {
            assert_eq!(words(pattern), want, "{pattern}");
        }
    }
}
