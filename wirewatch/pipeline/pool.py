"""Running the per-article stages on several processes, one model per worker.

The main process reads, splits, deduplicates and stores; workers run the
pipeline over chunks of articles (so spaCy batches with ``nlp.pipe`` inside
each worker).  Submission is windowed so that at most ``window`` chunks are in
flight: the corpus is streamed, never held in memory.  Results come back in
input order, so a parallel run stores exactly what a serial run stores.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

from ..config import Settings
from .lifetime import die_with_parent
from ..models import Article, EventMention
from .registry import Pipeline

T = TypeVar("T")

log = logging.getLogger(__name__)

_PIPELINE: Pipeline | None = None  # one per worker process, made by _init

# Below this many articles a pool does not pay for its start-up (each worker loads the spaCy
# model and the gazetteer, a few seconds): "auto" runs such inputs on the calling process.
AUTO_MIN_ARTICLES = 200

Outcome = tuple[list[EventMention] | None, str | None]


def auto_workers() -> int:
    """Worker processes for a large input: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start_worker(parent_pid: int, initializer: Callable[..., None] | None, *initargs: Any) -> None:
    """First thing in every pool process: end with the parent, then the caller's initializer."""
    die_with_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)


def process_pool(*, workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes that die with this one (see :mod:`wirewatch.pipeline.lifetime`).

    Workers start on demand in the thread that submits work; submit from a thread that outlives the pool.
    """
    ctx = get_context("spawn")  # fork is unsafe with threads; spawn gives clean workers
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                               initargs=(os.getpid(), initializer, *initargs))


def _init(settings: Settings) -> None:
    global _PIPELINE
    _PIPELINE = Pipeline(settings)
    _PIPELINE.resources.nlp  # noqa: B018  load the model once, up front
    _PIPELINE.resources.geoparser  # noqa: B018
    _PIPELINE.resources.actors  # noqa: B018


def _work(articles: list[Article]) -> list[Outcome]:
    assert _PIPELINE is not None
    out: list[Outcome] = []
    for _article, state, error in _PIPELINE.run_many(articles, batch_size=len(articles)):
        out.append((state.mentions, None) if state is not None else (None, repr(error)))
    return out


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), read lazily."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_parallel(articles: Iterable[Article], *, settings: Settings, workers: int, window: int | None = None,
                 chunk: int | None = None) -> Iterator[tuple[Article, list[EventMention] | None, str | None]]:
    """Yield ``(article, mentions, error)`` in input order, computed on ``workers`` processes.

    Articles travel in chunks of ``chunk`` (default ``settings.batch_size``, at most 32); at most
    ``window`` chunks (default ``3 * workers``) are queued or running at once.
    """
    size = max(1, chunk or min(settings.batch_size, 32))
    window = window or workers * 3
    pool = process_pool(workers=workers, initializer=_init, initargs=(settings,))
    pending: deque[tuple[list[Article], Future[Any]]] = deque()

    def drain_one() -> Iterator[tuple[Article, list[EventMention] | None, str | None]]:
        batch, fut = pending.popleft()
        for article, (mentions, error) in zip(batch, fut.result()):
            yield article, mentions, error

    try:
        for batch in chunked(articles, size):
            pending.append((batch, pool.submit(_work, batch)))
            if len(pending) >= window:
                yield from drain_one()
        while pending:
            yield from drain_one()
    except BaseException:  # Ctrl-C, or the caller stopped reading: the queued chunks are not wanted
        stop_now(pool)
        raise
    finally:
        pool.shutdown(wait=True)


def stop_now(pool: ProcessPoolExecutor) -> None:
    """End ``pool`` without finishing its work: queued chunks are cancelled and the workers terminated
    (``shutdown(wait=True)`` would first run every queued chunk: a minute or more after a Ctrl-C)."""
    workers = list((pool._processes or {}).values())  # noqa: SLF001  the executor's own Process objects
    pool.shutdown(wait=False, cancel_futures=True)  # (forgets the processes: read them first)
    for proc in workers:
        proc.terminate()
    for proc in workers:
        proc.join(timeout=5)
