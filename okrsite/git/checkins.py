"""Check-ins: what the history of the goals files says about each number. Pure: no git, no I/O.

A commit that changed a key result's ``current``, ``done`` or ``progress`` is a check-in: a dated
point with its author and commit. A KPI's values carry their own dates; the history adds who
recorded each one, and when. The oldest commit of a shallow clone changed nothing we know of: it
sets the values the next commits are compared with, and is not a check-in itself.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import PurePosixPath
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..goals.model import KPI, DataPoint, KeyResult, Objective, Period, Site
from ..goals.config import Settings
from ..goals.diagnostics import Report
from ..goals.parse import kpi_definition, parse_objective
from ..goals.load import SourceDoc, kind_of
from ..goals.formats import one_form
from ..goals.periods import PeriodError, parse_period, to_date
from ..goals.targets import convert, known_unit, parse_target
from ..goals.former import KPI as KPI_KIND
from .former import renamed
from .history import Commit, FileHistory, History, Version, note_for, readable_versions

_NONE = object()


@dataclass(frozen=True)
class KRLog:
    points: tuple[DataPoint, ...]  # the value on each day a commit changed it (the day's last), oldest first
    changes: tuple[Commit, ...]  # commits that changed its numbers: the value or its `history:` entries
    added: date | None = None  # the day of the commit that added it, when that was no check-in (a milestone not done)
    cut: bool = False  # a shallow clone's oldest commit held a number of it: its check-ins before that commit are unknown
    rescopes: tuple[Rescope, ...] = ()  # the commits that changed its start or target in its unit, oldest first
    first: Commit | None = None  # the first commit that held it
    # the commit since which its start, target and guardrail line are as its last version wrote them (``numbers``)
    numbers_since: Commit | None = None
    numbers: tuple | None = None
    # each commit that made a point, with it, oldest first: a day's every one, where ``points`` keeps its last
    checkins: tuple[tuple[Commit, DataPoint], ...] = ()


@dataclass(frozen=True)
class Rescope:
    """A commit that changed a numeric key result's start or target, its unit kept (a re-scope, as
    "2,000,000 → 1,500,000 USD"): the days before it were measured against the numbers it replaced."""

    day: date
    was_start: float
    was_target: float
    start: float
    target: float
    commit: str = ""
    author: str = ""
    seq: int = 0  # its commit's place in the history (Commit.seq): the order of a day's commits


@dataclass(frozen=True)
class KPILog:
    changes: tuple[Commit, ...]  # commits that changed its values, inline or in its CSV file
    recorded: Mapping[date, Commit]  # the commit that last wrote the value of each date
    notes: Mapping[date, str] = field(default_factory=dict)  # that commit's note for it (kpi_log), where it has one
    # values a later one took the place of in the file, each as every commit wrote it: (that commit's
    # day, the value; date.min for one already there in a shallow clone's oldest commit), oldest first
    replaced: tuple[tuple[date, DataPoint], ...] = ()
    # What its health was judged by (goals.parse.KPI_DEFINITION) as each commit of its file left it, in
    # the history's order; None: deleted, or not readable then (numbers.compute.defined_on).
    definitions: tuple[tuple[Commit, Mapping[str, Any] | None], ...] = ()
    unit_changes: tuple[UnitChange, ...] = ()  # the commits that measured it anew in another unit, oldest first
    corrected: Mapping[date, Commit] = field(default_factory=dict)  # the last commit that wrote a date's value anew, another than the one written before
    # the commit that last wrote each date's value, in the unit then: ``recorded``'s, or a later one that converted it into a new unit (same_measure)
    written: Mapping[date, Commit] = field(default_factory=dict)
    # the commit that first wrote each date's value; none for one a shallow clone's oldest commit already held (it may be older)
    added: Mapping[date, Commit] = field(default_factory=dict)

    def unit_change(self, as_of: date) -> UnitChange | None:
        """The last commit up to ``as_of`` that measured the KPI anew in another unit (kpi_measured_anew)."""
        return next((change for change in reversed(self.unit_changes) if change.commit.day <= as_of), None)

    def in_old_unit(self, change: UnitChange, days: Iterable[date]) -> list[date]:
        """Of ``days``, those whose value was written before ``change`` and not since, in a unit the KPI
        had before that is not its unit since (ms → s → ms: a value written in ms is right again). A
        value written by that commit or later is in the new one (converted)."""
        return [day for day in days if (commit := self.writer(day)) is not None and in_order(commit) < in_order(change.commit)
                and not same_unit(self.unit_then(commit), change.unit)]

    def writer(self, day: date) -> Commit | None:
        """The commit that last wrote the value of ``day``, its unit the one in force then (a conversion included)."""
        return self.written.get(day) or self.recorded.get(day)

    def unit_then(self, commit: Commit) -> str | None:
        """The unit a number written by ``commit`` is in (unit_then); None for a KPI never measured anew."""
        return unit_then(self.unit_changes, commit, self.unit_changes[-1].unit if self.unit_changes else None)

    def replaced_until(self, as_of: date) -> tuple[DataPoint, ...]:
        """The replaced values as the commits up to ``as_of`` wrote them: a later commit, ignored like
        any later one, neither corrects one nor adds one."""
        found = {point.date: point for day, point in self.replaced if day <= as_of}
        return tuple(found[day] for day in sorted(found))


@dataclass(frozen=True)
class UnitChange:
    """A commit that changed a KPI's unit from one to another together with its target or threshold
    ("800 ms" became "0.8 s"): the values written before it are numbers in the old unit."""

    commit: Commit
    was: str
    unit: str
    factor: float | None = None  # what a number in ``was`` is multiplied by to be in ``unit`` (unit_factor); None: not known


def unit_then(changes: Iterable[UnitChange], commit: Commit, now: str | None) -> str | None:
    """The unit of a KPI's numbers as ``commit`` wrote them: the one it had before the first later
    change of unit (QA EE), else its unit ``now``."""
    later = next((change for change in changes if in_order(change.commit) > in_order(commit)), None)
    return later.was if later is not None else now


def in_order(commit: Commit) -> tuple[int, Any]:
    """A commit's place in the history, for comparing two of them."""
    return commit.seq, commit.when


