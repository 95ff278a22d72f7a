"""okrs.json: the whole model with computed values, for other tools (SPEC §9)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Callable, Iterable, Iterator

from .. import __version__
from ..goals.formats import round_grade, round_ratio
from ..git.checkins import DeletedChild
from ..git.former import NO_RENAMES, Renamed
from ..goals.model import Period, Site, once_per_site
from ..numbers.awaited import Awaited
from ..numbers.carrying import moved_finals
from ..numbers.compute import CorrectedChild, Scores, kpi_trend
from ..numbers.teams import TeamFigures, by_period, deleted_homes, deleted_of, figures_of, team_groups


def _number(value: float | None) -> float | int | None:
    """Whole numbers as JSON integers (1300, not 1300.0)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _checkins(points, withheld: bool = False) -> list[dict]:
    """Key result check-ins and KPI values with where each came from: written in the file, or a commit
    that changed it (for a KPI, source "git" is a value since replaced in the file by a later one, kept
    from the history), and the note. Withheld: who and when only."""
    return [
        _without({"date": p.date.isoformat(), "value": _number(p.value), "source": p.source, "commit": p.commit, "author": p.author, "note": p.note or None},
                 withheld, ("value", "note"))
        for p in points
    ]


KR_WITHHELD = ("start", "target", "current", "keep_above", "keep_below")  # absent on the public site where a key result says "withheld": true
KPI_WITHHELD = ("target", "threshold", "current", "target_text")


def _without(item: dict, withheld: bool, keys: tuple[str, ...]) -> dict:
    """``item`` without ``keys`` when its numbers are withheld (SPEC §14: absent, not null)."""
    return {key: value for key, value in item.items() if key not in keys} if withheld else item


def _withheld(withheld: bool) -> dict:
    """``"withheld": true`` where the public site left a key result's or KPI's numbers out: said apart
    from ``confidential``, which a key result or KPI made public after being confidential is no longer
    while its latest value is one of that time (QA CV)."""
    return {"withheld": True} if withheld else {}


def _kr_forecast(forecast, end, withheld: bool = False) -> dict | None:
    """SPEC §11: the fitted value on the day it is read on (3 decimals), the progress it means, the
    points fitted and that day (_read_on); value null and points 0 for a binary or manual key result
    (absent when withheld)."""
    if forecast is None:
        return None
    value = _number(round_ratio(forecast.value))
    return _without({"value": value, "progress": round_ratio(forecast.progress), "points": forecast.points, "date": _read_on(forecast, end)},
                    withheld, ("value",))


def _read_on(forecast, end) -> str:
    """A forecast's ``date``: the period's last day (``end``), or the earlier one it is read on when its
    key results' KPIs are retired before it (``until``), as the page's "→ 61 by Nov 30" says."""
    return (forecast.until or end).isoformat()


def _unknown(day) -> dict:
    """``forecast_unknown``, only where a shallow clone's history starts too late for a forecast."""
    return {"forecast_unknown": day.isoformat()} if day is not None else {}


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def okrs_json(site: Site, scores: Scores, audience: str = "internal", renamed: Renamed = NO_RENAMES) -> dict:
    """The model with its computed values; of a public site, its public view (web/audience.py), in which
    a withheld number is an absent key. ``renamed``: the former ids git shows (View.renamed)."""
    return {**_head(site, scores, audience), "objectives": [objective_json(site, scores, o, renamed) for o in site.objectives.values()],
            "kpis": [kpi_json(site, scores, k, renamed) for k in site.kpis.values()], "pages": _pages(site)}


