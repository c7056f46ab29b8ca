"""Filtering events: one parser of what the analyst typed, and the filter in Python.

:func:`parse_filter` turns the CLI's options and the API's query parameters alike into an
:class:`EventFilter` (country by ISO code or English name, event types in any case), or raises
:class:`QueryError` naming what is accepted (the CLI exits 2, the API answers 422).  ``export`` applies
the filter with :meth:`EventFilter.matches`, so the same options select the same events in every output
format; :func:`where_sql` renders the same filter object as a WHERE clause for SQLite or PostgreSQL over
the store's ``events`` table (the web API builds its SQLite fast paths on it in :mod:`wirewatch.web.filter_sql`),
and the API's column snapshot evaluates it vectorised (:mod:`wirewatch.web.columns`).

Both select the same events by construction: dates compare on ``event_date`` (the date every export row
shows; ACLED's own data are filtered the same way), and an ``admin1`` typed in any case is spelt as the
gazetteer spells it before either compares it exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from .errors import QueryError
from .models import EVENT_TYPES, Event

__all__ = ["EventFilter", "SqlTerm", "matches", "parse_bbox", "parse_filter", "country_code", "sql_terms", "where_sql"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFilter:
    """What the analyst asked for; every field optional (None = no constraint)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # exact actor name, case-insensitive, in any actor role
    min_fatalities: int | None = None
    q: str | None = None  # words searched in notes and evidence sentences (all must occur)
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (degrees)

    def matches(self, ev: Event) -> bool:
        """Does ``ev`` satisfy every constraint?  (The SQL of :func:`where_sql` selects the same.)"""
        return matches(self, ev)

    def to_sql(self, dialect: Dialect = "sqlite") -> tuple[str, list[Any]]:
        """This filter as a WHERE clause over ``events AS e`` and its parameters (see :func:`where_sql`)."""
        return where_sql(self, dialect)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``"west,south,east,north"`` in degrees; west > east crosses the antimeridian."""
    parts = text.split(",")
    if len(parts) != 4:
        raise QueryError("bbox must be four numbers: west,south,east,north")
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise QueryError("bbox must be four numbers: west,south,east,north") from None
    if not all(map(_finite, (w, s, e, n))):
        raise QueryError("bbox numbers must be finite")
    if not (-90 <= s <= n <= 90):
        raise QueryError("bbox latitudes must satisfy -90 <= south <= north <= 90")
    w, e = _wrap(w), _wrap(e)
    return w, s, e, n


def _finite(x: float) -> bool:
    return x == x and abs(x) != float("inf")


def _wrap(lon: float) -> float:
    if -180 <= lon <= 180:
        return lon
    return (lon + 180) % 360 - 180


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(alpha-2 codes -> name, casefolded names -> code) of GeoNames' country table."""
    from .geo.tables import read_countries

    rows = read_countries()
    return {r.iso: r.name for r in rows}, {r.name.casefold(): r.iso for r in rows}


def country_code(value: str) -> str:
    """``"sy"``, ``"SY"`` or ``"syria"`` -> ``"SY"``; QueryError for anything else."""
    codes, names = _countries()
    text = " ".join(value.split())
    if text.upper() in codes:
        return text.upper()
    if text.casefold() in names:
        return names[text.casefold()]
    raise QueryError(f"unknown country {value!r}: give an ISO 3166-1 alpha-2 code or an English country name,"
                     " e.g. SY or Syria")


@lru_cache(maxsize=1)
def _admin1_spellings() -> dict[str, str]:
    """casefolded first-level division names (and their ASCII forms) -> the name events carry."""
    from .geo.tables import read_admin1

    spellings: dict[str, set[str]] = {}
    for row in read_admin1():
        for form in (row.name, row.asciiname):
            spellings.setdefault(form.casefold(), set()).add(row.name)
    return {key: next(iter(names)) for key, names in spellings.items() if len(names) == 1}


def admin1_name(value: str) -> str:
    """``"aleppo"`` -> ``"Aleppo"``: a province in the gazetteer's own spelling, whatever the case; a name
    the gazetteer does not hold (an analyst's edit, say) is kept as typed."""
    text = " ".join(value.split())
    return _admin1_spellings().get(text.casefold(), text)


