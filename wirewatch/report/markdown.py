"""The situation report as Markdown: the same sections and numbers as the HTML page, without the map.

Untrusted text is HTML-escaped (Markdown renderers pass raw HTML through) and
Markdown's own punctuation is backslash-escaped, so a headline cannot open a
link, an image, a table cell or emphasis.
"""

from __future__ import annotations

import re
from html import escape

from .. import __version__
from .charts import bucket_days
from .footer import CREDITS, METHOD
from .summary import (
    ReportData,
    actors_text,
    area_text,
    chart_span,
    date_text,
    event_displaced,
    fatalities_text,
    figure_text,
    place_text,
)

ALL_EVENTS_LIMIT = 300  # rows of the "All events" table, as in the HTML page
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_BLOCK_START = re.compile(r"^(\s*(?:\d+)?)([-+=.)])")


def md(value: object) -> str:
    """Escape ``value`` for Markdown text and table cells (one line, HTML-escaped)."""
    text = " ".join(("" if value is None else str(value)).split())
    return _MD_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def md_block(value: object) -> str:
    """:func:`md` for text that starts a line: a leading ``-``, ``+`` or ``1.`` cannot start a list."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), md(value))


def period_label(data: ReportData) -> str:
    """The report's period as one phrase: a day, "A to B", or "all dates"."""
    if data.period_start and data.period_end:
        if data.period_start == data.period_end:
            return data.period_start.isoformat()
        return f"{data.period_start.isoformat()} to {data.period_end.isoformat()}"
    return "all dates"


def _table(header: list[str], rows: list[list[str]], *, right: set[int] = frozenset()) -> list[str]:
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def render(data: ReportData) -> str:
    n_reports = sum(n for _, n in data.outlets)
    lines = [
        f"# {md(data.title)}",
        "",
        f"*Situation report* \u00b7 Period: {md(period_label(data))} \u00b7 Area: {md(area_text(data))} "
        f"\u00b7 {len(data.events):,} events from {n_reports:,} reports \u00b7 "
        f"Generated {data.generated.strftime('%Y-%m-%d %H:%M')} UTC",
        "",
        "## Key figures",
        "",
    ]
    lines += _table(["Figure", "Value"], [
        ["Events recorded", f"{len(data.events):,}"],
        ["People reported killed (low\u2013high)", md(data.fatalities.text())],
        ["People reported displaced", md(data.displaced.text())],
        ["People reported injured", md(data.injured.text())],
        ["Events with disputed figures", f"{len(data.disputes):,}"],
    ], right={1})
    if data.unlocated or data.undated:
        lines += [f"{data.unlocated:,} event(s) lack coordinates; {data.undated:,} lack a date.", ""]

    lines += ["## Events per day by type", ""]
    if data.per_day:
        start, end = chart_span(data)
        unit, bars = bucket_days(data.per_day, start=start, end=end)
        types = [t for t in data.type_order if any(t in c for c in data.per_day.values())]
        rows = [[d.isoformat(), str(sum(c.values()))] + [str(c.get(t, 0)) for t in types]
                for d, c in bars if sum(c.values())]
        lines += _table([unit.capitalize(), "Events"] + [md(t) for t in types], rows,
                        right=set(range(1, len(types) + 2)))
    else:
        lines += ["No dated events.", ""]

    lines += ["## Breakdown", ""]
    for title, groups in (("Country", data.by_country), ("Event type", data.by_type)):
        lines += _table([title, "Events", "Killed", "Displaced"], [
            [md(g.name), f"{g.events:,}", md(g.fatalities.text() if g.fatalities.reported else "\u2013"),
             md(g.displaced.text() if g.displaced.reported else "\u2013")] for g in groups], right={1, 2, 3})

    lines += ["## Most serious events", ""]
    for i, ev in enumerate(data.serious, 1):
        disp = event_displaced(ev)
        extra = f"; {disp.text()} displaced" if disp.reported else ""
        lines += [
            f"### {i}\\. {md(place_text(ev))}: {md(fatalities_text(ev) + extra)}",
            "",
            f"{md(date_text(ev))} \u00b7 {md(ev.event_type)} / {md(ev.sub_event_type)} \u00b7 {md(actors_text(ev))}",
            "",
            md_block(ev.notes or "No summary."),
            "",
        ]
        for d in data.disputes.get(ev.id, []):
            lines += [f"**Disputed {md(d.quantity)} figures:** {md(d.text())}", ""]
        if ev.claims:
            lines += _table(["Claim", "Figure", "Source cited", "Wording"], [
                [md(c.quantity), md(figure_text(c)), md(c.source or "unattributed"), md(_clip(c.text))]
                for c in ev.claims], right={1})
        for s in ev.sources:
            lines.append(f"- Source: {md(s.agency or 'unknown outlet')}, "
                         f"{md(s.published.isoformat() if s.published else 'undated')}: "
                         f"\u201c{md(s.headline or 'untitled')}\u201d")
        lines.append("")

    lines += ["## Disputed figures", ""]
    if data.disputes:
        by_id = {ev.id: ev for ev in data.events}
        lines += _table(["Date", "Place", "Figure", "What the sources say"], [
            [md(date_text(by_id[eid])), md(place_text(by_id[eid])), md(d.quantity), md(d.text())]
            for eid, ds in data.disputes.items() for d in ds])
    else:
        lines += ["No event has conflicting figures from different sources.", ""]

    lines += ["## All events", ""]
    lines += _table(["Date", "Place", "Type", "Actors", "Killed", "Reports"], [
        [md(date_text(ev)), md(place_text(ev)), md(f"{ev.event_type} / {ev.sub_event_type}"), md(actors_text(ev)),
         md(fatalities_text(ev).replace(" killed", "") if ev.fatalities_low is not None or ev.fatalities_best is not None
            else "\u2013"), str(len(ev.sources))] for ev in data.events[:ALL_EVENTS_LIMIT]], right={4, 5})
    if len(data.events) > ALL_EVENTS_LIMIT:
        lines += [f"{len(data.events) - ALL_EVENTS_LIMIT:,} more events are in the database export.", ""]

    outlets = ", ".join(f"{md(name)} ({n:,})" for name, n in data.outlets) or "none"
    cited = ", ".join(f"{md(name)} ({n:,})" for name, n in data.cited[:15]) or "none"
    lines += [
        "---",
        "",
        f"**Sources.** Compiled from news\\-wire reports: {outlets}. Figures are as reported by the sources cited "
        f"in those reports and are not independently verified. Sources cited for figures: {cited}.",
        "",
        f"**Method.** {md(METHOD)}",
        "",
        f"**Credits.** {md(CREDITS)}",
        "",
        f"Generated {data.generated.strftime('%Y-%m-%d %H:%M')} UTC by wirewatch {md(__version__)}.",
        "",
    ]
    return "\n".join(lines)


def _clip(text: str | None, n: int = 160) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "\u2026"
