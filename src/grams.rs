//! Character n-grams, the features of a score rule with `grams`: a
//! logistic model over the TF-IDF vector of a post's character 3- and
//! 4-grams, learnt from the gold set by `tests/data/gold/train_grams.py`.
//!
//! Word scorers weigh whole words, so a writer who inflects, misspells or
//! switches language ("garantizamos", "garantiert", "guarenteed") brings
//! words they never saw; the pieces of those words they did see. The
//! features are defined here once, and the trainer mirrors them: each
//! word (a run of letters and digits of the normal form) is padded with a
//! space on both sides, every digit reads `0`, and each run of 3 or 4
//! characters of the padded word is a gram (5-grams too cost a third
//! more time and caught no more on the unread thirds). A post's vector has, for each
//! gram of the model, `(1 + ln tf) × idf`, scaled to length 1; the score
//! is the bias plus the dot product with the weights. Grams the model
//! does not know are not in the vector (as in the trainer).
//!
//! The grams are hashed (64 bits, over their characters) into an open
//! addressing table at compile time, and a post's grams are hashed on the
//! fly, two per character, so a screening allocates nothing once its
//! scratch has grown.

use std::ops::Range;

/// Gram lengths, in characters.
const SHORTEST: usize = 3;
const LONGEST: usize = 4;

/// Only the first this many bytes of a post are scored: the weights were
/// learnt on posts of under 1 KiB (every gold post is), and a long
/// document's findings come from the rules. With 4 KiB the 1 MiB
/// throughput text cost a third more instructions and no gold verdict
/// changed.
pub(crate) const SCORED_BYTES: usize = 1024;

/// The most grams a rule may weigh.
pub const MAX_GRAMS: usize = 60_000;

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of a gram one character longer.
#[inline]
fn extend(h: u64, c: u32) -> u64 {
    (h ^ u64::from(c)).wrapping_mul(MUL).rotate_left(29)
}

/// A character as the grams read it: digits are all `0`.
#[inline]
fn gram_char(c: char) -> char {
    if c.is_ascii_digit() {
        '0'
    } else {
        c
    }
}

/// Whether a gram, as a pack writes it, has the shape of one: 3 or 4
/// characters, spaces only at its ends, no digit but `0`, no punctuation.
pub(crate) fn is_gram(g: &str) -> bool {
    let n = g.chars().count();
    let inner = g.trim_matches(' ');
    (SHORTEST..=LONGEST).contains(&n)
        && !inner.is_empty()
        && g.len() - inner.len() <= 2
        && !g.starts_with("  ")
        && !g.ends_with("  ")
        && inner.chars().all(|c| c.is_alphanumeric() && gram_char(c) == c)
        && inner.chars().all(|c| !c.is_uppercase())
}

/// A gram's hash, over its characters from the last to the first (as
/// [`Grams::walk`] meets them).
fn hash(g: &str) -> u64 {
    g.chars().rev().fold(0, |h, c| extend(h, c as u32))
}

/// A gram's index, if the table holds it: open addressing over the
/// grams' hashes (never 0, the empty slot's), half full at most.
#[derive(Debug)]
struct Table {
    keys: Vec<u64>,
    values: Vec<u32>,
    mask: usize,
}

impl Table {
    fn new(grams: &[(String, i32, i32)]) -> Table {
        let size = (grams.len() * 2).next_power_of_two().max(16);
        let mut t = Table {
            keys: vec![0; size],
            values: vec![0; size],
            mask: size - 1,
        };
        for (i, (g, _, _)) in grams.iter().enumerate() {
            let h = hash(g) | 1;
            let mut at = (h as usize) & t.mask;
            while t.keys[at] != 0 && t.keys[at] != h {
                at = (at + 1) & t.mask;
            }
            t.keys[at] = h;
            t.values[at] = i as u32;
        }
        t
    }

