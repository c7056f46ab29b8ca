"""The user's seed wire file: events in the places it reports must land within 15 km.

No seed sentence is quoted here: articles are cut at their datelines at test
time, and evidence sentences are found by searching for short place words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from wirewatch.config import default_cache_dir
from wirewatch.geo.distance import haversine_km
from wirewatch.geo.gazetteer import Gazetteer
from wirewatch.geo.geoparser import Geoparser
from wirewatch.geo.locate import split_spans
from wirewatch.models import Article, Evidence, EventMention

# Reference points: GeoNames for the towns; Sousian from its reported position (8 km NW of al-Bab).
TRUTH = {
    "al-Bab": ((36.37051, 37.5157), "SY"),
    "Sousian": ((36.421, 37.453), "SY"),
    "Tadef": ((36.34814, 37.5309), "SY"),
    "Homs": ((34.72405, 36.72559), "SY"),
    "Palmyra": ((34.5624, 38.28402), "SY"),
    "Mosul": ((36.335, 43.11889), "IQ"),
    "Arish": ((31.13159, 33.79844), "EG"),
    # named beside the places above (an answer naming either is right)
    "Samarra": ((34.1959, 43.88568), "IQ"),
    "Raqqa": ((35.95283, 39.00788), "SY"),
}
EXTRA = {"Samarra", "Raqqa"}
_DATELINE = re.compile(r"^([A-Z][A-Z/ ]+)(?:, ([A-Z][A-Za-z ]+))? \(Reuters\) [–-] ", re.M)


def _articles(text: str) -> list[Article]:
    heads = list(_DATELINE.finditer(text))
    out = []
    for k, m in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        body = text[m.end() : end]
        out.append(Article(id=f"seed{k}", text=body, body=body, dateline=m.group(0).strip(),
                           dateline_places=[p.title() for p in m.group(1).split("/")], dateline_country=m.group(2)))
    return out


def _sentences(body: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e in split_spans(body, r"(?<=[.!?”])\s+(?=[A-Z“])|\n+") if e > s]


@lru_cache(maxsize=1)
def _nlp():
    from wirewatch.nlp.model import load_model

    return load_model()


@pytest.fixture(scope="module")
def located(seed_file: Path) -> list[tuple[str, set[str], EventMention]]:
    """(article dateline, place words in the sentence, event located from that sentence)."""
    try:
        nlp = _nlp()
    except Exception as exc:  # pragma: no cover - model missing
        pytest.skip(f"spaCy model unavailable: {exc}")
    gp = Geoparser(Gazetteer.load(cache_dir=default_cache_dir()))
    out = []
    for art in _articles(seed_file.read_text(encoding="utf-8")):
        doc = nlp(art.body)
        places = gp.parse(art.body, doc=doc, article=art)
        for s, e in _sentences(art.body):
            sent = art.body[s:e]
            line = art.body[art.body.rfind("\n", 0, s) + 1 : (art.body.find("\n", e) + 1 or len(art.body) + 1) - 1]
            if "REUTERS" in line and not line.lstrip().startswith(("(", "“")) and "(Reuters)" not in line:
                continue  # photo captions and their credits
            words = {w for w in TRUTH if re.search(rf"\b{re.escape(w)}\b", sent)}
            if not words:
                continue
            ev = EventMention(id=f"{art.id}:{s}", article_id=art.id, event_type="Battles",
                              sub_event_type="Armed clash", evidence=[Evidence(art.id, sent, s, e)])
            gp.locate(art, [ev], places, doc=doc)
            out.append((art.dateline or "", words, ev))
    return out


@pytest.mark.parametrize("word", sorted(set(TRUTH) - EXTRA))
def test_seed_events_land_within_15_km(located, word: str) -> None:
    cases = [(d, ws, ev) for d, ws, ev in located if word in ws]
    assert cases, f"no seed sentence names {word}"
    for dateline, words, ev in cases:
        loc = ev.location
        assert loc is not None, (dateline, words)
        ok = [w for w in words if haversine_km(loc.latitude, loc.longitude, *TRUTH[w][0]) <= 15]
        assert ok, (dateline, words, ev.evidence[0].start, loc)
        assert loc.country_code == TRUTH[ok[0]][1]
        assert loc.country  # country name from the code


def test_palmyra_found_every_time_it_is_named(seed_file: Path) -> None:
    try:
        nlp = _nlp()
    except Exception as exc:  # pragma: no cover
        pytest.skip(f"spaCy model unavailable: {exc}")
    gp = Geoparser(Gazetteer.load(cache_dir=default_cache_dir()))
    art = next(a for a in _articles(seed_file.read_text(encoding="utf-8")) if "Palmyra" in a.body)
    places = gp.parse(art.body, doc=nlp(art.body), article=art)
    named = [m.start() for m in re.finditer(r"\bPalmyra\b", art.body)]
    got = {p.start for p in places if p.text == "Palmyra" and p.place is not None and p.place.country_code == "SY"}
    assert named and set(named) <= got
