"""What the commands share: options, the domain-error boundary, progress bars and terminal-safe output."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from ..errors import WirewatchError

log = logging.getLogger("wirewatch")

def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A publication day, within the years the readers accept."""
    from ..ingest.fields import FieldError, check_day

    day = parse_date(ctx, param, value)
    try:
        return None if day is None else check_day(day, field="--published")
    except FieldError as exc:
        raise click.BadParameter(str(exc)) from None


def day_range_options(first: str, last: str) -> Callable[[Callable], Callable]:
    """The two options that bound an event filter's days (compared on ``event_date``, as every export row
    shows it): ``first`` on or after, ``last`` on or before."""
    def wrap(f: Callable) -> Callable:
        for name, side in ((last, "before"), (first, "after")):
            f = click.option(name, callback=parse_date, metavar="YYYY-MM-DD",
                             help=f"Only events whose event_date is on or {side} this day.")(f)
        return f
    return wrap


def db_option(f: Callable) -> Callable:
    return click.option("--db", "db", default="wirewatch.db", show_default=True, metavar="PATH|URL",
                        help="SQLite database file, or postgresql://... for a shared PostgreSQL database.")(f)


def workers_option(f: Callable) -> Callable:
    return click.option("--workers", type=click.IntRange(0, 64), default=0, show_default=True,
                        help="Processes running the NLP stages (one spaCy model each); 0: one per CPU "
                             "for inputs of more than 200 new articles, else 1.")(f)


def _columns(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for item in value:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            raise click.BadParameter(f"{item!r}: use FIELD=COLUMN, e.g. text=body or published=date")
        out[field.strip()] = column.strip()
    return out or None


def input_options(f: Callable) -> Callable:
    """--format and --column, shared by every command that reads inputs."""
    from ..ingest.readers import FORMATS

    f = click.option("--column", "columns", multiple=True, callback=_columns, metavar="FIELD=COLUMN",
                     help="Map a field (text, title, published, url, source, id) to a CSV/JSONL column; repeatable.")(f)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
                        help="Input format; auto goes by extension and content.")(f)


def published_option(f: Callable) -> Callable:
    return click.option("--published", callback=_published, metavar="YYYY-MM-DD",
                        help="Publication date for inputs that carry none (overrides inference).")(f)


def domain_errors(f: Callable) -> Callable:
    """Turn library and storage exceptions into a one-line message and exit code 1."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except WirewatchError as exc:
            cause = exc.__cause__ or exc.__context__
            message = storage_error(cause, db=kwargs.get("db")) if cause is not None else None
            click.echo(f"error: {terminal_safe(message or str(exc))}", err=True)
            sys.exit(1)
        except (sqlite3.OperationalError, sqlite3.DatabaseError, OSError) as exc:
            message = storage_error(exc, db=kwargs.get("db"))
            if message is None:
                raise
            log.debug("storage error", exc_info=True)
            click.echo(f"error: {terminal_safe(message)}", err=True)
            sys.exit(1)

    return wrapper


class _Bar:
    """A rich progress bar: call it with a count to advance, ``phase(text)`` to name what runs now."""

    def __init__(self, prog: Any, task: Any) -> None:
        self.prog, self.task = prog, task

    def __call__(self, n: int) -> None:
        self.prog.advance(self.task, n)

    def phase(self, text: str) -> None:
        self.prog.update(self.task, description=text, total=None)


def storage_error(exc: BaseException, *, db: str | None) -> str | None:
    """What to tell the user when the disk is full, read-only or the database locked; None for other errors."""
    text = str(exc).lower()
    errno_ = getattr(exc, "errno", None) or getattr(exc, "sqlite_errorcode", None)
    where = db or "the database"
    if "disk i/o error" in text and db and _almost_full(db):  # SQLite reports ENOSPC on its WAL as an I/O error
        text = "disk is full"
    if "disk is full" in text or errno_ in (errno.ENOSPC, errno.EDQUOT, sqlite3.SQLITE_FULL):
        return (f"no space left on the disk holding {where}: free some space and run the command again "
                f"(what was stored before stays intact; a re-run stores the rest)")
    if "unable to open database file" in text and db and not db.startswith("postgresql:"):
        folder = os.path.dirname(os.path.abspath(db))
        if not os.path.isdir(folder):
            return f"{where} cannot be created: its folder {folder} does not exist"
        if not os.access(folder, os.W_OK) or (os.path.exists(db) and not os.access(db, os.W_OK)):
            text = "readonly"
    if "readonly" in text or "read-only" in text or errno_ == errno.EROFS:
        return (f"{where} cannot be written (a read-only file system or file): make it writable, or give "
                f"--db a path on a writable disk")
    if "database is locked" in text or "database table is locked" in text:
        return (f"{where} is locked by another process (another ingest or watch?): let it finish, or stop it, "
                f"and run the command again")
    if "unable to open database file" in text or errno_ in (errno.EACCES, errno.EPERM):
        return (f"{where} cannot be opened: check that its folder exists and that you may write there")
    if "disk i/o error" in text or errno_ == errno.EIO:
        return f"the disk failed while reading or writing {where} ({exc}); check the disk and run the command again"
    return None


def _almost_full(db: str) -> bool:
    """Has the file system holding ``db`` less than 1 MiB left?"""
    try:
        st = os.statvfs(os.path.dirname(os.path.abspath(db)))
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1 << 20


_UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with control characters (newlines, escape codes, bidirectional overrides) written as escapes.

    Everything printed that came from an input (a file name, a title, a reason quoting either) goes
    through this, so no input can move the cursor, recolour the terminal or forge a line of output.
    """
    return _UNSAFE_CHARS.sub(_escape_char, text)


def _escape_char(m: re.Match[str]) -> str:
    c = m.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")


class EscapingFormatter(logging.Formatter):
    """Log lines whose message (often naming an input) cannot reach the terminal raw."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802  (logging's name)
        record.message = terminal_safe(record.message)
        return super().formatMessage(record)


@contextlib.contextmanager
def progress_bar(label: str, *, total: int | None = None) -> Iterator[_Bar | None]:
    """A rich progress counter on a terminal (out of ``total`` when known); nothing when stderr is not one."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as prog:
        yield _Bar(prog, prog.add_task(label, total=total))


def input_total(paths: Iterable[str], *, fmt: str) -> int | None:
    """How many articles ``paths`` hold when that is known without parsing them: the lines of JSONL files
    and the rows of CSV/TSV files (None for text, HTML, feeds, folders and standard input)."""
    import csv

    total = 0
    for name in paths:
        path = Path(name)
        kind = fmt if fmt != "auto" else {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}.get(
            path.suffix.lower())
        if name == "-" or kind not in ("jsonl", "csv", "tsv") or not path.is_file():
            return None
        try:
            with path.open(encoding="utf-8", errors="replace", newline="") as fh:
                if kind == "jsonl":
                    total += sum(1 for line in fh if line.strip())
                else:
                    total += max(0, sum(1 for _ in csv.reader(fh, delimiter="\t" if kind == "tsv" else ",")) - 1)
        except OSError:
            return None
    return total


def report_failures(result: Any) -> None:
    for failure in result.failures:
        click.echo(f"failed: {terminal_safe(str(failure))}", err=True)
