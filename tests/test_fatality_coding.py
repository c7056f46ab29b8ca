"""ACLED's conservative fatalities in the product: a party's own figure, retold without a source, is not coded."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.merge.reconcile import reconcile_claims


@pytest.fixture(scope="module")
def extract():
    from wirewatch.extract import extract_mentions
    from wirewatch.extract.actors import ActorTable
    from wirewatch.models import Article
    from wirewatch.nlp.model import load_model

    nlp, table = load_model(), ActorTable.load()

    def run(body: str):
        art = Article(id="fc", text=body, body=body, published=dt.date(2021, 5, 4))
        (m,) = extract_mentions(art, nlp(body), actors=table)
        return m

    return run


LEAD = "On 3 May 2021, 2 guards were killed when insurgents attacked a checkpoint in Kandi district"


@pytest.mark.parametrize("tail", [". (Voice of Jihad reported 2 fatalities).", ". Taliban sources reported 2 fatalities."])
def test_the_partys_outlet_is_the_figures_source(extract, tail: str) -> None:
    m = extract(LEAD + tail)
    killed = [c for c in m.claims if c.quantity == "killed"]
    assert [c.low for c in killed] == [2, 2] and killed[1].qualifier == "partisan"  # every claim stays
    assert reconcile_claims(m.claims).conservative == 0


def test_a_party_that_also_reported_it_corroborates(extract) -> None:
    m = extract(LEAD + " (Voice of Jihad also reported 2 fatalities).")
    assert reconcile_claims(m.claims).conservative == 2
    m = extract(LEAD + ". (Voice of Jihad also reported 2 fatalities).")
    assert reconcile_claims(m.claims).conservative == 2 and all(c.qualifier != "partisan" for c in m.claims)


def test_another_figure_from_the_party_leaves_the_coded_one(extract) -> None:
    m = extract(LEAD + ". (Voice of Jihad reported 5 fatalities).")
    assert reconcile_claims(m.claims).conservative == 2
    assert not any(c.low == 5 for c in m.claims)  # a different figure from elsewhere is not this event's claim
