"""Merging mentions into events: same event across reports, distinct events kept apart, stable ids."""

from __future__ import annotations

import datetime as dt
import json
import random

from wirewatch.config import MergeSettings
from wirewatch.merge.build import event_id_for
from wirewatch.merge.core import diff_events, merge_mentions
from wirewatch.models import Article, Claim, EventMention, Evidence, Location
from wirewatch.merge.reconcile import reconcile_claims

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


def test_undated_reports_link_only_within_their_article_or_story():
    # no date in the text and none for the report: the same place and weapon are not enough
    arts, ms = _bombing_reports()
    for a in arts:
        a.published = None
    for m in ms:
        m.event_date = m.date_start = m.date_end = None
    amap = {a.id: a for a in arts}
    assert len(merge_mentions(ms, amap)) == 2
    amap["a2"].story_id = "st_a1"
    assert len(merge_mentions(ms, amap)) == 1
    # one dated report is not enough; two are (the mentions themselves still carry no date)
    amap["a2"].story_id, amap["a1"].published = "st_a2", D(2017, 2, 24)
    assert len(merge_mentions(ms, amap)) == 2
    amap["a2"].published = D(2017, 2, 25)
    assert len(merge_mentions(ms, amap)) == 1


# -- the class-wise clustering equals the pairwise reference -----------------------------------

import bisect  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from wirewatch.merge import cluster, core, link  # noqa: E402


def reference_cluster(prepared, s, *, old_window: bool = False):
    """The pairwise greedy clustering merge.py used before mentions were met class by class.

    Every earlier mention of the pool is compared with ``links`` one by one: O(n^2) in a block.
    ``old_window`` keeps the old pool exactly (every mention starting within the block's longest
    span before the window, overlapping or not); the default pool is the overlapping ones.
    """
    blocks = defaultdict(list)
    for p in prepared:
        blocks[cluster._block_key(p)].append(p)
    clusters = []
    for key in sorted(blocks, key=repr):
        _reference_block(blocks[key], key[1] == "displacement", s, clusters, old_window)
    return clusters


def _reference_block(members, displacement, s, clusters, old_window):
    def span_of(p):
        return cluster._time_of(p, displacement=displacement)

    class Timeline:
        def __init__(self, items):
            self.items = sorted(items, key=lambda p: (span_of(p)[0], p.rank))
            self.starts = [span_of(p)[0] for p in self.items]
            self.longest = max(((span_of(p)[1] - span_of(p)[0]).days for p in items), default=0)

        def around(self, lo, hi):
            a = bisect.bisect_left(self.starts, lo - dt.timedelta(days=self.longest))
            b = bisect.bisect_right(self.starts, hi)
            return [q for q in self.items[a:b] if old_window or span_of(q)[1] >= lo]

    pad = dt.timedelta(days=s.displacement_days if displacement else s.window_days)
    dated = [p for p in members if span_of(p) is not None]
    short = Timeline([p for p in dated if (span_of(p)[1] - span_of(p)[0]).days <= 7])
    long = Timeline([p for p in dated if (span_of(p)[1] - span_of(p)[0]).days > 7])
    undated = [p for p in members if span_of(p) is None]
    by_article = defaultdict(list)
    cluster_of = {}
    for p in members:
        span = span_of(p)
        pool = [q for q in undated if q.rank < p.rank]
        if span is not None:
            lo, hi = span[0] - pad, span[1] + pad
            pool += [q for q in short.around(lo, hi) + long.around(lo, hi) if q.rank < p.rank]
        seen = {id(q) for q in pool}
        pool += [q for q in by_article[p.m.article_id] if id(q) not in seen]
        votes = Counter()
        for q in pool:
            if link.links(p, q, s):
                votes[cluster_of[q.m.id]] += 1
        chosen = None
        for cid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if not any(link.forbidden(p, q, s) for q in clusters[cid]):
                chosen = cid
                break
        if chosen is None:
            chosen = len(clusters)
            clusters.append([])
        clusters[chosen].append(p)
        cluster_of[p.m.id] = chosen
        by_article[p.m.article_id].append(p)


