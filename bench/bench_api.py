"""Latency of the web API's filtered event queries on a large synthetic database.

Builds a database of N synthetic events (invented text), starts ``wirewatch.web`` under uvicorn on
127.0.0.1 in a child process, sends a bounded number of GET requests from C concurrent keep-alive
connections (a small asyncio HTTP/1.1 client, so the load generator stays light), reports latency
percentiles and throughput, and stops the server.  Only loopback traffic; the run ends by itself.

    .venv/bin/python bench/bench_api.py --events 100000 --concurrency 100 --requests 20000

Results are printed and written as JSON to ``bench/results/bench_api.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from wirewatch.models import EVENT_TYPES, Article, Claim, Event, Evidence, Location, SourceRef
from wirewatch.store.sqlite import SQLiteStore

log = logging.getLogger("bench_api")

# (code, name, lat, lon) — country centroids, approximately.
COUNTRIES = [
    ("SY", "Syria", 35.0, 38.5), ("IQ", "Iraq", 33.0, 43.7), ("AF", "Afghanistan", 34.0, 66.0),
    ("NG", "Nigeria", 9.5, 8.1), ("ML", "Mali", 16.5, -2.0), ("SO", "Somalia", 4.0, 45.5),
    ("YE", "Yemen", 15.6, 47.6), ("UA", "Ukraine", 48.9, 31.5), ("SD", "Sudan", 15.0, 30.0),
    ("CD", "DR Congo", -2.9, 23.6), ("ET", "Ethiopia", 9.1, 40.5), ("MM", "Myanmar", 21.0, 96.0),
]
ACTORS = ["Islamic State", "Military Forces of Syria", "Military Forces of Iraq", "Taliban", "Al Shabaab",
          "Boko Haram", "Police Forces of Nigeria", "Unidentified Armed Group", "Rapid Support Forces",
          "Military Forces of Ukraine", "Military Forces of Russia", "Houthi Movement", "Civilians",
          "Protesters", "Fano Militia", "M23 Movement", "Arakan Army", "Military Forces of Myanmar"]
PLACES = ["North Ridge", "Old Market", "River Crossing", "Eastern Quarter", "Hill Village", "Airport Road",
          "Border Post", "Salt Flats", "Grain Depot", "Water Tower"]
SOURCES = ["a monitoring group", "state media", "local officials", "a hospital director", "the army", None]


def synthetic_events(n: int, *, seed: int = 7) -> tuple[list[Article], list[Event]]:
    """``n`` invented events (and one invented article per 10 events), reproducible from ``seed``."""
    rng = random.Random(seed)
    types = [(t, s) for t, subs in EVENT_TYPES.items() for s in subs]
    start = dt.date(2023, 1, 1)
    articles: list[Article] = []
    events: list[Event] = []
    for i in range(n):
        if i % 10 == 0:
            aid = f"art{i // 10:06d}"
            pub = start + dt.timedelta(days=rng.randrange(730))
            body = f"Synthetic report number {i // 10} compiled for load testing."
            articles.append(Article(id=aid, text=body, body=body, headline=f"Synthetic report {i // 10}",
                                    agency="Bench", published=pub, published_basis="metadata"))
        code, cname, clat, clon = rng.choice(COUNTRIES)
        etype, sub = rng.choice(types)
        a1, a2 = rng.sample(ACTORS, 2)
        place = rng.choice(PLACES)
        day = start + dt.timedelta(days=rng.randrange(730))
        killed = int(rng.paretovariate(1.3)) - 1 if rng.random() < 0.6 else 0
        sentence = f"Fighting between {a1} and {a2} near {place} left {killed} people dead, officials said."
        cstart = sentence.index(f"{killed} people")
        claim = Claim("killed", killed, killed, None, f"{killed} people", rng.choice(SOURCES), aid, cstart,
                      cstart + len(f"{killed} people"))
        loc = Location(place, cname, code, f"{cname} Province {rng.randrange(8)}", None,
                       round(clat + rng.gauss(0, 1.5), 4), round(clon + rng.gauss(0, 1.5), 4), None,
                       rng.choice((1, 1, 1, 2, 3)))
        events.append(Event(
            id=f"ev{i:07d}", event_type=etype, sub_event_type=sub, event_date=day, date_start=day, date_end=day,
            time_precision=1, actor1=a1, actor2=a2, location=loc, fatalities=killed, fatalities_low=killed,
            fatalities_best=killed, fatalities_high=killed, claims=[claim] if killed else [],
            sources=[SourceRef(aid, None, f"Synthetic report {i // 10}", "Bench", pub, None)],
            evidence=[Evidence(aid, sentence, 0, len(sentence))],
            notes=f"{a1} fought {a2} near {place}; {killed} killed.", mention_ids=[f"{aid}:{i}"]))
    return articles, events


def build_db(path: Path, n: int, *, seed: int = 7) -> None:
    articles, events = synthetic_events(n, seed=seed)
    with SQLiteStore.open(path) as store:
        for a in articles:
            store.add_article(a, [], run_id=None)
        store.replace_events(events, run_id=None, history=[])
        store.conn.execute("ANALYZE")


def request_mix(rng: random.Random, n: int) -> list[str]:
    """Filtered event queries as the dashboard sends them (one filter set each, random values)."""
    out = []
    types = list(EVENT_TYPES)
    for _ in range(n):
        params: dict[str, str] = {"limit": "50"}
        kind = rng.randrange(8)
        if kind == 0:
            params["country"] = rng.choice(COUNTRIES)[0]
        elif kind == 1:
            d = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
            params.update(date_from=d.isoformat(), date_to=(d + dt.timedelta(days=30)).isoformat())
        elif kind == 2:
            params.update(country=rng.choice(COUNTRIES)[0], event_type=rng.choice(types))
        elif kind == 3:
            params.update(actor=rng.choice(ACTORS))
        elif kind == 4:
            params.update(q=rng.choice(PLACES).split()[0], country=rng.choice(COUNTRIES)[0])
        elif kind == 5:
            params.update(min_fatalities=str(rng.choice((1, 5, 20))))
        elif kind == 6:
            _, _, lat, lon = rng.choice(COUNTRIES)
            params["bbox"] = f"{lon - 2},{lat - 2},{lon + 2},{lat + 2}"
        else:
            d = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(600))
            params.update(country=rng.choice(COUNTRIES)[0], date_from=d.isoformat(), min_fatalities="1")
        out.append("/api/events?" + urlencode(params))
    return out


async def _worker(host: str, port: int, paths: list[str], latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for path in paths:
            t0 = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(f"{status} {path}")
    finally:
        writer.close()


async def _load(host: str, port: int, paths: list[str], concurrency: int) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    shards = [paths[i::concurrency] for i in range(concurrency)]
    t0 = time.perf_counter()
    await asyncio.gather(*(_worker(host, port, s, latencies, errors) for s in shards))
    return latencies, errors, time.perf_counter() - t0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("server did not start")


def _pct(sorted_values: list[float], p: float) -> float:
    k = min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k] * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--requests", type=int, default=20_000, help="measured requests (after a warm-up)")
    ap.add_argument("--db", type=Path, default=Path("/tmp/wirewatch-bench-api.db"),
                    help="reused when it already holds --events events")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--page-cache", type=int, default=2048, help="server's event-page cache size (0: off)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "bench_api.json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if args.db.exists():
        with SQLiteStore.open(args.db) as store:
            have = store.event_count()
        if have != args.events:
            args.db.unlink()
    if not args.db.exists():
        t0 = time.perf_counter()
        build_db(args.db, args.events)
        log.info("built %s with %d events in %.1f s", args.db, args.events, time.perf_counter() - t0)

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from wirewatch.web.app import serve; "
         "serve(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]), workers=int(sys.argv[3]),"
         " page_cache_size=int(sys.argv[4]), log_level='warning')",
         str(args.db), str(port), str(args.workers), str(args.page_cache)], env={**os.environ})
    try:
        _wait_up(port, time.time() + 60)
        rng = random.Random(11)
        warm = request_mix(rng, min(2000, args.requests))
        asyncio.run(_load("127.0.0.1", port, warm, args.concurrency))
        paths = request_mix(rng, args.requests)
        latencies, errors, elapsed = asyncio.run(_load("127.0.0.1", port, paths, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    result = {
        "events": args.events, "concurrency": args.concurrency, "requests": len(latencies),
        "workers": args.workers, "page_cache": args.page_cache, "errors": len(errors),
        "distinct_queries": len(set(paths)), "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(_pct(latencies, 50), 2), "p90_ms": round(_pct(latencies, 90), 2),
        "p99_ms": round(_pct(latencies, 99), 2), "max_ms": round(latencies[-1] * 1000, 2),
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(args.out.read_text()) if args.out.exists() else []
    runs = runs if isinstance(runs, list) else [runs]
    runs.append({"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                 "load_average": os.getloadavg()[0], **result})
    args.out.write_text(json.dumps(runs, indent=1) + "\n")
    log.info(json.dumps(result))
    for e in errors[:5]:
        log.info("error: %s", e)
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
