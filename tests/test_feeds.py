"""RSS 2.0 and Atom feeds -> RawInput per item (wirewatch.ingest.feeds)."""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
from pathlib import Path

import pytest

from wirewatch.ingest import split_articles
from wirewatch.ingest.feeds import looks_like_feed, read_feed
from wirewatch.ingest.readers import InputFailure
from wirewatch.models import RawInput

INPUTS = Path(__file__).parent / "data" / "inputs"


def _billion_laughs(levels: int = 10) -> bytes:
    decls = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        decls.append(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">')
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(decls) + "\n]>\n"
            '<rss version="2.0"><channel><title>Bomb</title><item><title>x</title>'
            f"<description>&lol{levels - 1};</description></item></channel></rss>").encode()


def _quadratic_blowup(size: int = 50_000, refs: int = 50_000) -> bytes:
    return ('<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "' + "a" * size + '">]>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>Q</title><entry><id>1</id>'
            "<summary>" + "&a;" * refs + "</summary></entry></feed>").encode()


@pytest.fixture(scope="module")
def rss() -> list[RawInput | InputFailure]:
    return list(read_feed((INPUTS / "feed_rss2.xml").read_bytes(), origin="feed_rss2.xml"))


@pytest.fixture(scope="module")
def atom() -> list[RawInput | InputFailure]:
    return list(read_feed((INPUTS / "feed_atom.xml").read_bytes(), origin="https://levant-monitor.example/atom.xml"))


def test_rss_items_carry_their_metadata(rss: list) -> None:
    first, second, third = rss
    assert isinstance(first, RawInput) and isinstance(second, RawInput)
    assert first.title == "Car bomb kills six near Mogadishu checkpoint"
    assert first.external_id == "hornwire-20210406-0001"
    assert first.url == "https://hornwire.example/news/2021/04/06/car-bomb-mogadishu"
    assert first.source == "Horn Wire - Top News"
    assert first.origin == "feed_rss2.xml#hornwire-20210406-0001"
    assert first.single_article and first.published_basis == "metadata"
    # the publisher's own calendar day: 23:30 at -0500 is already 7 April in UTC
    assert first.published == dt.date(2021, 4, 6)
    assert second.published == dt.date(2021, 4, 5)


def test_rss_text_prefers_full_content_and_strips_html(rss: list) -> None:
    first, second, _ = rss
    assert "Ambulance workers said at least 11 wounded" in first.text  # only in content:encoded
    assert "alert" not in first.text and "<p>" not in first.text
    assert "Local officials said the fighting began" in second.text  # escaped HTML in <description>
    assert "&lt;" not in second.text and "<p>" not in second.text


def test_rss_item_without_text_is_a_failure_naming_the_item(rss: list) -> None:
    third = rss[2]
    assert isinstance(third, InputFailure)
    assert third.origin == "feed_rss2.xml#hornwire-gallery-2021-14"
    assert "no text" in third.reason


def test_rss_item_splits_into_a_report_with_headline_byline_and_dateline(rss: list) -> None:
    (article,) = split_articles(rss[0])
    assert article.headline == "Car bomb kills six near Mogadishu checkpoint"
    assert article.bylines == ["Abdi Farah"]
    assert article.dateline == "MOGADISHU"
    assert article.body.startswith("A car bomb exploded at a police checkpoint")
    assert article.external_id == "hornwire-20210406-0001"


def test_atom_entries(atom: list) -> None:
    first, second = atom
    assert isinstance(first, RawInput) and isinstance(second, RawInput)
    assert first.title == "Air strikes hit rebel-held town in Idlib province"  # HTML title stripped
    assert first.published == dt.date(2016, 3, 24)  # <published>, not <updated>
    assert first.url == "https://levant-monitor.example/2016/03/24/idlib-air-strikes"
    assert first.external_id == "tag:levant-monitor.example,2016:entry-3318"
    assert first.source == "Levant Monitor"
    assert "killing at least 12 civilians" in first.text and "Air strikes hit a town in Idlib." not in first.text
    assert second.published == dt.date(2016, 3, 23)  # only <updated>
    assert "\n\nIslamic State did not comment on the report." in second.text  # plain-text paragraphs kept


def test_billion_laughs_is_rejected_without_memory_growth() -> None:
    bomb = _billion_laughs()
    tracemalloc.start()
    items = list(read_feed(bomb, origin="bomb.xml"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], InputFailure)
    assert "entities" in items[0].reason
    assert peak < 5_000_000  # no entity was expanded


def test_feedparser_itself_does_not_expand_the_billion_laughs() -> None:
    """What the explicit rejection guards against: check feedparser's own behaviour on the bomb."""
    import feedparser

    tracemalloc.start()
    parsed = feedparser.parse(_billion_laughs())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20_000_000
    text = "".join(e.get("summary", "") for e in parsed.entries)
    assert "lollollol" not in text and len(text) < 1000


def test_quadratic_blowup_is_rejected() -> None:
    items = list(read_feed(_quadratic_blowup(), origin="q.xml"))
    assert len(items) == 1 and isinstance(items[0], InputFailure) and "entities" in items[0].reason


def test_oversized_feed_is_rejected_before_parsing() -> None:
    data = (INPUTS / "feed_rss2.xml").read_bytes()
    items = list(read_feed(data, origin="f.xml", max_bytes=len(data) - 1))
    assert len(items) == 1 and "larger than the limit" in items[0].reason


def test_a_page_that_is_not_a_feed_is_one_failure() -> None:
    items = list(read_feed((INPUTS / "article.html").read_bytes(), origin="article.html"))
    assert len(items) == 1 and isinstance(items[0], InputFailure)
    assert items[0].origin == "article.html" and "not an RSS or Atom feed" in items[0].reason


def test_feed_without_items_yields_nothing() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert list(read_feed(data, origin="quiet.xml")) == []


def test_sniffing() -> None:
    assert looks_like_feed((INPUTS / "feed_rss2.xml").read_bytes())
    assert looks_like_feed((INPUTS / "feed_atom.xml").read_bytes())
    assert not looks_like_feed((INPUTS / "article.html").read_bytes())
    assert not looks_like_feed(b"MOGADISHU (Reuters) - A bomb exploded.\n")


def test_user_date_and_source_apply_only_where_the_feed_has_none() -> None:
    data = (b'<?xml version="1.0"?><rss version="2.0"><channel>'
            b"<item><guid>n1</guid><description>Police arrested 30 people after a night of rioting in the "
            b"port city of Mombasa, officials said.</description></item>"
            b"<item><guid>n2</guid><pubDate>Wed, 09 Mar 2016 10:00:00 +0300</pubDate><description>Troops "
            b"regained control of a town in Lower Shabelle, the army said.</description></item>"
            b"</channel></rss>")
    undated, dated = read_feed(data, origin="untitled.xml", published=dt.date(2016, 3, 1), source="Coast Desk")
    assert (undated.published, undated.published_basis, undated.source) == (dt.date(2016, 3, 1), "user", "Coast Desk")
    assert (dated.published, dated.published_basis) == (dt.date(2016, 3, 9), "metadata")
