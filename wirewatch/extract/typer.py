"""The learned sub-event typer: a linear model that decides between ACLED's 25 sub-types.

The rules in :mod:`~wirewatch.extract.events` decide *whether* a sentence reports a current
event (background, forecasts, negation, habitual and hypothetical readings stay theirs) and
propose a type from their cue.  This model then decides *which* sub-type the event is, from
the evidence's words and word pairs and the rules' own cue and sub-type (as features: the
model learns where the rules are reliable).  Two multinomial logistic heads:

- ``sub``: the 25 sub-types of today's codebook (trained on the 2020 notes);
- ``kind``: the five event types, Protests and Riots as one (trained on every note,
  the 2016 ones too, whose types but not sub-types are known).

The event type is the ``kind`` head's choice -- or the ``sub`` head's own type when the
kind head is absent -- and the sub-type the ``sub`` head's most probable sub-type of that
type.  Weights live in ``wirewatch/data/typer.json`` (``scripts/train_typer.py`` rebuilds
it from the dev notes, deterministically; ``WIREWATCH_TYPER`` names another file).

Where the rules are more precise the model does not overrule them: ``Displacement``
(wirewatch's extension, not ACLED's), a weapon that is its own sub-type (suicide bomb, air
strike, chemical weapon, grenade), territory changing hands (who took it, whether there was
fighting) and force used on protesters (who intervened, how) are never revised; a cue that
names a bomb or artillery (a car bomb, mortars; not a bare "blast" or "rockets") keeps its
type, since ACLED types by weapon first, and the model chooses only among its sub-types.  The model
revises only when its confidence (the kind head's probability times the sub-type's share
of it) reaches the threshold ``scripts/train_typer.py`` chose by cross-validation.  Every
revision is explained in the mention's rationale: the model's version, its probability and
the features that pushed hardest towards its choice.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import WirewatchError

log = logging.getLogger(__name__)

MODEL_NAME = "typer.v2"
# ACLED's sub-event types (codebook 2019+) and the event type each belongs to.
SUB_TYPES: dict[str, str] = {
    "Armed clash": "Battles", "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence", "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence", "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence", "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians", "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests", "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots", "Mob violence": "Riots",
    "Agreement": "Strategic developments", "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments", "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments", "Other": "Strategic developments",
}
KINDS = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests|Riots",
         "Strategic developments")
# Cues that name a weapon: ACLED types by weapon first, the model only picks the sub-type.
WEAPON_CUES = frozenset({"ied", "shell"})
# ... unless the cue's word does not name the weapon's kind ("explosives were found", "a blast
# was heard", "rockets" in a firefight): then the model may choose the type too.
WEAK_WEAPON_WORD = re.compile(r"(?i)^(?:explosi\w*|blasts?|bombed|bombings?|detonat\w*|blew up|rockets?|missiles?|"
                              r"projectiles?|fired|shot|opened fire)$")
# Cues the rules decide alone: a weapon that is its own sub-type (a suicide bomber, an air strike,
# a chemical agent, a grenade); territory changing hands (who took it, was there fighting); force
# used on a protest (who intervened, how): each read from the parse, and rare in the training notes.
RULE_CUES = frozenset({"suicide", "air", "chemical", "grenade", "territory", "transfer", "intervention", "excessive"})
_WORD = re.compile(r"[a-z][a-z'-]*|\d[\d,.]*")
_STOP = frozenset("a an the of in on at to and or by for with from was were is are be been has have had its their "
                  "his her it they he she that this which who as".split())


class TyperModelError(WirewatchError, ValueError):
    """The typer's weight file is missing or malformed."""

    hint = "re-create it with: .venv/bin/python scripts/train_typer.py (or delete it to use the rules alone)"


def kind_of(event_type: str) -> str:
    """The kind head's class of an event type (Protests and Riots are one)."""
    return "Protests|Riots" if event_type in ("Protests", "Riots") else event_type


def features(text: str, *, cue: str, rule_sub: str) -> list[str]:
    """Sparse binary features: the evidence's content words and word pairs, the rules' cue and sub-type."""
    words = [("<num>" if w[0].isdigit() else w) for w in _WORD.findall(text.lower().replace("\xa0", " "))]
    feats = {f"cue={cue}", f"rule={rule_sub}"}
    feats.update(f"w={w}" for w in words if w not in _STOP)
    feats.update(f"b={a}_{b}" for a, b in zip(words, words[1:]))
    return sorted(feats)


