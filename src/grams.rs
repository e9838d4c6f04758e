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
pub(crate) const MAX_GRAMS: usize = 60_000;

/// The most gram rules a policy may hold (each walks every post).
pub(crate) const MAX_GRAM_RULES: usize = 8;

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
    // One space at each end at most: a second is no letter below.
    let inner = g.strip_prefix(' ').unwrap_or(g);
    let inner = inner.strip_suffix(' ').unwrap_or(inner);
    (SHORTEST..=LONGEST).contains(&g.chars().count())
        && !inner.is_empty()
        && inner.chars().all(|c| {
            // Letters as the normal form writes them, and the digit 0.
            c == '0'
                || c.is_ascii_lowercase()
                || (!c.is_ascii()
                    && c.is_alphabetic()
                    && c.to_lowercase().eq([c]))
        })
}

/// How much of `text` is scored: its first [`SCORED_BYTES`], cut on a
/// character boundary, without a word the cut splits (its piece would be
/// padded as if it were a word: "gua" of "guaranteed").
fn scored_len(text: &str) -> usize {
    if text.len() <= SCORED_BYTES {
        return text.len();
    }
    let mut end = SCORED_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if !text[end..].chars().next().is_some_and(char::is_alphanumeric) {
        return end;
    }
    let word =
        text[..end].char_indices().rev().find(|&(_, c)| !c.is_alphanumeric());
    word.map_or(0, |(i, c)| i + c.len_utf8())
}

/// A gram's hash, over its characters from the last to the first (as
/// [`Grams::walk`] meets them).
fn hash(g: &str) -> u64 {
    g.chars().rev().fold(0, |h, c| extend(h, c as u32))
}

/// A gram's index, if the table holds it: open addressing over the
/// grams' hashes (never 0, the empty slot's), half full at most. The slot
/// comes from the hash's high bits; a gram is never stored more than
/// [`MAX_PROBES`] slots past its own, so a pack whose grams cluster (a
/// hostile one can choose them) is refused instead of making every
/// lookup slow.
#[derive(Debug)]
struct Table {
    keys: Vec<u64>,
    values: Vec<u32>,
    shift: u32,
    mask: usize,
}

/// The most slots a lookup looks at.
const MAX_PROBES: usize = 64;

impl Table {
    /// The table, or the first gram that would sit too far from its slot.
    fn new(grams: &[(String, i32, i32)]) -> Result<Table, String> {
        let size = (grams.len() * 2).next_power_of_two().max(16);
        let mut t = Table {
            keys: vec![0; size],
            values: vec![0; size],
            shift: 64 - size.trailing_zeros(),
            mask: size - 1,
        };
        for (i, (g, _, _)) in grams.iter().enumerate() {
            let h = hash(g) | 1;
            let mut at = t.slot(h);
            let mut probes = 0;
            while t.keys[at] != 0 && t.keys[at] != h {
                at = (at + 1) & t.mask;
                probes += 1;
                if probes == MAX_PROBES {
                    return Err(g.clone());
                }
            }
            t.keys[at] = h;
            t.values[at] = i as u32;
        }
        Ok(t)
    }

    #[inline]
    fn slot(&self, h: u64) -> usize {
        (h >> self.shift) as usize
    }

    #[inline]
    fn get(&self, h: u64) -> Option<u32> {
        let h = h | 1;
        let mut at = self.slot(h);
        for _ in 0..MAX_PROBES {
            match self.keys[at] {
                k if k == h => return Some(self.values[at]),
                0 => return None,
                _ => at = (at + 1) & self.mask,
            }
        }
        None
    }
}

