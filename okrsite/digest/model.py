"""The digest's content: what changed in a window of days, as true differences.

The site is built twice with the pipeline's own functions (`check_site`): as it stood at the end of
the day before the window, and as of the window's last day. In git, the end is the last main-line
commit dated by then and the start the last one before the window's first commit, each checked out
apart (`git.snapshot.window_commits`), so a `current:` edited in the window is a change and one
edited after it is not. Everything listed is a difference between those two builds: no line
is guessed from commit messages.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from ..build import Checked, check_site
from ..goals.config import AUDIENCES, Settings, load_settings, shown_as_of
from ..goals.diagnostics import Report
from ..goals.formats import clean_text, round_grade
from ..goals.model import KPI, DataPoint, KeyResult, Objective, ObjectiveNames, Site, title_order
from ..goals.periods import no_such_day, to_date
from ..goals.repository import Loaded, load_site
from ..goals.wikilinks import Hidden, unlinked
from ..git.changes import PRIVATE_PARENT, Secrets, confided, recorded_in
from ..git.checkins import converted_value, kpi_measured_anew, measured_anew, pair_items, same_unit, unit_factor
from ..git.history import History, Version, out_of_order, read_history_from, readable_versions, refusal
from ..git.read import FETCH_ALL, history_paths, unknown_confidential
from ..git.snapshot import checked_out, head_commit, main_line_back_from, main_line_until, window_commits
from ..numbers.awaited import Awaited, no_longer_to_come
from ..numbers.compute import SETTLED, AddedLate, KPIState, KRScore, ObjectiveScore, Rollup, counted_from, days_quiet
from ..numbers.forecast import ObjectiveForecast, follows_kpi, scoring
from ..web.audience import public_scores, public_site
from ..web.render import absolute

ALL, NO_NUMBERS, NOTHING = "all", "no-numbers", "nothing"
BEHIND = ("at-risk", "off-track")  # a status, or a forecast, that misses
MAX_DAYS = 3660
_RELATIVE = re.compile(r"^(\d{1,5})([dw])$")


WRONG_WINDOW, HISTORY_TOO_SHORT, HISTORY_UNREAD = 2, 3, 4  # the exit codes of `okrsite digest` (docs/digest.md)


class DigestError(Exception):
    def __init__(self, message: str, hint: str, code: int = WRONG_WINDOW) -> None:
        super().__init__(message)
        self.message, self.hint, self.code = message, hint, code


@dataclass(frozen=True)
class Window:
    since: date  # the first day of the window
    until: date  # its last day: the as-of date

    @property
    def before(self) -> date:
        """The day the window is compared with: the last one before it."""
        return self.since - timedelta(days=1)

    def __contains__(self, day: date) -> bool:
        return self.since <= day <= self.until


def window(since: str | None, until: date) -> Window:
    """`--since`: a date (the window's first day) or a number of days or weeks ending with the as-of
    date: 7d (the default) is the as-of date and the 6 days before it, so weekly digests neither
    overlap nor leave a gap."""
    text = (since or "7d").strip()
    relative = _RELATIVE.match(text.lower())
    try:
        if relative:
            days = int(relative[1]) * (7 if relative[2] == "w" else 1)
            if not 1 <= days <= MAX_DAYS:
                raise DigestError(f"--since {text} is not a window of 1 to {MAX_DAYS} days", "write 7d for a week, 2w for two weeks, or a date")
            first = until - timedelta(days=days - 1)
        else:
            first = to_date(text)
            if first is None:
                raise ValueError(text)
    except ValueError:
        why, hint = no_such_day(text) or ("", "")  # a day its month has not: said as --as-of says it
        if why:
            raise DigestError(f"--since '{text}' is not a date: {why}", hint) from None
        raise DigestError(f"--since '{text}' is neither a date nor a number of days", "write a date like 2026-11-16, or 7d for the last 7 days (2w: two weeks)") from None
    except OverflowError:
        first = date.min
    if first == date.min:  # a window is told against the day before it, and the calendar has none before 0001-01-01
        earliest = date.min + timedelta(days=1)
        raise DigestError(f"--since {text} reaches back to the first day of the year 1: a digest compares its window with the day before it",
                          f"give a first day from {earliest} on" + (f", or a window of at most {(until - earliest).days + 1} days" if until >= earliest else ", and a later --as-of"))
    if first > until:
        raise DigestError(f"--since {first} is after the as-of date {until}", "give a first day on or before the as-of date, or a later --as-of")
    return Window(first, until)


def disclosure(audience: str, site: Site, item: Objective | KeyResult | KPI, objective: Objective | None = None) -> str:
    """What ``audience`` may see of an objective, a key result (of ``objective``) or a KPI: ALL,
    NO_NUMBERS (its title, owner, status, health and progress, never a value: SPEC §14) or NOTHING
    (a private objective). Every such decision of the digest is made here, and only here."""
    if audience != "public":
        return ALL
    if isinstance(item, KPI):
        return NO_NUMBERS if item.confidential else ALL
    if isinstance(item, KeyResult):
        held = disclosure(audience, site, objective) if objective is not None else ALL
        return NO_NUMBERS if held == ALL and item.confidential else held
    if item.private:
        return NOTHING
    return NO_NUMBERS if item.confidential else ALL


def public_secrets(audience: str, end: Checked) -> Secrets | None:
    """For the public, what the site's one rule withholds (Secrets): the check-ins of key results made
    while they were not public, and the values of KPIs recorded while they were confidential."""
    if audience != "public" or end.history is None:
        return None
    return Secrets.of(end.loaded.site, end.history)


def notes_shown(audience: str) -> bool:
    """Whether check-in notes (commit message bodies, `note:` of history entries) may be shown. Not to
    the public: a note is free text, and one commit's note may name a confidential number."""
    return audience != "public"


_STRICTNESS = (ALL, NO_NUMBERS, NOTHING)


def verdicts(audience: str, versions: Iterable[Site], current: Secrets | None = None,
             read: Iterable[tuple[Site, History | None]] = ()) -> dict[tuple[str, ...], str]:
    """The strictest `disclosure` of each objective, key result and KPI over several versions of the
    goals (the window's ends and the files now): one made confidential today is hidden in a digest
    of last month too. ``read``: the window's ends with the history each was read with, whose items
    are also judged by what they are now under whatever name (secret_now, ``current``: the public
    site's Secrets of the goals now). Keys: ("objective", id), ("kr", objective id, kr id), ("kpi", id)."""
    found: dict[tuple[str, ...], str] = {}

    def keep(key: tuple[str, ...], level: str) -> None:
        found[key] = max(found.get(key, ALL), level, key=_STRICTNESS.index)

    for site in versions:
        for o in site.objectives.values():
            keep(("objective", o.id), disclosure(audience, site, o))
            for kr in o.key_results:
                keep(("kr", o.id, kr.id), disclosure(audience, site, kr, o))
        for k in site.kpis.values():
            keep(("kpi", k.id), disclosure(audience, site, k))
    if audience == "public" and current is not None:
        for site, history in read:
            for key, level in secret_now(current, site, history):
                keep(key, level)
    return found


def secret_now(current: Secrets, site: Site, history: History | None) -> Iterator[tuple[tuple[str, ...], str]]:
    """The objectives, key results and KPIs of a past version of the goals (``site``, read with
    ``history``) that are private or confidential now, followed as the public site follows them: a
    file by every path it had, a key result through each version of its file (renamed ids too)."""
    for o in site.objectives.values():
        if o.doc.path in current.private_paths_now:
            yield ("objective", o.id), NOTHING
            continue
        version = _last_version(history, o.doc.path)
        places = current.confidential_now.get((version.commit.hash, version.path), frozenset()) if version else frozenset()
        yield from ((("kr", o.id, kr.id), NO_NUMBERS) for kr in o.key_results if kr.index in places)
    for k in site.kpis.values():
        if k.doc.path in current.kpi_paths_now:
            yield ("kpi", k.id), NO_NUMBERS


def _last_version(history: History | None, path: str) -> Version | None:
    """The version of the file at ``path`` that a site read with ``history`` holds: its last commit's."""
    versions = history.of(path) if history is not None else ()
    return versions[-1] if versions and not versions[-1].deleted else None


def secrets_now(audience: str, root: Path, now: Loaded | None) -> Secrets | None:
    """For the public, the public site's Secrets of the goals now (``now``, when the window's end is
    another version of them): what is private or confidential today, by every name it had."""
    if audience != "public" or now is None or not now.settings.git_history:
        return None
    read = read_history_from(root, history_paths(now.site))
    _refuse_unread(audience, read.failed, read.history)
    return Secrets.of(now.site, read.history) if read.history is not None else None


def _refuse_unread(audience: str, failed: str | None, history: History | None, asked: Path | None = None) -> None:
    """Refuse a public digest (HISTORY_UNREAD) when a history it reads cannot tell which values were
    confidential when they were written (public_secrets, secrets_now): git ``failed`` while reading it
    (Checked.git_failed, HistoryRead.failed), it is a shallow clone's, or git will not give the history
    of the repository at ``asked`` (history.refusal: a partial clone, say; git.read.unknown_confidential).
    A public build is refused alike."""
    if audience != "public":
        return
    refused = refusal(asked) if asked is not None and history is None else None
    if unknown := unknown_confidential(failed, history, "digest", refused):
        raise DigestError(*unknown, HISTORY_UNREAD)


@dataclass(frozen=True)
class Ref:
    """An objective, KPI, team or person as the digest names it, with its page."""

    id: str
    title: str
    url: str  # relative to the site's root
    link: str | None  # absolute, when the site_url setting says where the site is published


@dataclass(frozen=True)
class CheckIn:
    date: date
    value: float | None  # None when the audience may not see it
    author: str | None
    note: str
    commit: str | None
    replaces: float | None = None  # a KPI value that took the place of another for the same date
    # a KPI value written anew for a date the window's start had another value of: said corrected, not new, to
    # every audience (the numbers only to those who see them), with the day of the commit that wrote it (None: not known)
    corrected: bool = False
    corrected_on: date | None = None


@dataclass(frozen=True)
class LateCorrection:
    """A finished period's KPI value that a key result following the KPI ends on, written anew in the
    window by a commit after the period ended (numbers.compute.corrected_after_end): it moved the grade."""

    date: date  # the value's date, inside the period
    on: date  # the day of the commit that wrote it anew
    period: str  # the period's id


@dataclass(frozen=True)
class LateAddition:
    """A finished period's KPI value dated inside it that a key result following the KPI ends on, first
    written in the window by a commit after the period ended (numbers.compute.value_added_after_end): it
    moved the final numbers. The month-end figure the period awaited is its expected arrival (``awaited``)."""

    date: date  # the value's date, inside the period
    on: date  # the day of the commit that first wrote it
    period: str  # the period's id
    awaited: str | None  # the month-end figure the period awaited that it is ("December 2026"), else None


@dataclass(frozen=True)
class AwaitedValue:
    """A month-end (quarter-end) KPI value that key results of a finished period still await
    (numbers.awaited): until it comes, their objective's grade is provisional, as the period's pages say."""

    kpi: Ref
    start: date  # the first and last day of the month (quarter) it is the value of
    end: date
    name: str  # that month or quarter: "December 2026", "2026-Q4"


@dataclass(frozen=True)
class NeverCame(AwaitedValue):
    """An awaited month-end KPI value that stopped being awaited without coming in
    (numbers.awaited.no_longer_to_come): the grade is final with the value counted instead."""

    why: str  # later (a value dated after it came) | stale (the KPI would be stale for that month) | retired | dashboard


@dataclass(frozen=True)
class KRMove:
    id: str
    title: str
    form: str  # numeric | binary | manual | guardrail
    unit: str | None
    number_format: str
    before: float | None  # its value at the window's start (None: new, or hidden from the audience)
    after: float | None
    progress_before: float | None
    progress_after: float | None  # None: a guardrail, which has no progress (SPEC §12), or one the audience may not see
    check_ins: tuple[CheckIn, ...]
    numbers: bool  # whether the audience sees its values
    kpi: str | None = None  # the KPI it follows, if it is linked to one
    # check-ins the window's start did not hold but dated before the window: commits that landed out of
    # date order (a wrong clock, a date set by hand), or a history: entry written in the window for an earlier day
    earlier: tuple[CheckIn, ...] = ()
    corrected_late: LateCorrection | None = None
    added_late: LateAddition | None = None

    @property
    def moved(self) -> float:
        return 0.0 if self.progress_after is None else abs(self.progress_after - (self.progress_before or 0.0))

    @property
    def authors(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.author for c in (*self.check_ins, *self.earlier) if c.author))


