"""Pages and counts of ``/api/events`` from an in-memory copy of the filtered columns.

SQLite pages and counts by walking an index range row by row, testing the filters the range does not
serve: a country with a date window and a fatality floor, a box, a text search inside a country cost
0.5-1 ms a page and 1.5-5 ms a count at 100,000 events, on the event loop.  A snapshot of the columns the
filters test (date key, country, admin1, type, sub-event type, fatalities, coordinates), one numpy array
each in page order, finds a page's rowids or a count with a few vectorised comparisons; the page's items
are then read by rowid.  Text and actor filters are the rowid sets SQLite's own indexes return (FTS5 and
``event_actors``), kept as masks.

A snapshot belongs to one data version (the app's ``_DataVersion``): it is used only while no write has
landed since its stamp was read, and rebuilt on a background thread after one (the SQL plans answer
meanwhile).  Every comparison is the one :func:`wirewatch.web.queries.where` writes, text compared as
SQLite compares it (code point order of UTF-8), NULL never matching; a database holding values SQLite
would compare otherwise (text among numbers) gets no snapshot.
"""

from __future__ import annotations

import bisect
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .queries import EventFilter, fts_query

log = logging.getLogger(__name__)

# Above this many events no snapshot is made (about 100 bytes an event per server process, the ids
# included): pages and counts stay in SQL.
MAX_EVENTS = 1_000_000
# Text and actor masks kept per snapshot (one byte an event each).
MAX_MASKS = 64
# A snapshot keeps the events' list items (event_summary.item, about 450 characters each) when they add
# up to at most this many characters (~140,000 events; ~500 bytes an event per server process): a page is
# then read without SQL.
ITEM_CHARS = 64_000_000
# A page's filters are tested on this many rows first, then on windows four times larger each.
WINDOW = 2048

@dataclass(frozen=True, slots=True)
class Found:
    """A page off a snapshot: its events' rowids, the key of its last event when more follow (the next
    cursor) and, when the snapshot keeps them, the events' stored list items (None for a missing one)."""

    rowids: list[int]
    next_key: tuple[str, str] | None
    items: list[str | None] | None


