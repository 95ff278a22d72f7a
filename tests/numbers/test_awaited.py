"""numbers/awaited.py: a finished period's key result whose monthly or quarterly KPI has no figure yet
for the period's last month (quarter): its final value is the month before's, and will move (QA)."""

from datetime import date, timedelta

import pytest

from okrsite.goals.config import Settings
from okrsite.goals.load import SourceDoc
from okrsite.goals.model import KPI, DataPoint, KeyResult, Objective, Period, Site
from okrsite.goals.periods import parse_period
from okrsite.numbers.awaited import STALE, Awaited, awaited_figure, last_figure_in, no_longer_to_come
from okrsite.numbers.compute import compute

Q4 = parse_period("2026-Q4", {})
DOC = SourceDoc("content/kpis/mrr.md", "kpi", {}, {})
CLOSED = date(2027, 1, 4)  # the day QA ran carry-over: December's MRR not in yet


def mrr(*days: date, frequency: str = "monthly", given: bool = True, retired: date | None = None) -> KPI:
    values = tuple(DataPoint(day, 40000 + 1000 * n) for n, day in enumerate(days))
    return KPI("mrr", "MRR", "finance", DOC, unit="USD", values=values, frequency=frequency, frequency_given=given, retired=retired)


def test_a_monthly_kpi_without_december_s_figure_awaits_it_once_the_quarter_has_ended():
    found = awaited_figure(mrr(), Q4, date(2026, 11, 30), date(2026, 11, 30), CLOSED)
    assert found == Awaited("mrr", 1, date(2026, 12, 1), date(2026, 12, 31), date(2026, 11, 30))
    assert (found.awaited_name, found.counted_name) == ("December 2026", "November")
    assert awaited_figure(mrr(), Q4, date(2026, 11, 30), date(2026, 11, 30), Q4.end) is None, "while the quarter runs, its numbers are not final anyway"
    assert awaited_figure(mrr(), Q4, date(2026, 12, 31), date(2026, 12, 31), CLOSED) is None, "December's figure is in"
    assert awaited_figure(mrr(), Q4, date(2026, 12, 15), date(2026, 12, 15), CLOSED) is None, "a value dated in December is December's"


def test_a_kpi_with_no_value_by_the_end_awaits_it_with_nothing_counted_instead():
    found = awaited_figure(mrr(), Q4, None, None, CLOSED)
    assert (found.awaited_name, found.counted_name) == ("December 2026", None)


def test_a_kpi_whose_numbers_live_in_a_bi_tool_awaits_nothing_while_the_repository_has_none():
    """QA FI: a dashboard-only KPI (no values, a `dashboard:` link) kept 2026-Q4 "provisional" until
    2027-07-04 (quarterly) or 2027-03-03 (monthly), awaiting a figure nobody would write into the files."""
    from dataclasses import replace

    looker = replace(mrr(), dashboard=("https://looker.example.com/dashboards/7",))
    assert awaited_figure(looker, Q4, None, None, CLOSED) is None
    assert awaited_figure(replace(looker, frequency="quarterly"), Q4, None, None, CLOSED) is None
    assert awaited_figure(replace(mrr(date(2026, 11, 30)), dashboard=looker.dashboard), Q4, date(2026, 11, 30), date(2026, 11, 30), CLOSED) is not None


def test_a_value_of_another_year_is_named_with_its_year():
    january = parse_period("2027-01", {})
    assert awaited_figure(mrr(), january, date(2026, 12, 31), date(2026, 12, 31), date(2027, 2, 2)).counted_name == "December 2026"


def test_a_quarterly_kpi_awaits_the_quarter_s_figure():
    found = awaited_figure(mrr(frequency="quarterly"), Q4, date(2026, 9, 30), date(2026, 9, 30), CLOSED)
    assert (found.start, found.end, found.awaited_name, found.counted_name) == (date(2026, 10, 1), Q4.end, "2026-Q4", "2026-Q3")
    assert awaited_figure(mrr(frequency="quarterly"), Q4, date(2026, 12, 31), date(2026, 12, 31), CLOSED) is None


