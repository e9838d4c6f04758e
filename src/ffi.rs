//! The C ABI of SPEC §3: opaque handles, explicit `*_free`, errors through
//! `preclear_error **`. Every entry point catches panics, so none crosses
//! the boundary. Compiled only with the `capi` feature. `include/preclear.h`
//! is generated from this file alone by cbindgen (`cbindgen.toml`); a test
//! fails when the checked-in header is stale.
//!
//! Raw pointers become references at the door: each entry point converts
//! its pointer arguments in one `unsafe` block, relying on its `# Safety`
//! section (copied into the header), and the rest is safe code. A handle
//! is *live* from the call that made it (`*_new`, or `preclear_screen` for
//! a verdict) until its `*_free` starts.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, CStr, CString};
use std::mem::MaybeUninit;
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

/// Where an entry point may store a result: `*p`, or nowhere for NULL.
/// The old value is never read, so it may be uninitialised (a C caller's
/// `preclear_reason r;`).
///
/// # Safety
///
/// `p` is NULL or valid for writing a `T`, and nothing else accesses `*p`
/// while the result lives.
unsafe fn slot<'a, T>(p: *mut T) -> Option<&'a mut MaybeUninit<T>> {
    // SAFETY: the caller's promise; `MaybeUninit<T>` has `T`'s layout and
    // claims nothing about the current value.
    unsafe { p.cast::<MaybeUninit<T>>().as_mut() }
}

/// The caller's `*err`: set to NULL on success and to a new error on
/// failure.
type ErrorOut<'a> = Option<&'a mut MaybeUninit<*mut preclear_error>>;

/// Runs `f`, turning an `Err` or a panic into `*err` and `failed`.
fn guard<T>(
    err: ErrorOut,
    failed: T,
    f: impl FnOnce() -> Result<T, String>,
) -> T {
    let (value, message) = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => (v, None),
        Ok(Err(msg)) => (failed, Some(msg)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            (failed, Some(format!("internal error (please report): {what}")))
        }
    };
    if let Some(err) = err {
        err.write(message.map_or(ptr::null_mut(), |m| {
            Box::into_raw(Box::new(preclear_error { message: c_string(&m) }))
        }));
    }
    value
}

/// Runs `f` with no error channel; a panic gives `failed`.
fn quiet<T>(failed: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(failed)
}

/// The NUL-terminated string at `p` as UTF-8; `what` names it in errors.
///
/// # Safety
///
/// `p` is NULL or points to a NUL-terminated string that stays unchanged
/// for `'a`.
unsafe fn c_str<'a>(p: *const c_char, what: &str) -> Result<&'a str, String> {
    if p.is_null() {
        return Err(format!("{what} is NULL"));
    }
    // SAFETY: not NULL, so a NUL-terminated string (the caller's promise).
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map_err(|e| {
        format!("{what} is not valid UTF-8 (at byte {})", e.valid_up_to())
    })
}

/// The `len` bytes at `p` as UTF-8; `what` names them in errors.
///
/// # Safety
///
/// `p` is NULL or points to `len` readable bytes that stay unchanged for
/// `'a`.
unsafe fn bytes_str<'a>(
    p: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, String> {
    if p.is_null() {
        return Err(format!("{what} is NULL"));
    }
    // SAFETY: not NULL, so `len` readable bytes (the caller's promise).
    let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        format!("{what}: invalid UTF-8 at byte {}", e.valid_up_to())
    })
}

/// Frees a handle this module made with `Box::into_raw`; NULL is ignored.
///
/// # Safety
///
/// `p` is NULL or a live handle of type `T` that no other thread is using
/// and nobody uses afterwards.
unsafe fn free<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: a live handle is a `Box::into_raw` not yet taken back,
        // and the caller gives it up.
        let handle = unsafe { Box::from_raw(p) };
        quiet((), || drop(handle));
    }
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
///
/// # Safety
///
/// `policy` is NULL or a live policy no other thread is using; `name` is
/// NULL or a NUL-terminated string; `err` is NULL or points to writable
/// space for a `preclear_error *`.
#[no_mangle]
pub unsafe extern "C" fn preclear_policy_add_bundled(
    policy: *mut preclear_policy,
    name: *const c_char,
    err: *mut *mut preclear_error,
) -> c_int {
    // SAFETY: by `# Safety`, each is NULL or valid: `policy` a live policy
    // no other thread uses, `name` a NUL-terminated string, `err` writable.
    let (policy, name, err) =
        unsafe { (policy.as_mut(), c_str(name, "pack name"), slot(err)) };
    guard(err, -1, || {
        let policy = &mut policy.ok_or("policy is NULL")?.policy;
        policy.add_bundled(name?).map_err(|e| e.to_string())?;
        Ok(0)
    })
}

/// Adds a pack from TOML source: `len` bytes at `toml` (no NUL needed).
/// Relative `extends` paths are relative to the current directory. Returns
/// 0, or -1 with `*err` set.
///
/// # Safety
///
/// `policy` is NULL or a live policy no other thread is using; `toml` is
/// NULL or points to `len` readable bytes; `err` is NULL or points to
/// writable space for a `preclear_error *`.
#[no_mangle]
pub unsafe extern "C" fn preclear_policy_add_toml(
    policy: *mut preclear_policy,
    toml: *const c_char,
    len: usize,
    err: *mut *mut preclear_error,
) -> c_int {
    // SAFETY: by `# Safety`, each is NULL or valid: `policy` a live policy
    // no other thread uses, `toml` `len` readable bytes, `err` writable.
    let (policy, source, err) = unsafe {
        (policy.as_mut(), bytes_str(toml, len, "pack source"), slot(err))
    };
    guard(err, -1, || {
        let policy = &mut policy.ok_or("policy is NULL")?.policy;
        policy.add_toml("<toml>", source?).map_err(|e| e.to_string())?;
        Ok(0)
    })
}

