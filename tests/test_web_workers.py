"""``wirewatch serve --workers N``: uvicorn's own worker processes behind one listening socket.  Every
worker answers as the single-process app does, the workers (not the parent) hold the connections, a killed
worker is replaced, SIGTERM stops every process, and a taken port is a clear error before any worker starts.
Every way of answering /api/events (page cache on or off, text searches on the loop or on threads of their
own, count=true) gives the same bodies, and the CLI passes its options through.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
from fastapi.testclient import TestClient  # noqa: E402

from rawhttp import free_port, get  # noqa: E402
from test_web_api import build_web_db  # noqa: E402
from wirewatch.errors import StoreError  # noqa: E402
from wirewatch.web.app import create_app, serve  # noqa: E402

LINUX_PROC = Path("/proc/net/tcp").exists()
BENCH_API = Path(__file__).resolve().parents[1] / "bench" / "bench_api.py"


@pytest.fixture(scope="module")
def web_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "web.db"
    build_web_db(path)
    return path


def _children(parent: int) -> set[int]:
    """The live processes right below ``parent`` but multiprocessing's resource tracker."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        if int(fields[1]) == parent and fields[0] != "Z" and b"resource_tracker" not in cmdline:
            out.add(int(stat.parent.name))
    return out


def _holders(port: int, conns: list[socket.socket], server_pid: int) -> set[int]:
    """Which processes hold the server side of ``conns`` (bench_api's /proc reader, which the bench uses to
    report how connections spread over the workers)."""
    spec = importlib.util.spec_from_file_location("bench_api", BENCH_API)
    bench = sys.modules.setdefault("bench_api", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(bench)
    owners = bench.socket_owners(server_pid, port, [c.getsockname()[1] for c in conns])
    return {pid for pid in owners if pid is not None}


def _syria(sock: socket.socket) -> bytes:
    head, body = get(sock, "/api/events?country=SY&count=true")
    assert int(head.split(b" ")[1]) == 200
    return body


@pytest.fixture
def server(web_db):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from wirewatch.web.app import serve; "
         "serve(sys.argv[1], port=int(sys.argv[2]), workers=2, log_level='warning')", str(web_db), str(port)],
        cwd=Path(__file__).parent.parent)
    try:
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for pid in _children(proc.pid):
                    os.kill(pid, signal.SIGKILL)
                proc.kill()
                proc.wait()


def _wait_workers(proc: subprocess.Popen, port: int, deadline: float, *, exclude: frozenset[int] = frozenset()
                  ) -> set[int]:
    """The two worker processes, once both are up and the port answers."""
    while True:
        assert proc.poll() is None, "server exited"
        assert time.time() < deadline, "workers did not start"
        pids = _children(proc.pid) - exclude
        if len(pids) == 2:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=20) as c:
                    _syria(c)
                    return pids
            except OSError:
                pass
        time.sleep(0.3)


@pytest.mark.skipif(not LINUX_PROC, reason="needs Linux /proc")
def test_workers_answer_as_the_single_process_app_and_hold_the_connections(server, web_db):
    proc, port = server
    pids = _wait_workers(proc, port, time.time() + 90)
    want = TestClient(create_app(str(web_db))).get("/api/events?country=SY&count=true").content
    assert json.loads(want)["count"] == 1
    conns = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(20)]
    try:
        for c in conns:
            assert _syria(c) == want
        holders = _holders(port, conns, proc.pid)
        assert holders and holders <= pids, "workers, not the parent, hold the connections"
    finally:
        for c in conns:
            c.close()


@pytest.mark.skipif(not LINUX_PROC, reason="needs Linux /proc")
def test_a_killed_worker_is_replaced_and_sigterm_stops_every_process(server):
    proc, port = server
    first = _wait_workers(proc, port, time.time() + 90)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    with socket.create_connection(("127.0.0.1", port), timeout=20) as c:  # the other one answers meanwhile
        _syria(c)
    second = _wait_workers(proc, port, time.time() + 90, exclude=frozenset({victim}))
    assert len(second & first) == 1
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    assert not any(_alive(pid) for pid in second)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_taken_port_is_a_store_error_and_starts_no_worker(web_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        before = _children(os.getpid())
        with pytest.raises(StoreError, match="cannot listen"):
            serve(str(web_db), port=port, workers=2, log_level="critical")
        assert _children(os.getpid()) == before


QUERIES = [
    {"q": "market"}, {"q": "patrol contact", "count": "true"}, {"country": "KE", "count": "true", "limit": "7"},
    {"country": "KE", "q": "patrol", "count": "true", "limit": "5"}, {"actor": "Al Shabaab", "count": "true"},
    {"min_fatalities": "3", "count": "true"}, {"q": "no such word anywhere", "count": "true"},
]


@pytest.mark.parametrize("page_cache", [0, 2048])
def test_every_way_of_answering_event_lists_gives_the_same_bodies(web_db, page_cache):
    reference = TestClient(create_app(str(web_db), page_cache_size=0))
    client = TestClient(create_app(str(web_db), page_cache_size=page_cache))
    for params in QUERIES:
        for _ in range(2):  # the second time from the caches, when they are on
            pages, cursor = [], None
            while True:
                got = client.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})})
                want = reference.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})})
                assert got.status_code == 200 and got.content == want.content, params
                body = got.json()
                pages.append(body)
                cursor = body["next_cursor"]
                if cursor is None:
                    break
            if params.get("count") == "true":
                assert pages[0]["count"] == sum(len(p["events"]) for p in pages), params


def test_serve_command_passes_the_worker_and_cache_options(web_db, monkeypatch):
    from click.testing import CliRunner

    from wirewatch.cli import main as cli  # the click group
    from wirewatch.web import app as web_app

    calls: list[dict] = []
    monkeypatch.setattr(web_app, "serve", lambda db, **kw: calls.append({"db": db, **kw}))
    runner = CliRunner()
    assert runner.invoke(cli, ["serve", "--db", str(web_db), "--workers", "2"]).exit_code == 0
    assert runner.invoke(cli, ["serve", "--db", str(web_db), "--workers", "2", "--page-cache", "0"]).exit_code == 0
    assert [(c["workers"], c["page_cache_size"]) for c in calls] == [(2, 2048), (2, 0)]
    for gone in (["--balance", "dispatch"], ["--shared-socket"]):  # (the connection hand-off was removed, #24)
        result = runner.invoke(cli, ["serve", "--db", str(web_db), "--workers", "2", *gone])
        assert result.exit_code == 2 and "No such option" in result.output, gone
    assert len(calls) == 2
    assert runner.invoke(cli, ["serve", "--db", str(web_db), "--page-cache", "-1"]).exit_code == 2
