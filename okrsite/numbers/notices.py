"""Notices: what time passing alone makes true (a KPI or an objective gone stale, a status set by hand
on a period that has ended), and what only tells while a period runs (an objective aligned to a
cancelled one), reported but never an error."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Collection, NamedTuple

from ..git.checkins import data_path
from ..git.history import Commit, History, OutOfOrder, Version, out_of_order
from ..git.read import FETCH_ALL
from ..goals.config import Settings, is_today
from ..goals.diagnostics import NO_LINE, Report, quoted, restore_command
from ..goals.files import SETTINGS_FILE
from ..goals.formats import format_number, one_form, start_text
from ..goals.model import KPI, KeyResult, Objective, Period, Site, carried_from
from ..goals.periods import PeriodError, parse_period
from .carrying import MovedFinal, moved_finals
from .compute import SETTLED, KPIState, KRScore, Scores, counted_as_they_stood, counted_from, days_quiet, is_stale, kpi_health, kpi_lateness, quiet_for
from .remeasured import warn_remeasured

SETTLE_HINT = "set status: achieved, missed or cancelled, or remove status: so that its grade decides"


def notice_time(site: Site, scores: Scores, report: Report, settings: Settings | None = None, history: History | None = None,
                unread: str | None = None) -> None:
    """Every notice: time passing alone makes them, so they never fail a build (unless --fail-on-stale
    asks). With the git history, also the commits dated out of order. ``unread``: why the git history
    could not be read (git.history.refusal), which leaves an objective's staleness a guess from its
    file's dates."""
    today = is_today(scores.as_of)
    _stale_kpis(site, scores, report)
    _stale_objectives(site, scores, report, settings, unread, today)
    _left_open(site, scores.as_of, report)
    _aligned_to_a_cancelled_one(site, scores.as_of, report)
    _hand_set_health(site, scores, report)
    moved = _moved_by_default_period(site, scores.as_of, settings, history, report) if settings is not None and history is not None else set()
    if settings is not None and settings.default_period:
        _on_the_default_period(site, scores.as_of, settings.default_period, report, moved)
    if history is not None:
        _dated_out_of_order(site, scores, history, today, report)
    warn_remeasured(site, scores, report)
    _deleted_after_end(site, scores, report)
    _deleted_left(scores, report)
    _final_values_written_late(site, scores, report)
    _moved_finals(site, scores, report, settings is not None and settings.audience == "public")


def sound_part(site: Site, report: Report) -> Site | None:
    """Of a site with errors, the part whose notices are what they will be once the errors are fixed:
    the KPIs whose file and CSV file have no error (the latest value decides), and the objectives whose
    file has none and whose key results use only those KPIs (their own numbers, check-ins and status
    decide; one without key results is never stale). Without alignment: a roll-up's children are not
    needed for its notices. None when okrsite.toml has an error: its settings decide every notice."""
    failed = {d.file for d in report.errors}
    if SETTINGS_FILE in failed:
        return None
    kpis = {ident: k for ident, k in site.kpis.items() if k.doc.path not in failed and not (k.data and data_path(k) in failed)}
    objectives = {ident: o for ident, o in site.objectives.items()
                  if o.doc.path not in failed and o.period is not None and all(kr.kpi is None or kr.kpi in kpis for kr in o.key_results)}
    return replace(site, objectives=objectives, kpis=kpis, children={}, followed_by={})


STALE_KPI_HINT = "add a newer value, or set 'frequency' to how often it is really measured"
STALE_HEALTH_HINT = "set the health anew in 'health:' once its owner has looked at the numbers again (the commit dates it), or add a newer value"
UNSET_FREQUENCY_HINT = "or write 'frequency:' with how often it is really looked at (none is taken as monthly; quarterly goes stale after 184 days)"
RETIRE_HINT = "; if it is no longer measured, write 'retired:' with the day it stopped"


def _stale_kpis(site: Site, scores: Scores, report: Report) -> None:
    for ident, state in scores.kpis.items():
        if state.stale:
            kpi = site.kpis[ident]
            late_value = state.current_date is not None and kpi_lateness(kpi, state.current_date, scores.as_of)[0]
            line = kpi.doc.line("health") if not late_value else kpi.doc.line("data") if kpi.data else kpi.doc.line("values")
            hint = "; ".join(([STALE_KPI_HINT] if late_value else []) + ([STALE_HEALTH_HINT] if state.health_stale else [])
                             + ([UNSET_FREQUENCY_HINT] if state.health_stale and not late_value and not kpi.frequency_given else []))
            report.notice(kpi.doc.path, line, stale_kpi_words(kpi, state, scores.as_of, late_value), hint + (RETIRE_HINT if kpi.retired is None else ""))


