"""A check-in as one planned edit: which file, its new text, and the check that comes before writing.

`okrsite checkin` and the update forms of `okrsite serve` both go through here: the ids are
resolved (with did-you-mean), the file is edited surgically (goals.edit), the site is read again with
the edited text in place of the file (repository.Rereader: only that file is read and parsed again), and
only if that site has no errors is the one file replaced, atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Callable, Sequence

from .ahead import PERIODS, SLACK, dated_by, figure_days, months_to, period_bounds, period_months, period_name, same_day_this_year
from .diagnostics import NO_LINE, Diagnostic, command_line, did_you_mean, quoted
from .edit import EditError, add_csv_value, add_kpi_value, set_kr_value
from .files import TEMPORARY, loop_problem, os_name, site_problem, text_name
from .formats import format_number, isolated, number_hint, one_form, reaches_target, round_half_up, same_number, single_line, start_text
from .model import KPI, KeyResult, Objective, Site, bare_slug, carried_starts, counterpart, follows_kpi
from .parse import MAX_NUMBER, TOO_LARGE_HINT, is_page_id
from .clock import today as current_day
from .load import as_read
from .repository import Rereader, Loaded, load_site

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DONE = {"done": True, "true": True, "yes": True, "1": True, "not-done": False, "false": False, "no": False, "0": False}


class CheckInError(Exception):
    """Nothing was written: ``message`` and ``hint`` say why, ``problems`` are the edited site's errors."""

    def __init__(self, message: str, hint: str, problems: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.message, self.hint, self.problems = message, hint, problems


@dataclass(frozen=True)
class CheckIn:
    path: str  # the file to change, relative to the site root (the objective or KPI file, or the KPI's CSV)
    text: str  # its new content
    subject: str  # the key result's or KPI's title
    old: float | None
    new: float
    unit: str | None
    url: str  # the page (and anchor) that shows it
    kind: str  # "kr" or "kpi"
    form: str = "numeric"  # a key result's form: a milestone or an estimate is said in words
    unchanged: bool = False  # the file already says this: nothing to write or commit
    ended: tuple[str, ...] = ()  # of each finished period's key result whose final value the check-in changes: what it does to it, and its follower
    detached: str = ""  # a key result that followed its KPI: from now on its written current: counts instead
    later: str = ""  # dated after the day the site is shown as of: a key result's commit (its date and note), or a KPI's value by its period's end, shows later
    early: str = ""  # a key result's commit dated before its period starts: no point of its forecast
    real: str = ""  # the file written and committed: ``path`` (the default), or the file inside the site its symbolic link leads to
    before: str = ""  # the file's text as it was read: the edited site's errors in it are said at its lines
    reading: str = ""  # a key result named by digits that are both a number and another key result's id: which one was taken
    previous: str = ""  # a KPI's value dated today early in a month (quarter) the month before has no value for: how to date it then

    def __post_init__(self) -> None:
        if not self.real:
            object.__setattr__(self, "real", self.path)

    def where(self) -> str:
        """The file as the site names it, and the one a link leads to: 'content/objectives/x.md (a link to shared/x.md)'."""
        return self.path if self.real == self.path else f"{self.path} (a link to {self.real})"

    def message(self) -> str:
        """The commit subject: 'Check-in: <title> 41 → 45' ('not done → done', '50 % → 60 %'), on one line
        whatever the title or unit holds (a title written in YAML may hold a line break)."""
        old = self._said(self.old, self.new) if self.old is not None else "none"
        return single_line(f"Check-in: {isolated(self.subject)} {old} → {self.shown()}")

    def said(self) -> str:
        """What the command prints: the change, or that the file already holds the value."""
        return f"{single_line(self.subject)} is already {self._said(self.new)}" if self.unchanged else self.message()

    def shown(self) -> str:
        """The new value as a page shows it ("1,040 accounts")."""
        return self._said(self.new, self.old)

    def _said(self, value: float, other: float | None = None) -> str:
        """The value as a page shows it, with the decimals that keep it apart from ``other`` (45.0001 → 45, not 45 → 45)."""
        if self.form == "binary":
            return "done" if value else "not done"
        if self.form == "manual":
            return f"{round_half_up(value * 100, 1):g} %"
        return format_number(value, self.unit, lines=(other,))


def find_target(site: Site, ident: str, kr: str | None, errors: Sequence[Diagnostic] = ()) -> tuple[Objective, KeyResult] | KPI:
    """The key result (objective id + KR number or id) or the KPI a check-in names; ``errors``, the
    site's, say why a key result written with an error of its own cannot take one."""
    ident, kr = one_form(ident), kr if kr is None else one_form(kr)
    if ident in site.objectives:
        objective = site.objectives[ident]
        if kr is None:
            numbers = ", ".join(str(k.index + 1) for k in objective.key_results) or "none"
            raise CheckInError(f"'{ident}' is an objective: say which key result", f"{command_line('okrsite', 'checkin', ident)} KR VALUE, where KR is its number ({numbers}) or id")
        return objective, find_key_result(objective, kr, errors)
    if ident in site.kpis:
        if kr is not None:
            raise CheckInError(f"'{ident}' is a KPI: it takes a value only", f"{command_line('okrsite', 'checkin', ident)} VALUE [--date YYYY-MM-DD]")
        return site.kpis[ident]
    other = "a team" if ident in site.teams else "a page" if ident in site.pages else None
    if other:
        raise CheckInError(f"'{ident}' is {other}; check-ins are for key results and KPIs", "give an objective id and a key result, or a KPI id")
    _not_unread(site, ident, errors)
    hint = did_you_mean(ident, [*site.objectives, *site.kpis]) or "give the id of an objective (its file name) or of a KPI"
    raise CheckInError(f"unknown objective or KPI '{ident}'", hint)


def _not_unread(site: Site, ident: str, errors: Sequence[Diagnostic]) -> None:
    """CheckInError naming the errors of the objective's or KPI's file named ``ident`` when the site
    left it out (a merge conflict in its front matter, YAML it cannot read): that, not "unknown
    objective or KPI", is what stands in the way."""
    read = {goal.doc.path for goal in [*site.objectives.values(), *site.kpis.values()]}
    own = tuple(e for e in errors if e.file not in read and _goal_file_id(e.file) == ident)
    if not own:
        return
    said = f"'{ident}' cannot take a check-in"
    if len(own) == 1:
        raise CheckInError(f"{said}: {own[0].file}:{own[0].line}: {own[0].message}", own[0].hint)
    raise CheckInError(f"{said}: its file {own[0].file} has {len(own)} errors",
                       "fix them first (okrsite check lists them), then check in again", own)


def _goal_file_id(path: str) -> str | None:
    """The id an objective's or KPI's file takes from its name (an `id:` in it cannot be read here)."""
    if not path.startswith(("content/objectives/", "content/kpis/")) or not path.endswith(".md"):
        return None
    stem = PurePosixPath(path).stem
    return bare_slug(stem) or one_form(stem)


def find_key_result(objective: Objective, kr: str, errors: Sequence[Diagnostic] = ()) -> KeyResult:
    if kr.isdigit():  # a number, else an id written in digits
        found = [k for k in objective.key_results if k.index + 1 == int(kr)] or [k for k in objective.key_results if k.id == kr]
        if found:
            return found[0]
        _not_flawed(objective, int(kr) - 1, errors)
        written = _written_count(objective)
        raise CheckInError(f"'{objective.id}' has no key result {kr}", f"it has {written}: give a number from 1 to {written}, or a key result id")
    found = [k for k in objective.key_results if k.id == kr]
    if found:
        return found[0]
    for index, _, _ in objective.flawed_key_results:
        if one_form(str(_written_entry(objective, index).get("id", ""))) == kr:
            _not_flawed(objective, index, errors)
    ids = [k.id for k in objective.key_results]
    if is_page_id(kr):
        raise CheckInError(f"unknown key result '{kr}' in '{objective.id}': the objective's page uses '{kr}' for its own part, so no key result has that id",
                           "its key results: " + ", ".join(ids) + f" (or give its number); write another id than '{kr}' in its file, as okrsite check says")
    raise CheckInError(f"unknown key result '{kr}' in '{objective.id}'", did_you_mean(kr, ids) or "its key results: " + ", ".join(ids))


def _reading(objective: Objective, kr: str, taken: KeyResult, value: str) -> str:
    """When ``kr`` is digits that number one key result and are the id of another: that the number
    was taken, and how to name the other."""
    kr = one_form(kr)
    other = next((k for k in objective.key_results if kr.isdigit() and k.id == kr and k is not taken), None)
    if other is None:
        return ""
    return (f"'{kr}' is the number of key result {taken.index + 1} ({quoted(taken.title)}) and the id of key result {other.index + 1} "
            f"({quoted(other.title)}): key result number {kr} was taken (to check in to the other: {command_line('okrsite', 'checkin', objective.id, other.index + 1, value)})")


def _written(objective: Objective) -> list:
    written = objective.doc.meta.get("key_results")
    return written if isinstance(written, list) else []


def _written_count(objective: Objective) -> int:
    return max(len(_written(objective)), len(objective.key_results))


def _written_entry(objective: Objective, index: int) -> dict:
    written = _written(objective)
    entry = written[index] if 0 <= index < len(written) else None
    return entry if isinstance(entry, dict) else {}


def _not_flawed(objective: Objective, index: int, errors: Sequence[Diagnostic]) -> None:
    """CheckInError naming the error of key result ``index`` when it is written with one of its own
    (the site leaves it out): that, not "no key result 3", is what stands in the way."""
    if not 0 <= index < len(_written(objective)):
        return
    doc, number = objective.doc, index + 1
    lines = [line for path, line in doc.lines.items() if path[:2] == ("key_results", index)] or [doc.line("key_results", index)]
    own = tuple(e for e in errors if e.file == doc.path and min(lines) <= e.line <= max(lines))
    said = f"key result {number} of '{objective.id}' cannot take a check-in"
    if len(own) == 1:
        raise CheckInError(f"{said}: {doc.path}:{own[0].line}: {own[0].message}", own[0].hint)
    raise CheckInError(f"{said}: it has {len(own) if own else 'an'} error{'s' if len(own) > 1 else ''} of its own",
                       "fix it first (okrsite check lists its errors), then check in again", own)


def read_value(text: str, form: str) -> float | bool:
    """The value as typed: a plain number; for a milestone done / not-done; for an estimate 0.4 or 40%."""
    typed = text.strip()
    if form == "binary":
        if typed.lower() in _DONE:
            return _DONE[typed.lower()]
        raise CheckInError(f"'{text}' is not done or not-done", "a milestone key result takes done or not-done")
    percent = form == "manual" and typed.endswith("%")
    number = typed.removesuffix("%").strip() if percent else typed
    if _NUMBER.match(number) and abs(float(number)) > MAX_NUMBER:
        raise CheckInError(f"'{text}' is too large", TOO_LARGE_HINT)
    if not _NUMBER.match(number):
        if form == "manual":  # an estimate: what number_hint would offer (the plain number 40) is refused next
            raise CheckInError(f"'{text}' is not a number", "give e.g. 0.4 or 40%")
        raise CheckInError(f"'{text}' is not a number", number_hint("", number, "give a plain number without units or thousands separators, e.g. 45 or 4.5"))
    value = float(number) / (100 if percent else 1)
    if form == "manual" and not 0 <= value <= 1:
        raise CheckInError(f"'{text}' is not an estimate between 0.0 and 1.0", "give e.g. 0.4 or 40%")
    return value


LastChange = Callable[[str], "date | None"]  # the day of the last commit that changed a file (git.record): none before it is committed


def plan_checkin(root: Path, loaded: Loaded, ident: str, kr: str | None, value: str, day: date | None = None,
                 last_change: LastChange | None = None) -> CheckIn:
    """The edit a check-in makes; raises CheckInError (nothing is written here). ``last_change``: with a
    key result's check-in committed on ``day``, the day before which no commit of its file may be
    dated, so that a date suggested for a typo is one the commit would take."""
    checkin = _plan(root, loaded, ident, kr, value, day, last_change)
    return replace(checkin, real=real_file(root, checkin.path))


def real_file(root: Path, path: str) -> str:
    """The file ``path`` is, relative to the site root: a symbolic link is followed (the site reads a
    linked file inside it like the file itself), so that a check-in changes that file and leaves the
    link a link. The loader reads no link out of the site; one made since is refused."""
    if not (root / os_name(path)).is_symlink():
        return path  # in a content/ that is itself a link (check reads it), the file is where the site names it
    site = Path(os.path.realpath(root))
    real = Path(os.path.realpath(root / os_name(path)))
    if not real.is_relative_to(site):
        raise CheckInError(f"{path} is a link to {text_name(str(real))}, outside the site", "keep the file inside the site, or change the value there by hand")
    return text_name(real.relative_to(site).as_posix())


def _plan(root: Path, loaded: Loaded, ident: str, kr: str | None, value: str, day: date | None, last_change: LastChange | None = None) -> CheckIn:
    target = find_target(loaded.site, ident, kr, loaded.report.errors)
    try:
        if isinstance(target, KPI):
            _not_ahead(day, loaded, kpi=target)
            checkin = _plan_kpi(root, target, read_value(value, "numeric"), day or current_day(), loaded.as_of)
            checkin = replace(checkin, ended=_kpi_finals(loaded, target, day or current_day(), checkin.new))
            if day is not None:
                return replace(checkin, later=_shown_at_period_end(day, target, loaded))
            return replace(checkin, previous=_previous_period(loaded, target, value, current_day(), checkin.path))
        objective, key_result = target
        if day is not None:  # the date of its commit (git.record): a check-in the site would leave out
            _not_ahead(day, loaded, _committable(root, objective.doc.path, last_change))
        new = read_value(value, key_result.form)
        written = _read(root, objective.doc.path)
        text = _edited(objective.doc.path, lambda: set_kr_value(written, key_result.index, key_result.form, new))
    except EditError as exc:
        raise CheckInError(exc.message, exc.hint) from None
    until = min(loaded.as_of, objective.period.end) if objective.period else loaded.as_of
    linked = loaded.site.kpis.get(key_result.kpi or "")
    unit = key_result.unit or (linked.unit if linked else None)  # a linked KR without its own unit shows the KPI's (SPEC §5)
    was = _kr_now(key_result, loaded, until)
    return CheckIn(objective.doc.path, text, key_result.title, was, float(new), unit,
                   f"{objective.url}#{key_result.id}", "kr", key_result.form, text == written, _noted(_ended(loaded, objective, key_result, value, (was, float(new)))),
                   _detached(key_result, value), early=_early(objective, day or current_day()), before=written,
                   reading=_reading(objective, kr or "", key_result, value))


def _committable(root: Path, path: str, last_change: LastChange | None) -> Callable[[date], bool]:
    """Whether a key result's check-in commit may be dated on a day: not before the last commit of its
    file (git.record.ensure_in_date_order refuses that)."""
    if last_change is None:
        return lambda day: True
    return lambda day: (latest := last_change(real_file(root, path))) is None or day >= latest


def _not_ahead(day: date | None, loaded: Loaded, takes: Callable[[date], bool] = lambda day: True, kpi: KPI | None = None) -> None:
    """A value dated after the day the site is shown as of would be left out while the check-in said
    "49 → 47" (a KPI's value, or a key result's check-in committed on that date). Shown as of today, that is a typo in --date (goals/ahead.py): more than a day ahead is
    refused, as the build warns, but for the days `check` only tells of: a monthly (quarterly)
    ``kpi``'s value dated by the last day of the period of today, this period's figure, which the
    refusal of any other day names, or by that of a named period today is in (figure_days). Shown as
    of a day set by the `as_of` setting or --as-of, any value dated after it is refused, today's (no
    --date) too. An as_of okrsite.toml could not read leaves
    nothing to compare with: that error refuses the check-in (check_edit), not a guess of today.
    The date suggested for a typo in the year is one the check-in ``takes`` (a key result's commit is
    not dated before its file's last one), else none is."""
    today = current_day()
    pinned = _as_of_source(loaded, today)
    if pinned is None:
        ends = _figure_days(kpi, today, loaded)
        if day is not None and day > today + SLACK and day not in ends and not loaded.settings.as_of_unread:
            meant = _taken(same_day_this_year(day, today), takes)
            raise CheckInError(f"--date {day} is after today ({today}): the site would leave this value out until then, so nothing was written",
                               (f"did you mean --date {meant}?" if meant else "give the date the value was measured, or leave --date out for today")
                               + _by_period_end(kpi, ends, loaded))
        return
    as_of = loaded.as_of
    if (day or today) <= as_of:
        return
    said = f"--date {day}" if day is not None else f"today ({today})"
    meant = _taken(same_day_this_year(day, as_of), takes) if day is not None else None
    raise CheckInError(f"{said} is after the site's as-of date {as_of} ({pinned}): the site would leave this value out, so nothing was written",
                       f"did you mean --date {meant}?" if meant else f"give --date {as_of} or earlier for a value measured then, or a later {pinned}")


def _by_period_end(kpi: KPI | None, ends: dict[date, str], loaded: Loaded) -> str:
    """The days ahead a refused date of a monthly (quarterly) KPI's value could be: the period's last
    day, and a named period's in its last month (figure_days)."""
    if kpi is None or not ends:
        return ""
    period = PERIODS[kpi.frequency][1]
    return f"; this {period}'s figure of a {kpi.frequency} KPI may be dated by {dated_by(ends, loaded.settings.periods.values(), '--date')}"


def _shown_at_period_end(day: date, kpi: KPI, loaded: Loaded) -> str:
    """A KPI's value that _not_ahead took though dated more than a day after today, on a site shown as
    of today: this period's figure dated by its last day, which the site leaves out until then."""
    today = current_day()
    last_day = _figure_days(kpi, today, loaded).get(day)
    if day <= today + SLACK or last_day is None or _as_of_source(loaded, today) is not None:
        return ""
    return f"the site shows this value from {day} on, {last_day}, as this {PERIODS[kpi.frequency][1]}'s figure; to show it now, check it in without --date"


def _figure_days(kpi: KPI | None, today: date, loaded: Loaded) -> dict[date, str]:
    """The days ahead a monthly (quarterly) KPI's value may be dated by (goals/ahead.py: figure_days)."""
    return figure_days(kpi, today, loaded.settings.periods.values()) if kpi is not None else {}


def _taken(meant: date | None, takes: Callable[[date], bool]) -> date | None:
    return meant if meant is not None and takes(meant) else None


def committed_later(loaded: Loaded) -> str:
    """What a key result's check-in committed now (no --date) says on a site shown as of an earlier day
    whose check-ins are its commits (git history on): its `current:` counts at once (SPEC §6), its
    commit, dated today, counts as a check-in (its date, its note) only once the site is shown as of
    today or later. Not refused as a KPI value is (the value shows); not dated back by itself either."""
    today = current_day()
    pinned = _as_of_source(loaded, today)
    if pinned is None or today <= loaded.as_of or not loaded.settings.git_history:
        return ""
    return (f"the site is shown as of {loaded.as_of} ({pinned}) and this check-in's commit is dated today ({today}): "
            f"its value shows now, its date and note once the site is shown as of {today} or later "
            f"(move the as-of date, or give --date {loaded.as_of} or earlier for a value measured then)")


def _as_of_source(loaded: Loaded, today: date) -> str | None:
    """Where the day the site is shown as of comes from: None when it is today (no setting, no --as-of)."""
    if loaded.settings.as_of is not None and loaded.as_of == loaded.settings.as_of:
        return "as_of in okrsite.toml"
    return "--as-of" if loaded.as_of != today else None


def _noted(*notes: str) -> tuple[str, ...]:
    return tuple(note for note in notes if note)


def _kpi_finals(loaded: Loaded, kpi: KPI, day: date, new: float) -> tuple[str, ...]:
    """A KPI's value dated ``day`` in a finished period (a month-end figure recorded late, a correction
    of the last month it counts) is the final value of each key result of that period following the
    KPI (SPEC §6). Of each whose final value it changes, what a late check-in of that key result says
    (_ended), where a follower's start carried from the old final value is left behind (QA: that
    start turned `okrsite check --strict` red in a file nobody touched, without a word)."""
    following = [(o, kr) for o in loaded.site.objectives.values() if _final_day(o, loaded.as_of, kpi, day)
                 for kr in o.key_results if kr.kpi == kpi.id and follows_kpi(kr)]
    moved = [(o, kr, _kr_now(kr, loaded, o.period.end)) for o, kr in following]
    return _noted(*(_ended(loaded, o, kr, None, (was, new)) for o, kr, was in moved if was is not None and not same_number(was, new)))


def _final_day(objective: Objective, as_of: date, kpi: KPI, day: date) -> bool:
    """Whether ``objective``'s period has ended and ``kpi``'s value dated ``day`` is the last it counts:
    not after the period, nor before a later value dated in it."""
    period = objective.period
    return period is not None and period.end < as_of and day <= period.end and not any(day < p.date <= period.end for p in kpi.values)


def _ended(loaded: Loaded, objective: Objective, kr: KeyResult, value: str | None, moved: tuple[float | None, float]) -> str:
    """A finished period's key result takes a final value (SPEC §6: a written `current:` always
    counts, and so does its KPI's value dated in the period), which moves its grade: say so, and name
    the objective that continues it, the likelier one to check in to: down the chain of followers, the
    one of the period running on the as-of date, else the last one, with what to do there
    (_in_follower: ``moved`` is the value before and after). A start carried from this final value is
    said at the direct follower (_carried_start), where `okrsite check` warns, and then no check-in is
    offered down the chain: it would count this value again. Nothing is offered into a period that
    has ended, since it would move a second finished grade. ``value`` None: the final value is its
    KPI's, dated in the period, which is the usual month-end close: said only where it leaves such a
    start behind, and no check-in of a follower is offered (a KPI's value is none)."""
    period = objective.period
    if period is None or loaded.as_of <= period.end:
        return ""
    final = "its final value" if value is not None else f"the final value of key result {kr.index + 1} of '{objective.id}' ({quoted(kr.title)})"
    said = f"{period.id} ended on {period.end.isoformat()}: this is {final}, and its grade follows it"
    chain = loaded.site.followers(objective.id)
    if not chain:
        return said if value is not None else ""
    follower = _likeliest(chain, kr.title, loaded.as_of)
    where = follower.period.id if follower.period else "another period"
    via = _between(loaded.site, objective.id, follower)
    by_way = f", by way of {', '.join(repr(ident) for ident in via)}" if via else ""
    direct = loaded.site.objectives[via[0]] if via else follower
    ended = follower.period is not None and loaded.as_of > follower.period.end
    continuing = counterpart(kr, objective.key_results, direct.key_results)
    carried = _carried_start(direct, continuing, kr, moved, objective, named=direct is not follower,
                             offered=direct is follower and not ended and value is not None,
                             emptied=continuing is not None and _emptied(loaded, direct, continuing, objective))
    if value is None and not carried:
        return ""
    if ended:
        return f"{said}; '{follower.id}' continues it in {where}{by_way}, which has ended too{carried}"
    twin = counterpart(kr, objective.key_results, follower.key_results)
    return f"{said}; '{follower.id}' continues it in {where}{by_way}{carried or (_in_follower(follower, twin, kr, value, moved, objective) if twin else '')}"


def _carried_start(follower: Objective, twin: KeyResult | None, kr: KeyResult, moved: tuple[float | None, float], objective: Objective,
                   named: bool, offered: bool, emptied: bool) -> str:
    """The start of ``twin``, ``follower``'s key result carried from ``objective``'s ``kr`` (it is the
    value before, or the follower's first line says so: carried_starts), which the new final value
    leaves behind: set it there, so that the follower's period does not count the same work again
    (QA EW: "start 4 → now 5" beside "start 0 → final 5"); or, the target reached, leave the key
    result out, as carry-over leaves out one reached (a start past the target would turn it into one
    going the other way), and the whole follower when ``emptied`` (_emptied). ``named``: the follower
    is not the one the note names; ``offered``: it is the one to check in to, for a value measured in
    its period. Else ""."""
    was, new = moved
    if twin is None or twin.form != "numeric" or kr.form != "numeric" or follower.follows != objective.id or same_number(twin.start, new):
        return ""
    if not (was is not None and same_number(twin.start, was) or carried_starts(follower.doc.body, objective.id) is not None):
        return ""
    path, whose = follower.doc.path, f"; key result {twin.index + 1} of '{follower.id}'" if named else f": its key result {twin.index + 1}"
    if reaches_target(kr.start, kr.target, new):
        reached = f"{whose} continues this one, which reached its target"
        if emptied:
            return (f"{reached}: delete {path}, as carry-over leaves out a key result reached and '{follower.id}' has nothing else to measure "
                    f"its progress{_strict_fails(follower, objective, 'deleted')}")
        return (f"{reached}: remove it ({path}:{follower.doc.line('key_results', twin.index)}), as carry-over leaves out a key result reached"
                f"{_strict_fails(follower, objective, 'removed')}")
    began = "from this one's final value before this check-in" if was is not None and same_number(twin.start, was) else f"at {start_text(twin.start)}"
    period = follower.period.id if follower.period else "its period"
    instead = "" if follows_kpi(twin) or not offered else f"; a value measured in {period} goes there instead"
    return (f"{whose} starts {began}; set its start: {start_text(new)} ({path}:{follower.doc.line('key_results', twin.index, 'start')}), "
            f"or {period} counts the same work again{_strict_fails(follower, objective, 'set')}{instead}")


def _emptied(loaded: Loaded, follower: Objective, twin: KeyResult, objective: Objective) -> bool:
    """Whether ``follower`` has nothing left to measure its progress without ``twin`` and its other key
    results that continue one of ``objective``'s that reached its target (`okrsite check` says to
    remove each): then the note says to delete it, as `check` does."""
    reached = {twin.index} | {other.index for k in objective.key_results if k.form == "numeric"
                              and (other := counterpart(k, objective.key_results, follower.key_results)) is not None
                              and reaches_target(k.start, k.target, _kr_now(k, loaded, objective.period.end))}
    return loaded.site.nothing_left(follower, reached)


def _strict_fails(follower: Objective, objective: Objective, done: str) -> str:
    """`okrsite check` warns at a start carried from a final value that has moved while the follower's
    first line says its key results start where ``objective``'s ended (where it stood, a notice:
    numbers.carrying.moved_finals): a CI running `okrsite check --strict` fails until it is ``done``."""
    return f"; okrsite check --strict fails until it is {done}" if carried_starts(follower.doc.body, objective.id) == "ended" else ""


def _in_follower(follower: Objective, twin: KeyResult, kr: KeyResult, value: str, moved: tuple[float | None, float], objective: Objective) -> str:
    """What to do in ``twin``, the follower's key result of ``kr``'s title, whose start was not carried
    from this one. A milestone or an estimate carried counts its own period's work from nothing:
    reached now, it is to be left out there, as carry-over leaves out one reached; else nothing is
    offered. Else (a guardrail, a start set apart) the check-in is offered, unless it follows its KPI."""
    number = twin.index + 1
    command = f" ({command_line('okrsite', 'checkin', follower.id, number, value)})"
    new, path = moved[1], follower.doc.path
    if twin.form in ("binary", "manual") and kr.form == twin.form:
        reached = new >= 1 and not (twin.done if twin.form == "binary" else (twin.manual_progress or 0) >= 1)
        return (f": its key result {number} is this one again, counted from nothing; remove it from {path} if it was reached in "
                f"{objective.period.id}" if reached else "")
    return "" if follows_kpi(twin) else command


def _early(objective: Objective, day: date) -> str:
    """A key result's check-in committed on ``day``, before its period starts: its number is the value
    now (a written `current:` always counts, SPEC §6), but the forecast fits only the check-ins dated
    in the period, from the key result's start on its first day (SPEC §11), so this one is no point of
    it."""
    period = objective.period
    if period is None or day >= period.start:
        return ""
    return (f"{period.id} starts on {period.start.isoformat()}: this check-in, dated {day.isoformat()}, is before it, so it is the "
            f"value now but no point of the forecast, which starts from the key result's start on {period.start.isoformat()}")


def _between(site: Site, ident: str, follower: Objective) -> list[str]:
    """The objectives between ``ident`` and its ``follower``, in the order they follow each other."""
    between: list[str] = []
    step = follower.follows
    while step and step != ident and step not in between and step in site.objectives:
        between.insert(0, step)
        step = site.objectives[step].follows
    return between


def _likeliest(chain: list[Objective], title: str, as_of: date) -> Objective:
    """Of the followers, one of the period running on ``as_of`` (one with a key result of ``title``
    first), else the last."""
    running = [o for o in chain if o.period is not None and o.period.contains(as_of)]
    titled = [o for o in running if any(k.title == title for k in o.key_results)]
    return (titled or running or chain[-1:])[0]


def _detached(kr: KeyResult, value: str) -> str:
    """A key result linked to a KPI with no number of its own follows the KPI's latest value (SPEC §5).
    A check-in writes its `current:`, which then wins over every later KPI value: say so, and how to
    record the KPI's value instead, for the user who meant that."""
    if not kr.kpi or kr.current is not None or any(p.source == "file" for p in kr.history):
        return ""
    return (f"key result {kr.index + 1} followed the KPI '{kr.kpi}'; its current: {value} now counts instead, "
            f"and new values of '{kr.kpi}' no longer move it (to follow the KPI again, remove that line; "
            f"to record the KPI's value: {command_line('okrsite', 'checkin', kr.kpi, value)})")


def _kr_now(kr: KeyResult, loaded: Loaded, until: date) -> float | None:
    """The value before the check-in, as the site shows it: written, else checked in, else the KPI's
    latest, else start (a guardrail: none); dated values count up to ``until`` (the as-of date, or the end of a finished
    period: SPEC §6), as on the site."""
    if kr.form == "binary":
        return float(kr.done)
    if kr.form == "manual":
        return kr.manual_progress
    if kr.current is not None:
        return kr.current
    checked = _value_on(kr.history, until)
    if checked is not None:
        return checked
    kpi = loaded.site.kpis.get(kr.kpi or "")
    latest = _value_on(kpi.values, until) if kpi else None
    if latest is None and kr.form == "guardrail":
        return None  # a guardrail without a value has none (SPEC §12: "no data"), not a start
    return latest if latest is not None else kr.start


def _value_on(values, day: date) -> float | None:
    """The latest value dated on or before ``day``: what the site shows for that day."""
    seen = [p.value for p in values if p.date <= day]
    return seen[-1] if seen else None


def _plan_kpi(root: Path, kpi: KPI, value: float, day: date, as_of: date) -> CheckIn:
    """The old value is the one the new one takes over from: the site's value on the check-in's date
    (values dated after the as-of date are not shown, so they are not the old one either)."""
    old = _value_on(kpi.values, min(day, as_of))
    if kpi.data:
        path = PurePosixPath(kpi.data.replace("\\", "/")).as_posix()
        written = _read(root, path)
        text = _edited(path, lambda: add_csv_value(written, day, value))
    else:
        path, written = kpi.doc.path, _read(root, kpi.doc.path)
        text = _edited(path, lambda: add_kpi_value(written, day, value))
    return CheckIn(path, text, kpi.title, old, value, kpi.unit, kpi.url, "kpi", unchanged=text == written, before=written)


_EARLY_DAYS = {"monthly": 7, "quarterly": 14}  # how far into its month (quarter) a KPI's figure for the one before still arrives


def _previous_period(loaded: Loaded, kpi: KPI, value: str, today: date, path: str) -> str:
    """A monthly (quarterly) KPI's value checked in without --date in the first days of a month
    (quarter), when the month before has no value yet though earlier ones have one: likely the month
    before's figure, arrived late (December's, on 2 January). It is recorded under today, where an
    objective whose period ended with that month leaves it out (SPEC §6): say so, and how to date it
    in that month (QA EQ). Not of a KPI measured daily or weekly (a day's or week's figure is recorded
    when it comes; a month with none is a gap, not a figure late), nor of one that states no frequency."""
    months = period_months(kpi)
    if months is None:
        return ""
    start = period_bounds(today, months)[0]
    if (today - start).days >= _EARLY_DAYS[kpi.frequency]:
        return ""
    last = start - timedelta(days=1)
    first = date(last.year, last.month - months + 1, 1)
    if any(first <= p.date <= last for p in kpi.values) or not any(p.date < first for p in kpi.values):
        return ""
    named = period_name(last, months)
    ended = _awaiting(loaded, kpi, months, first, last)
    dated = min((o.period.end for o in ended), default=last)
    return (f"recorded under {today.isoformat()}, and {named} has no value of {quoted(kpi.title)} yet: if it is {named}'s figure, "
            f"remove its value dated {today.isoformat()} from {path} and record it for then with "
            f"{command_line('okrsite', 'checkin', kpi.id, value, '--date', dated.isoformat())} (without --commit, which takes "
            f"only a file with no other change), then commit {path}{_left_out(ended, last)}")


def _awaiting(loaded: Loaded, kpi: KPI, months: int, first: date, last: date) -> list[Objective]:
    """The objectives following ``kpi`` whose period ended in the month (quarter) from ``first`` to
    ``last`` and still await its figure: no value dated in the month to their end (months_to), as the
    site's provisional grades say. A fiscal period to 2026-12-26 with a calendar export's 2026-11-30
    value in its last four weeks has its figure, final: a value dated back to its end would move that
    grade, so the note advises the month's own end for it, which counts in the period after (QA FJ)."""
    def waits(o: Objective) -> bool:
        start, end = months_to(o.period.end, months)
        return not any(start <= p.date <= end for p in kpi.values)

    return [o for o in loaded.site.objectives.values() if o.period is not None and first <= o.period.end <= last
            and any(kr.kpi == kpi.id for kr in o.key_results) and waits(o)]


def _left_out(ended: list[Objective], last: date) -> str:
    """The objectives following the KPI whose period ended in the month (quarter) to ``last``, which
    leave out a value dated after their end: a fiscal calendar's period (FY26-Q4, to 2027-01-30) ends
    before the month does, and the date advised is its last day, said as it is."""
    if not ended:
        return ""
    ends = sorted({o.period.end for o in ended})
    when = f"by {last}" if ends == [last] else f"on {ends[0]}" if len(ends) == 1 else f"between {ends[0]} and {ends[-1]}"
    return (f"; {', '.join(repr(o.id) for o in ended)}, whose period ended {when}, "
            f"{'leaves' if len(ended) == 1 else 'leave'} out a value dated after it")


def _edited(path: str, edit: Callable[[], str]) -> str:
    """The text ``edit`` makes of the file ``path``; a file it cannot change is named in the error."""
    try:
        return edit()
    except EditError as exc:
        where = path if exc.line is None else f"{path}:{exc.line}"
        raise EditError(f"{where}: {exc.message}", exc.hint) from None


def _read(root: Path, path: str) -> str:
    try:
        return (root / os_name(path)).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        looping = loop_problem(root, root / os_name(path))
        if looping is not None:  # said as check says it, not "Too many levels of symbolic links"
            link, what, hint = looping
            raise CheckInError(f"{path} cannot be read: {link} {what}", hint) from None
        raise CheckInError(f"{path} cannot be read: {getattr(exc, 'strerror', None) or exc}", "run 'okrsite check' and fix the file first") from None


SiteCheck = Callable[[Path, Loaded], None]
"""What a stage above checks of a loaded site into its report, as `okrsite check` does (web.plan.check_pages)."""


def check_edit(root: Path, checkin: CheckIn, kept: Rereader, as_of: date | None = None, site_check: SiteCheck | None = None) -> None:
    """Load the site as it would be after the edit (the site ``kept`` read, with the edited file's new
    text), checked further by ``site_check``; CheckInError with its errors if any."""
    loaded = load_site(root, as_of, kept.edited(checkin.path, checkin.text))
    if site_check is not None:
        site_check(root, loaded)
    errors = _on_disk(tuple(loaded.report.errors), checkin)
    if errors:
        raise CheckInError(f"after this check-in the site would have {len(errors)} error(s), so nothing was written",
                           "fix them first (okrsite check lists them), then check in again", errors)


def _on_disk(problems: tuple[Diagnostic, ...], checkin: CheckIn) -> tuple[Diagnostic, ...]:
    """The edited site's problems, those of the edited file at its lines as they are on disk, since
    nothing was written: a line below the edit is moved back by the lines it would have added, and one
    of the edit itself is said at the line it would have taken."""
    if not checkin.before:
        return problems
    line_of = _line_before(as_read(checkin.before).split("\n"), as_read(checkin.text).split("\n"))
    return tuple(replace(d, line=line_of(d.line)) if d.file == checkin.path and d.line != NO_LINE else d for d in problems)


def _line_before(old: list[str], new: list[str]) -> Callable[[int], int]:
    """For a line (from 1) of ``new``, one edit of ``old`` (one span of lines replaced or added), its line in ``old``."""
    head = next((n for n, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    tail = next((n for n, (a, b) in enumerate(zip(reversed(old[head:]), reversed(new[head:]))) if a != b), min(len(old), len(new)) - head)
    replaced = len(old) - head - tail

    def line_of(line: int) -> int:
        if line <= head:
            return line
        if line > len(new) - tail:
            return line - len(new) + len(old)
        return head + min(line - head, max(replaced, 1))
    return line_of


def _ensure_writable(path: Path, shown: str) -> None:
    """A goals file or CSV made read-only (chmod 444) is not replaced behind its owner's back, as
    replacing it in a writable folder would be allowed."""
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
        raise CheckInError(f"{shown} is read-only, so nothing was written", f"make it writable with {command_line('chmod', 'u+w', shown)}, then check in again")


def write_checkin(root: Path, checkin: CheckIn) -> Path:
    """Write the new text into the real file (a link stays a link), keeping its permissions: a file
    of one name is replaced atomically (a reader never sees half of it); a file with hard links is
    rewritten in place, so that each of its names shows the check-in (see _rewrite_in_place)."""
    path = root / os_name(checkin.real)
    _ensure_writable(path, checkin.real)
    rewrite_file(path, checkin.text)
    return path


def rewrite_file(path: Path, text: str) -> None:
    """Write ``text`` into the existing file at ``path`` as write_checkin does: atomically, or in place when hard-linked."""
    data = text.encode("utf-8")
    if path.exists() and path.stat().st_nlink > 1:
        _rewrite_in_place(path, data)
    else:
        _replace(path, data)


def _replace(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _rewrite_in_place(path: Path, data: bytes) -> None:
    """Replacing a hard-linked file would leave its other names with the old text, so it is
    overwritten, as editors do: the old text is first saved beside it (.okrsite-NAME-*.old, hidden,
    so the site never reads it), written back if the write fails, and deleted once the new text is
    on disk. Only a crash in between leaves that copy, to restore the file from."""
    old = path.read_bytes()
    fd, saved = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMPORARY}{path.name}-", suffix=".old")
    with os.fdopen(fd, "wb") as out:
        out.write(old)
        out.flush()
        os.fsync(out.fileno())
    try:
        _overwrite(path, data)
    except BaseException:
        _overwrite(path, old)
        Path(saved).unlink()
        raise
    Path(saved).unlink()


def _overwrite(path: Path, data: bytes) -> None:
    with path.open("r+b") as out:
        out.write(data)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


def load_for_checkin(root: Path, kept: Rereader, as_of: date | None = None) -> Loaded:
    """The site a check-in edits, once it is known to be one: a folder that does not exist, a file or
    a folder without content/ is said first and alone (not "unknown objective or KPI": there is no
    site to look in), before anything is read, as a build does. ``kept`` keeps what was read, for
    check_edit."""
    problem = site_problem(root)
    if problem is not None:
        raise CheckInError(problem[1], problem[2])
    return load_site(root, as_of, kept)
