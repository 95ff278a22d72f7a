import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import assume, example, given, strategies as st

from okrsite.numbers.compute import MAX_RATIO, KPIState, compute, kpi_health, kpi_state, kr_score, status, weighted_progress
from okrsite.numbers.forecast import KRForecast
from okrsite.goals.config import Settings
from okrsite.goals.formats import round_half_up
from okrsite.goals.load import SourceDoc
from okrsite.goals.model import KPI, DataPoint, KeyResult, Objective, Period, Site
from okrsite.goals.periods import parse_period

from ..gitrepo import BI_KPI, GitRepo, REALIGNED_TEAM, hand_set_repo, needs_git, realigned, realigned_repo

AS_OF = date(2026, 11, 23)
Q4 = parse_period("2026-Q4", {})
SETTINGS = Settings()
DOC = SourceDoc("content/kpis/k.md", "kpi", {}, {})
finite = st.floats(-1e9, 1e9, allow_nan=False)
ELAPSED = 54 / 92  # 2026-11-23 in 2026-Q4


def numeric(start, target, current=None, **kw):
    return KeyResult("k", 0, "K", "numeric", "o", start=start, target=target, current=current, **kw)


@given(finite, finite, finite)
def test_numeric_progress_is_clamped_ratio(start, target, current):
    assume(abs(target - start) > 1e-6)
    score = kr_score(numeric(start, target, current), {}, {}, AS_OF)
    raw = (current - start) / (target - start)
    assert score.ratio == pytest.approx(min(max(raw, -MAX_RATIO), MAX_RATIO))  # absurd ratios are shown capped
    assert 0 <= score.progress <= 1
    assert score.progress == min(max(score.ratio, 0), 1)


@given(st.floats(-1e6, 1e6), st.floats(0.01, 1e6), st.floats(0, 1))
def test_decreasing_metric_progress_grows_as_value_falls(start, drop, share):
    target = start - drop
    kr = numeric(start, target, start - share * drop)
    assert kr_score(kr, {}, {}, AS_OF).progress == pytest.approx(share, abs=1e-6)


def test_current_precedence():
    history = (DataPoint(date(2026, 10, 1), 10), DataPoint(date(2026, 11, 1), 20), DataPoint(date(2026, 12, 1), 99))
    kpi = KPIState((), 30.0, date(2026, 11, 20), "healthy", False, 3)
    assert kr_score(numeric(0, 100, 5, history=history, kpi="m"), {"m": kpi}, {}, AS_OF).current == 5
    assert kr_score(numeric(0, 100, None, history=history, kpi="m"), {"m": kpi}, {}, AS_OF).current == 20
    assert kr_score(numeric(0, 100, None, kpi="m"), {"m": kpi}, {}, AS_OF).current == 30
    empty = KPIState((), None, None, "unknown", False, None)
    assert kr_score(numeric(7, 100, None, kpi="m"), {"m": empty}, {}, AS_OF).current == 7


def test_linked_kr_takes_the_kpi_unit_unless_it_has_its_own():
    kpi = KPIState((), 30.0, date(2026, 11, 20), "healthy", False, 3)
    assert kr_score(numeric(0, 100, kpi="m"), {"m": kpi}, {"m": "USD"}, AS_OF).unit == "USD"
    assert kr_score(numeric(0, 100, kpi="m", unit="€"), {"m": kpi}, {"m": "USD"}, AS_OF).unit == "€"


def test_binary_and_manual():
    done = KeyResult("k", 0, "K", "binary", "o", done=True)
    manual = KeyResult("k", 0, "K", "manual", "o", manual_progress=0.35)
    assert (kr_score(done, {}, {}, AS_OF).progress, kr_score(done, {}, {}, AS_OF).ratio) == (1.0, 1.0)
    assert (kr_score(manual, {}, {}, AS_OF).progress, kr_score(manual, {}, {}, AS_OF).ratio) == (0.35, 0.35)


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0.1, 10)), min_size=1, max_size=5))
def test_weighted_progress_is_between_min_and_max(parts):
    krs = tuple(KeyResult("k", i, "K", "manual", "o", manual_progress=p, weight=w) for i, (p, w) in enumerate(parts))
    scores = tuple(kr_score(kr, {}, {}, AS_OF) for kr in krs)
    value = weighted_progress(scores, krs)
    assert min(p for p, _ in parts) - 1e-9 <= value <= max(p for p, _ in parts) + 1e-9


@pytest.mark.parametrize("progress,goal,day,expected", [
    (1.0, 1.0, date(2026, 9, 1), "achieved"),        # achieved wins even before the period
    (0.5, 1.0, date(2026, 9, 1), "not-started"),
    (0.5, 1.0, date(2027, 1, 1), "missed"),
    (0.7, 0.7, date(2027, 1, 1), "achieved"),        # aspirational goal
    (0.697, 0.7, date(2027, 1, 1), "achieved"),      # after the period the grade counts: 0.70
    (0.594, 0.6, date(2027, 1, 1), "missed"),        # graded 0.59
    (0.996, 1.0, date(2026, 12, 31), "achieved"),    # shown 100 %, graded 1.00 tomorrow: achieved today too
    (0.994, 1.0, date(2026, 12, 31), "on-track"),    # shown 99 %
    (0.696, 0.7, AS_OF, "achieved"),                 # aspirational, shown 70 %: "achieved at 70 %"
    (ELAPSED - 0.10, 1.0, AS_OF, "on-track"),         # gap exactly 0.10
    (ELAPSED - 0.11, 1.0, AS_OF, "at-risk"),
    (ELAPSED - 0.25, 1.0, AS_OF, "at-risk"),          # gap exactly 0.25
    (ELAPSED - 0.26, 1.0, AS_OF, "off-track"),
    (0.7 * ELAPSED - 0.10, 0.7, AS_OF, "on-track"),   # aspirational pace is elapsed x 0.7
    (0.7 * ELAPSED - 0.11, 0.7, AS_OF, "at-risk"),
])
def test_status_order(progress, goal, day, expected):
    assert status(progress, goal, Q4, day, SETTINGS) == expected


@given(st.floats(0, 1), st.dates(date(2026, 1, 1), date(2027, 12, 31)), st.sampled_from([1.0, 0.7]))
def test_status_is_always_one_of_the_computed_states(progress, day, goal):
    value = status(progress, goal, Q4, day, SETTINGS)
    assert value in {"achieved", "not-started", "missed", "on-track", "at-risk", "off-track"}
    if progress >= goal:
        assert value == "achieved"


def kpi(direction="up", target=100.0, threshold=80.0, values=(), frequency="monthly"):
    return KPI("k", "K", "o", DOC, direction=direction, target=target, threshold=threshold, values=values, frequency=frequency)


@pytest.mark.parametrize("direction,current,health", [
    ("up", 100, "healthy"), ("up", 90, "warning"), ("up", 80, "warning"), ("up", 79.9, "critical"),
    ("down", 100, "healthy"), ("down", 110, "warning"), ("down", 120, "warning"), ("down", 120.1, "critical"),
])
def test_kpi_health(direction, current, health):
    threshold = 80.0 if direction == "up" else 120.0
    assert kpi_health(kpi(direction, 100.0, threshold), current) == health


def test_kpi_health_without_threshold_or_target():
    assert kpi_health(kpi(threshold=None), 10) == "warning"
    assert kpi_health(kpi(target=None), 10) == "unknown"
    assert kpi_health(kpi(), None) == "unknown"


def test_kpi_state_ignores_values_after_as_of_and_knows_staleness():
    values = (DataPoint(date(2026, 9, 1), 50), DataPoint(date(2026, 9, 22), 60), DataPoint(date(2026, 12, 1), 200))
    state = kpi_state(kpi(values=values), AS_OF)
    assert (state.current, state.current_date, state.age_days) == (60, date(2026, 9, 22), 62)
    assert state.stale is False  # 62 days is exactly twice monthly (31): not more than
    assert kpi_state(kpi(values=values), date(2026, 11, 24)).stale is True
    assert kpi_state(kpi(values=values, frequency="weekly"), AS_OF).stale is True
    assert kpi_state(kpi(values=()), AS_OF).stale is False


# --- A finished period is frozen (SPEC §6) ----------------------------------------------------------

Q3 = parse_period("2026-Q3", {})
days = st.dates(date(2026, 5, 1), date(2027, 6, 30))
series = st.lists(st.tuples(days, st.floats(0, 200)), max_size=8, unique_by=lambda p: p[0])


def points(pairs) -> tuple[DataPoint, ...]:
    return tuple(sorted((DataPoint(d, v) for d, v in pairs), key=lambda p: p.date))


def frozen_site(kpi_values, written, current=None) -> Site:
    """2026-Q3 with a key result following KPI m and one with written history (and maybe `current`)."""
    krs = (numeric(0, 100, kpi="m"), replace(numeric(0, 100, current, history=points(written)), id="k2", index=1))
    o = Objective("o", "O", Q3, "team", DOC, key_results=krs)
    return Site("S", {"o": o}, {"m": kpi(values=points(kpi_values))}, {}, {}, {}, {Q3.id: Q3}, {}, {}, {}, {})


@given(series, series, st.dates(Q3.end, date(2028, 1, 1)))
@example([(date(2026, 5, 1), 1.5)], [(date(2026, 5, 1), 1.5)], date(2026, 10, 1))  # progress 0.015: round() gives 0.01
def test_after_its_end_a_period_scores_as_on_its_last_day(kpi_values, written, as_of):
    site = frozen_site(kpi_values, written)
    final, later = (compute(site, SETTINGS, day).objectives["o"] for day in (Q3.end, as_of))
    assert later.progress == final.progress and [k.current for k in later.key_results] == [k.current for k in final.key_results]
    assert later.key_results[1].history == final.key_results[1].history
    assert later.grade == (round_half_up(final.progress, 2) if as_of > Q3.end else None)  # a half up, as on paper: 0.015 is 0.02


@given(series, st.floats(0, 200), st.dates(date(2026, 10, 1), date(2028, 1, 1)))
def test_a_current_written_in_the_file_counts_after_the_end(written, current, as_of):
    score = compute(frozen_site((), written, current), SETTINGS, as_of).objectives["o"].key_results[1]
    assert score.current == current and all(p.date <= Q3.end for p in score.history)


