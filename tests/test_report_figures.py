"""The report's title and headline figures come from the period's own events: countries in the title by
their dead, and running totals ("displaced since 2013") left out of the displaced figures."""

from __future__ import annotations

import datetime as dt

from wirewatch.models import Claim, Event, Evidence, Location
from wirewatch.report.build import build_report
from wirewatch.report.summary import default_title, running_total, summarise

D = dt.date
NOW = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)


def _event(eid: str, country: str, code: str, *, dead: int, claims: list[Claim] = (),
           evidence: list[Evidence] = ()) -> Event:
    loc = Location(f"Town {eid}", country, code, None, None, 10.0, 20.0, None, 1)
    return Event(eid, "Battles", "Armed clash", D(2024, 5, 2), D(2024, 5, 2), D(2024, 5, 2), 1, location=loc,
                 fatalities=dead, fatalities_low=dead if dead else None, fatalities_best=dead if dead else None,
                 fatalities_high=dead if dead else None, claims=list(claims), evidence=list(evidence))


def _displaced(sentence: str, figure: str, n: int, article: str, *, at: int = 0) -> tuple[Claim, Evidence]:
    """A claim and its sentence, the sentence starting at offset ``at`` of the article's body."""
    start = at + sentence.index(figure)
    return (Claim("displaced", n, n, None, figure, "aid agency", article, start, start + len(figure), D(2024, 5, 3)),
            Evidence(article, sentence, at, at + len(sentence)))


def test_title_names_the_countries_with_the_most_dead_first() -> None:
    events = [_event("a", "Egypt", "EG", dead=1), _event("b", "Iraq", "IQ", dead=2),
              _event("c", "South Sudan", "SS", dead=3), _event("d", "Syria", "SY", dead=40),
              _event("e", "Egypt", "EG", dead=0)]
    assert default_title(events, country=None) == (
        "Conflict events situation report: Syria, South Sudan, Iraq and others")


def test_running_totals_are_not_the_displaced_headline() -> None:
    total, total_ev = _displaced("Fighting has displaced 1.5 million people since 2013, the agency said.",
                                 "1.5 million people", 1_500_000, "art-1")
    fresh, fresh_ev = _displaced("The attack forced 2,000 people to flee their homes on Thursday.",
                                 "2,000 people", 2000, "art-1", at=80)
    ev = _event("s", "South Sudan", "SS", dead=5, claims=[total, fresh], evidence=[total_ev, fresh_ev])
    assert running_total(total, ev) and not running_total(fresh, ev)
    data = summarise([ev], generated=NOW)
    assert (data.displaced.low, data.displaced.high) == (2000, 2000)
    md = build_report([ev], fmt="md", generated=NOW)
    headline = md.split("## Events per day")[0]
    assert "| People reported displaced | 2,000 |" in headline and "1,500,000" not in headline
    assert "| displaced | 1,500,000 | aid agency |" in md  # the claim itself is still listed
