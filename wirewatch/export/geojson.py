"""RFC 7946 FeatureCollection: one Point feature per located event.

Events without coordinates are kept with ``geometry: null`` (allowed by
RFC 7946 §3.2) rather than silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..models import Event


def feature(event: Event) -> dict:
    rec = event.to_record()
    geometry = None
    if rec["latitude"] is not None and rec["longitude"] is not None:
        # RFC 7946: longitude first, WGS84, at most 6 decimals is plenty.
        geometry = {"type": "Point", "coordinates": [round(rec["longitude"], 6), round(rec["latitude"], 6)]}
    props = {k: v for k, v in rec.items() if k not in ("latitude", "longitude")}
    return {"type": "Feature", "id": event.id, "geometry": geometry, "properties": props}


def write(events: Iterable[Event], out: TextIO) -> int:
    feats = [feature(ev) for ev in events]
    json.dump({"type": "FeatureCollection", "features": feats}, out, ensure_ascii=False)
    out.write("\n")
    return len(feats)
