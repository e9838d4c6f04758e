"""The Python API: policies, screeners, verdicts and reasons."""

import datetime
import json
from pathlib import Path

import pytest

import preclear
from support import NOW, REPO

CARD_POST = "Please charge card 4111 1111 1111 1111 today"


def test_issue_example(fin):
    v = fin.screen("charge card 4111 1111 1111 1111")
    assert (v.decision, v.score) == ("block", 100)
    assert v.packs == ["base@1.0.0", "financial-institution@1.0.0"]
    assert len(v.fingerprint) == 64
    (r,) = v.reasons
    assert (r.rule, r.pack, r.decided_by, r.category, r.action, r.score) == (
        "pii.payment-card",
        "financial-institution",
        "financial-institution",
        "pii",
        "block",
        100,
    )
    assert "card number" in r.message


def test_readme_card_post(fin):
    v = fin.screen(CARD_POST)
    (r,) = v.reasons
    assert (r.start, r.end, r.byte_start, r.byte_end) == (19, 38, 19, 38)
    assert (r.line, r.column) == (1, 20)
    assert r.excerpt == "charge card •••• •••• •••• 1111 today"
    assert CARD_POST[r.start:r.end] == "4111 1111 1111 1111"


@pytest.mark.parametrize(
    "post, decision, rules",
    [
        ("Our new branch on Main Street opens Monday at 9am.", "allow", []),
        ("Double your money with our risk-free investment!", "block",
         ["promissory.get-rich", "promissory.no-risk"]),
        # Two hits of one rule: two reasons, its score counted once.
        ("Heard there are merger talks before the announcement.", "warn",
         ["mnpi.announcement", "mnpi.announcement"]),
        # The required rule (no disclosure in the post) and the near rule
        # (a gain next to a figure) both report it.
        ("Our fund returned 12% last year!", "warn",
         ["disclosure.performance-risk", "disclosure.performance-claim"]),
        ("Our fund returned 12% last year! Past performance is not "
         "indicative of future results.", "allow", []),
        ("Read more at https://example.com/offer", "warn",
         ["link.unapproved"]),
        ("Read more at https://www.sec.gov/edgar", "allow", []),
    ],
)
def test_decisions(fin, post, decision, rules):
    v = fin.screen(post)
    assert v.decision == decision
    assert [r.rule for r in v.reasons] == rules
    assert v.score == sum(
        max(r.score for r in v.reasons if r.rule == rule)
        for rule in set(rules))


def test_whole_post_reason_has_no_span(fin):
    reasons = fin.screen("Our fund returned 12% last year!").reasons
    (r,) = [r for r in reasons if r.rule == "disclosure.performance-risk"]
    for field in ("start", "end", "byte_start", "byte_end", "line", "column",
                  "excerpt"):
        assert getattr(r, field) is None, field


def test_to_json_is_the_cli_shape(fin):
    v = fin.screen(CARD_POST)
    line = v.to_json()
    assert "\n" not in line
    out = json.loads(line)
    assert out["id"] == "-"
    assert json.loads(v.to_json("post-7"))["id"] == "post-7"
    assert json.loads(v.to_json(id="x"))["id"] == "x"
    assert out["verdict"] == "block"
    assert out["packs"] == v.packs
    assert out["fingerprint"] == v.fingerprint
    (r,) = out["reasons"]
    (pr,) = v.reasons
    assert r == {
        "rule": pr.rule,
        "pack": pr.pack,
        "decided_by": pr.decided_by,
        "category": pr.category,
        "action": pr.action,
        "score": pr.score,
        "message": pr.message,
        "start": pr.byte_start,
        "end": pr.byte_end,
        "line": pr.line,
        "column": pr.column,
        "excerpt": pr.excerpt,
    }
    # The JSON never shows a masked value.
    assert "4111 1111 1111 1111" not in line


