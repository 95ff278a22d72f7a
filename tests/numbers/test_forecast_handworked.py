"""Hand-worked forecasts and guardrails for tests/fixtures/forecast/ (SPEC §11, §12).

The fixture is built once with `python -m okrsite build SITE -o OUT --strict` (as_of 2026-11-23 and
git_history = false in its okrsite.toml) and every forecast and guardrail in OUT/okrs.json is compared
with a value worked out by hand in the comment next to it. Rules used:

* 2026-Q4 = 2026-10-01..2026-12-31, 92 days: d = days since 2026-10-01, the last day is d = 91.
  On 2026-11-23: elapsed 54/92 = 0.58696 -> expected 0.587 (committed), 0.411 (aspirational).
* Numeric KR: points = (0, start) + every check-in dated in [2026-10-01, 2026-11-23] (its own, or a
  KPI's values for a key result that follows its KPI); one on d = 0 replaces the start point; fewer
  than 2 dates -> null. Least squares: b = Sxy / Sxx, a = mean(y) - b * mean(d); value = a + 91 b;
  forecast progress = clamp((value - start) / (target - start), 0, 1).
* Binary and manual KR: {value null, progress = progress now, points 0}.
* Objective forecast: weighted mean of its KRs' forecast progress (none: progress now), guardrails out;
  roll-up: mean of the non-cancelled children's forecasts. Null outside the period.
* forecast_status: achieved if forecast >= goal, else gap = goal - forecast: <= 0.10 on-track,
  <= 0.25 at-risk, else off-track.
* Guardrail: held = current >= keep_above (or <= keep_below), inclusive; no value -> null. Out of
  progress and forecast; a breach turns a computed on-track into at-risk.
"""

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "fixtures" / "forecast"
SCHEMA_PATH = ROOT / "docs" / "okrs.schema.json"


