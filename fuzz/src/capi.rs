//! The `capi` target: a random program of calls into the C ABI
//! (`preclear::ffi`, the functions `include/preclear.h` declares), with
//! NULL handles and strings, invalid UTF-8, random pack names, TOML and
//! dates, options, out-of-range reason indices and the repeated uses the
//! contract allows (asking a verdict twice for its JSON, screening with a
//! screener whose policy and options are gone, using a verdict after its
//! screener is freed, two threads screening on one screener). Every call
//! keeps the contract: a pointer passed is NULL or live, a length never
//! exceeds the buffer, and everything returned is freed.
//!
//! Each policy, options and screener has a Rust twin built with the same
//! calls through the Rust API: the C ABI must succeed exactly when the
//! twin does, with the same error (message, kind, line, column, pack,
//! rule), and give the same verdicts, reasons, JSON and redactions.
//!
//! Speed: compiled screeners are kept across inputs (`twin::Cache`), one
//! per distinct policy and options, so an input compiles only what no
//! earlier input compiled — plus, when the fuzzer asks for it (one
//! `ScreenerNew` in 32), a small policy afresh, so that compiling and
//! freeing a screener through the C ABI inside a program stay exercised.

mod twin;

use std::ffi::{c_char, CStr, CString};
use std::ptr::{self, NonNull};

use arbitrary::{Arbitrary, Unstructured};
use preclear::ffi::{self, preclear_error};
use preclear::{bundled_names, Date, Pack, Policy, Screener};

use self::twin::{agree, opt_str, Opts, VerdictH, Want};
use crate::{Outcome, MAX_INPUT, POSTS};

/// Calls per input.
const MAX_OPS: usize = 32;
/// Screeners compiled afresh (not from the cache) per input.
const MAX_FRESH: usize = 2;
/// A policy compiles afresh only with at most this many rules (the tiny
/// pack has one; a bundled pack takes a third of a second under ASan).
const FRESH_MAX_RULES: usize = 4;

