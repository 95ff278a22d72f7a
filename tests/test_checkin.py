"""`okrsite checkin`: one line in one file, checked before it is written, committed alone with --commit."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from okrsite.build import build, check_site
from okrsite.cli import main

from .conftest import okrsite_bound_by_permissions, write_files
from .gitrepo import SETTINGS, TEAM, GitRepo, kpi, needs_git, objective

OBJ = "content/objectives/reduce-churn.md"


def checkin(root: Path, *words: str) -> int:
    return main(["checkin", "--site", str(root), *words])


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective(current=41),
                 "content/kpis/mrr.md": kpi(values="  - {date: 2026-10-31, value: 46500}"),
                 "data/leads.csv": "date,value\n2026-10-31,300\n",
                 "content/kpis/leads.md": kpi(data="data/leads.csv").replace("Monthly recurring revenue", "Leads")},
                "2026-10-01T10:00:00+00:00")
    return repo


def git_env(repo: GitRepo, monkeypatch) -> None:
    for key, value in dict(repo.env, GIT_AUTHOR_NAME="Ann Lee", GIT_AUTHOR_EMAIL="ann@example.com",
                           GIT_COMMITTER_NAME="Ann Lee", GIT_COMMITTER_EMAIL="ann@example.com").items():
        monkeypatch.setenv(key, value)


@needs_git
def test_commit_makes_one_commit_of_one_file_and_the_site_shows_value_and_note(repo, monkeypatch, tmp_path, capsys):
    git_env(repo, monkeypatch)
    before = (repo.root / OBJ).read_text()
    assert checkin(repo.root, "reduce-churn", "1", "45", "--note", "the webinar series paid off", "--commit", "--date", "2026-11-10") == 0
    assert "Check-in: Grow accounts 41 → 45" in capsys.readouterr().out
    assert repo.git("rev-list", "--count", "HEAD").strip() == "2"
    assert repo.git("show", "--name-only", "--format=", "HEAD").split() == [OBJ]
    assert repo.git("log", "-1", "--format=%s%n%b").strip() == "Check-in: Grow accounts 41 → 45\nthe webinar series paid off"
    after = (repo.root / OBJ).read_text()
    assert [line for line in after.splitlines() if line not in before.splitlines()] == ["    current: 45"]
    assert len(after.splitlines()) == len(before.splitlines())
    assert repo.git("status", "--porcelain").strip() == ""
    out = tmp_path / "out"
    assert build(repo.root, out).ok
    page = (out / "objectives/reduce-churn/index.html").read_text()
    assert "now 45" in page and "the webinar series paid off" in page and "2026-11-10" in page


@needs_git
def test_a_dirty_file_is_refused_and_nothing_is_written(repo, monkeypatch, capsys):
    git_env(repo, monkeypatch)
    path = repo.root / OBJ
    path.write_text(path.read_text().replace("Why it matters.", "Why it matters, edited."))
    dirty = path.read_bytes()
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit") == 1
    assert "has uncommitted changes" in capsys.readouterr().err
    assert path.read_bytes() == dirty and repo.git("rev-list", "--count", "HEAD").strip() == "1"


def test_a_kr_by_id_or_number_and_did_you_mean(repo, capsys):
    assert checkin(repo.root, "reduce-chrun", "1", "45") == 1
    assert "did you mean 'reduce-churn'" in capsys.readouterr().err
    assert checkin(repo.root, "reduce-churn", "reduce-chrn-kr2", "45") == 1
    assert "did you mean 'reduce-churn-kr2'" in capsys.readouterr().err
    assert checkin(repo.root, "reduce-churn", "reduce-churn-kr2", "4.2") == 0
    assert "    current: 4.2\n" in (repo.root / OBJ).read_text()
    assert checkin(repo.root, "reduce-churn", "3", "done") == 0
    assert "    done: true\n" in (repo.root / OBJ).read_text()


def test_an_edit_that_breaks_the_site_writes_nothing(repo, capsys):
    (repo.root / "content/objectives/other.md").write_text("---\ntitle: Other\nowner: sales\nperiod: 2026-Q9\nkey_results: [{title: A, target: 2}]\n---\n")
    before = (repo.root / OBJ).read_bytes()
    assert checkin(repo.root, "reduce-churn", "1", "45") == 1
    err = capsys.readouterr().err
    assert "other.md:4" in err and "nothing was written" in err
    assert (repo.root / OBJ).read_bytes() == before
    assert checkin(repo.root, "reduce-churn", "1", "lots") == 1
    assert "'lots' is not a number" in capsys.readouterr().err


@needs_git
def test_a_check_in_on_a_site_with_an_error_of_its_pages_is_refused_and_nothing_is_committed(repo, monkeypatch, capsys):
    """QA DJ: `Strauß Anna` and `Strauss Anna` (one page, people/strauss-anna/) are an error of `okrsite
    check`, found where the pages are planned, after the goals are read: `checkin --commit` committed anyway."""
    git_env(repo, monkeypatch)
    repo.commit({"content/objectives/hiring.md": "---\ntitle: Hiring\nowner: sales\nperiod: 2026-Q4\nkey_results:\n"
                 '  - {title: Ausbildung, target: 10, current: 4, owner: "Strauß Anna"}\n'
                 '  - {title: Training, target: 10, current: 4, owner: "Strauss Anna"}\n---\n'}, "2026-10-02T10:00:00+00:00")
    assert [problem.message.split(":")[0] for problem in check_site(repo.root).report.errors] == ["two spellings of one person"]
    before = (repo.root / OBJ).read_bytes()
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit") == 1
    err = capsys.readouterr().err
    assert "two spellings of one person" in err and "nothing was written" in err
    assert (repo.root / OBJ).read_bytes() == before and repo.git("rev-list", "--count", "HEAD").strip() == "2"


def test_a_key_result_written_with_an_error_of_its_own_names_that_error_not_no_such_key_result(tmp_path, capsys):
    """KR 3's target is '50 users': a check-in to it says so, at its line and with the hint, not
    "has no key result 3 (it has 3 ...)" while 4 are written; by its id too."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: (
        "---\ntitle: O\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - {title: one, target: 10, current: 1}\n"
        "  - {title: two, target: 10, current: 3}\n  - {id: users, title: three, target: \"50 users\"}\n  - {title: four, target: 9}\n  - Grow seats\n---\n")})
    before = (root / OBJ).read_bytes()
    for kr in ("3", "users"):
        assert checkin(root, "reduce-churn", kr, "10") == 1
        err = capsys.readouterr().err
        assert f"key result 3 of 'reduce-churn' cannot take a check-in: {OBJ}:8: 'target' must be a number, not '50 users'" in err, err
        assert 'unit: "users"' in err and "has no key result" not in err
    assert checkin(root, "reduce-churn", "6", "10") == 1
    assert "it has 5: give a number from 1 to 5" in capsys.readouterr().err
    assert checkin(root, "reduce-churn", "5", "10") == 1
    assert "key result 5 of 'reduce-churn' cannot take a check-in: content/objectives/reduce-churn.md:10: key result 5 must be a set of keys" in capsys.readouterr().err
    assert (root / OBJ).read_bytes() == before


@needs_git
def test_a_check_in_to_a_file_a_merge_conflict_left_unread_names_the_conflict_not_an_unknown_id(repo, capsys):
    """QA DB: after a `git merge` that conflicted in their front matter, a check-in to an objective or
    a KPI said "unknown objective or KPI" of an id that is right; check said where the conflict is."""
    kpi_path = "content/kpis/mrr.md"
    repo.git("checkout", "-q", "-b", "other")
    repo.commit({OBJ: objective(current=44), kpi_path: repo.root.joinpath(kpi_path).read_text().replace("target: 50000", "target: 60000")},
                "2026-10-02T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.commit({OBJ: objective(current=43), kpi_path: repo.root.joinpath(kpi_path).read_text().replace("target: 50000", "target: 55000")},
                "2026-10-03T10:00:00+00:00")
    who = dict(repo.env, GIT_AUTHOR_NAME="Bo Chen", GIT_AUTHOR_EMAIL="bo@example.com", GIT_COMMITTER_NAME="Bo Chen", GIT_COMMITTER_EMAIL="bo@example.com")
    with pytest.raises(subprocess.CalledProcessError) as merged:
        repo.git("merge", "other", env=who)
    assert merged.value.stdout.count("CONFLICT") == 2
    errors = {d.file: d for d in check_site(repo.root).report.errors}
    for words, path in ((("reduce-churn", "1", "45"), OBJ), (("mrr", "47000"), kpi_path)):
        before = (repo.root / path).read_bytes()
        assert checkin(repo.root, *words) == 1
        err = capsys.readouterr().err
        said = errors[path]
        assert f"'{words[0]}' cannot take a check-in: {path}:{said.line}: unresolved merge conflict (git's <<<<<<< marker) ({said.hint})" in err, err
        assert "unknown objective or KPI" not in err and (repo.root / path).read_bytes() == before


def test_a_check_in_to_a_file_with_unreadable_yaml_names_its_error(repo, capsys):
    (repo.root / OBJ).write_text((repo.root / OBJ).read_text().replace("period: 2026-Q4", "period: [2026-Q4"))
    said = check_site(repo.root).report.errors
    assert [d.file for d in said] == [OBJ]
    assert checkin(repo.root, "reduce-churn", "1", "45") == 1
    err = capsys.readouterr().err
    assert f"'reduce-churn' cannot take a check-in: {OBJ}:{said[0].line}: {said[0].message}" in err, err
    assert checkin(repo.root, "reduce-chrun", "1", "45") == 1
    assert "unknown objective or KPI 'reduce-chrun'" in capsys.readouterr().err


def test_kpi_value_goes_to_its_values_or_its_csv(repo):
    assert checkin(repo.root, "mrr", "47100", "--date", "2026-11-20") == 0
    assert "  - {date: 2026-10-31, value: 46500}\n  - {date: 2026-11-20, value: 47100}\n" in (repo.root / "content/kpis/mrr.md").read_text()
    assert checkin(repo.root, "leads", "320", "--date", "2026-11-20") == 0
    assert (repo.root / "data/leads.csv").read_text() == "date,value\n2026-10-31,300\n2026-11-20,320\n"


