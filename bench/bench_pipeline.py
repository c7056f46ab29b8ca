"""End-to-end throughput against a same-run baseline.

    python bench/bench_pipeline.py [--articles 5000] [--corpus PATH] [--skip-baseline]

Corpus: the Reuters stories in ../shared/eval/reuters-topnews-2016 (replicated,
with a copy number appended so every copy is a distinct article, up to
``--articles``).  Reports articles/s, words/s and peak RSS for

* baseline: spaCy's full ``en_core_web_sm`` pipeline over every article, nothing else;
* wirewatch: ``ingest`` into a fresh SQLite file (split, parse, extract, geocode, merge, store),

each in its own child process (so peak RSS is per run), and prints the ratio.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "reuters-topnews-2016" / "reuters_topnews_2016H1.jsonl"


def make_corpus(src: Path, n: int, out: Path) -> tuple[int, int]:
    """Write ``n`` articles in wirewatch's JSONL input format; return (articles, words)."""
    rows = [json.loads(line) for line in src.open(encoding="utf-8")]
    words = 0
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            r = rows[i % len(rows)]
            copy = i // len(rows)
            text = r["text"] if copy == 0 else f"{r['text']}\n\n(Copy {copy})"
            words += len(text.split())
            f.write(json.dumps({"id": f"{r['id']}#{copy}", "text": text, "title": r.get("title"),
                                "published": (r.get("post_date") or "")[:10] or None}) + "\n")
    return n, words


def _baseline(corpus: Path, q: mp.Queue) -> None:
    from wirewatch.nlp import load_model

    nlp = load_model()
    texts = (json.loads(line)["text"] for line in corpus.open(encoding="utf-8"))
    t0 = time.perf_counter()
    n = 0
    for _doc in nlp.pipe(texts, batch_size=32):
        n += 1
    q.put((time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _wirewatch(corpus: Path, db: Path, q: mp.Queue) -> None:
    from wirewatch.batch import ingest
    from wirewatch.config import Settings
    from wirewatch.nlp import load_model
    from wirewatch.pipeline import Resources
    from wirewatch.store.sqlite import SQLiteStore

    settings = Settings(db=str(db))
    # warm the model and gazetteer outside the timed part, as the baseline loads its model untimed
    load_model(settings.spacy_models)
    Resources(settings).gazetteer  # noqa: B018
    t0 = time.perf_counter()
    with SQLiteStore.open(db) as store:
        result = ingest([str(corpus)], store=store, settings=settings)
        events = store.event_count()
    q.put((time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, events,
           len(result.failures)))


def run(target, *args) -> tuple:
    q: mp.Queue = mp.get_context("spawn").Queue()
    p = mp.get_context("spawn").Process(target=target, args=(*args, q))
    p.start()
    out = q.get()
    p.join()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        n, words = make_corpus(args.corpus, args.articles, corpus)
        print(f"corpus: {n} articles, {words} words")
        results = {}
        if not args.skip_baseline:
            secs, rss = run(_baseline, corpus)
            results["baseline"] = (secs, rss)
            print(f"baseline  (spaCy full pipeline): {n / secs:8.1f} articles/s {words / secs:9.0f} words/s "
                  f"peak RSS {rss / 1024:.0f} MB")
        secs, rss, events, failed = run(_wirewatch, corpus, Path(tmp) / "bench.db")
        results["wirewatch"] = (secs, rss)
        print(f"wirewatch (ingest end to end):   {n / secs:8.1f} articles/s {words / secs:9.0f} words/s "
              f"peak RSS {rss / 1024:.0f} MB; {events} events, {failed} failed inputs")
        if "baseline" in results:
            print(f"ratio wirewatch/baseline articles/s: {results['baseline'][0] / secs:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
