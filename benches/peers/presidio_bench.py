"""Times Microsoft Presidio's analyzer on the posts preclear's benches use,
and prints the peer comparison.

    presidio_bench.py time [--entities financial|patterns] [--repeat N]
                           [--max-bytes N] FILE.jsonl
    presidio_bench.py report --planted planted.json --cli cli.json RESULT...

`time` builds an AnalyzerEngine with the no-op NLP engine (no spaCy model:
only self-contained recognizers run), analyzes every post once untimed,
then --repeat times timed (default 1), and prints one JSON object in the
shape `time_posts time` prints for preclear: the median over posts of each
post's median time, throughput (bytes over the sum of those medians) and
the entities found. --entities picks the recognizers:

- financial: the PII preclear's financial-institution pack looks for
  (CREDIT_CARD, US_SSN, IBAN_CODE, US_BANK_NUMBER) — like for like;
- patterns: every predefined English PatternRecognizer (PhoneRecognizer,
  built on the phonenumbers library rather than patterns, is left out: it
  alone costs milliseconds a post).

`report` reads those JSON objects (and preclear's) and prints Markdown.
"""

import argparse
import json
import statistics
import sys
import time

FINANCIAL = ["CREDIT_CARD", "US_SSN", "IBAN_CODE", "US_BANK_NUMBER"]


def analyzer(entities):
    """An AnalyzerEngine without an NLP model, and the entities to ask."""
    from presidio_analyzer import (
        AnalyzerEngine,
        PatternRecognizer,
        RecognizerRegistry,
    )
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "no_op",
            "models": [{"lang_code": "en", "model_name": "no_op"}],
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    # Pattern recognizers only: see the module's docstring.
    registry.recognizers = [
        r for r in registry.recognizers if isinstance(r, PatternRecognizer)
    ]
    engine = AnalyzerEngine(
        registry=registry, nlp_engine=nlp, supported_languages=["en"]
    )
    if entities == "financial":
        wanted = FINANCIAL
    else:
        wanted = sorted(
            {e for r in registry.recognizers for e in r.supported_entities}
        )
    return engine, wanted


def read(path, max_bytes):
    posts, total = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            size = len(rec["text"].encode("utf-8"))
            if max_bytes and posts and total + size > max_bytes:
                break
            posts.append((rec.get("id", str(len(posts) + 1)), rec["text"]))
            total += size
    return posts


def cmd_time(args):
    import presidio_analyzer  # noqa: F401 (fail early, with a clear error)
    from importlib.metadata import version

    engine, wanted = analyzer(args.entities)
    posts = read(args.file, args.max_bytes)

    def analyze(text):
        return engine.analyze(text=text, entities=wanted, language="en")

    found = {}
    for _, text in posts:  # untimed: warm-up, and what it finds
        for r in analyze(text):
            found[r.entity_type] = found.get(r.entity_type, 0) + 1

    per_post, medians = [], []
    clock = time.perf_counter_ns
    for pid, text in posts:
        times = []
        for _ in range(args.repeat):
            t = clock()
            analyze(text)
            times.append((clock() - t) / 1e3)
        m = statistics.median(times)
        medians.append(m)
        per_post.append(
            {"id": pid, "bytes": len(text.encode("utf-8")), "median_us": m}
        )
    size = sum(p["bytes"] for p in per_post)
    json.dump(
        {
            "tool": "presidio-analyzer " + version("presidio-analyzer"),
            "config": args.entities,
            "entities": wanted,
            "file": args.file,
            "posts": len(posts),
            "bytes": size,
            "repeat": args.repeat,
            "median_us": statistics.median(medians),
            "mb_per_s": size / sum(medians),
            "findings": found,
            "per_post": per_post,
        },
        sys.stdout,
    )
    print()


def fmt_us(us):
    return f"{us:,.1f}" if us < 100 else f"{us:,.0f}"


def cmd_report(args):
    results = []
    for path in args.results:
        with open(path, encoding="utf-8") as f:
            results.append(json.load(f))
    with open(args.planted, encoding="utf-8") as f:
        planted = json.load(f)
    with open(args.cli, encoding="utf-8") as f:
        cli = json.load(f)

    def label(r):
        if r["tool"] == "preclear":
            return f"preclear (library, {r['config']})"
        if r["config"] == "financial":
            return f"{r['tool']}: {', '.join(FINANCIAL)}"
        n = len(r["entities"])
        return f"{r['tool']}: every English pattern recognizer ({n} entities)"

    latency = [r for r in results if r["file"].endswith("latency.jsonl")]
    bulk = [r for r in results if r["file"].endswith("posts.jsonl")]
    ids = [p["id"] for p in latency[0]["per_post"]] if latency else []
    sizes = {}
    if latency:
        sizes = {p["id"]: p["bytes"] for p in latency[0]["per_post"]}

    print("Per-post latency, median µs (one call at a time, one thread):")
    print()
    print("| tool | " + " | ".join(f"{i} ({sizes[i]} B)" for i in ids) + " |")
    print("|---|" + "---|" * len(ids))
    for r in latency:
        by_id = {p["id"]: p["median_us"] for p in r["per_post"]}
        cells = [fmt_us(by_id[i]) if i in by_id else "—" for i in ids]
        print(f"| {label(r)} | " + " | ".join(cells) + " |")
    print()
    print(
        f"Bulk: the throughput text cut into ≤ 2 KB posts "
        f"({planted['posts']:,} posts, {planted['bytes'] / 1e6:.1f} MB; "
        f"planted {json.dumps(planted['want'])}); MB/s is bytes over the "
        f"sum of each post's median time, the CLI's is its wall time "
        f"(process start and JSON included), best of three:"
    )
    print()
    print("| tool | posts | MB | median µs/post | MB/s | found |")
    print("|---|---|---|---|---|---|")
    for r in bulk:
        print(
            f"| {label(r)} | {r['posts']:,} | {r['bytes'] / 1e6:.1f} | "
            f"{fmt_us(r['median_us'])} | {r['mb_per_s']:.2f} | "
            f"{json.dumps(r['findings'], sort_keys=True)} |"
        )
    cli_mb_s = cli["bytes"] / cli["seconds"] / 1e6
    print(
        f"| preclear CLI `{cli['command']}` | {planted['posts']:,} | "
        f"{cli['bytes'] / 1e6:.1f} | — | {cli_mb_s:.2f} "
        f"| exit {cli['status']} |"
    )
    print()
    pre = [r for r in bulk if r["tool"] == "preclear"]
    pres = [r for r in bulk if r["tool"] != "preclear"]
    for p in pres:
        for q in pre:
            print(
                f"preclear is {p['median_us'] / q['median_us']:,.0f}× faster "
                f"per post and {q['mb_per_s'] / p['mb_per_s']:,.0f}× the "
                f"throughput of {label(p)}"
            )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("--entities", choices=["financial", "patterns"],
                   default="financial")
    t.add_argument("--repeat", type=int, default=1)
    t.add_argument("--max-bytes", type=int, default=0)
    t.add_argument("file")
    r = sub.add_parser("report")
    r.add_argument("--planted", required=True)
    r.add_argument("--cli", required=True)
    r.add_argument("results", nargs="+")
    args = ap.parse_args()
    if args.cmd == "time":
        cmd_time(args)
    else:
        cmd_report(args)


if __name__ == "__main__":
    main()
