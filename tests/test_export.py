"""Exporters: the contract's JSONL fields, ACLED columns and conventions, RFC 7946 GeoJSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from wirewatch.export import acled, geojson, jsonl
from wirewatch.models import Claim, Event, Evidence, Location, SourceRef

CONTRACT_FIELDS = [
    "id", "event_date", "date_start", "date_end", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "country", "country_code",
    "admin1", "admin2", "location", "latitude", "longitude", "geonameid", "geo_precision", "fatalities",
    "fatalities_low", "fatalities_best", "fatalities_high", "claims", "sources", "evidence", "notes",
]
CLAIM_FIELDS = ["quantity", "low", "high", "qualifier", "text", "source", "article_id", "start", "end"]


def _events() -> list[Event]:
    d = dt.date(2017, 3, 4)
    loc = Location("Kismayo", "Somalia", "SO", "Lower Juba", None, -0.3582, 42.5454, 55671, 1)
    claim = Claim("killed", 9, None, "at least", "at least nine people were killed", "police", "a1", 10, 40, d)
    located = Event(id="ev_a", event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
                    event_date=d, date_start=d, date_end=d, time_precision=1, actor1="Al Shabaab", inter1=2,
                    actor2="Civilians (Somalia)", inter2=7, location=loc, fatalities=9, fatalities_low=9,
                    fatalities_best=9, fatalities_high=9, claims=[claim],
                    sources=[SourceRef("a1", "x-1", "Blast in port city", "Reuters", d, None)],
                    evidence=[Evidence("a1", "A suicide bomber struck ...", 0, 27)], notes="A suicide bombing.")
    unlocated = Event(id="ev_b", event_type="Displacement", sub_event_type="Internal displacement",
                      event_date=None, date_start=None, date_end=None, time_precision=None)
    return [located, unlocated]


def test_jsonl_has_every_contract_field_and_nulls_for_unknowns():
    buf = io.StringIO()
    assert jsonl.write(_events(), buf) == 2
    recs = [json.loads(line) for line in buf.getvalue().splitlines()]
    for rec in recs:
        assert [f for f in CONTRACT_FIELDS if f not in rec] == []
    assert list(recs[0]["claims"][0]) == CLAIM_FIELDS
    assert recs[1]["latitude"] is None and recs[1]["fatalities_best"] is None
    assert recs[0]["sources"][0]["external_id"] == "x-1"


def test_acled_csv_columns_and_conventions():
    buf = io.StringIO()
    n = acled.write(_events(), buf)
    assert n == 1, "Displacement is our extension and stays out unless asked for"
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0]) == acled.COLUMNS
    r = rows[0]
    assert r["event_date"] == "04 March 2017"
    assert r["interaction"] == "27"
    assert r["civilian_targeting"] == "Civilian targeting"
    assert r["fatalities"] == "9" and r["geo_precision"] == "1" and r["source"] == "Reuters"
    buf2 = io.StringIO()
    assert acled.write(_events(), buf2, include_extensions=True) == 2


def test_geojson_is_rfc7946_shaped():
    buf = io.StringIO()
    geojson.write(_events(), buf)
    fc = json.loads(buf.getvalue())
    assert fc["type"] == "FeatureCollection"
    f0, f1 = fc["features"]
    assert f0["type"] == "Feature" and f0["geometry"]["type"] == "Point"
    lon, lat = f0["geometry"]["coordinates"]
    assert (lon, lat) == (42.5454, -0.3582), "longitude comes first"
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert f1["geometry"] is None, "unlocated events are kept with a null geometry"
    assert f0["properties"]["sub_event_type"] == "Suicide bomb"
