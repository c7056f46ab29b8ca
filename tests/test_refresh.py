"""Incremental event refresh: merging only what new mentions reach gives what a merge of everything gives.

Each check stores the same articles in the same runs twice: once refreshed incrementally (the
default), once with ``full=True`` (every stored mention merged again); events, ids and change
history must be equal, while the incremental refresh leaves events it cannot have changed alone.
"""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from wirewatch.pipeline.batch import refresh_events
from wirewatch.merge.core import merge_mentions
from wirewatch.models import Article, Claim, EventMention, Evidence, Location
from wirewatch.store.sqlite import SQLiteStore

_PLACES = {
    "SY": [("Azaz", 36.586, 37.046, 170017, "Aleppo"), ("Kafr Kalbin", 36.600, 37.070, None, "Aleppo"),
           ("Homs", 34.73, 36.72, 169577, "Homs")],
    "IQ": [("Mosul", 36.34, 43.13, 99072, "Nineveh"), ("Tikrit", 34.61, 43.68, 89000, "Salahuddin")],
}
_KINDS = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Suicide bomb"),
          ("Violence against civilians", "Attack"), ("Displacement", "Internal displacement"),
          ("Protests", "Peaceful protest")]
_TEXTS = ["Gunmen attacked a checkpoint near Azaz.", "Another bomb went off in the market.",
          "Families fled Kafr Kalbin after the shelling.", "Protesters gathered in the main square."]