def stale_kpi_words(kpi: KPI, state: KPIState, as_of: date, late_value: bool) -> str:
    """Why a KPI is stale: its latest value is too old, or the health its owner set is, with no value since (health_staleness)."""
    measured = f"{kpi.frequency} data" if kpi.frequency_given else "no frequency set: taken as monthly"
    said = [f"the latest value is {state.age_days} days old"] if late_value else []
    if state.health_stale:
        said.append(f"the health set by hand on {state.health_set.isoformat()} is {(as_of - state.health_set).days} days old, with no value recorded since")
    return f"stale KPI: {', and '.join(said)} ({measured})"


_JUDGED = ("healthy", "warning", "critical")
UNSET_HEALTH_HINT = "remove the 'health:' lines to have the health computed from the values and the target, or set the health anew"


def _hand_set_health(site: Site, scores: Scores, report: Report) -> None:
    """A health set by hand wins over the computed one (SPEC §16), also when it was copied in by `import
    gitlab-pi` and the values have moved on since: said at its line when the latest value computes
    another health, or, when none can be computed, when values were recorded after the commit that set it."""
    logs = scores.logs.kpis if scores.logs else {}
    for ident, state in scores.kpis.items():
        kpi = site.kpis[ident]
        if kpi.health is None or kpi.health.health not in _JUDGED or state.current is None:
            continue
        log, since = logs.get(ident), state.health_set
        arrived = [day for day, commit in (log.recorded.items() if log and since else ()) if since < commit.day <= scores.as_of and day <= scores.as_of]
        said = hand_set_health_words(kpi, state, since, len(arrived))
        if said:
            report.notice(kpi.doc.path, kpi.doc.line("health"), said, unset_health_hint(kpi), timed=False)


def unset_health_hint(kpi: KPI) -> str:
    """How to let the values decide a health set by hand: with a target in words okrsite does not read
    as a number, removing the 'health:' lines would leave it unknown (QA FI), so the target comes first."""
    if kpi.target is not None or kpi.target_text is None:
        return UNSET_HEALTH_HINT
    return (f"the target '{kpi.target_text}' gives no number to compute the health from: write it as okrsite reads it "
            "(like 'above 99.9%', see Targets in words in docs/kpis.md), then remove the 'health:' lines; or set the health anew")


def hand_set_health_words(kpi: KPI, state: KPIState, since: date | None = None, arrived: int = 0) -> str | None:
    """Why a KPI's hand-set health may be out of date: the latest value computes another health, or no
    health can be computed (no target in numbers) and ``arrived`` values were recorded after the day
    ``since`` it was set; None otherwise (a computed health that agrees needs no word)."""
    computed = kpi_health(kpi, state.current)
    set_by_hand = f"the health set by hand is {kpi.health.health}"
    latest = f"the latest value, {format_number(state.current, kpi.unit)} on {state.current_date.isoformat()}"
    if computed in _JUDGED and computed != kpi.health.health:
        target = f"the target '{kpi.target_text}'" if kpi.target_text else f"the target {format_number(kpi.target, kpi.unit)}"
        return f"{set_by_hand}, but {latest}, is {computed} against {target}: the page shows the hand-set health"
    if since is not None and arrived and computed not in _JUDGED:
        values = f"{arrived} value{'s' * (arrived != 1)} {'were' if arrived != 1 else 'was'} recorded since"
        return f"{set_by_hand}, since {since.isoformat()}, and {values} ({latest}): the page shows the hand-set health"
    return None


def _stale_objectives(site: Site, scores: Scores, report: Report, settings: Settings | None, unread: str | None, today: bool = False) -> None:
    since = scores.logs.known_since() if scores.logs else None
    for ident, score in scores.objectives.items():
        o = site.objectives[ident]
        if today and _changed_after(scores, ident, scores.as_of):
            continue
        last = score.quiet_since(since) if score.stale else _stale_by_file_dates(o.period, score, since, scores.as_of, settings)
        if last is not None:
            message, hint, sure = _quiet_words(o.period, last, since, scores.as_of, settings, unread)
            report.notice(o.doc.path, o.doc.line("key_results"), f"stale objective: {message}", hint, timed=sure)