def test_suggestion_is_the_jsons(fin):
    v = fin.screen("Guaranteed returns on every deposit!")
    (r,) = [r for r in v.reasons if r.rule == "promissory.guarantee"]
    assert (r.suggestion.kind, r.suggestion.text) == (
        "hint",
        "Write 'aims to' or 'seeks' instead of 'guaranteed', and say that "
        "returns are not guaranteed.",
    )
    (out,) = [o for o in json.loads(v.to_json())["reasons"]
              if o["rule"] == r.rule]
    assert out["suggestion"] == {"kind": "hint", "text": r.suggestion.text}
    # Read twice, the same (equal, hashable) value.
    (again,) = [x for x in v.reasons if x.rule == r.rule]
    assert again.suggestion == r.suggestion
    assert len({r.suggestion, r.suggestion}) == 1
    assert "hint" in repr(r.suggestion)


FIX_PACK = """
[pack]
name = "fix"
version = "1"

[[rules]]
id = "fix.guarantee"
kind = "terms"
terms = ["guarantees"]
action = "warn"
suggest = { replace = "aims at" }

[[rules]]
id = "fix.plain"
kind = "terms"
terms = ["falcon"]
action = "warn"
"""


@pytest.mark.parametrize("post, rule, suggestion", [
    ("The fund guarantees growth", "fix.guarantee", ("replace", "aims at")),
    ("A falcon flew by", "fix.plain", None),
])
def test_suggestion_replace_or_none(post, rule, suggestion):
    screener = preclear.Screener(preclear.Policy().add_toml("fix", FIX_PACK))
    v = screener.screen(post)
    (r,) = v.reasons
    assert r.rule == rule
    got = r.suggestion and (r.suggestion.kind, r.suggestion.text)
    assert got == suggestion
    (out,) = json.loads(v.to_json())["reasons"]
    if suggestion is None:
        assert "suggestion" not in out
    else:
        assert out["suggestion"] == dict(zip(("kind", "text"), suggestion))
        assert post[r.start:r.end] == "guarantees"


def test_redact_masks_findings_and_keeps_the_rest(fin):
    post = "Café ☕ first, then card 4111 1111 1111 1111 and guaranteed returns"
    red = fin.screen(post).redact()
    assert red == ("Café ☕ first, then card •••• •••• •••• 1111 and "
                   "guaranteed returns")
    assert fin.screen("Nothing to see here").redact() == "Nothing to see here"


def test_unmask_shows_the_number():
    screener = preclear.Screener(
        preclear.Policy().add_bundled("financial-institution"), unmask=True)
    (r,) = screener.screen(CARD_POST).reasons
    assert "4111 1111 1111 1111" in r.excerpt


def test_policy_layers_files_and_toml():
    policy = preclear.Policy()
    assert policy.packs == []
    same = policy.add_file(REPO / "rules/examples/acme-marketing.toml")
    assert same is policy
    # acme-marketing extends acme-bank, which extends financial-institution.
    assert [p.split("@")[0] for p in policy.packs] == [
        "base", "financial-institution", "acme-bank", "acme-marketing"]
    by_str = preclear.Policy().add_file(
        str(REPO / "rules/examples/acme-marketing.toml"))
    assert by_str.fingerprint == policy.fingerprint
    policy.add_toml("mine.toml", """
        [pack]
        name = "mine"
        version = "0.1.0"
        level = "individual"

        [[rules]]
        id = "mine.codename"
        kind = "terms"
        terms = ["project bluebird"]
        category = "confidential"
        score = 100
        action = "block"
        message = "Bluebird is not public."
    """)
    assert policy.packs[-1] == "mine@0.1.0"
    screener = preclear.Screener(policy, now=NOW)
    assert screener.packs == policy.packs
    assert screener.fingerprint == policy.fingerprint
    v = screener.screen("Excited about Project Bluebird!")
    assert v.fingerprint == policy.fingerprint
    assert [(r.rule, r.pack) for r in v.reasons] == [
        ("mine.codename", "mine")]