def event_type_name(value: str) -> str:
    """An ACLED event type (or our Displacement) in its own spelling, whatever the case."""
    found = {t.casefold(): t for t in EVENT_TYPES}.get(" ".join(value.split()).casefold())
    if found is None:
        raise QueryError(f"unknown event type {value!r}; accepted: {', '.join(EVENT_TYPES)}")
    return found


def sub_event_type_name(value: str, *, event_type: str | None = None) -> str:
    subs = EVENT_TYPES[event_type] if event_type else tuple(s for ss in EVENT_TYPES.values() for s in ss)
    found = {s.casefold(): s for s in subs}.get(" ".join(value.split()).casefold())
    if found is None:
        of = f" of {event_type}" if event_type else ""
        raise QueryError(f"unknown sub-event type{of} {value!r}; accepted: {', '.join(subs)}")
    return found


def _day(name: str, value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name} {value!r} is not a date; accepted: YYYY-MM-DD") from None


def parse_filter(*, date_from: dt.date | str | None = None, date_to: dt.date | str | None = None,
                 country: str | None = None, admin1: str | None = None, event_type: str | None = None,
                 sub_event_type: str | None = None, actor: str | None = None, min_fatalities: int | None = None,
                 q: str | None = None, bbox: str | None = None) -> EventFilter:
    """The filter the analyst asked for, every value checked; QueryError says what is wrong and what is accepted."""
    start, end = _day("date_from", date_from), _day("date_to", date_to)
    if start and end and start > end:
        raise QueryError(f"empty date range: date_from {start} is after date_to {end}")
    etype = event_type_name(event_type) if event_type else None
    return EventFilter(
        date_from=start, date_to=end, country=country_code(country) if country else None,
        admin1=admin1_name(admin1) if admin1 else None, event_type=etype,
        sub_event_type=sub_event_type_name(sub_event_type, event_type=etype) if sub_event_type else None,
        actor=actor or None, min_fatalities=min_fatalities, q=q or None, bbox=parse_bbox(bbox) if bbox else None)


def _in_bbox(lat: float | None, lon: float | None, bbox: tuple[float, float, float, float]) -> bool:
    if lat is None or lon is None:
        return False
    w, s, e, n = bbox
    if not s <= lat <= n:
        return False
    return w <= lon <= e if w <= e else (lon >= w or lon <= e)  # west > east crosses the antimeridian


def matches(flt: EventFilter, ev: Event) -> bool:
    """Does ``ev`` satisfy every constraint of ``flt``?  (Dates compare on ``event_date``.)"""
    loc = ev.location
    if flt.date_from or flt.date_to:
        day = ev.event_date
        if day is None or (flt.date_from and day < flt.date_from) or (flt.date_to and day > flt.date_to):
            return False
    if flt.country and (loc is None or (loc.country_code or "").upper() != flt.country.upper()):
        return False
    if flt.admin1 and (loc is None or loc.admin1 != flt.admin1):
        return False
    if flt.event_type and ev.event_type != flt.event_type:
        return False
    if flt.sub_event_type and ev.sub_event_type != flt.sub_event_type:
        return False
    if flt.actor:
        actors = {a.casefold() for a in (ev.actor1, ev.actor2, ev.assoc_actor_1, ev.assoc_actor_2) if a}
        if flt.actor.casefold() not in actors:
            return False
    if flt.min_fatalities is not None and ev.fatalities < flt.min_fatalities:
        return False
    if flt.q:
        haystack = " ".join([ev.notes or ""] + [e.text for e in ev.evidence]).casefold()
        if not all(w.casefold() in haystack for w in re.findall(r"\w+", flt.q)):
            return False
    if flt.bbox and not _in_bbox(loc.latitude if loc else None, loc.longitude if loc else None, flt.bbox):
        return False
    return True


# -- the filter as SQL -------------------------------------------------------------------------------------

Dialect = Literal["sqlite", "postgres"]


class SqlTerm(NamedTuple):
    """One constraint of a filter as SQL: which field it comes from, the clause, and its parameters."""

    field: str
    clause: str
    params: list[Any]


def date_key(dialect: Dialect = "sqlite") -> str:
    """The page-order date of ``events AS e``, spelt as each store's paging indexes spell it."""
    return "ifnull(e.event_date, '')" if dialect == "sqlite" else "coalesce(e.event_date, '')"


