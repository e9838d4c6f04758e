//! A dense Aho-Corasick DFA over the terms, built straight from a trie.
//!
//! aho-corasick's own DFA builder fills every missing transition by
//! walking the failure chain of its sparse NFA, byte by byte: for the
//! bundled financial pack that was half of a compile. Here the trie is
//! built dense, and states are finished in breadth-first order, so a
//! missing transition is copied from the failure state's row, which is
//! already complete: one table write per state and byte class. The table
//! it scans is the same shape as aho-corasick's DFA (one lookup per byte),
//! so scanning costs the same.
//!
//! Matching is aho-corasick's `MatchKind::Standard` with every overlapping
//! match reported: at each end position, a state's own patterns (in the
//! order given) come first, then those of its failure state, and so on.

/// Marks a transition the trie does not have yet.
const NONE: u32 = u32::MAX;

/// A DFA over non-empty terms; pattern `i` is the `i`-th term.
#[derive(Debug)]
pub(crate) struct TermDfa {
    /// Byte -> its class: bytes that no term has share class 0.
    classes: [u8; 256],
    /// `log2` of the row length (a power of two at least the class count).
    stride2: u32,
    /// Row `s` holds state `s`'s transitions; each entry is the next
    /// state's row offset, with bit 0 set when that state has matches.
    trans: Vec<u32>,
    /// `match_ids[match_ranges[s].0..match_ranges[s].1]` are state `s`'s
    /// patterns.
    match_ranges: Vec<(u32, u32)>,
    match_ids: Vec<u32>,
    /// Each pattern's length in bytes.
    lens: Vec<u32>,
}

impl TermDfa {
    /// The DFA over `terms`, or `None` if one is empty (an empty term
    /// matches at every position, which this DFA does not model).
    pub(crate) fn new<I, T>(terms: I) -> Option<TermDfa>
    where
        I: IntoIterator<Item = T> + Clone,
        T: AsRef<[u8]>,
    {
        let mut used = [false; 256];
        let mut lens = Vec::new();
        let mut bytes = 0usize;
        for t in terms.clone() {
            let t = t.as_ref();
            if t.is_empty() {
                return None;
            }
            t.iter().for_each(|&b| used[usize::from(b)] = true);
            lens.push(t.len() as u32);
            bytes += t.len();
        }
        let mut classes = [0u8; 256];
        let mut n = 1usize;
        for (b, _) in used.iter().enumerate().filter(|(_, u)| **u) {
            // At most 256 used bytes plus class 0: 257 classes do not fit a
            // byte, so the last used byte shares class 0 only if all 256
            // are used (then class 0 is never "unused").
            classes[b] = (n % 256) as u8;
            n += 1;
        }
        let alphabet = n.min(256);
        let stride2 = alphabet.next_power_of_two().trailing_zeros();
        // A trie has at most one state per byte of its terms, plus the root.
        let mut b = Builder {
            stride2,
            trans: Vec::with_capacity((bytes + 1) << stride2),
            own: Vec::with_capacity(bytes + 1),
            next_dup: vec![NONE; lens.len()],
            first_child: Vec::with_capacity(bytes + 1),
            next_sibling: Vec::with_capacity(bytes + 1),
            class_of: Vec::with_capacity(bytes + 1),
        };
        b.add_state(0, 0);
        for (pid, t) in terms.into_iter().enumerate() {
            b.insert(t.as_ref(), &classes, pid as u32);
        }
        let (match_ranges, match_ids) = b.finish(alphabet);
        // The table was reserved for the worst case (a state per byte).
        let mut trans = b.trans;
        trans.shrink_to_fit();
        Some(TermDfa {
            classes,
            stride2,
            trans,
            match_ranges,
            match_ids,
            lens,
        })
    }

    /// Calls `each(pattern, start, end)` for every occurrence of every term
    /// in `hay`, in order of `end`.
    #[inline(always)]
    pub(crate) fn for_each(
        &self,
        hay: &[u8],
        mut each: impl FnMut(usize, usize, usize),
    ) {
        // Fields in locals: the loop keeps them in registers.
        let (classes, trans) = (&self.classes, &self.trans[..]);
        let mut s = 0u32;
        for (i, &b) in hay.iter().enumerate() {
            let at = (s & !1) as usize + usize::from(classes[usize::from(b)]);
            s = trans[at];
            if s & 1 != 0 {
                let end = i + 1;
                let (from, to) =
                    self.match_ranges[(s >> self.stride2) as usize];
                for &p in &self.match_ids[from as usize..to as usize] {
                    each(
                        p as usize,
                        end - self.lens[p as usize] as usize,
                        end,
                    );
                }
            }
        }
    }
}

/// The trie while it is built, then made a DFA in place.
struct Builder {
    stride2: u32,
    /// Row offsets (bit 0 clear) while building; see `TermDfa::trans`.
    trans: Vec<u32>,
    /// State -> its first own pattern; `next_dup` chains the others (the
    /// same term given twice).
    own: Vec<u32>,
    next_dup: Vec<u32>,
    /// The trie's edges as lists: state -> its first child, child -> the
    /// next child of its parent, and the byte class that leads to it.
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    class_of: Vec<u8>,
}

