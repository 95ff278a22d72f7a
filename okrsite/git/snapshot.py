"""The goals repository as it stood on a past day, for comparing two days (`okrsite digest`).

The files of a day are those of the newest main-line commit that had landed by its end. They are
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


def commit_on(root: Path, day: date) -> str | None:
    """The commit of the main line (first parents from HEAD) that the repository stood at by the end of
    ``day``: the last one before the first commit dated after it (committer dates, in UTC, as the history
    reads them); None outside git or before the first commit. Taken in the order the commits landed, not
    by date alone: a check-in committed later with an earlier date (`okrsite checkin --date`) did not
    stand there on that date, nor did the commits before it that were dated after the day."""
    out = _git(["log", "--first-parent", "--reverse", "--format=%H %ct", "HEAD", "--"], Path(root))
    end = datetime.combine(day, time(23, 59, 59), timezone.utc).timestamp()
    found = None
    for line in (out.decode().split("\n") if out else ()):
        commit, _, when = line.partition(" ")
        if not commit:
            continue
        if int(when) > end:
            break
        found = commit
    return found


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
