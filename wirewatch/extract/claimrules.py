"""The figure patterns of :mod:`.claims`: the vocabulary of victims, tolls and auxiliaries, the rules
(passive, active, list, total, coded, reported ...) that find a count with its keyword, and the
cues of cumulative totals and of deaths an event reacts to (``prior``).
"""

from __future__ import annotations

import re

from .numbers import NUMBER

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
        r"(?:the\s+)?deaths?\s+of|(?:the\s+)?killings?\s+of|(?:the\s+)?bodies\s+of|(?:the\s+)?corpses\s+of|"
        r"(?:the\s+)?(?:massacres?|murders?|slaughter|execution|executions)\s+of)"
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
MODAL = re.compile(r"\b(?:may|might|could|would|will|expected|likely|set\s+to|risk|threaten|feared\s+to)\b")
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
NUM = rf"(?P<num>{NUMBER})"

def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I | re.S)


_NOT_OR_HURT = r"(?!\s+(?:or|and/or)\s+(?:wounded|injured|killed))"  # "killed or wounded": no count
CLAIM_RULES: list[tuple[str, str | None, re.Pattern[str]]] = []
for _q in _KW:
    # "9 guards including 2 officers were killed", "15 wounded", "Some 3,000 have been displaced"
    CLAIM_RULES.append(("passive", _q, _rx(
        rf"{NUM}(?P<np>(?:{_NP_WORD}{_NP_TOKEN}{{0,11}}?)?)\s+(?P<aux>{_AUX}{{0,4}})(?:all\s+)?"
        rf"(?P<kw>{_KW[_q]})\b{_NOT_OR_HURT}"
    )))
    # "killing dozens", "killed more than 20 people", "wounding 8", "arrested five men"
    CLAIM_RULES.append(("active", _q, _rx(
        rf"\b(?P<kw>{_ACTIVE[_q]})\s+(?:at\s+least\s+)?{NUM}"
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
    CLAIM_RULES.append(("single", _q, _rx(
        rf"(?<![\w\-])(?P<num>an?|the|his|her)\s+{_SG_NP}\s+{_SG_AUX}(?P<kw>{_KW[_q]})\b{_NOT_OR_HURT}"
    )))
# "the body of a teacher was found", "Body found near the river"
CLAIM_RULES.append(("body", "killed", _rx(
    r"(?:^|\b(?:a|the|his|her)\s+)(?P<num>)(?:(?:dead|burned|burnt|decapitated|mutilated|bullet-riddled|headless)\s+)?"
    r"(?P<kw>body)\s+(?:of\s+(?:[^.;,]{1,60}?)\s+)?(?:was\s+|is\s+|has\s+been\s+|had\s+been\s+)?"
    r"(?:found|discovered|recovered|dumped)\b"
)))
# headline-style notes: "Farmer killed by gunmen", "Elderly trader shot dead near the market" -- not the
# active verb with its object: "A suicide bomber killed at least 9 people" (the bomber did the killing)
_ACTIVE_OBJECT = rf"\s+(?:(?:at\s+least|more\s+than|nearly|about|some|up\s+to|over)\s+)?(?:{NUMBER}|an?|the|his|her|their)\b"
CLAIM_RULES.append(("bare", "killed", _rx(
    rf"^(?P<num>(?:[\w\-]+\s+){{0,3}}?){_PERSON_SG}(?:\s+[A-Z][\w\-]+){{0,3}}\s+(?:(?:was|is|reportedly)\s+)*"
    rf"(?P<kw>{_KW['killed']})\b(?!\s+(?:or|and/or)\s+(?:wounded|injured))(?!{_ACTIVE_OBJECT})"
)))
# "Mayor John Doe was shot dead"
CLAIM_RULES.append(("named", "killed", _rx(
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
    CLAIM_RULES.append(("single_active", _q, _rx(
        rf"\b(?P<kw>{_ACTIVE[_q]})\s+(?:(?P<num>an?|one|the|his|her|their|another)\s+(?:[\w'’\-]+\s+){{0,4}}?"
        rf"{_PERSON_SG}\b(?!['’]?s\b)(?!\s+(?:along|together)\s){_MORE_VICTIMS}|(?P<pron>him|her)\b)"
    )))
# "a colonel was killed along with 8 others"  /  "killing the mayor and 3 others"
CLAIM_RULES.append(("along", "killed", _rx(
    rf"\b(?:was|has\s+been|had\s+been)\s+(?P<kw>killed|shot\s+dead)\s+(?:along|together)\s+with\s+{NUM}\s+others?\b"
)))
CLAIM_RULES.append(("along", "killed", _rx(
    rf"\b(?P<kw>killed|killing|kills)\s+(?:a|an|the|one|his|her|their)\s+(?:[\w'’\-]+\s+){{0,4}}?"
    rf"(?:along\s+with|together\s+with|and)\s+{NUM}\s+others?\b"
)))
# "the death toll climbed to 21", "put the toll at no fewer than 30"
_TOLL_VERB = (
    r"(?:rose|risen|rises|climbed|jumped|increased|reached|reaches|hit|topped|stood|stands|was|is|went\s+up|"
    r"passed|exceeded|of|at|to)"
)
CLAIM_RULES.append(("toll", "killed", _rx(
    rf"\b(?P<kw>(?:death|casualty)\s+toll|toll\s+of\s+dead)\b(?:\s+(?:from|in|of)\s+[^.;,]{{1,40}}?)?\s+"
    rf"(?:(?:has|had|have|now|also|further)\s+)*{_TOLL_VERB}?(?:\s+(?:at|to))?\s+{NUM}"
)))
CLAIM_RULES.append(("toll", "killed", _rx(
    rf"\b(?P<kw>(?:put|puts|putting|gave|gives|giving|raised|raising)\s+the\s+(?:total\s+|overall\s+|final\s+)?"
    rf"(?:death\s+)?toll)\s+(?:at|to)?\s*{NUM}"
)))
# "resulting in 2 fatalities", "One death was reported", "19 deaths"
CLAIM_RULES.append(("noun", "killed", _rx(
    rf"{NUM}(?:\s+(?:people|persons|civilian|military|more|other|confirmed|reported))?\s+"
    rf"(?P<kw>fatalit(?:y|ies)|deaths?|dead\s+bodies|bodies|corpses)\b"
)))
CLAIM_RULES.append(("noun", "injured", _rx(rf"{NUM}(?:\s+(?:people|persons|more|other))?\s+(?P<kw>injur(?:y|ies)|wounded)\b")))
# "a lower count of 25 people killed"
CLAIM_RULES.append(("figure", "killed", _rx(
    rf"\b(?P<kw>figure|tally|count)\s+of\s+{NUM}(?:\s+people\s+(?:killed|dead)|\s+(?:people|dead|deaths|killed|fatalities))"
)))
# "over 5,000 Congolese refugees"
CLAIM_RULES.append(("refugees", "refugees", _rx(rf"{NUM}(?P<np>(?:\s+[\w'’\-]+){{0,3}}?)\s+(?P<kw>refugees|asylum[\s\-]seekers)\b")))
# "3 guards and 4 raiders were killed", "1-2 rebels, 3 police, and 1 farmer were killed"
LIST_NUM = rf"(?:{NUMBER}|(?<![\w\-])an?(?=\s))"
LIST_NUM_RX = re.compile(LIST_NUM, re.I)
_LIST_ITEM = rf"{LIST_NUM}(?:\s+{_NP_STOP}(?!and\b|or\b)(?!(?!{_NP_ADJ}\b)[a-z]+ed\b)[\w'’\-]+){{0,4}}?"
_LIST = rf"{_LIST_ITEM}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_LIST_ITEM}){{1,6}}"
# a number right after another quantity's verb is that verb's: "killing 8, several wounded" lists no injured 8
VERB_BEFORE = {_q: re.compile(rf"\b(?:{_ACTIVE[_q]})\s+$", re.I) for _q in ("killed", "injured", "arrested", "abducted")}
for _q in ("killed", "injured", "arrested", "abducted"):
    CLAIM_RULES.append(("list", _q, _rx(rf"(?P<num>{_LIST})\s+(?P<aux>{_AUX}{{0,3}})(?P<kw>{_KW[_q]})\b")))
    # the list ends before a new clause: "killing four guards, and three others forced their way in"
    CLAIM_RULES.append(("list", _q, _rx(rf"\b(?P<kw>{_ACTIVE[_q]})\s+(?P<num>{_LIST}\s+{_PERSON})\b"
                                   rf"(?!\s+[a-z]+ed\s+(?:their|his|her|its|the|a|an|to|into|in|out|back|on)\b)")))
# "the total number of people displaced ... to over 60,000"
_TOTAL_PRE = r"(?:(?!and\b)\w+\s+){0,2}?"
_TOTAL_KW = r"(?P<kw>displaced|killed|dead|wounded|injured|refugees|arrested|detained|abducted|kidnapped)"
_TOTAL_OF = rf"(?:total\s+)?number\s+of\s+{_TOTAL_PRE}{_TOTAL_KW}\b(?!\s+and\s+(?:wounded|injured))"
CLAIM_RULES.append(("total", None, _rx(
    rf"\b(?:the\s+)?{_TOTAL_OF}[^.;]{{0,120}}?\b(?:to|at|is|was|stands\s+at|stood\s+at|reached|of)\s+{NUM}"
)))
# "puts at over 60,000 the total number of people displaced"
CLAIM_RULES.append(("total", None, _rx(rf"\b(?:at|to)\s+{NUM}\s+the\s+{_TOTAL_OF}")))
# ACLED-style notes: "fatalities coded as N", "fatalities split across K events (N)"
CLAIM_RULES.append(("coded", "killed", _rx(rf"\b(?P<kw>fatalities\s+(?:were\s+|are\s+|is\s+)?coded\s+as)\s+{NUM}")))
CLAIM_RULES.append(("coded", "killed", _rx(
    r"\b(?P<kw>fatalities\s+(?:are\s+|were\s+)?split\s+(?:across|between|over|among)\s+\d+\s+"
    r"(?:events|locations|districts|provinces))\s*\(\s*(?P<num>\d+)\s*\)"
)))
CLAIM_RULES.append(("coded", "killed", _rx(rf"{NUM}\s+(?P<kw>fatalit(?:y|ies)\s+(?:were\s+)?(?:coded|recorded))\s+(?:on|for)\b")))
# "(VoJ reported N deaths)", "(VoJ reported N)", "(N according to X)"
CLAIM_RULES.append(("reported", "killed", _rx(
    rf"\(\s*(?P<src>(?-i:[A-Z])[\w\s'’\-]{{1,40}}?)\s+(?:also\s+)?(?P<kw>reported)\s+{NUM}(?:\s+fatalit(?:y|ies))?"
)))
CLAIM_RULES.append(("paren", None, _rx(rf"\(\s*{NUM}\s+(?P<kw>according\s+to)\s+(?P<src>[^)]{{2,60}})\)")))

QUANT_OF_KW = [
    ("killed", re.compile(r"kill|dead|death|died|fatal|bodies|corpse|toll|slain|execut|behead|murder|massacr", re.I)),
    ("injured", re.compile(r"wound|injur|hurt|maim|hospital", re.I)),
    ("refugees", re.compile(r"refugee|asylum", re.I)),
    ("displaced", re.compile(r"displac|fled|flee|uproot|homeless|evacuat|leave|left", re.I)),
    ("arrested", re.compile(r"arrest|detain|custody|apprehend|jail|rounded", re.I)),
    ("abducted", re.compile(r"abduct|kidnap|hostage|captive", re.I)),
]

CUMULATIVE = re.compile(
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
PRIOR = re.compile(
    r"\b(?:(?:protest\w*|march\w*|rall(?:y|ies|ied)|riot\w*|demonstrat\w*|strikes?|unrest|anger|outrage|mourn\w*|"
    r"funerals?|vigils?)"
    r"\s+(?:[\w'’\-]+\s+){0,5}?(?:against|over|after|following|about|for|in\s+memory\s+of|in\s+response\s+to)"
    r"|in\s+retaliation\s+(?:for|to)|to\s+avenge|in\s+revenge\s+for|in\s+memory\s+of|accused\s+of|charged\s+with|"
    r"convicted\s+of|sentenced\s+for)\b[^.;]*$",
    re.I,
)
