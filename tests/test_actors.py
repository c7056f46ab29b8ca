"""Actor table: aliases, per-country templates, backers, salience, user extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirewatch.extract.actors import ActorTable, ActorTableError, normalise_name, packaged_table, story_country


@pytest.fixture(scope="module")
def table() -> ActorTable:
    return ActorTable.load()


def names(table: ActorTable, text: str, country: str | None = None) -> list[str]:
    return [m.actor.name for m in table.find(text, country=country)]


def test_table_is_versioned(table: ActorTable) -> None:
    assert table.version and table.version[0].isdigit()


@pytest.mark.parametrize("alias", ["IS", "ISIS", "ISIL", "Daesh", "Islamic State"])
def test_islamic_state_aliases(table: ActorTable, alias: str) -> None:
    assert names(table, f"Yesterday {alias} shelled the town.")[0] == "Islamic State"


def test_acronym_is_case_sensitive(table: ActorTable) -> None:
    assert names(table, "The question is whether it is over.") == []


def test_government_forces_take_the_story_country(table: ActorTable) -> None:
    assert names(table, "government forces advanced", country="Syria") == ["Military Forces of Syria"]
    assert names(table, "government forces advanced", country="Yemen") == ["Military Forces of Yemen"]


def test_nationality_beats_story_country(table: ActorTable) -> None:
    got = names(table, "Turkish soldiers and Iraqi police met the Syrian army", country="Iraq")
    assert got == ["Military Forces of Turkey", "Police Forces of Iraq", "Military Forces of Syria"]


def test_backer_becomes_associated_actor(table: ActorTable) -> None:
    (m,) = [m for m in table.find("Moscow-allied, Russian-backed Syrian government forces pressed on.")
            if m.actor.inter == 1 and m.actor.country == "Syria"]
    assert m.backer is not None and m.backer.name == "Military Forces of Russia"


def test_iraqi_units_and_police(table: ActorTable) -> None:
    got = names(table, "The Counter Terrorism Service linked up with Rapid Response and Federal Police units.")
    assert got == ["Military Forces of Iraq", "Police Forces of Iraq", "Police Forces of Iraq"]


@pytest.mark.parametrize(
    "text,name,inter",
    [
        ("Tahrir al-Sham fighters attacked", "Hayat Tahrir al-Sham", 2),
        ("the SDF advanced", "Syrian Democratic Forces", 2),
        ("PMF units moved", "Popular Mobilization Forces", 3),
        ("al-Shabaab gunmen stormed", "Al Shabaab", 2),
        ("Houthi rebels fired", "Houthi Movement", 2),
        ("Taliban militants attacked", "Taliban", 2),
        ("Boko Haram insurgents raided", "Boko Haram", 2),
    ],
)
def test_named_groups(table: ActorTable, text: str, name: str, inter: int) -> None:
    m = table.find(text)[0]
    assert (m.actor.name, m.actor.inter) == (name, inter)


def test_generic_militants_resolve_to_salient_group(table: ActorTable) -> None:
    text = "Islamic State held the town. Later the jihadists withdrew and Islamic State lost it."
    matches = table.find(text, country="Syria")
    salient = [m.actor for m in matches if m.actor.armed_non_state]
    generic = next(m for m in matches if m.text == "jihadists")
    assert table.resolve_generic(generic, salient=salient, country="Syria").name == "Islamic State"
    assert table.resolve_generic(generic, salient=[], country="Mali").name == "Unidentified Armed Group (Mali)"


def test_civilians_inter_7(table: ActorTable) -> None:
    m = table.find("villagers fled", country="Nigeria")[0]
    assert (m.actor.name, m.actor.inter) == ("Civilians (Nigeria)", 7)


def test_story_country_prefers_named_country_over_dateline() -> None:
    text = "Syrian troops shelled a village. The Syrian army said the town in Syria was retaken."
    assert story_country(text, dateline_country="Lebanon") == "Syria"
    assert story_country("No country here.", dateline_country="Egypt") == "Egypt"


def test_user_extension_adds_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text("# my actors\tversion\tlocal-3\nNorthern Hills Brigade\t3\tRuritania\tmilitia\tHills Brigade\tNHB\n"
                     "Popular Mobilization Forces\t1\tIraq\tstate\tPMF\n", encoding="utf-8")
    table = ActorTable.load(extra=extra)
    assert table.version.endswith("+local-3")
    m = table.find("the NHB and the PMF")
    assert [(x.actor.name, x.actor.inter) for x in m] == [("Northern Hills Brigade", 3), ("Popular Mobilization Forces", 1)]


def test_bad_extension_row_raises(tmp_path: Path) -> None:
    extra = tmp_path / "bad.tsv"
    extra.write_text("Someone\tnine\tX\ttag\talias\n", encoding="utf-8")
    with pytest.raises(ActorTableError):
        ActorTable.load(extra=extra)


def test_normalise_name_matches_acled_variants() -> None:
    assert normalise_name("Military Forces of Afghanistan (2014-) Special Forces") == "military forces of afghanistan"
    assert normalise_name("Boko Haram - Wilayat Gharb Ifriqiyyah") == normalise_name("Boko Haram")
    assert normalise_name("Islamic State (Afghanistan)") == "islamic state"


# -- session 6: ACLED names of 2016 African actors, and actors as country evidence --------------------------
@pytest.mark.parametrize(
    "text,name,inter",
    [
        ("SPLA-IO forces attacked the garrison", "SPLA/M-In Opposition: Sudanese People's Liberation Army/Movement-In Opposition", 2),
        ("Renamo gunmen ambushed a bus", "RENAMO: Mozambican National Resistance", 3),
        ("an OLA unit killed an official", "OLA: Oromo Liberation Army", 2),
        ("FRPI militiamen looted the village", "FRPI: Front for Patriotic Resistance of Ituri", 3),
        ("Murle raiders took cattle", "Murle Ethnic Militia", 4),
        ("RSF troops burned huts", "RSF: Rapid Support Forces", 3),
        ("SLA-AW fighters repelled the army", "SLM/A-Nur: Sudan Liberation Movement/Army (Abdul Wahid al-Nur Faction)", 2),
        ("Somaliland police arrested him", "Police Forces of Somaliland", 1),
        ("SNG police on patrol were attacked", "Police Forces of Somalia", 1),
        ("NISS agents detained him", "Police Forces of Sudan", 1),
    ],
)
def test_named_african_groups_take_acled_names(table: ActorTable, text: str, name: str, inter: int) -> None:
    m = table.find(text)[0]
    assert (m.actor.name, m.actor.inter) == (name, inter)


def test_new_names_match_acled_exports_loosely() -> None:
    assert normalise_name("SPLA/M-In Opposition: Sudanese People's Liberation Army/Movement-In Opposition") == \
        normalise_name("SPLA/M-In Opposition (South Sudan)")
    assert normalise_name("Military Forces of Somaliland") == normalise_name("Military Forces of Somaliland (1991-)")


def test_named_actors_vote_for_their_country(table: ActorTable) -> None:
    """A terse note names no country, only its actors: "SNA" and "AMISOM" point to Somalia."""
    text = "SNA and AMISOM troops clashed with militants near Afgooye. Soldiers said two died."
    votes = table.country_votes(text)
    assert set(votes) == {"Somalia"} and votes["Somalia"] == pytest.approx(1.0)  # two distinct names, 0.5 each
    assert story_country(text, actor_votes=votes) == "Somalia"
    assert names(table, "soldiers fired", country=story_country(text, actor_votes=votes)) == \
        ["Military Forces of Somalia"]
    # a demonym outweighs one actor's vote
    assert story_country("Kenyan police said the Kenyan army shot two al-Shabaab men.",
                         actor_votes=table.country_votes("al-Shabaab")) == "Kenya"
    # generic templates and countryless groups do not vote
    assert table.country_votes("Gunmen and Islamic State militants attacked soldiers.") == {}


def test_armed_groups_are_rebels_and_militias_not_state_forces(table: ActorTable) -> None:
    text = "Police and soldiers clashed with OLA fighters in Nekemte while Nyatura militiamen held Kitchanga."
    got = table.armed_groups(text)
    assert [(m.actor.name, m.actor.inter) for m in got] == [
        ("OLA: Oromo Liberation Army", 2), ("Mayi Mayi Militia (Nyatura)", 3)]
    assert text[got[0].start:got[0].end] == "OLA"
    # police and soldiers are found, as state forces (inter 1), and left out
    assert {m.text: m.actor.inter for m in table.find(text)}["Police"] == 1
    assert {m.text: m.actor.inter for m in table.find(text)}["soldiers"] == 1


def test_armed_groups_skip_generic_words_and_offsets_shift(table: ActorTable) -> None:
    assert table.armed_groups("Gunmen and militants fought rebels and the army near the border.") == []
    (m,) = table.armed_groups("Two Renamo men surrendered.", offset=100)
    assert (m.start, m.end, m.text, m.actor.inter) == (104, 114, "Renamo men", 3)


def test_armed_groups_follow_a_user_extension(tmp_path: Path) -> None:
    extra = tmp_path / "more.tsv"
    extra.write_text("Kivu Lions Militia\t3\tDemocratic Republic of Congo\tmilitia\tKivu Lions\n", encoding="utf-8")
    text = "Police arrested two Kivu Lions recruiters in Goma."
    assert ActorTable.load().armed_groups(text) == []
    (m,) = ActorTable.load(extra=extra).armed_groups(text)
    assert m.actor.name == "Kivu Lions Militia"


def test_packaged_table_is_loaded_once() -> None:
    assert packaged_table() is packaged_table()
    assert packaged_table().version == ActorTable.load().version
