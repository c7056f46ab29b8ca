"""Time expressions in wire text, resolved against the report's date.

:func:`find_dates` finds dates ("on Feb. 7", "4 June 2019", "13/05"),
weekdays ("on Tuesday"), relative days and periods ("yesterday", "last week",
"earlier this month", "three months ago", "a day earlier") and ranges
("between Jan. 12 and Tuesday") and resolves each to a :class:`DateSpan`
against ``anchor`` (the publication date).  Pure regular expressions: no model.

Decisions (documented here so that callers can rely on them):

* A weekday is the most recent such day on or before the anchor ("on Tuesday"
  in a Friday report is three days earlier), unless the phrase itself says
  ``next`` or the clause is plainly future ("will ... on Tuesday"): then the
  next such day after the anchor.  :func:`resolve_weekday` exposes both.
* A month without a year ("in December", "in mid-October", "last March") is
  the most recent such month that started on or before the anchor; "last
  March" in March means the previous year's March.  In a future clause ("will
  be held in April") it is the next such month.  A day
  without a year ("on Feb. 7") is the nearest such day, a day ahead counting
  as two behind.
* ``precision`` follows ACLED: 1 day, 2 week, 3 month (anything longer, e.g. a
  year, is also 3).  Ranges take theirs from their length: up to one day 1,
  up to seven days 2, else 3.
* ``background`` is True for year-level expressions ("in 2011", "this year",
  "earlier this year", "last year", "the 1991 ..."), for "since ..." and for
  anything that starts more than 31 days before the anchor ("last June",
  "five months ago", "in November" in a late-February report).
* "a day earlier" / "the previous day" / "the day before" are taken relative
  to the anchor (the day before the report), which is how wires use them
  in ledes; callers wanting them relative to another date can re-anchor.
* With ``anchor=None`` only expressions that carry their own year resolve.
* dd/mm numeric dates ("13/05", "21/02/2017") are read day first (ACLED
  notes and most non-US wires); they need a valid day and month.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

BACKGROUND_DAYS = 31


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A resolved time expression.  Offsets are into the text given (plus ``offset``)."""

    start: dt.date
    end: dt.date
    precision: int  # ACLED time_precision: 1 day, 2 week, 3 month
    text: str
    char_start: int
    char_end: int
    background: bool


# --------------------------------------------------------------------------- vocab

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_SMALL = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "several": 3, "a few": 3, "few": 3, "a couple of": 2, "couple of": 2,
}

# Full month names are matched case-insensitively; abbreviations only with a
# capital and (except May) a dot or a following day number, so "mar" or "sat"
# in running text never become dates.
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
# a bare abbreviation before a capitalised word is part of a name ("Jan Hofmeyr College", "Mar Elias camp")
_MONTH_ABBR_NOT_NAME = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?!\s+[A-Z][a-z]))"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_MOD = r"(?P<mod>early|mid|late|the end of|the beginning of|the start of|the middle of)[\s\-]*"
_COUNT = r"(?P<count>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|several|a few|a couple of)"

