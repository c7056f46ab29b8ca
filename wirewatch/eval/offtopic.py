"""False events on a feed with no conflict news: how many event records ``ingest`` → ``export`` makes per story.

    wirewatch eval offtopic                      # Reuters 2016 technologyNews (856 stories)

Each story of the feed becomes one JSONL input line (``id``, ``text`` = its paragraphs, ``title``,
``published`` = its post date), ingested with the CLI's defaults (:mod:`wirewatch.eval.runner`).
Printed: stories, exported events, events per story, and the count by event type.  A technology
feed does carry some real events (a protest or a shooting a story mentions), so the figure is an
upper bound on the false-event rate, not the rate itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import WirewatchError
from .runner import read_jsonl, run_product

REUTERS_PATH = "reuters-topnews-2016/reuters_topnews_2016H1.jsonl"


class OfftopicDataError(WirewatchError, ValueError):
    hint = "pass --data with the evaluation folder that holds reuters-topnews-2016/"


def stories(data_dir: Path, *, feed: str = "technologyNews") -> Iterator[dict[str, Any]]:
    """The feed's stories as contract JSONL input lines, in file order."""
    for d in read_jsonl(Path(data_dir) / REUTERS_PATH, missing=OfftopicDataError):
        if d["feed"] != feed:
            continue
        text = "\n\n".join(d["paragraphs"]) if d.get("paragraphs") else d["text"]
        yield {"id": "reuters-" + d["id"], "text": text, "title": d.get("title"),
               "published": (d.get("post_date") or "")[:10] or None}


def evaluate(data_dir: Path, *, feed: str = "technologyNews", workers: int = 0) -> dict[str, Any]:
    rows = list(stories(data_dir, feed=feed))
    if not rows:
        raise OfftopicDataError(f"no stories of the feed {feed!r}")
    out = run_product(rows, workers=workers)
    by_type = Counter(e.get("event_type") for e in out.events)
    return {"feed": feed, "stories": len(rows), "events": len(out.events),
            "events_per_story": round(len(out.events) / len(rows), 4),
            "by_type": dict(sorted(by_type.items(), key=lambda kv: (-kv[1], str(kv[0])))),
            "inputs_failed": len(out.failures)}