/// Packs to start TOML from: the bundled ones and the examples that
/// extend only bundled packs.
const PACKS: &[&str] = &[
    include_str!("../../rules/base.toml"),
    include_str!("../../rules/financial-institution.toml"),
    include_str!("../../rules/music-label.toml"),
    include_str!("../../rules/examples/acme-bank.toml"),
    include_str!("../../rules/examples/dj-nova.toml"),
    "[pack]\nname = \"nul\"\nversion = \"1\"\n\n[[rules]]\nid = \"n.x\"\n\
     kind = \"terms\"\nterms = [\"falcon\"]\nmessage = \"a\\u0000b\"\n",
    "[pack]\nname = \"dated\"\nversion = \"1\"\n\n[[rules]]\nid = \"d.x\"\n\
     kind = \"terms\"\nterms = [\"charge\"]\nactive_from = \"2026-01-01\"\n\
     active_until = \"2026-06-30\"\n",
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

/// A date for `preclear_options_set_now`: NULL, `YYYY-MM-DD` from parts
/// (valid or not: month 13, February 30), or raw bytes.
#[derive(Arbitrary, Debug)]
enum DateArg {
    Null,
    Parts(u16, u8, u8),
    Raw(Vec<u8>),
}

/// An id for `preclear_verdict_to_json`.
#[derive(Arbitrary, Debug)]
enum IdArg {
    Null,
    Text(String),
    NotUtf8(Vec<u8>),
}

/// The post given to `preclear_verdict_redact`.
#[derive(Arbitrary, Debug)]
enum PostArg {
    /// The post the verdict is about.
    Same,
    /// Its first bytes (modulo its length + 1): another length.
    Cut(u16),
    Null,
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

/// A program: one policy with one pack (the tiny one, or one in 256 a
/// bundled one: loading one takes tens of milliseconds under ASan) and a screener for it, then the fuzzer's calls.
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
    OptionsNew,
    OptionsFree(u8),
    SetNow(u8, DateArg, ErrArg),
    /// The limit: small ones (a post over it is an error), or huge.
    SetMaxPost(u8, u16, bool),
    SetEvasion(u8, i32),
    SetUnmask(u8, i32),
    /// A screener for a policy, with options (`Some`, which may pick a
    /// NULL handle) or without (`preclear_screener_new`); one `fresh` in
    /// 32 asks to compile it rather than take it from the cache.
    ScreenerNew(u8, Option<u8>, u8, ErrArg),
    ScreenerFree(u8),
    Screen(u8, Buf, ErrArg),
    /// Two threads screen the same post on one screener at once.
    ScreenTwice(u8, u8),
    Reason(u8, u16, bool),
    ReasonFields(u8, u16),
    Json(u8),
    ToJson(u8, IdArg),
    Redact(u8, PostArg, ErrArg),
    VerdictFree(u8),
    ErrorMessage(u8),
    ErrorFree(u8),
    Nulls,
}

struct PolicyH {
    ptr: *mut ffi::preclear_policy,
    twin: Policy,
}

struct OptionsH {
    ptr: *mut ffi::preclear_options,
    twin: Opts,
}

struct ScreenerH {
    ptr: *mut ffi::preclear_screener,
    twin: Screener,
    /// Owned by the cache: never freed by the program.
    cached: bool,
}

/// A `Send` wrapper so two threads may share a screener, which the
/// contract allows.
#[derive(Clone, Copy)]
struct Shared(*const ffi::preclear_screener);
unsafe impl Send for Shared {}

#[derive(Default)]
struct State {
    policies: Vec<PolicyH>,
    options: Vec<OptionsH>,
    screeners: Vec<ScreenerH>,
    verdicts: Vec<VerdictH>,
    errors: Vec<*mut preclear_error>,
    fresh: usize,
    /// Screeners (fresh, cached) and verdicts made, for
    /// `PRECLEAR_FUZZ_DEBUG`.
    made: (usize, usize, usize),
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

/// A C string from bytes: cut at the first NUL (C cannot pass one).
fn c_string(v: &[u8]) -> CString {
    let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
    CString::new(&v[..end]).expect("no NUL")
}

/// Calls `f` with an `err` argument as `arg` says; returns what `f`
/// returned and the error it reported (None when `err` was NULL or the
/// call succeeded), checking that `*err` is NULL after success and a
/// fresh error after failure. The error is kept, to be freed later.
unsafe fn with_err<T>(
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

/// A pack source the fuzzer may hand to the C ABI: it must not name
/// files in `extends` (they would be read from the current directory).
fn reads_no_files(src: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(src) else { return true };
    match Pack::from_toml("<toml>", s) {
        Ok(p) => p.extends().all(|e| bundled_names().any(|b| b == e)),
        Err(_) => true,
    }
}

impl State {
    fn policy_ptr(&self, i: u8) -> (Option<usize>, *mut ffi::preclear_policy) {
        let k = slot(i, self.policies.len());
        (k, k.map_or(ptr::null_mut(), |k| self.policies[k].ptr))
    }

    /// The twin of an add to policy `k` (None: a NULL or non-UTF-8
    /// argument), kept in step with the C policy: a pack the C ABI must
    /// refuse for a NUL byte is taken back out of the twin too.
    fn twin_add(
        &mut self,
        k: Option<usize>,
        add: impl FnOnce(&mut Policy) -> Result<(), preclear::Error>,
    ) -> Want {
        let Some(k) = k else { return Want::Abi };
        let twin = &mut self.policies[k].twin;
        let before = twin.packs().len();
        if let Err(e) = add(twin) {
            return Want::Lib(e);
        }
        if twin::holds_nul(&twin.packs()[before..]) {
            *twin = twin.first(before);
            return Want::Nul;
        }
        Want::Ok
    }

    unsafe fn add_bundled(&mut self, i: u8, name: &Name, arg: ErrArg) {
        let (k, p) = self.policy_ptr(i);
        let owned: Option<CString> = match name {
            Name::Null => None,
            Name::Bundled(b) => {
                let names: Vec<&str> = bundled_names().collect();
                Some(
                    CString::new(names[usize::from(*b) % names.len()])
                        .unwrap(),
                )
            }
            Name::Raw(v) => Some(c_string(v)),
        };
        let np = owned.as_ref().map_or(ptr::null(), |c| c.as_ptr());
        let (rc, e) = with_err(
            self,
            arg,
            |rc| *rc != 0,
            |err| ffi::preclear_policy_add_bundled(p, np, err),
        );
        assert!(rc == 0 || rc == -1);
        let name = owned.as_ref().and_then(|c| c.to_str().ok());
        let want = match name {
            None => Want::Abi,
            Some(n) => self.twin_add(k, |t| t.add_bundled(n).map(|_| ())),
        };
        agree("add_bundled", rc == 0, e, &want);
    }

    unsafe fn add_toml(&mut self, i: u8, buf: &Buf, arg: ErrArg) {
        let data = bytes_of(&buf.bytes, PACKS);
        let len = buf.len(&data);
        let data = &data[..len];
        // Cutting may have dropped the end of `extends`.
        if !reads_no_files(data) {
            return;
        }
        let (k, p) = self.policy_ptr(i);
        let tp =
            if buf.is_null() { ptr::null() } else { data.as_ptr().cast() };
        let (rc, e) = with_err(
            self,
            arg,
            |rc| *rc != 0,
            |err| ffi::preclear_policy_add_toml(p, tp, len, err),
        );
        assert!(rc == 0 || rc == -1);
        let src = std::str::from_utf8(data).ok().filter(|_| !buf.is_null());
        let want = match src {
            None => Want::Abi,
            Some(src) => {
                self.twin_add(k, |t| t.add_toml("<toml>", src).map(|_| ()))
            }
        };
        agree("add_toml", rc == 0, e, &want);
    }

    unsafe fn add_file(&mut self, i: u8, path: &PathArg, arg: ErrArg) {
        let (k, p) = self.policy_ptr(i);
        let owned = match path {
            PathArg::Null => None,
            PathArg::Missing(n) => Some(
                CString::new(format!("/nonexistent-preclear-fuzz/{n}.toml"))
                    .unwrap(),
            ),
            PathArg::NotUtf8(v) => {
                let mut v: Vec<u8> =
                    v.iter().copied().filter(|&b| b != 0).take(16).collect();
                v.push(0xff);
                Some(CString::new(v).unwrap())
            }
        };
        let pp = owned.as_ref().map_or(ptr::null(), |c| c.as_ptr());
        let (rc, e) = with_err(
            self,
            arg,
            |rc| *rc != 0,
            |err| ffi::preclear_policy_add_file(p, pp, err),
        );
        let path = owned.as_ref().and_then(|c| c.to_str().ok());
        let want = match path {
            None => Want::Abi,
            Some(path) => self.twin_add(k, |t| t.add_file(path).map(|_| ())),
        };
        assert!(
            !matches!(want, Want::Ok),
            "a file that does not exist was added"
        );
        agree("add_file", rc == 0, e, &want);
    }

    unsafe fn options(&mut self, op: &Op) {
        let n = self.options.len();
        let k = |i: &u8| slot(*i, n);
        match op {
            Op::OptionsNew => {
                let p = ffi::preclear_options_new();
                assert!(!p.is_null());
                self.options.push(OptionsH { ptr: p, twin: Opts::default() });
            }
            Op::OptionsFree(i) => match k(i) {
                Some(k) => {
                    ffi::preclear_options_free(self.options.remove(k).ptr)
                }
                None => ffi::preclear_options_free(ptr::null_mut()),
            },
            Op::SetNow(i, date, arg) => self.set_now(k(i), date, *arg),
            Op::SetMaxPost(i, small, huge) => {
                let bytes = if *huge {
                    usize::MAX - usize::from(*small)
                } else {
                    (*small).into()
                };
                let k = k(i);
                let p = k.map_or(ptr::null_mut(), |k| self.options[k].ptr);
                let rc = ffi::preclear_options_set_max_post_bytes(p, bytes);
                assert_eq!(rc, if k.is_some() { 0 } else { -1 });
                if let Some(k) = k {
                    self.options[k].twin.max_post = bytes;
                }
            }
            Op::SetEvasion(i, on) | Op::SetUnmask(i, on) => {
                let evasion = matches!(op, Op::SetEvasion(..));
                let k = k(i);
                let p = k.map_or(ptr::null_mut(), |k| self.options[k].ptr);
                let rc = if evasion {
                    ffi::preclear_options_set_evasion(p, *on)
                } else {
                    ffi::preclear_options_set_unmask(p, *on)
                };
                assert_eq!(rc, if k.is_some() { 0 } else { -1 });
                if let Some(k) = k {
                    let t = &mut self.options[k].twin;
                    *(if evasion { &mut t.evasion } else { &mut t.unmask }) =
                        *on != 0;
                }
            }
            _ => unreachable!("not an options call: {op:?}"),
        }
    }

    unsafe fn set_now(
        &mut self,
        k: Option<usize>,
        date: &DateArg,
        arg: ErrArg,
    ) {
        let owned = match date {
            DateArg::Null => None,
            DateArg::Parts(y, m, d) => Some(
                CString::new(format!(
                    "{:04}-{:02}-{:02}",
                    y % 10_000,
                    m % 14,
                    d % 33
                ))
                .unwrap(),
            ),
            DateArg::Raw(v) => Some(c_string(v)),
        };
        let p = k.map_or(ptr::null_mut(), |k| self.options[k].ptr);
        let dp = owned.as_ref().map_or(ptr::null(), |c| c.as_ptr());
        let (rc, e) = with_err(
            self,
            arg,
            |rc| *rc != 0,
            |err| ffi::preclear_options_set_now(p, dp, err),
        );
        assert!(rc == 0 || rc == -1);
        let text = owned.as_ref().and_then(|c| c.to_str().ok());
        let want = match (k, text) {
            (Some(k), Some(t)) => match t.parse::<Date>() {
                Ok(d) => {
                    self.options[k].twin.now = Some(d);
                    Want::Ok
                }
                Err(e) => Want::Lib(e),
            },
            _ => Want::Abi,
        };
        agree("set_now", rc == 0, e, &want);
    }

    unsafe fn screener_new(
        &mut self,
        i: u8,
        o: Option<u8>,
        fresh: u8,
        arg: ErrArg,
    ) {
        let (k, p) = self.policy_ptr(i);
        let ko = o.map(|o| slot(o, self.options.len()));
        let opts = match ko {
            Some(Some(ko)) => self.options[ko].twin.clone(),
            _ => Opts::default(),
        };
        let op = match ko {
            Some(Some(ko)) => self.options[ko].ptr.cast_const(),
            _ => ptr::null(),
        };
        let small = k.is_some_and(|k| {
            let rules: usize = self.policies[k]
                .twin
                .packs()
                .iter()
                .map(|p| p.rules().len())
                .sum();
            rules <= FRESH_MAX_RULES
        });
        let fresh =
            fresh.is_multiple_of(32) && small && self.fresh < MAX_FRESH;
        let key = k.map(|k| twin::key(&self.policies[k].twin, &opts));
        if let Some((ptr, twin)) =
            key.as_ref().filter(|_| !fresh).and_then(twin::cached)
        {
            self.screeners.push(ScreenerH { ptr, twin, cached: true });
            self.made.1 += 1;
            return;
        }
        self.fresh += usize::from(fresh);
        let (s, e) = with_err(
            self,
            arg,
            |s: &*mut ffi::preclear_screener| s.is_null(),
            |err| match o {
                None => ffi::preclear_screener_new(p, err),
                Some(_) => ffi::preclear_screener_new_with_options(p, op, err),
            },
        );
        let twin = match k {
            None => Err(Want::Abi),
            Some(k) => {
                opts.builder().build(&self.policies[k].twin).map_err(Want::Lib)
            }
        };
        match (twin, key) {
            (Ok(twin), Some(key)) => {
                agree("screener_new", !s.is_null(), e, &Want::Ok);
                if !fresh {
                    twin::keep(key, s, twin.clone());
                }
                self.screeners.push(ScreenerH {
                    ptr: s,
                    twin,
                    cached: !fresh,
                });
                self.made.0 += 1;
            }
            (Err(want), _) => agree("screener_new", !s.is_null(), e, &want),
            (Ok(_), None) => unreachable!("a twin without a policy"),
        }
    }

    unsafe fn screen(&mut self, i: u8, buf: &Buf, arg: ErrArg) {
        let data = bytes_of(&buf.bytes, POSTS);
        let len = buf.len(&data);
        let data = &data[..len];
        let k = slot(i, self.screeners.len());
        let s = k.map_or(ptr::null(), |k| self.screeners[k].ptr.cast_const());
        let tp =
            if buf.is_null() { ptr::null() } else { data.as_ptr().cast() };
        let (v, e) = with_err(
            self,
            arg,
            |v: &*mut ffi::preclear_verdict| v.is_null(),
            |err| ffi::preclear_screen(s, tp, len, err),
        );
        // An error never carries the post's text: not even the valid part
        // of a post that is not UTF-8. (Long enough that the message's own
        // words cannot spell it.)
        if let (Some(e), false) = (e, buf.is_null()) {
            let msg = twin::message(e);
            let valid = match std::str::from_utf8(data) {
                Ok(p) => p,
                Err(err) => {
                    std::str::from_utf8(&data[..err.valid_up_to()]).unwrap()
                }
            };
            assert!(
                valid.len() < 40 || !msg.contains(valid),
                "{msg:?} quotes the post"
            );
        }
        let post = std::str::from_utf8(data).ok().filter(|_| !buf.is_null());
        let (Some(k), Some(post)) = (k, post) else {
            agree("screen", !v.is_null(), e, &Want::Abi);
            return;
        };
        match self.screeners[k].twin.screen(post) {
            Ok(twin) => {
                agree("screen", !v.is_null(), e, &Want::Ok);
                let h = VerdictH {
                    ptr: v,
                    twin,
                    post: data.to_vec(),
                    json: ptr::null(),
                };
                twin::check_verdict_h(&h);
                self.verdicts.push(h);
                self.made.2 += 1;
            }
            Err(want) => agree("screen", !v.is_null(), e, &Want::Lib(want)),
        }
    }

    unsafe fn screen_twice(&mut self, i: u8, post: u8) {
        let Some(k) = slot(i, self.screeners.len()) else { return };
        let s = Shared(self.screeners[k].ptr);
        let post = POSTS[usize::from(post) % POSTS.len()];
        let screen = move || {
            let s = s;
            // SAFETY: the screener outlives both threads (joined below),
            // and the contract lets them share it.
            unsafe {
                let v = ffi::preclear_screen(
                    s.0,
                    post.as_ptr().cast(),
                    post.len(),
                    ptr::null_mut(),
                );
                if v.is_null() {
                    return None; // over a small size limit
                }
                let j = ffi::preclear_verdict_to_json(v, c"t".as_ptr());
                let json = CStr::from_ptr(j).to_str().unwrap().to_owned();
                ffi::preclear_string_free(j);
                ffi::preclear_verdict_free(v);
                Some(json)
            }
        };
        let other = std::thread::spawn(screen);
        let here = screen();
        let there = other.join().expect("the other thread");
        assert_eq!(here, there, "two threads disagree on {post:?}");
        let twin = self.screeners[k].twin.screen(post).ok();
        assert_eq!(here, twin.map(|v| v.to_json("t")));
    }

    unsafe fn verdict_op(&mut self, op: &Op) {
        let Some(k) = (match op {
            Op::Reason(i, ..) | Op::ReasonFields(i, _) | Op::Json(i) => {
                slot(*i, self.verdicts.len())
            }
            Op::ToJson(i, _) | Op::Redact(i, ..) => {
                slot(*i, self.verdicts.len())
            }
            _ => unreachable!("not a verdict call: {op:?}"),
        }) else {
            return self.null_verdict_op(op);
        };
        match op {
            Op::Reason(_, index, null_out) => {
                let n = self.verdicts[k].twin.reasons().len();
                twin::reason(
                    &self.verdicts[k],
                    index_in(*index, n),
                    *null_out,
                );
            }
            Op::ReasonFields(_, index) => {
                let n = self.verdicts[k].twin.reasons().len();
                twin::reason_fields(&self.verdicts[k], index_in(*index, n));
            }
            Op::Json(_) => {
                let h = &mut self.verdicts[k];
                let j = ffi::preclear_verdict_json(h.ptr);
                assert!(!j.is_null());
                // Asked again, the same string (it is borrowed, not new).
                assert!(h.json.is_null() || h.json == j, "JSON moved");
                h.json = j;
                let text = CStr::from_ptr(j).to_str().expect("UTF-8 JSON");
                assert_eq!(text, h.twin.to_json("-"));
                let value: serde_json::Value =
                    serde_json::from_str(text).expect("valid JSON");
                assert_eq!(value["verdict"], h.twin.decision().as_str());
            }
            Op::ToJson(_, id) => self.json_with_id(k, id),
            Op::Redact(_, post, arg) => self.redact(k, post, *arg),
            _ => unreachable!(),
        }
    }

    /// A verdict call with a NULL verdict.
    unsafe fn null_verdict_op(&mut self, op: &Op) {
        let v = ptr::null();
        match op {
            Op::Reason(_, index, _) => {
                assert_eq!(
                    ffi::preclear_verdict_reason(
                        v,
                        (*index).into(),
                        ptr::null_mut()
                    ),
                    -1
                )
            }
            Op::ReasonFields(_, index) => {
                let i = usize::from(*index);
                assert_eq!(ffi::preclear_verdict_reason_line(v, i), 0);
                assert_eq!(ffi::preclear_verdict_reason_column(v, i), 0);
                assert!(ffi::preclear_verdict_reason_excerpt(v, i).is_null());
                assert!(
                    ffi::preclear_verdict_reason_decided_by(v, i).is_null()
                );
            }
            Op::Json(_) => assert!(ffi::preclear_verdict_json(v).is_null()),
            Op::ToJson(..) => {
                assert!(
                    ffi::preclear_verdict_to_json(v, c"x".as_ptr()).is_null()
                )
            }
            Op::Redact(_, _, arg) => {
                let (r, e) = with_err(
                    self,
                    *arg,
                    |r: &*mut c_char| r.is_null(),
                    |err| {
                        ffi::preclear_verdict_redact(v, c"x".as_ptr(), 1, err)
                    },
                );
                agree("redact", !r.is_null(), e, &Want::Abi);
            }
            _ => unreachable!(),
        }
    }

    unsafe fn json_with_id(&mut self, k: usize, id: &IdArg) {
        let owned = match id {
            IdArg::Null => None,
            IdArg::Text(t) => Some(c_string(t.as_bytes())),
            IdArg::NotUtf8(v) => {
                let mut v = c_string(v).into_bytes();
                v.push(0xfe);
                Some(CString::new(v).unwrap())
            }
        };
        let h = &self.verdicts[k];
        let j = ffi::preclear_verdict_to_json(
            h.ptr,
            owned.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
        );
        let want = owned
            .as_ref()
            .and_then(|c| c.to_str().ok())
            .map(|id| h.twin.to_json(id));
        let got = opt_str(j);
        ffi::preclear_string_free(j);
        assert_eq!(got, want, "to_json");
    }

    unsafe fn redact(&mut self, k: usize, post: &PostArg, arg: ErrArg) {
        let h = &self.verdicts[k];
        let (tp, len) = match post {
            PostArg::Same => (h.post.as_ptr(), h.post.len()),
            PostArg::Cut(c) => {
                (h.post.as_ptr(), usize::from(*c) % (h.post.len() + 1))
            }
            PostArg::Null => (ptr::null(), 0),
        };
        let v = h.ptr;
        let (r, e) = with_err(
            self,
            arg,
            |r: &*mut c_char| r.is_null(),
            |err| ffi::preclear_verdict_redact(v, tp.cast(), len, err),
        );
        let got = opt_str(r);
        ffi::preclear_string_free(r);
        let h = &self.verdicts[k];
        let post = std::str::from_utf8(&h.post).expect("a screened post");
        // A cut post (not UTF-8, or not the post): refused either way.
        let refused =
            tp.is_null() || len != h.post.len() || post.contains('\0');
        let want = if refused { Want::Abi } else { Want::Ok };
        agree("redact", got.is_some(), e, &want);
        if let Some(got) = got {
            assert_eq!(got, h.twin.redact(post).text());
        }
    }

    unsafe fn op(&mut self, op: &Op) {
        match op {
            Op::PolicyNew => {
                let p = ffi::preclear_policy_new();
                assert!(!p.is_null());
                self.policies.push(PolicyH { ptr: p, twin: Policy::new() });
            }
            Op::PolicyFree(i) => match slot(*i, self.policies.len()) {
                Some(k) => {
                    ffi::preclear_policy_free(self.policies.remove(k).ptr)
                }
                None => ffi::preclear_policy_free(ptr::null_mut()),
            },
            Op::AddBundled(i, name, arg) => self.add_bundled(*i, name, *arg),
            Op::AddToml(i, buf, arg) => self.add_toml(*i, buf, *arg),
            Op::AddFile(i, path, arg) => self.add_file(*i, path, *arg),
            Op::OptionsNew
            | Op::OptionsFree(_)
            | Op::SetNow(..)
            | Op::SetMaxPost(..)
            | Op::SetEvasion(..)
            | Op::SetUnmask(..) => self.options(op),
            Op::ScreenerNew(i, o, fresh, arg) => {
                self.screener_new(*i, *o, *fresh, *arg)
            }
            Op::ScreenerFree(i) => match slot(*i, self.screeners.len()) {
                Some(k) => {
                    let s = self.screeners.remove(k);
                    if !s.cached {
                        ffi::preclear_screener_free(s.ptr);
                    }
                }
                None => ffi::preclear_screener_free(ptr::null_mut()),
            },
            Op::Screen(i, buf, arg) => self.screen(*i, buf, *arg),
            Op::ScreenTwice(i, post) => self.screen_twice(*i, *post),
            Op::Reason(..)
            | Op::ReasonFields(..)
            | Op::Json(_)
            | Op::ToJson(..)
            | Op::Redact(..) => self.verdict_op(op),
            Op::VerdictFree(i) => match slot(*i, self.verdicts.len()) {
                Some(k) => {
                    ffi::preclear_verdict_free(self.verdicts.remove(k).ptr)
                }
                None => ffi::preclear_verdict_free(ptr::null_mut()),
            },
            Op::ErrorMessage(i) => match slot(*i, self.errors.len()) {
                Some(k) => {
                    twin::message(self.errors[k]);
                }
                None => {
                    assert!(ffi::preclear_error_message(ptr::null()).is_null())
                }
            },
            Op::ErrorFree(i) => match slot(*i, self.errors.len()) {
                Some(k) => ffi::preclear_error_free(self.errors.remove(k)),
                None => ffi::preclear_error_free(ptr::null_mut()),
            },
            Op::Nulls => nulls(),
        }
    }

    /// What is left, freed in the order the contract makes independent:
    /// policies and options before their screeners, screeners before their
    /// verdicts.
    unsafe fn free_all(&mut self) {
        for p in self.policies.drain(..) {
            ffi::preclear_policy_free(p.ptr);
        }
        for o in self.options.drain(..) {
            ffi::preclear_options_free(o.ptr);
        }
        for s in self.screeners.drain(..).filter(|s| !s.cached) {
            ffi::preclear_screener_free(s.ptr);
        }
        for v in self.verdicts.drain(..) {
            twin::check_verdict_h(&v);
            ffi::preclear_verdict_free(v.ptr);
        }
        for e in self.errors.drain(..) {
            ffi::preclear_error_free(e);
        }
    }
}

/// A reason index for a verdict with `n` reasons: mostly in range,
/// sometimes just past it, sometimes huge.
fn index_in(index: u16, n: usize) -> usize {
    match index % 4 {
        3 => usize::MAX - usize::from(index),
        _ => usize::from(index) % (n + 2),
    }
}

unsafe fn run(program: &Program) {
    let first = if program.first == 0 {
        Op::AddBundled(
            0,
            Name::Bundled(program.ops.len() as u8),
            ErrArg::Fresh,
        )
    } else {
        let tiny = Bytes::Known(PACKS.len() as u8 - 1);
        let buf = Buf { bytes: tiny, null: 0, cut: None };
        Op::AddToml(0, buf, ErrArg::Fresh)
    };
    // From the cache: compiling even the tiny pack afresh on every input
    // would cost more than the rest of the input.
    let prelude =
        [Op::PolicyNew, first, Op::ScreenerNew(0, None, 1, ErrArg::Fresh)];
    let ops = &program.ops;
    let mut st = State::default();
    for op in prelude.iter().chain(ops.iter().take(MAX_OPS)) {
        st.op(op);
    }
    if crate::debug() {
        eprintln!(
            "{ops:#?}\nscreeners (fresh, cached), verdicts made: {:?}",
            st.made
        );
    }
    st.free_all();
}

/// Every entry point with NULL for every pointer.
unsafe fn nulls() {
    use ptr::{null, null_mut as nul};
    assert_eq!(ffi::preclear_policy_add_bundled(nul(), null(), nul()), -1);
    assert_eq!(ffi::preclear_policy_add_toml(nul(), null(), 0, nul()), -1);
    assert_eq!(ffi::preclear_policy_add_file(nul(), null(), nul()), -1);
    assert_eq!(ffi::preclear_options_set_now(nul(), null(), nul()), -1);
    assert_eq!(ffi::preclear_options_set_max_post_bytes(nul(), 0), -1);
    assert_eq!(ffi::preclear_options_set_evasion(nul(), 0), -1);
    assert_eq!(ffi::preclear_options_set_unmask(nul(), 0), -1);
    assert!(ffi::preclear_screener_new(null(), nul()).is_null());
    assert!(ffi::preclear_screener_new_with_options(null(), null(), nul())
        .is_null());
    assert!(ffi::preclear_screen(null(), null(), 0, nul()).is_null());
    assert_eq!(ffi::preclear_verdict_decision(null()), -1);
    assert_eq!(ffi::preclear_verdict_score(null()), -1);
    assert_eq!(ffi::preclear_verdict_reason_count(null()), 0);
    assert_eq!(ffi::preclear_verdict_reason(null(), 0, nul()), -1);
    assert!(ffi::preclear_verdict_json(null()).is_null());
    assert!(ffi::preclear_verdict_to_json(null(), null()).is_null());
    assert!(ffi::preclear_verdict_redact(null(), null(), 0, nul()).is_null());
    assert!(ffi::preclear_error_message(null()).is_null());
    assert_eq!(ffi::preclear_error_kind(null()), -1);
    assert_eq!(
        (ffi::preclear_error_line(null()), ffi::preclear_error_column(null())),
        (0, 0)
    );
    assert!(ffi::preclear_error_pack(null()).is_null());
    assert!(ffi::preclear_error_rule(null()).is_null());
    ffi::preclear_policy_free(nul());
    ffi::preclear_options_free(nul());
    ffi::preclear_screener_free(nul());
    ffi::preclear_verdict_free(nul());
    ffi::preclear_error_free(nul());
    ffi::preclear_string_free(nul());
    let v = CStr::from_ptr(ffi::preclear_version()).to_str().unwrap();
    assert!(!v.is_empty() && v.split('.').count() == 3, "version {v:?}");
}

/// `data`, decoded with `arbitrary`, as a program of C ABI calls, run with
/// the checks above: results agree with the Rust API, errors come back as
/// error objects with the Rust error's kind and position (never a crash,
/// never a caught panic), and everything handed out is freed (a leak
/// shows under `-detect_leaks=1` or valgrind; cached screeners are freed
/// when the cache is emptied).
pub fn check_capi(data: &[u8]) -> Outcome {
    if data.len() > MAX_INPUT {
        return Outcome::Reject;
    }
    let Ok(program) = Program::arbitrary_take_rest(Unstructured::new(data))
    else {
        return Outcome::Reject;
    };
    twin::trim_cache();
    // SAFETY: `run` keeps the header's contract: every pointer passed is
    // NULL or live and owned by it, and lengths never exceed buffers.
    unsafe { run(&program) };
    Outcome::Keep
}
