"""A KPI retired with `retired:` (QA EE; docs/kpis.md#retiring-a-kpi): its page, the lists and okrs.json
from its day on, and the site exactly as it was before that day and for a period that ended before it."""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from okrsite.build import build

from ..conftest import REPO, write_files

TRIAL = ("---\ntitle: Trial conversion\nowner: company\ntarget: 12\nthreshold: 11\nfrequency: weekly\nsource: Billing\n{retired}values:\n"
         "  - {{date: 2026-01-31, value: 10.5}}\n  - {{date: 2026-02-28, value: 10.8}}\n---\nRetired in 2026-Q2.\n")
FILES = {
    "okrsite.toml": 'title = "Retiring"\n',
    "content/teams/company.md": "---\ntitle: Company\n---\n",
    "content/kpis/a-trial.md": TRIAL,  # first in the order of the files
    "content/kpis/mrr.md": "---\ntitle: MRR\nowner: company\ntarget: 100\nthreshold: 50\nsource: Billing\nvalues:\n  - {date: 2026-12-01, value: 70}\n---\n",
    "content/objectives/q1.md": "---\ntitle: Convert trials\nperiod: 2026-Q1\nowner: company\nkpis: [a-trial]\nkey_results:\n"
                                "  - title: Trial conversion to 12\n    start: 10\n    target: 12\n    kpi: a-trial\n---\n",
}
RETIRED = "retired: 2026-04-03\n"


def built(root: Path, retired: str, as_of: date) -> Path:
    write_files(root, {**FILES, "content/kpis/a-trial.md": TRIAL.format(retired=retired)})
    out = root.parent / f"out-{as_of}-{bool(retired)}"
    assert build(root, out, as_of=as_of, cache=False).ok
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("retired")
    return {(retired, as_of): built(base / f"goals-{as_of}-{bool(retired)}", retired, as_of)
            for retired in ("", RETIRED) for as_of in (date(2026, 4, 2), date(2026, 12, 6))}


def page(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


def text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|svg)[^>]*>.*?</\1>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"</?time[^>]*>", "", html)))  # a date is a word of its sentence


def test_from_its_day_a_retired_kpi_says_so_by_its_title_and_in_every_list(sites):
    out = sites[RETIRED, date(2026, 12, 6)]
    kpi = page(out, "kpis/a-trial/")
    assert re.search(r'</h1>\s*<p class="retired-note"[^>]*>Retired on <time datetime="2026-04-03">2026-04-03</time>: no longer measured\.</p>', kpi)
    assert "days old, more than twice" not in kpi and "◷" not in text(kpi.split("<h2")[0])
    home = page(out, "")
    assert "Stale KPIs" not in home
    tiles = re.findall(r'<article class="tile[^"]*">\s*<h3><a href="kpis/([^/]+)/', home)
    assert tiles == ["mrr", "a-trial"], "the retired KPI (critical) after the live one (warning)"
    assert "◼</span> retired" in home.split('href="kpis/a-trial/index.html"')[1].split("</article>")[0]
    team = page(out, "teams/company/")
    assert re.findall(r'<h3><a href="../../kpis/([^/]+)/', team) == ["mrr", "a-trial"]
    kpis = {k["id"]: k for k in json.loads((out / "okrs.json").read_text())["kpis"]}
    assert (kpis["a-trial"]["retired"], kpis["a-trial"]["stale"], kpis["mrr"]["retired"]) == ("2026-04-03", False, None)


def test_a_retired_badge_says_its_day_in_words_not_only_in_a_tooltip(sites):
    """The badge on home tiles and team pages had the day only in its title attribute, which keyboard,
    touch and most screen reader users never get (WCAG 1.3.1): it shows the day as text."""
    out = sites[RETIRED, date(2026, 12, 6)]
    for html in (page(out, ""), page(out, "teams/company/")):
        badge = re.search(r'<span[^>]* class="badge retired"[^>]*>.*?</small></span>', html)
        assert badge and text(badge[0]).strip() == "◼ retired 2026-04-03", badge
        assert "title=" not in badge[0]


def test_without_it_the_kpi_stays_stale_forever(sites):
    out = sites["", date(2026, 12, 6)]
    assert "Stale KPIs" in page(out, "") and "Retired on" not in page(out, "kpis/a-trial/")
    assert {k["id"]: k["stale"] for k in json.loads((out / "okrs.json").read_text())["kpis"]}["a-trial"] is True


