"""Charts of long series (QA CL 2): a gap of more than twice the KPI's frequency breaks the line, a dot
per value only while dots stay apart, month ticks on a long time axis, a sparkline of recent values;
and the latest value written apart from the lines it is judged against (QA CL 1)."""

from datetime import date, timedelta

from okrsite.web import charts
from okrsite.web.charts import line_chart, sparkline

from .test_charts import by_class, check_svg

START = date(2024, 11, 5)


def _daily(days: range, value: float = 99.9) -> list[tuple[date, float]]:
    return [(START + timedelta(days=n), round(value + (n % 7) / 100, 2)) for n in days]


def test_a_gap_of_weeks_in_a_daily_series_breaks_its_line():
    points = _daily(range(0, 100)) + _daily(range(130, 200))
    svg = check_svg(line_chart(points, ident="k", label="K", unit="%", frequency="daily"), "line")
    lines = by_class(svg, "line")
    assert [len(line.get("points").split()) for line in lines] == [100, 70]
    assert "broken by 1 gap of more than twice its daily frequency" in svg[1].text


def test_a_gap_within_twice_the_frequency_keeps_the_line_whole():
    points = [(START + timedelta(days=n), 1.0) for n in (0, 7, 21, 28)]  # 14 days: twice weekly
    svg = check_svg(line_chart(points, ident="k", label="K", frequency="weekly"), "line")
    assert len(by_class(svg, "line")) == 1 and "gap" not in svg[1].text


def test_without_a_frequency_the_line_is_whole():
    points = _daily(range(0, 10)) + _daily(range(300, 310))
    assert len(by_class(check_svg(line_chart(points, ident="k", label="K"), "line"), "line")) == 1


def test_a_long_series_is_drawn_without_a_dot_per_value_but_a_lone_value_keeps_its_own():
    points = _daily(range(0, 700)) + _daily(range(720, 721)) + _daily(range(740, 745))
    svg = check_svg(line_chart(points, ident="k", label="K", frequency="daily"), "line")
    dots = by_class(svg, "dot")
    assert len(dots) == 1 and dots[0].find("{http://www.w3.org/2000/svg}title").text.startswith(f"{START + timedelta(days=720)}:")


def test_a_short_series_keeps_a_dot_per_value():
    points = _daily(range(charts.DOTS_UP_TO))
    assert len(by_class(check_svg(line_chart(points, ident="k", label="K", frequency="daily"), "line"), "dot")) == charts.DOTS_UP_TO


def test_a_long_time_axis_has_month_ticks():
    svg = check_svg(line_chart(_daily(range(0, 700)), ident="k", label="K", frequency="daily"), "line")
    ticks = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text") if text.get("y") == "255"]
    assert ticks == ["Jan 2025", "Jul", "Jan 2026", "Jul"]
    assert len(by_class(svg, "tick")) == 4


def test_a_sparkline_draws_only_the_recent_values():
    svg = check_svg(sparkline(_daily(range(0, 400)), ident="k", label="K", unit="%"), "sparkline")
    assert len(by_class(svg, "line")[0].get("points").split()) == charts.SPARK_VALUES
    assert svg[1].text.startswith(f"{charts.SPARK_VALUES} values from {START + timedelta(days=400 - charts.SPARK_VALUES)}")


def test_the_latest_value_is_written_apart_from_the_target_and_threshold():
    points = [(START, 4.0), (START + timedelta(days=1), 5.001)]
    svg = check_svg(line_chart(points, ident="k", label="K", unit="s", target=2, threshold=5), "line")
    assert by_class(svg, "latest-label")[0].text == "5.001 s"
    assert "latest 5.001 s" in svg[1].text
    spark = check_svg(sparkline([(START, 99.996)], ident="k", label="K", unit="%", lines=(99.999, None)), "sparkline")
    assert spark[1].text.endswith("latest 99.996%")
