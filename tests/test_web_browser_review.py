"""The analyst's day in headless Chromium: reject an event and see it leave the map and the export, edit a
field and see it survive a re-ingest, open a shared link and get the same view, download the filtered
events as ACLED CSV.  Skipped like tests/test_web_browser.py when Chromium or selenium is absent."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import pytest
from click.testing import CliRunner

from test_web_browser import CHROMEDRIVER, CHROMIUM, _ready, browser, serve_in_thread  # noqa: F401 (fixture)

pytestmark = [pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                 reason="needs /usr/bin/chromium and /usr/bin/chromedriver")]
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from test_web_api import build_web_db  # noqa: E402

from wirewatch.pipeline.batch import refresh_events  # noqa: E402
from wirewatch.cli.main import main  # noqa: E402
from wirewatch.store.sqlite import SQLiteStore  # noqa: E402
from wirewatch.web.app import create_app  # noqa: E402

TOKEN = "browser-review-token"


@pytest.fixture(scope="module")
def sample(tmp_path_factory, sample_wire: Path) -> Iterator[tuple[str, Path]]:
    """A server with reviewing on, over a database ingested from the project's sample wire file."""
    db = tmp_path_factory.mktemp("review") / "sample.db"
    assert CliRunner().invoke(main, ["ingest", str(sample_wire), "--db", str(db)]).exit_code == 0
    for url in serve_in_thread(create_app(str(db), review_token=TOKEN)):
        yield url, db


@pytest.fixture(scope="module")
def invented(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("share") / "web.db"
    build_web_db(db, fillers=30)
    for url in serve_in_thread(create_app(str(db))):
        yield url, db


def _api(url: str) -> dict:
    with urlopen(url) as r:  # noqa: S310 (the test's own loopback server)
        return json.loads(r.read())


def _open_event(driver, base: str, event_id: str) -> None:
    driver.get(f"{base}/?event={event_id}")
    _ready(driver)
    WebDriverWait(driver, 10).until(EC.visibility_of_element_located((By.ID, "review")))
    assert driver.find_element(By.ID, "detail").get_attribute("data-event-id") == event_id


def _sign_in(driver) -> None:
    for field, value in (("r-token", TOKEN), ("r-by", "ana"), ("r-why", "checked against the wire")):
        box = driver.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)


def _saved(driver, action: str) -> None:
    def seen(d) -> bool:
        text = d.find_element(By.ID, "status").text
        assert not text.startswith("review:"), text
        return f"{action} saved" in text

    WebDriverWait(driver, 10).until(seen)


def test_reject_an_event_and_it_leaves_the_map_and_the_export(sample, browser) -> None:
    base, _ = sample
    events = _api(f"{base}/api/events?limit=500")["events"]
    victim = next(e for e in events if e["latitude"] is not None)
    country = victim["country_code"]
    on_map = [p["id"] for p in _api(f"{base}/api/map?country={country}")["points"]]
    assert victim["id"] in on_map
    _open_event(browser, base, victim["id"])
    _sign_in(browser)
    browser.find_element(By.ID, "r-reject").click()
    _saved(browser, "reject")
    assert browser.find_element(By.ID, "detail").get_attribute("hidden") is not None
    assert victim["id"] not in [p["id"] for p in _api(f"{base}/api/map?country={country}")["points"]]
    rows = [r.get_attribute("data-id") for r in browser.find_elements(By.CSS_SELECTOR, "#events-body tr")]
    assert rows and victim["id"] not in rows
    csv = browser.execute_async_script(
        "var done = arguments[0]; fetch(document.getElementById('dl-csv').href).then(r => r.text()).then(done);")
    assert csv.startswith("event_id_cnty,") and victim["id"] not in csv
    features = _api(f"{base}/api/export?format=geojson")["features"]
    assert features and victim["id"] not in {f["properties"]["id"] for f in features}


