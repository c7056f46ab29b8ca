"""The Reuters 2016 top-news stories of ../shared/eval as RawInputs, for the benchmarks (absent: skip)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from wirewatch.models import RawInput

REUTERS = (Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "reuters-topnews-2016"
           / "reuters_topnews_2016H1.jsonl")


def reuters_raws(n: int, path: Path = REUTERS) -> list[RawInput]:
    """The first ``n`` stories, one RawInput each (published from ``post_date``)."""
    raws = []
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= n:
                break
            r = json.loads(line)
            pub = dt.date.fromisoformat(r["post_date"][:10]) if r.get("post_date") else None
            raws.append(RawInput(origin=f"reuters:{i}", text=r["text"], external_id=r["id"], title=r.get("title"),
                                 published=pub, single_article=True))
    return raws
