"""Beyond one machine: the partitioned merge, and ingest over Dask into PostgreSQL.

The partitioned merge must give exactly the global merge's events (ids included); that is checked
on seeded synthetic corpora and on the project's sample wire.  The Dask tests run a local cluster
of two worker processes against a real PostgreSQL server and skip unless ``WIREWATCH_TEST_PG`` is
set (see scripts/start-postgres.sh); they compare with the single-machine SQLite ingest.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys

import pytest

from wirewatch.pipeline.batch import BatchResult, _process, ingest, prepare_raw, read_raw
from wirewatch.config import Settings
from wirewatch.pipeline.distributed import _client, merge_partitioned, partition_mentions
from wirewatch.errors import ClusterError
from wirewatch.merge.core import merge_mentions
from wirewatch.models import Article, Claim, EventMention, Evidence, Location
from wirewatch.store.sqlite import SQLiteStore

# -- synthetic corpora -------------------------------------------------------------------------

_PLACES = {
    "SY": [("Aleppo", 36.20, 37.16, 170063), ("Azaz", 36.586, 37.046, 170017), ("Anadan", 36.29, 37.04, 172000),
           ("Homs", 34.73, 36.72, 169577)],
    "IQ": [("Mosul", 36.34, 43.13, 99072), ("Hammam al-Alil", 36.16, 43.26, 99100), ("Tikrit", 34.61, 43.68, 89000)],
    "NG": [("Maiduguri", 11.85, 13.16, 2331447), ("Konduga", 11.65, 13.42, 2333000)],
}
_KINDS = [
    ("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"), ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"), ("Riots", "Violent demonstration"), ("Displacement", "Internal displacement"),
    ("Strategic developments", "Arrests"),
]
_ACTORS = [None, None, "Islamic State", "Military Forces of Syria", "Boko Haram", "Military Forces of Iraq"]
_TEXTS = ["Fighting killed several people near the town.", "Another attack hit the market later in the day.",
          "A bomb went off at a checkpoint.", "Residents fled the district after the shelling."]


def _corpus(seed: int, n_articles: int = 70, days: int = 365) -> tuple[list[EventMention], dict[str, Article]]:
    rnd = random.Random(seed)
    base = dt.date(2017, 1, 1)
    articles: dict[str, Article] = {}
    mentions: list[EventMention] = []
    stories = [f"st_{i}" for i in range(6)]
    for i in range(n_articles):
        aid = f"art{seed}_{i:03d}"
        published = None if rnd.random() < 0.04 else base + dt.timedelta(days=rnd.randrange(days))
        body = " ".join(rnd.choice(_TEXTS) for _ in range(3))
        story = rnd.choice(stories) if rnd.random() < 0.15 else None
        articles[aid] = Article(id=aid, text=body, body=body, published=published, story_id=story,
                                published_basis="metadata" if published else "unknown", headline=f"Report {i}")
        for k in range(rnd.randint(1, 3)):
            etype, sub = rnd.choice(_KINDS)
            ref = published or base + dt.timedelta(days=rnd.randrange(days))
            shape = rnd.random()
            if shape < 0.55:
                day = ref - dt.timedelta(days=rnd.randrange(3))
                start = end = day
            elif shape < 0.75:
                start, end = ref - dt.timedelta(days=6), ref
            elif shape < 0.85:
                start, end = ref.replace(day=1), ref
            else:
                start = end = None  # no date of its own
            loc = None
            if rnd.random() < 0.85:
                cc = rnd.choice(sorted(_PLACES))
                name, lat, lon, gid = rnd.choice(_PLACES[cc])
                precision = rnd.choice([1, 1, 2, 3])
                loc = Location(name, cc, cc, f"{name} province", None, lat, lon, gid, precision)
            s0 = k * 40
            text = rnd.choice(_TEXTS)
            ev = Evidence(aid, text, s0, s0 + len(text))
            claims = [Claim("killed", n, n, None, f"killed {n}", None, aid, s0, s0 + 8)
                      for n in ([rnd.randint(1, 30)] if rnd.random() < 0.5 else [])]
            mentions.append(EventMention(
                id=f"{aid}:{s0}", article_id=aid, event_type=etype, sub_event_type=sub, evidence=[ev],
                event_date=start if start == end else None, date_start=start, date_end=end,
                time_precision=1 if start == end and start else (2 if start else None),
                actor1=rnd.choice(_ACTORS), claims=claims, location=loc, notes=f"{sub} reported."))
    rnd.shuffle(mentions)
    return mentions, articles


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_partitioned_merge_gives_the_global_merge(seed):
    mentions, articles = _corpus(seed)
    blocks = partition_mentions(mentions, articles)
    assert len(blocks) > 3, "the corpus should fall into several blocks, or the test proves nothing"
    assert sorted(m.id for b in blocks for m in b.mentions) == sorted(m.id for m in mentions)
    assert merge_partitioned(mentions, articles) == merge_mentions(mentions, articles)


@pytest.mark.parametrize("seed", [6, 7])
def test_partitioned_merge_keeps_previous_ids(seed):
    mentions, articles = _corpus(seed)
    first = merge_mentions(mentions[: len(mentions) // 2], articles)
    previous = {mid: ev.id for ev in first for mid in ev.mention_ids}
    want = merge_mentions(mentions, articles, previous=previous)
    assert merge_partitioned(mentions, articles, previous=previous) == want
    assert {e.id for e in want} & set(previous.values()), "some old ids should survive"


def _one(aid: str, day_start: dt.date, day_end: dt.date, published: dt.date, cc: str = "SY") -> tuple:
    text = "Clashes broke out between the army and rebels."
    art = Article(id=aid, text=text, body=text, published=published, published_basis="metadata")
    m = EventMention(id=f"{aid}:0", article_id=aid, event_type="Battles", sub_event_type="Armed clash",
                     evidence=[Evidence(aid, text, 0, len(text))], date_start=day_start, date_end=day_end,
                     event_date=day_start if day_start == day_end else None, time_precision=1,
                     location=Location("Azaz", "Syria", cc, "Aleppo", None, 36.586, 37.046, 170017, 1))
    return m, art


def test_month_boundary_inside_the_overlap_window_joins_the_blocks():
    d = dt.date
    pairs = [_one("a", d(2017, 1, 30), d(2017, 2, 2), d(2017, 2, 2)),  # a week-long span over the boundary
             _one("b", d(2017, 2, 1), d(2017, 2, 1), d(2017, 2, 1)),
             _one("c", d(2017, 4, 10), d(2017, 4, 10), d(2017, 4, 10)),  # far away: a block of its own
             _one("e", d(2017, 2, 1), d(2017, 2, 1), d(2017, 2, 1), cc="IQ")]  # another country
    mentions = [m for m, _ in pairs]
    articles = {a.id: a for _, a in pairs}
    blocks = partition_mentions(mentions, articles)
    assert [(b.country, b.months, sorted(m.id for m in b.mentions)) for b in blocks] == [
        ("IQ", ("2017-02", "2017-02"), ["e:0"]),
        ("SY", ("2017-01", "2017-02"), ["a:0", "b:0"]),
        ("SY", ("2017-04", "2017-04"), ["c:0"]),
    ]
    events = merge_partitioned(mentions, articles)
    assert sorted(len(e.mention_ids) for e in events) == [1, 1, 2]
    assert events == merge_mentions(mentions, articles)


def test_an_undated_mention_joins_every_block_of_its_country():
    d = dt.date
    pairs = [_one("a", d(2017, 1, 5), d(2017, 1, 5), d(2017, 1, 5)), _one("c", d(2017, 4, 10), d(2017, 4, 10), d(2017, 4, 10))]
    m, art = _one("u", None, None, None)
    art.published = None
    mentions = [p[0] for p in pairs] + [m]
    articles = {a.id: a for _, a in pairs} | {"u": art}
    assert len(partition_mentions(mentions, articles)) == 1
    assert merge_partitioned(mentions, articles) == merge_mentions(mentions, articles)


def test_partitioned_merge_on_the_sample_wire(sample_wire):
    settings = Settings()
    result = BatchResult()
    articles: dict[str, Article] = {}
    mentions: list[EventMention] = []
    prepared = prepare_raw(read_raw([str(sample_wire)], settings=settings), result=result)
    for article, _sig, found in _process(prepared, settings=settings, result=result):
        articles[article.id] = article
        mentions.extend(found)
    assert mentions
    assert len(partition_mentions(mentions, articles)) > 1
    assert merge_partitioned(mentions, articles) == merge_mentions(mentions, articles)


def test_missing_dask_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ClusterError, match="dask.distributed"):
        _client(None, 1)


# -- Dask + PostgreSQL ---------------------------------------------------------------------------

# Articles written for this test (JSONL input): a report, its refile, a follow-up with a higher toll,
# a protest and an air strike; plus a line that is not JSON, which both runs must name as failed.
_JSONL = [
    {"id": "w-1", "published": "2017-03-04", "title": "Roadside bomb kills four soldiers in southern Afghanistan",
     "text": "KANDAHAR, Afghanistan (Reuters) - A roadside bomb killed four Afghan soldiers on a highway outside "
             "Kandahar on Saturday, a spokesman for the provincial governor said.\n\nNo group claimed the blast, but "
             "Taliban fighters are active in the district and have planted mines along the road before.\n\n"
             "(Reporting by Test Writer; Editing by Another Editor)"},
    {"id": "w-2", "published": "2017-03-04", "title": "UPDATE 1-Roadside bomb kills four soldiers in southern Afghanistan",
     "text": "KANDAHAR, Afghanistan (Reuters) - A roadside bomb killed four Afghan soldiers on a highway outside "
             "Kandahar on Saturday, a spokesman for the provincial governor said.\n\nNo group claimed the blast, but "
             "Taliban fighters are active in the district and have planted mines along the road before, he added.\n\n"
             "(Reporting by Test Writer; Editing by Another Editor)"},
    {"id": "w-3", "published": "2017-03-05", "title": "Toll from Kandahar bomb rises to six",
     "text": "KANDAHAR, Afghanistan (Reuters) - The number of soldiers killed by a roadside bomb outside Kandahar on "
             "Saturday has risen to six, the Afghan defence ministry said on Sunday.\n\nTwo of the wounded died in "
             "hospital overnight, the ministry said.\n\n(Reporting by Test Writer)"},
    {"id": "w-4", "published": "2017-03-20", "title": "Police fire tear gas at protesters in Lagos",
     "text": "LAGOS (Reuters) - Nigerian police fired tear gas at several hundred people protesting against fuel "
             "prices in Lagos on Monday, witnesses said.\n\nThe protesters had blocked a main road into the city "
             "centre for two hours.\n\n(Reporting by Test Writer)"},
    {"id": "w-5", "published": "2017-04-02", "title": "Air strikes hit rebel-held town in Syria",
     "text": "BEIRUT (Reuters) - Air strikes killed at least nine people in the rebel-held town of Douma east of "
             "Damascus on Sunday, the Syrian Observatory for Human Rights said.\n\n(Reporting by Test Writer)"},
]


try:
    from test_postgres import pg_dsn  # noqa: E402,F401  (the fresh-database fixture)
except pytest.skip.Exception:  # psycopg is not installed: the PostgreSQL tests skip, the others still run
    @pytest.fixture
    def pg_dsn():
        pytest.skip("psycopg (the cluster extra) is not installed")


@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("psycopg", reason="psycopg (the cluster extra) is not installed")
    distributed = pytest.importorskip("dask.distributed", reason="dask.distributed (the cluster extra) is not installed")
    import os

    if not os.environ.get("WIREWATCH_TEST_PG"):
        pytest.skip("WIREWATCH_TEST_PG is not set (start a server with scripts/start-postgres.sh)")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture
def corpus(tmp_path, sample_wire):
    jsonl = tmp_path / "wires.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in _JSONL) + "\nthis line is not json\n", encoding="utf-8")
    return [str(sample_wire), str(jsonl)]


def test_dask_into_postgres_gives_the_single_machine_events(dask_client, pg_dsn, corpus, tmp_path):
    from wirewatch.pipeline.distributed import ingest_dask
    from wirewatch.store.postgres import PostgresStore

    settings = Settings()
    with SQLiteStore.open(tmp_path / "one.db") as lite:
        want = ingest(corpus, store=lite, settings=settings)
        want_events = [e.to_record() for e in lite.events()]
        want_articles = [a.to_record() for a in lite.articles()]
    assert want_events and not want.failures[1:]

    got = ingest_dask(corpus, store_dsn=pg_dsn, settings=settings, client=dask_client, batch_size=3,
                      merge_on_cluster=True)
    assert (got.inputs_ok, got.articles_seen, got.articles_new) == (want.inputs_ok, want.articles_seen, want.articles_new)
    assert [str(f) for f in got.failures] == [str(f) for f in want.failures]
    with PostgresStore.open(pg_dsn) as store:
        assert [e.to_record() for e in store.events()] == want_events  # ids too
        assert [a.to_record() for a in store.articles()] == want_articles  # same order, duplicate_of, story_id
        assert store.integrity_ok() and not store.events_stale()

    again = ingest_dask(corpus, store_dsn=pg_dsn, settings=settings, client=dask_client)
    assert again.articles_new == 0 and again.events == []
    with PostgresStore.open(pg_dsn) as store:
        assert [e.to_record() for e in store.events()] == want_events
        runs = store.conn.execute("SELECT status, articles_new FROM ingest_runs ORDER BY id").fetchall()
    assert runs == [("failed-inputs", want.articles_new), ("failed-inputs", 0)]




def test_partitioned_refresh_stores_what_the_global_refresh_stores(tmp_path):
    from wirewatch.pipeline.batch import refresh_events
    from wirewatch.pipeline.distributed import refresh_events_partitioned

    mentions, articles = _corpus(8, n_articles=40, days=30)
    per_article: dict[str, list[EventMention]] = {}
    for m in mentions:
        per_article.setdefault(m.article_id, []).append(m)
    stored = []
    for name, refresh in (("global", refresh_events), ("blocks", refresh_events_partitioned)):
        with SQLiteStore.open(tmp_path / f"{name}.db") as store:
            ids = sorted(per_article, key=lambda a: a[-1])  # interleaved over time
            for aid in ids[:25]:  # two runs, so the second keeps ids and writes change history
                store.add_article(articles[aid], per_article[aid], run_id=None)
            refresh(store, run_id=1)
            for aid in ids[25:]:
                store.add_article(articles[aid], per_article[aid], run_id=None)
            refresh(store, run_id=2)
            events = list(store.events())
            stored.append((events, {e.id: [(h["run_id"], h["article_ids"], h["changes"]) for h in store.history(e.id)]
                                    for e in events}))
    assert stored[0] == stored[1]
    assert any(len(h) > 1 for h in stored[0][1].values()), "some event should change in the second run"
