//! Errors across the C ABI: a one-line message, a kind a program can
//! switch on, and where (pack, line, column, rule) when that is known.

use std::ffi::{c_char, CString};
use std::ptr;

use super::free;
use crate::{Error, ErrorKind};

/// An argument is NULL or invalid (a bad date, a post that is not the
/// verdict's, a NUL byte where a C string must carry the text).
pub const PRECLEAR_ERROR_INVALID_ARGUMENT: i32 = 1;
/// A pack is not valid TOML, has an unknown key or a value of the wrong
/// type.
pub const PRECLEAR_ERROR_TOML: i32 = 2;
/// A pack is valid TOML but says something invalid (an empty term list,
/// thresholds out of order, a NUL byte in a message…).
pub const PRECLEAR_ERROR_INVALID_PACK: i32 = 3;
/// A pattern does not compile.
pub const PRECLEAR_ERROR_REGEX: i32 = 4;
/// A pattern names a validator that does not exist.
pub const PRECLEAR_ERROR_UNKNOWN_VALIDATOR: i32 = 5;
/// Two rules of a policy share an id.
pub const PRECLEAR_ERROR_DUPLICATE_RULE: i32 = 6;
/// A pack tries to weaken what an earlier pack locked.
pub const PRECLEAR_ERROR_LOCKED: i32 = 7;
/// No bundled pack or file has that name.
pub const PRECLEAR_ERROR_MISSING_PACK: i32 = 8;
/// `extends` loops back on itself.
pub const PRECLEAR_ERROR_CYCLE: i32 = 9;
/// A file could not be read.
pub const PRECLEAR_ERROR_IO: i32 = 10;
/// Text (a post, a pack, a string argument) is not valid UTF-8.
pub const PRECLEAR_ERROR_UTF8: i32 = 11;
/// An input is over one of the library's limits (post size, pack size,
/// rules per pack…). Nothing is truncated.
pub const PRECLEAR_ERROR_LIMIT: i32 = 12;
/// A bug in the library (a panic it caught). Please report it.
pub const PRECLEAR_ERROR_INTERNAL: i32 = 13;

/// An error: what went wrong, in one line, its kind and where. Free with
/// `preclear_error_free`.
pub struct preclear_error {
    kind: i32,
    message: CString,
    pack: Option<CString>,
    rule: Option<CString>,
    line: usize,
    column: usize,
}

/// The `PRECLEAR_ERROR_*` code of a library error kind.
fn kind_code(kind: &ErrorKind) -> i32 {
    // No wildcard: a new kind must be given a code here.
    match kind {
        ErrorKind::Toml(_) => PRECLEAR_ERROR_TOML,
        ErrorKind::InvalidPack(_) => PRECLEAR_ERROR_INVALID_PACK,
        ErrorKind::Regex(_) => PRECLEAR_ERROR_REGEX,
        ErrorKind::UnknownValidator(_) => PRECLEAR_ERROR_UNKNOWN_VALIDATOR,
        ErrorKind::DuplicateRule { .. } => PRECLEAR_ERROR_DUPLICATE_RULE,
        ErrorKind::Locked(_) => PRECLEAR_ERROR_LOCKED,
        ErrorKind::MissingPack(_) => PRECLEAR_ERROR_MISSING_PACK,
        ErrorKind::Cycle(_) => PRECLEAR_ERROR_CYCLE,
        ErrorKind::Io(_) => PRECLEAR_ERROR_IO,
        ErrorKind::Utf8 { .. } => PRECLEAR_ERROR_UTF8,
        ErrorKind::InvalidArgument(_) => PRECLEAR_ERROR_INVALID_ARGUMENT,
        ErrorKind::Limit(_) => PRECLEAR_ERROR_LIMIT,
    }
}

/// Error text for C. `Error`'s message already escapes control
/// characters; a pack path or rule id gets the same escape for a NUL
/// (`\u{0}`), so nothing is cut short or dropped.
fn error_text(s: &str) -> CString {
    let s = if s.contains('\0') {
        s.replace('\0', "\\u{0}")
    } else {
        s.to_string()
    };
    CString::new(s).unwrap_or_default()
}

impl preclear_error {
    /// An error of the C ABI itself, without a position.
    pub(super) fn new(kind: i32, message: &str) -> preclear_error {
        preclear_error {
            kind,
            message: error_text(message),
            pack: None,
            rule: None,
            line: 0,
            column: 0,
        }
    }

