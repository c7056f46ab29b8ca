"""The literal gate in front of the cue regexes: it may let a text through needlessly, never hold one back."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.extract.cues import CUES
from wirewatch.extract.subtypes import type_text
from wirewatch.nlp.prefilter import has_cue, paragraphs
from wirewatch.nlp.regexgate import fold, may_match, needles, search


def test_needles_of_an_alternation_of_words():
    rx = re.compile(r"\bkill(?:ed|s)?\b|\bshot\b|\bbod(?:y|ies)\b", re.I)
    assert set(needles(rx)) == {"kill", "shot", "bod"}
    assert not may_match(rx, fold("The talks resumed on Monday."))
    assert may_match(rx, fold("Two men were SHOT dead."))
    assert search(rx, "Two men were SHOT dead.", fold("Two men were SHOT dead.")).group(0) == "SHOT"


def test_a_pattern_without_a_required_literal_always_runs():
    for rx in (re.compile(r"\w+\s\d+"), re.compile(r"(?:abc)?x?", re.I), re.compile(r"a|\d")):
        assert needles(rx) is None
        assert may_match(rx, "")


def test_a_case_sensitive_part_is_still_found_in_the_folded_text():
    rx = re.compile(r"(?-i:\b[A-Z]*IEDs?\b)|\bmines?\b", re.I)
    assert may_match(rx, fold("Two VBIEDs went off."))
    assert search(rx, "Two VBIEDs went off.", fold("Two VBIEDs went off.")) is not None


def test_fold_covers_every_character_ignorecase_equates_with_an_ascii_letter():
    # brute force over all of Unicode: whatever re.IGNORECASE matches for an ASCII letter, fold
    # turns into that letter, so a needle can never be missed because of case folding
    every = "".join(map(chr, range(sys.maxunicode + 1))).replace("\n", "")
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for ch in re.findall(re.escape(letter), every, re.IGNORECASE):
            assert fold(ch) == letter, (letter, hex(ord(ch)))


def test_fold_keeps_length_and_maps_the_odd_letters():
    text = "K\u0130LLED \u017fhelled \u212aill D\u0131splaced"
    assert fold(text) == "killed shelled kill displaced"
    assert len(fold(text)) == len(text)


_WORDS = sorted({n.strip() for rx in CUES.values() for n in (needles(rx) or ()) if n.strip()} |
                {"the", "police", "said", "on", "Monday", "3,000", "people", "town", "were", "by"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(["\u0130", "\u0131", "\u017f", "\u212a"]),
                          st.text(alphabet="aeiklmnorstdbcpufgwhy -,.'\u0130\u0131\u017f\u212aKLMS", max_size=8)),
                max_size=14),
       st.sampled_from(["lower", "upper", "title", "same"]))
def test_gated_search_finds_exactly_what_the_regex_finds(parts, case):
    text = " ".join(parts)
    text = {"lower": text.lower(), "upper": text.upper(), "title": text.title(), "same": text}[case]
    folded = fold(text)
    for name, rx in CUES.items():
        want = rx.search(text)
        got = search(rx, text, folded)
        assert (got and got.span()) == (want and want.span()), (name, text)


def test_seed_paragraphs_and_sentences_get_the_same_cues_and_types(seed_file):
    text = seed_file.read_text(encoding="utf-8")
    pieces = []
    for s, e in paragraphs(text):
        pieces.append(text[s:e])
        pieces.extend(x for x in re.split(r"(?<=[.!?])\s+", text[s:e]) if x)
    assert len(pieces) > 100
    typed = 0
    for piece in pieces:
        assert has_cue(piece) == any(rx.search(piece) for rx in CUES.values())
        folded = fold(piece)
        for name, rx in CUES.items():
            assert bool(rx.search(piece)) == bool(may_match(rx, folded) and rx.search(piece)), name
        typed += type_text(piece) is not None
    assert typed > 20  # the seed's stories are about violence: many sentences are typed


@pytest.mark.parametrize("name", sorted(CUES))
def test_every_cue_lexicon_gets_a_gate(name):
    # not needed for correctness (a pattern without needles always runs), but a cue that loses its
    # gate silently costs a regex pass over every paragraph and sentence: say which one
    assert needles(CUES[name]), f"cue {name!r} has no literal the gate can check"
