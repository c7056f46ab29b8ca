"""The web API's reads that are the same SQL on SQLite and PostgreSQL but for the placeholder and how text
is ordered: one event, article pages and one article, aggregates, and the shape of ``/api/meta``.

:class:`StoreReads` is the base of :class:`wirewatch.web.queries.Queries` (SQLite) and
:class:`wirewatch.web.pg_queries.PostgresQueries`; each gives ``conn``, ``_where`` (the filter as its SQL),
``mark`` (``?`` or ``%s``), ``binary`` (what makes text compare byte-wise, as SQLite does by default) and
``nulls_first`` (what puts NULL first in ascending order, as SQLite does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import QueryError
from ..filters import EventFilter
from ..store.serde import article_from, event_from
from .filter_sql import decode_cursor, encode_cursor

AGGREGATE_KEYS: dict[str, str] = {
    "day": "e.event_date",
    "country": "e.country_code",
    "type": "e.event_type",
    "sub_event_type": "e.sub_event_type",
    "admin1": "e.admin1",
}


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


# Map clusters: the bounding box's width is cut into this many grid cells.
GRID_CELLS = 14
# degrees east of the box's west edge (SQLite's % would truncate to integers, so no modulo); {p}: placeholder
EAST_OF_WEST = "(CASE WHEN e.longitude >= {p} THEN e.longitude - {p} ELSE e.longitude - {p} + 360.0 END)"


def cluster_cell(flt: EventFilter) -> tuple[float, float]:
    """The map's clusters for ``flt``: (west edge of the box, size of a grid cell in degrees)."""
    w, s, east, n = flt.bbox or (-180.0, -90.0, 180.0, 90.0)
    width = (east - w) % 360 or 360.0
    return w, max(width / GRID_CELLS, (n - s) / GRID_CELLS / 2, 1e-4)


def clusters_body(cell: float, rows: list[tuple]) -> dict[str, Any]:
    """``/api/map`` in clusters mode from rows (count, fatalities, mean latitude, mean longitude, ...)."""
    return {"mode": "clusters", "cell_degrees": cell,
            "clusters": [{"count": c, "fatalities": int(f or 0), "latitude": la, "longitude": lo}
                         for c, f, la, lo, *_ in rows]}