@dataclass(frozen=True)
class Logs:
    objectives: Mapping[str, tuple[KRLog, ...]]  # by objective id: one log per key result, in order
    kpis: Mapping[str, KPILog]
    shallow: bool = False
    since: date | None = None  # the oldest commit read
    # by objective id, the days git held it (days_held); none: not committed yet
    added: Mapping[str, "Held"] = field(default_factory=dict)
    # by the id of the objective each was aligned to, the objectives whose files were deleted (deleted_children)
    deleted: Mapping[str, tuple["DeletedChild", ...]] = field(default_factory=dict)
    # by the last day of each period of the site, okrsite.toml's grading settings as committed by then
    # (History.grading_on); a day by which no commit of it can be read is not here
    grading: Mapping[date, Mapping[str, Any]] = field(default_factory=dict)
    # by period id, the objectives of that period whose files were deleted after it ended, aligned or not,
    # each once (parent None), read as it stood: a team counts them in its finished period (deleted_children)
    ended_deleted: Mapping[str, tuple["DeletedChild", ...]] = field(default_factory=dict)

    def known_since(self) -> date | None:
        """In a shallow clone, what was not changed since its oldest commit is at least that old."""
        return self.since if self.shallow else None


def site_logs(site: Site, history: History, earlier: "tuple[Site, History, Logs] | None" = None) -> Logs:
    """The check-ins of every objective and KPI. With ``earlier`` (live preview), the logs of entities
    that did not change are kept, the very same objects, so that compute can reuse their scores."""
    old_site, old_history, old_logs = earlier if earlier else (None, None, None)
    reuse = old_history is history and old_logs is not None
    old_objectives, old_kpis = (old_site.objectives, old_site.kpis) if reuse else ({}, {})
    if reuse and site.objectives is old_objectives:  # relinked without them (goals/link.py Linker): the same entities
        objectives = old_logs.objectives
    elif earlier is None:
        objectives = ObjectiveLogs(site.objectives, history)
    else:
        objectives = {
            ident: old_logs.objectives[ident] if old_objectives.get(ident) is o else objective_log(o, history.of(o.doc.path))
            for ident, o in site.objectives.items()
        }
    if reuse and site.kpis is old_kpis:
        kpis = old_logs.kpis
    else:
        kpis = {
            ident: old_logs.kpis[ident] if old_kpis.get(ident) is k else kpi_log(k, history.of(k.doc.path), history.of(data_path(k)) if k.data else ())
            for ident, k in site.kpis.items()
        }
    deleted, ended_deleted = deleted_children(site, history)
    return Logs(objectives, kpis, history.shallow, history.since, days_held(site, history), deleted,
                grading_at_ends(site, history), ended_deleted)


def grading_at_ends(site: Site, history: History) -> dict[date, Mapping[str, Any]]:
    """okrsite.toml's grading settings as committed by the last day of each of the site's periods (see
    Logs.grading): a finished period is graded with them (numbers.compute.graded_periods)."""
    ends = sorted({period.end for period in site.periods.values()})
    return {day: then for day in ends if (then := history.grading_on(day)) is not None}


@dataclass(frozen=True)
class Held:
    """The days git held an objective: each span from the first commit of a file holding it (followed
    through renames) to the commit that deleted that file (None: its file now, held still). A day of
    a shallow clone's oldest commit starts a span at date.min (it may be older)."""

    spans: tuple[tuple[date, date | None], ...]
    # the objective it was aligned to as each commit that changed its `parent:` left it, oldest first: (that
    # commit's day, the parent by its id now; None: none); empty when every commit aligned it as it is now
    aligned: tuple[tuple[date, str | None], ...] = ()

    def on(self, day: date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in self.spans)

    def parent_on(self, day: date, now: str | None) -> str | None:
        """The objective it was aligned to as committed by the end of ``day``, a day git held it (``now``:
        its parent now, which no commit changed)."""
        found = now
        for since, parent in self.aligned:
            if since > day:
                break
            found = parent
        return found


def days_held(site: Site, history: History) -> dict[str, Held]:
    """The days git held each objective, by its id (see Logs.added): since its file's first commit, and
    while a file deleted since held its id (QA EN: a file brought back with `git checkout <commit>~1 --
    <file>` after its deletion is the objective git held all along, not one added after its roll-up's
    period ended; QA EO: one deleted while the quarter ran, and written anew a year later, was not held
    on the quarter's last day)."""
    spans: dict[str, list[tuple[date, date | None]]] = {}
    realigned: dict[str, tuple[Version, ...]] = {}  # the objectives a version of whose file wrote another parent than now
    for ident, o in site.objectives.items():
        versions = history.of(o.doc.path)
        if versions:
            spans[ident] = [(_day_held_from(versions[0].commit), None)]
            now = o.parent
            for version in versions:  # every build, every version: one look-up each
                if version.data.__class__ is dict and version.data.get("parent") != now:
                    realigned[ident] = versions
                    break
    gone: dict[str, list[Version]] = {}  # the versions of files deleted since that held a live id
    for file in history.gone:
        held = [v for v in file.versions if not v.deleted and isinstance(v.data, dict)]
        ended = file.versions[-1].commit.day if file.versions and file.versions[-1].deleted else None
        for ident in {v.ident for v in held} & spans.keys():
            spans[ident].append((min(_day_held_from(v.commit) for v in held if v.ident == ident), ended))
            gone.setdefault(ident, []).extend(v for v in held if v.ident == ident)
    found = {ident: Held(tuple(held)) for ident, held in spans.items()}
    names = _NamesNow(site, history)
    for ident in realigned.keys() | gone.keys():
        aligned = _aligned(site.objectives[ident].parent, [*realigned.get(ident, history.of(site.objectives[ident].doc.path)), *gone.get(ident, ())], names)
        if aligned:
            found[ident] = Held(found[ident].spans, aligned)
    return found


