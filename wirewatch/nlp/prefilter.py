"""A cheap pre-filter: run spaCy only on the paragraphs where an event can be found.

The extractor types a sentence only when one of the cue lexicons of
:mod:`wirewatch.extract.cues` matches it (``type_text`` returns None
otherwise), so a paragraph that no cue matches cannot yield an event.  Such
paragraphs are *blanked*: every character except line breaks becomes a space,
so the text keeps its length and every offset (dates, actors, claims, evidence)
still points into the article body.  spaCy tokenises a run of spaces as one
whitespace token, so a blanked paragraph costs almost nothing to parse.

Kept as context: the lede (first paragraph: dateline, the story's main place
and date) and the paragraphs next to every cue paragraph (a figure or its
source is often reported in the neighbouring sentence, and the parser sees the
same neighbourhood it would see in the whole text).

The lexicons are read from the extractor itself, so a cue added there is never
filtered out here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .regexgate import fold, may_match

log = logging.getLogger(__name__)

# A blank line, or a line break after a sentence end (one paragraph per line, as in JSONL
# bodies); a hard-wrapped line that ends mid-sentence is not a break.
# Paragraphs kept on each side of a paragraph with a cue (see the module docstring).
CONTEXT_PARAGRAPHS = 1
_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*|(?<=[.!?:;\"”’)])[ \t\r\f\v]*\n\s*")
_NOT_NEWLINE = re.compile(r"[^\n]")


@dataclass(frozen=True, slots=True)
class Filtered:
    """The text spaCy gets and what the filter kept (character spans into the original)."""

    text: str
    kept: tuple[tuple[int, int], ...]
    chars_kept: int
    chars_total: int

    @property
    def fraction(self) -> float:
        return self.chars_kept / self.chars_total if self.chars_total else 1.0


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank paragraph: text between blank lines, or between line
    breaks that follow a sentence end."""
    out = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        if text[pos:m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def _cue_patterns() -> tuple[re.Pattern[str], ...]:
    from ..extract.cues import CUES

    # the cues that match most often first, so a cue paragraph is recognised early
    first = ("kill", "battle", "arrest", "agreement", "intervention", "protest", "shell", "ied")
    names = [n for n in first if n in CUES] + [n for n in CUES if n not in first]
    return tuple(CUES[n] for n in names)


def has_cue(text: str, *, patterns: Iterable[re.Pattern[str]] | None = None) -> bool:
    """True when any event cue of the extractor matches ``text``.

    A cue's regex runs only when the paragraph holds one of the literal words that cue needs
    (:mod:`wirewatch.nlp.regexgate`), which gives the same answer at a fraction of the cost.
    """
    folded = fold(text)
    return any(may_match(p, folded) and p.search(text)
               for p in (patterns if patterns is not None else _cue_patterns()))


def event_paragraphs(text: str, *, context: int | None = None) -> list[tuple[int, int]]:
    """The spans to parse: the lede, every paragraph with a cue and ``context`` paragraphs around each.

    Adjacent kept paragraphs are returned as one span (including the break between them).
    """
    context = CONTEXT_PARAGRAPHS if context is None else context
    paras = paragraphs(text)
    if len(paras) <= 1:
        return [(0, len(text))] if text.strip() else []
    patterns = _cue_patterns()
    keep = [False] * len(paras)
    keep[0] = True
    for i, (s, e) in enumerate(paras):
        if has_cue(text[s:e], patterns=patterns):
            for j in range(max(0, i - context), min(len(paras), i + context + 1)):
                keep[j] = True
    spans: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(paras):
        if not keep[i]:
            continue
        if spans and keep[i - 1]:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def blank_outside(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with everything outside ``spans`` turned into spaces (line breaks kept): same length."""
    parts = []
    pos = 0
    for s, e in spans:
        if s > pos:
            parts.append(_NOT_NEWLINE.sub(" ", text[pos:s]))
        parts.append(text[s:e])
        pos = e
    if pos < len(text):
        parts.append(_NOT_NEWLINE.sub(" ", text[pos:]))
    out = "".join(parts)
    assert len(out) == len(text)
    return out


def prefilter(text: str, *, context: int | None = None) -> Filtered:
    """The text for spaCy: ``text`` with the paragraphs that cannot yield an event blanked."""
    spans = event_paragraphs(text, context=context)
    kept = sum(e - s for s, e in spans)
    if kept == len(text):
        return Filtered(text, tuple(spans), kept, len(text))
    return Filtered(blank_outside(text, spans), tuple(spans), kept, len(text))