# A few places: one town with a district 3 km away (named in some evidence), a village 8 km away,
# a town in another admin1, a region-level place, a country-only place.
_GEO = [
    ("Azaz", 36.586, 37.046, "Aleppo", 1, 170017), ("Kafr Kalbin", 36.600, 37.070, "Aleppo", 1, 170100),
    ("Azaz", 36.586, 37.046, "Aleppo", 2, 170017), ("Sawran", 36.640, 37.110, "Aleppo", 1, None),
    ("Homs", 34.73, 36.72, "Homs", 1, 169577), ("Aleppo province", 36.2, 37.1, "Aleppo", 3, None),
    ("Syria", 35.0, 38.0, None, 3, None),
]
_KINDS = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Suicide bomb"),
          ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack"),
          ("Violence against civilians", "Abduction/forced disappearance"), ("Displacement", "Internal displacement"),
          ("Protests", "Peaceful protest"), ("Riots", "Mob violence")]
_WHO = [None, None, "Islamic State", "Islamic State (Syria)", "Military Forces of Syria", "Free Syrian Army"]
_SAYS = ["Fighters clashed near Azaz.", "A bomb hit Kafr Kalbin near Azaz.", "Another attack hit the town.",
         "Jets struck Sawran.", "Families fled."]


@st.composite
def _scenario(draw, *, spans_only: bool = False):
    base = dt.date(2017, 3, 1)
    n_art = draw(st.integers(1, 7))
    stories = [f"st_{k}" for k in range(draw(st.integers(1, 3)))]
    arts = {}
    for i in range(n_art):
        aid = f"a{i}"
        published = draw(st.one_of(st.none(), st.integers(0, 12).map(lambda d: base + dt.timedelta(days=d))))
        story = draw(st.one_of(st.none(), st.sampled_from(stories)))
        arts[aid] = Article(id=aid, text="x", body="x", published=published, story_id=story)
    ms = []
    for j in range(draw(st.integers(0, 22))):
        aid = draw(st.sampled_from(sorted(arts)))
        etype, sub = draw(st.sampled_from(_KINDS))
        g = draw(st.one_of(st.none(), st.sampled_from(_GEO)))
        where = None if g is None else Location(g[0], "Syria", "SY", g[3], None, g[1], g[2], g[5], g[4])
        start = draw(st.one_of(st.none(), st.integers(0, 12)))
        if spans_only and start is None and arts[aid].published is not None:
            start = 3
        if start is None:
            d0 = d1 = None
        else:
            d0 = base + dt.timedelta(days=start)
            d1 = d0 + dt.timedelta(days=draw(st.sampled_from([0, 0, 0, 1, 6, 9])))
        text = draw(st.sampled_from(_SAYS))
        ms.append(EventMention(id=f"{aid}:{j}", article_id=aid, event_type=etype, sub_event_type=sub,
                               evidence=[Evidence(aid, text, j, j + len(text))], event_date=d0 if d0 == d1 else None,
                               date_start=d0, date_end=d1, actor1=draw(st.sampled_from(_WHO)),
                               actor2=draw(st.sampled_from(_WHO)), location=where))
    return ms, arts


def _partition(clusters):
    return sorted(sorted(p.m.id for p in c) for c in clusters)


def _prepared(ms, arts):
    prepared = sorted((link.prepare_mention(m, arts) for m in ms), key=lambda p: p.key)
    for rank, p in enumerate(prepared):
        p.rank = rank
    cluster.fill_countries(prepared)
    return prepared


_FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(_scenario())
def test_classwise_clustering_equals_the_pairwise_reference(case):
    ms, arts = case
    s = MergeSettings()
    want = _partition(reference_cluster(_prepared(ms, arts), s))
    assert _partition(cluster.cluster_mentions(_prepared(ms, arts), s)) == want


@_FAST
@given(_scenario(spans_only=True))
def test_with_every_dated_report_spanned_the_old_window_gives_the_same_clusters(case):
    """The one deliberate change: a mention dated only by its report now meets the mentions whose time
    overlaps its window, not every one starting within the block's longest span before it."""
    ms, arts = case
    s = MergeSettings()
    want = _partition(reference_cluster(_prepared(ms, arts), s, old_window=True))
    assert _partition(cluster.cluster_mentions(_prepared(ms, arts), s)) == want