def test_health_set_by_the_owner_wins_over_the_computed_one_with_its_reasons():
    from okrsite.goals.model import ManualHealth
    values = (DataPoint(date(2026, 11, 1), 99.0),)
    computed = kpi_state(KPI("k", "K", "o", DOC, target=95, values=values), AS_OF)
    manual = kpi_state(KPI("k", "K", "o", DOC, target=95, values=values, health=ManualHealth("critical", ("Data is late",))), AS_OF)
    assert (computed.health, computed.health_source, computed.health_reasons) == ("healthy", "computed", ())
    assert (manual.health, manual.health_source, manual.health_reasons) == ("critical", "manual", ("Data is late",))
    assert manual.current == 99.0  # the numbers themselves are unchanged


def test_a_target_in_words_only_gives_no_computed_health():
    values = (DataPoint(date(2026, 11, 1), 99.0),)
    assert kpi_state(KPI("k", "K", "o", DOC, target=None, target_text="TBD", values=values), AS_OF).health == "unknown"


def test_grade_is_the_self_assessed_score_after_the_period_and_bands_colour_it():
    from okrsite.build import check_site
    from okrsite.numbers.compute import grade_band
    from ..conftest import FIXTURES

    scores = check_site(FIXTURES / "closing").scores.objectives
    grow, launch, dropped, running = scores["grow"], scores["launch"], scores["dropped"], scores["launch-2"]
    assert (grow.grade, grow.computed_grade, grow.score, grow.band) == (0.6, 0.43, 0.6, "yellow")  # 1.7 / 4 = 0.425: 0.43, a half up
    assert (launch.grade, launch.computed_grade, launch.band) == (0.78, 0.78, "green")
    assert dropped.grade is None and dropped.band is None
    assert running.grade is None, "a score counts only once the period is over"
    assert [grade_band(g) for g in (1.0, 0.7, 0.69, 0.4, 0.39, 0.0, None)] == ["green", "green", "yellow", "yellow", "red", "red", None]


def test_a_key_results_score_is_made_with_every_field_compute_knows():
    """compute() builds each key result's final score field by field (replace() costs thrice as much):
    a field added to KRScore must be added there too, in okrsite/numbers/compute.py's _Scoring.whole_kr_score."""
    from dataclasses import fields

    from okrsite.numbers.compute import KRScore

    assert [f.name for f in fields(KRScore)] == [
        "current", "progress", "ratio", "unit", "history", "updated", "updated_by", "stale", "held", "forecast", "withheld", "updated_seq", "added",
        "forecast_unknown", "rescopes", "corrected_late", "awaited", "added_late"]


def _rolled_up_site(tmp_path, statuses, key_result_lines=""):
    """A company objective without key results and one child per status given (None: computed),
    each child with a key result at 40 % (and ``key_result_lines`` more of its fields)."""
    from okrsite.goals.repository import load_site
    from ..conftest import FIXTURES, compose_site, write_files
    root = compose_site(tmp_path / "site", FIXTURES / "base")
    files = {"content/objectives/top.md": "---\ntitle: Top\nperiod: 2026-Q4\nowner: company\n---\n",
             "content/objectives/middle.md": "---\ntitle: Middle\nperiod: 2026-Q4\nowner: company\nparent: top\n---\n"}
    for n, state in enumerate(statuses):
        line = f"status: {state}\n" if state else ""
        files[f"content/objectives/kid-{n}.md"] = (f"---\ntitle: Kid {n}\nperiod: 2026-Q4\nowner: sales\nparent: middle\n{line}"
                                                   f"key_results:\n  - title: K\n    target: 10\n    current: 4\n{key_result_lines}---\n")
    loaded = load_site(write_files(root, files))
    assert not loaded.report.errors
    return compute(loaded.site, loaded.settings, loaded.as_of).objectives


def test_an_objective_whose_aligned_objectives_are_all_cancelled_is_cancelled_too_not_off_track(tmp_path):
    """SPEC §5: a roll-up is the mean of the non-cancelled children; with none left there is nothing
    to measure, and 0 % off-track would be a number nobody earned. It counts as cancelled (computed),
    and so does an objective above it with nothing else to measure."""
    scores = _rolled_up_site(tmp_path, ["cancelled", "cancelled"])
    for ident in ("middle", "top"):
        assert (scores[ident].status, scores[ident].status_source) == ("cancelled", "computed")
        assert scores[ident].forecast is None and scores[ident].grade is None
        assert scores[ident].progress is None, "the mean of no children is unknown, not 0 (QA DH)"


def test_an_objective_cancelled_by_hand_has_no_forecast_nor_do_its_key_results(tmp_path):
    """docs/objectives.md: a cancelled objective has no forecast and no grade; okrs.json, its page and
    the review page all take the forecast from here, so none of them shows one."""
    checked_in = "    history:\n      - {date: 2026-10-05, value: 1}\n      - {date: 2026-11-02, value: 3}\n"
    scores = _rolled_up_site(tmp_path, ["cancelled", None], checked_in)
    assert scores["kid-0"].forecast is None and [k.forecast for k in scores["kid-0"].key_results] == [None]
    assert scores["kid-1"].forecast is not None and scores["kid-1"].key_results[0].forecast is not None
    assert scores["middle"].forecast.progress == scores["kid-1"].forecast.progress


@pytest.mark.parametrize("settled", ["achieved", "missed"])
def test_an_objective_settled_by_hand_while_its_period_runs_has_no_forecast(tmp_path, settled):
    """Its owner says it has landed: a forecast beside "achieved (set by hand)" would contradict it, and
    the dashboard would list it as forecast to fall short. It still counts in its parent's roll-up,
    with its progress (a child without a forecast, SPEC §11)."""
    checked_in = "    history:\n      - {date: 2026-10-05, value: 1}\n      - {date: 2026-11-02, value: 3}\n"
    scores = _rolled_up_site(tmp_path, [settled, None], checked_in)
    assert scores["kid-0"].forecast is None and [k.forecast for k in scores["kid-0"].key_results] == [None]
    assert scores["kid-1"].forecast is not None
    assert scores["middle"].forecast.progress == pytest.approx((scores["kid-0"].progress + scores["kid-1"].forecast.progress) / 2, abs=1e-3)


def test_one_child_left_is_still_rolled_up(tmp_path):
    scores = _rolled_up_site(tmp_path, ["cancelled", None])
    assert scores["middle"].progress == pytest.approx(0.4) and scores["middle"].status == "at-risk"
    assert scores["top"].progress == pytest.approx(0.4) and scores["top"].status_source == "computed"


@pytest.mark.parametrize("kind, progress, score, expected", [
    ("committed", 1.0, 0.9, "missed"),  # the owner graded it below its goal: not "achieved" beside "grade 0.90"
    ("committed", 0.8, 1.0, "achieved"),  # and the other way round
    ("aspirational", 0.5, 0.7, "achieved"),
    ("committed", 1.0, None, "achieved"),  # no score: the computed grade decides
])
def test_after_the_period_a_self_assessed_score_is_the_grade_measured_against_the_goal(kind, progress, score, expected):
    from okrsite.numbers.compute import objective_score
    o = Objective("o", "O", Q3, "team", DOC, kind=kind, score=score, key_results=(numeric(0, 100, progress * 100),))
    krs = (kr_score(o.key_results[0], {}, {}, AS_OF),)
    after = objective_score(o, progress, krs, SETTINGS, AS_OF)
    assert (after.status, after.status_source) == (expected, "computed")
    assert objective_score(o, progress, krs, SETTINGS, Q3.end - (Q3.end - Q3.start) / 2).status == status(progress, SETTINGS.goal(kind), Q3, Q3.end - (Q3.end - Q3.start) / 2, SETTINGS), \
        "while the period runs, a score is kept but not used"


@pytest.mark.parametrize("kind, progress, grade, expected, band", [
    ("committed", 0.625, 0.63, "missed", "yellow"),  # (0.5 + 0.75) / 2: 0.63 by hand; round() gave 0.62
    ("aspirational", 0.695, 0.7, "achieved", "green"),  # 0.695 is 0.69499... in binary: round() gave 0.69, missed
    ("aspirational", 0.6949, 0.69, "missed", "yellow"),
])
def test_the_grade_rounds_a_half_up_as_people_do(kind, progress, grade, expected, band):
    from okrsite.numbers.compute import objective_score
    o = Objective("o", "O", Q3, "team", DOC, kind=kind, key_results=(numeric(0, 100, progress * 100),))
    after = objective_score(o, progress, (kr_score(o.key_results[0], {}, {}, AS_OF),), SETTINGS, AS_OF)
    assert (after.grade, after.status, after.band) == (grade, expected, band)


@given(st.floats(0, 1), st.sampled_from([1.0, 0.7, 0.6]), st.integers(0, 91))
@example(0.996, 1.0, 91)
@example(0.696, 0.7, 40)
@example(0.994, 1.0, 91)
def test_achieved_while_the_period_runs_is_achieved_the_day_after(progress, goal, day):
    """The progress shown (and graded after the period, a half up to two decimals) is the one measured
    against the goal all along: "100 % done" is never on-track one day and "grade 1.00 ✔ achieved" the
    next with no new number."""
    during = status(progress, goal, Q4, Q4.start + timedelta(days=day), SETTINGS) == "achieved"
    after = status(progress, goal, Q4, Q4.end + timedelta(days=1), SETTINGS) == "achieved"
    assert during == after == (round_half_up(progress, 2) >= goal - 1e-9)


# --- A key result with its own history never falls back to its KPI (SPEC §5, §11) ------------------


def linked_site(period, kpi_values, history=(), current=None) -> Site:
    kr = numeric(430000, 500000, current, kpi="m", history=points(history))
    o = Objective("o", "O", period, "team", DOC, key_results=(kr,))
    return Site("S", {"o": o}, {"m": kpi(values=points(kpi_values))}, {}, {}, {}, {period.id: period}, {}, {}, {}, {})


