"""Score :func:`wirewatch.extract.timex.find_dates` against TimeML gold (TempEval-3 TBAQ).

For every in-text ``TIMEX3`` of type DATE whose gold value is a full date
(``YYYY-MM-DD``), an ISO week (``YYYY-Wnn``) or a month (``YYYY-MM``), the
resolver runs over the TIMEX's sentence with the document creation time as
anchor; the span overlapping the gold TIMEX is compared with the gold value:

* day values: our span must be that exact day (start == end == gold);
* week / month values: our span must lie within the gold period.

``coverage`` is the share of gold TIMEXes for which we returned an
overlapping span; ``accuracy`` is correct / covered; ``recall`` is
correct / all.  Run: ``python -m wirewatch.eval.timex DIR`` (DIR holds .tml
files, searched recursively).  Use only the dev part (TBAQ-cleaned).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..extract.timex import find_dates

log = logging.getLogger(__name__)

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class GoldTimex:
    doc: str
    text: str
    value: str
    sentence: str
    start: int  # offsets of the timex inside ``sentence``
    end: int
    anchor: dt.date


def gold_period(value: str) -> tuple[str, dt.date, dt.date] | None:
    """(kind, first day, last day) of a TimeML value, or None when not day/week/month."""
    if m := _DAY.match(value):
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return "day", d, d
    if m := _WEEK.match(value):
        try:
            start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        return "week", start, start + dt.timedelta(days=6)
    if m := _MONTH.match(value):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            return None
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return "month", dt.date(y, mo, 1), nxt - dt.timedelta(days=1)
    return None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    rights = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return left, right


def read_timeml(path: Path) -> list[GoldTimex]:
    """The DATE timexes of one .tml file (with their sentence and the DCT anchor)."""
    root = ET.parse(path).getroot()
    dct_el = root.find(".//DCT/TIMEX3")
    if dct_el is None or not _DAY.match(dct_el.get("value", "")[:10]):
        return []
    anchor = dt.date.fromisoformat(dct_el.get("value", "")[:10])
    text_el = root.find(".//TEXT")
    if text_el is None:
        return []
    parts: list[str] = []
    marks: list[tuple[int, int, str, str]] = []

    def walk(el: ET.Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            begin = sum(map(len, parts))
            walk(child)
            if child.tag == "TIMEX3" and child.get("type") == "DATE":
                stop = sum(map(len, parts))
                marks.append((begin, stop, child.get("value", ""), "".join(child.itertext())))
            if child.tail:
                parts.append(child.tail)

    walk(text_el)
    text = "".join(parts)
    out = []
    for begin, stop, value, surface in marks:
        s, e = _sentence_bounds(text, begin, stop)
        out.append(GoldTimex(path.name, surface, value, text[s:e], begin - s, stop - s, anchor))
    return out


def score_one(g: GoldTimex) -> tuple[bool, bool]:
    """(covered, correct) for one gold timex."""
    period = gold_period(g.value)
    if period is None:
        return False, False
    kind, gs, ge = period
    spans = [d for d in find_dates(g.sentence, anchor=g.anchor) if d.char_start < g.end and d.char_end > g.start]
    if not spans:
        return False, False
    d = spans[0]
    if kind == "day":
        return True, d.start == gs and d.end == gs
    return True, gs <= d.start and d.end <= ge


def evaluate_timeml(dir: Path) -> dict:
    """Accuracy and coverage of the resolver on every .tml under ``dir``, by gold kind."""
    totals: dict[str, dict[str, int]] = {}
    for path in sorted(Path(dir).rglob("*.tml")):
        for g in read_timeml(path):
            period = gold_period(g.value)
            if period is None:
                continue
            covered, correct = score_one(g)
            t = totals.setdefault(period[0], {"n": 0, "covered": 0, "correct": 0})
            t["n"] += 1
            t["covered"] += covered
            t["correct"] += correct
    all_n = sum(t["n"] for t in totals.values())
    all_cov = sum(t["covered"] for t in totals.values())
    all_ok = sum(t["correct"] for t in totals.values())
    result: dict = {
        "n": all_n,
        "covered": all_cov,
        "correct": all_ok,
        "coverage": round(all_cov / all_n, 4) if all_n else 0.0,
        "accuracy": round(all_ok / all_cov, 4) if all_cov else 0.0,
        "recall": round(all_ok / all_n, 4) if all_n else 0.0,
        "by_kind": totals,
    }
    return result


def _errors(dir: Path, limit: int) -> list[dict]:
    out = []
    for path in sorted(Path(dir).rglob("*.tml")):
        for g in read_timeml(path):
            if gold_period(g.value) is None:
                continue
            covered, correct = score_one(g)
            if not correct:
                got = [
                    (d.text, d.start.isoformat(), d.end.isoformat())
                    for d in find_dates(g.sentence, anchor=g.anchor)
                    if d.char_start < g.end and d.char_end > g.start
                ]
                out.append({"doc": g.doc, "text": g.text, "gold": g.value, "anchor": g.anchor.isoformat(), "got": got})
                if len(out) >= limit:
                    return out
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wirewatch.eval.timex", description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path, help="folder of TimeML .tml files (dev: TBAQ-cleaned)")
    ap.add_argument("--errors", type=int, default=0, help="also list this many misses (surface, gold, ours)")
    args = ap.parse_args(argv)
    result = evaluate_timeml(args.dir)
    if args.errors:
        result["errors"] = _errors(args.dir, args.errors)
    print(json.dumps(result, indent=2))  # CLI entry point: printing is its job
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