    /// `what` is NULL.
    pub(super) fn null(what: &str) -> preclear_error {
        preclear_error::new(
            PRECLEAR_ERROR_INVALID_ARGUMENT,
            &format!("{what} is NULL"),
        )
    }

    /// An argument is invalid.
    pub(super) fn invalid(message: String) -> preclear_error {
        preclear_error::new(PRECLEAR_ERROR_INVALID_ARGUMENT, &message)
    }

    /// Text is not UTF-8.
    pub(super) fn utf8(message: String) -> preclear_error {
        preclear_error::new(PRECLEAR_ERROR_UTF8, &message)
    }

    /// A panic caught at the boundary: a bug, reported as one. The panic's
    /// own message is left out: a slicing panic quotes the text it sliced,
    /// which may be a post holding a card number.
    pub(super) fn internal() -> preclear_error {
        preclear_error::new(
            PRECLEAR_ERROR_INTERNAL,
            "internal error (please report): a panic was caught at the C boundary",
        )
    }
}

impl From<Error> for preclear_error {
    fn from(e: Error) -> preclear_error {
        preclear_error {
            kind: kind_code(e.kind()),
            message: error_text(&e.to_string()),
            pack: e.pack().map(error_text),
            rule: e.rule().map(error_text),
            line: e.line().unwrap_or(0),
            column: e.column().unwrap_or(0),
        }
    }
}

/// The error's message, one line, borrowed from the error. NULL if `error`
/// is NULL.
///
/// # Safety
///
/// `error` is NULL or a live error no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_message(
    error: *const preclear_error,
) -> *const c_char {
    // SAFETY: `error` is NULL or a live error (`# Safety`).
    let error = unsafe { error.as_ref() };
    error.map_or(ptr::null(), |e| e.message.as_ptr())
}

/// What kind of error it is: one of the `PRECLEAR_ERROR_*` constants
/// (later versions may add kinds: treat an unknown one as a plain
/// failure). -1 if `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or a live error no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_kind(
    error: *const preclear_error,
) -> i32 {
    // SAFETY: `error` is NULL or a live error (`# Safety`).
    let error = unsafe { error.as_ref() };
    error.map_or(-1, |e| e.kind)
}

/// The 1-based line in the pack the error is about; 0 when unknown (or
/// `error` is NULL).
///
/// # Safety
///
/// `error` is NULL or a live error no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_line(
    error: *const preclear_error,
) -> usize {
    // SAFETY: `error` is NULL or a live error (`# Safety`).
    let error = unsafe { error.as_ref() };
    error.map_or(0, |e| e.line)
}

/// The 1-based column (in characters) in the pack the error is about; 0
/// when unknown (or `error` is NULL).
///
/// # Safety
///
/// `error` is NULL or a live error no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_column(
    error: *const preclear_error,
) -> usize {
    // SAFETY: `error` is NULL or a live error (`# Safety`).
    let error = unsafe { error.as_ref() };
    error.map_or(0, |e| e.column)
}

/// The pack the error is in: its file path, "bundled:NAME", or "<toml>"
/// for `preclear_policy_add_toml`. Borrowed from the error; NULL when the
/// error is not about a pack (or `error` is NULL).
///
/// # Safety
///
/// `error` is NULL or a live error no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_pack(
    error: *const preclear_error,
) -> *const c_char {
    // SAFETY: `error` is NULL or a live error (`# Safety`).
    let error = unsafe { error.as_ref() };
    error.and_then(|e| e.pack.as_ref()).map_or(ptr::null(), |s| s.as_ptr())
}

/// The id of the rule the error is about, borrowed from the error; NULL
/// when unknown (or `error` is NULL).
///
/// # Safety
///
/// `error` is NULL or a live error no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_rule(
    error: *const preclear_error,
) -> *const c_char {
    // SAFETY: `error` is NULL or a live error (`# Safety`).
    let error = unsafe { error.as_ref() };
    error.and_then(|e| e.rule.as_ref()).map_or(ptr::null(), |s| s.as_ptr())
}

/// Frees an error. NULL is ignored.
///
/// # Safety
///
/// `error` is NULL or a live error that no other thread is using and that
/// is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_free(error: *mut preclear_error) {
    // SAFETY: `error` is NULL or a live error that nobody uses during or
    // after this call (`# Safety`), as `free` requires.
    unsafe { free(error) }
}
