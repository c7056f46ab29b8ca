"""The learned sub-event typer: features, the two heads, what it never revises, explanations, the shipped weights."""

from __future__ import annotations

import dataclasses
import gzip
import json
from importlib import resources

import pytest

from wirewatch.extract.subtypes import TypeDecision, type_text
from wirewatch.extract.typer import (KINDS, SUB_TYPES, Head, Typer, TyperModelError, features, load_typer,
                                     retype)


@pytest.fixture(scope="module")
def nlp():
    from wirewatch.nlp.model import load_model

    return load_model()


@pytest.fixture(scope="module")
def table():
    from wirewatch.extract.actors import ActorTable

    return ActorTable.load()


def toy_head(classes: tuple[str, ...], lessons: dict[str, str], weight: float = 6.0) -> Head:
    """A head that has learned exactly ``lessons``: word -> class."""
    weights = {}
    for word, target in lessons.items():
        row = [0.0] * len(classes)
        row[classes.index(target)] = weight
        weights[f"w={word}"] = tuple(row)
    return Head(classes=classes, intercept=(0.0,) * len(classes), weights=weights)


def toy_typer(lessons: dict[str, str], kinds: dict[str, str] | None = None) -> Typer:
    subs = tuple(SUB_TYPES)
    return Typer(sub=toy_head(subs, lessons), kind=toy_head(KINDS, kinds) if kinds is not None else None)


def dec_of(text: str) -> TypeDecision:
    dec = type_text(text)
    assert dec is not None
    return dec


def test_features_carry_words_bigrams_cue_and_the_rules_sub_type() -> None:
    feats = features("Gunmen killed 12 herders near the well.", cue="kill", rule_sub="Attack")
    assert {"cue=kill", "rule=Attack", "w=herders", "w=<num>", "b=killed_<num>", "b=the_well"} <= set(feats)
    assert "w=the" not in feats  # stop words only count inside bigrams


def test_the_model_decides_the_sub_type_and_says_why() -> None:
    text = "Unknown assailants attacked the village of Tarko overnight, residents said."
    dec = dec_of(text)
    new = retype(dec, text, typer=toy_typer({"village": "Abduction/forced disappearance"}))
    assert (new.event_type, new.sub_event_type) == ("Violence against civilians", "Abduction/forced disappearance")
    assert "typer.v2" in new.rule and "w=village" in new.rule and new.trigger == dec.trigger
    assert f"over the rules' {dec.sub_event_type}" in new.rule


def test_the_kind_head_chooses_the_type_and_the_sub_head_its_sub_type() -> None:
    text = "Traders blocked the main road in Kisoro to demand the market reopen."
    dec = dec_of(text)
    # the sub head prefers Attack overall, but the kind head says protest: the best protest sub-type wins
    model = Typer(sub=Head(classes=tuple(SUB_TYPES), intercept=tuple(
        3.0 if s == "Attack" else 1.0 if s == "Peaceful protest" else 0.0 for s in SUB_TYPES), weights={}),
        kind=toy_head(KINDS, {"traders": "Protests|Riots"}))
    new = retype(dec, text, typer=model)
    assert (new.event_type, new.sub_event_type) == ("Protests", "Peaceful protest")


def test_agreeing_with_the_rules_changes_nothing() -> None:
    text = "Soldiers and rebels clashed near Bunia on Tuesday."
    dec = dec_of(text)
    model = toy_typer({"clashed": dec.sub_event_type})
    assert retype(dec, text, typer=model) is dec


@pytest.mark.parametrize("text", [
    "A suicide bomber blew himself up at the gate of the police station.",
    "Fighter jets bombed rebel positions east of the town.",
    "Militants fired mortar rounds at the town overnight.",
])
def test_a_weapon_named_keeps_the_rules_type(text: str) -> None:
    dec = dec_of(text)
    assert dec.event_type == "Explosions/Remote violence"
    new = retype(dec, text, typer=toy_typer({"town": "Peaceful protest", "station": "Peaceful protest",
                                             "bomber": "Grenade"}, {"town": "Protests|Riots"}))
    assert new.event_type == dec.event_type