def _changed_after(scores: Scores, ident: str, day: date) -> bool:
    """Whether a commit dated after ``day`` changed the numbers of objective ``ident``: on a site shown
    as of today, a clock ahead on the machine that made it (_dated_out_of_order names it). The numbers
    its file writes count (SPEC §6), so they are no stale objective's, though its check-ins count from
    that date (QA FP)."""
    logs = scores.logs.objectives.get(ident, ()) if scores.logs else ()
    return any(commit.day > day for log in logs for commit in log.changes)


def _stale_by_file_dates(period: Period, score, since: date | None, as_of: date, settings: Settings | None) -> date | None:
    """QA DM: in a shallow clone, a key result with no date known (none in its file, none after the clone's
    oldest commit) changed at the latest that day, which kept the objective of a stale key result from
    being stale, with no notice. One reached (a milestone done) needs no check-in: by the dates its file
    writes before the clone's start, the objective may be stale; the latest of them then, for a notice
    saying so. None when it is not, or a key result not reached has no date (it may have changed then)."""
    if since is None or settings is None or not any(s.stale for s in score.key_results):
        return None
    krs = score.key_results
    if any(not (s.updated or s.added) and s.progress < 1 for s in krs):
        return None
    last = max(filter(None, (s.updated or s.added for s in krs)), default=None)
    return last if last is not None and last < since and is_stale(last, period, as_of, settings) else None


STALE_HINT = "check in a value for its key results (a new current: or history entry), or set 'status:' to achieved, missed or cancelled if it is settled"


def _quiet_words(period: Period, last: date, since: date | None, as_of: date, settings: Settings | None, unread: str | None) -> tuple[str, str, bool]:
    """(message, hint, whether it is known) of an objective's numbers quiet since ``last``. Known from the
    whole history, or from a shallow clone's (starting ``since``) when its start is already too long ago;
    else a guess from the dates in its file, which --fail-on-stale does not fail on (QA DE)."""
    def quiet(day: date) -> str:
        return quiet_for(days_quiet(day, period, as_of), counted_from(day, period))

    if unread:
        return (f"by the dates in its file, its numbers have not changed for {quiet(last)}; the git history was not read, and a later check-in may be in it",
                f"let git read the history (the 'History:' line says how); else {STALE_HINT}", False)
    if since is None or last > since:
        return f"its numbers have not changed for {quiet(last)}", STALE_HINT, True
    if settings is None or is_stale(since, period, as_of, settings):
        return f"its numbers have not changed for at least {quiet(since)} (the clone's history starts on {since})", STALE_HINT, True
    return (f"by the dates in its file, its numbers have not changed for {quiet(last)}; the clone's history starts on {since}, "
            f"and a check-in before then is not known", f"{FETCH_ALL}; else {STALE_HINT}", False)


def _left_open(site: Site, as_of: date, report: Report) -> None:
    for o in site.objectives.values():
        if left_open(o, as_of):
            report.notice(o.doc.path, o.doc.line("status"), left_open_message(o), SETTLE_HINT)


CANCELLED_PARENT_HINT = "align it to another objective with 'parent:', or set status: cancelled in it too"


def _aligned_to_a_cancelled_one(site: Site, as_of: date, report: Report) -> None:
    """An objective aligned to one cancelled by hand counts in no roll-up above it (a cancelled one is
    left out of them all): said while its own period has not ended, when re-aligning it still counts."""
    for o in site.objectives.values():
        parent = site.objectives.get(o.parent) if o.parent else None
        if parent is not None and parent.status == "cancelled" and o.status != "cancelled" and o.period is not None and as_of <= o.period.end:
            report.notice(o.doc.path, o.doc.line("parent"), f"its parent {quoted(parent.id)} is cancelled: its progress counts in no roll-up above it",
                          CANCELLED_PARENT_HINT, timed=False)


