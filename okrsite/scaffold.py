"""Author commands: `new` writes one valid file (never overwriting), `init` a starter goals repository."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

from .goals.config import Settings
from .goals.diagnostics import WARNING, Diagnostic, did_you_mean, quoted
from .goals.files import SETTINGS_FILE, linked_folder_problem, off_device, write_new_files
from .goals.formats import clean_text, one_form
from .goals.link import owner_problem
from .goals.model import MAX_SLUG, MAX_SLUG_BYTES, Objective, Period, Site, Team, bare_slug, slugify, top_teams, uncut_slug
from .goals.parse import PLACEHOLDER_KR_TITLE, PLACEHOLDER_SOURCE, PLACEHOLDER_TEXT
from .goals.periods import PeriodError, month_end, next_period, parse_period, period_hint
from .goals.clock import today as this_day
from .goals.repository import Loaded, Reader, load_site
from .goals.schema import frontmatter_config
from .numbers.compute import current_period

FOLDERS = {"objective": "objectives", "kpi": "kpis", "team": "teams"}


class ScaffoldError(Exception):
    """A refusal, as message and hint; ``problems`` holds every (message, hint) found in one run, the
    first of them ``message`` and ``hint`` (`new` says all it was given wrong at once, as `check` does)."""

    def __init__(self, message: str, hint: str, more: Sequence[tuple[str, str]] = ()) -> None:
        self.problems = [(message, hint), *more]
        super().__init__("; ".join(text for text, _ in self.problems))
        self.message, self.hint = message, hint


def _checked(problems: list[tuple[str, str]], check, *args):
    """What ``check(*args)`` returns, or None with its refusal added to ``problems``: a diagnostic is a
    value collected with the others, not a stop at the first."""
    try:
        return check(*args)
    except ScaffoldError as exc:
        problems.extend(exc.problems)
        return None


def _refuse(problems: list[tuple[str, str]]) -> None:
    """One ScaffoldError with every problem collected, if there is any."""
    if problems:
        raise ScaffoldError(*problems[0], problems[1:])


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def quote(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly ``text``.

    A JSON string is valid YAML, except for characters YAML refuses raw or reads as line breaks:
    those are written as \\u escapes.
    """
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


def period_of(text: str, named: dict) -> Period:
    """A period named on the command line, or a ScaffoldError with the nearest name."""
    try:
        return parse_period(text, named)
    except PeriodError as exc:
        raise ScaffoldError(str(exc), period_hint(text, named)) from None


def this_quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def existing_ids(root: Path, site: Site) -> set[str]:
    """Ids taken by an item of the site, or by a file's name (a file that does not load still takes it)."""
    content = root / "content"
    names = {slugify(p.stem) for p in content.rglob("*.md")} if content.is_dir() else set()
    return names | set(site.objectives) | set(site.kpis) | set(site.teams) | set(site.pages)


def _check_free(root: Path, site: Site, path: Path, ident: str, title: str = "") -> None:
    """A ScaffoldError when the new file's name or id is taken: by that file (saying the id it holds,
    which may be another one), or by an item of another file. A long ``title`` whose id was cut
    (MAX_SLUG) is told so when the item there has another title."""
    rel = path.relative_to(root).as_posix()
    hint = "choose another title (it names the file), or edit the existing file"
    if path.exists() or path.is_symlink():
        holder = next((item.id for table in (site.objectives, site.kpis, site.teams, site.pages)
                       for item in table.values() if item.doc.path == rel), None)
        if holder == ident:
            _not_cut_alike(site, ident, title, rel)
            raise ScaffoldError(f"an item with the id '{ident}' already exists: {rel}", hint)
        held = f": it holds the id '{holder}'" if holder else ""
        raise ScaffoldError(f"{rel} is there already{held}", hint)
    if ident in existing_ids(root, site):
        where = next((item.doc.path for table in (site.objectives, site.kpis, site.teams, site.pages) for item in table.values() if item.id == ident), None)
        if where is None and (root / "content").is_dir():  # a file that does not load still takes its name
            where = next((p.relative_to(root).as_posix() for p in sorted((root / "content").rglob("*.md")) if slugify(p.stem) == ident), None)
        _not_cut_alike(site, ident, title, where)
        raise ScaffoldError(f"an item with the id '{ident}' already exists" + (f": {where}" if where else ""), hint)


