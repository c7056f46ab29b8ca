"""Event mentions -> events: one real-world event, many reports.

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
  it only links with mentions that carry such a cue too.

Clusters grow greedily in a canonical order (report date, article id,
evidence start): a mention joins the cluster it links with most (ties: the
earliest), provided no member forbids it (different actor1, distinct cue), so
the output does not depend on input order.  A mention is compared only with
earlier ones of its block (country and type group) whose time -- span, else
report date -- overlaps its own widened by ``window_days``, with the undated
ones and with those of its own article.  Earlier mentions with equal linking
features (type, dates, place, actors, cue) are met as one class: one
comparison stands for all of them except those of the mention's own article
or story, so n reports of one place and day cost O(n) comparisons, not O(n^2)
(``tests/test_merge.py`` checks the partition against the pairwise rule).

Event fields: the sub-type with the highest weight over the mentions (a
specific sub-type weighs 3, a generic one -- Armed clash, Attack, Other,
Peaceful protest -- 1), so clashes + one suicide bombing give Suicide bomb;
dates: the intersection of the spans, else the earliest report's; location:
the most precise, then most mentioned; actors: the most frequent non-null;
claims/evidence: all, deduplicated; sources: one per article; figures: see
:mod:`wirewatch.merge.reconcile`.  Ids: a mention's previous event id is kept
(``previous``), else ``"ev_" + sha256(anchor mention id)[:16]``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .bounds import effective_span, points_apart, precise_point, reaches_report, spans_apart
from ..pipeline.gcpause import collector_paused
from ..models import EVENT_TYPES, POLITICAL_VIOLENCE, Article, Claim, Event, EventMention, Evidence, Location, SourceRef
from .reconcile import reconcile_claims

log = logging.getLogger(__name__)

GENERIC_SUBTYPES = frozenset({"Armed clash", "Attack", "Other", "Peaceful protest"})
_STANDOFF = frozenset({"Air/drone strike", "Shelling/artillery/missile attack", "Chemical weapon"})
_SAME_SUBTYPE = frozenset({"Strategic developments", "Violence against civilians", "Displacement"})
_FAMILY = {sub: family for family, subs in EVENT_TYPES.items() for sub in subs}
_DISTINCT = re.compile(
    r"\b(?:second|third|another|separate|further|new)\s+(?:\w+\s+){0,2}?"
    r"(?:blasts?|bombs?|bombings?|explosions?|attacks?|strikes?|airstrikes?|raids?|clash(?:es)?|"
    r"shelling|incidents?|assaults?|ambush(?:es)?|killings?|shootings?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MergeSettings:
    """Thresholds of the linking rule (see module docstring)."""

    km_precise: float = 10.0
    km_near: float = 25.0
    km_contains: float = 5.0
    window_days: int = 1  # blocking slack around a mention's span (days)
    displacement_days: int = 14


@dataclass(slots=True)
class _M:
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


def _fold(name: str | None) -> str:
    return _fold_name(name) if name else ""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def anchor_key(m: EventMention, article: Article | None) -> tuple:
    """Canonical order: report date (undated last), article id, first evidence start, mention id."""
    published = article.published if article and article.published else dt.date.max
    start = min((e.start for e in m.evidence), default=0)
    return (published, m.article_id, start, m.id)


def event_id_for(anchor_mention_id: str) -> str:
    return "ev_" + hashlib.sha256(anchor_mention_id.encode("utf-8")).hexdigest()[:16]


def _span(m: EventMention) -> tuple[dt.date, dt.date] | None:
    start = m.date_start or m.event_date
    end = m.date_end or m.event_date or start
    if start is None:
        return None
    return (start, end) if end >= start else (end, start)


def _prepare(m: EventMention, articles: Mapping[str, Article]) -> _M:
    art = articles.get(m.article_id)
    loc = m.location
    country = (loc.country_code or loc.country) if loc else None
    ev_text = " ".join(e.text for e in m.evidence)
    return _M(
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


def _places_compatible(a: _M, b: _M, s: MergeSettings, *, kin: bool, b_text: bool = True) -> bool | None:
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
            return _fold(la.admin1) == _fold(lb.admin1)
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
    key = _fold(name)
    return bool(key) and f" {key} " in f" {folded_text} "


def _same_place(la: Location, lb: Location) -> bool:
    if la.geonameid is not None and la.geonameid == lb.geonameid:
        return True
    return bool(_fold(la.location)) and _fold(la.location) == _fold(lb.location)


def _dates_compatible(a: _M, b: _M, s: MergeSettings, *, same_story: bool, same_article: bool = False) -> bool:
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


def _forbidden(a: _M, b: _M, s: MergeSettings) -> bool:
    """Constraints that hold against every member of a cluster, not just one link (and :mod:`wirewatch.merge.bounds`)."""
    if a.distinct != b.distinct:
        return True
    if a.m.event_type == "Displacement":  # a population on the move: who made it flee is not its identity
        return False
    if spans_apart(a.time(s), b.time(s)) or points_apart(precise_point(a.m.location), precise_point(b.m.location),
                                                         km=s.km_near, distance=haversine_km):
        return True
    x, y = _fold(a.m.actor1), _fold(b.m.actor1)
    if not x or not y or _same_actor(x, y):
        return False
    if a.m.event_type == b.m.event_type == "Battles":  # who is actor1 in a clash is arbitrary
        sa = {v for v in (x, _fold(a.m.actor2)) if v}
        sb = {v for v in (y, _fold(b.m.actor2)) if v}
        return not any(_same_actor(u, v) for u in sa for v in sb)
    return True


def _same_actor(x: str, y: str) -> bool:
    """Folded names are one actor when equal or one is a word-bounded part of the other."""
    return x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} "


APART, STORY, ARTICLE = "apart", "story", "article"


def relation(a: _M, b: _M) -> str:
    """How two mentions are related outside their content: one article, one story, or apart."""
    if a.m.article_id == b.m.article_id:
        return ARTICLE
    return STORY if a.story is not None and a.story == b.story else APART


def links(a: _M, b: _M, s: MergeSettings, *, rel: str | None = None, b_text: bool = True) -> bool | None:
    """Do two prepared mentions report the same event (see module docstring)?

    ``rel`` (:func:`relation`, computed when not given) is all the rule reads of the two mentions'
    articles; the rest is their features (:func:`_features`).  With ``b_text=False`` ``b`` stands for
    every mention with its features: the answer is None when it depends on each one's evidence text.
    """
    rel = rel or relation(a, b)
    return (
        not _forbidden(a, b, s)
        and types_compatible(a.m, b.m, same_article=rel == ARTICLE)
        and _dates_compatible(a, b, s, same_story=rel != APART, same_article=rel == ARTICLE)
        and _places_compatible(a, b, s, kin=rel != APART, b_text=b_text)
    )


# -- clustering ------------------------------------------------------------------------------


def _fill_countries(prepared: list[_M]) -> None:
    """An unlocated mention takes the country its article's located mentions agree on most."""
    per_article: dict[str, Counter[str]] = defaultdict(Counter)
    for p in prepared:
        if p.country:
            per_article[p.m.article_id][p.country] += 1
    for p in prepared:
        if p.country is None and per_article.get(p.m.article_id):
            counts = per_article[p.m.article_id]
            p.country = min(counts, key=lambda c: (-counts[c], c))


