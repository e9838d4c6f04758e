//! The `capi` target: a random program of calls into the C ABI
//! (`preclear::ffi`, the functions `include/preclear.h` declares), with
//! NULL handles and strings, invalid UTF-8, random pack names and TOML,
//! out-of-range reason indices and the repeated uses the contract allows
//! (asking a verdict twice for its JSON, screening with a screener whose
//! policy is gone, using a verdict after its screener is freed, two
//! threads screening on one screener). Every call keeps the contract: a
//! pointer passed is NULL or live, a length never exceeds the buffer, and
//! everything returned is freed.
//!
//! Each policy has a Rust twin built with the same calls through the Rust
//! API: the C ABI must succeed exactly when the twin does, with the same
//! error message, and give the same verdicts.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, CStr, CString};
use std::ptr::{self, NonNull};

use arbitrary::{Arbitrary, Unstructured};
use preclear::ffi::{self, preclear_error, preclear_reason};
use preclear::{bundled_names, Pack, Policy, Screener, Verdict};

use crate::{Outcome, MAX_INPUT, POSTS};

/// Calls per input; compiling is the slow part, so fewer of those.
const MAX_OPS: usize = 32;
const MAX_COMPILES: usize = 2;

/// Packs to start TOML from: the bundled ones and the examples that
/// extend only bundled packs.
const PACKS: &[&str] = &[
    include_str!("../../rules/base.toml"),
    include_str!("../../rules/financial-institution.toml"),
    include_str!("../../rules/music-label.toml"),
    include_str!("../../rules/examples/acme-bank.toml"),
    include_str!("../../rules/examples/dj-nova.toml"),
    "[pack]\nname = \"tiny\"\nversion = \"1\"\n\n[[rules]]\nid = \"t.x\"\n\
     kind = \"terms\"\nterms = [\"falcon\"]\naction = \"block\"\n\
     mask = true\n",
];

/// Where the error of a call goes.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum ErrArg {
    /// `err` is NULL.
    Null,
    /// `*err` starts NULL.
    Fresh,
    /// `*err` starts as a pointer the library must overwrite, never read.
    Stale,
}

