//! Policy calls: `add_bundled`, `add_toml` and `add_file` on the
//! program's own policies, each checked against its Rust twin.

use std::ffi::CString;
use std::ptr;
use std::rc::Rc;

use preclear::ffi;
use preclear::{bundled_names, Pack, Policy};

use super::args::{
    asks_big, bytes_of, c_string, is_big, with_err, Buf, ErrArg, Name,
    PathArg, PACKS,
};
use super::twin::{self, agree, Want};
use super::State;

/// Big packs (bundled, or extending one) an input may load: each takes
/// tens of milliseconds under ASan, twice (the C ABI and the twin).
const MAX_BIG: usize = 1;

/// A pack source the fuzzer may hand to the C ABI: it must not name
/// files in `extends` (they would be read from the current directory).
fn reads_no_files(src: &[u8]) -> bool {
    // Parsing is slow under ASan: only when there may be an `extends`.
    if !src.windows(7).any(|w| w == b"extends") {
        return true;
    }
    let Ok(s) = std::str::from_utf8(src) else { return true };
    match Pack::from_toml("<toml>", s) {
        Ok(p) => p.extends().all(|e| bundled_names().any(|b| b == e)),
        Err(_) => true,
    }
}

impl State {
    /// Policy `i` for a call that adds to it: the slot and handle, or
    /// None when it is a seed (the cache's, shared by every input: the
    /// call is not made).
    fn policy_to_add(
        &self,
        i: u8,
    ) -> Option<(Option<usize>, *mut ffi::preclear_policy)> {
        let (k, p) = self.policy_ptr(i);
        match k {
            Some(k) if self.policies[k].lent => None,
            _ => Some((k, p)),
        }
    }

    /// Whether this input may load one more big pack, counting it.
    fn take_big(&mut self, asked: bool) -> bool {
        let ok = asked && self.big < MAX_BIG;
        self.big += usize::from(ok);
        ok
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
        self.policies[k].fp = None;
        let twin = Rc::make_mut(&mut self.policies[k].twin);
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

    pub(super) unsafe fn add_bundled(
        &mut self,
        i: u8,
        name: &Name,
        arg: ErrArg,
    ) {
        let Some((k, p)) = self.policy_to_add(i) else { return };
        let owned: Option<CString> = match name {
            Name::Null => None,
            Name::Bundled(b, big) => {
                let names: Vec<&str> = bundled_names().collect();
                let name = names[usize::from(*b) % names.len()];
                let real = k.is_some() && self.take_big(asks_big(*big));
                let name = if real { name } else { &name[..name.len() - 1] };
                Some(CString::new(name).expect("no NUL"))
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

    pub(super) unsafe fn add_toml(
        &mut self,
        i: u8,
        buf: &Buf,
        big: u8,
        arg: ErrArg,
    ) {
        let Some((k, p)) = self.policy_to_add(i) else { return };
        let big =
            is_big(&buf.bytes) && k.is_some() && self.take_big(asks_big(big));
        let data = bytes_of(&buf.bytes, PACKS, big);
        let len = buf.len(&data);
        let data = &data[..len];
        // Cutting may have dropped the end of `extends`.
        if !reads_no_files(data) {
            return;
        }
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

    pub(super) unsafe fn add_file(
        &mut self,
        i: u8,
        path: &PathArg,
        arg: ErrArg,
    ) {
        let Some((k, p)) = self.policy_to_add(i) else { return };
        let owned = match path {
            PathArg::Null => None,
            PathArg::Missing(n) => Some(
                CString::new(format!("/nonexistent-preclear-fuzz/{n}.toml"))
                    .expect("no NUL"),
            ),
            PathArg::NotUtf8(v) => {
                let mut v: Vec<u8> =
                    v.iter().copied().filter(|&b| b != 0).take(16).collect();
                v.push(0xff);
                Some(CString::new(v).expect("no NUL"))
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
}