def _block_key(p: _M) -> tuple:
    if p.m.event_type == "Displacement":
        return (p.country, "displacement")
    return (p.country, "violence" if p.m.event_type in POLITICAL_VIOLENCE else p.m.event_type.replace("Riots", "Protests"))


def _time_of(p: _M, *, displacement: bool) -> tuple[dt.date, dt.date] | None:
    """The days a mention's pool is looked up by: its span, else its report date (Displacement: the report date)."""
    if displacement:
        t = p.report or (p.span[1] if p.span else None)
        return None if t is None else (t, t)
    if p.span is not None:
        return p.span
    return None if p.report is None else (p.report, p.report)


@dataclass(frozen=True, slots=True)
class MergeLane:
    """Where the merge looks for a mention's partners.

    Mentions are compared only inside one ``lane`` (country and type group) and only when their days
    (``lo``..``hi`` as ordinals; None when undated) overlap once widened by :func:`lane_pad` days, or
    one of them is undated, or they come from one article.  So the mentions reachable from a new one
    through such pairs are all that a refresh needs to merge again (see :mod:`wirewatch.merge.refresh`).
    """

    mention_id: str
    article_id: str
    lane: str
    lo: int | None
    hi: int | None
    report: int | None = None  # the article's report date (ordinal): with the article id, the merge's order


