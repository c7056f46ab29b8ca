"""Running a batch: inputs -> articles -> mentions -> (store) -> events.

This is the library behind ``wirewatch ingest`` and ``wirewatch extract``.
Failures of single inputs or articles are values (:class:`Failure`), reported
by the caller; they never stop the batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..config import MergeSettings, Settings
from ..models import Article, Event, EventMention, RawInput
from .registry import Pipeline

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Failure:
    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(slots=True)
class BatchResult:
    inputs_ok: int = 0
    articles_seen: int = 0
    articles_new: int = 0
    failures: list[Failure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


Progress = Callable[[int], None]


def split_raw(raws: Iterable[object], *, result: BatchResult) -> Iterator[tuple[RawInput, list[Article]]]:
    """Split and date each :class:`RawInput`; anything else (an input failure) goes to ``result``."""
    from ..ingest import infer_published, split_articles

    for item in raws:
        if not isinstance(item, RawInput):
            result.failures.append(Failure(getattr(item, "origin", "?"), getattr(item, "reason", str(item))))
            continue
        try:
            articles = split_articles(item)
            infer_published(articles)
        except Exception as exc:  # a parser bug must not sink the batch
            log.exception("could not split %s", item.origin)
            result.failures.append(Failure(item.origin, f"could not be split into articles: {exc!r}"))
            continue
        if not articles:
            result.failures.append(Failure(item.origin, "no article text found"))
            continue
        result.inputs_ok += 1
        yield item, articles


def read_raw(paths: Iterable[str], *, settings: Settings, published: dt.date | None = None,
             source: str | None = None, fmt: str = "auto", columns: Mapping[str, str] | None = None) -> Iterator[object]:
    from ..ingest import read_inputs

    return read_inputs(paths, published=published, source=source, settings=settings, fmt=fmt, columns=columns)


def iter_articles(paths: Iterable[str], *, settings: Settings, published: dt.date | None = None,
                  source: str | None = None, result: BatchResult, fmt: str = "auto",
                  columns: Mapping[str, str] | None = None) -> Iterator[tuple[RawInput, list[Article]]]:
    """Read, split and date every input; failures are appended to ``result``."""
    raws = read_raw(paths, settings=settings, published=published, source=source, fmt=fmt, columns=columns)
    return split_raw(raws, result=result)


def prepare_raw(raws: Iterable[object], *, result: BatchResult, store=None,
                progress: Progress | None = None, dedup: bool = True) -> Iterator[tuple[Article, bytes]]:
    """New articles with their dedup signature, ``duplicate_of`` and ``story_id`` set (unless not ``dedup``:
    :func:`ingest_raw` links each article as it writes it, see :class:`StoreIndex`)."""
    from ..merge.dedup import ArticleIndex

    index: ArticleIndex | None = None
    seen: set[str] = set()
    for _raw, batch in split_raw(raws, result=result):
        for article in batch:
            result.articles_seen += 1
            if progress:
                progress(1)
            if article.id in seen or (store is not None and store.has_article(article.id)):
                continue
            seen.add(article.id)
            if not dedup:
                yield article, ArticleIndex.signature(article)
                continue
            if index is None:
                index = _load_index(store) if store is not None else ArticleIndex()
            sig = ArticleIndex.signature(article)
            dd = index.add(article, sig)
            article.duplicate_of, article.story_id = dd.duplicate_of, dd.story_id
            yield article, sig


def _process(prepared: Iterable[tuple[Article, bytes]], *, settings: Settings, result: BatchResult,
             pipeline: Pipeline | None = None) -> Iterator[tuple[Article, bytes, list[EventMention]]]:
    """Run the per-article stages: on ``pipeline`` if given, else here or on ``settings.workers`` processes.

    ``settings.workers == 0`` means auto: one process per CPU when the input has more than
    :data:`wirewatch.pipeline.pool.AUTO_MIN_ARTICLES` new articles, else this process.
    """
    workers = settings.workers
    if pipeline is None and workers == 0:
        from itertools import chain, islice

        from .pool import AUTO_MIN_ARTICLES, auto_workers

        prepared = iter(prepared)
        head = list(islice(prepared, AUTO_MIN_ARTICLES + 1))
        workers = auto_workers() if len(head) > AUTO_MIN_ARTICLES else 1
        log.info("auto: %d worker process(es) for %s articles", workers,
                 f"more than {AUTO_MIN_ARTICLES}" if workers > 1 else len(head))
        prepared = chain(head, prepared)
    if pipeline is None and workers > 1:
        from collections import deque

        from .pool import run_parallel

        sigs: deque[bytes] = deque()

        def articles() -> Iterator[Article]:
            for article, sig in prepared:
                sigs.append(sig)
                yield article

        # closed on any exception here (a Ctrl-C while this generator waits at a yield): the pool stops at once
        with contextlib.closing(run_parallel(articles(), settings=settings, workers=workers)) as results:
            for article, mentions, error in results:
                sig = sigs.popleft()
                if error is not None or mentions is None:
                    where = f"{article.origin} (article {article.id}: {article.headline or 'no headline'})"
                    result.failures.append(Failure(where, f"pipeline error: {error}"))
                    continue
                yield article, sig, mentions
        return
    pipeline = pipeline or Pipeline(settings)
    sigs = {}

    def articles_of(items: Iterable[tuple[Article, bytes]]) -> Iterator[Article]:
        for article, sig in items:
            sigs[id(article)] = sig
            yield article

    for article, state, error in pipeline.run_many(articles_of(prepared)):
        sig = sigs.pop(id(article))
        if state is None:
            where = f"{article.origin} (article {article.id}: {article.headline or 'no headline'})"
            result.failures.append(Failure(where, f"pipeline error: {error!r}"))
            continue
        yield article, sig, state.mentions


def extract_raw(raws: Iterable[object], *, settings: Settings, progress: Progress | None = None) -> BatchResult:
    """The whole pipeline without a database: events merged within this batch."""
    from ..merge.core import merge_mentions

    result = BatchResult()
    articles: dict[str, Article] = {}
    mentions: list[EventMention] = []
    prepared = prepare_raw(raws, result=result, progress=progress)
    with contextlib.closing(_process(prepared, settings=settings, result=result)) as processed:
        for article, _sig, found in processed:
            articles[article.id] = article
            result.articles_new += 1
            mentions.extend(found)
    result.events = merge_mentions(mentions, articles, settings=settings.merge)
    return result


def extract(paths: Iterable[str], *, settings: Settings, published: dt.date | None = None,
            source: str | None = None, progress: Progress | None = None, fmt: str = "auto",
            columns: Mapping[str, str] | None = None) -> BatchResult:
    raws = read_raw(paths, settings=settings, published=published, source=source, fmt=fmt, columns=columns)
    return extract_raw(raws, settings=settings, progress=progress)


def ingest_raw(raws: Iterable[object], *, store, settings: Settings, pipeline: Pipeline | None = None,
               progress: Progress | None = None, command: str = "ingest",
               phase: Callable[[str], None] | None = None) -> BatchResult:
    """Store new articles and their mentions, then re-merge events and record history.

    ``raws`` are :class:`RawInput` values (or input failures) from any reader: files,
    feed items, table rows, pages.  ``pipeline`` lets a long-running caller keep
    one loaded pipeline.  ``phase("merging events")`` is called when the merge starts.
    """
    result = BatchResult()
    run_id = store.start_run(command)
    live = StoreIndex(store)
    prepared = prepare_raw(raws, result=result, store=store, progress=progress, dedup=False)
    with contextlib.closing(_process(prepared, settings=settings, result=result, pipeline=pipeline)) as processed:
        for article, sig, mentions in processed:
            if not live.seq:  # read the stored articles before taking the write lock
                live.catch_up()
            if store.add_article(article, mentions, run_id=run_id, minhash=sig,
                                 link=lambda a=article, s=sig: live.link(a, s)):
                result.articles_new += 1
    if result.articles_new or store.events_stale():
        if phase is not None:
            phase("merging events")
        refresh_events(store, run_id=run_id, settings=settings.merge)
    store.finish_run(run_id, inputs_ok=result.inputs_ok, inputs_failed=len(result.failures),
                     articles_new=result.articles_new, articles_seen=result.articles_seen)
    return result


def ingest(paths: Iterable[str], *, store, settings: Settings, published: dt.date | None = None,
           source: str | None = None, progress: Progress | None = None, command: str = "ingest",
           fmt: str = "auto", columns: Mapping[str, str] | None = None,
           phase: Callable[[str], None] | None = None) -> BatchResult:
    """Read ``paths`` and :func:`ingest_raw` them."""
    raws = read_raw(paths, settings=settings, published=published, source=source, fmt=fmt, columns=columns)
    return ingest_raw(raws, store=store, settings=settings, progress=progress, command=command, phase=phase)


def _load_index(store):
    """The near-duplicate index of every stored article (in the order they were stored)."""
    live = StoreIndex(store)
    live.catch_up()
    return live.index


class StoreIndex:
    """The near-duplicate index of a store, brought up to date under the write lock before each article is linked.

    An ingest that links its articles against an index loaded when it started misses what another
    ingest stores meanwhile; :meth:`link` (run by ``store.add_article(link=...)`` inside its write
    transaction) first adds every article stored since the last look, whoever stored it, so each
    article is linked as a serial run in commit order would link it.
    """

    def __init__(self, store) -> None:
        from ..merge.dedup import ArticleIndex

        self.store = store
        self.index = ArticleIndex()
        self.seq = 0  # articles up to this store position are indexed

    def catch_up(self) -> None:
        for seq, article, sig in self.store.signatures_after(self.seq, skip=self.index):
            if article is not None and sig is not None:
                self.index.add(article, sig)
            self.seq = seq

    def link(self, article: Article, sig: bytes) -> None:
        self.catch_up()
        dd = self.index.add(article, sig)
        article.duplicate_of, article.story_id = dd.duplicate_of, dd.story_id


def refresh_events(store, *, run_id: int | None, merge: Callable[..., list[Event]] | None = None,
                   full: bool = False, settings: MergeSettings | None = None) -> list[Event]:
    """Merge stored mentions into events, keeping ids, and log what changed; returns the events merged.

    Only the mentions that the unmerged ones can be merged with are merged again (found by the store's
    merge lanes) and only changed events are rewritten (:mod:`wirewatch.merge.refresh`); the stored
    events equal those of a merge of every mention, which ``full=True`` does.  ``merge(mentions, articles, previous=..., reserved=...)`` defaults to
    :func:`wirewatch.merge.core.merge_mentions`; the distributed runner passes its partitioned merge.
    """
    from ..merge.core import merge_mentions
    from ..merge.refresh import pinned_mentions, refresh_incremental

    settings = settings or MergeSettings()
    if merge is None:
        def merge(*args: Any, **kw: Any) -> list[Event]:
            return merge_mentions(*args, settings=settings, **kw)
    # Read and write under one write lock, so a concurrent ingest cannot slip mentions in between.
    with store.transaction():
        if not full:
            return refresh_incremental(store, run_id=run_id, merge=merge, history_of=event_history, settings=settings)
        mentions = store.mentions()
        articles = store.articles_by_id({m.article_id for m in mentions})
        old = {e.id: e for e in store.events()}
        previous = store.previous_assignment()
        events = merge(mentions, articles, previous=previous, fixed=pinned_mentions(store, previous) or None)
        store.replace_events(events, run_id=run_id, history=event_history(old, events))
    return events


def event_history(old: Mapping[str, Event], events: Iterable[Event]) -> list[tuple[str, list[str], list[dict]]]:
    """History rows ``(event_id, new article ids, changes)`` between the stored and the new events."""
    from ..merge.core import diff_events

    history = []
    new_ids = set()
    for ev in events:
        new_ids.add(ev.id)
        before = old.get(ev.id)
        changes = diff_events(before, ev)
        if changes:
            known = {s.article_id for s in before.sources} if before else set()
            history.append((ev.id, sorted({s.article_id for s in ev.sources} - known), changes))
    for eid, before in old.items():
        if eid not in new_ids:
            history.append((eid, [], diff_events(before, None)))
    return history


def geoparse(paths: Iterable[str], *, settings: Settings, result: BatchResult, published: dt.date | None = None,
             fmt: str = "auto", columns: Mapping[str, str] | None = None) -> Iterator[dict]:
    """The place mentions of every article, as ``wirewatch geoparse`` prints them (one record each).

    Offsets are into the input text as given.  A recognised name the resolver leaves open takes its
    well-known reading or the nearest resolvable anchor (``relation: anchor``, a low score), so
    nearly every name is placed.  An article that fails is a :class:`Failure` in ``result``.
    """
    from .registry import Resources

    res = Resources(settings)
    for raw, articles in iter_articles(paths, settings=settings, published=published, result=result, fmt=fmt,
                                       columns=columns):
        for article in articles:
            try:
                doc = res.nlp(article.body)
                places = res.geoparser.parse(article.body, doc=doc, article=article, fallback_to_anchor=True)
            except Exception as exc:  # one bad article is reported, not fatal
                log.exception("geoparse failed on %s", article.origin or raw.origin)
                result.failures.append(Failure(article.origin or raw.origin, f"geoparse error: {exc!r}"))
                continue
            shift = article.offset + article.body_start
            for p in places:
                yield p.to_record(shift=shift, external_id=article.external_id)