@pytest.mark.parametrize("kpi", [mrr(frequency="daily"), mrr(frequency="weekly"), mrr(given=False)], ids=["daily", "weekly", "unstated"])
def test_a_kpi_measured_daily_weekly_or_at_no_stated_frequency_awaits_nothing(kpi):
    """Its values are recorded when they are measured: nothing says one is late (unstated, monthly is
    only the default for staleness)."""
    assert awaited_figure(kpi, Q4, date(2026, 11, 30), date(2026, 11, 30), CLOSED) is None


def test_a_kpi_retired_before_the_last_month_s_last_day_awaits_nothing():
    """QA: retired on 2026-12-15, it left 2026-Q4 provisional for good: it stopped being measured before
    December's figure was. Retired on the 31st, that day's figure may still come."""
    assert awaited_figure(mrr(retired=date(2026, 12, 1)), Q4, date(2026, 11, 30), date(2026, 11, 30), CLOSED) is None
    assert awaited_figure(mrr(retired=date(2026, 12, 15)), Q4, date(2026, 11, 30), date(2026, 11, 30), CLOSED) is None
    assert awaited_figure(mrr(retired=date(2026, 12, 31)), Q4, date(2026, 11, 30), date(2026, 11, 30), CLOSED) is not None


@pytest.mark.parametrize(("period", "months", "last"), [
    ("2026-Q4", 1, (date(2026, 12, 1), date(2026, 12, 31))),
    ("2026-H2", 3, (date(2026, 10, 1), date(2026, 12, 31))),
    ("2026-11", 1, (date(2026, 11, 1), date(2026, 11, 30))),
    ("2026-11", 3, None),  # no quarter ends in November
    ("2026-12", 3, (date(2026, 10, 1), date(2026, 12, 31))),  # the quarter ending with the month
])
def test_the_last_month_or_quarter_that_ends_in_a_period(period, months, last):
    assert last_figure_in(parse_period(period, {}), months) == last


FY26_Q4 = Period("FY26-Q4", date(2026, 11, 1), date(2027, 1, 30))  # a 4-4-5 retail calendar's
AFTER_FY26_Q4 = date(2027, 2, 3)


@pytest.mark.parametrize(("end", "months", "last"), [
    (date(2027, 1, 30), 1, (date(2027, 1, 3), date(2027, 1, 30))),  # four weeks: the shortest fiscal month
    (date(2027, 1, 15), 1, (date(2026, 12, 19), date(2027, 1, 15))),
    (date(2027, 5, 1), 1, (date(2027, 4, 4), date(2027, 5, 1))),
    (date(2027, 1, 30), 3, (date(2026, 11, 1), date(2027, 1, 30))),  # thirteen weeks
])
def test_a_period_ending_on_no_month_s_last_day_awaits_the_month_to_its_end(end, months, last):
    """QA: FY26-Q4 of a 4-4-5 calendar, ending 2027-01-30, awaited December's figure: with it in, the
    grade was final though the period's last (fiscal) month's figure was not."""
    assert last_figure_in(Period("FY", date(2026, 11, 1), end), months) == last


def test_a_fiscal_period_awaits_the_value_dated_in_its_last_month_and_names_it_by_its_end():
    found = awaited_figure(mrr(), FY26_Q4, date(2026, 12, 26), date(2026, 12, 26), AFTER_FY26_Q4)
    assert found == Awaited("mrr", 1, date(2027, 1, 3), FY26_Q4.end, date(2026, 12, 26))
    assert (found.awaited_name, found.counted_name) == ("2027-01-30 month-end", "2026-12-26")
    assert awaited_figure(mrr(frequency="quarterly"), FY26_Q4, date(2026, 10, 30), date(2026, 10, 30), AFTER_FY26_Q4).awaited_name == "2027-01-30 quarter-end"
    assert awaited_figure(mrr(), FY26_Q4, date(2027, 1, 30), date(2027, 1, 30), AFTER_FY26_Q4) is None
    calendar = awaited_figure(mrr(), FY26_Q4, date(2026, 12, 31), date(2026, 12, 31), AFTER_FY26_Q4)
    assert calendar.counted_name == "2026-12-31", "December's calendar figure is not the last fiscal month's (2027-01-03 – 2027-01-30)"


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


