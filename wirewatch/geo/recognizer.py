"""Toponym recognition: a gazetteer matcher over the text, gated by context.

spaCy's small NER is one feature among several (it calls Palmyra a PERSON and
splits organisation names), so candidates come from the gazetteer: every run
of capitalised tokens (with lower-case connectors such as ``of``/``al-``) is
matched longest-first (an abbreviated first word keeps its full stop inside the
name: "St. Louis", "Mt. Pleasant").  Each candidate is then scored from its context —
NER label, a locative preposition before it, a place noun after it, sentence
position, whether it sits inside a longer proper name or an organisation,
person cues, and how strong its best gazetteer entry is (a province of a very
small country, such as the Isle of Man's parish "Michael", is no sign of a place) — and kept when the
score clears :data:`THRESHOLD`.  One sense per discourse: a name confidently
recognised once in a text lifts its other occurrences.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .aliases import (
    DEMONYMS,
    NOT_PLACES,
    NOT_PLACE_PHRASES,
    ORG_HEADS,
    PERSON_LIKE_PLACES,
    PLACE_NOUNS_ADMIN,
    PLACE_NOUNS_LOCAL,
    PLACE_PREPOSITIONS,
    PROVINCE_ONLY_NOUNS,
    UNLISTED_REGIONS,
)
from .gazetteer import EXACT, LOOSE, Candidate, Gazetteer
from .names import ARABIC_ARTICLES, fold
from .regions import region_place

THRESHOLD = 0.5
MAX_TOKENS = 6
SMALL_COUNTRY = 1_000_000  # as :data:`.resolver.SMALL_COUNTRY`

# A party letter before a legislator's state or home town ("Sen. Bob Casey, D-Pa.", "R-Charleston") is a token
# of its own, dropped by :func:`tokenize`, so that the place after it is matched alone.
_PARTY = re.compile(r"(?<![\w.\-])[DRI]-(?=[A-Z])")
_TOKEN = re.compile(rf"{_PARTY.pattern}|(?:[A-Z]\.){{2,}}|[‘’'`ʿ]?[^\W\d_](?:[\w‘’'`ʿ\-]*[^\W_])?")
_POSSESSIVE = re.compile(r"[’']s$")
_CONNECTORS = frozenset(
    {"of", "de", "la", "del", "di", "da", "do", "dos", "das", "du", "le", "les", "van", "von", "upon", "on", "and",
     "y", "the", "el", "al", "es", "en", "sur", "am", "an", "der", "den", "bin", "ibn", "abu"}
)
_TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "president", "prime", "minister", "gen", "general", "lt", "col", "colonel", "maj",
     "major", "capt", "captain", "sgt", "sen", "senator", "rep", "gov", "governor", "judge", "king", "queen",
     "prince", "princess", "sheikh", "pope", "saint", "lord", "sir", "lady", "mayor", "secretary", "chief",
     "commander", "spokesman", "brother", "sister", "father", "bishop", "imam", "coach", "officer", "detective",
     "professor", "prof", "ambassador", "envoy", "emir", "abu", "umm", "bin", "ibn"}
)
_SPEECH = frozenset({"said", "says", "told", "added", "wrote", "asked", "stated", "explained", "noted", "argued"})
_ALLCAPS_OK = frozenset({"US", "UK", "UAE", "USA", "DRC"})
_LOCATIVE = frozenset({"in", "near", "at", "outside", "around"})
_FRAME_NOUNS = frozenset({"village", "villages", "town", "towns", "city", "locality", "localities", "commune", "outskirts"})


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().rstrip(".")

    @property
    def is_cap(self) -> bool:
        t = self.text.lstrip("‘’'`ʿ")
        if not t:
            return False
        if t[0].isupper():
            return True
        head, sep, rest = t.partition("-")  # al-Bab, el-Arish, ash-Shaddadi
        return bool(sep and head.lower() in ARABIC_ARTICLES and rest[:1].isupper())


@dataclass(slots=True)
class Toponym:
    """A recognised place name with its gazetteer candidates and context cues."""

    text: str
    start: int
    end: int
    candidates: tuple[Candidate, ...]
    score: float
    admin_hint: str | None = None  # "admin" (province/district after it) or "local" (village/town)
    relation: str | None = None  # "western", "northwest of", "near", "province" ...
    relation_km: float | None = None
    sentence: int = 0
    features: dict[str, float] = field(default_factory=dict)


def tokenize(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        word, end = m.group(), m.end()
        if word.endswith("-") and len(word) == 2:  # a party letter
            continue
        p = _POSSESSIVE.search(word)
        if p and len(word) > 3:
            word, end = word[: p.start()], m.start() + p.start()
        out.append(Token(word, m.start(), end))
    return out


def sentence_starts(text: str, doc: Any) -> list[int]:
    """Where the sentences of ``text`` start: spaCy's boundaries when ``doc`` has them, else a full stop,
    question or exclamation mark (or a line break) before a capital."""
    if doc is not None:
        try:
            return [s.start_char for s in doc.sents]
        except ValueError:  # no sentence boundaries set
            pass
    starts = [0]
    for m in re.finditer(r"(?:[.!?][\"”’)]*\s+|\n\s*)(?=[\"“‘(]?[A-Z0-9])", text):
        starts.append(m.end())
    return starts


def _ent_labels(doc: Any, n: int) -> list[tuple[int, int, str]]:
    if doc is None:
        return []
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.end_char <= n]


def _label_for(ents: list[tuple[int, int, str]], start: int, end: int) -> tuple[str | None, bool]:
    """NER label overlapping [start, end) and whether that entity is longer than the span."""
    best: tuple[int, str, bool] | None = None
    for s, e, lab in ents:
        if s < end and start < e:
            ov = min(e, end) - max(s, start)
            longer = s < start - 1 or e > end + 2
            if best is None or ov > best[0]:
                best = (ov, lab, longer)
    return (best[1], best[2]) if best else (None, False)


# Abbreviated first words of names ("St. Louis", "Mt. Pleasant", "Ft. Worth"): the full stop does not end the name.
_ABBREVIATED_HEADS = frozenset({"st", "ste", "mt", "ft"})


def _adjacent(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    if gap == ". " and a.text.lower() in _ABBREVIATED_HEADS:
        return True
    return gap in (" ", "-", " -", "- ") or (gap == "" and a.text.endswith("-"))


class Recognizer:
    """Finds place names in text: gazetteer candidates gated by context."""

    def __init__(self, gazetteer: Gazetteer, *, threshold: float = THRESHOLD) -> None:
        self.gazetteer = gazetteer
        self.threshold = threshold
        self._countries: set[str] = set()
        self._small_countries = frozenset(cc for cc, c in gazetteer.countries.items() if c.population < SMALL_COUNTRY)

    def recognise(
        self,
        text: str,
        *,
        doc: Any = None,
        context_names: Iterable[str] = (),
        context_countries: Iterable[str] = (),
        hints: list[Toponym] | None = None,
    ) -> list[Toponym]:
        """Place names in ``text``.  ``context_names`` (dateline and headline words) and
        ``context_countries`` (ISO codes the article is about) make matching names likelier places.

        When ``hints`` is a list, counties named only inside an organisation's
        name ("Walker County Sheriff's Office") are appended to it: no mention
        of a place, but evidence of where the story is."""
        tokens = tokenize(text)
        ents = _ent_labels(doc, len(text))
        sent_starts = sentence_starts(text, doc)
        lowered = {t.text for t in tokens if t.text[:1].islower() and not t.is_cap}
        context = {fold(n) for n in context_names}
        persons = _person_words(ents, text, self._is_well_known)
        self._countries = set(context_countries)
        out: list[Toponym] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if not tok.is_cap:
                i += 1
                continue
            match = self._longest_match(text, tokens, i)
            if match is None:
                top = self._unlisted(text, tokens, i, ents)
                if top is not None:
                    out.append(top)
                i += 1
                continue
            j, cands = match
            if not cands:  # a known region without a gazetteer point, or a phrase that is never a place
                name = text[tok.start : tokens[j].end]
                if fold(name) in UNLISTED_REGIONS:
                    region = region_place(name)
                    cands = (Candidate(region, EXACT),) if region is not None else ()
                    out.append(Toponym(name, tok.start, tokens[j].end, cands, 0.8, relation="region"))
                i = j + 1
                continue
            top = self._score(text, tokens, i, j, cands, ents, sent_starts, lowered, context, persons)
            if top is not None:
                out.append(top)
            i = j + 1
        out = self._repeat_unlisted(text, tokens, out)
        kept = self._one_sense_per_discourse(out)
        if hints is not None:
            ids = {id(t) for t in kept}
            hints.extend(t for t in out if id(t) not in ids and _names_a_county(t))
        return kept

    def _repeat_unlisted(self, text: str, tokens: list[Token], tops: list[Toponym]) -> list[Toponym]:
        """A village recognised once from its cue ("the village of Sousian") is a place everywhere in the text."""
        names = {t.text for t in tops if not t.candidates}
        if not names:
            return tops
        extra = [
            Toponym(tok.text, tok.start, tok.end, (), 0.6)
            for tok in tokens
            if tok.text in names and not any(t.start < tok.end and tok.start < t.end for t in tops)
        ]
        return sorted(tops + extra, key=lambda t: t.start)

    def _is_well_known(self, word: str) -> bool:
        """A country, province or city of 100k+ by that exact (or alternate) name."""
        return any(
            c.kind != LOOSE and (c.place.feature_code in ("PCLI", "ADM1") or c.place.population >= 100_000)
            for c in self.gazetteer.lookup(word.strip(".,;:’'"))
        )

    # ---------------------------------------------------------------- matching

    def _longest_match(self, text: str, tokens: list[Token], i: int) -> tuple[int, tuple[Candidate, ...]] | None:
        last = i
        k = i
        while k + 1 < len(tokens) and k + 1 - i < MAX_TOKENS and _adjacent(text, tokens[k], tokens[k + 1]):
            nxt = tokens[k + 1]
            if not (nxt.is_cap or nxt.lower in _CONNECTORS):
                break
            k += 1
            if nxt.is_cap:
                last = k
        for j in range(last, i - 1, -1):
            if not tokens[j].is_cap:
                continue
            name = text[tokens[i].start : tokens[j].end]
            if fold(name) in UNLISTED_REGIONS or fold(name) in NOT_PLACE_PHRASES:
                return j, ()
            if j == i and tokens[i].text.isupper() and len(tokens[i].text.rstrip(".")) > 1 and tokens[i].text not in _ALLCAPS_OK:
                # headline capitals: "STRAFING" is not a place name, but a dateline "BEIRUT (Reuters)" is
                if "." not in tokens[i].text and not _is_dateline(text, tokens[i].start, tokens[i].end):
                    continue
            cands = self.gazetteer.lookup(name)
            if cands:
                return j, self._with_bare_city(tokens, i, j, cands)
        return None

    def _with_bare_city(self, tokens: list[Token], i: int, j: int, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """``Dublin City`` (Schools), ``City of Richmond``: only a division is so called, so the readings of the bare name count too.

        GeoNames names the Irish division "Dublin City" and the town "Dublin";
        a town written with "City" after it ("Kansas City", "Quebec City",
        "Gaza City") keeps its own readings.
        """
        if j == i:
            return cands
        if tokens[j].lower == "city":
            words = tokens[i:j]
        elif j - i >= 2 and tokens[i].lower == "city" and tokens[i + 1].lower == "of":  # "City of Richmond"
            words = tokens[i + 2 : j + 1]
        else:
            return cands
        if any(c.kind != LOOSE and c.place.feature_class == "P" and "city" in fold(c.place.name).split() for c in cands):
            return cands
        seen = {c.place.geonameid for c in cands}
        if not any(c.kind == EXACT for c in cands) and tokens[j].lower == "city":
            # "Springfield City" (Area Transit) is only another name of one Springfield: the towns so named
            # are read too, and the text says which ("Quebec City" keeps the city: no province is added)
            bare = self.gazetteer.lookup(" ".join(t.text for t in words))
            return cands + tuple(c for c in bare if c.kind == EXACT and c.place.feature_class == "P" and c.place.geonameid not in seen)
        if not any(c.kind == EXACT and c.place.feature_code in ("ADM1", "ADM2", "ADM3") for c in cands):
            return cands
        bare = self.gazetteer.lookup(" ".join(t.text for t in words))
        return cands + tuple(c for c in bare if c.place.geonameid not in seen)

    def _unlisted(self, text: str, tokens: list[Token], i: int, ents: list[tuple[int, int, str]]) -> Toponym | None:
        """A capitalised word the gazetteer lacks, kept when context says place ("Sousian village")."""
        tok = tokens[i]
        if tok.lower in NOT_PLACES or tok.text.isupper():
            return None
        prev = tokens[i - 1].lower if i > 0 else ""
        prev2 = tokens[i - 2].lower if i > 1 else ""
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if i + 1 < len(tokens) and tokens[i + 1].is_cap and _adjacent(text, tok, tokens[i + 1]):
            return None
        if i > 0 and tokens[i - 1].is_cap and _adjacent(text, tokens[i - 1], tok):
            return None
        label, _ = _label_for(ents, tok.start, tok.end)
        cue_after = nxt in ("village", "town", "district", "neighbourhood", "neighborhood", "camp", "area")
        cue_before = prev in ("village", "town") or (prev == "of" and prev2 in ("village", "town", "city", "district"))
        if not (cue_after or cue_before):
            return None
        if label in ("PERSON", "ORG", "NORP", "DATE", "TIME", "CARDINAL"):
            if not cue_before:
                return None
        hint = "local" if nxt in ("village", "town", "neighbourhood", "neighborhood", "camp") else None
        return Toponym(tok.text, tok.start, tok.end, (), 0.7, admin_hint=hint)

    # ---------------------------------------------------------------- scoring

    def _score(
        self,
        text: str,
        tokens: list[Token],
        i: int,
        j: int,
        cands: tuple[Candidate, ...],
        ents: list[tuple[int, int, str]],
        sent_starts: list[int],
        lowered: set[str],
        context: set[str],
        persons: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> Toponym | None:
        first, last = tokens[i], tokens[j]
        start, end = first.start, last.end
        surface = text[start:end]
        fsurf = fold(surface)
        single = i == j
        f: dict[str, float] = {}
        if single and first.lower in NOT_PLACES and first.lower not in PERSON_LIKE_PLACES:
            return None
        if surface in DEMONYMS or _CONTRACTION.search(surface):
            return None
        strong = [c for c in cands if c.kind != LOOSE]
        big = max((c.place.population for c in strong), default=0)
        # a province of a very small country is no evidence of a place name ("Michael" is a parish of Man)
        admin_level = any(
            c.place.feature_code in ("PCLI", "CONT")
            or (c.place.feature_code == "ADM1" and c.place.country_code not in self._small_countries)
            for c in strong
        )
        f["base"] = -0.6
        if not strong:
            f["loose_only"] = -1.2
        if admin_level:
            f["admin_level"] = 1.6
        if big >= 1_000_000:
            f["pop"] = 1.4
        elif big >= 100_000:
            f["pop"] = 1.0
        elif big >= 10_000:
            f["pop"] = 0.5
        elif big < 1000 and not admin_level:
            f["pop"] = -0.4
        if not single:
            f["multiword"] = 0.6
        label, longer = _label_for(ents, start, end)
        if label in ("GPE", "LOC"):
            f["ner"] = 2.2 if not longer else 0.8
        elif label == "FAC":
            f["ner"] = 0.6
        elif label == "PERSON":
            f["ner"] = -1.6
        elif label in ("ORG", "NORP"):
            f["ner"] = -1.2 if longer else -0.8
        elif ents and label is None:
            f["ner"] = -0.4
        elif label in ("DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "PERCENT", "WORK_OF_ART", "EVENT", "LAW"):
            f["ner"] = -1.5

        prev = tokens[i - 1] if i > 0 else None
        prev2 = tokens[i - 2] if i > 1 else None
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        sent_initial = _is_sentence_start(start, sent_starts, text)
        # A locative word before it ("in Homs", "west of al-Bab", "village of X")
        if prev is not None and prev.lower in PLACE_PREPOSITIONS and prev.end >= start - 2:
            f["prep"] = 1.4
        if start >= 2 and _PARTY.match(text, start - 2):
            f["party"] = 1.5  # "(D-Ohio)", "R-Charleston": a legislator's state or home town
        framed = prev is not None and prev2 is not None and prev.lower == "of" and prev2.lower in _FRAME_NOUNS
        if framed:
            f["frame"] = 0.8  # "the village of X", "the town of X"
        if label == "PERSON" and single and f.get("prep") and (framed or prev.lower in _LOCATIVE) and not _POSSESSIVE.search(surface):
            # "protested in Tolga": the small model calls many African towns persons; after a locative
            # preposition, with a gazetteer entry, the label counts half
            f["ner"] = -0.8
        admin_hint = None
        if nxt is not None and nxt.start - end <= 1:
            if nxt.lower in PLACE_NOUNS_ADMIN:
                f["noun"] = 1.4
                if nxt.lower not in PROVINCE_ONLY_NOUNS or any(c.place.feature_code == "ADM1" for c in cands):
                    admin_hint = "admin"
            elif nxt.lower in PLACE_NOUNS_LOCAL:
                f["noun"] = 1.0
                admin_hint = "local"
        # Inside a longer proper name: "Islamic State", "Mosul University", "Jackson Smith"
        embedded_before = (
            prev is not None
            and prev.is_cap
            and _adjacent(text, prev, first)
            and not (_is_sentence_start(prev.start, sent_starts, text) and fold(prev.text) not in persons)
        )
        embedded_after = nxt is not None and nxt.is_cap and _adjacent(text, last, nxt) and "admin" != admin_hint
        well_known = admin_level or big >= 100_000
        relation = None
        if nxt is not None and _adjacent(text, last, nxt) and nxt.lower in ORG_HEADS and nxt.is_cap:
            f["org"] = -0.9 if well_known else -2.4
            relation = "embedded"
        elif embedded_before or embedded_after:
            f["embedded"] = -0.7 if well_known else -1.4
            relation = "embedded"
        if relation == "embedded" and not strong:
            f["loose_embedded"] = -1.5  # "Ben Badis" is not Bern: a spelling likeness inside a longer name
        if relation and label in ("ORG", "FAC") and longer and well_known:
            f["ner"] = 0.0  # "Gainesville Public Utilities": a place named inside an organisation
        if single and fsurf in persons and label != "GPE":
            f["person_name"] = -2.5  # "Farrin" after "John Farrin" earlier in the text
        if prev is not None and prev.lower in _TITLES and _adjacent(text, prev, first):
            f["title"] = -2.5
        if nxt is not None and nxt.lower in _SPEECH and nxt.start - end <= 1 and label == "PERSON":
            f["speech"] = -1.5
        if sent_initial and single and label not in ("GPE", "LOC"):
            f["initial"] = -0.8
        if single and first.text in lowered:
            f["common_word"] = -1.6
        if single and first.text.lower() in lowered:
            f["common_word"] = -1.6
        if fsurf in context:
            f["context"] = 1.5
        elif any(c.place.country_code in self._countries and c.place.population >= 1000 for c in strong):
            f["context_country"] = 0.8
        if surface.isupper() and surface not in _ALLCAPS_OK and "." not in surface:
            if _is_dateline(text, start, end):
                f["dateline"] = 2.0
            elif single:
                f["allcaps"] = -2.0
        s = sum(f.values())
        score = 1 / (1 + math.exp(-s))
        return Toponym(surface, start, end, cands, score, admin_hint=admin_hint, relation=relation, features=f)

    def _one_sense_per_discourse(self, tops: list[Toponym]) -> list[Toponym]:
        best: dict[str, float] = {}
        for t in tops:
            k = fold(t.text)
            best[k] = max(best.get(k, 0.0), t.score)
        out = []
        for t in tops:
            b = best[fold(t.text)]
            if t.score < self.threshold <= b and t.features.get("title", 0) == 0:
                t.score = max(t.score, min(b, (t.score + b) / 2 + 0.1))
            if t.score >= self.threshold:
                out.append(t)
        return out


_COUNTY_WORDS = frozenset({"county", "parish", "borough"})


def _names_a_county(t: Toponym) -> bool:
    """A county's full name ("Edgar County", "Rapides Parish") that the gazetteer has as a division."""
    words = fold(t.text).split()
    return len(words) > 1 and words[-1] in _COUNTY_WORDS and any(
        c.kind == EXACT and c.place.feature_code == "ADM2" for c in t.candidates
    )


