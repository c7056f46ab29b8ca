"""A learned second opinion on the rule typer: a small linear model over the evidence words.

The rules in :mod:`~wirewatch.extract.events` decide the ACLED type from cue lexicons and
the parse.  Where the cue is ambiguous about the *target* (was it armed personnel or
civilians?) or about the weapon (a word like "explosives" in a raid story), a multinomial
logistic model over the evidence's words and the rule's own cue (weights in
``wirewatch/data/typer.json``, trained offline by ``scripts/train_typer.py`` on the train
part of the ACLED dev rows) may move the event to another type when it is confident.

Codebook limits the model cannot cross, whatever its weights say:

- an explicit weapon cue (suicide attacker, aircraft, chemical agent, hand grenade, a bomb,
  mine or mortar named as such) keeps its type: ACLED types by weapon first; only a bare
  "explosives", "blast" or "rockets" may be read otherwise;
- force against protesters stays a protest and a mob stays a riot (today's codebook; the
  2016 data coded both as violence against civilians);
- displacement is never created from another type's cue, a strategic development only from
  a cue that names its sub-type (arrests, looting, ...), and a protest or riot only from a
  clash or killing cue whose evidence names an unarmed crowd (protesters, students, party
  supporters, residents, ...) and no armed group: a "clash" between party cadres or between
  police and students is a riot, not a battle (armed, organised sides only).

Every override is explained in the mention's rationale: the model's version, its
probability and the features that pushed hardest towards the new type.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import WirewatchError

log = logging.getLogger(__name__)

MODEL_NAME = "typer.v1"
CLASSES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests|Riots",
           "Strategic developments")
# Cues whose type the model may revise (ambiguous about target or weapon).  "transfer" (a withdrawal
# or hand-over) is left to the rules: 5-fold cross-validation on the train part showed the model's
# revisions of it losing more rows than they won.
REVISABLE = frozenset({"kill", "battle", "ied", "shell", "abduct", "arrest", "loot", "territory", "captured_name",
                       "weapons_found", "change", "hq", "agreement"})
# Weapon cues are revisable only when the word does not name the weapon's kind ("explosives
# were found", "a blast was heard", "rockets" in a firefight); "car bomb", "IED", "mortar" stay.
WEAK_WEAPON_WORD = re.compile(r"(?i)^(?:explosi\w*|blasts?|bombed|bombings?|detonat\w*|blew up|rockets?|missiles?|"
                              r"projectiles?)$")
# Types the model may move an event to, from a revisable cue.
TARGETS = frozenset({"Battles", "Violence against civilians", "Explosions/Remote violence", "Strategic developments",
                     "Protests|Riots"})
# A protest or riot may come only from these cues, and only when the evidence names a crowd.
CROWD_CUES = frozenset({"battle", "kill"})
CROWD = re.compile(r"(?i)\b(?:protest\w*|demonstrat\w*|marchers|rioters?|riot(?:ing|ed)?|students?|supporters|"
                   r"cadres|activists|youths?|residents|villagers|locals|traders|vendors|workers|party members|"
                   r"crowds?|mobs?|communit(?:y|ies)|inhabitants|fans|taxi drivers|motorists|"
                   r"intra-party|rally|rallies)\b")
NOT_CROWD = re.compile(r"(?i)\b(?:militants?|rebels?|insurgents?|jihadists?|gunmen|armed (?:men|group|bandits)|"
                       r"bandits|militias?|militiamen|soldiers|troops|army|al-Shabaa?b|Boko Haram|AQIM|fighters|"
                       r"pirates|poachers|herders|Fulani)\b")
_WORD = re.compile(r"[a-z][a-z'-]*|\d[\d,.]*")
_STOP = frozenset("a an the of in on at to and or by for with from was were is are be been has have had its their "
                  "his her it they he she that this which who as".split())


class TyperModelError(WirewatchError, ValueError):
    """The typer's weight file is missing or malformed."""

    hint = "re-create it with: .venv/bin/python scripts/train_typer.py (or delete it to use the rules alone)"


def features(text: str, *, cue: str, event_type: str, rule: str = "") -> list[str]:
    """Sparse binary features of one evidence text and the rule's decision (``rule``: the sentence
    saying why the rules chose their type, e.g. whether the victims were named as civilians)."""
    words = [("<num>" if w[0].isdigit() else w) for w in _WORD.findall(text.lower().replace("\xa0", " "))]
    feats = {"bias", f"cue={cue}", f"rule={event_type}"}
    if rule:
        feats.add(f"why={rule}")
    content = [w for w in words if w not in _STOP]
    feats.update(f"w={w}" for w in content)
    feats.update(f"b={a}_{b}" for a, b in zip(words, words[1:]))
    return sorted(feats)


