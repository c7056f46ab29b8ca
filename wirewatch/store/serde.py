"""Dataclass <-> JSON-able dict conversion for what the store keeps as JSON.

Dates travel as ISO strings.  Only the model types of ``wirewatch.models``
are handled, each explicitly, so a stored record always round-trips.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, fields
from typing import Any

from ..models import Article, Caption, Claim, Event, EventMention, Evidence, Location, SourceRef


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def dumps(obj: Any) -> str:
    """``obj`` as the stores keep JSON: compact, keys sorted, non-ASCII as is."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def to_dict(obj: Any) -> dict[str, Any]:
    """Any model dataclass as a JSON-able dict (dates as ISO strings)."""
    return _jsonable(asdict(obj))


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def claim_from(d: dict[str, Any]) -> Claim:
    d = _known(Claim, d)
    d["published"] = _date(d.get("published"))
    return Claim(**d)


def location_from(d: dict[str, Any] | None) -> Location | None:
    return Location(**_known(Location, d)) if d else None


def evidence_from(d: dict[str, Any]) -> Evidence:
    return Evidence(**_known(Evidence, d))


def source_from(d: dict[str, Any]) -> SourceRef:
    d = _known(SourceRef, d)
    d["published"] = _date(d.get("published"))
    return SourceRef(**d)


def _occurrence(d: dict[str, Any]) -> dict[str, Any]:
    """The fields a mention and an event share (dates, evidence, claims, location) as model objects, in place."""
    for key in ("event_date", "date_start", "date_end"):
        d[key] = _date(d.get(key))
    d["evidence"] = [evidence_from(e) for e in d.get("evidence", [])]
    d["claims"] = [claim_from(c) for c in d.get("claims", [])]
    d["location"] = location_from(d.get("location"))
    return d


def mention_from(d: dict[str, Any]) -> EventMention:
    return EventMention(**_occurrence(_known(EventMention, d)))


def event_from(d: dict[str, Any]) -> Event:
    d = _occurrence(_known(Event, d))
    d["sources"] = [source_from(s) for s in d.get("sources", [])]
    return Event(**d)


def article_from(d: dict[str, Any]) -> Article:
    d = _known(Article, dict(d))
    d["published"] = _date(d.get("published"))
    d["captions"] = [Caption(text=c["text"], date=_date(c.get("date")), file_photo=bool(c.get("file_photo")))
                     for c in d.get("captions", [])]
    return Article(**d)
