"""Hostile inputs and hard stops (issue 26): each test replays the reproduction that once failed.

1 WARC lengths, 2 directory walks, 3 orphaned workers, 4 full/read-only/locked disks, 5 JSONL field
types, 6 terminal injection, 7 server limits, 8 decompression and parsing bounds, 9 the dependency audit.
Every test counts what it tried in the reliability ledger.  Sentences are written for these tests.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirewatch.cli.common import storage_error, terminal_safe
from wirewatch.cli.main import main
from wirewatch.config import Settings
from wirewatch.ingest import read_inputs, split_articles
from wirewatch.ingest.fields import MAX_ARTICLE_CHARS
from wirewatch.ingest.html import read_html
from wirewatch.ingest.warc import read_warc
from wirewatch.ingest.readers import InputFailure
from wirewatch.models import RawInput

ROOT = Path(__file__).resolve().parents[1]

REPORT = ("Clashes near river town leave five dead\n\n"
          "KORVA, Testland (Reuters) – Five people were killed on Tuesday when two armed groups clashed "
          "near the river port of Korva, a local official said.\n\n"
          "(Reporting by A. Writer; Editing by B. Editor)\n")
PAGE = (b"<html><head><title>Shelling hits a market in the north</title></head><body><article>"
        b"<p>Shelling hit a crowded market in the northern town on Sunday morning, killing three traders "
        b"and wounding a dozen more, a hospital director told reporters.</p></article></body></html>")


def _read(paths: list[Path | str], **kw) -> list[RawInput | InputFailure]:
    return list(read_inputs([str(p) for p in paths], settings=Settings(), **kw))


def _warc_record(payload: bytes, *, headers: bytes = b"") -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + headers + b"\r\n" + payload
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.test/a\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % len(http)
            + http + b"\r\n\r\n")


def _query(db: Path, sql: str) -> object:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wirewatch", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


# ---------------------------------------------------------------------------
# 1. WARC lengths


def test_negative_content_length_is_a_failure_not_a_hang(reliability, tmp_path):
    reliability.tried()
    bad = tmp_path / "n.warc"
    bad.write_bytes(b"WARC/1.0\r\nContent-Length: -33\r\n\r\n")  # the 33-byte file that looped forever
    items = _read([bad])
    assert len(items) == 1 and isinstance(items[0], InputFailure)
    assert "Content-Length" in items[0].reason


@pytest.mark.parametrize("size", [b"-6", b"-0", b"+5", b"7fffffffffffffffffff", b"zz"])
def test_chunk_sizes_that_are_not_hex_digits_end_the_body(reliability, size):
    reliability.tried()
    body = size + b"\r\n" + b"<p>abc</p>" * 3 + b"\r\n0\r\n\r\n"
    tracemalloc.start()
    items = list(read_warc(_warc_record(body, headers=b"Transfer-Encoding: chunked\r\n"), origin="c.warc"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert all(isinstance(i, InputFailure) for i in items) and items
    assert peak < 20_000_000


def test_a_record_past_a_bad_header_keeps_the_good_ones_before_it(reliability):
    reliability.tried(2)
    data = _warc_record(PAGE) + b"WARC/1.0\r\nContent-Length: 999999\r\n\r\nshort"
    items = list(read_warc(data, origin="two.warc"))
    assert isinstance(items[0], RawInput) and "market" in items[0].text
    assert isinstance(items[1], InputFailure) and "ends inside a record" in items[1].reason


def test_cli_stores_the_good_inputs_beside_a_hostile_warc(reliability, tmp_path):
    reliability.tried(2)
    (tmp_path / "n.warc").write_bytes(b"WARC/1.0\r\nContent-Length: -33\r\n\r\n")
    (tmp_path / "good.txt").write_text(REPORT, encoding="utf-8")
    db = tmp_path / "x.db"
    proc = _run_cli("ingest", "--db", str(db), str(tmp_path / "n.warc"), str(tmp_path / "good.txt"), timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "n.warc" in proc.stderr and "Traceback" not in proc.stderr
    stored = _query(db, "select count(*) from articles")
    reliability.missing(1 - stored)
    assert stored == 1


# ---------------------------------------------------------------------------
# 2. directory walks


def test_a_symlink_loop_and_a_fifo_are_named_failures_and_the_walk_goes_on(reliability, tmp_path):
    reliability.tried(4)
    (tmp_path / "good.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    (tmp_path / "up").symlink_to(tmp_path)  # a link back to the root is not followed
    items = _read([tmp_path])
    failures = {Path(i.origin).name: i.reason for i in items if isinstance(i, InputFailure)}
    good = [i for i in items if isinstance(i, RawInput)]
    reliability.missing(1 - len(good))
    assert len(good) == 1 and good[0].origin.endswith("good.txt")
    assert "loop" in failures["loop"] and "dangling" in failures["dangling.txt"]
    assert "named pipe" in failures["pipe.txt"]


def test_a_symlink_loop_named_on_the_command_line_is_one_failure(reliability, tmp_path):
    reliability.tried()
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    items = _read([tmp_path / "loop"])
    assert len(items) == 1 and isinstance(items[0], InputFailure) and "loop" in items[0].reason


# ---------------------------------------------------------------------------
# 3. workers die with their parent

_POOL_PARENT = """
import sys, time
from wirewatch.pipeline.pool import process_pool

