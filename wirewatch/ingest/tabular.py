"""Tabular corpora (CSV/TSV and JSONL) -> one :class:`RawInput` per row, streamed.

Our fields are ``text`` (required), ``title``, ``published``, ``url``,
``source`` and ``id``.  ``columns`` maps any of them to the file's column name
(``{"text": "notes", "published": "event_date"}``); a field not mapped is
looked for under common names (:data:`DEFAULT_COLUMNS`: e.g. ``post_date`` and
``original_link`` as in the Reuters top-news dump, ``notes`` and
``event_id_cnty`` as in ACLED exports).  A JSON value that is a list of strings
(``paragraphs``) is joined with blank lines.

Dates are read leniently, see :func:`parse_date`.  Slashed dates are read
day first (``11/01/2016`` is 11 January 2016), as ACLED's 2016 files and most
non-US sources write them; pass ``dayfirst=False`` for US month-first files.
A row whose date cannot be read is a failure naming the row and the value
(rather than an article silently without a date); so is a row without text.

Row origins are ``<path>:<n>``: the line number in JSONL, and in CSV the
record number counting the header as 1 (the spreadsheet row number).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from ..config import Settings
from ..models import RawInput
from . import fields
from .readers import InputFailure, Rejected, check_text, surrogate_field

log = logging.getLogger(__name__)

FIELDS = ("text", "title", "published", "url", "source", "id")
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "story", "notes", "paragraphs"),
    "title": ("title", "headline"),
    "published": ("published", "post_date", "date", "publish_date", "published_at", "pubdate", "datetime",
                  "timestamp", "event_date"),
    "url": ("url", "link", "original_link", "source_url"),
    "source": ("source", "agency", "publisher", "site"),
    "id": ("id", "external_id", "guid", "event_id_cnty", "event_id"),
}
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
Format = Literal["csv", "jsonl"]

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for m in names}
_NUMERIC_RE = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")
_DAY_MONTH_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]{3,9})\.?,?[\s\-]+(\d{4})")
_MONTH_DAY_RE = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_WEEKDAY_RE = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*", re.IGNORECASE)


def parse_date(value: str, *, dayfirst: bool = True) -> dt.date | None:
    """A calendar day from the forms corpora use; None when ``value`` is not one.

    ``2016-01-11``, ``2016-01-11 10:20:00``, ``2016-01-11T10:20:00Z`` (the day as
    written, no time-zone shift), ``20160111``, ``21 March 2020``, ``21-Mar-2020``,
    ``March 21, 2020``, ``Monday, 21 March 2020`` and slashed or dotted numeric
    dates: ``2016/01/11`` (year first) or ``11/01/2016`` (day first unless
    ``dayfirst=False``; an impossible month, as in ``01/13/2016``, flips the order).

    Not dateutil's parser: with ``dayfirst`` it reads ``2016/01/11`` as 1 November, it accepts two-digit
    years and a missing day (``March 2020``), and it is about ten times slower per cell (176 vs 18 us).
    """
    s = _WEEKDAY_RE.sub("", value.strip())
    if not s:
        return None
    if re.fullmatch(r"\d{8}", s):
        s = f"{s[:4]}-{s[4:6]}-{s[6:]}"
    if len(s) >= 10 and s[4] == "-" and s[7] == "-":
        try:
            return dt.date.fromisoformat(s[:10])
        except ValueError:
            return None
    m = _NUMERIC_RE.match(s)
    if m:
        a, b, c = (int(g) for g in m.groups())
        if len(m.group(1)) == 4:
            return _day(a, b, c)
        if len(m.group(3)) != 4:
            return None
        day, month = (a, b) if dayfirst else (b, a)
        if month > 12 >= day:
            day, month = month, day
        return _day(c, month, day)
    m = _DAY_MONTH_RE.match(s)
    if m and m.group(2).lower() in _MONTHS:
        return _day(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _MONTH_DAY_RE.match(s)
    if m and m.group(1).lower() in _MONTHS:
        return _day(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def sniff_format(path: Path) -> Format | None:
    """``csv`` for .csv/.tsv, ``jsonl`` for .jsonl/.ndjson, else None."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return None


def read_table(path: Path, *, columns: Mapping[str, str] | None = None, fmt: Format | None = None,
               published: dt.date | None = None, source: str | None = None, dayfirst: bool = True,
               delimiter: str | None = None, settings: Settings | None = None) -> Iterator[RawInput | InputFailure]:
    """One :class:`RawInput` per row of a CSV/TSV or JSONL file, read one row at a time.

    ``published``/``source`` are defaults for rows that carry none (``published``
    then has basis ``user``).  ``delimiter`` defaults to a tab for ``.tsv`` and to
    what :class:`csv.Sniffer` finds among ``, ; tab |`` otherwise.
    """
    settings = settings or Settings()
    origin = str(path)
    unknown = sorted(set(columns or {}) - set(FIELDS))
    if unknown:
        yield InputFailure(origin, f"unknown field(s) in the column mapping: {', '.join(unknown)} "
                                   f"(choose from {', '.join(FIELDS)})")
        return
    fmt = fmt or sniff_format(path)
    if fmt is None:
        yield InputFailure(origin, f"cannot tell the table format from {path.suffix!r}; pass csv or jsonl")
        return
    rows = _csv_rows(path, delimiter=delimiter) if fmt == "csv" else _jsonl_rows(path)
    mapping: dict[str, str | None] | None = None
    try:
        for where, row in rows:
            if isinstance(row, str):  # a reason
                yield InputFailure(where, row)
                continue
            if mapping is None or fmt == "jsonl":
                resolved = _resolve(columns or {}, row.keys(), strict=fmt == "csv")
                if isinstance(resolved, str):
                    yield InputFailure(origin if fmt == "csv" else where, resolved)
                    if fmt == "csv":
                        return
                    continue
                mapping = resolved
            yield _record(row, mapping, where=where, published=published, source=source, dayfirst=dayfirst,
                          settings=settings)
    except OSError as exc:
        yield InputFailure(origin, f"cannot be read: {exc.strerror or exc}")


