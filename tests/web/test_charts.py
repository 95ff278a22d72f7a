"""Charts: well-formed, accessible inline SVG for any series, including hostile and degenerate ones."""

import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings, strategies as st
from markupsafe import Markup

from okrsite.web.charts import CHAR, ROOM, _num, burnup, burnup_steps, line_chart, sparkline, status_bar

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>&"'
D = date(2026, 10, 1)


def parse(markup) -> ET.Element:
    """The chart as an element tree: fails on anything that is not well-formed XML."""
    assert isinstance(markup, Markup)
    root = ET.fromstring(f"<root>{markup}</root>")
    assert len(root) == 1, "one chart, one element"
    return root[0]


def by_class(svg: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in svg.iter() if cls in (e.get("class") or "").split()]


def viewbox(svg: ET.Element) -> tuple[float, float]:
    x, y, w, h = map(float, svg.get("viewBox").split())
    assert (x, y) == (0, 0)
    return w, h


def coordinates(svg: ET.Element):
    """Every (axis, value) drawn: attributes x/y/x1/.../cy and polyline points."""
    for e in svg.iter():
        for name in ("x", "x1", "x2", "cx", "y", "y1", "y2", "cy"):
            if e.get(name) is not None:
                yield name[0] if name[0] in "xy" else name[1], float(e.get(name))
        for pair in (e.get("points") or "").split():
            px, py = map(float, pair.split(","))
            yield "x", px
            yield "y", py