def _deleted_after_end(site: Site, scores: Scores, report: Report) -> None:
    """A finished roll-up's grade, final when its period ended, moves when an objective it counted then
    is deleted and cannot be counted as it stood (compute.deleted_after_end: a deleted roll-up): said
    at the roll-up, with the commit, unless a written `score:` keeps its grade."""
    for ident, score in scores.objectives.items():
        o = site.objectives.get(ident)
        if o is None or o.score is not None:
            continue
        kept = counted_as_they_stood(score.deleted_late)
        for child in (c for c in score.deleted_late if not any(c is k for k in kept)):
            report.warning(o.doc.path, o.doc.line("title"),
                           f"its aligned objective {quoted(child.ident)} of {child.period.id} was deleted in {child.commit} on {child.day.isoformat()}, "
                           f"after {o.period.id} ended: its grade no longer counts it",
                           f"bring it back with {restore_command(f'{child.commit}~1', child.path, child.prefix)}, or set its 'score:' to the grade it had")


def _deleted_left(scores: Scores, report: Report) -> None:
    """A finished period's objective deleted after it ended that its summaries and team figures cannot
    count as it stood (compute: _Scoring.ended_deleted): the period's page and review name it as left out,
    and this says it, at the deleted file, once, unless a roll-up that counted it says it already
    (_deleted_after_end)."""
    said = {(c.period.id, c.ident) for score in scores.objectives.values() for c in score.deleted_late}
    for period_id, left in scores.deleted_left.items():
        for child in left:
            if (period_id, child.ident) in said:
                continue
            report.warning(child.path, 1,
                           f"objective {quoted(child.ident)} of {period_id} was deleted in {child.commit} on {child.day.isoformat()}, after "
                           f"{period_id} ended, and cannot be counted as it stood: {period_id}'s figures no longer count it",
                           f"bring it back with {restore_command(f'{child.commit}~1', child.path, child.prefix)}, "
                           "and its KPIs if they were deleted too")


def _final_values_written_late(site: Site, scores: Scores, report: Report) -> None:
    """A finished period's key result whose final KPI value a commit after the period ended wrote: added
    (compute.value_added_after_end) or corrected (compute.corrected_after_end). It counts (SPEC §6), and
    the pages say it; this says it to whoever runs `check`, at the key result's `kpi:` line, once the
    commit is there: graded pages moved. Not the month-end figure the period awaited, whose arrival is
    the expected end of a provisional grade (the digest says it "came in"), nor a cancelled objective's,
    which has no grade. A notice that only tells: nothing is to be fixed."""
    for o in site.objectives.values():
        score = scores.objectives.get(o.id)
        if score is None or o.status == "cancelled" or scores.as_of <= o.period.end:
            continue
        for kr, k in zip(o.key_results, score.key_results):
            said = _written_late_words(k)
            if said is not None and kr.kpi in site.kpis:
                report.notice(o.doc.path, o.doc.line("key_results", kr.index, "kpi"), *_written_late_notice(o, kr, site.kpis[kr.kpi], *said), timed=False)


def _written_late_words(k: KRScore) -> tuple[date, str, bool] | None:
    """(the final value's date, "added on 2026-10-27", "corrected on …" or both, whether it was added) of a
    key result whose final KPI value was written after its period ended, the awaited month-end figure's
    arrival left out."""
    added = k.added_late if k.added_late is not None and k.added_late.awaited is None else None
    corrected = k.corrected_late
    if added is None and corrected is None:
        return None
    said = ([f"added on {added.on.isoformat()}"] if added else []) + ([f"corrected on {corrected[1].isoformat()}"] if corrected else [])
    return (added.date if added else corrected[0]), " and ".join(said), added is not None


def _written_late_notice(o: Objective, kr: KeyResult, kpi: KPI, day: date, written: str, added: bool) -> tuple[str, str]:
    """(message, hint): "key result 'Uptime' of 2026-Q3 ends on the value of 2026-09-29 of KPI 'uptime', added
    on 2026-10-27, after 2026-Q3 ended: its final numbers count it"."""
    period = o.period.id
    message = (f"key result {quoted(kr.title)} of {period} ends on the value of {day.isoformat()} of KPI {quoted(kpi.id)}, {written}, "
               f"after {period} ended: its final numbers count it")
    right = (f"nothing to fix if it is a late figure of {period}; if it measures a day after {o.period.end.isoformat()}, "
             f"give it that date in {kpi.doc.path}" if added else "nothing to fix if the correction is right")
    return message, f"{right}. The pages say it beside the key result; a grade of {period} announced before it may have moved"