def _not_cut_alike(site: Site, ident: str, title: str, where: str | None) -> None:
    """A ScaffoldError saying why a long title takes an id already taken by an item of another
    title: an id keeps the first MAX_SLUG characters of the title, and the two differ only after them."""
    if not title or uncut_slug(title) == bare_slug(title):
        return
    holder = next((item for table in (site.objectives, site.kpis, site.teams, site.pages) for item in table.values() if item.id == ident), None)
    if holder is not None and uncut_slug(getattr(holder, "title", "") or "") == uncut_slug(title):
        return
    raise ScaffoldError(f"an item with the id '{ident}' already exists" + (f": {where}" if where else "") +
                        f"; an id keeps at most the first {MAX_SLUG} characters of the title ({MAX_SLUG_BYTES} bytes in UTF-8), and this title "
                        "differs from that one's only after them",
                        f"give a title that differs within its first {MAX_SLUG} characters (a shorter one: it names the file; the title "
                        "in the file can be made longer afterwards), or edit the existing file")


def ensure_read(root: Path, path: Path, command: str) -> None:
    """A ScaffoldError when ``path`` lies in a content/ folder that is a symbolic link: the site reads
    no file through one (goals.files), so the file would be written where it never shows."""
    problem = linked_folder_problem(root, path.relative_to(root).as_posix(), command)
    if problem is not None:
        raise ScaffoldError(*problem)


def _kind_of(site: Site, ident: str) -> str | None:
    tables = (("objective", site.objectives), ("KPI", site.kpis), ("team", site.teams), ("page", site.pages))
    return next((kind for kind, table in tables if ident in table), None)


def _check_parent(site: Site, kind: str, parent: str) -> Objective | Team:
    """The objective (or, for a team, the team) ``parent`` names; a ScaffoldError with did-you-mean if none."""
    if kind == "kpi":
        raise ScaffoldError("a KPI has no parent", "leave out --parent; list the objectives it informs under 'objectives:' in the new file")
    table = site.teams if kind == "team" else site.objectives
    if parent in table:
        return table[parent]
    other = _kind_of(site, parent)
    what = f"{'a' if kind == 'team' else 'an'} {kind}"
    if other:
        message = f"'{parent}' is {'an' if other == 'objective' else 'a'} {other}, not {what}"
    else:
        message = f"unknown parent '{parent}'"
    folder = f"content/{FOLDERS[kind]}/"
    raise ScaffoldError(message, did_you_mean(parent, table) or f"--parent takes the id of {what}, a file in {folder}")


def no_place_for_new(root: Path) -> tuple[str, str, str] | None:
    """(file, message, hint) when `okrsite new` may not start content/ in ``root``, a folder without one:
    `new` starts a goals repository only where one is meant (okrsite.toml, or a git repository's own
    folder), never in a folder inside one (content/objectives: it would write content/ in content/)
    nor in any folder it happens to run in."""
    root = Path(root)
    here = root.resolve()
    above = next((folder for folder in here.parents if _goals_repository(folder)), None)
    if above is None and ((root / SETTINGS_FILE).is_file() or (root / ".git").exists()):
        return None
    if above is not None:
        return ("content", f"{here} is inside the goals repository {above}, not its top folder",
                f"run okrsite new in {above}, or give --site {above}")
    return ("content", f"no content/ folder in {root}",
            "run okrsite new in a goals repository (the folder that holds content/), or create one with 'okrsite init DIR'")


def _goals_repository(folder: Path) -> bool:
    """Whether ``folder`` holds a goals repository: its content/ with okrsite.toml beside it or a folder
    of goals in it (okrsite.toml is optional)."""
    content = folder / "content"
    return content.is_dir() and ((folder / SETTINGS_FILE).is_file() or any((content / kind).is_dir() for kind in ("objectives", "kpis", "teams")))