_NOT_AFTER_NUMBER = r"(?![\d,.]*\d)(?!\s*(?:%|percent|per cent|km|kilomet|miles?\b|met(?:er|re)s?\b|people|troops|soldiers|men\b|members|dollars|tonnes|tons))"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # ISO 2017-02-24
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")),
    # Feb. 19, 2017 / February 19 / on Feb 19
    ("mdy", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>{_DAYNUM})\b(?:,?\s+(?P<y>{_YEAR})\b)?(?!\s*(?:%|km|per))")),
    # 19 February 2017 / 21 March
    ("dmy", re.compile(rf"\b(?P<d>{_DAYNUM})\s+(?:of\s+)?(?P<mon>{_MONTH})\b(?:,?\s+(?P<y>{_YEAR})\b)?")),
    # 13/05 or 21/02/2017 (day first)
    ("num", re.compile(r"(?<![\d/.])(?P<d>[12]\d|3[01]|0?[1-9])/(?P<m>1[0-2]|0?[1-9])(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])")),
    # day ranges inside one month: "15-18 February", "from 3 to 5 March", "17-20/03" (a span, day precision
    # when the days are adjacent, else week/month precision by length)
    ("dayrange", re.compile(rf"\b(?P<d1>{_DAYNUM})\s*(?:-|–|to|and)\s*(?P<d>{_DAYNUM})\s+(?:of\s+)?(?P<mon>{_MONTH})\b"
                            rf"(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("numrange", re.compile(r"(?<![\d/.])(?P<d1>[12]\d|3[01]|0?[1-9])\s*[-–]\s*(?P<d>[12]\d|3[01]|0?[1-9])/"
                            r"(?P<m>1[0-2]|0?[1-9])(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])")),
    # weekday, optionally "next"/"last"/"this", optionally followed by part of day
    ("weekday", re.compile(rf"\b(?:(?P<rel>next|last|this|this past|this coming|the previous|the following)\s+)?(?P<wd>{_WEEKDAY})(?:['’]s)?\b", re.I)),
    ("day", re.compile(r"\b(?P<word>yesterday|today|tonight|tomorrow|overnight|last night|this morning|this afternoon|this evening)\b", re.I)),
    ("prevday", re.compile(r"\b(?:a day earlier|the previous day|the day before|a day before|the previous night|the night before)\b", re.I)),
    ("ago", re.compile(rf"\b{_COUNT}\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>ago|earlier|before|later)\b", re.I)),
    ("week", re.compile(
        r"\b(?P<which>(?:late |early |earlier |later )?(?:last|this|next|past|previous|the previous|the past|earlier this|"
        r"later this|the same) week(?:end)?|(?:over|at|during) the weekend|the weekend)\b",
        re.I,
    )),
    ("month", re.compile(r"\b(?P<which>(?:late |early |earlier |later )?(?:last|this|next|past|previous|the previous|the past|earlier this|later this) month)\b", re.I)),
    ("year", re.compile(r"\b(?P<which>(?:late |early |earlier |later )?(?:last|this|next|past|previous|the previous|the past|earlier this|later this) year)\b", re.I)),
    ("recent", re.compile(r"\b(?:in|over|during) (?:the )?(?P<which>recent days|the last few days|past few days|last few days|recent weeks|past few weeks|last few weeks)\b", re.I)),
    # "in December", "in mid-October", "last March", "December 2016", "since October"
    ("monthname", re.compile(
        rf"\b(?:(?P<prep>in|since|during|until|by|from|last|this|next|of|early|late|mid|end of|since early|since late|"
        rf"since mid)[\s\-]+)?(?:{_MOD})?(?P<mon>{_MONTH_FULL}|{_MONTH_ABBR_NOT_NAME})"
        rf"(?:\s+(?P<y>{_YEAR})|\s+(?P<ry>last|this|next) year)?\b(?!\.?\s+\d)"
    )),
    # "in 2015", "since 2013", "the 1994 genocide"
    ("yearnum", re.compile(
        rf"\b(?P<prep>in|since|during|until|till|by|from|of|the|early|late|mid|before|after|through|between|and|to|"
        rf"summer|spring|autumn|fall|winter)[\s\-]+(?P<y>{_YEAR})\b{_NOT_AFTER_NUMBER}",
        re.I,
    )),
]

_WEEKDAY_ONLY = re.compile(rf"(?:on\s+)?{_WEEKDAY}(?:['’]s)?$", re.I)
_RANGE = re.compile(r"\b(?P<kw>between|from)\s+$", re.I)
_RANGE_JOIN = re.compile(r"^\s*(?:and|to|until|through|-|–)\s+(?:on\s+)?$", re.I)
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|would|is due|are due|(?:has |have |had |is |are |was |were )?scheduled|is expected to|are expected to|"
    r"plans? to|planned to|planning to|is set to|are set to|to be held|as soon as|as early as|no later than|next)\b",
    re.I,
)
_PAST_CUE = re.compile(r"\b(?:said|was|were|had|did|told|took|went|came|began|fell|won|lost|met|left|seized|[a-z]{3,}ed)\b", re.I)


# --------------------------------------------------------------------------- helpers


