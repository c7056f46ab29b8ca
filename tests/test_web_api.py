"""The web API (wirewatch.web): filters, cursor paging, detail with highlighted claims, aggregates, map,
the one error shape, size limits, security headers, the FTS index triggers and SQL-injection safety.

The database is built from invented events through the store's own write path.  Other web tests
(tests/test_web_browser.py) reuse ``build_web_db``.
"""

from __future__ import annotations

import datetime as dt
import json
import hashlib
import sqlite3
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from wirewatch.errors import StoreError  # noqa: E402
from wirewatch.models import Article, Claim, Event, Evidence, Location, SourceRef  # noqa: E402
from wirewatch.store import migrations  # noqa: E402
from wirewatch.store.sqlite import SQLiteStore  # noqa: E402
from wirewatch.web import queries as web_queries  # noqa: E402
from wirewatch.web import reads as web_reads  # noqa: E402
from wirewatch.web.app import create_app  # noqa: E402

D = dt.date

SY_S1 = ("A car bomb tore through a crowded market in Azaz on Monday, killing at least 14 people, "
         "the Syrian Observatory for Human Rights said.")
SY_S2 = "State television said 9 people had died and blamed militants."
SY_BODY = SY_S1 + " " + SY_S2
IQ_BODY = ("Iraqi troops fought Islamic State fighters on the western edge of Mosul on Saturday; "
           "three soldiers were killed, an army officer said.")
XSS_HEADLINE = "<script>alert(1)</script> Gunmen raid village"
XSS_BODY = "Witnesses said <img src=x onerror=alert(1)> gunmen attacked a village near Maiduguri, killing 4 people."
XSS_ACTOR = "<b>Gunmen</b><script>alert(2)</script>"


def _article(aid: str, headline: str, body: str, published: dt.date, *, url: str | None = None) -> Article:
    return Article(id=aid, text=headline + "\n\n" + body, body=body, body_start=len(headline) + 2,
                   headline=headline, agency="Reuters", published=published, published_basis="metadata",
                   url=url, origin="test")


def _claim(article: Article, figure: str, *, low: int | None, high: int | None, source: str,
           qualifier: str | None = None, quantity: str = "killed") -> Claim:
    start = article.body.index(figure)
    return Claim(quantity, low, high, qualifier, figure, source, article.id, start, start + len(figure),
                 article.published)


def _evidence(article: Article, sentence: str) -> Evidence:
    start = article.body.index(sentence)
    return Evidence(article.id, sentence, start, start + len(sentence))


def _src(a: Article) -> SourceRef:
    return SourceRef(a.id, None, a.headline, a.agency, a.published, a.url)


def _event(eid: str, etype: str, sub: str, date: dt.date | None, loc: Location | None, **kw) -> Event:
    return Event(id=eid, event_type=etype, sub_event_type=sub, event_date=date, date_start=date, date_end=date,
                 time_precision=1 if date else None, location=loc, **kw)


def build_web_db(path: Path, *, fillers: int = 120) -> dict[str, Article]:
    """:func:`fill_web_store` in a new SQLite database at ``path``."""
    with SQLiteStore.open(path) as store:
        return fill_web_store(store, fillers=fillers)


