"""Assembling EventMentions for one article: detections -> incidents -> typed, dated, sourced mentions.

Grouping: sentences about the same incident become ONE mention with several
evidence spans.  A detection joins the latest open incident when it has the
same event type and (it refers back: "the blast", or it carries no date of its
own, or the same date) and, for discrete incidents (bombs, strikes, attacks on
civilians), it does not name a different place; a bare casualty sentence
("30 others were killed") joins the latest violent incident.  "A second
blast", "another attack", "separately" or a different own date start a new one.

Dates: the sentence's own time expression (the one governed by the trigger's
verb) wins; a date only on the reporting verb ("said on Wednesday") bounds the
event (a week ending then, precision 2); otherwise the incident inherits from
its other sentences; with nothing, date_start = published - 7 days, date_end =
published, precision 2.  Without a publication date and without an absolute
date, dates stay None.  ``event_date`` follows ACLED's convention: the day when
exact, else the middle of the span (ACLED codes a "last week" event to the
middle of that week).  Time expressions marked background, or ending more
than 30 days before publication, make the sentence history: it is skipped,
never coded with today's date.
"""

from __future__ import annotations

import datetime as dt
import logging
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..models import DEMONSTRATIONS, POLITICAL_VIOLENCE, Article, Claim, EventMention, Evidence
from ..nlp.model import lemma
from ..merge.reconcile import corroborates
from . import timex
from .claims import find_claims
from .actors import DEMONYMS, Actor, ActorMatch, ActorTable, story_country
from .cues import ARMED, BUSINESS, CASUALTY, POLITICAL_SIDE, WAR, plain
from .events import Detection, clause_verb, detect, toll_follows, toll_sentence

log = logging.getLogger(__name__)

REPORTING = {"say", "tell", "report", "announce", "add", "state", "claim", "confirm", "publish", "post", "release",
             "quote", "write", "acknowledge", "show"}
DISCRETE = {"Explosions/Remote violence"}
# incidents a casualty count in a later sentence can belong to
CASUALTY_TARGETS = POLITICAL_VIOLENCE | DEMONSTRATIONS
PROTEST_SEVERITY = {"Peaceful protest": 0, "Protest with intervention": 1, "Excessive force against protesters": 2}
ARMED_INTER = {1, 2, 3, 4, 8}  # state forces, rebels, political and identity militias, external forces
PLACE_NOUNS = r"village|town|city|district|area|province|region|neighbou?rhood|camp|suburb|locality|county|state"
_PLACE_OF = re.compile(r"\b(?:" + PLACE_NOUNS + r") of ((?:al-|el-|Al-)?[A-Z][\w'’-]*(?:\s+(?:al-)?[A-Z][\w'’-]*){0,3})")
_PLACE_PREP = re.compile(r"\b(?:in|near|at|outside|around|inside|from|of) (?:the )?((?:al-|el-|Al-)?[A-Z][\w'’-]*"
                         r"(?:\s+(?:al-|el-)?[A-Z][\w'’-]*){0,3})")
_YEAR = re.compile(r"\b(?:in|since|during|from|of|until) ((?:19|20)\d\d)\b")

@dataclass(slots=True)
class _Dated:
    det: Detection
    own: Any = None  # DateSpan the trigger governs
    reported: Any = None  # DateSpan on a reporting verb only
    place: tuple[str, int] | None = None


@dataclass(slots=True)
class _Incident:
    members: list[_Dated] = field(default_factory=list)
    toll: tuple[int, int] | None = None  # the bare toll sentence right after it, if any (see _toll_after)

    @property
    def head(self) -> _Dated:
        strong = [m for m in self.members if m.det.decision.strength == 2]
        return strong[0] if strong else self.members[0]

    @property
    def event_type(self) -> str:
        return self.head.det.decision.event_type

    def own_date(self) -> Any:
        return next((m.own for m in self.members if m.own is not None), None)

    def place(self) -> tuple[str, int] | None:
        return next((m.place for m in self.members if m.place is not None), None)


