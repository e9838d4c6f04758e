//! Screening and verdict calls: `preclear_screen` (also from two threads
//! at once), reasons through the struct and the accessors, JSON and
//! redaction, each checked against the twin's verdict.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::sync::mpsc;

use preclear::ffi;

use super::args::{
    bytes_of, c_string, index_in, with_err, Buf, ErrArg, IdArg, PostArg,
};
use super::twin::{self, agree, opt_str, VerdictH, Want};
use super::{slot, Op, State};
use crate::POSTS;

/// A `Send` wrapper so two threads may share a screener, which the
/// contract allows.
#[derive(Clone, Copy)]
struct Shared(*const ffi::preclear_screener);
unsafe impl Send for Shared {}

/// Screens `post` on `s` through the C ABI: the verdict's JSON, or None
/// (over a small size limit).
///
/// # Safety
/// `s` is NULL or a live screener, for the whole call.
unsafe fn screen_json(s: Shared, post: &str) -> Option<String> {
    let v = ffi::preclear_screen(
        s.0,
        post.as_ptr().cast(),
        post.len(),
        ptr::null_mut(),
    );
    if v.is_null() {
        return None;
    }
    let j = ffi::preclear_verdict_to_json(v, c"t".as_ptr());
    let json = CStr::from_ptr(j).to_str().expect("UTF-8 JSON").to_owned();
    ffi::preclear_string_free(j);
    ffi::preclear_verdict_free(v);
    Some(json)
}

type Job = (Shared, &'static str, mpsc::Sender<Option<String>>);

thread_local! {
    /// The second thread of `ScreenTwice`: one for the whole run, since
    /// starting a thread per call cost more than the rest of an input
    /// under ASan. (Replaced if a failed check killed it.)
    static OTHER: RefCell<Option<mpsc::Sender<Job>>> =
        const { RefCell::new(None) };
}

/// Starts screening `post` on `s` on the other thread; the answer comes
/// on the receiver. The caller waits for it before `s` may be freed.
fn other_thread(
    s: Shared,
    post: &'static str,
) -> mpsc::Receiver<Option<String>> {
    let (tx, rx) = mpsc::channel();
    OTHER.with(|o| {
        let mut o = o.borrow_mut();
        let mut job = (s, post, tx);
        if let Some(w) = o.as_ref() {
            match w.send(job) {
                Ok(()) => return,
                Err(mpsc::SendError(back)) => job = back,
            }
        }
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::spawn(move || {
            for (s, post, answer) in queue {
                // SAFETY: the sender waits for the answer before it may
                // free the screener; the contract lets threads share it.
                let json = unsafe { screen_json(s, post) };
                let _ = answer.send(json);
            }
        });
        jobs.send(job).expect("a new thread");
        *o = Some(jobs);
    });
    rx
}

impl State {
    pub(super) unsafe fn screen(&mut self, i: u8, buf: &Buf, arg: ErrArg) {
        let data = bytes_of(&buf.bytes, POSTS, false);
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

    /// Two threads screen one post on one screener at once: once per
    /// input (three screenings, of which the twin's; more would make it
    /// most of the fuzzer's time and find nothing new).
    pub(super) unsafe fn screen_twice(&mut self, i: u8, post: u8) {
        let Some(k) = slot(i, self.screeners.len()) else { return };
        if std::mem::replace(&mut self.twice, true) {
            return;
        }
        let s = Shared(self.screeners[k].ptr);
        let post = POSTS[usize::from(post) % POSTS.len()];
        let there = other_thread(s, post);
        let here = screen_json(s, post);
        let there = there.recv().expect("the other thread panicked");
        assert_eq!(here, there, "two threads disagree on {post:?}");
        let twin = self.screeners[k].twin.screen(post).ok();
        assert_eq!(here, twin.map(|v| v.to_json("t")));
    }

    pub(super) unsafe fn verdict_op(&mut self, op: &Op) {
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
}
