"""Where each event happened: :meth:`EventLocator.locate`, the event-location half of the geoparser.

``locate`` fills ``EventMention.location`` from the places in and around each
event's evidence: the sentence first, then the paragraph, then the article's
main place, and the newsroom dateline only when the body names nowhere.
:class:`~.geoparser.Geoparser` (recognition and resolution) inherits it.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from typing import Any

from ..models import Article, EventMention, Location, Place, PlaceMention
from .eventplace import FaintNames, cued_home, faint_recognizer, home_countries, is_foreign, no_event_place, qualifiers
from .gazetteer import LOOSE, offset_point
from .recognizer import Recognizer
from .regions import is_region
from .relations import DIRECTIONS, place_relation

log = logging.getLogger(__name__)

# a place outside the story's home country (:func:`.eventplace.home_countries`) ranks this much lower among the
# event's candidates: a namesake abroad needs every other cue to beat a home place (1.0 and 2.0 scored within 2 notes
# of each other on each of two random halves of the ACLED dev notes)
FOREIGN_PENALTY = 2.0
_CONTROL_VERB = re.compile(
    r"\b(captured|recaptured|seized|took|retook|lost|entered|stormed|shelled|attacked|bombed|struck|hit|besieged|"
    r"liberated|overran|retake|capture|seize|storm|enter|reached|surrounded|encircled)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_OFFSET_ANYWHERE = re.compile(rf"\d\s*(?:km|kms|kilometers|kilometres|miles?)\b[^.]*?\b(?:{DIRECTIONS})\s+of\b", re.IGNORECASE)
_METONYM_AFTER = re.compile(
    r"[’']?s?\s+(?:has\s+|had\s+|have\s+|is\s+|was\s+|will\s+|would\s+|also\s+|long\s+)*"
    r"(?:wants|wanted|said|says|supports|supported|backs|backed|accused|accuses|denied|denies|called|calls|urged|"
    r"urges|warned|warns|believes|told|insists|hopes|fears|condemned|announced|sent|agreed|demanded|rejected)\b"
)


class EventLocator:
    """Event location over the places a :class:`~.geoparser.Geoparser` parsed (its recogniser, resolver and
    gazetteer)."""

    def locate(self, article: Article, mentions: list[EventMention], places: list[PlaceMention], *, doc: Any = None) -> None:
        """Set ``location`` on every mention from the places around its evidence."""
        body = article.body
        sents = _sentence_spans(body, doc)
        paras = _paragraph_spans(body)
        main = self._main_place(article, places)
        unlisted = self._unlisted_locations(body, places, sents)
        context = self._context(body, article)
        home = home_countries(places) or cued_home(context.countries)
        held = qualifiers(body, places)
        faint = FaintNames(
            known=places, home=home,
            recognise=lambda: self._faint().recognise(body, doc=doc, context_countries=home),
            resolve=lambda tops: self._resolve(body, tops, context),
        )
        for m in mentions:
            try:
                m.location = self._locate_one(body, m, places, sents, paras, main, unlisted, doc, home=home, faint=faint,
                                              held=held)
            except Exception:  # one bad mention must not lose the article's other events
                log.exception("locating %s failed", m.id)
                m.location = None

    def _faint(self) -> Recognizer:
        if self._faint_recognizer is None:
            self._faint_recognizer = faint_recognizer(self.recognizer)
        return self._faint_recognizer

    def _locate_one(
        self,
        body: str,
        m: EventMention,
        places: list[PlaceMention],
        sents: list[tuple[int, int]],
        paras: list[tuple[int, int]],
        main: PlaceMention | None,
        unlisted: dict[str, Location] | None = None,
        doc: Any = None,
        *,
        home: frozenset[str] = frozenset(),
        faint: FaintNames | None = None,
        held: dict[int, PlaceMention] | None = None,
    ) -> Location | None:
        unlisted = unlisted or {}
        held = held or {}
        spans = [(e.start, e.end) for e in m.evidence] or []
        in_sentence = [p for p in places if any(s <= p.start and p.end <= e for s, e in _covering(spans, sents))]
        if m.place_start is not None or m.place_text:
            for p in places:
                if (m.place_start is not None and p.start <= m.place_start < p.end) or (
                    m.place_start is None and m.place_text and p.text == m.place_text
                ):
                    if is_foreign(p, home) and any(q.place is not None and not is_foreign(q, home) for q in in_sentence):
                        continue  # a namesake abroad while the sentence names a place at home
                    p = _held_place(p, held)  # "Sbiba, Kasserine": the province only says where the town is
                    loc = unlisted.get(p.text) if p.place is None else None
                    loc = loc or self._from_mention(body, p, places, sents)
                    finer = self._finer_within(body, p, m, places)
                    if finer is not None:
                        loc = self._from_mention(body, finer, places, sents) or loc
                    if loc is not None:
                        return loc
        trigger_at = None
        if m.trigger and m.evidence:
            k = body.find(m.trigger, m.evidence[0].start, m.evidence[0].end)
            trigger_at = k if k >= 0 else None
        for level, windows in (("evidence", spans), ("sentence", _covering(spans, sents)), ("paragraph", _covering(spans, paras))):
            inside = [p for p in places if any(s <= p.start and p.end <= e for s, e in windows)]
            best = self._best_in(body, inside, trigger_at=trigger_at, doc=doc, home=home)
            if best is not None:
                best = _held_place(best, held)
                loc = unlisted.get(best.text) if best.place is None else None
                loc = loc or self._from_mention(body, best, places, sents)
                if loc is not None:
                    if level == "paragraph" and loc.geo_precision == 1:
                        loc = _with_precision(loc, 2) if best.place is None or best.place.feature_class != "P" else loc
                    if best.place is not None and (best.place.feature_code in ("PCLI", "ADM1") or is_region(best.place)):
                        # "protests in central X, Greece": a town the sentence names faintly is finer than its country
                        return self._faint_within(body, best.place, faint, _covering(spans, sents), places, sents) or loc
                    return loc
        loc = self._faint_within(body, None, faint, _covering(spans, sents), places, sents)
        if loc is not None:
            return loc
        if main is not None:
            loc = self._from_mention(body, main, places, sents)
            if loc is not None:
                return loc if loc.geo_precision >= 2 else _with_precision(loc, 2)
        return self._dateline_location(m, places)

    def _faint_within(
        self, body: str, within: Place | None, faint: FaintNames | None, windows: list[tuple[int, int]],
        places: list[PlaceMention], sents: list[tuple[int, int]],
    ) -> Location | None:
        """Where a name in the event's sentence too faint to be a mention puts it (inside ``within`` when given)."""
        weak = faint.within(within, windows) if faint is not None else None
        return self._from_mention(body, weak, places, sents) if weak is not None else None

    def _finer_within(self, body: str, hint: PlaceMention, m: EventMention, places: list[PlaceMention]) -> PlaceMention | None:
        """When the extractor's place is a country, province or region, a town of it in the evidence is finer."""
        if hint.place is None or not (hint.place.feature_code in ("PCLI", "ADM1") or is_region(hint.place)):
            return None
        spans = [(e.start, e.end) for e in m.evidence]
        if is_region(hint.place) and hint.place.country_code is None:
            # "the Middle East", "Central Africa": no country to hold the town to, but a town the
            # evidence itself names is still finer than a whole region
            towns = [p for p in places if p.place is not None and p.place.feature_class == "P" and p.score >= 0.5
                     and any(s <= p.start and p.end <= e for s, e in spans)]
            return self._best_in(body, towns) if towns else None
        inside = [
            p for p in places
            if p.place is not None and p.place.feature_class == "P" and p.score >= 0.5
            and p.place.country_code == hint.place.country_code
            and (hint.place.feature_code != "ADM1" or p.place.admin1 == hint.place.admin1)
            and any(s <= p.start and p.end <= e for s, e in spans)
        ]
        return self._best_in(body, inside) if inside else None

    def _unlisted_locations(
        self, body: str, places: list[PlaceMention], sents: list[tuple[int, int]]
    ) -> dict[str, Location]:
        """Where the text itself puts each unlisted place ("Sousian is 8 km northwest of al-Bab")."""
        out: dict[str, Location] = {}
        for p in places:
            if p.place is None:
                loc = self._from_mention(body, p, places, sents)
                if loc is None:
                    continue
                # an offset reading (geonameid None and a distance) beats a bare anchor
                sent = next(((s, e) for s, e in sents if s <= p.start < e), (p.start, p.end))
                has_offset = bool(_OFFSET_ANYWHERE.search(body[sent[0] : sent[1]]))
                if p.text not in out or has_offset:
                    out[p.text] = loc
        return out

    def _best_in(
        self, body: str, inside: list[PlaceMention], *, trigger_at: int | None = None, doc: Any = None,
        home: frozenset[str] = frozenset(),
    ) -> PlaceMention | None:
        """The place an event sentence is about: specific, locative, not a metonym or an origin."""
        first = min((p.start for p in inside if p.score >= 0.3), default=None)

        def rank(p: PlaceMention) -> float:
            r = min(p.score, 0.7) + _attachment(doc, p.start)  # past a point, cues beat confidence
            if is_foreign(p, home):
                r -= FOREIGN_PENALTY  # outside every country the story names: a namesake abroad, or context
            if p.start == first:
                r += 0.15
            if trigger_at is not None:
                r += 0.3 / (1 + abs(p.start - trigger_at) / 40)
            if p.relation == "region" or is_region(p.place):
                r -= 1.0 if p.place is None else 2.0  # "the Euphrates", "the Middle East": too vague to be where it happened
            elif p.place is None:
                r += 0.6  # an unlisted village named by the text is more specific than its anchor
            elif p.place.feature_code == "PCLI":
                r -= 1.2
            elif p.place.feature_code == "ADM1":
                r -= 0.5
            before = body[max(0, p.start - 24) : p.start].lower()
            if re.search(r"\b(in|at|near|into|on|(?:town|village|city|district|area) of)\s+(?:the\s+)?(?:\w+\s+)?$", before):
                r += 0.4
            elif _CONTROL_VERB.search(before):
                r += 0.4  # "lost Palmyra", "shelled Tadef"
            if re.search(r"\b(from|to|towards|toward)\s+$", before):
                r -= 0.5
            if _METONYM_AFTER.match(body, p.end):
                r -= 0.8  # "Ankara wants ...": a government, not a place
            if p.relation == "embedded":
                r -= 0.8  # "Mosul University": a place named inside an organisation
            if p.relation and p.relation.endswith(" of") and any(
                q is not p and q.start < p.start and p.start - q.end < 40 for q in inside
            ):
                # "Tadef south of al-Bab", "Samarra, 250 km south of Mosul": the anchor is not the place
                r -= 1.0 if p.relation[:1].isdigit() else 0.5
            return r

        cands = [p for p in inside if p.score >= 0.3]
        return max(cands, key=rank) if cands else None

    def _from_mention(
        self, body: str, p: PlaceMention, places: list[PlaceMention], sents: list[tuple[int, int]]
    ) -> Location | None:
        if p.place is not None and no_event_place(p.place):
            return None
        if p.place is not None:
            loc = self._location(p.place, p, precision=_precision(p))
            _rel, km, bearing = place_relation(body, p.start, p.end)
            if km is not None and bearing is not None and p.place.feature_class == "P":
                lat, lon = offset_point(p.place.latitude, p.place.longitude, km=km, bearing=bearing)
                loc = replace(loc, latitude=round(lat, 5), longitude=round(lon, 5), geonameid=None,
                              location=f"{p.relation} {plain_name(p.place.name)}", geo_precision=2)
            return loc
        # Unlisted place: anchor on a resolved place related to it in the same sentence.
        sent = next(((s, e) for s, e in sents if s <= p.start < e), (p.start, p.end))
        anchors = [q for q in places if q.place is not None and sent[0] <= q.start < sent[1] and q is not p]
        anchors = [q for q in anchors if q.place.feature_code != "PCLI" and not is_region(q.place)] or anchors
        if not anchors:
            return None
        after = [q for q in anchors if q.start > p.start and q.relation]
        anchor = after[0] if after else min(anchors, key=lambda q: abs(q.start - p.start))
        lat, lon = anchor.place.latitude, anchor.place.longitude
        _rel, km, bearing = place_relation(body, anchor.start, anchor.end)
        if km is not None and bearing is not None:
            lat, lon = offset_point(lat, lon, km=km, bearing=bearing)
        a = anchor.place
        return Location(
            location=p.text,
            country=self.gazetteer.country_name(a.country_code),
            country_code=a.country_code,
            admin1=a.admin1,
            admin2=a.admin2,
            latitude=round(lat, 5),
            longitude=round(lon, 5),
            geonameid=None,
            geo_precision=2,
            mention=p.text,
        )

    def _location(self, place: Place, p: PlaceMention | None, *, precision: int) -> Location:
        return Location(
            location=plain_name(place.name),
            country=self.gazetteer.country_name(place.country_code),
            country_code=place.country_code,
            admin1=place.admin1,
            admin2=place.admin2,
            latitude=place.latitude,
            longitude=place.longitude,
            geonameid=place.geonameid if place.geonameid > 0 else None,  # regions of .regions have no GeoNames id
            geo_precision=precision,
            mention=p.text if p else None,
        )

    def _main_place(self, article: Article | None, places: list[PlaceMention]) -> PlaceMention | None:
        """The article's most-mentioned specific place (ties: earliest)."""
        counts: Counter = Counter()
        first: dict[int, PlaceMention] = {}
        for p in places:
            if p.place is None or p.place.feature_code in ("PCLI", "CONT") or is_region(p.place) or p.score < 0.4:
                continue
            counts[p.place.geonameid] += 1
            first.setdefault(p.place.geonameid, p)
        if not counts:
            return None
        gid = max(counts, key=lambda g: (counts[g], -first[g].start))
        return first[gid]

    def _dateline_location(self, m: EventMention, places: list[PlaceMention]) -> Location | None:
        countries = [p for p in places if p.place is not None and p.place.feature_code == "PCLI"]
        if countries:
            c = Counter(p.place.geonameid for p in countries).most_common(1)[0][0]
            p = next(q for q in countries if q.place.geonameid == c)
            return self._location(p.place, p, precision=3)
        return None

    def locate_dateline(self, article: Article) -> Location | None:
        """Where the newsroom filed from (used only when the body names nowhere)."""
        ctx = self._context(article.body, article)
        for name in article.dateline_places:
            cands = [c for c in self.gazetteer.lookup(name) if c.kind != LOOSE]
            if ctx.dateline_country:
                cands = [c for c in cands if c.place.country_code == ctx.dateline_country] or cands
            if cands:
                best = max(cands, key=lambda c: c.place.population)
                return self._location(best.place, None, precision=2)
        return None