    #[inline]
    fn get(&self, h: u64) -> Option<u32> {
        let h = h | 1;
        let mut at = (h as usize) & self.mask;
        loop {
            match self.keys[at] {
                k if k == h => return Some(self.values[at]),
                0 => return None,
                _ => at = (at + 1) & self.mask,
            }
        }
    }
}

/// A rule's grams, compiled.
#[derive(Debug)]
pub(crate) struct Grams {
    table: Table,
    /// Per gram: idf × weight, and idf², what a post's score needs.
    idf_weight: Vec<f32>,
    idf_squared: Vec<f32>,
    /// How many grams.
    len: usize,
}

/// A scoring's scratch, reused between posts: how often each gram of the
/// model is in the post (all 0 between scorings), and which ones are.
#[derive(Default)]
pub(crate) struct Counts {
    tf: Vec<u16>,
    distinct: Vec<u32>,
}

/// A word's part in a post's score (its grams'), and where it first is.
#[derive(Clone, Debug)]
pub(crate) struct Part {
    /// In thousandths.
    pub(crate) weight: i32,
    pub(crate) word: Range<usize>,
}

/// `1 + ln tf`, the sublinear term frequency.
#[inline]
fn sublinear(tf: u16) -> f32 {
    // The first few, which are nearly all, without a logarithm.
    const FIRST: [f32; 5] = [0.0, 1.0, 1.693_147_2, 2.098_612_3, 2.386_294_4];
    match FIRST.get(tf as usize) {
        Some(&v) => v,
        None => 1.0 + f32::from(tf).ln(),
    }
}

impl Grams {
    /// `grams` as `(gram, weight, idf)`, the numbers in thousandths.
    pub(crate) fn new(grams: &[(String, i32, i32)]) -> Grams {
        let milli = |v: i32| v as f32 / 1000.0;
        Grams {
            table: Table::new(grams),
            idf_weight: grams
                .iter()
                .map(|g| milli(g.2) * milli(g.1))
                .collect(),
            idf_squared: grams
                .iter()
                .map(|g| milli(g.2) * milli(g.2))
                .collect(),
            len: grams.len(),
        }
    }

    /// Calls `f(gram, word)` for each gram of `text` (a normal form, up
    /// to [`SCORED_BYTES`]) the model knows, `word` the byte offset of
    /// the word it is in.
    #[inline]
    fn walk(&self, text: &str, mut f: impl FnMut(u32, u32)) {
        let mut end = text.len().min(SCORED_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let bytes = text.as_bytes();
        // The word's three characters before the newest, newest first
        // (0: none), and where it starts (`NONE`: between words).
        const NONE: u32 = u32::MAX;
        let (mut c1, mut c2, mut c3, mut word) = (0, 0, 0, NONE);
        let mut i = 0;
        while i < end {
            let b = bytes[i];
            let (c, len, letter) = if b < 0x80 {
                (u32::from(gram_char(b as char)), 1, b.is_ascii_alphanumeric())
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c as u32, c.len_utf8(), c.is_alphanumeric())
            };
            if letter {
                if word == NONE {
                    (c1, c2, c3, word) = (u32::from(b' '), 0, 0, i as u32);
                }
                self.ending(c, [c1, c2, c3], word, &mut f);
                (c1, c2, c3) = (c, c1, c2);
            } else if word != NONE {
                self.ending(u32::from(b' '), [c1, c2, c3], word, &mut f);
                word = NONE;
            }
            i += len;
        }
        if word != NONE {
            self.ending(u32::from(b' '), [c1, c2, c3], word, &mut f);
        }
    }

    /// The known grams that end with `c`, after `before` (newest first).
    #[inline(always)]
    fn ending(
        &self,
        c: u32,
        before: [u32; 3],
        word: u32,
        f: &mut impl FnMut(u32, u32),
    ) {
        if before[1] == 0 {
            return;
        }
        let h = extend(extend(extend(0, c), before[0]), before[1]);
        if let Some(k) = self.table.get(h) {
            f(k, word);
        }
        if before[2] != 0 {
            if let Some(k) = self.table.get(extend(h, before[2])) {
                f(k, word);
            }
        }
    }

