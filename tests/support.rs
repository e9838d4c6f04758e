//! What the generated-corpus tests share: a tiny deterministic PRNG
//! (splitmix64), so every run sees the same posts without a `rand`
//! dependency.

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    pub(crate) fn digit(&mut self) -> u8 {
        self.below(10) as u8
    }

    pub(crate) fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.digit())).collect()
    }

    pub(crate) fn upper(&mut self) -> char {
        char::from(b'A' + self.below(26) as u8)
    }

    pub(crate) fn alnum(&mut self, n: usize) -> String {
        const CS: &[u8] =
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..n).map(|_| char::from(*self.pick(CS))).collect()
    }

    /// `k` distinct items of `xs`, in random order.
    pub(crate) fn sample<T: Copy>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut v = xs.to_vec();
        for i in 0..k.min(v.len()) {
            let j = i + self.below(v.len() - i);
            v.swap(i, j);
        }
        v.truncate(k);
        v
    }

    /// A random non-empty subset of `xs` (each item with probability ½).
    pub(crate) fn subset<T: Copy>(&mut self, xs: &[T]) -> Vec<T> {
        let mut v: Vec<T> =
            xs.iter().copied().filter(|_| self.chance(0.5)).collect();
        if v.is_empty() {
            v.push(*self.pick(xs));
        }
        v
    }
}