def test_a_linked_kr_whose_history_is_all_after_the_as_of_date_stands_at_its_start():
    """SPEC §5: the KPI's value is used only for a key result without its own `current` or history.
    Q3 has not started on 2026-06-15: its history (July on) is hidden, and the KPI's May value is not
    the key result's: it stands at its start (the example's reach-500k-mrr-kr1 said 438,800)."""
    site = linked_site(Q3, [(date(2026, 5, 31), 438800)], [(date(2026, 7, 31), 455000), (date(2026, 8, 31), 470000)])
    kr = compute(site, SETTINGS, date(2026, 6, 15)).objectives["o"].key_results[0]
    assert (kr.current, kr.progress) == (430000, 0.0)
    assert compute(site, SETTINGS, date(2026, 8, 1)).objectives["o"].key_results[0].current == 455000


def test_a_linked_kr_with_its_own_history_is_not_forecast_from_its_kpi():
    """SPEC §11: the KPI's values are fitted only for a key result without its own check-ins; history
    dated after the as-of date (written, or from git) is still its own, so no line until one is in."""
    site = linked_site(Q4, [(date(2026, 10, 20), 460000), (date(2026, 11, 10), 480000)], [(date(2026, 11, 30), 470000)])
    kr = compute(site, SETTINGS, AS_OF).objectives["o"].key_results[0]
    assert (kr.current, kr.forecast) == (430000, None)
    follows = compute(linked_site(Q4, [(date(2026, 10, 20), 460000), (date(2026, 11, 10), 480000)]), SETTINGS, AS_OF)
    assert follows.objectives["o"].key_results[0].forecast.points == 3  # the start and the KPI's two values


def test_git_check_ins_of_a_linked_kr_are_its_own_check_ins():
    from datetime import datetime

    from okrsite.git.checkins import KRLog, Logs
    from okrsite.git.history import Commit

    commit = Commit("a" * 40, datetime(2026, 11, 2, 9), "Ann", "check-in", seq=1)
    log = KRLog((DataPoint(date(2026, 11, 2), 450000, source="git", commit="aaaaaaa", author="Ann"),), (commit,))
    site = linked_site(Q4, [(date(2026, 10, 20), 460000), (date(2026, 11, 10), 480000)], [(date(2026, 11, 30), 470000)])
    kr = compute(site, SETTINGS, AS_OF, logs=Logs({"o": (log,)}, {})).objectives["o"].key_results[0]
    assert kr.current == 430000  # git check-ins chart the past, never decide the value; nor does the KPI here
    assert (kr.forecast.points, kr.forecast.checkins) == (2, 1)  # the start and the git check-in, not the KPI's values
    written = linked_site(Q4, [(date(2026, 10, 20), 460000), (date(2026, 11, 10), 480000)], current=440000)
    later = KRLog((DataPoint(date(2026, 11, 30), 440000, source="git", commit="aaaaaaa", author="Ann"),), (commit,))
    kr = compute(written, SETTINGS, AS_OF, logs=Logs({"o": (later,)}, {})).objectives["o"].key_results[0]
    assert (kr.current, kr.forecast) == (440000, None)  # its `current:` is its own: the KPI is not fitted


# --- The progress chart's series (the burn-up chart of an objective page) ----------------------------


def test_the_progress_series_starts_on_the_periods_first_day():
    """The line began at the first check-in (2026-10-16, already 10 %) instead of the period's start:
    the series has the objective's progress on the first day, then each check-in, then now."""
    from okrsite.numbers.compute import progress_history

    kr = numeric(0, 100, None, history=points([(date(2026, 10, 16), 10), (date(2026, 11, 2), 40)]))
    o = Objective("o", "O", Q4, "team", DOC, key_results=(kr,))
    site = Site("S", {"o": o}, {}, {}, {}, {}, {Q4.id: Q4}, {}, {}, {}, {})
    scores = compute(site, SETTINGS, AS_OF)
    series = progress_history(o, scores.objectives["o"], scores.kpis, AS_OF)
    assert series == ((Q4.start, 0.0), (date(2026, 10, 16), 0.1), (date(2026, 11, 2), 0.4), (AS_OF, 0.4))
    first = compute(site, SETTINGS, Q4.start)
    assert progress_history(o, first.objectives["o"], first.kpis, Q4.start) == (), "on the first day nothing is recorded yet"


@pytest.mark.parametrize("history", [(), ((date(2026, 9, 20), 4),)], ids=["none", "before the period"])
def test_no_progress_series_until_a_value_is_recorded_in_the_period(history):
    """A key result at 4 of 10 with no check-in in the period drew a chart whose dot said "2026-10-01:
    40 %", beside "no check-in on record": the chart appears once a value is recorded in the period."""
    from okrsite.numbers.compute import progress_history

    o = Objective("o", "O", Q4, "team", DOC, key_results=(numeric(0, 10, 4, history=points(history)),))
    site = Site("S", {"o": o}, {}, {}, {}, {}, {Q4.id: Q4}, {}, {}, {}, {})
    scores = compute(site, SETTINGS, AS_OF)
    assert progress_history(o, scores.objectives["o"], scores.kpis, AS_OF) == ()
    on_the_day = replace(o, key_results=(numeric(0, 10, 4, history=points(history + ((AS_OF, 4),))),))
    scores = compute(replace(site, objectives={"o": on_the_day}), SETTINGS, AS_OF)
    assert progress_history(on_the_day, scores.objectives["o"], scores.kpis, AS_OF)[-1] == (AS_OF, 0.4)


@pytest.mark.parametrize("updated, as_of, stale", [
    (date(2026, 12, 10), date(2027, 1, 1), False),    # planned three weeks ahead: not stale on day 1
    (date(2026, 12, 10), date(2027, 1, 15), False),   # 14 days of the quarter without a check-in
    (date(2026, 12, 10), date(2027, 1, 16), True),    # 15
    (date(2027, 2, 1), date(2027, 2, 15), False),
    (date(2027, 2, 1), date(2027, 2, 16), True),
    (date(2026, 12, 10), date(2027, 4, 2), False),    # the period is over
])
def test_silence_counts_from_the_period_s_start_at_the_earliest(updated, as_of, stale):
    from okrsite.numbers.compute import is_stale
    assert is_stale(updated, parse_period("2027-Q1", {}), as_of, SETTINGS) is stale


@given(st.dates(date(2026, 6, 1), date(2027, 6, 1)), st.integers(0, 120))
def test_nothing_is_stale_in_a_period_s_first_stale_after_days(updated, day):
    from datetime import timedelta
    from okrsite.numbers.compute import is_stale
    period = parse_period("2027-Q1", {})
    as_of = period.start + timedelta(days=day)
    assume(updated <= as_of)
    if day <= SETTINGS.stale_after_days:
        assert not is_stale(updated, period, as_of, SETTINGS)


@pytest.mark.parametrize("as_of", [date(2026, 12, 31), date(2027, 1, 15), date(2027, 3, 1)])
def test_an_objective_aligned_from_a_later_period_does_not_move_a_finished_roll_up(tmp_path, as_of):
    """SPEC §6: a finished period is frozen. A 2027-Q1 objective aligned to a 2026 one (a warning in
    check) neither counts at 0 % before it starts nor moves the 2026 grade when it checks in."""
    from okrsite.goals.repository import load_site
    from ..conftest import FIXTURES, compose_site, write_files
    root = compose_site(tmp_path / "site", FIXTURES / "base")
    kr = "key_results:\n  - {{title: K, target: 10, history: [{{date: {day}, value: {value}}}]}}\n"
    loaded = load_site(write_files(root, {
        "content/objectives/year.md": "---\ntitle: Year\nperiod: 2026\nowner: company\n---\n",
        "content/objectives/q4.md": "---\ntitle: Q4\nperiod: 2026-Q4\nowner: company\nparent: year\n" + kr.format(day="2026-11-01", value=4) + "---\n",
        "content/objectives/next.md": "---\ntitle: Next\nperiod: 2027-Q1\nowner: company\nparent: year\n" + kr.format(day="2027-02-01", value=10) + "---\n",
    }), as_of=as_of)
    scores = compute(loaded.site, loaded.settings, loaded.as_of).objectives
    assert scores["year"].progress == pytest.approx(0.4)
    assert scores["year"].updated == date(2026, 11, 1)


FY_S = Period("FY-S", date(2026, 11, 1), date(2027, 1, 15))


def spanning_site(history, current=None, parent_period=Q4, kid_period=FY_S) -> Site:
    """A roll-up ``parent`` (no key results) with two aligned objectives: ``kid`` (one key result of 0
    to 100 with ``history``) in ``kid_period``, which may run on after the parent's period ends, and
    ``kid2`` in the parent's period at 0 %."""
    kid = Objective("kid", "Kid", kid_period, "team", DOC, parent="parent",
                    key_results=(numeric(0, 100, current, history=points(history)),))
    kid2 = Objective("kid2", "Kid 2", parent_period, "team", DOC, parent="parent", key_results=(numeric(0, 10, 0),))
    parent = Objective("parent", "Parent", parent_period, "team", DOC)
    periods = {p.id: p for p in (parent_period, kid_period)}
    return Site("S", {"parent": parent, "kid": kid, "kid2": kid2}, {}, {}, {}, {}, periods, {"parent": ("kid", "kid2")}, {}, {}, {})


@pytest.mark.parametrize("as_of", [date(2027, 1, 5), date(2027, 1, 20), date(2027, 6, 1)])
def test_a_roll_up_reads_a_child_of_a_longer_period_as_it_stood_on_its_last_day(as_of):
    """SPEC §6: a finished period is frozen. A child in FY-S (Nov 1 - Jan 15) aligned to a Q4 roll-up
    counts as it stood on Dec 31 (50 of 100): its check-in of Jan 10 does not move Q4's grade."""
    site = spanning_site([(date(2026, 11, 10), 20), (date(2026, 12, 1), 50), (date(2027, 1, 10), 90)])
    parent = compute(site, SETTINGS, as_of).objectives["parent"]
    assert (parent.progress, parent.grade, parent.status) == (0.25, 0.25, "missed")
    assert compute(site, SETTINGS, as_of).objectives["kid"].progress == (0.9 if as_of >= date(2027, 1, 10) else 0.5)


@pytest.mark.parametrize("as_of, then", [(date(2026, 12, 15), ()), (Q4.end, ()), (date(2027, 1, 1), ()), (date(2027, 1, 5), (("kid", 0.5),)),
                                         (date(2027, 1, 20), (("kid", 0.5),))])
