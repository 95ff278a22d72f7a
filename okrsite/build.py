"""The pipeline: load → model → link and validate → plan → compute → render → write.

`check` stops before rendering; `build` goes all the way. Both start from `check_site`, so they report
the same problems, and both are plain functions the CLI and tests call.

A build with nothing changed since the last one is answered from the build cache alone
(BuildCache.unchanged), before any stage is imported: the functions that read, check and render import
the stages they use (Jinja2, PyYAML and markdown-it with them), so `okrsite build` with nothing to do
does not spend more on importing them than on its whole answer.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
import time
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from .cache import CACHE_DIR, BuildCache, JsonParts, Kept
from .goals.diagnostics import NO_LINE, Report, command_line
from .goals.files import TEMPORARY, looping_link, site_problem, write_problem
from .web.theme import theme_dirs

if TYPE_CHECKING:
    from .goals.config import Settings
    from .goals.repository import Loaded, Reader
    from .git.history import History
    from .numbers.compute import Scores
    from .web.pagedigest import Digests, Records
    from .web.plan import Output
    from .web.render import Renderer, View
    from .web.write import Earlier, Strays, Written


def _count(n: int, word: str) -> str:
    """'1 objective', '2 objectives', '0 KPIs'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class BuildResult:
    report: Report
    ok: bool
    seconds: float = 0.0
    objectives: int = 0
    key_results: int = 0
    kpis: int = 0
    pages: int = 0
    history: str = ""
    audience: str = "internal"
    history_gap: str = ""  # what `check` says of a git history it could not read whole (history_gap): JSON's "history"
    kept: int = 0  # files of the last build kept as they were (the build cache)
    unchanged: bool = False  # nothing the site is made from changed since the last build
    notes: list[str] = field(default_factory=list)  # about the build itself (its cache, its workers), not the goals

    def summary(self) -> str:
        built = (
            f"Built {_count(self.objectives, 'objective')}, {_count(self.key_results, 'key result')}, {_count(self.kpis, 'KPI')}: "
            f"{_count(self.pages, 'page')} in {self.seconds:.2f} s"
        )
        if self.audience != "internal":
            built = built.replace("Built", f"Built the {self.audience} site:", 1)
        if self.unchanged:
            built += " (nothing changed since the last build)"
        elif self.kept:
            built += f" ({_count(self.kept, 'file')} unchanged since the last build)"
        return f"{built}. {self.history}" if self.history else built


@dataclass
class Checked:
    """A validated site with its write plan and scores: what `check` reports and `build` renders.
    Without errors in reading and linking, ``scores`` is set (the plan may still have errors); with
    them, the plan is of what could be read, checked all the same (see check_site)."""

    loaded: Loaded
    plan: list[Output]
    history: History | None = None
    scores: Scores | None = None
    refused: str | None = None  # why the git history could not be read, though it is wanted (git.history.refusal)
    read: History | None = None  # the history read, also for a site with errors (whose ``history`` is None)
    git_failed: str | None = None  # how git failed while reading the history: the next build reads it again

    @property
    def report(self) -> Report:
        return self.loaded.report