def resolve_weekday(weekday: int, anchor: dt.date, *, future: bool = False) -> dt.date:
    """The most recent ``weekday`` (0 = Monday) on or before ``anchor``; with ``future`` the next one after it."""
    if future:
        delta = (weekday - anchor.weekday()) % 7 or 7
        return anchor + dt.timedelta(days=delta)
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _week_span(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _precision_for(start: dt.date, end: dt.date) -> int:
    days = (end - start).days
    return 1 if days <= 1 else 2 if days <= 7 else 3


def _month_no(token: str) -> int | None:
    return _MONTHS.get(token.lower().rstrip("."))


def _day_no(token: str) -> int:
    return int(re.sub(r"\D", "", token))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _recent_year(month: int, day: int, anchor: dt.date) -> int:
    """The year that puts month/day nearest the anchor, a day ahead counting as two behind.

    Reports mostly look back, but "on Feb. 10" in an early-January report is next month.
    """
    best, best_gap = anchor.year, None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        cand = _safe_date(year, month, min(day, 28) if month == 2 else day)
        if cand is None:
            continue
        days = (cand - anchor).days
        gap = 2 * days if days > 0 else -days
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def _count(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else _SMALL.get(w, 1)


def _clause_before(text: str, pos: int) -> str:
    cut = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind(";", 0, pos))
    return text[cut + 1 : pos]


def _is_future(text: str, pos: int) -> bool:
    """The clause before ``pos`` looks forward ("will", "is due to", "plans to") with no past verb after the cue."""
    clause = _clause_before(text, pos)
    fut = _FUTURE.search(clause)
    return bool(fut) and not _PAST_CUE.search(clause[fut.end() :])


# --------------------------------------------------------------------------- resolvers
# Each returns (start, end, precision, background_hint) or None.

_Res = tuple[dt.date, dt.date, int, bool] | None


def _res_absolute(kind: str, m: re.Match[str], anchor: dt.date | None) -> _Res:
    y = m.group("y")
    if kind == "iso":
        return _res_date(int(y), int(m.group("m")), int(m.group("d")), anchor)
    if kind == "num":
        return _res_date(int(y) + (2000 if len(y) == 2 else 0) if y else None, int(m.group("m")), int(m.group("d")),
                         anchor)
    month = _month_no(m.group("mon"))
    if month is None:
        return None
    return _res_date(int(y) if y else None, month, _day_no(m.group("d")), anchor)


def _res_date(year: int | None, month: int, day: int, anchor: dt.date | None) -> _Res:
    """That day; without a year, the most recent such day up to ``anchor``."""
    if year is None:
        if anchor is None:
            return None
        year = _recent_year(month, day, anchor)
    d = _safe_date(year, month, day)
    return (d, d, 1, False) if d else None


def _res_dayrange(kind: str, m: re.Match[str], anchor: dt.date | None) -> _Res:
    """"15-18 February", "17-20/03": the span from the first day to the last (same month and year)."""
    last = _res_absolute("num" if kind == "numrange" else "dmy", m, anchor)
    if last is None:
        return None
    end = last[0]
    first = _day_no(m.group("d1"))
    if first >= end.day:
        return None
    start = end.replace(day=first)
    return start, end, _precision_for(start, end), False


def _res_weekday(m: re.Match[str], text: str, anchor: dt.date | None) -> _Res:
    if anchor is None:
        return None
    wd = _WEEKDAYS[m.group("wd").lower()]
    rel = (m.group("rel") or "").lower()
    if rel in ("next", "this coming", "the following"):
        d = resolve_weekday(wd, anchor, future=True)
    elif rel in ("last", "the previous", "this past"):
        d = resolve_weekday(wd, anchor - dt.timedelta(days=1))
    else:
        clause = _clause_before(text, m.start())
        fut = _FUTURE.search(clause)
        possessive = text[m.end("wd") : m.end("wd") + 2] in ("'s", "’s")
        future = bool(fut) and not possessive and not _PAST_CUE.search(clause[fut.end() :])
        d = resolve_weekday(wd, anchor, future=future and anchor.weekday() != wd)
    return d, d, 1, False


def _res_day(m: re.Match[str], anchor: dt.date | None) -> _Res:
    if anchor is None:
        return None
    w = m.group(0).lower()
    if w in ("yesterday", "last night"):
        d = anchor - dt.timedelta(days=1)
        return d, d, 1, False
    if w == "tomorrow":
        d = anchor + dt.timedelta(days=1)
        return d, d, 1, False
    if w == "overnight":
        return anchor - dt.timedelta(days=1), anchor, 1, False
    return anchor, anchor, 1, False


def _res_prevday(anchor: dt.date | None) -> _Res:
    if anchor is None:
        return None
    d = anchor - dt.timedelta(days=1)
    return d, d, 1, False


def _res_ago(m: re.Match[str], anchor: dt.date | None) -> _Res:
    if anchor is None:
        return None
    n = _count(m.group("count"))
    unit = m.group("unit").lower().rstrip("s")
    sign = 1 if m.group("dir").lower() == "later" else -1
    if unit == "day":
        d = anchor + sign * dt.timedelta(days=n)
        return d, d, 1, False
    if unit == "week":
        d = anchor + sign * dt.timedelta(days=7 * n)
        s, e = _week_span(d)
        return s, e, 2, False
    if unit == "month":
        y, mo = _shift_month(anchor.year, anchor.month, sign * n)
        s, e = _month_span(y, mo)
        return s, e, 3, False
    s, e = _month_span(anchor.year + sign * n, anchor.month)
    return s, e, 3, True


def _relative_offset(which: str) -> tuple[int, str]:
    """(-1 | 0 | 1, part) for "last/this/next" phrases; part is early/late/earlier/later/''."""
    w = which.lower()
    part = ""
    for p in ("earlier this", "later this", "early", "late", "earlier", "later"):
        if w.startswith(p):
            part = p.split()[0]
            break
    if re.search(r"\b(last|past|previous)\b", w):
        return -1, part
    if "next" in w:
        return 1, part
    return 0, part


def _res_week(m: re.Match[str], anchor: dt.date | None) -> _Res:
    if anchor is None:
        return None
    which = m.group("which").lower()
    if "weekend" in which:
        delta, _ = _relative_offset(which)
        # the most recent Saturday-Sunday on or before the anchor (next: the coming one)
        sat = resolve_weekday(5, anchor, future=delta > 0)
        if delta < 0 and sat == anchor:
            sat -= dt.timedelta(days=7)
        return sat, sat + dt.timedelta(days=1), 2, False
    if "the past week" in which or which.startswith("past week"):
        return anchor - dt.timedelta(days=7), anchor, 2, False
    if "the same week" in which:
        s, e = _week_span(anchor)
        return s, e, 2, False
    delta, part = _relative_offset(which)
    s, e = _week_span(anchor + dt.timedelta(days=7 * delta))
    if delta == 0 and part == "earlier":
        e = anchor
    return s, e, 2, False


def _res_month_or_year(m: re.Match[str], anchor: dt.date | None, *, year: bool) -> _Res:
    """A calendar month or year relative to ``anchor`` ("last month", "earlier this year"), or the 30/365 days
    before it ("the past month/year")."""
    if anchor is None:
        return None
    which = m.group("which").lower()
    if ("past year" if year else "past month") in which:
        return anchor - dt.timedelta(days=365 if year else 30), anchor, 3, year
    delta, part = _relative_offset(which)
    if year:
        s, e = dt.date(anchor.year + delta, 1, 1), dt.date(anchor.year + delta, 12, 31)
    else:
        s, e = _month_span(*_shift_month(anchor.year, anchor.month, delta))
    if delta == 0 and part == "earlier":
        e = min(e, anchor)
    elif delta == 0 and part == "later":
        s = anchor
    return s, e, 3, year


def _res_recent(m: re.Match[str], anchor: dt.date | None) -> _Res:
    if anchor is None:
        return None
    which = m.group("which").lower()
    days = 3 if "day" in which else 21
    return anchor - dt.timedelta(days=days), anchor, 2 if days <= 7 else 3, False


def _res_monthname(m: re.Match[str], anchor: dt.date | None, *, future: bool = False) -> _Res:
    token = m.group("mon")
    # "May" alone is too often the verb; a bare abbreviation needs its dot.
    if token == "May" and not (m.group("prep") or m.group("mod") or m.group("y")):
        return None
    if not token[0].isupper():
        return None
    month = _month_no(token)
    if month is None:
        return None
    prep = (m.group("prep") or "").lower()
    if m.group("y"):
        year = int(m.group("y"))
    elif anchor is None:
        return None
    elif prep == "next":
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif prep == "last":
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif prep == "this":
        year = anchor.year
    elif m.group("ry"):
        year = anchor.year + {"last": -1, "this": 0, "next": 1}[m.group("ry").lower()]
    elif future:
        year = anchor.year if month >= anchor.month else anchor.year + 1
    else:
        year = anchor.year if month <= anchor.month else anchor.year - 1
    s, e = _month_span(year, month)
    mod = (m.group("mod") or "").lower()
    if mod.startswith("early") or "beginning" in mod or "start" in mod:
        e = dt.date(year, month, 10)
    elif mod.startswith("mid") or "middle" in mod:
        s, e = dt.date(year, month, 11), dt.date(year, month, 20)
    elif mod.startswith("late") or "end" in mod:
        s = dt.date(year, month, 21)
    if prep.startswith("since") and anchor is not None:
        return s, anchor, 3, True
    return s, e, 3, False


def _res_yearnum(m: re.Match[str], anchor: dt.date | None) -> _Res:
    y = int(m.group("y"))
    prep = m.group("prep").lower()
    if prep == "since" and anchor is not None:
        return dt.date(y, 1, 1), anchor, 3, True
    return dt.date(y, 1, 1), dt.date(y, 12, 31), 3, True


# --------------------------------------------------------------------------- main


_Cand = tuple[int, int, dt.date, dt.date, int, bool]  # char start, char end, start, end, precision, background


def _candidates(text: str, anchor: dt.date | None) -> list[_Cand]:
    found: list[_Cand] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            if kind in ("iso", "mdy", "dmy", "num"):
                res = _res_absolute(kind, m, anchor)
            elif kind in ("dayrange", "numrange"):
                res = _res_dayrange(kind, m, anchor)
            elif kind == "weekday":
                res = _res_weekday(m, text, anchor)
            elif kind == "day":
                res = _res_day(m, anchor)
            elif kind == "prevday":
                res = _res_prevday(anchor)
            elif kind == "ago":
                res = _res_ago(m, anchor)
            elif kind == "week":
                res = _res_week(m, anchor)
            elif kind == "month":
                res = _res_month_or_year(m, anchor, year=False)
            elif kind == "year":
                res = _res_month_or_year(m, anchor, year=True)
            elif kind == "recent":
                res = _res_recent(m, anchor)
            elif kind == "monthname":
                res = _res_monthname(m, anchor, future=_is_future(text, m.start()))
            else:
                res = _res_yearnum(m, anchor)
            if res is None:
                continue
            s, e = m.span()
            if kind in ("yearnum", "monthname") and m.group("prep") and m.group("prep").lower() in (
                "the", "and", "to", "of", "between", "in", "during", "by", "from", "until", "till", "through", "before", "after"
            ):
                # keep the preposition out of the reported text, keep since/last/early etc.
                if "mod" in m.re.groupindex and m.group("mod"):
                    s = m.start("mod")
                else:
                    s = m.start("mon" if kind == "monthname" else "y")
            found.append((s, e, *res))
    # longest first, then earliest; drop overlaps
    found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    kept: list[_Cand] = []
    starts: list[int] = []  # sorted starts of kept spans (they never overlap)
    for cand in found:
        i = bisect.bisect_left(starts, cand[0])
        before_ok = i == 0 or kept[i - 1][1] <= cand[0]
        after_ok = i == len(kept) or cand[1] <= kept[i][0]
        if before_ok and after_ok:
            starts.insert(i, cand[0])
            kept.insert(i, cand)
    return kept


def _merge_ranges(text: str, spans: list[_Cand]) -> list[_Cand]:
    """Join "between X and Y" / "from X to Y" into one span and "Monday, Oct. 26" into the written date."""
    out: list[_Cand] = []
    i = 0
    while i < len(spans):
        cur = spans[i]
        if i + 1 < len(spans):
            nxt = spans[i + 1]
            head = _RANGE.search(text, max(0, cur[0] - 12), cur[0])
            if head and head.end() == cur[0] and _RANGE_JOIN.match(text[cur[1] : nxt[0]]) and cur[2] <= nxt[3]:
                start, end = cur[2], nxt[3]
                prec = _precision_for(start, end)
                out.append((head.start(), nxt[1], start, end, prec, cur[5] and nxt[5]))
                i += 2
                continue
            # "Monday, Oct. 26": the written date wins over the weekday arithmetic
            glued = re.fullmatch(r",?\s*(?:the\s+)?", text[cur[1] : nxt[0]])
            if _WEEKDAY_ONLY.match(text, cur[0], cur[1]) and glued and nxt[4] == 1:
                out.append((cur[0], *nxt[1:]))
                i += 2
                continue
        out.append(cur)
        i += 1
    return out


def find_dates(text: str, *, anchor: dt.date | None, offset: int = 0) -> list[DateSpan]:
    """Every time expression in ``text`` that resolves, in text order.

    ``anchor`` is the publication date (None: only dates with their own year).
    ``offset`` is added to the character offsets (pass the text's start in the body).
    """
    from .cues import plain

    text = plain(text)
    spans = _merge_ranges(text, _candidates(text, anchor))
    out: list[DateSpan] = []
    for s, e, start, end, prec, bg in spans:
        if anchor is not None and not bg and (anchor - start).days > BACKGROUND_DAYS:
            bg = True
        out.append(DateSpan(start, end, prec, text[s:e], s + offset, e + offset, bg))
    return out
