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
    restore = f"bring it back with git checkout '{gone}~1' -- content/teams/squad-b.md"
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


def test_a_parent_given_an_id_in_its_file_is_told_the_commit_over_what_the_file_says(betas):
    """An `id:` written into launch-beta-eu.md: linking alone would say the file sets that id
    (goals/link.py: _by_its_file); what the history knows, with the commit, takes its place."""
    text = (betas.root / "content/objectives/launch-beta-eu.md").read_text().replace("---\n", "---\nid: beta-eu\n", 1)
    given = betas.commit({"content/objectives/launch-beta-eu.md": text}, "2026-11-12T09:00:00+00:00")[:7]
    [(_, _, _, hint)] = said(betas.root, "content/objectives/eu-billing.md")
    assert hint == (f"renamed to beta-eu in {given} on 2026-11-12: write parent: beta-eu, "
                    "or keep the old id with 'id: launch-beta-eu' in content/objectives/launch-beta-eu.md")
    (betas.root / ".git").rename(betas.root / "no-git")
    assert said(betas.root, "content/objectives/eu-billing.md") == [
        ("error", 5, "unknown parent 'launch-beta-eu'", "content/objectives/launch-beta-eu.md sets 'id: beta-eu': write parent: beta-eu")]


def test_a_parent_deleted_is_told_the_commit_and_an_id_git_never_knew_keeps_the_guess(betas):
    deleted = betas.commit({"content/objectives/launch-beta-eu.md": None}, "2026-11-12T09:00:00+00:00")[:7]
    assert said(betas.root, "content/objectives/eu-billing.md") == [
        ("error", 5, "unknown parent 'launch-beta-eu'",
         f"deleted in {deleted} on 2026-11-12: align it to another objective (or to none), or keep its file: "
         f"bring it back with git checkout '{deleted}~1' -- content/objectives/launch-beta-eu.md")]
    (betas.root / "content/objectives/eu-billing.md").write_text(goal("EU billing", "2026-Q4", "company", "launch-beta-uk"))
    assert said(betas.root, "content/objectives/eu-billing.md") == [("error", 5, "unknown parent 'launch-beta-uk'", "did you mean 'launch-beta-us'?")]


def test_the_preview_tells_what_the_history_knows_as_check_does(squads):
    squads.commit({"content/teams/squad-b.md": None}, "2026-11-10T09:00:00+00:00")
    project = Project(squads.root, AS_OF)
    result = project.rebuild()
    assert result.ok and [d for d in result.report.sorted() if "squad-b" in d.message] == [
        d for d in check(squads.root, AS_OF).sorted() if "squad-b" in d.message]


EU = "content/objectives/launch-beta-eu.md"
BILLING = "content/objectives/eu-billing.md"


def test_a_parent_renamed_or_deleted_and_not_committed_yet_is_told_so_not_another_team_s_objective(betas):
    """`git mv` or `rm` of a parent's file before the commit (when `check` is run) gave "did you mean
    'launch-beta-us'?": HEAD still has the file (QA EH 1)."""
    betas.git("mv", EU, "content/objectives/launch-public-beta-eu.md")
    in_tree = f"in the working tree, not committed yet (it is {EU} at HEAD)"
    assert said(betas.root, BILLING) == [
        ("error", 5, "unknown parent 'launch-beta-eu'",
         f"renamed to launch-public-beta-eu {in_tree}: write parent: launch-public-beta-eu, "
         "or keep the old id with 'id: launch-beta-eu' in content/objectives/launch-public-beta-eu.md")]
    betas.git("reset", "-q", "--hard")
    (betas.root / EU).unlink()
    assert said(betas.root, BILLING) == [
        ("error", 5, "unknown parent 'launch-beta-eu'",
         f"deleted {in_tree}: align it to another objective (or to none), or keep its file: bring it back with git checkout HEAD -- {EU}")]


def test_a_team_restored_long_ago_and_renamed_in_the_working_tree_is_told_the_rename_not_the_undone_deletion(squads):
    squads.commit({"content/teams/squad-b.md": None}, "2026-08-10T09:00:00+00:00", message="Disband squad B (by mistake)")
    squads.commit({"content/teams/squad-b.md": "---\ntitle: Squad B\nparent: company\n---\n"}, "2026-08-11T09:00:00+00:00")
    squads.git("mv", "content/teams/squad-b.md", "content/teams/squad-c.md")
    assert said(squads.root, "content/objectives/b-q4.md") == [
        ("warning", 4, "owner 'squad-b' is no team's id, so it is read as a person's name",
         "the team squad-b was renamed to squad-c in the working tree, not committed yet (it is content/teams/squad-b.md at HEAD): "
         "write owner: squad-c, or keep its old id with 'id: squad-b' in content/teams/squad-c.md")]


