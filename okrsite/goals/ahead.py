"""Values dated after today: a warning when the site is shown as of today.

A site shown as of an earlier day (`--as-of`, the `as_of` setting) leaves later values out on
purpose: that is the point of the date. Shown as of today, a KPI value or a check-in dated after it
is almost always a typo (2027-11-30 for 2026-11-30) that would be left out without a word, for
months. One day ahead is allowed: someone east of the machine that builds is already there. So is
a monthly or quarterly KPI's value dated on the last day of the period today is in (this month's
figure dated the 31st, month to date), or on that of a named period today is in, a fiscal calendar's
month end (2027-05-01): the usual way to date such data, said as a notice that only tells. Any other
day later in that period is no such dating: most likely a typo (2026-12-16 for 2026-11-16), a
warning as any value ahead, whose hint names the period's last day.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Collection, Iterable, Iterator

from .diagnostics import Report
from .load import SourceDoc, read_csv
from .model import KPI, DataPoint, Period, Site
from .periods import month_end, to_date

SLACK = timedelta(days=1)


def warn_dated_ahead(root: Path, site: Site, today: date, report: Report, named: Collection[Period]) -> None:
    """Each KPI value and key result check-in dated more than a day after ``today``, at its own line;
    ``named``: the named periods of okrsite.toml, whose last days may date a month's figure (figure_days)."""
    limit = today + SLACK
    for kpi in site.kpis.values():
        ends = figure_days(kpi, today, named)
        for point in _after(kpi.values, limit):
            file, line = _inline(kpi.doc, ("values",), point.date) or _csv_line(root, kpi.data, point.date) or (kpi.doc.path, kpi.doc.line("values"))
            if point.date in ends:
                _tell_period_end(report, file, line, point.date, today, kpi.frequency)
            else:
                _warn(report, file, line, "a KPI value", point.date, today, _fix_in_period(kpi.frequency, ends, named) if ends and point.date < max(ends) else FIX)
    for o in site.objectives.values():
        for kr in o.key_results:
            for point in _after([p for p in kr.history if p.source == "file"], limit):
                where = ("key_results", kr.index, "history")
                file, line = _inline(o.doc, where, point.date) or (o.doc.path, o.doc.line(*where))
                _warn(report, file, line, f"a check-in of key result {kr.index + 1}", point.date, today)


