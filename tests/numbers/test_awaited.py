"""numbers/awaited.py: a finished period's key result whose monthly or quarterly KPI has no figure yet
for the period's last month (quarter): its final value is the month before's, and will move (QA)."""

from datetime import date

import pytest

from okrsite.goals.config import Settings
from okrsite.goals.load import SourceDoc
from okrsite.goals.model import KPI, DataPoint, KeyResult, Objective, Period, Site
from okrsite.goals.periods import parse_period
from okrsite.numbers.awaited import Awaited, awaited_figure, last_figure_in
from okrsite.numbers.compute import compute

Q4 = parse_period("2026-Q4", {})
DOC = SourceDoc("content/kpis/mrr.md", "kpi", {}, {})
CLOSED = date(2027, 1, 4)  # the day QA ran carry-over: December's MRR not in yet


def mrr(*days: date, frequency: str = "monthly", given: bool = True, retired: date | None = None) -> KPI:
    values = tuple(DataPoint(day, 40000 + 1000 * n) for n, day in enumerate(days))
    return KPI("mrr", "MRR", "finance", DOC, unit="USD", values=values, frequency=frequency, frequency_given=given, retired=retired)


def test_a_monthly_kpi_without_december_s_figure_awaits_it_once_the_quarter_has_ended():
    found = awaited_figure(mrr(), Q4, date(2026, 11, 30), CLOSED)
    assert found == Awaited("mrr", 1, date(2026, 12, 1), date(2026, 12, 31), date(2026, 11, 30))
    assert (found.awaited_name, found.counted_name) == ("December 2026", "November")
    assert awaited_figure(mrr(), Q4, date(2026, 11, 30), Q4.end) is None, "while the quarter runs, its numbers are not final anyway"
    assert awaited_figure(mrr(), Q4, date(2026, 12, 31), CLOSED) is None, "December's figure is in"
    assert awaited_figure(mrr(), Q4, date(2026, 12, 15), CLOSED) is None, "a value dated in December is December's"


def test_a_kpi_with_no_value_by_the_end_awaits_it_with_nothing_counted_instead():
    found = awaited_figure(mrr(), Q4, None, CLOSED)
    assert (found.awaited_name, found.counted_name) == ("December 2026", None)


def test_a_value_of_another_year_is_named_with_its_year():
    q1 = parse_period("2027-Q1", {})
    assert awaited_figure(mrr(), q1, date(2026, 12, 31), date(2027, 4, 2)).counted_name == "December 2026"


def test_a_quarterly_kpi_awaits_the_quarter_s_figure():
    found = awaited_figure(mrr(frequency="quarterly"), Q4, date(2026, 9, 30), CLOSED)
    assert (found.start, found.end, found.awaited_name, found.counted_name) == (date(2026, 10, 1), Q4.end, "2026-Q4", "2026-Q3")
    assert awaited_figure(mrr(frequency="quarterly"), Q4, date(2026, 12, 31), CLOSED) is None


@pytest.mark.parametrize("kpi", [mrr(frequency="daily"), mrr(frequency="weekly"), mrr(given=False)], ids=["daily", "weekly", "unstated"])
def test_a_kpi_measured_daily_weekly_or_at_no_stated_frequency_awaits_nothing(kpi):
    """Its values are recorded when they are measured: nothing says one is late (unstated, monthly is
    only the default for staleness)."""
    assert awaited_figure(kpi, Q4, date(2026, 11, 30), CLOSED) is None


def test_a_kpi_retired_before_the_last_month_s_last_day_awaits_nothing():
    """QA: retired on 2026-12-15, it left 2026-Q4 provisional for good: it stopped being measured before
    December's figure was. Retired on the 31st, that day's figure may still come."""
    assert awaited_figure(mrr(retired=date(2026, 12, 1)), Q4, date(2026, 11, 30), CLOSED) is None
    assert awaited_figure(mrr(retired=date(2026, 12, 15)), Q4, date(2026, 11, 30), CLOSED) is None
    assert awaited_figure(mrr(retired=date(2026, 12, 31)), Q4, date(2026, 11, 30), CLOSED) is not None


