//! Heap allocations while screening, counted by a global allocator (its own
//! test binary, so no other test shares the allocator).
//!
//! Once a thread's scratch buffers have grown (the first screening of a
//! post that size), a post without findings allocates nothing, and a post
//! with findings allocates only its verdict: the reason list, each
//! excerpt, and each note added to a message. Counts are deterministic;
//! times are not, so no time is asserted here (see benches/).
//!
//! Not covered: a post with a link allocates while its host is put in IDNA
//! form and compared by skeleton (`link.rs`), findings or not.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use preclear::{Policy, Screener, Verdict};

struct Counting;

thread_local! {
    // Per thread: the test harness runs tests on several threads.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: passed on under the caller's `GlobalAlloc` contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: passed on under the caller's `GlobalAlloc` contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(
        &self,
        ptr: *mut u8,
        layout: Layout,
        new_size: usize,
    ) -> *mut u8 {
        count();
        // SAFETY: passed on under the caller's `GlobalAlloc` contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: passed on under the caller's `GlobalAlloc` contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The allocations `f` makes on this thread, and its result.
fn counted<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (ALLOCATIONS.with(Cell::get) - before, out)
}

fn screener(packs: &[&str]) -> Screener {
    let mut policy = Policy::new();
    for p in packs {
        policy.add(p).expect("pack loads");
    }
    Screener::new(&policy).expect("policy compiles")
}

/// Screens `post` once to warm the thread's buffers, then again counting.
fn warm_count(s: &Screener, post: &str) -> (usize, Verdict) {
    s.screen(post).expect("post within the size limit");
    counted(|| s.screen(post).expect("post within the size limit"))
}

/// What the verdict itself holds on the heap: the reason list (if any
/// reason), and per reason its excerpt and its note, if any.
fn verdict_allocations(v: &Verdict, rule_messages: &[(&str, &str)]) -> usize {
    let reasons = v.reasons();
    if reasons.is_empty() {
        return 0;
    }
    let own = |r: &preclear::Reason| {
        // A reason whose message differs from its rule's carries a note
        // (its own string).
        let plain = rule_messages
            .iter()
            .find(|(id, _)| *id == r.rule())
            .is_some_and(|(_, m)| *m == r.message());
        // A near rule's reason also lists the concepts it matched.
        usize::from(r.excerpt().is_some())
            + usize::from(!plain)
            + usize::from(!r.concepts().is_empty())
    };
    1 + reasons.iter().map(own).sum::<usize>()
}

const CLEAN: &[&str] = &[
    "Our new branch on Elm Street opens Monday at 9am! Coffee and pastries \
     are on us all week, and the first 50 visitors get a free tote bag.",
    "Spring is here \u{1f337} and so are the new opening hours at the Oak \
     Road branch: Saturday 9:00\u{2013}13:00. Caf\u{e9} au lait on us \
     \u{2615}",
    "\u{41c}\u{44b} \u{43e}\u{442}\u{43a}\u{440}\u{44b}\u{432}\u{430}\u{435}\
     \u{43c}\u{441}\u{44f} \u{432} \u{43f}\u{43e}\u{43d}\u{435}\u{434}\u{435}\
     \u{43b}\u{44c}\u{43d}\u{438}\u{43a} (we open on Monday).",
    "",
    // The bank's gram rule fires on it, and its stance drops the hit (the
    // question is someone else's): the rule's scratch is reused too.
    "A client asked me if there is no way to lose money with this fund.",
];

#[test]
fn a_post_without_findings_allocates_nothing() {
    let long = CLEAN[0].repeat(150);
    for packs in [&["base"][..], &["financial-institution"], &["music-label"]]
    {
        let s = screener(packs);
        for post in CLEAN.iter().copied().chain([long.as_str()]) {
            let (n, v) = warm_count(&s, post);
            assert!(v.reasons().is_empty(), "{packs:?}: {post:?} is clean");
            assert_eq!(n, 0, "{packs:?}: {n} allocations for {post:?}");
        }
    }
}

#[test]
fn a_post_with_findings_allocates_only_its_verdict() {
    let cases: &[(&[&str], &str, usize)] = &[
        (
            &["financial-institution"],
            "Please charge card 4111 1111 1111 1111 today",
            1,
        ),
        (
            &["financial-institution"],
            "Wire it to DE89 3704 0044 0532 0130 00 and our fund is \
             guaranteed to double your money, risk-free!",
            3,
        ),
        // A required rule's reason has no span but a note.
        (&["music-label"], "Gifted by SoundCo, use my code NOVA10", 1),
    ];
    for &(packs, post, at_least) in cases {
        let s = screener(packs);
        let mut policy = Policy::new();
        for p in packs {
            policy.add(p).expect("pack loads");
        }
        let effective = policy.effective().expect("policy layers");
        let messages: Vec<(&str, &str)> = effective
            .rules
            .iter()
            .map(|r| (r.rule.id.as_str(), r.rule.message.as_str()))
            .collect();
        let (n, v) = warm_count(&s, post);
        assert!(
            v.reasons().len() >= at_least,
            "{packs:?}: {post:?} has {} reasons",
            v.reasons().len()
        );
        assert_eq!(
            n,
            verdict_allocations(&v, &messages),
            "{packs:?}: {post:?}: {:?}",
            v.reasons()
        );
    }
}
