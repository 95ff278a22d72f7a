"""Live preview state: a goals repository kept in memory so that each save re-reads only the files that
changed and re-renders only the pages they reach. `serve` drives it; tests call it directly.

After every rebuild, ``files`` equals what a full `build` would write (minus the output marker).
"""

from __future__ import annotations

import html
import os
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Callable, Collection, Iterable, Protocol

import jinja2

from ..goals.config import SETTINGS_FILE, Settings, load_settings, shown_as_of
from ..goals.diagnostics import NO_LINE, Diagnostic, Report
from ..goals.former import tell_former_ids, unknown_ids
from ..goals.link import Linker, parse
from ..goals.files import is_listed, linked_folder_warnings, listed_name, looping_link, markdown_paths, name_warnings
from ..goals.load import SourceDoc, load_document
from ..goals.model import KPI, Objective, Site, Team
from ..goals.parse import site_path
from ..goals.wikilinks import FILE
from ..goals.repository import Reader, file_bytes, file_digest, link_site
from ..git.checkins import Logs, site_logs
from ..git.former import former_ids
from ..git.history import History, HistoryRead, head_of, history_refused, read_history_from
from ..git.worktree import MAILMAP, find_repository, shallow_boundary
from ..git.read import OnceConfidential, history_paths, repository_prefix, unknown_confidential
from ..numbers.compute import Scores, compute
from ..numbers.notices import notice_time, sound_part
from ..numbers.teams import company_team
from ..web.audience import site_for_audience, withheld_files
from ..web.export import dumps, okrs_json
from ..web.search import SEARCH_INDEX, index_script
from ..web.plan import Output, check_content_files, check_plan, check_shared_data_files, content_files, planned_redirects, planned_view, write_plan
from ..web.render import EVERY_KPI, Renderer, View, page_digest, page_inputs
from ..web.templatecheck import TemplateProblem, template_problems
from ..web.theme import has_own_templates, theme_dirs


@dataclass
class Rebuild:
    """What one rebuild did, for the terminal line and the browsers."""

    report: Report
    ok: bool
    rendered: int = 0  # pages rendered
    changed: frozenset[str] = frozenset()  # output paths whose bytes changed, may have changed (deferred), or removed
    deferred: int = 0  # pages a change reached that are rendered when asked for (no browser shows them)
    styles_only: bool = False
    seconds: float = 0.0
    found: frozenset[Path] = frozenset()  # goals files read or let go because a folder under content/ changed (see _relisted)
    unnamed: frozenset[Path] = frozenset()  # okrsite.toml, read because it changed though no path named it (see _settings_unnamed)


@dataclass
class _Cached:
    doc: SourceDoc | None
    diagnostics: list[Diagnostic]
    entity: object | None = None
    entity_diagnostics: list[Diagnostic] = field(default_factory=list)
    digest: bytes | None = None  # content_digest of the bytes ``doc`` was read from (None: unreadable)


ON_REQUEST = {
    "okrs.json": lambda view: dumps(okrs_json(view.site, view.scores, view.settings.audience, view.renamed)).encode("utf-8"),
    SEARCH_INDEX: lambda view: index_script(view.search_index()),
}


class StartFrom(Protocol):
    """The build cache as the preview's first build uses it (cli.py makes it from okrsite/cache.py):
    the files unchanged since the last build are not read or parsed again, nor the history before the
    last commit read, nor the Markdown bodies rendered before; what the first build read is kept."""

    reader: Reader
    remember: dict
    notes: list[str]

    def bodies(self, settings: Settings) -> dict: ...

    def compiled(self) -> jinja2.BytecodeCache: ...

    def save(self, site: Site) -> None: ...


