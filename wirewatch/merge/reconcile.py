"""Claim reconciliation: many reported figures -> one range, one number, one note.

The rule (applied per quantity; events use ``killed`` for their fatality fields):

1. **Which claims count.**  Claims of the quantity with at least one of
   ``low``/``high`` set.  Claims qualified ``cumulative`` (a running total
   beyond this event), ``forecast``, ``partisan`` (an armed group's own
   outlet), ``coded`` (a coder's statement) or ``prior`` (deaths the event
   reacts to) are ignored (qualifiers of :mod:`wirewatch.extract.claims`).  A party's
   own figure taints its restatement: a claim from no named source
   whose figure equals a ``partisan`` claim's in the same article is that party's
   figure retold ("3 soldiers were killed ... (the group's outlet reported 3)"),
   and ACLED codes neither; a party that *also* reported it only corroborates.  A claim
   qualified ``sum`` (a total the text adds up from parts) replaces its parts:
   the other claims of the same source in the same article whose span lies
   inside the sum's span or whose figure is below the sum.  Vague figures
   ("dozens", "several": coded by ACLED's conventions) count only when no
   claim gives a number.
2. **A claim's figure.**  ``low``/``high`` as given; an open bound ("at
   least 40", "more than 50", "dozens") has only ``low``; its point value is
   ``low`` (``high`` when only ``high`` is known, as in "up to 10"; the
   midpoint for a range).
3. **Range.**  ``low`` = the lowest credible figure (min of the lows);
   ``high`` = the highest (max of the highs, a bound's ``low`` when open).
   A single victim in a report that gives a larger figure ("a rescue worker",
   "one of them", "the gunman was killed") is one of that number, not a rival
   count: it does not lower ``low``.
4. **Best.**  Rising tolls supersede older ones: take the newest report
   (latest ``published``, undated reports count as oldest) and its highest
   point figure.  When several reports share the newest date, the figure cited
   most often wins, then the most specific (exact beats "about" beats a bound
   beats "dozens"), then the highest.
5. **ACLED's number.**  ``fatalities`` = ``low`` (ACLED codes the conservative
   figure), 0 when no figure was reported; ``low``/``best``/``high`` are then null.
6. **Disputes.**  When two or more sources' newest figures differ, a note lists
   each source's newest figure in order of first report, ACLED style:
   ``Fatalities: Syrian Observatory for Human Rights reported more than 50;
   rebels reported at least 40.``  Displacement figures use the same rule
   (``quantity="displaced"``) and their note starts ``Displaced:``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..models import Claim

# Qualifiers of wirewatch.extract.claims that take a figure out of this event's toll: running totals,
# forecasts, an armed group's own figures, coder statements, deaths the event reacts to.
IGNORED_QUALIFIERS = frozenset({"cumulative", "forecast", "partisan", "coded", "prior"})
_VAGUE = re.compile(
    r"\b(?:dozens?|scores?|hundreds?|thousands?|millions?|several|many|numerous|number|handful|few|couple)\b"
)
_ALSO = re.compile(r"\balso\b", re.I)  # "the group also reported 3": a second voice, not the figure's source
_APPROX = frozenset({"about", "around", "approximately", "nearly", "almost", "some", "roughly", "up to", "estimated",
                     "fewer than"})
_NOTE_LABEL = {"killed": "Fatalities", "injured": "Injuries", "displaced": "Displaced", "refugees": "Refugees",
               "arrested": "Arrests", "abducted": "Abductions"}


@dataclass(frozen=True, slots=True)
class FigureRange:
    """The reconciled figure of one quantity over an event's claims."""

    quantity: str
    low: int | None
    best: int | None
    high: int | None
    note: str | None
    claims_used: int

    @property
    def conservative(self) -> int:
        """ACLED's single number: the low end, 0 when nothing was reported."""
        return self.low if self.low is not None else 0


def point(claim: Claim) -> int | None:
    """One number for a claim: exact figure, bound, or the midpoint of a range."""
    if claim.low is not None and claim.high is not None:
        return (claim.low + claim.high) // 2
    return claim.low if claim.low is not None else claim.high


def _specificity(claim: Claim) -> int:
    q = (claim.qualifier or "").lower()
    if _VAGUE.search(q):
        return 0
    if claim.high is None or claim.low is None:
        return 1  # an open bound
    if q in _APPROX or claim.low != claim.high:
        return 2
    return 3


def _drop_summed_parts(claims: list[Claim]) -> list[Claim]:
    sums = [c for c in claims if (c.qualifier or "").lower() == "sum"]
    if not sums:
        return claims
    out = []
    for c in claims:
        replaced = False
        if c not in sums:
            for s in sums:
                if s.article_id != c.article_id or s.source != c.source:
                    continue
                inside = s.start <= c.start and c.end <= s.end
                below = (point(c) or 0) < (point(s) or 0)
                if inside or below:
                    replaced = True
                    break
        if not replaced:
            out.append(c)
    return out


