"""Finding a work tree's git folder from the disk (the live preview waits for its index lock), and
whether git would commit a folder (a build's output)."""

from okrsite.git.worktree import committed_with, git_folder, ignore_line

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


@needs_git
def test_a_folder_git_would_commit_is_told_from_one_it_ignores(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    (repo.root / ".gitignore").write_text("site/\n.okrsite-cache/\n")
    for name in ("internal", "site/internal", "goals/q3-final"):
        (repo.root / name).mkdir(parents=True)
    assert committed_with(repo.root / "internal") == committed_with(repo.root / "goals/q3-final") == repo.root.resolve()
    assert committed_with(repo.root / "site") is None and committed_with(repo.root / "site/internal") is None
    (tmp_path / "plain").mkdir()
    assert committed_with(tmp_path / "plain") is None


@needs_git
def test_the_ignore_line_of_a_folder_leaves_out_that_folder_whatever_its_name_holds(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    odd, plain = ["a[1]", "b*c", "d?", "#e", "!f", "g\\h"], ["a1", "bxc", "dd"]
    for name in odd + plain:
        (repo.root / name).mkdir()
    (repo.root / ".gitignore").write_text("".join(ignore_line(name) + "\n" for name in odd))
    assert [name for name in odd + plain if committed_with(repo.root / name)] == plain
