//! The reasons of a verdict: `preclear_reason` (frozen) and one accessor
//! per field added since, so no struct ever changes size.

use std::ffi::{c_char, c_int};
use std::ptr;

use super::verdicts::{decision_code, ReasonStrings};
use super::{preclear_verdict, quiet, slot};
use crate::Reason;

/// One reason of a verdict. Its strings are borrowed from the verdict and
/// valid until the verdict is freed.
///
/// Frozen: this struct never changes, so programs built against any
/// version keep working. Fields added later have their own functions
/// (`preclear_verdict_reason_line`, `_column`, `_excerpt`,
/// `_decided_by`).
#[repr(C)]
pub struct preclear_reason {
    /// The rule's id, e.g. `pii.payment-card`.
    pub rule: *const c_char,
    /// The pack that defines the rule.
    pub pack: *const c_char,
    /// The rule's category (may be empty).
    pub category: *const c_char,
    /// What the author should do.
    pub message: *const c_char,
    /// `PRECLEAR_ALLOW`, `PRECLEAR_WARN` or `PRECLEAR_BLOCK`.
    pub action: i32,
    /// The score this hit contributed.
    pub score: i32,
    /// UTF-8 byte offset of the hit in the post, -1 when the reason has no
    /// span.
    pub start: i64,
    /// UTF-8 byte offset just past the hit, -1 when it has no span.
    pub end: i64,
}

/// Reason `i` of `verdict` with its strings, if both exist.
fn reason_at(
    verdict: Option<&preclear_verdict>,
    i: usize,
) -> Option<(&Reason, &ReasonStrings)> {
    let v = verdict?;
    Some((v.verdict.reasons().get(i)?, v.strings.get(i)?))
}

/// Fills `*out` with reason `i` (in text order). Its strings are borrowed
/// from the verdict. Returns 0, or -1 if an argument is NULL or `i` is out
/// of range.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using; `out` is
/// NULL or points to writable space for a `preclear_reason`.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_reason(
    verdict: *const preclear_verdict,
    i: usize,
    out: *mut preclear_reason,
) -> c_int {
    // SAFETY: by `# Safety`, each is NULL or valid: `verdict` a live
    // verdict no other thread uses, `out` writable.
    let (verdict, out) = unsafe { (verdict.as_ref(), slot(out)) };
    quiet(-1, || {
        let (Some((r, s)), Some(out)) = (reason_at(verdict, i), out) else {
            return -1;
        };
        let span = r.span();
        out.write(preclear_reason {
            rule: s.rule.as_ptr(),
            pack: s.pack.as_ptr(),
            category: s.category.as_ptr(),
            message: s.message.as_ptr(),
            action: decision_code(r.action()),
            score: i32::try_from(r.score()).unwrap_or(i32::MAX),
            start: span.as_ref().map_or(-1, |s| s.start as i64),
            end: span.as_ref().map_or(-1, |s| s.end as i64),
        });
        0
    })
}

/// The 1-based line of the start of reason `i`'s hit; 0 when the reason
/// has no span, `i` is out of range or `verdict` is NULL.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_reason_line(
    verdict: *const preclear_verdict,
    i: usize,
) -> usize {
    // SAFETY: `verdict` is NULL or a live verdict (`# Safety`).
    let verdict = unsafe { verdict.as_ref() };
    quiet(0, || reason_at(verdict, i).and_then(|(r, _)| r.line()).unwrap_or(0))
}

/// The 1-based column, in characters, of the start of reason `i`'s hit;
/// 0 when the reason has no span, `i` is out of range or `verdict` is
/// NULL.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_reason_column(
    verdict: *const preclear_verdict,
    i: usize,
) -> usize {
    // SAFETY: `verdict` is NULL or a live verdict (`# Safety`).
    let verdict = unsafe { verdict.as_ref() };
    quiet(0, || {
        reason_at(verdict, i).and_then(|(r, _)| r.column()).unwrap_or(0)
    })
}

/// Reason `i`'s hit with a few words either side, masked where the rule
/// asks (unless the screener was built with `preclear_options_set_unmask`),
/// e.g. "charge card •••• •••• •••• 1111 today". A NUL byte of the post
/// shows as U+2400 (␀). Borrowed from the verdict; NULL when the reason
/// has no span, `i` is out of range or `verdict` is NULL.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_reason_excerpt(
    verdict: *const preclear_verdict,
    i: usize,
) -> *const c_char {
    // SAFETY: `verdict` is NULL or a live verdict (`# Safety`).
    let verdict = unsafe { verdict.as_ref() };
    quiet(ptr::null(), || {
        reason_at(verdict, i)
            .and_then(|(_, s)| s.excerpt.as_ref())
            .map_or(ptr::null(), |e| e.as_ptr())
    })
}

/// The pack whose setting decided reason `i`'s rule: the last pack that
/// overrode it, else the pack that defines it. Borrowed from the verdict;
/// NULL when `i` is out of range or `verdict` is NULL.
///
/// # Safety
///
/// `verdict` is NULL or a live verdict no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_reason_decided_by(
    verdict: *const preclear_verdict,
    i: usize,
) -> *const c_char {
    // SAFETY: `verdict` is NULL or a live verdict (`# Safety`).
    let verdict = unsafe { verdict.as_ref() };
    quiet(ptr::null(), || {
        reason_at(verdict, i)
            .map_or(ptr::null(), |(_, s)| s.decided_by.as_ptr())
    })
}
