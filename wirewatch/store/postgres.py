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
import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import StoreError
from ..models import Article, Event, EventMention
from . import pg_migrations
from .serde import article_from, event_from, mention_from, to_dict

log = logging.getLogger(__name__)

_HINT_MISSING = "install the cluster extra: pip install 'wirewatch[cluster]' (or: pip install 'psycopg[binary]>=3.1')"
_TABLES = ("articles", "mentions", "events", "event_mentions", "claims", "event_sources", "evidence",
           "event_history", "ingest_runs")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def redact(dsn: str) -> str:
    """The DSN with any password replaced by ``***`` (for messages and logs)."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", dsn)


def import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError("PostgreSQL support needs psycopg 3, which is not installed", hint=_HINT_MISSING) from exc
    return psycopg


class PostgresStore:
    """A wirewatch database on a PostgreSQL server.  Open with :meth:`open`; close with :meth:`close`."""

    def __init__(self, conn: Any, dsn: str) -> None:
        self.conn = conn
        self.dsn = dsn
        self.path = redact(dsn)

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

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
            (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), command),
        ).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, *, inputs_ok: int, inputs_failed: int, articles_new: int,
                   articles_seen: int) -> None:
        self.conn.execute(
            "UPDATE ingest_runs SET finished_at=%s, inputs_ok=%s, inputs_failed=%s, articles_new=%s, "
            "articles_seen=%s, status=%s WHERE id=%s",
            (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), inputs_ok, inputs_failed,
             articles_new, articles_seen, "failed-inputs" if inputs_failed else "ok", run_id),
        )

    # -- articles and mentions ---------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=%s", (article_id,)).fetchone() is not None

    def reserve_seq(self, n: int) -> list[int]:
        """``n`` article positions (ascending) for :meth:`add_article` ``seq=``: writers on many machines
        then store articles in the order the client read them, whatever order they finish in."""
        if n <= 0:
            return []
        rows = self.conn.execute(
            "SELECT nextval(pg_get_serial_sequence('articles', 'seq')) FROM generate_series(1, %s)", (n,)).fetchall()
        return sorted(int(r[0]) for r in rows)

    def add_article(self, article: Article, mentions: Iterable[EventMention], *, run_id: int | None,
                    minhash: bytes | None = None, seq: int | None = None) -> bool:
        """Store one article and its mentions atomically.  False when already stored (also by a concurrent writer).

        ``seq`` (from :meth:`reserve_seq`) fixes the article's position in :meth:`articles`.
        """
        values = (article.id, article.external_id, article.headline, article.agency,
                  article.published.isoformat() if article.published else None, article.origin,
                  article.duplicate_of, article.story_id, minhash, _dumps(to_dict(article)), run_id)
        with self._tx():
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
            rows = [(m.id, m.article_id, m.event_date.isoformat() if m.event_date else None,
                     m.location.country_code if m.location else None, _dumps(to_dict(m))) for m in mentions]
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

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def article_signatures(self) -> Iterator[tuple[Article, bytes | None]]:
        for record, minhash in self.conn.execute("SELECT record, minhash FROM articles ORDER BY seq").fetchall():
            yield article_from(json.loads(record)), bytes(minhash) if minhash is not None else None

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
    def events_stale(self) -> bool:
        """True when some stored mention is not yet merged into an event (e.g. after a crash)."""
        row = self.conn.execute(
            "SELECT 1 FROM mentions m LEFT JOIN event_mentions em ON em.mention_id = m.id"
            " WHERE em.mention_id IS NULL LIMIT 1").fetchone()
        return row is not None

    def previous_assignment(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT mention_id, event_id FROM event_mentions").fetchall())

    def events(self) -> Iterator[Event]:
        for (record,) in self.conn.execute('SELECT record FROM events ORDER BY id COLLATE "C"').fetchall():
            yield event_from(json.loads(record))

    def event_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def replace_events(self, events: list[Event], *, run_id: int | None,
                       history: list[tuple[str, list[str], list[dict[str, Any]]]]) -> None:
        """Make ``events`` the stored set of events, in one transaction (serialised with other refreshes).

        ``history`` rows are ``(event_id, article_ids, changes)``.
        """
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        ev_rows, em_rows, claim_rows, src_rows, evid_rows = [], [], [], [], []
        for ev in events:
            rec = ev.to_record()
            ev_rows.append((ev.id, rec["event_date"], rec["country_code"], rec["admin1"], ev.event_type,
                            ev.sub_event_type, ev.fatalities, rec["latitude"], rec["longitude"],
                            _dumps(to_dict(ev)), run_id))
            em_rows.extend((m, ev.id) for m in ev.mention_ids)
            claim_rows.extend((ev.id, i, c.quantity, c.low, c.high, c.qualifier, c.text, c.source, c.article_id,
                               c.start, c.end) for i, c in enumerate(ev.claims))
            src_rows.extend((ev.id, s.article_id) for s in ev.sources)
            evid_rows.extend((ev.id, i, e.article_id, e.start, e.end, e.text) for i, e in enumerate(ev.evidence))
        with self._tx(), self.conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (pg_migrations.EVENTS_LOCK,))
            for table in ("events", "event_mentions", "claims", "event_sources", "evidence"):
                cur.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
            cur.executemany(
                "INSERT INTO events(id, event_date, country_code, admin1, event_type, sub_event_type,"
                " fatalities, latitude, longitude, record, updated_run) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                ev_rows)
            cur.executemany("INSERT INTO event_mentions(mention_id, event_id) VALUES (%s,%s)"
                            " ON CONFLICT (mention_id) DO UPDATE SET event_id=EXCLUDED.event_id", em_rows)
            cur.executemany(
                'INSERT INTO claims(event_id, idx, quantity, low, high, qualifier, text, source, article_id,'
                ' start, "end") VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)', claim_rows)
            cur.executemany("INSERT INTO event_sources(event_id, article_id) VALUES (%s,%s) ON CONFLICT DO NOTHING",
                            src_rows)
            cur.executemany(
                'INSERT INTO evidence(event_id, idx, article_id, start, "end", text) VALUES (%s,%s,%s,%s,%s,%s)',
                evid_rows)
            cur.executemany(
                "INSERT INTO event_history(event_id, run_id, at, article_ids, changes) VALUES (%s,%s,%s,%s,%s)",
                [(eid, run_id, now, _dumps(arts), _dumps(changes)) for eid, arts, changes in history])

    def history(self, event_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT run_id, at, article_ids, changes FROM event_history WHERE event_id=%s ORDER BY id", (event_id,))
        return [{"run_id": r, "at": at, "article_ids": json.loads(a or "[]"), "changes": json.loads(c)}
                for r, at, a, c in rows.fetchall()]

    # -- review (wirewatch.review): the tables exist (0007_reviews); the overlay is the SQLite store's so far
    def review(self, action: Any) -> list[str]:
        raise StoreError("reviewing events needs a SQLite database for now",
                         hint="export the events, or review in a SQLite copy made by `wirewatch ingest`")

    def review_actions(self) -> list[Any]:
        return []

    def reviewed_ids(self) -> set[str]:
        return set()

    def rejected_events(self) -> list[Event]:
        return []

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
