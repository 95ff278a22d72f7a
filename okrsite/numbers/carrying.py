"""Which carry-over runs carry a roll-up (an objective without key results of its own, whose progress
is its children's) into its next period: the review page names them, and `okrsite carry-over` says
them of a roll-up its run leaves. A roll-up is carried only with a child carried in the same run."""

from __future__ import annotations

from typing import Callable

from ..goals.model import Objective, Period, Site
from .compute import Scores
from .forecast import scoring

FINISHED = ("achieved", "cancelled")  # an objective landed, which no carry-over continues


def runs_carrying(site: Site, scores: Scores, roll_up: Objective, into: Period,
                  next_of: Callable[[Period], Period | None]) -> list[tuple[Period, Period]]:
    """The carry-over runs (FROM, TO), earliest first, that carry ``roll_up`` (no key results of its own)
    into ``into`` with its unfinished children of shorter periods that nothing continues yet: a year
    goes with its last quarter's run (carryover._roll_ups_along). A child that is a roll-up itself (a
    half-year over its quarters) goes with its children's runs, to any depth, and with its own period's
    when that run carries it (a child of its own period carried in it); else with its own period's.
    ``next_of``: the period a period's objectives are carried into."""
    runs: set[tuple[Period, Period]] = set()
    for child in _open_children(site, scores, roll_up, shorter=True):
        after = next_of(child.period)
        if after is not None and after.within(into):
            if scoring(child.key_results) or own_run_carries(site, scores, child):
                runs.add((child.period, after))
            if not scoring(child.key_results):
                runs.update(runs_carrying(site, scores, child, after, next_of))
    return sorted(runs, key=lambda run: (run[0].start, run[0].days))


def _open_children(site: Site, scores: Scores, roll_up: Objective, shorter: bool) -> list[Objective]:
    """``roll_up``'s children that a carry-over may still carry (not achieved or cancelled, continued by
    nothing yet): of shorter periods within its own, or of its own period."""
    return [child for child in map(site.objectives.get, site.children.get(roll_up.id, ()))
            if child is not None and child.period is not None and not site.followed_by.get(child.id)
            and scores.objectives[child.id].status not in FINISHED
            and ((child.period != roll_up.period and child.period.within(roll_up.period)) if shorter else child.period == roll_up.period)]


def own_run_carries(site: Site, scores: Scores, roll_up: Objective) -> bool:
    """Whether the carry-over of ``roll_up``'s own period carries it: a roll-up goes only with a child of
    its own period carried in that run (QA EV 1: `carry-over 2026-H2 2027-H1` was named for a half-year
    whose children were all quarters, and carried nothing)."""
    return any(scoring(child.key_results) or own_run_carries(site, scores, child) for child in _open_children(site, scores, roll_up, shorter=False))
