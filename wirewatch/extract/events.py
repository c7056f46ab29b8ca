"""Event detection, one sentence at a time.

:func:`detect` runs over one spaCy sentence: it types the text with
:func:`~.subtypes.type_text` (ACLED type / sub-type from the cue lexicons of :mod:`.cues`),
finds the trigger token for
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
from .actors import packaged_table
from .cues import (
    AGGREGATE, ANAPHORA, ARMED, ARMED_PARTIES, ASSAILANTS, BODIES_OF_VICTIMS, BUSINESS, CASUALTY, COUP, CUES, FICTION, FOUL_PLAY, GUNFIGHT,
    HABITUAL, HARM_NOW, IMAGES, IMPACT, IRREALIS_LEMMAS, MODALS, NATURAL, NEW_INCIDENT, NO_FIGHT, NOBODY, NONVIOLENT, OBSERVED_FIRE,
    POLITICAL_SIDE, POLITICAL_TARGET, REFUGEE, SELF_EVIDENT, SPEECH, TOLL_COUNT, TOLL_NEXT, UNKNOWN_DETAILS, WAR, WEAPONS, plain,
)
from .subtypes import TypeDecision, type_text

log = logging.getLogger(__name__)


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




def toll_follows(sent: Any) -> bool:
    """True when the sentence after ``sent`` opens with its toll ("Casualties not known.", "No injuries reported.")."""
    if sent.end >= len(sent.doc):
        return False
    if TOLL_NEXT.match(plain(sent.doc[sent.end:sent.end + 12].text)):
        return True
    return toll_sentence(sent.doc[sent.end].sent) is not None


def toll_sentence(sent: Any) -> tuple[int, int] | None:
    """``sent``'s character span when it is only a count of dead or hurt ("Nine dead reported.")."""
    text = plain(sent.text)
    return (sent.start_char, sent.end_char) if TOLL_COUNT.match(text) else None


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
    if cue in ("shell", "grenade") and (IMPACT.search(text) or OBSERVED_FIRE.search(text)):
        return None
    if cue == "battle" and GUNFIGHT.search(text) and not FICTION.search(text):
        return None
    return "no armed actor, weapon or casualty"


_PROTEST_COMPOUNDS = {"street", "mass", "protest", "student", "opposition", "public", "peaceful", "violent", "large",
                      "huge", "massive", "anti", "big", "small", "spontaneous", "political", "rival",
                      # how many, how often: "several demonstrations", "planned demonstrations", "fresh demonstrations"
                      "several", "many", "numerous", "multiple", "planned", "new", "fresh", "renewed", "further",
                      "other", "similar", "daily", "weekly", "simultaneous", "separate", "nationwide", "sporadic",
                      "silent", "continued", "ongoing", "few", "more"}


# Who lodges a protest as a state does: a diplomatic objection, not people in the street
_STATE_BODIES = {"government", "governments", "ministry", "ministries", "embassy", "embassies", "ambassador",
                 "ambassadors", "diplomats", "envoy", "envoys", "foreign minister", "administration"}


def _states_object(trigger: Any, agent: Any) -> bool:
    """Is the protest lodged by states: "a protest by Norway and Chile", "drew a protest from Beijing",
    "Canada wrote to the chairman to protest the decision" (every protester a country, or a government,
    ministry, embassy or envoy)."""
    if trigger.pos_ == "NOUN":
        by = [ch for ch in trigger.children if ch.dep_ == "prep" and ch.lower_ in ("by", "from")]
        if trigger.dep_ == "dobj":  # "drew a protest from Beijing": the parse hangs "from" on the verb
            by += [ch for ch in trigger.head.children if ch.dep_ == "prep" and ch.lower_ == "from"]
        heads = [g for p in by for g in p.children if g.dep_ == "pobj"]
    else:
        heads = [agent] if agent is not None else []
    parties = [t for h in heads for t in (h, *h.conjuncts)]
    if not parties:
        return False
    # ("the European Union": a union of states, its head word tagged ORG)
    return all(t.ent_type_ == "GPE" or t.lower_ in _STATE_BODIES or (t.ent_type_ == "ORG" and t.lower_ == "union")
               for t in parties)


def _not_a_demonstration(decision: TypeDecision, trigger: Any, agent: Any) -> str | None:
    """Why a protest cue is no demonstration: one person objecting ("he protested the ruling"), states
    objecting ("prompting a protest by Norway"), or a "demonstration" of a product ("a virtual reality
    demonstration")."""
    if decision.cue != "protest":
        return None
    if lemma(trigger).lower() == "protest" and trigger.pos_ == "VERB" and agent is not None \
            and any(ch.dep_ == "dobj" for ch in trigger.children) \
            and (agent.lower_ in ("he", "she") or (agent.ent_type_ == "PERSON" and agent.tag_ == "NNP")):
        return "one person objecting"
    word = trigger.head if trigger.lower_ == "to" and trigger.dep_ == "aux" else trigger  # "to protest"
    if lemma(word).lower() == "protest" and _states_object(word, agent if word is trigger else roles(word)[0]):
        return "a state's diplomatic protest"
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
