//! `preclear_verdict`: the answer for one post, its JSON and the post
//! redacted; and `preclear_string_free` for the strings made here.

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

use super::{
    bytes_str, c_str, free, guard, preclear_error, quiet, shown, slot,
};
use crate::{Decision, Reason, Verdict};

/// The post is allowed.
pub const PRECLEAR_ALLOW: i32 = 0;
/// The post needs a second look.
pub const PRECLEAR_WARN: i32 = 1;
/// The post must not be published.
pub const PRECLEAR_BLOCK: i32 = 2;

/// The verdict on one post. Owns every string its reasons point to.
/// Independent of the screener. Free with `preclear_verdict_free`.
pub struct preclear_verdict {
    pub(super) verdict: Verdict,
    /// The length of the post, to refuse redacting another one.
    post_len: usize,
    /// Each reason's strings, NUL-terminated.
    pub(super) strings: Vec<ReasonStrings>,
    json: OnceLock<CString>,
}

/// The text of one reason as C strings.
pub(super) struct ReasonStrings {
    pub(super) rule: CString,
    pub(super) pack: CString,
    pub(super) category: CString,
    pub(super) message: CString,
    pub(super) decided_by: CString,
    pub(super) excerpt: Option<CString>,
}

impl ReasonStrings {
    fn new(r: &Reason) -> ReasonStrings {
        ReasonStrings {
            rule: shown(r.rule()),
            pack: shown(r.pack()),
            category: shown(r.category()),
            message: shown(r.message()),
            decided_by: shown(r.decided_by()),
            excerpt: r.excerpt().map(shown),
        }
    }
}

impl preclear_verdict {
    /// The verdict on a post of `post_len` bytes.
    pub(super) fn new(verdict: Verdict, post_len: usize) -> preclear_verdict {
        let strings =
            verdict.reasons().iter().map(ReasonStrings::new).collect();
        preclear_verdict { verdict, post_len, strings, json: OnceLock::new() }
    }
}

pub(super) fn decision_code(d: Decision) -> i32 {
    match d {
        Decision::Allow => PRECLEAR_ALLOW,
        Decision::Warn => PRECLEAR_WARN,
        Decision::Block => PRECLEAR_BLOCK,
    }
}

/// `PRECLEAR_ALLOW`, `PRECLEAR_WARN` or `PRECLEAR_BLOCK`; -1 if `verdict`
/// is NULL.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_decision(
    verdict: *const preclear_verdict,
) -> i32 {
    // SAFETY: `verdict` is NULL or a live verdict (`# Safety`).
    let verdict = unsafe { verdict.as_ref() };
    quiet(-1, || verdict.map_or(-1, |v| decision_code(v.verdict.decision())))
}

/// The post's score; -1 if `verdict` is NULL.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_score(
    verdict: *const preclear_verdict,
) -> i32 {
    // SAFETY: `verdict` is NULL or a live verdict (`# Safety`).
    let verdict = unsafe { verdict.as_ref() };
    quiet(-1, || {
        verdict.map_or(-1, |v| {
            i32::try_from(v.verdict.score()).unwrap_or(i32::MAX)
        })
    })
}

/// The number of reasons; 0 if `verdict` is NULL.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_reason_count(
    verdict: *const preclear_verdict,
) -> usize {
    // SAFETY: `verdict` is NULL or a live verdict (`# Safety`).
    let verdict = unsafe { verdict.as_ref() };
    quiet(0, || verdict.map_or(0, |v| v.verdict.reasons().len()))
}

/// The verdict as the same JSON object the CLI prints (with `"id": "-"`),
/// NUL-terminated, borrowed from the verdict. NULL if `verdict` is NULL.
/// `preclear_verdict_to_json` gives it with an id of your choice.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_json(
    verdict: *const preclear_verdict,
) -> *const c_char {
    // SAFETY: `verdict` is NULL or a live verdict (`# Safety`).
    let verdict = unsafe { verdict.as_ref() };
    quiet(ptr::null(), || {
        verdict.map_or(ptr::null(), |v| {
            v.json.get_or_init(|| shown(&v.verdict.to_json("-"))).as_ptr()
        })
    })
}

