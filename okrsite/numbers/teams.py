"""Teams that roll up: the objectives that count for a team (its own, its members', its sub-teams'),
and a team's figures for one period. Pure functions of the model and the scores."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from ..git.checkins import DeletedChild
from ..goals.model import Period, Site, top_teams
from .compute import ObjectiveScore, Scores, grade_band, kind_grades

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
    the figures; mean progress and expected progress, and after the period the mean grade of its
    committed and of its aspirational objectives, apart (as the period's review has them, SPEC §13:
    0.7 is a miss for a committed objective and the goal of an aspirational one). ``grade`` is the
    mean of all, for okrs.json; ``below_goal`` how far the weaker of the two means lies from its goal
    (1.0 committed, the aspirational goal), which orders the teams. ``deleted``: of a finished period,
    its objectives deleted after it ended, counted as they stood (deleted_of): in ``counted`` and every
    mean, and in no page's list, which is why the team page and okrs.json name them."""

    objectives: tuple[str, ...]
    counted: int
    progress: float | None
    expected: float | None
    grade: float | None
    statuses: Mapping[str, int]
    committed: float | None = None
    aspirational: float | None = None
    below_goal: float | None = None
    deleted: tuple[tuple[DeletedChild, ObjectiveScore], ...] = ()  # each with its score as it stood
    bands: Mapping[str, int] = field(default_factory=dict)  # of a finished period, how many counted are graded in each band

    @property
    def cancelled(self) -> int:
        """How many of its objectives are left out of the figures as cancelled."""
        return len(self.objectives) + len(self.deleted) - self.counted

    @property
    def band(self) -> str | None:
        return grade_band(self.grade)

    @property
    def grades(self) -> tuple[tuple[str, float, str | None], ...]:
        """(kind, mean grade, its band) of each kind the team has graded objectives of, committed first."""
        return kind_grades(self.committed, self.aspirational)

    @property
    def worst_first(self) -> tuple:
        """Sort key: after the period the furthest below its goal, by the weaker of its two average
        grades (committed against 1.0, aspirational against the aspirational goal: a team whose
        committed objectives average 0.9 did better than one whose aspirational ones average 0.4);
        else the share of off-track objectives, then of at-risk ones, then the furthest behind its
        expected progress. A team with no counted objective last."""
        if not self.counted:
            return (1, 0.0, 0.0, 0.0)
        if self.below_goal is not None:
            return (0, self.below_goal, 0.0, 0.0)
        share = lambda states: sum(n for s, n in self.statuses.items() if s in states) / self.counted  # noqa: E731
        behind = (self.progress or 0.0) - (self.expected or 0.0)
        return (0, -share(_BAD), -share(_RISK), behind)


def company_team(site: Site) -> str | None:
    """The site's only top-level team, which answers for the whole company; None when there are
    several top-level teams (or none)."""
    tops = top_teams(site.teams)
    return next(iter(tops)) if len(tops) == 1 else None


def home_teams(site: Site) -> dict[str, tuple[str, ...]]:
    """Objective id -> the teams it belongs to directly: its owner when that is a team, else the most
    specific teams its owner leads or is a member of (a member of Engineering and of its Platform
    team: Platform). An objective of no team (of someone in no team: who left, or a removed team's id
    read as a person) belongs to the company team when there is one, so that the company counts every
    objective, finished quarters' as they were graded; else to none."""
    of_person: dict[str, tuple[str, ...]] = {}
    for name, person in site.people.items():
        ancestors = {a for t in person.teams for a in _ancestors(site, t)}
        of_person[name] = tuple(t for t in person.teams if t in site.teams and t not in ancestors)
    company = company_team(site)
    of_no_team = (company,) if company is not None else ()
    return {o.id: (o.owner,) if o.owner in site.teams else of_person.get(o.owner) or of_no_team for o in site.objectives.values()}


