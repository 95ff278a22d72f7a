"""The git work tree a site is in, and running git in it.

Apart from history.py (which reads the goals files' past versions, and imports what parses them): a
build with nothing changed asks git where the repository is and which commit is checked out (and, in a
shallow clone, reads which commits are its oldest), and reads nothing else of it."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 120  # seconds; git log over 10,000 commits takes well under one
_GIT_ENV = {"GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, env={**os.environ, **_GIT_ENV})
    except (OSError, subprocess.SubprocessError):
        return None


def _git(args: list[str], cwd: Path) -> bytes | None:
    done = _run(args, cwd)
    return done.stdout if done is not None and done.returncode == 0 else None


@dataclass(frozen=True)
class Repository:
    top: Path
    git_dir: Path
    shallow_file: Path  # where git lists a shallow clone's oldest commits (shared by its worktrees)
    shallow: bool
    head: str
    prefix: str


def find_repository(root: Path) -> Repository | None:
    """The git work tree holding ``root``, or None (not a repository, no commits, no git)."""
    root = Path(root).resolve()
    out = _git(["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-path", "shallow", "--is-shallow-repository", "HEAD"], root)
    if out is None:
        return None
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) != 5:
        return None
    top = Path(lines[0]).resolve()
    try:
        prefix = root.relative_to(top).as_posix()
    except ValueError:
        return None
    return Repository(top, Path(lines[1]), root / lines[2], lines[3] == "true", lines[4], "" if prefix == "." else prefix + "/")


def partial_clone(root: Path) -> bool:
    """A blobless or treeless clone fetches each missing past version from its remote, one by one."""
    out = _git(["config", "--get-regexp", r"^(extensions\.partialclone|remote\..*\.promisor)$"], Path(root))
    values = [line.split(None, 1)[1:] for line in (out or b"").decode("utf-8", "replace").splitlines()]
    return any(value and value[0].strip().lower() not in ("false", "no", "off", "0", "") for value in values)


def shallow_boundary(repo: Repository) -> frozenset[str]:
    """A shallow clone's oldest commits: `git fetch --deepen` or `--unshallow` changes them, not HEAD."""
    if not repo.shallow:
        return frozenset()
    try:
        return frozenset(repo.shallow_file.read_text().split())
    except OSError:
        return frozenset()
