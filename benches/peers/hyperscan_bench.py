"""The Hyperscan and per-post Presidio rows of the performance issue:
preclear's command line against Intel Hyperscan (scan only) on documents,
and against Presidio per post. Driven by `benches/peers/hyperscan.sh`.

    hyperscan_bench.py docs IN.jsonl OUT.jsonl [--max-bytes N]
    hyperscan_bench.py repeat IN.jsonl OUT.jsonl --times N [--ids A,B]
    hyperscan_bench.py head IN.jsonl OUT.jsonl --max-bytes N
    hyperscan_bench.py cli [--runs N] [--expect S] FILE -- COMMAND...
    hyperscan_bench.py scan --rules DIR --literals SET [--runs N] FILE
    hyperscan_bench.py instructions --rules DIR FILE -- COMMAND...
    hyperscan_bench.py report WORK

`docs` joins the throughput text's ≤ 2 KB posts back into posts of at
most 1 MiB (whole lines: `time_posts` cut the text at line ends and the
posts are joined with the newline it dropped). `repeat` writes every post
(or those named) N times in turn with fresh ids, so that a command line's
start-up is shared by many posts; `head` keeps the first posts up to a
size.

`cli` runs COMMAND with FILE on stdin and stdout to /dev/null, --runs
times (default 3), and prints the best wall time, the CPU time (user and
system, from the children's rusage) of that run and the median wall time.
The first run is untimed (page cache, binary loaded).

`scan` compiles one Hyperscan block-mode database (outside the timing) of
the financial-institution pack's literals and four shape regexes (card,
SSN, IBAN, routing number), all CASELESS | SOM_LEFTMOST, then scans each
post's text (UTF-8 bytes, encoded outside the timing) with one `scan`
call per post, --runs times, first without a match handler (Hyperscan's
own cost: the scan-only figure), then with one that counts matches (what
a Python caller pays per match); best and median wall, and CPU time of
the best run. --literals picks the literals:

- terms: the pack's `terms` rules (the issue's "about 200 literals");
- pack: those and the pack's concept lists (the terms its `near` rules
  combine);
- policy: those and the same lists of `base`, which the pack extends.

Literals are escaped and matched anywhere (no word boundaries, no
inflections): scan-only is a lower bound on what a screener must do.

`instructions` counts with callgrind what COMMAND (preclear on stdin)
executes on FILE's first post beyond its start-up (the run on an empty
input), and what one Hyperscan `scan` of that text executes (`scan-once`
run 3 times less once), for the `terms` and `pack` literals.

`report` prints the Markdown tables from the JSON files in WORK.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tomllib

# Simple shapes, Hyperscan-compatible (no back-references, no lookaround):
# what a scan-only filter would run for the pack's four number rules.
SHAPES = {
    "card": rb"\b\d(?:[ -]?\d){11,18}\b",
    "ssn": rb"\b\d{3}[ -]\d{2}[ -]\d{4}\b",
    "iban": rb"\b[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?\b",
    "routing": rb"\b\d{9}\b",
}


def posts_of(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def write_posts(path, posts):
    with open(path, "w", encoding="utf-8") as f:
        for p in posts:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")


def cmd_docs(args):
    def docs():
        buf, size, n = [], 0, 0
        for p in posts_of(args.input):
            b = len(p["text"].encode("utf-8"))
            if buf and size + 1 + b > args.max_bytes:
                n += 1
                yield {"id": f"doc-{n:03d}", "text": "\n".join(buf)}
                buf, size = [], 0
            size += b + (1 if buf else 0)
            buf.append(p["text"])
        if buf:
            yield {"id": f"doc-{n + 1:03d}", "text": "\n".join(buf)}

    write_posts(args.output, docs())


def cmd_repeat(args):
    posts = list(posts_of(args.input))
    if args.ids:
        wanted = args.ids.split(",")
        posts = [p for p in posts if p["id"] in wanted]
        if len(posts) != len(wanted):
            sys.exit(f"repeat: not all of {wanted} in {args.input}")

    def copies():
        for i in range(args.times):
            for p in posts:
                yield {"id": f"{p['id']}-{i:06d}", "text": p["text"]}

    write_posts(args.output, copies())


def cmd_head(args):
    def head():
        total = 0
        for p in posts_of(args.input):
            total += len(p["text"].encode("utf-8"))
            if total > args.max_bytes:
                return
            yield p

    write_posts(args.output, head())


def text_bytes(path):
    """Posts and bytes of text (what both tools screen; not the JSON)."""
    n = size = 0
    for p in posts_of(path):
        n += 1
        size += len(p["text"].encode("utf-8"))
    return n, size


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def command_of(args):
    return args.command[1:] if args.command[:1] == ["--"] else args.command


def cmd_cli(args):
    command = command_of(args)
    walls, cpus, statuses = [], [], set()
    for run in range(args.runs + 1):
        with open(args.file, "rb") as stdin:
            cpu0, t0 = children_cpu(), time.perf_counter()
            done = subprocess.run(command, stdin=stdin,
                                  stdout=subprocess.DEVNULL)
            wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
        statuses.add(done.returncode)
        if run:  # the first run only warms caches
            walls.append(wall)
            cpus.append(cpu)
    if statuses != {args.expect}:
        sys.exit(f"cli: {command} exited {statuses}, expected {args.expect}")
    posts, size = text_bytes(args.file)
    best = min(range(len(walls)), key=walls.__getitem__)
    json.dump({
        "command": " ".join(os.path.basename(c) if i == 0 else c
                            for i, c in enumerate(command)),
        "file": os.path.basename(args.file),
        "posts": posts,
        "bytes": size,
        "file_bytes": os.path.getsize(args.file),
        "runs": args.runs,
        "wall_s": walls[best],
        "cpu_s": cpus[best],
        "median_wall_s": statistics.median(walls),
        "status": done.returncode,
    }, sys.stdout)
    print()


def literals(rules, which):
    """The literals of `which` set, unique, in file order."""
    packs = ["financial-institution"] + (["base"] if which == "policy" else [])
    out = []
    for name in packs:
        with open(os.path.join(rules, name + ".toml"), "rb") as f:
            pack = tomllib.load(f)
        for rule in pack.get("rules", []):
            if rule.get("kind") == "terms":
                out += rule["terms"]
        if which != "terms":
            for concept in pack.get("concepts", {}).values():
                out += concept.get("terms", [])
    return list(dict.fromkeys(t.lower() for t in out))


def escape(term):
    """A literal as a Hyperscan (PCRE-syntax) expression."""
    return b"".join(
        bytes([c]) if chr(c).isalnum() or c >= 0x80 else b"\\x%02x" % c
        for c in term.encode("utf-8")
    )


def database(rules, which):
    """The Hyperscan database of `which` literals and the shapes."""
    import hyperscan

    terms = literals(rules, which)
    exprs = [escape(t) for t in terms] + list(SHAPES.values())
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=exprs, ids=list(range(len(exprs))),
               elements=len(exprs), flags=flags)
    return db, terms, exprs


def cmd_scan(args):
    from importlib.metadata import version

    t0 = time.perf_counter()
    db, terms, exprs = database(args.rules, args.literals)
    compile_s = time.perf_counter() - t0
    texts = [p["text"].encode("utf-8") for p in posts_of(args.file)]
    size = sum(map(len, texts))
    counts = [0] * len(exprs)

    def on_match(id_, start, end, flags, context):
        counts[id_] += 1

    def timed(handler):
        walls, cpus = [], []
        for run in range(args.runs + 1):
            counts[:] = [0] * len(exprs)
            cpu0, t0 = time.process_time(), time.perf_counter()
            for text in texts:
                db.scan(text, match_event_handler=handler)
            wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            if run:  # the first run only warms caches and scratch
                walls.append(wall)
                cpus.append(cpu)
        best = min(range(len(walls)), key=walls.__getitem__)
        return walls[best], cpus[best], statistics.median(walls)

    # Without a handler the binding's C callback only continues the scan:
    # Hyperscan's own cost. With one, each match also costs a Python call.
    bare = timed(None)
    wall, cpu, median = timed(on_match)
    n = len(terms)
    json.dump({
        "tool": "hyperscan " + version("hyperscan"),
        "literals": args.literals,
        "terms": n,
        "shapes": list(SHAPES),
        "file": os.path.basename(args.file),
        "posts": len(texts),
        "bytes": size,
        "runs": args.runs,
        "compile_s": compile_s,
        "wall_s": bare[0],
        "cpu_s": bare[1],
        "median_wall_s": bare[2],
        "counting_wall_s": wall,
        "counting_cpu_s": cpu,
        "counting_median_wall_s": median,
        "literal_matches": sum(counts[:n]),
        "shape_matches": dict(zip(SHAPES, counts[n:])),
    }, sys.stdout)
    print()


def cmd_scan_once(args):
    """Scans the first post --times times: callgrind's subject."""
    db, _, _ = database(args.rules, args.literals)
    text = next(posts_of(args.file))["text"].encode("utf-8")
    for _ in range(args.times):
        db.scan(text, match_event_handler=None)


