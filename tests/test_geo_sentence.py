"""Resolution cues read from the sentence and the words around a name.

A county named beside its state in one sentence, a town known by the name only
as another name, a province whose name starts with a city's, "the X region",
and provinces GeoNames files as "Province of X".  Sentences written for these
tests.
"""

from __future__ import annotations

from spans import spans_of

from wirewatch.geo.geoparser import Geoparser


def _resolve(gp: Geoparser, text: str, names: list[str]):
    return {m.text: m for m in gp.resolve_spans(text, spans_of(text, names))}


def test_county_takes_the_state_named_in_its_sentence(gp: Geoparser) -> None:
    # Monroe County exists in both states; the other state is only where the samples went
    texts = (
        ("Two dead geese were found in Michigan, on a marsh in Monroe County. The birds were tested in Iowa.",
         ["Michigan", "Monroe County", "Iowa"]),
        ("A wildlife officer in Michigan found two dead geese on a marsh in Monroe County last week. Michigan sent "
         "the birds to a federal laboratory in Ames, Iowa.", ["Michigan", "Monroe County", "Michigan", "Ames", "Iowa"]),
    )
    for text, names in texts:
        got = _resolve(gp, text, names)
        assert got["Monroe County"].place.admin1 == "Michigan", text
        assert got["Iowa"].place.feature_code == "ADM1"


def test_another_name_of_a_town_does_not_pull_like_its_own(gp: Geoparser) -> None:
    # Pittsburg, California, is also listed as "Pittsburgh"; the Pennsylvania city bears the name as its own
    text = (
        "Clinics in Los Angeles and San Diego joined the trial, a doctor at a children's hospital in Pittsburgh "
        "said on Monday."
    )
    got = _resolve(gp, text, ["Los Angeles", "San Diego", "Pittsburgh"])
    assert got["Pittsburgh"].place.admin1 == "Pennsylvania"


def test_province_named_longer_than_a_city_is_the_province(gp: Geoparser) -> None:
    text = "Two cases were confirmed in Santa Catarina and one in Rio Grande do Sul, the ministry said."
    got = _resolve(gp, text, ["Santa Catarina", "Rio Grande do Sul"])
    assert got["Rio Grande do Sul"].place.feature_code == "ADM1"


def test_the_city_region_is_the_city_not_a_county(gp: Geoparser) -> None:
    text = "Health officials counted eleven cases in the Houston region this summer, up from four."
    m = gp.resolve_spans(text, spans_of(text, ["Houston"]))[0]
    assert m.place is not None and m.place.feature_class == "P" and m.place.admin1 == "Texas"
    assert m.relation == "region"
    assert gp.parse(text) and gp.parse(text)[0].place.population > 1_000_000


def test_region_after_a_province_name_is_the_province(gp: Geoparser) -> None:
    text = "Fighting spread across the Tigray region on Tuesday, aid workers said."
    m = gp.resolve_spans(text, spans_of(text, ["Tigray"]))[0]
    assert m.place is not None and m.place.feature_code == "ADM1" and m.place.country_code == "ET"


def test_philippine_provinces_by_their_bare_names(gp: Geoparser) -> None:
    text = (
        "Philippine officials said pigs died on farms in Zambales and Pangasinan, and a third outbreak was "
        "reported in South Cotabato on Mindanao."
    )
    got = _resolve(gp, text, ["Zambales", "Pangasinan", "South Cotabato"])
    for name in ("Zambales", "Pangasinan", "South Cotabato"):
        p = got[name].place
        assert p is not None and p.country_code == "PH" and p.feature_code == "ADM2", name
