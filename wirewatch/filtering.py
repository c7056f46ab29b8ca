"""Filtering events in Python with the web API's filter (``wirewatch.web.queries.EventFilter``).

``export`` uses it so that the same options select the same events in every
output format; the API runs the equivalent SQL.
"""

from __future__ import annotations

import re

from .models import Event
from .web.queries import EventFilter, parse_bbox

__all__ = ["EventFilter", "matches", "parse_bbox"]


def _in_bbox(lat: float | None, lon: float | None, bbox: tuple[float, float, float, float]) -> bool:
    if lat is None or lon is None:
        return False
    w, s, e, n = bbox
    if not s <= lat <= n:
        return False
    return w <= lon <= e if w <= e else (lon >= w or lon <= e)  # west > east crosses the antimeridian


def matches(flt: EventFilter, ev: Event) -> bool:
    """Does ``ev`` satisfy every constraint of ``flt``?  (Dates compare on the event's span.)"""
    loc = ev.location
    if flt.date_from and (ev.date_end or ev.event_date) and (ev.date_end or ev.event_date) < flt.date_from:
        return False
    if flt.date_to and (ev.date_start or ev.event_date) and (ev.date_start or ev.event_date) > flt.date_to:
        return False
    if (flt.date_from or flt.date_to) and ev.event_date is None:
        return False
    if flt.country and (loc is None or (loc.country_code or "").upper() != flt.country.upper()):
        return False
    if flt.admin1 and (loc is None or (loc.admin1 or "").casefold() != flt.admin1.casefold()):
        return False
    if flt.event_type and ev.event_type != flt.event_type:
        return False
    if flt.sub_event_type and ev.sub_event_type != flt.sub_event_type:
        return False
    if flt.actor:
        actors = {a.casefold() for a in (ev.actor1, ev.actor2, ev.assoc_actor_1, ev.assoc_actor_2) if a}
        if flt.actor.casefold() not in actors:
            return False
    if flt.min_fatalities is not None and ev.fatalities < flt.min_fatalities:
        return False
    if flt.q:
        haystack = " ".join([ev.notes or ""] + [e.text for e in ev.evidence]).casefold()
        if not all(w.casefold() in haystack for w in re.findall(r"\w+", flt.q)):
            return False
    if flt.bbox and not _in_bbox(loc.latitude if loc else None, loc.longitude if loc else None, flt.bbox):
        return False
    return True
