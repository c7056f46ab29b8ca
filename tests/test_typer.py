"""The learned typer: features, the codebook limits it cannot cross, explanations, the shipped weights."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from wirewatch.extract.events import TypeDecision, type_text
from wirewatch.extract.typer import CLASSES, REVISABLE, Typer, features, load_typer, retype


@pytest.fixture(scope="module")
def nlp():
    from wirewatch.nlp import load_model

    return load_model()


@pytest.fixture(scope="module")
def table():
    from wirewatch.extract.actors import ActorTable

    return ActorTable.load()


def toy_typer(word: str, target: str, weight: float = 6.0) -> Typer:
    """A model that has learned exactly one thing: ``word`` means ``target``."""
    row = [0.0] * len(CLASSES)
    row[CLASSES.index(target)] = weight
    return Typer(weights={f"w={word}": tuple(row)}, threshold=0.7)


def test_features_carry_words_bigrams_and_the_rule() -> None:
    feats = features("Gunmen killed 12 herders near the well.", cue="kill", event_type="Battles")
    assert {"bias", "cue=kill", "rule=Battles", "w=herders", "w=<num>", "b=killed_<num>"} <= set(feats)
    assert "w=the" not in feats  # stop words only count inside bigrams


def test_a_confident_model_moves_an_ambiguous_cue_and_says_why() -> None:
    dec = type_text("Gunmen shot dead four herders at a water point.")
    assert dec is not None and dec.cue in REVISABLE
    model = toy_typer("herders", "Battles") if dec.event_type != "Battles" else toy_typer("herders",
                                                                                          "Violence against civilians")
    new = retype(dec, "Gunmen shot dead four herders at a water point.", typer=model)
    assert new.event_type != dec.event_type
    assert new.sub_event_type in ("Armed clash", "Attack")
    assert "typer.v1" in new.rule and "w=herders" in new.rule and new.trigger == dec.trigger


def test_an_unsure_model_leaves_the_rules_alone() -> None:
    dec = type_text("Gunmen shot dead four herders at a water point.")
    weak = toy_typer("herders", "Battles", weight=0.1)
    assert retype(dec, "Gunmen shot dead four herders at a water point.", typer=weak) is dec


@pytest.mark.parametrize("text", [
    "A suicide bomber blew himself up at the gate of the police station.",
    "Gunmen threw a grenade into a crowded bar.",
    "Troops opened fire on protesters, killing three demonstrators.",
    "A mob beat a suspected thief to death in the market.",
])
def test_codebook_limits_hold_whatever_the_weights(text: str) -> None:
    dec = type_text(text)
    assert dec is not None
    for target in CLASSES:
        for word in ("bomber", "grenade", "protesters", "mob", "thief", "police"):
            assert retype(dec, text, typer=toy_typer(word, target)).event_type == dec.event_type


def test_a_strategic_development_needs_its_own_cue() -> None:
    text = "A roadside bomb exploded near the convoy on Tuesday."
    dec = type_text(text)
    assert dec.cue == "ied"
    assert retype(dec, text, typer=toy_typer("convoy", "Strategic developments")) is dec
    arrest = type_text("Police arrested twelve suspected members of the cell.")
    moved = retype(arrest, "Police arrested twelve suspected members of the cell.",
                   typer=toy_typer("cell", "Violence against civilians"))
    assert moved.event_type == "Violence against civilians"


def test_json_round_trip_and_bad_files() -> None:
    model = toy_typer("herders", "Battles")
    again = Typer.from_json(json.loads(json.dumps(model.to_json())))
    assert again.weights == model.weights and again.threshold == model.threshold
    from wirewatch.extract.typer import TyperModelError

    with pytest.raises(TyperModelError):
        Typer.from_json({"classes": ["Battles"], "weights": {}, "threshold": 0.5})


def test_shipped_weights_say_how_they_were_trained() -> None:
    raw = json.loads(resources.files("wirewatch").joinpath("data", "typer.json").read_text(encoding="utf-8"))
    assert raw["classes"] == list(CLASSES) and raw["script"] == "scripts/train_typer.py"
    assert "validation" in raw["split"] and raw["validation"]
    model = load_typer()
    assert model is not None and 0.5 <= model.threshold < 1.0 and len(model.weights) > 100


def test_rules_alone_when_asked(nlp, table) -> None:
    from wirewatch.extract import extract_mentions
    from wirewatch.models import Article

    body = "Gunmen shot dead four herders at a water point on Monday."
    art = Article(id="t1", text=body, body=body)
    (m,) = extract_mentions(art, nlp(body), actors=table, typer=None)
    assert "typer" not in (m.rationale or "")
    assert isinstance(type_text(body), TypeDecision)


@pytest.mark.parametrize("text", [
    "Two people were killed when ruling party supporters attacked opposition supporters at the rally.",
    "Party youths beat a rival supporter to death after the rally.",
])
def test_a_crowd_killing_the_model_calls_a_riot_becomes_one(text: str) -> None:
    dec = type_text(text)
    assert dec is not None and dec.event_type == "Violence against civilians" and dec.cue == "kill"
    new = retype(dec, text, typer=toy_typer("rally", "Protests|Riots"))
    assert (new.event_type, new.sub_event_type) == ("Riots", "Violent demonstration")
    assert "typer.v1" in new.rule and "w=rally" in new.rule


def test_no_riot_when_an_armed_group_is_named() -> None:
    text = "Rebels clashed with supporters of the governor near the market."
    dec = type_text(text)
    assert dec is not None and dec.cue == "battle"
    assert retype(dec, text, typer=toy_typer("clashed", "Protests|Riots")) is dec


def test_protesters_shot_by_police_become_excessive_force() -> None:
    text = "Police shot dead two protesters in the town centre on Monday."
    dec = TypeDecision("Violence against civilians", "Attack", "kill", "shot dead", 11, "rule", 1)
    new = retype(dec, text, typer=toy_typer("protesters", "Protests|Riots"))
    assert (new.event_type, new.sub_event_type) == ("Protests", "Excessive force against protesters")
