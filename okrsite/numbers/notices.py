"""Notices: what time passing alone makes true (a KPI or an objective gone stale, a status set by hand
on a period that has ended), reported but never an error."""

from __future__ import annotations

from datetime import date

from ..goals.diagnostics import Report
from ..goals.formats import one_form
from ..goals.model import Objective, Site
from .compute import SETTLED, Scores

SETTLE_HINT = "set status: achieved, missed or cancelled, or remove status: so that its grade decides"


def notice_time(site: Site, scores: Scores, report: Report, default_period: str | None = None) -> None:
    """Every notice: time passing alone makes them, so they never fail a build (unless --fail-on-stale asks)."""
    _stale_kpis(site, scores, report)
    _stale_objectives(site, scores, report)
    _left_open(site, scores.as_of, report)
    if default_period:
        _on_the_default_period(site, scores.as_of, default_period, report)


def _stale_kpis(site: Site, scores: Scores, report: Report) -> None:
    for ident, state in scores.kpis.items():
        if state.stale:
            kpi = site.kpis[ident]
            line = kpi.doc.line("data") if kpi.data else kpi.doc.line("values")
            measured = f"{kpi.frequency} data" if kpi.frequency_given else "no frequency set: taken as monthly"
            report.notice(kpi.doc.path, line, f"stale KPI: the latest value is {state.age_days} days old ({measured})", "add a newer value, or set 'frequency' to how often it is really measured")


def _stale_objectives(site: Site, scores: Scores, report: Report) -> None:
    since = scores.logs.known_since() if scores.logs else None
    for ident, score in scores.objectives.items():
        last = score.quiet_since(since)
        if score.stale and last is not None:
            doc = site.objectives[ident].doc
            report.notice(
                doc.path, doc.line("key_results"), f"stale objective: its numbers have not changed for {(scores.as_of - last).days} days",
                "check in a value for its key results (a new current: or history entry), or set 'status:' to achieved, missed or cancelled if it is settled",
            )


def _left_open(site: Site, as_of: date, report: Report) -> None:
    for o in site.objectives.values():
        if left_open(o, as_of):
            report.notice(o.doc.path, o.doc.line("status"), left_open_message(o), SETTLE_HINT)


def _on_the_default_period(site: Site, as_of: date, default_period: str, report: Report) -> None:
    """An objective without `period:` takes default_period: when that period is over, the next step
    is to move default_period on, and the objective would move with it, into the new quarter, its
    grade and review gone. Said while it can still be written down. Only the objectives of that
    period, once ended, have their front matter looked at (a warm build keeps the rest packed)."""
    named = one_form(default_period.strip()).casefold()
    period = next((p for p in site.periods.values() if one_form(p.id).casefold() == named), None)
    if period is None or as_of <= period.end:
        return
    for o in site.objectives.values():
        if o.period == period and o.doc.meta.get("period") is None:
            report.notice(o.doc.path, o.doc.line("title"), f"the objective has no 'period:' and takes default_period ({o.period.id}), which ended on {o.period.end.isoformat()}",
                          f"write 'period: {o.period.id}' in it before default_period moves on, or it moves with it into the next period", timed=False)


def left_open(o: Objective, as_of: date) -> bool:
    """An in-progress status (on-track, at-risk, off-track) set by hand on a period that ended before
    ``as_of``: a manual status wins over the computed one (SPEC §6), so the site would go on saying
    "at-risk (set by hand)" for a quarter that is over, and nothing would grade it achieved or missed."""
    return o.status is not None and o.status not in SETTLED and o.period is not None and as_of > o.period.end


def left_open_message(o: Objective) -> str:
    return f"status: {o.status} is set by hand, but {o.period.id} ended on {o.period.end.isoformat()}"
