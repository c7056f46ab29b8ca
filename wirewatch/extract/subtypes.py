"""ACLED type and sub-type of a piece of text, from the cue lexicons of :mod:`.cues`.

:func:`type_text` decides the ACLED type / sub-type of a piece of text by the
first row of :data:`RULES` that holds, an ordered table in the codebook's order
of precedence (weapon first: a suicide attack is a Suicide bomb even when shots
were fired; then territory, then the target: armed opponents make a Battle,
civilians Violence against civilians; then demonstrations and strategic
developments).  Every decision carries the cue and the rule that fired, so it
can be explained from the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..nlp.regexgate import fold, may_match
from .cues import (
    ENDS_WITH_PERSON, PASSIVE_BY, ARMED, ARMED_GROUP, CIVILIAN, CROWD_FIGHT, CROWD_SIDE, CUES,
    NO_FIGHT, NON_STATE_SIDE, NONVIOLENT, NOT_YET_PROTEST, ONE_SIDED, REFUGEE, STATE_SIDE, SUPPORTING, TWO_SIDED_FIRE,
    UNARMED, WEAK_CIVILIAN,
)

_I = re.IGNORECASE


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
                                   before) or ENDS_WITH_PERSON.search(before)):
                return PASSIVE_BY.sub(" ", text[:m.start()])
            return after
    return PASSIVE_BY.sub(" ", text)


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


class _Cues:
    """The cues that fired in a text, with the facts the rules test, each worked out once when first asked."""

    def __init__(self, text: str, agent_state: bool | None, patient: str | None, calm_next: bool) -> None:
        self.text, self.agent_state, self.patient, self.calm_next = text, agent_state, patient, calm_next
        self.hit = _find_cues(text)
        self.armed_fight = "battle" in self.hit

    def __contains__(self, cue: str) -> bool:
        return cue in self.hit

    def search(self, pattern: str) -> bool:
        return bool(re.search(pattern, self.text, _I))

    @cached_property
    def fight_or_kill(self) -> bool:
        return self.armed_fight or "kill" in self.hit

    @cached_property
    def quiet_kill(self) -> bool:
        """No fight and no killing cue (a territory change or a find can be non-violent)."""
        return not self.armed_fight and "kill" not in self.hit

    @cached_property
    def kill_or_battle(self) -> str:
        return "kill" if "kill" in self.hit else "battle"

    @cached_property
    def exchange(self) -> bool:
        return _exchange(self.text)

    @cached_property
    def protest(self) -> bool:
        return "protest" in self.hit or "riot_word" in self.hit

    @cached_property
    def ied(self) -> bool:
        """A bomb or mine cue that is not "explosions" amid a clash, nor mines laid in a territory change."""
        if "ied" not in self.hit:
            return False
        word = self.hit["ied"].group(0).lower()
        return not (word == "explosions" and self.search(r"clash|gunfire")) \
            and not ("mine" in word and ("territory" in self.hit or "captured_name" in self.hit))

    @cached_property
    def territory(self) -> bool:
        return "territory" in self.hit or ("captured_name" in self.hit and "arrest" not in self.hit)

    @cached_property
    def territory_cue(self) -> str:
        return "territory" if "territory" in self.hit else "captured_name"

    @cached_property
    def calm(self) -> re.Match[str] | None:
        return NONVIOLENT.search(self.text)

    @cached_property
    def victims(self) -> str:
        return self.patient if self.patient is not None else _victim_text(self.text, self.hit)

    @cached_property
    def unarmed(self) -> bool:
        return bool(UNARMED.search(self.victims))

    @cached_property
    def civ(self) -> bool:
        return bool(CIVILIAN.search(self.victims)) or self.unarmed

    @cached_property
    def weak_only(self) -> bool:
        return self.civ and not self.unarmed and not CIVILIAN.search(WEAK_CIVILIAN.sub(" ", self.victims))

    @cached_property
    def armed(self) -> bool:
        return bool(ARMED.search(self.victims)) and not self.unarmed

    @cached_property
    def two_sided(self) -> bool:
        return self.search(r"\bclash|\bexchange|\bfought|\bfighting|\bgun ?(?:fight|battle)|\bfirefight|"
                           r"\brepulse|\brepel|\bretaliat|\bfought back")

    @cached_property
    def one_sided(self) -> bool:
        return bool(ONE_SIDED.search(self.text))


def _find_cues(text: str) -> dict[str, re.Match[str]]:
    """The first match of every cue lexicon in ``text``; a battle cue the text rules out does not count."""
    hit: dict[str, re.Match[str]] = {}
    folded = fold(text)  # speed: a cue's regex runs only where a literal it needs occurs (same hits)
    for name, rx in CUES.items():
        m = rx.search(text) if may_match(rx, folded) else None
        if m:
            hit[name] = m
    if "battle" in hit and NO_FIGHT.search(text):
        # "no armed clashes were reported": a fight the text rules out is no battle cue
        negated = [(m.start(), m.end()) for m in NO_FIGHT.finditer(text)]
        rest = [m for m in CUES["battle"].finditer(text) if not any(a <= m.start() < b for a, b in negated)]
        if rest:
            hit["battle"] = rest[0]
        else:
            del hit["battle"]
    return hit


# -- named side conditions of the rules below --

def _disrupted(c: _Cues) -> bool:
    # weapons seized in the course of a fight or a killing belong to that fight, not to a disruption
    return "disrupted" in c and not (
        c.fight_or_kill and c.search(r"\bkill(?:ed|ing|s)?\b|\bdead\b|\bclash|\bfought\b|\bgun ?fight"))


def _device_found(c: _Cues) -> bool:
    return "device_found" in c and not c.search(r"\bexplo(?:ded|sions?)\b|\bblasts?\b|\bwent off\b|\bkill|\binjur|"
                                                r"\bwound|\bdead\b|\bdied\b|\bclash|\bthrown\b|\bhurled\b")


def _air(c: _Cues) -> bool:
    """From the air, unless the aircraft only supported a ground force taking a place."""
    return "air" in c and not (("territory" in c or "captured_name" in c) and bool(SUPPORTING.search(
        c.text[max(0, c.hit["air"].start() - 60):c.hit["air"].start()])))


def _arrest_before_protest(c: _Cues) -> bool:
    """Arrests over a protest planned, banned or not yet held."""
    return "intervention" in c and "protest" in c and bool(re.match(r"(?i)arrest|detain", c.hit["intervention"].group(0))) \
        and bool(NOT_YET_PROTEST.search(c.text[:c.hit["protest"].start()]))


def _shell(c: _Cues) -> bool:
    """Shells fired outside a fight, or named as the means ("fired with mortars") without an exchange of fire."""
    if "shell" not in c:
        return False
    if not c.armed_fight:
        return True
    return bool(re.search(r"\b(?:with|using|fired|firing|launched|launching|lobbed)\s+(?:[\w-]+\s+){0,2}$",
                          c.text[:c.hit["shell"].start()], _I)) and not c.exchange


def _abduction(c: _Cues) -> bool:
    """A kidnapping, not a hostage rescue, a state arrest or a fight's exchange of fire."""
    if "abduct" not in c:
        return False
    m = c.hit["abduct"]
    rescued = m.group(0).lower().startswith("hostage") and re.search(
        r"\b(?:rescu\w*|free[sd]?|freeing|releas\w*|liberat\w*) (?:[\w,]+ ){0,3}$", c.text[:m.start()], _I)
    return not rescued and not (c.agent_state and "arrest" in c) and not (c.armed_fight and c.exchange)


