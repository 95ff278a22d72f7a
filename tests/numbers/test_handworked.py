"""Hand-worked expectations for tests/fixtures/handworked/.

The fixture is built once with `python -m okrsite build SITE -o OUT --as-of 2026-11-23` and every
computed number in OUT/okrs.json is compared with a value worked out by hand (the arithmetic is in the
comment next to each assertion). Rules used (SPEC §5, §6):

* numeric KR: ratio = (current - start) / (target - start), progress = ratio clamped to 0..1;
  binary KR: 1 if done else 0; manual KR: its `progress`. ratio == progress for binary and manual.
* objective progress = weighted mean of its KRs' progress (roll-up: mean of non-cancelled children).
* elapsed = clamp((as_of - start + 1) / (end - start + 1), 0, 1) in days; expected = elapsed x goal;
  goal 1.0 committed, 0.7 aspirational.
* status: manual; achieved if progress >= goal; not-started before; missed after;
  else gap = expected - progress: <= 0.10 on-track, <= 0.25 at-risk, else off-track.
* grade = round(progress, 2) once the period has ended, else null.

Periods on the as-of date 2026-11-23:
  2026-Q4  = 2026-10-01..2026-12-31 = 31+30+31 = 92 days; passed: 31 (Oct) + 23 (Nov) = 54
             elapsed = 54/92 = 0.58696 -> expected 0.587 (committed), 0.7 x 54/92 = 0.41087 -> 0.411 (aspirational)
  FY27-Q3  = 2026-11-01..2027-01-31 (okrsite.toml) = 30+31+31 = 92 days; passed: 23 -> 23/92 = 0.25
  2026-Q3  = 2026-07-01..2026-09-30: ended -> expected = goal
  2027, 2027-H1: not begun -> expected = 0
"""

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "fixtures" / "handworked"
SCHEMA_PATH = ROOT / "docs" / "okrs.schema.json"
AS_OF = "2026-11-23"

Q4_EXPECTED = 0.587  # 54/92 = 0.58696


def approx(value):
    """okrs.json rounds progress, ratio and expected to 3 decimals."""
    return pytest.approx(value, abs=0.001)


