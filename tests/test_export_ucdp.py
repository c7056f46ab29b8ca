"""UCDP GED-style CSV: GED's columns, type_of_violence from inter codes, precision mappings, round trips."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from wirewatch.export import ucdp
from wirewatch.models import Claim, Event, Location, SourceRef

D = dt.date


def _event(eid: str = "e1", *, event_type: str = "Battles", sub: str = "Armed clash", inter1=1, inter2=2,
           actor1="Military Forces of Syria (2000-)", actor2="Islamic State", low=4, best=6, high=9,
           start=D(2017, 3, 2), end=D(2017, 3, 2), precision=1, location: Location | None = None,
           sources=None, claims=None) -> Event:
    loc = location or Location("Al Bab", "Syria", "SY", "Aleppo", "Al Bab District", 36.3705, 37.5157, 170794,
                               precision, mention="the town of Al Bab")
    return Event(
        id=eid, event_type=event_type, sub_event_type=sub, event_date=start, date_start=start, date_end=end,
        time_precision=1, actor1=actor1, inter1=inter1, actor2=actor2, inter2=inter2, location=loc,
        fatalities=low or 0, fatalities_low=low, fatalities_best=best, fatalities_high=high,
        claims=claims if claims is not None else [
            Claim("killed", 4, None, "at least", "at least four soldiers died", "state media", "a1", 0, 30),
            Claim("killed", 9, 9, None, "nine were killed", "Syrian Observatory for Human Rights", "a2", 0, 20)],
        sources=sources if sources is not None else [
            SourceRef("a1", None, 'Army says it "repelled" an attack, town calm', "Reuters", D(2017, 3, 2), None),
            SourceRef("a2", None, "Monitor reports nine dead\nin northern town", "AFP", D(2017, 3, 3), None)],
    )


def _rows(events, **kw) -> list[dict[str, str]]:
    buf = io.StringIO()
    n = ucdp.write(events, buf, **kw)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == n
    return rows


def test_columns_round_trip_through_csv():
    buf = io.StringIO()
    assert ucdp.write([_event()], buf) == 1
    reader = csv.DictReader(io.StringIO(buf.getvalue()))
    rows = list(reader)
    assert reader.fieldnames == ucdp.COLUMNS and len(ucdp.COLUMNS) == 49
    r = rows[0]
    assert (r["low"], r["best"], r["high"]) == ("4", "6", "9")
    assert r["type_of_violence"] == "1"
    assert r["side_a"] == "Government of Syria" and r["side_b"] == "Islamic State"
    assert r["dyad_name"] == "Government of Syria - Islamic State"
    assert r["date_start"] == r["date_end"] == "2017-03-02" and r["year"] == "2017"
    assert r["number_of_sources"] == "2" and r["source_office"] == "Reuters;AFP"
    assert r["source_date"] == "2017-03-02;2017-03-03"
    assert r["source_article"].startswith('"Reuters,2017-03-02,Army says it ""repelled"" an attack, town calm";')
    entries = next(csv.reader([r["source_article"]], delimiter=";"))
    assert [e.split(",", 2) for e in entries] == [
        ["Reuters", "2017-03-02", 'Army says it "repelled" an attack, town calm'],
        ["AFP", "2017-03-03", "Monitor reports nine dead in northern town"]]
    assert "\n" not in r["source_headline"], "line breaks in headlines are flattened"
    assert r["source_original"] == "state media; Syrian Observatory for Human Rights"
    assert r["geom_wkt"] == "POINT (37.515700 36.370500)"
    assert (r["latitude"], r["longitude"]) == ("36.370500", "37.515700")
    assert r["region"] == "Middle East" and r["country"] == "Syria"
    assert r["adm_1"] == "Aleppo" and r["adm_2"] == "Al Bab District"
    assert r["where_description"].startswith("the town of Al Bab, Al Bab")
    assert r["deaths_unknown"] == "6" and r["deaths_civilians"] == "0"
    assert r["event_clarity"] == "1"


def test_round_trip_through_pandas():
    pd = pytest.importorskip("pandas")
    buf = io.StringIO()
    ucdp.write([_event(), _event("e2", inter1=2, inter2=3, actor1="Rebels", actor2="Militia")], buf)
    frame = pd.read_csv(io.StringIO(buf.getvalue()))
    assert list(frame.columns) == ucdp.COLUMNS and len(frame) == 2
    assert frame["best"].tolist() == [6, 6] and frame["type_of_violence"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("event_type", "sub", "inter1", "inter2", "expected"),
    [
        ("Battles", "Armed clash", 1, 2, 1),
        ("Battles", "Armed clash", 2, 1, 1),
        ("Battles", "Armed clash", 8, 2, 1),
        ("Battles", "Armed clash", 1, 1, 1),
        ("Battles", "Armed clash", 2, 4, 2),
        ("Battles", "Armed clash", 3, 3, 2),
        ("Violence against civilians", "Attack", 2, 7, 3),
        ("Explosions/Remote violence", "Air/drone strike", 1, 7, 3),
        ("Protests", "Excessive force against protesters", 1, 6, 3),
        ("Violence against civilians", "Attack", 4, None, 3),
        ("Explosions/Remote violence", "Air/drone strike", 1, None, 1),
        ("Riots", "Mob violence", 5, 7, None),
        ("Protests", "Protest with intervention", 6, 1, None),
        ("Strategic developments", "Arrests", 1, 2, None),
        ("Displacement", "Internal displacement", None, None, None),
        ("Battles", "Armed clash", 4, None, None),
    ],
)
def test_type_of_violence_from_inter_codes(event_type, sub, inter1, inter2, expected):
    ev = _event(event_type=event_type, sub=sub, inter1=inter1, inter2=inter2)
    assert ucdp.type_of_violence(ev) == expected


def test_one_sided_puts_the_perpetrator_on_side_a_and_the_dead_among_civilians():
    ev = _event(event_type="Violence against civilians", sub="Attack", actor1="Civilians (Syria)", inter1=7,
                actor2="Islamic State", inter2=2)
    r = _rows([ev])[0]
    assert (r["type_of_violence"], r["side_a"], r["side_b"]) == ("3", "Islamic State", "Civilians")
    assert r["deaths_civilians"] == "6" and r["deaths_unknown"] == "0"
    state_second = _event(actor1="Islamic State", inter1=2, actor2="Police Forces of Iraq (2014-)", inter2=1)
    r = _rows([state_second])[0]
    assert (r["side_a"], r["side_b"]) == ("Government of Iraq", "Islamic State")


def test_where_prec_mapping():
    def prec(location_name, precision, admin2="Al Bab District"):
        loc = Location(location_name, "Syria", "SY", "Aleppo", admin2, 36.2, 37.1, 1, precision)
        return ucdp.where_prec(_event(location=loc))

    assert prec("Al Bab", 1) == 1
    assert prec("Al Bab", 2) == 2
    assert prec("Al Bab District", 3) == 3
    assert prec("Aleppo", 3) == 4
    assert prec("Syria", 3) == 6
    ev = _event()
    ev.location = None
    assert ucdp.where_prec(ev) is None
    r = _rows([ev])[0]
    assert r["where_prec"] == "" and r["latitude"] == "" and r["geom_wkt"] == "" and r["priogrid_gid"] == ""


@pytest.mark.parametrize(
    ("start", "end", "time_precision", "expected"),
    [
        (D(2017, 3, 2), D(2017, 3, 2), 1, 1),
        (D(2017, 3, 2), D(2017, 3, 4), 1, 2),
        (D(2017, 2, 27), D(2017, 3, 5), 2, 3),
        (D(2017, 3, 1), D(2017, 3, 31), 3, 4),
        (D(2017, 1, 1), D(2017, 6, 30), 3, 5),
        (None, None, 2, 3),
        (None, None, 3, 4),
        (None, None, None, None),
    ],
)
def test_date_prec_mapping(start, end, time_precision, expected):
    ev = _event(start=start, end=end)
    ev.time_precision = time_precision
    assert ucdp.date_prec(ev) == expected


def test_selection_rules():
    events = [
        _event("battle"),
        _event("protest", event_type="Protests", sub="Peaceful protest", inter1=6, inter2=None),
        _event("no-toll", low=None, best=None, high=None, claims=[]),
    ]
    assert [r["id"] for r in _rows(events)] == ["battle", "no-toll"]
    no_toll = _rows(events)[1]
    assert (no_toll["low"], no_toll["best"], no_toll["high"]) == ("0", "0", "0")
    assert [r["id"] for r in _rows(events, include_all=True)] == ["battle", "protest", "no-toll"]
    assert [r["id"] for r in _rows(events, min_deaths=1)] == ["battle"]
    assert _rows(events, include_all=True)[1]["type_of_violence"] == ""


def test_regions():
    assert ucdp.region("SY") == "Middle East" and ucdp.region("eg") == "Middle East"
    assert ucdp.region("SO") == "Africa" and ucdp.region("AF") == "Asia"
    assert ucdp.region("UA") == "Europe" and ucdp.region("AZ") == "Europe"
    assert ucdp.region("CO") == "Americas" and ucdp.region(None) == "" and ucdp.region("ZZ") == ""


@pytest.mark.eval
def test_header_and_priogrid_match_ucdp_ged(shared):
    path = shared / "eval" / "ucdp-ged-sample-1000" / "ucdp_ged_2023_sample_1000.csv"
    if not path.exists():
        pytest.skip("UCDP GED sample not present")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ucdp.COLUMNS
        rows = [r for r in reader if r["priogrid_gid"] and r["latitude"]]
    assert len(rows) > 900
    wrong = [r["id"] for r in rows
             if ucdp.priogrid_gid(float(r["latitude"]), float(r["longitude"])) != int(r["priogrid_gid"])]
    assert wrong == []
    # our region table agrees with GED's for the countries GED names plainly
    plain = {"Syria": "SY", "Iraq": "IQ", "Somalia": "SO", "Afghanistan": "AF", "Mexico": "MX", "Ukraine": "UA",
             "Egypt": "EG", "Nigeria": "NG", "India": "IN", "Colombia": "CO", "Turkey": "TR", "Libya": "LY"}
    seen = {r["country"]: r["region"] for r in rows if r["country"] in plain}
    assert seen and {c: ucdp.region(plain[c]) for c in seen} == seen
