"""ECB+ document clustering: are reports of one real-world event grouped together,
and are look-alike events (same topic, other subtopic) kept apart?

Usage: ``python -m wirewatch.eval.ecb PATH/ecbplus_docs.jsonl [--topics 1-35]``

Scores :func:`wirewatch.dedup.cluster_documents` run inside each topic, gold =
``subtopic``.  Prints per-topic and overall B³ precision / recall / F1
(overall = micro-average over documents) and the look-alike separation rate
(share of cross-subtopic document pairs of a topic put in different clusters),
then one JSON line with the same numbers.  Only the dev topics 1-35 are scored
by default; topics 36-45 are held out and refused unless explicitly allowed.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..dedup import cluster_documents

log = logging.getLogger(__name__)

DEV_TOPICS = range(1, 36)
HELD_OUT_TOPICS = range(36, 46)


@dataclass(frozen=True, slots=True)
class TopicScore:
    topic: int
    docs: int
    clusters: int
    precision: float
    recall: float
    f1: float
    lookalike_pairs: int
    lookalike_separated: int


@dataclass(frozen=True, slots=True)
class EcbResult:
    topics: list[TopicScore]
    precision: float
    recall: float
    f1: float
    separation: float

    def to_record(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "separation": round(self.separation, 4),
            "docs": sum(t.docs for t in self.topics),
            "topics": [asdict(t) for t in self.topics],
        }


def b_cubed(labels: Sequence[object], gold: Sequence[object]) -> tuple[float, float]:
    """Summed (not averaged) per-item B³ precision and recall."""
    by_label: dict[object, set[int]] = defaultdict(set)
    by_gold: dict[object, set[int]] = defaultdict(set)
    for i, (lab, g) in enumerate(zip(labels, gold, strict=True)):
        by_label[lab].add(i)
        by_gold[g].add(i)
    p = r = 0.0
    for i in range(len(labels)):
        c, g = by_label[labels[i]], by_gold[gold[i]]
        inter = len(c & g)
        p += inter / len(c)
        r += inter / len(g)
    return p, r


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def load_docs(path: Path, *, topics: Sequence[int]) -> dict[int, list[dict]]:
    wanted = set(topics)
    out: dict[int, list[dict]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["topic"] in wanted:
                out[row["topic"]].append(row)
    for docs in out.values():
        docs.sort(key=lambda r: r["doc_name"])
    return dict(sorted(out.items()))


def evaluate(path: Path, *, topics: Sequence[int] = DEV_TOPICS, allow_held_out: bool = False) -> EcbResult:
    bad = sorted(set(topics) & set(HELD_OUT_TOPICS))
    if bad and not allow_held_out:
        raise ValueError(f"topics {bad} are held out; score dev topics 1-35 only")
    scores = []
    p_sum = r_sum = 0.0
    n_docs = pairs = separated = 0
    for topic, rows in load_docs(path, topics=topics).items():
        labels = cluster_documents([(r["doc_name"], r["text"], None) for r in rows])
        gold = [r["subtopic"] for r in rows]
        p, r = b_cubed(labels, gold)
        n = len(rows)
        t_pairs = t_sep = 0
        for i in range(n):
            for j in range(i + 1, n):
                if gold[i] != gold[j]:
                    t_pairs += 1
                    t_sep += labels[i] != labels[j]
        scores.append(TopicScore(topic, n, len(set(labels)), p / n, r / n, _f1(p / n, r / n), t_pairs, t_sep))
        p_sum, r_sum, n_docs = p_sum + p, r_sum + r, n_docs + n
        pairs, separated = pairs + t_pairs, separated + t_sep
    if not n_docs:
        raise ValueError(f"no documents of topics {list(topics)[:3]}... in {path}")
    prec, rec = p_sum / n_docs, r_sum / n_docs
    return EcbResult(scores, prec, rec, _f1(prec, rec), separated / pairs if pairs else 1.0)


def _parse_topics(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wirewatch.eval.ecb", description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="ecbplus_docs.jsonl")
    ap.add_argument("--topics", default="1-35", help="topics to score, e.g. 1-35 or 1,3,5 (default: dev 1-35)")
    args = ap.parse_args(argv)
    res = evaluate(args.path, topics=_parse_topics(args.topics))
    lines = [f"{'topic':>5} {'docs':>4} {'clus':>4} {'P':>6} {'R':>6} {'F1':>6} {'sep':>6}"]
    for t in res.topics:
        sep = t.lookalike_separated / t.lookalike_pairs if t.lookalike_pairs else 1.0
        lines.append(f"{t.topic:>5} {t.docs:>4} {t.clusters:>4} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {sep:6.3f}")
    lines.append(f"{'all':>5} {sum(t.docs for t in res.topics):>4} {'':>4} {res.precision:6.3f} {res.recall:6.3f} "
                 f"{res.f1:6.3f} {res.separation:6.3f}")
    print("\n".join(lines))  # this module is a command-line report
    print(json.dumps(res.to_record()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