#[derive(Arbitrary, Debug)]
enum Name {
    Null,
    Bundled(u8),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Bytes {
    /// A known pack or post, possibly cut short.
    Known(u8),
    /// A known one with bytes spliced in at some position.
    Spliced(u8, u16, Vec<u8>),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum PathArg {
    Null,
    /// A path that does not exist (never a real file: the fuzzer must not
    /// read files).
    Missing(u32),
    NotUtf8(Vec<u8>),
}

/// A buffer passed as pointer and length: NULL (one in eight), or all
/// of it, or its first `cut` bytes (modulo its length + 1).
#[derive(Arbitrary, Debug)]
struct Buf {
    bytes: Bytes,
    null: u8,
    cut: Option<u16>,
}

impl Buf {
    fn is_null(&self) -> bool {
        self.null % 8 == 7
    }

    fn len(&self, data: &[u8]) -> usize {
        self.cut.map_or(data.len(), |c| usize::from(c) % (data.len() + 1))
    }
}

/// A program: one policy with one pack (a tiny one, or one in sixteen a
/// bundled one: compiling those is slow, under ASan a third of a second)
/// and a screener for it, then the fuzzer's calls.
#[derive(Arbitrary, Debug)]
struct Program {
    first: u8,
    ops: Vec<Op>,
}

#[derive(Arbitrary, Debug)]
enum Op {
    PolicyNew,
    PolicyFree(u8),
    AddBundled(u8, Name, ErrArg),
    AddToml(u8, Buf, ErrArg),
    AddFile(u8, PathArg, ErrArg),
    ScreenerNew(u8, ErrArg),
    ScreenerFree(u8),
    Screen(u8, Buf, ErrArg),
    /// Two threads screen the same post on one screener at once.
    ScreenTwice(u8, u8),
    Reason(u8, u16, bool),
    Json(u8),
    VerdictFree(u8),
    ErrorMessage(u8),
    ErrorFree(u8),
    Nulls,
}

struct PolicyH {
    ptr: *mut ffi::preclear_policy,
    twin: Policy,
}

struct ScreenerH {
    ptr: *mut ffi::preclear_screener,
    twin: Screener,
}

struct VerdictH {
    ptr: *mut ffi::preclear_verdict,
    twin: Verdict,
    len: usize,
    json: *const c_char,
}

/// A `Send` wrapper so two threads may share a screener, which the
/// contract allows.
#[derive(Clone, Copy)]
struct Shared(*const ffi::preclear_screener);
unsafe impl Send for Shared {}

#[derive(Default)]
struct State {
    policies: Vec<PolicyH>,
    screeners: Vec<ScreenerH>,
    verdicts: Vec<VerdictH>,
    errors: Vec<*mut preclear_error>,
    compiles: usize,
    /// Screeners and verdicts made, for `PRECLEAR_FUZZ_DEBUG`.
    made: (usize, usize),
}

/// Index `i` into a list of `len` handles, or None (a NULL handle) for
/// one value in eight.
fn slot(i: u8, len: usize) -> Option<usize> {
    (len > 0 && i % 8 != 7).then(|| usize::from(i) % len)
}

fn bytes_of(b: &Bytes, known: &[&str]) -> Vec<u8> {
    match b {
        Bytes::Known(i) => known[usize::from(*i) % known.len()].into(),
        Bytes::Spliced(i, at, extra) => {
            let mut v: Vec<u8> = known[usize::from(*i) % known.len()].into();
            let at = usize::from(*at) % (v.len() + 1);
            v.splice(at..at, extra.iter().copied().take(64));
            v
        }
        Bytes::Raw(v) => v.clone(),
    }
}

/// The message of `e`, checked: a non-empty line of UTF-8, and never an
/// internal error (a panic the C ABI caught: a bug all the same).
unsafe fn message(e: *const preclear_error) -> String {
    let p = ffi::preclear_error_message(e);
    assert!(!p.is_null(), "an error without a message");
    let msg = CStr::from_ptr(p).to_str().expect("UTF-8 message").to_string();
    assert!(!msg.trim().is_empty() && !msg.contains('\n'), "{msg:?}");
    assert!(!msg.starts_with("internal error"), "caught a panic: {msg}");
    msg
}

/// `*err` as the library left it, after a call that failed (`failed`)
/// or not: NULL on success, a fresh error on failure. Returns the
/// error's message and keeps the error to be freed later.
unsafe fn take_err(
    st: &mut State,
    arg: ErrArg,
    slot: &*mut preclear_error,
    stale: *mut preclear_error,
    failed: bool,
) -> Option<String> {
    if matches!(arg, ErrArg::Null) {
        return None;
    }
    let e = *slot;
    if !failed {
        assert!(e.is_null(), "*err not cleared on success");
        return None;
    }
    assert!(!e.is_null() && e != stale, "failure without an error");
    st.errors.push(e);
    Some(message(e))
}

/// Calls `f` with an `err` argument as `arg` says; returns what `f`
/// returned and the pointer `*err` ended as.
unsafe fn with_err<T>(
    arg: ErrArg,
    f: impl FnOnce(*mut *mut preclear_error) -> T,
) -> (T, *mut preclear_error, *mut preclear_error) {
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
    (out, slot, stale)
}

/// What the twin says of a call: success, or the Rust API's error
/// message, or an empty message when the C ABI itself refuses the call
/// (a NULL or non-UTF-8 argument), in its own words.
type Twin = Result<(), String>;

/// Compares a C ABI result and its error message with the twin's.
fn agree(what: &str, ok: bool, msg: Option<String>, twin: Twin) {
    match twin {
        Ok(()) => assert!(ok, "{what}: the C ABI failed ({msg:?}), Rust not"),
        Err(want) => {
            assert!(!ok, "{what}: the C ABI succeeded, Rust failed: {want}");
            if let (Some(msg), false) = (msg, want.is_empty()) {
                assert_eq!(msg, want.replace('\0', ""), "{what}");
            }
        }
    }
}

/// The twin of a screener: compiled with the Rust API, and remembered
/// by the policy's fingerprint, since compiling is most of an input's
/// time and the bundled packs come back again and again.
fn twin_screener(policy: &Policy) -> Result<Screener, String> {
    thread_local! {
        static CACHE: RefCell<HashMap<String, Screener>> =
            RefCell::new(HashMap::new());
    }
    let key = policy.fingerprint();
    if let Some(s) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(s);
    }
    let s = Screener::new(policy).map_err(|e| e.to_string())?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 16 {
            c.clear();
        }
        c.insert(key, s.clone());
    });
    Ok(s)
}

