"""The forecast and guardrail arithmetic of okrsite/forecast.py (SPEC §11, §12), property-tested.

The hand-worked fixture with every number worked out is tests/test_forecast_handworked.py."""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, strategies as st

from okrsite.numbers.compute import kr_score
from okrsite.goals.config import Settings
from okrsite.numbers.forecast import (
    KRForecast, ObjectiveForecast, checkins_in, forecast_points, forecast_status, guarded_status, holds, kr_forecast,
    least_squares, method_words, objective_forecast, rolled_up_forecast,
)
from okrsite.goals.model import DataPoint, KeyResult, Period
from okrsite.goals.periods import parse_period

Q4 = parse_period("2026-Q4", {})
AS_OF = date(2026, 11, 23)  # day 53 of 2026-Q4 (d = 53, 0 being 2026-10-01)
SETTINGS = Settings()
values = st.floats(-1e6, 1e6, allow_nan=False)
slopes = st.floats(-1e3, 1e3, allow_nan=False)
periods = st.builds(lambda start, days: Period("P", start, start + timedelta(days=days - 1)),
                    st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(2, 800))


def numeric(start=0.0, target=100.0, **kw):
    return KeyResult("k", 0, "K", "numeric", "o", start=start, target=target, **kw)


def guardrail(**kw):
    return KeyResult("g", 1, "G", "guardrail", "o", **kw)


def on_days(period: Period, days, value_of) -> tuple[DataPoint, ...]:
    return tuple(DataPoint(period.start + timedelta(days=d), value_of(d)) for d in sorted(days))


# --------------------------------------------------------------------------- properties (SPEC §11)


@given(periods, values, slopes, st.data())
def test_a_perfectly_linear_series_forecasts_its_own_end_value(period, start, slope, data):
    """Check-ins on the line start + slope·d (with or without one on the first day) forecast the
    line's value on the period's last day."""
    as_of_day = data.draw(st.integers(1, period.days - 1))
    days = data.draw(st.sets(st.integers(0, as_of_day), min_size=1, max_size=20))
    assume(days != {0})
    kr = numeric(start, start + 100)
    history = on_days(period, days, lambda d: start + slope * d)
    forecast = kr_forecast(kr, period, period.start + timedelta(days=as_of_day), 0.0, history)
    end = start + slope * (period.days - 1)
    if min(start, *(p.value for p in history)) >= 0:  # a number that never goes below 0 is not forecast below it
        end = max(end, 0.0)
    assert forecast.value == pytest.approx(end, rel=1e-6, abs=1e-3)
    assert forecast.points == len(days | {0})
    assert forecast.progress == pytest.approx(min(max((forecast.value - start) / 100, 0), 1))


@given(periods, values, st.data())
def test_adding_a_point_on_the_fitted_line_changes_nothing(period, start, data):
    assume(period.days >= 3)
    as_of_day = data.draw(st.integers(2, period.days - 1))
    days = data.draw(st.lists(st.integers(1, as_of_day), min_size=1, max_size=min(12, as_of_day - 1), unique=True))
    noisy = data.draw(st.lists(values, min_size=len(days), max_size=len(days)))
    kr = numeric(start, start - 50)
    history = tuple(sorted((DataPoint(period.start + timedelta(days=d), v) for d, v in zip(days, noisy)), key=lambda p: p.date))
    as_of = period.start + timedelta(days=as_of_day)
    before = kr_forecast(kr, period, as_of, 0.0, history)
    free = [d for d in range(1, as_of_day + 1) if d not in days]
    extra = data.draw(st.sampled_from(free))
    a, b = least_squares(forecast_points(kr, period, history))
    on_line = DataPoint(period.start + timedelta(days=extra), a + b * extra)
    assume(on_line.value >= 0 or min(start - 50, *noisy) < 0)  # not the point that makes the key result go below 0
    after = kr_forecast(kr, period, as_of, 0.0, tuple(sorted(history + (on_line,), key=lambda p: p.date)))
    scale = max(1.0, *(abs(v) for v in noisy), abs(start))
    assert after.value == pytest.approx(before.value, abs=1e-6 * scale * period.days)
    assert after.progress == pytest.approx(before.progress, abs=1e-6 * scale)
    assert after.points == before.points + 1


