"""``wirewatch watch``: poll RSS/Atom feeds and ingest only the items not seen before.

Each poll of a feed: fetch it (conditional GET with the stored ETag and
Last-Modified), read its items, drop the items already seen (by guid, by link,
or by a hash of title and text: any one known key means seen), ingest the rest
with :func:`ingest_raw`, then record their keys.  The state lives in the
database (tables ``feeds`` and ``feed_items``, migration ``0003a_feeds``), so a
restarted watcher carries on where the last one stopped.

A network error, an HTTP error or a bad feed never stops the watcher: it is
recorded on the feed (``last_error``, ``failures``) and reported through
``on_result``, and the feed is retried with exponential back-off
(``every * 2**(failures-1)``, at most ``max_backoff`` seconds).  The first retry
comes at the next regular poll.

The fetcher, the sleep and the clock are parameters so tests run without a
network and without waiting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline.batch import BatchResult, Failure, split_raw
from ..pipeline.batch import ingest_raw as batch_ingest_raw
from ..config import Settings
from ..models import Article, RawInput
from ..pipeline.registry import Pipeline

log = logging.getLogger(__name__)

USER_AGENT = "wirewatch-feed-watcher/1 (+https://github.com/; polite polling)"
_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"


# ---------------------------------------------------------------------------
# fetching


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a fetcher returns: ``status`` 200 with ``data``, or 304 (not modified) without."""

    status: int
    data: bytes | None = None
    etag: str | None = None
    modified: str | None = None


Fetcher = Callable[..., Fetched]


def fetch_url(url: str, *, etag: str | None = None, modified: str | None = None, timeout: float = 30.0,
              max_bytes: int = 20_000_000) -> Fetched:
    """GET ``url`` (http, https or file; a bare path is read from disk) with conditional-GET headers.

    Raises :class:`OSError` (``urllib.error.URLError``/``HTTPError``, ``TimeoutError``)
    on network and HTTP errors, and :class:`ValueError` for an unsupported scheme or a
    response larger than ``max_bytes``.
    """
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme in ("", "file") or (len(scheme) == 1 and Path(url).exists()):  # "C:\..." is a path
        path = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path) if scheme == "file" else url)
        if path.stat().st_size > max_bytes:
            raise ValueError(f"{path} is larger than the limit of {max_bytes:,} bytes for a feed")
        return Fetched(200, path.read_bytes())
    if scheme not in ("http", "https"):
        raise ValueError(f"unsupported URL scheme {scheme!r} (use http, https or a file path)")
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise ValueError(f"response larger than the limit of {max_bytes:,} bytes for a feed")
            return Fetched(200, data, response.headers.get("ETag"), response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(304, None, exc.headers.get("ETag") or etag, exc.headers.get("Last-Modified") or modified)
        raise


# ---------------------------------------------------------------------------
# ingesting RawInputs (proposed for wirewatch.pipeline.batch)


def iter_raw_articles(raws: Iterable[RawInput | object], *, result: BatchResult) -> Iterator[Article]:
    """Split and date each :class:`RawInput` (see :func:`wirewatch.pipeline.batch.split_raw`)."""
    for _raw, articles in split_raw(raws, result=result):
        yield from articles


def ingest_raw(raws: Iterable[RawInput | object], *, store, settings: Settings, pipeline: Pipeline | None = None,
               command: str = "watch") -> BatchResult:
    """:func:`wirewatch.pipeline.batch.ingest_raw` for values already read (feed items, table rows, pages)."""
    return batch_ingest_raw(raws, store=store, settings=settings, pipeline=pipeline, command=command)


# ---------------------------------------------------------------------------
# feed state in the store


@dataclass(slots=True)
class FeedState:
    url: str
    etag: str | None = None
    modified: str | None = None
    failures: int = 0
    last_error: str | None = None
    next_poll: float | None = None  # clock time before which the feed is not polled (back-off)


def feed_state(store, url: str) -> FeedState:
    row = store.feed_row(url)
    if row is None:
        return FeedState(url)
    return FeedState(url, row[0], row[1], int(row[2] or 0), row[3], row[4])


def _save_state(store, state: FeedState, *, now: float, ok: bool, items_new: int = 0) -> None:
    stamp = dt.datetime.fromtimestamp(now, dt.timezone.utc).isoformat(timespec="seconds")
    store.save_feed(state.url, etag=state.etag, modified=state.modified, polled=stamp, ok=ok,
                    last_error=state.last_error, failures=state.failures, next_poll=state.next_poll,
                    items_new=items_new)


def item_keys(item: RawInput) -> list[str]:
    """The keys an item is recognised by: its guid, its link and a hash of its title and text."""
    keys = []
    if item.external_id:
        keys.append(f"id:{item.external_id}")
    if item.url:
        keys.append(f"link:{item.url}")
    content = " ".join(f"{item.title or ''}\n{item.text}".split()).casefold()
    keys.append("sha1:" + hashlib.sha1(content.encode("utf-8")).hexdigest())
    return keys


def _seen(store, feed: str, keys: Sequence[str]) -> bool:
    return store.feed_item_seen(feed, keys)


def _mark_seen(store, feed: str, keys: Iterable[str], *, now: float) -> None:
    stamp = dt.datetime.fromtimestamp(now, dt.timezone.utc).isoformat(timespec="seconds")
    store.mark_feed_items(feed, keys, seen_at=stamp)


# ---------------------------------------------------------------------------
# polling


@dataclass(slots=True)
class PollResult:
    """One feed, one poll.  ``status``: ``ok``, ``not-modified``, ``backing-off`` or ``error``."""

    feed: str
    status: str
    items: int = 0
    new: int = 0
    error: str | None = None
    failures: list[Failure] = field(default_factory=list)
    batch: BatchResult | None = None


def poll_feed(feed: str, *, store, settings: Settings, every: float, fetch: Fetcher = fetch_url,
              clock: Callable[[], float] = time.time, pipeline: Pipeline | None = None,
              max_backoff: float = 6 * 3600) -> PollResult:
    """Poll one feed once; never raises for a network, HTTP or feed error (it is recorded)."""
    from .feeds import read_feed
    from .readers import InputFailure

    now = clock()
    state = feed_state(store, feed)
    if state.next_poll is not None and now < state.next_poll:
        return PollResult(feed, "backing-off", error=state.last_error)
    try:
        fetched = fetch(feed, etag=state.etag, modified=state.modified)
        if fetched.status == 304:
            outcome = PollResult(feed, "not-modified")
        else:
            outcome = _ingest_items(feed, read_feed(fetched.data or b"", origin=feed), store=store,
                                    settings=settings, pipeline=pipeline, now=now, failure_type=InputFailure)
    except Exception as exc:  # network, HTTP, store or parser fault: record it, back off, keep watching
        reason = _describe(exc)
        state.failures += 1
        state.last_error = reason
        state.next_poll = now + min(every * 2 ** (state.failures - 1), max(max_backoff, every)) - every / 2
        _save_state(store, state, now=now, ok=False)
        log.warning("%s: poll failed (%d in a row): %s", feed, state.failures, reason)
        return PollResult(feed, "error", error=reason)
    state.etag, state.modified = fetched.etag or state.etag, fetched.modified or state.modified
    state.failures, state.last_error, state.next_poll = 0, None, None
    _save_state(store, state, now=now, ok=True, items_new=outcome.new)
    return outcome


def _ingest_items(feed: str, items: Iterable[object], *, store, settings: Settings, pipeline: Pipeline | None,
                  now: float, failure_type: type) -> PollResult:
    fresh: list[RawInput] = []
    keys: list[str] = []
    failures: list[Failure] = []
    total = 0
    batch_keys: set[str] = set()
    for item in items:
        total += 1
        if isinstance(item, failure_type):
            if item.origin == feed:  # the feed as a whole is unreadable: a poll error, backed off
                raise _BadFeed(item.reason)
            key = f"failed:{item.origin}"
            if key not in batch_keys and not _seen(store, feed, [key]):
                failures.append(Failure(item.origin, item.reason))
                keys.append(key)
                batch_keys.add(key)
            continue
        ks = item_keys(item)
        if batch_keys.intersection(ks) or _seen(store, feed, ks):
            continue
        batch_keys.update(ks)
        keys.extend(ks)
        fresh.append(item)
    outcome = PollResult(feed, "ok", items=total, new=len(fresh), failures=failures)
    if fresh:
        outcome.batch = ingest_raw(fresh, store=store, settings=settings, pipeline=pipeline, command="watch")
        outcome.failures.extend(outcome.batch.failures)
    if keys:
        _mark_seen(store, feed, keys, now=now)
    return outcome


class _BadFeed(ValueError):
    pass


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _BadFeed):
        return f"bad feed: {exc}"
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"network error: {exc.reason}"
    if isinstance(exc, (TimeoutError, OSError)):
        return f"network error: {exc}"
    return f"{type(exc).__name__}: {exc}"