_DEFAULT: Any = object()


def extract_mentions(article: Article, doc: Any, *, actors: ActorTable, typer: Any = _DEFAULT) -> list[EventMention]:
    """Every current event the article reports, one EventMention per incident (offsets into ``body``).

    ``typer``: the learned second opinion on ambiguous types (:mod:`.typer`); the shipped
    model by default, ``None`` for the rules alone.
    """
    body = article.body
    if not body.strip():
        return []
    if typer is _DEFAULT:
        from .typer import load_typer

        typer = load_typer()
    country = story_country(plain(body), dateline_country=article.dateline_country,
                            actor_votes=actors.country_votes(plain(body)))
    matches = actors.find(plain(body), country=country)
    salient = _salient(matches)
    dates = list(timex.find_dates(body, anchor=article.published))

    def match_in(span: tuple[int, int] | None, *, civilians: bool = True) -> ActorMatch | None:
        if span is None:
            return None
        for m in matches:
            if m.start >= span[0] and m.end <= span[1] and (civilians or m.actor.inter != 7):
                return m
        return None

    def match_all(span: tuple[int, int]) -> list[ActorMatch]:
        return [m for m in matches if m.start >= span[0] and m.end <= span[1]]

    def actor_state(span: tuple[int, int]) -> bool | None:
        m = match_in(span, civilians=False)
        if m is None:
            return None
        return m.actor.inter == 1

    def armed_in(span: tuple[int, int]) -> bool:
        return any(span[0] <= m.start and m.end <= span[1] and m.actor.inter in ARMED_INTER for m in matches)

    def armed_group_in(span: tuple[int, int]) -> bool:  # a named rebel group or militia (user's extension too)
        return any(span[0] <= m.start and m.end <= span[1] and m.actor.armed_non_state for m in matches)

    claims_cache: dict = {}  # one sentence split and one figure scan per sentence, shared by every span
    business = _business_story(body)
    dated: list[_Dated] = []
    first_sent = True
    for sent in doc.sents:
        for det in detect(sent, actor_state=actor_state, armed_in=armed_in, armed_group_in=armed_group_in):
            d = _date_detection(det, dates, sent, article.published)
            if d is None:
                continue
            if business and d.own is None:
                log.debug("skip (undated, in a business/technology story): %s", sent.text[:60])
                continue
            if d.own is None and det.decision.cue in ("battle", "territory") and _present_state(det.trigger_token) \
                    and not _historical_present(det.trigger_token, sent) \
                    and not _named_present(det, sent, armed_in):
                log.debug("skip (ongoing state in the present tense, undated): %s", sent.text[:60])
                continue
            if det.perfect and d.own is None and not first_sent \
                    and not _current_displacement(det, body, sent, cache=claims_cache):
                log.debug("skip (habitual present perfect, undated): %s", sent.text[:60])
                continue
            d.place = _place(sent, det)
            dated.append(d)
        if sent.text.strip():
            first_sent = False

    incidents = _group(dated)
    taken = {d.det.sent_start for d in dated}
    mentions = []
    for inc in incidents:
        inc.toll = _toll_after(doc, max(m.det.sent_end for m in inc.members), taken)
        mentions.append(_assemble(article, doc, inc, match_in=match_in, match_all=match_all, salient=salient, country=country,
                                  actors=actors, typer=typer, claims_cache=claims_cache))
    return mentions


