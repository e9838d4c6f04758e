#!/usr/bin/env python3
"""Writes stopword-names.txt: the given names of this directory's lists
that are a function word ("this", "she", "nothing", "which") in a
European language, so that a sentence that starts "Esta extensión …" or
"Denna cookie …" has no person in it for the `given_name` entity, which
takes a given name alone. (A full name needs a capitalised surname after
it, which these words seldom have; `person` does not read this list.)

Run (the stop-words package from PyPI, BSD-3-Clause, 2025.11.4):
    pip install stop-words==2025.11.4
    python3 src/entity/names/stopword_names.py > src/entity/names/stopword-names.txt

KEEP holds frequent English given names that are a function word only
elsewhere ("Ben" in Dutch, "Tom" in Czech, "Mia" in Spanish)."""
import glob
import pathlib
import unicodedata

from stop_words import get_stop_words

HERE = pathlib.Path(__file__).resolve().parent
LANGS = ["english", "spanish", "portuguese", "catalan", "german", "dutch", "italian",
         "french", "swedish", "danish", "norwegian"]
KEEP = {"ben", "dan", "mia", "sara", "ellen", "ira", "tom", "jo", "ali", "tim", "elle", "maja"}


def norm(w):
    w = unicodedata.normalize("NFKD", w.strip().lower())
    return "".join(c for c in w if not unicodedata.combining(c))


names = set()
for path in glob.glob(str(HERE / "*.txt")):
    if not path.endswith(("common-words.txt", "stopword-names.txt")):
        names |= {norm(l) for l in open(path, encoding="utf-8") if l.strip()}
stop = {norm(w) for lang in LANGS for w in get_stop_words(lang)}
print("\n".join(sorted(n for n in names if n in stop and n not in KEEP)))
