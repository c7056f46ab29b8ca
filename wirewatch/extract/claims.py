"""Reported figures as claims: who was killed, injured, displaced, made refugees,
arrested or abducted, how many, with the reporter's qualifier and the source
the article credits.

:func:`find_claims` returns every figure it finds in ``body[start:end]``; it
does not decide which figures belong to the event being coded.  It marks
what the event extractor needs to decide:

* qualifier ``"cumulative"``: totals over a period ("the overall number of
  people uprooted since 2011", "... up to May last year", "since the war
  began") — see also :func:`is_aggregate`;
* qualifier ``"forecast"``: "as many as 90,000 could be forced to flee";
* qualifier ``"partisan"``: figures credited to an armed group's own media
  (Voice of Jihad, Taliban sources, Amaq ...) — see :func:`is_partisan`;
* qualifier ``"coded"``: a coder's explicit statement in ACLED-style notes
  ("fatalities coded as N", "fatalities split across K events (N)");
* qualifier ``"prior"``: deaths that an event reacts to rather than causes
  ("marched to protest the killing of a trader", "in retaliation for the
  killing of ...");
* qualifier ``"sum"``: the total of per-part figures in one sentence ("a
  colonel was killed along with 8 others in one district and another 5 died
  in the next" → 9, 5 and a sum 14).

Populations, ages, distances and durations are not figures ("home to
200,000 people", "a 5,000-strong brigade", "a 33-year-old", "4 km", "60 days").
Unattributed figures are credited to ``agency`` (None when unknown).
``doc`` is accepted for interface stability; the patterns do not need it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from dataclasses import dataclass

from ..models import Claim
from .attribution import attribute, clean_source, is_partisan_source
from .claimrules import CLAIM_RULES, CUMULATIVE, LIST_NUM, LIST_NUM_RX, MODAL, NUM, PRIOR, QUANT_OF_KW, VERB_BEFORE
from .numbers import NUMBER_RX, parse_number

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Hit:
    quantity: str
    num: str
    start: int  # sentence-relative
    end: int
    num_start: int
    extra: int = 0  # "X along with 29 others" adds the named victim
    modal: bool = False
    rule: str = ""


_INTRANSITIVE = re.compile(r"fled|flee|died|dead|perish|lay|lie|lying|found|lost|among|confirmed|left|leave", re.I)
_MODAL_BEFORE = re.compile(r"\b(?:could|may|might|would|will)\s+(?:\w+\s+)?$")
_DETERMINER = re.compile(r"\b(?:the|his|her|their|its)\b", re.I)
_ANAPHORIC = re.compile(r"\b(?:the|these|those|its|their)\s+$", re.I)
_PAREN_SOURCE = re.compile(r"(?:\(\s*(?P<a>[A-Z][\w\s'’\-]{1,40}?)\s+(?:also\s+)?reported|according\s+to\s+(?P<b>[^)]+))")
_NOMINAL_OR_RELATIVE = re.compile(r"(?:the\s+)?(?:deaths?|killings?|murders?|bodies|massacres?|slaughter|executions?)\s+of\b|.*\bwho\s+(?:was|were|had\s+been)\b", re.I | re.S)
_ALSO_START = re.compile(r"\s*(?:Also|In addition|Another|A further)\b")
_ALSO_KILLED = re.compile(r"\b(?:were|was|had\s+been|have\s+been)\s+also\s+killed\b|\balso\s+killed\b")
_SUM_CUE = re.compile(r"\b(?:another|a\s+further|further|other|more|additional|also)\s*$", re.I)
_MORE_AFTER = re.compile(r"[\w,.\-]+\s+(?:more|further|additional)\b", re.I)  # "five more people were killed"
_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Gen|Lt|Col|Maj|Capt|Sgt|Brig|Mr|Mrs|Ms|Dr|St|No|"
    r"Rev|Gov|Sen|Rep|Prof|Corp|Inc|Co|U\.S|U\.N|U\.K|E\.U|vs|approx)\.)$"
)
_SENT_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (regex splitter that knows wire abbreviations)."""
    out: list[tuple[int, int]] = []
    begin = 0
    for m in _SENT_END.finditer(text):
        if m.group(0)[0] == "." and _ABBREV.search(text, max(0, m.start() - 6), m.start() + 1):
            continue
        if text[begin : m.start() + 1].strip():
            out.append((begin, m.start() + 1 if m.group(0)[0] in ".!?" else m.start()))
        begin = m.end()
    if text[begin:].strip():
        out.append((begin, len(text.rstrip())))
    return out


