"""Event detection and ACLED typing, one sentence at a time.

:func:`type_text` decides the ACLED type / sub-type of a piece of text from cue
lexicons, in the codebook's order of precedence (weapon first: a suicide
attack is a Suicide bomb even when shots were fired; then territory, then the
target: armed opponents make a Battle, civilians Violence against civilians;
then demonstrations and strategic developments).  Every decision carries the
cue and the rule that fired, so it can be explained from the evidence.

:func:`detect` runs over one spaCy sentence: it finds the trigger token for
the winning cue, reads agent and patient from the dependency parse, and drops
what is not a current event (modality, negation, threats, photos "showed",
aggregates, habitual present perfect).  Background dates are handled by
``mentions`` with the time expressions.  A count of people who fled ("14,000 have been
displaced") is a Displacement detection of its own, beside whatever violence the same
sentence names.  Where a cue is ambiguous about its target or weapon, ``mentions`` asks the
learned typer (:mod:`.typer`) for a second opinion.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from ..nlp.model import lemma
from ..nlp.regexgate import fold, may_match
from .actors import packaged_table

log = logging.getLogger(__name__)

_I = re.IGNORECASE


def _rx(pattern: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# No-break and thin spaces (common in pasted notes and web copy) read as plain spaces; the
# translation keeps every offset, so evidence spans still point into the body as given.
_SPACES = str.maketrans({c: " " for c in "\xa0\u2007\u2009\u200a\u202f\u3000"})


def plain(text: str) -> str:
    """``text`` with unusual spaces as plain spaces (same length, same offsets)."""
    return text.translate(_SPACES)


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"

CUES: dict[str, re.Pattern[str]] = {
    "disrupted": _rx(r"\bdefused\b|\bcaches? of (?:\w+ ){0,2}(?:weapons|arms|ammunition|explosives)\b|\bdismantled (?:\w+ ){0,3}(?:bombs?|IEDs?|explosives?|devices?)|"
                     r"\b(?:bombs?|IEDs?|explosives?|devices?) (?:\w+ ){0,3}(?:were |was )?(?:defused|dismantled)|"
                     r"\b(?:weapons?|arms|ammunition) caches?\b|\bseized (?:\w+ ){0,2}(?:weapons|arms|ammunition|"
                     r"explosives)\b|\b(?:detonated|exploded|went off) prematurely|\bdestroyed before (?:it )?reach|"
                     # weapons caches found or destroyed by forces: "discovered a bunker containing explosives"
                     r"\b(?:bunkers?|caches?|hideouts?|depots?|stockpiles?) (?:\w+ ){0,2}(?:containing|full of|filled with)\b|"
                     r"\b(?:bombs?|IEDs?|explosives?|mines|devices?) (?:\w+ ){0,3}(?:were |was )?destroyed by (?:\w+ ){0,3}"
                     r"(?:detachments?|troops|soldiers|forces|army|police|units?|experts?)\b"),
    # an explosive device found or made safe before it went off (kept apart from "disrupted": it yields to a blast)
    "device_found": _rx(r"\b(?:dismantl|disarm|defus|neutrali[sz]|discover|found|detect|uncover|recover)\w* "
                        r"(?:[\w-]+ ){0,6}(?:bombs?|IEDs?|VBIEDs?|(?-i:[A-Z]{0,4}IEDs?)|explosive (?:devices?|materials?)|"
                        r"explosives?|landmines?)\b|"
                        r"\b(?:explosive devices?|IEDs?|VBIEDs?|bombs?|landmines?) (?:\w+ ){0,3}(?:was |were )?(?:found|"
                        r"discovered|detected|dismantled|disarmed|defused)\b"),
    "chemical": _rx(r"\bchemical (?:weapons?|attacks?|agents?)|\bchlorine\b|\bsarin\b|\b(?:poison|toxic|mustard) gas"),
    "suicide": _rx(r"\bsuicide (?:bomb|car|attack|vest|belt|truck|blast|squad|assault|operation|mission)|"
                   r"\bsuicide bombers?\b|\bblew (?:him|her|them)sel(?:f|ves) up\b"),
    "air": _rx(r"\bair ?strikes?\b|\bair[- ]raids?\b|\bdrone (?:strikes?|attacks?)\b|\bdrones? (?:struck|hit|fired|"
               r"bombed|killed)\b|\bwar ?planes? (?:struck|bombed|hit|pounded|attacked|fired|strafed|carried out|targeted)|\bby (?:\w+ )?war ?planes?\b|"
               r"\bjets?\b (?:\w+ ){0,2}(?:bomb|struck|hit|pound|strafe)|\baerial (?:bombardment|bombing|attacks?)|"
               r"\bbarrel bombs?\b|\bhelicopter gunships?\b|\bstrafing\b|\bbombing raids?\b|"
               r"\bair ?forces? (?:\w+ ){0,3}(?:targeted|struck|bombed|hit|pounded|carr(?:y|ies|ied) out|launched|"
               r"attacked|raided|shelled)\b|\b(?:struck|hit|bombed|targeted|attacked) by (?:\w+ ){0,2}(?:military )?"
               r"(?:helicopters?|war ?planes?|jets|aircraft|drones?)\b|\bwar ?planes? (?:destroyed|sank|shelled)\b|"
               r"\b(?:aircraft|fighter jets|military (?:jets|planes)) (?:[\w-]+ ){0,5}?(?:struck|bombed|pounded|strafed|"
               r"raided)\b|\bair ?forces? +(?:\w+ ){0,3}(?:carr(?:y|ies|ied) out|conducted|launched) (?:\w+ )?strikes\b|"
               r"\b(?:jets|air ?forces?|war ?planes?|aircraft|helicopters?|gunships?) (?:\w+ ){0,3}launch(?:ed|es)? "
               r"(?:\w+ ){0,2}(?:attacks|strikes|raids)\b|\b(?:helicopters?|gunships?|war ?planes?|fighter jets) "
               r"(?:\w+ ){0,2}killed\b|"
               # "a warplane operated by forces loyal to X attacked ...", "attacked Y in Z by 10 military aircraft"
               r"\b(?:war ?planes?|military (?:helicopters?|aircraft|jets)|helicopter gunships?|fighter jets) (?:[\w'-]+ ){0,8}?"
               r"(?<!was )(?<!were )(?:attacked|struck|bombed|raided|strafed|targeted|conducted (?:a |an )?(?:\w+ )?raid)\b|"
               r"\battacked (?:[\w/-]+ ){0,6}?(?:by|with|using) (?:(?:\d+|an?|several|two|three|four|five|six|seven|eight|nine|ten) )?(?:military )?"
               r"(?:aircraft|war ?planes?|helicopters?|jets|drones?)\b"),
    "ied": _rx(r"\bbombs?\b|\bbombings?\b|\bbombed\b|\bblasts?\b|\bexplosions?\b|\bexploded\b|\bexplosives?\b|"
               r"\bIEDs?\b|\bVBIEDs?\b|\bland ?mines?\b|\bmines? (?:laid|planted|exploded|blast)|"
               r"\b(?:by|hit|stepped on|stepping on|steps on|struck|clearing|clear|planted|laid|detonated) (?:a |an )?(?:land)?mines?\b|"
               r"\bdetonat|\bbooby[- ]trap|\bexplosive devices?\b|(?-i:\b[A-Z]*IEDs?\b)|\blimpet mines?\b|"
               r"\bblew up\b"),
    "shell": _rx(r"\bshell(?:s|ed|ing)\b|\bmortars?\b|\bartillery\b|\brockets?\b(?!-propelled)|\bmissiles?\b|"
                 r"\bkatyushas?\b|\bprojectiles?\b|\bbombard|(?-i:\bshell (?:[A-Z]\w+|the|a|an|military|rebel|"
                 r"positions?|villages?|areas?|towns?|bases?|rebels?|militants?|insurgents?|civilians|residents)\b)"),
    "grenade": _rx(r"(?<!propelled )\bgrenades?\b"),
    "mob": _rx(r"\bmob\b|(?-i:\blynch)|\bjungle justice|\bangry (?:residents|villagers|crowd|youths)|"
               r"\bcrowd (?:\w+ ){0,2}(?:beat|killed|attacked|stoned|burned)|\bnecklac"),
    "protest": _rx(
        r"\bprotest|\bdemonstrators?\b|\bdemonstrations? (?:against|in|outside|for|near|at|by|over|on|were|was|took)\b|"
        r"\b(?:held|staged|organi[sz]ed) (?:a |several )?demonstrations?\b|\bdemonstrating\b|"
        r"\bdemonstrated? (?:against|in|outside|for|near|at|on|in front)\b|"
        r"\brall(?:y|ies|ied)\b(?= (?:against|in|for|outside|at|to|near|on|of)\b)|\b(?:held|staged) (?:a )?rally\b|"
        r"\bsit[- ]ins?\b|\bpicket|\bstrik(?:e|es|ing) (?:\w+ )?(?:workers|teachers|doctors|nurses|miners|drivers|"
        r"employees|staff)|\bwent on (?:a )?strike|\bon strike\b|\bstrike action|\btook to the streets|"
        r"\bchant|\bmarch(?:ed|es|ing)\b|\bgathered (?:\w+ ){0,4}to (?:demand|call|denounce|protest|condemn|express)|"
        r"\bstay-away|(?<!air )(?<!drone )(?<!missile )\b(?:a|an|the|open|general|hunger|sit-down|indefinite|day|days|"
        r"week|labou?r|national|nationwide|\d+-day) strikes?\b|\bstrike (?:by|over|in protest|called)\b|\bstriked\b|"
        r"\bwork stoppage|\b(?:staged|organi[sz]ed|held|led|joined) (?:a |the )?(?:\w+ )?(?-i:march)\b|"
        r"(?-i:\bmarch(?:es)? (?:in|to|against|for|through|on)\b)|\bto (?:denounce|protest|condemn)\b|"
        r"\b(?:workers|teachers|doctors|nurses|miners|drivers|employees|staff|unions?|students|traders) "
        r"(?:\w+ ){0,3}(?:went on|staged|began|started|launched|called|held|observed|entered|engaged in) "
        r"(?:a |an |into )?(?:\w+ ){0,2}strikes?\b|"
        # ACLED-note and wire phrasings: "demonstrations broke out", "demonstrated to demand",
        # "staged a short strike", "entered into strike", "strikes by prison employees", "march at"
        r"\bdemonstrations?\b(?! (?:of|that|how)\b)|\bdemonstrated\b(?= (?:to|over|outside|against|in|on|at|"
        r"for|near|peacefully|briefly|again|across|along|through)\b|[.,;])|"
        r"\b(?:staged|held|began|observed|declared|called|entered|enter(?:r?ed)? into|went into|continued|"
        r"suspended|interrupted|ended) (?:a |an |the |their |into )?(?:\w+ ){0,2}(?<!air )(?<!drone )"
        r"(?<!missile )(?<!military )strikes?\b|\bstrikes? by (?:\w+ ){0,2}(?:workers|employees|staff|teachers|"
        r"doctors|nurses|unions?|drivers|traders|students|agents|controllers|magistrates|lecturers)\b|"
        r"(?-i:\bmarch(?:es)? at\b)|\bhit the streets\b|\b(?:workers|teachers|doctors|nurses|students|employees|"
        r"staff|agents|unions?|lecturers|magistrates|drivers|traders|pensioners) strike (?:in|for|against|over|at|"
        r"to|on)\b|\bstrikes? (?:was|were) (?:held|observed|staged|organi[sz]ed)\b|"
        r"(?-i:\bmarch(?:es)? (?:was|were) (?:held|staged|organi[sz]ed)\b)|\bwalk-?outs?\b|\bboycott(?:ed|ing)? "
        r"(?:\w+ ){0,2}(?:classes|lectures|work)\b|\bdead[- ]city\b|\bghost[- ]town (?:operation|strike|day)s?\b|"
        r"\b(?:student|opposition|protest) rall(?:y|ies)\b|"
        # a crowd that "demonstrated" however the sentence goes on ("students demonstrated half-dressed")
        r"\b(?:students|pupils|workers|residents|supporters|youths?|villagers|traders|vendors|teachers|farmers|"
        r"activists|women|people|members|employees|locals|inhabitants|nurses|doctors|drivers|crowds?) "
        r"(?:\w+ ){0,2}demonstrated\b|\bself-immolat|\bset(?:ting)? (?:him|her|them)sel(?:f|ves) (?:on fire|ablaze|alight)\b"),
    "protest_weak": _rx(
        r"\b(?:residents|workers|students|supporters|hundreds|dozens|thousands|members|youths?|employees|traders|"
        r"teachers|pensioners|activists|women|farmers|villagers|drivers|inhabitants|staff|nurses|doctors|"
        r"vendors|unions?|retirees|unemployed|graduates|parents|families|relatives|locals|people) "
        r"(?:\w+ ){0,8}(?:gathered|assembled|converged|demanded|demanding|to demand|to denounce|to express "
        r"(?:their )?(?:discontent|anger|opposition|dissatisfaction|frustration|solidarity)|to show (?:their )?"
        r"(?:solidarity|opposition|discontent|anger)|in solidarity with|against the (?:\w+ ){0,3}(?:decision|"
        r"policy|plan|government|arrest|detention|killing|increase|rise))\b|"
        r"\bdispers(?:ed|ing|e) (?:\w+ ){0,4}(?:supporters|crowds?|protesters|demonstrators|students|activists|"
        r"marchers|gathering)\b|"
        # occupying or shutting public offices to press a demand (a sit-in by another name)
        r"\b(?:residents|workers|students|supporters|youths?|employees|teachers|pensioners|activists|women|"
        r"villagers|members|inhabitants|staff|unions?|group of (?:\w+ ){0,2}(?:people|youths?|residents))\b"
        r"(?:[\w,'-]* ){0,9}(?:occupied|occupy|stormed|storm|shut down|shut|closed|blocked|invaded) (?:the )?"
        r"(?:\w+ ){0,3}(?:town hall|city hall|offices?|headquarters|ministry|premises|administration|"
        r"prefecture|governorate|entrance|gates?|town council|municipality|daira|wilaya|court(?:house)?)\b"),
    "riot": _rx(r"\briot|\brampage|\bloot(?:ed|ing)\b|\bburn(?:ed|t|ing) (?:\w+ ){0,2}(?:tyres|tires|cars|vehicles|"
                r"police station|offices?|trucks|buses)|\bset (?:\w+ ){0,3}(?:on fire|ablaze|alight)|\bthr(?:ew|owing) "
                r"(?:\w+ ){0,2}(?:stones|rocks|petrol bombs|missiles)|\bstone-throwing|\bstoned\b|\bpelted|\bbarricad|"
                r"\bvandali|\bclash(?:ed|es)? with (?:the )?(?:police|security forces|riot police)|\btorched|"
                r"\bpetrol bombs?|\bmolotov|\bblock(?:ed|ing) (?:\w+ ){0,2}(?:roads?|streets?|highways?)|"
                r"\bviolent(?! (?:response|repression|crackdown|dispersal))"),
    "riot_word": _rx(r"\briot(?!\s+police)|\brampage|\brioters\b|\bburn(?:t|ed|ing) (?:\w+ )?tyres|\bbarricad|"
                     r"\bpelted|\bblockad(?:e|ed|es|ing)\b|\bblock(?:ed|s|ing)? (?:\w+ ){0,2}(?:roads?|routes?|streets?|the entrances?|entrances|"
                     r"circulation|traffic|highways?)\b|\bscuffl(?:e|es|ed|ing)\b|\b(?:thr(?:ew|owing)|hurl(?:ed|ing)) (?:\w+ ){0,3}(?:stones|rocks|bottles|"
                     r"petrol bombs)|\b(?:stones|rocks) (?:were |was )?(?:thrown|hurled)\b|\bwith (?:\w+ )?(?:bottles|stones|"
                     r"rocks) and (?:stones|rocks|sticks|bottles)\b|\bstone-throwing|\bmolotov|\bpetrol bombs?"),
    "excessive": _rx(r"\b(?:police|security forces|soldiers|troops|army|military forces|military) (?:\w+ ){0,4}"
                     r"(?:killed|killing|shot|shooting|opened fire|fired (?:live|on|at|into)|attacked|beat|injur|wound|responded "
                     r"violently)|\bviolent (?:repression|response|dispersal)|\bcrackdown|\bviolently dispersed|\blive (?:ammunition|rounds|bullets)|\b(?:protesters?|demonstrators?|students|people|"
                     r"person) (?:\w+ ){0,5}(?:killed|shot)|\b(?:shot|killed|killing) (?:\w+ ){0,3}(?:protesters|"
                     r"demonstrators)"),
    "intervention": _rx(r"\btear ?gas|\bdispers|\brubber bullets|\bwater cannon|\barrest|\bdetain|\bbroke up|"
                        r"\bbreak up|\bwarning shots|\bfired (?:\w+ ){0,2}in the air|\bbatons?\b|\bintervened|"
                        r"\bblocked (?:the )?(?:protest|march)|\bprevented (?:\w+ ){0,3}from (?:marching|protesting)"),
    # a word naming the issue a protest is about ("an anti-rape march", "talks on rape culture") is no act
    "sexual": _rx(r"(?<!anti-)(?<!against )\brap(?:e|ed|es|ing)\b(?! culture)|\bsexual(?:ly)? (?:assault|violence|abuse|abused|assaulted|harass)|"
                  r"\bgang-?raped|\bsexually exploit"),
    "abduct": _rx(r"\babduct|\bforcibly disappeared|\bforced disappearance|\bkidnap|\bhostages?\b|\btaken captive|\bforced disappearance|\bseized (?:\w+ ){0,2}"
                  r"(?:civilians|workers|passengers|villagers|women|children|girls|students)|\b(?:seized|captured|taken "
                  r"away|snatched) by (?:[\w()]+ ){0,8}(?:gunm[ae]n|armed m[ae]n|assailants|kidnappers|bandits)\b"),
    "territory": _rx(r"\brecaptur|\bretak(?:e|en|es|ing)\b|\bretook\b|\bregain(?:ed|s|ing)? (?:\w+ )?(?:control|"
                     r"territory)|\b(?:took|taken|take|takes|taking|seized|seize|gained|gains?|gaining|wrested|assumed|seizing) "
                     r"(?:full |complete |back )?control\b|\bre-took\b|\bre-taken\b|\bcaptur(?:ed|e|es|ing) (?:the |an |a )?(?:\w+ )?"
                     r"(?:town|city|village|villages|district|area|base|airport|bridge|road|hill|positions?|"
                     r"territory|neighbou?rhoods?|headquarters|side|outskirts|triangle|communities|localities|settlements)|\boverr(?:a|u)n|\bseized (?:the "
                     r"|a )?(?:\w+ )?(?:town|city|village|district|area|base|airport|positions?|territory)|"
                     r"\bliberat(?:ed|e|ing)\b|\bdr(?:o|i)ve[n]? (?:\w+ ){0,4}(?:from|out of)\b|\bfell to\b|"
                     r"\bpushed (?:\w+ ){1,3}out of\b|\bdislodg(?:ed|es|ing)\b|\bcleared (?:\w+ ){0,4}(?:from|of)\b|\btook over\b|"
                     r"\bforced (?:\w+ ){0,6}to (?:retreat|withdraw|flee)\b|\boccupied (?:the )?(?:\w+ )?(?:town|village|city|"
                     r"locality|area|base|district)\b"),
    "captured_name": _rx(r"\b(?:captur|seiz|recaptur)(?:ed|e|es|ing) (?:back )?[A-Z][a-z]", 0),
    "transfer": _rx(r"\bwithdr(?:ew|awn|awal|aws)\b|\bhanded over\b|\bpulled out\b|\bvacated\b|\babandoned "
                    r"(?:\w+ ){0,2}(?:positions?|bases?|town)|\bunopposed|\bwithout (?:a )?(?:fight|resistance)"),
    "arrest": _rx(r"\barrest(?:ed|s|ing)?\b|\bdetain(?:ed|s|ing)?\b|\bapprehend|\btaken into custody|\brounded up|"
                  r"\bcaptured (?:\w+ ){0,3}(?:suspects?|members?|militants?|fighters?|leaders?|commanders?|men)\b|"
                  r"\b(?:suspects?|members?|militants?|fighters?|commanders?|militiam[ae]n|rebels?) (?:\w+ ){0,4}(?:was|were|"
                  r"had been|been) captured|\btook (?:\w+ ){1,12}into custody"),
    "battle": _rx(r"\bclash|\bfight(?:ing|s)?\b|\bfought\b|\bbattl(?:e|es|ed|ing)\b|\bgun ?(?:fight|battle)s?|"
                  r"\bfirefights?|\bexchange(?:d)? (?:of )?(?:fire|gunfire)|\bfire exchanges?\b|\bgunfire between\b|\bambush|\bengag(?:ed|ement)|"
                  r"\boffensive\b|\braid(?:s|ed)?\b|\bskirmish|\bcounter-?attack|\bsnipers?\b|\bstormed\b|"
                  r"\bpushed (?:deeper|further|into)|\badvanc(?:ed|ing) (?:into|on|toward|towards|through|deeper)\b|"
                  r"\bclos(?:ed|ing) in on\b|\boperations? (?:\w+ ){1,3}against\b|\brepulsed|\brepelled|\bshootout|\bcrossfire|\boperations? (?:against|by|in)\b|\binfiltrat|"
                  r"\battack(?:s|ed|ing)? (?:on |against |by )?(?:\w+ ){0,5}(?:check ?points?|posts?|bases?|barracks|"
                  r"convoys?|patrols?|positions?|troops|soldiers|police|forces|army|military|outposts?|security|"
                  r"camps?)"),
    "kill": _rx(r"\bkill(?:ed|s|ing)?\b|\bshot\b|\bshoot(?:ing|s)?\b|\bmurder|\bbehead|\bexecut(?:ed|ion|ions)\b|"
                r"\bmassacre|\bslain\b|\bslaughter|\bhack(?:ed)? to death|\bstabb|\bdied\b|\bdead\b|\bbod(?:y|ies)\b|"
                r"\bgunned down|\bopen(?:ed|s)? gun-?fire\b|\b(?:whipped|flogged)\b(?! up)|\beliminat(?:ed|es|ing) (?:\w+ ){0,4}(?:commanders?|leaders?|militants?|terrorists?|fighters?|members?|"
                r"insurgents?|jihadists?|rebels?|gunmen|attackers|\d+)\b|\bopened fire|\bfired (?:on|at)\b|\battack(?:ed|s|ing)?\b|\bassault(?:ed)?\b|"
                r"\btortur|\bbeat(?:en)?\b|\binjur|\bwound(?! up| down)|\bburn(?:ed|t) (?:alive|to death)|\bset (?:\w+ )?on fire|"
                r"\bdeath toll|\blynched|\bassas+inat|\bbeating\b|\bwhip(?:ped|ping)\b|\bkicked and\b|"
                r"\bslapped\b|\bthrottled\b|\bdecapitat|\bto death\b|\babuses\b"),
    # a crowd (not an armed group) that burned, wrecked or stormed property: a riot by another name
    "crowd_damage": _rx(
        r"\b(?:residents|community members|communit(?:y|ies)|youths?|students|pupils|learners|villagers|locals|"
        r"contractors|riders|crowds?|protesters|demonstrators|kids|mob|supporters|party members|inhabitants|"
        r"group of (?:\w+ ){0,2}(?:people|youths?|residents|villagers|men|students)|scores of people|hundreds of people|"
        r"(?:angry|irate|aggrieved|disgruntled) \w+)\b(?:[\w,'()-]* ){0,10}?(?:set (?:\w+ ){0,3}(?:alight|ablaze|on fire)|"
        r"set fire to|torched|burnt down|burned down|vandali[sz]ed|smash(?:ed)? (?:\w+ ){0,2}(?:windows|cars|vehicles|"
        r"shops|offices|property)|stormed|destroyed|wrecked|ransacked|looted|pelted)\b"),
    "loot": _rx(r"\bloot|\btorch(?:ed|es)?\b|\bset fire to\b|\bpillag|\bdestroy(?:ed|ing)? (?:\w+ ){0,3}(?:houses|homes|property|shops|buildings|crops|churches|"
                r"mosques|schools|monuments?|villages?)|\bburn(?:ed|t|s)? (?:down )?(?:\w+ ){0,2}(?:houses|homes|huts|"
                r"villages?|shops|churches|mosques|schools|crops)|\brazed\b|\bdemolish|\bseized (?:\w+ ){0,2}"
                r"(?:property|cattle|livestock|goods)|\bcattle raid|\bstole|\brustl|"
                r"\b(?:villages?|houses|homes|huts|shops|markets?|churches|mosques|schools) (?:\w+ ){0,3}(?:was|were|"
                r"had been|have been) (?:burn(?:ed|t)|torched|razed|destroyed|looted|ransacked)"),
    "weapons_found": _rx(
        r"\b(?:discovered|recovered|found|seized|confiscated|uncovered) (?:\w+ ){0,5}(?:weapons|arms|ammunitions?|"
        r"explosives|missiles|rifles|guns|grenades|rockets|bombs)\b|\b(?:weapons|arms|ammunitions?|explosives|"
        r"missiles|rifles|guns|grenades|rockets|bombs) (?:\w+ ){0,5}(?:was|were|had been|have been) (?:discovered|"
        r"recovered|found|seized|confiscated|uncovered)\b"),
    "hq": _rx(r"\bestablish(?:ed|es|ing)? (?:a |an |its |their )?(?:\w+ )?(?:base|headquarters|camp|outpost)|"
              r"\bset up (?:a |an )?(?:\w+ )?(?:base|headquarters|camp)\b"),
    "agreement": _rx(r"\bagreement\b|\bcessation of hostilities\b|\bagreed to\b|\bcease-?fire\b|\btruce\b|\bpeace (?:deal|accord|pact)|\bsigned\b|"
                     r"\bprisoner (?:swap|exchange)|\breleased (?:\w+ ){0,3}(?:prisoners|hostages|detainees|captives)|"
                     r"\bnegotiat|\baccord\b|\breconcil"),
    "change": _rx(r"\bgave up (?:their |his )?(?:arms|weapons)|\blaid down (?:their )?(?:arms|weapons)|\bsurrender|\bdefect|\brecruit|\bpledged allegiance|\bnew leader|\bmerg(?:ed|er)\b|\bsplinter|"
                  r"\bdisarm|\bdemobili|\btraining camp|\bturned themselves in\b|\bsplit (?:\w+ ){0,2}from\b"),
    # troops sent somewhere without a fight (ACLED: strategic development, other)
    "deploy": _rx(r"\b(?:clearance|clearing|search|cordon|combing|mop-up|sweep(?:ing)?) operations?\b|"
                  r"\b(?:troops|soldiers|forces|reinforcements|peacekeepers|contingents?) (?:[\w,]+ ){0,6}?arrived (?:in|at)\b|"
                  r"\bdeploy(?:ed|s|ing)? (?:\w+ ){0,4}(?:troops|soldiers|forces|police(?:men)?|personnel|peacekeepers|"
                  r"units|contingents?|battalions?)\b|\b(?:troops|soldiers|forces|police(?:men)?|personnel|peacekeepers|"
                  r"units|contingents?|battalions?) (?:\w+ ){0,3}(?:were|was|have been|has been|had been) (?:\w+ )?deployed\b"),
    # a count of people who fled: the sentence reports a displacement, whatever violence it names
    "displace_figure": _rx(r"\b(?:\d[\d,.]*|hundreds|thousands|dozens)\b(?: (?!and\b|killed\b|wounded\b|injured\b)[\w-]+){0,3}? (?:(?:have|has|had) )?"
                           r"(?:(?:been|were|was) )?(?:displaced|fled|uprooted|left their homes|forced (?:\w+ ){0,2}to "
                           r"(?:flee|leave))\b|\b(?:displaced|uprooted|forced out) (?:about |some |more than |at least |nearly |over "
                           r"|almost )?(?:\d[\d,.]*|hundreds|thousands|tens of thousands)\b"),
    "displace": _rx(r"\bfled\b|\bflee(?:ing|s)?\b|\bdisplac|\brefugees?\b|\bexodus\b|\bcrossed (?:the border|into)|"
                    r"\bsought refuge|\buprooted|\bevacuat|\bleft their homes|\bforced (?:\w+ ){0,2}to leave"),
}

CIVILIAN = _rx(
    r"\bcivilians?\b|\bvillagers?\b|\bresidents?\b|\bfarmers?\b|\bherd(?:ers|sman|smen)\b|\btraders?\b|"
    r"\bmerchants?\b|\bshepherds?\b|\bwom[ae]n\b|\bchild(?:ren)?\b|\bgirls?\b|\bboys?\b|\bstudents?\b|\bteachers?\b|"
    r"\bjournalists?\b|\bworshippers?\b|\bchristians?\b|\bcopts?\b|\bmuslims?\b|\bpeople\b|\bpersons?\b|\bman\b|"
    r"\bmen\b|\bfamil(?:y|ies)\b|\belders?\b|\bchiefs?\b|\bpassengers?\b|\bworkers?\b|\bdrivers?\b|\bdoctors?\b|"
    r"\bnurses?\b|\bofficials?\b|\bpoliticians?\b|\bcandidates?\b|\bactivists?\b|\bpastors?\b|\bpriests?\b|"
    r"\bimams?\b|\bclerics?\b|\bbod(?:y|ies)\b|\bpedestrians?\b|\bbusinessm[ae]n\b|\bcouple\b|\bwife\b|"
    r"\bhusband\b|\bmother\b|\bfather\b|\bson\b|\bdaughter\b|\binfants?\b|\bbab(?:y|ies)\b|\bnationals?\b|"
    r"\bcitizens?\b|\brefugees?\b|\bcooks?\b|\bvendors?\b|\bminers\b|\bfishermen\b|\bpilgrims\b|\btourists?\b|"
    r"\bjudges?\b|\blawyers?\b|\bhostages?\b|\bemployees?\b|\baid workers?\b|\bvillages?\b|\bchurch|\bmosque|"
    r"\b(?:civilian|passenger|public|commercial|private) (?:vehicles?|cars?|trucks?)\b|\b(?:bus(?:es)?|minibus(?:es)?|"
    r"taxis?)\b|\bmotorcyclists?\b|"
    r"\btravell?ers?\b|\bmotorists?\b|\bcommuters?\b|\bhomes?\b|\bhouses?\b|\bhamlets?\b|\byouths?\b|\bIDPs\b|"
    r"\bmarket\b|\bschool\b|\bhospital|\bwedding|\bfuneral|\bmourners\b|\bcommunity\b|\bleader\b"
)
ARMED = _rx(
    r"\bsoldiers?\b|\btroops?\b|\bpolice(?:men|man)?\b|\bpolice officers?\b|\bofficers?\b|\bmilitants?\b|"
    r"\bfighters?\b|\brebels?\b|\binsurgents?\b|\bjihadists?\b|\bmilitia(?:men|s)?\b|\barmy\b|\bforces\b|"
    r"\bcommanders?\b|\bguards?\b|\bcheck ?points?\b|\bconvoys?\b|\bpatrols?\b|\bbases?\b|\bposts?\b|\bbarracks\b|"
    r"\bcommandos?\b|\bsecurity personnel\b|\bgendarm|\bTaliban\b|\bal-?Shabaa?b|\bBoko Haram|\bIslamic State\b|"
    r"\bpeacekeepers?\b|\bAMISOM\b|\bsecurity offices?\b|\bmilitary\b|\bsnipers?\b|\bpositions?\b|"
    r"\bNDS\b|\bofficers\b|\bsecurity forces\b|\bislamists?\b|\bFARDC\b|\bdefected\b|\brangers\b|"
    r"\barmed m[ae]n\b|\bdepots?\b|\bMONUSCO\b|\bhelicopters?\b|\bstrongholds?\b|\bof the (?:attackers|assailants)\b|"
    r"\bthe (?:attackers|assailants)\b|\bmilitias?\b|\brebel\b|\bfighter\b|\bextremists?\b|\bconscripts?\b|"
    r"\bvigilantes?\b|\bservicem[ae]n\b|\bbrigades?\b|\bbattalions?\b"
)
WEAK_CIVILIAN = _rx(r"\b(?:people|persons?|m[ae]n|bod(?:y|ies)|leader|community|officials?|him|her|them)\b")
REFUGEE = _rx(r"\brefugees?\b|\bcrossed (?:the border|into)|\bsought refuge|\basylum")
# One-sided violence whatever the victim's role: ACLED codes these as violence against civilians.
ONE_SIDED = _rx(
    r"\bassassinat|\bexecut(?:ed|ion)\b|\bbehead|\bdecapitat|\bhack(?:ed)? to death|\bmurder|\bextra-?judicial|"
    r"\bbod(?:y|ies)\b (?:\w+ ){0,8}(?:(?:was|were|is|are|been) )?(?:found|discovered|dumped|recovered)|"
    r"\b(?:found|discovered|recovered) (?:\w+ ){0,4}bod(?:y|ies)\b|\bmass graves?\b")
# Bodies that bear the marks of a killing (several, burned, in a mass grave, of people who had disappeared):
# a killing even when no perpetrator is named.  A single body found is not enough (accidents, drownings).
BODIES_OF_VICTIMS = _rx(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|dozens of|scores of) (?:\w+ ){0,2}bodies\b|"
    r"\bmass graves?\b|\b(?:burn(?:ed|t)|charred|mutilated|decapitated|headless|bullet-riddled|bound) bod(?:y|ies)\b|"
    r"\bbod(?:y|ies) of (?:\w+ ){0,2}(?:disappeared|abducted|kidnapped|missing|herders?|farmers?)\b")
# Security personnel who are not in combat: attacks on them are one-sided.
UNARMED = _rx(r"\b(?:off-duty|retired|unarmed|former (?:soldiers?|officers?|policem[ae]n)|ex-(?:soldiers?|"
              r"officers?|policem[ae]n)|in civilian clothes|"
              # civil servants called officers: "a tax collection officer", "a local council officer"
              r"(?:tax|tax collection|customs|council|district|municipal|revenue|immigration|electoral|election|health|"
              r"education|agricultural|administrative|executive|finance|information|press|medical|relief|aid|"
              r"humanitarian|land|planning|veterinary|forestry|court) officers?|tax collectors?|"
              r"police informants?|informants?)\b")
_PASSIVE_BY = _rx(r"\bby (?:\w+[ -]){0,5}?(?:gunmen|assailants|attackers|men|militants?|militia(?:men)?|soldiers|"
                  r"troops|police(?:men)?|officers?|forces|fighters|rebels|members|group|army)\b")


# a headline-style subject with no article: "Malian guard killed near depot", "old farmer killed and ..."
_ENDS_WITH_PERSON = _rx(r"\b(?:soldiers?|policem[ae]n|police officers?|officers?|militiam[ae]n|fighters?|rebels?|"
                        r"gunm[ae]n|guards?|commanders?|civilians?|wom[ae]n|m[ae]n|child(?:ren)?|girls?|boys?|"
                        r"farmers?|traders?|students?|villagers?|residents?|herders?|herdsm[ae]n|journalists?)$")


def _victim_text(text: str, hit: dict[str, re.Match[str]]) -> str:
    """Who suffered the violence when the parse gave no patient: the words after an active
    violence verb ("gunmen killed a trader"), or the sentence without its "by <attackers>" phrase."""
    m = hit.get("kill") or hit.get("battle")
    if m is not None and m.group(0).lower() in ("killed", "shot", "attacked", "ambushed", "raided", "stormed",
                                                 "murdered", "abducted", "beat", "stabbed", "assaulted",
                                                 # note-style present: "militiamen shoot and kill a student"
                                                 "kill", "kills", "shoot", "shoots", "attack", "attacks", "ambush",
                                                 "ambushes", "raid", "raids", "beats", "stab", "stabs",
                                                 # "raiders opened fire on a lorry": the target follows
                                                 "opened fire", "fired on", "fired at", "open fire"):
        before = text[:m.start()].rstrip().lower()
        if not re.search(r"\b(?:was|were|been|being|is|are|be|got)(?: \w+)?$", before):
            after = text[m.end():]
            # reduced passive with its agent: "four herders attacked by raiders near the well"
            if m.group(0).lower().endswith("ed") and re.match(r"\s*(?:and (?:\w+ )?(?:injured|wounded|killed) )?by\b",
                                                              after, _I) and before:
                return before
            # headline-style reduced passive: "2 police killed while pursuing raiders", "1 guard killed, 2 hurt"
            if m.group(0).lower() == "killed" and re.match(r"\s*(?:[,.;:]|$|(?:while|during|in|on|at|after|when|"
                                                           r"as|near|overnight|yesterday)\b)", after, _I) \
                    and (re.search(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|a|an)\s+(?:\w+\s+)?\w+$",
                                   before) or _ENDS_WITH_PERSON.search(before)):
                return _PASSIVE_BY.sub(" ", text[:m.start()])
            return after
    return _PASSIVE_BY.sub(" ", text)


# Not a current event: forecasts, threats, hypotheticals, images, aggregates.
IRREALIS_LEMMAS = {
    "expect", "plan", "threaten", "vow", "warn", "fear", "intend", "seek", "aim", "want", "hope",
    "prepare", "pledge", "promise", "likely", "able", "urge", "propose", "consider",
    "prevent", "deny", "order", "ready", "poised", "allow", "help",
}
# "casualties not known", "perpetrators not identified": the details are unknown, the event is not denied
UNKNOWN_DETAILS = {"known", "clear", "confirmed", "established", "specified", "identified", "immediately", "yet"}
MODALS = {"will", "would", "may", "might", "could", "can", "should", "shall", "must", "'ll", "ca"}
IMAGES = _rx(r"\b(?:photos?|pictures?|images?|videos?|footage|satellite)\b.{0,80}\bshow(?:ed|s|ing|n)?\b")
AGGREGATE = _rx(
    r"\bup to (?:the end of )?(?:" + MONTHS + r"|last|this)\b|\bsince (?:the (?:start|beginning|war|conflict|"
    r"offensive|uprising)|(?:19|20)\d\d|it (?:began|started)|" + MONTHS + r")\b|\bso far\b|\bin total\b|\btotal "
    r"number\b|\bover the (?:past|last) (?:year|years|decade|months)|\bin recent (?:months|years)\b|\bsince "
    r"(?:a|the) civil war|\bhundreds of (?:soldiers|people|civilians) have been\b|\bthousands of (?:people|civilians)"
    r" have been\b|\bmore than a million\b|\bmillions?\b"
)
SPEECH = _rx(r"[”\"],? (?:\w+ ){0,5}(?:said|says|told|added|wrote)\b|[,.]?[”\"]\s*$")
HABITUAL = _rx(r"\b(?:often|usually|regularly|frequently|routinely|typically|in the past)\b")
ANAPHORA = _rx(
    r"\b(?:the|that|this|Friday's|Saturday's|Sunday's|Monday's|Tuesday's|Wednesday's|Thursday's|"
    r"[A-Z][a-z]+ian|[A-Z][a-z]+) (?:\w+ )?(?:blast|attack|bombing|explosion|assault|strike|strikes|killings|"
    r"raid|ambush|clashes|fighting|incident|shooting|massacre|offensive|advance|push)\b"
)
NEW_INCIDENT = _rx(r"\b(?:a|the) second (?:blast|attack|bomb|explosion)|\banother (?:blast|attack|bomb|explosion|"
                   r"incident|car bomb|suicide)|\bseparate(?:ly)?\b|\bin a separate\b|\belsewhere\b")


# "forces backed by air strikes retook X": the strikes support the event, the territory change is it
SUPPORTING = _rx(r"\b(?:backed|supported|covered|aided|assisted) by (?:[\w.-]+ ){0,3}$|\bwith (?:the )?(?:help|support|"
                 r"backing|cover) of (?:[\w.-]+ ){0,3}$|\bunder (?:the )?cover of (?:[\w.-]+ ){0,3}$|\bwith (?:[\w.-]+ ){0,2}$")


@dataclass(frozen=True, slots=True)
class TypeDecision:
    """The ACLED type of a text, the cue it rests on and the rule that fired."""

    event_type: str
    sub_event_type: str
    cue: str  # which lexicon fired ("suicide", "air", ...)
    trigger: str  # the cue words as written
    trigger_start: int  # offset of the cue words in the text given
    rule: str  # one plain sentence
    strength: int  # 2 specific cue, 1 generic violence (kill/attack) only


def _first(name: str, text: str) -> re.Match[str] | None:
    return CUES[name].search(text)


# A fight whose sides are unarmed crowds (ACLED: a riot, not a battle between organised armed groups)
CROWD_SIDE = _rx(r"\b(?:supporters|cadres|students|pupils|residents|villagers|farmers|miners|drivers|traders|vendors|"
                 r"activists|youths?|protesters|demonstrators|rioters|fans|inhabitants|community members|party members|"
                 r"comrades|workers|intra-party|rival (?:camps|factions|groups)|opposing (?:\w+ )?(?:camps|factions|groups)|"
                 r"political groups|touts|members of (?:the )?(?-i:[A-Z]{2,}))\b")
ARMED_GROUP = _rx(r"\b(?:militants?|rebels?|insurgents?|jihadists?|gunmen|militias?|militiamen|bandits|fighters|"
                  r"al-?Shabaa?b|Boko Haram|Islamic State|armed|herd\w*|Fulanis?|pastoralists|IDPs|gunfire|"
                  r"cattle raiders|(?:sub-)?clans?|tribal|ethnic|communal|gangs?|gangsters|pirates|poachers)\b")
CROWD_FIGHT = _rx(r"clash(?:es|ed)?|fight(?:ing|s)?|fought|battl(?:e|es|ed|ing)|skirmish(?:es)?|scuffles?")
# "took the village, no reported violence": territory changed hands without a fight
# two armed sides firing at each other: a bomb set off in the course of it is part of a battle
TWO_SIDED_FIRE = _rx(r"\bambush|\bexchange(?:d|s)? (?:of )?(?:heavy )?(?:gun ?)?fire\b|\bfirefights?\b|\bgun ?battles?\b|"
                     r"\bclash(?:es|ed)?\b|\breturned fire\b|\bfought\b|\bbattled\b|\bgunfights?\b")
NO_FIGHT = _rx(r"\bno (?:armed |heavy |reported )?(?:clash(?:es)?|fighting|exchange|fight)\b|\bwithout (?:a |any )?fight")
STATE_SIDE = _rx(r"\b(?:military|army|troops|soldiers|security forces|government forces|armed forces|gendarm\w*|"
                 r"servicem[ae]n|AMISOM|FARDC|SPLA|KDF|SNA|SNG|SNGF|FACA|MINUSMA|MINUSCA|MONUSCO|UPDF|ANP|SAF|RSF|"
                 r"(?-i:LNA)|National Army|peacekeepers?)\b")
NON_STATE_SIDE = _rx(r"\b(?:Boko Haram|al[- ]?Shabaa?b|militants?|bandits|rebels?|insurgents?|Islamic State|ISIS|jihadists?|"
                     r"Dahalo|militia(?:s|men)?|gunmen|terrorists?|AQIM|ADF|FDLR|Mayi[- ]Mayi|Mai[- ]Mai|Anti-?Balaka|"
                     r"Seleka|Renamo|SPLA-IO|SPLM-IO|SPLM/A-IO|SPLA/M-IO|SPLM-N|SLM/A(?:-\w+)?|JEM|OLA|LRA|cattle raiders|"
                     r"armed (?:men|group|bandits)|vigilantes?|(?:\w+ )?brigade)\b")
NONVIOLENT = _rx(r"\bno (?:reported )?violence\b|\bwithout (?:any |a )?(?:violence|fight|fighting|resistance)\b|"
                 r"\bno (?:violence|clash(?:es)?|fighting|resistance|armed clash(?:es)?) (?:was |were )?reported\b|"
                 r"\b(?:made|offered|put up|met|with) no resistance\b|\bno reported (?:clash(?:es)?|fighting)\b|"
                 r"\bno mention of (?:\w+ ){0,2}(?:incidences? of )?violence\b|"
                 r"\bthere (?:were|was) no (?:reported )?(?:clash(?:es)?|fighting|resistance|violence)\b")


# What precedes a protest word that has not (yet) happened: a march that was banned or is planned, a
# leader held for organising one, a crowd kept from a rally it meant to hold
NOT_YET_PROTEST = _rx(r"(?:\b(?:planned|planning|scheduled|expected|upcoming|banned|call(?:s|ed)? for|ahead of|before|"
                      r"thwart|prevent(?:ed)?) (?:\w+ ){0,2}|\bfor (?:\w+ ){0,4}(?:organi[sz]ing|leading|planning|inciting|"
                      r"calling for) (?:\w+ ){0,2}|\b(?:attempt(?:s|ed|ing)?|plann?(?:ed|ing)?|intend(?:s|ed|ing)?|wanted|"
                      r"sought|prepar(?:ed|ing)) to (?:[\w,]+ ){0,16})$")


def _exchange(text: str) -> bool:
    """Two armed sides fire at each other, and the text does not rule a fight out."""
    return bool(TWO_SIDED_FIRE.search(text)) and not NO_FIGHT.search(text)


def _two_sides(text: str) -> bool:
    """State forces and an armed group, or two distinct armed sides, are named."""
    if STATE_SIDE.search(text) and NON_STATE_SIDE.search(text):
        return True
    # names written next to each other are one actor ("RENAMO gunmen", "Mai-Mai militia")
    spans = sorted(m.span() for m in NON_STATE_SIDE.finditer(text))
    actors: list[tuple[int, int, str]] = []
    for a, b in spans:
        if actors and re.fullmatch(r"[\s-]*", text[actors[-1][1]:a]):
            actors[-1] = (actors[-1][0], b, actors[-1][2] + " " + text[a:b].lower())
        else:
            actors.append((a, b, text[a:b].lower()))
    return len({name for _, _, name in actors}) >= 2


def type_text(text: str, *, agent_state: bool | None = None, patient: str | None = None,
              calm_next: bool = False) -> TypeDecision | None:
    """ACLED type/sub-type of ``text`` by cue precedence, or None when nothing fits.

    ``agent_state`` says whether the agent is state forces (decides territory
    changes); ``patient`` is the text of the target noun phrase when the parse
    found one (decides Battle vs Violence against civilians); ``calm_next`` says the next
    sentence rules a fight out ("No clashes were reported."), which makes a territory change non-violent.
    """
    hit: dict[str, re.Match[str]] = {}
    folded = fold(text)  # speed: a cue's regex runs only where a literal it needs occurs (same hits)
    for name, rx in CUES.items():
        m = rx.search(text) if may_match(rx, folded) else None
        if m:
            hit[name] = m

    def dec(et: str, st: str, cue: str, rule: str, strength: int = 2) -> TypeDecision:
        m = hit[cue]
        return TypeDecision(et, st, cue, m.group(0), m.start(), rule, strength)

    if "battle" in hit and NO_FIGHT.search(text):
        # "no armed clashes were reported": a fight the text rules out is no battle cue
        negated = [(m.start(), m.end()) for m in NO_FIGHT.finditer(text)]
        rest = [m for m in CUES["battle"].finditer(text) if not any(a <= m.start() < b for a, b in negated)]
        if rest:
            hit["battle"] = rest[0]
        else:
            del hit["battle"]
    armed_fight = "battle" in hit
    if "disrupted" in hit and not (("kill" in hit or armed_fight)
                                   and re.search(r"\bkill(?:ed|ing|s)?\b|\bdead\b|\bclash|\bfought\b|\bgun ?fight", text, _I)):
        # weapons seized in the course of a fight or a killing belong to that fight, not to a disruption
        return dec("Strategic developments", "Disrupted weapons use", "disrupted",
                   "explosives defused, seized or detonated prematurely: disrupted weapons use")
    if "device_found" in hit and not re.search(r"\bexplo(?:ded|sions?)\b|\bblasts?\b|\bwent off\b|\bkill|\binjur|"
                                               r"\bwound|\bdead\b|\bdied\b|\bclash|\bthrown\b|\bhurled\b", text, _I):
        return dec("Strategic developments", "Disrupted weapons use", "device_found",
                   "an explosive device was found or made safe before it went off: disrupted weapons use")
    if "chemical" in hit:
        return dec("Explosions/Remote violence", "Chemical weapon", "chemical", "a chemical agent was used")
    if "suicide" in hit:
        return dec("Explosions/Remote violence", "Suicide bomb", "suicide",
                   "a suicide attacker (bomber, vest or vehicle): suicide bomb, even with gunfire")
    if "air" in hit and not (("territory" in hit or "captured_name" in hit) and SUPPORTING.search(
            text[max(0, hit["air"].start() - 60):hit["air"].start()])):
        return dec("Explosions/Remote violence", "Air/drone strike", "air", "bombing from aircraft or drones")
    if "mob" in hit:
        # organised vigilante groups are militias (ACLED): their violence is typed by its target, not as a mob's
        return dec("Riots", "Mob violence", "mob", "a mob or angry crowd attacked: mob violence")
    if "protest" in hit or "riot_word" in hit:
        if "excessive" in hit:
            return dec("Protests", "Excessive force against protesters", "excessive",
                       "forces killed or shot protesters: excessive force")
        if "riot" in hit or "riot_word" in hit:
            return dec("Riots", "Violent demonstration", "riot" if "riot" in hit else "riot_word",
                       "demonstrators used violence or destroyed property: violent demonstration")
        if "intervention" in hit and "protest" in hit and re.match(r"(?i)arrest|detain", hit["intervention"].group(0)) \
                and NOT_YET_PROTEST.search(text[:hit["protest"].start()]):
            return dec("Strategic developments", "Arrests", "arrest",
                       "people were arrested over a protest planned, banned or not yet held: arrests")
        if "intervention" in hit:
            return dec("Protests", "Protest with intervention", "intervention",
                       "a protest dispersed, tear-gassed or arrested: protest with intervention")
        return dec("Protests", "Peaceful protest", "protest", "a demonstration without violence or intervention")
    mines_only = "mine" in hit["ied"].group(0).lower() if "ied" in hit else False
    if "ied" in hit and not (hit["ied"].group(0).lower() == "explosions" and re.search(r"clash|gunfire", text, _I)) \
            and not (mines_only and ("territory" in hit or "captured_name" in hit)):
        if _exchange(text):
            return dec("Battles", "Armed clash", "ied",
                       "a bomb or mine set off as part of an ambush or exchange of fire: the blast belongs to an armed clash")
        return dec("Explosions/Remote violence", "Remote explosive/landmine/IED", "ied",
                   "a bomb, mine or explosive device without a suicide attacker: remote explosive")
    if "territory" in hit or ("captured_name" in hit and "arrest" not in hit):
        cue = "territory" if "territory" in hit else "captured_name"
        calm = NONVIOLENT.search(text)
        if calm or (("transfer" in hit) and not armed_fight and "kill" not in hit):
            if "transfer" not in hit:
                hit["transfer"] = NONVIOLENT.search(text)
            return dec("Strategic developments", "Non-violent transfer of territory", "transfer",
                       "territory changed hands without fighting")
        if calm_next and not armed_fight and "kill" not in hit:
            return dec("Strategic developments", "Non-violent transfer of territory", cue,
                       "territory changed hands; the next sentence says there was no fighting")
        if agent_state:
            return dec("Battles", "Government regains territory", cue,
                       "state forces took (back) a place: government regains territory")
        if agent_state is False:
            return dec("Battles", "Non-state actor overtakes territory", cue,
                       "a non-state group took a place: non-state actor overtakes territory")
    shell_means = "shell" in hit and re.search(r"\b(?:with|using|fired|firing|launched|launching|lobbed)\s+(?:[\w-]+\s+){0,2}$",
                                                text[:hit["shell"].start()], _I) and not _exchange(text)
    if "shell" in hit and (not armed_fight or shell_means):
        return dec("Explosions/Remote violence", "Shelling/artillery/missile attack", "shell",
                   "shells, mortars, rockets or missiles fired from a distance")
    if "grenade" in hit:
        return dec("Explosions/Remote violence", "Grenade", "grenade", "a hand grenade was thrown")
    if "sexual" in hit:
        return dec("Violence against civilians", "Sexual violence", "sexual", "sexual violence")
    rescued = "abduct" in hit and hit["abduct"].group(0).lower().startswith("hostage") and re.search(
        r"\b(?:rescu\w*|free[sd]?|freeing|releas\w*|liberat\w*) (?:[\w,]+ ){0,3}$", text[:hit["abduct"].start()], _I)
    if "abduct" in hit and not rescued and not (agent_state and "arrest" in hit) \
            and not (armed_fight and _exchange(text)):
        return dec("Violence against civilians", "Abduction/forced disappearance", "abduct",
                   "people were kidnapped or abducted: abduction")
    if "arrest" in hit and re.search(r"\btortur|\bbeat(?:en)?\b|\bdied in (?:detention|custody)|\bextra-?judicial|"
                                     r"\bfound dead|\bforcibly disappeared|\bto death\b", text, _I):
        return dec("Violence against civilians", "Attack", "arrest",
                   "detainees were tortured, beaten or killed: violence against civilians")
    killing = re.search(r"\b(?:kill|killed|kills|killing|shot dead|murdered|beheaded)\b", text, _I)
    if "arrest" in hit and not armed_fight and not (killing and "kill" in hit):
        return dec("Strategic developments", "Arrests", "arrest", "people were arrested or detained: arrests")
    if "crowd_damage" in hit and "kill" not in hit and not ARMED_GROUP.search(text) \
            and not ARMED.search(hit["crowd_damage"].group(0)):
        return dec("Riots", "Violent demonstration", "crowd_damage",
                   "a crowd (not an armed group) burned, wrecked or stormed property: violent demonstration")
    if armed_fight or "kill" in hit:
        victims = patient if patient is not None else _victim_text(text, hit)
        unarmed = bool(UNARMED.search(victims))
        civ = bool(CIVILIAN.search(victims)) or unarmed
        weak_only = civ and not unarmed and not CIVILIAN.search(WEAK_CIVILIAN.sub(" ", victims))
        armed = bool(ARMED.search(victims)) and not unarmed
        two_sided = bool(re.search(r"\bclash|\bexchange|\bfought|\bfighting|\bgun ?(?:fight|battle)|\bfirefight|"
                                   r"\brepulse|\brepel|\bretaliat|\bfought back", text, _I))
        one_sided = ONE_SIDED.search(text)
        if one_sided and not two_sided:
            cue = "kill" if "kill" in hit else "battle"
            return dec("Violence against civilians", "Attack", cue,
                       "a one-sided killing (assassination, execution, bodies found): attack")
        if armed_fight and CROWD_SIDE.search(text) and not ARMED_GROUP.search(text) \
                and CROWD_FIGHT.fullmatch(hit["battle"].group(0)):
            return dec("Riots", "Violent demonstration", "battle",
                       "crowds (party supporters, students, residents) fought each other or the police: riot")
        one_sided_raid = armed_fight and re.fullmatch(r"(?i)ambush(?:ed|es)?|raid(?:ed|s)?", hit["battle"].group(0))
        if armed_fight and not (civ and not armed and not two_sided and (not weak_only or one_sided_raid)):
            return dec("Battles", "Armed clash", "battle", "armed groups fought (clash, ambush, attack on forces)")
        if civ and not armed:
            cue = "kill" if "kill" in hit else "battle"
            return dec("Violence against civilians", "Attack", cue,
                       "civilians were the target of the violence: attack on civilians",
                       2 if patient is not None else 1)
        if armed:
            cue = "kill" if "kill" in hit else "battle"
            return dec("Battles", "Armed clash", cue, "armed personnel were killed or attacked: armed clash", 1)
        if "kill" in hit and not civ and _two_sides(text):
            return dec("Battles", "Armed clash", "kill",
                       "two armed sides are named (state forces, armed groups), the victims are not named as "
                       "civilians: armed clash", 1)
        if "kill" in hit:
            return dec("Violence against civilians", "Attack", "kill",
                       "people were killed with no armed opponent named: attack", 1)
    if "weapons_found" in hit and not armed_fight and "kill" not in hit:
        return dec("Strategic developments", "Disrupted weapons use", "weapons_found",
                   "weapons or explosives were found or seized: disrupted weapons use")
    if "loot" in hit:
        return dec("Strategic developments", "Looting/property destruction", "loot", "property looted or destroyed")
    if "hq" in hit:
        return dec("Strategic developments", "Headquarters or base established", "hq", "a base was set up")
    if "transfer" in hit:
        return dec("Strategic developments", "Non-violent transfer of territory", "transfer",
                   "a side withdrew or handed over territory")
    if "agreement" in hit:
        return dec("Strategic developments", "Agreement", "agreement", "an agreement, truce or release was made")
    if "change" in hit:
        return dec("Strategic developments", "Change to group/activity", "change",
                   "a group surrendered, defected, merged or changed its activity")
    if "deploy" in hit and not re.search(r"\b(?:kill|killed|dead|died|wounded|injured|attack(?:ed|s)?|fire|fired)\b", text, _I):
        return dec("Strategic developments", "Other", "deploy", "troops or police were sent to a place: other strategic development")
    if "excessive" in hit and re.search(r"\b(?:protest|demonstrat|them|they|crowd|students)", text, _I):
        return dec("Protests", "Excessive force against protesters", "excessive",
                   "forces used violence against people protesting (joins the protest it follows)", 1)
    if "protest_weak" in hit and "kill" not in hit and "battle" not in hit:
        if "riot_word" in hit or ("riot" in hit and re.search(r"\bloot|\bburn|\bset |\bthr(?:ew|owing)|\bvandal|"
                                                         r"\btorched", text, _I)):
            return dec("Riots", "Violent demonstration", "riot_word" if "riot_word" in hit else "riot",
                       "a crowd making demands used violence or destroyed property: violent demonstration")
        if "intervention" in hit:
            return dec("Protests", "Protest with intervention", "intervention",
                       "a crowd making demands was dispersed or arrested: protest with intervention")
        return dec("Protests", "Peaceful protest", "protest_weak",
                   "a group gathered to make demands or express discontent: peaceful protest", 1)
    if "displace" in hit:
        if REFUGEE.search(text):
            return dec("Displacement", "Refugees", "displace", "people crossed a border fleeing: refugees")
        return dec("Displacement", "Internal displacement", "displace", "people fled their homes: displacement")
    if "territory" in hit:  # who took the place decides the sub-type; the parse is asked next
        return dec("Battles", "Armed clash", "territory", "a place changed hands; the taker is not yet known", 1)
    return None


# -- the parse ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Detection:
    """A typed event cue in one sentence, with what the parse says about it (body offsets)."""

    decision: TypeDecision
    sent_start: int
    sent_end: int
    trigger_start: int
    trigger_end: int
    trigger_token: Any  # spaCy Token
    agent: tuple[int, int] | None  # char span of the agent phrase
    patient: tuple[int, int] | None  # char span of the target phrase
    perfect: bool  # "has fought": habitual unless dated
    anaphoric: bool
    new_incident: bool


def _token_at(sent: Any, char: int) -> Any:
    for tok in sent:
        if tok.idx <= char < tok.idx + len(tok.text) + 1:
            return tok
    return sent.root


def _span(tok: Any) -> tuple[int, int]:
    sub = list(tok.subtree)
    return sub[0].idx, sub[-1].idx + len(sub[-1].text)


def clause_verb(tok: Any) -> Any:
    """The nearest verb governing ``tok`` (itself when a verb)."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def roles(trigger: Any) -> tuple[Any | None, Any | None]:
    """(agent token, patient token) for a trigger from the dependency parse."""
    verb = clause_verb(trigger)
    agent = patient = None
    for node in (trigger, verb):
        for ch in node.children:
            if ch.dep_ in ("nsubj",) and agent is None and ch is not trigger:
                agent = ch
            elif ch.dep_ == "agent" and agent is None:
                agent = next((g for g in ch.children if g.dep_ == "pobj"), None)
            elif ch.dep_ in ("dobj", "nsubjpass") and patient is None and ch is not trigger:
                patient = ch
            elif ch.dep_ == "prep" and ch.lower_ in ("on", "against") and patient is None and ch.i > node.i:
                patient = next((g for g in ch.children if g.dep_ == "pobj"), None)
            elif ch.dep_ == "prep" and ch.lower_ == "by" and agent is None and node.tag_ == "VBN":
                agent = next((g for g in ch.children if g.dep_ == "pobj"), None)
    if agent is None and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.i != verb.i:
        agent = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if agent is None and trigger.dep_ in ("nsubj",) and trigger.head.i == verb.i:
        # "An Islamic State car bomb killed ...": the weapon's owner is the compound/poss modifier
        mods = [c for c in trigger.children if c.dep_ in ("compound", "poss", "amod", "nmod")]
        agent = mods[0] if mods else None
    return agent, patient


