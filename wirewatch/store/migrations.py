"""Named schema migrations, applied once each, in order, recorded in a table.

A migration is never edited after it has shipped: a schema change is a new
entry at the end of ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE ingest_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            command TEXT,
            inputs_ok INTEGER NOT NULL DEFAULT 0,
            inputs_failed INTEGER NOT NULL DEFAULT 0,
            articles_new INTEGER NOT NULL DEFAULT 0,
            articles_seen INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'running'
        );
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            external_id TEXT,
            headline TEXT,
            agency TEXT,
            published TEXT,
            origin TEXT,
            duplicate_of TEXT,
            story_id TEXT,
            minhash BLOB,
            record TEXT NOT NULL,
            run_id INTEGER REFERENCES ingest_runs(id)
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE TABLE mentions (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            event_date TEXT,
            country_code TEXT,
            record TEXT NOT NULL
        );
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE INDEX mentions_block ON mentions(country_code, event_date);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            event_date TEXT,
            country_code TEXT,
            admin1 TEXT,
            event_type TEXT,
            sub_event_type TEXT,
            fatalities INTEGER,
            latitude REAL,
            longitude REAL,
            record TEXT NOT NULL,
            updated_run INTEGER
        );
        CREATE INDEX events_date ON events(event_date);
        CREATE INDEX events_country ON events(country_code, event_date);
        CREATE TABLE event_mentions (
            mention_id TEXT PRIMARY KEY,
            event_id TEXT NOT NULL
        );
        CREATE INDEX event_mentions_event ON event_mentions(event_id);
        CREATE TABLE claims (
            event_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            quantity TEXT NOT NULL,
            low INTEGER,
            high INTEGER,
            qualifier TEXT,
            text TEXT,
            source TEXT,
            article_id TEXT,
            start INTEGER,
            "end" INTEGER,
            PRIMARY KEY (event_id, idx)
        );
        CREATE TABLE event_sources (
            event_id TEXT NOT NULL,
            article_id TEXT NOT NULL,
            PRIMARY KEY (event_id, article_id)
        );
        CREATE TABLE evidence (
            event_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (event_id, idx)
        );
        CREATE TABLE event_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL,
            run_id INTEGER,
            at TEXT NOT NULL,
            article_ids TEXT,
            changes TEXT NOT NULL
        );
        CREATE INDEX event_history_event ON event_history(event_id);
        """,
    ),
]


def apply(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with conn:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(name, applied_at) VALUES (?, datetime('now'))", (name,)
            )
        applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]