def _quantity(rule_q: str | None, kw: str) -> str | None:
    if rule_q is not None:
        return rule_q
    for q, rx in QUANT_OF_KW:
        if rx.search(kw):
            return q
    return None


# cheap pre-filters: a rule runs only on sentences holding one of its quantity's word stems
_STEMS = {
    "killed": re.compile(
        r"kill|dead|die|death|slain|execut|behead|murder|massacr|perish|lives|fatalit|bod(?:y|ies)|corpse|toll|shot|burn|"
        r"stabb|beat|hacked|crushed|assassin|decapitat|lynch",
        re.I,
    ),
    "injured": re.compile(r"wound|injur|hurt|maim|hospital", re.I),
    "displaced": re.compile(r"displac|fled|flee|uproot|homeless|forced|left\s+their|leave\s+their|evacuat", re.I),
    "refugees": re.compile(r"refugee|asylum", re.I),
    "arrested": re.compile(r"arrest|detain|custody|apprehend|jail|rounded", re.I),
    "abducted": re.compile(r"abduct|kidnap|hostage|captive", re.I),
}
_ANY_STEM = re.compile("|".join(rx.pattern for rx in _STEMS.values()), re.I)
_DIGIT_OR_WORD = re.compile(
    r"\d|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|"
    r"dozens?|scores?|several|many|numerous|number|handful|few|couple|the|his|her|him|another|[A-Z][a-z]+)\b"
)


def _hits(sent: str) -> list[_Hit]:
    hits: list[_Hit] = []
    if not _ANY_STEM.search(sent) or not _DIGIT_OR_WORD.search(sent):
        return hits
    present = {q for q, rx in _STEMS.items() if rx.search(sent)}
    num_starts = [w.start() for w in _WORD_START.finditer(sent) if LIST_NUM_RX.match(sent, w.start())]
    for rule, q, rx in CLAIM_RULES:
        if q is not None and q not in present:
            continue
        for m in _matches(rx, sent, num_starts):
            quantity = _quantity(q, m.group("kw")) if "kw" in rx.groupindex else q
            if rule == "paren":
                quantity = None  # takes the quantity of the figure it annotates (resolved later)
            elif quantity is None:
                continue
            if rule == "active" and quantity == "abducted" and m.group("np") is None:
                continue
            modal = False
            if rule == "passive":
                transitive = not _INTRANSITIVE.match(m.group("kw"))
                if transitive and not (m.group("aux") or "").strip() and _OBJECT_AFTER.match(sent, m.end()):
                    continue  # "two gunmen shot and killed a guard": active voice, the number is the killers
                modal = bool(MODAL.search(m.group("aux") or ""))
            elif rule == "refugees":
                modal = bool(MODAL.search(sent[m.end() : m.end() + 30].split(",")[0]))
            elif rule in ("active", "single_active"):
                modal = bool(_MODAL_BEFORE.search(sent[max(0, m.start() - 25) : m.start()]))
            if rule == "list":
                hits.extend(_list_items(sent, m, quantity or "", modal))
                continue
            if rule == "bare" and (NUMBER_RX.search(m.group("num")) or _DETERMINER.search(m.group("num"))):
                continue
            if rule in ("bare", "body"):
                hits.append(_Hit(quantity or "", "a", m.start(), m.end(), m.start(), 0, modal, rule))
                continue
            if "pron" in rx.groupindex and m.group("pron"):
                hits.append(_Hit(quantity or "", "a", m.start(), m.end(), m.start("pron"), 0, modal, rule))
                continue
            extra = 1 if rule == "along" else 0
            hits.append(_Hit(quantity or "", m.group("num"), m.start(), m.end(), m.start("num"), extra, modal, rule))
    hits = [h for h in hits if not _is_year(sent, h)]
    return _dedupe(hits)


