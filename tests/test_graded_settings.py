"""The settings that grade objectives (goals/config.py GRADING: default_kind, aspirational_goal) changed
after a period ended: with git history a finished period is graded with okrsite.toml as committed by
its last day (numbers/compute.py graded_periods), so its pages, okrs.json, the team figures, the
build cache and the live preview keep it as it was graded; the change grades only the periods running
or to come (QA FK). Without git history the settings as they are grade every period."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from okrsite.build import build, check_site
from okrsite.preview.state import Project

from .gitrepo import SETTINGS, TEAM, GitRepo, needs_git
from .test_cache import assert_same_site

GROW, MOON, NEXT, SOON = ("content/objectives/grow.md", "content/objectives/moon.md", "content/objectives/next.md",
                          "content/objectives/soon.md")


def graded(title: str, period: str = "2026-Q3", extra: str = "", current: float = 3) -> str:
    return (f"---\ntitle: {title}\nperiod: {period}\nowner: sales\n{extra}key_results:\n"
            f"  - title: Customers\n    start: 0\n    target: 10\n    current: {current:g}\n---\n")


def graded_site(tmp_path: Path, folder: str = "") -> GitRepo:
    """2026-Q3 (ended by the as-of date, 2026-11-23) planned and committed on 2026-06-01 with the
    default settings (default_kind "committed", aspirational_goal 0.7): grow without `kind:` at 30 %,
    moon aspirational at 63 % (checked in on 2026-09-20); of the running 2026-Q4, next without `kind:`
    and soon aspirational."""
    repo = GitRepo(tmp_path / "goals")
    at = folder + "/" if folder else ""
    repo.commit({at + "okrsite.toml": SETTINGS, at + "content/teams/sales.md": TEAM, at + GROW: graded("Grow"),
                 at + MOON: graded("Moon", extra="kind: aspirational\n", current=5), at + NEXT: graded("Next", "2026-Q4"),
                 at + SOON: graded("Soon", "2026-Q4", "kind: aspirational\n")},
                "2026-06-01T09:00:00+00:00", "Ann Lee", "Plan Q3")
    repo.commit({at + MOON: graded("Moon", extra="kind: aspirational\n", current=6.3)}, "2026-09-20T09:00:00+00:00", "Ann Lee", "Moon")
    return repo


def set_settings(root: Path, settings: str) -> None:
    (root / "okrsite.toml").write_text(SETTINGS + settings)


def graded_as(root: Path) -> dict[str, tuple]:
    """Each objective's (kind, goal, status) as computed; `check` says nothing of the settings."""
    checked = check_site(root)
    assert not checked.report.failed(strict=True), checked.report.items
    assert not [d for d in checked.report.items if "okrsite.toml" in d.file]
    return {ident: (s.kind, s.goal, s.status) for ident, s in checked.scores.objectives.items()}


