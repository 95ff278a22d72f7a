"""The digest in words: its sections, groups and lines as plain text, which every format then marks up.

Values are written as the site writes them (`goals.formats`); where the audience may not see a
value (`disclosure`), a line says what moved and by how much of its target, never the number.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..goals.diagnostics import listed, plural
from ..goals.formats import format_change, format_grade, format_number, format_percent
from ..numbers.awaited import DASHBOARD, LATER, RETIRED, STALE
from ..numbers.compute import quiet_for
from .model import (AwaitedValue, CheckIn, DefinitionChange, Digest, ForecastMiss, Graded, HealthChange, KPIUpdate, KRMove, LateAddition, LateCorrection,
                    NeverCame, ObjectiveMoves, Owner, StaleItem, StatusChange)


@dataclass(frozen=True)
class Line:
    title: str  # what the line is about: a key result, an objective, a KPI
    link: str | None
    text: str  # what happened to it, after the title
    details: tuple[str, ...] = ()  # one line per check-in


@dataclass(frozen=True)
class Group:
    """Lines about one objective (its check-ins) or one owner (what of theirs is stale)."""

    title: str | None
    link: str | None
    text: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Section:
    key: str  # as in the JSON format: check_ins, kpi_updates, status_changes, graded, forecast_misses, health_changes, stale
    heading: str
    groups: tuple[Group, ...]

    @property
    def size(self) -> int:
        return sum(len(g.lines) for g in self.groups)


def heading(digest: Digest) -> str:
    span = digest.window
    return f"{digest.title}: what changed from {span.since.isoformat()} to {span.until.isoformat()}"


def summary(digest: Digest) -> str:
    """One sentence: how much of each kind changed, or that nothing did."""
    span = digest.window
    if not digest.changed:
        said = f"Nothing changed from {span.since.isoformat()} to {span.until.isoformat()}."
    else:
        checked, earlier, by_kpis, edited = _moved_how(digest.check_ins)
        check_ins = sum(len(k.check_ins) for o in checked for k in o.key_results)
        with_new = [u for u in digest.kpi_updates if not all(v.corrected for v in u.values)]
        corrected = [u for u in digest.kpi_updates if u.values and all(v.corrected for v in u.values)]
        remeasured = [u for u in digest.kpi_updates if not u.values]
        graded, final, updated = _graded_how(digest.graded)
        counts = [
            (check_ins, f"{plural(check_ins, 'check-in')} on {plural(len(checked), 'objective')}"),
            (len(earlier), f"{plural(len(earlier), 'objective')} moved by check-ins dated before the window"),
            (len(by_kpis), f"{plural(len(by_kpis), 'objective')} moved by KPI values"),
            (len(edited), f"{plural(len(edited), 'objective')} changed without a check-in"),
            (len(with_new), f"{plural(len(with_new), 'KPI')} with new values"),
            (len(corrected), f"{plural(len(corrected), 'KPI')} with {_corrected_values(corrected)}"),
            (len(remeasured), f"{plural(len(remeasured), 'KPI')} measured anew in another unit"),
            (len(digest.status_changes), plural(len(digest.status_changes), "status change")),
            (len(graded), f"{plural(len(graded), 'objective')} graded"),
            (len(final), f"{plural(len(final), 'grade')} made final"),
            (len(updated), f"{plural(len(updated), 'provisional grade')} updated"),
            (len(digest.forecast_misses), f"{plural(len(digest.forecast_misses), 'forecast')} now missing"),
            (len(digest.health_changes), f"{plural(len(digest.health_changes), 'KPI health change')}"),
        ]
        counted = "; ".join(text for count, text in counts if count)
        said = " ".join(filter(None, [f"{counted}." if counted else "", _final_words(digest.final_periods)]))
    stale = sum(len(o.items) for o in digest.stale)
    return said + (f" {plural(stale, 'stale item')} to nudge." if stale else "")


def _graded_how(graded: tuple[Graded, ...]) -> tuple[list[Graded], ...]:
    """The objectives of the Graded section, as the summary counts them: those their owners graded (a
    score or a retro), and of the others, whose month-end KPI values came in or will not come, those
    now final and those still provisional."""
    by_owner = [g for g in graded if g.retro is not None or g.score != g.score_before]
    rest = [g for g in graded if g not in by_owner]
    return by_owner, [g for g in rest if not g.awaiting], [g for g in rest if g.awaiting]


def _final_words(periods: tuple[str, ...]) -> str:
    """"2026-Q4's grades are final.": no key result of the period awaits a month-end KPI value any more."""
    if not periods:
        return ""
    return f"{periods[0]}'s grades are final." if len(periods) == 1 else f"The grades of {listed(periods)} are final."


def _corrected_values(updates: list[KPIUpdate]) -> str:
    """Of KPIs whose only change in the window is values corrected: "a corrected value" for one such value."""
    return "a corrected value" if len(updates) == 1 and len(updates[0].values) == 1 else "corrected values"


def _moved_how(moves: tuple[ObjectiveMoves, ...]) -> tuple[list[ObjectiveMoves], ...]:
    """The objectives of the check-ins section, as the summary counts them: those with a check-in,
    those with check-ins dated before the window only (commits landed out of date order), those that
    moved only because the KPIs their key results follow did (no check-in of their own), and the
    others (a value changed without a check-in)."""
    checked: list[ObjectiveMoves] = []
    earlier: list[ObjectiveMoves] = []
    by_kpis: list[ObjectiveMoves] = []
    edited: list[ObjectiveMoves] = []
    for o in moves:
        if any(k.check_ins for k in o.key_results):
            checked.append(o)
        elif any(k.earlier for k in o.key_results):
            earlier.append(o)
        else:
            (by_kpis if all(k.kpi for k in o.key_results) else edited).append(o)
    return checked, earlier, by_kpis, edited


def sections(digest: Digest) -> tuple[Section, ...]:
    """The non-empty sections, in the digest's order."""
    found = (
        Section("check_ins", "Check-ins", tuple(_moves_group(m) for m in digest.check_ins)),
        Section("kpi_updates", _kpi_heading(digest.kpi_updates), _one_group(_kpi_line(u) for u in digest.kpi_updates)),
        Section("status_changes", "Status changes", _one_group(_status_line(c) for c in digest.status_changes)),
        Section("graded", "Graded", _one_group(_graded_line(g) for g in digest.graded)),
        Section("forecast_misses", "Forecasts that now miss", _one_group(_forecast_line(m) for m in digest.forecast_misses)),
        Section("health_changes", "KPI health", _one_group(_health_line(c) for c in digest.health_changes)),
        Section("stale", "Stale: who to nudge", tuple(_owner_group(o) for o in digest.stale)),
    )
    return tuple(s for s in found if s.size)