def _moved_finals(site: Site, scores: Scores, report: Report, public: bool) -> None:
    """A follower's key result whose start is no longer the final value of the one it continues
    (carrying.moved_finals), at its `start:` line. A warning: an edit made it so (a value corrected, a
    check-in, after the carry-over wrote the start), the follower's numbers count the same work twice,
    and the fix is one line. Except for a follower carried while the period ran whose start is still
    where the key result stood when it was carried over, never final (closing-a-quarter.md says to
    update them): that the period has ended is what makes it true, so it is a notice, which time alone
    never turns into a failed build. For a public build, no number is said where either key result is confidential."""
    for o in site.objectives.values():
        found = moved_finals(site, scores, o) if o.follows else ()
        emptied = site.nothing_left(o, {moved.index for moved in found if moved.reached})
        for moved in found:
            kr = o.key_results[moved.index]
            words = _moved_final_words(o, moved, kr.unit or scores.objectives[o.id].key_results[moved.index].unit, public and moved.confidential, emptied)
            line = o.doc.line("key_results", moved.index, "start")
            (report.notice(o.doc.path, line, *words, timed=False) if moved.stood else report.warning(o.doc.path, line, *words))


def _moved_final_words(o: Objective, moved: MovedFinal, unit: str | None, withheld: bool, emptied: bool) -> tuple[str, str]:
    """(message, hint) of a moved final value: "start 4 but 2026-Q4's key result 'X' ended at 5 (its
    final value changed on 2027-01-10)", "set start: 5"; without the numbers when ``withheld``. One
    that reached its target is to be left out, as carry-over leaves it: a start past the target would
    turn the key result into one going the other way (QA EW); the whole follower, when ``emptied``
    (without its key results reached it has nothing left to measure, which `check` refuses)."""
    start, final = (format_number(moved.start, unit), format_number(moved.final, unit)) if not withheld else ("", "")
    title, period = quoted(o.key_results[moved.index].title), moved.period.id
    if moved.stood:
        said = (f"start {start} is where {period}'s key result {title} stood when it was carried over, before {period} ended; it ended at {final}"
                if not withheld else f"its start is where {period}'s key result {title} stood when it was carried over, before {period} ended, not where it ended")
    else:
        when = f"on {moved.changed.isoformat()}" if moved.changed else f"since '{o.id}' was carried over"
        said = (f"start {start} but {period}'s key result {title} ended at {final} (its final value changed {when})"
                if not withheld else f"its start is no longer where {period}'s key result {title} ended (its final value changed {when})")
    if moved.reached:
        if emptied:
            return said, (f"delete {o.doc.path}: {period}'s reached its target, a key result reached is not carried over, "
                          f"and '{o.id}' has nothing else to measure its progress")
        return said, f"remove this key result from {o.doc.path}: {period}'s reached its target, and a key result reached is not carried over"
    counted = f"where {period} ended: the work up to there counts in {period}'s grade, not again in {o.period.id}'s"
    return said, (f"set start: {start_text(moved.final)}, {counted}" if not withheld else f"set start: to that key result's final value, {counted}")


def _on_the_default_period(site: Site, as_of: date, default_period: str, report: Report, moved: Collection[str] = ()) -> None:
    """An objective without `period:` takes default_period: when that period is over, the next step
    is to move default_period on, and the objective would move with it, into the new quarter, its
    grade and review gone. Said while it can still be written down. Only the objectives of that
    period, once ended, have their front matter looked at (a warm build keeps the rest packed). Not
    of those ``moved`` there from the period they were graded in (_moved_by_default_period): theirs
    is to write that one."""
    named = one_form(default_period.strip()).casefold()
    period = next((p for p in site.periods.values() if one_form(p.id).casefold() == named), None)
    if period is None or as_of <= period.end:
        return
    for o in site.objectives.values():
        if o.period == period and o.id not in moved and o.doc.meta.get("period") is None:
            report.notice(o.doc.path, o.doc.line("title"), f"the objective has no 'period:' and takes default_period ({o.period.id}), which ended on {o.period.end.isoformat()}",
                          f"write 'period: {o.period.id}' in it before default_period moves on, or it moves with it into the next period", timed=False)