def irrealis(trigger: Any) -> str | None:
    """Why the trigger is not a realised event (modal, negation, intention, condition), or None."""
    cur = trigger
    via_conj = False  # reached through a coordination ("demonstrated and denied access"): a sibling, not a governor
    via_subject = False  # the event is the governor's subject ("a strike stopped the port"): it took place
    for _ in range(8):
        for ch in cur.children:
            if ch.dep_ == "aux" and ch.lower_ in MODALS:
                return f"modal '{ch.text}'"
            if ch.dep_ == "neg" and cur.lower_ not in UNKNOWN_DETAILS:
                return f"negated by '{ch.text}'"
            if ch.dep_ == "mark" and ch.lower_ in ("if", "unless", "whether"):
                return f"conditional '{ch.text}'"
            if cur is trigger and ch.dep_ == "aux" and ch.tag_ == "TO" and not _perfect_infinitive(trigger) \
                    and not _attempt(trigger):
                return "infinitive 'to'"
        if lemma(cur).lower() in IRREALIS_LEMMAS and cur is not trigger and cur.pos_ in ("VERB", "ADJ", "AUX") \
                and not via_conj and not via_subject and not _feared_dead(cur):
            return f"governed by '{cur.text}'"
        if cur.dep_ == "ROOT" or cur.head.i == cur.i:
            break
        if cur.dep_ in ("ccomp",) and lemma(cur.head).lower() in ("say", "tell", "report", "add", "claim"):
            break
        via_conj = cur.dep_ == "conj"
        via_subject = cur.dep_ in ("nsubj", "nsubjpass", "csubj")
        cur = cur.head
    return None


