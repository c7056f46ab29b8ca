"""Check every installed distribution against the vulnerabilities PyPI publishes.

    .venv/bin/python scripts/audit_deps.py [--json PATH] [--timeout 20]

Why not just ``pip-audit``: from this build machine neither of its services answers (OSV's host does
not resolve, and PyPI's per-version JSON endpoint, which pip-audit's default service reads, returns
404). PyPI's *project* JSON (``/pypi/NAME/json``) does answer, and it carries the ``vulnerabilities``
known for the project's newest release.  So for each installed distribution:

* ``pip-audit`` first, when it is installed and its service answers — its verdict is used as is;
* otherwise, if the installed version **is** the newest release, PyPI's list for it is authoritative
  (``ok`` when empty, ``VULNERABLE`` with the advisory ids when not);
* if the installed version is older than the newest release, PyPI's list does not describe it: the
  package is reported ``unverified`` with both versions (never silently counted as clean).

Exit status: 1 if any vulnerability is found, 2 if the index could not be reached at all, 0 otherwise
(unverified packages are listed on stderr and counted in the summary line).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import metadata

INDEX = "https://pypi.org/pypi/{name}/json"


def installed() -> dict[str, str]:
    """Installed distributions (normalised name → version), the project itself excluded."""
    out: dict[str, str] = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").strip()
        if not name or name.lower() == "wirewatch":
            continue
        out[name.lower().replace("_", "-")] = dist.version
    return dict(sorted(out.items()))


def _pip_audit(timeout: float) -> dict[str, list[str]] | None:
    """pip-audit's verdict per package, or None when it is missing or its service does not answer."""
    exe = shutil.which("pip-audit")
    if not exe:
        return None
    try:
        proc = subprocess.run([exe, "--format", "json", "--progress-spinner", "off", "--skip-editable"],
                              capture_output=True, text=True, timeout=timeout * 20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None
    deps = report.get("dependencies", [])
    if not deps or any("skip_reason" in d for d in deps):
        return None  # the service did not answer for every package: fall back for all of them
    return {d["name"].lower(): [v["id"] for v in d.get("vulns", [])] for d in deps}


def _project(name: str, timeout: float) -> dict | None:
    req = urllib.request.Request(INDEX.format(name=name), headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.load(resp)
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, OSError):
        return None


def audit(packages: dict[str, str], *, timeout: float) -> list[dict]:
    rows: list[dict] = []
    via_pip_audit = _pip_audit(timeout)
    for name, version in packages.items():
        if via_pip_audit is not None and name in via_pip_audit:
            ids = via_pip_audit[name]
            rows.append({"name": name, "version": version, "status": "VULNERABLE" if ids else "ok",
                         "advisories": ids, "via": "pip-audit"})
            continue
        data = _project(name, timeout)
        if data is None:
            rows.append({"name": name, "version": version, "status": "unreachable", "advisories": [],
                         "via": "pypi-project-json"})
            continue
        latest = data.get("info", {}).get("version")
        if latest == version:
            ids = sorted({v.get("id", "?") for v in data.get("vulnerabilities") or []})
            rows.append({"name": name, "version": version, "status": "VULNERABLE" if ids else "ok",
                         "advisories": ids, "via": "pypi-project-json"})
        else:
            rows.append({"name": name, "version": version, "status": "unverified", "latest": latest,
                         "advisories": [], "via": "pypi-project-json"})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="also write the per-package results to this file")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per index request")
    args = ap.parse_args(argv)
    rows = audit(installed(), timeout=args.timeout)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        if r["status"] == "VULNERABLE":
            print(f"VULNERABLE {r['name']} {r['version']}: {', '.join(r['advisories'])}")
        elif r["status"] == "unverified":
            print(f"unverified {r['name']} {r['version']} (newest is {r['latest']}; PyPI lists advisories "
                  f"for the newest release only)", file=sys.stderr)
        elif r["status"] == "unreachable":
            print(f"unreachable {r['name']} {r['version']}", file=sys.stderr)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"dependency audit: {len(rows)} packages: {summary}")
    if counts.get("VULNERABLE"):
        return 1
    if counts.get("unreachable", 0) == len(rows):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
