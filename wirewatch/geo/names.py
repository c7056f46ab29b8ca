"""Place-name folding: the keys under which the gazetteer stores and looks up names.

Two keys per name:

* :func:`fold` — case, diacritics, apostrophe/ayn/hamza marks and hyphens
  removed: ``Dar‘ā`` → ``dara``, ``al-Bab`` → ``al bab``, ``Tall ‘Afar`` → ``tall afar``.
* :func:`loose_key` — additionally drops a leading Arabic article (``al``,
  ``el``, ``ash``, ``ad`` ...), collapses doubled letters and reduces common
  transliteration vowel pairs, so ``Al Bāb`` = ``El Bab`` = ``Bab`` and
  ``Deraa`` = ``Daraa`` = ``Dar‘ā``, ``Tall ‘Afar`` = ``Tal Afar``.

Loose matches are weaker evidence than folded matches; the resolver scores them lower.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Apostrophe-like marks used in transliterations: ' ‘ ’ ` ´ ʿ ʾ ʻ ʼ ′
_MARKS = dict.fromkeys(map(ord, "'‘’`´ʿʾʻʼ′\u02bc\u02bb"), None)
# Letters NFKD does not decompose.
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
_SEP = re.compile(r"[\s\-‐‑‒–—_/.,]+")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")

# Arabic definite article as transliterated (with sun-letter assimilation).
ARABIC_ARTICLES = frozenset(
    {"al", "el", "ul", "as", "ash", "ad", "adh", "ar", "at", "ath", "az", "an", "ed", "es", "er", "et", "en", "ez"}
)
# A name's abbreviated first word, written out (both the gazetteer and the text are folded alike).
_ABBREVIATED_HEADS = {"mt": "mount", "ft": "fort", "st": "saint", "ste": "sainte"}
_VOWEL_PAIRS = (("ou", "u"), ("ee", "i"), ("ei", "i"), ("ai", "ay"), ("ah", "a"), ("e", "a"), ("o", "u"), ("y", "i"))


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Lower-case ASCII form with marks, diacritics and separators normalised."""
    s = name.translate(_MARKS).lower().translate(_SPECIAL)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _SEP.sub(" ", s)
    s = _NON_WORD.sub("", s)
    s = " ".join(s.split())
    head, sep, rest = s.partition(" ")
    if sep and head in _ABBREVIATED_HEADS:  # "Mt. Pleasant" = "Mount Pleasant", "St. Louis" = "Saint Louis"
        return f"{_ABBREVIATED_HEADS[head]} {rest}"
    return s


def strip_article(folded: str) -> str:
    """Drop a leading Arabic article from a folded name (``al bab`` → ``bab``)."""
    head, _, rest = folded.partition(" ")
    if rest and head in ARABIC_ARTICLES:
        return rest
    # glued forms: "albab" is left alone (too ambiguous), but "al-" was split by fold.
    return folded


@lru_cache(maxsize=65536)
def loose_key(name: str) -> str:
    """A transliteration-tolerant key; equal keys are candidate matches, not certain ones."""
    s = strip_article(fold(name))
    words = []
    for w in s.split():
        if w in ARABIC_ARTICLES:  # inner articles: "tall al kabir" == "tal kabir"
            continue
        w = re.sub(r"(.)\1+", r"\1", w)
        if len(w) > 3:
            w = w[0] + _reduce_vowels(w[1:])
        words.append(w)
    return " ".join(words)


def _reduce_vowels(s: str) -> str:
    for a, b in _VOWEL_PAIRS:
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)
    return s.rstrip("a") or s


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin (so it can be matched against English text)."""
    for c in name:
        if c.isalpha():
            o = ord(c)
            if not (o < 0x250 or 0x1E00 <= o < 0x1F00):
                return False
    return True


def usable_alternate(name: str) -> bool:
    """Alternate names worth indexing: Latin script, has a capital, not a code like ``PMS``.

    GeoNames alternate lists include all-lowercase machine transliterations
    (``tdmr``, ``albab``) and IATA codes (``PMS``); neither helps match prose.
    """
    if not name or len(name) < 3 or not is_latin(name):
        return False
    if not any(c.isupper() for c in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return bool(fold(name))
