"""Split a wire dump into reports and parse each report's parts.

A dump holds reports back to back with no separators.  Each report looks like::

    headline
    [photo caption(s)]            ... REUTERS/Name[/File Photo]
    [By A, B and C]
    PLACE[/PLACE][, Country] (Agency) – lede ...
    body paragraphs, ALL-CAPS section headings ...
    [(This story has been refiled ...)]
    [(Reporting by ...; Editing by ...)]

The splitter anchors on two things that are hard to mistake: dateline
paragraphs (``PLACE (Agency) –``) and credit paragraphs (``(Reporting by
...)``).  From each dateline it looks a few lines back for the byline, captions
and headline, never past the previous report's dateline or credits.  Work is
linear in the number of lines.  Every non-blank line of the input ends up in
exactly one article; an article's ``text`` is a slice of the input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass

from ..models import Article, Caption, RawInput
from .fields import MAX_ARTICLE_CHARS

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# line patterns

KNOWN_AGENCIES = (
    "Reuters", "Reuters Health", "Thomson Reuters Foundation", "AFP", "Agence France-Presse", "AP",
    "Associated Press", "The Associated Press", "Xinhua", "Anadolu", "AA", "dpa", "DPA", "UPI", "IANS", "PTI",
    "ANI", "Bloomberg", "EFE", "ANSA", "Kyodo", "TASS", "IRNA", "Interfax", "RIA", "Sputnik", "KUNA", "WAM",
    "SPA", "NNA", "VOA", "BBC", "CNN", "Al Jazeera", "IRIN", "Anadolu Agency",
)
_KNOWN_AGENCIES_LC = {a.lower() for a in KNOWN_AGENCIES}

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")

# PLACE[/PLACE][, Country][, Feb. 25] (Agency) – ; place and agency lengths are bounded.
DATELINE_RE = re.compile(
    r"(?P<dateline>[^\W\d_][^()\n]{0,90}?)\s*\((?P<agency>[A-Za-z][A-Za-z .&'-]{0,40})\)\s*"
    r"(?:–|—|−|-{1,2})\s*"
)
_DATE_PART_RE = re.compile(rf"^{_MONTH}\.?\s+\d{{1,2}}$")
_CAPTION_DATE_RE = re.compile(
    rf"\b(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<mon2>{_MONTH})\.?,?\s+(?P<year2>(?:19|20)\d\d)\b"
)
_CREDIT_WORDS = (r"(?:additional\s+|further\s+)?(?:reporting|writing|editing|compiled|compiling|translated|"
                 r"translation|produced|graphics?|research|fact[- ]?checking)\s+by\b")
_CREDIT_PAREN_RE = re.compile(rf"\b{_CREDIT_WORDS}", re.IGNORECASE)
_CREDIT_OPEN_RE = re.compile(rf"^\(\s*{_CREDIT_WORDS}", re.IGNORECASE)
_CREDIT_BARE_RE = re.compile(rf"^{_CREDIT_WORDS}", re.IGNORECASE)
_REFILE_RE = re.compile(
    r"^\(\s*(?:this\s+(?:story|version|article)\b|refiles?\b|refiled\b|corrects?\b|updates?\b|adds\b|fixes\b|"
    r"removes\b|changes\b|recasts\b|repeats\b|clarifies\b)",
    re.IGNORECASE,
)
_REFILE_END_RE = re.compile(r"^\(\s*this\s+(?:story|version|article)\b", re.IGNORECASE)
_TRAILER_RE = re.compile(
    r"^(?:Our Standards:|©|\(c\)\s*Copyright|Copyright\s+(?:©\s*)?\d{4}|All rights reserved)", re.IGNORECASE
)
_BYLINE_RE = re.compile(r"^By\s+(?P<names>[A-Z][^\n]{1,150})$")
_NAME_SPLIT_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_STRONG_CAPTION_RE = re.compile(
    r"REUTERS/|\bvia REUTERS\b|\bREUTERS TV\b|\b(?:AFP|AP) Photo\b|/(?:AFP|AP)\b|\bFILE PHOTO\b"
    r"|\bFile Photo\b|\bPhoto(?:graph)? by\b|^\(?Photo:"
)
_CAPTION_KEYS = ("REUTERS", "Photo", "PHOTO", "/AFP", "/AP")
_FILE_PHOTO_RE = re.compile(r"\bfile photo\b", re.IGNORECASE)
_ABBREV_END_RE = re.compile(r"\b(?:[A-Z]\.){2,}$")
_CLOSERS = "\"'”’»)]"

MAX_HEADER_ITEMS = 5  # bylines + captions looked at backwards from a dateline
MAX_WEAK_CAPTIONS = 3  # captions without a photo credit, taken only when a headline sits above them
MAX_HEADLINE_CHARS = 220
MAX_TRAILER_LINES = 2  # notes after the credits that still belong to the report


@dataclass(frozen=True, slots=True)
class Dateline:
    """A parsed dateline prefix of a lede line."""

    dateline: str
    places: list[str]
    country: str | None
    agency: str
    end: int  # offset in the line where the lede proper begins


def parse_dateline(line: str) -> Dateline | None:
    """Parse ``MOSUL, Iraq (Reuters) –`` at the start of ``line``; None when it is not a dateline."""
    paren = line.find("(", 0, 140)
    if paren < 1 or not line[0].isalpha():
        return None
    m = DATELINE_RE.match(line)
    if m is None:
        return None
    written = m.group("dateline").strip()
    agency = m.group("agency").strip()
    parts = [p.strip() for p in written.split(",")]
    head = parts[0]
    if not head or len(head.split()) > 6 or any(ch.isdigit() for ch in head):
        return None
    if agency.lower() not in _KNOWN_AGENCIES_LC and not head.isupper():
        return None
    country = None
    for extra in parts[1:]:
        if not extra or _DATE_PART_RE.match(extra):
            continue
        if any(ch.isdigit() for ch in extra) or len(extra.split()) > 5:
            return None
        if country is None:
            country = extra
    places = [_title(p.strip()) for p in head.split("/") if p.strip()]
    if not places:
        return None
    end = m.end()
    return Dateline(dateline=written, places=places, country=country, agency=agency, end=end)


def _title(place: str) -> str:
    """``BEIRUT`` -> ``Beirut``, ``AL-BAB`` -> ``Al-Bab``; mixed-case names are kept as written."""
    if not place.isupper():
        return place
    return re.sub(r"(?<=[’'])S\b", "s", place.title())


def is_credit(line: str) -> bool:
    """``(Reporting by ...; Editing by ...)``, ``(Editing by X)``, ``Reporting by X; editing by Y``."""
    s = line.strip()
    if len(s) > 800:
        return False
    if s.startswith("("):
        if _CREDIT_OPEN_RE.match(s):
            return True
        return s.endswith(")") and _CREDIT_PAREN_RE.search(s) is not None
    return len(s) <= 300 and _CREDIT_BARE_RE.match(s) is not None


def is_refile_note(line: str) -> bool:
    return len(line) <= 600 and line.endswith(")") and _REFILE_RE.match(line) is not None


def is_trailer(line: str) -> bool:
    return len(line) <= 300 and _TRAILER_RE.match(line) is not None


def is_end_marker(line: str) -> bool:
    """A line that closes a report: credits, a refile note, a copyright trailer."""
    return is_credit(line) or is_trailer(line) or (is_refile_note(line) and _REFILE_END_RE.match(line) is not None)


def parse_byline(line: str) -> list[str] | None:
    """``By A, B and C`` -> ["A", "B", "C"]; None when the line is not a byline."""
    if len(line) > 160 or line.rstrip()[-1:] in ".!?;:":
        return None
    m = _BYLINE_RE.match(line.strip())
    if m is None:
        return None
    names = [n.strip() for n in _NAME_SPLIT_RE.split(m.group("names")) if n.strip()]
    if not names:
        return None
    for name in names:
        words = name.split()
        if len(words) > 6 or any(ch.isdigit() for ch in name) or not name[0].isupper():
            return None
    return names


def is_strong_caption(line: str) -> bool:
    """A photo caption with a credit (``REUTERS/Name``, ``AFP Photo``) or a FILE PHOTO label."""
    if not any(key in line for key in _CAPTION_KEYS):  # cheap filter: most body lines fail here
        return False
    return _STRONG_CAPTION_RE.search(line) is not None


def is_section_heading(line: str) -> bool:
    return len(line) <= 80 and line.isupper()


def _last_char(line: str) -> str:
    return line.rstrip().rstrip(_CLOSERS)[-1:]


def is_headline_like(line: str) -> bool:
    """Short, no sentence-final full stop or comma, not an ALL-CAPS section heading."""
    s = line.strip()
    if not s or len(s) > MAX_HEADLINE_CHARS or is_section_heading(s) or (s[0] == "(" and s[-1] == ")"):
        return False
    if parse_dateline(s) is not None or is_end_marker(s):
        return False
    last = _last_char(s)
    if last in ".,;" and not _ABBREV_END_RE.search(s.rstrip(_CLOSERS)):
        return False
    return any(ch.isalpha() for ch in s)


def is_weak_caption(line: str) -> bool:
    """A sentence-like paragraph that may be a caption without a photo credit."""
    s = line.strip()
    return 20 <= len(s) <= 600 and not is_section_heading(s) and _last_char(s) in ".,"


def caption_date(text: str) -> dt.date | None:
    m = _CAPTION_DATE_RE.search(text)
    if m is None:
        return None
    mon = m.group("mon") or m.group("mon2")
    day = m.group("day") or m.group("day2")
    year = m.group("year") or m.group("year2")
    key = mon.lower().rstrip(".")
    month = _MONTHS.get(key[:4] if key.startswith("sept") else key[:3])
    try:
        return dt.date(int(year), month or 0, int(day))
    except ValueError:
        return None


def make_caption(text: str) -> Caption:
    return Caption(text=text, date=caption_date(text), file_photo=_FILE_PHOTO_RE.search(text) is not None)


def article_id(text: str, external_id: str | None = None) -> str:
    """First 16 hex digits of sha256 over the whitespace-collapsed text and the input's own id, if any:
    the same line read again gets the same id; two lines with the same text and different ids are two
    articles (the second a duplicate of the first), so each id comes back in the records made from it."""
    key = " ".join(text.split()) if external_id is None else f"{' '.join(text.split())}\x00{external_id}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------
# splitting


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, trimmed of surrounding whitespace."""
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        s, e = pos, nl
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        pos = nl + 1
    return out