def _aligned(now: str | None, versions: list[Version], names: "_NamesNow") -> tuple[tuple[date, str | None], ...]:
    """Held.aligned: the parent each version of an objective's file (and of a file deleted since that
    held its id) wrote, read as the loader reads it and named by the id that objective has now (a
    roll-up renamed since, its children's `parent:` with it, is the same one), at each change; nothing
    when every version wrote its parent now."""
    found: list[tuple[date, str | None]] = []
    for version in sorted((v for v in versions if not v.deleted and isinstance(v.data, dict)), key=lambda v: in_order(v.commit)):
        raw = version.data.get("parent")
        parent = names.now(raw if raw == now else _parent_written(raw))
        if not found or found[-1][1] != parent:
            found.append((_day_held_from(version.commit), parent))
    return () if all(parent == now for _, parent in found) else tuple(found)


def _parent_written(raw: Any) -> str | None:
    """A version's `parent:` as the loader reads it (a text, spaces around it dropped), else none."""
    return one_form(raw.strip()) if isinstance(raw, str) else None


class _NamesNow:
    """The id each objective has now, by an id one of its versions gave it (renamed since): read from
    the history only when a version names an objective by an id no objective has now."""

    def __init__(self, site: Site, history: History) -> None:
        self.site, self.history = site, history
        self.former: dict[str, str] | None = None

    def now(self, ident: str | None) -> str | None:
        if ident is None or ident in self.site.objectives:
            return ident
        if self.former is None:
            self.former = {}
            for now, o in self.site.objectives.items():
                read: set[tuple[str, Any]] = set()  # a version's id follows from its path and `id:`: read once each
                for version in self.history.of(o.doc.path):
                    if version.data.__class__ is dict and (key := (version.path, version.data.get("id"))) not in read:
                        read.add(key)
                        self.former.setdefault(version.ident, now)
        return self.former.get(ident, ident)


def _day_held_from(commit: Commit) -> date:
    """The day of a file's first commit; date.min for one a shallow clone's oldest commit holds."""
    return date.min if commit.boundary else commit.day


@dataclass(frozen=True)
class DeletedChild:
    """An objective whose file was deleted, as its last version stood: aligned to ``parent``, of ``period``."""

    ident: str
    parent: str | None  # None: the one of Logs.ended_deleted, whatever it was aligned to
    period: Period
    path: str  # the file as named in its last version (from the site's root)
    commit: str  # the short hash of the commit that deleted it
    day: date  # that commit's day
    since: date  # the day its file was first committed (date.min: held by a shallow clone's oldest commit)
    prefix: str = ""  # the site's folder in its repository ("goals/"), for the command that brings it back
    title: str = ""  # its last version's title (its id when that has none): a finished period's review names it
    private: bool = False  # its last version set `private:` (to anything but false): a public site names and counts it nowhere
    # its last version read as an objective, with its key results' check-ins: a roll-up grades it as it
    # stood when they score (numbers.compute.counted_as_they_stood)
    objective: Objective | None = field(default=None, compare=False, repr=False)
    logs: tuple[KRLog, ...] = field(default=(), compare=False, repr=False)


def deleted_children(site: Site, history: History) -> tuple[dict[str, tuple[DeletedChild, ...]], dict[str, tuple[DeletedChild, ...]]]:
    """The objectives whose files git held once and that no file has now: by the objective of the site
    their last version was aligned to (Logs.deleted: a finished roll-up's grade no longer counts them,
    numbers.compute: deleted_after_end), and, of those deleted after their own period ended, each once
    by period id (Logs.ended_deleted: a finished period's team figures count them, numbers.teams). A
    cancelled one, or one of a period or id not read, counts nowhere."""
    found: dict[str, list[DeletedChild]] = defaultdict(list)
    ended: dict[str, list[DeletedChild]] = defaultdict(list)
    renamed_kpis = _kpis_renamed(history, site) if history.gone else {}
    for lifetimes in _lifetimes_by_id(history.gone):
        own, children = _deleted_child(lifetimes, site, history.prefix, renamed_kpis)
        for child in children:
            found[child.parent].append(child)
        if own is not None and own.period.end < own.day:
            ended[own.period.id].append(own)
    return {parent: tuple(children) for parent, children in found.items()}, {period: tuple(each) for period, each in ended.items()}


