"""``watch``, ``serve`` and ``review`` on PostgreSQL (``--db postgresql://...``), end to end.

Skip unless ``WIREWATCH_TEST_PG`` names a server (``eval "$(bash scripts/start-postgres.sh)"``); CI starts one.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_store_contract import pg_url  # noqa: F401  (the fixture: a fresh database per test)
from test_watch import FEED_V1, FEED_V2
from wirewatch.cli import main
from wirewatch.store import open_store

TOKEN = "pg-review-token"


def _watch(feed: Path, db: str) -> None:
    r = CliRunner().invoke(main, ["watch", str(feed), "--iterations", "1", "--every", "1s", "--db", db])
    assert r.exit_code == 0, r.output + str(r.exception)


@pytest.fixture
def watched(tmp_path: Path, pg_url: str) -> str:  # noqa: F811
    """A PostgreSQL database that ``wirewatch watch`` filled from a local feed file."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(FEED_V1)
    _watch(feed, pg_url)
    return pg_url


def test_watch_on_postgres_ingests_new_items_once_and_keeps_feed_state(tmp_path: Path, watched: str) -> None:
    feed = tmp_path / "feed.xml"
    with open_store(watched, readonly=True) as store:
        assert sorted(a.external_id for a in store.articles()) == ["sw-a", "sw-b"]
        assert store.event_count() >= 1
        etag, modified, failures, last_error, _ = store.feed_row(str(feed))
        assert (failures, last_error) == (0, None)
    feed.write_bytes(FEED_V2)  # one new item; "a" again under a new guid (known by its link)
    _watch(feed, watched)
    _watch(feed, watched)  # a restart ingests nothing twice
    with open_store(watched, readonly=True) as store:
        assert sorted(a.external_id for a in store.articles()) == ["sw-a", "sw-b", "sw-c"]
        assert store.feed_item_seen(str(feed), ["link:https://sahelwire.example/c"])
        assert not store.events_stale()


