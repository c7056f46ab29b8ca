"""The learned typer's training data: ACLED dev notes and what the rules made of them.

Shared by ``scripts/train_typer.py`` (fit and ship the model) and ``scripts/cv_typer.py``
(k-fold through the product path).  Only the dev rows are read, exactly as the shared
scorer defines them: its own ``rows()`` is imported from ``<eval>/score/acled.py`` (the
held-out rows are not in the folder and are never looked for).

Each dev note becomes one record: its id, set, gold type and (today's schema) sub-type,
and every event mention the rules find in it (``typer=None``: the rules alone), each with
its evidence text, the rules' type/sub-type and the cue it rests on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import logging
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("typer_data")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
_CUE = re.compile(r"^cue '.*?' \((\w+)\):")


def scorer(eval_dir: Path) -> Any:
    """The shared scorer module (``<eval_dir>/score/acled.py``), imported from its file."""
    spec = importlib.util.spec_from_file_location("shared_acled_scorer", eval_dir / "score" / "acled.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(eval_dir / "score" / "acled.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fold_of(note_id: str, k: int) -> int:
    """A note's cross-validation fold: a hash of its id, stable across runs and machines."""
    return int(hashlib.sha1(note_id.encode("utf-8")).hexdigest()[:8], 16) % k


def extract(eval_dir: Path) -> list[dict[str, Any]]:
    """One record per dev note with the rules' mentions (a spaCy pass: a few minutes)."""
    from wirewatch.extract import extract_mentions
    from wirewatch.extract.actors import ActorTable
    from wirewatch.models import Article
    from wirewatch.nlp.model import load_model

    nlp, table = load_model(), ActorTable.load()
    rows = list(scorer(eval_dir).rows())
    arts = [Article(id=r["id"], text=r["text"], body=r["text"], published=dt.date.fromisoformat(r["published"]),
                    published_basis="metadata") for r in rows]
    out = []
    for r, a, doc in zip(rows, arts, nlp.pipe([a.body for a in arts], batch_size=64)):
        ms = sorted(extract_mentions(a, doc, actors=table, typer=None), key=lambda m: m.evidence[0].start)
        mentions = []
        for m in ms:
            cue = _CUE.match(m.rationale or "")
            mentions.append({"event_type": m.event_type, "sub_event_type": m.sub_event_type,
                             "cue": cue.group(1) if cue else "", "text": " ".join(e.text for e in m.evidence)})
        out.append({"id": r["id"], "set": r["set"], "type": r["type"], "sub": r["sub"], "text": r["text"],
                    "mentions": mentions})
    log.info("%d dev notes extracted", len(out))
    return out


def load(eval_dir: Path, cache: Path | None) -> list[dict[str, Any]]:
    """:func:`extract`, read from / written to ``cache`` (JSONL) when given."""
    if cache is not None and cache.exists():
        return [json.loads(line) for line in cache.open(encoding="utf-8")]
    recs = extract(eval_dir)
    if cache is not None:
        cache.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return recs
