"""Screens the posts given as arguments with the financial-institution
pack through libpreclear's C ABI (ctypes), from any directory:

    cargo build --release --features capi
    python3 examples/python/screen.py "Guaranteed returns, act now!"

Prints each verdict and its reasons (masked values stay masked) and exits
with the worst decision: 0 allow, 1 warn, 2 block, 3 an error.
"""

import sys

from preclear_ctypes import Policy, PreclearError

DECISIONS = ["allow", "warn", "block"]


def main(posts):
    screener = Policy().add_bundled("financial-institution").screener()
    worst = 0
    for post in posts:
        try:
            v = screener.screen(post)
        except PreclearError as e:
            print(f"preclear: {e}", file=sys.stderr)
            worst = 3
            continue
        print(f"{v.decision} (score {v.score})")
        for r in v.reasons:
            where = f"{r.line}:{r.column}" if r.line else "post"
            print(f"  {r.rule} at {where}: {r.message}\n    {r.excerpt or ''}")
        if worst < 3:
            worst = max(worst, DECISIONS.index(v.decision))
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
