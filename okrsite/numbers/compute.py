"""Compute: progress, status and KPI health as of a date. Pure functions of the model, no I/O."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Collection, Iterable, Mapping, NamedTuple, Sequence

from ..goals.ahead import FREQUENCY_DAYS
from ..goals.config import GRADING, Settings
from ..goals.diagnostics import plural
from ..goals.formats import round_grade, round_half_up, same_number
from ..goals.model import KPI, DataPoint, KeyResult, Objective, Period, Site
from ..goals.periods import elapsed, parse_period
from ..goals.targets import meets
from ..git.checkins import DeletedChild, Held, KPILog, KRLog, Logs, Rescope, in_order, merge_points
from ..git.history import Commit
from .awaited import Awaited, awaited_figure, awaits_once
from .forecast import GUARDRAIL, KRForecast, ObjectiveForecast, follows_kpi, guarded_status, holds, kr_forecast, objective_forecast, reaches, rolled_up_forecast, scoring, status_by_gap

_EPSILON = 1e-9
SETTLED = ("achieved", "missed", "cancelled")  # the statuses that say where an objective landed
MAX_RATIO = 1e6  # a target a hair from its start gives absurd (even infinite) ratios: shown capped


@dataclass(frozen=True)
class KPIState:
    values: tuple[DataPoint, ...]  # those dated on or before the as-of date
    current: float | None
    current_date: date | None
    health: str  # healthy | warning | critical | unknown | confidential (set by its owner)
    stale: bool
    age_days: int | None
    trend: str | None = None  # improving | worsening | flat, from the last two values and the direction
    updated: date | None = None  # the last commit that changed its values, on or before the as-of date
    updated_by: str | None = None
    health_source: str = "computed"  # computed | manual (set by the KPI's owner, SPEC §16)
    health_reasons: tuple[str, ...] = ()
    withheld: bool = False  # the public view of a confidential KPI: current None, values without numbers (SPEC §14)
    updated_seq: int | None = None  # the place in the history of the commit that updated it (see latest)
    retired: date | None = None  # the day it was retired, once that day has come (retired_by)
    health_set: date | None = None  # the day of the commit that set its hand-set health as it is now (health_set_on); None without git
    health_stale: bool = False  # that health is too old, with no value since (health_staleness): ``stale`` too


@dataclass(frozen=True)
class KRScore:
    current: float | None
    progress: float
    ratio: float
    unit: str | None
    history: tuple[DataPoint, ...]  # check-ins dated on or before the as-of date: written and from git
    updated: date | None = None  # when its numbers last changed (a check-in), if anything says
    updated_by: str | None = None
    stale: bool = False  # not updated for more than stale_after_days while its period runs
    held: bool | None = None  # a guardrail's: its value is on the right side of its line (None: no value)
    forecast: KRForecast | None = None  # while its period runs (SPEC §11)
    withheld: bool = False  # the public view of a confidential key result: current None, check-ins without numbers (SPEC §14)
    updated_seq: int | None = None  # the place in the history of the commit that updated it (see latest)
    added: date | None = None  # the day a commit added it without a check-in (a milestone not done): quiet since then
    forecast_unknown: date | None = None  # a shallow clone's oldest day, when its forecast needs check-ins from before it (forecast_unknown())
    rescopes: tuple[Rescope, ...] = ()  # the commits that changed its start or target after its period started, up to the as-of date (rescopes_in)
    corrected_late: tuple[date, date] | None = None  # a finished period's, following a KPI: (its final value's date, the day a commit after the period wrote it anew)
    awaited: Awaited | None = None  # a finished period's, following a monthly or quarterly KPI: the figure of its last month not in yet (awaited_figure)
    added_late: AddedLate | None = None  # a finished period's, following a KPI: its final value, first written after the period ended (value_added_after_end)

    @property
    def provisional(self) -> bool:
        """A finished period's value that moves when its KPI's awaited figure comes (numbers.awaited)."""
        return self.awaited is not None


@dataclass(frozen=True)
class ObjectiveScore:
    progress: float | None  # None: nothing left to measure (objective_score), the mean of no children
    expected: float
    goal: float
    status: str
    status_source: str  # computed | manual
    grade: float | None  # after the period: the self-assessed `score`, else computed_grade
    key_results: tuple[KRScore, ...]
    updated: date | None = None  # the latest check-in of any of its key results
    updated_by: str | None = None
    stale: bool = False
    forecast: ObjectiveForecast | None = None  # while its period runs (SPEC §11)
    breached: int = 0  # its guardrails that do not hold (SPEC §12)
    computed_grade: float | None = None  # after the period: the final progress, two decimals
    score: float | None = None  # the self-assessment written in the file
    updated_seq: int | None = None  # the place in the history of the commit that updated it (see latest)
    counted_then: tuple[tuple[str, float], ...] = ()  # a roll-up's children whose period runs on past its end, as they count in it: (id, progress on its last day)
    forecast_unknown: date | None = None  # a shallow clone's oldest day, when a forecast it is made from needs check-ins from before it
    added_late: tuple[str, ...] = ()  # a finished roll-up's children left out as added, or aligned to it, after its period ended (added_after_end)
    deleted_late: tuple[DeletedChild, ...] = ()  # a finished roll-up's children whose files were deleted after its period ended (deleted_after_end)
    deleted_corrected: tuple["CorrectedChild", ...] = ()  # of those it counts as they stood, the KPI values corrected late (corrected_as_they_stood)
    deleted_counted: tuple[tuple[DeletedChild, float], ...] = ()  # of those, the ones it counts as they stood (Rollup.kept), each with the progress counted
    counted_corrected: tuple["CorrectedChild", ...] = ()  # the same of those it counts as they stood on its last day, running on past it (corrected_then)
    awaited: tuple[Awaited, ...] = ()  # the month-end KPI figures its progress awaits (Rollup.awaited); none of a cancelled one
    aligned_late: tuple[str, ...] = ()  # of ``added_late``, those git held on its last day aligned to another objective, or to none (aligned_then)
    moved_late: tuple[str, ...] = ()  # objectives aligned to another now that a finished roll-up counts as they stood, aligned to it on its last day (moved_after_end)
    kind: str = "committed"  # the kind it is graded as: its `kind:`, else default_kind as its period is graded (graded_kind)

    @property
    def band(self) -> str | None:
        return grade_band(self.grade)

    @property
    def awaiting(self) -> int:
        """How many of its key results await a month-end KPI value (KRScore.provisional)."""
        return sum(k.provisional for k in self.key_results)

    @property
    def provisional(self) -> bool:
        """A finished objective's grade that moves when a figure its progress awaits comes: not one its
        owner gave (a `score:` is the grade, SPEC §13), nor one only a guardrail awaits for (SPEC §12)."""
        return bool(self.awaited) and self.grade is not None and self.score is None

    @property
    def unsettled(self) -> bool:
        """Its grade or a key result's final value still moves when an awaited month-end KPI figure
        comes: its period's grades are provisional, not final (the pages, okrs.json and the digest)."""
        return self.provisional or self.awaiting > 0

    def quiet_since(self, known_since: date | None = None) -> date | None:
        return quiet_since(self.key_results, known_since)


def awaiting_counts(scores: Iterable[ObjectiveScore]) -> tuple[int, int]:
    """Of objectives' scores (a period's, a team's in it), the key results that await a month-end KPI
    figure and the provisional grades none of whose own key results does (a roll-up's): while either is
    not 0 the period's grades are provisional (ObjectiveScore.unsettled)."""
    scores = list(scores)
    return sum(s.awaiting for s in scores), sum(s.provisional and not s.awaiting for s in scores)


def quiet_since(krs: tuple[KRScore, ...], known_since: date | None = None) -> date | None:
    """Since when an objective's numbers have not changed: the latest of its key results' updates, of
    a key result with none the day it was added, else (a shallow clone) the oldest commit read."""
    return max(filter(None, (s.updated or s.added or known_since for s in krs)), default=None)


GRADE_BANDS = (("green", 0.7), ("yellow", 0.4), ("red", 0.0))  # Google's colours: 0.7-1.0, 0.4-0.69, below


def grade_band(grade: float | None) -> str | None:
    """green, yellow or red for a grade (SPEC §13) as it is shown, to two decimals (an average grade of
    0.695 reads 0.70: green); None without one."""
    if grade is None:
        return None
    shown = round_grade(grade)
    return next(band for band, low in GRADE_BANDS if shown >= low - _EPSILON)


def kind_grades(committed: float | None, aspirational: float | None) -> tuple[tuple[str, float, str | None], ...]:
    """(kind, mean grade, its band) of each kind there are graded objectives of, committed first: the
    average grades of committed and of aspirational objectives are shown apart (SPEC §13: 0.7 is a miss
    for a committed objective and the goal of an aspirational one), by a team's figures and the archive."""
    return tuple((kind, value, grade_band(value)) for kind, value in (("committed", committed), ("aspirational", aspirational)) if value is not None)


@dataclass(frozen=True)
class Scores:
    as_of: date
    objectives: Mapping[str, ObjectiveScore]
    kpis: Mapping[str, KPIState]
    logs: Logs | None = None
    updates_then: Mapping[tuple[str, date], "Update | tuple[None, None, None]"] = field(default_factory=dict)  # see updates_as_they_stood
    # by (follower id, key result index), the day its old final value changed (carrying.MovedFinal), kept where the logs are not (public)
    finals_changed: Mapping[tuple[str, int], date] = field(default_factory=dict)
    # by the same, whether its start is where the old one stood when it was carried over (MovedFinal.stood), kept so too
    starts_stood: Mapping[tuple[str, int], bool] = field(default_factory=dict)
    # by period id, the grading settings (GRADING) a finished period was graded with where they are not
    # okrsite.toml's now (graded_periods): the pages say its goals as it was graded
    graded_with: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    # by finished period id, its objectives deleted after it ended, each scored as it stood (ended_deleted)
    deleted_stood: Mapping[str, tuple[tuple[DeletedChild, ObjectiveScore], ...]] = field(default_factory=dict)
    # by finished period id, those of them that cannot be counted so (ended_deleted): named as no longer counted
    deleted_left: Mapping[str, tuple[DeletedChild, ...]] = field(default_factory=dict)


def as_of_date(points: tuple[DataPoint, ...], as_of: date) -> tuple[DataPoint, ...]:
    return tuple(p for p in points if p.date <= as_of)


def kpi_health(kpi: KPI, current: float | None) -> str:
    """Health from the latest value; the owner's `health:` wins (see kpi_state)."""
    if current is None or kpi.target is None:
        return "unknown"
    sign = 1 if kpi.direction == "up" else -1
    if meets(current, kpi.target, kpi.direction, kpi.target_inclusive):
        return "healthy"
    if kpi.threshold is not None and sign * (current - kpi.threshold) < 0:
        return "critical"
    return "warning"


def kpi_staleness(kpi: KPI, latest: date | None, day: date) -> tuple[bool, int | None]:
    """(stale, age in days) of a KPI whose latest value is of ``latest``, on ``day`` (SPEC §6: more than
    twice its frequency old; one with no values, or retired by then, is not stale)."""
    late, age = kpi_lateness(kpi, latest, day)
    return late and retired_by(kpi, day) is None, age


def kpi_lateness(kpi: KPI, latest: date | None, day: date) -> tuple[bool, int | None]:
    """(late, age in days): whether the latest value is more than twice the KPI's frequency old, retired or not."""
    age = (day - latest).days if latest else None
    return age is not None and age > 2 * FREQUENCY_DAYS[kpi.frequency], age


