//! `preclear_screener`: a compiled policy, and screening a post with it.

use std::ffi::c_char;
use std::ptr;

use super::{
    bytes_str, free, guard, preclear_error, preclear_options, preclear_policy,
    preclear_verdict, slot,
};
use crate::{Screener, ScreenerBuilder};

/// A compiled policy. Thread-safe: `preclear_screen` may be called on one
/// screener from many threads at once. Independent of the policy it was
/// built from. Free with `preclear_screener_free` once no thread uses it.
pub struct preclear_screener {
    screener: Screener,
}

/// Compiles `policy` into a screener with the default options. The policy
/// may be freed or changed afterwards. Returns NULL with `*err` set on
/// failure.
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
    // SAFETY: the same contract, with NULL options (the defaults).
    unsafe { preclear_screener_new_with_options(policy, ptr::null(), err) }
}

/// Compiles `policy` into a screener with `options` (NULL: the defaults).
/// The policy and the options may be freed or changed afterwards. Returns
/// NULL with `*err` set on failure.
///
/// # Safety
///
/// `policy` is NULL or a live policy no other thread is changing or
/// freeing; `options` is NULL or live options no other thread is changing
/// or freeing; `err` is NULL or points to writable space for a
/// `preclear_error *`.
#[no_mangle]
pub unsafe extern "C" fn preclear_screener_new_with_options(
    policy: *const preclear_policy,
    options: *const preclear_options,
    err: *mut *mut preclear_error,
) -> *mut preclear_screener {
    // SAFETY: by `# Safety`, each is NULL or valid: `policy` a live policy
    // and `options` live options no other thread changes, `err` writable.
    let (policy, options, err) =
        unsafe { (policy.as_ref(), options.as_ref(), slot(err)) };
    guard(err, ptr::null_mut(), || {
        let policy = &policy.ok_or_else(|| preclear_error::null("policy"))?;
        let screener = match options {
            Some(o) => o.builder.build(&policy.policy)?,
            None => ScreenerBuilder::new().build(&policy.policy)?,
        };
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

/// Screens one post: `len` bytes of UTF-8 at `text` (no NUL needed; NUL
/// bytes are text like any other). Thread-safe. Returns a verdict the
/// caller frees, or NULL with `*err` set (NULL screener or text, invalid
/// UTF-8, a post over the size limit).
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
        let screener =
            &screener.ok_or_else(|| preclear_error::null("screener"))?;
        let verdict = screener.screener.screen(text?)?;
        Ok(Box::into_raw(Box::new(preclear_verdict::new(verdict, len))))
    })
}