    /// The score of `text`, in thousandths without the bias: the dot
    /// product of the weights with its scaled TF-IDF vector. `None` when
    /// it has no gram the model knows.
    pub(crate) fn score(&self, text: &str, c: &mut Counts) -> Option<i32> {
        if c.tf.len() < self.len {
            c.tf.resize(self.len, 0);
        }
        c.distinct.clear();
        let Counts { tf, distinct } = c;
        self.walk(text, |k, _| {
            let n = &mut tf[k as usize];
            if *n == 0 {
                distinct.push(k);
            }
            *n = n.saturating_add(1);
        });
        let (mut dot, mut norm) = (0f32, 0f32);
        for &k in distinct.iter() {
            let k = k as usize;
            let v = sublinear(tf[k]);
            dot += v * self.idf_weight[k];
            norm += v * v * self.idf_squared[k];
            tf[k] = 0;
        }
        (norm > 0.0).then(|| (dot / norm.sqrt() * 1000.0).round() as i32)
    }

    /// The words of `text` that weighed most, either way, at most `n`:
    /// each word's grams' parts of the score, in thousandths, summed over
    /// its occurrences, with its first occurrence (for the reason).
    pub(crate) fn words(&self, text: &str, n: usize) -> Vec<Part> {
        let mut seen: Vec<(u32, u32)> = Vec::new();
        self.walk(text, |k, w| seen.push((k, w)));
        seen.sort_unstable();
        // Each gram's part, shared among its occurrences.
        let mut shares: Vec<(u32, f32)> = Vec::with_capacity(seen.len());
        let mut norm = 0f32;
        for run in seen.chunk_by(|a, b| a.0 == b.0) {
            let k = run[0].0 as usize;
            let v = sublinear(u16::try_from(run.len()).unwrap_or(u16::MAX));
            norm += v * v * self.idf_squared[k];
            let share = v * self.idf_weight[k] / run.len() as f32;
            shares.extend(run.iter().map(|&(_, w)| (w, share)));
        }
        let norm = norm.sqrt().max(f32::MIN_POSITIVE);
        let word_at = |start: usize| {
            let len = text[start..]
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(text.len() - start);
            start..start + len
        };
        // By word as written in the normal form, first occurrence first.
        shares.sort_unstable_by(|a, b| {
            let (x, y) = (word_at(a.0 as usize), word_at(b.0 as usize));
            text[x].cmp(&text[y]).then(a.0.cmp(&b.0))
        });
        let mut parts: Vec<Part> = shares
            .chunk_by(|a, b| {
                text[word_at(a.0 as usize)] == text[word_at(b.0 as usize)]
            })
            .map(|same| {
                let sum: f32 = same.iter().map(|x| x.1).sum();
                Part {
                    weight: (sum / norm * 1000.0).round() as i32,
                    word: word_at(same[0].0 as usize),
                }
            })
            .collect();
        parts.sort_by_key(|p| {
            (std::cmp::Reverse(p.weight.abs()), p.word.start)
        });
        parts.truncate(n);
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::{is_gram, Counts, Grams, SCORED_BYTES};

    fn model(grams: &[&str]) -> Grams {
        let g: Vec<(String, i32, i32)> =
            grams.iter().map(|g| (g.to_string(), 1000, 1000)).collect();
        Grams::new(&g)
    }

    /// The grams `text` holds, of those `all` lists, in the order met.
    fn found(all: &[&str], text: &str) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        model(all).walk(text, |k, w| out.push((all[k as usize].into(), w)));
        out
    }