def test_a_kpi_value_goes_after_the_csv_s_last_row_when_the_file_ends_with_empty_lines(repo):
    """`okrsite checkin leads 320` on a CSV that ends with an empty line wrote the row after it: one
    line is added, right after the last row, and nothing else changes."""
    path = repo.root / "data/leads.csv"
    path.write_text("date,value\n2026-10-31,300\n\n\n")
    assert checkin(repo.root, "leads", "320", "--date", "2026-11-20") == 0
    assert path.read_text() == "date,value\n2026-10-31,300\n2026-11-20,320\n\n\n"


def test_a_note_needs_commit(repo, capsys):
    before = (repo.root / OBJ).read_bytes()
    assert checkin(repo.root, "reduce-churn", "1", "45", "--note", "why") == 1
    assert "--commit" in capsys.readouterr().err and (repo.root / OBJ).read_bytes() == before


def test_crlf_file_keeps_its_line_endings(repo):
    path = repo.root / OBJ
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert checkin(repo.root, "reduce-churn", "1", "50") == 0
    assert b"    current: 50\r\n" in path.read_bytes() and b"\n" not in path.read_bytes().replace(b"\r\n", b"")


def test_schema_command_prints_the_json_schema(capsys):
    import json
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_old_value_is_the_one_the_site_shows_not_one_dated_after_the_as_of_date(tmp_path, capsys):
    """The as-of date is 2026-11-23: a KPI value of 2026-12-15 (and a check-in written for that day)
    is not on the site yet, so it is not the value a check-in of 2026-11-20 takes over from."""
    later = "  - {date: 2026-10-31, value: 46500}\n  - {date: 2026-12-15, value: 52000}"
    history = "    history:\n      - {date: 2026-11-02, value: 30}\n      - {date: 2026-12-15, value: 60}\n"
    text = objective().replace("    current: 5\n", history)
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: text,
                                            "content/kpis/mrr.md": kpi(values=later)})
    assert checkin(root, "mrr", "47100", "--date", "2026-11-20") == 0
    assert checkin(root, "reduce-churn", "1", "35") == 0
    out = capsys.readouterr().out
    assert "Check-in: Monthly recurring revenue 46,500 USD → 47,100 USD" in out, out
    assert "Check-in: Grow accounts 30 → 35" in out, out


def test_a_milestone_or_an_estimate_is_said_in_words_not_as_0_to_1(repo, capsys):
    """'Publish the pricing page 0 → 1' reads as a count; the site says done, and a share in %."""
    assert checkin(repo.root, "reduce-churn", "3", "done") == 0
    assert "Check-in: Publish the pricing page not done → done in " in capsys.readouterr().out
    path = repo.root / OBJ
    path.write_text(path.read_text().replace("    done: true\n", "    progress: 0.5\n"))
    assert checkin(repo.root, "reduce-churn", "3", "60%") == 0
    assert "Check-in: Publish the pricing page 50 % → 60 % in " in capsys.readouterr().out


@needs_git
def test_the_value_the_file_already_holds_writes_and_commits_nothing_and_says_so(repo, monkeypatch, capsys):
    """Checking in 41 where the file says 41 (or a KPI's value again for its date) is not a failed
    commit ("git commit failed: nothing to commit ... set your name"): nothing to do, exit 0. With a
    note it is refused, since the note would have no commit to go with."""
    git_env(repo, monkeypatch)
    commits = repo.git("rev-list", "--count", "HEAD")
    assert checkin(repo.root, "reduce-churn", "1", "41", "--commit") == 0
    assert capsys.readouterr().out == f"Grow accounts is already 41 in {OBJ}: nothing written\n"
    assert checkin(repo.root, "leads", "300", "--date", "2026-10-31", "--commit") == 0
    assert capsys.readouterr().out == "Leads is already 300 USD in data/leads.csv: nothing written\n"
    assert checkin(repo.root, "reduce-churn", "1", "41", "--commit", "--note", "steady") == 1
    assert "Grow accounts is already 41: there is no change to commit the note with" in capsys.readouterr().err
    assert repo.git("rev-list", "--count", "HEAD") == commits
    assert repo.git("status", "--porcelain").strip() == ""


def test_a_check_in_to_a_finished_period_says_it_changes_the_final_value_and_names_the_follower(tmp_path, capsys):
    """A month after the quarter, `okrsite checkin reduce-churn 1 45` rewrote the graded objective's
    final value without a word, where its follower in the new quarter was likely meant."""
    old = objective(current=41, period="2026-Q3")
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: old,
                                            "content/objectives/reduce-churn-2.md": objective(current=41).replace("owner: sales", "owner: sales\nfollows: reduce-churn")})
    assert checkin(root, "reduce-churn", "1", "45") == 0
    said = capsys.readouterr()
    assert said.out == f"Check-in: Grow accounts 41 → 45 in {OBJ}\n"
    assert said.err == ("okrsite checkin: note: 2026-Q3 ended on 2026-09-30: this is its final value, and its grade follows it;"
                        " 'reduce-churn-2' continues it in 2026-Q4 (okrsite checkin reduce-churn-2 1 45)\n")
    assert checkin(root, "reduce-churn-2", "1", "46") == 0
    assert capsys.readouterr().err == ""


def test_a_kpi_value_checked_in_early_in_a_month_the_month_before_lacks_says_how_to_date_it_then(tmp_path, monkeypatch, capsys):
    """On 2 January, December's revenue checked in without --date was dated 2027-01-02 without a word:
    the year's objective following the KPI left it out and stayed "missed" (QA EQ)."""
    import okrsite.goals.checkin as module
    from datetime import date

    root = _revenue_following_leads(tmp_path, "2026", SETTINGS, "2026-10-31,300\n2026-11-30,350\n")
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 2))
    assert checkin(root, "leads", "410", "--as-of", "2027-01-02") == 0
    assert capsys.readouterr().err == _dated_then("2027-01-02", "December 2026", "2026-12-31", "; 'revenue', whose period ended by 2026-12-31, "
                                                  "leaves out a value dated after it")
    assert checkin(root, "leads", "400", "--date", "2026-12-31", "--as-of", "2027-01-02") == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    (root / "data/leads.csv").write_text("date,value\n2026-10-31,300\n2026-11-30,350\n")
    assert checkin(root, "leads", "420", "--as-of", "2027-01-12") == 0
    assert capsys.readouterr().err == ""


def test_the_month_before_s_figure_is_advised_on_the_last_day_of_a_fiscal_period_that_ended_before_the_month(tmp_path, monkeypatch, capsys):
    """QA: on 2027-02-03 the note advised --date 2027-01-31 and said 'holiday', "whose period ended by
    2027-01-31", left out a value dated after it: FY26-Q4 of a 4-4-5 calendar ended 2027-01-30, and left
    that day out too. The note advises the period's last day, said as it is, which the period counts."""
    import okrsite.goals.checkin as module

    fiscal = SETTINGS + "\n[periods.FY26-Q4]\nstart = 2026-11-01\nend = 2027-01-30\n"
    root = _revenue_following_leads(tmp_path, "FY26-Q4", fiscal, "2026-11-30,350\n2026-12-31,380\n")
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 2, 3))
    assert checkin(root, "leads", "410", "--as-of", "2027-02-03") == 0
    assert capsys.readouterr().err == _dated_then("2027-02-03", "January 2027", "2027-01-30", "; 'revenue', whose period ended on 2027-01-30, "
                                                  "leaves out a value dated after it")


def test_a_fiscal_period_that_has_its_last_month_s_figure_is_not_advised_a_date_that_would_move_its_final_grade(tmp_path, monkeypatch, capsys):
    """QA FJ: FY27-Q1 ends 2026-12-26 and the calendar export's 2026-11-30 value lies in its last four
    weeks: its grade is final. On 2027-01-04 December's figure was advised --date 2026-12-26, which
    moved that final grade (0.33 to 0.52). The note advises December's own end, 2026-12-31, which counts
    in FY27-Q2, and names no objective that would leave it out."""
    import okrsite.goals.checkin as module

    fiscal = SETTINGS + "\n[periods.FY27-Q1]\nstart = 2026-10-01\nend = 2026-12-26\n"
    root = _revenue_following_leads(tmp_path, "FY27-Q1", fiscal, "2026-10-31,300\n2026-11-30,350\n")
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 4))
    assert checkin(root, "leads", "410", "--as-of", "2027-01-04") == 0
    assert capsys.readouterr().err == _dated_then("2027-01-04", "December 2026", "2026-12-31")


def _revenue_following_leads(tmp_path, period: str, settings: str, rows: str) -> Path:
    """A site whose objective 'revenue', of ``period``, follows the KPI leads, measured monthly, whose CSV has ``rows``."""
    revenue = (f"---\ntitle: Reach revenue\nperiod: {period}\nowner: sales\nkey_results:\n  - title: Revenue to 50k\n"
               "    kpi: leads\n    start: 100\n    target: 500\n---\n")
    return write_files(tmp_path / "goals", {"okrsite.toml": settings, "content/teams/sales.md": TEAM, "content/objectives/revenue.md": revenue,
                                            "data/leads.csv": "date,value\n" + rows,
                                            "content/kpis/leads.md": kpi(data="data/leads.csv").replace("Monthly recurring revenue", "Leads")})


def _dated_then(today: str, named: str, dated: str, left_out: str = "") -> str:
    """The note of `okrsite checkin leads 410` on ``today``, early in a month (quarter) after ``named``,
    which has no value: how to record it under ``dated``."""
    return (f"okrsite checkin: note: recorded under {today}, and {named} has no value of 'Leads' yet: if it is {named}'s figure, "
            f"remove its value dated {today} from data/leads.csv and record it for then with okrsite checkin leads 410 --date {dated} "
            f"(without --commit, which takes only a file with no other change), then commit data/leads.csv{left_out}\n")


LATE_QUARTER = _dated_then("2027-01-02", "2026-Q4", "2026-12-31")


@needs_git
@pytest.mark.parametrize("frequency, said", [("frequency: weekly\n", ""), ("frequency: daily\n", ""), ("", ""), ("frequency: quarterly\n", LATE_QUARTER)],
                         ids=["weekly", "daily", "unstated", "quarterly"])