/// A pack source the fuzzer may hand to the C ABI: it must not name
/// files in `extends` (they would be read from the current directory).
fn reads_no_files(src: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(src) else { return true };
    match Pack::from_toml("<toml>", s) {
        Ok(p) => p.extends().all(|e| bundled_names().any(|b| b == e)),
        Err(_) => true,
    }
}

unsafe fn check_verdict_h(v: &VerdictH) {
    let p = v.ptr;
    let d = ffi::preclear_verdict_decision(p);
    let want = match v.twin.decision() {
        preclear::Decision::Allow => ffi::PRECLEAR_ALLOW,
        preclear::Decision::Warn => ffi::PRECLEAR_WARN,
        preclear::Decision::Block => ffi::PRECLEAR_BLOCK,
    };
    assert_eq!(d, want, "decision");
    let score = i32::try_from(v.twin.score()).unwrap_or(i32::MAX);
    assert_eq!(ffi::preclear_verdict_score(p), score, "score");
    let n = ffi::preclear_verdict_reason_count(p);
    assert_eq!(n, v.twin.reasons().len(), "reason count");
}

unsafe fn reason(v: &VerdictH, i: usize, null_out: bool) {
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
    let s = |p: *const c_char| CStr::from_ptr(p).to_str().unwrap().to_owned();
    assert_eq!(s(out.rule), r.rule().replace('\0', ""));
    assert_eq!(s(out.pack), r.pack().replace('\0', ""));
    assert_eq!(s(out.category), r.category().replace('\0', ""));
    assert_eq!(s(out.message), r.message().replace('\0', ""));
    assert!((0..=2).contains(&out.action), "action {}", out.action);
    assert!(out.action <= ffi::preclear_verdict_decision(v.ptr));
    assert_eq!(out.score, i32::try_from(r.score()).unwrap_or(i32::MAX));
    match r.span() {
        Some(span) => {
            assert_eq!(
                (out.start, out.end),
                (span.start as i64, span.end as i64)
            );
            assert!(0 <= out.start && out.start <= out.end);
            assert!(out.end as usize <= v.len, "span past the post");
        }
        None => assert_eq!((out.start, out.end), (-1, -1)),
    }
}

