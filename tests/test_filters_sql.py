"""One filter, rendered once: the SQL of :func:`wirewatch.filters.where_sql` selects, from the store's events
table, exactly the events :meth:`EventFilter.matches` selects in Python, on SQLite and on PostgreSQL (when
``WIREWATCH_TEST_PG`` names a server), for every field, combinations, a box across the antimeridian and
undated events.  The web API's SQLite specialisation (actor table, index hints) selects the same too."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirewatch.filters import EventFilter, parse_filter, where_sql
from wirewatch.models import Article, Event, Evidence, Location, SourceRef
from wirewatch.store.sqlite import SQLiteStore
from wirewatch.web.filter_sql import where as web_where

D = dt.date
ARTICLE = Article(id="art-1", text="Roundup\n\nNews of the week.", body="News of the week.", body_start=9,
                  headline="Roundup", agency="Reuters", published=D(2023, 3, 9), published_basis="metadata",
                  url=None, origin="test")

PLACES = [  # (country, code, admin1, latitude, longitude)
    ("Syria", "SY", "Aleppo", 36.59, 37.05),
    ("Iraq", "IQ", "Nineveh", 36.34, 43.13),
    ("Fiji", "FJ", "Central", -18.14, 178.44),
    ("Fiji", "FJ", "Northern", -16.5, -179.9),  # east of the antimeridian
    ("Nigeria", "NG", "Borno", 11.85, 13.16),
    ("Nigeria", "NG", "Lagos", 6.45, 3.39),
    ("Samoa", "WS", "Upolu", -13.83, -171.76),
    None,  # unlocated
]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
         ("Protests", "Peaceful protest"), ("Riots", "Mob violence"), ("Strategic developments", "Other")]
ACTORS = [None, "Islamic State", "islamic state", "Civilians", "Military Forces of Iraq", "Protesters"]
NOTES = ["A car bomb killed nine people at a market.", "Troops clashed with fighters west of the city.",
         "Traders marched against fuel prices.", None, "The group announced a new commander."]
EVIDENCE = ["Witnesses said the bombing wrecked shops.", "An officer said three soldiers died.", ""]


def _events() -> list[Event]:
    events = []
    for i in range(48):
        day = None if i % 7 == 3 else D(2023, 3, 1) + dt.timedelta(days=i % 9)
        place = PLACES[i % len(PLACES)]
        loc = Location(f"Town {i}", place[0], place[1], place[2], None, place[3], place[4], None, 1) if place else None
        etype, sub = TYPES[i % len(TYPES)]
        ev_text = EVIDENCE[i % len(EVIDENCE)]
        events.append(Event(
            id=f"ev-{i:02d}", event_type=etype, sub_event_type=sub, event_date=day,
            date_start=day and day - dt.timedelta(days=i % 3), date_end=day and day + dt.timedelta(days=i % 2),  # spans
            time_precision=1 if day else None, location=loc, fatalities=(i * 7) % 13,
            actor1=ACTORS[i % len(ACTORS)], actor2=ACTORS[(i // 2) % len(ACTORS)],
            assoc_actor_1=ACTORS[(i // 3) % len(ACTORS)] if i % 4 == 0 else None,
            notes=NOTES[i % len(NOTES)], sources=[SourceRef(ARTICLE.id, None, ARTICLE.headline, "Reuters",
                                                            ARTICLE.published, None)],
            evidence=[Evidence(ARTICLE.id, ev_text, 0, len(ev_text))] if ev_text else []))
    return events


EVENTS = _events()

FILTERS = [
    {},
    {"date_from": "2023-03-04"},
    {"date_to": "2023-03-04"},
    {"date_from": "2023-03-03", "date_to": "2023-03-05"},
    {"date_from": "2023-03-09", "date_to": "2023-03-09"},
    {"country": "fiji"},
    {"country": "NG", "admin1": "Borno"},
    {"admin1": "Central"},
    {"event_type": "battles"},
    {"event_type": "Explosions/Remote violence", "sub_event_type": "remote explosive/landmine/ied"},
    {"sub_event_type": "Other"},
    {"min_fatalities": 0},
    {"min_fatalities": 7},
    {"actor": "Islamic State"},
    {"actor": "ISLAMIC STATE", "min_fatalities": 3},
    {"actor": "Civilians", "country": "NG"},
    {"q": "bomb"},
    {"q": "BOMBING shops"},
    {"q": "kill market"},
    {"q": "said", "date_to": "2023-03-06"},
    {"q": "..."},  # no words: no constraint
    {"bbox": "30,0,50,40"},
    {"bbox": "170,-20,-170,-10"},  # across the antimeridian
    {"bbox": "178.44,-18.14,178.44,-18.14"},  # a point: the edges are inside
    {"bbox": "-180,-90,180,90", "date_from": "2023-03-02"},
    {"bbox": "170,-20,-170,-10", "event_type": "Riots", "min_fatalities": 1, "date_to": "2023-03-08"},
]


def _expected(flt: EventFilter) -> set[str]:
    return {ev.id for ev in EVENTS if flt.matches(ev)}


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("flt") / "f.db"
    with SQLiteStore.open(path) as store:
        store.add_article(ARTICLE, [], run_id=None)
        store.replace_events(EVENTS, run_id=None, history=[])
    return path


def _sqlite_ids(path: Path, clause: str, params: list) -> set[str]:
    with SQLiteStore.open(path, readonly=True) as store:
        return {r[0] for r in store.conn.execute(f"SELECT e.id FROM events AS e WHERE {clause}", params)}


def test_the_fixture_exercises_every_filter() -> None:
    """Each filter above selects some events and leaves some out (but the empty ones), so a wrong clause shows."""
    for kw in FILTERS:
        n = len(_expected(parse_filter(**kw)))
        if kw in ({}, {"min_fatalities": 0}, {"q": "..."}):
            assert n == len(EVENTS)
        else:
            assert 0 < n < len(EVENTS), kw
    assert any(ev.event_date is None for ev in EVENTS) and any(ev.location is None for ev in EVENTS)


@pytest.mark.parametrize("kw", FILTERS, ids=[str(f) for f in FILTERS])
def test_sqlite_sql_selects_what_matches_selects(sqlite_db: Path, kw: dict) -> None:
    flt = parse_filter(**kw)
    assert _sqlite_ids(sqlite_db, *where_sql(flt, "sqlite")) == _expected(flt)
    assert _sqlite_ids(sqlite_db, *flt.to_sql("sqlite")) == _expected(flt)


@pytest.mark.parametrize("walk", [frozenset(), frozenset({"actor", "bbox"})])
@pytest.mark.parametrize("kw", [f for f in FILTERS if "q" not in f], ids=[str(f) for f in FILTERS if "q" not in f])
def test_the_web_sqlite_specialisation_selects_the_same(sqlite_db: Path, kw: dict, walk: frozenset) -> None:
    """The API's clause (actor side table, index hints) over the same table; its words search is FTS5, which
    matches whole words only, so ``q`` is left out here (tests/test_export_filters.py checks it on real data)."""
    flt = parse_filter(**kw)
    assert _sqlite_ids(sqlite_db, *web_where(flt, walk=walk)) == _expected(flt)


_values = st.fixed_dictionaries({}, optional={
    "date_from": st.sampled_from(["2023-02-28", "2023-03-01", "2023-03-04", "2023-03-09", "2023-03-10"]),
    "country": st.sampled_from(["SY", "iq", "Fiji", "NG", "WS"]),
    "admin1": st.sampled_from(["Aleppo", "aleppo", "Central", "BORNO", "Upolu"]),
    "event_type": st.sampled_from([t for t, _ in TYPES]),
    "actor": st.sampled_from([a for a in ACTORS if a] + ["CIVILIANS"]),
    "min_fatalities": st.integers(0, 13),
    "q": st.sampled_from(["bomb", "said three", "fuel", "commander", "the", "shops market"]),
    "bbox": st.sampled_from(["30,0,50,40", "170,-20,-170,-10", "-180,-90,180,90", "0,-20,180,40",
                             "-175,-20,175,40", "179,-17,-179,-16"]),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kw=_values, span=st.integers(0, 9))
def test_any_combination_agrees_on_sqlite(sqlite_db: Path, kw: dict, span: int) -> None:
    if "date_from" in kw:
        kw["date_to"] = (D.fromisoformat(kw["date_from"]) + dt.timedelta(days=span)).isoformat()
    flt = parse_filter(**kw)
    assert _sqlite_ids(sqlite_db, *where_sql(flt, "sqlite")) == _expected(flt)


@pytest.mark.parametrize(("kw", "selected"), [
    ({"date_from": "2023-03-04"}, False),  # the span reaches the 4th; the event's date (the export's) does not
    ({"date_from": "2023-03-03", "date_to": "2023-03-03"}, True),
    ({"date_to": "2023-03-02"}, False),
    ({"admin1": "aleppo"}, True),  # any case: spelt as the gazetteer spells it before comparing
    ({"admin1": "ALEPPO"}, True),
    ({"admin1": "Idlib"}, False),
])
def test_dates_and_admin1_select_alike_in_python_and_sql(tmp_path: Path, kw: dict, selected: bool) -> None:
    ev = Event(id="ev-span", event_type="Battles", sub_event_type="Armed clash", event_date=D(2023, 3, 3),
               date_start=D(2023, 3, 1), date_end=D(2023, 3, 5), time_precision=2,
               location=Location("Azaz", "Syria", "SY", "Aleppo", None, 36.59, 37.05, None, 1))
    with SQLiteStore.open(tmp_path / "s.db") as store:
        store.replace_events([ev], run_id=None, history=[])
    flt = parse_filter(**kw)
    assert flt.matches(ev) is selected
    assert _sqlite_ids(tmp_path / "s.db", *where_sql(flt, "sqlite")) == ({"ev-span"} if selected else set())


def test_an_admin1_the_gazetteer_lacks_is_kept_as_typed() -> None:
    assert parse_filter(admin1="  aleppo ").admin1 == "Aleppo"
    assert parse_filter(admin1="Upper  Nowhere").admin1 == "Upper Nowhere"  # spaces folded, case kept
    assert parse_filter(admin1="my own region").admin1 == "my own region"


# -- PostgreSQL -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pg_db():
    base = os.environ.get("WIREWATCH_TEST_PG")
    if not base:
        pytest.skip("WIREWATCH_TEST_PG is not set (start a server with scripts/start-postgres.sh)")
    psycopg = pytest.importorskip("psycopg")
    from wirewatch.store.postgres import PostgresStore

    name = "ww_" + uuid.uuid4().hex[:12]
    parts = urlsplit(base)
    dsn = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with PostgresStore.open(dsn) as store:
            store.add_article(ARTICLE, [], run_id=None)
            store.replace_events(EVENTS, run_id=None, history=[])
            yield store
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("kw", FILTERS, ids=[str(f) for f in FILTERS])
def test_postgres_sql_selects_what_matches_selects(pg_db, kw: dict) -> None:
    flt = parse_filter(**kw)
    clause, params = where_sql(flt, "postgres")
    got = {r[0] for r in pg_db.conn.execute(f"SELECT e.id FROM events AS e WHERE {clause}", params)}
    assert got == _expected(flt)