def files_of(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def test_before_its_day_nothing_changes(sites):
    before, without = files_of(sites[RETIRED, date(2026, 4, 2)]), files_of(sites["", date(2026, 4, 2)])
    assert before.keys() == without.keys()
    assert [name for name in before if before[name] != without[name]] == []
    assert b"Stale KPIs" in before["index.html"]


def test_a_period_that_ended_before_its_day_keeps_its_pages(sites):
    retired, without = sites[RETIRED, date(2026, 12, 6)], sites["", date(2026, 12, 6)]
    for url in ("periods/2026-q1/review/", "objectives/q1/"):
        assert page(retired, url) == page(without, url), url
    assert "◷</span> stale" in page(retired, "periods/2026-q1/review/"), "stale as it was on 2026-03-31"


def test_a_retired_kpis_chart_ends_at_its_day_and_a_live_ones_runs_to_today(sites):
    """QA EH: a chart running to the as-of day squeezed a KPI retired years ago into its left edge."""
    out = sites[RETIRED, date(2026, 12, 6)]
    chart = page(out, "kpis/a-trial/").split('<svg', 1)[1].split("</svg>")[0]
    assert 'class="today"' not in chart and '>retired</text>' in chart
    assert "none since, retired on 2026-04-03" in chart and "2026-12-06" not in chart
    assert 'class="today"' in page(out, "kpis/mrr/")


def test_a_retired_kpis_page_says_no_day_it_would_go_stale(tmp_path):
    """QA EI: "Frequency not set (stale as monthly data: after 62 days without a value)" on a KPI never stale again."""
    out = tmp_path / "out"
    root = write_files(tmp_path / "goals", {**FILES, "content/kpis/a-trial.md": TRIAL.format(retired=RETIRED).replace("frequency: weekly\n", "")})
    assert build(root, out, as_of=date(2026, 12, 6), cache=False).ok
    kpi = text(page(out, "kpis/a-trial/"))
    assert "Frequency not set " in kpi and "without a value" not in kpi
    assert "after 62 days without a value" in text(page(out, "kpis/mrr/"))


SIGNUPS = ("---\ntitle: Signups\nowner: company\ntarget: 100\nfrequency: monthly\nsource: CRM\nretired: 2026-11-30\nvalues:\n"
           "  - {date: 2026-09-30, value: 20}\n  - {date: 2026-10-15, value: 30}\n  - {date: 2026-10-31, value: 40}\n  - {date: 2026-11-14, value: 50}\n---\n")
GROW = "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Signups to 100\n    start: 20\n    target: 100\n    kpi: signups\n---\n"


@pytest.mark.parametrize("as_of", [date(2026, 11, 15), date(2026, 12, 6)])
def test_a_key_result_following_a_kpi_retired_in_its_quarter_is_shown_forecast_to_that_day(tmp_path, as_of):
    """Review of QA EO 6: its forecast is read on the KPI's retired day, but its row said "→ 61 by Dec 31"
    and the progress chart drew the forecast on to the period's end. Both end on the retired day. From
    that day on it stands at the KPI's last value, its forecast (QA: it had none, which SPEC §11 gives
    only without two dated points), which its row says as the day it stands from."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": FILES["okrsite.toml"], "content/teams/company.md": FILES["content/teams/company.md"],
                                            "content/kpis/signups.md": SIGNUPS, "content/objectives/grow.md": GROW})
    out = tmp_path / "out"
    assert build(root, out, as_of=as_of, cache=False).ok
    html = page(out, "objectives/grow/")
    chart = html.split('<svg', 1)[1].split("</svg>")[0]
    if as_of < date(2026, 11, 30):
        assert "61 by Nov 30 (its KPI is retired that day)" in text(html) and "by Dec 31" not in text(html)
        forecast_end = re.search(r'<line class="forecast" [^>]*x2="([\d.]+)"', chart).group(1)
        assert re.search(rf'<line class="retired" x1="{forecast_end}"', chart) and ">retired</text>" in chart
        assert "forecast 51 % by 2026-11-30 (straight line through 3 check-ins), the day the KPI it follows is retired: it stands there to 2026-12-31" in chart
        assert "Short dashes from today to 2026-11-30, the \"retired\" line" in text(html)
    else:
        assert "· forecast 50 from Nov 30 (its KPI was retired that day)" in text(html) and 'class="retired"' not in chart
        assert "forecast 38 % by 2026-12-31" in chart
        assert "the forecast, 38 % (straight line through 3 check-ins), where it has stood since 2026-11-30, the day the KPI it follows is retired." in text(html)


def test_a_key_result_following_a_kpi_retired_before_its_quarter_says_the_day_it_was_retired(tmp_path):
    """A KPI retired on 2026-09-30 (its values of 2026-Q4 a warning) stands still from 2026-Q4's first
    day, which its key result's row said was the day it was retired: "→ 50 from Oct 1 (its KPI was
    retired that day)", and the note under the chart "since 2026-10-01, the day the KPI it follows is
    retired". Both say it was retired before the quarter began; `check` warns at the `kpi:` line."""
    from okrsite.build import check_site

    root = write_files(tmp_path / "goals", {"okrsite.toml": FILES["okrsite.toml"], "content/teams/company.md": FILES["content/teams/company.md"],
                                            "content/kpis/signups.md": SIGNUPS.replace("retired: 2026-11-30", "retired: 2026-09-30"),
                                            "content/objectives/grow.md": GROW})
    out = tmp_path / "out"
    assert build(root, out, as_of=date(2026, 11, 15), cache=False).ok
    html = page(out, "objectives/grow/")
    said = unescape(text(html))
    assert '(its KPI was retired on <time datetime="2026-09-30">2026-09-30</time>, before 2026-Q4 began)' in html
    assert "· forecast 50 from Oct 1 (its KPI was retired on 2026-09-30, before 2026-Q4 began)" in said and "retired that day" not in said
    assert ("where it has stood since 2026-10-01, the period's first day: the KPI it follows was retired before it began." in said
            and "the day the KPI it follows is retired" not in said)
    report = check_site(root, date(2026, 11, 15), None).report
    assert [(d.file, d.line) for d in report.items if "follows the KPI 'signups', retired on 2026-09-30" in d.message] == [("content/objectives/grow.md", 9)]


