"""The PostgreSQL store: the same interface and semantics as :class:`~wirewatch.store.sqlite.SQLiteStore`.

For ingesting from many machines at once (see :mod:`wirewatch.pipeline.distributed`): every worker opens
its own connection with the DSN and writes articles and mentions concurrently, one transaction
per article.  Event refreshes serialise on a transaction-level advisory lock, and the explicit
:meth:`PostgresStore.transaction` also takes a SHARE lock on ``articles`` and ``mentions``, so a
refresh reads a frozen set of mentions (concurrent article writes wait for it, as they wait for
SQLite's write lock).  Same tables and columns as SQLite (see :mod:`.pg_migrations`); JSON
records are kept as text; ids are ordered bytewise (``COLLATE "C"``) as SQLite orders them.
All SQL is parameterised.  Needs psycopg 3 (the ``cluster`` extra), imported lazily.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Callable, Container, Iterable, Iterator
from typing import Any

from ..errors import StoreError
from ..merge.cluster import MergeLane
from ..models import Article, Event, EventMention
from . import pg_migrations, reviews
from .feeds import FeedState
from .serde import article_from, event_from, mention_from
from .shared import SharedQueries, article_row, event_row, history_rows, mention_row, now_utc

log = logging.getLogger(__name__)

_HINT_MISSING = "install the cluster extra: pip install 'wirewatch[cluster]' (or: pip install 'psycopg[binary]>=3.1')"
_TABLES = ("articles", "mentions", "events", "event_mentions", "claims", "event_sources", "evidence",
           "event_history", "ingest_runs")


def redact(dsn: str) -> str:
    """The DSN with any password replaced by ``***`` (for messages and logs)."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", dsn)


def import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError("PostgreSQL support needs psycopg 3, which is not installed", hint=_HINT_MISSING) from exc
    return psycopg