def _lifetimes_by_id(gone: Iterable[FileHistory]) -> list[list[tuple[Version, ...]]]:
    """The versions of the files deleted since, each lifetime of a file (from its first commit to its
    deletion) with the others of the objective id its last version held, oldest first: a file deleted,
    brought back and deleted again is one objective, as it stood when finally deleted."""
    found: dict[str, list[tuple[Version, ...]]] = {}
    alone: list[list[tuple[Version, ...]]] = []  # no version readable: _deleted_child finds none
    for file in sorted((f for f in gone if f.versions), key=lambda f: in_order(f.versions[-1].commit)):
        last = next((v for v in reversed(file.versions) if not v.deleted and isinstance(v.data, dict)), None)
        if last is None:
            alone.append([file.versions])
        else:
            found.setdefault(last.ident, []).append(file.versions)
    return alone + list(found.values())


def _held_since(lifetimes: list[tuple[Version, ...]], period: Period) -> date:
    """The day a deleted objective's file was first committed (DeletedChild.since): of the lifetime that
    held it on its period's last day, if one did (deleted after it), else of the last one."""
    for versions in lifetimes:
        start = _day_held_from(versions[0].commit)
        if start <= period.end < versions[-1].commit.day:
            return start
    return _day_held_from(lifetimes[-1][0].commit)


def _kpis_renamed(history: History, site: Site) -> dict[str, str]:
    """Each former id of a KPI of the site (git.former.renamed), by it, the KPI's id now: a deleted
    objective's key result following a KPI renamed since follows it under its new id."""
    found = renamed(history, site)
    now: dict[str, str] = {}
    for ident, formers in found.kpis.items():
        for former in formers:
            if former not in site.kpis and (former not in now or found.left[KPI_KIND, former, ident] > found.left[KPI_KIND, former, now[former]]):
                now[former] = ident
    return now


def _deleted_child(lifetimes: list[tuple[Version, ...]], site: Site, prefix: str,
                   renamed_kpis: Mapping[str, str] | None = None) -> tuple[DeletedChild | None, list[DeletedChild]]:
    """The deleted objective of ``lifetimes`` (its parent None), and the same once under each objective
    it was aligned to then (_aligned_then): the same objective and logs, read once. Of an id deleted
    more than once, the last lifetime's last version, deletion day and commit (_lifetimes_by_id)."""
    versions = tuple(v for each in lifetimes for v in each)
    if not versions or not versions[-1].deleted:
        return None, []
    last = next((v for v in reversed(versions) if not v.deleted and isinstance(v.data, dict)), None)
    if last is None or kind_of(PurePosixPath(last.path), last.data) != "objective" or last.data.get("status") == "cancelled":
        return None, []
    ident = last.ident
    parents = [p for p in _aligned_then(versions, last, site) if not (ident in site.objectives and site.objectives[ident].parent == p)]
    try:
        period = parse_period(last.data.get("period"), site.periods)
    except PeriodError:
        return None, []
    gone = versions[-1].commit
    # read only where a finished roll-up or team may count it (deleted after a period ended): every build reads the history
    ended = period.end < gone.day or any(site.objectives[p].period is not None and site.objectives[p].period.end < gone.day for p in parents)
    objective = _as_it_was(last, site, renamed_kpis or {}) if ended else None
    logs = objective_log(objective, versions) if objective is not None else ()
    title = last.data.get("title")
    title = title.strip() if isinstance(title, str) and title.strip() else ident
    private = last.data.get("private") not in (None, False)
    own = DeletedChild(ident, None, period, last.path, gone.short, gone.day, _held_since(lifetimes, period), prefix, title, private, objective, logs)
    return own, [replace(own, parent=parent) for parent in parents]


def _aligned_then(versions: tuple[Version, ...], last: Version, site: Site) -> list[str]:
    """The objectives of the site a deleted objective's file was aligned to when it counted for them:
    on a roll-up's last day, for one whose period ended before the file was deleted (as committed by
    then: one moved to another parent after that period and deleted later still counts in the first,
    and not in the one it moved to late, as a live child does, Held.parent_on); else, as before, the
    one its last version names."""
    gone = versions[-1].commit.day
    named = dict.fromkeys(p for p in map(_parent_named, versions) if p in site.objectives)
    aligned = []
    for parent in named:
        period = site.objectives[parent].period
        if period is not None and period.end < gone:
            then = next((v for v in reversed(versions) if v.commit.day <= period.end), None)
            if then is not None and not then.deleted and _parent_named(then) == parent:
                aligned.append(parent)
        elif _parent_named(last) == parent:
            aligned.append(parent)
    return aligned


def _parent_named(version: Version) -> str | None:
    return _parent_written(version.data.get("parent")) if not version.deleted and isinstance(version.data, dict) else None


def _as_it_was(last: Version, site: Site, renamed_kpis: Mapping[str, str]) -> Objective | None:
    """The objective a deleted file's last version wrote, as the site reads one, its key results
    following a KPI renamed since following it under its id now (``renamed_kpis``); None when the site
    would not have read it (an error in it: a key result whose target is its start scores nothing),
    or would not now (a key result following a KPI no file has any more: QA ET, its grade would move
    with no word; said as one no longer counted instead)."""
    report = Report()
    objective = parse_objective(SourceDoc(last.path, "objective", last.data, {}), Settings(periods=site.periods), report)
    if objective.period is None or report.errors:
        return None
    key_results = tuple(replace(kr, kpi=renamed_kpis.get(kr.kpi, kr.kpi)) if kr.kpi else kr for kr in objective.key_results)
    if any(kr.kpi and kr.kpi not in site.kpis for kr in key_results):
        return None
    return replace(objective, key_results=key_results) if key_results != objective.key_results else objective