def watch(feeds: Sequence[str], *, store, settings: Settings, every: float, iterations: int | None = None,
          fetch: Fetcher = fetch_url, sleep: Callable[[float], None] = time.sleep,
          clock: Callable[[], float] = time.time, on_result: Callable[[PollResult], None] | None = None,
          max_backoff: float = 6 * 3600, pipeline: Pipeline | None = None) -> None:
    """Poll every feed, then sleep ``every`` seconds; ``iterations`` polls (None: until interrupted)."""
    if every <= 0:
        raise ValueError("every must be a positive number of seconds")
    pipeline = pipeline if pipeline is not None or settings.workers > 1 else Pipeline(settings)
    for n in itertools.count(1):
        for feed in feeds:
            result = poll_feed(feed, store=store, settings=settings, every=every, fetch=fetch, clock=clock,
                               pipeline=pipeline, max_backoff=max_backoff)
            log.info("%s: %s, %d item(s), %d new", feed, result.status, result.items, result.new)
            if on_result is not None:
                on_result(result)
        if iterations is not None and n >= iterations:
            return
        sleep(every)


def parse_interval(text: str) -> float:
    """``90``, ``90s``, ``10m``, ``2h``, ``1d`` -> seconds (for ``--every``)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    s = text.strip().lower()
    factor = units.get(s[-1:], None)
    number = s[:-1] if factor else s
    try:
        value = float(number) * (factor or 1)
    except ValueError:
        raise ValueError(f"not an interval: {text!r} (use e.g. 90s, 10m, 2h)") from None
    if value <= 0:
        raise ValueError(f"not a positive interval: {text!r}")
    return value
