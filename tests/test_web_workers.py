"""Serving with several worker processes (wirewatch.web.workers) and the event-list paths measured by
bench/bench_api.py: one listening socket per worker spreads connections over the workers, a taken port is a clear error, and every way of answering /api/events (page cache on or off, text searches on the
loop or on threads of their own, count=true) gives the same bodies.
"""

from __future__ import annotations

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
from wirewatch.web.app import create_app  # noqa: E402
from wirewatch.web.workers import descendants, reuse_port_supported, run_workers, socket_owners  # noqa: E402

LINUX_PROC = Path("/proc/net/tcp").exists()


@pytest.fixture(scope="module")
def web_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "web.db"
    build_web_db(path)
    return path


def _get(sock: socket.socket, path: str) -> tuple[int, dict]:
    head, body = get(sock, path)
    return int(head.split(b" ")[1]), json.loads(body)


@pytest.mark.skipif(not (LINUX_PROC and reuse_port_supported(8000)), reason="needs Linux /proc and SO_REUSEPORT")
def test_each_worker_has_its_own_socket_and_connections_spread_over_them(web_db):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from wirewatch.web.app import serve; "
         "serve(sys.argv[1], port=int(sys.argv[2]), workers=2, log_level='warning')",
         str(web_db), str(port)],
        cwd=Path(__file__).parent.parent)
    conns: list[socket.socket] = []
    try:
        deadline = time.time() + 60
        while len([p for p in descendants(server.pid) if p != server.pid]) < 2 or not _listening(port):
            assert time.time() < deadline, "workers did not start"
            assert server.poll() is None, "server exited"
            time.sleep(0.2)
        time.sleep(1.0)  # both workers listening (each binds its own socket once its app is built)
        for _ in range(40):
            conns.append(socket.create_connection(("127.0.0.1", port), timeout=20))
        for c in conns:
            status, body = _get(c, "/api/events?country=SY&count=true")
            assert status == 200 and body["count"] == 1 and [e["id"] for e in body["events"]] == ["ev-sy"]
        owners = socket_owners(server.pid, port, [c.getsockname()[1] for c in conns])
        assert None not in owners and server.pid not in owners, "workers, not the parent, hold the connections"
        per_worker = {pid: owners.count(pid) for pid in set(owners)}
        assert len(per_worker) == 2, per_worker
        # the kernel spreads connections by a hash of their addresses: 40 connections land about 20/20
        # (fewer than 8 on one worker has probability about 1e-4); one shared socket gave 27/73 of 100
        assert min(per_worker.values()) >= 8, per_worker
    finally:
        for c in conns:
            c.close()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    assert not _listening(port), "no worker is left behind"


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_a_taken_port_is_a_store_error_and_starts_no_worker():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        before = set(descendants(os.getpid()))
        with pytest.raises(StoreError, match="cannot listen"):
            run_workers(app_factory="wirewatch.web.app:app_from_environment", host="127.0.0.1", port=port, workers=2)
        assert set(descendants(os.getpid())) == before


def test_port_zero_falls_back_to_a_shared_socket():
    assert not reuse_port_supported(0)


QUERIES = [
    {"q": "market"}, {"q": "patrol contact", "count": "true"}, {"country": "KE", "count": "true", "limit": "7"},
    {"country": "KE", "q": "patrol", "count": "true", "limit": "5"}, {"actor": "Al Shabaab", "count": "true"},
    {"min_fatalities": "3", "count": "true"}, {"q": "no such word anywhere", "count": "true"},
]


@pytest.mark.parametrize("page_cache", [0, 2048])
@pytest.mark.parametrize("slow_threads", [0, 2])
def test_every_way_of_answering_event_lists_gives_the_same_bodies(web_db, page_cache, slow_threads):
    reference = TestClient(create_app(str(web_db), page_cache_size=0, slow_threads=0))
    client = TestClient(create_app(str(web_db), page_cache_size=page_cache, slow_threads=slow_threads))
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