def okrs_pieces(site: Site, scores: Scores, audience: str = "internal", objective_text: Callable[[Any], str] | None = None,
                kpi_text: Callable[[Any], str] | None = None, figures: Figures | None = None, renamed: Renamed = NO_RENAMES) -> Iterator[str]:
    """``dumps(okrs_json(...))``, byte for byte, in the order it is written, made of each objective's and
    KPI's own text: those of ``objective_text`` and ``kpi_text`` (the build cache's, kept by what the model
    knows of each), else made here. One objective or KPI at a time: a build writes them as
    they come, so the file (250 MB at 100,000 objectives) is never whole in memory. ``figures``: a
    team's figures in a period as the pages had them made (the View's team_figures), else made here."""
    objective_text = objective_text or (lambda o: dumps(objective_json(site, scores, o, renamed)))
    kpi_text = kpi_text or (lambda k: dumps(kpi_json(site, scores, k, renamed)))
    yield dumps(_head(site, scores, audience, figures))[:-1] + ',"objectives":['
    yield from _separated(map(objective_text, site.objectives.values()))
    yield '],"kpis":['
    yield from _separated(map(kpi_text, site.kpis.values()))
    yield '],"pages":' + dumps(_pages(site)) + "}"


def _separated(texts: Iterable[str]) -> Iterator[str]:
    for n, text in enumerate(texts):
        if n:
            yield ","
        yield text


def _former(ids: tuple[str, ...] | None) -> dict:
    """``former_ids``, only where git shows the item had another id before (git.former.renamed), oldest first."""
    return {"former_ids": list(ids)} if ids else {}


def objective_json(site: Site, scores: Scores, o, renamed: Renamed = NO_RENAMES) -> dict:
    """An objective of okrs.json: everything it shows is in its record (web/pagedigest.py), as the build
    cache's use of it requires."""
    score = scores.objectives[o.id]
    moved = {m.index: m for m in moved_finals(site, scores, o)} if o.follows else {}
    key_results = []
    for kr, s in zip(o.key_results, score.key_results):
        numeric, guardrail = kr.form == "numeric", kr.form == "guardrail"
        key_results.append(_without({
            "id": kr.id, **_former(renamed.key_results.get((o.id, kr.id))), "title": kr.title, "kind": kr.form, "owner": kr.owner,
            "start": _number(kr.start) if numeric else (0 if kr.form == "binary" else None),
            "target": _number(kr.target) if numeric else (1 if kr.form == "binary" else None),
            "current": _number(s.current), "unit": s.unit, "weight": None if guardrail else _number(kr.weight),
            "progress": None if guardrail else round_ratio(s.progress), "ratio": None if guardrail else round_ratio(s.ratio), "kpi": kr.kpi,
            "keep_above": _number(kr.keep_above), "keep_below": _number(kr.keep_below), "held": s.held,
            "forecast": _kr_forecast(s.forecast, o.period.end, s.withheld), **_unknown(s.forecast_unknown), "confidential": kr.confidential,
            **_withheld(s.withheld), "history": _checkins(s.history, s.withheld), "updated": _day(s.updated), "updated_by": s.updated_by, "stale": s.stale,
            **({"corrected_late": {"date": _day(s.corrected_late[0]), "on": _day(s.corrected_late[1])}} if s.corrected_late else {}),
            **({"added_late": {"date": _day(s.added_late.date), "on": _day(s.added_late.on), "awaited": s.added_late.awaited}} if s.added_late else {}),
            **({"predecessor_final": _predecessor_final(moved[kr.index])} if kr.index in moved else {}),
            **({"awaiting": _awaiting(s.awaited)} if s.awaited else {}),
        }, s.withheld, KR_WITHHELD))
    return {
        "id": o.id, **_former(renamed.objectives.get(o.id)), "title": o.title, "period": o.period.id, "owner": o.owner, "parent": o.parent,
        "children": list(site.children.get(o.id, ())), "kind": score.kind, "tags": list(o.tags),
        "progress": round_ratio(score.progress), "expected": round_ratio(score.expected), "status": score.status,
        "status_source": score.status_source, "grade": score.grade, "score": o.score, "retro": o.retro,
        "follows": o.follows, "followed_by": list(site.followed_by.get(o.id, ())),
        "forecast": {"progress": round_ratio(score.forecast.progress), "status": score.forecast.status,
                     "date": _read_on(score.forecast, o.period.end)} if score.forecast else None,
        **_unknown(score.forecast_unknown),
        "breached": score.breached,
        "updated": _day(score.updated), "updated_by": score.updated_by, "stale": score.stale,
        "kpis": list(site.objective_kpis.get(o.id, ())), "key_results": key_results,
        "confidential": o.confidential, "private": o.private,
        **({"private_parent": True} if o.private_parent else {}), **({"counts_private": True} if o.counts_private else {}),
        **({"counted_then": then} if (then := [{"id": c, "progress": round_ratio(p)} for c, p in score.counted_then if c in site.objectives]) else {}),
        **({"left_out": late} if (late := _left_out(site, score)) else {}),
        **({"still_counted": moved} if (moved := [{"id": c, "reason": "moved_after_end"} for c in score.moved_late if c in site.objectives]) else {}),
        **({"deleted_counted": _deleted_counted(score.deleted_counted)} if score.deleted_counted else {}),
        **({"deleted_corrected_late": _corrected_children(score.deleted_corrected)} if score.deleted_corrected else {}),
        **({"counted_corrected_late": _corrected_children(score.counted_corrected)} if score.counted_corrected else {}),
        **({"awaiting": [_awaiting(a) for a in score.awaited]} if score.provisional else {}),
        "url": o.url, "path": o.doc.path,
    }


