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
from .numbers import NUMBER, NUMBER_RX, parse_number

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- vocabulary

_PERSON = (
    r"(?:people|persons?|civilians?|soldiers?|troops|servicem[ae]n|policem[ae]n|police(?:\s+officers?)?|officers?|"
    r"commanders?|members?|fighters?|militants?|rebels?|insurgents?|jihadists?|gunm[ae]n|attackers?|bombers?|"
    r"m[ae]n|wom[ae]n|child(?:ren)?|boys?|girls?|bab(?:y|ies)|infants?|students?|pupils?|teachers?|doctors?|"
    r"nurses?|journalists?|reporters?|workers?|farmers?|herders?|guards?|rangers?|residents?|villagers?|"
    r"worshippers?|passengers?|pilgrims?|protesters?|demonstrators?|bystanders?|employees?|officials?|leaders?|"
    r"chiefs?|clerics?|scholars?|imams?|priests?|traders?|businessm[ae]n|drivers?|pilots?|prisoners?|inmates?|"
    r"detainees?|suspects?|militiam[ae]n|militias?|recruits?|personnel|guardsm[ae]n|peacekeepers?|Christians?|"
    r"Muslims?|Copts?|Shi['’]?ites?|Sunnis?|Yazidis?|Kurds?|Arabs?|refugees?|migrants?|family\s+members|relatives?|"
    r"youths?|teenagers?|elders?|fishermen|miners?|contractors?|aid\s+workers?|medics?|staff|individuals?|"
    r"victims?|casualties|others?|Taliban|Arbakis?|shepherds?|hostages?|captives?|sons?|daughters?|brothers?|"
    r"sisters?|mothers?|fathers?|wives|wife|husbands?|vendors?|miners?|candidates?|activists?|politicians?)"
)
_PERSON_SG = (
    r"(?:person|civilian|soldier|serviceman|policeman|policewoman|officer|commander|member|fighter|militant|rebel|"
    r"insurgent|gunman|man|woman|child|boy|girl|baby|infant|student|pupil|teacher|doctor|nurse|journalist|reporter|"
    r"worker|farmer|herder|guard|ranger|resident|villager|passenger|protester|demonstrator|employee|official|leader|"
    r"chief|cleric|scholar|imam|priest|trader|businessman|driver|pilot|prisoner|detainee|suspect|militiaman|recruit|"
    r"peacekeeper|director|head|governor|mayor|judge|lawyer|activist|politician|candidate|shepherd|mother|father|son|"
    r"daughter|brother|sister|wife|husband|relative|cousin|uncle|nephew|elder|youth|teenager|vendor|contractor|"
    r"engineer|shopkeeper|storekeeper|lady|gentleman|owner|merchant|housewife|house-wife|watchman|nightwatchman|"
    r"prospector|chairman|pastor|councillor|bomber|attacker|assailant|thief|robber|bandit|kidnapper|smuggler|"
    r"informant|spy|national|citizen|foreigner|tourist|Christian|Muslim|Copt|sergeant|captain|colonel|general|"
    r"lieutenant|major|brigadier|spokesman|deputy)"
)
_KW = {
    "killed": (
        r"(?:killed|dead|died|slain|shot\s+dead|shot\s+and\s+killed|executed|beheaded|murdered|massacred|perished|"
        r"assassinated|decapitated|lynched|"
        r"lost\s+their\s+lives|burn(?:ed|t)\s+to\s+death|stabbed\s+to\s+death|beaten\s+to\s+death|hacked\s+to\s+death|"
        r"crushed\s+to\s+death|lay\s+dead|lie\s+dead|lying\s+dead|found\s+dead|among\s+the\s+dead|confirmed\s+dead)"
    ),
    "injured": r"(?:wounded|injured|hurt|maimed|hospitali[sz]ed)",
    "displaced": (
        r"(?:displaced|fled|uprooted|made\s+homeless|forced\s+(?:to\s+flee|from\s+their\s+homes|to\s+leave)|"
        r"left\s+their\s+homes|leave\s+their\s+homes|flee(?:\s+their\s+homes)?|evacuated)"
    ),
    "arrested": r"(?:arrested|detained|rounded\s+up|taken\s+into\s+custody|apprehended|jailed)",
    "abducted": r"(?:abducted|kidnapped|taken\s+hostage|held\s+hostage|taken\s+captive)",
}
_ACTIVE = {
    "killed": (
        r"(?:killed|killing|kills|kill|shot\s+dead|shooting\s+dead|shot\s+and\s+killed|executed|executing|beheaded|"
        r"assassinated|assassinating|assassinates|assassinate|lynched|lynching|decapitated|murders?|"
        r"(?:beat|beating|stab|stabbed|stabbing|hack|hacked|hacking|burn|burned|burnt|burning)\s+to\s+death|"
        r"murdered|murdering|massacred|massacring|claimed\s+the\s+lives\s+of|claiming\s+the\s+lives\s+of|"
        r"(?:the\s+)?deaths?\s+of|(?:the\s+)?killings?\s+of|(?:the\s+)?bodies\s+of|(?:the\s+)?corpses\s+of)"
    ),
    "injured": r"(?:wounded|wounding|wounds|injured|injuring|injures|(?:the\s+)?injur(?:y|ies)\s+(?:of|to))",
    "displaced": r"(?:displaced|displacing|uprooted|uprooting|displaces|uproots)",
    "arrested": r"(?:arrested|arresting|arrests|detained|detaining|detains|rounded\s+up|rounding\s+up)",
    "abducted": (
        r"(?:abducted|abducting|abducts|kidnapped|kidnapping|kidnaps|(?:took|taking|takes)\s+(?=\S+\s+\S*\s*hostage))"
    ),
}
_AUX = (
    r"(?:(?:were|was|have|has|had|are|is|been|being|be|got|reportedly|also|later|allegedly|all|initially|now|"
    r"who|that|so\s+far|already|believed\s+to\s+have|feared|thought\s+to\s+have|confirmed|reported|"
    r"may|might|could|would|will|to|expected|likely|set|have\s+to|had\s+to|forced\s+to|[a-z]+ed\s+and|[a-z]+ed\s+or)\s+)"
)
_MODAL = re.compile(r"\b(?:may|might|could|would|will|expected|likely|set\s+to|risk|threaten|feared\s+to)\b")
# NP tokens between a number and its verb: no finite verbs, no other keyword, no clause break
_NP_STOP = (
    r"(?!(?-i:were|was|is|are|be|been|being|have|has|had)\b)"
    r"(?!(?:said|says|say|told|and\s+\d|and\s+[a-z]+(?:ed|ing)\b|or\s+[a-z]+ed\b|while|but|after|before|when|"
    r"who|which|that|according|killed|killing|wounded|injured|died|dead|displaced|fled|arrested|detained|"
    r"abducted|kidnapped|may|might|could|would|will|deaths?|fatalit(?:y|ies)|casualties|injur(?:y|ies)|bodies)\b)"
)
_NP_ADJ = (
    r"(?:armed|suspected|unidentified|alleged|unarmed|unnamed|masked|hooded|detained|retired|elected|unemployed|"
    r"wanted|trained|displaced)"
)
_NP_TOKEN = rf"(?:(?:\s+|(?<=[(\"“‘])){_NP_STOP}(?!(?!{_NP_ADJ}\b)[a-z]+ed\b)[\w'’‘\-\.]+|\s*[,()\"“”'‘’–](?=\s*[\w\"“]))"
_NP_WORD = rf"\s+{_NP_STOP}(?!(?!{_NP_ADJ}\b)[a-z]+ed\b)[\w'’‘\-\.]+"
_NUM = rf"(?P<num>{NUMBER})"


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


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I | re.S)