@dataclass(slots=True)
class Snapshot:
    """The filtered columns of every event in page order (newest first by ``(ifnull(event_date, ''), id)``),
    as of data version ``stamp``."""

    stamp: int
    rowids: np.ndarray  # int64
    key_rank: np.ndarray  # int32: rank of ifnull(event_date, '') in ``keys`` (non-increasing)
    neg_rank: np.ndarray  # -key_rank (non-decreasing: for binary search)
    keys: list[str]  # the distinct date keys, sorted
    ids: list[str]  # the event ids
    by_rowid: np.ndarray  # positions sorted by rowid
    sorted_rowids: np.ndarray  # rowids[by_rowid]
    fatalities: np.ndarray  # float64, NaN for NULL
    latitude: np.ndarray  # float64, NaN for NULL
    longitude: np.ndarray
    codes: dict[str, tuple[np.ndarray, dict[Any, int]]]  # column -> (int32 codes, value -> code)
    items: list[str | None] | None = None  # each event's stored list item (event_summary.item), if kept
    masks: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def positions(self, rowids: np.ndarray) -> np.ndarray:
        """Where the given rowids sit in the arrays (rowids not in the snapshot dropped)."""
        at = np.searchsorted(self.sorted_rowids, rowids)
        ok = at < len(self.sorted_rowids)
        at, rowids = at[ok], rowids[ok]
        return self.by_rowid[at[self.sorted_rowids[at] == rowids]]

    def set_mask(self, key: tuple[str, str], rowids: Callable[[], list[tuple[int]]]) -> np.ndarray:
        with self.lock:
            found = self.masks.pop(key, None)
        if found is None:
            ids = np.fromiter((r[0] for r in rowids()), dtype=np.int64)
            found = np.zeros(len(self.rowids), dtype=bool)
            found[self.positions(ids)] = True
        with self.lock:
            self.masks[key] = found  # (re)inserted last: the most recently used
            while len(self.masks) > MAX_MASKS:
                self.masks.pop(next(iter(self.masks)))
        return found

    def count(self, flt: EventFilter, *, rowids: Callable[[str, str], list[tuple[int]]]) -> int:
        """How many events match ``flt``; ``rowids(kind, value)`` returns the rowids of the events an
        ``actor`` or ``q`` (an FTS5 query) matches."""
        lo, hi = self.date_range(flt)
        mask = self.mask(flt, lo, hi, rowids=rowids)
        return hi - lo if mask is None else int(np.count_nonzero(mask))

    def page(self, flt: EventFilter, *, limit: int, cursor: tuple[str, str] | None,
             rowids: Callable[[str, str], list[tuple[int]]]) -> Found:
        """The page of ``flt`` after ``cursor`` (a page key) as the SQL page query orders it.  The date filters
        bound a range of positions; the others are tested in growing windows from its start, so a page of a
        common value reads a few thousand rows."""
        lo, hi = self.date_range(flt)
        if cursor is not None:  # the first event after the cursor in page order
            keys, ids, ranks = self.keys, self.ids, self.key_rank
            lo = max(lo, bisect.bisect_left(range(len(ids)), True, key=lambda i: (keys[ranks[i]], ids[i]) < cursor))
        found: list[np.ndarray] = []
        wanted, at, window = limit + 1, lo, WINDOW
        while wanted > 0 and at < hi:
            end = min(hi, at + window)
            mask = self.mask(flt, at, end, rowids=rowids)
            more = np.arange(at, min(end, at + wanted)) if mask is None else np.flatnonzero(mask)[:wanted] + at
            found.append(more)
            wanted -= len(more)
            at, window = end, window * 4
        hits = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        nxt = None
        if len(hits) > limit:
            last = int(hits[limit - 1])
            nxt = (self.keys[self.key_rank[last]], self.ids[last])
        hits = hits[:limit]
        items = None
        if self.items is not None:
            every = self.items
            items = [every[i] for i in hits.tolist()]
        return Found(self.rowids[hits].tolist(), nxt, items)

    def date_range(self, flt: EventFilter) -> tuple[int, int]:
        """The positions ``[lo, hi)`` whose date keys pass the date filters (the keys are in page order)."""
        keys, neg = self.keys, self.neg_rank
        low, high = 0, len(keys)  # key ranks allowed: [low, high)
        if flt.date_from is not None:
            low = bisect.bisect_left(keys, flt.date_from.isoformat())
        if flt.date_to is not None:  # dated events only
            low = max(low, bisect.bisect_right(keys, ""))
            high = bisect.bisect_right(keys, flt.date_to.isoformat())
        if low >= high:
            return 0, 0
        bound = neg.dtype.type  # (a Python int would have numpy convert the whole array first)
        return (int(np.searchsorted(neg, bound(-high), side="right")),
                int(np.searchsorted(neg, bound(-low), side="right")))

    def mask(self, flt: EventFilter, lo: int, hi: int, *,
             rowids: Callable[[str, str], list[tuple[int]]]) -> np.ndarray | None:
        """Which events of positions ``[lo, hi)`` pass the filters other than the dates (None: all of them)."""
        mask: np.ndarray | None = None

        def both(more: np.ndarray) -> None:
            nonlocal mask
            mask = more if mask is None else mask & more

        for column, value in (("country_code", flt.country and flt.country.upper()), ("admin1", flt.admin1),
                              ("event_type", flt.event_type), ("sub_event_type", flt.sub_event_type)):
            if value is not None:
                codes, values = self.codes[column]
                both(codes[lo:hi] == values.get(value, -2))  # (-2: no event has the value)
        if flt.min_fatalities is not None:
            both(self.fatalities[lo:hi] >= flt.min_fatalities)
        if flt.bbox is not None:
            w, s, e, n = flt.bbox
            lat, lon = self.latitude[lo:hi], self.longitude[lo:hi]
            inside = (lat >= s) & (lat <= n)
            inside &= ((lon >= w) & (lon <= e)) if w <= e else ((lon >= w) | (lon <= e))
            both(inside)
        if flt.actor is not None:
            actor = flt.actor.strip()
            both(self.set_mask(("actor", actor), lambda: rowids("actor", actor))[lo:hi])
        if flt.q is not None and (match := fts_query(flt.q)) is not None:
            both(self.set_mask(("q", match), lambda: rowids("q", match))[lo:hi])
        return mask


class Unsupported(ValueError):
    """A stored value whose SQLite comparisons a snapshot would not reproduce (e.g. a number where text is
    expected): the database is served by the SQL plans."""