@dataclass(frozen=True)
class ObjectiveMoves:
    objective: Ref
    owner: str
    progress_before: float | None
    progress_after: float | None  # None: on a public digest, one that would give away a value of a key result's confidential time
    key_results: tuple[KRMove, ...]  # the biggest movers first

    @property
    def moved(self) -> float:
        return 0.0 if self.progress_after is None else abs(self.progress_after - (self.progress_before or 0.0))


@dataclass(frozen=True)
class KPIUpdate:
    kpi: Ref
    owner: str
    unit: str | None
    number_format: str
    before: float | None  # its latest value at the window's start (None: in another unit, see unit_before)
    after: float | None
    values: tuple[CheckIn, ...]  # the values recorded in the window, by date
    numbers: bool
    unit_before: str | None = None  # its unit at the window's start, when it was measured anew in another unit in the window
    before_date: date | None = None  # the date of its latest value at the window's start: a value new in the window dated before it fills in the past


@dataclass(frozen=True)
class StatusChange:
    objective: Ref
    owner: str
    change: str  # see CHANGES
    before: str | None  # None: the objective is new
    after: str | None  # None: it was removed
    source: str  # computed | manual
    progress: float | None
    grade: float | None = None  # once its period is over: the self-assessed score, else the final progress
    corrected_late: tuple[LateCorrection, ...] = ()  # of its key results, in the window: why a finished period's status moved
    awaiting: tuple[AwaitedValue, ...] = ()  # with a grade: the month-end KPI values it awaits at the window's end (a provisional grade)
    added_late: tuple[LateAddition, ...] = ()  # of its key results, in the window: a final value added after the period ended


@dataclass(frozen=True)
class Graded:
    """A finished period's objective whose owner graded it in the window (SPEC §13): its self-assessed
    `score:` set, changed or removed, or its `retro:` written, edited or removed; or whose provisional
    grade moved with month-end KPI values that came in (``came_in``), or stopped awaiting values that
    will not come (``never_came``), final once none is awaited. A grade is a progress, so a confidential
    objective's is said to the public, as its page shows it."""

    objective: Ref
    owner: str
    grade: float | None  # its grade at the window's end: the score, else the computed grade (None: one the audience may not see)
    score_before: float | None  # the self-assessed score at the window's start (None: none then)
    score: float | None  # at its end (None: none)
    computed_grade: float | None  # the final progress, two decimals (None: one the audience may not see)
    retro: str | None  # written | edited | removed: how its retro changed in the window (None: it did not)
    computed_before: float | None = None  # with came_in, the computed grade at the window's start (None: one the audience may not see)
    came_in: tuple[AwaitedValue, ...] = ()  # the month-end KPI values awaited at the window's start that came in during it
    awaiting: tuple[AwaitedValue, ...] = ()  # those still awaited at its end: the grade is provisional
    never_came: tuple[NeverCame, ...] = ()  # those awaited at the window's start that will not come (a later value came, stale, retired)


CHANGES = ("went-off-track", "went-at-risk", "missed", "improved", "recovered", "achieved", "new", "removed", "cancelled", "other")


@dataclass(frozen=True)
class ForecastMiss:
    objective: Ref
    owner: str
    progress: float  # the forecast progress at the period's end
    status: str  # at-risk | off-track
    before: str | None  # the forecast's status at the window's start (None: no forecast then)


