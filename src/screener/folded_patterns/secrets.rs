//! Keys as a reader copies them: a key with a published prefix and a
//! fixed length (`AKIA` + 16, `ghp_` + 36, …) cut by spaces, a line break
//! (with indentation, a bullet or a `> ` quote marker), a tab, ` - ` or
//! Markdown (`**ghp_R2d4**E8…`, `~~AKIA4Q~~WERTY…`, `||gh||p_…`) is joined
//! again in a view of the normalised text, and the pattern set runs over
//! that view (issue 13).
//!
//! A fragment that starts with the prefix and is too short is joined with
//! the fragments after it only when they complete the required length
//! exactly, each gap is short, and each fragment after a blank looks like
//! part of a key (a digit, at most three characters, or a capital past its
//! first letter as written): `Asia Pacific tour` stays prose.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::View;
use crate::screener::Post;

/// A key format: its prefixes (as normalised: lower case), the length of
/// the part after the prefix, the characters it may hold besides `a-z0-9`,
/// and whether a real key of this format carries digits.
struct Key {
    prefixes: &'static [&'static str],
    body: usize,
    extra: &'static str,
    digits: bool,
}

/// The formats of rules/base.toml whose length is fixed (AWS, GitHub
/// classic tokens, npm, Hugging Face, Shopify, DigitalOcean, Google).
/// Slack and Stripe keys vary in length: a join cannot know where they
/// end.
const KEYS: &[Key] = &[
    Key { prefixes: &["akia", "asia"], body: 16, extra: "", digits: true },
    Key {
        prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_"],
        body: 36,
        extra: "",
        digits: true,
    },
    // Letters only: joined in a post that holds a digit somewhere (the
    // cheap trigger of `run`).
    Key { prefixes: &["hf_"], body: 34, extra: "", digits: false },
    Key {
        prefixes: &["shpat_", "shpca_", "shppa_", "shpss_"],
        body: 32,
        extra: "",
        digits: true,
    },
    Key {
        prefixes: &["dop_v1_", "doo_v1_", "dor_v1_"],
        body: 64,
        extra: "",
        digits: true,
    },
    Key { prefixes: &["gocspx-"], body: 28, extra: "_-", digits: true },
    Key { prefixes: &["aiza"], body: 35, extra: "_-", digits: true },
    Key { prefixes: &["glpat-"], body: 20, extra: "_-", digits: true },
];

/// Markdown emphasis, strike-through, spoiler and code marks.
fn marker(b: u8) -> bool {
    matches!(b, b'*' | b'_' | b'~' | b'|' | b'`')
}

/// Longest gap a reader skips between two fragments (`\n  - `, ` ~~ `).
const MAX_GAP: usize = 8;
/// At most this many gaps in one key.
const MAX_GAPS: usize = 5;

/// Where a split key may start: a prefix, or a Markdown mark that may cut
/// one (`||gh||p_`, `~~A~~KIA`). The screener's term automaton says
/// whether a post has any (`key_cut_words`); this finds where.
static TRIGGER: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(key_cut_words()).ok());

/// The trigger's words: the prefixes first, then the marks.
pub(in crate::screener) fn key_cut_words() -> impl Iterator<Item = &'static str>
{
    let marks = ["*", "~~", "||", "`", "__"];
    let prefixes = KEYS.iter().flat_map(|k| k.prefixes.iter().copied());
    prefixes.chain(marks)
}

fn body_char(key: &Key, b: u8) -> bool {
    b.is_ascii_lowercase()
        || b.is_ascii_digit()
        || key.extra.as_bytes().contains(&b)
}

/// The length of the gap character at the start of `rest`, if it is one:
/// blanks, line breaks, bullets, a quote marker, Markdown marks (not a
/// character of the key's own alphabet).
fn gap_char(key: &Key, rest: &str) -> Option<usize> {
    let c = rest.chars().next()?;
    let ascii = u8::try_from(c).ok();
    let gap = match ascii {
        Some(b) if body_char(key, b) => false,
        Some(b) => {
            matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'-' | b'>' | b'.')
                || marker(b)
        }
        None => matches!(c, '\u{2022}' | '\u{B7}'),
    };
    gap.then(|| c.len_utf8())
}

/// A split key found at `text[start..end]`.
struct Join {
    end: usize,
}

/// Matches `prefix` at `at`, skipping a Markdown mark run (at most two
/// bytes) inside it; the end of the prefix and the number of runs
/// skipped, and the kept ranges.
fn prefix_at(
    text: &[u8],
    at: usize,
    prefix: &str,
    kept: &mut Vec<Range<usize>>,
) -> Option<(usize, usize)> {
    let (mut i, mut skipped) = (at, 0);
    for (n, &want) in prefix.as_bytes().iter().enumerate() {
        if text.get(i) != Some(&want) && n > 0 {
            let run = text[i.min(text.len())..]
                .iter()
                .take_while(|&&b| marker(b) && b != want)
                .count();
            if (1..=2).contains(&run) {
                i += run;
                skipped += 1;
            }
        }
        if text.get(i) != Some(&want) {
            return None;
        }
        kept.push(i..i + 1);
        i += 1;
    }
    Some((i, skipped))
}

