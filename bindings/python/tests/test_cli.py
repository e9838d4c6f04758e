"""Verdict.to_json(id) is the line `preclear check --format json` prints,
id for id, on a generated corpus."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import preclear
from support import NOW, REPO, generate_posts, in_ci


def preclear_binary():
    """$PRECLEAR_BIN, else the newest of the repository's release and
    debug builds (`cargo build --release` or `cargo test` make them)."""
    if os.environ.get("PRECLEAR_BIN"):
        return Path(os.environ["PRECLEAR_BIN"])
    built = [REPO / "target" / p / "preclear" for p in ("release", "debug")]
    built = [p for p in built if p.is_file()]
    return max(built, key=lambda p: p.stat().st_mtime) if built else None


@pytest.fixture(scope="module")
def cli():
    path = preclear_binary()
    if path is None or not path.is_file():
        message = ("no preclear binary: set PRECLEAR_BIN or run "
                   "`cargo build --release`")
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


# (--pack arguments for the CLI, how the Python policy adds the same packs)
POLICIES = {
    "financial-institution": (
        ["--pack", "financial-institution"],
        lambda p: p.add_bundled("financial-institution"),
    ),
    "music-label": (
        ["--pack", "music-label"],
        lambda p: p.add_bundled("music-label"),
    ),
    "acme-marketing (files, extends, overrides)": (
        ["--pack", str(REPO / "rules/examples/acme-marketing.toml")],
        lambda p: p.add_file(REPO / "rules/examples/acme-marketing.toml"),
    ),
    "base + music-label stacked": (
        ["--pack", "base", "--pack", "music-label"],
        lambda p: p.add_bundled("base").add_bundled("music-label"),
    ),
}


@pytest.mark.parametrize("unmask", [False, True], ids=["masked", "unmask"])
@pytest.mark.parametrize("name", POLICIES)
def test_json_lines_equal_the_cli(cli, tmp_path, name, unmask):
    posts = generate_posts(1500)
    corpus = tmp_path / "posts.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for pid, text in posts:
            f.write(json.dumps({"id": pid, "text": text}) + "\n")
    args, add = POLICIES[name]
    command = [str(cli), "check", *args, "--input", "jsonl",
               "--format", "json", "--now", NOW, str(corpus)]
    if unmask:
        command.append("--unmask")
    run = subprocess.run(command, capture_output=True, text=True,
                         encoding="utf-8", check=False)
    # 0, 1 or 2 are verdicts; 3 would be an error.
    assert run.returncode in (0, 1, 2), run.stderr
    assert run.stderr == ""
    cli_lines = run.stdout.splitlines()

    screener = preclear.Screener(add(preclear.Policy()), now=NOW,
                                 unmask=unmask)
    verdicts = screener.screen_many([t for _, t in posts])
    ours = [v.to_json(pid) for (pid, _), v in zip(posts, verdicts)]

    assert len(cli_lines) == len(ours)
    for (pid, _), theirs, mine in zip(posts, cli_lines, ours):
        assert json.loads(theirs)["id"] == pid
        assert mine == theirs, pid
    # The corpus exercises more than clean posts.
    decisions = {json.loads(line)["verdict"] for line in cli_lines}
    assert len(decisions) >= 2, decisions
    assert run.returncode == {"allow": 0, "warn": 1, "block": 2}[
        max(decisions, key=["allow", "warn", "block"].index)]