def approx(value):
    """okrs.json rounds progress and forecast progress to 3 decimals, forecast values too."""
    return pytest.approx(value, abs=0.001)


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "okrsite", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("forecast") / "site"
    proc = run("build", SITE, "-o", out, "--strict", "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, json.loads((out / "okrs.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model(built):
    return built[1]


@pytest.fixture(scope="module")
def obj(model):
    by_id = {o["id"]: o for o in model["objectives"]}
    return by_id.__getitem__


@pytest.fixture(scope="module")
def kr(model):
    by_id = {k["id"]: k for o in model["objectives"] for k in o["key_results"]}
    return by_id.__getitem__


def test_the_fixture_has_at_least_eight_objectives(model):
    assert len(model["objectives"]) >= 8


# --------------------------------------------------------------------------- numeric key results


def test_increasing_weighted_with_a_milestone(obj, kr):
    k = kr("grow-signups-kr1")  # start 0, target 100, weight 2; 10-31 (d=30): 40, 11-20 (d=50): 45
    # points (0, 0), (30, 40), (50, 45): mean d = 80/3, mean y = 85/3
    # Sxx = (80/3)^2 + (10/3)^2 + (70/3)^2 = 11400/9 = 3800/3; Sxy = (80*85 + 10*35 + 70*50)/9 = 10650/9 = 3550/3
    # b = 3550/3800 = 71/76 = 0.934211; a = 85/3 - 71/76 * 80/3 = 65/19 = 3.421053
    # value = 65/19 + 91 * 71/76 = 6721/76 = 88.434; progress = 88.434/100 = 0.884
    assert k["forecast"] == {"value": approx(88.434), "progress": approx(0.884), "points": 3, "date": "2026-12-31"}
    assert kr("grow-signups-kr2")["forecast"] == {"value": None, "progress": 1, "points": 0, "date": "2026-12-31"}  # done: true, no trend
    o = obj("grow-signups")
    assert o["progress"] == approx(0.633)  # (0.45 * 2 + 1) / 3 = 0.6333
    # (0.884342 * 2 + 1) / 3 = 2.768684 / 3 = 0.922895; gap = 1 - 0.922895 = 0.077 <= 0.10
    assert o["forecast"] == {"progress": approx(0.923), "status": "on-track", "date": "2026-12-31"}
    assert o["status"] == "on-track"  # the forecast never changes the status


def test_decreasing_on_a_straight_line_forecasts_its_own_end(obj, kr):
    k = kr("cut-churn-kr1")  # start 5, target 3; 10-16 (d=15): 4.7, 11-15 (d=45): 4.1
    # (0, 5), (15, 4.7), (45, 4.1) lie on y = 5 - 0.02 d, so the fit is that line:
    # value = 5 - 0.02 * 91 = 3.18; progress = (3.18 - 5) / (3 - 5) = 1.82 / 2 = 0.91
    assert k["forecast"] == {"value": approx(3.18), "progress": approx(0.91), "points": 3, "date": "2026-12-31"}
    assert kr("cut-churn-kr2")["forecast"] == {"value": None, "progress": 0.5, "points": 0, "date": "2026-12-31"}  # progress: 0.5
    o = obj("cut-churn")
    assert o["progress"] == approx(0.475)  # ((4.1 - 5) / (3 - 5) + 0.5) / 2 = (0.45 + 0.5) / 2
    assert o["status"] == "at-risk"  # gap = 0.587 - 0.475 = 0.112
    # (0.91 + 0.5) / 2 = 0.705; gap = 1 - 0.705 = 0.295 > 0.25
    assert o["forecast"] == {"progress": approx(0.705), "status": "off-track", "date": "2026-12-31"}


def test_kpi_linked_without_own_check_ins(obj, kr):
    k = kr("grow-active-teams-kr1")  # kpi: active-teams, start 200, target 500, no current, no history
    # KPI values in [10-01, 11-23]: 10-20 (d=19): 260, 11-10 (d=40): 330 (09-30 is before, 12-05 after)
    # points (0, 200), (19, 260), (40, 330): mean d = 59/3, mean y = 790/3
    # Sxx = ((59)^2 + (2)^2 + (61)^2) / 9 = 7206/9 = 2402/3; Sxy = (59*190 + 2*10 + 61*200) / 9 = 23430/9 = 7810/3
    # b = 7810/2402 = 3905/1201 = 3.251457; a = 790/3 - b * 59/3 = 239465/1201 = 199.388
    # value = 199.388 + 91 * 3.251457 = 594820/1201 = 495.271; progress = 295.271/300 = 0.984
    assert k["forecast"] == {"value": approx(495.271), "progress": approx(0.984), "points": 3, "date": "2026-12-31"}
    assert k["current"] == 330
    o = obj("grow-active-teams")  # aspirational: goal 0.7
    assert o["forecast"] == {"progress": approx(0.984), "status": "achieved", "date": "2026-12-31"}  # 0.984 >= 0.7
    assert o["status"] == "on-track"  # progress 130/300 = 0.433 against an expected 0.411


def test_a_check_in_on_the_first_day_replaces_the_start_point(obj, kr):
    k = kr("first-day-checkin-kr1")  # start 10, target 50; 10-01: 14, 11-01 (d=31): 20, 11-21 (d=51): 30
    # points (0, 14), (31, 20), (51, 30): (0, 10) is replaced, so 3 points, not 4
    # mean d = 82/3, mean y = 64/3; Sxx = (82^2 + 11^2 + 71^2)/9 = 11886/9 = 3962/3
    # Sxy = (82*22 + 11*4 + 71*26)/9 = 3606/9 = 1202/3; b = 1202/3962 = 601/1981 = 0.303382
    # a = 64/3 - b * 82/3 = 25834/1981 = 13.040888; value = 13.040888 + 91 b = 80525/1981 = 40.649
    # progress = (40.649 - 10) / 40 = 0.766 (with the start point kept it would be 4 points and another line)
    assert k["forecast"] == {"value": approx(40.649), "progress": approx(0.766), "points": 3, "date": "2026-12-31"}
    assert obj("first-day-checkin")["forecast"] == {"progress": approx(0.766), "status": "at-risk", "date": "2026-12-31"}  # gap 0.234


def test_one_check_in_only_has_no_forecast(obj, kr):
    # Its only check-in is dated on the first day: it replaces the start point, one date -> null.
    assert kr("one-checkin-kr1")["forecast"] is None
    # current: 4 and no check-in: the start point alone -> null.
    assert kr("one-checkin-kr2")["forecast"] is None
    o = obj("one-checkin")
    assert o["progress"] == approx(0.4)  # (3/10 + 4/8) / 2
    # Without a forecast each counts with its progress now: (0.3 + 0.5) / 2 = 0.4; gap 0.6 -> off-track
    assert o["forecast"] == {"progress": approx(0.4), "status": "off-track", "date": "2026-12-31"}


def test_one_check_in_after_the_first_day_makes_a_line_with_the_start(obj, kr):
    # SPEC §11 counts the start point: (0, 0) and 11-16 (d=46): 23 are two dates.
    # b = 23/46 = 0.5, a = 0; value = 0.5 * 91 = 45.5; progress = 45.5/60 = 0.758
    assert kr("hire-engineers-kr1")["forecast"] == {"value": approx(45.5), "progress": approx(0.758), "points": 2, "date": "2026-12-31"}
    assert obj("hire-engineers")["forecast"] == {"progress": approx(0.758), "status": "at-risk", "date": "2026-12-31"}  # gap 0.242


def test_no_forecast_after_or_before_the_period(obj, kr):
    assert kr("close-q3-books-kr1")["forecast"] is None  # 2026-Q3 ended on 2026-09-30, three check-ins or not
    assert obj("close-q3-books")["forecast"] is None
    assert obj("close-q3-books")["grade"] == 0.9
    assert kr("plan-2027-kr1")["forecast"] is None  # 2027-Q1 has not begun
    assert obj("plan-2027")["forecast"] is None


def test_roll_up_forecast_leaves_out_the_cancelled_child(obj):
    o = obj("company-goals")  # a held guardrail and three children, one of them cancelled
    assert o["progress"] == approx(0.554)  # (0.63333 + 0.475) / 2 = 0.55417: guardrails and sunset-feature left out
    # (0.922895 + 0.705) / 2 = 0.813947; gap = 1 - 0.814 = 0.186 -> at-risk
    # (with the cancelled child's forecast 0 it would be 0.543, off-track)
    assert o["forecast"] == {"progress": approx(0.814), "status": "at-risk", "date": "2026-12-31"}
    assert o["status"] == "on-track"  # gap = 0.587 - 0.554 = 0.033


# --------------------------------------------------------------------------- guardrails


def test_held_on_its_line_and_breached(obj, kr):
    held = kr("protect-margins-kr2")  # keep_above 70, current 70: on the line is held (inclusive)
    assert (held["kind"], held["keep_above"], held["keep_below"], held["current"], held["held"]) == ("guardrail", 70, None, 70, True)
    assert (held["progress"], held["ratio"], held["weight"], held["forecast"]) == (None, None, None, None)
    assert (held["start"], held["target"]) == (None, None)
    breached = kr("protect-margins-kr3")  # keep_below 2.5; history 10-15: 2.1, 11-15: 2.8 -> current 2.8
    assert (breached["keep_below"], breached["current"], breached["held"]) == (2.5, 2.8, False)
    o = obj("protect-margins")
    assert o["breached"] == 1
    assert o["progress"] == approx(0.8)  # 8/10: guardrails left out (with them at 0 it would be 0.267)
    # computed: gap = 0.587 - 0.8 < 0.10 -> on-track, turned at-risk by the breach
    assert (o["status"], o["status_source"]) == ("at-risk", "computed")
    # KR1: (0, 0), (31, 6), (50, 8): b = 208/1274 = 8/49, a = 14/3 - 8/49 * 27 = 38/147
    # value = 38/147 + 91 * 8/49 = 2222/147 = 15.116 -> progress 1.512 clamped to 1 -> achieved
    assert kr("protect-margins-kr1")["forecast"] == {"value": approx(15.116), "progress": 1, "points": 3, "date": "2026-12-31"}
    assert o["forecast"] == {"progress": 1, "status": "achieved", "date": "2026-12-31"}  # the guardrails are not in it


def test_guardrail_from_a_kpi_and_one_without_data(obj, kr):
    latency = kr("steady-operations-kr2")  # kpi: p95-latency, keep_below 300; KPI latest 280 (11-18)
    assert (latency["current"], latency["held"], latency["unit"], latency["kpi"]) == (280, True, "ms", "p95-latency")
    csat = kr("steady-operations-kr3")  # keep_above 4.5, no current, no history, no KPI
    assert (csat["current"], csat["held"]) == (None, None)
    o = obj("steady-operations")
    assert o["breached"] == 0
    assert o["progress"] == approx(0.625)  # (50 - 100) / (20 - 100) = 0.625
    assert o["status"] == "on-track"  # no breach: gap = 0.587 - 0.625 < 0
    # (0, 100), (20, 60), (40, 50): b = -1000/800 = -1.25, a = 70 + 1.25 * 20 = 95
    # value = 95 - 1.25 * 91 = -18.75 -> progress (−18.75 − 100)/(20 − 100) = 1.484, clamped to 1;
    # no number of it is below 0, so neither is its forecast value: 0 (progress (0 − 100)/(20 − 100) = 1.25, clamped to 1)
    assert kr("steady-operations-kr1")["forecast"] == {"value": 0, "progress": 1, "points": 3, "date": "2026-12-31"}


def test_a_manual_status_stays_despite_a_breach(obj):
    o = obj("manual-breach")  # status: on-track by hand; keep_below 10, current 12
    assert (o["status"], o["status_source"], o["breached"]) == ("on-track", "manual", 1)
    # KR1 has current: 1 and no check-in: no forecast, it counts with 1/4 = 0.25 -> off-track
    assert o["forecast"] == {"progress": approx(0.25), "status": "off-track", "date": "2026-12-31"}


def test_guardrail_only_objective_is_an_error(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    (site / "content" / "objectives" / "only-guards.md").write_text(
        "---\ntitle: Only guardrails\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
        "  - title: Keep margin at or above 70%\n    keep_above: 70\n    current: 71\n---\n", encoding="utf-8")
    proc = run("check", site, "--format", "json")
    assert proc.returncode == 1
    errors = json.loads(proc.stdout)["errors"]
    assert [(e["file"], e["line"]) for e in errors] == [("content/objectives/only-guards.md", 5)]  # the key_results line
    assert "only guardrails" in errors[0]["message"] and "add a key result" in errors[0]["hint"]


# --------------------------------------------------------------------------- okrs.json and its schema


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_okrs_json_matches_the_schema(model, validator):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(model)]
    assert not errors, errors


def _kr(doc, kr_id):
    return next(k for o in doc["objectives"] for k in o["key_results"] if k["id"] == kr_id)


def _objective(doc, ident):
    return next(o for o in doc["objectives"] if o["id"] == ident)


MUTATIONS = {
    "guardrail with progress": lambda d: _kr(d, "protect-margins-kr2").update(progress=0.5),
    "guardrail with both lines": lambda d: _kr(d, "protect-margins-kr2").update(keep_below=80),
    "guardrail without a line": lambda d: _kr(d, "protect-margins-kr2").update(keep_above=None),
    "guardrail with a forecast": lambda d: _kr(d, "protect-margins-kr2").update(forecast={"value": 1, "progress": 1, "points": 2}),
    "held as text": lambda d: _kr(d, "protect-margins-kr2").update(held="yes"),
    "numeric with held": lambda d: _kr(d, "grow-signups-kr1").update(held=True),
    "numeric with a line": lambda d: _kr(d, "grow-signups-kr1").update(keep_above=3),
    "numeric forecast of one point": lambda d: _kr(d, "grow-signups-kr1")["forecast"].update(points=1),
    "numeric forecast without value": lambda d: _kr(d, "grow-signups-kr1")["forecast"].update(value=None),
    "binary forecast with points": lambda d: _kr(d, "grow-signups-kr2")["forecast"].update(points=2),
    "forecast progress above 1": lambda d: _kr(d, "grow-signups-kr1")["forecast"].update(progress=1.2),
    "no forecast key": lambda d: _kr(d, "grow-signups-kr1").pop("forecast"),
    "unknown forecast status": lambda d: _objective(d, "grow-signups")["forecast"].update(status="missed"),
    "objective without breached": lambda d: _objective(d, "grow-signups").pop("breached"),
    "negative breached": lambda d: _objective(d, "grow-signups").update(breached=-1),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_schema_rejects(name, model, validator):
    doc = copy.deepcopy(model)
    MUTATIONS[name](doc)
    assert not validator.is_valid(doc), f"the schema accepted an okrs.json with: {name}"


# --------------------------------------------------------------------------- pages


def test_pages_show_forecast_and_guardrails(built):
    out, _ = built
    page = (out / "objectives" / "grow-signups" / "index.html").read_text(encoding="utf-8")
    assert 'forecast <strong>92 %</strong> (on-track)' in page
    assert '<span class="kr-forecast">forecast 88 by Dec 31</span>' in page  # the KR row: where it will land, whole signups as its numbers are
    assert 'class="forecast"' in page and "straight lines through 2 check-ins of 1 key results" not in page
    assert "straight line through 2 check-ins" in page  # one key result with a line (the milestone has none)
    guarded = (out / "objectives" / "protect-margins" / "index.html").read_text(encoding="utf-8")
    assert 'data-kr="protect-margins-kr3" data-held="false"' in guarded and "breached" in guarded
    assert 'data-kr="protect-margins-kr2" data-held="true"' in guarded
    assert "keep at or below 2.5%" in guarded and 'class="breach-zone"' in guarded
    assert guarded.count('class="breach"') == 1  # 2.8 on 11-15 is across the line, 2.1 is not
    no_line = (out / "objectives" / "one-checkin" / "index.html").read_text(encoding="utf-8")
    assert 'class="forecast"' not in no_line  # no key result with a line: nothing to draw
    assert "forecast <strong>40 %</strong> (off-track)<small>, from current progress: no trend yet</small>" in no_line  # okrs.json's 0.4: nothing projected
    home = (out / "index.html").read_text(encoding="utf-8")
    attention = home[home.index('id="attention"'):]
    assert "Forecast to fall short" in attention and "Guardrails breached" in attention
    assert 'href="objectives/protect-margins/index.html#protect-margins-kr3"' in attention
    assert 'href="objectives/manual-breach/index.html#manual-breach-kr2"' in attention
    assert "Sunset the legacy exporter" not in attention  # cancelled
