"""git/read.py: which KPIs a public site withholds for their past, read from git, and what git failing does to that."""

from __future__ import annotations

from dataclasses import replace

from okrsite.git.read import FETCH_ALL, OnceConfidential, once_confidential
from okrsite.goals.repository import load_site

from ..conftest import write_files
from ..gitrepo import GitRepo, failing_git, foreign_copy, needs_git, partial_clone, shallow_clone
from ..web.test_plan import AS_OF, FLIP, _flipped

pytestmark = needs_git
KILLED = "`git log` was stopped by SIGKILL"
REFUSED = ("git gives no history of this repository: a public site cannot tell which values were confidential when they were written, "
           "and could publish them")
UNREAD = (f"git failed while reading the history ({KILLED}): a public site cannot tell which values were confidential when they were written, "
          "and could publish them", "try again; if git fails again, run `git log` in the repository to see why")


def test_git_failing_while_reading_which_kpis_were_confidential_is_said_not_taken_for_none(tmp_path, monkeypatch):
    """once_confidential answered "none were" when git failed (a timeout, a git killed): a public site then
    copied the data file of a KPI confidential once. Its answer says how git failed now."""
    r = _flipped(tmp_path)
    loaded = load_site(r.root, AS_OF)
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    confided = once_confidential(r.root, loaded.site, loaded.settings)
    assert confided == frozenset() and not confided.files and confided.unknown_why == UNREAD
    monkeypatch.undo()
    confided = once_confidential(r.root, loaded.site, loaded.settings)
    assert confided == {"flip"} and confided.unknown_why is None


def test_no_repository_and_no_commit_yet_are_no_failure(tmp_path, monkeypatch):
    """Outside git, and in a repository with no commit yet (as `okrsite init` leaves one), nothing was
    confidential before: no failure, even with a git that would fail reading a log."""
    files = {"okrsite.toml": 'title = "T"\naudience = "public"\n', "content/kpis/flip.md": FLIP,
             "content/kpis/flip.csv": "date,value\n2026-09-30,61777.7\n"}
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    for root in (write_files(tmp_path / "plain", files), write_files(GitRepo(tmp_path / "new").root, files)):
        loaded = load_site(root, AS_OF)
        confided = once_confidential(root, loaded.site, loaded.settings)
        assert confided == frozenset() and confided.unknown_why is None


def test_the_preview_asks_git_again_after_it_failed(tmp_path, monkeypatch):
    """OnceConfidential kept git's failure as the answer until HEAD moved: the preview asks again at
    its next rebuild."""
    r = _flipped(tmp_path)
    loaded = load_site(r.root, AS_OF)
    asked = OnceConfidential()
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    assert asked(r.root, loaded.site, loaded.settings).unknown_why == UNREAD
    monkeypatch.undo()
    confided = asked(r.root, loaded.site, loaded.settings)
    assert confided == {"flip"} and confided.unknown_why is None


def test_a_shallow_clone_cannot_tell_which_kpis_were_confidential(tmp_path):
    """QA: a depth-1 clone holds the KPI 'flip' public from its oldest commit on, as if it had always been:
    once_confidential answered "none were", and a public site published its values of its confidential
    time. It says it cannot tell now; `git fetch --unshallow` (which does not move HEAD) gives the answer,
    which the preview asks again for. With the history off nothing is asked, and nothing refused."""
    r = _flipped(tmp_path)
    clone = shallow_clone(r, tmp_path / "clone")
    loaded = load_site(clone, AS_OF)
    asked = OnceConfidential()
    shallow = ("this repository is a shallow clone: a public site cannot tell which values were confidential when they were written "
               "before its oldest commit, and could publish them", FETCH_ALL)
    for confided in (once_confidential(clone, loaded.site, loaded.settings), asked(clone, loaded.site, loaded.settings)):
        assert confided == frozenset() and not confided.files and confided.unknown_why == shallow
    without = once_confidential(clone, loaded.site, replace(loaded.settings, git_history=False))
    assert without == frozenset() and without.unknown_why is None
    r.git("-C", str(clone), "fetch", "-q", "--unshallow")
    confided = asked(clone, loaded.site, loaded.settings)
    assert confided == {"flip"} and confided.unknown_why is None


def test_a_repository_whose_history_git_will_not_give_cannot_tell_which_kpis_were_confidential(tmp_path, monkeypatch):
    """QA: git gives no history of a partial clone, nor of a repository when no git can be run (git.history.refusal);
    once_confidential took that for "none were", as outside any repository, and a public site published the
    values of the KPI 'flip' recorded while it was confidential. It says it cannot tell now, with the reason
    and its fix as the hint; the preview asks again at its next rebuild. With the history off nothing is
    asked, and outside a repository nothing is refused, with or without git."""
    r = _flipped(tmp_path)
    clone = partial_clone(r, tmp_path / "clone")
    loaded = load_site(clone, AS_OF)
    partial = (REFUSED, "a partial clone (--filter) lacks the past versions of the files; clone without --filter (fetch-depth: 0, no filter, in CI)")
    asked = OnceConfidential()
    for confided in (once_confidential(clone, loaded.site, loaded.settings), asked(clone, loaded.site, loaded.settings)):
        assert confided == frozenset() and confided.unknown_why == partial
    assert asked.read_for is None
    assert once_confidential(clone, loaded.site, replace(loaded.settings, git_history=False)).unknown_why is None
    plain = write_files(tmp_path / "plain", {"okrsite.toml": 'title = "T"\naudience = "public"\n'})
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    no_git = (REFUSED, "git could not be run to read this repository's history (install git, and put it on the PATH)")
    assert once_confidential(r.root, loaded.site, loaded.settings).unknown_why == no_git
    assert once_confidential(plain, loaded.site, loaded.settings).unknown_why is None


def test_a_repository_owned_by_another_user_cannot_tell_which_kpis_were_confidential(tmp_path):
    """QA: git refuses a repository owned by another user ("dubious ownership"), and once_confidential took that
    for "none were". It says it cannot tell now, with git's own fix as the hint."""
    r = _flipped(tmp_path)
    foreign = foreign_copy(r, tmp_path / "foreign")
    loaded = load_site(foreign, AS_OF)
    refused = once_confidential(foreign, loaded.site, loaded.settings).unknown_why
    assert refused == (REFUSED, "git refuses to read this repository, owned by another user "
                                f"(to allow it: git config --global --add safe.directory {foreign})")
