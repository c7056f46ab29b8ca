"""Per-article stages, their registry and the order check.

A stage is a small callable ``(state, resources) -> None`` registered under a
versioned name (``events.v2``) with what it ``requires`` and what it
``provides``.  :func:`build` checks the order before the first article runs.
The versioned names of the stages that ran are stored with every event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..config import Settings
from ..errors import PipelineOrderError, UnknownStage
from ..models import Article, EventMention, PlaceMention

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ArticleState:
    """What the per-article stages share while one article flows through."""

    article: Article
    doc: Any = None  # spaCy Doc over article.body
    places: list[PlaceMention] = field(default_factory=list)
    mentions: list[EventMention] = field(default_factory=list)
    provided: set[str] = field(default_factory=lambda: {"article"})


class Resources:
    """Heavy shared objects, created on first use (never in a constructor)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def nlp(self) -> Any:
        from ..nlp.model import load_model

        return load_model(self.settings.spacy_models)

    @cached_property
    def gazetteer(self) -> Any:
        from ..geo.gazetteer import Gazetteer

        return Gazetteer.load(cache_dir=self.settings.cache_dir)

    @cached_property
    def geoparser(self) -> Any:
        from ..geo.geoparser import Geoparser

        return Geoparser(self.gazetteer)

    @cached_property
    def actors(self) -> Any:
        from ..extract.actors import ActorTable

        return ActorTable.load(extra=self.settings.actors_file)


StageFunc = Callable[[ArticleState, Resources], None]
BatchFunc = Callable[[list[ArticleState], Resources], None]


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    func: StageFunc
    doc: str = ""
    batch: BatchFunc | None = None  # the same work over many articles at once (e.g. nlp.pipe)

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]


REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = ()) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as the stage ``name`` (which must carry a version)."""
    if "." not in name:
        raise ValueError(f"stage name {name!r} must carry a version, e.g. {name}.v1")

    def deco(func: StageFunc) -> StageFunc:
        REGISTRY[name] = Stage(name, tuple(requires), tuple(provides), func, (func.__doc__ or "").strip())
        return func

    return deco


def batched(name: str) -> Callable[[BatchFunc], BatchFunc]:
    """Register ``func(states, resources)`` as the batch form of the registered stage ``name``.

    :meth:`Pipeline.run_many` uses it; its result must equal running the stage on each state.
    """

    def deco(func: BatchFunc) -> BatchFunc:
        st = REGISTRY[name]
        REGISTRY[name] = Stage(st.name, st.requires, st.provides, st.func, st.doc, func)
        return func

    return deco


def _load_builtin_stages() -> None:
    from . import stages


def check_order(names: Iterable[str]) -> list[Stage]:
    """Return the stages for ``names`` or raise if one needs what no earlier one provides."""
    _load_builtin_stages()
    have = {"article"}
    out: list[Stage] = []
    for name in names:
        if name not in REGISTRY:
            raise UnknownStage(f"unknown stage {name!r}; registered: {', '.join(sorted(REGISTRY))}")
        st = REGISTRY[name]
        missing = [r for r in st.requires if r not in have]
        if missing:
            raise PipelineOrderError(f"stage {name} requires {', '.join(missing)}, which no earlier stage provides")
        have.update(st.provides)
        out.append(st)
    return out


class Pipeline:
    """The checked, ordered per-article stages plus their resources."""

    def __init__(self, settings: Settings, resources: Resources | None = None) -> None:
        self.settings = settings
        self.stages = check_order(settings.stages)
        self.resources = resources or Resources(settings)

    @property
    def versions(self) -> dict[str, str]:
        return {s.family: s.name for s in self.stages}

    def run(self, article: Article) -> ArticleState:
        state = ArticleState(article=article)
        for st in self.stages:
            st.func(state, self.resources)
            state.provided.update(st.provides)
        for m in state.mentions:
            m.stages = dict(self.versions)
        return state

    def run_many(self, articles: Iterable[Article], *, batch_size: int | None = None
                 ) -> Iterator[tuple[Article, ArticleState | None, Exception | None]]:
        """Yield ``(article, state, error)`` for every article, in input order.

        Articles go through in chunks of ``batch_size`` (default ``settings.batch_size``), stage
        by stage, so a stage with a batch form (spaCy's ``nlp.pipe``) sees a whole chunk.  A
        failure is a value: when a batch call raises, the chunk is re-run one article at a time
        so only the article at fault gets an error.
        """
        size = max(1, batch_size or self.settings.batch_size)
        chunk: list[Article] = []
        for article in articles:
            chunk.append(article)
            if len(chunk) >= size:
                yield from self._run_chunk(chunk)
                chunk = []
        if chunk:
            yield from self._run_chunk(chunk)

    def _run_chunk(self, chunk: list[Article]) -> Iterator[tuple[Article, ArticleState | None, Exception | None]]:
        states = [ArticleState(article=a) for a in chunk]
        errors: list[Exception | None] = [None] * len(chunk)
        for st in self.stages:
            live = [i for i, e in enumerate(errors) if e is None]
            if not live:
                break
            if st.batch is not None and len(live) > 1:
                try:
                    st.batch([states[i] for i in live], self.resources)
                except Exception:  # find the article at fault: run this stage one by one
                    log.warning("stage %s failed on a batch; retrying its %d articles one by one", st.name, len(live))
                else:
                    for i in live:
                        states[i].provided.update(st.provides)
                    continue
            for i in live:
                try:
                    st.func(states[i], self.resources)
                    states[i].provided.update(st.provides)
                except Exception as exc:  # reported by the caller as a failure of this article
                    log.error("stage %s failed on %s", st.name, states[i].article.origin, exc_info=exc)
                    errors[i] = exc
        versions = self.versions
        for state, err in zip(states, errors):
            if err is None:
                for m in state.mentions:
                    m.stages = dict(versions)
            yield state.article, (state if err is None else None), err
