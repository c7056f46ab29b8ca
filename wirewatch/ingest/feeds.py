"""RSS and Atom feeds -> one :class:`RawInput` per item.

An item's text is its full content when the feed carries it, else its summary,
with the HTML stripped, laid out as a wire report (headline, ``By`` line from
the item's author, paragraphs) as :func:`wirewatch.ingest.html.as_report` does.
Title, link, guid, date and the feed's title come along as ``title``, ``url``,
``external_id``, ``published`` and ``source``.

Untrusted XML: a feed larger than ``max_bytes`` is rejected before parsing, and
so is any feed whose prolog declares XML entities (``<!ENTITY``), the vehicle of
"billion laughs" and quadratic-blowup attacks; no real news feed needs them.
(feedparser 6 is itself safe against billion laughs: it replaces the DOCTYPE
before its expat pass and its fallback parser leaves undefined entities as
text, which the tests check; the explicit rejection gives a clear reason
instead of a feed of garbage items.)

Item dates keep the publisher's own calendar day: ``Tue, 06 Apr 2021 23:30:00
-0500`` is 6 April, not 7 April in UTC.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

from ..models import RawInput
from . import fields
from .html import as_report, strip_html
from .readers import InputFailure, normalise_newlines

log = logging.getLogger(__name__)

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".rdf"})
MAX_FEED_BYTES = 20_000_000
_ENTITY_DECL_RE = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FEED_ROOT_RE = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)


def looks_like_feed(data: bytes) -> bool:
    """Content sniffing: an XML document whose root is ``rss``, ``feed`` (Atom) or ``rdf:RDF``."""
    head = data[:4096].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.startswith(b"<") and _FEED_ROOT_RE.search(head) is not None


def read_feed(data: bytes, *, origin: str, published: dt.date | None = None, source: str | None = None,
              max_bytes: int = MAX_FEED_BYTES) -> Iterator[RawInput | InputFailure]:
    """One :class:`RawInput` per item of an RSS 0.9x/1.0/2.0 or Atom feed; a bad item is one failure.

    ``origin`` is the feed's path or URL; each item's origin is
    ``<origin>#<guid or link or position>``.  ``published``/``source`` apply to
    items without a date and feeds without a title.
    """
    if len(data) > max_bytes:
        yield InputFailure(origin, f"{len(data):,} bytes, larger than the limit of {max_bytes:,} bytes for a feed")
        return
    if _ENTITY_DECL_RE.search(data):
        yield InputFailure(origin, "the feed declares XML entities (<!ENTITY ...>), as entity-expansion "
                                   "attacks do; refusing to parse it")
        return
    import feedparser

    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is lenient, but a parser bug must not sink the batch
        log.debug("feedparser failed on %s", origin, exc_info=True)
        yield InputFailure(origin, f"feed could not be parsed: {exc!r}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            yield InputFailure(origin, f"not an RSS or Atom feed ({parsed.get('bozo_exception')})")
        elif parsed.get("bozo"):  # a feed cut short: its items are lost, which the user must hear
            yield InputFailure(origin, f"feed is not well-formed and no item could be read (truncated?): "
                                       f"{parsed.get('bozo_exception')}")
        else:
            log.info("%s: feed has no items", origin)
        return
    if parsed.get("bozo"):
        log.info("%s: feed is not well-formed (%s); read leniently", origin, parsed.get("bozo_exception"))
    source = _clean(parsed.get("feed", {}).get("title")) or source
    for n, entry in enumerate(entries, start=1):
        yield _item(entry, n=n, origin=origin, source=source, published=published)


def _item(entry: Any, *, n: int, origin: str, source: str | None,
          published: dt.date | None) -> RawInput | InputFailure:
    guid = _clean(entry.get("id"))
    link = _clean(entry.get("link"))
    where = f"{origin}#{guid or link or n}"
    text = _item_text(entry)
    if not text:
        return InputFailure(where, "feed item has no text (neither content nor summary)")
    title = _clean(strip_html(entry.get("title") or ""))
    day = _entry_date(entry)
    if day is not None:
        try:
            fields.check_day(day, field="item date")
        except fields.FieldError as exc:
            return InputFailure(where, str(exc))
    return RawInput(
        origin=where,
        text=as_report(title, _clean(entry.get("author")), text.split("\n\n")),
        external_id=guid or link,
        title=title,
        published=day or published,
        url=link,
        source=source,
        published_basis="metadata" if day is not None or published is None else "user",
        single_article=True,
    )


def _item_text(entry: Any) -> str:
    """The longest of the item's content blocks and its summary, as plain text."""
    candidates: list[str] = []
    for block in entry.get("content") or []:
        value = block.get("value") or ""
        candidates.append(_plain(value, block.get("type")))
    summary = entry.get("summary") or ""
    if summary:
        detail = entry.get("summary_detail") or {}
        candidates.append(_plain(summary, detail.get("type")))
    return max(candidates, key=len, default="")


def _plain(value: str, mime: str | None) -> str:
    if mime in ("text/plain", None) and "<" not in value:
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", normalise_newlines(value))]
        return "\n\n".join(p for p in paragraphs if p)
    return strip_html(value)


def _entry_date(entry: Any) -> dt.date | None:
    """The item's publication day in the publisher's own offset (not shifted to UTC)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        day = _parse_feed_date(str(raw))
        if day is not None:
            return day
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _parse_feed_date(raw: str) -> dt.date | None:
    raw = raw.strip()
    try:
        return dt.datetime.fromisoformat(raw).date()  # Atom / RFC 3339 (3.11 reads "Z")
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(raw).date()  # RSS / RFC 822
    except (TypeError, ValueError, IndexError):
        return None


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None
