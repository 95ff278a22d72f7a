"""Which carry-over runs carry a roll-up (an objective without key results of its own, whose progress
is its children's) into its next period: the review page names them, and `okrsite carry-over` says
them of a roll-up its run leaves. A roll-up is carried only with a child carried in the same run.
And a follower's key result whose start is no longer where the one it continues ended (moved_finals)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping

from ..git.checkins import Logs, in_order, merge_points
from ..git.history import Commit
from ..goals.formats import reaches_target, same_number
from ..goals.model import DataPoint, KeyResult, Objective, Period, Site, carried_starts, counterpart, follows_kpi, once_per_site, stood_on
from .compute import KRScore, Scores
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


@dataclass(frozen=True)
class MovedFinal:
    """A key result of a follower written by carry-over, whose start is the final value of the key
    result of the same title it continues, as that value was then (SPEC §13), and no longer is: a late
    correction of a KPI's value, a late check-in (QA EW). Its new period counts the work between the
    two again (start 4 → now 5, where 2026-Q4 ended at 5), or less than none (-42 %)."""

    index: int  # of the follower's key result
    start: float
    final: float  # where the key result it continues ended, as the site counts it now
    period: Period  # the one that ended
    changed: date | None  # the day of the commit that wrote that final value, when git says it came after the follower's
    stood: bool  # carried while that period ran ("stood on …, before … ended"), its start where it stood that day: never final
    reached: bool  # that final value reaches its target: carry-over leaves such a key result out (SPEC §13)
    confidential: bool  # either key result is (SPEC §14): a public build says neither number


def moved_finals(site: Site, scores: Scores, o: Objective) -> tuple[MovedFinal, ...]:
    """``o``'s key results whose start is not the final value of the one they continue, once its period
    has ended: only where ``o``'s body still says its key results start where that one ended (or stood:
    carry-over's first line), so that a start set apart on purpose (the line taken out) is left alone.
    A number withheld from the public (SPEC §14) is compared with nothing."""
    return _of_every_follower(site, scores).get(o.id, ())


def _of_every_follower(site: Site, scores: Scores) -> Mapping[str, tuple[MovedFinal, ...]]:
    """moved_finals of each follower that has some, made once per Site and Scores: `check`, the pages
    and okrs.json ask it of the same ones, and so cannot say different ones."""
    kept = once_per_site(site, ("moved finals",), lambda: [lambda: None, {}])  # [a weak reference to the Scores, what they make]
    if kept[0]() is not scores:
        found = ((o.id, _moved_finals(site, scores, o)) for o in site.objectives.values() if o.follows)
        kept[:] = [weakref.ref(scores), {ident: moved for ident, moved in found if moved}]
    return kept[1]


def _moved_finals(site: Site, scores: Scores, o: Objective) -> tuple[MovedFinal, ...]:
    old = site.objectives.get(o.follows) if o.follows else None
    if old is None or old.period is None or scores.as_of <= old.period.end or o.id not in scores.objectives or old.id not in scores.objectives:
        return ()
    ended = tuple(zip(old.key_results, scores.objectives[old.id].key_results))
    moved = []
    for kr, score in zip(o.key_results, scores.objectives[o.id].key_results):
        one = counterpart(kr, o.key_results, old.key_results)
        same = [(k, s) for k, s in ended if k is one]
        if kr.form == "numeric" and not score.withheld and len(same) == 1 and _moved(kr, *same[0]):
            moved.append((kr, *same[0]))
    claim = carried_starts(o.doc.body, old.id) if moved else None
    if claim is None:
        return ()
    carried_on = stood_on(o.doc.body, old.id) if claim == "stood" else None
    return tuple(MovedFinal(kr.index, kr.start, s.current, old.period, scores.finals_changed.get((o.id, kr.index)) or _changed_on(scores, old, k, o),
                            claim == "stood" and _where_it_stood(scores, o, kr, old, k, s, carried_on), reaches_target(k.start, k.target, s.current),
                            kr.confidential or k.confidential)
                 for kr, k, s in moved)


def _where_it_stood(scores: Scores, follower: Objective, kr: KeyResult, old: Objective, k: KeyResult, score: KRScore, carried_on: date | None) -> bool:
    """Whether ``kr``'s start is the value ``old``'s key result ``k`` stood at when carry-over wrote
    it on ``carried_on``: a start edited since is neither where it stood nor where it ended. Taken as
    written when nothing says what it stood at (no day, no check-in by then). As the whole site's
    numbers said it, where the public ones have no logs (Scores.starts_stood)."""
    said = scores.starts_stood.get((follower.id, kr.index))
    if said is not None:
        return said
    then = [point.value for point in _known_when_carried(scores, follower, old, k, score) if carried_on is not None and point.date <= carried_on]
    return not then or same_number(kr.start, then[-1])


def _known_when_carried(scores: Scores, follower: Objective, old: Objective, k: KeyResult, score: KRScore) -> tuple[DataPoint, ...]:
    """``old``'s key result ``k``'s check-ins as they were when the commit that added ``follower``'s
    file (carry-over's) was made: a check-in of the same day committed after it (a day's last value)
    is not where it stood then, and one committed before it is. Its check-ins as the site counts them
    without git, or when its value is its KPI's (whose values carry their own dates)."""
    written = _first_commit(scores.logs, follower)
    own = scores.logs.objectives.get(old.id, ()) if scores.logs is not None and written is not None else ()
    if written is None or written.boundary or follows_kpi(k) or k.index >= len(own):
        return score.history
    return merge_points(k.history, tuple(point for commit, point in own[k.index].checkins if in_order(commit) <= in_order(written)))


def _moved(kr: KeyResult, old: KeyResult, score: KRScore) -> bool:
    return (old.form == "numeric" and score.current is not None and not score.withheld
            and not same_number(kr.start, score.current))


def _changed_on(scores: Scores, old: Objective, kr: KeyResult, follower: Objective) -> date | None:
    """The day of the commit that wrote ``old``'s key result ``kr``'s final value as it is (its KPI's
    value of the last day counted, by the commit that converted it into a new unit if one did, as the
    digest names it: KPILog.writer; or its own last change), when it came after the first commit of
    ``follower``'s file: None without git, or when it came before (the start was set apart since)."""
    logs = scores.logs
    written = _first_commit(logs, follower)
    if logs is None or written is None:
        return None
    wrote: Commit | None = None
    if follows_kpi(kr):
        state, log = scores.kpis.get(kr.kpi), logs.kpis.get(kr.kpi)
        last = max((p.date for p in state.values if p.date <= old.period.end), default=None) if state else None
        wrote = log.writer(last) if log is not None and last is not None else None
    elif kr.index < len(own := logs.objectives.get(old.id, ())):
        wrote = next((c for c in reversed(own[kr.index].changes) if c.day <= scores.as_of), None)
    return wrote.day if wrote is not None and in_order(wrote) > in_order(written) and wrote.day <= scores.as_of else None


def _first_commit(logs: Logs | None, follower: Objective) -> Commit | None:
    """The first commit of ``follower``'s file: carry-over's, which wrote its starts. None without git."""
    return next((log.first for log in logs.objectives.get(follower.id, ()) if log.first is not None), None) if logs else None