TRIALS = SIGNUPS.replace("title: Signups", "title: Trials").replace("retired: 2026-11-30", "retired: 2026-11-20")
BOTH = GROW.removesuffix("---\n") + "  - title: Trials to 100\n    start: 20\n    target: 100\n    kpi: trials\n---\n"


def test_an_objective_following_several_retired_kpis_says_its_forecast_ends_on_the_last_ones_day(tmp_path):
    """Its chart ended the forecast on the later of its KPIs' retired days, but the note under it and its
    description said "the day the KPI it follows is retired", as if there were one."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": FILES["okrsite.toml"], "content/teams/company.md": FILES["content/teams/company.md"],
                                            "content/kpis/signups.md": SIGNUPS, "content/kpis/trials.md": TRIALS,
                                            "content/objectives/grow.md": BOTH})
    out = tmp_path / "out"
    assert build(root, out, as_of=date(2026, 11, 15), cache=False).ok
    html = page(out, "objectives/grow/")
    last = "the day the last of the KPIs its key results follow is retired"
    assert f'Short dashes from today to 2026-11-30, the "retired" line, {last}:' in text(html)
    assert f"{last}: it stands there to 2026-12-31" in html.split("<svg", 1)[1].split("</svg>")[0]
    assert "the KPI it follows" not in html


def test_an_objective_html_of_a_theme_from_before_retired_words_took_the_objective_still_builds(tmp_path):
    """docs/themes.md: `view.retired_words(forecast)`, as an objective.html copied before it took the
    objective calls it, failed the build (TypeError); it gives the retired day's words, as it did."""
    default = (REPO / "theme" / "templates" / "objective.html").read_text()
    older = default.replace("view.retired_words(ahead, o)", "view.retired_words(ahead)")
    assert older != default
    root = write_files(tmp_path / "goals", {"okrsite.toml": FILES["okrsite.toml"], "content/teams/company.md": FILES["content/teams/company.md"],
                                            "content/kpis/signups.md": SIGNUPS, "content/objectives/grow.md": GROW,
                                            "theme/templates/objective.html": older})
    out = tmp_path / "out"
    assert build(root, out, as_of=date(2026, 11, 15), cache=False).ok
    assert 'Short dashes from today to 2026-11-30, the "retired" line, the day the KPI it follows is retired:' in text(page(out, "objectives/grow/"))
