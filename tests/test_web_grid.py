"""Map boxes read off the 1-degree grid index (0006_web_indexes, ``Queries._grid``): the cells a box touches,
and pages, cursors and counts identical to the plans without the grid, for boxes anywhere (across the
antimeridian, at the poles, on cell edges) with or without other filters.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from wirewatch.models import Event, Location, SourceRef
from wirewatch.store.sqlite import SQLiteStore
from wirewatch.filters import EventFilter, parse_bbox
from wirewatch.web.queries import GRID_MAX_CELLS, Queries, grid_cells

CELL = "CAST(latitude + 90 AS INTEGER) * 361 + CAST(longitude + 180 AS INTEGER)"


def _events(n: int, *, seed: int = 3) -> list[Event]:
    """Invented events: clusters, scattered points, points on cell edges, the poles and the antimeridian,
    and some without a place or a date."""
    rng = random.Random(seed)
    edges = [(0.0, 0.0), (-90.0, -180.0), (90.0, 180.0), (45.0, 180.0), (-45.0, -180.0), (12.0, 34.0),
             (-12.0, -34.0), (89.999, 179.999), (0.5, 179.5), (0.5, -179.5)]
    src = SourceRef("art-1", None, "Invented report", "Bench", dt.date(2023, 1, 1), None)
    out = []
    for i in range(n):
        if i < len(edges):
            lat, lon = edges[i]
        elif i % 3 == 0:
            lat, lon = rng.gauss(34.0, 2.0), rng.gauss(40.0, 2.0)
        else:
            lat, lon = rng.uniform(-90, 90), rng.uniform(-180, 180)
        located = i % 17 != 5
        day = None if i % 23 == 7 else dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(60))
        loc = Location("Somewhere", "Testland", rng.choice(("SY", "IQ", "FJ")), None, None,
                       round(max(-90.0, min(90.0, lat)), 4), round(max(-180.0, min(180.0, lon)), 4), None, 1) \
            if located else None
        out.append(Event(id=f"ev{i:04d}", event_type=rng.choice(("Battles", "Riots")), sub_event_type="Other",
                         event_date=day, date_start=day, date_end=day, time_precision=1 if day else None,
                         location=loc, fatalities=rng.choice((0, 0, 1, 3)), sources=[src], notes="Invented."))
    return out


@pytest.fixture(scope="module")
def grid_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("grid") / "grid.db"
    with SQLiteStore.open(path) as store:
        store.replace_events(_events(400), run_id=None, history=[])
    return path


@pytest.fixture(scope="module")
def plans(grid_db) -> tuple[Queries, Queries]:
    """The same database through the grid plan and through the plans without it."""
    conn = sqlite3.connect(f"file:{grid_db}?mode=ro", uri=True, check_same_thread=False)
    grid, plain = Queries(conn), Queries(conn)
    assert grid.has_grid, "0006_web_indexes creates the index"
    plain.has_grid = False
    return grid, plain


def test_grid_cells_cover_exactly_the_cells_of_events_in_the_box(grid_db):
    conn = sqlite3.connect(grid_db)
    for bbox in [(30.0, 30.0, 40.5, 38.0), (179.0, -1.0, -179.0, 1.0), (-180.0, 89.0, 180.0, 90.0),
                 (33.9, 11.9, 34.1, 12.1), (0.0, 0.0, 0.0, 0.0)]:
        w, s, e, n = bbox
        lon = "longitude BETWEEN ? AND ?" if w <= e else "(longitude >= ? OR longitude <= ?)"
        inside = {r[0] for r in conn.execute(
            f"SELECT {CELL} FROM events WHERE latitude BETWEEN ? AND ? AND {lon}", (s, n, w, e))}
        cells = grid_cells(bbox)
        assert inside <= set(cells), bbox
        assert len(cells) == len(set(cells)), "no cell twice"
    assert grid_cells((10.2, 20.7, 11.9, 20.9)) == [110 * 361 + 190, 110 * 361 + 191]
    assert grid_cells((179.5, 0.0, -179.5, 0.5)) == [90 * 361 + 359, 90 * 361 + 360, 90 * 361 + 0]


def test_grid_index_serves_small_boxes_only(plans):
    grid, _ = plans
    assert grid.explain(EventFilter(bbox=(35.0, 32.0, 38.0, 35.0)))[0] == "grid: 16 cells"
    assert any("events_grid_page" in step for step in grid.explain(EventFilter(bbox=(35.0, 32.0, 38.0, 35.0))))
    big = EventFilter(bbox=(0.0, 0.0, 20.0, 20.0))
    assert len(grid_cells(big.bbox)) > GRID_MAX_CELLS and not grid.explain(big)[0].startswith("grid")
    assert grid._grid(EventFilter(bbox=(35.0, 32.0, 38.0, 35.0), q="invented")) is None  # text: other plans


def _walk(q: Queries, flt: EventFilter, limit: int) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = q.events_json(flt, limit=limit, cursor=cursor)
        pages.append(page.items)
        cursor = page.next_cursor
        if cursor is None or len(pages) > 60:
            return pages


boxes = st.tuples(st.floats(-90, 90), st.floats(0.01, 7.0), st.floats(-180, 180), st.floats(0.01, 7.0)).map(
    lambda t: (t[2], t[0], t[2] + t[3], min(90.0, t[0] + t[1])))
others = st.fixed_dictionaries({}, optional={
    "country": st.sampled_from(("SY", "FJ")), "event_type": st.just("Riots"), "min_fatalities": st.just(1),
    "date_from": st.just(dt.date(2023, 1, 20)), "date_to": st.just(dt.date(2023, 2, 10))})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(box=boxes, other=others, limit=st.sampled_from((1, 3, 10, 50)))
def test_grid_pages_and_counts_equal_the_plans_without_it(plans, box, other, limit):
    grid, plain = plans
    w, s, e, n = box
    flt = EventFilter(bbox=parse_bbox(f"{w},{s},{e},{n}"), **other)  # east past 180 wraps: crosses the antimeridian
    assert _walk(grid, flt, limit) == _walk(plain, flt, limit)
    assert grid.count(flt) == plain.count(flt)


def test_grid_pages_on_a_dense_cluster_and_across_the_antimeridian(plans):
    grid, plain = plans
    for bbox in [(36.0, 31.0, 44.0, 37.0), (37.5, 33.0, 41.5, 35.0), (179.0, -1.0, -179.0, 1.0),
                 (-180.0, -90.0, -175.0, -85.0), (175.0, 85.0, 180.0, 90.0)]:
        flt = EventFilter(bbox=bbox)
        assert grid._grid(flt) is not None
        assert _walk(grid, flt, 7) == _walk(plain, flt, 7), bbox
        assert grid.count(flt) == plain.count(flt) > 0, bbox
