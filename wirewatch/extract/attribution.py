"""Who an article cites for a figure: "..., the Monitor said", "according to
hospital figures", "Officials reported a lower count of ...", "Three medics
reached by phone put the toll at ...".

:func:`attribute` looks inside the figure's sentence: first the nearest
attribution after the figure ("..., X said", "said X", "according to X"),
then the nearest one before it ("X said ...", "X put/gave/puts at ...").
:func:`clean_source` trims the phrase to a name ("Three medics reached by
phone" → "medics", "hospital figures" → "hospital") and resolves short forms
against the whole body ("the Monitor" → "Monitor for Civil Rights" when the
article named it in full; "a war monitor" → the monitor the article names).
Pronouns ("he said") give no source.
"""

from __future__ import annotations

import re

_VERBS = r"(?:said|says|say|reported|reports|report|told\s+\w+|added|stated|announced|estimated|estimates|confirmed|quoted)"
_PUT_VERBS = r"(?:said|says|reported|reports|put|puts|gave|give|gives|estimated|estimates|counted|counts|recorded|records|documented|announced|confirmed)"
_NOT_A_SOURCE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|attacks?|assaults?|strikes?|bombings?|blasts?|"
    r"explosions?|clash(?:es)?|fighting|offensive|raids?|shooting|incident|violence|responsibility)\b",
    re.I,
)

# ", the Monitor said" / ", a war monitor said on Sunday"
_TRAILING = re.compile(rf"[,”\"]\s*(?P<src>[^,;”\"]{{2,140}}?)\s+{_VERBS}\b", re.S)
# "said the Monitor for Civil Rights" / "according to hospital figures"
_INVERTED = re.compile(
    r"\b(?:(?P<v>said|says|reported|[Aa]ccording\s+to|citing|cited)\s+)"
    r"(?!(?:on|in|at|that|it|he|she|they|we|last|late|early|this|earlier|by|to|from|after|before|during|while|when|"
    r"its|his|her|there)\b)"
    r"(?P<src>(?:the\s+|a\s+|an\s+)?[^,;.()“”\"]{2,90}?)(?=\s*(?:[,;.()]|$|\s+(?:on|in|that|which|who|late|early)\b))",
    re.S,
)
# "The Monitor for Civil Rights, a group ..., said over 20 ..." / "Officials gave ..."
_LEADING = re.compile(
    rf"(?:^|[,;:]\s*|\bwhile\s+|\band\s+|\bbut\s+)(?P<src>[A-Z][^,;]{{1,90}}?)(?:,[^;]{{1,120}}?,)?\s+(?:also\s+)?{_PUT_VERBS}\b",
    re.S,
)

_PRONOUNS = {
    "he", "she", "it", "they", "we", "i", "you", "who", "which", "this", "that", "there", "one",
    "man", "woman", "boy", "girl", "person", "people", "other", "others",
    "as", "also", "and", "but", "so", "then", "however", "meanwhile", "what", "this", "these", "those",
}
_DETERMINERS = re.compile(
    r"^(?:the|a|an|some|several|many|two|three|four|five|six|seven|eight|nine|ten|one\s+of\s+the|both|other|another|its|his|their)\s+",
    re.I,
)
_STATEMENT = re.compile(r"^(?:(?:a|an|the)\s+)?(?:statement|report|communique|post|posting|tweet)\s+(?:from|by|of|issued\s+by)\s+(?:the\s+office\s+of\s+)?", re.I)
_TRAIL_CUT = re.compile(
    r"\s+(?:(?:in\s+(?=[A-Z])(?!Arabic)|contacted|quoted|cited|based|reached|interviewed|speaking|who|which|that|"
    r"told|citing|in\s+a\s+statement|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b.*)$",
    re.I | re.S,
)
_TRAIL_NOUNS = re.compile(r"\s+(?:figures|data|statistics|estimates|tallies|tally|sources|reports|count|counts)$", re.I)
_COMMON_FIRST = {
    "state", "government", "security", "police", "military", "army", "local", "hospital", "medical", "health",
    "rebels", "rebel", "residents", "witnesses", "activists", "officials", "sources", "aid", "rescue", "rescuers",
    "medics", "doctors", "monitors", "war", "opposition", "provincial", "district", "tribal", "regional", "hospitals",
}
_ALIASES = {"U.N.": "United Nations", "UN": "United Nations", "the U.N.": "United Nations", "VoJ": "Voice of Jihad"}

#: Sources that report their own side's victories or their enemy's losses.  A
#: figure credited to one of these is given qualifier "partisan".
PARTISAN = re.compile(
    r"^(?:VoJ|Voice of Jihad|Taliban|Taleban|Amaq|Islamic State|ISIS|ISIL|IS|Daesh|al[\s\-]Shabaab|Boko Haram|"
    r"Tahrir al-Sham|the group|militants?|jihadists?|insurgents?)(?:\s+(?:sources?|spokesm[ae]n|media|statement|website|news agency))?$",
    re.I,
)