class Project:
    def __init__(self, root: Path, as_of: date | None = None, audience: str | None = None, start: StartFrom | None = None,
                 today: Callable[[], date] | None = None) -> None:
        self.root = Path(root).resolve()
        self.fixed_as_of = as_of
        self._clock = today  # what day today is (None: the computer's clock, goals.clock.today)
        self.fixed_audience = audience  # --audience: wins over the setting
        self._start = start
        self.files: dict[str, bytes] = {}  # what was rendered; a page in _stale is out of date here
        self._stale: set[str] = set()  # pages rendered on request: a change reached them while no browser showed them
        self._pages: dict = {}  # output path -> PageSpec of the current site
        self._lock = threading.Lock()  # files, _stale, _pages, _view and _renderer change together
        self.report = Report()
        self.settings = Settings()
        self._settings_report = Report()
        self._settings_read: tuple | None = None  # okrsite.toml as the settings were read from it (see _settings_file)
        self._docs: dict[str, _Cached] = {}
        self._order: list[str] | None = None  # of _docs, as `build` reads them
        self._linked_folders: list[str] = []  # under content/, not read (said: goals.files.linked_folder_warnings)
        self._listed: tuple | None = None  # see _entities
        self._saved: set[str] = set()  # files read again since the last _entities
        self._linker = Linker()  # links again only what a save reaches
        self._plan: tuple | None = None  # (what the plan follows from, the plan, its pages by output path)
        self._plan_for: Site | None = None  # the site _plan was last made or kept for
        self._moved: tuple | None = None  # (the history, what the redirects follow from, the redirects): _redirects
        self._renderer: Renderer | None = None  # the last good rebuild's: it renders the pages left to render (_stale)
        self._renderer_stale = True  # the templates or settings changed since it was made: the next rebuild makes another
        self._view: View | None = None  # what the pages show: the audience's view
        self._whole: tuple | None = None  # (site, scores) of the whole site, for compute to reuse
        self._inputs: dict[str, frozenset[str] | tuple] = {}
        self._fingerprint: tuple | None = None
        self._on_request: dict[str, tuple[View, bytes]] = {}
        self._history: History | None = None
        self._history_key: tuple | None = None
        self._read_in_rebuild: tuple | None = None  # the key of the history this rebuild read (_read_history)
        self._refused: str | None = None  # why the history was not read, though wanted (git.history.history_refused)
        self._read_failed: str | None = None  # how git failed in the last read of the history (HistoryRead.failed)
        self._logs: tuple | None = None  # (site, history, logs) of the last rebuild
        self._prefix: tuple | None = None  # (what it was found for, the site's folder in its repository)
        self._read_as: tuple | None = None  # (as-of date, HEAD) the last rebuild read the site with (see _as_read)
        self._once_confidential = OnceConfidential()  # the KPIs whose data files a public site withholds for their past
        self._data_files: frozenset[str] | None = None  # see data_files: made again once a goals file is read
        self.watch_data: Callable[[frozenset[str]], None] = lambda files: None  # see data_files

    @property
    def site(self):
        """The site of the last good rebuild, as its audience sees it (None before one)."""
        return self._view.site if self._view is not None else None

    @property
    def whole_site(self):
        """The site of the last good rebuild as written, whatever the audience (None before one): what an
        update form names its key result by (on a public preview a title's [[link]] to a private
        objective reads "a private objective", not as the file the check-in edits says it)."""
        return self._whole[0] if self._whole is not None else None

    def file(self, path: str) -> bytes | None:
        """One file of the current site. okrs.json and the search index are only made when asked for:
        each costs as much as re-rendering the dashboard and most previews never fetch them; so is a
        page that changes reached while no browser showed it."""
        view = self._view
        if path in ON_REQUEST and view is not None:
            made_for, data = self._on_request.get(path, (None, b""))
            if made_for is not view:
                data = ON_REQUEST[path](view)
                self._on_request[path] = (view, data)
            return data
        if path in self._stale:
            self._render_stale(path)
        return self.files.get(path)

    def has(self, path: str) -> bool:
        """Whether the current site has this file (rendered yet or not)."""
        return path in self.files or path in self._stale or (path in ON_REQUEST and self._view is not None)

    def _render_stale(self, path: str) -> None:
        with self._lock:
            if path not in self._stale:
                return  # rendered meanwhile, or gone
            page = self._pages[path]
            try:
                self.files[path] = self._renderer.render(self._view, page).encode("utf-8")
                self._stale.discard(path)
                self._inputs[path] = page_inputs(self._view, page)  # None: a whole-site page, left to render after every change
            except TemplateProblem as exc:  # a site's own template, on data no eager render met: say so, retry next time
                self.files[path] = problem_page(*exc.said_in(self.root))

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the current site, as `build` would write them."""
        for path in list(self._stale):
            self._render_stale(path)
        files = dict(self.files)
        if self._view is not None:
            files.update((path, self.file(path)) for path in ON_REQUEST)
        return files

    # -- reading ---------------------------------------------------------------------------------

    def day(self) -> date:
        """The day the site is shown as of now (SPEC §6): --as-of, else the `as_of` setting, else today."""
        return shown_as_of(self.fixed_as_of, self.settings.as_of, self._clock)

    def behind_the_day(self) -> bool:
        """Whether the last rebuild showed another day than the site would show now: a preview left
        open past midnight, with no day fixed by --as-of or the `as_of` setting."""
        return self._read_as is not None and self._read_as[0] != self.day()

    def _settings_file(self) -> tuple:
        """What okrsite.toml is on disk now: there or not, a file or not, and a digest of its bytes."""
        path = self.root / SETTINGS_FILE
        return os.path.lexists(path), path.is_file(), file_digest(file_bytes(str(path)))

    def _settings_unnamed(self, kinds: dict[str, list[Path]]) -> bool:
        """Whether okrsite.toml changed since it was read though the changed paths do not name it: a
        checkout writes it last, and its watcher may tell of it after the content's (a new named
        period, read before it, would be an error until then)."""
        return "settings" not in kinds and self._settings_read is not None and self._settings_file() != self._settings_read

    def _read_settings(self) -> None:
        self._settings_report = Report()
        self._settings_read = self._settings_file()
        self.settings = load_settings(self.root, self._settings_report)
        if self.fixed_audience is not None:
            self.settings = replace(self.settings, audience=self.fixed_audience)
        for cached in self._docs.values():
            cached.entity = None
        self._listed = None

    def _read_doc(self, path: Path) -> None:
        rel = path.relative_to(self.root).as_posix()
        listed = is_listed(path, self.root)
        if rel not in self._docs or not listed:
            self._order = None  # a file added or removed: the reading order is made again
        self._data_files = None
        if not listed:
            self._docs.pop(rel, None)
            return
        report, raw = Report(), file_bytes(str(path))
        self._docs[rel] = _Cached(load_document(self.root, path, report, raw), report.items, digest=file_digest(raw))
        self._saved.add(rel)

    def _read_all(self) -> None:
        self._docs.clear()
        self._order = None
        self._data_files = None
        content = self.root / "content"
        remembered = {}
        if self._start is not None:
            reader = self._start.reader
            reader.documents(self.root, Report())
            remembered = reader.now
        self._linked_folders = []
        for path in map(Path, markdown_paths(content, self._linked_folders)) if content.is_dir() else []:
            entry = remembered.get(path.relative_to(self.root).as_posix())
            if entry is None:
                self._read_doc(path)
            else:
                self._docs[path.relative_to(self.root).as_posix()] = _Cached(entry.doc, list(entry.read), digest=entry.digest)

    def data_files(self) -> frozenset[str]:
        """The CSV files the KPIs read (their `data:` paths from the site root, goals.parse.site_path), in
        whatever folder, as the goals files read so far name them. Each rebuild hands them to
        ``watch_data`` before it parses a KPI (the preview watches them before their values are read)."""
        if self._data_files is None:
            docs = list(self._docs.values())  # in one step: the watchers ask this while a rebuild reads the files anew
            named = (c.doc.meta.get("data") for c in docs if c.doc is not None and c.doc.kind == "kpi")
            self._data_files = frozenset(path for data in named if isinstance(data, str) and (path := site_path(data)) is not None)
        return self._data_files

    def reads_data(self, path: Path) -> bool:
        """Whether a path is a CSV file a KPI reads, or a folder on the way to one (made, renamed or removed)."""
        try:
            rel = (Path(path).parent.resolve() / Path(path).name).relative_to(self.root).as_posix()
        except ValueError:
            return False
        return any(data == rel or data.startswith(rel + "/") for data in self.data_files())

    def _entities(self, report: Report) -> list:
        """Every file's entity, in reading order, and their diagnostics into ``report``. The list is
        kept: a save of files that were and are readable puts their new entities in its place (going
        through all of them costs 20 ms at 10,000 objectives)."""
        saved, self._saved = self._saved, set()
        if self._order is None:
            self._order = sorted(self._docs, key=lambda rel: PurePosixPath(rel).parts)  # the order `build` reads in
            self._listed = None
        listed = self._listed
        if listed is None or any(rel not in listed[1] or self._docs[rel].doc is None for rel in saved):
            listed = self._listed = ([], {}, {})  # entities, the place of each file's, the diagnostics of each file that has any
            saved = self._order
        entities, places, problems = listed
        for rel in saved:
            cached = self._docs[rel]
            if cached.doc is not None and cached.entity is None:
                doc_report = Report()
                parsed = self._start.reader.entity if self._start is not None else parse
                cached.entity = parsed(cached.doc, self.settings, self.root, doc_report)
                cached.entity_diagnostics = doc_report.items
            problems.pop(rel, None)
            if cached.diagnostics or cached.entity_diagnostics:
                problems[rel] = cached.diagnostics + cached.entity_diagnostics
            if cached.doc is None:
                continue
            if rel not in places:
                places[rel] = len(entities)
                entities.append(None)
            entities[places[rel]] = cached.entity
        if problems:
            report.items.extend(d for rel in self._order if rel in problems for d in problems[rel])
        linked_folder_warnings(self.root, self._linked_folders, report)
        name_warnings(self._order, report)
        return list(entities)

    def passing(self, path: Path) -> bool:
        """A Markdown file the site has not read (nor a file under it, as a folder) that is gone: a
        scratch or temporary file (`notes.tmp.md` renamed over `notes.md`). There is nothing to read
        again, nor to name on the terminal line. (The watcher leaves out other temporary files.)"""
        if not listed_name(path.name) or os.path.lexists(path):
            return False
        try:
            rel = (Path(path).parent.resolve() / Path(path).name).relative_to(self.root).as_posix()
        except ValueError:
            return False
        return rel not in self._docs and not any(read.startswith(rel + "/") for read in list(self._docs))

    def reading(self) -> tuple[list, list, Settings]:
        """What the last rebuild read, for the update forms (Rereader.seed): each file's path, digest,
        document and diagnostics of reading; each entity with its diagnostics; the settings they were
        parsed with. Called between rebuilds (Preview.reading)."""
        files = [(str(self.root / rel), c.digest, c.doc, list(c.diagnostics)) for rel, c in self._docs.items()]
        entities = [(c.doc, c.entity, list(c.entity_diagnostics)) for c in self._docs.values() if c.doc is not None and c.entity is not None]
        return files, entities, self.settings

    # -- rebuilding ------------------------------------------------------------------------------

    def rebuild(self, changed: Iterable[Path] | None = None, open_pages: Collection[str] | None = None) -> Rebuild:
        """Bring the site up to date after ``changed`` paths changed (None: everything). ``open_pages``: the
        pages browsers show now (output paths); of the pages a change reaches, only those are rendered
        at once, the others when asked for (`file`). None: every page a change reaches, at once."""
        started = time.perf_counter()
        kinds, found = self._classify(changed)
        unnamed = changed is not None and self._settings_unnamed(kinds)
        if unnamed:
            kinds["settings"] = [self.root / SETTINGS_FILE]
        return replace(self._rebuild(changed, kinds, open_pages, started), found=frozenset(found),
                       unnamed=frozenset(kinds["settings"]) if unnamed else frozenset())

    def _rebuild(self, changed: Iterable[Path] | None, kinds: dict[str, list[Path]], open_pages: Collection[str] | None, started: float) -> Rebuild:
        if changed is not None and self._as_read(kinds):
            return Rebuild(self.report, ok=not self.report.errors, seconds=time.perf_counter() - started)
        self._read_in_rebuild = None
        full = changed is None
        self._read_changed(full, kinds)
        self.watch_data(self.data_files())
        report = Report(list(self._settings_report.items))
        site, as_of = self._link(report)
        plan = self._checked_plan(site, full or bool(kinds.keys() & {"settings", "templates", "static"}), report)
        _sort_by_place(report)
        self.report = report
        if report.errors:
            self._sound_notices(site, as_of, report, "history" in kinds)
            return _failed(report, started)
        try:
            scores, history = self._scored(site, as_of, report, full, "history" in kinds)
            if self._unread_for_the_public(report):
                return _failed(report, started)
            return self._render(site, scores, plan, kinds, full, started, history, open_pages)
        except TemplateProblem as exc:
            report.error(*exc.said_in(self.root))
            return _failed(report, started)

    def _read_changed(self, full: bool, kinds: dict[str, list[Path]]) -> None:
        """The files a change reached, read again: all of them with the settings (``full``, or the settings
        changed: every file is parsed with them), else the goals files saved and the KPIs that read a data
        file; the renderer made again once the templates or settings changed."""
        if full or "settings" in kinds:
            self._read_settings()
            self._read_all()
        else:
            for path in kinds.get("content", ()):
                self._read_doc(path)
            if "data" in kinds:
                self._forget_data_kpis()
        if full or kinds.keys() & {"settings", "templates"}:
            self._renderer_stale = True  # (no template reads a static file: a new style sheet changes no page)

    def _forget_data_kpis(self) -> None:
        """Every KPI whose values are in a data file, parsed again by the next _entities: which data file
        changed is not looked into."""
        for rel, cached in self._docs.items():
            if isinstance(cached.entity, KPI) and cached.entity.data:
                cached.entity = None
                self._saved.add(rel)

    def _link(self, report: Report) -> tuple[Site, date]:
        """The site linked from every file's entity, with what the history tells of ids no file has; the
        day and commit it was read as of kept (see _as_read)."""
        site, as_of = link_site(self.root, self.settings, self._entities(report), self.fixed_as_of, report, self._linker, self._clock)
        self._tell_former_ids(site, as_of, report)
        self._read_as = (as_of, self._head())
        return site, as_of

    def _checked_plan(self, site: Site, anew: bool, report: Report) -> list[Output]:
        """The write plan of the site the audience sees (_write_plan; ``anew``: planned again whatever its
        key), and the files under content/ that the bodies link to checked into ``report``; a public site
        whose history cannot tell what was confidential (git failed, a shallow clone) is an error there, as
        its build is (git.read.unknown_confidential)."""
        shown = site_for_audience(site, self.settings.audience)
        confidential_once = self._once_confidential(self.root, site, self.settings)
        if confidential_once.unknown_why:
            report.error("content", NO_LINE, *confidential_once.unknown_why)
        withheld = withheld_files(site, self.settings, confidential_once)
        linked = content_files(site, self.root, withheld)  # the files under content/ the bodies link to, and the links to none
        plan = self._write_plan(site, shown, anew, report,
                                linked[0] if shown is site else content_files(shown, self.root, withheld)[0], confidential_once, self._redirects(site, shown))
        check_content_files(site, self.root, report, linked)
        check_shared_data_files(site, self.root, report, self.settings)
        return plan

    def _scored(self, site: Site, as_of: date, report: Report, full: bool, renamed: bool) -> tuple[Scores, History | None]:
        """The site's numbers (after a save, the last good rebuild's kept for what it did not touch) and
        the history they read; the notices of time into ``report``."""
        history, logs = self._git(site, renamed)
        earlier = self._whole if self._whole is not None and not full else None
        scores = compute(site, self.settings, as_of, earlier, logs)
        notice_time(site, scores, report, self.settings, history, self._refused)
        _sort_by_place(report)
        return scores, history

    def _unread_for_the_public(self, report: Report) -> bool:
        """Whether git failed in the read of the history the pages are made with (View.history): a public site
        tells from it which values were confidential or private when they were written (web.audience), so that is
        an error in ``report`` and no page is rendered, as a public build is refused (build.check_site). The read
        _checked_plan asks for (git.read.OnceConfidential) is another, which may not fail with it."""
        if self.settings.audience != "public" or self._read_failed is None:
            return False
        report.error("content", NO_LINE, *unknown_confidential(self._read_failed, None))
        _sort_by_place(report)
        return True

    def _sound_notices(self, site: Site, as_of: date, report: Report, renamed: bool) -> None:
        """The notices `okrsite check` gives a site with errors: those of its part without errors
        (numbers.notices.sound_part), its check-ins from the history the whole site reads."""
        sound = sound_part(site, report)
        if sound is None:
            return
        history, _ = self._git(site, renamed)
        logs = site_logs(sound, history, self._logs) if history is not None else None
        notice_time(sound, compute(sound, self.settings, as_of, logs=logs), report, self.settings, unread=self._refused)
        _sort_by_place(report)

    def _as_read(self, kinds: dict[str, list[Path]]) -> bool:
        """Whether every path that changed is a goals file or okrsite.toml holding the very bytes the
        last rebuild read, on the same as-of date and commit: an editor's second write, a touch, the
        watcher's word of a check-in's file after the check-in's own rebuild, or of okrsite.toml after
        a rebuild that read it (see _settings_unnamed), or of a commit that rebuild read. Nothing is to
        be read or rendered then (at 10,000 objectives such a rebuild cost 0.3 s of a check-in's reload)."""
        if self._read_as is None or not set(kinds) <= {"content", "settings"}:
            return False
        if "settings" in kinds and self._settings_file() != self._settings_read:
            return False
        for path in kinds.get("content", ()):
            cached = self._docs.get(path.relative_to(self.root).as_posix())
            if cached is None or cached.digest is None or file_digest(file_bytes(str(path))) != cached.digest:
                return False
        return self._read_as == (self.day(), self._head())

    def _head(self) -> str | None:
        return head_of(self.root) if self.settings.git_history else None

    def _redirects(self, site: Site, shown: Site) -> tuple[tuple[str, str, str], ...]:
        """The pages at former ids' addresses (web.plan.planned_redirects), made again only when the history
        read or an objective's or KPI's id, file or privacy changed."""
        history = None if self._settings_report.errors else self._read_history(site)
        if history is None:
            return ()
        key = (tuple((o.id, o.doc.path, o.private) for o in site.objectives.values()), tuple((k.id, k.doc.path) for k in site.kpis.values()),
               tuple(shown.objectives) if shown is not site else None, self.settings.audience)
        if self._moved is None or self._moved[0] is not history or self._moved[1] != key:
            self._moved = (history, key, planned_redirects(history, site, shown, self.settings.audience))
        return self._moved[2]

    def _write_plan(self, site: Site, shown: Site, anew: bool, report: Report, linked: dict[str, Path], once_confidential: frozenset[str],
                    redirects: tuple[tuple[str, str, str], ...] = ()) -> list[Output]:
        """The site's files, planned again only when what the plan follows from changed (a save that
        changes a title or a value does not: at 10,000 objectives planning costs a third of a rebuild).
        A site linked with the shape of the one the plan was kept for has the same key (everything
        _plan_key reads is in goals/link.py's shape), unless the audience's site is another one.
        A site with errors is planned too (build.check_site: its clashes show with its other errors).
        ``linked``: the files under content/ that the bodies of ``shown`` link to (plan.content_files), but
        those withheld (``once_confidential``: git.read.once_confidential); ``redirects``: _redirects."""
        files = {o.path: o.static for o in self._plan[1] if o.static is not None and o.static.is_relative_to(self.root / "content")} if self._plan is not None else None
        anew = anew or files != linked  # a body that links another file under content/
        anew = anew or self._plan is None or self._plan[0][1] != redirects
        if not anew and shown is site and self._plan_for is not None and self._linker.same_shape_as is self._plan_for:
            self._plan_for = site
            return self._plan[1]
        key = (_plan_key(shown, self.settings), redirects)
        self._plan_for = site
        if not anew and self._plan is not None and self._plan[0] == key:
            return self._plan[1]
        plan = write_plan(shown, self.settings, theme_dirs(self.root), self.root, once_confidential, redirects)
        said = len(report.items)
        check_plan(plan, shown, self.settings, self.root, report)
        # A plan with clashes is checked again next time: its messages say where, and lines move. So is one
        # with a warning (a theme/ that is a link to nothing): each rebuild's report says it again.
        self._plan = (key, plan, {o.path: o.page for o in plan if o.page is not None}) if len(report.items) == said else None
        return plan

    def _git(self, site, renamed: bool = False) -> tuple[History | None, Logs | None]:
        """The history (_read_history) and the check-ins it holds."""
        if self._read_history(site, renamed) is None:
            return None, None
        logs = site_logs(site, self._history, self._logs)
        self._logs = (site, self._history, logs)
        return self._history, logs

    def _read_history(self, site, renamed: bool = False) -> History | None:
        """The history, read again only when HEAD moved (a commit, a checkout), a shallow clone's oldest
        commits did (`git fetch --unshallow` or `--deepen`, which leave HEAD: a public site would go on
        taking a KPI made public as public all along), other files matter or the mailmap changed
        (``renamed``: it names the authors). Once a rebuild: the write plan asks first (_redirects), and
        a git that failed or timed out is not waited for again until the next rebuild."""
        if not self.settings.git_history:
            self._refused, self._read_failed, self._history_key = None, None, None  # turned on again: read
            return None
        repo = find_repository(self.root)
        key = (repo.head if repo else None, shallow_boundary(repo) if repo else frozenset(), tuple(history_paths(site)))
        if (key != self._history_key or renamed) and key != self._read_in_rebuild:
            self._read_in_rebuild = key
            remember = self._start.remember if self._start is not None else {}
            read = read_history_from(self.root, key[2], remember.get("history")) if key[0] else HistoryRead(None, None)
            history, remember["history"] = read.history, read.remembered
            self._refused, self._read_failed = history_refused(self.root, True, history, read.failed), read.failed
            # A commit checked out whose history git did not give (a timeout, a git killed under load, or no
            # reason said): the next rebuild asks again, rather than none until HEAD moves.
            failed = history is None and key[0] is not None and (read.failed is not None or self._refused is None)
            self._history, self._history_key = history, None if failed else key
        return self._history

    def _tell_former_ids(self, site: Site, as_of: date, report: Report) -> None:
        """What the history tells of the ids the files name but no file has (goals.former), as `okrsite check` says it.
        A mailmap saved since does not make it read the history again: it renames authors, which no hint names."""
        wanted = unknown_ids(site)
        if any(wanted.values()) and not self._settings_report.errors and (history := self._read_history(site)) is not None:
            tell_former_ids(site, as_of, report, former_ids(history, site, wanted, self.root))

    def _keep_changes(self, view: View) -> None:
        """The last view's recent changes (View.changes: every commit of the history described, 0.15 s
        at 10,000 objectives and 10,000 commits), when the history, the date and the settings are the
        same and the site was relinked from the last one with the same shape and KPIs."""
        old = self._view
        if (old is not None and "changes" in old.__dict__ and view.history is not None and view.history is old.history
                and view.site is self._linker.last_site and self._linker.same_shape_as is old.site and view.as_of == old.as_of
                and view.settings == old.settings and _described_alike(old.site, view.site)):
            view.__dict__["changes"] = old.changes

    def _classify(self, changed: Iterable[Path] | None) -> tuple[dict[str, list[Path]], list[Path]]:
        """The changed paths by kind, and the goals files a folder among them brought or took away."""
        kinds: dict[str, list[Path]] = {}
        relist = False
        held: set[str] = set()  # the folders that hold goals files read, made on the first need (see _folder)
        for path in changed or ():
            path = Path(path).parent.resolve() / Path(path).name  # a goals file linked into content/ is known by its link's name
            if path.name == MAILMAP:
                kinds.setdefault("history", []).append(path)  # the names git gives authors: no commit, no goals file changed
                continue
            try:
                parts = PurePosixPath(path.relative_to(self.root).as_posix()).parts
            except ValueError:
                kinds.setdefault("templates" if path.suffix == ".html" else "static", []).append(path)  # the default theme
                continue
            if parts == (SETTINGS_FILE,):
                kind = "settings"
            elif parts[:1] == ("content",) and self._folder(path, held):
                relist = True
                kind = "static"  # the files a body links to moved with it too
            elif parts[:1] == ("content",) and listed_name(path.name):
                kind = "content"
            elif parts[:1] == ("data",) or self.reads_data(path):
                kind = "data"  # a KPI's CSV file in any folder; under content/, a body may link to it too
                if parts[:1] == ("content",):
                    kinds.setdefault("static", []).append(path)
            elif parts == ("theme",):  # made, moved or removed whole: a watcher may report the folder alone, not its files
                kinds.setdefault("templates", []).append(path)
                kind = "static"
            elif parts[:2] == ("theme", "templates"):
                kind = "templates"
            elif parts[:2] == ("theme", "static") or parts[:1] == ("content",):
                kind = "static"  # a file under content/ that is no Markdown file: one a body may link to (web/plan.py: content_files)
            else:
                continue
            kinds.setdefault(kind, []).append(path)
        found = self._relisted() if relist else []
        if relist:
            kinds.setdefault("content", []).extend(found)
        return kinds, found

    def _folder(self, path: Path, held: set[str]) -> bool:
        """Whether a path a watcher reports under content/ is a folder, or was one that held goals files:
        a folder renamed, moved or deleted is reported alone, not the files below it. ``held`` is filled
        with the folders of the files read on the first path that needs it: a checkout deleting a
        thousand images does not look through every file read a thousand times."""
        if path.is_dir() or (not listed_name(path.name) and looping_link(path) == path):  # a link in a loop is listed as a linked folder
            return True
        if path.exists() or listed_name(path.name):
            return False  # a file, or a goals file deleted
        if not held:
            held.update(rel.rsplit("/", depth)[0] for rel in self._docs for depth in range(1, rel.count("/") + 1))
        return path.relative_to(self.root).as_posix() in held

    def _relisted(self) -> list[Path]:
        """The goals files content/ lists now (as `build` lists them) that were not read, and those read
        that it no longer lists: each is read, or let go, as its own save would be."""
        content = self.root / "content"
        self._linked_folders = []
        listed = {path.relative_to(self.root).as_posix(): path for path in map(Path, markdown_paths(content, self._linked_folders))} if content.is_dir() else {}
        return [listed[rel] for rel in listed.keys() - self._docs.keys()] + [self.root / rel for rel in self._docs.keys() - listed.keys()]

    def _render(self, site, scores: Scores, plan: list[Output], kinds: dict, full: bool, started: float, history: History | None = None,
                open_pages: Collection[str] | None = None) -> Rebuild:
        """A rebuild's stages after the site is computed: the view, the renderer (a new one's templates
        checked first), what the change reaches, the pass over the pages and the other files of the plan,
        kept as the current site."""
        view = self._view_of(site, scores, plan, history)
        renderer = self._current_renderer()
        if renderer is not self._renderer and (problems := template_problems(renderer)):
            return self._template_errors(problems, started)
        reach = self._reach(view, renderer, kinds, full, open_pages)
        with self._lock:
            files, stale = dict(self.files), set(self._stale)
        pages = self._plan[2] if self._plan is not None and self._plan[1] is plan else {o.path: o.page for o in plan if o.page is not None}
        rendering = _Pass(view, renderer, reach, self._inputs, files, stale)
        for output, page in pages.items():
            rendering.page(output, page)
        removed = rendering.let_go(pages)
        rendering.planned_files(plan, reach.everything or "static" in kinds)
        self._keep(rendering, pages, site, scores)
        changed = frozenset(rendering.written | removed | rendering.deferred)
        styles_only = bool(changed) and all(path.endswith(".css") for path in changed)
        return Rebuild(self.report, ok=True, rendered=rendering.rendered, changed=changed, deferred=len(rendering.deferred), styles_only=styles_only,
                       seconds=time.perf_counter() - started)

    def _view_of(self, site: Site, scores: Scores, plan: list[Output], history: History | None) -> View:
        """What the pages show (web.plan.planned_view): the site's folder in its repository is asked again
        only when the repository's URL or the history read changed, and the last view's recent changes
        are kept where they are the same (_keep_changes)."""
        if self._prefix is None or self._prefix[0] != (self.settings.repo_url, self._history_key):
            self._prefix = ((self.settings.repo_url, self._history_key), repository_prefix(self.root, self.settings, history))
        view = planned_view(site, scores, self.settings, history, self._prefix[1], plan, self.root, self._refused)
        self._keep_changes(view)
        return view

    def _current_renderer(self) -> Renderer:
        """The last rebuild's renderer, or a new one once the templates or settings changed (the first
        starts from the Markdown bodies and compiled templates of the build cache)."""
        if not self._renderer_stale:
            return self._renderer
        start = self._start
        return Renderer(self.settings, theme_dirs(self.root), _bodies=start.bodies(self.settings) if start else {},
                        compiled=start.compiled() if start else None)

    def _template_errors(self, problems: list[TemplateProblem], started: float) -> Rebuild:
        """Every broken template of the site's own at once, as `build` says them."""
        for problem in problems:
            self.report.error(*problem.said_in(self.root))
        _sort_by_place(self.report)
        return _failed(self.report, started)

    def _reach(self, view: View, renderer: Renderer, kinds: dict, full: bool, open_pages: Collection[str] | None) -> _Reach:
        """Which pages the change reaches (all of them, none, or those _changed_ids leads to) and which of
        those are rendered at once."""
        fingerprint = _site_fingerprint(view)
        own_templates = has_own_templates(self.root)
        # No template reads a static file: a save of static files only, with the same files under content/
        # copied, reaches no page (not one of a site's own templates, nor a whole-site page) and leaves none
        # to render; so a style sheet's save is styles only, and open pages swap it in place (live.js).
        static_only = kinds.keys() == {"static"} and self._view is not None and view.copied == self._view.copied
        everything = full or self._renderer is not renderer or fingerprint != self._fingerprint or (own_templates and not static_only)
        # A template edit is rendered everywhere at once, so that its errors show now, as a build's would.
        at_once = open_pages is None or "templates" in kinds or (full and own_templates)
        changed_ids, subjects = (set(), set()) if everything else _changed_ids(self._view, view)
        return _Reach(fingerprint, everything, static_only and not everything, at_once, open_pages, changed_ids, subjects,
                      self._order_changed(view), _SharedDigests(view))

    def _order_changed(self, view: View) -> Callable[[str], bool]:
        """Whether a period's alignment order changed since the last view (asked once a period). A site
        relinked with the shape of the last one has its reviews in the same order (the order follows from
        periods, parents and the order of files): 25 ms a save at 10,000 objectives."""
        old, orders = self._view, {}
        same_shape = old is not None and view.site is self._linker.last_site and self._linker.same_shape_as is old.site

        def order_changed(period_id: str) -> bool:
            if period_id not in orders:
                orders[period_id] = not same_shape and reordered(old, view, period_id)
            return orders[period_id]

        return order_changed

    def _keep(self, rendering: _Pass, pages: dict, site: Site, scores: Scores) -> None:
        """The pass's files, pages, renderer and view as the current site; the first build's reading kept
        for the next build or preview."""
        with self._lock:
            self.files, self._stale, self._pages, self._renderer, self._view = rendering.files, rendering.stale, pages, rendering.renderer, rendering.view
            self._renderer_stale = False
            self._inputs, self._fingerprint = rendering.inputs, rendering.reach.fingerprint
        self._whole = (site, scores)
        if self._start is not None:
            self._start.save(site)
            self._start = None


@dataclass
class _Reach:
    """What a rebuild's change reaches (Project._reach)."""

    fingerprint: tuple  # _site_fingerprint of the new view
    everything: bool  # every page: a new renderer, what every page shows changed, a site's own templates
    none: bool  # no page: static files only, the same files under content/ copied
    at_once: bool  # every page reached is rendered now, not only those browsers show
    open_pages: Collection[str] | None
    changed_ids: set[str]  # see _changed_ids
    subjects: set[str]
    order_changed: Callable[[str], bool]  # see Project._order_changed
    digests: _SharedDigests

    def now(self, output: str) -> bool:
        """Whether a page the change reaches is rendered now."""
        return self.at_once or output in self.open_pages


@dataclass
class _Pass:
    """One rebuild's pass over the site's files (copies of the current ones): each page the change
    reaches rendered, or left to render when asked for (``stale``) where no browser shows it, with
    what it shows (``inputs``) for the next pass; then the files of the plan."""

    view: View
    renderer: Renderer
    reach: _Reach
    earlier: dict[str, frozenset[str] | tuple]  # the last pass's inputs (Project._inputs)
    files: dict[str, bytes]
    stale: set[str]
    inputs: dict[str, frozenset[str] | tuple] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)  # whose bytes changed
    deferred: set[str] = field(default_factory=set)  # reached, left to render when asked for
    rendered: int = 0

    def page(self, output: str, page) -> None:
        """One page of the plan: rendered now, left to render, or kept as it is."""
        old = self.earlier.get(output)
        now = self.reach.now(output)
        if output in self.stale and not now or self.reach.none and output in self.earlier:
            self.inputs[output] = old  # left to render already (its inputs are taken when it is rendered), or not reached
            return
        self.inputs[output], reached = self._inputs_of(output, page, old, now)
        if not now:
            if reached and output not in self.stale:
                self.stale.add(output)
                self.deferred.add(output)
        elif reached or output in self.stale:
            self._render(output, page)

    def _inputs_of(self, output: str, page, old: frozenset[str] | tuple | None, now: bool) -> tuple[frozenset[str] | tuple | None, bool]:
        """A page's inputs after the change (None: unknown till it is rendered), and whether it reaches the page."""
        reach = self.reach
        if isinstance(old, frozenset) and not reach.everything:
            # A page's inputs only change when its subject or one of its old inputs changed
            # (_changed_ids marks neighbours too), so unchanged pages keep theirs uncomputed.
            reached = _reached(page, reach.changed_ids, reach.subjects, reach.order_changed) or bool(old & reach.changed_ids)
            return page_inputs(self.view, page) if reached and now or output in self.stale else old, reached
        if not now:
            # A new page, a whole-site page (its digest costs as much as the page at scale: search,
            # maps), any page after a change that reaches all: no browser shows it, so it is left to
            # render when asked for, its inputs unknown till then.
            return None, True
        needs = page_inputs(self.view, page)
        inputs = needs if needs is not None else reach.digests.of(page)
        return inputs, reach.everything or old is None or needs is not None or old != inputs

    def _render(self, output: str, page) -> None:
        data = self.renderer.render(self.view, page).encode("utf-8")
        self.rendered += 1
        self.stale.discard(output)
        if self.files.get(output) != data:
            self.written.add(output)
        self.files[output] = data

    def let_go(self, pages: dict) -> set[str]:
        """The pages the site no longer has, let go, and the files made on request (see Project.file)."""
        removed = {path for path in self.files.keys() | self.stale if (path.endswith(".html") or path in self.earlier) and path not in pages}
        for path in removed:
            self.files.pop(path, None)
            self.stale.discard(path)
        for path in ON_REQUEST:
            self.files.pop(path, None)
        return removed

    def planned_files(self, plan: list[Output], reread: bool) -> None:
        """The files of the plan but pages: a file no longer planned let go (a file under content/ no
        body links to any more, a theme file deleted); with ``reread``, the static files read again."""
        statics = {o.path: o.static.read_bytes() for o in plan if o.static is not None} if reread else {}
        planned = {o.path for o in plan}
        for path in [path for path in self.files if path not in planned and path not in ON_REQUEST]:
            self.files.pop(path)
            self.stale.discard(path)
        for path, data in statics.items():
            if self.files.get(path) != data:
                self.written.add(path)
            self.files[path] = data


