"""The git work tree a site is in, and running git in it.

Apart from history.py (which reads the goals files' past versions, and imports what parses them): a
build with nothing changed asks git where the repository is and which commit is checked out (and, in a
shallow clone, reads which commits are its oldest, and the mailmap it names authors by) and whether it
ignores the output folder, and reads nothing else of it."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 120  # seconds; git log over 10,000 commits takes well under one
_GIT_ENV = {"GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def run_git(args: list[str], cwd: Path, env: dict | None = None, text: bool = False, timeout: float = GIT_TIMEOUT) -> subprocess.CompletedProcess:
    """git run in ``cwd`` as okrsite runs it everywhere: paths taken literally (a goals file named
    `grow[1].md` is no glob), no prompt, messages in English; ``env`` added. Raises what subprocess raises."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=text, timeout=timeout, env={**os.environ, **_GIT_ENV, **(env or {})})


def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess | None:
    try:
        return run_git(args, cwd, env)
    except (OSError, subprocess.SubprocessError):
        return None


def _git(args: list[str], cwd: Path) -> bytes | None:
    done = _run(args, cwd)
    return done.stdout if done is not None and done.returncode == 0 else None


class GitFailed(Exception):
    """git ran in a repository and did not do what it was asked: killed, timed out, or stopped with an
    error. Its message says which command and how, in words for the user (history.read_history_from
    turns it into the reason the history was not read)."""


def git_output(args: list[str], cwd: Path) -> bytes:
    """The output of a git command that must succeed, where an empty answer is no answer (the log of
    the goals' history): GitFailed when git fails, rather than None taken for "no repository"."""
    try:
        done = run_git(args, cwd)
    except subprocess.TimeoutExpired:
        raise GitFailed(f"`git {args[0]}` did not finish within {GIT_TIMEOUT} s") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitFailed(f"`git {args[0]}` could not be run ({exc})") from None
    if done.returncode != 0:
        raise GitFailed(how_git_ended(args[0], done.returncode, done.stderr))
    return done.stdout


SAID_AT_MOST = 200  # characters of git's last line of error that a failure quotes