def new_file(root: Path, kind: str, title: str, owner: str | None = None, period: str | None = None, parent: str | None = None, as_of: date | None = None,
             reader: Reader | None = None) -> Path:
    """Write content/<kind folder>/<slug of title>.md (an objective: in its period's folder when the
    site keeps them, as carry-over does) and return its path.

    The site is loaded first and every reference checked as `okrsite check` would, so that nothing
    is written that check then refuses; as check, it says every problem at once (one ScaffoldError
    with all of them), not only the first. An objective's default period is the one running on the
    site's as-of date, as the build sees it: ``as_of`` (--as-of), else the `as_of` setting, else today.
    ``reader``: how the site is read (a Rereader, to read it again after the file is written).
    """
    root = Path(root)
    title = clean_text(title)
    owner = clean_text(owner) if owner is not None else None
    owner, parent = (one_form(name) if name is not None else None for name in (owner, parent))
    problems: list[tuple[str, str]] = []
    ident = _checked(problems, _title_id, title, kind)
    loaded = load_site(root, as_of, reader)
    unread = next((d for d in loaded.report.errors if d.file == SETTINGS_FILE), None)
    if unread is not None:  # its period, kind and date would be the defaults, not the site's
        problems.append((f"{SETTINGS_FILE}:{unread.line}: {unread.message}", unread.hint or "fix the settings file first"))
        _refuse(problems)
    site = loaded.site
    above = _checked(problems, _check_parent, site, kind, parent) if parent is not None else None
    if kind != "team":
        owner = _checked(problems, _owner, site, owner)
    if owner is not None:
        _checked(problems, _check_spelling, site, owner)
    if kind == "objective":
        chosen = _checked(problems, _objective_period, site, loaded.settings, period, above, loaded.as_of)
    else:
        chosen = _checked(problems, _no_period, kind, period) if period is not None else None
    if ident is not None:  # an unknown period: content/objectives/ (a taken id is taken in any folder)
        path = _new_path(root, site, kind, ident, chosen, owner)
        _checked(problems, ensure_read, root, path, "okrsite new")
        _checked(problems, _check_free, root, site, path, ident, title)
    _refuse(problems)
    lines = ["---", f"title: {quote(title.strip())}"]
    if kind == "objective":
        lines += _objective_lines(chosen.id, owner, parent, loaded.settings.default_kind)
        body = PLACEHOLDER_TEXT["objective"]
    elif kind == "kpi":
        lines += [f"owner: {quote(owner)}", "unit: \"\"", "direction: up", "target: 100", "threshold: 80",
                  "category: operational", "indicator: leading", "frequency: monthly",
                  f"source: {quote(PLACEHOLDER_SOURCE)}", "values: []"]
        body = PLACEHOLDER_TEXT["kpi"]
    else:
        if parent:
            lines.append(f"parent: {quote(parent)}")
        lines += [f"lead: {quote(owner)}" if owner else "lead: null", "members: []"]
        body = PLACEHOLDER_TEXT["team"]
    lines += ["---", body, ""]
    write_new_files({path: "\n".join(lines)})
    return path


def _title_id(title: str, kind: str) -> str:
    """The new file's name and id: the title slugified. A title with no letter or digit ('🚀🎉') has
    none (bare_slug), and is refused: slugify's 'item' would be the name of every such file, the
    second one a clash (docs/objectives.md). A name Windows keeps for a device ('Con', 'Aux') gets the
    kind as a word of its own (con-objective.md, aux-team.md), so that check has nothing to say of it."""
    if not title:
        raise ScaffoldError("the title is empty", "give the title in quotes, e.g. okrsite new objective \"Grow revenue\"")
    ident = bare_slug(title)
    if not ident:
        raise ScaffoldError(f"the title {quoted(title)} has no letter or digit to make a file name and id from",
                            "give a title with letters or digits (it names the file); the title can be changed in the file afterwards")
    return off_device(ident, kind)


def _no_period(kind: str, period: str) -> None:
    """--period given for a KPI or a team, which have none: refused rather than dropped (QA BN), so
    that nobody looks for the period they asked for in a file that does not say it."""
    if kind == "kpi":
        raise ScaffoldError(f"a KPI has no period (--period {period})",
                            "leave out --period: a KPI is measured all along; the objectives of a period list it under 'kpis:'")
    raise ScaffoldError(f"a team has no period (--period {period})", "leave out --period: a team lasts across periods")


