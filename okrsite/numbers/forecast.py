"""Forecast and guardrails (SPEC §11, §12): where a key result and an objective will land at the end
of a running period, fitted from their check-ins, and whether a guardrail holds its line.

Pure arithmetic on plain values, no I/O. compute calls these functions and keeps what they return in
its scores, so every page and okrs.json read the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from ..goals.config import Settings
from ..goals.formats import round_grade
from ..goals.model import DataPoint, KeyResult, Period, follows_kpi

GUARDRAIL = "guardrail"
_EPSILON = 1e-9


@dataclass(frozen=True)
class KRForecast:
    value: float | None  # the fitted line on the period's last day (not below 0 for a KR whose numbers never are); None for binary and manual KRs
    progress: float  # where it will land, clamped to 0..1
    points: int  # points fitted, the start point included; 0 for binary and manual KRs
    checkins: int = 0  # of those points, the check-ins (all of them when one on the first day replaced the start)
    until: date | None = None  # the day it is read on when not the period's last: its KPI's retired day (the period's first, if before it), from which it stands still
    through: date | None = None  # the date of the latest point it fits (a check-in, a KPI's value, a newer written current); None for binary and manual KRs


SHORT = ("at-risk", "off-track")  # a forecast status that misses the goal


@dataclass(frozen=True)
class ObjectiveForecast:
    progress: float
    status: str  # achieved | on-track | at-risk | off-track
    lines: int = 0  # key results with a fitted line (none: every one counts as it stands); rolled up: aligned objectives with a trend
    checkins: int = 0  # the check-ins behind those lines
    rolled_up: bool = False  # the mean of its aligned objectives' forecasts
    of_shown: bool = False  # on a public site: of the aligned objectives it shows, its private ones left out
    until: date | None = None  # the day it is reached, when before the period's last (standing_from): every line it extends is read on its KPI's retired day
    retired_kpis: int = 0  # with until: the KPIs those lines follow (of several, until is the last of their retired days)

    @property
    def trend(self) -> bool:
        """Whether anything was projected. Without a line through check-ins (the first days of a period,
        an objective of milestones) the forecast is its progress now: on day 1, "forecast 0 %
        (off-track)" for every objective, which pages show "from current progress: no trend yet",
        and which a digest does not list as a miss."""
        return self.lines > 0

    @property
    def falls_short(self) -> bool:
        """Projected to land at-risk or off-track: what the dashboard and the digest list as a miss."""
        return self.trend and self.status in SHORT


def scoring(key_results: Iterable[KeyResult]) -> tuple[KeyResult, ...]:
    """The key results that make progress: guardrails are constraints, left out of progress and forecast."""
    return tuple(kr for kr in key_results if kr.form != GUARDRAIL)


def least_squares(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """(a, b) of the line y = a + b·x closest to the points (ordinary least squares), or None with
    fewer than two distinct x."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if not sxx > 0:  # one x only
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    return mean_y - slope * mean_x, slope


def checkins_in(kr: KeyResult, period: Period, as_of: date, history: Sequence[DataPoint], kpi_values: Sequence[DataPoint] = ()) -> list[DataPoint]:
    """The check-ins a forecast fits, dated inside [period start, as_of]: the key result's own
    (written or from git), or, for one that follows its KPI (follows_kpi) and has no check-in from
    git there, the KPI's values: the very values its current value comes from."""

    def inside(points: Sequence[DataPoint]) -> list[DataPoint]:
        return [p for p in points if period.start <= p.date <= as_of]

    return inside(history) or (inside(kpi_values) if follows_kpi(kr) else [])


def with_written_current(kr: KeyResult, period: Period, as_of: date, checkins: list[DataPoint]) -> list[DataPoint]:
    """The check-ins, and a written `current:` that differs from the latest of them (one newer than
    every dated check-in: `okrsite checkin` outside git, or not committed yet) as a point on the
    earlier of the as-of date and the period's last day: the number that counts is not left out of
    its own forecast ("95 % done, forecast 88 %"). Without a dated check-in there is no trend to
    extend: the check-ins are left as they are."""
    if kr.current is None or not checkins or sorted(checkins, key=lambda p: p.date)[-1].value == kr.current:
        return checkins
    return [*checkins, DataPoint(min(as_of, period.end), kr.current)]


def forecast_points(kr: KeyResult, period: Period, checkins: Sequence[DataPoint]) -> list[tuple[int, float]]:
    """(days since the period start, value): the start point and the check-ins. Of several on one day
    the last counts; one on the first day replaces the start point."""
    by_day = {0: kr.start}
    for p in checkins:
        by_day[(p.date - period.start).days] = p.value
    return sorted(by_day.items())