@dataclass(frozen=True)
class DefinitionChange:
    """What a KPI's health is judged by, changed in the window (QA EE): its unit, target, threshold or
    direction, as at the window's start and at its end; a number in the unit it had then (None: one the
    audience may not see)."""

    key: str  # unit | target | threshold | direction
    before: float | str | None
    after: float | str | None


@dataclass(frozen=True)
class HealthChange:
    kpi: Ref
    owner: str
    before: str | None  # None: the KPI is new
    after: str
    source: str  # computed | manual
    value: float | None
    unit: str | None
    number_format: str
    definition_changes: tuple[DefinitionChange, ...] = ()  # a computed health judged by another definition at the end


@dataclass(frozen=True)
class StaleItem:
    ref: Ref
    kind: str  # objective | kpi
    days: int | None  # since its numbers last changed (an objective) or its latest value's date (a KPI); health_set: since that day
    counted_from: str | None = None  # an objective's period whose first day the days count from: it was quiet before it began
    health_set: date | None = None  # a KPI stale by the health its owner set by hand that day, no value since (KPIState.health_stale)


@dataclass(frozen=True)
class Owner:
    """Someone to nudge: a team (with its lead) or a person, and what of theirs is stale."""

    ref: Ref
    kind: str  # team | person
    lead: str | None
    items: tuple[StaleItem, ...]


@dataclass(frozen=True)
class Digest:
    title: str
    window: Window
    audience: str
    site_url: str | None
    check_ins: tuple[ObjectiveMoves, ...]
    kpi_updates: tuple[KPIUpdate, ...]
    status_changes: tuple[StatusChange, ...]
    forecast_misses: tuple[ForecastMiss, ...]
    health_changes: tuple[HealthChange, ...]
    stale: tuple[Owner, ...]
    notes: tuple[str, ...] = ()
    graded: tuple[Graded, ...] = ()
    final_periods: tuple[str, ...] = ()  # whose grades became final in the window: their last month-end KPI values came in, or will not

    @property
    def changed(self) -> bool:
        """Whether anything changed in the window (stale items are no change: time alone makes them)."""
        return bool(self.check_ins or self.kpi_updates or self.status_changes or self.graded or self.forecast_misses or self.health_changes
                    or self.final_periods)


@dataclass
class DigestResult:
    report: Report  # the problems of the site as of the window's end: errors mean no digest
    digest: Digest | None
    window: Window | None = None  # the window asked for: the report is of the goals on its last day
    end_commit: str | None = None  # the commit whose files that end read, when not the files here (they may be fixed since)


def make_digest(root: Path, since: str | None = None, as_of: date | None = None, audience: str | None = None) -> DigestResult:
    """The digest of the window ``since`` (a date, or 7d) up to ``as_of`` (default: the site's as-of
    date, else today), for ``audience`` (default: the site's audience setting). DigestError for a
    window that is not one, or a public digest whose history cannot tell what was confidential (git failed
    while reading it or will not give it, a shallow clone); site errors are in the report."""
    root = Path(root)
    settings = load_settings(root, Report())
    audience = audience or settings.audience
    if audience not in AUDIENCES:
        raise DigestError(f"unknown audience '{audience}'", "use internal or public")
    span = window(since, shown_as_of(as_of, settings.as_of))
    with ExitStack() as stack:
        use_git = settings.git_history
        first, last = window_commits(root, span.before, span.until) if use_git else (None, None)
        end, end_root = _built_on(root, span.until, last, audience, stack)
        _refuse_unread(audience, end.git_failed, end.read, root if use_git else None)
        if end.loaded.report.errors or end.scores is None:
            return DigestResult(end.report, None, span, last if end_root != root else None)
        if end.history is not None:
            reaches_back(end.history, span)
        start, notes, start_commit = _start_of(root, end_root, span, use_git, first, audience, stack)
        _refuse_unread(audience, start.git_failed, start.read)
        now = load_site(root, span.until) if end_root != root and audience != "internal" else None
        versions = (start.loaded.site, end.loaded.site) + ((now.site,) if now and not now.report.errors else ())
        start_commits = main_line_until(root, start_commit) if start_commit is not None else frozenset()
        notes += _out_of_order_notes(end.history, start_commits)
        return DigestResult(end.report, _compare(start, end, span, audience, versions, notes, start_commits, now.site if now else None,
                                                 secrets_now(audience, root, now)))


def _out_of_order_notes(history: History | None, start_commits: frozenset[str]) -> tuple[str, ...]:
    """What a reader needs to know of commits that landed out of date order between the window's ends
    (git.history.out_of_order; `okrsite check` names them too): the start is the goals as committed
    before the window's first dated commit, so the check-ins of those that landed after it, dated
    before the window, are said apart, and the progress at the start is of those goals."""
    if history is None or not start_commits:
        return ()
    notes = []
    for found in out_of_order(history):
        if found.commit.hash in start_commits and found.other.hash in start_commits:
            continue
        first, then = (found.commit, found.other) if found.ahead else (found.other, found.commit)
        why = "a wrong clock?" if found.ahead else "a wrong clock, or a date set by hand?"
        notes.append(f"Commit {first.short} is dated {first.day} but landed before {then.short}, dated {then.day} ({why}): this "
                     "digest compares with the goals as committed before the window's first dated commit, and says the check-ins "
                     "that landed after it but are dated before the window apart (\"dated before the window\").")
    return tuple(notes)


def _built_on(root: Path, day: date, commit: str | None, audience: str, stack: ExitStack) -> tuple[Checked, Path]:
    """The site as of the window's end, checked for the digest's ``audience`` (not the setting's: an internal
    digest of a shallow clone whose setting is public has no public site's errors), and its root: the files
    here, unless commits dated after ``day`` landed after the last one dated by then, ``commit`` (then the
    files of that one)."""
    if commit is not None and commit != head_commit(root):
        folder = stack.enter_context(checked_out(root, commit))
        if folder is not None:
            return check_site(folder, day, audience), folder
    return check_site(root, day, audience), root


def _start_of(root: Path, end_root: Path, span: Window, use_git: bool, commit: str | None, audience: str,
              stack: ExitStack) -> tuple[Checked, tuple[str, ...], str | None]:
    """The site at the window's start (checked for ``audience``, as _built_on), with the commit whose files
    it is: the files of ``commit``, the last one before the window's first commit
    (git.snapshot.window_commits; never uncommitted edits).
    When those goals have errors, the last commit before it whose goals read without any, as a
    re-scope is read (git.history.readable_versions): a broken commit fixed the next day neither
    starts nor ends a change (QA DN). Without one, the end's files seen as of that day: only what is
    dated inside the window then differs, which a note says."""
    before = span.before
    if commit is not None:
        tried = islice(main_line_back_from(root, commit), _STARTS_TRIED)
        found = next(readable_versions(tried, lambda version: _readable_start(root, version[0], before, audience, stack)), None)
        if found is not None:
            (used, day), start = found
            notes = () if used == commit else (f"Compared with the goals as committed on {day}, the last that read without errors before "
                                               f"the window (the goals as committed by {before} have errors).",)
            return start, notes, used
        why = f"the goals as committed by {before} have errors"
    elif use_git and head_commit(root) is not None:
        why = f"nothing was committed before {span.since}"
    else:
        why = (refusal(root) if use_git else None) or "no git history"
    note = f"Compared with the goals as they are now, seen as of {before} ({why}): a value changed in place in the window is not seen."
    return check_site(end_root, before, audience), (note,), None


_STARTS_TRIED = 20  # the commits back a digest's start looks for goals that read without errors


def _readable_start(root: Path, commit: str, before: date, audience: str, stack: ExitStack) -> Checked | None:
    """The site as ``commit`` left it, seen as of ``before``; None when it cannot be checked out or
    has errors (its checkout is removed then, kept with the digest's otherwise)."""
    with ExitStack() as attempt:
        folder = attempt.enter_context(checked_out(root, commit))
        start = check_site(folder, before, audience) if folder is not None else None
        if start is None or start.scores is None or start.loaded.report.errors:
            return None
        stack.push(attempt.pop_all())
        return start


