"""Beyond one machine: ingest over a Dask cluster into PostgreSQL, and a partitioned event merge.

:func:`ingest_dask` is ``wirewatch ingest --db postgresql://... --dask-scheduler tcp://HOST:PORT``
(or ``--workers N`` for a local cluster); :func:`ingest_raw_dask` takes inputs from any reader.  The client reads and splits the inputs as a stream and
deduplicates them (``duplicate_of``/``story_id``, exactly as :func:`wirewatch.pipeline.batch.ingest` does, so
the assignment is deterministic), reserves each article's position in the store, and submits
batches of articles to the cluster.  Each worker process loads the pipeline once, runs the
per-article stages and writes its articles and mentions straight to PostgreSQL (one transaction
per article); tasks return counts and failures.  At most a few batches per worker are in flight,
so the corpus is never held in memory.  The client then runs :func:`refresh_events_partitioned`.

:func:`refresh_events_partitioned` merges mentions per (country, month) block instead of all at
once.  Each block is widened by an overlap window at its month boundaries (the merge's date
slack: ``window_days``, ``displacement_days`` for Displacement): when mentions on both sides of a
boundary fall within that window of each other, the two blocks are merged together.  Blocks are
also joined through shared articles and stories, and an undated mention joins every block of its
country.  As the merge never links mentions of different blocks so formed (see
:mod:`wirewatch.merge.cluster`: comparisons are blocked by country, type family and date window), the
events equal those of the global merge, ids included.  Blocks are merged on the cluster when
there are many mentions (or when asked).

Needs the ``cluster`` extra (dask[distributed], psycopg); both are imported lazily.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .batch import BatchResult, Failure, Progress, prepare_raw, read_raw
from .pool import chunked
from ..config import MergeSettings, Settings
from ..errors import ClusterError
from ..models import EVENT_TYPES, Article, Event, EventMention

log = logging.getLogger(__name__)

_HINT = "install the cluster extra: pip install 'wirewatch[cluster]' (dask[distributed] and psycopg[binary])"
MERGE_ON_CLUSTER_FROM = 20_000  # mentions; below this the client merges the blocks itself


# -- partitioned merge -----------------------------------------------------------------------


@dataclass(slots=True)
class Block:
    """Mentions that the merge can only link among themselves.

    ``months`` is the first and last month (``YYYY-MM``) of the dated mentions, None when all are undated.
    ``context`` holds mentions of other blocks that are merged along with this one and then dropped:
    the articles with the longest date spans of each of its (country, type family) lanes.  The merge
    widens its window search by the longest span of a lane, and a mention without dates of its own
    links with whatever that search finds, so the block needs the same longest spans as the whole.
    """

    country: str | None
    months: tuple[str, str] | None
    mentions: list[EventMention]
    context: list[EventMention] = field(default_factory=list)


def _type_families() -> dict[str, int]:
    """Event types grouped by the merge's own type rule: types that can never link are apart."""
    types = list(EVENT_TYPES)
    parent = list(range(len(types)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    from ..merge.link import types_compatible

    def probe(t: str, sub: str) -> EventMention:
        return EventMention(id="", article_id="", event_type=t, sub_event_type=sub, evidence=[])

    for i, a in enumerate(types):
        for j, b in enumerate(types[:i]):
            if any(types_compatible(probe(a, sa), probe(b, sb), same_article=True)
                   for sa in EVENT_TYPES[a] for sb in EVENT_TYPES[b]):
                parent[find(i)] = find(j)
    return {t: find(i) for i, t in enumerate(types)}


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _countries(mentions: Sequence[EventMention]) -> list[str | None]:
    """The country each mention is blocked by in the merge (an unlocated one takes its article's)."""
    own = []
    per_article: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        loc = m.location
        c = (loc.country_code or loc.country) if loc else None
        c = c.upper() if c else None
        own.append(c)
        if c:
            per_article[m.article_id][c] += 1
    out = []
    for m, c in zip(mentions, own, strict=True):
        counts = per_article.get(m.article_id)
        out.append(c if c or not counts else min(counts, key=lambda k: (-counts[k], k)))
    return out


def _interval(m: EventMention, article: Article | None, *,
              displacement: bool) -> tuple[tuple[dt.date, dt.date] | None, bool]:
    """The dates the merge's window looks at for a mention (its span, else its report date), and whether
    the mention has no span of its own (the merge then finds every date compatible with it)."""
    report = article.published if article else None
    start = m.date_start or m.event_date
    end = m.date_end or m.event_date or start
    span = None if start is None else ((start, end) if end >= start else (end, start))
    if displacement:
        t = report or (span[1] if span else None)
        return (None if t is None else (t, t)), False
    if span is not None:
        return span, False
    return (None if report is None else (report, report)), True


def partition_mentions(mentions: Iterable[EventMention], articles: Mapping[str, Article], *,
                       settings: Any = None, countries: Mapping[str, str | None] | None = None) -> list[Block]:
    """Split mentions into blocks that :func:`wirewatch.merge.core.merge_mentions` can merge one by one.

    Start from (country, type family, month) blocks; join two blocks when a mention of one lies
    within the overlap window (``settings.window_days``, ``displacement_days`` for Displacement;
    ``settings`` is a :class:`wirewatch.config.MergeSettings`) of a mention of the other, when they
    share an article or a story, or when one holds an undated mention.  Blocks come out ordered
    by country and first date; mentions keep their input order.
    """

    s = settings or MergeSettings()
    unique: dict[str, EventMention] = {}
    for m in mentions:
        unique.setdefault(m.id, m)
    ms = list(unique.values())
    if not ms:
        return []
    families = _type_families()
    displacement_family = families.get("Displacement")
    given = countries
    countries = _countries(ms)
    if given:  # (mention id -> country) for mentions given without the rest of their article
        countries = [given.get(m.id, c) for m, c in zip(ms, countries, strict=True)]
    uf = _UnionFind(len(ms))
    first_of: dict[tuple[str, str], int] = {}
    intervals: list[tuple[dt.date, dt.date] | None] = []
    spanless: list[bool] = []
    lane_of: list[tuple] = []
    longest: dict[tuple, int] = defaultdict(int)
    for i, m in enumerate(ms):
        art = articles.get(m.article_id)
        for kind, key in (("article", m.article_id), ("story", art.story_id if art else None)):
            if key is not None:
                uf.union(i, first_of.setdefault((kind, key), i))
        family = families.get(m.event_type, -1)
        iv, no_span = _interval(m, art, displacement=family == displacement_family)
        lane = (countries[i], family)
        intervals.append(iv)
        spanless.append(no_span)
        lane_of.append(lane)
        if iv is not None:
            longest[lane] = max(longest[lane], (iv[1] - iv[0]).days)
    lanes: dict[tuple, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    undated: dict[tuple, list[int]] = defaultdict(list)
    for i, (iv, lane) in enumerate(zip(intervals, lane_of, strict=True)):
        if iv is None:
            undated[lane].append(i)
            continue
        pad = dt.timedelta(days=s.displacement_days if lane[1] == displacement_family else s.window_days)
        if spanless[i]:  # links with any mention its window search reaches, however long that one's span
            pad += dt.timedelta(days=longest[lane])
            lanes[lane].append((iv[0] - pad, iv[1] + pad, i))
        else:
            lanes[lane].append((iv[0], iv[1] + pad, i))
    for lane, items in lanes.items():
        items.sort()
        reach, prev = None, None
        for start, end, i in items:  # a sweep over starts: join while inside the window of an earlier one
            if reach is not None and start <= reach:
                uf.union(i, prev)
            reach = end if reach is None else max(reach, end)
            prev = i
    for lane, idx in undated.items():  # an undated mention may link with anything of its lane
        for i in idx[1:]:
            uf.union(i, idx[0])
        for _, _, i in lanes.get(lane, []):
            uf.union(i, idx[0])
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ms)):
        groups[uf.find(i)].append(i)
    # The articles holding the longest spans of each lane, for the merge's short (<= 7 days) and long timelines.
    widest: dict[tuple, dict[bool, tuple[int, int]]] = defaultdict(dict)
    for i, (iv, lane) in enumerate(zip(intervals, lane_of, strict=True)):
        if iv is not None and lane[1] != displacement_family:
            days = (iv[1] - iv[0]).days
            best = widest[lane].get(days > 7)
            if best is None or days > best[0]:
                widest[lane][days > 7] = (days, i)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(ms):
        by_article[m.article_id].append(i)
    blocks = []
    for idx in groups.values():
        dated = [intervals[i] for i in idx if intervals[i] is not None]
        months = (min(d[0] for d in dated).strftime("%Y-%m"), max(d[1] for d in dated).strftime("%Y-%m")) if dated else None
        cs = sorted({c for c in (countries[i] for i in idx) if c})
        own = set(idx)
        context: set[int] = set()
        for lane in {lane_of[i] for i in idx}:
            for _days, j in widest.get(lane, {}).values():
                if j not in own:
                    context.update(by_article[ms[j].article_id])
        blocks.append(Block(country="+".join(cs) or None, months=months, mentions=[ms[i] for i in idx],
                            context=[ms[i] for i in sorted(context)]))
    blocks.sort(key=lambda b: (b.country or "", b.months or ("9999", "9999"), b.mentions[0].id))
    return blocks


def _merge_blocks(blocks: list[Block], articles: Mapping[str, Article], previous: Mapping[str, str],
                  settings: Any, fixed: Mapping[str, str] | None = None,
                  countries: Mapping[str, str | None] | None = None) -> list[Event]:
    """Merge each block on its own, with its context (runs on a worker or in the client)."""
    from ..merge.core import merge_mentions

    out: list[Event] = []
    for block in blocks:
        prev = {m.id: previous[m.id] for m in block.mentions if m.id in previous}
        context = {m.id for m in block.context}
        fix = {m.id: fixed[m.id] for m in block.mentions + block.context if fixed and m.id in fixed}
        for ev in merge_mentions(block.mentions + block.context, articles, previous=prev, settings=settings, fixed=fix,
                                 countries=countries):
            inside = [x for x in ev.mention_ids if x not in context]
            if inside and len(inside) < len(ev.mention_ids):
                log.warning("event %s joins mentions of two blocks (%s); the partition missed a link", ev.id,
                            ", ".join(sorted(ev.mention_ids)))
            if inside:
                out.append(ev)
    return out


def _pack(blocks: list[Block], target: int) -> list[list[Block]]:
    """Consecutive blocks grouped into tasks of about ``target`` mentions."""
    tasks: list[list[Block]] = []
    size = 0
    for b in blocks:
        if not tasks or size >= target:
            tasks.append([])
            size = 0
        tasks[-1].append(b)
        size += len(b.mentions)
    return tasks


def merge_partitioned(mentions: Sequence[EventMention], articles: Mapping[str, Article], *,
                      previous: Mapping[str, str] = {},  # noqa: B006 (read-only)
                      settings: Any = None, client: Any = None, task_mentions: int = 5_000,
                      reserved: Container[str] = (), fixed: Mapping[str, str] | None = None,
                      countries: Mapping[str, str | None] | None = None) -> list[Event]:
    """What :func:`wirewatch.merge.core.merge_mentions` gives, computed block by block (on ``client``'s cluster if given).

    ``reserved``, ``fixed``, ``countries``: as for ``merge_mentions`` (a partial refresh)."""
    from ..merge.build import event_id_for
    from ..merge.link import anchor_key

    blocks = partition_mentions(mentions, articles, settings=settings, countries=countries)
    tasks = _pack(blocks, task_mentions)
    log.info("merging %d mentions in %d blocks (%d tasks)", sum(len(b.mentions) for b in blocks), len(blocks),
             len(tasks))
    if client is not None and len(tasks) > 1:
        futures = []
        for task in tasks:
            arts = {m.article_id: articles[m.article_id] for b in task for m in b.mentions + b.context
                    if m.article_id in articles}
            prev = {m.id: previous[m.id] for b in task for m in b.mentions if m.id in previous}
            fix = {m.id: fixed[m.id] for b in task for m in b.mentions if fixed and m.id in fixed}
            cty = {m.id: countries[m.id] for b in task for m in b.mentions + b.context if countries and m.id in countries}
            futures.append(client.submit(_merge_blocks, task, arts, prev, settings, fix, cty, pure=False))
        events = [e for f in futures for e in f.result()]
    else:
        events = [e for task in tasks for e in _merge_blocks(task, articles, previous, settings, fixed, countries)]
    by_id = {m.id: m for m in mentions}
    seen: set[str] = set()
    for ev in sorted(events, key=lambda e: min(anchor_key(by_id[x], articles.get(by_id[x].article_id))
                                               for x in e.mention_ids)):
        if ev.id in seen or ev.id in reserved:  # a previous event's mentions fell apart across blocks, or taken
            anchor = min(ev.mention_ids, key=lambda x: anchor_key(by_id[x], articles.get(by_id[x].article_id)))
            new, n = event_id_for(anchor), 1
            while new in seen or new in reserved:
                n += 1
                new = event_id_for(f"{anchor}#{n}")
            log.warning("event id %s came out of two blocks; the later one is now %s", ev.id, new)
            ev.id = new
        seen.add(ev.id)
    return sorted(events, key=lambda e: e.id)


def refresh_events_partitioned(store: Any, *, run_id: int | None, client: Any = None,
                               settings: MergeSettings | None = None,
                               merge_on_cluster: bool | None = None) -> list[Event]:
    """:func:`wirewatch.pipeline.batch.refresh_events` with the merge done per block (see module docstring).

    ``merge_on_cluster``: None merges on ``client``'s cluster only from ``MERGE_ON_CLUSTER_FROM`` mentions.
    """
    from .batch import refresh_events

    def merge(mentions: Any, articles: Any, *, previous: Any, reserved: Any = (), fixed: Any = None,
              countries: Any = None) -> list[Event]:
        use = merge_on_cluster if merge_on_cluster is not None else len(mentions) >= MERGE_ON_CLUSTER_FROM
        return merge_partitioned(mentions, articles, previous=previous, settings=settings,
                                 client=client if use else None, reserved=reserved, fixed=fixed, countries=countries)

    return refresh_events(store, run_id=run_id, merge=merge, settings=settings)


# -- workers ---------------------------------------------------------------------------------

_LOCAL = threading.local()  # per worker thread: the pipeline and the store connection


def _worker_pipeline(settings: Settings) -> Any:
    cache = getattr(_LOCAL, "pipelines", None)
    if cache is None:
        cache = _LOCAL.pipelines = {}
    if settings not in cache:
        from .registry import Pipeline

        pipeline = Pipeline(settings)
        pipeline.resources.nlp  # noqa: B018  load the model once, up front
        pipeline.resources.geoparser  # noqa: B018
        cache[settings] = pipeline
    return cache[settings]


def _worker_store(dsn: str) -> Any:
    cache = getattr(_LOCAL, "stores", None)
    if cache is None:
        cache = _LOCAL.stores = {}
    store = cache.get(dsn)
    if store is None or store.closed:
        from ..store.postgres import PostgresStore

        store = cache[dsn] = PostgresStore.open(dsn)
    return store


def warm_worker(settings: Settings) -> bool:
    """Load the pipeline on this worker (run on every worker with ``client.run``)."""
    _worker_pipeline(settings)
    return True


def _where(article: Article) -> str:
    return f"{article.origin} (article {article.id}: {article.headline or 'no headline'})"


def process_batch(items: list[tuple[int, Article, bytes]], *, dsn: str, settings: Settings,
                  run_id: int | None) -> tuple[int, list[tuple[str, str]]]:
    """Run the pipeline on ``(seq, article, signature)`` items and store each; ``(articles new, failures)``."""
    pipeline = _worker_pipeline(settings)
    store = _worker_store(dsn)
    new = 0
    failures: list[tuple[str, str]] = []
    for seq, article, sig in items:
        try:
            mentions = pipeline.run(article).mentions
        except Exception as exc:  # route a bad article to the error list, keep going
            log.exception("pipeline failed on %s", article.origin)
            failures.append((_where(article), f"pipeline error: {exc!r}"))
            continue
        if store.add_article(article, mentions, run_id=run_id, minhash=sig, seq=seq):
            new += 1
    return new, failures


# -- the client ------------------------------------------------------------------------------


def _client(scheduler: str | None, workers: int | None) -> tuple[Any, Any]:
    """A Dask client for ``scheduler`` or a new local cluster of ``workers`` processes; (client, cluster)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError("distributed ingest needs dask.distributed, which is not installed", hint=_HINT) from exc
    if scheduler:
        try:
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    if logging.getLogger().getEffectiveLevel() > logging.INFO:  # keep the cluster's start/stop chatter out of -q runs
        logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = LocalCluster(n_workers=max(1, workers or 1), threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.WARNING)
    return Client(cluster), cluster


def ingest_dask(paths: Iterable[str], *, store_dsn: str, settings: Settings, scheduler: str | None = None,
                workers: int | None = None, published: dt.date | None = None, source: str | None = None,
                fmt: str = "auto", columns: Mapping[str, str] | None = None, progress: Progress | None = None,
                command: str = "ingest", **options: Any) -> BatchResult:
    """:func:`wirewatch.pipeline.batch.ingest` over a Dask cluster into PostgreSQL: read ``paths`` and
    :func:`ingest_raw_dask` them (``options`` go there)."""
    raws = read_raw(paths, settings=settings, published=published, source=source, fmt=fmt, columns=columns)
    return ingest_raw_dask(raws, store_dsn=store_dsn, settings=settings, scheduler=scheduler, workers=workers,
                           progress=progress, command=command, **options)


def ingest_raw_dask(raws: Iterable[object], *, store_dsn: str, settings: Settings, scheduler: str | None = None,
                    workers: int | None = None, progress: Progress | None = None, command: str = "ingest",
                    batch_size: int = 8, in_flight: int | None = None, client: Any = None,
                    merge_on_cluster: bool | None = None) -> BatchResult:
    """:func:`wirewatch.pipeline.batch.ingest_raw` over a Dask cluster into PostgreSQL (see module docstring).

    ``raws`` come from any reader (:func:`wirewatch.pipeline.batch.read_raw`, feeds, tables).  ``scheduler``
    (``tcp://HOST:PORT``) uses a running cluster; otherwise a local cluster of ``workers`` processes
    is started for this call (or pass a ``client``).  Articles go to the workers ``batch_size`` at a
    time, with at most ``in_flight`` batches submitted and not yet done (default: 3 per worker).
    """
    from ..store.postgres import PostgresStore

    result = BatchResult()
    with PostgresStore.open(store_dsn) as store:  # applies migrations before any worker connects
        own_client, cluster = (client, None) if client is not None else _client(scheduler, workers)
        try:
            from dask.distributed import wait

            n_workers = max(1, len(own_client.scheduler_info().get("workers", {})))
            try:
                own_client.run(warm_worker, settings)
            except Exception as exc:  # e.g. wirewatch or its spaCy model missing on a worker machine
                raise ClusterError(f"the Dask workers could not load the wirewatch pipeline: {exc!r}",
                                   hint="install wirewatch with the cluster extra and the spaCy model in every "
                                        "worker's environment") from exc
            limit = in_flight or 3 * n_workers
            run_id = store.start_run(command)
            prepared = prepare_raw(raws, result=result, store=store, progress=progress)
            pending: dict[Any, list[tuple[Article, bytes]]] = {}

            def collect(done: Iterable[Any]) -> None:
                for fut in done:
                    batch = pending.pop(fut)
                    try:
                        new, failures = fut.result()
                    except Exception as exc:  # a worker or the database failed: name every article of the batch
                        log.error("batch of %d articles failed: %r", len(batch), exc)
                        result.failures.extend(Failure(_where(a), f"worker error: {exc!r}") for a, _ in batch)
                        continue
                    result.articles_new += new
                    result.failures.extend(Failure(w, r) for w, r in failures)

            for batch in chunked(prepared, batch_size):
                seqs = store.reserve_seq(len(batch))
                items = [(seq, a, sig) for seq, (a, sig) in zip(seqs, batch, strict=True)]
                fut = own_client.submit(process_batch, items, dsn=store_dsn, settings=settings, run_id=run_id,
                                        pure=False)
                pending[fut] = batch
                if len(pending) >= limit:
                    collect(wait(list(pending), return_when="FIRST_COMPLETED").done)
            while pending:
                collect(wait(list(pending), return_when="FIRST_COMPLETED").done)
            if result.articles_new or store.events_stale():
                result.events = refresh_events_partitioned(store, run_id=run_id, client=own_client,
                                                           settings=settings.merge, merge_on_cluster=merge_on_cluster)
            store.finish_run(run_id, inputs_ok=result.inputs_ok, inputs_failed=len(result.failures),
                             articles_new=result.articles_new, articles_seen=result.articles_seen)
        finally:
            if client is None:
                own_client.close()
                if cluster is not None:
                    cluster.close()
    return result
