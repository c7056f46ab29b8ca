"""Regions, seas, division points, spatial coherence and the resolution rules added for them.

Every sentence here is written for these tests.
"""

from __future__ import annotations

from wirewatch.geo.coherence import support
from wirewatch.geo.distance import haversine_km
from wirewatch.geo.gazetteer import EXACT, Candidate
from wirewatch.geo.geoparser import Geoparser
from wirewatch.geo.regions import is_region, region_place
from spans import spans_of

from wirewatch.geo.tables import _centre, read_admin1, read_admin2, read_countries
from wirewatch.models import Article, Evidence, EventMention, Place


def _spans(text: str, *names: str) -> list[tuple[int, int]]:
    return spans_of(text, names)


def test_region_table_folds_names_and_articles() -> None:
    me = region_place("the Middle East")
    assert me is not None and me == region_place("Middle East") == region_place("MIDDLE EAST")
    assert me.feature_class == "L" and is_region(me) and me.country_code is None
    darfur = region_place("Darfur")
    assert darfur is not None and darfur.country_code == "SD" and 10 < darfur.latitude < 16
    ocean = region_place("Indian Ocean")
    assert ocean is not None and ocean.feature_code == "SEA" and ocean.latitude < 0
    assert region_place("Homs") is None and region_place("") is None
    assert not is_region(None)


def test_gold_spans_of_regions_and_seas_resolve(gp: Geoparser) -> None:
    text = "Aid convoys crossed Darfur while tankers left the Red Sea for the Indian Ocean and the Middle East."
    out = gp.resolve_spans(text, _spans(text, "Darfur", "Red Sea", "Indian Ocean", "Middle East"))
    assert [m.place.name if m.place else None for m in out] == ["Darfur", "Red Sea", "Indian Ocean", "Middle East"]


def test_recognised_region_has_a_point_but_never_beats_a_town_as_event_place(gp: Geoparser) -> None:
    body = "Fighters shelled the town of Tadef near al-Bab on Sunday, the worst attack in the Middle East this year."
    places = gp.parse(body)
    regions = [p for p in places if p.text == "Middle East"]
    assert regions and regions[0].place is not None and is_region(regions[0].place)
    art = Article(id="r1", text=body, body=body)
    m = EventMention(id="e1", article_id="r1", event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
                     evidence=[Evidence("r1", body, 0, len(body))])
    gp.locate(art, [m], places)
    assert m.location is not None and m.location.country_code == "SY"
    assert haversine_km(m.location.latitude, m.location.longitude, 36.35, 37.53) < 15


def test_state_in_a_list_of_states_is_the_state(gp: Geoparser) -> None:
    text = "Cases were reported in Michigan, Ohio, Oregon and Indiana, health officials said."
    out = gp.resolve_spans(text, _spans(text, "Michigan", "Ohio", "Oregon", "Indiana"))
    assert [m.place.feature_code for m in out] == ["ADM1"] * 4, [(m.text, m.place) for m in out]
    assert out[2].place.name == "Oregon" and out[2].place.longitude < -115


def test_province_after_its_town_and_a_comma_is_the_province(gp: Geoparser) -> None:
    text = "The recall began at a plant in Mississauga, Ontario on Friday."
    out = gp.resolve_spans(text, _spans(text, "Mississauga", "Ontario"))
    assert out[1].place is not None and out[1].place.feature_code == "ADM1" and out[1].place.country_code == "CA"


def test_upper_case_us_is_the_country_not_a_village(gp: Geoparser) -> None:
    text = "The talks in Paris ended without a deal, and US officials flew home to Washington."
    out = gp.resolve_spans(text, _spans(text, "Paris", "US", "Washington"))
    assert out[1].place is not None and out[1].place.feature_code == "PCLI" and out[1].place.country_code == "US"


def test_only_the_real_capital_is_a_capital(gp: Geoparser) -> None:
    washingtons = [c.place for c in gp.gazetteer.lookup("Washington") if c.place.feature_class == "P" and c.place.country_code == "US"]
    capitals = [p for p in washingtons if p.feature_code == "PPLC"]
    assert len(washingtons) > 3 and len(capitals) == 1 and capitals[0].admin1 == "District of Columbia"


def test_british_county_and_abbreviated_provinces_have_points(gp: Geoparser) -> None:
    kent = [c.place for c in gp.gazetteer.lookup("Kent") if c.place.feature_code == "ADM2" and c.place.country_code == "GB"]
    assert kent and haversine_km(kent[0].latitude, kent[0].longitude, 51.2, 0.7) < 40
    text = "Wildfires spread from NSW into Queensland while B.C. sent crews."
    out = gp.resolve_spans(text, _spans(text, "NSW", "Queensland", "B.C."))
    assert out[0].place is not None and out[0].place.name == "New South Wales"
    assert out[2].place is not None and out[2].place.name == "British Columbia"


def test_country_and_division_points_are_sane() -> None:
    countries = {c.iso: c for c in read_countries()}
    fiji, mauritius = countries["FJ"], countries["MU"]
    assert abs(fiji.longitude) > 170 and -20 < fiji.latitude < -15  # not the antimeridian average near 0
    assert haversine_km(mauritius.latitude, mauritius.longitude, -20.16, 57.5) < 60  # the main island
    china = countries["CN"]
    assert haversine_km(china.latitude, china.longitude, 35.0, 105.0) < 161
    ontario = next(a for a in read_admin1() if a.code == "CA.08")
    assert ontario.latitude > 48  # the province's middle, not its southern cities
    assert any(a.code.startswith("GB.") and a.name == "Suffolk" for a in read_admin2())


def test_centre_handles_the_antimeridian() -> None:
    lat, lon = _centre([(-17.0, 178.0), (-18.0, 179.5), (-16.5, -179.8)])
    assert abs(lon) > 178 and -18 < lat < -16


def _cand(gid: int, lat: float, lon: float, pop: int, cc: str = "US", admin1: str = "Texas") -> Candidate:
    return Candidate(Place(gid, f"p{gid}", lat, lon, cc, admin1, None, "P", "PPL", pop), EXACT)


def test_coherence_backs_the_reading_near_the_other_names() -> None:
    # "Gainesville" has a big reading far away and a small one beside the only "Whitesboro"
    gaines = [_cand(1, 29.65, -82.32, 140_000, admin1="Florida"), _cand(2, 33.63, -97.13, 16_000)]
    whites = [_cand(3, 33.66, -96.91, 4_000)]
    backing = support(["Gainesville", "Whitesboro"], [gaines, whites], lambda c: 0.0)
    assert backing[0].get(2, 0) > 0.9 and backing[0].get(1, 0) == 0
    assert backing[1].get(3, 0) > 0.4  # backed by half of Gainesville's probability
    # a name is never its own backing, and repeats share one answer
    assert support(["Gainesville", "Gainesville"], [gaines, gaines], lambda c: 0.0) == [{}, {}]


def test_a_recognised_sea_is_not_the_province_named_like_it(gp: Geoparser) -> None:
    places = gp.parse("Two tankers were struck in the Red Sea on Tuesday.")
    sea = [p for p in places if p.text == "Red Sea"]
    assert sea and sea[0].place is not None and sea[0].place.feature_code == "SEA" and sea[0].place.country_code is None
