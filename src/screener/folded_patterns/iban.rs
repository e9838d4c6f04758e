//! IBANs in any grouping, joiner and case (`gb8 2we st1 234 …`,
//! `DE89~3704~…`, `GB82 / WEST / 1234 …`, `DE89\n- 3704 …`): a run of
//! groups that starts with a country code is joined only when the joined
//! letters and digits are one whole IBAN (registered length, mod-97).

use super::{accepted, digit_for, joiner, Read, Token, View};
use crate::validate::whole_iban;

/// The longest IBAN.
const MAX: usize = 34;
/// Letters after the check digits of a joined IBAN: a bank code.
const MAX_LETTERS: usize = 4;

/// A token that can open an IBAN: two letters, then digits or nothing
/// (`gb`, `gb8`, `de89`, `gb82we`).
fn head(tok: &str) -> bool {
    let b = tok.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_lowercase()
        && b[1].is_ascii_lowercase()
        && b.get(2).is_none_or(u8::is_ascii_digit)
}

/// Gaps between IBAN groups: those of numbers, and a comma or `~` run
/// (`DE89, 3704, …`): the checksum makes a list safe here.
fn gap_ok(gap: &str) -> bool {
    accepted(gap)
        || joiner(gap)
        || (gap.chars().count() <= 4
            && gap.chars().any(|c| c == ',' || c == '~')
            && gap.chars().all(|c| matches!(c, ' ' | ',' | '~')))
}

impl View {
    /// Marks as [`Read::Iban`] the token runs that join into a valid IBAN.
    pub(super) fn ibans(
        &mut self,
        text: &str,
        tokens: &[Token],
        reads: &mut [Read],
    ) {
        let mut i = 0;
        while i < tokens.len() {
            match self.iban_at(text, tokens, i) {
                Some(j) => {
                    reads[i..j].fill(Read::Iban);
                    i = j;
                }
                None => i += 1,
            }
        }
    }

    /// The end of an IBAN's token run that starts at token `i`.
    fn iban_at(
        &mut self,
        text: &str,
        tokens: &[Token],
        i: usize,
    ) -> Option<usize> {
        if !head(&text[tokens[i].at.clone()]) {
            return None;
        }
        self.compact.clear();
        for j in i..tokens.len() {
            if j > i
                && !gap_ok(&text[tokens[j - 1].at.end..tokens[j].at.start])
            {
                return None;
            }
            let t = &tokens[j];
            let tok = &text[t.at.clone()];
            let convert = !matches!(t.read, Read::Word(_))
                && tok
                    .chars()
                    .all(|c| c.is_ascii_digit() || digit_for(c).is_some());
            for c in tok.chars() {
                let c = match digit_for(c) {
                    Some(d) if convert && !c.is_ascii_digit() => d,
                    _ => c,
                };
                if !c.is_ascii_alphanumeric() || self.compact.len() >= MAX {
                    return None;
                }
                self.compact.push(c.to_ascii_uppercase());
            }
            // A country code and two check digits first.
            let head = self.compact.as_bytes();
            if head.len() >= 4
                && !(head[2].is_ascii_digit() && head[3].is_ascii_digit())
            {
                return None;
            }
            // Prose joined up is mostly letters; an IBAN's account part is
            // digits but for a bank code (`WEST`, `ABNA`).
            let letters =
                self.compact.bytes().skip(4).filter(u8::is_ascii_alphabetic);
            if letters.count() > MAX_LETTERS {
                return None;
            }
            // One group is the compact IBAN the pattern reads already.
            if j > i && whole_iban(&self.compact) {
                return Some(j + 1);
            }
        }
        None
    }
}
