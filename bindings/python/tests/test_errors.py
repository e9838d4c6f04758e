"""Errors raise preclear.Error (a ValueError) with kind and position."""

import pytest

import preclear
from support import REPO

HEAD = '[pack]\nname = "broken"\nversion = "1.0.0"\n\n'

RULE = """[[rules]]
id = "broken.rule"
kind = "pattern"
pattern = '{pattern}'
score = 10
action = "warn"
message = "m"
"""

# (name, TOML, kind, rule, line, column, text the message contains)
BROKEN_PACKS = [
    ("toml syntax", HEAD + "[[rules]\nid = 'x'\n", "toml", "x", 5, 9,
     "unclosed array table"),
    ("unknown key", HEAD + RULE.format(pattern="a") + "scroe = 1\n", "toml",
     "broken.rule", 12, 1, "unknown key `scroe` (did you mean `score`?)"),
    ("invalid regex", HEAD + RULE.format(pattern="(unclosed"), "regex",
     "broken.rule", 8, 11, "rule 'broken.rule': invalid regex"),
    ("unknown validator",
     HEAD + RULE.format(pattern=r"\d+") + 'validator = "crc64"\n',
     "unknown_validator", "broken.rule", 12, 13, "unknown validator 'crc64'"),
    ("thresholds out of order",
     HEAD + "[thresholds]\nwarn = 100\nblock = 30\n", "invalid_pack", None,
     None, None, "broken.toml"),
    ("missing extends",
     '[pack]\nname = "b"\nversion = "1.0.0"\nextends = ["no-such-pack"]\n',
     "missing_pack", None, 4, 12, "no-such-pack"),
]


@pytest.mark.parametrize(
    "toml, kind, rule, line, column, says",
    [case[1:] for case in BROKEN_PACKS],
    ids=[case[0] for case in BROKEN_PACKS],
)
def test_broken_pack(toml, kind, rule, line, column, says):
    policy = preclear.Policy()
    with pytest.raises(preclear.Error) as info:
        policy.add_toml("broken.toml", toml)
    e = info.value
    assert isinstance(e, ValueError)
    assert e.kind == kind, str(e)
    assert e.pack == "broken.toml"
    assert e.rule == rule, str(e)
    if line is not None:
        assert (e.line, e.column) == (line, column), str(e)
        assert str(e).startswith(f"broken.toml:{line}:{column}: ")
    assert says in str(e)
    assert "\n" not in str(e)
    # A failed add leaves the policy as it was.
    assert policy.packs == []


def test_broken_pack_file_names_the_file(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(HEAD + RULE.format(pattern="[z-a]"), encoding="utf-8")
    with pytest.raises(preclear.Error) as info:
        preclear.Policy().add_file(path)
    e = info.value
    assert (e.kind, e.rule, e.line, e.column) == ("regex", "broken.rule", 8, 11)
    assert e.pack == str(path)
    assert str(e).startswith(f"{path}:8:11: rule 'broken.rule': ")


def test_missing_file_and_bundled_pack(tmp_path):
    with pytest.raises(preclear.Error) as info:
        preclear.Policy().add_file(tmp_path / "nope.toml")
    assert info.value.kind == "io"
    assert "nope.toml" in str(info.value)
    with pytest.raises(preclear.Error) as info:
        preclear.Policy().add_bundled("no-such-pack")
    assert info.value.kind == "missing_pack"
    assert (info.value.line, info.value.column) == (None, None)


def test_locked_rule_cannot_be_unlocked():
    path = REPO / "rules/examples/unlock-cards.toml"
    # The stack loads; what it means is checked when it compiles.
    policy = preclear.Policy().add_file(path)
    with pytest.raises(preclear.Error) as info:
        preclear.Screener(policy)
    e = info.value
    assert e.kind == "locked"
    assert e.pack == str(path)
    assert (e.line, e.column) == (11, 1)
    assert "cannot unlock locked rule 'pii.payment-card'" in str(e)


def test_duplicate_rule_across_packs():
    pack = HEAD.replace("broken", "{name}") + RULE.format(pattern="a")
    policy = preclear.Policy().add_toml("one.toml", pack.format(name="one"))
    policy.add_toml("two.toml", pack.format(name="two"))
    with pytest.raises(preclear.Error) as info:
        preclear.Screener(policy)
    e = info.value
    assert (e.kind, e.rule, e.pack) == ("duplicate_rule", "broken.rule",
                                        "two.toml")
    assert "first defined in pack 'one'" in str(e)


@pytest.mark.parametrize("now", ["2026-13-01", "1/12/2026", "", "2026-02-29"])
def test_bad_date(now):
    policy = preclear.Policy().add_bundled("base")
    with pytest.raises(preclear.Error) as info:
        preclear.Screener(policy, now=now)
    assert info.value.kind == "invalid_argument"
    assert str(info.value).startswith(f"invalid date '{now}'")


def test_now_of_the_wrong_type():
    with pytest.raises(TypeError):
        preclear.Screener(preclear.Policy(), now=20261201)


def test_lone_surrogate_is_an_error(fin):
    text = "card 4111 1111 1111 1111 \ud800 end"
    with pytest.raises(preclear.Error) as info:
        fin.screen(text)
    assert info.value.kind == "utf8"
    assert "index 25" in str(info.value)
    # Errors never quote the post.
    assert "4111" not in str(info.value)
    with pytest.raises(preclear.Error, match=r"^texts\[1\]: .*index 0"):
        fin.screen_many(["fine", "\udfff"])


def test_screen_many_names_the_failing_post():
    screener = preclear.Screener(
        preclear.Policy().add_bundled("base"), max_post_bytes=8)
    with pytest.raises(preclear.Error) as info:
        screener.screen_many(["short", "also ok", "far too long", "x" * 100])
    assert info.value.kind == "limit"
    assert str(info.value).startswith("texts[2]: post is 12 bytes")


def test_error_defaults_when_raised_from_python():
    e = preclear.Error("raised by hand")
    assert (e.kind, e.pack, e.rule, e.line, e.column) == (None,) * 5
    assert issubclass(preclear.Error, ValueError)
    assert preclear.Error.__module__ == "preclear"
