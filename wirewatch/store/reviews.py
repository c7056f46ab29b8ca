"""The review overlay in both stores (see :mod:`wirewatch.review`).

Two tables of migration ``0007_reviews`` hold it: ``review_actions`` (every action, with who, when and
why; never rewritten) and ``review_machine`` (the machine's latest record of every event an action
concerns).  The ``events`` table and its claims, sources and evidence hold what readers see: the
machine's events with the review applied.  :func:`shown_on_write` applies it whenever the machine
writes events, :func:`record` when an analyst acts; ``event_mentions`` always keeps the machine's
assignment, so re-merges place mentions exactly as they would without a review.

The functions take a :class:`Sql`: the store's connection with its placeholder style (the SQL here is
written with ``?`` and is otherwise the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable
from typing import Any

from ..merge.core import diff_events
from ..models import EVENT_TYPES, Event
from ..review import ReviewAction, ReviewError, fold, group, involved, now, overlay, split_ids, validate
from .serde import dumps, event_from, to_dict

log = logging.getLogger(__name__)

DISPLAY_TABLES = (("events", "id"), ("claims", "event_id"), ("event_sources", "event_id"), ("evidence", "event_id"))


class Sql:
    """A store's connection for this module: ``execute`` returns every row; ``?`` becomes ``%s`` on PostgreSQL."""

    def __init__(self, conn: Any, *, postgres: bool = False) -> None:
        self.conn, self.postgres = conn, postgres

    def _q(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Any = ()) -> list[tuple]:
        cur = self.conn.execute(self._q(sql), params)
        return cur.fetchall() if cur.description is not None else []

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        if not rows:
            return
        if self.postgres:
            with self.conn.cursor() as cur:
                cur.executemany(self._q(sql), rows)
        else:
            self.conn.executemany(sql, rows)


def actions(conn: Sql) -> list[ReviewAction]:
    """Every review action in the order made."""
    rows = conn.execute("SELECT event_id, action, reviewer, reason, at, detail FROM review_actions ORDER BY id")
    out = []
    for event_id, action, reviewer, reason, at, detail in rows:
        d = json.loads(detail or "{}")
        out.append(ReviewAction(event_id=event_id, action=action, reviewer=reviewer, reason=reason, at=at,
                                fields=d.get("fields") or {}, target=d.get("target"),
                                article_ids=tuple(d.get("article_ids") or ())))
    return out


def _machine(conn: Sql, ids: Iterable[str]) -> dict[str, Event]:
    ids = list(ids)
    out: dict[str, Event] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        q = "SELECT event_id, record FROM review_machine WHERE event_id IN (%s)" % ",".join("?" * len(chunk))
        for eid, record in conn.execute(q, chunk):
            out[eid] = event_from(json.loads(record))
    return out


def _keep_machine(conn: Sql, events: Iterable[Event]) -> None:
    conn.executemany("INSERT INTO review_machine(event_id, record) VALUES (?, ?)"
                     " ON CONFLICT (event_id) DO UPDATE SET record=excluded.record",
                     [(ev.id, dumps(to_dict(ev))) for ev in events])


def _drop_rows(conn: Sql, ids: Iterable[str]) -> None:
    ids = sorted(set(ids))
    for table, column in DISPLAY_TABLES:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            conn.execute(f"DELETE FROM {table} WHERE {column} IN (%s)"  # noqa: S608 (fixed names)
                         % ",".join("?" * len(chunk)), chunk)


def _overlaid_group(conn: Sql, ids: set[str], acts: list[ReviewAction],
                    batch: dict[str, Event]) -> tuple[set[str], dict[str, Event]]:
    """The ids whose rows the overlay of ``ids`` rewrites, and the events it shows."""
    grp = group(ids, acts)
    machine = _machine(conn, grp - batch.keys())
    machine.update({i: batch[i] for i in grp if i in batch})
    children = split_ids(acts)
    rows = set(grp) | {c for i in grp for c in children.get(i, ())}
    ov = overlay(machine, acts)
    return rows, {i: ev for i, ev in ov.shown.items() if i in rows}


def shown_on_write(conn: Sql, events: list[Event]) -> list[Event]:
    """The rows to store for the machine's ``events`` (being written): reviewed ones overlaid.

    Keeps the machine's record of every reviewed event in the batch and removes the stored rows of the
    events its overlay rewrites beyond the batch (a merge target, a split's event).
    """
    acts = actions(conn)
    if not acts:
        return events
    inv = involved(acts)
    batch = {ev.id: ev for ev in events}
    touched = {i for i in batch if i in inv}
    if not touched:
        return events
    _keep_machine(conn, (batch[i] for i in touched))
    rows, shown = _overlaid_group(conn, touched, acts, batch)
    _drop_rows(conn, rows - batch.keys())
    return [ev for ev in events if ev.id not in rows] + [shown[i] for i in sorted(shown)]


