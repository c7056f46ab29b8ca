"""Points of provinces and countries in the shipped tables: cut-off places must not drag a province's box."""

from __future__ import annotations

from wirewatch.geo.distance import haversine_km
from wirewatch.geo.tables import _centre, _linked, read_admin1, read_countries

# Reference points (GeoNames cities500).
BAODING = (38.87288, 115.46246)
VALPARAISO = (-33.03932, -71.62725)
HUALIEN = (23.97694, 121.60444)


def test_linked_drops_a_far_cluster_and_keeps_a_spread_province() -> None:
    body = [(40.0 + 0.5 * i, 100.0 + 0.5 * j) for i in range(6) for j in range(6)]  # ~300 x 250 km of towns
    stray = [(31.0, 88.0), (31.2, 88.3), (30.9, 87.8)]  # misfiled far away
    kept = _linked(body + stray)
    assert sorted(kept) == sorted(body)
    chain = [(10.0, 20.0 + 3.0 * i) for i in range(8)]  # towns 330 km apart along a road: one province
    assert sorted(_linked(chain)) == sorted(chain)
    # across the antimeridian the body stays whole
    pacific = [(-17.0, 179.0), (-17.5, 179.8), (-16.8, -179.9), (-17.2, -179.5)]
    assert sorted(_linked(pacific)) == sorted(pacific)
    lat, lon = _centre(_linked(body + stray))
    assert haversine_km(lat, lon, 41.25, 101.25) < 5


def test_province_points_are_not_dragged_by_cut_off_places() -> None:
    rows = {r.name: r for r in read_admin1()}
    hebei, valparaiso = rows["Hebei"], rows["Valparaíso"]
    assert haversine_km(hebei.latitude, hebei.longitude, *BAODING) < 200  # not toward Tibet
    assert haversine_km(valparaiso.latitude, valparaiso.longitude, *VALPARAISO) < 100  # not toward Easter Island


def test_taiwan_point_is_on_the_island() -> None:
    tw = next(c for c in read_countries() if c.iso == "TW")
    assert haversine_km(tw.latitude, tw.longitude, *HUALIEN) < 100
