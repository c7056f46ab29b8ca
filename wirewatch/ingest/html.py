"""News pages: HTML, saved web archives (``.mhtml``) and WARC crawls -> :class:`RawInput`.

The main text, title, author, publication date, canonical URL and site name
come from trafilatura.  The text handed on is laid out like a wire report so
that the splitter reads it the same way: the headline, a ``By ...`` line when
the page names its author, then the paragraphs separated by blank lines.  The
headline and byline lines are only written when the splitter would recognise
them as such; otherwise the title travels in ``RawInput.title`` alone.

A page without article text (a login form, an index of links, a cookie wall)
is an :class:`InputFailure` saying so, never an empty article.

Publication dates are read from the page's own metadata (``<meta>`` tags,
JSON-LD, ``<time>`` elements, the URL) with htmldate's non-extensive search:
dates printed in the article text are not guessed from, because an event date
mistaken for the publication date would shift every relative date in the text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import io
import logging
import re
import zlib
from collections.abc import Iterator
from email.message import Message

from ..models import RawInput
from . import fields
from .limits import InputTimeout, time_budget
from .readers import InputFailure, normalise_newlines

log = logging.getLogger(__name__)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MHTML_SUFFIXES = frozenset({".mhtml", ".mht"})
WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_HTML_BYTES = 50_000_000  # a larger page is rejected, not truncated
# Markup ('<') in one page, at most: extraction costs about 0.1 ms an element, and a news page has a few
# thousand; a page of hundreds of thousands is a table dump or an attack, refused before parsing.
MAX_HTML_ELEMENTS = 100_000
HTML_SECONDS = 20.0  # time budget for extracting one page (enforced on the main thread)
MAX_WARC_BYTES = 1_000_000_000  # inflated bytes read from one WARC, at most
MAX_WARC_HEADER_LINE = 65_536  # bytes in one WARC header line
MAX_WARC_HEADERS = 256  # header lines of one WARC record
MAX_WARC_RECORD_BYTES = MAX_HTML_BYTES + 1_000_000  # a larger record is skipped (read past in pieces)
MIN_SENTENCE_WORDS = 8  # a page needs at least one paragraph this long ending like a sentence

_SENTENCE_END = tuple('.!?"\u201d\'\u2019)')
_MHTML_HEAD_RE = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)*?content-type:\s*multipart/related",
                            re.IGNORECASE)


def looks_like_mhtml(data: bytes) -> bool:
    """True when ``data`` starts with MIME headers declaring a ``multipart/related`` archive."""
    return _MHTML_HEAD_RE.match(data[:8192].lstrip()) is not None


def looks_like_html(data: bytes) -> bool:
    """Content sniffing for files without a telling extension (or from a URL)."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    return head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<body" in data[:65536].lower())


def read_html(data: bytes, *, origin: str, url: str | None = None, published: dt.date | None = None,
              source: str | None = None, max_bytes: int = MAX_HTML_BYTES) -> RawInput | InputFailure:
    """Extract the article from an HTML page (or a saved MHTML archive of one).

    ``url`` is where the page was fetched from; the page's canonical URL, when
    it declares one, wins.  ``published`` and ``source`` (the user's
    ``--published``/``--source``) apply when the page declares no date or site
    name.  The result is one article (``single_article``).
    """
    if len(data) > max_bytes:
        return InputFailure(origin, f"{len(data):,} bytes, larger than the limit of {max_bytes:,} bytes for a page")
    if looks_like_mhtml(data):
        unpacked = _mhtml_html_part(data)
        if isinstance(unpacked, str):
            return InputFailure(origin, unpacked)
        data, archived_url = unpacked
        url = url or archived_url
    if not data.strip():
        return InputFailure(origin, "empty page")
    elements = data.count(b"<")
    if elements > MAX_HTML_ELEMENTS:
        return InputFailure(origin, f"{elements:,} tags, more than the limit of {MAX_HTML_ELEMENTS:,} for a page "
                                    f"(not an article page)")
    try:
        with time_budget(HTML_SECONDS):
            raw = _extract(data, origin=origin, url=url)
    except InputTimeout as exc:
        return InputFailure(origin, f"HTML extraction stopped: {exc}")
    if isinstance(raw, RawInput) and raw.published is None and published is not None:
        raw = dataclasses.replace(raw, published=published, published_basis="user")
    if isinstance(raw, RawInput) and raw.source is None and source is not None:
        raw = dataclasses.replace(raw, source=source)
    return raw


