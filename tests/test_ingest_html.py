"""HTML pages and saved web archives -> RawInput (wirewatch.ingest.html)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wirewatch.ingest import split_articles
from wirewatch.ingest.html import (
    looks_like_html,
    looks_like_mhtml,
    read_html,
    read_mhtml,
    strip_html,
)
from wirewatch.ingest.readers import InputFailure
from wirewatch.models import RawInput

INPUTS = Path(__file__).parent / "data" / "inputs"


@pytest.fixture(scope="module")
def page() -> RawInput:
    raw = read_html((INPUTS / "article.html").read_bytes(), origin="article.html")
    assert isinstance(raw, RawInput), raw
    return raw


def test_page_metadata_comes_from_the_page(page: RawInput) -> None:
    assert page.origin == "article.html"
    assert page.title == "Militants storm army post near Mopti, killing nine soldiers"
    assert page.published == dt.date(2019, 3, 14)
    assert page.published_basis == "metadata"
    assert page.url == "https://www.saheldaily.example/world/2019/03/14/militants-storm-army-post-mopti"
    assert page.source == "Sahel Daily"
    assert page.single_article


def test_page_text_is_the_article_without_boilerplate(page: RawInput) -> None:
    text = page.text
    assert "Gunmen on motorbikes attacked an army post" in text
    assert "fled towards Sevare" in text
    for junk in ("Sign in", "Most read", "Cup final", "analytics", "font-family", "All rights reserved"):
        assert junk not in text, junk
    # paragraphs are separated by blank lines, as in a wire report
    assert "the defence ministry said.\n\nThe attackers seized" in text


def test_page_splits_into_one_report_with_headline_and_byline(page: RawInput) -> None:
    (article,) = split_articles(page)
    assert article.headline == page.title
    assert article.bylines == ["Aminata Keita"]
    assert article.dateline == "BAMAKO"
    assert article.body.startswith("Gunmen on motorbikes")
    assert article.url == page.url and article.source == "Sahel Daily" and article.origin == "article.html"


def test_url_argument_is_used_when_the_page_has_no_canonical_link() -> None:
    html = ("<html><head><title>Clashes in Kidal</title></head><body><article>"
            "<p>Rebels and soldiers fought for several hours in the northern Malian town of Kidal on Friday, "
            "residents said, but there was no word on casualties.</p></article></body></html>").encode()
    raw = read_html(html, origin="https://example.org/kidal", url="https://example.org/kidal")
    assert isinstance(raw, RawInput)
    assert raw.url == "https://example.org/kidal"
    assert raw.published is None
    assert raw.text.startswith("Clashes in Kidal\n\nRebels and soldiers")


def test_index_page_without_article_text_is_a_failure_with_a_reason() -> None:
    result = read_html((INPUTS / "index_page.html").read_bytes(), origin="index_page.html")
    assert isinstance(result, InputFailure)
    assert result.origin == "index_page.html"
    assert "no article text" in result.reason


@pytest.mark.parametrize("data, reason", [(b"", "empty"), (b"   \n", "empty")])
def test_empty_page_is_a_failure(data: bytes, reason: str) -> None:
    result = read_html(data, origin="x.html")
    assert isinstance(result, InputFailure) and reason in result.reason


def test_oversized_page_is_rejected_before_parsing() -> None:
    result = read_html(b"<html>" + b"x" * 5000 + b"</html>", origin="big.html", max_bytes=1000)
    assert isinstance(result, InputFailure)
    assert "larger than the limit" in result.reason


def test_saved_web_archive_gives_the_archived_page() -> None:
    data = (INPUTS / "article.mhtml").read_bytes()
    assert looks_like_mhtml(data) and not looks_like_html(data)
    for reader in (read_html, read_mhtml):
        raw = reader(data, origin="article.mhtml")
        assert isinstance(raw, RawInput), raw
        assert raw.title == "Boat carrying displaced families capsizes on Lake Chad"
        assert raw.url == "https://www.lakeside-tribune.example/africa/2020/06/02/boat-capsizes-lake-chad"
        assert raw.published == dt.date(2020, 6, 2)
        assert raw.source == "Lakeside Tribune"
        # quoted-printable undone and UTF-8 decoded; the image part is not text
        assert "Mahamat Abdelkérim" in raw.text
        assert "=3D" not in raw.text and "PNG" not in raw.text
        assert "Front page" not in raw.text


def test_read_mhtml_refuses_a_plain_html_page() -> None:
    result = read_mhtml((INPUTS / "article.html").read_bytes(), origin="article.html")
    assert isinstance(result, InputFailure) and "not a web archive" in result.reason


def test_web_archive_without_html_part_is_a_failure() -> None:
    data = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b1"\r\n\r\n'
            b"--b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b1--\r\n")
    result = read_html(data, origin="pic.mhtml")
    assert isinstance(result, InputFailure) and "no text/html part" in result.reason


def test_sniffing() -> None:
    assert looks_like_html((INPUTS / "article.html").read_bytes())
    assert looks_like_html(b"\xef\xbb\xbf  <html><body><p>x</p></body></html>")
    assert not looks_like_html(b"BEIRUT (Reuters) - Fighting continued on Monday.\n")
    assert not looks_like_mhtml(b"Subject: hello\r\n\r\nplain mail\r\n")


def test_strip_html_keeps_paragraphs_and_drops_scripts() -> None:
    text = strip_html("<p>First <b>bold</b> line.</p><script>var x = '<p>no</p>';</script>"
                      "<div>Second &amp; last<br>line</div>")
    assert text == "First bold line.\n\nSecond & last\n\nline"


def _warc_record(kind: str, uri: str, block: bytes) -> bytes:
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: 2019-03-14T19:00:00Z\r\nContent-Type: application/http; msgtype={kind}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"


def _warc(*, gzipped: bool) -> bytes:
    import gzip

    page = (INPUTS / "article.html").read_bytes()
    body = gzip.compress(page)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 100]), body[i:i + 100]) for i in range(0, len(body), 100))
    records = [
        _warc_record("request", "https://www.saheldaily.example/x", b"GET /x HTTP/1.1\r\nHost: example\r\n\r\n"),
        _warc_record("response", "https://www.saheldaily.example/x",
                     b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n" + chunked + b"0\r\n\r\n"),
        _warc_record("response", "https://www.saheldaily.example/logo.png",
                     b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n"),
        _warc_record("response", "https://www.saheldaily.example/gone",
                     b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>gone</html>"),
    ]
    return b"".join(gzip.compress(r) for r in records) if gzipped else b"".join(records)


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses_are_read_as_pages(gzipped: bool) -> None:
    from wirewatch.ingest.warc import looks_like_warc, read_warc

    data = _warc(gzipped=gzipped)
    assert looks_like_warc(data)
    (raw,) = read_warc(data, origin="crawl.warc")
    assert isinstance(raw, RawInput), raw
    assert raw.origin == "crawl.warc#https://www.saheldaily.example/x"
    assert raw.url == "https://www.saheldaily.example/world/2019/03/14/militants-storm-army-post-mopti"  # canonical
    assert raw.published == dt.date(2019, 3, 14)
    assert "Gunmen on motorbikes attacked an army post" in raw.text


def test_warc_limits_and_garbage() -> None:
    from wirewatch.ingest.warc import read_warc

    (failure,) = read_warc(_warc(gzipped=True), origin="c.warc.gz", max_bytes=1000)
    assert isinstance(failure, InputFailure) and "inflates beyond" in failure.reason
    (failure,) = read_warc(b"<html></html>", origin="c.warc")
    assert isinstance(failure, InputFailure) and "not a WARC" in failure.reason


def test_user_date_and_source_fill_in_only_what_the_page_lacks() -> None:
    html = ("<html><head><title>Clashes in Kidal</title></head><body><article>"
            "<p>Rebels and soldiers fought for several hours in the northern Malian town of Kidal on Friday, "
            "residents said, but there was no word on casualties.</p></article></body></html>").encode()
    raw = read_html(html, origin="k.html", published=dt.date(2017, 5, 5), source="Archive")
    assert (raw.published, raw.published_basis, raw.source) == (dt.date(2017, 5, 5), "user", "Archive")
    page = read_html((INPUTS / "article.html").read_bytes(), origin="a.html", published=dt.date(2017, 5, 5),
                     source="Archive")
    assert (page.published, page.published_basis, page.source) == (dt.date(2019, 3, 14), "metadata", "Sahel Daily")