def _described_alike(old: Site, new: Site) -> bool:
    """Whether git/changes.py says the same of both sites' history: it reads the KPIs' titles, units,
    number formats and CSV files, and ids and files (which a relinked site keeps: goals/link.py)."""
    if old.kpis.keys() != new.kpis.keys():
        return False
    return all(a is b or (a.title, a.unit, a.number_format, a.data) == (b.title, b.unit, b.number_format, b.data)
               for a, b in zip(old.kpis.values(), new.kpis.values()))


class _SharedDigests:
    """page_digest of the whole-site pages, computed once per rebuild for the pages whose digest does
    not depend on which page it is: every objective's map shows (for page_digest) the whole alignment,
    and a site has hundreds of maps at scale (tests/preview/test_state.py checks they agree)."""

    SHARED = frozenset({"map.html"})

    def __init__(self, view: View) -> None:
        self.view = view
        self.known: dict[str, tuple] = {}

    def of(self, page) -> tuple:
        if page.template not in self.SHARED:
            return page_digest(self.view, page)
        if page.template not in self.known:
            self.known[page.template] = page_digest(self.view, page)
        return self.known[page.template]


def _sort_by_place(report: Report) -> None:
    """The report in the order the preview shows it: by file, then line (a stable sort: what one line
    says stays in the order it was said)."""
    report.items.sort(key=lambda d: (d.file, d.line))


