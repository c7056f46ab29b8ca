"""Choose the story threshold by cross-validation over ECB+ dev topics (never the held-out ones).

    python scripts/cv_stories.py [../shared/eval/ecbplus-event-coref/ecbplus_docs.jsonl] [--folds 5] [--orders 3]

Every dev document goes through one :class:`wirewatch.merge.dedup.ArticleIndex` per threshold (no topic,
no date, in the file's order and in shuffled orders).  The topics are split into folds; for each
fold the threshold with the best mean B-cubed F1 on the other folds is chosen and scored on the fold.
Prints one JSON line per fold and a summary line (the chosen thresholds and the held-in figures).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from wirewatch.merge.dedup import ArticleIndex
from wirewatch.models import Article
from wirewatch.merge.stories import StorySettings

THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def topic_scores(docs: list[dict], story: dict[str, str]) -> dict[int, tuple[float, float, int, int, int]]:
    """Per topic: summed B-cubed precision and recall, documents, look-alike pairs apart, pairs."""
    by_topic: dict[int, list[dict]] = defaultdict(list)
    for d in docs:
        by_topic[d["topic"]].append(d)
    out = {}
    for topic, ds in by_topic.items():
        p = r = 0.0
        ok = pairs = 0
        for d in ds:
            same = [x for x in ds if story[x["doc_name"]] == story[d["doc_name"]]]
            inter = sum(1 for x in same if x["subtopic"] == d["subtopic"])
            p += inter / len(same)
            r += inter / sum(1 for x in ds if x["subtopic"] == d["subtopic"])
        for i, a in enumerate(ds):
            for b in ds[i + 1:]:
                if a["subtopic"] != b["subtopic"]:
                    pairs += 1
                    ok += story[a["doc_name"]] != story[b["doc_name"]]
        out[topic] = (p, r, len(ds), ok, pairs)
    return out


def figures(scores: dict[int, tuple], topics) -> dict[str, float]:
    p = sum(scores[t][0] for t in topics)
    r = sum(scores[t][1] for t in topics)
    n = sum(scores[t][2] for t in topics)
    ok = sum(scores[t][3] for t in topics)
    pairs = sum(scores[t][4] for t in topics)
    P, R = p / n, r / n
    return {"p": round(P, 4), "r": round(R, 4), "f1": round(2 * P * R / (P + R), 4) if P + R else 0.0,
            "apart": round(ok / pairs, 4) if pairs else 1.0}


def run(docs: list[dict], threshold: float, seed: int | None) -> dict[str, str]:
    order = list(docs)
    if seed is not None:
        random.Random(seed).shuffle(order)
    index = ArticleIndex(stories=StorySettings(threshold=threshold))
    story = {}
    for d in order:
        a = Article(id=d["doc_name"], text=d["text"], body=d["text"])
        story[d["doc_name"]] = index.add(a, ArticleIndex.signature(a)).story_id
    return story


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default="../shared/eval/ecbplus-event-coref/ecbplus_docs.jsonl")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--orders", type=int, default=3, help="the file's order plus N-1 shuffled orders")
    ap.add_argument("--thresholds", type=float, nargs="*", default=THRESHOLDS)
    args = ap.parse_args(argv)
    docs = [d for d in map(json.loads, Path(args.path).open(encoding="utf-8")) if d["topic"] <= 35]
    seeds = [None, *range(1, args.orders)]
    scores = {(t, s): topic_scores(docs, run(docs, t, s)) for t in args.thresholds for s in seeds}
    topics = sorted({d["topic"] for d in docs})
    folds = [topics[i::args.folds] for i in range(args.folds)]
    chosen, held = [], []
    for i, fold in enumerate(folds):
        train = [t for t in topics if t not in fold]
        best = max(args.thresholds, key=lambda th: (sum(figures(scores[(th, s)], train)["f1"] for s in seeds), -th))
        test = [figures(scores[(best, s)], fold) for s in seeds]
        chosen.append(best)
        held.extend(test)
        print(json.dumps({"fold": i, "threshold": best, "held_in": test}))
    for th in args.thresholds:
        print(json.dumps({"threshold": th, "all": [figures(scores[(th, s)], topics) for s in seeds]}))
    mean = {k: round(sum(h[k] for h in held) / len(held), 4) for k in ("p", "r", "f1", "apart")}
    print(json.dumps({"chosen": chosen, "held_in_mean": mean}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
