"""The ACLED eval library: split rules, the conservative fatality rule, and accuracy gates
on the dev split of ../shared/eval (skipped when absent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wirewatch.eval.acled import (
    conservative_fatalities,
    evaluate_acled,
    is_dev,
    is_validation,
    partisan_figures,
    read_rows,
)
from wirewatch.models import Claim


def claim(low: int, *, source: str | None = None, qualifier: str | None = None, text: str = "people killed",
          start: int = 0) -> Claim:
    return Claim("killed", low, low, qualifier, text, source, "a1", start, start + len(text))


def test_split_rules() -> None:
    assert is_dev({"EVENT_ID_CNTY": "SOM1234"}) and not is_dev({"EVENT_ID_CNTY": "SOM1235"})
    assert not is_dev({"EVENT_ID_CNTY": "NIG990"})
    assert is_dev({"event_id_no_cnty": "7012"}) and not is_dev({"event_id_no_cnty": "7013"})


def test_validation_part_is_fixed_by_id_and_read_rows_honours_it(tmp_path: Path) -> None:
    assert is_validation("SOM1236") and not is_validation("SOM1234") and not is_validation("NIG1")
    path = tmp_path / "mini.csv"
    rows = "".join(f"XYZ{i},{i},3 March 2020,Battles,Armed clash,Taliban,\"On 3 March 2020, a post was hit.\",0,1,2\n"
                   for i in (2, 4, 6, 12))
    path.write_text("event_id_cnty,event_id_no_cnty,event_date,event_type,sub_event_type,actor1,notes,fatalities,"
                    "latitude,longitude\n" + rows, encoding="utf-8")
    assert [r.event_id for r in read_rows(path, part="validation")] == ["XYZ6", "XYZ12"]
    assert [r.event_id for r in read_rows(path, part="train")] == ["XYZ2", "XYZ4"]
    assert len(list(read_rows(path))) == 4


def test_lowest_credible_source_wins() -> None:
    cs = [claim(50, source="Syrian Observatory for Human Rights", qualifier="more than", start=0),
          claim(40, source="rebels", qualifier="at least", start=40)]
    assert conservative_fatalities(cs) == 40


def test_partisan_figures_are_kept_out() -> None:
    assert conservative_fatalities([claim(12, source="Voice of Jihad")]) == 0
    assert conservative_fatalities([claim(9, source="state media"), claim(14, source="a local doctor", start=30)]) == 14


def test_unattributed_figure_repeating_a_partisan_one_is_partisan() -> None:
    text = "On 2 May, 3 guards were killed in an attack on a post. (VoJ reported 3 fatalities)"
    assert partisan_figures(text) == {3}
    assert conservative_fatalities([claim(3, text="3 guards were killed")], text=text) == 0


def test_sum_replaces_its_parts_and_different_victims_add() -> None:
    parts = [claim(30, text="30 people were killed", start=0), claim(12, text="12 people were killed", start=40)]
    total = claim(42, qualifier="sum", text="30 people were killed while 12 people were killed", start=0)
    assert conservative_fatalities([*parts, total]) == 42
    soldiers = claim(4, text="4 soldiers were killed", start=0)
    militants = claim(6, text="6 militants were also killed", source="officials", start=30)
    assert conservative_fatalities([soldiers, militants]) == 10


def test_no_claims_is_zero() -> None:
    assert conservative_fatalities([]) == 0


def test_read_rows_on_our_own_csv(tmp_path: Path) -> None:
    path = tmp_path / "mini.csv"
    path.write_text(
        "event_id_cnty,event_id_no_cnty,event_date,event_type,sub_event_type,actor1,notes,fatalities,latitude,longitude\n"
        "XYZ2,2,3 March 2020,Battles,Armed clash,Taliban,\"On 3 March 2020, militants attacked a post.\",0,34.5,69.1\n"
        "XYZ3,3,3 March 2020,Battles,Armed clash,Taliban,\"On 3 March 2020, a second post was hit.\",0,34.5,69.1\n",
        encoding="utf-8")
    rows = list(read_rows(path))
    assert [r.event_id for r in rows] == ["XYZ2"]
    assert rows[0].published == dt.date(2020, 3, 3) and rows[0].sub_event_type == "Armed clash"
    assert len(list(read_rows(path, split="all"))) == 2


# -- accuracy gates (dev split only) -------------------------------------------------------------------
AFG = "acled-afghanistan-2020-03/ACLED_AFG_2020-03.csv"
AFRICA = "acled-africa-2016-hdx-fixture/ACLED_All_Africa_20160101_to_20160528.csv"


@pytest.mark.eval
def test_gate_afghanistan_dev(shared: Path) -> None:
    pytest.importorskip("wirewatch.extract.claims")
    res = evaluate_acled(shared / "eval" / AFG, split="dev")
    assert res["rows"] == 248
    assert res["event_type"] >= 0.80, res
    assert res["sub_event_type"] >= 0.70, res
    assert res["fatalities_exact"] >= 0.85, res


@pytest.mark.eval
def test_gate_afghanistan_validation_part(shared: Path) -> None:
    """The rows the learned typer never trained on."""
    res = evaluate_acled(shared / "eval" / AFG, split="dev", part="validation")
    assert res["rows"] == 83
    assert res["event_type"] >= 0.90, res
    assert res["sub_event_type"] >= 0.85, res
    assert res["actor1"] >= 0.92, res  # measured 0.940 (2026-11-26)


@pytest.mark.eval
def test_gate_africa_dev_subset(shared: Path) -> None:
    """The first 400 rows of the validation part (never trained on by the learned typer)."""
    pytest.importorskip("wirewatch.extract.claims")
    res = evaluate_acled(shared / "eval" / AFRICA, split="dev", limit=400, part="validation")
    assert res["fatalities_exact"] >= 0.85, res
    assert res["event_type"] >= 0.785, res  # regression floor: measured 0.790 on these 400 rows (2026-11-26)


@pytest.mark.eval
def test_gate_africa_dev_full(shared: Path) -> None:
    """The whole validation part (1,822 rows the learned typer never trained on): the 0.80 gate.

    About 25 s, so it runs by default.  Measured 2026-11-26: event type 0.801 (1,460/1,822),
    fatalities 0.889, actor1 0.553.
    """
    pytest.importorskip("wirewatch.extract.claims")
    res = evaluate_acled(shared / "eval" / AFRICA, split="dev", part="validation")
    assert res["fatalities_exact"] >= 0.85, res
    assert res["event_type"] >= 0.80, res
    assert res["actor1"] >= 0.54, res  # regression floor for the actor table