@dataclass(frozen=True, slots=True)
class Typer:
    """Multinomial logistic weights: feature -> one weight per class."""

    weights: dict[str, tuple[float, ...]]
    threshold: float
    name: str = MODEL_NAME

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Typer:
        if tuple(data.get("classes", ())) != CLASSES:
            raise TyperModelError(f"typer weights list classes {data.get('classes')}, expected {list(CLASSES)}")
        weights = {f: tuple(float(x) for x in w) for f, w in data["weights"].items()}
        if any(len(w) != len(CLASSES) for w in weights.values()):
            raise TyperModelError("a typer weight row does not have one weight per class")
        return cls(weights=weights, threshold=float(data["threshold"]), name=data.get("name", MODEL_NAME))

    def to_json(self, **meta: Any) -> dict[str, Any]:
        return {"name": self.name, "classes": list(CLASSES), "threshold": self.threshold, **meta,
                "weights": {f: [round(x, 3) for x in w] for f, w in sorted(self.weights.items())}}

    def scores(self, feats: list[str]) -> list[float]:
        out = [0.0] * len(CLASSES)
        for f in feats:
            w = self.weights.get(f)
            if w is not None:
                for k, x in enumerate(w):
                    out[k] += x
        return out

    def probabilities(self, feats: list[str]) -> list[float]:
        s = self.scores(feats)
        top = max(s)
        e = [math.exp(x - top) for x in s]
        z = sum(e)
        return [x / z for x in e]

    def top_features(self, feats: list[str], k_new: int, k_old: int, n: int = 3) -> list[tuple[str, float]]:
        """The features that pushed hardest from class ``k_old`` towards ``k_new``."""
        pushes = [(f, self.weights[f][k_new] - self.weights[f][k_old]) for f in feats if f in self.weights]
        pushes = [p for p in pushes if p[0] != "bias"]
        return sorted(pushes, key=lambda p: -p[1])[:n]


@lru_cache(maxsize=1)
def load_typer() -> Typer | None:
    """The shipped model, or None when no weight file is installed (the rules then decide alone)."""
    try:
        raw = resources.files("wirewatch").joinpath("data", "typer.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        log.info("no typer weights (wirewatch/data/typer.json): event types come from the rules alone")
        return None
    try:
        return Typer.from_json(json.loads(raw))
    except (KeyError, TypeError, ValueError) as exc:
        raise TyperModelError(f"cannot read wirewatch/data/typer.json: {exc}") from exc


def _class_of(event_type: str) -> str:
    return "Protests|Riots" if event_type in ("Protests", "Riots") else event_type


_EXPLOSION_SUB = {"shell": "Shelling/artillery/missile attack", "grenade": "Grenade", "air": "Air/drone strike",
                  "suicide": "Suicide bomb", "chemical": "Chemical weapon"}
_SD_SUB = {"arrest": "Arrests", "loot": "Looting/property destruction", "transfer": "Non-violent transfer of territory",
           "weapons_found": "Disrupted weapons use", "disrupted": "Disrupted weapons use",
           "device_found": "Disrupted weapons use", "agreement": "Agreement",
           "change": "Change to group/activity", "hq": "Headquarters or base established"}


def _crowd_type(dec: Any, text: str) -> tuple[str, str]:
    """Protest or riot, and its sub-type, for a crowd event the model found behind a clash or killing cue."""
    if re.search(r"(?i)\bmobs?\b|\blynch|\bjungle justice", text):
        return "Riots", "Mob violence"
    if dec.cue == "kill" and re.search(r"(?i)\bprotest|\bdemonstrat|\bmarchers", text) and \
            re.search(r"(?i)\bpolice|\bsecurity forces|\bsoldiers|\btroops|\bgendarme", text):
        return "Protests", "Excessive force against protesters"
    return "Riots", "Violent demonstration"


def _sub_type(new: str, dec: Any) -> str:
    if new == "Battles":
        return dec.sub_event_type if dec.event_type == "Battles" else "Armed clash"
    if new == "Violence against civilians":
        return {"abduct": "Abduction/forced disappearance", "sexual": "Sexual violence"}.get(dec.cue, "Attack")
    if new == "Explosions/Remote violence":
        return _EXPLOSION_SUB.get(dec.cue, "Remote explosive/landmine/IED")
    return _SD_SUB.get(dec.cue, "Other")


def retype(dec: Any, text: str, *, typer: Typer | None) -> Any:
    """``dec`` (a :class:`~wirewatch.extract.events.TypeDecision`) or the model's revision of it.

    The revision keeps the rule's cue and trigger and says in its ``rule`` why the type changed.
    """
    if typer is None or dec.cue not in REVISABLE:
        return dec
    if dec.cue in ("ied", "shell") and not WEAK_WEAPON_WORD.match(dec.trigger.strip()):
        return dec
    feats = features(text, cue=dec.cue, event_type=dec.event_type, rule=dec.rule)
    probs = typer.probabilities(feats)
    k = max(range(len(CLASSES)), key=probs.__getitem__)
    new = CLASSES[k]
    old = _class_of(dec.event_type)
    if new == old or new not in TARGETS or probs[k] < typer.threshold:
        return dec
    if new == "Strategic developments" and dec.cue not in _SD_SUB:
        return dec  # a strategic development needs its own cue (arrest, looting, ...) to name its sub-type
    if new == "Protests|Riots" and (dec.cue not in CROWD_CUES or not CROWD.search(text) or NOT_CROWD.search(text)):
        return dec  # a protest or riot needs an unarmed crowd in the evidence and no armed group
    new_type, new_sub = _crowd_type(dec, text) if new == "Protests|Riots" else (new, _sub_type(new, dec))
    k_old = CLASSES.index(old) if old in CLASSES else k
    why = ", ".join(f"{f} {w:+.2f}" for f, w in typer.top_features(feats, k, k_old))
    return dataclasses.replace(
        dec, event_type=new_type, sub_event_type=new_sub,
        rule=f"{MODEL_NAME} p={probs[k]:.2f} for {new_type} over the rules' {dec.event_type} ({dec.rule}); "
             f"strongest evidence: {why}")
