"""From paths to :class:`RawInput` values; unreadable inputs come back as failures.

A path is a text file (one article or a wire dump), a directory (walked
recursively in sorted order, hidden entries skipped), ``-`` for standard input,
or a ``.jsonl`` file with one article per line.  Every input that cannot be used
becomes an :class:`InputFailure` with a reason a person can act on; nothing is
raised and nothing is dropped silently.

Decoding policy: UTF-8 only.  A UTF-8 byte-order mark is removed (it is an
encoding marker, not text).  Anything else that is not valid UTF-8 is rejected
with the byte position, rather than guessed as another encoding.  Newlines are
normalised to ``\\n``; the text is otherwise kept exactly as given, because
every offset downstream points into it.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..config import Settings
from ..models import RawInput
from . import fields

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".jsonl", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".mhtml", ".mht"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".rdf", ".xml"})
TABLE_SUFFIXES = frozenset({".csv", ".tsv"})
WARC_SUFFIXES = frozenset({".warc", ".gz"})  # .gz only as .warc.gz
READ_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | TABLE_SUFFIXES | WARC_SUFFIXES
FORMATS = ("auto", "text", "jsonl", "csv", "tsv", "html", "feed", "warc")
_BINARY_CONTROL_SHARE = 0.05  # more than this share of control characters: not text
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_UTF8_BOM = b"\xef\xbb\xbf"
CHUNK_BYTES = 4_000_000  # plain-text inputs larger than this are streamed in pieces
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_TABLE = {c: None for c in range(32) if chr(c) not in _ALLOWED_CONTROLS}


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be read as text, and why."""

    origin: str
    reason: str


# ---------------------------------------------------------------------------
# public entry point