# -- dates -----------------------------------------------------------------------------------------------
def _date_detection(det: Detection, dates: list[Any], sent: Any, published: dt.date | None) -> _Dated | None:
    own = reported = None
    trig_verb = clause_verb(det.trigger_token)
    in_sent = [d for d in dates if det.sent_start <= d.char_start < det.sent_end]
    for ds in in_sent:
        tok = sent.doc.char_span(ds.char_start, ds.char_end, alignment_mode="expand")
        if tok is None or len(tok) == 0:
            continue
        verb = clause_verb(tok.root)
        if verb == trig_verb or det.trigger_token in list(tok.root.subtree) or _governs(verb, det.trigger_token):
            own = own or ds
        elif lemma(verb).lower() in REPORTING:
            reported = reported or ds
    if own is not None and published is not None and own.start > published:
        log.debug("skip (date after publication: a forecast): %s", sent.text[:60])
        return None
    crowd = det.decision.cue == "protest"
    if crowd and own is not None and (getattr(own, "background", False) or _too_old(own, published)):
        own = None  # "a strike over pay for December": the month is the grievance, not the date
        in_sent = []
    if own is not None and (getattr(own, "background", False) or _too_old(own, published)):
        log.debug("skip (background date %s): %s", own.text, sent.text[:60])
        return None
    if own is None and published is not None:
        for m in _YEAR.finditer(plain(sent.text)):
            if int(m.group(1)) >= published.year:
                continue
            ytok = sent.doc.char_span(det.sent_start + m.start(1), det.sent_start + m.end(1), alignment_mode="expand")
            if ytok is not None and len(ytok) and (clause_verb(ytok.root) == trig_verb
                                                   or _governs(clause_verb(ytok.root), det.trigger_token)):
                log.debug("skip (year %s before publication): %s", m.group(1), sent.text[:60])
                return None
    if reported is not None and _too_old(reported, published):
        return None
    if det.decision.cue == "displace_figure":  # "since the start of the offensive in October": a count's start
        in_sent = [x for x in in_sent if not _SINCE.search(sent.doc.text, max(0, x.char_start - 60), x.char_start)]
    if own is None and in_sent and all(getattr(x, "background", False) or _too_old(x, published) for x in in_sent) \
            and (det.decision.event_type != "Protests" or any(_root_date(x, sent) for x in in_sent)):
        log.debug("skip (only old time expressions): %s", sent.text[:60])
        return None
    return _Dated(det, own=own, reported=reported)


def _current_displacement(det: Detection, body: str, sent: Any, *, cache: dict | None = None) -> bool:
    """A present-perfect displacement sentence that reports its own current figure ("26,000 have been
    displaced from X") is a report of the living toll, not a habitual statement."""
    if det.decision.event_type != "Displacement":
        return False

    claims = find_claims(body, sent.start_char, sent.end_char, article_id="", published=None, cache=cache)
    return any(c.quantity in ("displaced", "refugees") and c.qualifier not in ("cumulative", "forecast")
               for c in claims)


def _business_story(body: str) -> bool:
    """A story mostly about business or technology: conflict words are few and outnumbered."""
    biz = len(BUSINESS.findall(body))
    conflict = len(ARMED.findall(body)) + len(WAR.findall(body)) + len(CASUALTY.findall(body))
    return biz >= 6 and biz > 2 * conflict and conflict < 6


_EFFECT_VERBS = {"cause", "leave", "kill", "result", "claim", "force", "displace", "injure", "wound", "destroy"}


def _present_state(trigger: Any) -> bool:
    """ "Egypt is battling an insurgency", "they fight on": an ongoing state, not an incident."""
    verb = clause_verb(trigger)
    if trigger.pos_ == "NOUN" and trigger.dep_ in ("nsubj", "nsubjpass") and lemma(verb) in _EFFECT_VERBS:
        return False  # "clashes between A and B cause mass flight": a reported incident and its effect
    if verb.tag_ in ("VBZ", "VBP") and verb.pos_ == "VERB":
        return True
    return verb.tag_ == "VBG" and any(ch.dep_ == "aux" and ch.lower_ in ("is", "are", "am") for ch in verb.children)


