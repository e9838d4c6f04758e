//! The C ABI of SPEC §3: opaque handles, explicit `*_free`, errors through
//! `preclear_error **`. Every entry point catches panics, so none crosses
//! the boundary. `include/preclear.h` is generated from this file by
//! cbindgen (`cbindgen.toml`); a test fails when the checked-in header is
//! stale.

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)] // The safety contract is in the header.

use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::OnceLock;

use crate::{Decision, Policy, Screener, Verdict};

/// The post is allowed.
pub const PRECLEAR_ALLOW: i32 = 0;
/// The post needs a second look.
pub const PRECLEAR_WARN: i32 = 1;
/// The post must not be published.
pub const PRECLEAR_BLOCK: i32 = 2;

/// A stack of rule packs being assembled. Not thread-safe: use it from one
/// thread at a time. Free with `preclear_policy_free`.
pub struct preclear_policy {
    policy: Policy,
}

/// A compiled policy. Thread-safe: `preclear_screen` may be called on one
/// screener from many threads at once. Independent of the policy it was
/// built from. Free with `preclear_screener_free` once no thread uses it.
pub struct preclear_screener {
    screener: Screener,
}

/// The verdict on one post. Owns every string its reasons point to.
/// Independent of the screener. Free with `preclear_verdict_free`.
pub struct preclear_verdict {
    verdict: Verdict,
    /// NUL-terminated rule, pack, category and message of each reason.
    strings: Vec<[CString; 4]>,
    json: OnceLock<CString>,
}

/// An error: what went wrong, in one line. Free with `preclear_error_free`.
pub struct preclear_error {
    message: CString,
}

/// One reason of a verdict. Its strings are borrowed from the verdict and
/// valid until the verdict is freed.
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

/// A string for C: interior NULs (which a pack could hold) are dropped.
fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "")).unwrap_or_default()
}

fn decision_code(d: Decision) -> i32 {
    match d {
        Decision::Allow => PRECLEAR_ALLOW,
        Decision::Warn => PRECLEAR_WARN,
        Decision::Block => PRECLEAR_BLOCK,
    }
}

/// Stores `message` in `*err` when `err` is not NULL.
unsafe fn fail(err: *mut *mut preclear_error, message: &str) {
    if !err.is_null() {
        let e = Box::new(preclear_error { message: c_string(message) });
        *err = Box::into_raw(e);
    }
}

/// Runs `f`, turning an `Err` or a panic into `*err` and `failed`.
unsafe fn guard<T>(
    err: *mut *mut preclear_error,
    failed: T,
    f: impl FnOnce() -> Result<T, String>,
) -> T {
    if !err.is_null() {
        *err = ptr::null_mut();
    }
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(msg)) => {
            fail(err, &msg);
            failed
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            fail(err, &format!("internal error (please report): {what}"));
            failed
        }
    }
}

/// Runs `f` with no error channel; a panic gives `failed`.
fn quiet<T>(failed: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(failed)
}

unsafe fn c_str<'a>(p: *const c_char, what: &str) -> Result<&'a str, String> {
    if p.is_null() {
        return Err(format!("{what} is NULL"));
    }
    CStr::from_ptr(p).to_str().map_err(|e| {
        format!("{what} is not valid UTF-8 (at byte {})", e.valid_up_to())
    })
}

unsafe fn bytes_str<'a>(
    p: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, String> {
    if p.is_null() {
        return Err(format!("{what} is NULL"));
    }
    let bytes = std::slice::from_raw_parts(p.cast::<u8>(), len);
    std::str::from_utf8(bytes).map_err(|e| {
        format!("{what}: invalid UTF-8 at byte {}", e.valid_up_to())
    })
}

unsafe fn policy_mut<'a>(
    p: *mut preclear_policy,
) -> Result<&'a mut Policy, String> {
    p.as_mut().map(|p| &mut p.policy).ok_or_else(|| "policy is NULL".into())
}

/// A new, empty policy. Never NULL except when out of memory.
#[no_mangle]
pub extern "C" fn preclear_policy_new() -> *mut preclear_policy {
    quiet(ptr::null_mut(), || {
        Box::into_raw(Box::new(preclear_policy { policy: Policy::new() }))
    })
}

/// Adds the bundled pack `name` (a NUL-terminated string, e.g.
/// "financial-institution") and what it extends. Returns 0, or -1 with
/// `*err` set (when `err` is not NULL).
#[no_mangle]
pub unsafe extern "C" fn preclear_policy_add_bundled(
    policy: *mut preclear_policy,
    name: *const c_char,
    err: *mut *mut preclear_error,
) -> c_int {
    guard(err, -1, || {
        let policy = policy_mut(policy)?;
        let name = c_str(name, "pack name")?;
        policy.add_bundled(name).map_err(|e| e.to_string())?;
        Ok(0)
    })
}

/// Adds a pack from TOML source: `len` bytes at `toml` (no NUL needed).
/// Relative `extends` paths are relative to the current directory. Returns
/// 0, or -1 with `*err` set.
#[no_mangle]
pub unsafe extern "C" fn preclear_policy_add_toml(
    policy: *mut preclear_policy,
    toml: *const c_char,
    len: usize,
    err: *mut *mut preclear_error,
) -> c_int {
    guard(err, -1, || {
        let policy = policy_mut(policy)?;
        let source = bytes_str(toml, len, "pack source")?;
        policy.add_toml("<toml>", source).map_err(|e| e.to_string())?;
        Ok(0)
    })
}