_NOT_OR_HURT = r"(?!\s+(?:or|and/or)\s+(?:wounded|injured|killed))"  # "killed or wounded": no count
_RULES: list[tuple[str, str | None, re.Pattern[str]]] = []
for _q in _KW:
    # "9 guards including 2 officers were killed", "15 wounded", "Some 3,000 have been displaced"
    _RULES.append(("passive", _q, _rx(
        rf"{_NUM}(?P<np>(?:{_NP_WORD}{_NP_TOKEN}{{0,11}}?)?)\s+(?P<aux>{_AUX}{{0,4}})(?:all\s+)?"
        rf"(?P<kw>{_KW[_q]})\b{_NOT_OR_HURT}"
    )))
    # "killing dozens", "killed more than 20 people", "wounding 8", "arrested five men"
    _RULES.append(("active", _q, _rx(
        rf"\b(?P<kw>{_ACTIVE[_q]})\s+(?:at\s+least\s+)?{_NUM}"
        rf"(?P<np>(?:\s+(?:other|more|of\s+the|of\s+them|of\s+whom))?(?:\s+[\w'’\-]+){{0,3}}?\s+{_PERSON}\b)?"
    )))
# "a 70-year-old man who was killed", "A teacher was killed", "The guard was killed"
_SG_TOK = rf"{_NP_STOP}(?!(?!{_NP_ADJ}\b)[a-z]+ed\b)[\w'’\-]+"
_SG_NP = rf"(?:{_SG_TOK}\s+){{0,4}}?{_SG_TOK}(?:\s*,[^,;]{{1,60}},)?"
_SG_AUX = (
    r"(?:who\s+|that\s+)?(?:was|has\s+been|had\s+been|is|got)\s+"
    r"(?:(?:reportedly|also|later|allegedly|then|seriously|critically|badly|reported|feared|confirmed|[a-z]+ed\s+and)\s+)?"
)
for _q in ("killed", "injured", "abducted", "arrested"):
    _RULES.append(("single", _q, _rx(
        rf"(?<![\w\-])(?P<num>an?|the|his|her)\s+{_SG_NP}\s+{_SG_AUX}(?P<kw>{_KW[_q]})\b{_NOT_OR_HURT}"
    )))