def _held_place(p: PlaceMention, held: dict[int, PlaceMention]) -> PlaceMention:
    """The place ``p`` only qualifies ("Grodno" in "Lida, Grodno"), followed through a run of them; else ``p``."""
    seen = set()
    while id(p) in held and id(p) not in seen:
        seen.add(id(p))
        p = held[id(p)]
    return p


def _attachment(doc: Any, start: int) -> float:
    """Syntax cue: a place governed by a verb ("lost Palmyra", "fighting in Homs") describes the
    event; one hanging off a noun ("rebel groups in eastern Aleppo") describes a participant."""
    if doc is None:
        return 0.0
    try:
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None or not len(span):
            return 0.0
        tok = span[0]
        for _ in range(6):
            if tok.dep_ in ("compound", "amod", "nmod", "appos", "pobj", "prep", "poss", "case", "punct") and tok.head is not tok:
                tok = tok.head
                if tok.pos_ in ("VERB", "AUX"):
                    return 0.2
                if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("pobj", "compound"):
                    return -0.3 if tok.dep_ not in ("ROOT",) else 0.0
                continue
            if tok.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and tok.head.pos_ in ("VERB", "AUX"):
                return 0.2
            break
    except (AttributeError, ValueError):  # a doc without a parser
        return 0.0
    return 0.0


