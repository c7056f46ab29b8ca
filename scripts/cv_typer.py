"""An honest figure for the learned typer: k-fold cross-validation through the product path.

    .venv/bin/python scripts/cv_typer.py [--eval ../shared/eval] [--cache notes.jsonl] [-k 5]

The shared scorer on dev scores notes the shipped model trained on.  This script instead,
for each of ``k`` folds of the dev notes (a hash of the note id, as in training): trains the
typer on the other folds' notes (``scripts/train_typer.py``'s ``fit``, same settings as
shipped unless ``--c`` says otherwise), runs ``wirewatch ingest`` -> ``export`` on the held-back
fold's notes with that model (``WIREWATCH_TYPER``), and finally scores every fold's export
together with the shared scorer's own ``_score`` -- one JSON line, the scorer's shape, with
each note scored by a model that never saw it.  ``--rules-alone`` runs the same folds with
no model (the rules' figure on the same footing).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_typer  # noqa: E402
import typer_data  # noqa: E402

log = logging.getLogger("cv_typer")


def _shipped_settings() -> dict:
    raw = json.loads(gzip.decompress(train_typer.OUT.read_bytes()))
    return raw.get("chosen") or {}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", type=Path, default=typer_data.DEFAULT_EVAL)
    ap.add_argument("--cache", type=Path, help="JSONL of extracted notes (scripts/train_typer.py --cache)")
    ap.add_argument("-k", type=int, default=5)
    ap.add_argument("--c", type=float, help="C of both heads (default: the shipped model's)")
    ap.add_argument("--rules-alone", action="store_true", help="no model at all: the rules' own figure")
    ap.add_argument("--wirewatch", default=str(typer_data.ROOT / ".venv" / "bin" / "wirewatch"))
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    scorer = typer_data.scorer(args.eval)
    gold = {r["id"]: r for r in scorer.rows()}
    recs = typer_data.load(args.eval, args.cache)
    chosen = _shipped_settings()
    c_sub = args.c or chosen.get("c_sub", 10.0)
    c_kind = args.c or chosen.get("c_kind", 10.0)
    by: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(args.k):
            test_ids = {r["id"] for r in recs if typer_data.fold_of(r["id"], args.k) == fold}
            env = dict(os.environ)
            model_path = Path(tmp) / f"typer{fold}.json.gz"
            if args.rules_alone:
                env["WIREWATCH_TYPER"] = str(Path(tmp) / "no-model")
            else:
                train = [r for r in recs if r["id"] not in test_ids]
                model = train_typer.fit(train, c_sub=c_sub, c_kind=c_kind, kind_head=chosen.get("kind_head", True))
                model_path.write_bytes(gzip.compress(json.dumps(model.to_json()).encode("utf-8"), mtime=0))
                env["WIREWATCH_TYPER"] = str(model_path)
            notes = Path(tmp) / f"in{fold}.jsonl"
            notes.write_text("".join(json.dumps({"id": i, "text": gold[i]["text"], "published": gold[i]["published"]})
                                     + "\n" for i in sorted(test_ids)), encoding="utf-8")
            db = Path(tmp) / f"f{fold}.db"
            subprocess.run([args.wirewatch, "ingest", str(notes), "--db", str(db)], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            out = subprocess.run([args.wirewatch, "export", "--db", str(db), "--format", "jsonl"], env=env,
                                 check=True, capture_output=True, text=True).stdout
            for line in out.splitlines():
                if line.strip():
                    e = json.loads(line)
                    for s in e.get("sources") or []:
                        if s.get("external_id") in test_ids:
                            by.setdefault(s["external_id"], []).append(e)
            log.info("fold %d/%d: %d notes", fold + 1, args.k, len(test_ids))
    res = {"split": f"dev, {args.k}-fold through ingest->export" + (" (rules alone)" if args.rules_alone else ""),
           "all": scorer._score(gold, by)}
    for name in ("africa-2016", "afg", "glob"):
        res[name] = scorer._score({k: v for k, v in gold.items() if v["set"] == name}, by)
    sys.stdout.write(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
