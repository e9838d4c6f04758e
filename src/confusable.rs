//! Which ASCII letters or digits a non-ASCII letter imitates: UTS #39's
//! confusable skeleton (from `unicode-security`), completed where that
//! table stops short of ASCII. UTS #39 maps many letters to another
//! non-ASCII letter that itself looks like an ASCII one (Greek `τ` to the
//! small capital `ᴛ`, `κ` to `ĸ`, `η` to `n` plus a mark); this module
//! follows such chains to ASCII:
//!
//! - small capitals (`ᴅᴏᴜʙʟᴇ`), from the Unicode names
//!   ([`crate::unicode_tables::SMALL_CAPS`]);
//! - combining marks in a skeleton are dropped (`η` → `n̩` → `n`);
//! - [`EXTRA`]: Greek and Cyrillic lower-case letters that imitate a
//!   Latin letter in common fonts but that UTS #39 maps elsewhere or not
//!   at all (`κ`, `β`, `ε`, `ω`, `μ`, `п`, `г`, `ш`, `ь`, `к`, `и`).
//!
//! [`Strictness::Strict`] leaves [`EXTRA`] out: it decides whether a word
//! with no Latin letter at all is a disguise (`рrоmіsе`, every letter a
//! look-alike by UTS #39) or genuine Cyrillic or Greek, where most words
//! have a letter that imitates nothing.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::unicode_tables::SMALL_CAPS;

/// Beyond UTS #39: lower-case Greek and Cyrillic letters read as Latin
/// ones in ordinary fonts (and `ĸ`, where UTS #39 sends `κ` and `к`).
/// Sorted by character.
const EXTRA: &[(char, char)] = &[
    ('\u{0138}', 'k'), // ĸ kra
    ('\u{03B2}', 'b'), // β
    ('\u{03B5}', 'e'), // ε
    ('\u{03BA}', 'k'), // κ
    ('\u{03BC}', 'u'), // μ
    ('\u{03C9}', 'w'), // ω
    ('\u{0433}', 'r'), // г
    ('\u{0438}', 'u'), // и
    ('\u{043A}', 'k'), // к
    ('\u{043F}', 'n'), // п
    ('\u{0448}', 'w'), // ш
    ('\u{044C}', 'b'), // ь
    ('\u{222A}', 'u'), // ∪ set union, written for u (hoelzro's list)
    ('\u{A4F2}', 'i'), // ꓲ Lisu letter i: UTS #39 says l, it reads I
];

/// Whether `c` is a symbol that the table above reads as a letter.
pub(crate) fn letterlike_symbol(c: char) -> bool {
    !c.is_alphabetic() && extra(c).is_some()
}

/// Lisu (Fraser) and Cherokee letters: both scripts are written in
/// capitals shaped like Latin ones, so a word of them is read as Latin
/// whatever its length (`ꓐꓮꓬ` is `bay`).
pub(crate) fn latin_shaped_script(c: char) -> bool {
    matches!(c as u32, 0x13A0..=0x13FF | 0xAB70..=0xABBF | 0xA4D0..=0xA4FF)
}

/// How far to look: UTS #39 and small capitals only, or [`EXTRA`] too.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strictness {
    Strict,
    Loose,
}

/// Up to three lower-case ASCII letters or digits, on the stack.
pub(crate) struct Skeleton {
    bytes: [u8; 3],
    len: usize,
}

impl Skeleton {
    fn push(&mut self, b: u8) -> Option<()> {
        let slot = self.bytes.get_mut(self.len)?;
        *slot = b.to_ascii_lowercase();
        self.len += 1;
        Some(())
    }

    pub(crate) fn as_str(&self) -> &str {
        // ASCII by construction.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

fn small_cap(c: char) -> Option<char> {
    SMALL_CAPS
        .binary_search_by_key(&c, |&(s, _)| s)
        .ok()
        .map(|i| SMALL_CAPS[i].1)
}

fn extra(c: char) -> Option<char> {
    EXTRA.binary_search_by_key(&c, |&(s, _)| s).ok().map(|i| EXTRA[i].1)
}

/// One character of a skeleton (or the letter itself) as ASCII.
fn direct(c: char, how: Strictness) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c);
    }
    small_cap(c).or_else(|| match how {
        Strictness::Loose => extra(c),
        Strictness::Strict => None,
    })
}

/// The ASCII letters or digits that the non-ASCII letter `c` imitates, if
/// it imitates some.
pub(crate) fn ascii_lookalike(c: char, how: Strictness) -> Option<Skeleton> {
    let mut out = Skeleton { bytes: [0; 3], len: 0 };
    if let Some(d) = direct(c, how) {
        out.push(d as u8)?;
        return Some(out);
    }
    let mut buf = [0u8; 4];
    for s in unicode_security::skeleton(c.encode_utf8(&mut buf)) {
        match s.general_category() {
            GeneralCategory::NonspacingMark
            | GeneralCategory::EnclosingMark
            | GeneralCategory::SpacingMark => continue,
            _ => out.push(direct(s, how)? as u8)?,
        }
    }
    // The skeleton of `m` is `rn`: a Cyrillic `м` imitates `m`.
    if out.as_str() == "rn" {
        out = Skeleton { bytes: [b'm', 0, 0], len: 1 };
    }
    (out.len > 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(EXTRA.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SMALL_CAPS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn chains_end_in_ascii() {
        let loose = |c| {
            ascii_lookalike(c, Strictness::Loose)
                .map(|s| s.as_str().to_string())
        };
        for (c, want) in [
            ('\u{03C4}', "t"), // τ → ᴛ → t
            ('\u{03B1}', "a"), // α
            ('\u{03C1}', "p"), // ρ
            ('\u{03B7}', "n"), // η → n + mark
            ('\u{03BA}', "k"), // κ → ĸ → k
            ('\u{1D05}', "d"), // ᴅ
            ('\u{0299}', "b"), // ʙ
            ('\u{043F}', "n"), // п
        ] {
            assert_eq!(loose(c).as_deref(), Some(want), "{c:?}");
        }
        assert!(ascii_lookalike('\u{03BA}', Strictness::Strict).is_none());
        assert!(ascii_lookalike('\u{0436}', Strictness::Loose).is_none());
    }
}
