//! Wallet recovery phrases: twelve to twenty-four words of a BIP-39 word
//! list in a row. Anyone who reads one owns the wallet, so a phrase
//! posted with its name ("my 12 words", "frase semilla") is a secret.
//!
//! The word lists are BIP-39's own (MIT; `bip39/README.md`), the six in
//! Latin script, normalised as posts are (accents off, lower case). A
//! post's run may hold a word that is on no list (a typo, a word written
//! from memory): up to one in four, never two in a row, and the run
//! starts and ends on a list word. Prose does not make such a run: its
//! short words ("the", "de", "und") are on no list.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use super::next_word;
use crate::normalize::{normalize_term, Form};

/// The fewest words of a recovery phrase.
const MIN_WORDS: usize = 12;

/// The most words a phrase has.
const MAX_WORDS: usize = 24;

const LISTS: [&str; 6] = [
    include_str!("bip39/english.txt"),
    include_str!("bip39/spanish.txt"),
    include_str!("bip39/french.txt"),
    include_str!("bip39/italian.txt"),
    include_str!("bip39/portuguese.txt"),
    include_str!("bip39/czech.txt"),
];

/// Every list's words in the normal form; built the first time a post
/// needs it (only posts that name a recovery phrase do).
fn words() -> &'static HashSet<String> {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        LISTS
            .iter()
            .flat_map(|l| l.lines())
            .map(|w| normalize_term(w, Form::Full))
            .filter(|w| !w.is_empty())
            .collect()
    })
}

/// A run being read: where it starts and ends, its words and misses.
#[derive(Clone, Copy, Default)]
struct Run {
    start: usize,
    end: usize,
    words: usize,
    misses: usize,
    last_missed: bool,
}

impl Run {
    fn phrase(&self) -> Option<Range<usize>> {
        (self.words >= MIN_WORDS && self.misses * 4 <= self.words)
            .then_some(self.start..self.end)
    }
}

/// Calls `out` for each run of list words in `text` (normalised) that is
/// long enough to be a recovery phrase.
pub(super) fn seed_phrases(text: &str, out: &mut impl FnMut(Range<usize>)) {
    let list = words();
    let mut run = Run::default();
    let mut at = 0;
    while let Some(w) = next_word(text, at) {
        let gap = &text[at..w.start];
        at = w.end;
        let word = &text[w.clone()];
        // Numbering ("1. abandon 2. ability") is part of the layout; the
        // normal form has made tabs and line breaks spaces.
        if word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let joined =
            run.words > 0 && gap.bytes().all(|b| b" ,.;:)-|/".contains(&b));
        if !joined {
            emit(&run, out);
            run = Run::default();
        }
        if list.contains(word) {
            if run.words == 0 {
                run.start = w.start;
            }
            run.words += 1;
            run.end = w.end;
            run.last_missed = false;
        } else if run.words > 0 && !run.last_missed {
            run.words += 1;
            run.misses += 1;
            run.last_missed = true;
        } else {
            emit(&run, out);
            run = Run::default();
        }
        if run.words >= MAX_WORDS + MAX_WORDS / 4 {
            emit(&run, out);
            run = Run::default();
        }
    }
    emit(&run, out);
}

/// Reports `run` if it is a phrase, without its trailing miss.
fn emit(run: &Run, out: &mut impl FnMut(Range<usize>)) {
    let mut r = *run;
    if r.last_missed {
        r.words -= 1;
        r.misses -= 1;
    }
    if let Some(span) = r.phrase() {
        out(span);
    }
}

#[cfg(test)]
mod tests {
    use super::{seed_phrases, words};

    fn found(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        seed_phrases(text, &mut |r| v.push(r));
        v.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn the_lists_are_read_whole() {
        // Six lists of 2,048 words; a few words are on two lists.
        let n = words().len();
        assert!((11_000..=12_288).contains(&n), "{n}");
        assert!(words().contains("abaco"), "accents are off");
    }

    #[test]
    fn recovery_phrases_are_found_and_prose_is_not() {
        let en = "legal winner thank year wave sausage worth useful legal \
                  winner thank yellow";
        let cases: &[(&str, &[&str])] = &[
            (en, &[en]),
            (
                "my 12 words: 1. lince 2. tarde 3. miel 4. brujula 5. nube \
                 6. sotano 7. pera 8. viaje 9. ancla 10. dedo 11. sal \
                 12. trigo! que hago",
                &["lince 2. tarde 3. miel 4. brujula 5. nube 6. sotano 7. \
                   pera 8. viaje 9. ancla 10. dedo 11. sal 12. trigo"],
            ),
            // Eleven words are not a phrase.
            (
                "legal winner thank year wave sausage worth useful legal \
                 winner thank",
                &[],
            ),
            // Prose: its short words are on no list.
            (
                "my seed phrase is safe, i wrote the twelve words on paper \
                 and keep them in a drawer at my mother's house",
                &[],
            ),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(found(text), *want, "{text:?}");
        }
    }
}
