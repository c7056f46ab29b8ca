"""The embedded store: one SQLite file in WAL mode.

Articles and per-article event mentions are the facts; events are derived
from mentions by merging and are rewritten when new reports arrive (with a
history row for every change).  All SQL is parameterised.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Container, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..merge.cluster import MergeLane
from ..models import Article, Event, EventMention
from ..review import ReviewAction
from . import migrations, reviews
from .feeds import FeedState
from .serde import article_from, event_from, mention_from
from .shared import SharedQueries, article_row, event_row, history_rows, mention_row, now_utc

log = logging.getLogger(__name__)


def _setup(conn: sqlite3.Connection, *, attempts: int = 200) -> None:
    """WAL mode and migrations.  Switching a brand-new file to WAL can report "locked" at once
    (SQLite does not wait there) when several processes open it together: retry briefly."""
    for attempt in range(attempts):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            migrations.apply(conn)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


class SQLiteStore(SharedQueries, FeedState):
    """A wirewatch database.  Open with :meth:`open`; close with :meth:`close`."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._sql = reviews.Sql(conn)
        self._closed = False

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> "SQLiteStore":
        path = str(path)
        if readonly and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"no database at {path}", hint="run `wirewatch ingest` first or pass --db PATH")
        try:
            conn = sqlite3.connect(path, timeout=60.0, isolation_level=None)
            conn.execute("PRAGMA busy_timeout=60000")
            _setup(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a usable wirewatch database: {exc}",
                             hint="pass --db with a new file name or a wirewatch database") from exc
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()
        self._closed = True

    @property
    def closed(self) -> bool:
        """Has :meth:`close` been called?"""
        return self._closed

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (taking the write lock up front); nests as a no-op."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- runs --------------------------------------------------------------
    def start_run(self, command: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO ingest_runs(started_at, command) VALUES (?, ?)",
            (now_utc(), command),
        )
        return int(cur.lastrowid)

    # -- articles and mentions ---------------------------------------------
    def reserve_seq(self, n: int) -> list[int]:
        """``n`` article positions (ascending) for :meth:`add_article` ``seq=``, never given out again."""
        if n <= 0:
            return []
        with self.transaction():
            row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name='articles'").fetchone()
            top = max(int(row[0]) if row else 0, self.last_seq())
            if row is None:
                self.conn.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('articles', ?)", (top + n,))
            else:
                self.conn.execute("UPDATE sqlite_sequence SET seq=? WHERE name='articles'", (top + n,))
        return list(range(top + 1, top + n + 1))

    def add_article(self, article: Article, mentions: Iterable[EventMention], *, run_id: int | None,
                    minhash: bytes | None = None, link: Callable[[], None] | None = None,
                    seq: int | None = None) -> bool:
        """Store one article and its mentions atomically.  False when already stored.

        ``link()`` runs under the write lock just before the article is written (when it is new): it
        sets ``duplicate_of``/``story_id`` against every article stored so far, whoever stored it.
        ``seq`` (from :meth:`reserve_seq`) fixes the article's position in :meth:`articles`.
        """
        with self.transaction():
            if self.has_article(article.id):
                return False
            if link is not None:
                link()
            self.conn.execute(
                "INSERT INTO articles(id, external_id, headline, agency, published, origin, duplicate_of,"
                " story_id, minhash, record, run_id, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*article_row(article, minhash=minhash, run_id=run_id), seq),
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO mentions(id, article_id, event_date, country_code, record)"
                " VALUES (?,?,?,?,?)",
                [mention_row(m) for m in mentions],
            )
        return True

    def articles(self) -> Iterator[Article]:
        for (record,) in self.conn.execute("SELECT record FROM articles ORDER BY seq"):
            yield article_from(json.loads(record))

    def article_signatures(self) -> Iterator[tuple[Article, bytes | None]]:
        for record, minhash in self.conn.execute("SELECT record, minhash FROM articles ORDER BY seq"):
            yield article_from(json.loads(record)), minhash

    def signatures_after(self, seq: int, *,
                         skip: Container[str] = ()) -> Iterator[tuple[int, Article | None, bytes | None]]:
        """``(seq, article, signature)`` of the articles stored after position ``seq``, in order; ``article``
        and ``signature`` are None for ids in ``skip`` (known to the caller: their records are not read)."""
        rows = self.conn.execute("SELECT seq, id, record, minhash FROM articles WHERE seq > ? ORDER BY seq", (seq,))
        for pos, aid, record, minhash in rows.fetchall():
            if aid in skip:
                yield pos, None, None
            else:
                yield pos, article_from(json.loads(record)), minhash

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = "SELECT record FROM articles WHERE id IN (%s)" % ",".join("?" * len(chunk))
            for (record,) in self.conn.execute(q, chunk):
                a = article_from(json.loads(record))
                out[a.id] = a
        return out

    def mentions(self) -> list[EventMention]:
        return [mention_from(json.loads(r)) for (r,) in self.conn.execute("SELECT record FROM mentions ORDER BY id")]

    # -- events ------------------------------------------------------------
    def events(self) -> Iterator[Event]:
        for (record,) in self.conn.execute("SELECT record FROM events ORDER BY id"):
            yield event_from(json.loads(record))

    def replace_events(self, events: list[Event], *, run_id: int | None,
                       history: list[tuple[str, list[str], list[dict[str, Any]]]]) -> None:
        """Make ``events`` the stored set of events, in one transaction.

        ``history`` rows are ``(event_id, article_ids, changes)``.
        """
        now = now_utc()
        with self.transaction():
            for table in ("events", "event_mentions", "claims", "event_sources", "evidence"):
                self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
            self._write_events(events, history, run_id=run_id, now=now)

    def _write_events(self, events, history, *, run_id, now: str) -> None:
        """Insert ``events`` (mentions, claims, sources, evidence) and ``history``; the caller holds the transaction.

        ``event_mentions`` keeps the machine's assignment; the other tables get the events as reviewed
        (:func:`wirewatch.store.reviews.shown_on_write`)."""
        for ev in events:
            self.conn.executemany("INSERT OR REPLACE INTO event_mentions(mention_id, event_id) VALUES (?,?)",
                                  [(m, ev.id) for m in ev.mention_ids])
        for ev in reviews.shown_on_write(self._sql, list(events)):
            self._write_row(ev, run_id=run_id)
        self.conn.executemany(
            "INSERT INTO event_history(event_id, run_id, at, article_ids, changes) VALUES (?,?,?,?,?)",
            history_rows(history, run_id=run_id, now=now),
        )

    def _write_row(self, ev: Event, *, run_id: int | None) -> None:
        """One event's row with its claims, sources and evidence (not its mentions)."""
        self.conn.execute(
            "INSERT INTO events(id, event_date, country_code, admin1, event_type, sub_event_type,"
            " fatalities, latitude, longitude, record, updated_run) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            event_row(ev, run_id=run_id),
        )
        self.conn.executemany(
            'INSERT INTO claims(event_id, idx, quantity, low, high, qualifier, text, source, article_id,'
            ' start, "end") VALUES (?,?,?,?,?,?,?,?,?,?,?)',
            [(ev.id, i, c.quantity, c.low, c.high, c.qualifier, c.text, c.source, c.article_id,
              c.start, c.end) for i, c in enumerate(ev.claims)],
        )
        self.conn.executemany("INSERT OR IGNORE INTO event_sources(event_id, article_id) VALUES (?,?)",
                              [(ev.id, s.article_id) for s in ev.sources])
        self.conn.executemany(
            'INSERT INTO evidence(event_id, idx, article_id, start, "end", text) VALUES (?,?,?,?,?,?)',
            [(ev.id, i, e.article_id, e.start, e.end, e.text) for i, e in enumerate(ev.evidence)],
        )

    # -- review (wirewatch.review) ------------------------------------------
    def review(self, action: ReviewAction) -> list[str]:
        """Record an analyst's ``action`` and show the events it concerns as reviewed; returns their ids."""
        return reviews.record(self, self._sql, action, write_row=lambda ev: self._write_row(ev, run_id=None))

    # -- incremental event refresh (wirewatch.merge.refresh) ----------------------
    def _chunked(self, sql: str, ids: Iterable[Any], *, extra: tuple = ()) -> Iterator[tuple]:
        """Rows of ``sql`` (with one ``%s`` for a list of placeholders) over ``ids`` in chunks of 500."""
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            yield from self.conn.execute(sql % ",".join("?" * len(chunk)), [*extra, *chunk])

    def unmerged_mentions(self) -> list[EventMention]:
        """Stored mentions in no event yet (new since the last refresh, or left by a crash)."""
        rows = self.conn.execute("SELECT m.record FROM mentions m LEFT JOIN event_mentions em ON em.mention_id = m.id"
                                 " WHERE em.mention_id IS NULL ORDER BY m.id")
        return [mention_from(json.loads(r)) for (r,) in rows]

    def mentions_without_lanes(self) -> list[EventMention]:
        rows = self.conn.execute("SELECT m.record FROM mentions m LEFT JOIN merge_lanes l ON l.mention_id = m.id"
                                 " WHERE l.mention_id IS NULL ORDER BY m.id")
        return [mention_from(json.loads(r)) for (r,) in rows]

    def mentions_by_id(self, ids: Iterable[str]) -> list[EventMention]:
        rows = self._chunked("SELECT record FROM mentions WHERE id IN (%s)", ids)
        return sorted((mention_from(json.loads(r)) for (r,) in rows), key=lambda m: m.id)

    def add_lanes(self, lanes: Iterable[MergeLane]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO merge_lanes(mention_id, article_id, lane, lo, hi, days, report)"
            " VALUES (?,?,?,?,?,?,?)",
            [(x.mention_id, x.article_id, x.lane, x.lo, x.hi, None if x.lo is None else x.hi - x.lo, x.report)
             for x in lanes])

    _LANE_COLUMNS = "mention_id, article_id, lane, lo, hi, report"

    def lanes_from(self, lane: str, report: int | None, article_id: str) -> list[MergeLane]:
        """Mentions of ``lane`` whose (report date, article id) is not before the given one (undated last)."""
        head = f"SELECT {self._LANE_COLUMNS} FROM merge_lanes WHERE lane=? AND "
        if report is None:
            parts = [("report IS NULL AND article_id >= ?", (lane, article_id))]
        else:  # three index ranges (an OR would scan the lane)
            parts = [("report = ? AND article_id >= ?", (lane, report, article_id)), ("report > ?", (lane, report)),
                     ("report IS NULL", (lane,))]
        return [MergeLane(*r) for cond, args in parts for r in self.conn.execute(head + cond, args)]

    def lanes_undated(self, lane: str) -> list[MergeLane]:
        rows = self.conn.execute(f"SELECT {self._LANE_COLUMNS} FROM merge_lanes WHERE lane=? AND lo IS NULL", (lane,))
        return [MergeLane(*r) for r in rows]

    def lanes_overlapping(self, lane: str, lo: int, hi: int) -> list[MergeLane]:
        """Dated mentions of ``lane`` whose days overlap ``lo``..``hi`` (ordinals)."""
        (longest,) = self.conn.execute("SELECT max(days) FROM merge_lanes WHERE lane=?", (lane,)).fetchone()
        rows = self.conn.execute(f"SELECT {self._LANE_COLUMNS} FROM merge_lanes WHERE lane=? AND lo BETWEEN ? AND ?"
                                 " AND hi >= ?", (lane, lo - (longest or 0), hi, lo))
        return [MergeLane(*r) for r in rows]

    def lanes_of_lane(self, lane: str) -> list[MergeLane]:
        rows = self.conn.execute(f"SELECT {self._LANE_COLUMNS} FROM merge_lanes WHERE lane=?", (lane,))
        return [MergeLane(*r) for r in rows]

    def lanes_of_articles(self, article_ids: Iterable[str]) -> list[MergeLane]:
        rows = self._chunked(f"SELECT {self._LANE_COLUMNS} FROM merge_lanes WHERE article_id IN (%s)", article_ids)
        return [MergeLane(*r) for r in rows]

    def lanes_of_mentions(self, mention_ids: Iterable[str]) -> list[MergeLane]:
        rows = self._chunked(f"SELECT {self._LANE_COLUMNS} FROM merge_lanes WHERE mention_id IN (%s)", mention_ids)
        return [MergeLane(*r) for r in rows]

    def assignment_of(self, mention_ids: Iterable[str]) -> dict[str, str]:
        """``mention id -> event id`` for those of ``mention_ids`` already merged."""
        return dict(self._chunked("SELECT mention_id, event_id FROM event_mentions WHERE mention_id IN (%s)",
                                  mention_ids))

    def mentions_of_events(self, event_ids: Iterable[str]) -> list[str]:
        return [m for (m,) in self._chunked("SELECT mention_id FROM event_mentions WHERE event_id IN (%s)", event_ids)]

    def events_by_id(self, ids: Iterable[str]) -> dict[str, Event]:
        rows = self._chunked("SELECT record FROM events WHERE id IN (%s)", ids)
        return {e.id: e for e in (event_from(json.loads(r)) for (r,) in rows)}

    def update_events(self, events: Iterable[Event], *, removed: Iterable[str], run_id: int | None,
                      history: list[tuple[str, list[str], list[dict[str, Any]]]]) -> None:
        """Delete the events ``removed``, write ``events`` (replacing any of the same id) and ``history``,
        in one transaction; every other stored event stays as it is."""
        events = list(events)
        now = now_utc()
        with self.transaction():
            gone = sorted(set(removed) | {ev.id for ev in events})
            for table in ("events", "event_mentions", "claims", "event_sources", "evidence"):
                column = "id" if table == "events" else "event_id"
                for i in range(0, len(gone), 500):
                    chunk = gone[i:i + 500]
                    self.conn.execute(f"DELETE FROM {table} WHERE {column} IN (%s)"  # noqa: S608 (fixed names)
                                      % ",".join("?" * len(chunk)), chunk)
            self._write_events(events, history, run_id=run_id, now=now)

    # -- feed state (wirewatch.ingest.watch) --------------------------------------
    def mark_feed_items(self, feed: str, keys: Iterable[str], *, seen_at: str) -> None:
        """Remember ``keys`` as ingested from ``feed``."""
        with self.transaction():
            self.conn.executemany("INSERT OR IGNORE INTO feed_items(feed_url, item_key, seen_at) VALUES (?,?,?)",
                                  [(feed, k, seen_at) for k in keys])

    # -- history (wirewatch.store.mirror) ------------------------------------------
    def add_history_rows(self, rows: Iterable[tuple]) -> None:
        """Store history rows as :meth:`history_after` gives them (``run_id`` kept, not checked)."""
        self.conn.executemany("INSERT OR REPLACE INTO event_history(id, event_id, run_id, at, article_ids, changes)"
                              " VALUES (?,?,?,?,?,?)", list(rows))

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
