"""Author command: `carry-over FROM TO` writes, for every unfinished objective of period FROM, a new
objective file in period TO that follows it (SPEC §13), never overwriting anything."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from .goals.config import Settings
from .goals.diagnostics import did_you_mean, quoted
from .goals.files import off_device, write_new_files
from .goals.formats import format_number, one_form
from .goals.periods import next_period
from .goals.model import ESTIMATES_RESTART, KPI, STARTS_WHERE, KeyResult, Objective, Period, Site, carried_sentence, slugify
from .goals.repository import Reader, load_site
from .git.checkins import Logs, site_logs
from .git.read import read_site_history
from .numbers.carrying import FINISHED, runs_carrying
from .numbers.compute import KRScore, Scores, compute
from .numbers.forecast import scoring
from .numbers.notices import SETTLE_HINT, left_open, left_open_message
from .scaffold import ScaffoldError, ensure_read, existing_ids, objective_path, period_of, quote, unread_period_folder

_EPSILON = 1e-9


@dataclass(frozen=True)
class Carried:
    """One objective carried over: the file written (or, in a dry run, that would be), and what to know."""

    old: Objective
    ident: str
    path: Path
    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CarryOver:
    carried: tuple[Carried, ...]
    skipped: tuple[tuple[Objective, str], ...]  # (objective, why it was not carried)
    source: Period
    target: Period
    as_of: date | None = None  # when FROM still runs on it: the starts are its numbers on that day, not final
    none_owned: str = ""  # why nothing was carried for --owner: it owns no objective of FROM, and whose FROM's are

    @property
    def running(self) -> bool:
        return self.as_of is not None and self.as_of <= self.source.end


def carry_over(root: Path, from_period: str, to_period: str, owner: str | None = None, dry_run: bool = False, as_of: date | None = None,
               reader: Reader | None = None) -> CarryOver:
    """Write the new files (none with ``dry_run``) and say what was written and what was left out.
    ``as_of`` (--as-of): the date the site is read as of, else the `as_of` setting, else today; FROM
    still running on it is carried from its numbers then. ``reader``: how the site is read (a
    Rereader, for the closing check to read only the new files)."""
    root, owner = Path(root), owner if owner is None else one_form(owner)
    loaded = load_site(root, as_of, reader)
    if loaded.report.errors:
        first = loaded.report.errors[0]
        raise ScaffoldError(f"the site has {len(loaded.report.errors)} error(s), e.g. {first.where}: {first.message}", "run 'okrsite check' and fix them first: carry-over reads the finished period's numbers")
    site, settings = loaded.site, loaded.settings
    source, target = period_of(from_period, settings.periods), period_of(to_period, settings.periods)
    if not source.start < target.start:
        raise ScaffoldError(f"{target.id} does not come after {source.id}", "carry-over FROM TO moves objectives forward in time: give the finished period first")
    if target.start <= source.end:  # FY27 → FY27-Q4, 2026-H2 → 2026-11: the follower would run inside the period it continues
        raise ScaffoldError(f"{target.id} ({target.start} to {target.end}) starts before {source.id} ends ({source.end})",
                            _overlap_hint(source, target, settings.periods, site.periods))
    if target.end < loaded.as_of:
        raise ScaffoldError(f"{target.id} ended on {target.end} (as of {loaded.as_of}): objectives carried into it would be graded at once, "
                            "with no check-ins", "carry the objectives into a period that runs or is still to come; to record the past, "
                            f"give --as-of {target.end} or an earlier day")
    if owner is not None and not any(o.owner == owner for o in site.objectives.values()):
        raise ScaffoldError(f"no objective is owned by '{owner}'", _owners_hint(site, owner, source))
    scores = compute(site, settings, loaded.as_of, logs=_logs(root, site, settings))
    chosen, skipped = _choose(site, scores, source, target, owner, settings.periods)
    along = _roll_ups_along(site, scores, chosen, source, target, owner, settings.periods)
    taken = existing_ids(root, site)
    idents: dict[str, str] = {}
    for o in [*chosen, *map(site.objectives.get, along)]:
        idents[o.id] = _new_id(o, taken)
        taken.add(idents[o.id])
    stood = loaded.as_of if loaded.as_of <= source.end else None
    carried = tuple(_carried(root, site, scores, o, idents, source, target, stood) for o in chosen)
    carried += tuple(_carried_along(root, site, scores, site.objectives[ident], idents, after, loaded.as_of) for ident, after in along.items())
    for item in carried:
        ensure_read(root, item.path, "okrsite carry-over")
    if not dry_run:
        write_new_files({item.path: item.text for item in carried})
    none_owned = "" if chosen or skipped or owner is None else f"no objective of {source.id} is owned by '{owner}' ({_owners_hint(site, owner, source)})"
    return CarryOver(carried, tuple(skipped), source, target, loaded.as_of, none_owned)


def _overlap_hint(source: Period, target: Period, named: dict, held: dict) -> str:
    """What works when TO starts before FROM ends: the site's next period after FROM (next_period). A
    named TO running past FROM's end, while neither okrsite.toml nor an objective names a period after
    FROM, is a new calendar's first period (FY27-Q1 from 27 September, after the calendar's 2026-Q3):
    moved to start the day after FROM ends, it takes the carry-over, before the built-in next period
    beside it. With no next period, one to define. Followers written by hand into such a TO need none
    of this: `follows:` asks only that FROM starts earlier."""
    after, day_after = next_period(source, named, held), source.end + timedelta(days=1)
    comes_next = f"{after.id} ({after.start} to {after.end})" if after is not None else ""
    if target.id in named and target.end > source.end and (after is None or after.id not in {**named, **held}):
        way = f"to carry into {target.id}, start it the day after {source.id} ends: in okrsite.toml, [periods.{target.id}] with start = {day_after}"
        way += f"; or give {comes_next}, which comes next" if after is not None else ""
    elif after is not None:
        way = f"give one that starts after {source.end}: {comes_next} comes next"
    else:
        way = f"define the period after {source.id} in okrsite.toml, with start = {day_after} (the day after {source.id} ends) and end = its last day"
    by_hand = (f"; or write the followers in {target.id} by hand, each with 'follows:' naming the objective it continues "
               "(docs/closing-a-quarter.md, Lineage)") if target.end > source.end else ""
    return f"carry-over continues objectives in a period that starts after FROM ends: {way}{by_hand}"


def _logs(root: Path, site: Site, settings: Settings) -> Logs | None:
    """The check-ins git holds, and okrsite.toml's grading settings at each period's end, as a build
    scores the site with them: a finished period is carried over by the grades its pages show (with a
    lowered aspirational_goal, an objective that missed is still carried: numbers.compute.graded_periods).
    None outside git, when git fails or the history is off."""
    history = read_site_history(root, site, settings).history
    return site_logs(site, history) if history is not None else None


FEW_OWNERS = 8  # of FROM, listed in the hint for an --owner that owns nothing


def _owners_hint(site: Site, owner: str, source: Period) -> str:
    """For an --owner that owns no objective: the owner of FROM's objectives it looks like (else of any
    period's), else FROM's owners when they are few (a team whose id changed since: 'data-team')."""
    of_source = sorted({o.owner for o in site.objectives.values() if o.period == source and o.owner}, key=str.casefold)
    meant = did_you_mean(owner, of_source) or did_you_mean(owner, {o.owner for o in site.objectives.values() if o.owner} - {owner})
    usage = "--owner takes a team id or a person's name as written in 'owner:'"
    if meant or not of_source or len(of_source) > FEW_OWNERS:
        return meant or usage
    return f"the owners of {source.id}: {', '.join(quoted(name) for name in of_source)}; {usage}"


def _choose(site: Site, scores: Scores, source: Period, target: Period, owner: str | None, named: dict) -> tuple[list[Objective], list[tuple[Objective, str]]]:
    """The objectives of ``source`` to carry: not achieved or cancelled, not already followed in
    ``target``; one without key results only when one of its children is carried in this run (it
    rolls them up: written alone, it would be an objective without key results or children).
    ``named``: the periods of okrsite.toml, for the command a roll-up left waits for."""
    chosen: dict[str, Objective] = {}
    waiting: list[Objective] = []
    skipped: list[tuple[Objective, str]] = []
    for o in site.objectives.values():
        if o.period != source or (owner is not None and o.owner != owner):
            continue
        state = scores.objectives[o.id].status
        follower = _follower(site, o.id, target)
        if state in FINISHED:
            skipped.append((o, state))
        elif follower is not None:
            skipped.append((o, f"already continued in {follower}"))
        elif o.key_results:
            chosen[o.id] = o
        else:
            waiting.append(o)
    grew = True
    while grew:
        grew = False
        for o in list(waiting):
            if any(child in chosen for child in site.children.get(o.id, ())):
                chosen[o.id] = o
                waiting.remove(o)
                grew = True
    skipped += [(o, _roll_up_left(site, scores, o, target, named)) for o in waiting]
    return [o for o in site.objectives.values() if o.id in chosen], skipped


def _follower(site: Site, ident: str, target: Period) -> str | None:
    """The objective that already continues ``ident`` in ``target``, if one does."""
    return next((f for f in site.followed_by.get(ident, ()) if site.objectives[f].period == target), None)


def _other_followers(site: Site, parent: str, ancestor: str, target: Period) -> list[str]:
    """A note when ``parent``, the follower of ``ancestor`` chosen, has equals (grow-2026 split into
    grow-us and grow-eu of 2027): the first by name was taken, and the others may have been meant."""
    ties = site.followers_in(ancestor, target)
    if parent not in [f.id for f in ties]:
        return []
    others = [f for f in ties if f.id != parent]
    if not others:
        return []
    names = [f"'{f.id}'" for f in others]
    periods = {f.period.id for f in others}
    where = f"in {periods.pop()}" if len(periods) == 1 else f"through {target.id}"
    verb = "continues" if len(others) == 1 else "continue"
    return [f"aligned to '{parent}'; {' and '.join(names)} also {verb} '{ancestor}' {where}: "
            f"change 'parent:' if {' or '.join(names)} was meant"]


def _roll_ups_along(site: Site, scores: Scores, chosen: list[Objective], source: Period, target: Period, owner: str | None,
                    named: dict) -> dict[str, Period]:
    """The roll-ups of longer periods ending with ``source`` above objectives carried now, the whole chain
    (a half-year, and the year above it, as their last quarter is carried), each carried with them into
    its own next period when it holds ``target`` (QA EQ, ET 4): written later, a roll-up's follower would
    find its children's followers aligned to the finished one, and carry-over edits no file it did not
    write. The chain stops at a roll-up not carried. By roll-up, its new period."""
    along: dict[str, Period] = {}
    for child in chosen:
        parent = site.objectives.get(child.parent) if child.parent else None
        while parent is not None and parent.id not in along:
            after = _next_along(site, scores, parent, source, target, owner, named)
            if after is None:
                break
            along[parent.id] = after
            parent = site.objectives.get(parent.parent) if parent.parent else None
    return along


def _next_along(site: Site, scores: Scores, roll_up: Objective, source: Period, target: Period, owner: str | None, named: dict) -> Period | None:
    """The period ``roll_up`` is carried into with its children (_roll_ups_along), if it is: of a longer
    period ending with ``source``, without key results, unfinished, of ``owner``, not yet continued."""
    if roll_up.period == source or roll_up.period.end != source.end or scoring(roll_up.key_results):
        return None
    after = next_period(roll_up.period, named, site.periods)
    if (after is not None and target.within(after) and scores.objectives[roll_up.id].status not in FINISHED
            and (owner is None or roll_up.owner == owner) and site.follower_in(roll_up.id, target) is None):
        return after
    return None


def _carried_along(root: Path, site: Site, scores: Scores, o: Objective, idents: dict[str, str], after: Period, as_of: date) -> Carried:
    """A roll-up carried with its children (_roll_ups_along), into its own next period, said so."""
    carried = _carried(root, site, scores, o, idents, o.period, after, as_of if as_of <= o.period.end else None)
    kids = ", ".join(f"'{c}'" for c in site.children.get(o.id, ()) if c in idents)
    note = f"carried with its children {kids}: {o.period.id} ends with {site.objectives[next(c for c in site.children.get(o.id, ()) if c in idents)].period.id}, into {after.id}"
    return replace(carried, notes=(note, *carried.notes))


def _earlier_followers(site: Site, roll_up: Objective, target: Period) -> list[Objective]:
    """The followers in ``target`` of ``roll_up``'s children that an earlier run (``--owner``) wrote,
    still aligned to it (or to nothing)."""
    return [f for child in site.children.get(roll_up.id, ()) for f in site.followers(child)
            if f.period is not None and f.period.within(target) and f.parent in (None, roll_up.id)]


def _realign_note(site: Site, roll_up: Objective, ident: str, target: Period) -> list[str]:
    """For a roll-up carried now as ``ident``, the followers an earlier run wrote of its other children,
    still aligned to it or to nothing: carry-over never edits a file it did not write, so it says the line to change
    (QA EV 2: `okrsite check` then refused them, and the run said nothing)."""
    earlier = _earlier_followers(site, roll_up, target)
    if not earlier:
        return []
    files = ", ".join(f"'{f.id}' ({f.doc.path})" for f in earlier)
    return [f"{'its children' if len(earlier) > 1 else 'a child'}'s follower written by an earlier run is not aligned to it: "
            f"set 'parent: {ident}' in {files}"]


def _roll_up_left(site: Site, scores: Scores, o: Objective, target: Period, named: dict) -> str:
    """Why a roll-up is not carried, and what to do. When its children are of shorter periods (a year's
    quarters), carrying the last of them carries it too (_roll_ups_along), and those of a child rolling
    up its own (runs_carrying); that run names any follower an earlier run wrote to align to it. Else,
    when an earlier run (``--owner``) carried a child of it, that child's follower is still aligned to
    it (or to nothing): write its follower by hand (carry-over never edits a file)."""
    commands = [f"okrsite carry-over {first.id} {after.id}" for first, after in runs_carrying(site, scores, o, target, partial(next_period, named=named, held=site.periods))]
    if commands:
        return (f"no key results, and its children are of shorter periods, never carried in this run: "
                f"{'; '.join(commands)} carries it with them into {target.id}")
    earlier = _earlier_followers(site, o, target)
    if earlier:
        files = ", ".join(f.doc.path for f in earlier)
        return (f"no key results, and its children were carried by an earlier run, still aligned to it ({', '.join(f.id for f in earlier)}): "
                f"write its follower by hand (follows: {o.id}) and set it as their 'parent:' in {files}")
    return "no key results, and none of its children is carried over"


def _new_id(o: Objective, taken: set[str]) -> str:
    """The old id with the first free numbered suffix: grow-revenue → grow-revenue-2 → grow-revenue-3
    (never a name Windows reserves: con-3's follower that finds 'con' free is con-objective)."""
    base = slugify(o.id)
    suffixed = re.match(r"^(.+)-\d+$", base)
    if o.follows and suffixed:
        base = suffixed[1]
    base = off_device(base, "objective")
    number = 1
    ident = base
    while ident in taken:
        number += 1
        ident = f"{base}-{number}"
    return ident


def _parent(site: Site, o: Objective, idents: dict[str, str], target: Period) -> tuple[str | None, str | None]:
    """(new parent, the ancestor it stands for): the parent's follower through ``target`` (written now,
    or before: in ``target`` or a longer period holding it, as after `carry-over 2026 2027`); else the
    nearest ancestor that itself runs through ``target`` or has a follower through it; else the parent
    itself (SPEC §13: "the same parent"), though its period is over."""
    seen: set[str] = set()
    parent = o.parent
    while parent in site.objectives and parent not in seen:
        seen.add(parent)
        written = site.follower_in(parent, target)
        follower = idents.get(parent) or (written.id if written is not None else None)
        if follower is not None:
            return follower, parent
        if target.within(site.objectives[parent].period):
            return parent, parent
        parent = site.objectives[parent].parent
    return (o.parent, None) if o.parent in site.objectives else (None, None)


def _carried(root: Path, site: Site, scores: Scores, o: Objective, idents: dict[str, str], source: Period, target: Period,
             stood: date | None = None) -> Carried:
    ident = idents[o.id]
    parent, ancestor = _parent(site, o, idents, target)
    notes = []
    if o.parent and ancestor is None:
        notes.append(f"kept 'parent: {o.parent}' of {site.objectives[o.parent].period.id}: it has no follower running through {target.id}; "
                     f"align it to an objective running through {target.id} with 'parent:'" if parent else
                     f"no parent: '{o.parent}' has no follower running through {target.id}; align it with 'parent:'")
    elif ancestor != o.parent:
        above = f"'{parent}'" if parent == ancestor else f"'{parent}' (the follower of '{ancestor}')"
        notes.append(f"aligned to {above}, above '{o.parent}', which has no follower running through {target.id}")
    if ancestor is not None:
        notes += _other_followers(site, parent, ancestor, target)
    notes += _realign_note(site, o, ident, target)
    notes += filter(None, [unread_period_folder(root, o, target)])
    if left_open(o, scores.as_of):
        notes.append(f"'{o.id}' ({o.doc.path}): {left_open_message(o)}; {SETTLE_HINT}")
    krs = list(zip(o.key_results, scores.objectives[o.id].key_results))
    reached = [kr for kr, s in krs if kr.form != "guardrail" and s.progress >= 1 - _EPSILON]  # a guardrail goes on guarding
    unfinished = [(kr, s) for kr, s in krs if kr not in reached]
    if not [kr for kr, _ in unfinished if kr.form != "guardrail"]:
        unfinished = []
    if len(unfinished) < len(krs):
        done = [kr.title for kr in reached]
        if unfinished:
            notes.append("left out, reached already: " + "; ".join(done))
        else:
            notes.append("every key result was reached (its status was set by hand, or its score is below its goal): copied with their old starts")
    lines = ["---", f"title: {quote(o.title)}", f"period: {quote(target.id)}", f"owner: {quote(o.owner)}"]
    if parent:
        lines.append(f"parent: {quote(parent)}")
    lines += [f"kind: {o.kind}", f"follows: {quote(o.id)}"]
    lines += [f"{flag}: true" for flag in ("private", "confidential") if getattr(o, flag)]  # a follower is as secret (SPEC §14)
    if o.kpis:
        lines.append(f"kpis: [{', '.join(quote(k) for k in o.kpis)}]")
    if o.tags:
        lines.append(f"tags: [{', '.join(quote(t) for t in o.tags)}]")
    path = objective_path(root, o, ident, target)
    written = unfinished or [(kr, None) for kr, _ in krs]
    if krs:
        lines.append("key_results:")
        for number, (kr, s) in enumerate(written, 1):
            retired = _retired_before(site, kr, target)
            linked = site.kpis.get(kr.kpi) if retired is None else None
            first = len(lines)
            lines += _key_result_lines(kr, s, o, confided=o.confidential or (linked is not None and linked.confidential), retired=retired)
            if retired is not None:
                notes.append(f"key result {number} followed {retired.id}, retired on {retired.retired}: it is now checked in by hand; "
                             "give it another KPI with kpi: if one measures it")
            if s is not None and s.awaited is not None and kr.form == "numeric":
                at = f"{path.relative_to(root).as_posix()}:{first + _start_line(lines[first:])}"
                notes.append(_awaited_note(site.kpis[kr.kpi], s, at))
    where = f"stood on {stood}, before {source.id} ended" if stood else "ended"
    estimates = ESTIMATES_RESTART if any(kr.form == "manual" for kr, _ in written) else ""
    carried_on = f"{STARTS_WHERE}{where}{estimates}" if scoring(o.key_results) else ""  # a roll-up has none: its children carry it on
    lines += ["---", f"{carried_sentence(o.id, source.id)}{carried_on}.", ""]
    return Carried(o, ident, path, "\n".join(lines), tuple(notes))


def _start_line(lines: list[str]) -> int:
    """The line number, 1-based from the first of ``lines`` (a key result's), of its `start:`."""
    return next(n for n, line in enumerate(lines, 1) if line.startswith("    start: "))


def _awaited_note(kpi: KPI, score: KRScore, at: str) -> str:
    """A key result carried from a final value that is not final yet: its monthly (quarterly) KPI has no
    figure for FROM's last month (quarter), which comes days after FROM ended (numbers.awaited)."""
    awaited = score.awaited
    start = format_number(score.current, score.unit)
    counted = f"{awaited.counted_name}'s" if awaited.counted_name else "the old key result's start: it had no value"
    return (f"awaiting the {awaited.awaited_name} value of {kpi.title}: the start {start} is {counted}; "
            f"when that value is checked in, set the start of {at} to it")


def _retired_before(site: Site, kr: KeyResult, target: Period) -> KPI | None:
    """The KPI ``kr`` names, when it was retired by the day ``target`` starts: followed there, the key
    result would stand at its last value all period, which `okrsite check` warns of (--strict: an error)."""
    kpi = site.kpis.get(kr.kpi) if kr.kpi else None
    return kpi if kpi is not None and kpi.retired is not None and kpi.retired <= target.start else None


def _key_result_lines(kr: KeyResult, score: KRScore | None, o: Objective, confided: bool = False, retired: KPI | None = None) -> list[str]:
    """A key result as it starts the new period: from its final value (``score``; None: its old start),
    the same target, no check-ins and no `current`; a milestone not done, an estimate at 0. A
    confidential one stays so (``confided``: its objective or KPI already says it). One whose KPI was
    ``retired`` before the period is checked in by hand: no `kpi:`, in the unit and format it had from the KPI."""
    lines = [f"  - title: {quote(kr.title)}"]
    if kr.confidential and not confided:
        lines.append("    confidential: true")
    if kr.owner != o.owner:
        lines.append(f"    owner: {quote(kr.owner)}")
    if kr.kpi and retired is None:
        lines.append(f"    kpi: {quote(kr.kpi)}")
    if kr.form == "numeric":
        start = score.current if score is not None and score.current is not None else kr.start
        lines += [f"    start: {_number(start)}", f"    target: {_number(kr.target)}"]
    elif kr.form == "guardrail":
        line, value = ("keep_above", kr.keep_above) if kr.keep_above is not None else ("keep_below", kr.keep_below)
        lines.append(f"    {line}: {_number(value)}")
    elif kr.form == "binary":
        lines.append("    done: false")
    else:
        lines.append("    progress: 0")
    unit = kr.unit if kr.unit is not None or retired is None else retired.unit
    if unit is not None:
        lines.append(f"    unit: {quote(unit)}")
    if kr.weight != 1:
        lines.append(f"    weight: {_number(kr.weight)}")
    number_format = kr.number_format or (retired.number_format if retired is not None else None)
    if number_format:
        lines.append(f"    format: {number_format}")
    return lines


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
