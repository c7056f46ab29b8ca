"""Number phrases as reporters write them: "more than 20", "at least 15", "dozens",
"between 10 and 12", "3-8", "several thousand", "Nine", "a dozen", "1.2 million".

:data:`NUMBER` is a regular-expression fragment (no groups of its own that
callers rely on) that matches one such phrase; :func:`parse_number` turns the
matched text into ``(low, high, qualifier)``.

Vague words follow ACLED's coding conventions where ACLED has one:
``dozens`` → low 12, ``several`` / ``many`` → low 10, ``hundreds`` → 100,
``thousands`` → 1000, ``scores`` → 20.  Multiplied vague words take the
smallest reading: ``several hundred`` → 200, ``several thousand`` → 2000,
``a few dozen`` → 24, ``tens of thousands`` → 10000.  The qualifier is the
vague word itself ("dozens", "several thousand") so callers can tell a coded
convention from a reported figure.

Qualifiers are normalised: over / more than / upwards of → "more than";
about / around / some / approximately / roughly / an estimated / nearly /
almost / close to → "about" (nearly/almost keep their own word); at least /
no fewer than → "at least"; up to / as many as / at most → "up to" with low
and high both the figure (ACLED codes the figure stated; the qualifier keeps
the "at most" sense); fewer than / under → low None, high the figure;
between/to/or ranges → "between" with low and high.
"more than 20" gives low 20 (not 21), as ACLED does.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# vague word -> (low, qualifier)
_VAGUE = {
    "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "tens of thousands": 10000,
    "hundreds of thousands": 100000, "millions": 1_000_000, "several": 10, "many": 10, "numerous": 10,
    "a number": 10, "a handful": 3, "a few": 3, "a couple": 2, "a dozen": 12, "a score": 20,
    "several dozen": 24, "a few dozen": 24, "several hundred": 200, "a few hundred": 200,
    "several thousand": 2000, "a few thousand": 2000, "several thousands": 2000,
}

_QUALS = {
    "more than": "more than", "over": "more than", "upwards of": "more than", "well over": "more than",
    "just over": "more than", "in excess of": "more than", "at least": "at least", "no fewer than": "at least",
    "no less than": "at least", "a minimum of": "at least", "about": "about", "around": "about", "some": "about",
    "approximately": "about", "roughly": "about", "an estimated": "about", "estimated": "about",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
    "up to": "up to", "as many as": "up to", "at most": "up to", "fewer than": "fewer than",
    "less than": "fewer than", "under": "fewer than",
}

_WORD = "|".join(sorted([*(k for k in _UNITS if k not in ("a", "an", "no")), *_TENS], key=len, reverse=True))
_SCALE = "hundred|thousand|million|billion"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?![\d,]*\d)"
# a written-out or digit cardinal, optionally scaled: "29", "1,000", "5.5 million", "twenty-five", "a hundred"
_CARDINAL = (
    rf"(?:(?:{_DIGITS})(?:\s+(?:{_SCALE}))?"
    rf"|(?:(?:{_WORD})(?:[\s\-](?:{_WORD}))?(?:\s+(?:{_SCALE}))?)"
    rf"|(?:an?\s+(?:{_SCALE})))"
)
_VAGUE_RX = (
    r"(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|several\s+(?:dozen|hundred|thousand)s?|a\s+few\s+(?:dozen|hundred|thousand)"
    r"|a\s+dozen|a\s+score|dozens|scores|hundreds|thousands|millions|several|numerous|a\s+handful|a\s+couple|a\s+number)"
)
_QUAL_RX = "|".join(sorted((re.escape(q).replace(r"\ ", r"\s+") for q in _QUALS), key=len, reverse=True))
# units that make a number a measure, an age or a time span rather than a head count
UNIT_AFTER = (
    r"(?!\s*(?:%|percent|per\s*cent|km|kilomet|miles?\b|mph|met(?:er|re)s?\b|feet|foot|ft\b|inch|kg|kilo|tonnes?|tons?\b|"
    r"years?\b|yrs?\b|days?\b|hours?\b|minutes?\b|seconds?\b|weeks?\b|months?\b|decades?\b|centur|"
    r"dollars|euros|pounds|times\b|degrees|acres|hectares|square|sq\b|a\.m|p\.m|am\b|pm\b|GMT|o'clock|"
    r"st\b|nd\b|rd\b|th\b|(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b))(?![\-‐–]\s*(?:year|strong|member|km|meter|metre|mile|day|hour|minute|week|month|ton|story|storey|point|page|man\b))"
)
_RANGE_RX = rf"(?:between\s+(?:{_CARDINAL})\s+and\s+(?:{_CARDINAL})|(?:{_CARDINAL})\s*(?:-|–|to|or)\s*(?:{_CARDINAL}))"

_MONTH_WORDS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.",
)
# a year right after a month name ("21 March 2020, 12 ...") is never a count
_NOT_AFTER_MONTH = "".join(f"(?<!{re.escape(m)} )" for m in _MONTH_WORDS)

#: One number phrase (qualifier + cardinal/range/vague word).  Case-insensitive.
NUMBER = (
    rf"(?<![\w$£€.,/\-]){_NOT_AFTER_MONTH}(?:(?:{_QUAL_RX})\s+)?(?:{_RANGE_RX}|{_CARDINAL}|{_VAGUE_RX})(?![\w\-]*\d){UNIT_AFTER}"
)
NUMBER_RX = re.compile(NUMBER, re.I)


def _cardinal_value(text: str) -> int | None:
    t = text.lower().replace("-", " ").strip()
    t = re.sub(r"\s+", " ", t)
    m = re.fullmatch(r"([\d,]+(?:\.\d+)?)(?: (hundred|thousand|million|billion))?", t)
    if m:
        digits = m.group(1).replace(",", "")
        if len(digits.split(".")[0]) > 12:  # no casualty figure has more than 12 digits
            return None
        base = float(digits)
        return int(round(base * (_SCALES[m.group(2)] if m.group(2) else 1)))
    total = 0
    current = 0
    seen = False
    for word in t.split(" "):
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


_SPLIT_QUAL = re.compile(rf"^(?P<q>{_QUAL_RX})\s+(?P<rest>.+)$", re.I | re.S)
_SPLIT_RANGE = re.compile(
    rf"^(?:between\s+(?P<a>{_CARDINAL})\s+and\s+(?P<b>{_CARDINAL})|(?P<c>{_CARDINAL})\s*(?:-|–|to|or)\s*(?P<d>{_CARDINAL}))$", re.I | re.S
)


def parse_number(text: str) -> tuple[int | None, int | None, str | None] | None:
    """``(low, high, qualifier)`` for a number phrase matched by :data:`NUMBER`, or None.

    >>> parse_number("more than 20")
    (20, None, 'more than')
    >>> parse_number("between 10 and 12")
    (10, 12, 'between')
    >>> parse_number("dozens")
    (12, None, 'dozens')
    """
    t = re.sub(r"\s+", " ", text.strip())
    qual: str | None = None
    m = _SPLIT_QUAL.match(t)
    if m:
        qual = _QUALS[re.sub(r"\s+", " ", m.group("q").lower())]
        t = m.group("rest")
    compound = re.fullmatch(rf"(?:{'|'.join(_TENS)})-[a-z]+", t.lower()) and _cardinal_value(t) is not None
    r = None if compound else _SPLIT_RANGE.match(t)
    if r:
        a = _cardinal_value(r.group("a") or r.group("c"))
        b = _cardinal_value(r.group("b") or r.group("d"))
        if a is not None and b is not None:
            # "two or three": a range; "5 to 1" (odds, scores) is not
            if b < a:
                return None
            return a, b, qual or "between"
    low = _cardinal_value(t)
    if low is not None:
        if qual == "fewer than":
            return None if low <= 1 else (None, low, qual)
        if qual in ("more than", "at least"):
            return low, None, qual
        if qual in ("about", "nearly"):
            return low, low, qual
        return low, low, qual
    vague = re.sub(r"\s+", " ", t.lower())
    if vague in _VAGUE:
        return _VAGUE[vague], None, vague if qual is None else f"{qual} {vague}"
    return None