_KPI_HEADINGS = {  # (any new value, any corrected value): the KPI section's heading
    (True, False): "New KPI values",
    (False, True): "Corrected KPI values",
    (True, True): "New and corrected KPI values",
    (False, False): "KPIs measured anew",  # only units changed, every value converted
}


def _kpi_heading(updates: tuple[KPIUpdate, ...]) -> str:
    """What the KPI section holds: a window with only September's value written anew has no new value to
    head it with. Corrections count for every audience (`corrected` is kept where the numbers are not)."""
    values = [v for u in updates for v in u.values]
    return _KPI_HEADINGS[any(not v.corrected for v in values), any(v.corrected for v in values)]


def _one_group(lines) -> tuple[Group, ...]:
    lines = tuple(lines)
    return (Group(None, None, "", lines),) if lines else ()


def _progress_change(before: float | None, after: float) -> str:
    return f"{format_percent(before)} → {format_percent(after)}" if before is not None else format_percent(after)


def _moves_group(moves: ObjectiveMoves) -> Group:
    progress = f" · progress {_progress_change(moves.progress_before, moves.progress_after)}" if moves.progress_after is not None else ""
    text = f"{moves.owner}{progress}"
    return Group(moves.objective.title, moves.objective.link, text, tuple(_move_line(k) for k in moves.key_results))


