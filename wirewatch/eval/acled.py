"""Score what ``wirewatch ingest`` → ``export`` produces against ACLED's own coding of its notes.

    wirewatch eval acled                       # the three dev sets under ../shared/eval (as score/run acled)
    wirewatch eval acled MY_ACLED.csv          # every row of your own ACLED-format CSV

Each note becomes one JSONL input line (``id``, ``text`` = the note, ``published`` = ACLED's
event date), the lines are ingested into a fresh database with the CLI's defaults
(:mod:`wirewatch.eval.runner`), and the exported event records are read back, as a user would.
An event belongs to a note when one of its ``sources[]`` carries the note's id as ``external_id``;
a note with no event is wrong on every field.  A note's main event is the one with the most
fatalities (ties: not a Strategic development).  Fields, defined as the acceptance scorer
(``../shared/eval/score/acled.py``) defines them so that the figures agree to the digit:
event type (2016's old names mapped; ``Riots/Protests`` accepts either), sub-event type (accuracy,
support-weighted and macro F1 over the sub-types present), fatalities exactly ACLED's (the main
event's, or the sum over the note's events), place within 25 km of ACLED's point over all notes.
``actor1`` (the main event's, compared by :func:`~wirewatch.extract.actors.normalise_name`) is an
extra figure the acceptance scorer does not print.

Dev and held-out rows (``../shared/eval/README.md``): Africa 2016 rows whose EVENT_ID_CNTY number
ends in 0 or 5, Afghanistan 2020 rows with an odd event_id_no_cnty and global 2020 rows whose
event_id_no_cnty is divisible by 3 are held out and never read here.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import WirewatchError
from ..extract.actors import normalise_name
from .runner import default_data_dir, run_product

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
DATE_FORMATS = ("%d/%m/%Y", "%d %B %Y", "%d-%b-%y", "%Y-%m-%d")
RADIUS_KM = 25.0


class EvalDataError(WirewatchError, ValueError):
    hint = "pass an ACLED CSV with notes, event_date, fatalities, latitude and longitude columns"


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One ACLED note as the evaluation reads it."""

    set: str
    id: str  # the JSONL input id, and the external_id the exported sources carry back
    event_id: str
    notes: str
    published: dt.date
    types: tuple[str, ...]
    sub_event_type: str | None  # None for the 2016 schema, which has no sub-types
    fatalities: int
    actor1: str
    latitude: float
    longitude: float

    def input_line(self) -> dict[str, str]:
        return {"id": self.id, "text": self.notes, "published": self.published.isoformat()}


@dataclass(frozen=True, slots=True)
class AcledSet:
    """One evaluation file: where it is, how its ids are prefixed, which rows are held out."""

    name: str
    prefix: str
    path: str
    held_out: Callable[[dict[str, str]], bool]


def _africa_held_out(row: dict[str, str]) -> bool:
    return row["EVENT_ID_CNTY"].rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")[-1:] in ("0", "5")


DEV_SETS: tuple[AcledSet, ...] = (
    AcledSet("africa-2016", "af-", "acled-africa-2016-hdx-fixture/ACLED_All_Africa_20160101_to_20160528.csv",
             _africa_held_out),
    AcledSet("afg", "afg-", "acled-afghanistan-2020-03/ACLED_AFG_2020-03.csv",
             lambda r: int(r["event_id_no_cnty"]) % 2 == 1),
    AcledSet("glob", "glob-", "acled-global-2020-05/ACLED_global_2020-04-27_to_2020-05-09.csv",
             lambda r: int(r["event_id_no_cnty"]) % 3 == 0),
)


