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
    with TestClient(create_app(watched, review_token=TOKEN)) as client:  # (closing it removes the mirror)
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
    # a review through the API is written to PostgreSQL, and readers see it once the mirror follows
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