def test_a_roll_up_says_which_children_it_counts_as_they_stood_on_its_last_day(as_of, then):
    """Its page lists its children as they stand; those it counts otherwise (a child of a longer
    period, once the roll-up's period has ended, and only where that differs from its progress now:
    no check-in yet on January 1) are named with the progress they count at, so the listed children
    add up to its grade."""
    site = spanning_site([(date(2026, 11, 10), 20), (date(2026, 12, 1), 50), (date(2027, 1, 2), 90)])
    assert compute(site, SETTINGS, as_of).objectives["parent"].counted_then == then
    assert compute(site, SETTINGS, as_of).objectives["kid"].counted_then == ()


@pytest.mark.parametrize("as_of, updated", [(date(2026, 12, 15), date(2026, 12, 1)), (date(2027, 1, 5), date(2026, 12, 1)),
                                             (date(2027, 1, 20), date(2026, 12, 1))])
def test_a_finished_roll_up_is_dated_by_its_children_as_they_stood_on_its_last_day(as_of, updated):
    """It counts a child of a longer period as it stood on Dec 31, so its "last update" is the child's
    last check-in by then, not the January one that does not move its grade; the child keeps its own.
    The public view (web/audience.py) dates it the same way."""
    from okrsite.web.audience import public_scores

    site = spanning_site([(date(2026, 11, 10), 20), (date(2026, 12, 1), 50), (date(2027, 1, 2), 90)])
    scores = compute(site, SETTINGS, as_of)
    assert scores.objectives["parent"].updated == updated
    assert scores.objectives["kid"].updated == (date(2027, 1, 2) if as_of > date(2027, 1, 2) else date(2026, 12, 1))
    assert public_scores(site, site, scores).objectives["parent"].updated == updated


def test_a_child_counted_as_it_stood_is_named_only_where_its_figure_then_shows_otherwise():
    """30.001 of 100 on Dec 31 and 30.004 now are both 30 %: the roll-up's page must not say "counted at
    30 %, not as listed below" beside the child listed at 30 %."""
    site = spanning_site([(date(2026, 12, 21), 30.001), (date(2027, 1, 11), 30.004)])
    assert compute(site, SETTINGS, date(2027, 1, 20)).objectives["parent"].counted_then == ()
    site = spanning_site([(date(2026, 12, 21), 30.001), (date(2027, 1, 11), 31)])
    assert compute(site, SETTINGS, date(2027, 1, 20)).objectives["parent"].counted_then == (("kid", pytest.approx(0.30001)),)


def test_a_roll_up_of_a_roll_up_reads_and_dates_its_grandchildren_on_its_own_last_day():
    site = spanning_site([(date(2026, 11, 10), 20), (date(2026, 12, 1), 50), (date(2027, 1, 10), 90)])
    middle = Objective("middle", "Middle", FY_S, "team", DOC)
    kid = replace(site.objectives["kid"], parent="middle")
    site = replace(site, objectives={**site.objectives, "kid": kid, "middle": middle}, children={"parent": ("middle", "kid2"), "middle": ("kid",)})
    later = compute(site, SETTINGS, date(2027, 2, 1)).objectives
    assert (later["parent"].grade, later["middle"].grade) == (0.25, 0.9)
    assert (later["parent"].updated, later["middle"].updated) == (date(2026, 12, 1), date(2027, 1, 10))


def test_a_roll_up_of_a_roll_up_counts_the_middle_one_as_its_own_page_showed_it_that_day():
    """A grandchild planned ahead (January, inside the middle roll-up's period, after the top's end)
    counts at 0 % in the middle one until it starts, on the middle one's own page too; the top counts
    the middle one at that figure while its quarter runs, and keeps it as its grade, named in
    counted_then. Leaving the grandchild out of the top alone would show the middle one at one figure on
    its page and count it at another (docs/objectives.md, A finished period is frozen)."""
    site = spanning_site([(date(2026, 12, 1), 50), (date(2027, 1, 10), 90)])
    january = Period("JAN", date(2027, 1, 2), date(2027, 1, 15))
    middle = Objective("middle", "Middle", FY_S, "team", DOC, parent="parent")
    ahead = Objective("ahead", "Ahead", january, "team", DOC, parent="middle", key_results=(numeric(0, 100, history=points([(date(2027, 1, 10), 80)])),))
    site = replace(site, objectives={**site.objectives, "kid": replace(site.objectives["kid"], parent="middle"), "middle": middle, "ahead": ahead},
                   periods={**site.periods, "JAN": january}, children={"parent": ("middle", "kid2"), "middle": ("kid", "ahead")})
    running = compute(site, SETTINGS, date(2026, 12, 15)).objectives
    assert (running["middle"].progress, running["parent"].progress) == (0.25, 0.125)
    later = compute(site, SETTINGS, date(2027, 2, 1)).objectives
    assert (later["middle"].progress, later["parent"].grade) == (pytest.approx(0.85), 0.13)
    assert later["parent"].counted_then == (("middle", 0.25),)


def test_on_a_roll_ups_last_day_its_forecast_is_its_progress():
    """docs/objectives.md (Forecast): on the period's last day an objective's forecast is its progress;
    a child of a longer period counted with its forecast for ITS end said "25 % done, forecast 50 %"."""
    site = spanning_site([(date(2026, 11, 10), 20), (date(2026, 12, 1), 50), (date(2027, 1, 10), 90)])
    parent = compute(site, SETTINGS, Q4.end).objectives["parent"]
    assert parent.progress == 0.25 and parent.forecast.progress == parent.progress and parent.forecast.status == "off-track"


def test_a_roll_up_reads_a_child_of_a_longer_period_s_forecast_on_its_own_last_day():
    """QA AG: the quarter's forecast took the FY-S child's forecast for January 15, where its line
    reaches 100 %, though the quarter's grade counts it as it stands on December 31. Its check-ins
    (day 0: 0, day 9: 20, day 30: 50 of FY-S, from November 1) fit y = 2.2152 + 1.6245 x (worked by
    hand: mean x 13, mean y 23.333, Sxy 770, Sxx 474), which reads 99.68 on December 31 (day 60)
    and 124 on January 15 (day 75, clamped to 100 %). The quarter: (0.9968 + kid2's 0) / 2."""
    site = spanning_site([(date(2026, 11, 10), 20), (date(2026, 12, 1), 50)])
    running = compute(site, SETTINGS, date(2026, 12, 15)).objectives
    assert running["kid"].forecast.progress == 1.0
    assert running["parent"].forecast.progress == pytest.approx((2.215189873 + 1.624472574 * 60) / 100 / 2)
    assert running["parent"].forecast.progress < (running["kid"].forecast.progress + 0) / 2


def test_a_written_current_of_a_child_still_counts_after_the_parents_end():
    """The freezing rule of key results: a `current:` counts whatever its date (a final value measured
    late), as it does for a key result of the parent's own period."""
    site = spanning_site([(date(2026, 11, 10), 20), (date(2027, 1, 10), 90)], current=60)
    assert compute(site, SETTINGS, date(2027, 2, 1)).objectives["parent"].progress == pytest.approx(0.3)


def test_a_childs_current_changed_in_git_after_the_parents_end_does_not_move_its_grade():
    """The usual check-in edits `current:` and commits it: with the commits read, the value the child
    had on the parent's last day counts (50), not the one committed on January 10 (90)."""
    from okrsite.git.checkins import KRLog, Logs

    site = spanning_site([], current=90)
    log = KRLog(points=(DataPoint(date(2026, 11, 10), 20, source="git"), DataPoint(date(2026, 12, 1), 50, source="git"),
                        DataPoint(date(2027, 1, 10), 90, source="git")), changes=())
    logs = Logs(objectives={"kid": (log,)}, kpis={})
    later = compute(site, SETTINGS, date(2027, 1, 20), logs=logs).objectives
    assert (later["parent"].grade, later["kid"].progress) == (0.25, 0.9)
    unlogged = compute(site, SETTINGS, date(2027, 1, 20)).objectives["parent"]
    assert unlogged.grade == 0.45  # without git nothing dates the current: it counts, as written


Q3 = parse_period("2026-Q3", {})
YEAR = parse_period("2026", {})


def late_child_site(kid_period=YEAR) -> Site:
    """QA EC 1: a Q3 roll-up ``grow`` of ``ship`` (Q3, at 80 %) and ``annual`` (``kid_period``, at 50 % now)."""
    ship = Objective("ship", "Ship", Q3, "team", DOC, parent="grow", key_results=(numeric(0, 10, 8),))
    annual = Objective("annual", "Annual", kid_period, "team", DOC, parent="grow", key_results=(numeric(0, 10, 5),))
    grow = Objective("grow", "Grow", Q3, "team", DOC)
    periods = {p.id: p for p in (Q3, kid_period)}
    return Site("S", {"grow": grow, "ship": ship, "annual": annual}, {}, {}, {}, {}, periods, {"grow": ("ship", "annual")}, {}, {}, {})


def added_on(**days) -> "Logs":
    """Logs of objectives git held from each day on (a tuple of days: held from the first to the second)."""
    from okrsite.git.checkins import Held, Logs
    return Logs({}, {}, added={ident: Held((day if isinstance(day, tuple) else (day, None),)) for ident, day in days.items()})


@pytest.mark.parametrize("added, progress, late", [
    ({"grow": date(2026, 9, 20), "ship": date(2026, 9, 20), "annual": date(2026, 11, 19)}, 0.8, ("annual",)),  # aligned after Q3 ended
    ({"grow": date(2026, 9, 20), "ship": date(2026, 9, 20)}, 0.8, ("annual",)),  # not committed yet (the live preview)
    ({"grow": date(2026, 9, 20), "ship": date(2026, 9, 20), "annual": date(2026, 9, 30)}, 0.65, ()),  # there on Q3's last day
    ({"grow": date(2026, 11, 19), "ship": date(2026, 11, 19), "annual": date(2026, 11, 19)}, 0.65, ()),  # the quarter written down afterwards
    ({"grow": date.min, "ship": date.min, "annual": date(2026, 11, 19)}, 0.8, ("annual",)),  # held by a shallow clone's oldest commit
    (None, 0.65, ()),  # without git history nothing dates a file
    ({"grow": date(2026, 7, 1), "ship": date(2026, 7, 1), "annual": (date(2026, 7, 1), date(2026, 8, 1))}, 0.8, ("annual",)),  # deleted in Q3 (QA EO 1)
    ({"grow": date(2026, 7, 1), "ship": date(2026, 7, 1), "annual": (date(2026, 7, 1), date(2026, 10, 1))}, 0.65, ()),  # held on Sep 30, deleted after
])
def test_a_finished_roll_up_leaves_out_an_objective_git_added_after_its_period_ended(added, progress, late):
    """SPEC §6, QA EC 1: an annual objective aligned on Nov 19 to a Q3 roll-up that ended on Sep 30
    moved its grade from 0.80 to 0.40, counting it at 0 % "as it stood" on a day it did not exist. Left
    out, and named (``added_late``) for its page to say so; counted where git held it on that day, or
    did not hold the roll-up either."""
    logs = added_on(**added) if added is not None else None
    grow = compute(late_child_site(), SETTINGS, date(2026, 11, 20), logs=logs).objectives["grow"]
    assert (grow.progress, grow.grade, grow.added_late) == (progress, progress, late)


