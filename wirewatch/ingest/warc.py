"""WARC web crawls (``.warc`` / ``.warc.gz``): each HTML ``response`` record read as a page.

Every length read from the file is checked before it is used (digits only, within what is left
and within the limits below), so the reader always moves forward; gzip is inflated as it is read,
one record in memory at a time.  Pages go to :func:`wirewatch.ingest.html.read_html`.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from collections.abc import Iterator

from ..models import RawInput
from .html import MAX_HTML_BYTES, read_html
from .readers import InputFailure

WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_WARC_BYTES = 1_000_000_000  # inflated bytes read from one WARC, at most
MAX_WARC_HEADER_LINE = 65_536  # bytes in one WARC header line
MAX_WARC_HEADERS = 256  # header lines of one WARC record
MAX_WARC_RECORD_BYTES = MAX_HTML_BYTES + 1_000_000  # a larger record is skipped (read past in pieces)


def looks_like_warc(data: bytes) -> bool:
    if data[:2] == b"\x1f\x8b":
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 16).startswith(b"WARC/")
        except zlib.error:
            return False
    return data[:5] == b"WARC/"


def read_warc(data: bytes, *, origin: str, published: dt.date | None = None, source: str | None = None,
              max_bytes: int = MAX_WARC_BYTES) -> Iterator[RawInput | InputFailure]:
    """Each HTML ``response`` record of a WARC file read as a page; other records are skipped.

    A record's origin is ``<origin>#<WARC-Target-URI>`` and the target URI is its
    URL unless the page declares a canonical one.  A gzipped WARC (one gzip
    member per record, as crawlers write them) is inflated as it is read, so
    memory holds one record at a time; no more than ``max_bytes`` are inflated.
    Every length read from the file is checked (digits only, within what is
    left), so the reader always moves forward: a bad record header ends the file
    with a failure naming its offset, after the records before it.
    """
    if data[:2] == b"\x1f\x8b":
        import gzip

        stream: io.BufferedIOBase = gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")
    elif len(data) > max_bytes:
        yield InputFailure(origin, f"{len(data):,} bytes, larger than the limit of {max_bytes:,} bytes")
        return
    else:
        stream = io.BytesIO(data)
    reader = _WarcReader(stream, limit=max_bytes)
    pages = 0
    try:
        for pos, headers, block in reader.records():
            if isinstance(block, str):
                yield InputFailure(f"{origin}@{pos}", block)
                continue
            if headers.get("warc-type") != "response" or "application/http" not in headers.get("content-type", ""):
                continue
            target = headers.get("warc-target-uri", "").strip("<> ") or None
            body = _http_html_body(block)
            if body is None:
                continue
            pages += 1
            yield read_html(body, origin=f"{origin}#{target or pos}", url=target, published=published, source=source)
    except _WarcError as exc:
        yield InputFailure(f"{origin}@{exc.pos}" if exc.pos else origin, str(exc))
        return
    if not pages:  # reported, not dropped silently: the user named this file as an input
        yield InputFailure(origin, "no HTML response records in the WARC file (truncated, or only other record types)")


class _WarcError(ValueError):
    def __init__(self, reason: str, *, pos: int = 0) -> None:
        super().__init__(reason)
        self.pos = pos


class _WarcReader:
    """WARC records from a byte stream, each length checked before it is used."""

    def __init__(self, stream: io.BufferedIOBase, *, limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.pos = 0  # bytes consumed (after inflating)

    def _read(self, n: int) -> bytes:
        try:
            chunk = self.stream.read(n)
        except (OSError, EOFError, zlib.error) as exc:  # corrupt or truncated gzip
            raise _WarcError(f"gzip data that is corrupt or truncated ({exc})", pos=self.pos) from None
        self.pos += len(chunk)
        if self.pos > self.limit:
            raise _WarcError(f"inflates beyond the limit of {self.limit:,} bytes", pos=self.pos)
        return chunk

    def _readline(self) -> bytes:
        try:
            line = self.stream.readline(MAX_WARC_HEADER_LINE + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise _WarcError(f"gzip data that is corrupt or truncated ({exc})", pos=self.pos) from None
        self.pos += len(line)
        if len(line) > MAX_WARC_HEADER_LINE:
            raise _WarcError(f"a WARC header line longer than {MAX_WARC_HEADER_LINE:,} bytes", pos=self.pos)
        return line

    def _skip(self, n: int) -> None:
        while n > 0:
            chunk = self._read(min(n, 1 << 20))
            if not chunk:
                raise _WarcError("the file ends inside a record", pos=self.pos)
            n -= len(chunk)

    def records(self) -> Iterator[tuple[int, dict[str, str], bytes | str]]:
        """(offset, lower-cased headers, block) per record; the block is a reason when it was skipped."""
        while True:
            line = self._readline()
            while line in (b"\r\n", b"\n"):  # blank lines between records
                line = self._readline()
            if not line:
                return
            start = self.pos - len(line)
            if not line.startswith(b"WARC/"):
                raise _WarcError("not a WARC record header (no WARC/1.x line)", pos=start)
            lines: list[bytes] = []
            while True:
                line = self._readline()
                if not line:
                    raise _WarcError("the file ends inside a record header", pos=start)
                if line in (b"\r\n", b"\n"):
                    break
                lines.append(line.rstrip(b"\r\n"))
                if len(lines) > MAX_WARC_HEADERS:
                    raise _WarcError(f"a record with more than {MAX_WARC_HEADERS} header lines", pos=start)
            headers = _header_dict(lines)
            raw_length = headers.get("content-length", "")
            if not raw_length.isascii() or not raw_length.isdigit():
                raise _WarcError(f"a record without a valid Content-Length ({raw_length[:20]!r})", pos=start)
            length = int(raw_length)
            if self.pos + length > self.limit:
                raise _WarcError(f"with a record of {length:,} bytes the file inflates beyond the limit of "
                                 f"{self.limit:,} bytes", pos=start)
            if length > MAX_WARC_RECORD_BYTES:
                self._skip(length)
                yield start, headers, f"a record of {length:,} bytes, larger than a page may be; skipped"
                continue
            block = self._read(length)
            if len(block) < length:
                raise _WarcError(f"the file ends inside a record ({len(block):,} of {length:,} bytes)", pos=start)
            yield start, headers, block


def _header_dict(lines: list[bytes]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.decode("latin-1").partition(":")
        if sep:
            out[name.strip().lower()] = value.strip()
    return out


def _http_html_body(block: bytes) -> bytes | None:
    """The decoded body of an HTTP 200 text/html response, else None."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.split(b"\r\n")
    if len(lines[0].split()) < 2 or lines[0].split()[1] != b"200":
        return None
    headers = _header_dict(lines[1:])
    if "html" not in headers.get("content-type", "text/html"):
        return None
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _unchunk(body)
    encoding = headers.get("content-encoding", "").lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        body = _gunzip(body, limit=MAX_HTML_BYTES, wbits=(16 if "gzip" in encoding else 0) + zlib.MAX_WBITS) or b""
    return body


