"""Building an event record from a cluster of mentions, and giving it its id.

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

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Container, Mapping

from ..models import EVENT_TYPES, NON_LETHAL_SUB_TYPES, Article, Claim, Event, Evidence, Location, SourceRef
from .reconcile import FigureRange, reconcile_claims
from .link import Prepared, fold_name


GENERIC_SUBTYPES = frozenset({"Armed clash", "Attack", "Other", "Peaceful protest"})
_FAMILY = {sub: family for family, subs in EVENT_TYPES.items() for sub in subs}


def event_id_for(anchor_mention_id: str) -> str:
    return "ev_" + hashlib.sha256(anchor_mention_id.encode("utf-8")).hexdigest()[:16]


def _weight(sub: str) -> int:
    return 1 if sub in GENERIC_SUBTYPES else 3


def _pick_type(ms: list[Prepared]) -> tuple[str, str]:
    score: Counter[str] = Counter()
    for p in ms:
        score[p.m.sub_event_type] += _weight(p.m.sub_event_type)
    sub = min(score, key=lambda k: (-score[k], -_weight(k), k))
    family = next((p.m.event_type for p in ms if p.m.sub_event_type == sub), _FAMILY.get(sub, ""))
    return family, sub


def _pick_dates(ms: list[Prepared]) -> tuple[dt.date | None, dt.date | None, dt.date | None, int | None]:
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
    return (loc.geonameid, fold_name(loc.location), loc.geo_precision)


def _pick_location(ms: list[Prepared]) -> Location | None:
    located = [p.m.location for p in ms if p.m.location is not None]
    if not located:
        return None
    counts = Counter(_loc_key(loc) for loc in located)
    order = {k: i for i, k in reversed(list(enumerate(_loc_key(loc) for loc in located)))}
    best = min(counts, key=lambda k: (k[2], -counts[k], order[k]))
    return located[order[best]]


def _pick_actor(ms: list[Prepared], name: str, assoc: str, inter: str) -> tuple[str | None, str | None, int | None]:
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


# A protester who sets himself alight and dies: ACLED counts that death in the protest's fatalities
SELF_IMMOLATION = re.compile(r"self-immolat|\bset(?:ting)? (?:him|her|them)sel(?:f|ves) (?:on fire|ablaze|alight)", re.I)


def build_event(ms: list[Prepared], event_id: str, articles: Mapping[str, Article]) -> Event:
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
    if sub in NON_LETHAL_SUB_TYPES and killed.high is not None \
            and not any(SELF_IMMOLATION.search(e.text) for e in evidence.values()):
        span = f"{killed.low:,}" if killed.low == killed.high else f"{killed.low or 0:,}-{killed.high:,}"
        killed = FigureRange("killed", None, None, None, f"The killed figure in its reports ({span}) is not this "
                             f"event's: ACLED codes no fatalities for a {sub.lower()}.", 0)
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


def assign_ids(clusters: list[list[Prepared]], previous: Mapping[str, str], reserved: Container[str] = ()) -> list[str]:
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
