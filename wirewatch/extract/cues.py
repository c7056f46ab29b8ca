"""Cue lexicons of event detection and ACLED typing: the regular expressions that find a
violence, protest or strategic-development cue in a sentence (:data:`CUES`), and the word lists
that qualify it (victims, armed sides, irrealis, context gates).

:mod:`.subtypes` decides the ACLED type from which cues fire; :mod:`.events` reads the parse.
"""

from __future__ import annotations

import re


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
                  r"\bclos(?:ed|ing) in on\b|\boperations? (?:\w+ ){1,3}against\b|\brepulsed|\brepelled|\bshoot-?outs?\b|\bcrossfire|\boperations? (?:against|by|in)\b|\binfiltrat|"
                  r"\battack(?:s|ed|ing)? (?:on |against |by )?(?:\w+ ){0,5}(?:check ?points?|posts?|bases?|barracks|"
                  r"convoys?|patrols?|positions?|troops|soldiers|police|forces|army|military|outposts?|security|"
                  r"camps?)"),
    "kill": _rx(r"\bkill(?:ed|s|ing)?\b|\bshot\b|\bshoot(?:ing|s)?\b(?!-?outs?\b)|\bmurder|\bbehead|\bexecut(?:ed|ion|ions)\b|"
                r"\bmassacre|\bslain\b|\bslaughter|\bhack(?:ed)? to death|\bstabb|\bdied\b|\bdead\b|\bbod(?:y|ies)\b|"
                r"\bgunned down|\bopen(?:ed|s)? gun-?fire\b|\b(?:whipped|flogged)\b(?! up)|\beliminat(?:ed|es|ing) (?:\w+ ){0,4}(?:commanders?|leaders?|militants?|terrorists?|fighters?|members?|"
                r"insurgents?|jihadists?|rebels?|gunmen|attackers|\d+)\b|\bopened fire|\bfired (?:(?:with )?(?:[\w-]+ ){0,2}(?:arms|weapons?|guns?|rifles?|rounds|bullets|shots|ammunition|grenades?) )?(?:on|at)\b|\battack(?:ed|s|ing)?\b|\bassault(?:ed)?\b|"
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
PASSIVE_BY = _rx(r"\bby (?:\w+[ -]){0,5}?(?:gunmen|assailants|attackers|men|militants?|militia(?:men)?|soldiers|"
                  r"troops|police(?:men)?|officers?|forces|fighters|rebels|members|group|army)\b")


# a headline-style subject with no article: "Malian guard killed near depot", "old farmer killed and ..."
ENDS_WITH_PERSON = _rx(r"\b(?:soldiers?|policem[ae]n|police officers?|officers?|militiam[ae]n|fighters?|rebels?|"
                        r"gunm[ae]n|guards?|commanders?|civilians?|wom[ae]n|m[ae]n|child(?:ren)?|girls?|boys?|"
                        r"farmers?|traders?|students?|villagers?|residents?|herders?|herdsm[ae]n|journalists?)$")

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


# A fight whose sides are unarmed crowds (ACLED: a riot, not a battle between organised armed groups)
CROWD_SIDE = _rx(r"\b(?:supporters|cadres|students|pupils|residents|villagers|farmers|miners|drivers|traders|vendors|"
                 r"activists|youths?|protesters|demonstrators|rioters|fans|inhabitants|community members|party members|"
                 r"comrades|workers|intra-party|rival (?:camps|factions|groups)|opposing (?:\w+ )?(?:camps|factions|groups)|"
                 r"political groups|members of (?:the )?(?-i:[A-Z]{2,}))\b")
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
                     r"militia(?:s|men)?|gunmen|terrorists?|AQIM|ADF|FDLR|Mayi[- ]Mayi|Mai[- ]Mai|Anti-?Balaka|"
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
    r"political groups|sub-?clans?|Fulanis?|herds(?:men|man)|"
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
    r"hurt|victims?|robbed|Imbonerakure|Anti-?Balaka|Seleka|Mayi[- ]Mayi|Mai[- ]Mai|Renamo|"
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
# a sentence that is a count of the dead or hurt and nothing more: "Nine dead reported.", "One death reported.",
# "At least 3 people killed." (a headline-style toll after the incident's sentence)
TOLL_COUNT = _rx(r"\s*(?:(?:at least|about|around|some|over|more than|up to|nearly|almost)\s+)?"
                 r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|dozens|several|"
                 r"many)\s+(?:[a-z]+\s+){0,2}?(?:dead|killed|deaths?|died|injured|wounded|casualties|fatalities)\b"
                 r"(?:\s+(?:were\s+|was\s+)?(?:reported|confirmed|recorded))?\s*[.;]?\s*$")

# Fire observed or counted (ceasefire monitors' reports): "recorded 14 explosions", "observed 2 projectiles".
OBSERVED_FIRE = _rx(r"\b(?:observed|recorded|registered|counted|heard|reported)\b")
# Films, books and games: a shoot-out on screen is not an event.
FICTION = _rx(r"\b(?:films?|movies?|novels?|video ?games?|screenplay|sitcom|box office|premiere|starring)\b")
# Gunfire between armed sides, named as such: no further sign of an armed actor is needed.
GUNFIGHT = _rx(r"\b(?:shoot-?outs?|gun ?fights?|fire ?fights?|gun ?battles?|exchanges? of (?:gun)?fire|crossfire)\b")