/// The verdict as the JSON line the CLI prints for a post with id `id`
/// (NUL-terminated UTF-8), e.g. `{"id":"post-1","verdict":"block",…}`.
/// Returns a new string the caller frees with `preclear_string_free`, or
/// NULL if `verdict` or `id` is NULL or `id` is not UTF-8.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using; `id` is
/// NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_to_json(
    verdict: *const preclear_verdict,
    id: *const c_char,
) -> *mut c_char {
    // SAFETY: by `# Safety`, each is NULL or valid: `verdict` a live
    // verdict no other thread uses, `id` a NUL-terminated string.
    let (verdict, id) = unsafe { (verdict.as_ref(), c_str(id, "id")) };
    quiet(ptr::null_mut(), || {
        let (Some(v), Ok(id)) = (verdict, id) else {
            return ptr::null_mut();
        };
        // JSON escapes control characters: the line holds no NUL byte.
        shown(&v.verdict.to_json(id)).into_raw()
    })
}

/// The post with every masked hit (card numbers, secrets) hidden as
/// excerpts show it: each letter and digit replaced by `•`, but the last
/// four of a value of 12 or more. `text` and `len` must be the post this
/// verdict is about (the same
/// length is checked). Returns a new NUL-terminated string the caller
/// frees with `preclear_string_free`, or NULL with `*err` set (NULL
/// arguments, invalid UTF-8, a post of another length, or a post holding
/// a NUL byte, which the returned C string could not carry).
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using; `text`
/// is NULL or points to `len` readable bytes; `err` is NULL or points to
/// writable space for a `preclear_error *`.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_redact(
    verdict: *const preclear_verdict,
    text: *const c_char,
    len: usize,
    err: *mut *mut preclear_error,
) -> *mut c_char {
    // SAFETY: by `# Safety`, each is NULL or valid: `verdict` a live
    // verdict no other thread uses, `text` `len` readable bytes, `err`
    // writable.
    let (verdict, text, err) =
        unsafe { (verdict.as_ref(), bytes_str(text, len, "post"), slot(err)) };
    guard(err, ptr::null_mut(), || {
        let v = verdict.ok_or_else(|| preclear_error::null("verdict"))?;
        let text = text?;
        if len != v.post_len {
            return Err(preclear_error::invalid(format!(
                "post is {len} bytes, but the verdict is about a post of {} \
                 bytes",
                v.post_len
            )));
        }
        let redacted = v.verdict.redact(text);
        // Redaction replaces letters and digits only, so a NUL byte of
        // the redacted text is one of the post's.
        match CString::new(redacted.text()) {
            Ok(s) => Ok(s.into_raw()),
            Err(_) => Err(preclear_error::invalid(format!(
                "post holds a NUL byte (at byte {}), which a C string \
                 cannot carry",
                text.find('\0').unwrap_or(0)
            ))),
        }
    })
}

/// Frees a string returned by `preclear_verdict_to_json` or
/// `preclear_verdict_redact`. NULL is ignored. (Borrowed strings, such as
/// `preclear_verdict_json`'s, are never passed here.)
///
/// # Safety
///
/// `s` is NULL or a string one of those functions returned, not yet freed
/// and not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn preclear_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: `s` came from `CString::into_raw` in this module and is
        // given up (`# Safety`).
        let s = unsafe { CString::from_raw(s) };
        quiet((), || drop(s));
    }
}

/// Frees a verdict and the strings it lent. NULL is ignored.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict that no other thread is using and
/// that is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_free(
    verdict: *mut preclear_verdict,
) {
    // SAFETY: `verdict` is NULL or a live verdict that nobody uses during or
    // after this call (`# Safety`), as `free` requires.
    unsafe { free(verdict) }
}
