"""The API's review endpoints: off without a token, 401 without the header, 403 with a wrong token or a
cookie, and a review seen at once by every reader (list, count, map, aggregates, detail, meta)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from test_web_api import build_web_db  # noqa: E402
from wirewatch.web.app import create_app  # noqa: E402

TOKEN = "s3cret-review-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
REJECT = {"action": "reject", "reviewer": "ana", "reason": "not a bombing"}


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "web.db"
    build_web_db(path, fillers=6)
    return path


def _client(db: Path, **kw) -> TestClient:
    return TestClient(create_app(str(db), **kw))


def _ids(client: TestClient, query: str = "") -> list[str]:
    return [e["id"] for e in client.get(f"/api/events?limit=500{query}").json()["events"]]


def test_review_without_the_header_is_401_and_with_a_wrong_token_403(db: Path) -> None:
    client = _client(db, review_token=TOKEN)
    r = client.post("/api/events/ev-sy/review", json=REJECT)
    assert r.status_code == 401 and r.json()["ok"] is False and r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/events/ev-sy/review", json=REJECT, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    r = client.post("/api/events/ev-sy/review", json=REJECT, headers={"Authorization": f"Basic {TOKEN}"})
    assert r.status_code == 403
    assert "ev-sy" in _ids(client)


def test_the_token_in_a_cookie_does_not_authorise(db: Path) -> None:
    client = _client(db, review_token=TOKEN)
    client.cookies.set("review_token", TOKEN)
    client.cookies.set("Authorization", f"Bearer {TOKEN}")
    r = client.post("/api/events/ev-sy/review", json=REJECT)
    assert r.status_code == 401
    assert "set-cookie" not in r.headers
    assert "ev-sy" in _ids(client)


def test_reviewing_is_off_without_a_server_token(db: Path) -> None:
    client = _client(db)
    assert client.get("/api/meta").json()["review"] is False
    assert client.post("/api/events/ev-sy/review", json=REJECT).status_code == 401
    assert client.post("/api/events/ev-sy/review", json=REJECT, headers=AUTH).status_code == 403
    assert "ev-sy" in _ids(client)


def test_a_rejected_event_leaves_every_reader(db: Path) -> None:
    client = _client(db, review_token=TOKEN)
    assert client.get("/api/meta").json()["review"] is True
    before = client.get("/api/events?country=SY&count=true").json()
    assert before["count"] == 1
    client.get("/api/map?country=SY")  # fill the caches first: a review must drop them
    r = client.post("/api/events/ev-sy/review", json=REJECT, headers=AUTH)
    assert r.status_code == 200 and r.json()["ok"] is True, r.text
    assert "ev-sy" not in _ids(client)
    assert client.get("/api/events?country=SY&count=true").json()["count"] == 0
    assert client.get("/api/map?country=SY").json()["points"] == []
    assert client.get("/api/events/ev-sy").status_code == 404
    agg = client.get("/api/aggregates?by=country").json()["buckets"]
    assert "SY" not in {b["key"] for b in agg}
    client.post("/api/events/ev-sy/review", json={"action": "accept", "reviewer": "ana"}, headers=AUTH)
    hist = client.get("/api/events/ev-sy").json()["event"]["history"]  # newest first
    assert [h["changes"][-1]["new"]["action"] for h in hist[:2]] == ["accept", "reject"]
    assert hist[1]["changes"][-1]["new"]["why"] == "not a bombing"


def test_an_edit_through_the_api_is_what_the_api_serves(db: Path) -> None:
    client = _client(db, review_token=TOKEN)
    body = {"action": "edit", "reviewer": "ana", "fields": {"fatalities": 12, "actor1": "Islamic State"}}
    r = client.post("/api/events/ev-sy/review", json=body, headers=AUTH)
    assert r.status_code == 200, r.text
    ev = client.get("/api/events/ev-sy").json()["event"]
    assert (ev["fatalities"], ev["actor1"]) == (12, "Islamic State")
    assert "ev-sy" in _ids(client, "&min_fatalities=12")


@pytest.mark.parametrize(("body", "status"), [
    ({"action": "edit", "reviewer": "ana", "fields": {"event_type": "Picnic"}}, 422),
    ({"action": "explode", "reviewer": "ana"}, 422),
    ({"action": "reject"}, 422),
])
def test_bad_reviews_are_422(db: Path, body: dict, status: int) -> None:
    client = _client(db, review_token=TOKEN)
    r = client.post("/api/events/ev-sy/review", json=body, headers=AUTH)
    assert r.status_code == status and r.json()["ok"] is False


def test_reviewing_an_unknown_event_is_404(db: Path) -> None:
    client = _client(db, review_token=TOKEN)
    assert client.post("/api/events/ev-none/review", json=REJECT, headers=AUTH).status_code == 404
