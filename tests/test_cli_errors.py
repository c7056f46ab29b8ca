"""CLI error paths: an output in a missing folder is a one-line error (exit 1) before any work and leaves
no file; an output that fails half-way leaves none either; Markdown reports go to stdout without -o."""

from __future__ import annotations

import csv
import dataclasses
import http.server
import io
import json
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_review import _machine_events
from wirewatch.cli.main import main
from wirewatch.export.outputs import OutputError, output_file
from wirewatch.review import ReviewAction
from wirewatch.store.sqlite import SQLiteStore


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "e.db"
    with SQLiteStore.open(path) as store:
        store.replace_events(_machine_events(), run_id=None, history=[])
    return path


@pytest.mark.parametrize("args", [
    ["export", "--format", "acled", "-o", "{tmp}/missing/dir/x.csv"],
    ["report", "-o", "{tmp}/missing/r.html"],
    ["report", "--format", "md", "-o", "{tmp}/missing/r.md"],
])
def test_an_output_in_a_missing_folder_is_one_line_and_exit_1(db: Path, tmp_path: Path, args: list[str]) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    r = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert r.exit_code == 1, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write") and "does not exist" in lines[0]
    assert "Traceback" not in r.output
    assert not (tmp_path / "missing").exists()


def test_an_output_that_is_a_folder_is_refused(db: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["export", "-o", str(tmp_path), "--db", str(db)])
    assert r.exit_code == 1 and "is a folder" in r.stderr


def test_a_writer_failing_half_way_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "events.csv"
    target.write_text("old complete export\n", encoding="utf-8")
    with pytest.raises(RuntimeError), output_file(target) as out:
        out.write("half of a new export")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old complete export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]  # no temporary file left
    with output_file(target) as out:
        out.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    with pytest.raises(OutputError):
        with output_file(tmp_path / "nope" / "x.csv"):
            pass


