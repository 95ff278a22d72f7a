"""Teams that roll up: a team answers for its own objectives, its members' and its sub-teams'; its figures
per period are the mean over them (cancelled left out); roll-up objectives are dated by their latest descendant."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from okrsite.build import check_site
from okrsite.numbers.teams import home_teams, team_figures, team_groups, team_objectives

from ..conftest import write_files

TEAM = "---\ntitle: {title}\n{parent}{lead}members: [{members}]\n---\n"
OBJECTIVE = """---
title: {title}
period: {period}
owner: {owner}
{extra}key_results:
  - title: Move the number
    target: 100
    current: {current}
{history}---
"""


def objective(title: str, owner: str, current: float = 50, period: str = "2026-Q4", extra: str = "", history: str = "") -> str:
    return OBJECTIVE.format(title=title, owner=owner, current=current, period=period, extra=extra, history=history)


def team(title: str, parent: str | None, members: list[str], lead: str | None = None) -> str:
    return TEAM.format(title=title, parent=f"parent: {parent}\n" if parent else "", lead=f"lead: {lead}\n" if lead else "",
                       members=", ".join(members))


@pytest.fixture
def org(tmp_path: Path):
    """company > engineering > (platform > storage, apps); Ann leads engineering and platform; Bo is in
    apps and in storage (two branches); Cy is only in the company."""
    root = write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "Org"\nas_of = 2026-11-23\n',
        "content/teams/company.md": team("Company", None, ["Cy Diaz"]),
        "content/teams/engineering.md": team("Engineering", "company", ["Ann Lee"], lead="Ann Lee"),
        "content/teams/platform.md": team("Platform", "engineering", ["Ann Lee"], lead="Ann Lee"),
        "content/teams/storage.md": team("Storage", "platform", ["Bo Chen"]),
        "content/teams/apps.md": team("Apps", "engineering", ["Bo Chen"]),
        "content/objectives/grow.md": objective("Grow", "company", 10),
        "content/objectives/eng.md": objective("Engineering's own", "engineering", 20, extra="parent: grow\n"),
        "content/objectives/ann.md": objective("Ann's", "Ann Lee", 30, extra="parent: eng\n"),
        "content/objectives/store.md": objective("Storage's", "storage", 40, extra="parent: eng\n"),
        "content/objectives/bo.md": objective("Bo's", "Bo Chen", 90, extra="parent: eng\n"),
        "content/objectives/dropped.md": objective("Dropped", "apps", 0, extra="parent: eng\nstatus: cancelled\n"),
        "content/objectives/cy.md": objective("Cy's", "Cy Diaz", 70, extra="parent: grow\n"),
        "content/objectives/old.md": objective("Last quarter", "platform", 80, period="2026-Q3"),
    })
    checked = check_site(root)
    assert not checked.report.errors, checked.report.items
    return checked


def test_an_objective_belongs_to_its_owner_team_or_its_owners_most_specific_teams(org):
    homes = home_teams(org.loaded.site)
    assert homes["eng"] == ("engineering",) and homes["store"] == ("storage",)
    assert homes["ann"] == ("platform",), "Ann leads engineering and platform: platform is the more specific"
    assert set(homes["bo"]) == {"storage", "apps"}, "Bo is in two branches: both"
    assert homes["cy"] == ("company",)


def test_a_team_answers_for_its_members_and_sub_teams_grouped_by_team(org):
    groups = team_groups(org.loaded.site)
    engineering = groups["engineering"]
    # sub-teams and objectives in the site's order (by period, then id: goals.model.site_order)
    assert [(g.team, g.depth) for g in engineering] == [("engineering", 0), ("apps", 1), ("platform", 1), ("storage", 2)]
    assert [g.objectives for g in engineering] == [("eng",), ("bo", "dropped"), ("old", "ann"), ("bo", "store")]
    assert team_objectives(engineering) == ("eng", "bo", "dropped", "old", "ann", "store"), "Bo's objective once"
    assert set(team_objectives(groups["company"])) == set(org.loaded.site.objectives)
    assert team_objectives(groups["storage"]) == ("bo", "store")


def test_figures_are_the_mean_over_the_period_cancelled_left_out(org):
    site, scores = org.loaded.site, org.scores
    q4 = site.periods["2026-Q4"]
    figures = team_figures(site, scores, team_groups(site)["engineering"], q4)
    assert figures.objectives == ("eng", "bo", "dropped", "ann", "store")
    assert figures.counted == 4
    assert figures.progress == pytest.approx((0.2 + 0.3 + 0.4 + 0.9) / 4)
    assert figures.expected == pytest.approx(54 / 92)
    assert figures.grade is None, "no grade while the period runs"
    assert sum(figures.statuses.values()) == 4 and "cancelled" not in figures.statuses
    q3 = team_figures(site, scores, team_groups(site)["engineering"], site.periods["2026-Q3"])
    assert (q3.counted, q3.grade, q3.band, q3.statuses) == (1, 0.8, "green", {"missed": 1})


def test_worst_first_after_the_period_is_the_lowest_average_grade(org):
    from dataclasses import replace
    site, scores = org.loaded.site, org.scores
    q3 = site.periods["2026-Q3"]
    good = team_figures(site, scores, team_groups(site)["platform"], q3)
    assert good.statuses == {"missed": 1} and good.grade == good.committed == 0.8 and good.below_goal == pytest.approx(-0.2)
    worse = replace(good, grade=0.4, committed=0.4, below_goal=-0.6, statuses={"achieved": 1})
    assert worse.worst_first < good.worst_first, "all missed at 0.8 is better than achieved at an average of 0.4"


def test_after_the_period_committed_and_aspirational_grades_are_kept_apart_as_in_the_review(tmp_path):
    """A team's page showed one "average grade 0.70" for a committed objective graded 0.9 and an
    aspirational one graded 0.5: a good committed result and a missed stretch read as one middling
    grade, while the period's review keeps the two kinds apart (SPEC §13). The figures keep them apart
    too (the mean of all stays for okrs.json's `grade`), and the teams overview orders teams by how far
    the weaker of the two lies below its goal (1.0 committed, 0.7 aspirational)."""
    root = write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "Org"\nas_of = 2026-11-23\n',
        "content/teams/company.md": team("Company", None, []),
        "content/teams/mixed.md": team("Mixed", "company", []),
        "content/teams/steady.md": team("Steady", "company", []),
        "content/objectives/sure.md": objective("Sure", "mixed", 90, period="2026-Q3"),
        "content/objectives/stretch.md": objective("Stretch", "mixed", 50, period="2026-Q3", extra="kind: aspirational\n"),
        "content/objectives/keep-up.md": objective("Keep up", "steady", 85, period="2026-Q3"),
    })
    checked = check_site(root)
    assert not checked.report.errors, checked.report.items
    site, scores = checked.loaded.site, checked.scores
    q3 = site.periods["2026-Q3"]
    mixed, steady = (team_figures(site, scores, team_groups(site)[t], q3) for t in ("mixed", "steady"))
    assert (mixed.committed, mixed.aspirational, mixed.grade) == (0.9, 0.5, pytest.approx(0.7))
    assert [(kind, value) for kind, value, _ in mixed.grades] == [("committed", 0.9), ("aspirational", 0.5)]
    assert mixed.below_goal == pytest.approx(-0.2) and steady.below_goal == pytest.approx(-0.15)
    assert mixed.worst_first < steady.worst_first, "a stretch 0.2 short of its 0.7 is further off than a committed 0.85"
    assert steady.grades == (("committed", 0.85, "green"),) and steady.aspirational is None


def test_worst_first_puts_the_largest_share_behind_first(org):
    site, scores = org.loaded.site, org.scores
    q4 = site.periods["2026-Q4"]
    order = sorted(site.teams, key=lambda t: team_figures(site, scores, team_groups(site)[t], q4).worst_first)
    shares = {t: team_figures(site, scores, team_groups(site)[t], q4) for t in site.teams}
    bad = [sum(n for s, n in shares[t].statuses.items() if s == "off-track") / shares[t].counted for t in order]
    assert bad == sorted(bad, reverse=True)


ROLLUP = """---
title: {title}
period: 2026-Q4
owner: company
{parent}---
"""


def test_an_objective_without_key_results_is_updated_when_its_latest_descendant_was(tmp_path):
    history = "    history:\n      - {{date: {day}, value: 5}}\n"
    root = write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "Org"\nas_of = 2026-11-23\n',
        "content/teams/company.md": team("Company", None, []),
        "content/objectives/top.md": ROLLUP.format(title="Top", parent=""),
        "content/objectives/middle.md": ROLLUP.format(title="Middle", parent="parent: top\n"),
        "content/objectives/a.md": objective("A", "company", extra="parent: middle\n", history=history.format(day="2026-11-02")),
        "content/objectives/b.md": objective("B", "company", extra="parent: middle\n", history=history.format(day="2026-11-19")),
        "content/objectives/c.md": objective("C", "company", extra="parent: top\n"),
        "content/objectives/quiet.md": ROLLUP.format(title="Quiet", parent=""),
        "content/objectives/silent.md": objective("Silent", "company", extra="parent: quiet\n"),
    })
    scores = check_site(root).scores.objectives
    assert scores["middle"].updated == date(2026, 11, 19) and scores["top"].updated == date(2026, 11, 19)
    assert scores["c"].updated is None, "an objective with key results keeps its own date"
    assert scores["quiet"].updated is None, "nothing below it says"
    assert not scores["top"].stale, "a roll-up is never stale by itself"


def _graded(title: str, owner: str, score: float, extra: str = "") -> str:
    return objective(title, owner, 100 * score, period="2026-Q1", extra=f"score: {score}\n{extra}")


def _after_a_reorg(tmp_path: Path, teams: dict) -> tuple:
    """Q1 graded: the company's objective 1.0, Tom Baker's 0.2 and the removed Platform team's 0.5;
    by November Tom has left Engineering and platform.md is gone (its id is read as a person's name)."""
    root = write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "Org"\nas_of = 2026-11-23\n',
        **teams,
        "content/objectives/grow.md": _graded("Grow", "company", 1.0),
        "content/objectives/hire.md": _graded("Hire SREs", "Tom Baker", 0.2, "parent: grow\n"),
        "content/objectives/ci.md": _graded("Faster CI", "platform", 0.5, "parent: grow\n"),
        "content/objectives/eng.md": _graded("Ship", "engineering", 0.9, "parent: grow\n"),
    })
    checked = check_site(root)
    assert not checked.report.errors, checked.report.items
    site = checked.loaded.site
    return site, checked.scores, site.periods["2026-Q1"]


