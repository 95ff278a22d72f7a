"""Periods: '2026-Q4', '2026-H1', '2026' (also the YAML integer 2026), '2026-03', or a named period."""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime, timedelta
from typing import Any, Mapping

from .clock import written_day
from .diagnostics import did_you_mean, quoted, shown_value
from .formats import one_form
from .model import Period

_PATTERN = re.compile(r"^(\d{4})(?:-(?:([Qq])([1-4])|([Hh])([12])|(\d{2})))?$")


class PeriodError(ValueError):
    pass


class NotAPeriod(PeriodError):
    """A value of a kind no period is written as (a list, a date, true/false): an error whatever periods
    okrsite.toml names, so also when it cannot be read."""


def to_date(value: Any) -> date | None:
    """A YAML/TOML date, a datetime's date, or a date written YYYY-MM-DD (clock.written_day); None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return written_day(value) if isinstance(value, str) else None


_DAY_SHAPE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


_ISO_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{2})(?:-?([1-7]))?\s*$", re.IGNORECASE)  # 2026-W44, 2026W44-1
_YEAR_MONTH = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})\s*$")  # 2026-11
# the zone's spaces inside its optional group, so that a long run of them is tried one way (QA DY 2)
_WITH_TIME = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?))?\s*$", re.IGNORECASE)
_SLASHED = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")  # 01/11/2026, 01.11.2026
_SPREADSHEET_SERIAL = re.compile(r"^\s*(\d{5})(?:\.0+)?\s*$")  # Excel's and Sheets' 46326: days since 1899-12-30
_SPREADSHEET_EPOCH = date(1899, 12, 30)


def exported_date(value: str) -> tuple[str, str] | None:
    """(what form it is, what to write) for a date a BI tool or a spreadsheet exports in another form
    than YYYY-MM-DD: an ISO week, a month, a time of day, a day with slashes, a spreadsheet's day
    number. None for any other text."""
    if week := _ISO_WEEK.match(value):
        return _week_date(int(week[1]), int(week[2]), week[3])
    if month := _YEAR_MONTH.match(value):
        year, number = int(month[1]), int(month[2])
        if year >= 1 and 1 <= number <= 12:
            last = date(year, number, calendar.monthrange(year, number)[1]).isoformat()
            return ("it is a month, not a day", f"date a month's value by its last day, {last}, as month-end exports do; "
                    "a monthly KPI's value may be dated so before the month ends")
    if timed := _WITH_TIME.match(value):
        zone = "" if not timed[2] else " in UTC" if timed[2].upper() in ("Z", "UTC") else f" at UTC{timed[2]}"
        return f"it is a time of day{zone}, not a day", f"write the day alone, {timed[1]}, as the export dates it: okrsite reads no times"
    if slashed := _SLASHED.match(value):
        return _slashed_date(int(slashed[1]), int(slashed[2]), int(slashed[3]))
    if serial := _SPREADSHEET_SERIAL.match(value):
        day = _SPREADSHEET_EPOCH + timedelta(days=int(serial[1]))
        if 1990 <= day.year <= 2100:
            return ("it is a spreadsheet's day number", f"{serial[1]} is {day.isoformat()}: format the column as a date, YYYY-MM-DD, "
                    f"before exporting, or write {day.isoformat()}")
    return None


def _week_date(year: int, week: int, weekday: str | None) -> tuple[str, str] | None:
    try:
        monday, sunday = date.fromisocalendar(year, week, 1), date.fromisocalendar(year, week, 7)
        day = date.fromisocalendar(year, week, int(weekday)) if weekday else None
    except ValueError:
        return None
    if day is not None:
        return "it is a day written by its week", f"write it as {day.isoformat()}"
    return ("it is a week, not a day", f"date a week's value by one of its days, the same one every week: its Monday, {monday.isoformat()}, "
            f"or, once the week has ended, its Sunday, {sunday.isoformat()}")


def _slashed_date(first: int, second: int, year: int) -> tuple[str, str] | None:
    readings = [date(year, month, day).isoformat() for day, month in ((first, second), (second, first))
                if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]] if year >= 1 else []
    if not readings:
        return None
    if len(set(readings)) == 1:
        return "it is written with slashes", f"write it as {readings[0]}"
    return ("it reads as two days: day/month or month/day", f"write {readings[0]} if it is day/month, as in Europe, "
            f"or {readings[1]} if month/day, as in the US")


def no_such_day(value: Any) -> tuple[str, str] | None:
    """(why, hint) for text shaped like YYYY-MM-DD that is no date: a day past its month's end (the
    month-end value 2026-11-31, the 29 February of 2027), a month that does not exist, or a month or
    day written with one digit (2026-9-30). None for anything else, which the caller's words cover."""
    match = _DAY_SHAPE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = map(int, match.groups())
    if year < 1:
        return "there is no year 0", "write the date as YYYY-MM-DD, the year from 0001"
    if not 1 <= month <= 12:
        return f"there is no month {match[2]}", "write the date as YYYY-MM-DD, the month from 01 to 12"
    days = calendar.monthrange(year, month)[1]
    if day > days:
        return f"{calendar.month_name[month]} {year} has {days} days", f"did you mean {date(year, month, days).isoformat()}, its last day?"
    if day < 1:
        return f"there is no day {match[3]}", "write the date as YYYY-MM-DD, the day from 01"
    written = date(year, month, day).isoformat()
    if value.strip() == written:
        return None
    if not value.strip().isascii():  # full-width digits (２０２６-１１-２３), typed with a Japanese or Chinese keyboard
        return "it is written with digits other than 0-9", f"write it as {written}"
    return "the month and the day take two digits", f"write it as {written}"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: Any, named: Mapping[str, Period]) -> Period:
    """The Period a front-matter value names; PeriodError says why not."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise NotAPeriod(f"period must be text like 2026-Q4, not {shown_value(value)}")
    text = one_form(str(value).strip())
    if text in named:
        return named[text]
    same = [period for name, period in named.items() if name.casefold() == text.casefold()]
    if same:
        return same[0]
    match = _PATTERN.match(text)
    if not match:
        raise PeriodError(f"unknown period {quoted(text)}")
    year = int(match[1])
    if year < 1900 or year > 2999:
        raise PeriodError(f"unknown period {quoted(text)}: the year is out of range")
    if match[3]:
        quarter = int(match[3])
        return Period(f"{year}-Q{quarter}", date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter))
    if match[5]:
        half = int(match[5])
        return Period(f"{year}-H{half}", date(year, 6 * half - 5, 1), month_end(year, 6 * half))
    if match[6]:
        month = int(match[6])
        if not 1 <= month <= 12:
            raise PeriodError(f"unknown period {quoted(text)}: there is no month {month}")
        return Period(f"{year}-{month:02d}", date(year, month, 1), month_end(year, month))
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def following(period: Period) -> Period | None:
    """The calendar period after a built-in one, of its kind (2026-Q4 → 2027-Q1, 2026-H2 → 2027-H1,
    2026-12 → 2027-01, 2026 → 2027); None for a named period, which okrsite cannot guess the next of,
    also one that takes a built-in name with other dates."""
    match = _PATTERN.match(period.id)
    if match is None or parse_period(period.id, {}) != period:
        return None
    year = int(match[1])
    if match[3]:
        part = int(match[3])
        name = f"{year + 1}-Q1" if part == 4 else f"{year}-Q{part + 1}"
    elif match[5]:
        name = f"{year + 1}-H1" if match[5] == "2" else f"{year}-H2"
    elif match[6]:
        month = int(match[6])
        name = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
    else:
        name = str(year + 1)
    return parse_period(name, {}) if year < 2999 else None


_KIND_DAYS = (365.25 / 12, 365.25 / 4, 365.25 / 2, 365.25)  # a month, a quarter, a half-year, a year


def kind_of(period: Period) -> int:
    """Which of a month, a quarter, a half-year and a year ``period`` is nearest in length (by ratio):
    a fiscal quarter of 13 weeks (or of 87 days, the first of a new calendar) is a quarter, a 52-week
    fiscal year a year."""
    return min(range(len(_KIND_DAYS)), key=lambda kind: abs(math.log(period.days / _KIND_DAYS[kind])))


def next_period(period: Period, named: Mapping[str, Period], held: Mapping[str, Period]) -> Period | None:
    """The period an unfinished objective of ``period`` continues in (docs/closing-a-quarter.md §3),
    the one place that says it: of the periods okrsite.toml names (``named``), those that have
    objectives (``held``) and a built-in period's next of its kind (`following`: 2026-Q4 → 2027-Q1,
    before anyone named or wrote it), the first to start after ``period`` ends. Of several starting
    that day: one of the ended period's kind (a quarter's next is a quarter, not a month of it nor a
    fiscal year), then a named or held one before the built-in next (FY27-Q1 of 87 days, not 2026-Q4
    of 92, after 2026-Q3), then the nearest in length."""
    known = {**named, **held}
    built_in = following(period)
    later = [p for p in known.values() if p.start > period.end]
    if built_in is not None and built_in.id not in known:
        later.append(built_in)
    kind = kind_of(period)
    return min(later, key=lambda p: (p.start, kind_of(p) != kind, p.id not in known, abs(p.days - period.days), p.id), default=None)


def elapsed(period: Period, as_of: date) -> float:
    """Share of the period passed by the end of ``as_of`` (the as-of day counts as passed)."""
    days = (as_of - period.start).days + 1
    return min(max(days / period.days, 0.0), 1.0)


PERIOD_FORMS = "2026-Q4, 2026-H1, 2026, 2026-03 or a period named in okrsite.toml"


_PART_FIRST = re.compile(r"^([Qq][1-4]|[Hh][12])[\s_/-]*(\d{4})$")  # Q4-2026, Q4 2026, H2 2026
_PART_UNJOINED = re.compile(r"^(\d{4})[\s_/]*([Qq][1-4]|[Hh][12])$")  # 2026Q4, 2026 Q4, 2026/Q4
_MONTH = re.compile(r"^(?:(\d{1,2})[-/.](\d{4})|(\d{4})[-/.](\d))$")  # 03/2026, 3.2026, 2026-3


def period_hint(value: Any, named: Mapping[str, Period]) -> str:
    """The hint for an unknown period: the nearest named period, else the period meant when it is a
    usual way of writing one the other way round, else the forms."""
    text = str(value).strip()
    meant = period_meant(text)
    if meant and meant != text:
        same = _named_alike(meant, named)
        return f"did you mean '{same.id}' ({same.start} – {same.end} on this site)?" if same else f"did you mean '{meant}'?"
    near = did_you_mean(text, named)
    new = _new_named(text, named)
    return f"{near} If {text} is a new period, {new}" if near and new else near or (new[0].upper() + new[1:] if new else f"use {PERIOD_FORMS}")


_DIGITS = re.compile(r"\d+")


def _new_named(text: str, named: Mapping[str, Period]) -> str:
    """How to define ``text`` when it is named like the site's own periods but none of them (FY27-Q3 beside
    FY27-Q1 and FY27-Q2: the next fiscal quarter, not yet in okrsite.toml); when it comes after all of them
    by its numbers, starting the day after the last of them ends. Else ""."""
    def numbers(name: str) -> tuple[int, ...]:
        return tuple(int(n) for n in _DIGITS.findall(name))

    alike = [period for name, period in named.items() if _DIGITS.sub("#", name) == _DIGITS.sub("#", text)]
    if not alike or not _DIGITS.search(text):
        return ""
    last = max(alike, key=lambda p: p.end)
    if numbers(text) > max(numbers(p.id) for p in alike):
        return f"define it in okrsite.toml: [periods.{text}] with start = {last.end + timedelta(days=1)} (the day after {last.id} ends) and end = its last day"
    return f"define it in okrsite.toml: [periods.{text}] with its start and end"


def _named_alike(meant: str, named: Mapping[str, Period]) -> Period | None:
    """The named period with the very dates of the calendar period ``meant`` (FY27-Q4 for 2027-Q1 on a
    fiscal calendar): the one to write, not a second period of the same days beside it."""
    if meant in named:
        return None
    try:
        calendar_period = parse_period(meant, {})
    except PeriodError:
        return None
    return next((period for period in named.values() if (period.start, period.end) == (calendar_period.start, calendar_period.end)), None)


def period_meant(text: str) -> str | None:
    """The period a usual other way of writing one means (Q4 2026, 2026Q4, 03/2026), else None."""
    if match := _PART_FIRST.match(text):
        return f"{match[2]}-{match[1].upper()}"
    if match := _PART_UNJOINED.match(text):
        return f"{match[1]}-{match[2].upper()}"
    if match := _MONTH.match(text):
        month, year = (match[1], match[2]) if match[1] else (match[4], match[3])
        return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    return None
