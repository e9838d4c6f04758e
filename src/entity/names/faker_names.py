#!/usr/bin/env python3
"""Writes faker-given-names-es.txt and faker-given-names-de.txt: the
first names of the Faker package's Spanish (es_ES, es_MX) and German
(de_DE, de_AT, de_CH) person providers, one word each (no compound
"Ana Belén", no hyphenated "Anna-Lena": a word of the post is a run of
letters), as Faker writes them. The human-names lists hold about a
hundred names each for Spanish and German; these add about two thousand.
The `person` entity (a full name) reads them all. A given name alone
(`given_name`) skips those in faker-name-words.txt, also written here:
the names that are a lower-case word of Debian's Spanish, German or
American English word lists ("Amparo", "Dolores", "Wolf", "Amor").

Run (Faker from PyPI, MIT, 40.63.0; Debian's wspanish, wngerman and
wamerican installed):
    pip install faker==40.63.0
    python3 src/entity/names/faker_names.py"""
import importlib
import pathlib
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
GROUPS = {"es": ["es_ES", "es_MX"], "de": ["de_DE", "de_AT", "de_CH"]}

for lang, locales in GROUPS.items():
    names = set()
    for loc in locales:
        provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = getattr(provider, attr, None) or ()
            names |= {n.strip() for n in value if isinstance(n, str)}
    words = sorted(n for n in names if n and " " not in n and "-" not in n)
    (HERE / f"faker-given-names-{lang}.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    print(lang, len(words))


def norm(w):
    w = unicodedata.normalize("NFKD", w.strip().lower())
    return "".join(c for c in w if not unicodedata.combining(c))


def lower_words(path, encoding):
    with open(path, encoding=encoding) as f:
        return {norm(w) for w in f if w.strip() and w.strip().islower()}


dictionary = (lower_words("/usr/share/dict/spanish", "utf-8")
              | lower_words("/usr/share/dict/ngerman", "utf-8")
              | lower_words("/usr/share/dict/american-english", "utf-8"))
listed = set()
for lang in GROUPS:
    listed |= {norm(l) for l in (HERE / f"faker-given-names-{lang}.txt").read_text(encoding="utf-8").split()}
# Names far more often written as the name than as the word they fold to
# ("Berat" than "berät", "Horst" than "hörst"): a given name alone still.
KEEP = {"berat", "horst"}
(HERE / "faker-name-words.txt").write_text("\n".join(sorted((listed & dictionary) - KEEP)) + "\n", encoding="utf-8")
