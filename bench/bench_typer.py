"""What does the learned sub-event typer cost per article?

    python bench/bench_typer.py [--reuters 300] [--acled 300] [--rounds 3]

Runs the per-article stages (the default pipeline) over the same articles with the shipped
typer and without it (``WIREWATCH_TYPER`` pointed at no file: the rules alone), interleaved
``--rounds`` times so machine load hits both alike, and prints one JSON line per input: the
CPU seconds of each run (the fastest round), their ratio, and the CPU seconds spent inside
the typer itself (features and both heads) as a share of the pipeline's time.  Target: the
typer's share <= 15%.  Inputs: the sample wire file, the first ``--reuters`` stories of
``../shared/eval/reuters-topnews-2016`` and the first ``--acled`` dev notes of the shared
ACLED scorer when present.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_prefilter import SHARED, articles_of, inputs, run  # noqa: E402

from wirewatch.config import DEFAULT_STAGES, Settings  # noqa: E402
from wirewatch.extract import typer as typer_mod  # noqa: E402
from wirewatch.models import RawInput  # noqa: E402
from wirewatch.pipeline.registry import Resources  # noqa: E402

SCORER = SHARED / "eval" / "score" / "acled.py"


def acled_notes(n: int) -> list:
    if not n or not SCORER.exists():
        return []
    import importlib.util

    spec = importlib.util.spec_from_file_location("shared_acled_scorer", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    raws = []
    for i, r in enumerate(mod.rows()):
        if i >= n:
            break
        raws.append(RawInput(origin=r["id"], text=r["text"], external_id=r["id"],
                             published=dt.date.fromisoformat(r["published"]), single_article=True))
    return articles_of(raws)


class _Clock:
    """Wraps the typer's ``predict`` and adds up the CPU seconds spent inside it."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._orig = typer_mod.Typer.predict

    def __enter__(self) -> _Clock:
        orig = self._orig

        def timed(this, *a, **k):
            c0 = time.process_time()
            try:
                return orig(this, *a, **k)
            finally:
                self.seconds += time.process_time() - c0
                self.calls += 1

        typer_mod.Typer.predict = timed
        return self

    def __exit__(self, *exc) -> None:
        typer_mod.Typer.predict = self._orig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reuters", type=int, default=300, help="Reuters stories to take (0: none)")
    ap.add_argument("--acled", type=int, default=300, help="ACLED dev notes to take (0: none)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    res = Resources(Settings())
    res.nlp, res.geoparser, res.actors  # noqa: B018  load before timing
    typer_mod.load_typer()  # load the weights before timing too
    sets = inputs(args.reuters, None)
    if notes := acled_notes(args.acled):
        sets[f"acled_{len(notes)}"] = notes
    for name, arts in sets.items():
        with_t, without, inside, events = [], [], [], 0
        for _ in range(args.rounds):
            os.environ.pop("WIREWATCH_TYPER", None)
            with _Clock() as clock:
                ms, cpu, _ = run(DEFAULT_STAGES, arts, res)
            with_t.append(cpu)
            inside.append(clock.seconds)
            events = len(ms)
            os.environ["WIREWATCH_TYPER"] = os.devnull + ".absent"
            without.append(run(DEFAULT_STAGES, arts, res)[1])
        os.environ.pop("WIREWATCH_TYPER", None)
        a, b = min(with_t), min(without)
        print(json.dumps({"input": name, "articles": len(arts), "events": events,
                          "cpu_s_with_typer": round(a, 2), "cpu_s_rules_alone": round(b, 2),
                          "ratio": round(a / b, 3) if b else None,
                          "typer_cpu_s": round(min(inside), 3), "typer_share": round(min(inside) / a, 4) if a else None}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
