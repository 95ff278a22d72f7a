"""Notices (SPEC §7): what time passing alone makes true. A status set by hand to one of a running
period (on-track, at-risk, off-track) on a period that has ended is one: the site would go on
saying "at-risk (set by hand)" for a quarter that is over, and nothing would grade it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from okrsite.build import check_site
from okrsite.cli import main
from okrsite.preview.state import Project

from ..conftest import FIXTURES, compose_site, write_files
from ..gitrepo import BI_KPI, SETTINGS, TEAM, GitRepo, hand_set_repo, needs_git, objective

HOLD = "content/objectives/hold.md"
LEFT_OPEN = "set by hand, but 2026-Q3 ended on 2026-09-30"


def site_with(tmp_path, status: str, period: str = "2026-Q3"):
    """The base fixture (as of 2026-11-23) and one objective whose `status:` is on line 5."""
    text = (f"---\ntitle: Hold the line\nperiod: {period}\nowner: company\nstatus: {status}\n"
            "key_results:\n  - title: Keep 20 customers\n    target: 20\n    current: 12\n---\n")
    return write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {HOLD: text})


def left_open(root, as_of: date | None = None) -> list[tuple]:
    return [(d.severity, d.file, d.line, d.message, d.hint) for d in check_site(root, as_of).report.items if "set by hand" in d.message]


@pytest.mark.parametrize("status", ["on-track", "at-risk", "off-track"])
def test_an_in_progress_status_set_by_hand_after_the_period_is_a_notice_at_its_line(status, tmp_path):
    assert left_open(site_with(tmp_path, status)) == [
        ("notice", HOLD, 5, f"status: {status} is {LEFT_OPEN}", "set status: achieved, missed or cancelled, or remove status: so that its grade decides")]


@pytest.mark.parametrize("status", ["achieved", "missed", "cancelled"])
def test_a_settled_status_set_by_hand_is_no_notice(status, tmp_path):
    assert left_open(site_with(tmp_path, status)) == []


@pytest.mark.parametrize("period", ["2026-Q4", "2027-Q1", "2026"])
def test_a_period_running_or_not_started_is_no_notice(period, tmp_path):
    assert left_open(site_with(tmp_path, "at-risk", period)) == []


@pytest.mark.parametrize("as_of,given", [(date(2026, 9, 30), False), (date(2026, 7, 1), False), (date(2026, 10, 1), True)])
def test_the_as_of_date_decides(as_of, given, tmp_path):
    """Shown as of the period's last day, the period has not ended yet; the day after, it has."""
    assert bool(left_open(site_with(tmp_path, "at-risk"), as_of)) is given


def test_strict_does_not_fail_on_it_and_fail_on_stale_does(tmp_path, capsys):
    root = site_with(tmp_path, "off-track")
    line = f"{HOLD}:5: notice: status: off-track is {LEFT_OPEN} (set status: achieved, missed or cancelled, or remove status: so that its grade decides)"
    assert main(["check", str(root), "--strict"]) == 0
    captured = capsys.readouterr()
    assert line in captured.err and "okrsite check: 0 errors, 0 warnings, 1 notice" in captured.out
    assert main(["check", str(root), "--fail-on-stale"]) == 1
    captured = capsys.readouterr()
    assert line.replace(": notice: ", ": error: ") in captured.err and "okrsite check: 1 error, 0 warnings, 0 notices" in captured.err
    assert main(["check", str(root), "--fail-on-stale", "--as-of", "2026-09-15"]) == 0
    assert LEFT_OPEN not in capsys.readouterr().err


