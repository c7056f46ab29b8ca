"""Do the pipeline's speed tricks still gain >= 10% on their targets?  (issue #24)

    python bench/bench_tricks.py [--stories 250] [--rounds 3] [--merge-articles 10000] [--merge-rounds 5]
                                 [--tricks regexgate,rulerfast] [--only pipeline|gc|lsh] [--out FILE.json]

Each trick is timed against the plain path in the same process, in interleaved rounds (with, without,
with, without ...), as CPU seconds of this process (``time.process_time``: other work on a shared
machine moves wall time, much less CPU time).  A round's ratio is plain / trick; the median over the
rounds and the spread (min-max) are printed, with the outputs of both paths compared for equality.

* regexgate (``wirewatch.nlp.regexgate``): the literal pre-check before the cue regexes.  Plain path:
  ``may_match`` patched to always answer True in ``extract.subtypes`` and ``nlp.prefilter`` (so every
  ``rx.search`` runs, as without the gate).  Target: the per-article extraction, i.e. the CPU of the
  ``events.v2`` stage plus the prefilter's paragraph selection (``prefilter`` inside ``nlp.v2``).
* rulerfast (``wirewatch.nlp.rulerfast``): the attribute ruler's per-token lookup.  Plain path: the same
  model loaded the same way (lemmatizer disabled) but without ``speed_up``.  Target: spaCy's time in
  ``nlp.v2`` (the stage minus the prefilter).
* gcpause (``wirewatch.pipeline.gcpause``): the cyclic GC paused around the merge and the near-duplicate
  index load.  Plain path: ``collector_paused`` replaced by a no-op in ``merge.core`` and ``merge.dedup``.
  Target: ``merge_mentions`` and ``ArticleIndex.add_many`` over bench_merge's synthetic
  ``--merge-articles``-article feed.  The feed stays in the heap unfrozen, as a store's contents do in an ingest.
* lean LSH bands (``wirewatch.merge.dedup._Bands``): the near-duplicate index's candidate tables, one
  dictionary per band keyed by a machine-word hash of the band.  Plain path: datasketch's own
  ``MinHashLSH`` (with the same bands and rows, one per period).  Target: ``ArticleIndex.add_many`` over
  the same synthetic feed.

The first two run the default per-article stages (``Pipeline.run_many``) over the first ``--stories``
Reuters stories of ``../shared/eval/reuters-topnews-2016`` (skipped when that folder is absent), one
run per configuration per round: all tricks on, regexgate off, rulerfast off.  One JSON line at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import importlib
import json
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wirewatch.config import Settings  # noqa: E402
from wirewatch.ingest import infer_published, split_articles  # noqa: E402
from wirewatch.pipeline.registry import Pipeline, Resources  # noqa: E402
from reuters import reuters_raws  # noqa: E402  (bench/reuters.py)

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "eval" / "reuters-topnews-2016" / "reuters_topnews_2016H1.jsonl"


def _summary(name: str, plain: list[float], trick: list[float]) -> dict:
    ratios = [p / t for p, t in zip(plain, trick, strict=True)]
    med = statistics.median(ratios)
    return {"trick": name, "rounds": len(ratios), "plain_cpu_s": [round(x, 3) for x in plain],
            "trick_cpu_s": [round(x, 3) for x in trick], "ratios": [round(r, 3) for r in ratios],
            "median_ratio": round(med, 3), "spread": [round(min(ratios), 3), round(max(ratios), 3)],
            "median_gain": round(1 - 1 / med, 3), "keep": 1 - 1 / med >= 0.10}


# -- (1) regexgate and (2) rulerfast: the per-article pipeline -------------------------------------------
def load_stories(n: int) -> list:
    out = []
    for raw in reuters_raws(n, REUTERS):
        arts = split_articles(raw)
        infer_published(arts)
        out.extend(arts)
    return out


def stock_model(names: tuple[str, ...]):
    """The model as ``load_model`` loads it, lemmatizer disabled the same way, but without ``speed_up``."""
    from wirewatch.nlp import model as M

    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        if "lemmatizer" in nlp.pipe_names:
            nlp.disable_pipe("lemmatizer")
            M._LEMMATIZERS[id(nlp.vocab)] = (nlp.vocab, nlp.get_pipe("lemmatizer"))
        return nlp
    raise SystemExit("no spaCy model installed")


class StageClock:
    """CPU seconds per stage (and of the prefilter inside nlp.v2) of one pipeline run."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}

    def wrap(self, name: str, fn):
        def timed(*a, **k):
            c0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - c0
        return timed