def _owner(site: Site, owner: str | None) -> str:
    """The owner of a new objective or KPI: the one given, else the site's only top-level team."""
    if owner is None:
        tops = sorted(top_teams(site.teams))
        if len(tops) != 1:
            raise ScaffoldError("no owner given", "add --owner with a team id or a person's name")
        owner = tops[0]
    if not owner.strip():  # given empty, or only control characters, which are dropped as a title's are
        raise ScaffoldError("the owner is empty", "give --owner a team id or a person's name")
    problem = owner_problem(owner, site.teams)
    if problem:
        raise ScaffoldError(*problem)
    return owner


def _new_path(root: Path, site: Site, kind: str, ident: str, period: Period | None, owner: str | None) -> Path:
    """content/<kind folder>/<ident>.md; an objective of ``period`` goes where `carry-over` would put
    it when the site keeps objectives in folders named after their periods (objective_path)."""
    beside = _beside(site, period, owner) if period is not None else None
    if beside is not None:
        return objective_path(root, beside, ident, period)
    return root / "content" / FOLDERS[kind] / f"{ident}.md"


def _beside(site: Site, period: Period, owner: str | None) -> Objective | None:
    """The objective a new one of ``period`` is written after, as a follower after the objective it
    continues: one in a folder named after its own period (none: the site keeps no period folders);
    the owner's first (a folder per team), then one of ``period`` itself, then the latest."""
    filed = [o for o in site.objectives.values() if o.period is not None and _spelling(PurePosixPath(o.doc.path).parent, o.period)]
    return min(filed, key=lambda o: (o.owner != owner, o.period != period, -o.period.start.toordinal(), o.doc.path), default=None)


def objective_path(root: Path, beside: Objective, ident: str, period: Period) -> Path:
    """Where the objective ``ident`` of ``period``, written after ``beside`` (the objective a follower
    continues), goes: beside its file; in the folder of ``period`` when the folder of ``beside`` is
    named after its own period (_spelling: content/objectives/2026-q3/ → 2026-q4/, Q3-2026/ →
    Q4-2026/, 2026/q4/ → 2027/q1/): the folder of ``period`` there already, else one spelled as the old one is."""
    folder = PurePosixPath(beside.doc.path).parent
    spelling = _spelling(folder, beside.period) if beside.period is not None else None
    if spelling is not None:
        folder = _period_folder(root, spelling(period), period)
    return root / folder / f"{ident}.md"


def unread_period_folder(root: Path, beside: Objective, period: Period) -> str:
    """Why the follower of ``beside`` goes beside it in a folder that looks named after its period
    (it holds the period's year and quarter, as 2026-Q3 Sales/ does, or is named after the quarter
    alone, q3/) but is not read as such: '' for any other folder."""
    folder = PurePosixPath(beside.doc.path).parent
    old = beside.period
    if old is None or _spelling(folder, old) is not None or folder == PurePosixPath("content/objectives"):
        return ""
    written = folder.relative_to("content/objectives").as_posix().casefold() if folder.is_relative_to("content/objectives") else folder.name.casefold()
    parts = old.id.casefold().split("-")
    if not all(part in written for part in parts) and folder.name.casefold() != parts[-1]:
        return ""
    examples = list(dict.fromkeys([old.id, old.id.lower().replace("-", ""), "-".join(reversed(old.id.split("-"))), "/".join(old.id.split("-"))]))
    named = examples[0] if len(examples) == 1 else f"{', '.join(examples[:-1])} or {examples[-1]}"
    return (f"{folder}/ is not read as the folder of {old.id} (one is named like {named}), so the file for {period.id} went beside "
            f"the old one: move it where {period.id}'s objectives go")


_PERIOD_PARTS = re.compile(r"^([^-]+)-([^-]+)$")  # 2026-Q3, 2026-H2, 2026-11, FY27-Q1: a year and a part of it


