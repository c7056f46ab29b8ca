"""Named schema migrations of the PostgreSQL store, applied once each, in order.

The same tables and columns as the SQLite schema (:mod:`wirewatch.store.migrations`) with
PostgreSQL types: TEXT, BIGINT, DOUBLE PRECISION, BYTEA, and TEXT holding the JSON ``record``
(kept as text so a record reads back byte for byte as the SQLite store gives it).  Applied
migrations are recorded in ``wirewatch_pg_migrations``; :func:`apply` takes a transaction-level
advisory lock first, so many workers opening the database at once apply each migration once.
A migration is never edited after it has shipped: a schema change is a new entry at the end.
"""

from __future__ import annotations

from typing import Any

# Key of the advisory lock that serialises schema changes (an arbitrary constant: "wwmigr").
MIGRATION_LOCK = 0x77776D69677200
# Key of the advisory lock that serialises event refreshes (replace_events and its reads).
EVENTS_LOCK = 0x7777657674730
# Key of the advisory lock that serialises writers linking new articles against the stored ones (add_article(link=)).
ARTICLES_LOCK = 0x77776172746963

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE ingest_runs (
            id BIGSERIAL PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            command TEXT,
            inputs_ok BIGINT NOT NULL DEFAULT 0,
            inputs_failed BIGINT NOT NULL DEFAULT 0,
            articles_new BIGINT NOT NULL DEFAULT 0,
            articles_seen BIGINT NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'running'
        );
        CREATE TABLE articles (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            external_id TEXT,
            headline TEXT,
            agency TEXT,
            published TEXT,
            origin TEXT,
            duplicate_of TEXT,
            story_id TEXT,
            minhash BYTEA,
            record TEXT NOT NULL,
            run_id BIGINT REFERENCES ingest_runs(id)
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
            fatalities BIGINT,
            latitude DOUBLE PRECISION,
            longitude DOUBLE PRECISION,
            record TEXT NOT NULL,
            updated_run BIGINT
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
            idx BIGINT NOT NULL,
            quantity TEXT NOT NULL,
            low BIGINT,
            high BIGINT,
            qualifier TEXT,
            text TEXT,
            source TEXT,
            article_id TEXT,
            start BIGINT,
            "end" BIGINT,
            PRIMARY KEY (event_id, idx)
        );
        CREATE TABLE event_sources (
            event_id TEXT NOT NULL,
            article_id TEXT NOT NULL,
            PRIMARY KEY (event_id, article_id)
        );
        CREATE TABLE evidence (
            event_id TEXT NOT NULL,
            idx BIGINT NOT NULL,
            article_id TEXT NOT NULL,
            start BIGINT NOT NULL,
            "end" BIGINT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (event_id, idx)
        );
        CREATE TABLE event_history (
            id BIGSERIAL PRIMARY KEY,
            event_id TEXT NOT NULL,
            run_id BIGINT,
            at TEXT NOT NULL,
            article_ids TEXT,
            changes TEXT NOT NULL
        );
        CREATE INDEX event_history_event ON event_history(event_id);
        """,
    ),
    (
        # The web API's paging and filter indexes (the SQLite store's 0002_web_search without FTS5,
        # which PostgreSQL does not have; full-text search there would be a tsvector index).
        "0002_web_indexes",
        """
        CREATE INDEX events_page ON events(coalesce(event_date, ''), id);
        CREATE INDEX events_type_page ON events(event_type, coalesce(event_date, ''), id);
        CREATE INDEX events_fatalities ON events(fatalities);
        CREATE INDEX events_lonlat ON events(longitude, latitude);
        """,
    ),
    (
        # Paging indexes for the sub-event type and admin1 filters (the SQLite store's 0004_web_items indexes).
        "0004_web_indexes",
        """
        CREATE INDEX events_subtype_page ON events(sub_event_type, coalesce(event_date, ''), id);
        CREATE INDEX events_admin1_page ON events(admin1, coalesce(event_date, ''), id);
        """,
    ),
    (
        # Analysts' review (wirewatch.review): every action with who, when and why, never rewritten, and the
        # machine's latest record of each event an action concerns; the events tables show the two combined.
        "0007_reviews",
        """
        CREATE TABLE review_actions (
            id BIGSERIAL PRIMARY KEY,
            event_id TEXT NOT NULL,
            action TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE INDEX review_actions_event ON review_actions(event_id);
        CREATE TABLE review_machine (
            event_id TEXT PRIMARY KEY,
            record TEXT NOT NULL
        );
        """,
    ),
    (
        # `wirewatch watch` on PostgreSQL (the SQLite store's 0003_feeds) and the incremental refresh's merge lanes
        # (the SQLite store's 0005_merge_lanes), so both back-ends implement the whole store contract
        # (wirewatch.store.base.Store).
        "0008_feeds_and_lanes",
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            etag TEXT,
            modified TEXT,
            last_polled TEXT,
            last_ok TEXT,
            last_error TEXT,
            failures BIGINT NOT NULL DEFAULT 0,
            next_poll DOUBLE PRECISION,
            items_new BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE feed_items (
            feed_url TEXT NOT NULL,
            item_key TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_url, item_key)
        );
        CREATE TABLE merge_lanes (
            mention_id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            lane TEXT NOT NULL,
            lo BIGINT,
            hi BIGINT,
            days BIGINT,
            report BIGINT
        );
        CREATE INDEX merge_lanes_lane ON merge_lanes(lane, lo);
        CREATE INDEX merge_lanes_order ON merge_lanes(lane, report, article_id COLLATE "C");
        CREATE INDEX merge_lanes_days ON merge_lanes(lane, days);
        CREATE INDEX merge_lanes_article ON merge_lanes(article_id);
        """,
    ),
]


def statements(sql: str) -> list[str]:
    """The statements of a migration script (none of ours has a ``;`` inside a statement)."""
    return [s.strip() for s in sql.split(";") if s.strip()]


def apply(conn: Any) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return the names applied now.

    ``conn`` is a psycopg 3 connection in autocommit mode.
    """
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS wirewatch_pg_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
    for name, sql in MIGRATIONS:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            done = conn.execute("SELECT 1 FROM wirewatch_pg_migrations WHERE name = %s", (name,)).fetchone()
            if done:
                continue
            for statement in statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO wirewatch_pg_migrations(name, applied_at) VALUES (%s, to_char(now() AT TIME ZONE 'UTC',"
                " 'YYYY-MM-DD HH24:MI:SS'))",
                (name,),
            )
        applied.append(name)
    return applied
