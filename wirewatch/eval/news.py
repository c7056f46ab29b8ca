"""Score what ``wirewatch ingest`` → ``export`` makes of real news articles against a hand annotation.

    wirewatch eval news                        # tests/data/news_dev.jsonl, texts from ../shared/eval

The gold (``tests/data/news_dev.jsonl``, described in ``tests/data/NEWS_DEV.md``) holds ids, offsets
and labels only; the article texts are read from the evaluation folder at run time (Reuters
``text``, Guardian ``text``; a text whose SHA-1 differs from the annotated one is refused).  Each
article becomes one JSONL input line (``id``, ``text``, ``title`` when the data has one,
``published`` = the article's own publication day), the lines are ingested into a fresh database
with the CLI's defaults (:mod:`wirewatch.eval.runner`) and the exported event records are read back.

**Records.**  An exported event is a record of every annotated article whose id one of its
``sources[]`` carries as ``external_id``.  Its evidence in that article is each ``evidence[]``
entry of that article, placed in the input text at its offsets when the text there is the
evidence's, else at the occurrence of its text nearest to its offsets.

**Matching** (per article, one-to-one).  A record and a gold event (required or optional) are a
candidate pair when (a) one of the record's evidence spans overlaps one of the event's sentence
spans, or (b) the record's ``event_type`` is one of the event's and its ``event_date`` lies within
the event's date span.  Pairs are taken greedily, best first, by the key (overlap, type right, date
right), ties broken by the gold event's order and then the record's id; a record or an event once
taken is not taken again.

**Figures.**  ``precision`` = matched records / records (``spurious_rate`` = 1 - precision;
a record matched to an optional event is not spurious), ``recall`` = required events matched /
required events.  On the pairs of a required event: ``event_type`` and ``sub_event_type`` (the
record's is one of the event's), ``date`` (``event_date`` within ``[date_start, date_end]``,
i.e. equal when the gold is exact), ``time_precision`` (equal), ``place_25km`` (the record's point
within 25 km of the event's, over events with coordinates), ``fatalities`` (the record's
``fatalities``, null as 0, is one of the event's figures, over events with figures) and ``actor1``
(equal after :func:`~wirewatch.extract.actors.normalise_name`, which drops the country in
brackets, and without the article "the", to one of the event's actor1 names, over events with an
actor1).  ``not_event_hits`` counts the spurious records whose evidence overlaps a span annotated
as not an event, by the reason of the first such span.  Printed for all articles, then per corpus.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import WirewatchError
from ..extract.actors import normalise_name
from ..geo.distance import haversine_km
from .runner import read_jsonl, run_product

RADIUS_KM = 25.0
REUTERS_PATH = "reuters-topnews-2016/reuters_topnews_2016H1.jsonl"
GUARDIAN_PATH = "guardian-syria-sdf-2019-sample/Guardian_SDF_sample.csv"


class NewsDataError(WirewatchError, ValueError):
    hint = "pass --data with the evaluation folder (../shared/eval) and --gold with an annotation file"


Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One annotated incident."""

    spans: tuple[Span, ...]
    event_types: tuple[str, ...]
    sub_event_types: tuple[str, ...]
    date_start: dt.date
    date_end: dt.date
    time_precision: int
    location: str | None
    latitude: float | None
    longitude: float | None
    actor1: tuple[str, ...]  # empty: not scored
    actor2: str | None
    fatalities: tuple[int, ...] | None  # None: not scored
    optional: bool


@dataclass(frozen=True, slots=True)
class NotEvent:
    span: Span
    reason: str


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    corpus: str
    ref: str
    published: dt.date
    sha1: str
    events: tuple[GoldEvent, ...]
    not_events: tuple[NotEvent, ...]


@dataclass(frozen=True, slots=True)
class NewsArticle:
    """A gold article with its text, as the evaluation feeds it to the product."""

    gold: GoldArticle
    text: str
    title: str | None

    def input_line(self) -> dict[str, str]:
        line = {"id": self.gold.id, "text": self.text, "published": self.gold.published.isoformat()}
        if self.title:
            line["title"] = self.title
        return line


@dataclass(frozen=True, slots=True)
class Record:
    """One exported event as a record of one article: its fields and its evidence spans there."""

    id: str
    event: Mapping[str, Any]
    spans: tuple[Span, ...]


def default_gold_path() -> Path:
    """``tests/data/news_dev.jsonl`` of the source checkout the package runs from."""
    return Path(__file__).resolve().parents[2] / "tests" / "data" / "news_dev.jsonl"


