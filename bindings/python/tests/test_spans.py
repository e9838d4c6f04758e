"""Spans on non-ASCII posts: start/end are str indices (code points),
byte_start/byte_end UTF-8 offsets, and both point at the same hit."""

import itertools

import pytest

from support import UNICODE

# What comes before the hit: each one makes str indices and byte offsets
# differ (or, for the last ones, lines and columns).
PREFIXES = [
    "",
    "Café au lait, ",
    "🚀🚀 launch day! ",
    "👩‍👩‍👧 family time, ",  # ZWJ sequence: one glyph, five code points
    "e\u0301 combining accent, ",  # two code points, one character
    "日本語のテキスト ",
    "𝓖𝓸𝓵𝓭 styled ",  # astral plane letters: 4 bytes each
    "zero\u200bwidth ",
    "\ufeffBOM first ",
    "line one ü\nline two ✓ ",
    "¡Olé!\n\n🔥🔥🔥\n",
]

# (pack fixture, the hit, the rule that must fire on it)
HITS = [
    ("fin", "4111 1111 1111 1111", "pii.payment-card"),
    ("fin", "guaranteed returns", "promissory.guarantee"),
    ("fin", "ｇｕａｒａｎｔｅｅｄ returns", "promissory.guarantee"),
    ("fin", "gu4r4nt33d returns", "promissory.guarantee"),
    ("fin", "4111🔥1111🔥1111🔥1111", "pii.payment-card"),
    ("fin", "https://paypa1.com/login", "link.lookalike"),
]

SUFFIX = " — thanks, ñandú 🎉"


def check_span(text, r, hit):
    assert text[r.start:r.end] == hit, (text, r)
    raw = text.encode("utf-8")
    assert r.byte_start == len(text[:r.start].encode("utf-8"))
    assert r.byte_end == len(text[:r.end].encode("utf-8"))
    assert raw[r.byte_start:r.byte_end].decode("utf-8") == hit
    # Line and column (1-based, column in characters) of the start.
    before = text[:r.start]
    assert r.line == before.count("\n") + 1
    assert r.column == r.start - (before.rfind("\n") + 1) + 1


@pytest.mark.parametrize(
    "prefix, case", list(itertools.product(PREFIXES, HITS)))
def test_span_is_the_hit(request, prefix, case):
    fixture, hit, rule = case
    screener = request.getfixturevalue(fixture)
    text = prefix + hit + SUFFIX
    reasons = [r for r in screener.screen(text).reasons if r.rule == rule]
    assert len(reasons) == 1, (text, screener.screen(text).reasons)
    check_span(text, reasons[0], hit)


def test_many_hits_in_one_non_ascii_post(fin):
    pieces = ["🚀 ", "4111 1111 1111 1111", " — café — ",
              "guaranteed returns", " ", "日本 ", "DE89 3704 0044 0532 0130 00",
              "\n👩‍👩‍👧 ", "risk-free investment", " ✓"]
    text = "".join(pieces)
    v = fin.screen(text)
    hits = {(r.rule, text[r.start:r.end]) for r in v.reasons}
    assert hits == {
        ("pii.payment-card", "4111 1111 1111 1111"),
        ("promissory.guarantee", "guaranteed returns"),
        ("pii.iban", "DE89 3704 0044 0532 0130 00"),
        ("promissory.no-risk", "risk-free investment"),
    }
    for r in v.reasons:
        check_span(text, r, text[r.start:r.end])
    # Reasons are in text order.
    assert [r.start for r in v.reasons] == sorted(r.start for r in v.reasons)


def test_spans_match_across_screen_many(fin):
    texts = [p + " guaranteed returns" + SUFFIX for p in PREFIXES + UNICODE]
    for text, v in zip(texts, fin.screen_many(texts)):
        (r,) = v.reasons
        check_span(text, r, "guaranteed returns")
