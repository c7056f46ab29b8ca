"""Analysts' review of events: an overlay on the machine's events that the machine never overwrites.

A review is a list of :class:`ReviewAction` rows kept in their own table, in the order they were made:

- ``accept``: the event is right as coded (it counts as reviewed);
- ``reject``: the event is wrong; it leaves every reader (export, report, summary, web) unless asked for;
- ``edit``: some fields take the analyst's value (type, sub-type, actors, date, place, fatalities);
- ``merge``: the event is the same as ``target``: it becomes an alias of the target, whose sources, claims
  and evidence gain its own;
- ``split``: the sources named (article ids) move, with their claims and evidence, to a new reviewed event.

:func:`overlay` applies the actions to the machine's events; the store calls it whenever it writes events
(a merge or re-merge) and after each review, so what readers see is always machine + review, and the
machine's latest version of a reviewed event is kept beside it (its differences land in the history).
Event ids are stable across re-ingests (an event's id is the hash of its first mention, and a re-merge
keeps the ids of the mentions it already placed), and a reviewed event's mentions stay with it in every
re-merge, full or incremental (:func:`wirewatch.merge.refresh.reviewed_events`; new reports may still join
it): so a review stays attached to its event even when the machine would now fold it into another.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import QueryError, WirewatchError
from .models import Event, Location

ACTIONS = ("accept", "reject", "edit", "merge", "split")
# Fields an edit may set: the event's own and its place's.
EVENT_FIELDS = ("event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "event_date",
                "fatalities")
PLACE_FIELDS = ("location", "admin1", "admin2", "country", "country_code", "latitude", "longitude")
EDITABLE = EVENT_FIELDS + PLACE_FIELDS


class ReviewError(WirewatchError, ValueError):
    """A review action cannot be applied (unknown event, field or value)."""


@dataclass(frozen=True, slots=True)
class ReviewAction:
    """One analyst's decision about one event, with who, when and why."""

    event_id: str
    action: str
    reviewer: str
    reason: str = ""
    at: str = ""
    fields: Mapping[str, Any] = field(default_factory=dict)  # edit: field -> new value
    target: str | None = None  # merge: the event this one is the same as
    article_ids: tuple[str, ...] = ()  # split: the sources that move to the new event

    @property
    def new_id(self) -> str | None:
        """The id of the event a split makes (stable: the split event and the sources it names)."""
        if self.action != "split":
            return None
        key = self.event_id + "\n" + "\n".join(sorted(self.article_ids))
        return "ev_r" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:15]

    def describe(self) -> dict[str, Any]:
        """The action as the history records it."""
        out: dict[str, Any] = {"action": self.action, "by": self.reviewer, "at": self.at, "why": self.reason}
        if self.fields:
            out["fields"] = dict(self.fields)
        if self.target:
            out["target"] = self.target
        if self.article_ids:
            out["article_ids"] = list(self.article_ids)
            out["new_id"] = self.new_id
        return out


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def validate(action: ReviewAction) -> ReviewAction:
    """``action`` with its field values in their stored types; ReviewError says what is accepted."""
    if action.action not in ACTIONS:
        raise ReviewError(f"unknown review action {action.action!r}", hint=f"one of {', '.join(ACTIONS)}")
    if not action.reviewer.strip():
        raise ReviewError("a review needs the reviewer's name", hint="pass --by NAME")
    if action.action == "edit":
        if not action.fields:
            raise ReviewError("an edit needs at least one field", hint=f"fields: {', '.join(EDITABLE)}")
        return dataclasses.replace(action, fields={k: _value(k, v) for k, v in action.fields.items()})
    if action.action == "merge" and (not action.target or action.target == action.event_id):
        raise ReviewError("a merge needs another event to merge into", hint="pass --into EVENT_ID")
    if action.action == "split" and not action.article_ids:
        raise ReviewError("a split needs the sources (article ids) that move", hint="pass --article ID (repeatable)")
    return action


