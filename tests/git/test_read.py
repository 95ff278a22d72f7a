"""git/read.py: which KPIs a public site withholds for their past, read from git, and what git failing does to that."""

from __future__ import annotations

from okrsite.git.read import OnceConfidential, once_confidential
from okrsite.goals.repository import load_site

from ..conftest import write_files
from ..gitrepo import GitRepo, failing_git, needs_git
from ..web.test_plan import AS_OF, FLIP, _flipped

pytestmark = needs_git
KILLED = "`git log` was stopped by SIGKILL"


def test_git_failing_while_reading_which_kpis_were_confidential_is_said_not_taken_for_none(tmp_path, monkeypatch):
    """once_confidential answered "none were" when git failed (a timeout, a git killed): a public site then
    copied the data file of a KPI confidential once. Its answer says how git failed now."""
    r = _flipped(tmp_path)
    loaded = load_site(r.root, AS_OF)
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    confided = once_confidential(r.root, loaded.site, loaded.settings)
    assert confided == frozenset() and not confided.files and confided.failed == KILLED
    monkeypatch.undo()
    confided = once_confidential(r.root, loaded.site, loaded.settings)
    assert confided == {"flip"} and confided.failed is None


def test_no_repository_and_no_commit_yet_are_no_failure(tmp_path, monkeypatch):
    """Outside git, and in a repository with no commit yet (as `okrsite init` leaves one), nothing was
    confidential before: no failure, even with a git that would fail reading a log."""
    files = {"okrsite.toml": 'title = "T"\naudience = "public"\n', "content/kpis/flip.md": FLIP,
             "content/kpis/flip.csv": "date,value\n2026-09-30,61777.7\n"}
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    for root in (write_files(tmp_path / "plain", files), write_files(GitRepo(tmp_path / "new").root, files)):
        loaded = load_site(root, AS_OF)
        confided = once_confidential(root, loaded.site, loaded.settings)
        assert confided == frozenset() and confided.failed is None


def test_the_preview_asks_git_again_after_it_failed(tmp_path, monkeypatch):
    """OnceConfidential kept git's failure as the answer until HEAD moved: the preview asks again at
    its next rebuild."""
    r = _flipped(tmp_path)
    loaded = load_site(r.root, AS_OF)
    asked = OnceConfidential()
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    assert asked(r.root, loaded.site, loaded.settings).failed == KILLED
    monkeypatch.undo()
    confided = asked(r.root, loaded.site, loaded.settings)
    assert confided == {"flip"} and confided.failed is None
