//! The arguments a program passes: how the fuzzer's bytes become handles,
//! names, pack texts, dates, limits and `err` out-parameters, and the
//! packs and values they are drawn from.

use std::ffi::CString;
use std::ptr::{self, NonNull};

use arbitrary::Arbitrary;
use preclear::ffi::preclear_error;

use super::State;

pub(super) const ACME: &str =
    include_str!("../../../rules/examples/acme-bank.toml");
pub(super) const DJ_NOVA: &str =
    include_str!("../../../rules/examples/dj-nova.toml");
/// A pack with a NUL byte in a message: the C ABI must refuse it.
pub(super) const NUL: &str = "[pack]\nname = \"nul\"\nversion = \"1\"\n\n\
    [[rules]]\nid = \"n.x\"\nkind = \"terms\"\nterms = [\"falcon\"]\n\
    action = \"warn\"\nmessage = \"a\\u0000b\"\n";
/// A pack whose rule is in force for half of 2026 only.
pub(super) const DATED: &str = "[pack]\nname = \"dated\"\nversion = \"1\"\n\n\
    [[rules]]\nid = \"d.x\"\nkind = \"terms\"\nterms = [\"charge\"]\n\
    score = 30\nactive_from = \"2026-01-01\"\nactive_until = \"2026-06-30\"\n";
/// One masked blocking term.
pub(super) const TINY: &str = "[pack]\nname = \"tiny\"\nversion = \"1\"\n\n\
    [[rules]]\nid = \"t.x\"\nkind = \"terms\"\nterms = [\"falcon\"]\n\
    action = \"block\"\nmask = true\n";

/// Packs to start TOML from: the examples that extend bundled packs
/// (the first `BIG`: they load the bundled packs beneath them), then
/// small ones. Not the bundled packs' own text: through `add_toml` it
/// takes the path `add_bundled` takes, and parsing one costs tens of
/// milliseconds under ASan where `add_bundled` reuses a parsed one.
pub(super) const PACKS: &[&str] = &[ACME, DJ_NOVA, NUL, DATED, TINY];
/// `PACKS[..BIG]` are big.
pub(super) const BIG: usize = 2;

/// Dates `set_now` mostly gives: around the `dated` pack's window and
/// the bundled packs' dates. A screener for a big policy is compiled
/// only with one of these (or no date), so that few are ever compiled.
pub(super) const DATES: &[&str] =
    &["2025-12-31", "2026-01-01", "2026-06-30", "2026-07-01", "2026-12-01"];

/// Post-size limits `set_max_post_bytes` gives: edges and ordinary ones.
pub(super) const MAX_POSTS: &[usize] = &[
    0,
    1,
    7,
    40,
    300,
    preclear::limits::MAX_POST_BYTES,
    usize::MAX - 1,
    usize::MAX,
];

/// Where the error of a call goes.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub(super) enum ErrArg {
    /// `*err` starts NULL.
    Fresh,
    /// `err` is NULL.
    Null,
    /// `*err` starts as a pointer the library must overwrite, never read.
    Stale,
}

/// A name for `preclear_policy_add_bundled`.
#[derive(Arbitrary, Debug)]
pub(super) enum Name {
    /// A bundled pack's name, cut by one letter (a missing pack, with a
    /// did-you-mean) unless the second byte says otherwise (one in 64:
    /// loading the real one is slow) and the input has not loaded a big
    /// pack yet.
    Bundled(u8, u8),
    Null,
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
pub(super) enum Bytes {
    /// A known pack or post, possibly cut short.
    Known(u8),
    /// A known one with bytes spliced in at some position.
    Spliced(u8, u16, Vec<u8>),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
pub(super) enum PathArg {
    Null,
    /// A path that does not exist (never a real file: the fuzzer must not
    /// read files).
    Missing(u32),
    NotUtf8(Vec<u8>),
}

/// A date for `preclear_options_set_now`: NULL, one of [`DATES`],
/// `YYYY-MM-DD` from parts (valid or not: month 13, February 30), or
/// raw bytes.
#[derive(Arbitrary, Debug)]
pub(super) enum DateArg {
    Known(u8),
    Null,
    Parts(u16, u8, u8),
    Raw(Vec<u8>),
}

/// An id for `preclear_verdict_to_json`.
#[derive(Arbitrary, Debug)]
pub(super) enum IdArg {
    Null,
    Text(String),
    NotUtf8(Vec<u8>),
}

/// The post given to `preclear_verdict_redact`.
#[derive(Arbitrary, Debug)]
pub(super) enum PostArg {
    /// The post the verdict is about.
    Same,
    /// Its first bytes (modulo its length + 1): another length.
    Cut(u16),
    Null,
}

/// A buffer passed as pointer and length: NULL (one in eight), or all
/// of it, or its first `cut` bytes (modulo its length + 1).
#[derive(Arbitrary, Debug)]
pub(super) struct Buf {
    pub(super) bytes: Bytes,
    pub(super) null: u8,
    pub(super) cut: Option<u16>,
}

impl Buf {
    pub(super) fn is_null(&self) -> bool {
        self.null % 8 == 7
    }