# --------------------------------------------------------------------------- build once


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    out = tmp_path_factory.mktemp("handworked") / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "okrsite", "build", str(SITE), "-o", str(out), "--as-of", AS_OF, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, (
        f"okrsite build failed with exit status {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )
    okrs = out / "okrs.json"
    assert okrs.is_file(), f"{okrs} was not written\n--- stderr ---\n{proc.stderr}"
    return proc, json.loads(okrs.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model(build):
    return build[1]


def _index(items, key, what):
    by_key = {item[key]: item for item in items}

    def get(name):
        assert name in by_key, f"{what} {name!r} missing from okrs.json; present: {sorted(by_key)}"
        return by_key[name]

    return get


@pytest.fixture(scope="module")
def obj(model):
    """obj(id) -> the objective with that id."""
    return _index(model["objectives"], "id", "objective")


@pytest.fixture(scope="module")
def kr(model):
    """kr(id) -> the key result with that id, from any objective."""
    return _index([k for o in model["objectives"] for k in o["key_results"]], "id", "key result")


@pytest.fixture(scope="module")
def kpi(model):
    """kpi(id) -> the KPI with that id."""
    return _index(model["kpis"], "id", "KPI")


@pytest.fixture(scope="module")
def period(model):
    return _index(model["periods"], "id", "period")


@pytest.fixture(scope="module")
def team(model):
    return _index(model["teams"], "id", "team")


@pytest.fixture(scope="module")
def person(model):
    return _index(model["people"], "name", "person")


# --------------------------------------------------------------------------- site-level


def test_top_level(model):
    assert model["as_of"] == AS_OF  # given with --as-of
    assert model["title"] == "Handworked Corp"  # okrsite.toml title
    assert model["generator"].startswith("okrsite ")


def test_every_objective_and_kpi_is_present(model):
    assert sorted(o["id"] for o in model["objectives"]) == sorted([
        "company-growth", "grow-revenue", "launch-mobile-app", "sunset-legacy-api",
        "improve-reliability", "cut-cloud-costs", "expand-partnerships", "enter-new-market",
        "improve-onboarding", "fy-pipeline", "win-design-award", "prepare-2027-planning",
        "migrate-datacenter", "open-berlin-office",
    ])
    assert sorted(k["id"] for k in model["kpis"]) == sorted([
        "mrr", "cloud-spend", "support-backlog", "active-users", "nps", "csat",
    ])


def test_floats_are_rounded_to_three_decimals(model):
    for o in model["objectives"]:
        for name in ("progress", "expected"):
            assert o[name] == round(o[name], 3), (o["id"], name, o[name])
        for k in o["key_results"]:
            for name in ("progress", "ratio"):
                assert k[name] == round(k[name], 3), (k["id"], name, k[name])


def test_only_notice_is_the_stale_kpi(build):
    # A clean fixture: no orphan, every KPI has a source, child periods inside the parent's, no unknown
    # keys. The one expected diagnostic is the notice about the stale KPI content/kpis/active-users.md.
    proc, _ = build
    mentioned = set(re.findall(r"content/[\w/.-]+\.md", (proc.stdout + proc.stderr).replace("\\", "/")))
    assert mentioned == {"content/kpis/active-users.md"}, proc.stdout + proc.stderr


def test_periods(period):
    q4 = period("2026-Q4")
    assert (q4["start"], q4["end"], q4["url"]) == ("2026-10-01", "2026-12-31", "periods/2026-q4/")
    q3 = period("2026-Q3")
    assert (q3["start"], q3["end"], q3["url"]) == ("2026-07-01", "2026-09-30", "periods/2026-q3/")
    h1 = period("2027-H1")
    assert (h1["start"], h1["end"], h1["url"]) == ("2027-01-01", "2027-06-30", "periods/2027-h1/")
    # `period: 2027` is a YAML integer: accepted as the year 2027.
    year = period("2027")
    assert (year["start"], year["end"], year["url"]) == ("2027-01-01", "2027-12-31", "periods/2027/")
    # Named fiscal period from okrsite.toml: [periods.FY27-Q3] start = 2026-11-01, end = 2027-01-31.
    fy = period("FY27-Q3")
    assert (fy["start"], fy["end"], fy["url"]) == ("2026-11-01", "2027-01-31", "periods/fy27-q3/")


def test_teams_and_people(team, person):
    assert team("company")["parent"] is None  # top of the organisation
    assert team("company")["url"] == "teams/company/"
    assert team("sales")["parent"] == "company"
    assert team("engineering")["lead"] == "Ada Lovelace"
    ada = person("Ada Lovelace")  # lead of engineering, owner of sunset-legacy-api
    assert ada["url"] == "people/ada-lovelace/"
    assert "engineering" in ada["teams"]
    assert set(ada["owns"]) == {"sunset-legacy-api"}
    jane = person("Jane Doe")  # member of sales, owner of the support-backlog KPI
    assert jane["url"] == "people/jane-doe/"
    assert "sales" in jane["teams"]
    assert set(jane["owns"]) == {"support-backlog"}


# --------------------------------------------------------------------------- objectives in 2026-Q4


def test_grow_revenue_on_track_increasing_decreasing_weighted(obj, kr):
    k1 = kr("grow-revenue-kr1")  # increasing: start 1000, target 1300, current 1270
    assert k1["kind"] == "numeric"
    assert (k1["start"], k1["target"], k1["current"], k1["weight"]) == (1000, 1300, 1270, 1)
    assert k1["ratio"] == approx(0.9)  # (1270-1000)/(1300-1000) = 270/300 = 0.9
    assert k1["progress"] == approx(0.9)
    assert k1["unit"] == "customers"

    k2 = kr("grow-revenue-kr2")  # decreasing: start 5, target 3, current 4, weight 2
    assert k2["kind"] == "numeric"
    assert k2["weight"] == 2
    assert k2["ratio"] == approx(0.5)  # (4-5)/(3-5) = -1/-2 = 0.5
    assert k2["progress"] == approx(0.5)
    assert k2["unit"] == "%"

    o = obj("grow-revenue")
    assert o["parent"] == "company-growth"
    assert o["progress"] == approx(0.633)  # (0.9*1 + 0.5*2)/(1+2) = 1.9/3 = 0.6333
    assert o["expected"] == approx(Q4_EXPECTED)  # 54/92 = 0.587
    assert o["status"] == "on-track"  # gap = 0.587 - 0.633 = -0.046 <= 0.10
    assert o["status_source"] == "computed"
    assert o["grade"] is None  # 2026-Q4 has not ended
    assert "mrr" in o["kpis"]  # declared only on the KPI side (mrr: objectives: [grow-revenue])


def test_launch_mobile_app_at_risk_binary(obj, kr):
    done = kr("launch-mobile-app-kr1")  # done: true
    assert done["kind"] == "binary"
    assert (done["start"], done["target"], done["current"]) == (0, 1, 1)
    assert done["progress"] == approx(1.0)
    assert done["ratio"] == approx(1.0)

    not_done = kr("launch-mobile-app-kr2")  # done: false
    assert not_done["kind"] == "binary"
    assert (not_done["start"], not_done["target"], not_done["current"]) == (0, 1, 0)
    assert not_done["progress"] == approx(0.0)
    assert not_done["ratio"] == approx(0.0)

    pilots = kr("launch-mobile-app-kr3")  # start defaults to 0; target 4, current 1
    assert pilots["kind"] == "numeric"
    assert pilots["start"] == 0
    assert pilots["progress"] == approx(0.25)  # (1-0)/(4-0) = 0.25
    assert pilots["unit"] is None

    o = obj("launch-mobile-app")
    assert o["kind"] == "committed"  # the default
    assert o["progress"] == approx(0.417)  # (1 + 0 + 0.25)/3 = 1.25/3 = 0.41667
    assert o["expected"] == approx(Q4_EXPECTED)
    assert o["status"] == "at-risk"  # gap = 0.58696 - 0.41667 = 0.170: 0.10 < 0.170 <= 0.25
    assert o["status_source"] == "computed"
    assert o["grade"] is None


def test_sunset_legacy_api_cancelled(obj, kr):
    assert kr("sunset-legacy-api-kr1")["progress"] == approx(0.0)  # (0-0)/(10-0) = 0
    o = obj("sunset-legacy-api")
    assert o["owner"] == "Ada Lovelace"  # a person
    assert o["progress"] == approx(0.0)
    assert o["status"] == "cancelled"  # status: cancelled, set by hand
    assert o["status_source"] == "manual"
    assert o["grade"] is None


def test_company_growth_rolls_up_without_cancelled_child(obj):
    o = obj("company-growth")
    assert o["key_results"] == []
    assert sorted(o["children"]) == ["grow-revenue", "launch-mobile-app", "sunset-legacy-api"]
    # mean of the non-cancelled children: (0.63333 + 0.41667)/2 = 1.05/2 = 0.525
    # (with the cancelled child it would be 1.05/3 = 0.35)
    assert o["progress"] == approx(0.525)
    assert o["expected"] == approx(Q4_EXPECTED)
    assert o["status"] == "on-track"  # gap = 0.58696 - 0.525 = 0.062 <= 0.10 (0.35 would be at-risk)
    assert o["status_source"] == "computed"
    assert o["grade"] is None


def test_improve_reliability_off_track_manual_kr_and_future_history(obj, kr):
    manual = kr("improve-reliability-kr1")  # progress: 0.2
    assert manual["kind"] == "manual"
    assert (manual["start"], manual["target"], manual["current"]) == (None, None, None)
    assert manual["progress"] == approx(0.2)
    assert manual["ratio"] == approx(0.2)  # ratio == progress for a manual KR

    runbooks = kr("improve-reliability-kr2")  # history 10-15: 20, 11-10: 30, 12-05: 90 (after as-of)
    assert runbooks["kind"] == "numeric"
    assert runbooks["current"] == 30  # latest on/before 2026-11-23 is 2026-11-10; 90 is ignored
    assert runbooks["progress"] == approx(0.3)  # (30-0)/(100-0) = 0.3
    assert runbooks["ratio"] == approx(0.3)

    o = obj("improve-reliability")
    assert o["progress"] == approx(0.25)  # (0.2 + 0.3)/2 = 0.25 (with 90 it would be 0.55)
    assert o["expected"] == approx(Q4_EXPECTED)
    assert o["status"] == "off-track"  # gap = 0.58696 - 0.25 = 0.337 > 0.25
    assert o["status_source"] == "computed"
    assert o["grade"] is None


def test_cut_cloud_costs_at_risk_kpi_linked_and_negative_ratio(obj, kr):
    linked = kr("cut-cloud-costs-kr1")  # kpi: cloud-spend, no own current; start 120, target 80, weight 3
    assert linked["kind"] == "numeric"
    assert linked["kpi"] == "cloud-spend"
    assert linked["current"] == 100  # KPI's latest value on/before as-of (2026-11-16); 70 on 11-30 ignored
    assert linked["ratio"] == approx(0.5)  # (100-120)/(80-120) = -20/-40 = 0.5
    assert linked["progress"] == approx(0.5)
    assert linked["weight"] == 3
    assert linked["unit"] == "kEUR"  # no own unit: the KPI's

    idle = kr("cut-cloud-costs-kr2")  # decreasing, moved the wrong way: start 100, target 80, current 110
    assert idle["ratio"] == approx(-0.5)  # (110-100)/(80-100) = 10/-20 = -0.5, kept unclamped
    assert idle["progress"] == approx(0.0)  # clamped to 0
    assert idle["kpi"] is None

    o = obj("cut-cloud-costs")
    # (0.5*3 + 0*1)/(3+1) = 1.5/4 = 0.375
    # (KPI value 70 would give 1*3/4 = 0.75; an unclamped -0.5 would give 1.0/4 = 0.25)
    assert o["progress"] == approx(0.375)
    assert o["expected"] == approx(Q4_EXPECTED)
    assert o["status"] == "at-risk"  # gap = 0.58696 - 0.375 = 0.212: 0.10 < 0.212 <= 0.25
    assert o["status_source"] == "computed"
    assert o["grade"] is None
    assert "cloud-spend" in o["kpis"]


def test_expand_partnerships_achieved_inside_period_ratio_above_one(obj, kr):
    partners = kr("expand-partnerships-kr1")  # start 0, target 10, current 12
    assert partners["ratio"] == approx(1.2)  # 12/10 = 1.2, shown unclamped
    assert partners["progress"] == approx(1.0)  # clamped to 1
    assert kr("expand-partnerships-kr2")["progress"] == approx(1.0)  # done: true

    o = obj("expand-partnerships")
    assert o["progress"] == approx(1.0)  # (1 + 1)/2 = 1.0 (not 1.1: the KR's progress is clamped)
    assert o["expected"] == approx(Q4_EXPECTED)
    assert o["status"] == "achieved"  # progress 1.0 >= goal 1.0, inside the period
    assert o["status_source"] == "computed"
    assert o["grade"] is None  # achieved, but the period has not ended


def test_enter_new_market_aspirational_achieved_at_seventy_percent(obj, kr):
    assert kr("enter-new-market-kr1")["progress"] == approx(0.7)  # 7/10 = 0.7
    o = obj("enter-new-market")
    assert o["kind"] == "aspirational"
    assert o["progress"] == approx(0.7)
    assert o["expected"] == approx(0.411)  # 0.7 * 54/92 = 37.8/92 = 0.41087
    assert o["status"] == "achieved"  # progress 0.7 >= aspirational goal 0.7
    assert o["status_source"] == "computed"
    assert o["grade"] is None


def test_improve_onboarding_manual_status_wins(obj):
    o = obj("improve-onboarding")
    assert o["progress"] == approx(0.9)  # 18/20 = 0.9
    assert o["expected"] == approx(Q4_EXPECTED)
    # computed would be on-track (gap = 0.587 - 0.9 < 0.10); `status: off-track` is set by hand
    assert o["status"] == "off-track"
    assert o["status_source"] == "manual"
    assert o["grade"] is None


# --------------------------------------------------------------------------- other periods


def test_fy_pipeline_named_fiscal_period(obj):
    o = obj("fy-pipeline")
    assert o["period"] == "FY27-Q3"
    assert o["progress"] == approx(0.2)  # 40/200 = 0.2
    assert o["expected"] == approx(0.25)  # FY27-Q3: (23)/(92) = 0.25
    # gap = 0.25 - 0.2 = 0.05 <= 0.10 (had the period been taken as 2026-Q4: 0.587 - 0.2 = 0.387, off-track)
    assert o["status"] == "on-track"
    assert o["status_source"] == "computed"
    assert o["grade"] is None


def test_win_design_award_not_started(obj):
    o = obj("win-design-award")
    assert o["period"] == "2027"  # `period: 2027`, a YAML integer
    assert o["progress"] == approx(0.2)  # 1/5 = 0.2
    assert o["expected"] == approx(0.0)  # before 2027-01-01: elapsed clamps to 0
    assert o["status"] == "not-started"  # 0.2 < goal 1.0, before the period
    assert o["status_source"] == "computed"
    assert o["grade"] is None


def test_prepare_2027_planning_achieved_before_period(obj, kr):
    assert kr("prepare-2027-planning-kr1")["kind"] == "binary"
    o = obj("prepare-2027-planning")
    assert o["progress"] == approx(1.0)  # done: true
    assert o["expected"] == approx(0.0)  # 2027-H1 has not begun
    assert o["status"] == "achieved"  # progress 1.0 >= goal 1.0 wins over not-started
    assert o["status_source"] == "computed"
    assert o["grade"] is None


def test_migrate_datacenter_missed_with_grade(obj, kr):
    assert kr("migrate-datacenter-kr1")["progress"] == approx(0.8)  # 40/50 = 0.8
    assert kr("migrate-datacenter-kr2")["progress"] == approx(0.667)  # 2/3 = 0.6667
    o = obj("migrate-datacenter")
    assert o["progress"] == approx(0.733)  # (0.8 + 0.66667)/2 = 0.73333
    assert o["expected"] == approx(1.0)  # 2026-Q3 ended on 2026-09-30: expected = goal = 1.0
    assert o["status"] == "missed"  # 0.733 < 1.0 after the period
    assert o["status_source"] == "computed"
    assert o["grade"] == pytest.approx(0.73, abs=1e-9)  # round(0.73333, 2) = 0.73


def test_open_berlin_office_aspirational_achieved_after_period(obj):
    o = obj("open-berlin-office")
    assert o["kind"] == "aspirational"
    assert o["progress"] == approx(0.75)  # 3/4 = 0.75
    assert o["expected"] == approx(0.7)  # after the period: the aspirational goal 0.7
    assert o["status"] == "achieved"  # 0.75 >= 0.7 (achieved comes before missed)
    assert o["status_source"] == "computed"
    assert o["grade"] == pytest.approx(0.75, abs=1e-9)  # round(0.75, 2)


def test_paths_and_urls(obj, kpi):
    o = obj("grow-revenue")
    assert o["url"] == "objectives/grow-revenue/"
    assert o["path"] == "content/objectives/grow-revenue.md"
    k = kpi("mrr")
    assert k["url"] == "kpis/mrr/"
    assert k["path"] == "content/kpis/mrr.md"


# --------------------------------------------------------------------------- KPIs


def test_kpi_mrr_healthy_merged_values(kpi):
    k = kpi("mrr")  # up; target 50000; threshold 40000; inline 2026-07-31 + 4 rows of data/mrr.csv
    assert [v["date"] for v in k["values"]] == [
        "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-20",
    ]  # merged and sorted: the inline value is the oldest
    assert k["current"] == 50000  # latest: 2026-11-20 (not the inline 38000)
    assert k["current_date"] == "2026-11-20"
    assert k["health"] == "healthy"  # 50000 >= target 50000 (inclusive)
    assert k["stale"] is False  # 2026-11-23 - 2026-11-20 = 3 days <= 2*31
    assert "grow-revenue" in k["objectives"]


def test_kpi_cloud_spend_warning_down_future_value_ignored(kpi):
    k = kpi("cloud-spend")  # down; target 80; threshold 100; values 11-02: 115, 11-16: 100, 11-30: 70
    assert k["direction"] == "down"
    assert k["current"] == 100  # 2026-11-30 (70) is after the as-of date: ignored
    assert k["current_date"] == "2026-11-16"
    # 100 > 80: target not met; 100 is not strictly beyond threshold 100 -> warning (70 would be healthy)
    assert k["health"] == "warning"
    assert k["stale"] is False  # 23 - 16 = 7 days <= 2*7
    assert "cut-cloud-costs" in k["objectives"]  # declared only on the objective side


def test_kpi_support_backlog_critical_down(kpi):
    k = kpi("support-backlog")  # down; target 50; threshold 80; values 11-02: 70, 11-12: 95
    assert k["current"] == 95
    assert k["current_date"] == "2026-11-12"
    assert k["health"] == "critical"  # 95 > threshold 80: beyond it on the wrong side
    assert k["stale"] is False  # 23 - 12 = 11 days <= 2*7 = 14 (weekly)
    assert k["owner"] == "Jane Doe"


def test_kpi_active_users_stale_warning_up(kpi):
    k = kpi("active-users")  # up; target 10000; threshold 5000; no frequency; last value 2026-09-15
    assert k["frequency"] == "monthly"  # the default
    assert k["current"] == 8000
    assert k["current_date"] == "2026-09-15"
    assert k["health"] == "warning"  # 5000 <= 8000 < 10000
    # 2026-09-15 -> 2026-11-23 = 15 (rest of Sep) + 31 (Oct) + 23 (Nov) = 69 days > 2*31 = 62
    assert k["stale"] is True


def test_kpi_nps_unknown_without_target(kpi):
    k = kpi("nps")  # no target, no direction, no frequency; one value 2026-10-10: 42
    assert k["direction"] == "up"  # the default
    assert k["target"] is None
    assert k["current"] == 42
    assert k["current_date"] == "2026-10-10"
    assert k["health"] == "unknown"  # no target
    # 2026-10-10 -> 2026-11-23 = 21 (rest of Oct) + 23 = 44 days <= 2*31 = 62 (monthly default)
    assert k["stale"] is False


def test_kpi_csat_unknown_without_values(kpi):
    k = kpi("csat")  # target 4.5, no values
    assert k["values"] == []
    assert k["current"] is None
    assert k["current_date"] is None
    assert k["health"] == "unknown"  # no values
    assert k["stale"] is False  # a KPI with no values is not stale


# --------------------------------------------------------------------------- JSON Schema


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_is_valid_draft_2020_12():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)  # raises SchemaError if not


def test_okrs_json_matches_schema(model, validator):
    errors = sorted(validator.iter_errors(model), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:20]
    )


