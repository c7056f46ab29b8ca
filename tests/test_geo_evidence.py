"""Resolving given spans, the text's other names of a province or country weigh as evidence
(sentences written for these tests)."""

from __future__ import annotations

from spans import spans_of

from wirewatch.geo.geoparser import Geoparser


def _where(m) -> tuple:
    p = m.place
    return None if p is None else (p.country_code, p.admin1)


def test_a_state_named_outside_the_given_spans_places_the_town(gp: Geoparser) -> None:
    text = ("Agents of the Georgia Bureau of Investigation searched a house in Albany on Tuesday. "
            "Albany police said two men were held overnight.")
    spans = spans_of(text, ["Albany", "Albany"])
    with_evidence = gp.resolve_spans(text, spans)
    without = gp.resolve_spans(text, spans, text_evidence=False)
    assert [_where(m) for m in with_evidence] == [("US", "Georgia"), ("US", "Georgia")]
    # the spans alone say nothing of the state: the evidence is what moved it
    assert _where(without[0]) != ("US", "Georgia")
    # only the given spans come back, in the order given
    assert [(m.start, m.end) for m in with_evidence] == spans


def test_a_street_named_after_a_state_is_no_evidence(gp: Geoparser) -> None:
    text = ("A water main broke on Georgia Avenue in Albany on Tuesday. "
            "Albany crews said the street would reopen by Friday.")
    spans = spans_of(text, ["Albany", "Albany"])
    assert [_where(m) for m in gp.resolve_spans(text, spans)] == [_where(m) for m in gp.resolve_spans(text, spans, text_evidence=False)]