    #[test]
    fn words_are_padded_and_digits_read_zero() {
        let all = [
            " ab", "ab0", "b0 ", " ab0", "ab0 ", " c ", " é ", "über", "ber ",
            " da", "das ", "as ", " dé", "x y",
        ];
        let cases: [(&str, &[(&str, u32)]); 6] = [
            (
                "ab7, c!",
                &[
                    (" ab", 0),
                    ("ab0", 0),
                    (" ab0", 0),
                    ("b0 ", 0),
                    ("ab0 ", 0),
                    (" c ", 5),
                ],
            ),
            // Every ASCII digit is 0; a gram never spans two words.
            (
                "ab9",
                &[
                    (" ab", 0),
                    ("ab0", 0),
                    (" ab0", 0),
                    ("b0 ", 0),
                    ("ab0 ", 0),
                ],
            ),
            ("x y", &[]),
            // Letters of any script are letters (the normal form has taken
            // the accents off before the grams see the text).
            (" é über", &[(" é ", 1), ("über", 4), ("ber ", 4)]),
            // The grams that end at one character, shortest first.
            ("das", &[(" da", 0), ("as ", 0), ("das ", 0)]),
            ("", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<(String, u32)> =
                want.iter().map(|(g, w)| (g.to_string(), *w)).collect();
            assert_eq!(found(&all, text), want, "{text:?}");
        }
    }

    #[test]
    fn what_a_gram_may_be() {
        let cases = [
            (" ab", true),
            ("abc", true),
            ("ab0 ", true),
            (" é ", true),
            ("über", true),
            ("ab", false),
            ("abcde", false),
            ("  a", false),
            ("a b", false),
            ("ab1", false),
            ("Abc", false),
            ("a-b", false),
            ("   ", false),
        ];
        for (g, want) in cases {
            assert_eq!(is_gram(g), want, "{g:?}");
        }
    }

    #[test]
    fn the_score_is_the_dot_product_with_the_scaled_tf_idf_vector() {
        // " ab" weight 2, idf 1; "ab " weight -1, idf 3.
        let g = Grams::new(&[
            (" ab".into(), 2000, 1000),
            ("ab ".into(), -1000, 3000),
        ]);
        let mut c = Counts::default();
        // "ab": both once: (2 − 3) / √(1 + 9).
        let want = (-1.0f32 / 10f32.sqrt() * 1000.0).round() as i32;
        assert_eq!(g.score("ab", &mut c), Some(want));
        // "ab ab": both twice, tf 1 + ln 2 scales both alike.
        assert_eq!(g.score("ab ab", &mut c), Some(want));
        assert_eq!(g.score("cd", &mut c), None);
        // The counts are back to zero after each scoring.
        assert!(c.tf.iter().all(|&n| n == 0));
    }

    #[test]
    fn only_the_first_bytes_are_scored_and_the_cut_is_a_char_boundary() {
        let all = [" ab", "ab "];
        // An "é" straddles the cut; the word after it is past it.
        let text = "x".repeat(SCORED_BYTES - 1) + "é ab";
        assert_eq!(found(&all, &text), vec![]);
        let text = "ab ".repeat(SCORED_BYTES);
        // Whole "ab"s, and at most an "a" cut short, which is no gram here.
        let n = found(&all, &text).len();
        assert_eq!(n, 2 * (SCORED_BYTES / 3));
    }

    #[test]
    fn every_gram_of_a_large_model_is_found() {
        // 20,000 distinct four-letter grams: "aaaa", "aaab", …
        let letter =
            |i: u32, k: u32| char::from(b'a' + (i / 26u32.pow(k) % 26) as u8);
        let grams: Vec<String> = (0..20_000u32)
            .map(|i| (0..4).rev().map(|k| letter(i, k)).collect())
            .collect();
        let g = model(&grams.iter().map(String::as_str).collect::<Vec<_>>());
        for (i, gram) in grams.iter().enumerate().step_by(97) {
            let mut hits = Vec::new();
            g.walk(&format!("x{gram}x"), |k, _| hits.push(k));
            assert!(hits.contains(&(i as u32)), "{gram}");
        }
    }
}
