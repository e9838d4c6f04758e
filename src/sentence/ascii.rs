//! UAX #29 sentence boundaries of ASCII text, by a byte loop: the same
//! pieces as `unicode_segmentation`'s `split_sentence_bound_indices`, at
//! a few instructions a byte instead of a few hundred (its state machine
//! looks up the property of every character). A long post with concept
//! words all over it is segmented whole, so this is most of what
//! segmenting costs there.
//!
//! The rules, restricted to ASCII (where there are no `OLetter`, `Sep`,
//! `Extend` or `Format` characters):
//! - SB3/SB4: a break after a line feed or carriage return (CR LF is one);
//! - SB6: `.` × digit; SB7: letter `.` × capital;
//! - SB8: `.` Close* Sp* × (anything but a letter, a line break or a
//!   terminator)* lower-case letter;
//! - SB8a: terminator Close* Sp* × (`,` `-` `:` `;` or a terminator);
//! - SB9–SB11: a terminator, then closing punctuation, spaces and one line
//!   break are kept with it, and a break follows.

/// Calls `piece(offset, text)` for each sentence piece of the ASCII
/// `text`, in order; the pieces cover `text`.
pub(super) fn pieces(text: &str, mut piece: impl FnMut(usize, &str)) {
    debug_assert!(text.is_ascii());
    let b = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let end = match c {
            b'\n' => Some(i + 1),
            b'\r' => {
                Some(if b.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 })
            }
            b'.' | b'!' | b'?' => after_terminator(b, i),
            _ => None,
        };
        match end {
            Some(e) if e < b.len() => {
                piece(start, &text[start..e]);
                start = e;
                i = e;
            }
            Some(_) => break,
            None => i += 1,
        }
    }
    if start < b.len() {
        piece(start, &text[start..]);
    }
}

/// Where the sentence that the terminator at `t` ends stops (the next
/// one starts), or `None` when the rules carry the sentence on.
fn after_terminator(b: &[u8], t: usize) -> Option<usize> {
    let full_stop = b[t] == b'.';
    let next = b.get(t + 1).copied();
    if full_stop {
        // SB6: "3.5"; SB7: "U.S".
        if next.is_some_and(|n| n.is_ascii_digit()) {
            return None;
        }
        let letter_before = t > 0 && b[t - 1].is_ascii_alphabetic();
        if letter_before && next.is_some_and(|n| n.is_ascii_uppercase()) {
            return None;
        }
    }
    let mut k = t + 1;
    while k < b.len() && is_close(b[k]) {
        k += 1;
    }
    while k < b.len() && is_space(b[k]) {
        k += 1;
    }
    let Some(&n) = b.get(k) else { return Some(k) };
    // SB8a: a comma, a dash … or another terminator goes on.
    if matches!(n, b',' | b'-' | b':' | b';' | b'.' | b'!' | b'?') {
        return None;
    }
    // SB8: after a full stop, a lower-case letter ahead (before any other
    // letter, line break or terminator) goes on.
    if full_stop {
        let ahead = b[k..].iter().find(|&&c| {
            c.is_ascii_alphabetic()
                || matches!(c, b'\n' | b'\r' | b'.' | b'!' | b'?')
        });
        if ahead.is_some_and(u8::is_ascii_lowercase) {
            return None;
        }
    }
    // SB9–SB11: one line break stays with the sentence it ends.
    Some(match n {
        b'\r' if b.get(k + 1) == Some(&b'\n') => k + 2,
        b'\n' | b'\r' => k + 1,
        _ => k,
    })
}

/// UAX #29 `Close`: quotation marks and opening or closing brackets.
fn is_close(c: u8) -> bool {
    matches!(c, b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}')
}

/// UAX #29 `Sp`: white space other than line breaks.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | 0x0B | 0x0C)
}

#[cfg(test)]
mod tests {
    use unicode_segmentation::UnicodeSegmentation;

    use crate::test_rng::Rng;

    fn ours(text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        super::pieces(text, |i, p| out.push((i, p.to_string())));
        out
    }

    fn theirs(text: &str) -> Vec<(usize, String)> {
        text.split_sentence_bound_indices()
            .map(|(i, p)| (i, p.to_string()))
            .collect()
    }

    #[test]
    fn same_pieces_as_unicode_segmentation_by_case() {
        for text in [
            "",
            "Done. Next",
            "It is 3.5 percent. Yes!",
            "The U.S. Army. ok",
            "etc. and so on. Then",
            "Wow!! Really?! \"Yes.\" (No.) Fine",
            "a.\r\nb\rc\nd",
            "end. 3% a month, like clockwork.",
            "end.\n\nNew para",
            "x. , y. - z",
            "   ",
            "...",
            "e.g. this one stays",
            "he said 'go.' then left",
        ] {
            assert_eq!(ours(text), theirs(text), "{text:?}");
        }
    }

    /// Random ASCII over the characters the rules treat apart, against
    /// the crate the product used before (its answers are the reference).
    #[test]
    fn same_pieces_as_unicode_segmentation_on_random_ascii() {
        const ALPHABET: &[u8] = b"aZ1 .!?,-:;\"'()\n\r\t#x A.. b";
        let mut rng = Rng(29);
        for _ in 0..50_000 {
            let len = rng.below(24);
            let text: String = (0..len)
                .map(|_| ALPHABET[rng.below(ALPHABET.len())] as char)
                .collect();
            assert_eq!(ours(&text), theirs(&text), "{text:?}");
        }
    }
}
