"""Resolution in US local news: counties and parishes, same-named towns, strays (sentences written for these tests)."""

from __future__ import annotations

from spans import spans_of

from wirewatch.geo.distance import haversine_km
from wirewatch.geo.geoparser import Geoparser
from wirewatch.geo.names import fold
from wirewatch.models import PlaceMention
from wirewatch.geo.tables import _strip_affixes, read_admin2

# Reference points (GeoNames cities500).
LONDON_KY = (37.12898, -84.08326)
PARIS_TX = (33.66094, -95.55551)
STE_GENEVIEVE_MO = (37.98144, -90.04178)


_spans = spans_of


def _resolve(gp: Geoparser, text: str, names: list[str]):
    return {m.text: m.place for m in gp.resolve_spans(text, _spans(text, names))}


def test_us_counties_have_their_own_points() -> None:
    rows = {(r.code.split(".")[1], r.name): r for r in read_admin2() if r.code.startswith("US.")}
    laurel, lamar = rows[("KY", "Laurel County")], rows[("TX", "Lamar County")]
    assert not laurel.approximate and laurel.full_name_only  # no town "Laurel" in Kentucky: full name only
    assert haversine_km(laurel.latitude, laurel.longitude, *LONDON_KY) < 30  # London is its seat
    # the town of Lamar is on the Gulf coast; the county is on the Red River, around Paris
    assert haversine_km(lamar.latitude, lamar.longitude, *PARIS_TX) < 40
    assert sum(r.approximate for r in rows.values()) < 100  # a few independent cities and planning regions
    # only divisions written with a division word ("County", "District") get their province's point
    approx = [r for r in read_admin2() if r.approximate]
    assert len(approx) > 1000
    assert all(_strip_affixes(r.name) != fold(r.name) for r in approx)


def test_county_is_found_by_its_full_name_only(gp: Geoparser) -> None:
    full = [c.place for c in gp.gazetteer.lookup("Laurel County") if c.place.feature_code == "ADM2"]
    assert [(p.country_code, p.admin1) for p in full] == [("US", "Kentucky")]
    bare = gp.gazetteer.lookup("Laurel")
    assert not any(c.place.geonameid in gp.gazetteer.approximate_ids for c in bare)


def test_parish_pulls_its_town_to_the_right_state(gp: Geoparser) -> None:
    text = "Deputies from Rapides Parish were called to a barn fire on Sunday. The owner, who lives in Alexandria, was unhurt."
    got = _resolve(gp, text, ["Rapides Parish", "Alexandria"])
    assert got["Rapides Parish"].admin1 == "Louisiana"
    assert (got["Alexandria"].country_code, got["Alexandria"].admin1) == ("US", "Louisiana")


def test_county_point_stays_with_or_without_towns(gp: Geoparser) -> None:
    text = "The Laurel County fair opens in London on Friday. Bus rides run from Corbin every hour."
    got = _resolve(gp, text, ["Laurel County", "London", "Corbin"])
    county = got["Laurel County"]
    assert got["London"].admin1 == "Kentucky"
    assert haversine_km(county.latitude, county.longitude, *LONDON_KY) < 30
    alone = _resolve(gp, "The Laurel County fair opens on Friday.", ["Laurel County"])["Laurel County"]
    assert haversine_km(alone.latitude, alone.longitude, *LONDON_KY) < 30


def test_approximate_division_moves_to_the_towns_named_with_it(gp: Geoparser) -> None:
    name = "Sainte Genevieve County"  # the ZIP data spells it "Ste. Genevieve": no point of its own
    assert any(c.place.geonameid in gp.gazetteer.approximate_ids for c in gp.gazetteer.lookup(name))
    text = f"The {name} board met in Ste. Genevieve on Monday. Farmers from Bloomsdale asked for a new bridge."
    got = _resolve(gp, text, [name, "Ste. Genevieve", "Bloomsdale"])
    assert haversine_km(got[name].latitude, got[name].longitude, *STE_GENEVIEVE_MO) < 40
    alone = _resolve(gp, f"The {name} board met on Monday.", [name])[name]
    assert alone.admin1 == "Missouri"  # no towns: the namesake town's point, else the state's