def _historical_present(trigger: Any, sent: Any) -> bool:
    """Headline-style present ("troops and rebels clash in X, three dead"): a simple-present
    event verb in a sentence that also reports its casualties is one incident, not a state."""
    verb = clause_verb(trigger)
    if verb.tag_ not in ("VBZ", "VBP"):
        return False
    if CASUALTY.search(plain(sent.text)):
        return True
    return toll_follows(sent)  # the toll in the next sentence, even unknown: "... clash in X. Casualties not known."


_SINCE = re.compile(r"\bsince\b[^.;]{0,50}$")
_AT_PLACE = re.compile(r"\b(?:in|near|at|on|outside) (?:the )?(?:al-|el-)?[A-Z]")
_CONTROL_OF = re.compile(r"\bcontrol of (?:the )?(?:al-|el-)?[A-Z]")


def _named_present(det: Detection, sent: Any, armed_in: Any) -> bool:
    """Note-style present ("Government and rebel forces clash in X"): a simple-present event verb
    whose subject names an armed actor and whose clause names a place is one incident, not a state."""
    verb = clause_verb(det.trigger_token)
    if verb.tag_ not in ("VBZ", "VBP") or det.agent is None:
        return False
    agent_text = plain(sent.doc.text[det.agent[0]:det.agent[1]])
    if not (armed_in(det.agent) or ARMED.search(agent_text) or POLITICAL_SIDE.search(agent_text)):
        return False
    return bool(_AT_PLACE.search(plain(sent.text)) or _CONTROL_OF.search(plain(sent.text)))


def _root_date(ds: Any, sent: Any) -> bool:
    """True when the time expression belongs to the sentence's main clause."""
    span = sent.doc.char_span(ds.char_start, ds.char_end, alignment_mode="expand")
    return span is not None and len(span) > 0 and clause_verb(span.root) == sent.root


def _governs(verb: Any, tok: Any) -> bool:
    """True when ``tok``'s clause verb is (transitively) an advcl/xcomp/conj of ``verb``."""
    cur = clause_verb(tok)
    for _ in range(6):
        if cur == verb:
            return True
        if cur.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "acl") or cur.head.i == cur.i:
            return False
        if any(ch.dep_ == "mark" and ch.lower_ in ("after", "before", "since", "until", "once") for ch in cur.children):
            return False  # "fled on Friday after IS killed ...": a different time
        cur = clause_verb(cur.head)
    return False


def _too_old(ds: Any, published: dt.date | None) -> bool:
    return published is not None and ds.end < published - dt.timedelta(days=timex.BACKGROUND_DAYS)


def _span_of(inc: _Incident, published: dt.date | None) -> tuple[dt.date | None, dt.date | None, int | None]:
    own = inc.own_date()
    if own is not None:
        return own.start, own.end, own.precision
    rep = next((m.reported for m in inc.members if m.reported is not None), None)
    if rep is not None:
        return rep.end - dt.timedelta(days=6), rep.end, 2
    if published is None:
        return None, None, None
    return published - dt.timedelta(days=7), published, 2


def event_day(start: dt.date | None, end: dt.date | None) -> dt.date | None:
    """ACLED's single date for a span: the day when exact, else the middle of the span."""
    if start is None or end is None:
        return end or start
    return start + (end - start) // 2