def plain_name(name: str) -> str:
    """``Ḩamāh`` → ``Hamah``, ``Dar‘ā`` → ``Dara``: GeoNames names without diacritics and ayn marks."""
    import unicodedata

    s = name.translate(dict.fromkeys(map(ord, "‘’ʿʾ`"), None))
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def _precision(p: PlaceMention) -> int:
    place = p.place
    if place is None:
        return 2
    if place.feature_code in ("PCLI", "ADM1") or is_region(place):
        return 3
    if place.feature_code == "ADM2":
        return 2
    # "the Houston region" is the city and around it
    if p.relation and p.relation not in ("province", "governorate", "district", "state", "county"):
        return 2
    return 1


def _with_precision(loc: Location, precision: int) -> Location:
    return replace(loc, geo_precision=max(loc.geo_precision, precision))


def _sentence_spans(text: str, doc: Any) -> list[tuple[int, int]]:
    if doc is not None:
        try:
            return [(s.start_char, s.end_char) for s in doc.sents]
        except ValueError:
            pass
    return split_spans(text, r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+", keep_separator=True)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    return split_spans(text, r"\n\s*\n")


def split_spans(text: str, separator: str, *, keep_separator: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``text`` between matches of ``separator``, the last one included even
    when empty; with ``keep_separator`` a piece ends after the separator that follows it."""
    spans, start = [], 0
    for m in re.finditer(separator, text):
        spans.append((start, m.end() if keep_separator else m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _covering(spans: list[tuple[int, int]], windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(ws, we) for ws, we in windows if any(s < we and ws < e for s, e in spans)]