def reaches_back(history: History, span: Window) -> None:
    """Refuse a window that a shallow clone does not reach back before (HISTORY_TOO_SHORT): its oldest
    commit is no check-in (what it changed is unknown), so its day is not covered, and a digest
    compares the goals as committed by the day before the window. Its numbers would be wrong, not short."""
    oldest = history.commits[-1] if history.commits else None
    if not history.shallow or oldest is None or not oldest.boundary or oldest.day < span.since:
        return
    raise DigestError(f"this shallow clone's history starts on {oldest.day}, so it cannot tell what changed from {span.since} to {span.until}: "
                      f"a digest compares the goals with those committed by {span.before}, and a shallow clone's oldest commit is no check-in",
                      f"fetch more history: git fetch --unshallow, or fetch-depth: 0 in actions/checkout, GIT_DEPTH: \"0\" in GitLab CI; "
                      f"or at least one commit before {span.since}: git fetch --shallow-since={span.since}T00:00:00Z && git fetch --deepen=1",
                      HISTORY_TOO_SHORT)


@dataclass(frozen=True)
class _Sides:
    start: Checked
    end: Checked
    span: Window
    verdicts: Mapping[tuple[str, ...], str]  # see verdicts()
    notes: bool  # see notes_shown()
    secrets: Secrets | None  # see public_secrets()
    start_commits: frozenset[str] = frozenset()  # the main line up to the window's start, when that side is its commit (counterparts)
    now: Site | None = None  # the goals as they are now, when the window's end is another version of them
    public: bool = False  # for the public audience
    current: Secrets | None = None  # the public site's Secrets of the goals now (secrets_now)

    @property
    def site(self) -> Site:
        return self.end.loaded.site

    @property
    def settings(self) -> Settings:
        return self.end.loaded.settings

    @property
    def was(self) -> Site:
        return self.start.loaded.site

    @cached_property
    def counterparts(self) -> Mapping[str, str | None]:
        """Of each objective and KPI of the end whose id at the window's start was another, or which was
        not there yet, that id (None: new). git follows each file (the changes page says "moved to"): a
        file renamed in the window, its id going with its name, is the same goal, not one removed and
        one new with its old values "recorded this week"; a new file given a name another had before is
        new, not that one. By id alone where git cannot tell (no history, a file not committed, a
        shallow clone's oldest commit)."""
        history = self.end.history
        if history is None or not self.start_commits:
            return {}
        found: dict[str, str | None] = {}
        for now, then in ((self.site.objectives, self.was.objectives), (self.site.kpis, self.was.kpis)):
            by_path = {entity.doc.path: ident for ident, entity in then.items()}
            for ident, entity in now.items():
                versions = history.of(entity.doc.path)
                earlier = [v for v in versions if v.commit.hash in self.start_commits]
                if earlier:
                    was = None if earlier[-1].deleted else by_path.get(earlier[-1].path)
                elif versions and not versions[0].commit.boundary:
                    was = None  # its file was made in the window
                else:
                    continue
                if was != ident:
                    found[ident] = was
        return found

    def then(self, ident: str) -> str | None:
        """The id an objective or KPI of the end had at the window's start (None: it is new; see counterparts)."""
        return self.counterparts.get(ident, ident)

    def objective_then(self, ident: str, removed: bool = False) -> ObjectiveScore | None:
        """The score at the window's start of the end's objective ``ident`` (see counterparts); ``removed``:
        of the start's own objective of that id, one gone since (its id may be a new goal's now)."""
        scores = self.start.scores.objectives if self.start.scores else {}
        return scores.get(ident if removed else self.then(ident))

    def kpi_then(self, ident: str) -> KPIState | None:
        """The state at the window's start of the end's KPI ``ident`` (see counterparts)."""
        return (self.start.scores.kpis if self.start.scores else {}).get(self.then(ident))

    def kpi_was(self, ident: str) -> KPI | None:
        """The end's KPI ``ident`` as the goals at the window's start defined it (see counterparts)."""
        then = self.then(ident)
        return self.was.kpis.get(then) if then is not None else None

    def kpi_measured_anew(self, ident: str) -> bool:
        """Whether the end's KPI ``ident`` was measured anew in another unit in the window (git.checkins.kpi_measured_anew):
        a value at its start is a number of another unit than one at its end."""
        was, now = self.kpi_was(ident), self.site.kpis.get(ident)
        return was is not None and now is not None and kpi_measured_anew(_kpi_measure(was), _kpi_measure(now))

    def open_now(self, o: Objective, kr: KeyResult) -> bool:
        """Whether a key result of the end's ``o`` is public in the goals as they are now, so the public
        site shows (or, after its next check-in, will show) its start and target: with them, a progress
        of its confidential time gives its value then; those of a private objective never show. One gone
        since is judged as the end has it."""
        now = self.now if self.now is not None else self.site
        current = now.objectives.get(o.id)
        place = _paired_key_results(o, current).get(kr.index) if current is not None else None
        if place is None:
            return not (o.private or kr.confidential)
        return not (current.private or current.key_results[place].confidential)

    def show(self, item: Objective | KeyResult | KPI, objective: Objective | None = None) -> str:
        """What the audience may see of an item (see verdicts)."""
        if isinstance(item, KeyResult):
            key = ("kr", objective.id, item.id)
        else:
            key = ("kpi" if isinstance(item, KPI) else "objective", item.id)
        return self.verdicts.get(key, ALL)

    @cached_property
    def hidden(self) -> frozenset[str]:
        """Ids of the objectives the audience may not see at all (private, for the public)."""
        return frozenset(key[1] for key, level in self.verdicts.items() if key[0] == "objective" and level == NOTHING)

    @cached_property
    def hidden_names(self) -> Hidden:
        """The hidden objectives as a text may name them: by id, or a Markdown link by their files' names."""
        known = [s for s in (self.secrets, self.current) if s is not None]
        return Hidden.of(self.hidden.union(*(s.private_ids for s in known)), frozenset().union(*(s.private_files for s in known)))

    def title(self, text: str) -> str:
        """A title as the audience may read it: a `[[link]]` in it to a hidden objective says "a private objective"."""
        return plain(unlinked(text, self.hidden_names, PRIVATE_PARENT))

    @cached_property
    def forecasts(self) -> Mapping[str, ObjectiveForecast | None]:
        """Each objective's forecast as the audience's site shows it: on a public one, made from its key
        results' public forecasts, without the check-ins of their confidential time, and a roll-up's
        without its private children's (public_scores)."""
        scores = self.end.scores
        if not self.public:
            return {ident: score.forecast for ident, score in scores.objectives.items()}
        public = public_scores(self.site, public_site(self.site, scores.objectives), scores, confided=self.confided,
                               kpi_commits=self.secrets.kpi_commits if self.secrets else {}, settings=self.settings)
        return {ident: score.forecast for ident, score in public.objectives.items()}

    @cached_property
    def progress_withheld(self) -> frozenset[str]:
        """Ids of the objectives whose progress at the window's end the audience may not see (_withheld_progresses)."""
        return _withheld_progresses(self)

    @property
    def confided(self) -> Mapping[str, Mapping[int, frozenset]]:
        return self.secrets.check_ins if self.secrets else {}

    def kpi_hidden(self, ident: str) -> frozenset[str]:
        """The commits in which a KPI public now was confidential: the values they recorded stay unsaid."""
        return self.secrets.kpi_commits.get(ident, frozenset()) if self.secrets else frozenset()

    def unit(self, text: str | None) -> str | None:
        """A unit as the audience may read it: a `[[link]]` in it to a hidden objective says "a private objective"."""
        return unlinked(text, self.hidden_names, PRIVATE_PARENT) if text else text

    @cached_property
    def names(self) -> ObjectiveNames:
        """Objectives named among those the audience sees: a follower has its forerunner's title."""
        return ObjectiveNames(o for o in self.site.objectives.values() if o.id not in self.hidden)

    def objective(self, o: Objective) -> Ref:
        """An objective as the digest names it: with its period when another objective has its title."""
        return self.ref(o.id, self.names(o.title, o.period.id if o.period else None, o.id), o.url)

    def ref(self, ident: str, title: str, url: str) -> Ref:
        return Ref(ident, self.title(title), url, absolute(self.settings, url) if self.settings.site_url else None)

    def owner(self, name: str) -> str:
        """An owner as people know it: a team's title, else the person's name."""
        team = self.site.teams.get(name)
        return self.title(team.title if team is not None else name)

    def number_format(self, item) -> str:
        linked = self.site.kpis.get(getattr(item, "kpi", None) or "")
        return item.number_format or (linked.number_format if linked else None) or self.settings.number_format

    @cached_property
    def rollups(self) -> tuple[Rollup, Rollup | None]:
        """What the roll-ups count at the window's end, and at its start."""
        start = self.start.scores
        return Rollup.of(self.site, self.end.scores.objectives), Rollup.of(self.was, start.objectives) if start else None

    def awaited(self, ident: str, at_start: bool = False) -> dict[tuple[str, date], Awaited]:
        """The month-end KPI values the progress of the end's objective ``ident`` awaits at the window's end
        (or ``at_start``), by KPI and month: a roll-up's, those of the objectives it counts that the
        audience sees (Rollup.awaited, as the audience's pages count them)."""
        end, start = self.rollups
        if not at_start:
            return _by_month(end.awaited(ident, _key_results(self.end.scores.objectives), self.hidden))
        then = self.then(ident)
        if start is None or then not in self.was.objectives:
            return {}
        return _by_month(start.awaited(then, _key_results(self.start.scores.objectives), self.hidden))

    def unsettled(self, rollup: Rollup, scores: Mapping[str, ObjectiveScore], ident: str) -> bool:
        """Whether objective ``ident`` keeps its period provisional (ObjectiveScore.unsettled) as the
        audience sees it: a roll-up's grade awaits only what the objectives it counts that it sees await."""
        score = scores[ident]
        if score.awaited and self.hidden:
            score = replace(score, awaited=rollup.awaited(ident, _key_results(scores), self.hidden))
        return score.unsettled

    def awaiting(self, found: Iterable[Awaited]) -> tuple[AwaitedValue, ...]:
        """Awaited KPI values as the digest says them, by month, then by their KPIs' titles."""
        return _by_month_and_title(self.awaited_value(a) for a in found)

    def never_came(self, found: Iterable[tuple[Awaited, str]]) -> tuple[NeverCame, ...]:
        """Awaited KPI values that will not come, each with why (_never_came), in the order of ``awaiting``."""
        return _by_month_and_title(NeverCame(**vars(self.awaited_value(a)), why=why) for a, why in found)

    def awaited_value(self, a: Awaited) -> AwaitedValue:
        k = self.site.kpis.get(a.kpi) or self.was.kpis[a.kpi]
        return AwaitedValue(self.ref(k.id, k.title, k.url), a.start, a.end, a.awaited_name)