def _value(name: str, value: Any) -> Any:
    if name not in EDITABLE:
        raise ReviewError(f"field {name!r} cannot be edited", hint=f"fields: {', '.join(EDITABLE)}")
    if value in ("", None):
        if name in ("event_type", "sub_event_type", "event_date", "fatalities"):
            raise ReviewError(f"{name} cannot be empty")
        return None
    if name in ("event_type", "sub_event_type"):
        from .filters import event_type_name, sub_event_type_name

        try:
            return event_type_name(str(value)) if name == "event_type" else sub_event_type_name(str(value))
        except QueryError as exc:
            raise ReviewError(str(exc)) from None
    if name == "event_date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ReviewError(f"event_date {value!r} is not a date", hint="YYYY-MM-DD") from None
    if name == "fatalities":
        try:
            n = int(value)
        except (TypeError, ValueError):
            raise ReviewError(f"fatalities {value!r} is not a number") from None
        if n < 0:
            raise ReviewError("fatalities cannot be negative")
        return n
    if name in ("latitude", "longitude"):
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise ReviewError(f"{name} {value!r} is not a number") from None
        if not -(90 if name == "latitude" else 180) <= x <= (90 if name == "latitude" else 180):
            raise ReviewError(f"{name} {x} is out of range")
        return x
    if name == "country_code":
        code = str(value).strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise ReviewError(f"country_code {value!r} is not an ISO 3166-1 alpha-2 code")
        return code
    return str(value).strip()


@dataclass(slots=True)
class EventReview:
    """The folded state of one event's review actions."""

    rejected: bool = False
    accepted: bool = False
    edits: dict[str, Any] = field(default_factory=dict)
    merged_into: str | None = None
    splits: list[ReviewAction] = field(default_factory=list)

    @property
    def reviewed(self) -> bool:
        return not self.rejected and (self.accepted or bool(self.edits) or bool(self.splits))


def fold(actions: Iterable[ReviewAction]) -> dict[str, EventReview]:
    """Each event's review state after ``actions`` in order (a later action overrides an earlier one)."""
    state: dict[str, EventReview] = {}
    for a in actions:
        r = state.setdefault(a.event_id, EventReview())
        if a.action == "accept":
            r.accepted, r.rejected = True, False
        elif a.action == "reject":
            r.rejected = True
        elif a.action == "edit":
            r.edits.update(a.fields)
        elif a.action == "merge":
            r.merged_into = a.target
            state.setdefault(a.target or "", EventReview()).accepted = True
        elif a.action == "split":
            r.splits.append(a)
            state.setdefault(a.new_id or "", EventReview()).accepted = True
    return state


def involved(actions: Iterable[ReviewAction]) -> set[str]:
    """Ids of the machine's events some action concerns (split-made events excluded)."""
    out: set[str] = set()
    for a in actions:
        out.add(a.event_id)
        if a.target:
            out.add(a.target)
    return out


def _edited(ev: Event, edits: Mapping[str, Any]) -> Event:
    changes = {k: v for k, v in edits.items() if k in EVENT_FIELDS}
    if "event_date" in changes:
        day = dt.date.fromisoformat(changes["event_date"])
        changes.update(event_date=day, date_start=day, date_end=day, time_precision=1)
    if "fatalities" in changes:
        n = changes["fatalities"]
        changes.update(fatalities_low=n, fatalities_best=n, fatalities_high=n)
    place = {k: v for k, v in edits.items() if k in PLACE_FIELDS}
    if place:
        base = ev.location or Location(location="", country=None, country_code=None, admin1=None, admin2=None,
                                       latitude=None, longitude=None, geonameid=None, geo_precision=1)
        if {"location", "latitude", "longitude"} & place.keys():
            place.setdefault("geonameid", None)  # the analyst's place is not the gazetteer's entry
        changes["location"] = dataclasses.replace(base, **place)
    return dataclasses.replace(ev, **changes)


