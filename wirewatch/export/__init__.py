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