unsafe fn run(program: &Program) {
    let first = if program.first.is_multiple_of(16) {
        Op::AddBundled(0, Name::Bundled(program.first / 16), ErrArg::Fresh)
    } else {
        let tiny = Bytes::Known(PACKS.len() as u8 - 1);
        let buf = Buf { bytes: tiny, null: 0, cut: None };
        Op::AddToml(0, buf, ErrArg::Fresh)
    };
    let prelude = [Op::PolicyNew, first, Op::ScreenerNew(0, ErrArg::Fresh)];
    let ops = &program.ops;
    let mut st = State::default();
    for op in prelude.iter().chain(ops.iter().take(MAX_OPS)) {
        match op {
            Op::PolicyNew => {
                let p = ffi::preclear_policy_new();
                assert!(!p.is_null());
                st.policies.push(PolicyH { ptr: p, twin: Policy::new() });
            }
            Op::PolicyFree(i) => match slot(*i, st.policies.len()) {
                Some(k) => {
                    ffi::preclear_policy_free(st.policies.remove(k).ptr)
                }
                None => ffi::preclear_policy_free(ptr::null_mut()),
            },
            Op::AddBundled(i, name, arg) => {
                let k = slot(*i, st.policies.len());
                let p = k.map_or(ptr::null_mut(), |k| st.policies[k].ptr);
                let owned: Option<CString> = match name {
                    Name::Null => None,
                    Name::Bundled(b) => {
                        let names: Vec<&str> = bundled_names().collect();
                        let n = names[usize::from(*b) % names.len()];
                        Some(CString::new(n).unwrap())
                    }
                    Name::Raw(v) => {
                        let end = v.iter().position(|&b| b == 0);
                        Some(
                            CString::new(&v[..end.unwrap_or(v.len())])
                                .unwrap(),
                        )
                    }
                };
                let np = owned.as_ref().map_or(ptr::null(), |c| c.as_ptr());
                let (rc, e, stale) = with_err(*arg, |err| {
                    ffi::preclear_policy_add_bundled(p, np, err)
                });
                assert!(rc == 0 || rc == -1);
                let msg = take_err(&mut st, *arg, &e, stale, rc != 0);
                let twin: Twin = match (k, &owned) {
                    (None, _) | (_, None) => Err(String::new()),
                    (Some(k), Some(c)) => match c.to_str() {
                        Err(_) => Err(String::new()),
                        Ok(n) => st.policies[k]
                            .twin
                            .add_bundled(n)
                            .map(|_| ())
                            .map_err(|e| e.to_string()),
                    },
                };
                agree("add_bundled", rc == 0, msg, twin);
            }
            Op::AddToml(i, buf, arg) => {
                let data = bytes_of(&buf.bytes, PACKS);
                let len = buf.len(&data);
                let data = &data[..len];
                let k = slot(*i, st.policies.len());
                let p = k.map_or(ptr::null_mut(), |k| st.policies[k].ptr);
                let tp = if buf.is_null() {
                    ptr::null()
                } else {
                    data.as_ptr().cast()
                };
                // Cutting may have dropped the end of `extends`.
                if !reads_no_files(data) {
                    continue;
                }
                let (rc, e, stale) = with_err(*arg, |err| {
                    ffi::preclear_policy_add_toml(p, tp, len, err)
                });
                assert!(rc == 0 || rc == -1);
                let msg = take_err(&mut st, *arg, &e, stale, rc != 0);
                let twin: Twin = match k {
                    None => Err(String::new()),
                    Some(_) if buf.is_null() => Err(String::new()),
                    Some(k) => match std::str::from_utf8(data) {
                        Err(_) => Err(String::new()),
                        Ok(src) => st.policies[k]
                            .twin
                            .add_toml("<toml>", src)
                            .map(|_| ())
                            .map_err(|e| e.to_string()),
                    },
                };
                agree("add_toml", rc == 0, msg, twin);
            }
            Op::AddFile(i, path, arg) => {
                let k = slot(*i, st.policies.len());
                let p = k.map_or(ptr::null_mut(), |k| st.policies[k].ptr);
                let owned = match path {
                    PathArg::Null => None,
                    PathArg::Missing(n) => Some(
                        CString::new(format!(
                            "/nonexistent-preclear-fuzz/{n}.toml"
                        ))
                        .unwrap(),
                    ),
                    PathArg::NotUtf8(v) => {
                        let mut v: Vec<u8> = v
                            .iter()
                            .copied()
                            .filter(|&b| b != 0)
                            .take(16)
                            .collect();
                        v.push(0xff);
                        Some(CString::new(v).unwrap())
                    }
                };
                let pp = owned.as_ref().map_or(ptr::null(), |c| c.as_ptr());
                let (rc, e, stale) = with_err(*arg, |err| {
                    ffi::preclear_policy_add_file(p, pp, err)
                });
                assert_eq!(rc, -1, "a file that does not exist was added");
                take_err(&mut st, *arg, &e, stale, true);
            }
            Op::ScreenerNew(i, arg) => {
                if st.compiles == MAX_COMPILES {
                    continue;
                }
                st.compiles += 1;
                let k = slot(*i, st.policies.len());
                let p =
                    k.map_or(ptr::null(), |k| st.policies[k].ptr.cast_const());
                let (s, e, stale) =
                    with_err(*arg, |err| ffi::preclear_screener_new(p, err));
                let msg = take_err(&mut st, *arg, &e, stale, s.is_null());
                let twin = match k {
                    None => Err(String::new()),
                    Some(k) => twin_screener(&st.policies[k].twin),
                };
                match twin {
                    Ok(twin) => {
                        assert!(!s.is_null(), "screener_new failed: {msg:?}");
                        st.screeners.push(ScreenerH { ptr: s, twin });
                        st.made.0 += 1;
                    }
                    Err(want) => {
                        agree("screener_new", !s.is_null(), msg, Err(want))
                    }
                }
            }
            Op::ScreenerFree(i) => match slot(*i, st.screeners.len()) {
                Some(k) => {
                    ffi::preclear_screener_free(st.screeners.remove(k).ptr)
                }
                None => ffi::preclear_screener_free(ptr::null_mut()),
            },
            Op::Screen(i, buf, arg) => {
                let data = bytes_of(&buf.bytes, POSTS);
                let len = buf.len(&data);
                let data = &data[..len];
                let k = slot(*i, st.screeners.len());
                let s = k
                    .map_or(ptr::null(), |k| st.screeners[k].ptr.cast_const());
                let tp = if buf.is_null() {
                    ptr::null()
                } else {
                    data.as_ptr().cast()
                };
                let (v, e, stale) = with_err(*arg, |err| {
                    ffi::preclear_screen(s, tp, len, err)
                });
                let msg = take_err(&mut st, *arg, &e, stale, v.is_null());
                // An error never carries the post's text: not even the
                // valid part of a post that is not UTF-8. (Long enough
                // that the message's own words cannot spell it.)
                if let (Some(msg), false) = (&msg, buf.is_null()) {
                    let valid = match std::str::from_utf8(data) {
                        Ok(p) => p,
                        Err(e) => {
                            std::str::from_utf8(&data[..e.valid_up_to()])
                                .expect("valid prefix")
                        }
                    };
                    assert!(
                        valid.len() < 40 || !msg.contains(valid),
                        "the error {msg:?} quotes the post"
                    );
                }
                let post = match (k, buf.is_null()) {
                    (Some(k), false) => {
                        std::str::from_utf8(data).ok().map(|p| (k, p))
                    }
                    _ => None,
                };
                let Some((k, post)) = post else {
                    assert!(
                        v.is_null(),
                        "a NULL or invalid post was screened"
                    );
                    continue;
                };
                assert!(!v.is_null(), "screening failed: {msg:?}");
                let twin =
                    st.screeners[k].twin.screen(post).expect("small post");
                let h = VerdictH { ptr: v, twin, len, json: ptr::null() };
                check_verdict_h(&h);
                st.verdicts.push(h);
                st.made.1 += 1;
            }
            Op::ScreenTwice(i, post) => {
                let Some(k) = slot(*i, st.screeners.len()) else { continue };
                let s = Shared(st.screeners[k].ptr);
                let post = POSTS[usize::from(*post) % POSTS.len()];
                let screen = move || {
                    let s = s;
                    // SAFETY: the screener outlives both threads (joined
                    // below), and the contract lets them share it.
                    unsafe {
                        let v = ffi::preclear_screen(
                            s.0,
                            post.as_ptr().cast(),
                            post.len(),
                            ptr::null_mut(),
                        );
                        assert!(!v.is_null());
                        let j = ffi::preclear_verdict_json(v);
                        let json =
                            CStr::from_ptr(j).to_str().unwrap().to_owned();
                        ffi::preclear_verdict_free(v);
                        json
                    }
                };
                let other = std::thread::spawn(screen);
                let here = screen();
                let there = other.join().expect("the other thread");
                assert_eq!(here, there, "two threads disagree on {post:?}");
                let twin = st.screeners[k].twin.screen(post).unwrap();
                assert_eq!(here, twin.to_json("-"));
            }
            Op::Reason(i, index, null_out) => {
                let Some(k) = slot(*i, st.verdicts.len()) else {
                    let rc = ffi::preclear_verdict_reason(
                        ptr::null(),
                        usize::from(*index),
                        ptr::null_mut(),
                    );
                    assert_eq!(rc, -1);
                    continue;
                };
                let n = st.verdicts[k].twin.reasons().len();
                // Mostly in range, sometimes just past it, sometimes huge.
                let i = match index % 4 {
                    3 => usize::MAX - usize::from(*index),
                    _ => usize::from(*index) % (n + 2),
                };
                reason(&st.verdicts[k], i, *null_out);
            }
            Op::Json(i) => {
                let Some(k) = slot(*i, st.verdicts.len()) else {
                    assert!(ffi::preclear_verdict_json(ptr::null()).is_null());
                    continue;
                };
                let h = &mut st.verdicts[k];
                let j = ffi::preclear_verdict_json(h.ptr);
                assert!(!j.is_null());
                // Asked again, the same string (it is borrowed, not new).
                assert!(h.json.is_null() || h.json == j, "JSON moved");
                h.json = j;
                let text = CStr::from_ptr(j).to_str().expect("UTF-8 JSON");
                assert_eq!(text, h.twin.to_json("-").replace('\0', ""));
                let value: serde_json::Value =
                    serde_json::from_str(text).expect("valid JSON");
                assert_eq!(value["verdict"], h.twin.decision().as_str());
            }
            Op::VerdictFree(i) => match slot(*i, st.verdicts.len()) {
                Some(k) => {
                    ffi::preclear_verdict_free(st.verdicts.remove(k).ptr)
                }
                None => ffi::preclear_verdict_free(ptr::null_mut()),
            },
            Op::ErrorMessage(i) => match slot(*i, st.errors.len()) {
                Some(k) => {
                    message(st.errors[k]);
                }
                None => {
                    assert!(ffi::preclear_error_message(ptr::null()).is_null())
                }
            },
            Op::ErrorFree(i) => match slot(*i, st.errors.len()) {
                Some(k) => ffi::preclear_error_free(st.errors.remove(k)),
                None => ffi::preclear_error_free(ptr::null_mut()),
            },
            Op::Nulls => nulls(),
        }
    }
    if crate::debug() {
        eprintln!("{ops:#?}\nscreeners, verdicts made: {:?}", st.made);
    }
    // What is left, freed in the order the contract makes independent:
    // policies before their screeners, screeners before their verdicts.
    for p in st.policies.drain(..) {
        ffi::preclear_policy_free(p.ptr);
    }
    for s in st.screeners.drain(..) {
        ffi::preclear_screener_free(s.ptr);
    }
    for v in st.verdicts.drain(..) {
        check_verdict_h(&v);
        ffi::preclear_verdict_free(v.ptr);
    }
    for e in st.errors.drain(..) {
        ffi::preclear_error_free(e);
    }
}

