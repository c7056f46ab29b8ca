"""Scaling of event merging and near-duplicate indexing: 10,000 articles vs 1,000.

    python bench/bench_merge.py [--small 1000] [--large 10000] [--per-day 30] [--repeat 15] [--fixed-range] [--no-gc]
                                [--single] [--same-slice] [--reuse-memory] [--unbracketed]
                                [--refresh]

Synthetic data, no corpus needed.  A feed carries ``--per-day`` articles a day
(a 1,000-article case is about a month of the 10,000-article year), spread over 25
countries with 40 places each.  Every article reports 1-4 events; half of the
events are re-reported by 1-4 later articles (same place or a district nearby,
same day, figures rising), so merging has real work to do.  With
``--fixed-range`` both sizes span the same 30 days instead (ten times the
density: the worst case for blocking).

Reports the best-of-``--repeat`` CPU seconds (and wall seconds) of ``merge_mentions`` and of
``ArticleIndex.add`` (signatures precomputed, as the store keeps them) for both sizes, and their
CPU-time ratios: each round times the small case and then the large one back to back, and one more
small timing closes the last round, so each large timing is bracketed by two small ones; the ratio of
each round (large over the mean of its two brackets; ``--unbracketed``: over the small one before it)
is recorded, and the gate (< 11x; exit status 1 above it) is the median of these paired ratios; the
ratio of the two best-ofs is printed too; one JSON line at the end.

Each timing of the small case covers ``large // small`` back-to-back runs (their mean is recorded), so a
timing of either size lasts about as long: with single runs, the best of a few 0.2-second timings
dodges this shared machine's noise far more often than the best of a few 3-second ones, which biased
the ratio upwards (``--single`` times one run at a time, as before, for comparison).

Those runs merge distinct slices: the feed's ten consecutive stretches of 1,000 articles, which together
are exactly the 10,000 the large case merges at once, so both sizes handle the same data and the ratio
isolates what merging it in one go costs over merging it in tenths.  Re-merging the first slice ten times
(``--same-slice``, how earlier versions timed it) finds its articles and mentions warm in the CPU's
caches from the second run on, which a single run of the large case never does: that measured ~5-10%
of cache effect on top of the algorithm's scaling.  With ``--fixed-range`` each slice is its own feed.
Each run's result (its events, its index) also stays alive until the timing ends, so every run gets its
memory fresh from the allocator as a lone 1,000-article merge does; freeing each before the next
(``--reuse-memory``, how earlier versions timed it) let runs two to ten reuse pages already faulted in and
warm in cache: counted with ``getrusage``, ~100-160 minor page faults per ten index loads that way against
~8,000 with results kept and ~13,000 for the one 10,000-article load, worth ~4-5% of the index ratio.

``--refresh`` also stores each feed in a SQLite file (all but its last 20 articles, merged) and
times what one more ingest's event refresh costs: storing the last 20 articles and
``refresh_events`` (incremental: only what they reach is merged again), then a full re-merge of
every stored mention (what each ingest cost before).  The incremental refresh should cost about
the same in a store of 10,000 articles as in one of 1,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wirewatch.merge.dedup import ArticleIndex  # noqa: E402
from wirewatch.merge.core import merge_mentions  # noqa: E402
from wirewatch.models import Article, Claim, EventMention, Evidence, Location  # noqa: E402

SUBTYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Arrests"),
    ("Displacement", "Internal displacement"),
]
ACTORS = [None, None, "Islamic State", "Military Forces of Syria", "Al Shabaab", "Taliban", "Boko Haram"]
WORDS = ("forces militants village town district police army rebels attack killed wounded fighting offensive "
         "checkpoint convoy market mosque officials residents monitor ministry governor spokesman clashes air "
         "strike shelling bomb explosion civilians soldiers displaced aid camp border road bridge").split()


def _vocabulary(rng: random.Random, n: int = 4000) -> tuple[list[str], list[float]]:
    """Pseudo-words with Zipf weights: a news-like spread of common and rare terms."""
    syll = ["ka", "ro", "mi", "tel", "an", "su", "dor", "ve", "li", "qua", "ber", "os", "im", "zu", "pha", "ren"]
    words = list(WORDS)
    while len(words) < n:
        w = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
        if w not in words:
            words.append(w)
    return words, [1.0 / (rank + 1) for rank in range(len(words))]


def _places(rng: random.Random) -> dict[str, list[tuple[str, float, float, str]]]:
    out = {}
    for c in range(25):
        cc = f"C{c:02d}"
        lat0, lon0 = rng.uniform(-30, 50), rng.uniform(-20, 80)
        out[cc] = [(f"Place{c}_{p}", lat0 + rng.uniform(-3, 3), lon0 + rng.uniform(-3, 3), f"Adm{c}_{p % 8}")
                   for p in range(40)]
    return out


def make_data(n_articles: int, *, per_day: int, fixed_days: int | None, seed: int = 1):
    """Articles and mentions for ``n_articles`` reports (deterministic for a seed)."""
    rng = random.Random(seed)
    places = _places(rng)
    vocab, weights = _vocabulary(rng)
    countries = sorted(places)
    days = fixed_days or max(1, n_articles // per_day)
    start = dt.date(2017, 1, 1)
    articles: dict[str, Article] = {}
    mentions: list[EventMention] = []
    followups: list[tuple[int, dict]] = []  # (article index due, event) re-reports
    for i in range(n_articles):
        published = start + dt.timedelta(days=i * days // n_articles)
        due = [ev for k, ev in followups if k == i]
        followups = [(k, ev) for k, ev in followups if k != i]
        events = due + [None] * rng.randint(0 if due else 1, 3)
        cc = rng.choice(countries)
        aid = f"art{i:06d}"
        sentences, body_parts, pos = [], [], 0
        for ev in events:
            if ev is None:
                etype, sub = rng.choice(SUBTYPES)
                name, lat, lon, adm = rng.choice(places[cc])
                ev = {"type": etype, "sub": sub, "cc": cc, "name": name, "lat": lat, "lon": lon, "adm": adm,
                      "day": published - dt.timedelta(days=rng.choice([0, 0, 1])), "actor": rng.choice(ACTORS),
                      "killed": rng.choice([None, rng.randint(1, 60)])}
                if rng.random() < 0.5:
                    for _ in range(rng.randint(1, 4)):
                        k = i + rng.randint(1, 3 * per_day)
                        if k < n_articles:
                            followups.append((k, dict(ev, killed=(ev["killed"] or 0) + rng.randint(0, 9) or None)))
            words = " ".join(rng.choices(vocab, weights, k=rng.randint(15, 40)))
            sentence = f"In {ev['name']} {words}."
            sentences.append((sentence, pos, ev))
            body_parts.append(sentence)
            pos += len(sentence) + 1
        body = " ".join(body_parts)
        articles[aid] = Article(id=aid, text=body, body=body, headline=f"{sentences[0][2]['name']} report {i}",
                                published=published, dateline_places=[sentences[0][2]["name"]], agency="Wire")
        for sentence, off, ev in sentences:
            jitter = rng.random() < 0.3
            loc = Location(location=ev["name"], country=ev["cc"], country_code=ev["cc"], admin1=ev["adm"], admin2=None,
                           latitude=ev["lat"] + (rng.uniform(-0.02, 0.02) if jitter else 0.0),
                           longitude=ev["lon"] + (rng.uniform(-0.02, 0.02) if jitter else 0.0),
                           geonameid=None, geo_precision=rng.choice([1, 1, 1, 2, 3]))
            claims = []
            if ev["killed"]:
                claims.append(Claim("killed", ev["killed"], ev["killed"], None, sentence, rng.choice(["police", "monitor"]),
                                    aid, off, off + len(sentence)))
            mentions.append(EventMention(
                id=f"{aid}:{off}", article_id=aid, event_type=ev["type"], sub_event_type=ev["sub"],
                evidence=[Evidence(aid, sentence, off, off + len(sentence))], event_date=ev["day"],
                date_start=ev["day"], date_end=ev["day"], time_precision=1, actor1=ev["actor"], location=loc,
                claims=claims))
    return articles, mentions


NO_GC = False  # set by --no-gc


def _timed(fn) -> tuple[float, float, int]:
    """CPU and wall seconds of ``fn()`` and the minor page faults it took (memory fresh from the OS)."""
    if NO_GC:
        gc.disable()
    try:
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        return cpu, wall, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
    finally:
        gc.enable()


class _Slice:
    """One merge's input: consecutive articles of a feed, their mentions and precomputed signatures."""

    def __init__(self, items: list[tuple[str, Article]], mentions: list[EventMention]) -> None:
        self.articles = dict(items)
        self.mentions = [m for m in mentions if m.article_id in self.articles]
        self.arts = list(self.articles.values())
        self.sigs = [ArticleIndex.signature(a) for a in self.arts]


