"""Grouping linked mentions into clusters, one per real-world event.


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
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .bounds import precise_point
from ..models import POLITICAL_VIOLENCE, Article, EventMention
from .link import APART, ARTICLE, STORY, MergeSettings, Prepared, fold_name, forbidden, prepare_mention, links, relation


def fill_countries(prepared: list[Prepared]) -> None:
    """An unlocated mention takes the country its article's located mentions agree on most."""
    per_article: dict[str, Counter[str]] = defaultdict(Counter)
    for p in prepared:
        if p.country:
            per_article[p.m.article_id][p.country] += 1
    for p in prepared:
        if p.country is None and per_article.get(p.m.article_id):
            counts = per_article[p.m.article_id]
            p.country = min(counts, key=lambda c: (-counts[c], c))


def _block_key(p: Prepared) -> tuple:
    if p.m.event_type == "Displacement":
        return (p.country, "displacement")
    return (p.country, "violence" if p.m.event_type in POLITICAL_VIOLENCE else p.m.event_type.replace("Riots", "Protests"))


def _time_of(p: Prepared, *, displacement: bool) -> tuple[dt.date, dt.date] | None:
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
    prepared = [prepare_mention(m, articles) for m in mentions]
    fill_countries(prepared)
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


def cluster_mentions(prepared: list[Prepared], s: MergeSettings,
                     fixed: Mapping[str, str] | None = None) -> list[list[Prepared]]:
    """Greedy canonical-order clustering inside (country, type-group) blocks and a date window.

    Blocks are independent; mentions are placed in canonical order across all blocks at once, so
    that the clusters come out (and their events are built) in about the order of their dates:
    each step touches recent data, which keeps a large merge about as fast per mention as a small one.
    A mention in ``fixed`` (mention id -> event id) is not placed by the rule: it joins the other
    mentions of its event id (see :func:`.core.merge_mentions`).
    """
    blocks: dict[tuple, _Block] = {}
    clusters: list[list[Prepared]] = []
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


def _features(p: Prepared) -> tuple:
    """Everything :func:`links` reads of one mention except its article, story and evidence text."""
    loc = p.m.location
    where = None if loc is None else (loc.geo_precision, fold_name(loc.admin1), loc.latitude, loc.longitude,
                                      loc.geonameid, fold_name(loc.location))
    report = p.report if p.span is None or p.span[0] != p.span[1] or p.m.event_type == "Displacement" else None
    return (p.distinct, p.m.event_type, p.m.sub_event_type, fold_name(p.m.actor1), fold_name(p.m.actor2), p.span,
            report, p.country, where)


def _forbid_key(p: Prepared) -> tuple:
    """Everything :func:`forbidden` reads of its second mention."""
    return (p.distinct, p.m.event_type == "Battles", fold_name(p.m.actor1), fold_name(p.m.actor2), p.span, p.report,
            precise_point(p.m.location))


class _Class:
    """Placed mentions of one block with equal :func:`_features`: for a later mention they all link
    alike (one :func:`links` call for the lot), except those of its own article or story."""

    __slots__ = ("rep", "span", "counts", "by_story", "members")

    def __init__(self, rep: Prepared, span: tuple[dt.date, dt.date] | None) -> None:
        self.rep = rep
        self.span = span
        self.counts: dict[int, int] = {}  # cluster -> placed members
        self.by_story: dict[str, dict[int, int]] | None = None  # story -> cluster -> placed members
        self.members: list[Prepared] = []

    def place(self, p: Prepared, cid: int) -> None:
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

    def __init__(self, displacement: bool, s: MergeSettings, clusters: list[list[Prepared]]) -> None:
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
        self.kin: list[tuple[Prepared, _Class]] = []
        self.forbid: dict[int, dict[tuple, Prepared]] = {}  # cluster -> one member per _forbid_key

    def _pool_classes(self, span: tuple[dt.date, dt.date] | None) -> list[_Class]:
        out = list(self.undated)
        if span is not None:
            lo, hi = span[0] - self.pad, span[1] + self.pad
            out += self.short.overlapping(lo, hi)
            out += self.long.overlapping(lo, hi)
        return out

    def _votes(self, p: Prepared, span: tuple[dt.date, dt.date] | None) -> dict[int, int]:
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

    def _vote_part(self, votes: dict[int, int], p: Prepared, c: _Class, rel: str, part: Mapping[int, int]) -> None:
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

    def place(self, p: Prepared, *, fixed: dict[str, int] | None = None, event_id: str | None = None) -> None:
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
                if not any(forbidden(p, q, self.s) for q in self.forbid[cid].values()):
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
