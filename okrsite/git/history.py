"""History: every past version of the goals files, read from git in one pass.

One ``git log`` over the site's paths (not a process per file) lists the commits and the file
versions they wrote, renames included; one ``git cat-file --batch`` reads those versions. Outside a
git work tree, without git, or in a repository without commits there is no history, and nothing is
said (history_refused: unless the history is expected): the site is built as before. git failing
while it reads (killed, timed out, an error) is no such case: HistoryRead.failed says how.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
import threading
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple

from ..goals.config import GRADING, recorded_settings, writes_setting, written_settings
from ..goals.files import SETTINGS_FILE
from ..goals.formats import clean_keeping_isolates, clean_note, clean_text, one_form
from ..goals.load import FrontMatterError, decode, front_data, parse_csv, split_front_matter
from ..goals.model import slugify
from .worktree import (GIT_TIMEOUT, _GIT_ENV, GitFailed, Repository, _git, _run, find_repository, git_output, git_settings, how_git_ended, mailmap,
                       partial_clone, refusal_in, shallow_boundary)

MAX_VERSION_BYTES = 5_000_000  # a past version larger than this is not read


@dataclass(frozen=True)
class Commit:
    hash: str
    when: datetime  # the committer date: when the change landed in the repository
    author: str
    subject: str
    boundary: bool = False  # the oldest commit of a shallow clone: what it holds may be older
    seq: int = 0  # its place in the history, oldest first (dates may tie or disagree)
    body: str = ""  # the message after the subject, trailers (Signed-off-by: ...) left out: a check-in's note

    @property
    def day(self) -> date:
        """The UTC day: one calendar for commits made in every time zone, in the order they landed."""
        return self.when.astimezone(timezone.utc).date() if self.when.tzinfo else self.when.date()

    @property
    def short(self) -> str:
        return self.hash[:7]


@lru_cache(maxsize=8192)
def name_id(path: str) -> str:
    """The id a goals file's name gives it without an `id:`: made once per path, which every version of
    the file at that path shares (thousands in a long history)."""
    return slugify(PurePosixPath(path).stem)


@dataclass(frozen=True)
class Version:
    """A file as one commit left it: Markdown as its front matter data, CSV as (date, value) text rows,
    okrsite.toml as the values of its grading settings (GRADING) and its default_period (recorded_settings)."""

    commit: Commit
    path: str  # relative to the site root, as named in that commit
    data: Any  # None when the file was deleted or cannot be read
    deleted: bool = False
    reads_as: bytes | None = None  # a goals file's fingerprint as the site reads it (reading_of); None when not known

    @property
    def ident(self) -> str:
        """The id this version of a goals file gave its goal (its front matter a mapping): its `id:`,
        else its file's name, as goals/parse.py reads it."""
        return one_form(str(self.data.get("id") or name_id(self.path)).strip())

    def reads_like(self, other: "Version | None") -> bool:
        """Whether this version is ``other`` as the site reads it, at the same path: a commit that only
        changed its line ends or byte-order mark, which the site (and the digest) cannot tell apart."""
        return (other is not None and not self.deleted and not other.deleted and self.path == other.path
                and self.reads_as is not None and self.reads_as == other.reads_as)

    def body_edited(self, other: "Version") -> bool:
        """Whether this version's description (the text below its front matter) is not ``other``'s; not
        said when either reading is unknown."""
        return (self.reads_as is not None and other.reads_as is not None
                and self.reads_as[-BODY_PRINT:] != other.reads_as[-BODY_PRINT:])

    def moved_from(self, other: "Version | None") -> bool:
        """Whether this version is ``other`` moved (`git mv`) and nothing more: another path, the same
        text as the site reads it."""
        return (other is not None and not self.deleted and not other.deleted and self.path != other.path
                and self.reads_as is not None and self.reads_as == other.reads_as)


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
    settings: tuple[Version, ...] = ()  # okrsite.toml's versions, oldest first (not in ``commits``: no goals file's)

    def of(self, path: str) -> tuple[Version, ...]:
        found = self.files.get(path)
        return found.versions if found else ()

    def grading_on(self, day: date) -> dict[str, Any] | None:
        """The grading settings (GRADING) as okrsite.toml was last committed on or before ``day``: the
        defaults when it had been deleted by then; None when no commit of it is dated by then (or this
        one cannot be read)."""
        then = next((v for v in reversed(self.settings) if v.commit.day <= day), None)
        if then is None:
            return None
        if then.deleted:
            return written_settings("", GRADING)
        return {key: then.data[key] for key in GRADING} if then.data is not None else None

    def default_periods(self) -> tuple[tuple[Commit, str | None], ...]:
        """default_period as each commit of okrsite.toml left it, oldest first: None where it set none
        (or deleted the file); a version that cannot be read is left out (a typo the next commit fixed)."""
        return tuple((v.commit, None if v.deleted else v.data["default_period"]) for v in self.settings
                     if v.deleted or (v.data is not None and "default_period" in v.data))


