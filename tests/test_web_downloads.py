"""Downloads of the filtered events (/api/export) are the files `wirewatch export` writes for the same
filters; the API documentation is served offline at /docs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirewatch.cli import main

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from test_web_api import build_web_db  # noqa: E402
from wirewatch.web.app import create_app  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("downloads") / "d.db"
    build_web_db(path, fillers=12)
    return path


@pytest.mark.parametrize(("query", "args"), [
    ("country=Kenya&event_type=battles", ["--country", "KE", "--event-type", "Battles"]),
    ("min_fatalities=3", ["--min-fatalities", "3"]),
    ("", []),
])
def test_the_csv_download_is_the_cli_export(db: Path, query: str, args: list[str]) -> None:
    client = TestClient(create_app(str(db)))
    r = client.get(f"/api/export?format=acled&{query}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    cli = CliRunner().invoke(main, ["export", "--format", "acled", "--db", str(db), *args])
    assert cli.exit_code == 0
    assert r.text == cli.stdout
    assert len(r.text.splitlines()) > 1


def test_the_geojson_download_holds_the_filtered_events(db: Path) -> None:
    client = TestClient(create_app(str(db)))
    body = json.loads(client.get("/api/export?format=geojson&country=SY").text)
    assert body["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in body["features"]] == ["ev-sy"]


def test_a_bad_filter_on_a_download_is_422(db: Path) -> None:
    client = TestClient(create_app(str(db)))
    r = client.get("/api/export?format=acled&country=Atlantis")
    assert r.status_code == 422 and "unknown country" in r.json()["error"]
    assert client.get("/api/export?format=xlsx").status_code == 422


def test_docs_page_is_served_and_describes_every_endpoint(db: Path) -> None:
    client = TestClient(create_app(str(db)))
    page = client.get("/docs")
    assert page.status_code == 200 and "/static/docs.js" in page.text
    assert client.get("/static/docs.js").status_code == 200
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/events", "/api/export", "/api/events/{event_id}/review", "/api/map"} <= set(paths)