def _kr_value(move: KRMove, value: float | None) -> str:
    if move.form == "binary":
        return "done" if value else "not done"
    if move.form == "manual":
        return format_percent(value)
    return format_number(value, move.unit, move.number_format)


def _move_line(move: KRMove) -> Line:
    if not move.numbers:
        if move.form == "guardrail":
            moved = "checked in"
        elif move.progress_after is None:  # its progress then would give a value of its confidential time
            moved = "updated"
        else:
            moved = f"{_progress_change(move.progress_before, move.progress_after)} of its target"
    elif move.form == "binary":
        moved = _kr_value(move, move.after) if move.before is None else f"{_kr_value(move, move.before)} → {_kr_value(move, move.after)}"
    elif move.before is None:
        moved = f"now {_kr_value(move, move.after)}"
    elif move.form == "manual":
        moved = f"{format_percent(move.before)} → {format_percent(move.after)} (estimated)"
    else:
        moved = format_change(move.before, move.after, move.unit, move.number_format)
    who = f" · by {', '.join(move.authors)}" if move.authors else ""
    count = f" · {plural(len(move.check_ins), 'check-in')}" if len(move.check_ins) > 1 else ""
    if move.earlier:
        count += f" · {plural(len(move.earlier), 'check-in')} dated before the window"
    elif not move.check_ins:
        count = " · follows its KPI" if move.kpi else " · changed without a check-in"
    corrected = _corrected_words((move.corrected_late,) if move.corrected_late else ()) + _added_words((move.added_late,) if move.added_late else ())
    said = sorted((*move.earlier, *move.check_ins), key=lambda c: c.date)
    return Line(move.title, None, moved + who + count + corrected, tuple(_check_in_words(c, move) for c in said))


def _corrected_words(corrections: tuple[LateCorrection, ...]) -> str:
    """" · value of 2026-09-30 corrected on 2026-11-18 (after 2026-Q3 ended)", as the objective page says it
    (the `corrected_late` macro): why a finished period's progress or grade moved."""
    return "".join(f" · value of {c.date.isoformat()} corrected on {c.on.isoformat()} (after {c.period} ended)" for c in corrections)


def _added_words(additions: tuple[LateAddition, ...]) -> str:
    """" · value of 2026-09-29 added on 2026-10-27 (after 2026-Q3 ended)", as the objective page says it (the
    `added_late` macro); the month-end figure the period awaited, " · value of 2026-12-31 added on
    2027-01-04 (the December 2026 value awaited)": its expected arrival, which Graded says came in."""
    return "".join(f" · value of {a.date.isoformat()} added on {a.on.isoformat()} "
                   f"({f'the {a.awaited} value awaited' if a.awaited else f'after {a.period} ended'})" for a in additions)


def _check_in_words(c: CheckIn, move: KRMove) -> str:
    parts = [c.date.isoformat()]
    if move.numbers:
        parts.append(_kr_value(move, c.value))
    parts += [c.author] if c.author else []
    parts += [f"“{c.note}”"] if c.note else []
    return " · ".join(parts)


CORRECTIONS_SAID = 3  # a KPI's corrections said one by one; more (a unit change restating its history) are counted