def _mention_keys(mentions) -> list:
    from bench_prefilter import _key

    return sorted((_key(m) for m in mentions), key=repr)


def run_pipeline(articles, res: Resources, settings: Settings) -> tuple[dict[str, float], list, list]:
    import wirewatch.pipeline.stages as S

    clock = StageClock()
    pipe = Pipeline(settings, res)
    pipe.stages = [dataclasses.replace(st, func=clock.wrap(st.name, st.func),
                                       batch=clock.wrap(st.name, st.batch) if st.batch else None)
                   for st in pipe.stages]
    orig_prefilter = S.prefilter
    S.prefilter = clock.wrap("prefilter", orig_prefilter)
    try:
        gc.collect()
        c0 = time.process_time()
        mentions, docs = [], []
        for _a, state, err in pipe.run_many(dataclasses.replace(a) for a in articles):
            if err is not None:
                raise err
            mentions.extend(state.mentions)
            docs.append([(t.tag_, t.pos_, str(t.morph), t.lemma, t.dep_, t.ent_iob_, t.ent_type_)
                         for t in state.doc])
        clock.cpu["total"] = time.process_time() - c0
    finally:
        S.prefilter = orig_prefilter
    return clock.cpu, _mention_keys(mentions), docs


@contextlib.contextmanager
def gate_off():
    import wirewatch.extract.subtypes as sub
    import wirewatch.nlp.prefilter as pf

    saved = sub.may_match, pf.may_match
    sub.may_match = pf.may_match = lambda rx, folded: True
    try:
        yield
    finally:
        sub.may_match, pf.may_match = saved


def bench_pipeline(args) -> list[dict]:
    if not REUTERS.exists():
        print(f"skipped: {REUTERS} not found")
        return []
    articles = load_stories(args.stories)
    settings = Settings()
    res = Resources(settings)
    res.nlp, res.geoparser, res.actors  # noqa: B018  load before timing
    fast_nlp = res.nlp
    plain_nlp = stock_model(settings.spacy_models)
    assert fast_nlp.get_pipe("attribute_ruler").match is not None

    def on(): return run_pipeline(articles, res, settings)

    def no_gate():
        with gate_off():
            return run_pipeline(articles, res, settings)

    def no_ruler():
        res.__dict__["nlp"] = plain_nlp
        try:
            return run_pipeline(articles, res, settings)
        finally:
            res.__dict__["nlp"] = fast_nlp

    on(); no_ruler()  # warm-up: first-use caches (lemmas, memo, regex needles) are not what is measured
    runs: dict[str, list[dict[str, float]]] = {"on": [], "no_gate": [], "no_ruler": []}
    same = {"regexgate": True, "rulerfast": True}
    configs = [("on", on)] + [(n, f) for n, f, t in (("no_gate", no_gate, "regexgate"), ("no_ruler", no_ruler, "rulerfast"))
                              if t in args.tricks]
    for r in range(args.rounds):
        for name, fn in configs:
            cpu, keys, docs = fn()
            runs[name].append(cpu)
            if name == "on":
                ref = (keys, docs)
            elif name == "no_gate":
                same["regexgate"] &= (keys, docs) == ref
            else:
                same["rulerfast"] &= (keys, docs) == ref
            print(f"round {r + 1} {name:>8}: total {cpu['total']:.2f}s, events.v2 {cpu['events.v2']:.2f}s, "
                  f"prefilter {cpu['prefilter']:.2f}s, spaCy {cpu['nlp.v2'] - cpu['prefilter']:.2f}s CPU", flush=True)

    def target_gate(c): return c["events.v2"] + c["prefilter"]
    def target_ruler(c): return c["nlp.v2"] - c["prefilter"]

    out = []
    if "regexgate" in args.tricks:
        out += [_summary("regexgate (events.v2 + prefilter)", [target_gate(c) for c in runs["no_gate"]],
                         [target_gate(c) for c in runs["on"]]),
                _summary("regexgate (whole per-article pipeline)", [c["total"] for c in runs["no_gate"]],
                         [c["total"] for c in runs["on"]])]
    if "rulerfast" in args.tricks:
        out += [_summary("rulerfast (spaCy in nlp.v2)", [target_ruler(c) for c in runs["no_ruler"]],
                         [target_ruler(c) for c in runs["on"]]),
                _summary("rulerfast (whole per-article pipeline)", [c["total"] for c in runs["no_ruler"]],
                         [c["total"] for c in runs["on"]])]
    for row in out:
        row["identical_output"] = same["regexgate" if row["trick"].startswith("regexgate") else "rulerfast"]
        row["stories"] = args.stories
        row["articles"] = len(articles)
    return out


