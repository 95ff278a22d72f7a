"""Notices: what time passing alone makes true (a KPI or an objective gone stale), reported but never an error."""

from __future__ import annotations

from ..goals.diagnostics import Report
from ..goals.model import Site
from .compute import Scores


def notice_stale(site: Site, scores: Scores, report: Report) -> None:
    """Stale KPIs and objectives are notices: time passing alone makes them, so they never fail a build
    (unless --fail-on-stale asks)."""
    for ident, state in scores.kpis.items():
        if state.stale:
            kpi = site.kpis[ident]
            line = kpi.doc.line("data") if kpi.data else kpi.doc.line("values")
            measured = f"{kpi.frequency} data" if kpi.frequency_given else "no frequency set: taken as monthly"
            report.notice(kpi.doc.path, line, f"stale KPI: the latest value is {state.age_days} days old ({measured})", "add a newer value, or set 'frequency' to how often it is really measured")
    since = scores.logs.known_since() if scores.logs else None
    for ident, score in scores.objectives.items():
        last = score.quiet_since(since)
        if score.stale and last is not None:
            doc = site.objectives[ident].doc
            report.notice(
                doc.path, doc.line("key_results"), f"stale objective: its numbers have not changed for {(scores.as_of - last).days} days",
                "check in a value for its key results (a new current: or history entry), or set 'status:' to achieved, missed or cancelled if it is settled",
            )