def read_mhtml(data: bytes, *, origin: str, url: str | None = None, published: dt.date | None = None,
               source: str | None = None, max_bytes: int = MAX_HTML_BYTES) -> RawInput | InputFailure:
    """A saved web archive (``.mhtml``/``.mht``): the first ``text/html`` part is the page."""
    if not looks_like_mhtml(data):
        return InputFailure(origin, "not a web archive (no MIME header declaring multipart/related)")
    return read_html(data, origin=origin, url=url, published=published, source=source, max_bytes=max_bytes)


# ---------------------------------------------------------------------------


def _mhtml_html_part(data: bytes) -> tuple[bytes, str | None] | str:
    """(HTML bytes re-encoded as UTF-8, Content-Location) of the archive's page, or a reason."""
    msg: Message = email.message_from_bytes(data, policy=email.policy.compat32)
    if not msg.is_multipart():
        return "web archive is not multipart"
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)  # undoes quoted-printable / base64
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        charset = part.get_content_charset() or msg.get_content_charset()
        if charset:
            try:
                payload = payload.decode(charset, errors="replace").encode("utf-8")
            except LookupError:
                log.warning("unknown charset %r in web archive; letting the HTML declare its own", charset)
        location = part.get("Content-Location") or msg.get("Snapshot-Content-Location")
        return payload, (str(location).strip() or None) if location else None
    return "web archive has no text/html part"


def _extract(data: bytes, *, origin: str, url: str | None) -> RawInput | InputFailure:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except InputTimeout:
        raise
    except Exception as exc:  # trafilatura/lxml on a broken document: a rejected input, not a crash
        log.debug("trafilatura failed on %s", origin, exc_info=True)
        return InputFailure(origin, f"HTML could not be parsed: {exc!r}")
    text = normalise_newlines(getattr(doc, "text", None) or "") if doc is not None else ""
    title = _clean(getattr(doc, "title", None))
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if paragraphs and title and _same(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    if not any(_is_sentence(p) for p in paragraphs):
        words = sum(len(p.split()) for p in paragraphs)
        return InputFailure(origin, f"no article text found in the page (only {words} words outside "
                                    f"sentences: navigation, forms or an index page?)")
    author = _clean(getattr(doc, "author", None))
    page_url = _clean(getattr(doc, "url", None)) or url
    return RawInput(
        origin=origin,
        text=as_report(title, author, paragraphs),
        title=title,
        published=_date(getattr(doc, "date", None)),
        url=page_url,
        source=_clean(getattr(doc, "sitename", None)) or _clean(getattr(doc, "hostname", None)),
        published_basis="metadata",
        single_article=True,
    )


def as_report(title: str | None, author: str | None, paragraphs: list[str]) -> str:
    """Headline, byline and paragraphs in the wire layout, headline/byline only when recognisable.

    The splitter reads the first line as the headline and a ``By ...`` line after
    it as the byline; a title it would not take for a headline is left out (it
    still travels as ``RawInput.title``).
    """
    from .wire import is_headline_like, parse_byline

    head: list[str] = []
    if title and "\n" not in title and is_headline_like(title):
        head.append(title)
        if author:
            byline = author if author.lower().startswith("by ") else f"By {author.replace(';', ',')}"
            if parse_byline(byline) is not None:
                head.append(byline)
    return "\n\n".join(head + paragraphs) + "\n"


def _is_sentence(paragraph: str) -> bool:
    return len(paragraph.split()) >= MIN_SENTENCE_WORDS and paragraph.rstrip().endswith(_SENTENCE_END)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return fields.check_day(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:  # FieldError too: a page's metadata date outside 1900-2100 is no date
        log.debug("ignoring unreadable page date %r", value)
        return None


# ---------------------------------------------------------------------------
# WARC (web crawls, ``.warc`` / ``.warc.gz``)


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


# ---------------------------------------------------------------------------
# HTML fragments (feed summaries): a safe stripper


_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                         "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "pre",
                         "hr", "dd", "dt"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math"})


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment: block elements become paragraphs separated by a blank line.

    Uses the standard library's tokenizer, which never fetches anything and
    never expands entities beyond HTML's fixed named character references.
    Script and style content is dropped.
    """
    from html.parser import HTMLParser

    paragraphs: list[str] = []
    current: list[str] = []
    skip = 0

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    class _Stripper(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            nonlocal skip
            if tag in _SKIP_TAGS:
                skip += 1
            elif tag in _BLOCK_TAGS:
                flush()

        def handle_endtag(self, tag: str) -> None:
            nonlocal skip
            if tag in _SKIP_TAGS:
                skip = max(0, skip - 1)
            elif tag in _BLOCK_TAGS:
                flush()

        def handle_data(self, data: str) -> None:
            if not skip:
                current.append(data)

    parser = _Stripper(convert_charrefs=True)
    parser.feed(fragment)
    parser.close()
    flush()
    return "\n\n".join(paragraphs)