def test_a_roll_up_is_left_as_it_was_while_its_period_runs_and_its_parent_then_counts_it_as_it_stood():
    """Added while the roll-up's period runs, a child counts. Of a middle roll-up of a longer period, a
    grandchild added after the top's period ended counts in the middle one now, but not in the middle
    one as the top reads it on its own last day."""
    running = compute(late_child_site(), SETTINGS, date(2026, 9, 25), logs=added_on(grow=date(2026, 7, 1), ship=date(2026, 7, 1))).objectives["grow"]
    assert (running.progress, running.added_late) == (0.65, ())
    site = late_child_site()
    middle = Objective("middle", "Middle", YEAR, "team", DOC, parent="grow")
    old = Objective("old", "Old", YEAR, "team", DOC, parent="middle", key_results=(numeric(0, 10, 2),))
    annual = replace(site.objectives["annual"], parent="middle")
    site = replace(site, objectives={**site.objectives, "middle": middle, "old": old, "annual": annual},
                   children={"grow": ("ship", "middle"), "middle": ("old", "annual")})
    day = date(2026, 7, 1)
    scores = compute(site, SETTINGS, date(2026, 11, 20), logs=added_on(grow=day, ship=day, middle=day, old=day, annual=date(2026, 11, 19))).objectives
    assert (scores["middle"].progress, scores["middle"].added_late) == (0.35, ())
    assert (scores["grow"].grade, scores["grow"].added_late, scores["grow"].counted_then) == (0.5, (), (("middle", 0.2),))


def corrected_late_logs(day: date) -> "Logs":
    """Logs in which a commit of ``day`` wrote anew the KPI ``deals``' value of 2026-09-30."""
    from okrsite.git.checkins import KPILog, Logs
    from okrsite.git.history import Commit
    fix = Commit("f" * 40, datetime(day.year, day.month, day.day, 9), "Ann", "Deals of September corrected", seq=2)
    return Logs({}, {"deals": KPILog((fix,), {}, corrected={date(2026, 9, 30): fix})})


@pytest.mark.parametrize("kid_period, middle, fixed, said", [
    (YEAR, False, date(2026, 11, 18), True),  # the annual child runs on: no page of its says it
    (YEAR, True, date(2026, 11, 18), True),  # below a yearly roll-up aligned to the quarter's, counted as it stood in turn
    (parse_period("2026-H2", {}), False, date(2026, 11, 18), True),
    (Q3, False, date(2026, 11, 18), False),  # the child's own key result says it (corrected_late)
    (YEAR, False, date(2026, 9, 30), False),  # corrected while the quarter ran: no late correction
])
def test_a_finished_roll_up_says_a_late_correction_of_a_child_it_counts_as_it_stood_on_its_last_day(kid_period, middle, fixed, said):
    """A Q3 roll-up counts an annual child following a KPI as it stood on September 30: September's
    value rewritten 5 → 8 on November 18 moved its grade 0.65 → 0.80, and nothing said why (the
    annual objective runs on, so its key result has no late correction of its own). The roll-up
    names it (counted_corrected), through a roll-up of a longer period aligned to it too."""
    from okrsite.numbers.compute import CorrectedChild
    site = late_child_site(kid_period)
    annual = replace(site.objectives["annual"], key_results=(numeric(0, 10, kpi="deals"),), parent="middle" if middle else "grow")
    deals = replace(kpi(values=points([(date(2026, 9, 30), 8), (date(2026, 10, 31), 9)])), id="deals")
    objectives, children = {**site.objectives, "annual": annual}, {"grow": ("ship", "annual")}
    if middle:
        objectives["middle"] = Objective("middle", "Middle", YEAR, "team", DOC, parent="grow")
        children = {"grow": ("ship", "middle"), "middle": ("annual",)}
    site = replace(site, objectives=objectives, kpis={"deals": deals}, children=children, periods={**site.periods, kid_period.id: kid_period})
    grow = compute(site, SETTINGS, date(2026, 11, 20), logs=corrected_late_logs(fixed)).objectives["grow"]
    assert grow.grade == 0.8
    assert grow.counted_corrected == ((CorrectedChild(annual, annual.key_results[0], (date(2026, 9, 30), fixed)),) if said else ())


def test_an_objective_that_ended_before_a_roll_up_started_is_left_out_of_it():
    """QA EC 2: a finished 2026-Q4 objective at 100 % aligned to a 2027-Q1 roll-up beside a Q1 one at 0 %
    made the roll-up "50 % done, on-track" on Jan 6 and graded it 0.50 with no Q1 work done; the mirror
    of one starting after the roll-up ends, which was already left out."""
    q1 = parse_period("2027-Q1", {})
    grow = Objective("grow", "Grow", q1, "team", DOC)
    done = Objective("done", "Done", Q4, "team", DOC, parent="grow", key_results=(numeric(0, 10, 10),))
    work = Objective("work", "Work", q1, "team", DOC, parent="grow", key_results=(numeric(0, 10, 0),))
    site = Site("S", {"grow": grow, "done": done, "work": work}, {}, {}, {}, {}, {"2026-Q4": Q4, "2027-Q1": q1}, {"grow": ("done", "work")}, {}, {}, {})
    assert compute(site, SETTINGS, date(2027, 1, 6)).objectives["grow"].progress == 0.0
    assert compute(site, SETTINGS, date(2027, 4, 6)).objectives["grow"].grade == 0.0


@given(st.lists(st.tuples(st.dates(date(2026, 11, 1), date(2027, 1, 15)), st.floats(0, 100)), max_size=5),
       st.dates(date(2027, 1, 1), date(2027, 12, 31)), st.dates(date(2027, 1, 1), date(2027, 12, 31)))
def test_a_finished_roll_up_s_grade_is_the_same_at_any_later_as_of_date(history, day, later):
    """SPEC §6: a grade does not move when next quarter's numbers arrive."""
    site = spanning_site(sorted(history, key=lambda p: p[0]))
    first, second = (compute(site, SETTINGS, d).objectives["parent"] for d in (day, later))
    assert (first.progress, first.grade, first.status) == (second.progress, second.grade, second.status)


def test_the_current_period_counts_no_objective_cancelled_by_hand(tmp_path):
    """SPEC §6: the running period with the most objectives, a tie going to the shorter one. A quarter
    of one live and one cancelled objective ties a month of one: the month is current; one more live
    objective in the quarter makes the quarter current."""
    from okrsite.goals.repository import load_site
    from okrsite.numbers.compute import current_period
    from ..conftest import write_files

    def objective(period, extra=""):
        return f"---\ntitle: T\nperiod: {period}\nowner: co\n{extra}key_results: [{{title: a, target: 2, current: 1}}]\n---\n"

    files = {"okrsite.toml": "git_history = false\nas_of = 2026-11-15\n", "content/teams/co.md": "---\ntitle: Co\n---\n",
             "content/objectives/q-live.md": objective("2026-Q4"), "content/objectives/q-gone.md": objective("2026-Q4", "status: cancelled\n"),
             "content/objectives/m-live.md": objective("2026-11")}
    loaded = load_site(write_files(tmp_path, files))
    assert not loaded.report.errors and current_period(loaded.site, loaded.settings, loaded.as_of).id == "2026-11"
    loaded = load_site(write_files(tmp_path, {"content/objectives/q-more.md": objective("2026-Q4")}))
    assert current_period(loaded.site, loaded.settings, loaded.as_of).id == "2026-Q4"


@pytest.mark.parametrize("by_hand", [None, "achieved"])
def test_the_current_period_counts_no_roll_up_left_with_nothing_to_measure(tmp_path, by_hand):
    """A roll-up whose aligned objectives are all cancelled is cancelled too, as computed, and the
    dashboard counts it so ("1 objective and 1 cancelled"); the choice of the current period must not
    count it as live, or a quarter of it and one live objective beats a month of one. A status written
    by hand wins over the computed one: then it counts. The dashboard's view passes its scores."""
    from okrsite.goals.repository import load_site
    from okrsite.numbers.compute import current_period
    from okrsite.web.render import View
    from ..conftest import write_files

    def objective(period, extra="", krs="key_results: [{title: a, target: 2, current: 1}]\n"):
        return f"---\ntitle: T\nperiod: {period}\nowner: co\n{extra}{krs}---\n"

    files = {"okrsite.toml": "git_history = false\nas_of = 2026-11-15\n", "content/teams/co.md": "---\ntitle: Co\n---\n",
             "content/objectives/q-live.md": objective("2026-Q4"),
             "content/objectives/q-top.md": objective("2026-Q4", f"status: {by_hand}\n" if by_hand else "", krs=""),
             "content/objectives/q-gone.md": objective("2026-Q4", "parent: q-top\nstatus: cancelled\n"),
             "content/objectives/m-live.md": objective("2026-11")}
    loaded = load_site(write_files(tmp_path, files))
    assert not loaded.report.errors, loaded.report.errors
    scores = compute(loaded.site, loaded.settings, loaded.as_of)
    expected = "2026-Q4" if by_hand else "2026-11"
    assert current_period(loaded.site, loaded.settings, loaded.as_of, scores.objectives).id == expected
    assert View(loaded.site, scores, loaded.settings).current_period.id == expected