@pytest.mark.parametrize("seed", range(4))
def test_merge_events_equal_the_reference_events_ids_included(seed, monkeypatch):
    rnd = random.Random(seed)
    ms, arts = _random_scenario(rnd)
    previous = {m.id: f"ev_old{k % 5}" for k, m in enumerate(ms) if rnd.random() < 0.3}
    got = merge_mentions(ms, arts, previous=previous)
    monkeypatch.setattr(core, "cluster_mentions", lambda prepared, s, fixed=None: reference_cluster(prepared, s))
    assert got == merge_mentions(ms, arts, previous=previous)


def _random_scenario(rnd):
    """A denser corpus than hypothesis draws: 300 mentions over 12 days and a few places."""
    base = dt.date(2017, 3, 1)
    arts = {}
    for i in range(120):
        published = None if rnd.random() < 0.05 else base + dt.timedelta(days=rnd.randrange(12))
        arts[f"a{i}"] = Article(id=f"a{i}", text="x", body="x", published=published,
                                story_id=rnd.choice([None, "st_0", "st_1", f"st_a{i}"]))
    ms = []
    for j in range(300):
        aid = f"a{rnd.randrange(120)}"
        etype, sub = rnd.choice(_KINDS)
        g = rnd.choice(_GEO + [None])
        where = None if g is None else Location(g[0], "Syria", "SY", g[3], None, g[1], g[2], g[5], g[4])
        d0 = None if rnd.random() < 0.1 else base + dt.timedelta(days=rnd.randrange(12))
        d1 = d0 and d0 + dt.timedelta(days=rnd.choice([0, 0, 1, 8]))
        text = rnd.choice(_SAYS)
        ms.append(EventMention(id=f"{aid}:{j}", article_id=aid, event_type=etype, sub_event_type=sub,
                               evidence=[Evidence(aid, text, j, j + len(text))], event_date=d0 if d0 == d1 else None,
                               date_start=d0, date_end=d1, actor1=rnd.choice(_WHO), location=where))
    return ms, arts


def test_a_peaceful_protest_reports_no_fatalities_but_keeps_the_figure_its_sentence_gave():
    a = art("p1", D(2019, 5, 6), "Hundreds marched in the capital on Sunday, a week after a gunman killed 12 people "
            "at a mosque in the north.")
    sentence = a.body
    where = loc("Kaduna", 10.52, 7.44, cc="NG", admin1="Kaduna")
    protest = mention(a, sentence, etype="Protests", sub="Peaceful protest", day=D(2019, 5, 5), where=where,
                      claims=[(12, 12, None, None)])
    (ev,) = merge_mentions([protest], {a.id: a})
    assert ev.fatalities == 0 and (ev.fatalities_low, ev.fatalities_best, ev.fatalities_high) == (None, None, None)
    assert [(c.quantity, c.low) for c in ev.claims] == [("killed", 12)]  # nothing lost
    assert "not this event's" in (ev.notes or "")
    # the same figure on a violent sub-type is the event's own
    attack = mention(a, sentence, etype="Violence against civilians", sub="Attack", day=D(2019, 5, 5), where=where,
                     claims=[(12, 12, None, None)])
    (ev,) = merge_mentions([attack], {a.id: a})
    assert ev.fatalities == 12


def test_a_protester_who_set_himself_alight_and_died_counts_in_the_protest():
    a = art("p2", D(2019, 5, 6), "A street vendor set himself on fire outside the town hall on Sunday in protest "
            "at the seizure of his cart and died of his burns.")
    m = mention(a, a.body, etype="Protests", sub="Peaceful protest", day=D(2019, 5, 5),
                where=loc("Sfax", 34.74, 10.76, cc="TN", admin1="Sfax"), claims=[(1, 1, None, None)])
    (ev,) = merge_mentions([m], {a.id: a})
    assert ev.fatalities == 1