def test_a_build_says_it_and_still_builds_under_strict(tmp_path, capsys):
    root = site_with(tmp_path, "at-risk")
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "--strict", "--no-cache"]) == 0
    assert f"{HOLD}:5: notice: status: at-risk is {LEFT_OPEN}" in capsys.readouterr().err
    assert (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize("as_of, said, written", [(date(2026, 9, 30), False, "2026-Q3"), (date(2026, 10, 1), True, "2026-Q3"), (date(2026, 10, 1), True, "2026-q3")])
def test_an_objective_on_a_default_period_that_ended_is_told_to_write_it_down(tmp_path, as_of, said, written):
    """Moving default_period to the next quarter, the step after the last one ends, moved every
    objective without `period:` with it: its graded quarter, review and grade gone, without a word."""
    root = compose_site(tmp_path / "s", FIXTURES / "base")
    write_files(root, {"okrsite.toml": (root / "okrsite.toml").read_text() + f'default_period = "{written}"\n',
                       HOLD: "---\ntitle: Hold the line\nowner: company\nkey_results:\n  - title: Keep 20\n    target: 20\n    current: 12\n---\n"})
    report = check_site(root, as_of).report
    found = [(d.severity, d.file, d.line, d.message, d.hint) for d in report.items if "default_period" in d.message]
    assert found == ([("notice", HOLD, 2, "the objective has no 'period:' and takes default_period (2026-Q3), which ended on 2026-09-30",
                       "write 'period: 2026-Q3' in it before default_period moves on, or it moves with it into the next period")] if said else [])
    assert not report.failed(strict=True, fail_on_stale=True)


# -- default_period moved on from the period it graded objectives in (git history) --------------------

HIRE, LATE, KEPT = "content/objectives/hire.md", "content/objectives/late.md", "content/objectives/kept.md"
Q3_SETTINGS = 'title = "R5"\ndefault_period = "2026-Q3"\n[periods.FY27-Q1]\nstart = 2026-10-01\nend = 2026-12-26\n'
MOVED = ("the objective has no 'period:' and took default_period (2026-Q3) until {} moved it to FY27-Q1, after 2026-Q3 ended: "
         "it now shows in FY27-Q1, not in 2026-Q3, where it was graded")
KEEP_IT = "write 'period: 2026-Q3' in it to keep it where it was graded"


def defaulted(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nowner: sales\n{extra}key_results:\n  - {{title: Hire 3 engineers, start: 0, target: 3, current: 3}}\n---\n"


def q3_by_default(tmp_path) -> GitRepo:
    """QA FJ: 2026-Q3 is default_period while it ends (on 2026-09-30); hire takes it, kept writes it
    down; late is added on 2026-10-01, after 2026-Q3 ended, while default_period still names it."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": Q3_SETTINGS, "content/teams/sales.md": TEAM, HIRE: defaulted("Staff the team"),
                 KEPT: defaulted("Kept", "period: 2026-Q3\n")}, "2026-07-01T10:00:00+00:00", "Ann Lee", "Plan Q3")
    repo.commit({LATE: defaulted("Late")}, "2026-10-01T10:00:00+00:00", "Ann Lee", "A new one")
    return repo


def move_default(repo: GitRepo, when: str = "2026-10-02T10:00:00+00:00", to: str = "FY27-Q1") -> str:
    return repo.commit({"okrsite.toml": Q3_SETTINGS.replace('"2026-Q3"', f'"{to}"')}, when, "Bo Chen", "Next quarter")


def moved_with_default(root: Path, as_of: date = date(2026, 10, 2)) -> list[tuple]:
    report = check_site(root, as_of).report
    return [(d.severity, d.file, d.line, d.message, d.hint) for d in report.items if "took default_period" in d.message]


@needs_git
def test_an_objective_default_period_moved_out_of_the_period_it_was_graded_in_is_a_warning_at_its_file(tmp_path, capsys):
    """QA FJ: default_period moved to FY27-Q1 took the achieved Q3 objective without `period:` with it
    ("✔ 1 achieved" in a quarter two days old, 2026-Q3's pages gone), and check --strict said nothing.
    The one added after 2026-Q3 ended was never graded there, and the one that writes its period stays."""
    repo = q3_by_default(tmp_path)
    assert moved_with_default(repo.root) == []
    commit = move_default(repo)
    assert moved_with_default(repo.root) == [("warning", HIRE, 2, MOVED.format(f"commit {commit[:7]} on 2026-10-02"), KEEP_IT)]
    assert main(["check", str(repo.root), "--as-of", "2026-10-02", "--strict"]) == 1
    assert f"{HIRE}:2: error: {MOVED.format(f'commit {commit[:7]} on 2026-10-02')} ({KEEP_IT})" in capsys.readouterr().err
    assert main(["check", str(repo.root), "--as-of", "2026-10-02"]) == 0
    project = Project(repo.root, date(2026, 10, 2))
    assert project.rebuild(open_pages=set()).ok
    assert [(d.file, d.line) for d in project.report.warnings if "took default_period" in d.message] == [(HIRE, 2)]
    (repo.root / HIRE).write_text(defaulted("Staff the team", "period: 2026-Q3\n"))
    assert moved_with_default(repo.root) == []
    assert main(["check", str(repo.root), "--as-of", "2026-10-02", "--strict"]) == 0


@needs_git
def test_default_period_moved_before_committing_is_said_as_an_edit_not_committed_yet(tmp_path):
    repo = q3_by_default(tmp_path)
    (repo.root / "okrsite.toml").write_text(Q3_SETTINGS.replace('"2026-Q3"', '"FY27-Q1"'))
    assert moved_with_default(repo.root) == [("warning", HIRE, 2, MOVED.format("an edit of okrsite.toml not committed yet"), KEEP_IT)]


@needs_git
def test_default_period_moved_before_its_period_ended_or_without_git_history_is_no_warning(tmp_path):
    """Moved on 2026-09-15, 2026-Q3 ended with FY27-Q1 as default_period: hire was never graded in Q3."""
    early = q3_by_default(tmp_path / "early")
    move_default(early, "2026-09-15T10:00:00+00:00")
    assert moved_with_default(early.root) == []
    repo = q3_by_default(tmp_path)
    move_default(repo)
    (repo.root / "okrsite.toml").write_text(Q3_SETTINGS.replace('"2026-Q3"', '"FY27-Q1"') .replace("[periods", "git_history = false\n[periods"))
    assert moved_with_default(repo.root) == []
    plain = tmp_path / "plain"
    shutil.copytree(repo.root, plain, ignore=shutil.ignore_patterns(".git"))
    assert moved_with_default(plain) == []


@needs_git
def test_the_period_an_objective_was_first_graded_in_is_named_and_an_ended_default_period_says_no_more(tmp_path):
    """default_period 2026-Q2 while Q2 ended, moved to 2026-Q3 on 2026-07-02 and back and forth: hire
    was graded in Q2 first. Its notice that 2026-Q3, default_period now, has ended would send it
    into the wrong quarter: the warning alone is said."""
    repo = GitRepo(tmp_path / "goals")
    q2 = Q3_SETTINGS.replace('"2026-Q3"', '"2026-Q2"')
    repo.commit({"okrsite.toml": q2, "content/teams/sales.md": TEAM, HIRE: defaulted("Staff the team")}, "2026-04-01T10:00:00+00:00")
    repo.commit({"okrsite.toml": Q3_SETTINGS}, "2026-07-02T10:00:00+00:00")
    repo.commit({"okrsite.toml": q2}, "2026-07-03T10:00:00+00:00")
    last = repo.commit({"okrsite.toml": Q3_SETTINGS}, "2026-07-04T10:00:00+00:00")
    said = [(d.severity, d.message, d.hint) for d in check_site(repo.root, date(2026, 10, 2)).report.items if "default_period" in d.message]
    assert said == [("warning", f"the objective has no 'period:' and took default_period (2026-Q2) until commit {last[:7]} on 2026-07-04 moved it "
                                "to 2026-Q3, after 2026-Q2 ended: it now shows in 2026-Q3, not in 2026-Q2, where it was graded",
                     "write 'period: 2026-Q2' in it to keep it where it was graded")]


@needs_git
def test_a_follower_that_says_where_it_carries_the_objective_on_from_is_the_one_warning(tmp_path):
    """goals/link.py warns of a followed objective that moved with default_period into a year holding
    its quarter, from the follower's first line: the history's warning would say it twice."""
    repo = q3_by_default(tmp_path)
    follower = ("---\ntitle: Staff on\nperiod: FY27-Q1\nowner: sales\nfollows: hire\nkey_results:\n  - {title: Keep, done: false}\n---\n"
                "Continues [[hire]] from 2026-Q3: its key results start where that one ended.\n")
    repo.commit({"content/objectives/staff-on.md": follower}, "2026-10-01T11:00:00+00:00")
    move_default(repo, to="2026")
    said = [(d.severity, d.file, d.message) for d in check_site(repo.root, date(2026, 10, 2)).report.items if "default_period" in d.message]
    assert said == [("warning", HIRE, "'staff-on' continues 'hire' from 2026-Q3, but 'hire' now takes default_period (2026)")]


# -- notices in a site with errors ------------------------------------------------------------------

STALE_KPI = "content/kpis/old.md:6: notice: stale KPI: the latest value is 53 days old (weekly data)"
QUIET = "content/objectives/quiet.md"
QUIET_TEXT = ("---\ntitle: Quiet\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Customers\n    target: 20\n"
              "    history:\n      - {date: 2026-10-05, value: 4}\n---\n")
UNKNOWN_PARENT = "content/objectives/child.md:5: error: unknown parent 'grow-custmer-base'"


def errors_and_notices(tmp_path, *more: str) -> Path:
    """A stale KPI, a stale objective, a status left open, and an unknown parent (an error), with ``more`` fixtures."""
    root = compose_site(tmp_path / "s", FIXTURES / "base", *(FIXTURES / "invalid" / name for name in
                        ("stale-kpi", "status-left-open", "unknown-parent", *more)))
    return write_files(root, {QUIET: QUIET_TEXT})


def notices(root: Path) -> list[tuple]:
    return [(d.file, d.line, d.message) for d in check_site(root).report.items if d.severity == "notice"]


def test_an_error_elsewhere_leaves_the_notices_of_the_files_without_one(tmp_path, capsys):
    """docs/cli.md shows an error, a warning and a notice from one run: the stale KPI, the stale
    objective and the status left open are told with the unknown parent, not in the run after its fix."""
    root = errors_and_notices(tmp_path)
    assert main(["check", str(root)]) == 1
    said = capsys.readouterr()
    assert UNKNOWN_PARENT in said.err and STALE_KPI in said.err
    assert f"{QUIET}:5: notice: stale objective: its numbers have not changed for 49 days" in said.err
    assert f"{HOLD}:5: notice: status: at-risk is {LEFT_OPEN}" in said.err
    assert "okrsite check: 1 error, 0 warnings, 3 notices" in said.err
    with_error = notices(root)
    (root / "content/objectives/child.md").unlink()
    assert with_error == notices(root), "the same notices as once the error is fixed"


def test_fail_on_stale_fails_on_every_stale_item_in_the_run_with_the_error(tmp_path, capsys):
    root = errors_and_notices(tmp_path)
    assert main(["check", str(root), "--fail-on-stale"]) == 1
    err = capsys.readouterr().err
    assert STALE_KPI.replace(": notice: ", ": error: ") in err and f"{QUIET}:5: error: stale objective" in err
    assert "okrsite check: 4 errors, 0 warnings, 0 notices" in err
    (root / "content/objectives/child.md").unlink()
    assert main(["check", str(root), "--fail-on-stale"]) == 1
    assert "okrsite check: 3 errors, 0 warnings, 0 notices" in capsys.readouterr().err, "no failure that was not told before"
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "--fail-on-stale", "--no-cache"]) == 1


def test_a_file_with_an_error_has_its_notices_told_once_it_is_fixed(tmp_path):
    """What an error leaves unknown is not guessed at: a stale objective with an error of its own, a KPI
    whose CSV file has one (its latest value may be on the row not read), an objective following a
    KPI whose file cannot be read."""
    root = errors_and_notices(tmp_path, "csv-malformed-row")
    write_files(root, {
        "content/objectives/child.md": QUIET_TEXT.replace("owner: company\n", "owner: company\nparent: grow-custmer-base\n"),
        "content/kpis/rows.md": "---\ntitle: Rows\nowner: company\nsource: x\nfrequency: weekly\ndata: data/rows.csv\n---\n",
        "content/kpis/broken.md": "---\ntitle: [broken\n---\n",
        "content/objectives/follower.md": ("---\ntitle: Follower\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
                                           "  - title: Rows\n    kpi: broken\n    target: 20\n    history:\n      - {date: 2026-10-05, value: 4}\n---\n")})
    report = check_site(root).report
    assert {d.file for d in report.errors} == {"content/objectives/child.md", "data/rows.csv", "content/kpis/broken.md"}
    assert {file for file, _, _ in notices(root)} == {"content/kpis/old.md", QUIET, HOLD}


def test_an_error_in_the_settings_leaves_no_notice(tmp_path):
    """The settings decide every notice (stale_after_days, the as-of date): with one of theirs wrong, none is sound."""
    root = errors_and_notices(tmp_path)
    write_files(root, {"okrsite.toml": (root / "okrsite.toml").read_text() + "stale_after_dayz = 3\n"})
    assert notices(root) == []


@needs_git
def test_an_error_elsewhere_leaves_the_stale_objective_the_history_finds(tmp_path, capsys):
    """With the git history: the objective's numbers last changed in a commit of 2026-10-05."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, "content/objectives/churn.md": objective(current=5)},
                "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    repo.commit({"content/objectives/churn.md": objective(current=9)}, "2026-10-05T09:00:00+00:00", "Ann Lee", "Check in")
    write_files(repo.root, {"content/objectives/typo.md": objective("Typo").replace("owner: sales", "owner: sales\nparent: chrun")})
    assert main(["check", str(repo.root), "--fail-on-stale"]) == 1
    err = capsys.readouterr().err
    assert "content/objectives/typo.md:5: error: unknown parent 'chrun'" in err
    assert "content/objectives/churn.md:5: error: stale objective: its numbers have not changed for 49 days" in err
    assert "okrsite check: 2 errors, 0 warnings, 0 notices" in err


def wrong_clock(tmp_path) -> tuple[GitRepo, dict[str, str]]:
    """QA CP: Dee's check-in of p95 1600 made in August on a laptop whose clock said 2026-10-15, then
    check-ins dated 08-17, 09-07 and 09-28 of the same file."""
    from ..gitrepo import one_key_result

    repo = GitRepo(tmp_path / "goals")
    fast = "content/objectives/fast.md"
    p95 = lambda current: one_key_result("Faster", "2026-Q3", "Cut p95 latency", 1000, current, start=2000)  # noqa: E731
    made = {"init": repo.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, fast: p95(2000)}, "2026-07-01T09:00:00+00:00")}
    made["1900"] = repo.commit({fast: p95(1900)}, "2026-07-13T10:00:00+00:00", "Dee Eng")
    made["1600"] = repo.commit({fast: p95(1600)}, "2026-10-15T10:00:00+00:00", "Dee Eng")
    made["1550"] = repo.commit({fast: p95(1550)}, "2026-08-17T10:00:00+00:00", "Eve Fox")
    made["1500"] = repo.commit({fast: p95(1500)}, "2026-09-07T10:00:00+00:00", "Dee Eng")
    return repo, made


@needs_git
def test_a_commit_dated_after_commits_that_landed_after_it_is_named_a_wrong_clock(tmp_path, capsys):
    """A commit dated after a later commit of the same file: the site counts its check-in on its date (a
    bogus late final check-in, "last check-in 2026-10-15"), and nothing said so. Now a notice names it,
    its date and the later commit's, as long as the site counts either date; never an error, not even
    under --strict (the history is not to be edited to pass a check)."""
    repo, made = wrong_clock(tmp_path)
    said = [(d.severity, d.file, d.line, d.message) for d in check_site(repo.root, date(2026, 10, 20)).report.items if "clock" in d.message]
    assert said == [("notice", "content/objectives/fast.md", 0, f"commit {made['1600'][:7]} (Dee Eng) is dated 2026-10-15, but commit "
                     f"{made['1550'][:7]}, which landed after it, is dated 2026-08-17: a wrong clock?")]
    assert [d.message for d in check_site(repo.root, date(2026, 9, 1)).report.notices if "clock" in d.message], "its check-in is left out then"
    assert not [d for d in check_site(repo.root, date(2026, 8, 1)).report.items if "clock" in d.message], "neither date is counted yet"
    assert main(["check", str(repo.root), "--strict", "--fail-on-stale", "--as-of", "2026-10-20"]) == 0
    err = capsys.readouterr().err
    assert "content/objectives/fast.md: notice: commit" in err and "(okrsite dates a check-in by its commit, so its numbers count on 2026-10-15; " in err


@needs_git
def test_a_commit_dated_before_the_commits_before_it_is_named_once(tmp_path):
    """A check-in dated by hand before the three commits that came before it: the one commit off the
    order is named (not each of the three), with the latest date before it."""
    from ..gitrepo import one_key_result

    repo = GitRepo(tmp_path / "goals")
    path = "content/objectives/q4.md"
    q4 = lambda current: one_key_result("Ship the API", "2026-Q4", "Endpoints", 12, current)  # noqa: E731
    repo.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, path: q4(0)}, "2026-10-01T10:00:00+00:00")
    for day, value in (("11-10", 1), ("11-14", 2)):
        repo.commit({path: q4(value)}, f"2026-{day}T10:00:00+00:00")
    last = repo.commit({path: q4(3)}, "2026-11-20T10:00:00+00:00", "Bo Chen")
    back = repo.commit({path: q4(4)}, "2026-11-06T10:00:00+00:00", "Cy Diaz")
    said = [d.message for d in check_site(repo.root, date(2026, 11, 30)).report.notices if "clock" in d.message]
    assert said == [f"commit {back[:7]} (Cy Diaz) is dated 2026-11-06, but commit {last[:7]}, which landed before it, is dated 2026-11-20: "
                    "a wrong clock, or a date set by hand?"]


