"""What a situation report says, as data: filtering, headline numbers, rankings, disputes.

Nothing here renders; :mod:`wirewatch.report.html` and
:mod:`wirewatch.report.markdown` turn a :class:`ReportData` into text, so
both formats always carry the same numbers.

Conventions (stated in the report's footer too):

* **Period filter.**  An event is in ``[since, until]`` when the span it may
  have happened in (``date_start``..``date_end``, else ``event_date``)
  overlaps the period.  Undated events are dropped when a period is given.
* **Country filter.**  ``country`` matches the ISO 3166-1 alpha-2 code or the
  country name, case-insensitively.  Unlocated events are dropped then.
* **Fatalities.**  Sums of the events' ``fatalities_low`` / ``_best`` /
  ``_high`` (UCDP style, from :mod:`wirewatch.merge.reconcile`); an event without a
  reported figure adds nothing.
* **Displaced.**  The reconciled ``displaced`` plus ``refugees`` figures of
  each event (same rule as fatalities), summed.
* **Disputes.**  An event is disputed on a quantity when two or more sources'
  newest figures differ (the rule of :func:`wirewatch.merge.reconcile.reconcile_claims`).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import ReportError
from ..filters import parse_filter
from ..models import EVENT_TYPES, Claim, Event
from ..merge.reconcile import describe, point, reconcile_claims, usable_claims

log = logging.getLogger(__name__)

DISPLACEMENT_QUANTITIES = ("displaced", "refugees")


@dataclass(frozen=True, slots=True)
class Range:
    """A low / best / high triple summed over events; ``None`` parts when nothing was reported."""

    low: int | None
    best: int | None
    high: int | None

    @property
    def reported(self) -> bool:
        return self.low is not None or self.best is not None or self.high is not None

    def text(self) -> str:
        """``"40-55"``, ``"40"``, or ``"none reported"``."""
        if not self.reported:
            return "none reported"
        lo = self.low if self.low is not None else self.best
        hi = self.high if self.high is not None else self.best
        if lo is None or hi is None or lo == hi:
            return f"{(lo if lo is not None else hi):,}"
        return f"{lo:,}\u2013{hi:,}"


@dataclass(frozen=True, slots=True)
class SourceFigure:
    """One source's newest figure for a quantity: ``more than 50`` by ``Syrian Observatory ...``."""

    source: str
    figure: str
    value: int | None


@dataclass(frozen=True, slots=True)
class Dispute:
    """Sources disagreeing about one quantity of one event."""

    event_id: str
    quantity: str
    figures: tuple[SourceFigure, ...]

    def text(self) -> str:
        """``more than 50 (Syrian Observatory for Human Rights) vs at least 40 (rebels)``."""
        return " vs ".join(f"{f.figure} ({f.source})" for f in self.figures)


@dataclass(frozen=True, slots=True)
class GroupCount:
    """One row of a breakdown table (per country, per event type)."""

    name: str
    events: int
    fatalities: Range
    displaced: Range


@dataclass(slots=True)
class ReportData:
    """Everything a report shows, computed once from the selected events."""

    title: str
    generated: dt.datetime
    since: dt.date | None
    until: dt.date | None
    country: str | None
    events: list[Event]
    period_start: dt.date | None
    period_end: dt.date | None
    fatalities: Range
    displaced: Range
    injured: Range
    by_country: list[GroupCount]
    by_type: list[GroupCount]
    per_day: dict[dt.date, Counter]
    serious: list[Event]
    disputes: dict[str, list[Dispute]]
    outlets: list[tuple[str, int]]  # (agency, number of reports)
    cited: list[tuple[str, int]]  # (source cited in claims, number of claims)
    undated: int = 0
    unlocated: int = 0
    excluded: int = 0
    type_order: list[str] = field(default_factory=lambda: list(EVENT_TYPES))


# -- selection ----------------------------------------------------------------


def select_events(
    events: Iterable[Event],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: str | None = None,
) -> list[Event]:
    """The events a report for this period and country covers (:meth:`wirewatch.filters.EventFilter.matches`
    of the filter :func:`wirewatch.filters.parse_filter` makes of them), in a stable order."""
    flt = parse_filter(date_from=since, date_to=until, country=country)
    return sorted((ev for ev in events if flt.matches(ev)), key=lambda e: (e.event_date or dt.date.max, e.id))


# -- figures ------------------------------------------------------------------