/// A rule's grams, compiled.
#[derive(Debug)]
pub(crate) struct Grams {
    table: Table,
    /// Per gram: idf × weight, and idf², what a post's score needs.
    idf_weight: Vec<f32>,
    idf_squared: Vec<f32>,
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
    /// `grams` as `(gram, weight, idf)`, the numbers in thousandths; or
    /// the message of a pack error.
    pub(crate) fn new(grams: &[(String, i32, i32)]) -> Result<Grams, String> {
        let milli = |v: i32| v as f32 / 1000.0;
        let table = Table::new(grams).map_err(|g| {
            format!(
                "the grams hash too close together to look up quickly \
                 (at {g:?}): use fewer or other grams"
            )
        })?;
        Ok(Grams {
            table,
            idf_weight: grams
                .iter()
                .map(|g| milli(g.2) * milli(g.1))
                .collect(),
            idf_squared: grams
                .iter()
                .map(|g| milli(g.2) * milli(g.2))
                .collect(),
        })
    }

    /// Calls `f(gram, word)` for each gram of `text` (a normal form, up
    /// to [`SCORED_BYTES`]) the model knows, `word` the byte offset of
    /// the word it is in.
    #[inline]
    fn walk(&self, text: &str, mut f: impl FnMut(u32, u32)) {
        let end = scored_len(text);
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
        if c.tf.len() < self.idf_weight.len() {
            c.tf.resize(self.idf_weight.len(), 0);
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

    /// The words of `text` whose grams weighed most, either way, at most
    /// `n`, into `w.parts` (each word's grams' parts of the score, in
    /// thousandths, summed over its occurrences, with its first
    /// occurrence); and the word that weighed most for the rule, of all
    /// of them (the hit). In reused scratch: a post on which the rule
    /// fires and a stance then drops allocates nothing once warm.
    pub(crate) fn words(
        &self,
        text: &str,
        n: usize,
        w: &mut Words,
    ) -> Option<Range<usize>> {
        let Words { seen, shares, parts } = w;
        seen.clear();
        shares.clear();
        parts.clear();
        self.walk(text, |k, at| seen.push((k, at)));
        seen.sort_unstable();
        // Each gram's part, shared among its occurrences.
        let mut norm = 0f32;
        for run in seen.chunk_by(|a, b| a.0 == b.0) {
            let k = run[0].0 as usize;
            let v = sublinear(u16::try_from(run.len()).unwrap_or(u16::MAX));
            norm += v * v * self.idf_squared[k];
            let share = v * self.idf_weight[k] / run.len() as f32;
            shares.extend(run.iter().map(|&(_, at)| (at, share)));
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
        let same = |a: &(u32, f32), b: &(u32, f32)| {
            text[word_at(a.0 as usize)] == text[word_at(b.0 as usize)]
        };
        parts.extend(shares.chunk_by(same).map(|same| {
            let sum: f32 = same.iter().map(|x| x.1).sum();
            Part {
                weight: (sum / norm * 1000.0).round() as i32,
                word: word_at(same[0].0 as usize),
            }
        }));
        // Heaviest either way first; the first occurrence breaks ties.
        parts.sort_unstable_by_key(|p| {
            (std::cmp::Reverse(p.weight.abs()), p.word.start)
        });
        let top = parts
            .iter()
            .filter(|p| p.weight > 0)
            .max_by_key(|p| (p.weight, std::cmp::Reverse(p.word.start)));
        let top = top.map(|p| p.word.clone());
        parts.truncate(n);
        top
    }
}

/// Scratch for [`Grams::words`], reused between screenings.
#[derive(Default)]
pub(crate) struct Words {
    seen: Vec<(u32, u32)>,
    shares: Vec<(u32, f32)>,
    /// The words that weighed most, after [`Grams::words`].
    pub(crate) parts: Vec<Part>,
}

#[cfg(test)]
mod tests {
    use super::{
        hash, is_gram, Counts, Grams, Words, MAX_PROBES, SCORED_BYTES,
    };

    fn model(grams: &[&str]) -> Grams {
        let g: Vec<(String, i32, i32)> =
            grams.iter().map(|g| (g.to_string(), 1000, 1000)).collect();
        Grams::new(&g).unwrap()
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
            ("\u{663}\u{663}\u{663}", false),
            ("ab\u{b2}", false),
            ("\u{1c5}ab", false),
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
        ])
        .unwrap();
        let mut c = Counts::default();
        // "ab": both once: (2 − 3) / √(1 + 9).
        let want = (-1.0f32 / 10f32.sqrt() * 1000.0).round() as i32;
        assert_eq!(g.score("ab", &mut c), Some(want));
        // "ab ab": both twice, tf 1 + ln 2 scales both alike.
        assert_eq!(g.score("ab ab", &mut c), Some(want));
        // "ab abc": " ab" twice (1 + ln 2), "ab " once.
        let t = 1.0 + 2f32.ln();
        let want = ((2.0 * t - 3.0) / (t * t + 9.0).sqrt() * 1000.0).round();
        assert_eq!(g.score("ab abc", &mut c), Some(want as i32));
        assert_eq!(g.score("cd", &mut c), None);
        // The counts are back to zero after each scoring.
        assert!(c.tf.iter().all(|&n| n == 0));
    }

    #[test]
    fn only_the_first_bytes_are_scored_and_the_cut_is_a_char_boundary() {
        let all = [" ab", "ab ", "xé ", "xx ", " xx", "xxx"];
        // An "é" straddles the cut: the word it ends is cut, so left out
        // whole; the word before the cut counts.
        let text = "xx ".to_string() + &"x".repeat(SCORED_BYTES - 4) + "é ab";
        let want = [(" xx", 0), ("xx ", 0)].map(|(g, w)| (g.to_string(), w));
        assert_eq!(found(&all, &text), want);
        // A word that ends at the cut is whole.
        let text = "x".repeat(SCORED_BYTES) + " ab";
        assert_eq!(found(&all, &text).last().unwrap().0, "xx ");
        let text = "ab ".repeat(SCORED_BYTES);
        // Whole "ab"s, and at most an "a" cut short, which is no gram here.
        let n = found(&all, &text).len();
        assert_eq!(n, 2 * (SCORED_BYTES / 3));
    }

    #[test]
    fn the_words_that_weighed_most_and_the_hit() {
        let g = Grams::new(&[
            (" ab".into(), 2000, 1000),
            (" cd".into(), -5000, 1000),
            (" ef".into(), 500, 1000),
        ])
        .unwrap();
        let mut w = Words::default();
        // "cd" weighs most (against), "ab" most for: the hit.
        let top = g.words("ef cd ab ab", 2, &mut w);
        assert_eq!(top, Some(6..8));
        let words: Vec<(std::ops::Range<usize>, bool)> =
            w.parts.iter().map(|p| (p.word.clone(), p.weight > 0)).collect();
        assert_eq!(words, [(3..5, false), (6..8, true)]);
        // Nothing for: no hit.
        assert_eq!(g.words("cd", 2, &mut w), None);
    }

    #[test]
    fn grams_that_cluster_in_the_table_are_refused() {
        // Four-letter grams whose hashes all ask for the same slot of a
        // 256-slot table (the table for 65 to 128 grams).
        let letters = |i: u32| -> String {
            (0..4)
                .map(|k| char::from(b'a' + (i / 26u32.pow(k) % 26) as u8))
                .collect()
        };
        let same: Vec<String> = (0..26u32.pow(4))
            .map(letters)
            .filter(|g| (hash(g) | 1) >> 56 == 7)
            .take(MAX_PROBES + 1)
            .collect();
        assert_eq!(same.len(), MAX_PROBES + 1);
        let grams: Vec<(String, i32, i32)> =
            same.into_iter().map(|g| (g, 1000, 1000)).collect();
        let err = Grams::new(&grams).unwrap_err();
        assert!(err.contains("hash too close together"), "{err}");
        // One fewer fits, and every one is found.
        let g = Grams::new(&grams[..MAX_PROBES]).unwrap();
        for (i, (gram, _, _)) in grams[..MAX_PROBES].iter().enumerate() {
            let mut hits = Vec::new();
            g.walk(&format!("x{gram}x"), |k, _| hits.push(k));
            assert!(hits.contains(&(i as u32)), "{gram}");
        }
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
