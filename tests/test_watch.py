"""``watch``: polling feeds over HTTP, ingesting new items once, surviving errors and restarts."""

from __future__ import annotations

import dataclasses
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from wirewatch.config import Settings
from wirewatch.ingest.tabular import read_table
from wirewatch.pipeline.registry import Pipeline
from wirewatch.store.sqlite import SQLiteStore
from wirewatch.ingest.watch import (
    Fetched,
    feed_state,
    fetch_url,
    ingest_raw,
    item_keys,
    parse_interval,
    poll_feed,
    watch,
)

INPUTS = Path(__file__).parent / "data" / "inputs"
EVERY = 600.0

_ITEMS = {
    "a": ("Gunmen kill four at market in Borno",
          "MAIDUGURI, Nigeria (Sahel Wire) - Gunmen on motorcycles killed four traders at a cattle market in "
          "Borno state on Monday, a police spokesman said.", "Mon, 07 Mar 2016 14:00:00 +0100"),
    "b": ("Protesters block road in Niamey",
          "NIAMEY (Sahel Wire) - Hundreds of students blocked a main road in Niamey on Monday to protest "
          "against unpaid grants, witnesses said.", "Mon, 07 Mar 2016 16:30:00 +0100"),
    "c": ("Soldiers freed after kidnapping in Mali",
          "BAMAKO (Sahel Wire) - Islamist militants released two Malian soldiers they had abducted near the "
          "town of Gao last week, the army said on Tuesday.", "Tue, 08 Mar 2016 09:10:00 +0000"),
}


def _item(key: str, *, guid: str | None = None) -> str:
    title, text, date = _ITEMS[key]
    return (f"<item><title>{title}</title><link>https://sahelwire.example/{key}</link>"
            f"<guid isPermaLink=\"false\">{guid or 'sw-' + key}</guid><pubDate>{date}</pubDate>"
            f"<description>{text}</description></item>")


def _feed(*items: str) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Wire</title>'
            + "".join(items) + "</channel></rss>").encode()


FEED_V1 = _feed(_item("b"), _item("a"))
# v2: one new item; item "a" again under a new guid but the same link (must not be ingested again)
FEED_V2 = _feed(_item("c"), _item("b"), _item("a", guid="sw-a-updated"))


class _Server:
    """A feed server on 127.0.0.1 driven by a script of responses, one per request."""

    def __init__(self) -> None:
        self.script: list[tuple] = []
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(dict(self.headers))
                action = server.script.pop(0) if server.script else ("status", 404)
                if action[0] == "drop":  # a connection error: close without answering
                    self.close_connection = True
                    return
                if action[0] == "status":
                    self.send_error(action[1])
                    return
                _, body, etag = action
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", "Tue, 08 Mar 2016 10:00:00 GMT")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Clock:
    def __init__(self) -> None:
        self.now = 1_457_000_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def pipeline(settings: Settings) -> Pipeline:
    return Pipeline(settings)


@pytest.fixture
def server() -> Iterator[_Server]:
    s = _Server()
    yield s
    s.close()


def _fetch(url: str, **kw: object) -> Fetched:
    return fetch_url(url, timeout=5.0, **kw)  # type: ignore[arg-type]


def _external_ids(store: SQLiteStore) -> list[str]:
    return sorted(r[0] for r in store.conn.execute("SELECT external_id FROM articles"))