def test_a_value_checked_in_early_in_a_month_is_said_to_be_the_month_befores_only_of_a_kpi_measured_monthly_or_quarterly(
        tmp_path, monkeypatch, capsys, frequency, said):
    """QA: the note "if it is December 2026's figure, … --date 2026-12-31" was said of a KPI whose file
    states no frequency, as if measured monthly (its figures may be for any period: the default is for
    staleness only). A weekly or daily figure is recorded when it comes; a quarterly one is the quarter's."""
    import okrsite.goals.checkin as module
    from datetime import date

    repo = GitRepo(tmp_path / "goals")
    leads = kpi(data="data/leads.csv").replace("Monthly recurring revenue", "Leads").replace("frequency: monthly\n", frequency)
    repo.commit({"okrsite.toml": 'title = "Git goals"\n', "content/teams/sales.md": TEAM, "content/kpis/leads.md": leads,
                 "data/leads.csv": "date,value\n2026-06-30,300\n2026-09-30,350\n"}, "2026-10-01T10:00:00+00:00")
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 2))
    assert checkin(repo.root, "leads", "410", "--as-of", "2027-01-02") == 0
    assert capsys.readouterr().err == said
    assert (repo.root / "data/leads.csv").read_text().endswith("2027-01-02,410\n")


def _chain(tmp_path, *periods: str) -> Path:
    """reduce-churn in the first period, followed by reduce-churn-2 in the next, and so on."""
    files = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective(current=41, period=periods[0])}
    for n, period in enumerate(periods[1:], 2):
        follows = "reduce-churn" if n == 2 else f"reduce-churn-{n - 1}"
        files[f"content/objectives/reduce-churn-{n}.md"] = objective(current=41, period=period).replace("owner: sales", f"owner: sales\nfollows: {follows}")
    return write_files(tmp_path / "goals", files)


def test_a_late_check_in_names_the_follower_down_the_chain_whose_period_runs(tmp_path, capsys):
    """reduce-churn (Q2) -> reduce-churn-2 (Q3, ended) -> reduce-churn-3 (Q4, running): the note
    pointed at reduce-churn-2, whose check-in would move a second finished quarter's grade."""
    root = _chain(tmp_path, "2026-Q2", "2026-Q3", "2026-Q4")
    assert checkin(root, "reduce-churn", "1", "45") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: 2026-Q2 ended on 2026-06-30: this is its final value, and its grade follows it;"
                                       " 'reduce-churn-3' continues it in 2026-Q4, by way of 'reduce-churn-2' (okrsite checkin reduce-churn-3 1 45)\n")


def test_a_late_check_in_whose_followers_have_all_ended_offers_no_command(tmp_path, capsys):
    root = _chain(tmp_path, "2026-Q1", "2026-Q2", "2026-Q3")
    assert checkin(root, "reduce-churn", "1", "45") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: 2026-Q1 ended on 2026-03-31: this is its final value, and its grade follows it;"
                                       " 'reduce-churn-3' continues it in 2026-Q3, by way of 'reduce-churn-2', which has ended too\n")


def test_a_kpi_value_dated_a_year_ahead_is_refused_on_a_site_shown_as_of_today(repo, capsys):
    """'--date 2027-11-27' for 2026: the site as of today would leave it out for a year, while the
    check-in said "46,500 → 47,100". (With the as_of setting, see the test below.)"""
    from datetime import timedelta
    from okrsite.goals.clock import today as current_day
    today = current_day()
    ahead = today + timedelta(days=365)
    write_files(repo.root, {"okrsite.toml": 'title = "Git goals"\n'})
    before = (repo.root / "content/kpis/mrr.md").read_bytes()
    assert checkin(repo.root, "mrr", "47100", "--date", ahead.isoformat()) == 1
    assert f"--date {ahead} is after today ({today}): the site would leave this value out until then, so nothing was written" in capsys.readouterr().err
    assert (repo.root / "content/kpis/mrr.md").read_bytes() == before
    assert checkin(repo.root, "mrr", "47100", "--date", (today + timedelta(days=1)).isoformat()) == 0, "a day ahead: someone east of here"


def _site_on(tmp_path, monkeypatch, today: date) -> GitRepo:
    """A site shown as of today, ``today``, for the check-in and the check alike, with the KPI mrr
    measured monthly (inline values) and nps quarterly (a CSV file)."""
    import okrsite.goals.checkin as module
    from okrsite.goals import config
    monkeypatch.setattr(module, "current_day", lambda: today)
    monkeypatch.setattr(config, "today", lambda: today)
    nps = kpi(data="data/nps.csv").replace("Monthly recurring revenue", "NPS").replace("monthly", "quarterly")
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": 'title = "Git goals"\n', "content/teams/sales.md": TEAM, OBJ: objective(current=41),
                 "content/kpis/mrr.md": kpi(values="  - {date: 2026-10-31, value: 46500}"),
                 "data/nps.csv": "date,value\n2026-09-30,40\n", "content/kpis/nps.md": nps}, "2026-10-01T10:00:00+00:00")
    return repo


KPI_FILES = {"mrr": "content/kpis/mrr.md", "nps": "data/nps.csv"}
PERIOD_ENDS = pytest.mark.parametrize("today, ident, end, refused", [
    (date(2026, 12, 6), "mrr", "2026-12-31", ["2027-01-01", "2026-12-16", "2027-01-31"]),
    (date(2026, 11, 6), "mrr", "2026-11-30", ["2026-12-01", "2026-11-20", "2026-12-31"]),
    (date(2026, 11, 6), "nps", "2026-12-31", ["2027-01-01", "2026-11-30", "2027-03-31"]),
], ids=["monthly-december", "monthly-november", "quarterly"])


@needs_git
@PERIOD_ENDS
def test_a_kpi_value_dated_by_the_last_day_of_the_period_of_today_is_taken_as_the_check_tells_of_it(
        tmp_path, monkeypatch, capsys, today, ident, end, refused):
    """QA (forty-sixth round): `okrsite checkin mrr 900 --date 2026-12-31` on 2026-12-06 was refused as
    "after today", while `check --strict` passes such a value of a monthly KPI (this month's figure
    dated by its last day: a notice, goals/ahead.py). The check-in takes that one day, of a monthly or
    quarterly KPI, says when the site shows it, and the site it writes passes `check --strict`."""
    repo = _site_on(tmp_path, monkeypatch, today)
    path = repo.root / KPI_FILES[ident]
    assert checkin(repo.root, ident, "47", "--date", end) == 0
    period = "quarter" if ident == "nps" else "month"
    assert capsys.readouterr().err == (f"okrsite checkin: note: the site shows this value from {end} on, the {period}'s last day, "
                                       f"as this {period}'s figure; to show it now, check it in without --date\n")
    assert end in path.read_text()
    assert main(["check", str(repo.root), "--strict"]) == 0


@needs_git
@PERIOD_ENDS
def test_any_other_day_ahead_is_refused_naming_the_last_day_of_the_period_of_today(tmp_path, monkeypatch, capsys, today, ident, end, refused):
    """The day after the period's end, a day inside it (most likely a typo: 2026-12-16 for 2026-11-16)
    or a later period's end is refused as before, each a day `check --strict` warns of, and the
    refusal names the one day ahead this period's figure may be dated by."""
    repo = _site_on(tmp_path, monkeypatch, today)
    path = repo.root / KPI_FILES[ident]
    before = path.read_text()
    for day in refused:
        assert checkin(repo.root, ident, "47", "--date", day) == 1
        err = capsys.readouterr().err
        assert f"--date {day} is after today ({today}): the site would leave this value out until then, so nothing was written" in err, err
        assert f"'s figure of a {'quarterly' if ident == 'nps' else 'monthly'} KPI may be dated by the" in err and f"last day: --date {end})" in err, err
        assert path.read_text() == before
    path.write_text(before.replace("2026-10-31", refused[1]).replace("2026-09-30", refused[1]))
    assert main(["check", str(repo.root), "--strict"]) == 1, "a day the check-in refuses, the check warns of"


@needs_git
def test_a_kpi_value_dated_by_the_last_day_of_a_named_period_of_today_is_taken_as_the_month_s_figure(tmp_path, monkeypatch, capsys):
    """QA: on 2027-04-28, `okrsite checkin mrr 47 --date 2027-05-01`, the month's figure dated by the
    last day of FY27-Q1 (a 4-4-5 calendar's), was refused as "after today", while 2027-04-30 was taken.
    It is taken as the month-end value is; a day after it, or a named period's end more than a month
    (quarter) ahead, is refused still."""
    repo = _site_on(tmp_path, monkeypatch, date(2027, 4, 28))
    write_files(repo.root, {"okrsite.toml": 'title = "Git goals"\n\n[periods.FY27-Q1]\nstart = 2027-01-31\nend = 2027-05-01\n'})
    assert checkin(repo.root, "mrr", "47", "--date", "2027-05-01") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: the site shows this value from 2027-05-01 on, FY27-Q1's last day, "
                                       "as this month's figure; to show it now, check it in without --date\n")
    assert main(["check", str(repo.root), "--strict"]) == 0
    assert checkin(repo.root, "mrr", "47", "--date", "2027-05-02") == 1
    assert ("this month's figure of a monthly KPI may be dated by the month's last day: --date 2027-04-30 "
            "or FY27-Q1's last day: --date 2027-05-01)") in capsys.readouterr().err, "QA FH: the fiscal month's last day is named too"
    assert checkin(repo.root, "nps", "41", "--date", "2027-05-01") == 0, "a quarterly KPI's too"
    capsys.readouterr()
    _site_on(tmp_path / "february", monkeypatch, date(2027, 2, 10))
    write_files(tmp_path / "february/goals", {"okrsite.toml": 'title = "Git goals"\n\n[periods.FY27-Q1]\nstart = 2027-01-31\nend = 2027-05-01\n'})
    assert checkin(tmp_path / "february/goals", "mrr", "47", "--date", "2027-05-01") == 1
    err = capsys.readouterr().err
    assert "may be dated by the month's last day: --date 2027-02-28)" in err and "FY27-Q1" not in err, "not in FY27-Q1's last month"
    april = _site_on(tmp_path / "april", monkeypatch, date(2027, 4, 20)).root
    write_files(april, {"okrsite.toml": 'title = "Git goals"\n\n[periods.FY27-Q1]\nstart = 2027-01-31\nend = 2027-04-24\n'
                                        '\n[periods.FY27-Q2]\nstart = 2027-04-25\nend = 2027-07-24\n'})
    assert checkin(april, "mrr", "47", "--date", "2027-04-22") == 1
    assert ("may be dated by FY27-Q1's last day, to count in FY27-Q1: --date 2027-04-24 or the month's last day, to count in FY27-Q2: "
            "--date 2027-04-30)") in capsys.readouterr().err, "QA FJ: two days that count in different periods say which"