_WORD_START = re.compile(r"(?<![\w'’])[\w]")


_OBJECT_AFTER = re.compile(r"\s+(?:an?|the|his|her|their|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\b", re.I)


def _matches(rx: re.Pattern[str], sent: str, num_starts: list[int]):
    """``rx.finditer(sent)``, but rules that open with a number are only tried where a number starts."""
    if not (rx.pattern.startswith(NUM) or rx.pattern.startswith(f"(?P<num>{LIST_NUM}")):
        yield from rx.finditer(sent)
        return
    last = 0
    for pos in num_starts:
        if pos < last:
            continue
        m = rx.match(sent, pos)
        if m:
            last = m.end()
            yield m


_YEARISH = re.compile(r"(?:19|20)\d\d")
_YEAR_BEFORE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|"
    r"\bin|\bsince|\bof|\buntil|\bby|\bfrom|\bthe|\bduring|\d{1,2}/\d{1,2}/)\s*$",
    re.I,
)


def _is_year(sent: str, h: _Hit) -> bool:
    """A bare 19xx/20xx after a month name or a preposition is a year, not a head count."""
    return _year_at(sent, h.num.strip(), h.num_start)


def _year_at(sent: str, num: str, pos: int) -> bool:
    return bool(_YEARISH.fullmatch(num)) and bool(_YEAR_BEFORE.search(sent[max(0, pos - 12) : pos]))


def _list_items(sent: str, m: re.Match[str], quantity: str, modal: bool) -> list[_Hit]:
    """One hit per coordinated number ("3 guards and 4 raiders were killed")."""
    items: list[_Hit] = []
    base = m.start("num")
    if re.search(r"\bbetween\s*$", sent[max(0, base - 10) : base], re.I):
        return items  # "between 20 and 25 fighters": a range, not two groups
    region = m.group("num")
    found = [x for x in LIST_NUM_RX.finditer(region)]
    # "the two countries" is a reference, not a count; "March 2020" is a year
    found = [x for x in found if not _ANAPHORIC.search(sent[max(0, base + x.start() - 8) : base + x.start()])]
    found = [x for x in found if not _year_at(sent, x.group(0), base + x.start())]
    # a number an earlier verb of another quantity governs ends the list there: "killing 8, several wounded"
    for i, x in enumerate(found):
        before = sent[max(0, base + x.start() - 40) : base + x.start()]
        if any(q != quantity and rx.search(before) for q, rx in VERB_BEFORE.items()):
            found = found[i + 1:] if m.start("kw") > m.start("num") else found[:i]
            break
    for i, x in enumerate(found):
        start = base + x.start()
        if i + 1 < len(found):
            end = base + found[i + 1].start()
            seg = sent[start:end]
            seg = re.sub(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)$", "", seg)
            end = start + len(seg)
        else:
            end = m.end() if m.start("kw") > m.start("num") else m.end("num")
        if i == 0 and m.start("kw") < m.start("num"):
            start_text = m.start()
        else:
            start_text = start
        num = "a" if x.group(0).lower() in ("a", "an") else x.group(0)
        items.append(_Hit(quantity, num, start_text, end, start, 0, modal, "list"))
    if len(items) < 2:
        return []
    return items


