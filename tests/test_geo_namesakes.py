"""Same-named places: a small namesake against a far bigger town, foreign namesakes, division suffixes.

Sentences written for these tests.
"""

from __future__ import annotations

from spans import spans_of

from wirewatch.geo.geoparser import Geoparser


def _resolve(gp: Geoparser, text: str, names: list[str]):
    return [(m.text, m.place) for m in gp.resolve_spans(text, spans_of(text, names))]


def test_small_namesakes_near_each_other_do_not_pull_big_cities(gp: Geoparser) -> None:
    # Washington and Houston both have villages a few miles from Pittsburgh; the story means the capital and Texas
    text = (
        "WASHINGTON (AP) — A soldier from Pittsburgh died in the blast. His unit was trained by a Houston company, "
        "and he had served two tours before. His mother now lives in Texas."
    )
    got = dict(_resolve(gp, text, ["WASHINGTON", "Pittsburgh", "Houston", "Texas"]))
    assert got["Pittsburgh"].admin1 == "Pennsylvania"
    assert got["WASHINGTON"].admin1 == "District of Columbia"
    assert got["Houston"].admin1 == "Texas"


def test_small_namesake_still_wins_with_its_qualifier(gp: Geoparser) -> None:
    text = "The county fair in Paris, Tennessee, drew farmers from Jackson and from Kentucky."
    got = dict(_resolve(gp, text, ["Paris", "Tennessee", "Jackson", "Kentucky"]))
    assert (got["Paris"].country_code, got["Paris"].admin1) == ("US", "Tennessee")


def test_foreign_namesakes_do_not_back_each_other_against_the_named_country(gp: Geoparser) -> None:
    # Suffolk and Norfolk are also neighbouring towns in Virginia; the text names only the United Kingdom
    text = (
        "Bird flu was confirmed at a turkey farm in Suffolk, officials in the United Kingdom said on Friday. "
        "UK vets sent samples to the laboratory in Weybridge. A second farm in Norfolk is being tested."
    )
    got = dict(_resolve(gp, text, ["Suffolk", "United Kingdom", "UK", "Weybridge", "Norfolk"]))
    assert got["Suffolk"].country_code == "GB"
    assert got["Norfolk"].country_code == "GB"


def test_prefecture_suffix_is_dropped_for_lookup(gp: Geoparser) -> None:
    (name, place), = _resolve(gp, "Snow closed schools across Akita Prefecture on Monday.", ["Akita Prefecture"])
    assert place is not None and (place.country_code, place.admin1) == ("JP", "Akita")


def test_former_country_names(gp: Geoparser) -> None:
    for former, iso in (("Zaire", "CD"), ("Ceylon", "LK"), ("Siam", "TH")):
        got = gp.gazetteer.lookup(former)
        assert any(c.place.feature_code == "PCLI" and c.place.country_code == iso for c in got), former
