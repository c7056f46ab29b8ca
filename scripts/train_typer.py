"""Retrain the learned typer (wirewatch/data/typer.json) from the ACLED dev rows.

Honest by construction: only dev rows are read (wirewatch.eval.acled.read_rows, split
"dev"); they are split deterministically by id -- rows whose event-id number is divisible
by 3 are the *validation* part and are never trained on.  The script prints the event-type
accuracy of the rules alone and of rules + model on the validation part (and, labelled as
such, on the whole dev split, which includes the training rows).

    .venv/bin/python scripts/train_typer.py \\
        ../shared/eval/acled-africa-2016-hdx-fixture/ACLED_All_Africa_20160101_to_20160528.csv \\
        ../shared/eval/acled-afghanistan-2020-03/ACLED_AFG_2020-03.csv

``--cache FILE`` keeps the extracted rows (rule decisions and evidence) so a second run
skips the spaCy pass; ``--dry-run`` trains and reports without writing the weights.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

from wirewatch.eval.acled import read_rows
from wirewatch.extract.typer import CLASSES, MODEL_NAME, REVISABLE, Typer, features, retype
from wirewatch.models import Article

log = logging.getLogger("train_typer")
OUT = Path(__file__).resolve().parent.parent / "wirewatch" / "data" / "typer.json"
_CUE = re.compile(r"^cue '.*?' \((\w+)\):", re.S)


def rule_of(rationale: str) -> str:
    """The rule sentence of a mention's rationale ("cue 'killed' (kill): <rule>; 2 sentences grouped ...")."""
    m = _CUE.match(rationale)
    return rationale[m.end():].split(";")[0].strip() if m else ""


def is_validation(event_id: str) -> bool:
    digits = re.sub(r"\D", "", event_id)
    return bool(digits) and int(digits) % 3 == 0


def gold_class(types: tuple[str, ...]) -> str:
    return "Protests|Riots" if types[0] in ("Protests", "Riots") else types[0]


def extract(paths: list[Path]) -> list[dict]:
    """One record per dev row: gold, split, and the rules' first mention (type, sub-type, cue, evidence)."""
    from wirewatch.extract import extract_mentions
    from wirewatch.extract.actors import ActorTable
    from wirewatch.nlp import load_model

    nlp, table = load_model(), ActorTable.load()
    out = []
    for path in paths:
        rows = list(read_rows(path, split="dev"))
        arts = [Article(id=r.event_id, text=r.notes, body=r.notes, published=r.published,
                        published_basis="metadata") for r in rows]
        for r, a, doc in zip(rows, arts, nlp.pipe([a.body for a in arts], batch_size=64)):
            ms = sorted(extract_mentions(a, doc, actors=table, typer=None), key=lambda m: m.evidence[0].start)
            rec = {"file": path.name, "id": r.event_id, "types": list(r.types), "val": is_validation(r.event_id)}
            if ms:
                m = ms[0]
                cue = _CUE.match(m.rationale or "")
                rec.update(event_type=m.event_type, sub_event_type=m.sub_event_type, cue=cue.group(1) if cue else "",
                           rule=rule_of(m.rationale or ""), text=" ".join(e.text for e in m.evidence))
            out.append(rec)
        log.info("%s: %d dev rows extracted", path.name, len(rows))
    return out


def train(data: list[tuple[list[str], int]], *, epochs: int, l2: float, seed: int = 13) -> Typer:
    """Multinomial logistic regression, plain SGD with L2 (pure Python: a few thousand rows)."""
    counts = Counter(f for feats, _ in data for f in feats)
    keep = {f for f, c in counts.items() if c >= 2}
    data = [([f for f in feats if f in keep], y) for feats, y in data]
    w: dict[str, list[float]] = {f: [0.0] * len(CLASSES) for f in keep}
    rng = random.Random(seed)
    order = list(range(len(data)))
    for ep in range(epochs):
        rng.shuffle(order)
        lr = 0.2 / (1 + ep)
        for i in order:
            feats, y = data[i]
            s = [sum(w[f][k] for f in feats) for k in range(len(CLASSES))]
            top = max(s)
            e = [math.exp(x - top) for x in s]
            z = sum(e)
            for k in range(len(CLASSES)):
                g = e[k] / z - (1.0 if k == y else 0.0)
                for f in feats:
                    w[f][k] -= lr * (g + l2 * w[f][k])
    pruned = {f: tuple(v) for f, v in w.items() if max(abs(x) for x in v) >= 0.05}
    return Typer(weights=pruned, threshold=0.0)


class _Dec:
    """The bits of a TypeDecision that retype() reads, rebuilt from a cached record."""

    def __init__(self, rec: dict) -> None:
        self.event_type, self.sub_event_type, self.cue = rec["event_type"], rec["sub_event_type"], rec["cue"]
        self.rule = ""
        self.trigger, self.trigger_start, self.strength = "", 0, 2


def accuracy(recs: list[dict], typer: Typer | None) -> tuple[float, int]:
    import dataclasses

    ok = 0
    for r in recs:
        if "event_type" not in r:
            continue
        dec = _Dec(r)
        if typer is not None:
            d = dataclasses.make_dataclass("D", ["event_type", "sub_event_type", "cue", "rule", "trigger",
                                                 "trigger_start", "strength"], frozen=True)(**vars(dec))
            dec = retype(d, r["text"], typer=typer)
        ok += dec.event_type in r["types"]
    return ok / len(recs), len(recs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", type=Path, help="ACLED CSV files (only their dev rows are read)")
    ap.add_argument("--cache", type=Path, help="JSONL of extracted rows to reuse/write")
    ap.add_argument("--threshold", type=float, default=0.8, help="probability the model needs to override")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.cache and args.cache.exists():
        recs = [json.loads(line) for line in args.cache.open(encoding="utf-8")]
    else:
        recs = extract(args.paths)
        if args.cache:
            args.cache.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    train_recs = [r for r in recs if not r["val"] and r.get("cue") in REVISABLE]
    data = [(features(r["text"], cue=r["cue"], event_type=r["event_type"]), CLASSES.index(gold_class(r["types"])))
            for r in train_recs if gold_class(r["types"]) in CLASSES]
    model = train(data, epochs=args.epochs, l2=args.l2)
    model = Typer(weights=model.weights, threshold=args.threshold)
    report = {}
    for name in sorted({r["file"] for r in recs}):
        part = [r for r in recs if r["file"] == name]
        val = [r for r in part if r["val"]]
        report[name] = {
            "validation_rows": len(val),
            "validation_rules": round(accuracy(val, None)[0], 4),
            "validation_rules_plus_model": round(accuracy(val, model)[0], 4),
            "all_dev_rows_incl_training_rules": round(accuracy(part, None)[0], 4),
            "all_dev_rows_incl_training_rules_plus_model": round(accuracy(part, model)[0], 4),
        }
    sys.stdout.write(json.dumps({"train_examples": len(data), "features": len(model.weights), **report}, indent=1) + "\n")
    if not args.dry_run:
        meta = {"trained_on": sorted({r["file"] for r in recs}), "train_examples": len(data),
                "split": "ACLED dev rows; validation = event-id number divisible by 3 (never trained on)",
                "script": "scripts/train_typer.py", "validation": report}
        OUT.write_text(json.dumps(model.to_json(**meta), indent=0) + "\n", encoding="utf-8")
        log.info("wrote %s (%s, %d features)", OUT, MODEL_NAME, len(model.weights))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
