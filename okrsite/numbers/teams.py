"""Teams that roll up: the objectives that count for a team (its own, its members', its sub-teams'),
and a team's figures for one period. Pure functions of the model and the scores."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..goals.model import Period, Site
from .compute import Scores, grade_band

# How bad each status is, for "worst first": behind, then at risk, then everything else.
_BAD, _RISK = frozenset({"off-track", "missed"}), frozenset({"at-risk"})


@dataclass(frozen=True)
class TeamGroup:
    """Objectives of one team as they count for a team above it: ``depth`` 0 is the team itself."""

    team: str
    depth: int
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class TeamFigures:
    """A team's period: its objectives (sub-teams' and members' included), the cancelled left out of
    the figures; mean progress and expected progress, and after the period the mean grade."""

    objectives: tuple[str, ...]
    counted: int
    progress: float | None
    expected: float | None
    grade: float | None
    statuses: Mapping[str, int]

    @property
    def band(self) -> str | None:
        return grade_band(self.grade)

    @property
    def worst_first(self) -> tuple:
        """Sort key: after the period the lowest average grade (a grade of 0.7 is a good result,
        even when "missed"); else the share of off-track objectives, then of at-risk ones, then the
        furthest behind its expected progress. A team with no counted objective last."""
        if not self.counted:
            return (1, 0.0, 0.0, 0.0)
        if self.grade is not None:
            return (0, self.grade, 0.0, 0.0)
        share = lambda states: sum(n for s, n in self.statuses.items() if s in states) / self.counted  # noqa: E731
        behind = (self.progress or 0.0) - (self.expected or 0.0)
        return (0, -share(_BAD), -share(_RISK), behind)


def home_teams(site: Site) -> dict[str, tuple[str, ...]]:
    """Objective id -> the teams it belongs to directly: its owner when that is a team, else the most
    specific teams its owner leads or is a member of (a member of Engineering and of its Platform
    team: Platform). An objective of a person in no team belongs to none."""
    of_person: dict[str, tuple[str, ...]] = {}
    for name, person in site.people.items():
        ancestors = {a for t in person.teams for a in _ancestors(site, t)}
        of_person[name] = tuple(t for t in person.teams if t in site.teams and t not in ancestors)
    return {o.id: (o.owner,) if o.owner in site.teams else of_person.get(o.owner, ()) for o in site.objectives.values()}


def _ancestors(site: Site, team: str) -> list[str]:
    found, seen = [], {team}
    parent = site.teams[team].parent if team in site.teams else None
    while parent in site.teams and parent not in seen:
        found.append(parent)
        seen.add(parent)
        parent = site.teams[parent].parent
    return found


def team_groups(site: Site) -> dict[str, tuple[TeamGroup, ...]]:
    """Team id -> its objectives grouped by team: its own and its members' first, then each sub-team's
    (depth first, in the sub-teams' order), objectives in the site's order within a group."""
    direct: dict[str, list[str]] = {t: [] for t in site.teams}
    for ident, teams in home_teams(site).items():
        for t in teams:
            direct[t].append(ident)
    groups: dict[str, tuple[TeamGroup, ...]] = {}

    def of(team: str, visiting: frozenset) -> tuple[TeamGroup, ...]:
        if team not in groups:
            found = [TeamGroup(team, 0, tuple(direct[team]))]
            for sub in site.sub_teams.get(team, ()):
                if sub not in visiting:
                    found += [TeamGroup(g.team, g.depth + 1, g.objectives) for g in of(sub, visiting | {team})]
            groups[team] = tuple(found)
        return groups[team]

    for team in site.teams:
        of(team, frozenset())
    return groups


def team_objectives(groups: Iterable[TeamGroup]) -> tuple[str, ...]:
    """Every objective of the groups once (a person in two sub-teams counts once), in group order."""
    return tuple(dict.fromkeys(ident for g in groups for ident in g.objectives))


def team_figures(site: Site, scores: Scores, groups: Iterable[TeamGroup], period: Period) -> TeamFigures:
    """The team's figures for ``period``: over its objectives of that period, cancelled left out."""
    return figures_of(scores, by_period(site, groups).get(period, ()), period)


def by_period(site: Site, groups: Iterable[TeamGroup]) -> dict[Period, tuple[str, ...]]:
    """The objectives of the groups (team_objectives) by period, each period's in group order: a team's
    figures are asked for every period, and comparing periods one by one cost 150,000 comparisons at 10k."""
    found: dict[Period, list[str]] = {}
    for ident in team_objectives(groups):
        found.setdefault(site.objectives[ident].period, []).append(ident)
    return {period: tuple(ids) for period, ids in found.items()}


def figures_of(scores: Scores, objectives: tuple[str, ...], period: Period) -> TeamFigures:
    """The figures of ``objectives``, all of ``period``: cancelled ones left out."""
    counted = [scores.objectives[i] for i in objectives if scores.objectives[i].status != "cancelled"]

    def mean(values: list[float]) -> float | None:
        return sum(values) / len(values) if values else None

    graded = [s.grade for s in counted if s.grade is not None]
    return TeamFigures(
        objectives, len(counted), mean([s.progress for s in counted]), mean([s.expected for s in counted]),
        mean(graded) if period.end < scores.as_of else None, dict(Counter(s.status for s in counted)),
    )