def usable_claims(claims: Iterable[Claim], *, quantity: str,
                  published: Mapping[str, dt.date | None] | None = None) -> list[Claim]:
    """The claims of ``quantity`` that count under the rule, in report order.

    ``published`` (article id -> date) dates claims whose own ``published`` is unset.
    """
    claims = [c for c in claims if c.quantity == quantity]
    partisan = {(c.article_id, c.low, c.high) for c in claims
                if (c.qualifier or "").lower() == "partisan" and not corroborates(c)}
    picked = [
        c
        for c in claims
        if (c.low is not None or c.high is not None)
        and (c.qualifier or "").lower() not in IGNORED_QUALIFIERS
        and not _retold(c, partisan)
    ]
    picked = _drop_summed_parts(picked)
    if any(_specificity(c) > 0 for c in picked):
        picked = [c for c in picked if _specificity(c) > 0]  # "dozens" only counts when nothing better exists
    return sorted(picked, key=lambda c: (_day(c, published), c.article_id, c.start, c.end))


def corroborates(c: Claim) -> bool:
    """``c`` is a party's second voice for a figure ("the group also reported 3"), not its source."""
    return bool(_ALSO.search(c.text))


def _retold(c: Claim, partisan: set[tuple[str, int | None, int | None]]) -> bool:
    """``c`` restates a party's own figure: same article, same figure, no other named source."""
    return c.source is None and (c.article_id, c.low, c.high) in partisan and (c.qualifier or "").lower() != "sum"


def _day(c: Claim, published: Mapping[str, dt.date | None] | None) -> dt.date:
    """The claim's report date; undated reports count as the oldest."""
    return c.published or (published.get(c.article_id) if published else None) or dt.date.min


def describe(claim: Claim) -> str:
    """``more than 50``, ``at least 40``, ``dozens``, ``32``."""
    q = (claim.qualifier or "").strip().lower()
    if _VAGUE.search(q):
        return q
    if claim.low is not None and claim.high is not None and claim.low != claim.high:
        return f"{claim.low:,}-{claim.high:,}"
    n = point(claim)
    if q and q not in ("sum", "exact", "between"):
        return f"{q} {n:,}"
    return f"{n:,}"


def _dispute_note(claims: list[Claim], quantity: str, published: Mapping[str, dt.date | None] | None) -> str | None:
    newest: dict[str, Claim] = {}
    first_seen: dict[str, int] = {}
    for i, c in enumerate(claims):  # report order: later claims of one source supersede
        who = c.source or "an unnamed source"
        first_seen.setdefault(who, i)
        prev = newest.get(who)
        if prev is None or _day(c, published) > _day(prev, published) or (
            _day(c, published) == _day(prev, published) and (point(c) or 0) > (point(prev) or 0)
        ):
            newest[who] = c
    if len(newest) < 2 or len({(point(c), c.high) for c in newest.values()}) < 2:
        return None
    parts = [f"{who} reported {describe(newest[who])}" for who in sorted(newest, key=first_seen.__getitem__)]
    return f"{_NOTE_LABEL.get(quantity, quantity.capitalize())}: " + "; ".join(parts) + "."


def _one_of_them(claim: Claim, largest: int) -> bool:
    """A single victim ("a rescue worker", "at least one child") where the same report counts more."""
    return claim.low == 1 and claim.high in (1, None) and largest > 1


def reconcile_claims(claims: Iterable[Claim], *, quantity: str = "killed",
                     published: Mapping[str, dt.date | None] | None = None) -> FigureRange:
    """Apply the module's rule to ``claims`` for one ``quantity``.

    ``published`` (article id -> date) dates claims whose own ``published`` is unset.
    """
    used = usable_claims(claims, quantity=quantity, published=published)
    if not used:
        return FigureRange(quantity, None, None, None, None, 0)
    largest: dict[str, int] = {}
    for c in used:
        largest[c.article_id] = max(largest.get(c.article_id, 0), point(c) or 0)
    counts = [c for c in used if not _one_of_them(c, largest[c.article_id])] or used
    lows = [c.low if c.low is not None else c.high for c in counts]
    highs = [c.high if c.high is not None else c.low for c in used]
    newest_date = max(_day(c, published) for c in used)
    latest = [c for c in used if _day(c, published) == newest_date]
    latest_articles = {c.article_id for c in latest}
    if len(latest_articles) == 1:
        best_claim = max(latest, key=lambda c: (point(c) or 0, _specificity(c)))
    else:
        # several newest reports: each report's highest figure, then most cited, most specific, highest
        per_article = {a: max((c for c in latest if c.article_id == a), key=lambda c: (point(c) or 0, _specificity(c)))
                       for a in latest_articles}
        cited = Counter(point(c) for c in per_article.values())
        best_claim = max(per_article.values(), key=lambda c: (cited[point(c)], _specificity(c), point(c) or 0))
    return FigureRange(
        quantity=quantity,
        low=min(lows),
        best=point(best_claim),
        high=max(highs),
        note=_dispute_note(used, quantity, published),
        claims_used=len(used),
    )