def _check(values: Any, kinds: tuple[type, ...], column: str) -> None:
    odd = next((v for v in values if not isinstance(v, kinds)), _NONE)
    if odd is not _NONE:
        raise Unsupported(f"events.{column} holds {type(odd).__name__} {odd!r}")


_NONE = object()


def _categorical(n: int, rows: list[tuple[Any, ...]], where: np.ndarray, column: int) -> tuple[np.ndarray, dict]:
    values: dict[Any, int] = {}
    codes = np.full(n, -1, dtype=np.int32)
    codes[where] = np.fromiter((values.setdefault(r[column], len(values)) for r in rows), dtype=np.int32,
                               count=len(rows))
    values.pop(None, None)  # NULL equals nothing
    return codes, values


def _floats(n: int, rows: list[tuple[Any, ...]], where: np.ndarray, column: int) -> np.ndarray:
    out = np.full(n, np.nan)
    out[where] = np.fromiter((np.nan if r[column] is None else r[column] for r in rows), dtype=np.float64,
                             count=len(rows))
    return out


def _items(conn: sqlite3.Connection, page_rowids: np.ndarray, by_rowid: np.ndarray) -> list[str | None] | None:
    """The stored list items in page order, or None (no ``item`` column, or more than ITEM_CHARS in all)."""
    try:
        rows = conn.execute("SELECT event_rowid, item FROM event_summary").fetchall()
    except sqlite3.OperationalError:  # a database from before 0004_web_items
        return None
    if sum(len(r[1]) for r in rows if r[1] is not None) > ITEM_CHARS:
        return None
    items: list[str | None] = [None] * len(page_rowids)
    sorted_rowids = page_rowids[by_rowid]
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    at = np.searchsorted(sorted_rowids, ids)
    ok = at < len(sorted_rowids)
    ok[ok] = sorted_rowids[at[ok]] == ids[ok]  # (summary rows of no event are left out)
    for position, (_, item) in zip(by_rowid[at[ok]].tolist(), (r for r, keep in zip(rows, ok.tolist()) if keep)):
        items[position] = item
    return items