def _header_start(lines: list[str], lo: int, d: int, *, bounded_by_end: bool, ends: list[bool]) -> int:
    """Index of the first header line of the report whose dateline is line ``d``.

    Looks back from ``d`` over bylines and captions to a headline, never before ``lo``.
    ``bounded_by_end``: the region starts after credits or at the top of the input,
    so nothing in it belongs to the previous report's body.
    """
    i = d - 1
    items = weak = 0
    strong_start = d
    while i >= lo and items < MAX_HEADER_ITEMS:
        t = lines[i]
        if parse_byline(t) is not None or is_strong_caption(t) or is_refile_note(t):
            strong_start = i
        elif not ends[i] and is_headline_like(t):
            return i
        elif is_weak_caption(t) and weak < MAX_WEAK_CAPTIONS:
            weak += 1
        else:
            break
        items += 1
        i -= 1
    if bounded_by_end and i < lo:
        return lo
    return strong_start


def _trailer_lines(lines: list[str], datelines: list[Dateline | None], ends: list[bool], k: int) -> int:
    """How many lines from ``k`` on are notes trailing the credits (sponsor notes and the like).

    Up to ``MAX_TRAILER_LINES`` lines that cannot open a report: not a dateline, headline,
    byline or credited caption.  A next report always opens with one of those.
    """
    count = 0
    while (count < MAX_TRAILER_LINES and k + count < len(lines) and datelines[k + count] is None
           and not ends[k + count]):
        t = lines[k + count]
        if is_headline_like(t) or parse_byline(t) is not None or is_strong_caption(t):
            break
        count += 1
    if count and k + count < len(lines) and datelines[k + count] is not None:
        return 0  # the lines sit right above a dateline: they belong to that report's header
    return count


