"""Where an event happened: the story's own countries, and names in the event's sentence too faint to be mentions.

Helpers of :meth:`.geoparser.Geoparser.locate`:

- :func:`home_countries` -- the story's own country, the one holding most of its towns and divisions.  An event
  place outside it needs strong evidence: "a shooting in Colonia Centro, Hermosillo, Sonora" is not
  in Uruguay's Colonia.  When its places give none, :func:`cued_home` reads one from its demonyms, dateline and
  actors ("CJTF members" puts a story in Nigeria).
- :class:`FaintNames` -- when none of the confident places is in the event's sentence, paragraph or
  story, the recogniser's weaker readings in the event's own sentence ("protested in central X" where
  the small NER model calls X a person) are read again, at a lower bar, before the dateline.  A name
  with a person cue (a title before it, "said" after it, a person's name elsewhere in the text) never
  is.  These readings are not place mentions: ``geoparse`` does not print them.
- :func:`no_event_place` -- a continent or a land region no country holds is never where an event happened.
- :func:`qualifiers` -- "A, B", "A (B)", "A in B", "A district of the B region": when B holds A (same country and
  province), B only says where A is, and the event happened at A.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ..models import Place, PlaceMention
from .gazetteer import LOOSE
from .recognizer import Recognizer, Toponym
from .regions import is_region

log = logging.getLogger(__name__)

# a name the recogniser scored at least this (its own bar is 0.5), in the event's sentence, places an event
# that nothing else places.  Of 0.2/0.25/.../0.5, two-fold cross-validation over the ACLED dev notes such a
# reading placed picked 0.2 in both folds (held-out gain +84 and +74 notes); about 40% of these readings
# are within 25 km at every bar tried, so a higher one buys no precision
FAINT_SCORE = 0.2

_PERSON_CUES = ("title", "person_name", "speech")
# the story's home country holds more than this share of its resolved mentions (weighted by confidence)
HOME_SHARE = 0.5


def home_countries(places: Iterable[PlaceMention]) -> frozenset[str]:
    """The story's own country: the one holding most of its towns and divisions, read with their confidence.

    Countries named do not count (a party, a destination, a currency as often as a place); a province
    misread abroad is outweighed by the towns around it; a story split evenly between two countries
    has no home.
    """
    weight: Counter = Counter()
    for p in places:
        # towns and divisions only: a country is named as often as a party ("traders back from Algeria")
        if p.place is not None and p.place.country_code and not is_region(p.place) and p.place.feature_code != "PCLI":
            weight[p.place.country_code] += p.score
    total = sum(weight.values())
    if not total:
        return frozenset()
    cc, w = weight.most_common(1)[0]
    return frozenset({cc}) if w > HOME_SHARE * total else frozenset()


def cued_home(countries: Counter) -> frozenset[str]:
    """The story's own country from its words when no town or division gives one: the country its demonyms,
    dateline and actors (:mod:`.cues`) point to, by the same majority as :func:`home_countries`.

    "FARDC soldiers ... in Mambasa" with nothing resolved at home: a faint reading of the name in another
    continent is not where it happened.  Two countries cued alike ("Kenyan troops ... Somali militia") give none.
    """
    total = sum(w for w in countries.values() if w > 0)
    if not total:
        return frozenset()
    cc, w = countries.most_common(1)[0]
    return frozenset({cc}) if w > HOME_SHARE * total else frozenset()


def is_foreign(p: PlaceMention, home: frozenset[str]) -> bool:
    """A resolved place outside every country the story names (never when it names none)."""
    return bool(home) and p.place is not None and p.place.country_code is not None and p.place.country_code not in home


@dataclass
class FaintNames:
    """The recogniser's sub-threshold readings of one article, resolved lazily and once."""

    known: list[PlaceMention]
    home: frozenset[str]
    recognise: Callable[[], list[Toponym]]
    resolve: Callable[[list[Toponym]], list[PlaceMention]]
    _found: list[tuple[PlaceMention, float]] | None = field(default=None, init=False)

    def found(self) -> list[tuple[PlaceMention, float]]:
        """Each faint reading with the recogniser's score for it."""
        if self._found is None:
            self._found = self._read()
        return self._found

    def _read(self) -> list[tuple[PlaceMention, float]]:
        taken = [(p.start, p.end) for p in self.known]
        tops = {
            (t.start, t.end): t for t in self.recognise()
            if t.candidates and t.score >= FAINT_SCORE
            and not any(t.features.get(k, 0.0) < 0 for k in _PERSON_CUES)
            and not any(s < t.end and t.start < e for s, e in taken)
        }
        if not tops:
            return []
        out = []
        for p in self.resolve(sorted(tops.values(), key=lambda t: t.start)):
            top = tops.get((p.start, p.end))
            if top is None:
                continue
            if p.place is None or is_foreign(p, self.home):
                # a faint name is read in the story's own countries when it can be
                at_home = [c.place for c in top.candidates if c.kind != LOOSE and c.place.country_code in self.home
                           and c.place.feature_code not in ("PCLI", "CONT")]
                if at_home:
                    p = replace(p, place=max(at_home, key=lambda q: (q.feature_class == "P", q.population)))
            if p.place is not None:
                out.append((p, top.score))
        return out

    def in_windows(self, windows: list[tuple[int, int]]) -> tuple[PlaceMention, float] | None:
        """The best faint reading inside ``windows``: in the home country (when the story has one), a town first."""
        inside = [(p, s) for p, s in self.found() if any(a <= p.start and p.end <= b for a, b in windows)]
        # a faint reading abroad never outweighs the story's home country
        inside = [(p, s) for p, s in inside if p.place.feature_code not in ("PCLI", "CONT") and not is_region(p.place)
                  and not is_foreign(p, self.home)]
        if not inside:
            return None
        return max(inside, key=lambda ps: (ps[0].place.feature_class == "P", ps[1], -ps[0].start))

    def within(self, place: Place | None, windows: list[tuple[int, int]]) -> PlaceMention | None:
        """The best faint reading in ``windows``; when ``place`` (a country or province) is given, a town of it."""
        weak = self.in_windows(windows)
        if weak is None:
            return None
        p, score = weak
        if place is not None and not is_region(place) and (
            p.place.country_code != place.country_code
            or (place.feature_code == "ADM1" and p.place.admin1 != place.admin1)
            or p.place.feature_class != "P"
        ):
            return None
        log.debug("faint place %r (recognition %.3f) at %d", p.text, score, p.start)
        return p