@needs_git
def test_a_check_in_back_dated_among_other_files_commits_is_no_wrong_clock(tmp_path):
    """`okrsite checkin --date` refuses a date before its file's last commit, not before another file's:
    a missed week checked in after another objective's later check-in is in date order for its file."""
    from ..gitrepo import one_key_result

    repo = GitRepo(tmp_path / "goals")
    one, two = "content/objectives/one.md", "content/objectives/two.md"
    kr = lambda title, current: one_key_result(title, "2026-Q4", "Users", 100, current)  # noqa: E731
    repo.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, one: kr("One", 0), two: kr("Two", 0)}, "2026-10-01T10:00:00+00:00")
    repo.commit({two: kr("Two", 30)}, "2026-11-20T10:00:00+00:00")
    repo.commit({one: kr("One", 20)}, "2026-11-12T12:00:00+00:00")
    assert not [d for d in check_site(repo.root, date(2026, 11, 30)).report.items if "clock" in d.message]


# QA DR: a health copied in by `import gitlab-pi` wins over the values for good (SPEC §16); check says when
# the values disagree with it, or came in after the commit that set it.

HAND_SET = "content/kpis/deploys.md"
HAND_SET_HINT = "remove the 'health:' lines to have the health computed from the values and the target, or set the health anew"