# -- (3) gcpause: merge and index load ---------------------------------------------------------------------
@contextlib.contextmanager
def gc_left_on():
    import wirewatch.merge.core as core
    import wirewatch.merge.dedup as dedup

    # since #24 only the merge pauses the collector; the index load no longer does (nothing to patch there)
    mods = [m for m in (core, dedup) if hasattr(m, "collector_paused")]
    saved = [m.collector_paused for m in mods]
    for m in mods:
        m.collector_paused = contextlib.nullcontext
    try:
        yield
    finally:
        for m, fn in zip(mods, saved, strict=True):
            m.collector_paused = fn


def bench_gc(args) -> list[dict]:
    from bench_merge import make_data

    from wirewatch.merge.core import merge_mentions
    from wirewatch.merge.dedup import ArticleIndex

    articles, mentions = make_data(args.merge_articles, per_day=30, fixed_days=None)
    arts = list(articles.values())
    sigs = [ArticleIndex.signature(a) for a in arts]

    def once() -> tuple[float, float, object, object]:
        gc.collect()
        c0 = time.process_time()
        events = merge_mentions(mentions, articles)
        c1 = time.process_time()
        index = ArticleIndex()
        results = index.add_many(zip([dataclasses.replace(a) for a in arts], sigs, strict=True))
        c2 = time.process_time()
        out = (repr(events), repr(results))
        del events, index, results
        return c1 - c0, c2 - c1, out[0], out[1]

    assert gc.isenabled()
    once()  # warm-up
    times = {"on": ([], []), "off": ([], [])}
    same = True
    for r in range(args.merge_rounds):
        m, a, ev, res = once()
        times["on"][0].append(m), times["on"][1].append(a)
        with gc_left_on():
            m2, a2, ev2, res2 = once()
        times["off"][0].append(m2), times["off"][1].append(a2)
        same &= ev == ev2 and res == res2
        print(f"round {r + 1}: merge {m:.3f}s paused / {m2:.3f}s GC on; index add {a:.3f}s paused / "
              f"{a2:.3f}s GC on (CPU)", flush=True)
    out = [_summary(f"gcpause (merge_mentions, {args.merge_articles} articles)", times["off"][0], times["on"][0]),
           _summary(f"gcpause (ArticleIndex.add_many, {args.merge_articles} articles)", times["off"][1],
                    times["on"][1]),
           _summary("gcpause (merge + index add)", [x + y for x, y in zip(*times["off"])],
                    [x + y for x, y in zip(*times["on"])])]
    for row in out:
        row["identical_output"] = same
    return out


