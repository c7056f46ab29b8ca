"""Macro-regions, seas and oceans news names often, with one representative point each.

GeoNames' populated places and divisions lack them ("the Middle East", "Darfur",
"the Indian Ocean", "the Korean Peninsula"), so without this table they stay
unresolved.  The points are facts of geography (rounded): where GeoNames has a
feature for the region its point and id are used, otherwise the region's middle
and a stable negative id.  :func:`region_place` gives each feature class ``L`` (code ``RGN`` for land, ``SEA`` for water, ``ISL`` for islands), which the
resolver treats like a continent (country-level precision at best).
"""

from __future__ import annotations

from functools import lru_cache

from ..models import Place
from .names import fold

# (folded names, display name, lat, lon, feature code, country code or None[, GeoNames id]).
_TABLE: tuple[tuple, ...] = (
    (("middle east", "mideast", "the middle east"), "Middle East", 33.14, 35.86, "RGN", None, 6269133),
    (("darfur",), "Darfur", 13.0, 25.0, "RGN", "SD", 376731),
    (("sinai", "sinai peninsula"), "Sinai Peninsula", 29.5, 33.8, "RGN", "EG"),


    (("golan heights", "golan"), "Golan Heights", 33.0, 35.75, "RGN", None, 173708),
    (("eastern ghouta", "ghouta"), "Eastern Ghouta", 33.55, 36.45, "RGN", "SY", 173866),
    (("kurdistan", "iraqi kurdistan", "kurdistan region"), "Kurdistan", 36.5, 44.0, "RGN", None),
    (("levant",), "Levant", 33.5, 36.0, "RGN", None),
    (("arabian peninsula",), "Arabian Peninsula", 23.0, 46.0, "RGN", None),
    (("kashmir",), "Kashmir", 34.5, 76.0, "RGN", None),

    (("donbas", "donbass"), "Donbas", 48.0, 38.5, "RGN", "UA"),
    (("caucasus", "north caucasus"), "Caucasus", 42.5, 44.5, "RGN", None, 573081),
    (("balkans",), "Balkans", 43.0, 21.0, "RGN", None),
    (("sahel",), "Sahel", 15.0, 0.0, "RGN", None),
    (("maghreb",), "Maghreb", 32.0, 2.0, "RGN", None),
    (("horn of africa",), "Horn of Africa", 8.0, 45.0, "RGN", None),
    (("north africa", "northern africa"), "North Africa", 32.95, 9.98, "RGN", None, 7729887),
    (("west africa", "western africa"), "West Africa", 13.0, -5.0, "RGN", None),
    (("east africa", "eastern africa"), "East Africa", 0.0, 36.0, "RGN", None),
    (("central africa",), "Central Africa", 2.0, 20.0, "RGN", None),
    (("southern africa",), "Southern Africa", -25.0, 25.0, "RGN", None),
    (("sub saharan africa",), "Sub-Saharan Africa", 0.0, 20.0, "RGN", None),
    (("central asia",), "Central Asia", 43.0, 65.0, "RGN", None),
    (("south asia",), "South Asia", 22.0, 79.0, "RGN", None),
    (("southeast asia", "south east asia"), "Southeast Asia", 10.0, 110.0, "RGN", None),
    (("east asia",), "East Asia", 35.0, 115.0, "RGN", None),
    (("korean peninsula",), "Korean Peninsula", 38.63, 127.55, "RGN", None, 11494804),
    (("latin america",), "Latin America", -15.0, -58.0, "RGN", None, 6255150),
    (("central america",), "Central America", 15.0, -87.0, "RGN", None),
    (("caribbean",), "Caribbean", 15.0, -75.0, "RGN", None, 3572951),
    (("northern europe",), "Northern Europe", 62.0, 15.0, "RGN", None),
    (("eastern europe",), "Eastern Europe", 50.0, 30.0, "RGN", None),
    (("western europe",), "Western Europe", 48.0, 5.0, "RGN", None),
    (("persian gulf", "arabian gulf"), "Persian Gulf", 27.0, 51.0, "SEA", None),
    (("gulf of aden",), "Gulf of Aden", 12.5, 48.0, "SEA", None),
    (("gulf of mexico",), "Gulf of Mexico", 25.0, -90.0, "SEA", None, 3572949),
    (("red sea",), "Red Sea", 20.0, 38.5, "SEA", None, 235615),
    (("mediterranean", "mediterranean sea"), "Mediterranean Sea", 35.0, 18.0, "SEA", None, 363196),
    (("eastern mediterranean",), "Eastern Mediterranean", 34.0, 30.0, "SEA", None),
    (("black sea",), "Black Sea", 43.5, 34.0, "SEA", None),
    (("caspian sea",), "Caspian Sea", 42.0, 51.0, "SEA", None),
    (("south china sea",), "South China Sea", 13.0, 114.0, "SEA", None),
    (("atlantic", "atlantic ocean"), "Atlantic Ocean", 10.0, -25.0, "SEA", None, 3373405),
    (("pacific", "pacific ocean"), "Pacific Ocean", 0.0, -160.0, "SEA", None),
    (("indian ocean",), "Indian Ocean", -10.0, 70.0, "SEA", None, 1545739),
    (("arctic ocean",), "Arctic Ocean", 85.0, 0.0, "SEA", None),
    (("baltic sea", "baltic"), "Baltic Sea", 58.0, 20.0, "SEA", None),
    (("north sea",), "North Sea", 56.0, 3.0, "SEA", None),
    (("arabian sea",), "Arabian Sea", 15.0, 65.0, "SEA", None),
    (("bay of bengal",), "Bay of Bengal", 15.0, 88.0, "SEA", None),
    (("aegean sea", "aegean"), "Aegean Sea", 39.0, 25.0, "SEA", None),
    (("adriatic sea", "adriatic"), "Adriatic Sea", 43.0, 15.0, "SEA", None),
    (("sea of japan",), "Sea of Japan", 40.0, 135.0, "SEA", None),
    (("east china sea",), "East China Sea", 29.0, 125.0, "SEA", None),
    (("lake victoria",), "Lake Victoria", -1.0, 33.0, "SEA", None),
    (("lake chad",), "Lake Chad", 13.0, 14.0, "SEA", None),
    (("java",), "Java", -7.5, 110.0, "ISL", "ID"),
    (("sumatra",), "Sumatra", 0.0, 102.0, "ISL", "ID"),
    (("borneo",), "Borneo", 1.0, 114.0, "ISL", None),
    (("sulawesi",), "Sulawesi", -2.0, 121.0, "ISL", "ID"),
    (("luzon",), "Luzon", 16.0, 121.0, "ISL", "PH"),
    (("mindanao",), "Mindanao", 7.5, 125.0, "ISL", "PH"),
    (("new guinea",), "New Guinea", -5.5, 141.0, "ISL", None),
)
# Names that are a region only when a reader has already marked them as a place (gold spans):
# in running text "Gulf" is as often "Gulf states" or "Gulf War".
SPAN_ONLY: dict[str, str] = {"gulf": "persian gulf", "the gulf": "persian gulf"}

REGION_NAMES: frozenset[str] = frozenset(k for keys, *_ in _TABLE for k in keys)


@lru_cache(maxsize=1)
def _places() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for i, (keys, name, lat, lon, code, cc, *gid) in enumerate(_TABLE):
        place = Place(gid[0] if gid else -(i + 1), name, lat, lon, cc, None, None, "L", code, 0)
        for k in keys:
            out[k] = place
    return out


def region_place(name: str, *, span: bool = False) -> Place | None:
    """The region written as ``name`` ("the Middle East", "Indian Ocean"), or None.

    With ``span`` (the name is known to be a place) the names of :data:`SPAN_ONLY` count too.
    """
    f = fold(name)
    if span:
        f = SPAN_ONLY.get(f, f)
    if f.startswith("the "):
        f = f[4:]
    return _places().get(f)


def is_region(place: Place | None) -> bool:
    """True for a place from this table (or a continent): too vague to be where an event happened."""
    return place is not None and (place.feature_code in ("RGN", "SEA", "ISL", "CONT"))
