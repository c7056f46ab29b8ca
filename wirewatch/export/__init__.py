"""Exporters: stored events to the formats analysts already use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..models import Event
from . import acled, geojson, jsonl, ucdp

FORMATS = {"jsonl": jsonl.write, "acled": acled.write, "geojson": geojson.write, "ucdp": ucdp.write}


def write(events: Iterable[Event], out: TextIO, *, fmt: str) -> int:
    """Write ``events`` to ``out`` in ``fmt``; return how many were written."""
    return FORMATS[fmt](events, out)


def left_out(events: Iterable[Event], *, fmt: str, include_extensions: bool = False) -> list[str]:
    """Why ``fmt`` leaves some of ``events`` out, one plain sentence per reason (empty: none left out).

    ``acled`` has no Displacement type; ``ucdp`` (GED) holds organised violence with at least one death.
    """
    events = list(events)
    notes = []
    if fmt == "acled" and not include_extensions:
        n = sum(1 for e in events if e.event_type == "Displacement")
        if n:
            notes.append(f"{n} Displacement event(s) left out: ACLED has no such type"
                         " (--include-extensions writes them)")
    if fmt == "ucdp":
        kept = events if include_extensions else [e for e in events if ucdp.type_of_violence(e) is not None]
        if len(kept) < len(events):
            notes.append(f"{len(events) - len(kept)} event(s) left out: not organised violence, which is all UCDP's"
                         " GED holds (--include-extensions writes them)")
        deathless = sum(1 for e in kept if int(ucdp.row(e)["best"]) < 1)
        if deathless:
            notes.append(f"{deathless} event(s) left out: no reported death (UCDP counts events with at least one)")
    return notes
