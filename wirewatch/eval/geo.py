"""Geoparsing on the public gold corpora (GeoWebNews, LGL, GeoVirus), scored from ``wirewatch geoparse``'s output.

Each corpus document becomes one JSONL input line and goes through :func:`wirewatch.pipeline.batch.geoparse`,
the library call behind ``wirewatch geoparse`` (reading, splitting, spaCy, recognition, resolution and
the anchor fallback, with the CLI's defaults); the printed place records are all that is scored:

* recognition: precision/recall/F1 of mention spans (a predicted span matches a gold span when
  they overlap; exact-offset figures are reported too);
* resolution of the recognised-and-correct mentions with a gold point: ``acc161``, the share within
  161 km, a recognised name printed without coordinates counting as wrong; ``acc161_of_resolved``,
  of those printed with coordinates; exact geonameid where the gold has one; mean/median error.

Gold mentions in GeoWebNews are those with coordinates (literal, metonymic, embedded and modifier
toponyms); LGL counts every ``<toponym>`` for recognition and those with a ``<gaztag>`` for
resolution; GeoVirus counts every ``<location>``.

Usage: ``python -m wirewatch.eval.geo [--limit N] [FILE...]`` (default: the dev corpora under
../shared/eval/geoparsing-gold).  TR-News is held out and refused.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..pipeline.batch import BatchResult, geoparse
from ..config import Settings
from ..geo.aliases import DEMONYMS
from ..geo.distance import haversine_km
from .runner import default_data_dir

log = logging.getLogger(__name__)

DEV_CORPORA = ("GeoWebNews_GWN.xml", "LGL.xml", "GeoVirus.xml")
HELD_OUT = ("TR-News.xml",)
KM = 161.0


@dataclass(slots=True)
class GoldMention:
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    geonameid: int | None


@dataclass(slots=True)
class GoldDoc:
    text: str
    mentions: list[GoldMention] = field(default_factory=list)


def _f(x: str | None) -> float | None:
    try:
        return float(x) if x not in (None, "") else None
    except ValueError:
        return None


def read_corpus(path: Path) -> list[GoldDoc]:
    """Read one of the gold corpora into documents with gold mentions."""
    if path.name in HELD_OUT:
        raise ValueError(f"{path.name} is a held-out corpus; it must not be used for development")
    root = ET.parse(path).getroot()
    docs: list[GoldDoc] = []
    if path.name.startswith("GeoVirus"):
        for art in root.iter("article"):
            doc = GoldDoc(art.findtext("text") or "")
            for loc in art.iter("location"):
                doc.mentions.append(
                    GoldMention(int(loc.findtext("start")), int(loc.findtext("end")), loc.findtext("name") or "",
                                _f(loc.findtext("lat")), _f(loc.findtext("lon")), None)
                )
            docs.append(doc)
    elif path.name.startswith("GeoWebNews") or path.name.startswith("GWN"):
        for art in root.iter("article"):
            doc = GoldDoc(art.findtext("text") or "")
            for t in art.iter("toponym"):
                lat, lon = _f(t.findtext("latitude")), _f(t.findtext("longitude"))
                if lat is None:
                    continue
                gid = t.findtext("geonamesID")
                doc.mentions.append(
                    GoldMention(int(t.findtext("start")), int(t.findtext("end")), t.findtext("extractedName") or "",
                                lat, lon, int(gid) if gid and gid.isdigit() else None)
                )
            docs.append(doc)
    else:  # LGL / TR-News layout
        for art in root.iter("article"):
            doc = GoldDoc(art.findtext("text") or "")
            for t in art.iter("toponym"):
                g = t.find("gaztag")
                lat = lon = None
                gid = None
                if g is not None:
                    lat, lon = _f(g.findtext("lat")), _f(g.findtext("lon"))
                    gid = int(g.get("geonameid")) if (g.get("geonameid") or "").isdigit() else None
                doc.mentions.append(
                    GoldMention(int(t.findtext("start")), int(t.findtext("end")), t.findtext("phrase") or "", lat, lon, gid)
                )
            docs.append(doc)
    for d in docs:  # GeoVirus offsets are 1-based: realign any span that is off by one
        for m in d.mentions:
            if d.text[m.start : m.end] != m.name and d.text[m.start - 1 : m.end - 1] == m.name:
                m.start, m.end = m.start - 1, m.end - 1
    return docs


def _f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def _errors_summary(errors: list[float], exact: list[bool], n_gold: int) -> dict[str, Any]:
    within = sum(1 for e in errors if e <= KM)
    return {
        "scored": n_gold,
        "resolved": len(errors),
        "acc161": round(within / n_gold, 4) if n_gold else None,
        "acc161_of_resolved": round(within / len(errors), 4) if errors else None,
        "exact_geonameid": round(sum(exact) / len(exact), 4) if exact else None,
        "exact_n": len(exact),
        "mean_km": round(statistics.fmean(errors), 1) if errors else None,
        "median_km": round(statistics.median(errors), 1) if errors else None,
    }


def product_places(docs: list[GoldDoc], *, settings: Settings | None = None) -> list[list[dict[str, Any]]]:
    """``wirewatch geoparse``'s records for each document (one JSONL input line each), in document order."""
    settings = settings or Settings()
    with tempfile.TemporaryDirectory(prefix="wirewatch-geo-eval-") as tmp:
        inp = Path(tmp) / "docs.jsonl"
        with open(inp, "w", encoding="utf-8") as fh:
            for i, d in enumerate(docs):
                fh.write(json.dumps({"id": f"doc-{i}", "text": d.text}, ensure_ascii=False) + "\n")
        result = BatchResult()
        by_doc: list[list[dict[str, Any]]] = [[] for _ in docs]
        for rec in geoparse([str(inp)], settings=settings, result=result):
            by_doc[int(rec["external_id"].removeprefix("doc-"))].append(rec)
    if result.failures:
        log.warning("%d documents failed to geoparse: %s", len(result.failures), result.failures[:3])
    return by_doc