def _spelling(folder: PurePosixPath, period: Period) -> Callable[[Period], PurePosixPath] | None:
    """How ``folder`` is named after ``period``, as a function giving the folder of another period
    spelled alike; None when it is not. The id as written or slugified (2026-Q3/, 2026-q3/); its two
    parts in either order, joined by -, _, a space, a dot or nothing (Q3-2026/, 2026q3/, 2026_Q3/), each
    in capitals or small letters; or one folder in the other (2026/q3/)."""
    name = folder.name
    if name.casefold() in (period.id.casefold(), slugify(period.id)):
        return lambda target: folder.parent / _spelled_like(name, period, target)
    parts = _PERIOD_PARTS.match(period.id)
    if parts is None:
        return None
    year, part = parts.groups()
    for first, second, swapped in ((year, part, False), (part, year, True)):
        found = re.fullmatch(f"({re.escape(first)})([-_ .]?)({re.escape(second)})", name, re.IGNORECASE)
        if found:
            return lambda target, found=found, swapped=swapped: folder.parent / _respelled(found, target, swapped)
    if folder.parent.name.casefold() == year.casefold() and name.casefold() == part.casefold():
        return lambda target: _nested(folder, target)
    return None


def _cased(written: str, part: str) -> str:
    return part.upper() if written.isupper() else part.lower() if written.islower() else part


def _respelled(found: re.Match, target: Period, swapped: bool) -> str:
    """``target``'s id written as ``found`` wrote the old one: Q3-2026 → Q4-2026, 2026q3 → 2026q4."""
    parts = _PERIOD_PARTS.match(target.id)
    if parts is None:
        return target.id
    first, second = reversed(parts.groups()) if swapped else parts.groups()
    return _cased(found[1], first) + found[2] + _cased(found[3], second)


def _nested(folder: PurePosixPath, target: Period) -> PurePosixPath:
    """The folder of ``target`` in its year's, as 2026/q3/ is: 2026/q4/, 2027/q1/."""
    parts = _PERIOD_PARTS.match(target.id)
    if parts is None:
        return folder.parent.parent / target.id
    year, part = parts.groups()
    return folder.parent.parent / _cased(folder.parent.name, year) / _cased(folder.name, part)


def _spelled_like(name: str, source: Period, target: Period) -> str:
    """``target``'s folder name in the spelling of ``name``, the folder of ``source``: its slug, its
    id as written, or the id in capitals or small letters."""
    for spell in (slugify, str, str.upper, str.lower):
        if name == spell(source.id):
            return spell(target.id)
    return target.id


def _period_folder(root: Path, spelled: PurePosixPath, target: Period) -> PurePosixPath:
    """The folder of ``target`` beside ``spelled``: ``spelled`` itself when it is there, else one named
    after ``target`` already (2026-q4/ where 2026-Q3/ would give 2026-Q4/), else ``spelled``."""
    there = root / spelled.parent
    if (root / spelled).is_dir() or not there.is_dir():
        return spelled
    named = sorted(d.name for d in there.iterdir() if d.is_dir() and _spelling(spelled.parent / d.name, target) is not None)
    return spelled.parent / named[0] if named else spelled


def _objective_period(site: Site, settings: Settings, period: str | None, parent: Objective | None, as_of: date) -> Period:
    """The given period, else the default one; without --period a child takes its parent's period
    when the default lies outside it (a period outside the parent's is a warning in `check`)."""
    chosen = period_of(period or settings.default_period or settings.current_period or _running(site, settings, as_of), settings.periods)
    if parent is None or parent.period is None or chosen.within(parent.period):
        return chosen
    if period is None:
        return parent.period
    follower = _follower_option(site, parent, chosen)
    hint = (f"give {follower} through {chosen.id}; or leave out --period to take {parent.period.id}" if follower else
            f"leave out --period to take {parent.period.id}, or choose a parent running through {chosen.id}")
    raise ScaffoldError(f"period {chosen.id} lies outside the parent's period {parent.period.id}", hint)


def ended_period_warning(loaded: Loaded, root: Path, path: Path, period: str | None) -> list[Diagnostic]:
    """The new objective at ``path`` in a period that ended before the as-of date, taken without
    --period (its parent's, or the default): it joins that finished period's grades and lowers
    them, so say so, and how to write it into the running period instead. ``loaded``: the site
    with the new file."""
    objective = loaded.site.objectives.get(path.stem)
    if period is not None or objective is None or objective.period is None or loaded.as_of <= objective.period.end:
        return []
    ended, parent = objective.period, loaded.site.objectives.get(objective.parent or "")
    whose = f", the period of its parent '{parent.id}'," if parent is not None and parent.period == ended else ""
    running = period_of(_running(loaded.site, loaded.settings, loaded.as_of), loaded.settings.periods)
    message = f"{ended.id}{whose} ended on {ended.end.isoformat()}: the new objective joins that finished period's grades"
    hint = (f"for the running period, remove the file and run new again with --period {running.id}{_parent_in(loaded.site, parent, running)}; "
            f"give --period {ended.id} to mean the finished one")
    return [Diagnostic(WARNING, path.relative_to(root).as_posix(), objective.doc.line("period"), message, hint)]