_CONTRACTION = re.compile(r"[’'](?:ll|ve|re|d|m|t|s)$", re.IGNORECASE)
_DATELINE_AFTER = re.compile(r"^(?:\s*[,/]\s*[A-Z][\w.]*)*\s*(?:\(|—|–|-|,|:)")


_HEADLINE_END = re.compile(r"[.!?][\"”’)]*\s+$")


def _is_dateline(text: str, start: int, end: int) -> bool:
    """``BEIRUT (Reuters) –`` / ``CHARLESTON, W.Va. —``: an upper-case place at the start of a line,
    or right after a sentence when a headline and the body were run together on one line
    ("Troops return home. ARLINGTON — ...")."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if before.strip(" \"“") and not _HEADLINE_END.search(before[-12:]):
        return False
    return bool(_DATELINE_AFTER.match(text[end : end + 40]))


def _person_words(ents: list[tuple[int, int, str]], text: str, well_known: Any) -> set[str]:
    """Words of multi-word PERSON names in the text (their later bare uses are people too).

    A "name" containing a well-known place ("Losing Mosul") is a tagging error and is ignored.
    """
    out: set[str] = set()
    for s, e, lab in ents:
        if lab == "PERSON":
            words = text[s:e].split()
            if len(words) >= 2 and not any(well_known(w) for w in words):
                out.update(fold(w) for w in words)
    return out


def _is_sentence_start(pos: int, sent_starts: list[int], text: str) -> bool:
    """``pos`` opens a sentence: a start at it, or at the last start before it with only quotes and spaces between.

    ``sent_starts`` is sorted, so only the last start at or before ``pos`` can qualify (a logarithmic
    look-up: a linear scan made recognition quadratic in the length of a long report).
    """
    k = bisect.bisect_right(sent_starts, pos)
    if k == 0:
        return False
    s = sent_starts[k - 1]
    return s == pos or not text[s:pos].strip(" \"“‘'(")
