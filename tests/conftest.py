"""Shared fixtures.  Tests that read ../shared/ skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path | None:
    env = os.environ.get("WIREWATCH_SHARED")
    cand = Path(env) if env else ROOT.parent / "shared"
    return cand if cand.is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    """Path to ../shared (the user's seed and public eval data); skip when absent."""
    d = _shared_dir()
    if d is None:
        pytest.skip("../shared is not present")
    return d


@pytest.fixture(scope="session")
def seed_file(shared: Path) -> Path:
    files = sorted((shared / "seed").glob("*.txt"))
    if not files:
        pytest.skip("no seed file in ../shared/seed")
    return files[0]


@pytest.fixture(scope="session")
def sample_wire() -> Path:
    return ROOT / "wirewatch" / "data" / "sample_wire.txt"