def _failed(report: Report, started: float) -> Rebuild:
    """A rebuild that kept the last good site: ``report`` says why."""
    return Rebuild(report, ok=False, seconds=time.perf_counter() - started)


def problem_page(file: str, line: int, message: str, hint: str | None) -> bytes:
    """What a page that a template cannot render shows in the preview: where, what, and how to fix it."""
    where = html.escape(f"{file}:{line}" if line else file)
    advice = f"<p>{html.escape(hint)}</p>" if hint else ""
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>okrsite: this page cannot be rendered</title><body>"
            f"<h1>This page cannot be rendered</h1><p><code>{where}</code>: {html.escape(message)}</p>{advice}</body></html>").encode("utf-8")


def _reached(page, changed: set[str], subjects: set[str], reordered) -> bool:
    """Whether a change reaches a page through its subject. The part of a period split by owner lists
    one owner's objectives: it changes when its owner is a neighbour of the change too; a part of a
    review in parts, when the period's alignment order changed (trees move between parts)."""
    if page.part is None:
        return page.subject in changed or page.subject in subjects
    if page.subject not in subjects:
        return False
    return reordered(page.subject) if page.template == "review.html" else page.part in subjects


def reordered(old: View | None, new: View, period_id: str) -> bool:
    period = new.site.periods.get(period_id)
    if old is None or period is None or period_id not in old.site.periods:
        return True
    order = [[(o.id, depth) for o, depth in part] for part in new.review_parts(period)]
    return order != [[(o.id, depth) for o, depth in part] for part in old.review_parts(old.site.periods[period_id])]


