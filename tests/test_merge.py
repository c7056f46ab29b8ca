"""Merging mentions into events: same event across reports, distinct events kept apart, stable ids."""

from __future__ import annotations

import datetime as dt
import json
import random

from wirewatch.merge import diff_events, event_id_for, merge_mentions
from wirewatch.models import Article, Claim, EventMention, Evidence, Location
from wirewatch.reconcile import reconcile_claims

D = dt.date


def art(aid: str, published: dt.date, body: str, *, headline: str = "", story: str | None = None) -> Article:
    return Article(id=aid, text=body, body=body, headline=headline, agency="Reuters", published=published,
                   story_id=story or f"st_{aid}")


def loc(name: str, lat: float, lon: float, *, cc: str = "SY", admin1: str = "Aleppo", precision: int = 1,
        gid: int | None = None) -> Location:
    return Location(location=name, country="Syria" if cc == "SY" else "Iraq", country_code=cc, admin1=admin1,
                    admin2=None, latitude=lat, longitude=lon, geonameid=gid, geo_precision=precision)


def mention(a: Article, sentence: str, *, etype: str = "Explosions/Remote violence", sub: str = "Suicide bomb",
            day: dt.date | None = None, where: Location | None = None, actor1: str | None = None,
            claims: list[tuple[int | None, int | None, str | None, str | None]] = (), quantity: str = "killed",
            notes: str | None = None) -> EventMention:
    start = a.body.index(sentence)
    ev = Evidence(a.id, sentence, start, start + len(sentence))
    cl = [Claim(quantity, lo, hi, q, sentence, src, a.id, start, start + len(sentence) - i) for i, (lo, hi, q, src)
          in enumerate(claims)]
    return EventMention(id=f"{a.id}:{start}", article_id=a.id, event_type=etype, sub_event_type=sub, evidence=[ev],
                        event_date=day, date_start=day, date_end=day, time_precision=1 if day else None,
                        actor1=actor1, location=where, claims=cl, notes=notes)


SOUSIAN = dict(lat=36.4394, lon=37.5686)
ALBAB = dict(lat=36.3705, lon=37.5157)


def _bombing_reports():
    a1 = art("a1", D(2017, 2, 24), "At least 40 people died when a truck full of explosives blew up at a rebel post "
             "in Sousian on Friday, according to rebel officials. Sousian is a farming village.")
    a2 = art("a2", D(2017, 2, 25), "The death toll from Friday's car bombing in Sousian rose to more than 50, "
             "the monitoring group said on Saturday.")
    m1 = mention(a1, a1.body.split(". ")[0], day=D(2017, 2, 24), where=loc("Sousian", **SOUSIAN, gid=1),
                 actor1="Islamic State", claims=[(40, None, "at least", "rebels")], notes="Car bomb at a checkpoint.")
    m2 = mention(a2, a2.body.split(", the")[0], day=D(2017, 2, 24), where=loc("Sousian", **SOUSIAN, gid=1),
                 claims=[(50, None, "more than", "Syrian Observatory for Human Rights")])
    return [a1, a2], [m1, m2]


def test_same_bombing_in_two_articles_is_one_event_with_both_sources():
    arts, ms = _bombing_reports()
    events = merge_mentions(ms, {a.id: a for a in arts})
    assert len(events) == 1
    ev = events[0]
    assert [s.article_id for s in ev.sources] == ["a1", "a2"]
    assert ev.sub_event_type == "Suicide bomb" and ev.event_date == D(2017, 2, 24)
    assert ev.actor1 == "Islamic State"
    assert len(ev.claims) == 2 and len(ev.evidence) == 2
    assert ev.id == event_id_for("a1:0")