def test_the_current_period_reads_an_objective_the_scores_do_not_hold_as_written(tmp_path):
    from okrsite.goals.repository import load_site
    from okrsite.numbers.compute import current_period
    from ..conftest import write_files

    files = {"okrsite.toml": "git_history = false\nas_of = 2026-11-15\n", "content/teams/co.md": "---\ntitle: Co\n---\n",
             "content/objectives/m-live.md": "---\ntitle: T\nperiod: 2026-11\nowner: co\nkey_results: [{title: a, target: 2}]\n---\n"}
    loaded = load_site(write_files(tmp_path, files))
    assert current_period(loaded.site, loaded.settings, loaded.as_of, {}).id == "2026-11"


@pytest.mark.parametrize("names", [("a.md", "b.md"), ("b.md", "a.md")])
def test_of_two_running_periods_as_full_and_as_long_the_later_start_is_current(tmp_path, names):
    """A quarter and a fiscal quarter of 92 days each, one objective each: the one that started later
    is current, whatever the files are called (docs/objectives.md, Periods)."""
    from okrsite.goals.repository import load_site
    from okrsite.numbers.compute import current_period
    from ..conftest import write_files

    def objective(period):
        return f"---\ntitle: T\nperiod: {period}\nowner: co\nkey_results: [{{title: a, target: 2, current: 1}}]\n---\n"

    settings = "git_history = false\nas_of = 2026-12-05\n[periods.FY27-Q1]\nstart = 2026-11-01\nend = 2027-01-31\n"
    files = {"okrsite.toml": settings, "content/teams/co.md": "---\ntitle: Co\n---\n",
             f"content/objectives/{names[0]}": objective("2026-Q4"), f"content/objectives/{names[1]}": objective("FY27-Q1")}
    loaded = load_site(write_files(tmp_path, files))
    assert not loaded.report.errors and current_period(loaded.site, loaded.settings, loaded.as_of).id == "FY27-Q1"


def test_of_periods_that_ended_the_same_day_the_fullest_is_current_when_none_is_running(tmp_path):
    """QA BU: between fiscal years, FY27 (2 objectives), FY27-Q4 (2) and the month 2027-01 (1) all ended
    on 2027-01-31; the home page showed the month of one objective. The fullest is current, a tie
    going to the shorter one, as for running periods (docs/objectives.md, Periods)."""
    from okrsite.goals.repository import load_site
    from okrsite.numbers.compute import current_period
    from ..conftest import write_files

    def objective(period):
        return f"---\ntitle: T\nperiod: {period}\nowner: co\nkey_results: [{{title: a, target: 2, current: 1}}]\n---\n"

    settings = ("git_history = false\nas_of = 2027-02-01\n[periods.FY27]\nstart = 2026-02-01\nend = 2027-01-31\n"
                "[periods.FY27-Q4]\nstart = 2026-11-01\nend = 2027-01-31\n")
    files = {"okrsite.toml": settings, "content/teams/co.md": "---\ntitle: Co\n---\n", "content/objectives/m.md": objective("2027-01"),
             **{f"content/objectives/{name}.md": objective(period) for name, period in
                (("y1", "FY27"), ("y2", "FY27"), ("q1", "FY27-Q4"), ("q2", "FY27-Q4"), ("old", "2026-Q3"))}}
    loaded = load_site(write_files(tmp_path, files))
    assert not loaded.report.errors and current_period(loaded.site, loaded.settings, loaded.as_of).id == "FY27-Q4"
    loaded = load_site(write_files(tmp_path, {"content/objectives/y3.md": objective("FY27")}))
    assert current_period(loaded.site, loaded.settings, loaded.as_of).id == "FY27"


def test_a_kpi_at_a_finished_period_s_end_is_judged_by_its_definition_committed_by_then():
    """SPEC §6: the target raised after the period does not re-rate it; the last commit dated by its end
    decides (in the history's order, as for okrsite.toml's grading settings); without a readable one,
    the KPI as it is now."""
    from datetime import datetime

    from okrsite.git.checkins import KPILog
    from okrsite.git.history import Commit
    from okrsite.goals.model import ManualHealth
    from okrsite.goals.parse import kpi_definition
    from okrsite.numbers.compute import kpi_at_end

    q3 = Q3
    now = kpi("down", target=2.0, threshold=3.5, values=(DataPoint(date(2026, 9, 30), 3.7),))
    state = kpi_state(now, AS_OF)
    assert state.health == "critical"

    def commit(n: int, day: date) -> Commit:
        return Commit(f"{n:040x}", datetime(day.year, day.month, day.day, 9), "Ann", "goals", seq=n)

    plan = kpi_definition({"direction": "down", "target": 3, "threshold": 5}, DOC.path)
    set_by_hand = kpi_definition({"direction": "down", "target": 3, "health": "okay"}, DOC.path)
    raised = kpi_definition({"direction": "down", "target": 2, "threshold": 3.5}, DOC.path)
    log = KPILog((), {}, definitions=((commit(1, date(2026, 7, 1)), plan), (commit(2, date(2026, 10, 5)), raised)))
    then, at_end = kpi_at_end(now, state, q3, AS_OF, log)
    assert (then.target, then.threshold, at_end.health, at_end.health_source) == (3.0, 5.0, "warning", "computed")
    assert kpi_at_end(now, state, q3, AS_OF)[1].health == "critical"  # without git: as it is now
    unread = KPILog((), {}, definitions=((commit(1, date(2026, 7, 1)), None),))
    assert kpi_at_end(now, state, q3, AS_OF, unread)[0] is now
    by_hand = KPILog((), {}, definitions=((commit(1, date(2026, 7, 1)), set_by_hand), (commit(2, date(2026, 9, 30)), raised),
                                          (commit(3, date(2026, 9, 1)), set_by_hand)))  # dated back, landed last
    then, at_end = kpi_at_end(now, state, q3, AS_OF, by_hand)
    assert (then.health, at_end.health, at_end.health_source) == (ManualHealth("healthy"), "healthy", "manual")
    assert kpi_at_end(replace(now, health=ManualHealth("critical")), state, q3, AS_OF, log)[1].health_source == "computed"


@pytest.mark.parametrize("frequency,latest,stale,age", [
    ("weekly", date(2026, 9, 15), True, 15),  # on 30 September: more than twice a week old
    ("weekly", date(2026, 9, 16), False, 14),
    ("daily", date(2026, 9, 27), True, 3),
    ("monthly", date(2026, 9, 1), False, 29),
])
def test_a_kpi_at_a_finished_period_s_end_is_stale_as_it_was_on_that_day(frequency, latest, stale, age):
    """QA CW: a review showed a weekly KPI whose latest value was weeks old on the quarter's last day as
    healthy, with no stale mark (staleness was dropped at the period's end); it is judged on that day,
    not today (the same value is long stale on the as-of date)."""
    from okrsite.numbers.compute import kpi_at_end

    k = kpi(values=(DataPoint(date(2026, 7, 1), 90.0), DataPoint(latest, 100.0)), frequency=frequency)
    state = kpi_state(k, AS_OF)
    assert state.stale
    then = kpi_at_end(k, state, Q3, AS_OF)[1]
    assert (then.stale, then.age_days, then.health) == (stale, age, "healthy")


def test_the_progress_series_measures_each_day_against_the_target_in_force_that_day():
    """QA DD: a key result re-scoped on 2026-11-15 from 2,000 to 1,500: its check-in of 11-08 (900) was
    45 % then, and a build after the close showed 60 %. Each day before the re-scope keeps the numbers
    it was measured against; the last point and the grade are measured against the numbers as they are.
    Where the history dates no re-scope, every day is measured as now."""
    from okrsite.git.checkins import KRLog, Logs, Rescope
    from okrsite.numbers.compute import progress_history

    kr = numeric(0, 1500, 1520)
    o = Objective("o", "O", Q4, "team", DOC, key_results=(kr,))
    site = Site("S", {"o": o}, {}, {}, {}, {}, {Q4.id: Q4}, {}, {}, {}, {})
    checked = (DataPoint(date(2026, 11, 8), 900.0, source="git"), DataPoint(date(2026, 12, 20), 1520.0, source="git"))
    rescope = Rescope(date(2026, 11, 15), 0.0, 2000.0, 0.0, 1500.0, "abc1234", "Ann")
    planned = Rescope(Q4.start, 0.0, 3000.0, 0.0, 2000.0, "abc1233", "Ann")
    logs = Logs({"o": (KRLog(checked, (), rescopes=(planned, rescope)),)}, {})
    after = date(2027, 1, 15)
    scores = compute(site, SETTINGS, after, logs=logs)
    assert scores.objectives["o"].key_results[0].rescopes == (rescope,), "a change on the first day is its plan"
    assert progress_history(o, scores.objectives["o"], scores.kpis, after) == (
        (Q4.start, 0.0), (date(2026, 11, 8), 0.45), (date(2026, 11, 15), 0.6), (date(2026, 12, 20), 1.0), (Q4.end, 1.0)), \
        "QA DP: the re-scope's day is a point, as its progress changed then"
    assert scores.objectives["o"].computed_grade == 1.0
    before = compute(site, SETTINGS, date(2026, 11, 10), logs=logs)
    assert before.objectives["o"].key_results[0].rescopes == (), "a commit after the as-of date is not seen yet"
    plain = compute(site, SETTINGS, after, logs=Logs({"o": (KRLog(checked, ()),)}, {}))
    assert progress_history(o, plain.objectives["o"], plain.kpis, after)[1] == (date(2026, 11, 8), 0.6)


def test_a_target_changed_before_the_first_check_in_of_the_period_is_the_plan():
    """QA DQ: carried over on 04-02 and its target raised as the quarter was planned (04-03), before
    anything was measured against it: the review said "re-scoped on 2026-04-03" for ever. A change
    after a check-in of the period is a re-scope."""
    from okrsite.git.checkins import KRLog, Logs, Rescope

    kr = numeric(40, 150, 120)
    o = Objective("o", "O", Q4, "team", DOC, key_results=(kr,))
    site = Site("S", {"o": o}, {}, {}, {}, {}, {Q4.id: Q4}, {}, {}, {}, {})
    planned = Rescope(date(2026, 10, 3), 40.0, 100.0, 40.0, 150.0, "abc1233", "Ann")
    late = Rescope(date(2026, 11, 20), 40.0, 150.0, 40.0, 140.0, "abc1234", "Ann")
    checked = (DataPoint(date(2026, 9, 30), 40.0, source="git"), DataPoint(date(2026, 11, 10), 90.0, source="git"))
    scores = compute(site, SETTINGS, date(2027, 1, 5), logs=Logs({"o": (KRLog(checked, (), rescopes=(planned, late)),)}, {}))
    assert scores.objectives["o"].key_results[0].rescopes == (late,), "a check-in of the last quarter measures nothing of this one"
    unmeasured = compute(site, SETTINGS, date(2027, 1, 5), logs=Logs({"o": (KRLog(checked[:1], (), rescopes=(planned, late)),)}, {}))
    assert unmeasured.objectives["o"].key_results[0].rescopes == ()