def check_svg(markup, kind: str) -> ET.Element:
    """What every chart promises: text alternative, responsive sizing, unique ids, no NaN, inside its box."""
    assert "nan" not in markup.lower() and "inf" not in markup.lower()
    svg = parse(markup)
    assert svg.tag == NS + "svg"
    assert svg.get("role") == "img"
    assert {"chart", f"chart-{kind}"} <= set(svg.get("class").split())
    assert svg.get("width") in (None, "100%") and svg.get("height") is None
    assert svg.get("preserveAspectRatio")
    title, desc = svg[0], svg[1]
    assert (title.tag, desc.tag) == (NS + "title", NS + "desc")
    assert title.text and desc.text
    # QA CY: the title is the name and the desc the description, each read once
    assert (svg.get("aria-labelledby"), svg.get("aria-describedby")) == (title.get("id"), desc.get("id"))
    ids = [e.get("id") for e in svg.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    assert not any("href" in attr for e in svg.iter() for attr in e.attrib)
    w, h = viewbox(svg)
    for axis, value in coordinates(svg):
        assert math.isfinite(value)
        assert 0 <= value <= (w if axis == "x" else h), (axis, value)
    return svg


def series(*pairs):
    return [(D + timedelta(days=offset), value) for offset, value in pairs]


values = st.floats(allow_nan=True, allow_infinity=True) | st.floats(-1e6, 1e6) | st.sampled_from([0.0, -0.0, 7.0, 1e308, -1e308, 5e-324])
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
random_series = st.lists(st.tuples(days, values), max_size=30)


# --- sparkline -------------------------------------------------------------------------------------

def test_sparkline_draws_a_line_with_the_latest_point_dotted():
    svg = check_svg(sparkline(series((0, 1), (10, 3), (20, 2)), ident="mrr", label="MRR", unit="USD"), "sparkline")
    assert svg.get("viewBox") == "0 0 120 32"
    points = by_class(svg, "line")[0].get("points").split()
    assert len(points) == 3
    (dot,) = by_class(svg, "dot")
    assert f"{dot.get('cx')},{dot.get('cy')}" == points[-1]
    assert svg[1].text == "3 values from 2026-10-01 to 2026-10-21, latest 2 USD"


def test_sparkline_of_nothing_is_empty():
    assert sparkline([], ident="x", label="x") == Markup("")
    assert sparkline(series((0, float("nan"))), ident="x", label="x") == ""


@pytest.mark.parametrize("points", [series((0, 5)), series((0, 5), (3, 5), (9, 5)), series((0, 1), (0, 9)), series((0, -1e308), (1, 1e308))])
def test_sparkline_degenerate_series(points):
    svg = check_svg(sparkline(points, ident="s", label="S"), "sparkline")
    assert len(by_class(svg, "dot")) == 1


# --- line chart ------------------------------------------------------------------------------------

def test_line_chart_text_alternative_and_dot_titles():
    points = [(date(2026, m, 28), 40_000 + m * 600) for m in range(1, 11)] + [(date(2026, 10, 31), 46_500)]
    svg = check_svg(line_chart(points, ident="kpi-mrr", label="Monthly recurring revenue", unit="USD", target=50_000), "line")
    assert svg.find(NS + "title").text == "Monthly recurring revenue"
    assert svg.find(NS + "desc").text == "11 values from 2026-01-28 to 2026-10-31, latest 46,500 USD, target 50,000 USD"
    dots = by_class(svg, "dot")
    assert len(dots) == 11
    assert dots[-1].find(NS + "title").text == "2026-10-31: 46,500 USD"


def test_line_chart_x_positions_are_proportional_to_dates():
    svg = check_svg(line_chart(series((0, 1), (1, 2), (10, 3), (30, 4)), ident="c", label="C"), "line")
    xs = [float(d.get("cx")) for d in by_class(svg, "dot")]
    unit = (xs[-1] - xs[0]) / 30
    assert unit > 0
    for x, offset in zip(xs, (0, 1, 10, 30)):
        assert x == pytest.approx(xs[0] + offset * unit, abs=0.1)
    labels = [t.text for t in by_class(svg, "label") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")]
    assert labels[:2] == ["2026-10-01", "2026-10-31"]


def test_line_chart_sorts_by_date_and_drops_non_finite_values():
    svg = check_svg(line_chart(series((5, 2), (0, 1), (3, float("inf")), (4, float("nan"))), ident="c", label="C"), "line")
    titles = [d.find(NS + "title").text for d in by_class(svg, "dot")]
    assert titles == ["2026-10-01: 1", "2026-10-06: 2"]


@pytest.mark.parametrize("target", [None, 50_000, 1_000_000])
@pytest.mark.parametrize("threshold", [None, 40_000, -5])
def test_target_and_threshold_lines_exactly_when_given(target, threshold):
    points = series((0, 42_000), (30, 46_500))
    svg = check_svg(line_chart(points, ident="c", label="C", target=target, threshold=threshold), "line")
    dots_y = [float(d.get("cy")) for d in by_class(svg, "dot")]
    for name, value in (("target", target), ("threshold", threshold)):
        lines = [e for e in by_class(svg, name) if e.tag == NS + "line"]
        labels = by_class(svg, f"{name}-label")
        if value is None:
            assert not lines and not labels
            assert name not in svg.find(NS + "desc").text
            continue
        (line,), (label,) = lines, labels
        assert line.get("y1") == line.get("y2") and line.get("stroke-dasharray")
        assert label.text == f"{name} {_num(value)}"
        y = float(line.get("y1"))
        # inside the plot: above every dot when above every value, below when below
        if value > 46_500:
            assert all(y < d for d in dots_y)
        if value < 42_000:
            assert all(y > d for d in dots_y)
        assert f"{name} {_num(value)}" in svg.find(NS + "desc").text


def test_target_label_is_literal():
    svg = check_svg(line_chart(series((0, 1)), ident="c", label="C", target=50_000, threshold=40_000), "line")
    assert by_class(svg, "target-label")[0].text == "target 50,000"
    assert by_class(svg, "threshold-label")[0].text == "threshold 40,000"


@pytest.mark.parametrize("points", [
    [], series((0, 3)), series((0, 3), (5, 3), (9, 3)), series((0, 1), (0, 2), (0, 3)),
    series((0, 0)), series((0, -1e308), (1, 1e308)), series((0, 1e308)), series((0, 5e-324), (1, 0)),
    series((0, 1e20), (1, 1e20 + 65536)), series((0, 0), (0, 5e-324)), series((0, 0.011), (1, 0.012)),
])
def test_line_chart_degenerate_series(points):
    svg = check_svg(line_chart(points, ident="c", label="C", target=2, threshold=1), "line")
    assert len(by_class(svg, "dot")) == len(points)
    grid = by_class(svg, "grid")
    assert 2 <= len(grid) <= 12


def test_line_chart_without_values_says_so():
    svg = check_svg(line_chart([], ident="c", label="C", unit="%", target=80), "line")
    assert svg.find(NS + "desc").text == "no values yet, target 80%"
    assert by_class(svg, "empty")[0].text == "no values yet"


def y_labels(svg: ET.Element) -> list[ET.Element]:
    """The y axis's labels: right-aligned at the left of the plot."""
    return [t for t in by_class(svg, "label") if t.get("text-anchor") == "end" and "latest-label" not in t.get("class") and "-" not in t.text]


def test_y_labels_are_round_numbers():
    svg = check_svg(line_chart(series((0, 13.7), (1, 87.2)), ident="c", label="C"), "line")
    labels = [t.text for t in y_labels(svg)]
    assert labels == ["0", "20", "40", "60", "80", "100"]
    svg = check_svg(line_chart(series((0, 0.011), (1, 0.093)), ident="c", label="C"), "line")
    labels = [t.text for t in y_labels(svg)]
    assert labels == ["0", "0.05", "0.1"]  # never 0.025: labels have two decimals


def latest_label(svg: ET.Element) -> ET.Element:
    (label,) = by_class(svg, "latest-label")
    return label


@pytest.mark.parametrize("mark", ["threshold", "target"])
def test_the_latest_value_is_not_written_across_a_target_or_threshold_line(mark):
    """QA BO: a falling series ending just above its threshold had "1,260 ms" written below its dot,
    on the 1,200 ms threshold's line: read as the threshold, or as a value on the critical line."""
    falling = series((0, 1380), (30, 1450), (60, 1310), (75, 1290), (85, 1260))
    svg = check_svg(line_chart(falling, ident="c", label="C", unit="ms", **{mark: 1200}, target=800) if mark == "threshold"
                    else line_chart(falling, ident="c", label="C", unit="ms", target=1200), "line")
    (line,) = by_class(svg, mark)
    base, at = float(latest_label(svg).get("y")), float(line.get("y1"))
    assert not base - 0.75 * 18 <= at <= base + 0.25 * 18, (base, at)


def test_the_latest_value_is_written_by_its_dot_inside_the_chart():
    rising = check_svg(line_chart(series((0, 10), (30, 20), (60, 46_500)), ident="c", label="C", unit="USD", target=100_000), "line")
    label, dot = latest_label(rising), by_class(rising, "dot")[-1]
    assert label.text == "46,500 USD"
    w, _ = viewbox(rising)
    assert label.get("text-anchor") == "end" and float(dot.get("cx")) <= float(label.get("x")) <= w
    assert float(label.get("y")) < float(dot.get("cy"))  # above the dot after a rise
    falling = check_svg(line_chart(series((0, 46_500), (30, 30_000)), ident="c", label="C", threshold=10_000), "line")
    assert float(latest_label(falling).get("y")) > float(by_class(falling, "dot")[-1].get("cy"))  # below after a fall
    floor = check_svg(line_chart(series((0, 46_500), (30, 10)), ident="c", label="C"), "line")
    assert float(latest_label(floor).get("y")) < float(by_class(floor, "dot")[-1].get("cy"))  # no room below the axis's foot
    # the mark labels start at the left, so that they never cover the latest value at the right
    assert by_class(rising, "target-label")[0].get("text-anchor") == "start"
    single = check_svg(line_chart(series((0, 7)), ident="c", label="C"), "line")
    assert latest_label(single).get("text-anchor") == "middle" and latest_label(single).text == "7"


def test_labels_leave_room_for_the_larger_text_of_phones():
    svg = check_svg(line_chart(series((0, 1_000_000), (30, 1_250_000)), ident="c", label="C", target=1_500_000), "line")
    for label in y_labels(svg):
        assert float(label.get("x")) >= len(label.text) * CHAR * ROOM, label.text
    _, h = viewbox(svg)
    axis_foot = float(re.search(r"V([\d.]+)", by_class(svg, "axis")[0].get("d")).group(1))
    for date_label in [t for t in by_class(svg, "label") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")]:
        baseline = float(date_label.get("y"))
        assert axis_foot <= baseline - 0.75 * ROOM and baseline + 0.25 * ROOM <= h  # between the axis and the chart's foot


def test_compact_style_shortens_labels_but_not_the_dots_titles():
    points = series((0, 21_000_000), (30, 24_300_000))
    svg = check_svg(line_chart(points, ident="c", label="C", unit="$", target=30_000_000, style="compact"), "line")
    assert latest_label(svg).text == "$24.3M"
    assert by_class(svg, "target-label")[0].text == "target $30M"
    assert [t.text for t in y_labels(svg)][-1] == "30M"
    assert svg.find(NS + "desc").text.endswith("latest $24.3M, target $30M")
    assert by_class(svg, "dot")[-1].find(NS + "title").text == "2026-10-31: $24,300,000"
    spark = check_svg(sparkline(points, ident="s", label="S", unit="$", style="compact"), "sparkline")
    assert spark.find(NS + "desc").text.endswith("latest $24.3M")


def test_compact_axis_labels_that_would_repeat_are_written_in_full():
    svg = check_svg(line_chart(series((0, 10_000), (1, 10_100)), ident="c", label="C", style="compact"), "line")
    labels = [t.text for t in y_labels(svg)]
    assert len(set(labels)) == len(labels) and "10,100" in labels


@settings(max_examples=200, deadline=None)
@given(random_series, st.none() | values, st.none() | values, st.sampled_from(["full", "compact"]), st.none() | days)
def test_line_chart_any_series(points, target, threshold, style, as_of):
    svg = check_svg(line_chart(points, ident="c", label="C", unit="USD", target=target, threshold=threshold, style=style, as_of=as_of), "line")
    finite = [v for _, v in points if math.isfinite(v)]
    assert len(by_class(svg, "dot")) == len(finite)
    assert len(by_class(svg, "latest-label")) == bool(finite)
    assert bool(by_class(svg, "target")) == (target is not None and math.isfinite(target))
    assert bool(by_class(svg, "threshold")) == (threshold is not None and math.isfinite(threshold))


@settings(max_examples=100, deadline=None)
@given(random_series)
def test_sparkline_any_series(points):
    markup = sparkline(points, ident="s", label="S")
    if any(math.isfinite(v) for _, v in points):
        check_svg(markup, "sparkline")
    else:
        assert markup == ""


# --- burnup ----------------------------------------------------------------------------------------

START, END, AS_OF = date(2026, 10, 1), date(2026, 12, 31), date(2026, 11, 23)


def grid_y(svg, text):
    """The y of the gridline labelled ``text`` ("0 %", "50 %", "100 %")."""
    (label,) = [t for t in by_class(svg, "label") if t.text == text]
    return float(label.get("y"))


def test_burnup_draws_progress_pace_and_today():
    points = [(date(2026, 10, 10), 0.1), (date(2026, 11, 1), 0.36)]
    svg = check_svg(burnup(points, ident="kr-1", label="Ship v2", start=START, end=END, as_of=AS_OF, goal=1.0), "burnup")
    expected = round(100 * ((AS_OF - START).days + 1) / ((END - START).days + 1))  # SPEC §6: the as-of day counts (54/92)
    assert svg.find(NS + "desc").text.startswith(f"Progress 36 % on 2026-11-23 against an expected {expected} %")
    assert [t.text for t in by_class(svg, "label") if "%" in t.text] == ["0 %", "50 %", "100 %"]
    dates = [t.text for t in by_class(svg, "label") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")]
    assert dates == ["2026-10-01", "2026-12-31"]
    (today,) = [e for e in by_class(svg, "today") if e.tag == NS + "line"]
    assert today.get("x1") == today.get("x2")
    steps = [tuple(map(float, p.split(","))) for p in by_class(svg, "line")[0].get("points").split()]
    assert steps[-1][0] == pytest.approx(float(today.get("x1")))  # the latest value holds until today
    assert all(y1 == y2 or x1 == x2 for (x1, y1), (x2, y2) in zip(steps, steps[1:]))  # a step line


@pytest.mark.parametrize("goal", [1.0, 0.7, 0.0, 1.5, -1, float("nan")])
def test_burnup_pace_ends_at_goal_height(goal):
    svg = check_svg(burnup([], ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=goal), "burnup")
    (pace,) = by_class(svg, "pace")
    zero, full = grid_y(svg, "0 %"), grid_y(svg, "100 %")
    clamped = 1.0 if math.isnan(goal) else min(max(goal, 0), 1)
    assert float(pace.get("y1")) == pytest.approx(zero)
    assert float(pace.get("y2")) == pytest.approx(zero + (full - zero) * clamped, abs=0.1)
    assert pace.get("stroke-dasharray")


@pytest.mark.parametrize("as_of, shown", [(date(2026, 9, 1), False), (START, True), (AS_OF, True), (END, True), (date(2027, 1, 1), False)])
def test_burnup_today_line_only_inside_the_period(as_of, shown):
    svg = check_svg(burnup([(START, 0.2)], ident="b", label="B", start=START, end=END, as_of=as_of, goal=1), "burnup")
    assert bool(by_class(svg, "today")) == shown


def test_burnup_clips_points_to_the_period_and_clamps_values():
    points = [(date(2026, 9, 1), 0.2), (date(2026, 9, 20), 0.25), (date(2026, 11, 1), 7.0), (date(2027, 2, 1), 0.9)]
    svg = check_svg(burnup(points, ident="b", label="B", start=START, end=END, as_of=date(2027, 3, 1), goal=1), "burnup")
    titles = [d.find(NS + "title").text for d in by_class(svg, "dot")]
    assert titles == ["2026-10-01: 25 %", "2026-11-01: 100 %"]
    (pace,) = by_class(svg, "pace")
    xs = [float(p.split(",")[0]) for p in by_class(svg, "line")[0].get("points").split()]
    assert min(xs) == pytest.approx(float(pace.get("x1"))) and max(xs) == pytest.approx(float(pace.get("x2")))
    assert svg.find(NS + "desc").text == "Final progress 100 % on 2026-12-31; period 2026-10-01 to 2026-12-31, goal 100 %"


def test_burnup_steps_are_the_dots_the_chart_draws():
    """QA CY: a page lists the dots' dates and values in words, which their tooltips give only to a mouse."""
    points = [(date(2026, 9, 1), 0.2), (date(2026, 9, 20), 0.25), (date(2026, 11, 1), 7.0), (date(2027, 2, 1), 0.9)]
    svg = parse(burnup(points, ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=1))
    steps = burnup_steps(points, start=START, end=END)
    assert [f"{d}: {round(v * 100)} %" for d, v in steps] == [d.find(NS + "title").text for d in by_class(svg, "dot")]


def test_burnup_says_where_the_page_lists_its_values():
    svg = parse(burnup([(START, 0.2)], ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=1, listed="listed below"))
    assert svg.find(NS + "desc").text.endswith("; listed below")


def test_burnup_without_points():
    svg = check_svg(burnup([], ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=1), "burnup")
    assert svg.find(NS + "desc").text.startswith("No progress recorded on 2026-11-23")
    assert not by_class(svg, "line") and not by_class(svg, "dot")


@pytest.mark.parametrize("as_of, desc", [
    (date(2027, 2, 1), "No progress recorded by 2026-12-31; period 2026-10-01 to 2026-12-31, goal 70 %"),
    (date(2026, 9, 1), "Not started yet; period 2026-10-01 to 2026-12-31, goal 70 %"),
])
def test_burnup_speaks_of_a_pace_only_while_the_period_runs(as_of, desc):
    svg = check_svg(burnup([], ident="b", label="B", start=START, end=END, as_of=as_of, goal=0.7), "burnup")
    assert svg.find(NS + "desc").text == desc


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(days, values), max_size=20), days, days, days, values)
def test_burnup_any_input(points, start, end, as_of, goal):
    points = sorted(points, key=lambda p: p[0])
    check_svg(burnup(points, ident="b", label="B", start=start, end=end, as_of=as_of, goal=goal), "burnup")


def test_burnup_draws_the_forecast_dashed_from_today_to_the_end_with_its_method():
    points = [(date(2026, 10, 10), 0.1), (date(2026, 11, 1), 0.36)]
    svg = check_svg(burnup(points, ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=1.0, forecast=0.82,
                           method="straight line through 4 check-ins"), "burnup")
    (line,) = [e for e in by_class(svg, "forecast") if e.tag == NS + "line"]
    (today,) = [e for e in by_class(svg, "today") if e.tag == NS + "line"]
    (pace,) = by_class(svg, "pace")
    zero, full = grid_y(svg, "0 %"), grid_y(svg, "100 %")
    assert float(line.get("x1")) == pytest.approx(float(today.get("x1")))  # from today
    assert float(line.get("x2")) == pytest.approx(float(pace.get("x2")))  # to the period's last day
    assert float(line.get("y1")) == pytest.approx(zero + (full - zero) * 0.36, abs=0.1)  # from the progress now
    assert float(line.get("y2")) == pytest.approx(zero + (full - zero) * 0.82, abs=0.1)
    assert line.get("stroke-dasharray") and line.get("stroke-dasharray") != pace.get("stroke-dasharray")
    assert [t.text for t in by_class(svg, "forecast-label")] == ["forecast 82 %"]  # the method: in the text alternative and the page's note
    assert svg.find(NS + "desc").text.endswith("; forecast 82 % by 2026-12-31 (straight line through 4 check-ins)")


@pytest.mark.parametrize("as_of", [date(2026, 9, 30), date(2027, 1, 1)])
def test_burnup_draws_no_forecast_outside_the_period(as_of):
    svg = check_svg(burnup([(START, 0.2)], ident="b", label="B", start=START, end=END, as_of=as_of, goal=1, forecast=0.9), "burnup")
    assert not by_class(svg, "forecast") and "forecast" not in svg.find(NS + "desc").text


RETIRED = date(2026, 12, 10)


def test_burnup_ends_a_forecast_read_on_a_retired_day_there_marked_retired():
    """Review of QA EO 6: the forecast of lines read on their KPI's retired day (ObjectiveForecast.until)
    was drawn on to the period's end, as if the KPI went on: it ends on that day, marked as a retired
    KPI's chart marks it, and the text alternative says the progress stands there."""
    points = [(date(2026, 10, 10), 0.1), (date(2026, 11, 1), 0.36)]
    svg = check_svg(burnup(points, ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=1.0, forecast=0.51,
                           method="straight line through 3 check-ins", retired=RETIRED), "burnup")
    (line,) = [e for e in by_class(svg, "forecast") if e.tag == NS + "line"]
    (mark,) = [e for e in by_class(svg, "retired") if e.tag == NS + "line"]
    (pace,) = by_class(svg, "pace")
    zero, full = grid_y(svg, "0 %"), grid_y(svg, "100 %")
    assert float(line.get("x2")) == pytest.approx(float(mark.get("x1"))) and float(mark.get("x1")) < float(pace.get("x2"))
    assert float(line.get("y2")) == pytest.approx(zero + (full - zero) * 0.51, abs=0.1)
    assert [t.text for t in by_class(svg, "retired-label")] == ["retired"]
    assert svg.find(NS + "desc").text.endswith("; forecast 51 % by 2026-12-10 (straight line through 3 check-ins), "
                                               "the day the KPI it follows is retired: it stands there to 2026-12-31")


def test_burnup_of_lines_following_several_retired_kpis_names_the_last_ones_day():
    """With key results following several KPIs retired on different days, the dashed line ends on the
    last of them, but the text alternative said "the day the KPI it follows is retired" as of one."""
    svg = check_svg(burnup([(START, 0.2)], ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=1, forecast=0.4,
                           method="straight lines through 6 check-ins of 2 key results", retired=RETIRED, retired_kpis=2), "burnup")
    assert svg.find(NS + "desc").text.endswith("; forecast 40 % by 2026-12-10 (straight lines through 6 check-ins of 2 key results), "
                                               "the day the last of the KPIs its key results follow is retired: it stands there to 2026-12-31")


@pytest.mark.parametrize("retired", [AS_OF + timedelta(days=1), AS_OF + timedelta(days=3), END - timedelta(days=1)])
def test_a_burnups_retired_label_keeps_clear_of_today_and_inside_the_chart(retired):
    svg = check_svg(burnup([(START, 0.2)], ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=1, forecast=0.4, retired=retired), "burnup")
    (today,), (mark,) = by_class(svg, "today-label"), by_class(svg, "retired-label")
    (left, top, right, bottom), (l2, t2, r2, b2) = label_box(today), label_box(mark)
    assert not (left < r2 and l2 < right and top < b2 and t2 < bottom)
    assert 0 <= l2 and r2 <= viewbox(svg)[0]


@pytest.mark.parametrize("retired", [AS_OF, END, END + timedelta(days=5), START])
def test_a_retired_day_outside_today_to_the_periods_end_leaves_the_forecast_to_the_end(retired):
    svg = check_svg(burnup([(START, 0.2)], ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=1, forecast=0.4, retired=retired), "burnup")
    (line,) = [e for e in by_class(svg, "forecast") if e.tag == NS + "line"]
    assert float(line.get("x2")) == pytest.approx(float(by_class(svg, "pace")[0].get("x2"))) and not by_class(svg, "retired")
    assert svg.find(NS + "desc").text.endswith("; forecast 40 % by 2026-12-31")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(days, values), max_size=10), days, values, st.none() | st.dates(START, END + timedelta(days=3)))
