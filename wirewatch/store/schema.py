"""The tables both back-ends share, written once and rendered per SQL dialect.

Each back-end keeps its own named migration list (:mod:`.migrations`, :mod:`.pg_migrations`) built from
these scripts.  Placeholders: ``{serial}`` (an auto-numbered integer key), ``{int}``, ``{real}``, ``{blob}``,
``{without_rowid}`` (SQLite's table option) and ``{collate_c}`` (bytewise text order, SQLite's default).
:func:`render` reproduces the shipped migrations' text exactly (SQLite keeps each CREATE statement
verbatim); ``tests/test_store_migrations.py`` checks both schemas against a snapshot.
"""

from __future__ import annotations

import textwrap

DIALECTS: dict[str, dict[str, str]] = {
    "sqlite": {"serial": "INTEGER PRIMARY KEY AUTOINCREMENT", "int": "INTEGER", "real": "REAL", "blob": "BLOB",
               "without_rowid": " WITHOUT ROWID", "collate_c": ""},
    "postgres": {"serial": "BIGSERIAL PRIMARY KEY", "int": "BIGINT", "real": "DOUBLE PRECISION", "blob": "BYTEA",
                 "without_rowid": "", "collate_c": ' COLLATE "C"'},
}


def render(script: str, dialect: str) -> str:
    """``script`` with the types of ``dialect`` ("sqlite" or "postgres"), indented as the migrations wrote it."""
    return "\n" + textwrap.indent(script.format(**DIALECTS[dialect]), " " * 8)


# Migration 0001_initial of both back-ends: runs, articles, mentions, events and what an event is made of.
INITIAL = """\
CREATE TABLE ingest_runs (
    id {serial},
    started_at TEXT NOT NULL,
    finished_at TEXT,
    command TEXT,
    inputs_ok {int} NOT NULL DEFAULT 0,
    inputs_failed {int} NOT NULL DEFAULT 0,
    articles_new {int} NOT NULL DEFAULT 0,
    articles_seen {int} NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running'
);
CREATE TABLE articles (
    seq {serial},
    id TEXT NOT NULL UNIQUE,
    external_id TEXT,
    headline TEXT,
    agency TEXT,
    published TEXT,
    origin TEXT,
    duplicate_of TEXT,
    story_id TEXT,
    minhash {blob},
    record TEXT NOT NULL,
    run_id {int} REFERENCES ingest_runs(id)
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
    fatalities {int},
    latitude {real},
    longitude {real},
    record TEXT NOT NULL,
    updated_run {int}
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
    idx {int} NOT NULL,
    quantity TEXT NOT NULL,
    low {int},
    high {int},
    qualifier TEXT,
    text TEXT,
    source TEXT,
    article_id TEXT,
    start {int},
    "end" {int},
    PRIMARY KEY (event_id, idx)
);
CREATE TABLE event_sources (
    event_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (event_id, article_id)
);
CREATE TABLE evidence (
    event_id TEXT NOT NULL,
    idx {int} NOT NULL,
    article_id TEXT NOT NULL,
    start {int} NOT NULL,
    "end" {int} NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (event_id, idx)
);
CREATE TABLE event_history (
    id {serial},
    event_id TEXT NOT NULL,
    run_id {int},
    at TEXT NOT NULL,
    article_ids TEXT,
    changes TEXT NOT NULL
);
CREATE INDEX event_history_event ON event_history(event_id);
"""

# `wirewatch watch` (wirewatch.ingest.watch): per-feed polling state (conditional-GET validators, errors and
# back-off) and the keys (guid, link, content hash) of every feed item already ingested.
FEEDS = """\
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    modified TEXT,
    last_polled TEXT,
    last_ok TEXT,
    last_error TEXT,
    failures {int} NOT NULL DEFAULT 0,
    next_poll {real},
    items_new {int} NOT NULL DEFAULT 0
);
CREATE TABLE feed_items (
    feed_url TEXT NOT NULL,
    item_key TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_url, item_key)
){without_rowid};
"""

# Incremental event refresh (wirewatch.merge.refresh): each mention's merge lane (the merge's blocking key:
# country and type group), its days as ordinals (span, else report date; NULL when undated) and its article's
# report date, so that a refresh finds by index range queries the mentions that come after a new one in the
# merge's order and those it can be compared with.  Filled by the refresh itself (old databases are
# backfilled by their first refresh).
MERGE_LANES = """\
CREATE TABLE merge_lanes (
    mention_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    lane TEXT NOT NULL,
    lo {int},
    hi {int},
    days {int},
    report {int}
);
CREATE INDEX merge_lanes_lane ON merge_lanes(lane, lo);
CREATE INDEX merge_lanes_order ON merge_lanes(lane, report, article_id{collate_c});
CREATE INDEX merge_lanes_days ON merge_lanes(lane, days);
CREATE INDEX merge_lanes_article ON merge_lanes(article_id);
"""

# Analysts' review (wirewatch.review): every action with who, when and why, never rewritten, and the
# machine's latest record of each event an action concerns; the events tables show the two combined.
REVIEWS = """\
CREATE TABLE review_actions (
    id {serial},
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
"""
