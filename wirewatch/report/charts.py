"""Inline SVG for the report: a static event map and a stacked bar chart of events per day.

Both are plain SVG strings with no external reference (no ``xmlns``, no
``href``, no fonts beyond the page's), so the report stays one self-contained
file.  Every text that reaches the SVG goes through :func:`html.escape`.

The map is an equirectangular projection (standard parallel at the middle
latitude of the view) fitted to the events' bounding box, drawn over Natural
Earth 1:110m country outlines (public domain, shipped as
``wirewatch/data/world_outline.json``).  Views that cross the antimeridian
are not handled (a known limit: events there are drawn at the view's edge).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import resources

OUTLINE_FILE = "world_outline.json"

# Restrained, colour-blind-aware palette (ColorBrewer-like hues, darkened).
TYPE_COLOURS: dict[str, str] = {
    "Battles": "#b2182b",
    "Explosions/Remote violence": "#d6604d",
    "Violence against civilians": "#762a83",
    "Protests": "#2166ac",
    "Riots": "#5aae61",
    "Strategic developments": "#7f7f7f",
    "Displacement": "#01665e",
}
FALLBACK_COLOUR = "#4d4d4d"


def colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, FALLBACK_COLOUR)


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    iso_a3: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max


@lru_cache(maxsize=1)
def world_outline() -> tuple[Country, ...]:
    """The shipped country outlines (Natural Earth 1:110m, public domain)."""
    raw = json.loads(resources.files("wirewatch").joinpath("data", OUTLINE_FILE).read_text(encoding="utf-8"))
    out = []
    for c in raw["countries"]:
        rings = tuple(tuple((float(x), float(y)) for x, y in ring) for ring in c["rings"])
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        out.append(Country(c["name"], c["iso_a3"], rings, (min(xs), min(ys), max(xs), max(ys))))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class MapPoint:
    latitude: float
    longitude: float
    fill: str
    radius: float
    label: str = ""  # short marker label, e.g. "1" for the most serious event
    title: str = ""  # tooltip (untrusted text; escaped when drawn)
    approximate: bool = False  # drawn hollow: only the province or region is known


def _nice(x: float) -> float:
    """1, 2 or 5 times a power of ten, not above ``x``."""
    if x <= 0:
        return 1.0
    e = math.floor(math.log10(x))
    for m in (5, 2, 1):
        if m * 10**e <= x:
            return float(m * 10**e)
    return float(10**e)


def _fmt(v: float) -> str:
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


@dataclass(frozen=True, slots=True)
class _View:
    lon_left: float
    lat_top: float
    kx: float  # cos of the standard parallel
    scale: float  # pixels per degree of latitude
    width: int
    height: int

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.lon_left) * self.kx * self.scale, (self.lat_top - lat) * self.scale)

    @property
    def lon_right(self) -> float:
        return self.lon_left + self.width / (self.kx * self.scale)

    @property
    def lat_bottom(self) -> float:
        return self.lat_top - self.height / self.scale


def fit_view(points: Sequence[tuple[float, float]], *, width: int = 860, min_height: int = 300,
             max_height: int = 520, min_span: float = 3.0) -> _View:
    """An equirectangular view of ``(lon, lat)`` points with a margin around their bounding box."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    lon_min, lon_max, lat_min, lat_max = min(lons), max(lons), min(lats), max(lats)
    span = max(lon_max - lon_min, lat_max - lat_min, min_span)
    pad = max(0.15 * span, 0.75)
    cx, cy = (lon_min + lon_max) / 2, (lat_min + lat_max) / 2
    half_lon = max(lon_max - lon_min, min_span) / 2 + pad
    half_lat = max(lat_max - lat_min, min_span) / 2 + pad
    kx = max(math.cos(math.radians(cy)), 0.2)
    scale = width / (2 * half_lon * kx)
    height = 2 * half_lat * scale
    if height > max_height:  # too tall: widen the longitude span instead
        scale = max_height / (2 * half_lat)
        half_lon = width / (2 * kx * scale)
        height = max_height
    elif height < min_height:  # too flat: show more latitude
        half_lat = min_height / (2 * scale)
        height = min_height
    return _View(cx - half_lon, min(cy + half_lat, 89.0), kx, scale, width, int(round(height)))


def _ring_path(view: _View, ring: Sequence[tuple[float, float]]) -> str:
    out: list[str] = []
    last: tuple[float, float] | None = None
    for lon, lat in ring:
        x, y = view.xy(lon, lat)
        if last is not None and abs(x - last[0]) < 0.8 and abs(y - last[1]) < 0.8:
            continue
        out.append(f"{_fmt(x)} {_fmt(y)}")
        last = (x, y)
    if len(out) < 3:
        return ""
    return "M" + "L".join(out) + "Z"