def read_inputs(
    paths: Iterable[str],
    *,
    published: dt.date | None = None,
    source: str | None = None,
    settings: Settings,
    fmt: str = "auto",
    columns: Mapping[str, str] | None = None,
) -> Iterator[RawInput | InputFailure]:
    """Yield one :class:`RawInput` per readable input and one :class:`InputFailure` per bad one.

    ``published`` (the user's ``--published``) and ``source`` apply to every input
    unless a JSONL line carries its own.  Files are read one at a time.  ``fmt``
    forces a reader (one of :data:`FORMATS`); ``auto`` goes by file extension
    and, for text-like files and stdin, by sniffing the content (WARC, MHTML,
    RSS/Atom, HTML, else plain text).  ``columns`` maps our fields (text, title,
    published, url, source, id) to a table's column names.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown input format {fmt!r}; choose one of {', '.join(FORMATS)}")
    opts = {"published": published, "source": source, "settings": settings, "fmt": fmt, "columns": columns}
    for path in paths:
        if path == "-":
            yield from _read_stdin(**opts)
            continue
        p = Path(path)
        try:
            mode = os.stat(p).st_mode
        except OSError as exc:
            yield InputFailure(path, "no such file or directory" if exc.errno == errno.ENOENT else _os_reason(exc))
            continue
        if stat.S_ISDIR(mode):
            yield from _read_directory(p, **opts)
        elif stat.S_ISREG(mode):
            yield from _read_path(p, **opts)
        else:  # a pipe or device named on the command line (``<(cmd)``): read, but never past the size limit
            yield from _read_stream(p, **opts)


# ---------------------------------------------------------------------------
# sources


def _read_directory(root: Path, *, published: dt.date | None, source: str | None, settings: Settings,
                    fmt: str = "auto", columns: Mapping[str, str] | None = None,
                    _seen: frozenset[tuple[int, int]] = frozenset()) -> Iterator[RawInput | InputFailure]:
    """Files under ``root`` in sorted path order (directories and files interleaved by name).

    The walk never raises: an entry that cannot be examined (a symbolic-link loop, a dangling
    link, no permission) or that is not a regular file (a device, a FIFO, a socket) is an
    :class:`InputFailure` naming it, and the walk goes on.  Linked directories are not followed,
    and a directory met twice (a bind mount of an ancestor) is not walked again.
    """
    try:
        st = root.stat()
        key = (st.st_dev, st.st_ino)
        if key in _seen:
            yield InputFailure(str(root), "directory already walked (a loop of mounts or links); skipped")
            return
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield InputFailure(str(root), f"cannot be listed: {exc.strerror or exc}")
        return
    seen = _seen | {key}
    opts = {"published": published, "source": source, "settings": settings, "fmt": fmt, "columns": columns}
    for entry in entries:
        if entry.name.startswith("."):
            continue
        p = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            mode = None if is_dir else os.stat(entry.path).st_mode
        except OSError as exc:  # ELOOP, a dangling link, EACCES on the entry
            yield InputFailure(str(p), _os_reason(exc))
            continue
        if is_dir:
            yield from _read_directory(p, _seen=seen, **opts)
        elif p.suffix.lower() not in READ_SUFFIXES or (p.suffix.lower() == ".gz" and not p.name.endswith(".warc.gz")):
            log.info("skipping %s: %r files are not read (text, JSONL, CSV/TSV, HTML/MHTML, feeds, WARC)",
                     p, p.suffix)
        elif stat.S_ISDIR(mode):
            log.info("skipping %s: a link to a directory (links to directories are not followed)", p)
        elif not stat.S_ISREG(mode):
            yield InputFailure(str(p), f"not a regular file ({_file_kind(mode)}); skipped")
        else:
            yield from _read_path(p, **opts)


def _os_reason(exc: OSError) -> str:
    """A failure reason for an entry the walk could not examine."""
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links; skipped"
    if exc.errno == errno.ENOENT:
        return "a symbolic link to nothing (dangling); skipped"
    return f"cannot be examined: {exc.strerror or exc}"


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def _kind(p: Path, fmt: str) -> str:
    """Which reader a file goes to: by ``fmt`` when forced, else by extension."""
    if fmt != "auto":
        return "table" if fmt in ("csv", "tsv") else fmt
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix in TABLE_SUFFIXES:
        return "table"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix == ".warc" or p.name.lower().endswith(".warc.gz"):
        return "warc"
    return "sniff"


def _read_path(p: Path, *, published: dt.date | None, source: str | None, settings: Settings,
               fmt: str = "auto", columns: Mapping[str, str] | None = None) -> Iterator[RawInput | InputFailure]:
    origin = str(p)
    kind = _kind(p, fmt)
    try:
        if kind == "jsonl" and not columns:
            with p.open("rb") as fh:
                yield from _read_jsonl(fh, origin=origin, published=published, source=source, settings=settings)
            return
        if kind in ("jsonl", "table"):
            from .tabular import read_table

            forced = "csv" if fmt in ("csv", "tsv") else None  # --format csv/tsv holds whatever the file's name
            yield from read_table(p, columns=columns, fmt="jsonl" if kind == "jsonl" else forced,
                                  delimiter="\t" if fmt == "tsv" else None,
                                  published=published, source=source, settings=settings)
            return
        size = p.stat().st_size
        if size > settings.max_input_bytes:
            yield InputFailure(origin, f"{size:,} bytes, larger than the limit of {settings.max_input_bytes:,} bytes")
            return
        if size > CHUNK_BYTES and kind in ("sniff", "text") and _sniff_text(p, kind):
            yield from _read_text_chunks(p, origin=origin, published=published, source=source, settings=settings)
            return
        data = p.read_bytes()
    except OSError as exc:
        yield InputFailure(origin, f"cannot be read: {exc.strerror or exc}")
        return
    yield from _from_data(data, kind=kind, origin=origin, published=published, source=source, settings=settings)


def _sniff_text(p: Path, kind: str) -> bool:
    """Is ``p`` plain text (not HTML, WARC or a feed), judged from its first 64 KiB?"""
    if kind == "text":
        return True
    from . import feeds, html, warc

    with p.open("rb") as fh:
        head = fh.read(65536)
    return not (warc.looks_like_warc(head) or html.looks_like_mhtml(head) or html.looks_like_html(head)
                or feeds.looks_like_feed(head))


def _read_text_chunks(p: Path, *, origin: str, published: dt.date | None, source: str | None,
                      settings: Settings) -> Iterator[RawInput | InputFailure]:
    """Stream a large wire dump as pieces of about ``CHUNK_BYTES``, each cut right after a report's credits.

    Memory stays bounded by the piece size, not the file size.  A piece starts after a
    credits line (``(Reporting by ...)``) and the blank line below it, where a new report
    begins; a dump without credits lines cannot be cut and is read whole.  Each piece
    carries its character ``offset`` into the whole input, so article offsets still point
    into the file as given.  A piece that is not text fails on its own, naming its bytes.
    """
    from .wire import is_end_marker

    base_bytes = base_chars = 0
    buf: list[bytes] = []
    size = 0
    last_was_end = False  # the last non-blank line closed a report
    with p.open("rb") as fh:
        for line in fh:
            blank = not line.strip()
            if blank and last_was_end and size >= CHUNK_BYTES:
                buf.append(line)
                piece = b"".join(buf)
                item = _piece(piece, origin=origin, base_bytes=base_bytes, base_chars=base_chars,
                              published=published, source=source, settings=settings)
                yield item
                base_bytes += len(piece)
                base_chars += len(item.text) if isinstance(item, RawInput) else _chars(piece)
                buf, size, last_was_end = [], 0, False
                continue
            buf.append(line)
            size += len(line)
            if not blank:
                last_was_end = len(line) <= 1000 and is_end_marker(line.decode("utf-8", "replace").strip())
        if buf and any(line.strip() for line in buf):  # trailing blank lines are no input of their own
            yield _piece(b"".join(buf), origin=origin, base_bytes=base_bytes, base_chars=base_chars,
                         published=published, source=source, settings=settings, whole=base_bytes == 0)


def _chars(piece: bytes) -> int:
    return len(normalise_newlines(piece.decode("utf-8", "replace")))


def _piece(data: bytes, *, origin: str, base_bytes: int, base_chars: int, published: dt.date | None,
           source: str | None, settings: Settings, whole: bool = False) -> RawInput | InputFailure:
    """One piece of a large file (``whole``: the file could not be cut, so it is reported as a file)."""
    if base_bytes == 0 and data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    checked = check_text(data, settings=settings)
    if isinstance(checked, Rejected):
        if not data.strip():
            checked = Rejected("only whitespace")
        where = "" if whole else f"bytes {base_bytes:,}-{base_bytes + len(data):,}: "
        return InputFailure(origin, where + str(checked))
    return RawInput(origin=origin, text=checked, published=published, source=source,
                    published_basis="user" if published is not None else "metadata", offset=base_chars)


def _from_data(data: bytes, *, kind: str, origin: str, published: dt.date | None, source: str | None,
               settings: Settings) -> Iterator[RawInput | InputFailure]:
    """Route bytes to the reader for ``kind`` (``sniff``: decide from the content)."""
    from . import feeds, html, warc

    if kind == "sniff":
        if warc.looks_like_warc(data):
            kind = "warc"
        elif html.looks_like_mhtml(data) or html.looks_like_html(data):
            kind = "html"
        elif feeds.looks_like_feed(data):
            kind = "feed"
        else:
            kind = "text"
    if kind == "html":
        yield html.read_html(data, origin=origin, published=published, source=source)
    elif kind == "warc":
        yield from warc.read_warc(data, origin=origin, published=published, source=source)
    elif kind == "feed":
        if not feeds.looks_like_feed(data):
            yield InputFailure(origin, "not an RSS/Atom feed (no <rss>, <feed> or <rdf:RDF> root element)")
            return
        yield from feeds.read_feed(data, origin=origin, published=published, source=source)
    else:
        yield _from_bytes(data, origin=origin, published=published, source=source, settings=settings)


def _read_stream(p: Path, *, published: dt.date | None, source: str | None, settings: Settings,
                 fmt: str = "auto", columns: Mapping[str, str] | None = None) -> Iterator[RawInput | InputFailure]:
    """A named pipe or character device given by name: at most ``max_input_bytes`` are read."""
    origin = str(p)
    try:
        with p.open("rb") as fh:
            data = fh.read(settings.max_input_bytes + 1)
    except OSError as exc:
        yield InputFailure(origin, f"cannot be read: {exc.strerror or exc}")
        return
    if len(data) > settings.max_input_bytes:
        yield InputFailure(origin, f"more than the limit of {settings.max_input_bytes:,} bytes")
        return
    kind = _kind(p, fmt)
    if kind == "jsonl" and not columns:
        import io

        yield from _read_jsonl(io.BytesIO(data), origin=origin, published=published, source=source,
                               settings=settings)
    elif kind in ("jsonl", "table"):
        yield InputFailure(origin, "CSV/TSV tables are read from regular files only; write it to a file")
    else:
        yield from _from_data(data, kind=kind, origin=origin, published=published, source=source,
                              settings=settings)


def _read_stdin(*, published: dt.date | None, source: str | None, settings: Settings, fmt: str = "auto",
                columns: Mapping[str, str] | None = None) -> Iterator[RawInput | InputFailure]:
    """Read standard input; a stream whose lines are all JSON objects is read as JSONL."""
    stream = sys.stdin.buffer
    data = stream.read(settings.max_input_bytes + 1)
    if len(data) > settings.max_input_bytes:
        yield InputFailure("-", f"more than the limit of {settings.max_input_bytes:,} bytes on standard input")
        return
    if fmt in ("auto", "jsonl") and not columns and data.lstrip()[:1] == b"{" and _looks_like_jsonl(data):
        import io

        yield from _read_jsonl(io.BytesIO(data), origin="-", published=published, source=source, settings=settings)
        return
    if fmt in ("csv", "tsv", "jsonl"):
        yield InputFailure("-", f"--format {fmt} from standard input is not supported; write it to a file")
        return
    yield from _from_data(data, kind="sniff" if fmt == "auto" else fmt, origin="-", published=published,
                          source=source, settings=settings)


def _looks_like_jsonl(data: bytes) -> bool:
    for line in data.splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            return False
        if not isinstance(obj, dict):
            return False
    return True


# ---------------------------------------------------------------------------
# checks and decoding


class Rejected(str):
    """Why an input is not prose (what :func:`check_text` returns instead of the text)."""


def check_text(data: bytes, *, settings: Settings) -> str:
    """Decode ``data`` as UTF-8 text, or return a :class:`Rejected` reason why it is not prose.

    Returns the decoded text with newlines normalised; a text may itself begin with "!".
    """
    if len(data) > settings.max_input_bytes:
        return Rejected(f"{len(data):,} bytes, larger than the limit of {settings.max_input_bytes:,} bytes")
    if b"\x00" in data:
        return Rejected("binary content (NUL bytes)")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(f"not valid UTF-8 at byte {exc.start:,} (re-encode the file as UTF-8, "
                f"e.g. iconv -f cp1252 -t utf-8)")
    if not text.strip():
        return Rejected("empty file" if not text else "only whitespace")
    controls = _count_controls(text)
    if controls > _BINARY_CONTROL_SHARE * len(text):
        return Rejected(f"binary content ({controls:,} control characters in {len(text):,})")
    text = normalise_newlines(text)
    longest, line_no, n_lines = _longest_line(text)
    if longest > settings.max_line_chars:
        if n_lines == 1:
            return Rejected(f"a single line of {longest:,} characters; not prose")
        return Rejected(f"line {line_no:,} has {longest:,} characters "
                f"(limit {settings.max_line_chars:,}); not prose")
    return text


def _count_controls(text: str) -> int:
    return len(text) - len(text.translate(_CONTROL_TABLE))


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else changes."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _longest_line(text: str) -> tuple[int, int, int]:
    """(length, 1-based line number, number of lines) of the longest line, in linear time."""
    best = best_no = 0
    start = 0
    no = 0
    n = len(text)
    while start <= n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        no += 1
        if end - start > best:
            best, best_no = end - start, no
        start = end + 1
    if text.endswith("\n"):
        no -= 1
    return best, best_no, no


def _from_bytes(data: bytes, *, origin: str, published: dt.date | None, source: str | None,
                settings: Settings) -> RawInput | InputFailure:
    checked = check_text(data, settings=settings)
    if isinstance(checked, Rejected):
        return InputFailure(origin, str(checked))
    return RawInput(origin=origin, text=checked, published=published, source=source,
                    published_basis="user" if published is not None else "metadata")


# ---------------------------------------------------------------------------
# JSONL


def _read_jsonl(fh: BinaryIO, *, origin: str, published: dt.date | None, source: str | None,
                settings: Settings) -> Iterator[RawInput | InputFailure]:
    """One :class:`RawInput` per line; a bad line is one failure and the others go on."""
    for lineno, raw_line in enumerate(fh, start=1):
        where = f"{origin}:{lineno}"
        if not raw_line.strip():
            continue
        if lineno == 1 and raw_line.startswith(_UTF8_BOM):
            raw_line = raw_line[len(_UTF8_BOM):]
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputFailure(where, f"not valid UTF-8 at byte {exc.start:,} of the line")
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            yield InputFailure(where, f"not a JSON object ({exc})")
            continue
        yield _jsonl_record(obj, where=where, published=published, source=source, settings=settings)


def _jsonl_record(obj: object, *, where: str, published: dt.date | None, source: str | None,
                  settings: Settings) -> RawInput | InputFailure:
    if not isinstance(obj, dict):
        return InputFailure(where, f"expected a JSON object, got {type(obj).__name__}")
    bad = surrogate_field(obj)
    if bad is not None:
        return InputFailure(where, f'"{bad}" holds a lone UTF-16 surrogate escape (\\ud800-\\udfff), not text')
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        got = "" if text is None else f", got {fields.type_name(text)}"
        return InputFailure(where, f'no "text" (a non-empty string is required{got})')
    checked = check_text(text.encode("utf-8"), settings=settings)
    if isinstance(checked, Rejected):
        return InputFailure(where, str(checked))
    basis = "user" if published is not None else "metadata"
    day = published
    try:
        fields.check_length(checked)
        if obj.get("published") not in (None, ""):
            day = fields.check_day(_jsonl_day(obj["published"]))
            basis = "metadata"
        return RawInput(
            origin=where,
            text=checked,
            external_id=fields.external_id(obj.get("id")),
            title=fields.text_str(obj.get("title"), field="title"),
            published=day,
            url=fields.text_str(obj.get("url"), field="url"),
            source=fields.text_str(obj.get("source"), field="source") or source,
            published_basis=basis,
            single_article=True,
        )
    except fields.FieldError as exc:
        return InputFailure(where, str(exc))


def _jsonl_day(value: object) -> dt.date:
    """A JSONL ``published`` value: ``YYYY-MM-DD``, optionally followed by a time."""
    if not isinstance(value, str):
        raise fields.FieldError("published", f"must be a date string YYYY-MM-DD, got {fields.type_name(value)}")
    text_value = value.strip()
    if len(text_value) > 10 and text_value[10] in "T ":
        text_value = text_value[:10]
    try:
        return dt.date.fromisoformat(text_value)
    except ValueError:
        raise fields.FieldError("published", f"is not a date in the form YYYY-MM-DD: {value[:40]!r}") from None


def surrogate_field(obj: Mapping[str, object]) -> str | None:
    """The first key whose string value holds a lone surrogate (JSON ``"\\ud800"``), else None.

    JSON escapes can spell code points that no UTF-8 text holds; such a string cannot be
    encoded, stored or printed, so the record is rejected rather than crashing later.
    """
    for key, value in obj.items():
        if isinstance(value, str) and _SURROGATE_RE.search(value):
            return str(key)
    return None
