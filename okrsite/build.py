"""The pipeline: load → model → link and validate → plan → compute → render → write.

`check` stops before rendering; `build` goes all the way. Both start from `check_site`, so they report
the same problems, and both are plain functions the CLI and tests call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from .checkins import Logs, data_path, site_logs
from .compute import Scores, compute
from .config import Settings, load_settings
from .diagnostics import Report
from .export import dumps, okrs_json
from .link import link_entities, parse
from .history import History, read_history, refusal, site_prefix
from .load import load_documents
from .model import Site
from .plan import OKRS_JSON, Output, check_plan, write_plan
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
    return site, as_of or settings.as_of or date.today()


def notice_stale(site: Site, scores: Scores, report: Report) -> None:
    """Stale KPIs and objectives are notices: time passing alone makes them, so they never fail a build
    (unless --fail-on-stale asks)."""
    for ident, state in scores.kpis.items():
        if state.stale:
            kpi = site.kpis[ident]
            line = kpi.doc.line("data") if kpi.data else kpi.doc.line("values")
            report.notice(kpi.doc.path, line, f"stale KPI: the latest value is {state.age_days} days old ({kpi.frequency} data)", "add a newer value, or set 'frequency' to how often it is really measured")
    since = scores.logs.known_since() if scores.logs else None
    for ident, score in scores.objectives.items():
        last = score.updated or since
        if score.stale and last is not None:
            doc = site.objectives[ident].doc
            report.notice(
                doc.path, doc.line("key_results"), f"stale objective: its numbers have not changed for {(scores.as_of - last).days} days",
                "check in a value for its key results (a new current: or history entry), or set 'status:' to achieved, missed or cancelled if it is settled",
            )


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


@dataclass
class Checked:
    """A validated site with its write plan and scores: what `check` reports and `build` renders.
    Without errors in reading and linking, ``scores`` is set (the plan may still have errors)."""

    loaded: Loaded
    plan: list[Output]
    history: History | None = None
    scores: Scores | None = None

    @property
    def report(self) -> Report:
        return self.loaded.report


def check_site(root: Path, as_of: date | None = None) -> Checked:
    """Validate, check the write plan, and compute (with the git history when it is on) for the notices."""
    root = Path(root)
    loaded = load_site(root, as_of)
    if loaded.report.errors:
        return Checked(loaded, [])
    plan = write_plan(loaded.site, theme_dirs(root))
    check_plan(plan, loaded.site, loaded.settings, root, loaded.report)
    history, logs = read_git(root, loaded.site, loaded.settings)
    scores = compute(loaded.site, loaded.settings, loaded.as_of, logs=logs)
    notice_stale(loaded.site, scores, loaded.report)
    return Checked(loaded, plan, history, scores)


def site_files(checked: Checked, renderer: Renderer, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """The bytes of every file in the plan, in its order."""
    loaded = checked.loaded
    view = View(loaded.site, checked.scores, loaded.settings, checked.history, prefix)
    for output in checked.plan:
        if output.page is not None:
            yield output.path, renderer.render(view, output.page).encode("utf-8")
        elif output.static is not None:
            yield output.path, output.static.read_bytes()
        elif output.path == OKRS_JSON:
            yield output.path, dumps(okrs_json(loaded.site, checked.scores)).encode("utf-8")


def build(root: Path, out: Path | None = None, as_of: date | None = None, strict: bool = False, fail_on_stale: bool = False) -> BuildResult:
    started = time.perf_counter()
    root = Path(root)
    out = Path(out) if out is not None else root / "site"
    checked = check_site(root, as_of)
    report = checked.report
    try:
        check_output(out, root)
    except OutputError as exc:
        report.error(str(out), 1, exc.message, exc.hint)
    if report.failed(strict, fail_on_stale):
        return BuildResult(report, ok=False)
    loaded, history = checked.loaded, checked.history
    refused = refusal(root) if history is None and loaded.settings.git_history else None
    renderer = Renderer(loaded.settings, theme_dirs(root))
    try:
        prefix = repository_prefix(root, loaded.settings, history)
        written = write_site(out, site_files(checked, renderer, prefix), root)
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
