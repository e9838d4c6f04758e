//! A person's full name as a post writes it: a given name from published
//! lists, capitalised, then a capitalised surname ("Greta Lindqvist",
//! "Lucía Ferrer", "Ludwig van Beethoven"). A title ("Mrs Keller") is a
//! pack's term; this is the name without one, which carers, coaches and
//! shop staff write when they thank or describe someone.
//!
//! The given names are the Moby lists as stdlib ships them (Apache-2.0)
//! and the human-names lists (MIT) in six languages, less the names that
//! are everyday words ("Will", "Grace", "Morgen"; `names/README.md`).
//! Case is the only thing that tells "Dana Whitfield" from "dana
//! whitfield", and the normal form has lost it, so the finder reads the
//! post as written through the normal form's offset map.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use super::dates::{MONTHS, WEEKDAYS};
use super::{next_word, word_after_space};
use crate::normalize::{normalize_term, Form};

const LISTS: [&str; 14] = [
    include_str!("names/stdlib-female-en.txt"),
    include_str!("names/stdlib-male-en.txt"),
    include_str!("names/female-human-names-en.txt"),
    include_str!("names/male-human-names-en.txt"),
    include_str!("names/female-human-names-es.txt"),
    include_str!("names/male-human-names-es.txt"),
    include_str!("names/female-human-names-de.txt"),
    include_str!("names/male-human-names-de.txt"),
    include_str!("names/female-human-names-fr.txt"),
    include_str!("names/male-human-names-fr.txt"),
    include_str!("names/female-human-names-it.txt"),
    include_str!("names/male-human-names-it.txt"),
    include_str!("names/female-human-names-nl.txt"),
    include_str!("names/male-human-names-nl.txt"),
];

/// Faker's Spanish and German first names (`names/faker_names.py`), and
/// those of them that are words too ("Amparo", "Wolf"): a full name may
/// start with any, a name alone with none of the words.
const FAKER_LISTS: [&str; 2] = [
    include_str!("names/faker-given-names-es.txt"),
    include_str!("names/faker-given-names-de.txt"),
];
/// The names of `FAKER_LISTS` that are a lower-case word of Debian's
/// Spanish, German or English word lists.
const FAKER_WORDS: &str = include_str!("names/faker-name-words.txt");

/// Given names that are everyday words, generated from word lists by
/// `names/common_words.py`.
const COMMON: &str = include_str!("names/common-words.txt");

/// Given names that are a function word in a European language ("Esta",
/// "Denna", "Una"), generated from published stop-word lists by
/// `names/stopword_names.py`: not a name when it stands alone.
const STOPWORD_NAMES: &str = include_str!("names/stopword-names.txt");

/// Lower-case words between a given name and a surname.
/// Not `y` ("Ana y Luis" are two people) nor `zu` ("Ist Lena zu Hause?":
/// German capitalises nouns).
const PARTICLES: [&str; 16] = [
    "van", "von", "de", "del", "della", "der", "den", "di", "da", "du", "la",
    "le", "ten", "ter", "dos", "bin",
];

/// Words before a given name that make it part of a place's name ("San
/// Francisco Bay", "Santa Maria Novella", "Fort William Road").
const PLACE_HEADS: [&str; 10] = [
    "san", "santa", "santo", "sao", "saint", "st", "fort", "port", "mount",
    "new",
];

/// Capitalised words after a given name that make no surname: a title's
/// small words, a place or an institution named after someone ("Victoria
/// Station"), greetings. Days and months are the date finder's tables.
const NOT_SURNAMES: [&str; 58] = [
    "the",
    "and",
    "or",
    "of",
    "for",
    "in",
    "on",
    "at",
    "to",
    "is",
    "was",
    "has",
    "had",
    "have",
    "will",
    "from",
    "with",
    "but",
    "my",
    "our",
    "your",
    "we",
    "you",
    "this",
    "that",
    "who",
    "thanks",
    "thank",
    "hi",
    "hey",
    "und",
    "ist",
    "hat",
    "mit",
    "que",
    "con",
    "por",
    "para",
    "street",
    "road",
    "avenue",
    "lane",
    "hospital",
    "clinic",
    "school",
    "university",
    "college",
    "station",
    "airport",
    "foundation",
    "institute",
    "centre",
    "center",
    "church",
    "cathedral",
    "trust",
    "day",
    "syndrome",
];

/// Capitalised words after a given name alone that make it a building's
/// or a place's ("Harris Hall", "Victoria Park"); as a full name's
/// surname they stay ("Emma Hall" is a person).
const BUILDINGS: [&str; 7] =
    ["hall", "house", "park", "building", "court", "square", "tower"];