def _by_month_and_title(values: Iterable[AwaitedValue]) -> tuple:
    return tuple(sorted(values, key=lambda v: (v.start, title_order(v.kpi.title))))


def plain(text: object) -> str:
    """One line of text: a title with a line break written in it is still one line in a chat."""
    return " ".join(clean_text(text).split())


def _compare(start: Checked, end: Checked, span: Window, audience: str, versions: Iterable[Site], notes: tuple[str, ...],
             start_commits: frozenset[str] = frozenset(), now: Site | None = None, current: Secrets | None = None) -> Digest:
    """``current``: the Secrets of the goals now, when the window's end is another version of them
    (else the end's own, whose history is the whole of it)."""
    secrets = public_secrets(audience, end)
    current = current if current is not None else secrets
    read = ((start.loaded.site, start.history), (end.loaded.site, end.history))
    sides = _Sides(start, end, span, verdicts(audience, versions, current, read), notes_shown(audience), secrets, start_commits, now,
                   audience == "public", current)
    settings, graded = sides.settings, _graded(sides)
    return Digest(
        settings.title, span, audience, settings.site_url, _check_ins(sides), _kpi_updates(sides),
        _status_changes(sides, frozenset(g.objective.id for g in graded)), _forecast_misses(sides), _health_changes(sides), _stale(sides),
        notes + _forecasts_unknown(sides) + _freshness_unknown(sides), graded, _final_periods(sides),
    )


def _value(kr: KeyResult, score: KRScore) -> float | None:
    """The number a check-in moves: the value, done as 1 or 0, or the estimated progress."""
    return score.progress if kr.form == "manual" else score.current


def _check_ins(sides: _Sides) -> tuple[ObjectiveMoves, ...]:
    """Key results with check-ins dated in the window (new since its start), or whose value moved."""
    found = []
    for o in sides.site.objectives.values():
        if sides.show(o) == NOTHING:
            continue
        score, old, old_score = sides.end.scores.objectives[o.id], sides.was.objectives.get(sides.then(o.id)), sides.objective_then(o.id)
        was = _same_key_results(old, old_score, o) if old and old_score else {}
        moves, given_away = [], False
        for kr, s in zip(o.key_results, score.key_results):
            unseen = _value_unseen(sides, o, kr, s, was.get(kr.id))
            given_away = given_away or (unseen and sides.open_now(o, kr))
            if move := _move(sides, o, kr, s, was.get(kr.id), unseen):
                moves.append(move)
        if moves:
            moves.sort(key=lambda m: (-m.moved, title_order(m.title)))
            found.append(ObjectiveMoves(sides.objective(o), sides.owner(o.owner), old_score.progress if old_score and not given_away else None,
                                        None if o.id in sides.progress_withheld else score.progress, tuple(moves)))
    return tuple(sorted(found, key=lambda m: (-m.moved, -max(k.moved for k in m.key_results), title_order(m.objective.title))))


def _same_key_results(old: Objective, old_score: ObjectiveScore, o: Objective) -> dict[str, tuple[KeyResult, KRScore]]:
    """Each key result of ``o`` that was there at the window's start, by its id (_paired_key_results)."""
    before = list(zip(old.key_results, old_score.key_results))
    return {o.key_results[j].id: before[i] for i, j in _paired_key_results(old, o).items()}


def _paired_key_results(old: Objective, new: Objective) -> dict[int, int]:
    """The place in ``new`` of each key result of ``old`` still there: the same one as its history
    follows it (git.checkins.pair_items: its written id, else its title, else its place), so one added
    above the others takes no other's place (an id not written is its place: `grow-kr1`)."""
    def written(objective: Objective) -> list[dict]:
        return [{"id": kr.id if kr.id != f"{objective.id}-kr{kr.index + 1}" else None, "title": kr.title} for kr in objective.key_results]

    return {i: j for i, j in pair_items(written(old), written(new)) if i is not None and j is not None}


