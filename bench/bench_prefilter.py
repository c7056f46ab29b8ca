"""Does the spaCy pre-filter (stage ``nlp.v2``) change what the pipeline finds?  And what does it save?

    python bench/bench_prefilter.py [--reuters 1000] [--seed PATH] [--show 5]

Runs the per-article stages twice over the same articles, once with ``nlp.v1`` (spaCy over the
whole body) and once with ``nlp.v2`` (spaCy over the lede and the paragraphs with an event cue,
the rest blanked), and counts events, claims and resolved locations of each run, the mentions
that differ (type, dates, actors, place, figures or evidence) and the CPU seconds of each run.
Inputs: the project's sample wire file, the seed (``../shared/seed``) and the first ``--reuters``
stories of ``../shared/eval/reuters-topnews-2016`` when present.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
import time
from pathlib import Path

from wirewatch.config import DEFAULT_STAGES, Settings
from wirewatch.ingest import infer_published, split_articles
from wirewatch.models import EventMention, RawInput
from wirewatch.pipeline.registry import Pipeline, Resources

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reuters import reuters_raws  # noqa: E402  (bench/reuters.py)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REUTERS = SHARED / "eval" / "reuters-topnews-2016" / "reuters_topnews_2016H1.jsonl"


def _key(m: EventMention) -> tuple:
    loc = m.location
    return (m.article_id, m.event_type, m.sub_event_type, m.event_date, m.date_start, m.date_end, m.time_precision,
            m.actor1, m.assoc_actor_1, m.actor2, m.assoc_actor_2, m.inter1, m.inter2,
            loc.geonameid if loc else None, loc.location if loc else None, loc.geo_precision if loc else None,
            tuple((c.quantity, c.low, c.high, c.qualifier, c.source, c.start) for c in m.claims),
            tuple((e.start, e.end) for e in m.evidence))


def articles_of(raws: list[RawInput]) -> list:
    out = []
    for raw in raws:
        arts = split_articles(raw)
        infer_published(arts)
        out.extend(arts)
    return out


def inputs(reuters: int, seed: Path | None) -> dict[str, list]:
    sets = {"sample_wire": articles_of([RawInput(origin="sample", text=(ROOT / "wirewatch" / "data" /
                                                                        "sample_wire.txt").read_text())])}
    if seed is not None and seed.exists():
        sets["seed"] = articles_of([RawInput(origin="seed", text=seed.read_text())])
    if reuters and REUTERS.exists():
        sets[f"reuters_{reuters}"] = articles_of(reuters_raws(reuters, REUTERS))
    return sets


def run(stages: tuple[str, ...], articles: list, resources: Resources) -> tuple[list[EventMention], float, int]:
    pipe = Pipeline(dataclasses.replace(resources.settings, stages=stages), resources)
    c0 = time.process_time()
    mentions: list[EventMention] = []
    failed = 0
    for _a, state, err in pipe.run_many(dataclasses.replace(a) for a in articles):
        if err is not None:
            failed += 1
        else:
            mentions.extend(state.mentions)
    return mentions, time.process_time() - c0, failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reuters", type=int, default=1000, help="Reuters stories to take (0: none)")
    ap.add_argument("--seed", type=Path, default=next(iter(sorted((SHARED / "seed").glob("*.txt"))), None))
    ap.add_argument("--context", type=int, default=None, help="paragraphs kept around a cue paragraph")
    ap.add_argument("--show", type=int, default=5, help="differing mentions to print per input")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    res = Resources(settings)
    res.nlp, res.geoparser, res.actors  # noqa: B018  load before timing
    full = tuple("nlp.v1" if s.startswith("nlp.") else s for s in DEFAULT_STAGES)
    filt = tuple("nlp.v2" if s.startswith("nlp.") else s for s in DEFAULT_STAGES)
    import wirewatch.nlp.prefilter as pf
    from wirewatch.nlp.prefilter import prefilter

    if args.context is not None:
        pf.CONTEXT_PARAGRAPHS = args.context

    for name, arts in inputs(args.reuters, args.seed).items():
        kept = sum(prefilter(a.body).chars_kept for a in arts)
        total = sum(len(a.body) for a in arts) or 1
        a_m, a_cpu, a_fail = run(full, arts, res)
        b_m, b_cpu, b_fail = run(filt, arts, res)
        ka, kb = {_key(m) for m in a_m}, {_key(m) for m in b_m}
        row = {"input": name, "articles": len(arts), "chars_parsed": round(kept / total, 3),
               "events_full": len(a_m), "events_prefilter": len(b_m),
               "claims_full": sum(len(m.claims) for m in a_m), "claims_prefilter": sum(len(m.claims) for m in b_m),
               "located_full": sum(m.location is not None for m in a_m),
               "located_prefilter": sum(m.location is not None for m in b_m),
               "only_full": len(ka - kb), "only_prefilter": len(kb - ka), "failed": [a_fail, b_fail],
               "cpu_s_full": round(a_cpu, 1), "cpu_s_prefilter": round(b_cpu, 1)}
        print(json.dumps(row))
        for k in sorted(ka - kb, key=str)[: args.show]:
            print("  only full:     ", k)
        for k in sorted(kb - ka, key=str)[: args.show]:
            print("  only prefilter:", k)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
