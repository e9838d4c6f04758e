#!/usr/bin/env python3
"""Split the gold set into `tune` (two thirds) and `holdout` (one third).

    python3 tests/data/gold/split.py     # rewrites tune/<pack>.jsonl and holdout/<pack>.jsonl

posts/<pack>.jsonl is the single source; the split files are generated from
it and committed. The rule is deterministic and does not look at the text:

  * stratum = (pack, violating or harmless, English or Spanish/German),
    where violating means expect warn or block and harmless means allow;
  * inside a stratum, posts are ranked by SHA-256 of SALT + id (hex order);
  * the first round(n / 3) of the ranking go to holdout, the rest to tune.

Each output file keeps the order of posts/. The split was made once, before
any tuning; do not change SALT or the ids. New posts must not be added to a
split that has already been used for tuning (write a new, separately split
file instead), because a different stratum size moves posts between parts.
"""
import hashlib
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
PACKS = ("base", "financial-institution", "music-label")
SALT = "preclear-gold-v1:"


def stratum(r):
    return (r["pack"], r["expect"] != "allow", r["lang"] != "en")


def rank(post_id):
    return hashlib.sha256((SALT + post_id).encode("utf-8")).hexdigest()


def assign(rows):
    """id -> "tune" | "holdout" for the posts of one pack."""
    groups = {}
    for r in rows:
        groups.setdefault(stratum(r), []).append(r["id"])
    part = {}
    for ids in groups.values():
        ids = sorted(ids, key=rank)
        k = round(len(ids) / 3)
        for i, post_id in enumerate(ids):
            part[post_id] = "holdout" if i < k else "tune"
    return part


def main():
    for pack in PACKS:
        lines = (HERE / "posts" / f"{pack}.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines]
        part = assign(rows)
        out = {"tune": [], "holdout": []}
        for line, r in zip(lines, rows):
            out[part[r["id"]]].append(line)
        for name, kept in out.items():
            d = HERE / name
            d.mkdir(exist_ok=True)
            (d / f"{pack}.jsonl").write_text("".join(l + "\n" for l in kept), encoding="utf-8")
        print(f"{pack}: tune {len(out['tune'])}, holdout {len(out['holdout'])}")


if __name__ == "__main__":
    main()