def check_site(root: Path, as_of: date | None = None, audience: str | None = None, cache: BuildCache | None = None,
               reader: Reader | None = None) -> Checked:
    """Validate, check the write plan of the audience's site (``audience`` wins over the setting), and
    compute on the whole site (with the git history when it is on) for the notices. With ``cache``,
    files unchanged since the last build are not read again, nor the history before the last commit
    it read. A site with errors of reading or linking is planned and checked too, then not computed:
    its clashes are reported in the same run as those errors (SPEC §7), not in the run after they are
    fixed; planning takes what those errors left (a file not read has no page, an objective without
    a period is in no period's). So are the notices of its files without errors (notices.sound_part),
    computed on those alone. ``reader``:
    how the goals files are read without a cache (an author command's `Kept`, which read them before)."""
    from .goals.repository import load_site  # the stages: imported by a build that reads (see the module's docstring)
    from .git.checkins import site_logs
    from .git.history import history_refused
    from .git.read import once_confidential, unknown_confidential
    from .numbers.compute import compute
    from .numbers.notices import notice_time, sound_part
    from .web.audience import site_for_audience
    from .web.plan import check_content_files, check_plan, check_shared_data_files, planned_redirects, write_plan

    root = Path(root)
    loaded = load_site(root, as_of, cache.reader if cache else reader)
    if audience is not None:
        loaded.settings = replace(loaded.settings, audience=audience)
    history, git_failed = _history(root, loaded, cache)
    confidential_once = once_confidential(root, loaded.site, loaded.settings)
    if loaded.settings.audience == "public":
        _refuse_public_without_history(loaded.report, unknown_confidential(git_failed, history) or confidential_once.unknown_why)
    failed = bool(loaded.report.errors)
    planned = site_for_audience(loaded.site, loaded.settings.audience)
    if cache is not None:
        cache.take_cuts(planned)
    plan = write_plan(planned, loaded.settings, theme_dirs(root), root, confidential_once,
                      planned_redirects(history, loaded.site, planned, loaded.settings.audience))
    if cache is not None:
        cache.keep_cuts()
    check_plan(plan, loaded.site, loaded.settings, root, loaded.report)
    check_content_files(loaded.site, root, loaded.report, settings=loaded.settings, once_confidential=confidential_once)
    check_shared_data_files(loaded.site, root, loaded.report, loaded.settings)
    if failed:
        sound = sound_part(loaded.site, loaded.report)
        if sound is None:
            return Checked(loaded, plan)
        logs = site_logs(sound, history) if history is not None else None
        refused = history_refused(root, loaded.settings.git_history, history, git_failed)
        notice_time(sound, compute(sound, loaded.settings, loaded.as_of, logs=logs), loaded.report, loaded.settings, unread=refused)
        return Checked(loaded, plan, refused=refused, read=history, git_failed=git_failed)
    logs = site_logs(loaded.site, history) if history is not None else None
    refused = history_refused(root, loaded.settings.git_history, history, git_failed)
    known = cache.known_scores(loaded.site, loaded.settings, loaded.as_of, history, logs) if cache is not None else None
    scores = compute(loaded.site, loaded.settings, loaded.as_of, logs=logs, known=known)
    notice_time(loaded.site, scores, loaded.report, loaded.settings, history, refused)
    return Checked(loaded, plan, history, scores, refused, history, git_failed)


def _refuse_public_without_history(report: Report, unknown: tuple[str, str] | None) -> None:
    """A public site reads from the history which values were confidential when they were written (a KPI
    made public since, a file that was a confidential KPI's data: git.read.once_confidential); git
    failing in either read, or a shallow clone's history, is no answer (``unknown``: why, from
    git.read.unknown_confidential), and a site built without it could publish them."""
    if unknown is not None:
        report.error("content", NO_LINE, *unknown)


def _history(root: Path, loaded: Loaded, cache: BuildCache | None) -> tuple[History | None, str | None]:
    """The goals' git history (None outside git, when git fails, or when it is off or okrsite.toml
    cannot be read: then nothing is computed) with how git failed, if it did; and what it tells of the ids the files name but no file has (a parent renamed
    or deleted, a team removed: goals.former), said at their diagnostics before they decide whether
    the site has errors (a removed team's owner is a warning)."""
    from .goals.files import SETTINGS_FILE
    from .goals.former import tell_former_ids, unknown_ids
    from .git.former import former_ids
    from .git.read import read_site_history

    if any(d.file == SETTINGS_FILE for d in loaded.report.errors):
        return None, None
    history, _, failed = read_site_history(root, loaded.site, loaded.settings, cache.remember if cache else None)
    wanted = unknown_ids(loaded.site) if history is not None else {}
    if any(wanted.values()):
        tell_former_ids(loaded.site, loaded.as_of, loaded.report, former_ids(history, loaded.site, wanted, root))
    return history, failed


