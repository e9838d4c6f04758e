//! Options and screeners: `preclear_options_*`, and `screener_new` with
//! and without options, from the cache or compiled, checked against the
//! Rust twin.

use std::ffi::CString;
use std::ptr;

use preclear::ffi;
use preclear::Date;

use super::args::{
    asks_big, c_string, with_err, DateArg, ErrArg, DATES, MAX_POSTS,
};
use super::cache;
use super::twin::{agree, Opts, Want};
use super::{slot, Op, OptionsH, ScreenerH, State};

/// Screeners compiled afresh (not from the cache) per input.
const MAX_FRESH: usize = 2;
/// A policy with at most this many rules is small: it compiles in well
/// under a millisecond, afresh or on a cache miss. A bigger one compiles
/// on a miss only when the call asks ([`asks_big`]), once per input, and
/// with a date from [`DATES`] or none, so that few ever are.
const SMALL_RULES: usize = 4;

impl State {
    pub(super) unsafe fn options(&mut self, op: &Op) {
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
            Op::SetMaxPost(i, which) => {
                let bytes = MAX_POSTS[usize::from(*which) % MAX_POSTS.len()];
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
            DateArg::Known(i) => Some(
                CString::new(DATES[usize::from(*i) % DATES.len()])
                    .expect("no NUL"),
            ),
            DateArg::Parts(y, m, d) => Some(
                CString::new(format!(
                    "{:04}-{:02}-{:02}",
                    y % 10_000,
                    m % 14,
                    d % 33
                ))
                .expect("no NUL"),
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

    /// Whether a screener for policy `k` with `opts` that is not cached
    /// may be compiled (see [`SMALL_RULES`]), counting it.
    fn may_compile(&mut self, k: usize, opts: &Opts, how: u8) -> bool {
        if self.policies[k].rules() <= SMALL_RULES {
            return true;
        }
        let date_ok =
            opts.now.is_none_or(|d| DATES.contains(&d.to_string().as_str()));
        let ok = asks_big(how) && date_ok && !self.big_compiled;
        self.big_compiled |= ok;
        ok
    }

    /// A screener for policy `i` with options `o` (None: without; Some,
    /// which may pick a NULL handle: `_with_options`). `how` picks
    /// between the cache and compiling afresh (one in 32, small policies
    /// only): a fresh screener is the program's to free.
    pub(super) unsafe fn screener_new(
        &mut self,
        i: u8,
        o: Option<u8>,
        how: u8,
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
        let key = k.map(|k| (self.policies[k].fingerprint(), opts.clone()));
        let fresh = how.is_multiple_of(32)
            && self.fresh < MAX_FRESH
            && k.is_some_and(|k| self.policies[k].rules() <= SMALL_RULES);
        if let Some((ptr, twin)) =
            key.as_ref().filter(|_| !fresh).and_then(cache::cached)
        {
            self.screeners.push(ScreenerH { ptr, twin, cached: true });
            self.made.1 += 1;
            return;
        }
        if k.is_some_and(|k| !fresh && !self.may_compile(k, &opts, how)) {
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
                    cache::keep(key, s, twin.clone());
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
}