def test_a_kpi_with_a_value_after_the_awaited_month_awaits_nothing():
    """QA: MRR's January value came and December's never will: 2026-Q4 stayed "Provisional" for ever."""
    assert awaited_figure(mrr(), Q4, date(2026, 11, 30), date(2027, 1, 31), date(2027, 2, 2)) is None


@pytest.mark.parametrize(("frequency", "counted", "last_day_awaited"), [
    ("monthly", date(2026, 11, 30), date(2027, 3, 3)), ("quarterly", date(2026, 9, 30), date(2027, 7, 3))])
def test_a_figure_is_awaited_until_the_kpi_would_be_stale_for_its_month(frequency, counted, last_day_awaited):
    """SPEC §6: a KPI is stale more than twice its frequency (31 days monthly, 92 quarterly) after its
    latest value; December's (2026-Q4's) figure not in by then is missing, and the period final."""
    kpi = mrr(frequency=frequency)
    assert awaited_figure(kpi, Q4, counted, counted, last_day_awaited) is not None
    assert awaited_figure(kpi, Q4, counted, counted, last_day_awaited + timedelta(days=1)) is None


@pytest.mark.parametrize(("frequency", "fresh", "stale"), [
    ("monthly", date(2026, 10, 30), date(2026, 10, 29)), ("quarterly", date(2026, 6, 30), date(2026, 6, 29))])
def test_a_kpi_already_stale_on_the_period_s_last_day_awaits_nothing(frequency, fresh, stale):
    """QA FP: FY27 stayed "provisional" for 14 months after its end, awaiting the month-end ARR of a
    monthly KPI last measured more than a year before: it had stopped reporting, as its page said ("last
    value 388 days old"). Stale on the last day (its latest value more than twice its frequency old then,
    62 days monthly, 184 quarterly), it awaits nothing: the grade is final with the value it has."""
    kpi = mrr(frequency=frequency)
    assert awaited_figure(kpi, Q4, fresh, fresh, CLOSED) is not None
    assert awaited_figure(kpi, Q4, stale, stale, CLOSED) is None
    assert no_longer_to_come(kpi, Q4.end, stale, stale, CLOSED) == STALE
    assert awaited_figure(kpi, Q4, None, None, CLOSED) is not None, "a KPI with no value at all is not stale"


def scores_of(*objectives: Objective, kpi: KPI, as_of: date = CLOSED) -> dict:
    children = {p: tuple(o.id for o in objectives if o.parent == p) for p in {o.parent for o in objectives if o.parent}}
    site = Site("S", {o.id: o for o in objectives}, {kpi.id: kpi}, {}, {}, {}, {Q4.id: Q4}, children, {}, {}, {})
    return compute(site, Settings(), as_of).objectives


def objective(ident: str, *key_results: KeyResult, **fields) -> Objective:
    return Objective(ident, ident.title(), Q4, "finance", DOC, key_results=key_results, **fields)


NOVEMBER = mrr(date(2026, 10, 31), date(2026, 11, 30))
DECEMBER_AWAITED = Awaited("mrr", 1, date(2026, 12, 1), Q4.end, date(2026, 11, 30))
GUARD = KeyResult("kr1", 1, "Keep MRR above", "guardrail", "finance", keep_above=30000, kpi="mrr")
HIRE = KeyResult("kr0", 0, "Hire", "numeric", "finance", start=0, target=10, current=8)