def _move(sides: _Sides, o: Objective, kr: KeyResult, score: KRScore, was: tuple[KeyResult, KRScore] | None,
          secret_before: bool) -> KRMove | None:
    """A key result's check-ins in the window. The commit that added it (a new file, carry-over's
    follower, a key result added to a file) is no check-in: its first version is the value it starts
    from, and only a commit that changes a number after it is one. Those the window's start did not
    hold although dated before the window (commits landed out of date order: its start is the commit
    before the first one dated inside it) are said apart, ``earlier``: its value moved with them, not
    "without a check-in". ``secret_before``: its value at the window's start is one the audience may
    not see (_value_unseen)."""
    seen = {(p.date, p.value) for p in was[1].history} if was else set()
    numbers = sides.show(kr, o) == ALL
    # a public key result's check-ins of its confidential time are left out, as its table leaves them out; a
    # confidential one's are said without numbers: who and when
    hidden = sides.confided.get(o.id, {}).get(kr.index, frozenset()) if not kr.confidential else frozenset()
    unseen = [p for p in score.history if (p.date, p.value) not in seen and not p.added and not confided(p, hidden)]
    new = [p for p in unseen if p.date in sides.span]
    earlier = [p for p in unseen if p.date < sides.span.since] if was else []
    before, after = (_value(*was) if was else None), _value(kr, score)
    if not new and (was is None or before == after):
        return None
    if was and (measured_anew(_measure(was[0]), _measure(kr)) or (kr.unit is None and kr.kpi and sides.kpi_measured_anew(kr.kpi))):
        before = None  # its value then is a number of another unit
    said_after = numbers and not (score.history and confided(score.history[-1], hidden))
    if kr.kpi and follows_kpi(kr) and (recorded := sides.kpi_hidden(kr.kpi)):  # a KPI's value recorded while it was confidential
        said_after = said_after and not recorded_in(_values(sides.end.scores.kpis.get(kr.kpi)), recorded)
    secret_after = _value_unseen_at_end(sides, o, kr, score)
    open_now = (secret_before or secret_after) and sides.open_now(o, kr)  # its start and target give a progress's value
    progressing = kr.form != "guardrail"
    return KRMove(
        kr.id, sides.title(kr.title), kr.form, sides.unit(score.unit), sides.number_format(kr), before if numbers and not secret_before else None,
        after if said_after else None, was[1].progress if was and not (secret_before and open_now) and progressing else None,
        score.progress if progressing and not (secret_after and open_now) else None,
        tuple(_check_in(p, numbers, sides.notes) for p in new), numbers, kr.kpi, tuple(_check_in(p, numbers, sides.notes) for p in earlier),
        _late_correction(sides, o, score.corrected_late), _late_addition(sides, o, score.added_late),
    )


def _late_correction(sides: _Sides, o: Objective, found: tuple[date, date] | None) -> LateCorrection | None:
    """A late correction of ``o``'s (KRScore.corrected_late: the value's date, the day it was written
    anew) made in the window: the page says it beside the key result, and a digest that shows the
    grade it moved says it too (QA EO 4)."""
    return LateCorrection(found[0], found[1], o.period.id) if found is not None and found[1] in sides.span else None


def _late_addition(sides: _Sides, o: Objective, found: AddedLate | None) -> LateAddition | None:
    """A value of ``o``'s period added late (KRScore.added_late) in the window, said as a late correction is."""
    return LateAddition(found.date, found.on, o.period.id, found.awaited) if found is not None and found.on in sides.span else None


def _late_additions(sides: _Sides, o: Objective, score: ObjectiveScore) -> tuple[LateAddition, ...]:
    """The values added late in the window of an objective's key results, each once (two may follow one KPI)."""
    return tuple(dict.fromkeys(a for s in score.key_results if (a := _late_addition(sides, o, s.added_late)) is not None))


def _late_corrections(sides: _Sides, o: Objective, score: ObjectiveScore) -> tuple[LateCorrection, ...]:
    """The late corrections made in the window of an objective's key results, and of a finished
    roll-up's children that it counts as they stood, deleted since or running on past its end
    (ObjectiveScore.deleted_corrected, counted_corrected: they have no status change of their own to
    say it), each once (two may follow one KPI)."""
    found = [s.corrected_late for s in score.key_results] + [c.corrected_late for c in (*score.deleted_corrected, *score.counted_corrected)]
    return tuple(dict.fromkeys(c for f in found if (c := _late_correction(sides, o, f)) is not None))


def _measure(kr: KeyResult) -> dict:
    """What says a key result's unit and scale, as a file writes them (git.checkins.measured_anew)."""
    return {"unit": kr.unit, "start": kr.start, "target": kr.target, "keep_above": kr.keep_above, "keep_below": kr.keep_below}


def _kpi_measure(k: KPI) -> dict:
    """What says a KPI's unit and scale (git.checkins.kpi_measured_anew)."""
    return {"unit": k.unit, "target": k.target, "threshold": k.threshold}


def _value_unseen(sides: _Sides, o: Objective, kr: KeyResult, score: KRScore, was: tuple[KeyResult, KRScore] | None) -> bool:
    """On a public digest, whether a key result's value at the window's start is one the public may
    not see (_unseen_on). Once its start and target are public (_Sides.open_now), its progress then
    (and its objective's, which it makes) is withheld too: the two give the value; while they are
    not, a confidential key result's progress is public (SPEC §14)."""
    kpi = sides.kpi_then(kr.kpi) if kr.kpi else None
    return was is not None and _unseen_on(sides, o, kr, score, was, sides.span.before, kpi)


def _value_unseen_at_end(sides: _Sides, o: Objective, kr: KeyResult, score: KRScore) -> bool:
    """The same of its value at the window's end: a window that ended while it was confidential."""
    kpi = sides.end.scores.kpis.get(kr.kpi) if kr.kpi else None
    return _unseen_on(sides, o, kr, score, (kr, score), sides.span.until, kpi)


def _unseen_on(sides: _Sides, o: Objective, kr: KeyResult, score: KRScore, then: tuple[KeyResult, KRScore], day: date,
               kpi: KPIState | None) -> bool:
    """Whether a key result's value on ``day`` (``then``: as the goals of that day have it) was written
    in its confidential time: it was confidential then (its own, its objective's or its KPI's
    `confidential:`), the value then is a check-in of that time (as the end's history, which knows
    every commit up to it, says), or its KPI's value (``kpi`` then) recorded while that was confidential."""
    if sides.secrets is None:
        return False
    if then[0].confidential:
        return True
    hidden = sides.confided.get(o.id, {}).get(kr.index, frozenset())
    known = [p for p in score.history if p.date <= day]
    if any(points and confided(points[-1], hidden) for points in (then[1].history, known)):
        return True
    recorded = sides.kpi_hidden(kr.kpi) if kr.kpi and follows_kpi(kr) else frozenset()
    return bool(recorded) and recorded_in(_values(kpi), recorded)


def _withheld_progresses(sides: _Sides) -> frozenset[str]:
    """The objectives whose progress at the window's end would give away a value of a key result
    public now that was written in its confidential time: one of its own, or, for a roll-up, of an
    objective it counts."""
    if sides.secrets is None:
        return frozenset()
    site, scores, rollup = sides.site, sides.end.scores.objectives, Rollup.of(sides.site, sides.end.scores.objectives)
    found = {o.id for o in site.objectives.values()
             if any(sides.open_now(o, kr) and _value_unseen_at_end(sides, o, kr, s) for kr, s in zip(o.key_results, scores[o.id].key_results))}
    grew = True
    while grew:  # up the roll-ups
        above = {o.id for o in site.objectives.values() if o.id not in found and not scoring(o.key_results)
                 and any(c in found for c in rollup.children(o.id))}
        found |= above
        grew = bool(above)
    return frozenset(found)


def _check_in(point: DataPoint, numbers: bool, notes: bool, replaces: float | None = None) -> CheckIn:
    """A check-in as the audience may see it: the note is left out with the value too (it often says the number)."""
    return CheckIn(point.date, point.value if numbers else None, plain(point.author) if point.author else None,
                   plain(point.note) if numbers and notes else "", point.commit, replaces if numbers else None)


def _kpi_updates(sides: _Sides) -> tuple[KPIUpdate, ...]:
    """KPIs with values that the window's start did not have (a value recorded late for an earlier
    date too: it is new in the window), and those measured anew in another unit in the window: a value
    only converted into the new unit is neither new nor corrected, but the unit's change is said."""
    found = []
    for k in sides.site.kpis.values():
        state, old = sides.end.scores.kpis[k.id], sides.kpi_then(k.id)
        had = {p.date: p for p in old.values} if old else {}
        anew = sides.kpi_measured_anew(k.id)
        factor = unit_factor(_kpi_measure(sides.kpi_was(k.id)), _kpi_measure(k)) if anew else 1.0
        added = [p for p in state.values if p.date not in had or _written_anew(had[p.date], p, factor)]
        if not added and not anew:
            continue
        hidden = sides.kpi_hidden(k.id)
        numbers = sides.show(k) == ALL and not recorded_in(state.values, hidden)
        values = tuple(_kpi_value(sides, k.id, p, had.get(p.date), numbers and p.commit not in hidden, hidden) for p in added)
        before = old.current if old and numbers and not anew and not recorded_in(old.values, hidden) else None
        found.append(KPIUpdate(sides.ref(k.id, k.title, k.url), sides.owner(k.owner), sides.unit(k.unit), sides.number_format(k),
                               before, state.current if numbers else None, values, numbers, sides.unit(sides.kpi_was(k.id).unit) if anew else None,
                               old.current_date if old else None))
    return tuple(sorted(found, key=lambda u: title_order(u.kpi.title)))


