//! The C ABI of SPEC §3: opaque handles, explicit `*_free`, errors through
//! `preclear_error **`. Every entry point catches panics, so none crosses
//! the boundary. Compiled only with the `capi` feature. `include/preclear.h`
//! is generated from this file and its submodules alone by cbindgen
//! (`cbindgen.toml`); a test fails when the checked-in header is stale.
//!
//! Raw pointers become references at the door: each entry point converts
//! its pointer arguments in one `unsafe` block, relying on its `# Safety`
//! section (copied into the header), and the rest is safe code. A handle
//! is *live* from the call that made it (`*_new`, or `preclear_screen` for
//! a verdict) until its `*_free` starts.
//!
//! The ABI only grows: no struct changes size (`preclear_reason` is
//! frozen; new fields of a reason get accessor functions), no function
//! changes signature, and error kinds are only added. That is what lets
//! the shared library keep its SONAME (`libpreclear.so.0`).

#![allow(non_camel_case_types)]

// The submodules, in the order the header lists them (blank lines keep
// rustfmt from sorting them). cbindgen reads this file as the root of a
// crate, where `mod x;` means `src/x.rs` when that exists, and `path`
// otherwise: their names must not be those of the crate's own modules
// (`policy`, `error`…). `path` names the file for both it and rustc.
#[path = "ffi/policies.rs"]
mod policies;

#[path = "ffi/options.rs"]
mod options;

#[path = "ffi/screeners.rs"]
mod screeners;

#[path = "ffi/verdicts.rs"]
mod verdicts;

#[path = "ffi/reasons.rs"]
mod reasons;

#[path = "ffi/errors.rs"]
mod errors;

use std::ffi::{c_char, CStr, CString};
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use self::errors::*;
pub use self::options::*;
pub use self::policies::*;
pub use self::reasons::*;
pub use self::screeners::*;
pub use self::verdicts::*;

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
    f: impl FnOnce() -> Result<T, preclear_error>,
) -> T {
    let (value, error) = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => (v, None),
        Ok(Err(e)) => (failed, Some(e)),
        Err(_) => (failed, Some(preclear_error::internal())),
    };
    if let Some(err) = err {
        err.write(error.map_or(std::ptr::null_mut(), |e| {
            // Boxing a small struct: a panic here is out of memory, which
            // aborts rather than unwinds.
            Box::into_raw(Box::new(e))
        }));
    }
    value
}

/// Runs `f` with no error channel; a panic gives `failed`.
fn quiet<T>(failed: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(failed)
}

/// Text for C that comes from a post (an excerpt, a message quoting the
/// trigger): a NUL byte of the post shows as `␀` (U+2400) rather than
/// cutting the string short. Pack text cannot hold one (see
/// `policies::refuse_nul`), so this changes nothing else.
fn shown(s: &str) -> CString {
    let s =
        if s.contains('\0') { s.replace('\0', "\u{2400}") } else { s.into() };
    CString::new(s).unwrap_or_default()
}

/// The NUL-terminated string at `p` as UTF-8; `what` names it in errors.
///
/// # Safety
///
/// `p` is NULL or points to a NUL-terminated string that stays unchanged
/// for `'a`.
unsafe fn c_str<'a>(
    p: *const c_char,
    what: &str,
) -> Result<&'a str, preclear_error> {
    if p.is_null() {
        return Err(preclear_error::null(what));
    }
    // SAFETY: not NULL, so a NUL-terminated string (the caller's promise).
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map_err(|e| {
        preclear_error::utf8(format!(
            "{what} is not valid UTF-8 (at byte {})",
            e.valid_up_to()
        ))
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
) -> Result<&'a str, preclear_error> {
    if p.is_null() {
        return Err(preclear_error::null(what));
    }
    // SAFETY: not NULL, so `len` readable bytes (the caller's promise).
    let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        preclear_error::utf8(format!(
            "{what}: invalid UTF-8 at byte {}",
            e.valid_up_to()
        ))
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

/// The library's version, e.g. "0.1.0". Static; never free it.
#[no_mangle]
pub extern "C" fn preclear_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}
