"""What became of an id the goals files no longer have: a file renamed (`git mv`) or deleted.

Linking guesses at a typo: "unknown parent 'launch-beta-eu' (did you mean 'launch-beta-us'?)". When the
id is one a file had, the guess points at another team's goal (QA EC). The git history knows what
happened; goals/ reads no git, so the stage above asks it (git/former.py: ``former_ids``, for the ids
``unknown_ids`` names) and passes the answer down as values, which ``tell_former_ids`` says at the
diagnostics instead of the guess. An id the history knows nothing of keeps the guess.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Iterator, Mapping

from .diagnostics import ERROR, WARNING, Diagnostic, Report, quoted, restore_command
from .link import NO_TEAM, REORGANISING, RETRO, owners_named, texts_of, unknown_link
from .model import Site, team_shaped
from .wikilinks import wikilink_targets

OBJECTIVE, TEAM, KPI, PAGE = "objective", "team", "kpi", "page"


@dataclass(frozen=True)
class FormerId:
    """An id of a goals file's past versions that no file has now, and the last thing that happened to
    that file: a commit renamed or deleted it, or the working tree did and it is not committed yet."""

    kind: str  # OBJECTIVE, TEAM, KPI or PAGE (these two only as a link's target)
    ident: str
    path: str  # the file that had it, as it was named then (from the site's root)
    commit: str | None  # the short hash of the commit that deleted the file or gave it its id now; None: the working tree did
    day: date | None  # that commit's day
    now: str | None = None  # the id the same file has now (renamed); None: the file was deleted
    now_path: str | None = None  # the file's path now, when it was renamed
    source: str = "HEAD"  # the revision that has ``path`` with the id, to bring it back from
    head_path: str | None = None  # the file's path at HEAD, when the working tree renamed or deleted it
    prefix: str = ""  # the site's folder in its repository ("goals/"), for the command that brings it back

    @property
    def when(self) -> str:
        if self.commit is None or self.day is None:
            return f"in the working tree, not committed yet (it is {self.head_path} at HEAD)"
        return f"in {self.commit} on {self.day.isoformat()}"

    @property
    def restore(self) -> str:
        return f"bring it back with {restore_command(self.source, self.path, self.prefix)}"


def unknown_ids(site: Site) -> dict[str, set[str]]:
    """The ids the site's files name that no file has: parents of objectives and what `follows:` names
    (OBJECTIVE), owners shaped like a team's id and parents of teams (TEAM), and the targets of `[[id]]`
    links, which may have been of any kind. What the history is asked about."""
    teams, objectives = site.teams, site.objectives
    parents = {o.parent for o in objectives.values() if o.parent is not None and o.parent not in objectives}
    followed = {o.follows for o in objectives.values() if o.follows is not None and o.follows not in objectives}
    named = [*owners_named(objectives.values()), *(k.owner for k in site.kpis.values())]
    owners = {owner for owner in named if owner and owner not in teams and team_shaped(owner)}
    linked = _unknown_link_targets(site)
    return {OBJECTIVE: parents | followed | linked, KPI: linked, PAGE: linked,
            TEAM: owners | {t.parent for t in teams.values() if t.parent is not None and t.parent not in teams} | linked}


def _unknown_link_targets(site: Site) -> set[str]:
    tables = (site.objectives, site.kpis, site.teams, site.pages)
    texts = (text for table in tables for entity in table.values() for text, _ in texts_of(entity) if "[[" in text)
    return {ident for text in texts for _, ident in wikilink_targets(text) if not any(ident in table for table in tables)}


def tell_former_ids(site: Site, day: date, report: Report, former: Mapping[tuple[str, str], FormerId]) -> None:
    """Each diagnostic of an id in ``former`` says what became of it instead of guessing a typo: an
    unknown parent was renamed or deleted (still an error: the child is aligned to nothing); an owner
    that was a team's id is read as a person's name with a warning, as an owner near no team's id is,
    the hint saying what to do in a finished quarter's file (keep the team's file) and in others."""
    if not former:
        return
    ended = {o.doc.path for o in site.objectives.values() if o.period is not None and o.period.end < day}
    told = dict(_tellings(former))
    for at, said in enumerate(report.items):
        tell = told.get(said.message)
        if tell is not None:
            report.items[at] = tell(said, said.file in ended)


Telling = Callable[[Diagnostic, bool], Diagnostic]  # a diagnostic said anew, given whether its file is of a finished period


def _tellings(former: Mapping[tuple[str, str], FormerId]) -> Iterator[tuple[str, Telling]]:
    """(a message linking says of a former id, how to say it now)."""
    for (kind, ident), gone in former.items():
        for where in ("", RETRO):
            yield unknown_link(f"unknown link target {quoted(ident)}", ident, where), lambda said, graded, gone=gone: replace(said, hint=_link_hint(gone))
        if kind == OBJECTIVE:
            yield f"unknown parent {quoted(ident)}", lambda said, graded, gone=gone: replace(said, hint=_parent_hint(gone, graded))
            yield f"'follows' names an unknown objective {quoted(ident)}", lambda said, graded, gone=gone: replace(said, hint=_follows_hint(gone))
        elif kind == TEAM:
            yield f"unknown parent team {quoted(ident)}", lambda said, graded, gone=gone: replace(said, hint=_parent_team_hint(gone))
            owner = lambda said, graded, gone=gone: _owner_warning(said, gone, graded)
            yield f"unknown team {quoted(ident)}", owner
            for none in ("", " (the site has no teams)"):
                yield NO_TEAM.format(owner=ident, none=none), owner


def _renamed(gone: FormerId, written: str) -> str:
    """The hint of an id whose file was renamed: write the new id where the old one is (``written``,
    given the id: "parent: {}", "[[{}]]"), or keep the old one in the renamed file."""
    return f"renamed to {gone.now} {gone.when}: write {written.format(gone.now)}, or keep the old id with 'id: {gone.ident}' in {gone.now_path}"


def _parent_hint(gone: FormerId, graded: bool) -> str:
    if gone.now is not None:
        return _renamed(gone, "parent: {}")
    if graded:
        return f"deleted {gone.when}; a finished period's objective is aligned to it: keep its file, {gone.restore}"
    return f"deleted {gone.when}: align it to another objective (or to none), or keep its file: {gone.restore}"


def _parent_team_hint(gone: FormerId) -> str:
    if gone.now is not None:
        return _renamed(gone, "parent: {}")
    return f"deleted {gone.when}: give this team another parent (or none), or keep the parent's file: {gone.restore}"


def _follows_hint(gone: FormerId) -> str:
    if gone.now is not None:
        return _renamed(gone, "follows: {}")
    return f"deleted {gone.when}: name another objective this one continues (or remove 'follows'), or keep its file: {gone.restore}"


def _link_hint(gone: FormerId) -> str:
    if gone.now is not None:
        return _renamed(gone, "[[{}]]")
    return f"deleted {gone.when}: link to another page (or remove the link), or keep its file: {gone.restore}"


def _owner_warning(said: Diagnostic, gone: FormerId, graded: bool) -> Diagnostic:
    """The team ``gone`` named as an owner: a person's name now, with a warning, as an owner near no
    team's id is (docs/teams-and-people.md, Reorganising), not an error guessing at another team."""
    team = f"the team {gone.ident} was " + (f"renamed to {gone.now} {gone.when}" if gone.now is not None else f"deleted {gone.when}")
    keep = (f"keep its old id with 'id: {gone.ident}' in {gone.now_path}" if gone.now is not None
            else f"keep its file while finished quarters name it, {gone.restore}")
    if graded:
        hint = f"{team}: {keep} ({REORGANISING})"
    elif gone.now is not None:
        hint = f"{team}: write owner: {gone.now}, or {keep}"
    else:
        hint = f"{team}: write another owner here, or keep the team's file: {gone.restore} ({REORGANISING})"
    if said.severity == ERROR:  # linking's guess at a typo of another team's id
        return replace(said, severity=WARNING, message=NO_TEAM.format(owner=gone.ident, none=""), hint=hint)
    return replace(said, hint=hint)

