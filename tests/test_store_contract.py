"""The store contract (:class:`wirewatch.store.base.Store`): one test class run on both back-ends.

The PostgreSQL variant skips unless ``WIREWATCH_TEST_PG`` holds a DSN of a role that may create databases
(``eval "$(bash scripts/start-postgres.sh)"`` starts a throwaway one); each test gets a fresh database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from test_store import _article, _event, _mention
from wirewatch.review import ReviewError
from wirewatch.merge.cluster import MergeLane
from wirewatch.models import Event
from wirewatch.review import ReviewAction
from wirewatch.store import open_store
from wirewatch.store.base import METHODS, Store
from wirewatch.store.sqlite import SQLiteStore

PG_ENV = "WIREWATCH_TEST_PG"


def _with_db(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """DSN of a new, empty database on the test server; dropped after the test."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (start a server with scripts/start-postgres.sh)")
    psycopg = pytest.importorskip("psycopg", reason="psycopg (the cluster extra) is not installed")
    name = "ww_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(base, name)
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path) -> str:
    """The ``--db`` value of a new, empty database of each back-end."""
    if request.param == "sqlite":
        return str(tmp_path / "contract.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db) -> Iterator[Store]:
    with open_store(db) as s:
        yield s


def _two(aid: str, n: int = 1) -> tuple:
    """An article and its ``n`` mentions (ids ``aid:0``...)."""
    a = _article(aid)
    base = _mention(a)
    return a, [dataclasses.replace(base, id=f"{aid}:{i}") for i in range(n)]


def _ev(eid: str, mentions, article) -> Event:
    return dataclasses.replace(_event(mentions[0], article), id=eid, mention_ids=[m.id for m in mentions])


def _lane(mid: str, aid: str, lane: str, lo: int | None, hi: int | None, report: int | None) -> MergeLane:
    return MergeLane(mid, aid, lane, lo, hi, report)


def test_both_backends_define_every_contract_method():
    from wirewatch.store.postgres import PostgresStore

    assert len(METHODS) > 40
    for cls in (SQLiteStore, PostgresStore):
        missing = [m for m in METHODS if not callable(getattr(cls, m, None))]
        assert not missing, f"{cls.__name__} lacks {missing}"
        for name in METHODS:  # the same keyword-only parameters (callers pass them by name)
            want = {p.name for p in inspect.signature(getattr(Store, name)).parameters.values()
                    if p.kind is p.KEYWORD_ONLY}
            got = {p.name for p in inspect.signature(getattr(cls, name)).parameters.values()
                   if p.kind is p.KEYWORD_ONLY}
            assert want <= got, f"{cls.__name__}.{name}: keywords {sorted(want - got)} missing"


class TestStoreContract:
    def test_open_gives_a_store_with_a_path_and_close_works(self, db):
        store = open_store(db)
        assert isinstance(store, Store) and store.path and not store.closed
        store.close()
        assert store.closed
        with open_store(db) as again, open_store(db, readonly=True) as ro:
            assert again.article_count() == 0 and ro.event_count() == 0

    def test_runs(self, store):
        first = store.start_run("ingest")
        second = store.start_run("watch")
        assert second > first
        store.finish_run(first, inputs_ok=3, inputs_failed=1, articles_new=2, articles_seen=3)
        assert store.integrity_ok()

    def test_articles_and_mentions(self, store):
        a, ms = _two("a1", 2)
        assert not store.has_article("a1")
        assert store.add_article(a, ms, run_id=None, minhash=b"\x01\x02")
        assert not store.add_article(a, ms, run_id=None)
        b, mb = _two("b1")
        assert store.add_article(b, mb, run_id=store.start_run("ingest"))
        assert store.has_article("a1") and store.article_count() == 2
        assert [x.id for x in store.articles()] == ["a1", "b1"]
        assert [(x.id, sig) for x, sig in store.article_signatures()] == [("a1", b"\x01\x02"), ("b1", None)]
        assert store.articles_by_id(["b1", "zz"]) == {"b1": b}
        assert [m.id for m in store.mentions()] == ["a1:0", "a1:1", "b1:0"]
        assert [m.id for m in store.mentions_by_id(["b1:0", "a1:1", "nope"])] == ["a1:1", "b1:0"]
        assert store.mentions_by_id(["a1:0"]) == [ms[0]]

    def test_signatures_after_and_last_seq(self, store):
        assert store.last_seq() == 0 and list(store.signatures_after(0)) == []
        for aid in ("a", "b", "c"):
            store.add_article(_article(aid), [], run_id=None, minhash=aid.encode())
        rows = list(store.signatures_after(0, skip={"b"}))
        assert [(a.id if a else None, sig) for _, a, sig in rows] == [("a", b"a"), (None, None), ("c", b"c")]
        seqs = [s for s, _, _ in rows]
        assert seqs == sorted(seqs) and store.last_seq() == seqs[-1]
        assert [a.id for _, a, _ in store.signatures_after(seqs[0])] == ["b", "c"]

    def test_reserved_positions_order_articles(self, store):
        store.add_article(_article("first"), [], run_id=None)
        seqs = store.reserve_seq(3)
        assert store.reserve_seq(0) == []
        assert seqs == sorted(seqs) and len(set(seqs)) == 3 and seqs[0] > store.last_seq()
        for aid, seq in (("c", seqs[2]), ("a", seqs[0]), ("b", seqs[1])):
            assert store.add_article(_article(aid), [], run_id=None, seq=seq)
        store.add_article(_article("d"), [], run_id=None)
        assert [x.id for x in store.articles()] == ["first", "a", "b", "c", "d"]
        assert store.reserve_seq(1)[0] > store.last_seq()

    def test_link_runs_for_new_articles_only_before_the_write(self, store):
        calls = []
        a = _article("a1")

        def link():
            calls.append(store.has_article("a1"))
            a.story_id = "story-x"

        assert store.add_article(a, [], run_id=None, link=link)
        assert not store.add_article(a, [], run_id=None, link=link)
        assert calls == [False]
        assert store.articles_by_id(["a1"])["a1"].story_id == "story-x"

    def test_events_replace_update_and_history(self, store):
        a, ma = _two("a1", 2)
        b, mb = _two("b1")
        store.add_article(a, ma, run_id=None)
        store.add_article(b, mb, run_id=None)
        assert store.events_stale()
        assert [m.id for m in store.unmerged_mentions()] == ["a1:0", "a1:1", "b1:0"]
        e1, e2 = _ev("ev_1", ma, a), _ev("ev_2", mb, b)
        store.replace_events([e1, e2], run_id=1, history=[("ev_1", ["a1"], [{"field": "created", "old": None,
                                                                              "new": "ev_1"}])])
        assert not store.events_stale() and store.unmerged_mentions() == []
        assert [e.id for e in store.events()] == ["ev_1", "ev_2"] and store.event_count() == 2
        assert store.events_by_id(["ev_2", "nope"]) == {"ev_2": e2}
        assert store.has_event("ev_1") and not store.has_event("ev_9")
        assert store.previous_assignment() == {"a1:0": "ev_1", "a1:1": "ev_1", "b1:0": "ev_2"}
        assert store.assignment_of(["b1:0", "zz"]) == {"b1:0": "ev_2"}
        assert sorted(store.mentions_of_events(["ev_1"])) == ["a1:0", "a1:1"]
        assert store.history("ev_1")[0]["article_ids"] == ["a1"] and store.history("ev_2") == []
        # update: ev_2 goes, ev_3 takes its mention, ev_1 stays untouched
        e3 = _ev("ev_3", mb, b)
        store.update_events([e3], removed=["ev_2"], run_id=2,
                            history=[("ev_2", [], [{"field": "removed", "old": "ev_2", "new": None}])])
        assert [e.id for e in store.events()] == ["ev_1", "ev_3"]
        assert store.events_by_id(["ev_1"]) == {"ev_1": e1}
        assert store.assignment_of(["b1:0"]) == {"b1:0": "ev_3"}
        assert store.history("ev_2")[0]["run_id"] == 2
        store.replace_events([], run_id=3, history=[])
        assert store.event_count() == 0 and store.integrity_ok()

    def test_transaction_rolls_back_on_error(self, store):
        a, ma = _two("a1")
        store.add_article(a, ma, run_id=None)
        store.replace_events([_ev("ev_1", ma, a)], run_id=1, history=[])
        with pytest.raises(RuntimeError), store.transaction():
            store.update_events([], removed=["ev_1"], run_id=2, history=[])
            raise RuntimeError("boom")
        assert store.has_event("ev_1")
        with store.transaction(), store.transaction():  # nests
            store.update_events([], removed=["ev_1"], run_id=2, history=[])
        assert not store.has_event("ev_1")

    def test_merge_lanes(self, store):
        a, ma = _two("a1", 3)
        b, mb = _two("b1", 1)
        store.add_article(a, ma, run_id=None)
        store.add_article(b, mb, run_id=None)
        assert [m.id for m in store.mentions_without_lanes()] == ["a1:0", "a1:1", "a1:2", "b1:0"]
        store.add_lanes([_lane("a1:0", "a1", "SY/x", 10, 12, 20), _lane("a1:1", "a1", "SY/x", 30, 30, 20),
                         _lane("a1:2", "a1", "SY/x", None, None, 20), _lane("b1:0", "b1", "SY/x", 11, 11, None)])
        assert store.mentions_without_lanes() == []
        ids = lambda lanes: sorted(x.mention_id for x in lanes)  # noqa: E731
        assert ids(store.lanes_of_lane("SY/x")) == ["a1:0", "a1:1", "a1:2", "b1:0"] and store.lanes_of_lane("IQ") == []
        assert ids(store.lanes_undated("SY/x")) == ["a1:2"]
        assert store.lane_has_undated("SY/x") and not store.lane_has_undated("IQ")
        assert ids(store.lanes_overlapping("SY/x", 12, 20)) == ["a1:0"]
        assert ids(store.lanes_overlapping("SY/x", 11, 11)) == ["a1:0", "b1:0"]
        assert ids(store.lanes_overlapping("SY/x", 13, 29)) == []
        assert ids(store.lanes_from("SY/x", 20, "a1")) == ["a1:0", "a1:1", "a1:2", "b1:0"]
        assert ids(store.lanes_from("SY/x", 20, "a2")) == ["b1:0"]  # same report, later article; undated
        assert ids(store.lanes_from("SY/x", 21, "a0")) == ["b1:0"]
        assert ids(store.lanes_from("SY/x", None, "b1")) == ["b1:0"]
        assert ids(store.lanes_from("SY/x", None, "b2")) == []
        assert ids(store.lanes_of_articles(["b1"])) == ["b1:0"]
        assert store.lanes_of_mentions(["a1:1"]) == [_lane("a1:1", "a1", "SY/x", 30, 30, 20)]
        store.add_lanes([_lane("a1:1", "a1", "SY/y", 31, 31, 20)])  # replaces
        assert store.lanes_of_mentions(["a1:1"]) == [_lane("a1:1", "a1", "SY/y", 31, 31, 20)]

    def test_feed_state(self, store):
        url = "https://wire.example/feed.xml"
        assert store.feed_row(url) is None
        store.save_feed(url, etag='"v1"', modified="Tue", polled="2016-03-07T10:00:00+00:00", ok=True,
                        last_error=None, failures=0, next_poll=None, items_new=2)
        assert store.feed_row(url) == ('"v1"', "Tue", 0, None, None)
        store.save_feed(url, etag='"v1"', modified="Tue", polled="2016-03-07T10:10:00+00:00", ok=False,
                        last_error="HTTP 500", failures=1, next_poll=1_457_000_600.5)
        assert store.feed_row(url) == ('"v1"', "Tue", 1, "HTTP 500", 1_457_000_600.5)
        assert not store.feed_item_seen(url, ["id:1", "link:x"])
        store.mark_feed_items(url, ["id:1", "link:x"], seen_at="2016-03-07T10:00:00+00:00")
        store.mark_feed_items(url, ["id:1"], seen_at="2016-03-07T10:10:00+00:00")  # again: ignored
        assert store.feed_item_seen(url, ["id:9", "link:x"]) and store.feed_item_seen(url, ["id:1"])
        assert not store.feed_item_seen("https://other.example/feed.xml", ["id:1"])
        assert not store.feed_item_seen(url, [])

    def test_review(self, store):
        a, ma = _two("a1")
        b, mb = _two("b1")
        store.add_article(a, ma, run_id=None)
        store.add_article(b, mb, run_id=None)
        store.replace_events([_ev("ev_1", ma, a), _ev("ev_2", mb, b)], run_id=1, history=[])
        assert store.review_actions() == [] and store.reviewed_ids() == set() and store.rejected_events() == []
        assert store.review(ReviewAction(event_id="ev_1", action="edit", reviewer="ana", reason="count",
                                         fields={"fatalities": 3})) == ["ev_1"]
        assert store.events_by_id(["ev_1"])["ev_1"].fatalities == 3
        store.review(ReviewAction(event_id="ev_2", action="reject", reviewer="ana", reason="off-topic"))
        assert [x.action for x in store.review_actions()] == ["edit", "reject"]
        assert store.reviewed_ids() == {"ev_1"}
        assert [e.id for e in store.rejected_events()] == ["ev_2"]
        assert [e.id for e in store.events()] == ["ev_1"]
        assert store.history("ev_1")[-1]["changes"][-1]["field"] == "review"
        # the machine rewriting its events keeps the review shown
        store.replace_events([_ev("ev_1", ma, a), _ev("ev_2", mb, b)], run_id=2, history=[])
        assert [e.id for e in store.events()] == ["ev_1"] and store.events_by_id(["ev_1"])["ev_1"].fatalities == 3
        with pytest.raises(ReviewError):
            store.review(ReviewAction(event_id="nope", action="accept", reviewer="ana"))

    def test_history_rows_and_data_stamp(self, store):
        stamp = store.data_stamp()
        a, ma = _two("a1")
        store.add_article(a, ma, run_id=None)
        assert store.data_stamp() != stamp
        stamp = store.data_stamp()
        store.replace_events([_ev("ev_1", ma, a)], run_id=None,
                             history=[("ev_1", ["a1"], [{"field": "created", "old": None, "new": "ev_1"}])])
        assert store.data_stamp() != stamp
        rows = store.history_after(0)
        assert [(r[1], r[4]) for r in rows] == [("ev_1", '["a1"]')]
        assert store.history_after(rows[-1][0]) == []
        store.add_history_rows([(rows[0][0] + 10, "ev_1", 7, "2020-01-01T00:00:00+00:00", "[]", "[]")])
        assert [h["run_id"] for h in store.history("ev_1")] == [None, 7]
        store.replace_events([_ev("ev_1", ma, a)], run_id=None, history=[("ev_1", [], [])])
        assert [r[0] for r in store.history_after(rows[0][0])][-1] > rows[0][0] + 10  # new ids after copied ones
