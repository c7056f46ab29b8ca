"""Downloads of the filtered events: ``GET /api/export?format=acled|geojson&<filters>``.

The dashboard's download buttons send the filters of the current view; the file is what
``wirewatch export --format acled|geojson`` writes for the same filters (the same writers, the same
order), with a ``Content-Disposition`` that names it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Annotated, Literal

from fastapi import FastAPI, Query
from fastapi.responses import Response
from pydantic import Field

from ..filters import EventFilter
from ..models import Event
from .params import FilterParams

MEDIA = {"acled": ("text/csv; charset=utf-8", "csv"), "geojson": ("application/geo+json", "geojson")}


class ExportParams(FilterParams):
    format: Literal["acled", "geojson"] = Field("acled", description="acled: CSV with ACLED's columns; geojson")


def add_download_routes(app: FastAPI, *, read: Callable[[EventFilter], Iterable[Event]]) -> None:
    """``read(flt)``: every stored event matching ``flt``, in the order ``wirewatch export`` writes them
    (:meth:`Queries.filtered_events <wirewatch.web.queries.Queries.filtered_events>`)."""
    @app.get("/api/export", summary="The filtered events as a file: ACLED CSV or GeoJSON")
    def export(params: Annotated[ExportParams, Query()]) -> Response:
        from ..export import acled, geojson

        flt = params.to_filter()
        out = io.StringIO()
        events = read(flt)
        if params.format == "acled":
            acled.write(events, out)
        else:
            geojson.write(events, out)
        media, ext = MEDIA[params.format]
        return Response(out.getvalue(), media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="wirewatch-events.{ext}"'})