def fill_web_store(store, *, fillers: int = 120) -> dict[str, Article]:
    """A small database: a Syrian bombing with two conflicting tolls from two sources, an Iraqi battle,
    a Nigerian protest, a Fijian riot (near the antimeridian), an undated event, an article and event
    full of HTML/script payloads, and ``fillers`` plain events for paging."""
    sy = _article("art-sy", "Car bomb hits market town in northern Syria", SY_BODY, D(2023, 3, 6),
                  url="https://example.org/sy")
    iq = _article("art-iq", "Clashes on the edge of Mosul", IQ_BODY, D(2023, 3, 5),
                  url="javascript:alert(3)")
    xss = _article("art-xss", XSS_HEADLINE, XSS_BODY, D(2023, 3, 2))
    filler = _article("art-filler", "Weekly roundup", "Routine patrols were reported across the region.",
                      D(2023, 2, 1))
    c_sohr = _claim(sy, "at least 14 people", low=14, high=None, qualifier="at least",
                    source="Syrian Observatory for Human Rights")
    c_state = _claim(sy, "9 people", low=9, high=9, source="state media")
    events = [
        _event("ev-sy", "Explosions/Remote violence", "Remote explosive/landmine/IED", D(2023, 3, 6),
               Location("Azaz", "Syria", "SY", "Aleppo", "Azaz", 36.586, 37.046, 170017, 1),
               actor1="Unidentified Armed Group", actor2="Civilians", fatalities=9, fatalities_low=9,
               fatalities_best=14, fatalities_high=14, claims=[c_sohr, c_state], sources=[_src(sy)],
               evidence=[_evidence(sy, SY_S1), _evidence(sy, SY_S2)],
               notes="A car bomb killed between 9 and 14 people at a market in Azaz."),
        _event("ev-iq", "Battles", "Armed clash", D(2023, 3, 4),
               Location("Mosul", "Iraq", "IQ", "Nineveh", None, 36.34, 43.13, 99072, 2),
               actor1="Military Forces of Iraq", actor2="Islamic State", fatalities=3, fatalities_low=3,
               fatalities_best=3, fatalities_high=3,
               claims=[_claim(iq, "three soldiers", low=3, high=3, source="army officer")],
               sources=[_src(iq)], evidence=[_evidence(iq, IQ_BODY)],
               notes="Iraqi troops and Islamic State fighters clashed west of Mosul."),
        _event("ev-ng", "Protests", "Peaceful protest", D(2023, 3, 5),
               Location("Lagos", "Nigeria", "NG", "Lagos", None, 6.45, 3.39, 2332453, 3),
               actor1="Protesters", fatalities=0, sources=[_src(filler)],
               notes="Traders marched against fuel prices in Lagos."),
        _event("ev-fj", "Riots", "Mob violence", D(2023, 3, 3),
               Location("Suva", "Fiji", "FJ", "Central", None, -18.14, 178.44, 2198148, 1),
               actor1="Rioters", fatalities=1, sources=[_src(filler)], notes="A crowd burned shops in Suva."),
        _event("ev-undated", "Strategic developments", "Other", None, None, actor1="Islamic State",
               sources=[_src(filler)], notes="The group announced a new commander."),
        _event("ev-xss", "Violence against civilians", "Attack", D(2023, 3, 2),
               Location("Maiduguri", "Nigeria", "NG", "Borno", None, 11.85, 13.16, 2331447, 1),
               actor1=XSS_ACTOR, actor2="Civilians", fatalities=4, fatalities_low=4, fatalities_best=4,
               fatalities_high=4, claims=[_claim(xss, "4 people", low=4, high=4, source="<i>witnesses</i>")],
               sources=[_src(xss)], evidence=[_evidence(xss, XSS_BODY)],
               notes="Raid reported: <img src=x onerror=alert(1)> <script>alert(1)</script>"),
    ]
    for i in range(fillers):
        cc, lat, lon = (("KE", -1.29, 36.82), ("SO", 2.04, 45.34))[i % 2]
        day = D(2023, 1, 1) + dt.timedelta(days=i // 3)  # three events a day: ties broken by id
        events.append(_event(f"ev-f{i:03d}", "Battles", "Armed clash", day,
                             Location("Filler Town", "Kenya" if cc == "KE" else "Somalia", cc, "Filler Region",
                                      None, lat + i * 0.001, lon, None, 1),
                             actor1="Al Shabaab", fatalities=i % 5, sources=[_src(filler)],
                             notes="Routine patrol contact."))
    for a in (sy, iq, xss, filler):
        store.add_article(a, [], run_id=None)
    store.replace_events(events, run_id=None, history=[("ev-sy", ["art-sy"], [{"field": "created"}])])
    return {a.id: a for a in (sy, iq, xss, filler)}


@pytest.fixture(scope="module")
def web_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "web.db"
    build_web_db(path)
    return path


@pytest.fixture(scope="module")
def client(web_db) -> TestClient:
    return TestClient(create_app(str(web_db)), raise_server_exceptions=False)


def _ids(client: TestClient, **params) -> list[str]:
    r = client.get("/api/events", params={"limit": 500, **params})
    assert r.status_code == 200, r.text
    return [e["id"] for e in r.json()["events"]]


def assert_error_shape(r, status: int) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str) and body["error"]
    assert set(body) <= {"ok", "error", "status", "problems"}