def test_country_name_is_not_its_own_evidence_among_local_towns(gp: Geoparser) -> None:
    text = "She grew up in Myerstown and taught school in Annville for thirty years. Her son lives in Lebanon."
    got = _resolve(gp, text, ["Myerstown", "Annville", "Lebanon"])
    assert (got["Lebanon"].country_code, got["Lebanon"].admin1, got["Lebanon"].feature_code) == ("US", "Pennsylvania", "PPL")
    abroad = _resolve(gp, "Aid convoys crossed from Lebanon into Syria and Jordan on Monday.", ["Lebanon", "Syria", "Jordan"])
    assert abroad["Lebanon"].feature_code == "PCLI" and abroad["Lebanon"].country_code == "LB"


def test_lone_ambiguous_town_outside_a_local_story_is_left_unresolved(gp: Geoparser) -> None:
    text = "Snow closed schools in Beckley, Lewisburg and White Sulphur Springs on Tuesday. A warming centre opened in Jonesboro."
    names = ["Beckley", "Lewisburg", "White Sulphur Springs", "Jonesboro"]
    got = _resolve(gp, text, names)
    assert {got[n].admin1 for n in names[:3]} == {"West Virginia"}
    # cities500 has Jonesboro in nine states, none in West Virginia (nor a county so called): any would be a guess
    assert got["Jonesboro"] is None
    anchored = gp.resolve_spans(text, _spans(text, names), fallback_to_anchor=True)
    assert anchored[-1].relation == "anchor" and anchored[-1].place.admin1 == "West Virginia"
    alone = _resolve(gp, "A warming centre opened in Jonesboro.", ["Jonesboro"])
    assert alone["Jonesboro"] is not None  # without a local story the best-known reading stands


def test_bare_county_name_in_a_local_story_is_the_county(gp: Geoparser) -> None:
    # cities500 has Greenbrier towns in Tennessee and Arkansas only; the story is in West Virginia
    text = "Snow closed schools in Beckley, Lewisburg and White Sulphur Springs on Tuesday. A warming centre opened in Greenbrier."
    got = _resolve(gp, text, ["Beckley", "Lewisburg", "White Sulphur Springs", "Greenbrier"])
    assert (got["Greenbrier"].feature_code, got["Greenbrier"].admin1) == ("ADM2", "West Virginia")
    alone = _resolve(gp, "A warming centre opened in Greenbrier.", ["Greenbrier"])
    assert alone["Greenbrier"].feature_class == "P"  # no local story: a bare name is not read as a county


def test_county_list_and_full_name_elsewhere(gp: Geoparser) -> None:
    text = ("Platte County, Neb., grew again last year. Platte now ranks tenth in the state, after Lincoln and Omaha. "
            "Hitchcock and Hayes counties also grew, while Dakota, Otoe and Washington counties shrank.")
    names = ["Platte County", "Neb.", "Platte", "Lincoln", "Omaha", "Hitchcock", "Hayes", "Dakota", "Otoe", "Washington"]
    got = _resolve(gp, text, names)
    for n in ["Platte County", "Platte", "Hitchcock", "Hayes", "Dakota", "Otoe", "Washington"]:
        assert (got[n].feature_code, got[n].admin1) == ("ADM2", "Nebraska"), n
    assert got["Platte"] == got["Platte County"]
    # "Indiana counties" are the state's counties, not Indiana County, Pennsylvania
    state = _resolve(gp, "Most Indiana counties reported flooding near Kokomo and Logansport.", ["Indiana", "Kokomo", "Logansport"])
    assert state["Indiana"].feature_code == "ADM1"


def test_abbreviated_state_and_one_sense(gp: Geoparser) -> None:
    text = ("Mourners came from Fresno, Calif., and from Huntsville in Texas. "
            "She was born in Elizabethtown, Pennsylvania, and married in Elizabethtown in 1940.")
    names = ["Fresno", "Calif.", "Huntsville", "Texas", "Elizabethtown", "Pennsylvania", "Elizabethtown"]
    res = gp.resolve_spans(text, _spans(text, names))
    assert res[0].place.admin1 == "California"
    assert res[4].place.admin1 == res[6].place.admin1 == "Pennsylvania"


