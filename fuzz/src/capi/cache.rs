//! What the `capi` target keeps across inputs so that most inputs only
//! screen: the seed policies (built once through the C ABI, each with
//! its twin) and compiled screeners with their twins, one per distinct
//! policy and options, least recently used first out.
//!
//! Loading a bundled pack takes tens of milliseconds under ASan and
//! compiling it more; an input should take about one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::CString;
use std::ptr;
use std::rc::Rc;

use preclear::ffi::{self, preclear_policy, preclear_screener};
use preclear::{Policy, Screener};

use super::args::{ACME, DATED, DJ_NOVA, TINY};
use super::twin::{agree, Opts, Want};

/// How a seed policy is built, pack by pack.
enum Src {
    Bundled(&'static str),
    Toml(&'static str),
}

/// The policies programs start from (and may pick again for screeners).
const SEEDS: &[&[Src]] = &[
    &[Src::Toml(TINY)],
    &[Src::Bundled("base")],
    &[Src::Bundled("financial-institution")],
    &[Src::Bundled("music-label")],
    &[Src::Toml(ACME)],
    &[Src::Toml(DJ_NOVA)],
    &[Src::Toml(DATED)],
    &[Src::Bundled("base"), Src::Toml(DATED), Src::Toml(TINY)],
];

/// A policy's fingerprint and the options.
pub(super) type Key = (String, Opts);

/// Screeners kept at most between inputs; past it the least recently
/// used go (a program may take more while it runs).
const SCREENERS: usize = 48;

struct Kept {
    ptr: usize,
    twin: Screener,
    used: u64,
}

#[derive(Default)]
struct Cache {
    /// Handle, twin and fingerprint of each seed built so far.
    seeds: HashMap<usize, (usize, Rc<Policy>, String)>,
    screeners: HashMap<Key, Kept>,
    /// Inputs run so far: the clock of "recently used".
    clock: u64,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// Builds seed `i` through the C ABI and through the Rust API: both
/// must succeed (and do, whatever the input: they are fixed).
unsafe fn build_seed(i: usize) -> (usize, Rc<Policy>, String) {
    let p = ffi::preclear_policy_new();
    let mut twin = Policy::new();
    for src in SEEDS[i] {
        let mut err = ptr::null_mut();
        let (rc, want) = match src {
            Src::Bundled(name) => {
                let c = CString::new(*name).expect("no NUL");
                let rc =
                    ffi::preclear_policy_add_bundled(p, c.as_ptr(), &mut err);
                (rc, twin.add_bundled(name).map(|_| ()))
            }
            Src::Toml(text) => {
                let rc = ffi::preclear_policy_add_toml(
                    p,
                    text.as_ptr().cast(),
                    text.len(),
                    &mut err,
                );
                (rc, twin.add_toml("<toml>", text).map(|_| ()))
            }
        };
        let e = (!err.is_null()).then_some(err.cast_const());
        let want = want.map_or_else(Want::Lib, |()| Want::Ok);
        agree("seed", rc == 0, e, &want);
        assert!(matches!(want, Want::Ok), "seed {i} does not load");
    }
    let fp = twin.fingerprint();
    (p as usize, Rc::new(twin), fp)
}

/// Seed policy `i` (modulo their number): the C handle, which stays the
/// cache's (never freed nor added to by a program), its twin and its
/// fingerprint.
pub(super) fn seed(i: u8) -> (*mut preclear_policy, Rc<Policy>, String) {
    let i = usize::from(i) % SEEDS.len();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        // SAFETY: fixed, valid arguments; the handle is kept until exit.
        let (p, twin, fp) =
            c.seeds.entry(i).or_insert_with(|| unsafe { build_seed(i) });
        (*p as *mut preclear_policy, twin.clone(), fp.clone())
    })
}

/// The cached screener for `key`, if any: the C handle and the twin.
pub(super) fn cached(key: &Key) -> Option<(*mut preclear_screener, Screener)> {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let now = c.clock;
        c.screeners.get_mut(key).map(|k| {
            k.used = now;
            (k.ptr as *mut preclear_screener, k.twin.clone())
        })
    })
}

/// Keeps a screener the C ABI compiled (and its twin) for later inputs.
pub(super) fn keep(key: Key, ptr: *mut preclear_screener, twin: Screener) {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let used = c.clock;
        c.screeners.insert(key, Kept { ptr: ptr as usize, twin, used });
    })
}

/// Between inputs: the least recently used screeners go, down to
/// [`SCREENERS`]. None is lent to a program then.
pub(super) fn trim() {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        c.clock += 1;
        while c.screeners.len() > SCREENERS {
            let oldest = c
                .screeners
                .iter()
                .min_by_key(|(_, k)| k.used)
                .map(|(key, _)| key.clone())
                .expect("not empty");
            if let Some(k) = c.screeners.remove(&oldest) {
                // SAFETY: a live screener the cache owns, lent to no
                // program (this runs between inputs).
                unsafe { ffi::preclear_screener_free(k.ptr as *mut _) };
            }
        }
    });
}

/// At exit, the thread's cache goes: its screeners and seeds with it, or
/// LeakSanitizer would report them.
impl Drop for Cache {
    fn drop(&mut self) {
        // SAFETY: handles the cache owns; no program runs any more.
        unsafe {
            for (_, k) in self.screeners.drain() {
                ffi::preclear_screener_free(k.ptr as *mut _);
            }
            for (_, (p, ..)) in self.seeds.drain() {
                ffi::preclear_policy_free(p as *mut _);
            }
        }
    }
}
