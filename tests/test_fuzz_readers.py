"""Structure-aware fuzzing of the WARC, RSS/Atom, CSV and JSONL readers (hypothesis).

Inputs are built the way the formats are (records, headers, lengths, items, rows, fields) and then
bent: lengths negative, huge or wrong, chunk sizes that are not hex, gzip members cut short, markup
unclosed, fields of every JSON type.  Every input must come back as articles or failures naming it,
each within 5 seconds and without growing the process by 500 MB.  The default
tier tries a sample of each; the slow tier (``-m slow``) tries 10,000 inputs per reader.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import gzip
import json
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirewatch.config import Settings
from wirewatch.ingest import read_inputs
from wirewatch.ingest.fields import FIRST_YEAR, LAST_YEAR
from wirewatch.ingest.readers import InputFailure
from wirewatch.models import RawInput

FAST, SLOW = int(os.environ.get("WIREWATCH_FUZZ_EXAMPLES", "60")), 10_000
SECONDS_PER_INPUT = 5.0
MAX_GROWTH_KB = 500 * 1024  # ru_maxrss is in KiB on Linux

SENTENCES = [
    "Troops shelled a border village on Monday, killing four farmers, officials said.",
    "Hundreds marched through the capital on Friday to demand the release of detained students.",
    "A car bomb exploded near a checkpoint south of the city, wounding nine people.",
]
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
prose = st.one_of(st.sampled_from(SENTENCES), words, st.lists(st.sampled_from(SENTENCES), max_size=4).map(" ".join))


def _holds_records(data: bytes, suffix: str) -> bool:
    """Whether ``data`` has anything a reader must answer for (an empty table or feed yields nothing)."""
    if suffix == ".jsonl":
        return any(line.strip() for line in data.splitlines())
    if suffix == ".csv":
        return len([line for line in data.splitlines() if line.strip()]) > 1
    if suffix == ".rss":
        return b"<item" in data or b"<entry" in data
    return True


def _rss_kb() -> int:
    """Resident memory now, in KiB (Linux), or 0 where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except OSError:
        return 0


def _check(path: Path, *, fmt: str = "auto") -> None:
    """Read ``path``; every item is sane, and reading took less than the time and memory budgets."""
    rss_before, peak_before = _rss_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    faulthandler.dump_traceback_later(60, exit=True)  # a hang fails the run loudly instead of stalling it
    start = time.perf_counter()
    try:
        items = list(read_inputs([str(path)], settings=Settings(), fmt=fmt))
    finally:
        faulthandler.cancel_dump_traceback_later()
    elapsed = time.perf_counter() - start
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert elapsed < SECONDS_PER_INPUT, f"{path.name}: {elapsed:.1f} s"
    # the peak rose during this read to more than the budget above where the read started: it grew that much
    assert not (peak_after > peak_before and rss_before and peak_after - rss_before > MAX_GROWTH_KB), \
        f"{path.name}: grew by {(peak_after - rss_before) // 1024} MB"
    assert items or not _holds_records(path.read_bytes(), path.suffix), "an input vanished without a failure"
    for item in items:
        assert isinstance(item, RawInput | InputFailure), item
        assert item.origin.startswith(str(path)), item.origin
        if isinstance(item, InputFailure):
            assert item.reason and isinstance(item.reason, str)
            continue
        assert item.text.strip() and "\r" not in item.text
        item.text.encode("utf-8")
        for value in (item.title, item.url, item.source, item.external_id):
            assert value is None or isinstance(value, str)
        assert item.published is None or (isinstance(item.published, dt.date)
                                          and FIRST_YEAR <= item.published.year <= LAST_YEAR)


def _run(reliability, name: str, data: bytes, suffix: str, fmt: str = "auto") -> None:
    reliability.tried()
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"{name}{suffix}"
        p.write_bytes(data)
        _check(p, fmt=fmt)


# ---------------------------------------------------------------------------
# WARC

length_value = st.one_of(st.integers(-10**6, 10**13).map(str), st.sampled_from(["", "-0", "+7", "0x10", "1e3", " 5"]),
                         words)
page = st.builds(lambda title, paras: ("<html><head><title>%s</title></head><body><article>%s</article></body></html>"
                                       % (title, "".join(f"<p>{p}</p>" for p in paras))).encode("utf-8", "replace"),
                 words, st.lists(prose, max_size=5))


@st.composite
def http_block(draw) -> bytes:
    body = draw(page)
    headers = [b"Content-Type: " + draw(st.sampled_from([b"text/html", b"text/html; charset=utf-8", b"image/png"]))]
    if draw(st.booleans()):
        headers.append(b"Content-Encoding: gzip")
        body = gzip.compress(body)
        if draw(st.booleans()):
            body = body[:draw(st.integers(0, len(body)))]
    if draw(st.booleans()):
        headers.append(b"Transfer-Encoding: chunked")
        pieces, pos = [], 0
        while pos < len(body):
            n = draw(st.integers(1, 4096))
            size = draw(st.one_of(st.just(f"{n:x}"), st.sampled_from(["-6", "-1", "ffffffffffff", "zz", ""])))
            pieces.append(size.encode() + b"\r\n" + body[pos:pos + n] + b"\r\n")
            pos += n
        body = b"".join(pieces) + b"0\r\n\r\n"
    status = draw(st.sampled_from([b"200 OK", b"404 Not Found", b"200", b"", b"abc def"]))
    return b"HTTP/1.1 " + status + b"\r\n" + b"\r\n".join(headers) + b"\r\n\r\n" + body


