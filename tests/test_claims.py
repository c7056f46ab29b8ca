"""Figures as claims: quantities, qualifiers, attribution, aggregates and forecasts.

Every sentence below was written for these tests (none is copied from ../shared).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from wirewatch.extract.claims import find_claims, is_aggregate, is_partisan, sentences
from wirewatch.merge.reconcile import reconcile_claims
from wirewatch.extract.numbers import parse_number
from wirewatch.models import QUANTITIES, Claim

PUB = dt.date(2017, 3, 4)


def fatalities_from(claims) -> int | None:
    """The exported ``fatalities_low`` of an event with these claims (the product's reconciliation)."""
    return reconcile_claims(claims).low


def claims(text: str, agency: str | None = "Reuters") -> list[Claim]:
    return find_claims(text, 0, len(text), article_id="t1", published=PUB, agency=agency)


def only(text: str, quantity: str = "killed", agency: str | None = "Reuters") -> Claim:
    found = [c for c in claims(text, agency) if c.quantity == quantity and c.qualifier != "sum"]
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("more than 50", (50, None, "more than")),
        ("over 30", (30, None, "more than")),
        ("at least 40", (40, None, "at least")),
        ("about 1,000", (1000, 1000, "about")),
        ("some 2,300", (2300, 2300, "about")),
        ("up to 400", (400, 400, "up to")),
        ("fewer than 10", (None, 10, "fewer than")),
        ("between 30 and 40", (30, 40, "between")),
        ("7-15", (7, 15, "between")),
        ("two or three", (2, 3, "between")),
        ("dozens", (12, None, "dozens")),
        ("a dozen", (12, None, "a dozen")),
        ("scores", (20, None, "scores")),
        ("hundreds", (100, None, "hundreds")),
        ("several thousand", (2000, None, "several thousand")),
        ("tens of thousands", (10000, None, "tens of thousands")),
        ("Seven", (7, 7, None)),
        ("twenty-three", (23, 23, None)),
        ("1.5 million", (1_500_000, 1_500_000, None)),
        ("a hundred", (100, 100, None)),
    ],
)
def test_parse_number(phrase, expected):
    assert parse_number(phrase) == expected


# --------------------------------------------------------------------------- casualty phrasing


@pytest.mark.parametrize(
    "text, low, high, qualifier",
    [
        ("A truck bomb killed more than 60 people at a market in the north of the country.", 60, None, "more than"),
        ("Gunmen opened fire on a bus, killing dozens of passengers.", 12, None, "dozens"),
        ("The death toll from the bombing rose to 23 on Sunday.", 23, 23, None),
        ("Shelling of the town left 14 dead, residents said.", 14, 14, None),
        ("At least 9 people were killed in the raid.", 9, None, "at least"),
        ("Three Iraqi policemen were killed at a checkpoint near the border.", 3, 3, None),
        ("Medics said 6 civilians dead after the strike.", 6, 6, None),
        ("The blast claimed the lives of 11 worshippers.", 11, 11, None),
        ("The clashes resulted in 4 fatalities.", 4, 4, None),
        ("Between 20 and 25 fighters died in the assault on the hill.", 20, 25, "between"),
        ("Scores of villagers were massacred by the militia.", 20, None, "scores"),
        ("About 300 soldiers have been killed since the truce collapsed in 2014.", 300, 300, "cumulative"),
        ("The governor called the massacre of 31 people at the market an act of terror.", 31, 31, None),
    ],
)
def test_killed_phrasings(text, low, high, qualifier):
    c = only(text)
    assert (c.low, c.high, c.qualifier) == (low, high, qualifier)
    assert c.text == text[c.start : c.end]


def test_the_attacker_of_an_active_verb_is_not_a_victim():
    # "A suicide bomber killed ..." is no headline "Farmer killed by gunmen": the bomber did the killing
    assert [c.low for c in claims("A suicide bomber killed at least 9 people at a bus station on Monday.")
            if c.quantity == "killed"] == [9]
    assert [c.low for c in claims("Farmer killed by gunmen near his field on Monday.") if c.quantity == "killed"] == [1]


def test_a_figure_the_event_avenges_is_not_its_toll():
    found = claims("A car bomb killed 4 soldiers on Monday in revenge for the execution of six prisoners last week.")
    assert sorted((c.low, c.qualifier) for c in found if c.quantity == "killed") == [(4, None), (6, "prior")]


