"""When two event mentions link: the rule the merge applies to every pair it compares.

Two mentions (from one article or from several) *link* when all of these hold:

* **Types.**  The same event type, or two of Battles / Explosions/Remote
  violence / Violence against civilians (one assault told as clashes and as a
  suicide bombing), or Protests with Riots.  Inside Explosions/Remote violence
  stand-off weapons (air/drone strike, shelling, chemical weapon) never link
  with ground explosives (suicide bomb, IED/landmine, grenade); across types an
  air strike or shelling only links with a Battles/VAC mention of the same
  article.  Strategic developments, Violence against civilians and
  Displacement need the same sub-type.
* **Dates.**  Their spans overlap (a week or month span overlaps each of its
  days); a mention with no date in its text is about the day of its report or
  the one before (``window_days``); one that gives no exact day links with another
  report's mention only if that one's days reach to within ``window_days`` of its report; and one from an undated report (no date in
  the text, none for the report) links only with mentions of its own article or
  story.  Displacement figures
  of one situation are reported on different days, so Displacement mentions
  only need report dates within ``displacement_days`` (or the same story).
* **Places.**  Within a distance set by the coarser ``geo_precision``: 1 ->
  ``km_precise`` (10 km), 2 -> ``km_near`` (25 km), 3 -> same admin1.  Two
  differently named precise places (precision 1) are different places unless
  one is named in the other's evidence and lies within ``km_contains`` (5 km):
  "al-Mohata district" with "Homs" is one place, two districts of a city or a
  village and the town 8 km away are two.  A mention without a location, or
  located only to a country, links only with mentions of the same article or
  story; countries must agree.
* **Actors.**  Named, different ``actor1`` values never merge ("Islamic State"
  and "Islamic State (Iraq)" are the same name).  In two Battles mentions the
  sides may be listed in either order, so they conflict only when their
  named actors share no one.  Displacement ignores actors.
* **Bounds.**  Whatever links brought them together, no two members of one
  event (Displacement apart) have days that do not overlap or lie more than
  ``km_near`` apart when both are placed at or near a town (:mod:`wirewatch.merge.bounds`).
* **Distinct cues.**  A mention whose evidence says "a second blast", "another
  attack", "a separate raid"... is a different event from the plain mentions:
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .bounds import effective_span, points_apart, precise_point, reaches_report, spans_apart
from ..config import MergeSettings
from ..geo.distance import haversine_km
from ..models import POLITICAL_VIOLENCE, Article, EventMention, Location

_STANDOFF = frozenset({"Air/drone strike", "Shelling/artillery/missile attack", "Chemical weapon"})
_SAME_SUBTYPE = frozenset({"Strategic developments", "Violence against civilians", "Displacement"})
_DISTINCT = re.compile(
    r"\b(?:second|third|another|separate|further|new)\s+(?:\w+\s+){0,2}?"
    r"(?:blasts?|bombs?|bombings?|explosions?|attacks?|strikes?|airstrikes?|raids?|clash(?:es)?|"
    r"shelling|incidents?|assaults?|ambush(?:es)?|killings?|shootings?)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Prepared:
    """A mention with what the linking rule needs, computed once."""

    m: EventMention
    key: tuple
    article: Article | None
    span: tuple[dt.date, dt.date] | None
    report: dt.date | None
    story: str | None
    country: str | None
    distinct: bool
    rank: int = 0  # position in the canonical order (cheap to compare, unlike ``key``)
    cluster: int = -1  # set when placed by the clustering
    _folded: str | None = None

    def time(self, s: MergeSettings) -> tuple[dt.date, dt.date] | None:
        """The days this mention can be about (:func:`wirewatch.merge.bounds.effective_span`)."""
        return effective_span(self.span, self.report, slack_days=s.window_days)

    @property
    def evidence_text(self) -> str:
        """The evidence folded like names (computed on first use: only place checks need it)."""
        if self._folded is None:
            self._folded = fold_text(" ".join(e.text for e in self.m.evidence))
        return self._folded


_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_ARTICLE = re.compile(r"^(?:al|el|ad|as|ar|an|at|ash)\s+")


def fold_text(text: str) -> str:
    """Lower-case ASCII words, a leading Arabic article dropped ("al-Bab" -> "bab")."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    s = _ARTICLE.sub("", _NON_WORD.sub(" ", s).strip())
    return " ".join(s.split())


_fold_name = lru_cache(maxsize=65536)(fold_text)  # names (places, actors) repeat: cache them


def fold_name(name: str | None) -> str:
    return _fold_name(name) if name else ""


def anchor_key(m: EventMention, article: Article | None) -> tuple:
    """Canonical order: report date (undated last), article id, first evidence start, mention id."""
    published = article.published if article and article.published else dt.date.max
    start = min((e.start for e in m.evidence), default=0)
    return (published, m.article_id, start, m.id)


def _span(m: EventMention) -> tuple[dt.date, dt.date] | None:
    start = m.date_start or m.event_date
    end = m.date_end or m.event_date or start
    if start is None:
        return None
    return (start, end) if end >= start else (end, start)


def prepare_mention(m: EventMention, articles: Mapping[str, Article]) -> Prepared:
    art = articles.get(m.article_id)
    loc = m.location
    country = (loc.country_code or loc.country) if loc else None
    ev_text = " ".join(e.text for e in m.evidence)
    return Prepared(
        m=m,
        key=anchor_key(m, art),
        article=art,
        span=_span(m),
        report=art.published if art else None,
        story=art.story_id if art else None,
        country=country.upper() if country else None,
        distinct=bool(_DISTINCT.search(ev_text)),
    )


