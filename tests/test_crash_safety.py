"""Crash safety: SIGKILL during ingest loses no committed work and never half-writes.

The long run (20 kills landed inside running ingests) is marked slow; the default run lands one.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _corpus(path: Path, sample: Path, copies: int) -> None:
    """Many distinct articles: the sample's reports with the figures and weekdays varied per copy."""
    text = sample.read_text(encoding="utf-8")
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as f:
        for i in range(copies):
            body = text.replace("more than 20", f"more than {20 + i}").replace("on Monday", rng.choice(
                ["on Monday", "on Tuesday", "on Sunday"]))
            f.write(json.dumps({"id": f"copy-{i}", "text": body, "published": f"2017-03-{1 + i % 28:02d}"}) + "\n")


def _ingest(db: Path, corpus: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "wirewatch", "ingest", "--db", str(db), str(corpus)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)


def _export(db: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "wirewatch", "export", "--db", str(db)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    return sorted(out.splitlines())


def _articles(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def _check_store(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        dup = conn.execute("SELECT count(*) - count(DISTINCT id) FROM articles").fetchone()[0]
        assert dup == 0
        orphans = conn.execute("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)")
        assert orphans.fetchone()[0] == 0
    finally:
        conn.close()


def _kill_loop(tmp_path: Path, sample_wire: Path, reliability, *, kills: int, per_cycle: int, copies: int) -> None:
    """Land ``kills`` SIGKILLs inside running ingests, at random moments of the whole ingest.

    A cycle starts a large ingest on an empty database and kills it ``per_cycle`` times (each re-run
    resumes the last one), then lets a re-run finish and compares the export and the article count with
    a clean run's.  A kill drawn after the process already ended is not counted; attempts are bounded.
    """
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, sample_wire, copies)
    clean = tmp_path / "clean.db"
    t0 = time.monotonic()
    assert _ingest(clean, corpus).wait() == 0
    clean_secs = time.monotonic() - t0
    expected, expected_articles = _export(clean), _articles(clean)
    rng = random.Random(11)
    db = tmp_path / "killed.db"
    landed = attempts = 0
    while landed < kills:
        attempts += 1
        assert attempts <= 3 * kills, f"only {landed} of {attempts} kills landed inside an ingest"
        p = _ingest(db, corpus)
        time.sleep(rng.uniform(0.5, clean_secs))
        missed = p.poll() is not None  # the ingest ended first: it finished the job, the cycle is over
        if not missed:
            p.send_signal(signal.SIGKILL)
            landed += 1
            reliability.killed()
        p.wait()
        if db.exists():
            _check_store(db)
        if missed or landed % per_cycle == 0 or landed == kills:
            assert _ingest(db, corpus).wait() == 0  # the re-run after the crash(es) finishes the job
            _check_store(db)
            reliability.missing(expected_articles - _articles(db))
            assert _articles(db) == expected_articles
            assert _export(db) == expected, f"export after {landed} kills differs from a clean run"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)


def test_sigkill_during_ingest_loses_nothing(tmp_path, sample_wire, reliability):
    _kill_loop(tmp_path, sample_wire, reliability, kills=1, per_cycle=1, copies=3)


@pytest.mark.slow
def test_sigkill_twenty_times(tmp_path, sample_wire, reliability):
    _kill_loop(tmp_path, sample_wire, reliability, kills=20, per_cycle=2, copies=40)
