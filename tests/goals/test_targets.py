"""Targets in words (SPEC §16): every phrase form, in any case and spacing, gives (number, direction,
inclusive, unit); prose does not; a phrase and the same numbers as plain target + direction agree."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, strategies as st

from okrsite.goals.load import SourceDoc
from okrsite.goals.model import KPI
from okrsite.goals.targets import parse_target
from okrsite.numbers.compute import kpi_health

FORMS = [  # (words, direction, inclusive): the handbook's and SPEC §16's
    ("at or above", "up", True), ("at or below", "down", True), ("above", "up", False), ("below", "down", False),
    ("more than", "up", False), ("less than", "down", False), ("greater than", "up", False),
    ("equal or greater than", "up", True), ("equal or less than", "down", True), ("<", "down", False), (">", "up", False),
    (">=", "up", True), ("<=", "down", True), ("at least", "up", True), ("at most", "down", True),
]
UNITS = ["%", "days", "hours", "ms", "USD", None]
DOC = SourceDoc("content/kpis/k.md", "kpi", {}, {})
spaces = st.text(" ", min_size=0, max_size=3)
numbers = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


def any_case(draw, text: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)


@st.composite
def phrases(draw):
    words, direction, inclusive = draw(st.sampled_from(FORMS))
    number, unit = draw(numbers), draw(st.sampled_from(UNITS))
    gap = lambda: draw(spaces) + " "  # noqa: E731 - one or more spaces
    written_words = gap().join(any_case(draw, w) for w in words.split())
    text = draw(spaces) + written_words + draw(spaces) + str(number) + (draw(spaces) + any_case(draw, unit) if unit else "") + draw(spaces)
    return text, float(number), direction, inclusive, unit


@given(phrases())
def test_every_phrase_form_parses_in_any_case_and_spacing(case):
    text, number, direction, inclusive, unit = case
    phrase = parse_target(text)
    assert phrase is not None, text
    assert (phrase.number, phrase.direction, phrase.inclusive) == (pytest.approx(number), direction, inclusive)
    assert (phrase.unit or "").lower() == (unit or "").lower()


@pytest.mark.parametrize("text, expected", [
    ("at or above 84%", (84, "up", True, "%")), ("at or below 50 days", (50, "down", True, "days")),
    ("Below 0.58", (0.58, "down", False, None)), ("Above 99.95%", (99.95, "up", False, "%")),
    ("less than 12 hours", (12, "down", False, "hours")), ("more than 120 hours", (120, "up", False, "hours")),
    ("< 5%", (5, "down", False, "%")), ("> 4.5", (4.5, "up", False, None)),
    ("equal or greater than 99.95%", (99.95, "up", True, "%")), ("at or above 1,200 customers", (1200, "up", True, "customers")),
])
def test_the_handbooks_phrases(text, expected):
    phrase = parse_target(text)
    assert (phrase.number, phrase.direction, phrase.inclusive, phrase.unit) == expected


PROSE = ["TBD", "Confidential", "Confidential, in the planning tool", "tbd", "N/A", "see the planning sheet",
         "New team members rate their onboarding; target above 4.5", "above", "84% by Q3 then 90%", ""]


@pytest.mark.parametrize("text", PROSE)
def test_prose_is_not_a_phrase(text):
    assert parse_target(text) is None


@given(st.text(string.ascii_letters + " ,.;:!?'()-/", max_size=60))
def test_text_without_a_number_is_never_a_phrase(text):
    assert parse_target(text) is None


def kpi(target: float, direction: str, inclusive: bool = True) -> KPI:
    return KPI("k", "K", "o", DOC, target=target, direction=direction, target_inclusive=inclusive)


@given(phrases(), st.floats(-1e6, 2e6, allow_nan=False))
def test_a_phrase_and_plain_target_and_direction_give_the_same_health(case, value):
    text, number, direction, inclusive, _ = case
    phrase = parse_target(text)
    from_words = kpi_health(kpi(phrase.number, phrase.direction, phrase.inclusive), value)
    plain = kpi_health(kpi(number, direction), value)
    if inclusive or value != phrase.number:
        assert from_words == plain
    else:  # "above 95%" is not met by 95: the line itself does not count
        assert (from_words, plain) == ("warning", "healthy")


def test_above_95_is_not_met_by_95_but_at_or_above_is():
    assert kpi_health(kpi(95, "up", inclusive=False), 95) == "warning"
    assert kpi_health(kpi(95, "up", inclusive=True), 95) == "healthy"
    assert kpi_health(kpi(0.58, "down", inclusive=False), 0.58) == "warning"
    assert kpi_health(kpi(0.58, "down", inclusive=False), 0.57) == "healthy"