    pub(super) fn len(&self, data: &[u8]) -> usize {
        self.cut.map_or(data.len(), |c| usize::from(c) % (data.len() + 1))
    }
}

/// Whether a selector byte asks for the slow, real thing: one value in
/// 64 (not 0, which is what `arbitrary` gives once the input runs out).
/// The corpus keeps such inputs and the fuzzer mutates them, so at one
/// in 16 loading packs was again a third of the time.
pub(super) fn asks_big(b: u8) -> bool {
    b % 64 == 41
}

/// Index `i` into a list of `len` handles, or None (a NULL handle) for
/// one value in eight.
pub(super) fn slot(i: u8, len: usize) -> Option<usize> {
    (len > 0 && i % 8 != 7).then(|| usize::from(i) % len)
}

/// The bytes of `b`, from `known` texts or the fuzzer's own. `big`
/// says whether a known pack may be one of the big ones: if not, one of
/// the small ones stands in.
pub(super) fn bytes_of(b: &Bytes, known: &[&str], big: bool) -> Vec<u8> {
    let pick = |i: u8| {
        let i = usize::from(i) % known.len();
        if big || known.len() != PACKS.len() || i >= BIG {
            known[i]
        } else {
            known[BIG + i % (known.len() - BIG)]
        }
    };
    match b {
        Bytes::Known(i) => pick(*i).into(),
        Bytes::Spliced(i, at, extra) => {
            let mut v: Vec<u8> = pick(*i).into();
            let at = usize::from(*at) % (v.len() + 1);
            v.splice(at..at, extra.iter().copied().take(64));
            v
        }
        Bytes::Raw(v) => v.clone(),
    }
}

/// Whether `b` is, or starts from, a big known pack.
pub(super) fn is_big(b: &Bytes) -> bool {
    match b {
        Bytes::Known(i) | Bytes::Spliced(i, ..) => {
            usize::from(*i) % PACKS.len() < BIG
        }
        Bytes::Raw(_) => false,
    }
}

/// A C string from bytes: cut at the first NUL (C cannot pass one).
pub(super) fn c_string(v: &[u8]) -> CString {
    let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
    CString::new(&v[..end]).expect("no NUL")
}

/// A reason index for a verdict with `n` reasons: mostly in range,
/// sometimes just past it, sometimes huge.
pub(super) fn index_in(index: u16, n: usize) -> usize {
    match index % 4 {
        3 => usize::MAX - usize::from(index),
        _ => usize::from(index) % (n + 2),
    }
}

/// Calls `f` with an `err` argument as `arg` says; returns what `f`
/// returned and the error it reported (None when `err` was NULL or the
/// call succeeded), checking that `*err` is NULL after success and a
/// fresh error after failure. The error is kept, to be freed later.
pub(super) unsafe fn with_err<T>(
    st: &mut State,
    arg: ErrArg,
    failed: impl FnOnce(&T) -> bool,
    f: impl FnOnce(*mut *mut preclear_error) -> T,
) -> (T, Option<*const preclear_error>) {
    let stale = NonNull::<preclear_error>::dangling().as_ptr();
    let mut slot: *mut preclear_error = match arg {
        ErrArg::Stale => stale,
        _ => ptr::null_mut(),
    };
    let err = match arg {
        ErrArg::Null => ptr::null_mut(),
        _ => &mut slot as *mut _,
    };
    let out = f(err);
    if matches!(arg, ErrArg::Null) {
        return (out, None);
    }
    if !failed(&out) {
        assert!(slot.is_null(), "*err not cleared on success");
        return (out, None);
    }
    assert!(!slot.is_null() && slot != stale, "failure without an error");
    st.errors.push(slot);
    (out, Some(slot.cast_const()))
}