def test_the_plan_ends_when_anything_was_measured_against_the_numbers():
    """QA DT: a change is the plan only until something was measured against the numbers: the period's
    first day when a value other than the start was in force then (a `current:` committed before the
    quarter, a KPI's value), else the first check-in in the period, in commit order on its day. A
    change after the period ended is always a re-scope: a target cut after the close doubled a grade
    (0.30 → 0.60) and nothing said so."""
    from okrsite.git.checkins import KRLog, Logs, Rescope
    from okrsite.git.history import Commit
    from okrsite.numbers.compute import progress_history

    def rescopes(kr, log, as_of=date(2027, 1, 15), kpis=None):
        o = Objective("o", "O", Q4, "team", DOC, key_results=(kr,))
        site = Site("S", {"o": o}, kpis or {}, {}, {}, {}, {Q4.id: Q4}, {}, {}, {}, {})
        scores = compute(site, SETTINGS, as_of, logs=Logs({"o": (log,)}, {}))
        return scores.objectives["o"].key_results[0].rescopes, progress_history(o, scores.objectives["o"], scores.kpis, as_of)

    written = (DataPoint(date(2026, 9, 25), 30.0, source="git", added=True),)
    after_close = Rescope(date(2027, 1, 5), 0.0, 100.0, 0.0, 50.0, "abc1234", "Ann")
    assert rescopes(numeric(0, 50, 30), KRLog(written, (), rescopes=(after_close,)))[0] == (after_close,)
    assert rescopes(numeric(0, 50), KRLog((), (), rescopes=(after_close,)))[0] == (after_close,), "nothing measured, still after the close"
    cut = Rescope(date(2026, 10, 20), 0.0, 100.0, 0.0, 50.0, "abc1235", "Ann")
    said, days = rescopes(numeric(0, 50, 35), KRLog(written + (DataPoint(date(2026, 11, 10), 35.0, source="git"),), (), rescopes=(cut,)))
    assert said == (cut,) and days[:2] == ((Q4.start, 0.3), (date(2026, 10, 20), 0.6)), "the site showed 30 % for 19 days"
    followed = KPI("mrr", "MRR", "o", DOC, target=1000.0, values=(DataPoint(date(2026, 9, 30), 400.0), DataPoint(date(2026, 10, 31), 450.0)))
    kpi_cut = Rescope(date(2026, 10, 20), 100.0, 1000.0, 100.0, 700.0, "abc1236", "Ann")
    assert rescopes(numeric(100, 700, kpi="mrr"), KRLog((), (), rescopes=(kpi_cut,)), kpis={"mrr": followed})[0] == (kpi_cut,)
    morning = Commit("a" * 40, datetime(2026, 11, 20, 9, tzinfo=timezone.utc), "Ann", "check-in", seq=3)
    later_that_day = Rescope(date(2026, 11, 20), 0.0, 100.0, 0.0, 50.0, "b" * 7, "Ann", seq=4)
    checked = (DataPoint(date(2026, 11, 20), 40.0, source="git", commit=morning.short),)
    assert rescopes(numeric(0, 50, 40), KRLog(checked, (morning,), rescopes=(later_that_day,)))[0] == (later_that_day,)
    together = replace(later_that_day, seq=3)
    assert rescopes(numeric(0, 50, 40), KRLog(checked, (morning,), rescopes=(together,)))[0] == (), "committed with its first check-in"


def test_a_start_set_to_the_value_in_force_on_the_first_day_before_the_first_check_in_is_the_plan():
    """QA FJ: carried over at 100, its KPI's value of the last quarter's end written later (400, dated
    09-30), and the start set to it on 10-20, as `okrsite check` asks: it was said a re-scope (400 was
    in force on the period's first day), and the first day measured against the old start (30 %). Set
    before the first value of the period (10-31), that start is the plan, and every day follows it;
    after it, or set to another number, it is a re-scope."""
    from okrsite.git.checkins import KRLog, Logs, Rescope
    from okrsite.numbers.compute import progress_history

    followed = KPI("mrr", "MRR", "o", DOC, target=1100.0, values=(DataPoint(date(2026, 9, 30), 400.0), DataPoint(date(2026, 10, 31), 450.0)))

    def rescopes(kr, *changes):
        o = Objective("o", "O", Q4, "team", DOC, key_results=(kr,))
        site = Site("S", {"o": o}, {"mrr": followed}, {}, {}, {}, {Q4.id: Q4}, {}, {}, {}, {})
        scores = compute(site, SETTINGS, date(2026, 11, 15), logs=Logs({"o": (KRLog((), (), rescopes=changes),)}, {}))
        return scores.objectives["o"].key_results[0].rescopes, progress_history(o, scores.objectives["o"], scores.kpis, date(2026, 11, 15))

    as_asked = Rescope(date(2026, 10, 20), 100.0, 1100.0, 400.0, 1100.0, "abc1234", "Ann")
    said, days = rescopes(numeric(400, 1100, kpi="mrr"), as_asked)
    assert said == () and days[0] == (Q4.start, 0.0)
    with_target = replace(as_asked, target=1400.0)
    assert rescopes(numeric(400, 1400, kpi="mrr"), with_target)[0] == (), "the start and target planned together"
    late = replace(as_asked, day=date(2026, 11, 3))
    said, days = rescopes(numeric(400, 1100, kpi="mrr"), late)
    assert said == (late,) and days[0] == (Q4.start, 0.3)
    elsewhere = replace(as_asked, start=350.0)
    assert rescopes(numeric(350, 1100, kpi="mrr"), elsewhere)[0] == (elsewhere,)


def test_a_retired_kpi_is_never_stale_from_its_retired_day_and_as_before_until_then():
    """QA EE: a KPI no longer measured stayed stale forever, so `check --fail-on-stale` could never pass
    again. From its `retired:` day it is not stale (and says so); before that day nothing changes."""
    k = replace(kpi(values=(DataPoint(date(2026, 1, 31), 10.0), DataPoint(date(2026, 3, 31), 11.8))), retired=date(2026, 9, 1))
    before, on, after = (kpi_state(k, day) for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 12, 6)))
    assert (before.stale, before.retired) == (True, None)
    assert before == kpi_state(replace(k, retired=None), date(2026, 8, 31))
    assert (on.stale, on.retired, on.age_days) == (False, date(2026, 9, 1), 154)
    assert (after.stale, after.retired, after.health) == (False, date(2026, 9, 1), "critical")  # its last value's health stays


def test_a_retired_kpi_at_a_finished_period_s_end_is_as_it_stood_then():
    """A review of a period that ended before the KPI was retired shows it as it was (stale, not
    retired); one that ended on or after that day, retired."""
    from okrsite.numbers.compute import kpi_at_end

    def at_end(retired):
        k = replace(kpi(values=(DataPoint(date(2026, 3, 31), 11.8),), frequency="weekly"), retired=retired)
        return kpi_at_end(k, kpi_state(k, AS_OF), Q3, AS_OF)[1]

    later, never = at_end(date(2026, 10, 5)), at_end(None)
    assert later == never and (later.stale, later.retired) == (True, None)
    assert (at_end(date(2026, 9, 30)).stale, at_end(date(2026, 9, 30)).retired) == (False, date(2026, 9, 30))


def test_a_key_result_that_follows_a_retired_kpi_stays_stale_while_its_period_runs():
    """No value of a retired KPI is to come: a key result still following it is late, as it was."""
    trial = replace(kpi(values=(DataPoint(date(2026, 3, 31), 11.8),)), id="trial", retired=date(2026, 4, 3))
    o = Objective("o", "O", Q4, "team", DOC, key_results=(numeric(10, 13, kpi="trial"),))
    site = Site("S", {"o": o}, {"trial": trial}, {}, {}, {}, {Q4.id: Q4}, {}, {}, {}, {})
    scores = compute(site, SETTINGS, AS_OF)
    assert not scores.kpis["trial"].stale and scores.objectives["o"].key_results[0].stale


@pytest.mark.parametrize("as_of", [date(2026, 11, 10), date(2026, 11, 20)])
def test_a_key_result_following_a_retired_kpi_stands_at_its_last_value_from_the_retired_day(tmp_path, as_of):
    """QA EN: a KPI retired on 2026-11-10 kept projecting its old trend for the key result that follows
    it ("→ 50 signups by Dec 31"), which stands at the KPI's last value. It then had no forecast at all
    from that day (QA: SPEC §11 gives one with two dated points): its forecast is that value, on that
    day, and its objective's is reached then too."""
    from okrsite.build import check_site
    from ..conftest import write_files

    values = "".join(f"  - {{date: 2026-{m:02d}-{d:02d}, value: {v}}}\n" for m, d, v in ((10, 5, 20), (10, 19, 28), (11, 2, 34), (11, 9, 40)))
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": f'title = "T"\nas_of = {as_of}\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
        "content/kpis/signups.md": "---\ntitle: Signups\nowner: company\ntarget: 50\nfrequency: weekly\nsource: CRM\nretired: 2026-11-10\n"
                                   f"values:\n{values}---\n",
        "content/objectives/grow.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Signups\n    start: 10\n    target: 50\n    kpi: signups\n---\n"})
    grow = check_site(root).scores.objectives["grow"]
    assert grow.key_results[0].forecast == KRForecast(40.0, 0.75, 5, 4, date(2026, 11, 10), date(2026, 11, 9))
    assert (grow.forecast.progress, grow.forecast.until) == (0.75, date(2026, 11, 10))


# QA FJ: a health set by hand in a KPI whose numbers live in a BI tool read as current for ever.