def _date(value: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise EvalDataError(f"unreadable event date {value!r}")


def read_rows(path: Path, *, set_name: str, prefix: str,
              held_out: Callable[[dict[str, str]], bool] | None = None) -> Iterator[GoldRow]:
    """The notes of one ACLED CSV (2016 upper-case or current lower-case schema), skipping the held-out rows."""
    try:
        fh = open(path, encoding="utf-8", errors="replace", newline="")  # noqa: SIM115
    except OSError as exc:
        raise EvalDataError(f"{path}: {exc.strerror}") from None
    with fh:
        for row in csv.DictReader(fh):
            old = "EVENT_ID_CNTY" in row
            get = (lambda k: row.get(k.upper()) or "") if old else (lambda k: row.get(k) or "")
            notes = get("notes")
            if not notes.strip() or (not old and not get("event_id_no_cnty").strip()):
                continue
            if held_out is not None and held_out(row):
                continue
            event_type = get("event_type")
            try:
                yield GoldRow(set=set_name, id=prefix + get("event_id_cnty"), event_id=get("event_id_cnty"),
                              notes=notes, published=_date(get("event_date")),
                              types=OLD_TYPES.get(event_type, (event_type,)),
                              sub_event_type=None if old else get("sub_event_type"),
                              fatalities=int(get("fatalities") or 0), actor1=get("actor1"),
                              latitude=float(get("latitude")), longitude=float(get("longitude")))
            except (KeyError, ValueError) as exc:
                raise EvalDataError(f"{path}: row {get('event_id_cnty') or '?'}: {exc}") from None


def dev_rows(data_dir: Path) -> list[GoldRow]:
    """Every dev note of the three ACLED sets under ``data_dir`` (``../shared/eval``), in file order."""
    rows: list[GoldRow] = []
    for s in DEV_SETS:
        path = Path(data_dir) / s.path
        if not path.exists():
            raise EvalDataError(f"{path} not found: pass --data with the evaluation folder (../shared/eval)")
        rows.extend(read_rows(path, set_name=s.name, prefix=s.prefix, held_out=s.held_out))
    return rows


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the 6,371 km sphere, as the acceptance scorer computes it."""
    r = math.radians
    x = math.sin(r(lat2 - lat1) / 2) ** 2 + math.cos(r(lat1)) * math.cos(r(lat2)) * math.sin(r(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(x))


def _f1_by_label(pairs: Sequence[tuple[str, str | None]]) -> dict[str, tuple[int, float]]:
    support = Counter(g for g, _ in pairs)
    out = {}
    for label, n in support.items():
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        out[label] = (n, 2 * tp / (2 * tp + fp + (n - tp)) if tp else 0.0)
    return out


def main_event(events: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The note's main event: most fatalities, then not a Strategic development; the first such in export order."""
    if not events:
        return None
    return max(events, key=lambda e: (e.get("fatalities") or 0, e.get("event_type") != "Strategic developments"))


def score(gold: Sequence[GoldRow], events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Figures for ``gold`` from exported event records (all notes, then each set)."""
    by_id = {g.id: g for g in gold}
    by: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        for s in e.get("sources") or []:
            if s.get("external_id") in by_id:
                by.setdefault(s["external_id"], []).append(e)
    out: dict[str, Any] = {"all": _score_set(gold, by)}
    for name in dict.fromkeys(g.set for g in gold):
        out[name] = _score_set([g for g in gold if g.set == name], by)
    return out


def _score_set(gold: Sequence[GoldRow], by: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    n = len(gold)
    t = f = loc = a1 = 0
    subs: list[tuple[str, str | None]] = []
    for g in gold:
        es = by.get(g.id, [])
        main = main_event(es)
        if g.sub_event_type is not None:
            subs.append((g.sub_event_type, main.get("sub_event_type") if main else None))
        if main is None:
            continue
        t += main.get("event_type") in g.types
        f += sum(e.get("fatalities") or 0 for e in es) == g.fatalities or (main.get("fatalities") or 0) == g.fatalities
        if main.get("latitude") is not None:
            loc += km(main["latitude"], main["longitude"], g.latitude, g.longitude) <= RADIUS_KM
        a1 += normalise_name(main.get("actor1") or "") == normalise_name(g.actor1)
    res: dict[str, Any] = {"notes": n, "with_events": sum(1 for g in gold if g.id in by),
                           "event_type": round(t / n, 4) if n else None,
                           "fatalities_exact": round(f / n, 4) if n else None,
                           "location_25km": round(loc / n, 4) if n else None}
    if subs:
        f1s = _f1_by_label(subs)
        res["sub_type_accuracy"] = round(sum(1 for g, p in subs if g == p) / len(subs), 4)
        res["sub_type_weighted_f1"] = round(sum(k * v for k, v in f1s.values()) / len(subs), 4)
        res["sub_type_macro_f1"] = round(sum(v for _, v in f1s.values()) / len(f1s), 4)
    res["actor1"] = round(a1 / n, 4) if n else None  # ours only: the acceptance scorer does not print it
    return res


def evaluate(gold: Sequence[GoldRow], *, split: str = "dev", workers: int = 0,
             progress: Callable[[int], None] | None = None, keep_db: Path | None = None) -> dict[str, Any]:
    """Ingest the notes with the product's defaults, export, and score; the result also says how many inputs failed."""
    if not gold:
        raise EvalDataError("no notes to score")
    out = run_product((g.input_line() for g in gold), workers=workers, progress=progress, keep_db=keep_db)
    return {"split": split, **score(gold, out.events), "inputs_failed": len(out.failures)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wirewatch.eval.acled", description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="*", type=Path, help="your own ACLED CSV(s), every row scored; default: the dev sets")
    ap.add_argument("--data", type=Path, default=None, help="evaluation folder (default ../shared/eval)")
    args = ap.parse_args(argv)
    try:
        gold = gold_rows(args.csv, data_dir=args.data)
        res = evaluate(gold, split="all" if args.csv else "dev")
    except EvalDataError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(json.dumps(res) + "\n")
    return 0


def gold_rows(csvs: Sequence[Path], *, data_dir: Path | None = None) -> list[GoldRow]:
    """The dev notes of the evaluation folder, or every row of the user's own CSVs."""
    if not csvs:
        return dev_rows(data_dir or default_data_dir())
    rows: list[GoldRow] = []
    for p in csvs:
        rows.extend(read_rows(p, set_name=p.stem, prefix=f"{p.stem}-"))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