def test_the_company_team_counts_the_objectives_of_no_team_so_its_figures_are_the_review_s(tmp_path):
    """QA CN: after Tom Baker left and a team was removed, their graded Q1 objectives counted for no team,
    so the company's "final" Q1 grade on the teams overview rose from the review's 0.65 to 0.95. The only
    top-level team counts them as its own, and its figures stay those of the quarter's review."""
    site, scores, q1 = _after_a_reorg(tmp_path, {
        "content/teams/company.md": team("Company", None, ["Cy Diaz"]),
        "content/teams/engineering.md": team("Engineering", "company", ["Ana Souza"], lead="Ana Souza"),
    })
    homes = home_teams(site)
    assert homes["hire"] == homes["ci"] == ("company",) and homes["eng"] == ("engineering",)
    groups = team_groups(site)
    assert groups["company"][0].objectives == ("ci", "grow", "hire"), "the company's own, beside its members'"
    figures = team_figures(site, scores, groups["company"], q1)
    review = [scores.objectives[o.id].grade for o in site.objectives.values() if o.period == q1]
    assert set(figures.objectives) == set(site.objectives) and figures.counted == len(review) == 4
    assert figures.committed == pytest.approx(sum(review) / len(review)) == pytest.approx(0.65)
    assert team_objectives(groups["engineering"]) == ("eng",)


def test_with_several_top_level_teams_an_objective_of_no_team_counts_for_none(tmp_path):
    site, scores, q1 = _after_a_reorg(tmp_path, {
        "content/teams/company.md": team("Company", None, []),
        "content/teams/engineering.md": team("Engineering", "company", ["Ana Souza"], lead="Ana Souza"),
        "content/teams/labs.md": team("Labs", None, []),
    })
    homes = home_teams(site)
    assert homes["hire"] == homes["ci"] == ()
    assert team_objectives(team_groups(site)["company"]) == ("grow", "eng")
