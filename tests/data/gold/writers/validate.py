#!/usr/bin/env python3
"""Check the format of one writer's file: python3 validate.py FILE PACK FIRST_ID  (30 posts, ids FIRST_ID on)
Prints the counts, and every problem; exit 1 on any problem."""
import json, sys, collections
path, pack, first = sys.argv[1], sys.argv[2], sys.argv[3]
PFX = {"base": "base", "financial-institution": "fin", "music-label": "mus"}[pack]
start = int(first.rsplit("-", 1)[1])
want = [f"{PFX}-{n:04d}" for n in range(start, start + 30)]
KEYS = {"id", "pack", "voice", "lang", "class", "expect", "span", "text"}
errs, rows = [], []
for n, line in enumerate(open(path, encoding="utf-8").read().splitlines(), 1):
    if not line.strip():
        errs.append(f"line {n}: empty line"); continue
    try:
        r = json.loads(line)
    except Exception as e:
        errs.append(f"line {n}: invalid JSON: {e}"); continue
    if not isinstance(r, dict) or set(r) != KEYS:
        errs.append(f"line {n}: keys must be exactly {sorted(KEYS)}"); continue
    rows.append((n, r))
    if r["pack"] != pack: errs.append(f"line {n}: pack {r['pack']!r}")
    if r["expect"] not in ("allow", "warn", "block"): errs.append(f"line {n}: expect {r['expect']!r}")
    if r["lang"] not in ("en", "es", "de"): errs.append(f"line {n}: lang {r['lang']!r}")
    for k in ("voice", "class", "text"):
        if not isinstance(r[k], str) or not r[k].strip(): errs.append(f"line {n}: empty {k}")
    if r["expect"] == "allow" and r["span"] is not None: errs.append(f"line {n}: an allow post has span null")
    if r["expect"] != "allow":
        if not isinstance(r["span"], str) or not r["span"]: errs.append(f"line {n}: a warn/block post needs a span")
        elif r["span"] not in r["text"]: errs.append(f"line {n}: span is not verbatim in text")
ids = [r["id"] for _, r in rows]
if ids != want: errs.append(f"ids must be {want[0]} … {want[-1]} in order, each once")
viol = sum(r["expect"] != "allow" for _, r in rows)
langs = collections.Counter(r["lang"] for _, r in rows)
if len(rows) != 30: errs.append(f"{len(rows)} posts, want 30")
if viol != 15: errs.append(f"{viol} violating (warn+block), want 15")
if (langs["en"], langs["es"], langs["de"]) != (18, 6, 6): errs.append(f"languages en/es/de {langs['en']}/{langs['es']}/{langs['de']}, want 18/6/6")
sw = sum("mid-post switch" in r["voice"] for _, r in rows)
if not 2 <= sw <= 3: errs.append(f"{sw} posts say 'mid-post switch' in voice, want 2 or 3")
print(f"{len(rows)} posts, {viol} violating, en/es/de {langs['en']}/{langs['es']}/{langs['de']}, switches {sw}")
for e in errs: print("PROBLEM:", e)
sys.exit(1 if errs else 0)
