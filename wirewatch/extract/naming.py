"""ACLED's names once an event's place is known.

The extractor names actors from the text alone.  When the text does not say whose soldiers, police or
protesters they were ("police fired tear gas at students in Batna"), it writes the generic name
without a country ("Police Forces", "Protesters").  ACLED names them after the country the event
happened in ("Police Forces of Algeria", "Protesters (Algeria)"), and so does :func:`name_event`
once the locate stage has placed the mention.  Names the text gave with their country ("Turkish
troops" -> "Military Forces of Turkey") are left as they are.

Country names follow ACLED where it writes them differently from GeoNames ("Democratic Republic of
Congo", not "Democratic Republic of the Congo").
"""

from __future__ import annotations

import dataclasses

from .actors import Actor, with_country
from ..models import EventMention

# ISO code -> the country name ACLED writes, where GeoNames' English short name differs.
ACLED_COUNTRY_NAMES: dict[str, str] = {
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "PS": "Palestine",
    "SZ": "eSwatini",
    "CZ": "Czech Republic",
    "CV": "Cape Verde",
    "TL": "East Timor",
}

_GENERIC = frozenset({"generic"})


def acled_country(code: str | None, name: str | None) -> str | None:
    """The country name ACLED uses for ``code`` (``name`` when ACLED writes it the same way)."""
    return ACLED_COUNTRY_NAMES.get((code or "").upper(), name)


def name_event(m: EventMention) -> None:
    """Write ``m``'s country and its country-less generic actors the way ACLED does (in place)."""
    loc = m.location
    if loc is None:
        return
    country = acled_country(loc.country_code, loc.country)
    if country != loc.country:
        m.location = loc = dataclasses.replace(loc, country=country)
    if not country:
        return
    for attr, where in (("actor1", "{}: "), ("actor2", " against {}")):
        name = getattr(m, attr)
        if not name:
            continue
        homed = with_country(Actor(name, 0, None, _GENERIC), country).name
        if homed != name:
            setattr(m, attr, homed)
            if m.notes:  # the summary names the actor as the extractor wrote it
                m.notes = m.notes.replace(where.format(name), where.format(homed), 1)