class ObjectiveLogs(Mapping):
    """The objectives' logs, each made when first asked for, then kept: a build whose cache holds the
    score of most objectives (their files and history as before) asks for few of them, and making
    10,000 costs more than scoring them."""

    def __init__(self, objectives: Mapping[str, Objective], history: History) -> None:
        self.objectives, self.history = objectives, history
        self.made: dict[str, tuple[KRLog, ...]] = {}

    def __getitem__(self, ident: str) -> tuple[KRLog, ...]:
        found = self.made.get(ident)
        if found is None:
            o = self.objectives[ident]
            found = self.made[ident] = objective_log(o, self.history.of(o.doc.path))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.objectives)

    def __len__(self) -> int:
        return len(self.objectives)


def log_inputs(history: History) -> Callable[[Objective | KPI], bytes]:
    """What the check-ins of an objective or KPI are made of, besides the entity itself: the digest of
    each version of its file (and of a KPI's CSV file), by its commit (every field, its place in the
    history and whether it is a shallow clone's boundary too) and its path as named then. An objective's
    log follows from the objective and these (objective_log), a KPI's likewise (kpi_log)."""
    commits: dict[str, bytes] = {}
    paths: dict[str, bytes] = {}

    def commit_digest(c: Commit) -> bytes:
        found = commits.get(c.hash)
        if found is None:
            fields = (c.hash, c.when, c.author, c.subject, c.boundary, c.seq, c.body)
            found = commits[c.hash] = hashlib.blake2b(repr(fields).encode("utf-8", "surrogatepass"), digest_size=16).digest()
        return found

    def of_path(path: str) -> bytes:
        found = paths.get(path)
        if found is None:
            made = hashlib.blake2b(digest_size=16)
            for v in history.of(path):
                made.update(commit_digest(v.commit) + v.path.encode("utf-8", "surrogatepass") + (b"\1" if v.deleted else b"\0"))
            found = paths[path] = made.digest()
        return found

    def of(thing: Objective | KPI) -> bytes:
        own = of_path(thing.doc.path)
        return own + of_path(data_path(thing)) if isinstance(thing, KPI) and thing.data else own
    return of


def data_path(kpi: KPI) -> str:
    return PurePosixPath((kpi.data or "").replace("\\", "/")).as_posix()


def objective_log(o: Objective, versions: tuple[Version, ...]) -> tuple[KRLog, ...]:
    """One log per key result. Each key result is followed back one version at a time (pair_items:
    by id, then title, then place), so a rename, a reorder or an insertion keeps its history."""
    now = o.doc.meta.get("key_results")
    now = now if isinstance(now, list) else []
    items_of = [[items[p] if items is not None and p is not None and isinstance(items[p], dict) else None for p in at]
                for items, at in kr_places(now, versions)]
    commits = [v.commit for v in versions]
    return tuple(kr_log(kr, [items_of[k][kr.index] if kr.index < len(now) else None for k in range(len(versions))], commits)
                 for kr in o.key_results)


def kr_places(now: list, versions: Iterable[Version]) -> list[tuple[list | None, list[int | None]]]:
    """For each version (oldest first): its key results as written (None: deleted or unreadable) and
    where each key result of ``now`` sits in them (None: not there). Followed back one version at a
    time (pair_items), the one pairing both the check-ins and what the public may see of them use."""
    versions = list(versions)
    at: list[int | None] = list(range(len(now)))
    later = now
    found: list[tuple[list | None, list[int | None]]] = []
    for version in reversed(versions):
        data = version.data
        items = data.get("key_results") if isinstance(data, dict) else None
        if not isinstance(items, list):
            found.append((None, [None] * len(now)))
            continue  # deleted or unreadable: the next older version is compared with the last readable one
        back = {j: i for i, j in pair_items(items, later) if i is not None and j is not None}
        at = [back.get(p) if p is not None else None for p in at]
        found.append((items, at))
        later = items
    return found[::-1]


def pair_items(old: list, new: list) -> list[tuple[int | None, int | None]]:
    """Key results of two versions paired as the same one (by id, then title, then place when the
    count did not change); (i, None) was removed, (None, j) added. Ordered by the new list."""
    pairs: dict[int, int] = {}
    for key in ("id", "title"):
        taken = set(pairs.values())
        for j, item in enumerate(new):
            if j in pairs or not isinstance(item, dict) or item.get(key) is None:
                continue
            same = [i for i, was in enumerate(old) if i not in taken and isinstance(was, dict) and was.get(key) == item.get(key)]
            if len(same) == 1:
                pairs[j] = same[0]
                taken.add(same[0])
    if len(old) == len(new):
        taken = set(pairs.values())
        for j in range(len(new)):
            if j not in pairs and j not in taken:
                pairs[j] = j
                taken.add(j)
    result = [(pairs.get(j), j) for j in range(len(new))]
    result += [(i, None) for i in range(len(old)) if i not in set(pairs.values())]
    return result


def kr_value(item: dict, form: str) -> float | None:
    """The number a check-in records: `current` (of a numeric key result or a guardrail), `done` as 1
    or 0, or the estimated `progress`."""
    key = {"numeric": "current", "binary": "done", "manual": "progress", "guardrail": "current"}[form]
    value = item.get(key)
    if form == "binary":
        return float(value) if isinstance(value, bool) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e15:
        return None
    return float(value)


def at_its_start(form: str, value: float | None) -> bool:
    """Whether a key result's value is the one every key result of its form starts with: none yet, a
    milestone not done, an estimate of 0 (as `carry-over` writes them). A `current:` written is a
    number measured, whatever it is."""
    return value is None or (form == "binary" and value != 1.0) or (form == "manual" and value == 0)


