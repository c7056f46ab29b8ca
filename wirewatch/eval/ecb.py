"""Score the stories ``wirewatch ingest`` → ``articles`` makes against ECB+'s real-world events.

    wirewatch eval ecb                         # dev topics 1-35 under ../shared/eval (as score/run ecb)

Every dev document goes in together, as a user's archive arrives: one JSONL line each (``id``,
``text``; no date, no topic), ingested with the CLI's defaults (:mod:`wirewatch.eval.runner`).
Each stored article's ``story_id`` is its predicted event; gold is ECB+'s subtopic (each topic
holds two look-alike events, e.g. two different earthquakes).  Printed, as the acceptance scorer
(``../shared/eval/score/ecb.py``) defines them: B³ precision, recall and F1 computed inside each
topic and averaged over documents, and the share of look-alike pairs (same topic, other
subtopic) kept in different stories.  Topics 36-45 are held out and never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import WirewatchError
from .runner import default_data_dir, run_product

DOCS_PATH = "ecbplus-event-coref/ecbplus_docs.jsonl"
FIRST_HELD_OUT_TOPIC = 36


class EcbDataError(WirewatchError, ValueError):
    hint = "pass --data with the evaluation folder that holds ecbplus-event-coref/ecbplus_docs.jsonl"


@dataclass(frozen=True, slots=True)
class EcbDoc:
    name: str
    topic: int
    subtopic: str
    text: str

    @property
    def id(self) -> str:
        return "ecb-" + self.name

    def input_line(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text}


def dev_docs(data_dir: Path) -> list[EcbDoc]:
    """The dev documents (topics 1-35) in file order."""
    path = Path(data_dir) / DOCS_PATH
    if not path.exists():
        raise EcbDataError(f"{path} not found")
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["topic"] < FIRST_HELD_OUT_TOPIC:
                out.append(EcbDoc(name=d["doc_name"], topic=d["topic"], subtopic=d["subtopic"], text=d["text"]))
    return out


def score(docs: Sequence[EcbDoc], articles: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """B³ and look-alike separation of the articles' stories (see the module docstring)."""
    wanted = {d.id for d in docs}
    story: dict[str, str] = {}
    for a in articles:
        if a.get("external_id") in wanted:
            story[a["external_id"]] = a.get("story_id") or a.get("id")
    label = {d.id: story.get(d.id, "missing-" + d.name) for d in docs}
    p = r = 0.0
    ok = pairs = 0
    for topic in sorted({d.topic for d in docs}):
        ds = [d for d in docs if d.topic == topic]
        for d in ds:
            same = [x for x in ds if label[x.id] == label[d.id]]
            inter = sum(1 for x in same if x.subtopic == d.subtopic)
            p += inter / len(same)
            r += inter / sum(1 for x in ds if x.subtopic == d.subtopic)
        for i, a in enumerate(ds):
            for b in ds[i + 1:]:
                if a.subtopic != b.subtopic:
                    pairs += 1
                    # a document missing from the output is in no story with anything
                    ok += a.id not in story or b.id not in story or story[a.id] != story[b.id]
    n = len(docs)
    P, R = (p / n, r / n) if n else (0.0, 0.0)
    return {"docs": n, "stored": len(story), "b3_precision": round(P, 4), "b3_recall": round(R, 4),
            "b3_f1": round(2 * P * R / (P + R) if P + R else 0.0, 4),
            "lookalikes_apart": round(ok / pairs, 4) if pairs else None}


def evaluate(docs: Sequence[EcbDoc], *, workers: int = 0, keep_db: Path | None = None) -> dict[str, Any]:
    if not docs:
        raise EcbDataError("no documents to score")
    out = run_product((d.input_line() for d in docs), workers=workers, keep_db=keep_db)
    return {"split": "dev", **score(docs, out.articles), "inputs_failed": len(out.failures)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wirewatch.eval.ecb", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="evaluation folder (default ../shared/eval)")
    args = ap.parse_args(argv)
    try:
        res = evaluate(dev_docs(args.data or default_data_dir()))
    except EcbDataError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
