"""Local-news reasoning after the resolver's passes: bare county names and one sense per discourse.

US local news names counties without the word "County" once the article has
used it ("Platte County ... Platte is the state's tenth most populous
county"), inside an organisation's name ("DeKalb County School District ...
DeKalb officials"), in lists that end with the word ("Dakota, Otoe and Washington
counties"), and inside a story whose places all lie in one state ("Callahan"
in a story about Eastland County, Texas).  GeoNames has the county under its
full name only, and a bare "Callahan" otherwise finds the town in Florida.
:func:`bare_divisions` moves such a name to the county, using only the
article's own evidence: the full name written elsewhere in it (as a place, or
inside a name, then the county of that name nearest the article's other places), the plural
"counties" after a list, or the province the article is about.

:func:`one_sense` gives a name the reading that one of its mentions was
qualified with ("Elizabethtown, Pennsylvania ... in Elizabethtown"): a writer
who qualified a name once means the same place when repeating it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..models import Place
from .distance import haversine_km
from .gazetteer import LOOSE, Gazetteer
from .names import fold
from .recognizer import Toponym

# an article this focused on one province is local news (as :func:`.resolver.Resolver._drop_strays`)
FOCUS_MIN, FOCUS_SHARE = 3, 0.5
LIST_KM = 150.0  # a county of a list, outside the story's province, lies this close to its other places
BIG_TOWN = 100_000  # a town this big outside the story's province is a real trip, not a misread county
_TAILS = frozenset({"county", "counties", "parish", "parishes", "co", "borough", "district"})
_COARSE = frozenset({"PCLI", "CONT", "RGN", "SEA", "ISL"})
_WORD = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}"
# "Hitchcock and Hayes counties", "Dakota, Otoe and Washington counties": the list continues to the plural
_LIST_TO_PLURAL = re.compile(rf"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+){_WORD}){{0,6}}\s+(?:counties|parishes)\b")

Chosen = list[tuple[Place | None, float]]


def focus_region(chosen: Chosen) -> tuple[str | None, str] | None:
    """The (country, province) most of the article's specific places lie in, when it is local news.

    Other provinces named in passing ("as in Oregon and Utah") do not make a West Virginia story
    less local: the province's share is taken against its own mentions and the towns and counties
    elsewhere, not against the other provinces' names.
    """
    places = [p for p, _ in chosen if p is not None and p.admin1 and p.feature_code not in _COARSE]
    regions = Counter((p.country_code, p.admin1) for p in places)
    if not regions:
        return None
    focus, n = regions.most_common(1)[0]
    others = sum(1 for p in places if p.feature_code != "ADM1" and (p.country_code, p.admin1) != focus)
    return focus if n >= FOCUS_MIN and n >= FOCUS_SHARE * (n + others) else None


def _has_tail(name: str) -> bool:
    words = fold(name).split()
    return len(words) > 1 and words[-1] in _TAILS


def bare_divisions(text: str, toponyms: Sequence[Toponym], chosen: Chosen, gazetteer: Gazetteer) -> Chosen:
    """Read a bare name as the county the article means (see the module doc); other readings are kept."""
    named = {p.geonameid for t, (p, _) in zip(toponyms, chosen) if p is not None and p.feature_code == "ADM2" and _has_tail(t.text)}
    focus = focus_region(chosen)
    points = [
        (fold(t.text), (p.latitude, p.longitude))
        for t, (p, _) in zip(toponyms, chosen) if p is not None and p.feature_code not in _COARSE | {"ADM1"}
    ]
    provinces = {(p.country_code, p.admin1) for p, _ in chosen if p is not None and p.feature_code == "ADM1"}
    out = list(chosen)
    for i, (t, (p, conf)) in enumerate(zip(toponyms, chosen)):
        if _has_tail(t.text) or not t.text[:1].isupper():
            continue
        if p is not None and p.feature_class != "P":
            continue  # "Indiana counties" are the state's; a county or a country read as such stays
        divisions = gazetteer.divisions_named(t.text)
        if not divisions:
            continue
        pick = next((d for d in divisions if d.geonameid in named), None) if _small_or_none(p) else None
        if pick is not None and p is not None and (p.country_code, p.admin1) == (pick.country_code, pick.admin1):
            pick = None  # "Jackson" beside "Jackson County": the town in that county may be meant
        if pick is None and _LIST_TO_PLURAL.match(text, t.end):
            # the county in a province the article names, else in the one it is about, else the nearest
            pick = next((d for d in divisions if (d.country_code, d.admin1) in provinces), None)
            pick = pick or next((d for d in divisions if focus and (d.country_code, d.admin1) == focus), None)
            others = [pt for k, pt in points if k != fold(t.text)]
            if pick is None and others:
                near = min((min(haversine_km(d.latitude, d.longitude, a, b) for a, b in others), d.geonameid, d) for d in divisions)
                pick = near[2] if near[0] <= LIST_KM else None
        if pick is None and _small_or_none(p) and _full_name_written(text, t.text):
            # the full name is in the text but was not read as a place ("DeKalb County School District"):
            # the county of that name nearest the article's other places
            others = [pt for k, pt in points if k != fold(t.text)]
            if others:
                near = min((min(haversine_km(d.latitude, d.longitude, a, b) for a, b in others), d.geonameid, d) for d in divisions)
                pick = near[2] if near[0] <= LIST_KM else None
            if pick is not None and p is not None and (p.country_code, p.admin1) == (pick.country_code, pick.admin1):
                pick = None  # the town in that county may be meant
        if pick is None and focus is not None and _misread(t, p, focus):
            pick = next((d for d in divisions if (d.country_code, d.admin1) == focus), None)
        if pick is not None:
            out[i] = (pick, max(conf, 0.5))
    return out


def _full_name_written(text: str, name: str) -> bool:
    """``DeKalb County`` / ``Rapides Parish`` written somewhere in the text."""
    return re.search(rf"\b{re.escape(name)}\s+(?:County|Parish)\b", text) is not None


def _small_or_none(p: Place | None) -> bool:
    return p is None or (p.feature_class == "P" and p.population < BIG_TOWN and p.feature_code != "PPLC")


def _misread(t: Toponym, p: Place | None, focus: tuple[str | None, str]) -> bool:
    """The reading of ``t`` is a small town outside the story's province, or none, and no town of the name is inside it."""
    if p is not None and (p.feature_class != "P" or p.population >= BIG_TOWN or (p.country_code, p.admin1) == focus):
        return False
    return not any(
        c.kind != LOOSE and c.place.feature_class == "P" and (c.place.country_code, c.place.admin1) == focus for c in t.candidates
    )


def one_sense(toponyms: Sequence[Toponym], chosen: Chosen, cued: Sequence[bool]) -> Chosen:
    """Give every mention of a name the reading its qualified mention got, when the qualified ones agree."""
    readings: dict[str, set[int]] = {}
    best: dict[str, tuple[Place, float]] = {}
    for t, (p, conf), c in zip(toponyms, chosen, cued):
        if c and p is not None:
            key = fold(t.text)
            readings.setdefault(key, set()).add(p.geonameid)
            best[key] = (p, conf)
    if not best:
        return chosen
    out = list(chosen)
    for i, (t, c) in enumerate(zip(toponyms, cued)):
        key = fold(t.text)
        if not c and key in best and len(readings[key]) == 1:
            out[i] = best[key]
    return out