def retired_by(kpi: KPI, day: date) -> date | None:
    """The day ``kpi`` was retired (`retired:`), if ``day`` is that day or later: before it, nothing changes."""
    return kpi.retired if kpi.retired is not None and kpi.retired <= day else None


def kpi_state(kpi: KPI, as_of: date, log: KPILog | None = None) -> KPIState:
    values = as_of_date(merge_points(kpi.values, log.replaced_until(as_of)) if log else kpi.values, as_of)
    updated = updated_by = updated_seq = None
    if log is not None:
        values = tuple(_recorded(p, log.recorded.get(p.date), log.notes.get(p.date, ""), as_of) if p.source == "file" else p for p in values)
        last = last_commit(c for c in log.changes if c.day <= as_of)
        if last is not None:
            updated, updated_by, updated_seq = last.day, last.author, last.seq
    latest = values[-1] if values else None
    current = latest.value if latest else None
    stale, age = kpi_staleness(kpi, latest.date if latest else None, as_of)
    state = KPIState(values, current, latest.date if latest else None, kpi_health(kpi, current), stale, age, _trend(kpi, values), updated, updated_by,
                     updated_seq=updated_seq, retired=retired_by(kpi, as_of))
    return _judged_by_hand(kpi, state, log, as_of)


def _judged_by_hand(kpi: KPI, state: KPIState, log: KPILog | None, day: date) -> KPIState:
    """``state`` on ``day`` with the health its owner set, which wins (SPEC §16), the day it was set,
    and stale when that health is (health_staleness)."""
    if kpi.health is None:
        return state
    since = health_set_on(kpi, log, day)
    late = health_staleness(kpi, since, state, day)
    return replace(state, health=kpi.health.health, health_source="manual", health_reasons=kpi.health.reasons, health_set=since,
                   health_stale=late, stale=state.stale or late)


def health_set_on(kpi: KPI, log: KPILog | None, as_of: date) -> date | None:
    """The day of the commit that set the KPI's hand-set health as it is now, up to ``as_of``; None without git."""
    if log is None or kpi.health is None:
        return None
    day = None
    for commit, judged in log.definitions:
        if commit.day > as_of:
            break
        health = judged.get("health") if judged else None
        if health != kpi.health:
            day = None
        elif day is None:
            day = commit.day
    return day


def health_staleness(kpi: KPI, since: date | None, state: KPIState, day: date) -> bool:
    """Whether a health set by hand on ``since`` is stale on ``day`` as a latest value would be (SPEC §6):
    more than twice the KPI's frequency old, and no value recorded (``state.updated``) or dated since.
    A KPI without `frequency:` is judged as monthly, as its values are (silence is never green: the
    handbook's KPIs `import gitlab-pi` writes have none). Never without git (the day is unknown), or
    once retired."""
    if since is None or retired_by(kpi, day) is not None:
        return False
    if any(later is not None and later > since for later in (state.updated, state.current_date)):
        return False
    return (day - since).days > 2 * FREQUENCY_DAYS[kpi.frequency]


def last_commit(commits: Iterable[Commit]) -> Commit | None:
    """The latest of ``commits`` by date: a commit dated back (`okrsite checkin --date`) that landed after
    a later-dated one is not the last; on the same date the place in the history decides (see latest)."""
    return max(commits, key=lambda c: (c.day, c.seq), default=None)


def _recorded(point: DataPoint, commit: Commit | None, note: str, as_of: date) -> DataPoint:
    """A value of the file with the commit that recorded it, and that commit's ``note`` unless the value
    has its own `note:`; not when that commit is dated after the as-of date (the files are not rewound,
    so the value shows, but that commit is ignored)."""
    if commit is None or commit.day > as_of:
        return point
    return replace(point, commit=commit.short, author=commit.author, note=point.note or note)


def cut_off(period: Period, as_of: date) -> date:
    """The last day whose dated values count for a key result of ``period``: a finished period is
    frozen (SPEC §6), so next quarter's numbers do not move its grade."""
    return min(as_of, period.end)


def kpi_until(state: KPIState, day: date, as_of: date, log: KPILog | None = None) -> KPIState:
    """A KPI as a key result of a period that ended on ``day`` counts it: its values up to that day,
    last updated by the latest commit (on or before the as-of date) that recorded one of them."""
    values = as_of_date(state.values, day)
    latest = values[-1] if values else None
    last = last_commit(c for c in (log.recorded.get(p.date) for p in values) if c is not None and c.day <= as_of) if log else None
    return replace(state, values=values, current=latest.value if latest else None, current_date=latest.date if latest else None,
                   updated=last.day if last else None, updated_by=last.author if last else None, updated_seq=last.seq if last else None)


def kpi_at_end(kpi: KPI, state: KPIState, period: Period, as_of: date, log: KPILog | None = None) -> tuple[KPI, KPIState]:
    """A KPI as it stood on the last day of ``period`` (or on the as-of date, while it runs), for the
    period's review: as its file defined it then (defined_on), and its value and health then, judged
    by that definition (a finished period is frozen, SPEC §6: next year's target does not re-rate it);
    stale as it was that day: a review does not call a value weeks old at the period's end fresh; with
    the health its owner set by hand only when a commit by that day set it (hand_set_by)."""
    day = cut_off(period, as_of)
    if day == as_of:
        return kpi, state
    kpi = hand_set_by(defined_on(kpi, log, day), log, day)
    then = kpi_until(state, day, as_of)
    stale, age = kpi_staleness(kpi, then.current_date, day)
    then = replace(then, health=kpi_health(kpi, then.current), health_source="computed", health_reasons=(), health_set=None, health_stale=False,
                   stale=stale, age_days=age, trend=_trend(kpi, then.values), retired=retired_by(kpi, day))
    return kpi, _judged_by_hand(kpi, then, log, day)


def defined_on(kpi: KPI, log: KPILog | None, day: date) -> KPI:
    """The KPI with what its health is judged by (goals.parse.KPI_DEFINITION) as its file was last
    committed on or before ``day``, as okrsite.toml's grading settings are read for an ended period
    (git.history.History.grading_on); as it is now without git, or when no commit of it by then
    can be read."""
    then = next((found for commit, found in reversed(log.definitions) if commit.day <= day), None) if log is not None else None
    if then is None:
        return kpi
    changed = {key: value for key, value in then.items() if getattr(kpi, key) != value}
    return replace(kpi, **changed) if changed else kpi


def hand_set_by(kpi: KPI, log: KPILog | None, day: date) -> KPI:
    """The KPI without its hand-set health when git shows no commit on or before ``day`` that set it
    (health_set_on): set after a period ended, it says nothing of how the KPI stood then, which its
    values up to that day tell (SPEC §6, §16). Kept as it is where git cannot tell when it was set:
    without git, for a file no commit holds yet, and in a shallow clone whose oldest commit is dated
    after ``day`` (what the file held then may be older)."""
    if log is None or kpi.health is None or health_set_on(kpi, log, day) is not None:
        return kpi
    oldest = log.definitions[0][0] if log.definitions else None
    if oldest is None or (oldest.boundary and oldest.day > day):
        return kpi
    return replace(kpi, health=None)


def _trend(kpi: KPI, values: tuple[DataPoint, ...]) -> str | None:
    if len(values) < 2:
        return None
    change = (values[-1].value - values[-2].value) * (1 if kpi.direction == "up" else -1)
    return "improving" if change > 0 else "worsening" if change < 0 else "flat"


@dataclass(frozen=True)
class Trend:
    """A KPI's trend as its pages and okrs.json say it: which way its last two values moved (rising,
    falling, flat), and whether that is better; ``improving`` is None when flat, and when its direction
    is only the default (a target in words says no side): okrsite would be guessing."""

    movement: str
    improving: bool | None


def kpi_trend(kpi: KPI, state: KPIState) -> Trend | None:
    """The Trend of ``state.trend`` (None: fewer than two values). It needs no value: a confidential
    KPI's public page keeps it (SPEC §14)."""
    if state.trend is None:
        return None
    if state.trend == "flat":
        return Trend("flat", None)
    rising = (state.trend == "improving") == (kpi.direction == "up")
    return Trend("rising" if rising else "falling", state.trend == "improving" if kpi.direction_given else None)


def kr_current(kr: KeyResult, history: tuple[DataPoint, ...], kpi: KPIState | None) -> float | None:
    """Own `current`, else the latest check-in written in the file, else, for a key result that follows
    its KPI (no `current` or `history:` of its own at any date), the KPI's latest value; None when none
    says (a numeric key result then stands at its start). Check-ins from git only record what
    `current` said: they never override the file (SPEC §6: a written `current:` always counts)."""
    if kr.current is not None:
        return kr.current
    written = [p for p in history if p.source == "file"]
    if written:
        return written[-1].value
    if kpi is not None and kpi.current is not None and follows_kpi(kr):
        return kpi.current
    return None


_WRITTEN_VALUE = {"numeric": "current", "guardrail": "current", "binary": "done", "manual": "manual_progress"}


def as_it_stood(kr: KeyResult, log: KRLog | None, day: date) -> KeyResult:
    """The key result with the `current:`, `done:` or `progress:` it had on ``day``, when git dates a
    change of it after that day (a check-in of a longer child after its parent's period ended); as
    written otherwise: without git nothing dates it, and a written value counts (SPEC §6). Git's
    check-ins record `done` as 1 or 0 (git/checkins.py: kr_value)."""
    key = _WRITTEN_VALUE[kr.form]
    if getattr(kr, key) is None or log is None or not any(point.date > day for point in log.points):
        return kr
    before = [point.value for point in log.points if point.date <= day]
    if kr.form == "binary":
        return replace(kr, done=bool(before and before[-1]))
    return replace(kr, **{key: before[-1] if before else None})


def rescopes_in(kr: KeyResult, log: KRLog | None, period: Period, as_of: date, measured: Iterable[DataPoint] = (),
                anew: int | None = None) -> tuple[Rescope, ...]:
    """The re-scopes of a key result up to the as-of date (a commit dated after it is not seen yet, as a
    check-in): each change of its start or target after its plan ended (plan_ended; ``measured``: its
    values), and each one after its period ended, which changes its grade. One on the period's first
    day or before, or before anything was measured against the numbers (a carried objective's targets
    changed as the quarter is planned, QA DQ), is its plan. None up to ``anew`` (written_anew): its
    numbers were then in its KPI's old unit."""
    if log is None:
        return ()
    ended = plan_ended(kr, log, period, sorted(measured, key=lambda point: point.date))
    return tuple(r for r in log.rescopes if period.start < r.day <= as_of and (anew is None or r.seq > anew)
                 and (r.day > period.end or ended is not None and _later(r, *ended)))


def written_anew(kr: KeyResult, log: KRLog | None, kpi_log: KPILog | None, as_of: date) -> int | None:
    """The place in history (Commit.seq) of the change that wrote a key result's numbers in the new unit
    of the KPI it follows, which was measured anew after the key result was written ("800 ms" became
    "0.8 s", and its target 800 became 0.8): no re-scope, as a key result measured anew in a unit of its
    own is none (QA EE), nor is any change of its numbers before it, in the old unit. None without one,
    and for a key result with a unit of its own."""
    if kr.unit is not None or log is None or kpi_log is None or log.first is None:
        return None
    change = kpi_log.unit_change(as_of)
    if change is None or in_order(log.first) >= in_order(change.commit):
        return None
    return next((r.seq for r in log.rescopes if r.seq >= change.commit.seq), None)