def _feared_dead(verb: Any) -> bool:
    """"six people were feared dead in a gun battle": the news idiom reports deaths, it does not fear them."""
    return lemma(verb).lower() == "fear" and verb.tag_ == "VBN" and any(
        ch.lower_ in ("dead", "killed", "drowned") for ch in verb.children)


def _attempt(trigger: Any) -> bool:
    """"gunmen attempted to raid the post", "tried to storm": an attempt is an event that took place."""
    head = trigger.head
    if trigger.dep_ == "xcomp" and head.tag_ == "VBD" and lemma(head).lower() in ("attempt", "try"):
        return True
    # "gunmen used machetes to kill a councillor": the means of a realised act
    return trigger.dep_ in ("advcl", "xcomp") and head.tag_ == "VBD" and lemma(head).lower() == "use"


def _purpose_of_crowd_action(decision: TypeDecision, trigger: Any) -> bool:
    """"converged on the square to demonstrate", "fired tear gas to disperse them": a crowd cue in the
    purpose clause of a past action that took place (the action is the event, not an intention)."""
    if decision.cue not in ("protest", "intervention", "protest_weak"):
        return False
    head = trigger.head
    return trigger.dep_ in ("advcl", "xcomp") and head.tag_ in ("VBD", "VBN") and head.i != trigger.i \
        and lemma(head).lower() not in IRREALIS_LEMMAS | {"call", "ask", "decide", "agree", "threaten", "invite",
                                                         "mobilise", "mobilize", "encourage", "try", "attempt"}


