"""Times preclear's Python API and Presidio's pattern recognizers in one
Python process, on the same posts, and prints a Markdown table.

    python_bench.py [--repeat N] [--max-bytes N] DIR

DIR holds `latency.jsonl` and `posts.jsonl` as `time_posts write DIR`
writes them (`cargo run --release --example time_posts -- write DIR
--mib 5`): the financial-institution latency posts of `cargo bench` and
the throughput text cut into posts of at most 2 KB. The Python needs both
packages: `pip install ./bindings/python presidio-analyzer`.

Every post is screened once untimed, then --repeat times timed (in the
thread's CPU time unless --clock wall), one call at a time on one thread (`Screener.screen`, and Presidio's
`AnalyzerEngine.analyze` with its no-op NLP engine and the four
recognizers preclear's financial-institution pack covers: like for like,
as in presidio_bench.py). Per post the median; per file the median of
those and MB/s as bytes over their sum. `screen_many` (all cores, the
GIL released) and a loop of `screen` are timed over the bulk posts as a
whole (wall time), best of --repeat.
"""

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from presidio_bench import analyzer, read  # noqa: E402 (the peer's setup)


def per_post(call, posts, repeat, clock):
    """Median µs per post and MB/s (bytes over the sum of the medians)."""
    for _, text in posts:  # warm-up
        call(text)
    medians = []
    for _, text in posts:
        times = []
        for _ in range(repeat):
            t = clock()
            call(text)
            times.append((clock() - t) / 1e3)
        medians.append(statistics.median(times))
    size = sum(len(t.encode("utf-8")) for _, t in posts)
    return {
        "by_id": {pid: m for (pid, _), m in zip(posts, medians)},
        "median_us": statistics.median(medians),
        "mb_per_s": size / sum(medians),
        "bytes": size,
    }


def fmt_us(us):
    return f"{us:,.1f}" if us < 100 else f"{us:,.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--max-bytes", type=int, default=5 << 20,
                    help="bytes of posts.jsonl to use (default 5 MiB)")
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                    help="per-call times in this thread's CPU time (default:"
                    " what other processes take on a shared machine does not"
                    " count) or wall time")
    ap.add_argument("dir")
    args = ap.parse_args()
    clock = time.thread_time_ns if args.clock == "cpu" else time.perf_counter_ns

    import preclear
    from importlib.metadata import version

    policy = preclear.Policy().add_bundled("financial-institution")
    screener = preclear.Screener(policy)
    engine, wanted = analyzer("financial")

    def presidio(text):
        return engine.analyze(text=text, entities=wanted, language="en")

    latency = read(os.path.join(args.dir, "latency.jsonl"), 0)
    bulk = read(os.path.join(args.dir, "posts.jsonl"), args.max_bytes)
    # Latency posts are few: more repeats for stable medians.
    rows = {
        "preclear (Python API, `Screener.screen`)": (
            per_post(screener.screen, latency, args.repeat * 40, clock),
            per_post(screener.screen, bulk, args.repeat, clock)),
        f"Presidio {version('presidio-analyzer')}, {', '.join(wanted)}": (
            per_post(presidio, latency, args.repeat * 4, clock),
            per_post(presidio, bulk, args.repeat, clock)),
    }

    # Wall time over the bulk posts, best of --repeat: a loop of `screen`
    # against one `screen_many` call (wall time counts what other
    # processes take from the cores; the per-post medians above do not).
    texts = [t for _, t in bulk]
    size = sum(len(t.encode("utf-8")) for t in texts)

    def wall(run):
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - t)
        return size / best / 1e6

    loop_mb_s = wall(lambda: [screener.screen(t) for t in texts])
    many_mb_s = wall(lambda: screener.screen_many(texts))

    ids = [pid for pid, _ in latency]
    sizes = {pid: len(t.encode("utf-8")) for pid, t in latency}
    print(f"Python {sys.version.split()[0]}, preclear "
          f"{preclear.__version__}; {os.cpu_count()} CPUs; "
          f"{len(bulk):,} bulk posts, {size / 1e6:.1f} MB; per-call "
          f"{args.clock} time.")
    print()
    print("| | " + " | ".join(f"{i} ({sizes[i]} B)" for i in ids)
          + " | bulk: µs a post | bulk MB/s |")
    print("|---|" + "---|" * (len(ids) + 2))
    for name, (lat, blk) in rows.items():
        cells = [fmt_us(lat["by_id"][i]) for i in ids]
        print(f"| {name} | " + " | ".join(cells)
              + f" | {fmt_us(blk['median_us'])} | {blk['mb_per_s']:.1f} |")
    blank = " | ".join([""] * (len(ids) + 1))
    print(f"| preclear, a loop of `screen`, wall time | {blank} | "
          f"{loop_mb_s:.1f} |")
    print(f"| preclear, one `screen_many` (every core), wall time | {blank} | "
          f"{many_mb_s:.1f} |")
    print()
    (pl, pb), (ql, qb) = rows.values()
    tweet = [i for i in ids if "tweet" in i]
    ratio_tweet = statistics.median(ql["by_id"][i] / pl["by_id"][i]
                                    for i in tweet) if tweet else float("nan")
    print(f"From Python, preclear is {ratio_tweet:.0f}× faster per tweet "
          f"(median over the tweets) and has "
          f"{pb['mb_per_s'] / qb['mb_per_s']:.1f}× Presidio's throughput on "
          f"the bulk posts, one thread; screen_many is "
          f"{many_mb_s / loop_mb_s:.2f}× a loop of screen (wall time).")
    out = os.path.join(args.dir, "python_bench.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({name: {"latency": lat, "bulk": blk}
                   for name, (lat, blk) in rows.items()}, f)


if __name__ == "__main__":
    main()