# "the body of a teacher was found", "Body found near the river"
_RULES.append(("body", "killed", _rx(
    r"(?:^|\b(?:a|the|his|her)\s+)(?P<num>)(?:(?:dead|burned|burnt|decapitated|mutilated|bullet-riddled|headless)\s+)?"
    r"(?P<kw>body)\s+(?:of\s+(?:[^.;,]{1,60}?)\s+)?(?:was\s+|is\s+|has\s+been\s+|had\s+been\s+)?"
    r"(?:found|discovered|recovered|dumped)\b"
)))
# headline-style notes: "Farmer killed by gunmen", "Elderly trader shot dead near the market"
_RULES.append(("bare", "killed", _rx(
    rf"^(?P<num>(?:[\w\-]+\s+){{0,3}}?){_PERSON_SG}(?:\s+[A-Z][\w\-]+){{0,3}}\s+(?:(?:was|is|reportedly)\s+)*"
    rf"(?P<kw>{_KW['killed']})\b(?!\s+(?:or|and/or)\s+(?:wounded|injured))"
)))
# "Mayor John Doe was shot dead"
_RULES.append(("named", "killed", _rx(
    rf"(?P<num>(?:(?-i:[A-Z])[\w'’\-.]+\s+){{1,5}})(?:,[^,;]{{1,80}},\s*)?(?:was|has\s+been|had\s+been)\s+"
    rf"(?:(?:reportedly|also|later|allegedly|then)\s+)?(?P<kw>{_KW['killed']})\b(?!\s+(?:or|and/or)\s+(?:wounded|injured))"
)))
# one victim after an active verb, unless another victim is coordinated: "killing a woman and two children"
_MORE_VICTIMS = (
    rf"(?!\s+(?:and|or)\s+(?:(?:an?|the|his|her|\d+|two|three|four|five|several|other|many)\s+"
    rf"(?:[\w'’\-]+\s+){{0,2}}?{_PERSON}\b|others\b))"
)
for _q in ("killed", "injured", "arrested", "abducted"):
    # "shot and killed a shopkeeper", "killing a woman", "killing him"
    _RULES.append(("single_active", _q, _rx(
        rf"\b(?P<kw>{_ACTIVE[_q]})\s+(?:(?P<num>an?|one|the|his|her|their|another)\s+(?:[\w'’\-]+\s+){{0,4}}?"
        rf"{_PERSON_SG}\b(?!['’]?s\b)(?!\s+(?:along|together)\s){_MORE_VICTIMS}|(?P<pron>him|her)\b)"
    )))
