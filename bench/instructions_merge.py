"""Instructions, not seconds: the 10,000-vs-1,000 merge ratio counted by valgrind's cachegrind.

    python bench/instructions_merge.py [--small 1000] [--large 10000] [--per-day 30] [--jobs 2]

``bench/bench_merge.py`` times the two sizes on this shared VM, whose speed swings by up to 2x over
seconds, so its ratios carry noise of about +-0.5.  Counting the instructions each size executes is
deterministic: the same feed (``bench_merge.make_data``) is cut into the same ten 1,000-article
slices, and each of ``merge_mentions`` and ``ArticleIndex.add_many`` runs under
``valgrind --tool=cachegrind`` once over the ten slices (each result kept alive, as the timed bench
does) and once over all 10,000 articles at once.  A third run only loads the data; its count is
subtracted from both.  What the ratio leaves out is what instructions cannot see: cache misses and
page faults (the timed bench counts the latter).

Needs ``valgrind`` on PATH (Debian: ``apt-get install valgrind``); each run takes a minute or two.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _run_case(data: Path, what: str, size: str) -> None:
    """Inside valgrind: load the slices, then merge or index them (``size``: none, small, large)."""
    import wirewatch.merge.dedup
    import wirewatch.merge.core  # noqa: F401  (imported before counting starts in every size, "none" included)

    with data.open("rb") as fh:
        slices = pickle.load(fh)
    gc.collect()
    gc.freeze()  # as the timed bench: the collector does not walk the loaded inputs
    try:
        _merge_or_index(slices, what, size)
    finally:
        gc.unfreeze()


def _merge_or_index(slices: list, what: str, size: str) -> None:
    from wirewatch.merge.dedup import ArticleIndex
    from wirewatch.merge.core import merge_mentions

    held = []
    if size == "small":
        for mentions, articles, arts, sigs in slices:
            if what == "merge":
                held.append(merge_mentions(mentions, articles))
            else:
                index = ArticleIndex()
                index.add_many(zip(arts, sigs, strict=True))
                held.append(index)
    elif size == "large":
        if what == "merge":
            held.append(merge_mentions([m for s in slices for m in s[0]], {k: v for s in slices for k, v in s[1].items()}))
        else:
            index = ArticleIndex()
            index.add_many((a, sig) for s in slices for a, sig in zip(s[2], s[3], strict=True))
            held.append(index)


def _count(data: Path, what: str, size: str, workdir: Path) -> int:
    out = workdir / f"cachegrind.{what}.{size}"
    proc = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}", sys.executable,
         __file__, "--run", str(data), what, size],
        capture_output=True, text=True, check=True)
    match = _REFS.search(proc.stderr)
    if match is None:
        raise RuntimeError(f"no instruction count in valgrind's output: {proc.stderr[-500:]}")
    return int(match.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--run"]:
        _run_case(Path(argv[1]), argv[2], argv[3])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000)
    ap.add_argument("--per-day", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=2, help="valgrind runs at a time")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        ap.error("valgrind is not installed (Debian: apt-get install valgrind)")
    if args.large % args.small:
        ap.error("--large must be a multiple of --small")
    import bench_merge

    feed = bench_merge.make_data(args.large, per_day=args.per_day, fixed_days=None)
    case = bench_merge._Case(feed, args.small, runs=args.large // args.small)
    slices = [(sl.mentions, sl.articles, sl.arts, sl.sigs) for sl in case.slices]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        data = workdir / "slices.pickle"
        with data.open("wb") as fh:
            pickle.dump(slices, fh)
        jobs = [(what, size) for what in ("merge", "index_add") for size in ("none", "small", "large")]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            counts = dict(zip(jobs, pool.map(lambda j: _count(data, j[0], j[1], workdir), jobs), strict=True))
    out: dict[str, dict[str, float]] = {}
    runs = args.large // args.small
    for what in ("merge", "index_add"):
        base = counts[(what, "none")]
        small, large = (counts[(what, "small")] - base) / runs, counts[(what, "large")] - base
        out[what] = {"small_instructions": round(small), "large_instructions": large, "ratio": round(large / small, 2)}
        print(f"{what:>9}: {args.small} articles {small:,.0f} instructions (mean of {runs} slices), "
              f"{args.large} articles {large:,}: ratio {large / small:.2f}x")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
