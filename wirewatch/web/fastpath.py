"""The API's hot path: ``GET /api/events`` answered without FastAPI's per-request machinery.

FastAPI validates a query model through its dependency system, which costs more per request than the
indexed SQL behind a page of events.  For the endpoint the dashboard calls most, this ASGI layer reads
the query string itself, but only when every parameter is one it can validate to the same result as
the pydantic model (:class:`wirewatch.web.params.FilterParams`).  Anything else (a value that is
invalid or merely unusual, a repeated or empty parameter, a malformed bbox or cursor) is handed to the
FastAPI app untouched, which answers it, errors included, exactly as before.  Both routes render the
body with the same function, so a response never depends on which route served it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import QueryError
from ..filters import parse_filter
from ..filters import EventFilter

log = logging.getLogger(__name__)

PATH = "/api/events"

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT = re.compile(r"0|[1-9][0-9]{0,8}")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_BOOLS = {"true": True, "1": True, "false": False, "0": False}
_TEXT_FIELDS = ("admin1", "actor", "q")
_KNOWN = frozenset(("date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor",
                    "min_fatalities", "q", "bbox", "cursor", "limit", "count"))


@dataclass(frozen=True, slots=True, kw_only=True)
class EventsRequest:
    """A validated ``/api/events`` request."""

    flt: EventFilter
    limit: int
    cursor: str | None = None
    count: bool = False


class _Unsure(Exception):
    """This parser cannot vouch for the value: let FastAPI decide."""


def _date(value: str) -> dt.date:
    if not _DATE.fullmatch(value):
        raise _Unsure
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Unsure from None


def _int(value: str, low: int, high: int) -> int:
    if not _INT.fullmatch(value) or not low <= int(value) <= high:
        raise _Unsure
    return int(value)


def parse_events_query(query_string: bytes, *, max_page_size: int) -> EventsRequest | None:
    """The request when every known parameter is certainly valid; None when FastAPI must judge it.

    Parameters are decoded as Starlette decodes them; unknown ones are ignored, as the model ignores them.
    """
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    values: dict[str, str] = {}
    for key, value in pairs:
        if key not in _KNOWN:
            continue
        if key in values or not value:
            return None
        values[key] = value
    try:
        for key in _TEXT_FIELDS:
            if key in values and len(values[key]) > 200:
                raise _Unsure
        country = values.get("country")
        if country is not None and not _COUNTRY.fullmatch(country):
            raise _Unsure
        bbox = values.get("bbox")
        cursor = values.get("cursor")
        if (bbox is not None and len(bbox) > 200) or (cursor is not None and len(cursor) > 1000):
            raise _Unsure
        count = _BOOLS.get(values.get("count", "false"))
        if count is None:
            raise _Unsure
        flt = parse_filter(
            date_from=_date(values["date_from"]) if "date_from" in values else None,
            date_to=_date(values["date_to"]) if "date_to" in values else None,
            country=country, admin1=values.get("admin1"), event_type=values.get("event_type"),
            sub_event_type=values.get("sub_event_type"), actor=values.get("actor"),
            min_fatalities=_int(values["min_fatalities"], 0, 10_000_000) if "min_fatalities" in values else None,
            q=values.get("q"), bbox=bbox)
        limit = _int(values["limit"], 1, max_page_size) if "limit" in values else 50
    except (_Unsure, QueryError):
        return None
    return EventsRequest(flt=flt, limit=limit, cursor=cursor, count=count)


class EventsFastPath:
    """ASGI middleware serving the requests :func:`parse_events_query` accepts with ``render``; every
    other request (and any request whose rendering raises, e.g. :class:`QueryError`) goes to ``app``."""

    def __init__(self, app: ASGIApp, *, render: Callable[[EventsRequest], Awaitable[bytes]],
                 max_page_size: int) -> None:
        self.app = app
        self.render = render
        self.max_page_size = max_page_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "GET":
            request = parse_events_query(scope.get("query_string") or b"", max_page_size=self.max_page_size)
            if request is not None:
                try:
                    body = await self.render(request)
                except Exception:  # noqa: BLE001 (QueryError or a fault: FastAPI's route meets it again and
                    # answers with the one error shape, logging a fault)
                    log.debug("fast path passes %s?%r on", PATH, scope.get("query_string"), exc_info=True)
                else:
                    await send({"type": "http.response.start", "status": 200,
                                "headers": [(b"content-length", str(len(body)).encode()),
                                            (b"content-type", b"application/json")]})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)