def test_watch_ingests_new_items_once_survives_errors_and_restarts(tmp_path: Path, server: _Server,
                                                                   settings: Settings, pipeline: Pipeline) -> None:
    db = tmp_path / "w.db"
    clock = _Clock()
    server.script = [("feed", FEED_V1, '"v1"'), ("status", 500), ("drop",), ("feed", FEED_V2, '"v2"')]
    results = []
    states = []

    def on_result(r) -> None:
        results.append(r)
        states.append(feed_state(store, server.url))

    with SQLiteStore.open(db) as store:
        watch([server.url], store=store, settings=settings, every=EVERY, iterations=5, fetch=_fetch,
              sleep=clock.sleep, clock=clock, on_result=on_result, pipeline=pipeline)
        assert [r.status for r in results] == ["ok", "error", "error", "backing-off", "ok"]
        assert (results[0].items, results[0].new) == (2, 2)
        assert results[1].error.startswith("HTTP 500")
        assert "network error" in results[2].error
        assert [s.failures for s in states] == [0, 1, 2, 2, 0]
        assert states[2].last_error == results[2].error  # recorded in the store
        assert (results[4].items, results[4].new) == (3, 1)  # "a" under a new guid is known by its link
        assert states[4].etag == '"v2"' and states[4].last_error is None
        assert len(server.requests) == 4  # no request while backing off
        assert _external_ids(store) == ["sw-a", "sw-b", "sw-c"]
        (origin,) = store.conn.execute("SELECT origin FROM articles WHERE external_id='sw-c'").fetchone()
        assert origin == f"{server.url}#sw-c"
        assert store.event_count() >= 1

    # a restart: a new watcher on the same database ingests nothing twice
    server.script = [("feed", FEED_V2, '"v2"'), ("feed", FEED_V2, None)]
    results.clear()
    with SQLiteStore.open(db) as store:
        runs_before = store.conn.execute("SELECT count(*) FROM ingest_runs").fetchone()[0]
        watch([server.url], store=store, settings=settings, every=EVERY, iterations=2, fetch=_fetch,
              sleep=clock.sleep, clock=clock, on_result=results.append, pipeline=pipeline)
        assert [r.status for r in results] == ["not-modified", "ok"]
        assert server.requests[4].get("If-None-Match") == '"v2"'  # conditional GET from the stored state
        assert server.requests[4].get("If-Modified-Since") == "Tue, 08 Mar 2016 10:00:00 GMT"
        assert (results[1].items, results[1].new) == (3, 0)
        assert _external_ids(store) == ["sw-a", "sw-b", "sw-c"]
        assert store.conn.execute("SELECT count(*) FROM ingest_runs").fetchone()[0] == runs_before


def test_back_off_doubles_and_is_capped(tmp_path: Path, settings: Settings, pipeline: Pipeline) -> None:
    clock = _Clock()
    polled: list[float] = []

    def failing(url: str, **kw: object) -> Fetched:
        polled.append(clock.now)
        raise ConnectionRefusedError(111, "Connection refused")

    with SQLiteStore.open(tmp_path / "b.db") as store:
        watch(["https://down.example/feed"], store=store, settings=settings, every=60, iterations=40,
              fetch=failing, sleep=clock.sleep, clock=clock, max_backoff=600, pipeline=pipeline)
        gaps = [round(b - a) for a, b in zip(polled, polled[1:])]
        assert gaps[:5] == [60, 120, 240, 480, 600]
        assert set(gaps[4:]) == {600}
        state = feed_state(store, "https://down.example/feed")
        assert state.failures == len(polled) and "Connection refused" in state.last_error


def test_a_bad_feed_or_a_failing_fetcher_never_stops_the_watcher(tmp_path: Path, settings: Settings,
                                                                 pipeline: Pipeline) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<rss version="2.0"><channel><title>x</title><item><description>&b;</description></item>'
            b"</channel></rss>")

    def fetch(url: str, **kw: object) -> Fetched:
        if "bomb" in url:
            return Fetched(200, bomb)
        if "html" in url:
            return Fetched(200, (INPUTS / "article.html").read_bytes())
        raise RuntimeError("fetcher bug")

    results = []
    with SQLiteStore.open(tmp_path / "c.db") as store:
        watch(["https://x.example/bomb", "https://x.example/html", "https://x.example/buggy"], store=store,
              settings=settings, every=60, iterations=1, fetch=fetch, on_result=results.append,
              pipeline=pipeline)
        assert [r.status for r in results] == ["error"] * 3
        assert "entities" in results[0].error
        assert "not an RSS or Atom feed" in results[1].error
        assert "fetcher bug" in results[2].error
        assert store.article_count() == 0