def _written_anew(was: DataPoint, now: DataPoint, factor: float | None) -> bool:
    """Whether a KPI's value of a date the window's start had was written anew: another number, and not
    the same one converted into the unit the KPI was measured anew in (``factor``: git.checkins.unit_factor)."""
    if was.value == now.value:
        return False
    return was.value is None or now.value is None or not converted_value(was.value, now.value, factor)


def _kpi_value(sides: _Sides, ident: str, point: DataPoint, was: DataPoint | None, numbers: bool, hidden: frozenset[str]) -> CheckIn:
    """A KPI's value new in the window as the audience may see it; ``was``: the value of its date at the
    window's start, which makes it a correction (said so without numbers too)."""
    said = _check_in(point, numbers, sides.notes, _replaced(was, hidden))
    return replace(said, corrected=True, corrected_on=_written_on(sides, ident, point.date)) if was is not None else said


def _written_on(sides: _Sides, ident: str, day: date) -> date | None:
    """The day of the commit in the window that last wrote a KPI's value of ``day``; None when git does not
    say one (an edit not committed yet, or no history)."""
    logs = sides.end.scores.logs
    log = logs.kpis.get(ident) if logs is not None else None
    commit = log.writer(day) if log is not None else None
    return commit.day if commit is not None and commit.day in sides.span else None


def _values(state: KPIState | None) -> tuple[DataPoint, ...]:
    return state.values if state is not None else ()


def _replaced(was: DataPoint | None, hidden: frozenset[str]) -> float | None:
    """The value a KPI's new value of the same date takes the place of, unless recorded while it was confidential."""
    return was.value if was is not None and was.commit not in hidden else None


def _change(before: str | None, after: str | None) -> str:
    if after is None:
        return "removed"
    if before is None:
        return "new"
    if after == "off-track":
        return "went-off-track"
    if after == "at-risk":
        return "improved" if before == "off-track" else "went-at-risk"
    if after == "on-track" and before in BEHIND:
        return "recovered"
    return after if after in ("achieved", "missed", "cancelled") else "other"


def _objectives_of_both(sides: _Sides) -> Iterable[Objective]:
    """Every objective at either end (the end's version where both have it)."""
    yield from sides.site.objectives.values()
    claimed = {sides.then(ident) for ident in sides.site.objectives}
    yield from (o for o in sides.was.objectives.values() if o.id not in claimed)


def _status_changes(sides: _Sides, graded: frozenset[str]) -> tuple[StatusChange, ...]:
    """``graded``: ids of the objectives listed under Graded, whose grade (and final progress) is said
    there: their status change says the move alone ("missed (was at-risk)"), not the grade again."""
    found = []
    for o in _objectives_of_both(sides):
        if sides.show(o) == NOTHING:
            continue
        removed = o is not sides.site.objectives.get(o.id)
        before, after = sides.objective_then(o.id, removed), None if removed else sides.end.scores.objectives.get(o.id)
        was, now = before.status if before else None, after.status if after else None
        if was == now:
            continue
        shown = after or before
        named = replace(sides.objective(o), url="", link=None) if removed else sides.objective(o)  # no page to link to any more
        if not removed and o.id in graded:
            progress, grade = None, None
        elif not removed and o.id in sides.progress_withheld:
            progress, grade = None, shown.grade if shown.score is not None else None
        else:
            progress, grade = shown.progress, shown.grade
        corrections = _late_corrections(sides, o, after) if after else ()
        awaiting = sides.awaiting(sides.awaited(o.id).values()) if grade is not None and not removed and shown.score is None else ()  # a score does not move
        found.append(StatusChange(named, sides.owner(o.owner), _change(was, now), was, now, shown.status_source, progress, grade, corrections,
                                  awaiting, _late_additions(sides, o, after) if after else ()))
    rank = {change: n for n, change in enumerate(CHANGES)}
    return tuple(sorted(found, key=lambda c: (rank[c.change], title_order(c.objective.title))))


def _graded(sides: _Sides) -> tuple[Graded, ...]:
    """The objectives of a period over by the window's end whose `score:` or `retro:` differs between
    the window's ends, or whose month-end KPI values awaited at its start came in during it or will not
    come any more. A score written before its period ended is no grade yet: the status change that ends
    the period gives it ("missed · grade 0.50")."""
    found = []
    for o in sides.site.objectives.values():
        score = sides.end.scores.objectives[o.id]
        if sides.show(o) == NOTHING or score.grade is None:
            continue
        then = sides.then(o.id)
        old = sides.was.objectives.get(then) if then is not None else None
        before, now = round_grade(old.score) if old else None, round_grade(o.score)
        retro = _retro_change(old.retro if old else None, o.retro)
        awaited = sides.awaited(o.id)
        waited = [a for key, a in sides.awaited(o.id, at_start=True).items() if key not in awaited]
        came_in, never_came = _came_in(sides, waited), _never_came(sides, waited)
        if before == now and retro is None and not came_in and not never_came:
            continue
        computed = None if o.id in sides.progress_withheld else score.computed_grade
        computed_before = _computed_then(sides, o, score) if came_in and computed is not None else None
        found.append(Graded(sides.objective(o), sides.owner(o.owner), now if now is not None else computed, before, now, computed, retro,
                            computed_before, sides.awaiting(came_in), sides.awaiting(awaited.values()), sides.never_came(never_came)))
    return tuple(sorted(found, key=lambda g: title_order(g.objective.title)))


def _key_results(scores: Mapping[str, ObjectiveScore]) -> Callable[[str], tuple[KRScore, ...]]:
    return lambda ident: scores[ident].key_results


def _by_month(found: Iterable[Awaited]) -> dict[tuple[str, date], Awaited]:
    return {(a.kpi, a.start): a for a in found}


def _came_in(sides: _Sides, waited: list[Awaited]) -> list[Awaited]:
    """Of the values ``waited`` for at the window's start and not awaited at its end, those the KPI now
    has a value dated in the month of (not a key result removed, say)."""
    return [a for a in waited if _came(sides, a)]


def _never_came(sides: _Sides, waited: list[Awaited]) -> list[tuple[Awaited, str]]:
    """Of the values ``waited`` for at the window's start and not awaited at its end, those that did not
    come in and will not (numbers.awaited.no_longer_to_come), each with why: a reader who saw the grade
    provisional hears that it is final."""
    found = []
    for a in waited:
        kpi, state = sides.site.kpis.get(a.kpi), sides.end.scores.kpis.get(a.kpi)
        why = None if kpi is None or state is None or _came(sides, a) else no_longer_to_come(kpi, a.end, a.counted, state.current_date, sides.span.until)
        if why is not None:
            found.append((a, why))
    return found


def _came(sides: _Sides, a: Awaited) -> bool:
    """Whether the KPI has the awaited value at the window's end: one dated in its month (quarter)."""
    return any(a.start <= p.date <= a.end for p in _values(sides.end.scores.kpis.get(a.kpi)))


def _computed_then(sides: _Sides, o: Objective, score: ObjectiveScore) -> float | None:
    """``o``'s computed grade at the window's start; None on a public digest when it would give away a
    value of a key result's confidential time (_value_unseen), as its progress then would."""
    old, old_score = sides.was.objectives.get(sides.then(o.id) or ""), sides.objective_then(o.id)
    if old is None or old_score is None:
        return None
    was = _same_key_results(old, old_score, o)
    if any(_value_unseen(sides, o, kr, s, was.get(kr.id)) and sides.open_now(o, kr) for kr, s in zip(o.key_results, score.key_results)):
        return None
    return old_score.computed_grade


