"""Outputs on the user's real seed file: the report shows its key events and renders in Chromium,
the ACLED CSV loads in pandas with ACLED's dtypes, and the GeoJSON is RFC 7946 shaped."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirewatch.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seed_file):
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    res = CliRunner().invoke(main, ["ingest", "--db", str(db), str(seed_file)])
    assert res.exit_code == 0, res.output
    return db


def test_report_contains_the_seed_key_events_and_renders(seed_db, tmp_path):
    out = tmp_path / "report.html"
    res = CliRunner().invoke(main, ["report", "--db", str(seed_db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    for place in ("Sousian", "Homs", "Arish", "Mosul"):
        assert place in html, f"{place} missing from the report"
    assert "Syrian Observatory for Human Rights" in html and "state media" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html.lower()
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed")
    shot_dir = ROOT / "bench" / "results"
    shot_dir.mkdir(parents=True, exist_ok=True)
    shot = shot_dir / "report-seed.png"
    shot.unlink(missing_ok=True)
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,2400",
                    f"--screenshot={shot}", out.as_uri()], check=True, capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000


def test_acled_csv_round_trips_through_pandas(seed_db, tmp_path):
    pd = pytest.importorskip("pandas")
    out = tmp_path / "acled.csv"
    res = CliRunner().invoke(main, ["export", "--db", str(seed_db), "--format", "acled", "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert len(df) > 0
    assert str(df["fatalities"].dtype) == "int64"
    assert str(df["latitude"].dtype) == "float64" and str(df["longitude"].dtype) == "float64"
    assert str(df["year"].dtype) == "int64" and str(df["time_precision"].dtype) == "int64"
    assert str(df["geo_precision"].dtype) == "int64"
    dates = pd.to_datetime(df["event_date"], format="%d %B %Y")
    assert dates.notna().all() and (dates.dt.year == df["year"]).all()
    assert set(df["event_type"]) <= {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                      "Protests", "Riots", "Strategic developments"}
    assert str(df["interaction"].dtype) == "int64" and df["interaction"].between(10, 88).all()
    assert df["actor1"].notna().all() and str(df["inter1"].dtype) == "int64"
    assert df.loc[df["sub_event_type"] == "Suicide bomb", "fatalities"].max() >= 32


def test_geojson_validates(seed_db):
    res = CliRunner().invoke(main, ["export", "--db", str(seed_db), "--format", "geojson"])
    assert res.exit_code == 0, res.output
    fc = json.loads(res.stdout)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    for f in fc["features"]:
        assert f["type"] == "Feature" and set(f) >= {"type", "geometry", "properties"}
        g = f["geometry"]
        if g is not None:
            assert g["type"] == "Point" and len(g["coordinates"]) == 2
            lon, lat = g["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert all(isinstance(v, float | int) for v in (lon, lat))
    # round-trips as JSON text with no NaN/Infinity (RFC 7946 is RFC 8259 JSON)
    json.loads(res.stdout, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))


def test_mosul_displacement_is_one_living_record_whose_newest_figure_is_26000(seed_db):
    """The two Mosul displacement stories are one event in the export: both figures kept, newest last."""
    res = CliRunner().invoke(main, ["export", "--db", str(seed_db), "--event-type", "Displacement"])
    assert res.exit_code == 0, res.output
    mosul = [e for e in map(json.loads, res.stdout.splitlines()) if e["location"] == "Mosul"]
    assert len(mosul) == 1, [(e["event_date"], e["notes"]) for e in mosul]
    (ev,) = mosul
    published = {s["article_id"]: s["published"] for s in ev["sources"]}
    figures = [(published[c["article_id"]], c["low"]) for c in ev["claims"]
               if c["quantity"] == "displaced" and c["qualifier"] not in ("cumulative", "forecast")]
    assert {14000, 26000} <= {f for _, f in figures}
    assert max(figures)[1] == 26000  # the newest report's figure
