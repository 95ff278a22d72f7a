"""The goals as they stood on a past day (okrsite/git/snapshot.py), against real git repositories."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from okrsite.git.history import read_history
from okrsite.git.snapshot import checked_out, head_commit, window_commits

from ..gitrepo import GitRepo, needs_git

pytestmark = needs_git


def commit_on(root, day):
    """The last commit of the main line dated on or before ``day``: the end of a window ending that day."""
    return window_commits(root, day, day)[1]


def repo_of_three(root: Path, prefix: str = "") -> tuple[GitRepo, list[str]]:
    r = GitRepo(root)
    hashes = [
        r.commit({f"{prefix}content/a.md": "one\n", "README": "x"}, "2026-10-01T09:00:00+00:00"),
        r.commit({f"{prefix}content/a.md": "two\n"}, "2026-10-05T23:30:00-02:00"),  # 2026-10-06 in UTC
        r.commit({f"{prefix}content/a.md": "three\n", f"{prefix}content/b.md": "new\n"}, "2026-10-09T09:00:00+00:00"),
    ]
    return r, hashes


def test_the_newest_commit_of_a_day_in_utc(tmp_path):
    r, (first, second, third) = repo_of_three(tmp_path / "r")
    assert commit_on(r.root, date(2026, 9, 30)) is None
    assert commit_on(r.root, date(2026, 10, 1)) == first
    assert commit_on(r.root, date(2026, 10, 5)) == first  # the second landed on 10-06, UTC
    assert commit_on(r.root, date(2026, 10, 6)) == second
    assert commit_on(r.root, date(2027, 1, 1)) == third == head_commit(r.root)


def test_outside_git_there_is_no_commit(tmp_path):
    assert commit_on(tmp_path, date(2026, 10, 1)) is None and head_commit(tmp_path) is None


def test_a_checkout_holds_the_files_and_the_history_up_to_its_commit(tmp_path):
    r, (first, second, _) = repo_of_three(tmp_path / "r")
    with checked_out(r.root, second) as site:
        assert (site / "content" / "a.md").read_text() == "two\n"
        assert not (site / "content" / "b.md").exists()
        history = read_history(site)
        assert [c.hash for c in history.commits] == [second, first]
        folder = site
    assert not folder.exists()


def test_a_site_in_a_folder_of_its_repository(tmp_path):
    r, (first, _, _) = repo_of_three(tmp_path / "r", "goals/")
    with checked_out(r.root / "goals", first) as site:
        assert site.name == "goals" and (site / "content" / "a.md").read_text() == "one\n"
        assert not (site.parent / "README").exists()  # only the site's folder is checked out
        assert read_history(site).prefix == "goals/"


def test_a_shallow_clone(tmp_path):
    r, (_, second, third) = repo_of_three(tmp_path / "r")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{r.root}", str(clone)], check=True, env=r.env, capture_output=True)
    assert commit_on(clone, date(2026, 10, 6)) == second
    with checked_out(clone, second) as site:
        assert (site / "content" / "a.md").read_text() == "two\n"
        history = read_history(site)
        assert history.shallow and [c.hash for c in history.commits] == [second]


def test_nothing_is_written_to_the_repository(tmp_path):
    r, (first, _, _) = repo_of_three(tmp_path / "r")
    listing = lambda: sorted(str(p.relative_to(r.root)) for p in r.root.rglob("*"))  # noqa: E731
    before = listing()
    with checked_out(r.root, first) as site:
        assert site is not None
    assert listing() == before


def test_a_commit_without_the_site_folder_gives_an_empty_one(tmp_path):
    r = GitRepo(tmp_path / "r")
    first = r.commit({"README": "x"}, "2026-10-01T09:00:00+00:00")
    r.commit({"goals/content/a.md": "one\n"}, "2026-10-02T09:00:00+00:00")
    with checked_out(r.root / "goals", first) as site:
        assert site.is_dir() and not any(site.iterdir())


def test_a_commit_dated_back_stands_where_it_landed_not_at_its_date(tmp_path):
    """`okrsite checkin --date` commits today with last week's date. A window's end is the last commit
    dated by its last day (its history holds every check-in a build as of that day counts); its start
    is the last commit before the first one dated inside the window, so the back-dated newest commit
    does not stand for the start of a window whose check-in it already holds."""
    r, (first, second, third) = repo_of_three(tmp_path / "r")
    back = r.commit({"content/a.md": "four\n"}, "2026-10-03T12:00:00+00:00")
    assert window_commits(r.root, date(2026, 10, 6), date(2026, 10, 9)) == (second, back)
    assert window_commits(r.root, date(2026, 10, 2), date(2026, 10, 8)) == (first, back)
    assert window_commits(r.root, date(2026, 9, 1), date(2026, 9, 30)) == (None, None)
    assert commit_on(r.root, date(2026, 10, 3)) == back == head_commit(r.root)
    assert commit_on(r.root, date(2026, 10, 2)) == first


def test_a_commit_dated_ahead_hides_none_of_the_commits_after_it(tmp_path):
    """A commit dated after the window (a clock ahead, a value recorded later) that landed before the
    window's commits: both ends stand after it, as a build as of those days counts them."""
    r, (first, second, third) = repo_of_three(tmp_path / "r")
    ahead = r.commit({"content/a.md": "ahead\n"}, "2026-12-02T12:00:00+00:00")
    inside = r.commit({"content/a.md": "inside\n"}, "2026-10-20T12:00:00+00:00")
    assert window_commits(r.root, date(2026, 10, 16), date(2026, 10, 30)) == (ahead, inside)
    assert window_commits(r.root, date(2026, 10, 9), date(2026, 10, 15)) == (third, third)
    assert commit_on(r.root, date(2026, 10, 30)) == inside