_NAME_TOKEN = r"[A-Z][\w'’\-]*"


def _expand_name(word: str, body: str) -> str | None:
    """The longest capitalised name in ``body`` that contains ``word`` (e.g. Monitor)."""
    best: str | None = None
    pat = re.compile(
        rf"(?:(?:{_NAME_TOKEN})\s+){{0,5}}{re.escape(word)}(?:\s+(?:for|of|on|in)(?:\s+(?:the\s+)?{_NAME_TOKEN})+)?"
    )
    for m in pat.finditer(body):
        name = _strip_name_prefix(m.group(0))
        if name != word and (best is None or len(name) > len(best)):
            best = name
    return best


_MONITOR = re.compile(
    r"(?:[A-Z][\w'’\-]*\s+){0,4}(?:Observatory|Monitor|Monitoring Group|Monitoring Network)"
    r"(?:\s+(?:for|of|on)(?:\s+[A-Z][\w'’\-]*)+)?"
)


def _monitor_name(body: str) -> str | None:
    """The named war monitor an article mentions, if any ("... Observatory for ...", "... Monitor")."""
    m = _MONITOR.search(body)
    return _strip_name_prefix(m.group(0)) if m else None


def _strip_name_prefix(name: str) -> str:
    """"The Paris-based Monitor for X" -> "Monitor for X"."""
    return re.sub(r"^(?:(?:The|A|An)\s+)?(?:[A-Z][\w'’]*-(?:based|backed|led|run|funded|owned)\s+)?", "", name)


def clean_source(phrase: str, body: str) -> str | None:
    """A source name from an attribution phrase, or None for pronouns and junk."""
    s = re.sub(r"\s+", " ", phrase).strip(" \"'“”‘’-–")
    if s in _ALIASES:
        return _ALIASES[s]
    s = re.sub(r"^(?:[A-Z]{3,}[\s,/]+)+(?=[A-Z][a-z]|the\b)", "", s)  # a dateline glued to the lede
    s = _STATEMENT.sub("", s)
    s = _TRAIL_CUT.sub("", s)
    s = re.sub(r"\s*\([^)]*\)$", "", s)
    for _ in range(3):
        new = _DETERMINERS.sub("", s)
        if new == s:
            break
        s = new
    s = _TRAIL_NOUNS.sub("", s)
    s = s.strip(" ,\"'“”‘’")
    if not s or len(s) > 80 or re.search(r"\d|[“”\"]", s):
        return None
    if s.lower() in _PRONOUNS or s.split()[0].lower() in _PRONOUNS:
        return None
    if any(w.endswith("ed") and w.islower() for w in s.split()) or _NOT_A_SOURCE.search(s):
        return None
    if s in _ALIASES:
        return _ALIASES[s]
    words = s.split()
    if len(words) > 8:
        return None
    low = s.lower()
    if re.fullmatch(r"(?:war |conflict )?monitor(?:ing group)?|monitoring group|war monitoring group", low):
        return _monitor_name(body) or low
    if len(words) == 1 and words[0][0].isupper():
        full = _expand_name(words[0], body)
        if full:
            return full
    common = words[0].lower() in _COMMON_FIRST and words[0][0].isupper()
    if common and (len(words) == 1 or not all(w[0].isupper() for w in words)):  # "State media" -> "state media"
        s = s[0].lower() + s[1:]
    return s


def attribute(sentence: str, start: int, end: int, body: str) -> str | None:
    """The source credited for the figure at ``sentence[start:end]``, or None."""
    after = sentence[end:]
    cands: list[tuple[int, str]] = []
    for rx in (_TRAILING, _INVERTED):
        for m in rx.finditer(after):
            if rx is _TRAILING and re.search(r"\b(?:killed|wounded|injured|died|dead)\b", m.group("src")):
                continue
            src = clean_source(m.group("src"), body)
            if src:
                cands.append((m.start(), src))
                break
    if cands:
        return min(cands)[1]
    before = sentence[:start]
    best: tuple[int, str] | None = None
    tail = len(before.rstrip())
    for rx in (_LEADING, _INVERTED):
        for m in rx.finditer(before):
            if rx is _INVERTED and m.end() >= tail:
                continue  # "said X had killed ...": X is what was said, not who said it
            src = clean_source(m.group("src"), body)
            if src and (best is None or m.start() > best[0]):
                best = (m.start(), src)
    return best[1] if best else None


def is_partisan_source(source: str | None) -> bool:
    return bool(source) and bool(PARTISAN.match(source or ""))
