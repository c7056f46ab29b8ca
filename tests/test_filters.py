"""One filter parser for the CLI and the API: country by code or name, event types in any case, and an
unknown value or an empty range is an error naming what is accepted (exit 2 / HTTP 422).  Downloads of
the filtered events (/api/export) are the files `wirewatch export` writes for the same filters; the API
documentation is served offline at /docs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirewatch.cli.main import main
from wirewatch.errors import QueryError
from wirewatch.filters import parse_filter

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from test_web_api import build_web_db  # noqa: E402
from wirewatch.web.app import create_app  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("filters") / "f.db"
    build_web_db(path, fillers=6)
    return path


def test_country_by_code_or_name_and_types_in_any_case() -> None:
    assert parse_filter(country="syria").country == "SY"
    assert parse_filter(country=" sy ").country == "SY"
    flt = parse_filter(event_type="explosions/remote VIOLENCE", sub_event_type="remote explosive/landmine/ied")
    assert (flt.event_type, flt.sub_event_type) == ("Explosions/Remote violence", "Remote explosive/landmine/IED")


@pytest.mark.parametrize(("kw", "says"), [
    ({"country": "XX"}, "alpha-2 code or an English country name"),
    ({"country": "Narnia"}, "unknown country"),
    ({"event_type": "fights"}, "accepted: Battles, Explosions/Remote violence"),
    ({"event_type": "Protests", "sub_event_type": "Armed clash"}, "accepted: Peaceful protest"),
    ({"date_from": "2024-03-02", "date_to": "2024-03-01"}, "empty date range"),
    ({"bbox": "1,2,3"}, "bbox"),
])
def test_unknown_values_and_empty_ranges_are_errors(kw: dict, says: str) -> None:
    with pytest.raises(QueryError, match=says.replace("/", ".").replace("(", ".")):
        parse_filter(**kw)


def _export(db: Path, *args: str):
    return CliRunner().invoke(main, ["export", "--db", str(db), *args])


def test_export_takes_names_and_any_case(db: Path) -> None:
    by_name = _export(db, "--country", "Syria")
    by_code = _export(db, "--country", "sy")
    assert by_name.exit_code == 0 and by_name.stdout == by_code.stdout
    assert [json.loads(x)["id"] for x in by_name.stdout.splitlines()] == ["ev-sy"]
    battles = _export(db, "--event-type", "battles")
    assert battles.exit_code == 0 and len(battles.stdout.splitlines()) == 7  # ev-iq and six fillers


@pytest.mark.parametrize(("args", "says"), [
    (["--country", "XX"], "unknown country 'XX'"),
    (["--event-type", "fights"], "accepted: Battles"),
    (["--date-from", "2023-03-05", "--date-to", "2023-03-01"], "empty date range"),
])
def test_export_refuses_bad_filters_with_exit_2(db: Path, tmp_path: Path, args: list[str], says: str) -> None:
    out = tmp_path / "x.csv"
    r = _export(db, "--format", "acled", "-o", str(out), *args)
    assert r.exit_code == 2 and says in r.stderr, r.output
    assert not out.exists()


def test_api_uses_the_same_parser(db: Path) -> None:
    client = TestClient(create_app(str(db)))
    named = client.get("/api/events?country=Syria").json()["events"]
    assert [e["id"] for e in named] == ["ev-sy"]
    assert client.get("/api/events?country=sy").json()["events"] == named
    assert len(client.get("/api/events?event_type=battles&limit=100").json()["events"]) == 7
    for query, says in (("country=XX", "unknown country"), ("event_type=fights", "accepted: Battles"),
                        ("date_from=2023-03-05&date_to=2023-03-01", "empty date range")):
        for path in ("/api/events", "/api/map", "/api/aggregates"):
            r = client.get(f"{path}?{query}")
            assert r.status_code == 422 and says in r.json()["error"], (path, query, r.text)


# -- downloads and docs ----------------------------------------------------------------------------

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
