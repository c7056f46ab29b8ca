"""Named schema migrations of the PostgreSQL store, applied once each, in order.

The same tables and columns as the SQLite schema (:mod:`wirewatch.store.migrations`; the shared ones are
written once in :mod:`.schema`) with PostgreSQL types: TEXT, BIGINT, DOUBLE PRECISION, BYTEA, and TEXT
holding the JSON ``record`` (kept as text so a record reads back byte for byte as the SQLite store gives
it).  Applied migrations are recorded in ``wirewatch_pg_migrations``; :func:`apply` takes a transaction-level
advisory lock first, so many workers opening the database at once apply each migration once.
A migration is never edited after it has shipped: a schema change is a new entry at the end.
"""

from __future__ import annotations

from typing import Any

from . import schema

# Key of the advisory lock that serialises schema changes (an arbitrary constant: "wwmigr").
MIGRATION_LOCK = 0x77776D69677200
# Key of the advisory lock that serialises event refreshes (replace_events and its reads).
EVENTS_LOCK = 0x7777657674730
# Key of the advisory lock that serialises writers linking new articles against the stored ones (add_article(link=)).
ARTICLES_LOCK = 0x77776172746963

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", schema.render(schema.INITIAL, "postgres")),
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
    # Analysts' review (wirewatch.review): see schema.REVIEWS.
    ("0007_reviews", schema.render(schema.REVIEWS, "postgres")),
    # `wirewatch watch` on PostgreSQL (the SQLite store's 0003a_feeds) and the incremental refresh's merge lanes
    # (the SQLite store's 0005_merge_lanes), so both back-ends implement the whole store contract
    # (wirewatch.store.base.Store).
    ("0008_feeds_and_lanes", schema.render(schema.FEEDS, "postgres") + schema.render(schema.MERGE_LANES, "postgres")),
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
