"""The model the stages use: the lemmatizer is disabled and lemmas come on demand, the same ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wirewatch.nlp.model import lemma, load_model

TEXT = (
    "BAGHDAD (Reuters) - Militants attacked an army checkpoint north of the city on Sunday, killing four "
    "soldiers, officials said. Police would not say whether the attackers had been identified.\n\n"
    "Protesters gathered outside the ministry and were dispersed with tear gas; dozens were arrested. "
    "A spokesman said talks could resume if the ceasefire holds. I'd rather they'd stayed, he's said.\n"
)


@pytest.fixture(scope="module")
def models():
    return load_model(full=True), load_model()


def _same_tokens(full, lazy, text: str) -> int:
    a, b = full(text), lazy(text)
    assert [t.text for t in a] == [t.text for t in b]
    for x, y in zip(a, b):
        assert (x.tag_, x.pos_, x.dep_, x.head.i, x.ent_type_, str(x.morph)) == \
               (y.tag_, y.pos_, y.dep_, y.head.i, y.ent_type_, str(y.morph)), x.text
        assert lemma(y) == x.lemma_, (x.text, x.pos_)
        assert lemma(x) == x.lemma_  # a lemma already set is returned as is
    return len(a)


def test_lemmatizer_is_disabled_but_lemmas_are_the_components(models):
    full, lazy = models
    assert "lemmatizer" in full.pipe_names and "lemmatizer" not in lazy.pipe_names
    assert _same_tokens(full, lazy, TEXT) > 60
    doc = lazy("Rebels were shelling the town and fled.")
    assert [lemma(t) for t in doc] == ["rebel", "be", "shell", "the", "town", "and", "flee", "."]


def test_lemmas_match_over_the_seed(models, seed_file):
    full, lazy = models
    text = seed_file.read_text(encoding="utf-8")
    assert _same_tokens(full, lazy, text[:30000]) > 4000


def test_library_reads_lemmas_through_nlp_lemma():
    # token.lemma_ is empty on the stage model for tokens nobody asked about: reading it directly
    # would silently see "" instead of the lemma
    root = Path(__file__).resolve().parents[1] / "wirewatch"
    offenders = [f"{p.relative_to(root)}:{i}" for p in root.rglob("*.py") if p.relative_to(root).as_posix() != "nlp/model.py"
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\.lemma_?\b(?!\s*\()", line) and not line.lstrip().startswith("#")]
    assert not offenders, "read lemmas with wirewatch.nlp.model.lemma(token): " + ", ".join(offenders)


def test_fast_attribute_ruler_matches_what_the_matcher_matches(models, seed_file):
    from wirewatch.nlp.rulerfast import speed_up

    full, lazy = models
    ruler = full.get_pipe("attribute_ruler")
    assert lazy.get_pipe("attribute_ruler").match != ruler.match  # the stage model has the lookup
    text = seed_file.read_text(encoding="utf-8")[:20000] + "\n\n" + TEXT + " There are 3 left; there's none."
    with full.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = [full(t) for t in (text, TEXT, "   \n\n  ", "")]
    want = [ruler.match(d) for d in docs]
    original = ruler.match
    try:
        assert speed_up(ruler)
        got = [ruler.match(d) for d in docs]
        assert got == want
        assert [ruler.match(d) for d in docs] == want  # and again from the memo
    finally:
        ruler.match = original
    assert sum(map(len, want)) > len(docs[0])  # every token gets at least its tag's mapping