@needs_git
def test_a_key_result_check_in_is_not_taken_on_the_last_day_of_a_month_ahead(tmp_path, monkeypatch, capsys):
    """The last day of the period of today is a KPI's way to date its figure; a key result's check-in
    dated so is more than a day ahead like any other (the check warns of it), and no such day is named."""
    repo = _site_on(tmp_path, monkeypatch, date(2026, 11, 6))
    git_env(repo, monkeypatch)
    before = (repo.root / OBJ).read_bytes()
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-11-30") == 1
    err = capsys.readouterr().err
    assert "--date 2026-11-30 is after today (2026-11-06): the site would leave this value out until then" in err and "last day" not in err, err
    assert (repo.root / OBJ).read_bytes() == before and repo.git("rev-list", "--count", "HEAD").strip() == "1"


def test_a_kpi_value_is_not_compared_with_today_when_the_as_of_setting_could_not_be_read(repo, capsys):
    """QA CG: with `as_of = "05/12/2026"` a check-in dated a year ahead was "after today (…): did you
    mean" a year earlier, of a site meant to be shown as of another day: okrsite.toml's error refuses it."""
    from datetime import timedelta
    from okrsite.goals.clock import today as current_day
    ahead = current_day() + timedelta(days=365)
    write_files(repo.root, {"okrsite.toml": 'title = "Git goals"\nas_of = "05/12/2026"\n'})
    before = (repo.root / "content/kpis/mrr.md").read_bytes()
    assert checkin(repo.root, "mrr", "47100", "--date", ahead.isoformat()) == 1
    err = capsys.readouterr().err
    assert "after today" not in err and "okrsite.toml:2: error: setting 'as_of' must be a date like 2026-11-23" in err
    assert (repo.root / "content/kpis/mrr.md").read_bytes() == before


def test_a_site_folder_that_does_not_exist_is_said_not_an_unknown_objective(tmp_path, capsys):
    """`okrsite checkin --site nonexist grow 3` said "unknown objective or KPI 'grow'"."""
    assert checkin(tmp_path / "nonexist", "grow", "3") == 1
    assert capsys.readouterr().err == (f"okrsite checkin: error: the folder {tmp_path / 'nonexist'} does not exist (give the folder of your goals "
                                       f"repository, the one that holds content/, or create one there with 'okrsite init {tmp_path / 'nonexist'}')\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["nonexist", "a-file", "no-content"])
def test_a_missing_site_folder_is_the_one_error_and_nothing_is_read(tmp_path, monkeypatch, where):
    """plan_checkin looked for the site folder only after the site had been loaded (settings read,
    content listed, everything linked): `okrsite checkin --site nowhere` and the preview's form now say
    that it is no site first, and alone, as a build does, and read nothing."""
    from okrsite.git import record
    from okrsite.goals import repository
    from okrsite.goals.checkin import CheckInError

    site = tmp_path / where
    if where == "a-file":
        site.write_text("not a folder\n")
    elif where == "no-content":
        write_files(site, {"okrsite.toml": SETTINGS})

    def no_loading(*args, **kwargs):
        raise AssertionError("the site was read")

    monkeypatch.setattr(repository, "load_settings", no_loading)  # the first thing load_site reads
    with pytest.raises(CheckInError) as raised:
        record.record_checkin(site, "grow", None, "3")
    said = {"nonexist": "does not exist", "a-file": "is a file, not a folder", "no-content": "no content/ folder in"}[where]
    assert said in raised.value.message and raised.value.problems == ()


def test_a_check_in_to_a_key_result_that_follows_its_kpi_says_the_kpi_no_longer_moves_it(tmp_path, capsys):
    """`okrsite checkin reduce-churn 4 47100` on a key result with `kpi: mrr` and no number of its own
    wrote `current: 47100`, which from then on wins over every new MRR value (SPEC §5), without a
    word: the user who meant to record MRR never learnt that the key result stopped following it."""
    followed = objective().replace("key_results:\n", "key_results:\n  - title: Grow MRR\n    kpi: mrr\n    start: 40000\n    target: 50000\n")
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: followed,
                                            "content/kpis/mrr.md": kpi(values="  - {date: 2026-10-31, value: 46500}")})
    assert checkin(root, "reduce-churn", "1", "47100") == 0
    said = capsys.readouterr()
    assert said.out == f"Check-in: Grow MRR 46,500 USD → 47,100 USD in {OBJ}\n"
    assert said.err == ("okrsite checkin: note: key result 1 followed the KPI 'mrr'; its current: 47100 now counts instead,"
                        " and new values of 'mrr' no longer move it (to follow the KPI again, remove that line;"
                        " to record the KPI's value: okrsite checkin mrr 47100)\n")
    assert checkin(root, "reduce-churn", "1", "47200") == 0  # it has its own number now: nothing more to say
    assert capsys.readouterr().err == ""


GUARDED = """---
title: Guarded
period: 2026-Q4
owner: sales
key_results:
  - title: Ship it
    done: false
  - title: Keep availability at or above 99.9%
    keep_above: 99.9
    current: 99.8
    unit: "%"
---
"""


@pytest.mark.parametrize("written, old", [
    ("    current: 99.8\n", "99.8%"),
    ("", "none"),
    ("    history:\n      - {date: 2026-11-02, value: 99.7}\n", "99.7%"),
])
def test_a_guardrail_key_result_is_checked_in_like_a_numeric_one(tmp_path, capsys, written, old):
    """`okrsite checkin o 2 99.95` on a guardrail (SPEC §12) said "internal error, please report:
    KeyError: 'guardrail'": it takes `current:` as a numeric key result does."""
    path = "content/objectives/o.md"
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM,
                                            path: GUARDED.replace("    current: 99.8\n", written)})
    assert checkin(root, "o", "2", "99.95") == 0
    said = capsys.readouterr()
    assert said.out == f"Check-in: Keep availability at or above 99.9% {old} → 99.95% in {path}\n", said
    text = (root / path).read_text()
    assert "    keep_above: 99.9\n    current: 99.95\n" in text and text.count("current:") == 1
    assert build(root, tmp_path / "out").ok
    assert "99.95" in (tmp_path / "out/objectives/o/index.html").read_text()


def test_the_preview_form_checks_in_a_guardrail_too(tmp_path):
    """The update form of `okrsite serve` makes the same edit (preview/forms.py → git.record)."""
    from okrsite.preview.forms import submit
    path = "content/objectives/o.md"
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, path: GUARDED})
    rebuilt = []
    outcome = submit(root, {"id": "o", "kr": "2", "value": "99.95"}, rebuilt.extend)
    assert (outcome.status, outcome.location) == (303, "/objectives/o/#o-kr2")
    assert "    current: 99.95\n" in (root / path).read_text() and rebuilt == [root.resolve() / path]


@pytest.mark.parametrize("words, said", [
    (("--date", "2027-12-01"), "--date 2027-12-01 is after the site's as-of date 2026-12-02 (as_of in okrsite.toml)"),
    (("--date", "2026-11-30", "--as-of", "2026-11-23"), "--date 2026-11-30 is after the site's as-of date 2026-11-23 (--as-of)"),
])
def test_a_kpi_value_dated_after_a_pinned_as_of_date_is_refused(tmp_path, capsys, words, said):
    """`okrsite checkin signups 14 --date 2027-12-01` with `as_of = 2026-12-02` in okrsite.toml wrote
    the value and said "Signups 13 → 14", while the site, shown as of 2026-12-02, leaves it out and
    stays at 13. Refused as on a site shown as of today, naming where the as-of date comes from."""
    path = "content/kpis/signups.md"
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "f"\nas_of = 2026-12-02\n',
                                            path: "---\ntitle: Signups\nowner: Jane Doe\nsource: s\nvalues:\n  - {date: 2026-11-20, value: 13}\n---\n"})
    before = (root / path).read_bytes()
    assert checkin(root, "signups", "14", *words) == 1
    err = capsys.readouterr().err
    assert said + ": the site would leave this value out, so nothing was written" in err, err
    assert (root / path).read_bytes() == before
    assert checkin(root, "signups", "14", "--date", "2026-11-23") == 0, "on or before the as-of date"


def test_a_kpi_value_of_today_on_a_site_shown_as_of_an_earlier_day_is_refused(tmp_path, capsys):
    """Without --date a KPI value is dated today, which a site pinned to an earlier day leaves out too."""
    from okrsite.goals.clock import today as current_day
    path = "content/kpis/signups.md"
    kpi_file = "---\ntitle: Signups\nowner: Jane Doe\nsource: s\nvalues:\n  - {date: 2026-11-20, value: 13}\n---\n"
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "f"\nas_of = 2026-11-23\n', path: kpi_file})
    assert checkin(root, "signups", "14") == 1
    err = capsys.readouterr().err
    assert (f"today ({current_day()}) is after the site's as-of date 2026-11-23 (as_of in okrsite.toml): the site would leave "
            "this value out, so nothing was written (give --date 2026-11-23 or earlier") in err, err
    assert (root / path).read_text() == kpi_file
    write_files(root, {"okrsite.toml": 'title = "f"\nas_of = 2099-01-01\n'})
    assert checkin(root, "signups", "14") == 0, "a site shown as of a later day shows today's value"


@needs_git
def test_a_key_result_committed_on_a_date_after_the_as_of_date_is_refused(repo, monkeypatch, capsys):
    """`okrsite checkin reduce-churn 1 45 --commit --date 2026-12-01` on a site shown as of 2026-11-23
    committed a check-in the site leaves out: its "last check-in", staleness and forecast stayed as
    they were while the value moved. Refused as a KPI value dated so is; nothing written or committed."""
    git_env(repo, monkeypatch)
    before = (repo.root / OBJ).read_bytes()
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-12-01") == 1
    err = capsys.readouterr().err
    assert "--date 2026-12-01 is after the site's as-of date 2026-11-23 (as_of in okrsite.toml): the site would leave this value out" in err, err
    assert (repo.root / OBJ).read_bytes() == before and repo.git("rev-list", "--count", "HEAD").strip() == "1"
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-11-23") == 0