def _kpi_line(u: KPIUpdate) -> Line:
    """What a KPI got in the window: its new values (its latest value now, and before), then each value
    added for a date before its latest one at the window's start, which leaves its latest value where it
    was: "value of 2026-09-29 added: 99.3%" (QA FK), then each value of an earlier date written anew:
    "value of 2026-09-30 corrected 150 → 200 on 2026-11-18", as a key result's late correction is said;
    without numbers to an audience that may not see them."""
    added = [v for v in u.values if not v.corrected and (u.before_date is None or v.date > u.before_date)]
    filled = [v for v in u.values if not v.corrected and u.before_date is not None and v.date < u.before_date]
    corrected = [v for v in u.values if v.corrected]
    authors = tuple(dict.fromkeys(v.author for v in u.values if v.author))
    who = f" · by {', '.join(authors)}" if authors else ""
    said = _new_kpi_values(u, added) + _filled_in(u, filled) + _corrections(u, corrected)
    return Line(u.kpi.title, u.kpi.link, " · ".join(said) + who)


def _dated(values: list[CheckIn]) -> str:
    dates = sorted({v.date for v in values})
    return f"dated {dates[0].isoformat()}" if len(dates) == 1 else f"dated {dates[0].isoformat()} to {dates[-1].isoformat()}"


def _new_kpi_values(u: KPIUpdate, added: list[CheckIn]) -> list[str]:
    """Its new values: "now 1.3 s (unit ms → s) · dated 2026-11-16". The unit's change of a KPI measured
    anew is said with no new value too ("unit ms → s"): its values converted are no news, the unit is."""
    unit = f"unit {u.unit_before} → {u.unit or '–'}" if u.unit_before is not None else None
    if not added:
        return [unit] if unit else []
    if not u.numbers:
        return ([unit] if unit else []) + [f"{plural(len(added), 'new value')}, {_dated(added)}"]
    now = format_number(u.after, u.unit, u.number_format)
    was = f" (was {format_number(u.before, u.unit, u.number_format)})" if u.before is not None and u.before != u.after else ""
    was = f" ({unit})" if unit else was
    count = f"{plural(len(added), 'value')} " if len(added) > 1 else ""
    return [f"now {now}{was} · {count}{_dated(added)}"]


def _filled_in(u: KPIUpdate, filled: list[CheckIn]) -> list[str]:
    """The values added for dates before its latest one: "value of 2026-09-29 added: 99.3%", each said as
    the value it is, not as its latest ("now 99.8%" says the value of another date)."""
    if len(filled) > CORRECTIONS_SAID:
        return [f"{plural(len(filled), 'earlier value')} added, {_dated(filled)}"]
    return [f"value of {v.date.isoformat()} added" + (f": {format_number(v.value, u.unit, u.number_format)}" if v.value is not None else "")
            for v in filled]


def _corrections(u: KPIUpdate, corrected: list[CheckIn]) -> list[str]:
    if len(corrected) > CORRECTIONS_SAID:
        return [f"{plural(len(corrected), 'value')} corrected, {_dated(corrected)}"]
    return [_correction(u, v) for v in corrected]


def _correction(u: KPIUpdate, v: CheckIn) -> str:
    """"value of 2026-09-30 corrected 150 → 200 on 2026-11-18"; a value replaced in the unit the KPI had
    before it was measured anew is said in that unit ("850 ms → 0.85 s")."""
    style, day = u.number_format, f" on {v.corrected_on.isoformat()}" if v.corrected_on else ""
    if v.value is None:
        moved = ""
    elif v.replaces is None:
        moved = f" to {format_number(v.value, u.unit, style)}"
    elif u.unit_before is not None:
        moved = f" {format_number(v.replaces, u.unit_before, style)} → {format_number(v.value, u.unit, style)}"
    else:
        moved = f" {format_change(v.replaces, v.value, u.unit, style)}"
    return f"value of {v.date.isoformat()} corrected{moved}{day}"


_CHANGE_WORDS = {
    "went-off-track": "went off-track", "went-at-risk": "went at-risk", "improved": "improved to at-risk", "recovered": "recovered: on-track",
    "achieved": "achieved", "missed": "missed", "cancelled": "cancelled", "removed": "removed",
}