def _unchunk(body: bytes) -> bytes:
    """The body of an HTTP chunked transfer; a chunk size that is not hex digits, or runs past the end, stops it."""
    out = bytearray()
    pos = 0
    while True:
        line_end = body.find(b"\r\n", pos)
        if line_end < 0:
            break
        digits = body[pos:line_end].split(b";")[0].strip()
        if not digits or len(digits) > 16 or any(c not in b"0123456789abcdefABCDEF" for c in digits):
            break
        size = int(digits, 16)
        if size == 0 or size > len(body) - line_end - 2:
            break
        out += body[line_end + 2:line_end + 2 + size]
        pos = line_end + 2 + size + 2
    return bytes(out)


def _gunzip(data: bytes, *, limit: int, wbits: int = 16 + zlib.MAX_WBITS) -> bytes | None:
    """Inflate every gzip member of ``data``, never producing more than ``limit`` bytes; None on error or excess."""
    out = bytearray()
    try:
        while data:
            inflater = zlib.decompressobj(wbits)
            out += inflater.decompress(data, limit + 1 - len(out))
            if len(out) > limit or inflater.unconsumed_tail:
                return None
            data = inflater.unused_data.lstrip(b"\x00")
            if not inflater.eof:
                break
    except zlib.error:
        return None
    return bytes(out)