@dataclass(frozen=True)
class OutOfOrder:
    """A commit whose date disagrees with the order it landed in, in the history of a goals file."""

    commit: Commit
    path: str  # the file, as named now, whose history shows it
    other: Commit | None  # the commit of that file it disagrees with most; None: it is dated after ``today``
    ahead: bool  # True: ``other`` landed after it and is dated earlier (a clock ahead); False: before it, dated later
    today: date | None = None  # set when the commit is dated after this day, today (its check-ins count from its date)


def readable_versions(versions: Iterable[Any], read: Callable[[Any], Any]) -> Iterator[tuple[Any, Any]]:
    """Each version that can be read, with what ``read`` made of it (None: it cannot be read). Versions
    are compared with the last readable one before them: an unreadable one in between (a typo fixed by
    the next commit) neither starts nor ends a change (QA DN)."""
    for version in versions:
        found = read(version)
        if found is not None:
            yield version, found


def out_of_order(history: History, today: date | None = None) -> tuple[OutOfOrder, ...]:
    """The commits that landed out of date order in a goals file's history (a clock that was wrong, a
    date set by hand), by UTC day as check-ins are dated: those off the longest run of its commits
    whose dates are in order, each once, at the first such file. `okrsite checkin --date` never makes
    one: it refuses a date before its file's last commit (other files' commits may be dated later).
    With ``today`` (a site shown as of today), also those dated after it, which no later commit may
    disagree with: a clock ahead on the machine that made the last check-in (QA FP)."""
    found: dict[str, OutOfOrder] = {}
    if today is not None:
        for path in sorted(history.files):
            for version in history.files[path].versions:
                if version.commit.day > today and version.commit.hash not in found:
                    found[version.commit.hash] = OutOfOrder(version.commit, path, None, True, today)
    for path in sorted(history.files):
        commits = [v.commit for v in history.files[path].versions]
        for index in _off_the_order([c.day for c in commits]):
            commit = commits[index]
            if commit.hash not in found:
                found[commit.hash] = _disagreeing(commits, index, path)
    return tuple(sorted(found.values(), key=lambda o: o.commit.seq))


def _off_the_order(days: list[date]) -> list[int]:
    """The places not on a longest run of ``days`` in order (equal days in order too)."""
    tails: list[int] = []  # the last place of the best run of each length found so far
    tail_days: list[date] = []
    back: list[int | None] = [None] * len(days)
    for index, day in enumerate(days):
        length = bisect_right(tail_days, day)
        back[index] = tails[length - 1] if length else None
        if length == len(tails):
            tails.append(index)
            tail_days.append(day)
        else:
            tails[length], tail_days[length] = index, day
    kept: set[int] = set()
    at = tails[-1] if tails else None
    while at is not None:
        kept.add(at)
        at = back[at]
    return [index for index in range(len(days)) if index not in kept]


def _disagreeing(commits: list[Commit], index: int, path: str) -> OutOfOrder:
    """The commit ``commits[index]`` disagrees with most: the earliest dated of those after it dated
    before it, else the latest dated of those before it dated after it."""
    commit = commits[index]
    later = [c for c in commits[index + 1:] if c.day < commit.day]
    if later:
        return OutOfOrder(commit, path, min(later, key=lambda c: c.day), True)
    return OutOfOrder(commit, path, max((c for c in commits[:index] if c.day > commit.day), key=lambda c: c.day), False)


def site_prefix(root: Path) -> str:
    """The site's folder inside its repository ("" at the top, or without git): for edit links."""
    repo = find_repository(root)
    return repo.prefix if repo else ""


def refusal(root: Path) -> str | None:
    """Why there is no history although a repository is there: git refuses a folder owned by another
    user (with git's own fix), a partial clone would fetch every past version one by one, or git does
    not run at all."""
    done = _run(["rev-parse", "--git-dir"], Path(root))
    if done is not None and done.returncode == 0:
        if partial_clone(root):
            return "a partial clone (--filter) lacks the past versions of the files; clone without --filter (fetch-depth: 0, no filter, in CI)"
        return None
    if done is None:
        return NO_GIT if shutil.which("git") is None and in_repository_folder(Path(root)) else None
    return refusal_in(done.stderr.decode("utf-8", "replace"))


def history_refused(root: Path, wanted: bool, history: History | None, failed: str | None = None) -> str | None:
    """Why the git history was not read though it is ``wanted`` (settings.git_history), or None: what
    makes a stale objective a guess from its file's dates (numbers.notices: ``unread``). ``failed``: how
    git failed while reading it (HistoryRead.failed). No repository at all is a reason only where the
    history is expected (history_expected). `check`, `build` and the live preview all ask this."""
    if history is not None or not wanted:
        return None
    if failed:
        return f"git failed while reading the history ({failed}), {AFTER_FAILURE}"
    return refusal(root) or (NO_REPOSITORY if history_expected(root) and not in_repository_folder(Path(root)) else None)