def test_singular_victims_count_one():
    assert only("Relatives said a 45-year-old farmer who was killed by a landmine on Monday had been herding goats.").low == 1
    assert only("A student was shot dead outside the university gates.").low == 1
    assert only("Unknown gunmen shot and killed a local judge in the market.").low == 1


def test_ordinal_victim_is_one_not_the_ordinal():
    c = only("The blast killed the fourth member of the same family this year.")
    assert c.low == 1


def test_ages_distances_and_durations_are_not_figures():
    text = (
        "Hassan, 52, said the camp lies 12 km from the front. A 17-year-old boy told us the siege "
        "lasted 40 days and that 30 minutes passed before the shelling stopped."
    )
    assert claims(text) == []


def test_populations_and_force_sizes_are_not_claims():
    text = (
        "Officials estimate a population of 400,000 is still inside the old city. An 80,000-strong force "
        "is taking part. Several thousand militants are believed to be hiding in the eastern districts."
    )
    assert claims(text) == []


def test_killed_with_wounded_in_one_sentence():
    found = claims("Two soldiers were killed and 7 wounded when their convoy hit a mine.")
    assert {(c.quantity, c.low) for c in found} == {("killed", 2), ("injured", 7)}


def test_wounding_and_injured_forms():
    assert only("Jets struck the camp on Tuesday, wounding 35, the monitor said.", "injured").low == 35
    assert only("Hospital officials said 18 people were injured in the stampede.", "injured").low == 18


# --------------------------------------------------------------------------- other quantities


def test_displaced_and_refugees():
    d = only("Around 9,000 have been displaced from the southern districts, according to local officials.", "displaced")
    assert (d.low, d.qualifier, d.source) == (9000, "about", "local officials")
    r = only("More than 12,000 Burundian refugees have crossed into Tanzania this month, the UNHCR said.", "refugees")
    assert (r.low, r.qualifier, r.source) == (12000, "more than", "UNHCR")


def test_arrested_and_abducted():
    a = only("Police arrested 40 people after the riot in the capital.", "arrested")
    assert a.low == 40
    k = only("Gunmen kidnapped 15 students from a boarding school overnight.", "abducted")
    assert k.low == 15
    assert only("The army said 23 suspects were detained in the sweep.", "arrested").low == 23


def test_forecast_is_marked():
    c = only("The agency warned that up to 250,000 people may have to flee their homes if the dam fails.", "displaced")
    assert (c.low, c.high, c.qualifier) == (250000, 250000, "forecast")


def test_cumulative_totals_are_marked():
    body = (
        "The Red Cross puts at more than 90,000 the total number of residents displaced by the fighting "
        "since June. Air raids had killed over 20,000 fighters up to March last year, officials estimated."
    )
    found = claims(body)
    disp = [c for c in found if c.quantity == "displaced"]
    kill = [c for c in found if c.quantity == "killed"]
    assert [(c.low, c.qualifier, c.source) for c in disp] == [(90000, "cumulative", "Red Cross")]
    assert [(c.low, c.qualifier) for c in kill] == [(20000, "cumulative")]
    assert all(is_aggregate(c, body) for c in found)


def test_is_aggregate_false_for_a_single_event_toll():
    body = "A car bomb killed 17 people at a bus station on Friday, police said."
    (c,) = claims(body)
    assert not is_aggregate(c, body)


# --------------------------------------------------------------------------- sums and attribution


def test_per_part_sum_with_named_victim():
    body = (
        "The Lebanon-based Monitor for Civil Rights reported heavy fighting. In the northern quarter a "
        "brigade commander was killed along with 14 others; in the south another 9 people were killed, "
        "according to the Monitor. Officials reported a lower figure of 19 people killed."
    )
    found = claims(body)
    killed = [(c.low, c.qualifier, c.source) for c in found if c.quantity == "killed"]
    assert (15, None, "Monitor for Civil Rights") in killed
    assert (9, None, "Monitor for Civil Rights") in killed
    assert (24, "sum", "Monitor for Civil Rights") in killed
    assert (19, None, "officials") in killed


def test_coordinated_parts_give_a_sum():
    found = claims("On 3 May 2021, 4 soldiers and 6 militants were killed in the clash.", agency=None)
    assert sorted(c.low for c in found if c.quantity == "killed") == [4, 6, 10]
    assert fatalities_from(found) == 10


