"""Read-only SQL over the store's tables for the web API.

Every value from a request reaches SQLite as a bound parameter; the only SQL
text assembled at run time is chosen from fixed fragments in this module
(column names, ``AND``), never from request data.

Events are paged newest first by the key ``(ifnull(event_date, ''), id)``,
so undated events come last and a cursor is just the last key of a page.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..filters import EventFilter
from ..models import Event
from ..store.serde import event_from
from .filter_sql import DATE_KEY, after_cursor, decode_cursor, encode_cursor, fts_query, grid_cells, where
from .reads import EAST_OF_WEST, Page, StoreReads, cluster_cell, clusters_body, meta_body

if TYPE_CHECKING:
    from .columns import ColumnStore

log = logging.getLogger(__name__)

# The ordering key; the 0002_web_search migration indexes exactly this expression.

_SUMMARY_COLUMNS = (
    "e.id, e.event_date, e.event_type, e.sub_event_type, e.country_code, e.admin1, e.fatalities,"
    " e.latitude, e.longitude,"
    " json_extract(e.record, '$.location.location'), json_extract(e.record, '$.location.country'),"
    " json_extract(e.record, '$.location.geo_precision'), json_extract(e.record, '$.actor1'),"
    " json_extract(e.record, '$.actor2'), json_extract(e.record, '$.notes'),"
    " json_array_length(e.record, '$.sources')"
)
# The same fields from the 0003b_web_summary side table (extracted once, at write time).
_SUMMARY_COLUMNS_FAST = (
    "e.id, e.event_date, e.event_type, e.sub_event_type, e.country_code, e.admin1, e.fatalities,"
    " e.latitude, e.longitude, s.location, s.country, s.geo_precision, s.actor1, s.actor2, s.notes, s.n_sources"
)
_SUMMARY_JOIN = " LEFT JOIN event_summary AS s ON s.event_rowid = e.rowid"
_SUMMARY_KEYS = ("id", "event_date", "event_type", "sub_event_type", "country_code", "admin1", "fatalities",
                 "latitude", "longitude", "location", "country", "geo_precision", "actor1", "actor2", "notes",
                 "n_sources")

# Above this many matches, a set-valued filter is tested row by row while walking the date index.
WALK_THRESHOLD = 2000

# Temp tables of broad actor and text matches kept per connection (see Queries._match_tables), at most
# this many tables and this many rows in all (about 10 bytes a row).
MATCH_TABLES = 64
MATCH_ROWS = 2_000_000
_MATCH_TABLE_NUMBERS = itertools.count(1)

# Statement sizes (number of rowids) for reading a page's items off the column snapshot's rowids.
_IN_SIZES = (1, 2, 5, 10, 11, 20, 21, 50, 51, 100, 101, 200, 201, 500, 501)

# Filters served by an index range of their own (a count walks it when a set-valued filter is broad).
_INDEXED_FILTERS = frozenset(("country", "event_type", "date_from", "date_to"))

# A box's events by 1-degree grid cell (the 0006_web_indexes index): cell = row * 361 + column, row the
# latitude + 90 and column the longitude + 180, both truncated (so 0 <= cell < 181 * 361; NULL unlocated).
_GRID_CELL = "(CAST(e.latitude + 90 AS INTEGER) * 361 + CAST(e.longitude + 180 AS INTEGER))"
# At most this many cells: a box's page is one index range per cell, merged in date order (UNION ALL).
GRID_MAX_CELLS = 64
# A page's statement has one arm per cell, padded to one of these counts (with a cell that never matches)
# so that boxes of similar size share a prepared statement.
_GRID_ARMS = (1, 2, 4, 6, 9, 12, 16, 20, 25, 30, 36, 42, 49, 56, 64)

@dataclass(frozen=True, slots=True)
class JsonPage:
    """A page of events as encoded JSON objects (what ``Page.items`` would encode to, key for key)."""

    items: list[str]
    next_cursor: str | None


def encode_json(body: Any) -> str:
    """Compact JSON the way the API writes every body (UTF-8 text, no NaN)."""
    return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class Queries(StoreReads):
    """The API's queries over one open connection (one per thread)."""

    def __init__(self, conn: sqlite3.Connection, *, columns: ColumnStore | None = None) -> None:
        self.conn = conn
        self.columns = columns  # counts from an in-memory column snapshot (wirewatch.web.columns), when current
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        self.has_fts = "events_fts" in names
        self.has_actor_index = "event_actors" in names
        self.has_grid = conn.execute(  # 0006_web_indexes
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'events_grid_page'").fetchone() is not None
        self.has_items = False  # 0004_web_items: each event's list item stored as JSON
        if "event_summary" in names:
            self.summary_columns, self.summary_join = _SUMMARY_COLUMNS_FAST, _SUMMARY_JOIN
            self.point_columns = "s.geo_precision, s.location"
            self.has_items = any(r[1] == "item" for r in conn.execute("PRAGMA table_info(event_summary)"))
        else:  # an older database: read the fields out of the JSON record on every request
            self.summary_columns, self.summary_join = _SUMMARY_COLUMNS, ""
            self.point_columns = ("json_extract(e.record, '$.location.geo_precision'),"
                                  " json_extract(e.record, '$.location.location')")
        # Valid while PRAGMA data_version stays the same: the match-count estimates of _broad_filters and,
        # for actor and text filters matching many events, temp tables of their rowids (see _match_tables).
        self._version: int | None = None
        self._estimates: dict[tuple[str, Any], int] = {}
        self._matches: dict[tuple[str, str], tuple[str, int]] = {}  # (filter, value) -> (table, rows)
        self._match_rows = 0
        self._seen: dict[tuple[str, str], int] = {}  # broad filter values used once (no table yet)

    def _where(self, flt: EventFilter, *, walk: frozenset[str] = frozenset(),
               tables: dict[str, str] | None = None) -> tuple[str, list[Any]]:
        if flt.actor is not None and not self.has_actor_index:
            clause, params = where(EventFilter(**{**_fields(flt), "actor": None}), fts=self.has_fts, walk=walk)
            actor_sql = ("? IN (json_extract(e.record, '$.actor1'), json_extract(e.record, '$.actor2'),"
                         " json_extract(e.record, '$.assoc_actor_1'), json_extract(e.record, '$.assoc_actor_2'))")
            return f"{clause} AND {actor_sql}", [*params, flt.actor.strip()]
        return where(flt, fts=self.has_fts, walk=walk, tables=tables)

    def _grid(self, flt: EventFilter) -> list[int] | None:
        """The grid cells of ``flt``'s box when its page is best read cell by cell off the grid
        index: a box of at most GRID_MAX_CELLS cells and no actor or text filter (whose matches each arm
        would collect again)."""
        if flt.bbox is None or not (self.has_grid and self.has_items) or flt.actor is not None or flt.q is not None:
            return None
        cells = grid_cells(flt.bbox)
        return cells if len(cells) <= GRID_MAX_CELLS else None

    def _grid_sql(self, flt: EventFilter, cells: list[int], columns: str,
                  cursor: str | None) -> tuple[str, list[Any]]:
        """One ``SELECT columns`` per grid cell (the box's test and the other filters in each), joined by
        UNION ALL: ordered by the page key, SQLite merges the arms' index ranges lazily, reading about as
        many rows as the page holds (a page of a box in a dense region: half the time of the plans
        without the grid, measured with bench/bench_api.py's boxes)."""
        clause, params = where(flt)
        if cursor:
            more, values = after_cursor(cursor, bounded=True)
            clause, params = clause + more, params + values
        arms = next(n for n in _GRID_ARMS if n >= len(cells))
        arm = f"SELECT {columns} FROM events AS e WHERE {_GRID_CELL} = ? AND {clause}"  # noqa: S608 (fixed)
        padded = [*cells, *[-1] * (arms - len(cells))]  # -1: no event's cell
        return " UNION ALL ".join([arm] * arms), [value for cell in padded for value in (cell, *params)]

    def _sync(self) -> None:
        """Drop the plan estimates and match tables of an older data version."""
        version = self.data_version()
        if version != self._version:
            for name, _ in self._matches.values():
                self.conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
            self._version, self._estimates, self._matches, self._match_rows = version, {}, {}, 0
            self._seen = {}

    @contextlib.contextmanager
    def _plan(self, flt: EventFilter) -> Iterator[tuple[frozenset[str], dict[str, str]]]:
        """The walk plan of ``flt`` and the match tables it uses, valid for the queries run inside.

        Match tables hold row numbers, which a write may reassign, so a query that uses them runs in one
        read transaction with their (re)building: ``PRAGMA data_version`` there pins the snapshot the
        version check and the queries all see.  Other queries are single statements."""
        self._sync()
        walk = self._broad_filters(flt)
        if not walk & {"actor", "q"} or self.conn.in_transaction:
            yield walk, (self._match_tables(flt, walk) if self.conn.in_transaction else {})
            return
        self.conn.execute("BEGIN")
        try:
            self._sync()  # (a write may have landed since the first check)
            yield walk, self._match_tables(flt, walk)
        finally:
            self.conn.execute("COMMIT")

    def _match_tables(self, flt: EventFilter, walk: frozenset[str]) -> dict[str, str]:
        """Temp tables of the rowids matching the broad actor and text filters, built once per data version.

        A broad filter walks the date index and tests each row; against such a table each test is one rowid
        probe, where the plain subquery would collect every match again on every page (~5 ms for 10,000
        text matches) and the correlated actor probe costs twice as much.  A table costs a few of those
        pages to build, so it is built when a filter value comes back (the next page, the next visitor)
        within the same data version, not on first use.  Within MATCH_TABLES and
        MATCH_ROWS per connection (oldest dropped first); a filter goes without when temp tables cannot be
        made (e.g. ``PRAGMA query_only``)."""
        wanted: list[tuple[str, str, str, str]] = []
        if "actor" in walk and flt.actor is not None and self.has_actor_index:
            actor = flt.actor.strip()
            wanted.append(("actor", actor, "SELECT event_rowid FROM event_actors WHERE actor = ?", actor))
        if "q" in walk and flt.q is not None and self.has_fts and (match := fts_query(flt.q)) is not None:
            wanted.append(("q", match, "SELECT rowid FROM events_fts WHERE events_fts MATCH ?", match))
        tables: dict[str, str] = {}
        for kind, value, select, param in wanted:
            found = self._matches.pop((kind, value), None)
            if found is None and self._seen.get((kind, value), 0) < 1:  # first use: the plain plan
                self._seen[(kind, value)] = 1
                if len(self._seen) > 4096:
                    self._seen.clear()
                continue
            if found is None:
                found = self._new_match_table(select, param)
                if found is None:
                    continue
                self._match_rows += found[1]
            self._matches[(kind, value)] = found  # (re)inserted last: the most recently used
            tables[kind] = found[0]
        while self._matches and (len(self._matches) > MATCH_TABLES or self._match_rows > MATCH_ROWS):
            key = next(iter(self._matches))
            if key[0] in tables and tables[key[0]] == self._matches[key][0]:
                break  # never drop a table this query uses
            name, rows = self._matches.pop(key)
            self._match_rows -= rows
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
        return tables

    def _new_match_table(self, select: str, param: str) -> tuple[str, int] | None:
        name = f"wirewatch_match_{next(_MATCH_TABLE_NUMBERS)}"  # unique in the process, whatever the connection
        try:
            self.conn.execute(f"CREATE TEMP TABLE {name} (event_rowid INTEGER PRIMARY KEY)")
            rows = self.conn.execute(f"INSERT OR IGNORE INTO temp.{name} {select}", (param,)).rowcount
        except sqlite3.OperationalError as exc:
            log.debug("no temp table of matches: %s", exc)
            return None
        return name, max(rows, 0)

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: changes whenever another connection commits a write."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _estimate(self, key: tuple[str, Any], sql: str, params: tuple[Any, ...]) -> int:
        """``count(*)`` of ``sql`` capped at WALK_THRESHOLD + 1, remembered until the data change."""
        n = self._estimates.get(key)
        if n is None:
            n = self.conn.execute(f"SELECT count(*) FROM ({sql} LIMIT ?)", (*params, WALK_THRESHOLD + 1)).fetchone()[0]
            if len(self._estimates) >= 4096:
                self._estimates.clear()
            self._estimates[key] = n
        return n

    def _broad_filters(self, flt: EventFilter) -> frozenset[str]:
        """The set-valued filters (actor, text, bbox) that match so many events that walking the date
        index beats collecting and sorting their matches; plus ``"sort"`` when a lone minimum-fatalities
        filter matches so few that collecting and sorting them beats walking.  Each estimate is one cheap
        index count, remembered until the data change."""
        broad = set()
        if flt.actor is not None and self.has_actor_index:
            actor = flt.actor.strip()
            n = self._estimate(("actor", actor), "SELECT 1 FROM event_actors WHERE actor = ?", (actor,))
            if n > WALK_THRESHOLD:
                broad.add("actor")
        if flt.q is not None and self.has_fts and (match := fts_query(flt.q)) is not None:
            n = self._estimate(("q", match), "SELECT 1 FROM events_fts WHERE events_fts MATCH ?", (match,))
            if n > WALK_THRESHOLD:
                broad.add("q")
        if flt.bbox is not None:
            w, s, east, n_ = flt.bbox
            lon = "longitude BETWEEN ? AND ?" if w <= east else "(longitude >= ? OR longitude <= ?)"
            n = self._estimate(("bbox", flt.bbox), f"SELECT 1 FROM events WHERE {lon} AND latitude BETWEEN ? AND ?",
                               (w, east, s, n_))
            if n > WALK_THRESHOLD:
                broad.add("bbox")
        given = {name for name, value in _fields(flt).items() if value is not None}
        if given == {"min_fatalities"}:
            n = self._estimate(("fatalities", flt.min_fatalities), "SELECT 1 FROM events WHERE fatalities >= ?",
                               (flt.min_fatalities,))
            if n <= WALK_THRESHOLD:  # few events this deadly: collect them off the fatalities index and sort
                broad.add("sort")
        return frozenset(broad)

    # -- events ----------------------------------------------------------
    def _page_sql(self, flt: EventFilter, columns: str, cursor: str | None, *, walk: frozenset[str],
                  tables: dict[str, str], join: bool = True) -> tuple[str, list[Any]]:
        """The page query under the plan of :meth:`_plan`."""
        clause, params = self._where(flt, walk=walk, tables=tables)
        if cursor:  # (not bounded in the "sort" plan, whose range is the fatalities index)
            more, values = after_cursor(cursor, bounded="sort" not in walk)
            clause, params = clause + more, params + values
        summary_join = self.summary_join if join else ""
        order = f"+{DATE_KEY}" if "sort" in walk else DATE_KEY  # "+": no walking the date index
        sql = (f"SELECT {columns} FROM events AS e{summary_join} WHERE {clause}"  # noqa: S608
               f" ORDER BY {order} DESC, e.id DESC LIMIT ?")
        return sql, params

    def events(self, flt: EventFilter, *, limit: int, cursor: str | None = None) -> Page:
        with self._plan(flt) as (walk, tables):
            sql, params = self._page_sql(flt, self.summary_columns, cursor, walk=walk, tables=tables)
            rows = self.conn.execute(sql, [*params, limit + 1]).fetchall()
        items = [dict(zip(_SUMMARY_KEYS, row)) for row in rows[:limit]]
        nxt = None
        if len(rows) > limit:
            last = items[-1]
            nxt = encode_cursor(last["event_date"], last["id"])
        return Page(items, nxt)

    def events_json(self, flt: EventFilter, *, limit: int, cursor: str | None = None) -> JsonPage:
        """:meth:`events` with each item already encoded: the stored ``item`` (0004_web_items) when the
        database has it, else the row encoded here the way the API encodes any body."""
        if self.has_items and self._columns_serve(flt):
            page = self._column_page(flt, limit=limit, cursor=cursor)
            if page is not None:
                return page
        if self.has_items:
            rows = self._item_rows(flt, limit=limit, cursor=cursor)
            items = [row[2] for row in rows[:limit]]
            if None not in items:  # (an event without its summary row: written around the triggers)
                nxt = encode_cursor(rows[limit - 1][0], rows[limit - 1][1]) if len(rows) > limit else None
                return JsonPage(items, nxt)
        page = self.events(flt, limit=limit, cursor=cursor)
        return JsonPage([encode_json(item) for item in page.items], page.next_cursor)

    def _columns_serve(self, flt: EventFilter) -> bool:
        """Whether the column snapshot can answer ``flt`` (its actor and text filters need their indexes)."""
        return self.columns is not None and (flt.actor is None or self.has_actor_index) and (
            flt.q is None or self.has_fts)

    def _column_page(self, flt: EventFilter, *, limit: int, cursor: str | None) -> JsonPage | None:
        """The page off the column snapshot, with the items it keeps or else read by rowid in one statement
        (the number of ``?`` rounded up to a size class, padded with a rowid no event has, so that the
        prepared statement is shared).  None when there is no current snapshot or an item is missing."""
        after = decode_cursor(cursor) if cursor else None
        if self.columns.kept_items():  # the whole page comes from one snapshot
            found = self.columns.page(flt, limit=limit, cursor=after, rowids=self._rowids)
            if found is None or (found.items is not None and None in found.items):
                return None  # (no current snapshot, or an event without its summary row)
            if found.items is not None:
                return JsonPage(found.items, encode_cursor(*found.next_key) if found.next_key else None)
            # (a newer snapshot that keeps no items: they are read below)
        # Rowids are the snapshot's, items the database's: one read transaction, begun before the snapshot's
        # version is checked, so that no write (which may renumber rows) comes between them.
        own = not self.conn.in_transaction
        if own:
            self.conn.execute("BEGIN")
        try:
            self.conn.execute("SELECT 1 FROM event_summary LIMIT 1").fetchall()  # (the read begins here)
            found = self.columns.page(flt, limit=limit, cursor=after, rowids=self._rowids)
            if found is None:
                return None
            rowids, page = found.rowids, []
            if rowids:
                size = next((n for n in _IN_SIZES if n >= len(rowids)), len(rowids))
                marks = ",".join("?" * size)
                items = dict(self.conn.execute(
                    f"SELECT event_rowid, item FROM event_summary WHERE event_rowid IN ({marks})",  # noqa: S608
                    [*rowids, *[-1] * (size - len(rowids))]).fetchall())
                page = [items.get(r) for r in rowids]
                if None in page:  # (an event without its summary row: written around the triggers)
                    return None
        finally:
            if own:
                self.conn.execute("COMMIT")
        return JsonPage(page, encode_cursor(*found.next_key) if found.next_key else None)

    def _item_rows(self, flt: EventFilter, *, limit: int, cursor: str | None) -> list[tuple[str, str, str | None]]:
        """``(key, id, item)`` of the page and the row after it: the page's keys come off an index (the grid
        index for a small box) and only the rows kept are joined to their items."""
        keys = f"e.rowid AS rid, {DATE_KEY} AS k, e.id AS id"
        items = " LEFT JOIN event_summary AS s ON s.event_rowid = p.rid ORDER BY p.k DESC, p.id DESC"
        cells = self._grid(flt)
        if cells is not None:
            sql, params = self._grid_sql(flt, cells, keys, cursor)
            return self.conn.execute(f"SELECT p.k, p.id, s.item FROM ({sql} ORDER BY 2 DESC, 3 DESC LIMIT ?) AS p"
                                     f"{items}", [*params, limit + 1]).fetchall()  # noqa: S608 (fixed fragments)
        with self._plan(flt) as (walk, tables):
            sql, params = self._page_sql(flt, keys, cursor, walk=walk, tables=tables, join=False)
            return self.conn.execute(f"SELECT p.k, p.id, s.item FROM ({sql}) AS p{items}",  # noqa: S608
                                     [*params, limit + 1]).fetchall()

    def explain(self, flt: EventFilter, *, limit: int = 50) -> list[str]:
        """SQLite's plan for the first page of ``flt`` (EXPLAIN QUERY PLAN), one line per step."""
        cells = self._grid(flt)
        if cells is not None:
            sql, params = self._grid_sql(flt, cells, f"e.rowid AS rid, {DATE_KEY} AS k, e.id AS id", None)
            plan = [row[3] for row in self.conn.execute(f"EXPLAIN QUERY PLAN {sql} ORDER BY 2 DESC, 3 DESC LIMIT ?",
                                                        [*params, limit + 1])]
            return [f"grid: {len(cells)} cells", *sorted(set(plan))]
        with self._plan(flt) as (walk, tables):
            sql, params = self._page_sql(flt, f"e.rowid AS rid, {DATE_KEY} AS k, e.id AS id", None, walk=walk,
                                         tables=tables, join=False)
            return [row[3] for row in self.conn.execute(f"EXPLAIN QUERY PLAN {sql}", [*params, limit + 1])]

    def count(self, flt: EventFilter) -> int:
        """How many events match.  A lone actor or text filter is counted in its own index; a broad one
        next to an indexed filter (country, type, dates) is tested while walking that filter's index."""
        # (a box is counted off the longitude index: measured, its cells' ranges cost as much or more)
        if self._columns_serve(flt):
            n = self.columns.count(flt, rowids=self._rowids)
            if n is not None:
                return n
        given = {name for name, value in _fields(flt).items() if value is not None}
        match = fts_query(flt.q) if flt.q is not None else None
        if given == {"actor"} and self.has_actor_index:
            sql, params = "SELECT count(*) FROM event_actors WHERE actor = ?", [flt.actor.strip()]
        elif given == {"q"} and self.has_fts and match is not None:
            sql, params = "SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", [match]
        elif not given & _INDEXED_FILTERS:
            clause, params = self._where(flt)
            sql = f"SELECT count(*) FROM events AS e WHERE {clause}"  # noqa: S608 (fixed fragments)
        else:
            with self._plan(flt) as (walk, tables):
                clause, params = self._where(flt, walk=walk, tables=tables)
                return int(self.conn.execute(f"SELECT count(*) FROM events AS e WHERE {clause}",  # noqa: S608
                                             params).fetchone()[0])
        return int(self.conn.execute(sql, params).fetchone()[0])

    def _rowids(self, kind: str, value: str) -> list[tuple[int]]:
        """The rowids of the events an actor (``kind`` "actor") or an FTS5 query (``kind`` "q") matches."""
        if kind == "actor":
            return self.conn.execute("SELECT event_rowid FROM event_actors WHERE actor = ?", (value,)).fetchall()
        return self.conn.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", (value,)).fetchall()

    def filtered_events(self, flt: EventFilter) -> Iterator[Event]:
        """Every stored event matching ``flt``, in the order ``wirewatch export`` writes them (by id)."""
        clause, params = where(flt, fts=self.has_fts)
        for (record,) in self.conn.execute(f"SELECT e.record FROM events AS e WHERE {clause} ORDER BY e.id",  # noqa: S608
                                           params):
            yield event_from(json.loads(record))

    # -- map -------------------------------------------------------------
    def map_points(self, flt: EventFilter, *, max_points: int) -> dict[str, Any]:
        """At most ``max_points`` located events, or grid-cell clusters when more match."""
        clause, params = self._where(flt)
        clause += " AND e.latitude IS NOT NULL AND e.longitude IS NOT NULL"
        matching = self.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM events AS e WHERE {clause} LIMIT ?)",  # noqa: S608
            [*params, max_points + 1]).fetchone()[0]
        if matching <= max_points:
            rows = self.conn.execute(
                f"SELECT e.id, e.latitude, e.longitude, e.fatalities, e.event_type, e.event_date, {self.point_columns}"
                f" FROM events AS e{self.summary_join} WHERE {clause}"  # noqa: S608 (fixed fragments)
                " ORDER BY e.fatalities DESC, e.id", params).fetchall()
            keys = ("id", "latitude", "longitude", "fatalities", "event_type", "event_date", "geo_precision",
                    "location")
            return {"mode": "points", "points": [dict(zip(keys, r)) for r in rows]}
        w, cell = cluster_cell(flt)
        east_of_west = EAST_OF_WEST.format(p="?")
        clusters = self.conn.execute(
            "SELECT count(*), sum(e.fatalities), avg(e.latitude), avg(e.longitude)"
            f" FROM events AS e WHERE {clause}"  # noqa: S608 (fixed fragments)
            f" GROUP BY CAST({east_of_west} / ? AS INTEGER), CAST((e.latitude + 90.0) / ? AS INTEGER)",
            [*params, w, w, w, cell, cell]).fetchall()
        return clusters_body(cell, clusters)

    def meta(self) -> dict[str, Any]:
        """What the filter controls offer: counts, date span, countries, types, frequent actors."""
        totals, types = self._totals_and_types()
        counts = self.conn.execute(
            "SELECT country_code, count(*) FROM events WHERE country_code IS NOT NULL"
            " GROUP BY country_code ORDER BY count(*) DESC LIMIT 300").fetchall()
        countries = [(code, self.conn.execute(
            "SELECT json_extract(record, '$.location.country') FROM events WHERE country_code = ? LIMIT 1",
            (code,)).fetchone()[0], k) for code, k in counts]
        if self.has_actor_index:
            actors = self.conn.execute(
                "SELECT actor, count(*) FROM event_actors GROUP BY actor ORDER BY count(*) DESC LIMIT 200").fetchall()
        else:
            actors = []
        return meta_body(totals, text_search=self.has_fts, countries=countries, types=types, actors=actors)


def _fields(flt: EventFilter) -> dict[str, Any]:
    return {name: getattr(flt, name) for name in EventFilter.__dataclass_fields__}
