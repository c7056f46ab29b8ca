"""Named schema migrations of the SQLite store, applied once each, in order, recorded in a table.

The tables it shares with PostgreSQL are written once, in :mod:`.schema`.  A migration is never edited
after it has shipped (its text included: SQLite keeps it): a schema change is a new entry at the end of
``MIGRATIONS``.  Names sort in the order applied; :data:`RENAMED` maps the two names that did not.
"""

from __future__ import annotations

import sqlite3

from . import schema


def _summary_row(rowid: str, row: str) -> str:
    """``(columns) SELECT ...`` filling one event_summary row from the events row ``row`` (``NEW.`` in a
    trigger).  ``item`` holds the keys of ``wirewatch.web.queries._SUMMARY_KEYS`` in that order.  Coordinates
    are copied as the JSON text of the record (``->``, SQLite 3.38+) so they keep every digit Python wrote;
    older SQLite renders the REAL columns with 15 significant digits."""
    rec = f"{row}record"
    if sqlite3.sqlite_version_info >= (3, 38):
        lat = f"coalesce({rec} -> '$.location.latitude', {row}latitude)"
        lon = f"coalesce({rec} -> '$.location.longitude', {row}longitude)"
    else:  # pragma: no cover (old SQLite)
        lat, lon = f"{row}latitude", f"{row}longitude"
    location, country = f"json_extract({rec}, '$.location.location')", f"json_extract({rec}, '$.location.country')"
    precision = f"json_extract({rec}, '$.location.geo_precision')"
    actor1, actor2 = f"json_extract({rec}, '$.actor1')", f"json_extract({rec}, '$.actor2')"
    notes, n_sources = f"json_extract({rec}, '$.notes')", f"json_array_length({rec}, '$.sources')"
    item = (f"json_object('id', {row}id, 'event_date', {row}event_date, 'event_type', {row}event_type,"
            f" 'sub_event_type', {row}sub_event_type, 'country_code', {row}country_code, 'admin1', {row}admin1,"
            f" 'fatalities', {row}fatalities, 'latitude', {lat}, 'longitude', {lon}, 'location', {location},"
            f" 'country', {country}, 'geo_precision', {precision}, 'actor1', {actor1}, 'actor2', {actor2},"
            f" 'notes', {notes}, 'n_sources', {n_sources})")
    return ("(event_rowid, location, country, geo_precision, actor1, actor2, notes, n_sources, item)"
            f" SELECT {rowid}, {location}, {country}, {precision}, {actor1}, {actor2}, {notes}, {n_sources}, {item}")


# What a new or changed event writes to the search tables of 0002_web_search (a trigger body, kept verbatim).
_SEARCH_ROWS = """INSERT INTO events_fts(rowid, notes, evidence) VALUES (
                NEW.rowid, json_extract(NEW.record, '$.notes'),
                (SELECT group_concat(json_extract(e.value, '$.text'), char(10))
                 FROM json_each(NEW.record, '$.evidence') AS e));
            INSERT OR IGNORE INTO event_actors(actor, event_rowid)
                SELECT json_extract(NEW.record, '$.' || k.value), NEW.rowid
                FROM json_each('["actor1","actor2","assoc_actor_1","assoc_actor_2"]') AS k
                WHERE json_extract(NEW.record, '$.' || k.value) IS NOT NULL;"""


def _summary_v1(row: str) -> str:
    """The 0003b_web_summary values of an event_summary row from the events row ``row`` (``NEW.`` in a trigger,
    kept verbatim there; ``""`` in the backfill)."""
    rec = f"{row}record"
    return (f"{row}rowid,\n"
            f"                json_extract({rec}, '$.location.location'), json_extract({rec}, '$.location.country'),\n"
            f"                json_extract({rec}, '$.location.geo_precision'), json_extract({rec}, '$.actor1'),\n"
            f"                json_extract({rec}, '$.actor2'), json_extract({rec}, '$.notes'),\n"
            f"                json_array_length({rec}, '$.sources')")


