"""Accuracy gates for the geoparser on the public dev corpora (../shared/eval/geoparsing-gold).

Floors are pinned a little under the measured values; lowering one needs a
reason in the commit.  The corpora's digests are pinned too: if a file changes
the floors must be re-measured.  TR-News is held out and never read here.

The brief's targets (acc@161 km >= 0.90 on gold spans) are NOT met yet — see
the report; these floors guard against regressions from where we are.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pytest

from wirewatch.config import default_cache_dir
from wirewatch.eval.geo import evaluate_geoparsing, read_corpus
from wirewatch.geo.gazetteer import Gazetteer
from wirewatch.geo.geoparser import Geoparser

DIGESTS = {
    "GeoWebNews_GWN.xml": "655fcf2abe9f2d12",
    "LGL.xml": "d251018853e8d0f7",
    "GeoVirus.xml": "2f8a928b9af4a442",
}
# measured 2026-11-25 on the first 80 documents (gold) / 25 documents (e2e):
# gold acc161 GWN 0.821, LGL 0.773, GeoVirus 0.770; e2e F1 LGL 0.761, GeoVirus 0.862
GOLD_SUBSET_FLOORS = {"GeoWebNews_GWN.xml": 0.80, "LGL.xml": 0.75, "GeoVirus.xml": 0.75}
E2E_SUBSET_FLOORS = {"LGL.xml": (0.74, 0.80), "GeoVirus.xml": (0.84, 0.70)}  # (F1, acc161 of recognised)
# measured on the whole dev corpora: gold acc161 0.817 / 0.769 / 0.754; e2e F1 0.762 / 0.767 / 0.910,
# acc161 of recognised 0.889 / 0.761 / 0.779
GOLD_FULL_FLOORS = {"GeoWebNews_GWN.xml": 0.80, "LGL.xml": 0.75, "GeoVirus.xml": 0.74}
E2E_FULL_FLOORS = {"GeoWebNews_GWN.xml": (0.75, 0.87), "LGL.xml": (0.75, 0.74), "GeoVirus.xml": (0.89, 0.76)}


@lru_cache(maxsize=1)
def _gp() -> Geoparser:
    return Geoparser(Gazetteer.load(cache_dir=default_cache_dir()))


def _corpus(shared: Path, name: str) -> Path:
    path = shared / "eval" / "geoparsing-gold" / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert digest == DIGESTS[name], f"{name} changed ({digest}); re-measure the floors"
    return path


def _nlp():
    from wirewatch.nlp import load_model

    try:
        return load_model()
    except Exception as exc:  # pragma: no cover
        pytest.skip(f"spaCy model unavailable: {exc}")


def test_held_out_corpus_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "TR-News.xml"
    fake.write_text("<articles/>", encoding="utf-8")
    with pytest.raises(ValueError):
        read_corpus(fake)


@pytest.mark.eval
@pytest.mark.parametrize("name", sorted(GOLD_SUBSET_FLOORS))
def test_resolution_on_gold_spans_subset(shared: Path, name: str) -> None:
    r = evaluate_geoparsing(_corpus(shared, name), mode="gold", geoparser=_gp(), limit=80)
    assert r["scored"] > 500
    assert r["acc161"] >= GOLD_SUBSET_FLOORS[name], r


@pytest.mark.eval
@pytest.mark.parametrize("name", sorted(E2E_SUBSET_FLOORS))
def test_end_to_end_subset(shared: Path, name: str) -> None:
    f1_floor, acc_floor = E2E_SUBSET_FLOORS[name]
    r = evaluate_geoparsing(_corpus(shared, name), mode="e2e", geoparser=_gp(), limit=25, nlp=_nlp())
    assert r["f1"] >= f1_floor, r
    assert r["acc161_of_resolved"] >= acc_floor, r


@pytest.mark.eval
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GOLD_FULL_FLOORS))
def test_full_dev_corpora(shared: Path, name: str) -> None:
    path = _corpus(shared, name)
    gold = evaluate_geoparsing(path, mode="gold", geoparser=_gp())
    assert gold["acc161"] >= GOLD_FULL_FLOORS[name], gold
    f1_floor, acc_floor = E2E_FULL_FLOORS[name]
    e2e = evaluate_geoparsing(path, mode="e2e", geoparser=_gp(), nlp=_nlp())
    assert e2e["f1"] >= f1_floor, e2e
    assert e2e["acc161_of_resolved"] >= acc_floor, e2e