def test_attribution_forms():
    body = (
        "The Iraqi Observatory for Civilian Casualties, a group that tracks the conflict, has counted "
        "heavy losses. More than 70 people died in the attack, the Observatory said. Two militiamen "
        "reached by telephone put the toll at no fewer than 55. State television reported a lower count of 48 "
        "dead. According to hospital figures, 61 people were killed. The United Nations says 66 civilians "
        "were killed. A war monitor said 72 were killed."
    )
    got = {c.low: c.source for c in claims(body) if c.quantity == "killed"}
    assert got[70] == "Iraqi Observatory for Civilian Casualties"
    assert got[55] == "militiamen"
    assert got[48] == "state television"
    assert got[61] == "hospital"
    assert got[66] == "United Nations"
    assert got[72] == "Iraqi Observatory for Civilian Casualties"


def test_function_words_are_not_sources():
    text = "As reported on 4 June 2020, 3 guards were killed at the gate. He said 2 more died later."
    assert {c.source for c in claims(text, agency=None)} == {None}


def test_unattributed_goes_to_agency_or_none():
    text = "Eight people were killed when the bridge was bombed."
    assert only(text, agency="AFP").source == "AFP"
    assert only(text, agency=None).source is None


def test_partisan_and_coded_notes():
    note = (
        "On 9 May 2020, 4 soldiers were killed and 2 were wounded in an ambush in the district. "
        "Fatalities coded as 0 (VoJ also reported 4 deaths)."
    )
    found = claims(note, agency=None)
    partisan = [c for c in found if is_partisan(c)]
    assert [(c.low, c.source) for c in partisan] == [(4, "Voice of Jihad")]
    # ACLED's own "coded as" bookkeeping is kept as a claim; the exported figure is the product's reconciliation
    assert [(c.low, c.qualifier) for c in found if c.qualifier == "coded"] == [(0, "coded")]


def test_lowest_source_wins_and_prior_deaths_are_not_the_event():
    body = "At least 30 people were killed, police said. Hospital officials said 41 people were killed."
    assert fatalities_from(claims(body)) == 30
    protest = claims("Hundreds protested in the town against the killing of two students by police last week.")
    assert fatalities_from(protest) is None


def test_killers_counted_by_a_number_are_not_victims():
    found = claims("Three masked men shot and killed a shopkeeper in the old market.")
    assert [(c.quantity, c.low) for c in found] == [("killed", 1)]


def test_coordinated_singular_and_plural_victims():
    found = claims("A policeman and three passers-by were killed when the device went off.", agency=None)
    assert fatalities_from(found) == 4


def test_headline_style_notes_and_bodies():
    assert only("Shopkeeper shot dead near the bus park.").low == 1
    assert only("The body of a missing teacher was found in a ditch on Sunday.").low == 1
    assert only("Two NDF (National Defence Force) fighters were killed near the dam.").low == 2


def test_running_totals_are_cumulative():
    found = claims("Another fighter was killed on Monday, bringing to 14 the number of militants killed this month.")
    assert sorted((c.low, c.qualifier) for c in found) == [(1, None), (14, "cumulative")]


def test_month_name_may_is_not_a_modal():
    c = only("Fighting on 9 May claimed the lives of six guards.")
    assert (c.low, c.qualifier) == (6, None)


def test_offsets_cover_the_phrase_and_respect_the_window():
    body = "Rebels shelled the town. More than 20 people died in the attack. Police arrested 3 men later."
    second = body.index("More")
    end = body.index("Police")
    found = find_claims(body, second, end, article_id="a", published=None, agency="Reuters")
    assert [c.quantity for c in found] == ["killed"]
    c = found[0]
    assert body[c.start : c.end] == c.text == "More than 20 people died"
    assert c.article_id == "a" and c.published is None


def test_quantities_are_from_the_model():
    body = (
        "A bomb killed 5 and wounded 12. Police detained 4 suspects. Militants abducted 6 workers. "
        "About 800 families fled the fighting. Some 3,000 refugees reached the border."
    )
    assert {c.quantity for c in claims(body)} <= set(QUANTITIES)
    assert {c.quantity for c in claims(body)} == set(QUANTITIES)


def test_sentence_splitter_keeps_abbreviations():
    text = "U.S. officials said on Feb. 3 that Gen. Smith was killed. A second sentence follows."
    spans = sentences(text)
    assert len(spans) == 2
    assert text[spans[0][0] : spans[0][1]].endswith("killed.")


