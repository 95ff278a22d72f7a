"""What the history tells of an id the files name but no file has (git/former.py, goals/former.py): a
parent or team renamed or deleted is said so, with the commit, instead of a did-you-mean of another one (QA EC)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from okrsite.build import build, check
from okrsite.preview.state import Project

from ..gitrepo import GitRepo, needs_git

pytestmark = needs_git

AS_OF = date(2026, 12, 6)


def goal(title: str, period: str, owner: str, parent: str | None = None, current: int = 5) -> str:
    lines = ["---", f"title: {title}", f"period: {period}", f"owner: {owner}"] + ([f"parent: {parent}"] if parent else [])
    return "\n".join(lines + ["key_results:", "  - title: k", "    target: 10", f"    current: {current}", "---", ""])


def said(root: Path, file: str) -> list[tuple[str, int, str, str]]:
    return [(d.severity, d.line, d.message, d.hint) for d in check(root, AS_OF).sorted() if d.file == file and d.severity != "notice"]


@pytest.fixture
def squads(tmp_path: Path) -> GitRepo:
    """Squad B (beside Squad A) owned a graded Q3 objective and a running Q4 one."""
    repo = GitRepo(tmp_path / "squads")
    repo.commit({"content/teams/company.md": "---\ntitle: Company\n---\n",
                 "content/teams/squad-a.md": "---\ntitle: Squad A\nparent: company\n---\n",
                 "content/teams/squad-b.md": "---\ntitle: Squad B\nparent: company\n---\n",
                 "content/objectives/top.md": "---\ntitle: Top\nperiod: 2026\nowner: company\n---\n",
                 "content/objectives/b-q3.md": goal("B in Q3", "2026-Q3", "squad-b", "top", 9),
                 "content/objectives/b-q4.md": goal("B in Q4", "2026-Q4", "squad-b", "top")}, "2026-07-01T09:00:00+00:00")
    return repo


def test_a_team_deleted_beside_a_sibling_of_one_letter_is_a_warning_naming_the_commit(squads, tmp_path):
    """`git rm content/teams/squad-b.md` beside squad-a failed the build with "unknown team 'squad-b' (did
    you mean 'squad-a'?)" in every file naming it, a graded Q3 record told to name another squad."""
    gone = squads.commit({"content/teams/squad-b.md": None}, "2026-11-10T09:00:00+00:00", message="Disband squad B")[:7]
    owner = "owner 'squad-b' is no team's id, so it is read as a person's name"
    restore = f"bring it back with git checkout {gone}~1 -- content/teams/squad-b.md"
    assert said(squads.root, "content/objectives/b-q3.md") == [
        ("warning", 4, owner, f"the team squad-b was deleted in {gone} on 2026-11-10: keep its file while finished quarters name it, "
                              f"{restore} (see docs/teams-and-people.md#reorganising)")]
    assert said(squads.root, "content/objectives/b-q4.md") == [
        ("warning", 4, owner, f"the team squad-b was deleted in {gone} on 2026-11-10: write another owner here, or keep the team's file: "
                              f"{restore} (see docs/teams-and-people.md#reorganising)")]
    assert build(squads.root, tmp_path / "out", as_of=AS_OF).ok


def test_a_team_renamed_is_told_its_new_id(squads):
    renamed = squads.commit({}, "2026-11-10T09:00:00+00:00", moves={"content/teams/squad-b.md": "content/teams/squad-bee.md"})[:7]
    assert said(squads.root, "content/objectives/b-q4.md") == [
        ("warning", 4, "owner 'squad-b' is no team's id, so it is read as a person's name",
         f"the team squad-b was renamed to squad-bee in {renamed} on 2026-11-10: write owner: squad-bee, "
         "or keep its old id with 'id: squad-b' in content/teams/squad-bee.md")]



def test_a_parent_team_renamed_is_told_its_new_id(squads):
    renamed = squads.commit({}, "2026-11-10T09:00:00+00:00", moves={"content/teams/company.md": "content/teams/org.md"})[:7]
    assert said(squads.root, "content/teams/squad-a.md") == [
        ("error", 3, "unknown parent team 'company'",
         f"renamed to org in {renamed} on 2026-11-10: write parent: org, or keep the old id with 'id: company' in content/teams/org.md")]

@pytest.fixture
def betas(tmp_path: Path) -> GitRepo:
    """Two launches a letter apart; EU billing is aligned to the EU one."""
    repo = GitRepo(tmp_path / "betas")
    repo.commit({"content/teams/company.md": "---\ntitle: Company\n---\n",
                 "content/objectives/top.md": "---\ntitle: Top\nperiod: 2026-Q4\nowner: company\n---\n",
                 "content/objectives/launch-beta-eu.md": goal("Launch beta EU", "2026-Q4", "company", "top"),
                 "content/objectives/launch-beta-us.md": goal("Launch beta US", "2026-Q4", "company", "top"),
                 "content/objectives/eu-billing.md": goal("EU billing", "2026-Q4", "company", "launch-beta-eu")}, "2026-10-01T09:00:00+00:00")
    return repo


def test_a_parent_renamed_with_git_mv_is_told_its_new_id_not_another_team_s_objective(betas):
    renamed = betas.commit({}, "2026-11-12T09:00:00+00:00", moves={"content/objectives/launch-beta-eu.md": "content/objectives/launch-public-beta-eu.md"})[:7]
    assert said(betas.root, "content/objectives/eu-billing.md") == [
        ("error", 5, "unknown parent 'launch-beta-eu'",
         f"renamed to launch-public-beta-eu in {renamed} on 2026-11-12: write parent: launch-public-beta-eu, "
         "or keep the old id with 'id: launch-beta-eu' in content/objectives/launch-public-beta-eu.md")]


def test_a_parent_deleted_is_told_the_commit_and_an_id_git_never_knew_keeps_the_guess(betas):
    deleted = betas.commit({"content/objectives/launch-beta-eu.md": None}, "2026-11-12T09:00:00+00:00")[:7]
    assert said(betas.root, "content/objectives/eu-billing.md") == [
        ("error", 5, "unknown parent 'launch-beta-eu'",
         f"deleted in {deleted} on 2026-11-12: align it to another objective (or to none), or keep its file: "
         f"bring it back with git checkout {deleted}~1 -- content/objectives/launch-beta-eu.md")]
    (betas.root / "content/objectives/eu-billing.md").write_text(goal("EU billing", "2026-Q4", "company", "launch-beta-uk"))
    assert said(betas.root, "content/objectives/eu-billing.md") == [("error", 5, "unknown parent 'launch-beta-uk'", "did you mean 'launch-beta-us'?")]


def test_the_preview_tells_what_the_history_knows_as_check_does(squads):
    squads.commit({"content/teams/squad-b.md": None}, "2026-11-10T09:00:00+00:00")
    project = Project(squads.root, AS_OF)
    result = project.rebuild()
    assert result.ok and [d for d in result.report.sorted() if "squad-b" in d.message] == [
        d for d in check(squads.root, AS_OF).sorted() if "squad-b" in d.message]