def hand_set(health: int, value: float, target: str = "> 3 per week") -> str:
    return (f"---\ntitle: Deploys\nowner: company\nsource: CI\ntarget: \"{target}\"\nhealth:\n  level: {health}\n  reasons: [On target]\n"
            f"values:\n  - {{date: 2026-11-20, value: {value}}}\n---\n")


def hand_set_notices(root, as_of: date | None = None) -> list[tuple]:
    return [(d.severity, d.file, d.line, d.message, d.hint, d.timed) for d in check_site(root, as_of).report.items if "set by hand is" in d.message]


def test_a_hand_set_health_the_latest_value_contradicts_is_a_notice_at_its_line(tmp_path):
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {HAND_SET: hand_set(3, 2)})
    assert hand_set_notices(root) == [
        ("notice", HAND_SET, 6, "the health set by hand is healthy, but the latest value, 2 per week on 2026-11-20, is warning against "
         "the target '> 3 per week': the page shows the hand-set health", HAND_SET_HINT, False)]


@pytest.mark.parametrize("health,value", [(3, 4), (0, 2)])
def test_a_hand_set_health_the_values_agree_with_or_unknown_is_no_notice(health, value, tmp_path):
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {HAND_SET: hand_set(health, value)})
    assert hand_set_notices(root) == []


