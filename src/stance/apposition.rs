//! Negations in apposition: "Nobody, not even the best fund manager, can
//! guarantee returns"; "No bank — not us, not anyone — can promise …".
//! A negative subject opens a short clause, one or more clauses that each
//! open with "not" say whom it covers, and the clause that holds the hit
//! opens with the subject's verb. The subject negates that clause, and
//! the apposition's "not"s agree with it: they do not cancel it as a
//! second negation would ("you can't not make money").
//!
//! Read on the words that open each clause, in the normalised text (lower
//! case), so it needs no cue of its own and costs nothing unless a hit's
//! clause opens with one of [`VERBS`].

use std::ops::Range;

use crate::text::{near, word_start_after};

/// The parts of an apposed negation before the hit's clause: the negative
/// subject's clause, and the apposition after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Apposed {
    pub(crate) subject: Range<usize>,
    pub(crate) apposition: Range<usize>,
}

/// Words that open the subject's clause: a negative pronoun, or "no"
/// before a noun ("No bank", "Ningún asesor"). English and Spanish, as
/// [`VERBS`].
const SUBJECTS: &[&str] = &[
    "nobody", "no one", "no-one", "none", "no", "nadie", "ninguno", "ninguna",
    "ningun", "ningún",
];

/// Words that make a negative subject a comparison ("no other bank").
const OTHERS: &[&str] = &["other", "else", "otro", "otra", "otros", "otras"];

/// Words that open a clause of the apposition ("not us", "not even the
/// best", "ni nosotros", "ni siquiera el tuyo").
const APPOSITIONS: &[&str] = &["not", "nor", "ni"];

/// Words that open the hit's clause when it carries on the subject: a
/// modal, an auxiliary or a verb of promising, in English and Spanish.
/// Not German, whose modal leaves the verb to the clause's end ("Keine
/// Krise, nicht einmal ein Crash, kann Ihre garantierte Rendite
/// gefährden" promises it).
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "can", "could", "will", "would", "should", "shall", "may", "might",
    "must", "is", "are", "was", "has", "does", "ever", "guarantees",
    "promises", "puede", "pueden", "podra", "podrá", "podria", "podría",
    "garantiza", "promete",
];

/// How many words the subject's clause may hold ("No honest adviser
/// anywhere").
const SUBJECT_WORDS: u32 = 4;

/// How many words may come before the hit in its clause, the verb
/// included: the subject denies what the verb says ("can guarantee
/// returns", "can promise guaranteed returns", "is risk-free"), not what
/// a longer clause names as untouched ("No crash, not even 2008, can
/// touch your guaranteed 8%" promises it).
const VERB_REACH: u32 = 2;

/// The apposed negation before `clause` (the clause of the hit that starts
/// at `hit_start`, inside the sentence that starts at `sentence_start`), if
/// there is one. `clause_of` gives the clause holding a byte of `text`.
pub(crate) fn apposed(
    text: &str,
    sentence_start: usize,
    clause: Range<usize>,
    hit_start: usize,
    clause_of: impl Fn(usize) -> Range<usize>,
) -> Option<Apposed> {
    let at = |i: usize| i..i;
    if !opens_with(&text[clause.clone()], VERBS)
        || !near(text, at(clause.start), at(hit_start), VERB_REACH)
    {
        return None;
    }
    let mut start = clause.start;
    while start > sentence_start {
        let prev = clause_of(start - 1);
        if prev.start >= start {
            return None;
        }
        let words = &text[prev.clone()];
        if opens_with(words, APPOSITIONS) {
            start = prev.start;
            continue;
        }
        // "No other broker, not Schwab, does risk-free 11% like us"
        // compares: the poster's own is the one that does.
        let other = words
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| OTHERS.contains(&w));
        let subject = start < clause.start
            && opens_with(words, SUBJECTS)
            && !other
            && word_start_after(words, 0, SUBJECT_WORDS) >= words.len();
        return subject.then_some(Apposed {
            subject: prev.start..start,
            apposition: start..clause.start,
        });
    }
    None
}

/// Whether `clause` opens with one of `words` as a whole word, after any
/// punctuation ("(not us", "— not even").
fn opens_with(clause: &str, words: &[&str]) -> bool {
    let rest = clause.trim_start_matches(|c: char| !c.is_alphanumeric());
    words.iter().any(|w| {
        rest.strip_prefix(w)
            .is_some_and(|after| !after.starts_with(char::is_alphanumeric))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Clauses as the sentence module cuts them for these cases: each
    /// starts at the first word after a comma, a dash or a parenthesis.
    fn clause_of(text: &str, pos: usize) -> Range<usize> {
        let cut = |c: char| matches!(c, ',' | '—' | '(' | ')');
        let mut starts = vec![0];
        for (i, c) in text.char_indices().filter(|&(_, c)| cut(c)) {
            let after = &text[i + c.len_utf8()..];
            starts.push(text.len() - after.trim_start().len());
        }
        let start = starts.iter().copied().filter(|&s| s <= pos).max();
        let end = starts.iter().copied().filter(|&s| s > pos).min();
        start.unwrap_or(0)..end.unwrap_or(text.len())
    }

    #[test]
    fn apposed_negations() {
        let cases: &[(&str, &str, bool)] = &[
            ("nobody, not even the best manager, can guarantee returns", "can", true),
            ("no one — not us, not the club — can guarantee returns", "can", true),
            ("nobody (not us) can guarantee returns", "can", true),
            ("no bank, not us and not anyone else, will promise 8%", "will", true),
            ("nadie, ni nosotros ni el club, puede garantizar nada", "puede", true),
            // German leaves the verb to the end: not read.
            ("niemand, nicht einmal wir, kann das garantieren", "kann", false),
            // A comparison: the poster's own does it.
            ("no other broker, not schwab, does risk-free 11% like us", "does", false),
            // No apposition: the subject's own clause is the hit's.
            ("nobody can guarantee returns", "nobody", false),
            // A list of "not"s with no negative subject before it.
            ("not risky, not complicated, can double your money", "can", false),
            // The clause before is a negation of its own, not a subject.
            ("no fees, no risk, guaranteed returns", "guaranteed", false),
            // A subject too long to be one.
            ("no matter what the papers say about it, not once, can you lose", "can", false),
            // The hit's clause does not carry on the subject.
            ("nobody, not even us, expected this: guaranteed 8%", "expected", false),
            // The hit is no longer what the verb says but what it leaves
            // untouched: a promise.
            ("no crash, not even 2008, can touch your guaranteed 8%", "can", false),
            ("no one, not even our rivals, can match our guaranteed 12%", "can", false),
        ];
        for &(text, opens, want) in cases {
            let at = text.find(opens).unwrap();
            let clause = clause_of(text, at);
            // The hit: the first word with a digit or "guarantee", "risk",
            // "returns" in it, else the word after the verb.
            let hit =
                ["guarantee", "risk", "return", "8%", "12%", "nada", "das"]
                    .iter()
                    .filter_map(|w| text[at..].find(w).map(|i| at + i))
                    .min()
                    .unwrap_or(at);
            let got = apposed(text, 0, clause, hit, |p| clause_of(text, p));
            assert_eq!(got.is_some(), want, "{text}: {got:?}");
            if let Some(a) = got {
                assert_eq!(a.subject.start, 0, "{text}");
                assert_eq!(a.apposition.end, clause_of(text, at).start);
            }
        }
    }
}