PERIODS = {"monthly": (1, "month"), "quarterly": (3, "quarter")}  # SPEC §3: daily, weekly, monthly or quarterly
FREQUENCY_DAYS = {"daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92}  # SPEC §6: a KPI is stale after twice its frequency


def period_months(kpi: KPI) -> int | None:
    """The months a KPI's figure is for: 1 for one measured monthly, 3 quarterly. None for one measured
    daily or weekly, and for one that states no `frequency:` (monthly is then only its default for
    staleness: its figures may be for any period)."""
    return PERIODS[kpi.frequency][0] if kpi.frequency_given and kpi.frequency in PERIODS else None


def period_bounds(today: date, months: int) -> tuple[date, date]:
    """The first and last day of the month or calendar quarter ``today`` is in, for a KPI measured
    monthly or quarterly (``months``: period_months): its last day is the one its figure for that
    period may be dated by."""
    first = (today.month - 1) // months * months + 1
    return date(today.year, first, 1), month_end(today.year, first + months - 1)


def months_to(end: date, months: int) -> tuple[date, date]:
    """The first and last day of the month (``months`` 3: the quarter) that ends on ``end``, a day that
    need not end a calendar one (a 4-4-5 calendar's month to 2027-01-30): its last four weeks (thirteen),
    the shortest a fiscal month (quarter) is, from 2027-01-03. A value dated in them is that month's
    figure; one dated by the calendar month before (2026-12-31) is not, nor the fiscal month before's."""
    return end - timedelta(days=(28 if months == 1 else 91) - 1), end


def figure_days(kpi: KPI, today: date, named: Iterable[Period]) -> dict[date, str]:
    """The days more than a day after ``today`` a monthly (quarterly) KPI's value may be dated by, as
    the figure of the month (quarter) today is in, each with what it is: the last day of that calendar
    month (quarter), "the month's last day", and that of a named period today is in whose month
    (quarter) to its end holds today, a fiscal calendar's month end, "FY27-Q1's last day". Empty for
    any other KPI. The check and `okrsite checkin --date` both go by it."""
    months = period_months(kpi)
    if months is None:
        return {}
    fiscal = {p.end: f"{p.id}'s last day" for p in named if p.contains(today) and months_to(p.end, months)[0] <= today}
    return {**fiscal, period_bounds(today, months)[1]: f"the {PERIODS[kpi.frequency][1]}'s last day"}


def period_name(day: date, months: int, year: int | None = None) -> str:
    """The month or calendar quarter ``day`` is in (``months``: period_months), as messages and pages
    name a monthly or quarterly KPI's figure: "December 2026", "2026-Q4"; a month of ``year`` without
    it, beside one that has it ("November")."""
    if months == 1:
        return day.strftime("%B") + ("" if day.year == year else f" {day.year}")
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _tell_period_end(report: Report, file: str, line: int, when: date, today: date, frequency: str) -> None:
    report.notice(file, line, f"a {frequency} KPI value is dated {when}, later in the period of today ({today}): it is left out until then",
                  f"nothing to do if it is this {PERIODS[frequency][1]}'s figure, dated by its last day; date it today to show it now", timed=False)


def _fix_in_period(frequency: str, ends: dict[date, str], named: Iterable[Period]) -> str:
    period = PERIODS[frequency][1]
    return f"a typo? fix the date, or date this {period}'s figure of a {frequency} KPI by {dated_by(ends, named)}"


def dated_by(ends: dict[date, str], named: Iterable[Period] = (), option: str = "") -> str:
    """The days of figure_days as a hint names them, earliest first: "the month's last day, 2026-12-31"
    and, in a fiscal calendar's last month, "FY27-Q1's last day, to count in FY27-Q1, 2026-12-26 or the
    month's last day, to count in FY27-Q2, 2026-12-31": of two that count in different ``named``
    periods, each says its own (QA FJ). ``option`` "--date": as `okrsite checkin` takes them."""
    named = tuple(named)
    counted = {day: next((p.id for p in named if p.contains(day)), None) for day in ends}
    differ = len(set(counted.values())) > 1

    def said(day: date, what: str) -> str:
        return what + (f", to count in {counted[day]}" if differ and counted[day] else "") + (f": {option} {day}" if option else f", {day}")

    return " or ".join(said(day, what) for day, what in sorted(ends.items()))


def _after(points, limit: date) -> Iterator[DataPoint]:
    return (p for p in points if p.date > limit)


FIX = "fix the date"


def _warn(report: Report, file: str, line: int, what: str, when: date, today: date, fix: str = FIX) -> None:
    """``fix``: for a monthly or quarterly KPI's value dated inside the period of today, also that its
    figure may be dated by the period's last day."""
    meant = same_day_this_year(when, today)
    report.warning(file, line, f"{what} is dated {when}, after today ({today}): it is left out until then",
                   (f"did you mean {meant}? " if meant else "") + fix + "; to show the site as of another day, use --as-of")


def same_day_this_year(when: date, today: date) -> date | None:
    """The usual typo is the year: the same day this year, if that is not ahead too."""
    if when.year <= today.year:
        return None
    try:
        meant = when.replace(year=today.year)
    except ValueError:  # 29 February
        return None
    return meant if meant <= today else None


def _inline(doc: SourceDoc, where: tuple, when: date) -> tuple[str, int] | None:
    """The file and line of the entry dated ``when`` in the list at ``where`` of the front matter."""
    entries = doc.meta
    for key in where:
        entries = entries.get(key) if isinstance(entries, dict) else entries[key] if isinstance(entries, list) and key < len(entries) else None
    if not isinstance(entries, list):
        return None
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and to_date(entry.get("date")) == when:
            return doc.path, doc.line(*where, index, "date")
    return None


def _csv_line(root: Path, data: str | None, when: date) -> tuple[str, int] | None:
    """The CSV file and the line of its row dated ``when``."""
    if not data:
        return None
    relpath = data.replace("\\", "/")
    try:
        rows, _ = read_csv(root, relpath)
    except (OSError, ValueError):
        return None
    return next(((relpath, row.line) for row in reversed(rows) if to_date(row.date) == when), None)