def plan_ended(kr: KeyResult, log: KRLog, period: Period, measured: list[DataPoint]) -> tuple[date, int | None] | None:
    """When the plan of a key result ended, the first moment anything was measured against its numbers:
    the period's first day when a value other than its start was in force then (a check-in, a
    `current:` committed before the period, its KPI's value, QA DT), unless its start was set to that
    value before its first check-in (started_where_it_stood), else its first check-in dated in the
    period, with the place in history of the first commit that changed its numbers that day (a
    re-scope committed later that day comes after it, QA DT); None: nothing measured yet. A value at
    its start is 0 % against any target (carried over, "start where that one ended")."""
    first = next((point.date for point in measured if point.date >= period.start), None)
    moment = None if first is None else (first, min((commit.seq for commit in log.changes if commit.day == first), default=None))
    in_force = [point for point in measured if point.date <= period.start]
    if (in_force and in_force[-1].value != scoped_on(kr, log.rescopes, period.start).start
            and not started_where_it_stood(in_force[-1].value, log.rescopes, period, moment)):
        return period.start, None
    return moment


def started_where_it_stood(value: float, rescopes: tuple[Rescope, ...], period: Period, moment: tuple[date, int | None] | None) -> bool:
    """Whether a change after the period's first day and before its first check-in (``moment``) set a
    key result's start to ``value``, the one in force on that day: where it stood as the period began,
    as carry-over starts it and as `okrsite check` asks once the last quarter's final value changed
    (a late check-in or KPI value dated in it). That corrects the plan, and nothing is measured against
    a start at the value in force: it is the plan, not a re-scope (QA FJ)."""
    return any(r.day > period.start and same_number(r.start, value) and (moment is None or not _later(r, *moment))
               for r in rescopes)


def _later(rescope: Rescope, day: date, seq: int | None) -> bool:
    """Whether a re-scope came after the moment (``day``, the place in history of its commit): by
    commit order when they share a day and git says it."""
    return rescope.day > day or (rescope.day == day and seq is not None and rescope.seq > seq)


def measured_on(kr: KeyResult, history: tuple[DataPoint, ...], kpi_values: tuple[DataPoint, ...]) -> list[DataPoint]:
    """The values a key result was measured by: its check-ins, and its KPI's values when it follows one."""
    return [*history, *(kpi_values if follows_kpi(kr) else ())]


def scoped_on(kr: KeyResult, rescopes: tuple[Rescope, ...], day: date) -> KeyResult:
    """The key result with the start and target in force on ``day``: those the first re-scope after
    that day replaced, else its own (a finished quarter's past keeps the numbers it was measured
    against; its grade is its final progress, against the numbers as they are)."""
    later = next((r for r in rescopes if r.day > day), None)
    return kr if later is None else replace(kr, start=later.was_start, target=later.was_target)


def retires_on(site: Site, kr: KeyResult) -> date | None:
    """The `retired:` day of the KPI a key result follows (follows_kpi), whether it has come or not."""
    kpi = site.kpis.get(kr.kpi) if kr.kpi and follows_kpi(kr) else None
    return kpi.retired if kpi is not None else None


def corrected_after_end(period: Period, values: Sequence[DataPoint], log: KPILog | None, as_of: date) -> tuple[date, date] | None:
    """Of a finished period's key result that follows a KPI (its ``values`` as counted, up to the period's
    end), the KPI value it ends on when a commit after the period ended, up to ``as_of``, wrote it anew:
    (that value's date, the commit's day). Its grade counts the corrected value, which the page says, as
    it says a late `current:` (QA EJ); a value first written after the end is value_added_after_end's."""
    found = final_written_after_end(period, values, log.corrected if log else None, as_of)
    return (found[0], found[1].day) if found is not None else None


class AddedLate(NamedTuple):
    """The KPI value a finished period's key result ends on, first written by a commit after the period
    ended (value_added_after_end): its grade counts it (SPEC §6), and the pages say it as a late correction."""

    date: date  # the value's date, inside the period
    on: date  # the day of the commit that first wrote it
    awaited: str | None  # the month-end figure the period awaited that it is ("December 2026"): its expected arrival


def value_added_after_end(kpi: KPI, period: Period, values: Sequence[DataPoint], every: Sequence[DataPoint], log: KPILog | None,
                          held: Commit | None, as_of: date) -> AddedLate | None:
    """Of a finished period's key result that follows ``kpi`` (its ``values`` as counted, up to the period's
    end; ``every``: all of the KPI's values by ``as_of``), the KPI value it ends on when the commit that
    first wrote it came after the period ended, up to ``as_of``, and after ``held``, the first commit that
    held the key result: its final value then moved (QA FK). A late figure of the period is legitimate and
    counts (SPEC §6), and is said; one written with or before the key result moved nothing (goals written
    down after the quarter, a site set up then). The month-end figure the period awaited (numbers.awaited)
    is the one expected to come after it: ``awaited`` names it."""
    found = final_written_after_end(period, values, log.added if log else None, as_of)
    if found is None or log is None or held is None or in_order(held) >= in_order(found[1]):
        return None
    final, commit = found
    return AddedLate(final, commit.day, awaited_then(kpi, period, final, every, log, commit))


def awaited_then(kpi: KPI, period: Period, final: date, every: Sequence[DataPoint], log: KPILog, commit: Commit) -> str | None:
    """The name of the month-end figure ("December 2026") that a finished period awaited from ``kpi`` when
    ``commit`` first wrote its value of ``final``, if that value is it; judged by the values first
    written before that commit (one git does not date counts as written before)."""
    before = [p.date for p in every if (first := log.added.get(p.date)) is None or in_order(first) < in_order(commit)]
    counted = max((day for day in before if day <= period.end), default=None)
    awaited = awaited_figure(kpi, period, counted, max(before, default=None), commit.day)
    return awaited.awaited_name if awaited is not None and awaited.start <= final <= awaited.end else None


def final_written_after_end(period: Period, values: Sequence[DataPoint], by: Mapping[date, Commit] | None,
                            as_of: date) -> tuple[date, Commit] | None:
    """The date of the value a finished period's key result ends on (the latest of ``values`` up to its end)
    and the commit ``by`` names for it, when that commit came after the period ended, up to ``as_of``."""
    if by is None or not values or as_of <= period.end:
        return None
    final = max((p.date for p in values if p.date <= period.end), default=None)
    commit = by.get(final) if final is not None else None
    return (final, commit) if commit is not None and period.end < commit.day <= as_of else None


def kr_score(kr: KeyResult, kpis: Mapping[str, KPIState], units: Mapping[str, str | None], as_of: date, log: KRLog | None = None,
             started: bool = True) -> KRScore:
    """A key result's score as of ``as_of`` (for a finished period, its last day). A guardrail of a
    period not ``started`` yet is not checked: nothing can cross its line before the period, and the
    values there are (last quarter's KPI values, a baseline) say nothing of it (SPEC §12: held null)."""
    history = as_of_date(merge_points(kr.history, log.points) if log else kr.history, as_of)
    if kr.form == "binary":
        value = 1.0 if kr.done else 0.0
        return KRScore(value, value, value, kr.unit, history)
    if kr.form == "manual":
        value = kr.manual_progress or 0.0
        return KRScore(None, value, value, kr.unit, history)
    current = kr_current(kr, history, kpis.get(kr.kpi) if kr.kpi else None)
    unit = kr.unit if kr.unit is not None or kr.kpi is None else units.get(kr.kpi)
    if kr.form == GUARDRAIL:  # a constraint, not progress: its progress and ratio count nowhere
        return KRScore(current, 0.0, 0.0, unit, history, held=holds(kr, current) if started else None)
    current = kr.start if current is None else current
    ratio = clamp((current - kr.start) / (kr.target - kr.start), -MAX_RATIO, MAX_RATIO)
    return KRScore(current, clamp(ratio), ratio, unit, history)


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(max(value, low), high)


def weighted_progress(scores: tuple[KRScore, ...], key_results: tuple[KeyResult, ...]) -> float:
    return weighted([s.progress for s in scores], key_results)


def weighted(progresses, key_results: tuple[KeyResult, ...]) -> float:
    """The weighted mean progress; guardrails left out."""
    counted = [(p, kr) for p, kr in zip(progresses, key_results) if kr.form != GUARDRAIL]
    total = sum(kr.weight for _, kr in counted)
    return sum(p * kr.weight for p, kr in counted) / total if total else 0.0


Update = tuple[date, "str | None", "int | None"]  # when, who, and the place in the history of the commit (None: written)
Forecast = tuple["ObjectiveForecast | None", "date | None"]  # an objective's forecast, and the day it is unknown before (forecast_of)


def latest(updates: list[Update]) -> "Update | tuple[None, None, None]":
    """The latest (date, author, seq). A score keeps the date, not the time, so on the same date the
    place in the history decides: a commit over a written `history:` entry (which says only its
    date), and of two commits the later one."""
    return max(updates, key=lambda u: (u[0], u[2] is not None, u[2] or 0)) if updates else (None, None, None)


def updates_of(scores) -> list[Update]:
    """The (date, author, seq) updates of key results or objectives that have one."""
    return [(s.updated, s.updated_by, s.updated_seq) for s in scores if s.updated is not None]


def status(progress: float, goal: float, period: Period, as_of: date, settings: Settings) -> str:
    """SPEC §6, in order: achieved, not-started, missed, then by the gap to the expected pace. The
    progress as shown and graded (two decimals, see reaches) is what is measured against the goal,
    during the period as after it: a grade of 0.60 beside "missed" for an aspirational objective (goal
    0.6) would contradict itself, as would "100 % done" beside on-track the day before "grade 1.00 ✔
    achieved"."""
    if reaches(progress, goal):
        return "achieved"
    if as_of < period.start:
        return "not-started"
    if as_of > period.end:
        return "missed"
    return status_by_gap(elapsed(period, as_of) * goal - progress, settings)


def compute(site: Site, settings: Settings, as_of: date, earlier: "tuple[Site, Scores] | None" = None, logs: Logs | None = None,
            known: "Callable[[Objective], ObjectiveScore | None] | None" = None) -> Scores:
    """Scores of every objective and KPI; ``logs`` are the check-ins read from git, if any. With
    ``earlier`` (the previous site and its scores, as live preview keeps them), key results of
    unchanged objectives and unchanged KPIs are not computed again. ``known`` gives the score an
    objective whose own key results score had in the last build, when what it is made from is the same
    (the build cache: see ``cache.BuildCache.known_scores``); it is not asked about any other."""
    run = _Scoring(site, settings, as_of, logs, earlier)
    run.take_whole(known)
    run.score_key_results()
    run.count_rollups()
    objectives = run.objective_scores()
    stood = updates_as_they_stood(site, as_of, run.update_on, run.late, run.moved)
    stood_deleted, left_deleted = run.ended_deleted()
    return Scores(as_of, rolled_up_updates(site, objectives, as_of, stood, run.scored_anew()), run.kpis, logs, stood,
                  graded_with={ident: {key: getattr(graded, key) for key in GRADING} for ident, graded in run.graded.items()},
                  deleted_stood=stood_deleted, deleted_left=left_deleted)


def graded_periods(site: Site, settings: Settings, as_of: date, logs: Logs | None) -> dict[str, Settings]:
    """The settings each finished period of ``site`` is graded with, by period id, where they are not
    ``settings``: a finished period's grades are final (SPEC §6), so with git history it keeps
    okrsite.toml's grading settings (GRADING) as committed by its last day (Logs.grading), as a KPI
    keeps its definition of then (defined_on), and a later change grades only the periods running or
    to come. Without git history, or when no commit of okrsite.toml by then can be read, the settings
    as they are now."""
    if logs is None or not logs.grading:
        return {}
    found = {}
    for period in site.periods.values():
        then = logs.grading.get(period.end) if as_of > period.end else None
        changed = {key: value for key, value in (then or {}).items() if getattr(settings, key) != value}
        if changed:
            found[period.id] = replace(settings, **changed)
    return found