def how_git_ended(command: str, returncode: int, stderr: bytes = b"") -> str:
    """A failed git command as the user is told of it: the signal that stopped it (a timeout's kill, an
    out-of-memory kill), or its exit status with the last line it printed."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"`git {command}` was stopped by {name}"
    said = next((line.strip() for line in reversed(stderr.decode("utf-8", "replace").splitlines()) if line.strip()), "")[:SAID_AT_MOST]
    return f"`git {command}` failed with exit status {returncode}" + (f": {said}" if said else "")


def refusal_in(message: str) -> str | None:
    """Why git refused a folder, from what it printed: a repository owned by another user ("dubious
    ownership"), with git's own fix; None for any other failure. Every command says it the same way."""
    if "safe.directory" not in message:
        return None
    fix = next((line.strip() for line in message.splitlines() if "git config" in line), "git config --global --add safe.directory DIR")
    return f"git refuses to read this repository, owned by another user (to allow it: {fix})"


def refused(root: Path) -> str | None:
    """refusal_in of what git says when asked about ``root``: None when it reads it (or is no repository)."""
    done = _run(["rev-parse", "--git-dir"], Path(root))
    if done is None or done.returncode == 0:
        return None
    return refusal_in(done.stderr.decode("utf-8", "replace"))


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


@dataclass(frozen=True)
class GitFolder:
    """Where git keeps a work tree's own files, found without running git (see git_folder)."""

    top: Path  # the work tree's top folder
    git_dir: Path  # its HEAD, index and reflogs: `.git`, or where a `.git` file leads

    @property
    def index_lock(self) -> Path:
        """The file git holds while it writes the index, and the work tree with it (a checkout, a merge,
        a reset, a pull, a rebase, a stash): the work tree is half written while it is there."""
        return self.git_dir / "index.lock"


def git_folder(root: Path) -> GitFolder | None:
    """The git folder of the work tree holding ``root``, found as git finds it: a `.git` folder in
    ``root`` or a folder above it, or a `.git` file there saying `gitdir: PATH` (a linked work tree
    of `git worktree add`, a submodule; PATH from that folder). Read from the disk, not asked of git:
    the preview finds it however git is doing. None outside a repository."""
    root = Path(root).resolve()
    for folder in (root, *root.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return GitFolder(folder, dot)
        if dot.is_file():
            try:
                said = dot.read_text(encoding="utf-8", errors="surrogateescape").strip()
            except OSError:
                return None
            if not said.startswith("gitdir:"):
                return None
            return GitFolder(folder, (folder / said.removeprefix("gitdir:").strip()).resolve())
    return None


def work_tree_top(root: Path) -> Path | None:
    """The top folder of the git work tree holding ``root``, with or without a commit yet; None (not a
    repository, no git). A repository with no commit has no history (find_repository), but has a top."""
    out = _git(["rev-parse", "--show-toplevel"], Path(root).resolve())
    top = out.decode("utf-8", "surrogateescape").strip() if out else ""
    return Path(top).resolve() if top else None


def committed_with(folder: Path) -> Path | None:
    """The top of the git work tree holding ``folder`` when no .gitignore leaves the folder out, so
    that `git add -A` would commit what it holds (a built site); None when git ignores it, when it is
    in no work tree (or one git refuses to read) and when there is no git."""
    folder = Path(folder).resolve()
    done = _run(["check-ignore", "-q", "--", folder.name + "/"], folder.parent, {"GIT_LITERAL_PATHSPECS": "0"})  # refused with it; check-ignore reads paths literally
    return work_tree_top(folder.parent) if done is not None and done.returncode == 1 else None


def ignore_line(path: str) -> str:
    """The .gitignore line that leaves out the folder ``path`` (from the .gitignore's folder), as
    okrsite init's `site/` does, with a glob's characters and a leading `#` or `!` escaped: taken as
    they are, `a[1]/` would leave out `a1/` instead."""
    line = re.sub(r"([\\*?\[])", r"\\\1", path) + "/"
    return "\\" + line if line.startswith(("#", "!")) else line


def git_settings(root: Path) -> list[tuple[str, str]]:
    """The repository's settings that decide how its history is read, in one process: whether it is
    a partial clone, and the mailmap files (keys lowercased, as git gives them)."""
    out = _git(["config", "-z", "--get-regexp", r"^(extensions\.partialclone|remote\..*\.promisor|mailmap\.(file|blob))$"], Path(root))
    entries = [entry.decode("utf-8", "surrogateescape").partition("\n") for entry in (out or b"").split(b"\0") if entry]
    return [(key, value) for key, _, value in entries]


def partial_clone(root: Path, settings: list[tuple[str, str]] | None = None) -> bool:
    """A blobless or treeless clone fetches each missing past version from its remote, one by one."""
    settings = git_settings(root) if settings is None else settings
    return any(not key.startswith("mailmap.") and value.strip().lower() not in ("false", "no", "off", "0", "") for key, value in settings)


def shallow_boundary(repo: Repository) -> frozenset[str]:
    """A shallow clone's oldest commits: `git fetch --deepen` or `--unshallow` changes them, not HEAD."""
    if not repo.shallow:
        return frozenset()
    try:
        return frozenset(repo.shallow_file.read_text().split())
    except OSError:
        return frozenset()


MAILMAP = ".mailmap"  # in the work tree's top folder


def mailmap(repo: Repository, settings: list[tuple[str, str]] | None = None) -> str:
    """What git names authors by (`%aN`: history.md's "after any .mailmap"), as a digest: the work
    tree's .mailmap, the file `mailmap.file` names and the blob `mailmap.blob` names. A new or edited
    mailmap changes no goals file and, uncommitted, not HEAD either: a history read with other names
    is read again (history.py), and a build is no build with nothing changed (cache.py)."""
    parts = [_contents(repo.top / MAILMAP)]
    for key, value in git_settings(repo.top) if settings is None else settings:
        if key == "mailmap.file":
            parts.append(value.encode("utf-8", "surrogateescape") + b"\0" + _contents(repo.top / os.path.expanduser(value)))
        elif key == "mailmap.blob":
            parts.append(value.encode("utf-8", "surrogateescape") + b"\0" + (_git(["rev-parse", "-q", "--verify", "--end-of-options", value], repo.top) or b""))
    return hashlib.blake2b(b"\1".join(parts), digest_size=16).hexdigest()


def _contents(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
