"""Accuracy gates for the geoparser on the public dev corpora (../shared/eval/geoparsing-gold).

Floors are pinned a little under the measured values; lowering one needs a
reason in the commit.  The corpora's digests are pinned too: if a file changes
the floors must be re-measured.  TR-News is held out and never read here.

The brief's target (acc@161 km >= 0.90 on gold spans) is met on GeoWebNews
only (LGL 0.8996, GeoVirus 0.891); end to end, acc@161 of the recognised ones,
an unplaced one counting as wrong, is 0.939 / 0.903 / 0.906.  These floors guard
against regressions.
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
# measured 2026-11-26 (issue #4 fourth pass: bare county names, one sense per discourse, abbreviated
# state qualifiers, neighbour countries, one-name-at-a-time refinement) on the first 80 documents (gold) /
# 25 (e2e): gold acc161 GWN 0.927, LGL 0.893, GeoVirus 0.866; e2e F1 LGL 0.755, GeoVirus 0.876, acc161 of
# recognised and resolved LGL 0.893, GeoVirus 0.835
GOLD_SUBSET_FLOORS = {"GeoWebNews_GWN.xml": 0.92, "LGL.xml": 0.885, "GeoVirus.xml": 0.86}
E2E_SUBSET_FLOORS = {"LGL.xml": (0.75, 0.885), "GeoVirus.xml": (0.87, 0.83)}  # (F1, acc161 of recognised)
# measured on the whole dev corpora (fifth pass: "St."/"Mt." kept in recognised names, "Dublin City" and
# "City of Richmond" read as their towns, counties inside organisations' names as evidence): gold acc161
# 0.915 / 0.896 / 0.885; e2e F1 0.778 / 0.774 / 0.915, acc161 of recognised and resolved 0.945 / 0.900 / 0.901
# sixth pass (names in lists of provinces, a town's other names, "X State", anchors in the story's country):
# gold acc161 0.916 / 0.898 / 0.891; e2e F1 0.778 / 0.775 / 0.915, acc161 of recognised and resolved 0.946 / 0.903 / 0.907
# seventh pass (end to end as on gold spans: a name left open takes its well-known reading or its anchor;
# datelines run on after a headline; "D-Pa."): gold acc161 0.918 / 0.8996 / 0.891; e2e F1 0.781 / 0.793 / 0.915,
# acc161 (an unplaced recognised name counts as wrong) 0.939 / 0.903 / 0.906 -- the floor now guards this strict figure
GOLD_FULL_FLOORS = {"GeoWebNews_GWN.xml": 0.91, "LGL.xml": 0.895, "GeoVirus.xml": 0.885}
E2E_FULL_FLOORS = {"GeoWebNews_GWN.xml": (0.775, 0.935), "LGL.xml": (0.785, 0.90), "GeoVirus.xml": (0.91, 0.90)}


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


def test_gold_mode_lists_its_misses(tmp_path: Path) -> None:
    text = "Floods cut the road between Homs and Mosul on Monday."
    spans = [(text.index(n), text.index(n) + len(n), n) for n in ("Homs", "Mosul")]
    points = {"Homs": (34.72, 36.72), "Mosul": (0.0, 0.0)}  # Mosul's gold point deliberately wrong
    locs = "".join(
        f"<location><start>{s}</start><end>{e}</end><name>{n}</name><lat>{points[n][0]}</lat><lon>{points[n][1]}</lon></location>"
        for s, e, n in spans
    )
    path = tmp_path / "GeoVirus_tiny.xml"
    path.write_text(f"<articles><article><text>{text}</text><locations>{locs}</locations></article></articles>", encoding="utf-8")
    misses: list = []
    r = evaluate_geoparsing(path, mode="gold", geoparser=_gp(), misses=misses)
    assert r["scored"] == 2 and r["acc161"] == 0.5
    assert [m["name"] for m in misses] == ["Mosul"] and misses[0]["km"] > 4000


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
    assert e2e["acc161"] >= acc_floor, e2e