def graded_kind(o: Objective, settings: Settings) -> str:
    """The kind ``settings`` (those its period is graded with: graded_periods) grade an objective as:
    its own `kind:`, else their default_kind."""
    return o.kind if o.kind_given else settings.default_kind


def reusable(earlier: "tuple[Site, Scores] | None", as_of: date, logs: Logs | None, known_since: date | None) -> "tuple[Site, Scores] | tuple[None, None]":
    """The earlier site and scores, when they were computed as of the same date from the same history
    (with git or without, in a shallow clone from the same oldest commit, and with okrsite.toml's same
    grading settings at the periods' ends: graded_periods); else (None, None)."""
    same = earlier and earlier[1].as_of == as_of and (earlier[1].logs is None) == (logs is None)
    return earlier if same and (not logs or (earlier[1].logs.known_since(), earlier[1].logs.grading) == (known_since, logs.grading)) else (None, None)


class _Scoring:
    """One run of compute, stage by stage: the KPIs' states (made on creation), the scores taken whole
    (take_whole), the key results' scores (score_key_results), what each roll-up counts
    (count_rollups), then the objectives' scores (objective_scores), whose progress and forecasts are
    worked out as they are asked for and kept (``progress``, ``progress_then``, ``forecasts``)."""

    def __init__(self, site: Site, settings: Settings, as_of: date, logs: Logs | None, earlier: "tuple[Site, Scores] | None") -> None:
        self.site, self.settings, self.as_of, self.logs = site, settings, as_of, logs
        self.known_since = logs.known_since() if logs else None
        self.old_site, self.old_scores = reusable(earlier, as_of, logs, self.known_since)
        self.old_logs = self.old_scores.logs if self.old_scores and self.old_scores.logs else Logs({}, {})
        self.kpi_logs = logs.kpis if logs else {}
        self.objective_logs = logs.objectives if logs else {}
        self.kpis = {ident: self.old_scores.kpis[ident] if self.unchanged("kpis", kpi) else kpi_state(kpi, as_of, self.kpi_logs.get(ident))
                     for ident, kpi in site.kpis.items()}
        self.units = {ident: kpi.unit for ident, kpi in site.kpis.items()}
        self.frozen: dict[tuple[str, date], KPIState] = {}
        self.changed_kpis = self.kpis_changed()
        self.taken: dict[str, ObjectiveScore] = {}  # take_whole
        self.kr_scores: dict[str, tuple[KRScore, ...]] = {}  # score_key_results
        self.progress: dict[str, float] = {}  # these three as asked for, and kept
        self.progress_then: dict[tuple[str, date], float] = {}
        self.forecasts: dict[tuple[str, date | None], Forecast] = {}
        self.added: Mapping[str, Held] | None = logs.added if logs else None  # these: count_rollups
        self.late: dict[str, tuple[str, ...]] = {}
        self.aligned: dict[str, tuple[str, ...]] = {}
        self.gone: dict[str, tuple[DeletedChild, ...]] = {}
        self.formerly: dict[str, tuple[str, ...]] = {}
        self.moved: dict[str, tuple[str, ...]] = {}
        self.rollup = Rollup(site)
        self.objectives: dict[str, ObjectiveScore] = {}  # objective_scores
        self.graded = graded_periods(site, settings, as_of, logs)

    def grading_of(self, o: Objective) -> Settings:
        """The settings an objective is graded with: those of its period (graded_periods)."""
        return self.graded.get(o.period.id, self.settings)

    def goal_of(self, o: Objective) -> float:
        graded = self.grading_of(o)
        return graded.goal(graded_kind(o, graded))

    def unchanged(self, table: str, entity) -> bool:
        """The very same KPI or objective as in the earlier site, with the very same check-ins."""
        if self.old_site is None or getattr(self.old_site, table).get(entity.id) is not entity:
            return False
        own, old = (self.kpi_logs, self.old_logs.kpis) if table == "kpis" else (self.objective_logs, self.old_logs.objectives)
        return own.get(entity.id) is old.get(entity.id)

    def kpis_changed(self) -> set[str]:
        """The KPIs whose file or state differs from the earlier ones (added and removed ones too)."""
        if self.old_site is None:
            return set()
        old_site, old_kpis, site, kpis = self.old_site, self.old_scores.kpis, self.site, self.kpis
        return {k for k in site.kpis.keys() | old_site.kpis.keys()
                if not _same(old_kpis.get(k), kpis.get(k)) or not _same(old_site.kpis.get(k), site.kpis.get(k))}

    def own_inputs_unchanged(self, o: Objective) -> bool:
        """The very same objective with the same check-ins, whose key results' KPIs are as they were."""
        return self.unchanged("objectives", o) and not (self.changed_kpis and any(kr.kpi in self.changed_kpis for kr in o.key_results))

    def kpis_until(self, day: date, linked: set[str]) -> Mapping[str, KPIState]:
        """The linked KPIs as key results of a period that ended on ``day`` count them."""
        if day == self.as_of:
            return self.kpis
        frozen, kpis = self.frozen, self.kpis
        for k in linked:
            if (k, day) not in frozen and k in kpis:
                frozen[k, day] = kpi_until(kpis[k], day, self.as_of, self.kpi_logs.get(k))
        return {k: frozen[k, day] for k in linked if (k, day) in frozen}

    def kr_log(self, o: Objective, kr: KeyResult) -> KRLog | None:
        kr_logs = self.objective_logs.get(o.id, ())
        return kr_logs[kr.index] if kr.index < len(kr_logs) else None

    def take_whole(self, known: "Callable[[Objective], ObjectiveScore | None] | None") -> None:
        """The scores kept whole (``taken``): the build cache's (``known``), and the earlier ones no change
        touched (untouched); their progress and forecasts are known too."""
        self.taken = {o.id: found for o in self.site.objectives.values() if known and scoring(o.key_results) and (found := known(o)) is not None}
        if self.old_site is not None:
            self.taken.update((ident, self.old_scores.objectives[ident])
                              for ident in untouched(self.site, self.old_site, self.own_inputs_unchanged, self.aligned_before))
        self.progress = {ident: score.progress for ident, score in self.taken.items()}
        self.forecasts = {(ident, None): (score.forecast, score.forecast_unknown) for ident, score in self.taken.items()}

    def aligned_before(self, ident: str) -> set[str]:
        """The objectives a commit aligned ``ident`` to (Held.aligned, in the history as now and as the
        earlier scores read it): a finished one may count it still, as it stood (counted_on)."""
        held = [found for found in ((self.added or {}).get(ident), self.old_logs.added.get(ident)) if found is not None]
        return {parent for found in held for _, parent in found.aligned if parent is not None}

    def score_key_results(self) -> None:
        """The key results' scores (``kr_scores``) of every objective not taken whole."""
        self.kr_scores = {o.id: self.kr_scores_of(o) for o in self.site.objectives.values() if o.id not in self.taken}

    def kr_scores_of(self, o: Objective) -> tuple[KRScore, ...]:
        # Reusing is right for a finished period too: its KPI states follow from the as-of ones,
        # whose values name the commit that recorded each.
        if self.own_inputs_unchanged(o):
            return self.old_scores.objectives[o.id].key_results
        day = cut_off(o.period, self.as_of)
        counted = self.kpis_until(day, {kr.kpi for kr in o.key_results if kr.kpi})
        return tuple(self.whole_kr_score(o, kr, day, counted) for kr in o.key_results)

    def whole_kr_score(self, o: Objective, kr: KeyResult, day: date, counted: Mapping[str, KPIState]) -> KRScore:
        """A key result's score counting its values up to ``day`` (its period's last day, or the as-of
        date), with when it was updated, its staleness, forecast, late check-ins and re-scopes."""
        as_of, log = self.as_of, self.kr_log(o, kr)
        score = kr_score(kr, counted, self.units, day, log, as_of >= o.period.start)
        when, who, seq = kr_updated(kr, score.history, log, counted.get(kr.kpi), as_of, day)
        followed = counted.get(kr.kpi) if follows_kpi(kr) else None
        added = log.added if log and not when else None
        retired = followed is not None and followed.retired is not None  # no value is to come: it stands where it is (QA EN)
        stale = self.kr_stale(o, kr, score.progress, followed, retired, when or added)
        kpi_values = counted[kr.kpi].values if kr.kpi in counted else ()
        unknown = None if o.status in SETTLED else forecast_unknown(kr, log, o.period, as_of, self.known_since)
        forecast = None if o.status in SETTLED or unknown else kr_forecast(kr, o.period, as_of, score.progress, score.history, kpi_values, score.current, retires_on(self.site, kr))
        history = score.history + late_check_ins(kr, log, day, as_of) if day < as_of else score.history
        kpi_logs = self.kpi_logs
        return KRScore(score.current, score.progress, score.ratio, score.unit, history, when, who,  # replace() costs thrice this
                       stale, score.held, forecast, score.withheld, seq, added, unknown,
                       rescopes_in(kr, log, o.period, as_of, measured_on(kr, history, kpi_values),
                                   written_anew(kr, log, kpi_logs.get(kr.kpi) if kr.kpi else None, as_of)),
                       corrected_after_end(o.period, kpi_values if followed is not None else (), kpi_logs.get(kr.kpi), as_of),
                       self.awaited(o, kr, followed), self.added_late(o, kr, followed))

    def added_late(self, o: Objective, kr: KeyResult, followed: KPIState | None) -> AddedLate | None:
        """The KPI value a finished period's key result that follows its KPI ends on, when first written after
        the period ended (value_added_after_end)."""
        if followed is None:
            return None
        log = self.kr_log(o, kr)
        return value_added_after_end(self.site.kpis[kr.kpi], o.period, followed.values, self.kpis[kr.kpi].values, self.kpi_logs.get(kr.kpi),
                                     log.first if log else None, self.as_of)

    def awaited(self, o: Objective, kr: KeyResult, followed: KPIState | None) -> Awaited | None:
        """The figure a finished period's key result that counts its KPI's values (a number or a
        guardrail's line, not a milestone or an estimate) still awaits of it, if any (numbers.awaited)."""
        if followed is None or kr.form not in ("numeric", GUARDRAIL):
            return None
        return awaited_figure(self.site.kpis[kr.kpi], o.period, followed.current_date, self.kpis[kr.kpi].current_date, self.as_of)

    def key_results_of(self, ident: str) -> tuple[KRScore, ...]:
        return self.kr_scores[ident] if ident in self.kr_scores else self.taken[ident].key_results

    def kr_stale(self, o: Objective, kr: KeyResult, progress: float, followed: KPIState | None, retired: bool, since: date | None) -> bool:
        if followed is not None:  # as fresh as its KPI, whose own frequency says when it is late (retired too)
            late = followed.stale or (retired and kpi_lateness(self.site.kpis[kr.kpi], followed.current_date, self.as_of)[0])
            return late and o.period.contains(self.as_of) and progress < 1 - _EPSILON
        return kr_is_stale(since or self.known_since, progress, o.period, self.as_of, self.settings)

    def count_rollups(self) -> None:
        """What each roll-up counts (``rollup``): without the children added or aligned to it after its
        period ended (``late``; ``aligned``: those aligned), with those deleted since as they stood
        (``gone``), and those aligned elsewhere since as they stood on its last day (``moved``)."""
        self.late = added_after_end(self.site, self.added, self.as_of)
        self.aligned = {ident: found for ident, late in self.late.items() if (found := aligned_then(self.added, late, self.site.objectives[ident].period.end))}
        self.gone = deleted_after_end(self.site, self.logs, self.as_of)
        self.formerly = formerly_aligned(self.site, self.added, self.logs.deleted if self.logs else {})
        self.moved = moved_after_end(self.site, self.added, self.formerly, self.as_of)
        self.rollup = Rollup(self.site, self.late, self.gone, self.moved)

    def counted_on(self, ident: str, day: date, visiting: frozenset) -> list[str]:
        """The objectives roll-up ``ident`` counts as it stood on ``day`` (its last day, or a finished
        roll-up's above it): of those it counts, the ones git held aligned to it that day (joined_after),
        and the ones git held aligned to it that day that are aligned elsewhere now (aligned_on). A
        realignment after that day moves neither its grade nor one it counts in."""
        kids = [c for c in self.rollup.children(ident, visiting) if not self.joined_after(ident, c, day)]
        if day < self.as_of and ident in self.formerly:
            kids += [c for c in self.formerly[ident] if c not in kids and c not in visiting and aligned_on(self.site, self.added, ident, c, day)
                     and self.rollup.counts(c, visiting | {ident})]
        return kids

    def joined_after(self, ident: str, child: str, day: date) -> bool:
        """Whether ``child``, aligned to the roll-up ``ident`` now, was added after ``day`` or git held it
        aligned elsewhere that day (was_added_after, aligned_elsewhere)."""
        return day < self.as_of and (was_added_after(self.added, ident, child, day)
                                     or aligned_elsewhere(self.site, self.added, ident, child, day))

    def scored_before(self, o: Objective) -> ObjectiveScore | None:
        """The earlier score of an unchanged objective whose key results scored as before (the very
        same scores): its own progress and forecast, which follow from those alone, are still right."""
        old = self.old_scores.objectives.get(o.id) if self.old_scores is not None else None
        return old if old is not None and old.key_results is self.kr_scores[o.id] and self.unchanged("objectives", o) else None

    def progress_of(self, ident: str, visiting: frozenset = frozenset()) -> float:
        if ident in self.progress:
            return self.progress[ident]
        o = self.site.objectives[ident]
        if scoring(o.key_results):
            before = self.scored_before(o)
            value = before.progress if before is not None else weighted_progress(self.kr_scores[ident], o.key_results)
        else:
            value = self.rolled_up(ident, cut_off(o.period, self.as_of), visiting)
        self.progress[ident] = value
        return value

    def counted_then(self, ident: str) -> tuple[tuple[str, float], ...]:
        """The children a roll-up counts as they stood on its last day, where that is not as they stand
        (progress_on) in whole percent, as the pages show both (a grade has two decimals too)."""
        o, objectives, as_of = self.site.objectives[ident], self.site.objectives, self.as_of
        if scoring(o.key_results):
            return ()
        self.progress_of(ident)
        day = cut_off(o.period, as_of)
        kids = ((c, cut_off(objectives[c].period, day)) for c in self.rollup.children(ident, frozenset()))
        return tuple((c, self.progress_then[c, until]) for c, until in kids
                     if until != cut_off(objectives[c].period, as_of) and (c, until) in self.progress_then
                     and round_half_up(self.progress_then[c, until], 2) != round_half_up(self.progress_of(c), 2))

    def rolled_up(self, ident: str, day: date, visiting: frozenset) -> float:
        """The mean progress of the objectives aligned to one, each counting its values up to ``day``, of
        those git held aligned to it that day (counted_on), and of those deleted since, as they stood (stood_on)."""
        kids = [self.progress_on(c, day, visiting | {ident}) for c in self.counted_on(ident, day, visiting)]
        kids += [self.stood_on(c.objective, c.logs, day) for c in self.rollup.kept.get(ident, ()) if c.since <= day]
        return sum(kids) / len(kids) if kids else 0.0

    def stood_on(self, o: Objective, logs: Sequence[KRLog], day: date) -> float:
        """The progress of an objective whose key results score, counting their values up to ``day``
        when its period runs on past it (as_it_stood); scored as of the as-of date otherwise, as
        kr_scores_of scores it (a final value checked in after its period ended counts)."""
        return weighted_progress(self.stood_key_results(o, logs, day), o.key_results)

    def stood_key_results(self, o: Objective, logs: Sequence[KRLog], day: date) -> tuple[KRScore, ...]:
        """The scores of an objective's key results as stood_on counts them."""
        until = cut_off(o.period, day)
        then = until != cut_off(o.period, self.as_of)
        counted = self.kpis_until(until, {kr.kpi for kr in o.key_results if kr.kpi})
        log_of = [logs[kr.index] if kr.index < len(logs) else None for kr in o.key_results]
        started = then or self.as_of >= o.period.start
        return tuple(kr_score(as_it_stood(kr, log, until) if then else kr, counted, self.units, until, log, started)
                     for kr, log in zip(o.key_results, log_of))

    def ended_deleted(self) -> tuple[dict[str, tuple[tuple[DeletedChild, ObjectiveScore], ...]], dict[str, tuple[DeletedChild, ...]]]:
        """Of each period ended before the as-of date, the objectives git held on its last day and deleted
        after (Logs.ended_deleted), each scored as it stood, as a finished roll-up counts one (Rollup.kept:
        those whose key results score; the same DeletedChild): a finished period's team figures count
        them (numbers.teams), as they were final that day. Not one whose id an objective has now (a
        file written anew in its place: that one counts). And, apart, the ones that cannot be counted
        so (a roll-up itself, an error in its last version, a key result following a KPI deleted
        since): the period's page and review name them as left out, and check warns, rather than drop
        them with no word."""
        stood, left = {}, {}
        for period_id, deleted in self.ended_deleted_held().items():
            kept = counted_as_they_stood(deleted)
            if kept:
                stood[period_id] = tuple((c, self.stood_score(c)) for c in kept)
            kept_ids = {id(c) for c in kept}
            if missing := tuple(c for c in deleted if id(c) not in kept_ids):
                left[period_id] = missing
        return stood, left

    def ended_deleted_held(self) -> dict[str, tuple[DeletedChild, ...]]:
        """Logs.ended_deleted of the periods ended before the as-of date, held by git on their last day,
        and whose id no objective has now."""
        found = {}
        for period_id, deleted in (self.logs.ended_deleted if self.logs else {}).items():
            held = tuple(c for c in deleted if c.period.end < self.as_of and c.since <= c.period.end and c.ident not in self.site.objectives)
            if held:
                found[period_id] = held
        return found

    def stood_score(self, child: DeletedChild) -> ObjectiveScore:
        """A deleted objective's score as it stood at its period's end: the figures a live one's has."""
        o = child.objective
        krs = self.stood_key_results(o, child.logs, self.as_of)
        return objective_score(o, weighted_progress(krs, o.key_results), krs, self.grading_of(o), self.as_of, self.known_since)

    def progress_on(self, ident: str, day: date, visiting: frozenset) -> float:
        """An objective's progress counting its dated values up to ``day`` (a roll-up's last day, or the
        as-of date): the same rule that freezes a key result at its own period's end (SPEC §6), so a
        child whose period runs on past its parent's does not move the parent's grade afterwards. Its
        progress as of the as-of date unless its period runs on past ``day``: only then is it scored again."""
        o = self.site.objectives[ident]
        until = cut_off(o.period, day)
        if until == cut_off(o.period, self.as_of):
            return self.progress_of(ident, visiting)
        if (ident, until) not in self.progress_then:
            if scoring(o.key_results):
                self.progress_then[ident, until] = self.stood_on(o, self.objective_logs.get(ident, ()), until)
            else:
                self.progress_then[ident, until] = self.rolled_up(ident, until, visiting)
        return self.progress_then[ident, until]

    def forecast_of(self, ident: str, visiting: frozenset = frozenset(), until: date | None = None) -> Forecast:
        """SPEC §11: only while its period runs, and not for an objective settled by hand (cancelled, it
        lands nowhere; achieved or missed, it has landed); a roll-up from its children's forecasts, each
        read on the roll-up's last day (``until``): a child whose period runs on past it lands in the
        roll-up's grade where it stands that day (progress_on), not at its own end. None, with the day a
        shallow clone's history starts, when a key result it is made from needs check-ins from before it:
        a mean counting that one with its progress now would be a number nobody forecast."""
        o = self.site.objectives[ident]
        until = until if until is not None and until < o.period.end else None
        if (ident, until) in self.forecasts:
            return self.forecasts[ident, until]
        period = o.period if until is None else replace(o.period, end=until)
        if not period.contains(self.as_of) or not self.rollup.counts(ident) or o.status in SETTLED:
            value: Forecast = (None, None)
        elif scoring(o.key_results):
            value = self.own_forecast(o, period, until)
        else:
            value = self.children_forecast(o, period, visiting)
        self.forecasts[ident, until] = value
        return value

    def own_forecast(self, o: Objective, period: Period, until: date | None) -> Forecast:
        """The forecast of an objective whose key results score, from theirs (read on ``until``, a
        roll-up's last day before its own end)."""
        krs, before = self.kr_scores[o.id] if o.id in self.kr_scores else self.taken[o.id].key_results, self.scored_before(o) if until is None else None
        unknown = next((s.forecast_unknown for s in krs if s.forecast_unknown), None)
        if unknown:
            return None, unknown
        if before is not None:
            return before.forecast, None
        forecasts = [s.forecast for s in krs] if until is None else self.forecasts_until(o, krs, period)
        return objective_forecast(o.key_results, [s.progress for s in krs], forecasts, self.goal_of(o), self.settings), None

    def children_forecast(self, o: Objective, period: Period, visiting: frozenset) -> Forecast:
        """A roll-up's forecast, from those of the children it counts, each read on ``period``'s last day."""
        kids = [(self.progress_of(c), *self.forecast_of(c, visiting | {o.id}, period.end)) for c in self.rollup.children(o.id, visiting)]
        unknown = next((u for _, _, u in kids if u), None)
        return (None, unknown) if unknown else (rolled_up_forecast([(p, f) for p, f, _ in kids], self.goal_of(o), self.settings), None)

    def forecasts_until(self, o: Objective, krs: tuple[KRScore, ...], period: Period) -> list[KRForecast | None]:
        """Its key results' forecasts read on ``period``'s last day, before their own period's."""
        kpi_values = {kr.kpi: self.kpis[kr.kpi].values for kr in o.key_results if kr.kpi in self.kpis}
        return [kr_forecast(kr, period, self.as_of, s.progress, s.history, kpi_values.get(kr.kpi, ()), s.current, retires_on(self.site, kr))
                for kr, s in zip(o.key_results, krs)]

    def objective_scores(self) -> dict[str, ObjectiveScore]:
        """Every objective's score (``objectives``), each with the children deleted after its period
        ended that it counted (``deleted_late``), and the KPI values corrected late of those and of the
        objectives it counts as they stood on its last day (with_stood)."""
        objectives = {o.id: self.taken[o.id] if o.id in self.taken else self.objective_score_of(o) for o in self.site.objectives.values()}
        for ident, score in objectives.items():
            objectives[ident] = with_stood(score, self.site.objectives[ident].period, self.gone.get(ident, ()), self.corrected_then(ident),
                                           self.kpis, self.kpi_logs, self.as_of, self.deleted_counted(ident))
        self.objectives = objectives
        return objectives

    def deleted_counted(self, ident: str) -> tuple[tuple[DeletedChild, float], ...]:
        """The children deleted after a finished roll-up's period ended that its progress counts as they
        stood (Rollup.kept), each with the progress it counts (rolled_up, on its last day): the pages and
        okrs.json name them, so that its children's mean is its progress although these have no page."""
        kept = self.rollup.kept.get(ident, ())
        if not kept:
            return ()
        day = cut_off(self.site.objectives[ident].period, self.as_of)
        return tuple((c, self.stood_on(c.objective, c.logs, day)) for c in kept if c.since <= day)

    def corrected_then(self, ident: str, day: date | None = None, visiting: frozenset = frozenset()) -> tuple["CorrectedChild", ...]:
        """Of a finished roll-up, the KPI values corrected late (corrected_until) of the objectives it
        counts as they stood on its last day (``day``), their period running on past it (progress_on),
        and of those an aligned roll-up of such a period counts in turn. Its grade counts the corrected
        value, and no page of theirs says it: a key result says a correction of its own period's final
        value only (corrected_after_end), and theirs ends later."""
        o = self.site.objectives[ident]
        if day is None and (scoring(o.key_results) or o.period.end >= self.as_of):
            return ()
        day = o.period.end if day is None else day
        found: list[CorrectedChild] = []
        for child in (self.site.objectives[c] for c in self.counted_on(ident, day, visiting)):
            until = cut_off(child.period, day)
            if until == cut_off(child.period, self.as_of):
                continue
            found += ([CorrectedChild(child, kr, when) for kr, when in corrected_until(child, until, self.kpis, self.kpi_logs, self.as_of)]
                      if scoring(child.key_results) else self.corrected_then(child.id, until, visiting | {ident}))
        return tuple(found)

    def objective_score_of(self, o: Objective) -> ObjectiveScore:
        old = self.old_scores.objectives.get(o.id) if self.old_scores is not None else None
        then, awaited = self.counted_then(o.id), self.rollup.awaited(o.id, self.key_results_of)
        if old is not None and self.still_right(o, old, then, awaited):
            return old
        forecast, unknown = self.forecast_of(o.id)
        return objective_score(o, self.progress_of(o.id), self.kr_scores[o.id], self.grading_of(o), self.as_of, self.known_since, forecast,
                               self.rollup.measures(o.id), then, unknown, self.late.get(o.id, ()), awaited,
                               self.aligned.get(o.id, ()), self.moved.get(o.id, ()))

    def still_right(self, o: Objective, old: ObjectiveScore, then: tuple[tuple[str, float], ...], awaited: tuple[Awaited, ...]) -> bool:
        """Whether an objective's earlier score is the one it would be given now, every part of it: then
        it is kept, the very same object (the preview renders again only what changed)."""
        measures = self.rollup.measures
        return (old.key_results is self.kr_scores[o.id] and old.progress == (self.progress_of(o.id) if measures(o.id) else None)
                and (old.forecast, old.forecast_unknown) == self.forecast_of(o.id) and self.unchanged("objectives", o)
                and measures(o.id) == (old.status != "cancelled" or old.status_source == "manual") and old.counted_then == then
                and old.added_late == self.late.get(o.id, ()) and old.awaited == (() if old.status == "cancelled" else awaited)
                and (old.aligned_late, old.moved_late) == (self.aligned.get(o.id, ()), self.moved.get(o.id, ())))

    def update_on(self, o: Objective, day: date) -> "Update | tuple[None, None, None]":
        """An objective's last update by ``day``, its key results' (kr_updated, with the day as the as-of date)."""
        counted = self.kpis_until(day, {kr.kpi for kr in o.key_results if kr.kpi})
        return latest([update for kr, score in zip(o.key_results, self.objectives[o.id].key_results)
                       if (update := kr_updated(kr, as_of_date(score.history, day), self.kr_log(o, kr), counted.get(kr.kpi), day, day))[0] is not None])

    def scored_anew(self) -> set[str] | None:
        """The objectives not taken whole from the earlier scores; None without earlier scores: all."""
        return None if self.old_site is None else self.objectives.keys() - self.taken.keys()