class _Case:
    """One data size: its data, signatures, and the best times seen so far."""

    def __init__(self, data: tuple[dict[str, Article], list[EventMention]] | list, n: int, *, runs: int = 1,
                 distinct: bool = True, reuse_memory: bool = False) -> None:
        """Slices of ``n`` consecutive articles of ``data`` (a feed in publication order); each timing covers
        ``runs`` back-to-back runs, one per slice, and records their mean.  With ``distinct`` the slices are
        the feed's first ``runs`` stretches of ``n`` articles (together as many articles as ``runs * n``);
        without it, every run merges the first ``n`` articles again (their data then sits warm in the CPU's
        caches from the second run on, which a single run of the other size never enjoys).  Each run's result
        stays alive until the timing ends unless ``reuse_memory``: freeing it before the next run hands that run
        memory already paged in and warm in cache, which a lone run of ``n`` articles never gets."""
        self.n = n
        self.reuse_memory = reuse_memory
        self.runs = runs
        t0 = time.process_time()
        if isinstance(data, list):  # one feed per slice: the first ``n`` articles of each
            feeds = data if distinct else data[:1]
            if len(feeds) < (runs if distinct else 1):
                raise ValueError(f"{runs} distinct slices need {runs} feeds, got {len(feeds)}")
            parts = [_Slice(list(f[0].items())[:n], f[1]) for f in feeds]
        else:
            items = list(data[0].items())
            if distinct and runs * n > len(items):
                raise ValueError(f"{runs} distinct slices of {n} articles need {runs * n} articles, "
                                 f"the feed has {len(items)}")
            parts = [_Slice(items[k * n:(k + 1) * n], data[1]) for k in range(runs if distinct else 1)]
        first = parts[0]
        self.slices = parts if distinct else [first] * runs
        self.signature_s = (time.process_time() - t0) / len(parts)
        self.articles, self.mentions, self.arts, self.sigs = first.articles, first.mentions, first.arts, first.sigs
        self.mean_mentions = statistics.fmean(len(sl.mentions) for sl in self.slices)
        self.events = statistics.fmean(len(merge_mentions(sl.mentions, sl.articles)) for sl in self.slices)
        self.best = {"merge": (float("inf"), float("inf")), "index_add": (float("inf"), float("inf"))}
        self.rounds: dict[str, list[float]] = {"merge": [], "index_add": []}  # CPU per run, one entry per round
        self.faults = {"merge": 0, "index_add": 0}  # minor page faults of the last timing (all its runs)

    def _merge_all(self) -> None:
        held = []
        for sl in self.slices:
            events = merge_mentions(sl.mentions, sl.articles)
            if not self.reuse_memory:
                held.append(events)
        del held  # inside the timing, as the large case frees its one result

    def _add_all(self) -> None:  # as an ingest loads a store's index (batch._load_index)
        held = []
        for sl in self.slices:
            index = ArticleIndex()
            index.add_many(zip(sl.arts, sl.sigs, strict=True))
            if not self.reuse_memory:
                held.append(index)
        del held

    def run_once(self) -> None:
        for name, fn in (("merge", self._merge_all), ("index_add", self._add_all)):
            gc.collect()  # start each timing with the previous run's garbage gone
            cpu, wall, faults = _timed(fn)
            cpu, wall = cpu / self.runs, wall / self.runs
            self.faults[name] = faults
            old = self.best[name]
            self.best[name] = (min(old[0], cpu), min(old[1], wall))
            self.rounds[name].append(cpu)

    def refresh(self, tail: int = 20) -> dict:
        """CPU seconds of an ingest's refresh: ``tail`` new articles into a store holding the others."""
        import tempfile

        from wirewatch.pipeline.batch import refresh_events
        from wirewatch.store.sqlite import SQLiteStore

        by_article: dict[str, list[EventMention]] = {}
        for m in self.mentions:
            by_article.setdefault(m.article_id, []).append(m)
        with tempfile.TemporaryDirectory() as d, SQLiteStore.open(Path(d) / "bench.db") as store:
            for a, sig in zip(self.arts[:-tail], self.sigs[:-tail], strict=True):
                store.add_article(a, by_article.get(a.id, []), run_id=None, minhash=sig)
            refresh_events(store, run_id=None)
            gc.collect()
            c0 = time.process_time()
            for a, sig in zip(self.arts[-tail:], self.sigs[-tail:], strict=True):
                store.add_article(a, by_article.get(a.id, []), run_id=None, minhash=sig)
            changed = len(refresh_events(store, run_id=None))
            incremental = time.process_time() - c0
            gc.collect()
            c0 = time.process_time()
            refresh_events(store, run_id=None, full=True)
            full = time.process_time() - c0
        return {"articles": self.n, "new_articles": tail, "events_merged_again": changed,
                "incremental_refresh_s": round(incremental, 3), "full_refresh_s": round(full, 3)}

    def record(self) -> dict:
        return {"articles": self.n, "mentions": round(self.mean_mentions), "events": round(self.events),
                "merge_s": round(self.best["merge"][0], 3), "index_add_s": round(self.best["index_add"][0], 3),
                "signature_s": round(self.signature_s, 3), "merge_wall_s": round(self.best["merge"][1], 3),
                "index_add_wall_s": round(self.best["index_add"][1], 3), "page_faults": dict(self.faults)}


