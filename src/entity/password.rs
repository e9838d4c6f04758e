//! A password by its shape alone: one word of letters and digits with a
//! symbol inside and both cases as written ("Titr4tion!2026",
//! "Bluebird!Mods24", "P@ssw0rd"). Sites' password rules ask for exactly
//! that mix, and prose, code and identifiers rarely make it: of 231,913
//! real texts (manual pages, changelogs, message catalogues, docstrings)
//! 17 have such a word, against most of the hand-written posts that give
//! a password without saying so ("just use the shared QC one: qc_lab2 /
//! Titr4tion!2026").
//!
//! Case is what tells "Summer2025!" from "gtk!5645", and the normal form
//! has lost it, so the finder reads the post as written through the
//! normal form's offset map.

use std::ops::Range;

/// Bytes a password word holds in the normal form.
fn in_word(b: u8) -> bool {
    b.is_ascii_lowercase()
        || b.is_ascii_digit()
        || b == b'#'
        || b == b'-'
        || is_symbol(b)
}

/// The symbols a password rule asks for. Not `#` alone ("PKCS#11",
/// "Bug#4471"), `*` (globs, sums, markup: "MiB1024*1024"), `%` (printf
/// formats, URL escapes), `_` (identifiers), `/`, `=`, `+`, `.` or
/// brackets (paths, options, file names, code).
fn is_symbol(b: u8) -> bool {
    matches!(b, b'!' | b'$' | b'&' | b'?' | b'@')
}

/// A byte that glues a word to a link, a path, an option or a file name:
/// "mega.nz/folder/Xk29LpQa#r7Tg", "?rlkey=p4x9", "AusweisApp2.*.log".
fn glue(b: u8) -> bool {
    matches!(
        b,
        b'/' | b'='
            | b':'
            | b'_'
            | b'+'
            | b'%'
            | b'~'
            | b'\\'
            | b'.'
            | b'<'
            | b'>'
    ) || b >= 0x80
}

/// Calls `out` with the normal-form span of each password-shaped word in
/// `text` (normalised from `source`; `to_source` maps a range back).
pub(crate) fn passwords(
    text: &str,
    source: &str,
    to_source: &dyn Fn(Range<usize>) -> Range<usize>,
    out: &mut impl FnMut(Range<usize>),
) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Words start at a symbol's neighbourhood only: skip to the next
        // symbol, then widen to the word around it.
        let Some(at) = b[i..].iter().position(|&c| is_symbol(c)) else {
            return;
        };
        let at = i + at;
        let mut start = at;
        while start > 0 && in_word(b[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < b.len() && in_word(b[end]) {
            end += 1;
        }
        i = end;
        // A word glued to a link, a path or a letter outside ASCII is no
        // password; a full stop that ends the sentence is not glue.
        let stop = end + 1 >= b.len() || b[end + 1] == b' ';
        let glued_after =
            end < b.len() && glue(b[end]) && !(b[end] == b'.' && stop);
        let glued_before = start > 0 && glue(b[start - 1]);
        // Sentence punctuation at its end is not part of it.
        while end > start && matches!(b[end - 1], b'-' | b'?') {
            end -= 1;
        }
        if start < end
            && !glued_after
            && !glued_before
            && shaped(&text[start..end], paired(&text[..start]))
            && both_cases(source, to_source(start..end))
        {
            out(start..end);
        }
    }
}

/// Eight to 32 bytes, three letters in a row, a digit, a symbol inside
/// (an e-mail address has a dot after its `@`, which glue ends the word
/// at); not a hashtag.
fn shaped(word: &str, pair: bool) -> bool {
    let w = word.as_bytes();
    if !(8..=32).contains(&w.len()) || is_symbol(w[0]) || w[0] == b'#' {
        return false;
    }
    let digit = w.iter().any(u8::is_ascii_digit);
    // A symbol inside the word; a final `!` only beside another symbol
    // ("Printy#2019!") or as a login pair's second half ("administrator /
    // Summer2025!"): alone it is the sentence's ("Euro2024!",
    // "iPhone16!").
    let inner = &w[1..w.len() - 1];
    let symbol = inner.iter().any(|&c| is_symbol(c))
        || (w[w.len() - 1] == b'!' && (pair || inner.contains(&b'#')));
    let letters = w.windows(3).any(|t| t.iter().all(u8::is_ascii_lowercase));
    // One `@` at most: "Beschreibung@oktal@latin1" is a table's layout.
    let ats = w.iter().filter(|&&c| c == b'@').count();
    digit && letters && symbol && ats <= 1
}

/// Whether the text before a word ends a login's user name and its slash
/// ("qc_lab2 / ", "admin/").
fn paired(before: &str) -> bool {
    let b = before.trim_end_matches(' ').as_bytes();
    b.len() >= 2 && b[b.len() - 1] == b'/' && b[b.len() - 2] != b'/'
}

/// Whether the word as written has an upper-case and a lower-case letter.
fn both_cases(source: &str, r: Range<usize>) -> bool {
    let Some(s) = source.get(r) else { return false };
    s.chars().any(char::is_uppercase) && s.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(source: &str) -> Vec<String> {
        super::super::found_as_written(source, |text, source, map, out| {
            passwords(text, source, map, &mut |r| out(r))
        })
    }

    #[test]
    fn password_shaped_words_are_found_and_look_alikes_are_not() {
        let cases: &[(&str, &[&str])] = &[
            (
                "shared one: qc_lab2 / Titr4tion!2026 works",
                &["Titr4tion!2026"],
            ),
            (
                "same as the old one (Bluebird!Mods24) — log out",
                &["Bluebird!Mods24"],
            ),
            ("still 'Printy#2019!' bc nobody rotated it", &["Printy#2019!"]),
            ("beats P@ssw0rd every time.", &["P@ssw0rd"]),
            ("it's Hunt3r!2024. Done", &["Hunt3r!2024"]),
            // A final `!` is the sentence's; a leading `#` a hashtag.
            ("Euro2024! and the new iPhone16! and #Summer2025!", &[]),
            ("\"administrator / Summer2025!\" Literally.", &["Summer2025!"]),
            // Inside links, paths, file names and tables.
            ("here mega.nz/folder/Xk29LpQa#r7TgHw2!VbN9 grab it", &[]),
            ("https://1drv.ms/u/s!AkX9pQm2Lr7TbZg4?e=Hq3kW1", &[]),
            ("see ${TMP}/AusweisApp2.*.log", &[]),
            ("PKCS#11-basierte Tokens", &[]),
            ("Beschreibung@oktal@latin1@ascii", &[]),
            ("suffixes MiB1024*1024 and FB*30P-Modellen", &[]),
            // Lower case, an issue, an e-mail, code, a format, a hashtag.
            ("merged gtk!5645 and dbus!404", &[]),
            ("see Bug#38792 and Patch#30", &[]),
            ("write to Anna.Berg2@mail.example", &[]),
            ("use checkout@v4 in CI", &[]),
            ("printf %.4s-%.2s", &[]),
            ("#Summer2025 vibes!", &[]),
            ("Congrats!! 2026", &[]),
            ("Café2024!x", &["Café2024!x"]),
        ];
        for (text, want) in cases {
            assert_eq!(found(text), *want, "{text:?}");
        }
    }
}
