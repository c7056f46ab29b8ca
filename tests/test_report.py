"""The situation report: numbers, filters, disputes, escaping, self-containment, both formats."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from wirewatch.errors import ReportError
from wirewatch.models import Claim, Event, Evidence, Location, SourceRef
from wirewatch.report.build import build_report, report_data
from wirewatch.report.charts import bucket_days, fit_view, world_outline
from wirewatch.report.markdown import md
from wirewatch.report.summary import select_events

GENERATED = dt.datetime(2017, 3, 9, 8, 30, tzinfo=dt.timezone.utc)
XSS = "<script>alert(1)</script>"
D = dt.date


def _event(i: int, event_type: str, sub: str, day: dt.date, place: str, cc: str, country: str, admin1: str,
           lat: float, lon: float, *, low=None, best=None, high=None, claims=(), precision=1, actor1=None,
           inter1=None, actor2=None, inter2=None, notes=None, headline=None, agency="Reuters",
           span: tuple[dt.date, dt.date] | None = None) -> Event:
    start, end = span or (day, day)
    return Event(
        id=f"ev{i}", event_type=event_type, sub_event_type=sub, event_date=day, date_start=start, date_end=end,
        time_precision=1, actor1=actor1, inter1=inter1, actor2=actor2, inter2=inter2,
        location=Location(place, country, cc, admin1, None, lat, lon, 9000 + i, precision),
        fatalities=low or 0, fatalities_low=low, fatalities_best=best, fatalities_high=high, claims=list(claims),
        sources=[SourceRef(f"art{i}", f"x-{i}", headline or f"Clashes reported around {place}", agency, day,
                           "https://example.org/story/" + str(i))],
        evidence=[Evidence(f"art{i}", "Invented evidence sentence for the test.", 0, 41)], notes=notes)


def _events() -> list[Event]:
    disputed = [
        Claim("killed", 50, None, "more than", "more than 50 people died in the fighting",
              "Syrian Observatory for Human Rights", "art1", 10, 50, D(2017, 3, 2)),
        Claim("killed", 40, None, "at least", "at least 40 of their fighters were killed", "rebels", "art1", 60, 99,
              D(2017, 3, 2)),
    ]
    fled = [Claim("displaced", 12000, 12000, None, "about 12,000 residents left their homes", "UNHCR", "art2", 0, 38,
                  D(2017, 3, 5))]
    hurt = [Claim("killed", 12, 12, None, "twelve shoppers were killed", "civil defence", "art3", 0, 27),
            Claim("injured", 30, 30, None, "thirty more were hurt", "civil defence", "art3", 30, 51)]
    return [
        _event(1, "Battles", "Armed clash", D(2017, 3, 2), "Al Bab", "SY", "Syria", "Aleppo", 36.37, 37.52,
               low=40, best=50, high=50, claims=disputed, actor1="Military Forces of Syria", inter1=1,
               actor2="Islamic State", inter2=2, notes="Government troops and militants fought over the town."),
        _event(2, "Displacement", "Internal displacement", D(2017, 3, 5), "Raqqa", "SY", "Syria", "Raqqa", 35.95,
               39.01, claims=fled, notes="Families left the city ahead of an offensive."),
        _event(3, "Explosions/Remote violence", "Air/drone strike", D(2017, 3, 4), "Idlib", "SY", "Syria", "Idlib",
               35.93, 36.63, low=12, best=12, high=12, claims=hurt, actor1="Military Forces of Russia", inter1=8,
               actor2="Civilians (Syria)", inter2=7, notes="An air strike hit a busy market."),
        _event(4, "Explosions/Remote violence", "Suicide bomb", D(2017, 3, 6), "Mosul", "IQ", "Iraq", "Nineveh",
               36.34, 43.13, low=7, best=9, high=9, actor1="Islamic State", inter1=2,
               actor2="Military Forces of Iraq", inter2=1, agency="AFP"),
        _event(5, "Protests", "Peaceful protest", D(2017, 3, 2), "Erbil", "IQ", "Iraq", "Erbil", 36.19, 44.01,
               notes="Teachers marched to demand unpaid salaries."),
        _event(6, "Battles", "Armed clash", D(2017, 3, 7), "Deir ez-Zor", "SY", "Syria", "Deir ez-Zor", 35.3, 40.1,
               low=3, best=3, high=3, precision=3, actor1="Islamic State", inter1=2,
               actor2="Military Forces of Syria", inter2=1, span=(D(2017, 3, 6), D(2017, 3, 7))),
    ]


class _Checker(HTMLParser):
    """Collects tags and attributes and checks that non-void elements nest properly."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "source", "wbr", "area", "base", "col", "embed", "track"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((k, v or "") for k, v in attrs)
        self._in_style = tag == "style"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((k, v or "") for k, v in attrs)

    def handle_endtag(self, tag):
        self._in_style = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def _parse(page: str) -> _Checker:
    c = _Checker()
    c.feed(page)
    c.close()
    return c


