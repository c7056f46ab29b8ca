"""CSV/TSV and JSONL corpora -> RawInput per row (wirewatch.ingest.tabular)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from wirewatch.ingest import split_articles
from wirewatch.ingest.readers import InputFailure
from wirewatch.ingest.tabular import parse_date, read_table
from wirewatch.models import RawInput

INPUTS = Path(__file__).parent / "data" / "inputs"
CUSTOM = {"text": "body", "published": "when", "title": "headline", "url": "link", "source": "outlet", "id": "ref"}


@pytest.mark.parametrize("value, expected", [
    ("2016-01-11 10:20:00", dt.date(2016, 1, 11)),
    ("2016-01-11T23:20:00-05:00", dt.date(2016, 1, 11)),  # the day as written, no zone shift
    ("2016-01-11", dt.date(2016, 1, 11)),
    ("20160111", dt.date(2016, 1, 11)),
    ("21 March 2020", dt.date(2020, 3, 21)),
    ("21st March, 2020", dt.date(2020, 3, 21)),
    ("21-Mar-2020", dt.date(2020, 3, 21)),
    ("March 21, 2020", dt.date(2020, 3, 21)),
    ("Saturday, 21 March 2020", dt.date(2020, 3, 21)),
    ("11/01/2016", dt.date(2016, 1, 11)),  # day first, as ACLED 2016 writes it
    ("11.01.2016", dt.date(2016, 1, 11)),
    ("01/13/2016", dt.date(2016, 1, 13)),  # impossible month: read month first
    ("2016/01/11", dt.date(2016, 1, 11)),
    ("31/02/2016", None),
    ("2016-13-01", None),
    ("sometime in February", None),
    ("", None),
])
def test_parse_date(value: str, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_parse_date_month_first_on_request() -> None:
    assert parse_date("11/01/2016", dayfirst=False) == dt.date(2016, 11, 1)


def test_jsonl_with_default_column_names() -> None:
    items = list(read_table(INPUTS / "corpus.jsonl"))
    ok = [i for i in items if isinstance(i, RawInput)]
    bad = {i.origin.rsplit(":", 1)[1]: i.reason for i in items if isinstance(i, InputFailure)}
    assert [r.external_id for r in ok] == ["2016-02-03-yemen-port-strike", "2016-02-04-markets"]
    first = ok[0]
    assert first.origin == f"{INPUTS / 'corpus.jsonl'}:1"
    assert first.title == "Air strike on Yemen port kills fishermen"
    assert first.published == dt.date(2016, 2, 3) and first.published_basis == "metadata"
    assert first.url == "http://wire.example/yemen-port-strike"
    assert first.single_article
    assert ok[1].published == dt.date(2016, 2, 4)
    # line 3 is blank; 4 has empty text; 5 an unreadable date; 6 is not JSON
    assert set(bad) == {"4", "5", "6"}
    assert "no text" in bad["4"]
    assert "sometime in February" in bad["5"] and "post_date" in bad["5"]
    assert "not a JSON object" in bad["6"]


def test_list_valued_text_column_is_joined_as_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "paras.jsonl"
    path.write_text(json.dumps({"paragraphs": ["First paragraph here.", "Second one."], "date": "2016-05-02"}) + "\n")
    (raw,) = read_table(path, columns={"text": "paragraphs"})
    assert raw.text == "First paragraph here.\n\nSecond one.\n"


def test_csv_with_custom_column_names() -> None:
    items = list(read_table(INPUTS / "corpus_custom.csv", columns=CUSTOM))
    assert [type(i).__name__ for i in items] == ["RawInput", "RawInput", "InputFailure", "RawInput"]
    first, second, empty, fourth = items
    assert first.external_id == "BUR-101"
    assert first.published == dt.date(2016, 3, 21)  # 21/03/2016
    assert first.title == "Gunmen attack hotel in Grand-Bassam"
    assert first.url == "https://coastpost.example/bassam" and first.source == "Coast Post"
    assert "\n\nSecurity forces killed three attackers" in first.text  # quoted multi-line cell
    assert second.published == dt.date(2016, 1, 11)  # 11/01/2016 is day first
    assert second.url is None
    assert empty.origin == f"{INPUTS / 'corpus_custom.csv'}:4"  # record 4 counting the header as 1
    assert "'body'" in empty.reason
    assert fourth.published == dt.date(2020, 3, 21) and fourth.source is None


def test_csv_row_splits_into_a_report() -> None:
    first = next(read_table(INPUTS / "corpus_custom.csv", columns=CUSTOM))
    (article,) = split_articles(first)
    assert article.headline == "Gunmen attack hotel in Grand-Bassam"
    assert article.external_id == "BUR-101"
    assert article.body.startswith("Gunmen opened fire")


def test_defaults_apply_to_rows_without_their_own(tmp_path: Path) -> None:
    items = list(read_table(INPUTS / "corpus_custom.csv", columns={"text": "body"}, published=dt.date(2016, 6, 1),
                            source="Archive"))
    ok = [i for i in items if isinstance(i, RawInput)]
    assert {r.published for r in ok} == {dt.date(2016, 6, 1)}
    assert {r.published_basis for r in ok} == {"user"}
    assert {r.source for r in ok} == {"Archive"}


def test_a_mapped_column_missing_from_the_header_fails_the_file_once() -> None:
    items = list(read_table(INPUTS / "corpus_custom.csv", columns={"text": "story"}))
    assert len(items) == 1 and isinstance(items[0], InputFailure)
    assert "no column 'story'" in items[0].reason and "body" in items[0].reason


def test_csv_without_a_text_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    (failure,) = read_table(path)
    assert isinstance(failure, InputFailure) and "no text column" in failure.reason


def test_unknown_field_and_unknown_format(tmp_path: Path) -> None:
    (failure,) = read_table(INPUTS / "corpus_custom.csv", columns={"txt": "body"})
    assert "unknown field" in failure.reason and "txt" in failure.reason
    path = tmp_path / "x.dat"
    path.write_text("text\nhello\n")
    (failure,) = read_table(path)
    assert "format" in failure.reason
    (raw,) = read_table(path, fmt="csv")
    assert raw.text == "hello\n"


def test_tsv_and_acled_style_columns_by_default(tmp_path: Path) -> None:
    path = tmp_path / "events.tsv"
    path.write_text("EVENT_ID_CNTY\tEVENT_DATE\tSOURCE\tNOTES\n"
                    "XYZ1\t05/02/2016\tLocal Radio\tSoldiers clashed with militia fighters near Beni.\n")
    (raw,) = read_table(path)
    assert isinstance(raw, RawInput), raw
    assert (raw.external_id, raw.published, raw.source) == ("XYZ1", dt.date(2016, 2, 5), "Local Radio")


def test_rows_stream_until_a_decoding_error(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    good = "".join(f"row {i},Fighters attacked a village on day {i}.\n" for i in range(2000))
    path.write_bytes(b"title,text\n" + good.encode() + b"late row,caf\xe9 latin-1 text\n")
    items = read_table(path)
    first = next(items)
    assert isinstance(first, RawInput) and first.title == "row 0"
    rest = list(items)
    assert sum(isinstance(i, RawInput) for i in rest) >= 1000  # rows before the bad block still come through
    assert isinstance(rest[-1], InputFailure) and "UTF-8" in rest[-1].reason


def test_reuters_topnews_corpus_reads_with_default_columns(shared: Path) -> None:
    path = shared / "eval" / "reuters-topnews-2016" / "reuters_topnews_2016H1.jsonl"
    if not path.exists():
        pytest.skip("reuters-topnews-2016 not present")
    n = 0
    with path.open("rb") as fh:
        for item, line in zip(read_table(path), fh):
            obj = json.loads(line)
            assert isinstance(item, RawInput), item
            assert item.external_id == obj["id"]
            assert item.published == dt.date.fromisoformat(obj["post_date"][:10])
            assert item.url == obj["original_link"] and item.title == " ".join(obj["title"].split())
            n += 1
    assert n == 2622