def test_disputed_toll_gives_range_and_note():
    arts, ms = _bombing_reports()
    ev = merge_mentions(ms, {a.id: a for a in arts})[0]
    assert ev.fatalities_low == 40
    assert ev.fatalities_high >= 50
    assert ev.fatalities_best == 50  # the newer report's figure
    assert ev.fatalities == 40  # ACLED's conservative number
    assert "Fatalities:" in ev.notes
    assert "rebels reported at least 40" in ev.notes
    assert "Syrian Observatory for Human Rights reported more than 50" in ev.notes
    assert ev.notes.startswith("Car bomb at a checkpoint.")


def test_two_attacks_same_city_same_day_different_districts_stay_two():
    a = art("b1", D(2016, 7, 3), "A car bomb tore through a market in Karrada early on Sunday, police said. "
            "Hours later a roadside bomb exploded near a mosque in Sadr City, killing five.")
    first, second = a.body.split(". ")
    m1 = mention(a, first, sub="Remote explosive/landmine/IED", day=D(2016, 7, 3),
                 where=loc("Karrada", 33.305, 44.425, cc="IQ", admin1="Baghdad", gid=11))
    m2 = mention(a, second, sub="Remote explosive/landmine/IED", day=D(2016, 7, 3),
                 where=loc("Sadr City", 33.388, 44.457, cc="IQ", admin1="Baghdad", gid=12))
    events = merge_mentions([m1, m2], {a.id: a})
    assert len(events) == 2
    assert {e.location.location for e in events} == {"Karrada", "Sadr City"}


def test_second_blast_near_the_village_is_a_separate_event():
    a = art("c1", D(2017, 2, 24), "Militants detonated an explosives-laden truck at a rebel post in Sousian on Friday. "
            "Hours afterwards a second blast shook a road a short distance south of Sousian.")
    first, second = a.body.split(". ")
    m1 = mention(a, first, day=D(2017, 2, 24), where=loc("Sousian", **SOUSIAN, gid=1))
    m2 = mention(a, second, sub="Remote explosive/landmine/IED", day=D(2017, 2, 24),
                 where=loc("Sousian", **SOUSIAN, gid=1, precision=2))
    assert len(merge_mentions([m1, m2], {a.id: a})) == 2


def test_two_mentions_of_one_bombing_in_one_article_merge():
    a = art("c2", D(2017, 2, 24), "Militants detonated an explosives-laden truck at a rebel post in Sousian on Friday. "
            "An online statement from the militants claimed the Sousian bombing.")
    first, second = a.body.split(". ")
    m1 = mention(a, first, day=D(2017, 2, 24), where=loc("Sousian", **SOUSIAN, gid=1))
    m2 = mention(a, second, sub="Attack", etype="Violence against civilians", day=D(2017, 2, 24),
                 where=loc("Sousian", **SOUSIAN, gid=1))
    events = merge_mentions([m1, m2], {a.id: a})
    assert len(events) == 1 and events[0].sub_event_type == "Suicide bomb"


def test_clashes_and_suicide_bombing_of_one_assault_are_one_suicide_bomb_event():
    a = art("h1", D(2017, 2, 25), "Attackers wearing explosive vests blew themselves up at two intelligence buildings in Homs on Saturday. "
            "Gunmen first traded fire with guards in the Homs neighbourhood of al-Mohata. "
            "A firefight was also reported in Homs near a compound in al-Ghouta.")
    s1, s2, s3 = a.body.split(". ")
    homs = loc("Homs", 34.7268, 36.7234, admin1="Homs", gid=100)
    m1 = mention(a, s1, day=D(2017, 2, 25), where=homs, actor1="Tahrir al-Sham")
    m2 = mention(a, s2, etype="Battles", sub="Armed clash", day=D(2017, 2, 25),
                 where=loc("al-Mohata", 34.7230, 36.7150, admin1="Homs", gid=101))
    m3 = mention(a, s3, etype="Battles", sub="Armed clash", day=D(2017, 2, 25),
                 where=loc("al-Ghouta", 34.7350, 36.7050, admin1="Homs", gid=102))
    events = merge_mentions([m1, m2, m3], {a.id: a})
    assert len(events) == 1
    assert (events[0].event_type, events[0].sub_event_type) == ("Explosions/Remote violence", "Suicide bomb")
    assert events[0].location.location == "Homs"


