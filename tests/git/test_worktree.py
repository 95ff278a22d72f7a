"""Finding a work tree's git folder from the disk (the live preview waits for its index lock)."""

from okrsite.git.worktree import git_folder

from ..gitrepo import GitRepo, needs_git


def test_the_git_folder_of_a_site_in_a_folder_of_its_repository(tmp_path):
    (tmp_path / "repo/.git").mkdir(parents=True)
    (tmp_path / "repo/goals").mkdir()
    found = git_folder(tmp_path / "repo/goals")
    assert found.top == (tmp_path / "repo").resolve() and found.index_lock == (tmp_path / "repo/.git/index.lock").resolve()


def test_a_git_file_leads_to_the_git_folder_from_its_own_folder(tmp_path):
    """A submodule's .git file names its git folder relative to the folder the file is in."""
    (tmp_path / "top/.git/modules/goals").mkdir(parents=True)
    (tmp_path / "top/goals").mkdir()
    (tmp_path / "top/goals/.git").write_text("gitdir: ../.git/modules/goals\n")
    assert git_folder(tmp_path / "top/goals").git_dir == (tmp_path / "top/.git/modules/goals").resolve()


def test_no_repository_and_an_unreadable_git_file_have_no_git_folder(tmp_path):
    (tmp_path / "plain").mkdir()
    assert git_folder(tmp_path / "plain") is None
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd/.git").write_text("not a git file\n")
    assert git_folder(tmp_path / "odd") is None


@needs_git
def test_a_linked_work_tree_has_its_own_git_folder(tmp_path):
    repo = GitRepo(tmp_path / "main")
    repo.commit({"okrsite.toml": 'title = "T"\n'}, "2026-10-01T09:00:00+00:00")
    repo.git("worktree", "add", "-q", str(tmp_path / "other"))
    found = git_folder(tmp_path / "other")
    assert found.top == (tmp_path / "other").resolve() and found.git_dir == (repo.root / ".git/worktrees/other").resolve()
    assert (found.git_dir / "HEAD").is_file()
