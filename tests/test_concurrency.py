"""Two ingests on one SQLite file at once, and readers while an ingest writes.

Expectation: writers serialise (one waits for the other's write lock), never interleave
half-written state; after both finish the database is intact, holds each article once,
and exports the same events as a serial run.  Event ids: a merged event keeps the id it
was first given, and which article's mention arrives first decides that, so a concurrent
run may name a merged event differently from a serial run; events are therefore compared
with ``id`` removed (everything else, including sources, claims and evidence, must match).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _variant(sample: Path, k: int) -> str:
    """The sample wire dump with its figures and weekdays shifted: new articles, same stories."""
    text = sample.read_text(encoding="utf-8")
    days = ["on Monday", "on Tuesday", "on Sunday", "on Friday"]
    return text.replace("more than 20", f"more than {20 + k}").replace("nine people", f"{9 + k} people").replace(
        "on Monday", days[k % len(days)])


def _jsonl(path: Path, sample: Path, ks: range, day: int, *, reports: slice | None = None) -> Path:
    """One line per variant; ``reports`` keeps only those reports of the dump (other stories, or a faster input)."""
    from wirewatch.ingest import split_articles
    from wirewatch.models import RawInput

    with path.open("w", encoding="utf-8") as f:
        for k in ks:
            text = _variant(sample, k)
            if reports is not None:
                text = "\n\n".join(a.text for a in split_articles(RawInput("v", text))[reports]) + "\n"
            f.write(json.dumps({"id": f"v{k}", "text": text, "published": f"2017-03-{day + k:02d}"}) + "\n")
    return path


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "wirewatch", *args]


def _start_ingest(db: Path, *inputs: Path) -> subprocess.Popen:
    return subprocess.Popen(_cmd("ingest", "--db", str(db), *map(str, inputs)), cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, PYTHONUNBUFFERED="1"))


def _finish(p: subprocess.Popen) -> str:
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err
    return err


def _events_minus_ids(db: Path) -> list[str]:
    from click.testing import CliRunner

    from wirewatch.cli.main import main

    res = CliRunner().invoke(main, ["export", "--db", str(db)])
    assert res.exit_code == 0, res.output
    out = res.stdout
    rows = []
    for line in out.splitlines():
        rec = json.loads(line)
        rec.pop("id")
        rows.append(json.dumps(rec, sort_keys=True))
    return sorted(rows)


def _check_db(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        n, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        assert n == distinct
        orphans = conn.execute("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)")
        assert orphans.fetchone()[0] == 0
        unmerged = conn.execute("SELECT count(*) FROM mentions m LEFT JOIN event_mentions em ON em.mention_id = m.id"
                                " WHERE em.mention_id IS NULL").fetchone()[0]
        assert unmerged == 0, "some stored mentions are in no event"
        unfinished = conn.execute("SELECT count(*) FROM ingest_runs WHERE finished_at IS NULL").fetchone()[0]
        assert unfinished == 0
        return n
    finally:
        conn.close()


def _serial_in_process(tmp_path: Path, *inputs: Path) -> Path:
    """The reference: the same inputs ingested one after the other (in-process CLI, model loaded once)."""
    from click.testing import CliRunner

    from wirewatch.cli.main import main

    db = tmp_path / "serial.db"
    for p in inputs:
        res = CliRunner().invoke(main, ["ingest", "--db", str(db), str(p)])
        assert res.exit_code == 0, res.stderr
    return db


def _fresh_schema(db: Path) -> None:
    from wirewatch.store.sqlite import SQLiteStore

    SQLiteStore.open(db).close()


def _read_snapshot(db: Path) -> int:
    """One consistent read; returns the article count.

    A WAL reader can still meet a lock for a moment (a writer opening the file runs WAL
    recovery; the last connection to close checkpoints), so it may wait up to 5 s; the
    caller asserts that no read actually waited anywhere near that long.
    """
    conn = sqlite3.connect(db, timeout=5.0)
    try:
        conn.execute("BEGIN")
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        linked = conn.execute("SELECT count(DISTINCT event_id) FROM event_mentions").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)")
        orphans = orphans.fetchone()[0]
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert n_events == linked and orphans == 0, (n_events, linked, orphans)
    return n_articles


def _read_while(db: Path, writers: list[subprocess.Popen]) -> tuple[int, int, float]:
    """Loop reads (and ``wirewatch export`` now and then) until every writer has exited."""
    reads = exports = 0
    slowest = 0.0
    seen: list[int] = []
    next_export = time.monotonic() + 2.0
    try:
        while any(w.poll() is None for w in writers):
            t = time.monotonic()
            seen.append(_read_snapshot(db))
            slowest = max(slowest, time.monotonic() - t)
            reads += 1
            if t >= next_export:  # the real CLI as a reader, every few seconds (it costs a process start)
                next_export = time.monotonic() + 5.0
                res = subprocess.run(_cmd("export", "--db", str(db)), cwd=ROOT, capture_output=True, text=True)
                assert res.returncode == 0 and "locked" not in res.stderr, res.stderr
                assert all(json.loads(ln)["id"] for ln in res.stdout.splitlines())
                exports += 1
            time.sleep(0.05)
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
    assert seen == sorted(seen), "a reader saw articles disappear"
    return reads, exports, slowest


def test_two_ingests_at_once_serialise_and_readers_keep_answering(tmp_path, sample_wire):
    """Default tier: two writers on different inputs plus a reader loop, checked against a serial run."""
    # Different stories in A and B: the near-duplicate race (xfail test below) cannot touch this check.
    a = _jsonl(tmp_path / "a.jsonl", sample_wire, range(0, 2), day=6, reports=slice(0, 2))
    b = _jsonl(tmp_path / "b.jsonl", sample_wire, range(2, 4), day=6, reports=slice(2, 4))
    db = tmp_path / "together.db"
    _fresh_schema(db)  # the first-open race is tested on its own below
    writers = [_start_ingest(db, a), _start_ingest(db, b)]
    reads, exports, slowest = _read_while(db, writers)
    for w in writers:
        _finish(w)
    print(f"{reads} reads and {exports} exports during the ingests; slowest read {slowest:.3f} s")
    assert reads >= 10 and exports >= 1, (reads, exports)
    assert slowest < 2.0, f"a read took {slowest:.1f} s while ingests wrote"
    serial = _serial_in_process(tmp_path, a, b)
    assert _check_db(db) == _check_db(serial)
    assert _events_minus_ids(db) == _events_minus_ids(serial)


def test_first_open_of_a_fresh_db_by_many_at_once(tmp_path):
    import threading

    from wirewatch.store.sqlite import SQLiteStore

    errors: list[str] = []
    for r in range(40):
        db = tmp_path / f"fresh{r}.db"
        barrier = threading.Barrier(6)

        def open_it(db: Path = db, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                SQLiteStore.open(db).close()
            except Exception as exc:  # collected and asserted on below
                errors.append(str(exc))

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, f"{len(errors)} opens failed, e.g. {errors[0]}"


def _concurrent_vs_serial(tmp_path: Path, *inputs: Path) -> None:
    db = tmp_path / "together.db"
    _fresh_schema(db)
    writers = [_start_ingest(db, p) for p in inputs]
    _read_while(db, writers)
    for w in writers:
        _finish(w)
    serial = _serial_in_process(tmp_path, *inputs)
    assert _check_db(db) == _check_db(serial)
    assert _events_minus_ids(db) == _events_minus_ids(serial)


@pytest.mark.slow
def test_two_ingests_of_the_same_input(tmp_path, sample_wire):
    a = _jsonl(tmp_path / "a.jsonl", sample_wire, range(0, 3), day=6)
    _concurrent_vs_serial(tmp_path, a, a)


@pytest.mark.slow
def test_four_ingests_at_once_match_a_serial_run(tmp_path, sample_wire):
    """Three inputs about different stories, the first one given twice."""
    parts = [_jsonl(tmp_path / f"p{i}.jsonl", sample_wire, range(0, 3), day=1, reports=slice(3 * i, 3 * i + 3))
             for i in range(3)]
    _concurrent_vs_serial(tmp_path, *parts, parts[0])


def _article_links(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("SELECT id, duplicate_of, story_id FROM articles").fetchall())
    finally:
        conn.close()


def test_an_ingest_that_overlaps_another_sees_its_articles_for_dedup(tmp_path, sample_wire, monkeypatch):
    """Deterministic interleaving in one process: B runs completely between A's first read and A's first write.

    A serialisable outcome equals the serial run B-then-A.
    """
    from wirewatch.pipeline.batch import ingest
    from wirewatch.config import Settings
    from wirewatch.store.sqlite import SQLiteStore

    a = _jsonl(tmp_path / "a.jsonl", sample_wire, range(0, 1), day=6, reports=slice(0, 1))
    b = _jsonl(tmp_path / "b.jsonl", sample_wire, range(1, 2), day=6, reports=slice(0, 1))
    settings = Settings()

    serial = tmp_path / "serial.db"
    for path in (b, a):
        with SQLiteStore.open(serial) as store:
            ingest([str(path)], store=store, settings=settings)

    db = tmp_path / "interleaved.db"
    with SQLiteStore.open(db) as store_a:
        real_add = store_a.add_article
        ran_b = []

        def add_after_b(*args, **kwargs):
            if not ran_b:  # A has read and indexed its article; now B ingests in full
                ran_b.append(True)
                with SQLiteStore.open(db) as store_b:
                    ingest([str(b)], store=store_b, settings=settings)
            return real_add(*args, **kwargs)

        monkeypatch.setattr(store_a, "add_article", add_after_b)
        ingest([str(a)], store=store_a, settings=settings)
    assert ran_b
    assert _check_db(db) == _check_db(serial)
    assert _article_links(db) == _article_links(serial)