impl Builder {
    /// A new state without transitions, the child of `parent` by `class`
    /// (the root has none); returns its row offset.
    fn add_state(&mut self, parent: usize, class: u8) -> u32 {
        let s = self.own.len();
        self.trans.resize(self.trans.len() + (1 << self.stride2), NONE);
        self.own.push(NONE);
        self.first_child.push(NONE);
        self.class_of.push(class);
        self.next_sibling.push(NONE);
        if s > 0 {
            self.next_sibling[s] = self.first_child[parent];
            self.first_child[parent] = s as u32;
        }
        (s << self.stride2) as u32
    }

    fn insert(&mut self, term: &[u8], classes: &[u8; 256], pid: u32) {
        let mut s = 0usize;
        for &b in term {
            let class = classes[usize::from(b)];
            let at = (s << self.stride2) + usize::from(class);
            if self.trans[at] == NONE {
                self.trans[at] = self.add_state(s, class);
            }
            s = (self.trans[at] >> self.stride2) as usize;
        }
        if self.own[s] == NONE {
            self.own[s] = pid;
        } else {
            let mut p = self.own[s] as usize;
            while self.next_dup[p] != NONE {
                p = self.next_dup[p] as usize;
            }
            self.next_dup[p] = pid;
        }
    }

    /// Fills the missing transitions in breadth-first order, so that a
    /// state's failure state (shallower) is complete before it: a state's
    /// row is its failure state's row with its own edges written over.
    /// Transitions into states with matches get bit 0. Returns the match
    /// table.
    fn finish(&mut self, alphabet: usize) -> (Vec<(u32, u32)>, Vec<u32>) {
        let sh = self.stride2;
        let states = self.own.len();
        let mut ranges = vec![(0u32, 0u32); states];
        let mut ids = Vec::new();
        let mut fail = vec![0u32; states];
        let mut queue: Vec<u32> = Vec::with_capacity(states);
        // The root: missing transitions stay at the root.
        for t in &mut self.trans[..alphabet] {
            if *t == NONE {
                *t = 0;
            }
        }
        queue.push(0);
        let mut head = 0;
        while head < queue.len() {
            let s = queue[head] as usize;
            head += 1;
            let f = fail[s] as usize;
            if s > 0 {
                let row = f << sh;
                self.trans.copy_within(row..row + alphabet, s << sh);
            }
            let mut t = self.first_child[s];
            while t != NONE {
                let child = t as usize;
                let at = (s << sh) + usize::from(self.class_of[child]);
                // Before the edge is written, the copied row says where
                // the failure state goes: the child's failure state.
                let via_fail = if s == 0 { 0 } else { self.trans[at] >> sh };
                fail[child] = via_fail;
                ranges[child] =
                    self.matches(child, via_fail, &ranges, &mut ids);
                let (from, to) = ranges[child];
                self.trans[at] = (child << sh) as u32 | u32::from(from != to);
                queue.push(t);
                t = self.next_sibling[child];
            }
        }
        (ranges, ids)
    }

    /// Appends state `s`'s patterns to `ids`: its own, then those of its
    /// failure state `f` (already there); returns their range.
    fn matches(
        &self,
        s: usize,
        f: u32,
        ranges: &[(u32, u32)],
        ids: &mut Vec<u32>,
    ) -> (u32, u32) {
        let start = ids.len() as u32;
        let mut p = self.own[s];
        while p != NONE {
            ids.push(p);
            p = self.next_dup[p as usize];
        }
        let (from, to) = ranges[f as usize];
        ids.extend_from_within(from as usize..to as usize);
        (start, ids.len() as u32)
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, MatchKind};

    use super::TermDfa;
    use crate::test_rng::Rng;

    /// Every `(pattern, start, end)` as aho-corasick reports them.
    fn reference(terms: &[Vec<u8>], hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(terms)
            .unwrap();
        ac.find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    fn ours(terms: &[Vec<u8>], hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let dfa = TermDfa::new(terms).unwrap();
        let mut out = Vec::new();
        dfa.for_each(hay, |p, s, e| out.push((p, s, e)));
        out
    }

    #[test]
    fn reports_what_aho_corasick_reports_in_its_order() {
        // Few letters, so terms nest, overlap and repeat; with a byte
        // over 127 and every byte once, for the class table's edges.
        let mut rng = Rng(14);
        for round in 0..300 {
            let letters: &[u8] =
                if round % 3 == 0 { b"ab\xc3" } else { b"abcd " };
            let word = |rng: &mut Rng, max: usize| -> Vec<u8> {
                (0..1 + rng.below(max))
                    .map(|_| letters[rng.below(letters.len())])
                    .collect()
            };
            let n = 1 + rng.below(12);
            let mut terms: Vec<Vec<u8>> =
                (0..n).map(|_| word(&mut rng, 5)).collect();
            if round == 299 {
                terms.push((0..=255u8).collect());
            }
            let hay = word(&mut rng, 60);
            assert_eq!(
                ours(&terms, &hay),
                reference(&terms, &hay),
                "{terms:?} {hay:?}"
            );
        }
    }

    #[test]
    fn duplicate_terms_both_match_and_empty_terms_are_refused() {
        let terms = vec![b"ab".to_vec(), b"b".to_vec(), b"ab".to_vec()];
        assert_eq!(
            ours(&terms, b"xab"),
            vec![(0, 1, 3), (2, 1, 3), (1, 2, 3)]
        );
        assert_eq!(ours(&terms, b"xab"), reference(&terms, b"xab"));
        assert!(TermDfa::new([b"a".as_slice(), b""]).is_none());
        let all: Vec<u8> = (0..=255u8).collect();
        assert_eq!(ours(std::slice::from_ref(&all), &all), vec![(0, 0, 256)]);
    }
}
