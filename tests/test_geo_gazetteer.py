"""The gazetteer: countries, divisions, alternate names, dumps, cache."""

from __future__ import annotations

import os
import time
from functools import lru_cache
from pathlib import Path

import pytest

from wirewatch.config import default_cache_dir
from wirewatch.errors import GazetteerError
from wirewatch.geo.dumps import import_dump
from wirewatch.geo.distance import haversine_km
from wirewatch.geo.gazetteer import LOOSE, Gazetteer, offset_point
from wirewatch.geo.tables import read_admin1, read_countries


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return Gazetteer.load(cache_dir=default_cache_dir())


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return _gazetteer()


def _top(gaz: Gazetteer, name: str):
    return [c.place for c in gaz.lookup(name) if c.kind != LOOSE]


def test_turkey_is_a_country_with_a_point_in_anatolia(gaz: Gazetteer) -> None:
    countries = [p for p in _top(gaz, "Turkey") if p.feature_code == "PCLI"]
    assert countries and countries[0].country_code == "TR"
    assert 36 < countries[0].latitude < 42 and 26 < countries[0].longitude < 45


def test_country_aliases(gaz: Gazetteer) -> None:
    assert gaz.country_code_for("U.S.") == "US"
    assert gaz.country_code_for("Britain") == "GB"
    assert gaz.country_code_for("Syria") == "SY"
    assert gaz.country_code_for("Mosul") is None
    assert gaz.country_name("SS") == "South Sudan"


def test_alternate_names_reach_the_place(gaz: Gazetteer) -> None:
    assert any(p.country_code == "SY" and p.population > 10_000 for p in _top(gaz, "Palmyra"))
    assert {p.geonameid for p in _top(gaz, "Tadmur")} & {p.geonameid for p in _top(gaz, "Palmyra")}
    tal = [p for p in _top(gaz, "Tal Afar") if p.country_code == "IQ"]
    assert tal and tal[0].geonameid in {p.geonameid for p in _top(gaz, "Tall ‘Afar")}
    bab = {p.geonameid for p in _top(gaz, "al-Bab") if p.feature_class == "P"}
    assert bab and bab <= {p.geonameid for p in _top(gaz, "El Bab")}
    assert [p for p in _top(gaz, "Deraa") if p.country_code == "SY"]


def test_first_order_divisions_have_names_and_points(gaz: Gazetteer) -> None:
    homs = gaz.admin1_named("Homs Governorate", country_code="SY")
    assert homs and homs[0].feature_code == "ADM1"
    city = [p for p in _top(gaz, "Homs") if p.feature_class == "P"][0]
    assert haversine_km(homs[0].latitude, homs[0].longitude, city.latitude, city.longitude) < 250
    assert gaz.admin1_named("North Sinai", country_code="EG")
    assert gaz.admin1_named("Ga.", country_code="US")[0].name == "Georgia"


def test_shipped_tables_are_small_and_complete() -> None:
    countries = {c.iso: c for c in read_countries()}
    assert len(countries) > 240
    for iso in ("SY", "IQ", "SS", "EG", "TR", "AF", "US"):
        assert iso in countries
    assert sum(1 for a in read_admin1() if a.code.startswith("SY.")) == 14


def test_offset_point_moves_the_right_way() -> None:
    lat, lon = offset_point(36.0, 37.0, km=8, bearing=315)
    assert lat > 36.0 and lon < 37.0
    assert haversine_km(36.0, 37.0, lat, lon) == pytest.approx(8, abs=0.05)


def test_lookup_of_unknown_and_empty_names(gaz: Gazetteer) -> None:
    assert gaz.lookup("Qwzxv") == ()
    assert gaz.lookup("") == ()
    assert gaz.lookup("  ‘ ") == ()


def _linked_cache(tmp_path: Path) -> Path:
    """A fresh cache dir sharing the built base gazetteer (so no 25 s rebuild)."""
    base = _gazetteer().path
    tmp_path.mkdir(parents=True, exist_ok=True)
    target = Gazetteer.cache_path(tmp_path)
    os.symlink(base, target)
    return tmp_path


def test_import_dump_adds_villages_and_persists(tmp_path: Path) -> None:
    cache = _linked_cache(tmp_path / "cache")
    dump = tmp_path / "XX.txt"
    rows = [
        # geonameid name ascii alternates lat lon fclass fcode cc cc2 a1 a2 a3 a4 pop elev dem tz modified
        "99000001\tQarat Zuhur\tQarat Zuhur\tQarat Zohour,Karat Zuhur\t36.41\t37.46\tP\tPPL\tSY\t\t09\t\t\t\t0\t\t420\tAsia/Damascus\t2020-01-01",
        "99000002\tWadi Nakhil\tWadi Nakhil\t\t35.10\t38.20\tH\tWAD\tSY\t\t11\t\t\t\t0\t\t400\tAsia/Damascus\t2020-01-01",
        "99000003\tSome Hotel\tSome Hotel\t\t35.10\t38.20\tS\tHTL\tSY\t\t11\t\t\t\t0\t\t400\tAsia/Damascus\t2020-01-01",
        "not a geonames row",
    ]
    dump.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert import_dump(dump, cache_dir=cache) == 2
    assert import_dump(dump, cache_dir=cache) == 0  # idempotent
    g = Gazetteer.load(cache_dir=cache)
    hit = g.lookup("Karat Zuhur")
    assert hit and hit[0].place.geonameid == 99000001 and hit[0].place.admin1 == "Aleppo"
    assert not g.lookup("Some Hotel") or all(c.place.geonameid != 99000003 for c in g.lookup("Some Hotel"))


def test_import_dump_reads_zip_and_rejects_garbage(tmp_path: Path) -> None:
    import zipfile

    cache = _linked_cache(tmp_path / "cache")
    row = "99000010\tKafr Testa\tKafr Testa\t\t35.5\t36.5\tP\tPPL\tSY\t\t11\t\t\t\t900\t\t300\tAsia/Damascus\t2020-01-01\n"
    z = tmp_path / "SY.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("SY.txt", row)
        zf.writestr("readme.txt", "about this dump\n")
    assert import_dump(z, cache_dir=cache) == 1
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(GazetteerError):
        import_dump(bad, cache_dir=cache)
    with pytest.raises(GazetteerError):
        import_dump(tmp_path / "missing.txt", cache_dir=cache)


def test_cache_key_follows_build_version_and_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import wirewatch.geo.gazetteer as gz

    before = Gazetteer.cache_path(tmp_path)
    monkeypatch.setattr(gz, "BUILD_VERSION", gz.BUILD_VERSION + 1)
    assert Gazetteer.cache_path(tmp_path) != before
    monkeypatch.setattr(gz, "table_digest", lambda: "000000000000")
    assert "000000000000" in Gazetteer.cache_path(tmp_path).name