/// Adds a pack from the file at `path` (NUL-terminated) and what it
/// extends. Returns 0, or -1 with `*err` set.
///
/// # Safety
///
/// `policy` is NULL or a live policy no other thread is using; `path` is
/// NULL or a NUL-terminated string; `err` is NULL or points to writable
/// space for a `preclear_error *`.
#[no_mangle]
pub unsafe extern "C" fn preclear_policy_add_file(
    policy: *mut preclear_policy,
    path: *const c_char,
    err: *mut *mut preclear_error,
) -> c_int {
    // SAFETY: by `# Safety`, each is NULL or valid: `policy` a live policy
    // no other thread uses, `path` a NUL-terminated string, `err` writable.
    let (policy, path, err) =
        unsafe { (policy.as_mut(), c_str(path, "path"), slot(err)) };
    guard(err, -1, || {
        let policy = &mut policy.ok_or("policy is NULL")?.policy;
        policy.add_file(path?).map_err(|e| e.to_string())?;
        Ok(0)
    })
}

/// Frees a policy. NULL is ignored.
///
/// # Safety
///
/// `policy` is NULL or a live policy that no other thread is using and
/// that is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn preclear_policy_free(policy: *mut preclear_policy) {
    // SAFETY: `policy` is NULL or a live policy that nobody uses during or
    // after this call (`# Safety`), as `free` requires.
    unsafe { free(policy) }
}

/// Compiles `policy` into a screener. The policy may be freed or changed
/// afterwards. Returns NULL with `*err` set on failure.
///
/// # Safety
///
/// `policy` is NULL or a live policy no other thread is changing or
/// freeing; `err` is NULL or points to writable space for a
/// `preclear_error *`.
#[no_mangle]
pub unsafe extern "C" fn preclear_screener_new(
    policy: *const preclear_policy,
    err: *mut *mut preclear_error,
) -> *mut preclear_screener {
    // SAFETY: by `# Safety`, each is NULL or valid: `policy` a live policy
    // no other thread changes, `err` writable.
    let (policy, err) = unsafe { (policy.as_ref(), slot(err)) };
    guard(err, ptr::null_mut(), || {
        let policy = &policy.ok_or("policy is NULL")?.policy;
        let screener = Screener::new(policy).map_err(|e| e.to_string())?;
        Ok(Box::into_raw(Box::new(preclear_screener { screener })))
    })
}

/// Frees a screener. NULL is ignored. No thread may be using it.
///
/// # Safety
///
/// `screener` is NULL or a live screener that no other thread is using
/// and that is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn preclear_screener_free(
    screener: *mut preclear_screener,
) {
    // SAFETY: `screener` is NULL or a live screener that nobody uses during or
    // after this call (`# Safety`), as `free` requires.
    unsafe { free(screener) }
}

/// Screens one post: `len` bytes of UTF-8 at `text` (no NUL needed).
/// Thread-safe. Returns a verdict the caller frees, or NULL with `*err`
/// set (NULL screener or text, invalid UTF-8, a post over the size
/// limit).
///
/// # Safety
///
/// `screener` is NULL or a live screener no other thread is freeing (other
/// threads may screen with it); `text` is NULL or points to `len` readable
/// bytes; `err` is NULL or points to writable space for a
/// `preclear_error *`.
#[no_mangle]
pub unsafe extern "C" fn preclear_screen(
    screener: *const preclear_screener,
    text: *const c_char,
    len: usize,
    err: *mut *mut preclear_error,
) -> *mut preclear_verdict {
    // SAFETY: by `# Safety`, each is NULL or valid: `screener` a live
    // screener (shared access only), `text` `len` readable bytes, `err`
    // writable.
    let (screener, text, err) = unsafe {
        (screener.as_ref(), bytes_str(text, len, "post"), slot(err))
    };
    guard(err, ptr::null_mut(), || {
        let screener = &screener.ok_or("screener is NULL")?.screener;
        let verdict = screener.screen(text?).map_err(|e| e.to_string())?;
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
        let (Some(v), Some(out)) = (verdict, out) else {
            return -1;
        };
        let (Some(r), Some(s)) =
            (v.verdict.reasons().get(i), v.strings.get(i))
        else {
            return -1;
        };
        let span = r.span();
        out.write(preclear_reason {
            rule: s[0].as_ptr(),
            pack: s[1].as_ptr(),
            category: s[2].as_ptr(),
            message: s[3].as_ptr(),
            action: decision_code(r.action()),
            score: i32::try_from(r.score()).unwrap_or(i32::MAX),
            start: span.as_ref().map_or(-1, |s| s.start as i64),
            end: span.as_ref().map_or(-1, |s| s.end as i64),
        });
        0
    })
}

/// The verdict as the same JSON object the CLI prints (with `"id": "-"`),
/// NUL-terminated, borrowed from the verdict. NULL if `verdict` is NULL.
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
            v.json.get_or_init(|| c_string(&v.verdict.to_json("-"))).as_ptr()
        })
    })
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

/// The library's version, e.g. "0.1.0". Static; never free it.
#[no_mangle]
pub extern "C" fn preclear_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}
