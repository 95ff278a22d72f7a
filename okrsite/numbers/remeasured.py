"""A KPI measured anew in another unit (QA EE): a commit changed its `unit:` together with its target
or threshold ("800 ms" became "0.8 s"). Its values and the numbers of the key results that follow it
carry no unit of their own, so those written before that commit are read in the new unit. What the
history shows of them is a warning at its line: the values still in the old unit, and the key results
whose numbers are."""

from __future__ import annotations

from datetime import date

from ..git.checkins import KPILog, KRLog, UnitChange, in_order, same_unit
from ..goals.diagnostics import Report, plural
from ..goals.formats import format_number
from ..goals.model import KPI, KeyResult, Objective, Site
from ..goals.targets import convert
from .compute import KPIState, Scores
from .forecast import GUARDRAIL, follows_kpi


def warn_remeasured(site: Site, scores: Scores, report: Report) -> None:
    """The warnings of every KPI measured anew by the as-of date, and of the key results that follow it."""
    if scores.logs is None:
        return
    changed = {}
    for ident, log in scores.logs.kpis.items():
        change = log.unit_change(scores.as_of)
        kpi = site.kpis.get(ident)
        if change is not None and kpi is not None and same_unit(kpi.unit, change.unit) and ident in scores.kpis:
            changed[ident] = change
            _old_values(kpi, scores.kpis[ident], log, change, _followers(site, ident), report)
    if changed:
        for o in site.objectives.values():
            if any(kr.kpi in changed for kr in o.key_results):
                for kr, log in zip(o.key_results, scores.logs.objectives.get(o.id, ())):
                    if kr.kpi in changed:
                        _old_numbers(o, kr, log, site.kpis[kr.kpi], scores.logs.kpis[kr.kpi], changed[kr.kpi], report)


def _followers(site: Site, ident: str) -> int:
    return sum(1 for o in site.objectives.values() for kr in o.key_results if kr.kpi == ident and follows_kpi(kr))


def _old_values(kpi: KPI, state: KPIState, log: KPILog, change: UnitChange, followers: int, report: Report) -> None:
    """Values written before the change and not since, in another unit than its new one: okrsite reads
    them in the new unit. Each is named in the unit in force at the commit that wrote it."""
    old = log.in_old_unit(change, (point.date for point in state.values))
    if not old:
        return
    was, unit = change.was, change.unit
    latest = _latest_by_unit(state, log, old)
    dated = old[0].isoformat() if len(old) == 1 else f"{old[0].isoformat()} to {old[-1].isoformat()}"
    readers = ["its page", "its health"] + ([f"{'the key result' if followers == 1 else f'the {followers} key results'} that follow{'s' * (followers == 1)} it"]
                                            if followers else [])
    shown = ", ".join(f"{format_number(value, written)} is shown as {format_number(value, unit)}" for written, value in latest.items())
    message = (f"the unit changed from {was} to {unit} on {change.commit.day.isoformat()} (commit {change.commit.short}), but "
               f"{plural(len(old), 'value')} written before then ({dated}) {'is' if len(old) == 1 else 'are'} read in {unit} by "
               f"{', '.join(readers[:-1])} and {readers[-1]}: {shown}")
    where = f"in {kpi.data}" if kpi.data else "in 'values:'"
    converted = [(written, value, convert(value, written, unit)) for written, value in latest.items()]
    samples = ", ".join(f"{format_number(value, written)} is {format_number(new, unit)}" for written, value, new in converted if new is not None)
    each = ", each from the unit it was written in" if len(latest) > 1 else ""
    sample = f" ({samples})" if samples else ""
    fresh = f"or point 'data:' to a new file for the values in {unit}, keeping the old one as it is" if kpi.data else "or remove them"
    report.warning(kpi.doc.path, _unit_line(kpi), message, f"convert {'it' if len(old) == 1 else 'them'} into {unit} {where}{each}{sample}, {fresh}")


def _latest_by_unit(state: KPIState, log: KPILog, days: list[date]) -> dict[str | None, float]:
    """The latest of the values of ``days`` written in each unit, by that unit, in the order the units were first used."""
    values = {point.date: point.value for point in state.values}
    latest: dict[str | None, float] = {}
    for day in days:
        latest[log.unit_then(log.recorded[day])] = values[day]
    return latest


def _unit_line(kpi: KPI) -> int:
    return kpi.doc.line("unit") if "unit" in kpi.doc.meta else kpi.doc.line("target")


def _old_numbers(o: Objective, kr: KeyResult, log: KRLog, kpi: KPI, kpi_log: KPILog, change: UnitChange, report: Report) -> None:
    """A key result without a unit of its own whose numbers were written before its KPI's unit changed,
    and not since, in another unit than its new one: they are read in the new unit, against the KPI's
    values in it. They are named in the unit in force at the commit that wrote them."""
    if kr.unit is not None or kr.form not in ("numeric", GUARDRAIL) or log.numbers_since is None:
        return
    if in_order(log.numbers_since) >= in_order(change.commit) or not _as_written(kr, log.numbers):
        return
    was, unit = kpi_log.unit_then(log.numbers_since), change.unit
    if same_unit(was, unit):
        return
    keys = [key for key in ("keep_above", "keep_below") if getattr(kr, key) is not None] if kr.form == GUARDRAIL else ["start", "target"]
    numbers = {key: getattr(kr, key) for key in keys}
    written = ", ".join(f"{key} {format_number(value, was)}" for key, value in numbers.items())
    message = (f"this key result follows the KPI '{kpi.title}', whose unit changed from {change.was} to {unit} on {change.commit.day.isoformat()}, "
               f"but its numbers were written before then ({written}): they are read in {unit}, against the KPI's values in {unit}")
    converted = {key: convert(value, was, unit) for key, value in numbers.items()}
    new = (" (" + ", ".join(f"{key}: {format_number(value)}" for key, value in converted.items()) + ")") if None not in converted.values() else ""
    line = o.doc.line("key_results", kr.index, keys[-1])
    report.warning(o.doc.path, line, message, f"write them in {unit}{new}, or have it follow a KPI measured in {was}")


def _as_written(kr: KeyResult, numbers: tuple | None) -> bool:
    """Whether the key result's numbers are those its last committed version wrote (not edited since)."""
    if numbers is None:
        return False
    start, target, above, below = numbers
    return (_same(kr.start, 0 if start is None else start) and _same(kr.target, target)
            and _same(kr.keep_above, above) and _same(kr.keep_below, below))


def _same(value: float | None, written: object) -> bool:
    if value is None or written is None:
        return value is None and written is None
    return isinstance(written, (int, float)) and not isinstance(written, bool) and float(written) == value