def merge_lanes(mentions: Sequence[EventMention], articles: Mapping[str, Article]) -> list[MergeLane]:
    """The :class:`MergeLane` of each mention; give every mention of an article together (they share its country)."""
    prepared = [_prepare(m, articles) for m in mentions]
    _fill_countries(prepared)
    out = []
    for p in prepared:
        country, group = _block_key(p)
        t = _time_of(p, displacement=group == "displacement")
        out.append(MergeLane(p.m.id, p.m.article_id, f"{country or ''}|{group}",
                             t[0].toordinal() if t else None, t[1].toordinal() if t else None,
                             p.report.toordinal() if p.report else None))
    return out


def lane_country(lane: str) -> str | None:
    """The country a :class:`MergeLane` ``lane`` blocks by."""
    return lane.split("|", 1)[0] or None


def lane_pad(lane: str, settings: MergeSettings | None = None) -> int:
    """Days by which two mentions' days in ``lane`` may miss each other and still be compared."""
    s = settings or MergeSettings()
    return s.displacement_days if lane.endswith("|displacement") else s.window_days


def _cluster(prepared: list[_M], s: MergeSettings, fixed: Mapping[str, str] | None = None) -> list[list[_M]]:
    """Greedy canonical-order clustering inside (country, type-group) blocks and a date window.

    Blocks are independent; mentions are placed in canonical order across all blocks at once, so
    that the clusters come out (and their events are built) in about the order of their dates:
    each step touches recent data, which keeps a large merge about as fast per mention as a small one.
    A mention in ``fixed`` (mention id -> event id) is not placed by the rule: it joins the other
    mentions of its event id (see :func:`merge_mentions`).
    """
    blocks: dict[tuple, _Block] = {}
    clusters: list[list[_M]] = []
    fixed_cluster: dict[str, int] = {}
    for p in prepared:  # canonical order
        key = _block_key(p)
        block = blocks.get(key)
        if block is None:
            block = blocks[key] = _Block(key[1] == "displacement", s, clusters)
        if fixed and p.m.id in fixed:
            block.place(p, fixed=fixed_cluster, event_id=fixed[p.m.id])
        else:
            block.place(p)
    return clusters


def _features(p: _M) -> tuple:
    """Everything :func:`links` reads of one mention except its article, story and evidence text."""
    loc = p.m.location
    where = None if loc is None else (loc.geo_precision, _fold(loc.admin1), loc.latitude, loc.longitude,
                                      loc.geonameid, _fold(loc.location))
    report = p.report if p.span is None or p.span[0] != p.span[1] or p.m.event_type == "Displacement" else None
    return (p.distinct, p.m.event_type, p.m.sub_event_type, _fold(p.m.actor1), _fold(p.m.actor2), p.span, report,
            p.country, where)


def _forbid_key(p: _M) -> tuple:
    """Everything :func:`_forbidden` reads of its second mention."""
    return (p.distinct, p.m.event_type == "Battles", _fold(p.m.actor1), _fold(p.m.actor2), p.span, p.report,
            precise_point(p.m.location))


class _Class:
    """Placed mentions of one block with equal :func:`_features`: for a later mention they all link
    alike (one :func:`links` call for the lot), except those of its own article or story."""

    __slots__ = ("rep", "span", "counts", "by_story", "members")

    def __init__(self, rep: _M, span: tuple[dt.date, dt.date] | None) -> None:
        self.rep = rep
        self.span = span
        self.counts: dict[int, int] = {}  # cluster -> placed members
        self.by_story: dict[str, dict[int, int]] | None = None  # story -> cluster -> placed members
        self.members: list[_M] = []

    def place(self, p: _M, cid: int) -> None:
        self.counts[cid] = self.counts.get(cid, 0) + 1
        self.members.append(p)
        if p.story is not None:
            if self.by_story is None:
                self.by_story = {}
            story = self.by_story.setdefault(p.story, {})
            story[cid] = story.get(cid, 0) + 1


def _minus(a: Mapping[int, int], b: Mapping[int, int]) -> dict[int, int]:
    """Counts of ``a`` less those of ``b``, positive ones only."""
    out = {}
    for k, n in a.items():
        n -= b.get(k, 0)
        if n > 0:
            out[k] = n
    return out


