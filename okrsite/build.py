"""The pipeline: load → model → link and validate → plan → compute → render → write.

`check` stops before rendering; `build` goes all the way. Both start from `check_site`, so they report
the same problems, and both are plain functions the CLI and tests call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterator

from .goals.diagnostics import Report
from .goals.load import display_path
from .goals.repository import Loaded, load_site
from .git.history import History, refusal
from .git.read import history_note, read_git, repository_prefix
from .numbers.compute import Scores, compute
from .numbers.notices import notice_stale
from .web.audience import site_for_audience, view_for_audience
from .web.export import dumps, okrs_json
from .web.pagefind import index_site
from .web.plan import OKRS_JSON, Output, check_plan, write_plan
from .web.render import Renderer, TemplateProblem, View, theme_dirs
from .web.search import SEARCH_INDEX, index_script
from .web.write import OutputError, check_output, write_site


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

    def summary(self) -> str:
        built = (
            f"Built {self.objectives} objectives, {self.key_results} key results, {self.kpis} KPIs: "
            f"{self.pages} pages in {self.seconds:.2f} s"
        )
        if self.audience != "internal":
            built = built.replace("Built", f"Built the {self.audience} site:", 1)
        return f"{built}. {self.history}" if self.history else built


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


def check_site(root: Path, as_of: date | None = None, audience: str | None = None) -> Checked:
    """Validate, check the write plan of the audience's site (``audience`` wins over the setting), and
    compute on the whole site (with the git history when it is on) for the notices."""
    root = Path(root)
    loaded = load_site(root, as_of)
    if audience is not None:
        loaded.settings = replace(loaded.settings, audience=audience)
    if loaded.report.errors:
        return Checked(loaded, [])
    plan = write_plan(site_for_audience(loaded.site, loaded.settings.audience), loaded.settings, theme_dirs(root))
    check_plan(plan, loaded.site, loaded.settings, root, loaded.report)
    history, logs = read_git(root, loaded.site, loaded.settings)
    scores = compute(loaded.site, loaded.settings, loaded.as_of, logs=logs)
    notice_stale(loaded.site, scores, loaded.report)
    return Checked(loaded, plan, history, scores)


def site_files(checked: Checked, renderer: Renderer, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """The bytes of every file in the plan, in its order: rendered and exported from the audience's view."""
    loaded = checked.loaded
    view = view_for_audience(View(loaded.site, checked.scores, loaded.settings, checked.history, prefix))
    for output in checked.plan:
        if output.page is not None:
            yield output.path, renderer.render(view, output.page).encode("utf-8")
        elif output.static is not None:
            yield output.path, output.static.read_bytes()
        elif output.path == OKRS_JSON:
            yield output.path, dumps(okrs_json(view.site, view.scores, loaded.settings.audience)).encode("utf-8")
        elif output.path == SEARCH_INDEX:
            yield output.path, index_script(view.search_index())


def build(root: Path, out: Path | None = None, as_of: date | None = None, strict: bool = False, fail_on_stale: bool = False,
          audience: str | None = None) -> BuildResult:
    """Check, then render and write the site for ``audience`` (else the `audience` setting, else internal)."""
    started = time.perf_counter()
    root = Path(root)
    out = Path(out) if out is not None else root / "site"
    checked = check_site(root, as_of, audience)
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
        finish = index_site if loaded.settings.search == "pagefind" else None
        written = write_site(out, site_files(checked, renderer, prefix), root, finish)
    except OutputError as exc:
        report.error(str(out), 1, exc.message, exc.hint)
        return BuildResult(report, ok=False)
    except TemplateProblem as exc:
        report.error(display_path(exc.file, root), exc.line, exc.message, exc.hint)
        return BuildResult(report, ok=False)
    site = site_for_audience(loaded.site, loaded.settings.audience)
    return BuildResult(
        report, ok=True, seconds=time.perf_counter() - started,
        objectives=len(site.objectives), key_results=sum(len(o.key_results) for o in site.objectives.values()),
        kpis=len(site.kpis), pages=sum(1 for name in written if name.endswith(".html")), history=history_note(history) or (f"History: off, {refused}" if refused else ""),
        audience=loaded.settings.audience,
    )
