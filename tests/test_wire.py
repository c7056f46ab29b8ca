"""Splitting wire dumps into reports and parsing each report."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reuters_dumps import reuters_dumps, reuters_text
from wirewatch.ingest.wire import article_id, parse_byline, parse_dateline, split_articles
from wirewatch.models import Article, RawInput

DATA = Path(__file__).parent / "data"


def split_text(text: str, **kw) -> list[Article]:
    return split_articles(RawInput(origin="test", text=text, **kw))


def assert_consistent(text: str, articles: list[Article]) -> None:
    """Offsets point into the input; articles are in order, disjoint, and cover every non-blank line."""
    prev_end = -1
    for a in articles:
        assert text[a.offset:a.offset + len(a.text)] == a.text
        assert a.text[a.body_start:a.body_start + len(a.body)] == a.body
        assert a.offset > prev_end
        prev_end = a.offset + len(a.text) - 1
        assert a.id == article_id(a.text, a.external_id)
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            end = start + len(stripped)
            owners = [a for a in articles if a.offset <= start and end <= a.offset + len(a.text)]
            assert len(owners) == 1, (line, len(owners))
        pos += len(line) + 1


# ---------------------------------------------------------------------------
# the project's own sample

SAMPLE_EXPECTED = [
    # headline line, dateline, places, country, bylines, caption dates, file photo flags, refile notes
    (1, "BEIRUT", ["Beirut"], None, ["Lina Sayegh", "Tom Hartley"], ["2017-03-06"], [False], 0),
    (27, "MAIDUGURI, Nigeria", ["Maiduguri"], "Nigeria", [], [], [], 0),
    (43, "JALALABAD, Afghanistan", ["Jalalabad"], "Afghanistan", ["Farid Noori", "James Mackay"], ["2017-03-05"],
     [False], 0),
    (67, "RIYADH", ["Riyadh"], None, ["Nadia Karim"], ["2016-08-06"], [True], 0),
    (85, "ADEN", ["Aden"], None, [], ["2017-03-04"], [False], 1),
    (103, "LASHKAR GAH, Afghanistan", ["Lashkar Gah"], "Afghanistan", [], [None], [False], 0),
    (117, "MOGADISHU", ["Mogadishu"], None, ["Abdi Warsame"], ["2017-03-03"], [False], 0),
    (133, "LAGOS", ["Lagos"], None, [], [], [], 0),
    (145, "KANO, Nigeria", ["Kano"], "Nigeria", ["Aminu Bello", "Clare Benson"], ["2017-03-02"], [False], 0),
    (163, "MAIDUGURI, Nigeria", ["Maiduguri"], "Nigeria", ["Musa Abdullahi"], ["2017-03-01"], [False], 0),
    (183, "KADUNA, Nigeria", ["Kaduna"], "Nigeria", ["Chika Obi", "Aminu Bello", "Peter Lang"], ["2017-03-01"],
     [False], 0),
]


def test_sample_wire_splits_into_its_reports(sample_wire: Path) -> None:
    text = sample_wire.read_text(encoding="utf-8")
    lines = text.split("\n")
    articles = split_text(text)
    assert_consistent(text, articles)
    assert len(articles) == len(SAMPLE_EXPECTED)
    for a, (hl, dateline, places, country, bylines, cdates, fphoto, refiles) in zip(articles, SAMPLE_EXPECTED):
        assert text[:a.offset].count("\n") + 1 == hl
        assert a.headline == lines[hl - 1]
        assert a.agency == "Reuters"
        assert (a.dateline, a.dateline_places, a.dateline_country) == (dateline, places, country)
        assert a.bylines == bylines
        assert [c.date.isoformat() if c.date else None for c in a.captions] == cdates
        assert [c.file_photo for c in a.captions] == fphoto
        assert len(a.refile_notes) == refiles
        assert a.credits and a.credits.startswith("(") and "by" in a.credits.lower()
        # the body starts after the dateline and stops before the credits
        lede = lines[text[:a.offset + a.body_start].count("\n")]
        assert lede.startswith(dateline) and a.body[:40] in lede
        assert "(Reporting" not in a.body and "Editing by" not in a.body
        assert a.published is None and a.published_basis == "unknown"


def test_sample_keeps_section_headings_in_the_body(sample_wire: Path) -> None:
    articles = split_text(sample_wire.read_text(encoding="utf-8"))
    assert "\nBORDER CROSSING\n" in articles[0].body
    assert "\nLONG WAR\n" in articles[9].body


def test_splitting_does_not_need_credits_or_blank_lines(sample_wire: Path) -> None:
    text = sample_wire.read_text(encoding="utf-8")
    expected = [a.headline for a in split_text(text)]
    no_credits = "\n".join(ln for ln in text.split("\n") if not ln.startswith("("))
    assert [a.headline for a in split_text(no_credits)] == expected
    no_blanks = "\n".join(ln for ln in text.split("\n") if ln.strip())
    assert [a.headline for a in split_text(no_blanks)] == expected


def test_same_content_same_id_whatever_the_spacing(sample_wire: Path) -> None:
    text = sample_wire.read_text(encoding="utf-8")
    first = split_text(text)
    respaced = split_text("\n\n\n" + text.replace("\n\n", "\n \n\n").replace(". ", ".  "))
    assert [a.id for a in first] == [a.id for a in respaced]
    assert len({a.id for a in first}) == len(first)


# ---------------------------------------------------------------------------
# the user's seed, against a hand annotation that identifies reports by line number


def test_seed_dump_matches_annotation(seed_file: Path) -> None:
    ann = json.loads((DATA / "seed_annotation.json").read_text(encoding="utf-8"))
    raw_bytes = seed_file.read_bytes()
    if hashlib.sha256(raw_bytes).hexdigest() != ann["sha256"]:
        pytest.skip("the seed file is not the annotated one")
    text = raw_bytes.decode("utf-8")
    lines = text.split("\n")
    articles = split_text(text)
    assert_consistent(text, articles)
    assert len(articles) == len(ann["articles"]) == 10
    for a, exp in zip(articles, ann["articles"]):
        first = text[:a.offset].count("\n") + 1
        last = text[:a.offset + len(a.text)].count("\n") + 1
        assert (first, last) == (exp["headline_line"], exp["last_line"])
        assert a.headline == lines[exp["headline_line"] - 1]
        for key in ("agency", "dateline", "dateline_places", "dateline_country", "bylines"):
            assert getattr(a, key) == exp[key], (first, key)
        assert [{"date": c.date.isoformat() if c.date else None, "file_photo": c.file_photo}
                for c in a.captions] == exp["captions"], first
        assert len(a.refile_notes) == exp["refile_notes"]
        assert bool(a.credits) == exp["has_credits"]
        assert not a.body.startswith(a.dateline)


# ---------------------------------------------------------------------------
# other shapes of input


def test_single_afp_article_without_byline_or_caption() -> None:
    text = (DATA / "single_afp.txt").read_text(encoding="utf-8")
    (a,) = split_text(text)
    assert a.headline == text.split("\n")[0]
    assert (a.agency, a.dateline, a.dateline_places) == ("AFP", "Idlib", ["Idlib"])
    assert a.body.startswith("Government shelling killed three civilians")
    assert a.body.endswith("aged 10 and 12.")
    assert a.credits is None and a.captions == []


def test_article_without_dateline_keeps_headline_body_and_credits() -> None:
    text = (DATA / "no_dateline.txt").read_text(encoding="utf-8")
    (a,) = split_text(text)
    assert a.headline == "Floods cut roads across southern Somalia"
    assert a.dateline is None and a.agency is None and a.dateline_places == []
    assert a.body.startswith("Heavy rain has cut") and a.body.endswith("higher ground.")
    assert a.credits == "(Reporting by Abdi Warsame; Editing by Clare Benson)"


def test_plain_paragraphs_without_headline_are_all_body() -> None:
    text = "Troops moved into the town early in the day.\n\nResidents said the shooting stopped by noon.\n"
    (a,) = split_text(text)
    assert a.headline is None
    assert a.body == text.strip()


def test_xinhua_dateline_with_a_date() -> None:
    (a,) = split_text((DATA / "xinhua.txt").read_text(encoding="utf-8"))
    assert (a.agency, a.dateline, a.dateline_places, a.dateline_country) == (
        "Xinhua", "DAMASCUS, March 4", ["Damascus"], None)
    assert a.body.startswith("The Syrian army on Saturday")


def test_jsonl_article_is_not_split_and_uses_its_title() -> None:
    text = ("BAGHDAD (Reuters) - Iraqi forces said on Sunday they had retaken a village.\n\n"
            "MOSUL, Iraq (Reuters) - A second dateline.")
    (a,) = split_text(text, single_article=True, title="Iraqi forces retake village", external_id="x9",
                      published=dt.date(2017, 3, 5), published_basis="metadata")
    assert a.headline == "Iraqi forces retake village"
    assert a.dateline == "BAGHDAD" and a.external_id == "x9"
    assert (a.published, a.published_basis) == (dt.date(2017, 3, 5), "metadata")
    assert a.body.startswith("Iraqi forces said") and a.body.endswith("A second dateline.")


def test_user_date_is_carried_with_its_basis(sample_wire: Path) -> None:
    arts = split_text(sample_wire.read_text(encoding="utf-8"), published=dt.date(2017, 3, 7),
                      published_basis="user")
    assert {(a.published, a.published_basis) for a in arts} == {(dt.date(2017, 3, 7), "user")}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("MOSUL, Iraq (Reuters) – Iraqi forces", ("MOSUL, Iraq", ["Mosul"], "Iraq", "Reuters")),
        ("BEIRUT/ISTANBUL (Reuters) — A car bomb", ("BEIRUT/ISTANBUL", ["Beirut", "Istanbul"], None, "Reuters")),
        ("KHARTOUM (Reuters) - More than", ("KHARTOUM", ["Khartoum"], None, "Reuters")),
        ("N'DJAMENA, Chad (AP) — Gunmen", ("N'DJAMENA, Chad", ["N'Djamena"], "Chad", "AP")),
        ("Kabul (AFP) - A bomb", ("Kabul", ["Kabul"], None, "AFP")),
        ("AL-BAB, Syria (SANA) -- Troops", ("AL-BAB, Syria", ["Al-Bab"], "Syria", "SANA")),
    ],
)
def test_parse_dateline(line: str, expected: tuple) -> None:
    d = parse_dateline(line)
    assert d is not None
    assert (d.dateline, d.places, d.country, d.agency) == expected
    assert line[d.end:].strip() and not line[d.end].isspace()


@pytest.mark.parametrize(
    "line",
    [
        "Tahrir al-Sham (HTS) – a jihadist alliance – said it was behind the attack.",
        "The army said (in a statement) - that it had advanced.",
        "In 2016 (Reuters) - nothing",
        "(Reporting by Tom; Editing by Ann)",
    ],
)
def test_not_datelines(line: str) -> None:
    assert parse_dateline(line) is None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Isabel Coles and Maher Chmaytelli", ["Isabel Coles", "Maher Chmaytelli"]),
        ("By John Irish, Stephanie Nebehay and Tom Miles", ["John Irish", "Stephanie Nebehay", "Tom Miles"]),
        ("By Idrees Ali", ["Idrees Ali"]),
        ("By late afternoon, the army had entered the town.", None),
        ("By 2015 the group held half the province", None),
    ],
)
def test_parse_byline(line: str, names: list[str] | None) -> None:
    assert parse_byline(line) == names


# ---------------------------------------------------------------------------
# properties over generated dumps

_words = st.sampled_from(
    ["army", "rebels", "village", "town", "forces", "attack", "police", "convoy", "market", "border",
     "talks", "refugees", "officials", "bomb", "strike", "militants", "road", "camp", "aid", "troops"])
_cap = st.sampled_from(["Syrian", "Iraqi", "Afghan", "Somali", "Nigerian", "Yemeni", "Government", "Rebel"])
_names = st.lists(st.sampled_from(["Ann Lee", "Omar Said", "Ruth Bader", "Ali Khan", "Mia Wong"]),
                  min_size=1, max_size=3, unique=True)
_places = st.sampled_from(["BEIRUT", "MOSUL, Iraq", "KABUL", "ADEN, Yemen", "MOGADISHU", "ABUJA/LAGOS"])


@st.composite
def _sentence(draw) -> str:
    return draw(_cap) + " " + " ".join(draw(st.lists(_words, min_size=4, max_size=14))) + "."


@st.composite
def _report(draw) -> tuple[str, list[str], str]:
    headline = draw(_cap) + " " + " ".join(draw(st.lists(_words, min_size=2, max_size=8)))
    parts = [headline]
    if draw(st.booleans()):
        day = draw(st.integers(1, 28))
        credit = draw(st.sampled_from([" REUTERS/Ann Lee", " REUTERS/Ann Lee/File Photo", ""]))
        parts.append(draw(_sentence())[:-1] + f" in Mosul, Iraq February {day}, 2017." + credit)
    names = draw(st.one_of(st.just([]), _names))
    if names:
        parts.append("By " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]))
    place = draw(_places)
    dash = draw(st.sampled_from(["–", "—", "-"]))
    parts.append(f"{place} (Reuters) {dash} " + draw(_sentence()))
    for _ in range(draw(st.integers(0, 6))):
        parts.append(draw(st.one_of(_sentence(), _sentence(), st.just("SECTION HEADING"))))
    if draw(st.booleans()):
        parts.append("(This story has been refiled to fix a typo in paragraph 2)")
    if draw(st.booleans()):
        parts.append("(Reporting by Ann Lee; Editing by Omar Said)")
    return headline, names, "\n\n".join(parts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_report(), min_size=1, max_size=8), st.sampled_from(["\n\n", "\n", "\n\n\n"]))
def test_generated_dumps_split_into_their_reports(reports, sep) -> None:
    text = sep.join(r[2] if sep == "\n\n" else r[2].replace("\n\n", sep) for r in reports)
    articles = split_text(text)
    assert_consistent(text, articles)
    assert [a.headline for a in articles] == [r[0] for r in reports]
    assert [a.bylines for a in articles] == [r[1] for r in reports]


_noise_line = st.one_of(
    st.text(min_size=0, max_size=60),
    _sentence(),
    st.just("BEIRUT (Reuters) – Something happened."),
    st.just("(Reporting by Ann Lee; Editing by Omar Said)"),
    st.just("By Ann Lee and Ali Khan"),
    st.just("A caption of a scene in Kabul, Afghanistan March 1, 2017. REUTERS/Ann Lee"),
    st.just("Short headline here"),
    st.just(""),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_noise_line, max_size=40))
def test_splitting_never_loses_or_duplicates_text(lines) -> None:
    text = "\n".join(lines)
    articles = split_text(text)
    assert_consistent(text, articles)
    if text.strip():
        assert articles


# ---------------------------------------------------------------------------
# linear time


def _tiny_dump(n: int) -> str:
    one = ("Bomb hits market in town {i}\n\nKABUL (Reuters) – A bomb hit a market in town {i} on Monday, "
           "police said.\n\n(Reporting by Ann Lee)\n\n")
    return "".join(one.format(i=i) for i in range(n))


def test_ten_thousand_tiny_articles_split() -> None:
    articles = split_text(_tiny_dump(10_000))
    assert len(articles) == 10_000
    assert articles[-1].headline == "Bomb hits market in town 9999"


@pytest.mark.slow
def test_hundred_megabytes_split(sample_wire: Path) -> None:
    one = sample_wire.read_text(encoding="utf-8") + "\n"
    copies = 100_000_000 // len(one.encode("utf-8")) + 1
    assert len(split_text(one * copies)) == 11 * copies


# ---------------------------------------------------------------------------
# real stories (../shared/eval, dev): Reuters 2016 stories, given back their
# "PLACE (Reuters) -" prefix, concatenated ten at a time without credits


@pytest.mark.eval
def test_real_stories_split_back_into_their_reports(shared: Path) -> None:
    dumps = reuters_dumps(shared)
    right_count = right_headline = total = 0
    for rows in dumps:
        text = reuters_text(rows)
        articles = split_text(text)
        assert_consistent(text, articles)
        right_count += len(articles) == len(rows)
        heads = [a.headline for a in articles]
        right_headline += sum(r["title"] in heads for r in rows)
        total += len(rows)
    # measured: 190/190 dumps, 1899/1900 headlines (one headline ends with a full stop)
    assert right_count / len(dumps) >= 0.98
    assert right_headline / total >= 0.995


def test_correction_note_above_the_dateline_is_a_refile_note_not_a_headline() -> None:
    text = ("Bomb hits bus in Kabul\n\nKABUL (Reuters) - A bomb hit a bus on Monday, police said.\n\n"
            "Troops arrive in Kunduz\n\n(Corrects number of troops in paragraph 2)\n\n"
            "KUNDUZ, Afghanistan (Reuters) - Troops arrived on Tuesday.\n\nThere were 300 of them.\n")
    first, second = split_text(text)
    assert first.headline == "Bomb hits bus in Kabul" and first.body.endswith("police said.")
    assert second.headline == "Troops arrive in Kunduz"
    assert second.refile_notes == ["(Corrects number of troops in paragraph 2)"]
    assert second.body == "Troops arrived on Tuesday.\n\nThere were 300 of them."


def test_notes_after_the_credits_stay_with_their_report() -> None:
    text = ("Bomb hits bus in Kabul\n\nKABUL (Reuters) - A bomb hit a bus on Monday, police said.\n\n"
            "(Reporting by Ann Lee; Editing by Omar Said)\n\n"
            "This coverage was sponsored by a company with no editorial say in it.\n\n"
            "Troops arrive in Kunduz\n\nKUNDUZ, Afghanistan (Reuters) - Troops arrived on Tuesday.\n")
    first, second = split_text(text)
    assert first.text.endswith("no editorial say in it.")
    assert first.body == "A bomb hit a bus on Monday, police said."
    assert first.credits is not None and first.credits.startswith("(Reporting by Ann Lee")
    assert second.headline == "Troops arrive in Kunduz"