@st.composite
def warc_file(draw) -> bytes:
    records = []
    for _ in range(draw(st.integers(1, 4))):
        block = draw(http_block())
        length = str(len(block)) if draw(st.integers(0, 3)) else draw(length_value)
        version = draw(st.sampled_from([b"WARC/1.0", b"WARC/1.1", b"WARC/", b"warc/1.0"]))
        headers = [b"WARC-Type: " + draw(st.sampled_from([b"response", b"request", b"warcinfo"])),
                   b"WARC-Target-URI: <http://example.test/" + draw(words).encode("utf-8", "replace") + b">",
                   b"Content-Type: application/http; msgtype=response",
                   b"Content-Length: " + length.encode("utf-8", "replace")]
        headers = draw(st.permutations(headers))
        record = version + b"\r\n" + b"\r\n".join(headers) + b"\r\n\r\n" + block + b"\r\n\r\n"
        records.append(gzip.compress(record) if draw(st.booleans()) else record)
    data = b"".join(records)
    if draw(st.integers(0, 4)) == 0:
        data = data[:draw(st.integers(0, len(data)))]
    return data


# ---------------------------------------------------------------------------
# RSS / Atom

xml_text = st.one_of(prose, st.sampled_from(["<b>bold</b>", "&amp;", "&nbsp;", "&bogus;", "<![CDATA[<p>x</p>]]>",
                                             "]]>", "<", "&#0;", "&#x110000;", "<script>x()</script>"]))
date_text = st.one_of(st.sampled_from(["Tue, 06 Apr 2021 23:30:00 -0500", "2021-04-06T10:00:00Z", "0001-01-01",
                                       "Mon, 31 Feb 2021 00:00:00 GMT", "9999-12-31T00:00:00Z", ""]), words)


@st.composite
def feed_file(draw) -> bytes:
    atom = draw(st.booleans())
    items = []
    for _ in range(draw(st.integers(0, 5))):
        title, body, date, link = draw(xml_text), draw(xml_text), draw(date_text), draw(words)
        if atom:
            items.append(f"<entry><title>{title}</title><link href='{link}'/><updated>{date}</updated>"
                         f"<content type='html'>{body}</content></entry>")
        else:
            items.append(f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
                         f"<guid>{draw(words)}</guid><description>{body}</description></item>")
    if atom:
        doc = f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>{draw(words)}</title>" \
              f"{''.join(items)}</feed>"
    else:
        doc = f"<?xml version='1.0'?><rss version='2.0'><channel><title>{draw(words)}</title>{''.join(items)}" \
              f"</channel></rss>"
    data = doc.encode("utf-8", "replace")
    if draw(st.integers(0, 4)) == 0:
        data = data[:draw(st.integers(0, len(data)))]
    return data


# ---------------------------------------------------------------------------
# CSV

cell = st.one_of(prose, date_text, st.integers().map(str), st.sampled_from(['"', '""', "a,b", "line\nbreak", "\t", ""]))


@st.composite
def csv_file(draw) -> bytes:
    columns = draw(st.permutations(["text", "title", "published", "id", "url", "source"]))[:draw(st.integers(1, 6))]
    columns += draw(st.lists(st.sampled_from(["extra", "notes", "date", ""]), max_size=2))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))

    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if draw(st.booleans()) else value

    lines = [delimiter.join(quote(c) for c in columns)]
    for _ in range(draw(st.integers(0, 6))):
        n = len(columns) + draw(st.sampled_from([0, 0, 0, -1, 1]))
        lines.append(delimiter.join(quote(draw(cell)) for _ in range(max(0, n))))
    data = "\n".join(lines).encode("utf-8", "replace")
    if draw(st.integers(0, 5)) == 0:
        data = data[:draw(st.integers(0, len(data)))] + draw(st.binary(max_size=8))
    return data


# ---------------------------------------------------------------------------
# JSONL

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), words, date_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(words, inner, max_size=4)),
    max_leaves=10,
)


@st.composite
def jsonl_file(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        obj = {key: draw(st.one_of(json_value, prose) if key == "text" else json_value)
               for key in draw(st.lists(st.sampled_from(["text", "title", "published", "id", "url", "source"]),
                                        unique=True, max_size=6))}
        line = json.dumps(obj, allow_nan=True)
        if draw(st.integers(0, 6)) == 0:
            line = line[:draw(st.integers(0, len(line)))]
        lines.append(line.encode("utf-8", "surrogatepass"))
    return b"\n".join(lines)


# ---------------------------------------------------------------------------

READERS: dict[str, tuple[Callable, str, str]] = {
    "warc": (warc_file, ".warc", "auto"),
    "feed": (feed_file, ".rss", "auto"),
    "csv": (csv_file, ".csv", "auto"),
    "jsonl": (jsonl_file, ".jsonl", "auto"),
}


def _fuzz(reliability, reader: str, examples: int) -> None:
    """``examples`` inputs of one reader (hypothesis's own bookkeeping grows about 50 KB an example, so
    memory is judged per input, in :func:`_check`)."""
    strategy, suffix, fmt = READERS[reader]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(data=strategy())
    def run(data: bytes) -> None:
        _run(reliability, reader, data, suffix, fmt)

    run()


@pytest.mark.parametrize("reader", sorted(READERS))
def test_readers_survive_structured_fuzzing(reliability, reader):
    _fuzz(reliability, reader, FAST)


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(READERS))
def test_readers_survive_ten_thousand_structured_inputs_each(reliability, reader):
    _fuzz(reliability, reader, SLOW)