# -- the linking rule ------------------------------------------------------------------------


def types_compatible(a: EventMention, b: EventMention, *, same_article: bool) -> bool:
    ta, tb, sa, sb = a.event_type, b.event_type, a.sub_event_type, b.sub_event_type
    if ta == tb:
        if ta in _SAME_SUBTYPE:
            return sa == sb
        if ta == "Explosions/Remote violence":
            return (sa in _STANDOFF) == (sb in _STANDOFF)
        return True
    if {ta, tb} == {"Protests", "Riots"}:
        return True
    if ta in POLITICAL_VIOLENCE and tb in POLITICAL_VIOLENCE:
        standoff = (sa in _STANDOFF) or (sb in _STANDOFF)
        return same_article or not standoff
    return False


def _places_compatible(a: Prepared, b: Prepared, s: MergeSettings, *, kin: bool, b_text: bool = True) -> bool | None:
    """``kin``: same article or same story.  Without ``b_text`` (``b`` stands for a class of mentions with
    the same features but their own evidence), None when the answer depends on ``b``'s evidence."""
    la, lb = a.m.location, b.m.location
    if la is None or lb is None:
        return kin
    if a.country and b.country and a.country != b.country:
        return False
    precision = max(la.geo_precision, lb.geo_precision)
    if precision >= 3:
        if la.admin1 and lb.admin1:
            return fold_name(la.admin1) == fold_name(lb.admin1)
        # only a country is known: too vague to tie reports together outside one article or story
        return kin
    if la.latitude is None or lb.latitude is None or la.longitude is None or lb.longitude is None:
        return _same_place(la, lb)
    dist = haversine_km(la.latitude, la.longitude, lb.latitude, lb.longitude)
    if dist > (s.km_precise if precision == 1 else s.km_near):
        return False
    if precision == 1 and not _same_place(la, lb):
        if dist > s.km_contains:
            return False
        if _named_in(lb.location, a.evidence_text):
            return True
        return _named_in(la.location, b.evidence_text) if b_text else None
    return True


def _named_in(name: str | None, folded_text: str) -> bool:
    key = fold_name(name)
    return bool(key) and f" {key} " in f" {folded_text} "


def _same_place(la: Location, lb: Location) -> bool:
    if la.geonameid is not None and la.geonameid == lb.geonameid:
        return True
    return bool(fold_name(la.location)) and fold_name(la.location) == fold_name(lb.location)


def _dates_compatible(a: Prepared, b: Prepared, s: MergeSettings, *, same_story: bool,
                      same_article: bool = False) -> bool:
    if a.m.event_type == "Displacement":
        if same_story:
            return True
        ra = a.report or (a.span[1] if a.span else None)
        rb = b.report or (b.span[1] if b.span else None)
        return ra is None or rb is None or abs((ra - rb).days) <= s.displacement_days
    ta, tb = a.time(s), b.time(s)
    w = s.window_days
    if not same_article and not (reaches_report(a.span, a.report, tb, window_days=w)
                                 and reaches_report(b.span, b.report, ta, window_days=w)):
        return False
    if ta is None or tb is None:
        # A mention with no date whose report has none either (undated input): nothing but its words
        # ties it to another report's event, so it links only inside its article or story.
        return same_story
    return not spans_apart(ta, tb)


def forbidden(a: Prepared, b: Prepared, s: MergeSettings) -> bool:
    """Constraints that hold against every member of a cluster, not just one link (and :mod:`wirewatch.merge.bounds`)."""
    if a.distinct != b.distinct:
        return True
    if a.m.event_type == "Displacement":  # a population on the move: who made it flee is not its identity
        return False
    if spans_apart(a.time(s), b.time(s)) or points_apart(precise_point(a.m.location), precise_point(b.m.location),
                                                         km=s.km_near, distance=haversine_km):
        return True
    x, y = fold_name(a.m.actor1), fold_name(b.m.actor1)
    if not x or not y or _same_actor(x, y):
        return False
    if a.m.event_type == b.m.event_type == "Battles":  # who is actor1 in a clash is arbitrary
        sa = {v for v in (x, fold_name(a.m.actor2)) if v}
        sb = {v for v in (y, fold_name(b.m.actor2)) if v}
        return not any(_same_actor(u, v) for u in sa for v in sb)
    return True


def _same_actor(x: str, y: str) -> bool:
    """Folded names are one actor when equal or one is a word-bounded part of the other."""
    return x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} "


APART, STORY, ARTICLE = "apart", "story", "article"


def relation(a: Prepared, b: Prepared) -> str:
    """How two mentions are related outside their content: one article, one story, or apart."""
    if a.m.article_id == b.m.article_id:
        return ARTICLE
    return STORY if a.story is not None and a.story == b.story else APART


def links(a: Prepared, b: Prepared, s: MergeSettings, *, rel: str | None = None, b_text: bool = True) -> bool | None:
    """Do two prepared mentions report the same event (see module docstring)?

    ``rel`` (:func:`relation`, computed when not given) is all the rule reads of the two mentions'
    articles; the rest is their features (:func:`_features`).  With ``b_text=False`` ``b`` stands for
    every mention with its features: the answer is None when it depends on each one's evidence text.
    """
    rel = rel or relation(a, b)
    return (
        not forbidden(a, b, s)
        and types_compatible(a.m, b.m, same_article=rel == ARTICLE)
        and _dates_compatible(a, b, s, same_story=rel != APART, same_article=rel == ARTICLE)
        and _places_compatible(a, b, s, kin=rel != APART, b_text=b_text)
    )