def _status_line(c: StatusChange) -> Line:
    said = {"new": f"new, {c.after}", "other": f"{c.before} → {c.after}"}.get(c.change) or _CHANGE_WORDS[c.change]
    why = ([f"was {c.before}"] if c.change not in ("new", "other") else []) + (["set by hand"] if c.source == "manual" and c.after else [])
    said += f" ({'; '.join(why)})" if why else ""
    provisional = f" ({_provisional(c.awaiting)})" if c.awaiting else ""
    progress = (f" · grade {format_grade(c.grade)}{provisional}" if c.grade is not None else
                f" · {format_percent(c.progress)}" if c.progress is not None else "")
    return Line(c.objective.title, c.objective.link, f"{said}{progress}{_corrected_words(c.corrected_late)}{_added_words(c.added_late)} · {c.owner}")


def _graded_line(g: Graded) -> Line:
    """"grade 0.50 (self-assessed; computed 0.55) · retro written", as the objective's page says its grade;
    a score changed "grade 0.80 → 0.85 (self-assessed)", one removed "grade 0.80 → 0.55 (computed; self-assessed score removed)"."""
    said = [_grade_words(g)] + ([f"retro {g.retro}"] if g.retro else []) + [g.owner]
    return Line(g.objective.title, g.objective.link, " · ".join(part for part in said if part))


def _grade_words(g: Graded) -> str:
    """The grade, how it came to be, and whether it is final (_month_end_words): "grade 0.32 → 0.45
    (computed; provisional: awaiting the December 2026 value of NRR)"; only whether it is final when
    the audience may not see it."""
    month_end = _month_end_words(g)
    if g.score is None and g.score_before is not None:
        if g.grade is None:
            return f"self-assessed grade {format_grade(g.score_before)} removed"
        said = "; ".join(["computed", "self-assessed score removed", *month_end])
        return f"grade {format_grade(g.score_before)} → {format_grade(g.grade)} ({said})"
    if g.grade is None:
        return "; ".join(month_end)
    if g.score is None:
        return f"grade {_from_before(g.computed_before, g.grade)} ({'; '.join(['computed', *month_end])})"
    moved = f"{format_grade(g.score_before)} → " if g.score_before is not None and g.score_before != g.score else ""
    shown = g.computed_grade is not None and (g.computed_grade != g.score or g.computed_before is not None)
    computed = [f"computed {_from_before(g.computed_before, g.computed_grade)}"] if shown else []
    return f"grade {moved}{format_grade(g.score)} ({'; '.join(['self-assessed', *computed, *month_end])})"


def _from_before(before: float | None, grade: float) -> str:
    """A computed grade, from where it stood before month-end KPI values came in (``before``): "0.32 → 0.45"."""
    return f"{format_grade(before)} → {format_grade(grade)}" if before is not None and before != grade else format_grade(grade)


def _month_end_words(g: Graded) -> list[str]:
    """Whether a grade still awaits month-end KPI values (``g.awaiting``), or is final since those it
    awaited came in (``g.came_in``) or will not come (``g.never_came``): "final: the December 2026 value
    of MRR did not come"; while others are awaited, those that will not come are said after them."""
    never_came = _never_came_words(g.never_came)
    if g.awaiting:
        return [_provisional(g.awaiting), *never_came]
    ended = ([f"{_awaited_words(g.came_in)} came in"] if g.came_in else []) + never_came
    return [f"final: {', and '.join(ended)}"] if ended else []


NEVER_CAME = {  # why an awaited value will not come (numbers.awaited.no_longer_to_come): said of one KPI's value, and of several
    LATER: ("did not come, a later one did", "did not come, later ones did"),
    STALE: ("did not come", "did not come"),
    RETIRED: ("did not come, the KPI was retired", "did not come, the KPIs were retired"),
    DASHBOARD: ("is in the KPI's dashboard", "are in the KPIs' dashboards"),
}


def _never_came_words(values: tuple[NeverCame, ...]) -> list[str]:
    """"the December 2026 value of MRR did not come, a later one did": the values that will not come, by why."""
    said = []
    for why, words in NEVER_CAME.items():
        gone = tuple(v for v in values if v.why == why)
        if gone:
            said.append(f"{_awaited_words(gone)} {words[len(gone) > 1]}")
    return said


