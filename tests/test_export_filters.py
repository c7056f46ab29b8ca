"""export's filters select exactly the events the API's /api/events selects for the same filter."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wirewatch.cli.main import main


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_wire):
    path = tmp_path_factory.mktemp("f") / "f.db"
    res = CliRunner().invoke(main, ["ingest", "--db", str(path), str(sample_wire)])
    assert res.exit_code == 0, res.output
    return path


def _api_ids(db, params):
    from fastapi.testclient import TestClient

    from wirewatch.web.app import create_app

    client = TestClient(create_app(str(db)))
    ids, cursor = [], None
    while True:
        q = dict(params, limit=100, **({"cursor": cursor} if cursor else {}))
        body = client.get("/api/events", params=q).json()
        assert body["ok"], body
        ids += [e["id"] for e in body["events"]]
        cursor = body.get("next_cursor")
        if not cursor:
            return sorted(ids)


FILTERS = [
    {},
    {"country": "NG"},
    {"event_type": "Explosions/Remote violence"},
    {"min_fatalities": 5},
    {"date_from": "2017-03-04", "date_to": "2017-03-05"},
    {"bbox": "30,0,50,40"},
]


@pytest.mark.parametrize("flt", FILTERS, ids=[json.dumps(f) for f in FILTERS])
def test_export_and_api_agree(db, flt):
    args = ["export", "--db", str(db)]
    for key, value in flt.items():
        args += [f"--{key.replace('_', '-')}", str(value)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    exported = sorted(json.loads(line)["id"] for line in res.stdout.splitlines())
    assert exported == _api_ids(db, flt)


def test_filters_narrow_the_export(db):
    def count(*args):
        return len(CliRunner().invoke(main, ["export", "--db", str(db), *args]).stdout.splitlines())

    everything = count()
    assert 0 < count("--country", "NG") < everything
    assert count("--min-fatalities", "5") < everything
    assert count("--country", "NG", "--event-type", "Protests") <= count("--country", "NG")


def test_export_and_api_agree_on_actor_words_and_sub_type(db):
    """Filters whose value comes from the data: the most frequent actor, a word of some event's notes and
    the sub-event type of that event; the API's count agrees with its own pages too."""
    from fastapi.testclient import TestClient

    from wirewatch.web.app import create_app

    client = TestClient(create_app(str(db)))
    meta = client.get("/api/meta").json()
    first = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    word = max((w for w in (first["notes"] or "").split() if w.isalpha()), key=len)
    for flt in ({"actor": meta["actors"][0]["name"]}, {"q": word}, {"sub_event_type": first["sub_event_type"]},
                {"country": first["country_code"], "q": word}):
        res = CliRunner().invoke(main, ["export", "--db", str(db)]
                                 + [a for k, v in flt.items() for a in (f"--{k.replace('_', '-')}", str(v))])
        assert res.exit_code == 0, res.output
        exported = sorted(json.loads(line)["id"] for line in res.stdout.splitlines())
        api = _api_ids(db, flt)
        assert exported == api, flt
        assert client.get("/api/events", params={**flt, "count": "true"}).json()["count"] == len(api) > 0, flt