# "a colonel was killed along with 8 others"  /  "killing the mayor and 3 others"
_RULES.append(("along", "killed", _rx(
    rf"\b(?:was|has\s+been|had\s+been)\s+(?P<kw>killed|shot\s+dead)\s+(?:along|together)\s+with\s+{_NUM}\s+others?\b"
)))
_RULES.append(("along", "killed", _rx(
    rf"\b(?P<kw>killed|killing|kills)\s+(?:a|an|the|one|his|her|their)\s+(?:[\w'’\-]+\s+){{0,4}}?"
    rf"(?:along\s+with|together\s+with|and)\s+{_NUM}\s+others?\b"
)))
# "the death toll climbed to 21", "put the toll at no fewer than 30"
_TOLL_VERB = (
    r"(?:rose|risen|rises|climbed|jumped|increased|reached|reaches|hit|topped|stood|stands|was|is|went\s+up|"
    r"passed|exceeded|of|at|to)"
)
_RULES.append(("toll", "killed", _rx(
    rf"\b(?P<kw>(?:death|casualty)\s+toll|toll\s+of\s+dead)\b(?:\s+(?:from|in|of)\s+[^.;,]{{1,40}}?)?\s+"
    rf"(?:(?:has|had|have|now|also|further)\s+)*{_TOLL_VERB}?(?:\s+(?:at|to))?\s+{_NUM}"
)))
_RULES.append(("toll", "killed", _rx(
    rf"\b(?P<kw>(?:put|puts|putting|gave|gives|giving|raised|raising)\s+the\s+(?:total\s+|overall\s+|final\s+)?"
    rf"(?:death\s+)?toll)\s+(?:at|to)?\s*{_NUM}"
)))
# "resulting in 2 fatalities", "One death was reported", "19 deaths"
_RULES.append(("noun", "killed", _rx(
    rf"{_NUM}(?:\s+(?:people|persons|civilian|military|more|other|confirmed|reported))?\s+"
    rf"(?P<kw>fatalit(?:y|ies)|deaths?|dead\s+bodies|bodies|corpses)\b"
)))
_RULES.append(("noun", "injured", _rx(rf"{_NUM}(?:\s+(?:people|persons|more|other))?\s+(?P<kw>injur(?:y|ies)|wounded)\b")))
# "a lower count of 25 people killed"
_RULES.append(("figure", "killed", _rx(
    rf"\b(?P<kw>figure|tally|count)\s+of\s+{_NUM}(?:\s+people\s+(?:killed|dead)|\s+(?:people|dead|deaths|killed|fatalities))"
)))
# "over 5,000 Congolese refugees"
_RULES.append(("refugees", "refugees", _rx(rf"{_NUM}(?P<np>(?:\s+[\w'’\-]+){{0,3}}?)\s+(?P<kw>refugees|asylum[\s\-]seekers)\b")))
# "3 guards and 4 raiders were killed", "1-2 rebels, 3 police, and 1 farmer were killed"
_LIST_NUM = rf"(?:{NUMBER}|(?<![\w\-])an?(?=\s))"
_LIST_NUM_RX = re.compile(_LIST_NUM, re.I)
_LIST_ITEM = rf"{_LIST_NUM}(?:\s+{_NP_STOP}(?!and\b|or\b)(?!(?!{_NP_ADJ}\b)[a-z]+ed\b)[\w'’\-]+){{0,4}}?"
_LIST = rf"{_LIST_ITEM}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_LIST_ITEM}){{1,6}}"
for _q in ("killed", "injured", "arrested", "abducted"):
    _RULES.append(("list", _q, _rx(rf"(?P<num>{_LIST})\s+(?P<aux>{_AUX}{{0,3}})(?P<kw>{_KW[_q]})\b")))
    # the list ends before a new clause: "killing four guards, and three others forced their way in"
    _RULES.append(("list", _q, _rx(rf"\b(?P<kw>{_ACTIVE[_q]})\s+(?P<num>{_LIST}\s+{_PERSON})\b"
                                   rf"(?!\s+[a-z]+ed\s+(?:their|his|her|its|the|a|an|to|into|in|out|back|on)\b)")))