def _parent_in(site: Site, parent: Objective | None, running: Period) -> str:
    """How to name a parent in the running period: the follower of ``parent`` there, if it has one."""
    if parent is None:
        return ""
    follower = _follower_option(site, parent, running)
    return f" {follower} there" if follower else f" and a parent of {running.id}"


def _follower_option(site: Site, parent: Objective, period: Period) -> str | None:
    """--parent naming the follower of ``parent`` through ``period`` (and its equals, when it was split
    in two of one length), said to continue it; None when none does."""
    first, *others = site.followers_in(parent.id, period) or [None]
    if first is None:
        return None
    alternatives = f" (or {', '.join(f'--parent {o.id}' for o in others)})" if others else ""
    return f"--parent {first.id}{alternatives}, which continue{'' if others else 's'} '{parent.id}'"


def _running(site: Site, settings: Settings, as_of: date) -> str:
    """The period the home page calls current (SPEC §6: running on the as-of date, of the most
    objectives) when one runs; else the shortest named period running then (a fiscal quarter rather
    than its year), else the calendar quarter: a site on a fiscal calendar gets its own quarter."""
    current = current_period(site, settings, as_of)
    if current is not None and current.contains(as_of):
        return current.id
    running = [p for p in settings.periods.values() if p.start <= as_of <= p.end]
    return min(running, key=lambda p: (p.days, p.start, p.id)).id if running else this_quarter(as_of)


def shorter_period_note(loaded: Loaded, path: Path, period: str | None) -> str | None:
    """The new objective at ``path`` took (without --period, nor a period set in okrsite.toml) the
    running period of the most objectives (SPEC §6) or its parent's, while a shorter period named in
    okrsite.toml runs too (a fiscal quarter beside the year, before anyone wrote an objective for it):
    the default stays, and the note says the --period that writes it there. Of several, the shortest,
    as `_running` takes; within the parent's period, which the objective must lie in."""
    settings, as_of = loaded.settings, loaded.as_of
    objective = loaded.site.objectives.get(path.stem)
    if period is not None or settings.default_period or settings.current_period or objective is None or objective.period is None:
        return None
    chosen, parent = objective.period, loaded.site.objectives.get(objective.parent or "")
    bound = parent.period if parent is not None else None
    shorter = [p for p in settings.periods.values()
               if p.contains(as_of) and p.days < chosen.days and (bound is None or p.within(bound))]
    if not chosen.contains(as_of) or not shorter:
        return None
    other = min(shorter, key=lambda p: (p.days, p.start, p.id))
    why = f"the period of its parent '{parent.id}'" if parent is not None and chosen == bound else "the period with the most objectives today"
    return f"written for {chosen.id}, {why}; {other.id} runs today too: give --period {other.id} for it"


ENDING_SOON = 7  # days: a new objective of a period ending within them is mostly graded at 0 %


def ending_period_note(loaded: Loaded, path: Path, period: str | None) -> str | None:
    """The new objective at ``path`` took (without --period) a period that ends within ENDING_SOON days
    of the as-of date: it would start at 0 % and lower that period's grades, so say when it ends and
    how to write it into the next period instead."""
    objective = loaded.site.objectives.get(path.stem)
    if period is not None or objective is None or objective.period is None:
        return None
    ending, as_of = objective.period, loaded.as_of
    left = (ending.end - as_of).days
    if not 0 <= left < ENDING_SOON:
        return None
    when = "today" if left == 0 else f"in {left} day{'' if left == 1 else 's'}"
    after = next_period(ending, loaded.settings.periods, loaded.site.periods)
    instead = (f"for the next one, remove the file and run new again with --period {after.id}" if after is not None else
               "for a later period, remove the file and run new again with --period")
    return f"{ending.id} ends on {ending.end.isoformat()}, {when}: the new objective joins its grades; {instead}"


