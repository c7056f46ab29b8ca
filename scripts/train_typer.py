"""Retrain the learned sub-event typer (wirewatch/data/typer.json.gz) from the ACLED dev notes.

    .venv/bin/python scripts/train_typer.py [--eval ../shared/eval] [--cache notes.jsonl] [--cv 5]

Data: the dev notes exactly as the shared scorer defines them (``scripts/typer_data.py``):
the global 2020 and Afghanistan 2020 notes teach the sub-type head (today's 25 sub-types),
every note, the Africa 2016 ones too, the type head (their old types mapped).  Each example
is one event mention the rules find in a note (its evidence, cue and the rules' sub-type),
labelled with the note's ACLED coding.

``--cv K`` first reports K-fold cross-validation inside dev (folds by a hash of the note id)
for each setting of ``--grid`` (regularisation C) and ``--thresholds`` (the confidence the
model needs to revise the rules) and picks the best by the mean of global sub-type weighted
F1, macro F1 and event-type accuracy over the three sets; the model
shipped is then fitted on every dev note with that setting.  Deterministic: liblinear-free
lbfgs, fixed fold hash, sorted features.  Needs scikit-learn (dev extras) only here; the
product reads the weights with the standard library alone.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import typer_data  # noqa: E402

from wirewatch.extract.subtypes import TypeDecision  # noqa: E402
from wirewatch.extract.typer import KINDS, MODEL_NAME, SUB_TYPES, Head, Typer, features, kind_of, retype  # noqa: E402

log = logging.getLogger("train_typer")
OUT = typer_data.ROOT / "wirewatch" / "data" / "typer.json.gz"
MIN_COUNT = 2  # a feature seen in fewer training mentions is dropped
PRUNE = 0.02  # weights rows whose largest absolute weight is below this are not shipped


def examples(recs: list[dict[str, Any]]) -> list[tuple[list[str], str | None, str, str]]:
    """(features, gold sub-type or None, gold kind, note id) for every mention of every note."""
    out = []
    for r in recs:
        kind = kind_of(r["type"].split("|")[0])
        for m in r["mentions"]:
            if m["event_type"] not in SUB_TYPES.values():
                continue  # Displacement: wirewatch's extension, not the model's
            out.append((features(m["text"], cue=m["cue"], rule_sub=m["sub_event_type"]), r["sub"], kind, r["id"]))
    return out


def _fit_head(rows: list[tuple[list[str], str]], *, c: float) -> Head:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _ in rows for f in feats)
    keep = {f for f, n in counts.items() if n >= MIN_COUNT}
    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in feats if f in keep} for feats, _ in rows])
    y = [label for _, label in rows]
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, y)
    classes = tuple(str(k) for k in model.classes_)
    coef = model.coef_ if len(classes) > 2 else None
    if coef is None:
        raise ValueError("a head needs at least three classes")
    weights = {}
    for j, name in enumerate(vec.feature_names_):
        col = tuple(float(coef[k, j]) for k in range(len(classes)))
        if max(abs(v) for v in col) >= PRUNE:
            weights[name] = col
    return Head(classes=classes, intercept=tuple(float(v) for v in model.intercept_), weights=weights)


def fit(recs: list[dict[str, Any]], *, c_sub: float, c_kind: float, kind_head: bool = True) -> Typer:
    ex = examples(recs)
    sub = _fit_head([(f, s) for f, s, _, _ in ex if s is not None], c=c_sub)
    kind = _fit_head([(f, k) for f, _, k, _ in ex if k in KINDS], c=c_kind) if kind_head else None
    return Typer(sub=sub, kind=kind)


def note_predictions(recs: list[dict[str, Any]], typer: Typer | None) -> dict[str, tuple[str, str | None]]:
    """A note's (type, sub-type) as its first typed mention carries them through :func:`retype`."""
    out = {}
    for r in recs:
        ms = [m for m in r["mentions"] if m["event_type"] in SUB_TYPES.values()]
        if not ms:
            continue
        m = ms[0]
        dec = TypeDecision(m["event_type"], m["sub_event_type"], m["cue"], "", 0, "", 2)
        dec = retype(dec, m["text"], typer=typer)
        out[r["id"]] = (dec.event_type, dec.sub_event_type)
    return out


