"""Event mentions -> events: one real-world event, many reports.

:func:`merge_mentions` prepares the mentions, groups them (:mod:`.cluster`) by the linking rule
(:mod:`.link`) and builds one event per group (:mod:`.build`); :func:`diff_events` gives what
changed from one version of an event to the next for the history table.
"""

from __future__ import annotations

import logging
from collections.abc import Container, Mapping, Sequence

from ..pipeline.gcpause import collector_paused
from ..models import Article, Event, EventMention
from .build import assign_ids, build_event
from .cluster import cluster_mentions, fill_countries
from .link import MergeSettings, prepare_mention

log = logging.getLogger(__name__)


def merge_mentions(
    mentions: Sequence[EventMention],
    articles: Mapping[str, Article],
    *,
    previous: Mapping[str, str] = {},  # noqa: B006 (read-only)
    settings: MergeSettings | None = None,
    reserved: Container[str] = (),
    fixed: Mapping[str, str] | None = None,
    countries: Mapping[str, str | None] | None = None,
) -> list[Event]:
    """Merge mentions into events (rule: :mod:`.link`, grouping: :mod:`.cluster`, fields: :mod:`.build`).

    Output sorted by id; input order does not matter.

    A partial refresh (:mod:`wirewatch.merge.refresh`) passes ``reserved``, ids of stored events outside
    ``mentions`` that new events must not take, and ``fixed``, mentions (id -> event id) whose
    placement no new mention can change (they come before every new one in canonical order): each
    joins the other mentions of its event id instead of being placed by the rule again; and
    ``countries`` (mention id -> country code, from :func:`.cluster.merge_lanes`) for mentions given without
    the rest of their article.
    """
    with collector_paused():  # builds O(n) acyclic objects: see wirewatch.pipeline.gcpause
        return _merge_mentions(mentions, articles, previous=previous, settings=settings, reserved=reserved,
                               fixed=fixed, countries=countries)


def _merge_mentions(
    mentions: Sequence[EventMention],
    articles: Mapping[str, Article],
    *,
    previous: Mapping[str, str],
    settings: MergeSettings | None,
    reserved: Container[str],
    fixed: Mapping[str, str] | None,
    countries: Mapping[str, str | None] | None,
) -> list[Event]:
    s = settings or MergeSettings()
    unique: dict[str, EventMention] = {}
    for m in mentions:
        if m.id in unique:
            log.debug("mention %s given twice; keeping the first", m.id)
            continue
        unique[m.id] = m
    prepared = sorted((prepare_mention(m, articles) for m in unique.values()), key=lambda p: p.key)
    for rank, p in enumerate(prepared):
        p.rank = rank
    fill_countries(prepared)
    for p in prepared if countries else ():
        if p.m.id in countries:
            p.country = countries[p.m.id]
    clusters = cluster_mentions(prepared, s, fixed)
    ids = assign_ids(clusters, previous, reserved)
    events = [build_event(c, i, articles) for c, i in zip(clusters, ids, strict=True)]
    log.info("merged %d mentions into %d events", len(prepared), len(events))
    return sorted(events, key=lambda e: e.id)


# -- history ---------------------------------------------------------------------------------

_LIST_KEYS = {
    "claims": lambda r: [(c["article_id"], c["start"], c["end"], c["quantity"], c["low"], c["high"]) for c in r],
    "sources": lambda r: [s["article_id"] for s in r],
    "evidence": lambda r: [(e["article_id"], e["start"], e["end"]) for e in r],
}


def diff_events(old: Event | None, new: Event | None) -> list[dict]:
    """Changes from ``old`` to ``new`` as ``[{"field", "old", "new"}]`` rows for the history table.

    A created event gives one row ``{"field": "event", "old": None, "new": id}``, a removed one
    ``{"field": "event", "old": id, "new": None}``.  List fields are compared by identity keys
    (claims by article, offsets, quantity and figures; sources by article; evidence by offsets)
    and reported as lists of those keys.  Values are JSON-serialisable.
    """
    if old is None and new is None:
        return []
    if old is None:
        return [{"field": "event", "old": None, "new": new.id}]
    if new is None:
        return [{"field": "event", "old": old.id, "new": None}]
    a, b = old.to_record(), new.to_record()
    a["mention_ids"], b["mention_ids"] = sorted(old.mention_ids), sorted(new.mention_ids)
    rows = []
    for key in a:
        va, vb = a[key], b.get(key)
        if key in _LIST_KEYS:
            va, vb = [list(x) if isinstance(x, tuple) else x for x in _LIST_KEYS[key](va)], [
                list(x) if isinstance(x, tuple) else x for x in _LIST_KEYS[key](vb)]
        if va != vb:
            rows.append({"field": key, "old": va, "new": vb})
    return rows
