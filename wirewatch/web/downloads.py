"""Downloads of the filtered events: ``GET /api/export?format=acled|geojson&<filters>``.

The dashboard's download buttons send the filters of the current view; the file is what
``wirewatch export --format acled|geojson`` writes for the same filters (the same writers, the same
order), with a ``Content-Disposition`` that names it.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Annotated, Literal

from fastapi import FastAPI, Query
from fastapi.responses import Response
from pydantic import Field

from ..models import Event
from ..store.serde import event_from
from .params import FilterParams
from .queries import EventFilter, where

MEDIA = {"acled": ("text/csv; charset=utf-8", "csv"), "geojson": ("application/geo+json", "geojson")}


class ExportParams(FilterParams):
    format: Literal["acled", "geojson"] = Field("acled", description="acled: CSV with ACLED's columns; geojson")


def filtered_events(conn: sqlite3.Connection, flt: EventFilter) -> Iterator[Event]:
    """Every stored event matching ``flt``, in the order ``wirewatch export`` writes them (by id)."""
    has_fts = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'events_fts'").fetchone() is not None
    clause, params = where(flt, fts=has_fts)
    for (record,) in conn.execute(f"SELECT e.record FROM events AS e WHERE {clause} ORDER BY e.id", params):  # noqa: S608
        yield event_from(json.loads(record))


def add_download_routes(app: FastAPI, *, read: Callable[[], sqlite3.Connection]) -> None:
    @app.get("/api/export", summary="The filtered events as a file: ACLED CSV or GeoJSON")
    def export(params: Annotated[ExportParams, Query()]) -> Response:
        from ..export import acled, geojson

        flt = params.to_filter()
        out = io.StringIO()
        events = filtered_events(read(), flt)
        if params.format == "acled":
            acled.write(events, out)
        else:
            geojson.write(events, out)
        media, ext = MEDIA[params.format]
        return Response(out.getvalue(), media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="wirewatch-events.{ext}"'})
