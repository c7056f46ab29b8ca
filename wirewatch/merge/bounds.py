"""What one event record may never mix, whichever links brought its mentions together.

Linking is pairwise, and a cluster grows by links: a report of Tuesday's clash links with
Wednesday's report of it, which links with Thursday's report of the next clash; a district-level
report links with a town 20 km one way and another 20 km the other way.  So beyond the pairwise
rule of :mod:`wirewatch.merge.link`, every two members of one event must agree on:

* **time**: their days overlap -- a mention's own span, else (no date in its text) the days up
  to its report date (``slack_days`` before it), reports being about what just happened;
* **place**: two mentions placed at a town or near one (``geo_precision`` 1 or 2) lie within
  ``km`` of each other: one record never holds two towns' tolls.

A mention that gives no exact day is about the days up to its report: another report's mention
must reach to within ``window_days`` of that report (:func:`reaches_report`).

Displacement is exempt (one population moving over weeks and places is one living record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..models import Location

Span = tuple[dt.date, dt.date]


def effective_span(span: Span | None, report: dt.date | None, *, slack_days: int) -> Span | None:
    """A mention's days: its own span, else the ``slack_days`` up to its report date, else None (undated)."""
    if span is not None:
        return span
    if report is None:
        return None
    return (report - dt.timedelta(days=slack_days), report)


def spans_apart(a: Span | None, b: Span | None) -> bool:
    """Two known spans that share no day."""
    return a is not None and b is not None and (a[1] < b[0] or b[1] < a[0])


def precise_point(loc: Location | None) -> tuple[float, float] | None:
    """The point of a mention placed at (or near) a town; None when only a province or country is known."""
    if loc is None or loc.geo_precision > 2 or loc.latitude is None or loc.longitude is None:
        return None
    return (loc.latitude, loc.longitude)


def points_apart(a: tuple[float, float] | None, b: tuple[float, float] | None, *, km: float,
                 distance: Callable[[float, float, float, float], float]) -> bool:
    """Two known points further apart than ``km``."""
    return a is not None and b is not None and distance(a[0], a[1], b[0], b[1]) > km


def reaches_report(span: Span | None, report: dt.date | None, other: Span | None, *, window_days: int) -> bool:
    """A mention that does not give its event's exact day (``span`` not one day) is about the days just before
    its ``report``: another report's mention (days ``other``) must reach to within ``window_days`` of that
    report (last week's clash is not this week's)."""
    if report is None or (span is not None and span[0] == span[1]) or other is None:
        return True
    return (report - other[1]).days <= window_days
