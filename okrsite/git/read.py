"""The git history of a goals repository, as the build reads it: for which files, which of the KPIs it
shows were once confidential, and the build summary's line on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Mapping

from ..goals.config import Settings
from ..goals.model import Site
from .changes import Secrets, confidential_data_files
from .checkins import data_path
from .history import History, HistoryRead, head_of, read_history_from, refusal, site_prefix
from .worktree import find_repository, work_tree_top


def history_paths(site: Site) -> list[str]:
    """What the history is read for: the content folder and every KPI's CSV file."""
    return ["content", *sorted({data_path(k) for k in site.kpis.values() if k.data})]


def read_site_history(root: Path, site: Site, settings: Settings, remember: dict | None = None) -> HistoryRead:
    """The goals files' history: none outside git, when git fails (said in ``failed``) or when turned off.
    With ``remember`` (the build cache's), the read continues from what the last one kept there under
    "history", and leaves what it read there for the next."""
    if not settings.git_history:
        return HistoryRead(None, None)
    read = read_history_from(root, history_paths(site), remember.get("history") if remember is not None else None)
    if remember is not None:
        remember["history"] = read.remembered
    return read


def published_data(site: Site, settings: Settings) -> tuple[tuple[str, str, str, bool], ...]:
    """(file, id, `data:`, confidential) of each KPI, on a public site with the history on (none on
    another): what once_confidential's answer follows from, besides the commits."""
    if settings.audience != "public" or not settings.git_history:
        return ()
    return tuple(sorted((k.doc.path, k.id, data_path(k) if k.data else "", k.confidential) for k in site.kpis.values()))


class Confided(frozenset):
    """The KPIs public now whose file was confidential in some commit (their ids), and ``files``: each file
    under content/ that was, at some commit, the `data:` file of a KPI confidential then, by its path,
    with that KPI's id: a public site withholds them whatever KPI names them now, or none (QA EG)."""

    files: Mapping[str, str] = {}
    unknown_why: tuple[str, str] | None = None  # (message, hint): why the history cannot tell (unknown_confidential), then none are known

    @classmethod
    def of(cls, kpis: Iterable[str], files: Mapping[str, str]) -> "Confided":
        found = cls(kpis)
        found.files = dict(files)
        return found

    @classmethod
    def unknown(cls, why: tuple[str, str]) -> "Confided":
        """None found because the history cannot tell (unknown_confidential: git failed or will not give it, a
        shallow clone): not "none were", which a public site cannot be built on."""
        found = cls()
        found.unknown_why = why
        return found


def once_confidential(root: Path, site: Site, settings: Settings) -> Confided:
    """The KPIs whose file was confidential in some commit, and are public now (Secrets.kpi_commits),
    with the files that were a confidential KPI's data file (Confided), from the history of the KPIs'
    files and content/kpis/ alone: a public site withholds them (web.audience.withheld_files), which
    hold the values of that time. None for an internal site, with the history off or outside git; none
    known when git fails while reading it, the clone is shallow or git will not give the history
    (Confided.unknown_why), which a public site is refused for."""
    return _confidential_in(root, site, published_data(site, settings)) if _public_with_history(settings) else Confided()


def _public_with_history(settings: Settings) -> bool:
    return settings.audience == "public" and settings.git_history


def _confidential_in(root: Path, site: Site, kpis: tuple) -> Confided:
    if head_of(root) is None:
        return _none_or_refused(root)
    paths = ["content/kpis", *sorted({path for path, *_ in kpis} | {data for _, _, data, _ in kpis if data.startswith("content/")})]
    read = read_history_from(root, paths)
    if why := unknown_confidential(read.failed, read.history):
        return Confided.unknown(why)
    if read.history is None:
        return _none_or_refused(root)
    return Confided.of(Secrets.of(site, read.history).kpi_commits, confidential_data_files(read.history))


def _none_or_refused(root: Path) -> Confided:
    """No history to read: none were confidential outside a repository or before its first commit; a
    repository whose history git will not give (history.refusal) cannot tell."""
    why = unknown_confidential(None, None, refused=refusal(root))
    return Confided.unknown(why) if why else Confided()


