#!/usr/bin/env python3
"""Build the kit a round's new gold writers read, and one brief per writer.

    python3 tests/data/gold/writers/kit.py KIT_DIR THEMES.json FIRST_BATCH

THEMES.json maps each bundled pack to its writers' themes, two writers a
pack and batch ({"base": ["cruise ships, ferry crews and port staff", …],
"financial-institution": […], "music-label": […]}): eight themes a pack
are four batches, FIRST_BATCH to FIRST_BATCH + 3. Ids continue each pack's
`posts/` file. KIT_DIR gets what a writer may read (the README's top and
its bundled-pack table, `rules/README.md`, a digest of the packs' intent
without their terms, patterns or examples, the gold README through
its borderline calls), the format checker, an empty `out/`, `brief-b{n}-{pack}-{i}.md`
for each writer and `slots.json` (where each writer's file goes, for
appending to `posts/` in batch order before `split.py`).

The brief and the reading list are the same every round, so that batches
stay comparable; a theme must differ from earlier rounds' (the gold
README lists them). Needs Python 3.11 or later (tomllib).
"""
import json
import pathlib
import shutil
import sys
import tomllib

GOLD = pathlib.Path(__file__).resolve().parent.parent
REPO = GOLD.parent.parent.parent
PACKS = {"base": "base", "financial-institution": "fin", "music-label": "mus"}


def section(text, start, stop):
    """Lines from the heading `start` up to (not including) the heading `stop`."""
    lines = text.split("\n")
    i = next(n for n, l in enumerate(lines) if l.startswith(start))
    j = next(n for n, l in enumerate(lines) if n > i and l.startswith(stop))
    return "\n".join(lines[i:j]) + "\n"


def digest():
    """Each pack's header comments, thresholds and rules' ids, actions and messages."""
    out = []
    for name in PACKS:
        text = (REPO / "rules" / f"{name}.toml").read_text()
        out.append(f"===== {name}.toml =====")
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            out.append(line)
        d = tomllib.loads(text)
        pk = d["pack"]
        out.append(f"[pack] name={pk.get('name')} level={pk.get('level')} extends={pk.get('extends', [])}")
        out.append(f"  description: {pk.get('description', '')}")
        out.append(f"[thresholds] {d.get('thresholds', {})}")
        for r in d.get("rules", []):
            on = f" enabled={r['enabled']}" if "enabled" in r else ""
            out.append(f"- {r.get('id')} | category={r.get('category', '')} | action={r.get('action', '')} | score={r.get('score', '')}{on}")
            if r.get("message"):
                out.append(f"    message: {r['message']}")
        for o in d.get("overrides", []):
            on = f" enabled={o['enabled']}" if "enabled" in o else ""
            out.append(f"  override: rule={o.get('rule')} action={o.get('action', '')} score={o.get('score', '')}{on}")
        out.append("")
    return "\n".join(out) + "\n"


def last_id(pack):
    lines = (GOLD / "posts" / f"{pack}.jsonl").read_text().splitlines()
    return max(int(json.loads(l)["id"].rsplit("-", 1)[1]) for l in lines if l.strip())


def main(kit, themes_file, first_batch):
    kit = pathlib.Path(kit).resolve()
    (kit / "out").mkdir(parents=True, exist_ok=True)
    readme = (REPO / "README.md").read_text()
    (kit / "readme-top.md").write_text(
        section(readme, "# preclear", "### Project config") + "\n" + section(readme, "## Bundled packs", "### Detection quality"))
    shutil.copy(REPO / "rules" / "README.md", kit / "rules-README.md")
    (kit / "rules-digest.txt").write_text(digest())
    (kit / "gold-README-top.md").write_text(section((GOLD / "README.md").read_text(), "# Gold set", "## The split, and the holdout rule"))
    shutil.copy(pathlib.Path(__file__).with_name("validate.py"), kit / "validate.py")
    template = pathlib.Path(__file__).with_name("brief.md").read_text()
    themes = json.loads(pathlib.Path(themes_file).read_text())
    slots = []
    for pack, prefix in PACKS.items():
        start = last_id(pack) + 1
        for k, theme in enumerate(themes[pack]):
            batch, n = first_batch + k // 2, start + 30 * k
            first, last = f"{prefix}-{n:04d}", f"{prefix}-{n + 29:04d}"
            out = kit / "out" / f"b{batch}-{pack}-{k % 2}.jsonl"
            brief = kit / f"brief-b{batch}-{pack}-{k % 2}.md"
            text = template
            for key, value in (("{PACK}", pack), ("{THEME}", theme), ("{FIRST}", first), ("{LAST}", last),
                               ("{OUT}", str(out)), ("{KIT}", str(kit)), ("{REPO}", str(REPO))):
                text = text.replace(key, value)
            brief.write_text(text)
            slots.append({"batch": batch, "pack": pack, "theme": theme, "first": first, "out": str(out), "brief": str(brief)})
    (kit / "slots.json").write_text(json.dumps(slots, indent=1) + "\n")
    print(f"{len(slots)} briefs in {kit}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
