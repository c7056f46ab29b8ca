"""Spatial coherence: how much the article's other names back each reading of a name.

Local news names places near one another ("Gainesville", "Whitesboro" and
"Cooke County" are all north Texas).  A reading of an ambiguous name is backed
by another name of the article when that name has a reading close by; the
backing counts as much as that other reading is likely on its own (its share of
a softmax over the prior scores), so a name with forty homonyms lends little to
each, and an unambiguous neighbour lends a lot.  Unlike the resolver's anchor
passes, this looks at every reading of the other names, not only the ones
chosen so far, so a wrong first choice (the bigger Gainesville in Georgia)
cannot lock the others in.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence

from .distance import haversine_km
from .gazetteer import LOOSE, Candidate
from .names import fold

SUPPORT_KM = 30.0
COINCIDENCE = 0.35  # a nearby reading of another name counts at least this much (chosen on even-numbered LGL docs, 7 values tried)
MAX_CANDIDATES = 60
_CELL = 1.0  # degrees; neighbours within SUPPORT_KM lie in the 3x3 block of cells around a point


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat / _CELL), math.floor(lon / _CELL))


def _usable(c: Candidate, approximate: frozenset[int]) -> bool:
    p = c.place
    return c.kind != LOOSE and p.feature_class in ("P", "A") and p.feature_code not in ("PCLI", "ADM1") and p.geonameid not in approximate


def support(
    names: Sequence[str],
    candidates: Sequence[Sequence[Candidate]],
    prior: Callable[[Candidate], float],
    *,
    approximate: frozenset[int] = frozenset(),
    sharpness: float = 2.0,
    floor: float | None = None,
) -> list[dict[int, float]]:
    """For each toponym, ``{geonameid: backing}`` of its readings (missing = 0).

    ``names`` are the toponyms' texts and ``candidates`` their readings; the
    backing of a reading is the sum, over the *other* distinct names, of the
    largest prior probability among that name's readings within
    :data:`SUPPORT_KM` of it.  Countries, provinces and divisions known only by
    their province's point neither give nor get backing.
    """
    floor = COINCIDENCE if floor is None else floor
    keys = [fold(n) for n in names]
    # one entry per distinct name: its usable readings with their prior probabilities
    readings: dict[str, list[tuple[Candidate, float]]] = {}
    for key, cands in zip(keys, candidates):
        if key in readings:
            continue
        usable = [c for c in list(cands)[:MAX_CANDIDATES] if _usable(c, approximate)]
        if not usable:
            readings[key] = []
            continue
        scores = [prior(c) for c in usable]
        top = max(scores)
        weights = [math.exp(sharpness * (s - top)) for s in scores]
        z = sum(weights)
        readings[key] = [(c, w / z) for c, w in zip(usable, weights)]
    grid: dict[tuple[int, int], list[tuple[str, float, float, float]]] = defaultdict(list)
    for key, rs in readings.items():
        for c, pr in rs:
            grid[_cell(c.place.latitude, c.place.longitude)].append((key, c.place.latitude, c.place.longitude, pr))
    cache: dict[str, dict[int, float]] = {}
    out = []
    for key in keys:
        if key not in cache:
            backing: dict[int, float] = {}
            for c, _pr in readings[key]:
                lat, lon = c.place.latitude, c.place.longitude
                ci, cj = _cell(lat, lon)
                best: dict[str, float] = {}
                for di in (-1, 0, 1):
                    for dj in (-1, 0, 1):
                        for other, olat, olon, opr in grid.get((ci + di, cj + dj), ()):
                            opr = max(opr, floor)
                            if other == key or opr <= best.get(other, 0.0):
                                continue
                            if haversine_km(lat, lon, olat, olon) <= SUPPORT_KM:
                                best[other] = opr
                if best:
                    backing[c.place.geonameid] = sum(best.values())
            cache[key] = backing
        out.append(cache[key])
    return out