def kr_log(kr: KeyResult, items: list[dict | None], commits: list[Commit]) -> KRLog:
    """A commit that set the value is a check-in, unless the value is the one already in force on its
    day: its version's latest written `history:` entry by then, or a later check-in from git. Such a
    commit (an import of files whose `current:` repeats their written history) only records what the
    written history says, and is neither a point nor a change; nor is one that adds a key result with a
    written history and no value of its own. Nor is the commit that adds a key result at its start (no
    value yet, a milestone not done, an estimate of 0): that records no number, as the files `okrsite
    new` and `carry-over` write (their key result is quiet since then: ``added``). A commit that
    measures it anew (its `unit` and its `start` or `target` changed: "12 → 3 per 10k queries" became
    "0.12 → 0.03 %") starts it again: the check-ins before it are in the old unit. A number held by a
    shallow clone's oldest commit may have check-ins before it that nobody can read (``cut``), unless
    its written `history:` holds it by then: the check-ins are written in the file then (QA CS). A
    commit that changes its start or target in the same unit re-scopes it (``rescopes``): the days
    before it keep the numbers they were measured against (QA DD)."""
    points: dict[date, DataPoint] = {}
    checkins: list[tuple[Commit, DataPoint]] = []
    changes: list[Commit] = []
    added = None
    cut = False
    last_numbers: Any = _NONE
    last_value: Any = _NONE
    last_item: dict | None = None
    measured_since = 0
    first = numbers_since = None
    for index, (item, commit) in enumerate(zip(items, commits)):
        if item is None:
            continue
        first = first or commit
        if last_item is None or kr_numbers(last_item) != kr_numbers(item):
            numbers_since = commit
        if last_item is not None and measured_anew(last_item, item):
            points.clear()
            checkins.clear()
            measured_since = index
            last_numbers = last_value = _NONE
            cut = False
        last_item = item
        numbers = (item.get("current"), item.get("done"), item.get("progress"), item.get("history"))
        value = kr_value(item, kr.form)
        cut = cut or (commit.boundary and value is not None and value != in_force(item, commit.day, points))
        moved = value is not None and value != last_value
        if last_numbers is _NONE and value is None and item.get("history") is not None:
            pass  # added with only its written history (an import, a starter file): it says nothing new
        elif last_numbers is _NONE and at_its_start(kr.form, value) and not commit.boundary:
            added = commit.day
        elif not commit.boundary and not (moved and value == in_force(item, commit.day, points)):
            if numbers != last_numbers:
                changes.append(commit)
            if moved:
                points[commit.day] = DataPoint(commit.day, value, note_for(commit.body, *_title_then(item), kr.title), source="git", commit=commit.short,
                                               author=commit.author, added=last_numbers is _NONE)
                checkins.append((commit, points[commit.day]))
        last_numbers, last_value = numbers, value
    rescopes = rescoped(items[measured_since:], commits[measured_since:]) if kr.form == "numeric" else ()
    return KRLog(tuple(points[d] for d in sorted(points)), tuple(changes), added, cut, rescopes, first, numbers_since,
                 kr_numbers(last_item) if last_item is not None else None, tuple(checkins))


def kr_numbers(item: dict) -> tuple:
    """A key result's start, target and guardrail line as a version wrote them."""
    return tuple(item.get(key) for key in ("start", "target", "keep_above", "keep_below"))


def rescoped(items: list[dict | None], commits: list[Commit]) -> tuple[Rescope, ...]:
    """The re-scopes of a numeric key result measured in one unit, version by version: each commit
    whose start or target differs from the last version whose scope could be read. A version whose
    scope cannot be read (a target written "1,500,000", .nan, null) neither starts nor ends one: the
    re-scope is the commit that made it readable again (QA DN). A shallow clone's oldest commit
    changed nothing we know of."""
    readable = list(readable_versions(zip(items, commits), lambda version: scope_of(version[0]) if version[0] is not None else None))
    return tuple(Rescope(commit.day, *before, *after, commit.short, commit.author, commit.seq)
                 for (_, before), ((_, commit), after) in zip(readable, readable[1:]) if before != after and not commit.boundary)


def scope_of(item: dict) -> tuple[float, float] | None:
    """The start (0 when none is written) and target of a version of a numeric key result, as written."""
    start, target = item.get("start", 0), item.get("target")
    if any(item.get(key) is not None for key in ("keep_above", "keep_below")):
        return None
    numbers = [value for value in (0 if start is None else start, target)
               if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value and abs(value) <= 1e15]
    return (float(numbers[0]), float(numbers[1])) if len(numbers) == 2 and numbers[0] != numbers[1] else None


def _title_then(item: dict) -> tuple[str, ...]:
    """The title a version of a key result (or a KPI's file) was written with, when it wrote one."""
    title = item.get("title")
    return (title,) if isinstance(title, str) else ()


def measured_anew(was: dict, now: dict) -> bool:
    """Whether a key result's version ``now`` measures it in another unit than ``was``: its own `unit`
    changed from one to another, and its `start`, `target` or guardrail line with it (a unit spelt
    anew alone, `USD` → `$`, is the same measure; one added where there was none, or removed, names
    the numbers it had: a target raised with it is no new measure)."""
    before, after = was.get("unit"), now.get("unit")
    return (before is not None and after is not None and before != after
            and any(was.get(key) != now.get(key) for key in ("start", "target", "keep_above", "keep_below")))


def kpi_unit(data: dict) -> str | None:
    """A KPI version's unit: its `unit:`, else the one its target's words name ("at or above 110%"), as pages say it."""
    phrase = parse_target(data["target"]) if isinstance(data.get("target"), str) else None
    return data["unit"] if isinstance(data.get("unit"), str) else phrase.unit if phrase else None