@needs_git
def test_values_recorded_after_the_commit_that_set_the_health_are_a_notice(tmp_path):
    repo = GitRepo(tmp_path / "g")
    files = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM}
    repo.commit(dict(files, **{HAND_SET: hand_set(3, 4).replace("owner: company", "owner: sales")}), "2026-11-01T10:00:00+00:00", message="import")
    assert hand_set_notices(repo.root) == []
    repo.commit({HAND_SET: hand_set(3, 5).replace("owner: company", "owner: sales").replace("2026-11-20", "2026-11-21")}, "2026-11-21T10:00:00+00:00",
                message="check-in")
    assert hand_set_notices(repo.root) == []  # QA DU 8: the health computed from 5 agrees: nothing to say
    repo.commit({HAND_SET: hand_set(3, 6, "TBD").replace("owner: company", "owner: sales").replace("2026-11-20", "2026-11-22")}, "2026-11-22T10:00:00+00:00",
                message="target to be set")
    repo.commit({HAND_SET: hand_set(3, 7, "TBD").replace("owner: company", "owner: sales").replace("2026-11-20", "2026-11-23")}, "2026-11-23T10:00:00+00:00",
                message="check-in")
    [(_, _, line, message, hint, _)] = hand_set_notices(repo.root)
    assert (line, message) == (6, "the health set by hand is healthy, since 2026-11-01, and 3 values were recorded since (the latest value, "
                                  "7 on 2026-11-23): the page shows the hand-set health")
    assert hint.startswith("the target 'TBD' gives no number to compute the health from: write it as okrsite reads it")  # QA FI: not "remove the lines"