def unknown_confidential(failed: str | None, history: History | None, made: str = "site", refused: str | None = None) -> tuple[str, str] | None:
    """(message, hint) refusing a public site (``made``: or digest) whose history cannot tell which values were
    confidential when they were written (Secrets, once_confidential), or None when it can: git failed while
    reading it (HistoryRead.failed), it is a shallow clone's, whose oldest commit holds what was written
    before it as if it had been so all along (a KPI confidential then and public since looks public in it),
    or git will not give it (``refused``, history.refusal: a partial clone, a repository owned by another
    user, no git to run), which the hint says with its fix. Taking any of them for "none were" could publish them."""
    if failed:
        return (f"git failed while reading the history ({failed}): a public {made} cannot tell which values were confidential "
                "when they were written, and could publish them", "try again; if git fails again, run `git log` in the repository to see why")
    if history is not None and history.shallow:
        return (f"this repository is a shallow clone: a public {made} cannot tell which values were confidential when they "
                "were written before its oldest commit, and could publish them", FETCH_ALL)
    if history is None and refused:
        return (f"git gives no history of this repository: a public {made} cannot tell which values were confidential when they "
                "were written, and could publish them", refused)
    return None


@dataclass
class OnceConfidential:
    """once_confidential as the live preview asks it, at each rebuild and each check-in: read from git again
    only when HEAD moved, published_data changed (a KPI's file, id, `data:` or confidentiality) or the last
    read could not tell (Confided.unknown_why)."""

    read_for: tuple | None = None  # (root, HEAD, published_data) of the last answer
    found: Confided = Confided()

    def __call__(self, root: Path, site: Site, settings: Settings) -> Confided:
        if not _public_with_history(settings):
            return Confided()
        kpis = published_data(site, settings)
        key = (str(root), head_of(root), kpis)
        if key != self.read_for:
            self.found = _confidential_in(root, site, kpis)
            self.read_for = None if self.found.unknown_why else key  # `git fetch --unshallow` does not move HEAD
        return self.found


FETCH_ALL = "fetch the full history: git fetch --unshallow, or fetch-depth: 0 in CI"
NO_COMMIT_YET = "History: no commit has touched the goals yet"


def before_first_commit(root: Path) -> bool:
    """Whether ``root`` is in a git repository that has no commit yet (as `okrsite init` leaves one):
    it has no history to read, and the build says why rather than nothing."""
    return work_tree_top(root) is not None and find_repository(root) is None


def history_line(root: Path, history: History | None, as_of: date | None, refused: str | None, wanted: bool) -> str:
    """The build summary's line on the history (history_note), also where there is none to read: git
    refuses the repository, or it has no commit yet."""
    if history is not None:
        return history_note(history, as_of)
    if refused:
        return f"History: off, {refused}"
    return NO_COMMIT_YET if wanted and before_first_commit(root) else ""


def history_note(history: History | None, as_of: date | None = None) -> str:
    """The build summary's line on the history: the commits used (dated by ``as_of``), and how many
    dated after it are left out."""
    if history is None:
        return ""
    used = [commit for commit in history.commits if as_of is None or commit.day <= as_of]
    later = len(history.commits) - len(used)
    if not history.commits:
        return NO_COMMIT_YET
    fetch = FETCH_ALL
    if not used and history.shallow:
        return (f"History: a shallow clone back to {history.since}, after the as-of date {as_of}: its {later} commits are left out "
                f"and nothing is known of the goals' history by then ({fetch})")
    if not used:
        return f"History: no commit by the as-of date {as_of}; {later} dated after it left out"
    count = len(used)
    commits = f"{count} commit{'s' * (count != 1)}"
    since = history.since.isoformat()
    left_out = f"; {later} dated after the as-of date {as_of} left out" if later else ""
    if history.shallow:
        return (f"History: a shallow clone, {commits} back to {since}{left_out}; check-ins and freshness "
                f"before then are unknown, and so are the forecasts that need them ({fetch})")
    return f"History: {commits} since {since}{left_out}"


def repository_prefix(root: Path, settings: Settings, history: History | None) -> str:
    """The site's folder in its repository, for edit links (asked of git even when history is off)."""
    if history is not None:
        return history.prefix
    return site_prefix(root) if settings.repo_url else ""
