"""Toponym resolution: pick the gazetteer entry each recognised name refers to.

Each candidate gets a score from its prior (feature level, population, how well
the name matched) and the article's context: the dateline country, countries
named or implied (demonyms) in the text, a country or province written right
after the name ("Alexandria, Louisiana"), a province/village noun after the
name, and — in a second pass — the countries of and distances to the other
places already resolved. A name is never evidence for its own reading (a lone
"Lebanon" does not make the story Lebanese; "Dublin City" and "City of Dublin"
count as mentions of "Dublin"). After the passes, a lone guessed
town outside a local story's province is left unresolved, a bare county name is
read as the county where the article says so (:mod:`.locality`), a name
repeated after a qualified mention keeps that reading, and a county known only
by its state's point moves to the story's places in that state. The refining
passes read one name at a time, most confident first, each against the others'
latest readings (reading all at once lets two ambiguous names swap countries in
step). Also weighed: how many of the article's other names have a reading near
each candidate (:mod:`.coherence`), a state named among other states of its
country ("Ohio, Oregon and Indiana"), the province written after a town and a
comma ("Mississauga, Ontario"), that an upper-case "US" is no village "Us",
that a province of a very small country is seldom meant ("St. Paul" is not
Antigua's parish), that a reading in a country bordering the article's
countries is likelier ("Gaza" beside Israel and Egypt), that a name written
in a list between a country's provinces is one of them even when a big city
bears it ("Colorado, Washington and Oregon"), and that a town's other (often
former) name yields to towns of its country that bear it as their own
("Centerville" is not Fremont, California), and that a small namesake of a
far bigger town gets only half the pull of the article's provinces and of
its places' distances (a story naming Pittsburgh and Texas means Houston,
Texas, not the village of Houston near Pittsburgh) — as does a town known by
the name only as another name beside a bigger town of its country bearing it
as its own ("Pittsburgh" beside Los Angeles is not Pittsburg, California) —
that a county named in full lies in the state named in its own sentence ("in
Michigan, on a marsh in Monroe County"); the backing of
:mod:`.coherence`, which weighs each neighbour by its own likelihood, and a
written qualifier count in full. The likelihoods that :mod:`.coherence`
weighs readings by include the countries the text names, as the passes do
(Suffolk and Norfolk, Virginia, do not back each other in a story that names
only the United Kingdom). The mention's
confidence is the recognition score times the chosen candidate's share of the
softmax.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..models import Place
from .aliases import DEMONYMS
from .coherence import support
from .cues import country_cues
from .distance import haversine_km
from .gazetteer import ALTERNATE, EXACT, LOOSE, Candidate, Gazetteer
from .locality import bare_divisions, one_sense
from .names import fold
from .recognizer import Toponym, sentence_starts

log = logging.getLogger(__name__)

_COARSE = ("PCLI", "CONT", "RGN", "SEA", "ISL")  # countries, continents, regions, seas: no distance anchors
_LEVEL_PRIOR = {"PCLI": 4.2, "CONT": 3.0, "ADM1": 3.5, "ADM2": 0.8, "PPLC": 1.2}
BIG_TOWN = 100_000  # a town this big named like its province is what the name means
SMALL_COUNTRY = 1_000_000
NEIGHBOUR_WEIGHT = 1.0  # 4 values tried on the dev corpora
SMALL_TOWN = 10_000  # a place this small named exactly like a province is not what the name means
_KIND_PRIOR = {EXACT: 0.0, ALTERNATE: -0.3, LOOSE: -3.0}
POP_WEIGHT = 0.5
LOCAL_KM = 60.0  # a town this close to the article's other places is a local reading of its name
FOCUS_MIN, FOCUS_SHARE = 3, 0.5  # an article this focused on one province is local news
SHARPNESS = 2.0  # softmax temperature 1/2: forty small homonyms should not drown a clear winner
# backing from the other names' readings nearby (see .coherence); 30 km chosen on the dev corpora
SUPPORT_WEIGHT, SUPPORT_CAP = 2.0, 1.5
# an alternate name of a town loses this much when a town of the same country, at least this share of its
# size, bears the name as its own
ALIAS_SHARE, ALIAS_PENALTY = 0.1, 1.5
# a town this many times smaller than the biggest town bearing the name as its own (one of BIG_TOWN or more)
# gets this share of the province and distance evidence (9 settings compared on the dev corpora)
NAMESAKE_RATIO, NAMESAKE_DAMP = 30.0, 0.5
_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*")
LISTED_PROVINCE = 3.0  # a province's reading gains this when the name stands in a list of the country's provinces
# a county named in full, in a province named in the same sentence ("in Michigan ... in Monroe County")
SENTENCE_PROVINCE = 1.0
_LIST_GOES_ON = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*[A-Z]")
_COMMA_QUALIFIER = re.compile(r"\s*,\s*((?:[A-Z][\w.'’-]*\s?){1,4})")


@dataclass(frozen=True, slots=True)
class Context:
    """What the article says about where it is."""

    countries: Counter  # country code -> weight
    dateline_country: str | None = None


def build_context(
    gazetteer: Gazetteer,
    text: str,
    *,
    dateline_country: str | None = None,
    dateline_places: Sequence[str] = (),
    headline: str | None = None,
) -> Context:
    """Country evidence from the dateline, demonyms, actor and agency names (:mod:`.cues`) in ``text`` and the headline."""
    weights: Counter = Counter()
    dc = None
    if dateline_country:
        dc = gazetteer.country_code_for(dateline_country) or (dateline_country if dateline_country in gazetteer.countries else None)
        if dc:
            weights[dc] += 2.0
    for name in dateline_places:
        for cand in gazetteer.lookup(name)[:1]:
            if cand.kind != LOOSE and cand.place.country_code:
                weights[cand.place.country_code] += 0.5
    for chunk in (text, headline or ""):
        for m in re.finditer(r"\b(South Sudanese|[A-Z][a-z]+)\b", chunk):
            cc = DEMONYMS.get(m.group(1))
            if cc:
                weights[cc] += 0.5
        weights.update(country_cues(chunk))  # "FARDC soldiers", "MONUSCO": actors and agencies of one country
    return Context(weights, dc)


def _self_key(name: str) -> str:
    """The name a mention is evidence about: "Dublin City (Schools)" and "the City of Dublin" are more mentions of "Dublin"."""
    f = fold(name)
    if f.startswith("city of ") and len(f) > 8:
        return f[8:]
    return f[:-5] if f.endswith(" city") and len(f) > 5 else f


def _prior(c: Candidate) -> float:
    p = c.place
    level = _LEVEL_PRIOR.get(p.feature_code or "", 0.0)
    return level + POP_WEIGHT * math.log10(p.population + 1) + _KIND_PRIOR[c.kind]


def _country_evidence(p: Place, context: Context, named: Mapping[str, float]) -> float:
    """What the text's countries say of a reading in ``p``'s country: cued ones (datelines, demonyms, other
    places) count, a country the text names counts for its towns and provinces, and a town or province of
    a country neither cued nor named loses when the text does point somewhere.  Used by :meth:`Resolver._choose`
    and by the likelihoods :mod:`.coherence` weighs readings by."""
    cc = p.country_code
    if not cc:
        return 0.0
    s = min(2.6, 1.3 * context.countries.get(cc, 0.0))
    if p.feature_code != "PCLI":
        s += min(1.0, 0.6 * named.get(cc, 0.0))
        if (context.countries or named) and cc not in context.countries and cc not in named:
            s -= 1.0
    return s


def _near_any(p: Place, anchors: list[tuple[Place, float]], km: float) -> bool:
    return any(
        a.feature_code not in (*_COARSE, "ADM1") and haversine_km(p.latitude, p.longitude, a.latitude, a.longitude) < km
        for a, _ in anchors
    )


def _match_kind(t: Toponym, p: Place) -> int | None:
    return next((c.kind for c in t.candidates if c.place.geonameid == p.geonameid), None)


def _homonyms_in_country(t: Toponym, p: Place) -> int:
    """How many provinces of ``p``'s country have a town called like ``t``."""
    return len(
        {c.place.admin1 for c in t.candidates if c.kind != LOOSE and c.place.feature_class == "P" and c.place.country_code == p.country_code}
    )


