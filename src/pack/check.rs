//! Stage 2 of loading a pack: the checks that turn the raw file into
//! checked rule types, each failure located in the file.

use toml::Spanned;

use crate::date::Date;
use crate::error::Error;

/// A `YYYY-MM-DD` value of the pack, with errors located by `fail`.
pub(super) fn parse_date(
    d: Option<Spanned<String>>,
    fail: impl Fn(String, usize) -> Error,
) -> Result<Option<Date>, Error> {
    match d {
        None => Ok(None),
        Some(s) => s
            .get_ref()
            .parse()
            .map(Some)
            .map_err(|e: Error| fail(e.kind().to_string(), s.span().start)),
    }
}

pub(super) fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || matches!(b, b'.' | b'_' | b'-')
        })
}

/// True if a term or word would match nothing: empty once normalised
/// (emoji, symbols and invisible characters become spaces).
pub(super) fn blank(word: &str) -> bool {
    crate::normalize::normalize_term(word, crate::normalize::Form::Full)
        .trim()
        .is_empty()
}