def test_item_failures_are_reported_once(tmp_path: Path, settings: Settings) -> None:
    data = (INPUTS / "feed_rss2.xml").read_bytes()
    # only the picture gallery item (no text) is left once the two stories are known
    with SQLiteStore.open(tmp_path / "d.db") as store:
        from wirewatch.ingest.feeds import read_feed
        from wirewatch.ingest.watch import _mark_seen

        for raw in read_feed(data, origin="feed"):
            if hasattr(raw, "text"):
                _mark_seen(store, "feed", item_keys(raw), now=0)
        first = poll_feed("feed", store=store, settings=settings, every=60, fetch=lambda u, **k: Fetched(200, data))
        second = poll_feed("feed", store=store, settings=settings, every=60, fetch=lambda u, **k: Fetched(200, data))
        assert (first.status, first.new, [f.origin for f in first.failures]) == (
            "ok", 0, ["feed#hornwire-gallery-2021-14"])
        assert (second.status, second.new, second.failures) == ("ok", 0, [])


def test_fetch_url_reads_files_and_refuses_other_schemes(tmp_path: Path) -> None:
    path = INPUTS / "feed_atom.xml"
    assert fetch_url(str(path)).data == path.read_bytes()
    assert fetch_url(path.as_uri()).data == path.read_bytes()
    with pytest.raises(ValueError, match="scheme"):
        fetch_url("ftp://example.org/feed.xml")
    with pytest.raises(ValueError, match="limit"):
        fetch_url(str(path), max_bytes=10)


def test_ingest_raw_stores_rows_and_is_idempotent(tmp_path: Path, settings: Settings, pipeline: Pipeline) -> None:
    custom = {"text": "body", "published": "when", "title": "headline", "id": "ref", "source": "outlet"}
    with SQLiteStore.open(tmp_path / "r.db") as store:
        first = ingest_raw(read_table(INPUTS / "corpus_custom.csv", columns=custom), store=store,
                           settings=settings, pipeline=pipeline, command="ingest")
        assert (first.inputs_ok, first.articles_new, len(first.failures)) == (3, 3, 1)
        assert first.failures[0].origin.endswith("corpus_custom.csv:4")
        stored = {r[0]: r[1] for r in store.conn.execute("SELECT external_id, published FROM articles")}
        assert stored == {"BUR-101": "2016-03-21", "BUR-102": "2016-01-11", "BUR-104": "2020-03-21"}
        again = ingest_raw(read_table(INPUTS / "corpus_custom.csv", columns=custom), store=store,
                           settings=settings, pipeline=pipeline, command="ingest")
        assert (again.articles_seen, again.articles_new) == (3, 0)
        assert store.article_count() == 3


@pytest.mark.parametrize("text, seconds", [("90", 90), ("90s", 90), ("10m", 600), ("2h", 7200), ("1.5d", 129600)])
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "ten minutes", "-5m", "0"])
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_item_keys_are_guid_link_and_content_hash() -> None:
    raw = next(read_table(INPUTS / "corpus.jsonl"))
    keys = item_keys(raw)
    assert keys[:2] == ["id:2016-02-03-yemen-port-strike", "link:http://wire.example/yemen-port-strike"]
    assert keys[2].startswith("sha1:") and len(keys) == 3
    # whitespace and case do not change the content key; other text does
    respaced = dataclasses.replace(raw, text=raw.text.replace(" ", "  ").upper(), external_id=None, url=None)
    assert item_keys(respaced) == [keys[2]]
    assert item_keys(dataclasses.replace(raw, text=raw.text + "More."))[2] != keys[2]
