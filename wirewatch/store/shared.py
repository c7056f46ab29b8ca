"""Store methods whose SQL is the same on both back-ends, written once.

A mixin of :class:`~wirewatch.store.sqlite.SQLiteStore` and :class:`~wirewatch.store.postgres.PostgresStore`
(like :class:`~wirewatch.store.feeds.FeedState`): it talks to the database through their ``_sql``
(:class:`wirewatch.store.reviews.Sql`, which turns ``?`` into ``%s`` on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, Self

from ..models import Article, Event, EventMention
from ..review import ReviewAction
from . import reviews
from .reviews import Sql
from .serde import dumps, to_dict


def now_utc() -> str:
    """The current UTC time as the stores write it (ISO, whole seconds)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def article_row(article: Article, *, minhash: bytes | None, run_id: int | None) -> tuple:
    """``(id, external_id, headline, agency, published, origin, duplicate_of, story_id, minhash, record, run_id)``
    of an ``articles`` row."""
    return (article.id, article.external_id, article.headline, article.agency,
            article.published.isoformat() if article.published else None, article.origin,
            article.duplicate_of, article.story_id, minhash, dumps(to_dict(article)), run_id)


def mention_row(m: EventMention) -> tuple:
    """``(id, article_id, event_date, country_code, record)`` of a ``mentions`` row."""
    return (m.id, m.article_id, m.event_date.isoformat() if m.event_date else None,
            m.location.country_code if m.location else None, dumps(to_dict(m)))


def event_row(ev: Event, *, run_id: int | None) -> tuple:
    """``(id, event_date, country_code, admin1, event_type, sub_event_type, fatalities, latitude, longitude, record,
    updated_run)`` of an ``events`` row."""
    rec = ev.to_record()
    return (ev.id, rec["event_date"], rec["country_code"], rec["admin1"], ev.event_type, ev.sub_event_type,
            ev.fatalities, rec["latitude"], rec["longitude"], dumps(to_dict(ev)), run_id)


def history_rows(history: Iterable[tuple[str, list[str], list[dict[str, Any]]]], *, run_id: int | None,
                 now: str) -> list[tuple]:
    """``(event_id, run_id, at, article_ids, changes)`` rows of ``event_history`` for ``history``."""
    return [(eid, run_id, now, dumps(arts), dumps(changes)) for eid, arts, changes in history]


class SharedQueries:
    _sql: Sql

    def close(self) -> None:
        """Each back-end closes its own connection."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs
    def finish_run(self, run_id: int, *, inputs_ok: int, inputs_failed: int, articles_new: int,
                   articles_seen: int) -> None:
        """Record the end of the ingest run ``run_id`` with its counts."""
        self._sql.execute(
            "UPDATE ingest_runs SET finished_at=?, inputs_ok=?, inputs_failed=?, articles_new=?, "
            "articles_seen=?, status=? WHERE id=?",
            (now_utc(), inputs_ok, inputs_failed, articles_new, articles_seen,
             "failed-inputs" if inputs_failed else "ok", run_id),
        )

    # -- articles
    def has_article(self, article_id: str) -> bool:
        return bool(self._sql.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)))

    def article_count(self) -> int:
        return int(self._sql.execute("SELECT count(*) FROM articles")[0][0])

    def last_seq(self) -> int:
        return int(self._sql.execute("SELECT coalesce(max(seq), 0) FROM articles")[0][0])

    # -- events
    def events_stale(self) -> bool:
        """True when some stored mention is not yet merged into an event (e.g. after a crash)."""
        return bool(self._sql.execute(
            "SELECT 1 FROM mentions m LEFT JOIN event_mentions em ON em.mention_id = m.id"
            " WHERE em.mention_id IS NULL LIMIT 1"))

    def previous_assignment(self) -> dict[str, str]:
        return dict(self._sql.execute("SELECT mention_id, event_id FROM event_mentions"))

    def event_count(self) -> int:
        return int(self._sql.execute("SELECT count(*) FROM events")[0][0])

    def has_event(self, event_id: str) -> bool:
        return bool(self._sql.execute("SELECT 1 FROM events WHERE id=?", (event_id,)))

    def lane_has_undated(self, lane: str) -> bool:
        return bool(self._sql.execute("SELECT 1 FROM merge_lanes WHERE lane=? AND lo IS NULL LIMIT 1", (lane,)))

    # -- history
    def history(self, event_id: str) -> list[dict[str, Any]]:
        rows = self._sql.execute(
            "SELECT run_id, at, article_ids, changes FROM event_history WHERE event_id=? ORDER BY id", (event_id,))
        return [{"run_id": r, "at": at, "article_ids": json.loads(a or "[]"), "changes": json.loads(c)}
                for r, at, a, c in rows]

    def history_after(self, row_id: int) -> list[tuple]:
        """Event history rows ``(id, event_id, run_id, at, article_ids, changes)`` with ids after ``row_id``, in order
        (``article_ids`` and ``changes`` as stored JSON text)."""
        return [tuple(r) for r in self._sql.execute(
            "SELECT id, event_id, run_id, at, article_ids, changes FROM event_history WHERE id > ? ORDER BY id",
            (row_id,))]

    def data_stamp(self) -> tuple[int, ...]:
        """A value that changes whenever articles, events, history or reviews are written."""
        return tuple(int(x) for x in self._sql.execute(
            "SELECT (SELECT coalesce(max(seq), 0) FROM articles), (SELECT coalesce(max(id), 0) FROM event_history),"
            " (SELECT count(*) FROM events), (SELECT coalesce(max(id), 0) FROM review_actions)")[0])

    # -- review (wirewatch.review)
    def review_actions(self) -> list[ReviewAction]:
        return reviews.actions(self._sql)

    def reviewed_ids(self) -> set[str]:
        """Ids of the events an analyst accepted, edited, merged into or made by a split (not rejected)."""
        return reviews.reviewed_ids(self._sql)

    def rejected_events(self) -> list[Event]:
        """The machine's records of the events an analyst rejected (no reader shows them)."""
        return reviews.rejected(self._sql)