@dataclass(frozen=True, slots=True)
class _Cues:
    """What the text says around one name, worked out once per name."""

    qualifier: tuple[str | None, str | None]  # country, province written after it ("Leer, South Sudan")
    containers: frozenset[tuple[str | None, str]]  # provinces holding the name before it and a comma
    listed: frozenset[str]  # countries whose provinces it stands in a list with ("Ohio, Washington and Iowa")
    near_admin1: frozenset[tuple[str | None, str]]  # provinces the other names of its sentence can be


@dataclass(slots=True)
class _Anchors:
    """The other names' current readings, summarised once (the same for every candidate of a name)."""

    places: list[tuple[Place, float]]  # (reading, weight)
    votes: Counter  # country code -> weight
    admin_votes: Counter  # (country code, admin1) -> weight
    total: float
    major: str | None  # the country with most weight
    points: list[tuple[float, float]]  # distinct points of the specific readings: (lat, lon)

    @classmethod
    def of(cls, places: list[tuple[Place, float]]) -> "_Anchors":
        votes: Counter = Counter()
        admin_votes: Counter = Counter()
        seen: set[tuple[float, float]] = set()
        points = []
        for a, w in places:
            if a.country_code:
                votes[a.country_code] += w
            if a.admin1 and a.feature_code != "PCLI":
                admin_votes[(a.country_code, a.admin1)] += w
            if a.feature_code not in _COARSE and (a.latitude, a.longitude) not in seen:
                seen.add((a.latitude, a.longitude))
                points.append((a.latitude, a.longitude))
        major = votes.most_common(1)[0][0] if votes else None
        return cls(places, votes, admin_votes, sum(votes.values()) or 1.0, major, points)

    def nearest_km(self, lat: float, lon: float) -> float:
        """Distance to the nearest specific reading (inf when none)."""
        return min((haversine_km(lat, lon, alat, alon) for alat, alon in self.points), default=math.inf)


