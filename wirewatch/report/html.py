"""The situation report as one self-contained HTML page (inline CSS and SVG, no script, no URL).

Every string that comes from an article (headline, notes, evidence, actor
names, claim text, sources, places) is untrusted and passes through
:func:`html.escape` (quotes included) before it reaches the page.
"""

from __future__ import annotations

from html import escape

from .. import __version__
from ..models import Event
from .charts import MapPoint, bars_svg, colour, map_svg
from .footer import CREDITS, METHOD
from .iso import alpha3
from .markdown import ALL_EVENTS_LIMIT, period_label
from .summary import (
    ReportData,
    area_text,
    chart_span,
    actors_text,
    date_text,
    event_displaced,
    fatalities_text,
    figure_text,
    place_text,
)

DASH = "\u2013"

_CSS = """
:root{--ink:#1f2933;--muted:#5f6b76;--rule:#d5dae0;--band:#1d3557;--bg:#ffffff;--soft:#f4f6f8;--accent:#b2182b}
*{box-sizing:border-box}
body{margin:0;background:#e9ecef;color:var(--ink);font:14px/1.45 "Helvetica Neue",Arial,"Liberation Sans",
"DejaVu Sans",sans-serif}
.page{max-width:940px;margin:0 auto;background:var(--bg);padding:0 40px 28px}
header.top{background:var(--band);color:#fff;margin:0 -40px 20px;padding:22px 40px 18px}
.kicker{font-size:11px;letter-spacing:.14em;text-transform:uppercase;opacity:.8}
h1{font-size:24px;line-height:1.2;margin:4px 0 8px;font-weight:600}
.meta{font-size:12.5px;opacity:.9;margin:0}
h2{font-size:16px;margin:26px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--band);color:var(--band)}
h3{font-size:14.5px;margin:0 0 4px}
.keyfigs{display:flex;gap:12px;flex-wrap:wrap}
.kf{flex:1 1 150px;background:var(--soft);border-top:3px solid var(--band);padding:10px 12px}
.kf .n{font-size:24px;font-weight:700;line-height:1.15}
.kf .l{font-size:12px;color:var(--muted)}
.kf.alert{border-top-color:var(--accent)}
ul.points{margin:6px 0 0 18px;padding:0}
ul.points li{margin:3px 0}
figure{margin:0}
figcaption,.note{font-size:12px;color:var(--muted);margin-top:4px}
svg{display:block;max-width:100%;height:auto}
.sea{fill:#eef3f7}.land{fill:#e3e0d8;stroke:#a8a39a;stroke-width:.6}
.land.hi{fill:#f7f4ec;stroke:#6b665e;stroke-width:.9}
.grat{stroke:#c9d3dc;stroke-width:.5;stroke-dasharray:2 3}.gl{font-size:9px;fill:#7a8794}
.cl{font-size:10px;fill:#8a847a;letter-spacing:.12em;text-anchor:middle}.cl.hi{fill:#4a463f;font-weight:600}
.pt{stroke:#fff;stroke-width:1.2;fill-opacity:.85}
.pt.approx{fill:#fff;fill-opacity:.6;stroke-width:2;stroke-dasharray:3 2}
.ptl{font-size:11px;font-weight:700;fill:#111;paint-order:stroke;stroke:#fff;stroke-width:3px}
.sbbg{fill:#fff;fill-opacity:.8}.sb{fill:none;stroke:#333;stroke-width:1.2}.sbl{font-size:10px;text-anchor:middle}
.axis{stroke:#555;stroke-width:1}.gridl{stroke:#e1e5ea;stroke-width:1}
.yl{font-size:10px;fill:#5f6b76;text-anchor:end}.xl{font-size:10px;fill:#5f6b76;text-anchor:middle}
.yt{font-size:10px;fill:#5f6b76}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;margin:6px 0 0}
.sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;vertical-align:-1px}
.sw.hollow{background:#fff!important;border:2px dashed #555}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th{text-align:left;font-weight:600;color:var(--muted);border-bottom:1.5px solid var(--ink);padding:5px 6px;
font-size:11.5px;text-transform:uppercase;letter-spacing:.03em}
td{border-bottom:1px solid var(--rule);padding:5px 6px;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tbody tr:nth-child(even){background:#fafbfc}
.cols{display:flex;gap:24px;flex-wrap:wrap}.cols>div{flex:1 1 380px}
.ev{border:1px solid var(--rule);border-left:4px solid var(--band);padding:10px 14px;margin:0 0 12px;
break-inside:avoid}
.ev .hd{display:flex;gap:10px;align-items:baseline}
.ev .rank{font-weight:700;color:#fff;background:var(--band);border-radius:10px;min-width:22px;text-align:center;
font-size:12px;padding:1px 6px}
.ev .sub{color:var(--muted);font-size:12.5px}
.ev .fat{margin-left:auto;font-weight:700;white-space:nowrap}
.ev p{margin:6px 0}
.ev table{margin-top:6px;table-layout:fixed}.ev th:nth-child(1){width:11%}.ev th:nth-child(2){width:14%}
.ev th:nth-child(3){width:31%}.ev td{overflow-wrap:anywhere}
.tag{display:inline-block;font-size:11px;padding:0 6px;border-radius:3px;color:#fff;margin-right:4px}
.disputed{color:var(--accent);font-weight:600}
.quote{color:var(--muted);font-style:italic}
footer{margin-top:28px;border-top:1px solid var(--rule);padding-top:10px;font-size:11.5px;color:var(--muted)}
footer p{margin:4px 0}
@media print{body{background:#fff}.page{max-width:none;padding:0 12mm}header.top{margin:0 -12mm 16px;
padding:16px 12mm}}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _tag(event_type: str) -> str:
    return f'<span class="tag" style="background:{colour(event_type)}">{_e(event_type)}</span>'


def _radius(ev: Event) -> float:
    deaths = ev.fatalities_best if ev.fatalities_best is not None else (ev.fatalities_high or 0)
    return min(4.0 + 1.6 * deaths**0.5, 20.0)


def _num(r) -> str:
    return r.text() if r.reported else DASH


def _keyfigs(data: ReportData) -> str:
    n_disputed = len(data.disputes)
    cards = [
        ("", f"{len(data.events):,}", "events recorded"),
        ("", _num(data.fatalities), "people reported killed (low\u2013high)"),
        ("", _num(data.displaced), "people reported displaced"),
        ("", _num(data.injured), "people reported injured"),
        ("alert" if n_disputed else "", f"{n_disputed:,}", "events with disputed figures"),
    ]
    return '<section class="keyfigs">' + "".join(
        f'<div class="kf {cls}"><div class="n">{_e(n)}</div><div class="l">{_e(label)}</div></div>'
        for cls, n, label in cards) + "</section>"


def _key_points(data: ReportData) -> str:
    if not data.events:
        return '<p class="note">No events match this period and area.</p>'
    items = []
    for ev in data.serious[:3]:
        items.append(f"<li><strong>{_e(date_text(ev))}, {_e(place_text(ev))}</strong>: {_e(ev.sub_event_type)} "
                     f"({_e(ev.event_type)}); {_e(fatalities_text(ev))}; {_e(actors_text(ev))}.</li>")
    if data.by_country:
        worst = max(data.by_country, key=lambda g: (g.fatalities.best or 0, g.events))
        if worst.fatalities.reported:
            items.append(f"<li>Most deaths reported in <strong>{_e(worst.name)}</strong>: "
                         f"{_e(worst.fatalities.text())} in {worst.events:,} events.</li>")
    return '<ul class="points">' + "".join(items) + "</ul>"


def _map(data: ReportData) -> str:
    rank = {ev.id: i + 1 for i, ev in enumerate(data.serious)}
    points = []
    for ev in data.events:
        loc = ev.location
        if loc is None or loc.latitude is None or loc.longitude is None:
            continue
        points.append(MapPoint(
            latitude=loc.latitude, longitude=loc.longitude, fill=colour(ev.event_type), radius=_radius(ev),
            label=str(rank[ev.id]) if ev.id in rank else "",
            title=f"{date_text(ev)} {place_text(ev)}: {ev.sub_event_type}, {fatalities_text(ev)}",
            approximate=(loc.geo_precision or 1) >= 3,
        ))
    if not points:
        return '<p class="note">No event in this report has coordinates.</p>'
    highlight = frozenset(a for ev in data.events if ev.location and (a := alpha3(ev.location.country_code)))
    svg = map_svg(points, highlight=highlight, caption=f"Map of {len(points)} event locations")
    types = [t for t in data.type_order if any(ev.event_type == t for ev in data.events)]
    legend = "".join(f'<span><span class="sw" style="background:{colour(t)}"></span>{_e(t)}</span>' for t in types)
    legend += ('<span><span class="sw hollow"></span>only the province or region is known</span>'
               "<span>circle area grows with deaths; numbers refer to the most serious events below</span>")
    missing = (f" {data.unlocated:,} event(s) without coordinates are not shown." if data.unlocated else "")
    return (f"<figure>{svg}<div class=\"legend\">{legend}</div><figcaption>Equirectangular projection fitted to the "
            f"events. Country outlines: Natural Earth 1:110m.{_e(missing)}</figcaption></figure>")


def _chart(data: ReportData) -> str:
    if not data.per_day:
        return '<p class="note">No dated events.</p>'
    start, end = chart_span(data)
    svg = bars_svg(data.per_day, start=start, end=end, type_order=data.type_order)
    types = [t for t in data.type_order if any(t in c for c in data.per_day.values())]
    legend = "".join(f'<span><span class="sw" style="background:{colour(t)}"></span>{_e(t)}</span>' for t in types)
    missing = f" {data.undated:,} undated event(s) are not shown." if data.undated else ""
    return (f"<figure>{svg}<div class=\"legend\">{legend}</div><figcaption>Events by the date they happened "
            f"(not the date reported).{_e(missing)}</figcaption></figure>")


def _group_table(title: str, rows, *, tagged: bool = False) -> str:
    body = "".join(
        f"<tr><td>{_tag(g.name) if tagged else _e(g.name)}</td><td class=\"num\">{g.events:,}</td>"
        f"<td class=\"num\">{_e(g.fatalities.text() if g.fatalities.reported else DASH)}</td>"
        f"<td class=\"num\">{_e(g.displaced.text() if g.displaced.reported else DASH)}</td></tr>"
        for g in rows)
    return (f"<div><table><thead><tr><th>{_e(title)}</th><th class=\"num\">Events</th><th class=\"num\">Killed</th>"
            f"<th class=\"num\">Displaced</th></tr></thead><tbody>{body}</tbody></table></div>")


def _serious(data: ReportData) -> str:
    if not data.serious:
        return '<p class="note">No events.</p>'
    out = []
    for i, ev in enumerate(data.serious, 1):
        disp = event_displaced(ev)
        extra = f"; {disp.text()} displaced" if disp.reported else ""
        claims = "".join(
            f"<tr><td>{_e(c.quantity)}</td><td class=\"num\">{_e(figure_text(c))}</td>"
            f"<td>{_e(c.source or 'unattributed')}</td><td class=\"quote\">{_e(_clip(c.text))}</td></tr>"
            for c in ev.claims)
        claims_table = (f"<table><thead><tr><th>Claim</th><th class=\"num\">Figure</th><th>Source cited</th>"
                        f"<th>Wording</th></tr></thead><tbody>{claims}</tbody></table>" if ev.claims
                        else '<p class="note">No figures reported.</p>')
        sources = "; ".join(
            f"{_e(s.agency or 'unknown outlet')}, {_e(s.published.isoformat() if s.published else 'undated')}: "
            f"\u201c{_e(s.headline or 'untitled')}\u201d" for s in ev.sources) or "none recorded"
        disputed = "".join(f'<p class="disputed">Disputed {_e(d.quantity)} figures: {_e(d.text())}</p>'
                           for d in data.disputes.get(ev.id, []))
        out.append(
            f'<article class="ev"><div class="hd"><span class="rank">{i}</span><h3>{_e(place_text(ev))}</h3>'
            f'<span class="fat">{_e(fatalities_text(ev) + extra)}</span></div>'
            f'<div class="sub">{_e(date_text(ev))} \u00b7 {_tag(ev.event_type)}{_e(ev.sub_event_type)} \u00b7 '
            f"{_e(actors_text(ev))}</div>"
            f"<p>{_e(ev.notes or 'No summary.')}</p>{disputed}{claims_table}"
            f'<p class="note"><strong>Sources:</strong> {sources}</p></article>')
    return "".join(out)


def _killed_cell(ev: Event) -> str:
    if ev.fatalities_low is None and ev.fatalities_best is None and ev.fatalities_high is None:
        return DASH
    return fatalities_text(ev).replace(" killed", "")


def _clip(text: str | None, n: int = 160) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "\u2026"


def _disputes(data: ReportData) -> str:
    if not data.disputes:
        return '<p class="note">No event has conflicting figures from different sources.</p>'
    by_id = {ev.id: ev for ev in data.events}
    rows = "".join(
        f"<tr><td>{_e(date_text(by_id[eid]))}</td><td>{_e(place_text(by_id[eid]))}</td><td>{_e(d.quantity)}</td>"
        f'<td class="disputed">{_e(d.text())}</td></tr>'
        for eid, ds in data.disputes.items() for d in ds)
    return ("<table><thead><tr><th>Date</th><th>Place</th><th>Figure</th><th>What the sources say</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _all_events(data: ReportData, limit: int = ALL_EVENTS_LIMIT) -> str:
    rows = "".join(
        f"<tr><td>{_e(date_text(ev))}</td><td>{_e(place_text(ev))}</td><td>{_tag(ev.event_type)}"
        f"{_e(ev.sub_event_type)}</td><td>{_e(actors_text(ev))}</td>"
        f"<td class=\"num\">{_e(_killed_cell(ev))}</td>"
        f"<td class=\"num\">{len(ev.sources)}</td></tr>"
        for ev in data.events[:limit])
    more = (f'<p class="note">{len(data.events) - limit:,} more events are in the database export.</p>'
            if len(data.events) > limit else "")
    return ("<table><thead><tr><th>Date</th><th>Place</th><th>Type</th><th>Actors</th><th class=\"num\">Killed</th>"
            f"<th class=\"num\">Reports</th></tr></thead><tbody>{rows}</tbody></table>{more}")


def _footer(data: ReportData) -> str:
    outlets = ", ".join(f"{_e(name)} ({n:,} report{'s' if n != 1 else ''})" for name, n in data.outlets) or "none"
    cited = ", ".join(f"{_e(name)} ({n:,})" for name, n in data.cited[:15]) or "none"
    return (
        "<footer>"
        f"<p><strong>Sources.</strong> Compiled from news-wire reports: {outlets}. Figures are as reported by the "
        f"sources cited in those reports and are not independently verified. Sources cited for figures: {cited}.</p>"
        f"<p><strong>Method.</strong> {_e(METHOD)}</p>"
        f"<p><strong>Credits.</strong> {_e(CREDITS)}</p>"
        f"<p>Generated {_e(data.generated.strftime('%Y-%m-%d %H:%M UTC'))} by wirewatch {_e(__version__)}.</p>"
        "</footer>"
    )


def render(data: ReportData) -> str:
    """The whole page."""
    area = area_text(data)
    n_reports = sum(n for _, n in data.outlets)
    meta = (f"Period: {period_label(data)} \u00b7 Area: {area} \u00b7 {len(data.events):,} events from "
            f"{n_reports:,} reports \u00b7 Generated {data.generated.strftime('%d %b %Y %H:%M')} UTC")
    disputed_section = _disputes(data)
    return "".join([
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(data.title)}</title><style>{_CSS}</style></head><body><main class=\"page\">",
        f'<header class="top"><div class="kicker">Situation report</div><h1>{_e(data.title)}</h1>'
        f'<p class="meta">{_e(meta)}</p></header>',
        _keyfigs(data),
        f"<h2>Key points</h2>{_key_points(data)}",
        f"<h2>Where events happened</h2>{_map(data)}",
        f"<h2>Events per day by type</h2>{_chart(data)}",
        '<h2>Breakdown</h2><div class="cols">',
        _group_table("Country", data.by_country),
        _group_table("Event type", data.by_type, tagged=True),
        "</div>",
        f"<h2>Most serious events</h2>{_serious(data)}",
        f"<h2>Disputed figures</h2>{disputed_section}",
        f"<h2>All events</h2>{_all_events(data)}",
        _footer(data),
        "</main></body></html>\n",
    ])
