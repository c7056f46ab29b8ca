"""Score the extractor against ACLED-format CSV files (coder notes as text).

Each row's notes are the article, its event date the publication date (the
anchor for relative dates).  The prediction for a row is the first mention the
extractor finds (the lede's incident); a row with no mention counts as wrong
for type, sub-type and actor, and as 0 fatalities.

Fields scored: event type (old 2016 names mapped as in ``../shared/eval``;
``Riots/Protests`` counts either Protests or Riots).  For the 2016 file a
second figure, ``event_type_2019_codebook``, also accepts the two moves of
today's codebook (force against protesters -> Protests; bombs and grenades
against civilians -> Explosions/Remote violence); the gate uses the strict
figure.  Also scored: sub-event type (when the
file has it), fatalities exactly equal, actor1 as the ACLED export writes it
(an unnamed perpetrator is an Unidentified Armed Group, as ACLED codes it; names
compared by :func:`~wirewatch.extract.actors.normalise_name`), and location within 25 km
when a pipeline with geocoding is passed.

Fatalities: :func:`conservative_fatalities` over the mentions' ``killed``
claims -- figures from a party to the conflict (Voice of Jihad, the Taliban,
Islamic State, a defence/interior ministry, state media) are kept as claims but
ignored; an unattributed figure equal to a partisan one ("1 soldier was killed
... (VoJ reported 1)") is the same figure repeated and is ignored too; a "sum"
claim replaces the parts it covers; figures for the same victims from
different sources: the lowest wins; figures for different victims (soldiers,
militants, civilians) add up; a generic toll ("50 people") counts when it is
larger than the parts; none -> 0.

Dev split only by default: acled-africa rows whose EVENT_ID_CNTY number does
not end in 0 or 5, acled-afghanistan rows with even event_id_no_cnty.  Inside the
dev split, ``--part validation`` keeps the rows the learned typer never trained on
(event-id number divisible by 3, see :func:`is_validation`); gates use that part.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import WirewatchError
from ..export.acled import UNNAMED_ACTOR1
from ..extract.actors import ActorTable, normalise_name
from ..models import Article, Claim, EventMention

log = logging.getLogger(__name__)

OLD_TYPES: dict[str, tuple[str, ...]] = {
    "Battle-No change of territory": ("Battles",),
    "Battle-Government regains territory": ("Battles",),
    "Battle-Non-state actor overtakes territory": ("Battles",),
    "Remote violence": ("Explosions/Remote violence",),
    "Riots/Protests": ("Protests", "Riots"),
    "Violence against civilians": ("Violence against civilians",),
    "Strategic development": ("Strategic developments",),
    "Non-violent transfer of territory": ("Strategic developments",),
    "Headquarters or base established": ("Strategic developments",),
}
OLD_SUBTYPES: dict[str, str] = {
    "Battle-Government regains territory": "Government regains territory",
    "Battle-Non-state actor overtakes territory": "Non-state actor overtakes territory",
    "Non-violent transfer of territory": "Non-violent transfer of territory",
    "Headquarters or base established": "Headquarters or base established",
}
PARTISAN = re.compile(
    r"\b(?:VoJ|Voice of Jihad|Taliban|Islamic State|Amaq|IS|al-Shabaab|Boko Haram|Houthis?|"
    r"(?:Ministry of |)(?:Defen[cs]e|Interior) Ministry|Ministry of (?:Defen[cs]e|Interior)|MoD|MoI|"
    r"state media|state television|state news agency|SANA)\b",
    re.IGNORECASE,
)


class EvalDataError(WirewatchError, ValueError):
    hint = "pass an ACLED CSV with notes and event_date columns (2016 upper-case or 2019+ lower-case schema)"


@dataclass(frozen=True, slots=True)
class GoldRow:
    event_id: str
    notes: str
    published: dt.date | None
    types: tuple[str, ...]
    sub_event_type: str | None
    fatalities: int
    actor1: str
    latitude: float | None
    longitude: float | None
    old_schema: bool = False


def is_dev(row: dict[str, str]) -> bool:
    """True for the rows tuning may use; held-out rows are never to be looked at."""
    if "EVENT_ID_CNTY" in row:
        digits = re.sub(r"\D", "", row["EVENT_ID_CNTY"])
        return bool(digits) and digits[-1] not in "05"
    if "event_id_no_cnty" in row:
        return int(row["event_id_no_cnty"]) % 2 == 0
    raise EvalDataError("cannot tell the split: no EVENT_ID_CNTY or event_id_no_cnty column")


def is_validation(event_id: str) -> bool:
    """The validation part of the dev split: event-id number divisible by 3.

    The learned typer (``scripts/train_typer.py``) trains on the other dev rows only, so
    figures for a model-assisted extractor are honest on this part.
    """
    digits = re.sub(r"\D", "", event_id)
    return bool(digits) and int(digits) % 3 == 0


PARTS = ("all", "train", "validation")


def _date(value: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%d %B %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def read_rows(csv_path: Path, *, split: str = "dev", limit: int | None = None,
              part: str = "all") -> Iterator[GoldRow]:
    """Gold rows of one ACLED CSV, the dev split unless ``split="all"``.

    ``part`` narrows the rows to the learned typer's ``train`` or ``validation`` part
    (:func:`is_validation`); ``all`` keeps every row of the split.
    """
    if split not in ("dev", "all"):
        raise EvalDataError(f"unknown split {split!r}; choose dev or all")
    if part not in PARTS:
        raise EvalDataError(f"unknown part {part!r}; choose all, train or validation")
    n = 0
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for raw in csv.DictReader(fh):
            row = {k.strip(): (v or "") for k, v in raw.items() if k}
            if split == "dev" and not is_dev(row):
                continue
            get = lambda *names: next((row[k] for k in names if k in row), "")  # noqa: E731
            old = get("EVENT_TYPE", "event_type")
            types = OLD_TYPES.get(old, (old,))
            sub = get("sub_event_type") or OLD_SUBTYPES.get(old) or None
            event_id = get("EVENT_ID_CNTY", "event_id_cnty")
            if part != "all" and is_validation(event_id) != (part == "validation"):
                continue
            yield GoldRow(
                event_id=event_id,
                notes=get("NOTES", "notes"),
                published=_date(get("EVENT_DATE", "event_date")),
                types=types,
                sub_event_type=sub if "sub_event_type" in row else None,
                fatalities=int(get("FATALITIES", "fatalities") or 0),
                actor1=get("ACTOR1", "actor1"),
                latitude=_float(get("LATITUDE", "latitude")),
                longitude=_float(get("LONGITUDE", "longitude")),
                old_schema="EVENT_TYPE" in row,
            )
            n += 1
            if limit is not None and n >= limit:
                return


_CATEGORIES = (
    ("state", re.compile(r"\b(?:soldiers?|police(?:men|man)?|troops?|security|officers?|commandos?|army|guards?|"
                         r"personnel|NDS)\b", re.I)),
    ("armed", re.compile(r"\b(?:militants?|Taliban|insurgents?|fighters?|rebels?|attackers?|bombers?|gunmen|"
                         r"jihadists?|militia(?:men)?|members)\b", re.I)),
    ("civilian", re.compile(r"\b(?:civilians?|children|child|wom[ae]n|villagers?|residents?|farmers?|students?|"
                            r"worshippers?|passengers?|journalists?|shepherds?|elders?)\b", re.I)),
)
_PARTISAN_REPORT = re.compile(
    r"\((?:[^()]*?\b)?(VoJ|Voice of Jihad|Taliban(?: sources)?|MoD|MoI)\b[^()]*?(?<!also )\breported (\d+)|"
    r"\((\d+) according to (Taliban|VoJ)[^)]*\)", re.I)


def _category(text: str) -> str:
    for name, rx in _CATEGORIES:
        if rx.search(text):
            return name
    return "generic"


def partisan_figures(text: str) -> set[int]:
    """Figures the text itself attributes to a party ("VoJ reported 3", "(2 according to Taliban sources)")."""
    out = set()
    for m in _PARTISAN_REPORT.finditer(text):
        out.add(int(m.group(2) or m.group(3)))
    return out


def conservative_fatalities(claims: Iterable[Claim], *, text: str | None = None) -> int:
    """ACLED's single conservative number from ``killed`` claims (rule in the module docstring).

    Competing figures for the same victims (same victim category, or a generic toll) from
    different sources: the lowest wins.  Figures for different victims (soldiers and
    militants) add up.  ``text`` lets figures attributed in passing ("VoJ reported 3")
    mark the same unattributed figure as partisan.
    """
    killed = {(c.start, c.end, c.qualifier): c for c in claims if c.quantity == "killed" and c.low is not None}
    partisan_values = {c.low for c in killed.values() if c.source and PARTISAN.search(c.source)}
    if text:
        partisan_values |= partisan_figures(text)
    credible = [c for c in killed.values()
                if not (c.source and PARTISAN.search(c.source)) and c.low not in partisan_values]
    sums = [c for c in credible if c.qualifier == "sum"]
    parts = [c for c in credible if c.qualifier != "sum"
             and not any(s.start <= c.start and c.end <= s.end for s in sums)]
    by_cat: dict[str, dict[str, int]] = {}
    for c in parts + sums:
        cat = "generic" if c.qualifier == "sum" else _category(c.text)
        per_source = by_cat.setdefault(cat, {})
        src = c.source or ""
        per_source[src] = max(per_source.get(src, 0), int(c.low))
    totals = {cat: min(v.values()) for cat, v in by_cat.items()}
    specific = sum(v for k, v in totals.items() if k != "generic")
    return max(specific, totals.get("generic", 0))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _mentions(rows: list[GoldRow], *, pipeline: Any) -> Iterator[list[EventMention]]:
    articles = [Article(id=f"acled-{r.event_id}", text=r.notes, body=r.notes, published=r.published,
                        published_basis="metadata") for r in rows]
    if pipeline is not None:
        for a in articles:
            yield sorted(pipeline.run(a).mentions, key=lambda m: m.evidence[0].start)
        return
    from ..extract import extract_mentions
    from ..nlp import load_model

    nlp = load_model()
    table = ActorTable.load()
    for a, doc in zip(articles, nlp.pipe([a.body for a in articles], batch_size=64)):
        yield sorted(extract_mentions(a, doc, actors=table), key=lambda m: m.evidence[0].start)


def _moved_by_2019_codebook(row: GoldRow, pred: EventMention | None) -> bool:
    """Two events the 2016 codebook coded as Violence against civilians that today's codebook
    types elsewhere: force against protesters (Protests/Excessive force) and remote violence
    (bombs, grenades) against civilians (Explosions/Remote violence with civilians as actor2)."""
    if not row.old_schema or pred is None or row.types[0] != "Violence against civilians":
        return False
    if pred.sub_event_type == "Excessive force against protesters":
        return True
    return pred.event_type == "Explosions/Remote violence" and pred.inter2 in (7, None)


def evaluate_acled(csv_path: Path, *, split: str = "dev", limit: int | None = None, pipeline: Any = None,
                   errors: int = 0, part: str = "all") -> dict:
    """Per-field accuracy of the extractor on one ACLED CSV (see the module docstring).

    ``errors`` > 0 also returns, under ``"errors"``, up to that many mistyped rows of each of
    the top confusions (``[event_id, gold, predicted, rule, notes]``) for error analysis.
    """
    t0 = time.perf_counter()
    if errors and split != "dev":
        raise EvalDataError("--errors prints rows and is for the dev split only")
    rows = list(read_rows(Path(csv_path), split=split, limit=limit, part=part))
    if not rows:
        raise EvalDataError(f"{csv_path}: no rows in the {split} split")
    has_sub = any(r.sub_event_type for r in rows)
    n = len(rows)
    ok = Counter()
    sub_n = loc_n = 0
    confusion: Counter[tuple[str, str]] = Counter()
    missed = 0
    wrong: dict[tuple[str, str], list[list[str]]] = {}
    for row, ms in zip(rows, _mentions(rows, pipeline=pipeline)):
        pred = ms[0] if ms else None
        ptype = pred.event_type if pred else "(none)"
        missed += pred is None
        if ptype in row.types:
            ok["event_type"] += 1
            ok["event_type_2019"] += 1
        else:
            confusion[(row.types[0], ptype)] += 1
            if errors:
                rule = f"{pred.trigger!r}: {pred.rationale}" if pred is not None else ""
                wrong.setdefault((row.types[0], ptype), []).append(
                    [row.event_id, row.types[0], ptype, str(rule), row.notes])
            ok["event_type_2019"] += _moved_by_2019_codebook(row, pred)
        if row.sub_event_type:
            sub_n += 1
            ok["sub_event_type"] += bool(pred and pred.sub_event_type == row.sub_event_type)
        claims = [c for m in ms for c in m.claims]
        ok["fatalities"] += conservative_fatalities(claims, text=row.notes) == row.fatalities
        ok["actor1"] += bool(pred and normalise_name(pred.actor1 or UNNAMED_ACTOR1) == normalise_name(row.actor1))
        loc = pred.location if pred else None
        if loc is not None and row.latitude is not None and loc.latitude is not None:
            loc_n += 1
            ok["location"] += _km(row.latitude, row.longitude, loc.latitude, loc.longitude) <= 25.0
    return {
        "file": Path(csv_path).name,
        "split": split,
        "part": part,
        "rows": n,
        "no_event_found": missed,
        "event_type": round(ok["event_type"] / n, 4),
        "event_type_2019_codebook": round(ok["event_type_2019"] / n, 4) if rows[0].old_schema else None,
        "sub_event_type": round(ok["sub_event_type"] / sub_n, 4) if has_sub and sub_n else None,
        "fatalities_exact": round(ok["fatalities"] / n, 4),
        "actor1": round(ok["actor1"] / n, 4),
        "location_25km": round(ok["location"] / loc_n, 4) if loc_n else None,
        "location_rows": loc_n,
        "top_confusions": [[g, p, c] for (g, p), c in confusion.most_common(8)],
        "seconds": round(time.perf_counter() - t0, 1),
        **({"errors": [e for (g, p), _ in confusion.most_common(8) for e in wrong[(g, p)][:errors]]}
           if errors else {}),
    }


def format_table(result: dict) -> str:
    lines = [f"{result['file']} ({result['split']}/{result.get('part', 'all')}, {result['rows']} rows, "
             f"{result['seconds']} s)"]
    for key in ("event_type", "event_type_2019_codebook", "sub_event_type", "fatalities_exact", "actor1", "location_25km"):
        val = result[key]
        lines.append(f"  {key:<26} {'n/a' if val is None else f'{val:.3f}'}")
    lines.append(f"  {'no_event_found':<26} {result['no_event_found']}")
    for g, p, c in result["top_confusions"]:
        lines.append(f"    gold {g} -> predicted {p}: {c}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wirewatch.eval.acled", description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", type=Path, help="ACLED CSV file(s)")
    ap.add_argument("--split", choices=("dev", "all"), default="dev", help="rows to score (default dev)")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N rows of the split")
    ap.add_argument("--part", choices=PARTS, default="all",
                    help="dev rows the learned typer trained on (train), never saw (validation), or all (default)")
    ap.add_argument("--pipeline", action="store_true", help="run the full pipeline (with geocoding)")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="print up to N mistyped rows of each top confusion (dev rows only)")
    args = ap.parse_args(argv)
    pipeline = None
    if args.pipeline:
        from ..config import Settings
        from ..pipeline import Pipeline

        pipeline = Pipeline(Settings())
    results = []
    for path in args.paths:
        try:
            res = evaluate_acled(path, split=args.split, limit=args.limit, pipeline=pipeline, errors=args.errors,
                                 part=args.part)
        except EvalDataError as exc:
            log.error("%s", exc)
            return 2
        sys.stdout.write(format_table(res) + "\n")
        for eid, gold, pred, rule, notes in res.pop("errors", []):
            sys.stdout.write(f"  [{eid}] gold {gold} -> {pred} ({rule}): {notes}\n")
        results.append(res)
    sys.stdout.write(json.dumps(results if len(results) > 1 else results[0], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