def _check_spelling(site: Site, name: str) -> None:
    """A person written another way than elsewhere ('Jose Nunez' for 'José Núñez') would share a page
    with them, which `check` refuses: say the spelling in use instead of writing the file."""
    if name in site.teams or name in site.people:
        return
    same = [p for p in site.people.values() if slugify(p.name) == slugify(name)]
    if same:
        file, line = same[0].source
        raise ScaffoldError(f"'{name}' is written '{same[0].name}' in {file}:{line}",
                            f"write --owner \"{same[0].name}\": one person is written one way everywhere (both would get the page {same[0].url})")


def _objective_lines(period: str, owner: str, parent: str | None, kind: str) -> list[str]:
    lines = [f"period: {quote(period)}", f"owner: {quote(owner)}"]
    if parent:
        lines.append(f"parent: {quote(parent)}")
    return lines + [
        f"kind: {kind}",
        "key_results:",
        f"  - title: {quote(PLACEHOLDER_KR_TITLE)}",
        "    start: 0",
        "    target: 100",
        "    unit: \"%\"",
    ]


GITIGNORE = (
    "# okrsite build writes the site here: it is made from the sources, not committed\n"
    "site/\n"
    "# okrsite's build cache (okrsite build --no-cache neither reads nor writes it)\n"
    ".okrsite-cache/\n"
)


def _month_ends(today: date, count: int) -> list[date]:
    """The last days of the ``count`` months ended by ``today``, oldest first: a monthly KPI's value is
    dated by its month's last day (docs/kpis.md), and the running month's is not in until it ends."""
    last = month_end(today.year, today.month)
    if last > today:
        last = today.replace(day=1) - timedelta(days=1)
    ends = [last]
    while len(ends) < count:
        ends.append(ends[-1].replace(day=1) - timedelta(days=1))
    return ends[::-1]


def _starter_files(today: date) -> dict[str, str]:
    quarter = parse_period(this_quarter(today), {})
    checkin = max(quarter.start, today - timedelta(days=7))
    values = "\n".join(f"{day.isoformat()},{1000 + 120 * i}" for i, day in enumerate(_month_ends(today, 6)))
    return {
        "okrsite.toml": 'title = "Our goals"\n# as_of = 2026-11-23   # uncomment to show the goals as of a fixed date\n',
        ".gitignore": GITIGNORE,
        "frontmatter.json": json.dumps(frontmatter_config(), indent=2) + "\n",
        "content/teams/company.md": "---\ntitle: Our company\nlead: Alex Morgan\nmembers: [Alex Morgan]\n---\nThe whole company: its objectives are the roots of alignment.\n",
        "content/teams/product.md": "---\ntitle: Product\nparent: company\nlead: Sam Lee\nmembers: [Sam Lee, Ria Patel]\n---\nBuilds what our customers use every day.\n",
        "content/objectives/delight-customers.md": (
            f"---\ntitle: Delight our customers\nperiod: {quarter.id}\nowner: company\nkpis: [weekly-active-users]\n"
            "key_results:\n  - title: Grow weekly active users to 2,000\n    kpi: weekly-active-users\n    start: 1000\n    target: 2000\n"
            "  - title: Publish the public roadmap\n    done: false\n---\n"
            "Customers who love the product tell others about it. See [[how-we-do-okrs]] for how we work with OKRs.\n"
        ),
        "content/objectives/ship-onboarding.md": (
            f"---\ntitle: Make the first day effortless\nperiod: {quarter.id}\nowner: product\nparent: delight-customers\n"
            "key_results:\n  - title: Cut time to first report from 30 to 10 minutes\n    start: 30\n    target: 10\n    unit: minutes\n"
            f"    history:\n      - {{date: {checkin.isoformat()}, value: 24, note: \"new sign-up flow\"}}\n"
            "  - title: Onboarding checklist shipped\n    done: true\n---\n"
            "New customers reach their first insight on day one.\n"
        ),
        "content/kpis/weekly-active-users.md": (
            "---\ntitle: Weekly active users\nowner: product\nunit: users\ndirection: up\ntarget: 1500\nthreshold: 1000\n"
            "category: strategic\nindicator: leading\nfrequency: monthly\nsource: \"Product analytics, monthly export\"\n"
            "data: data/weekly-active-users.csv\n---\nPeople who opened the product at least once in a week.\n"
        ),
        "data/weekly-active-users.csv": f"date,value\n{values}\n",
        "content/how-we-do-okrs.md": (
            "---\ntitle: How we do OKRs\n---\n"
            "Every quarter each team sets 1-3 objectives with 1-5 key results, aligned to a company objective.\n\n"
            "- **Committed** objectives are expected to reach 100 %.\n"
            "- **Aspirational** objectives count as achieved at 70 %.\n\n"
            "Edit the Markdown files under `content/`, run `okrsite check`, and open a pull request.\n"
        ),
    }