#: Names recorded by databases made before 0003_feeds and 0003_web_summary got distinct numbers; :func:`apply`
#: renames them (the migrations are the same).
RENAMED = {"0003_feeds": "0003a_feeds", "0003_web_summary": "0003b_web_summary"}

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", schema.render(schema.INITIAL, "sqlite")),
    (
        # Web API support (wirewatch.web): keyset-paging indexes, an actor index and an FTS5 index over
        # each event's notes and evidence sentences.  Triggers keep both in step with ``events`` whatever
        # writes it (SQLiteStore.replace_events deletes and re-inserts every row).
        "0002_web_search",
        f"""
        CREATE INDEX events_page ON events(ifnull(event_date, ''), id, fatalities, latitude, longitude, country_code,
                                           event_type);
        CREATE INDEX events_country_page ON events(country_code, ifnull(event_date, ''), id, event_type, sub_event_type,
                                                   fatalities, latitude, longitude);
        CREATE INDEX events_type_page ON events(event_type, ifnull(event_date, ''), id, sub_event_type, fatalities,
                                                latitude, longitude);
        CREATE INDEX events_fatalities ON events(fatalities);
        CREATE INDEX events_lonlat ON events(longitude, latitude);
        CREATE TABLE event_actors (
            actor TEXT NOT NULL COLLATE NOCASE,
            event_rowid INTEGER NOT NULL,
            PRIMARY KEY (actor, event_rowid)
        ) WITHOUT ROWID;
        CREATE INDEX event_actors_event ON event_actors(event_rowid);
        CREATE VIRTUAL TABLE events_fts USING fts5(notes, evidence, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TRIGGER events_web_insert AFTER INSERT ON events BEGIN
            {_SEARCH_ROWS}
        END;
        CREATE TRIGGER events_web_delete AFTER DELETE ON events BEGIN
            DELETE FROM events_fts WHERE rowid = OLD.rowid;
            DELETE FROM event_actors WHERE event_rowid = OLD.rowid;
        END;
        CREATE TRIGGER events_web_update AFTER UPDATE ON events BEGIN
            DELETE FROM events_fts WHERE rowid = OLD.rowid;
            DELETE FROM event_actors WHERE event_rowid = OLD.rowid;
            {_SEARCH_ROWS}
        END;
        INSERT INTO events_fts(rowid, notes, evidence)
            SELECT ev.rowid, json_extract(ev.record, '$.notes'),
                   (SELECT group_concat(json_extract(e.value, '$.text'), char(10))
                    FROM json_each(ev.record, '$.evidence') AS e)
            FROM events AS ev;
        INSERT OR IGNORE INTO event_actors(actor, event_rowid)
            SELECT json_extract(ev.record, '$.' || k.value), ev.rowid
            FROM events AS ev, json_each('["actor1","actor2","assoc_actor_1","assoc_actor_2"]') AS k
            WHERE json_extract(ev.record, '$.' || k.value) IS NOT NULL;
        """,
    ),
    ("0003a_feeds", schema.render(schema.FEEDS, "sqlite")),
    (
        # Web API list views (wirewatch.web): the few JSON fields a table row or map point shows, extracted
        # once when an event is written instead of on every request.  Kept in step by triggers.
        "0003b_web_summary",
        f"""
        CREATE TABLE event_summary (
            event_rowid INTEGER PRIMARY KEY,
            location TEXT,
            country TEXT,
            geo_precision INTEGER,
            actor1 TEXT,
            actor2 TEXT,
            notes TEXT,
            n_sources INTEGER
        );
        CREATE TRIGGER events_summary_insert AFTER INSERT ON events BEGIN
            INSERT OR REPLACE INTO event_summary VALUES ({_summary_v1("NEW.")});
        END;
        CREATE TRIGGER events_summary_delete AFTER DELETE ON events BEGIN
            DELETE FROM event_summary WHERE event_rowid = OLD.rowid;
        END;
        CREATE TRIGGER events_summary_update AFTER UPDATE ON events BEGIN
            DELETE FROM event_summary WHERE event_rowid = OLD.rowid;
            INSERT OR REPLACE INTO event_summary VALUES ({_summary_v1("NEW.")});
        END;
        INSERT INTO event_summary SELECT {_summary_v1("")} FROM events;
        """,
    ),
    (
        # Web API list views (wirewatch.web): each event's list item as compact JSON, written once with the
        # event so that a page of results is a join of stored strings (no per-request encoding); the
        # 0003b_web_summary triggers are replaced by ones that also fill ``item``.  Paging indexes for the
        # sub-event type and admin1 filters, which had none of their own; the map-box and fatalities
        # indexes now also hold the paging key (their matches are sorted without reading the rows).
        "0004_web_items",
        f"""
        CREATE INDEX events_subtype_page ON events(sub_event_type, ifnull(event_date, ''), id, fatalities, latitude,
                                                   longitude);
        CREATE INDEX events_admin1_page ON events(admin1, ifnull(event_date, ''), id, fatalities, latitude, longitude);
        CREATE INDEX events_lonlat_page ON events(longitude, latitude, ifnull(event_date, ''), id);
        DROP INDEX IF EXISTS events_lonlat;
        CREATE INDEX events_fatalities_page ON events(fatalities, ifnull(event_date, ''), id);
        DROP INDEX IF EXISTS events_fatalities;
        ALTER TABLE event_summary ADD COLUMN item TEXT;
        DROP TRIGGER events_summary_insert;
        DROP TRIGGER events_summary_update;
        CREATE TRIGGER events_summary_insert AFTER INSERT ON events BEGIN
            INSERT OR REPLACE INTO event_summary {_summary_row("NEW.rowid", "NEW.")};
        END;
        CREATE TRIGGER events_summary_update AFTER UPDATE ON events BEGIN
            DELETE FROM event_summary WHERE event_rowid = OLD.rowid;
            INSERT OR REPLACE INTO event_summary {_summary_row("NEW.rowid", "NEW.")};
        END;
        INSERT OR REPLACE INTO event_summary {_summary_row("events.rowid", "events.")} FROM events;
        """,
    ),
    # Incremental event refresh (wirewatch.merge.refresh): see schema.MERGE_LANES.
    ("0005_merge_lanes", schema.render(schema.MERGE_LANES, "sqlite")),
    (
        # Web API (wirewatch.web.queries): map boxes read events by 1-degree grid cell, newest first within
        # a cell, so a box's page merges a few date-ordered cell ranges instead of sorting every event in a
        # band of longitude (the cell expression must stay the one queries.py writes); the dashboard's
        # country + type filter pages and counts its own index range.
        "0006_web_indexes",
        """
        CREATE INDEX events_grid_page ON events(
            (CAST(latitude + 90 AS INTEGER) * 361 + CAST(longitude + 180 AS INTEGER)), ifnull(event_date, ''), id,
            latitude, longitude);
        CREATE INDEX events_country_type_page ON events(country_code, event_type, ifnull(event_date, ''), id,
                                                        sub_event_type, fatalities, latitude, longitude);
        """,
    ),
    # Analysts' review (wirewatch.review): see schema.REVIEWS.
    ("0007_reviews", schema.render(schema.REVIEWS, "sqlite")),
]


def apply(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded (first renaming :data:`RENAMED` ones); return the names applied now.

    The check and the migrations run under one write lock (``BEGIN IMMEDIATE``), so
    two processes opening a new database at once cannot both create its tables.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    if all(name in done for name, _ in MIGRATIONS) and not done & RENAMED.keys():
        return []
    applied = []
    own_tx = not conn.in_transaction
    if own_tx:
        conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("UPDATE OR REPLACE schema_migrations SET name = ? WHERE name = ?",
                         [(new, old) for old, new in RENAMED.items()])
        done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations(name, applied_at) VALUES (?, datetime('now'))", (name,))
            applied.append(name)
    except BaseException:
        if own_tx:
            conn.execute("ROLLBACK")
        raise
    if own_tx:
        conn.execute("COMMIT")
    return applied


def _statements(sql: str) -> list[str]:
    """Split a script into statements; the ``;`` inside a trigger body does not end its CREATE TRIGGER."""
    out: list[str] = []
    buf = ""
    for piece in sql.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\n;"):
                out.append(buf.strip())
            buf = ""
    if buf.strip(" \t\n;"):
        out.append(buf.strip(" \t\n;"))
    return out