def cancelled_parent_site(tmp_path, child_period: str = "2026-Q4", child_status: str = ""):
    kr = "key_results: [{title: k, target: 10, current: 9}]\n"
    return write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {
        "content/objectives/spain.md": "---\ntitle: Enter Spain\nperiod: 2026-Q4\nowner: company\nstatus: cancelled\n" + kr + "---\n",
        "content/objectives/madrid.md": f"---\ntitle: Hire Madrid team\nperiod: {child_period}\nowner: company\n{child_status}parent: spain\n" + kr + "---\n"})


def test_an_objective_aligned_to_a_cancelled_one_is_a_notice_at_its_parent_line(tmp_path):
    """QA EC 5: once a parent is cancelled, its children's progress counts in no roll-up, and `check`
    said nothing ("0 errors, 0 warnings, 0 notices"). A notice that only tells (--fail-on-stale does not
    fail on it), at the child's `parent:` line, while the child's period has not ended."""
    found = [(d.severity, d.file, d.line, d.message, d.hint, d.timed) for d in check_site(cancelled_parent_site(tmp_path)).report.items if "cancelled" in d.message]
    assert found == [("notice", "content/objectives/madrid.md", 5, "its parent 'spain' is cancelled: its progress counts in no roll-up above it",
                      "align it to another objective with 'parent:', or set status: cancelled in it too", False)]


