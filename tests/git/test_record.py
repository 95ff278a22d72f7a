"""git.record: a check-in's commit, and what it asks git of the file first."""

from __future__ import annotations

from datetime import date

import pytest

from okrsite.goals.checkin import CheckInError
from okrsite.git.record import last_change_day, record_checkin

from ..gitrepo import SETTINGS, TEAM, GitRepo, needs_git, objective

BRACKETS, PLAIN = "content/objectives/grow[1].md", "content/objectives/grow1.md"


@pytest.fixture
def repo(tmp_path, monkeypatch) -> GitRepo:
    """grow[1].md (objective grow-1) beside grow1.md, which a glob `grow[1].md` matches."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, BRACKETS: objective(current=10),
                 PLAIN: objective(title="Grow more", current=10)}, "2026-11-01T12:00:00+00:00")
    for key, value in dict(repo.env, GIT_AUTHOR_NAME="Ann Lee", GIT_AUTHOR_EMAIL="ann@example.com",
                           GIT_COMMITTER_NAME="Ann Lee", GIT_COMMITTER_EMAIL="ann@example.com").items():
        monkeypatch.setenv(key, value)
    return repo


@needs_git
def test_a_file_named_like_a_glob_is_not_refused_for_the_changes_of_the_file_the_glob_matches(repo):
    """QA ES: record ran git without GIT_LITERAL_PATHSPECS, so `git status -- grow[1].md` read the
    name as a glob and saw grow1.md's uncommitted change as grow[1].md's."""
    plain = repo.root / PLAIN
    plain.write_text(plain.read_text().replace("current: 10", "current: 20"))
    checkin, commit = record_checkin(repo.root, "grow-1", "1", "30", commit=True)
    assert checkin.real == BRACKETS and commit
    assert repo.git("show", "--name-only", "--format=", "HEAD").split() == [BRACKETS]
    assert repo.git("status", "--porcelain").split() == ["M", PLAIN]


@needs_git
def test_a_file_named_like_a_glob_is_dated_by_its_own_commits_only(repo):
    """QA ES: a later commit of grow1.md alone was taken for grow[1].md's, and refused a dated check-in."""
    repo.commit({PLAIN: objective(title="Grow more", current=20)}, "2026-11-08T12:00:00+00:00")
    assert last_change_day(repo.root, BRACKETS) == date(2026, 11, 1)
    checkin, commit = record_checkin(repo.root, "grow-1", "1", "30", commit=True, day=date(2026, 11, 5))
    assert commit and repo.git("log", "-1", "--format=%cs").strip() == "2026-11-05"


@needs_git
def test_a_git_that_does_not_run_is_a_check_in_error_naming_why(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo.root / "nowhere"))
    with pytest.raises(CheckInError, match="git did not run"):
        record_checkin(repo.root, "grow-1", "1", "30", commit=True)


@needs_git
def test_a_title_with_a_line_break_is_one_line_of_the_commit_subject_numbers_and_all(repo):
    """QA FN: a key result titled 'Onboard 30 enterprise accounts\\nwith a named CSM' (a spreadsheet's
    cell, or YAML written so) was committed as 'Check-in: Onboard 30 enterprise accounts', its
    numbers in the body, where `git log --oneline` and a forge's list do not show them."""
    text = (repo.root / BRACKETS).read_text().replace("  - title: Grow accounts", "  - title: 'Onboard 30 enterprise accounts\n\n      with  a named CSM'")
    repo.commit({BRACKETS: text}, "2026-11-02T12:00:00+00:00")
    checkin, commit = record_checkin(repo.root, "grow-1", "1", "22", commit=True, note="two new\naccounts")
    subject = "Check-in: Onboard 30 enterprise accounts with a named CSM 10 → 22"
    assert commit and checkin.said() == subject
    assert repo.git("log", "-1", "--format=%B").splitlines()[:3] == [subject, "", "two new"]


@needs_git
def test_a_note_is_committed_without_escape_sequences_or_bidi_overrides_its_lines_and_tabs_kept(repo):
    """QA FO: `checkin --commit --note` (and the preview's form) wrote a note's ESC, BEL and U+202E
    raw into the commit body: `git log` in a terminal or a CI log then cleared the screen, set the
    window title, or showed 'evil' reversed. okrsite drops them when it reads a commit; now it writes
    none, and keeps what a note is written with: paragraphs, lines and tabs."""
    note = "n\x1b[2J\x1b]0;PWN\x07\u202eevil\r\nsecond\tline\u2028third\n\n\nnext paragraph \n"
    checkin, commit = record_checkin(repo.root, "grow-1", "1", "22", commit=True, note=note)
    body = repo.git("log", "-1", "--format=%b")
    assert commit and body.rstrip("\n") == "n[2J]0;PWNevil\nsecond\tline\nthird\n\nnext paragraph"
    assert "\x1b" not in body and "\x07" not in body and "\u202e" not in body and "\r" not in body


@needs_git
def test_a_note_of_nothing_but_control_characters_is_no_note(repo):
    """What is left of a note once cleaned is the note: one of escape characters alone commits no body,
    and asks for no --commit."""
    checkin, commit = record_checkin(repo.root, "grow-1", "1", "22", commit=True, note="\x1b\x07\u202e")
    assert commit and repo.git("log", "-1", "--format=%b").strip() == ""
    checkin, commit = record_checkin(repo.root, "grow-1", "1", "23", note="\x1b")
    assert commit == "" and checkin.new == 23