def _perfect_infinitive(trigger: Any) -> bool:
    """"claimed to have retaken", "reported to have attacked": a past event someone reports, not an aim."""
    return trigger.tag_ == "VBN" and any(ch.dep_ == "aux" and ch.lower_ == "have" for ch in trigger.children)


SELF_EVIDENT = {"suicide", "air", "ied", "chemical", "mob", "protest", "protest_weak", "riot", "riot_word", "abduct", "sexual",
                "excessive", "intervention", "crowd_damage"}
CASUALTY = _rx(r"\b(?:killed|killing|dead|died|wounded|injured|injuring|wounding|casualties|shot dead|murdered|"
               r"beheaded|massacred|deaths?|assassinated|decapitated|tortured|stabbed|abuses|beaten)\b")
WAR = _rx(r"\b(?:war|conflict|fighting|violence|ceasefire|cease-fire|truce|peace|rebels?|militants?|insurgen\w*|"
          r"armed|army|troops|soldiers|militias?|jihadists?|fighters|hostages?|prisoners?|opposition|famine|clashes)\b")
POLITICAL_TARGET = _rx(
    r"\b(?:militants?|activists?|protesters?|demonstrators?|journalists?|opposition|members? of|rebels?|insurgents?|"
    r"jihadists?|terror\w*|extremists?|Islamic State|Boko Haram|al[- ]?Shabaa?b|Taliban|bomb\w*|attacks?|plot|"
    r"(?:presidential |opposition )?candidates?|generals?|campaign (?:manager|director)s?|advis[eo]rs? to|associates of|"
    r"councill?ors?|legislators?|"
    r"suspected (?:militants|members|jihadists|terrorists|rebels|insurgents|fighters|bombers)|supporters|"
    r"students|leaders?|politicians?|soldiers|officers|chiefs?|commanders?|militiam[ae]n|magistrates|"
    r"detainees|accused of|security sources|armed|gunmen|kidnappers|fighters|Anti-Balaka|Seleka|"
    r"(?:opposition|ruling|political) part(?:y|ies)|party (?:president|chairman|leader|members?|officials?)|"
    r"(?:president|chairman|leader|secretary|spokes(?:man|woman|person)|members?|officials?|activists?) of "
    r"(?:the |an? )?(?:\w+ ){0,4}(?:party|movement|coalition|union|front|alliance|opposition)|"
    r"MPs?|lawmakers?|dissidents?|bloggers?|human rights (?:defenders?|activists?|lawyers?)|protests?)\b")