def _plan_key(site: Site, settings: Settings) -> tuple:
    """Everything the write plan (web/render.py site_pages) follows from: the settings, the ids, urls,
    order and tree of everything with a page, the owner and period of each objective (periods are
    split by owner at scale), the periods. tests/preview/test_state.py checks that a plan made again
    whenever this changes is the build's after every kind of edit."""
    return (
        settings, tuple(site.periods.values()), tuple(site.children.items()),
        tuple((o.id, o.url, o.period.id if o.period else None, o.owner, o.parent) for o in site.objectives.values()),
        tuple((k.id, k.url) for k in site.kpis.values()), tuple((t.id, t.url) for t in site.teams.values()),
        tuple((name, person.url) for name, person in site.people.items()), tuple((p.id, p.url) for p in site.pages.values()),
    )


def _site_fingerprint(view: View) -> tuple:
    """What every page shows (settings, date, navigation, periods): when it changes, all pages do."""
    site = view.site
    return (
        view.settings, view.as_of, site.title, view.current_period, view.history.head if view.history else None,
        tuple((p.id, p.title, p.url) for p in site.pages.values()), tuple(site.periods.values()),
    )


def _changed_ids(old: View | None, new: View) -> tuple[set[str], set[str]]:
    """(ids and names whose data, body, relations or computed values differ between two views,
    the neighbours of those — owner, parent, linked KPIs, period, team members, the teams above an
    objective's owner, before and after).
    Pages showing a changed id re-render; so do the pages *about* a neighbour, whose lists may have
    gained or lost the changed one. Every page whose inputs change is among these."""
    if old is None:
        return set(), set()
    changed: set[str] = set()
    subjects: set[str] = set()
    o_site, n_site = old.site, new.site
    for table in ("objectives", "kpis", "teams", "pages", "people"):
        before, after = getattr(o_site, table), getattr(n_site, table)
        if before is after:
            continue  # relinked without it (goals/link.py Linker)
        for ident in before.keys() | after.keys():
            a, b = before.get(ident), after.get(ident)
            if a is b:
                continue
            files = {entity.doc.path for entity in (a, b) if getattr(entity, "doc", None) is not None}
            if len(files) > 1 or a is None or b is None:
                changed |= {FILE + path for path in files}  # the pages that link to the file (render.page_inputs)
            if a != b:
                changed.add(ident)
                subjects |= _neighbours(a) | _neighbours(b)
                if getattr(a, "owner", None) != getattr(b, "owner", None):
                    subjects |= _rolled_up_by(o_site, a) | _rolled_up_by(n_site, b)
            elif getattr(a, "doc", None) is not None and (a.doc.body != b.doc.body or len(files) > 1):
                changed.add(ident)  # a body is shown on its own page only; so is the file's place (its links lead from there)
    if o_site.kpis.keys() != n_site.kpis.keys():
        changed.add(EVERY_KPI)
    if old.copied != new.copied:  # a file a body links to came or went: the pages that link to it (render.page_inputs)
        changed |= {FILE + path for path in (old.copied or frozenset()) ^ (new.copied or frozenset())}
    for relation in ("children", "objective_kpis", "kpi_objectives", "sub_teams", "followed_by"):  # followed_by: the earlier objective of a `follows:`, old and new
        before, after = getattr(o_site, relation), getattr(n_site, relation)
        if before is not after:
            changed |= {ident for ident in before.keys() | after.keys() if before.get(ident) != after.get(ident)}
    for table in ("objectives", "kpis"):
        before, after = getattr(old.scores, table), getattr(new.scores, table)
        changed |= {ident for ident in before.keys() | after.keys() if before.get(ident) is not after.get(ident) and before.get(ident) != after.get(ident)}
    return changed, subjects


