"""The geoparser: recognise and resolve places in a text, then say where each event happened.

``parse`` returns :class:`PlaceMention` objects (offsets into the text given);
``locate`` fills ``EventMention.location`` from the places in and around each
event's evidence: the sentence first, then the paragraph, then the article's
main place, and the newsroom dateline only when the body names nowhere.
Relation words are honoured: ``8 km northwest of al-Bab`` is a point offset
from al-Bab, ``a village near X`` is X (precision 2), ``in Homs province`` the
province (precision 3), ``western Mosul`` Mosul (precision 2).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from collections.abc import Sequence
from typing import Any

from ..models import Article, Place, PlaceMention
from .aliases import (
    BEARINGS,
    DEMONYMS,
    NOT_PLACE_PHRASES,
    NOT_PLACES,
    PART_ADJECTIVES,
    PERSON_LIKE_PLACES,
    PROVINCE_ONLY_NOUNS,
    UNLISTED_REGIONS,
)
from .names import fold
from .gazetteer import ALTERNATE, EXACT, LOOSE, Candidate, Gazetteer
from .recognizer import Recognizer, Toponym
from .regions import SPAN_ONLY, is_region, region_place
from .locate import EventLocator
from .resolver import Context, Resolver, build_context
from .relations import place_relation

log = logging.getLogger(__name__)

VERSION = "geoparse.v1"

# a reading by spelling likeness, or by an alternate name of a place this small (divisions count 0), is dropped
# when the text names none of its country (:func:`_drop_foreign_loose`); 3 settings tried on the dev corpora
GATED_ALTERNATE_POP = 50_000
_STREET_AFTER = re.compile(
    r"\s+(?:Street|St\b|Avenue|Ave\b|Road|Rd\b|Drive|Dr\b|Boulevard|Blvd|Lane|Ln\b|Way|Place|Court|Ct\b|Parkway|Pkwy"
    r"|Highway|Hwy|Square|Terrace|Circle|Pike|Turnpike)"
)
# resolving given spans, the text's other names with an exact country, province or second-level division reading
# (e.g. "Georgia" in an agency's name; also towns named like a division, such as "Paris") are read alongside, as
# evidence, at this share of their recognition score.  Chosen on the dev corpora, about ten settings tried: 0.3/0.5/1.0;
# without divisions; all towns, or towns over 100k/500k, as evidence too; alternate names ("Ga.") too; divisions
# only when written "X County" -- each scored the same or worse.
EVIDENCE_SCORE = 0.5
EVIDENCE_CODES = ("ADM1", "ADM2", "PCLI")
# an unresolved name with a reading this well known (a country, a capital or a city this big) takes that
# reading rather than an anchor (one setting tried; provinces too scored worse: "Western" read as Ghana's)
WELL_KNOWN_POP = 1_000_000
ANCHOR_CHARS = 100  # an unlisted place takes the reading of a town or county written this close to it (6 values tried on the even-numbered dev docs)
GENERIC_TAILS = frozenset({"county", "parish", "district", "province", "prefecture", "governorate", "region", "state", "city", "town", "village"})
# Words that alone never name the place inside a longer name ("Lake", "West", "University").
_GENERIC_WORDS = (
    NOT_PLACES | PART_ADJECTIVES | GENERIC_TAILS | frozenset(BEARINGS)
    | frozenset({"of", "the", "lake", "river", "mount", "mountain", "mountains", "valley", "island", "islands",
                 "bay", "sea", "ocean", "park", "airport", "international", "embassy", "academy", "tower", "square",
                 "avenue", "drive", "high", "port", "fort", "colony", "township", "twp", "co", "center", "centre",
                 "new", "upper", "lower", "saint", "st", "san", "santa", "bank", "reserve", "commission", "council",
                 "institute", "hall", "station", "bridge", "beach", "springs", "falls", "heights", "village"})
)
# Adjectives of the United Kingdom's nations: the nation, not the whole kingdom.
NATION_WORDS = {"English": "England", "Scottish": "Scotland", "Welsh": "Wales", "Scots": "Scotland"}
REGION_WORDS = {
    "EU": "Europe", "European Union": "Europe", "European": "Europe", "African": "Africa",
    "Asian": "Asia", "Central American": "Central America", "Latin American": "Latin America",
    "North American": "North America", "South American": "South America", "Kurdish": "Kurdistan",
    "Caribbean": "Caribbean", "Middle Eastern": "Middle East",
}


class Geoparser(EventLocator):
    """Toponym recognition + resolution over text, and event location."""

    version = VERSION

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.recognizer = Recognizer(gazetteer)
        self.resolver = Resolver(gazetteer)
        self._faint_recognizer: Recognizer | None = None

    # ------------------------------------------------------------ parse

    def parse(
        self, text: str, *, doc: Any = None, article: Article | None = None, fallback_to_anchor: bool = False
    ) -> list[PlaceMention]:
        """Place mentions in ``text`` (offsets into it), resolved where the gazetteer allows.

        With ``fallback_to_anchor`` a recognised name left unresolved (one the
        gazetteer lacks, or a lone guess the resolver declined) gets the nearest
        resolvable anchor, as :meth:`resolve_spans` does: see :meth:`_anchor_unresolved`.
        """
        context_names: list[str] = list(article.dateline_places) if article else []
        if article is not None and article.headline:
            context_names += re.findall(r"\b[A-Z][\w‘’'-]+(?:\s+[A-Z][\w‘’'-]+)*", article.headline)
        context = self._context(text, article)
        strong = {cc for cc, w in context.countries.items() if w >= 1.0}
        hints: list[Toponym] = []
        toponyms = self.recognizer.recognise(text, doc=doc, context_names=context_names, context_countries=strong, hints=hints)
        if not hints:
            out = self._resolve(text, toponyms, context)
        else:
            # counties named inside organisations' names are read with the places, as evidence, but are no mentions
            resolved = self._resolve(text, sorted(toponyms + hints, key=lambda t: t.start), context)
            spans = {(t.start, t.end) for t in hints}
            out = [m for m in resolved if (m.start, m.end) not in spans]
        return self._anchor_unresolved(out, article) if fallback_to_anchor else out

    def resolve_spans(
        self,
        text: str,
        spans: Sequence[tuple[int, int]],
        *,
        article: Article | None = None,
        fallback_to_anchor: bool = False,
        text_evidence: bool = True,
    ) -> list[PlaceMention]:
        """Resolve given name spans (gold-mention evaluation), in the order given; recognition is skipped.

        A demonym span ("Russian") resolves to its country.  With
        ``fallback_to_anchor`` a name the gazetteer lacks ("Royal Street") gets
        the text's main place with relation ``"anchor"`` (the nearest
        resolvable anchor, as :meth:`locate` does) instead of None.  With
        ``text_evidence`` (the default) the other place names the gazetteer
        matcher finds in the text, when they can name a country, province or
        second-level division ("the Georgia Bureau of Investigation"; not
        "Washington Drive"), are read alongside the given spans, as evidence
        of where the story is, but are not returned.
        """
        toponyms = []
        for s, e in spans:
            name = text[s:e]
            key = fold(name)
            if key in UNLISTED_REGIONS or key in SPAN_ONLY:
                region = region_place(name, span=True)
                cands = (Candidate(region, EXACT),) if region is not None else ()
            elif key in NOT_PLACE_PHRASES or (key in NOT_PLACES and key not in PERSON_LIKE_PLACES and not name.isupper()):
                cands = ()
            else:
                cands = self.gazetteer.lookup(name) or self._fallback_candidates(name)
            if name in NATION_WORDS:
                cands = tuple(self.gazetteer.admin1_named(NATION_WORDS[name], country_code="GB")[:1])
                cands = tuple(Candidate(p, EXACT) for p in cands)
            elif name in DEMONYMS and DEMONYMS[name] in self.gazetteer.countries:
                cands = (Candidate(self.gazetteer.countries[DEMONYMS[name]], EXACT),)
            elif name in REGION_WORDS:
                region = region_place(REGION_WORDS[name])
                cands = (Candidate(region, EXACT),) if region is not None else tuple(
                    c for c in self.gazetteer.lookup(REGION_WORDS[name]) if c.place.feature_code == "CONT"
                )
            rel = place_relation(text, s, e)[0]
            hint = "admin" if rel in ("province", "governorate", "county", "district") else None
            if rel in PROVINCE_ONLY_NOUNS and any(c.place.feature_code == "ADM1" for c in cands):
                hint = "admin"
            toponyms.append(Toponym(name, s, e, cands, 1.0, admin_hint=hint))
        context = self._context(text, article)
        if text_evidence:
            out = self._resolve_with_evidence(text, toponyms, context)
        else:
            out = self._resolve(text, toponyms, context, sort=False)
        return self._anchor_unresolved(out, article) if fallback_to_anchor else out

    def _anchor_unresolved(self, out: list[PlaceMention], article: Article | None) -> list[PlaceMention]:
        """Give each unresolved name the nearest resolvable anchor (relation ``"anchor"``, score times 0.3).

        The town or county written within :data:`ANCHOR_CHARS` of it, else the
        text's main place: a name the gazetteer lacks, or a guess the resolver
        left open, is placed where the text is, never on another continent.
        """
        if all(m.place is not None for m in out):
            return out
        main = self._main_place(article, out)
        towns = [
            m for m in out
            if m.place is not None and m.score >= 0.4 and m.place.feature_code not in ("PCLI", "ADM1") and not is_region(m.place)
        ]
        # a town of the country most of the text's places are in, not a foreign one written close by
        # ("New Delhi" beside an unlisted "Port of Los Angeles" in a Californian story)
        home = Counter(m.place.country_code for m in out if m.place is not None and m.place.country_code)
        if home:
            cc, n = home.most_common(1)[0]
            if n >= 0.5 * sum(home.values()) and any(m.place.country_code == cc for m in towns):
                towns = [m for m in towns if m.place.country_code == cc]
        fixed = []
        for m in out:
            if m.place is None and (known := self._well_known(m.text)) is not None:
                # "London" left open in a story from Washington: a reader takes the capital, not the newsroom
                m = PlaceMention(m.text, m.start, m.end, known, m.score * 0.3, "well-known")
            if m.place is None:
                # the nearest town or county written close by ("the Neches ... near Beaumont"), else the main place
                near = min(towns, key=lambda q: abs(q.start - m.start), default=None)
                anchor = near if near is not None and abs(near.start - m.start) <= ANCHOR_CHARS else main
                if anchor is not None:
                    m = PlaceMention(m.text, m.start, m.end, anchor.place, m.score * 0.3, "anchor")
            fixed.append(m)
        return fixed

    def _well_known(self, name: str) -> Place | None:
        """The reading of ``name`` every reader knows, if any: a country, a capital or a city of
        :data:`WELL_KNOWN_POP` people or more, written exactly so.  Provinces are not read so: many
        bear plain words ("Western", "Central", "West Coast")."""
        best = None
        for c in self.gazetteer.lookup(name):
            p = c.place
            if c.kind != EXACT or is_region(p):
                continue
            rank = (
                2 if p.feature_code == "PCLI"
                else 1 if p.feature_class == "P" and (p.feature_code == "PPLC" or p.population >= WELL_KNOWN_POP)
                else 0
            )
            if rank and (best is None or (rank, p.population) > best[0]):
                best = ((rank, p.population), p)
        return best[1] if best else None

    def _resolve_with_evidence(self, text: str, toponyms: list[Toponym], context: Context) -> list[PlaceMention]:
        """Resolve ``toponyms`` together with the names the gazetteer matcher finds elsewhere in ``text``."""
        strong = {cc for cc, w in context.countries.items() if w >= 1.0}
        hints: list[Toponym] = []
        found = self.recognizer.recognise(text, context_countries=strong, hints=hints)
        taken = [(t.start, t.end) for t in toponyms]
        extra = [
            replace(t, score=t.score * EVIDENCE_SCORE) for t in found + hints
            if t.candidates and not any(t.start < e and s < t.end for s, e in taken)
            and any(c.kind == EXACT and c.place.feature_code in EVIDENCE_CODES for c in t.candidates)
            and not _STREET_AFTER.match(text, t.end)  # "Washington Drive" says nothing of the state
        ]
        if not extra:
            return self._resolve(text, toponyms, context, sort=False)
        order = sorted(range(len(toponyms) + len(extra)), key=lambda k: (toponyms + extra)[k].start)
        both = [(toponyms + extra)[k] for k in order]
        resolved = self._resolve(text, both, context, sort=False)
        out: list[PlaceMention | None] = [None] * len(toponyms)
        for k, m in zip(order, resolved):
            if k < len(toponyms):
                out[k] = m
        return [m for m in out if m is not None]

    def _fallback_candidates(self, name: str) -> tuple:
        """For a name the gazetteer lacks: drop "the", a possessive or a generic word ("County")."""
        words = name.replace("’s", "").replace("'s", "").split()
        if words and words[0].lower() == "the":
            words = words[1:]
        trials = [" ".join(words)]
        if len(words) > 1 and words[-1].lower().rstrip(".") in ("co", "cnty"):  # "Platte Co."
            trials.append(" ".join(words[:-1]) + " County")
        if len(words) > 1 and words[-1].lower() in GENERIC_TAILS:
            trials.append(" ".join(words[:-1]))
        for t in trials:
            c = self.gazetteer.lookup(t)
            if c:
                return c
        return self._inner_candidates(words)

    def _inner_candidates(self, words: list[str]) -> tuple:
        """The country named inside a name the gazetteer lacks ("US Federal Reserve", "Russian Embassy").

        The longest capitalised run, not all generic words, that is a country's
        name or a demonym.  Reading towns and provinces inside names too was
        tried and scored worse on the dev corpora than falling back to the
        article's main place (a tower or a lake is seldom at the namesake town).
        """
        for n in range(len(words) - 1, 0, -1):
            for i in range(len(words) - n + 1):
                sub = words[i : i + n]
                name = " ".join(sub)
                if name in ("European", "Europe"):  # "European Commission", "Council of Europe"
                    cont = [c for c in self.gazetteer.lookup("Europe") if c.place.feature_code == "CONT"]
                    if cont:
                        return tuple(cont)
                if not sub[0][:1].isupper() or all(fold(w) in _GENERIC_WORDS for w in sub):
                    continue
                if fold(name) in UNLISTED_REGIONS or fold(name) in NOT_PLACE_PHRASES:
                    continue
                if name in DEMONYMS and DEMONYMS[name] in self.gazetteer.countries:
                    return (Candidate(self.gazetteer.countries[DEMONYMS[name]], EXACT),)
                cands = tuple(c for c in self.gazetteer.lookup(name) if c.kind != LOOSE and c.place.feature_code == "PCLI")
                if cands:
                    return cands
        return ()

    def _context(self, text: str, article: Article | None) -> Context:
        if article is None:
            return build_context(self.gazetteer, text)
        return build_context(
            self.gazetteer,
            text,
            dateline_country=article.dateline_country,
            dateline_places=article.dateline_places,
            headline=article.headline,
        )

    def _resolve(self, text: str, toponyms: list[Toponym], context: Context, *, sort: bool = True) -> list[PlaceMention]:
        out = []
        for top, place, conf in _drop_foreign_loose(self.resolver.resolve(text, toponyms, context), context):
            rel, _km, _b = place_relation(text, top.start, top.end)
            rel = rel or top.relation
            # "the Red Sea" (a region of .regions) is the sea, not Egypt's Red Sea governorate
            division = place is not None and place.feature_code not in ("ADM1", "PCLI") and not is_region(place)
            if rel in ("province", "governorate", "region", "state") and division:
                adm = self.gazetteer.admin1_named(place.admin1 or "", country_code=place.country_code)
                named = self.gazetteer.admin1_named(top.text, country_code=place.country_code)
                if named or rel not in PROVINCE_ONLY_NOUNS:
                    place = (named or adm or [place])[0]
            out.append(PlaceMention(top.text, top.start, top.end, place, max(0.0, min(1.0, conf)), rel))
        if sort:
            out.sort(key=lambda m: m.start)
        return out

def _drop_foreign_loose(
    resolved: list[tuple[Toponym, Place | None, float]], context: Context
) -> list[tuple[Toponym, Place | None, float]]:
    """Unresolve a name read by an alternate name or spelling likeness in a country the text gives no evidence for.

    "Kalehe" read as Iran's "Alkalleh" in a note about FARDC soldiers: the text's
    countries (dateline, demonyms, actors, its other names read exactly) exclude it,
    so the name is an unlisted place, anchored on the text's other places, instead.  When the
    name also has a reading in an evidence country ("Beni" in Congo, not Bolivia's department),
    that reading is taken.  A text with no country evidence at all keeps the reading, and so
    does a division read by an alternate name ("B.C.") with no reading at home.
    """
    def kind(t: Toponym, p: Place) -> int | None:
        return next((c.kind for c in t.candidates if c.place.geonameid == p.geonameid), None)

    evidence = {cc for cc, w in context.countries.items() if w > 0}
    evidence |= {p.country_code for t, p, _ in resolved if p is not None and p.country_code and kind(t, p) == EXACT}
    if not evidence:
        return resolved
    out = []
    for t, p, conf in resolved:
        if p is not None and p.country_code not in evidence and (
            kind(t, p) == LOOSE or (kind(t, p) == ALTERNATE and p.population < GATED_ALTERNATE_POP)
        ):
            # "Beni territory" read as Bolivia's Beni Department by an alternate name: the town of the
            # evidence country written exactly so (the most populous; a division only when no town) wins
            home = [c for c in t.candidates if c.kind != LOOSE and c.place.country_code in evidence
                    and c.place.feature_code not in ("PCLI", "CONT") and not is_region(c.place)]
            if home:
                best = max(home, key=lambda c: (-c.kind, c.place.feature_class == "P", c.place.population))
                out.append((t, best.place, conf * 0.8))
            elif kind(t, p) == ALTERNATE and p.feature_code == "ADM1":
                out.append((t, p, conf))  # "B.C." next to "NSW": a division's abbreviation needs no local evidence
            else:
                out.append((t, None, t.score))
        else:
            out.append((t, p, conf))
    return out
