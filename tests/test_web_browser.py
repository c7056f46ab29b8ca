"""The dashboard in a real headless Chromium (Selenium): markers, country filter, event detail with
both tolls and their sources highlighted, and untrusted text shown as text with no script running.

Skipped when /usr/bin/chromium (Debian's ``chromium`` + ``chromium-driver``) or selenium is absent.
Screenshots go to ``bench/results/`` (and the test's tmp dir).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"

pytestmark = [
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs /usr/bin/chromium and /usr/bin/chromedriver"),
]
webdriver = pytest.importorskip("selenium.webdriver")
uvicorn = pytest.importorskip("uvicorn")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from test_web_api import XSS_ACTOR, XSS_BODY, XSS_HEADLINE, build_web_db  # noqa: E402

from wirewatch.web.app import create_app  # noqa: E402

CATCH_ALERTS = """
window.__alerts = [];
window.alert = function (m) { window.__alerts.push(String(m)); };
window.confirm = window.prompt = window.alert;
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "web.db"
    build_web_db(db)
    yield from serve_in_thread(create_app(str(db)))


def serve_in_thread(app) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port; yields its base URL, then stops it."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--window-size=1400,900",
                 "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_ALERTS})
    yield driver
    driver.quit()


def _ready(driver, at_least: int = 1) -> None:
    def ready(d) -> bool:
        return int(d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") or 0) >= at_least

    WebDriverWait(driver, 20).until(ready)


def _shot(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    driver.save_screenshot(str(path))
    RESULTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, RESULTS / name)
    return path


def _no_alerts(driver) -> None:
    assert driver.execute_script("return window.__alerts") == []
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018


def test_dashboard_markers_filter_and_event_detail(server, browser, tmp_path):
    browser.get(server + "/")
    _ready(browser)
    map_el = browser.find_element(By.ID, "map")
    assert map_el.get_attribute("data-mode") == "points"
    assert int(map_el.get_attribute("data-items")) == 125
    # clusters and single markers are drawn
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".marker-cluster"))
    assert browser.find_elements(By.CSS_SELECTOR, "path.event-marker")
    assert browser.find_elements(By.CSS_SELECTOR, "#timeline rect.bar")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events-body tr")) == 100, "first page of the table"
    assert "GeoNames" in browser.find_element(By.TAG_NAME, "footer").text
    _shot(browser, tmp_path, "dashboard.png")

    Select(browser.find_element(By.ID, "f-country")).select_by_value("SY")
    _ready(browser, 2)
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-body tr")
    assert [r.get_attribute("data-id") for r in rows] == ["ev-sy"]
    assert int(browser.find_element(By.ID, "map").get_attribute("data-items")) == 1
    rows[0].click()
    WebDriverWait(browser, 10).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#detail mark.claim")))
    marks = browser.find_elements(By.CSS_SELECTOR, "#detail .evidence mark.claim")
    assert [m.text for m in marks] == ["at least 14 people", "9 people"]
    labels = [m.find_element(By.XPATH, "following-sibling::span[1]").text for m in marks]
    assert labels == ["[Syrian Observatory for Human Rights]", "[state media]"]
    claims = browser.find_element(By.CSS_SELECTOR, "#detail ul.claims").text
    assert "killed 14" in claims and "Syrian Observatory for Human Rights" in claims
    assert "killed 9" in claims and "state media" in claims
    _shot(browser, tmp_path, "dashboard-detail.png")
    _no_alerts(browser)


def test_untrusted_text_is_shown_as_text_and_never_runs(server, browser, tmp_path):
    browser.get(server + "/")
    _ready(browser)
    browser.find_element(By.ID, "f-q").send_keys("Maiduguri")
    browser.find_element(By.ID, "apply").click()
    _ready(browser, 2)
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-body tr")
    assert [r.get_attribute("data-id") for r in rows] == ["ev-xss"]
    assert XSS_ACTOR in rows[0].text
    rows[0].click()
    WebDriverWait(browser, 10).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#detail .evidence")))
    detail = browser.find_element(By.ID, "detail")
    text = detail.text
    assert XSS_BODY.replace("4 people", "") .split("<img")[0] in text
    assert "<img src=x onerror=alert(1)>" in text and "<script>alert(1)</script>" in text
    assert XSS_HEADLINE in text and XSS_ACTOR in text and "<i>witnesses</i>" in text
    assert detail.find_elements(By.TAG_NAME, "img") == [] and detail.find_elements(By.TAG_NAME, "script") == []
    assert detail.find_elements(By.TAG_NAME, "b") == [] and detail.find_elements(By.TAG_NAME, "i") == []
    assert browser.find_elements(By.CSS_SELECTOR, "img[src='x']") == []
    _shot(browser, tmp_path, "dashboard-xss.png")
    _no_alerts(browser)


def test_unsafe_source_links_are_not_links(server, browser):
    browser.get(server + "/")
    _ready(browser)
    Select(browser.find_element(By.ID, "f-country")).select_by_value("IQ")
    _ready(browser, 2)
    browser.find_element(By.CSS_SELECTOR, "#events-body tr").click()
    WebDriverWait(browser, 10).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#detail ul.sources li")))
    hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#detail a")]
    assert not any(h and h.lower().startswith("javascript:") for h in hrefs)
    assert "Clashes on the edge of Mosul" in browser.find_element(By.CSS_SELECTOR, "#detail ul.sources").text
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors
    _no_alerts(browser)