def _moved(ev: Event, new_id: str, article_ids: set[str], *, keep: bool) -> Event:
    """``ev`` with only the sources (and their claims and evidence) of ``article_ids`` (keep) or the others."""
    def wanted(aid: str) -> bool:
        return (aid in article_ids) == keep

    return dataclasses.replace(
        ev, id=new_id, sources=[s for s in ev.sources if wanted(s.article_id)],
        claims=[c for c in ev.claims if wanted(c.article_id)],
        evidence=[e for e in ev.evidence if wanted(e.article_id)], mention_ids=[] if keep else ev.mention_ids)


def _absorb(into: Event, other: Event) -> Event:
    have = {s.article_id for s in into.sources}
    claims = list(into.claims) + [c for c in other.claims if c not in into.claims]
    evidence = list(into.evidence) + [e for e in other.evidence if e not in into.evidence]
    return dataclasses.replace(into, sources=list(into.sources) + [s for s in other.sources if s.article_id not in have],
                               claims=claims, evidence=evidence)


@dataclass(slots=True)
class Overlaid:
    """Machine events with the review applied: ``shown`` are what readers get; ``hidden`` the ids of the
    machine's events readers do not get (rejected, or merged into another)."""

    shown: dict[str, Event]
    hidden: set[str]


def overlay(machine: Mapping[str, Event], actions: Iterable[ReviewAction]) -> Overlaid:
    """Apply ``actions`` to the machine's events ``machine`` (id -> event).

    Splits come first (on the machine's sources), then merges (an alias's sources join its target's; a
    chain of merges ends at the last event), then edits, then rejections.
    """
    state = fold(actions)
    shown: dict[str, Event] = dict(machine)
    hidden: set[str] = set()
    for eid in machine:
        r = state.get(eid)
        for split in r.splits if r else ():
            arts = set(split.article_ids)
            ev = shown[eid]
            shown[split.new_id or ""] = _moved(ev, split.new_id or "", arts, keep=True)
            shown[eid] = _moved(ev, eid, arts, keep=False)
    for eid in list(machine):
        target = _final_target(eid, state)
        if target is None or target == eid:
            continue
        hidden.add(eid)
        if target in shown:
            shown[target] = _absorb(shown[target], shown[eid])
    for eid, r in state.items():
        if eid in shown and r.edits:
            shown[eid] = _edited(shown[eid], r.edits)
        if r.rejected:
            hidden.add(eid)
    for eid in hidden:
        shown.pop(eid, None)
    return Overlaid(shown=shown, hidden=hidden)


def _final_target(eid: str, state: Mapping[str, EventReview]) -> str | None:
    seen = {eid}
    cur = eid
    while state.get(cur) is not None and state[cur].merged_into and state[cur].merged_into not in seen:
        cur = state[cur].merged_into or cur
        seen.add(cur)
    return None if cur == eid else cur


def group(ids: Iterable[str], actions: Iterable[ReviewAction]) -> set[str]:
    """``ids`` and every machine event linked to them by a merge (either way): what must be overlaid together."""
    actions = list(actions)
    links: dict[str, set[str]] = {}
    for a in actions:
        if a.action == "merge" and a.target:
            links.setdefault(a.event_id, set()).add(a.target)
            links.setdefault(a.target, set()).add(a.event_id)
    out, todo = set(), list(ids)
    while todo:
        x = todo.pop()
        if x in out:
            continue
        out.add(x)
        todo.extend(links.get(x, ()))
    return out


def split_ids(actions: Iterable[ReviewAction]) -> dict[str, set[str]]:
    """Machine event id -> ids of the events its splits made."""
    out: dict[str, set[str]] = {}
    for a in actions:
        if a.action == "split" and a.new_id:
            out.setdefault(a.event_id, set()).add(a.new_id)
    return out