def record(store: Any, conn: Sql, action: ReviewAction, *, write_row: Any) -> list[str]:
    """Store one review ``action`` and re-apply the review to the events it concerns, in one transaction.

    ``write_row(event)`` stores one shown event's rows.  Returns the ids of the events rewritten.
    """
    action = validate(action)
    if not action.at:
        action = dataclasses.replace(action, at=now())
    with store.transaction():
        acts = actions(conn)
        parents = {c: p for p, cs in split_ids(acts).items() for c in cs}
        known = _known_ids(conn, [action.event_id, action.target] if action.target else [action.event_id])
        for eid in filter(None, (action.event_id, action.target)):
            if eid not in known and eid not in parents:
                raise ReviewError(f"no event {eid!r}", hint="see `wirewatch export` for event ids")
        if action.action in ("merge", "split") and action.event_id in parents:
            raise ReviewError("an event made by a split cannot be merged or split again",
                              hint=f"review its source event {parents[action.event_id]}")
        if action.action == "split":
            _check_split(conn, action, acts)
        machine_ids = {i for i in filter(None, (action.event_id, action.target)) if i not in parents}
        fresh = machine_ids - involved(acts)
        if fresh:  # first review of these events: the stored rows are the machine's
            stored = _stored(conn, fresh)
            _keep_machine(conn, stored.values())
        ids = {parents.get(i, i) for i in filter(None, (action.event_id, action.target))}
        before_rows, before = _overlaid_group(conn, ids, acts, {})
        conn.execute("INSERT INTO review_actions(event_id, action, reviewer, reason, at, detail)"
                     " VALUES (?,?,?,?,?,?)",
                     (action.event_id, action.action, action.reviewer, action.reason, action.at,
                      dumps({"fields": dict(action.fields), "target": action.target,
                              "article_ids": list(action.article_ids)})))
        acts.append(action)
        rows, shown = _overlaid_group(conn, ids, acts, {})
        _check_types(shown.values())
        _drop_rows(conn, rows | before_rows)
        for eid in sorted(shown):
            write_row(shown[eid])
        history = []
        for eid in sorted(rows | before_rows):
            changes = diff_events(before.get(eid), shown.get(eid))
            if eid == action.event_id or eid == action.target or changes:
                changes.append({"field": "review", "old": None, "new": action.describe()})
                history.append((eid, None, action.at, dumps([]), dumps(changes)))
        conn.executemany("INSERT INTO event_history(event_id, run_id, at, article_ids, changes) VALUES (?,?,?,?,?)",
                         history)
    log.info("review: %s %s by %s", action.action, action.event_id, action.reviewer)
    return sorted(shown)


def _check_types(events: Iterable[Event]) -> None:
    for ev in events:
        subs = EVENT_TYPES.get(ev.event_type, ())
        if ev.sub_event_type not in subs:
            raise ReviewError(f"{ev.id}: sub-event type {ev.sub_event_type!r} is not one of {ev.event_type}'s",
                              hint=f"set sub_event_type too, one of {', '.join(subs)}")


def _known_ids(conn: Sql, ids: list[str]) -> set[str]:
    marks = ",".join("?" * len(ids))
    found = {r[0] for r in conn.execute(f"SELECT id FROM events WHERE id IN ({marks})", ids)}  # noqa: S608
    found |= {r[0] for r in conn.execute(f"SELECT event_id FROM review_machine WHERE event_id IN ({marks})", ids)}  # noqa: S608
    return found


def _stored(conn: Sql, ids: Iterable[str]) -> dict[str, Event]:
    ids = list(ids)
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT record FROM events WHERE id IN ({marks})", ids)  # noqa: S608 (placeholders)
    return {e.id: e for e in (event_from(json.loads(r)) for (r,) in rows)}


def _check_split(conn: Sql, action: ReviewAction, acts: list[ReviewAction]) -> None:
    machine = _machine(conn, [action.event_id]) or _stored(conn, [action.event_id])
    ev = machine.get(action.event_id)
    have = {s.article_id for s in ev.sources} if ev else set()
    missing = [a for a in action.article_ids if a not in have]
    if missing:
        raise ReviewError(f"event {action.event_id} has no source {missing[0]!r}",
                          hint=f"its sources: {', '.join(sorted(have)) or 'none'}")
    if set(action.article_ids) >= have:
        raise ReviewError("a split must leave at least one source with the event",
                          hint="name only the sources that move")


def reviewed_ids(conn: Sql) -> set[str]:
    """Ids of the events an analyst accepted, edited, merged into or made by a split (and not rejected)."""
    return {eid for eid, r in fold(actions(conn)).items() if r.reviewed}


def rejected(conn: Sql) -> list[Event]:
    """The machine's records of the events readers do not see because an analyst rejected them."""
    state = fold(actions(conn))
    ids = [eid for eid, r in state.items() if r.rejected]
    return sorted(_machine(conn, ids).values(), key=lambda e: e.id)