def _record(dialect: Dialect, key: str) -> str:
    """A text field of the event's JSON record."""
    return f"json_extract(e.record, '$.{key}')" if dialect == "sqlite" else f"(e.record::jsonb ->> '{key}')"


def _evidence_text(dialect: Dialect) -> str:
    if dialect == "sqlite":
        return ("(SELECT group_concat(json_extract(v.value, '$.text'), ' ')"
                " FROM json_each(e.record, '$.evidence') AS v)")
    return "(SELECT string_agg(v ->> 'text', ' ') FROM jsonb_array_elements(e.record::jsonb -> 'evidence') AS v)"


def _like_word(word: str) -> str:
    return "%" + re.sub(r"([%_\\])", r"\\\1", word.casefold()) + "%"


def sql_terms(flt: EventFilter, dialect: Dialect = "sqlite", *,
              unindexed: frozenset[str] = frozenset()) -> list[SqlTerm]:
    """Each constraint of ``flt`` as SQL over the store's ``events AS e`` (columns ``event_date``,
    ``country_code``, ``admin1``, ``event_type``, ``sub_event_type``, ``fatalities``, ``latitude``,
    ``longitude`` and the JSON ``record``), in ``?`` (SQLite) or ``%s`` (PostgreSQL) placeholder style.

    ``actor`` and ``q`` read the JSON record (one per row; the SQLite web API swaps in its actor table and
    FTS5 index).  Fields named in ``unindexed`` (SQLite only: ``bbox``) are written with unary ``+`` so no
    index serves them.
    """
    p = "?" if dialect == "sqlite" else "%s"
    key = date_key(dialect)
    terms: list[SqlTerm] = []
    if flt.date_from is not None:
        terms.append(SqlTerm("date_from", f"{key} >= {p}", [flt.date_from.isoformat()]))
    if flt.date_to is not None:  # dated events only, read off the index
        terms.append(SqlTerm("date_to", f"{key} <= {p} AND {key} > ''", [flt.date_to.isoformat()]))
    for name, column, value in (("country", "e.country_code", flt.country and flt.country.upper()),
                                ("admin1", "e.admin1", flt.admin1), ("event_type", "e.event_type", flt.event_type),
                                ("sub_event_type", "e.sub_event_type", flt.sub_event_type)):
        if value is not None:
            terms.append(SqlTerm(name, f"{column} = {p}", [value]))
    if flt.min_fatalities is not None:
        terms.append(SqlTerm("min_fatalities", f"e.fatalities >= {p}", [flt.min_fatalities]))
    if flt.actor is not None:
        roles = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
        clause = " OR ".join(f"lower({_record(dialect, r)}) = lower({p})" for r in roles)
        terms.append(SqlTerm("actor", f"({clause})", [flt.actor] * len(roles)))
    if flt.q is not None:
        words = re.findall(r"\w+", flt.q)
        if words:
            notes, evidence = _record(dialect, "notes"), _evidence_text(dialect)
            text = f"lower(coalesce({notes}, '') || ' ' || coalesce({evidence}, ''))"
            terms.append(SqlTerm("q", " AND ".join(f"{text} LIKE {p} ESCAPE '\\'" for _ in words),
                                 [_like_word(w) for w in words]))
    if flt.bbox is not None:
        w, s, east, n = flt.bbox
        plus = "+" if "bbox" in unindexed and dialect == "sqlite" else ""
        lon = (f"{plus}e.longitude BETWEEN {p} AND {p}" if w <= east  # west > east crosses the antimeridian
               else f"({plus}e.longitude >= {p} OR {plus}e.longitude <= {p})")
        terms.append(SqlTerm("bbox", f"{plus}e.latitude BETWEEN {p} AND {p} AND {lon}", [s, n, w, east]))
    return terms


def where_sql(flt: EventFilter, dialect: Dialect = "sqlite") -> tuple[str, list[Any]]:
    """``flt`` as one WHERE clause over ``events AS e`` (``"1 = 1"`` when it constrains nothing) and its
    parameters, for SQLite (``?``) or PostgreSQL (``%s``)."""
    terms = sql_terms(flt, dialect)
    return (" AND ".join(t.clause for t in terms) if terms else "1 = 1"), [v for t in terms for v in t.params]