class Resolver:
    """Chooses among a toponym's candidates using article context."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        # provinces of countries this small are seldom what a bare name means ("St. Paul" is not Antigua's parish)
        self._small_countries = frozenset(cc for cc, c in gazetteer.countries.items() if c.population < SMALL_COUNTRY)

    def resolve(self, text: str, toponyms: list[Toponym], context: Context) -> list[tuple[Toponym, Place | None, float]]:
        """Return (toponym, chosen place or None, confidence 0..1) for each toponym, in order."""
        named_all = self._named_countries(toponyms)
        # a name is no evidence for its own reading: "Lebanon" alone does not make a story Lebanese
        named_by = {
            f: named_all - self._named_countries(t for t in toponyms if _self_key(t.text) == f) for f in {_self_key(t.text) for t in toponyms}
        }
        provinces = [frozenset(self._named_admin1([t])) for t in toponyms]
        named_admin1 = set().union(*provinces)
        near_admin1 = self._admin1_in_sentence(text, toponyms, provinces)
        qualifiers = [self._qualifier(text, t) for t in toponyms]

        def context_prior(c: Candidate) -> float:
            return _prior(c) + _country_evidence(c.place, context, named_all)

        backing = support([t.text for t in toponyms], [t.candidates for t in toponyms], context_prior,
                          approximate=self.gazetteer.approximate_ids)
        inside = [self._container_of_previous(text, toponyms, i) for i in range(len(toponyms))]
        cues = [
            _Cues(q, inside[i], self._listed_among_provinces(text, toponyms, i, q), near_admin1[i])
            for i, q in enumerate(qualifiers)
        ]
        keys = [_self_key(t.text) for t in toponyms]
        # a repeated name ("Mosul" ten times) with the same cues gets the same reading: score it once per pass
        memo_keys = [(t.text, id(t.candidates), t.admin_hint, cues[i]) for i, t in enumerate(toponyms)]

        def choose(i: int, anchors: _Anchors | None) -> tuple[Place | None, float]:
            return self._choose(
                toponyms[i], context, cues=cues[i], named=named_by[keys[i]], named_admin1=named_admin1,
                backing=backing[i], anchors=anchors,
            )

        memo: dict = {}
        chosen = []
        for i in range(len(toponyms)):
            if memo_keys[i] not in memo:
                memo[memo_keys[i]] = choose(i, None)
            chosen.append(memo[memo_keys[i]])
        by_key: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            by_key.setdefault(k, []).append(i)
        for _ in range(2):  # refine: each name is read in the light of the others' readings
            # one name at a time, the most confident first, each seeing the others' latest readings:
            # updating all at once lets two ambiguous names swap countries in step for ever
            # ("Winchester" and "Southport": England, then Indiana, then England ...)
            for k in sorted(by_key, key=lambda k: -max(chosen[i][1] for i in by_key[k])):
                view = _Anchors.of([(p, max(0.05, conf)) for j, (p, conf) in enumerate(chosen) if p is not None and keys[j] != k])
                memo = {}
                for i in by_key[k]:
                    if memo_keys[i] not in memo:
                        memo[memo_keys[i]] = choose(i, view)
                    chosen[i] = memo[memo_keys[i]]
        chosen = self._drop_strays(toponyms, chosen)
        chosen = bare_divisions(text, toponyms, chosen, self.gazetteer)
        chosen = one_sense(toponyms, chosen, [self._firmly_qualified(text, t, q) or bool(c) for t, q, c in zip(toponyms, qualifiers, inside)])
        chosen = self._place_approximate(chosen)
        return [(t, p, conf * t.score if p is not None else t.score) for t, (p, conf) in zip(toponyms, chosen)]

    def _drop_strays(self, toponyms: list[Toponym], chosen: list[tuple[Place | None, float]]) -> list[tuple[Place | None, float]]:
        """Unresolve a town (under :data:`BIG_TOWN`) read in a province the article never otherwise visits.

        Local news is about one province: when most of its places lie in one
        (at least :data:`FOCUS_MIN` mentions, :data:`FOCUS_SHARE` of them), a
        lone small town elsewhere, whose name has no reading in that province
        and several in its own country (so nothing but a guess chose it), is
        more likely a place the gazetteer lacks than a trip away.
        """
        regions = Counter(
            (p.country_code, p.admin1) for p, _ in chosen if p is not None and p.admin1 and p.feature_code not in _COARSE
        )
        total = sum(regions.values())
        if not regions:
            return chosen
        focus, n = regions.most_common(1)[0]
        if n < FOCUS_MIN or n < FOCUS_SHARE * total:
            return chosen
        out = []
        for t, (p, conf) in zip(toponyms, chosen):
            if (
                p is not None
                and p.feature_class == "P"
                and p.population < BIG_TOWN
                and regions[(p.country_code, p.admin1)] == sum(1 for q, _ in chosen if q is not None and q.geonameid == p.geonameid)
                and (p.country_code, p.admin1) != focus
                and not any((c.place.country_code, c.place.admin1) == focus for c in t.candidates)
                # several towns so called in its country, or only another name of this one: a guess
                and (_homonyms_in_country(t, p) >= 2 or _match_kind(t, p) != EXACT)
            ):
                out.append((None, 0.0))
            else:
                out.append((p, conf))
        return out

    def _place_approximate(self, chosen: list[tuple[Place | None, float]]) -> list[tuple[Place | None, float]]:
        """A division known only by its province's point ("Laurel County") moves to the article's places there.

        Local news names the county's towns alongside it; their middle is a far
        better guess than the middle of the state.
        """
        approx = self.gazetteer.approximate_ids
        if not approx or not any(p is not None and p.geonameid in approx for p, _ in chosen):
            return chosen
        out = []
        for p, conf in chosen:
            if p is not None and p.geonameid in approx:
                near = [
                    q for q, _ in chosen
                    if q is not None and q.geonameid not in approx and q.country_code == p.country_code
                    and q.admin1 == p.admin1 and q.feature_code not in (*_COARSE, "ADM1")
                ]
                if near:
                    lat = statistics.median(q.latitude for q in near)
                    lon = statistics.median(q.longitude for q in near)
                    p = replace(p, latitude=lat, longitude=lon)
            out.append((p, conf))
        return out

    # ------------------------------------------------------------ features

    def _named_countries(self, toponyms: Iterable[Toponym]) -> Counter:
        named: Counter = Counter()
        for t in toponyms:
            for c in t.candidates:
                if c.place.feature_code == "PCLI" and c.kind != LOOSE and t.score >= 0.5:
                    named[c.place.country_code] += 1.0
                    break
        return named

    @staticmethod
    def _container_of_previous(text: str, toponyms: list[Toponym], i: int) -> frozenset[tuple[str | None, str]]:
        """Provinces holding a reading of the name written just before this one and a comma ("Mississauga, Ontario")."""
        if i == 0:
            return frozenset()
        prev, t = toponyms[i - 1], toponyms[i]
        if not (0 < t.start - prev.end <= 3 and text[prev.end : t.start].strip() == ","):
            return frozenset()
        return frozenset(
            (c.place.country_code, fold(c.place.admin1)) for c in prev.candidates[:60]
            if c.kind != LOOSE and c.place.feature_class == "P" and c.place.admin1
        )

    def _listed_among_provinces(
        self, text: str, toponyms: list[Toponym], i: int, qualifier: tuple[str | None, str | None]
    ) -> frozenset[str]:
        """Countries whose provinces are named right before or after this name in a list ("Ohio, Washington and Iowa").

        The name after it counts only when the list goes on past it: "Washington, Pennsylvania" is a town
        and its state, not two states.
        """
        out: set[str] = set()
        t = toponyms[i]
        for j in (i - 1, i + 1):
            if not 0 <= j < len(toponyms):
                continue
            o = toponyms[j]
            a, b = (o, t) if j < i else (t, o)
            if not (0 <= b.start - a.end <= 6 and _LIST_SEPARATOR.fullmatch(text[a.end : b.start])):
                continue
            if j > i and self._firmly_qualified(text, t, qualifier):
                continue
            out.update(
                c.place.country_code for c in o.candidates[:60]
                if c.place.feature_code == "ADM1" and c.kind != LOOSE and c.place.country_code
            )
        return frozenset(out)

    @staticmethod
    def _admin1_in_sentence(
        text: str, toponyms: list[Toponym], provinces: list[frozenset[tuple[str | None, str]]]
    ) -> list[frozenset[tuple[str | None, str]]]:
        """For each name, the provinces the other names of its sentence can be ("in Michigan ... in Monroe County");
        ``provinces`` holds each name's own."""
        starts = sentence_starts(text, None)
        sentence = [bisect.bisect_right(starts, t.start) for t in toponyms]
        by_sentence: dict[int, list[int]] = {}
        for i, k in enumerate(sentence):
            by_sentence.setdefault(k, []).append(i)
        return [
            frozenset().union(*(provinces[j] for j in by_sentence[sentence[i]] if _self_key(toponyms[j].text) != _self_key(t.text)))
            for i, t in enumerate(toponyms)
        ]

    def _named_admin1(self, toponyms: Iterable[Toponym]) -> set[tuple[str | None, str]]:
        out: set[tuple[str | None, str]] = set()
        for t in toponyms:
            for c in t.candidates:
                if c.place.feature_code == "ADM1" and c.kind != LOOSE and t.score >= 0.5:
                    out.add((c.place.country_code, fold(c.place.name)))
        return out

    @staticmethod
    def _firmly_qualified(text: str, t: Toponym, qualifier: tuple[str | None, str | None]) -> bool:
        """A qualifier that is not the next item of a list ("Washington, New York and Boston")."""
        if not (qualifier[0] or qualifier[1]):
            return False
        m = _COMMA_QUALIFIER.match(text, t.end)
        return m is not None and not _LIST_GOES_ON.match(text, m.end())

    def _qualifier(self, text: str, t: Toponym) -> tuple[str | None, str | None]:
        """``Alexandria, Louisiana`` / ``Leer, South Sudan``: the country and province written after the name."""
        m = _COMMA_QUALIFIER.match(text, t.end)
        if not m:
            return (None, None)
        words = m.group(1).strip().split()
        for k in range(len(words), 0, -1):
            name = " ".join(words[:k]).rstrip(".,")
            cc = self.gazetteer.country_code_for(name)
            if cc:
                return (cc, None)
            adm = self.gazetteer.admin1_named(name)
            if adm:
                return (None, adm[0].name)  # the province's own name: "Tenn." is Tennessee
        return (None, None)

    def _choose(
        self,
        t: Toponym,
        context: Context,
        *,
        cues: _Cues,
        named: Counter,
        named_admin1: set[tuple[str | None, str]],
        backing: dict[int, float] | None,
        anchors: _Anchors | None,
    ) -> tuple[Place | None, float]:
        """Score ``t``'s candidates: their priors, the article's countries (``context``, ``named``), the
        provinces the text names, the cues around the name, the other names' backing and, after the first
        pass, the other names' current readings (``anchors``)."""
        cands = t.candidates
        if not cands:
            return (None, 0.0)
        qcc, qadm = cues.qualifier
        qadm_f = fold(qadm) if qadm else None
        has_context = bool(context.countries) or bool(named)
        country_named = any(c.place.feature_code == "PCLI" and c.kind == EXACT for c in cands)
        province_named = any(c.place.feature_code == "ADM1" and c.kind == EXACT for c in cands)
        short_caps = t.text.isupper() and len(t.text.replace(".", "")) <= 3
        towns = {
            c.place.country_code
            for c in cands
            if c.place.feature_class == "P" and c.kind != LOOSE and c.place.population >= BIG_TOWN
            # not a town whose own name is shorter: "Rio Grande do Sul" is the state, not the city of Rio Grande
            and (c.kind == EXACT or len(fold(c.place.name)) >= len(fold(t.text)))
        }
        exact_big_town = any(
            c.place.feature_class == "P" and c.kind == EXACT and c.place.population >= BIG_TOWN for c in cands
        )
        # the biggest town of each country that bears the name as its own ("Maryville, Tennessee")
        own_name: dict[str | None, int] = {}
        for c in cands[:60]:
            if c.kind == EXACT and c.place.feature_class == "P":
                own_name[c.place.country_code] = max(own_name.get(c.place.country_code, 0), c.place.population)
        neighbours = self.gazetteer.neighbours
        biggest = max(own_name.values(), default=0)
        scores = []
        for c in cands[:60]:
            p = c.place
            s = _prior(c)
            cc = p.country_code
            s += _country_evidence(p, context, named)
            if (
                c.kind == ALTERNATE and p.feature_class == "P" and cc in own_name
                and own_name[cc] >= ALIAS_SHARE * p.population
            ):
                # a town's other (often former) name is not what a name borne by towns of its own country
                # means: "Maryville" is Maryville, not Beeville, Texas, once called so
                s -= ALIAS_PENALTY
            if country_named and p.feature_code != "PCLI" and c.kind != EXACT:
                s -= 2.0  # "Mexico" is the country, not Mexico City's alternate name
            if p.feature_code == "ADM1" and cc in self._small_countries and t.admin_hint != "admin":
                s -= 2.5
            if p.feature_code == "ADM1" and cc in cues.listed:
                s += LISTED_PROVINCE  # "Washington" between "Oregon" and "Ohio" is the state, not the capital
            elif cc in cues.listed and province_named and p.feature_class == "P" and p.population < BIG_TOWN:
                s -= LISTED_PROVINCE / 2  # nor, among states, a small town named like the state ("Oklahoma", Pennsylvania)
            elif p.feature_code in ("ADM1", "ADM2") and t.admin_hint != "admin":
                # "Homs" is the city unless the text says province; GeoNames names both alike
                if cc in towns:
                    s -= 2.5
                elif c.kind == ALTERNATE and exact_big_town:
                    s -= 2.5  # "Beni": Congo's city of that very name, not Bolivia's "Beni Department"
            if p.feature_class == "P" and p.population < SMALL_TOWN and province_named:
                s -= 2.0  # "California" among West Virginia towns is still the state, not the hamlet nearby
            if p.feature_class == "P" and c.kind != EXACT and province_named:
                s -= 1.5  # "New York" is the state's own name and only another name of the city
            # a small namesake of a far bigger town: the province and distance pulls count half
            pull = (
                NAMESAKE_DAMP
                if p.feature_class == "P" and (
                    (biggest >= BIG_TOWN and biggest >= NAMESAKE_RATIO * max(p.population, 1))
                    # a town known by the name only as another name, beside a bigger town of its country
                    # bearing it as its own ("Pittsburgh" is not Pittsburg, California)
                    or (c.kind == ALTERNATE and own_name.get(cc, 0) > p.population)
                )
                else 1.0
            )
            if p.admin1 and p.feature_code != "ADM1" and (cc, fold(p.admin1)) in named_admin1:
                s += 1.5 * pull
                if p.feature_code == "ADM2" and (cc, fold(p.admin1)) in cues.near_admin1 and fold(t.text) == fold(p.name):
                    s += SENTENCE_PROVINCE
            if p.feature_code == "ADM1" and c.kind != LOOSE and cc not in towns:
                # "Oregon" in a list of states is the state, not the Ohio town
                siblings = sum(1 for k in named_admin1 if k[0] == cc and k[1] != fold(p.name))
                if siblings >= 2:
                    s += 3.0
            if p.feature_code == "ADM1" and (cc, fold(p.name)) in cues.containers:
                s += 3.0  # "Mississauga, Ontario": the province that holds the town before it
            if short_caps and p.feature_class == "P" and p.name != t.text and not p.name.isupper():
                s -= 3.0  # "US" is not the French village Us
            if backing:
                s += SUPPORT_WEIGHT * min(SUPPORT_CAP, backing.get(p.geonameid, 0.0))
            if qcc:
                s += 4.0 if cc == qcc else -1.0
            if qadm_f:
                s += 4.0 if p.admin1 and fold(p.admin1) == qadm_f else -0.5
            if t.admin_hint == "admin":
                s += 3.0 if p.feature_code in ("ADM1", "ADM2") else 0.0
            elif t.admin_hint == "local":
                s += 1.0 if p.feature_class == "P" else -2.0
            if anchors is not None and anchors.places:
                votes, total = anchors.votes, anchors.total
                if cc:
                    s += 2.0 * votes.get(cc, 0.0) / total
                    # "Gaza" in a story about Israel and Egypt: a reading beside the countries named
                    s += NEIGHBOUR_WEIGHT * sum(votes.get(n, 0.0) for n in neighbours.get(cc, ())) / total
                    if p.admin1:
                        s += 2.0 * pull * anchors.admin_votes.get((cc, p.admin1), 0.0) / total
                if p.feature_code == "PCLI" and votes:
                    major = anchors.major
                    if major != cc and any(
                        o.place.country_code == major and o.kind != LOOSE
                        and (o.place.feature_code == "ADM1" or (o.place.feature_class == "P" and _near_any(o.place, anchors.places, LOCAL_KM)))
                        for o in cands[:60]
                    ):
                        # "Georgia" in a story about Atlanta is the state; "Lebanon" among
                        # Pennsylvania towns is the Lebanon a few miles from them
                        s -= 2.5
                dmin = anchors.nearest_km(p.latitude, p.longitude) if p.feature_code not in _COARSE else math.inf
                if dmin < math.inf:
                    s += pull * (2.0 if dmin < 50 else 1.2 if dmin < 200 else 0.4 if dmin < 500 else 0.0) if dmin < 1500 else -0.4
            scores.append((s, c))
        scores.sort(key=lambda x: -x[0])
        top, best = scores[0]
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s (pass %s): %s", t.text, "1" if anchors is None else "2+", "; ".join(
                f"{c.place.name} [{c.place.feature_code} {c.place.country_code} {c.place.admin1} {c.place.population}] {x:.2f}"
                for x, c in scores[:5]))
        z = sum(math.exp(SHARPNESS * (s - top)) for s, _ in scores)
        conf = 1.0 / z
        cc = best.place.country_code
        if best.kind == LOOSE and has_context and cc not in context.countries and cc not in named:
            return (None, 0.0)  # a transliteration guess in a country the article never mentions
        strong_countries = {c for c, w in context.countries.items() if w >= 1.0}
        if (
            # the text is sure of its countries: a cue of weight or a country both named and cued ("South Korean")
            (strong_countries or any(c in context.countries for c in named))
            and cc not in context.countries
            and cc not in named
            and best.place.population < 5000
            and best.place.feature_class == "P"  # a division named in full ("Maury County") is no hamlet
            and not (anchors is not None and cc in anchors.votes)
        ):
            return (None, 0.0)  # a hamlet abroad in a story about somewhere else: leave unresolved
        return (best.place, conf)