def history_gap(root: Path, checked: Checked) -> str:
    """What `check` says of a git history it could not read whole (git refuses the repository, a
    shallow clone): the words of the build's summary (read.history_line); "" when it read it all."""
    from .git.read import history_line  # see check_site

    if checked.refused is None and (checked.read is None or not checked.read.shallow):
        return ""
    return history_line(root, checked.read, checked.loaded.as_of, checked.refused, checked.loaded.settings.git_history)


def check(root: Path, as_of: date | None = None, audience: str | None = None, cache: bool = True, notes: list[str] | None = None,
          history: list[str] | None = None) -> Report:
    """`okrsite check`: check_site, and the site's own templates that would fail the build before a
    page is rendered (one that does not compile, a macros.html lacking macros), with their warnings. A
    template that fails only on some page's data is found by rendering, which `build` does. With ``cache``, files unchanged
    since the last build are not parsed again (see _cache_to_read); ``notes`` gets what it says of the cache,
    ``history`` what it says of a git history it could not read whole (history_gap), if anything."""
    with _cache_to_read(Path(root), as_of, audience) if cache else nullcontext() as remembered:
        checked = check_site(root, as_of, audience, remembered)
        if remembered is not None and notes is not None:
            notes.extend(remembered.notes)
    if history is not None and (gap := history_gap(Path(root), checked)):
        history.append(gap)
    check_templates(Path(root), checked.loaded.settings, checked.report)
    return checked.report


def check_templates(root: Path, settings: Settings, report: Report, errors: Callable[[], bool] = lambda: True) -> None:
    """The site's own templates' warnings (web.templatecheck.template_warnings) in ``report``, before a build
    decides whether it failed (so that --strict fails on them); then, when ``errors()`` (asked after them)
    says so, the up-front template problems (template_problems) as its errors. The theme is loaded once for both."""
    from .web.render import Renderer  # see check_site
    from .web.templatecheck import template_problems, template_warnings
    from .web.theme import has_own_templates

    if not has_own_templates(root):
        return
    renderer = Renderer(settings, theme_dirs(root))
    for problem in template_warnings(renderer):
        report.warning(*problem.said_in(root))
    if errors():
        for problem in template_problems(renderer):
            report.error(*problem.said_in(root))


def site_files(checked: Checked, view: View, renderer: Renderer, kept: dict[str, Earlier] | None = None, workers: int = 1,
               json_parts: JsonParts | None = None, made: dict[str, bytes] | None = None) -> Iterator[tuple[str, bytes | Earlier | Iterator[bytes]]]:
    """The bytes of every file in the plan, in its order, from ``view`` (the audience's); a file in
    ``kept`` is the last build's, and so are the parts of okrs.json in ``json_parts``; a file in ``made``
    was made beforehand (see search_index_early), let go once it is written."""
    from .web.export import okrs_pieces  # see check_site
    from .web.parallel import render_pages
    from .web.plan import OKRS_JSON
    from .web.search import SEARCH_INDEX, index_script

    kept = kept or {}
    pages = render_pages(renderer, view, [o.page for o in checked.plan if o.page is not None and o.path not in kept], workers)
    for output in _search_index_first(checked.plan, SEARCH_INDEX):
        if output.path in kept:
            yield output.path, kept[output.path]
        elif made and output.path in made:
            yield output.path, made.pop(output.path)
        elif output.page is not None:
            yield output.path, next(pages)
        elif output.static is not None:
            yield output.path, output.static.read_bytes()
        elif output.path == OKRS_JSON:
            renderer.forget_rows()  # every page is rendered
            parts = (json_parts.objective, json_parts.kpi) if json_parts is not None else ()
            pieces = okrs_pieces(view.site, view.scores, view.settings.audience, *parts, figures=view.team_figures, renamed=view.renamed)
            yield output.path, (piece.encode("utf-8") for piece in pieces)
        elif output.path == SEARCH_INDEX:
            yield output.path, index_script(view.search_index())
    next(pages, None)  # past the last page: the template mistakes met on the way, if any, are raised