@needs_git
@pytest.mark.parametrize("as_of, stale", [(date(2026, 10, 15), False), (date(2026, 10, 16), True), (date(2027, 4, 10), True)])
def test_a_hand_set_health_is_dated_by_the_commit_that_set_it_and_stale_after_twice_its_frequency(tmp_path, as_of, stale):
    from okrsite.build import check_site

    state = check_site(hand_set_repo(tmp_path / "g").root, as_of).scores.kpis["activation"]
    assert (state.health, state.health_source, state.health_set) == ("healthy", "manual", date(2026, 10, 1))  # the later edit left it as it was
    assert (state.stale, state.health_stale, state.age_days) == (stale, stale, None)


@needs_git
def test_a_hand_set_health_with_a_value_recorded_since_is_as_fresh_as_that_value(tmp_path):
    from okrsite.build import check_site

    repo = hand_set_repo(tmp_path / "g")
    repo.commit({BI_KPI: (repo.root / BI_KPI).read_text().replace("---\nActivation", "values:\n  - {date: 2026-11-29, value: 0.4}\n---\nActivation")},
                "2026-11-30T10:00:00+00:00", message="A value")
    fresh, late = (check_site(repo.root, day).scores.kpis["activation"] for day in (date(2026, 12, 13), date(2026, 12, 14)))
    assert (fresh.stale, fresh.health_stale, fresh.health_set) == (False, False, date(2026, 10, 1))
    assert (late.stale, late.health_stale, late.age_days) == (True, False, 15)  # the value's own staleness


@needs_git
@pytest.mark.parametrize("as_of, stale", [(date(2026, 12, 2), False), (date(2026, 12, 3), True), (date(2027, 4, 10), True)])
def test_a_hand_set_health_without_frequency_is_stale_as_monthly_data(tmp_path, as_of, stale):
    """QA FN: a KPI imported by `import gitlab-pi` (no `frequency:`: the handbook has none) kept its
    hand-set health for good, while its page said it would go stale as monthly data, after 62 days."""
    from okrsite.build import check_site

    state = check_site(hand_set_repo(tmp_path / "g", frequency="").root, as_of).scores.kpis["activation"]
    assert (state.health_set, state.stale, state.health_stale) == (date(2026, 10, 1), stale, stale)


@needs_git
def test_a_hand_set_health_outside_git_is_never_stale(tmp_path):
    from okrsite.build import check_site

    hand_set_repo(tmp_path / "g", frequency="")
    shutil.rmtree(tmp_path / "g" / ".git")
    outside = check_site(tmp_path / "g", date(2027, 4, 10)).scores.kpis["activation"]
    assert (outside.health_source, outside.health_set, outside.stale) == ("manual", None, False)


@needs_git
def test_a_finished_roll_up_counts_its_children_as_git_held_them_aligned_on_its_last_day(tmp_path):
    """QA FK: `parent: c` given to b (0 %) on Nov 10 moved r's final Q3 grade 0.50 → 0.75 with no word,
    and d aligned to r then would have moved it again. r counts b as it stood (moved_late) and leaves d
    out (added_late, aligned_late), as it does a child deleted or added after its period ended."""
    from okrsite.build import check_site

    scores = check_site(realigned_repo(tmp_path / "g").root, date(2026, 11, 10)).scores.objectives
    r = scores["r"]
    assert (r.progress, r.grade, r.moved_late, r.added_late, r.aligned_late) == (pytest.approx(0.5), 0.5, ("b",), ("d",), ("d",))
    assert scores["c"].grade == 0.5 and scores["b"].grade == 0.0  # their own grades do not move


@needs_git
def test_a_realignment_while_the_period_runs_is_followed_and_outside_git_nothing_dates_it(tmp_path):
    """A running period's roll-up follows the alignment as it is now, and so does the grade it ends
    with; without git history nothing dates a `parent:`, and the roll-up counts its children as they are."""
    from okrsite.build import check_site

    as_now = pytest.approx((1 + 0.5 + 0.2) / 3)  # a, c and d
    r = check_site(realigned_repo(tmp_path / "g").root, date(2026, 9, 20)).scores.objectives["r"]  # Q3 running, the files as of Nov 10
    assert (r.progress, r.moved_late, r.added_late) == (as_now, (), ())
    r = check_site(realigned_repo(tmp_path / "q3", moved_on="2026-09-15").root, date(2026, 11, 10)).scores.objectives["r"]
    assert (r.progress, r.grade, r.moved_late, r.added_late) == (as_now, 0.57, (), ())
    shutil.rmtree(tmp_path / "g" / ".git")
    r = check_site(tmp_path / "g", date(2026, 11, 10)).scores.objectives["r"]
    assert (r.grade, r.moved_late, r.added_late) == (pytest.approx(0.57), (), ())


@needs_git
def test_a_roll_up_renamed_with_its_children_s_parent_after_its_period_keeps_them(tmp_path):
    """A roll-up renamed after its period ended (`git mv`, its children's `parent:` with it) is the one
    git held them aligned to on its last day: none is moved or left out."""
    from okrsite.build import check_site

    g = GitRepo(tmp_path / "g")
    g.commit({"okrsite.toml": 'title = "Co"\n', "content/teams/co.md": REALIGNED_TEAM, "content/objectives/r.md": realigned("Roll-up", None, None),
              "content/objectives/a.md": realigned("A", 10, "r"), "content/objectives/b.md": realigned("B", 0, "r")}, "2026-07-01T12:00:00+00:00")
    g.commit({"content/objectives/a.md": realigned("A", 10, "r-q3"), "content/objectives/b.md": realigned("B", 0, "r-q3")}, "2026-11-10T12:00:00+00:00",
             moves={"content/objectives/r.md": "content/objectives/r-q3.md"})
    r = check_site(g.root, date(2026, 11, 12)).scores.objectives["r-q3"]
    assert (r.grade, r.moved_late, r.added_late) == (0.5, (), ())


@needs_git
def test_a_child_moved_away_from_a_longer_roll_up_still_counts_in_the_quarter_as_it_stood(tmp_path):
    """The quarter's grade reads an aligned roll-up of a longer period as it stood on the quarter's last
    day, children and all: one aligned elsewhere in November still counts there (and no longer in the
    year's own progress now), one aligned to the year in November does not."""
    from okrsite.build import check_site

    g = GitRepo(tmp_path / "g")
    g.commit({"okrsite.toml": 'title = "Co"\n', "content/teams/co.md": REALIGNED_TEAM, "content/objectives/r.md": realigned("Roll-up", None, None),
              "content/objectives/y.md": realigned("Year", None, "r", "2026"), "content/objectives/k.md": realigned("K", 8, "y", "2026"),
              "content/objectives/m.md": realigned("M", 2, "y", "2026"), "content/objectives/n.md": realigned("N", 6, None, "2026")},
             "2026-07-01T12:00:00+00:00")
    g.commit({"content/objectives/k.md": realigned("K", 8, None, "2026"), "content/objectives/n.md": realigned("N", 6, "y", "2026")},
             "2026-11-10T12:00:00+00:00")
    scores = check_site(g.root, date(2026, 11, 12)).scores.objectives
    assert scores["y"].progress == pytest.approx((0.2 + 0.6) / 2)  # running: as aligned now
    assert scores["r"].grade == 0.5 and scores["r"].counted_then == (("y", pytest.approx(0.5)),)


@needs_git
def test_a_child_written_anew_in_another_file_and_aligned_elsewhere_counts_once_as_its_old_file_stood(tmp_path):
    """A child's file deleted after the quarter and its id written anew in a file git does not take
    for the same one, aligned elsewhere: the deleted file is the child the roll-up counted (as it
    stood), and the new one is not counted a second time as moved."""
    from okrsite.build import check_site

    g = GitRepo(tmp_path / "g")
    g.commit({"okrsite.toml": 'title = "Co"\n', "content/teams/co.md": REALIGNED_TEAM, "content/objectives/r.md": realigned("Roll-up", None, None),
              "content/objectives/a.md": realigned("A", 10, "r"), "content/objectives/b.md": realigned("B", 0, "r"),
              "content/objectives/c.md": realigned("C", 5, None)}, "2026-07-01T12:00:00+00:00")
    anew = ("---\nid: b\ntitle: Something else entirely, written from scratch\nperiod: 2026-Q3\nowner: co\nparent: c\nkey_results:\n"
            "  - {title: zzz other, target: 4, current: 4}\n  - {title: yyy more, target: 7, current: 1}\n---\nA body of its own.\n")
    g.commit({"content/objectives/b.md": None, "content/objectives/other/b-anew.md": anew}, "2026-11-10T12:00:00+00:00")
    r = check_site(g.root, date(2026, 11, 12)).scores.objectives["r"]
    assert (r.grade, r.moved_late, [child.ident for child in r.deleted_late]) == (0.5, (), ["b"])


@needs_git
def test_a_save_to_a_child_moved_away_from_a_finished_roll_up_scores_that_roll_up_anew(tmp_path):
    """The live preview scores anew only what a save touched: b, moved from r to x (in no tree of r's)
    after Q3 ended, its `current:` raised, touches x above it now and r, which counts it as it stood:
    both as a whole computation scores them."""
    from okrsite.build import check_site

    g = GitRepo(tmp_path / "g")
    g.commit({"okrsite.toml": 'title = "Co"\n', "content/teams/co.md": REALIGNED_TEAM, "content/objectives/r.md": realigned("Roll-up", None, None),
              "content/objectives/x.md": realigned("X", None, None), "content/objectives/a.md": realigned("A", 10, "r"),
              "content/objectives/b.md": realigned("B", 0, "r"), "content/objectives/e.md": realigned("E", 5, "x")}, "2026-07-01T12:00:00+00:00")
    g.commit({"content/objectives/b.md": realigned("B", 0, "x")}, "2026-11-10T12:00:00+00:00")
    day = date(2026, 11, 10)
    checked = check_site(g.root, day)
    site, scores, logs = checked.loaded.site, checked.scores, checked.scores.logs
    b = site.objectives["b"]
    saved = replace(site, objectives={**site.objectives, "b": replace(b, key_results=(replace(b.key_results[0], current=10.0),))})
    whole = compute(saved, checked.loaded.settings, day, logs=logs).objectives
    again = compute(saved, checked.loaded.settings, day, earlier=(site, scores), logs=logs).objectives
    assert (again["r"], again["x"]) == (whole["r"], whole["x"])
    assert (whole["r"].grade, scores.objectives["r"].grade) == (1.0, 0.5)
