//! What the `capi` target checks a C ABI result against: the Rust twin's
//! answer, errors field by field, verdicts and their reasons.

use std::ffi::{c_char, CStr};
use std::ptr;

use preclear::ffi::{self, preclear_error, preclear_reason};
use preclear::{Date, ErrorKind, Pack, Screener, ScreenerBuilder, Verdict};

/// What a call should do, according to the Rust twin.
#[derive(Debug)]
pub(super) enum Want {
    Ok,
    /// The C ABI refuses the call itself: a NULL or non-UTF-8 argument, a
    /// post that is not the verdict's.
    Abi,
    /// The Rust API fails with this error; the C error must match it.
    Lib(preclear::Error),
    /// The Rust API accepts a pack whose category or message holds a NUL
    /// byte; the C ABI must refuse it (a C string would end there).
    Nul,
}

/// The `PRECLEAR_ERROR_*` code the header gives a Rust error kind.
fn kind_code(kind: &ErrorKind) -> i32 {
    match kind {
        ErrorKind::Toml(_) => ffi::PRECLEAR_ERROR_TOML,
        ErrorKind::InvalidPack(_) => ffi::PRECLEAR_ERROR_INVALID_PACK,
        ErrorKind::Regex(_) => ffi::PRECLEAR_ERROR_REGEX,
        ErrorKind::UnknownValidator(_) => {
            ffi::PRECLEAR_ERROR_UNKNOWN_VALIDATOR
        }
        ErrorKind::DuplicateRule { .. } => ffi::PRECLEAR_ERROR_DUPLICATE_RULE,
        ErrorKind::Locked(_) => ffi::PRECLEAR_ERROR_LOCKED,
        ErrorKind::MissingPack(_) => ffi::PRECLEAR_ERROR_MISSING_PACK,
        ErrorKind::Cycle(_) => ffi::PRECLEAR_ERROR_CYCLE,
        ErrorKind::Io(_) => ffi::PRECLEAR_ERROR_IO,
        ErrorKind::Utf8 { .. } => ffi::PRECLEAR_ERROR_UTF8,
        ErrorKind::InvalidArgument(_) => ffi::PRECLEAR_ERROR_INVALID_ARGUMENT,
        ErrorKind::Limit(_) => ffi::PRECLEAR_ERROR_LIMIT,
        other => panic!("a new error kind without a C code: {other:?}"),
    }
}

/// The string at `p`, or None for NULL.
pub(super) unsafe fn opt_str(p: *const c_char) -> Option<String> {
    (!p.is_null())
        .then(|| CStr::from_ptr(p).to_str().expect("UTF-8").to_owned())
}

/// How the C ABI shows text that may hold a NUL byte of a post.
pub(super) fn shown(s: &str) -> String {
    s.replace('\0', "\u{2400}")
}

/// The message of `e`, checked: a non-empty line of UTF-8, and never an
/// internal error (a panic the C ABI caught: a bug all the same).
pub(super) unsafe fn message(e: *const preclear_error) -> String {
    let msg = opt_str(ffi::preclear_error_message(e)).expect("a message");
    assert!(!msg.trim().is_empty() && !msg.contains('\n'), "{msg:?}");
    assert!(!msg.starts_with("internal error"), "caught a panic: {msg}");
    assert_ne!(ffi::preclear_error_kind(e), ffi::PRECLEAR_ERROR_INTERNAL);
    msg
}

/// Compares the outcome of a C call (`ok`, and its error when `err` was
/// given) with what the twin says.
pub(super) unsafe fn agree(
    what: &str,
    ok: bool,
    err: Option<*const preclear_error>,
    want: &Want,
) {
    if let Want::Ok = want {
        let msg = err.map(|e| message(e));
        assert!(ok, "{what}: the C ABI failed ({msg:?}), Rust did not");
        return;
    }
    assert!(!ok, "{what}: the C ABI succeeded, the twin says {want:?}");
    let Some(e) = err else { return };
    let msg = message(e);
    let kind = ffi::preclear_error_kind(e);
    let (line, column) =
        (ffi::preclear_error_line(e), ffi::preclear_error_column(e));
    let pack = opt_str(ffi::preclear_error_pack(e));
    let rule = opt_str(ffi::preclear_error_rule(e));
    match want {
        Want::Ok => unreachable!(),
        Want::Abi => {
            assert!(
                kind == ffi::PRECLEAR_ERROR_INVALID_ARGUMENT
                    || kind == ffi::PRECLEAR_ERROR_UTF8,
                "{what}: kind {kind} for {msg}"
            );
            assert_eq!(
                (line, column, &pack, &rule),
                (0, 0, &None, &None),
                "{msg}"
            );
        }
        Want::Nul => {
            assert_eq!(kind, ffi::PRECLEAR_ERROR_INVALID_PACK, "{msg}");
            assert!(msg.contains("holds a NUL byte"), "{msg}");
            assert!(rule.is_some() && line > 0 && column > 0, "{msg}");
        }
        Want::Lib(want) => {
            let escape = |s: &str| s.replace('\0', "\\u{0}");
            assert_eq!(msg, want.to_string(), "{what}");
            assert_eq!(kind, kind_code(want.kind()), "{what}: {msg}");
            assert_eq!(line, want.line().unwrap_or(0), "{msg}");
            assert_eq!(column, want.column().unwrap_or(0), "{msg}");
            assert_eq!(pack, want.pack().map(escape), "{msg}");
            assert_eq!(rule, want.rule().map(escape), "{msg}");
        }
    }
}

