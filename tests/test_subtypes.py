"""The type rule table of :mod:`wirewatch.extract.subtypes`: valid ACLED types, first match decides."""

from __future__ import annotations

from wirewatch.extract.subtypes import RULES, type_text
from wirewatch.models import EVENT_TYPES


def test_every_rule_names_an_acled_type_and_sub_type() -> None:
    for rule in RULES:
        assert rule.sub_event_type in EVENT_TYPES[rule.event_type], rule.rule


def test_the_first_rule_that_holds_decides() -> None:
    # a suicide cue ranks above the gunfire of a fight, a fight above a bare killing
    dec = type_text("A suicide bomber blew himself up after gunmen clashed with soldiers at a checkpoint.")
    assert (dec.event_type, dec.sub_event_type, dec.cue) == ("Explosions/Remote violence", "Suicide bomb", "suicide")
    dec = type_text("Soldiers clashed with militants, killing three of them.")
    assert (dec.event_type, dec.sub_event_type, dec.cue) == ("Battles", "Armed clash", "battle")


def test_territory_rules_read_the_agent() -> None:
    text = "Fighters captured the town of Tadef."
    assert type_text(text, agent_state=True).sub_event_type == "Government regains territory"
    assert type_text(text, agent_state=False).sub_event_type == "Non-state actor overtakes territory"
    assert type_text(text, calm_next=True).sub_event_type == "Non-violent transfer of territory"


def test_no_cue_no_type() -> None:
    assert type_text("The weather was mild on Tuesday.") is None


def test_arrests_before_a_protest_named_by_another_word_still_type() -> None:
    # the intervention cue reads "arrestees", which the arrest cue does not: the rule took its trigger
    # from the arrest cue's match and raised KeyError, losing the article
    dec = type_text("Police said the arrestees were held before a planned protest against the new tax.")
    assert (dec.event_type, dec.sub_event_type, dec.cue) == ("Strategic developments", "Arrests", "intervention")
    dec = type_text("Police arrested organisers before a planned protest against the new tax.")
    assert (dec.sub_event_type, dec.cue, dec.trigger) == ("Arrests", "arrest", "arrested")