def callgrind(command, stdin, out):
    """Instructions `command` executes (valgrind's callgrind)."""
    with open(stdin, "rb") as f:
        subprocess.run(["valgrind", "--tool=callgrind",
                        f"--callgrind-out-file={out}", *command],
                       stdin=f, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    with open(out, encoding="utf-8") as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    sys.exit(f"instructions: no totals in {out}")


def cmd_instructions(args):
    """Instructions per MiB on the first document, for both tools: the
    ratio that does not depend on the neighbours."""
    work = os.path.dirname(os.path.abspath(args.file))
    one = os.path.join(work, "first-doc.jsonl")
    with open(args.file, encoding="utf-8") as f, open(one, "w") as g:
        g.write(f.readline())
    empty = os.path.join(work, "empty.jsonl")
    open(empty, "w").close()
    cg = os.path.join(work, "callgrind.out")
    size = len(next(posts_of(one))["text"].encode("utf-8"))
    start = callgrind(command_of(args), empty, cg)
    cli = callgrind(command_of(args), one, cg) - start
    out = {"bytes": size, "cli_startup": start, "cli": cli}
    me = [sys.executable, os.path.abspath(__file__), "scan-once",
          "--rules", args.rules]
    for which in ["terms", "pack"]:
        runs = [callgrind(me + ["--literals", which, "--times", str(n),
                                one], empty, cg) for n in (1, 3)]
        out["hyperscan_" + which] = (runs[1] - runs[0]) // 2
    json.dump(out, sys.stdout)
    print()


def load_results(work):
    out = {}
    for name in sorted(os.listdir(work)):
        if name.endswith(".json") and name[0] in "dilp":
            with open(os.path.join(work, name), encoding="utf-8") as f:
                out[name[:-5]] = json.load(f)
    return out


def mb_s(r, key="wall_s"):
    return r["bytes"] / r[key] / 1e6


def docs_report(res):
    cli = {k: v for k, v in res.items() if k.startswith("d") and "-cli-" in k}
    hs = {k: v for k, v in res.items() if "-hyperscan-" in k}
    hs = dict(sorted(hs.items(), key=lambda kv: kv[1]["terms"]))
    some = next(iter(cli.values()))
    print(f"**Documents**: the throughput text, {some['bytes'] / 1e6:.1f} MB "
          f"of text as {some['posts']} posts of at most 1 MiB "
          f"({some['file_bytes'] / 1e6:.1f} MB of JSON Lines); wall time "
          f"best of {some['runs']} after an untimed run, CPU time (user + "
          f"system) of that run, MB/s of text:")
    print()
    print("| tool | wall s | CPU s | MB/s (wall) | MB/s (CPU) | "
          "MB/s counting matches in Python | found |")
    print("|---|---|---|---|---|---|---|")
    for r in cli.values():
        print(f"| preclear CLI `{r['command']}` | {r['wall_s']:.2f} | "
              f"{r['cpu_s']:.2f} | {mb_s(r):.1f} | {mb_s(r, 'cpu_s'):.1f} "
              f"| — | exit {r['status']} |")
    for r in hs.values():
        shapes = ", ".join(f"{k} {v}" for k, v in r["shape_matches"].items())
        print(f"| {r['tool']}, {r['terms']} literals ({r['literals']}) + 4 "
              f"shapes, compiled in {r['compile_s'] * 1e3:.0f} ms | "
              f"{r['wall_s']:.3f} | {r['cpu_s']:.3f} | {mb_s(r):,.0f} | "
              f"{mb_s(r, 'cpu_s'):,.0f} | {mb_s(r, 'counting_wall_s'):,.0f} "
              f"| {r['literal_matches']:,} literal matches; {shapes} |")
    print()
    print("Ratio, preclear CLI MB/s over Hyperscan's scan-only MB/s "
          "(wall; CPU):")
    print()
    print("| | " + " | ".join(
        f"Hyperscan, {r['terms']} literals" for r in hs.values()) + " |")
    print("|---|" + "---|" * len(hs))
    for r in cli.values():
        cells = [f"{mb_s(r) / mb_s(h):.3f}× ; "
                 f"{mb_s(r, 'cpu_s') / mb_s(h, 'cpu_s'):.3f}×"
                 for h in hs.values()]
        jobs = "--jobs 1" if "--jobs 1" in r["command"] else "default jobs"
        print(f"| CLI, {jobs} | " + " | ".join(cells) + " |")
    print()


def instructions_report(res):
    r = res.get("i-instructions")
    if not r:
        return
    mib = r["bytes"] / (1 << 20)

    def per_mib(n):
        return f"{n / mib / 1e6:,.1f} M"

    print(f"Instructions (callgrind: no neighbours in them) on the first "
          f"document ({r['bytes']:,} bytes): the command line "
          f"{per_mib(r['cli'])} a MiB (start-up, "
          f"{r['cli_startup'] / 1e6:,.1f} M, taken off), Hyperscan "
          f"{per_mib(r['hyperscan_terms'])} with the pack's terms and "
          f"{per_mib(r['hyperscan_pack'])} with its concept lists too (one "
          f"`scan` of the document, less its compile): ratios "
          f"**{r['hyperscan_terms'] / r['cli']:.3f}×** and "
          f"{r['hyperscan_pack'] / r['cli']:.3f}×.")
    print()


def per_post_report(res):
    empty = res["p0-cli-empty"]["wall_s"]
    latency = {p["id"]: p["median_us"]
               for p in res["p2-presidio-latency"]["per_post"]}
    bulk = res["p3-presidio-bulk"]

    def presidio(name):
        if name == "bulk":
            return sum(p["median_us"] for p in bulk["per_post"]) / len(
                bulk["per_post"])
        ids = [i for i in latency if name == "mix" or i.startswith(name)]
        return statistics.mean(latency[i] for i in ids)

    labels = {
        "tweet": "tweets, clean and hit (273, 280 B)",
        "post-2k": "2 KB posts, clean and hit",
        "thread-20k": "20 KB threads, clean and hit",
        "mix": "the six latency posts in turn",
        "bulk": "≤ 2 KB posts of the throughput text",
    }
    print(f"**Per post**: the command line (`--jobs 1`) over N posts, wall "
          f"time (best of 3) / N; its start-up (process, pack compile, "
          f"empty input) is {empty * 1e3:.1f} ms, shared by the N posts, "
          f"and the next column takes it off. Presidio "
          f"({bulk['tool']}, {', '.join(bulk['entities'])}): the mean over "
          f"the same posts of each post's median call "
          f"({res['p2-presidio-latency']['repeat']} calls for the latency "
          f"posts, {bulk['repeat']} for the throughput ones), one thread:")
    print()
    print("| posts | N | MB | CLI µs/post | CLI µs/post, start-up off | "
          "Presidio µs/post | Presidio / CLI | start-up off |")
    print("|---|---|---|---|---|---|---|---|")
    for name, label in labels.items():
        r = res[f"p1-cli-{name}"]
        n = r["posts"]
        cli, off = r["wall_s"] / n * 1e6, (r["wall_s"] - empty) / n * 1e6
        pres = presidio(name)
        print(f"| {label} | {n:,} | {r['bytes'] / 1e6:.1f} | {cli:,.1f} | "
              f"{off:,.1f} | {pres:,.1f} | **{pres / cli:,.1f}×** | "
              f"{pres / off:,.1f}× |")
    print()


def cmd_report(args):
    res = load_results(args.work)
    print(f"Load average before: {res['load-before']}; "
          f"after: {res['load-after']}.")
    print()
    docs_report(res)
    instructions_report(res)
    per_post_report(res)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("docs")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--max-bytes", type=int, default=1 << 20)
    p = sub.add_parser("repeat")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--times", type=int, required=True)
    p.add_argument("--ids")
    p = sub.add_parser("head")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--max-bytes", type=int, required=True)
    p = sub.add_parser("cli")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--expect", type=int, default=2)
    p.add_argument("file")
    p.add_argument("command", nargs=argparse.REMAINDER)
    p = sub.add_parser("scan")
    p.add_argument("--rules", required=True)
    p.add_argument("--literals", choices=["terms", "pack", "policy"],
                   default="pack")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("file")
    p = sub.add_parser("scan-once")
    p.add_argument("--rules", required=True)
    p.add_argument("--literals", choices=["terms", "pack", "policy"])
    p.add_argument("--times", type=int, default=1)
    p.add_argument("file")
    p = sub.add_parser("instructions")
    p.add_argument("--rules", required=True)
    p.add_argument("file")
    p.add_argument("command", nargs=argparse.REMAINDER)
    p = sub.add_parser("report")
    p.add_argument("work")
    args = ap.parse_args()
    globals()["cmd_" + args.cmd.replace("-", "_")](args)


if __name__ == "__main__":
    main()
