"""Resolution cues from how names are written: lists of provinces, a town's other names, "X State",
unlisted names beside a foreign town, hamlets abroad (sentences written for these tests)."""

from __future__ import annotations

from spans import spans_of

from wirewatch.geo.geoparser import Geoparser


_spans = spans_of


def _resolve(gp: Geoparser, text: str, names: list[str], **kw):
    return gp.resolve_spans(text, _spans(text, names), **kw)


def _where(m) -> tuple:
    p = m.place
    return None if p is None else (p.feature_code, p.country_code, p.admin1)


def test_a_name_in_a_list_of_states_is_the_state(gp: Geoparser) -> None:
    got = _resolve(gp, "Ski resorts in Colorado, Washington and Oregon reported record snow this week.",
                   ["Colorado", "Washington", "Oregon"])
    assert [_where(m) for m in got] == [("ADM1", "US", "Colorado"), ("ADM1", "US", "Washington"), ("ADM1", "US", "Oregon")]
    got = _resolve(gp, "Turnout was high in Ohio, New York and Iowa, officials said.", ["Ohio", "New York", "Iowa"])
    assert _where(got[1]) == ("ADM1", "US", "New York")


def test_a_town_and_its_state_are_no_list(gp: Geoparser) -> None:
    got = _resolve(gp, "The mill in Washington, Pennsylvania, closed in 1990.", ["Washington", "Pennsylvania"])
    assert _where(got[0]) == ("PPL", "US", "Pennsylvania")
    alone = _resolve(gp, "Lawmakers in Washington voted on the budget late on Friday.", ["Washington"])
    assert _where(alone[0]) == ("PPLC", "US", "District of Columbia")


def test_a_towns_other_name_yields_to_towns_that_bear_it(gp: Geoparser) -> None:
    # cities500 lists "Centerville" among the names of Fremont, California, a far bigger city
    # than any town called Centerville; the name still means one of those towns
    got = _resolve(gp, "The Centerville library reopened on Monday after a flood.", ["Centerville"])
    assert got[0].place is not None and got[0].place.name == "Centerville" and got[0].place.country_code == "US"


def test_x_state_is_a_state_only_when_x_names_one(gp: Geoparser) -> None:
    got = _resolve(gp, "She studied nursing at Columbia State Community College before moving to Nashville.",
                   ["Columbia", "Nashville"])
    assert got[0].place.feature_class == "P"  # a town's name before "State" is a college's, not its state
    got = _resolve(gp, "Troops moved into Borno State after the attack on Maiduguri.", ["Borno", "Maiduguri"])
    assert _where(got[0])[:2] == ("ADM1", "NG")


def test_an_unlisted_name_takes_a_town_of_the_storys_country(gp: Geoparser) -> None:
    text = ("Cargo from New Delhi reached the Zorvak Pier on Tuesday. Dock workers in Long Beach, Pasadena and "
            "Santa Monica said the pier would reopen soon.")
    got = _resolve(gp, text, ["New Delhi", "Zorvak Pier", "Long Beach", "Pasadena", "Santa Monica"], fallback_to_anchor=True)
    assert got[1].relation == "anchor"
    assert _where(got[1])[1:] == ("US", "California")  # not New Delhi, though it is written closer


def test_no_hamlet_abroad_for_a_name_of_the_storys_country(gp: Geoparser) -> None:
    text = "South Korean officials said on Monday that Korea would send doctors; South Korea has sent aid before."
    got = _resolve(gp, text, ["South Korean", "Korea", "South Korea"])
    # a village of 3,000 in Ivory Coast spelled alike is no reading in a story that names and cues South Korea
    assert got[1].place is None or got[1].place.country_code == "KR"


def test_other_states_named_in_passing_leave_a_story_local(gp: Geoparser) -> None:
    text = ("Snow closed schools in Beckley, Lewisburg and White Sulphur Springs on Tuesday. A warming centre opened "
            "in Greenbrier. Skiers said the slopes were better than in Oregon, Utah, Colorado or Michigan.")
    names = ["Beckley", "Lewisburg", "White Sulphur Springs", "Greenbrier", "Oregon", "Utah", "Colorado", "Michigan"]
    got = {m.text: m.place for m in _resolve(gp, text, names)}
    # cities500 has Greenbrier towns in Tennessee and Arkansas only: in a West Virginia story it is the county
    assert (got["Greenbrier"].feature_code, got["Greenbrier"].admin1) == ("ADM2", "West Virginia")
