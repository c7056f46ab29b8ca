"""Claim reconciliation: range, best figure, ACLED's conservative number, dispute notes."""

from __future__ import annotations

import datetime as dt

from wirewatch.models import Claim
from wirewatch.merge.reconcile import describe, reconcile_claims, usable_claims

D = dt.date


def claim(low, high, *, qualifier=None, source="state media", article="x1", start=0, end=10,
          published=D(2017, 2, 25), quantity="killed", text="figure") -> Claim:
    return Claim(quantity, low, high, qualifier, text, source, article, start, end, published)


def test_no_killed_figure_gives_nulls_and_zero():
    fig = reconcile_claims([claim(12, 12, quantity="injured")])
    assert (fig.low, fig.best, fig.high, fig.note) == (None, None, None, None)
    assert fig.conservative == 0


def test_rising_toll_newest_report_is_best_low_stays_conservative():
    claims = [
        claim(5, None, qualifier="at least", article="r1", published=D(2017, 2, 24)),
        claim(32, 32, article="r2", published=D(2017, 2, 25)),
        claim(30, 30, article="r2", start=20, end=30, published=D(2017, 2, 25)),
    ]
    fig = reconcile_claims(claims)
    assert (fig.low, fig.best, fig.high) == (5, 32, 32)
    assert fig.conservative == 5
    assert fig.note is None  # one source whose figure rose: no dispute


def test_sum_replaces_its_parts_from_same_source_and_article():
    obs = "Syrian Observatory for Human Rights"
    claims = [
        claim(30, 30, source=obs, start=100, end=140),
        claim(12, 12, source=obs, start=150, end=190),
        claim(42, 42, qualifier="sum", source=obs, start=100, end=190),
        claim(32, 32, source="state media", start=200, end=220),
    ]
    used = usable_claims(claims, quantity="killed")
    assert sorted(c.low for c in used) == [32, 42]
    fig = reconcile_claims(claims)
    assert (fig.low, fig.high) == (32, 42)
    assert fig.note == f"Fatalities: {obs} reported 42; state media reported 32."


def test_cumulative_forecast_and_partisan_figures_are_ignored():
    claims = [
        claim(20, 20),
        claim(45000, None, qualifier="cumulative", start=30, end=40),
        claim(100, None, qualifier="partisan", source="the militants", start=50, end=60),
        claim(3, 3, qualifier="forecast", start=70, end=80),
    ]
    fig = reconcile_claims(claims)
    assert (fig.low, fig.best, fig.high) == (20, 20, 20)
    assert fig.claims_used == 1


def test_newest_reports_tie_most_cited_then_most_specific():
    claims = [
        claim(40, 40, article="n1", published=D(2017, 3, 2)),
        claim(40, 40, article="n2", published=D(2017, 3, 2), source="police"),
        claim(45, 45, qualifier="about", article="n3", published=D(2017, 3, 2), source="medics"),
        claim(10, 10, article="old", published=D(2017, 3, 1)),
    ]
    fig = reconcile_claims(claims)
    assert fig.best == 40  # cited by two of the three newest reports
    assert fig.low == 10 and fig.high == 45
    assert fig.note == "Fatalities: state media reported 40; police reported 40; medics reported about 45."


def test_range_claim_and_descriptions():
    c = claim(10, 12, text="10 to 12")
    assert describe(c) == "10-12"
    assert describe(claim(50, None, qualifier="more than")) == "more than 50"
    assert describe(claim(14000, 14000, qualifier="about")) == "about 14,000"
    fig = reconcile_claims([c])
    assert (fig.low, fig.best, fig.high) == (10, 11, 12)


def test_displacement_uses_the_same_rule():
    claims = [
        claim(14000, 14000, qualifier="about", quantity="displaced", article="d1", published=D(2017, 2, 28)),
        claim(26000, 26000, qualifier="about", quantity="displaced", article="d2", published=D(2017, 3, 1)),
    ]
    fig = reconcile_claims(claims, quantity="displaced")
    assert (fig.low, fig.best, fig.high) == (14000, 26000, 26000)
    assert reconcile_claims(claims).low is None  # no killed figure among them


def test_vague_figure_yields_to_numbers_and_coded_prior_are_ignored():
    claims = [
        claim(12, None, qualifier="dozens", source="Reuters"),
        claim(32, 32, source="state media", start=20, end=30),
        claim(42, 42, source="Syrian Observatory for Human Rights", start=40, end=50),
        claim(0, 0, qualifier="coded", start=60, end=70),
        claim(2, 2, qualifier="prior", start=80, end=90),
    ]
    fig = reconcile_claims(claims)
    assert (fig.low, fig.best, fig.high) == (32, 42, 42)
    assert "dozens" not in fig.note
    only_vague = reconcile_claims(claims[:1])
    assert (only_vague.low, only_vague.best, only_vague.high) == (12, 12, 12)


def test_sum_drops_part_from_previous_sentence_of_same_source():
    claims = [
        claim(5, 5, source="police", start=0, end=10),  # "Five soldiers were killed."
        claim(2, 2, source="police", start=40, end=50),  # "Also 2 militants were killed."
        claim(7, 7, qualifier="sum", source="police", start=40, end=50),
    ]
    fig = reconcile_claims(claims)
    assert (fig.low, fig.best, fig.high) == (7, 7, 7)


def test_a_partys_own_figure_retold_without_a_source_does_not_count():
    claims = [
        claim(4, 4, source=None, text="4 guards were killed"),
        claim(4, 4, qualifier="partisan", source="Voice of Jihad", start=60, end=80, text="VoJ reported 4"),
    ]
    fig = reconcile_claims(claims)
    assert (fig.low, fig.conservative, fig.claims_used) == (None, 0, 0)
    # another article's figure, another figure, or a named source are not the party's
    other = [claim(4, 4, source=None, article="x2"), claims[1]]
    assert reconcile_claims(other).conservative == 4
    assert reconcile_claims([claim(5, 5, source=None), claims[1]]).conservative == 5
    assert reconcile_claims([claim(4, 4, source="hospital officials"), claims[1]]).conservative == 4


def test_a_party_that_also_reported_the_figure_only_corroborates_it():
    claims = [
        claim(4, 4, source=None, text="4 guards were killed"),
        claim(4, 4, qualifier="partisan", source="Voice of Jihad", start=60, end=80, text="VoJ also reported 4"),
    ]
    assert reconcile_claims(claims).conservative == 4



def test_one_victim_of_a_larger_toll_in_the_same_report_does_not_lower_it():
    toll = claim(11, 11, source=None, text="11 people were killed")
    child = claim(1, None, qualifier="at least", source=None, start=30, end=45, text="at least one child")
    gunman = claim(1, 1, source="police", start=50, end=70, text="the gunman was killed")
    fig = reconcile_claims([toll, child, gunman])
    assert (fig.low, fig.best, fig.high) == (11, 11, 11)
    # one victim is a figure of its own where nothing larger is reported, or in another report
    assert reconcile_claims([child]).low == 1
    other = claim(1, 1, source="police", article="x2", text="one person died")
    assert reconcile_claims([toll, other]).low == 1
