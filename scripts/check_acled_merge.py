"""Count what ingest wrongly joins among ACLED dev notes: duplicates and mixed events.

    python scripts/check_acled_merge.py [--eval ../shared/eval] [--wirewatch .venv/bin/wirewatch] [--limit N]

Each ACLED coder note is one distinct real-world event.  This ingests the acceptance scorer's ACLED
input (``score/acled.py input``: one JSONL line per dev note, with its date) through the CLI, as a
user would, then counts from ``articles`` and ``export``:

* ``duplicates``: notes marked ``duplicate_of`` another note whose text differs (a note repeated
  word for word is a duplicate);
* ``mixed``: notes merged into an event with another note of a different date, or whose ACLED point
  lies more than 25 km from the other's.

Prints one JSON line.  Reads ``../shared/eval`` only; nothing from it enters the project.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def _scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("acled_scorer", eval_dir / "score" / "acled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _jsonl(cmd: list[str]) -> list[dict]:
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def check(*, eval_dir: Path, wirewatch: str, limit: int | None = None, km: float = 25.0) -> dict:
    scorer = _scorer(eval_dir)
    notes = {}
    for row in scorer.rows():
        notes.setdefault(row["id"], row)
        if limit and len(notes) >= limit:
            break
    with tempfile.TemporaryDirectory() as tmp:
        inp, db = Path(tmp) / "in.jsonl", str(Path(tmp) / "a.db")
        with inp.open("w", encoding="utf-8") as fh:
            for n in notes.values():
                fh.write(json.dumps({"id": n["id"], "text": n["text"], "published": n["published"]}) + "\n")
        subprocess.run([wirewatch, "ingest", str(inp), "--db", db], check=False, capture_output=True)
        articles = _jsonl([wirewatch, "articles", "--db", db, "--format", "jsonl"])
        events = _jsonl([wirewatch, "export", "--db", db, "--format", "jsonl"])
    by_id = {a["id"]: a for a in articles}
    duplicates = []
    for a in articles:
        original = by_id.get(a.get("duplicate_of") or "")
        if original and notes[a["external_id"]]["text"] != notes[original["external_id"]]["text"]:
            duplicates.append((a["external_id"], original["external_id"]))
    mixed: set[str] = set()
    examples = []
    for ev in events:
        ids = sorted({s["external_id"] for s in ev["sources"] if s.get("external_id") in notes})
        for i, x in enumerate(ids):
            for y in ids[i + 1:]:
                a, b = notes[x], notes[y]
                far = scorer.km(a["lat"], a["lon"], b["lat"], b["lon"]) > km
                if a["published"] != b["published"] or far:
                    mixed.update((x, y))
                    if len(examples) < 5:
                        examples.append([x, y, a["published"], b["published"], far])
    n = len(notes)
    return {"notes": n, "articles": len(articles), "events": len(events), "duplicates": len(duplicates),
            "duplicates_share": round(len(duplicates) / n, 4) if n else 0.0, "mixed": len(mixed),
            "mixed_examples": examples, "duplicate_examples": duplicates[:5]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", default="../shared/eval", help="the shared evaluation folder")
    ap.add_argument("--wirewatch", default=".venv/bin/wirewatch", help="the CLI to run")
    ap.add_argument("--limit", type=int, default=None, help="only the first N notes (a quicker look)")
    args = ap.parse_args(argv)
    print(json.dumps(check(eval_dir=Path(args.eval), wirewatch=args.wirewatch, limit=args.limit)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