def no_event_place(place: Place) -> bool:
    """A continent, or a land region no country holds ("Europe", "the Sahel"): never where an event happened."""
    return place.feature_code == "CONT" or (place.feature_code == "RGN" and place.country_code is None)


def faint_recognizer(recognizer: Recognizer) -> Recognizer:
    """A recogniser over the same gazetteer keeping every reading at or above :data:`FAINT_SCORE`."""
    return Recognizer(recognizer.gazetteer, threshold=FAINT_SCORE)


# what may stand between a place and the name that says where it is: an optional generic noun for the first
# ("Kesra district"), then a comma, a bracket, "in" or "of (the)"
_QUALIFIER_GAP = re.compile(
    r"(?:\s+(?:district|province|region|governorate|county|area|village|town|city|municipality|township|sector|"
    r"neighbou?rhood|locality|commune|department|LGA|sub-?district|suburb))?"
    r"\s*(?:,|\(|\bin\b|\bof\b)\s*(?:the\s+)?",
    re.IGNORECASE,
)
_LEVEL = {"PCLI": 0, "ADM1": 1, "ADM2": 2}


def _level(place: Place) -> int:
    if is_region(place):
        return 0
    return _LEVEL.get(place.feature_code or "", 3 if place.feature_class == "P" else 2)


def qualifiers(body: str, places: list[PlaceMention]) -> dict[int, PlaceMention]:
    """``id(B) -> A`` for each place B written right after a place A it holds ("Lida, Grodno", "Kesra (Siliana)",
    "Imam Sahib district, Kunduz", "a village in Chimanimani of the Manicaland region").

    B holds A when both are in one country and one province and B is no finer than A: the province, a district, or
    a town of the same province (most often the one the province is named after, or its seat).  Two towns of
    different provinces ("Tunis, Sfax") are a list, not a qualifier; a country is never finer than a town, so
    "Kesra, Tunisia" changes nothing.
    """
    out: dict[int, PlaceMention] = {}
    ordered = sorted((p for p in places if p.place is not None), key=lambda p: p.start)
    for a, b in zip(ordered, ordered[1:]):
        pa, pb = a.place, b.place
        if a.score < 0.3:  # the bar every event-place candidate meets (:meth:`.locate.EventLocator._best_in`)
            continue
        if pa.geonameid == pb.geonameid or not pa.country_code or pa.country_code != pb.country_code:
            continue
        if not pb.admin1 or pa.admin1 != pb.admin1 or _level(pa) < 2 or _level(pb) > _level(pa):
            continue
        if not _QUALIFIER_GAP.fullmatch(body, a.end, b.start):
            continue
        out[id(b)] = a
    return out