def test_overrides_name_the_deciding_pack():
    policy = preclear.Policy().add_file(
        REPO / "rules/examples/acme-marketing.toml")
    screener = preclear.Screener(policy, now=NOW)
    v = screener.screen("Heard there are merger talks before the announcement.")
    assert v.decision == "block"
    assert v.reasons
    for r in v.reasons:
        assert (r.rule, r.pack, r.decided_by, r.action) == (
            "mnpi.announcement", "financial-institution", "acme-marketing",
            "block")


def test_bundled_packs():
    names = preclear.bundled_packs()
    assert {"base", "financial-institution", "music-label"} <= set(names)
    for name in names:
        assert preclear.Policy().add_bundled(name).packs


DATED = """
[pack]
name = "dated"
version = "1.0.0"

[[rules]]
id = "dated.embargo"
kind = "terms"
terms = ["midnight single"]
score = 100
action = "block"
active_until = "2026-12-31"
message = "Embargoed until the new year."
"""


@pytest.mark.parametrize(
    "now, decision",
    [
        ("2026-12-01", "block"),
        ("2027-01-01", "allow"),
        (datetime.date(2026, 12, 31), "block"),
        (datetime.date(2027, 1, 1), "allow"),
        (datetime.datetime(2026, 12, 31, 23, 59), "block"),
    ],
)
def test_now_checks_dated_rules(now, decision):
    policy = preclear.Policy().add_toml("dated.toml", DATED)
    screener = preclear.Screener(policy, now=now)
    assert screener.screen("Our midnight single drops soon").decision == decision


def test_evasion_can_be_turned_off():
    policy = preclear.Policy().add_bundled("financial-institution")
    post = "gu4r4nt33d returns for everyone"
    on = preclear.Screener(policy, now=NOW)
    off = preclear.Screener(policy, now=NOW, evasion=False)
    assert on.screen(post).decision == "block"
    assert off.screen(post).decision == "allow"
    assert off.screen("guaranteed returns").decision == "block"


def test_max_post_bytes():
    policy = preclear.Policy().add_bundled("base")
    screener = preclear.Screener(policy, max_post_bytes=10)
    assert screener.max_post_bytes == 10
    # "é" is two bytes: the limit counts UTF-8 bytes, not characters.
    assert screener.screen("é" * 5).decision == "allow"
    with pytest.raises(preclear.Error) as e:
        screener.screen("é" * 6)
    assert e.value.kind == "limit"
    assert "12 bytes, over the limit of 10" in str(e.value)
    default = preclear.Screener(policy)
    assert default.max_post_bytes == 10 * 1024 * 1024


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["a list"]])
def test_screen_takes_a_str(fin, bad):
    with pytest.raises(TypeError):
        fin.screen(bad)


def test_screen_many_refuses_one_str(fin):
    with pytest.raises(TypeError, match="iterable of str"):
        fin.screen_many("one post")


def test_reprs(fin):
    v = fin.screen(CARD_POST)
    assert repr(v).startswith("<Verdict block score=100")
    assert "pii.payment-card" in repr(v.reasons[0])
    assert "financial-institution" in repr(fin)


def test_package_ships_stubs_and_py_typed():
    here = Path(preclear.__file__).parent
    assert (here / "py.typed").is_file()
    stubs = (here / "__init__.pyi").read_text(encoding="utf-8")
    # Every public name, method and attribute has a stub.
    for name in preclear.__all__:
        assert name in stubs, name
    for cls in (preclear.Policy, preclear.Screener, preclear.Verdict,
                preclear.Reason, preclear.Suggestion):
        block = stubs.split(f"class {cls.__name__}")[1].split("\nclass ")[0]
        for attr in dir(cls):
            if not attr.startswith("_"):
                assert f"def {attr}(" in block, (cls.__name__, attr)
    for attr in ("kind", "pack", "rule", "line", "column"):
        assert f"    {attr}: Optional" in stubs, attr
    assert preclear.__version__ == "0.1.0"
