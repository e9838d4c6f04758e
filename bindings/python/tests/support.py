"""The deterministic post generator and helpers of the Python tests."""

import os
import random
from pathlib import Path

# The screening date of every test that does not test dates: verdicts must
# not depend on the day the tests run.
NOW = "2026-12-01"

# The repository (bindings/python/tests/ is three levels down).
REPO = Path(__file__).resolve().parents[3]


def luhn_card(rng, prefix="4", length=16):
    """A Luhn-valid card number with `prefix`."""
    digits = [int(c) for c in prefix]
    while len(digits) < length - 1:
        digits.append(rng.randrange(10))
    for check in range(10):
        total = 0
        for i, d in enumerate(reversed(digits + [check])):
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        if total % 10 == 0:
            return "".join(map(str, digits + [check]))
    raise AssertionError("one of ten check digits passes Luhn")


def iban_de(rng):
    """A German IBAN with valid mod-97 check digits, in groups of four."""
    bban = "".join(str(rng.randrange(10)) for _ in range(18))
    # "DE00" moved to the end, letters as numbers (D=13, E=14).
    check = 98 - int(bban + "131400") % 97
    compact = f"DE{check:02d}{bban}"
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


WORDS = (
    "our team branch opens monday new album tour dates thanks everyone for "
    "coming the fund market update coffee with clients today at 9am join"
).split()

PHRASES = [
    "guaranteed returns",
    "gu4r4nt33d returns",
    "ɡuaranteed returns",
    "ｇｕａｒａｎｔｅｅｄ returns",
    "guar\u200banteed returns",
    "#GuaranteedReturns",
    "you can't lose",
    "risk-free investment",
    "risk. Free coffee",
    "double your money",
    "our fund returned 12% last year",
    "merger talks before the announcement",
    "past performance is not indicative of future results",
]

LINKS = [
    "https://bit.ly/3xYz",
    "https://example.com/offer",
    "https://paypa1.com/login",
    "https://www.sec.gov/edgar",
    "http://аpple.com/id",
]

UNICODE = [
    "🚀🚀", "café", "naïve", "日本語のテキスト", "مرحبا", "e\u0301",
    "İstanbul", "ﬁnance", "\ufeff", "🔥", "Ⅻ", "½", "👩‍👩‍👧", "𝓖𝓸𝓵𝓭",
]


def generate_posts(n, seed=15):
    """`n` mixed posts (id, text): clean, cards, IBANs, SSNs, promissory
    and disguised phrases, links, non-ASCII and several lines."""
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        parts = [rng.choice(WORDS) for _ in range(rng.randrange(3, 12))]

        def put(piece):
            parts.insert(rng.randrange(len(parts) + 1), piece)

        roll = rng.random()
        if roll < 0.15:
            card = luhn_card(rng, rng.choice(["4", "51", "37", "6011"]))
            if rng.random() < 0.5:
                card = " ".join(card[j:j + 4] for j in range(0, len(card), 4))
            put(f"card {card}")
        elif roll < 0.25:
            put(f"IBAN {iban_de(rng)}")
        elif roll < 0.32:
            put(f"SSN {rng.randrange(100, 666)}-{rng.randrange(10, 99)}-"
                f"{rng.randrange(1000, 9999)}")
        elif roll < 0.6:
            put(rng.choice(PHRASES))
        if rng.random() < 0.2:
            put(rng.choice(LINKS))
        for _ in range(rng.randrange(3)):
            put(rng.choice(UNICODE))
        text = " ".join(parts)
        if rng.random() < 0.1:
            text = text.replace(" ", "\n", 1)
        posts.append((f"post-{i}", text))
    return posts


def in_ci():
    return os.environ.get("CI") == "true"
