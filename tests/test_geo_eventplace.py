"""Where an event happened: the story's own countries bind its places, and a name in the event's sentence too
faint to be a mention still places the event before anything outside the sentence.  Sentences written for
these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.geo.eventplace import FAINT_SCORE, FaintNames, home_countries, is_foreign
from wirewatch.geo.gazetteer import EXACT, Candidate
from wirewatch.geo.recognizer import Toponym
from wirewatch.models import Article, Evidence, EventMention, Place, PlaceMention


def _place(cc: str, code: str = "PPL", name: str = "X") -> Place:
    return Place(1, name, 0.0, 0.0, cc, None, None, "A" if code.startswith(("ADM", "PCL")) else "P", code, 1000)


def _article(body: str) -> Article:
    return Article(id="e1", text=body, body=body, published=dt.date(2021, 5, 3), published_basis="metadata")


def _event(body: str, **kw) -> EventMention:
    return EventMention(id="e1:0", article_id="e1", event_type="Protests", sub_event_type="Peaceful protest",
                        evidence=[Evidence("e1", body, 0, len(body))], **kw)


@pytest.fixture(scope="module")
def nlp():
    from wirewatch.nlp.model import load_model

    return load_model()


def test_home_is_the_country_holding_most_of_the_story() -> None:
    places = [
        PlaceMention("Sonora", 0, 6, _place("MX", "ADM1"), 0.9),
        PlaceMention("Hermosillo", 8, 18, _place("MX"), 0.9),
        PlaceMention("Colonia", 22, 29, _place("UY", "ADM1"), 0.6),
    ]
    assert home_countries(places) == {"MX"}
    assert is_foreign(places[2], frozenset({"MX"}))
    # a country named does not count: a town of each country, and no home binds the event
    even = [PlaceMention("Kenya", 0, 5, _place("KE", "PCLI"), 0.9), PlaceMention("Garissa", 9, 16, _place("KE"), 0.9),
            PlaceMention("Jilib", 20, 25, _place("SO"), 0.9)]
    assert home_countries(even) == frozenset()
    assert not is_foreign(even[0], home_countries(even))
    # "traders back from Algeria marched in Sfax": the town is the home
    party = [PlaceMention("Algeria", 0, 7, _place("DZ", "PCLI"), 0.99), PlaceMention("Sfax", 9, 13, _place("TN"), 0.9)]
    assert home_countries(party) == {"TN"}


def test_a_faint_name_with_a_person_cue_is_never_read() -> None:
    cand = (Candidate(_place("NG"), EXACT),)
    tops = [
        Toponym("Buhari", 10, 16, cand, 0.3, features={"title": -2.5}),
        Toponym("Kaduna", 30, 36, cand, 0.3, features={"prep": 1.4}),
        Toponym("Zaria", 40, 45, cand, FAINT_SCORE / 2),  # below the faint bar
    ]
    faint = FaintNames(known=[], home=frozenset(), recognise=lambda: tops,
                       resolve=lambda ts: [PlaceMention(t.text, t.start, t.end, t.candidates[0].place, 0.5) for t in ts])
    assert [p.text for p, _ in faint.found()] == ["Kaduna"]


def test_a_faint_name_is_read_at_home_when_it_can_be() -> None:
    home, abroad = _place("ET", name="Soka"), _place("JP", name="Soka")
    top = Toponym("Soka", 5, 9, (Candidate(abroad, EXACT), Candidate(home, EXACT)), 0.3)
    faint = FaintNames(known=[], home=frozenset({"ET"}), recognise=lambda: [top],
                       resolve=lambda ts: [PlaceMention(t.text, t.start, t.end, abroad, 0.6) for t in ts])
    (p, score), = faint.found()
    assert p.place.country_code == "ET" and score == 0.3


def test_a_faint_reading_abroad_never_places_an_event_at_home() -> None:
    abroad = _place("JP", name="Soka")
    top = Toponym("Soka", 5, 9, (Candidate(abroad, EXACT),), 0.45)
    resolve = lambda ts: [PlaceMention(t.text, t.start, t.end, abroad, 0.6) for t in ts]  # noqa: E731
    assert FaintNames(known=[], home=frozenset({"ET"}), recognise=lambda: [top], resolve=resolve).in_windows([(0, 20)]) is None
    # with no home country, the reading stands
    got = FaintNames(known=[], home=frozenset(), recognise=lambda: [top], resolve=resolve).in_windows([(0, 20)])
    assert got is not None and got[0].place.country_code == "JP"


def test_the_event_sentence_places_a_protest_the_ner_misreads(gp, nlp) -> None:
    body = "Some forty nurses protested in central Thessaloniki on Monday over unpaid wages."
    doc = nlp(body)
    places = gp.parse(body, doc=doc, article=_article(body))
    m = _event(body)
    gp.locate(_article(body), [m], places, doc=doc)
    assert m.location is not None and m.location.country_code == "GR"
    assert m.location.location == "Thessaloniki"


def test_a_namesake_abroad_yields_to_the_country_the_sentence_names(gp, nlp) -> None:
    # Arada is also a town in Honduras; the sentence names Libya and its capital
    body = "Gunmen shot dead a shopkeeper in Arada, Tripoli district, Libya, on Friday night."
    doc = nlp(body)
    places = gp.parse(body, doc=doc, article=_article(body))
    m = _event(body, place_text="Arada", place_start=body.index("Arada"))
    gp.locate(_article(body), [m], places, doc=doc)
    assert m.location is not None and m.location.country_code == "LY"


def test_a_continent_is_never_where_an_event_happened(gp, nlp) -> None:
    body = "Thousands of farmers marched against the new fuel levy in several cities across Europe on Saturday."
    doc = nlp(body)
    places = gp.parse(body, doc=doc, article=_article(body))
    assert any(p.place is not None and p.place.feature_code == "CONT" for p in places)  # read, as a mention
    m = _event(body, place_text="Europe", place_start=body.index("Europe"))
    gp.locate(_article(body), [m], places, doc=doc)
    assert m.location is None


# -- a place written after the town it holds ("A, B", "A (B)", "A in B") only says where the town is ------------
CELAYA_MX = (20.52181, -100.81399)  # GeoNames cities500
SOBRAL_BR = (-3.68611, -40.34972)
THALA_TN = (35.57244, 8.67031)


def test_a_province_after_a_town_qualifies_it_and_a_list_does_not() -> None:
    from wirewatch.geo.eventplace import qualifiers

    def town(cc: str, admin1: str, gid: int) -> Place:
        return Place(gid, "T", 0.0, 0.0, cc, admin1, None, "P", "PPL", 1000)

    body = "in Kesra, Siliana on Monday"
    a = PlaceMention("Kesra", 3, 8, town("TN", "Siliana", 1), 0.8)
    b = PlaceMention("Siliana", 10, 17, Place(2, "Siliana", 0.0, 0.0, "TN", "Siliana", None, "A", "ADM1", 0), 0.9)
    assert qualifiers(body, [a, b]) == {id(b): a}
    # "(B)", "in B", "district of the B": the same reading
    for text in ("in Kesra (Siliana) on Monday", "in Kesra in Siliana on Monday", "in Kesra district of the Siliana region"):
        s = text.index("Siliana")
        b2 = PlaceMention("Siliana", s, s + 7, b.place, 0.9)
        assert qualifiers(text, [a, b2]) == {id(b2): a}, text
    # two towns of different provinces are a list
    other = PlaceMention("Sfax", 10, 14, town("TN", "Sfax", 3), 0.9)
    assert qualifiers("in Kesra, Sfax and Gabes", [a, other]) == {}
    # a finer place after a coarser one is no qualifier ("Siliana, Kesra"), nor is a country
    assert qualifiers("in Siliana, Kesra", [PlaceMention("Siliana", 3, 10, b.place, 0.9),
                                            PlaceMention("Kesra", 12, 17, a.place, 0.8)]) == {}
    country = PlaceMention("Tunisia", 10, 17, Place(4, "Tunisia", 0.0, 0.0, "TN", None, None, "A", "PCLI", 0), 0.9)
    assert qualifiers("in Kesra, Tunisia", [a, country]) == {}
    # words between the two names that are not a qualifier's
    far = PlaceMention("Siliana", 22, 29, b.place, 0.9)
    assert qualifiers("in Kesra, police said Siliana", [a, far]) == {}


@pytest.mark.parametrize(("body", "hint", "town"), [
    ("Gunmen shot dead two police officers in Celaya, Guanajuato, on Sunday.", "Guanajuato", CELAYA_MX),
    ("Residents burned tyres in Sobral (Ceara) over water cuts on Friday.", "Ceara", SOBRAL_BR),
    ("Unemployed graduates staged a sit-in at the governorate office in Thala, Kasserine.", "Kasserine", THALA_TN),
])
def test_the_event_is_in_the_town_its_province_qualifies(gp, nlp, body, hint, town) -> None:
    from wirewatch.geo.distance import haversine_km

    doc = nlp(body)
    art = _article(body)
    places = gp.parse(body, doc=doc, article=art)
    for kw in ({}, {"place_text": hint, "place_start": body.index(hint)}):  # with and without the extractor's word
        m = _event(body, **kw)
        gp.locate(art, [m], places, doc=doc)
        assert m.location is not None and m.location.latitude is not None, kw
        assert haversine_km(m.location.latitude, m.location.longitude, *town) < 15, (kw, m.location)
        assert m.location.geo_precision == 1


def test_the_story_words_give_a_home_when_its_places_give_none() -> None:
    from collections import Counter

    from wirewatch.geo.eventplace import cued_home

    assert cued_home(Counter({"NG": 0.5})) == {"NG"}
    assert cued_home(Counter({"NG": 0.5, "CM": 0.125, "TD": 0.125})) == {"NG"}
    # two countries cued alike ("Kenyan troops ... Somali militia"): no home
    assert cued_home(Counter({"KE": 0.5, "SO": 0.5})) == frozenset()
    assert cued_home(Counter()) == frozenset()


def test_a_faint_name_abroad_does_not_place_an_event_the_actors_put_at_home(gp, nlp) -> None:
    # the only name is a vehicle maker's, faintly read as a Japanese town; the CJTF is Nigerian
    body = "A Toyota pickup carrying CJTF members hit a roadside bomb, killing three."
    doc = nlp(body)
    art = _article(body)
    places = gp.parse(body, doc=doc, article=art)
    m = _event(body)
    gp.locate(art, [m], places, doc=doc)
    assert m.location is None or m.location.country_code == "NG", m.location