def _visible(page: str) -> str:
    return " ".join(" ".join(_parse(page).text).split())


def test_headline_numbers_match_the_events():
    events = _events()
    data = report_data(events, generated=GENERATED)
    assert len(data.events) == 6
    assert (data.fatalities.low, data.fatalities.best, data.fatalities.high) == (62, 74, 74)
    assert data.displaced.best == 12000 and data.injured.best == 30
    assert list(data.disputes) == ["ev1"]
    page = _visible(build_report(events, generated=GENERATED))
    assert "62\u201374 people reported killed" in page
    assert "12,000 people reported displaced" in page
    assert "6 events recorded" in page


def test_most_serious_events_come_first_with_claims_and_sources():
    page = _visible(build_report(_events(), generated=GENERATED, top=3))
    section = page.split("Most serious events", 1)[1].split("Disputed figures", 1)[0]
    order = [section.index(p) for p in ("Al Bab, Aleppo, Syria", "Idlib, Syria", "Mosul, Nineveh, Iraq")]
    assert order == sorted(order)
    assert "Deir ez-Zor" not in section, "only the top three are detailed"
    assert "Syrian Observatory for Human Rights" in section and "civil defence" in section
    assert "Clashes reported around Al Bab" in section and "AFP, 2017-03-06" in section
    assert "40\u201350 killed (best 50)" in section


def test_disputed_figures_are_called_out_in_both_formats():
    wanted = "more than 50 (Syrian Observatory for Human Rights) vs at least 40 (rebels)"
    assert wanted in _visible(build_report(_events(), generated=GENERATED))
    assert wanted in build_report(_events(), generated=GENERATED, fmt="md")
    # one source revising its own toll is not a dispute
    ev = _events()[0]
    ev.claims = [ev.claims[0], Claim("killed", 60, None, "more than", "toll rose", ev.claims[0].source, "art9", 0, 9,
                                     D(2017, 3, 3))]
    assert report_data([ev], generated=GENERATED).disputes == {}


def test_markdown_has_the_same_numbers():
    events = _events()
    page = _visible(build_report(events, generated=GENERATED))
    text = build_report(events, generated=GENERATED, fmt="md")
    assert "| People reported killed (low\u2013high) | 62\u201374 |" in text
    assert "| People reported displaced | 12,000 |" in text
    assert "| Events recorded | 6 |" in text
    for row in ("| Syria | 4 | 55\u201365 | 12,000 |", "| Iraq | 2 | 7\u20139 | \u2013 |"):
        assert row in text
    assert "Syria 4 55\u201365 12,000" in page and "Iraq 2 7\u20139 \u2013" in page
    assert "GeoNames" in text and "CC BY 4.0" in text


def test_untrusted_text_is_escaped_everywhere():
    ev = _events()[0]
    ev.notes = f"{XSS} notes"
    ev.actor1 = f"{XSS} actor"
    ev.sources = [SourceRef("art1", None, f'{XSS}<img src="https://evil.example/x.png">', XSS, D(2017, 3, 2), None)]
    ev.claims = [Claim("killed", 5, 5, None, f"{XSS} claim", f"{XSS} source", "art1", 0, 5)]
    ev.location = Location(f"{XSS} town", XSS, "SY", None, None, 36.0, 37.0, None, 1)
    page = build_report([ev], generated=GENERATED, title=f"{XSS} title")
    checked = _parse(page)
    assert "script" not in checked.tags and "img" not in checked.tags
    assert "<script" not in page.lower()
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 6
    text = build_report([ev], generated=GENERATED, fmt="md")
    assert "<script" not in text and "<img" not in text and "&lt;script&gt;" in text


def test_html_is_well_formed_and_self_contained():
    page = build_report(_events(), generated=GENERATED)
    checked = _parse(page)
    assert checked.errors == [] and checked.stack == []
    assert page.startswith("<!DOCTYPE html>")
    assert "script" not in checked.tags and "link" not in checked.tags and "iframe" not in checked.tags
    assert not [(k, v) for k, v in checked.attrs if "://" in v or k in {"src", "href", "srcset", "xlink:href"}]
    assert "url(" not in checked.style and "@import" not in checked.style
    assert "http://" not in page and "https://" not in page, "source URLs are not printed"
    assert checked.tags.count("svg") == 2