# which rule wins when two claim the same number (lower first)
_RULE_RANK = {
    "coded": 0, "total": 1, "along": 2, "list": 2, "toll": 3, "reported": 3, "paren": 3, "figure": 3,
    "active": 4, "passive": 5, "noun": 6, "refugees": 6, "single": 7, "single_active": 7,
    "named": 8, "bare": 8, "body": 8,
}


def _dedupe(hits: list[_Hit]) -> list[_Hit]:
    """One claim per number: the best-ranked rule wins; 'single' hits yield to any number inside them."""
    hits.sort(key=lambda h: (_RULE_RANK.get(h.rule, 9), h.num_start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for h in hits:
        clash = False
        for k in kept:
            same_num = h.num_start == k.num_start
            overlap = h.start < k.end and k.start < h.end
            weak = h.rule in ("single", "single_active", "named") or k.rule in ("along", "total", "coded")
            if same_num or (overlap and h.quantity == k.quantity and weak):
                clash = True
                break
            if overlap and k.rule in ("along",) and k.num_start <= h.num_start < k.end:
                clash = True
                break
        if not clash:
            kept.append(h)
    kept.sort(key=lambda h: h.num_start)
    return kept


def _clause(sent: str, start: int, end: int) -> str:
    left = max(sent.rfind(", ", 0, start), sent.rfind("; ", 0, start), -1)
    nxt = [i for i in (sent.find(", ", end), sent.find("; ", end)) if i != -1]
    return sent[left + 1 : min(nxt) if nxt else len(sent)]


def find_claims(
    body: str,
    start: int,
    end: int,
    *,
    article_id: str,
    published: dt.date | None,
    agency: str | None = None,
    doc=None,
    cache: dict | None = None,
) -> list[Claim]:
    """Every figure reported in ``body[start:end]`` as :class:`Claim` objects (offsets into ``body``).

    ``cache``: a dict kept for one body across calls (the caller's, per article); it holds the
    sentence split and each sentence's figure hits, so asking for many spans of one long
    sentence scans it once, not once per span.
    """
    del doc  # patterns work on text; kept for the agreed interface
    from .cues import plain

    if cache is None:
        cache = {}
    if cache.get("body") is not body:
        cache.clear()
        cache["body"] = body
        cache["plain"] = plain(body)
        cache["sents"] = sentences(cache["plain"])
        cache["ends"] = [e for _, e in cache["sents"]]
    body = cache["plain"]
    sents = cache["sents"]
    out: list[Claim] = []
    prev_killed: list[Claim] = []
    for s0, s1 in sents[bisect.bisect_right(cache["ends"], start):]:
        if s0 >= end:
            break
        if s1 <= start:
            continue
        sent_claims = _sentence_claims(cache, s0, s1, article_id, published, agency, start=start, end=end)
        out.extend(sent_claims)
        sums = _sum_claim(body, s0, s1, sent_claims, prev_killed, article_id, published)
        out.extend(sums)
        killed_here = [c for c in sent_claims if c.quantity == "killed" and _countable(c)]
        prev_killed = killed_here
    return out


def _sentence_claims(cache: dict, s0: int, s1: int, article_id: str, published: dt.date | None,
                     agency: str | None, *, start: int, end: int) -> list[Claim]:
    """The claims of one sentence ``body[s0:s1]`` whose figures fall inside ``[start, end)``."""
    body = cache["plain"]
    sent = body[s0:s1]
    hits = cache.get((s0, s1))
    if hits is None:
        hits = cache[(s0, s1)] = _hits(sent)
    sent_claims: list[Claim] = []
    last_q: str | None = None
    for h in hits:
        if not (start <= s0 + h.start < end or start < s0 + h.end <= end):
            continue
        one = h.rule == "named" or h.num.lower() in ("a", "an", "the", "his", "her", "their", "another")
        parsed = (1, 1, None) if one else parse_number(h.num)
        if parsed is None:
            continue
        low, high, qual = parsed
        if h.extra:
            low = None if low is None else low + h.extra
            high = None if high is None else high + h.extra
        quantity = h.quantity or last_q
        if not quantity:
            continue
        last_q = quantity
        text = sent[h.start : h.end]
        if h.rule == "coded":
            source, qual = agency, "coded"
        elif h.rule in ("reported", "paren"):
            m = _PAREN_SOURCE.search(text)
            raw = (m.group("a") or m.group("b")) if m else None
            source = clean_source(raw, body) if raw else None
            text = text.lstrip("( ")
        else:
            lead = h.num_start if h.rule in ("toll", "total", "figure") else h.start
            source = attribute(sent, lead, h.end, body)
        if h.rule not in ("coded",):
            if is_partisan_source(source):
                qual = "partisan"
            elif h.modal:
                qual = "forecast"
            elif h.rule == "total" or CUMULATIVE.search(_clause(sent, h.start, h.end)):
                qual = "cumulative"
            elif PRIOR.search(sent[: h.start]) and _NOMINAL_OR_RELATIVE.match(text):
                qual = "prior"
        if source is None:
            source = agency
        cs = s0 + h.start + (len(sent[h.start : h.end]) - len(text))
        claim = Claim(quantity, low, high, qual, text, source, article_id, cs, cs + len(text), published)
        inside = any(c.quantity == quantity and c.start <= claim.start < c.end for c in sent_claims)
        if h.rule == "single" and inside:
            continue
        sent_claims.append(claim)
    return sent_claims


def _countable(c: Claim) -> bool:
    return c.qualifier not in ("cumulative", "forecast", "partisan", "coded", "sum", "prior") and c.low is not None


def _sum_claim(
    body: str, s0: int, s1: int, claims: list[Claim], prev: list[Claim], article_id: str, published: dt.date | None
) -> list[Claim]:
    """Per-part figures in one sentence ("... 8 others in A and another 5 ... in B") → one 'sum' claim.

    Its span runs from the first part to the last, so the parts lie inside it.
    """
    sent = body[s0:s1]
    killed = [c for c in claims if c.quantity == "killed" and _countable(c)]
    parts: list[Claim] = []
    for i, c in enumerate(killed):
        if i == 0:
            parts.append(c)
            continue
        lead = sent[max(0, c.start - s0 - 30) : c.start - s0]
        between = sent[killed[i - 1].end - s0 : c.start - s0]
        if c.source == parts[-1].source and (
            _SUM_CUE.search(lead) or _MORE_AFTER.match(c.text)
            or re.fullmatch(r"\s*(?:and|,|,\s*and|as\s+well\s+as)\s*", between, re.I)
        ):
            parts.append(c)
        else:
            break
    if len(parts) < 2:
        # "Also 2 militants were killed." after a sentence with a killed figure
        also = _ALSO_START.match(sent) or _ALSO_KILLED.search(sent)
        if killed and prev and also:
            parts = [*prev, killed[0]]
        else:
            return []
    total = sum(c.low or 0 for c in parts)
    highs = [c.high for c in parts]
    high = sum(h for h in highs if h is not None) if all(h is not None for h in highs) else None
    first, last = parts[0], parts[-1]
    text = body[first.start : last.end]
    return [Claim("killed", total, high, "sum", text, last.source, article_id, first.start, last.end, published)]


def is_aggregate(claim: Claim, body: str) -> bool:
    """True for totals over a period rather than one event's toll ("since 2011", "total number", "up to May")."""
    if claim.qualifier == "cumulative":
        return True
    for s0, s1 in sentences(body):
        if s0 <= claim.start < s1:
            return bool(CUMULATIVE.search(_clause(body[s0:s1], claim.start - s0, claim.end - s0)))
    return False


def is_partisan(claim: Claim) -> bool:
    """True when the figure comes from an armed group's own outlet (qualifier or source says so)."""
    return claim.qualifier == "partisan" or is_partisan_source(claim.source)