def _segments(lines: list[str], datelines: list[Dateline | None], ends: list[bool]) -> list[tuple[int, int]]:
    """Cut the non-blank lines into reports: [(first, last_exclusive), ...]."""
    n = len(lines)
    cuts: set[int] = {0}
    region_start = 0
    bounded = True  # the current region starts at the top or right after credits
    i = 0
    while i < n:
        if ends[i]:
            j = i
            while j + 1 < n and ends[j + 1]:
                j += 1
            j += _trailer_lines(lines, datelines, ends, j + 1)
            cuts.add(j + 1)
            region_start, bounded = j + 1, True
            i = j + 1
            continue
        if datelines[i] is not None:
            s = _header_start(lines, region_start, i, bounded_by_end=bounded, ends=ends)
            if bounded and s > region_start and s - region_start < 3:
                s = region_start  # a standfirst or stray line above the headline: keep it with the report
            cuts.add(s)
            region_start, bounded = i + 1, False
        i += 1
    ordered = sorted(c for c in cuts if c < n)
    return [(a, b) for a, b in zip(ordered, ordered[1:] + [n]) if b > a]


def _sections(spans: list[tuple[int, int]], segs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Reports longer than :data:`MAX_ARTICLE_CHARS` cut at line ends into sections that are not.

    The language model refuses longer texts; a section is an article of its own (the first keeps
    the headline and dateline), so no stage ever meets a text it cannot take.  A single line is
    never cut (the readers refuse lines longer than this).
    """
    out: list[tuple[int, int]] = []
    for a, b in segs:
        if spans[b - 1][1] - spans[a][0] <= MAX_ARTICLE_CHARS:
            out.append((a, b))
            continue
        start, before = a, len(out)
        for k in range(a + 1, b):
            if spans[k][1] - spans[start][0] > MAX_ARTICLE_CHARS:
                out.append((start, k))
                start = k
        out.append((start, b))
        log.info("a report of %d characters cut into %d sections", spans[b - 1][1] - spans[a][0],
                 len(out) - before)
    return out


def split_articles(raw: RawInput) -> list[Article]:
    """Split ``raw`` into reports and parse each; a single-article input is parsed whole."""
    spans = _lines(raw.text)
    if not spans:
        return []
    lines = [raw.text[s:e] for s, e in spans]
    datelines = [parse_dateline(t) for t in lines]
    ends = [is_end_marker(t) for t in lines]
    segs = [(0, len(lines))] if raw.single_article else _segments(lines, datelines, ends)
    segs = _sections(spans, segs)
    articles = [_parse(raw, spans, lines, datelines, ends, a, b) for a, b in segs]
    log.debug("%s: %d article(s)", raw.origin, len(articles))
    return articles


# ---------------------------------------------------------------------------
# parsing one report


def _parse(raw: RawInput, spans: list[tuple[int, int]], lines: list[str], datelines: list[Dateline | None],
           ends: list[bool], a: int, b: int) -> Article:
    text_start, text_end = spans[a][0], spans[b - 1][1]
    text = raw.text[text_start:text_end]

    d_idx, dl = None, None
    for k in range(a, b):
        if datelines[k] is not None:
            d_idx, dl = k, datelines[k]
            break

    # trailing credits / refile notes / trailers (and up to two notes after the credits)
    floor = (d_idx + 1) if d_idx is not None else a + 1
    tail_lo = b
    for k in range(b - 1, max(floor, b - 1 - MAX_TRAILER_LINES) - 1, -1):
        if ends[k]:
            tail_lo = k + 1
            break
    while tail_lo - 1 >= floor and (ends[tail_lo - 1] or is_refile_note(lines[tail_lo - 1])):
        tail_lo -= 1
    credits: list[str] = []
    refile: list[str] = []
    for k in range(tail_lo, b):
        t = lines[k]
        (refile if is_refile_note(t) and not is_credit(t) else credits).append(t)

    headline: str | None = None
    bylines: list[str] = []
    captions: list[Caption] = []

    if d_idx is not None:
        header = range(a, d_idx)
        body_first, body_col = d_idx, dl.end  # type: ignore[union-attr]
    else:
        # no dateline: a first line that looks like a headline, then bylines / credited captions
        k = a
        if b - a > 1 and is_headline_like(lines[a]) and parse_byline(lines[a]) is None:
            k = a + 1
            while k < tail_lo - 1 and (parse_byline(lines[k]) is not None or is_strong_caption(lines[k])):
                k += 1
        header = range(a, k)
        body_first, body_col = k, 0

    for k in header:
        t = lines[k]
        names = parse_byline(t)
        if names is not None:
            bylines.extend(names)
        elif headline is None and not is_strong_caption(t) and is_headline_like(t):
            headline = t
        elif is_refile_note(t):
            refile.append(t)
        else:
            captions.append(make_caption(t))
    if headline is None and raw.title:
        headline = raw.title

    # body: from the lede (after the dateline) through the last line before the credits
    body_last = tail_lo - 1
    if body_first > body_last:  # nothing but header and credits
        body_abs_start = spans[body_first][0] if body_first < b else text_end
        body_abs_end = body_abs_start
    else:
        body_abs_start = spans[body_first][0] + body_col
        body_abs_end = spans[body_last][1]
        while body_abs_start < body_abs_end and raw.text[body_abs_start].isspace():
            body_abs_start += 1
        # photo captions printed inside the body keep their place but are also listed
        for k in range(body_first + 1, body_last + 1):
            if is_strong_caption(lines[k]) and caption_date(lines[k]) is not None:
                captions.append(make_caption(lines[k]))
    body = raw.text[body_abs_start:body_abs_end]

    return Article(
        id=article_id(text, raw.external_id),
        text=text,
        body=body,
        offset=raw.offset + text_start,
        body_start=body_abs_start - text_start,
        headline=headline,
        agency=dl.agency if dl else None,
        dateline=dl.dateline if dl else None,
        dateline_places=list(dl.places) if dl else [],
        dateline_country=dl.country if dl else None,
        bylines=bylines,
        captions=captions,
        credits="\n".join(credits) if credits else None,
        refile_notes=refile,
        published=raw.published,
        published_basis=raw.published_basis if raw.published is not None else "unknown",
        external_id=raw.external_id,
        url=raw.url,
        source=raw.source,
        origin=raw.origin,
    )
