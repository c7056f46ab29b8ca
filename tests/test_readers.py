"""Reading inputs: files, directories, stdin, JSONL; bad inputs come back as failures."""

from __future__ import annotations

import datetime as dt
import io
import logging
import sys
from pathlib import Path

import pytest

from wirewatch.config import Settings
from wirewatch.ingest.readers import InputFailure, read_inputs
from wirewatch.models import RawInput

DATA = Path(__file__).parent / "data"
SETTINGS = Settings()


def read(paths, **kw):
    kw.setdefault("settings", SETTINGS)
    return list(read_inputs([str(p) for p in paths], **kw))


def only(items):
    assert len(items) == 1, items
    return items[0]


def test_text_file_is_one_raw_input_kept_as_given(sample_wire: Path) -> None:
    raw = only(read([sample_wire]))
    assert isinstance(raw, RawInput)
    assert raw.origin == str(sample_wire)
    assert raw.text == sample_wire.read_text(encoding="utf-8")
    assert raw.published is None and raw.external_id is None and not raw.single_article


def test_newlines_are_normalised_and_nothing_else(tmp_path: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes("Headline\r\n\r\nKABUL (Reuters) – Text  with  spaces.\rLast line\t\r\n".encode())
    raw = only(read([p]))
    assert raw.text == "Headline\n\nKABUL (Reuters) – Text  with  spaces.\nLast line\t\n"


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbfHeadline\n\nBody text.\n")
    assert only(read([p])).text == "Headline\n\nBody text.\n"


def test_published_and_source_apply_to_plain_files(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Some article text.\n", encoding="utf-8")
    raw = only(read([p], published=dt.date(2017, 3, 1), source="desk"))
    assert raw.published == dt.date(2017, 3, 1)
    assert raw.published_basis == "user"
    assert raw.source == "desk"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n  ", "only whitespace"),
        (b"PK\x03\x04\x00\x00binary", "binary content (NUL bytes)"),
        (bytes(range(1, 9)) * 50 + b"abc", "binary content"),
        ("Caf\u00e9 text\n".encode("cp1252"), "not valid UTF-8 at byte 3"),
    ],
)
def test_bad_files_are_failures_with_reasons(tmp_path: Path, content: bytes, reason: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    item = only(read([p]))
    assert isinstance(item, InputFailure)
    assert item.origin == str(p)
    assert reason in item.reason


def test_a_50_mb_single_line_is_not_prose(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        chunk = b"a" * (1 << 20)
        for _ in range(50):
            fh.write(chunk)
    item = only(read([p]))
    assert isinstance(item, InputFailure)
    assert item.reason == "a single line of 52,428,800 characters; not prose"


def test_one_over_long_line_among_others_is_named(tmp_path: Path) -> None:
    p = tmp_path / "long.txt"
    p.write_text("short line\n" + "x" * 2_000 + "\nshort again\n", encoding="utf-8")
    item = only(read([p], settings=Settings(max_line_chars=1_000)))
    assert isinstance(item, InputFailure)
    assert "line 2 has 2,000 characters" in item.reason


def test_input_larger_than_the_limit_is_rejected_not_truncated(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("word " * 500, encoding="utf-8")
    item = only(read([p], settings=Settings(max_input_bytes=1_000)))
    assert isinstance(item, InputFailure)
    assert "larger than the limit of 1,000 bytes" in item.reason


def test_missing_path_is_a_failure(tmp_path: Path) -> None:
    item = only(read([tmp_path / "nope.txt"]))
    assert isinstance(item, InputFailure)
    assert item.reason == "no such file or directory"


def test_directory_is_walked_recursively_sorted_skipping_hidden_and_other_types(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("first\n", encoding="utf-8")
    (tmp_path / "b" / "deep" / "c").write_text("third, no extension\n", encoding="utf-8")
    (tmp_path / "b" / "b.txt").write_text("second\n", encoding="utf-8")
    (tmp_path / "b" / "lines.jsonl").write_text('{"text": "from jsonl", "id": "j1"}\n', encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden\n", encoding="utf-8")
    (tmp_path / ".git" / "HEAD").write_text("ref\n", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4\x00")
    (tmp_path / "b" / "empty.txt").write_text("", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="wirewatch.ingest.readers"):
        items = read([tmp_path])
    texts = [i.text for i in items if isinstance(i, RawInput)]
    # sorted by path: a.txt, b/b.txt, b/deep/c, b/lines.jsonl
    assert texts == ["first\n", "second\n", "third, no extension\n", "from jsonl"]
    fails = [i for i in items if isinstance(i, InputFailure)]
    assert [(Path(f.origin).name, f.reason) for f in fails] == [("empty.txt", "empty file")]
    assert "report.pdf" in caplog.text and "'.pdf'" in caplog.text


def test_jsonl_lines_become_inputs_and_bad_lines_failures() -> None:
    path = DATA / "articles.jsonl"
    items = read([path], published=dt.date(2017, 1, 1), source="cli")
    by_origin = {i.origin: i for i in items}
    assert list(by_origin) == [f"{path}:{n}" for n in (1, 2, 3, 4, 6, 7)]

    first = by_origin[f"{path}:1"]
    assert isinstance(first, RawInput)
    assert first.external_id == "a-1" and first.title == "Bomb hits bus in Kabul"
    assert first.published == dt.date(2017, 3, 6) and first.published_basis == "metadata"
    assert first.url == "https://example.org/a-1" and first.source == "wire-a"
    assert first.single_article
    assert first.text.startswith("KABUL (Reuters) - A bomb")

    second = by_origin[f"{path}:2"]
    assert isinstance(second, RawInput)
    assert second.external_id == "42"  # ids come back as strings
    assert second.published == dt.date(2017, 1, 1) and second.published_basis == "user"
    assert second.source == "cli"

    assert isinstance(by_origin[f"{path}:3"], InputFailure)
    assert "not a JSON object" in by_origin[f"{path}:3"].reason
    assert 'no "text"' in by_origin[f"{path}:4"].reason
    assert "YYYY-MM-DD" in by_origin[f"{path}:6"].reason
    assert isinstance(by_origin[f"{path}:7"], RawInput)


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("Headline\r\n\r\nBEIRUT (Reuters) – Body.\r\n".encode()))
    raw = only(read(["-"]))
    assert isinstance(raw, RawInput)
    assert raw.origin == "-" and raw.text == "Headline\n\nBEIRUT (Reuters) – Body.\n"


def test_stdin_jsonl_is_read_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b'{"id": "x1", "text": "One."}\n{"id": "x2", "text": ""}\n'))
    items = read(["-"])
    assert isinstance(items[0], RawInput) and items[0].external_id == "x1" and items[0].origin == "-:1"
    assert isinstance(items[1], InputFailure) and items[1].origin == "-:2"


def test_stdin_binary_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"\x00\x01\x02"))
    item = only(read(["-"]))
    assert isinstance(item, InputFailure) and item.origin == "-"


def test_reading_is_lazy_one_file_at_a_time(tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"file {n}\n", encoding="utf-8")
    it = read_inputs([str(tmp_path)], settings=SETTINGS)
    first = next(it)
    assert isinstance(first, RawInput) and first.text == "file 0\n"
    (tmp_path / "2.txt").write_text("changed after the first was read\n", encoding="utf-8")
    rest = list(it)
    assert [r.text for r in rest] == ["file 1\n", "changed after the first was read\n"]


def test_a_text_that_begins_with_an_exclamation_mark_is_text_not_a_rejection(tmp_path):
    """The fuzzer's find: the reason for a rejection was once a string prefixed "!", so "!" itself failed."""
    from wirewatch.config import Settings
    from wirewatch.ingest import read_inputs
    from wirewatch.models import RawInput

    p = tmp_path / "bang.jsonl"
    p.write_text('{"text": "!"}\n{"text": "!Breaking: shelling in Idlib"}\n', encoding="utf-8")
    items = list(read_inputs([str(p)], settings=Settings()))
    assert [type(i) for i in items] == [RawInput, RawInput]
    assert [i.text for i in items] == ["!", "!Breaking: shelling in Idlib"]