def _first(items, **match):
    return next(i for i in items if all(i.get(k) == v for k, v in match.items()))


def _set_objective(doc, **changes):
    _first(doc["objectives"], id="grow-revenue").update(changes)


def _set_kr(doc, kr_id, **changes):
    _first([k for o in doc["objectives"] for k in o["key_results"]], id=kr_id).update(changes)


def _set_kpi(doc, kpi_id, **changes):
    _first(doc["kpis"], id=kpi_id).update(changes)


def _drop(doc, collection, key):
    del doc[collection][0][key]


# Each mutation makes the real okrs.json wrong in one way the schema must catch.
MUTATIONS = {
    "unknown status": lambda d: _set_objective(d, status="done"),
    "unknown status_source": lambda d: _set_objective(d, status_source="auto"),
    "unknown kind": lambda d: _set_objective(d, kind="stretch"),
    "progress above 1": lambda d: _set_objective(d, progress=1.2),
    "progress as text": lambda d: _set_objective(d, progress="0.63"),
    "grade as text": lambda d: _set_objective(d, grade="B"),
    "manual not-started": lambda d: _set_objective(d, status="not-started", status_source="manual"),
    "computed cancelled": lambda d: _set_objective(d, status="cancelled", status_source="computed"),
    "objective without progress": lambda d: _drop(d, "objectives", "progress"),
    "objective without grade": lambda d: _drop(d, "objectives", "grade"),
    "absolute objective url": lambda d: _set_objective(d, url="/objectives/grow-revenue/"),
    "unknown KR kind": lambda d: _set_kr(d, "grow-revenue-kr1", kind="percentage"),
    "KR ratio as null": lambda d: _set_kr(d, "grow-revenue-kr1", ratio=None),
    "numeric KR without target": lambda d: _set_kr(d, "grow-revenue-kr1", target=None),
    "manual KR with a target": lambda d: _set_kr(d, "improve-reliability-kr1", target=1),
    "binary KR with target 5": lambda d: _set_kr(d, "launch-mobile-app-kr1", target=5),
    "unknown health": lambda d: _set_kpi(d, "mrr", health="ok"),
    "unknown direction": lambda d: _set_kpi(d, "mrr", direction="higher"),
    "unknown frequency": lambda d: _set_kpi(d, "mrr", frequency="hourly"),
    "stale as text": lambda d: _set_kpi(d, "mrr", stale="no"),
    "bad current_date": lambda d: _set_kpi(d, "mrr", current_date="20/11/2026"),
    "no value yet healthy": lambda d: _set_kpi(d, "csat", health="healthy"),
    "kpi without path": lambda d: _drop(d, "kpis", "path"),
    "period without url": lambda d: _drop(d, "periods", "url"),
    "person without owns": lambda d: _drop(d, "people", "owns"),
    "missing kpis": lambda d: d.pop("kpis"),
    "page without url": lambda d: d.update(pages=[{"id": "how", "title": "How", "path": "content/how.md"}]),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_schema_rejects(name, model, validator):
    doc = copy.deepcopy(model)
    assert validator.is_valid(doc), "the unmodified okrs.json must be valid first"
    MUTATIONS[name](doc)
    assert not validator.is_valid(doc), f"schema accepted an okrs.json with: {name}"


def test_schema_allows_additional_fields_and_pages(model, validator):
    doc = copy.deepcopy(model)
    _set_objective(doc, history=[{"date": "2026-11-01", "progress": 0.5}], updated="2026-11-20")
    _set_kpi(doc, "mrr", sparkline="...")
    doc["pages"] = [{"id": "how-we-do-okrs", "title": "How we do OKRs", "url": "how-we-do-okrs/",
                     "path": "content/how-we-do-okrs.md", "extra": True}]
    errors = [e.message for e in validator.iter_errors(doc)]
    assert not errors, errors