def test_different_named_actor1_blocks_merging():
    arts, ms = _bombing_reports()
    ms[1].actor1 = "Kurdish People's Protection Units"
    assert len(merge_mentions(ms, {a.id: a for a in arts})) == 2


def test_nearby_village_eight_km_away_is_another_place():
    arts, ms = _bombing_reports()
    ms[1].location = loc("al-Bab", **ALBAB, gid=2)
    assert len(merge_mentions(ms, {a.id: a for a in arts})) == 2


def test_far_apart_or_other_day_or_other_country_do_not_merge():
    arts, ms = _bombing_reports()
    amap = {a.id: a for a in arts}
    ms[1].event_date = ms[1].date_start = ms[1].date_end = D(2017, 2, 20)
    assert len(merge_mentions(ms, amap)) == 2
    arts, ms = _bombing_reports()
    ms[1].location = loc("Sousian", 36.9, 38.5, gid=3)  # a namesake about 100 km away
    assert len(merge_mentions(ms, amap)) == 2


def test_region_level_place_merges_within_admin1_and_week_span_overlaps_day():
    arts, ms = _bombing_reports()
    ms[1].location = loc("Aleppo Governorate", 36.2, 37.2, precision=3)
    ms[1].date_start, ms[1].date_end, ms[1].event_date = D(2017, 2, 20), D(2017, 2, 26), None
    ev = merge_mentions(ms, {a.id: a for a in arts})
    assert len(ev) == 1
    assert ev[0].location.location == "Sousian"  # the most precise place wins
    assert ev[0].event_date == D(2017, 2, 24) and ev[0].time_precision == 1


def test_displacement_figures_of_one_situation_form_one_living_record():
    a1 = art("m1", D(2017, 2, 28), "Around 14,000 people have fled the western half of Mosul so far, "
             "ministry figures show.")
    a2 = art("m2", D(2017, 3, 1), "Some 26,000 residents have now left western Mosul, the ministry said.")
    mosul = loc("Mosul", 36.335, 43.119, cc="IQ", admin1="Nineveh", gid=99, precision=2)
    m1 = mention(a1, a1.body, etype="Displacement", sub="Internal displacement", day=D(2017, 2, 28), where=mosul,
                 claims=[(14000, 14000, "about", "Iraqi government")], quantity="displaced")
    m2 = mention(a2, a2.body, etype="Displacement", sub="Internal displacement", day=D(2017, 3, 1), where=mosul,
                 claims=[(26000, 26000, "about", "Iraqi government")], quantity="displaced")
    events = merge_mentions([m2, m1], {"m1": a1, "m2": a2})
    assert len(events) == 1
    ev = events[0]
    fig = reconcile_claims(ev.claims, quantity="displaced")
    assert (fig.low, fig.best, fig.high) == (14000, 26000, 26000)
    assert ev.fatalities == 0 and ev.fatalities_low is None and ev.fatalities_best is None
    assert "26,000" in ev.notes
    assert ev.id == event_id_for(m1.id)  # anchored on the earliest report


def test_ids_are_stable_when_a_later_report_is_merged_in():
    arts, ms = _bombing_reports()
    amap = {a.id: a for a in arts}
    first = merge_mentions(ms[:1], {"a1": amap["a1"]})
    assert len(first) == 1
    previous = {mid: first[0].id for mid in first[0].mention_ids}
    # a later run: an undated re-report sorts last; an earlier-dated new article would otherwise become the anchor
    early = art("a0", D(2017, 2, 24), "Rebel commanders said a truck bomb ripped through their post in Sousian on Friday.")
    m0 = mention(early, early.body, day=D(2017, 2, 24), where=loc("Sousian", **SOUSIAN, gid=1))
    amap["a0"] = early
    second = merge_mentions([m0, *ms], amap, previous=previous)
    assert len(second) == 1
    assert second[0].id == first[0].id
    assert {s.article_id for s in second[0].sources} == {"a0", "a1", "a2"}
    rows = diff_events(first[0], second[0])
    fields = {r["field"] for r in rows}
    assert {"sources", "claims", "evidence", "mention_ids"} <= fields
    json.dumps(rows)  # history rows must be storable as JSON
    assert diff_events(second[0], second[0]) == []
    assert diff_events(None, second[0]) == [{"field": "event", "old": None, "new": second[0].id}]