def _event(d: Mapping[str, Any]) -> GoldEvent:
    return GoldEvent(spans=tuple((int(s), int(e)) for s, e in d["spans"]),
                     event_types=tuple(d["event_type"]), sub_event_types=tuple(d["sub_event_type"]),
                     date_start=dt.date.fromisoformat(d["date_start"]), date_end=dt.date.fromisoformat(d["date_end"]),
                     time_precision=int(d["time_precision"]), location=d.get("location"),
                     latitude=d.get("latitude"), longitude=d.get("longitude"), actor1=tuple(d.get("actor1") or ()),
                     actor2=d.get("actor2"),
                     fatalities=None if d.get("fatalities") is None else tuple(int(x) for x in d["fatalities"]),
                     optional=bool(d.get("optional")))


def load_gold(path: Path) -> list[GoldArticle]:
    """The annotated articles of ``path`` in file order."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsDataError(f"{path}: {exc.strerror} (pass --gold with the annotation file)") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(GoldArticle(id=d["id"], corpus=d["corpus"], ref=str(d["ref"]),
                                   published=dt.date.fromisoformat(d["published"]), sha1=d["sha1"],
                                   events=tuple(_event(e) for e in d["events"]),
                                   not_events=tuple(NotEvent(span=(int(x["span"][0]), int(x["span"][1])),
                                                             reason=x["reason"]) for x in d["not_events"])))
        except (KeyError, ValueError, TypeError) as exc:
            raise NewsDataError(f"{path}:{n}: {exc}") from None
    return out


def _texts(data_dir: Path, corpora: set[str]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(corpus, ref) -> (text, title) for the corpora the gold uses."""
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    if "reuters" in corpora:
        for r in read_jsonl(Path(data_dir) / REUTERS_PATH, missing=NewsDataError):
            out[("reuters", r["id"])] = (r["text"], r.get("title"))
    if "guardian" in corpora:
        path = Path(data_dir) / GUARDIAN_PATH
        if not path.exists():
            raise NewsDataError(f"{path} not found: pass --data with the evaluation folder (../shared/eval)")
        csv.field_size_limit(1 << 26)
        with open(path, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                out[("guardian", r["row"])] = (r["text"], None)
    return out


def dev_articles(data_dir: Path, *, gold_path: Path | None = None) -> list[NewsArticle]:
    """The annotated articles with their texts from ``data_dir``; refuses a text that is not the annotated one."""
    gold = load_gold(gold_path or default_gold_path())
    texts = _texts(data_dir, {g.corpus for g in gold})
    out = []
    for g in gold:
        found = texts.get((g.corpus, g.ref))
        if found is None:
            raise NewsDataError(f"{g.id}: no such article in {data_dir}")
        if hashlib.sha1(found[0].encode("utf-8")).hexdigest() != g.sha1:
            raise NewsDataError(f"{g.id}: the text differs from the annotated one (offsets would be wrong)")
        out.append(NewsArticle(gold=g, text=found[0], title=found[1]))
    return out


# -- records and matching -------------------------------------------------------------------------------


def _place(text: str, evidence: Mapping[str, Any]) -> Span | None:
    """Where an evidence sentence lies in the input text: at its offsets if the text is there, else nearest."""
    quote = evidence.get("text") or ""
    start = evidence.get("start")
    if not quote:
        return None
    if isinstance(start, int) and text[start:start + len(quote)] == quote:
        return (start, start + len(quote))
    hits, i = [], text.find(quote)
    while i >= 0:
        hits.append(i)
        i = text.find(quote, i + 1)
    if not hits:
        return None
    best = min(hits, key=lambda h: (abs(h - start) if isinstance(start, int) else h, h))
    return (best, best + len(quote))


def records_by_article(events: Iterable[Mapping[str, Any]],
                       texts: Mapping[str, str]) -> dict[str, list[Record]]:
    """external id -> the records of that article (``texts`` maps the annotated external ids to their texts)."""
    out: dict[str, list[Record]] = {}
    for ev in events:
        internal = {}
        for s in ev.get("sources") or []:
            if s.get("external_id") in texts:
                internal[s.get("article_id")] = s["external_id"]
        for ext in dict.fromkeys(internal.values()):
            spans = []
            for e in ev.get("evidence") or []:
                if internal.get(e.get("article_id")) == ext:
                    placed = _place(texts[ext], e)
                    if placed is not None:
                        spans.append(placed)
            out.setdefault(ext, []).append(Record(id=str(ev.get("id")), event=ev, spans=tuple(spans)))
    return out


def _overlaps(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _event_date(rec: Record) -> dt.date | None:
    try:
        return dt.date.fromisoformat(rec.event["event_date"])
    except (KeyError, TypeError, ValueError):
        return None


def _date_right(rec: Record, g: GoldEvent) -> bool:
    d = _event_date(rec)
    return d is not None and g.date_start <= d <= g.date_end


def match(records: Sequence[Record], gold: Sequence[GoldEvent]) -> list[tuple[Record, int]]:
    """One-to-one pairs (record, index of the gold event), best candidates first (see the module doc)."""
    cands = []
    for gi, g in enumerate(gold):
        for rec in records:
            overlap = _overlaps(rec.spans, g.spans)
            type_right = rec.event.get("event_type") in g.event_types
            date_right = _date_right(rec, g)
            if overlap or (type_right and date_right):
                cands.append(((not overlap, not type_right, not date_right, gi, rec.id), rec, gi))
    cands.sort(key=lambda c: c[0])
    used_r: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, rec, gi in cands:
        if id(rec) in used_r or gi in used_g:
            continue
        used_r.add(id(rec))
        used_g.add(gi)
        pairs.append((rec, gi))
    return pairs


# -- figures ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tally:
    records: int = 0
    matched_records: int = 0
    required: int = 0
    found: int = 0
    optional: int = 0
    optional_found: int = 0
    not_event_hits: Counter = field(default_factory=Counter)
    fields: Counter = field(default_factory=Counter)  # "<field>": right, "<field>/n": scored

    def score(self, name: str, right: bool) -> None:
        self.fields[name] += right
        self.fields[name + "/n"] += 1

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        out: dict[str, Any] = {"records": self.records, "events": self.required, "optional_events": self.optional,
                               "precision": ratio(self.matched_records, self.records),
                               "spurious_rate": ratio(self.records - self.matched_records, self.records),
                               "recall": ratio(self.found, self.required),
                               "optional_found": self.optional_found}
        for f in ("event_type", "sub_event_type", "date", "time_precision", "place_25km", "fatalities", "actor1"):
            out[f] = ratio(self.fields[f], self.fields[f + "/n"])
            out[f + "_n"] = self.fields[f + "/n"]
        out["not_event_hits"] = sum(self.not_event_hits.values())
        out["not_event_hits_by_reason"] = dict(sorted(self.not_event_hits.items()))
        return out


def _actor(name: str) -> str:
    """An actor name compared by role: :func:`normalise_name`, without the article "the" (ACLED writes both
    "Military Forces of the Democratic Republic of Congo" and "... of Democratic Republic of Congo")."""
    return " ".join(w for w in normalise_name(name).split() if w != "the")


def _score_pair(t: _Tally, rec: Record, g: GoldEvent) -> None:
    ev = rec.event
    t.score("event_type", ev.get("event_type") in g.event_types)
    t.score("sub_event_type", ev.get("sub_event_type") in g.sub_event_types)
    t.score("date", _date_right(rec, g))
    t.score("time_precision", ev.get("time_precision") == g.time_precision)
    if g.latitude is not None and g.longitude is not None:
        lat, lon = ev.get("latitude"), ev.get("longitude")
        t.score("place_25km", lat is not None and lon is not None
                and haversine_km(lat, lon, g.latitude, g.longitude) <= RADIUS_KM)
    if g.fatalities is not None:
        t.score("fatalities", (ev.get("fatalities") or 0) in g.fatalities)
    if g.actor1:
        t.score("actor1", _actor(ev.get("actor1") or "") in {_actor(a) for a in g.actor1})


def _tally(t: _Tally, g: GoldArticle, records: Sequence[Record]) -> None:
    t.records += len(records)
    t.required += sum(1 for e in g.events if not e.optional)
    t.optional += sum(1 for e in g.events if e.optional)
    pairs = match(records, g.events)
    matched = {id(r) for r, _ in pairs}
    t.matched_records += len(pairs)
    for rec, gi in pairs:
        ge = g.events[gi]
        if ge.optional:
            t.optional_found += 1
            continue
        t.found += 1
        _score_pair(t, rec, ge)
    for rec in records:
        if id(rec) in matched:
            continue
        hit = next((n for n in sorted(g.not_events, key=lambda n: n.span) if _overlaps(rec.spans, [n.span])), None)
        if hit is not None:
            t.not_event_hits[hit.reason] += 1


def score(articles: Sequence[NewsArticle], events: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Figures for ``articles`` from exported event records: all articles, then each corpus."""
    by = records_by_article(events, {a.gold.id: a.text for a in articles})
    out: dict[str, Any] = {}
    parts: list[tuple[str, Callable[[NewsArticle], bool]]] = [("all", lambda a: True)]
    parts += [(c, lambda a, c=c: a.gold.corpus == c) for c in dict.fromkeys(a.gold.corpus for a in articles)]
    for name, keep in parts:
        t = _Tally()
        chosen = [a for a in articles if keep(a)]
        for a in chosen:
            _tally(t, a.gold, by.get(a.gold.id, []))
        out[name] = {"articles": len(chosen), **t.figures()}
    return out


def evaluate(articles: Sequence[NewsArticle], *, workers: int = 0,
             progress: Callable[[int], None] | None = None, keep_db: Path | None = None) -> dict[str, Any]:
    """Ingest the articles with the product's defaults, export, and score."""
    if not articles:
        raise NewsDataError("no articles to score")
    out = run_product((a.input_line() for a in articles), workers=workers, progress=progress, keep_db=keep_db)
    return {"split": "dev", **score(articles, out.events), "inputs_failed": len(out.failures)}
