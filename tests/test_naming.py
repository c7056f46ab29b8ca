"""ACLED's names once the place is known (wirewatch.extract.naming, stage naming.v1)."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from wirewatch.cli.main import main
from wirewatch.models import EventMention, Evidence, Location
from wirewatch.extract.naming import acled_country, name_event


def _mention(actor1, actor2, *, code="CD", country="Democratic Republic of the Congo", located=True):
    loc = Location("Bunia", country, code, "Ituri", None, 1.56, 30.25, 217570, 1) if located else None
    name1 = actor1 or "Unidentified actor"
    notes = f"{name1}: attack" + (f" against {actor2}" if actor2 else "") + "."
    return EventMention(id="a:0", article_id="a", event_type="Violence against civilians", sub_event_type="Attack",
                        evidence=[Evidence("a", "x", 0, 1)], event_date=dt.date(2016, 2, 1), actor1=actor1,
                        actor2=actor2, location=loc, notes=notes)


def test_generic_actors_take_the_event_country_in_acled_spelling():
    m = _mention("Military Forces", "Civilians")
    name_event(m)
    assert m.location.country == "Democratic Republic of Congo"
    assert m.actor1 == "Military Forces of Democratic Republic of Congo"
    assert m.actor2 == "Civilians (Democratic Republic of Congo)"
    assert m.notes == ("Military Forces of Democratic Republic of Congo: attack against "
                       "Civilians (Democratic Republic of Congo).")


def test_names_the_text_gave_and_unplaced_events_are_left_alone():
    m = _mention("Military Forces of Uganda", "Civilians (Uganda)")
    name_event(m)
    assert (m.actor1, m.actor2) == ("Military Forces of Uganda", "Civilians (Uganda)")
    m = _mention("Police Forces", None, located=False)
    name_event(m)
    assert m.actor1 == "Police Forces" and m.location is None
    m = _mention("ADF-NALU", None, code="UG", country="Uganda")
    name_event(m)
    assert m.actor1 == "ADF-NALU" and m.location.country == "Uganda"


def test_acled_country_names():
    assert acled_country("CG", "Republic of the Congo") == "Republic of Congo"
    assert acled_country("PS", "Palestinian Territory") == "Palestine"
    assert acled_country("SY", "Syria") == "Syria"
    assert acled_country(None, None) is None


def test_extract_names_generic_actors_after_the_place(tmp_path):
    line = {"id": "n1", "published": "2016-02-03",
            "text": "Police fired tear gas at students protesting against fee increases in Kinshasa on Tuesday."}
    p = tmp_path / "one.jsonl"
    p.write_text(json.dumps(line) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(p)])
    assert res.exit_code == 0, res.output
    (event,) = [json.loads(x) for x in res.stdout.splitlines()]
    assert event["country"] == "Democratic Republic of Congo" and event["country_code"] == "CD"
    names = {event["actor1"], event["actor2"]}
    assert "Police Forces of Democratic Republic of Congo" in names
    assert event["stages"]["naming"] == "naming.v1"