def _add(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def fatality_range(events: Iterable[Event]) -> Range:
    low = best = high = None
    for ev in events:
        if ev.fatalities_low is None and ev.fatalities_best is None and ev.fatalities_high is None:
            continue
        lo = ev.fatalities_low if ev.fatalities_low is not None else ev.fatalities_best
        hi = ev.fatalities_high if ev.fatalities_high is not None else ev.fatalities_best
        be = ev.fatalities_best if ev.fatalities_best is not None else lo
        low, best, high = _add(low, lo), _add(best, be), _add(high, hi)
    return Range(low, best, high)


# A figure counted over a long stretch ("displaced since 2013", "since the war began", "over the past two
# years") is a running total, not what this event did: the report's figures leave it out.
_MONTH_NAMES = ("january|february|march|april|may|june|july|august|september|october|november|december")
_RUNNING_TOTAL = re.compile(
    rf"\bsince\s+(?:(?:early|late|mid-?)\s*)?(?:(?:19|20)\d\d\b|(?:{_MONTH_NAMES})\b|the\s+(?:start|beginning|outbreak|onset)\b"
    r"|the\s+(?:war|conflict|fighting|crisis|insurgency)\s+(?:began|started|broke out|erupted))"
    r"|\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years?|months|decades?)\b"
    r"|\bto\s+date\b|\bin\s+total\b|\baltogether\b|\bcumulative\b", re.IGNORECASE)


def running_total(claim: Claim, ev: Event) -> bool:
    """Is ``claim`` a running total (its evidence sentence counts since a year, a month, the war's start...)?"""
    for sentence in ev.evidence:
        if sentence.article_id == claim.article_id and sentence.start <= claim.start < sentence.end:
            return _RUNNING_TOTAL.search(sentence.text) is not None
    return _RUNNING_TOTAL.search(claim.text or "") is not None


def quantity_range(events: Iterable[Event], quantities: Sequence[str]) -> Range:
    """Sum over events of each quantity's reconciled low/best/high (running totals left out)."""
    low = best = high = None
    for ev in events:
        claims = [c for c in ev.claims if not running_total(c, ev)]
        for q in quantities:
            fr = reconcile_claims(claims, quantity=q)
            if fr.claims_used == 0:
                continue
            low, best, high = _add(low, fr.low), _add(best, fr.best), _add(high, fr.high)
    return Range(low, best, high)


def event_displaced(ev: Event) -> Range:
    return quantity_range([ev], DISPLACEMENT_QUANTITIES)


def severity_key(ev: Event) -> tuple:
    """Most serious first: deaths (best, then high), displaced, injured, sources, newest."""
    disp = event_displaced(ev)
    inj = quantity_range([ev], ("injured",))
    return (
        -(ev.fatalities_best if ev.fatalities_best is not None else (ev.fatalities_high or 0)),
        -(ev.fatalities_high or 0),
        -(disp.best or 0),
        -(inj.best or 0),
        -len(ev.sources),
        -(ev.event_date.toordinal() if ev.event_date else 0),
        ev.id,
    )


def disputes_of(ev: Event) -> list[Dispute]:
    """Quantities of ``ev`` on which two or more sources' newest figures differ."""
    out = []
    quantities = sorted({c.quantity for c in ev.claims})
    for q in quantities:
        used = usable_claims(ev.claims, quantity=q)
        newest: dict[str, Claim] = {}
        first_seen: dict[str, int] = {}
        for i, c in enumerate(used):  # report order: a later claim of one source supersedes
            who = (c.source or "").strip() or "unattributed"
            first_seen.setdefault(who, i)
            prev = newest.get(who)
            cur_date, prev_date = c.published or dt.date.min, (prev.published or dt.date.min) if prev else None
            if prev is None or cur_date > prev_date or (cur_date == prev_date and (point(c) or 0) > (point(prev) or 0)):
                newest[who] = c
        if len(newest) < 2 or len({(point(c), c.high, figure_text(c)) for c in newest.values()}) < 2:
            continue
        figures = tuple(
            SourceFigure(source=who, figure=figure_text(newest[who]), value=point(newest[who]))
            for who in sorted(newest, key=first_seen.__getitem__)
        )
        out.append(Dispute(event_id=ev.id, quantity=q, figures=figures))
    return out


def _group(events: Iterable[Event], key) -> list[GroupCount]:
    groups: dict[str, list[Event]] = defaultdict(list)
    for ev in events:
        groups[key(ev)].append(ev)
    rows = [
        GroupCount(name, len(evs), fatality_range(evs), quantity_range(evs, DISPLACEMENT_QUANTITIES))
        for name, evs in groups.items()
    ]
    rows.sort(key=lambda g: (-g.events, -(g.fatalities.best or 0), g.name))
    return rows


def default_title(events: Sequence[Event], *, country: str | None) -> str:
    if country:
        names = sorted({e.location.country for e in events if e.location and e.location.country})
        where = names[0] if len(names) == 1 else country
    else:  # the countries with the most dead, then the most events
        groups = _group((e for e in events if e.location and e.location.country), lambda e: e.location.country)
        groups.sort(key=lambda g: (-(g.fatalities.best or 0), -g.events, g.name))
        names = [g.name for g in groups]
        where = ", ".join(names[:3]) + (" and others" if len(names) > 3 else "") if names else "all regions"
    return f"Conflict events situation report: {where}"


def summarise(
    events: Iterable[Event],
    *,
    title: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: str | None = None,
    generated: dt.datetime | None = None,
    top: int = 10,
) -> ReportData:
    """Select the events of the period and country and compute every figure the report shows.

    ``generated`` (default: now, UTC) is printed in the report; pass it to get byte-identical output for the
    same events.  ``top`` is how many of the most serious events are detailed.
    """
    if since is not None and until is not None and since > until:
        raise ReportError(f"--since {since} is after --until {until}", hint="swap the two dates")
    if top < 1:
        raise ReportError(f"top must be at least 1, not {top}")
    generated = generated or dt.datetime.now(dt.timezone.utc)
    if generated.tzinfo is not None:
        generated = generated.astimezone(dt.timezone.utc)
    all_events = list(events)
    chosen = select_events(all_events, since=since, until=until, country=country)
    dates = [e.event_date for e in chosen if e.event_date is not None]
    per_day: dict[dt.date, Counter] = defaultdict(Counter)
    for ev in chosen:
        if ev.event_date is not None:
            per_day[ev.event_date][ev.event_type] += 1
    outlets: Counter = Counter()
    seen_articles: set[tuple[str, str]] = set()
    cited: Counter = Counter()
    for ev in chosen:
        for s in ev.sources:
            key = (s.agency or "unknown outlet", s.article_id)
            if key not in seen_articles:
                seen_articles.add(key)
                outlets[key[0]] += 1
        for c in ev.claims:
            if c.source:
                cited[c.source] += 1
    type_order = list(EVENT_TYPES) + sorted({e.event_type for e in chosen} - set(EVENT_TYPES))
    disputes = {ev.id: d for ev in chosen if (d := disputes_of(ev))}
    log.debug("report: %d of %d events selected, %d disputed", len(chosen), len(all_events), len(disputes))
    return ReportData(
        title=title or default_title(chosen, country=country),
        generated=generated,
        since=since,
        until=until,
        country=country,
        events=chosen,
        period_start=since or (min(dates) if dates else None),
        period_end=until or (max(dates) if dates else None),
        fatalities=fatality_range(chosen),
        displaced=quantity_range(chosen, DISPLACEMENT_QUANTITIES),
        injured=quantity_range(chosen, ("injured",)),
        by_country=_group(chosen, lambda e: (e.location.country if e.location and e.location.country else "Unknown")),
        by_type=_group(chosen, lambda e: e.event_type),
        per_day=dict(sorted(per_day.items())),
        serious=sorted(chosen, key=severity_key)[:top],
        disputes=disputes,
        outlets=sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0])),
        cited=sorted(cited.items(), key=lambda kv: (-kv[1], kv[0])),
        undated=sum(1 for e in chosen if e.event_date is None),
        unlocated=sum(1 for e in chosen if not (e.location and e.location.latitude is not None
                                                and e.location.longitude is not None)),
        excluded=len(all_events) - len(chosen),
        type_order=type_order,
    )


