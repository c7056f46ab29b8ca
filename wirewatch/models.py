"""The data model: plain dataclasses that mirror what is stored and exported.

Every stage of the pipeline reads and writes these types; nothing passes untyped
nested dicts between stages.  ``to_record()`` methods give the contract's JSON
shape (see ``docs``/README) and are the only place where field names for the
outside world are decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# ACLED's taxonomy plus the Displacement extension.  Kept here because every
# stage (extractor, exporters, eval) needs the same list.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
    "Displacement": ("Refugees", "Internal displacement"),
}

# ACLED's groups of event types, named once: "political violence" (the three types of organised
# violence) and "demonstrations" (protests and riots).  Modules that need another set say which and why.
POLITICAL_VIOLENCE: frozenset[str] = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
DEMONSTRATIONS: frozenset[str] = frozenset({"Protests", "Riots"})

# Sub-event types that ACLED's codebook defines as non-violent: a protest in which someone is killed is
# "Excessive force against protesters" (or a riot), and these strategic developments record no fighting.
# An event of one of them reports no fatalities of its own; a killed figure in its sentences belongs to
# another event (stays in ``claims[]``, not in ``fatalities``).
NON_LETHAL_SUB_TYPES: frozenset[str] = frozenset({
    "Peaceful protest", "Protest with intervention", "Agreement", "Arrests", "Change to group/activity",
    "Headquarters or base established", "Non-violent transfer of territory"})

QUANTITIES = ("killed", "injured", "displaced", "refugees", "arrested", "abducted")

PUBLISHED_BASES = ("metadata", "user", "caption+weekday", "neighbours", "unknown")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class RawInput:
    """One unit read from the outside world before splitting.

    ``text`` is a whole file (possibly a wire dump of many reports) or one JSONL
    line's ``text``.  ``origin`` names where it came from (path, ``-``, or
    ``path:line``) so that every failure and every source can be traced back.
    """

    origin: str
    text: str
    external_id: str | None = None
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    # "metadata" (the input's own date, e.g. a JSONL line) or "user" (--published).
    published_basis: str = "metadata"
    # True when the input is known to hold exactly one article (a JSONL line):
    # the splitter parses it without looking for further reports.
    single_article: bool = False
    # Where ``text`` starts (in characters) in the input ``origin`` names: a large file is
    # read in pieces and article offsets still point into the whole file.
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Caption:
    text: str
    date: dt.date | None
    file_photo: bool

    def to_record(self) -> dict[str, Any]:
        return {"text": self.text, "date": _iso(self.date), "file_photo": self.file_photo}


@dataclass(slots=True)
class Article:
    """One report, parsed.

    ``text`` is the article's slice of the input it came from and ``offset`` is
    where that slice starts in the input, so ``input[offset:offset+len(text)]
    == text``.  ``body`` is a slice of ``text`` starting at ``body_start``
    (the lede without its dateline prefix, through the last paragraph before
    the credits); evidence and claim offsets are offsets into ``body``.
    """

    id: str
    text: str
    body: str
    offset: int = 0
    body_start: int = 0
    headline: str | None = None
    agency: str | None = None
    dateline: str | None = None  # as written before the agency, e.g. "MOSUL, Iraq"
    dateline_places: list[str] = field(default_factory=list)  # ["Mosul"], ["Beirut", "Istanbul"]
    dateline_country: str | None = None
    bylines: list[str] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    credits: str | None = None
    refile_notes: list[str] = field(default_factory=list)
    published: dt.date | None = None
    published_basis: str = "unknown"
    external_id: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None
    duplicate_of: str | None = None
    story_id: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "external_id": self.external_id,
            "headline": self.headline,
            "agency": self.agency,
            "dateline": self.dateline,
            "dateline_places": list(self.dateline_places),
            "dateline_country": self.dateline_country,
            "bylines": list(self.bylines),
            "published": _iso(self.published),
            "published_basis": self.published_basis,
            "captions": [c.to_record() for c in self.captions],
            "body": self.body,
            "credits": self.credits,
            "refile_notes": list(self.refile_notes),
            "url": self.url,
            "source": self.source,
            "origin": self.origin,
            "duplicate_of": self.duplicate_of,
            "story_id": self.story_id,
        }


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry (one GeoNames row, or a country / admin division)."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    country_code: str | None
    admin1: str | None  # admin1 *name*, e.g. "Aleppo"
    admin2: str | None  # admin2 *name*
    feature_class: str | None  # "P", "A", ...
    feature_code: str | None  # "PPL", "PPLA", "ADM1", "PCLI", ...
    population: int = 0


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A toponym found in a text, resolved (or not) to a gazetteer entry.

    ``start``/``end`` are offsets into the text the geoparser was given.
    """

    text: str
    start: int
    end: int
    place: Place | None
    score: float
    relation: str | None = None  # "in", "near", "northwest of", "province", "western" ...

    def to_record(self, *, shift: int = 0, external_id: str | None = None) -> dict[str, Any]:
        p = self.place
        return {
            "external_id": external_id,
            "text": self.text,
            "start": self.start + shift,
            "end": self.end + shift,
            "name": p.name if p else None,
            # places of wirewatch's own region table (seas, macro-regions) have no GeoNames id
            "geonameid": p.geonameid if p and p.geonameid > 0 else None,
            "latitude": p.latitude if p else None,
            "longitude": p.longitude if p else None,
            "country_code": p.country_code if p else None,
            "admin1": p.admin1 if p else None,
            "feature_code": p.feature_code if p else None,
            "score": round(self.score, 4),
            # how the reading was reached beyond the contract's fields: "anchor" marks a name the gazetteer
            # lacks placed at the town written near it (or the text's main place), "well-known" a lone
            # name read as the country, capital or big city of that name; "near", "province" ... as written
            "relation": self.relation,
        }


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened, with ACLED's geo_precision (1 exact, 2 near, 3 region)."""

    location: str
    country: str | None
    country_code: str | None
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    geonameid: int | None
    geo_precision: int
    mention: str | None = None  # the text the location was read from