def init_site(target: Path, today: date | None = None, git: bool = True) -> str:
    """Write a starter goals repository into ``target`` and, with ``git``, run `git init` there.

    Returns a note for the user, '' when all went as asked: without git the goals work all the same
    (only check-ins from commits wait for it), so a missing or failing git is said, not an error.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file, not a folder", "choose a new or empty folder; okrsite init never overwrites")
    held = sorted(entry.name for entry in target.iterdir()) if target.exists() else []
    if any(not _of_a_new_repository(name) for name in held):
        raise ScaffoldError(f"{target} is not an empty folder", "choose a new or empty folder (or a repository just made or cloned, with only "
                            "its .git, README, LICENSE and .gitignore); okrsite init never overwrites")
    enclosing = _enclosing_site_folder(target)
    if enclosing is not None:
        site, folder = enclosing
        raise ScaffoldError(f"{target} is inside {folder}/ of the goals repository {site}: okrsite init would put a second goals repository there",
                            f"choose a folder outside {site / folder}; to add a goal to {site}, use okrsite new")
    files = _starter_files(today or this_day())
    kept = ".gitignore" in held
    write_new_files({target / relpath: text for relpath, text in files.items() if not (kept and relpath == ".gitignore")})
    notes = [f"{target}/.gitignore was there, so it is kept as it was: add these lines to it: " + ", ".join(line for line in files[".gitignore"].splitlines() if line and not line.startswith("#"))] if kept else []
    if git and not _is_repository(target / ".git"):
        notes.append(_git_init(target))
    return "; ".join(note for note in notes if note)


def _is_repository(dot_git: Path) -> bool:
    """A `.git` that is one: a folder with something in it, or the file of a worktree or submodule
    (an empty `.git/` left behind is none: `git init` makes it one)."""
    return dot_git.is_file() or (dot_git.is_dir() and any(dot_git.iterdir()))


def _of_a_new_repository(name: str) -> bool:
    """What a repository holds when it was just made on a git host or cloned from one: okrsite init
    may write its starter files beside these (none of them is one of its own but .gitignore, kept)."""
    return name in (".git", ".gitattributes", ".gitignore", ".github", ".gitlab") or name.upper().startswith(("README", "LICENSE", "LICENCE", "CONTRIBUTING"))


def _enclosing_site_folder(target: Path) -> tuple[Path, str] | None:
    """(goals repository, its folder) when ``target`` lies in the content/, data/ or theme/ folder of
    a goals repository above it: okrsite writes there only through new, carry-over and checkin."""
    where = target.resolve()
    for site in where.parents:
        folder = where.relative_to(site).parts[0]
        if folder in ("content", "data", "theme") and ((site / SETTINGS_FILE).is_file() or any((site / "content" / kinds).is_dir() for kinds in ("objectives", "kpis", "teams"))):
            return site, folder
    return None


def _git_init(target: Path) -> str:
    if shutil.which("git") is None:
        return f"git is not installed, so {target} is no git repository yet: install git and run 'git init' there to get check-ins from commits"
    try:
        # main, as git hosts name the first branch and the example workflows publish it (git's own default may be master)
        done = subprocess.run(["git", "init", "-q", "--initial-branch=main", str(target)], capture_output=True, text=True, timeout=60)
        if done.returncode and "initial-branch" in done.stderr:  # a git older than 2.28
            done = subprocess.run(["git", "init", "-q", str(target)], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git init did not run ({exc}): run 'git init' in {target} yourself"
    if done.returncode:
        reason = (done.stderr.strip().splitlines() or ["no reason given"])[-1]
        return f"git init failed ({reason}): run 'git init' in {target} yourself"
    return ""
