"""End-to-end throughput of ``wirewatch ingest`` against a same-run spaCy baseline, and its scaling.

    python bench/bench_pipeline.py [--articles 5000] [--corpus PATH] [--skip-baseline] [--workers N]
    python bench/bench_pipeline.py --linearity 5000 50000 [--out FILE.json]

Corpus: the Reuters stories in ../shared/eval/reuters-topnews-2016 (replicated, with a copy number
appended so every copy is a distinct article, up to ``--articles``), written as wirewatch JSONL.

* baseline: spaCy's full ``en_core_web_sm`` pipeline over every article, nothing else, on the same
  cores the pipeline gets (``nlp.pipe(n_process=N)`` with N = ``--workers``, or one per CPU as the
  CLI's automatic choice uses for large inputs; ``--baseline-processes`` overrides); timed from the
  first document on (model loading is not counted; the baseline's worker start-up is);
* wirewatch: the documented command, ``python -m wirewatch ingest CORPUS --db FRESH.db``, with the
  CLI's defaults (``--workers`` auto), timed from process start to exit: start-up, model loading,
  reading, splitting, dedup, NLP, extraction, geocoding, merging and storing.

For each run: articles/s and words/s (wall), CPU seconds (user+sys of the whole process tree: the
command and every worker it started), and peak RSS of the process tree (the SUM over the command
and its workers, sampled every 0.5 s).  On a shared machine wall time depends on what else runs;
CPU time does not, so ``--linearity`` reports the ratio in both.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import threading
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


# -- process-tree accounting ---------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    """Child processes of ``pid`` (Linux: /proc/PID/task/*/children, else a scan of /proc)."""
    try:
        kids = []
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
        return kids
    except OSError:
        pass
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        if ppid == pid:
            kids.append(int(entry))
    return kids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, summed."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo.extend(_children(pid))
    return total


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree until stopped; ``peak_kb`` is the maximum seen."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb = pid, every, 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self._halt.wait(self.every)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak_kb


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


# -- the two runs -------------------------------------------------------------------------------------------
def _baseline(corpus: Path, processes: int, q: mp.Queue) -> None:
    from wirewatch.nlp.model import load_model

    nlp = load_model(full=True)  # every component runs, the lemmatizer included
    texts = (json.loads(line)["text"] for line in corpus.open(encoding="utf-8"))
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    n = 0
    for _doc in nlp.pipe(texts, batch_size=32, n_process=processes):
        n += 1
    # spaCy's worker processes have been joined by now: their CPU is in RUSAGE_CHILDREN
    q.put((time.perf_counter() - t0, time.process_time() - c0 + _children_cpu() - k0))


def baseline(corpus: Path, *, processes: int) -> dict:
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    p = ctx.Process(target=_baseline, args=(corpus, processes, q))
    p.start()
    sampler = TreeSampler(p.pid)
    sampler.start()
    wall, cpu = q.get()
    p.join()
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": sampler.stop() / 1024}


def wirewatch(corpus: Path, db: Path, *, workers: int | None, log: Path) -> dict:
    """Run the documented ingest command in a child process; wall, tree CPU and tree peak RSS."""
    cmd = [sys.executable, "-m", "wirewatch", "ingest", str(corpus), "--db", str(db)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    c0 = _children_cpu()
    t0 = time.perf_counter()
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=db.parent)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        rc = proc.wait()
    wall = time.perf_counter() - t0
    peak = sampler.stop()
    cpu = _children_cpu() - c0  # the command and, through it, every worker it waited for
    events = None
    if rc in (0, 1):
        import sqlite3

        with sqlite3.connect(db) as con:
            events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": peak / 1024, "exit": rc, "events": events,
            "command": " ".join(cmd), "stderr_tail": log.read_text()[-400:] if rc not in (0, 1) else ""}


def _line(label: str, n: int, words: int, r: dict) -> str:
    return (f"{label:34s} {n / r['wall_s']:8.1f} articles/s {words / r['wall_s']:9.0f} words/s  "
            f"wall {r['wall_s']:7.1f} s  CPU {r['cpu_s']:7.1f} s  peak tree RSS {r['peak_rss_mb']:6.0f} MB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--workers", type=int, default=None, help="pass --workers N to ingest (default: the CLI's)")
    ap.add_argument("--baseline-processes", type=int, default=None,
                    help="spaCy processes of the baseline (default: --workers, else one per CPU, as ingest's auto)")
    ap.add_argument("--linearity", type=int, nargs=2, metavar=("SMALL", "LARGE"),
                    help="ingest SMALL and LARGE articles (no baseline) and report the time ratio")
    ap.add_argument("--tmp", type=Path, default=None, help="directory for the corpus and databases")
    ap.add_argument("--out", type=Path, default=None, help="also write the results as JSON here")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    results: dict = {"articles": args.articles, "workers": args.workers}
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmpdir:
        tmp = Path(tmpdir)
        if args.linearity:
            rows = []
            for size in args.linearity:
                corpus = tmp / f"corpus{size}.jsonl"
                n, words = make_corpus(args.corpus, size, corpus)
                r = wirewatch(corpus, tmp / f"bench{size}.db", workers=args.workers, log=tmp / f"ingest{size}.log")
                r.update(articles=n, words=words)
                rows.append(r)
                print(_line(f"wirewatch ingest, {n} articles:", n, words, r) + f"; {r['events']} events, exit {r['exit']}",
                      flush=True)
                corpus.unlink()
            small, large = rows
            factor = large["articles"] / small["articles"]
            print(f"{large['articles']} vs {small['articles']} articles ({factor:.0f}x the input): "
                  f"{large['wall_s'] / small['wall_s']:.2f}x wall time, {large['cpu_s'] / small['cpu_s']:.2f}x CPU time")
            results = {"linearity": rows}
        else:
            corpus = tmp / "corpus.jsonl"
            n, words = make_corpus(args.corpus, args.articles, corpus)
            print(f"corpus: {n} articles, {words} words", flush=True)
            if not args.skip_baseline:
                procs = args.baseline_processes or args.workers or os.cpu_count() or 1
                b = baseline(corpus, processes=procs)
                results["baseline"] = b
                results["baseline_processes"] = procs
                print(_line(f"baseline  (spaCy, {procs} process{'es' if procs > 1 else ''}):", n, words, b),
                      flush=True)
            w = wirewatch(corpus, tmp / "bench.db", workers=args.workers, log=tmp / "ingest.log")
            results["wirewatch"] = w
            print(_line("wirewatch (ingest end to end):", n, words, w) + f"; {w['events']} events, exit {w['exit']}")
            if w["stderr_tail"]:
                print(w["stderr_tail"], file=sys.stderr)
            if "baseline" in results:
                ratio = results["baseline"]["wall_s"] / w["wall_s"]
                results["ratio"] = ratio
                print(f"ratio wirewatch/baseline articles/s: {ratio:.2f}x  (command: {w['command']})")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
