"""News pages: HTML and saved web archives (``.mhtml``) -> :class:`RawInput` (WARC crawls: :mod:`.warc`).

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
import logging
import re
from email.message import Message

from ..models import RawInput
from . import fields
from .limits import InputTimeout, time_budget
from .readers import InputFailure, normalise_newlines

log = logging.getLogger(__name__)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MHTML_SUFFIXES = frozenset({".mhtml", ".mht"})
MAX_HTML_BYTES = 50_000_000  # a larger page is rejected, not truncated
# Markup ('<') in one page, at most: extraction costs about 0.1 ms an element, and a news page has a few
# thousand; a page of hundreds of thousands is a table dump or an attack, refused before parsing.
MAX_HTML_ELEMENTS = 100_000
HTML_SECONDS = 20.0  # time budget for extracting one page (enforced on the main thread)
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