def _paired_ratios(small: list[float], large: list[float], *, bracketed: bool) -> list[float]:
    """One ratio per round: the large timing over the small one just before it, or (``bracketed``) over the
    mean of the small timings just before and just after it, which cancels a machine speed that drifts
    steadily over the round (this VM's throughput wanders by several percent over seconds)."""
    if bracketed:
        if len(small) != len(large) + 1:
            raise ValueError(f"bracketing needs one more small timing than large ones ({len(small)}, {len(large)})")
        return [lg / ((small[i] + small[i + 1]) / 2) for i, lg in enumerate(large)]
    return [lg / sm for sm, lg in zip(small, large, strict=True)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000)
    ap.add_argument("--per-day", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=15,
                    help="rounds (this VM's speed swings up to 2x over seconds: fewer rounds leave the median noisy)")
    ap.add_argument("--fixed-range", action="store_true", help="both sizes over the same 30 days")
    ap.add_argument("--refresh", action="store_true",
                    help="also time an ingest's event refresh in a SQLite store of each size (incremental vs full)")
    ap.add_argument("--single", action="store_true",
                    help="time the small case one run at a time (default: as many runs per timing as the sizes' "
                         "ratio, so both sizes' timings last about as long and meet the same machine noise)")
    ap.add_argument("--same-slice", action="store_true",
                    help="time the small case on its first slice every run (the warm-cache way of earlier versions) "
                         "instead of on the feed's consecutive distinct slices")
    ap.add_argument("--reuse-memory", action="store_true",
                    help="free each small run's result before the next run (earlier versions' way: later runs then "
                         "reuse memory already paged in and warm in cache; default: results stay alive until the "
                         "timing ends, so each run gets fresh memory as a lone run would)")
    ap.add_argument("--unbracketed", action="store_true",
                    help="pair each large timing with the small one just before it only (earlier versions' way; "
                         "default: with the mean of the small timings before and after it)")
    ap.add_argument("--no-gc", action="store_true",
                    help="disable Python's cyclic GC inside timings (separates algorithmic scaling from collector cost)")
    args = ap.parse_args(argv)
    global NO_GC
    NO_GC = args.no_gc
    fixed = 30 if args.fixed_range else None
    small_runs = 1 if args.single else max(1, args.large // args.small)
    distinct = not args.same_slice
    if fixed:  # both sizes over the same days: a small feed per slice (seeds 1, 2, ...), one large feed
        small_feeds = [make_data(args.small, per_day=args.per_day, fixed_days=fixed, seed=1 + k)
                       for k in range(small_runs if distinct else 1)]
        cases = [_Case(small_feeds, args.small, runs=small_runs, distinct=distinct, reuse_memory=args.reuse_memory),
                 _Case(make_data(args.large, per_day=args.per_day, fixed_days=fixed), args.large)]
    else:  # one feed: the small case's slices are its consecutive stretches, the large one its whole year
        feed = make_data(args.large, per_day=args.per_day, fixed_days=None)
        cases = [_Case(feed, args.small, runs=small_runs, distinct=distinct, reuse_memory=args.reuse_memory),
                 _Case(feed, args.large)]
    # The synthetic inputs are not what is measured: keep the cyclic GC from walking them on every
    # full collection (that cost depends on the size of the whole heap, i.e. on the bench itself).
    gc.collect()
    gc.freeze()
    for _ in range(args.repeat):  # interleaved, so both sizes see the same machine load
        for case in cases:
            case.run_once()
    if not args.unbracketed:
        cases[0].run_once()  # one more small timing, so every large one is bracketed by two small ones
    small, large = (c.record() for c in cases)
    best_merge = large["merge_s"] / small["merge_s"]
    best_add = large["index_add_s"] / small["index_add_s"]
    # Paired ratios: in each round the two sizes run back to back, so a round's ratio sees one level of
    # machine noise; their median is the gate's figure.  (The ratio of the two independent best-ofs, also
    # printed, can pair the small case's luckiest moment with the large case's worst.)
    paired = {name: sorted(_paired_ratios(cases[0].rounds[name], cases[1].rounds[name],
                                          bracketed=not args.unbracketed))
              for name in ("merge", "index_add")}
    merge_ratio, add_ratio = (statistics.median(paired[name]) for name in ("merge", "index_add"))
    for r in (small, large):
        print(f"{r['articles']:>6} articles {r['mentions']:>6} mentions -> {r['events']:>6} events: "
              f"merge {r['merge_s']:.3f}s, index add {r['index_add_s']:.3f}s, signatures {r['signature_s']:.3f}s CPU "
              f"(wall: merge {r['merge_wall_s']:.3f}s, index add {r['index_add_wall_s']:.3f}s; minor page faults per timing: "
              f"merge {r['page_faults']['merge']}, index add {r['page_faults']['index_add']})")
    print(f"(CPU per run; the {args.small}-article case timed {small_runs} run(s) at a time, "
          f"{'on distinct slices' if distinct and small_runs > 1 else 'on one slice'})")
    print(f"ratio of the best times: merge {best_merge:.2f}x, index add {best_add:.2f}x")
    print("paired ratios per round: merge " + " ".join(f"{r:.2f}" for r in paired["merge"])
          + "; index add " + " ".join(f"{r:.2f}" for r in paired["index_add"]))
    print(f"ratio {args.large // args.small}x articles (median of the paired rounds): merge {merge_ratio:.2f}x, "
          f"index add {add_ratio:.2f}x (gate < 11x: {'ok' if max(merge_ratio, add_ratio) < 11 else 'FAIL'})")
    out = {"small": small, "large": large, "merge_ratio": round(merge_ratio, 2),
           "index_add_ratio": round(add_ratio, 2), "paired_merge_ratios": [round(r, 2) for r in paired["merge"]],
           "paired_index_add_ratios": [round(r, 2) for r in paired["index_add"]],
           "best_merge_ratio": round(best_merge, 2), "best_index_add_ratio": round(best_add, 2),
           "fixed_range": args.fixed_range, "no_gc": args.no_gc, "small_runs_per_timing": small_runs,
           "small_distinct_slices": distinct and small_runs > 1, "reuse_memory": args.reuse_memory,
           "bracketed": not args.unbracketed}
    if args.refresh:
        gc.unfreeze()
        rs, rl = (c.refresh() for c in cases)
        for r in (rs, rl):
            print(f"{r['articles']:>6} stored + {r['new_articles']} new: "
                  f"incremental refresh {r['incremental_refresh_s']:.3f}s"
                  f" ({r['events_merged_again']} events merged again), full re-merge {r['full_refresh_s']:.3f}s CPU")
        print(f"refresh ratio {args.large // args.small}x stored articles: incremental "
              f"{rl['incremental_refresh_s'] / max(rs['incremental_refresh_s'], 1e-9):.2f}x, "
              f"full {rl['full_refresh_s'] / max(rs['full_refresh_s'], 1e-9):.2f}x")
        out["refresh"] = {"small": rs, "large": rl}
    print(json.dumps(out))
    return 0 if max(merge_ratio, add_ratio) < 11 else 1


if __name__ == "__main__":
    raise SystemExit(main())