@pytest.mark.parametrize("period, status", [("2026-Q3", ""), ("2026-Q4", "status: cancelled\n")])
def test_a_finished_or_cancelled_objective_aligned_to_a_cancelled_one_is_no_notice(tmp_path, period, status):
    assert not [d for d in check_site(cancelled_parent_site(tmp_path, period, status)).report.items if "is cancelled" in d.message]


TRIAL = "content/kpis/trial.md"
TRIAL_KPI = "---\ntitle: Trial conversion\nowner: company\ntarget: 12\nfrequency: monthly\nsource: Billing\n{retired}values:\n  - {{date: 2026-03-31, value: 11.8}}\n---\nRetired in 2026-Q2.\n"


@pytest.mark.parametrize("retired, as_of, stale", [("", "2026-12-06", True), ("retired: 2026-04-03\n", "2026-12-06", False),
                                                   ("retired: 2026-04-03\n", "2026-04-03", False), ("retired: 2026-12-07\n", "2026-12-06", True)])
def test_a_retired_kpi_is_no_stale_notice_from_its_day_so_fail_on_stale_passes_again(tmp_path, capsys, retired, as_of, stale):
    """QA EE: a KPI no longer measured was stale forever (its notice asking for new data), so `check
    --fail-on-stale` could never pass again: a CI job failed because time passed."""
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {TRIAL: TRIAL_KPI.format(retired=retired)})
    assert main(["check", str(root), "--strict", "--fail-on-stale", "--as-of", as_of]) == (1 if stale else 0)
    assert ("stale KPI" in capsys.readouterr().err) is stale


def test_the_stale_notice_of_a_kpi_names_retired(tmp_path):
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {TRIAL: TRIAL_KPI.format(retired="")})
    (found,) = [d for d in check_site(root, date(2026, 12, 6)).report.items if d.file == TRIAL]
    assert (found.severity, found.line, found.message) == ("notice", 7, "stale KPI: the latest value is 250 days old (monthly data)")
    assert found.hint == "add a newer value, or set 'frequency' to how often it is really measured; if it is no longer measured, write 'retired:' with the day it stopped"


@needs_git
def test_a_hand_set_health_older_than_twice_its_frequency_is_the_stale_notice_fail_on_stale_fails_on(tmp_path, capsys):
    """QA FJ: a weekly KPI's health set by hand on 2026-10-01, its numbers in a BI tool, read as current
    27 weeks later, and `check --strict` said nothing."""
    root = hand_set_repo(tmp_path / "g").root
    assert not [d for d in check_site(root, date(2026, 10, 15)).report.items if "stale" in d.message]
    (found,) = [d for d in check_site(root, date(2027, 4, 10)).report.items if "stale" in d.message]
    assert (found.severity, found.file, found.line, found.timed) == ("notice", BI_KPI, 7, True)
    assert found.message == "stale KPI: the health set by hand on 2026-10-01 is 191 days old, with no value recorded since (weekly data)"
    assert found.hint == ("set the health anew in 'health:' once its owner has looked at the numbers again (the commit dates it), or add a newer value; "
                          "if it is no longer measured, write 'retired:' with the day it stopped")
    assert main(["check", str(root), "--strict", "--as-of", "2027-04-10"]) == 0
    assert main(["check", str(root), "--strict", "--fail-on-stale", "--as-of", "2027-04-10"]) == 1


