"""Wire dumps built from the Reuters 2016 dev stories in ../shared/eval (read at test time, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def reuters_dumps(shared: Path, size: int = 10) -> list[list[dict]]:
    """Reuters 2016 stories (dev) with a dateline, in posting order, ``size`` to a dump."""
    path = shared / "eval" / "reuters-topnews-2016" / "reuters_topnews_2016H1.jsonl"
    if not path.exists():
        pytest.skip("reuters-topnews-2016 is not present")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["dateline"] and r["paragraphs"] and r["paragraphs"][0].startswith(r["dateline"] + " ")]
    rows.sort(key=lambda r: r["post_date"])
    return [rows[i:i + size] for i in range(0, len(rows) - size + 1, size)]


def reuters_text(rows: list[dict]) -> str:
    """The stories as a wire dump: headline, then the lede given back its ``PLACE (Reuters) -`` prefix."""
    out = []
    for r in rows:
        paras = list(r["paragraphs"])
        paras[0] = f"{r['dateline']} (Reuters) - " + paras[0][len(r["dateline"]) + 1:]
        out.append(r["title"] + "\n\n" + "\n\n".join(paras))
    return "\n\n".join(out)
