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

from ..models import Article, EventMention, Location, Place, PlaceMention
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
from .eventplace import FaintNames, faint_recognizer, home_countries, is_foreign, no_event_place
from .names import fold
from .gazetteer import ALTERNATE, EXACT, LOOSE, Candidate, Gazetteer, offset_point
from .recognizer import Recognizer, Toponym
from .regions import SPAN_ONLY, is_region, region_place
from .resolver import Context, Resolver, build_context

log = logging.getLogger(__name__)

VERSION = "geoparse.v1"

_DIRS = "|".join(sorted((re.escape(k) for k in BEARINGS), key=len, reverse=True))
_OFFSET_BEFORE = re.compile(
    rf"(?:about|around|some|nearly|roughly)?\s*(\d+(?:\.\d+)?)\s*(?:km|kms|kilometers|kilometres|miles?)\b"
    rf"(?:\s*\([^)]*\))?\s+(?:to\s+the\s+)?({_DIRS})\s+of\s+$",
    re.IGNORECASE,
)
_DIR_BEFORE = re.compile(rf"\b(?:just\s+)?(?:to\s+the\s+)?({_DIRS})\s+of\s+$", re.IGNORECASE)
_NEAR_BEFORE = re.compile(r"\b(near|outside|outskirts\s+of|close\s+to|around|south\s+of|north\s+of)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+|village\s+of\s+)?$", re.IGNORECASE)
_PART_BEFORE = re.compile(r"\b(" + "|".join(sorted(PART_ADJECTIVES, key=len, reverse=True)) + r")\s+$", re.IGNORECASE)
_ADMIN_AFTER = re.compile(r"^[’']?s?\s+(province|governorate|district|region|state|county)\b", re.IGNORECASE)
_MILES_KM = 1.609344
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
# a place outside the story's home country (:func:`.eventplace.home_countries`) ranks this much lower among the
# event's candidates: a namesake abroad needs every other cue to beat a home place (1.0 and 2.0 scored within 2 notes
# of each other on each of two random halves of the ACLED dev notes)
FOREIGN_PENALTY = 2.0
ANCHOR_CHARS = 100  # an unlisted place takes the reading of a town or county written this close to it (6 values tried on the even-numbered dev docs)
_CONTROL_VERB = re.compile(
    r"\b(captured|recaptured|seized|took|retook|lost|entered|stormed|shelled|attacked|bombed|struck|hit|besieged|"
    r"liberated|overran|retake|capture|seize|storm|enter|reached|surrounded|encircled)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_OFFSET_ANYWHERE = re.compile(rf"\d\s*(?:km|kms|kilometers|kilometres|miles?)\b[^.]*?\b(?:{_DIRS})\s+of\b", re.IGNORECASE)
_METONYM_AFTER = re.compile(
    r"[’']?s?\s+(?:has\s+|had\s+|have\s+|is\s+|was\s+|will\s+|would\s+|also\s+|long\s+)*"
    r"(?:wants|wanted|said|says|supports|supported|backs|backed|accused|accuses|denied|denies|called|calls|urged|"
    r"urges|warned|warns|believes|told|insists|hopes|fears|condemned|announced|sent|agreed|demanded|rejected)\b"
)
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


def _relation(text: str, start: int, end: int) -> tuple[str | None, float | None, float | None]:
    """(relation, distance km, bearing) written around the name at [start, end)."""
    before = text[max(0, start - 80) : start]
    m = _OFFSET_BEFORE.search(before)
    if m:
        km = float(m.group(1))
        if "mile" in m.group(0).lower() and "km" not in m.group(0).lower() and "kilomet" not in m.group(0).lower():
            km *= _MILES_KM
        d = m.group(2).lower()
        return (f"{m.group(1)} km {d} of", km, BEARINGS[d])
    m = _DIR_BEFORE.search(before)
    if m:
        d = m.group(1).lower()
        return (f"{d} of", None, BEARINGS[d])
    m = _ADMIN_AFTER.match(text[end : end + 30])
    if m:
        return (m.group(1).lower(), None, None)
    m = _PART_BEFORE.search(before[-20:])
    if m:
        return (m.group(1).lower(), None, None)
    m = _NEAR_BEFORE.search(before[-40:])
    if m:
        return ("near", None, None)
    return (None, None, None)


class Geoparser:
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
            rel = _relation(text, s, e)[0]
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
            rel, _km, _b = _relation(text, top.start, top.end)
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

    # ------------------------------------------------------------ locate

    def locate(self, article: Article, mentions: list[EventMention], places: list[PlaceMention], *, doc: Any = None) -> None:
        """Set ``location`` on every mention from the places around its evidence."""
        body = article.body
        sents = _sentence_spans(body, doc)
        paras = _paragraph_spans(body)
        main = self._main_place(article, places)
        unlisted = self._unlisted_locations(body, places, sents)
        context = self._context(body, article)
        home = home_countries(places)
        faint = FaintNames(
            known=places, home=home,
            recognise=lambda: self._faint().recognise(body, doc=doc, context_countries=home),
            resolve=lambda tops: self._resolve(body, tops, context),
        )
        for m in mentions:
            try:
                m.location = self._locate_one(body, m, places, sents, paras, main, unlisted, doc, home=home, faint=faint)
            except Exception:  # one bad mention must not lose the article's other events
                log.exception("locating %s failed", m.id)
                m.location = None

    def _faint(self) -> Recognizer:
        if self._faint_recognizer is None:
            self._faint_recognizer = faint_recognizer(self.recognizer)
        return self._faint_recognizer

    def _locate_one(
        self,
        body: str,
        m: EventMention,
        places: list[PlaceMention],
        sents: list[tuple[int, int]],
        paras: list[tuple[int, int]],
        main: PlaceMention | None,
        unlisted: dict[str, Location] | None = None,
        doc: Any = None,
        *,
        home: frozenset[str] = frozenset(),
        faint: FaintNames | None = None,
    ) -> Location | None:
        unlisted = unlisted or {}
        spans = [(e.start, e.end) for e in m.evidence] or []
        in_sentence = [p for p in places if any(s <= p.start and p.end <= e for s, e in _covering(spans, sents))]
        if m.place_start is not None or m.place_text:
            for p in places:
                if (m.place_start is not None and p.start <= m.place_start < p.end) or (
                    m.place_start is None and m.place_text and p.text == m.place_text
                ):
                    if is_foreign(p, home) and any(q.place is not None and not is_foreign(q, home) for q in in_sentence):
                        continue  # a namesake abroad while the sentence names a place at home
                    loc = unlisted.get(p.text) if p.place is None else None
                    loc = loc or self._from_mention(body, p, places, sents)
                    finer = self._finer_within(body, p, m, places)
                    if finer is not None:
                        loc = self._from_mention(body, finer, places, sents) or loc
                    if loc is not None:
                        return loc
        trigger_at = None
        if m.trigger and m.evidence:
            k = body.find(m.trigger, m.evidence[0].start, m.evidence[0].end)
            trigger_at = k if k >= 0 else None
        for level, windows in (("evidence", spans), ("sentence", _covering(spans, sents)), ("paragraph", _covering(spans, paras))):
            inside = [p for p in places if any(s <= p.start and p.end <= e for s, e in windows)]
            best = self._best_in(body, inside, trigger_at=trigger_at, doc=doc, home=home)
            if best is not None:
                loc = unlisted.get(best.text) if best.place is None else None
                loc = loc or self._from_mention(body, best, places, sents)
                if loc is not None:
                    if level == "paragraph" and loc.geo_precision == 1:
                        loc = _with_precision(loc, 2) if best.place is None or best.place.feature_class != "P" else loc
                    if best.place is not None and (best.place.feature_code in ("PCLI", "ADM1") or is_region(best.place)):
                        # "protests in central X, Greece": a town the sentence names faintly is finer than its country
                        return self._faint_within(body, best.place, faint, _covering(spans, sents), places, sents) or loc
                    return loc
        loc = self._faint_within(body, None, faint, _covering(spans, sents), places, sents)
        if loc is not None:
            return loc
        if main is not None:
            loc = self._from_mention(body, main, places, sents)
            if loc is not None:
                return loc if loc.geo_precision >= 2 else _with_precision(loc, 2)
        return self._dateline_location(m, places)

    def _faint_within(
        self, body: str, within: Place | None, faint: FaintNames | None, windows: list[tuple[int, int]],
        places: list[PlaceMention], sents: list[tuple[int, int]],
    ) -> Location | None:
        """Where a name in the event's sentence too faint to be a mention puts it (inside ``within`` when given)."""
        weak = faint.within(within, windows) if faint is not None else None
        return self._from_mention(body, weak, places, sents) if weak is not None else None

    def _finer_within(self, body: str, hint: PlaceMention, m: EventMention, places: list[PlaceMention]) -> PlaceMention | None:
        """When the extractor's place is a country, province or region, a town of it in the evidence is finer."""
        if hint.place is None or not (hint.place.feature_code in ("PCLI", "ADM1") or is_region(hint.place)):
            return None
        spans = [(e.start, e.end) for e in m.evidence]
        if is_region(hint.place) and hint.place.country_code is None:
            # "the Middle East", "Central Africa": no country to hold the town to, but a town the
            # evidence itself names is still finer than a whole region
            towns = [p for p in places if p.place is not None and p.place.feature_class == "P" and p.score >= 0.5
                     and any(s <= p.start and p.end <= e for s, e in spans)]
            return self._best_in(body, towns) if towns else None
        inside = [
            p for p in places
            if p.place is not None and p.place.feature_class == "P" and p.score >= 0.5
            and p.place.country_code == hint.place.country_code
            and (hint.place.feature_code != "ADM1" or p.place.admin1 == hint.place.admin1)
            and any(s <= p.start and p.end <= e for s, e in spans)
        ]
        return self._best_in(body, inside) if inside else None

    def _unlisted_locations(
        self, body: str, places: list[PlaceMention], sents: list[tuple[int, int]]
    ) -> dict[str, Location]:
        """Where the text itself puts each unlisted place ("Sousian is 8 km northwest of al-Bab")."""
        out: dict[str, Location] = {}
        for p in places:
            if p.place is None:
                loc = self._from_mention(body, p, places, sents)
                if loc is None:
                    continue
                # an offset reading (geonameid None and a distance) beats a bare anchor
                sent = next(((s, e) for s, e in sents if s <= p.start < e), (p.start, p.end))
                has_offset = bool(_OFFSET_ANYWHERE.search(body[sent[0] : sent[1]]))
                if p.text not in out or has_offset:
                    out[p.text] = loc
        return out

    def _best_in(
        self, body: str, inside: list[PlaceMention], *, trigger_at: int | None = None, doc: Any = None,
        home: frozenset[str] = frozenset(),
    ) -> PlaceMention | None:
        """The place an event sentence is about: specific, locative, not a metonym or an origin."""
        first = min((p.start for p in inside if p.score >= 0.3), default=None)

        def rank(p: PlaceMention) -> float:
            r = min(p.score, 0.7) + _attachment(doc, p.start)  # past a point, cues beat confidence
            if is_foreign(p, home):
                r -= FOREIGN_PENALTY  # outside every country the story names: a namesake abroad, or context
            if p.start == first:
                r += 0.15
            if trigger_at is not None:
                r += 0.3 / (1 + abs(p.start - trigger_at) / 40)
            if p.relation == "region" or is_region(p.place):
                r -= 1.0 if p.place is None else 2.0  # "the Euphrates", "the Middle East": too vague to be where it happened
            elif p.place is None:
                r += 0.6  # an unlisted village named by the text is more specific than its anchor
            elif p.place.feature_code == "PCLI":
                r -= 1.2
            elif p.place.feature_code == "ADM1":
                r -= 0.5
            before = body[max(0, p.start - 24) : p.start].lower()
            if re.search(r"\b(in|at|near|into|on|(?:town|village|city|district|area) of)\s+(?:the\s+)?(?:\w+\s+)?$", before):
                r += 0.4
            elif _CONTROL_VERB.search(before):
                r += 0.4  # "lost Palmyra", "shelled Tadef"
            if re.search(r"\b(from|to|towards|toward)\s+$", before):
                r -= 0.5
            if _METONYM_AFTER.match(body, p.end):
                r -= 0.8  # "Ankara wants ...": a government, not a place
            if p.relation == "embedded":
                r -= 0.8  # "Mosul University": a place named inside an organisation
            if p.relation and p.relation.endswith(" of") and any(
                q is not p and q.start < p.start and p.start - q.end < 40 for q in inside
            ):
                # "Tadef south of al-Bab", "Samarra, 250 km south of Mosul": the anchor is not the place
                r -= 1.0 if p.relation[:1].isdigit() else 0.5
            return r

        cands = [p for p in inside if p.score >= 0.3]
        return max(cands, key=rank) if cands else None

    def _from_mention(
        self, body: str, p: PlaceMention, places: list[PlaceMention], sents: list[tuple[int, int]]
    ) -> Location | None:
        if p.place is not None and no_event_place(p.place):
            return None
        if p.place is not None:
            loc = self._location(p.place, p, precision=_precision(p))
            _rel, km, bearing = _relation(body, p.start, p.end)
            if km is not None and bearing is not None and p.place.feature_class == "P":
                lat, lon = offset_point(p.place.latitude, p.place.longitude, km=km, bearing=bearing)
                loc = replace(loc, latitude=round(lat, 5), longitude=round(lon, 5), geonameid=None,
                              location=f"{p.relation} {plain_name(p.place.name)}", geo_precision=2)
            return loc
        # Unlisted place: anchor on a resolved place related to it in the same sentence.
        sent = next(((s, e) for s, e in sents if s <= p.start < e), (p.start, p.end))
        anchors = [q for q in places if q.place is not None and sent[0] <= q.start < sent[1] and q is not p]
        anchors = [q for q in anchors if q.place.feature_code != "PCLI" and not is_region(q.place)] or anchors
        if not anchors:
            return None
        after = [q for q in anchors if q.start > p.start and q.relation]
        anchor = after[0] if after else min(anchors, key=lambda q: abs(q.start - p.start))
        lat, lon = anchor.place.latitude, anchor.place.longitude
        _rel, km, bearing = _relation(body, anchor.start, anchor.end)
        if km is not None and bearing is not None:
            lat, lon = offset_point(lat, lon, km=km, bearing=bearing)
        a = anchor.place
        return Location(
            location=p.text,
            country=self.gazetteer.country_name(a.country_code),
            country_code=a.country_code,
            admin1=a.admin1,
            admin2=a.admin2,
            latitude=round(lat, 5),
            longitude=round(lon, 5),
            geonameid=None,
            geo_precision=2,
            mention=p.text,
        )

    def _location(self, place: Place, p: PlaceMention | None, *, precision: int) -> Location:
        return Location(
            location=plain_name(place.name),
            country=self.gazetteer.country_name(place.country_code),
            country_code=place.country_code,
            admin1=place.admin1,
            admin2=place.admin2,
            latitude=place.latitude,
            longitude=place.longitude,
            geonameid=place.geonameid if place.geonameid > 0 else None,  # regions of .regions have no GeoNames id
            geo_precision=precision,
            mention=p.text if p else None,
        )

    def _main_place(self, article: Article | None, places: list[PlaceMention]) -> PlaceMention | None:
        """The article's most-mentioned specific place (ties: earliest)."""
        counts: Counter = Counter()
        first: dict[int, PlaceMention] = {}
        for p in places:
            if p.place is None or p.place.feature_code in ("PCLI", "CONT") or is_region(p.place) or p.score < 0.4:
                continue
            counts[p.place.geonameid] += 1
            first.setdefault(p.place.geonameid, p)
        if not counts:
            return None
        gid = max(counts, key=lambda g: (counts[g], -first[g].start))
        return first[gid]

    def _dateline_location(self, m: EventMention, places: list[PlaceMention]) -> Location | None:
        countries = [p for p in places if p.place is not None and p.place.feature_code == "PCLI"]
        if countries:
            c = Counter(p.place.geonameid for p in countries).most_common(1)[0][0]
            p = next(q for q in countries if q.place.geonameid == c)
            return self._location(p.place, p, precision=3)
        return None

    def locate_dateline(self, article: Article) -> Location | None:
        """Where the newsroom filed from (used only when the body names nowhere)."""
        ctx = self._context(article.body, article)
        for name in article.dateline_places:
            cands = [c for c in self.gazetteer.lookup(name) if c.kind != LOOSE]
            if ctx.dateline_country:
                cands = [c for c in cands if c.place.country_code == ctx.dateline_country] or cands
            if cands:
                best = max(cands, key=lambda c: c.place.population)
                return self._location(best.place, None, precision=2)
        return None


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


def _attachment(doc: Any, start: int) -> float:
    """Syntax cue: a place governed by a verb ("lost Palmyra", "fighting in Homs") describes the
    event; one hanging off a noun ("rebel groups in eastern Aleppo") describes a participant."""
    if doc is None:
        return 0.0
    try:
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None or not len(span):
            return 0.0
        tok = span[0]
        for _ in range(6):
            if tok.dep_ in ("compound", "amod", "nmod", "appos", "pobj", "prep", "poss", "case", "punct") and tok.head is not tok:
                tok = tok.head
                if tok.pos_ in ("VERB", "AUX"):
                    return 0.2
                if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("pobj", "compound"):
                    return -0.3 if tok.dep_ not in ("ROOT",) else 0.0
                continue
            if tok.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and tok.head.pos_ in ("VERB", "AUX"):
                return 0.2
            break
    except (AttributeError, ValueError):  # a doc without a parser
        return 0.0
    return 0.0


def plain_name(name: str) -> str:
    """``Ḩamāh`` → ``Hamah``, ``Dar‘ā`` → ``Dara``: GeoNames names without diacritics and ayn marks."""
    import unicodedata

    s = name.translate(dict.fromkeys(map(ord, "‘’ʿʾ`"), None))
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def _precision(p: PlaceMention) -> int:
    place = p.place
    if place is None:
        return 2
    if place.feature_code in ("PCLI", "ADM1") or is_region(place):
        return 3
    if place.feature_code == "ADM2":
        return 2
    # "the Houston region" is the city and around it
    if p.relation and p.relation not in ("province", "governorate", "district", "state", "county"):
        return 2
    return 1


def _with_precision(loc: Location, precision: int) -> Location:
    return replace(loc, geo_precision=max(loc.geo_precision, precision))


def _sentence_spans(text: str, doc: Any) -> list[tuple[int, int]]:
    if doc is not None:
        try:
            return [(s.start_char, s.end_char) for s in doc.sents]
        except ValueError:
            pass
    spans, start = [], 0
    for m in re.finditer(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+", text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _covering(spans: list[tuple[int, int]], windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(ws, we) for ws, we in windows if any(s < we and ws < e for s, e in spans)]