AFTER_FAILURE = "so check-ins and freshness are unknown; run it again, and if git fails again, run `git log` in the repository to see why"
NO_GIT = "git could not be run to read this repository's history (install git, and put it on the PATH)"
NO_REPOSITORY = ("no git repository holds this folder (its files were downloaded or unpacked, not cloned), so check-ins and freshness "
                 "are unknown (build from a clone with the full history: in CI, git installed in the job's image and fetch-depth: 0)")


def history_expected(root: Path) -> bool:
    """Whether a missing repository is worth saying: okrsite.toml writes `git_history` itself, or a CI
    job runs (`CI` set, as GitHub Actions, GitLab CI and most others set it), where no `.git` means a
    checkout without git (no git in the job's image, GIT_STRATEGY: none), not a copy on purpose."""
    return writes_setting(Path(root), "git_history") or in_ci()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def in_repository_folder(root: Path) -> bool:
    """Whether ``root`` or a folder above it holds a `.git`: a repository, whether git runs or not."""
    return any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents))


def head_of(root: Path) -> str | None:
    """The commit checked out now (live preview re-reads history when it moves)."""
    out = _git(["rev-parse", "-q", "--verify", "HEAD"], Path(root))
    return out.decode().strip() if out else None


@dataclass
class Remembered:
    """What a history read leaves for the next one (the build cache keeps it): the log up to ``head``,
    parsed, and the data of every version read, so that the next read asks git only for the commits
    since, and parses only those and the versions it has not seen."""

    repository: tuple  # (top, prefix, shallow boundary, mailmap): a log read elsewhere, or naming authors otherwise, is never reused
    head: str
    commits: list  # [(Commit, [Change])], oldest first: _parse_log's result
    data: dict  # (blob, "md" | "csv") -> the data of that version (None: unreadable); (blob, "reads") -> its reading_of


_LOG_ARGS = ["log", "-z", "--raw", "--no-abbrev", "-M", "--first-parent", "-m", "--root", "--no-show-signature", "--encoding=UTF-8",
             "--format=%H%x00%cI%x00%aN%x00%s%x00%b"]


class HistoryRead(NamedTuple):
    """What read_history_from gives: the history (None outside a usable git repository, or when git
    failed), what the next read continues from, and how git failed, when it did (GitFailed): no
    history then, but not for want of a repository."""

    history: History | None
    remembered: Remembered | None
    failed: str | None = None


def read_history(root: Path, paths: Iterable[str] = ("content",)) -> History | None:
    """The history of ``paths`` (relative to the site root), or None outside a usable git repository."""
    return read_history_from(root, paths).history


def read_history_from(root: Path, paths: Iterable[str] = ("content",), earlier: Remembered | None = None) -> HistoryRead:
    """read_history, continuing from what an earlier read remembered when HEAD still descends from
    its head along the main line (else read afresh); also returns what this read remembers."""
    try:
        return _read_history_from(root, paths, earlier)
    except GitFailed as failure:
        return HistoryRead(None, None, str(failure))


def _read_history_from(root: Path, paths: Iterable[str], earlier: Remembered | None) -> HistoryRead:
    repo = find_repository(root)
    config = git_settings(repo.top) if repo is not None else []
    if repo is None or partial_clone(repo.top, config):
        return HistoryRead(None, None)
    boundary = shallow_boundary(repo)
    identity = (str(repo.top), repo.prefix, tuple(sorted(boundary)), mailmap(repo, config))
    earlier = earlier if earlier is not None and earlier.repository == identity else None
    read = _commits_since(repo, earlier, boundary)
    lineages, gone = _lineages(read, repo.prefix, _within(paths))
    settings = _settings_entries(read, repo.prefix)
    touched = {commit.hash for entries in [*lineages.values(), *gone] for commit, _, _ in entries}
    commits = [(commit, changes) for commit, changes in read if commit.hash in touched]
    known = earlier.data if earlier is not None else {}
    wanted = {blob for versions in [*lineages.values(), *gone, settings] for _, path, blob in versions if blob and (blob, _kind(path)) not in known}
    data_of = _Reader(_read_blobs(repo.top, wanted), known)
    files = {path: FileHistory(path, data_of.versions(entries)) for path, entries in lineages.items()}
    ended = tuple(FileHistory(None, data_of.versions(entries)) for entries in gone)
    ordered = tuple(commit for commit, _ in reversed(commits))
    history = History(files, ended, ordered, repo.shallow, ordered[-1].day if ordered else None, repo.prefix, repo.head,
                      data_of.versions(settings))
    return HistoryRead(history, Remembered(identity, repo.head, read, data_of.read))


