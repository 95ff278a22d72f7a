"""Compute: progress, status and KPI health as of a date. Pure functions of the model, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

from .config import Settings
from .model import KPI, DataPoint, KeyResult, Objective, Period, Site
from .periods import elapsed, parse_period

FREQUENCY_DAYS = {"daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92}
_EPSILON = 1e-9
MAX_RATIO = 1e6  # a target a hair from its start gives absurd (even infinite) ratios: shown capped


@dataclass(frozen=True)
class KPIState:
    values: tuple[DataPoint, ...]  # those dated on or before the as-of date
    current: float | None
    current_date: date | None
    health: str  # healthy | warning | critical | unknown
    stale: bool
    age_days: int | None
    trend: str | None = None  # improving | worsening | flat, from the last two values and the direction


@dataclass(frozen=True)
class KRScore:
    current: float | None
    progress: float
    ratio: float
    unit: str | None
    history: tuple[DataPoint, ...]  # check-ins dated on or before the as-of date


@dataclass(frozen=True)
class ObjectiveScore:
    progress: float
    expected: float
    goal: float
    status: str
    status_source: str  # computed | manual
    grade: float | None
    key_results: tuple[KRScore, ...]


@dataclass(frozen=True)
class Scores:
    as_of: date
    objectives: Mapping[str, ObjectiveScore]
    kpis: Mapping[str, KPIState]


def as_of_date(points: tuple[DataPoint, ...], as_of: date) -> tuple[DataPoint, ...]:
    return tuple(p for p in points if p.date <= as_of)


def kpi_health(kpi: KPI, current: float | None) -> str:
    if current is None or kpi.target is None:
        return "unknown"
    sign = 1 if kpi.direction == "up" else -1
    if sign * (current - kpi.target) >= 0:
        return "healthy"
    if kpi.threshold is not None and sign * (current - kpi.threshold) < 0:
        return "critical"
    return "warning"


def kpi_state(kpi: KPI, as_of: date) -> KPIState:
    values = as_of_date(kpi.values, as_of)
    latest = values[-1] if values else None
    current = latest.value if latest else None
    age = (as_of - latest.date).days if latest else None
    stale = age is not None and age > 2 * FREQUENCY_DAYS[kpi.frequency]
    trend = None
    if len(values) >= 2:
        change = (values[-1].value - values[-2].value) * (1 if kpi.direction == "up" else -1)
        trend = "improving" if change > 0 else "worsening" if change < 0 else "flat"
    return KPIState(values, current, latest.date if latest else None, kpi_health(kpi, current), stale, age, trend)


def kr_current(kr: KeyResult, history: tuple[DataPoint, ...], kpi: KPIState | None) -> float:
    """Own `current`, else the latest check-in, else the linked KPI's latest value, else `start`."""
    if kr.current is not None:
        return kr.current
    if history:
        return history[-1].value
    if kpi is not None and kpi.current is not None:
        return kpi.current
    return kr.start


def kr_score(kr: KeyResult, kpis: Mapping[str, KPIState], units: Mapping[str, str | None], as_of: date) -> KRScore:
    history = as_of_date(kr.history, as_of)
    if kr.form == "binary":
        value = 1.0 if kr.done else 0.0
        return KRScore(value, value, value, kr.unit, history)
    if kr.form == "manual":
        value = kr.manual_progress or 0.0
        return KRScore(None, value, value, kr.unit, history)
    current = kr_current(kr, history, kpis.get(kr.kpi) if kr.kpi else None)
    ratio = clamp((current - kr.start) / (kr.target - kr.start), -MAX_RATIO, MAX_RATIO)
    unit = kr.unit if kr.unit is not None or kr.kpi is None else units.get(kr.kpi)
    return KRScore(current, clamp(ratio), ratio, unit, history)


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(max(value, low), high)


def weighted_progress(scores: tuple[KRScore, ...], key_results: tuple[KeyResult, ...]) -> float:
    total = sum(kr.weight for kr in key_results)
    return sum(s.progress * kr.weight for s, kr in zip(scores, key_results)) / total


def status(progress: float, goal: float, period: Period, as_of: date, settings: Settings) -> str:
    """SPEC §6, in order: achieved, not-started, missed, then by the gap to the expected pace."""
    if progress >= goal - _EPSILON:
        return "achieved"
    if as_of < period.start:
        return "not-started"
    if as_of > period.end:
        return "missed"
    gap = elapsed(period, as_of) * goal - progress
    if gap <= settings.on_track_gap + _EPSILON:
        return "on-track"
    if gap <= settings.at_risk_gap + _EPSILON:
        return "at-risk"
    return "off-track"