def _resolve(columns: Mapping[str, str], keys: Any, *, strict: bool) -> dict[str, str | None] | str:
    """Our field -> the row's key; a reason string when a mapped column is absent (CSV header)."""
    present = list(keys)
    lower = {k.strip().lower(): k for k in present if isinstance(k, str)}
    mapping: dict[str, str | None] = {}
    for name in FIELDS:
        wanted = columns.get(name)
        if wanted is not None:
            key = wanted if wanted in present else lower.get(wanted.strip().lower())
            if key is None and strict:
                return f"no column {wanted!r} for {name} (the header has: {', '.join(map(str, present))})"
            mapping[name] = key if key is not None else wanted
            continue
        mapping[name] = next((lower[c] for c in DEFAULT_COLUMNS[name] if c in lower), None)
    if mapping["text"] is None and strict:
        return (f"no text column (looked for {', '.join(DEFAULT_COLUMNS['text'])}); "
                f"map one with text=COLUMN (the header has: {', '.join(map(str, present))})")
    return mapping


def _record(row: Mapping[str, Any], mapping: Mapping[str, str | None], *, where: str, published: dt.date | None,
            source: str | None, dayfirst: bool, settings: Settings) -> RawInput | InputFailure:
    def get(name: str) -> Any:
        key = mapping.get(name)
        return row.get(key) if key is not None else None

    raw_text = get("text")
    if isinstance(raw_text, list):
        raw_text = "\n\n".join(str(p).strip() for p in raw_text if str(p).strip())
    if not isinstance(raw_text, str) or not raw_text.strip():
        column = mapping.get("text") or "text"
        return InputFailure(where, f"row has no text (column {column!r} is empty or missing)")
    checked = check_text(raw_text.encode("utf-8"), settings=settings)
    if isinstance(checked, Rejected):
        return InputFailure(where, str(checked))
    day, basis = published, "user" if published is not None else "metadata"
    raw_date = get("published")
    try:
        fields.check_length(checked, field=mapping.get("text") or "text")
        if raw_date not in (None, ""):
            if not isinstance(raw_date, str):
                raise fields.FieldError(mapping["published"] or "published",
                                        f"must be a date string, got {fields.type_name(raw_date)}")
            day = parse_date(raw_date, dayfirst=dayfirst)
            if day is None:
                return InputFailure(where, f"cannot read the date {raw_date[:40]!r} in column "
                                           f"{mapping['published']!r} (map another column with published=COLUMN)")
            fields.check_day(day, field=mapping["published"] or "published")
            basis = "metadata"
        return RawInput(
            origin=where,
            text=checked if checked.endswith("\n") else checked + "\n",
            external_id=_opt(fields.external_id(get("id"), field=mapping.get("id") or "id")),
            title=_opt(fields.text_str(get("title"), field=mapping.get("title") or "title")),
            published=day,
            url=_opt(fields.text_str(get("url"), field=mapping.get("url") or "url")),
            source=_opt(fields.text_str(get("source"), field=mapping.get("source") or "source")) or source,
            published_basis=basis,
            single_article=True,
        )
    except fields.FieldError as exc:
        return InputFailure(where, str(exc))


def _opt(value: Any) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None


# ---------------------------------------------------------------------------
# streaming rows


def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict[str, Any] | str]]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                yield where, f"not valid UTF-8 at byte {exc.start:,} of the line"
                continue
            except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
                yield where, f"not a JSON object ({exc})"
                continue
            if not isinstance(obj, dict):
                yield where, f"expected a JSON object, got {type(obj).__name__}"
                continue
            bad = surrogate_field(obj)
            if bad is not None:
                yield where, f'"{bad}" holds a lone UTF-16 surrogate escape (\\ud800-\\udfff), not text'
                continue
            yield where, obj


def _csv_rows(path: Path, *, delimiter: str | None) -> Iterator[tuple[str, dict[str, Any] | str]]:
    csv.field_size_limit(max(csv.field_size_limit(), 50_000_000))  # whole articles in one cell
    with path.open("r", encoding="utf-8-sig", newline="", errors="strict") as fh:
        row_no = 1
        try:
            if delimiter is None:
                delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(fh)
            reader = csv.DictReader(fh, delimiter=delimiter)
            for row in reader:
                row_no += 1
                if None in row:  # more cells than header names
                    cells = len(row) - 1 + len(row[None])
                    yield f"{path}:{row_no}", f"row has {cells} cells, the header {len(row) - 1}"
                    continue
                yield f"{path}:{row_no}", row
        except UnicodeDecodeError as exc:
            yield f"{path}:{row_no + 1}", (f"not valid UTF-8 (byte {exc.start:,} of a block); re-encode the file "
                                           f"as UTF-8, e.g. iconv -f cp1252 -t utf-8")
        except csv.Error as exc:
            yield f"{path}:{row_no + 1}", f"malformed CSV: {exc}"


def _sniff_delimiter(fh: io.TextIOBase) -> str:
    header = fh.readline()
    fh.seek(0)
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
