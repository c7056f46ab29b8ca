"""A local SQLite copy of a store, kept current through the store contract only (``serve`` on PostgreSQL).

The web API's read path (:mod:`wirewatch.web.queries`, :mod:`wirewatch.web.columns`) is written for
SQLite: its full-text index, temporary match tables and ``PRAGMA data_version``.  ``wirewatch serve
--db postgresql://...`` serves a :class:`Mirror` of the PostgreSQL store instead: articles (with their
mentions), events as readers see them (reviews applied) and event history, copied with
:class:`~wirewatch.store.base.Store` methods whenever the source's :meth:`data_stamp` changes.  Articles
and history are copied incrementally; events are rewritten whole when anything changed (one
transaction, so readers see the old set or the new one).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path

from . import open_store
from .sqlite import SQLiteStore

log = logging.getLogger(__name__)


class Mirror:
    """A SQLite file (``path``) holding what readers of the store ``source`` (a ``--db`` value) see."""

    def __init__(self, source: str, *, directory: str | None = None) -> None:
        self.source = source
        self.dir = tempfile.mkdtemp(prefix="wirewatch-mirror-", dir=directory)
        self.path = str(Path(self.dir) / "mirror.db")
        self.seq = 0  # source articles up to this position are copied
        self.history_id = 0  # source history rows up to this id are copied
        self.stamp: tuple | None = None
        self.lock = threading.Lock()
        self._stop = threading.Event()
        SQLiteStore.open(self.path).close()
        self.sync()

    def sync(self) -> bool:
        """Copy what changed in the source since the last sync; False when nothing did."""
        with self.lock, open_store(self.source, readonly=True) as src:
            stamp = src.data_stamp()
            if stamp == self.stamp:
                return False
            with SQLiteStore.open(self.path) as dst, dst.transaction():
                new = list(src.signatures_after(self.seq))
                if new:
                    ids = {a.id for _, a, _ in new if a is not None}
                    by_article: dict[str, list] = {}
                    for m in src.mentions():
                        if m.article_id in ids:
                            by_article.setdefault(m.article_id, []).append(m)
                    for _, article, sig in new:
                        if article is not None:
                            dst.add_article(article, by_article.get(article.id, []), run_id=None, minhash=sig)
                    self.seq = new[-1][0]
                dst.replace_events(list(src.events()), run_id=None, history=[])
                rows = src.history_after(self.history_id)
                dst.add_history_rows(rows)
                if rows:
                    self.history_id = rows[-1][0]
            self.stamp = stamp
        log.info("mirror of %s synced (%s)", self.source, stamp)
        return True

    def follow(self, every: float = 1.0) -> threading.Thread:
        """Sync every ``every`` seconds on a daemon thread until :meth:`stop` (errors are logged, not raised)."""
        def run() -> None:
            failing = False
            while not self._stop.wait(every):
                try:
                    self.sync()
                    failing = False
                except Exception as exc:  # a failed sync (server restarting ...) is retried next time, logged once
                    if not failing:
                        log.warning("mirror of %s: sync failed (retrying): %s", self.source, exc)
                    failing = True

        thread = threading.Thread(target=run, name="wirewatch-mirror", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    def remove(self) -> None:
        """Stop following and delete the mirror's files."""
        self.stop()
        with self.lock:
            if not os.path.isdir(self.dir):
                return
            for name in os.listdir(self.dir):
                os.unlink(os.path.join(self.dir, name))
            os.rmdir(self.dir)