class _Timeline:
    """Classes sorted by the start of their time, for overlap queries by binary search (grows as classes are placed)."""

    def __init__(self) -> None:
        self.items: list[tuple[dt.date, int, _Class]] = []
        self.starts: list[dt.date] = []
        self.longest = 0

    def add(self, c: _Class, order: int) -> None:
        i = bisect.bisect_right(self.starts, c.span[0])
        self.starts.insert(i, c.span[0])
        self.items.insert(i, (c.span[0], order, c))
        self.longest = max(self.longest, (c.span[1] - c.span[0]).days)

    def overlapping(self, lo: dt.date, hi: dt.date) -> Iterator[_Class]:
        a = bisect.bisect_left(self.starts, lo - dt.timedelta(days=self.longest))
        b = bisect.bisect_right(self.starts, hi)
        for _, _, c in self.items[a:b]:
            if c.span[1] >= lo:
                yield c


class _Block:
    """Greedy clustering of one (country, type-group) block, mentions taken in canonical order.

    A mention ``p`` meets the earlier mentions in its *pool*: those whose time (span, else report
    date; the report date for Displacement) overlaps ``p``'s widened by ``window_days``
    (``displacement_days``), the undated ones, and those of its own article.  It joins the cluster
    holding most pool mentions it links with (ties: the earliest cluster) unless a member forbids
    it; else it starts a cluster.  Pool mentions are met class by class (:class:`_Class`), so
    ``n`` reports of one place and day cost ``O(n)`` comparisons, not ``O(n^2)``.
    """

    def __init__(self, displacement: bool, s: MergeSettings, clusters: list[list[_M]]) -> None:
        self.displacement = displacement
        self.s = s
        self.pad = dt.timedelta(days=s.displacement_days if displacement else s.window_days)
        self.clusters = clusters
        self.classes: dict[tuple, _Class] = {}
        self.short, self.long = _Timeline(), _Timeline()
        self.undated: list[_Class] = []
        # the placed mentions of the article being placed: an article's mentions are consecutive in
        # canonical order, so only the current one is kept (no table that grows with the corpus)
        self.kin_article: str | None = None
        self.kin: list[tuple[_M, _Class]] = []
        self.forbid: dict[int, dict[tuple, _M]] = {}  # cluster -> one member per _forbid_key

    def _pool_classes(self, span: tuple[dt.date, dt.date] | None) -> list[_Class]:
        out = list(self.undated)
        if span is not None:
            lo, hi = span[0] - self.pad, span[1] + self.pad
            out += self.short.overlapping(lo, hi)
            out += self.long.overlapping(lo, hi)
        return out

    def _votes(self, p: _M, span: tuple[dt.date, dt.date] | None) -> dict[int, int]:
        s = self.s
        votes: dict[int, int] = {}
        kin = self.kin if self.kin_article == p.m.article_id else ()
        kin_classes = {id(k) for _, k in kin}
        for c in self._pool_classes(span):
            # Members of p's own article are met one by one below; the members of its story (other
            # articles) link alike, and so do the rest: one ``links`` call per part.
            story = c.by_story.get(p.story) if p.story is not None and c.by_story else None
            if not story and id(c) not in kin_classes:
                self._vote_part(votes, p, c, APART, c.counts)
                continue
            own = Counter(q.cluster for q, k in kin if k is c)
            if story:
                self._vote_part(votes, p, c, APART, _minus(c.counts, story))
                self._vote_part(votes, p, c, STORY, _minus(story, own))
            else:
                self._vote_part(votes, p, c, APART, _minus(c.counts, own))
        for q, _ in kin:
            if links(p, q, s, rel=ARTICLE):
                votes[q.cluster] = votes.get(q.cluster, 0) + 1
        return votes

    def _vote_part(self, votes: dict[int, int], p: _M, c: _Class, rel: str, part: Mapping[int, int]) -> None:
        if not part:
            return
        ok = links(p, c.rep, self.s, rel=rel, b_text=False)
        if ok:
            for cid, n in part.items():
                votes[cid] = votes.get(cid, 0) + n
        elif ok is None:  # depends on each member's own evidence text
            for q in c.members:
                if relation(p, q) == rel and links(p, q, self.s, rel=rel):
                    votes[q.cluster] = votes.get(q.cluster, 0) + 1

    def place(self, p: _M, *, fixed: dict[str, int] | None = None, event_id: str | None = None) -> None:
        """Put ``p`` (after every mention before it in canonical order) into a cluster.

        With ``event_id`` the cluster is not chosen: ``p`` joins the cluster of the other mentions
        placed with that ``event_id`` (``fixed`` maps it to the cluster)."""
        span = _time_of(p, displacement=self.displacement)
        chosen = None
        if event_id is not None and fixed is not None:
            chosen = fixed.get(event_id)
        else:
            votes = self._votes(p, span)
            for cid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
                if not any(_forbidden(p, q, self.s) for q in self.forbid[cid].values()):
                    chosen = cid
                    break
        if chosen is None:
            chosen = len(self.clusters)
            self.clusters.append([])
            self.forbid[chosen] = {}
        if event_id is not None and fixed is not None:
            fixed[event_id] = chosen
        self.clusters[chosen].append(p)
        self.forbid[chosen].setdefault(_forbid_key(p), p)
        p.cluster = chosen
        key = _features(p)
        c = self.classes.get(key)
        if c is None:
            c = self.classes[key] = _Class(p, span)
            if span is None:
                self.undated.append(c)
            else:
                (self.short if (span[1] - span[0]).days <= 7 else self.long).add(c, p.rank)
        c.place(p, chosen)
        if self.kin_article != p.m.article_id:
            self.kin_article, self.kin = p.m.article_id, []
        self.kin.append((p, c))