@pytest.mark.parametrize(("period", "months", "last"), [
    ("2026-Q4", 1, (date(2026, 12, 1), date(2026, 12, 31))),
    ("2026-H2", 3, (date(2026, 10, 1), date(2026, 12, 31))),
    ("2026-11", 1, (date(2026, 11, 1), date(2026, 11, 30))),
    ("2026-11", 3, None),  # no quarter ends in November
    ("2026-12", 3, (date(2026, 10, 1), date(2026, 12, 31))),  # the quarter ending with the month
])
def test_the_last_month_or_quarter_that_ends_in_a_period(period, months, last):
    assert last_figure_in(parse_period(period, {}), months) == last


def test_a_fiscal_period_ending_inside_a_month_awaits_the_last_whole_month_s_figure():
    fiscal = Period("FY-S", date(2026, 11, 1), date(2027, 1, 15))
    assert last_figure_in(fiscal, 1) == (date(2026, 12, 1), date(2026, 12, 31))


def site_of(kpi: KPI, *key_results: KeyResult, score: float | None = None, status: str | None = None) -> Site:
    o = Objective("grow-revenue", "Grow revenue", Q4, "finance", DOC, key_results=key_results, score=score, status=status)
    return Site("S", {o.id: o}, {kpi.id: kpi}, {}, {}, {}, {Q4.id: Q4}, {}, {}, {}, {})


def follower(index: int = 0, **kw) -> KeyResult:
    fields = {"start": 40000, "target": 60000, "kpi": "mrr", **kw}
    return KeyResult(f"kr{index}", index, "Grow MRR", "numeric", "finance", **fields)


def awaited_of(site: Site, as_of: date = CLOSED) -> list:
    return [k.awaited for k in compute(site, Settings(), as_of).objectives["grow-revenue"].key_results]


def test_a_finished_key_result_following_the_kpi_says_what_it_awaits_until_the_figure_comes():
    """QA: on 01-04, grow-revenue's final 49,800 was November's MRR; December's came in dated
    2026-12-31 and the grade moved. A `score:` set by the owner does not hide it: the final still moves."""
    november = mrr(date(2026, 10, 31), date(2026, 11, 30))
    written = follower(1, current=52000)  # its own number: the KPI's figure is not its final value
    guard = KeyResult("kr2", 2, "Keep MRR above", "guardrail", "finance", keep_above=30000, kpi="mrr")
    assert awaited_of(site_of(november, follower(), written, guard)) == [
        Awaited("mrr", 1, date(2026, 12, 1), Q4.end, date(2026, 11, 30)), None, Awaited("mrr", 1, date(2026, 12, 1), Q4.end, date(2026, 11, 30))]
    assert awaited_of(site_of(november, follower(), score=0.5))[0] is not None
    assert awaited_of(site_of(november, follower()), Q4.end) == [None]
    december = mrr(date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31))
    assert awaited_of(site_of(december, follower())) == [None]


def test_a_cancelled_objective_awaits_nothing():
    """QA: a cancelled objective kept its period provisional: it is in no roll-up or count (SPEC §6), and
    its grade is none. So is one cancelled as computed: guardrails alone, which count in no progress."""
    november = mrr(date(2026, 10, 31), date(2026, 11, 30))
    guard = KeyResult("kr1", 1, "Keep MRR above", "guardrail", "finance", keep_above=30000, kpi="mrr")
    assert awaited_of(site_of(november, follower(), status="cancelled")) == [None]
    assert awaited_of(site_of(november, guard)) == [None]
    assert compute(site_of(november, follower()), Settings(), CLOSED).objectives["grow-revenue"].awaiting == 1