class _GradedDefault(NamedTuple):
    """A period that was default_period on its own last day, and is no longer: the objectives without
    `period:` that took it then were graded there."""

    period: Period
    moved: Commit | None  # the commit that last moved default_period away from it; None: okrsite.toml's edit not committed yet
    to: str | None  # the period it moved it to; None: it removed default_period


def _graded_defaults(history: History, settings: Settings, as_of: date) -> list[_GradedDefault]:
    """The periods ended by ``as_of`` that okrsite.toml, as committed by each one's last day, named as
    default_period, and that default_period names no more, earliest first (read as History.grading_on
    reads the grading settings). A value that names no period now is passed over."""
    now = _period_named(settings.default_period, settings)
    if now is None:
        return []
    committed = history.default_periods()
    found = []
    for index, (commit, value) in enumerate(committed):
        period, after = _period_named(value, settings), committed[index + 1:]
        if period is not None and period.id != now.id and period.end < as_of and _in_force_on(commit, after, period.end):
            found.append(_GradedDefault(period, *_moved_away(period, after, settings)))
    return sorted(found, key=lambda graded: (graded.period.end, graded.period.start))


def _in_force_on(commit: Commit, after: tuple[tuple[Commit, str | None], ...], day: date) -> bool:
    """Whether the okrsite.toml ``commit`` wrote was the one committed last by ``day`` (``after``: those since)."""
    return commit.day <= day and not (after and after[0][0].day <= day)


def _moved_away(period: Period, after: tuple[tuple[Commit, str | None], ...], settings: Settings) -> tuple[Commit | None, str | None]:
    """The commit after which okrsite.toml no longer named ``period`` as default_period, and the period
    it named instead; (None, default_period now) when only the file as it is now, not committed yet, does."""
    back = max((index for index, (_, value) in enumerate(after) if _names(value, period, settings)), default=-1)
    commit, value = after[back + 1] if back + 1 < len(after) else (None, settings.default_period)
    named = _period_named(value, settings)
    return commit, named.id if named is not None else value


def _period_named(value: str | None, settings: Settings) -> Period | None:
    try:
        return parse_period(value, settings.periods) if value is not None else None
    except PeriodError:
        return None


def _names(value: str | None, period: Period, settings: Settings) -> bool:
    named = _period_named(value, settings)
    return named is not None and named.id == period.id


def _moved_by_default_period(site: Site, as_of: date, settings: Settings, history: History, report: Report) -> set[str]:
    """QA FJ: moving default_period on moves every objective without `period:` with it, also those of
    the period that ended with it, into the new one: graded, shown as achieved in a quarter that has
    just begun, their quarter's review gone. okrsite.toml's history knows the period each was graded in
    (_graded_defaults: the one its file, without `period:`, took on that period's last day): a warning at
    its file, an edit made it so and writing that period down undoes it. Not where linking says so
    already (a follower names the period it was carried from: goals/link.py), and only with the git
    history. Returns the ids of the objectives told."""
    graded = _graded_defaults(history, settings, as_of)
    now = _period_named(settings.default_period, settings)
    told: set[str] = set()
    if not graded or now is None:
        return told
    for o in site.objectives.values():
        if o.period is None or o.period.id != now.id:
            continue
        versions = history.of(o.doc.path)
        there = next((g for g in graded if _without_period_on(versions, g.period.end)), None)
        if there is None or o.doc.meta.get("period") is not None or _told_by_a_follower(site, o):
            continue
        when = f"commit {there.moved.short} on {there.moved.day.isoformat()}" if there.moved else "an edit of okrsite.toml not committed yet"
        moved = f"moved it to {there.to}" if there.to is not None else "removed default_period"
        report.warning(o.doc.path, o.doc.line("title"),
                       f"the objective has no 'period:' and took default_period ({there.period.id}) until {when} {moved}, after {there.period.id} ended: "
                       f"it now shows in {o.period.id}, not in {there.period.id}, where it was graded",
                       f"write 'period: {there.period.id}' in it to keep it where it was graded")
        told.add(o.id)
    return told


def _without_period_on(versions: tuple[Version, ...], day: date) -> bool:
    """Whether the objective's file, as last committed on or before ``day``, was there without `period:`."""
    then = next((v for v in reversed(versions) if v.commit.day <= day), None)
    return then is not None and not then.deleted and isinstance(then.data, dict) and then.data.get("period") is None


