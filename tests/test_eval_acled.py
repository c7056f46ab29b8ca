"""`wirewatch eval acled`: the notes go through ingest -> export, the figures are the acceptance scorer's.

Unit tests on our own small CSVs; an agreement test with ../shared/eval/score/acled.py (same inputs,
same figures from the same exported records); the gates on every dev note, pinned at the CLI's figures.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from wirewatch.eval.acled import DEV_SETS, GoldRow, dev_rows, read_rows, score
from wirewatch.eval.runner import run_product


def gold(id_: str, *, fat: int = 0, sub: str | None = "Armed clash", types=("Battles",), lat=34.5, lon=69.1,
         set_: str = "s") -> GoldRow:
    return GoldRow(set=set_, id=id_, event_id=id_, notes="n", published=dt.date(2020, 3, 3), types=types,
                   sub_event_type=sub, fatalities=fat, actor1="Taliban", latitude=lat, longitude=lon)


def event(ext: str, *, fat=0, type_="Battles", sub="Armed clash", lat=34.5, lon=69.1, actor1="Taliban") -> dict:
    return {"event_type": type_, "sub_event_type": sub, "fatalities": fat, "latitude": lat, "longitude": lon,
            "actor1": actor1, "sources": [{"external_id": ext}]}


def test_read_rows_current_schema_skips_held_out_and_empty_notes(tmp_path: Path) -> None:
    path = tmp_path / "mini.csv"
    path.write_text(
        "event_id_cnty,event_id_no_cnty,event_date,event_type,sub_event_type,actor1,notes,fatalities,latitude,longitude\n"
        "XYZ2,2,3 March 2020,Battles,Armed clash,Taliban,\"On 3 March 2020, militants attacked a post.\",1,34.5,69.1\n"
        "XYZ3,3,9-May-20,Battles,Armed clash,Taliban,\"On 9 May 2020, a second post was hit.\",0,34.5,69.1\n"
        "XYZ4,4,3 March 2020,Battles,Armed clash,Taliban,,0,34.5,69.1\n",
        encoding="utf-8")
    rows = list(read_rows(path, set_name="t", prefix="t-", held_out=lambda r: int(r["event_id_no_cnty"]) % 2 == 1))
    assert [r.id for r in rows] == ["t-XYZ2"]
    assert rows[0].published == dt.date(2020, 3, 3) and rows[0].sub_event_type == "Armed clash"
    assert rows[0].input_line() == {"id": "t-XYZ2", "text": "On 3 March 2020, militants attacked a post.",
                                    "published": "2020-03-03"}
    assert [r.published for r in read_rows(path, set_name="t", prefix="t-")] == [dt.date(2020, 3, 3),
                                                                               dt.date(2020, 5, 9)]


def test_read_rows_old_schema_maps_types_and_has_no_sub_types(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,ACTOR1,NOTES,FATALITIES,LATITUDE,LONGITUDE\n"
        "ABC11,04/02/2016,Riots/Protests,Protesters (Kenya),Traders marched to the county offices.,0,-1.3,36.8\n",
        encoding="utf-8")
    [row] = read_rows(path, set_name="old", prefix="o-")
    assert row.types == ("Protests", "Riots") and row.sub_event_type is None
    assert row.published == dt.date(2016, 2, 4)


def test_score_main_event_fatalities_location_and_sub_types() -> None:
    g = [gold("a", fat=5), gold("b", fat=0, sub="Shelling/artillery/missile attack",
                                types=("Explosions/Remote violence",)), gold("c"), gold("d", fat=3)]
    events = [
        event("a", fat=2), event("a", fat=3, lat=35.0),          # the sum (5) is ACLED's; main = the 3, 55 km off
        event("b", type_="Explosions/Remote violence", sub="Air/drone strike"),
        event("d", fat=3, type_="Strategic developments", sub="Looting/property destruction"),
        event("d", fat=3),                                         # tie on fatalities: not the SD
    ]
    res = score(g, events)["all"]
    assert res["notes"] == 4 and res["with_events"] == 3
    assert res["event_type"] == 0.75                      # a, b, d right; c has no event
    assert res["fatalities_exact"] == 0.75                # a by the sum, b 0, d 3; c wrong (no event)
    assert res["location_25km"] == 0.5                    # b and d; a's main is 55 km off
    # sub-types: gold Armed clash x3 (predicted for a and d), Shelling x1 (predicted Air strike)
    assert res["sub_type_accuracy"] == 0.5
    assert res["sub_type_macro_f1"] == round((0.8 + 0.0) / 2, 4)
    assert res["sub_type_weighted_f1"] == round(3 * 0.8 / 4, 4)


def test_score_splits_by_set() -> None:
    res = score([gold("a", set_="x"), gold("b", set_="y")], [event("a")])
    assert res["x"]["event_type"] == 1.0 and res["y"]["event_type"] == 0.0 and res["all"]["event_type"] == 0.5


def test_user_csv_through_the_product(tmp_path: Path) -> None:
    """Our own notes, ingested and exported as a user would: a clear bombing gets its type and place."""
    path = tmp_path / "own.csv"
    path.write_text(
        "event_id_cnty,event_id_no_cnty,event_date,event_type,sub_event_type,actor1,notes,fatalities,latitude,longitude\n"
        "TST1,1,14 March 2020,Explosions/Remote violence,Remote explosive/landmine/IED,Unidentified Armed Group (Afghanistan),"
        "\"On 14 March 2020, a roadside bomb killed 3 civilians in Kandahar city, Kandahar province.\",3,31.61,65.71\n",
        encoding="utf-8")
    rows = list(read_rows(path, set_name="own", prefix="own-"))
    out = run_product([r.input_line() for r in rows], workers=1)
    res = score(rows, out.events)["all"]
    assert res["with_events"] == 1 and res["event_type"] == 1.0, out.events
    assert res["location_25km"] == 1.0 and res["fatalities_exact"] == 1.0, out.events


# -- against the acceptance scorer --------------------------------------------------------------------


def _scorer(eval_data: Path):
    path = eval_data / "score" / "acled.py"
    if not path.exists():
        pytest.fail(f"{path} is missing")
    spec = importlib.util.spec_from_file_location("shared_acled_scorer", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.eval
def test_inputs_are_the_acceptance_scorers(eval_data: Path) -> None:
    """The same dev notes, ids, texts and dates, in the same order, as `score/acled.py input`."""
    out = subprocess.run([sys.executable, str(eval_data / "score" / "acled.py"), "input"], capture_output=True,
                         text=True, check=True).stdout
    theirs = [json.loads(line) for line in out.splitlines() if line.strip()]
    ours = [g.input_line() for g in dev_rows(eval_data)]
    assert len(ours) == len(theirs) == 9092
    assert ours == theirs


@pytest.mark.eval
def test_figures_agree_with_the_acceptance_scorer_on_a_slice(eval_data: Path) -> None:
    """40 notes of each set through the product; both scorers read the same export and must agree."""
    mod = _scorer(eval_data)
    rows = dev_rows(eval_data)
    picked = [r for s in DEV_SETS for r in [x for x in rows if x.set == s.name][:40]]
    out = run_product([r.input_line() for r in picked])
    ours = score(picked, out.events)
    ids = {r.id for r in picked}
    their_gold = {r["id"]: r for r in mod.rows() if r["id"] in ids}
    by: dict[str, list[dict]] = {}
    for e in out.events:
        for s in e.get("sources") or []:
            if s.get("external_id") in their_gold:
                by.setdefault(s["external_id"], []).append(e)
    theirs = {"all": mod._score(their_gold, by)}
    for s in DEV_SETS:
        theirs[s.name] = mod._score({k: v for k, v in their_gold.items() if v["set"] == s.name}, by)
    for part, figures in theirs.items():
        assert figures["notes"] == 40 * (3 if part == "all" else 1)
        assert {k: ours[part][k] for k in figures} == figures, part


# -- the gates: every dev note through ingest -> export ------------------------------------------------
# Floors = the CLI's figures when the gate was set (they only ever go up, but for one named below). Measured by
# `wirewatch eval acled` (= ../shared/eval/score/run acled) on 2026-12-07, session 11: after article ids that
# include the input's own id (402 word-for-word identical notes were folded into one article, so the second
# note's id never came back) and the gunfire cues (shoot-outs, "fired <weapon> at", observed fire). The typer
# trains on every dev note, so these are regression floors, not estimates of held-out accuracy
# (scripts/cv_typer.py gives the honest k-fold figure; see README).
# Lowered on purpose: afg sub_type_macro_f1 0.8611 -> 0.8601. Two Afghanistan notes that had no event (their
# text was identical to another note's) are now scored: one right (Armed clash), one merged into an IED event,
# which costs the IED class a little precision.
# Then the toll rules (a bare count sentence after an incident joins it; a number right after "killing" is no
# longer read as the injured of a list that follows): fatalities up overall (0.8275 -> 0.8292), Africa
# (0.8362 -> 0.8373) and global (0.8172 -> 0.821); lowered on purpose: afg fatalities 0.7782 -> 0.7621 (four
# notes ACLED codes 0 because the figure is a party outlet's: they scored right only while the killed count
# was misread as injured) and event type all 0.86 -> 0.8597, Africa 0.8532 -> 0.8527 (3 notes).
# Raised in session 12 (every figure up or equal): the event's town before the place that holds it ("A, B",
# "A district of the B region") and a home country from demonyms when places give none (place all 0.4525 ->
# 0.455); non-violent sub-types export no fatalities of their own, one victim of a larger toll in the same
# report does not lower it, "A suicide bomber killed 9" gives no victim of 1 (fatalities 0.8292 -> 0.8318).
FLOORS = {
    "all": {"event_type": 0.86, "fatalities_exact": 0.8318, "location_25km": 0.455,
            "sub_type_weighted_f1": 0.8716, "sub_type_macro_f1": 0.6717},
    "africa-2016": {"event_type": 0.853, "fatalities_exact": 0.8402, "location_25km": 0.3704},
    "afg": {"event_type": 0.9556, "fatalities_exact": 0.7661, "location_25km": 0.5927,
            "sub_type_weighted_f1": 0.9603, "sub_type_macro_f1": 0.8601},
    "glob": {"event_type": 0.8642, "fatalities_exact": 0.8231, "location_25km": 0.5817,
             "sub_type_weighted_f1": 0.8646, "sub_type_macro_f1": 0.6726},
}


@pytest.fixture(scope="module")
def acled_dev_figures(eval_data: Path) -> dict:
    from wirewatch.eval.acled import evaluate

    return evaluate(dev_rows(eval_data))


@pytest.mark.eval
@pytest.mark.parametrize("part", sorted(FLOORS))
def test_gate_acled_dev(acled_dev_figures: dict, part: str, gate) -> None:
    assert acled_dev_figures["inputs_failed"] == 0
    for key, floor in FLOORS[part].items():
        gate(f"acled/{part}/{key}", acled_dev_figures[part][key], floor)