def test_a_finished_output_has_the_mode_a_plain_open_gives(tmp_path: Path) -> None:
    """Not the temporary file's private 0600: a report is meant to be shared."""
    import os
    import stat

    old = os.umask(0o022)
    try:
        with output_file(tmp_path / "r.html") as out:
            out.write("<p>report</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o644


def test_export_to_a_file_writes_it_whole(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    r = CliRunner().invoke(main, ["export", "--format", "acled", "-o", str(out), "--db", str(db)])
    assert r.exit_code == 0 and "2 events written" in r.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_markdown_report_without_o_prints_to_stdout(db: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["report", "--format", "md", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert r.stdout.lstrip().startswith("#") and "Somalia" in r.stdout
    assert not list(tmp_path.glob("*.md"))


def test_report_country_takes_a_name_and_refuses_an_unknown_one(db: Path) -> None:
    by_name = CliRunner().invoke(main, ["report", "--format", "md", "--country", "somalia", "--db", str(db)])
    by_code = CliRunner().invoke(main, ["report", "--format", "md", "--country", "SO", "--db", str(db)])
    assert by_name.exit_code == 0 and by_name.stdout.split("\n", 3)[3] == by_code.stdout.split("\n", 3)[3]
    bad = CliRunner().invoke(main, ["report", "--format", "md", "--country", "Atlantis", "--db", str(db)])
    assert bad.exit_code == 2 and "unknown country" in bad.stderr


def test_ingest_format_csv_is_honoured_whatever_the_file_is_called(tmp_path: Path) -> None:
    table = tmp_path / "wire.acled"
    table.write_text("id,title,text,published\n"
                     'r-1,Fighting near Goma,"Soldiers and rebels fought near Goma on Monday, killing four fighters,'
                     ' an army spokesman said.",2024-02-06\n', encoding="utf-8")
    db = str(tmp_path / "t.db")
    r = CliRunner().invoke(main, ["ingest", "--format", "csv", str(table), "--db", db])
    assert r.exit_code == 0, r.output
    arts = [json.loads(x) for x in CliRunner().invoke(main, ["articles", "--db", db]).stdout.splitlines()]
    assert [(a["external_id"], a["headline"], a["published"]) for a in arts] == [
        ("r-1", "Fighting near Goma", "2024-02-06")]


class _NotFound(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


def test_watch_exits_1_when_a_feed_fails(tmp_path: Path) -> None:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"
    try:
        missing = f"http://127.0.0.1:{srv.server_address[1]}/feed.xml"
        for feed in (missing, refused):
            r = CliRunner().invoke(main, ["watch", feed, "--iterations", "1", "--db", str(tmp_path / "w.db")])
            assert r.exit_code == 1, r.output
            assert f"failed: {feed}" in r.stderr
    finally:
        srv.shutdown()
        thread.join(timeout=5)


def test_ctrl_c_says_what_was_stored_and_a_rerun_finishes(tmp_path: Path, sample_wire: Path, monkeypatch) -> None:
    import wirewatch.pipeline.batch

    db = str(tmp_path / "i.db")

    def interrupted(*args: object, **kw: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:  # Ctrl-C lands when every article is stored, as the merge starts
        m.setattr(wirewatch.pipeline.batch, "refresh_events", interrupted)
        r = CliRunner().invoke(main, ["ingest", str(sample_wire), "--db", db])
    assert r.exit_code == 130
    assert "interrupted: 11 new article(s) stored" in r.stderr and "Run the same command again" in r.stderr
    s = CliRunner().invoke(main, ["summary", "--db", db])
    assert s.stdout.startswith("11 articles, 0 events") and "run the same `wirewatch ingest` again" in s.stderr
    again = CliRunner().invoke(main, ["ingest", str(sample_wire), "--db", db])
    assert again.exit_code == 0 and "0 new" in again.stderr
    s = CliRunner().invoke(main, ["summary", "--db", db])
    assert not s.stdout.startswith("11 articles, 0 events") and "not merged" not in s.stderr


def test_input_total_counts_rows_when_the_input_says_how_many(tmp_path: Path, sample_wire: Path) -> None:
    from wirewatch.cli.common import input_total

    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps({"text": f"item {i}"}) + "\n" for i in range(7)) + "\n", encoding="utf-8")
    table = tmp_path / "b.csv"
    table.write_text('text,title\n"two\nlines",x\nthree,y\n', encoding="utf-8")
    assert input_total([str(jsonl)], fmt="auto") == 7
    assert input_total([str(jsonl), str(table)], fmt="auto") == 9
    assert input_total([str(sample_wire)], fmt="auto") is None  # a wire dump: unknown until split
    assert input_total(["-"], fmt="jsonl") is None


def test_exports_say_what_they_leave_out_and_why(db: Path) -> None:
    with SQLiteStore.open(db) as store:
        store.review(ReviewAction("ev-bai", "reject", "ana"))
    r = CliRunner().invoke(main, ["export", "--format", "acled", "--db", str(db)])
    assert r.exit_code == 0 and "note: 1 event(s) rejected in review left out" in r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["iso"], x["region"], x["country"]) for x in rows] == [("706", "Eastern Africa", "Somalia")]
    asked = CliRunner().invoke(main, ["export", "--format", "acled", "--include-rejected", "--db", str(db)])
    assert sorted(x["event_id_cnty"] for x in csv.DictReader(io.StringIO(asked.stdout))) == ["ev-bai", "ev-kis"]
    assert "rejected" not in asked.stderr
    r = CliRunner().invoke(main, ["export", "--reviewed-only", "--db", str(db)])
    assert r.stdout == "" and "1 event(s) not reviewed left out" in r.stderr


def test_ucdp_export_holds_only_events_with_deaths(db: Path, tmp_path: Path) -> None:
    deathless = dataclasses.replace(_machine_events()[1], id="ev-none", fatalities=0, fatalities_low=None,
                                    fatalities_best=None, fatalities_high=None, mention_ids=["m-x"])
    clash = dataclasses.replace(_machine_events()[0], inter1=2, inter2=1, fatalities_low=5, fatalities_best=5,
                                fatalities_high=6)  # a rebel group against the army: state-based violence
    with SQLiteStore.open(db) as store:
        store.update_events([deathless, clash], removed=[], run_id=None, history=[])
    r = CliRunner().invoke(main, ["export", "--format", "ucdp", "--include-extensions", "--db", str(db)])
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["best"], x["high"]) for x in rows] == [("5", "6")]
    # ev-bai (no figure beside its fatality count) and ev-none (none at all) have no reported death
    assert "ev-none" not in r.stdout and "2 event(s) left out: no reported death" in r.stderr