def test_a_parent_renamed_then_deleted_is_told_the_deleting_commit(betas):
    renamed = betas.commit({}, "2026-10-05T09:00:00+00:00", moves={EU: "content/objectives/eu-launch.md"})[:7]
    deleted = betas.commit({"content/objectives/eu-launch.md": None}, "2026-10-09T09:00:00+00:00", message="Drop EU launch")[:7]
    assert said(betas.root, BILLING) == [
        ("error", 5, "unknown parent 'launch-beta-eu'",
         f"deleted in {deleted} on 2026-10-09: align it to another objective (or to none), or keep its file: "
         f"bring it back with git checkout '{renamed}~1' -- {EU}")]


def test_a_parent_renamed_twice_is_told_the_commit_of_the_last_rename(betas):
    betas.commit({}, "2026-10-05T09:00:00+00:00", moves={EU: "content/objectives/launch-public-beta-eu.md"})
    last = betas.commit({}, "2026-10-07T09:00:00+00:00", moves={"content/objectives/launch-public-beta-eu.md": "content/objectives/eu-launch.md"})[:7]
    assert said(betas.root, BILLING) == [
        ("error", 5, "unknown parent 'launch-beta-eu'",
         f"renamed to eu-launch in {last} on 2026-10-07: write parent: eu-launch, "
         "or keep the old id with 'id: launch-beta-eu' in content/objectives/eu-launch.md")]


def test_the_preview_tells_a_rename_not_committed_yet_as_check_does(betas):
    project = Project(betas.root, AS_OF)
    project.rebuild()
    betas.git("mv", EU, "content/objectives/launch-public-beta-eu.md")
    result = project.rebuild()
    told = [d.hint for d in result.report.sorted() if d.message == "unknown parent 'launch-beta-eu'"]
    assert told == [d.hint for d in check(betas.root, AS_OF).sorted() if d.message == "unknown parent 'launch-beta-eu'"]
    assert told and "in the working tree" in told[0]


def test_the_command_that_brings_a_file_back_quotes_its_path():
    """QA EM: a team file named `sales;touch PWNED;#.md` made the suggested command run `touch PWNED`."""
    import shlex

    from okrsite.goals.former import TEAM, FormerId

    gone = FormerId(TEAM, "sales-touch-pwned", "content/teams/sales;touch PWNED;#.md", "444b058", date(2026, 12, 6), source="444b058~1")
    command = gone.restore.removeprefix("bring it back with ")
    assert shlex.split(command) == ["git", "checkout", "444b058~1", "--", "content/teams/sales;touch PWNED;#.md"]


@pytest.mark.parametrize("run_in", ["", "goals"])
def test_the_command_that_brings_a_team_back_works_from_the_top_and_from_a_site_in_a_folder(tmp_path, run_in):
    """Review: `check` names files from the repository's top, and the command named the file from the
    site's folder ("content/teams/squad-b.md"): pasted at the top of a repository whose site is in goals/,
    git found nothing. The path is named from the top (`:(top)goals/…`), which git reads anywhere."""
    import shlex
    import subprocess

    repo = GitRepo(tmp_path / "mono")
    repo.commit({f"goals/{path}": text for path, text in {
        "content/teams/company.md": "---\ntitle: Company\n---\n", "content/teams/squad-b.md": "---\ntitle: Squad B\nparent: company\n---\n",
        "content/objectives/b-q3.md": goal("B in Q3", "2026-Q3", "squad-b", None, 9)}.items()}, "2026-07-01T09:00:00+00:00")
    gone = repo.commit({"goals/content/teams/squad-b.md": None}, "2026-11-10T09:00:00+00:00")[:7]
    [hint] = [h for _, _, m, h in said(repo.root / "goals", "content/objectives/b-q3.md") if "squad-b" in m]
    command = hint.split("bring it back with ", 1)[1].split(" (see ", 1)[0]
    assert command == f"git checkout '{gone}~1' -- ':(top)goals/content/teams/squad-b.md'"
    subprocess.run(shlex.split(command), cwd=repo.root / run_in, env=repo.env, check=True, capture_output=True)
    assert (repo.root / "goals/content/teams/squad-b.md").read_text().startswith("---\ntitle: Squad B")