def test_burnup_any_forecast(points, as_of, forecast, retired):
    points = sorted(points, key=lambda p: p[0])
    check_svg(burnup(points, ident="b", label="B", start=START, end=END, as_of=as_of, goal=1, forecast=forecast, method=HOSTILE, retired=retired), "burnup")


def plot_box(svg: ET.Element) -> tuple[float, float, float, float]:
    """A burn-up chart's plot, from its axes' path "M left top V bottom H right": left, top, right, bottom."""
    (axis,) = by_class(svg, "axis")
    left, top, bottom, right = map(float, re.findall(r"[\d.]+", axis.get("d")))
    return left, top, right, bottom


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.dates(START, END), st.floats(0, 1)), max_size=12), st.dates(START, END), st.floats(0, 1),
       st.none() | st.dates(START, END))
def test_a_forecasts_figure_lies_below_the_plot_clear_of_the_dates(points, as_of, forecast, retired):
    """QA: "straight lines through 3 check-ins of 2 key results", under "forecast 67 %" in the plot's lower
    right corner, lay over the progress line where that ran low up to today; for some data no place in the
    plot is clear of every line. The figure is written below the plot, beside the last day's date; the
    method is left to the text alternative and the note under the chart."""
    svg = check_svg(burnup(sorted(points), ident="b", label="B", start=START, end=END, as_of=as_of, goal=1, forecast=forecast,
                           method="straight lines through 3 check-ins of 2 key results", retired=retired), "burnup")
    labels = by_class(svg, "forecast-label")
    dates = [label_box(t) for t in by_class(svg, "label") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")]
    for label in labels:
        left, top, right, bottom = label_box(label)
        assert top >= plot_box(svg)[3] and left >= 0 and bottom <= viewbox(svg)[1], (label.text, label_box(label), plot_box(svg))
        assert all(right <= d[0] or left >= d[2] for d in dates), (label.text, label_box(label), dates)
    assert len(labels) == 1 and re.fullmatch(r"forecast \d+ %", labels[0].text) and len(dates) == 2


@pytest.mark.parametrize("side, line, breached", [("above", 70, ["2026-10-11: 69.4%"]), ("below", 72, ["2026-10-21: 72.4%"]), ("above", 69, [])])
def test_guardrail_chart_has_a_band_its_line_and_the_breaches_ringed(side, line, breached):
    svg = check_svg(line_chart(series((0, 71.2), (10, 69.4), (20, 72.4)), ident="g", label="Margin", unit="%", keep=(side, line)), "line")
    (keep,) = [e for e in by_class(svg, "keep") if e.tag == NS + "line"]
    (band,) = by_class(svg, "breach-zone")
    top, height = float(band.get("y")), float(band.get("height"))
    at = float(keep.get("y1"))
    assert (top == pytest.approx(at)) if side == "above" else (top + height == pytest.approx(at))  # the side not to cross
    assert [t.text for t in by_class(svg, "keep-label")] == [f"keep at or {side} {line}%"]
    assert [c.find(NS + "title").text.split(",")[0] for c in by_class(svg, "breach")] == breached
    desc = svg.find(NS + "desc").text
    assert desc.endswith(f"keep at or {side} {line}%")
    assert ("never across the line" in desc) == (not breached)


def test_a_value_on_the_line_is_no_breach():
    svg = check_svg(line_chart(series((0, 70), (5, 2.5)), ident="g", label="G", keep=("above", 70)), "line")
    assert len(by_class(svg, "breach")) == 1  # 2.5 is; 70 itself is not


@pytest.mark.parametrize("side", ["above", "below"])
def test_a_guardrail_chart_says_its_line_holds_on_the_line(side):
    """The chart's words are the key result row's: a latest value exactly on the line is held, not 'never above'."""
    svg = check_svg(line_chart(series((0, 72), (10, 70)), ident="g", label="Margin", unit="%", keep=(side, 70)), "line")
    desc = svg.find(NS + "desc").text
    assert desc.endswith(f"latest 70%, {'never across the line' if side == 'above' else 'across the line on 2026-10-01'}, keep at or {side} 70%")
    assert [t.text for t in by_class(svg, "keep-label")] == [f"keep at or {side} 70%"]


# --- status bar ------------------------------------------------------------------------------------

def widths(div: ET.Element) -> list[float]:
    return [float(re.fullmatch(r"width: ([\d.]+)%", s.get("style")).group(1)) for s in div]


def test_status_bar_segments_and_label():
    div = parse(status_bar([("on-track", 5), ("at-risk", 3), ("off-track", 1), ("missed", 0)], ident="q4", label="Objectives"))
    assert div.tag == "div" and div.get("class") == "stacked" and div.get("role") == "img"
    assert not [e for e in div.iter() if e.get("id")]
    assert div.get("aria-label") == "Objectives: 5 on-track, 3 at-risk, 1 off-track"
    assert [s.get("class") for s in div] == ["seg status-on-track", "seg status-at-risk", "seg status-off-track"]
    assert [s.get("title") for s in div] == ["5 on-track", "3 at-risk", "1 off-track"]
    assert ["".join(s.itertext()) for s in div] == ["5", "3", "1"]
    assert widths(div) == [55.6, 33.3, 11.1]


def test_status_bar_of_nothing_is_empty():
    assert status_bar([], ident="s", label="S") == ""
    assert status_bar([("on-track", 0)], ident="s", label="S") == ""


@given(st.lists(st.tuples(st.sampled_from(["on-track", "at-risk", "off-track", "not-started", "achieved", "missed"]),
                          st.integers(0, 10**12)), max_size=6))
def test_status_bar_widths_add_up(counts):
    markup = status_bar(counts, ident="s", label="S")
    shown = [(s, n) for s, n in counts if n > 0]
    if not shown:
        assert markup == ""
        return
    div = parse(markup)
    assert sum(widths(div)) == pytest.approx(100, abs=0.1)
    total = sum(n for _, n in shown)
    for width, (_, n) in zip(widths(div), shown):
        assert width == pytest.approx(100 * n / total, abs=0.1)
    assert div.get("aria-label") == "S: " + ", ".join(f"{n} {s}" for s, n in shown)


# --- escaping, ids, numbers ------------------------------------------------------------------------

def all_charts(label: str, ident: str = "c", unit: str | None = None) -> dict:
    points = series((0, 1), (5, 2))
    return {
        "sparkline": sparkline(points, ident=ident, label=label, unit=unit),
        "line": line_chart(points, ident=ident, label=label, unit=unit, target=3),
        "burnup": burnup([(START, 0.5)], ident=ident, label=label, start=START, end=END, as_of=AS_OF, goal=1),
    }


def test_labels_and_units_are_escaped():
    for kind, markup in all_charts(HOSTILE, unit=HOSTILE).items():
        assert "<script>" not in markup
        svg = check_svg(markup, kind)
        assert svg.find(NS + "title").text == HOSTILE
    div = parse(status_bar([(HOSTILE, 1)], ident="s", label=HOSTILE))
    assert "<script>" not in status_bar([(HOSTILE, 1)], ident="s", label=HOSTILE)
    assert div.get("aria-label") == f"{HOSTILE}: 1 {HOSTILE}"
    assert div[0].get("class") == "seg status-script"


@pytest.mark.parametrize("ident, clean", [("KPI mrr/2026", "kpi-mrr-2026"), ('"><x', "x"), ("", "chart"), ("ok-1", "ok-1"),
                                          ("spark-цели", "spark-u446-u435-u43b-u438"), ("spark-売上", "spark-u58f2-u4e0a")])
def test_ident_is_sanitised(ident, clean):
    for kind, markup in all_charts("L", ident=ident).items():
        svg = check_svg(markup, kind)
        assert (svg.get("aria-labelledby"), svg.get("aria-describedby")) == (f"{clean}-title", f"{clean}-desc")
        # only these two ids, so a page may use the bare ident for its own heading or section
        assert [e.get("id") for e in svg.iter() if e.get("id")] == [f"{clean}-title", f"{clean}-desc"]


def test_charts_are_markup_that_autoescaping_templates_keep():
    env = jinja2.Environment(autoescape=True)
    chart = line_chart(series((0, 1)), ident="c", label=HOSTILE)
    html = env.from_string("<p>{{ chart }}</p>").render(chart=chart)
    assert html == f"<p>{chart}</p>" and "&lt;script&gt;" in html


@pytest.mark.parametrize("value, unit, text", [
    (1234567.891, None, "1,234,567.89"), (46500, "USD", "46,500 USD"), (12.5, "%", "12.5%"), (-0.001, None, "-0.001"), (-1e-12, None, "0"),
    (-1234.5, None, "-1,234.5"), (2.999, None, "3"), (1e300, None, "1.00e+300"), (float("nan"), None, "–"),
])
def test_number_format(value, unit, text):
    assert _num(value, unit) == text


# --- the Nu HTML Checker, when installed (npm install vnu-jar) --------------------------------------

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.skipif(not (VNU.is_file() and shutil.which("java")), reason="needs java and node_modules/vnu-jar")
def test_nu_html_checker_accepts_the_charts(tmp_path):
    kinds = ("sparkline", "line", "burnup")
    parts = [*(all_charts(HOSTILE, ident=f"one-{k}")[k] for k in kinds), *(all_charts("L", ident=f"two-{k}", unit="%")[k] for k in kinds),
             line_chart([], ident="empty", label="E", target=1, threshold=0),
             status_bar([("on-track", 5), ("at-risk", 3)], ident="bar", label="Objectives")]
    page = tmp_path / "charts.html"
    page.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>charts</title></head><body>'
                    + "\n".join(map(str, parts)) + "</body></html>", encoding="utf-8")
    result = subprocess.run(["java", "-jar", str(VNU), "--also-check-svg", str(page)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_burnup_of_a_cancelled_objective_draws_no_pace_and_speaks_of_none():
    """QA DP 5: a cancelled objective's chart still drew the pace line and said "against an expected 59 %"."""
    svg = check_svg(burnup([(START, 0.2)], ident="b", label="B", start=START, end=END, as_of=AS_OF, goal=None), "burnup")
    assert not by_class(svg, "pace")
    assert svg.find(NS + "desc").text == ("Progress 20 % on 2026-11-23; period 2026-10-01 to 2026-12-31, "
                                          "cancelled: no progress is expected of it")


# --- language of parts (QA DV F1) ------------------------------------------------------------------

def test_a_chart_of_a_site_in_another_language_marks_its_own_words_english_and_a_goal_s_title_not():
    """WCAG 3.1.2: "target 50,000 USD", "today" and the description are okrsite's English words; a chart
    named by a KPI's or key result's title alone gives that title the site's language back."""
    values = series((0, 1), (10, 3), (20, 2))
    for kind, chart in (("sparkline", sparkline(values, ident="mrr", label="הכנסה", unit="USD", language="he")),
                        ("line", line_chart(values, ident="mrr", label="הכנסה", target=4, language="he"))):
        svg = check_svg(chart, kind)
        assert (svg.get("lang"), svg[0].get("lang"), svg[1].get("lang")) == ("en", "he", None)
    progress = check_svg(burnup(values, ident="b", label="Progress of להגדיל", start=D, end=D + timedelta(days=90), as_of=D + timedelta(days=20),
                                goal=1.0, language="he"), "burnup")
    assert (progress.get("lang"), progress[0].get("lang")) == ("en", None), "a name that mixes both is read in English"


def test_a_chart_without_a_language_marks_nothing():
    values = series((0, 1), (10, 3))
    for chart in (sparkline(values, ident="s", label="S"), line_chart(values, ident="l", label="L", target=4),
                  burnup(values, ident="b", label="B", start=D, end=D + timedelta(days=90), as_of=D + timedelta(days=20), goal=1.0)):
        assert " lang=" not in chart


# --- a KPI chart's time axis runs to the as-of date (QA EE) ----------------------------------------

def date_labels(svg: ET.Element) -> list[str]:
    return [t.text for t in by_class(svg, "label") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")]


def test_the_time_axis_runs_to_the_as_of_date_and_marks_it_today():
    """QA EE: the chart as of April and as of December was the same, its axis ending at the latest value:
    months without a value did not show. It runs on to the as-of date, marked "today" as a burn-up is."""
    points = series((0, 11), (28, 11.5), (59, 11.8))  # 2026-10-01 … 2026-11-29
    april = check_svg(line_chart(points, ident="c", label="C", target=12, as_of=date(2026, 12, 6)), "line")
    december = check_svg(line_chart(points, ident="c", label="C", target=12, as_of=date(2027, 6, 1)), "line")
    (line,), (today,) = by_class(december, "today"), by_class(december, "today-label")
    w, _ = viewbox(december)
    assert today.text == "today" and line.get("x1") == line.get("x2") and float(line.get("x1")) == w - 12 - 4
    assert date_labels(december)[:2] == ["2026-10-01", "2027-06-01"]
    last_dot = float(by_class(december, "dot")[-1].get("cx"))
    assert last_dot < (w - 16) / 3, "the latest value, in November, sits in the first third of an axis to June"
    assert float(by_class(april, "dot")[-1].get("cx")) > last_dot
    assert december.find(NS + "desc").text.startswith("3 values from 2026-10-01 to 2026-11-29, latest 11.8, none since, up to today (2027-06-01)")


@pytest.mark.parametrize("as_of", [None, D + timedelta(days=59), D + timedelta(days=30)])
def test_a_chart_whose_latest_value_is_of_the_as_of_date_or_later_is_drawn_as_before(as_of):
    points = series((0, 11), (28, 11.5), (59, 11.8))
    drawn = line_chart(points, ident="c", label="C", target=12, as_of=as_of)
    assert drawn == line_chart(points, ident="c", label="C", target=12) and "today" not in drawn


def test_a_long_series_has_month_ticks_up_to_the_as_of_date():
    points = [(date(2026, 1, 1) + timedelta(days=n), float(n)) for n in range(90)]
    svg = check_svg(line_chart(points, ident="c", label="C", frequency="daily", as_of=date(2026, 12, 6)), "line")
    ticks = [t.text for t in by_class(svg, "label") if t.get("text-anchor") == "middle" and not re.match(r"\d{4}-", t.text or "")]
    assert ticks[-1] in ("Dec", "Nov", "Oct") and len(by_class(svg, "today")) == 1


def test_one_value_long_ago_is_written_beside_its_dot_inside_the_chart():
    svg = check_svg(line_chart(series((0, 7)), ident="c", label="C", as_of=D + timedelta(days=200)), "line")
    label = latest_label(svg)
    assert label.get("text-anchor") == "start" and float(label.get("x")) >= 0 and date_labels(svg) == ["2026-10-01", "2027-04-19"]


# --- where the target's and threshold's labels go (QA EE) ------------------------------------------

def line_through(svg: ET.Element, box) -> bool:
    from okrsite.web.charts import _inside

    for line in by_class(svg, "line"):
        xy = [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
        if any(_inside(a, b, box) > 0 for a, b in zip(xy, xy[1:])):
            return True
    return any(box[0] - 3 < float(d.get("cx")) < box[2] + 3 and box[1] - 3 < float(d.get("cy")) < box[3] + 3 for d in by_class(svg, "dot"))


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_threshold_label_is_not_drawn_across_the_first_values():
    """QA EE (repro-5): NPS -5, 0, 12, … with threshold 0: "threshold 0" was crossed by the line between
    the first two points. It goes where the line does not run: here after the second value, below its line."""
    nps = [(date(2025, 3, 31), -5), (date(2025, 6, 30), 0), (date(2025, 9, 30), 12), (date(2025, 12, 31), 18),
           (date(2026, 3, 31), 25), (date(2026, 6, 30), 31), (date(2026, 9, 30), 28)]
    svg = check_svg(line_chart(nps, ident="c", label="NPS", target=30, threshold=0, frequency="quarterly"), "line")
    (threshold,), (target,) = by_class(svg, "threshold-label"), by_class(svg, "target-label")
    (line,) = [e for e in by_class(svg, "threshold") if e.tag == NS + "line"]
    assert not line_through(svg, label_box(threshold)) and not line_through(svg, label_box(target))
    assert float(threshold.get("y")) > float(line.get("y1")), "below its line, as the lower mark's label is"
    assert float(threshold.get("x")) < viewbox(svg)[0] * 0.5, "still at the left, where the labels are read"


def test_labels_of_two_lines_close_together_are_drawn_apart():
    """QA EE: latency in ms, then in s: "target 0.8 s" was drawn over "threshold 1.2 s" at the foot of the chart."""
    points = series((0, 800), (7, 810), (14, 820), (35, 0.81), (42, 0.83))
    svg = check_svg(line_chart(points, ident="c", label="C", unit="s", target=0.8, threshold=1.2), "line")
    (target,), (threshold,), latest = by_class(svg, "target-label"), by_class(svg, "threshold-label"), latest_label(svg)
    boxes = [label_box(target), label_box(threshold), label_box(latest)]
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), boxes


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.floats(-100, 100)), min_size=1, max_size=40), st.floats(-100, 100), st.floats(-100, 100))
def test_the_labels_never_cover_each_other(offsets, target, threshold):
    svg = check_svg(line_chart(series(*offsets), ident="c", label="C", target=target, threshold=threshold, as_of=D + timedelta(days=420)), "line")
    labels = by_class(svg, "target-label") + by_class(svg, "threshold-label") + by_class(svg, "latest-label") + by_class(svg, "today-label")
    boxes = [label_box(label) for label in labels]
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), [(label.text, box) for label, box in zip(labels, boxes)]


