"""Throughput of ingest on one process (SQLite) and over a local Dask cluster (PostgreSQL).

Takes the first ``--limit`` lines of a JSONL corpus (e.g. ../shared/eval/reuters-topnews-2016/
reuters_topnews_2016H1.jsonl), ingests them once with :func:`wirewatch.pipeline.batch.ingest` into a fresh
SQLite file and once per ``--workers`` value with :func:`wirewatch.pipeline.distributed.ingest_dask` into a
fresh PostgreSQL database (created on the server of ``--dsn`` and dropped afterwards).  Model
loading is timed apart (the pipeline is warmed before the clock starts), so the rates are
steady-state articles/s; "per worker" divides by the number of worker processes.  CPU seconds
(of the process, or summed over the workers) give articles per CPU-second, the rate to expect from
one fully available core, which a busy shared machine does not show in wall time.

    eval "$(bash scripts/start-postgres.sh)"
    .venv/bin/python bench/bench_scale.py --input ../shared/eval/reuters-topnews-2016/reuters_topnews_2016H1.jsonl \\
        --limit 300 --dsn "$WIREWATCH_TEST_PG" --workers 1 2

Results are printed and written as JSON to ``bench/results/bench_scale.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from wirewatch.pipeline.batch import ingest
from wirewatch.config import Settings
from wirewatch.pipeline.registry import Pipeline
from wirewatch.store.sqlite import SQLiteStore

log = logging.getLogger("bench_scale")


def _fresh_db(dsn: str) -> tuple[str, str]:
    import psycopg

    name = "ww_bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(dsn)
    return name, urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _drop_db(dsn: str, name: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_serial(path: str, settings: Settings, tmp: Path) -> dict:
    import wirewatch.pipeline.batch as batch

    t0 = time.perf_counter()
    pipeline = Pipeline(settings)
    pipeline.resources.nlp  # noqa: B018
    pipeline.resources.geoparser  # noqa: B018
    load = time.perf_counter() - t0
    original = batch.Pipeline
    batch.Pipeline = lambda _settings: pipeline  # reuse the warmed pipeline
    try:
        with SQLiteStore.open(tmp / "serial.db") as store:
            t0, c0 = time.perf_counter(), time.process_time()
            res = ingest([path], store=store, settings=settings)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            events = store.event_count()
    finally:
        batch.Pipeline = original
    return {"mode": "serial-sqlite", "workers": 1, "model_load_s": round(load, 1), "wall_s": round(wall, 1),
            "articles": res.articles_new, "events": events, "articles_per_s": round(res.articles_new / wall, 2),
            "articles_per_s_per_worker": round(res.articles_new / wall, 2), "cpu_s": round(cpu, 1),
            "articles_per_cpu_s": round(res.articles_new / cpu, 2)}


def bench_dask(path: str, settings: Settings, dsn: str, workers: int) -> dict:
    from dask.distributed import Client, LocalCluster

    from wirewatch.pipeline.distributed import ingest_dask, warm_worker
    from wirewatch.store.postgres import PostgresStore

    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = Client(cluster)
    client.run(warm_worker, settings)
    start = time.perf_counter() - t0
    name, db = _fresh_db(dsn)
    try:
        c0 = client.run(time.process_time)
        t0 = time.perf_counter()
        res = ingest_dask([path], store_dsn=db, settings=settings, client=client)
        wall = time.perf_counter() - t0
        c1 = client.run(time.process_time)
        cpu = sum(c1[w] - c0[w] for w in c1 if w in c0)
        with PostgresStore.open(db) as store:
            events = store.event_count()
    finally:
        client.close()
        cluster.close()
        _drop_db(dsn, name)
    rate = res.articles_new / wall
    return {"mode": "dask-postgres", "workers": workers, "cluster_start_and_model_load_s": round(start, 1),
            "wall_s": round(wall, 1), "articles": res.articles_new, "events": events,
            "articles_per_s": round(rate, 2), "articles_per_s_per_worker": round(rate / workers, 2),
            "worker_cpu_s": round(cpu, 1), "articles_per_worker_cpu_s": round(res.articles_new / cpu, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True, help="a JSONL corpus, one article per line")
    ap.add_argument("--limit", type=int, default=300, help="articles (lines) to take from the start")
    ap.add_argument("--dsn", help="PostgreSQL server DSN whose role may create databases; omit to skip Dask runs")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2], help="Dask worker process counts to try")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "bench_scale.json"))
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    results = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        sample = tmp / "corpus.jsonl"
        with open(args.input, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= args.limit:
                    break
                dst.write(line)
        results.append(bench_serial(str(sample), settings, tmp))
        log.warning("%s", results[-1])
        if args.dsn:
            for n in args.workers:
                results.append(bench_dask(str(sample), settings, args.dsn, n))
                log.warning("%s", results[-1])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"input": Path(args.input).name, "limit": args.limit, "results": results}, indent=2))
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