# -- grouping --------------------------------------------------------------------------------------------
def _same_day(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True
    return a.start <= b.end and b.start <= a.end


def _group(dated: list[_Dated]) -> list[_Incident]:
    incidents: list[_Incident] = []
    for d in dated:
        det = d.det
        target = None
        if det.decision.cue == "excessive" and det.decision.strength == 1:
            prior = next((i for i in reversed(incidents) if i.event_type == "Protests"), None)
            if prior is not None:
                prior.members.append(d)
            continue  # force without a protest reported: not coded on its own
        if not det.new_incident:
            for inc in reversed(incidents):
                if inc.event_type != det.decision.event_type:
                    continue
                if (inc.event_type == "Explosions/Remote violence" and not det.anaphoric
                        and inc.head.det.decision.sub_event_type != det.decision.sub_event_type):
                    continue  # a different weapon is a different incident
                if not _same_day(d.own, inc.own_date()):
                    continue
                other = inc.place()
                if (det.decision.event_type in DISCRETE and d.place and other and not det.anaphoric
                        and not _same_place(d.place[0], other[0])):
                    continue
                target = inc
                break
            if (target is None and det.decision.cue == "kill" and incidents
                    and incidents[-1].event_type == "Protests" and _same_day(d.own, incidents[-1].own_date())):
                target = incidents[-1]  # people hurt at the protest just reported
            casualty_only = det.decision.strength == 1 or (det.decision.cue == "kill" and det.agent is None)
            if target is None and casualty_only and incidents:
                last = next((i for i in reversed(incidents) if i.event_type in CASUALTY_TARGETS), None)
                if last is not None and _same_day(d.own, last.own_date()):
                    target = last
        if target is None:
            incidents.append(_Incident([d]))
        else:
            target.members.append(d)
    return incidents


def _same_place(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a


# -- places ----------------------------------------------------------------------------------------------
def _place(sent: Any, det: Detection) -> tuple[str, int] | None:
    """The place word(s) the event happened at: "village of X", or the object of in/near/at."""
    text = plain(sent.text)
    base = sent.start_char
    ents = [e for e in sent.ents if e.label_ in ("GPE", "LOC", "FAC")]
    m = _PLACE_OF.search(text)
    if m:
        return m.group(1), base + m.start(1)
    best = None
    for m in _PLACE_PREP.finditer(text):
        cand_start = base + m.start(1)
        if any(e.start_char <= cand_start < e.end_char for e in ents) or not ents:
            word = m.group(1)
            if word in DEMONYMS or word.split("’")[0].split("'")[0] in DEMONYMS:
                continue
            if word in ("Reuters", "The", "A", "An") or word.isupper() and len(word) <= 4:
                continue
            dist = abs(cand_start - det.trigger_start)
            if best is None or dist < best[0]:
                best = (dist, word, cand_start)
    if best is not None:
        return best[1], best[2]
    for e in ents:
        if e.text not in DEMONYMS:
            return e.text, e.start_char
    return None


# -- actors ----------------------------------------------------------------------------------------------
def _salient(matches: list[ActorMatch]) -> list[Actor]:
    counts: Counter[Actor] = Counter()
    first: dict[Actor, int] = {}
    for m in matches:
        a = m.actor
        if a.armed_non_state:
            counts[a] += 1
            first.setdefault(a, m.start)
    return sorted(counts, key=lambda a: (-counts[a], first[a]))


def _pick_actors(inc: _Incident, body: str, *, match_in: Any, match_all: Any, salient: list[Actor], country: str | None,
                 actors: ActorTable) -> tuple[ActorMatch | None, Actor | None, Actor | None]:
    head = inc.head.det
    a1 = match_in(head.agent, civilians=False)
    a2m = match_in(head.patient)
    if a1 is None:
        for m in inc.members:
            a1 = match_in(m.det.agent, civilians=False)
            if a1:
                break
    if a1 is None:  # an armed actor in the evidence that is not the target, "by X" first
        pspan = head.patient or (-1, -1)
        cands = []
        for m in inc.members:
            for cand in match_all((m.det.sent_start, m.det.sent_end)):
                if cand.actor.inter == 7 or pspan[0] <= cand.start < pspan[1]:
                    continue
                by = bool(re.search(r"\b(?:by|from|of)\s+(?:\w+\s+){0,2}$", body[max(0, cand.start - 30):cand.start]))
                cands.append((not by, cand.start, cand))
        if cands:
            a1 = min(cands, key=lambda c: (c[0], c[1]))[2]
    actor1 = actors.resolve_generic(a1, salient=salient, country=country) if a1 else None
    actor2 = actors.resolve_generic(a2m, salient=salient, country=country) if a2m else None
    if actor2 is not None and actor1 is not None and actor2.name == actor1.name:
        actor2 = None
    return a1, actor1, actor2


def _toll_after(doc: Any, end_char: int, taken: set[int]) -> tuple[int, int] | None:
    """The sentence right after an incident when it is only its toll ("... clash in X. Nine dead reported.")
    and no incident of its own: its count belongs to the incident (its span joins the evidence)."""
    tok = doc.char_span(end_char, end_char, alignment_mode="expand")
    i = tok.start if tok is not None else len(doc)
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i >= len(doc):
        return None
    span = toll_sentence(doc[i].sent)
    return span if span is not None and span[0] not in taken else None


def _assemble(article: Article, doc: Any, inc: _Incident, *, match_in: Any, match_all: Any, salient: list[Actor],
              country: str | None, actors: ActorTable, typer: Any = None,
              claims_cache: dict | None = None) -> EventMention:
    body = article.body
    spans = sorted({(m.det.sent_start, m.det.sent_end) for m in inc.members} | ({inc.toll} if inc.toll else set()))
    evidence = [Evidence(article.id, body[s:e], s, e) for s, e in spans]
    head = inc.head.det
    dec = head.decision
    if dec.event_type == "Protests":
        dec = _protest_decision(inc)
    elif dec.event_type == "Violence against civilians" and dec.sub_event_type == "Attack" and _resisted(doc, head):
        dec = dataclasses.replace(dec, event_type="Battles", sub_event_type="Armed clash",
                                  rule="the attack was met with armed resistance (fought back, repelled): armed clash")
    if typer is not None:
        from .typer import retype

        dec = retype(dec, " ".join(plain(e.text) for e in evidence), typer=typer)
    a1m, actor1, actor2 = _pick_actors(inc, body, match_in=match_in, match_all=match_all, salient=salient, country=country,
                                       actors=actors)
    if dec.event_type == "Violence against civilians" and (actor2 is None or actor2.inter != 7):
        actor2 = Actor(f"Civilians ({country})" if country else "Civilians", 7, country)
    if dec.event_type in ("Protests", "Riots"):
        # ACLED's order: the crowd is actor1, the force that intervened (or whom a mob attacked) actor2
        crowd_inter, stem = (6, "Protesters") if dec.event_type == "Protests" else (5, "Rioters")
        if actor1 is not None and actor1.inter in (1, 8) and (actor2 is None or actor2.inter in (5, 6)):
            actor1, actor2 = actor2, actor1
        if actor1 is None:
            actor1 = Actor(f"{stem} ({country})" if country else stem, crowd_inter, country)
    assoc1 = a1m.backer.name if (a1m is not None and a1m.backer is not None) else None
    start, end, precision = _span_of(inc, article.published)
    claims = _claims_for(article, doc, spans, cache=claims_cache)
    place = inc.place()
    rationale = f"cue '{dec.trigger}' ({dec.cue}): {dec.rule}"
    if len(spans) > 1:
        rationale += f"; {len(spans)} sentences grouped as one incident (same type, compatible date/place)"
    return EventMention(
        id=f"{article.id}:{evidence[0].start}",
        article_id=article.id,
        event_type=dec.event_type,
        sub_event_type=dec.sub_event_type,
        evidence=evidence,
        event_date=event_day(start, end),
        date_start=start,
        date_end=end,
        time_precision=precision,
        actor1=actor1.name if actor1 else None,
        assoc_actor_1=assoc1,
        inter1=actor1.inter if actor1 else None,
        actor2=actor2.name if actor2 else None,
        assoc_actor_2=None,
        inter2=actor2.inter if actor2 else None,
        claims=claims,
        place_text=place[0] if place else None,
        place_start=place[1] if place else None,
        notes=_notes(dec.sub_event_type, actor1, actor2, place, claims),
        trigger=dec.trigger,
        rationale=rationale,
    )


RESISTANCE = re.compile(
    r"\bfought (?:back|off)\b|\brepel|\brepuls|\breturned fire\b|\bexchange(?:d|s)? (?:of )?(?:gun)?fire\b|"
    r"\bbattled\b|\bgun ?battles?\b|\bfirefights?\b|\bshoot-?outs?\b|\bbeaten back\b|\bfought\b|"
    r"\bpushed (?:\w+ ){0,2}back\b|\bkill(?:ed|ing) (?:\w+ ){0,2}of the (?:attackers|assailants|gunmen)\b|"
    r"\bclash(?:ed|es)? with\b", re.IGNORECASE)


def _resisted(doc: Any, head: Detection) -> bool:
    """An attack met with armed resistance in its own or the next sentence ("gunmen attacked a post;
    soldiers returned fire") is a battle in ACLED's codebook, not one-sided violence."""
    nxt = 0
    for sent in doc.sents:
        if sent.end_char <= head.sent_start:
            continue
        if RESISTANCE.search(plain(sent.text)):
            return True
        nxt += 1
        if nxt >= 2:
            return False
    return False


def _protest_decision(inc: _Incident) -> Any:
    """A protest incident takes its most severe sub-type; a casualty sentence attached to it means force."""
    from dataclasses import replace as _replace

    protest = [m.det.decision for m in inc.members if m.det.decision.event_type == "Protests"]
    best = max(protest, key=lambda d: PROTEST_SEVERITY.get(d.sub_event_type, 0))
    hurt = [m.det.decision for m in inc.members if m.det.decision.event_type != "Protests"
            and m.det.decision.cue in ("kill", "battle")]
    if hurt and best.sub_event_type != "Excessive force against protesters":
        return _replace(best, sub_event_type="Excessive force against protesters",
                        rule=f"{best.rule}; then people were hurt ('{hurt[0].trigger}'): excessive force")
    return best


def _claims_for(article: Article, doc: Any, spans: list[tuple[int, int]], *,
                cache: dict | None = None) -> list[Claim]:
    out: list[Claim] = []
    seen: set[tuple[str, int, int, str | None]] = set()
    for s, e in spans:
        for c in find_claims(article.body, s, e, article_id=article.id, published=article.published,
                                 agency=article.agency, doc=doc, cache=cache):
            key = (c.quantity, c.start, c.end, c.qualifier)
            if key not in seen:
                seen.add(key)
                out.append(c)
    # a party's own outlet giving the same figure elsewhere in the article ("... (the group's
    # outlet reported 3)") is that figure's source: kept as a claim, so reconcile can tell
    # (one that only "also reported" it is a second voice: left out, as before)
    figures = {(c.quantity, c.low, c.high) for c in out}
    for c in find_claims(article.body, 0, len(article.body), article_id=article.id, published=article.published,
                             agency=article.agency, doc=doc, cache=cache):
        key = (c.quantity, c.start, c.end, c.qualifier)
        if c.qualifier == "partisan" and (c.quantity, c.low, c.high) in figures and key not in seen \
                and not corroborates(c):
            seen.add(key)
            out.append(c)
    return out


def _notes(sub: str, actor1: Actor | None, actor2: Actor | None, place: tuple[str, int] | None,
           claims: list[Claim]) -> str:
    who = actor1.name if actor1 else "Unidentified actor"
    text = f"{who}: {sub.lower()}"
    if actor2 is not None:
        text += f" against {actor2.name}"
    if place:
        text += f" in {place[0]}"
    killed = [c for c in claims if c.quantity == "killed" and c.low is not None]
    if killed:
        c = killed[0]
        qual = f"{c.qualifier} " if c.qualifier and c.qualifier != "sum" else ""
        text += f"; {qual}{c.low} killed" + (f" ({c.source})" if c.source else "")
    return text + "."