@needs_git
def test_a_key_result_committed_today_on_a_site_shown_as_of_an_earlier_day_says_when_its_note_shows(repo, monkeypatch, capsys):
    """`okrsite checkin reduce-churn 1 45 --note "..." --commit` on a site shown as of 2026-11-23 (as_of
    in okrsite.toml) committed today and said nothing: the page showed 45 (a written current: counts)
    but no check-in and no note, as the commit is dated after the day the site shows. Not refused (the
    value shows) nor dated back by itself: the command says when the date and note show."""
    from datetime import datetime, timezone
    from okrsite.goals.clock import today as current_day
    git_env(repo, monkeypatch)
    assert checkin(repo.root, "reduce-churn", "1", "45", "--note", "new flow live", "--commit") == 0
    err = capsys.readouterr().err
    assert (f"note: the site is shown as of 2026-11-23 (as_of in okrsite.toml) and this check-in's commit is dated today ({current_day()}): "
            f"its value shows now, its date and note once the site is shown as of {current_day()} or later") in err, err
    assert repo.git("log", "-1", "--format=%b").strip() == "new flow live"
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    repo.commit({"okrsite.toml": SETTINGS + "git_history = false\n"}, now)
    assert checkin(repo.root, "reduce-churn", "1", "46", "--commit") == 0
    assert "note:" not in capsys.readouterr().err, "without git history a commit is no check-in: nothing to say"
    repo.commit({"okrsite.toml": 'title = "Git goals"\n'}, now)
    assert checkin(repo.root, "reduce-churn", "1", "47", "--commit") == 0
    assert "note:" not in capsys.readouterr().err, "shown as of today: the check-in shows at once"

@needs_git
@pytest.mark.parametrize("day", ["2026-08-01", "2026-09-30"])
def test_a_key_result_check_in_dated_before_its_files_last_commit_is_refused(repo, monkeypatch, capsys, day):
    """`--date 2026-08-01` (a typo for 2026-11-01), or a missed week filled in after a later check-in:
    the commit would land after one dated later, and its number would replace the newer one in
    `current:` (which always counts). Refused, with the history: entry that back-fills instead."""
    git_env(repo, monkeypatch)
    before = (repo.root / OBJ).read_bytes()
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", day) == 1
    err = capsys.readouterr().err
    assert (f"--date {day} is before the last commit of {OBJ} (2026-10-01): committed now, its number would replace the later one in "
            f"current:, so nothing was written (to fill in an earlier day, add '- {{date: {day}, value: 45}}' to the key result's history:; "
            "or give --date 2026-10-01 or later)") in err, err
    assert (repo.root / OBJ).read_bytes() == before and repo.git("rev-list", "--count", "HEAD").strip() == "1"
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-10-01") == 0


@needs_git
def test_a_site_shown_as_of_a_day_before_its_files_last_commit_is_told_no_date_can_be_committed(tmp_path, monkeypatch, capsys):
    """QA AT: on a site pinned to as_of 2026-11-23 whose files were committed later (the example in a
    fresh clone), every date was refused, before the last commit or after the as-of date, and the
    hints sent from one to the other. The refusal says what works."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective(current=41)}, "2026-12-02T10:00:00+00:00")
    git_env(repo, monkeypatch)
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-11-23") == 1
    err = capsys.readouterr().err
    assert ("(the site is shown as of 2026-11-23, before that commit, so no date can be committed: check in without --commit and "
            "--date (untick 'commit' and empty the date in the form) to write the value, or set as_of to 2026-12-02 or later)") in err, err
    assert checkin(repo.root, "reduce-churn", "1", "45") == 0


@needs_git
def test_a_late_final_value_dated_before_its_files_last_commit_is_told_to_take_a_later_date(tmp_path, monkeypatch, capsys):
    """After 2026-Q3 ended its file got a retro (committed 2026-10-20); a final value measured on
    2026-10-05 cannot go in history: (entries after the end do not count), but `current:` counts
    whatever its date: the refusal says so, and a later date goes through."""
    repo = GitRepo(tmp_path / "goals")
    old = "content/objectives/q3.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, old: objective(current=41, period="2026-Q3")}, "2026-07-01T10:00:00+00:00")
    repo.commit({old: objective(current=41, period="2026-Q3", body="What we learned.")}, "2026-10-20T10:00:00+00:00")
    git_env(repo, monkeypatch)
    assert main(["checkin", "--site", str(repo.root), "q3", "1", "60", "--commit", "--date", "2026-10-05"]) == 1
    err = capsys.readouterr().err
    assert "--date 2026-10-05 is before the last commit of content/objectives/q3.md (2026-10-20)" in err, err
    assert "(its period has ended, so a final value counts whatever its date: give --date 2026-10-20 or later)" in err
    assert main(["checkin", "--site", str(repo.root), "q3", "1", "60", "--commit", "--date", "2026-10-20"]) == 0


def link_into_site(repo: GitRepo, link: str, real: str) -> Path:
    """Move ``link``'s file to ``real`` (inside the site) and leave a relative symbolic link in its place."""
    (repo.root / real).parent.mkdir(parents=True, exist_ok=True)
    (repo.root / link).rename(repo.root / real)
    (repo.root / link).symlink_to(os.path.relpath(repo.root / real, (repo.root / link).parent))
    return repo.root / real


@needs_git
def test_a_check_in_to_a_linked_goals_file_changes_the_real_file_and_commits_it(repo, monkeypatch, capsys):
    """A goals file kept in shared/ and linked into content/: the check-in went into a new plain file
    in place of the link, and --commit committed the link turned into a file (mode 120000 -> 100644)."""
    git_env(repo, monkeypatch)
    real = link_into_site(repo, OBJ, "shared/reduce-churn.md")
    repo.commit({}, "2026-10-02T10:00:00+00:00")
    before = real.read_text()
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-11-10") == 0
    assert "shared/reduce-churn.md" in capsys.readouterr().out
    assert (repo.root / OBJ).is_symlink() and os.readlink(repo.root / OBJ) == "../../shared/reduce-churn.md"
    assert [line for line in real.read_text().splitlines() if line not in before.splitlines()] == ["    current: 45"]
    assert repo.git("show", "--name-only", "--format=", "HEAD").split() == ["shared/reduce-churn.md"]
    assert repo.git("status", "--porcelain").strip() == ""


def test_a_kpi_value_goes_into_the_csv_a_link_leads_to(repo):
    real = link_into_site(repo, "data/leads.csv", "exports/leads.csv")
    assert checkin(repo.root, "leads", "320", "--date", "2026-11-20") == 0
    assert (repo.root / "data/leads.csv").is_symlink()
    assert real.read_text() == "date,value\n2026-10-31,300\n2026-11-20,320\n"


def test_a_goals_file_linked_from_outside_the_site_does_not_block_a_check_in_it_does_not_block_a_build(repo, tmp_path, capsys):
    """The check read a copy of the site, and copying follows links: a link to a file outside the site,
    which the build leaves out, was read there, and its errors refused every check-in."""
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\ntitle: [unclosed\n---\n")
    (repo.root / "content/objectives/elsewhere.md").symlink_to(outside)
    assert build(repo.root, tmp_path / "out").ok
    assert checkin(repo.root, "reduce-churn", "1", "45") == 0, capsys.readouterr().err
    assert "current: 45" in (repo.root / OBJ).read_text()


def test_a_hard_linked_goals_file_stays_one_file_with_its_links(repo):
    """A check-in replaced the file with a new one: the other name kept the old text (links 2 -> 1)."""
    path = repo.root / OBJ
    other = repo.root / "copy-of-reduce-churn.md"
    os.link(path, other)
    assert checkin(repo.root, "reduce-churn", "1", "45") == 0
    assert path.stat().st_nlink == 2 and os.path.samefile(path, other)
    assert "    current: 45\n" in other.read_text()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".okrsite-")]


def test_a_hard_linked_file_whose_write_fails_is_written_back_as_it_was(repo, monkeypatch, capsys):
    import okrsite.goals.checkin as planned
    from okrsite.git.record import record_checkin
    path = repo.root / OBJ
    os.link(path, repo.root / "copy-of-reduce-churn.md")
    before = path.read_bytes()
    overwrite, calls = planned._overwrite, []

    def full_disk(target: Path, data: bytes) -> None:
        calls.append(data)
        if len(calls) == 1:
            target.write_bytes(data[:10])
            raise OSError(28, "No space left on device")
        overwrite(target, data)

    monkeypatch.setattr(planned, "_overwrite", full_disk)
    with pytest.raises(OSError):
        record_checkin(repo.root, "reduce-churn", "1", "45")
    assert path.read_bytes() == before and path.stat().st_nlink == 2
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".okrsite-")]


@pytest.mark.parametrize("path, words", [(OBJ, ("reduce-churn", "1", "45")), ("data/leads.csv", ("leads", "320", "--date", "2026-11-20"))])
def test_a_read_only_file_is_refused_by_its_own_name_and_left_as_it_is(repo, capsys, path, words):
    """A goals file or CSV made read-only (0444): exit 1 naming the user's file (not the scratch copy
    the edit is checked in), and a hint; the file is not replaced behind its owner's back."""
    file = repo.root / path
    before = file.read_bytes()
    file.chmod(0o444)
    try:
        assert checkin(repo.root, *words) == 1
    finally:
        file.chmod(0o644)
    err = capsys.readouterr().err
    assert err == f"okrsite checkin: error: {path} is read-only, so nothing was written (make it writable with chmod u+w {path}, then check in again)\n"
    assert file.read_bytes() == before


def test_a_read_only_folder_is_an_error_naming_it(repo):
    folder = repo.root / "content/objectives"
    before = (repo.root / OBJ).read_bytes()
    folder.chmod(0o555)
    try:
        done = okrsite_bound_by_permissions("checkin", "--site", str(repo.root), "reduce-churn", "1", "45")
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert done.stderr == (f"okrsite checkin: error: cannot write in {folder}: permission denied "
                           f"(make {folder} writable for you: chmod u+w {folder})\n")
    assert (repo.root / OBJ).read_bytes() == before and sorted(p.name for p in folder.iterdir()) == ["reduce-churn.md"]


