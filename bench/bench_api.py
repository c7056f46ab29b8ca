"""Latency of the web API's filtered event queries on a large synthetic database.

Builds a database of N synthetic events (invented text), starts ``wirewatch.web`` under uvicorn on
127.0.0.1 in a child process, sends a bounded number of ``GET /api/events`` requests from C concurrent
keep-alive connections (a bare asyncio protocol per connection, on uvloop when installed, so that the load
generator, which shares the machine's cores with the server, stays light), reports latency percentiles
and throughput, and stops the server.  Only loopback traffic; the run ends by itself.  A database made
before a migration added an index gets that index (the server's store applies it) and is re-analyzed.

    .venv/bin/python bench/bench_api.py --events 100000 --concurrency 100 --requests 10000
    .venv/bin/python bench/bench_api.py --events 100000 --concurrency 100 --requests 10000 --page-cache 0
    .venv/bin/python bench/bench_api.py --events 100000 --concurrency 100 --requests 10000 --workers 2
    .venv/bin/python bench/bench_api.py --events 100000 --explain    # SQL time and plan per filter kind

A/B switches for what issues 6 and 24 measured: ``--page-cache 0`` (no page cache), ``--no-fastpath``
(/api/events validated by FastAPI and pydantic alone, without wirewatch.web.fastpath; one worker),
and ``--no-columns`` (pages and counts by the SQL plans alone, without the in-memory column
snapshot of wirewatch.web.columns).  Issue 24's
comparison (each speed trick against the plain path in interleaved rounds, those without a gain removed:
the SCM_RIGHTS hand-off, one SO_REUSEPORT socket per worker, the response-head coalescing) and its figures
are in bench/results/issue24-web-speed.md.  ``--workers N`` runs uvicorn's own workers on one socket.

The request mix is what the dashboard sends: ten kinds of filter (country, date window, country+type,
sub-event type, actor, words with or without a country, minimum fatalities, a map box, country+date+
fatalities, nothing) with random values, 50 or 100 rows a page; 30 % of first pages ask for the total
(``count=true``, as the dashboard's table does) and 30 % of "sessions" go on to the next one to three pages
through ``next_cursor``.  Every request is timed, first pages and cursor pages alike.

What the server caches, all of it dropped when the database changes (ingest writes):
  * encoded pages of results and totals for ``count=true`` (``--page-cache N`` entries per worker);
  * with ``--page-cache 0`` no pages at all, and that run is the cold number: every request runs its
    page query; totals then share a 256-entry cache with the map and aggregates;
  * per connection, the match-count estimates that choose a query plan and, for words matching more
    than 2,000 events, a temp table of the matching rows (at most 16);
  * per process, the column snapshot (wirewatch.web.columns, built at start) that pages and counts are
    filtered on, with a mask per text or actor value used.
The same seed gives the same requests; the warm-up (2,000 requests from a different stream) runs first.

Where the tail is: besides the overall percentiles the run prints p50/p99/max per page kind (first page,
first page with ``count=true``, cursor page), per filter kind and per server process, with how many of
the C connections each process holds (read from /proc: which process owns the accepted socket), all
stored in the JSON as ``by_page``, ``by_kind`` and ``by_worker``.

Machine load matters on a shared box, so besides wall-clock latencies the run reports the CPU time the
server processes and the load generator used per request (``server_cpu_ms_per_request`` and
``client_cpu_ms_per_request``), which compare across runs made under different load.  Results are printed and appended as JSON to
``bench/results/bench_api.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import logging
import os
import random
import socket
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
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


def analyze_new_indexes(conn: Any) -> None:
    """ANALYZE when an index has no statistics yet (a database built before a migration added it), so that
    the planner sees what a freshly built database shows it."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() is None:
        return
    missing = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master AS m WHERE type = 'index' AND sql IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 AS s WHERE s.idx = m.name)"
        " AND EXISTS (SELECT 1 FROM sqlite_stat1 AS t WHERE t.tbl = m.tbl_name)")]  # (empty tables have none)
    if missing:
        log.info("analyzing (no statistics for %s)", ", ".join(missing))
        conn.execute("ANALYZE")
        conn.commit()