def map_svg(points: Sequence[MapPoint], *, highlight: frozenset[str] = frozenset(), width: int = 860,
            caption: str = "Map of event locations") -> str:
    """An SVG map of ``points`` over country outlines; countries in ``highlight`` (ISO alpha-3) shaded."""
    if not points:
        return ""
    view = fit_view([(p.longitude, p.latitude) for p in points], width=width)
    lon_r, lat_b = view.lon_right, view.lat_bottom
    margin = 2.0
    land: list[str] = []
    land_hi: list[str] = []
    candidates: list[Country] = []
    for c in world_outline():
        bx0, by0, bx1, by1 = c.bbox
        if bx1 < view.lon_left - margin or bx0 > lon_r + margin or by1 < lat_b - margin or by0 > view.lat_top + margin:
            continue
        d = "".join(
            _ring_path(view, ring)
            for ring in c.rings
            if not (max(p[0] for p in ring) < view.lon_left - margin or min(p[0] for p in ring) > lon_r + margin
                    or max(p[1] for p in ring) < lat_b - margin or min(p[1] for p in ring) > view.lat_top + margin)
        )
        if not d:
            continue
        (land_hi if c.iso_a3 in highlight else land).append(d)
        candidates.append(c)
    labels = _country_labels(view, candidates, highlight)
    parts = [
        f'<svg class="map" viewBox="0 0 {view.width} {view.height}" width="{view.width}" height="{view.height}" '
        f'role="img" aria-label="{escape(caption)}">',
        f'<rect class="sea" x="0" y="0" width="{view.width}" height="{view.height}"/>',
    ]
    if land:
        parts.append(f'<path class="land" d="{"".join(land)}"/>')
    if land_hi:
        parts.append(f'<path class="land hi" d="{"".join(land_hi)}"/>')
    parts.extend(_graticule(view))
    parts.extend(labels)
    # largest circles first so that small ones stay visible on top
    for p in sorted(points, key=lambda p: (-p.radius, p.label)):
        x, y = view.xy(p.longitude, p.latitude)
        cls = "pt approx" if p.approximate else "pt"
        style = f'style="stroke:{p.fill}"' if p.approximate else f'style="fill:{p.fill}"'
        tip = f"<title>{escape(p.title)}</title>" if p.title else ""
        parts.append(f'<circle class="{cls}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(p.radius)}" {style}>{tip}</circle>')
    for p in points:
        if p.label:
            x, y = view.xy(p.longitude, p.latitude)
            parts.append(f'<text class="ptl" x="{_fmt(x + p.radius + 2)}" y="{_fmt(y - p.radius + 2)}">'
                         f"{escape(p.label)}</text>")
    parts.extend(_scale_bar(view))
    parts.append("</svg>")
    return "\n".join(parts)


def _country_labels(view: _View, countries: Sequence[Country], highlight: frozenset[str]) -> list[str]:
    """Names of the countries large enough on the map to carry one, highlighted first, never overlapping."""
    boxes: list[tuple[float, float, float, float]] = []
    out = []
    ranked = []
    for c in countries:
        big = max(c.rings, key=len)
        x0, y1 = view.xy(min(p[0] for p in big), min(p[1] for p in big))
        x1, y0 = view.xy(max(p[0] for p in big), max(p[1] for p in big))
        ranked.append((c.iso_a3 not in highlight, -(x1 - x0) * (y1 - y0), c.name, c, (x0, y0, x1, y1)))
    for not_hi, _area, _name, c, (x0, y0, x1, y1) in sorted(ranked, key=lambda r: r[:3]):
        text = c.name.upper()
        tw, th = 8.0 * len(text) + 8, 12.0
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if (x1 - x0) < tw * (0.5 if not not_hi else 0.9) or (y1 - y0) < th * 1.5:
            continue
        box = (cx - tw / 2, cy - th, cx + tw / 2, cy + 2)
        if box[0] < 4 or box[2] > view.width - 4 or box[1] < 4 or box[3] > view.height - 24:
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        boxes.append(box)
        cls = "cl" if not_hi else "cl hi"
        out.append(f'<text class="{cls}" x="{_fmt(cx)}" y="{_fmt(cy)}">{escape(text)}</text>')
    return out


