"""Near-duplicate articles, stories, and batch document clustering."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.merge.dedup import ArticleIndex, DedupResult, decode_signature
from wirewatch.models import Article, RawInput

D = dt.date

# Our own wire-style texts (not taken from any corpus).
FLOOD_1 = """Floodwaters swept through three districts of the southern Somali town of Beledweyne on Tuesday,
forcing thousands of families from their homes, local officials said. The Shabelle river burst its banks after a
week of heavy rain in the Ethiopian highlands, district commissioner Abdi Warsame told reporters by telephone.
Aid workers said the town's main hospital had moved patients to the upper floor and that several roads leading
north to Mogadishu were cut. The United Nations humanitarian office said about 40,000 people had been affected so
far and warned that more rain was forecast for the coming days. Residents waded through waist-deep water carrying
children and goats to higher ground near the airport."""

# The same story refiled with one word changed.
FLOOD_1_REFILE = FLOOD_1.replace("several roads", "many roads")

# A later report of the same developing situation, written afresh.
FLOOD_2 = """The number of people forced from their homes by flooding in the Somali town of Beledweyne rose to
about 70,000 on Thursday, the United Nations humanitarian office said, as the Shabelle river kept rising.
District commissioner Abdi Warsame said rescue boats had reached families stranded on rooftops in two districts
and that the road north to Mogadishu remained cut. Heavy rain in the Ethiopian highlands is expected to continue,
the U.N. office said, and aid workers set up camps near the airport on higher ground. The hospital in Beledweyne
has moved patients out of the flooded ground floor."""

UNRELATED = """Chile's central bank held its benchmark interest rate at 2.5 percent on Wednesday, citing slowing
inflation and a weaker outlook for copper exports, and signalled that it could cut borrowing costs later in the
year. Economists polled before the decision had unanimously expected no change. The peso was little changed after
the announcement, while the Santiago stock index rose half a percent, led by retailers and utilities."""


def article(aid: str, body: str, *, published: dt.date | None, headline: str, dateline: list[str]) -> Article:
    return Article(id=aid, text=body, body=body, headline=headline, published=published, dateline_places=dateline)


def _flood_articles() -> list[Article]:
    return [
        article("f1", FLOOD_1, published=D(2019, 10, 22), headline="Floods force thousands from homes in Somali town",
                dateline=["Mogadishu"]),
        article("f1r", FLOOD_1_REFILE, published=D(2019, 10, 22),
                headline="Floods force thousands from homes in Somali town", dateline=["Mogadishu"]),
        article("f2", FLOOD_2, published=D(2019, 10, 24), headline="Somali flood displacement climbs to 70,000",
                dateline=["Nairobi"]),
        article("u1", UNRELATED, published=D(2019, 10, 23), headline="Chile central bank holds rate",
                dateline=["Santiago"]),
    ]


def _add_all(index: ArticleIndex, arts: list[Article]) -> dict[str, DedupResult]:
    return {a.id: index.add(a, ArticleIndex.signature(a)) for a in arts}


def test_refile_is_duplicate_later_report_same_story_unrelated_apart():
    res = _add_all(ArticleIndex(), _flood_articles())
    assert res["f1"] == DedupResult(None, "st_f1")
    assert res["f1r"] == DedupResult("f1", "st_f1")
    assert res["f2"].duplicate_of is None and res["f2"].story_id == "st_f1"
    assert res["u1"] == DedupResult(None, "st_u1")


def test_duplicate_of_points_at_the_first_copy_not_a_chain():
    arts = _flood_articles()
    third = article("f1rr", FLOOD_1_REFILE.replace("goats", "sheep"), published=D(2019, 10, 22),
                    headline=arts[0].headline, dateline=["Mogadishu"])
    res = _add_all(ArticleIndex(), [*arts, third])
    assert res["f1rr"].duplicate_of == "f1"


def test_story_needs_close_dates():
    arts = _flood_articles()
    arts[2].published = D(2019, 12, 1)  # five weeks later: a new story even with similar words
    res = _add_all(ArticleIndex(), arts)
    assert res["f2"].story_id == "st_f2"


# Background reports of other places and subjects: an archive in which "Kidal" or "Beledweyne" is rare.
BACKGROUND = [
    "Kenya's parliament debated a new tax on mobile money transfers in Nairobi on Tuesday.",
    "Wheat prices rose in Chicago after dry weather hit the American plains, traders said.",
    "Police in Lagos arrested twelve people after a market fire destroyed hundreds of stalls.",
    "Ghana's cocoa board raised the farm-gate price for the coming season in Accra.",
    "A ferry capsized on Lake Victoria near Mwanza, Tanzania, and rescuers searched for survivors.",
    "Algeria's president named a new finance minister in Algiers, state television said.",
    "Senegal opened a new bridge over the Gambia river linking Dakar to the Casamance region.",
    "Police in Kampala fired tear gas at traders protesting against new market fees.",
]


def _background() -> list[Article]:
    return [article(f"bg{i}", text, published=D(2020, 5, 3), headline="", dateline=[])
            for i, text in enumerate(BACKGROUND)]


def test_update_in_new_words_joins_its_story_by_rare_names():
    a = article("s1", "Gunmen attacked a police post in Kidal on Monday, killing two officers, officials said.",
                published=D(2020, 5, 4), headline="Gunmen kill two police officers in Mali's Kidal", dateline=["Bamako"])
    b = article("s2", "A third officer wounded in Monday's raid on the Kidal post has died in hospital.",
                published=D(2020, 5, 5), headline="Death toll from Kidal police post attack rises to three",
                dateline=["Bamako"])
    c = article("s3", "Mali's parliament approved the budget after a long debate.", published=D(2020, 5, 5),
                headline="Mali parliament passes budget", dateline=["Bamako"])
    res = _add_all(ArticleIndex(), [*_background(), a, b, c])
    assert res["s2"].story_id == "st_s1" and res["s2"].duplicate_of is None
    assert res["s3"].story_id == "st_s3"


def test_one_line_reports_do_not_form_a_story_by_their_words():
    # two terse reports sharing most words but no name, place, date or figure: nothing says they are one
    a = article("b1", "A roadside bomb killed two soldiers on patrol.", published=None, headline="", dateline=[])
    b = article("b2", "A roadside bomb killed four soldiers on patrol.", published=None, headline="", dateline=[])
    res = _add_all(ArticleIndex(), [a, b])
    assert res["b2"] == DedupResult(None, "st_b2")
    # the same words at article length do not either: the words are common, the identity is missing
    long_a = article("l1", " ".join([a.body] * 10), published=None, headline="", dateline=[])
    long_b = article("l2", " ".join([b.body] * 10), published=None, headline="", dateline=[])
    res = _add_all(ArticleIndex(), [*_background(), long_a, long_b])
    assert res["l2"].story_id == "st_l2"
    # an identical short report is still a duplicate
    res = _add_all(ArticleIndex(), [a, article("b1c", a.body, published=None, headline="", dateline=[])])
    assert res["b1c"].duplicate_of == "b1"


# Formulaic reports: one template, another town, day or toll each time.
TEMPLATE = ("On {day}, unidentified gunmen attacked a checkpoint of the national army in {town} town, {prov} "
            "province, killing {n} soldiers. The attackers fled towards the hills after the exchange of fire.")


def test_formulaic_reports_of_other_places_days_or_tolls_are_not_duplicates():
    base = dict(day="12 March", town="Baraka", prov="Lomami", n="3")
    variants = {"same": base, "town": {**base, "town": "Kabinda"}, "day": {**base, "day": "14 March"},
                "toll": {**base, "n": "5"}}
    arts = [article(k, TEMPLATE.format(**v), published=D(2021, 3, 15), headline="", dateline=[])
            for k, v in variants.items()]
    refiled = article("refile", TEMPLATE.format(**base) + " The army said it had sent reinforcements.",
                      published=D(2021, 3, 15), headline="", dateline=[])
    res = _add_all(ArticleIndex(), [*arts, refiled])
    assert res["town"].duplicate_of is None
    assert res["day"].duplicate_of is None
    assert res["toll"].duplicate_of is None
    # a refiled update that only adds a sentence is the same report
    assert res["refile"].duplicate_of == "same"
    # both texts name both towns; only which town's toll they give differs
    both = ("Troops raided militant hideouts around Baraka and Kabinda in Lomami province on 12 March, "
            "killing seven fighters, the army said. Four of the dead were counted in {town}.")
    res = _add_all(ArticleIndex(), [article(t, both.format(town=t), published=D(2021, 3, 15), headline="",
                                            dateline=[]) for t in ("Baraka", "Kabinda")])
    assert res["Kabinda"].duplicate_of is None


def test_two_outlets_one_event_one_story_two_towns_one_day_two_stories():
    one = ("Suicide bomber kills 9 at Damaturu bus station", "A suicide bomber blew himself up at the main bus "
           "station in Damaturu, Yobe state, on Wednesday, killing nine travellers and wounding 20, police "
           "spokesman Musa Adamu said. Boko Haram was suspected of carrying out the attack.")
    other_outlet = ("Nine dead in blast at Damaturu motor park", "Nine people were killed when a bomber detonated "
                    "explosives at a crowded motor park in the Yobe state capital Damaturu on March 3, a police "
                    "spokesman, Musa Adamu, told journalists. Twenty were wounded, he said, blaming Boko Haram.")
    elsewhere = ("Gunmen kill 4 farmers near Gombi", "Gunmen on motorbikes killed four farmers in their fields "
                 "near Gombi in Adamawa state on Wednesday, a local vigilante leader, Ibrahim Sule, said. "
                 "The attackers stole cattle before riding off towards the Sambisa forest.")
    arts = [article(f"n{i}", body, published=D(2021, 3, 3), headline=head, dateline=["Kano"])
            for i, (head, body) in enumerate((one, other_outlet, elsewhere))]
    res = _add_all(ArticleIndex(), [*_background(), *arts])
    assert res["n1"].duplicate_of is None and res["n1"].story_id == "st_n0"
    assert res["n2"].story_id == "st_n2"


def test_deterministic_given_order_and_idempotent_on_readd():
    arts = _flood_articles()
    r1 = _add_all(ArticleIndex(), arts)
    r2 = _add_all(ArticleIndex(), arts)
    assert r1 == r2
    index = ArticleIndex()
    _add_all(index, arts)
    assert index.add(arts[1], ArticleIndex.signature(arts[1])) == r1["f1r"]
    assert len(index) == len(arts)


def test_signature_is_compact_and_round_trips():
    a = _flood_articles()[0]
    sig = ArticleIndex.signature(a)
    assert isinstance(sig, bytes) and len(sig) <= 1100
    assert sig == ArticleIndex.signature(a)
    sh, terms = decode_signature(sig)
    assert sh.jaccard(sh) == 1.0 and len(terms.hashvalues) == 128
    with pytest.raises(ValueError):
        decode_signature(b"garbage" + sig[7:])


def test_seed_reports_stories(seed_file):
    from wirewatch.ingest import infer_published, split_articles

    arts = split_articles(RawInput(origin=str(seed_file), text=seed_file.read_text(encoding="utf-8")))
    infer_published(arts)
    index = ArticleIndex()
    res = {a.id: index.add(a, ArticleIndex.signature(a)) for a in arts}
    assert len(arts) == 10
    assert all(r.duplicate_of is None for r in res.values())  # ten distinct reports
    by = {(tuple(a.dateline_places), a.published): a.id for a in arts}
    mosul_mar1 = by[(("Mosul",), D(2017, 3, 1))]
    mosul_feb28 = by[(("Mosul", "Baghdad"), D(2017, 2, 28))]
    homs = by[(("Beirut",), D(2017, 2, 25))]
    sousian = by[(("Beirut", "Istanbul"), D(2017, 2, 24))]
    assert res[mosul_mar1].story_id == res[mosul_feb28].story_id  # the displacement figures' two reports
    assert res[homs].story_id != res[sousian].story_id
    assert len({r.story_id for r in res.values()}) >= 7


def test_reports_naming_other_years_are_other_stories():
    quake = ("A strong earthquake shook Ercis in Van province, Turkey, in {y}, toppling houses; rescuers from "
             "Istanbul and Ankara joined the search, the disaster agency AFAD said.")
    arts = [article(f"q{i}", quake.format(y=y) + " " * i, published=None, headline=f"Quake hits Ercis {i}",
                    dateline=[]) for i, y in enumerate((2011, 2011, 2023))]
    res = _add_all(ArticleIndex(), [*_background(), *arts])
    assert res["q1"].story_id == "st_q0"
    assert res["q2"].story_id == "st_q2"


def test_an_article_read_back_from_a_store_keeps_its_story():
    arts = _flood_articles()
    for a in arts:
        a.story_id = "st_kept_" + a.id  # as stored by an earlier version
    res = _add_all(ArticleIndex(), arts)
    assert res["f2"].story_id == "st_kept_f2"
    later = article("f3", FLOOD_2.replace("70,000", "75,000").replace("Thursday", "Friday"), published=D(2019, 10, 25),
                    headline="Somali flood displacement climbs to 75,000", dateline=["Nairobi"])
    index = ArticleIndex()
    _add_all(index, arts)
    assert index.add(later, ArticleIndex.signature(later)).story_id in {"st_kept_f1", "st_kept_f2"}