def test_map_fits_the_events_and_draws_outlines():
    events = _events()
    page = build_report(events, generated=GENERATED)
    svg = page[page.index('<svg class="map"'): page.index("</svg>")]
    w, h = map(float, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    circles = re.findall(r'<circle[^>]*cx="([-\d.]+)" cy="([-\d.]+)"', svg)
    assert len(circles) == len(events)
    assert all(0 < float(x) < w and 0 < float(y) < h for x, y in circles)
    assert 'class="land hi"' in svg and ">SYRIA<" in svg
    # west to east on the map as on the ground: Idlib (36.6E) left of Mosul (43.1E)
    view = fit_view([(e.location.longitude, e.location.latitude) for e in events])
    assert view.xy(36.63, 35.93)[0] < view.xy(43.13, 36.34)[0]
    assert view.xy(40.0, 37.0)[1] < view.xy(40.0, 35.0)[1], "north is up"
    assert len(world_outline()) > 170


def test_chart_stacks_events_per_day_and_weeks_when_long():
    data = report_data(_events(), generated=GENERATED)
    assert sum(sum(c.values()) for c in data.per_day.values()) == 6
    unit, bars = bucket_days(data.per_day, start=D(2017, 3, 2), end=D(2017, 3, 7))
    assert unit == "day" and len(bars) == 6 and sum(bars[0][1].values()) == 2
    unit, bars = bucket_days(data.per_day, start=D(2017, 1, 1), end=D(2017, 6, 30))
    assert unit == "week" and all(d.weekday() == 0 for d, _ in bars)
    assert sum(sum(c.values()) for _, c in bars) == 6
    page = build_report(_events(), generated=GENERATED)
    chart = page[page.index('<svg class="chart"'):]
    chart = chart[: chart.index("</svg>")]
    assert chart.count("<rect") == 6


def test_filters_by_period_and_country():
    events = _events()
    assert {e.id for e in select_events(events, country="iq")} == {"ev4", "ev5"}
    assert {e.id for e in select_events(events, country=" Iraq ")} == {"ev4", "ev5"}
    assert {e.id for e in select_events(events, since=D(2017, 3, 5))} == {"ev2", "ev4", "ev6"}
    # an event counts by its event_date, the date its row shows (as in export): ev6's span (6-7 March)
    # reaches the 6th, its date does not
    assert {e.id for e in select_events(events, until=D(2017, 3, 6), since=D(2017, 3, 6))} == {"ev4"}
    assert {e.id for e in select_events(events, until=D(2017, 3, 7), since=D(2017, 3, 7))} == {"ev6"}
    data = report_data(events, since=D(2017, 3, 3), until=D(2017, 3, 5), country="SY", generated=GENERATED)
    assert [e.id for e in data.events] == ["ev3", "ev2"]
    assert data.excluded == 4 and (data.fatalities.low, data.fatalities.high) == (12, 12)
    page = _visible(build_report(events, since=D(2017, 3, 3), until=D(2017, 3, 5), country="SY", generated=GENERATED))
    assert "Period: 2017-03-03 to 2017-03-05 · Area: Syria (SY)" in page and "Mosul" not in page


def test_output_is_deterministic_given_the_time():
    a = build_report(_events(), generated=GENERATED)
    b = build_report(list(reversed(_events())), generated=GENERATED)
    assert a == b
    assert build_report(_events(), generated=GENERATED, fmt="md") == build_report(_events(), generated=GENERATED,
                                                                                   fmt="md")


def test_empty_selection_and_bad_options():
    page = build_report([], generated=GENERATED)
    assert "No events match" in page and _parse(page).errors == []
    assert "| Events recorded | 0 |" in build_report([], generated=GENERATED, fmt="md")
    with pytest.raises(ReportError):
        build_report(_events(), since=D(2017, 3, 5), until=D(2017, 3, 1))
    with pytest.raises(ReportError):
        build_report(_events(), fmt="pdf")  # type: ignore[arg-type]


def test_markdown_escaping_keeps_structure():
    assert md("a | b") == "a \\| b"
    assert md("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md("line\nbreak") == "line break"
    text = build_report(_events(), generated=GENERATED, fmt="md")
    table_rows = [ln for ln in text.splitlines() if ln.startswith("| ")]
    widths = {ln.count(" | ") for ln in table_rows if ln.startswith("| Date | Place | Type")}
    assert widths == {5}


@pytest.mark.slow
def test_report_renders_in_headless_chromium(tmp_path: Path):
    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if chromium is None:
        pytest.skip("chromium is not installed")
    page = tmp_path / "report.html"
    page.write_text(build_report(_events(), generated=GENERATED), encoding="utf-8")
    shot = tmp_path / "report.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1000,2400", f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000, "a blank page compresses to a few kB"
