"""Analysts' review (wirewatch.review, store.reviews, `wirewatch review`): an overlay the machine never
overwrites.  Events are invented and written through the store's own write path; a machine re-merge is
the store's replace_events/update_events with the machine's (possibly changed) events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirewatch.cli.main import main
from wirewatch.models import Article, Claim, Event, Evidence, Location, SourceRef
from wirewatch.review import ReviewAction, ReviewError
from wirewatch.store.sqlite import SQLiteStore

D = dt.date
BODY_A = "Gunmen stormed a checkpoint outside Kismayo on Tuesday, killing five soldiers, a police officer said."
BODY_B = "Residents of Kismayo said the attack on the checkpoint left six soldiers dead."
BODY_C = "A roadside bomb hit a minibus near Baidoa on Tuesday, killing two passengers."


def _article(aid: str, body: str, day: dt.date) -> Article:
    return Article(id=aid, text=body, body=body, body_start=0, headline=f"Report {aid}", agency="Wire",
                   published=day, published_basis="metadata", origin="test")


def _machine_events(*, fatalities: int = 5, actor1: str = "Unidentified Armed Group") -> list[Event]:
    a, b, c = (_article("art-a", BODY_A, D(2024, 5, 8)), _article("art-b", BODY_B, D(2024, 5, 9)),
               _article("art-c", BODY_C, D(2024, 5, 8)))
    kis = Location("Kismayo", "Somalia", "SO", "Lower Juba", None, -0.358, 42.545, 55671, 1)
    bai = Location("Baidoa", "Somalia", "SO", "Bay", None, 3.113, 43.649, 64013, 1)

    def src(x: Article) -> SourceRef:
        return SourceRef(x.id, None, x.headline, x.agency, x.published, None)

    def evid(x: Article) -> Evidence:
        return Evidence(x.id, x.body, 0, len(x.body))

    five = Claim("killed", 5, 5, None, "five soldiers", "police", "art-a", BODY_A.index("five"),
                 BODY_A.index("five") + 13, a.published)
    six = Claim("killed", 6, 6, None, "six soldiers", "residents", "art-b", BODY_B.index("six"),
                BODY_B.index("six") + 12, b.published)
    return [
        Event("ev-kis", "Battles", "Armed clash", D(2024, 5, 7), D(2024, 5, 7), D(2024, 5, 7), 1, actor1=actor1,
              actor2="Military Forces of Somalia", location=kis, fatalities=fatalities, claims=[five, six],
              sources=[src(a), src(b)], evidence=[evid(a), evid(b)], mention_ids=["m-a", "m-b"],
              notes="Gunmen attacked a checkpoint."),
        Event("ev-bai", "Explosions/Remote violence", "Remote explosive/landmine/IED", D(2024, 5, 7), D(2024, 5, 7),
              D(2024, 5, 7), 1, location=bai, fatalities=2, sources=[src(c)], evidence=[evid(c)],
              mention_ids=["m-c"], notes="A bomb hit a minibus."),
    ]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    with SQLiteStore.open(path) as store:
        for aid, body in (("art-a", BODY_A), ("art-b", BODY_B), ("art-c", BODY_C)):
            store.add_article(_article(aid, body, D(2024, 5, 8)), [], run_id=None)
        store.replace_events(_machine_events(), run_id=None, history=[])
    return path


def _act(action: str, eid: str = "ev-kis", **kw) -> ReviewAction:
    return ReviewAction(event_id=eid, action=action, reviewer="ana", reason="checked", **kw)


def _shown(path: Path) -> dict[str, Event]:
    with SQLiteStore.open(path) as store:
        return {e.id: e for e in store.events()}


def test_reject_hides_the_event_from_readers_until_accepted(db: Path) -> None:
    with SQLiteStore.open(db) as store:
        store.review(_act("reject"))
        assert {e.id for e in store.events()} == {"ev-bai"}
        assert [e.id for e in store.rejected_events()] == ["ev-kis"]
        store.review(_act("accept"))
        assert {e.id for e in store.events()} == {"ev-kis", "ev-bai"}
        assert store.reviewed_ids() == {"ev-kis"}


def test_a_rejected_event_stays_rejected_after_a_remerge(db: Path) -> None:
    with SQLiteStore.open(db) as store:
        store.review(_act("reject"))
        store.replace_events(_machine_events(fatalities=6), run_id=None, history=[])  # a full re-merge
        assert {e.id for e in store.events()} == {"ev-bai"}
        store.update_events(_machine_events(fatalities=7)[:1], removed=[], run_id=None, history=[])  # incremental
        assert {e.id for e in store.events()} == {"ev-bai"}
        assert not store.events_stale()  # its mentions stay placed: a re-merge does not redo them
        assert store.rejected_events()[0].fatalities == 7  # the machine's latest version is kept


def test_an_edit_survives_the_machine_rewriting_the_event(db: Path) -> None:
    with SQLiteStore.open(db) as store:
        store.review(_act("edit", fields={"actor1": "Al Shabaab", "fatalities": "4", "event_date": "2024-05-06"}))
        store.update_events(_machine_events(fatalities=6, actor1="Unknown Gunmen")[:1], removed=[], run_id=None,
                            history=[])
        ev = {e.id: e for e in store.events()}["ev-kis"]
        assert (ev.actor1, ev.fatalities, ev.event_date, ev.time_precision) == ("Al Shabaab", 4, D(2024, 5, 6), 1)
        assert ev.notes == "Gunmen attacked a checkpoint."  # fields not edited follow the machine
        history = store.history("ev-kis")
    review = [c for row in history for c in row["changes"] if c["field"] == "review"]
    assert review[-1]["new"]["by"] == "ana" and review[-1]["new"]["why"] == "checked"
    assert review[-1]["new"]["fields"]["actor1"] == "Al Shabaab"
    edit = next(row for row in history if any(c["field"] == "review" for c in row["changes"]))
    assert {"field": "actor1", "old": "Unidentified Armed Group", "new": "Al Shabaab"} in edit["changes"]


def test_the_machine_value_of_an_edited_field_is_kept(db: Path) -> None:
    with SQLiteStore.open(db) as store:
        store.review(_act("edit", fields={"fatalities": 4}))
        store.update_events(_machine_events(fatalities=6)[:1], removed=[], run_id=None, history=[])
        machine = store.conn.execute("SELECT record FROM review_machine WHERE event_id='ev-kis'").fetchone()[0]
    assert json.loads(machine)["fatalities"] == 6
    assert _shown(db)["ev-kis"].fatalities == 4


def test_merge_makes_one_event_with_both_sources_and_survives_a_remerge(db: Path) -> None:
    with SQLiteStore.open(db) as store:
        store.review(_act("merge", "ev-bai", target="ev-kis"))
        store.replace_events(_machine_events(), run_id=None, history=[])
        shown = {e.id: e for e in store.events()}
        assert set(shown) == {"ev-kis"}
        assert {s.article_id for s in shown["ev-kis"].sources} == {"art-a", "art-b", "art-c"}
        assert len(shown["ev-kis"].evidence) == 3
        assert store.reviewed_ids() == {"ev-kis"}
        # the machine's assignment of mentions is untouched
        assert store.previous_assignment() == {"m-a": "ev-kis", "m-b": "ev-kis", "m-c": "ev-bai"}


def test_split_moves_the_named_sources_to_a_new_event(db: Path) -> None:
    with SQLiteStore.open(db) as store:
        (made,) = set(store.review(_act("split", article_ids=("art-b",)))) - {"ev-kis"}
        store.replace_events(_machine_events(), run_id=None, history=[])
        shown = {e.id: e for e in store.events()}
    assert [s.article_id for s in shown["ev-kis"].sources] == ["art-a"]
    assert [s.article_id for s in shown[made].sources] == ["art-b"]
    assert [c.low for c in shown[made].claims] == [6] and [c.low for c in shown["ev-kis"].claims] == [5]
    with SQLiteStore.open(db) as store:
        store.review(_act("edit", made, fields={"fatalities": 6}))
        assert {e.id: e for e in store.events()}[made].fatalities == 6


@pytest.mark.parametrize(("action", "problem"), [
    (ReviewAction("ev-nope", "reject", "ana"), "no event"),
    (ReviewAction("ev-kis", "edit", "ana", fields={"colour": "red"}), "cannot be edited"),
    (ReviewAction("ev-kis", "edit", "ana", fields={"event_type": "Picnic"}), "unknown event type"),
    (ReviewAction("ev-kis", "edit", "ana", fields={"event_type": "Protests"}), "sub-event type"),
    (ReviewAction("ev-kis", "edit", "ana", fields={"event_date": "May 5"}), "not a date"),
    (ReviewAction("ev-kis", "merge", "ana", target="ev-kis"), "another event"),
    (ReviewAction("ev-kis", "split", "ana", article_ids=("art-a", "art-b")), "at least one source"),
    (ReviewAction("ev-kis", "split", "ana", article_ids=("art-z",)), "no source"),
    (ReviewAction("ev-kis", "accept", " "), "reviewer"),
])
def test_bad_reviews_are_refused_and_change_nothing(db: Path, action: ReviewAction, problem: str) -> None:
    before = _shown(db)
    with SQLiteStore.open(db) as store, pytest.raises(ReviewError, match=problem):
        store.review(action)
    with SQLiteStore.open(db) as store:
        assert store.review_actions() == []
    assert _shown(db) == before


def test_event_types_in_an_edit_are_case_insensitive(db: Path) -> None:
    with SQLiteStore.open(db) as store:
        store.review(_act("edit", fields={"event_type": "violence AGAINST civilians", "sub_event_type": "attack"}))
    ev = _shown(db)["ev-kis"]
    assert (ev.event_type, ev.sub_event_type) == ("Violence against civilians", "Attack")


def test_cli_review_reject_edit_and_reviewed_only_export(db: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["review", "reject", "ev-bai", "--by", "ana", "--why", "duplicate wire", "--db", str(db)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["review", "edit", "ev-kis", "--set", "actor1=Al Shabaab", "--by", "ana", "--db", str(db)])
    assert r.exit_code == 0, r.output
    out = runner.invoke(main, ["export", "--db", str(db)]).stdout
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["ev-kis"]
    assert json.loads(out)["actor1"] == "Al Shabaab"
    with SQLiteStore.open(db) as store:
        store.review(ReviewAction("ev-bai", "accept", "ana"))
        store.review(ReviewAction("ev-kis", "reject", "ana"))
        store.review(ReviewAction("ev-kis", "accept", "ana"))
    everything = runner.invoke(main, ["export", "--db", str(db)]).stdout
    assert len(everything.splitlines()) == 2
    with SQLiteStore.open(db) as store:
        store.review(ReviewAction("ev-bai", "reject", "ana"))
    reviewed = runner.invoke(main, ["export", "--reviewed-only", "--db", str(db)]).stdout
    assert [json.loads(x)["id"] for x in reviewed.splitlines()] == ["ev-kis"]
    hist = runner.invoke(main, ["review", "history", "ev-bai", "--db", str(db)])
    assert hist.exit_code == 0 and "duplicate wire" in hist.stdout


def test_cli_review_errors_are_one_line_with_exit_codes(db: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["review", "reject", "ev-nope", "--by", "ana", "--db", str(db)])
    assert r.exit_code == 1 and r.stderr.startswith("error: no event 'ev-nope'") and "Traceback" not in r.output
    r = runner.invoke(main, ["review", "edit", "ev-kis", "--set", "colour=red", "--db", str(db)])
    assert r.exit_code == 2 and "event_type" in r.stderr  # the usage error lists the fields accepted
    r = runner.invoke(main, ["review", "--help"])
    assert r.exit_code == 0 and all(c in r.stdout for c in ("accept", "reject", "edit", "merge", "split"))
    for name, cmd in main.commands["review"].commands.items():
        assert cmd.help, name
        r = runner.invoke(main, ["review", name, "--help"])
        assert r.exit_code == 0 and "--db" in r.stdout, name


def test_reviews_survive_a_reingest_of_real_text(tmp_path: Path, sample_wire: Path) -> None:
    """The CLI end to end: ingest, edit and reject, ingest the same file again and a second copy of it."""
    runner = CliRunner()
    db = str(tmp_path / "w.db")
    assert runner.invoke(main, ["ingest", str(sample_wire), "--db", db]).exit_code == 0
    ids = [json.loads(x)["id"] for x in runner.invoke(main, ["export", "--db", db]).stdout.splitlines()]
    edited, rejected = ids[0], ids[1]
    assert runner.invoke(main, ["review", "edit", edited, "--set", "actor2=Villagers", "--by", "ana",
                                "--db", db]).exit_code == 0
    assert runner.invoke(main, ["review", "reject", rejected, "--by", "ana", "--db", db]).exit_code == 0
    assert runner.invoke(main, ["ingest", str(sample_wire), "--db", db]).exit_code == 0
    copy = tmp_path / "copy.txt"
    copy.write_text(sample_wire.read_text(encoding="utf-8").replace("Reuters", "Wire"), encoding="utf-8")
    assert runner.invoke(main, ["ingest", str(copy), "--db", db]).exit_code == 0
    from wirewatch.pipeline.batch import refresh_events

    with SQLiteStore.open(db) as store:
        refresh_events(store, run_id=None, full=True)
    events = {json.loads(x)["id"]: json.loads(x) for x in runner.invoke(main, ["export", "--db", db]).stdout.splitlines()}
    assert rejected not in events
    assert events[edited]["actor2"] == "Villagers"


def test_overlay_is_pure_and_applies_in_order() -> None:
    from wirewatch.review import overlay

    machine = {e.id: e for e in _machine_events()}
    acts = [_act("edit", fields={"actor1": "X"}), _act("edit", fields={"actor1": "Y"}), _act("reject", "ev-bai")]
    out = overlay(machine, acts)
    assert out.shown["ev-kis"].actor1 == "Y" and out.hidden == {"ev-bai"}
    assert machine["ev-kis"].actor1 == "Unidentified Armed Group"  # the machine's events are not changed
    assert dataclasses.replace(out.shown["ev-kis"], actor1="Unidentified Armed Group") == machine["ev-kis"]


def test_a_reviewed_event_keeps_its_reports_when_a_remerge_would_fold_it_into_another(tmp_path: Path) -> None:
    """The machine once kept two reports of one bombing apart (ev-A, ev-B) and an analyst edited ev-B.  A
    re-merge that would now join them (keeping only ev-A's id) must not drop the review: a reviewed event
    keeps its reports under its id, in a full re-merge and in an incremental one; other reports may join it."""
    from test_merge import _bombing_reports, art, loc, mention, SOUSIAN

    from wirewatch.merge.core import merge_mentions
    from wirewatch.pipeline.batch import refresh_events

    arts, (m1, m2) = _bombing_reports()
    amap = {a.id: a for a in arts}
    assert len(merge_mentions([m1, m2], amap)) == 1  # the machine joins them today
    ev_a = dataclasses.replace(merge_mentions([m1], amap)[0], id="ev-A")
    ev_b = dataclasses.replace(merge_mentions([m2], amap)[0], id="ev-B")
    path = tmp_path / "pin.db"
    with SQLiteStore.open(path) as store:
        for a, m in zip(arts, (m1, m2), strict=True):
            store.add_article(a, [m], run_id=None)
        store.replace_events([ev_a, ev_b], run_id=None, history=[])
        store.review(_act("edit", "ev-B", fields={"fatalities": 52}))
        assert len(merge_mentions([m1, m2], amap, previous=store.previous_assignment())) == 1  # unpinned: one

        refresh_events(store, run_id=None, full=True)
        shown = {e.id: e for e in store.events()}
        assert set(shown) == {"ev-A", "ev-B"} and shown["ev-B"].fatalities == 52
        assert store.previous_assignment() == {m1.id: "ev-A", m2.id: "ev-B"}

        a3 = art("a3", D(2017, 2, 26), "Funerals were held on Sunday for victims of Friday's car bomb in Sousian.")
        m3 = mention(a3, a3.body, day=D(2017, 2, 24), where=loc("Sousian", **SOUSIAN, gid=1))
        store.add_article(a3, [m3], run_id=None)
        refresh_events(store, run_id=None)  # incremental
        shown = {e.id: e for e in store.events()}
        assert {"ev-A", "ev-B"} <= set(shown) and shown["ev-B"].fatalities == 52
        assert store.previous_assignment()[m2.id] == "ev-B"
        assert refresh_events(store, run_id=None, full=True) and store.previous_assignment()[m2.id] == "ev-B"