def page_text(out: Path, page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", (out / page).read_text(encoding="utf-8"))))


def okrs(out: Path) -> dict:
    return json.loads((out / "okrs.json").read_text(encoding="utf-8"))


@needs_git
def test_a_lower_aspirational_goal_keeps_a_finished_period_graded_against_the_goal_it_ended_with(tmp_path):
    """QA FK: moon ended 2026-Q3 at 0.63 with aspirational_goal 0.7, missed. Lowered to 0.6 for the new
    year, it turned "achieved at 60 %" (or, with `status: missed` set by hand as the notice advised, a
    page that contradicted itself). It stays missed against 70 % on every page; the running quarter's
    aspirational objective is graded against 60 %."""
    repo = graded_site(tmp_path)
    repo.commit({"okrsite.toml": SETTINGS + "aspirational_goal = 0.6\n"}, "2026-11-20T09:00:00+00:00", "Ann Lee", "FY27 goal")
    found = graded_as(repo.root)
    assert found["moon"] == ("aspirational", 0.7, "missed") and found["soon"][:2] == ("aspirational", 0.6)
    assert check_site(repo.root).scores.graded_with == {"2026-Q3": {"default_kind": "committed", "aspirational_goal": 0.7}}
    out = tmp_path / "site"
    assert build(repo.root, out).ok
    moon = page_text(out, "objectives/moon/index.html")
    assert "✖ missed" in moon and "aspirational: achieved at 70 %" in moon and "goal 70 %" in moon and "60 %" not in moon
    assert "(expected around 0.7)" in page_text(out, "periods/2026-q3/review/index.html")
    assert "aspirational: achieved at 60 %" in page_text(out, "objectives/soon/index.html")
    assert "Graded as 2026-Q3 ended: aspirational objectives expected around 0.7." in page_text(out, "teams/index.html")
    objectives = {o["id"]: o for o in okrs(out)["objectives"]}
    assert (objectives["moon"]["status"], objectives["moon"]["expected"], objectives["moon"]["kind"]) == ("missed", 0.7, "aspirational")


@needs_git
def test_a_new_default_kind_leaves_the_finished_objectives_without_kind_of_the_kind_they_were_graded_as(tmp_path):
    """The new year's default_kind made every finished quarter's objective without `kind:` aspirational
    after the fact: grow (30 %) stays committed, on its page, in the review, in the period's and its
    team's average grades and in okrs.json; next, of the running quarter, is aspirational."""
    repo = graded_site(tmp_path)
    set_settings(repo.root, 'default_kind = "aspirational"\n')  # not committed yet: the same
    found = graded_as(repo.root)
    assert found["grow"] == ("committed", 1.0, "missed") and found["next"][:2] == ("aspirational", 0.7)
    out = tmp_path / "site"
    assert build(repo.root, out).ok
    assert "Kind committed" in page_text(out, "objectives/grow/index.html")
    review = page_text(out, "periods/2026-q3/review/index.html")
    assert "Sales · committed" in review and "committed: 0.30" in review
    data = okrs(out)
    objectives = {o["id"]: o for o in data["objectives"]}
    assert (objectives["grow"]["kind"], objectives["next"]["kind"]) == ("committed", "aspirational")
    [q3] = [f for t in data["teams"] for f in t["rollup"] if t["id"] == "sales" and f["period"] == "2026-Q3"]
    assert (q3["committed_grade"], q3["aspirational_grade"]) == (0.3, 0.63)


@needs_git
def test_carry_over_continues_an_objective_that_missed_the_goal_its_period_ended_with(tmp_path):
    """The review says moon is "not continued yet" and names the carry-over run: the run carries it, for
    it grades 2026-Q3 as the pages do (missed at 0.63 against 0.7), not against the lower goal of now."""
    from okrsite.carryover import carry_over

    repo = graded_site(tmp_path)
    repo.commit({"okrsite.toml": SETTINGS + "aspirational_goal = 0.6\n"}, "2026-11-20T09:00:00+00:00", "Ann Lee", "FY27 goal")
    out = tmp_path / "site"
    assert build(repo.root, out).ok
    assert "okrsite carry-over 2026-Q3 2026-Q4" in page_text(out, "periods/2026-q3/review/index.html")
    done = carry_over(repo.root, "2026-Q3", "2026-Q4", dry_run=True)
    assert "moon" in [c.old.id for c in done.carried] and "moon" not in [o.id for o, _ in done.skipped]


@needs_git
def test_without_git_history_the_settings_as_they_are_grade_every_period(tmp_path):
    repo = graded_site(tmp_path)
    set_settings(repo.root, 'default_kind = "aspirational"\naspirational_goal = 0.6\ngit_history = false\n')
    found = graded_as(repo.root)
    assert found["grow"][:2] == ("aspirational", 0.6) and found["moon"] == ("aspirational", 0.6, "achieved")
    plain = tmp_path / "plain"
    shutil.copytree(repo.root, plain, ignore=shutil.ignore_patterns(".git"))
    set_settings(plain, "aspirational_goal = 0.6\n")
    assert graded_as(plain)["moon"] == ("aspirational", 0.6, "achieved")


@needs_git
def test_a_setting_committed_by_the_periods_last_day_grades_it(tmp_path):
    """Committed by the period's last day (in UTC) the period ended with it; a commit after it grades it
    not, and one dated back before that day does, as a KPI's definition is read (compute.defined_on)."""
    repo = graded_site(tmp_path)
    repo.commit({"okrsite.toml": SETTINGS + "aspirational_goal = 0.6\n"}, "2026-10-01T00:30:00+00:00", "Ann Lee", "FY27 goal")
    assert graded_as(repo.root)["moon"] == ("aspirational", 0.7, "missed")
    earlier = graded_site(tmp_path / "earlier")
    earlier.commit({"okrsite.toml": SETTINGS + "aspirational_goal = 0.6\n"}, "2026-09-30T23:30:00+00:00", "Ann Lee", "FY27 goal")
    assert graded_as(earlier.root)["moon"] == ("aspirational", 0.6, "achieved")
    earlier.commit({"okrsite.toml": SETTINGS}, "2026-10-02T09:00:00+00:00", "Ann Lee", "Back")
    assert graded_as(earlier.root)["moon"] == ("aspirational", 0.6, "achieved")
    assert graded_as(earlier.root)["soon"][1] == 0.7


@needs_git
def test_a_site_in_a_folder_of_its_repository_is_graded_with_its_own_settings_history(tmp_path):
    repo = graded_site(tmp_path, folder="goals")
    repo.commit({"okrsite.toml": 'default_kind = "aspirational"\n'}, "2026-07-02T09:00:00+00:00")  # another site's, at the top
    site = repo.root / "goals"
    assert graded_as(site)["grow"][:2] == ("committed", 1.0)
    set_settings(site, 'default_kind = "aspirational"\n')
    assert graded_as(site)["grow"][:2] == ("committed", 1.0) and graded_as(site)["next"][:2] == ("aspirational", 0.7)


@needs_git
def test_a_warm_build_after_a_grading_setting_changed_equals_a_clean_one(tmp_path):
    """The build cache keeps scores by the settings and the history: changed, or committed back to a day
    before the period ended, the warm build's pages and okrs.json are a clean build's."""
    repo = graded_site(tmp_path)
    out = tmp_path / "site"
    assert build(repo.root, out).ok
    for step, change in enumerate([lambda: set_settings(repo.root, 'default_kind = "aspirational"\naspirational_goal = 0.6\n'),
                                   lambda: repo.commit({}, "2026-11-20T09:00:00+00:00", "Ann Lee", "FY27 settings"),
                                   lambda: repo.commit({"okrsite.toml": SETTINGS + 'default_kind = "aspirational"\naspirational_goal = 0.6\n# dated back\n'},
                                                       "2026-09-15T09:00:00+00:00", "Ann Lee", "FY27 settings, dated back")]):
        change()
        assert build(repo.root, out).ok
        clean = tmp_path / f"clean{step}"
        assert build(repo.root, clean, cache=False).ok
        assert_same_site(out, clean)
    assert {o["id"]: o["kind"] for o in okrs(out)["objectives"]}["grow"] == "aspirational"  # dated back: Q3 ended with it


@needs_git
def test_the_live_preview_grades_a_finished_period_as_a_build_does(tmp_path):
    """A save of okrsite.toml, then a commit dated back that changes what 2026-Q3 ended with but not the
    file: the preview's pages are a build's each time. It takes no earlier score made with other
    grading settings, not even of a roll-up whose progress is as it was (idea, of part)."""
    repo = graded_site(tmp_path)
    repo.commit({"content/objectives/idea.md": "---\ntitle: Idea\nperiod: 2026-Q3\nowner: sales\n---\n",
                 "content/objectives/part.md": graded("Part", extra="parent: idea\nkind: committed\n")}, "2026-07-01T09:00:00+00:00")
    project = Project(repo.root)
    assert project.rebuild(open_pages=set()).ok
    set_settings(repo.root, 'default_kind = "aspirational"\naspirational_goal = 0.6\n')
    assert project.rebuild([repo.root / "okrsite.toml"], open_pages=set()).ok
    scores = project._whole[1].objectives
    assert (scores["moon"].status, scores["idea"].kind, scores["soon"].goal) == ("missed", "committed", 0.6)
    assert project.snapshot() == _built(repo.root, tmp_path / "one")
    repo.commit({}, "2026-09-15T09:00:00+00:00", "Ann Lee", "FY27 settings, dated back")
    assert project.rebuild([], open_pages=set()).ok  # a commit alone: its server's watcher of git's HEAD names no file
    scores = project._whole[1].objectives
    assert (scores["moon"].status, scores["idea"].kind) == ("achieved", "aspirational")
    assert project.snapshot() == _built(repo.root, tmp_path / "two")


def _built(root: Path, out: Path) -> dict[str, bytes]:
    from .preview.test_state import full_build

    return full_build(root, out)