def corpus(seed: int, n_articles: int = 60, days: int = 40) -> list[tuple[Article, list[EventMention]]]:
    """Articles (in publication order) with their mentions: re-reports, spans, undated and unlocated ones."""
    rnd = random.Random(seed)
    base = dt.date(2017, 3, 1)
    out = []
    for i in range(n_articles):
        aid = f"s{seed}a{i:03d}"
        published = None if rnd.random() < 0.03 else base + dt.timedelta(days=i * days // n_articles)
        body = " ".join(rnd.choice(_TEXTS) for _ in range(3))
        story = rnd.choice([None, None, "st_x", "st_y", f"st_{aid}"])
        art = Article(id=aid, text=body, body=body, headline=f"Report {i}", published=published, story_id=story)
        ms = []
        for k in range(rnd.randint(1, 3)):
            etype, sub = rnd.choice(_KINDS)
            ref = published or base + dt.timedelta(days=rnd.randrange(days))
            shape = rnd.random()
            if shape < 0.6:
                start = end = ref - dt.timedelta(days=rnd.randrange(2))
            elif shape < 0.8:
                start, end = ref - dt.timedelta(days=6), ref
            else:
                start = end = None
            loc = None
            if rnd.random() < 0.9:
                cc = rnd.choice(sorted(_PLACES))
                name, lat, lon, gid, adm = rnd.choice(_PLACES[cc])
                loc = Location(name, cc, cc, adm, None, lat, lon, gid, rnd.choice([1, 1, 2, 3]))
            s0 = k * 40
            text = rnd.choice(_TEXTS)
            n = rnd.randint(1, 30)
            ms.append(EventMention(
                id=f"{aid}:{s0}", article_id=aid, event_type=etype, sub_event_type=sub,
                evidence=[Evidence(aid, text, s0, s0 + len(text))], event_date=start if start == end else None,
                date_start=start, date_end=end, time_precision=1 if start and start == end else None,
                actor1=rnd.choice([None, None, "Islamic State", "Military Forces of Syria"]), location=loc,
                claims=[Claim("killed", n, n, None, f"killed {n}", None, aid, s0, s0 + 8)] if rnd.random() < 0.5
                else []))
        out.append((art, ms))
    return out


def _stored(store: SQLiteStore) -> tuple[list[dict], dict[str, list]]:
    events = [e.to_record() | {"mention_ids": sorted(e.mention_ids)} for e in store.events()]
    history = {e["id"]: [(h["run_id"], h["article_ids"], h["changes"]) for h in store.history(e["id"])]
               for e in events}
    return events, history


def _ingest_runs(path, runs, *, full: bool):
    with SQLiteStore.open(path) as store:
        for run_id, batch in enumerate(runs, start=1):
            for art, ms in batch:
                store.add_article(art, ms, run_id=None)
            refresh_events(store, run_id=run_id, full=full)
        return _stored(store)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("order", ["as published", "shuffled"])
def test_incremental_refresh_stores_what_a_full_refresh_stores(tmp_path, seed, order):
    """Reports arriving as published (the usual case: little is placed again) or in any order."""
    items = corpus(seed)
    rnd = random.Random(seed)
    if order == "shuffled":
        rnd.shuffle(items)
    cuts = sorted(rnd.sample(range(1, len(items)), 5))
    runs = [items[a:b] for a, b in zip([0, *cuts], [*cuts, len(items)], strict=True)]
    inc = _ingest_runs(tmp_path / "inc.db", runs, full=False)
    full = _ingest_runs(tmp_path / "full.db", runs, full=True)
    assert inc == full
    assert any(len(h) > 1 for h in inc[1].values()), "some event should change after it was first stored"


@pytest.mark.parametrize("seed", range(3))
def test_ingesting_a_then_b_gives_the_events_of_a_and_b_at_once(tmp_path, seed):
    items = corpus(10 + seed)
    half = len(items) // 2  # B's reports come after A's: the anchors of A's events stay the earliest
    in_two = _ingest_runs(tmp_path / "two.db", [items[:half], items[half:]], full=False)[0]
    at_once = _ingest_runs(tmp_path / "once.db", [items], full=False)[0]
    assert in_two == at_once
    arts = {a.id: a for a, _ in items}
    assert [e.id for e in merge_mentions([m for _, ms in items for m in ms], arts)] == [e["id"] for e in at_once]


def test_a_refresh_rewrites_only_what_new_reports_reach(tmp_path):
    items = corpus(20)
    iraq_day = dt.date(2017, 6, 1)  # far from every stored date
    text = "Gunmen attacked a checkpoint near Azaz."
    late = Article(id="late", text=text, body=text, published=iraq_day, story_id="st_late")
    m = EventMention(id="late:0", article_id="late", event_type="Battles", sub_event_type="Armed clash",
                     evidence=[Evidence("late", text, 0, len(text))], event_date=iraq_day, date_start=iraq_day,
                     date_end=iraq_day, location=Location("Mosul", "IQ", "IQ", "Nineveh", None, 36.34, 43.13, 99072, 1))
    with SQLiteStore.open(tmp_path / "db") as store:
        for art, ms in items:
            store.add_article(art, ms, run_id=None)
        refresh_events(store, run_id=1)
        before = {eid: rec for eid, rec in store.conn.execute("SELECT id, record FROM events")}
        rows = store.conn.execute("SELECT max(id) FROM event_history").fetchone()[0]
        store.add_article(late, [m], run_id=None)
        merged = refresh_events(store, run_id=2)
        assert len(merged) < 5, "only the new report and those after it in its lane are placed again"
        (late_event,) = [e.id for e in merged if e.mention_ids == ["late:0"]]
        after = {eid: rec for eid, rec in store.conn.execute("SELECT id, record FROM events")}
        assert {k: v for k, v in after.items() if k in before} == before
        assert set(after) - set(before) == {late_event}
        new_rows = store.conn.execute("SELECT event_id, run_id FROM event_history WHERE id > ?", (rows,)).fetchall()
        assert new_rows == [(late_event, 2)]
        runs = {r for (r,) in store.conn.execute("SELECT DISTINCT updated_run FROM events")}
        assert runs == {1, 2}


def test_a_database_without_lanes_is_backfilled_by_its_next_refresh(tmp_path):
    items = corpus(30)
    runs = [items[:40], items[40:]]
    want = _ingest_runs(tmp_path / "full.db", runs, full=True)
    with SQLiteStore.open(tmp_path / "old.db") as store:
        for art, ms in runs[0]:
            store.add_article(art, ms, run_id=None)
        refresh_events(store, run_id=1, full=True)
        store.conn.execute("DELETE FROM merge_lanes")  # as a database made before lanes existed
        for art, ms in runs[1]:
            store.add_article(art, ms, run_id=None)
        refresh_events(store, run_id=2)
        assert store.conn.execute("SELECT count(*) FROM merge_lanes").fetchone()[0] == sum(len(ms) for _, ms in items)
        assert _stored(store) == want


def test_sample_wire_ingested_in_two_parts_equals_one_ingest(tmp_path, sample_wire):
    """The real pipeline: the dump's reports on one day (A), then updates of them a day later (B)."""
    from wirewatch.pipeline.batch import ingest
    from wirewatch.config import Settings
    from wirewatch.ingest import split_articles
    from wirewatch.models import RawInput

    reports = split_articles(RawInput("sample", sample_wire.read_text(encoding="utf-8")))
    assert len(reports) >= 6
    first = [json.dumps({"id": f"a{i}", "text": r.text, "published": "2017-03-06"}) for i, r in enumerate(reports)]
    updates = [json.dumps({"id": f"b{i}", "text": r.text.replace("more than 20", "more than 26").replace(
        "nine people", "11 people"), "published": "2017-03-07"}) for i, r in enumerate(reports)]
    (tmp_path / "a.jsonl").write_text("\n".join(first) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(updates) + "\n", encoding="utf-8")
    (tmp_path / "ab.jsonl").write_text("\n".join(first + updates) + "\n", encoding="utf-8")
    settings = Settings()
    stored = []
    for name, parts in (("two", ["a.jsonl", "b.jsonl"]), ("once", ["ab.jsonl"])):
        with SQLiteStore.open(tmp_path / f"{name}.db") as store:
            for part in parts:
                ingest([str(tmp_path / part)], store=store, settings=settings)
            records = [e.to_record() for e in store.events()]
            for rec in records:  # the one difference: which file (and line) a report was read from
                rec["sources"] = [s | {"origin": None} for s in rec["sources"]]
            stored.append(records)
    assert stored[0] == stored[1]
    assert any(len(e["sources"]) > 1 for e in stored[0]), "some event should be merged across reports"