def _commits_since(repo: Repository, earlier: Remembered | None, boundary: frozenset[str]) -> list[tuple[Commit, list[Change]]]:
    """The log of the site's folder, parsed, oldest first: the earlier one followed by the commits since
    when HEAD descends from its head along the main line (only those are read and parsed), else read whole.
    One pathspec, the site's folder, whatever the paths asked for: git log filters a folder fast and a
    list of files (every KPI's CSV) five times slower; the rest is filtered here. The main line only
    (--first-parent -m): a merge is the change it brought, by whoever merged, not its branch's commits
    interleaved by date with main's. Files moved into the folder from elsewhere bring their history
    from before the move (_follow_moves)."""
    spec = (repo.prefix,) if repo.prefix else ()
    if earlier is not None and earlier.head == repo.head:
        return earlier.commits
    if earlier is not None and _on_main_line(repo.top, earlier.head):
        since = _log(repo.top, f"{earlier.head}..HEAD", spec, boundary)
        followed, moved = _follow_moves(repo.top, spec, since, boundary)
        if moved:
            return followed
        after = len(earlier.commits)
        return [*earlier.commits, *((replace(commit, seq=after + commit.seq), changes) for commit, changes in since)]
    return _follow_moves(repo.top, spec, _log(repo.top, "HEAD", spec, boundary), boundary)[0]


def _log(top: Path, revisions: str, spec: tuple[str, ...], boundary: frozenset[str]) -> list[tuple[Commit, list[Change]]]:
    """The parsed log of the files and folders in ``spec`` (folders end in "/"; "" or none: everything).
    GitFailed when git fails, or says something that holds no commit (output cut or garbled)."""
    paths = [] if "" in spec else [entry.rstrip("/") for entry in spec]
    return _read_log(git_output([*_LOG_ARGS, revisions, "--", *paths], top), boundary)


def _read_log(raw: bytes, boundary: frozenset[str]) -> list[tuple[Commit, list[Change]]]:
    commits = _parse_log(raw, boundary)
    if raw.strip(b"\0\n") and not commits:
        raise GitFailed("`git log` gave output that could not be read")
    return commits


MOVED_IN_TOGETHER = 2  # files a commit adds before it is asked whether they came from elsewhere
MAX_MOVES = 8  # moves into the site followed back, one inside the other
_DIFFS_AT_ONCE = 2000  # commits named in one git log (its command line)


def _inside(path: str, spec: tuple[str, ...]) -> bool:
    return any(path == entry or entry.endswith("/") and path.startswith(entry) or entry == "" for entry in spec)


def _follow_moves(top: Path, spec: tuple[str, ...], commits: list[tuple[Commit, list[Change]]], boundary: frozenset[str],
                  depth: int = 0) -> tuple[list[tuple[Commit, list[Change]]], bool]:
    """``commits`` with the history from before the last commit that moved files into ``spec`` from
    elsewhere (`git mv content data okrsite.toml okrs/`), read under the old paths and named by the
    new ones; and whether there was such a move. Within ``spec`` the log sees renames, but a file
    moved in from outside it looks added: only the commits that add two files or more are asked
    about (a folder moved in, or a CSV moved in beside its KPI's page), in one git log over them
    without a pathspec, and none when no commit did (nor when the site is the whole repository:
    nothing is outside it). A commit adding one objective, the usual kind, costs nothing: asking
    every one of them made a cold read of 4,000 such commits half as long again."""
    if not spec or "" in spec or depth >= MAX_MOVES:
        return commits, False
    adding = [commit.hash for commit, changes in commits if not commit.boundary and _adds_several(changes)]
    whole = _whole_changes(top, adding, boundary)
    for index in range(len(commits) - 1, -1, -1):
        commit = commits[index][0]
        changes = whole.get(commit.hash, [])
        moves = [(old, new) for status, new, old, _ in changes if status == "R" and _inside(new, spec) and not _inside(old, spec) and _goals_file(old)]
        if moves:
            return _spliced(top, spec, commits, index, changes, moves, boundary, depth), True
    return commits, False


def _goals_file(path: str) -> bool:
    """A file that can have been a goals site's: a page, a CSV, the settings (a docs file renamed into
    the site brings no history of other files)."""
    return path.endswith((".md", ".csv")) or path.rsplit("/", 1)[-1] == SETTINGS_FILE


def _adds_several(changes: list[Change]) -> bool:
    return sum(change[0] == "A" for change in changes) >= MOVED_IN_TOGETHER


def _whole_changes(top: Path, hashes: list[str], boundary: frozenset[str]) -> dict[str, list[Change]]:
    """Each commit's changes to the whole repository (renames from anywhere seen)."""
    found: dict[str, list[Change]] = {}
    for start in range(0, len(hashes), _DIFFS_AT_ONCE):
        raw = git_output([*_LOG_ARGS, "--no-walk=unsorted", *hashes[start : start + _DIFFS_AT_ONCE], "--"], top)
        found.update((commit.hash, changes) for commit, changes in _read_log(raw, boundary))
    return found


