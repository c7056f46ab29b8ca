"""Named schema migrations, applied once each, in order, recorded in a table.

A migration is never edited after it has shipped: a schema change is a new
entry at the end of ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3


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
    (
        # Web API support (wirewatch.web): keyset-paging indexes, an actor index and an FTS5 index over
        # each event's notes and evidence sentences.  Triggers keep both in step with ``events`` whatever
        # writes it (SQLiteStore.replace_events deletes and re-inserts every row).
        "0002_web_search",
        """
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
            INSERT INTO events_fts(rowid, notes, evidence) VALUES (
                NEW.rowid, json_extract(NEW.record, '$.notes'),
                (SELECT group_concat(json_extract(e.value, '$.text'), char(10))
                 FROM json_each(NEW.record, '$.evidence') AS e));
            INSERT OR IGNORE INTO event_actors(actor, event_rowid)
                SELECT json_extract(NEW.record, '$.' || k.value), NEW.rowid
                FROM json_each('["actor1","actor2","assoc_actor_1","assoc_actor_2"]') AS k
                WHERE json_extract(NEW.record, '$.' || k.value) IS NOT NULL;
        END;
        CREATE TRIGGER events_web_delete AFTER DELETE ON events BEGIN
            DELETE FROM events_fts WHERE rowid = OLD.rowid;
            DELETE FROM event_actors WHERE event_rowid = OLD.rowid;
        END;
        CREATE TRIGGER events_web_update AFTER UPDATE ON events BEGIN
            DELETE FROM events_fts WHERE rowid = OLD.rowid;
            DELETE FROM event_actors WHERE event_rowid = OLD.rowid;
            INSERT INTO events_fts(rowid, notes, evidence) VALUES (
                NEW.rowid, json_extract(NEW.record, '$.notes'),
                (SELECT group_concat(json_extract(e.value, '$.text'), char(10))
                 FROM json_each(NEW.record, '$.evidence') AS e));
            INSERT OR IGNORE INTO event_actors(actor, event_rowid)
                SELECT json_extract(NEW.record, '$.' || k.value), NEW.rowid
                FROM json_each('["actor1","actor2","assoc_actor_1","assoc_actor_2"]') AS k
                WHERE json_extract(NEW.record, '$.' || k.value) IS NOT NULL;
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
    (
        # `wirewatch watch` (wirewatch.ingest.watch): per-feed polling state (conditional-GET validators, errors and
        # back-off) and the keys (guid, link, content hash) of every feed item already ingested.
        "0003_feeds",
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            etag TEXT,
            modified TEXT,
            last_polled TEXT,
            last_ok TEXT,
            last_error TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            next_poll REAL,
            items_new INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE feed_items (
            feed_url TEXT NOT NULL,
            item_key TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_url, item_key)
        ) WITHOUT ROWID;
        """,
    ),
    (
        # Web API list views (wirewatch.web): the few JSON fields a table row or map point shows, extracted
        # once when an event is written instead of on every request.  Kept in step by triggers.
        "0003_web_summary",
        """
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
            INSERT OR REPLACE INTO event_summary VALUES (NEW.rowid,
                json_extract(NEW.record, '$.location.location'), json_extract(NEW.record, '$.location.country'),
                json_extract(NEW.record, '$.location.geo_precision'), json_extract(NEW.record, '$.actor1'),
                json_extract(NEW.record, '$.actor2'), json_extract(NEW.record, '$.notes'),
                json_array_length(NEW.record, '$.sources'));
        END;
        CREATE TRIGGER events_summary_delete AFTER DELETE ON events BEGIN
            DELETE FROM event_summary WHERE event_rowid = OLD.rowid;
        END;
        CREATE TRIGGER events_summary_update AFTER UPDATE ON events BEGIN
            DELETE FROM event_summary WHERE event_rowid = OLD.rowid;
            INSERT OR REPLACE INTO event_summary VALUES (NEW.rowid,
                json_extract(NEW.record, '$.location.location'), json_extract(NEW.record, '$.location.country'),
                json_extract(NEW.record, '$.location.geo_precision'), json_extract(NEW.record, '$.actor1'),
                json_extract(NEW.record, '$.actor2'), json_extract(NEW.record, '$.notes'),
                json_array_length(NEW.record, '$.sources'));
        END;
        INSERT INTO event_summary
            SELECT rowid, json_extract(record, '$.location.location'), json_extract(record, '$.location.country'),
                json_extract(record, '$.location.geo_precision'), json_extract(record, '$.actor1'),
                json_extract(record, '$.actor2'), json_extract(record, '$.notes'),
                json_array_length(record, '$.sources')
            FROM events;
        """,
    ),
    (
        # Web API list views (wirewatch.web): each event's list item as compact JSON, written once with the
        # event so that a page of results is a join of stored strings (no per-request encoding); the
        # 0003_web_summary triggers are replaced by ones that also fill ``item``.  Paging indexes for the
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
    (
        # Incremental event refresh (wirewatch.merge.refresh): each mention's merge lane (the merge's blocking key:
        # country and type group), its days as ordinals (span, else report date; NULL when undated) and its
        # article's report date, so that a refresh finds by index range queries the mentions that come after
        # a new one in the merge's order and those it can be compared with.
        # Filled by the refresh itself (old databases are backfilled by their first refresh).
        "0005_merge_lanes",
        """
        CREATE TABLE merge_lanes (
            mention_id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            lane TEXT NOT NULL,
            lo INTEGER,
            hi INTEGER,
            days INTEGER,
            report INTEGER
        );
        CREATE INDEX merge_lanes_lane ON merge_lanes(lane, lo);
        CREATE INDEX merge_lanes_order ON merge_lanes(lane, report, article_id);
        CREATE INDEX merge_lanes_days ON merge_lanes(lane, days);
        CREATE INDEX merge_lanes_article ON merge_lanes(article_id);
        """,
    ),
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
    (
        # Analysts' review (wirewatch.review): every action with who, when and why, never rewritten, and the
        # machine's latest record of each event an action concerns; the events tables show the two combined.
        "0007_reviews",
        """
        CREATE TABLE review_actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
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
]


def apply(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now.

    The check and the migrations run under one write lock (``BEGIN IMMEDIATE``), so
    two processes opening a new database at once cannot both create its tables.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    if all(name in done for name, _ in MIGRATIONS):
        return []
    applied = []
    own_tx = not conn.in_transaction
    if own_tx:
        conn.execute("BEGIN IMMEDIATE")
    try:
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