def search_index_early(plan: list[Output], view: View, remembered: BuildCache | None, records: Records | None) -> tuple[dict[str, bytes], dict[str, bytes], dict]:
    """The search index's digest (web/pagedigest.py: search_index_digest; none without the cache) and
    its file, made now, before the pages' digests and the output folder's records, unless the last
    build made the same index (its file is then kept): what making it takes (150 MB at 100,000
    objectives beside its 33 MB) is not added to the most the build holds, at the start of writing.
    Third, what the cache's ``search-index`` part keeps for the next build: the digest, and the parts
    it was made of."""
    from .web.pagedigest import search_index_digest  # see check_site
    from .web.search import SEARCH_INDEX, index_script

    if not any(output.path == SEARCH_INDEX for output in plan):
        return {}, {}, {}
    if not remembered:
        return {}, {SEARCH_INDEX: index_script(view.search_index())}, {}
    was = remembered.last_search_index()
    digest, parts = search_index_digest(view, remembered.base.encode(), records, was.get(PARTS))
    keep = {SEARCH_INDEX: digest, PARTS: parts}
    if was.get(SEARCH_INDEX) == digest:
        return {SEARCH_INDEX: digest}, {}, keep
    return {SEARCH_INDEX: digest}, {SEARCH_INDEX: index_script(view.search_index())}, keep


PARTS = "parts"  # in the cache's search-index part, beside the index's path


def _search_index_first(plan: list[Output], index: str) -> Iterator[Output]:
    """The plan with the search index (``index``) first: made beforehand, it is let go first; made here, it
    is made before the pages and their rows."""
    yield from (output for output in plan if output.path == index)
    yield from (output for output in plan if output.path != index)


def build(root: Path, out: Path | None = None, as_of: date | None = None, strict: bool = False, fail_on_stale: bool = False,
          audience: str | None = None, cache: bool = True) -> BuildResult:
    """Check, then render and write the site for ``audience`` (else the `audience` setting, else
    internal) into OUT. With ``cache`` (the default), what the last build of this site left in
    SITE/.okrsite-cache/ is used and updated: the output is the same as without it, byte for byte."""
    options = dict(locals())  # every argument of a build is part of the cache's fingerprint, one added later too
    with _batch_collector(), _one_at_a_time(Path(root)) as waited, ExitStack() as held:
        result = _build(options, held)
    if waited:
        result.notes.append("waited for another build of this site to finish first")
    return result


@contextmanager
def _one_at_a_time(root: Path) -> Iterator[bool]:
    """Builds of one site take turns: an advisory lock on the site's folder, held for the whole build.
    They share the build cache, and a build hard-links files of the output it replaces, which another
    build must not replace meanwhile. Yields whether this build waited, said at once on stderr, so that
    a build held up does not look hung."""
    from .web.lock import Lock, folder_lock  # a small module: a build with nothing changed imports no stage

    def waiting() -> None:
        print(f"okrsite: waiting for another build of {root} to finish (builds of one site take turns)", file=sys.stderr, flush=True)

    with folder_lock(root, waiting) as lock:
        yield lock is Lock.WAITED


