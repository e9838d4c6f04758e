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
//! Only the shallow states get a full row: past `DENSE_BYTES` of rows, a
//! state (a deep one, in breadth-first order) keeps its own edges and its
//! failure state, and a byte it has no edge for goes on from there. The
//! bank pack's 70,000 states made an 18.6 MB table with a row each, and
//! its process at rest grew from 26 to 34 MB; prose seldom walks deep into
//! a phrase, so the tail costs little scan time.
//!
//! Matching is aho-corasick's `MatchKind::Standard` with every overlapping
//! match reported: at each end position, a state's own patterns (in the
//! order given) come first, then those of its failure state, and so on.

/// Marks a missing edge or pattern while the trie is built.
const NONE: u32 = u32::MAX;

/// The most bytes of full rows: the first states in breadth-first order
/// (the shallow ones, where a scan spends most bytes) get one while they
/// fit; the base and label packs fit whole.
const DENSE_BYTES: usize = 4 << 20;

/// A DFA over non-empty terms; pattern `i` is the `i`-th term.
#[derive(Debug)]
pub(crate) struct TermDfa {
    /// Byte -> its class: bytes that no term has share class 0.
    classes: [u8; 256],
    /// Row `s` (state `s`, in breadth-first order, for the first
    /// `dense_states`) holds its transitions; each entry is the next
    /// state's *entry*: its row offset, or for a tail state `dense_end`
    /// plus twice its place in `tail`, with bit 0 set when that state has
    /// matches. A row is as long as the alphabet, rounded up to even (bit 0
    /// must be free): not to a power of two, which wasted a quarter of the
    /// bank pack's 6.4 MB table.
    trans: Vec<u32>,
    /// `trans.len()`: entries from here on are tail states.
    dense_end: u32,
    dense_states: usize,
    tail: Tail,
    /// Turns a row offset back into its state, on a match only.
    rows: Rows,
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
        TermDfa::with_dense_bytes(terms, DENSE_BYTES)
    }

    /// The DFA over `terms`, with at most `dense` bytes of full rows (the
    /// root's always).
    fn with_dense_bytes<I, T>(terms: I, dense: usize) -> Option<TermDfa>
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
        // A trie has at most one state per byte of its terms, plus the root.
        let mut b = Trie {
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
        let rows = Rows::new(alphabet + alphabet % 2);
        let states = b.own.len();
        let dense_states = (dense / (rows.len * 4)).clamp(1, states);
        let (trans, tail, match_ranges, match_ids) = b.dfa(rows, dense_states);
        Some(TermDfa {
            classes,
            dense_end: trans.len() as u32,
            trans,
            dense_states,
            tail,
            rows,
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
        let dense_end = self.dense_end;
        let mut s = 0u32;
        for (i, &b) in hay.iter().enumerate() {
            let class = classes[usize::from(b)];
            s = if s < dense_end {
                trans[(s & !1) as usize + usize::from(class)]
            } else {
                self.tail.next(trans, dense_end, s, class)
            };
            if s & 1 != 0 {
                let end = i + 1;
                let (from, to) = self.match_ranges[self.state(s)];
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

    /// The state of `entry`.
    #[inline(always)]
    fn state(&self, entry: u32) -> usize {
        state_of(self.rows, self.dense_end, self.dense_states, entry)
    }
}

/// The state of `entry`, a row offset or a tail entry (see `trans`).
#[inline(always)]
fn state_of(rows: Rows, dense_end: u32, dense_states: usize, e: u32) -> usize {
    if e < dense_end {
        rows.state(e)
    } else {
        dense_states + ((e - dense_end) >> 1) as usize
    }
}

/// The deep states: their own edges and their failure state, no row.
#[derive(Debug, Default)]
struct Tail {
    /// Per tail state `k`: its failure state's entry, and its edges at
    /// `edge_start[k]..edge_start[k + 1]` in `edge_class` and `edge_to`
    /// (the last state's end is pushed when the tail is finished).
    fail: Vec<u32>,
    edge_start: Vec<u32>,
    edge_class: Vec<u8>,
    edge_to: Vec<u32>,
}

impl Tail {
    /// Where tail entry `s` goes on `class`: its own edge, else where its
    /// failure state goes (shallower, so the chain ends at a row). Out of
    /// line: the scan loop's common case, a row, stays small.
    #[inline(never)]
    fn next(
        &self,
        trans: &[u32],
        dense_end: u32,
        mut s: u32,
        class: u8,
    ) -> u32 {
        loop {
            if s < dense_end {
                return trans[(s & !1) as usize + usize::from(class)];
            }
            let k = ((s - dense_end) >> 1) as usize;
            let from = self.edge_start[k] as usize;
            let to = self.edge_start[k + 1] as usize;
            if let Some(j) =
                self.edge_class[from..to].iter().position(|&c| c == class)
            {
                return self.edge_to[from + j];
            }
            s = self.fail[k];
        }
    }
}

/// The row length, and how a row offset (a multiple of it) is divided by
/// it without a division: the length is `odd << shift`, and the offset
/// shifted right by `shift` times the inverse of `odd` modulo 2^32 is the
/// state.
#[derive(Clone, Copy, Debug)]
struct Rows {
    len: usize,
    shift: u32,
    inverse: u32,
}

impl Rows {
    fn new(len: usize) -> Rows {
        let shift = len.trailing_zeros();
        let odd = (len >> shift) as u32;
        // Newton's iteration: each step doubles the correct low bits, and
        // `odd * odd ≡ 1 (mod 8)` starts at three.
        let mut inverse = odd;
        for _ in 0..4 {
            inverse = inverse
                .wrapping_mul(2u32.wrapping_sub(odd.wrapping_mul(inverse)));
        }
        Rows { len, shift, inverse }
    }

    /// The state whose row starts at `entry & !1`.
    #[inline(always)]
    fn state(&self, entry: u32) -> usize {
        ((entry & !1) >> self.shift).wrapping_mul(self.inverse) as usize
    }
}

/// Rows, tail, each state's match range, the matches.
type Built = (Vec<u32>, Tail, Vec<(u32, u32)>, Vec<u32>);

/// The trie while it is built: edges as lists, no table yet.
struct Trie {
    /// State -> its first own pattern; `next_dup` chains the others (the
    /// same term given twice).
    own: Vec<u32>,
    next_dup: Vec<u32>,
    /// State -> its first child, child -> the next child of its parent,
    /// and the byte class that leads to it.
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    class_of: Vec<u8>,
}

impl Trie {
    /// A new state, the child of `parent` by `class` (the root has none).
    fn add_state(&mut self, parent: usize, class: u8) -> usize {
        let s = self.own.len();
        self.own.push(NONE);
        self.first_child.push(NONE);
        self.class_of.push(class);
        self.next_sibling.push(NONE);
        if s > 0 {
            self.next_sibling[s] = self.first_child[parent];
            self.first_child[parent] = s as u32;
        }
        s
    }

    fn child(&self, s: usize, class: u8) -> Option<usize> {
        let mut t = self.first_child[s];
        while t != NONE {
            if self.class_of[t as usize] == class {
                return Some(t as usize);
            }
            t = self.next_sibling[t as usize];
        }
        None
    }

    fn insert(&mut self, term: &[u8], classes: &[u8; 256], pid: u32) {
        let mut s = 0usize;
        for &b in term {
            let class = classes[usize::from(b)];
            s = match self.child(s, class) {
                Some(t) => t,
                None => self.add_state(s, class),
            };
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

    /// The DFA's rows, tail and match table, with rows for the first
    /// `dense_states` states. States are numbered and finished in
    /// breadth-first order, so a state's failure state (shallower) is
    /// complete before it: a row is a copy of the failure state's row with
    /// its own edges written over, and the table is written once, front to
    /// back (a table filled first and finished after was two writes of
    /// every entry, and its first write faulted every page in). A tail
    /// state's edges find their targets' failure states through the
    /// finished part. Transitions into states with matches get bit 0.
    fn dfa(&self, rows: Rows, dense_states: usize) -> Built {
        let (len, states) = (rows.len, self.own.len());
        let dense_end = (dense_states * len) as u32;
        let entry = |number: usize| -> u32 {
            if number < dense_states {
                (number * len) as u32
            } else {
                dense_end + 2 * (number - dense_states) as u32
            }
        };
        let state = |e: u32| state_of(rows, dense_end, dense_states, e);
        let mut trans: Vec<u32> = Vec::with_capacity(dense_states * len);
        let mut tail = Tail::default();
        let mut ranges = Vec::with_capacity(states);
        let mut ids = Vec::new();
        // Trie states in breadth-first order (a state's index here is its
        // number in the DFA), and each one's failure state, by number.
        let mut queue: Vec<u32> = Vec::with_capacity(states);
        let mut fail: Vec<u32> = Vec::with_capacity(states);
        queue.push(0);
        fail.push(0);
        // The root matches nothing (no term is empty); its missing
        // transitions stay at the root.
        ranges.push((0, 0));
        trans.resize(len, 0);
        let mut head = 0;
        while head < queue.len() {
            let (s, old) = (head, queue[head] as usize);
            head += 1;
            let dense = s < dense_states;
            if dense && s > 0 {
                let row = fail[s] as usize * len;
                trans.extend_from_within(row..row + len);
            } else if !dense {
                tail.fail.push(entry(fail[s] as usize));
                tail.edge_start.push(tail.edge_to.len() as u32);
            }
            let mut t = self.first_child[old];
            while t != NONE {
                let child = t as usize;
                let number = queue.len();
                let class = self.class_of[child];
                let at = s * len + usize::from(class);
                // Where the failure state goes is the child's failure
                // state: a copied row says it before the edge is written.
                let via_fail = if s == 0 {
                    0
                } else if dense {
                    state(trans[at])
                } else {
                    let f = entry(fail[s] as usize);
                    state(tail.next(&trans, dense_end, f, class))
                };
                fail.push(via_fail as u32);
                let range = self.matches(child, ranges[via_fail], &mut ids);
                ranges.push(range);
                let to = entry(number) | u32::from(range.0 != range.1);
                if dense {
                    trans[at] = to;
                } else {
                    tail.edge_class.push(class);
                    tail.edge_to.push(to);
                }
                queue.push(t);
                t = self.next_sibling[child];
            }
        }
        tail.edge_start.push(tail.edge_to.len() as u32);
        (trans, tail, ranges, ids)
    }

    /// Appends trie state `s`'s patterns to `ids`: its own, then those of
    /// its failure state (at `inherited`, already there); returns their
    /// range.
    fn matches(
        &self,
        s: usize,
        inherited: (u32, u32),
        ids: &mut Vec<u32>,
    ) -> (u32, u32) {
        let start = ids.len() as u32;
        let mut p = self.own[s];
        while p != NONE {
            ids.push(p);
            p = self.next_dup[p as usize];
        }
        ids.extend_from_within(inherited.0 as usize..inherited.1 as usize);
        (start, ids.len() as u32)
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, MatchKind};

    use super::{Rows, TermDfa};
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
        ours_with(terms, hay, super::DENSE_BYTES)
    }

    /// With at most `dense` bytes of rows (0: the root's only).
    fn ours_with(
        terms: &[Vec<u8>],
        hay: &[u8],
        dense: usize,
    ) -> Vec<(usize, usize, usize)> {
        let dfa = TermDfa::with_dense_bytes(terms, dense).unwrap();
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
            // Alphabets odd and even (a row is rounded up to even).
            let letters: &[u8] = match round % 4 {
                0 => b"ab\xc3",
                1 => b"abcd ",
                2 => b"abc",
                _ => b"abcdef",
            };
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
            let want = reference(&terms, &hay);
            assert_eq!(ours(&terms, &hay), want, "{terms:?} {hay:?}");
            // The same with a tail: every state past the root, or past a
            // few rows (a row is at most 8 entries of 4 bytes here, 256
            // for the last round's).
            for dense in [0, 8 * 4 * (1 + round % 5), 256 * 4 * 3] {
                assert_eq!(
                    ours_with(&terms, &hay, dense),
                    want,
                    "{terms:?} {hay:?} {dense}"
                );
            }
        }
    }

    #[test]
    fn a_tail_of_long_phrases_matches_like_the_rows() {
        // Phrases that share words, so tail states fail to other tail
        // states, as a pack's concept lists do.
        let terms: Vec<Vec<u8>> = [
            "guaranteed returns",
            "returns guaranteed",
            "you can't lose",
            "can't lose money",
            "lose money",
            "money back guaranteed",
            "guaranteed",
            "turn 10k into",
            "into 100k",
            "k into",
        ]
        .iter()
        .map(|t| t.as_bytes().to_vec())
        .collect();
        let hay = b"you can't lose money back guaranteed returns guaranteed, \
                    turn 10k into 100k into money";
        let want = reference(&terms, hay);
        assert_eq!(want.len(), 12);
        for dense in [0, 64, 1 << 10, 1 << 20] {
            assert_eq!(ours_with(&terms, hay, dense), want, "{dense}");
        }
        let tail = TermDfa::with_dense_bytes(&terms, 0).unwrap();
        assert_eq!(tail.dense_states, 1);
        assert!(tail.tail.fail.len() > 100);
    }

    #[test]
    fn a_row_offset_turns_back_into_its_state() {
        for len in (2..=256).step_by(2) {
            let rows = Rows::new(len);
            // Up to the largest table a 128 KiB term list can make.
            let last = (u32::MAX as usize / len).min(140_000);
            for k in (0..last).step_by(7).chain([last - 1]) {
                let offset = (k * len) as u32;
                assert_eq!(rows.state(offset), k, "len {len}");
                assert_eq!(rows.state(offset | 1), k, "len {len}");
            }
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
