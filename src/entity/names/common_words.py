#!/usr/bin/env python3
"""Writes common-words.txt: the given names of this directory's lists
that are also everyday words, so that a capitalised "Will", "Grace" or
"Morgen" at the start of a sentence is not read as a person's name.

Run (Debian's wamerican and wngerman installed):
    python3 src/entity/names/common_words.py > src/entity/names/common-words.txt

A name is listed when its lower-case form is a lower-case entry of SCOWL's
American English list (/usr/share/dict/american-english) or of the
igerman98 list (/usr/share/dict/ngerman), or when it is a month, one of
a few places the lists hold, or a Spanish small word. Spanish
is not checked: Spanish writes only names and a sentence's first word
with a capital, and the recogniser needs two capitalised words in a row.
KEEP holds words that are far more often a first name."""
import glob
import pathlib
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
KEEP = {"albert", "andre", "andres", "adele", "ernst", "franz", "kurt", "fidel", "kasper",
        # Among the most frequent given names, and rare as a capitalised
        # word before another ("John", "Maria", "Peter"); not "Mark",
        # "Bill", "Don" or "Will", which start headings and commands.
        "john", "peter", "maria", "martin", "tom", "jack", "harry", "max", "carol",
        "dean", "frank", "ted", "tim", "nick"}
# Places the name lists hold, read far more often as the place ("New York
# Times", "America Online", "El Torito").
PLACES = {"america", "york", "el", "asia", "africa", "europa", "china", "india"}
# Spanish small words the lists hold ("Si PAGER está vacío").
SMALL = {"si", "de", "la", "le", "del", "y", "e", "o", "a", "al", "lo"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"}


def norm(w):
    w = unicodedata.normalize("NFKD", w.strip().lower())
    return "".join(c for c in w if not unicodedata.combining(c))


def lower_words(path, encoding):
    with open(path, encoding=encoding) as f:
        return {w.strip() for w in f if w.strip() and w.strip().islower()}


names = set()
for path in glob.glob(str(HERE / "*.txt")):
    if not path.endswith("common-words.txt"):
        names |= {norm(l) for l in open(path, encoding="utf-8") if l.strip()}
en = lower_words("/usr/share/dict/american-english", "utf-8")
de = lower_words("/usr/share/dict/ngerman", "utf-8")
common = {n for n in names if (n in en or n in de) and n not in KEEP or n in MONTHS or n in PLACES or n in SMALL}
print("\n".join(sorted(common)))