BUSINESS = _rx(
    r"\b(?:cyber\w*|hack\w*|malware|ransomware|software|computers?|patents?|lawsuits?|proxy|shares|stocks?|"
    r"investors?|Inc|Corp|Ltd|compan(?:y|ies)|firms?|deals?|mergers?|acquisitions?|revenues?|profits?|prices?|"
    r"smartphones?|iPhones?|apps?|Google|Apple|Microsoft|Facebook|Twitter|Amazon|Samsung|Uber|Tesla|chips?|"
    r"startups?|customers|users|encryption|internet|online|websites?|spacecraft|satellites?|fraud|laundering|tax|taxes|toolkit|credentials|breach(?:es)?|data)\b")


# Parties to an armed conflict that make an agreement (truce, disarmament, reconciliation) a conflict event
ARMED_PARTIES = _rx(r"\b(?:(?:ex-)?combatants|hostilities|armed groups?|DDR|disarmament|military cooperation|"
                    r"MONUSCO|FARDC|AMISOM|MINUSCA|MINUSMA|UNMISS|rival (?:clans|communities|factions))\b")
# Organised political or communal sides: their assaults and clashes are political violence (riots,
# attacks on party members, communal clashes) even without weapons or soldiers in the sentence.
# arrested for a coup or mutiny, or as members of an armed group (a conflict target for the arrests gate;
# a group the actor table names counts too, see ``_finish``)
COUP = _rx(r"\b(?:coup|putsch|mutin(?:y|ies|eers?)|armed groups?|recruitment network|militia(?:s|men)?)\b")
POLITICAL_SIDE = _rx(
    r"\b(?:cadres|party (?:members?|supporters|officials?|youths?|activists)|youth (?:wing|league)|"
    r"(?:ethnic|tribal|rival|clan) (?:groups?|communities|militias?|factions?)|opposing (?:\w+ )?(?:groups|camps|factions)|"
    r"political groups|touts|sub-?clans?|Fulanis?|herds(?:men|man)|"
    r"(?:supporters|members|activists|youths) of (?:the )?(?:\w+ ){0,3}(?:party|movement|opposition|[A-Z]{2,})|"
    r"(?-i:[A-Z][A-Za-z]*[A-Z][A-Z-]*) (?:members?|supporters|cadres|youths|activists|officials|chairman|chairperson|"
    r"councillors?|councilors?))\b")