def kpi_measured_anew(was: dict, now: dict) -> bool:
    """Whether a KPI's version ``now`` measures it in another unit than ``was``, as a key result is
    measured anew (measured_anew): its unit changed from one to another, and its target or threshold
    with it ("800 ms" became "0.8 s"). A unit spelt anew (`USD` → `$`, `hrs` → `hours`) is the same measure.
    A KPI with neither (its key results hold the targets) is measured anew by a unit okrsite converts
    (ms → s), as nothing else can say so (QA ET: its key result's numbers converted with it were taken
    for a re-scope)."""
    before, after = kpi_unit(was), kpi_unit(now)
    if before is None or after is None or same_unit(before, after):
        return False
    if all(was.get(key) == now.get(key) for key in ("target", "threshold")):
        return all(was.get(key) is None for key in ("target", "threshold")) and convert(1.0, before, after) is not None
    return True


def same_unit(one: str | None, other: str | None) -> bool:
    """Two units that are one, spelt alike or as okrsite knows them (`$` and `USD`, `s` and `seconds`)."""
    return one == other or (known_unit(one) is not None and known_unit(one) == known_unit(other))


def unit_changes(versions: Iterable[Version]) -> tuple[UnitChange, ...]:
    """The commits of a KPI's file that measured it anew in another unit (kpi_measured_anew), oldest first."""
    return tuple(step for step, anew in _unit_steps(versions) if anew)


def unit_steps(versions: Iterable[Version]) -> tuple[UnitChange, ...]:
    """The commits of a KPI's file that changed its unit from one to another, its target with it or not
    (`USD` → `kUSD`), oldest first: the values one of them wrote anew may be the same ones, converted."""
    return tuple(step for step, _ in _unit_steps(versions))


def _unit_steps(versions: Iterable[Version]) -> Iterator[tuple[UnitChange, bool]]:
    last: dict | None = None
    for version in versions:
        data = version.data if not version.deleted and isinstance(version.data, dict) else None
        if data is None:
            continue
        if last is not None and not version.commit.boundary:
            before, after = kpi_unit(last), kpi_unit(data)
            if before is not None and after is not None and not same_unit(before, after):
                yield UnitChange(version.commit, before, after, unit_factor(last, data)), kpi_measured_anew(last, data)
        last = data


def unit_factor(was: dict, now: dict) -> float | None:
    """What a number of a KPI in the unit of its version ``was`` is multiplied by to be in the unit of
    ``now``: 1 in the same unit; a span of time converted (ms → s: 0.001); else the ratio of its target,
    or of its threshold, written as numbers in both (700 → 0.7 with `USD` → `kUSD`). None: not known."""
    before, after = kpi_unit(was), kpi_unit(now)
    if before is None or after is None or same_unit(before, after):
        return 1.0
    known = convert(1.0, before, after)
    if known is not None:
        return known
    for key in ("target", "threshold"):
        old, new = was.get(key), now.get(key)
        if _number(old) and _number(new) and old != 0 and new != 0:
            return float(new) / float(old)
    return None


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def factor_between(steps: Iterable[UnitChange], earlier: Commit, later: Commit) -> float | None:
    """What a KPI's number written by ``earlier`` is multiplied by to be in the unit of ``later``: the
    changes of unit between them (unit_steps), each converted; 1 with none. None when ``later`` is
    itself a change of unit okrsite cannot convert (`customers` → `accounts`): its numbers may be
    written anew in it; one such change before ``later`` counts as none (review: a value rewritten a
    year after a unit was renamed is a correction)."""
    factor = 1.0
    for step in steps:
        if in_order(earlier) < in_order(step.commit) <= in_order(later):
            if step.factor is None:
                if in_order(step.commit) == in_order(later):
                    return None
                continue
            factor *= step.factor
    return factor


def converted_value(old: float, new: float, factor: float | None) -> bool:
    """Whether ``new`` is ``old`` written anew in another unit (``factor``: factor_between): 800 ms and
    0.8 s. A number written anew across a change of unit okrsite cannot convert is taken as converted."""
    if factor is None:
        return True
    return factor != 1.0 and math.isclose(old * factor, new, rel_tol=1e-9, abs_tol=1e-12)


def in_force(item: dict, day: date, points: Mapping[date, DataPoint]) -> float | None:
    """The value the merged history holds on ``day`` before a commit of that day: the latest entry
    written in this version's `history:` dated on or before it, unless a check-in from git is later
    (on the same date the written entry wins, as in merge_points)."""
    rows = dated_rows(item.get("history"))
    written = max((when for when in rows if when <= day), default=None)
    checked = max((when for when in points if when <= day), default=None)
    if checked is not None and (written is None or checked > written):
        return points[checked].value
    return rows[written] if written else None


def rolled_out(before: Mapping[date, float], after: Mapping[date, float]) -> list[date]:
    """The days a rolling-window export dropped: removed in a version that wrote a new day, all older
    than every day left. Their values are kept from the history (kpi_log); any other removal is not."""
    dropped = [day for day in before if day not in after]
    if dropped and after and max(dropped) < min(after) and any(day not in before for day in after):
        return dropped
    return []