def _until(check, *, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_serve_on_postgres_answers_from_the_store_and_sees_reviews(watched: str) -> None:
    from fastapi.testclient import TestClient

    from wirewatch.web.app import create_app

    with open_store(watched, readonly=True) as store:
        events = {e.id: e for e in store.events()}
        articles = [a.id for a in store.articles()]
    with TestClient(create_app(watched, review_token=TOKEN)) as client:  # (closing it closes its connections)
        _serve_checks(client, watched, events, articles)


def _serve_checks(client, watched: str, events: dict, articles: list[str]) -> None:
    listed = client.get("/api/events?limit=500&count=true").json()
    assert listed["ok"] and sorted(e["id"] for e in listed["events"]) == sorted(events)
    assert listed["count"] == len(events)
    eid = sorted(events)[0]
    one = client.get(f"/api/events/{eid}").json()["event"]
    assert one["id"] == eid and one["fatalities"] == events[eid].fatalities
    assert [a["id"] for a in client.get("/api/articles?limit=50").json()["articles"]] == articles
    assert client.get(f"/api/articles/{articles[0]}").json()["article"]["id"] == articles[0]
    assert client.get("/api/meta").json()["ok"]
    # a review through the API is written to PostgreSQL, and the next read sees it
    r = client.post(f"/api/events/{eid}/review", json={"action": "reject", "reviewer": "ana", "reason": "dup"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    with open_store(watched, readonly=True) as store:
        assert [x.action for x in store.review_actions()] == ["reject"] and not store.has_event(eid)
    gone = _until(lambda: eid not in [e["id"] for e in client.get("/api/events?limit=500").json()["events"]])
    assert gone, "the rejected event is still listed"
    assert client.get(f"/api/events/{eid}").status_code == 404


def test_review_command_on_postgres(watched: str) -> None:
    with open_store(watched, readonly=True) as store:
        eid = sorted(e.id for e in store.events())[0]
    r = CliRunner().invoke(main, ["review", "edit", eid, "--set", "fatalities=7", "--by", "ana", "--why", "count",
                                  "--db", watched])
    assert r.exit_code == 0, r.output + str(r.exception)
    with open_store(watched, readonly=True) as store:
        assert store.events_by_id([eid])[eid].fatalities == 7
        assert store.reviewed_ids() == {eid}
        assert store.history(eid)[-1]["changes"][-1]["field"] == "review"


# -- the same answers on both back-ends ---------------------------------------------------------------------

EVENT_QUERIES = [
    {}, {"country": "Syria"}, {"country": "NG", "event_type": "protests"}, {"event_type": "Battles"},
    {"sub_event_type": "Armed clash"}, {"admin1": "Borno"}, {"min_fatalities": 3}, {"actor": "islamic state"},
    {"actor": " Al Shabaab ", "min_fatalities": 2}, {"date_from": "2023-01-05", "date_to": "2023-03-04"},
    {"date_to": "2023-03-05"}, {"date_from": "2017-03-04"}, {"bbox": "30,-5,50,40"}, {"bbox": "170,-30,-170,0"},
    {"q": "market"}, {"q": "Mosul fighters"}, {"q": "patrol", "country": "KE"},
]


def _answers(client, *, q_words: bool = True) -> dict:
    """Every API read the dashboard makes, keyed by what was asked, with history times (write times) blanked."""
    out: dict = {}
    for params in EVENT_QUERIES:
        pages, cursor = [], None
        while True:
            body = client.get("/api/events", params={**params, "limit": 7, "count": "true",
                                                      **({"cursor": cursor} if cursor else {})}).json()
            pages.append(body)
            cursor = body.get("next_cursor")
            if not cursor:
                break
        out[("events", str(params))] = pages
        for by in ("day", "country", "type", "sub_event_type", "admin1"):
            out[("aggregates", by, str(params))] = client.get("/api/aggregates", params={**params, "by": by}).json()
        out[("map", str(params))] = client.get("/api/map", params=params).json()
        for fmt in ("acled", "geojson"):
            out[("export", fmt, str(params))] = client.get("/api/export", params={**params, "format": fmt}).text
    clusters = client.get("/api/map", params={"max_points": 5}).json()
    assert clusters["mode"] == "clusters"
    for c in clusters["clusters"]:  # (averages summed in another order may differ in the last digit)
        c["latitude"], c["longitude"] = round(c["latitude"], 9), round(c["longitude"], 9)
    out["clusters"] = clusters
    out["meta"] = client.get("/api/meta").json()
    ids = [e["id"] for page in out[("events", "{}")] for e in page["events"]]
    for eid in [*ids, "no-such-event"]:
        body = client.get(f"/api/events/{eid}").json()
        for row in body.get("event", {}).get("history", []):
            row["at"] = "(write time)"
        out[("event", eid)] = body
    pages, cursor = [], None
    while True:
        body = client.get("/api/articles", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        pages.append(body)
        cursor = body.get("next_cursor")
        if not cursor:
            break
    out["articles"] = pages
    for aid in [a["id"] for page in pages for a in page["articles"]] + ["no-such-article"]:
        out[("article", aid)] = client.get(f"/api/articles/{aid}").json()
    return out


@pytest.mark.parametrize("data", ["handmade", "sample wire"])
def test_serve_answers_the_same_on_postgres_as_on_sqlite(tmp_path: Path, pg_url: str, data: str,  # noqa: F811
                                                         sample_wire: Path) -> None:
    """The same events in a SQLite file and a PostgreSQL database: every endpoint answers the same JSON
    (events paged in the same order, counts, aggregates, map points and clusters, meta, single events and
    articles, downloads), read on PostgreSQL through the store's tables (no SQLite copy)."""
    from fastapi.testclient import TestClient

    from test_web_api import fill_web_store
    from wirewatch.web.app import create_app

    lite = str(tmp_path / "same.db")
    for db in (lite, pg_url):
        if data == "handmade":
            with open_store(db) as store:
                fill_web_store(store, fillers=40)
        else:
            r = CliRunner().invoke(main, ["ingest", "--db", db, str(sample_wire)])
            assert r.exit_code == 0, r.output
    with TestClient(create_app(lite)) as a, TestClient(create_app(pg_url)) as b:
        on_sqlite, on_postgres = _answers(a), _answers(b)
    assert on_sqlite[("events", "{}")][0]["count"] > 10
    assert list(on_postgres) == list(on_sqlite)
    for key, value in on_sqlite.items():
        assert on_postgres[key] == value, key