@needs_git
def test_a_hand_set_health_without_frequency_is_the_stale_notice_as_monthly_data(tmp_path, capsys):
    """QA FN: the KPIs `import gitlab-pi` writes have no `frequency:`: their health, copied in on
    2026-11-10, was no notice 111 days later, though their pages said "stale as monthly data"."""
    root = hand_set_repo(tmp_path / "g", frequency="").root
    assert not [d for d in check_site(root, date(2026, 12, 2)).report.items if "stale" in d.message]
    (found,) = [d for d in check_site(root, date(2027, 4, 10)).report.items if "stale" in d.message]
    assert (found.severity, found.file, found.line) == ("notice", BI_KPI, 6)
    assert found.message == "stale KPI: the health set by hand on 2026-10-01 is 191 days old, with no value recorded since (no frequency set: taken as monthly)"
    assert found.hint == ("set the health anew in 'health:' once its owner has looked at the numbers again (the commit dates it), or add a newer value; "
                          "or write 'frequency:' with how often it is really looked at (none is taken as monthly; quarterly goes stale after 184 days); "
                          "if it is no longer measured, write 'retired:' with the day it stopped")
    assert main(["check", str(root), "--strict", "--fail-on-stale", "--as-of", "2027-04-10"]) == 1


@needs_git
def test_a_stale_kpi_whose_hand_set_health_is_stale_too_says_both(tmp_path):
    root = hand_set_repo(tmp_path / "g", values="values:\n  - {date: 2026-09-28, value: 0.4}\n").root
    (found,) = [d for d in check_site(root, date(2027, 4, 10)).report.items if "stale" in d.message]
    assert found.line == 8 and found.message == ("stale KPI: the latest value is 194 days old, and the health set by hand on 2026-10-01 is 191 days old, "
                                                 "with no value recorded since (weekly data)")
    assert found.hint.startswith("add a newer value, or set 'frequency' to how often it is really measured; set the health anew in 'health:'")


def ahead_of_today(tmp_path, monkeypatch) -> tuple[GitRepo, str]:
    """QA FP: on 2026-09-15, a check-in of 1500 (and of another objective) committed on a machine whose
    clock said 2027-03-01, after one on 2026-08-20."""
    from okrsite.goals import config
    from ..gitrepo import one_key_result

    monkeypatch.setattr(config, "today", lambda: date(2026, 9, 15))
    repo = GitRepo(tmp_path / "goals")
    users = lambda current: one_key_result("Delight", "2026-Q3", "Weekly active users", 2000, current, start=1000)  # noqa: E731
    deals = lambda current: one_key_result("Sell", "2026-Q3", "Deals", 10, current)  # noqa: E731
    repo.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, "content/objectives/delight.md": users(1000),
                 "content/objectives/sell.md": deals(0)}, "2026-08-20T10:00:00+00:00")
    ahead = repo.commit({"content/objectives/delight.md": users(1500), "content/objectives/sell.md": deals(4)}, "2027-03-01T10:00:00+00:00", "Dee Eng")
    return repo, ahead


@needs_git
def test_a_commit_dated_after_today_is_named_once_and_its_numbers_are_not_called_unchanged(tmp_path, monkeypatch, capsys):
    """A commit dated after today changed both objectives' numbers: the site shows them (SPEC §6) but
    counts its check-ins from its date, and `check` said "its numbers have not changed for 26 days" with
    nothing about the date. Now one notice names the commit at the line of the key result it changed,
    and no stale notice calls those numbers unchanged; never a failure, not even under --strict."""
    repo, ahead = ahead_of_today(tmp_path, monkeypatch)
    items = check_site(repo.root).report.items
    said = [(d.severity, d.file, d.line, d.message) for d in items if "after today" in d.message]
    assert said == [("notice", "content/objectives/delight.md", 6, f"commit {ahead[:7]} (Dee Eng) is dated 2027-03-01, after today "
                     "(2026-09-15): a wrong clock on the machine that made it? Its check-ins count from that day")]
    assert not [d for d in items if "stale objective" in d.message]
    assert main(["check", str(repo.root), "--strict", "--fail-on-stale"]) == 0
    assert "after today (2026-09-15)" in capsys.readouterr().err


@needs_git
def test_a_commit_dated_after_an_as_of_date_is_no_wrong_clock(tmp_path, monkeypatch):
    """With --as-of (or as_of in okrsite.toml) the site is shown as of a day before commits that came
    later: nothing is said of their dates, and its objectives' numbers were unchanged as of then."""
    repo, _ = ahead_of_today(tmp_path, monkeypatch)
    items = check_site(repo.root, date(2026, 9, 14)).report.items
    assert not [d for d in items if "after today" in d.message or "clock" in d.message]
    assert len([d for d in items if "stale objective" in d.message]) == 2