WEAPONS = _rx(r"\b(?:bombs?|explosives?|explosive devices?|IEDs?|weapons?|arms|ammunition|guns?|rifles?|detainees|"
              r"MONUSCO|AMISOM|UNMISS|FARDC|spy|militiam[ae]n)\b")
NATURAL = _rx(r"\b(?:earthquakes?|quakes?|tremors?|floods?|flooding|storms?|cyclones?|hurricanes?|typhoons?|"
              r"landslides?|accidents?|crash(?:ed|es)?|avalanches?|tornado\w*|tsunamis?|outbreaks?|epidemics?|"
              r"heat ?waves?|drought|collapsed?)\b")
# Attackers, hand weapons and harm that make an assault a political-violence event even without
# soldiers or a war in the sentence ("unknown assailants shot two villagers", "attacked with a machete").
ASSAILANTS = _rx(
    r"\b(?:gunm[ae]n|assailants?|attackers?|armed (?:m[ae]n|group|gang|youths?|bandits)|bandits?|gangs?|robbers?|"
    r"(?:cattle )?raiders?|assassins?|assassination (?:attempts?|bids?)|attempted assassination|kidnappers?|"
    r"abductors?|militiam[ae]n|cultists?|poachers?|hit ?m[ae]n|"
    r"(?:unknown|unidentified) (?:m[ae]n|persons|people|individuals|youths?)|"
    r"machetes?|axes?|knives|knife|clubs|firearms?|gunfire|gunshots?|shootings?|grenades?|shot|injur(?:y|ies|ed)|"
    r"hurt|victims?|robbed|Imbonerakure|Anti-?Balaka|Seleka|Mayi[- ]Mayi|Mai[- ]Mai|Renamo|Dahalo|"
    r"(?:communal|ethnic|intercommunal|inter-communal|tribal|sectarian) (?:clash(?:es)?|violence|fighting))\b")
