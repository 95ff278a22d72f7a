"""What pages say of a forecast (SPEC §11): the number okrs.json has, with words true to how it was made."""

import html
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from okrsite.build import build

from ..conftest import REPO


def example_at(root: Path, as_of: date | None = None) -> dict[str, str]:
    goals = root / "goals"
    if not goals.exists():
        goals.mkdir(parents=True)
        shutil.copy(REPO / "okrsite.toml", goals / "okrsite.toml")
        for name in ("content", "data"):
            shutil.copytree(REPO / name, goals / name)
    out = root / f"out-{as_of}"
    assert build(goals, out, as_of=as_of).ok
    return out


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return example_at(tmp_path_factory.mktemp("example"))


def text(out: Path, rel: str) -> str:
    return re.sub(r"\s+", " ", html.unescape((out / rel).read_text(encoding="utf-8")))


def headline(page: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r'<p class="headline">(.*?)</p>', page)[1])


def test_an_objective_page_shows_the_forecast_okrs_json_has_with_how_it_was_made(example):
    """okrs.json said forecast 0.40 (off-track) while the page said "no forecast yet (no trend)": every
    key result of the objective counts as it stands (no line through check-ins), and the page says so."""
    okrs = {o["id"]: o for o in json.loads((example / "okrs.json").read_text())["objectives"]}
    for ident, shown in (("offer-live-warehouse-connectors", "forecast 40 % (off-track)"), ("acquire-kingfisher-analytics", "forecast 35 % (off-track)")):
        assert okrs[ident]["forecast"] is not None and all(not k["forecast"] or not k["forecast"]["points"] for k in okrs[ident]["key_results"])
        page = text(example, f"objectives/{ident}/index.html")
        words = headline(page)
        assert f"{shown}, from current progress: no trend yet" in words, words
        assert "no forecast yet" not in page
        assert 'class="forecast"' not in page  # no dashed line on the chart: there is no fit to draw
    fitted = headline(text(example, "objectives/grow-recurring-revenue/index.html"))
    assert "forecast 77 % (at-risk)" in fitted and "no trend" not in fitted


def test_the_dashboard_lists_the_projected_forecasts_that_miss_not_those_without_a_trend(example):
    """A forecast without a trend is the progress now: on a period's first days every objective's
    would "miss". Its page says it (above); the dashboard lists what was projected from check-ins."""
    home = text(example, "index.html")
    misses = re.search(r"Forecast to fall short</h3> ?<ul>(.*?)</ul>", home)[1]
    rows = [re.sub(r"<[^>]+>", "", row) for row in re.findall(r"<li>(.*?)</li>", misses)]
    assert rows and not [r for r in rows if "no trend" in r or "warehouse" in r.lower()]
    assert any(r.startswith("Move the largest tenants") for r in rows)


def kr_forecast_words(page: str, kr_id: str) -> str:
    row = page[page.index(f'id="{kr_id}"'):]
    return re.sub(r"<[^>]+>", "", re.search(r'<span class="kr-forecast">(.*?by \w+ \d+)', row)[1])


def test_a_forecast_value_is_written_with_the_key_results_own_precision(example):
    """An amount in whole dollars was forecast to the cent ("1,635,333.33 USD"), a count of customers "12.52": the
    value is shown to the decimals the key result's own numbers have, as its current is."""
    pipeline = text(example, "objectives/build-enterprise-pipeline/index.html")
    assert "forecast 1,635,333 USD by Dec 31" in kr_forecast_words(pipeline, "build-enterprise-pipeline-kr1")
    tenants = text(example, "objectives/migrate-largest-tenants/index.html")
    assert "47 tenants by Dec 31" in kr_forecast_words(tenants, "migrate-largest-tenants-kr1")
    okrs = {o["id"]: o for o in json.loads((example / "okrs.json").read_text())["objectives"]}
    assert okrs["build-enterprise-pipeline"]["key_results"][0]["forecast"]["value"] == 1635333.333  # okrs.json: 3 decimals, as ever


def test_a_count_is_never_forecast_below_zero(tmp_path):
    goals = tmp_path / "goals"
    (goals / "content/objectives").mkdir(parents=True)
    (goals / "okrsite.toml").write_text('title = "T"\nas_of = 2026-11-23\n')
    (goals / "content/objectives/timeouts.md").write_text(
        "---\ntitle: Fewer timeouts\nperiod: 2026-Q4\nowner: Ann\nkey_results:\n"
        "  - title: Reduce query timeouts from 12 to 3 per 10,000 queries\n    start: 12\n    target: 3\n"
        "    unit: per 10k queries\n    history:\n      - {date: 2026-10-21, value: 8}\n      - {date: 2026-11-10, value: 4.5}\n---\n")
    out = tmp_path / "out"
    assert build(goals, out).ok
    words = kr_forecast_words(text(out, "objectives/timeouts/index.html"), "timeouts-kr1")
    assert "forecast 0 per 10k queries by Dec 31" in words and "-" not in words
    [o] = json.loads((out / "okrs.json").read_text())["objectives"]
    assert o["key_results"][0]["forecast"] == {"value": 0, "progress": 1, "points": 3, "date": "2026-12-31"}


WEBINARS = ("---\ntitle: Build pipeline\nperiod: 2026-Q4\nowner: Ann\nkey_results:\n"
            "  - title: Run six customer webinars\n    target: 6\n    unit: webinars\n    history:\n"
            "      - {date: 2026-10-05, value: 2}\n      - {date: 2026-10-19, value: 4}\n"
            "  - title: Publish three case studies\n    target: 3\n    unit: case studies\n    history:\n"
            "      - {date: 2026-10-19, value: 1}\n      - {date: 2026-11-20, value: 2}\n---\n")


def forecast_span(page: str, kr_id: str) -> str:
    row = page[page.index(f'id="{kr_id}"'):]
    return re.search(r'<span class="kr-forecast">(.*?)</span>(?= ·| </p>)', row)[1]


def test_a_key_result_s_forecast_says_forecast_in_sight_and_a_stale_one_what_it_is_drawn_from(tmp_path):
    """QA: "start 488,300 USD → now 501,200 USD → target 560,000 USD · → 527,430 USD by Dec 31" had the
    word "forecast" for screen readers alone: sighted readers could take it for a new target. And a
    key result not checked in for five weeks promised 3× its target from a trend that stopped then.
    The row says "forecast 19 webinars by Dec 31", of a stale key result "from check-ins to Oct 19"."""
    goals = tmp_path / "goals"
    (goals / "content/objectives").mkdir(parents=True)
    (goals / "okrsite.toml").write_text('title = "T"\nas_of = 2026-11-23\n')
    (goals / "content/objectives/pipeline.md").write_text(WEBINARS)
    out = tmp_path / "out"
    assert build(goals, out).ok
    [o] = json.loads((out / "okrs.json").read_text())["objectives"]
    assert [k["stale"] for k in o["key_results"]] == [True, False]
    page = text(out, "objectives/pipeline/index.html")
    stale, fresh = forecast_span(page, "pipeline-kr1"), forecast_span(page, "pipeline-kr2")
    assert stale == "forecast 19 webinars by Dec 31 from check-ins to Oct 19", stale
    assert fresh == "forecast 4 case studies by Dec 31", fresh  # one phrase: nothing hidden from the eye or the ear