def test_an_edit_survives_a_reingest(sample, browser, sample_wire: Path, tmp_path: Path) -> None:
    base, db = sample
    target = next(e for e in _api(f"{base}/api/events?limit=500")["events"] if e["fatalities"] is not None)
    _open_event(browser, base, target["id"])
    _sign_in(browser)
    box = browser.find_element(By.ID, "r-actor2")
    box.clear()
    box.send_keys("Village Defence Committee")
    browser.find_element(By.ID, "r-edit").click()
    _saved(browser, "edit")
    # the same wire again, a second copy under another agency name, and a full re-merge
    assert CliRunner().invoke(main, ["ingest", str(sample_wire), "--db", str(db)]).exit_code == 0
    copy = tmp_path / "copy.txt"
    copy.write_text(sample_wire.read_text(encoding="utf-8").replace("Reuters", "Wire"), encoding="utf-8")
    assert CliRunner().invoke(main, ["ingest", str(copy), "--db", str(db)]).exit_code == 0
    with SQLiteStore.open(db) as store:
        refresh_events(store, run_id=None, full=True)
    _open_event(browser, base, target["id"])
    assert "Village Defence Committee" in browser.find_element(By.ID, "detail-body").text
    assert browser.find_element(By.ID, "r-actor2").get_attribute("value") == "Village Defence Committee"
    assert _api(f"{base}/api/events/{target['id']}")["event"]["actor2"] == "Village Defence Committee"


def test_a_shared_url_reproduces_the_view(invented, browser) -> None:
    base, _ = invented
    browser.get(base + "/")
    _ready(browser)
    Select(browser.find_element(By.ID, "f-country")).select_by_value("KE")
    _ready(browser, 2)
    browser.find_element(By.ID, "f-min-fatalities").send_keys("2")
    browser.find_element(By.ID, "apply").click()
    _ready(browser, 3)
    rows = [r.get_attribute("data-id") for r in browser.find_elements(By.CSS_SELECTOR, "#events-body tr")]
    assert len(rows) >= 2
    browser.find_elements(By.CSS_SELECTOR, "#events-body tr")[0].click()
    WebDriverWait(browser, 10).until(lambda d: "event=" in d.current_url)
    shared = browser.current_url
    assert "country=KE" in shared and "min_fatalities=2" in shared
    fitted = browser.find_element(By.ID, "map").get_attribute("data-fitted")
    assert fitted  # the map was fitted to Kenya's events, not left at world zoom
    west, south, east, north = map(float, fitted.split(","))
    assert 36 <= west <= east <= 37.5 and -1.5 <= south <= north <= -1.0

    browser.get("about:blank")
    browser.get(shared)
    _ready(browser)
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "detail").get_attribute("data-event-id"))
    assert browser.find_element(By.ID, "f-country").get_attribute("value") == "KE"
    assert browser.find_element(By.ID, "f-min-fatalities").get_attribute("value") == "2"
    again = [r.get_attribute("data-id") for r in browser.find_elements(By.CSS_SELECTOR, "#events-body tr")]
    assert again == rows
    assert browser.find_element(By.ID, "map").get_attribute("data-fitted") == fitted
    assert browser.find_element(By.ID, "detail").get_attribute("data-event-id") == rows[0]


def test_download_of_the_filtered_csv(invented, browser, tmp_path: Path) -> None:
    base, db = invented
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(base + "/?country=SO&event_type=Battles")
    _ready(browser)
    browser.find_element(By.ID, "dl-csv").click()
    deadline = time.time() + 20
    while time.time() < deadline and not list(tmp_path.glob("*.csv")):
        time.sleep(0.1)
    (path,) = tmp_path.glob("*.csv")
    text = path.read_text(encoding="utf-8")
    cli = CliRunner().invoke(main, ["export", "--format", "acled", "--country", "SO", "--event-type", "Battles",
                                    "--db", str(db)])
    assert text == cli.stdout
    assert len(text.splitlines()) == 1 + 15 and "Kenya" not in text
