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


# ---------------------------------------------------------------------------
# The reliability ledger: the fuzz, crash and concurrency tests count what they tried, how many
# SIGKILLs landed mid-ingest and how many items went missing; the totals are printed at the end of
# the run and written to bench/results/reliability.json (the figures README quotes).


class Ledger:
    def __init__(self) -> None:
        self.inputs = 0
        self.kills = 0
        self.lost = 0
        self.by_test: dict[str, dict[str, int]] = {}

    def _add(self, test: str, key: str, n: int) -> None:
        row = self.by_test.setdefault(test, {"inputs": 0, "kills": 0, "lost": 0})
        row[key] += n
        setattr(self, key, getattr(self, key) + n)

    def tried(self, n: int = 1) -> None:
        self._add(os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0], "inputs", n)

    def killed(self, n: int = 1) -> None:
        self._add(os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0], "kills", n)

    def missing(self, n: int) -> None:
        """Record ``n`` lost items (call before asserting there are none, so a failure is counted too)."""
        self._add(os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0], "lost", n)


_LEDGER = Ledger()


@pytest.fixture(scope="session")
def reliability() -> Ledger:
    return _LEDGER


# ---------------------------------------------------------------------------
# Accuracy gates: each product-path figure (ingest -> export/articles) checked against its floor is
# printed with its floor at the end of the run.

_GATES: list[tuple[str, float, float]] = []


@pytest.fixture(scope="session")
def gate():
    """``gate(name, figure, floor)`` records the figure for the summary and asserts it meets the floor."""

    def check(name: str, figure: float | None, floor: float) -> None:
        _GATES.append((name, figure if figure is not None else float("nan"), floor))
        assert figure is not None and figure >= floor, f"{name}: {figure} is below its floor {floor}"

    return check


@pytest.fixture(scope="session")
def eval_data() -> Path:
    """../shared/eval for the accuracy gates: skipped when absent on a developer's machine, a failure in CI."""
    d = _shared_dir()
    if d is None or not (d / "eval").is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared/eval is missing in CI: the accuracy gates cannot run")
        pytest.skip("../shared/eval is not present")
    return d / "eval"


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    for name, figure, floor in _GATES:
        verdict = "ok" if figure >= floor else "BELOW FLOOR"
        terminalreporter.write_line(f"gate {name}: {figure:.4f} (floor {floor:.4f}) {verdict}")
    led = _LEDGER
    if not led.by_test:
        return
    import json

    line = (f"reliability: {led.inputs} inputs tried, {led.kills} SIGKILLs survived mid-ingest, "
            f"{led.lost} items lost")
    terminalreporter.write_line(line)
    marks = "".join(c if c.isalnum() else "-" for c in (config.option.markexpr or "")).strip("-")
    out = ROOT / "bench" / "results" / (f"reliability-{marks}.json" if marks else "reliability.json")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"inputs_tried": led.inputs, "sigkills_survived": led.kills,
                                   "items_lost": led.lost, "by_test": led.by_test}, indent=1) + "\n",
                       encoding="utf-8")
    except OSError:
        pass


@pytest.fixture(scope="session")
def gp():
    """One geoparser over the cached gazetteer, shared by the geo tests."""
    from wirewatch.config import default_cache_dir
    from wirewatch.geo.gazetteer import Gazetteer
    from wirewatch.geo.geoparser import Geoparser

    return Geoparser(Gazetteer.load(cache_dir=default_cache_dir()))
