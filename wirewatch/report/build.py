"""The situation report: stored events in, one self-contained HTML page (or Markdown) out.

    >>> from wirewatch.report import build_report
    >>> with SQLiteStore.open("wirewatch.db", readonly=True) as store:
    ...     page = build_report(list(store.events()), since=date(2017, 3, 1), country="SY")

The page holds headline numbers (events, fatalities low-high, displaced,
injured), a static map and a chart of events per day by type (inline SVG,
drawn here: no script, no external resource), the most serious events with
their claims and sources, the disputed figures, every event, and a footer
with the sources and the GeoNames / Natural Earth credits.  ``fmt="md"``
gives the same sections and numbers in Markdown (without the map).

What is counted and how is documented in :mod:`wirewatch.report.summary`;
the output is deterministic for the same events and ``generated`` time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Literal

from ..errors import ReportError
from ..models import Event
from . import html, markdown
from .summary import ReportData, summarise

log = logging.getLogger(__name__)

FORMATS = ("html", "md")


def report_data(
    events: Iterable[Event],
    *,
    title: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: str | None = None,
    generated: dt.datetime | None = None,
    top: int = 10,
) -> ReportData:
    """The figures a report shows (for callers that want numbers, e.g. ``make demo``'s summary)."""
    if since is not None and until is not None and since > until:
        raise ReportError(f"--since {since} is after --until {until}", hint="swap the two dates")
    if top < 1:
        raise ReportError(f"top must be at least 1, not {top}")
    when = generated or dt.datetime.now(dt.timezone.utc)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return summarise(events, title=title, since=since, until=until, country=country, generated=when, top=top)


def build_report(
    events: Iterable[Event],
    *,
    title: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: str | None = None,
    fmt: Literal["html", "md"] = "html",
    generated: dt.datetime | None = None,
    top: int = 10,
) -> str:
    """Render the situation report of ``events`` for ``[since, until]`` and ``country`` (name or alpha-2).

    ``generated`` (default: now, UTC) is printed in the report; pass it to get
    byte-identical output for the same events.  ``top`` is how many of the most
    serious events are detailed.
    """
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}", hint=f"choose one of: {', '.join(FORMATS)}")
    data = report_data(events, title=title, since=since, until=until, country=country, generated=generated, top=top)
    if not data.events:
        log.warning("report: no events match (since=%s, until=%s, country=%s)", since, until, country)
    return html.render(data) if fmt == "html" else markdown.render(data)
