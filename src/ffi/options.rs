//! `preclear_options`: how a screener screens (the Rust
//! `ScreenerBuilder`), set one at a time so that new options never change
//! a function's signature.

use std::ffi::{c_char, c_int};
use std::ptr;

use super::{c_str, free, guard, preclear_error, quiet, slot};
use crate::{Date, ScreenerBuilder};

/// Options for `preclear_screener_new_with_options`, each at its default
/// until set: screen as of today (UTC), posts up to 10 MiB, evasion
/// handling on, masked values masked. Not thread-safe: use it from one
/// thread at a time. A screener does not depend on the options it was
/// built with. Free with `preclear_options_free`.
pub struct preclear_options {
    pub(super) builder: ScreenerBuilder,
}

/// A setter's body: -1 for NULL options, else apply `f` and give 0.
fn set(
    options: Option<&mut preclear_options>,
    f: impl FnOnce(&mut ScreenerBuilder),
) -> c_int {
    quiet(-1, || {
        options.map_or(-1, |o| {
            f(&mut o.builder);
            0
        })
    })
}

/// New options, all at their defaults. Never NULL except when out of
/// memory.
#[no_mangle]
pub extern "C" fn preclear_options_new() -> *mut preclear_options {
    quiet(ptr::null_mut(), || {
        Box::into_raw(Box::new(preclear_options {
            builder: ScreenerBuilder::new(),
        }))
    })
}

/// Screens as of `date` ("YYYY-MM-DD", NUL-terminated) rather than
/// today: the date a pack's `active_from` / `active_until` are checked
/// against. Returns 0, or -1 with `*err` set (NULL arguments, a date that
/// is not YYYY-MM-DD or does not exist); the options are unchanged then.
///
/// # Safety
///
/// `options` is NULL or live options no other thread is using; `date` is
/// NULL or a NUL-terminated string; `err` is NULL or points to writable
/// space for a `preclear_error *`.
#[no_mangle]
pub unsafe extern "C" fn preclear_options_set_now(
    options: *mut preclear_options,
    date: *const c_char,
    err: *mut *mut preclear_error,
) -> c_int {
    // SAFETY: by `# Safety`, each is NULL or valid: `options` live options
    // no other thread uses, `date` a NUL-terminated string, `err` writable.
    let (options, date, err) =
        unsafe { (options.as_mut(), c_str(date, "date"), slot(err)) };
    guard(err, -1, || {
        let options =
            options.ok_or_else(|| preclear_error::null("options"))?;
        let date: Date = date?.parse()?;
        options.builder.now(date);
        Ok(0)
    })
}

/// The largest post, in bytes, that the screener accepts (default
/// 10485760, 10 MiB); `preclear_screen` refuses a longer one with a
/// `PRECLEAR_ERROR_LIMIT` error, never truncates it. Returns 0, or -1 if
/// `options` is NULL.
///
/// # Safety
///
/// `options` is NULL or live options no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_options_set_max_post_bytes(
    options: *mut preclear_options,
    bytes: usize,
) -> c_int {
    // SAFETY: `options` is NULL or live options no other thread uses
    // (`# Safety`).
    set(unsafe { options.as_mut() }, |b| {
        b.max_post_bytes(bytes);
    })
}

/// Evasion handling (default on, `on` non-zero): match what a reader sees
/// — look-alike and styled letters, leetspeak, spelled-out and repeated
/// letters, words run together. Off, terms match the lower-cased text as
/// written. Returns 0, or -1 if `options` is NULL.
///
/// # Safety
///
/// `options` is NULL or live options no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_options_set_evasion(
    options: *mut preclear_options,
    on: c_int,
) -> c_int {
    // SAFETY: `options` is NULL or live options no other thread uses
    // (`# Safety`).
    set(unsafe { options.as_mut() }, |b| {
        b.evasion(on != 0);
    })
}

/// Show masked values (card numbers, secrets) in full when `on` is
/// non-zero: in excerpts, in messages that quote the post, and
/// `preclear_verdict_redact` then hides nothing. Default off: only their
/// last four letters or digits of a value of 12 or more show. Returns 0,
/// or -1 if `options` is NULL.
///
/// # Safety
///
/// `options` is NULL or live options no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn preclear_options_set_unmask(
    options: *mut preclear_options,
    on: c_int,
) -> c_int {
    // SAFETY: `options` is NULL or live options no other thread uses
    // (`# Safety`).
    set(unsafe { options.as_mut() }, |b| {
        b.reveal_masked(on != 0);
    })
}

/// Frees options. NULL is ignored.
///
/// # Safety
///
/// `options` is NULL or live options that no other thread is using and
/// that are not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn preclear_options_free(
    options: *mut preclear_options,
) {
    // SAFETY: `options` is NULL or live options that nobody uses during or
    // after this call (`# Safety`), as `free` requires.
    unsafe { free(options) }
}