def build(conn: sqlite3.Connection, *, stamp: int) -> Snapshot:
    """Read the columns in one read transaction; each query is a scan of a narrow covering index."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        dates = conn.execute("SELECT rowid, ifnull(event_date, '') FROM events").fetchall()
        rowids = np.sort(np.fromiter((r[0] for r in dates), dtype=np.int64, count=len(dates)))
        n = len(rowids)
        id_rows = conn.execute("SELECT rowid, id FROM events").fetchall()

        def where_(rows: list[tuple[Any, ...]]) -> np.ndarray:
            return np.searchsorted(rowids, np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))

        keys = sorted({r[1] for r in dates})
        _check(keys, (str,), "event_date")
        _check((r[1] for r in id_rows), (str,), "id")
        rank = {k: i for i, k in enumerate(keys)}
        key_rank = np.zeros(n, dtype=np.int32)
        key_rank[where_(dates)] = np.fromiter((rank[r[1]] for r in dates), dtype=np.int32, count=len(dates))
        del dates
        codes: dict[str, tuple[np.ndarray, dict[Any, int]]] = {}
        rows = conn.execute("SELECT rowid, country_code FROM events").fetchall()
        codes["country_code"] = _categorical(n, rows, where_(rows), 1)
        rows = conn.execute("SELECT rowid, admin1 FROM events").fetchall()
        codes["admin1"] = _categorical(n, rows, where_(rows), 1)
        rows = conn.execute("SELECT rowid, event_type, sub_event_type, fatalities, latitude, longitude"
                            " FROM events").fetchall()
        at = where_(rows)
        codes["event_type"] = _categorical(n, rows, at, 1)
        codes["sub_event_type"] = _categorical(n, rows, at, 2)
        for column, (_, values) in codes.items():
            _check(values, (str,), column)
        for i, column in ((3, "fatalities"), (4, "latitude"), (5, "longitude")):
            _check((r[i] for r in rows), (int, float, type(None)), column)
        ids: list[str] = [""] * n
        for i, (_, event_id) in zip(where_(id_rows).tolist(), id_rows):
            ids[i] = event_id
        ranks = key_rank.tolist()
        order = sorted(range(n), key=lambda i: (ranks[i], ids[i]), reverse=True)  # page order
        take = np.array(order, dtype=np.int64)
        page_rowids = rowids[take]
        by_rowid = np.argsort(page_rowids, kind="stable")
        snapshot = Snapshot(stamp=stamp, rowids=page_rowids, key_rank=key_rank[take], neg_rank=-key_rank[take],
                            keys=keys, ids=[ids[i] for i in order], by_rowid=by_rowid,
                            sorted_rowids=page_rowids[by_rowid], fatalities=_floats(n, rows, at, 3)[take],
                            latitude=_floats(n, rows, at, 4)[take], longitude=_floats(n, rows, at, 5)[take],
                            codes={c: (v[0][take], v[1]) for c, v in codes.items()},
                            items=_items(conn, page_rowids, by_rowid))
    finally:
        if own:
            conn.execute("COMMIT")
    return snapshot


class ColumnStore:
    """The current :class:`Snapshot` of one database for every thread of a server process.

    ``version()`` is the app's data version (any write changes it).  :meth:`page` and :meth:`count` answer
    from a snapshot of the current version or return None (the caller runs its SQL plan); a missing or
    outdated snapshot is rebuilt on a background thread, one build at a time, and no sooner after the last
    build than ``pause`` times its duration (under a stream of writes the rebuilds take at most about a
    sixth of a core).  ``connect()`` opens a read-only connection."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], *, version: Callable[[], int],
                 max_events: int = MAX_EVENTS, pause: float = 5.0) -> None:
        self.connect = connect
        self.version = version
        self.max_events = max_events
        self.pause = pause
        self.snapshot: Snapshot | None = None
        self.lock = threading.Lock()
        self.building: threading.Thread | None = None
        self.not_before = 0.0  # (monotonic clock) no rebuild starts before
        self.refused_at: int | None = None  # the data version found too large or too odd to copy

    def refresh(self) -> None:
        """Build the snapshot of the current data version now, on this thread."""
        stamp = self.version()  # read before the data: a snapshot is never newer-stamped than its data
        started = time.monotonic()
        conn = self.connect()
        try:
            n = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            if n > self.max_events:
                log.info("%d events: more than %d to copy; pages and counts stay in SQL", n, self.max_events)
                self.refused_at, self.snapshot = stamp, None
                return
            try:
                self.snapshot = build(conn, stamp=stamp)
            except Unsupported as exc:
                log.warning("pages and counts stay in SQL: %s", exc)
                self.refused_at, self.snapshot = stamp, None
        finally:
            conn.close()
            self.not_before = time.monotonic() + self.pause * (time.monotonic() - started)

    def current(self) -> Snapshot | None:
        stamp = self.version()
        snapshot = self.snapshot
        if snapshot is not None and snapshot.stamp == stamp:
            return snapshot
        if self.refused_at != stamp and time.monotonic() >= self.not_before:
            self._rebuild()
        return None

    def _rebuild(self) -> None:
        with self.lock:
            if self.building is not None and self.building.is_alive():
                return
            self.building = threading.Thread(target=self._build_logged, name="wirewatch-columns", daemon=True)
            self.building.start()

    def _build_logged(self) -> None:
        try:
            self.refresh()
        except sqlite3.Error as exc:  # (e.g. the file went away): the SQL plans go on
            log.warning("no column snapshot: %s", exc)

    def kept_items(self) -> bool:
        """Whether the latest snapshot keeps the list items (whether it is current or not)."""
        snapshot = self.snapshot
        return snapshot is not None and snapshot.items is not None

    def count(self, flt: EventFilter, *, rowids: Callable[[str, str], list[tuple[int]]]) -> int | None:
        """:meth:`Snapshot.count` of the current snapshot, or None when there is none."""
        snapshot = self.current()
        if snapshot is None:
            return None
        return snapshot.count(flt, rowids=rowids)

    def page(self, flt: EventFilter, *, limit: int, cursor: tuple[str, str] | None,
             rowids: Callable[[str, str], list[tuple[int]]]) -> Found | None:
        """:meth:`Snapshot.page` of the current snapshot, or None when there is none."""
        snapshot = self.current()
        if snapshot is None:
            return None
        return snapshot.page(flt, limit=limit, cursor=cursor, rowids=rowids)
