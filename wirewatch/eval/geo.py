"""Geoparsing evaluation on the public gold corpora (GeoWebNews, LGL, GeoVirus).

Two modes:

* ``gold``: resolution only — the gold mention spans are given to
  :meth:`Geoparser.resolve_spans`; scored by accuracy within 161 km (and exact
  geonameid where the gold has one), mean/median error.  The resolver also
  reads, as evidence only, the text's other names of countries, provinces and
  divisions that its own matcher finds (as any reader of the text would).
* ``e2e``: our own recognition over the text — precision/recall/F1 of mention
  spans (a predicted span matches a gold span when they overlap; exact-offset
  figures are reported too), then accuracy within 161 km of the matched ones
  (``acc161``: of the recognised-and-correct mentions with a gold point, an
  unresolved one counting as wrong; ``acc161_of_resolved``: of those resolved).
  As in gold mode, a recognised name the resolver leaves open takes its
  well-known reading or the nearest resolvable anchor (``fallback_to_anchor``).

Gold mentions in GeoWebNews are those with coordinates (literal, metonymic,
embedded and modifier toponyms); LGL counts every ``<toponym>`` for recognition
and those with a ``<gaztag>`` for resolution; GeoVirus counts every ``<location>``.

Usage: ``python -m wirewatch.eval.geo [--mode gold|e2e|both] [--limit N] [--no-spacy] [--errors N] FILE...``
(``--errors N`` lists the N most frequent gold-mode misses per corpus, for error analysis)
(defaults to the dev corpora under ../shared/eval/geoparsing-gold).  TR-News is
held out and refused.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..config import default_cache_dir
from ..geo.aliases import DEMONYMS
from ..geo.gazetteer import Gazetteer, haversine_km
from ..geo.geoparser import Geoparser

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


def evaluate_geoparsing(
    corpus_path: Path,
    *,
    mode: Literal["gold", "e2e"],
    geoparser: Geoparser | None = None,
    limit: int | None = None,
    nlp: Any = None,
    misses: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Score the geoparser on one gold corpus; returns a dict of metrics (see module doc).

    When ``misses`` is a list, each gold-mode mention resolved more than 161 km
    off (or not at all) is appended to it as a dict (name, gold and predicted
    point, error, predicted feature code), for error analysis.
    """
    gp = geoparser or Geoparser(Gazetteer.load(cache_dir=default_cache_dir()))
    docs = read_corpus(Path(corpus_path))
    if limit is not None:
        docs = docs[:limit]
    t0 = time.perf_counter()
    errors: list[float] = []
    strict: list[float] = []
    exact: list[bool] = []
    n_gold_geo = 0
    tp = fp = fn = tp_exact = fn_demonym = 0
    for d in docs:
        gold_geo = [m for m in d.mentions if m.lat is not None]
        if mode == "gold":
            n_gold_geo += len(gold_geo)
            res = gp.resolve_spans(d.text, [(m.start, m.end) for m in gold_geo], fallback_to_anchor=True)
            for m, pm in zip(gold_geo, res):
                if pm.place is None:
                    if misses is not None:
                        misses.append({"name": m.name, "gold": (m.lat, m.lon), "gold_id": m.geonameid, "km": None})
                    continue
                err = haversine_km(m.lat, m.lon, pm.place.latitude, pm.place.longitude)
                if misses is not None and err > KM:
                    p = pm.place
                    misses.append(
                        {"name": m.name, "gold": (m.lat, m.lon), "gold_id": m.geonameid, "km": round(err),
                         "pred": f"{p.name} [{p.feature_code} {p.country_code} {p.admin1}] {p.geonameid} ({p.latitude:.2f},{p.longitude:.2f})",
                         "relation": pm.relation}
                    )
                errors.append(err)
                if pm.relation != "anchor":
                    strict.append(err)
                if m.geonameid is not None:
                    exact.append(pm.place.geonameid == m.geonameid)
            continue
        doc = nlp(d.text) if nlp is not None else None
        pred = gp.parse(d.text, doc=doc, fallback_to_anchor=True)
        used: set[int] = set()
        for pm in pred:
            hit = None
            for k, m in enumerate(d.mentions):
                if k not in used and m.start < pm.end and pm.start < m.end:
                    hit = k
                    break
            if hit is None:
                fp += 1
                continue
            used.add(hit)
            tp += 1
            m = d.mentions[hit]
            if (m.start, m.end) == (pm.start, pm.end):
                tp_exact += 1
            if m.lat is not None:
                n_gold_geo += 1
                if pm.place is not None:
                    errors.append(haversine_km(m.lat, m.lon, pm.place.latitude, pm.place.longitude))
                    if m.geonameid is not None:
                        exact.append(pm.place.geonameid == m.geonameid)
        fn += len(d.mentions) - len(used)
        fn_demonym += sum(1 for k, m in enumerate(d.mentions) if k not in used and m.name in DEMONYMS)
    out: dict[str, Any] = {"corpus": Path(corpus_path).name, "mode": mode, "docs": len(docs)}
    if mode == "e2e":
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        pe = tp_exact / (tp + fp) if tp + fp else 0.0
        re_ = tp_exact / (tp + fn) if tp + fn else 0.0
        out.update(
            {
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
        )
    out.update(_errors_summary(errors, exact, n_gold_geo))
    if mode == "gold":
        out["acc161_gazetteer_only"] = round(sum(e <= KM for e in strict) / n_gold_geo, 4) if n_gold_geo else None
    out["seconds"] = round(time.perf_counter() - t0, 2)
    return out


def _default_corpora() -> list[Path]:
    env = os.environ.get("WIREWATCH_SHARED")
    base = Path(env) if env else Path(__file__).resolve().parents[3] / "shared"
    return [base / "eval" / "geoparsing-gold" / n for n in DEV_CORPORA]


def _table(rows: list[dict[str, Any]]) -> str:
    cols = ["corpus", "mode", "docs", "precision", "recall", "f1", "f1_exact_offsets", "f1_without_demonym_gold", "scored", "resolved", "acc161", "acc161_gazetteer_only", "acc161_of_resolved", "exact_geonameid", "median_km", "seconds"]
    cols = [c for c in cols if any(c in r for r in rows)]
    lines = ["  ".join(f"{c:>12}" for c in cols)]
    for r in rows:
        lines.append("  ".join(f"{str(r.get(c, '')):>12}" for c in cols))
    return "\n".join(lines)


def _misses_report(corpus: str, misses: list[dict[str, Any]], n: int) -> str:
    """The ``n`` most frequent (name, prediction) misses, with counts and the gold point."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for m in misses:
        groups.setdefault((m["name"], m.get("pred", "UNRESOLVED")), []).append(m)
    ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))[:n]
    lines = [f"== {corpus}: {len(misses)} misses, top {len(ranked)} =="]
    for (name, pred), ms in ranked:
        g = ms[0]
        lines.append(f"{len(ms):4d}  {name!r:28} -> {pred}  gold=({g['gold'][0]:.2f},{g['gold'][1]:.2f}) id={g['gold_id']} km={g['km']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wirewatch.eval.geo", description=__doc__.split("\n\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, help="gold XML files (default: the dev corpora)")
    ap.add_argument("--mode", choices=("gold", "e2e", "both"), default="both")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N documents of each corpus")
    ap.add_argument("--no-spacy", action="store_true", help="e2e without spaCy NER (gazetteer matcher only)")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="gold mode: also print the N most frequent misses (>161 km or unresolved) per corpus")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    gp = Geoparser(Gazetteer.load(cache_dir=args.cache_dir or default_cache_dir()))
    nlp = None
    if args.mode in ("e2e", "both") and not args.no_spacy:
        from ..nlp import load_model

        nlp = load_model()
    rows = []
    for path in args.corpora or _default_corpora():
        modes = ("gold", "e2e") if args.mode == "both" else (args.mode,)
        for mode in modes:
            misses: list[dict[str, Any]] | None = [] if args.errors and mode == "gold" else None
            rows.append(evaluate_geoparsing(path, mode=mode, geoparser=gp, limit=args.limit, nlp=nlp, misses=misses))
            if misses:
                sys.stdout.write(_misses_report(path.name, misses, args.errors))
    sys.stdout.write(_table(rows) + "\n")
    sys.stdout.write(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