def test_a_check_in_in_a_content_folder_that_is_a_link_changes_the_file_there(repo, tmp_path):
    """content/ itself a link to a folder elsewhere (check and build read it): the check-in was refused
    as "a link ... outside the site" once files behind links were followed; the file is changed there."""
    elsewhere = tmp_path / "content-elsewhere"
    (repo.root / "content").rename(elsewhere)
    (repo.root / "content").symlink_to(elsewhere, target_is_directory=True)
    assert checkin(repo.root, "reduce-churn", "1", "45") == 0
    assert "    current: 45\n" in (elsewhere / OBJ.removeprefix("content/")).read_text()
    assert (repo.root / "content").is_symlink()


def test_a_key_result_id_the_page_reserves_is_named_as_such_when_checking_in(repo, capsys):
    """`id: main` is a warning and the key result gets its default id: a script that checked in by
    'main' is told why it is unknown, not only that it is."""
    path = repo.root / OBJ
    path.write_text(path.read_text().replace("  - title:", "  - id: main\n    title:", 1))
    assert checkin(repo.root, "reduce-churn", "main", "45") == 1
    err = capsys.readouterr().err
    assert "the objective's page uses 'main' for its own part, so no key result has that id" in err and "reduce-churn-kr1" in err


@needs_git
def test_commit_in_a_repository_git_refuses_gives_gits_reason_and_fix(repo, tmp_path, capsys):
    from .gitrepo import foreign_copy

    foreign = foreign_copy(repo, tmp_path / "foreign")
    assert checkin(foreign, "reduce-churn", "1", "45", "--commit") == 1
    err = capsys.readouterr().err
    assert "git init" not in err and "not in a git repository" not in err
    assert "git refuses to read this repository, owned by another user" in err and f"safe.directory {foreign}" in err


@needs_git
def test_a_commit_without_a_git_identity_names_both_settings_and_leaves_nothing_staged(repo, monkeypatch, capsys):
    for key, value in repo.env.items():
        monkeypatch.setenv(key, value)
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(key, raising=False)
    repo.git("config", "user.useConfigOnly", "true")  # as a runner without an identity: git guesses none
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit") == 1
    err = capsys.readouterr().err
    assert "git config user.name" in err and "git config user.email" in err
    assert "current: 45" in (repo.root / OBJ).read_text() and "is written in" in err
    assert repo.git("status", "--porcelain").strip() == f"M {OBJ}"  # changed in the work tree, not staged


@pytest.mark.parametrize("typed, hint", [
    ("7,5", "write 7.5: okrsite reads '.' as the decimal point"),
    ("1,300", "write 1300, without the thousands separator"),
    ("45k", "write every digit, 45000"),
    ("45 customers", "write the plain number 45"),
    ("lots", "give a plain number without units or thousands separators, e.g. 45 or 4.5"),
])
def test_a_number_typed_as_people_write_them_gets_the_hint_check_gives(typed, hint):
    """QA AF: `okrsite checkin OBJ 1 7,5` said only "'7,5' is not a number", where `okrsite check` on
    `current: 7,5` says what to write."""
    from okrsite.goals.checkin import CheckInError, read_value

    with pytest.raises(CheckInError) as refused:
        read_value(typed, "numeric")
    assert (refused.value.message, refused.value.hint) == (f"'{typed}' is not a number", hint)
    with pytest.raises(CheckInError) as refused:  # an estimate: "write the plain number 40" would be refused next (review 30)
        read_value(typed, "manual")
    assert (refused.value.message, refused.value.hint) == (f"'{typed}' is not a number", "give e.g. 0.4 or 40%")


@pytest.mark.parametrize("typed", ["99999999999999999999", "-2e15", "1e400"])
def test_a_number_too_large_is_said_to_be_too_large_not_to_be_no_number(typed):
    """QA BJ: `okrsite checkin obj 2 99999999999999999999` said "is not a number"."""
    from okrsite.goals.checkin import CheckInError, read_value

    with pytest.raises(CheckInError) as refused:
        read_value(typed, "numeric")
    assert refused.value.message == f"'{typed}' is too large" and "up to 1e15" in refused.value.hint


def test_a_file_checkin_cannot_change_is_named_in_its_error(tmp_path, capsys):
    """QA AS: an edit's refusal named no file: which one, of the key result's objective or the KPI's?"""
    aliased = objective(current=41).replace("title: Reduce churn", "title: Reduce churn\nbase: &base 41").replace("current: 41", "current: *base")
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: aliased})
    before = (root / OBJ).read_bytes()
    assert checkin(root, "reduce-churn", "1", "45") == 1
    assert f"error: {OBJ}:10: 'current' of key result 1 is written with the YAML alias *base, which stands for the value of 'base' (line 3)" in capsys.readouterr().err
    assert (root / OBJ).read_bytes() == before


def test_a_file_with_old_mac_line_ends_is_checked_in_to(tmp_path, capsys):
    """QA DC: check and build read a lone-CR file, checkin refused it ("the file has line breaks of old
    Mac OS"), though a file check accepts can be checked in to (docs/checkins.md)."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: ""})
    (root / OBJ).write_bytes(objective(current=41).replace("\n", "\r").encode())
    before = (root / OBJ).read_bytes()
    assert checkin(root, "reduce-churn", "1", "45") == 0, capsys.readouterr().err
    assert (root / OBJ).read_bytes() == before.replace(b"current: 41", b"current: 45")


@pytest.mark.parametrize("link, csv", [("data/k.csv", "data/k.csv"), ("data/sub2", "data/sub2/k.csv")])
def test_a_csv_behind_a_link_in_a_loop_is_said_as_check_says_it(tmp_path, capsys, link, csv):
    """QA DI 1: a looping data CSV (or folder) was "cannot be read: Too many levels of symbolic links"."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, "content/kpis/k.md": kpi(data=csv)})
    (root / "data").mkdir()
    (root / link).symlink_to(link.rsplit("/", 1)[1])
    assert checkin(root, "k", "5", "--date", "2026-11-15") == 1
    err = capsys.readouterr().err
    assert f"{csv} cannot be read: {link} is a symbolic link (written {link.rsplit('/', 1)[1]}) that leads round in a loop of links" in err, err
    assert "Too many levels" not in err and f"(ln -sfn PATH {link})" in err


@needs_git
def test_a_commit_that_only_moved_the_file_is_no_later_number(tmp_path, monkeypatch, capsys):
    """QA AW: a finished quarter's folder moved with `git mv` on 2026-09-07 made a final value dated
    2026-04-02 refused, "its number would replace the later one": the move changed no number. The date
    is compared with the last commit that changed the file's text."""
    repo = GitRepo(tmp_path / "goals")
    old, moved = "content/objectives/q1.md", "content/objectives/archive/q1.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, old: objective(current=41, period="2026-Q1")}, "2026-03-30T10:00:00+00:00")
    repo.commit({}, "2026-09-07T10:00:00+00:00", moves={old: moved})
    git_env(repo, monkeypatch)
    assert main(["checkin", "--site", str(repo.root), "q1", "1", "60", "--commit", "--date", "2026-04-02", "--as-of", "2026-12-05"]) == 0, capsys.readouterr().err
    assert main(["checkin", "--site", str(repo.root), "q1", "1", "61", "--commit", "--date", "2026-04-01", "--as-of", "2026-12-05"]) == 1
    assert "is before the last commit of content/objectives/archive/q1.md (2026-04-02)" in capsys.readouterr().err


@needs_git
def test_a_year_typo_is_told_only_a_date_the_check_in_would_take(repo, monkeypatch, capsys):
    """QA CP: `--date 2027-03-02` for a key result whose file was last committed on 2026-10-01 was told
    "did you mean --date 2026-03-02?", which is then refused as before that commit: no suggestion then.
    A suggestion the commit takes is still made, and a KPI's value (no such rule) still gets its own."""
    git_env(repo, monkeypatch)
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2027-03-02") == 1
    err = capsys.readouterr().err
    assert "--date 2027-03-02 is after the site's as-of date 2026-11-23" in err and "did you mean" not in err, err
    assert "(give --date 2026-11-23 or earlier for a value measured then, or a later as_of in okrsite.toml)" in err
    assert checkin(repo.root, "reduce-churn", "1", "45", "--date", "2027-03-02") == 1, "without --commit: no date it would take either"
    assert "did you mean" not in capsys.readouterr().err
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2027-11-02") == 1
    assert "(did you mean --date 2026-11-02?)" in capsys.readouterr().err
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-11-02") == 0, "the date suggested is taken"
    assert checkin(repo.root, "mrr", "47100", "--date", "2027-03-02") == 1
    assert "(did you mean --date 2026-03-02?)" in capsys.readouterr().err


@needs_git
def test_a_check_in_dated_before_its_period_starts_says_it_is_no_point_of_the_forecast(tmp_path, monkeypatch, capsys):
    """QA CP: a 2027-Q1 key result checked in with `--date 2026-11-20 --commit` was taken without a word,
    and its forecast then left that check-in out (SPEC §11 fits the check-ins in the period): the
    command says so, as it says a late check-in is a finished period's final value."""
    repo = GitRepo(tmp_path / "goals")
    path = "content/objectives/next.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, path: objective(current=0, period="2027-Q1").replace("reduce-churn", "next")},
                "2026-10-01T10:00:00+00:00")
    git_env(repo, monkeypatch)
    assert checkin(repo.root, "next", "1", "15", "--commit", "--date", "2026-11-20") == 0
    captured = capsys.readouterr()
    assert "Check-in: Grow accounts 0 → 15" in captured.out
    assert captured.err == ("okrsite checkin: note: 2027-Q1 starts on 2027-01-01: this check-in, dated 2026-11-20, is before it, so it is "
                            "the value now but no point of the forecast, which starts from the key result's start on 2027-01-01\n")
    assert checkin(repo.root, "next", "1", "20") == 0
    assert "note:" not in capsys.readouterr().err, "a value written undated is no check-in of any date yet"