def _left_out(site: Site, score) -> list[dict]:
    """The children a finished roll-up leaves out, each with why: git held it only after the period
    ended, or held it aligned elsewhere on its last day (numbers.compute.added_after_end)."""
    return [{"id": c, "reason": "aligned_after_end" if c in score.aligned_late else "added_after_end"} for c in score.added_late if c in site.objectives]


def _predecessor_final(moved) -> dict:
    """Where the key result a follower's continues ended, which its start no longer is (numbers.carrying.MovedFinal)."""
    return {"period": moved.period.id, "value": _number(moved.final), "changed_on": _day(moved.changed), "stood": moved.stood}


def _awaiting(awaited: Awaited) -> dict:
    """The KPI figure a finished period's key result still awaits (numbers.awaited.Awaited)."""
    return {"kpi": awaited.kpi, "start": _day(awaited.start), "end": _day(awaited.end), "counted": _day(awaited.counted)}


def _deleted_counted(found: Iterable[tuple[DeletedChild, float]]) -> list[dict]:
    """A finished roll-up's children deleted since that it counts as they stood, with the progress counted."""
    return [{"id": c.ident, "title": c.objective.title, "progress": round_ratio(progress), "deleted_on": _day(c.day), "commit": c.commit}
            for c, progress in found]


def _corrected_children(found: Iterable[CorrectedChild]) -> list[dict]:
    """A finished roll-up's children's key results counted as they stood, with KPI values corrected late."""
    return [{"id": c.objective.id, "key_result": c.key_result.id, "date": _day(c.corrected_late[0]), "on": _day(c.corrected_late[1])} for c in found]


def kpi_json(site: Site, scores: Scores, k, renamed: Renamed = NO_RENAMES) -> dict:
    state = scores.kpis[k.id]
    return _without({
        "id": k.id, **_former(renamed.kpis.get(k.id)), "title": k.title, "owner": k.owner, "unit": k.unit, "direction": k.direction, "direction_given": k.direction_given,
        "target": _number(k.target), "threshold": _number(k.threshold), "current": _number(state.current),
        "current_date": state.current_date.isoformat() if state.current_date else None, "trend": _trend(k, state),
        "health": state.health, "health_source": state.health_source, "health_reasons": list(state.health_reasons),
        "health_set": _day(state.health_set), "target_text": k.target_text, "dashboard": list(k.dashboard), "confidential": k.confidential, **_withheld(state.withheld), "stale": state.stale, "retired": _day(state.retired),
        "updated": _day(state.updated), "updated_by": state.updated_by, "category": k.category, "indicator": k.indicator,
        "frequency": k.frequency, "frequency_given": k.frequency_given, "source": k.source, "objectives": list(site.kpi_objectives.get(k.id, ())),
        "key_results": _key_results_following(site).get(k.id, []),
        "values": _checkins(state.values, state.withheld), "url": k.url, "path": k.doc.path,
    }, state.withheld, KPI_WITHHELD)