def _abuse_in_custody(c: _Cues) -> bool:
    return "arrest" in c and c.search(r"\btortur|\bbeat(?:en)?\b|\bdied in (?:detention|custody)|\bextra-?judicial|"
                                      r"\bfound dead|\bforcibly disappeared|\bto death\b")


def _arrests(c: _Cues) -> bool:
    killing = c.search(r"\b(?:kill|killed|kills|killing|shot dead|murdered|beheaded)\b")
    return "arrest" in c and not c.armed_fight and not (killing and "kill" in c)


def _crowd_damage(c: _Cues) -> bool:
    return "crowd_damage" in c and "kill" not in c and not ARMED_GROUP.search(c.text) \
        and not ARMED.search(c.hit["crowd_damage"].group(0))


def _crowd_fight(c: _Cues) -> bool:
    return c.armed_fight and bool(CROWD_SIDE.search(c.text)) and not ARMED_GROUP.search(c.text) \
        and bool(CROWD_FIGHT.fullmatch(c.hit["battle"].group(0)))


def _armed_fight(c: _Cues) -> bool:
    """A fight, unless its only targets are civilians (weak civilian words count only for an ambush or raid)."""
    if not c.armed_fight:
        return False
    one_sided_raid = re.fullmatch(r"(?i)ambush(?:ed|es)?|raid(?:ed|s)?", c.hit["battle"].group(0))
    return not (c.civ and not c.armed and not c.two_sided and (not c.weak_only or bool(one_sided_raid)))


def _protest_weak(c: _Cues) -> bool:
    return "protest_weak" in c and "kill" not in c and "battle" not in c


def _weak_riot(c: _Cues) -> bool:
    return "riot_word" in c or ("riot" in c and c.search(r"\bloot|\bburn|\bset |\bthr(?:ew|owing)|\bvandal|\btorched"))


def _has(cue: str) -> Callable[[_Cues], bool]:
    return lambda c: cue in c