def _told_by_a_follower(site: Site, o: Objective) -> bool:
    """Whether linking warns that ``o`` moved with default_period (goals/link.py: a follower says the
    period it carries ``o`` on from, another than its period now)."""
    followers = (site.objectives.get(ident) for ident in site.followed_by.get(o.id, ()))
    return any(carried_from(f.doc.body, o.id) not in (None, o.period.id) for f in followers if f is not None)


def _dated_out_of_order(site: Site, scores: Scores, history: History, today: bool, report: Report) -> None:
    """A commit dated out of the order it landed in (git.history.out_of_order): its check-ins count on
    its date, a laptop's clock two months ahead makes a late check-in of a number written in August,
    and a digest may count its changes in a week nobody worked. Said once git shows it, while either
    date is one the site counts (by its as-of date); a notice that only tells (history is not edited).
    On a site shown as of today, also a commit dated after today (_dated_after_today)."""
    as_of = scores.as_of
    for found in out_of_order(history, as_of if today else None):
        commit, other = found.commit, found.other
        if other is None:
            _dated_after_today(site, scores, found, report)
            continue
        if min(commit.day, other.day) > as_of:
            continue
        if found.ahead:
            message = (f"commit {commit.short} ({commit.author}) is dated {commit.day}, but commit {other.short}, which landed after it, "
                       f"is dated {other.day}: a wrong clock?")
            hint = (f"okrsite dates a check-in by its commit, so its numbers count on {commit.day}; check the clock of the computer it "
                    "was made on (a commit not pushed yet: git commit --amend there, once the clock is right, dates it anew)")
        else:
            message = (f"commit {commit.short} ({commit.author}) is dated {commit.day}, but commit {other.short}, which landed before it, "
                       f"is dated {other.day}: a wrong clock, or a date set by hand?")
            hint = (f"okrsite dates a check-in by its commit, so its numbers count on {commit.day}; a missed week goes in the key "
                    "result's history: with its date instead (see A back-dated check-in in docs/history.md)")
        report.notice(found.path, NO_LINE, message, hint, timed=False)


def _dated_after_today(site: Site, scores: Scores, found: OutOfOrder, report: Report) -> None:
    """A commit dated after today (QA FP): the numbers its files write show now (SPEC §6), but its
    check-ins count from its date, so a chart, "last check-in" and staleness ignore them until then.
    A notice, never a failure: the day comes, and it is fine by itself."""
    commit = found.commit
    message = (f"commit {commit.short} ({commit.author}) is dated {commit.day}, after today ({found.today}): "
               "a wrong clock on the machine that made it? Its check-ins count from that day")
    hint = ("okrsite dates a check-in by its commit: until then its files' numbers show, but no chart, last check-in or staleness "
            "counts it; check the clock of the computer it was made on (a commit not pushed yet: git commit --amend there, once "
            "the clock is right, dates it anew)")
    report.notice(found.path, _changed_line(site, scores, found), message, hint, timed=False)


def _changed_line(site: Site, scores: Scores, found: OutOfOrder) -> int:
    """The line of what ``found``'s commit changed in its file: the first key result whose numbers it
    changed, else the file's key results, else the file itself (NO_LINE)."""
    for o in site.objectives.values():
        if o.doc.path != found.path:
            continue
        logs = scores.logs.objectives.get(o.id, ()) if scores.logs else ()
        changed = [index for index, log in enumerate(logs) if any(c.hash == found.commit.hash for c in log.changes)]
        return o.doc.line("key_results", changed[0]) if changed else o.doc.line("key_results")
    return NO_LINE


def left_open(o: Objective, as_of: date) -> bool:
    """An in-progress status (on-track, at-risk, off-track) set by hand on a period that ended before
    ``as_of``: a manual status wins over the computed one (SPEC §6), so the site would go on saying
    "at-risk (set by hand)" for a quarter that is over, and nothing would grade it achieved or missed."""
    return o.status is not None and o.status not in SETTLED and o.period is not None and as_of > o.period.end


def left_open_message(o: Objective) -> str:
    return f"status: {o.status} is set by hand, but {o.period.id} ended on {o.period.end.isoformat()}"