@given(periods, st.integers(1, 3000), st.booleans(), st.sampled_from(["numeric", "binary", "manual", "guardrail"]))
def test_before_and_after_the_period_the_forecast_is_null(period, distance, after, form):
    as_of = period.end + timedelta(days=distance) if after else period.start - timedelta(days=distance)
    kr = KeyResult("k", 0, "K", form, "o", start=0.0, target=10.0, keep_above=1.0 if form == "guardrail" else None)
    history = (DataPoint(period.start + timedelta(days=1), 3.0), DataPoint(period.end, 9.0))
    assert kr_forecast(kr, period, as_of, 0.5, history) is None


@given(st.lists(st.tuples(st.integers(0, 800), values), min_size=2, max_size=30))
def test_least_squares_minimises_the_squared_error(points):
    assume(len({x for x, _ in points}) >= 2)
    a, b = least_squares(points)

    def error(a_, b_):
        return sum((y - a_ - b_ * x) ** 2 for x, y in points)

    best = error(a, b)
    for da, db in ((1e-3, 0), (-1e-3, 0), (0, 1e-5), (0, -1e-5)):
        assert best <= error(a + da, b + db) * (1 + 1e-9) + 1e-6


# --------------------------------------------------------------------------- examples


def test_fewer_than_two_dates_give_no_forecast():
    assert least_squares([(3, 1.0), (3, 2.0)]) is None
    kr = numeric(10, 20)
    assert kr_forecast(kr, Q4, AS_OF, 0.0) is None  # the start point alone
    assert kr_forecast(kr, Q4, AS_OF, 0.0, (DataPoint(Q4.start, 12),)) is None  # replaces the start point
    two = kr_forecast(kr, Q4, AS_OF, 0.0, (DataPoint(Q4.start + timedelta(days=45), 14.5),))
    assert (two.value, two.points, two.checkins) == (pytest.approx(10 + 0.1 * 91), 2, 1)  # slope 4.5/45 = 0.1


def test_check_ins_outside_the_window_are_left_out_and_a_day_counts_once():
    kr = numeric(0, 100)
    history = (DataPoint(date(2026, 9, 30), 50), DataPoint(date(2026, 10, 11), 5), DataPoint(date(2026, 10, 11), 10),
               DataPoint(date(2026, 11, 24), 99))
    assert forecast_points(kr, Q4, checkins_in(kr, Q4, AS_OF, history)) == [(0, 0.0), (10, 10)]  # the day's last value


def test_a_kr_follows_its_kpi_only_without_its_own_check_ins_or_current():
    kpi_values = (DataPoint(date(2026, 10, 31), 30),)
    own = (DataPoint(date(2026, 10, 21), 20),)
    assert checkins_in(numeric(kpi="m"), Q4, AS_OF, (), kpi_values) == list(kpi_values)
    assert checkins_in(numeric(kpi="m"), Q4, AS_OF, own, kpi_values) == list(own)
    assert checkins_in(numeric(kpi="m", current=25.0), Q4, AS_OF, (), kpi_values) == []


def test_binary_and_manual_forecast_their_progress_now():
    done = KeyResult("k", 0, "K", "binary", "o", done=True)
    assert kr_forecast(done, Q4, AS_OF, 1.0) == KRForecast(None, 1.0, 0)
    manual = KeyResult("k", 0, "K", "manual", "o", manual_progress=0.3)
    assert kr_forecast(manual, Q4, AS_OF, 0.3) == KRForecast(None, 0.3, 0)


def test_forecast_progress_is_clamped():
    kr = numeric(0, 10)
    history = (DataPoint(date(2026, 10, 11), 10),)  # slope 1 a day: 91 by the end
    assert kr_forecast(kr, Q4, AS_OF, 0.0, history).progress == 1.0
    falling = kr_forecast(kr, Q4, AS_OF, 0.0, (DataPoint(date(2026, 10, 11), -10),))
    assert (falling.value, falling.progress) == (pytest.approx(-91), 0.0)


