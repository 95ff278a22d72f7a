import pytest

from okrsite.goals.diagnostics import did_you_mean


@pytest.mark.parametrize("word, candidates, hint", [
    ("grow-custmer-base", ["grow-customer-base", "reduce-churn"], "did you mean 'grow-customer-base'?"),
    ("TOP", ["top", "tap"], "did you mean 'top'?"),  # only the case differs: difflib alone finds nothing
    ("Grow Sales", ["grow-sales", "grow-leads"], "did you mean 'grow-sales'?"),  # the title for the id
    ("Committed", ["committed", "aspirational"], "did you mean 'committed'?"),
    ("REDUCE-CHRN", ["reduce-churn"], "did you mean 'reduce-churn'?"),
    ("xyz", ["top"], ""),
])
def test_the_nearest_candidate_whatever_the_case(word, candidates, hint):
    assert did_you_mean(word, candidates) == hint