SRE_Q3 = "content/objectives/archive/2026-q3/hire-sre.md"
SRE_Q4 = "content/objectives/hire-sre-2.md"


@pytest.fixture
def lineage(tmp_path: Path) -> GitRepo:
    """Hiring SRE in Q4 continues (`follows:`) and links the graded Q3 objective, and links the KPI uptime."""
    repo = GitRepo(tmp_path / "lineage")
    follower = goal("Hire the SRE team", "2026-Q4", "company").replace("---\n", "---\nfollows: hire-sre\n", 1)
    repo.commit({"content/teams/company.md": "---\ntitle: Company\n---\n",
                 SRE_Q3: goal("Hire SRE", "2026-Q3", "company", None, 9),
                 "content/kpis/uptime.md": "---\ntitle: Uptime\nowner: company\nsource: probes\n---\n",
                 SRE_Q4: follower + "Continues [[hire-sre]], measured by [[uptime]].\n"}, "2026-10-01T09:00:00+00:00")
    return repo


def test_a_followed_objective_renamed_is_told_its_new_id_at_follows_and_at_links(lineage):
    """QA FK: `git mv hire-sre.md hire-sre-team.md` gave "'follows' names an unknown objective 'hire-sre'
    (did you mean 'hire-sre-team'?)" and, at the link, "(did you mean 'hire-sre-2'?)", the file's own id;
    `parent:` was told the rename."""
    renamed = lineage.commit({}, "2026-11-10T09:00:00+00:00", moves={SRE_Q3: "content/objectives/archive/2026-q3/hire-sre-team.md"})[:7]
    keep = "or keep the old id with 'id: hire-sre' in content/objectives/archive/2026-q3/hire-sre-team.md"
    assert said(lineage.root, SRE_Q4) == [
        ("error", 2, "'follows' names an unknown objective 'hire-sre'",
         f"renamed to hire-sre-team in {renamed} on 2026-11-10: write follows: hire-sre-team, {keep}"),
        ("error", 11, "unknown link target 'hire-sre' in [[hire-sre]]",
         f"renamed to hire-sre-team in {renamed} on 2026-11-10: write [[hire-sre-team]], {keep}")]


def test_a_link_to_a_kpi_renamed_or_deleted_is_told_so(lineage):
    renamed = lineage.commit({}, "2026-11-10T09:00:00+00:00", moves={"content/kpis/uptime.md": "content/kpis/availability.md"})[:7]
    told = [(line, hint) for _, line, message, hint in said(lineage.root, SRE_Q4) if "uptime" in message]
    assert told == [(11, f"renamed to availability in {renamed} on 2026-11-10: write [[availability]], "
                         "or keep the old id with 'id: uptime' in content/kpis/availability.md")]
    deleted = lineage.commit({"content/kpis/availability.md": None}, "2026-11-12T09:00:00+00:00")[:7]
    told = [(line, hint) for _, line, message, hint in said(lineage.root, SRE_Q4) if "uptime" in message]
    assert told == [(11, f"deleted in {deleted} on 2026-11-12: link to another page (or remove the link), "
                         f"or keep its file: bring it back with git checkout '{renamed}~1' -- content/kpis/uptime.md")]


def test_a_followed_objective_deleted_is_told_the_commit(lineage):
    deleted = lineage.commit({SRE_Q3: None}, "2026-11-10T09:00:00+00:00")[:7]
    assert said(lineage.root, SRE_Q4)[0] == (
        "error", 2, "'follows' names an unknown objective 'hire-sre'",
        f"deleted in {deleted} on 2026-11-10: name another objective this one continues (or remove 'follows'), "
        f"or keep its file: bring it back with git checkout '{deleted}~1' -- {SRE_Q3}")


def test_the_preview_tells_a_followed_objective_renamed_as_check_does(lineage):
    lineage.git("mv", SRE_Q3, "content/objectives/archive/2026-q3/hire-sre-team.md")
    result = Project(lineage.root, AS_OF).rebuild()
    told = [(d.line, d.hint) for d in result.report.sorted() if d.file == SRE_Q4]
    assert told == [(d.line, d.hint) for d in check(lineage.root, AS_OF).sorted() if d.file == SRE_Q4]
    assert len(told) == 2 and all("renamed to hire-sre-team in the working tree" in hint for _, hint in told)