def updates_as_they_stood(site: Site, as_of: date, update_then: "Callable[[Objective, date], Update | tuple[None, None, None]]",
                          late: Mapping[str, Collection[str]] | None = None,
                          moved: Mapping[str, Collection[str]] | None = None) -> dict[tuple[str, date], "Update | tuple[None, None, None]"]:
    """Of each objective below a finished roll-up whose period runs on past the roll-up's last day, its
    own last update by that day (``update_then``: kr_updated's rules, with the day as the as-of date),
    by (id, day): the roll-up counts it as it stood then (progress_on), and so is dated by it
    (rolled_up_updates). Kept in the scores, so that the public view dates its roll-ups the same way."""
    found: dict[tuple[str, date], tuple] = {}

    def walk(ident: str, day: date, visiting: frozenset) -> None:
        o = site.objectives[ident]
        day = cut_off(o.period, day)
        if day != cut_off(o.period, as_of) and (ident, day) not in found:
            found[ident, day] = update_then(o, day)
        if not scoring(o.key_results):
            for c in counted_in_its_time(site, ident, (late or {}).get(ident, ()), (moved or {}).get(ident, ())):
                if c not in visiting:
                    walk(c, day, visiting | {ident})

    for ident in site.children:
        o = site.objectives.get(ident)
        if o is not None and o.period.end < as_of and not scoring(o.key_results):
            walk(ident, as_of, frozenset())
    return found


