"""The HTTP protocol ``wirewatch serve`` runs (wirewatch.web.protocol): a response's head leaves in the
same write as its body, or on the next turn of the event loop when no body follows at once; over a real
server every kind of response (fast-path page, FastAPI error, static file) arrives complete and unchanged.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
from fastapi.testclient import TestClient  # noqa: E402

from rawhttp import free_port, get  # noqa: E402
from test_web_api import build_web_db  # noqa: E402
from wirewatch.web.app import create_app  # noqa: E402
from wirewatch.web.protocol import _HeadHoldingTransport  # noqa: E402

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


class _Recorder:
    """A transport that records its writes."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"peername": ("127.0.0.1", 5)}.get(name, default)


def test_head_and_body_leave_in_one_write():
    async def scenario() -> list[bytes]:
        inner = _Recorder()
        transport = _HeadHoldingTransport(inner, asyncio.get_running_loop())
        transport.write(HEAD)
        assert inner.writes == []
        transport.write(b"{}")
        await asyncio.sleep(0)
        return inner.writes

    assert asyncio.run(scenario()) == [HEAD + b"{}"]


def test_a_head_without_a_body_leaves_on_the_next_turn_and_before_a_close():
    async def scenario() -> tuple[list[bytes], list[bytes], bool]:
        loop = asyncio.get_running_loop()
        first, second = _Recorder(), _Recorder()
        late = _HeadHoldingTransport(first, loop)
        late.write(HEAD)
        await asyncio.sleep(0)  # (e.g. a streamed body still being read from disk)
        late.write(b"{}")
        closing = _HeadHoldingTransport(second, loop)
        closing.write(HEAD)
        closing.close()
        await asyncio.sleep(0)
        return first.writes, second.writes, second.closed

    late, closing, closed = asyncio.run(scenario())
    assert late == [HEAD, b"{}"]
    assert closing == [HEAD] and closed


def test_other_writes_pass_straight_through_and_other_calls_reach_the_transport():
    async def scenario() -> tuple[list[bytes], object]:
        inner = _Recorder()
        transport = _HeadHoldingTransport(inner, asyncio.get_running_loop())
        transport.write(b"HTTP/1.1 100 Continue")  # not a complete head: not held
        transport.write(b"5\r\nhello\r\n")
        return inner.writes, transport.get_extra_info("peername")

    writes, peer = asyncio.run(scenario())
    assert writes == [b"HTTP/1.1 100 Continue", b"5\r\nhello\r\n"] and peer == ("127.0.0.1", 5)


def test_a_server_answers_every_kind_of_request_completely(tmp_path):
    db = tmp_path / "web.db"
    build_web_db(db, fillers=30)
    reference = TestClient(create_app(str(db)))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from wirewatch.web.app import serve; "
         "serve(sys.argv[1], port=int(sys.argv[2]), log_level='warning')", str(db), str(port)],
        cwd=Path(__file__).parent.parent)
    try:
        deadline = time.time() + 60
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=20)
                break
            except OSError:
                assert time.time() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.2)
        with sock:
            for path in ["/api/events?limit=5&count=true", "/api/events?limit=5&count=true", "/api/events?bbox=1,2,3",
                         "/api/events/no-such-event", "/static/dashboard.css", "/api/meta", "/"]:
                head, body = get(sock, path)  # one keep-alive connection throughout
                want = reference.get(path)
                assert int(head.split(b" ")[1]) == want.status_code, path
                assert body == want.content, path
                assert b"content-security-policy: default-src 'self'" in head.lower(), path
    finally:
        server.terminate()
        server.wait(timeout=30)
