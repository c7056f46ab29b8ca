"""Check the installed version of every distribution against advisories that answer for that version.

    .venv/bin/python scripts/audit_deps.py [--osv-db PATH] [--allow NAME=REASON ...] [--allow-file PATH]
                                           [--json PATH] [--timeout 20]

Sources, first that answers wins, per package:

* ``--osv-db PATH`` (or ``$WIREWATCH_OSV_DB``): an OSV database on disk — OSV's ``PyPI/all.zip`` export,
  a folder of OSV JSON records, or one JSON/JSONL file of them.  It answers for every version: a
  package it has no record of has no known advisory.  Ranges and version lists are compared with
  ``packaging.version`` (``2.4.6`` is ``2.4.6.0``); withdrawn advisories are ignored.
* ``pip-audit``, when it is installed and its service answers for every package (a per-version service).
* PyPI's project JSON, whose ``vulnerabilities`` describe the newest release only: it answers for an
  installed version equal to the newest (withdrawn entries ignored), and for nothing older.

A package index lags PyPI (a mirror, or pip's cached index pages): an installed version that was the
newest release until fewer than ``--lag-days`` days ago (7 by default) is ``lagging``, reported with the
newer release and its age, and does not fail the audit; the advisories PyPI lists for the newest release
are still counted against it.  Older than that, it is ``unchecked`` as before.

A package no source answers for (and not lagging) is ``unchecked``.  Exit status: 1 when any installed version is
vulnerable; 2 when any package is unchecked and not allowed with ``--allow NAME=REASON`` (or a line
``NAME  REASON`` of ``--allow-file``; a reason is required); 0 when every package was checked clean or
allowed.  "Could not check" is never counted as clean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

INDEX = "https://pypi.org/pypi/{name}/json"


@dataclasses.dataclass
class Row:
    name: str
    version: str
    status: str  # ok | VULNERABLE | lagging | unchecked | allowed
    via: str
    advisories: list[str] = dataclasses.field(default_factory=list)
    note: str = ""


def installed() -> dict[str, str]:
    """Installed distributions (canonical name -> version), the project itself excluded."""
    out: dict[str, str] = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").strip()
        if name and canonicalize_name(name) != "wirewatch":
            out[canonicalize_name(name)] = dist.version
    return dict(sorted(out.items()))


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


# ---------------------------------------------------------------------------
# OSV records


def osv_records(path: Path) -> Iterator[dict]:
    """OSV records from a zip export, a folder of ``.json`` files, or a JSON/JSONL file."""
    if path.is_dir():
        for f in sorted(path.rglob("*.json")):
            yield from _records_in(f.read_bytes())
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.filename.endswith(".json"):
                    yield from _records_in(z.read(info))
    else:
        data = path.read_bytes()
        try:
            yield from _records_in(data)
        except json.JSONDecodeError:
            for line in data.splitlines():
                if line.strip():
                    yield from _records_in(line)


def _records_in(data: bytes) -> Iterator[dict]:
    obj = json.loads(data)
    for rec in obj if isinstance(obj, list) else [obj]:
        if isinstance(rec, dict):
            yield rec


def osv_index(records: Iterable[dict]) -> dict[str, list[tuple[str, dict]]]:
    """Canonical package name -> [(advisory id, its ``affected`` entry)], withdrawn advisories left out."""
    index: dict[str, list[tuple[str, dict]]] = {}
    for rec in records:
        if rec.get("withdrawn"):
            continue
        for aff in rec.get("affected") or []:
            pkg = aff.get("package") or {}
            if pkg.get("ecosystem") == "PyPI" and pkg.get("name"):
                index.setdefault(canonicalize_name(pkg["name"]), []).append((rec.get("id", "?"), aff))
    return index


def affects(aff: dict, version: Version) -> bool:
    """Whether an OSV ``affected`` entry covers ``version`` (listed versions, or ECOSYSTEM ranges)."""
    for listed in aff.get("versions") or []:
        if _version(listed) == version:
            return True
    for rng in aff.get("ranges") or []:
        if rng.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        start: Version | None = None
        for event in rng.get("events") or []:
            if "introduced" in event:
                start = Version("0") if event["introduced"] == "0" else _version(event["introduced"])
            elif start is not None and ("fixed" in event or "last_affected" in event):
                end = _version(event.get("fixed") or event.get("last_affected"))
                if end is not None and start <= version and (version < end if "fixed" in event else version <= end):
                    return True
                start = None
        if start is not None and start <= version:  # introduced and never fixed
            return True
    return False


def check_osv(index: dict[str, list[tuple[str, dict]]], name: str, version: str) -> list[str] | None:
    """Advisory ids affecting ``name`` at ``version``; None when the version cannot be compared."""
    v = _version(version)
    if v is None:
        return None
    return sorted({adv for adv, aff in index.get(name, []) if affects(aff, v)})


# ---------------------------------------------------------------------------
# services


def _pip_audit(timeout: float) -> dict[str, list[str]] | None:
    """pip-audit's verdict per package, or None when it is missing or its service does not answer for all."""
    exe = shutil.which("pip-audit")
    if not exe:
        return None
    try:
        proc = subprocess.run([exe, "--format", "json", "--progress-spinner", "off", "--skip-editable"],
                              capture_output=True, text=True, timeout=timeout * 20)
        deps = json.loads(proc.stdout).get("dependencies", [])
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError, AttributeError):
        return None
    if not deps or any("skip_reason" in d for d in deps):
        return None
    return {canonicalize_name(d["name"]): [v["id"] for v in d.get("vulns", [])] for d in deps}