def untouched(site: Site, old_site: Site, own_inputs_unchanged: Callable[[Objective], bool],
              aligned_before: Callable[[str], Iterable[str]] = lambda ident: ()) -> set[str]:
    """The objectives whose earlier score is still right, whole: their own inputs are unchanged (the very
    same entity, check-ins and linked KPIs) and so are those of every objective aligned below them, and
    none was aligned to them or away. An objective is touched when it or one below it changed, or one
    below it went: a save touches one objective and the chain above it, not the 10,000 others, and
    the chain above each objective a commit aligned it to (``aligned_before``: a finished roll-up
    counts it as it stood there, aligned elsewhere now)."""
    touched: set[str] = set()

    def touch_above(o: Objective, objectives: Mapping[str, Objective]) -> None:
        """The chain of parents above ``o`` in ``objectives`` (an unchanged objective has the same parent in both sites)."""
        ident = o.parent
        while ident is not None and ident in objectives and ident not in touched:
            touched.add(ident)
            ident = objectives[ident].parent

    def touch(ident: str, objectives: Mapping[str, Objective]) -> None:
        if ident in objectives and ident not in touched:
            touched.add(ident)
            touch_above(objectives[ident], objectives)

    for ident, o in site.objectives.items():
        if not own_inputs_unchanged(o):
            touched.add(ident)
            touch_above(o, site.objectives)
            if ident in old_site.objectives:
                touch_above(old_site.objectives[ident], old_site.objectives)
            for parent in aligned_before(ident):
                touch(parent, site.objectives)
    for ident in old_site.objectives.keys() - site.objectives.keys():
        touch_above(old_site.objectives[ident], old_site.objectives)
        for parent in aligned_before(ident):
            touch(parent, site.objectives)
    return {ident for ident in site.objectives if ident not in touched}


def _same(old, new) -> bool:
    return old is new or old == new


class Rollup:
    """What a roll-up counts (SPEC §5, §6): of the objectives aligned to one in its time (in_its_time),
    those not cancelled by hand that measure something: key results that score, or an aligned objective
    counted in turn. One that measures nothing is cancelled too, as computed (objective_score), and
    counts nowhere. ``late``: by roll-up, the children it leaves out as added after its period ended
    (added_after_end; each score's ``added_late``). ``gone``: by finished roll-up, the children it
    counted when its period ended whose files were deleted since (deleted_after_end; each score's
    ``deleted_late``): those whose key results score it still counts as they stood (``kept``). ``moved``:
    by finished roll-up, the objectives aligned elsewhere now that it counted when its period ended
    (moved_after_end; each score's ``moved_late``): it counts them still."""

    def __init__(self, site: Site, late: Mapping[str, Collection[str]] | None = None,
                 gone: Mapping[str, Collection[DeletedChild]] | None = None, moved: Mapping[str, Collection[str]] | None = None) -> None:
        self.site = site
        self.late = late or {}
        self.moved = moved or {}
        self.kept = {ident: kept for ident, children in (gone or {}).items() if (kept := counted_as_they_stood(children))}
        self.measured: dict[str, bool] = {}
        self.awaits: dict[tuple, tuple[Awaited, ...]] = {}  # by (roll-up, last day, objectives left out): awaited

    def measures(self, ident: str, visiting: frozenset = frozenset()) -> bool:
        if ident not in self.measured:
            self.measured[ident] = bool(scoring(self.site.objectives[ident].key_results) or self.children(ident, visiting) or self.kept.get(ident))
        return self.measured[ident]

    def counts(self, ident: str, visiting: frozenset = frozenset()) -> bool:
        return self.site.objectives[ident].status != "cancelled" and self.measures(ident, visiting)

    def children(self, ident: str, visiting: frozenset = frozenset()) -> list[str]:
        return [c for c in counted_in_its_time(self.site, ident, self.late.get(ident, ()), self.moved.get(ident, ()))
                if c not in visiting and self.counts(c, visiting | {ident})]

    def awaited(self, ident: str, key_results: Callable[[str], tuple[KRScore, ...]], leave_out: frozenset[str] = frozenset(),
                visiting: frozenset = frozenset(), until: date | None = None) -> tuple[Awaited, ...]:
        """The month-end KPI figures objective ``ident``'s progress awaits (numbers.awaited), each once by KPI
        and month: those its scoring key results await (``key_results``: an objective's key results'
        scores; a guardrail counts in no progress, SPEC §12), or a roll-up's, those of the children it
        counts (children, as its progress counts them), but for those in ``leave_out`` (the objectives
        an audience does not see): the one computation of the pages, okrs.json and the digest.
        A child whose period runs past the roll-up's last day (``until``) is counted as it stood on that
        day (progress_on), not as its own period's end awaits: it is left out here, so that a quarter
        does not turn provisional again when the child's longer period ends. Remembered by objective."""
        o = self.site.objectives[ident]
        if scoring(o.key_results):
            return awaits_once(s.awaited for kr, s in zip(o.key_results, key_results(ident)) if s.awaited and kr.form != GUARDRAIL)
        until = o.period.end if until is None else until
        key = (ident, until, leave_out)
        if key not in self.awaits:
            self.awaits[key] = awaits_once(a for c in self.children(ident, visiting) if c not in leave_out and self.site.objectives[c].period.end <= until
                                           for a in self.awaited(c, key_results, leave_out, visiting | {ident}, until))
        return self.awaits[key]

    @classmethod
    def of(cls, site: Site, scores: Mapping[str, ObjectiveScore]) -> "Rollup":
        """What the roll-ups of ``site`` count, as ``scores`` (compute's) left out children added late
        and kept those deleted or moved late."""
        return cls(site, {ident: s.added_late for ident, s in scores.items() if s.added_late},
                   {ident: s.deleted_late for ident, s in scores.items() if s.deleted_late},
                   {ident: s.moved_late for ident, s in scores.items() if s.moved_late})


@dataclass(frozen=True)
class CorrectedChild:
    """A key result of an objective a finished roll-up counts as it stood on its last day (one deleted
    since: counted_as_they_stood, or one whose period runs on past it: _Scoring.corrected_then), whose
    KPI value it ends on there a commit after the roll-up's period ended wrote anew."""

    objective: Objective
    key_result: KeyResult
    corrected_late: tuple[date, date]  # (that value's date, the day of the commit: corrected_after_end)
    child: DeletedChild | None = None  # the deleted one's