# "the total number of people displaced ... to over 60,000"
_TOTAL_PRE = r"(?:(?!and\b)\w+\s+){0,2}?"
_TOTAL_KW = r"(?P<kw>displaced|killed|dead|wounded|injured|refugees|arrested|detained|abducted|kidnapped)"
_TOTAL_OF = rf"(?:total\s+)?number\s+of\s+{_TOTAL_PRE}{_TOTAL_KW}\b(?!\s+and\s+(?:wounded|injured))"
_RULES.append(("total", None, _rx(
    rf"\b(?:the\s+)?{_TOTAL_OF}[^.;]{{0,120}}?\b(?:to|at|is|was|stands\s+at|stood\s+at|reached|of)\s+{_NUM}"
)))
# "puts at over 60,000 the total number of people displaced"
_RULES.append(("total", None, _rx(rf"\b(?:at|to)\s+{_NUM}\s+the\s+{_TOTAL_OF}")))
# ACLED-style notes: "fatalities coded as N", "fatalities split across K events (N)"
_RULES.append(("coded", "killed", _rx(rf"\b(?P<kw>fatalities\s+(?:were\s+|are\s+|is\s+)?coded\s+as)\s+{_NUM}")))
_RULES.append(("coded", "killed", _rx(
    r"\b(?P<kw>fatalities\s+(?:are\s+|were\s+)?split\s+(?:across|between|over|among)\s+\d+\s+"
    r"(?:events|locations|districts|provinces))\s*\(\s*(?P<num>\d+)\s*\)"
)))
_RULES.append(("coded", "killed", _rx(rf"{_NUM}\s+(?P<kw>fatalit(?:y|ies)\s+(?:were\s+)?(?:coded|recorded))\s+(?:on|for)\b")))
# "(VoJ reported N deaths)", "(VoJ reported N)", "(N according to X)"
_RULES.append(("reported", "killed", _rx(
    rf"\(\s*(?P<src>(?-i:[A-Z])[\w\s'’\-]{{1,40}}?)\s+(?:also\s+)?(?P<kw>reported)\s+{_NUM}(?:\s+fatalit(?:y|ies))?"
)))
_RULES.append(("paren", None, _rx(rf"\(\s*{_NUM}\s+(?P<kw>according\s+to)\s+(?P<src>[^)]{{2,60}})\)")))

_QUANT_OF_KW = [
    ("killed", re.compile(r"kill|dead|death|died|fatal|bodies|corpse|toll|slain|execut|behead|murder|massacr", re.I)),
    ("injured", re.compile(r"wound|injur|hurt|maim|hospital", re.I)),
    ("refugees", re.compile(r"refugee|asylum", re.I)),
    ("displaced", re.compile(r"displac|fled|flee|uproot|homeless|evacuat|leave|left", re.I)),
    ("arrested", re.compile(r"arrest|detain|custody|apprehend|jail|rounded", re.I)),
    ("abducted", re.compile(r"abduct|kidnap|hostage|captive", re.I)),
]