class PostgresStore(SharedQueries, FeedState):
    """A wirewatch database on a PostgreSQL server.  Open with :meth:`open`; close with :meth:`close`."""

    def __init__(self, conn: Any, dsn: str) -> None:
        self.conn = conn
        self.dsn = dsn
        self.path = redact(dsn)
        self._sql = reviews.Sql(conn, postgres=True)

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def open(cls, dsn: str, *, readonly: bool = False) -> "PostgresStore":
        """Connect and apply pending migrations (``readonly``: check the schema exists, change nothing)."""
        psycopg = import_psycopg()
        try:
            conn = psycopg.connect(dsn, autocommit=True, connect_timeout=30)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {redact(dsn)}: {exc}",
                             hint="check that the server is up and the DSN (postgresql://USER@HOST:PORT/DB) is right") from exc
        try:
            if readonly:
                row = conn.execute("SELECT to_regclass('wirewatch_pg_migrations') IS NOT NULL").fetchone()
                if not row[0]:
                    raise StoreError(f"no wirewatch database at {redact(dsn)}",
                                     hint="run `wirewatch ingest --db DSN` first")
                conn.read_only = True
            else:
                applied = pg_migrations.apply(conn)
                if applied:
                    log.info("applied migrations %s to %s", ", ".join(applied), redact(dsn))
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(f"{redact(dsn)} is not a usable wirewatch database: {exc}",
                             hint="pass --db with an empty database or a wirewatch database") from exc
        except StoreError:
            conn.close()
            raise
        return cls(conn, dsn)

    def close(self) -> None:
        self.conn.close()

    @property
    def closed(self) -> bool:
        """Is the connection closed (by :meth:`close`, or lost)?"""
        return bool(self.conn.closed)

    @contextlib.contextmanager
    def _tx(self) -> Iterator[None]:
        """A plain transaction; nests as a no-op."""
        if self.conn.info.transaction_status != 0:  # 0 = IDLE: not inside a transaction
            yield
            return
        with self.conn.transaction():
            yield

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction holding the refresh lock; nests as a no-op.

        Takes the events advisory lock (one refresher at a time) and a SHARE lock on
        ``articles`` and ``mentions`` (article writers wait until it ends), like SQLite's
        ``BEGIN IMMEDIATE``.
        """
        if self.conn.info.transaction_status != 0:
            yield
            return
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (pg_migrations.EVENTS_LOCK,))
            self.conn.execute("LOCK TABLE articles, mentions IN SHARE MODE")
            yield

    # -- runs --------------------------------------------------------------
    def start_run(self, command: str) -> int:
        row = self.conn.execute(
            "INSERT INTO ingest_runs(started_at, command) VALUES (%s, %s) RETURNING id",
            (now_utc(), command),
        ).fetchone()
        return int(row[0])

    # -- articles and mentions ---------------------------------------------
    def reserve_seq(self, n: int) -> list[int]:
        """``n`` article positions (ascending) for :meth:`add_article` ``seq=``: writers on many machines
        then store articles in the order the client read them, whatever order they finish in."""
        if n <= 0:
            return []
        rows = self.conn.execute(
            "SELECT nextval(pg_get_serial_sequence('articles', 'seq')) FROM generate_series(1, %s)", (n,)).fetchall()
        return sorted(int(r[0]) for r in rows)

    def add_article(self, article: Article, mentions: Iterable[EventMention], *, run_id: int | None,
                    minhash: bytes | None = None, link: Callable[[], None] | None = None,
                    seq: int | None = None) -> bool:
        """Store one article and its mentions atomically.  False when already stored (also by a concurrent writer).

        ``seq`` (from :meth:`reserve_seq`) fixes the article's position in :meth:`articles`.  ``link()`` runs
        under the articles advisory lock (held by every linking writer) just before a new article is written.
        """
        values = article_row(article, minhash=minhash, run_id=run_id)
        with self._tx():
            if link is not None:
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (pg_migrations.ARTICLES_LOCK,))
                if self.has_article(article.id):
                    return False
                link()
                values = article_row(article, minhash=minhash, run_id=run_id)  # link() may set duplicate_of
            if seq is None:
                sql = ("INSERT INTO articles(id, external_id, headline, agency, published, origin, duplicate_of,"
                       " story_id, minhash, record, run_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                       " ON CONFLICT (id) DO NOTHING RETURNING seq")
            else:
                sql = ("INSERT INTO articles(id, external_id, headline, agency, published, origin, duplicate_of,"
                       " story_id, minhash, record, run_id, seq) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                       " ON CONFLICT (id) DO NOTHING RETURNING seq")
                values = (*values, seq)
            row = self.conn.execute(sql, values).fetchone()
            if row is None:
                return False
            rows = [mention_row(m) for m in mentions]
            if rows:
                with self.conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO mentions(id, article_id, event_date, country_code, record)"
                        " VALUES (%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET article_id=EXCLUDED.article_id,"
                        " event_date=EXCLUDED.event_date, country_code=EXCLUDED.country_code, record=EXCLUDED.record",
                        rows,
                    )
        return True

    def articles(self) -> Iterator[Article]:
        for (record,) in self.conn.execute("SELECT record FROM articles ORDER BY seq").fetchall():
            yield article_from(json.loads(record))

    def article_signatures(self) -> Iterator[tuple[Article, bytes | None]]:
        for record, minhash in self.conn.execute("SELECT record, minhash FROM articles ORDER BY seq").fetchall():
            yield article_from(json.loads(record)), bytes(minhash) if minhash is not None else None

    def signatures_after(self, seq: int, *,
                         skip: Container[str] = ()) -> Iterator[tuple[int, Article | None, bytes | None]]:
        """``(seq, article, signature)`` of the articles stored after position ``seq``, in order; ``article``
        and ``signature`` are None for ids in ``skip`` (their records are not decoded)."""
        rows = self.conn.execute("SELECT seq, id, record, minhash FROM articles WHERE seq > %s ORDER BY seq",
                                 (seq,)).fetchall()
        for pos, aid, record, minhash in rows:
            if aid in skip:
                yield int(pos), None, None
            else:
                yield int(pos), article_from(json.loads(record)), bytes(minhash) if minhash is not None else None

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        ids = list(ids)
        for i in range(0, len(ids), 5000):
            chunk = ids[i:i + 5000]
            for (record,) in self.conn.execute("SELECT record FROM articles WHERE id = ANY(%s)", (chunk,)):
                a = article_from(json.loads(record))
                out[a.id] = a
        return out

    def mentions(self) -> list[EventMention]:
        rows = self.conn.execute('SELECT record FROM mentions ORDER BY id COLLATE "C"').fetchall()
        return [mention_from(json.loads(r)) for (r,) in rows]

    # -- events ------------------------------------------------------------
    def events(self) -> Iterator[Event]:
        for (record,) in self.conn.execute('SELECT record FROM events ORDER BY id COLLATE "C"').fetchall():
            yield event_from(json.loads(record))

    def replace_events(self, events: list[Event], *, run_id: int | None,
                       history: list[tuple[str, list[str], list[dict[str, Any]]]]) -> None:
        """Make ``events`` the stored set of events, in one transaction (serialised with other refreshes).

        ``history`` rows are ``(event_id, article_ids, changes)``.
        """
        now = now_utc()
        with self._tx(), self.conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (pg_migrations.EVENTS_LOCK,))
            for table in ("events", "event_mentions", "claims", "event_sources", "evidence"):
                cur.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
            self._write_events(cur, events, run_id=run_id, history=history, now=now)

    def _write_events(self, cur: Any, events: Iterable[Event], *, run_id: int | None,
                      history: list[tuple[str, list[str], list[dict[str, Any]]]], now: str) -> None:
        """Insert ``events`` and ``history`` (the caller holds the transaction): ``event_mentions`` keeps the
        machine's assignment, the other tables get the events as reviewed (:func:`reviews.shown_on_write`)."""
        events = list(events)
        cur.executemany("INSERT INTO event_mentions(mention_id, event_id) VALUES (%s,%s)"
                        " ON CONFLICT (mention_id) DO UPDATE SET event_id=EXCLUDED.event_id",
                        [(m, ev.id) for ev in events for m in ev.mention_ids])
        self._write_rows(cur, reviews.shown_on_write(self._sql, events), run_id=run_id)
        cur.executemany(
            "INSERT INTO event_history(event_id, run_id, at, article_ids, changes) VALUES (%s,%s,%s,%s,%s)",
            history_rows(history, run_id=run_id, now=now))

    @staticmethod
    def _write_rows(cur: Any, events: Iterable[Event], *, run_id: int | None) -> None:
        """The events' rows with their claims, sources and evidence (not their mentions)."""
        ev_rows, claim_rows, src_rows, evid_rows = [], [], [], []
        for ev in events:
            ev_rows.append(event_row(ev, run_id=run_id))
            claim_rows.extend((ev.id, i, c.quantity, c.low, c.high, c.qualifier, c.text, c.source, c.article_id,
                               c.start, c.end) for i, c in enumerate(ev.claims))
            src_rows.extend((ev.id, s.article_id) for s in ev.sources)
            evid_rows.extend((ev.id, i, e.article_id, e.start, e.end, e.text) for i, e in enumerate(ev.evidence))
        cur.executemany(
            "INSERT INTO events(id, event_date, country_code, admin1, event_type, sub_event_type,"
            " fatalities, latitude, longitude, record, updated_run) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            ev_rows)
        cur.executemany(
            'INSERT INTO claims(event_id, idx, quantity, low, high, qualifier, text, source, article_id,'
            ' start, "end") VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)', claim_rows)
        cur.executemany("INSERT INTO event_sources(event_id, article_id) VALUES (%s,%s) ON CONFLICT DO NOTHING",
                        src_rows)
        cur.executemany(
            'INSERT INTO evidence(event_id, idx, article_id, start, "end", text) VALUES (%s,%s,%s,%s,%s,%s)',
            evid_rows)

    def update_events(self, events: Iterable[Event], *, removed: Iterable[str], run_id: int | None,
                      history: list[tuple[str, list[str], list[dict[str, Any]]]]) -> None:
        """Delete the events ``removed``, write ``events`` (replacing any of the same id) and ``history``,
        in one transaction; every other stored event stays as it is."""
        events = list(events)
        now = now_utc()
        gone = sorted(set(removed) | {ev.id for ev in events})
        with self._tx(), self.conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (pg_migrations.EVENTS_LOCK,))
            for table in ("events", "event_mentions", "claims", "event_sources", "evidence"):
                column = "id" if table == "events" else "event_id"
                cur.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", (gone,))  # noqa: S608 (fixed names)
            self._write_events(cur, events, run_id=run_id, history=history, now=now)

    # -- incremental event refresh (wirewatch.merge.refresh) ----------------------
    def unmerged_mentions(self) -> list[EventMention]:
        """Stored mentions in no event yet (new since the last refresh, or left by a crash)."""
        rows = self.conn.execute("SELECT m.record FROM mentions m LEFT JOIN event_mentions em ON em.mention_id = m.id"
                                 ' WHERE em.mention_id IS NULL ORDER BY m.id COLLATE "C"').fetchall()
        return [mention_from(json.loads(r)) for (r,) in rows]

    def mentions_without_lanes(self) -> list[EventMention]:
        rows = self.conn.execute("SELECT m.record FROM mentions m LEFT JOIN merge_lanes l ON l.mention_id = m.id"
                                 ' WHERE l.mention_id IS NULL ORDER BY m.id COLLATE "C"').fetchall()
        return [mention_from(json.loads(r)) for (r,) in rows]

    def mentions_by_id(self, ids: Iterable[str]) -> list[EventMention]:
        rows = self.conn.execute("SELECT record FROM mentions WHERE id = ANY(%s)", (list(ids),)).fetchall()
        return sorted((mention_from(json.loads(r)) for (r,) in rows), key=lambda m: m.id)

    def add_lanes(self, lanes: Iterable[MergeLane]) -> None:
        rows = [(x.mention_id, x.article_id, x.lane, x.lo, x.hi, None if x.lo is None else x.hi - x.lo, x.report)
                for x in lanes]
        if not rows:
            return
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO merge_lanes(mention_id, article_id, lane, lo, hi, days, report)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (mention_id) DO UPDATE SET article_id=EXCLUDED.article_id,"
                " lane=EXCLUDED.lane, lo=EXCLUDED.lo, hi=EXCLUDED.hi, days=EXCLUDED.days, report=EXCLUDED.report",
                rows)

    _LANE_COLUMNS = "mention_id, article_id, lane, lo, hi, report"

    def _lanes(self, where: str, args: tuple) -> list[MergeLane]:
        rows = self.conn.execute(f"SELECT {self._LANE_COLUMNS} FROM merge_lanes WHERE {where}", args)  # noqa: S608
        return [MergeLane(*r) for r in rows.fetchall()]

    def lanes_from(self, lane: str, report: int | None, article_id: str) -> list[MergeLane]:
        """Mentions of ``lane`` whose (report date, article id) is not before the given one (undated last)."""
        if report is None:
            return self._lanes('lane=%s AND report IS NULL AND article_id COLLATE "C" >= %s', (lane, article_id))
        return self._lanes('lane=%s AND ((report = %s AND article_id COLLATE "C" >= %s) OR report > %s'
                           " OR report IS NULL)", (lane, report, article_id, report))

    def lanes_undated(self, lane: str) -> list[MergeLane]:
        return self._lanes("lane=%s AND lo IS NULL", (lane,))

    def lanes_overlapping(self, lane: str, lo: int, hi: int) -> list[MergeLane]:
        """Dated mentions of ``lane`` whose days overlap ``lo``..``hi`` (ordinals)."""
        return self._lanes("lane=%s AND lo <= %s AND hi >= %s", (lane, hi, lo))

    def lanes_of_lane(self, lane: str) -> list[MergeLane]:
        return self._lanes("lane=%s", (lane,))

    def lanes_of_articles(self, article_ids: Iterable[str]) -> list[MergeLane]:
        return self._lanes("article_id = ANY(%s)", (list(article_ids),))

    def lanes_of_mentions(self, mention_ids: Iterable[str]) -> list[MergeLane]:
        return self._lanes("mention_id = ANY(%s)", (list(mention_ids),))

    def assignment_of(self, mention_ids: Iterable[str]) -> dict[str, str]:
        """``mention id -> event id`` for those of ``mention_ids`` already merged."""
        return dict(self.conn.execute("SELECT mention_id, event_id FROM event_mentions WHERE mention_id = ANY(%s)",
                                      (list(mention_ids),)).fetchall())

    def mentions_of_events(self, event_ids: Iterable[str]) -> list[str]:
        rows = self.conn.execute("SELECT mention_id FROM event_mentions WHERE event_id = ANY(%s)", (list(event_ids),))
        return [m for (m,) in rows.fetchall()]

    def events_by_id(self, ids: Iterable[str]) -> dict[str, Event]:
        rows = self.conn.execute("SELECT record FROM events WHERE id = ANY(%s)", (list(ids),)).fetchall()
        return {e.id: e for e in (event_from(json.loads(r)) for (r,) in rows)}

    # -- feed state (wirewatch.ingest.watch) --------------------------------------
    def mark_feed_items(self, feed: str, keys: Iterable[str], *, seen_at: str) -> None:
        """Remember ``keys`` as ingested from ``feed``."""
        rows = [(feed, k, seen_at) for k in keys]
        if rows:
            with self._tx(), self.conn.cursor() as cur:
                cur.executemany("INSERT INTO feed_items(feed_url, item_key, seen_at) VALUES (%s,%s,%s)"
                                " ON CONFLICT DO NOTHING", rows)

    # -- history (wirewatch.store.mirror) ------------------------------------------
    def add_history_rows(self, rows: Iterable[tuple]) -> None:
        """Store history rows as :meth:`history_after` gives them (``run_id`` kept, not checked)."""
        rows = list(rows)
        if rows:
            with self._tx(), self.conn.cursor() as cur:
                cur.executemany("INSERT INTO event_history(id, event_id, run_id, at, article_ids, changes)"
                                " VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING", rows)
                cur.execute("SELECT setval(pg_get_serial_sequence('event_history', 'id'),"
                            " (SELECT max(id) FROM event_history))")

    # -- review (wirewatch.review) ------------------------------------------
    def review(self, action: Any) -> list[str]:
        """Record an analyst's ``action`` and show the events it concerns as reviewed; returns their ids."""
        def write_row(ev: Event) -> None:
            with self.conn.cursor() as cur:
                self._write_rows(cur, [ev], run_id=None)

        return reviews.record(self, self._sql, action, write_row=write_row)

    def integrity_ok(self) -> bool:
        """No dangling rows: every event link points at a stored event and mention, every mention at its article."""
        checks = (
            "SELECT 1 FROM event_mentions em LEFT JOIN events e ON e.id = em.event_id WHERE e.id IS NULL LIMIT 1",
            "SELECT 1 FROM event_mentions em LEFT JOIN mentions m ON m.id = em.mention_id WHERE m.id IS NULL LIMIT 1",
            "SELECT 1 FROM mentions m LEFT JOIN articles a ON a.id = m.article_id WHERE a.id IS NULL LIMIT 1",
            "SELECT 1 FROM claims c LEFT JOIN events e ON e.id = c.event_id WHERE e.id IS NULL LIMIT 1",
            "SELECT 1 FROM evidence v LEFT JOIN events e ON e.id = v.event_id WHERE e.id IS NULL LIMIT 1",
        )
        return all(self.conn.execute(q).fetchone() is None for q in checks)
