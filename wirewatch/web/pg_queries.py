"""The web API's reads on a PostgreSQL store (``wirewatch serve --db postgresql://...``).

:class:`PostgresQueries` has the public methods of :class:`wirewatch.web.queries.Queries` that the app
calls, written as plain SQL over the store's tables with the filter's own rendering
(:func:`wirewatch.filters.where_sql`): the same answers as on SQLite for the same events, in the same order
(newest first by ``(coalesce(event_date, ''), id)``, compared byte-wise).  The SQLite path's speed-ups
(FTS5, side tables, column snapshots) have no counterpart here; the words filter ``q`` matches the words
anywhere in the notes and evidence (on SQLite, whole words of its text index).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..filters import EventFilter, where_sql
from ..models import Event
from ..store.serde import event_from
from .filter_sql import decode_cursor, encode_cursor
from .queries import JsonPage, encode_json
from .reads import EAST_OF_WEST, StoreReads, cluster_cell, clusters_body, meta_body

if TYPE_CHECKING:
    from ..store.postgres import PostgresStore

_KEY = "coalesce(e.event_date, '') COLLATE \"C\""  # SQLite's page key, compared as SQLite compares text
_ID = 'e.id COLLATE "C"'
_ITEM_COLUMNS = ("e.id, e.event_date, e.event_type, e.sub_event_type, e.country_code, e.admin1, e.fatalities,"
                 " e.latitude, e.longitude, e.record")


def _item(row: tuple) -> dict[str, Any]:
    """One event of a list page, key for key the SQLite store's ``event_summary.item``."""
    eid, date, etype, sub, cc, admin1, fatalities, lat, lon, record = row
    rec = json.loads(record)
    loc = rec.get("location") or {}
    return {"id": eid, "event_date": date, "event_type": etype, "sub_event_type": sub, "country_code": cc,
            "admin1": admin1, "fatalities": fatalities,
            "latitude": loc.get("latitude", lat), "longitude": loc.get("longitude", lon),
            "location": loc.get("location"), "country": loc.get("country"), "geo_precision": loc.get("geo_precision"),
            "actor1": rec.get("actor1"), "actor2": rec.get("actor2"), "notes": rec.get("notes"),
            "n_sources": len(rec.get("sources") or [])}


class PostgresQueries(StoreReads):
    """The API's queries over one open :class:`PostgresStore` (one per thread)."""

    has_fts = True  # (the words filter works, by substring)
    mark, binary, nulls_first = "%s", ' COLLATE "C"', " NULLS FIRST"

    def __init__(self, store: PostgresStore) -> None:
        self.store = store
        self.conn = store.conn

    def _where(self, flt: EventFilter) -> tuple[str, list[Any]]:
        if flt.actor is not None:  # the SQLite API ignores spaces around an actor name
            flt = dataclasses.replace(flt, actor=flt.actor.strip())
        return where_sql(flt, "postgres")

    # -- events ----------------------------------------------------------
    def events_json(self, flt: EventFilter, *, limit: int, cursor: str | None = None) -> JsonPage:
        clause, params = self._where(flt)
        if cursor:
            date, event_id = decode_cursor(cursor)
            clause += f" AND ({_KEY} < %s OR ({_KEY} = %s AND {_ID} < %s))"
            params = [*params, date, date, event_id]
        rows = self.conn.execute(f"SELECT {_ITEM_COLUMNS} FROM events AS e WHERE {clause}"  # noqa: S608 (fixed)
                                 f" ORDER BY {_KEY} DESC, {_ID} DESC LIMIT %s", [*params, limit + 1]).fetchall()
        items = [_item(r) for r in rows[:limit]]
        nxt = encode_cursor(items[-1]["event_date"], items[-1]["id"]) if len(rows) > limit else None
        return JsonPage([encode_json(item) for item in items], nxt)

    def count(self, flt: EventFilter) -> int:
        clause, params = self._where(flt)
        return int(self.conn.execute(f"SELECT count(*) FROM events AS e WHERE {clause}",  # noqa: S608 (fixed)
                                     params).fetchone()[0])

    def filtered_events(self, flt: EventFilter) -> Iterator[Event]:
        """Every stored event matching ``flt``, in the order ``wirewatch export`` writes them (by id)."""
        clause, params = self._where(flt)
        for (record,) in self.conn.execute(f"SELECT e.record FROM events AS e WHERE {clause}"  # noqa: S608
                                           f" ORDER BY {_ID}", params).fetchall():
            yield event_from(json.loads(record))

    # -- map -------------------------------------------------------------
    def map_points(self, flt: EventFilter, *, max_points: int) -> dict[str, Any]:
        clause, params = self._where(flt)
        clause += " AND e.latitude IS NOT NULL AND e.longitude IS NOT NULL"
        matching = self.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM events AS e WHERE {clause}"  # noqa: S608
                                     " LIMIT %s) AS m", [*params, max_points + 1]).fetchone()[0]
        if matching <= max_points:
            rows = self.conn.execute(
                "SELECT e.id, e.latitude, e.longitude, e.fatalities, e.event_type, e.event_date, e.record"
                f" FROM events AS e WHERE {clause} ORDER BY e.fatalities DESC, {_ID}", params).fetchall()  # noqa: S608
            points = []
            for *head, record in rows:
                loc = json.loads(record).get("location") or {}
                keys = ("id", "latitude", "longitude", "fatalities", "event_type", "event_date")
                points.append({**dict(zip(keys, head)), "geo_precision": loc.get("geo_precision"),
                               "location": loc.get("location")})
            return {"mode": "points", "points": points}
        w, cell = cluster_cell(flt)
        east_of_west = EAST_OF_WEST.format(p="%s")
        clusters = self.conn.execute(
            "SELECT count(*), sum(e.fatalities), avg(e.latitude), avg(e.longitude),"
            f" trunc({east_of_west} / %s) AS gx, trunc((e.latitude + 90.0) / %s) AS gy"
            f" FROM events AS e WHERE {clause} GROUP BY gx, gy ORDER BY gx, gy",  # noqa: S608 (fixed fragments)
            [w, w, w, cell, cell, *params]).fetchall()
        return clusters_body(cell, clusters)

    def meta(self) -> dict[str, Any]:
        """What the filter controls offer, as :meth:`Queries.meta` gives it."""
        totals, types = self._totals_and_types()
        countries = self.conn.execute(
            "SELECT country_code, min((record::jsonb -> 'location' ->> 'country') COLLATE \"C\"), count(*)"
            " FROM events WHERE country_code IS NOT NULL GROUP BY country_code"
            ' ORDER BY count(*) DESC, country_code COLLATE "C" LIMIT 300').fetchall()
        actors = self.conn.execute(  # each event once per actor, names in any case (SQLite: COLLATE NOCASE)
            "SELECT min(a.name COLLATE \"C\"), count(DISTINCT e.id) FROM events AS e,"
            " LATERAL (SELECT e.record::jsonb ->> r AS name FROM unnest(ARRAY['actor1', 'actor2',"
            " 'assoc_actor_1', 'assoc_actor_2']) AS r) AS a WHERE a.name IS NOT NULL GROUP BY lower(a.name)"
            ' ORDER BY count(DISTINCT e.id) DESC, lower(a.name) COLLATE "C" LIMIT 200').fetchall()
        return meta_body(totals, text_search=self.has_fts, countries=countries, types=types, actors=actors)