def _provisional(awaiting: tuple[AwaitedValue, ...]) -> str:
    """"provisional: awaiting the December 2026 value of MRR", as the period's pages say "Provisional:"."""
    return f"provisional: awaiting {_awaited_words(awaiting)}"


def _awaited_words(values: tuple[AwaitedValue, ...]) -> str:
    """"the December 2026 value of MRR", "the December 2026 values of MRR and NRR and the 2026-Q4 value of NPS"."""
    by_month: dict[str, list[str]] = {}
    for v in values:
        by_month.setdefault(v.name, []).append(v.kpi.title)
    return " and ".join(f"the {month} value{'s' * (len(titles) > 1)} of {listed(titles)}" for month, titles in by_month.items())


def _forecast_line(m: ForecastMiss) -> Line:
    was = f"was {m.before}" if m.before else "no forecast before"
    return Line(m.objective.title, m.objective.link, f"forecast {format_percent(m.progress)} at the period's end ({m.status}; {was}) · {m.owner}")


def _health_line(c: HealthChange) -> Line:
    said = f"{c.before} → {c.after}" if c.before else f"new, {c.after}"
    value = f" at {format_number(c.value, c.unit, c.number_format)}" if c.value is not None else ""
    by_hand = " (set by hand)" if c.source == "manual" else ""
    redefined = f" ({', '.join(_definition_words(c))})" if c.definition_changes else ""
    return Line(c.kpi.title, c.kpi.link, f"{said}{value}{by_hand}{redefined} · {c.owner}")


def _definition_words(c: HealthChange) -> list[str]:
    """"target 10 → 30", "direction up → down", "unit ms → s, target 800 ms → 0.8 s": each number in the unit it had."""
    units = next(((d.before, d.after) for d in c.definition_changes if d.key == "unit"), (c.unit, c.unit))
    return [_definition_change(d, *units, c.number_format) for d in c.definition_changes]


def _definition_change(d: DefinitionChange, was_unit: str | None, unit: str | None, style: str) -> str:
    if d.key in ("unit", "direction"):
        return f"{d.key} {d.before or '–'} → {d.after or '–'}"
    if d.before is None and d.after is None:
        return f"{d.key} changed"
    if isinstance(d.before, (int, float)) and isinstance(d.after, (int, float)):
        moved = format_change(d.before, d.after, unit, style) if was_unit == unit else f"{format_number(d.before, was_unit, style)} → {format_number(d.after, unit, style)}"
        return f"{d.key} {moved}"
    if d.after is None:
        return f"{d.key} removed (was {_line_words(d.before, was_unit, style)})"
    if d.before is None:
        return f"{d.key} set to {_line_words(d.after, unit, style)}"
    return f"{d.key} {_line_words(d.before, was_unit, style)} → {_line_words(d.after, unit, style)}"


def _line_words(value: float | str, unit: str | None, style: str) -> str:
    return format_number(value, unit, style) if isinstance(value, (int, float)) else f"“{value}”"


def _owner_group(owner: Owner) -> Group:
    text = f"team, lead {owner.lead}" if owner.kind == "team" and owner.lead else owner.kind
    return Group(owner.ref.title, owner.ref.link, text, tuple(_stale_line(i) for i in owner.items))


def _stale_line(item: StaleItem) -> Line:
    if item.kind == "kpi":
        said = (f"KPI: health set by hand {plural(item.days, 'day')} ago, no value since" if item.health_set is not None
                else f"KPI: latest value {plural(item.days, 'day')} old" if item.days is not None else "KPI: stale")
    else:
        said = f"no check-in for {quiet_for(item.days, item.counted_from)}" if item.days is not None else "no check-in for too long"
    return Line(item.ref.title, item.ref.link, said)