@pytest.mark.parametrize("progress, goal, expected", [
    (1.0, 1.0, "achieved"), (0.7, 0.7, "achieved"), (0.9, 1.0, "on-track"), (0.8999, 1.0, "at-risk"),
    (0.75, 1.0, "at-risk"), (0.7499, 1.0, "off-track"), (0.6, 0.7, "on-track"), (0.0, 1.0, "off-track"),
    (0.996, 1.0, "achieved"), (0.994, 1.0, "on-track"), (0.695, 0.7, "achieved"),  # as shown: 100 %, 99 %, 70 %
])
def test_forecast_status_by_the_gap_to_the_goal(progress, goal, expected):
    assert forecast_status(progress, goal, SETTINGS) == expected


@pytest.mark.parametrize("gap, expected", [(0.05, "on-track"), (0.1, "on-track"), (0.1001, "at-risk"), (0.25, "at-risk"), (0.2501, "off-track")])
def test_a_status_and_a_forecast_s_status_are_told_by_one_rule_of_the_gap(gap, expected):
    """QA ES: SPEC §6's thresholds were written twice (compute.status, forecast_status): a change to one
    would have made a forecast's status disagree with the status of the same shortfall."""
    from okrsite.numbers.compute import status
    from okrsite.numbers.forecast import status_by_gap

    halfway = Period("P", date(2026, 1, 1), date(2026, 1, 4))  # day 2 of 4: half the goal expected
    assert status_by_gap(gap, SETTINGS) == expected
    assert forecast_status(1.0 - gap, 1.0, SETTINGS) == expected
    assert status(0.5 - gap, 1.0, halfway, date(2026, 1, 2), SETTINGS) == expected


def test_objective_forecast_is_weighted_and_leaves_out_guardrails():
    krs = (numeric(weight=3.0), KeyResult("b", 1, "B", "binary", "o", weight=1.0), guardrail(keep_above=5.0))
    forecasts = (KRForecast(90.0, 0.9, 3, 2), None, None)
    result = objective_forecast(krs, [0.5, 0.0, 0.0], forecasts, 1.0, SETTINGS)
    assert result.progress == pytest.approx((0.9 * 3 + 0.0) / 4)  # the binary one without a forecast counts as it stands
    assert (result.lines, result.checkins, result.status) == (1, 2, "off-track")  # gap = 1 - 0.675 = 0.325
    assert objective_forecast((guardrail(keep_above=1.0),), [0.0], [None], 1.0, SETTINGS).progress == 0.0


def test_roll_up_counts_a_child_without_forecast_with_its_progress():
    result = rolled_up_forecast([(0.2, ObjectiveForecast(0.8, "on-track", 1, 2)), (0.6, None)], 1.0, SETTINGS)
    assert result.progress == pytest.approx(0.7)
    assert result.rolled_up and method_words(result) == "mean of the aligned objectives' forecasts"
    assert rolled_up_forecast([], 1.0, SETTINGS).progress == 0.0


def test_method_in_words():
    assert method_words(ObjectiveForecast(0.5, "off-track", 1, 4)) == "straight line through 4 check-ins"
    assert method_words(ObjectiveForecast(0.5, "off-track", 1, 1)) == "straight line through 1 check-in"
    assert method_words(ObjectiveForecast(0.5, "off-track", 3, 7)) == "straight lines through 7 check-ins of 3 key results"
    assert method_words(ObjectiveForecast(0.5, "off-track")) == "from current progress: no trend yet"
    assert method_words(ObjectiveForecast(0.5, "off-track", rolled_up=True)) == "from current progress: no trend yet"


# --------------------------------------------------------------------------- guardrails (SPEC §12)


@pytest.mark.parametrize("kw, value, expected", [
    ({"keep_above": 70.0}, 70.0, True), ({"keep_above": 70.0}, 69.99, False), ({"keep_above": 70.0}, 90.0, True),
    ({"keep_below": 2.5}, 2.5, True), ({"keep_below": 2.5}, 2.51, False), ({"keep_below": 2.5}, -1.0, True),
    ({"keep_above": 70.0}, None, None), ({"keep_below": 2.5}, None, None),
])
def test_a_guardrail_holds_inclusively(kw, value, expected):
    assert holds(guardrail(**kw), value) is expected


@pytest.mark.parametrize("status, source, breached, expected", [
    ("on-track", "computed", 1, "at-risk"), ("on-track", "computed", 0, "on-track"),
    ("on-track", "manual", 2, "on-track"), ("off-track", "computed", 1, "off-track"),
    ("achieved", "computed", 1, "achieved"), ("at-risk", "computed", 1, "at-risk"),
])
def test_a_breach_turns_only_a_computed_on_track_into_at_risk(status, source, breached, expected):
    assert guarded_status(status, source, breached) == expected