def area_text(data: ReportData) -> str:
    """``Syria (SY)`` for a country filter that matched, the filter as given otherwise, or ``all countries``."""
    if not data.country:
        return "all countries"
    names = sorted({(e.location.country, e.location.country_code) for e in data.events
                    if e.location and e.location.country})
    if len(names) == 1:
        name, code = names[0]
        return f"{name} ({code})" if code else name
    return data.country


def chart_span(data: ReportData) -> tuple[dt.date, dt.date]:
    """First and last day of the events-per-day chart: the period asked for, widened to every dated event."""
    days = list(data.per_day)
    start = min(data.since, days[0]) if data.since else days[0]
    end = max(data.until, days[-1]) if data.until else days[-1]
    return start, end


def place_text(ev: Event) -> str:
    """``Kismayo, Lower Juba, Somalia`` (unique parts, most specific first)."""
    loc = ev.location
    if loc is None:
        return "location unknown"
    parts: list[str] = []
    for p in (loc.location, loc.admin2, loc.admin1, loc.country):
        if p and p not in parts:
            parts.append(p)
    return ", ".join(parts) or "location unknown"


def actors_text(ev: Event) -> str:
    a1 = " and ".join(x for x in (ev.actor1, ev.assoc_actor_1) if x)
    a2 = " and ".join(x for x in (ev.actor2, ev.assoc_actor_2) if x)
    if a1 and a2:
        return f"{a1} vs {a2}"
    return a1 or a2 or "unidentified"


def date_text(ev: Event) -> str:
    if ev.date_start and ev.date_end and ev.date_start != ev.date_end:
        return f"{ev.date_start.isoformat()} to {ev.date_end.isoformat()}"
    d = ev.event_date or ev.date_start or ev.date_end
    return d.isoformat() if d else "date unknown"


def figure_text(c: Claim) -> str:
    """``more than 50``, ``dozens``, ``12-15``; ``unknown`` when the claim carries no figure."""
    if c.low is None and c.high is None:
        return (c.qualifier or "").strip() or "unknown"
    return describe(c)


def fatalities_text(ev: Event) -> str:
    """``12 killed``, ``3\u20135 killed (best 4)``, or ``no deaths reported``."""
    lo, hi, best = ev.fatalities_low, ev.fatalities_high, ev.fatalities_best
    if lo is None and hi is None and best is None:
        return "no deaths reported"
    lo = lo if lo is not None else best
    hi = hi if hi is not None else best
    if lo == hi:
        return f"{lo:,} killed"
    return f"{lo:,}\u2013{hi:,} killed (best {best:,})" if best is not None else f"{lo:,}\u2013{hi:,} killed"
