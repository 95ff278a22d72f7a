"""Each goal-changing commit summed up in words (pure: versions made here, no git)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from okrsite.build import load_site
from okrsite.changes import recent_changes
from okrsite.history import Commit, FileHistory, History, Version

OBJ = "content/objectives/grow-customer-base.md"
DAY0 = datetime(2026, 10, 1, 9, tzinfo=timezone.utc)


def commit(n: int) -> Commit:
    return Commit(f"{n:040x}", DAY0 + timedelta(days=n), "Ann Lee", f"commit {n}")


def objective(**changes) -> dict:
    data = {"title": "Grow the customer base", "period": "2026-Q4", "owner": "company",
            "key_results": [{"title": "Reach 1300 customers", "start": 1000, "target": 1300, "current": 1120}]}
    data.update(changes)
    return data


def texts(site, pairs: list[tuple[str, object]], gone: list[tuple[str, object]] = ()) -> list[list[str]]:
    """Summaries (oldest commit first) of the versions of OBJ given as (path, data) pairs, one per commit."""
    versions = tuple(Version(commit(n), path, data, deleted=data is None) for n, (path, data) in enumerate(pairs))
    files = {OBJ: FileHistory(OBJ, versions)} if not gone else {}
    ended = (FileHistory(None, versions),) if gone else ()
    history = History(files, ended, tuple(v.commit for v in reversed(versions)), False, DAY0.date(), "", "0" * 40)
    return [[item.text for item in change.items] for change in reversed(recent_changes(history, site, date(2026, 12, 31)))]


@pytest.fixture
def site(base_site):
    loaded = load_site(base_site)
    assert not loaded.report.errors
    return loaded.site


def test_new_objective_values_status_and_text(site):
    kr = objective()["key_results"][0]
    assert texts(site, [
        (OBJ, objective()),
        (OBJ, objective(key_results=[dict(kr, current=1180)])),
        (OBJ, objective(key_results=[dict(kr, current=1180)], status="at-risk")),
        (OBJ, objective(key_results=[dict(kr, current=1180)], status="at-risk")),  # only the body changed
        (OBJ, objective(key_results=[dict(kr, current=1180)])),
    ]) == [
        ["New objective: Grow the customer base (2026-Q4)"],
        ["Grow the customer base: KR 1 1,120 → 1,180"],
        ["Grow the customer base: status set to at-risk"],
        ["Grow the customer base: description edited"],
        ["Grow the customer base: status set by hand removed (was at-risk)"],
    ]


def test_key_results_added_removed_retargeted_and_estimated(site):
    kr = objective()["key_results"][0]
    manual = {"title": "Hire a lead", "progress": 0.4}
    assert texts(site, [
        (OBJ, objective()),
        (OBJ, objective(key_results=[kr, manual])),
        (OBJ, objective(key_results=[dict(kr, target=1400), dict(manual, progress=0.6)])),
        (OBJ, objective(key_results=[dict(kr, target=1400)])),
        (OBJ, objective(title="Grow faster", key_results=[dict(kr, target=1400, done=True)], parent="x")),
    ])[1:] == [
        ["Grow the customer base: KR 2 added: Hire a lead"],
        ["Grow the customer base: KR 1 target 1,300 → 1,400", "Grow the customer base: KR 2 estimated 40 % → 60 %"],
        ["Grow the customer base: KR 2 removed: Hire a lead"],
        ["Grow the customer base renamed to “Grow faster”", "Grow faster: now aligned to x", "Grow faster: KR 1 done"],
    ]


def test_written_check_ins_units_and_moves(site):
    kr = dict(objective()["key_results"][0], unit="customers")
    entry = {"date": date(2026, 11, 4), "value": 1150}
    assert texts(site, [
        ("content/objectives/draft.md", objective(key_results=[kr])),
        (OBJ, objective(key_results=[dict(kr, history=[entry])])),
    ])[1] == [
        "Grow the customer base: moved to content/objectives/grow-customer-base.md",
        "Grow the customer base: KR 1 check-in 1,150 customers (2026-11-04)",
    ]


def test_a_guardrail_moves_and_its_line_changes(site):
    kr = objective()["key_results"][0]
    guard = {"title": "Keep margin up", "keep_above": 70, "current": 72, "unit": "%"}
    assert texts(site, [
        (OBJ, objective(key_results=[kr, guard])),
        (OBJ, objective(key_results=[kr, dict(guard, current=69.5)])),
        (OBJ, objective(key_results=[kr, dict(guard, current=69.5, keep_above=65)])),
    ])[1:] == [
        ["Grow the customer base: KR 2 72% → 69.5%"],
        ["Grow the customer base: KR 2 keep_above 70 → 65"],
    ]


def test_removed_objective(site):
    assert texts(site, [(OBJ, objective()), (OBJ, None)], gone=True)[1] == ["Removed objective: Grow the customer base"]


def test_items_link_to_pages_that_still_exist(site):
    versions = (Version(commit(1), OBJ, objective()),)
    history = History({OBJ: FileHistory(OBJ, versions)}, (), (versions[0].commit,), False, None, "", "")
    [change] = recent_changes(history, site, date(2026, 12, 31))
    assert change.items[0].url == "objectives/grow-customer-base/"


def test_kpi_values_added_corrected_and_removed(site):
    path = "content/kpis/mrr.md"
    base = {"title": "Monthly recurring revenue", "owner": "company", "unit": "USD", "target": 50000}
    rows = lambda *pairs: dict(base, values=[{"date": date(2026, 10, d), "value": v} for d, v in pairs])  # noqa: E731
    versions = tuple(Version(commit(n), path, data) for n, data in enumerate([
        rows((1, 40000)), rows((1, 40000), (2, 41000), (3, 42000)), rows((1, 40500), (2, 41000), (3, 42000), (4, 43000)),
        dict(rows((4, 43000)), target=55000),
    ]))
    history = History({path: FileHistory(path, versions)}, (), tuple(v.commit for v in reversed(versions)), False, None, "", "")
    said = [[i.text for i in c.items] for c in reversed(recent_changes(history, site, date(2026, 12, 31)))]
    assert said == [
        ["New KPI: Monthly recurring revenue"],
        ["Monthly recurring revenue: 2 new values, latest 42,000 USD on 2026-10-03"],
        ["Monthly recurring revenue: 43,000 USD on 2026-10-04", "Monthly recurring revenue: value of 2026-10-01 corrected 40,000 USD → 40,500 USD"],
        ["Monthly recurring revenue: target 50,000 → 55,000", "Monthly recurring revenue: 3 values removed"],
    ]


def test_teams_and_pages_are_not_goal_changes(site):
    path = "content/teams/sales.md"
    versions = (Version(commit(1), path, {"title": "Sales"}),)
    history = History({path: FileHistory(path, versions)}, (), (versions[0].commit,), False, None, "", "")
    assert recent_changes(history, site, date(2026, 12, 31)) == ()


def test_a_key_result_inserted_above_is_one_addition(site):
    kr = objective()["key_results"][0]
    new = {"title": "Hire a lead", "done": False}
    assert texts(site, [(OBJ, objective()), (OBJ, objective(key_results=[new, dict(kr, current=1150)]))])[1] == [
        "Grow the customer base: KR 1 added: Hire a lead",
        "Grow the customer base: KR 2 1,120 → 1,150",
    ]