@contextmanager
def _batch_collector() -> Iterator[None]:
    """Python's cyclic garbage collector off while the model is made (millions of objects, no garbage:
    its full passes cost a third of reading a large site) and while the pages' digests are made (at
    10,000 objectives its passes there took 0.16 s of a warm build's 3.2), then all of it frozen out
    of its passes while the pages are rendered (each leaves a little cyclic garbage)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count():
            gc.unfreeze()
        (gc.enable if enabled else gc.disable)()


def _rendering_collector() -> None:
    gc.freeze()
    gc.enable()


def _build(options: dict, held: ExitStack) -> BuildResult:
    """A build's stages: where it reads and writes, its cache (whose answer suffices when nothing changed),
    the check, the pages rendered and written, and what the next build keeps of this one."""
    started = time.perf_counter()
    root, out, looping = _placed(options)
    remembered = held.enter_context(_open_cache(root, out, options)) if options["cache"] and not looping and site_problem(root) is None else None  # no cache made where no site is
    notes = remembered.notes if remembered else []
    kept = remembered.unchanged() if remembered else None
    if kept is not None:
        return _noting_git(_unchanged(kept, started, notes), out, root)
    checked = check_site(root, options["as_of"], options["audience"], remembered)
    report, gap = checked.report, history_gap(root, checked)
    if _output_refused(out, root, report):
        remembered, found = None, []  # nothing at all is written
    else:
        found = _strays_found(out, remembered, report)
    if remembered:
        remembered.save_inputs(last=True)  # what was read and parsed, for the build after a fix
    strict, fail_on_stale = options["strict"], options["fail_on_stale"]
    check_templates(root, checked.loaded.settings, report, lambda: report.failed(strict, fail_on_stale))  # said with the goals' errors: all in one run
    if report.failed(strict, fail_on_stale):
        return BuildResult(report, ok=False, notes=notes, history_gap=gap)
    from .web.templatecheck import TemplateProblem, TemplateProblems  # see check_site
    from .web.write import OutputError

    try:
        view, written, reused = _render_and_write(checked, root, out, remembered, notes, found)
    except (OutputError, OSError, TemplateProblem, TemplateProblems) as exc:
        problems = _stop_problems(exc, out, root)
        if problems is None:
            raise
        _stopped(remembered)
        for problem in problems:
            report.error(*problem)
        return BuildResult(report, ok=False, notes=notes, history_gap=gap)
    result = _built(checked, view, written, reused, root, started, notes, gap)
    if remembered:
        _remember(remembered, checked, reused, written, result)
    return _noting_git(result, out, root)


def _placed(options: dict) -> tuple[Path, Path, bool]:
    """The site's folder and OUT (SITE/site unless given) as the build names them, and whether OUT is a
    link in a loop: no folder to resolve it to, which check_output refuses, and no cache is opened. In
    ``options`` (the cache's fingerprint) both are absolute, resolved where they can be."""
    root = Path(options["root"])
    out = Path(options["out"]) if options["out"] is not None else root / "site"
    looping = looping_link(out) is not None
    options.update(root=root.resolve(), out=out.absolute() if looping else out.resolve())
    return root, out, looping


def _strays_found(out: Path, remembered: BuildCache | None, report: Report) -> Strays:
    """The files in OUT that okrsite did not write (write.strays), which the build keeps; each other
    okrsite build's output among them is an error at its folder (write.nested_outputs): kept, it would
    be published with this one (an internal site inside a public one)."""
    from .web.write import another_output, beside, nested_outputs, output_name, strays  # see check_site

    found = strays(out, *(remembered.last_output() if remembered else (set(), {}, None)))
    for folder in nested_outputs(found):
        report.error(str(out / folder), NO_LINE, f"{another_output(out / folder)} inside this one would be published with it",
                     f"build it outside, e.g. -o {beside(out, output_name(folder))}, or remove it")
    return found


def _output_refused(out: Path, root: Path, report: Report) -> bool:
    """Whether OUT is no folder a build may replace (write.check_output: the build cache is none either),
    said as an error at OUT."""
    from .web.write import OutputError, check_output  # see check_site

    try:
        check_output(out, root, root / CACHE_DIR)
    except OutputError as exc:
        report.error(str(out), NO_LINE, exc.message, exc.hint)
        return True
    return False


@dataclass
class _Reused:
    """What this build takes of the last one's output (nothing without the build cache), and what the
    next build keeps of this one's."""

    made: dict[str, bytes]  # the search index, when made before the pages (search_index_early)
    digested: dict[str, bytes] = field(default_factory=dict)  # each output's digest (web/pagedigest.py)
    pages: dict[str, Earlier] = field(default_factory=dict)  # the last build's files kept as they are
    json_parts: JsonParts | None = None  # the last build's parts of okrs.json
    index_kept: dict = field(default_factory=dict)  # the cache's search-index part (search_index_early)
    digests: Digests | None = None


def _reused(plan: list[Output], view: View, remembered: BuildCache | None, root: Path) -> _Reused:
    """The search index made first, then every output's digest and the last build's files whose digests
    are the same (see "The build cache" in docs/architecture.md)."""
    from .web.pagedigest import Digests, Records  # see check_site
    from .web.theme import has_own_templates

    if not remembered:
        return _Reused(search_index_early(plan, view, None, None)[1])
    records = Records(view, remembered.known_entities(), remembered.log_inputs)
    index_digest, made, index_kept = search_index_early(plan, view, remembered, records)
    digests = Digests(view, remembered.base.encode(), remembered.fingerprint_now().encode(), precise=not has_own_templates(root),
                      earlier=remembered.kept_digests(), records=records, structure=remembered.structure(view.site))
    digested = digests.of_all(plan)
    remembered.save_kept_digests(digests.kept())  # see Digests.kept: let go before the pages are written
    digested.update(index_digest)
    pages = remembered.kept_pages(digested)
    return _Reused(made, digested, pages, remembered.json_parts(digests.records, view.site, view.scores), index_kept, digests)


def _render_and_write(checked: Checked, root: Path, out: Path, remembered: BuildCache | None, notes: list[str],
                      found: Strays) -> tuple[View, Written, _Reused]:
    """The audience's view of the checked site rendered and written as the new OUT, keeping what the
    last build left that is still the same (_reused) and the files put into OUT by hand (``found``: _strays)."""
    from .git.read import repository_prefix  # see check_site
    from .web.pagefind import BUNDLE, index_site
    from .web.parallel import worker_count
    from .web.plan import planned_view
    from .web.write import write_site

    loaded = checked.loaded
    view = planned_view(loaded.site, checked.scores, loaded.settings, checked.history, repository_prefix(root, loaded.settings, checked.history),
                        checked.plan, root, checked.refused)
    workers = worker_count(loaded.settings, notes, len(view.site.objectives) + len(view.site.kpis))
    renderer = _renderer(loaded, root, remembered)
    reused = _reused(checked.plan, view, remembered, root)
    finish = index_site if loaded.settings.search == "pagefind" else None
    kept_before = _strays(out, loaded.settings.audience, found)
    _rendering_collector()
    written = write_site(out, site_files(checked, view, renderer, reused.pages, workers, reused.json_parts, reused.made), root, finish,
                         reuse=remembered is not None, listing=remembered.spare_listing() if remembered else None,
                         audience=loaded.settings.audience, keep=found, reserved=[BUNDLE] if finish is not None else [])
    newly_kept = [path for path in written.kept if path not in kept_before]
    if newly_kept:
        notes.append(_strays_note(out, newly_kept))
    return view, written, reused


def _renderer(loaded: Loaded, root: Path, remembered: BuildCache | None) -> Renderer:
    """The site's renderer, starting from the Markdown bodies rendered and the templates compiled by the
    last build."""
    from .web.render import Renderer  # see check_site

    bodies = remembered.bodies(loaded.settings, loaded.site) if remembered else {}
    return Renderer(loaded.settings, theme_dirs(root), _bodies=bodies, compiled=remembered.compiled() if remembered else None)


def _strays(out: Path, audience: str, found: Strays) -> set[str]:
    """Those of the files in OUT that okrsite did not write (``found``, which the build keeps) that the
    last build kept already; refused (write.OutputError) when the folder replaced, and they with it,
    is not kept as the spare (write.why_removed)."""
    from .web.write import OutputError, kept_files, why_removed  # see check_site

    removed = why_removed(out, audience) if found and found.sure else None
    if removed:
        raise OutputError(*_strays_refusal(out, found, removed))
    return set(kept_files(out)) if found else set()


def _stop_problems(exc: Exception, out: Path, root: Path) -> list[tuple[str, int, str, str]] | None:
    """The errors (file, line, message, hint) of a build stopped while rendering or writing: OUT refused
    (write.OutputError), a file system's refusal (_file_problem), every template problem met; None for
    any other OSError (a bug: an internal error)."""
    from .web.write import OutputError  # see check_site

    if isinstance(exc, OutputError):
        return [(str(out), NO_LINE, exc.message, exc.hint)]
    if isinstance(exc, OSError):
        problem = _file_problem(exc, out, root)
        return [problem] if problem is not None else None
    return [problem.said_in(root) for problem in getattr(exc, "problems", [exc])]


def _built(checked: Checked, view: View, written: Written, reused: _Reused, root: Path, started: float, notes: list[str], gap: str) -> BuildResult:
    """What a build that wrote the site says of it: its counts (of the audience's site) and its history."""
    from .git.read import history_line  # see check_site

    loaded, site = checked.loaded, view.site
    return BuildResult(
        checked.report, ok=True, seconds=time.perf_counter() - started,
        objectives=len(site.objectives), key_results=sum(len(o.key_results) for o in site.objectives.values()),
        kpis=len(site.kpis), pages=sum(1 for name in written if name.endswith(".html")),
        history=history_line(root, checked.history, loaded.as_of, checked.refused, loaded.settings.git_history),
        kept=len(reused.pages), notes=notes, audience=loaded.settings.audience, history_gap=gap,
    )


def _remember(remembered: BuildCache, checked: Checked, reused: _Reused, written: Written, result: BuildResult) -> None:
    """What the next build keeps of this one, in the build cache."""
    site, entities = checked.loaded.site, reused.digests.records.entities
    remembered.save_bodies(site)
    remembered.save_compiled()
    remembered.save_json_parts()
    remembered.save_entities(entities)
    remembered.save_scores(site, checked.scores, entities)
    remembered.save_listing(written.listing)
    remembered.save_search_index(reused.index_kept)
    remembered.save_cuts()
    remembered.save_output(reused.digested, written, Kept(result.report.items, (result.objectives, result.key_results, result.kpis, result.pages),
                                                          result.history, result.audience, result.history_gap), reusable=checked.git_failed is None)


def _noting_git(result: BuildResult, out: Path, root: Path) -> BuildResult:
    """The built site with a note when git would commit it: OUT in a work tree that no .gitignore
    leaves it out of (a site built for the internal audience holds confidential numbers). Its
    .gitignore is the user's to change, never the build's."""
    from .git.worktree import committed_with, ignore_line  # no stage: a build with nothing changed says it too

    top = committed_with(out)
    if top is not None:
        line, gitignore = ignore_line(out.resolve().relative_to(top).as_posix()), top / ".gitignore"
        shown = gitignore.relative_to(root.resolve()).as_posix() if gitignore.is_relative_to(root.resolve()) else gitignore
        result.notes.append(f"the output folder {out}/ is inside the git repository and not ignored by git: add `{line}` to {shown} "
                            "so that the built site is not committed")
    return result


STRAYS_NAMED = 20  # files put into OUT by hand that a note names; it counts the rest


def _strays_note(out: Path, found: list[str]) -> str:
    """What a build says of the files it found in OUT that okrsite did not write, the first time it
    keeps them: they stay, and where files to publish with the site belong."""
    named = ", ".join(f"{out}/{path}" for path in found[:STRAYS_NAMED])
    more = f" and {len(found) - STRAYS_NAMED} more" if len(found) > STRAYS_NAMED else ""
    return (f"{named}{more}: not written by okrsite, so kept in the new output as they are (a build never removes a file it "
            f"did not write: delete them yourself when they are no longer wanted); put files to publish with the site in "
            f"theme/static/ (copied into every build; names starting with '.' are not)")


def _strays_refusal(out: Path, found: list[str], why: str) -> tuple[str, str]:
    """(message, hint) refusing a build that would remove files okrsite did not write with the OUT it
    replaces, which is not kept as the spare (``why``: write.why_removed)."""
    named = ", ".join(f"{out}/{path}" for path in found[:STRAYS_NAMED])
    more = f" and {len(found) - STRAYS_NAMED} more" if len(found) > STRAYS_NAMED else ""
    return (f"{named}{more}: not written by okrsite, and this build would remove it with the folder it replaces ({why})",
            f"move it out of {out}/ and build again; put files to publish with the site in theme/static/ (copied into every build), "
            f"or copy them into {out}/ after each build")


def _file_problem(exc: OSError, out: Path, root: Path) -> tuple[str, int, str, str] | None:
    """(file, line, message, hint) for a file system's refusal while building: writing the output
    (OUT, or okrsite's folders beside it), said at OUT; reading a file of the site (a theme's file,
    an image a body links to), said at that file; None for any other (a bug: an internal error). A
    disk that fills up says so on a write, which names no file: the output is what was being written."""
    from .goals.load import display_path  # see check_site

    shown = display_path(str(out), Path(root))  # as every file is named: relative to the site's root when inside it (QA BZ)
    if not exc.filename:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return (shown, NO_LINE, *write_problem(OSError(exc.errno, exc.strerror, str(out)), "build elsewhere with -o DIR"))
        return None
    where, out = Path(os.path.abspath(exc.filename)), Path(os.path.abspath(out))
    if where == out or where.is_relative_to(out) or (where.parent == out.parent and where.name.startswith(TEMPORARY)) or out.is_relative_to(where):
        return (shown, NO_LINE, *write_problem(exc, "build elsewhere with -o DIR"))
    if where.is_relative_to(os.path.abspath(root)):
        shown = display_path(str(where), root)
        return shown, 1, f"cannot read {shown}: {(exc.strerror or str(exc)).lower()}", f"make it readable for you: {command_line('chmod', 'u+r', shown)}"
    return None


def _stopped(remembered: BuildCache | None) -> None:
    """The parts begun while writing (okrs.json's, the bodies') are not saved: the last build's stay."""
    if remembered:
        remembered.store.discard()


@contextmanager
def _cache_to_read(root: Path, as_of: date | None, audience: str | None) -> Iterator[BuildCache | None]:
    """The build cache as a check reads it, never writes it: only where a build made one, and only
    while no build of the site runs (one may be writing it; the check then reads the files as they are
    rather than wait). Its options are those of a plain build, whose remembered scores it can use."""
    from .web.lock import Lock, folder_lock  # see _one_at_a_time

    if not os.path.lexists(root / CACHE_DIR) or site_problem(root) is not None:
        yield None
        return
    with folder_lock(root) as lock:
        if lock is Lock.BUSY:
            yield None
            return
        options = dict(root=root.resolve(), out=(root / "site").resolve(), as_of=as_of, strict=False, fail_on_stale=False, audience=audience, cache=True)
        with BuildCache(root, options["out"], options, theme_dirs(root), writes=False) as remembered:
            yield remembered


def _open_cache(root: Path, out: Path, options: dict) -> BuildCache:
    return BuildCache(root, out.resolve(), options, theme_dirs(root))


def _unchanged(kept: Kept, started: float, notes: list[str]) -> BuildResult:
    objectives, key_results, kpis, pages = kept.numbers
    return BuildResult(Report(list(kept.report)), ok=True, seconds=time.perf_counter() - started, objectives=objectives,
                       key_results=key_results, kpis=kpis, pages=pages, history=kept.history, unchanged=True, notes=notes,
                       audience=kept.audience, history_gap=kept.history_gap)