FOUL_PLAY = _rx(r"\b(?:dumped|mutilated|bound|blindfolded|handcuffed|decapitated|bullet|gunshot|stab|stabbed|"
                r"strangled|mass grave|tortured|torture|slit)\b")
# Present-tense harm with its victims (note and headline style: "raiders kill 8 in a cattle camp").
HARM_NOW = _rx(r"\b(?:kill|kills|wound|wounds|injure|injures|shoot|shoots|behead|beheads)\b (?:\w+ ){0,2}?"
               r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|dozens|scores|several|people|persons|"
               r"civilians|villagers|soldiers|policem[ae]n|a |an |the )")
IMPACT = _rx(r"\b(?:hit|struck|landed|fired|shelled|hurled|thrown|lobbed|exploded|targeted|pounded|rained)\b")
NOBODY = _rx(r"\b(?:no one|nobody|no casualties|no injuries|no deaths|no fatalities)\b")


# the toll reported (or said to be unknown) at the start of the next sentence
TOLL_NEXT = _rx(r"\s*(?:(?:no|unknown number of|an unknown number of) )?(?:casualt|causalit|casualit|fatalit|deaths?\b|"
                r"injur|dead\b)")


def toll_follows(sent: Any) -> bool:
    """True when the sentence after ``sent`` opens with its toll ("Casualties not known.", "No injuries reported.")."""
    if sent.end >= len(sent.doc):
        return False
    return bool(TOLL_NEXT.match(plain(sent.doc[sent.end:sent.end + 12].text)))


def calm_follows(sent: Any) -> bool:
    """True when the sentence after ``sent`` rules a fight out ("No clashes were reported.",
    "Al Shabaab had vacated the area.") and names no casualty."""
    if sent.end >= len(sent.doc):
        return False
    nxt = plain(sent.doc[sent.end].sent.text)
    return bool(NONVIOLENT.search(nxt) or CUES["transfer"].search(nxt)) and not CASUALTY.search(nxt) \
        and not CUES["battle"].search(NO_FIGHT.sub(" ", NONVIOLENT.sub(" ", nxt)))


def _context_gate(text: str, decision: TypeDecision, trigger: Any = None, *, armed_actor: bool = False,
                  armed_group: bool = False) -> str | None:
    """Why a cue is not a conflict event in this sentence, or None (the false-positive guard).

    ``armed_actor``: the actor table found an armed group or state force in the sentence.
    ``armed_group``: it found a named non-state armed group (rebels, militias; never state forces).
    """
    cue = decision.cue
    casualty = bool(CASUALTY.search(text))
    if cue == "kill" and NOBODY.search(text):
        return "nobody was hurt"
    if cue == "kill" and re.fullmatch(r"(?i)dead|died|bod(?:y|ies)( of)?", decision.trigger) and not (
            ARMED.search(text) or WAR.search(text) or ASSAILANTS.search(text) or FOUL_PLAY.search(text)
            or BODIES_OF_VICTIMS.search(text)):
        return "a death without a perpetrator or conflict"
    if NATURAL.search(text) and not ARMED.search(text) and cue in ("kill", "battle"):
        return "a natural disaster or accident"
    if BUSINESS.search(text) and casualty and trigger is not None and trigger.dep_ not in ("ROOT", "conj") \
            and cue not in SELF_EVIDENT:
        return "a casualty mentioned in passing in a business story"
    if BUSINESS.search(text) and not casualty and cue not in ("suicide", "air", "chemical", "protest", "protest_weak", "riot",
                                                              "riot_word", "excessive", "intervention", "mob"):
        return "business or technology context"
    if cue in SELF_EVIDENT:
        return None
    if decision.sub_event_type == "Arrests":
        # people arrested over a demonstration (its organisers, its marchers), a named armed group's
        # members, plotters of a coup: a political or conflict target
        return None if (POLITICAL_TARGET.search(text) or CUES["protest"].search(text) or COUP.search(text)
                        or armed_group) \
            else "arrest without a political or conflict target"
    if decision.sub_event_type == "Agreement":
        return None if (WAR.search(text) or ARMED_PARTIES.search(text)) else "an agreement outside any conflict"
    if decision.event_type == "Strategic developments" or decision.event_type == "Displacement":
        violence = decision.event_type == "Displacement" and any(
            CUES[c].search(text) for c in ("battle", "shell", "air", "territory", "ied"))
        return None if (WAR.search(text) or casualty or ARMED.search(text) or WEAPONS.search(text)
                        or ASSAILANTS.search(text) or violence) \
            else "no conflict context"
    if casualty or ARMED.search(text) or WAR.search(text) or ASSAILANTS.search(text) or HARM_NOW.search(text) \
            or (cue == "kill" and BODIES_OF_VICTIMS.search(text)):
        return None
    if armed_actor and cue in ("kill", "battle", "abduct", "loot", "arrest", "shell", "grenade"):
        return None
    if cue in ("kill", "battle") and POLITICAL_SIDE.search(text):
        return None
    if cue in ("shell", "grenade") and IMPACT.search(text):
        return None
    return "no armed actor, weapon or casualty"