WEEKS_2024 = [(date(2024, 1, 1) + timedelta(weeks=i), 10.0 + i % 5) for i in range(13)]


def test_a_retired_kpis_line_chart_ends_at_its_retired_day_with_no_today_line():
    """QA EH: run to an as-of day years later, its values took the left 7 % of the plot."""
    svg = check_svg(line_chart(WEEKS_2024, ident="c", label="C", target=20, as_of=date(2026, 11, 20), retired=date(2024, 4, 3)), "line")
    width, _ = viewbox(svg)
    assert not by_class(svg, "today")
    (mark,) = [e for e in by_class(svg, "retired") if e.tag == NS + "line"]
    dots = [float(c.get("cx")) for c in by_class(svg, "dot")]
    assert dots[-1] > 0.8 * width and float(mark.get("x1")) > dots[-1]
    assert "none since, retired on 2024-04-03" in svg.find(NS + "desc").text


def test_a_kpi_retired_on_its_last_values_day_ends_the_chart_there():
    svg = check_svg(line_chart(WEEKS_2024, ident="c", label="C", as_of=date(2026, 11, 20), retired=WEEKS_2024[-1][0]), "line")
    assert not by_class(svg, "today") and not by_class(svg, "retired")
    assert "today" not in svg.find(NS + "desc").text