# -- filters -----------------------------------------------------------------------------------------
def test_each_filter_selects_exactly_the_matching_events(client):
    assert set(_ids(client, country="SY")) == {"ev-sy"}
    assert set(_ids(client, country="ng")) == {"ev-ng", "ev-xss"}
    assert set(_ids(client, admin1="Nineveh")) == {"ev-iq"}
    assert set(_ids(client, event_type="Protests")) == {"ev-ng"}
    assert set(_ids(client, sub_event_type="Mob violence")) == {"ev-fj"}
    assert set(_ids(client, actor="islamic state")) == {"ev-iq", "ev-undated"}, "actor matches any role, any case"
    assert set(_ids(client, actor=XSS_ACTOR)) == {"ev-xss"}
    assert set(_ids(client, min_fatalities=5)) == {"ev-sy"}
    assert set(_ids(client, date_from="2023-03-03", date_to="2023-03-05")) == {"ev-iq", "ev-ng", "ev-fj"}
    assert set(_ids(client, q="observatory")) == {"ev-sy"}, "evidence text is searched"
    assert set(_ids(client, q="fuel prices")) == {"ev-ng"}, "notes are searched"
    assert set(_ids(client, q="Azaz market")) == {"ev-sy"}, "all words must occur"
    assert _ids(client, q='"unbalanced AND (') == [], "FTS syntax in the text is not interpreted"
    assert set(_ids(client, bbox="35,35,45,38")) == {"ev-sy", "ev-iq"}
    assert set(_ids(client, bbox="170,-30,-170,0")) == {"ev-fj"}, "a bbox may cross the antimeridian"
    assert set(_ids(client, country="NG", min_fatalities=1)) == {"ev-xss"}, "filters combine with AND"


def test_broad_and_narrow_query_plans_give_the_same_answers(web_db, monkeypatch):
    cases = [{"actor": "Al Shabaab"}, {"q": "routine"}, {"bbox": "30,-5,50,5"}, {"actor": "Al Shabaab", "q": "patrol"}]
    sql = TestClient(create_app(str(web_db), columns=False, page_cache_size=0))  # the SQL plans, nothing cached
    narrow = {i: _ids(sql, **c) for i, c in enumerate(cases)}
    monkeypatch.setattr(web_queries, "WALK_THRESHOLD", 0)
    walked = {i: _ids(sql, **c) for i, c in enumerate(cases)}
    assert walked == narrow
    assert len(narrow[0]) == 120