def with_stood(score: ObjectiveScore, period: Period, deleted: tuple[DeletedChild, ...], stood: tuple[CorrectedChild, ...],
               kpis: Mapping[str, KPIState], kpi_logs: Mapping[str, KPILog], as_of: date,
               counted: tuple[tuple[DeletedChild, float], ...] = ()) -> ObjectiveScore:
    """The score of a roll-up of ``period`` with the children deleted after it ended (deleted_after_end),
    those of them it counts as they stood with the progress it counts (``counted``:
    _Scoring.deleted_counted), and the KPI values corrected late of those it counts as they stood,
    deleted (corrected_as_they_stood) or running on past its end (``stood``: _Scoring.corrected_then)."""
    corrected = corrected_as_they_stood(period, deleted, kpis, kpi_logs, as_of)
    if (score.deleted_late, score.deleted_corrected, score.counted_corrected, score.deleted_counted) == (deleted, corrected, stood, counted):
        return score
    return replace(score, deleted_late=deleted, deleted_corrected=corrected, counted_corrected=stood, deleted_counted=counted)


def corrected_as_they_stood(period: Period, deleted: Iterable[DeletedChild], kpis: Mapping[str, KPIState],
                            kpi_logs: Mapping[str, KPILog], as_of: date) -> tuple[CorrectedChild, ...]:
    """The KPI values a finished roll-up of ``period`` counts, of the children it counts as they stood
    though deleted since, that a commit after the period ended wrote anew. Its grade counts the
    corrected value, as it does a live child's: the KPI is corrected for every key result that follows
    it, and a live child's key result says so on its page (corrected_after_end). A deleted one has no
    page: the roll-up says it. A child of a longer period counts as it stood on the roll-up's last day."""
    return tuple(CorrectedChild(child.objective, kr, when, child) for child in counted_as_they_stood(deleted)
                 for kr, when in corrected_until(child.objective, period.end, kpis, kpi_logs, as_of))


def corrected_until(o: Objective, day: date, kpis: Mapping[str, KPIState], kpi_logs: Mapping[str, KPILog],
                    as_of: date) -> list[tuple[KeyResult, tuple[date, date]]]:
    """Of ``o``'s key results that follow a KPI, counted up to ``day`` (a finished roll-up's last day, or
    their own period's end before it), each whose KPI value it ends on there a commit after that day
    wrote anew, with (that value's date, the commit's day): corrected_after_end."""
    counted = replace(o.period, end=min(o.period.end, day))
    return [(kr, when) for kr in o.key_results if follows_kpi(kr) and kr.kpi in kpis
            and (when := corrected_after_end(counted, kpis[kr.kpi].values, kpi_logs.get(kr.kpi), as_of)) is not None]


def counted_as_they_stood(children: Iterable[DeletedChild]) -> tuple[DeletedChild, ...]:
    """Of the objectives deleted after a finished roll-up's period ended, those it still counts: read
    from their last version, with key results that score (DeletedChild.objective). A deleted roll-up's
    progress was its children's, which may have moved since: it is no longer counted."""
    return tuple(c for c in children if c.objective is not None and scoring(c.objective.key_results))


def in_its_time(site: Site, ident: str, late: Collection[str] = ()) -> list[str]:
    """The objectives aligned to one that can count in it: not those whose period starts after its
    period ends nor those whose period ended before it started (a warning in check), nor those in
    ``late`` (added_after_end). Its grade would move when next year's numbers arrive, and before they
    start they would count at 0 % (SPEC §6: a finished period is frozen); last year's finished
    objective would count its grade in a period it had no part in."""
    period = site.objectives[ident].period
    return [c for c in site.children.get(ident, ()) if c not in late and overlaps(site.objectives[c].period, period)]


def counted_in_its_time(site: Site, ident: str, late: Collection[str] = (), moved: Collection[str] = ()) -> list[str]:
    """The objectives aligned to one in its time (in_its_time), and those aligned elsewhere since that
    it counts as it stood on its last day (``moved``: moved_after_end), of ``site``."""
    timely = in_its_time(site, ident, late)
    return timely + [c for c in moved if c in site.objectives] if moved else timely


def overlaps(period: Period, other: Period) -> bool:
    return period.start <= other.end and period.end >= other.start


def was_added_after(added: Mapping[str, Held] | None, ident: str, child: str, day: date) -> bool:
    """Whether git held the roll-up ``ident`` on ``day`` but not its aligned ``child`` (``added``:
    Logs.added, the days git held each objective; None without git history: no). Read as it stood
    that day, the roll-up had no such child: it is not counted at 0 % on a day it did not exist. A
    roll-up git did not hold either (a finished quarter written down afterwards) counts all its children."""
    return added is not None and held_on(added, ident, day) and not held_on(added, child, day)


def held_on(added: Mapping[str, Held], ident: str, day: date) -> bool:
    return ident in added and added[ident].on(day)


def aligned_elsewhere(site: Site, added: Mapping[str, Held] | None, ident: str, child: str, day: date) -> bool:
    """Whether git held the roll-up ``ident`` and its aligned ``child`` on ``day``, the child's
    `parent:` naming another objective then, or none (Held.parent_on): read as it stood that day, the
    roll-up had no such child, as it had no child added later (was_added_after)."""
    return (added is not None and held_on(added, ident, day) and held_on(added, child, day)
            and added[child].parent_on(day, site.objectives[child].parent) != ident)


def aligned_on(site: Site, added: Mapping[str, Held] | None, ident: str, child: str, day: date) -> bool:
    """Whether git held the roll-up ``ident`` and ``child`` on ``day``, the child aligned to it then, in
    its time (in_its_time): the roll-up counted it that day, wherever it is aligned now."""
    return (added is not None and held_on(added, ident, day) and held_on(added, child, day)
            and added[child].parent_on(day, site.objectives[child].parent) == ident
            and overlaps(site.objectives[child].period, site.objectives[ident].period))


def added_after_end(site: Site, added: Mapping[str, Held] | None, as_of: date) -> dict[str, tuple[str, ...]]:
    """Of each roll-up whose period ended before ``as_of``, the objectives aligned to it in its time
    that git did not hold aligned to it on its last day, while it held the roll-up: added after
    (was_added_after), or aligned to another objective then (aligned_elsewhere). Left out of its grade,
    which was final that day (SPEC §6)."""
    if not added:
        return {}
    found = {}
    for ident in site.children:
        o = site.objectives.get(ident)
        if o is not None and o.period.end < as_of and not scoring(o.key_results):
            day = o.period.end
            late = tuple(c for c in in_its_time(site, ident) if was_added_after(added, ident, c, day) or aligned_elsewhere(site, added, ident, c, day))
            if late:
                found[ident] = late
    return found


def aligned_then(added: Mapping[str, Held] | None, late: Iterable[str], day: date) -> tuple[str, ...]:
    """Of the children a finished roll-up leaves out (added_after_end), those git held on its last day
    ``day``: aligned to it after, not added after."""
    return tuple(c for c in late if added is not None and held_on(added, c, day))


def formerly_aligned(site: Site, added: Mapping[str, Held] | None, deleted: Mapping[str, Collection[DeletedChild]]) -> dict[str, tuple[str, ...]]:
    """By objective, those a commit aligned to it that are aligned elsewhere now, or to none (Held.aligned),
    but for one whose id a file deleted since held, aligned to it (``deleted``: Logs.deleted; a file
    written anew in its place): that file is the child it had, counted as it stood (deleted_after_end)."""
    found: dict[str, list[str]] = defaultdict(list)
    for ident, held in (added or {}).items():
        if held.aligned and ident in site.objectives:
            now = site.objectives[ident].parent
            for parent in dict.fromkeys(parent for _, parent in held.aligned):
                if (parent is not None and parent != now and parent in site.objectives
                        and not any(child.ident == ident for child in deleted.get(parent, ()))):
                    found[parent].append(ident)
    return {parent: tuple(children) for parent, children in found.items()}


def moved_after_end(site: Site, added: Mapping[str, Held] | None, formerly: Mapping[str, Collection[str]], as_of: date) -> dict[str, tuple[str, ...]]:
    """Of each roll-up whose period ended before ``as_of``, the objectives aligned elsewhere now (or to
    none) that git held aligned to it on its last day (``formerly``: formerly_aligned; aligned_on): its
    grade was final that day and counted them, and still does, as it counts one deleted since
    (deleted_after_end), but from the objective itself (SPEC §6)."""
    found = {}
    for ident, children in formerly.items():
        o = site.objectives[ident]
        if o.period.end < as_of and not scoring(o.key_results):
            moved = tuple(c for c in children if aligned_on(site, added, ident, c, o.period.end))
            if moved:
                found[ident] = moved
    return found


def deleted_after_end(site: Site, logs: Logs | None, as_of: date) -> dict[str, tuple[DeletedChild, ...]]:
    """Of each roll-up whose period ended before ``as_of``, the objectives aligned to it in its time
    whose files git held on its last day, as it held the roll-up, and deleted after: its grade was final
    that day and counted them, and still does, each as its last version stood (Rollup.kept), unless
    that cannot be read (a deleted roll-up: its progress was its children's). Check warns of those
    (numbers.notices), and the roll-up's page says how many of each (SPEC §6)."""
    if logs is None or not logs.deleted:
        return {}
    found = {}
    for ident, children in logs.deleted.items():
        o = site.objectives.get(ident)
        if o is None or o.period is None or o.period.end >= as_of or scoring(o.key_results) or not held_on(logs.added, ident, o.period.end):
            continue
        counted = tuple(c for c in children if c.since <= o.period.end < c.day and overlaps(c.period, o.period))
        if counted:
            found[ident] = counted
    return found


def rolled_up_updates(site: Site, objectives: dict[str, ObjectiveScore], as_of: date, updates_then: Mapping[tuple[str, date], tuple],
                      only: Collection[str] | None = None) -> dict[str, ObjectiveScore]:
    """An objective that rolls up its children (no key results that score) was last updated when the
    latest of its descendants was: its `updated` and `updated_by` are theirs, as its progress is theirs.
    Cancelled children count here (their check-ins still happened); objectives with scoring key results
    keep their own dates. ``only``: the objectives scored anew (the others' dates are as they were).
    A finished roll-up counts a child whose period runs on past its end as it stood on its last day
    (progress_on), and so is dated by that child's last update by then (``updates_then``, made by
    updates_as_they_stood): a January check-in neither moves a Q4 grade nor dates it."""
    found: dict[tuple[str, date], tuple] = {}

    def latest_below(ident: str, day: date, visiting: frozenset) -> tuple:
        o, score = site.objectives[ident], objectives[ident]
        day = cut_off(o.period, day)
        if (ident, day) in found:
            return found[ident, day]
        if day == cut_off(o.period, as_of):
            dated = updates_of(score.key_results)
        else:
            dated = [update] if (update := updates_then.get((ident, day), (None, None, None)))[0] is not None else []
        if not scoring(o.key_results):
            below = (latest_below(c, day, visiting | {ident}) for c in counted_in_its_time(site, ident, score.added_late, score.moved_late) if c not in visiting)
            dated += [update for update in below if update[0] is not None]
        found[ident, day] = latest(dated)
        return found[ident, day]

    for o in site.objectives.values() if only is None else (site.objectives[ident] for ident in only):
        if not scoring(o.key_results) and site.children.get(o.id):
            when, who, seq = latest_below(o.id, as_of, frozenset())
            if (when, who, seq) != (objectives[o.id].updated, objectives[o.id].updated_by, objectives[o.id].updated_seq):
                objectives[o.id] = replace(objectives[o.id], updated=when, updated_by=who, updated_seq=seq)
    return objectives


