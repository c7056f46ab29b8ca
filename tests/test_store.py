"""The SQLite store: migrations, atomic article+mention writes, event replacement, history."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from wirewatch.errors import StoreError
from wirewatch.models import Article, Claim, Event, EventMention, Evidence, Location, SourceRef
from wirewatch.store import migrations
from wirewatch.store.sqlite import SQLiteStore


def _article(aid: str = "a1", published: dt.date | None = dt.date(2017, 2, 24)) -> Article:
    body = "A car bomb killed 12 people at a checkpoint in Azaz on Friday, a monitor said."
    return Article(id=aid, text="Headline\n\n" + body, body=body, body_start=10, headline="Headline",
                   agency="Reuters", published=published, published_basis="metadata", origin="x.txt")


def _mention(article: Article) -> EventMention:
    ev = Evidence(article.id, article.body, 0, len(article.body))
    claim = Claim("killed", 12, 12, None, "killed 12 people", "monitor", article.id, 13, 29, article.published)
    loc = Location("Azaz", "Syria", "SY", "Aleppo", None, 36.586, 37.046, 170017, 1)
    return EventMention(id=f"{article.id}:0", article_id=article.id, event_type="Explosions/Remote violence",
                        sub_event_type="Remote explosive/landmine/IED", evidence=[ev],
                        event_date=dt.date(2017, 2, 24), date_start=dt.date(2017, 2, 24),
                        date_end=dt.date(2017, 2, 24), time_precision=1, claims=[claim], location=loc)


def _event(m: EventMention, article: Article) -> Event:
    return Event(id="ev_1", event_type=m.event_type, sub_event_type=m.sub_event_type, event_date=m.event_date,
                 date_start=m.date_start, date_end=m.date_end, time_precision=1, location=m.location,
                 fatalities=12, fatalities_low=12, fatalities_best=12, fatalities_high=12, claims=m.claims,
                 sources=[SourceRef(article.id, None, article.headline, article.agency, article.published, None)],
                 evidence=m.evidence, mention_ids=[m.id])


def test_migrations_are_named_recorded_and_idempotent(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db")
    assert migrations.apply(conn) == [name for name, _ in migrations.MIGRATIONS]
    assert migrations.apply(conn) == []
    names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations")]
    assert names == [name for name, _ in migrations.MIGRATIONS]


def test_store_uses_wal(tmp_path):
    with SQLiteStore.open(tmp_path / "w.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_article_and_mentions_round_trip(tmp_path):
    a = _article()
    m = _mention(a)
    with SQLiteStore.open(tmp_path / "s.db") as store:
        assert store.add_article(a, [m], run_id=None, minhash=b"\x01\x02")
        assert not store.add_article(a, [m], run_id=None), "second insert of the same article must be a no-op"
        assert [x.id for x in store.articles()] == ["a1"]
        back = store.mentions()
    assert back == [m]


def test_events_replace_and_history(tmp_path):
    a = _article()
    m = _mention(a)
    ev = _event(m, a)
    with SQLiteStore.open(tmp_path / "e.db") as store:
        store.add_article(a, [m], run_id=None)
        store.replace_events([ev], run_id=1, history=[("ev_1", ["a1"], [{"field": "created", "old": None, "new": "ev_1"}])])
        assert list(store.events()) == [ev]
        assert store.previous_assignment() == {m.id: "ev_1"}
        claims = store.conn.execute("SELECT quantity, low, source FROM claims").fetchall()
        assert claims == [("killed", 12, "monitor")]
        assert store.history("ev_1")[0]["article_ids"] == ["a1"]
        store.replace_events([], run_id=2, history=[])
        assert list(store.events()) == []
        assert store.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
        assert store.integrity_ok()


def test_readonly_open_of_missing_db_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no database"):
        SQLiteStore.open(tmp_path / "missing.db", readonly=True)


def test_non_database_file_is_a_clear_error(tmp_path):
    p = tmp_path / "not.db"
    p.write_bytes(b"this is plainly not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable wirewatch database"):
        SQLiteStore.open(p)