# -- building events -------------------------------------------------------------------------


def _weight(sub: str) -> int:
    return 1 if sub in GENERIC_SUBTYPES else 3


def _pick_type(ms: list[_M]) -> tuple[str, str]:
    score: Counter[str] = Counter()
    for p in ms:
        score[p.m.sub_event_type] += _weight(p.m.sub_event_type)
    sub = min(score, key=lambda k: (-score[k], -_weight(k), k))
    family = next((p.m.event_type for p in ms if p.m.sub_event_type == sub), _FAMILY.get(sub, ""))
    return family, sub


def _pick_dates(ms: list[_M]) -> tuple[dt.date | None, dt.date | None, dt.date | None, int | None]:
    spans = [p for p in ms if p.span is not None]
    if not spans:
        return None, None, None, None
    start = max(p.span[0] for p in spans)
    end = min(p.span[1] for p in spans)
    if start <= end:
        days = (end - start).days
        precisions = [p.m.time_precision for p in spans if p.m.time_precision]
        precision = 1 if days == 0 else (2 if days <= 7 else 3)
        if days == 0 and precisions:
            precision = min(precisions)
        exact = [p.m.event_date for p in spans if p.m.event_date and start <= p.m.event_date <= end]
        return (exact[0] if exact else start), start, end, precision
    first = spans[0]  # spans keep canonical order: the earliest report
    return (first.m.event_date or first.span[0]), first.span[0], first.span[1], first.m.time_precision


def _loc_key(loc: Location) -> tuple:
    return (loc.geonameid, _fold(loc.location), loc.geo_precision)


def _pick_location(ms: list[_M]) -> Location | None:
    located = [p.m.location for p in ms if p.m.location is not None]
    if not located:
        return None
    counts = Counter(_loc_key(loc) for loc in located)
    order = {k: i for i, k in reversed(list(enumerate(_loc_key(loc) for loc in located)))}
    best = min(counts, key=lambda k: (k[2], -counts[k], order[k]))
    return located[order[best]]


def _pick_actor(ms: list[_M], name: str, assoc: str, inter: str) -> tuple[str | None, str | None, int | None]:
    values = [getattr(p.m, name) for p in ms if getattr(p.m, name)]
    if not values:
        return None, None, None
    counts = Counter(values)
    first = {v: i for i, v in reversed(list(enumerate(values)))}
    actor = min(counts, key=lambda v: (-counts[v], first[v]))
    carriers = [p.m for p in ms if getattr(p.m, name) == actor]
    assocs = Counter(getattr(m, assoc) for m in carriers if getattr(m, assoc))
    inters = Counter(getattr(m, inter) for m in carriers if getattr(m, inter) is not None)
    return (
        actor,
        min(assocs, key=lambda v: (-assocs[v], v)) if assocs else None,
        min(inters, key=lambda v: (-inters[v], v)) if inters else None,
    )