/// Each given name in the normal form, and whether it may stand alone
/// (`given_name`) besides starting a full name (`person`): not a function
/// word ("Esta"), nor one of Faker's names that is also a word ("Amparo").
/// Built the first time a post needs them (only posts where a rule could
/// fire on a name do).
fn given_names() -> &'static HashMap<String, bool> {
    static NAMES: OnceLock<HashMap<String, bool>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let stop: HashSet<&str> = STOPWORD_NAMES.lines().collect();
        let words: HashSet<&str> = FAKER_WORDS.lines().collect();
        let mut names = HashMap::new();
        for n in read_names(&LISTS) {
            let alone = !stop.contains(n.as_str());
            names.insert(n, alone);
        }
        for n in read_names(&FAKER_LISTS) {
            let alone =
                !stop.contains(n.as_str()) && !words.contains(n.as_str());
            names.entry(n).or_insert(alone);
        }
        names
    })
}

/// Whether `word` (in the normal form) is a listed given name.
pub(super) fn is_given_name(word: &str) -> bool {
    given_names().contains_key(word)
}

/// The names of `lists` in the normal form, less the everyday words.
fn read_names(lists: &[&str]) -> Vec<String> {
    let common: HashSet<&str> = COMMON.lines().collect();
    lists
        .iter()
        .flat_map(|l| l.lines())
        // Most names are ASCII, whose normal form is lower case: the
        // full normaliser for the rest only (a tenth of the build).
        .map(|w| {
            if w.is_ascii() {
                w.trim().to_ascii_lowercase()
            } else {
                normalize_term(w, Form::Full)
            }
        })
        .filter(|w| w.len() >= 2 && !common.contains(w.as_str()))
        .collect()
}

/// Calls `out` with the normal-form span of each full name in `text`
/// (normalised from `source`; `to_source` maps a normal-form range back).
pub(crate) fn people(
    text: &str,
    source: &str,
    to_source: &dyn Fn(Range<usize>) -> Range<usize>,
    out: &mut impl FnMut(Range<usize>),
) {
    scan(text, source, to_source, false, out);
}

/// Calls `out` with the span of each capitalised given name in `text`,
/// with a surname or alone ("Kyle from the agency is diabetic"): the
/// first name a colleague or a carer writes. The full name's rules
/// (acronyms, places) hold; the surname is not part of the span.
pub(crate) fn given_names_in(
    text: &str,
    source: &str,
    to_source: &dyn Fn(Range<usize>) -> Range<usize>,
    out: &mut impl FnMut(Range<usize>),
) {
    scan(text, source, to_source, true, out);
}

/// The walk of both: each capitalised listed given name, then (for full
/// names) the surname after it.
fn scan(
    text: &str,
    source: &str,
    to_source: &dyn Fn(Range<usize>) -> Range<usize>,
    alone: bool,
    out: &mut impl FnMut(Range<usize>),
) {
    let capital = |w: &Range<usize>| {
        let s = to_source(w.clone());
        source
            .get(s.start..)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_uppercase)
    };
    // A short word in capitals is an acronym or a heading's word ("URI
    // FTP", "Si TIPO", "LES ENSEMBLES"), not a name: on 231,913 real
    // texts most of the all-capital pairs were.
    let acronym = |w: &Range<usize>, most: usize| {
        let s = source.get(to_source(w.clone())).unwrap_or("");
        s.chars().count() <= most && !s.chars().any(char::is_lowercase)
    };
    // Only spaces between the words as written: a line break ends a list
    // item ("Ida\nBen") and the normal form has made it a space.
    let spaced = |a: &Range<usize>, b: &Range<usize>| {
        let (a, b) = (to_source(a.clone()), to_source(b.clone()));
        source
            .get(a.end..b.start)
            .is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '\u{a0}'))
    };
    let names = given_names();
    let mut at = 0;
    let mut before = 0..0;
    while let Some(w) = next_word(text, at) {
        at = w.end;
        let prev = std::mem::replace(&mut before, w.clone());
        // Case first: most words of prose are lower case, and the look-up
        // hashes the word.
        if !capital(&w) || acronym(&w, 3) {
            continue;
        }
        let Some(&may_stand_alone) = names.get(&text[w.clone()]) else {
            continue;
        };
        // Part of a place's name: "San Francisco", "St. Helena".
        let place = PLACE_HEADS.contains(&&text[prev.clone()])
            && capital(&prev)
            && text[prev.end..w.start].bytes().all(|b| b == b' ' || b == b'.');
        if place {
            continue;
        }
        // Alone, a name is written as one: one that may stand alone (see
        // `given_names`), not in capitals ("LATIN CAPITAL LETTER C WITH CARON":
        // a table's words, not Caron), not a building's ("Harris Hall"),
        // not a month ("Julio llega con calor").
        if alone {
            let word = &text[w.clone()];
            let building = word_after_space(text, w.end).is_some_and(|n| {
                let next = &text[n.clone()];
                spaced(&w, &n)
                    && capital(&n)
                    && (NOT_SURNAMES.contains(&next)
                        || BUILDINGS.contains(&next))
            });
            if may_stand_alone
                && !building
                && !MONTHS.contains(&word)
                && !WEEKDAYS.contains(&word)
                && !acronym(&w, usize::MAX)
            {
                out(w);
            }
            continue;
        }
        let mut last = w.clone();
        for _ in 0..3 {
            let Some(n) = word_after_space(text, last.end) else { break };
            if !spaced(&last, &n) {
                break;
            }
            let word = &text[n.clone()];
            if capital(&n) {
                if is_surname(word) && !acronym(&n, 4) {
                    out(w.start..n.end);
                    at = n.end;
                    before = n.clone();
                }
                break;
            }
            if !PARTICLES.contains(&word) {
                break;
            }
            last = n;
        }
    }
}

