#!/usr/bin/env python3
"""Validate the hand-written gold set and print its counts.

    python3 tests/data/gold/check.py            # checks posts/ and, if present, the split files

Checks, per line: valid JSON object with exactly the expected keys; `pack`
matches the file; `expect` is allow/warn/block; `lang` is en/es/de; `span`
is null or occurs verbatim in `text`; ids are unique across all packs and
carry the pack's prefix. Per pack: at least MIN_POSTS posts, violating
(warn+block) and harmless (allow) each within 45–55 %, and at least 15 % of
the posts in Spanish or German. If the split files exist, they must be
exactly the posts in posts/, each once, and agree with split.py.
Exit status 1 on any failure.
"""
import collections
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
PACKS = {"base": "base", "financial-institution": "fin", "music-label": "mus"}
KEYS = {"id", "pack", "voice", "lang", "class", "expect", "span", "text"}
EXPECT = {"allow", "warn", "block"}
LANGS = {"en", "es", "de"}
MIN_POSTS = 210

errors = []


def err(msg):
    errors.append(msg)


def load(path, pack):
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.relative_to(HERE)}:{n}"
        if not line.strip():
            err(f"{where}: empty line")
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"{where}: invalid JSON: {e}")
            continue
        if not isinstance(r, dict) or set(r) != KEYS:
            err(f"{where}: keys {sorted(r) if isinstance(r, dict) else type(r)} != {sorted(KEYS)}")
            continue
        if r["pack"] != pack:
            err(f"{where}: pack {r['pack']!r} in {pack}.jsonl")
        if not str(r["id"]).startswith(PACKS[pack] + "-"):
            err(f"{where}: id {r['id']!r} lacks prefix {PACKS[pack]}-")
        if r["expect"] not in EXPECT:
            err(f"{where}: expect {r['expect']!r}")
        if r["lang"] not in LANGS:
            err(f"{where}: lang {r['lang']!r}")
        for k in ("voice", "class", "text"):
            if not isinstance(r[k], str) or not r[k].strip():
                err(f"{where}: empty {k}")
        span = r["span"]
        if span is not None:
            if not isinstance(span, str) or not span:
                err(f"{where}: span must be null or a non-empty string")
            elif span not in r["text"]:
                err(f"{where}: span {span!r} not in text")
        if r["expect"] != "allow" and span is None:
            err(f"{where}: a violating post needs a span")
        rows.append(r)
    return rows


def main():
    posts = {}
    seen = {}
    for pack in PACKS:
        rows = load(HERE / "posts" / f"{pack}.jsonl", pack)
        posts[pack] = rows
        for r in rows:
            if r["id"] in seen:
                err(f"duplicate id {r['id']}")
            seen[r["id"]] = r
        texts = collections.Counter(r["text"] for r in rows)
        for t, c in texts.items():
            if c > 1:
                err(f"{pack}: the same text appears {c} times: {t[:60]!r}")

    print(f"{'pack':24} {'expect':6} {'en':>4} {'es':>4} {'de':>4} {'all':>5}")
    for pack, rows in posts.items():
        n = len(rows)
        for e in ("allow", "warn", "block"):
            by = collections.Counter(r["lang"] for r in rows if r["expect"] == e)
            print(f"{pack:24} {e:6} {by['en']:4} {by['es']:4} {by['de']:4} {sum(by.values()):5}")
        viol = sum(r["expect"] != "allow" for r in rows)
        other = sum(r["lang"] != "en" for r in rows)
        print(f"{pack:24} {'total':6} {'':14} {n:5}   violating {viol} ({100*viol/n:.0f}%), es/de {other} ({100*other/n:.0f}%)")
        if n < MIN_POSTS:
            err(f"{pack}: {n} posts < {MIN_POSTS}")
        if not 0.45 <= viol / max(n, 1) <= 0.55:
            err(f"{pack}: violating share {viol}/{n} outside 45–55 %")
        if other / max(n, 1) < 0.15:
            err(f"{pack}: Spanish/German share {other}/{n} < 15 %")

    # The split, when it has been written.
    if (HERE / "tune").exists() or (HERE / "holdout").exists():
        sys.path.insert(0, str(HERE))
        import split  # noqa: E402

        for pack, rows in posts.items():
            want = split.assign(rows)
            got = {}
            for part in (name for parts in split.PARTS.values() for name in parts):
                path = HERE / part / f"{pack}.jsonl"
                if not path.exists():
                    err(f"missing {path.relative_to(HERE)}")
                    continue
                for r in load(path, pack):
                    if r["id"] in got:
                        err(f"{pack}: {r['id']} in more than one split file")
                    got[r["id"]] = part
                    if r != seen.get(r["id"]):
                        err(f"{part}/{pack}.jsonl: {r['id']} differs from posts/")
            if got != want:
                err(f"{pack}: split files disagree with split.py (run it again)")
            counts = collections.Counter(got.values())
            print(f"{pack:24} split: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    for e in errors:
        print("error:", e, file=sys.stderr)
    print(f"{sum(len(r) for r in posts.values())} posts, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