def test_an_objective_s_grade_is_provisional_while_its_progress_awaits_a_figure():
    scores = scores_of(objective("grow", follower(), follower(1)), kpi=NOVEMBER)
    assert (scores["grow"].awaited, scores["grow"].provisional, scores["grow"].unsettled) == ((DECEMBER_AWAITED,), True, True)


def test_a_self_assessed_grade_is_final_while_its_key_result_s_value_is_provisional():
    """QA: "provisional grade 0.50" for an objective its owner graded 0.5: the grade is the score (SPEC §13)."""
    grow = scores_of(objective("grow", follower(), score=0.5), kpi=NOVEMBER)["grow"]
    assert (grow.awaited, grow.provisional, grow.unsettled, grow.key_results[0].provisional) == ((DECEMBER_AWAITED,), False, True, True)


def test_a_grade_only_a_guardrail_awaits_for_is_final():
    """QA: a guardrail is left out of progress (SPEC §12): its December value moves no grade."""
    grow = scores_of(objective("grow", HIRE, GUARD), kpi=NOVEMBER)["grow"]
    assert (grow.awaited, grow.provisional, grow.key_results[1].provisional) == ((), False, True)


def test_a_roll_up_s_grade_awaits_what_the_children_it_counts_await():
    """QA: a roll-up's page said "final grade" while its child's key result awaited December's MRR. It
    awaits each figure once; a child's `score:` does not stop it (it counts their progress), a cancelled
    child counts nowhere."""
    children = [objective("grow", follower(), parent="top", score=0.9), objective("keep", follower(), parent="top"),
                objective("hire", HIRE, parent="top"), objective("dropped", follower(), parent="top", status="cancelled")]
    scores = scores_of(objective("top"), *children, kpi=NOVEMBER)
    assert (scores["top"].awaited, scores["top"].provisional) == ((DECEMBER_AWAITED,), True)
    assert scores_of(objective("top"), *children[2:], kpi=NOVEMBER)["top"].awaited == ()
    assert scores_of(objective("top"), *children, kpi=NOVEMBER, as_of=Q4.end)["top"].provisional is False, "no grade while it runs"


def test_a_key_result_awaits_nothing_once_its_kpi_has_a_later_value():
    """The key result counts November's (its period's end freezes it), the KPI already has January's."""
    january = mrr(date(2026, 10, 31), date(2026, 11, 30), date(2027, 1, 31))
    assert awaited_of(site_of(january, follower()), date(2027, 2, 2)) == [None]
    assert awaited_of(site_of(NOVEMBER, follower()), date(2027, 3, 3)) == [DECEMBER_AWAITED]
    assert awaited_of(site_of(NOVEMBER, follower()), date(2027, 3, 4)) == [None], "stale for December: final with November's"


def test_a_roll_up_does_not_await_what_a_child_of_a_longer_period_awaits_at_its_own_end():
    """Review: a 2026-Q4 roll-up counts a child of a year running to 2027-06-30 as it stood on 2026-12-31
    (progress_on), but took the child's own awaits: in July 2027, the child awaiting June's MRR for its
    year turned the long-finished quarter "Provisional" again, six months on."""
    year = Period("FY", date(2026, 7, 1), date(2027, 6, 30))
    grow = Objective("grow", "Grow", year, "finance", DOC, key_results=(follower(),), parent="top")
    until_may = mrr(date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31), date(2027, 5, 31))
    site = Site("S", {"top": objective("top"), "grow": grow}, {"mrr": until_may}, {}, {}, {}, {Q4.id: Q4, "FY": year},
                {"top": ("grow",)}, {}, {}, {})
    scores = compute(site, Settings(), date(2027, 7, 4)).objectives
    assert scores["grow"].provisional and (scores["top"].awaited, scores["top"].provisional, scores["top"].unsettled) == ((), False, False)
