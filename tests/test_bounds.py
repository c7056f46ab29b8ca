"""What one event record may never mix (wirewatch.merge.bounds), through merge_mentions, on our own sentences."""

from __future__ import annotations

import datetime as dt

from test_merge import art, loc, mention

from wirewatch.merge.bounds import effective_span, points_apart, spans_apart
from wirewatch.merge.core import merge_mentions
from wirewatch.geo.distance import haversine_km

D = dt.date
KAFR = dict(lat=35.70, lon=36.60)  # two towns of one province about 40 km apart
TELL = dict(lat=35.95, lon=36.90)


def _by_article(events):
    return [sorted({s.article_id for s in ev.sources}) for ev in events]


def test_two_towns_one_day_never_one_record_even_through_a_province_report():
    t1 = art("t1", D(2022, 6, 8), "Shelling killed six civilians in Kafr Aziz on Wednesday, medics said.")
    t2 = art("t2", D(2022, 6, 8), "Shelling killed three farmers in Tell Hamra on Wednesday, a monitor said.")
    t3 = art("a0", D(2022, 6, 8), "Shelling across the province killed civilians on Wednesday, rescuers said.")
    sub = "Shelling/artillery/missile attack"
    ms = [mention(t1, t1.body, sub=sub, day=D(2022, 6, 8), where=loc("Kafr Aziz", **KAFR, admin1="Idlib", gid=21),
                  claims=[(6, 6, None, "medics")]),
          mention(t2, t2.body, sub=sub, day=D(2022, 6, 8), where=loc("Tell Hamra", **TELL, admin1="Idlib", gid=22),
                  claims=[(3, 3, None, "a monitor")]),
          mention(t3, t3.body, sub=sub, day=D(2022, 6, 8),
                  where=loc("Idlib", 35.9, 36.6, admin1="Idlib", precision=3))]
    events = merge_mentions(ms, {a.id: a for a in (t1, t2, t3)})
    assert not any({"t1", "t2"} <= set(ids) for ids in _by_article(events))
    for ev in events:  # no record holds both towns' tolls
        assert len({c.article_id for c in ev.claims}) <= 1


def test_a_week_long_mention_does_not_chain_two_days_into_one_record():
    w1 = art("w1", D(2022, 3, 1), "Gunmen raided the police station in Kafr Aziz on Tuesday, killing two.")
    w2 = art("w2", D(2022, 3, 4), "Raids on the police station in Kafr Aziz went on all last week, residents said.")
    w3 = art("w3", D(2022, 3, 5), "Gunmen raided the police station in Kafr Aziz again on Saturday, killing one.")
    where = dict(where=loc("Kafr Aziz", **KAFR, admin1="Idlib", gid=21), etype="Violence against civilians",
                 sub="Attack")
    week = mention(w2, w2.body, **where)
    week.date_start, week.date_end = D(2022, 3, 1), D(2022, 3, 7)
    ms = [mention(w1, w1.body, day=D(2022, 3, 1), **where), week, mention(w3, w3.body, day=D(2022, 3, 5), **where)]
    events = merge_mentions(ms, {a.id: a for a in (w1, w2, w3)})
    assert not any({"w1", "w3"} <= set(ids) for ids in _by_article(events))


def test_a_mention_without_a_date_is_about_its_report_day():
    old = art("o1", D(2022, 3, 3), "A car bomb exploded at the market in Kafr Aziz on Thursday.")
    new = art("o2", D(2022, 3, 10), "A car bomb exploded near the market in Kafr Aziz, witnesses said.")
    where = dict(where=loc("Kafr Aziz", **KAFR, admin1="Idlib", gid=21), sub="Remote explosive/landmine/IED")
    ms = [mention(old, old.body, day=D(2022, 3, 3), **where), mention(new, new.body, **where)]
    assert len(merge_mentions(ms, {a.id: a for a in (old, new)})) == 2
    # the same undated report a day after the bombing is one event with it
    next_day = art("o3", D(2022, 3, 4), new.body)
    ms = [mention(old, old.body, day=D(2022, 3, 3), **where), mention(next_day, next_day.body, **where)]
    assert len(merge_mentions(ms, {a.id: a for a in (old, next_day)})) == 1


def test_bound_helpers():
    assert effective_span(None, D(2022, 3, 4), slack_days=1) == (D(2022, 3, 3), D(2022, 3, 4))
    assert effective_span(None, None, slack_days=1) is None
    assert spans_apart((D(2022, 3, 1), D(2022, 3, 1)), (D(2022, 3, 2), D(2022, 3, 3)))
    assert not spans_apart((D(2022, 3, 1), D(2022, 3, 2)), (D(2022, 3, 2), D(2022, 3, 3)))
    assert not spans_apart(None, (D(2022, 3, 2), D(2022, 3, 3)))
    assert points_apart((KAFR["lat"], KAFR["lon"]), (TELL["lat"], TELL["lon"]), km=25, distance=haversine_km)
    assert not points_apart((KAFR["lat"], KAFR["lon"]), None, km=25, distance=haversine_km)


def test_week_spans_of_reports_a_week_apart_are_two_events():
    # each report says only "this week"; their spans touch on one day: no evidence of one event
    r1 = art("r1", D(2022, 3, 22), "Thousands marched in Kafr Aziz against the new governor this week.")
    r2 = art("r2", D(2022, 3, 29), "Police dispersed marchers in Kafr Aziz protesting against the new governor.")
    where = dict(where=loc("Kafr Aziz", **KAFR, admin1="Idlib", gid=21), etype="Protests", sub="Peaceful protest")
    ms = [mention(r1, r1.body, **where), mention(r2, r2.body, **where)]
    ms[0].date_start, ms[0].date_end = D(2022, 3, 15), D(2022, 3, 22)
    ms[1].date_start, ms[1].date_end = D(2022, 3, 22), D(2022, 3, 29)
    assert len(merge_mentions(ms, {a.id: a for a in (r1, r2)})) == 2
    # a report that gives the day links with last week's report of that day
    r3 = art("r3", D(2022, 3, 29), "Marchers in Kafr Aziz on March 22 were dispersed by police, a court heard.")
    ms = [mention(r1, r1.body, **where), mention(r3, r3.body, day=D(2022, 3, 22), **where)]
    ms[0].date_start, ms[0].date_end = D(2022, 3, 22), D(2022, 3, 22)
    assert len(merge_mentions(ms, {a.id: a for a in (r1, r3)})) == 1