def deleted_homes(site: Site, scores: Scores) -> dict[Period, tuple[tuple[DeletedChild, ObjectiveScore, tuple[str, ...]], ...]]:
    """By finished period, its objectives deleted after it ended that count as they stood (Scores.
    deleted_stood), each with its score and the teams it belongs to directly, as home_teams has a live
    one's, by the owner its last version names."""
    if not scores.deleted_stood:
        return {}
    homes = home_teams(replace(site, objectives={c.ident: c.objective for found in scores.deleted_stood.values() for c, _ in found}))
    found: dict[Period, list] = {}
    for deleted in scores.deleted_stood.values():
        for child, score in deleted:
            found.setdefault(child.period, []).append((child, score, homes[child.ident]))
    return {period: tuple(each) for period, each in found.items()}


def deleted_of(homes: Mapping[Period, tuple[tuple[DeletedChild, ObjectiveScore, tuple[str, ...]], ...]], groups: Iterable[TeamGroup],
               period: Period) -> tuple[tuple[DeletedChild, ObjectiveScore], ...]:
    """The objectives of ``period`` deleted after it ended (deleted_homes) that belong to a team of the groups."""
    found = homes.get(period)
    if not found:
        return ()
    teams = {g.team for g in groups}
    return tuple((child, score) for child, score, home in found if teams.intersection(home))


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
    """The team's figures for ``period``: over its objectives of that period, cancelled left out, and
    of a finished one, those deleted after it ended as they stood."""
    groups = tuple(groups)
    return figures_of(site, scores, by_period(site, groups).get(period, ()), period, deleted_of(deleted_homes(site, scores), groups, period))


def period_figures(site: Site, scores: Scores, objectives: tuple[str, ...], period: Period) -> TeamFigures:
    """The figures of a whole period (``objectives``: all of it there are files of), as a team's are made:
    of a finished one, its objectives deleted after it ended count as they stood (Scores.deleted_stood),
    so its review, its page and the archive keep the counts and average grades the period closed with,
    and agree with the company team's figures."""
    return figures_of(site, scores, objectives, period, scores.deleted_stood.get(period.id, ()))


def by_period(site: Site, groups: Iterable[TeamGroup]) -> dict[Period, tuple[str, ...]]:
    """The objectives of the groups (team_objectives) by period, each period's in group order: a team's
    figures are asked for every period, and comparing periods one by one cost 150,000 comparisons at 10k."""
    found: dict[Period, list[str]] = {}
    for ident in team_objectives(groups):
        found.setdefault(site.objectives[ident].period, []).append(ident)
    return {period: tuple(ids) for period, ids in found.items()}


def figures_of(site: Site, scores: Scores, objectives: tuple[str, ...], period: Period,
               deleted: tuple[tuple[DeletedChild, ObjectiveScore], ...] = ()) -> TeamFigures:
    """The figures of ``objectives``, all of ``period``: cancelled ones left out; of the mean progress
    and expected pace, also those whose progress is unknown (a roll-up with nothing left to measure
    whose status is set by hand): they count in the statuses only. ``deleted``: those of a finished
    period deleted after it ended (deleted_of), counted as they stood."""
    counted = [s for i in objectives if (s := scores.objectives[i]).status != "cancelled"]
    counted += [s for _, s in deleted if s.status != "cancelled"]
    measured = [s for s in counted if s.progress is not None]

    def mean(values: list[float]) -> float | None:
        return sum(values) / len(values) if values else None

    ended = period.end < scores.as_of
    graded = [s for s in counted if s.grade is not None] if ended else []
    by_kind = {kind: [s for s in graded if s.kind == kind] for kind in ("committed", "aspirational")}
    means = {kind: mean([s.grade for s in found]) for kind, found in by_kind.items()}
    below = [means[kind] - found[0].goal for kind, found in by_kind.items() if found]
    return TeamFigures(
        objectives, len(counted), mean([s.progress for s in measured]), mean([s.expected for s in measured]),
        mean([s.grade for s in graded]) if ended else None, dict(Counter(s.status for s in counted)),
        means["committed"], means["aspirational"], min(below) if below else None, deleted, dict(Counter(s.band for s in graded if s.band)),
    )
