//! `preclear_policy`: a stack of packs being assembled.

use std::ffi::{c_char, c_int};
use std::ptr;

use super::{bytes_str, c_str, free, guard, preclear_error, quiet, slot};
use crate::error::{Error, ErrorKind};
use crate::{Pack, Policy};

/// A stack of rule packs being assembled. Not thread-safe: use it from one
/// thread at a time. Free with `preclear_policy_free`.
pub struct preclear_policy {
    pub(super) policy: Policy,
}

/// The first NUL byte in the text of `packs` that would reach C: a rule's
/// category or message, an override's message. A C string would end
/// there, so the C ABI refuses the pack rather than pass on half a
/// message. (Names and ids cannot hold one: the pack checks refuse them.)
fn refuse_nul(packs: &[Pack]) -> Result<(), Error> {
    let refuse = |pack: &Pack, field: &str, rule: &str, (l, c)| {
        let msg = format!(
            "{field} holds a NUL byte (\\u0000), which the C API cannot \
             pass on"
        );
        Err(Error::new(ErrorKind::InvalidPack(msg))
            .with_pack(pack.origin())
            .with_rule(rule)
            .with_position(l, c))
    };
    for pack in packs {
        for r in pack.rules() {
            for (field, text) in
                [("category", &r.category), ("message", &r.message)]
            {
                if text.contains('\0') {
                    return refuse(pack, field, &r.id, r.position);
                }
            }
        }
        for o in pack.overrides() {
            if o.message.as_ref().is_some_and(|m| m.contains('\0')) {
                let target = o.rule.as_deref().or(o.category.as_deref());
                return refuse(
                    pack,
                    "message",
                    target.unwrap_or(""),
                    o.position,
                );
            }
        }
    }
    Ok(())
}

/// Runs `add` on the policy, then refuses what it added if C could not
/// be given its text; either failure leaves the policy as it was.
fn add_checked(
    policy: &mut Policy,
    add: impl FnOnce(&mut Policy) -> Result<&mut Policy, Error>,
) -> Result<c_int, preclear_error> {
    let before = policy.packs().len();
    add(policy)?;
    if let Err(e) = refuse_nul(&policy.packs()[before..]) {
        *policy = policy.first(before);
        return Err(e.into());
    }
    Ok(0)
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
        let policy =
            &mut policy.ok_or_else(|| preclear_error::null("policy"))?.policy;
        let name = name?;
        add_checked(policy, |p| p.add_bundled(name))
    })
}

/// Adds a pack from TOML source: `len` bytes at `toml` (no NUL needed).
/// Relative `extends` paths are relative to the current directory; errors
/// name the pack "<toml>". A NUL byte anywhere in the source, or one that
/// an escape (`\u0000`) puts in a category or message, is an error.
/// Returns 0, or -1 with `*err` set.
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
        let policy =
            &mut policy.ok_or_else(|| preclear_error::null("policy"))?.policy;
        let source = source?;
        add_checked(policy, |p| p.add_toml("<toml>", source))
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
        let policy =
            &mut policy.ok_or_else(|| preclear_error::null("policy"))?.policy;
        let path = path?;
        add_checked(policy, |p| p.add_file(path))
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
