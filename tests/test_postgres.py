"""The PostgreSQL store: the SQLite store's contract (tests/test_store.py) on a real server.

Tests that need a server skip unless ``WIREWATCH_TEST_PG`` holds a DSN of a role that may create
databases (``eval "$(bash scripts/start-postgres.sh)"`` starts a throwaway one); each test gets a
fresh database, dropped afterwards.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from test_store import _article, _event, _mention  # noqa: E402  (the SQLite contract's helpers)
from wirewatch.errors import StoreError
from wirewatch.store import is_postgres, open_store
from wirewatch.store.sqlite import SQLiteStore

psycopg = pytest.importorskip("psycopg", reason="psycopg (the cluster extra) is not installed")

from wirewatch.store import pg_migrations  # noqa: E402
from wirewatch.store.postgres import PostgresStore, redact  # noqa: E402

PG_ENV = "WIREWATCH_TEST_PG"


def _with_db(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture
def pg_dsn():
    """DSN of a new, empty database on the test server; dropped after the test."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (start a server with scripts/start-postgres.sh)")
    name = "ww_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(base, name)
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_open_store_picks_the_backend_from_the_db_value(tmp_path):
    assert is_postgres("postgresql://u@h/db") and is_postgres("POSTGRES://h/db")
    assert not is_postgres(str(tmp_path / "x.db"))
    with open_store(str(tmp_path / "x.db")) as store:
        assert isinstance(store, SQLiteStore)


def test_unreachable_server_is_a_clear_error_without_the_password():
    with pytest.raises(StoreError, match="cannot connect") as info:
        PostgresStore.open("postgresql://someone:s3cret@127.0.0.1:1/nothing")
    assert "s3cret" not in str(info.value)
    assert redact("postgresql://u:pw@h:5432/d") == "postgresql://u:***@h:5432/d"


def test_migrations_are_named_recorded_and_idempotent(pg_dsn):
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        assert pg_migrations.apply(conn) == [name for name, _ in pg_migrations.MIGRATIONS]
        assert pg_migrations.apply(conn) == []
        names = [r[0] for r in conn.execute("SELECT name FROM wirewatch_pg_migrations ORDER BY name")]
    assert names == sorted(name for name, _ in pg_migrations.MIGRATIONS)
    with open_store(pg_dsn) as store:  # opening applies nothing more and is a PostgresStore
        assert isinstance(store, PostgresStore)
        assert store.article_count() == 0


def test_schema_has_the_sqlite_tables_and_columns(pg_dsn, tmp_path):
    with SQLiteStore.open(tmp_path / "s.db") as lite:
        want = {t: [r[1] for r in lite.conn.execute(f"PRAGMA table_info({t})")]
                for t in ("ingest_runs", "articles", "mentions", "events", "event_mentions", "claims",
                          "event_sources", "evidence", "event_history")}
    with PostgresStore.open(pg_dsn) as store:
        for table, columns in want.items():
            got = [r[0] for r in store.conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name=%s ORDER BY ordinal_position",
                (table,))]
            assert got == columns, table


def test_article_and_mentions_round_trip(pg_dsn):
    a = _article()
    m = _mention(a)
    with PostgresStore.open(pg_dsn) as store:
        assert store.add_article(a, [m], run_id=None, minhash=b"\x01\x02")
        assert not store.add_article(a, [m], run_id=None), "second insert of the same article must be a no-op"
        assert [x.id for x in store.articles()] == ["a1"]
        assert store.has_article("a1") and not store.has_article("a2")
        assert list(store.article_signatures())[0][1] == b"\x01\x02"
        assert store.articles_by_id(["a1", "zz"]) == {"a1": a}
        back = store.mentions()
        assert store.events_stale()
    assert back == [m]


def test_reserved_positions_order_articles_whatever_order_they_are_written(pg_dsn):
    with PostgresStore.open(pg_dsn) as store:
        seqs = store.reserve_seq(3)
        assert seqs == sorted(seqs) and len(set(seqs)) == 3
        for aid, seq in (("c", seqs[2]), ("a", seqs[0]), ("b", seqs[1])):
            store.add_article(_article(aid), [], run_id=None, seq=seq)
        store.add_article(_article("d"), [], run_id=None)
        assert [x.id for x in store.articles()] == ["a", "b", "c", "d"]


def test_events_replace_and_history(pg_dsn):
    a = _article()
    m = _mention(a)
    ev = _event(m, a)
    with PostgresStore.open(pg_dsn) as store:
        run = store.start_run("ingest")
        store.add_article(a, [m], run_id=run)
        store.replace_events([ev], run_id=run,
                             history=[("ev_1", ["a1"], [{"field": "created", "old": None, "new": "ev_1"}])])
        assert list(store.events()) == [ev]
        assert store.event_count() == 1 and not store.events_stale()
        assert store.previous_assignment() == {m.id: "ev_1"}
        claims = store.conn.execute("SELECT quantity, low, source FROM claims").fetchall()
        assert claims == [("killed", 12, "monitor")]
        assert store.history("ev_1")[0]["article_ids"] == ["a1"]
        assert store.integrity_ok()
        store.replace_events([], run_id=run, history=[])
        assert list(store.events()) == []
        assert store.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
        store.finish_run(run, inputs_ok=1, inputs_failed=0, articles_new=1, articles_seen=1)
        assert store.conn.execute("SELECT status FROM ingest_runs WHERE id=%s", (run,)).fetchone()[0] == "ok"
        assert store.integrity_ok()


def test_failed_replace_leaves_the_old_events(pg_dsn):
    a = _article()
    m = _mention(a)
    ev = _event(m, a)
    with PostgresStore.open(pg_dsn) as store:
        store.add_article(a, [m], run_id=None)
        store.replace_events([ev], run_id=None, history=[])
        other = _event(m, a)
        other.notes = "changed"
        with pytest.raises(psycopg.errors.UniqueViolation):  # the second row fails after the deletes and the first insert
            store.replace_events([other, other], run_id=None, history=[])
        assert list(store.events()) == [ev]
        assert store.previous_assignment() == {m.id: "ev_1"}


def test_readonly_open_of_empty_database_is_a_clear_error(pg_dsn):
    with pytest.raises(StoreError, match="no wirewatch database"):
        PostgresStore.open(pg_dsn, readonly=True)
    PostgresStore.open(pg_dsn).close()
    with open_store(pg_dsn, readonly=True) as store:
        assert store.event_count() == 0


def test_concurrent_writers_store_an_article_once(pg_dsn):
    PostgresStore.open(pg_dsn).close()
    a = _article("same")
    results: list[bool] = []

    def write() -> None:
        with PostgresStore.open(pg_dsn) as store:
            results.append(store.add_article(a, [_mention(a)], run_id=None))

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    with PostgresStore.open(pg_dsn) as store:
        assert store.article_count() == 1 and len(store.mentions()) == 1


def test_refresh_transaction_holds_back_article_writers(pg_dsn):
    """Like SQLite's write lock: mentions cannot change between a refresh's read and its write."""
    with PostgresStore.open(pg_dsn) as refresher, PostgresStore.open(pg_dsn) as writer:
        done = threading.Event()

        def write() -> None:
            writer.add_article(_article("late"), [], run_id=None)
            done.set()

        with refresher.transaction():
            before = refresher.article_count()
            t = threading.Thread(target=write)
            t.start()
            time.sleep(0.5)
            assert not done.is_set(), "an article write went through during the refresh transaction"
            assert refresher.article_count() == before
        t.join(timeout=10)
        assert done.is_set()
        assert refresher.article_count() == before + 1
