"""A finished period's key result that follows a monthly or quarterly KPI whose figure for the period's
last month (or quarter) is not in yet. Month-end figures come days after the month (December's MRR on
4 January, dated 2026-12-31): until then the key result's final value is the month before's, and its
grade moves when the figure comes. The pages, okrs.json, the digest and `okrsite carry-over` say so; what
an objective's progress awaits, its own key results' or a roll-up's children's, is compute's
(ObjectiveScore.awaited, Rollup.awaited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from ..goals.ahead import FREQUENCY_DAYS, months_to, period_bounds, period_months, period_name
from ..goals.model import KPI, Period
from ..goals.periods import month_end

RETIRED, DASHBOARD, LATER, STALE = "retired", "dashboard", "later", "stale"  # why a figure is no longer to come (no_longer_to_come)


@dataclass(frozen=True)
class Awaited:
    """The figure a finished period's key result still awaits from the KPI it follows."""

    kpi: str
    months: int  # of the KPI's figures: 1 monthly, 3 quarterly
    start: date  # the first and last day of the month (quarter) whose figure is not in yet (a fiscal one: last_figure_in)
    end: date
    counted: date | None  # the date of the value counted instead; None: the KPI has none by the period's end

    @property
    def awaited_name(self) -> str:
        """The month or quarter awaited: "December 2026", "2026-Q4"; one of a fiscal calendar, which ends
        on no calendar month's last day, by its last day: "2027-01-30 month-end" (quarter-end)."""
        if self.fiscal:
            return f"{self.end} {'month' if self.months == 1 else 'quarter'}-end"
        return period_name(self.start, self.months)

    @property
    def counted_name(self) -> str | None:
        """The month or quarter of the value counted instead, said beside the awaited one: "November";
        beside a fiscal month, which calendar months do not name, its date: "2026-12-26"."""
        if self.counted is None:
            return None
        return self.counted.isoformat() if self.fiscal else period_name(self.counted, self.months, self.start.year)

    @property
    def fiscal(self) -> bool:
        """Whether the month (quarter) awaited is not a calendar one (last_figure_in)."""
        return (self.start, self.end) != period_bounds(self.end, self.months)


def awaited_figure(kpi: KPI, period: Period, counted: date | None, latest: date | None, as_of: date) -> Awaited | None:
    """What a key result of ``period`` that follows ``kpi`` awaits once the period has ended (``as_of``
    after its last day): the figure of the KPI's last month (quarter) ending in the period, when the
    latest value the key result counts (dated ``counted``, on or before the period's last day) is of an
    earlier one. None for a KPI measured daily, weekly or at no stated frequency (a value is recorded
    when it is measured, and nothing says which is late), and when that figure is no longer to come
    (no_longer_to_come; ``latest``: the date of the KPI's latest value by ``as_of``)."""
    months = period_months(kpi)
    last = last_figure_in(period, months) if months is not None and as_of > period.end else None
    if last is None or (counted is not None and counted >= last[0]) or no_longer_to_come(kpi, last[1], counted, latest, as_of):
        return None
    return Awaited(kpi.id, months, *last, counted)


def no_longer_to_come(kpi: KPI, end: date, counted: date | None, latest: date | None, as_of: date) -> str | None:
    """Why the figure of the KPI's month (quarter) ending on ``end`` is no longer to come, or None while
    it may: ``retired``, the KPI was retired before that day (it stopped being measured before that
    figure was); ``later``, it has a value dated after it (``latest``: January's came, so December's
    never will); ``stale``, it would count as stale for that month (SPEC §6: ``as_of`` more than twice
    its frequency after ``end``), or already was on ``end`` (stopped_before): a period whose figure is
    missing for good is final with what it has, not provisional for ever. ``dashboard``: a KPI with no
    value at all whose numbers live in a BI tool (``dashboard:``): they are read there, and no figure is
    to come into the repository."""
    if kpi.retired is not None and kpi.retired < end:
        return RETIRED
    if latest is None and kpi.dashboard:
        return DASHBOARD
    if latest is not None and latest > end:
        return LATER
    if stopped_before(kpi, end, counted) or (as_of - end).days > 2 * FREQUENCY_DAYS[kpi.frequency]:
        return STALE
    return None


def stopped_before(kpi: KPI, end: date, counted: date | None) -> bool:
    """Whether the KPI had stopped reporting before the month (quarter) ending on ``end``: its latest
    value by then (``counted``) was stale on that day, more than twice its frequency old, the staleness
    the KPI's page states (SPEC §6). A monthly KPI last measured a year before a quarter's end awaits no
    figure for its last month: nothing says one is coming (QA FP). One with no value at all is not stale."""
    return counted is not None and (end - counted).days > 2 * FREQUENCY_DAYS[kpi.frequency]


def awaits_once(found: Iterable[Awaited]) -> tuple[Awaited, ...]:
    """Each awaited figure once, by KPI and month, in the order first met."""
    kept: dict[tuple[str, date], Awaited] = {}
    for a in found:
        kept.setdefault((a.kpi, a.start), a)
    return tuple(kept.values())


def last_figure_in(period: Period, months: int) -> tuple[date, date] | None:
    """The first and last day of the last month (calendar quarter, for ``months`` 3) that ends in
    ``period``: December 2026 in 2026-Q4, 2026-Q4 in 2026-H2; None for a quarter in the month 2026-11.
    A period that ends on no calendar month's last day is a fiscal calendar's (4-4-5: FY26-Q4 to
    2027-01-30), whose months end with it: its last is the month (three months) to its last day, its last
    four weeks (thirteen) from 2027-01-03 (months_to), whose figure is dated in them, by the period's end."""
    if period.end != month_end(period.end.year, period.end.month):
        return months_to(period.end, months)
    start, end = period_bounds(period.end, months)
    if end > period.end:
        start, end = period_bounds(start - timedelta(days=1), months)
    return (start, end) if end >= period.start else None