_PROTEST_COMPOUNDS = {"street", "mass", "protest", "student", "opposition", "public", "peaceful", "violent", "large",
                      "huge", "massive", "anti", "big", "small", "spontaneous", "political", "rival",
                      # how many, how often: "several demonstrations", "planned demonstrations", "fresh demonstrations"
                      "several", "many", "numerous", "multiple", "planned", "new", "fresh", "renewed", "further",
                      "other", "similar", "daily", "weekly", "simultaneous", "separate", "nationwide", "sporadic",
                      "silent", "continued", "ongoing", "few", "more"}


def _not_a_demonstration(decision: TypeDecision, trigger: Any, agent: Any) -> str | None:
    """Why a protest cue is no demonstration: one person objecting ("he protested the ruling"),
    or a "demonstration" of a product ("a virtual reality demonstration")."""
    if decision.cue != "protest":
        return None
    if lemma(trigger).lower() == "protest" and trigger.pos_ == "VERB" and agent is not None \
            and any(ch.dep_ == "dobj" for ch in trigger.children) \
            and (agent.lower_ in ("he", "she") or (agent.ent_type_ == "PERSON" and agent.tag_ == "NNP")):
        return "one person objecting"
    if trigger.lower_.startswith("demonstration"):
        mods = [ch for ch in trigger.children if ch.dep_ in ("compound", "amod") and ch.i < trigger.i]
        if mods and not any(m.lower_.split("-")[0] in _PROTEST_COMPOUNDS or m.like_num for m in mods):
            return f"a '{mods[0].text} demonstration', not a protest"
    return None


def _habitual(sent: Any, trigger: Any) -> bool:
    """A habitual adverb ("often", "usually") that modifies the trigger's own clause, or "in the past".

    "often under militant fire" modifies a prepositional phrase, not the event verb, and
    does not make "26,000 have been displaced" habitual.
    """
    m = HABITUAL.search(plain(sent.text))
    if m is None:
        return False
    if m.group(0).lower() == "in the past":
        return True
    verb = clause_verb(trigger)
    for tok in sent:
        if tok.lower_ in ("often", "usually", "regularly", "frequently", "routinely", "typically"):
            if tok.head.i in (verb.i, trigger.i):
                return True
    return False


def _perfect(trigger: Any) -> bool:
    verb = clause_verb(trigger)
    return any(ch.dep_ in ("aux", "auxpass") and ch.lower_ in ("has", "have") for ch in verb.children)


def detect(sent: Any, *, actor_state: Any = None, armed_in: Any = None, armed_group_in: Any = None) -> list[Detection]:
    """Typed event cues in one spaCy sentence; an empty list when there is none or it is not realis.

    ``actor_state(char_span) -> bool | None`` says whether the phrase at that span names
    state forces (``mentions`` passes the actor table's view); it decides territory changes.
    ``armed_in(char_span) -> bool`` says whether an armed group or state force is named in the
    span: a named armed actor is conflict context for the false-positive guard.
    ``armed_group_in(char_span) -> bool`` says whether a non-state armed group (ACLED inter 2-4)
    is named in the span: its members' arrest is a conflict event.  Without it the packaged
    actor table is asked (:meth:`ActorTable.armed_groups`).
    """
    text = plain(sent.text)
    base = sent.start_char
    if text.lstrip()[:1] in "“\"" and SPEECH.search(text):
        log.debug("skip (quotation): %s", text[:60])
        return []
    if IMAGES.search(text):
        log.debug("skip (images): %s", text[:60])
        return []
    main = _detect_main(sent, text, actor_state=actor_state, armed_in=armed_in, armed_group_in=armed_group_in)
    out = [main] if main is not None else []
    fig = CUES["displace_figure"].search(text)
    if fig is not None and not any(d.decision.event_type == "Displacement" for d in out):
        dec = TypeDecision("Displacement", "Refugees" if REFUGEE.search(text) else "Internal displacement",
                           "displace_figure", fig.group(0), fig.start(),
                           "a count of people who fled or were displaced: a displacement, beside any violence named", 2)
        d = _finish(sent, text, dec, _token_at(sent, base + fig.start()), None, None, None, armed_in=armed_in,
                    armed_group_in=armed_group_in)
        if d is not None:
            out.append(d)
    return out


def _detect_main(sent: Any, text: str, *, actor_state: Any, armed_in: Any, armed_group_in: Any) -> Detection | None:
    """The sentence's main event cue, typed with what the parse says about agent and target."""
    base = sent.start_char
    first = type_text(text)
    if first is None:
        return None
    trig = _token_at(sent, base + first.trigger_start)
    agent, patient = roles(trig)
    agent_span = _span(agent) if agent is not None else None
    patient_span = _span(patient) if patient is not None else None
    agent_state = actor_state(agent_span) if (actor_state and agent_span) else None
    if agent_state is None and actor_state is not None and first.cue in ("territory", "captured_name"):
        agent_state = actor_state((base, base + first.trigger_start))
    patient_text = None
    if patient_span is not None:
        patient_text = plain(sent.doc.text[patient_span[0]:patient_span[1]])
    # the targets of every violence verb ("attacked an oasis, killing 10 fighters"), not only the cue's
    for km in list(CUES["kill"].finditer(text))[:4]:
        if km.start() == first.trigger_start:
            continue
        _, kp = roles(_token_at(sent, base + km.start()))
        if kp is not None:
            ks = _span(kp)
            patient_text = (patient_text or "") + " " + plain(sent.doc.text[ks[0]:ks[1]])
    calm_next = first.cue in ("territory", "captured_name") and calm_follows(sent)
    decision = type_text(text, agent_state=agent_state, patient=patient_text, calm_next=calm_next)
    if decision is None:
        return None
    if decision.trigger_start != first.trigger_start:
        trig = _token_at(sent, base + decision.trigger_start)
    return _finish(sent, text, decision, trig, agent, agent_span, patient_span, armed_in=armed_in,
                   armed_group_in=armed_group_in)


def _names_armed_group(text: str, span: tuple[int, int], agent_span: tuple[int, int] | None, *,
                       armed_group_in: Any) -> bool:
    """True when the sentence at ``span`` names a non-state armed group (ACLED inter 2-4) outside
    the arrest's agent: suspected members of a group arrested, not a group that does the arresting
    (militiamen who "arrest" and beat people are no state arrest)."""
    start, end = span
    parts = [span] if agent_span is None else [(start, agent_span[0]), (agent_span[1], end)]
    if armed_group_in is not None:
        return any(armed_group_in(p) for p in parts if p[0] < p[1])
    return any(any(p[0] <= m.start and m.end <= p[1] for p in parts)
               for m in packaged_table().armed_groups(text, offset=start))


def _crowd_fallback(text: str, decision: TypeDecision) -> TypeDecision | None:
    """The sentence's own protest cue as a peaceful protest, for when its intervention cue is not realis."""
    m = CUES["protest"].search(text)
    if m is None or m.start() == decision.trigger_start:
        return None
    return TypeDecision("Protests", "Peaceful protest", "protest", m.group(0), m.start(),
                        "a demonstration; the intervention named is not a real one (wanted, denied or "
                        "hypothetical): peaceful protest", decision.strength)


def _finish(sent: Any, text: str, decision: TypeDecision, trig: Any, agent: Any, agent_span: Any, patient_span: Any,
            *, armed_in: Any, armed_group_in: Any) -> Detection | None:
    """The detection, or None when a guard says it is no current event (each guard logs why)."""
    base = sent.start_char
    why_not = _not_a_demonstration(decision, trig, agent)
    if why_not:
        log.debug("skip (%s): %s", why_not, text[:60])
        return None
    if _habitual(sent, trig):
        log.debug("skip (habitual): %s", text[:60])
        return None
    armed_actor = bool(armed_in and armed_in((base, sent.end_char)))
    armed_group = decision.sub_event_type == "Arrests" and _names_armed_group(
        text, (base, sent.end_char), agent_span, armed_group_in=armed_group_in)
    gate = _context_gate(text, decision, trig, armed_actor=armed_actor, armed_group=armed_group)
    if gate == "no armed actor, weapon or casualty" and decision.cue in ("kill", "battle") and toll_follows(sent):
        gate = None  # "... attacked a group of women. Casualties not known.": an incident report with its toll
    if gate:
        log.debug("skip (%s): %s", gate, text[:60])
        return None
    why = irrealis(trig)
    if why == "infinitive 'to'" and _purpose_of_crowd_action(decision, trig):
        why = None
    if why and decision.cue == "intervention":
        # marchers who ask to be detained, or ask why someone was not: the detention is not real, the march is
        crowd = _crowd_fallback(text, decision)
        if crowd is not None:
            log.debug("intervention %r is %s; the protest cue stands: %s", decision.trigger, why, text[:60])
            return _finish(sent, text, crowd, _token_at(sent, base + crowd.trigger_start), agent, agent_span,
                           patient_span, armed_in=armed_in, armed_group_in=armed_group_in)
    if why:
        log.debug("skip (%s): %s", why, text[:60])
        return None
    if AGGREGATE.search(text) and decision.cue not in ("protest", "riot", "displace_figure"):
        log.debug("skip (aggregate): %s", text[:60])
        return None
    t0 = base + decision.trigger_start
    return Detection(
        decision=decision, sent_start=base, sent_end=sent.end_char, trigger_start=t0,
        trigger_end=t0 + len(decision.trigger), trigger_token=trig, agent=agent_span, patient=patient_span,
        perfect=_perfect(trig), anaphoric=bool(ANAPHORA.search(text)), new_incident=bool(NEW_INCIDENT.search(text)),
    )
