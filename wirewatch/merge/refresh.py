"""Incremental event refresh: merge again only what new mentions can change.

The merge places mentions one by one in its canonical order (report date, article id, ...) and
compares a mention only with earlier ones of its *lane* (country and type group) whose days overlap
its own once widened by the lane's window, with the lane's undated ones and with those of its own
article (:class:`wirewatch.merge.cluster.MergeLane`).  So a new mention cannot change where any mention
before it in that order was placed.  A refresh therefore places again, per lane, only the mentions
from the earliest new one on (for a feed of recent reports: about the new ones), with what they
are compared with and the whole stored events those belong to; every earlier mention keeps its
event (``fixed``).  It finds all of them with index range queries on the ``merge_lanes`` table and
rewrites only the events that changed.  The stored events, ids and history are what a merge of
every stored mention gives (``refresh_events(full=True)`` does that; tests compare the two).

The cost follows the number of mentions placed again and their neighbours, not the size of the
store; a report dated before much of the store (or an undated mention, met by all of its lane)
costs more, as its lane must be placed again from it on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from .cluster import MergeLane, lane_country, lane_pad, merge_lanes
from ..config import MergeSettings
from ..models import Event, EventMention

log = logging.getLogger(__name__)


def backfill_lanes(store) -> list[EventMention]:
    """Write the lanes of stored mentions that have none (new ones; every one in a database made before lanes)."""
    missing = store.mentions_without_lanes()
    if missing:
        articles = store.articles_by_id({m.article_id for m in missing})
        store.add_lanes(merge_lanes(missing, articles))
        log.info("merge lanes written for %d mentions", len(missing))
    return missing


def _spans(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping intervals joined."""
    out: list[list[int]] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]


def reviewed_events(store) -> set[str]:
    """The machine's events an analyst has reviewed: a merge keeps each one's mentions together under its id
    (new reports may still join it), so a review never loses its event to a re-merge."""
    from ..review import involved

    return involved(store.review_actions())


def pinned_mentions(store, previous: Mapping[str, str]) -> dict[str, str]:
    """``previous`` (mention id -> event id) restricted to the mentions of reviewed events."""
    pinned = reviewed_events(store)
    return {m: e for m, e in previous.items() if e in pinned}


class _TakenElsewhere:
    """Event ids the partial merge must not give a new event: stored ones outside the refreshed part."""

    def __init__(self, store, own: set[str]) -> None:
        self.store, self.own = store, own

    def __contains__(self, event_id: object) -> bool:
        return isinstance(event_id, str) and event_id not in self.own and self.store.has_event(event_id)


History = list[tuple[str, list[str], list[dict]]]


def _order(x: MergeLane) -> tuple:
    """A lane row's place in the merge's order (report date, undated last; article id)."""
    return (x.report is None, x.report or 0, x.article_id)


def affected(store, new: Iterable[EventMention], settings: MergeSettings | None = None,
             ) -> tuple[dict[str, MergeLane], dict[str, MergeLane]]:
    """``(again, needed)``: the mentions to place again (per lane, from its earliest new one on) and every
    mention the merge of those needs (what they are compared with and their stored events)."""
    first: dict[str, MergeLane] = {}
    for x in store.lanes_of_mentions(sorted({m.id for m in new})):
        if x.lane not in first or _order(x) < _order(first[x.lane]):
            first[x.lane] = x
    again = {x.mention_id: x for lane, f in sorted(first.items())
             for x in store.lanes_from(lane, f.report, f.article_id)}
    needed = dict(again)
    by_lane: dict[str, list[MergeLane]] = defaultdict(list)
    for x in again.values():
        by_lane[x.lane].append(x)
    for lane, rows in sorted(by_lane.items()):
        needed.update((x.mention_id, x) for x in store.lanes_undated(lane))
        pad = lane_pad(lane, settings)
        for lo, hi in _spans((x.lo - pad, x.hi + pad) for x in rows if x.lo is not None):
            needed.update((x.mention_id, x) for x in store.lanes_overlapping(lane, lo, hi))
    # The stored events of all these, whole: the clusters a mention placed again may join, and those it may leave.
    events = set(store.assignment_of(sorted(needed)).values())
    if events:
        rest = sorted(set(store.mentions_of_events(sorted(events))) - needed.keys())
        needed.update((x.mention_id, x) for x in store.lanes_of_mentions(rest))
    return again, needed


def refresh_incremental(store, *, run_id: int | None, merge: Callable[..., list[Event]],
                        history_of: Callable[[Mapping[str, Event], Iterable[Event]], History],
                        settings: MergeSettings | None = None) -> list[Event]:
    """Place the mentions a refresh must place again, store the events that changed and return those merged.

    Runs inside the caller's write transaction.
    """
    new = store.unmerged_mentions()
    backfill_lanes(store)
    if not new:
        return []
    again, needed = affected(store, new, settings)
    mentions = store.mentions_by_id(sorted(needed))
    articles = store.articles_by_id({m.article_id for m in mentions})
    previous = store.assignment_of(sorted(needed))
    touched = {previous[m] for m in again if m in previous}
    pinned = reviewed_events(store)
    fixed = {m: e for m, e in previous.items() if m not in again or e in pinned}
    countries = {x.mention_id: lane_country(x.lane) for x in needed.values()}  # their articles are not all read
    merged = merge(mentions, articles, previous=previous, reserved=_TakenElsewhere(store, touched), fixed=fixed,
                   countries=countries)
    # Events of untouched stored events come out of a part of their neighbourhood only: keep the stored ones.
    events = [ev for ev in merged if ev.id in touched or any(m in again for m in ev.mention_ids)]
    old = store.events_by_id(touched | {ev.id for ev in events})
    history = history_of(old, events)
    changed = {eid for eid, _, _ in history}
    store.update_events([ev for ev in events if ev.id in changed], removed=set(old) - {ev.id for ev in events},
                        run_id=run_id, history=history)
    log.info("refresh: %d new mentions; %d placed again among %d read; %d events changed",
             len(new), len(again), len(needed), len(changed))
    return events
