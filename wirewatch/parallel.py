"""Running the per-article stages on several processes, one model per worker.

The main process reads, splits, deduplicates and stores; workers run the
pipeline.  Submission is windowed so that at most ``window`` articles are in
flight: the corpus is streamed, never held in memory.  Results come back in
input order, so a parallel run stores exactly what a serial run stores.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from .config import Settings
from .models import Article, EventMention
from .pipeline import Pipeline

log = logging.getLogger(__name__)

_PIPELINE: Pipeline | None = None  # one per worker process, made by _init


def _init(settings: Settings) -> None:
    global _PIPELINE
    _PIPELINE = Pipeline(settings)
    _PIPELINE.resources.nlp  # noqa: B018  load the model once, up front
    _PIPELINE.resources.geoparser  # noqa: B018


def _work(article: Article) -> tuple[list[EventMention] | None, str | None]:
    assert _PIPELINE is not None
    try:
        return _PIPELINE.run(article).mentions, None
    except Exception as exc:  # reported by the caller as a failure of this article
        log.exception("pipeline failed on %s", article.origin)
        return None, repr(exc)


def run_parallel(articles: Iterable[Article], *, settings: Settings, workers: int,
                 window: int | None = None) -> Iterator[tuple[Article, list[EventMention] | None, str | None]]:
    """Yield ``(article, mentions, error)`` in input order, computed on ``workers`` processes."""
    window = window or workers * 8
    ctx = get_context("spawn")  # fork is unsafe with threads; spawn gives clean workers
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init,
                             initargs=(settings,)) as pool:
        pending: deque[tuple[Article, Future[Any]]] = deque()
        for article in articles:
            pending.append((article, pool.submit(_work, article)))
            if len(pending) >= window:
                a, fut = pending.popleft()
                yield (a, *fut.result())
        while pending:
            a, fut = pending.popleft()
            yield (a, *fut.result())