@needs_git
def test_a_check_in_dated_before_a_merge_that_brought_its_files_last_change_is_refused(repo, monkeypatch, capsys):
    """QA CT: a check-in made on a branch on 10-05 and merged on 10-15: the site dates it by the merge
    (the main line's), but `--date 2026-10-12` was taken, as `git log --follow` names the branch's
    commit; from then on every build named the merge as a commit of a wrong clock."""
    git_env(repo, monkeypatch)
    repo.git("checkout", "-q", "-b", "checkin")
    repo.commit({OBJ: objective(current=43)}, "2026-10-05T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.commit({"content/teams/sales.md": TEAM + "Sells.\n"}, "2026-10-10T10:00:00+00:00")
    merged = dict(repo.env, GIT_COMMITTER_DATE="2026-10-15T10:00:00+00:00", GIT_AUTHOR_DATE="2026-10-15T10:00:00+00:00",
                  GIT_AUTHOR_NAME="Bo Chen", GIT_AUTHOR_EMAIL="bo@example.com", GIT_COMMITTER_NAME="Bo Chen", GIT_COMMITTER_EMAIL="bo@example.com")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge the check-in", "checkin", env=merged)
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-10-12") == 1
    assert f"--date 2026-10-12 is before the last commit of {OBJ} (2026-10-15)" in capsys.readouterr().err
    assert checkin(repo.root, "reduce-churn", "1", "45", "--commit", "--date", "2026-10-15") == 0


def test_a_check_in_s_commit_subject_isolates_a_hebrew_title_from_its_numbers():
    """QA DG: "Check-in: לקוחות חדשים 150 → 170" is drawn "170 → 150" by git log viewers."""
    from okrsite.goals.checkin import CheckIn

    subject = CheckIn("content/objectives/il.md", "", "לקוחות חדשים", 150, 170, None, "", "kr").message()
    assert subject == "Check-in: \u2068לקוחות חדשים\u2069 150 → 170"
    assert CheckIn("content/objectives/x.md", "", "Grow accounts", 41, 45, None, "", "kr").message() == "Check-in: Grow accounts 41 → 45"


@needs_git
@pytest.mark.parametrize("written", ["41.0", "4_1"])
def test_the_value_the_file_holds_spelled_otherwise_is_already_held_and_a_note_is_refused(repo, monkeypatch, capsys, written):
    """QA EB 1: `current: 4_1` (or 41.0) checked in as 41 rewrote the line, committed "41 → 41" and
    the note went into a commit the site does not list: the file holds that number already."""
    git_env(repo, monkeypatch)
    repo.commit({OBJ: objective(current=41).replace("current: 41", f"current: {written}"),
                 "content/kpis/mrr.md": kpi(values="  - {date: 2026-10-31, value: 46_500}")}, "2026-10-02T10:00:00+00:00")
    before, commits = snapshot_files(repo.root), repo.git("rev-list", "--count", "HEAD")
    assert checkin(repo.root, "reduce-churn", "1", "41", "--commit", "--note", "board confirmed the count") == 1
    assert "Grow accounts is already 41: there is no change to commit the note with" in capsys.readouterr().err
    assert checkin(repo.root, "reduce-churn", "1", "41", "--commit") == 0
    assert capsys.readouterr().out == f"Grow accounts is already 41 in {OBJ}: nothing written\n"
    assert checkin(repo.root, "mrr", "46500", "--date", "2026-10-31") == 0
    assert "already 46,500 USD" in capsys.readouterr().out
    assert snapshot_files(repo.root) == before and repo.git("rev-list", "--count", "HEAD") == commits


def test_a_change_that_reads_the_same_at_the_shown_precision_is_told_apart(tmp_path, capsys):
    """QA EG 8: 45 over `current: 45.0001` was said "45 → 45", as if nothing changed; each side keeps
    the decimals that tell it from the other."""
    from okrsite.goals.checkin import CheckIn

    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective(current=45.0001)}, "2026-10-01T10:00:00+00:00")
    assert checkin(repo.root, "reduce-churn", "1", "45") == 0
    assert capsys.readouterr().out == f"Check-in: Grow accounts 45.0001 → 45 in {OBJ}\n"
    assert CheckIn("content/objectives/x.md", "", "A", 45.0001, 45, None, "", "kr").message() == "Check-in: A 45.0001 → 45"
    assert CheckIn("content/objectives/x.md", "", "A", 1000, 1000.4, "ms", "", "kr").message() == "Check-in: A 1,000 ms → 1,000.4 ms"


def snapshot_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*.md"))}


UNWRITTEN_BELOW = "---\ntitle: Grow\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: Sign customers\n    target: 10\nkind: comitted\n---\n"


def test_an_error_below_the_edit_is_said_at_its_line_in_the_file_on_disk(tmp_path, capsys):
    """QA EB 2: the key result has no `current:` yet and line 8 has a typo: the refusal said line 9,
    the line it has in the edited text, which was not written (CLI and the preview's form alike)."""
    from okrsite.preview.forms import submit

    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: UNWRITTEN_BELOW})
    assert checkin(root, "reduce-churn", "1", "3") == 1
    err = capsys.readouterr().err
    assert f"{OBJ}:8: error: 'kind' must be one of" in err and f"{OBJ}:9:" not in err
    outcome = submit(root, {"id": "reduce-churn", "kr": "1", "value": "3"}, lambda paths: None)
    assert [(d.file, d.line) for d in outcome.problem.problems] == [(OBJ, 8)]
    assert (root / OBJ).read_text() == UNWRITTEN_BELOW


def test_a_line_of_the_edited_text_is_said_at_its_line_before_the_edit():
    from okrsite.goals.checkin import _line_before

    added = _line_before(["a", "b", "c", "d"], ["a", "b", "new", "c", "d"])
    assert [added(line) for line in (1, 2, 3, 4, 5)] == [1, 2, 3, 3, 4]  # the added line: where it would go
    replaced = _line_before(["a", "b", "c"], ["a", "B", "c"])
    assert [replaced(line) for line in (1, 2, 3)] == [1, 2, 3]
    two = _line_before(["a", "b"], ["a", "b", "x", "y"])
    assert [two(line) for line in (1, 2, 3, 4)] == [1, 2, 3, 3]


DIGIT_IDS = ("---\ntitle: Ids\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
             '  - {id: "2", title: Second in the old numbering, target: 10, current: 1}\n'
             '  - {id: "1", title: First in the old numbering, target: 10, current: 1}\n'
             '  - {id: "7", title: Seventh, target: 10, current: 1}\n---\n')


def test_a_key_result_id_in_digits_is_warned_of_and_a_check_in_says_which_reading_it_took(tmp_path, capsys):
    """QA EB 5: `okrsite checkin ids 2 5` went to key result number 2, not to the one whose id is "2",
    without a word, and check said nothing of the id."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: DIGIT_IDS})
    warned = [(d.line, d.message) for d in check_site(root).report.warnings if "written in digits" in d.message]
    assert [line for line, _ in warned] == [6, 7, 8]
    assert warned[0][1] == ("key result 1 has the id '2', written in digits as a key result's number is: "
                            "'okrsite checkin reduce-churn 2' takes key result number 2, when there is one, not this one")
    assert checkin(root, "reduce-churn", "2", "5") == 0
    said = capsys.readouterr()
    assert "Check-in: First in the old numbering 1 → 5" in said.out
    assert ("okrsite checkin: note: '2' is the number of key result 2 ('First in the old numbering') and the id of key result 1 "
            "('Second in the old numbering'): key result number 2 was taken (to check in to the other: okrsite checkin reduce-churn 1 5)") in said.err
    assert checkin(root, "reduce-churn", "7", "6") == 0  # no key result 7: the id
    said = capsys.readouterr()
    assert "Check-in: Seventh 1 → 6" in said.out and "note" not in said.err


@needs_git
def test_a_late_check_in_moves_the_carried_start_of_the_follower_instead_of_checking_in_there(tmp_path, capsys, monkeypatch):
    """QA EW: `okrsite checkin grow 1 5` after the carry-over suggested `okrsite checkin grow-2 1 5`,
    which counts the same work in both quarters ("start 4 → now 5" beside "start 0 → final 5"): the
    follower's start moves instead, and a key result following its KPI is offered no check-in."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, GROW, carried_repo

    repo = carried_repo(tmp_path)
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    line = next(n for n, text in enumerate((repo.root / FOLLOWER).read_text().splitlines(), 1) if text.strip() == "start: 4")
    assert checkin(repo.root, "grow", "1", "5", "--as-of", "2027-01-12") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: 2026-Q4 ended on 2026-12-31: this is its final value, and its grade follows it; "
                                       "'grow-2' continues it in 2027-Q1: its key result 1 starts from this one's final value before this check-in; "
                                       f"set its start: 5 ({FOLLOWER}:{line}), or 2027-Q1 counts the same work again; "
                                       "okrsite check --strict fails until it is set; a value measured in 2027-Q1 goes there instead\n")
    assert checkin(repo.root, "grow", "2", "520000", "--as-of", "2027-01-12") == 0
    said = capsys.readouterr().err
    assert "'grow-2' continues it in 2027-Q1: its key result 2 starts from this one's final value before this check-in; set its start: 520000" in said
    assert "okrsite checkin grow-2" not in said
    assert "start: 4" in (repo.root / FOLLOWER).read_text() and "current: 5" in (repo.root / GROW).read_text()


@needs_git
def test_a_late_value_reaching_the_target_says_to_leave_the_key_result_out_of_the_follower(tmp_path, capsys, monkeypatch):
    """QA EW 1: `okrsite checkin grow 1 13` after the quarter (target 10) said "set its start: 13", which
    turns the follower's key result (target 10) into a decreasing one; carry-over leaves out a key
    result reached, and so does the note, and `okrsite check`'s hint."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, carried_repo, moved_diagnostics

    repo = carried_repo(tmp_path)
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    line = next(n for n, text in enumerate((repo.root / FOLLOWER).read_text().splitlines(), 1) if "Sign customers" in text)
    assert checkin(repo.root, "grow", "1", "13", "--as-of", "2027-01-12") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: 2026-Q4 ended on 2026-12-31: this is its final value, and its grade follows it; "
                                       "'grow-2' continues it in 2027-Q1: its key result 1 continues this one, which reached its target: "
                                       f"remove it ({FOLLOWER}:{line}), as carry-over leaves out a key result reached; okrsite check --strict fails until it is removed\n")
    [(_, _, _, _, hint)] = moved_diagnostics(repo.root)
    assert hint == f"remove this key result from {FOLLOWER}: 2026-Q4's reached its target, and a key result reached is not carried over"


@needs_git
def test_a_late_kpi_value_leaving_the_follower_nothing_else_to_measure_says_to_delete_it(tmp_path, capsys, monkeypatch):
    """QA: `okrsite checkin mrr 605000 --date 2026-12-31` after the carry-over (November's 590,000 carried,
    target 600,000) said to remove grow-2's one key result, which `check` then refused ("the objective
    has no key results and no aligned children"): it says to delete grow-2, as `check` does."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, one_kr_carried_repo

    repo = one_kr_carried_repo(tmp_path)
    git_env(repo, monkeypatch)
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 6))
    assert checkin(repo.root, "mrr", "605000", "--date", "2026-12-31", "--commit", "--as-of", "2027-01-06") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: 2026-Q4 ended on 2026-12-31: this is the final value of key result 1 of 'grow' "
                                       "('Grow MRR'), and its grade follows it; 'grow-2' continues it in 2027-Q1: its key result 1 continues this "
                                       f"one, which reached its target: delete {FOLLOWER}, as carry-over leaves out a key result reached and 'grow-2' "
                                       "has nothing else to measure its progress; okrsite check --strict fails until it is deleted\n")


