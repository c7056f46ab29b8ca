"""The CLI end to end, in-process: exit codes, stderr messages, idempotent re-ingest, exports."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from wirewatch.cli.main import main


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, runner, sample_wire):
    db = tmp_path_factory.mktemp("db") / "sample.db"
    res = runner.invoke(main, ["ingest", "--db", str(db), str(sample_wire)])
    assert res.exit_code == 0, res.output
    return db


def _export(runner, db, fmt="jsonl"):
    res = runner.invoke(main, ["export", "--db", str(db), "--format", fmt])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_every_command_has_help(runner):
    for cmd in main.commands.values():
        assert cmd.help, f"{cmd.name} lacks help text"
        res = runner.invoke(main, [cmd.name, "--help"])
        assert res.exit_code == 0, res.output
        assert "--db" in res.output or cmd.name in ("extract", "geoparse", "eval", "gazetteer", "stages",
                                                           "review")  # groups: their commands take --db


def test_usage_error_exits_2(runner, tmp_path):
    res = runner.invoke(main, ["export", "--db", str(tmp_path / "x.db"), "--format", "xml"])
    assert res.exit_code == 2
    res = runner.invoke(main, ["ingest", "--published", "yesterday", "x.txt"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output


def test_ingest_stores_articles_and_events(runner, sample_db):
    res = runner.invoke(main, ["articles", "--db", str(sample_db)])
    assert res.exit_code == 0, res.output
    arts = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(arts) >= 8
    for a in arts:
        for key in ("id", "external_id", "headline", "agency", "dateline", "bylines", "published",
                    "published_basis", "captions", "body", "credits", "duplicate_of", "story_id"):
            assert key in a
    events = [json.loads(line) for line in _export(runner, sample_db).splitlines()]
    assert events, "the sample wire file reports events"
    for ev in events:
        assert ev["sources"] and ev["evidence"]
        assert ev["event_type"]


def test_reingest_is_byte_identical(runner, sample_db, sample_wire):
    before = sorted(_export(runner, sample_db).splitlines())
    res = runner.invoke(main, ["ingest", "--db", str(sample_db), str(sample_wire)])
    assert res.exit_code == 0, res.output
    after = sorted(_export(runner, sample_db).splitlines())
    assert before == after
    n = sqlite3.connect(sample_db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert n == len(json.loads("[" + ",".join(runner.invoke(main, ["articles", "--db", str(sample_db)])
                                              .stdout.splitlines()) + "]"))


def test_bad_inputs_are_named_and_skipped(runner, tmp_path, sample_wire):
    bad = tmp_path / "batch"
    bad.mkdir()
    (bad / "a_good.txt").write_text(sample_wire.read_text(encoding="utf-8"), encoding="utf-8")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "latin1.txt").write_bytes("Caf\xe9 bombing in the old town, police said.".encode("latin-1") + b"\xff\xfe")
    (bad / "oneline.txt").write_bytes(b"x" * (50 * 1024 * 1024))
    db = tmp_path / "b.db"
    res = runner.invoke(main, ["ingest", "--db", str(db), str(bad)])
    assert res.exit_code == 1, res.output
    err = res.stderr
    for name in ("binary.txt", "empty.txt", "latin1.txt", "oneline.txt"):
        assert name in err, f"{name} not reported: {err}"
    assert not [line for line in err.splitlines() if line.startswith("failed:") and "a_good.txt" in line]
    n = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert n >= 8, "the good file of the batch is stored"


def test_extract_prints_jsonl_without_a_db(runner, tmp_path, sample_wire, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(main, ["extract", str(sample_wire)])
    assert res.exit_code == 0, res.output
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert events
    assert not (tmp_path / "wirewatch.db").exists()


def test_undated_unplaced_one_line_reports_stay_separate_events(runner, tmp_path):
    # nothing (date, place, shared story) ties these two reports to one event
    lines = [{"id": "r1", "text": "A roadside bomb killed two soldiers on patrol."},
             {"id": "r2", "text": "A roadside bomb killed four soldiers on patrol."}]
    p = tmp_path / "two.jsonl"
    p.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    res = runner.invoke(main, ["extract", str(p)])
    assert res.exit_code == 0, res.output
    events = [json.loads(x) for x in res.stdout.splitlines()]
    assert sorted([s["external_id"] for s in e["sources"]] for e in events) == [["r1"], ["r2"]]
    assert sorted(e["fatalities"] for e in events) == [2, 4]


def test_jsonl_external_id_comes_back(runner, tmp_path):
    line = {"id": "ext-42", "published": "2017-03-04", "title": "Car bomb kills nine in Kismayo",
            "text": "KISMAYO, Somalia (Reuters) - A car bomb exploded at a checkpoint in the Somali port city "
                    "of Kismayo on Saturday, killing at least nine people, police said."}
    p = tmp_path / "one.jsonl"
    p.write_text(json.dumps(line) + "\n", encoding="utf-8")
    res = runner.invoke(main, ["extract", str(p)])
    assert res.exit_code == 0, res.output
    events = [json.loads(x) for x in res.stdout.splitlines()]
    assert events and all(s["external_id"] == "ext-42" for e in events for s in e["sources"])
    res = runner.invoke(main, ["geoparse", str(p)])
    assert res.exit_code == 0, res.output
    places = [json.loads(x) for x in res.stdout.splitlines()]
    assert any(pl["name"] == "Kismayo" for pl in places)
    for pl in places:
        assert line["text"][pl["start"]:pl["end"]] == pl["text"]
        assert pl["external_id"] == "ext-42"


def test_geoparse_places_an_unlisted_village_at_its_anchor_and_says_so(runner, tmp_path):
    # as the issue asks: a village the gazetteer lacks falls back to the town written beside it, flagged as such
    p = tmp_path / "village.txt"
    p.write_text("Mortars fell on the village of Qurtaylah near al-Bab on Friday, a monitor said.\n", encoding="utf-8")
    res = runner.invoke(main, ["geoparse", str(p)])
    assert res.exit_code == 0, res.output
    places = {pl["text"]: pl for pl in map(json.loads, res.stdout.splitlines())}
    village, town = places["Qurtaylah"], places["al-Bab"]
    assert village["relation"] == "anchor" and town["relation"] != "anchor"
    assert village["geonameid"] == town["geonameid"] and village["country_code"] == "SY"
    assert village["score"] < town["score"]


def test_two_lines_with_one_text_and_two_ids_each_come_back(runner, tmp_path):
    """The contract: a line's id comes back as external_id in every record made from it, even when another
    line carries the same text (two coders' notes, one story from two feeds)."""
    text = ("HERAT, Afghanistan (Wirewatch) - Gunmen shot dead three guards at a fuel depot on the edge of Herat"
            " city on Sunday, a police spokesman said.")
    src = tmp_path / "twins.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": text, "published": "2020-05-03"}) + "\n"
                           for i in ("first-line", "second-line")))
    db = tmp_path / "twins.db"
    for _ in range(2):  # a second ingest of the same file adds nothing
        res = runner.invoke(main, ["ingest", "--db", str(db), str(src)])
        assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["articles", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    arts = {a["external_id"]: a for a in map(json.loads, res.stdout.splitlines())}
    assert set(arts) == {"first-line", "second-line"}
    assert arts["second-line"]["duplicate_of"] == arts["first-line"]["id"]
    events = [json.loads(line) for line in _export(runner, db).splitlines()]
    assert len(events) == 1
    assert {s["external_id"] for s in events[0]["sources"]} == {"first-line", "second-line"}
    assert events[0]["fatalities"] == 3