def test_guardrail_score_takes_its_value_as_a_numeric_kr_would_but_no_start():
    history = (DataPoint(date(2026, 10, 15), 2.1), DataPoint(date(2026, 11, 15), 2.8), DataPoint(date(2026, 11, 30), 1.0))
    score = kr_score(guardrail(keep_below=2.5, history=history), {}, {}, AS_OF)
    assert (score.current, score.held) == (2.8, False)  # the 11-30 entry is after the as-of date
    empty = kr_score(guardrail(keep_above=4.5, start=3.0), {}, {}, AS_OF)
    assert (empty.current, empty.held) == (None, None)  # no value at all: no data, not the start


def test_a_forecast_without_any_line_has_no_trend_and_a_roll_up_has_one_if_a_child_has():
    krs = (numeric(), KeyResult("b", 1, "B", "binary", "o"))
    flat = objective_forecast(krs, [0.0, 0.0], [None, KRForecast(None, 0.0, 0)], 1.0, SETTINGS)
    assert (flat.progress, flat.status, flat.trend) == (0.0, "off-track", False)  # SPEC's number, but nothing projected
    assert objective_forecast(krs, [0.5, 0.0], [KRForecast(90.0, 0.9, 2, 1), None], 1.0, SETTINGS).trend
    assert not rolled_up_forecast([(0.0, flat), (0.2, None)], 1.0, SETTINGS).trend
    assert rolled_up_forecast([(0.0, flat), (0.2, ObjectiveForecast(0.8, "on-track", 1, 2))], 1.0, SETTINGS).trend


# --------------------------------------------------------------------------- a written current newer than the check-ins


def test_a_written_current_newer_than_the_check_ins_counts_on_the_as_of_date():
    """`okrsite checkin` outside git (or a `current:` not committed yet) writes an undated number: at 95
    of 100 after check-ins of 10 and 30, the forecast was 88 ("95 % done, forecast 88 % (at-risk)").
    It counts as a point on the as-of date."""
    kr = numeric(current=95.0)
    history = (DataPoint(date(2026, 10, 10), 10.0), DataPoint(date(2026, 11, 1), 30.0))
    as_of = date(2026, 11, 15)
    found = kr_forecast(kr, Q4, as_of, 0.95, history, current=95.0)
    assert found == kr_forecast(numeric(), Q4, as_of, 0.95, history + (DataPoint(as_of, 95.0),), current=95.0)
    assert (found.progress, found.points, found.checkins) == (1.0, 4, 3)
    same = numeric(current=30.0)  # the number the latest check-in already says: nothing new
    assert kr_forecast(same, Q4, as_of, 0.3, history, current=30.0) == kr_forecast(numeric(), Q4, as_of, 0.3, history, current=30.0)
    assert kr_forecast(kr, Q4, as_of, 0.95, (), current=95.0) is None  # no dated check-in: no trend yet, as before


def test_a_forecast_knows_the_date_of_the_latest_point_it_fits():
    """What a stale key result's row says its forecast is drawn from ("from check-ins to Oct 19"): its
    latest check-in up to the as-of date, or a newer written current's point on the as-of date."""
    history = (DataPoint(date(2026, 10, 10), 10.0), DataPoint(date(2026, 10, 19), 30.0), DataPoint(date(2026, 11, 30), 50.0))
    assert kr_forecast(numeric(), Q4, AS_OF, 0.3, history).through == date(2026, 10, 19)
    assert kr_forecast(numeric(current=40.0), Q4, AS_OF, 0.4, history, current=40.0).through == AS_OF
    assert kr_forecast(numeric(kpi="trial"), Q4, AS_OF, 0.3, (), history).through == date(2026, 10, 19)  # its KPI's values


