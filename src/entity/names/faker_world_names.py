#!/usr/bin/env python3
"""Writes faker-given-names-world.txt: the first names of the Faker
package's other person providers in the Latin script (Romanian, Polish,
Turkish, Indian and Kenyan English, Yoruba, Swahili, Vietnamese …; every
locale but the Spanish and German ones, which faker_names.py writes),
so that "Ioana Popescu", "Priyanka" or "Tomasz Wróbel" is a person as
"Lucía Ferrer" is. The gold set's writers name people of every origin;
the other lists are Western European and English-speaking.

Kept: one-word names of three letters or more, none that is an entry,
in any case, of Debian's English, German, Spanish, French, Italian,
Portuguese or Dutch word lists (places, peoples, brands and German nouns
are capitalised there: "Berlin", "Danish", "Saal"), nor a function word of the stop-words package's
languages (a Turkish "Can" or "Deniz" stays out: "How We Can Help"),
nor a name already in this directory's other lists. So every name here
may start a full name and stand alone.

Run (Faker from PyPI, MIT, 40.63.0; stop-words 2025.11.4, BSD-3-Clause;
Debian's wamerican, wngerman, wspanish, wfrench, witalian, wportuguese
and wdutch installed, all UTF-8):
    pip install faker==40.63.0 stop-words==2025.11.4
    python3 src/entity/names/faker_world_names.py"""
import glob
import importlib
import pathlib
import pkgutil
import unicodedata

import faker.providers.person as person
from stop_words import AVAILABLE_LANGUAGES, get_stop_words

HERE = pathlib.Path(__file__).resolve().parent
DICTS = [("american-english", "utf-8"), ("ngerman", "utf-8"), ("spanish", "utf-8"),
         ("french", "utf-8"), ("italian", "utf-8"), ("portuguese", "utf-8"), ("dutch", "utf-8")]


def norm(w):
    w = unicodedata.normalize("NFKD", w.strip().lower())
    return "".join(c for c in w if not unicodedata.combining(c))


def latin(name):
    return all(c.isalpha() and "LATIN" in unicodedata.name(c, "") for c in name)


def first_names(locale):
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names = set()
    for attr in ("first_names", "first_names_male", "first_names_female"):
        value = getattr(provider, attr, None)
        if isinstance(value, (list, tuple, set, dict)):
            names |= {n.strip() for n in value if isinstance(n, str)}
    return names


# Every entry, whatever its case: a capitalised one is a place, a people,
# a brand or a German noun ("Berlin", "Danish", "Siri", "Saal"), and a
# name alone cannot tell them from a person.
words = set()
for name, encoding in DICTS:
    with open(f"/usr/share/dict/{name}", encoding=encoding) as f:
        words |= {norm(w) for w in f if w.strip()}
for lang in AVAILABLE_LANGUAGES:
    words |= {norm(w) for w in get_stop_words(lang)}
listed = set()
for path in glob.glob(str(HERE / "*.txt")):
    if not path.endswith(("common-words.txt", "stopword-names.txt", "faker-name-words.txt", "-world.txt")):
        listed |= {norm(l) for l in open(path, encoding="utf-8") if l.strip()}
names = set()
for module in pkgutil.iter_modules(person.__path__):
    if module.name.startswith(("es", "de")):
        continue
    names |= {n for n in first_names(module.name) if len(n) >= 3 and latin(n)}
kept = sorted(n for n in names if norm(n) not in words and norm(n) not in listed)
(HERE / "faker-given-names-world.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
print(len(names), "names,", len(kept), "kept")