def socket_owners(server_pid: int, port: int, client_ports: list[int]) -> list[int | None]:
    """For each loopback client connection to ``port`` (given by the client's local port), the pid of the
    process, ``server_pid`` or one of its descendants, holding the accepted socket; None when not found
    (and everywhere off Linux).  A diagnostic: how connections spread over the workers."""
    inodes: dict[int, int] = {}  # client port -> inode of the server-side socket
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], int(fields[9])
            if int(local.rsplit(":", 1)[1], 16) == port and inode:
                inodes[int(remote.rsplit(":", 1)[1], 16)] = inode
    owner: dict[int, int] = {}  # socket inode -> pid
    for pid in descendants(server_pid):
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                owner[int(target[8:-1])] = pid
    return [owner.get(inodes.get(p, -1)) for p in client_ports]


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc; just ``[pid]`` elsewhere)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = entry.read_text()
        except OSError:
            continue
        parents[int(entry.parent.name)] = int(raw[raw.rindex(")") + 2:].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += [c for c, parent in parents.items() if parent == p]
    return out


@dataclass(frozen=True, slots=True)
class Session:
    """One first-page request and how many further pages to fetch through its cursors."""

    path: str
    follow: int


def request_mix(rng: random.Random, n: int) -> list[Session]:
    """Sessions of filtered event queries as the dashboard sends them (random filter kinds and values),
    ``n`` requests in all when every session finds the further pages it asks for."""
    out: list[Session] = []
    planned = 0
    types = [(t, s) for t, subs in EVENT_TYPES.items() for s in subs]
    words = [p.split()[i] for p in PLACES for i in range(len(p.split()))] + ["fought", "officials"]
    while planned < n:
        params: dict[str, str] = {"limit": rng.choice(("50", "100"))}
        kind = rng.randrange(10)
        code, _, lat, lon = rng.choice(COUNTRIES)
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(720))
        if kind == 0:
            params["country"] = code
        elif kind == 1:
            end = day + dt.timedelta(days=rng.randrange(7, 91))
            params.update(date_from=day.isoformat(), date_to=end.isoformat())
        elif kind == 2:
            params.update(country=code, event_type=rng.choice(types)[0])
        elif kind == 3:
            params.update(sub_event_type=rng.choice(types)[1])
        elif kind == 4:
            params.update(actor=rng.choice(ACTORS))
        elif kind == 5:
            params["q"] = rng.choice(words)
            if rng.random() < 0.5:
                params["country"] = code
        elif kind == 6:
            params.update(min_fatalities=str(rng.choice((1, 2, 3, 5, 10, 20, 50))))
        elif kind == 7:
            half = rng.uniform(0.5, 3.0)
            clat, clon = lat + rng.uniform(-2, 2), lon + rng.uniform(-2, 2)
            params["bbox"] = f"{clon - half:.2f},{clat - half:.2f},{clon + half:.2f},{clat + half:.2f}"
        elif kind == 8:
            params.update(country=code, date_from=day.isoformat(), min_fatalities=str(rng.choice((1, 5))))
        if rng.random() < 0.3:
            params["count"] = "true"
        follow = min(rng.choice((1, 1, 1, 2, 3)) if rng.random() < 0.3 else 0, n - planned - 1)
        out.append(Session("/api/events?" + urlencode(params), follow))
        planned += 1 + follow
    return out