def test_shuffled_input_gives_identical_output():
    arts, ms = _bombing_reports()
    a = art("b1", D(2016, 7, 3), "A car bomb tore through a market in Karrada early on Sunday, police said. "
            "Hours later a roadside bomb exploded near a mosque in Sadr City, killing five.")
    first, second = a.body.split(". ")
    extra = [
        mention(a, first, sub="Remote explosive/landmine/IED", day=D(2016, 7, 3),
                where=loc("Karrada", 33.305, 44.425, cc="IQ", admin1="Baghdad", gid=11)),
        mention(a, second, sub="Remote explosive/landmine/IED", day=D(2016, 7, 3),
                where=loc("Sadr City", 33.388, 44.457, cc="IQ", admin1="Baghdad", gid=12), claims=[(5, 5, None, None)]),
    ]
    amap = {x.id: x for x in [*arts, a]}
    everything = ms + extra
    reference = [e.to_record() for e in merge_mentions(everything, amap)]
    assert [r["id"] for r in reference] == sorted(r["id"] for r in reference)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = everything[:]
        rng.shuffle(shuffled)
        assert [e.to_record() for e in merge_mentions(shuffled, amap)] == reference


def test_unlocated_mention_merges_with_located_one_of_same_article():
    a = art("u1", D(2017, 2, 24), "Militants detonated an explosives-laden truck at a rebel post in Sousian on Friday. "
            "Medics called it the worst bombing the area had seen in weeks.")
    first, second = a.body.split(". ")
    m1 = mention(a, first, day=D(2017, 2, 24), where=loc("Sousian", **SOUSIAN, gid=1))
    m2 = mention(a, second, day=None, where=None)
    events = merge_mentions([m2, m1], {a.id: a})
    assert len(events) == 1 and events[0].location.location == "Sousian"


def test_battle_sides_in_either_order_merge_but_other_actor1_does_not():
    a = art("k1", D(2016, 5, 2), "Army troops fought Boko Haram fighters near Bama on Monday, the army said.")
    b = art("k2", D(2016, 5, 3), "Boko Haram militants clashed with soldiers outside Bama on Monday, residents said.")
    bama = loc("Bama", 11.52, 13.69, cc="NG", admin1="Borno", gid=5)
    m1 = mention(a, a.body, etype="Battles", sub="Armed clash", day=D(2016, 5, 2), where=bama,
                 actor1="Military Forces of Nigeria")
    m1.actor2 = "Boko Haram"
    m2 = mention(b, b.body, etype="Battles", sub="Armed clash", day=D(2016, 5, 2), where=bama, actor1="Boko Haram")
    m2.actor2 = "Military Forces of Nigeria"
    assert len(merge_mentions([m1, m2], {"k1": a, "k2": b})) == 1
    m2.actor1, m2.actor2 = "Civilian JTF", "Islamic State West Africa Province"
    assert len(merge_mentions([m1, m2], {"k1": a, "k2": b})) == 2


def test_country_only_location_links_only_within_article_or_story():
    arts, ms = _bombing_reports()
    amap = {a.id: a for a in arts}
    ms[1].location = Location("Syria", "Syria", "SY", None, None, 35.0, 38.0, 163843, 3)
    assert len(merge_mentions(ms, amap)) == 2  # different stories: a country is too vague
    amap["a2"].story_id = "st_a1"
    assert len(merge_mentions(ms, amap)) == 1
