"""Terse conflict notes (ACLED style): country evidence from actors, foreign look-alike names, towns
the small NER calls persons.  Every sentence here was written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.geo.cues import country_cues
from wirewatch.geo.distance import haversine_km
from wirewatch.models import Article, Evidence, EventMention

BENI_CD = (0.49113, 29.47306)  # GeoNames cities500
TOLGA_DZ = (34.72224, 5.37845)


def _article(body: str) -> Article:
    return Article(id="n1", text=body, body=body, published=dt.date(2016, 3, 1), published_basis="metadata")


def _event(body: str) -> EventMention:
    return EventMention(id="n1:0", article_id="n1", event_type="Battles", sub_event_type="Armed clash",
                        evidence=[Evidence("n1", body, 0, len(body))])


def test_actor_and_agency_names_are_country_evidence() -> None:
    assert set(country_cues("FARDC troops and MONUSCO patrols pushed the militia back.")) == {"CD"}
    assert set(country_cues("Imbonerakure members beat a trader.")) == {"BI"}
    # a group active in several countries spreads its weight over them
    shared = country_cues("Boko Haram fighters raided a market.")
    assert {"NG", "CM", "NE", "TD"} <= set(shared) and max(shared.values()) < 0.5
    # acronyms are matched as whole words, case-sensitively: no evidence in ordinary prose
    assert not country_cues("The farmers said the harvest was poor and prices fell.")
    assert not country_cues("A fardc-like word and monuscopic dust are not names.")


def test_actor_evidence_moves_a_name_home(gp) -> None:
    # "Beni" alone could be Bolivia's department (an alternate name); the ADF and FARDC put the note in Congo
    body = "ADF rebels ambushed FARDC soldiers near Mavivi in Beni territory, killing 4."
    places = gp.parse(body, article=_article(body))
    beni = [p for p in places if p.text == "Beni"]
    assert beni and beni[0].place is not None
    assert beni[0].place.country_code == "CD"
    assert haversine_km(beni[0].place.latitude, beni[0].place.longitude, *BENI_CD) < 25


def test_foreign_lookalike_is_not_taken_when_the_note_says_where_it_is(gp) -> None:
    # "Kalehe" only resembles an Iranian village in spelling; the note's actors are Congolese
    body = "FARDC soldiers killed 3 Nyatura militiamen during a clash in Kalehe territory."
    places = gp.parse(body, article=_article(body))
    kalehe = [p for p in places if p.text == "Kalehe"]
    assert kalehe, "the name is still a place mention"
    assert kalehe[0].place is None or kalehe[0].place.country_code == "CD"
    m = _event(body)
    gp.locate(_article(body), [m], places)
    assert m.location is None or m.location.country_code == "CD"


def test_lookalike_gate_needs_evidence_against_it(gp) -> None:
    from collections import Counter

    from wirewatch.geo.geoparser import _drop_foreign_loose
    from wirewatch.geo.recognizer import Toponym
    from wirewatch.geo.resolver import Context

    cands = gp.gazetteer.lookup("Kalehe")
    assert cands and all(c.place.country_code != "CD" for c in cands)  # only look-alikes abroad
    top = Toponym("Kalehe", 0, 6, cands, 0.9)
    reading = [(top, cands[0].place, 0.8)]
    # no country evidence at all: the reading stays
    assert _drop_foreign_loose(reading, Context(Counter()))[0][1] is cands[0].place
    # evidence for the look-alike's own country: it stays
    assert _drop_foreign_loose(reading, Context(Counter({cands[0].place.country_code: 0.5})))[0][1] is cands[0].place
    # evidence for another country only: unresolved, not moved to a random place
    assert _drop_foreign_loose(reading, Context(Counter({"CD": 0.5})))[0][1] is None


@pytest.fixture(scope="module")
def nlp():
    from wirewatch.nlp.model import load_model

    return load_model()


@pytest.mark.parametrize("body", [
    "Dozens of unemployed youths protested in Tolga over housing lists on Monday.",
    "Shopkeepers closed their stores in the town of Tolga to protest a new tax.",
])
def test_town_after_a_locative_is_a_place_even_when_ner_says_person(gp, nlp, body) -> None:
    doc = nlp(body)
    places = gp.parse(body, doc=doc, article=_article(body))
    tolga = [p for p in places if p.text == "Tolga"]
    assert tolga and tolga[0].place is not None and tolga[0].place.country_code == "DZ"
    assert haversine_km(tolga[0].place.latitude, tolga[0].place.longitude, *TOLGA_DZ) < 5


def test_person_named_like_a_town_outside_a_locative_stays_a_person(gp, nlp) -> None:
    body = "Tolga Yilmaz, a trader, told reporters the market would reopen."
    doc = nlp(body)
    assert not [p for p in gp.parse(body, doc=doc, article=_article(body)) if p.text.startswith("Tolga")]