@dataclass(frozen=True, slots=True)
class Claim:
    """One reported figure.  ``start``/``end`` are offsets into the article body."""

    quantity: str  # one of QUANTITIES
    low: int | None
    high: int | None
    qualifier: str | None  # "more than", "at least", "about", "dozens", "sum" ...
    text: str
    source: str | None
    article_id: str
    start: int
    end: int
    published: dt.date | None = None  # of the article; used to order rising tolls

    def to_record(self) -> dict[str, Any]:
        return {
            "quantity": self.quantity,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "text": self.text,
            "source": self.source,
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    article_id: str
    text: str
    start: int
    end: int

    def to_record(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class SourceRef:
    article_id: str
    external_id: str | None
    headline: str | None
    agency: str | None
    published: dt.date | None
    url: str | None
    source: str | None = None  # outlet/feed name given with the input (--source, JSONL, feed title)
    origin: str | None = None  # file path (with line), URL or feed item the report was read from

    def to_record(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "external_id": self.external_id,
            "headline": self.headline,
            "agency": self.agency,
            "published": _iso(self.published),
            "url": self.url,
            "source": self.source,
            "origin": self.origin,
        }


@dataclass(slots=True, kw_only=True)
class Parties:
    """Who did it to whom, in ACLED's terms: each side's actor, its associated actors and its
    ACLED interaction code. Shared by a mention and the event merged from mentions (keyword-only)."""

    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None


@dataclass(slots=True)
class EventMention(Parties):
    """An event as one article reports it (before merging across reports).

    ``id`` is ``<article_id>:<start of first evidence>`` and so is stable for
    the same article content.  ``place_text``/``place_start`` say which place
    mention the extractor linked the event to (offsets into the body); the
    geo stage fills ``location``.
    """

    id: str
    article_id: str
    event_type: str
    sub_event_type: str
    evidence: list[Evidence]
    event_date: dt.date | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    time_precision: int | None = None
    claims: list[Claim] = field(default_factory=list)
    place_text: str | None = None
    place_start: int | None = None
    location: Location | None = None
    notes: str | None = None
    trigger: str | None = None  # the word(s) the type decision rests on
    rationale: str | None = None  # why this type (for explainability)
    stages: dict[str, str] = field(default_factory=dict)  # stage name -> versioned name


@dataclass(slots=True)
class Event(Parties):
    """One real-world event, merged from one or more mentions."""

    id: str
    event_type: str
    sub_event_type: str
    event_date: dt.date | None
    date_start: dt.date | None
    date_end: dt.date | None
    time_precision: int | None
    location: Location | None = None
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    claims: list[Claim] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    notes: str | None = None
    mention_ids: list[str] = field(default_factory=list)
    stages: dict[str, str] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        loc = self.location
        return {
            "id": self.id,
            "event_date": _iso(self.event_date),
            "date_start": _iso(self.date_start),
            "date_end": _iso(self.date_end),
            "time_precision": self.time_precision,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "assoc_actor_1": self.assoc_actor_1,
            "inter1": self.inter1,
            "actor2": self.actor2,
            "assoc_actor_2": self.assoc_actor_2,
            "inter2": self.inter2,
            "country": loc.country if loc else None,
            "country_code": loc.country_code if loc else None,
            "admin1": loc.admin1 if loc else None,
            "admin2": loc.admin2 if loc else None,
            "location": loc.location if loc else None,
            "latitude": loc.latitude if loc else None,
            "longitude": loc.longitude if loc else None,
            "geonameid": loc.geonameid if loc else None,
            "geo_precision": loc.geo_precision if loc else None,
            "fatalities": self.fatalities,
            "fatalities_low": self.fatalities_low,
            "fatalities_best": self.fatalities_best,
            "fatalities_high": self.fatalities_high,
            "claims": [c.to_record() for c in self.claims],
            "sources": [s.to_record() for s in self.sources],
            "evidence": [e.to_record() for e in self.evidence],
            "notes": self.notes,
            "stages": dict(self.stages),
        }