def _spliced(top: Path, spec: tuple[str, ...], commits: list[tuple[Commit, list[Change]]], index: int, changes: list[Change],
             moves: list[tuple[str, str]], boundary: frozenset[str], depth: int) -> list[tuple[Commit, list[Change]]]:
    """The log with what came before the move at ``index`` read again under the old paths too, those
    named by the new ones; files under the old paths not moved are left outside ("X") at the move."""
    move = commits[index][0]
    mapping = _moved_bases(moves)
    olds = {old for old, _ in mapping}
    if "" in olds:  # the site was the repository's top: read what was moved, not every file of a monorepo
        olds = (olds - {""}) | {old.split("/", 1)[0] + "/" if "/" in old else old for old, _ in moves}
    wider = tuple(sorted(olds | set(spec)))
    older, _ = _follow_moves(top, wider, _log(top, f"{move.hash}^", wider, boundary), boundary, depth + 1)

    def named(path: str | None) -> str | None:
        if path is None or _inside(path, spec):
            return path
        return next((new + path[len(old):] for old, new in mapping if path == old or old.endswith("/") and path.startswith(old) or old == ""), None)

    before: list[tuple[Commit, list[Change]]] = []
    outside: set[str] = set()  # the files under the old paths, by their new names, as the last commit read left them
    for commit, old_changes in older:
        renamed = []
        for status, path, old, blob in old_changes:
            new_name, old_name = named(path), named(old)
            if old is not None and not _inside(old, spec):
                outside.discard(old_name)
            if not _inside(path, spec) and new_name is not None:
                (outside.discard if status == "D" else outside.add)(new_name)
            if status == "R" and new_name is None and old_name is not None:
                renamed.append(("D", old_name, None, None))  # moved away from the old paths
            elif new_name is not None:
                renamed.append(("A", new_name, None, blob) if status == "R" and old_name is None else (status, new_name, old_name, blob))
        before.append((commit, renamed))
    brought = {named(old) for old, _ in moves}
    at_move = [("X", path, None, None) for path in sorted(outside - brought)]
    at_move += [(status, path, named(old), blob) for status, path, old, blob in changes if _inside(path, spec)]
    joined = [*before, (move, at_move), *commits[index + 1 :]]
    return [(replace(commit, seq=n), entries) for n, (commit, entries) in enumerate(joined)]