def _final_periods(sides: _Sides) -> tuple[str, ...]:
    """The periods whose grades became final in the window: at its start an objective of theirs the
    audience sees kept them provisional (a grade or a key result awaiting a month-end KPI value, as
    their pages said), and none does at its end."""
    def provisional(site: Site, scores: Mapping[str, ObjectiveScore], rollup: Rollup) -> dict[str, date]:
        return {o.period.id: o.period.start for o in site.objectives.values()
                if o.id not in sides.hidden and sides.unsettled(rollup, scores, o.id)}

    if sides.start.scores is None:
        return ()
    end, start = sides.rollups
    before, after = provisional(sides.was, sides.start.scores.objectives, start), provisional(sides.site, sides.end.scores.objectives, end)
    return tuple(sorted((p for p in before if p not in after), key=lambda p: (before[p], p)))


def _retro_change(before: str | None, after: str | None) -> str | None:
    """How a retro changed: written, edited or removed (None: not, or only in its blank space)."""
    before, after = (before or "").strip(), (after or "").strip()
    if before == after:
        return None
    return "removed" if not after else "edited" if before else "written"


def _forecast_misses(sides: _Sides) -> tuple[ForecastMiss, ...]:
    """Objectives whose forecast misses now (at-risk or off-track at the period's end) but did not at the window's start."""
    found = []
    for o in sides.site.objectives.values():
        score, old = sides.end.scores.objectives[o.id], sides.objective_then(o.id)
        forecast = sides.forecasts.get(o.id)
        if sides.show(o) == NOTHING or score.status == "cancelled" or forecast is None or not forecast.falls_short:
            continue
        was = old.forecast.status if old is not None and old.forecast is not None and old.forecast.trend else None
        if was not in BEHIND:
            found.append(ForecastMiss(sides.objective(o), sides.owner(o.owner), forecast.progress, forecast.status, was))
    return tuple(sorted(found, key=lambda m: (m.progress, title_order(m.objective.title))))


def _forecasts_unknown(sides: _Sides) -> tuple[str, ...]:
    """A note on the objectives whose forecast needs check-ins from before a shallow clone's oldest
    commit: neither listed as misses nor passed over as if they were not."""
    days = [score.forecast_unknown for o in sides.site.objectives.values()
            if sides.show(o) != NOTHING and (score := sides.end.scores.objectives[o.id]).status != "cancelled" and score.forecast_unknown]
    if not days:
        return ()
    said = ("1 objective's forecast is unknown, so whether it now misses is not said: it needs" if len(days) == 1 else
            f"{len(days)} objectives' forecasts are unknown, so whether they now miss is not said: they need")
    return (f"{said} check-ins from before {days[0]}, where this shallow clone's history starts ({FETCH_ALL}).",)


HEALTH_RANK = {"critical": 0, "warning": 1, "unknown": 2, "confidential": 3, "healthy": 4}


def _health_changes(sides: _Sides) -> tuple[HealthChange, ...]:
    found = []
    for k in sides.site.kpis.values():
        state, old = sides.end.scores.kpis[k.id], sides.kpi_then(k.id)
        was = old.health if old is not None else None
        if was == state.health:
            continue
        numbers = sides.show(k) == ALL and not recorded_in(state.values, sides.kpi_hidden(k.id))
        defined = sides.kpi_was(k.id) if old is not None and state.health_source == "computed" else None
        found.append(HealthChange(sides.ref(k.id, k.title, k.url), sides.owner(k.owner), was, state.health, state.health_source,
                                  state.current if numbers else None, sides.unit(k.unit), sides.number_format(k),
                                  _definition_changes(sides, defined, k, sides.show(k) == ALL) if defined is not None else ()))
    return tuple(sorted(found, key=lambda c: (HEALTH_RANK.get(c.after, 9), title_order(c.kpi.title))))


def _definition_changes(sides: _Sides, was: KPI, now: KPI, numbers: bool) -> tuple[DefinitionChange, ...]:
    """What a KPI's health is judged by that differs between the window's ends: a health that changed
    with its target, threshold, direction or unit, not (only) with its values. A target or threshold
    the audience may not see (a confidential KPI's) is said changed, without its numbers."""
    found = []
    if not same_unit(was.unit, now.unit):  # a unit spelt anew (ms → milliseconds) is the same measure
        found.append(DefinitionChange("unit", sides.unit(was.unit), sides.unit(now.unit)))
    for key in ("target", "threshold"):
        before, after = _line_said(was, key), _line_said(now, key)
        if before != after or (key == "target" and was.target_inclusive != now.target_inclusive):
            found.append(DefinitionChange(key, before if numbers else None, after if numbers else None))
    if was.direction != now.direction:
        found.append(DefinitionChange("direction", was.direction, now.direction))
    return tuple(found)


def _line_said(k: KPI, key: str) -> float | str | None:
    """A KPI's target or threshold as a change says it: its number, else the target's words (a title, not a number)."""
    number = getattr(k, key)
    return number if number is not None or key == "threshold" else (plain(k.target_text) if k.target_text else None)


def _stale(sides: _Sides) -> tuple[Owner, ...]:
    """Stale objectives and KPIs as of the window's end, by owner (teams first, then people)."""
    scores, site, until = sides.end.scores, sides.site, sides.span.until
    known_since = scores.logs.known_since() if scores.logs else None
    by_owner: dict[str, list[StaleItem]] = {}
    for o in site.objectives.values():
        score = scores.objectives[o.id]
        last = score.quiet_since(known_since)
        if score.stale and sides.show(o) != NOTHING:
            days, since = (days_quiet(last, o.period, until), counted_from(last, o.period)) if last else (None, None)
            by_owner.setdefault(o.owner, []).append(StaleItem(sides.objective(o), "objective", days, since))
    for k in site.kpis.values():
        state = scores.kpis[k.id]
        if state.stale:
            by_owner.setdefault(k.owner, []).append(_stale_kpi(sides.ref(k.id, k.title, k.url), state, until))
    owners = [_owner(sides, name, items) for name, items in by_owner.items()]
    return tuple(sorted(owners, key=lambda w: (w.kind != "team", title_order(w.ref.title))))


def _stale_kpi(ref: Ref, state: KPIState, until: date) -> StaleItem:
    """A stale KPI, by its latest value's age, or by the day its owner set its health by hand when that
    is what went stale (a KPI whose numbers live in a BI tool has no value to be old)."""
    if state.health_stale and state.health_set is not None:
        return StaleItem(ref, "kpi", (until - state.health_set).days, health_set=state.health_set)
    return StaleItem(ref, "kpi", state.age_days)


def _freshness_unknown(sides: _Sides) -> tuple[str, ...]:
    """A note on the objectives of a running period with no check-in since a shallow clone's oldest
    commit, and not stale counted from that day: quiet since before it, they may well be."""
    scores, until = sides.end.scores, sides.span.until
    since = scores.logs.known_since() if scores.logs else None
    if since is None:
        return ()
    quiet = [o for o in sides.site.objectives.values() if sides.show(o) != NOTHING and o.period.contains(until)
             and not (score := scores.objectives[o.id]).stale and score.status not in SETTLED
             and score.key_results and score.quiet_since(since) == since and any(s.progress < 1 for s in score.key_results)]
    if not quiet:
        return ()
    said = "1 objective has" if len(quiet) == 1 else f"{len(quiet)} objectives have"
    whether = "it is" if len(quiet) == 1 else "they are"
    return (f"{said} had no check-in since {since}, where this shallow clone's history starts: whether {whether} stale is not known ({FETCH_ALL}).",)


def _owner(sides: _Sides, name: str, items: list[StaleItem]) -> Owner:
    ordered = tuple(sorted(items, key=lambda i: (i.kind != "objective", -(i.days or 0), title_order(i.ref.title))))
    team = sides.site.teams.get(name)
    if team is not None:
        return Owner(sides.ref(team.id, team.title, team.url), "team", plain(team.lead) if team.lead else None, ordered)
    person = sides.site.people.get(name)
    url = person.url if person is not None else ""
    return Owner(sides.ref(name, name, url), "person", None, ordered)