# -- paging --------------------------------------------------------------------------------------------
def test_cursor_paging_walks_every_event_once_in_a_stable_order(client):
    full = client.get("/api/events", params={"limit": 500, "count": "true"}).json()
    assert full["count"] == len(full["events"]) == 126
    expected = [e["id"] for e in full["events"]]
    keys = [(e["event_date"] or "", e["id"]) for e in full["events"]]
    assert keys == sorted(keys, reverse=True), "newest first, ties by id, undated last"
    assert expected[-1] == "ev-undated"
    seen, cursor = [], None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/events", params=params).json()
        assert len(body["events"]) <= 7
        seen += [e["id"] for e in body["events"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    filtered = []
    cursor = None
    while True:
        params = {"limit": 10, "country": "KE", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/events", params=params).json()
        filtered += [e["id"] for e in body["events"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert filtered == [i for i in expected if i[4:].isdigit() and int(i[4:]) % 2 == 0]


def test_articles_are_listed_with_paging_and_shown_with_their_events(client):
    first = client.get("/api/articles", params={"limit": 3}).json()
    assert [a["id"] for a in first["articles"]] == ["art-sy", "art-iq", "art-xss"]
    rest = client.get("/api/articles", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [a["id"] for a in rest["articles"]] == ["art-filler"] and rest["next_cursor"] is None
    one = client.get("/api/articles/art-sy").json()["article"]
    assert one["body"] == SY_BODY and one["events"] == ["ev-sy"]


# -- one event -----------------------------------------------------------------------------------------
def test_event_detail_has_claims_sources_and_highlighted_figures(client):
    r = client.get("/api/events/ev-sy")
    assert r.status_code == 200
    ev = r.json()["event"]
    assert [c["source"] for c in ev["claims"]] == ["Syrian Observatory for Human Rights", "state media"]
    assert ev["sources"][0]["headline"] == "Car bomb hits market town in northern Syria"
    assert ev["history"][0]["changes"] == [{"field": "created"}]
    marks = []
    for evidence in ev["evidence"]:
        for h in evidence["highlights"]:
            marks.append((evidence["text"][h["start"]:h["end"]], h["source"], h["claim"]))
    assert marks == [("at least 14 people", "Syrian Observatory for Human Rights", 0), ("9 people", "state media", 1)]


def test_highlights_fall_back_to_searching_when_offsets_do_not_line_up():
    evidence = {"article_id": "a", "text": "Officials said 5 people died.", "start": 100, "end": 129}
    claims = [{"article_id": "a", "text": "5 people", "start": 3, "end": 11, "quantity": "killed", "source": "x"},
              {"article_id": "b", "text": "5 people", "start": 115, "end": 123, "quantity": "killed", "source": "y"}]
    assert web_reads.highlights(evidence, claims) == [
        {"start": 15, "end": 23, "claim": 0, "quantity": "killed", "source": "x"}]


# -- aggregates, map, meta ------------------------------------------------------------------------------
def test_aggregates_count_events_and_fatalities(client):
    by_country = {b["key"]: b for b in client.get("/api/aggregates", params={"by": "country"}).json()["buckets"]}
    assert by_country["NG"]["events"] == 2 and by_country["NG"]["fatalities"] == 4
    assert by_country["KE"]["events"] == 60
    by_day = client.get("/api/aggregates", params={"by": "day", "date_from": "2023-03-01"}).json()["buckets"]
    assert [b["key"] for b in by_day] == ["2023-03-02", "2023-03-03", "2023-03-04", "2023-03-05", "2023-03-06"]
    by_type = client.get("/api/aggregates", params={"by": "type", "country": "SY"}).json()["buckets"]
    assert by_type == [{"key": "Explosions/Remote violence", "events": 1, "fatalities": 9}]


def test_map_returns_points_or_grid_clusters_never_everything(client):
    pts = client.get("/api/map", params={"bbox": "30,30,50,40"}).json()
    assert pts["mode"] == "points"
    assert {p["id"]: p["geo_precision"] for p in pts["points"]} == {"ev-sy": 1, "ev-iq": 2}
    many = client.get("/api/map", params={"max_points": 10}).json()
    assert many["mode"] == "clusters"
    assert sum(c["count"] for c in many["clusters"]) == 125, "every located event is in one cluster"
    assert len(many["clusters"]) < 125


def test_meta_lists_filter_values(client):
    meta = client.get("/api/meta").json()
    assert meta["events"] == 126 and meta["articles"] == 4 and meta["text_search"] is True
    assert {"code": "SY", "name": "Syria", "events": 1} in meta["countries"]
    assert {"name": "Islamic State", "events": 2} in meta["actors"]
    assert meta["tile_url"] is None


# -- errors, limits, headers -------------------------------------------------------------------------------
def test_every_error_has_the_one_json_shape(client, web_db, monkeypatch):
    assert_error_shape(client.get("/api/no-such-thing"), 404)
    assert_error_shape(client.get("/api/events/no-such-event"), 404)
    assert_error_shape(client.get("/api/articles/no-such-article"), 404)
    assert_error_shape(client.post("/api/events"), 405)
    assert_error_shape(client.delete("/api/events/ev-sy"), 405)
    assert_error_shape(client.get("/api/events", params={"limit": 501}), 422)
    assert_error_shape(client.get("/api/events", params={"limit": 0}), 422)
    assert_error_shape(client.get("/api/events", params={"date_from": "March 3"}), 422)
    assert_error_shape(client.get("/api/events", params={"event_type": "Picnic"}), 422)
    assert_error_shape(client.get("/api/events", params={"cursor": "bm90IGEgY3Vyc29y"}), 422)
    assert_error_shape(client.get("/api/events", params={"bbox": "1,2,3"}), 422)
    assert_error_shape(client.get("/api/events", params={"bbox": "0,80,10,-80"}), 422)
    assert_error_shape(client.get("/api/events", params={"bbox": "nan,0,1,1"}), 422)
    assert_error_shape(client.get("/api/aggregates", params={"by": "weather"}), 422)
    assert_error_shape(client.get("/api/map", params={"max_points": 100_000}), 422)
    assert_error_shape(client.get("/api/events", params={"q": "x" * 5000}), 414)
    assert_error_shape(client.get("/api/events", headers={"content-length": str(10**6)}), 413)

    def boom(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(web_queries.Queries, "meta", boom)
    fresh = TestClient(create_app(str(web_db)), raise_server_exceptions=False)
    r = fresh.get("/api/meta")
    assert_error_shape(r, 500)
    assert "disk on fire" not in r.text, "internal details stay in the log"


def test_security_headers_forbid_inline_script(client):
    for url in ("/", "/api/meta", "/api/nope", "/static/dashboard.js"):
        csp = client.get(url).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    html = client.get("/").text
    assert "<script>" not in html and "onclick" not in html and " style=" not in html
    assert "GeoNames" in html and "CC BY 4.0" in html


def test_openapi_documents_every_api_route(client):
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    for route in ("/api/events", "/api/events/{event_id}", "/api/map", "/api/aggregates", "/api/meta",
                  "/api/articles", "/api/articles/{article_id}"):
        assert paths[route]["get"]["summary"], route
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor", "min_fatalities",
            "q", "bbox", "limit", "cursor"} <= params


def test_static_assets_are_vendored_with_licences():
    static = Path(create_app.__code__.co_filename).parent / "static"
    for rel in ("vendor/leaflet/leaflet.js", "vendor/leaflet/LICENSE", "vendor/leaflet.markercluster/MIT-LICENCE.txt",
                "vendor/leaflet.markercluster/leaflet.markercluster.js", "vendor/topojson-client/LICENSE",
                "vendor/world-atlas/countries-110m.json", "vendor/world-atlas/LICENSE", "dashboard.js"):
        assert (static / rel).is_file(), rel
    js = (static / "dashboard.js").read_text()
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js
    assert sum(f.stat().st_size for f in (static / "vendor/world-atlas").iterdir()) < 1_000_000


# -- store integration --------------------------------------------------------------------------------------
def test_text_index_follows_replace_events(tmp_path):
    path = tmp_path / "fts.db"
    build_web_db(path, fillers=0)
    with SQLiteStore.open(path) as store:
        events = list(store.events())
        for ev in events:
            if ev.id == "ev-ng":
                ev.notes = "Farmers blocked a highway near Lagos."
        store.replace_events([e for e in events if e.id != "ev-iq"], run_id=None, history=[])
        n_fts = store.conn.execute("SELECT count(*) FROM events_fts").fetchone()[0]
        n_actors = store.conn.execute("SELECT count(DISTINCT event_rowid) FROM event_actors").fetchone()[0]
    assert n_fts == len(events) - 1 and n_actors == len(events) - 1
    c = TestClient(create_app(str(path)))
    assert _ids(c, q="highway") == ["ev-ng"]
    assert _ids(c, q="fuel") == []
    assert _ids(c, q="Mosul") == [] and _ids(c, actor="Military Forces of Iraq") == []


def test_web_migration_indexes_events_already_stored(tmp_path):
    path = tmp_path / "old.db"
    build_web_db(path, fillers=3)
    conn = sqlite3.connect(path)
    for name in ("events_web_insert", "events_web_delete", "events_web_update"):
        conn.execute(f"DROP TRIGGER {name}")
    for table in ("events_fts", "event_actors"):
        conn.execute(f"DROP TABLE {table}")
    for index in ("events_page", "events_country_page", "events_type_page", "events_fatalities", "events_lonlat"):
        conn.execute(f"DROP INDEX IF EXISTS {index}")  # (0004_web_items replaced events_lonlat)
    conn.execute("DELETE FROM schema_migrations WHERE name = '0002_web_search'")
    assert conn.execute("SELECT count(*) FROM event_summary").fetchone()[0] == 9
    conn.commit()
    ro = TestClient(create_app(str(path)))  # read-only on an old schema: works, searching slowly
    assert ro.get("/api/meta").json()["text_search"] is False
    assert _ids(ro, q="fuel prices") == ["ev-ng"] and _ids(ro, actor="Protesters") == ["ev-ng"]
    conn.close()
    rw = TestClient(create_app(str(path), readonly=False))  # read-write: pending migrations applied at start
    assert rw.get("/api/meta").json()["text_search"] is True
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM events_fts").fetchone()[0] == 9
    assert migrations.apply(conn) == []
    conn.close()
    assert _ids(rw, q="observatory") == ["ev-sy"]


def test_readonly_app_never_writes_and_missing_db_is_a_store_error(tmp_path, web_db):
    def digest() -> str:
        return hashlib.sha256(web_db.read_bytes()).hexdigest()

    before = digest()
    c = TestClient(create_app(str(web_db)))
    c.get("/api/events", params={"q": "bomb"})
    c.get("/api/meta")
    assert digest() == before
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "absent.db"))
    import inspect

    from wirewatch.web.app import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


# -- SQL injection ----------------------------------------------------------------------------------------------
INJECTIONS = [
    "' OR '1'='1", "'; DROP TABLE events; --", "\" OR 1=1 --", "SY' --", "1; DELETE FROM events",
    "') UNION SELECT record, record FROM articles --", "%' OR 1=1 OR '%'='", "\\", "ev-sy' OR 'a'='a",
    "NEAR(a b)", "*", "events_fts MATCH '*'", "0x27", "\x00", "ñ' OR ñ=ñ", "1e999", "-1", "2023-03-01' OR '1'='1",
]
FILTERS = ["date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor", "min_fatalities",
           "q", "bbox", "cursor", "limit"]


def test_sql_injection_strings_are_just_values(client, web_db):
    with SQLiteStore.open(web_db, readonly=True) as store:
        n_before = store.event_count()
    for payload in INJECTIONS:
        for name in FILTERS:
            for path in ("/api/events", "/api/aggregates", "/api/map"):
                if name == "cursor" and path != "/api/events":
                    continue
                r = client.get(path, params={name: payload})
                if r.status_code == 200:
                    body = r.json()
                    assert body["ok"] is True
                    if path == "/api/events" and name in ("country", "admin1", "actor"):
                        assert body["events"] == [], (name, payload)
                else:
                    assert 400 <= r.status_code < 500, (name, payload, r.text)
                    assert_error_shape(r, r.status_code)
        for path in ("/api/events/", "/api/articles/"):
            r = client.get(path + quote(payload, safe=""))
            assert r.status_code in (404, 422), (path, payload, r.text)
            assert_error_shape(r, r.status_code)
        r = client.get("/api/articles", params={"cursor": payload})
        assert_error_shape(r, 422)
    with SQLiteStore.open(web_db, readonly=True) as store:
        assert store.event_count() == n_before
        assert store.integrity_ok()
        assert store.conn.execute("SELECT count(*) FROM events_fts").fetchone()[0] == n_before


def test_cached_results_are_dropped_when_the_database_changes(tmp_path):
    path = tmp_path / "cache.db"
    build_web_db(path, fillers=2)
    c = TestClient(create_app(str(path)))
    assert _ids(c, country="IQ") == ["ev-iq"]
    assert c.get("/api/meta").json()["events"] == 8
    assert c.get("/api/aggregates", params={"by": "country", "country": "IQ"}).json()["buckets"][0]["events"] == 1
    with SQLiteStore.open(path) as store:
        store.replace_events([e for e in store.events() if e.id != "ev-iq"], run_id=None, history=[])
    assert _ids(c, country="IQ") == []
    assert c.get("/api/meta").json()["events"] == 7
    assert c.get("/api/aggregates", params={"by": "country", "country": "IQ"}).json()["buckets"] == []


def test_map_clusters_keep_small_cells_apart(client):
    # the 60 Kenyan fillers lie on a line 0.118 degrees long: a 0.5-degree box cut into 14 cells separates them
    body = client.get("/api/map", params={"bbox": "36.80,-1.5,37.30,-1.0", "country": "KE", "max_points": 5}).json()
    assert body["mode"] == "clusters" and body["cell_degrees"] < 0.05
    assert sum(c["count"] for c in body["clusters"]) == 60 and len(body["clusters"]) >= 3


# -- the hot path: fastpath, stored items, per-version caches -----------------------------------------------------
from wirewatch.web.fastpath import parse_events_query  # noqa: E402

FAST_QUERIES = [
    "", "limit=7", "country=SY", "country=ng&min_fatalities=1", "admin1=Nineveh", "event_type=Protests",
    "sub_event_type=Mob+violence", "actor=islamic+state", "q=observatory", "q=Azaz+market", "bbox=170,-30,-170,0",
    "date_from=2023-03-03&date_to=2023-03-05", "count=true&country=KE&limit=10", "count=0", "unknown=1&country=SY",
    "q=%22unbalanced+AND+(", "actor=%3Cb%3EGunmen%3C%2Fb%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E",
    "cursor=bm90IGEgY3Vyc29y",  # parsed, but its QueryError at rendering hands it to FastAPI (422)
]
# Valid or not, these are left to FastAPI (the fast path cannot vouch for them) and must answer the same.
SLOW_QUERIES = [
    "limit=050", "limit=+5", "count=yes", "country=", "country=SY&country=IQ", "date_from=2023-3-3",
    "date_from=2023-03-03T00:00:00", "min_fatalities=-1", "limit=501", "limit=0", "event_type=Picnic",
    "bbox=1,2,3", "q=" + "x" * 201, "bbox=", "cursor=",
]


def test_fast_path_answers_exactly_as_the_fastapi_route(web_db):
    app = create_app(str(web_db))
    fastapi_only = TestClient(app.app.app, raise_server_exceptions=False)  # _Guard -> EventsFastPath -> FastAPI
    assert type(app.app).__name__ == "EventsFastPath"
    full = TestClient(app, raise_server_exceptions=False)
    for query in FAST_QUERIES:
        assert parse_events_query(query.encode(), max_page_size=500) is not None, query
    for query in SLOW_QUERIES:
        assert parse_events_query(query.encode(), max_page_size=500) is None, query
    for query in FAST_QUERIES + SLOW_QUERIES:
        a, b = full.get("/api/events?" + query), fastapi_only.get("/api/events?" + query)
        assert (a.status_code, a.headers["content-type"]) == (b.status_code, b.headers["content-type"]), query
        assert a.json() == b.json(), query
        if a.status_code == 200:
            assert a.content == b.content, query
    page = full.get("/api/events?limit=3").json()
    nxt = full.get("/api/events", params={"limit": 3, "cursor": page["next_cursor"]})
    assert nxt.content == fastapi_only.get("/api/events", params={"limit": 3, "cursor": page["next_cursor"]}).content
    assert "content-security-policy" in full.get("/api/events?country=SY").headers, "fast answers get the headers too"


def test_stored_list_items_encode_exactly_like_the_rows(tmp_path):
    from wirewatch.web.queries import _SUMMARY_COLUMNS, _SUMMARY_KEYS, encode_json

    path = tmp_path / "items.db"
    build_web_db(path, fillers=3)
    odd = _event("ev-odd", "Battles", "Armed clash", D(2023, 3, 1),
                 Location("Quote \"Town\"\n", "Syria", "SY", None, None, 0.1 + 0.2, 12345678.123456789, None, 2),
                 actor1="Line\u2028separator \\ actor", fatalities=None, notes=None)
    with SQLiteStore.open(path) as store:
        store.replace_events([*store.events(), odd], run_id=None, history=[])
        rows = store.conn.execute(f"SELECT {_SUMMARY_COLUMNS}, s.item FROM events AS e"
                                  " JOIN event_summary AS s ON s.event_rowid = e.rowid").fetchall()
    assert len(rows) == 10
    for row in rows:
        assert row[-1] == encode_json(dict(zip(_SUMMARY_KEYS, row[:-1]))), row[0]


def test_web_items_migration_fills_events_already_stored(tmp_path, monkeypatch):
    from wirewatch.web.queries import Queries

    path = tmp_path / "pre0004.db"
    before = [m for m in migrations.MIGRATIONS if m[0] != "0004_web_items"]
    monkeypatch.setattr(migrations, "MIGRATIONS", before)
    build_web_db(path, fillers=3)
    conn = sqlite3.connect(path)
    assert not Queries(conn).has_items
    old = TestClient(create_app(str(path)))  # read-only, no items: rows are encoded per request
    old_body = old.get("/api/events", params={"limit": 50}).content
    monkeypatch.undo()
    assert migrations.apply(conn) == ["0004_web_items"]
    assert Queries(conn).has_items
    assert conn.execute("SELECT count(*) FROM event_summary WHERE item IS NULL").fetchone()[0] == 0
    conn.close()
    assert TestClient(create_app(str(path))).get("/api/events", params={"limit": 50}).content == old_body


def test_counts_and_walked_plans_with_match_tables_agree(web_db, monkeypatch):
    cases = [{}, {"actor": "Al Shabaab"}, {"q": "routine"}, {"q": "patrol", "country": "KE"},
             {"actor": "al shabaab", "q": "patrol", "country": "SO"}, {"bbox": "30,-5,50,5"}, {"min_fatalities": 3},
             {"sub_event_type": "Armed clash", "date_from": "2023-01-10"}, {"admin1": "Filler Region"}]
    for walk_threshold in (2000, 0):
        monkeypatch.setattr(web_queries, "WALK_THRESHOLD", walk_threshold)
        client = TestClient(create_app(str(web_db), columns=False))  # the SQL plans, nothing cached from others
        one = web_queries.Queries(sqlite3.connect(f"file:{web_db}?mode=ro", uri=True))
        for case in cases:
            ids = _ids(client, **case)
            paged, cursor = [], None
            while True:
                more = {"cursor": cursor} if cursor else {}
                body = client.get("/api/events", params={**case, "limit": 4, **more}).json()
                paged += [e["id"] for e in body["events"]]
                cursor = body["next_cursor"]
                if not cursor:
                    break
            assert paged == ids, (walk_threshold, case)
            assert client.get("/api/events", params={**case, "count": "true"}).json()["count"] == len(ids), case
            # one long-lived connection, as a server thread has: the first use of a broad value runs the plain
            # plan, the next ones probe a temp table of its matches; the answers never change
            flt = parse_events_query(urlencode(case).encode(), max_page_size=500).flt
            for _ in range(3):
                assert [json.loads(i)["id"] for i in one.events_json(flt, limit=500).items] == ids, case
                assert one.count(flt) == len(ids), case


def test_every_cache_is_dropped_when_ingest_writes(tmp_path, monkeypatch):
    """Pages, counts, plan estimates and temp tables of matches all belong to one data version: after a
    write (which renumbers every event row) the same requests see the new data."""
    monkeypatch.setattr(web_queries, "WALK_THRESHOLD", 0)  # every actor/text filter uses a temp match table
    path = tmp_path / "versions.db"
    build_web_db(path, fillers=6)
    c = TestClient(create_app(str(path)))
    probes = [{"q": "patrol"}, {"actor": "Al Shabaab"}, {"q": "patrol", "country": "KE"}, {"country": "SO"}]
    before = {i: c.get("/api/events", params={**p, "count": "true", "limit": 100}).json() for i, p in enumerate(probes)}
    assert [b["count"] for b in before.values()] == [6, 6, 3, 3]
    with SQLiteStore.open(path) as store:
        events = [e for e in store.events() if e.id not in ("ev-f000", "ev-f001")]
        for e in events:
            if e.id == "ev-sy":
                e.notes = "A patrol was ambushed near Azaz."
        store.replace_events(list(reversed(events)), run_id=None, history=[])
    after = {i: c.get("/api/events", params={**p, "count": "true", "limit": 100}).json() for i, p in enumerate(probes)}
    assert [a["count"] for a in after.values()] == [5, 4, 2, 2]
    assert "ev-sy" in [e["id"] for e in after[0]["events"]]
    for a in after.values():
        assert a["count"] == len(a["events"]) and not {"ev-f000", "ev-f001"} & {e["id"] for e in a["events"]}


def test_one_connection_drops_its_match_tables_when_the_data_change(tmp_path, monkeypatch):
    """The per-connection state (plan estimates, temp tables of matching rows) of a long-lived connection,
    as a server thread keeps it: a write renumbers every event row, and the next query must not use the
    old numbers."""
    from wirewatch.filters import EventFilter
    from wirewatch.web.queries import Queries

    monkeypatch.setattr(web_queries, "WALK_THRESHOLD", 0)
    path = tmp_path / "conn.db"
    build_web_db(path, fillers=6)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    q = Queries(conn)
    flt = EventFilter(q="patrol", country="KE")

    def ids() -> list[str]:
        return [json.loads(item)["id"] for item in q.events_json(flt, limit=50).items]

    assert ids() == ["ev-f004", "ev-f002", "ev-f000"] and q.count(flt) == 3
    assert conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] >= 1, "a match table was made"
    with SQLiteStore.open(path) as store:  # the fillers first: none keeps its old row number
        events = sorted((e for e in store.events() if e.id != "ev-f002"), key=lambda e: (e.id[:4] != "ev-f", e.id))
        store.replace_events(events, run_id=None, history=[])
    assert ids() == ["ev-f004", "ev-f000"] and q.count(flt) == 2


def test_a_cursor_bounds_the_index_range_so_deep_pages_stay_cheap(web_db):
    # a row-value comparison alone bounds no index range: a page deep in the list scanned every key above it
    conn = sqlite3.connect(f"file:{web_db}?mode=ro", uri=True)
    q = web_queries.Queries(conn)
    cursor = web_queries.encode_cursor("2023-02-01", "ev-f050")
    for flt, index in ((web_queries.EventFilter(), "events_page (<expr><?)"),
                       (web_queries.EventFilter(country="KE"), "events_country_page (country_code=? AND <expr><?)")):
        sql, params = q._page_sql(flt, "e.id", cursor, walk=frozenset(), tables={})
        plan = " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", [*params, 11]))
        assert index in plan, plan
        keys = conn.execute("SELECT ifnull(event_date, ''), id FROM events WHERE ifnull(country_code, '') LIKE ?",
                            (flt.country or "%",)).fetchall()
        below = sorted((k for k in keys if k < ("2023-02-01", "ev-f050")), reverse=True)[:11]
        assert [row[0] for row in conn.execute(sql, [*params, 11])] == [eid for _, eid in below] != []