def _moved_bases(moves: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Old path to new path, longest old first: the folders moved ("content/x.md" to "okrs/content/x.md"
    moved "" to "okrs/": a common end of two or more names), else the files."""
    bases: dict[str, str] = {}
    for old, new in moves:
        olds, news = old.split("/"), new.split("/")
        same = 0
        while same < min(len(olds), len(news)) and olds[-1 - same] == news[-1 - same]:
            same += 1
        if same >= 2:
            bases.setdefault("".join(part + "/" for part in olds[: len(olds) - same]), "".join(part + "/" for part in news[: len(news) - same]))
        else:
            bases.setdefault(old, new)
    return sorted(bases.items(), key=lambda item: -len(item[0]))


def _on_main_line(top: Path, commit: str) -> bool:
    """Whether ``commit`` is on HEAD's first-parent line: the oldest commit after it has it as first parent."""
    if not _HASH.match(commit.encode("ascii", "replace")):
        return False
    out = _git(["rev-list", "--first-parent", "--parents", "HEAD", f"^{commit}"], top)
    lines = out.decode("ascii", "replace").strip().splitlines() if out else []
    return bool(lines) and lines[-1].split()[1:2] == [commit]


def _kind(path: str) -> str:
    return "csv" if path.endswith(".csv") else "toml" if path == SETTINGS_FILE else "md"


Change = tuple[str, str, str | None, str | None]  # (status letter, path, old path, new blob)


_HASH = re.compile(rb"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


def _text(raw: bytes) -> str:
    """An author as shown: UTF-8 (else replaced), without control characters."""
    return clean_text(raw.decode("utf-8", "replace"))


def _parse_log(raw: bytes, boundary: frozenset[str]) -> list[tuple[Commit, list[Change]]]:
    """Commits oldest first, each with the files it added (A), modified (M), deleted (D) or renamed (R).

    The output is NUL-separated tokens, read in order: a commit's hash, date, author, subject and body
    (none of which can hold a NUL), then its raw lines, each followed by its path or paths.
    """
    tokens = raw.split(b"\0")
    commits: list[tuple[Commit, list[Change]]] = []
    at = 0
    while at < len(tokens):
        token = tokens[at].lstrip(b"\n")
        if token.startswith(b":") and commits:
            meta = token[1:].split(b" ")
            status = meta[-1][:1].decode("ascii", "replace")
            blob = meta[3].decode("ascii", "replace") if len(meta) >= 5 and set(meta[3]) != {ord("0")} else None
            count = 2 if status in ("R", "C") else 1
            paths = [t.decode("utf-8", "surrogateescape") for t in tokens[at + 1 : at + 1 + count]]
            if len(paths) == count:
                commits[-1][1].append((status, paths[-1], paths[0] if count == 2 else None, blob))
            at += 1 + count
        elif _HASH.match(token) and at + 4 < len(tokens):
            sha = token.decode("ascii")
            try:
                when = datetime.fromisoformat(tokens[at + 1].decode("ascii"))
            except (UnicodeDecodeError, ValueError):
                at += 1
                continue
            commit = Commit(sha, when, _text(tokens[at + 2]), clean_keeping_isolates(tokens[at + 3].decode("utf-8", "replace")), sha in boundary, body=commit_note(tokens[at + 4]))
            commits.append((commit, []))
            at += 5
        else:
            at += 1
    commits.reverse()
    return [(replace(commit, seq=n), changes) for n, (commit, changes) in enumerate(commits)]


MAX_NOTE = 500  # a long body (a squash merge's list of commits) is cut: a note sits in a table cell
# A last paragraph of `Key: value` lines is trailers when one of its keys is one git tools write
# (Signed-off-by, Co-authored-by, Change-Id): then `Fixes: #12` beside them is one too, while a note
# "final: signed on the last day" or "Issue: late export" alone is no trailer (QA EQ, review).
_TRAILER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*: ")
_TOOLS_TRAILER = re.compile(r"^(?:[A-Za-z][A-Za-z0-9-]*-by|Change-Id): ", re.I)
_BULLET = re.compile(r"^[-*+] +")


def commit_note(raw: bytes) -> str:
    """A commit body, a last paragraph of trailers (_TOOLS_TRAILER) left out, one line per written line: whether it
    is a list decides which of it is a check-in's note (note_for)."""
    paragraphs = [p for p in clean_note(raw.decode("utf-8", "replace")).split("\n\n") if p.strip()]
    last = paragraphs[-1].strip().splitlines() if paragraphs else []
    if last and all(_TRAILER.match(line) for line in last) and any(_TOOLS_TRAILER.match(line) for line in last):
        paragraphs.pop()
    lines = [clean_text(" ".join(line.split())) for p in paragraphs for line in p.splitlines()]
    return _cut("\n".join(line for line in lines if line), 4 * MAX_NOTE)


def note_for(body: str, *titles: str) -> str:
    """A commit body as the note of one key result's check-in, in one line. A commit that checks in
    several key results often lists them, one item each ("- Grow revenue: Sign 12 customers: 5 → 7"):
    then the note is the items that name this key result's title (one of its ": " parts, else
    anywhere in it), not the whole list. ``titles``: the title the commit knew it by first (its file
    as that commit left it), then the title now, so that a title corrected since keeps each old
    note its own line. A body without a list, or whose list names none of them, is the note of each
    of its check-ins."""
    items = _items(body.splitlines())
    named = next((found for title in dict.fromkeys(titles) if (found := _naming(items, title))), None)
    return _cut(" ".join(named or body.splitlines()), MAX_NOTE)


def _naming(items: list[str], title: str) -> list[str]:
    """The items that name ``title``: as one of their ": " parts, else anywhere in them."""
    wanted = " ".join(title.split()).casefold()
    if not wanted:
        return []
    exact = [item for item in items if wanted in (part.strip().casefold() for part in item.split(": "))]
    return exact or [item for item in items if wanted in item.casefold()]


def _items(lines: list[str]) -> list[str]:
    """The items of a list in a body: a line starting "- ", "* " or "+ " begins one, and the lines
    after it continue it (git wraps at 72 columns); lines before the first item are no item."""
    items: list[str] = []
    for line in lines:
        if _BULLET.match(line):
            items.append(_BULLET.sub("", line))
        elif items:
            items[-1] += " " + line
    return items


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


Entry = tuple[Commit, str, str | None]  # (commit, site-relative path, blob or None when deleted)


def _within(paths: Iterable[str]) -> Callable[[str], bool]:
    """Whether a site-relative path is one of ``paths`` (files) or inside one of them (folders)."""
    clean = {p.strip("/") for p in paths if p and not p.startswith("/") and ".." not in p.split("/")}
    files = frozenset(p for p in clean if p.endswith((".md", ".csv")))
    folders = tuple(p + "/" for p in clean - files)
    return lambda path: path in files or path.startswith(folders)


def _lineages(commits: list[tuple[Commit, list[Change]]], prefix: str, wanted: Callable[[str], bool]) -> tuple[dict[str, list[Entry]], list[list[Entry]]]:
    """Follow each file through renames: its entries by its path now, and the files deleted since.
    Every Markdown and CSV file of the site is followed, wanted or not, so that one renamed to a wanted
    name (a KPI's CSV renamed, and `data:` changed to match) keeps its history; the wanted ones are kept."""
    live: dict[str, list[Entry]] = {}
    gone: list[list[Entry]] = []

    def site_path(path: str | None) -> str | None:
        if path is None or not path.startswith(prefix) or not path.endswith((".md", ".csv")):
            return None
        return path[len(prefix):]

    def end(path: str, commit: Commit) -> None:
        entries = live.pop(path, None)
        if entries is not None and wanted(path):
            entries.append((commit, path, None))
            gone.append(entries)

    for commit, changes in commits:
        for status, path, old, blob in changes:
            new, was = site_path(path), site_path(old)
            if status == "X":  # left outside when the site moved: never part of it
                live.pop(new, None)
                continue
            if status == "D" or (status == "R" and was is not None and (new is None or _kind(new) != _kind(was) or wanted(was) and not wanted(new))):
                end(was if status == "R" else new, commit)  # deleted, or moved out of what is read
                if status == "D" or new is None:
                    continue
                was = None
            if new is None:
                continue
            if status == "R" and was in live:
                entries = live.pop(was)
            elif status == "M" or status == "T":
                entries = live.get(new, [])
            else:
                entries = []
            if entries and entries[-1][1:] == (new, blob):  # moved with the site, or its mode changed: no new version
                live[new] = entries
                continue
            replaced = live.pop(new) if new in live and live[new] is not entries else None
            if replaced is not None and wanted(new):
                gone.append(replaced)
            entries.append((commit, new, blob))
            live[new] = entries
    return {path: entries for path, entries in live.items() if wanted(path)}, gone


def _settings_entries(commits: list[tuple[Commit, list[Change]]], prefix: str) -> list[Entry]:
    """The commits that wrote or deleted the site's okrsite.toml (one moved away is deleted from it)."""
    path = prefix + SETTINGS_FILE
    entries: list[Entry] = []
    for commit, changes in commits:
        for status, new, old, blob in changes:
            if new == path:
                entries.append((commit, SETTINGS_FILE, None if status == "D" else blob))
            elif old == path:
                entries.append((commit, SETTINGS_FILE, None))
    return entries


def _read_blobs(top: Path, blobs: set[str]) -> dict[str, str]:
    """The text of each blob, read through one `git cat-file --batch`, streamed: a blob larger than
    MAX_VERSION_BYTES (a goals file never is) is skipped without being held in memory. GitFailed when
    git stops before it has given them all (killed, timed out), which would pass for unreadable files."""
    texts: dict[str, str] = {}
    if not blobs:
        return texts
    try:
        process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, env={**os.environ, **_GIT_ENV})
    except OSError as exc:
        raise GitFailed(f"`git cat-file` could not be run ({exc})") from None

    def ask() -> None:
        try:
            process.stdin.write(("\n".join(sorted(blobs)) + "\n").encode())
            process.stdin.close()
        except OSError:
            pass

    writer = threading.Thread(target=ask, daemon=True)
    writer.start()
    watchdog = threading.Timer(GIT_TIMEOUT, process.kill)  # a hung git (or a remote it waits for) ends here
    watchdog.daemon = True
    watchdog.start()
    out = process.stdout
    try:
        while header := out.readline():
            parts = header.split()
            if len(parts) != 3:  # "<sha> missing"
                continue
            size = int(parts[2])
            if size > MAX_VERSION_BYTES:
                while size > 0:
                    size -= len(out.read(min(size, 1 << 20)) or b"x" * size)
            else:
                raw = out.read(size)
                if len(raw) < size:
                    break  # git stopped in the middle of a blob
                text = decode(raw)
                if text is not None:
                    texts[parts[0].decode()] = text
            out.read(1)  # the newline after the content
    finally:
        watchdog.cancel()
        out.close()
        writer.join(timeout=GIT_TIMEOUT)
        try:
            process.wait(timeout=GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
    if process.poll() != 0:
        raise GitFailed(how_git_ended("cat-file", process.wait()))
    return texts


def reading_of(text: str) -> bytes:
    """A fingerprint of a file's text as decode (goals/load.py) gives it, which is how the site reads
    every goals file: one that differs only in CRLF, lone CR or LF line ends, or a byte-order mark,
    has the same one. Its last BODY_PRINT bytes are the fingerprint of its body alone (the text below
    the front matter, its description: Version.body_edited)."""
    return _fingerprint(text, 16) + _fingerprint(_body(text).strip(), BODY_PRINT)


BODY_PRINT = 8


def _fingerprint(text: str, size: int) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=size).digest()


def _body(text: str) -> str:
    try:
        return split_front_matter(text)[1]
    except FrontMatterError:
        return ""


class _Reader:
    """Parses each version once. A version whose front matter is the one before it with only check-in
    values changed (the usual commit: `current: 1120` becomes `current: 1180`) is patched, not parsed:
    YAML parsing is most of the time history takes."""

    def __init__(self, texts: Mapping[str, str], known: Mapping[tuple[str, str], Any] | None = None) -> None:
        self.texts = texts
        self.known = known or {}
        self.read: dict[tuple[str, str], Any] = {}  # the data of every version read: what the next read may reuse
        self.csv: dict[str, Any] = {}
        self.by_front: dict[str, _Front] = {}
        self.strings: dict[str, str] = {}

    def versions(self, entries: list[Entry]) -> tuple[Version, ...]:
        versions = []
        previous: _Front | None = None
        for commit, path, blob in entries:
            if blob is None:
                versions.append(Version(commit, path, None, deleted=True))
                continue
            key = (blob, _kind(path))
            text = self.texts.get(blob)
            reads_as = self._reading(blob, path, text)
            if key in self.known:
                data, previous = self.known[key], None
            elif text is None:
                data = None
            elif path.endswith(".csv"):
                data = self._csv(blob, text)
            elif path == SETTINGS_FILE:
                data = recorded_settings(text)
            else:
                front = self._front(text, previous)
                previous, data = front, front.data if front else None
            if text is not None or key in self.known:
                self.read[key] = data
            versions.append(Version(commit, path, data, reads_as=reads_as))
        return tuple(versions)

    def _reading(self, blob: str, path: str, text: str | None) -> bytes | None:
        """reading_of a Markdown version, remembered with its data (key (blob, "reads"))."""
        key = (blob, "reads")
        if text is not None and path.endswith(".md"):
            self.read[key] = reading_of(text)
        elif key in self.known:
            self.read[key] = self.known[key]
        return self.read.get(key)

    def _csv(self, blob: str, text: str) -> Any:
        if blob not in self.csv:
            rows, problems = parse_csv(text, misnamed_rows=False)
            self.csv[blob] = tuple((row.date, row.value) for row in rows) if not problems or rows else None
        return self.csv[blob]

    def _front(self, text: str, previous: "_Front | None") -> "_Front | None":
        try:
            head = split_front_matter(text)[0]
        except FrontMatterError:
            return None
        if head is None:
            return None
        if head not in self.by_front:
            patched = previous.patched(head) if previous is not None else None
            self.by_front[head] = patched or _Front(head, self._shared(front_data(head)))
        return self.by_front[head]

    def _shared(self, data: Any) -> Any:
        """``data`` with each string one object for every version read: YAML makes every key of every
        version anew, and ten thousand commits of objectives would keep half a million copies of "title",
        "current" and the like (a quarter of what the history holds in memory)."""
        if isinstance(data, str):
            return self.strings.setdefault(data, data)
        if isinstance(data, dict):
            return {self._shared(key): self._shared(value) for key, value in data.items()}
        if isinstance(data, list):
            return [self._shared(item) for item in data]
        return data


_VALUE_LINE = re.compile(r"^(\s*(?:- )?)(current|done|progress):[ \t]*(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|true|false)[ \t]*$")
_ITEM_LINE = re.compile(r"^(\s*)- ")
_MENTION = re.compile(r"\b(?:current|done|progress)[\"']?\s*:")


def _scalar(text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    return float(text) if "." in text else int(text)


class _Front:
    """One front matter text, its data, and (found when first needed) the lines holding key results'
    check-in values: {line index: (key result index, key)}, None when they cannot be found for sure."""

    def __init__(self, text: str, data: Any, spots: "dict[int, tuple[int, str]] | None | bool" = False) -> None:
        self.text, self.data, self._spots = text, data, spots

    @property
    def spots(self) -> "dict[int, tuple[int, str]] | None":
        if self._spots is False:
            self._spots = _value_spots(self.text.split("\n"), self.data) if "*" not in self.text else None
        return self._spots

    def patched(self, text: str) -> "_Front | None":
        """The next version's front matter, when it differs from this one only in check-in values."""
        spots = self.spots
        if not spots:
            return None
        old, new = self.text.split("\n"), text.split("\n")
        if len(old) != len(new):
            return None
        changes = {}
        for index, (was, now) in enumerate(zip(old, new)):
            if was == now:
                continue
            spot, match = spots.get(index), _VALUE_LINE.match(now)
            if spot is None or match is None or match[2] != spot[1] or match[1] != _VALUE_LINE.match(was)[1]:
                return None
            changes[spot] = _scalar(match[3])
        data = dict(self.data)
        items = list(data["key_results"])
        for (item, key), value in changes.items():
            items[item] = {**items[item], key: value}
        data["key_results"] = items
        return _Front(text, data, spots)


def _value_spots(lines: list[str], data: Any) -> "dict[int, tuple[int, str]] | None":
    """Where each key result's current/done/progress is written, checked against the parsed data:
    any doubt (flow style, a block scalar that looks like a key, an alias) gives None."""
    items = data.get("key_results") if isinstance(data, dict) else None
    if not isinstance(items, list) or lines.count("key_results:") != 1:
        return None
    spots: dict[int, tuple[int, str]] = {}
    start = lines.index("key_results:")
    item, item_indent = -1, None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line and not line[0].isspace() and not line.startswith("- "):
            break  # the next top-level key
        bullet = _ITEM_LINE.match(line)
        if bullet and (item_indent is None or len(bullet[1]) == item_indent):
            item_indent = len(bullet[1])
            item += 1
        value = _VALUE_LINE.match(line)
        if value and item >= 0:
            spots[index] = (item, value[2])
        elif _MENTION.search(line):
            return None  # written another way (a comment, flow style, inside a text): not sure where it is
    for index, (item, key) in spots.items():
        entry = items[item] if item < len(items) and isinstance(items[item], dict) else {}
        written = _scalar(_VALUE_LINE.match(lines[index])[3])
        if key not in entry or type(entry[key]) is not type(written) or entry[key] != written:
            return None
    found = {(item, key) for item, key in spots.values()}
    expected = {(n, key) for n, entry in enumerate(items) if isinstance(entry, dict) for key in ("current", "done", "progress") if key in entry}
    return spots if found == expected and len(found) == len(spots) else None