_CUMULATIVE = re.compile(
    r"\b(?:since|total\s+number|in\s+total|taking\s+the\s+total|bringing\s+(?:the\s+\w+\s+)?to|"
    r"brings\s+(?:the\s+\w+\s+)?to|up\s+to\s+(?:the\s+end\s+of\s+|mid-?|late\s+|early\s+)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|last|this|now|\d{4})|"
    r"over\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years?|months?|decades?)|"
    r"in\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years?|decades?)|"
    r"(?:war|conflict|insurgency|uprising|violence|fighting|crisis|campaign|rebellion|unrest)\s+(?:that|which)\s+"
    r"(?:has|have|had)\s+(?:\w+\s+)?(?:killed|displaced|uprooted|forced|claimed|left)|"
    r"since\s+the\s+start|so\s+far\s+this\s+year|throughout|altogether|cumulative)\b",
    re.I,
)
# "marched to protest the killing of a trader", "in retaliation for the killing of": an earlier event
_PRIOR = re.compile(
    r"\b(?:(?:protest\w*|march\w*|rall(?:y|ies|ied)|riot\w*|demonstrat\w*|strikes?|unrest|anger|outrage|mourn\w*|"
    r"funerals?|vigils?)"
    r"\s+(?:[\w'’\-]+\s+){0,5}?(?:against|over|after|following|about|for|in\s+memory\s+of|in\s+response\s+to)"
    r"|in\s+retaliation\s+(?:for|to)|to\s+avenge|in\s+revenge\s+for|in\s+memory\s+of|accused\s+of|charged\s+with|"
    r"convicted\s+of|sentenced\s+for)\b[^.;]*$",
    re.I,
)
_INTRANSITIVE = re.compile(r"fled|flee|died|dead|perish|lay|lie|lying|found|lost|among|confirmed|left|leave", re.I)
_MODAL_BEFORE = re.compile(r"\b(?:could|may|might|would|will)\s+(?:\w+\s+)?$")
_DETERMINER = re.compile(r"\b(?:the|his|her|their|its)\b", re.I)
_ANAPHORIC = re.compile(r"\b(?:the|these|those|its|their)\s+$", re.I)
_PAREN_SOURCE = re.compile(r"(?:\(\s*(?P<a>[A-Z][\w\s'’\-]{1,40}?)\s+(?:also\s+)?reported|according\s+to\s+(?P<b>[^)]+))")
_NOMINAL_OR_RELATIVE = re.compile(r"(?:the\s+)?(?:deaths?|killings?|murders?|bodies)\s+of\b|.*\bwho\s+(?:was|were|had\s+been)\b", re.I | re.S)
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
    for q, rx in _QUANT_OF_KW:
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
    num_starts = [w.start() for w in _WORD_START.finditer(sent) if _LIST_NUM_RX.match(sent, w.start())]
    for rule, q, rx in _RULES:
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
                modal = bool(_MODAL.search(m.group("aux") or ""))
            elif rule == "refugees":
                modal = bool(_MODAL.search(sent[m.end() : m.end() + 30].split(",")[0]))
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
    if not (rx.pattern.startswith(_NUM) or rx.pattern.startswith(f"(?P<num>{_LIST_NUM}")):
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
    found = [x for x in _LIST_NUM_RX.finditer(region)]
    # "the two countries" is a reference, not a count; "March 2020" is a year
    found = [x for x in found if not _ANAPHORIC.search(sent[max(0, base + x.start() - 8) : base + x.start()])]
    found = [x for x in found if not _year_at(sent, x.group(0), base + x.start())]
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
            elif h.rule == "total" or _CUMULATIVE.search(_clause(sent, h.start, h.end)):
                qual = "cumulative"
            elif _PRIOR.search(sent[: h.start]) and _NOMINAL_OR_RELATIVE.match(text):
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
            return bool(_CUMULATIVE.search(_clause(body[s0:s1], claim.start - s0, claim.end - s0)))
    return False


def is_partisan(claim: Claim) -> bool:
    """True when the figure comes from an armed group's own outlet (qualifier or source says so)."""
    return claim.qualifier == "partisan" or is_partisan_source(claim.source)