@given(periods, values, st.floats(1, 1e6), st.data())
def test_a_written_current_is_a_point_on_the_as_of_date_unless_the_latest_check_in_says_it(period, start, span, data):
    days = data.draw(st.lists(st.integers(0, period.days - 1), min_size=1, max_size=5, unique=True))
    history = on_days(period, sorted(days), lambda d: data.draw(values))
    as_of = period.start + timedelta(days=data.draw(st.integers(max(days), period.days - 1)))
    written = data.draw(st.sampled_from([history[-1].value, data.draw(values)]))
    found = kr_forecast(numeric(start, start + span, current=written), period, as_of, 0.5, history, current=written)
    point = () if written == history[-1].value else (DataPoint(as_of, written),)
    assert found == kr_forecast(numeric(start, start + span), period, as_of, 0.5, history + point, current=written)


# --------------------------------------------------------------------------- the period's last day


@given(periods, values, st.floats(1, 1e6), st.data())
def test_on_the_last_day_a_numeric_forecast_is_the_current_value(period, start, span, data):
    """On the period's last day the period ends today: the forecast value is the key result's current
    value (the points, and whether there are enough of them, as on any other day), so the forecast
    progress is its progress (a refinement of SPEC §11, docs/objectives.md)."""
    kr = numeric(start, start + span)
    days = data.draw(st.lists(st.integers(0, period.days - 1), min_size=1, max_size=6, unique=True))
    history = on_days(period, days, lambda d: data.draw(values))
    current = history[-1].value
    progress = min(max((current - start) / span, 0.0), 1.0)
    found = kr_forecast(kr, period, period.end, progress, history, current=current)
    if set(days) - {0}:
        assert (found.value, found.progress) == (current, progress)
        assert found.points == len({0, *days})
    else:
        assert found is None  # a check-in on the first day only: no line, as on any other day
    if period.days > 1 and len(set(days) - {0, period.days - 1}) > 0:  # the day before, the line as ever
        before = [p for p in history if p.date < period.end]
        then = before[-1].value  # its current value that day: a later one (below 0) would change whether the line may go below 0
        assert kr_forecast(kr, period, period.end - timedelta(days=1), progress, before, current=then).value \
            == kr_forecast(kr, period, period.end - timedelta(days=1), progress, before).value


def test_grow_recurring_revenue_on_the_last_day_of_2026_q4_is_forecast_as_it_stands():
    """The example's "Grow recurring revenue", built as of 2026-12-31: off-track, 36 % done, and
    "forecast 77 % (at-risk)" though the period ends that day. Its forecast is now its progress."""
    from okrsite.build import check_site
    from ..conftest import REPO

    checked = check_site(REPO, as_of=date(2026, 12, 31))
    score = checked.scores.objectives["grow-recurring-revenue"]
    assert score.forecast.progress == pytest.approx(score.progress)
    assert score.forecast.status == "off-track"
    for kr in score.key_results:
        if kr.forecast is not None and kr.forecast.value is not None:
            assert (kr.forecast.value, kr.forecast.progress) == (kr.current, kr.progress)


def test_a_forecast_value_never_goes_below_zero_for_a_key_result_that_never_does():
    """A fitted line can fall below 0 by the period's end ("-1.71 per 10k queries"): for a key result
    whose start, target, check-ins and current are all 0 or more, the value is clamped at 0 (its
    progress is the same either way: 0 is already past a target of 0 or more)."""
    kr = numeric(12.0, 3.0)
    history = (DataPoint(date(2026, 10, 21), 8.0), DataPoint(date(2026, 11, 10), 4.0))
    found = kr_forecast(kr, Q4, AS_OF, 0.9, history, current=4.0)
    unclamped = kr_forecast(kr, Q4, AS_OF, 0.9, history + (DataPoint(date(2026, 11, 20), -0.5),), current=-0.5)
    assert (found.value, found.progress) == (0.0, 1.0)
    assert unclamped.value < 0  # a key result that does go below 0 keeps its line's reading
    rising = kr_forecast(numeric(0, 10), Q4, AS_OF, 0.0, (DataPoint(date(2026, 11, 10), 0.0), DataPoint(date(2026, 11, 20), 0.0),
                                                         DataPoint(date(2026, 10, 5), 3.0)), current=0.0)
    assert rising.value == 0.0 and rising.progress == 0.0


