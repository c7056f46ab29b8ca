"""A literal pre-check for regular expressions: run a pattern only where a word it needs occurs.

Most cue patterns of :mod:`wirewatch.extract.cues` are alternations of words (``\\bkill(?:ed|s)?\\b|
\\bshot\\b|...``); Python's ``re`` tries every alternative at every position, so a search that finds
nothing costs as much as the text is long times the number of alternatives.  But every match of such a
pattern contains one of a few literal strings ("kill", "shot", ...).  :func:`needles` reads that set from
the parsed pattern, once; :func:`may_match` tests it against the case-folded text with ``in`` (C string
search), and only a text that holds a needle is given to the pattern itself.

The check is conservative by construction: it answers False only when the pattern cannot match, so
``rx.search(text) if may_match(rx, fold(text)) else None`` returns exactly what ``rx.search(text)``
returns.  Needles are lower-cased ASCII; :func:`fold` lower-cases the text and maps the four non-ASCII
characters that ``re.IGNORECASE`` equates with an ASCII letter (dotted and dotless i, long s, the
Kelvin sign) to that letter, so a case-insensitive (or case-sensitive) match always leaves its needle
in the folded text.  A pattern with no usable literal gets ``None`` and is always run.

Measured (issue #24, ``python bench/bench_tricks.py --only pipeline --stories 250 --rounds 5``, 2026-12-07,
CPU time, 5 interleaved rounds on a shared 2-core machine): the ``events.v2`` stage plus the prefilter take
1.71x as long without the gate (median plain/gated; spread 1.62-2.24), i.e. the gate saves 41%
there; the whole per-article pipeline 1.25x (1.08-1.59).  Outputs identical (mentions and parses).
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812  the parser's opcodes (CPython's own re internals)
from re import _parser

# Non-ASCII characters that match an ASCII letter under re.IGNORECASE (checked by brute force over
# every code point in the tests), mapped to that letter.
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a]")

_ATOMIC = getattr(C, "ATOMIC_GROUP", None)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT) + ((C.POSSESSIVE_REPEAT,) if hasattr(C, "POSSESSIVE_REPEAT") else ())

_CACHE: dict[re.Pattern[str], tuple[str, ...] | None] = {}


def fold(text: str) -> str:
    """``text`` lower-cased, with the non-ASCII letters ``re.IGNORECASE`` reads as ASCII ones made ASCII."""
    if not text.isascii() and _SPECIAL.search(text):
        text = text.translate(_FOLD)
    return text.lower()


def _best(cands: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective candidate: longest shortest needle, then fewest needles."""
    if not cands:
        return None
    return max(cands, key=lambda c: (min(len(s) for s in c), -len(c)))


def _required(items) -> frozenset[str] | None:
    """A set of strings one of which every match of ``items`` (a parsed sequence) contains, or None."""
    cands: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            cands.append(frozenset(("".join(run),)))
            run.clear()

    for op, av in items:
        if op is C.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        flush()
        sub: frozenset[str] | None = None
        if op is C.SUBPATTERN:
            sub = _required(av[-1])
        elif op is _ATOMIC:
            sub = _required(av)
        elif op is C.BRANCH:
            alts = [_required(alt) for alt in av[1]]
            if all(a is not None for a in alts):
                sub = frozenset().union(*alts)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            sub = _required(av[2])
        # anything else (classes, any, categories, lookarounds, anchors) constrains nothing here
        if sub:
            cands.append(sub)
    flush()
    return _best(cands)


def needles(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings of which every match of ``rx`` contains one, or None if there is no such set.

    Computed once per pattern (the pattern's source is parsed, not its compiled code).
    """
    try:
        return _CACHE[rx]
    except KeyError:
        pass
    found: tuple[str, ...] | None = None
    if isinstance(rx.pattern, str):
        try:
            req = _required(_parser.parse(rx.pattern, rx.flags))
        except Exception:  # an unfamiliar parse tree: no gate, the pattern always runs
            req = None
        if req and all(req):
            # longest first: a long needle is rarer, so a miss is decided on the short ones last
            found = tuple(sorted(req, key=lambda s: (-len(s), s)))
    _CACHE[rx] = found
    return found


def may_match(rx: re.Pattern[str], folded: str) -> bool:
    """False only when ``rx`` cannot match the text whose :func:`fold` is ``folded``."""
    ns = _CACHE[rx] if rx in _CACHE else needles(rx)
    return ns is None or any(map(folded.__contains__, ns))


def search(rx: re.Pattern[str], text: str, folded: str) -> re.Match[str] | None:
    """``rx.search(text)``, skipped when the needles say it cannot match (``folded`` is ``fold(text)``)."""
    return rx.search(text) if may_match(rx, folded) else None
