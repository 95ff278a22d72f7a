"""The pipeline: load → model → link and validate → compute → render → write.

`check` stops after validation; `build` goes all the way. Both are plain functions the CLI and tests call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from .checkins import Logs, data_path, site_logs
from .compute import Scores, compute, kpi_state
from .config import Settings, load_settings
from .diagnostics import Report
from .export import dumps, okrs_json
from .link import link_entities, parse, warn_stale_kpis
from .history import History, read_history, refusal, site_prefix
from .load import load_documents
from .model import Site
from .render import Renderer, TemplateProblem, View, theme_dirs
from .write import OutputError, check_output, write_site


@dataclass
class Loaded:
    settings: Settings
    site: Site
    as_of: date
    report: Report


def load_site(root: Path, as_of: date | None = None) -> Loaded:
    """Read and validate a goals repository; every problem found is in the report."""
    report = Report()
    settings = load_settings(root, report)
    entities = [parse(doc, settings, root, report) for doc in load_documents(root, report)]
    site, day = link_site(root, settings, entities, as_of, report)
    return Loaded(settings, site, day, report)


def link_site(root: Path, settings: Settings, entities: list, as_of: date | None, report: Report) -> tuple[Site, date]:
    """Link parsed documents and run the checks that need the whole site and its date (build and serve)."""
    if not (root / "content").is_dir():
        report.error("content", 1, f"no content/ folder in {root}", "run okrsite in a goals repository, or create one with 'okrsite init DIR'")
    site = link_entities(entities, settings, report)
    day = as_of or settings.as_of or date.today()
    warn_stale_kpis(site, {ident: kpi_state(kpi, day) for ident, kpi in site.kpis.items()}, report)
    return site, day


def history_paths(site: Site) -> list[str]:
    """What the history is read for: the content folder and every KPI's CSV file."""
    return ["content", *sorted({data_path(k) for k in site.kpis.values() if k.data})]


def read_git(root: Path, site: Site, settings: Settings) -> tuple[History | None, Logs | None]:
    """The goals files' history and the check-ins it holds; (None, None) outside git or when turned off."""
    if not settings.git_history:
        return None, None
    history = read_history(root, history_paths(site))
    return (history, site_logs(site, history)) if history is not None else (None, None)


def history_note(history: History | None) -> str:
    if history is None:
        return ""
    count = len(history.commits)
    commits = f"{count} commit{'s' * (count != 1)}"
    if not count:
        return "History: no commit has touched the goals yet"
    since = history.since.isoformat()
    if history.shallow:
        return (f"History: a shallow clone, {commits} back to {since}; check-ins and freshness "
                "before then are unknown (fetch the full history: git fetch --unshallow, or fetch-depth: 0 in CI)")
    return f"History: {commits} since {since}"


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

    def summary(self) -> str:
        built = (
            f"Built {self.objectives} objectives, {self.key_results} key results, {self.kpis} KPIs: "
            f"{self.pages} pages in {self.seconds:.2f} s"
        )
        return f"{built}. {self.history}" if self.history else built


def repository_prefix(root: Path, settings: Settings, history: History | None) -> str:
    """The site's folder in its repository, for edit links (asked of git even when history is off)."""
    if history is not None:
        return history.prefix
    return site_prefix(root) if settings.repo_url else ""


def site_files(loaded: Loaded, scores: Scores, renderer: Renderer, history: History | None = None, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    view = View(loaded.site, scores, loaded.settings, history, prefix)
    for page in view.pages():
        yield page.output, renderer.render(view, page).encode("utf-8")
    yield "okrs.json", dumps(okrs_json(loaded.site, scores)).encode("utf-8")
    yield from static_files(renderer.themes)


def static_files(themes: list[Path]) -> Iterator[tuple[str, bytes]]:
    """Static files of every theme folder; the site's own files win over the default's."""
    seen: set[str] = set()
    for theme in themes:
        static = theme / "static"
        inside = static.resolve()
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            rel = path.relative_to(static).as_posix()
            if not path.resolve().is_relative_to(inside):
                continue  # a symlink leading out of the theme is never published
            if path.is_file() and rel not in seen and not path.name.startswith("."):
                seen.add(rel)
                yield rel, path.read_bytes()


def build(root: Path, out: Path | None = None, as_of: date | None = None, strict: bool = False) -> BuildResult:
    started = time.perf_counter()
    root = Path(root)
    out = Path(out) if out is not None else root / "site"
    loaded = load_site(root, as_of)
    report = loaded.report
    try:
        check_output(out, root)
    except OutputError as exc:
        report.error(str(out), 1, exc.message, exc.hint)
    if report.failed(strict):
        return BuildResult(report, ok=False)
    history, logs = read_git(root, loaded.site, loaded.settings)
    refused = refusal(root) if history is None and loaded.settings.git_history else None
    scores = compute(loaded.site, loaded.settings, loaded.as_of, logs=logs)
    renderer = Renderer(loaded.settings, theme_dirs(root))
    try:
        prefix = repository_prefix(root, loaded.settings, history)
        written = write_site(out, site_files(loaded, scores, renderer, history, prefix), root)
    except OutputError as exc:
        report.error(str(out), 1, exc.message, exc.hint)
        return BuildResult(report, ok=False)
    except TemplateProblem as exc:
        report.error(display_path(exc.file, root), exc.line, exc.message, exc.hint)
        return BuildResult(report, ok=False)
    site = loaded.site
    return BuildResult(
        report, ok=True, seconds=time.perf_counter() - started,
        objectives=len(site.objectives), key_results=sum(len(o.key_results) for o in site.objectives.values()),
        kpis=len(site.kpis), pages=sum(1 for name in written if name.endswith(".html")), history=history_note(history) or (f"History: off, {refused}" if refused else ""),
    )


def display_path(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path