def kr_forecast(kr: KeyResult, period: Period, as_of: date, progress: float, history: Sequence[DataPoint] = (),
                kpi_values: Sequence[DataPoint] = (), current: float | None = None, retires: date | None = None) -> KRForecast | None:
    """A key result's forecast while its period runs (None before and after it, and for a guardrail).
    Numeric: the least-squares line through forecast_points (a newer written `current:` among them,
    see with_written_current), read on the period's last day (None with
    fewer than two dates), clamped at 0 when the key result's start, target, points and current are
    all 0 or more (a count does not land below 0; the progress is the same). On that last day itself the period ends today: the value is its ``current``
    (the points as on any other day), so the forecast is its progress, not a line's reading that
    contradicts today's number (docs/objectives.md, refining SPEC §11). Binary and manual: no trend,
    their progress now. ``retires``: the day the KPI it follows is retired; when that comes before the
    period's last day, the line is read there, the value it stands at from then on (QA EO); from that
    day on it stands at the KPI's last value, its ``current``: as on the period's last day, that is the
    forecast, dated the retired day (not none: SPEC §11 gives one with two dated points)."""
    if kr.form == GUARDRAIL or not period.contains(as_of):
        return None
    if kr.form != "numeric":
        return KRForecast(None, progress, 0)
    checkins = with_written_current(kr, period, as_of, checkins_in(kr, period, as_of, history, kpi_values))
    points = forecast_points(kr, period, checkins)
    line = least_squares(points)
    if line is None:
        return None
    a, b = line
    dates = {p.date for p in checkins}
    until = max(retires, period.start) if retires is not None and retires < period.end else None
    if current is not None and (as_of == period.end or until is not None and until <= as_of):  # where it lands is where it is
        return KRForecast(current, progress, len(points), len(dates), until, max(dates))
    value = a + b * ((until - period.start).days if until else period.days - 1)
    if value < 0 and min(kr.start, kr.target, *(v for _, v in points), 0 if current is None else current) >= 0:
        value = 0.0  # a line falling through 0 for a number that never goes below it: where it can land
    share = (value - kr.start) / (kr.target - kr.start)
    return KRForecast(value, min(max(share, 0.0), 1.0), len(points), len(dates), until, max(dates))


def reaches(progress: float, goal: float) -> bool:
    """Whether a progress reaches the goal as it is shown and graded: to two decimals (SPEC §13's
    grade), a half up (docs/objectives.md, Grades). SPEC §6's "progress ≥ goal" says no precision;
    0.996 reads "100 %" and is graded 1.00 the day after the period: it is achieved already."""
    return round_grade(progress) >= goal - _EPSILON


def forecast_status(progress: float, goal: float, settings: Settings) -> str:
    """achieved when the forecast reaches the goal (as shown: see reaches), else by how far it will
    land short of it."""
    if reaches(progress, goal):
        return "achieved"
    return status_by_gap(goal - progress, settings)


def status_by_gap(gap: float, settings: Settings) -> str:
    """SPEC §6's thresholds, for a status (the gap to the expected pace) and a forecast's status (the
    gap to the goal) alike: on-track within ``on_track_gap``, at-risk within ``at_risk_gap``, else off-track."""
    if gap <= settings.on_track_gap + _EPSILON:
        return "on-track"
    if gap <= settings.at_risk_gap + _EPSILON:
        return "at-risk"
    return "off-track"


def objective_forecast(key_results: Sequence[KeyResult], progresses: Sequence[float], forecasts: Sequence[KRForecast | None],
                       goal: float, settings: Settings) -> ObjectiveForecast:
    """The weighted mean of its key results' forecast progress, a key result without a forecast counting
    with its progress now; guardrails left out. Reached on the period's last day, or on standing_from's."""
    counted = [(kr, f.progress if f else p, f) for kr, p, f in zip(key_results, progresses, forecasts) if kr.form != GUARDRAIL]
    total = sum(kr.weight for kr, _, _ in counted)
    value = sum(kr.weight * v for kr, v, _ in counted) / total if total else 0.0
    lined = [(kr, f) for kr, _, f in counted if f is not None and f.points]
    lines = [f for _, f in lined]
    until = standing_from(lines)
    return ObjectiveForecast(value, forecast_status(value, goal, settings), len(lines), sum(f.checkins for f in lines), until=until,
                             retired_kpis=len({kr.kpi for kr, _ in lined}) if until else 0)


def standing_from(lines: Sequence[KRForecast]) -> date | None:
    """The day an objective's forecast is reached when before its period's last: with every line it
    extends read on its KPI's retired day, the latest of those days, from which nothing it counts moves
    (a key result without a line counts as it stands). None when one line runs to the period's end."""
    days = [f.until for f in lines]
    return max(days) if days and None not in days else None


def rolled_up_forecast(children: Sequence[tuple[float, ObjectiveForecast | None]], goal: float, settings: Settings) -> ObjectiveForecast:
    """An objective without key results: the mean over its (non-cancelled) children of their forecast,
    a child without one (its period not running) counting with its progress."""
    values = [f.progress if f else p for p, f in children]
    value = sum(values) / len(values) if values else 0.0
    return ObjectiveForecast(value, forecast_status(value, goal, settings), sum(bool(f and f.trend) for _, f in children), rolled_up=True)


def method_words(forecast: ObjectiveForecast) -> str:
    """How a forecast was made, in words, for the chart and the page."""
    if not forecast.trend:  # its progress now (a roll-up: its aligned objectives', none with a trend)
        return "from the current progress of the aligned objectives this site shows: no trend yet" if forecast.of_shown else "from current progress: no trend yet"
    if forecast.rolled_up:
        return "mean of the forecasts of the aligned objectives this site shows" if forecast.of_shown else "mean of the aligned objectives' forecasts"
    checkins = f"{forecast.checkins} check-in{'s' * (forecast.checkins != 1)}"
    if forecast.lines == 1:
        return f"straight line through {checkins}"
    return f"straight lines through {checkins} of {forecast.lines} key results"


def retired_words(kpis: int) -> str:
    """The day an objective's forecast is reached when its KPIs' retirement ends it (ObjectiveForecast.until),
    in words for the chart and the page: of several KPIs its key results follow, the day the last is retired."""
    return "the day the KPI it follows is retired" if kpis < 2 else "the day the last of the KPIs its key results follow is retired"


def holds(kr: KeyResult, value: float | None) -> bool | None:
    """Whether a guardrail holds its line (inclusive); None without a value."""
    if value is None:
        return None
    if kr.keep_above is not None:
        return value >= kr.keep_above
    return kr.keep_below is not None and value <= kr.keep_below


def guarded_status(status: str, source: str, breached: int) -> str:
    """A breached guardrail turns a computed on-track into at-risk; every other status stays."""
    return "at-risk" if breached and source == "computed" and status == "on-track" else status