def compute(site: Site, settings: Settings, as_of: date, earlier: "tuple[Site, Scores] | None" = None) -> Scores:
    """Scores of every objective and KPI. With ``earlier`` (the previous site and its scores, as live
    preview keeps them), key results of unchanged objectives and unchanged KPIs are not computed again."""
    old_site, old_scores = earlier if earlier and earlier[1].as_of == as_of else (None, None)

    def unchanged(table: str, entity) -> bool:
        return old_site is not None and getattr(old_site, table).get(entity.id) is entity

    kpis = {
        ident: old_scores.kpis[ident] if unchanged("kpis", kpi) else kpi_state(kpi, as_of)
        for ident, kpi in site.kpis.items()
    }
    units = {ident: kpi.unit for ident, kpi in site.kpis.items()}

    def kr_scores_of(o: Objective) -> tuple[KRScore, ...]:
        linked = {kr.kpi for kr in o.key_results if kr.kpi}
        if unchanged("objectives", o) and all(old_scores.kpis.get(k) == kpis.get(k) and old_site.kpis.get(k) == site.kpis.get(k) for k in linked):
            return old_scores.objectives[o.id].key_results
        return tuple(kr_score(kr, kpis, units, as_of) for kr in o.key_results)

    kr_scores = {o.id: kr_scores_of(o) for o in site.objectives.values()}
    progress: dict[str, float] = {}

    def progress_of(ident: str, visiting: frozenset = frozenset()) -> float:
        if ident in progress:
            return progress[ident]
        o = site.objectives[ident]
        if o.key_results:
            value = weighted_progress(kr_scores[ident], o.key_results)
        else:
            kids = [c for c in site.children.get(ident, ()) if site.objectives[c].status != "cancelled" and c not in visiting]
            value = sum(progress_of(c, visiting | {ident}) for c in kids) / len(kids) if kids else 0.0
        progress[ident] = value
        return value

    objectives = {}
    for o in site.objectives.values():
        objectives[o.id] = objective_score(o, progress_of(o.id), kr_scores[o.id], settings, as_of)
    return Scores(as_of, objectives, kpis)


def objective_score(o: Objective, progress: float, krs: tuple[KRScore, ...], settings: Settings, as_of: date) -> ObjectiveScore:
    goal = settings.goal(o.kind)
    period = o.period
    expected = elapsed(period, as_of) * goal
    if o.status:
        state, source = o.status, "manual"
    else:
        state, source = status(progress, goal, period, as_of, settings), "computed"
    grade = round(progress, 2) if as_of > period.end and state != "cancelled" else None
    return ObjectiveScore(progress, expected, goal, state, source, grade, krs)


def current_period(site: Site, settings: Settings, as_of: date) -> Period | None:
    """The period running on the as-of date that holds the most objectives (a tie: the shorter one)."""
    if settings.current_period:
        return parse_period(settings.current_period, settings.periods)
    counts: dict[str, int] = {}
    for o in site.objectives.values():
        if o.period:
            counts[o.period.id] = counts.get(o.period.id, 0) + 1
    running = [p for p in site.periods.values() if p.contains(as_of)]
    if running:
        return max(running, key=lambda p: (counts.get(p.id, 0), -p.days, p.start))
    past = [p for p in site.periods.values() if p.end < as_of]
    if past:
        return max(past, key=lambda p: (p.end, -p.days))
    return min(site.periods.values(), key=lambda p: (p.start, p.days), default=None)


def progress_history(o: Objective, kpis: Mapping[str, KPIState], as_of: date) -> tuple[tuple[date, float], ...]:
    """The objective's progress on each check-in date inside its period, ending on the as-of date.

    A key result's value on a date is its latest check-in by then (or its linked KPI's value, or its
    start); milestones and estimates count with their current value throughout, as nothing says when
    they changed.
    """
    period = o.period
    last = min(as_of, period.end)
    if not o.key_results or last < period.start:
        return ()
    dates = {p.date for kr in o.key_results for p in kr.history}
    dates |= {p.date for kr in o.key_results if kr.kpi in kpis and not kr.history and kr.current is None for p in kpis[kr.kpi].values}
    dates = sorted(d for d in dates if period.start <= d < last) + [last]
    linked = {kr.kpi: kpis[kr.kpi] for kr in o.key_results if kr.kpi in kpis}
    points = []
    for day in dates:
        scores = tuple(kr_score(kr, _kpis_on(linked, day), {}, day) for kr in o.key_results)
        points.append((day, weighted_progress(scores, o.key_results)))
    return tuple(points)


def _kpis_on(kpis: Mapping[str, KPIState], day: date) -> dict[str, KPIState]:
    """KPI states seen from an earlier day (only `current` matters to key results)."""
    seen = {}
    for ident, state in kpis.items():
        values = as_of_date(state.values, day)
        seen[ident] = KPIState(values, values[-1].value if values else None, values[-1].date if values else None, state.health, state.stale, None)
    return seen