def evaluate_geoparsing(corpus_path: Path, *, limit: int | None = None,
                        settings: Settings | None = None) -> dict[str, Any]:
    """Score ``wirewatch geoparse`` on one gold corpus; returns a dict of metrics (see module doc)."""
    docs = read_corpus(Path(corpus_path))
    if limit is not None:
        docs = docs[:limit]
    t0 = time.perf_counter()
    errors: list[float] = []
    exact: list[bool] = []
    n_gold_geo = 0
    tp = fp = fn = tp_exact = fn_demonym = 0
    for d, pred in zip(docs, product_places(docs, settings=settings)):
        used: set[int] = set()
        for pm in pred:
            hit = None
            for k, m in enumerate(d.mentions):
                if k not in used and m.start < pm["end"] and pm["start"] < m.end:
                    hit = k
                    break
            if hit is None:
                fp += 1
                continue
            used.add(hit)
            tp += 1
            m = d.mentions[hit]
            if (m.start, m.end) == (pm["start"], pm["end"]):
                tp_exact += 1
            if m.lat is not None:
                n_gold_geo += 1
                if pm.get("latitude") is not None:
                    errors.append(haversine_km(m.lat, m.lon, pm["latitude"], pm["longitude"]))
                    if m.geonameid is not None:
                        exact.append(pm.get("geonameid") == m.geonameid)
        fn += len(d.mentions) - len(used)
        fn_demonym += sum(1 for k, m in enumerate(d.mentions) if k not in used and m.name in DEMONYMS)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    pe = tp_exact / (tp + fp) if tp + fp else 0.0
    re_ = tp_exact / (tp + fn) if tp + fn else 0.0
    out: dict[str, Any] = {
        "corpus": Path(corpus_path).name,
        "docs": len(docs),
        "gold_mentions": tp + fn,
        "predicted": tp + fp,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "f1_exact_offsets": round(2 * pe * re_ / (pe + re_), 4) if pe + re_ else 0.0,
        # demonyms ("Syrian") are gold in LGL/GWN but by design country hints, not mentions
        "missed_demonyms": fn_demonym,
        "f1_without_demonym_gold": _f1(tp, fp, fn - fn_demonym),
    }
    out.update(_errors_summary(errors, exact, n_gold_geo))
    out["seconds"] = round(time.perf_counter() - t0, 2)
    return out


def dev_corpora(data_dir: Path) -> list[Path]:
    """The dev gold corpora under the evaluation folder (``../shared/eval``)."""
    return [Path(data_dir) / "geoparsing-gold" / n for n in DEV_CORPORA]


def _table(rows: list[dict[str, Any]]) -> str:
    cols = ["corpus", "docs", "precision", "recall", "f1", "f1_exact_offsets", "f1_without_demonym_gold", "scored", "resolved", "acc161", "acc161_gazetteer_only", "acc161_of_resolved", "exact_geonameid", "median_km", "seconds"]
    cols = [c for c in cols if any(c in r for r in rows)]
    lines = ["  ".join(f"{c:>12}" for c in cols)]
    for r in rows:
        lines.append("  ".join(f"{str(r.get(c, '')):>12}" for c in cols))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wirewatch.eval.geo", description=__doc__.split("\n\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, help="gold XML files (default: the dev corpora)")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N documents of each corpus")
    ap.add_argument("--data", type=Path, default=None, help="evaluation folder (default ../shared/eval)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    paths = args.corpora or dev_corpora(args.data or default_data_dir())
    rows = [evaluate_geoparsing(path, limit=args.limit) for path in paths]
    sys.stdout.write(_table(rows) + "\n")
    sys.stdout.write(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