class HttpConnection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 client connection, one request at a time: a bare protocol (no stream
    reader/writer layers) so that the load generator, sharing the machine with the server, stays light."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.status = 0
        self.body_start = -1  # where the body of the response being read starts in the buffer (-1: head unread)
        self.end = 0

    @classmethod
    async def open(cls, host: str, port: int) -> HttpConnection:
        _, protocol = await asyncio.get_running_loop().create_connection(cls, host, port)
        return protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is not None:
            self._complete()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc or ConnectionError("server closed the connection"))

    def _complete(self) -> None:
        if self.body_start < 0:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = bytes(self.buffer[:head_end])
            self.status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            self.body_start, self.end = head_end + 4, head_end + 4 + length
        if len(self.buffer) >= self.end:
            body = bytes(self.buffer[self.body_start:self.end])
            del self.buffer[:self.end]
            self.body_start = -1
            waiter, self.waiter = self.waiter, None
            waiter.set_result((self.status, body))  # type: ignore[union-attr]

    def get(self, host: str, path: str) -> asyncio.Future[tuple[int, bytes]]:
        """Send ``GET path``; the future gives the status and body."""
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode())
        if self.buffer:
            self._complete()
        return self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


def next_cursor(body: bytes) -> str | None:
    """The ``next_cursor`` of an /api/events body (read from the end, where the API writes it)."""
    at = body.rfind(b'"next_cursor":"')
    if at < 0:
        return None
    start = at + 15
    return body[start:body.index(b'"', start)].decode()


@dataclass(slots=True)
class Timing:
    """One timed request: seconds, the filter kind of its session, which page, and its connection."""

    seconds: float
    kind: str
    page: str  # "first", "first+count" or "cursor"
    conn: int


def kind_of(path: str) -> str:
    """The filter combination of a request path, e.g. ``country,q`` (``(none)`` without filters)."""
    from urllib.parse import parse_qsl, urlsplit

    keys = {k for k, _ in parse_qsl(urlsplit(path).query)} - {"limit", "count", "cursor"}
    return ",".join(sorted(keys)) or "(none)"


async def _worker(conn: int, client: HttpConnection, host: str, sessions: list[Session], timings: list[Timing],
                  errors: list[str]) -> None:
    kinds = [kind_of(session.path) for session in sessions]  # (worked out before the clock runs)
    clock = time.perf_counter
    try:
        for session, kind in zip(sessions, kinds):
            path = session.path
            for page in range(session.follow + 1):
                t0 = clock()
                status, body = await client.get(host, path)
                seconds = clock() - t0
                what = "cursor" if page else ("first+count" if "count=true" in path else "first")
                timings.append(Timing(seconds, kind, what, conn))
                if status != 200:
                    errors.append(f"{status} {path}")
                    break
                cursor = next_cursor(body) if page < session.follow else None
                if cursor is None:
                    break
                path = f"{session.path.replace('&count=true', '')}&cursor={cursor}"
    finally:
        client.close()


async def _load(host: str, port: int, sessions: list[Session], concurrency: int, *,
                server_pid: int | None = None) -> tuple[list[Timing], list[str], float, list[int | None]]:
    """Open ``concurrency`` connections, note which server process holds each, then run the sessions."""
    timings: list[Timing] = []
    errors: list[str] = []
    shards = [sessions[i::concurrency] for i in range(concurrency)]
    clients = [await HttpConnection.open(host, port) for _ in shards]
    owners: list[int | None] = [None] * len(clients)
    if server_pid is not None:
        # a request on each first, so every connection has surely been accepted by some worker
        for client in clients:
            await client.get(host, "/api/events?limit=1")
        owners = socket_owners(server_pid, port, [c.transport.get_extra_info("sockname")[1] for c in clients])
    t0 = time.perf_counter()
    await asyncio.gather(*(_worker(i, c, host, s, timings, errors) for i, (c, s) in enumerate(zip(clients, shards))))
    return timings, errors, time.perf_counter() - t0, owners


