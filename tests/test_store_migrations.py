"""Schema migrations of both back-ends: a fresh database gets exactly the schema the code had when
``tests/data/store/`` was recorded, and databases made by that code open without re-running or failing
a migration.

``tests/data/store/`` holds what the pre-#24 code made: ``schema_sqlite.json`` and ``schema_pg.json``
(every schema object and the migration names recorded) and ``old_sqlite.db.gz`` (a small SQLite database
with an article, an event, history and feed state).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from test_store import _article, _event, _mention
from test_store_contract import pg_url  # noqa: F401  (fixture: a new PostgreSQL database)
from wirewatch.store import migrations
from wirewatch.store.sqlite import SQLiteStore

DATA = Path(__file__).parent / "data" / "store"
SQLITE_SNAPSHOT = json.loads((DATA / "schema_sqlite.json").read_text())
PG_SNAPSHOT = json.loads((DATA / "schema_pg.json").read_text())

needs_json_arrow = pytest.mark.skipif(sqlite3.sqlite_version_info < (3, 38),
                                      reason="the snapshot was made with SQLite 3.38+ (the -> trigger text)")


def _ours(rows) -> list[list]:
    """Schema objects as ``[type, name, table, sql]``, sorted, without the FTS5 module's own shadow tables
    (their text is the SQLite version's, not ours)."""
    return sorted(([*r] for r in rows if not r[1].startswith("events_fts_")), key=lambda r: (r[0], r[1]))


def sqlite_objects(conn: sqlite3.Connection) -> list[list]:
    """Every schema object our migrations made, in the snapshot's form."""
    return _ours(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


SQLITE_OBJECTS = _ours(SQLITE_SNAPSHOT["objects"])


def recorded(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]


def old_database(tmp_path: Path) -> Path:
    """A copy of the SQLite database made by the pre-#24 code."""
    path = tmp_path / "old.db"
    with gzip.open(DATA / "old_sqlite.db.gz", "rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


@needs_json_arrow
def test_fresh_sqlite_database_has_the_recorded_schema(tmp_path):
    with SQLiteStore.open(tmp_path / "new.db") as store:
        assert sqlite_objects(store.conn) == SQLITE_OBJECTS
        assert recorded(store.conn) == sorted(name for name, _ in migrations.MIGRATIONS)


@needs_json_arrow
def test_old_sqlite_database_opens_without_rerunning_migrations(tmp_path):
    path = old_database(tmp_path)
    conn = sqlite3.connect(path)
    assert recorded(conn) == sorted(SQLITE_SNAPSHOT["migrations"])
    assert {"0003_feeds", "0003_web_summary"} <= set(SQLITE_SNAPSHOT["migrations"])
    before = dict(conn.execute("SELECT name, applied_at FROM schema_migrations"))
    conn.close()
    with SQLiteStore.open(path) as store:
        after = dict(store.conn.execute("SELECT name, applied_at FROM schema_migrations"))
        assert after == {migrations.RENAMED.get(name, name): at for name, at in before.items()}  # none re-ran
        assert migrations.apply(store.conn) == []
        assert sqlite_objects(store.conn) == SQLITE_OBJECTS
        assert recorded(store.conn) == sorted(name for name, _ in migrations.MIGRATIONS)
        # the old data is all there, and the triggers of the old schema still keep the side tables in step
        assert [a.id for a in store.articles()] == ["a1"]
        assert [e.id for e in store.events()] == ["ev_1"]
        assert store.feed_row("http://feed.example/rss") == ("e1", None, 0, None, 1.5)
        assert store.feed_item_seen("http://feed.example/rss", ["k1"])
        a = _article("a2")
        m = _mention(a)
        store.add_article(a, [m], run_id=None)
        ev = _event(m, a)
        store.update_events([dataclasses.replace(ev, id="ev_2")], removed=[], run_id=None, history=[])
        assert store.conn.execute("SELECT count(*), count(item) FROM event_summary").fetchone() == (2, 2)
        assert store.conn.execute("SELECT count(*) FROM events_fts").fetchone()[0] == 2
        assert store.integrity_ok()


def pg_objects(conn) -> dict[str, list]:
    """Columns, indexes and constraints of the public schema (the snapshot's form)."""
    return {
        "columns": [[*r] for r in conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default, collation_name"
            " FROM information_schema.columns WHERE table_schema='public' ORDER BY 1, ordinal_position")],
        "indexes": [[*r] for r in conn.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname='public' ORDER BY 1, 2")],
        "constraints": [[*r] for r in conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE connamespace='public'::regnamespace ORDER BY 1, 2")],
    }


def test_postgres_database_has_the_recorded_schema_and_names(pg_url):  # noqa: F811
    """A fresh database gets the old schema under the old names, so a database made by the old code
    (same names recorded) counts as fully migrated and a second apply changes nothing."""
    psycopg = pytest.importorskip("psycopg")
    from wirewatch.store import pg_migrations

    with psycopg.connect(pg_url, autocommit=True) as conn:
        pg_migrations.apply(conn)
        names = [r[0] for r in conn.execute("SELECT name FROM wirewatch_pg_migrations ORDER BY name")]
        assert names == PG_SNAPSHOT["migrations"]
        assert pg_objects(conn) == {k: PG_SNAPSHOT[k] for k in ("columns", "indexes", "constraints")}
        assert pg_migrations.apply(conn) == []


def test_migration_names_sort_in_the_order_applied_with_one_per_number():
    names = [name for name, _ in migrations.MIGRATIONS]
    assert names == sorted(names)
    assert len({name.split("_")[0] for name in names}) == len(names)
    assert set(migrations.RENAMED.values()) <= set(names)
    assert not set(migrations.RENAMED) & set(names)


@needs_json_arrow
def test_database_from_between_the_two_0003_migrations_gets_the_rest(tmp_path, monkeypatch):
    """A database that recorded the old ``0003_feeds`` only: the name is updated, the rest applied once."""
    conn = sqlite3.connect(tmp_path / "mid.db", isolation_level=None)
    full = list(migrations.MIGRATIONS)
    monkeypatch.setattr(migrations, "MIGRATIONS", full[:3])
    assert migrations.apply(conn) == ["0001_initial", "0002_web_search", "0003a_feeds"]
    conn.execute("UPDATE schema_migrations SET name = '0003_feeds' WHERE name = '0003a_feeds'")
    monkeypatch.setattr(migrations, "MIGRATIONS", full)
    assert migrations.apply(conn) == [name for name, _ in full[3:]]
    assert recorded(conn) == sorted(name for name, _ in full)
    assert sqlite_objects(conn) == SQLITE_OBJECTS
    assert migrations.apply(conn) == []
