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

import logging
from collections.abc import Iterable
from typing import Any, Literal

from ..errors import ReportError
from ..models import Event
from . import html, markdown
from .summary import summarise

log = logging.getLogger(__name__)

FORMATS = ("html", "md")


# The figures a report shows, for callers that want numbers (e.g. ``make demo``'s summary).
report_data = summarise


def build_report(events: Iterable[Event], *, fmt: Literal["html", "md"] = "html", **scope: Any) -> str:
    """Render the situation report of ``events`` as HTML or Markdown.

    ``scope`` takes :func:`~wirewatch.report.summary.summarise`'s keywords: ``since``, ``until`` and
    ``country`` (name or alpha-2) select the events; ``title``, ``generated`` (default: now, UTC; pass it to
    get byte-identical output for the same events) and ``top`` (how many of the most serious events are
    detailed) shape the page.
    """
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}", hint=f"choose one of: {', '.join(FORMATS)}")
    data = summarise(events, **scope)
    if not data.events:
        log.warning("report: no events match (since=%s, until=%s, country=%s)", data.since, data.until, data.country)
    return html.render(data) if fmt == "html" else markdown.render(data)