/// Every entry point with NULL for every pointer.
unsafe fn nulls() {
    use ptr::{null, null_mut as nul};
    assert_eq!(ffi::preclear_policy_add_bundled(nul(), null(), nul()), -1);
    assert_eq!(ffi::preclear_policy_add_toml(nul(), null(), 0, nul()), -1);
    assert_eq!(ffi::preclear_policy_add_file(nul(), null(), nul()), -1);
    assert!(ffi::preclear_screener_new(null(), nul()).is_null());
    assert!(ffi::preclear_screen(null(), null(), 0, nul()).is_null());
    assert_eq!(ffi::preclear_verdict_decision(null()), -1);
    assert_eq!(ffi::preclear_verdict_score(null()), -1);
    assert_eq!(ffi::preclear_verdict_reason_count(null()), 0);
    assert_eq!(ffi::preclear_verdict_reason(null(), 0, nul()), -1);
    assert!(ffi::preclear_verdict_json(null()).is_null());
    assert!(ffi::preclear_error_message(null()).is_null());
    ffi::preclear_policy_free(nul());
    ffi::preclear_screener_free(nul());
    ffi::preclear_verdict_free(nul());
    ffi::preclear_error_free(nul());
    let v = CStr::from_ptr(ffi::preclear_version()).to_str().unwrap();
    assert!(!v.is_empty() && v.split('.').count() == 3, "version {v:?}");
}

/// `data`, decoded with `arbitrary`, as a program of C ABI calls, run with
/// the checks above: results agree with the Rust API, errors come back as
/// error objects (never a crash, never a caught panic), and everything
/// handed out is freed (a leak shows under `-detect_leaks=1` or
/// valgrind).
pub fn check_capi(data: &[u8]) -> Outcome {
    if data.len() > MAX_INPUT {
        return Outcome::Reject;
    }
    let Ok(program) = Program::arbitrary_take_rest(Unstructured::new(data))
    else {
        return Outcome::Reject;
    };
    // SAFETY: `run` keeps the header's contract: every pointer passed is
    // NULL or live and owned by it, and lengths never exceed buffers.
    unsafe { run(&program) };
    Outcome::Keep
}