def test_an_unsure_model_leaves_the_rules_alone() -> None:
    text = "Unknown assailants attacked the village of Tarko overnight, residents said."
    dec = dec_of(text)
    sure = toy_typer({"village": "Sexual violence"})
    assert retype(dec, text, typer=dataclasses.replace(sure, threshold=0.5)).sub_event_type == "Sexual violence"
    unsure = Typer(sub=toy_head(tuple(SUB_TYPES), {"village": "Sexual violence"}, weight=0.5), threshold=0.5)
    assert retype(dec, text, typer=unsure) is dec


def test_territory_changing_hands_stays_with_the_rules() -> None:
    dec = TypeDecision("Battles", "Government regains territory", "territory", "recaptured", 0, "rule", 2)
    assert retype(dec, "The army recaptured the town.", typer=toy_typer({"town": "Armed clash"})) is dec
    dec = TypeDecision("Protests", "Protest with intervention", "intervention", "arrested", 0, "rule", 2)
    assert retype(dec, "Police arrested marchers in the town.", typer=toy_typer({"town": "Mob violence"})) is dec


def test_displacement_is_never_revised() -> None:
    dec = TypeDecision("Displacement", "Displacement", "displace", "fled", 0, "rule", 2)
    assert retype(dec, "Thousands fled the town.", typer=toy_typer({"town": "Attack"})) is dec


def test_weights_round_trip_and_a_bad_file_is_named() -> None:
    model = toy_typer({"herders": "Armed clash"}, {"herders": "Battles"})
    again = Typer.from_json(json.loads(json.dumps(model.to_json())))
    assert again.sub.weights == model.sub.weights and again.kind is not None
    with pytest.raises(TyperModelError):
        Typer.from_json({"sub": {"classes": ["Battle royale"], "intercept": [0], "weights": {}}})
    with pytest.raises(TyperModelError):
        Typer.from_json({"sub": {"classes": ["Attack", "Arrests"], "intercept": [0], "weights": {}}})


def test_another_weight_file_by_environment(tmp_path, monkeypatch) -> None:
    path = tmp_path / "t.json.gz"
    path.write_bytes(gzip.compress(json.dumps(toy_typer({"herders": "Armed clash"}).to_json()).encode()))
    monkeypatch.setenv("WIREWATCH_TYPER", str(path))
    model = load_typer()
    assert model is not None and "w=herders" in model.sub.weights and model.kind is None
    monkeypatch.setenv("WIREWATCH_TYPER", str(tmp_path / "missing.json.gz"))
    assert load_typer() is None


def test_shipped_weights_say_how_they_were_trained() -> None:
    raw = json.loads(gzip.decompress(resources.files("wirewatch").joinpath("data", "typer.json.gz").read_bytes()))
    assert raw["script"] == "scripts/train_typer.py" and raw["notes"] > 1000
    model = load_typer()
    assert model is not None and set(model.sub.classes) <= set(SUB_TYPES) and len(model.sub.weights) > 1000
    assert model.kind is not None and set(model.kind.classes) == set(KINDS)


def test_rules_alone_when_asked(nlp, table) -> None:
    from wirewatch.extract import extract_mentions
    from wirewatch.models import Article

    body = "Gunmen shot dead four herders at a water point on Monday."
    art = Article(id="t1", text=body, body=body)
    (m,) = extract_mentions(art, nlp(body), actors=table, typer=None)
    assert "typer" not in (m.rationale or "")


@pytest.mark.parametrize(("text", "sub"), [
    ("On 4 March, militants fired mortar rounds at an army post in Gao, damaging a wall.",
     "Shelling/artillery/missile attack"),
    ("On 4 March, hundreds of nurses held a sit-in outside the ministry in Nairobi to demand unpaid wages.",
     "Peaceful protest"),
    ("On 4 March, police arrested the opposition leader at his home in Harare.", "Arrests"),
])
def test_the_shipped_model_on_sentences_it_never_saw(nlp, table, text: str, sub: str) -> None:
    from wirewatch.extract import extract_mentions
    from wirewatch.models import Article

    art = Article(id="t2", text=text, body=text)
    ms = extract_mentions(art, nlp(text), actors=table)
    assert ms and ms[0].sub_event_type == sub and ms[0].event_type == SUB_TYPES[sub]