/// Whether the fragment `r` looks like part of a key after a blank gap.
fn keylike(p: &Post, text: &str, r: Range<usize>) -> bool {
    let frag = &text[r.clone()];
    if frag.len() <= 3 || frag.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    // Case is gone from the normalised text: ask the post as written.
    let src = p.norm.source_span(r);
    p.source
        .get(src)
        .is_some_and(|s| s.chars().skip(1).any(char::is_uppercase))
}

/// A key of format `key` split after `prefix` at `at`: where it ends.
fn split_key(
    p: &Post,
    text: &str,
    at: usize,
    key: &Key,
    prefix: &str,
    kept: &mut Vec<Range<usize>>,
) -> Option<Join> {
    let bytes = text.as_bytes();
    kept.clear();
    let (mut i, mut gaps) = prefix_at(bytes, at, prefix, kept)?;
    let (mut count, mut digits) = (0, 0);
    let mut blank_before = false;
    loop {
        let f = i;
        while i < bytes.len() && body_char(key, bytes[i]) && count < key.body {
            digits += usize::from(bytes[i].is_ascii_digit());
            count += 1;
            i += 1;
        }
        if i > f {
            if blank_before && !keylike(p, text, f..i) {
                return None;
            }
            kept.push(f..i);
        } else if blank_before && count == 0 {
            // `asia 2024 …`: a bare prefix word, then a blank.
            return None;
        }
        if count == key.body {
            let ends_clean =
                bytes.get(i).is_none_or(|&b| !b.is_ascii_alphanumeric());
            let ok = gaps > 0 && ends_clean && (digits > 0 || !key.digits);
            return ok.then_some(Join { end: i });
        }
        let g = i;
        while i - g <= MAX_GAP {
            let Some(n) = text.get(i..).and_then(|r| gap_char(key, r)) else {
                break;
            };
            i += n;
        }
        gaps += 1;
        if i == g || i - g > MAX_GAP || gaps > MAX_GAPS || i >= bytes.len() {
            return None;
        }
        blank_before = bytes[g..i].iter().any(|b| b.is_ascii_whitespace());
    }
}

/// How many of the trigger's patterns are prefixes (they come first).
fn prefix_count() -> usize {
    KEYS.iter().map(|k| k.prefixes.len()).sum()
}

/// The longest prefix: a mark further on cannot cut one.
const LONGEST_PREFIX: usize = 7;

impl View {
    /// Writes the text from `last` up to the key at `key`, then the key's
    /// kept characters; Markdown marks right before and after it would
    /// glue it to a word character (`_AKIA…`): they read as a space.
    fn write_key(
        &mut self,
        text: &str,
        kept: &[Range<usize>],
        last: usize,
        key: Range<usize>,
    ) {
        let bytes = text.as_bytes();
        let marks = bytes[last..key.start]
            .iter()
            .rev()
            .take_while(|&&b| marker(b))
            .count();
        let pre = key.start - marks;
        let post = key.end
            + bytes[key.end..].iter().take_while(|&&b| marker(b)).count();
        self.copy(text, last..pre);
        if pre < key.start {
            self.push(text, " ", pre..key.start);
        }
        for r in kept {
            self.copy(text, r.clone());
        }
        if key.end < post {
            self.push(text, " ", key.end..post);
        }
    }

    /// Builds the view of `text` with its split keys joined; false if
    /// there is none. Called only for a post with a trigger word.
    pub(super) fn fill_secrets(&mut self, p: &Post, text: &str) -> bool {
        self.reset();
        let Some(trigger) = TRIGGER.as_ref() else { return false };
        let bytes = text.as_bytes();
        let mut kept = std::mem::take(&mut self.kept);
        let (mut last, mut changed) = (0, false);
        // Only where the trigger fired: at a prefix, or a little before a
        // mark that may cut one.
        for m in trigger.find_iter(text) {
            let lo = if m.pattern().as_usize() < prefix_count() {
                m.start()
            } else {
                m.start().saturating_sub(LONGEST_PREFIX)
            };
            for at in lo.max(last)..=m.start() {
                let starts_word = bytes[at].is_ascii_lowercase()
                    && (at == 0 || !bytes[at - 1].is_ascii_alphanumeric());
                if !starts_word {
                    continue;
                }
                let Some(j) = KEYS.iter().find_map(|k| {
                    k.prefixes.iter().find_map(|pre| {
                        split_key(p, text, at, k, pre, &mut kept)
                    })
                }) else {
                    continue;
                };
                self.write_key(text, &kept, last, at..j.end);
                changed = true;
                last = j.end
                    + bytes[j.end..]
                        .iter()
                        .take_while(|&&b| marker(b))
                        .count();
                break;
            }
        }
        self.kept = kept;
        if changed {
            self.copy(text, last..text.len());
            self.flush(text);
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_is_known() {
        let longest =
            KEYS.iter().flat_map(|k| k.prefixes).map(|p| p.len()).max();
        assert_eq!(longest, Some(LONGEST_PREFIX));
    }

    #[test]
    fn prefix_through_marks() {
        let mut kept = Vec::new();
        assert_eq!(
            prefix_at(b"||gh||p_x", 2, "ghp_", &mut kept),
            Some((8, 1))
        );
        assert_eq!(prefix_at(b"a**kia", 0, "akia", &mut kept), Some((6, 1)));
        assert_eq!(prefix_at(b"akia", 0, "akia", &mut kept), Some((4, 0)));
        assert_eq!(prefix_at(b"ghx_", 0, "ghp_", &mut kept), None);
    }
}
