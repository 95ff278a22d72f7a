"""The goals repository as it stood on a past day, for comparing two days (`okrsite digest`).

The files of a day are those of the last main-line commit dated by its end (see window_commits). They are
checked out into a temporary repository that borrows the objects of the real one (git's alternates)
and holds that commit as its HEAD, so the history read there stops where that day stopped. Nothing is
written to the real repository.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Iterator

from .worktree import _git, find_repository

_NO_HOOKS = ["-c", "core.hooksPath=/dev/null", "-c", "advice.detachedHead=false"]


def _main_line(root: Path) -> list[tuple[str, int]]:
    """The main line's commits (first parents from HEAD), oldest first, with their committer times."""
    out = _git(["log", "--first-parent", "--reverse", "--format=%H %ct", "HEAD", "--"], Path(root))
    found = []
    for line in (out.decode().split("\n") if out else ()):
        commit, _, when = line.partition(" ")
        if commit:
            found.append((commit, int(when)))
    return found


def _end_of(day: date) -> float:
    return datetime.combine(day, time(23, 59, 59), timezone.utc).timestamp()


def window_commits(root: Path, before: date, until: date) -> tuple[str | None, str | None]:
    """The commits of the main line that a window's two ends stand at: the day ``before`` it and its
    last day ``until`` (committer dates, in UTC, as the history reads them); None outside git, or
    where no commit is dated by then.

    The end is the last commit dated on or before ``until``: every commit after it is dated later, so
    its history holds exactly the check-ins `okrsite build --as-of` counts that day (a commit dated
    after the window, wherever it landed, hides none of the window's commits). The start is the last
    commit, up to the end, before the first one dated inside the window: a check-in dated back before
    the window but committed after a check-in of the window does not stand in for the week (it holds
    that check-in already), and counts in this window instead of being lost. A commit dated after the
    window that landed before the start is in both ends, as it is in both builds."""
    commits = _main_line(root)
    last = max((i for i, (_, when) in enumerate(commits) if when <= _end_of(until)), default=None)
    if last is None:
        return None, None
    inside = next((i for i in range(last + 1) if _end_of(before) < commits[i][1] <= _end_of(until)), last + 1)
    first = inside - 1 if inside <= last else last
    return (commits[first][0] if first >= 0 else None), commits[last][0]


def main_line_until(root: Path, commit: str) -> frozenset[str]:
    """The main line's commits up to and including ``commit`` (none when it is not on it): those
    whose versions of the files the site at ``commit`` holds."""
    hashes = [found for found, _ in _main_line(root)]
    return frozenset(hashes[:hashes.index(commit) + 1]) if commit in hashes else frozenset()


def main_line_back_from(root: Path, commit: str) -> list[tuple[str, date]]:
    """The main line's commits from ``commit`` back to the first, newest first, each with its committer
    day in UTC (none when it is not on the main line)."""
    found = _main_line(root)
    hashes = [hash_ for hash_, _ in found]
    if commit not in hashes:
        return []
    return [(hash_, datetime.fromtimestamp(when, timezone.utc).date()) for hash_, when in reversed(found[:hashes.index(commit) + 1])]


def head_commit(root: Path) -> str | None:
    out = _git(["rev-parse", "-q", "--verify", "HEAD^{commit}"], Path(root))
    return out.decode().strip() if out else None


@contextmanager
def checked_out(root: Path, commit: str) -> Iterator[Path | None]:
    """The site's folder as ``commit`` left it, in a temporary repository whose HEAD is that commit;
    None when git cannot make it. Removed on leaving the block."""
    repo = find_repository(root)
    common = _git(["rev-parse", "--git-common-dir"], Path(root))
    if repo is None or common is None:
        yield None
        return
    objects = (Path(root).resolve() / common.decode().strip()).resolve() / "objects"
    folder = Path(tempfile.mkdtemp(prefix="okrsite-snapshot-"))
    try:
        yield _check_out(folder, objects, repo.shallow_file if repo.shallow else None, commit, repo.prefix)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_out(folder: Path, objects: Path, shallow: Path | None, commit: str, prefix: str) -> Path | None:
    if _git(["init", "-q", str(folder)], folder) is None:
        return None
    (folder / ".git" / "objects" / "info" / "alternates").write_text(f"{objects}\n", encoding="utf-8")
    if shallow is not None and shallow.is_file():
        shutil.copyfile(shallow, folder / ".git" / "shallow")
    if _git(["update-ref", "--no-deref", "HEAD", commit], folder) is None:
        return None
    site = folder / prefix
    if _git([*_NO_HOOKS, "checkout", "-q", commit, "--", prefix.rstrip("/") or "."], folder) is None:
        site.mkdir(parents=True, exist_ok=True)  # the site's folder did not exist yet at that commit
    return site
