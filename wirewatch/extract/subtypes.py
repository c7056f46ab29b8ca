"""ACLED type and sub-type of a piece of text, from the cue lexicons of :mod:`.cues`.

:func:`type_text` decides the ACLED type / sub-type of a piece of text from cue
lexicons, in the codebook's order of precedence (weapon first: a suicide
attack is a Suicide bomb even when shots were fired; then territory, then the
target: armed opponents make a Battle, civilians Violence against civilians;
then demonstrations and strategic developments).  Every decision carries the
cue and the rule that fired, so it can be explained from the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..nlp.regexgate import fold, may_match
from .cues import (
    _ENDS_WITH_PERSON, _I, _PASSIVE_BY, ARMED, ARMED_GROUP, CIVILIAN, CROWD_FIGHT, CROWD_SIDE, CUES,
    NO_FIGHT, NON_STATE_SIDE, NONVIOLENT, NOT_YET_PROTEST, ONE_SIDED, REFUGEE, STATE_SIDE, SUPPORTING, TWO_SIDED_FIRE,
    UNARMED, WEAK_CIVILIAN,
)


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