def nap(x):
    time.sleep(x)
    return x

if __name__ == "__main__":
    with process_pool(workers=2) as pool:
        list(pool.map(nap, [0.1, 0.1]))
        futures = [pool.submit(nap, 600) for _ in range(2)]  # busy workers, as mid-ingest
        print(" ".join(str(p) for p in pool._processes), flush=True)
        time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _kill_parent_alone(parent: subprocess.Popen, family: list[int], reliability) -> list[int]:
    """SIGKILL ``parent`` (not its children) and return those of ``family`` still alive 5 s later."""
    parent.send_signal(signal.SIGKILL)
    reliability.killed()
    parent.wait(timeout=30)
    deadline = time.time() + 5
    while any(_alive(p) for p in family) and time.time() < deadline:
        time.sleep(0.1)
    return [p for p in family if _alive(p)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
def test_sigkill_of_the_parent_leaves_no_pool_process(reliability, tmp_path):
    reliability.tried()
    script = tmp_path / "parent.py"
    script.write_text(_POOL_PARENT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        import psutil

        family = [c.pid for c in psutil.Process(parent.pid).children(recursive=True)]  # + resource tracker
        assert len(workers) == 2 and set(workers) <= set(family)
        left = _kill_parent_alone(parent, family, reliability)
        assert not left, f"orphaned pool processes: {left}"
    finally:
        if parent.poll() is None:
            parent.kill()


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
def test_sigkill_of_an_ingest_with_workers_leaves_no_orphan(reliability, tmp_path, sample_wire):
    """The reproduction: a parallel ingest killed while its workers load or run the pipeline."""
    import psutil

    corpus = tmp_path / "corpus.txt"  # 300 distinct reports, so the pool has work for minutes
    corpus.write_text("".join(REPORT.replace("Five people", f"{n} people") for n in range(300)), encoding="utf-8")
    for _ in range(2):
        reliability.tried(300)
        parent = subprocess.Popen([sys.executable, "-m", "wirewatch", "ingest", "--workers", "2", "--db",
                                   str(tmp_path / "x.db"), str(corpus)], cwd=ROOT, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        family: list[int] = []
        while time.time() < deadline and len(family) < 3:  # the resource tracker and two workers
            family = [c.pid for c in psutil.Process(parent.pid).children(recursive=True)] or family
            time.sleep(0.2)
        assert parent.poll() is None and len(family) >= 2, "the ingest started no pool"
        time.sleep(3)
        family = [c.pid for c in psutil.Process(parent.pid).children(recursive=True)] or family
        left = _kill_parent_alone(parent, family, reliability)
        assert not left, f"orphaned pool processes: {left}"


# ---------------------------------------------------------------------------
# 4. full, read-only and locked disks


@pytest.fixture
def small_tmpfs(tmp_path):
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_full_and_read_only_disk_are_one_line_errors_and_the_database_stays_usable(
        reliability, small_tmpfs, tmp_path, sample_wire):
    reliability.tried(3)
    text = tmp_path / "in.txt"
    text.write_text(REPORT, encoding="utf-8")
    db = small_tmpfs / "x.db"
    first = _run_cli("ingest", "--db", str(db), str(text))
    assert first.returncode == 0, first.stderr
    filler = small_tmpfs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk to the last byte
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    full = _run_cli("ingest", "--db", str(db), str(sample_wire))
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr and "OperationalError" not in full.stderr
    errors = [ln for ln in full.stderr.splitlines() if ln.startswith("error:")]
    assert errors == [errors[0]] and f"no space left on the disk holding {db}" in errors[0]
    filler.unlink()  # room again: the database as the failed run left it is sound, and the same command completes
    assert _query(db, "pragma integrity_check") == "ok"
    again = _run_cli("ingest", "--db", str(db), str(sample_wire))
    assert again.returncode == 0, again.stderr
    assert _query(db, "pragma integrity_check") == "ok"
    stored = _query(db, "select count(*) from articles")
    expected = 1 + len(split_articles(RawInput(origin="s", text=sample_wire.read_text(encoding="utf-8"))))
    reliability.missing(expected - stored)
    assert stored == expected
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    ro = _run_cli("ingest", "--db", str(small_tmpfs / "new.db"), str(text))
    assert ro.returncode == 1 and "Traceback" not in ro.stderr
    assert "cannot be written (a read-only file system or file)" in ro.stderr


def test_storage_errors_say_what_to_do(reliability):
    reliability.tried(4)
    locked = storage_error(sqlite3.OperationalError("database is locked"), db="w.db")
    assert locked is not None and "w.db is locked by another process" in locked
    full = storage_error(OSError(28, "No space left on device"), db="w.db")
    assert full is not None and "no space left" in full
    assert "cannot be created" in storage_error(sqlite3.OperationalError("unable to open database file"),
                                                db="/no/such/folder/w.db")
    assert storage_error(sqlite3.OperationalError("no such table: x"), db="w.db") is None


# ---------------------------------------------------------------------------
# 5. JSONL field types, dates and lengths

_BODY = "Gunmen attacked a police post in the hills on Friday, killing two officers, the army said."


@pytest.mark.parametrize(("extra", "field"), [
    ({"id": {"x": [1, 2, 3]}}, "id"), ({"id": True}, "id"), ({"id": float("nan")}, "id"),
    ({"id": float("inf")}, "id"), ({"title": ["a", "b"]}, "title"), ({"url": 5}, "url"),
    ({"source": {"n": 1}}, "source"), ({"published": "0001-01-01"}, "published"),
    ({"published": "2999-12-31"}, "published"), ({"published": 20170306}, "published"),
    ({"text": ["a", "b"]}, "text"),
])
def test_a_wrong_jsonl_type_fails_its_line_naming_the_field(reliability, tmp_path, extra, field):
    reliability.tried(2)
    p = tmp_path / "in.jsonl"
    bad = json.dumps({"text": _BODY, **extra})  # NaN/Infinity as Python's json writes them, as in the report
    p.write_text(bad + "\n" + json.dumps({"id": 7, "text": _BODY, "title": "Police post attacked"}) + "\n",
                 encoding="utf-8")
    mapped = {"text": "text", "title": "title", "id": "id", "published": "published", "url": "url", "source": "source"}
    reads = [_read([p])] + ([] if field == "text" else [_read([p], columns=mapped)])  # mapped: a list is paragraphs
    for items in reads:
        assert isinstance(items[0], InputFailure) and items[0].origin.endswith(":1")
        assert f'"{field}"' in items[0].reason or field in items[0].reason
        assert isinstance(items[1], RawInput) and items[1].external_id == "7"
        assert items[1].title == "Police post attacked"


def test_an_article_over_the_model_limit_is_refused_by_the_reader(reliability, tmp_path):
    reliability.tried()
    p = tmp_path / "long.jsonl"
    p.write_text(json.dumps({"text": (_BODY + "\n") * (MAX_ARTICLE_CHARS // len(_BODY) + 10)}) + "\n",
                 encoding="utf-8")
    items = _read([p])
    assert isinstance(items[0], InputFailure) and "split it into sections" in items[0].reason


def test_an_over_long_wire_report_is_cut_into_sections_no_stage_refuses(reliability):
    reliability.tried()
    text = "KORVA, Testland (Reuters) – " + (_BODY + "\n\n") * (2 * MAX_ARTICLE_CHARS // len(_BODY) + 5)
    articles = split_articles(RawInput(origin="long.txt", text=text))
    assert len(articles) >= 3
    assert all(len(a.text) <= MAX_ARTICLE_CHARS for a in articles)
    assert "".join(a.text for a in articles).replace("\n", "") == text.replace("\n", "")
    assert articles[0].dateline is not None


# ---------------------------------------------------------------------------
# 6. terminal injection


def test_names_with_newlines_and_escape_codes_cannot_forge_output(reliability, tmp_path):
    reliability.tried(2)
    forged = tmp_path / "x\nfailed: nothing, all good.txt"
    forged.write_bytes(b"")
    coloured = tmp_path / "\x1b[2J\x1b[31mred.txt"
    coloured.write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", str(tmp_path)])
    lines = result.stderr.splitlines() if hasattr(result, "stderr") else result.output.splitlines()
    assert not any(line.startswith("failed: nothing") for line in lines), lines
    assert "\x1b" not in result.output
    assert terminal_safe("a\u202eb\x9bc\r") == "a\\u202eb\\x9bc\\r"


# ---------------------------------------------------------------------------
# 7. server limits


@pytest.fixture
def live_server(tmp_path):
    pytest.importorskip("uvicorn")
    import uvicorn

    from wirewatch.store import open_store
    from wirewatch.web.app import create_app
    from wirewatch.web.protocol import BoundedHttpToolsProtocol
    from wirewatch.web.security import default_allowed_hosts

    class QuickTimeout(BoundedHttpToolsProtocol):
        head_timeout = 1.0

    db = tmp_path / "web.db"
    with open_store(str(db)):
        pass
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(str(db), allowed_hosts=default_allowed_hosts("127.0.0.1"))
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", http=QuickTimeout, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def _exchange(port: int, data: bytes, *, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused mid-send: the answer was written first
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except (ConnectionResetError, TimeoutError):
            pass
        return out


def _has_security_headers(response: bytes) -> bool:
    head = response.split(b"\r\n\r\n", 1)[0].lower()
    return all(h in head for h in (b"content-security-policy:", b"x-content-type-options: nosniff",
                                   b"x-frame-options: deny"))


def test_server_refuses_huge_and_numerous_headers(reliability, live_server):
    reliability.tried(2)
    big = _exchange(live_server, b"GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 32_000_000 + b"\r\n\r\n")
    assert big.startswith(b"HTTP/1.1 431") and _has_security_headers(big)
    many = b"".join(b"X-H%d: 1\r\n" % i for i in range(500))
    answer = _exchange(live_server, b"GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431") and _has_security_headers(answer)


def test_server_closes_half_open_connections_after_the_head_timeout(reliability, live_server):
    reliability.tried(50)
    conns = [socket.create_connection(("127.0.0.1", live_server), timeout=10) for _ in range(50)]
    for c in conns[:25]:
        c.sendall(b"GET /api/meta HTTP/1.1\r\nHost: 127.")  # never finished
    time.sleep(2.5)
    closed = 0
    for c in conns:
        c.settimeout(5)
        data = b""
        try:
            while chunk := c.recv(4096):
                data += chunk
            closed += 1
        except (ConnectionResetError, TimeoutError):
            pass
        c.close()
    reliability.missing(50 - closed)
    assert closed == 50


def test_server_answers_only_its_own_host_names_and_its_400s_carry_security_headers(reliability, live_server):
    reliability.tried(4)
    ok = _exchange(live_server, b"GET /api/meta HTTP/1.1\r\nHost: localhost:8000\r\nConnection: close\r\n\r\n")
    assert ok.startswith(b"HTTP/1.1 200")
    evil = _exchange(live_server, b"GET /api/meta HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert evil.startswith(b"HTTP/1.1 400") and b"Host" in evil and _has_security_headers(evil)
    nohost = _exchange(live_server, b"GET /api/meta HTTP/1.0\r\n\r\n")
    assert nohost.startswith(b"HTTP/1.1 400")
    garbage = _exchange(live_server, b"NOT HTTP AT ALL\r\n\r\n")
    assert garbage.startswith(b"HTTP/1.1 400") and _has_security_headers(garbage)


# ---------------------------------------------------------------------------
# 8. decompression and parsing bounds


def test_a_gzip_bomb_warc_is_refused_with_memory_bounded(reliability):
    reliability.tried()
    blob = b"<p>" + b"a" * 60_000_000 + b"</p>"
    bomb = gzip.compress(_warc_record(blob), compresslevel=9)
    assert len(bomb) < 1_000_000
    tracemalloc.start()
    items = list(read_warc(bomb, origin="bomb.warc.gz", max_bytes=30_000_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], InputFailure)
    assert peak < 5 * len(bomb) + 5_000_000, peak  # refused before inflating past the limit


@pytest.mark.slow
def test_a_warc_gz_inflating_to_a_gigabyte_stays_within_memory(reliability):
    """The reproduction: under 1 MB of gzip inflating to 980 MB once peaked at 2 GB."""
    reliability.tried()
    blob = b"<p>" + b"a" * 980_000_000 + b"</p>"
    bomb = gzip.compress(_warc_record(blob) + _warc_record(PAGE), compresslevel=9)
    del blob
    tracemalloc.start()
    items = list(read_warc(bomb, origin="bomb.warc.gz"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(items[0], InputFailure) and "skipped" in items[0].reason
    assert isinstance(items[1], RawInput)  # the page after the oversized record is still read
    assert peak < 100_000_000, peak


def test_a_page_of_half_a_million_tiny_paragraphs_is_refused_quickly(reliability):
    reliability.tried()
    page = b"<html><body>" + b"<p>a</p>" * 500_000 + b"</body></html>"
    start = time.perf_counter()
    result = read_html(page, origin="many.html")
    assert isinstance(result, InputFailure) and "tags" in result.reason
    assert time.perf_counter() - start < 5


def test_the_parse_time_budget_stops_a_runaway_parse_and_disarms(reliability):
    from wirewatch.ingest.limits import InputTimeout, time_budget

    reliability.tried()
    start = time.perf_counter()
    with pytest.raises(InputTimeout), time_budget(0.2) as armed:
        assert armed
        while time.perf_counter() - start < 10:  # a parse that would never end
            pass
    assert time.perf_counter() - start < 2
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    done = []

    def elsewhere() -> None:
        with time_budget(0.1) as armed_there:
            done.append(armed_there)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert done == [False]  # off the main thread no signal can reach it: the size limits bound the work


# ---------------------------------------------------------------------------
# 9. the dependency audit


def _audit_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the class is made
    spec.loader.exec_module(mod)
    return mod


def test_audit_compares_versions_as_versions_and_ignores_withdrawn(reliability, tmp_path):
    reliability.tried(5)
    audit = _audit_module()
    records = [
        {"id": "ADV-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "Some_Pkg"},
                                      "versions": ["2.4.6.0"]}]},
        {"id": "ADV-2", "affected": [{"package": {"ecosystem": "PyPI", "name": "other"}, "ranges": [
            {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.10"}]}]}]},
        {"id": "ADV-3", "withdrawn": "2024-01-01T00:00:00Z", "affected": [
            {"package": {"ecosystem": "PyPI", "name": "clean"}, "versions": ["1.0"]}]},
    ]
    db = tmp_path / "osv.json"
    db.write_text(json.dumps(records), encoding="utf-8")
    index = audit.osv_index(audit.osv_records(db))
    rows = audit.audit({"some-pkg": "2.4.6", "other": "1.9", "clean": "1.0", "fresh": "3.0"}, osv=index,
                       allowed={}, timeout=1, use_network=False)
    status = {r.name: (r.status, r.advisories) for r in rows}
    assert status["some-pkg"] == ("VULNERABLE", ["ADV-1"])  # 2.4.6 is 2.4.6.0
    assert status["other"] == ("VULNERABLE", ["ADV-2"])  # 1.9 < 1.10 as versions, not as strings
    assert status["clean"] == ("ok", [])  # withdrawn
    assert status["fresh"] == ("ok", [])
    assert audit.exit_status(rows) == 1


def test_audit_fails_when_it_could_not_check_unless_allowed_with_a_reason(reliability):
    reliability.tried(4)
    audit = _audit_module()
    older = audit.check_pypi({"info": {"version": "2.5.0"}, "vulnerabilities": []}, "2.4.6")
    assert older[0] is None and "newest is 2.5.0" in older[1]  # older than the newest: not "ok"
    same = audit.check_pypi({"info": {"version": "2.4.6.0"}, "vulnerabilities": [
        {"id": "W", "withdrawn": "2024-01-01"}, {"id": "V", "withdrawn": None}]}, "2.4.6")
    assert same == (["V"], "")
    rows = audit.audit({"a": "1.0", "b": "2.0"}, osv=None, allowed={}, timeout=1, use_network=False)
    assert [r.status for r in rows] == ["unchecked", "unchecked"] and audit.exit_status(rows) == 2
    rows = audit.audit({"a": "1.0"}, osv=None, allowed={"a": "pinned by a dependency"}, timeout=1,
                       use_network=False)
    assert rows[0].status == "allowed" and audit.exit_status(rows) == 0
    with pytest.raises(ValueError):
        audit.parse_allowed(["numpy="], [])


def test_audit_counts_a_release_superseded_days_ago_as_lagging_not_unchecked(reliability):
    """A mirror or pip's cached index that has not yet offered a two-day-old release must not fail CI;
    a release superseded weeks ago still does, and advisories on the newest release still count."""
    import datetime as dt
    reliability.tried(4)
    audit = _audit_module()
    now = dt.datetime(2026, 12, 7, 18, 0, tzinfo=dt.timezone.utc)

    def project(releases, vulns=()):
        files = {v: [{"upload_time_iso_8601": t}] for v, t in releases.items()}
        newest = max(releases, key=audit._version)
        return lambda name, timeout: {"info": {"version": newest}, "releases": files,
                                      "vulnerabilities": list(vulns)}

    recent = project({"6.1.27": "2026-11-30T18:30:05Z", "6.1.29": "2026-12-05T17:06:26Z"})
    rows = audit.audit({"h": "6.1.27"}, osv=None, allowed={}, timeout=1, now=now, project=recent)
    assert rows[0].status == "lagging" and "6.1.29 is 2.0 days old" in rows[0].note
    assert audit.exit_status(rows) == 0
    old = project({"6.1.27": "2026-10-01T00:00:00Z", "6.1.29": "2026-11-01T00:00:00Z"})
    rows = audit.audit({"h": "6.1.27"}, osv=None, allowed={}, timeout=1, now=now, project=old)
    assert rows[0].status == "unchecked" and audit.exit_status(rows) == 2
    # two releases behind: the older of them (40 days) decides
    mixed = project({"6.1.26": "2026-10-01T00:00:00Z", "6.1.27": "2026-10-28T00:00:00Z",
                     "6.1.29": "2026-12-05T17:06:26Z"})
    assert audit.audit({"h": "6.1.26"}, osv=None, allowed={}, timeout=1, now=now,
                       project=mixed)[0].status == "unchecked"
    # a version PyPI does not know is not lagging
    assert audit.audit({"h": "6.1.28"}, osv=None, allowed={}, timeout=1, now=now,
                       project=recent)[0].status == "unchecked"
    bad = project({"6.1.27": "2026-11-30T18:30:05Z", "6.1.29": "2026-12-05T17:06:26Z"},
                  vulns=[{"id": "GHSA-x", "withdrawn": None}, {"id": "OLD", "withdrawn": "2026-01-01"}])
    rows = audit.audit({"h": "6.1.27"}, osv=None, allowed={}, timeout=1, now=now, project=bad)
    assert rows[0].status == "VULNERABLE" and rows[0].advisories == ["GHSA-x"] and audit.exit_status(rows) == 1
