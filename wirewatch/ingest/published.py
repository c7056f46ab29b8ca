"""Publication dates for the reports of one input, from the evidence the dump holds.

Evidence, strongest first:

1. the input's own date (JSONL ``published``, basis ``metadata``) or the user's
   ``--published`` (basis ``user``): never changed here;
2. a photo caption's date is a *lower bound* (the photo was taken before the
   report); a FILE PHOTO's date is a weak bound, never enough to pick a day;
   a weekday named in the lede ("said on Wednesday") is resolved as the first
   such weekday on or after the caption bound: basis ``caption+weekday``;
3. dated neighbours in the same dump: wire dumps are in order, ascending or
   descending (read from the dated reports), so a report between two dated
   neighbours lies between their dates; a lede weekday then picks the day, as
   do equal bounds: basis ``neighbours``.  A caption+weekday date that breaks
   the dump's order while its neighbours agree with each other is dropped and
   re-resolved from the neighbours.

When nothing supports a date the report keeps ``published=None`` with basis
``unknown``: a date is never invented.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from dataclasses import dataclass

from ..models import Article

log = logging.getLogger(__name__)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(
    r"(?P<before>\b(?:last|next|previous|following|this past|coming)\s+)?"
    r"\b(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_SAID_ON_RE = re.compile(
    r"\b(?:said|says|told|announced|reported|added|stated|declared|confirmed|warned)"
    r"(?:\s+[\w’'-]+){0,3}?\s+(?:late\s+|early\s+)?on\s+"
    r"(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
MAX_ONE_SIDED_DAYS = 3  # how far past its only dated neighbour a report may be dated
_ALL_PAIRS_MAX = 300  # up to this many dated reports, the order is read from all pairs
_OUTLIER_WINDOW = 3  # neighbours on each side a date is checked against
_MAX_OUTLIER_ROUNDS = 20
_ORDER_MARGIN = 2  # the majority direction must have at least this many times the minority's steps

STRONG_BASES = ("metadata", "user")


@dataclass(slots=True)
class _Evidence:
    lower: dt.date | None  # strongest caption bound (not a file photo)
    weak_lower: dt.date | None  # any caption bound, file photos included
    weekday: int | None  # 0 = Monday


def lede_weekday(body: str) -> int | None:
    """The weekday the lede dates the report by (0 = Monday), or None when absent or ambiguous."""
    lede = body.split("\n", 1)[0]
    days = {m.group("day").lower() for m in _WEEKDAY_RE.finditer(lede) if not m.group("before")}
    if len(days) == 1:
        return WEEKDAYS.index(days.pop())
    if len(days) > 1:
        said = {m.group("day").lower() for m in _SAID_ON_RE.finditer(lede)}
        if len(said) == 1:
            return WEEKDAYS.index(said.pop())
    return None


def weekday_on_or_after(bound: dt.date, weekday: int) -> dt.date:
    return bound + dt.timedelta(days=(weekday - bound.weekday()) % 7)


def weekday_on_or_before(bound: dt.date, weekday: int) -> dt.date:
    return bound - dt.timedelta(days=(bound.weekday() - weekday) % 7)


def _evidence(article: Article) -> _Evidence:
    strong = [c.date for c in article.captions if c.date is not None and not c.file_photo]
    weak = [c.date for c in article.captions if c.date is not None]
    return _Evidence(
        lower=max(strong) if strong else None,
        weak_lower=max(weak) if weak else None,
        weekday=lede_weekday(article.body),
    )


def _direction(dates: list[dt.date]) -> int | None:
    """+1 ascending, -1 descending, 0 all equal, None when the order cannot be read.

    Counts every ordered pair for short lists (one stray date then weighs little),
    consecutive pairs for long ones.
    """
    if len(dates) <= _ALL_PAIRS_MAX:
        pairs = [(x, y) for k, x in enumerate(dates) for y in dates[k + 1:]]
    else:
        pairs = list(zip(dates, dates[1:]))
    asc = sum(1 for x, y in pairs if y > x)
    desc = sum(1 for x, y in pairs if y < x)
    if asc == desc == 0:
        return 0 if dates else None
    if desc >= _ORDER_MARGIN * asc:
        return -1
    if asc >= _ORDER_MARGIN * desc:
        return 1
    return None


def _in_order(a: dt.date, b: dt.date, direction: int) -> bool:
    """Whether ``a`` may come before ``b`` in a dump ordered ``direction``."""
    return a <= b if direction > 0 else a >= b if direction < 0 else a == b


def _drop_outliers(anchors: list[tuple[int, dt.date, bool]], direction: int) -> list[tuple[int, dt.date, bool]]:
    """Drop caption+weekday dates that break the dump's order, worst first.

    A date's fault is the number of dated reports among its nearest neighbours
    (``_OUTLIER_WINDOW`` on each side) it is out of order with.  In each round
    every date that is the worst in its neighbourhood is dropped (ties go to the
    date farthest from the neighbourhood's median), until no date is out of
    order.  Linear per round.  Metadata and user dates are never dropped.
    """
    w = _OUTLIER_WINDOW
    for _ in range(_MAX_OUTLIER_ROUNDS):
        days = [d for _, d, _ in anchors]
        n = len(days)
        if n < 3:
            break
        keys: list[tuple[int, int]] = []
        for k, day in enumerate(days):
            lo, hi = max(0, k - w), min(n, k + w + 1)
            faults = sum(1 for j in range(lo, k) if not _in_order(days[j], day, direction))
            faults += sum(1 for j in range(k + 1, hi) if not _in_order(day, days[j], direction))
            local = sorted(days[lo:hi])
            keys.append((faults, abs((day - local[len(local) // 2]).days)))
        drop = {
            k for k in range(n)
            if keys[k][0] and not anchors[k][2]
            and all(keys[k] > keys[j] or (keys[k] == keys[j] and k < j)
                    for j in range(max(0, k - w), min(n, k + w + 1)) if j != k and not anchors[j][2])
        }
        if not drop:
            break
        for k in sorted(drop):
            log.debug("article %d: caption+weekday date %s breaks the dump's order; re-resolved from neighbours",
                      anchors[k][0], anchors[k][1])
        anchors = [x for k, x in enumerate(anchors) if k not in drop]
    return anchors


def _resolve(lo: dt.date | None, hi: dt.date | None, weekday: int | None, *,
             floor: dt.date | None) -> dt.date | None:
    """The one day the bounds (neighbours ``lo``/``hi``, caption ``floor``) and weekday allow, or None."""
    if floor is not None and lo is not None:
        lo = max(lo, floor)
    if lo is not None and hi is not None:
        if lo > hi:
            return None
        if weekday is None:
            return lo if lo == hi else None
        day = weekday_on_or_after(lo, weekday)
        return day if day <= hi and day + dt.timedelta(days=7) > hi else None
    # one-sided (before the first or after the last dated neighbour): the nearest such
    # weekday, and only when it is close; a weekday far from the neighbour more likely
    # names an earlier event (or another time zone's day) than a later report
    if lo is not None:
        if weekday is None:
            return None
        day = weekday_on_or_after(lo, weekday)
        return day if (day - lo).days <= MAX_ONE_SIDED_DAYS else None
    if hi is not None:
        if weekday is None:
            return hi if floor == hi else None
        day = weekday_on_or_before(hi, weekday)
        ok = (hi - day).days <= MAX_ONE_SIDED_DAYS and (floor is None or day >= floor)
        return day if ok else None
    return None


def infer_published(articles: list[Article]) -> None:
    """Set ``published``/``published_basis`` on the articles of one input, in dump order.

    Articles with a ``metadata`` or ``user`` date are left alone (and serve as evidence).
    """
    if not articles:
        return
    ev = [_evidence(a) for a in articles]

    anchors: list[tuple[int, dt.date, bool]] = []  # (index, date, fixed)
    for i, (a, e) in enumerate(zip(articles, ev)):
        if a.published is not None and a.published_basis in STRONG_BASES:
            anchors.append((i, a.published, True))
        elif e.lower is not None and e.weekday is not None:
            anchors.append((i, weekday_on_or_after(e.lower, e.weekday), False))

    direction = _direction([d for _, d, _ in anchors]) if len(anchors) >= 2 else None
    if direction is not None and direction != 0:
        anchors = _drop_outliers(anchors, direction)
        direction = _direction([d for _, d, _ in anchors])

    anchored = {i: (d, fixed) for i, d, fixed in anchors}
    for i, (day, fixed) in anchored.items():
        if not fixed:
            articles[i].published, articles[i].published_basis = day, "caption+weekday"

    positions = [i for i, _, _ in anchors]
    dates = [d for _, d, _ in anchors]
    for i, (a, e) in enumerate(zip(articles, ev)):
        if i in anchored or (a.published is not None and a.published_basis in STRONG_BASES):
            continue
        a.published, a.published_basis = None, "unknown"
        if direction is None:
            continue
        before = _nearest(positions, dates, i, -1)
        after = _nearest(positions, dates, i, +1)
        if direction == 0 and (before is None or after is None):
            continue  # a flat order gives no bound outside its anchors
        lo, hi = _bounds(before, after, direction)
        day = _resolve(lo, hi, e.weekday, floor=e.lower or e.weak_lower)
        if day is not None:
            a.published, a.published_basis = day, "neighbours"


def _nearest(positions: list[int], dates: list[dt.date], i: int, step: int) -> dt.date | None:
    k = bisect.bisect_left(positions, i)
    if step < 0:
        return dates[k - 1] if k > 0 else None
    return dates[k] if k < len(positions) else None


def _bounds(before: dt.date | None, after: dt.date | None, direction: int) -> tuple[dt.date | None, dt.date | None]:
    if direction > 0:
        return before, after
    if direction < 0:
        return after, before
    return before or after, before or after