@dataclass(frozen=True, slots=True)
class _Rule:
    """One row of the ladder: when ``when`` holds, the text is ``event_type`` / ``sub_event_type``."""

    when: Callable[[_Cues], bool]
    event_type: str
    sub_event_type: str
    cue: str | Callable[[_Cues], str]  # the cue whose words are the trigger
    rule: str
    strength: int | Callable[[_Cues], int] = 2
    trigger: Callable[[_Cues], re.Match[str]] | None = None  # when the trigger is not ``hit[cue]``


_SD, _ER, _VAC = "Strategic developments", "Explosions/Remote violence", "Violence against civilians"

# The codebook's order of precedence; the first rule that holds decides.
RULES: tuple[_Rule, ...] = (
    _Rule(_disrupted, _SD, "Disrupted weapons use", "disrupted",
          "explosives defused, seized or detonated prematurely: disrupted weapons use"),
    _Rule(_device_found, _SD, "Disrupted weapons use", "device_found",
          "an explosive device was found or made safe before it went off: disrupted weapons use"),
    _Rule(_has("chemical"), _ER, "Chemical weapon", "chemical", "a chemical agent was used"),
    _Rule(_has("suicide"), _ER, "Suicide bomb", "suicide",
          "a suicide attacker (bomber, vest or vehicle): suicide bomb, even with gunfire"),
    _Rule(_air, _ER, "Air/drone strike", "air", "bombing from aircraft or drones"),
    # organised vigilante groups are militias (ACLED): their violence is typed by its target, not as a mob's
    _Rule(_has("mob"), "Riots", "Mob violence", "mob", "a mob or angry crowd attacked: mob violence"),
    # a demonstration (a protest or riot word)
    _Rule(lambda c: c.protest and "excessive" in c, "Protests", "Excessive force against protesters", "excessive",
          "forces killed or shot protesters: excessive force"),
    _Rule(lambda c: c.protest and ("riot" in c or "riot_word" in c), "Riots", "Violent demonstration",
          lambda c: "riot" if "riot" in c else "riot_word",
          "demonstrators used violence or destroyed property: violent demonstration"),
    _Rule(lambda c: c.protest and _arrest_before_protest(c), _SD, "Arrests",
          lambda c: "arrest" if "arrest" in c else "intervention",  # ("arrestees": the intervention cue's word)
          "people were arrested over a protest planned, banned or not yet held: arrests"),
    _Rule(lambda c: c.protest and "intervention" in c, "Protests", "Protest with intervention", "intervention",
          "a protest dispersed, tear-gassed or arrested: protest with intervention"),
    _Rule(lambda c: c.protest, "Protests", "Peaceful protest", "protest",
          "a demonstration without violence or intervention"),
    # a bomb or mine
    _Rule(lambda c: c.ied and c.exchange, "Battles", "Armed clash", "ied",
          "a bomb or mine set off as part of an ambush or exchange of fire: the blast belongs to an armed clash"),
    _Rule(lambda c: c.ied, _ER, "Remote explosive/landmine/IED", "ied",
          "a bomb, mine or explosive device without a suicide attacker: remote explosive"),
    # a place changed hands
    _Rule(lambda c: c.territory and bool(c.calm or ("transfer" in c and c.quiet_kill)),
          _SD, "Non-violent transfer of territory", "transfer", "territory changed hands without fighting",
          trigger=lambda c: c.hit.get("transfer") or c.calm),
    _Rule(lambda c: c.territory and c.calm_next and c.quiet_kill, _SD, "Non-violent transfer of territory",
          lambda c: c.territory_cue, "territory changed hands; the next sentence says there was no fighting"),
    _Rule(lambda c: c.territory and bool(c.agent_state), "Battles", "Government regains territory",
          lambda c: c.territory_cue, "state forces took (back) a place: government regains territory"),
    _Rule(lambda c: c.territory and c.agent_state is False, "Battles", "Non-state actor overtakes territory",
          lambda c: c.territory_cue, "a non-state group took a place: non-state actor overtakes territory"),
    _Rule(_shell, _ER, "Shelling/artillery/missile attack", "shell",
          "shells, mortars, rockets or missiles fired from a distance"),
    _Rule(_has("grenade"), _ER, "Grenade", "grenade", "a hand grenade was thrown"),
    _Rule(_has("sexual"), _VAC, "Sexual violence", "sexual", "sexual violence"),
    _Rule(_abduction, _VAC, "Abduction/forced disappearance", "abduct", "people were kidnapped or abducted: abduction"),
    _Rule(_abuse_in_custody, _VAC, "Attack", "arrest", "detainees were tortured, beaten or killed: violence against civilians"),
    _Rule(_arrests, _SD, "Arrests", "arrest", "people were arrested or detained: arrests"),
    _Rule(_crowd_damage, "Riots", "Violent demonstration", "crowd_damage",
          "a crowd (not an armed group) burned, wrecked or stormed property: violent demonstration"),
    # a fight or a killing: the target decides
    _Rule(lambda c: c.fight_or_kill and c.one_sided and not c.two_sided, _VAC, "Attack", lambda c: c.kill_or_battle,
          "a one-sided killing (assassination, execution, bodies found): attack"),
    _Rule(_crowd_fight, "Riots", "Violent demonstration", "battle",
          "crowds (party supporters, students, residents) fought each other or the police: riot"),
    _Rule(_armed_fight, "Battles", "Armed clash", "battle", "armed groups fought (clash, ambush, attack on forces)"),
    _Rule(lambda c: c.fight_or_kill and c.civ and not c.armed, _VAC, "Attack", lambda c: c.kill_or_battle,
          "civilians were the target of the violence: attack on civilians",
          strength=lambda c: 2 if c.patient is not None else 1),
    _Rule(lambda c: c.fight_or_kill and c.armed, "Battles", "Armed clash", lambda c: c.kill_or_battle,
          "armed personnel were killed or attacked: armed clash", 1),
    _Rule(lambda c: "kill" in c and not c.civ and _two_sides(c.text), "Battles", "Armed clash", "kill",
          "two armed sides are named (state forces, armed groups), the victims are not named as civilians: armed clash", 1),
    _Rule(_has("kill"), _VAC, "Attack", "kill", "people were killed with no armed opponent named: attack", 1),
    # no violence
    _Rule(lambda c: "weapons_found" in c and c.quiet_kill, _SD, "Disrupted weapons use", "weapons_found",
          "weapons or explosives were found or seized: disrupted weapons use"),
    _Rule(_has("loot"), _SD, "Looting/property destruction", "loot", "property looted or destroyed"),
    _Rule(_has("hq"), _SD, "Headquarters or base established", "hq", "a base was set up"),
    _Rule(_has("transfer"), _SD, "Non-violent transfer of territory", "transfer", "a side withdrew or handed over territory"),
    _Rule(_has("agreement"), _SD, "Agreement", "agreement", "an agreement, truce or release was made"),
    _Rule(_has("change"), _SD, "Change to group/activity", "change",
          "a group surrendered, defected, merged or changed its activity"),
    _Rule(lambda c: "deploy" in c and not c.search(r"\b(?:kill|killed|dead|died|wounded|injured|attack(?:ed|s)?|fire|fired)\b"),
          _SD, "Other", "deploy", "troops or police were sent to a place: other strategic development"),
    _Rule(lambda c: "excessive" in c and c.search(r"\b(?:protest|demonstrat|them|they|crowd|students)"),
          "Protests", "Excessive force against protesters", "excessive",
          "forces used violence against people protesting (joins the protest it follows)", 1),
    # a group making demands (a weak protest word), without violence
    _Rule(lambda c: _protest_weak(c) and _weak_riot(c), "Riots", "Violent demonstration",
          lambda c: "riot_word" if "riot_word" in c else "riot",
          "a crowd making demands used violence or destroyed property: violent demonstration"),
    _Rule(lambda c: _protest_weak(c) and "intervention" in c, "Protests", "Protest with intervention", "intervention",
          "a crowd making demands was dispersed or arrested: protest with intervention"),
    _Rule(_protest_weak, "Protests", "Peaceful protest", "protest_weak",
          "a group gathered to make demands or express discontent: peaceful protest", 1),
    _Rule(lambda c: "displace" in c and bool(REFUGEE.search(c.text)), "Displacement", "Refugees", "displace",
          "people crossed a border fleeing: refugees"),
    _Rule(_has("displace"), "Displacement", "Internal displacement", "displace", "people fled their homes: displacement"),
    # who took the place decides the sub-type; the parse is asked next
    _Rule(_has("territory"), "Battles", "Armed clash", "territory", "a place changed hands; the taker is not yet known", 1),
)


def type_text(text: str, *, agent_state: bool | None = None, patient: str | None = None,
              calm_next: bool = False) -> TypeDecision | None:
    """ACLED type/sub-type of ``text`` by the first of :data:`RULES` that holds, or None when none does.

    ``agent_state`` says whether the agent is state forces (decides territory
    changes); ``patient`` is the text of the target noun phrase when the parse
    found one (decides Battle vs Violence against civilians); ``calm_next`` says the next
    sentence rules a fight out ("No clashes were reported."), which makes a territory change non-violent.
    """
    c = _Cues(text, agent_state, patient, calm_next)
    for r in RULES:
        if r.when(c):
            cue = r.cue if isinstance(r.cue, str) else r.cue(c)
            m = r.trigger(c) if r.trigger is not None else c.hit[cue]
            strength = r.strength if isinstance(r.strength, int) else r.strength(c)
            return TypeDecision(r.event_type, r.sub_event_type, cue, m.group(0), m.start(), r.rule, strength)
    return None
