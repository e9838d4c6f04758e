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
//! Speed (about a millisecond an input under ASan, where loading a
//! bundled pack takes tens): a program starts from one of a few seed
//! policies, built once per process (`cache`), with a screener from the
//! cache of compiled ones; a program's own policies load a bundled pack
//! only when the input asks (one call in 64) and once per input, and a
//! big policy compiles on a cache miss as rarely (`options`). Small
//! policies, including fuzzed pack texts, load and compile every time,
//! and one `ScreenerNew` in 32 compiles one afresh and frees it.
//!
//! Rooms: `args` (decoding arguments), `policies`, `options` (and
//! screeners), `verdicts`, `twin` (the checks), `cache`.

mod args;
mod cache;
mod options;
mod policies;
mod twin;
mod verdicts;

use std::ffi::CStr;
use std::ptr;
use std::rc::Rc;

use arbitrary::{Arbitrary, Unstructured};
use preclear::ffi::{self, preclear_error};
use preclear::{Policy, Screener};

use self::args::{slot, Buf, DateArg, ErrArg, IdArg, Name, PathArg, PostArg};
use self::twin::{Opts, VerdictH};
use crate::{Outcome, MAX_INPUT};

/// Calls per input.
const MAX_OPS: usize = 32;

/// A program: a seed policy (`first`, see `cache`) with a screener for
/// it, then the fuzzer's calls.
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
    /// The second byte lets a big known pack be loaded (see `args`).
    AddToml(u8, Buf, u8, ErrArg),
    AddFile(u8, PathArg, ErrArg),
    OptionsNew,
    OptionsFree(u8),
    SetNow(u8, DateArg, ErrArg),
    /// A limit from `args::MAX_POSTS`.
    SetMaxPost(u8, u8),
    SetEvasion(u8, i32),
    SetUnmask(u8, i32),
    /// A screener for a policy, with options (`Some`, which may pick a
    /// NULL handle) or without (`preclear_screener_new`); the third byte
    /// picks cached or fresh (see `options`).
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
    /// Shared with the cache for a seed (cloning a bundled pack's twin
    /// per input cost as much as screening).
    twin: Rc<Policy>,
    /// A seed, the cache's: never freed or added to by the program.
    lent: bool,
    /// The twin's fingerprint, once asked (SHA-256 over every pack).
    fp: Option<String>,
}

impl PolicyH {
    fn rules(&self) -> usize {
        self.twin.packs().iter().map(|p| p.rules().len()).sum()
    }

    fn fingerprint(&mut self) -> String {
        self.fp.get_or_insert_with(|| self.twin.fingerprint()).clone()
    }
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

#[derive(Default)]
struct State {
    policies: Vec<PolicyH>,
    options: Vec<OptionsH>,
    screeners: Vec<ScreenerH>,
    verdicts: Vec<VerdictH>,
    errors: Vec<*mut preclear_error>,
    /// Screeners compiled afresh so far.
    fresh: usize,
    /// Big packs loaded so far.
    big: usize,
    /// Whether a big policy was compiled on a cache miss.
    big_compiled: bool,
    /// Whether two threads have screened at once.
    twice: bool,
    /// Screeners (fresh, cached) and verdicts made, for
    /// `PRECLEAR_FUZZ_DEBUG`.
    made: (usize, usize, usize),
}

impl State {
    fn policy_ptr(&self, i: u8) -> (Option<usize>, *mut ffi::preclear_policy) {
        let k = slot(i, self.policies.len());
        (k, k.map_or(ptr::null_mut(), |k| self.policies[k].ptr))
    }

    unsafe fn op(&mut self, op: &Op) {
        match op {
            Op::PolicyNew => {
                let p = ffi::preclear_policy_new();
                assert!(!p.is_null());
                self.policies.push(PolicyH {
                    ptr: p,
                    twin: Rc::new(Policy::new()),
                    lent: false,
                    fp: None,
                });
            }
            Op::PolicyFree(i) => match slot(*i, self.policies.len()) {
                Some(k) => {
                    let p = self.policies.remove(k);
                    if !p.lent {
                        ffi::preclear_policy_free(p.ptr);
                    }
                }
                None => ffi::preclear_policy_free(ptr::null_mut()),
            },
            Op::AddBundled(i, name, arg) => self.add_bundled(*i, name, *arg),
            Op::AddToml(i, buf, big, arg) => {
                self.add_toml(*i, buf, *big, *arg)
            }
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
        for p in self.policies.drain(..).filter(|p| !p.lent) {
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

unsafe fn run(program: &Program) {
    let (ptr, twin, fp) = cache::seed(program.first);
    let mut st = State::default();
    st.policies.push(PolicyH { ptr, twin, lent: true, fp: Some(fp) });
    let prelude = Op::ScreenerNew(0, None, 1, ErrArg::Fresh);
    let ops = &program.ops;
    for op in std::iter::once(&prelude).chain(ops.iter().take(MAX_OPS)) {
        st.op(op);
    }
    if crate::debug() {
        eprintln!(
            "{ops:#?}\nscreeners (fresh, cached), verdicts made: {:?}; \
             big packs loaded: {}, big policy compiled: {}",
            st.made, st.big, st.big_compiled
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
    cache::trim();
    // SAFETY: `run` keeps the header's contract: every pointer passed is
    // NULL or live and owned by it, and lengths never exceed buffers.
    unsafe { run(&program) };
    Outcome::Keep
}