def _run(coro: Any) -> Any:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def _cpu_seconds(pid: int) -> float:
    """User+system CPU seconds of ``pid`` and all its descendants (Linux /proc), 0.0 elsewhere."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    for p in descendants(pid):
        try:
            raw = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _timed_ms(*calls: Any) -> list[float]:
    """Call each of ``calls`` in turn; how long each took, in milliseconds."""
    out = []
    for call in calls:
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def explain(db: Path, sessions: list[Session]) -> None:
    """Where the time goes, per filter combination: the SQL time of a first page on a fresh connection
    (cold: plan estimates and match tables built) and again (warm), of its count, and SQLite's plans."""
    import sqlite3
    from collections import defaultdict
    from urllib.parse import parse_qsl, urlsplit

    from wirewatch.web.app import MMAP_BYTES
    from wirewatch.web.params import endpoint_models
    from wirewatch.web.queries import Queries

    from wirewatch.web.columns import ColumnStore

    model = endpoint_models(max_page_size=500, max_map_points=5000).events
    version = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    store = ColumnStore(lambda: sqlite3.connect(f"file:{db}?mode=ro", uri=True),
                        version=lambda: version.execute("PRAGMA data_version").fetchone()[0])
    t0 = time.perf_counter()
    store.refresh()
    log.info("column snapshot built in %.0f ms", (time.perf_counter() - t0) * 1000)
    kinds: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in sessions:
        params = dict(parse_qsl(urlsplit(s.path).query))
        kinds[",".join(sorted(k for k in params if k not in ("limit", "count"))) or "(none)"].append(params)

    def p50(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    for kind, samples in sorted(kinds.items()):
        cold, warm, count, plans, col_page, col_count = [], [], [], set(), [], []
        for params in samples[:40]:
            request = model(**params)
            flt = request.to_filter()
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            for pragma in ("cache_size = -32000", f"mmap_size = {MMAP_BYTES}", "temp_store = MEMORY"):
                conn.execute(f"PRAGMA {pragma}")
            q = Queries(conn)
            page = functools.partial(q.events_json, flt, limit=request.limit)
            ms = _timed_ms(page, page, functools.partial(q.count, flt))
            cold.append(ms[0])
            warm.append(ms[1])
            count.append(ms[2])
            plans.add(re.sub(r"wirewatch_match_\d+", "<matches>", " / ".join(q.explain(flt))))
            cq = Queries(conn, columns=store)
            cq.events_json(flt, limit=request.limit)  # (a text or actor mask made)
            ms = _timed_ms(functools.partial(cq.events_json, flt, limit=request.limit), functools.partial(cq.count, flt))
            col_page.append(ms[0])
            col_count.append(ms[1])
            conn.close()
        log.info("%-34s n=%3d page cold %6.2f warm %6.2f ms (max %6.2f) | count %6.2f ms (p50s)", kind, len(cold),
                 p50(cold), p50(warm), max(warm), p50(count))
        log.info("    column snapshot: page %6.2f ms (max %6.2f) | count %6.2f ms (p50s)", p50(col_page),
                 max(col_page), p50(col_count))
        for plan in sorted(plans):
            log.info("    %s", plan)


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


def _summary(seconds: list[float]) -> dict[str, float]:
    values = sorted(seconds)
    return {"n": len(values), "p50_ms": round(_pct(values, 50), 1), "p99_ms": round(_pct(values, 99), 1),
            "max_ms": round(values[-1] * 1000, 1)}


def breakdown(timings: list[Timing], owners: list[int | None]) -> dict[str, Any]:
    """Where the tail is: latency percentiles per filter kind, per page kind and per server process
    (with how many of the connections each process holds)."""
    from collections import defaultdict

    groups: dict[str, dict[str, list[float]]] = {"by_kind": defaultdict(list), "by_page": defaultdict(list),
                                                 "by_worker": defaultdict(list)}
    for t in timings:
        groups["by_kind"][t.kind].append(t.seconds)
        groups["by_page"][t.page].append(t.seconds)
        groups["by_worker"][str(owners[t.conn] if t.conn < len(owners) else None)].append(t.seconds)
    out: dict[str, Any] = {name: {key: _summary(v) for key, v in sorted(g.items())} for name, g in groups.items()}
    for pid, summary in out["by_worker"].items():
        summary["connections"] = sum(1 for o in owners if str(o) == pid)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--requests", type=int, default=10_000,
                    help="measured requests (first pages and the cursor pages that follow them), after a warm-up")
    ap.add_argument("--db", type=Path, default=Path("/tmp/wirewatch-bench-api.db"),
                    help="reused when it already holds --events events")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--page-cache", type=int, default=2048, help="server's event-page cache size (0: off)")
    ap.add_argument("--fastpath", action=argparse.BooleanOptionalAction, default=True,
                    help="--no-fastpath: /api/events through FastAPI's validation alone (one worker only)")
    ap.add_argument("--columns", action=argparse.BooleanOptionalAction, default=True,
                    help="count=true from the server's in-memory column snapshot (else SQL index walks)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "bench_api.json")
    ap.add_argument("--label", default="", help="free text stored with the result (e.g. the commit measured)")
    ap.add_argument("--explain", action="store_true",
                    help="no load test: print SQL time and query plan per filter combination of the mix")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if args.db.exists():
        with SQLiteStore.open(args.db) as store:  # (applies any new migration)
            have = store.event_count()
            if have == args.events:
                analyze_new_indexes(store.conn)
        if have != args.events:
            args.db.unlink()
    if not args.db.exists():
        t0 = time.perf_counter()
        build_db(args.db, args.events)
        log.info("built %s with %d events in %.1f s", args.db, args.events, time.perf_counter() - t0)

    if args.explain:
        explain(args.db, request_mix(random.Random(11), 2000))
        return 0
    port = _free_port()
    if args.workers > 1 and not args.fastpath:
        ap.error("--no-fastpath needs --workers 1")
    server = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from wirewatch.web import app as web\n"
         "if sys.argv[6] == '0': web.EventsFastPath = lambda app, **_: app  # (FastAPI's route answers)\n"
         "web.serve(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]), workers=int(sys.argv[3]),"
         " page_cache_size=int(sys.argv[4]), columns=sys.argv[5] == '1',"
         " log_level='warning')",
         str(args.db), str(port), str(args.workers), str(args.page_cache),
         "1" if args.columns else "0", "1" if args.fastpath else "0"],
        env={**os.environ})
    try:
        _wait_up(port, time.time() + 60)
        warm = request_mix(random.Random(10_011), min(2000, args.requests))
        _run(_load("127.0.0.1", port, warm, args.concurrency))
        sessions = request_mix(random.Random(11), args.requests)
        cpu0, client0 = _cpu_seconds(server.pid), time.process_time()
        timings, errors, elapsed, owners = _run(_load("127.0.0.1", port, sessions, args.concurrency,
                                                      server_pid=server.pid))
        cpu1, client1 = _cpu_seconds(server.pid), time.process_time()
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(t.seconds for t in timings)
    n = len(latencies)
    result = {
        "label": args.label, "events": args.events, "concurrency": args.concurrency, "requests": n,
        "sessions": len(sessions),
        "workers": args.workers,
        "page_cache": args.page_cache, "fastpath": args.fastpath,
        "columns": args.columns, "errors": len(errors),
        "distinct_first_pages": len({s.path for s in sessions}), "seconds": round(elapsed, 2),
        "rps": round(n / elapsed, 1),
        "p50_ms": round(_pct(latencies, 50), 2), "p95_ms": round(_pct(latencies, 95), 2),
        "p99_ms": round(_pct(latencies, 99), 2), "max_ms": round(latencies[-1] * 1000, 2),
        "server_cpu_ms_per_request": round((cpu1 - cpu0) * 1000 / n, 3),
        "client_cpu_ms_per_request": round((client1 - client0) * 1000 / n, 3),
        "cpus": os.cpu_count(),
        **breakdown(timings, owners),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(args.out.read_text()) if args.out.exists() else []
    runs = runs if isinstance(runs, list) else [runs]
    runs.append({"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                 "load_average": os.getloadavg()[0], **result})
    args.out.write_text(json.dumps(runs, indent=1) + "\n")
    log.info(json.dumps({k: v for k, v in result.items() if not k.startswith("by_")}))
    for name in ("by_page", "by_worker", "by_kind"):
        for key, summary in result[name].items():
            log.info("  %-10s %-34s %s", name[3:], key, " ".join(f"{k}={v}" for k, v in summary.items()))
    for e in errors[:5]:
        log.info("error: %s", e)
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
