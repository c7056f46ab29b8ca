"""The event filter (:class:`wirewatch.filters.EventFilter`) as the web API's SQLite SQL over ``events AS e``.

:func:`where` is :func:`wirewatch.filters.sql_terms` specialised to the SQLite web database (FTS5 text
search, the actor table, index-walking hints); :func:`grid_cells` and :func:`after_cursor` serve the
map grid and cursor paging.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from ..errors import QueryError
from ..filters import EventFilter, date_key, sql_terms

DATE_KEY = date_key("sqlite")


def grid_cells(bbox: tuple[float, float, float, float]) -> list[int]:
    """The 1-degree grid cells (see ``_GRID_CELL``) a box ``west, south, east, north`` touches."""
    w, s, e, n = bbox
    first, last = int(w + 180), int(e + 180)
    columns = range(first, last + 1) if w <= e else [*range(first, 361), *range(0, last + 1)]
    return [row * 361 + column for row in range(int(s + 90), int(n + 90) + 1) for column in columns]


def after_cursor(cursor: str, *, bounded: bool) -> tuple[str, list[Any]]:
    """The clause (and its values) for the rows after ``cursor`` in page order.  SQLite does not bound an
    index range by a row value, so a page deep in the list would scan every key before the cursor (8 ms at
    100,000 events); with ``bounded`` the plain ``key <= date`` bounds the date index's range."""
    date, event_id = decode_cursor(cursor)
    if bounded:
        return f" AND {DATE_KEY} <= ? AND ({DATE_KEY}, e.id) < (?, ?)", [date, date, event_id]
    return f" AND ({DATE_KEY}, e.id) < (?, ?)", [date, event_id]


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query of quoted terms (so no FTS syntax gets through)."""
    terms = re.findall(r"\w+", text)[:16]
    return " ".join(f'"{t}"' for t in terms) if terms else None


def where(flt: EventFilter, *, fts: bool = True, walk: frozenset[str] = frozenset(),
          tables: dict[str, str] | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``events AS e``) and its parameters: :func:`wirewatch.filters.sql_terms` for
    SQLite, with the web database's own ways to test an actor and words.

    Filters named in ``walk`` (``actor``, ``q``, ``bbox``) are written with SQLite's unary ``+`` so that no
    index serves them: the query then walks the date-ordered index and tests each row, which is the fast
    plan when many events match (the page fills early) and the slow one when few do.  ``tables`` maps
    ``actor`` or ``q`` to a temp table (named by :class:`Queries`, never from request data) holding the
    rowids of the events that filter matches, so that testing a walked row is one rowid probe.
    """
    tables = tables or {}
    clauses: list[str] = []
    params: list[Any] = []
    for term in sql_terms(flt, "sqlite", unindexed=walk & {"bbox"}):
        clause, values = term.clause, term.params
        if term.field == "actor":
            clause, values = _actor(flt.actor or "", walk=walk, tables=tables)
        elif term.field == "q":
            clause, values = _words(flt.q or "", fts=fts, walk=walk, tables=tables)
        clauses.append(clause)
        params += values
    return (" AND ".join(clauses) if clauses else "1"), params


def _actor(actor: str, *, walk: frozenset[str], tables: dict[str, str]) -> tuple[str, list[Any]]:
    """The actor filter on the ``event_actors`` table (names in any case, ``COLLATE NOCASE``)."""
    if "actor" in tables:
        return f"+e.rowid IN (SELECT event_rowid FROM temp.{tables['actor']})", []
    if "actor" in walk:  # one index probe per walked row
        return "EXISTS (SELECT 1 FROM event_actors AS a WHERE a.event_rowid = e.rowid AND a.actor = ?)", [actor.strip()]
    return "e.rowid IN (SELECT event_rowid FROM event_actors WHERE actor = ?)", [actor.strip()]  # collected once


def _words(q: str, *, fts: bool, walk: frozenset[str], tables: dict[str, str]) -> tuple[str, list[Any]]:
    """The words filter on the FTS5 index of notes and evidence."""
    match = fts_query(q)
    if "q" in tables:
        return f"+e.rowid IN (SELECT event_rowid FROM temp.{tables['q']})", []
    if fts:
        rowid = "+e.rowid" if "q" in walk else "e.rowid"
        return f"{rowid} IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)", [match]
    # an old database without the FTS index: slow but correct enough
    return "json_extract(e.record, '$.notes') LIKE ? ESCAPE '\\'", ["%" + re.sub(r"([%_\\])", r"\\\1", q.strip()) + "%"]


def encode_cursor(date: str | None, event_id: str) -> str:
    raw = json.dumps([date or "", event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        date, event_id = json.loads(raw)
    except (ValueError, TypeError):
        raise QueryError("cursor is not one this server issued; start again without it") from None
    if not isinstance(date, str) or not isinstance(event_id, str):
        raise QueryError("cursor is not one this server issued; start again without it")
    return date, event_id