def _key_results_following(site: Site) -> dict[str, list[str]]:
    """The ids of the key results that follow each KPI (``kpi:``), in the order of their objectives."""
    def make() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for o in site.objectives.values():
            for kr in o.key_results:
                if kr.kpi:
                    found.setdefault(kr.kpi, []).append(kr.id)
        return found
    return once_per_site(site, ("export", "key_results_following"), make)


def _trend(k, state) -> dict | None:
    """What the KPI's pages say of its trend: "falling, improving" is {"movement": "falling", "improving": true}."""
    trend = kpi_trend(k, state)
    return asdict(trend) if trend else None


def _head(site: Site, scores: Scores, audience: str, figures: Figures | None = None) -> dict:
    people_teams = {name: list(p.teams) for name, p in site.people.items()}
    provisional = {o.period.id for o in site.objectives.values() if o.period is not None and scores.objectives[o.id].unsettled}
    return {
        "generator": f"okrsite {__version__}",
        "as_of": scores.as_of.isoformat(),
        "audience": audience,
        "title": site.title,
        "periods": [{"id": p.id, "start": p.start.isoformat(), "end": p.end.isoformat(), "url": p.url, "review_url": p.review_url,
                     **({"provisional": True} if p.id in provisional else {})} for p in site.periods.values()],
        "teams": teams_json(site, scores, figures),
        "people": [
            {"name": name, "url": p.url, "teams": people_teams[name], "owns": list(p.owns)} for name, p in site.people.items()
        ],
    }


def _pages(site: Site) -> list[dict]:
    return [{"id": p.id, "title": p.title, "url": p.url, "path": p.doc.path} for p in site.pages.values()]


def dumps(data: dict) -> str:
    """Compact JSON: without indent, the json module's C encoder does the work (10x faster at 10k objectives)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def teams_json(site: Site, scores: Scores, figures: Figures | None = None) -> list[dict]:
    """Each team, with its figures in each period where it answers for objectives (``rollup``: its own,
    its members' and its sub-teams', numbers/teams.py). At 10,000 objectives they take 0.2 s to make:
    a build passes those its pages made (``figures``, the same function of the same groups)."""
    figures = figures or _figures(site, scores)
    return [{"id": t.id, "title": t.title, "parent": t.parent, "lead": t.lead, "members": list(t.members), "url": t.url,
             "rollup": _rollup(site, t.id, figures)} for t in site.teams.values()]


Figures = Callable[[str, Period], TeamFigures]  # a team's figures in a period


def _figures(site: Site, scores: Scores) -> Figures:
    groups, homes = team_groups(site), deleted_homes(site, scores)
    by_team: dict[str, dict[Period, tuple[str, ...]]] = {}

    def figures(team: str, period: Period) -> TeamFigures:
        if team not in by_team:
            by_team[team] = by_period(site, groups.get(team, ()))
        return figures_of(site, scores, by_team[team].get(period, ()), period, deleted_of(homes, groups.get(team, ()), period))
    return figures


def _rollup(site: Site, team: str, figures: Figures) -> list[dict]:
    found = []
    for period in site.periods.values():
        f = figures(team, period)
        if f.objectives or f.deleted:
            found.append({"period": period.id, "objectives": list(f.objectives), "counted": f.counted, "progress": round_ratio(f.progress),
                          "expected": round_ratio(f.expected), "grade": round_grade(f.grade), "committed_grade": round_grade(f.committed),
                          "aspirational_grade": round_grade(f.aspirational), "statuses": dict(f.statuses),
                          **({"deleted_counted": _team_deleted(f)} if f.deleted else {})})
    return found


def _team_deleted(f: TeamFigures) -> list[dict]:
    """A team's finished period's objectives deleted after it ended that its figures count as they stood."""
    return [{"id": c.ident, "title": c.objective.title, "progress": round_ratio(s.progress), "grade": round_grade(s.grade),
             "deleted_on": _day(c.day), "commit": c.commit} for c, s in f.deleted]