@dataclass(frozen=True, slots=True)
class Head:
    """One multinomial logistic head: classes, intercepts, feature -> one weight per class."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    @classmethod
    def from_json(cls, data: dict[str, Any], *, scale: float) -> Head:
        classes = tuple(data["classes"])
        weights = {f: tuple(x / scale for x in w) for f, w in data["weights"].items()}
        if any(len(w) != len(classes) for w in weights.values()) or len(data["intercept"]) != len(classes):
            raise TyperModelError("a typer weight row does not have one weight per class")
        return cls(classes=classes, intercept=tuple(float(x) for x in data["intercept"]), weights=weights)

    def to_json(self, *, scale: float) -> dict[str, Any]:
        return {"classes": list(self.classes), "intercept": [round(x, 4) for x in self.intercept],
                "weights": {f: [round(x * scale) for x in w] for f, w in sorted(self.weights.items())}}

    def probabilities(self, feats: list[str]) -> list[float]:
        s = list(self.intercept)
        for f in feats:
            w = self.weights.get(f)
            if w is not None:
                for k, x in enumerate(w):
                    s[k] += x
        top = max(s)
        e = [math.exp(x - top) for x in s]
        z = sum(e)
        return [x / z for x in e]

    def top_features(self, feats: list[str], k: int, n: int = 3) -> list[tuple[str, float]]:
        """The features that pushed hardest towards class ``k`` (over the mean of the others)."""
        out = []
        for f in feats:
            w = self.weights.get(f)
            if w is not None:
                out.append((f, w[k] - (sum(w) - w[k]) / (len(w) - 1)))
        return sorted(out, key=lambda p: -p[1])[:n]


@dataclass(frozen=True, slots=True)
class Prediction:
    event_type: str
    sub_event_type: str
    probability: float  # the sub head's probability of the sub-type, among its type's sub-types
    evidence: list[tuple[str, float]]


@dataclass(frozen=True, slots=True)
class Typer:
    """The two heads (``kind`` may be None: the sub head's type then decides)."""

    sub: Head
    kind: Head | None = None
    threshold: float = 0.0
    name: str = MODEL_NAME

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Typer:
        scale = float(data.get("scale", 1.0))
        sub = Head.from_json(data["sub"], scale=scale)
        if set(sub.classes) - set(SUB_TYPES):
            raise TyperModelError(f"typer sub-types {sorted(set(sub.classes) - set(SUB_TYPES))} are not ACLED's")
        kind = Head.from_json(data["kind"], scale=scale) if data.get("kind") else None
        if kind is not None and set(kind.classes) - set(KINDS):
            raise TyperModelError(f"typer kinds {kind.classes} are not {KINDS}")
        return cls(sub=sub, kind=kind, threshold=float(data.get("threshold", 0.0)), name=data.get("name", MODEL_NAME))

    def to_json(self, *, scale: float = 1000.0, **meta: Any) -> dict[str, Any]:
        return {"name": self.name, **meta, "threshold": self.threshold, "scale": scale, "sub": self.sub.to_json(scale=scale),
                "kind": self.kind.to_json(scale=scale) if self.kind else None}

    def predict(self, text: str, *, cue: str, rule_sub: str, kind: str | None = None) -> Prediction:
        """The most probable sub-type (of ``kind`` when given, else of the kind head's choice)."""
        feats = features(text, cue=cue, rule_sub=rule_sub)
        ps = self.sub.probabilities(feats)
        p_kind = 1.0
        if kind is None and self.kind is not None:
            pk = self.kind.probabilities(feats)
            best = max(range(len(pk)), key=pk.__getitem__)
            kind, p_kind = self.kind.classes[best], pk[best]
        allowed = [k for k, c in enumerate(self.sub.classes) if kind is None or kind_of(SUB_TYPES[c]) == kind]
        if not allowed:  # a kind whose sub-types the sub head never saw
            allowed = list(range(len(self.sub.classes)))
        k = max(allowed, key=ps.__getitem__)
        z = sum(ps[i] for i in allowed)
        sub = self.sub.classes[k]
        return Prediction(SUB_TYPES[sub], sub, p_kind * ps[k] / z, self.sub.top_features(feats, k))


@lru_cache(maxsize=4)
def _load(path: str | None) -> Typer | None:
    try:
        if path:
            raw = Path(path).read_bytes()
        else:
            raw = resources.files("wirewatch").joinpath("data", "typer.json.gz").read_bytes()
    except (FileNotFoundError, OSError):
        log.info("no typer weights (%s): event types come from the rules alone", path or "wirewatch/data/typer.json.gz")
        return None
    try:
        text = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        return Typer.from_json(json.loads(text))
    except (KeyError, TypeError, ValueError, OSError) as exc:
        raise TyperModelError(f"cannot read the typer weights {path or 'wirewatch/data/typer.json.gz'}: {exc}") from exc


def load_typer() -> Typer | None:
    """The shipped model (or the file ``WIREWATCH_TYPER`` names); None when there is none."""
    return _load(os.environ.get("WIREWATCH_TYPER") or None)


def _names_weapon(dec: Any) -> bool:
    return dec.cue in WEAPON_CUES and not WEAK_WEAPON_WORD.match((dec.trigger or "").strip())


def retype(dec: Any, text: str, *, typer: Typer | None) -> Any:
    """``dec`` (a :class:`~wirewatch.extract.subtypes.TypeDecision`) with the model's sub-type.

    The revision keeps the rule's cue and trigger and says in its ``rule`` why the type changed.
    """
    if typer is None or dec.event_type not in {*SUB_TYPES.values()} or dec.cue in RULE_CUES:
        return dec
    pred = typer.predict(text, cue=dec.cue, rule_sub=dec.sub_event_type,
                         kind=kind_of(dec.event_type) if _names_weapon(dec) else None)
    if pred.sub_event_type == dec.sub_event_type or pred.probability < typer.threshold:
        return dec
    why = ", ".join(f"{f} {w:+.2f}" for f, w in pred.evidence)
    return dataclasses.replace(
        dec, event_type=pred.event_type, sub_event_type=pred.sub_event_type,
        rule=f"{typer.name} p={pred.probability:.2f} for {pred.sub_event_type} over the rules' "
             f"{dec.sub_event_type} ({dec.rule}); strongest evidence: {why}")