def _source_ref(article: Article) -> SourceRef:
    return SourceRef(article.id, article.external_id, article.headline, article.agency, article.published, article.url,
                     source=article.source, origin=article.origin)


def _build(ms: list[_M], event_id: str, articles: Mapping[str, Article]) -> Event:
    ms = sorted(ms, key=lambda p: p.rank)
    family, sub = _pick_type(ms)
    event_date, start, end, precision = _pick_dates(ms)
    a1 = _pick_actor(ms, "actor1", "assoc_actor_1", "inter1")
    a2 = _pick_actor(ms, "actor2", "assoc_actor_2", "inter2")
    claims: dict[tuple, Claim] = {}
    evidence: dict[tuple, Evidence] = {}
    stages: dict[str, str] = {}
    for p in ms:
        for c in p.m.claims:
            claims.setdefault((c.article_id, c.start, c.end), c)
        for e in p.m.evidence:
            evidence.setdefault((e.article_id, e.start, e.end), e)
        for k, v in p.m.stages.items():
            stages.setdefault(k, v)
    article_order = {}
    for p in ms:
        article_order.setdefault(p.m.article_id, p.key[:2])
    def in_report_order(x: Claim | Evidence) -> tuple:
        return (article_order.get(x.article_id, (dt.date.max, x.article_id)), x.start, x.end)

    claim_list = sorted(claims.values(), key=in_report_order)
    sources = sorted(
        (_source_ref(articles[a]) for a in article_order if a in articles),
        key=lambda r: (r.published or dt.date.max, r.article_id),
    )
    published = {a: articles[a].published for a in article_order if a in articles}
    killed = reconcile_claims(claim_list, quantity="killed", published=published)
    best = min(ms, key=lambda p: (p.m.sub_event_type != sub, p.m.location.geo_precision if p.m.location else 9,
                                  -len(p.m.evidence), p.rank))
    notes = [best.m.notes] if best.m.notes else []
    if killed.note:
        notes.append(killed.note)
    if family == "Displacement":
        for qty in ("displaced", "refugees"):
            fig = reconcile_claims(claim_list, quantity=qty, published=published)
            if fig.best is not None and fig.note:
                notes.append(fig.note)
            elif fig.best is not None:
                spread = f" ({fig.low:,}-{fig.high:,} across reports)" if fig.low != fig.high else ""
                notes.append(f"{qty.capitalize()}: {fig.best:,} in the newest report{spread}.")
    return Event(
        id=event_id,
        event_type=family,
        sub_event_type=sub,
        event_date=event_date,
        date_start=start,
        date_end=end,
        time_precision=precision,
        actor1=a1[0],
        assoc_actor_1=a1[1],
        inter1=a1[2],
        actor2=a2[0],
        assoc_actor_2=a2[1],
        inter2=a2[2],
        location=_pick_location(ms),
        fatalities=killed.conservative,
        fatalities_low=killed.low,
        fatalities_best=killed.best,
        fatalities_high=killed.high,
        claims=claim_list,
        sources=sources,
        evidence=sorted(evidence.values(), key=in_report_order),
        notes=" ".join(notes) if notes else None,
        mention_ids=[p.m.id for p in ms],
        stages=stages,
    )


def _assign_ids(clusters: list[list[_M]], previous: Mapping[str, str], reserved: Container[str] = ()) -> list[str]:
    """Keep previous ids (earliest member's wins; a split-off part gets a new id); new clusters hash their anchor
    (avoiding the ids kept and those ``reserved`` by events merged elsewhere)."""
    ordered = sorted(range(len(clusters)), key=lambda i: min(p.rank for p in clusters[i]))
    claims: dict[str, list[tuple[tuple, int]]] = defaultdict(list)
    for i in ordered:
        for p in sorted(clusters[i], key=lambda p: p.rank):
            old = previous.get(p.m.id)
            if old:
                claims[old].append((p.rank, i))
    owner = {old: min(cands)[1] for old, cands in claims.items()}
    ids: list[str | None] = [None] * len(clusters)
    for i in ordered:
        kept = sorted((min(k for k, j in claims[old] if j == i), old) for old, o in owner.items() if o == i)
        if kept:
            ids[i] = kept[0][1]
    used = {x for x in ids if x}
    for i in ordered:
        if ids[i] is None:
            anchor = min(clusters[i], key=lambda p: p.rank).m.id
            new, n = event_id_for(anchor), 1
            while new in used or new in reserved:
                n += 1
                new = event_id_for(f"{anchor}#{n}")
            ids[i] = new
            used.add(new)
    return [x for x in ids if x is not None]