def label_box(label: ET.Element) -> tuple[float, float, float, float]:
    """Where a label's text lies at the size a phone shows it (18 units high): left, top, right, bottom."""
    x, base, w = float(label.get("x")), float(label.get("y")), len(label.text) * CHAR * ROOM
    left = x - w if label.get("text-anchor") == "end" else x - w / 2 if label.get("text-anchor") == "middle" else x
    return left, base - 0.75 * ROOM, left + w, base + 0.25 * ROOM


def mark_lines(svg: ET.Element) -> dict[str, float]:
    return {name: float(line.get("y1")) for name in ("target", "threshold", "keep") for line in by_class(svg, name)}


def data_through(svg: ET.Element, box) -> list[tuple[float, float]]:
    """The points of the data line (sampled along it) and the dots inside ``box``, shrunk by a unit."""
    (line,) = by_class(svg, "line")
    xy = [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
    found = [(x1 + (x2 - x1) * k / 40, y1 + (y2 - y1) * k / 40) for (x1, y1), (x2, y2) in zip(xy, xy[1:]) for k in range(41)]
    found += [(float(dot.get("cx")), float(dot.get("cy"))) for dot in by_class(svg, "dot")]
    return [(x, y) for x, y in found if box[0] + 1 < x < box[2] - 1 and box[1] + 1 < y < box[3] - 1]


def test_close_target_and_threshold_labels_lie_each_on_its_own_side_crossed_by_no_line():
    """QA EL: target 4 h and threshold 4.2 h at the foot of the plot: "target 4 h" was drawn between the two
    lines, the threshold's line through it, and read as the threshold's label."""
    svg = check_svg(line_chart(series((0, 9.5), (14, 7.0), (28, 5.5), (42, 4.3)), ident="c", label="C", unit="h",
                               target=4, threshold=4.2), "line")
    lines = mark_lines(svg)
    for name, at in lines.items():
        box = label_box(by_class(svg, f"{name}-label")[0])
        other = lines["threshold" if name == "target" else "target"]
        assert not box[1] < other < box[3], (name, box, lines)
        assert (box[1] >= at) if other < at else (box[3] <= at + 1), (name, box, lines)  # away from the other line


def test_a_latest_value_just_under_its_target_is_written_clear_of_the_lines():
    """QA EL: -2 kUSD under a target of 0 was written on the target's line (and the data line)."""
    svg = check_svg(line_chart(series((0, -120), (30, -60), (61, -2)), ident="c", label="C", unit="kUSD", target=0,
                               threshold=-50, as_of=D + timedelta(days=84)), "line")
    label, dot = latest_label(svg), by_class(svg, "dot")[-1]
    box, cy = label_box(label), float(dot.get("cy"))
    assert not any(min(box[1], cy) <= y <= max(box[3], cy) for y in mark_lines(svg).values()), box
    assert not data_through(svg, box)


def test_a_guardrail_label_is_clear_of_the_data_line():
    """QA EL: the example's gross-margin chart had the line through "keep at or above 70%"."""
    svg = check_svg(line_chart(series((0, 71.2), (14, 69.4), (28, 70.8), (42, 72.4)), ident="g", label="Margin", unit="%",
                               keep=("above", 70)), "line")
    assert not data_through(svg, label_box(by_class(svg, "keep-label")[0]))


def test_the_latest_value_leaves_the_dots_before_it_uncovered():
    """QA EL: the example's "1,260 ms" covered the dot before it."""
    values = [1420, 1380, 1350, 1330, 1300, 1290, 1280, 1275, 1265, 1260]
    svg = check_svg(line_chart(series(*[(7 * i, v) for i, v in enumerate(values)]), ident="c", label="C", unit="ms",
                               target=800, threshold=1200), "line")
    box = label_box(latest_label(svg))
    assert not [dot for dot in by_class(svg, "dot")[:-1]
                if box[0] - 3 < float(dot.get("cx")) < box[2] + 3 and box[1] - 3 < float(dot.get("cy")) < box[3] + 3]
