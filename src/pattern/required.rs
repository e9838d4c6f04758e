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
    let Some(set) = required(hir) else { return Vec::new() };
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

/// A set of which every match holds a member: the pattern's exact
/// strings if it has few, else the best of its parts'.
fn required(hir: &Hir) -> Option<Set> {
    if let Some(all) = exact(hir) {
        return Some(all);
    }
    match hir.kind() {
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Alternation(arms) => {
            arms.iter().try_fold(Vec::new(), |acc, h| union(acc, required(h)?))
        }
        HirKind::Concat(parts) => {
            // A run of exact parts spells the strings of their product; any
            // part's own set will do too. The longest shortest word wins.
            let mut best: Option<Set> = None;
            let mut run: Set = vec![Vec::new()];
            for h in parts {
                let candidate = match exact(h) {
                    Some(e) => {
                        run = product(&run, &e).unwrap_or(e);
                        Some(run.clone())
                    }
                    None => {
                        run = vec![Vec::new()];
                        required(h)
                    }
                };
                if let Some(c) = candidate {
                    if best.as_ref().is_none_or(|b| better(&c, b)) {
                        best = Some(c);
                    }
                }
            }
            best
        }
        _ => None,
    }
}

fn better(a: &Set, b: &Set) -> bool {
    (shortest(a), std::cmp::Reverse(a.len()))
        > (shortest(b), std::cmp::Reverse(b.len()))
}

/// Every string `hir` matches, if there are few and they are short.
fn exact(hir: &Hir) -> Option<Set> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(lit) => {
            (lit.0.len() <= MAX_LEN).then(|| vec![lit.0.to_vec()])
        }
        HirKind::Class(c) => members(c),
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .try_fold(vec![Vec::new()], |acc, h| product(&acc, &exact(h)?)),
        HirKind::Alternation(arms) => {
            arms.iter().try_fold(Vec::new(), |acc, h| union(acc, exact(h)?))
        }
        HirKind::Repetition(r) => {
            let max = r.max.filter(|&m| m <= 3)?;
            let sub = exact(&r.sub)?;
            let (mut power, mut all) = (vec![Vec::new()], Vec::new());
            for k in 0..=max {
                if k >= r.min {
                    all = union(all, power.clone())?;
                }
                if k < max {
                    power = product(&power, &sub)?;
                }
            }
            Some(all)
        }
    }
}

/// A small class's characters, as UTF-8; an ASCII capital whose small
/// letter is there too is left out (the text has no capitals).
fn members(class: &Class) -> Option<Set> {
    let all: Set = match class {
        Class::Bytes(c) => {
            let n: usize = c.ranges().iter().map(|r| r.len()).sum();
            if n > MAX_CLASS {
                return None;
            }
            c.iter()
                .flat_map(|r| r.start()..=r.end())
                .map(|b| vec![b])
                .collect()
        }
        Class::Unicode(c) => {
            let n: usize = c.ranges().iter().map(|r| r.len()).sum();
            if n > MAX_CLASS {
                return None;
            }
            c.iter()
                .flat_map(|r| r.start()..=r.end())
                .map(|ch| ch.to_string().into_bytes())
                .collect()
        }
    };
    let capital_of_another = |m: &Vec<u8>| {
        matches!(m[..], [b] if b.is_ascii_uppercase()
            && all.contains(&vec![b.to_ascii_lowercase()]))
    };
    Some(all.iter().filter(|m| !capital_of_another(m)).cloned().collect())
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
    union(out, Vec::new())
}

fn union(mut a: Set, b: Set) -> Option<Set> {
    a.extend(b);
    a.sort_unstable();
    a.dedup();
    (a.len() <= MAX_WORDS).then_some(a)
}

#[cfg(test)]
mod tests {
    use super::required_words;
    use crate::pattern::syntax_config;

    fn words(pattern: &str) -> Vec<String> {
        let hir = regex_automata::util::syntax::parse_with(
            pattern,
            &syntax_config(),
        )
        .unwrap();
        required_words(&hir)
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