def _graticule(view: _View) -> list[str]:
    lon_span = view.lon_right - view.lon_left
    step = next((s for s in (0.5, 1, 2, 5, 10, 15, 30, 60) if lon_span / s <= 8), 90)
    out = []
    lon = math.ceil(view.lon_left / step) * step
    while lon < view.lon_right:
        x, _ = view.xy(lon, 0)
        out.append(f'<line class="grat" x1="{_fmt(x)}" y1="0" x2="{_fmt(x)}" y2="{view.height}"/>')
        if x < view.width * 0.75:  # keep the corner free for the scale bar
            out.append(f'<text class="gl" x="{_fmt(x + 3)}" y="{view.height - 4}">{_deg(lon, "E", "W")}</text>')
        lon += step
    lat = math.ceil(view.lat_bottom / step) * step
    while lat < view.lat_top:
        _, y = view.xy(view.lon_left, lat)
        out.append(f'<line class="grat" x1="0" y1="{_fmt(y)}" x2="{view.width}" y2="{_fmt(y)}"/>')
        if 14 < y < view.height - 14:
            out.append(f'<text class="gl" x="3" y="{_fmt(y - 3)}">{_deg(lat, "N", "S")}</text>')
        lat += step
    return out


def _deg(v: float, pos: str, neg: str) -> str:
    hemi = pos if v > 0 else neg if v < 0 else ""
    return f"{_fmt(abs(v))}\u00b0{hemi}"


def _scale_bar(view: _View) -> list[str]:
    km_per_px = 111.32 / view.scale
    km = _nice(km_per_px * view.width / 5)
    px = km / km_per_px
    x0, y0 = view.width - px - 16, view.height - 16
    label = f"{int(km):,} km" if km >= 1 else f"{km:g} km"
    return [
        f'<rect class="sbbg" x="{_fmt(x0 - 6)}" y="{_fmt(y0 - 16)}" width="{_fmt(px + 12)}" height="24"/>',
        f'<path class="sb" d="M{_fmt(x0)} {_fmt(y0 - 4)}V{_fmt(y0)}H{_fmt(x0 + px)}V{_fmt(y0 - 4)}"/>',
        f'<text class="sbl" x="{_fmt(x0 + px / 2)}" y="{_fmt(y0 - 6)}">{label}</text>',
    ]


# -- events per day -----------------------------------------------------------


def bucket_days(per_day: dict[dt.date, Counter], *, start: dt.date, end: dt.date,
                max_bars: int = 92) -> tuple[str, list[tuple[dt.date, Counter]]]:
    """Bars from ``start`` to ``end``: one per day, or one per week (from Monday) when the span is long."""
    days = (end - start).days + 1
    if days <= max_bars:
        return "day", [(start + dt.timedelta(i), per_day.get(start + dt.timedelta(i), Counter())) for i in range(days)]
    first = start - dt.timedelta(start.weekday())
    weeks: dict[dt.date, Counter] = {}
    d = first
    while d <= end:
        weeks[d] = Counter()
        d += dt.timedelta(7)
    for day, counts in per_day.items():
        if start <= day <= end:
            weeks[day - dt.timedelta(day.weekday())].update(counts)
    return "week", sorted(weeks.items())


def bars_svg(per_day: dict[dt.date, Counter], *, start: dt.date, end: dt.date, type_order: Sequence[str],
             width: int = 860, height: int = 230) -> str:
    """A stacked bar chart of events per day (or week) by event type."""
    unit, bars = bucket_days(per_day, start=start, end=end)
    if not bars:
        return ""
    left, right, top, bottom = 40, 10, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((sum(c.values()) for _, c in bars), default=0) or 1
    step = max(1, math.ceil(peak / 5))
    ymax = step * math.ceil(peak / step)
    slot = plot_w / len(bars)
    bar_w = max(1.0, slot * 0.72)
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="Events per {unit} by event type">']
    for v in range(0, ymax + 1, step):
        y = top + plot_h - v / ymax * plot_h
        out.append(f'<line class="{"axis" if v == 0 else "gridl"}" x1="{left}" y1="{_fmt(y)}" x2="{width - right}" '
                   f'y2="{_fmt(y)}"/>')
        out.append(f'<text class="yl" x="{left - 6}" y="{_fmt(y + 4)}">{v}</text>')
    every = max(1, math.ceil(len(bars) / 12))
    for i, (day, counts) in enumerate(bars):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        for etype in list(type_order) + sorted(set(counts) - set(type_order)):
            n = counts.get(etype, 0)
            if not n:
                continue
            h = n / ymax * plot_h
            y -= h
            tip = f"{day.isoformat()}: {n} {etype}"
            out.append(f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" height="{_fmt(h)}" '
                       f'fill="{colour(etype)}"><title>{escape(tip)}</title></rect>')
        if i % every == 0:
            label = f"{day.day} {day.strftime('%b')}"
            out.append(f'<text class="xl" x="{_fmt(left + i * slot + slot / 2)}" y="{height - bottom + 16}">'
                       f"{label}</text>")
    out.append(f'<text class="yt" x="{left}" y="{height - 4}">{"weeks starting Monday" if unit == "week" else ""}'
               "</text>")
    out.append("</svg>")
    return "\n".join(out)
