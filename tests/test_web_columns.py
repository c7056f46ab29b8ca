"""Pages and counts from the in-memory column snapshot (wirewatch.web.columns) equal SQLite's for every filter
combination and cursor, follow writes (a stale snapshot is never used) and step aside for databases too large
to copy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from wirewatch.models import Event, Location, SourceRef
from wirewatch.store.sqlite import SQLiteStore
from wirewatch.web import columns as web_columns
from wirewatch.web.columns import ColumnStore
from wirewatch.filters import EventFilter, parse_bbox
from wirewatch.web.queries import Queries

ACTORS = ("Al Shabaab", "Islamic State", "Ünited Front", "Civilians", None)
WORDS = ("patrol", "convoy", "market", "ambush", "Café", "bridge")
COUNTRIES = ("SY", "IQ", "FJ", "SO")
TYPES = (("Battles", "Armed clash"), ("Riots", "Mob violence"), ("Protests", "Peaceful protest"))


def _events(n: int, *, seed: int = 5, prefix: str = "ev") -> list[Event]:
    """Invented events with gaps everywhere a filter can meet one: no date, no place, no admin1, no actor,
    points on the antimeridian and the poles, ties on a day."""
    rng = random.Random(seed)
    src = SourceRef("art-1", None, "Invented report", "Bench", dt.date(2023, 1, 1), None)
    out = []
    for i in range(n):
        lat, lon = rng.choice(((rng.uniform(-90, 90), rng.uniform(-180, 180)), (rng.gauss(34, 3), rng.gauss(40, 3)),
                               (0.5, 180.0), (-0.5, -180.0), (90.0, 12.0)))
        loc = None if i % 13 == 4 else Location(
            "Somewhere", "Testland", rng.choice(COUNTRIES), rng.choice(("North", "South", None)), None,
            round(max(-90.0, min(90.0, lat)), 4), round(max(-180.0, min(180.0, lon)), 4), None, 1)
        day = None if i % 11 == 3 else dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(40))
        etype, sub = rng.choice(TYPES)
        words = " ".join(rng.sample(WORDS, 2))
        out.append(Event(id=f"{prefix}{i:04d}", event_type=etype, sub_event_type=sub, event_date=day, date_start=day,
                         date_end=day, time_precision=1 if day else None, location=loc,
                         actor1=rng.choice(ACTORS), actor2=rng.choice(ACTORS), fatalities=rng.choice((0, 0, 1, 3, 40)),
                         sources=[src], notes=f"Invented {words} report."))
    return out


@pytest.fixture(scope="module")
def col_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("columns") / "columns.db"
    with SQLiteStore.open(path) as store:
        store.replace_events(_events(300), run_id=None, history=[])
    return path


def _counts(path: Path, **kw) -> ColumnStore:
    version = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return ColumnStore(lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True),
                        version=lambda: version.execute("PRAGMA data_version").fetchone()[0], **kw)


@pytest.fixture(scope="module")
def both(col_db) -> tuple[Queries, Queries]:
    conn = sqlite3.connect(f"file:{col_db}?mode=ro", uri=True, check_same_thread=False)
    counts = _counts(col_db)
    counts.refresh()
    assert counts.snapshot.items is not None, "a small database's items are kept"
    return Queries(conn, columns=counts), Queries(conn)


@pytest.fixture(scope="module")
def without_items(col_db) -> Queries:
    """Column pages whose items are read by rowid (a snapshot that keeps none)."""
    counts = _counts(col_db)
    counts.refresh()
    counts.snapshot = dataclasses.replace(counts.snapshot, items=None)
    return Queries(sqlite3.connect(f"file:{col_db}?mode=ro", uri=True, check_same_thread=False), columns=counts)


dates = st.dates(dt.date(2022, 12, 25), dt.date(2023, 2, 15))
filters = st.fixed_dictionaries({}, optional={
    "date_from": dates, "date_to": dates, "country": st.sampled_from((*COUNTRIES, "sy", "ZZ")),
    "admin1": st.sampled_from(("North", "South", "north")), "event_type": st.sampled_from([t for t, _ in TYPES]),
    "sub_event_type": st.sampled_from([s for _, s in TYPES]), "min_fatalities": st.sampled_from((0, 1, 3, 41)),
    "actor": st.sampled_from(("Al Shabaab", "al shabaab", " Islamic State ", "ünited front", "Ünited Front",
                              "Nobody")),
    "q": st.sampled_from(("patrol", "CONVOY market", "cafe", "nothing", "!!", "ambush bridge")),
    "bbox": st.sampled_from(("30,25,50,45", "179,-1,-179,1", "-180,-90,180,90", "0,89,20,90", "10,10,10.5,10.5")),
})


def _walk(q: Queries, flt: EventFilter, limit: int) -> list[tuple[list[str], str | None]]:
    pages, cursor = [], None
    while True:
        page = q.events_json(flt, limit=limit, cursor=cursor)
        pages.append((page.items, page.next_cursor))
        cursor = page.next_cursor
        if cursor is None:
            return pages


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=filters, limit=st.sampled_from((1, 7, 50, 500)), window=st.sampled_from((1, 5, 2048)))
def test_column_pages_and_counts_equal_sql(both, without_items, values, limit, window, monkeypatch):
    columns, sql = both
    monkeypatch.setattr(web_columns, "WINDOW", window)  # small windows: a page spans several
    flt = EventFilter(**{k: parse_bbox(v) if k == "bbox" else v for k, v in values.items()})
    expected = sql.count(flt)
    assert columns.columns.count(flt, rowids=columns._rowids) == expected, values
    assert columns.count(flt) == expected == len(sql.events_json(flt, limit=500).items), values
    pages = _walk(columns, flt, limit)
    assert pages == _walk(sql, flt, limit) == _walk(without_items, flt, limit), values  # items and cursors
    assert sum(len(items) for items, _ in pages) == expected


def test_cursors_from_either_plan_continue_in_the_other(both):
    columns, sql = both
    flt = EventFilter(min_fatalities=1)
    a, b = columns.events_json(flt, limit=9), sql.events_json(flt, limit=9)
    assert a == b and a.next_cursor
    assert (columns.events_json(flt, limit=9, cursor=b.next_cursor)
            == sql.events_json(flt, limit=9, cursor=a.next_cursor))
    # a cursor of an event no longer there still orders: the page starts after its key
    from wirewatch.web.queries import encode_cursor
    for key in [("2023-01-15", "zz"), ("2023-01-15", ""), ("", "ev0100"), ("9999", "x"), ("2023-01-15", "ev0150")]:
        cursor = encode_cursor(*key)
        assert columns.events_json(flt, limit=5, cursor=cursor) == sql.events_json(flt, limit=5, cursor=cursor), key


def test_pages_and_counts_are_answered_from_the_snapshot(both, monkeypatch):
    columns, sql = both
    assert columns.columns.current() is not None
    flt = EventFilter(country="SY", q="patrol", min_fatalities=1)
    expected, n = sql.events_json(flt, limit=20), sql.count(flt)

    def no_sql(*args, **kwargs):
        raise AssertionError("the SQL page or count plan ran")

    monkeypatch.setattr(Queries, "_item_rows", no_sql)
    monkeypatch.setattr(Queries, "_plan", no_sql)
    assert columns.events_json(flt, limit=20) == expected
    assert columns.count(flt) == n > 0
    assert ("q", '"patrol"') in columns.columns.snapshot.masks, "the text mask is kept for the next query"


def _wait_current(counts: ColumnStore) -> None:
    deadline = time.monotonic() + 20
    while counts.current() is None:
        assert time.monotonic() < deadline, "the snapshot was not rebuilt"
        time.sleep(0.02)


def test_a_write_retires_the_snapshot_and_a_new_one_follows(tmp_path):
    path = tmp_path / "w.db"
    with SQLiteStore.open(path) as store:
        store.replace_events(_events(50), run_id=None, history=[])
    counts = _counts(path)
    counts.refresh()
    q = Queries(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False), columns=counts)
    flt = EventFilter(q="patrol")
    assert q.count(flt) == Queries(q.conn).count(flt) > 0
    with SQLiteStore.open(path) as store:
        store.replace_events(_events(80, seed=9, prefix="nw"), run_id=None, history=[])
    sql = Queries(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    assert q.count(flt) == sql.count(flt), "right at once (SQL while the snapshot is rebuilt)"
    _wait_current(counts)
    assert counts.snapshot.rowids.size == 80
    assert q.count(flt) == sql.count(flt) and q.count(EventFilter()) == 80


def test_values_sqlite_would_compare_differently_keep_the_sql_plans(tmp_path):
    path = tmp_path / "odd.db"
    with SQLiteStore.open(path) as store:
        store.replace_events(_events(30), run_id=None, history=[])
        store.conn.execute("UPDATE events SET fatalities = 'many' WHERE id = 'ev0002'")  # text among numbers
        store.conn.commit()
    counts = _counts(path)
    counts.refresh()
    assert counts.snapshot is None and counts.current() is None and counts.building is None
    q = Queries(sqlite3.connect(f"file:{path}?mode=ro", uri=True), columns=counts)
    flt = EventFilter(min_fatalities=3)  # (SQLite: text is greater than any number)
    assert q.events_json(flt, limit=50) == Queries(q.conn).events_json(flt, limit=50)
    assert "ev0002" in [json.loads(i)["id"] for i in q.events_json(flt, limit=50).items]


def test_a_database_too_large_to_copy_keeps_sql_counts(col_db):
    counts = _counts(col_db, max_events=10)
    counts.refresh()
    assert counts.snapshot is None and counts.current() is None
    assert counts.building is None, "no rebuild is tried again for the same data version"
    q = Queries(sqlite3.connect(f"file:{col_db}?mode=ro", uri=True), columns=counts)
    assert q.count(EventFilter(country="SY")) == Queries(q.conn).count(EventFilter(country="SY"))


def test_the_app_answers_alike_with_and_without_the_snapshot(col_db):
    from fastapi.testclient import TestClient

    from wirewatch.web.app import create_app

    apps = [TestClient(create_app(str(col_db), columns=c, page_cache_size=0)) for c in (True, False)]
    for params in [{}, {"country": "SY", "count": "true"}, {"q": "patrol market", "limit": 3, "count": "true"},
                   {"actor": "al shabaab", "date_from": "2023-01-10", "limit": 4},
                   {"bbox": "179,-1,-179,1", "count": "true"}, {"min_fatalities": 3, "event_type": "Riots"}]:
        while True:
            bodies = [app.get("/api/events", params=params).content for app in apps]
            assert bodies[0] == bodies[1], params
            cursor = json.loads(bodies[0])["next_cursor"]
            if cursor is None:
                break
            params = {**{k: v for k, v in params.items() if k != "count"}, "cursor": cursor}


def test_an_event_without_its_list_item_is_served_as_the_sql_plans_serve_it(tmp_path):
    path = tmp_path / "gap.db"
    with SQLiteStore.open(path) as store:
        store.replace_events(_events(40), run_id=None, history=[])
        store.conn.execute("DELETE FROM event_summary"
                           " WHERE event_rowid = (SELECT rowid FROM events WHERE id = 'ev0007')")
        store.conn.commit()
    counts = _counts(path)
    counts.refresh()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for snapshot in (counts.snapshot, dataclasses.replace(counts.snapshot, items=None)):
        counts.snapshot = snapshot
        q, sql = Queries(conn, columns=counts), Queries(conn)
        for flt in (EventFilter(), EventFilter(q="patrol")):
            assert _walk(q, flt, 6) == _walk(sql, flt, 6)
        assert "ev0007" in [json.loads(i)["id"] for i in q.events_json(EventFilter(), limit=100).items]
