"""History: every past version of the goals files, read from git in one pass.

One ``git log`` over the site's paths (not a process per file) lists the commits and the file
versions they wrote, renames included; one ``git cat-file --batch`` reads those versions. Outside a
git work tree, without git, or in a repository without commits there is no history, and nothing is
said: the site is built as before.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from .load import FrontMatterError, decode, front_matter_data, parse_csv, split_front_matter

GIT_TIMEOUT = 120  # seconds; git log over 10,000 commits takes well under one
MAX_VERSION_BYTES = 5_000_000  # a past version larger than this is not read
_GIT_ENV = {"GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


@dataclass(frozen=True)
class Commit:
    hash: str
    when: datetime  # the committer date: when the change landed in the repository
    author: str
    subject: str
    boundary: bool = False  # the oldest commit of a shallow clone: what it holds may be older

    @property
    def day(self) -> date:
        return self.when.date()

    @property
    def short(self) -> str:
        return self.hash[:7]


@dataclass(frozen=True)
class Version:
    """A file as one commit left it: Markdown as its front matter data, CSV as (date, value) text rows."""

    commit: Commit
    path: str  # relative to the site root, as named in that commit
    data: Any  # None when the file was deleted or cannot be read
    deleted: bool = False


@dataclass(frozen=True)
class FileHistory:
    path: str | None  # the file's path now; None when it has since been deleted
    versions: tuple[Version, ...]  # oldest first


@dataclass(frozen=True)
class History:
    files: Mapping[str, FileHistory]  # by the file's path now
    gone: tuple[FileHistory, ...]  # files deleted since
    commits: tuple[Commit, ...]  # every commit that touched the site's goals files, newest first
    shallow: bool
    since: date | None  # the oldest commit read
    prefix: str  # the site's folder inside the repository: "" or e.g. "goals/"
    head: str

    def of(self, path: str) -> tuple[Version, ...]:
        found = self.files.get(path)
        return found.versions if found else ()


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=GIT_TIMEOUT,
            env={**os.environ, **_GIT_ENV},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class Repository:
    top: Path
    git_dir: Path
    shallow: bool
    head: str
    prefix: str


def find_repository(root: Path) -> Repository | None:
    """The git work tree holding ``root``, or None (not a repository, no commits, no git)."""
    root = Path(root).resolve()
    out = _git(["rev-parse", "--show-toplevel", "--absolute-git-dir", "--is-shallow-repository", "HEAD"], root)
    if out is None:
        return None
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) != 4:
        return None
    top = Path(lines[0]).resolve()
    try:
        prefix = root.relative_to(top).as_posix()
    except ValueError:
        return None
    return Repository(top, Path(lines[1]), lines[2] == "true", lines[3], "" if prefix == "." else prefix + "/")


def head_of(root: Path) -> str | None:
    """The commit checked out now (live preview re-reads history when it moves)."""
    out = _git(["rev-parse", "-q", "--verify", "HEAD"], Path(root))
    return out.decode().strip() if out else None


def read_history(root: Path, paths: Iterable[str] = ("content",)) -> History | None:
    """The history of ``paths`` (relative to the site root), or None outside a usable git repository."""
    repo = find_repository(root)
    if repo is None:
        return None
    spec = sorted({repo.prefix + p.strip("/") for p in paths if p and not p.startswith("/") and ".." not in p.split("/")})
    log = _git(
        ["log", "-z", "--raw", "--no-abbrev", "-M", "--no-merges",
         "--format=%x01%H%x1f%cI%x1f%aN%x1f%s", "HEAD", "--", *spec],
        repo.top,
    )
    if log is None:
        return None
    boundary = _shallow_boundary(repo)
    commits = _parse_log(log, boundary)
    lineages, gone = _lineages(commits, repo.prefix)
    wanted = {blob for versions in [*lineages.values(), *gone] for _, _, blob in versions if blob}
    texts = _read_blobs(repo.top, wanted)
    data_of = _Reader(texts)
    files = {path: FileHistory(path, data_of.versions(entries)) for path, entries in lineages.items()}
    ended = tuple(FileHistory(None, data_of.versions(entries)) for entries in gone)
    ordered = tuple(commit for commit, _ in reversed(commits))
    return History(files, ended, ordered, repo.shallow, ordered[-1].day if ordered else None, repo.prefix, repo.head)


def _shallow_boundary(repo: Repository) -> frozenset[str]:
    if not repo.shallow:
        return frozenset()
    try:
        return frozenset((repo.git_dir / "shallow").read_text().split())
    except OSError:
        return frozenset()


Change = tuple[str, str, str | None, str | None]  # (status letter, path, old path, new blob)


def _parse_log(raw: bytes, boundary: frozenset[str]) -> list[tuple[Commit, list[Change]]]:
    """Commits oldest first, each with the files it added (A), modified (M), deleted (D) or renamed (R)."""
    commits = []
    for chunk in raw.split(b"\x01")[1:]:
        header, _, rest = chunk.partition(b"\0")
        fields = header.decode("utf-8", "replace").split("\x1f")
        if len(fields) < 4:
            continue
        sha, when, author, subject = fields[0], fields[1], fields[2], "\x1f".join(fields[3:])
        commit = Commit(sha, datetime.fromisoformat(when), author, subject.strip(), sha in boundary)
        tokens = rest.split(b"\0")
        changes: list[Change] = []
        i = 0
        while i < len(tokens):
            token = tokens[i].strip(b"\n")
            if not token.startswith(b":"):
                i += 1
                continue
            meta = token[1:].split(b" ")
            status = meta[-1][:1].decode()
            blob = meta[3].decode() if len(meta) >= 5 else None
            blob = None if not blob or set(blob) == {"0"} else blob
            if status in ("R", "C") and i + 2 < len(tokens):
                old, new = (t.decode("utf-8", "surrogateescape") for t in tokens[i + 1 : i + 3])
                changes.append((status, new, old, blob))
                i += 3
            elif i + 1 < len(tokens):
                changes.append((status, tokens[i + 1].decode("utf-8", "surrogateescape"), None, blob))
                i += 2
            else:
                break
        commits.append((commit, changes))
    commits.reverse()
    return commits


Entry = tuple[Commit, str, str | None]  # (commit, site-relative path, blob or None when deleted)


def _lineages(commits: list[tuple[Commit, list[Change]]], prefix: str) -> tuple[dict[str, list[Entry]], list[list[Entry]]]:
    """Follow each file through renames: its entries by its path now, and the files deleted since."""
    live: dict[str, list[Entry]] = {}
    gone: list[list[Entry]] = []

    def site_path(path: str) -> str | None:
        return path[len(prefix):] if path.startswith(prefix) and path.endswith((".md", ".csv")) else None

    for commit, changes in commits:
        for status, path, old, blob in changes:
            new = site_path(path)
            if status == "D":
                if new in live:
                    entries = live.pop(new)
                    entries.append((commit, new, None))
                    gone.append(entries)
                continue
            if new is None:
                continue
            if status == "R" and site_path(old) in live:
                entries = live.pop(site_path(old))
            elif status == "M" or status == "T":
                entries = live.get(new, [])
            else:
                entries = []
            if new in live and live[new] is not entries:
                gone.append(live[new])
            entries.append((commit, new, blob))
            live[new] = entries
    return live, gone


def _read_blobs(top: Path, blobs: set[str]) -> dict[str, str]:
    if not blobs:
        return {}
    order = sorted(blobs)
    out = _git(["cat-file", "--batch"], top, ("\n".join(order) + "\n").encode())
    texts: dict[str, str] = {}
    if out is None:
        return texts
    at = 0
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) != 3:  # "<sha> missing"
            continue
        size = int(header[2])
        if size <= MAX_VERSION_BYTES:
            text = decode(out[at : at + size])
            if text is not None:
                texts[header[0].decode()] = text
        at += size + 1
    return texts


class _Reader:
    """Parses each version once; a version whose front matter text did not change shares its data."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = texts
        self.parsed: dict[str, Any] = {}
        self.by_front: dict[str, Any] = {}

    def data(self, path: str, blob: str) -> Any:
        if blob in self.parsed:
            return self.parsed[blob]
        text = self.texts.get(blob)
        if text is None:
            value = None
        elif path.endswith(".csv"):
            rows, problems = parse_csv(text)
            value = tuple((row.date, row.value) for row in rows) if not problems or rows else None
        else:
            value = self._front_matter(text)
        self.parsed[blob] = value
        return value

    def _front_matter(self, text: str) -> Any:
        try:
            head = split_front_matter(text)[0]
        except FrontMatterError:
            return None
        if head not in self.by_front:
            self.by_front[head] = front_matter_data(text)
        return self.by_front[head]

    def versions(self, entries: list[Entry]) -> tuple[Version, ...]:
        return tuple(
            Version(commit, path, None, deleted=True) if blob is None else Version(commit, path, self.data(path, blob))
            for commit, path, blob in entries
        )
