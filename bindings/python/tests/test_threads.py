"""screen_many and concurrent screen: same verdicts as one at a time, and
the GIL is released while preclear works (another Python thread runs)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import preclear
from support import NOW, generate_posts


class Ticker:
    """A Python thread that notes the time every millisecond or so: it can
    only run while no other thread holds the GIL."""

    def __init__(self):
        self.stamps = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.stamps.append(time.perf_counter())
            time.sleep(0.001)

    def __enter__(self):
        self._thread.start()
        while not self.stamps:  # running before the work starts
            time.sleep(0.001)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def ticks_within(self, start, end):
        """Stamps in the middle three fifths of [start, end]: none there
        means the thread never got the GIL during the call (the edges are
        left out: the call takes and gives back the GIL there)."""
        lo = start + (end - start) / 5
        hi = end - (end - start) / 5
        return sum(lo < s < hi for s in self.stamps)


def long_call(call, make_args, at_least=0.1):
    """Runs `call(make_args(n))` with n doubling until one call takes at
    least `at_least` seconds; returns (start, end, result) of that call.
    (The length only gives the other thread time to be scheduled; nothing
    asserts a speed.)"""
    n = 1
    while True:
        args = make_args(n)
        start = time.perf_counter()
        result = call(args)
        end = time.perf_counter()
        if end - start >= at_least or n >= 1 << 16:
            return start, end, result
        n *= 2


def as_json(verdicts, ids):
    return [v.to_json(i) for v, i in zip(verdicts, ids)]


def test_screen_many_equals_screen_one_at_a_time(fin):
    posts = generate_posts(3000, seed=7)
    ids = [i for i, _ in posts]
    texts = [t for _, t in posts]
    one_by_one = as_json([fin.screen(t) for t in texts], ids)
    assert as_json(fin.screen_many(texts), ids) == one_by_one
    # Any iterable, in input order.
    assert as_json(fin.screen_many(t for t in texts), ids) == one_by_one
    assert as_json(fin.screen_many(tuple(texts)), ids) == one_by_one
    assert fin.screen_many([]) == []
    # Each verdict keeps its own post for redact().
    for t, v in zip(texts[:200], fin.screen_many(texts[:200])):
        assert v.redact() == fin.screen(t).redact()
    # The corpus is mixed, not all clean.
    decisions = {v.decision for v in fin.screen_many(texts)}
    assert decisions == {"allow", "warn", "block"}


def test_screen_many_releases_the_gil(fin):
    texts = [t for _, t in generate_posts(500, seed=3)]
    with Ticker() as ticker:
        start, end, verdicts = long_call(
            fin.screen_many, lambda n: texts * n)
    assert len(verdicts) % len(texts) == 0
    assert ticker.ticks_within(start, end) > 0, (end - start)


def test_screen_releases_the_gil():
    policy = preclear.Policy().add_bundled("financial-institution")
    # Posts grow until one takes long enough: no size limit in the way.
    screener = preclear.Screener(policy, now=NOW, max_post_bytes=1 << 40)
    post = " ".join(t for _, t in generate_posts(200, seed=5))
    with Ticker() as ticker:
        start, end, verdict = long_call(screener.screen, lambda n: post * n)
    assert verdict.decision == "block"
    assert ticker.ticks_within(start, end) > 0, (end - start)


def test_concurrent_screen_from_a_thread_pool(fin):
    posts = generate_posts(2000, seed=11)
    ids = [i for i, _ in posts]
    texts = [t for _, t in posts]
    expected = as_json([fin.screen(t) for t in texts], ids)
    with Ticker() as ticker:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            # Each worker screens the same posts, interleaved with the others.
            runs = [pool.submit(lambda: as_json(list(map(fin.screen, texts)),
                                                ids))
                    for _ in range(8)]
            results = [r.result() for r in runs]
        end = time.perf_counter()
    for got in results:
        assert got == expected
    # The ticking thread kept running while the pool worked.
    assert ticker.ticks_within(start, end) > 0


def test_one_screener_many_policies_in_threads():
    """Screeners compiled in threads agree with one compiled on the main
    thread."""
    def build(_):
        policy = preclear.Policy().add_bundled("financial-institution")
        return preclear.Screener(policy, now=NOW)

    main = build(0)
    texts = [t for _, t in generate_posts(300, seed=13)]
    want = as_json(main.screen_many(texts), texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        screeners = list(pool.map(build, range(4)))
    for s in screeners:
        assert s.fingerprint == main.fingerprint
        assert as_json(s.screen_many(texts), texts) == want


def test_the_ticker_stops_while_a_call_holds_the_gil():
    """The control: during a long call that keeps the GIL (sorting floats
    runs no bytecode and never lets go), the ticking thread cannot run;
    so ticks during preclear's calls show that they let go."""
    import random

    floats = [random.random() for _ in range(10_000)]
    with Ticker() as ticker:
        start, end, _ = long_call(sorted, lambda n: floats * n)
    assert ticker.ticks_within(start, end) == 0