def _project(name: str, timeout: float) -> dict | None:
    req = urllib.request.Request(INDEX.format(name=name), headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.load(resp)
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, OSError):
        return None


def check_pypi(data: dict | None, version: str) -> tuple[list[str] | None, str]:
    """(advisory ids, note) from PyPI's project JSON; ids None when it does not describe ``version``."""
    if data is None:
        return None, "PyPI did not answer"
    latest = str(data.get("info", {}).get("version") or "")
    if _version(latest) is None or _version(version) != _version(latest):
        return None, f"newest is {latest}; PyPI lists advisories for the newest release only"
    ids = sorted({v.get("id", "?") for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")})
    return ids, ""


def _uploaded(files: list[dict]) -> dt.datetime | None:
    times = [f.get("upload_time_iso_8601") for f in files or [] if f.get("upload_time_iso_8601")]
    if not times:
        return None
    return min(dt.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in times)


def lagging(data: dict | None, version: str, *, days: float, now: dt.datetime) -> str | None:
    """A note when ``version`` was PyPI's newest release until fewer than ``days`` days before ``now``.

    Every release newer than ``version`` must be that young (a mirror or a cached index page has not
    offered it yet); ``version`` itself must be a release PyPI knows.  None otherwise.
    """
    mine = _version(version)
    if data is None or mine is None:
        return None
    releases = data.get("releases") or {}
    if not any(_version(v) == mine for v in releases):
        return None
    newer = [(v, _uploaded(files)) for v, files in releases.items()
             if (pv := _version(v)) is not None and pv > mine and not pv.is_prerelease and files]
    if not newer or any(when is None or now - when > dt.timedelta(days=days) for _, when in newer):
        return None
    first = min(when for _, when in newer)
    age = (now - first).total_seconds() / 86400
    return (f"newer release {max(newer, key=lambda p: _version(p[0]))[0]} is {age:.1f} days old; "
            f"the package index pip used has not offered it yet")


def newest_advisories(data: dict | None) -> list[str]:
    """Advisories on the newest release (not withdrawn): counted against a lagging older one too."""
    return sorted({v.get("id", "?") for v in (data or {}).get("vulnerabilities") or [] if not v.get("withdrawn")})


# ---------------------------------------------------------------------------


def audit(packages: dict[str, str], *, osv: dict[str, list[tuple[str, dict]]] | None, allowed: dict[str, str],
          timeout: float, use_network: bool = True, lag_days: float = 7.0,
          now: dt.datetime | None = None, project=None) -> list[Row]:
    now = now or dt.datetime.now(dt.timezone.utc)
    project = project or _project
    rows: list[Row] = []
    via_pip_audit = _pip_audit(timeout) if osv is None and use_network else None
    for name, version in packages.items():
        ids: list[str] | None = None
        note, via = "", "none"
        if osv is not None:
            ids, via = check_osv(osv, name, version), "osv-db"
            note = "" if ids is not None else f"version {version!r} cannot be compared"
        elif via_pip_audit is not None and name in via_pip_audit:
            ids, via = via_pip_audit[name], "pip-audit"
        elif use_network:
            data = project(name, timeout)
            ids, note = check_pypi(data, version)
            via = "pypi-project-json"
            if ids is None and (lag := lagging(data, version, days=lag_days, now=now)):
                found = newest_advisories(data)
                rows.append(Row(name, version, "VULNERABLE" if found else "lagging", via, advisories=found,
                                note=lag))
                continue
        if ids is None:
            status = "allowed" if name in allowed else "unchecked"
            rows.append(Row(name, version, status, via, note=allowed.get(name) or note))
        else:
            rows.append(Row(name, version, "VULNERABLE" if ids else "ok", via, advisories=ids))
    return rows


def parse_allowed(items: Iterable[str], files: Iterable[str]) -> dict[str, str]:
    """``NAME=REASON`` options and ``NAME  REASON`` file lines -> {canonical name: reason}; a reason is required."""
    out: dict[str, str] = {}
    pairs = [tuple(item.split("=", 1)) for item in items]
    for f in files:
        for line in Path(f).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                pairs.append(tuple(line.split(None, 1)))
    for pair in pairs:
        if len(pair) != 2 or not pair[1].strip():
            raise ValueError(f"{' '.join(pair)!r}: an allowance needs a reason (NAME=REASON)")
        out[canonicalize_name(pair[0].strip())] = pair[1].strip()
    return out


def exit_status(rows: list[Row]) -> int:
    if any(r.status == "VULNERABLE" for r in rows):
        return 1
    if any(r.status == "unchecked" for r in rows):
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--osv-db", default=os.environ.get("WIREWATCH_OSV_DB"),
                    help="OSV database: PyPI/all.zip, a folder of OSV JSON files, or a JSON/JSONL file")
    ap.add_argument("--allow", action="append", default=[], metavar="NAME=REASON",
                    help="let NAME stay unchecked, for REASON (repeatable)")
    ap.add_argument("--allow-file", action="append", default=[], metavar="PATH",
                    help="lines 'NAME  REASON' of packages allowed to stay unchecked")
    ap.add_argument("--json", help="also write the per-package results to this file")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per index request")
    ap.add_argument("--lag-days", type=float, default=7.0,
                    help="an installed release superseded fewer than this many days ago is 'lagging', not a failure")
    args = ap.parse_args(argv)
    try:
        allowed = parse_allowed(args.allow, args.allow_file)
        osv = osv_index(osv_records(Path(args.osv_db))) if args.osv_db else None
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        print(f"dependency audit: {exc}", file=sys.stderr)
        return 2
    rows = audit(installed(), osv=osv, allowed=allowed, timeout=args.timeout, lag_days=args.lag_days)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump([dataclasses.asdict(r) for r in rows], f, indent=1)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status == "VULNERABLE":
            print(f"VULNERABLE {r.name} {r.version}: {', '.join(r.advisories)}")
        elif r.status == "unchecked":
            print(f"could not check {r.name} {r.version}: {r.note}", file=sys.stderr)
        elif r.status == "lagging":
            print(f"lagging index: {r.name} {r.version} ({r.note})", file=sys.stderr)
        elif r.status == "allowed":
            print(f"unchecked, allowed: {r.name} {r.version} ({r.note})", file=sys.stderr)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"dependency audit: {len(rows)} packages: {summary}")
    return exit_status(rows)


if __name__ == "__main__":
    sys.exit(main())
