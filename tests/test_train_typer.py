"""scripts/train_typer.py: deterministic fits, folds by note id, the product's own retype in its predictions."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
pytest.importorskip("sklearn")

import train_typer  # noqa: E402
import typer_data  # noqa: E402

from wirewatch.extract.typer import Typer  # noqa: E402

_TEXTS = {
    ("Battles", "Armed clash"): "soldiers and rebels exchanged fire near the border post",
    ("Protests", "Peaceful protest"): "teachers held a peaceful sit-in outside the ministry",
    ("Strategic developments", "Arrests"): "police arrested a journalist at his home",
    ("Violence against civilians", "Attack"): "gunmen shot a farmer in his field",
}


def _notes(n: int) -> list[dict]:
    out = []
    for i in range(n):
        (etype, sub), text = list(_TEXTS.items())[(i // 2) % len(_TEXTS)]
        rule = "Armed clash" if i % 3 else sub  # the rules are wrong a third of the time
        rtype = "Battles" if i % 3 else etype
        out.append({"id": f"n{i}", "set": "glob" if i % 2 else "africa-2016", "type": etype,
                    "sub": sub if i % 2 else None, "text": text,
                    "mentions": [{"event_type": rtype, "sub_event_type": rule, "cue": "battle",
                                  "text": f"On day {i}, {text}."}]})
    return out


def test_a_fit_is_deterministic_and_learns_the_sub_types() -> None:
    notes = _notes(80)
    a = train_typer.fit(notes, c_sub=10.0, c_kind=10.0)
    b = train_typer.fit(notes, c_sub=10.0, c_kind=10.0)
    assert a.to_json() == b.to_json()
    assert Typer.from_json(a.to_json()).to_json() == a.to_json()
    pred = train_typer.note_predictions(notes, a)
    assert all(pred[r["id"]] == (r["type"], r["sub"]) for r in notes if r["sub"])
    # the rules alone are wrong where the model is right
    rules = train_typer.note_predictions(notes, None)
    assert sum(rules[r["id"]][1] != r["sub"] for r in notes if r["sub"]) > 5


def test_folds_are_a_stable_partition_of_note_ids() -> None:
    ids = [f"glob-X{i}" for i in range(500)]
    folds = [typer_data.fold_of(i, 5) for i in ids]
    assert folds == [typer_data.fold_of(i, 5) for i in ids]
    assert set(folds) == set(range(5)) and min(folds.count(k) for k in range(5)) > 60