@needs_git
def test_a_late_value_reaching_the_target_beside_another_reached_already_says_to_delete_the_follower(tmp_path, capsys, monkeypatch):
    """grow-2's other key result continues one already past its target (December's MRR, 605,000, came
    first, and `check` says to remove it there): removing this one too leaves grow-2 nothing to
    measure, so the note says to delete it, as `check` then does at both."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, MRR_ROWS, carried_repo, moved_diagnostics

    repo = carried_repo(tmp_path)
    repo.commit({"data/mrr.csv": MRR_ROWS + "2026-12-31,605000\n"}, "2027-01-08T10:00:00+00:00")
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    assert checkin(repo.root, "grow", "1", "13", "--as-of", "2027-01-12") == 0
    assert f"which reached its target: delete {FOLLOWER}, as carry-over leaves out a key result reached" in capsys.readouterr().err
    assert [hint.split(":")[0] for *_, hint in moved_diagnostics(repo.root)] == [f"delete {FOLLOWER}"] * 2


def _followed_again(repo) -> None:
    """grow-2 (2027-Q1, carried from grow) followed by grow-3 (2027-Q2), started where grow-2 stood."""
    from .numbers.test_carrying import FOLLOWER

    third = (repo.root / FOLLOWER).read_text().replace('period: "2027-Q1"', 'period: "2027-Q2"').replace('follows: "grow"', 'follows: "grow-2"')
    repo.commit({"content/objectives/grow-3.md": third.replace("Continues [[grow]] from 2026-Q4", "Continues [[grow-2]] from 2027-Q1")},
                "2027-04-02T10:00:00+00:00")


@needs_git
def test_a_late_check_in_down_a_chain_of_followers_says_the_direct_followers_start_and_offers_no_check_in(tmp_path, capsys, monkeypatch):
    """QA EW 2: grow (2026-Q4) -> grow-2 (2027-Q1, carried) -> grow-3 (2027-Q2): the late check-in of
    grow offered `okrsite checkin grow-3 1 5`, counting 2026-Q4's result as 2027-Q2's progress, and
    said nothing of grow-2's start, now behind where 2026-Q4 ended."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, carried_repo

    repo = carried_repo(tmp_path)
    _followed_again(repo)
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 4, 10))
    line = next(n for n, text in enumerate((repo.root / FOLLOWER).read_text().splitlines(), 1) if text.strip() == "start: 4")
    assert checkin(repo.root, "grow", "1", "5", "--as-of", "2027-04-10") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: 2026-Q4 ended on 2026-12-31: this is its final value, and its grade follows it; "
                                       "'grow-3' continues it in 2027-Q2, by way of 'grow-2'; key result 1 of 'grow-2' starts from this one's final "
                                       f"value before this check-in; set its start: 5 ({FOLLOWER}:{line}), or 2027-Q1 counts the same work again; "
                                       "okrsite check --strict fails until it is set\n")


@needs_git
def test_a_late_check_in_after_another_says_where_the_follower_starts(tmp_path, capsys, monkeypatch):
    """QA EW 5: a second late check-in (4 → 5 → 6) said grow-2's key result "starts from this one's final
    value before this check-in" (5), while it starts at 4."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import GROW, GROW_TEXT, carried_repo

    repo = carried_repo(tmp_path)
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 5")}, "2027-01-08T10:00:00+00:00")
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    assert checkin(repo.root, "grow", "1", "6", "--as-of", "2027-01-12") == 0
    assert "'grow-2' continues it in 2027-Q1: its key result 1 starts at 4; set its start: 6 (" in capsys.readouterr().err


@needs_git
def test_a_late_check_in_names_no_key_result_of_a_follower_whose_title_repeats(tmp_path, capsys, monkeypatch):
    """QA EW 4: the follower's key results "Sign customers" twice (one added by hand, first): the note
    said to set the start of the first, which is not the one carried; `okrsite check` matches a
    title only where it is had once, and so does the note."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, carried_repo, moved_diagnostics

    repo = carried_repo(tmp_path)
    text = (repo.root / FOLLOWER).read_text()
    repo.commit({FOLLOWER: text.replace("key_results:\n", 'key_results:\n  - title: "Sign customers"\n    target: 3\n')}, "2027-01-07T10:00:00+00:00")
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    assert checkin(repo.root, "grow", "1", "5", "--as-of", "2027-01-12") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: 2026-Q4 ended on 2026-12-31: this is its final value, and its grade follows it; "
                                       "'grow-2' continues it in 2027-Q1\n")
    assert moved_diagnostics(repo.root) == []


MRR_FINAL = ("okrsite checkin: note: 2026-Q4 ended on 2026-12-31: this is the final value of key result 2 of 'grow' ('Grow MRR'), "
             "and its grade follows it; 'grow-2' continues it in 2027-Q1")


@needs_git
@pytest.mark.parametrize("day", ["2026-12-31", "2026-11-30"])  # December's figure recorded late; November's, the last counted, corrected
def test_a_kpi_value_dated_into_the_finished_quarter_says_to_set_the_carried_start(tmp_path, capsys, monkeypatch, day):
    """QA: `okrsite checkin mrr 519800 --date 2026-12-31` after the carry-over said nothing, and the
    follower's start, carried from the old final value, turned `okrsite check --strict` red in a file
    nobody touched: the note says so, as a late check-in of the key result does."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, carried_repo, moved_diagnostics

    repo = carried_repo(tmp_path)
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    line = next(n for n, text in enumerate((repo.root / FOLLOWER).read_text().splitlines(), 1) if text.strip() == "start: 531700")
    assert checkin(repo.root, "mrr", "519800", "--date", day, "--as-of", "2027-01-12") == 0
    assert capsys.readouterr().err == (f"{MRR_FINAL}: its key result 2 starts from this one's final value before this check-in; "
                                       f"set its start: 519800 ({FOLLOWER}:{line}), or 2027-Q1 counts the same work again; "
                                       "okrsite check --strict fails until it is set\n")
    assert [(d[1], d[2]) for d in moved_diagnostics(repo.root)] == [(FOLLOWER, line)]


@needs_git
def test_a_kpi_value_into_a_quarter_carried_while_it_ran_says_the_start_but_no_strict_failure(tmp_path, capsys, monkeypatch):
    """A follower carried before the quarter ended starts where it stood: `okrsite check` gives a
    notice there, which --strict does not fail on, and the note does not say it would."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, carried_repo

    repo = carried_repo(tmp_path, carried_on=date(2026, 12, 1))
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    assert checkin(repo.root, "mrr", "519800", "--date", "2026-12-31", "--as-of", "2027-01-12") == 0
    said = capsys.readouterr().err
    assert said.startswith(MRR_FINAL) and f"set its start: 519800 ({FOLLOWER}:" in said and "--strict" not in said


@needs_git
def test_a_kpi_value_moving_the_final_value_to_the_followers_start_says_nothing(tmp_path, capsys, monkeypatch):
    """The usual month-end close, the follower's start already set to the figure: nothing to do."""
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import FOLLOWER, carried_repo

    repo = carried_repo(tmp_path)
    repo.commit({FOLLOWER: (repo.root / FOLLOWER).read_text().replace("start: 531700", "start: 519800")}, "2027-01-07T10:00:00+00:00")
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    assert checkin(repo.root, "mrr", "519800", "--date", "2026-12-31", "--as-of", "2027-01-12") == 0
    assert capsys.readouterr().err == ""


@needs_git
@pytest.mark.parametrize("day, value", [("2026-10-15", "500000"),  # before November's value: the final is still November's
                                        ("2026-12-31", "531700"),  # the final value again
                                        ("2027-01-10", "519800")])  # in the follower's quarter
def test_a_kpi_value_that_leaves_the_finished_quarters_final_value_says_nothing_of_it(tmp_path, capsys, monkeypatch, day, value):
    from okrsite.goals import checkin as module

    from .numbers.test_carrying import carried_repo

    repo = carried_repo(tmp_path)
    monkeypatch.setattr(module, "current_day", lambda: date(2027, 1, 12))
    assert checkin(repo.root, "mrr", value, "--date", day, "--as-of", "2027-01-12") == 0
    assert capsys.readouterr().err == ""


def test_a_late_milestone_done_says_to_leave_it_out_of_the_follower(tmp_path, capsys):
    """A milestone carried over not done, done late in the old quarter: a check-in of the follower's
    would count it done in both; carry-over leaves out a key result reached, so that is what to do."""
    done = objective(current=41, period="2026-Q3")
    follower = objective(current=41).replace("owner: sales", "owner: sales\nfollows: reduce-churn")
    root = write_files(tmp_path / "goals", {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: done,
                                            "content/objectives/reduce-churn-2.md": follower})
    assert checkin(root, "reduce-churn", "3", "done") == 0
    assert capsys.readouterr().err == ("okrsite checkin: note: 2026-Q3 ended on 2026-09-30: this is its final value, and its grade follows it; "
                                       "'reduce-churn-2' continues it in 2026-Q4: its key result 3 is this one again, counted from nothing; "
                                       "remove it from content/objectives/reduce-churn-2.md if it was reached in 2026-Q3\n")
