"""The spaCy pre-filter: paragraphs that no event cue matches are blanked, offsets never move."""

from __future__ import annotations

import dataclasses

import pytest

from wirewatch.extract.cues import CUES
from wirewatch.nlp.prefilter import blank_outside, event_paragraphs, has_cue, paragraphs, prefilter

STORY = (
    "KANO, Nigeria (Reuters) - The state governor opened a new trade fair on Tuesday, officials said.\n\n"
    "Organisers expect more than 4,000 exhibitors from 12 countries over the coming week.\n\n"
    "The fair's first day drew large crowds to the exhibition grounds near the old city walls.\n\n"
    "Separately, gunmen killed three farmers in a village 40 km south of the city on Monday night, police said.\n\n"
    "A police spokesman said officers were searching the area.\n\n"
    "Cotton prices at the regional exchange rose for a third week.\n\n"
    "Traders expect the harvest to be larger than last year's.\n"
)


def test_paragraphs_split_on_blank_lines_and_sentence_final_line_breaks():
    text = "First line ends here.\nsecond part of a hard-wrapped\nsentence goes on.\n\n\nLast one\n"
    assert [text[s:e].strip() for s, e in paragraphs(text)] == [
        "First line ends here.", "second part of a hard-wrapped\nsentence goes on.", "Last one"]


def test_has_cue_uses_the_extractor_lexicons():
    assert has_cue("Gunmen killed three farmers on Monday.")
    assert has_cue("Thousands marched against the new tax.")
    assert not has_cue("Cotton prices at the regional exchange rose for a third week.")
    # every lexicon of the extractor is consulted: a sentence matched by one cue alone is kept
    for name, rx in CUES.items():
        assert has_cue("x", patterns=[rx]) == bool(rx.search("x")), name


def test_keeps_lede_cue_paragraphs_and_their_neighbours():
    spans = event_paragraphs(STORY, context=1)
    kept = [STORY[s:e] for s, e in spans]
    assert len(kept) == 2
    assert kept[0].startswith("KANO, Nigeria") and kept[0].count("\n\n") == 0  # the lede alone
    assert kept[1].startswith("The fair's first day") and "gunmen killed three farmers" in kept[1]
    assert kept[1].rstrip().endswith("searching the area.")  # the paragraph after the cue paragraph
    assert "Cotton prices" not in "".join(kept)
    lone = event_paragraphs(STORY, context=0)
    assert [STORY[s:e].split()[0] for s, e in lone] == ["KANO,", "Separately,"]


def test_blanked_text_keeps_length_offsets_and_line_breaks():
    f = prefilter(STORY, context=1)
    assert len(f.text) == len(STORY)
    assert [i for i, c in enumerate(f.text) if c == "\n"] == [i for i, c in enumerate(STORY) if c == "\n"]
    for s, e in f.kept:
        assert f.text[s:e] == STORY[s:e]
    i = STORY.index("Cotton prices")
    assert f.text[i:i + 13].strip() == ""
    assert f.chars_kept == sum(e - s for s, e in f.kept) and 0 < f.fraction < 1
    assert blank_outside("abc\ndef", [(4, 7)]) == "   \ndef"


def test_short_texts_are_not_filtered():
    one = "A single paragraph about the weather, with no event in it."
    assert prefilter(one).text == one
    assert prefilter("").text == ""


@pytest.fixture(scope="module")
def resources():
    from wirewatch.config import Settings
    from wirewatch.pipeline.registry import Resources

    return Resources(Settings())


def _key(m):
    loc = m.location
    return (m.event_type, m.sub_event_type, m.event_date, m.actor1, m.actor2, loc.geonameid if loc else None,
            [(c.quantity, c.low, c.high, c.source, c.start) for c in m.claims], [(e.start, e.end) for e in m.evidence])


def _mentions(articles, resources, nlp_stage):
    from wirewatch.config import DEFAULT_STAGES
    from wirewatch.pipeline.registry import Pipeline

    stages = tuple(nlp_stage if s.startswith("nlp.") else s for s in DEFAULT_STAGES)
    pipe = Pipeline(dataclasses.replace(resources.settings, stages=stages), resources)
    out = []
    for _a, state, err in pipe.run_many([dataclasses.replace(a) for a in articles]):
        assert err is None
        out.append([_key(m) for m in state.mentions])
    return out


def _articles(text):
    from wirewatch.ingest import infer_published, split_articles
    from wirewatch.models import RawInput

    arts = split_articles(RawInput(origin="t", text=text))
    infer_published(arts)
    return arts


def test_prefilter_finds_the_same_events_on_the_sample_wire(sample_wire, resources):
    arts = _articles(sample_wire.read_text())
    full, filtered = _mentions(arts, resources, "nlp.v1"), _mentions(arts, resources, "nlp.v2")
    assert sum(map(len, full)) > 5
    assert filtered == full


def test_prefilter_finds_the_same_events_on_the_seed(seed_file, resources):
    arts = _articles(seed_file.read_text())
    full, filtered = _mentions(arts, resources, "nlp.v1"), _mentions(arts, resources, "nlp.v2")
    assert sum(map(len, full)) > 10
    assert filtered == full


def test_prefilter_keeps_the_event_in_a_long_story(resources):
    from wirewatch.models import Article

    body = STORY.split("(Reuters) - ", 1)[1]
    art = Article(id="kano", text=body, body=body, dateline="KANO, Nigeria", dateline_places=["Kano"],
                  dateline_country="NG")
    full, filtered = _mentions([art], resources, "nlp.v1"), _mentions([art], resources, "nlp.v2")
    assert filtered == full
    assert [k[0] for k in filtered[0]] == ["Violence against civilians"]
