"""Crash safety: SIGKILL during ingest loses no committed work and never half-writes.

The long run (20 kills) is marked slow; the default run kills twice.
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


def _kill_loop(tmp_path: Path, sample_wire: Path, kills: int, copies: int, lo: float, hi: float) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, sample_wire, copies)
    clean = tmp_path / "clean.db"
    assert _ingest(clean, corpus).wait() == 0
    expected = _export(clean)
    db = tmp_path / "killed.db"
    rng = random.Random(11)
    survived = 0
    for _ in range(kills):
        p = _ingest(db, corpus)
        time.sleep(rng.uniform(lo, hi))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            survived += 1
        p.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        dup = conn.execute("SELECT count(*) - count(DISTINCT id) FROM articles").fetchone()[0]
        assert dup == 0
        orphans = conn.execute("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)")
        assert orphans.fetchone()[0] == 0
        conn.close()
    assert _ingest(db, corpus).wait() == 0
    assert _export(db) == expected, f"export after {survived} kills differs from a clean run"


def test_sigkill_during_ingest_loses_nothing(tmp_path, sample_wire):
    _kill_loop(tmp_path, sample_wire, kills=1, copies=3, lo=2.0, hi=6.0)


@pytest.mark.slow
def test_sigkill_twenty_times(tmp_path, sample_wire):
    _kill_loop(tmp_path, sample_wire, kills=20, copies=40, lo=3.0, hi=25.0)
