"""Extend the gazetteer from a user-supplied GeoNames dump (``allCountries.zip``, ``SY.zip``, ``SY.txt``).

The dump is streamed (never loaded whole) in GeoNames' tab format::

    geonameid name asciiname alternatenames lat lon fclass fcode cc cc2 admin1 admin2 admin3 admin4
    population elevation dem timezone modified

Rows of feature classes P (populated places), A (divisions), L (areas), T
(mountains, hills) and H (rivers, lakes) are added to ``gazetteer-extra.sqlite``
in the cache directory, which every later :meth:`Gazetteer.load` attaches, so
the villages cities500 lacks ("Sousian") become resolvable.  Rows already in
the base gazetteer are skipped; re-importing the same dump adds nothing.
"""

from __future__ import annotations

import io
import logging
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import GazetteerError
from .gazetteer import EXTRA_DB, Gazetteer, name_rows, create_schema
from .tables import read_admin1

log = logging.getLogger(__name__)

KEEP_CLASSES = frozenset("PALTH")
BATCH = 20_000


def _lines(path: Path) -> Iterator[str]:
    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise GazetteerError(f"{path} is not a zip file: {exc}", hint="pass a GeoNames dump such as SY.zip or SY.txt") from exc
        with zf:
            members = [n for n in zf.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")]
            if not members:
                raise GazetteerError(f"{path} holds no GeoNames .txt table", hint="pass a GeoNames dump such as SY.zip")
            for member in members:
                with zf.open(member) as fh:
                    yield from io.TextIOWrapper(fh, encoding="utf-8", errors="replace")
    else:
        with open(path, encoding="utf-8", errors="replace") as fh:
            yield from fh


def import_dump(path: Path, *, cache_dir: Path) -> int:
    """Add the places of a GeoNames dump to the cached gazetteer; return how many rows were added."""
    path = Path(path)
    if not path.exists():
        raise GazetteerError(f"{path} does not exist", hint="download a dump from https://download.geonames.org/export/dump/")
    base = Gazetteer.load(cache_dir=cache_dir)
    base_conn = sqlite3.connect(f"file:{base.path}?mode=ro", uri=True)
    admin1 = {a.code: a.name for a in read_admin1()}
    extra_path = Path(cache_dir) / EXTRA_DB
    conn = sqlite3.connect(extra_path)
    create_schema(conn)
    conn.execute("CREATE INDEX IF NOT EXISTS names_key ON names(key)")
    added = bad = 0
    places: list[tuple] = []
    names: list[tuple[str, int, int]] = []

    def flush() -> None:
        nonlocal places, names
        ids = [p[0] for p in places]
        known: set[int] = set()
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            q = ",".join("?" * len(chunk))
            known.update(r[0] for r in base_conn.execute(f"SELECT id FROM places WHERE id IN ({q})", chunk))
            known.update(r[0] for r in conn.execute(f"SELECT id FROM places WHERE id IN ({q})", chunk))
        fresh = [p for p in places if p[0] not in known]
        fresh_ids = {p[0] for p in fresh}
        conn.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", fresh)
        conn.executemany("INSERT INTO names VALUES (?,?,?)", [n for n in names if n[1] in fresh_ids])
        nonlocal added
        added += len(fresh)
        places, names = [], []

    try:
        for n, line in enumerate(_lines(path), 1):
            f = line.rstrip("\n").split("\t")
            if len(f) < 15:
                bad += 1
                if bad > 100 and bad > n // 10:
                    raise GazetteerError(f"{path} does not look like a GeoNames dump (line {n} has {len(f)} fields)",
                                         hint="pass allCountries.zip, XX.zip or XX.txt from download.geonames.org/export/dump")
                continue
            if f[6] not in KEEP_CLASSES:
                continue
            try:
                gid, lat, lon = int(f[0]), float(f[4]), float(f[5])
                pop = int(f[14] or 0)
            except ValueError:
                bad += 1
                continue
            cc = f[8] or None
            a1 = admin1.get(f"{cc}.{f[10]}") if cc else None
            places.append((gid, f[1], lat, lon, cc, a1, None, f[6], f[7], pop))
            alts = [a for a in f[3].split(",") if a] + ([f[2]] if f[2] != f[1] else [])
            names.extend(name_rows(gid, f[1], alts))
            if len(places) >= BATCH:
                flush()
        if places:
            flush()
        conn.commit()
    finally:
        conn.close()
        base_conn.close()
    log.info("imported %d places from %s into %s (%d malformed lines)", added, path, extra_path, bad)
    return added