def merge_mentions(
    mentions: Sequence[EventMention],
    articles: Mapping[str, Article],
    *,
    previous: Mapping[str, str] = {},  # noqa: B006 (read-only)
    settings: MergeSettings | None = None,
    reserved: Container[str] = (),
    fixed: Mapping[str, str] | None = None,
    countries: Mapping[str, str | None] | None = None,
) -> list[Event]:
    """Merge mentions into events (see module docstring).  Output sorted by id; input order does not matter.

    A partial refresh (:mod:`wirewatch.merge.refresh`) passes ``reserved``, ids of stored events outside
    ``mentions`` that new events must not take, and ``fixed``, mentions (id -> event id) whose
    placement no new mention can change (they come before every new one in canonical order): each
    joins the other mentions of its event id instead of being placed by the rule again; and
    ``countries`` (mention id -> country code, from :func:`merge_lanes`) for mentions given without
    the rest of their article.
    """
    with collector_paused():  # builds O(n) acyclic objects: see wirewatch.pipeline.gcpause
        return _merge_mentions(mentions, articles, previous=previous, settings=settings, reserved=reserved,
                               fixed=fixed, countries=countries)


def _merge_mentions(
    mentions: Sequence[EventMention],
    articles: Mapping[str, Article],
    *,
    previous: Mapping[str, str],
    settings: MergeSettings | None,
    reserved: Container[str],
    fixed: Mapping[str, str] | None,
    countries: Mapping[str, str | None] | None,
) -> list[Event]:
    s = settings or MergeSettings()
    unique: dict[str, EventMention] = {}
    for m in mentions:
        if m.id in unique:
            log.debug("mention %s given twice; keeping the first", m.id)
            continue
        unique[m.id] = m
    prepared = sorted((_prepare(m, articles) for m in unique.values()), key=lambda p: p.key)
    for rank, p in enumerate(prepared):
        p.rank = rank
    _fill_countries(prepared)
    for p in prepared if countries else ():
        if p.m.id in countries:
            p.country = countries[p.m.id]
    clusters = _cluster(prepared, s, fixed)
    ids = _assign_ids(clusters, previous, reserved)
    events = [_build(c, i, articles) for c, i in zip(clusters, ids, strict=True)]
    log.info("merged %d mentions into %d events", len(prepared), len(events))
    return sorted(events, key=lambda e: e.id)


# -- history ---------------------------------------------------------------------------------

_LIST_KEYS = {
    "claims": lambda r: [(c["article_id"], c["start"], c["end"], c["quantity"], c["low"], c["high"]) for c in r],
    "sources": lambda r: [s["article_id"] for s in r],
    "evidence": lambda r: [(e["article_id"], e["start"], e["end"]) for e in r],
}


def diff_events(old: Event | None, new: Event | None) -> list[dict]:
    """Changes from ``old`` to ``new`` as ``[{"field", "old", "new"}]`` rows for the history table.

    A created event gives one row ``{"field": "event", "old": None, "new": id}``, a removed one
    ``{"field": "event", "old": id, "new": None}``.  List fields are compared by identity keys
    (claims by article, offsets, quantity and figures; sources by article; evidence by offsets)
    and reported as lists of those keys.  Values are JSON-serialisable.
    """
    if old is None and new is None:
        return []
    if old is None:
        return [{"field": "event", "old": None, "new": new.id}]
    if new is None:
        return [{"field": "event", "old": old.id, "new": None}]
    a, b = old.to_record(), new.to_record()
    a["mention_ids"], b["mention_ids"] = sorted(old.mention_ids), sorted(new.mention_ids)
    rows = []
    for key in a:
        va, vb = a[key], b.get(key)
        if key in _LIST_KEYS:
            va, vb = [list(x) if isinstance(x, tuple) else x for x in _LIST_KEYS[key](va)], [
                list(x) if isinstance(x, tuple) else x for x in _LIST_KEYS[key](vb)]
        if va != vb:
            rows.append({"field": key, "old": va, "new": vb})
    return rows
