"""CSV with ACLED's column names and value conventions.

Dates are written ``DD Month YYYY`` as ACLED's exports do; ``interaction`` is
the two inter codes combined (lower first, ACLED's convention); ``source`` is
the outlets separated by ``; ``.  An event without a named first actor is
coded as ACLED does, ``Unidentified Armed Group (Country)`` with inter code 3.  ``Displacement`` (our extension type) is
left out unless ``include_extensions`` is set.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from ..models import Event
from .regions import acled_region, iso_numeric

COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


# ACLED's first actor when the text names no perpetrator (with the country in brackets when known).
UNNAMED_ACTOR1 = "Unidentified Armed Group"


def acled_date(d) -> str:
    return f"{d.day:02d} {d.strftime('%B')} {d.year}" if d else ""


def interaction(i1: int | None, i2: int | None) -> str:
    if i1 is None:
        return ""
    if i2 is None:
        return f"{i1}0"
    a, b = sorted((i1, i2))
    return f"{a}{b}"


def row(event: Event) -> dict:
    rec = event.to_record()
    outlets = sorted({s.agency or s.source for s in event.sources if s.agency or s.source})
    actor1, inter1 = event.actor1, event.inter1
    if actor1 is None or inter1 is None:
        # ACLED codes every event with a first actor: an unnamed perpetrator is an unidentified armed group.
        actor1 = actor1 or (f"{UNNAMED_ACTOR1} ({rec['country']})" if rec["country"] else UNNAMED_ACTOR1)
        inter1 = inter1 if inter1 is not None else 3
    return {
        "event_id_cnty": event.id,
        "event_date": acled_date(event.event_date),
        "year": event.event_date.year if event.event_date else "",
        "time_precision": event.time_precision or "",
        "disorder_type": _DISORDER.get(event.event_type, ""),
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": actor1,
        "assoc_actor_1": event.assoc_actor_1 or "",
        "inter1": inter1,
        "actor2": event.actor2 or "",
        "assoc_actor_2": event.assoc_actor_2 or "",
        "inter2": event.inter2 if event.inter2 is not None else "",
        "interaction": interaction(inter1, event.inter2),
        "civilian_targeting": "Civilian targeting" if event.inter2 == 7 else "",
        "iso": iso_numeric(rec["country_code"]) or "",
        "region": acled_region(rec["country_code"]),
        "country": rec["country"] or "",
        "admin1": rec["admin1"] or "",
        "admin2": rec["admin2"] or "",
        "admin3": "",
        "location": rec["location"] or "",
        "latitude": f"{rec['latitude']:.4f}" if rec["latitude"] is not None else "",
        "longitude": f"{rec['longitude']:.4f}" if rec["longitude"] is not None else "",
        "geo_precision": rec["geo_precision"] or "",
        "source": "; ".join(outlets),
        "source_scale": "International" if outlets else "",
        "notes": event.notes or "",
        "fatalities": event.fatalities,
        "tags": "",
        "timestamp": "",
    }


def write(events: Iterable[Event], out: TextIO, *, include_extensions: bool = False) -> int:
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    n = 0
    for ev in events:
        if ev.event_type == "Displacement" and not include_extensions:
            continue
        w.writerow(row(ev))
        n += 1
    return n
