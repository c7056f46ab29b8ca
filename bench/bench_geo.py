"""Geoparser benchmark: gazetteer build/load time and memory, lookup, per-article parse and locate time.

Usage: ``python bench/bench_geo.py [--rebuild] [--articles N]``
Builds into a temporary cache when ``--rebuild`` is given (otherwise uses the
default cache).  Articles come from the user's seed and ../shared/eval/reuters-topnews-2016
when present, else from the shipped sample wire file.
"""

from __future__ import annotations

import argparse
import json
import gc
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wirewatch.config import default_cache_dir  # noqa: E402
from wirewatch.geo.gazetteer import Gazetteer, build  # noqa: E402
from wirewatch.geo.geoparser import Geoparser  # noqa: E402
from wirewatch.models import Article  # noqa: E402


def _texts(limit: int) -> list[str]:
    shared = ROOT.parent / "shared"
    texts: list[str] = []
    reuters = shared / "eval" / "reuters-topnews-2016"
    for f in sorted(reuters.glob("*.jsonl")) if reuters.is_dir() else []:
        with open(f, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                body = json.loads(line).get("text") or ""
                if len(body) > 500:
                    texts.append(body)
    if not texts:
        sample = ROOT / "wirewatch" / "data" / "sample_wire.txt"
        if sample.exists():
            texts = [p for p in sample.read_text(encoding="utf-8").split("\n\n\n") if p.strip()]
    random.Random(0).shuffle(texts)
    return texts[:limit]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rebuild", action="store_true", help="time a fresh build in a temporary directory")
    ap.add_argument("--articles", type=int, default=200)
    args = ap.parse_args()

    cache = default_cache_dir()
    if args.rebuild:
        tmp = Path(tempfile.mkdtemp(prefix="wirewatch-bench-"))
        t = time.perf_counter()
        build(Gazetteer.cache_path(tmp))
        print(f"gazetteer build: {time.perf_counter() - t:.1f} s "
              f"({Gazetteer.cache_path(tmp).stat().st_size / 1e6:.0f} MB on disk)")
        cache = tmp
    tracemalloc.start()
    t = time.perf_counter()
    gaz = Gazetteer.load(cache_dir=cache)
    load_s = time.perf_counter() - t
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"gazetteer load: {load_s * 1000:.0f} ms, python heap {peak / 1e6:.1f} MB, "
          f"{gaz.size()} places, file {gaz.path.stat().st_size / 1e6:.0f} MB")

    names = ["Palmyra", "al-Bab", "Homs", "Mosul", "Turkey", "Springfield", "Deraa", "Tal Afar", "London",
             "Leer", "Arish", "Qwzxv", "North Sinai", "Paris", "Alexandria", "Jackson", "Kabul", "Helmand"]
    cold = []
    for n in names:
        gaz.lookup.cache_clear()
        t = time.perf_counter()
        gaz.lookup(n)
        cold.append(time.perf_counter() - t)
    t = time.perf_counter()
    reps = 20000
    for k in range(reps):
        gaz.lookup(names[k % len(names)])
    warm = (time.perf_counter() - t) / reps
    print(f"lookup: cold median {statistics.median(cold) * 1e6:.0f} µs, max {max(cold) * 1e6:.0f} µs; "
          f"memoised {warm * 1e6:.2f} µs")

    texts = _texts(args.articles)
    if not texts:
        print("no articles found for the parse benchmark")
        return
    gp = Geoparser(gaz)
    words = sum(len(x.split()) for x in texts)
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    n_places = 0
    for x in texts:
        n_places += len(gp.parse(x))
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    # CPU time as well: on a shared machine wall time swings with the other processes' load
    print(f"parse without spaCy: {len(texts)} articles, {words} words, {n_places} places, "
          f"{dt / len(texts) * 1000:.1f} ms/article ({cpu / len(texts) * 1000:.1f} ms CPU), {words / dt:.0f} words/s")
    try:
        from wirewatch.nlp.model import load_model

        nlp = load_model()
    except Exception as exc:  # pragma: no cover
        print(f"spaCy unavailable ({exc}); skipped the with-doc timing")
        return
    sub = texts[: min(60, len(texts))]
    t = time.perf_counter()
    docs = list(nlp.pipe(sub, batch_size=16))
    sp = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    for x, d in zip(sub, docs):
        gp.parse(x, doc=d, article=Article(id="b", text=x, body=x))
    gpt, gcpu = time.perf_counter() - t, time.process_time() - c
    print(f"spaCy: {sp / len(sub) * 1000:.1f} ms/article; geoparse with doc: {gpt / len(sub) * 1000:.1f} ms/article "
          f"({gcpu / len(sub) * 1000:.1f} ms CPU; {gpt / sp * 100:.0f}% of spaCy's time)")
    # locating one event over each lede: the faint reading (a second, lower-bar recognition pass) runs only for
    # an event no confident place placed, so this is its worst case beside the parse it follows
    from wirewatch.models import Evidence, EventMention

    t, c = time.perf_counter(), time.process_time()
    placed = 0
    for x, d in zip(sub, docs):
        art = Article(id="b", text=x, body=x)
        places = gp.parse(x, doc=d, article=art)
        lede = next(iter(d.sents)).end_char if len(d) else len(x)
        m = EventMention(id="b:0", article_id="b", event_type="Protests", sub_event_type="Peaceful protest",
                         evidence=[Evidence("b", x[:lede], 0, lede)])
        gp.locate(art, [m], places, doc=d)
        placed += m.location is not None
    lt, lcpu = time.perf_counter() - t, time.process_time() - c
    print(f"geoparse + locate (one event over the lede): {lt / len(sub) * 1000:.1f} ms/article "
          f"({lcpu / len(sub) * 1000:.1f} ms CPU; {lt / gpt * 100:.0f}% of geoparse alone); {placed} of {len(sub)} placed")
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
