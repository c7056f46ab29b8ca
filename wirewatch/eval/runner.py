"""Run the product on an evaluation input exactly as a user does: ``ingest``, then ``export`` / ``articles``.

Every scorer in :mod:`wirewatch.eval` reads the records this returns and nothing else:
the JSONL event records of ``wirewatch export --format jsonl`` and the article records of
``wirewatch articles --format jsonl``, made by the same library calls the CLI makes
(:func:`wirewatch.pipeline.batch.ingest` into a fresh SQLite store with the CLI's default settings,
then the exporters).  No evaluation module calls an extractor, a merger or a resolver itself.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..pipeline.batch import ingest
from ..config import Settings
from ..export import jsonl
from ..store import open_store


@dataclass(frozen=True, slots=True)
class ProductOutput:
    """What a user reads back after ingesting an evaluation input."""

    events: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    failures: list[str]


def default_data_dir() -> Path:
    """The evaluation data: ``$WIREWATCH_EVAL_DATA``, else ``../shared/eval`` from the current directory
    (where ``../shared/eval/score/run`` expects to be called from, the project root)."""
    env = os.environ.get("WIREWATCH_EVAL_DATA")
    return Path(env) if env else Path("..") / "shared" / "eval"


def read_jsonl(path: Path, *, missing: Callable[[str], Exception]) -> Iterator[dict[str, Any]]:
    """The records of an evaluation JSONL file; ``missing(message)`` is raised when it is not there."""
    if not Path(path).exists():
        raise missing(f"{path} not found: pass --data with the evaluation folder (../shared/eval)")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def run_product(rows: Iterable[Mapping[str, Any]], *, workers: int = 0,
                progress: Callable[[int], None] | None = None, keep_db: Path | None = None) -> ProductOutput:
    """Ingest ``rows`` (contract JSONL input lines) into a fresh database and read back the user's records.

    ``workers`` is the CLI's ``--workers`` (0: automatic, the default).  ``keep_db`` keeps the
    database at that path for inspection (it must not exist yet).
    """
    with tempfile.TemporaryDirectory(prefix="wirewatch-eval-") as tmp:
        inp = Path(tmp) / "input.jsonl"
        with open(inp, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        db = str(keep_db) if keep_db is not None else str(Path(tmp) / "eval.db")
        settings = Settings(db=db, workers=workers)
        with open_store(db) as store:
            result = ingest([str(inp)], store=store, settings=settings, progress=progress, command="eval")
        with open_store(db, readonly=True) as store:
            events = [json.loads(jsonl.dumps(ev)) for ev in store.events()]
            articles = [json.loads(json.dumps(a.to_record(), ensure_ascii=False)) for a in store.articles()]
    return ProductOutput(events=events, articles=articles, failures=[str(f) for f in result.failures])