def kr_updated(kr: KeyResult, history: tuple[DataPoint, ...], log: KRLog | None, kpi: KPIState | None, as_of: date, until: date | None = None) -> "Update | tuple[None, None, None]":
    """When a key result's numbers last changed, and who changed them: its last commit that did, a
    later check-in written in its `history:`, or for a key result that follows a KPI, the KPI's update.
    Of a finished period (``until``, its last day), a later commit counts only when it changed the
    value itself (`current:` always counts), not when it touched entries dated after the end."""
    found: list[Update] = []
    until = until or as_of
    changed = last_commit(c for c in log.changes if c.day <= until) if log else None
    if changed is not None:
        found.append((changed.day, changed.author, changed.seq))
    moved_later = {p.commit for p in log.points if until < p.date <= as_of} if log else set()
    later = last_commit(c for c in log.changes if c.short in moved_later) if moved_later else None
    if later is not None:
        found.append((later.day, later.author, later.seq))
    written = [p for p in history if p.source == "file"]
    if written:
        found.append((written[-1].date, None, None))
    if kpi is not None and follows_kpi(kr) and kpi.current_date is not None:
        recorded = (kpi.updated, kpi.updated_by, kpi.updated_seq) if kpi.updated else (kpi.current_date, None, None)
        if not recorded_before(recorded, log):
            found.append(recorded)
    return latest(found)


def recorded_before(update: Update, log: KRLog | None) -> bool:
    """A KPI's update that came before the commit that added the key result following it (a follower
    carried into January of a KPI last recorded in November): the value it was written to start from,
    no check-in of it, which would date it weeks before it existed (QA). Unknown without git history,
    and in a shallow clone whose oldest commit already held the key result."""
    first = log.first if log else None
    if first is None or first.boundary:
        return False
    day, _, seq = update
    return seq < first.seq if seq is not None else day < first.day


def forecast_unknown(kr: KeyResult, log: KRLog | None, period: Period, as_of: date, known_since: date | None) -> date | None:
    """In a shallow clone whose oldest commit is dated ``known_since``, that day when a key result's
    forecast would fit check-ins from before it (SPEC §11 fits every one since the period's start): a
    numeric key result of a running period that started by then, whose number that commit already held
    (``cut``: what came before it is unknown). Its forecast is left out then, not fitted through the
    check-ins the clone happens to hold."""
    if known_since is None or log is None or not log.cut or kr.form != "numeric":
        return None
    return known_since if period.contains(as_of) and period.start <= known_since else None


def late_check_ins(kr: KeyResult, log: KRLog | None, until: date, as_of: date) -> tuple[DataPoint, ...]:
    """Of a key result whose period ended on ``until``, the check-ins from git dated after that day (up
    to the as-of date): commits that changed the number written in the file, which counts (a final
    value measured late, SPEC §6, §15), so they are listed with the others (and their notes). Not for
    a key result whose value no longer comes from `current:` (it follows its written history or KPI),
    nor on a date with a written entry, which wins (merge_points)."""
    if log is None or (kr.form in ("numeric", GUARDRAIL) and kr.current is None):
        return ()
    written = {p.date for p in kr.history}
    return tuple(p for p in log.points if until < p.date <= as_of and p.date not in written)


def kr_is_stale(since: date | None, progress: float, period: Period, as_of: date, settings: Settings) -> bool:
    """A key result not reached yet whose numbers have been silent since ``since`` for too long."""
    return progress < 1 - _EPSILON and is_stale(since, period, as_of, settings)


def objective_is_stale(krs: tuple[KRScore, ...], period: Period, as_of: date, settings: Settings, known_since: date | None = None) -> bool:
    """A key result is stale, and no number of the objective changed for too long. In a shallow clone,
    a key result with no change since the oldest commit (``known_since``) changed at the latest that day."""
    return any(s.stale for s in krs) and is_stale(quiet_since(krs, known_since), period, as_of, settings)


def is_stale(updated: date | None, period: Period, as_of: date, settings: Settings) -> bool:
    """Silence is never green: numbers unchanged for more than stale_after_days while the period runs.
    The silence counts from the period's start at the earliest: goals planned weeks ahead are not
    stale on the quarter's first day, when nobody could have checked in yet."""
    return updated is not None and period.contains(as_of) and days_quiet(updated, period, as_of) > settings.stale_after_days


def days_quiet(updated: date, period: Period, as_of: date) -> int:
    """How long the numbers have been silent as staleness counts it: from the period's start at the
    earliest (a goal carried over in December is not 46 days quiet on January 20)."""
    return (as_of - max(updated, period.start)).days


def counted_from(updated: date, period: Period) -> str | None:
    """The period whose first day the silence counts from (days_quiet), when the numbers last changed
    before it began; else None."""
    return period.id if updated < period.start else None


def quiet_for(days: int, since_start_of: str | None) -> str:
    """How long the numbers have been silent, as `check` and the digest say it: "30 days (since 2027
    began)" when counted from the first day of the period ``since_start_of`` (counted_from)."""
    began = f" (since {since_start_of} began)" if since_start_of else ""
    return f"{plural(days, 'day')}{began}"


def objective_score(o: Objective, progress: float, krs: tuple[KRScore, ...], settings: Settings, as_of: date, known_since: date | None = None,
                    forecast: ObjectiveForecast | None = None, measures: bool = True, counted_then: tuple = (),
                    forecast_unknown: date | None = None, added_late: tuple[str, ...] = (), awaited: tuple[Awaited, ...] = (),
                    aligned_late: tuple[str, ...] = (), moved_late: tuple[str, ...] = ()) -> ObjectiveScore:
    """An objective with nothing left to measure (every objective aligned to it cancelled, no scoring key
    results of its own) is cancelled too, as computed: 0 % off-track would blame it for its children's
    cancellation, and like them it is left out of roll-ups and status counts (SPEC §5, §6). Its progress,
    the mean of no children, is unknown (None), not 0 % beside an expected pace; so is its computed
    grade, also when its status is set by hand (a self-assessed `score` is still its grade).

    After the period, a self-assessed `score` is the grade (SPEC §13), so it is the grade that is
    measured against the goal: "grade 0.90 · self-assessed" beside "achieved" on a committed objective
    would contradict itself, as would a computed 0.89 beside "missed" when the owner graded it 1.0.

    ``settings``: those its period is graded with (graded_periods), which decide its kind and goal."""
    kind = graded_kind(o, settings)
    goal = settings.goal(kind)
    period = o.period
    expected = elapsed(period, as_of) * goal
    breached = sum(s.held is False for s in krs)
    if o.status:
        state, source = o.status, "manual"
    elif not measures:
        state, source = "cancelled", "computed"
    elif as_of > period.end and o.score is not None:
        state, source = ("achieved" if reaches(o.score, goal) else "missed"), "computed"
    else:
        state, source = guarded_status(status(progress, goal, period, as_of, settings), "computed", breached), "computed"
    ended = as_of > period.end and state != "cancelled"
    computed = round_grade(progress) if ended and measures else None
    grade = round_grade(o.score) if ended and o.score is not None else computed
    updated, updated_by, updated_seq = latest(updates_of(krs))
    if state in ("achieved", "cancelled", "missed"):
        krs = tuple(replace(s, stale=False) if s.stale else s for s in krs)
    if state == "cancelled":  # in no roll-up or count (SPEC §6): nothing of it is awaited
        krs, awaited = tuple(replace(s, awaited=None) if s.awaited else s for s in krs), ()
    stale = objective_is_stale(krs, period, as_of, settings, known_since)
    return ObjectiveScore(progress if measures else None, expected, goal, state, source, grade, krs, updated, updated_by, stale, forecast, breached, computed, o.score, updated_seq,
                          counted_then, forecast_unknown, added_late, awaited=awaited, aligned_late=aligned_late, moved_late=moved_late, kind=kind)


def current_period(site: Site, settings: Settings, as_of: date, scores: Mapping[str, ObjectiveScore] | None = None) -> Period | None:
    """The period running on the as-of date that holds the most objectives (a tie: the shorter one; of
    two as long, the later start); with none running, the one that ended last, of several that ended
    that day chosen the same way (a fiscal year, its second half, its last quarter and month all end
    together: the quarter of the most objectives, not the month of one).
    Cancelled objectives are not counted, as in the status counts (SPEC §6): those cancelled by hand,
    and with ``scores``, a roll-up left with nothing to measure, cancelled as computed (objective_score).
    An objective the scores do not hold is read as written."""
    if settings.current_period:
        return parse_period(settings.current_period, settings.periods)
    scores = scores or {}
    counts: dict[str, int] = {}
    for o in site.objectives.values():
        status = scores[o.id].status if o.id in scores else o.status
        if o.period and status != "cancelled":
            counts[o.period.id] = counts.get(o.period.id, 0) + 1

    def fullest(p: Period) -> tuple:
        return counts.get(p.id, 0), -p.days, p.start

    running = [p for p in site.periods.values() if p.contains(as_of)]
    if running:
        return max(running, key=fullest)
    past = [p for p in site.periods.values() if p.end < as_of]
    if past:
        return max(past, key=lambda p: (p.end, *fullest(p)))
    return min(site.periods.values(), key=lambda p: (p.start, p.days), default=None)


def progress_history(o: Objective, score: ObjectiveScore, kpis: Mapping[str, KPIState], as_of: date) -> tuple[tuple[date, float], ...]:
    """The objective's progress on the period's first day and on each check-in date inside its period,
    ending with its progress now (or its final score, for a period that has ended): a chart's line
    starts where the period does. None until a value is recorded in the period: a line of present
    values dated the first day would show a progress nobody recorded then.

    A key result's value on a date is its latest check-in by then (written or from git), its start
    before its first one; without any check-in, its linked KPI's value then, else its value now;
    measured against the start and target in force that day (scoped_on): a re-scope does not
    rewrite the days before it, and its own day is a point, as the progress changed then (QA DP).
    """
    period = o.period
    last = min(as_of, period.end)
    if not scoring(o.key_results) or last < period.start:
        return ()
    counted = [(kr, s) for kr, s in zip(o.key_results, score.key_results) if kr.form != GUARDRAIL]
    dates = {p.date for _, s in counted for p in s.history}
    dates |= {p.date for kr, s in counted if kr.kpi in kpis and not s.history and follows_kpi(kr) for p in kpis[kr.kpi].values}
    if not any(period.start <= d <= last for d in dates):
        return ()
    dates |= {r.day for _, s in counted for r in s.rescopes}
    dates = sorted(d for d in dates | {period.start} if period.start <= d < last)
    linked = {kr.kpi: kpis[kr.kpi] for kr in o.key_results if kr.kpi in kpis}
    points = []
    for day in dates:
        on_day = _kpis_on(linked, day)
        progresses = [_progress_on(scoped_on(kr, s.rescopes, day), s, on_day, day) for kr, s in zip(o.key_results, score.key_results)]
        points.append((day, weighted(progresses, o.key_results)))
    points.append((last, score.progress))
    return tuple(points)


def _progress_on(kr: KeyResult, score: KRScore, kpis: Mapping[str, KPIState], day: date) -> float:
    if not score.history:
        return kr_score(kr, kpis, {}, day).progress
    seen = [p for p in score.history if p.date <= day]
    if kr.form != "numeric":
        return seen[-1].value if seen else 0.0
    value = seen[-1].value if seen else kr.start
    return clamp((value - kr.start) / (kr.target - kr.start))


def _kpis_on(kpis: Mapping[str, KPIState], day: date) -> dict[str, KPIState]:
    """KPI states seen from an earlier day (only `current` matters to key results)."""
    seen = {}
    for ident, state in kpis.items():
        values = as_of_date(state.values, day)
        seen[ident] = KPIState(values, values[-1].value if values else None, values[-1].date if values else None, state.health, state.stale, None)
    return seen