def _neighbours(entity) -> set[str]:
    """The ids and names an entity points at: pages about those show this entity."""
    if entity is None:
        return set()
    found = {getattr(entity, "owner", None), getattr(entity, "parent", None)}
    if isinstance(entity, Objective):
        found |= {entity.period.id if entity.period else None, *entity.kpis}
        found |= {kr.kpi for kr in entity.key_results} | {kr.owner for kr in entity.key_results}
    elif isinstance(entity, KPI):
        found |= set(entity.objectives)
    elif isinstance(entity, Team):
        found |= {entity.lead, *entity.members}
    found.discard(None)
    return found


def _rolled_up_by(site: Site, entity) -> set[str]:
    """The teams above an objective's owner (a team, or a person's teams): their pages roll it up
    (numbers/teams.py), though nothing they showed names it before it came to them. (An objective
    they already rolled up is among their inputs.) The objective of someone in no team: the company
    team's, which counts it as its own."""
    if not isinstance(entity, Objective):
        return set()
    person = site.people.get(entity.owner)
    homes = [t for t in (person.teams if person is not None else (entity.owner,)) if t in site.teams]
    found: set[str] = set()
    for team in homes:
        parent = site.teams[team].parent
        while parent in site.teams and parent not in found:
            found.add(parent)
            parent = site.teams[parent].parent
    company = company_team(site)
    return found if homes or company is None else {company}