class StoreReads:
    conn: Any
    mark = "?"
    binary = ""
    nulls_first = ""  # (SQLite's default order of NULL)

    def _where(self, flt: EventFilter) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def event(self, event_id: str) -> dict[str, Any] | None:
        """The full event record plus, per evidence sentence, where each claim's figure sits in it."""
        p = self.mark
        row = self.conn.execute(f"SELECT record FROM events WHERE id = {p}", (event_id,)).fetchone()
        if row is None:
            return None
        record = event_from(json.loads(row[0])).to_record()
        for ev in record["evidence"]:
            ev["highlights"] = highlights(ev, record["claims"])
        history = self.conn.execute(
            f"SELECT run_id, at, article_ids, changes FROM event_history WHERE event_id = {p} ORDER BY id DESC"
            " LIMIT 50", (event_id,)).fetchall()
        record["history"] = [{"run_id": r, "at": at, "article_ids": json.loads(a or "[]"), "changes": json.loads(c)}
                             for r, at, a, c in history]
        return record

    def _totals_and_types(self) -> tuple[tuple[int, int, str | None, str | None], list[tuple]]:
        """(events, articles, first date, last date) and the (type, sub-type, events) rows of ``/api/meta``."""
        b = self.binary
        n_events, first, last = self.conn.execute(
            f"SELECT count(*), min(event_date{b}), max(event_date{b}) FROM events").fetchone()
        n_articles = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        types = self.conn.execute(
            "SELECT event_type, sub_event_type, count(*) FROM events GROUP BY event_type, sub_event_type"
            f" ORDER BY event_type{b}, sub_event_type{b}").fetchall()
        return (n_events, n_articles, first, last), types

    # -- aggregates --------------------------------------------------------
    def aggregate(self, flt: EventFilter, *, by: str, limit: int) -> list[dict[str, Any]]:
        if by not in AGGREGATE_KEYS:
            raise QueryError(f"cannot group by {by!r}; choose one of {', '.join(AGGREGATE_KEYS)}")
        key = AGGREGATE_KEYS[by]
        clause, params = self._where(flt)
        ordered = f"{key}{self.binary}{self.nulls_first}"
        order = ordered if by == "day" else "count(*) DESC, " + ordered
        rows = self.conn.execute(
            f"SELECT {key}, count(*), sum(e.fatalities) FROM events AS e WHERE {clause}"  # noqa: S608
            f" GROUP BY {key} ORDER BY {order} LIMIT {self.mark}", [*params, limit]).fetchall()
        return [{"key": k, "events": n, "fatalities": int(f or 0)} for k, n, f in rows]

    # -- articles ----------------------------------------------------------
    def articles(self, *, limit: int, cursor: str | None = None) -> Page:
        after = 0
        if cursor:
            try:
                after = int(decode_cursor(cursor)[1])
            except ValueError:
                raise QueryError("cursor is not one this server issued; start again without it") from None
        rows = self.conn.execute(
            "SELECT seq, id, external_id, headline, agency, published, duplicate_of, story_id FROM articles"
            f" WHERE seq > {self.mark} ORDER BY seq LIMIT {self.mark}", (after, limit + 1)).fetchall()
        keys = ("id", "external_id", "headline", "agency", "published", "duplicate_of", "story_id")
        items = [dict(zip(keys, r[1:])) for r in rows[:limit]]
        nxt = encode_cursor(None, str(rows[limit - 1][0])) if len(rows) > limit else None
        return Page(items, nxt)

    def article(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(f"SELECT record FROM articles WHERE id = {self.mark}", (article_id,)).fetchone()
        if row is None:
            return None
        record = article_from(json.loads(row[0])).to_record()
        record["events"] = [r[0] for r in self.conn.execute(
            f"SELECT event_id FROM event_sources WHERE article_id = {self.mark} ORDER BY event_id{self.binary}",
            (article_id,))]
        return record


def meta_body(counts: tuple[int, int, str | None, str | None], *, text_search: bool, countries: list[tuple],
              types: list[tuple], actors: list[tuple]) -> dict[str, Any]:
    """``/api/meta``: (events, articles, first date, last date), and (code, name, events), (type, sub-type,
    events) and (actor, events) rows."""
    n_events, n_articles, first, last = counts
    return {
        "events": n_events, "articles": n_articles, "first_date": first, "last_date": last,
        "text_search": text_search,
        "countries": [{"code": c, "name": name, "events": k} for c, name, k in countries],
        "types": [{"event_type": t, "sub_event_type": s, "events": k} for t, s, k in types],
        "actors": [{"name": a, "events": k} for a, k in actors],
    }


def highlights(evidence: dict[str, Any], claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans (offsets into the evidence text) of the claims' figures found in this sentence.

    A claim's offsets are into the article body, like the evidence's; when they do not line up (the text
    was re-split), the claim text is looked for in the sentence instead.
    """
    text = evidence["text"]
    spans: list[dict[str, Any]] = []
    for index, claim in enumerate(claims):
        if claim.get("article_id") != evidence.get("article_id"):
            continue
        start = claim["start"] - evidence["start"]
        end = claim["end"] - evidence["start"]
        if not (0 <= start < end <= len(text) and text[start:end] == claim["text"]):
            found = text.find(claim["text"]) if claim.get("text") else -1
            if found < 0:
                continue
            start, end = found, found + len(claim["text"])
        spans.append({"start": start, "end": end, "claim": index, "quantity": claim["quantity"],
                      "source": claim["source"]})
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    kept: list[dict[str, Any]] = []
    for span in spans:  # overlapping figures: keep the first, longest
        if kept and span["start"] < kept[-1]["end"]:
            continue
        kept.append(span)
    return kept