def scores(recs: list[dict[str, Any]], pred: dict[str, tuple[str, str | None]], scorer: Any) -> dict[str, Any]:
    """The shared scorer's measures over notes (a note the rules find nothing in is wrong)."""
    res: dict[str, Any] = {}
    for name in ("africa-2016", "afg", "glob"):
        part = [r for r in recs if r["set"] == name]
        if not part:
            continue
        t = sum(1 for r in part if r["id"] in pred and pred[r["id"]][0] in r["type"].split("|"))
        res[name] = {"notes": len(part), "event_type": round(t / len(part), 4)}
        subs = [(r["sub"], pred.get(r["id"], (None, None))[1]) for r in part if r["sub"]]
        if subs:
            res[name]["sub_weighted_f1"] = round(scorer.weighted_f1(subs), 4)
            res[name]["sub_macro_f1"] = round(scorer.macro_f1(subs), 4)
    return res


def cross_validate(recs: list[dict[str, Any]], *, k: int, c_sub: float, c_kind: float, kind_head: bool,
                   thresholds: list[float], scorer: Any) -> dict[float, dict[str, Any]]:
    """Each threshold's scores, every note predicted by the model fitted on the other folds."""
    pred: dict[float, dict[str, tuple[str, str | None]]] = {t: {} for t in thresholds}
    for fold in range(k):
        train = [r for r in recs if typer_data.fold_of(r["id"], k) != fold]
        test = [r for r in recs if typer_data.fold_of(r["id"], k) == fold]
        model = fit(train, c_sub=c_sub, c_kind=c_kind, kind_head=kind_head)
        for t in thresholds:
            pred[t].update(note_predictions(test, dataclasses.replace(model, threshold=t)))
    return {t: scores(recs, p, scorer) for t, p in pred.items()}


def _objective(res: dict[str, Any]) -> float:
    g = res["glob"]
    return (g["sub_weighted_f1"] + g["sub_macro_f1"] + g["event_type"] + res["afg"]["event_type"]
            + res["africa-2016"]["event_type"]) / 5


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", type=Path, default=typer_data.DEFAULT_EVAL, help="the shared evaluation folder")
    ap.add_argument("--cache", type=Path, help="JSONL of extracted notes to reuse/write")
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation over --grid first (0: skip)")
    ap.add_argument("--grid", default="3,10,30", help="values of C tried by --cv")
    ap.add_argument("--c-sub", type=float, default=10.0, help="C of the sub-type head when --cv is not run")
    ap.add_argument("--c-kind", type=float, default=10.0, help="C of the type head when --cv is not run")
    ap.add_argument("--thresholds", default="0,0.3,0.5,0.7", help="confidence thresholds tried by --cv")
    ap.add_argument("--threshold", type=float, default=0.5, help="confidence to revise the rules when --cv is not run")
    ap.add_argument("--no-kind", action="store_true", help="no type head: the sub-type head's type decides")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    ap.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    recs = typer_data.load(args.eval, args.cache)
    scorer = typer_data.scorer(args.eval)
    report: dict[str, Any] = {"rules_alone": scores(recs, note_predictions(recs, None), scorer)}
    c_sub, c_kind, threshold = args.c_sub, args.c_kind, args.threshold
    if args.cv:
        best = None
        thresholds = [float(x) for x in args.thresholds.split(",")]
        for c in (float(x) for x in args.grid.split(",")):
            by_t = cross_validate(recs, k=args.cv, c_sub=c, c_kind=c, kind_head=not args.no_kind,
                                  thresholds=thresholds, scorer=scorer)
            for t, res in by_t.items():
                report[f"cv{args.cv}_C={c:g}_threshold={t:g}"] = res
                log.info("C=%g threshold=%g: %s", c, t, json.dumps(res))
                if best is None or _objective(res) > best[0]:
                    best = (_objective(res), c, t)
        _, c_sub, threshold = best
        c_kind = c_sub
    model = dataclasses.replace(fit(recs, c_sub=c_sub, c_kind=c_kind, kind_head=not args.no_kind), threshold=threshold)
    report["chosen"] = {"c_sub": c_sub, "c_kind": c_kind, "kind_head": not args.no_kind, "threshold": threshold}
    sys.stdout.write(json.dumps(report, indent=1) + "\n")
    if not args.dry_run:
        meta = {"trained_on": "ACLED dev notes (shared scorer's dev split): global 2020 + Afghanistan 2020 for "
                              "sub-types, + Africa 2016 for types", "script": "scripts/train_typer.py",
                "notes": len(recs), "chosen": report["chosen"]}
        data = json.dumps(model.to_json(**meta), separators=(",", ":"), sort_keys=True).encode("utf-8")
        args.output.write_bytes(gzip.compress(data, mtime=0))
        log.info("wrote %s (%s, %d + %d features)", args.output, MODEL_NAME, len(model.sub.weights),
                 len(model.kind.weights) if model.kind else 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