@contextlib.contextmanager
def datasketch_lsh():
    """The near-duplicate index's candidate tables as datasketch's own ``MinHashLSH`` (one per period, as
    ``_Bands``): what ``ArticleIndex`` would do without its lean band tables."""
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    from wirewatch.merge.dedup import ArticleIndex

    saved = {name: ArticleIndex.__dict__[name] for name in ("_band_keys", "_table", "_query")}
    num_perm = ArticleIndex().num_perm

    def band_keys(params, hv: np.ndarray):
        return LeanMinHash(seed=1, hashvalues=hv, scheme="affine32")

    def table(tables, period, params):
        if period not in tables:
            bands, rows = params
            tables[period] = _LshTable(MinHashLSH(num_perm=num_perm, params=(bands, rows)))
        return tables[period]

    def query(self, tables, day, keys):
        period = self._period(day)
        out: set[int] = set()
        for near in [None] if period is None else [period - 1, period, period + 1]:
            found = tables.get(near)
            if found is not None:
                out.update(found.lsh.query(keys))
        return out

    ArticleIndex._band_keys, ArticleIndex._table, ArticleIndex._query = (
        staticmethod(band_keys), staticmethod(table), query)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(ArticleIndex, name, value)


class _LshTable:
    def __init__(self, lsh) -> None:
        self.lsh = lsh

    def insert(self, item: int, minhash) -> None:
        self.lsh.insert(item, minhash, check_duplication=False)


def bench_lsh(args) -> list[dict]:
    from bench_merge import make_data

    from wirewatch.merge.dedup import ArticleIndex

    articles, _mentions = make_data(args.merge_articles, per_day=30, fixed_days=None)
    arts = list(articles.values())
    sigs = [ArticleIndex.signature(a) for a in arts]

    def once() -> tuple[float, str]:
        gc.collect()
        c0 = time.process_time()
        index = ArticleIndex()
        results = index.add_many(zip([dataclasses.replace(a) for a in arts], sigs, strict=True))
        return time.process_time() - c0, repr(results)

    once()  # warm-up
    lean, plain, same = [], [], True
    for r in range(args.merge_rounds):
        t, res = once()
        with datasketch_lsh():
            t2, res2 = once()
        lean.append(t), plain.append(t2)
        same &= res == res2
        print(f"round {r + 1}: index add {t:.3f}s lean bands / {t2:.3f}s datasketch MinHashLSH (CPU)", flush=True)
    row = _summary(f"lean LSH bands (ArticleIndex.add_many, {args.merge_articles} articles)", plain, lean)
    row["identical_output"] = same
    return [row]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stories", type=int, default=250, help="Reuters stories for regexgate and rulerfast")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the pipeline configurations")
    ap.add_argument("--merge-articles", type=int, default=10000)
    ap.add_argument("--merge-rounds", type=int, default=5)
    ap.add_argument("--tricks", default="regexgate,rulerfast",
                    help="which of the per-article tricks to time against the all-on run (comma-separated)")
    ap.add_argument("--only", choices=("pipeline", "gc", "lsh"), default=None)
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON summary here")
    args = ap.parse_args(argv)
    args.tricks = set(args.tricks.split(","))
    logging.basicConfig(level=logging.WARNING)
    rows: list[dict] = []
    if args.only in (None, "gc"):
        rows += bench_gc(args)
    if args.only in (None, "lsh"):
        rows += bench_lsh(args)
    if args.only in (None, "pipeline"):
        rows += bench_pipeline(args)
    for row in rows:
        print(f"{row['trick']}: median plain/trick {row['median_ratio']:.3f} (spread {row['spread'][0]:.3f}-"
              f"{row['spread'][1]:.3f}, {row['rounds']} rounds), gain {row['median_gain']:.1%}, "
              f"identical output: {row['identical_output']} -> {'keep' if row['keep'] else 'delete'}")
    print(json.dumps(rows))
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