# --------------------------------------------------------------------------- the user's seed (read at test time)


@pytest.fixture(scope="module")
def seed_claims(seed_file: Path) -> tuple[str, list[Claim]]:
    body = seed_file.read_text(encoding="utf-8")
    return body, find_claims(body, 0, len(body), article_id="seed", published=dt.date(2017, 2, 25), agency="Reuters")


def _find(found: list[Claim], quantity: str, low: int | None, high: int | None = None) -> list[Claim]:
    return [c for c in found if c.quantity == quantity and c.low == low and (high is None or c.high == high)]


def test_seed_al_bab(seed_claims):
    _, found = seed_claims
    assert any(c.qualifier == "more than" and c.source == "Syrian Observatory for Human Rights" for c in _find(found, "killed", 50))
    assert any(c.qualifier == "at least" and c.source == "rebels" for c in _find(found, "killed", 40))


def test_seed_homs(seed_claims):
    _, found = seed_claims
    sohr = "Syrian Observatory for Human Rights"
    assert any(c.source == sohr for c in _find(found, "killed", 30))
    assert any(c.source == sohr and c.qualifier != "sum" for c in _find(found, "killed", 12))
    assert any(c.source == sohr and c.qualifier == "sum" for c in _find(found, "killed", 42))
    assert any(c.source == "state media" for c in _find(found, "killed", 32))
    assert any(c.source == sohr for c in _find(found, "injured", 50))


def test_seed_arish_and_ordinal(seed_claims):
    _, found = seed_claims
    assert _find(found, "killed", 7, 7)
    assert not [c for c in found if "seventh" in c.text and c.low == 7]


def test_seed_mosul_displacement(seed_claims):
    body, found = seed_claims
    assert any(c.source == "government" and c.qualifier == "about" for c in _find(found, "displaced", 26000))
    assert any(c.source == "Iraqi government" and c.qualifier == "about" for c in _find(found, "displaced", 14000))
    for n in (176000, 175000):
        (c,) = _find(found, "displaced", n)
        assert c.source == "United Nations" and c.qualifier == "cumulative" and is_aggregate(c, body)
    (agg,) = _find(found, "killed", 45000)
    assert agg.qualifier == "cumulative"
    (fc,) = [c for c in found if c.high == 400000]
    assert fc.quantity == "displaced" and fc.qualifier == "forecast" and fc.source == "United Nations"


def test_seed_has_no_population_or_force_claims(seed_claims):
    body, found = seed_claims
    assert not [c for c in found if c.low in (750000, 100000) or c.high in (750000, 100000)]
    assert all(body[c.start : c.end] == c.text for c in found)
    assert {c.quantity for c in found} <= set(QUANTITIES)


# --------------------------------------------------------------------------- ACLED dev notes: accuracy gate


def _acled_dev_rows(shared: Path):
    afg = shared / "eval" / "acled-afghanistan-2020-03" / "ACLED_AFG_2020-03.csv"
    afr = shared / "eval" / "acled-africa-2016-hdx-fixture" / "ACLED_All_Africa_20160101_to_20160528.csv"
    if not afg.is_file() or not afr.is_file():
        pytest.skip("ACLED eval files absent")
    with afg.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if int(r["event_id_no_cnty"]) % 2 == 0:  # dev: even ids only
                yield "afghanistan", r["notes"], int(r["fatalities"])
    with afr.open(encoding="utf-8", errors="replace") as fh:
        for r in csv.DictReader(fh):
            digits = re.sub(r"\D", "", r["EVENT_ID_CNTY"])
            if digits and digits[-1] not in "05":  # dev: ids not ending in 0 or 5
                yield "africa", r["NOTES"], int(r["FATALITIES"] or 0)


def test_victim_list_stops_at_a_new_clause_and_more_adds_up():
    s = ("Police said one attacker blew himself up at the gate, killing four guards, and three others forced "
         "their way into the building, where five more people were killed.")
    got = {(c.qualifier, c.low) for c in find_claims(s, 0, len(s), article_id="t", published=None)
           if c.quantity == "killed"}
    assert (None, 3) not in got, "the three attackers who forced their way in are not victims"
    assert ("sum", 9) in got and (None, 4) in got and (None, 5) in got