def test_a_forecast_is_read_on_the_day_its_kpi_is_retired_within_the_period():
    """QA EO 6: a KPI retired on a day still ahead in the running quarter stands at its last value from
    that day (check says so): the line is read there, not on the period's last day."""
    kr = numeric(start=0.0, target=200.0, kpi="trial")
    values = on_days(Q4, (10, 30, 50), lambda d: 2.0 * d)  # on the line value = 2 × day
    retired = Q4.start + timedelta(days=80)
    forecast = kr_forecast(kr, Q4, AS_OF, 0.5, (), values, 100.0, retires=retired)
    assert forecast.value == pytest.approx(160.0) and forecast.until == retired
    assert kr_forecast(kr, Q4, AS_OF, 0.5, (), values, 100.0).value == pytest.approx(2.0 * (Q4.days - 1))
    assert kr_forecast(kr, Q4, AS_OF, 0.5, (), values, 100.0, retires=Q4.end + timedelta(days=3)).until is None  # after the period: its end


def test_from_the_day_its_kpi_is_retired_a_forecast_stands_at_its_value_on_that_day():
    """QA: from the KPI's retired day on, the key result stands at the KPI's last value: its forecast is
    that value (its progress now), read on the retired day, as on the period's last day; not the line's
    reading, and not none (SPEC §11: two dated points make a forecast). A KPI retired before the period
    started stands from its first day."""
    kr = numeric(start=0.0, target=200.0, kpi="trial")
    values = on_days(Q4, (10, 30, 50), lambda d: 2.0 * d)
    retired = Q4.start + timedelta(days=50)
    for as_of in (retired, retired + timedelta(days=20), Q4.end):
        assert kr_forecast(kr, Q4, as_of, 0.5, (), values, 100.0, retires=retired) == KRForecast(100.0, 0.5, 4, 3, retired, through=Q4.start + timedelta(days=50))
    assert kr_forecast(kr, Q4, retired - timedelta(days=1), 0.5, (), values, 100.0, retires=retired).value == pytest.approx(100.0)  # the line, on its day
    early = kr_forecast(kr, Q4, AS_OF, 0.5, (), values, 100.0, retires=Q4.start - timedelta(days=3))
    assert (early.value, early.until) == (100.0, Q4.start)


def test_an_objective_forecast_is_reached_on_the_retired_day_only_when_every_line_is_read_on_one():
    """Review of QA EO 6: the objective's forecast of key results that all stand still from their KPIs'
    retired days is reached on the latest of them (its chart's dashed line ends there); one line running
    to the period's end moves it to the end. A key result without a line stands as it is."""
    krs = (numeric(), numeric(), KeyResult("b", 3, "B", "binary", "o"))
    first, last = Q4.start + timedelta(days=60), Q4.start + timedelta(days=70)
    retiring = [KRForecast(50.0, 0.5, 3, 2, until=first), KRForecast(70.0, 0.7, 3, 2, until=last), KRForecast(None, 0.0, 0)]
    assert objective_forecast(krs, [0.4, 0.6, 0.0], retiring, 1.0, SETTINGS).until == last
    running = [retiring[0], KRForecast(70.0, 0.7, 3, 2), None]
    assert objective_forecast(krs, [0.4, 0.6, 0.0], running, 1.0, SETTINGS).until is None
    assert objective_forecast(krs, [0.4, 0.6, 0.0], [None, None, None], 1.0, SETTINGS).until is None  # no line: no trend at all


def test_an_objective_forecast_reached_on_a_retired_day_counts_the_kpis_its_lines_follow():
    """Its chart says whose retired day it is: of one KPI, or the last of several (ObjectiveForecast.retired_kpis)."""
    first, last = Q4.start + timedelta(days=60), Q4.start + timedelta(days=70)
    lines = [KRForecast(50.0, 0.5, 3, 2, until=first), KRForecast(70.0, 0.7, 3, 2, until=last)]
    two = (numeric(kpi="signups"), numeric(kpi="trials"))
    assert objective_forecast(two, [0.4, 0.6], lines, 1.0, SETTINGS).retired_kpis == 2
    assert objective_forecast((numeric(kpi="signups"), numeric(kpi="signups")), [0.4, 0.6], [lines[0]] * 2, 1.0, SETTINGS).retired_kpis == 1
    assert objective_forecast(two, [0.4, 0.6], [lines[0], KRForecast(70.0, 0.7, 3, 2)], 1.0, SETTINGS).retired_kpis == 0  # read on the end