/// Whether the packs the twin just added (`packs`) hold a NUL byte where
/// the C ABI would have to pass it on: a rule's category or message, an
/// override's message.
pub(super) fn holds_nul(packs: &[Pack]) -> bool {
    packs.iter().any(|p| {
        p.rules()
            .iter()
            .any(|r| r.category.contains('\0') || r.message.contains('\0'))
            || p.overrides()
                .iter()
                .any(|o| o.message.as_ref().is_some_and(|m| m.contains('\0')))
    })
}

/// The options a screener is built with, as the fuzzer set them; the key
/// of the screener cache with the policy's fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Opts {
    pub(super) now: Option<Date>,
    pub(super) max_post: usize,
    pub(super) evasion: bool,
    pub(super) unmask: bool,
}

impl Default for Opts {
    fn default() -> Opts {
        Opts {
            now: None,
            max_post: preclear::limits::MAX_POST_BYTES,
            evasion: true,
            unmask: false,
        }
    }
}

impl Opts {
    pub(super) fn builder(&self) -> ScreenerBuilder {
        let mut b = Screener::builder();
        b.max_post_bytes(self.max_post)
            .evasion(self.evasion)
            .reveal_masked(self.unmask);
        if let Some(d) = self.now {
            b.now(d);
        }
        b
    }
}

/// A verdict from the C ABI with its twin and the post it is about.
pub(super) struct VerdictH {
    pub(super) ptr: *mut ffi::preclear_verdict,
    pub(super) twin: Verdict,
    pub(super) post: Vec<u8>,
    pub(super) json: *const c_char,
}

pub(super) fn decision_code(d: preclear::Decision) -> i32 {
    match d {
        preclear::Decision::Allow => ffi::PRECLEAR_ALLOW,
        preclear::Decision::Warn => ffi::PRECLEAR_WARN,
        preclear::Decision::Block => ffi::PRECLEAR_BLOCK,
    }
}

pub(super) unsafe fn check_verdict_h(v: &VerdictH) {
    let p = v.ptr;
    let d = ffi::preclear_verdict_decision(p);
    assert_eq!(d, decision_code(v.twin.decision()), "decision");
    let score = i32::try_from(v.twin.score()).unwrap_or(i32::MAX);
    assert_eq!(ffi::preclear_verdict_score(p), score, "score");
    let n = ffi::preclear_verdict_reason_count(p);
    assert_eq!(n, v.twin.reasons().len(), "reason count");
}

/// `preclear_verdict_reason(v, i, out)` against the twin's reason `i`.
pub(super) unsafe fn reason(v: &VerdictH, i: usize, null_out: bool) {
    let mut out = preclear_reason {
        rule: ptr::null(),
        pack: ptr::null(),
        category: ptr::null(),
        message: ptr::null(),
        action: -7,
        score: -7,
        start: -7,
        end: -7,
    };
    let out_ptr = if null_out { ptr::null_mut() } else { &mut out as *mut _ };
    let rc = ffi::preclear_verdict_reason(v.ptr, i, out_ptr);
    let Some(r) = v.twin.reasons().get(i).filter(|_| !null_out) else {
        assert_eq!(rc, -1, "reason {i} of {}", v.twin.reasons().len());
        return;
    };
    assert_eq!(rc, 0, "reason {i}");
    let s = |p| opt_str(p).expect("not NULL");
    assert_eq!(s(out.rule), shown(r.rule()));
    assert_eq!(s(out.pack), shown(r.pack()));
    assert_eq!(s(out.category), shown(r.category()));
    assert_eq!(s(out.message), shown(r.message()));
    assert_eq!(out.action, decision_code(r.action()));
    assert!(out.action <= ffi::preclear_verdict_decision(v.ptr));
    assert_eq!(out.score, i32::try_from(r.score()).unwrap_or(i32::MAX));
    match r.span() {
        Some(span) => {
            assert_eq!(
                (out.start, out.end),
                (span.start as i64, span.end as i64)
            );
            assert!(0 <= out.start && out.start <= out.end);
            assert!(out.end as usize <= v.post.len(), "span past the post");
        }
        None => assert_eq!((out.start, out.end), (-1, -1)),
    }
}

/// The accessors of reason `i` (line, column, excerpt, decided_by)
/// against the twin's; out of range, 0 and NULL.
pub(super) unsafe fn reason_fields(v: &VerdictH, i: usize) {
    let p = v.ptr;
    let line = ffi::preclear_verdict_reason_line(p, i);
    let column = ffi::preclear_verdict_reason_column(p, i);
    let excerpt = ffi::preclear_verdict_reason_excerpt(p, i);
    let decided_by = opt_str(ffi::preclear_verdict_reason_decided_by(p, i));
    let Some(r) = v.twin.reasons().get(i) else {
        assert_eq!((line, column, decided_by), (0, 0, None));
        assert!(excerpt.is_null());
        return;
    };
    assert_eq!(line, r.line().unwrap_or(0));
    assert_eq!(column, r.column().unwrap_or(0));
    assert_eq!(decided_by.as_deref(), Some(r.decided_by()));
    assert_eq!(opt_str(excerpt), r.excerpt().map(shown));
    // Borrowed: asked again, the same pointer.
    assert_eq!(ffi::preclear_verdict_reason_excerpt(p, i), excerpt);
    if r.masked() {
        if let (Some(e), Some(span)) = (r.excerpt(), r.span()) {
            let hit = std::str::from_utf8(&v.post[span]).expect("UTF-8 span");
            let digits = hit.chars().filter(char::is_ascii_digit).count();
            assert!(digits <= 4 || !e.contains(hit), "{e:?} shows {hit:?}");
        }
    }
}