/// A capitalised word that can be a surname: letters, two or more, and
/// not a small word or an institution's.
fn is_surname(word: &str) -> bool {
    word.len() >= 2
        && !word.bytes().any(|b| b.is_ascii_digit())
        && !NOT_SURNAMES.contains(&word)
        && !MONTHS.contains(&word)
        && !WEEKDAYS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(source: &str) -> Vec<String> {
        super::super::found_as_written(source, |text, source, map, out| {
            people(text, source, map, &mut |r| out(r))
        })
    }

    #[test]
    fn full_names_are_found_by_their_capitals() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Huge shoutout to Greta Lindqvist, who did it",
                &["Greta Lindqvist"],
            ),
            ("Mum — Margaret Ellis, born 14/03/1938", &["Margaret Ellis"]),
            ("gracias a Lucía Ferrer 👏 que", &["Lucía Ferrer"]),
            ("LUCÍA FERRER se rompió", &["LUCÍA FERRER"]),
            ("a sonata by Ludwig van Beethoven", &["Ludwig van Beethoven"]),
            ("Greta Lindqvist's chemo", &["Greta Lindqvist"]),
            // Lower case is no name; a line break ends a list item.
            ("greta lindqvist did it", &[]),
            ("Ida\nBen", &[]),
            // Everyday words, a place, a day, a small word.
            ("Will Power and Grace Church", &[]),
            ("see you at Victoria Station on Friday", &[]),
            ("Maria Has Cancer", &[]),
            ("Dana 1961", &[]),
            ("the URI FTP scheme; Si TIPO; LES ENSEMBLES", &[]),
            ("San Francisco Bay and the New York Times", &[]),
            ("the new Greta Gerwig film", &["Greta Gerwig"]),
            ("Ana y Luis; Ist Lena zu Hause?", &[]),
            ("ANNA SCHMIDT", &["ANNA SCHMIDT"]),
            // A Spanish or German given name from Faker's lists.
            (
                "gracias a Ainara Etxeberria y Jörg Baumann",
                &["Ainara Etxeberria", "Jörg Baumann"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(names_in(text), *want, "{text:?}");
        }
    }

    #[test]
    fn given_names_are_found_alone_too() {
        let alone = |source: &str| {
            super::super::found_as_written(source, |text, source, map, out| {
                given_names_in(text, source, map, &mut |r| out(r))
            })
        };
        let cases: &[(&str, &[&str])] = &[
            ("Kyle from the agency is diabetic", &["Kyle"]),
            ("thanks Greta Lindqvist and Mateo", &["Greta", "Mateo"]),
            // Lower case, an everyday word, a place, an acronym.
            ("kyle is here; Will Power; San Francisco; ANA", &[]),
            // A function word of another language, alone.
            ("Esta extensión; Denna cookie; LETTER C WITH CARON", &[]),
            // A building named after someone, a month.
            ("a blood drive in Harris Hall, room 104", &[]),
            ("Julio llega con calor", &[]),
            // Faker's names too, but not those that are words.
            ("Ainara is diabetic; Amparo total", &["Ainara"]),
        ];
        for (text, want) in cases {
            assert_eq!(alone(text), *want, "{text:?}");
        }
    }

    #[test]
    fn the_lists_hold_names_in_each_language_and_no_common_words() {
        let names = given_names();
        for n in ["greta", "lucia", "jurgen", "dorothy", "mateo", "priya"] {
            assert!(names.contains_key(n), "{n}");
        }
        for w in ["will", "grace", "may", "mark", "june"] {
            assert!(!names.contains_key(w), "{w}");
        }
    }
}