def kpi_log(kpi: KPI, inline: Iterable[Version], csv: Iterable[Version]) -> KPILog:
    """Merge the KPI file's and its CSV file's versions in commit order; a changed row is a check-in.

    Some people keep only the latest values in the file (a rolling window) and overwrite them: values
    removed in a commit that wrote a new one, all older than every value left, were replaced, and
    the chart keeps them. Any other removal (a mistake fixed, a date corrected) stays gone.
    """
    inline = tuple(inline)
    timeline = sorted([(v, inline_rows) for v in inline] + [(v, csv_rows) for v in csv], key=lambda pair: (pair[0].commit.seq, pair[0].commit.when))
    last: dict[Any, dict[date, float]] = {}
    recorded: dict[date, Commit] = {}
    notes: dict[date, str] = {}
    writes: dict[date, list[tuple[date, DataPoint]]] = defaultdict(list)  # each value as each commit wrote it
    replaced: dict[date, tuple[tuple[date, DataPoint], ...]] = {}
    corrected: dict[date, Commit] = {}
    added: dict[date, Commit] = {}
    written: dict[date, Commit] = {}  # the commit that last wrote each value, a shallow clone's oldest one included
    changes: list[Commit] = []
    titled: tuple[str, ...] = ()  # the KPI's title as its file stood at the version read
    marked = tuple(_unit_steps(inline))
    steps = tuple(step for step, _ in marked)
    for version, rows_of in timeline:
        if rows_of is inline_rows and isinstance(version.data, dict):
            titled = _title_then(version.data)
        rows = rows_of(version.data) if not version.deleted else {}
        if rows is None:
            continue
        existed, before = rows_of in last, last.get(rows_of, {})
        changed = [day for day, value in rows.items() if before.get(day) != value]
        last[rows_of] = rows
        dropped = rolled_out(before, rows)
        if dropped:
            for day in dropped:
                replaced[day] = tuple(writes[day]) or ((date.min, DataPoint(day, before[day], source="git")),)
        if version.commit.boundary:
            for day in changed:
                writes[day] = [(date.min, DataPoint(day, rows[day], source="git"))]
                written[day] = version.commit
            continue
        converted = [day for day in changed if writes[day] and day in written
                     and converted_value(writes[day][-1][1].value, rows[day], factor_between(steps, written[day], version.commit))]
        if not (changed or rows.keys() != before.keys()):
            continue
        for day in converted:  # the same value in the unit since: no check-in, no correction
            writes[day].append((version.commit.day, replace(writes[day][-1][1], value=rows[day])))
            written[day] = version.commit
        checked = [day for day in changed if day not in converted]
        note = kpi_note(version.commit, *titled, kpi.title) if len(checked) == 1 and existed else ""  # why one number moved: not a file made, nor an import of many
        for day in checked:
            if writes[day] and writes[day][-1][1].value != rows[day]:
                corrected[day] = version.commit
            elif not writes[day]:
                added[day] = version.commit
            recorded[day] = written[day] = version.commit
            notes[day] = note
            writes[day].append((version.commit.day, DataPoint(day, rows[day], note, source="git", commit=version.commit.short, author=version.commit.author)))
        if (checked or rows.keys() != before.keys()) and (not changes or changes[-1] is not version.commit):
            changes.append(version.commit)
    return KPILog(tuple(changes), recorded, {day: note for day, note in notes.items() if note},
                  tuple(write for day in sorted(replaced) for write in replaced[day]), definitions(inline), tuple(step for step, anew in marked if anew), corrected,
                  {day: commit for day, commit in written.items() if not commit.boundary}, added)


def kpi_note(commit: Commit, *titles: str) -> str:
    """The note of the one value of a KPI that ``commit`` recorded: its message's body, as a key result's
    check-in has it (note_for: the items of a list in it that name the KPI by its title then, else now)."""
    return note_for(commit.body, *titles) if commit.body else ""


_JUDGED_BY = ("target", "threshold", "direction", "unit", "health")  # the keys a KPI's definition is read from


def definitions(versions: Iterable[Version]) -> tuple[tuple[Commit, Mapping[str, Any] | None], ...]:
    """What the KPI's health was judged by as each version of its file left it (see KPILog), each read
    once: a version that wrote the same keys for it as the one before (a new value) shares its reading."""
    found: list[tuple[Commit, Mapping[str, Any] | None]] = []
    read: dict[Any, Mapping[str, Any] | None] = {}
    for version in versions:
        data = None if version.deleted or not isinstance(version.data, dict) else version.data
        key = None if data is None else repr([data.get(name) for name in _JUDGED_BY])
        if key not in read:
            read[key] = None if data is None else kpi_definition(data, version.path)
        found.append((version.commit, read[key]))
    return tuple(found)


def inline_rows(data: Any) -> dict[date, float] | None:
    values = data.get("values") if isinstance(data, dict) else None
    if values is None:
        return {} if isinstance(data, dict) else None
    return dated_rows(values)


def dated_rows(entries: Any) -> dict[date, float]:
    """The readable `{date, value}` entries of a list as written in a version (a KPI's `values:`, a
    key result's `history:`); anything else is skipped."""
    rows = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            day, value = to_date(entry.get("date")), entry.get("value")
            if day is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
                rows[day] = float(value)
    return rows


def csv_rows(data: Any) -> dict[date, float] | None:
    if not isinstance(data, tuple):
        return None
    rows = {}
    for text_date, text_value in data:
        day = to_date(text_date)
        try:
            value = float(text_value)
        except ValueError:
            continue
        if day is not None:
            rows[day] = value
    return rows


def merge_points(written: tuple[DataPoint, ...], from_git: tuple[DataPoint, ...]) -> tuple[DataPoint, ...]:
    """Check-ins from the file and from git, by date; on the same date the one written in the file wins."""
    if not from_git:
        return written
    days = {p.date for p in written}
    return tuple(sorted(written + tuple(p for p in from_git if p.date not in days), key=lambda p: p.date))