def test_abbreviated_first_word(gp: Geoparser) -> None:
    assert fold("Mt. Pleasant") == fold("Mount Pleasant") == "mount pleasant"
    assert fold("St. Louis") == "saint louis" and fold("Ft. Worth") == "fort worth"
    assert fold("Memphis St.") == "memphis st"  # only a leading abbreviation is written out
    got = _resolve(gp, "The council of Mt. Pleasant met with officials from New London and Winfield.",
                   ["Mt. Pleasant", "New London", "Winfield"])
    assert {p.admin1 for p in got.values()} == {"Iowa"}  # three towns within 25 km of one another


def test_country_inside_an_unlisted_name(gp: Geoparser) -> None:
    text = "Staff at the Russian Embassy in Lisbon and the US Federal Reserve declined to comment on the Zorvak Tower plan."
    got = _resolve(gp, text, ["Russian Embassy", "US Federal Reserve", "Zorvak Tower"])
    assert (got["Russian Embassy"].feature_code, got["Russian Embassy"].country_code) == ("PCLI", "RU")
    assert (got["US Federal Reserve"].feature_code, got["US Federal Reserve"].country_code) == ("PCLI", "US")
    assert got["Zorvak Tower"] is None


def test_neighbouring_country_and_small_country_provinces(gp: Geoparser) -> None:
    text = "Rockets were fired from Gaza overnight, Israel said, and Egypt closed its border crossing at Rafah."
    got = _resolve(gp, text, ["Gaza", "Israel", "Egypt"])
    assert got["Gaza"].country_code == "PS"  # not Mozambique's Gaza Province
    # a province of a very small country is not what a bare name means
    alone = _resolve(gp, "The council of St. Paul approved the budget on Tuesday.", ["St. Paul"])
    assert alone["St. Paul"].feature_class == "P" and alone["St. Paul"].country_code != "AG"


def test_no_transliteration_matches_for_latin_script_countries(gp: Geoparser) -> None:
    # "Neches" is a Texas river, not a spelling of Natchez; Arabic names keep their loose matches
    assert not any(c.place.name == "Natchez" for c in gp.gazetteer.lookup("Neches"))
    assert any(c.place.country_code == "SY" for c in gp.gazetteer.lookup("Deraa"))


def test_bare_county_when_its_full_name_is_only_inside_an_organisation(gp: Geoparser) -> None:
    # "DeKalb County" is written only as part of an organisation's name, not as a place of its own
    text = ("The DeKalb County School District closed two schools on Monday. Parents in Decatur and Tucker "
            "were told by letter, and DeKalb officials said buses would run as usual.")
    got = _resolve(gp, text, ["Decatur", "Tucker", "DeKalb"])
    assert got["DeKalb"] is not None and (got["DeKalb"].feature_code, got["DeKalb"].admin1) == ("ADM2", "Georgia")
    # without the full name anywhere, a bare name stays the town it reads as
    plain = _resolve(gp, "Parents in Decatur and Tucker were told by letter, and DeKalb officials agreed.",
                     ["Decatur", "Tucker", "DeKalb"])
    assert plain["DeKalb"] is None or plain["DeKalb"].feature_code != "ADM2"


def test_lone_name_with_a_well_known_reading_takes_it_not_the_anchor(gp: Geoparser) -> None:
    # the local story's province holds no London (nor Paris): a reader takes the capital, not a West Virginia town
    for city, cc in (("London", "GB"), ("Paris", "FR")):
        text = f"Snow closed schools in Beckley, Lewisburg and White Sulphur Springs on Tuesday. The mayor later flew to {city}."
        names = ["Beckley", "Lewisburg", "White Sulphur Springs", city]
        got = gp.resolve_spans(text, _spans(text, names), fallback_to_anchor=True)[-1]
        assert got.place is not None and got.place.country_code == cc and got.place.feature_code == "PPLC"
        # when the resolver leaves the lone name open (it may also read it so itself: a West Virginia
        # namesake is far smaller than the capital), the fallback takes the capital, not the nearest anchor
        resolved = gp.resolve_spans(text, _spans(text, names))
        opened = resolved[:-1] + [PlaceMention(city, resolved[-1].start, resolved[-1].end, None, 0.5)]
        fixed = gp._anchor_unresolved(opened, None)[-1]
        assert fixed.relation == "well-known" and fixed.place.country_code == cc and fixed.place.feature_code == "PPLC"