/// Adds a pack from the file at `path` (NUL-terminated) and what it
/// extends. Returns 0, or -1 with `*err` set.
#[no_mangle]
pub unsafe extern "C" fn preclear_policy_add_file(
    policy: *mut preclear_policy,
    path: *const c_char,
    err: *mut *mut preclear_error,
) -> c_int {
    guard(err, -1, || {
        let policy = policy_mut(policy)?;
        let path = c_str(path, "path")?;
        policy.add_file(path).map_err(|e| e.to_string())?;
        Ok(0)
    })
}

/// Frees a policy. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn preclear_policy_free(policy: *mut preclear_policy) {
    if !policy.is_null() {
        quiet((), || drop(Box::from_raw(policy)));
    }
}

/// Compiles `policy` into a screener. The policy may be freed or changed
/// afterwards. Returns NULL with `*err` set on failure.
#[no_mangle]
pub unsafe extern "C" fn preclear_screener_new(
    policy: *const preclear_policy,
    err: *mut *mut preclear_error,
) -> *mut preclear_screener {
    guard(err, ptr::null_mut(), || {
        let policy = policy.as_ref().ok_or("policy is NULL")?;
        let screener =
            Screener::new(&policy.policy).map_err(|e| e.to_string())?;
        Ok(Box::into_raw(Box::new(preclear_screener { screener })))
    })
}

/// Frees a screener. NULL is ignored. No thread may be using it.
#[no_mangle]
pub unsafe extern "C" fn preclear_screener_free(
    screener: *mut preclear_screener,
) {
    if !screener.is_null() {
        quiet((), || drop(Box::from_raw(screener)));
    }
}

/// Screens one post: `len` bytes of UTF-8 at `text` (no NUL needed).
/// Thread-safe. Returns a verdict the caller frees, or NULL with `*err`
/// set (NULL screener or text, invalid UTF-8, a post over the size
/// limit).
#[no_mangle]
pub unsafe extern "C" fn preclear_screen(
    screener: *const preclear_screener,
    text: *const c_char,
    len: usize,
    err: *mut *mut preclear_error,
) -> *mut preclear_verdict {
    guard(err, ptr::null_mut(), || {
        let screener = screener.as_ref().ok_or("screener is NULL")?;
        let text = bytes_str(text, len, "post")?;
        let verdict =
            screener.screener.screen(text).map_err(|e| e.to_string())?;
        let strings = verdict
            .reasons()
            .iter()
            .map(|r| {
                [
                    c_string(r.rule()),
                    c_string(r.pack()),
                    c_string(r.category()),
                    c_string(r.message()),
                ]
            })
            .collect();
        Ok(Box::into_raw(Box::new(preclear_verdict {
            verdict,
            strings,
            json: OnceLock::new(),
        })))
    })
}

/// `PRECLEAR_ALLOW`, `PRECLEAR_WARN` or `PRECLEAR_BLOCK`; -1 if `verdict`
/// is NULL.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_decision(
    verdict: *const preclear_verdict,
) -> i32 {
    quiet(-1, || {
        verdict.as_ref().map_or(-1, |v| decision_code(v.verdict.decision()))
    })
}

/// The post's score; -1 if `verdict` is NULL.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_score(
    verdict: *const preclear_verdict,
) -> i32 {
    quiet(-1, || {
        verdict.as_ref().map_or(-1, |v| {
            i32::try_from(v.verdict.score()).unwrap_or(i32::MAX)
        })
    })
}

/// The number of reasons; 0 if `verdict` is NULL.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_reason_count(
    verdict: *const preclear_verdict,
) -> usize {
    quiet(0, || verdict.as_ref().map_or(0, |v| v.verdict.reasons().len()))
}

/// Fills `*out` with reason `i` (in text order). Its strings are borrowed
/// from the verdict. Returns 0, or -1 if an argument is NULL or `i` is out
/// of range.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_reason(
    verdict: *const preclear_verdict,
    i: usize,
    out: *mut preclear_reason,
) -> c_int {
    quiet(-1, || {
        let (Some(v), false) = (verdict.as_ref(), out.is_null()) else {
            return -1;
        };
        let (Some(r), Some(s)) =
            (v.verdict.reasons().get(i), v.strings.get(i))
        else {
            return -1;
        };
        let span = r.span();
        *out = preclear_reason {
            rule: s[0].as_ptr(),
            pack: s[1].as_ptr(),
            category: s[2].as_ptr(),
            message: s[3].as_ptr(),
            action: decision_code(r.action()),
            score: i32::try_from(r.score()).unwrap_or(i32::MAX),
            start: span.as_ref().map_or(-1, |s| s.start as i64),
            end: span.as_ref().map_or(-1, |s| s.end as i64),
        };
        0
    })
}

/// The verdict as the same JSON object the CLI prints (with `"id": "-"`),
/// NUL-terminated, borrowed from the verdict. NULL if `verdict` is NULL.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_json(
    verdict: *const preclear_verdict,
) -> *const c_char {
    quiet(ptr::null(), || {
        verdict.as_ref().map_or(ptr::null(), |v| {
            v.json.get_or_init(|| c_string(&v.verdict.to_json("-"))).as_ptr()
        })
    })
}

/// Frees a verdict and the strings it lent. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn preclear_verdict_free(
    verdict: *mut preclear_verdict,
) {
    if !verdict.is_null() {
        quiet((), || drop(Box::from_raw(verdict)));
    }
}

/// The error's message, one line, borrowed from the error. NULL if `error`
/// is NULL.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_message(
    error: *const preclear_error,
) -> *const c_char {
    error.as_ref().map_or(ptr::null(), |e| e.message.as_ptr())
}

/// Frees an error. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn preclear_error_free(error: *mut preclear_error) {
    if !error.is_null() {
        quiet((), || drop(Box::from_raw(error)));
    }
}

/// The library's version, e.g. "0.1.0". Static; never free it.
#[no_mangle]
pub extern "C" fn preclear_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}
