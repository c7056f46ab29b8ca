"""The actor table: aliases -> ACLED-style canonical names and inter codes.

The table is data (``wirewatch/data/actors.tsv``, versioned by its first line)
and users extend it with a TSV of the same shape (``Settings.actors_file``);
later rows win.  Rows whose country is ``*`` are per-country templates
(``Military Forces of {country}``): the country comes from a nationality word
in front of the alias ("Syrian army", "Turkey's military") or, failing that,
from the story's country (:func:`story_country`).  Two pseudo-actors,
``@armed`` ("the militants", "the jihadists") and ``@rebels``, stand for the
most-mentioned named armed group of the article and are resolved by
:meth:`ActorTable.resolve_generic`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from ..errors import WirewatchError

log = logging.getLogger(__name__)


class ActorTableError(WirewatchError, ValueError):
    """The actor table (or a user's extension of it) cannot be read."""

    hint = "each row needs: canonical<TAB>inter(0-8)<TAB>country<TAB>tags<TAB>alias..."


# Nationality words and names -> the country name ACLED uses.
DEMONYMS: dict[str, str] = {
    "Syrian": "Syria", "Syria": "Syria", "Iraqi": "Iraq", "Iraq": "Iraq", "Afghan": "Afghanistan",
    "Afghanistan": "Afghanistan", "Turkish": "Turkey", "Turkey": "Turkey", "Russian": "Russia",
    "Russia": "Russia", "Egyptian": "Egypt", "Egypt": "Egypt", "Somali": "Somalia", "Somalia": "Somalia",
    "Nigerian": "Nigeria", "Nigeria": "Nigeria", "Sudanese": "Sudan", "Sudan": "Sudan",
    "South Sudanese": "South Sudan", "South Sudan": "South Sudan", "Libyan": "Libya", "Libya": "Libya",
    "Yemeni": "Yemen", "Yemen": "Yemen", "Ethiopian": "Ethiopia", "Ethiopia": "Ethiopia",
    "Kenyan": "Kenya", "Kenya": "Kenya", "Congolese": "Democratic Republic of Congo",
    "Congo": "Democratic Republic of Congo", "DRC": "Democratic Republic of Congo",
    "Burundian": "Burundi", "Burundi": "Burundi", "Ugandan": "Uganda", "Uganda": "Uganda",
    "Tunisian": "Tunisia", "Tunisia": "Tunisia", "Algerian": "Algeria", "Algeria": "Algeria",
    "Moroccan": "Morocco", "Morocco": "Morocco", "Malian": "Mali", "Mali": "Mali",
    "Cameroonian": "Cameroon", "Cameroon": "Cameroon", "Nigerien": "Niger", "Niger": "Niger",
    "Chadian": "Chad", "Chad": "Chad", "South African": "South Africa", "South Africa": "South Africa",
    "Iranian": "Iran", "Iran": "Iran", "Israeli": "Israel", "Israel": "Israel",
    "Palestinian": "Palestine", "Lebanese": "Lebanon", "Lebanon": "Lebanon", "Saudi": "Saudi Arabia",
    "Saudi Arabia": "Saudi Arabia", "Pakistani": "Pakistan", "Pakistan": "Pakistan",
    "Indian": "India", "India": "India", "Ukrainian": "Ukraine", "Ukraine": "Ukraine",
    "Mozambican": "Mozambique", "Mozambique": "Mozambique", "Zimbabwean": "Zimbabwe",
    "Zimbabwe": "Zimbabwe", "Central African": "Central African Republic",
    "Burkinabe": "Burkina Faso", "Burkina Faso": "Burkina Faso", "Jordanian": "Jordan",
    "Jordan": "Jordan", "American": "United States", "U.S.": "United States", "US": "United States",
    "United States": "United States", "British": "United Kingdom", "French": "France",
    "France": "France", "Eritrean": "Eritrea", "Rwandan": "Rwanda", "Rwanda": "Rwanda",
    "Tanzanian": "Tanzania", "Ghanaian": "Ghana", "Senegalese": "Senegal", "Ivorian": "Ivory Coast",
    "Zambian": "Zambia", "Malawian": "Malawi", "Angolan": "Angola", "Gambian": "Gambia",
    "Mauritanian": "Mauritania", "Liberian": "Liberia", "Guinean": "Guinea", "Bangladeshi": "Bangladesh",
    "Philippine": "Philippines", "Filipino": "Philippines", "Burmese": "Myanmar", "Myanmar": "Myanmar",
    "Kurdish": "Iraq",
}
# Words that name a country only as an adjective of something that is not a story country.
_WEAK_COUNTRY = {"Kurdish", "U.S.", "US", "American", "Russian", "Russia", "United States", "British", "French",
                 "France", "Iranian", "Iran"}

_DEMONYM_ALT = "|".join(re.escape(k) for k in sorted(DEMONYMS, key=len, reverse=True))
_DEMONYM_RE = re.compile(r"(?<![\w.])(" + _DEMONYM_ALT + r")(?![\w])")
_BACKED_RE = re.compile(
    r"(?:(" + _DEMONYM_ALT + r")[-\s]backed\s+(?:[\w'’-]+\s+)?"
    r"|(?i:backed) (?i:by) (?:the )?(" + _DEMONYM_ALT + r")(?:\s+[\w-]+){0,2},\s+(?:the\s+)?(?:[\w'’-]+\s+)?)$"
)
_PREFIX_RE = re.compile(
    r"(?<![\w.])(" + _DEMONYM_ALT + r")(?:['’]s)?(?:\s+(?:government|regime|state|national|elite|special|"
    r"security|armed|military|air|naval|local))*\s*$"
)

# The weight of one named actor's home country in :func:`story_country` (a demonym weighs 1).
ACTOR_COUNTRY_WEIGHT = 0.5

INTER_LABELS = {
    1: "state forces", 2: "rebel group", 3: "political militia", 4: "identity militia",
    5: "rioters", 6: "protesters", 7: "civilians", 8: "external/other forces",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """A normalised actor: ACLED-style name, inter code (1-8) and home country."""

    name: str
    inter: int
    country: str | None = None
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def armed_non_state(self) -> bool:
        return self.inter in (2, 3, 4) and "generic" not in self.tags


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """An alias found in a text; offsets are into the text given plus ``offset``."""

    text: str
    start: int
    end: int
    actor: Actor
    generic: bool
    backer: Actor | None = None  # "Russian-backed ..." -> Military Forces of Russia


@dataclass(frozen=True, slots=True)
class _Row:
    canonical: str
    inter: int
    country: str | None
    tags: frozenset[str]
    aliases: tuple[str, ...]


class ActorTable:
    """Alias lookup over the versioned actor table (plus a user's extension)."""

    def __init__(self, rows: Sequence[_Row], *, version: str) -> None:
        self.version = version
        self._rows = list(rows)
        by_alias: dict[tuple[str, bool], _Row] = {}
        for row in self._rows:
            for alias in row.aliases:
                exact = _is_acronym(alias)
                by_alias[(alias if exact else alias.lower(), exact)] = row  # later rows win
        self._by_alias = by_alias
        exact = sorted({a for a, e in by_alias if e}, key=len, reverse=True)
        loose = sorted({a for a, e in by_alias if not e}, key=len, reverse=True)
        self._exact_re = _alias_regex(exact, flags=0)
        self._loose_re = _alias_regex(loose, flags=re.IGNORECASE)

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, *, extra: Path | None = None) -> ActorTable:
        """The packaged table, extended by the TSV file ``extra`` when given."""
        text = resources.files("wirewatch").joinpath("data/actors.tsv").read_text(encoding="utf-8")
        rows, version = _parse(text, origin="wirewatch/data/actors.tsv")
        if extra is not None:
            try:
                extra_text = Path(extra).read_text(encoding="utf-8")
            except OSError as exc:
                raise ActorTableError(f"cannot read actor table {extra}: {exc}") from exc
            more, extra_version = _parse(extra_text, origin=str(extra))
            rows.extend(more)
            version = f"{version}+{extra_version or Path(extra).name}"
        log.debug("actor table %s: %d rows", version, len(rows))
        return cls(rows, version=version)

    # -- lookup --------------------------------------------------------------------------
    def find(self, text: str, *, country: str | None = None, offset: int = 0) -> list[ActorMatch]:
        """Every alias in ``text`` (leftmost-longest, non-overlapping), normalised."""
        hits: list[tuple[int, int, _Row]] = []
        for rx, exact in ((self._exact_re, True), (self._loose_re, False)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                key = m.group(0) if exact else m.group(0).lower()
                row = self._by_alias.get((key, exact))
                if row is not None:
                    hits.append((m.start(), m.end(), row))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out: list[ActorMatch] = []
        last_end = -1
        for start, end, row in hits:
            if start < last_end:
                continue
            last_end = end
            prefix = text[max(0, start - 60):start]
            own_country = _prefix_country(prefix)
            actor = _instantiate(row, own_country or country)
            if actor is None:
                continue
            backer = _backer(prefix)
            if backer is not None and backer.name == actor.name:
                backer = None
            out.append(ActorMatch(text[start:end], start + offset, end + offset, actor,
                                  generic="generic" in row.tags, backer=backer))
        return out

    def armed_groups(self, text: str, *, offset: int = 0) -> list[ActorMatch]:
        """The named non-state armed groups in ``text``: rebels, political and identity militias
        (inter 2, 3, 4).  State forces (inter 1) and generic words ("gunmen", "militants") are
        no such name."""
        return [m for m in self.find(text, offset=offset) if m.actor.armed_non_state]

    def country_votes(self, text: str) -> Counter[str]:
        """Country -> weight of the named actors in ``text`` that belong to one country (each name
        counted once, :data:`ACTOR_COUNTRY_WEIGHT` each): "SNA", "FARDC", "Renamo" point to their
        country when a terse note names no country (a soft vote beside demonyms, never an override)."""
        votes: Counter[str] = Counter()
        seen: set[str] = set()
        for m in self.find(text):
            a = m.actor
            if a.country and "generic" not in a.tags and a.name not in seen:
                seen.add(a.name)
                votes[a.country] += ACTOR_COUNTRY_WEIGHT
        return votes

    def resolve_generic(self, match: ActorMatch, *, salient: Iterable[Actor], country: str | None) -> Actor:
        """``@armed``/``@rebels`` -> the article's most salient fitting group, else a generic name."""
        actor = match.actor
        if not actor.name.startswith("@"):
            return actor
        want = "rebel" if actor.name == "@rebels" else None
        for cand in salient:
            if want is None or want in cand.tags:
                return cand
        suffix = f" ({country})" if country else ""
        if want == "rebel":
            return Actor(f"Opposition Rebels{suffix}", 2, country, frozenset({"generic", "rebel"}))
        return Actor(f"Unidentified Armed Group{suffix}", 3, country, frozenset({"generic"}))


@functools.cache
def packaged_table() -> ActorTable:
    """The packaged table without a user's extension, loaded once (for callers given no table)."""
    return ActorTable.load()


def story_country(text: str, *, dateline_country: str | None = None,
                  actor_votes: Counter[str] | None = None) -> str | None:
    """The country a story is about: the most-named country (names and nationality words).

    Datelines like BEIRUT for Syria stories are common, so the dateline country only
    breaks ties and decides when nothing else is named.  ``actor_votes``
    (:meth:`ActorTable.country_votes`) adds the home countries of the named actors at half
    a demonym's weight.
    """
    counts: Counter[str] = Counter(actor_votes or {})
    for m in _DEMONYM_RE.finditer(text):
        word = m.group(1)
        counts[DEMONYMS[word]] += 0.5 if word in _WEAK_COUNTRY else 1.0
    if dateline_country:
        counts[dateline_country] += 0.5
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def normalise_name(name: str | None) -> str:
    """ACLED names compared loosely: "Military Forces of Afghanistan (2014-) Special Forces"
    -> "military forces of afghanistan"; "Boko Haram - Wilayat ..." -> "boko haram"."""
    if not name:
        return ""
    s = name.strip()
    if ":" in s:
        s = s.split(":", 1)[0]
    s = re.split(r"\s\(|\s-\s", s, maxsplit=1)[0]
    return re.sub(r"\s+", " ", s).strip().lower()


# -- helpers ---------------------------------------------------------------------------------
def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 6


def _alias_regex(aliases: list[str], *, flags: int) -> re.Pattern[str] | None:
    if not aliases:
        return None
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in aliases)
    return re.compile(r"(?<![\w])(?:" + body + r")(?![\w])", flags)


def _prefix_country(prefix: str) -> str | None:
    """Nationality directly before an alias: "Syrian army", "Turkey's military", "Iraqi Special"."""
    m = _PREFIX_RE.search(prefix)
    if m:
        return DEMONYMS.get(m.group(1))
    return None


def _backer(prefix: str) -> Actor | None:
    m = _BACKED_RE.search(prefix)
    if m is None:
        return None
    country = DEMONYMS.get(m.group(1) or m.group(2))
    if country is None:
        return None
    return Actor(f"Military Forces of {country}", 1, country, frozenset({"state"}))


def _instantiate(row: _Row, country: str | None) -> Actor | None:
    if row.country == "*":
        if row.canonical.startswith("@"):
            return Actor(row.canonical, row.inter, country, row.tags)
        if country:
            return Actor(row.canonical.format(country=country), row.inter, country, row.tags)
        return Actor(row.canonical.replace(" of {country}", "").replace(" ({country})", ""), row.inter, None,
                     row.tags)
    return Actor(row.canonical, row.inter, row.country, row.tags)


def _parse(text: str, *, origin: str) -> tuple[list[_Row], str | None]:
    rows: list[_Row] = []
    version: str | None = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split("\t")
            if version is None and len(parts) >= 3 and parts[1].strip() == "version":
                version = parts[2].strip()
            continue
        parts = [p.strip() for p in line.split("\t")]
        if parts[0] == "canonical":
            continue
        if len(parts) < 5:
            raise ActorTableError(f"{origin}:{n}: expected at least 5 tab-separated columns, got {len(parts)}")
        try:
            inter = int(parts[1])
        except ValueError as exc:
            raise ActorTableError(f"{origin}:{n}: inter code {parts[1]!r} is not a number") from exc
        if not 0 <= inter <= 8:
            raise ActorTableError(f"{origin}:{n}: inter code {inter} is outside 1-8")
        tags = frozenset(t.strip() for t in parts[3].split(",") if t.strip())
        aliases = tuple(a for a in parts[4:] if a)
        rows.append(_Row(parts[0], inter, parts[2] or None, tags, aliases))
    return rows, version


def with_country(actor: Actor, country: str | None) -> Actor:
    """Re-home a country-less template actor once the story's country is known."""
    if actor.country or not country or "generic" not in actor.tags:
        return actor
    for stem in ("Military Forces", "Police Forces"):
        if actor.name == stem:
            return replace(actor, name=f"{stem} of {country}", country=country)
    for stem in ("Civilians", "Protesters", "Rioters", "Unidentified Armed Group"):
        if actor.name == stem:
            return replace(actor, name=f"{stem} ({country})", country=country)
    return actor
