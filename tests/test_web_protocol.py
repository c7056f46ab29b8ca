"""The HTTP protocol ``wirewatch serve`` runs (wirewatch.web.protocol, uvicorn's with bounded request heads;
the bounds are tested in test_hostile.py): over a real server every kind of response (fast-path page,
FastAPI error, static file) arrives complete and unchanged on one keep-alive connection.
"""

from __future__ import annotations

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
