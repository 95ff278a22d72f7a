"""A value written beside the lines it is judged against never reads as one of them, nor as on their
other side (QA CL 1: 99.996 % against "at least 99.999 %" was "100 %", 5.001 s above a 5 s threshold "5 s")."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings, strategies as st

from okrsite.goals.formats import format_number

decimals = st.integers(min_value=-10**9, max_value=10**9).flatmap(
    lambda n: st.integers(min_value=0, max_value=5).map(lambda places: n / 10 ** places))


def _written(text: str) -> Decimal:
    return Decimal(text.replace(",", "").rstrip("%").replace("$", "").split(" ")[0])


def test_a_value_just_below_a_target_is_not_written_as_the_target():
    assert format_number(99.996, "%", lines=(99.999,)) == "99.996%"
    assert format_number(99.949, "%", lines=(99.95,)) == "99.949%"


def test_a_value_just_above_a_threshold_is_not_written_as_the_threshold():
    assert format_number(5.001, "s", lines=(5, None)) == "5.001 s"


def test_a_value_that_reads_apart_keeps_two_decimals():
    assert format_number(4.123, "s", lines=(5, 4.2)) == "4.12 s"
    assert format_number(99.996, "%") == "100%"


def test_no_more_decimals_than_the_value_has():
    assert format_number(5, "s", lines=(5.001,)) == "5 s"


def test_a_compact_value_that_reads_as_its_line_is_written_in_full():
    assert format_number(12_345, "$", "compact", lines=(12_340,)) == "$12,345"
    assert format_number(12_345, "$", "compact", lines=(20_000,)) == "$12.3k"


@settings(max_examples=400, deadline=None)
@given(decimals, decimals, st.sampled_from(["full", "compact"]))
def test_the_written_value_is_on_the_same_side_of_every_line(value, line, style):
    written = _written(format_number(value, None, "full", lines=(line,))) if style == "full" else None
    if written is None:
        text = format_number(value, None, "compact", lines=(line,))
        if text[-1] in "kMBT":
            size = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}[text[-1]]
            written = Decimal(text[:-1].replace(",", "")) * Decimal(size)
        else:
            written = _written(text)
    exact, at = Decimal(repr(value)), Decimal(repr(line))
    if value != line:
        assert (written > at) == (exact > at) and written != at, (value, line, written)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), st.lists(st.none() | st.floats(allow_nan=True, allow_infinity=True), max_size=3),
       st.sampled_from(["full", "compact", "exact"]))
def test_any_value_against_any_lines_is_written(value, lines, style):
    assert format_number(value, "s", style, lines)
