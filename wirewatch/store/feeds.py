"""Feed polling state for ``wirewatch watch`` (:mod:`wirewatch.ingest.watch`), one SQL for both back-ends.

A mixin of :class:`~wirewatch.store.sqlite.SQLiteStore` and :class:`~wirewatch.store.postgres.PostgresStore`:
it talks to the database through their ``_sql`` (:class:`wirewatch.store.reviews.Sql`, which turns ``?``
into ``%s`` on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable

from .reviews import Sql


class FeedState:
    _sql: Sql

    def feed_row(self, url: str) -> tuple | None:
        """``(etag, modified, failures, last_error, next_poll)`` of the feed ``url``, or None before its first poll."""
        rows = self._sql.execute("SELECT etag, modified, failures, last_error, next_poll FROM feeds WHERE url=?", (url,))
        return tuple(rows[0]) if rows else None

    def save_feed(self, url: str, *, etag: str | None, modified: str | None, polled: str, ok: bool,
                  last_error: str | None, failures: int, next_poll: float | None, items_new: int = 0) -> None:
        """Record a poll of the feed ``url`` at ``polled`` (``items_new`` adds to its count)."""
        self._sql.execute(
            "INSERT INTO feeds(url, etag, modified, last_polled, last_ok, last_error, failures, next_poll, items_new)"
            " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET etag=excluded.etag,"
            " modified=excluded.modified, last_polled=excluded.last_polled,"
            " last_ok=coalesce(excluded.last_ok, feeds.last_ok), last_error=excluded.last_error,"
            " failures=excluded.failures, next_poll=excluded.next_poll, items_new=feeds.items_new + excluded.items_new",
            (url, etag, modified, polled, polled if ok else None, last_error, failures, next_poll, items_new))

    def feed_item_seen(self, feed: str, keys: Iterable[str]) -> bool:
        """Was an item with any of ``keys`` already ingested from ``feed``?"""
        keys = list(keys)
        if not keys:
            return False
        marks = ",".join("?" * len(keys))
        return bool(self._sql.execute(
            f"SELECT 1 FROM feed_items WHERE feed_url=? AND item_key IN ({marks}) LIMIT 1",  # noqa: S608 (marks only)
            (feed, *keys)))
