"""Pages rendered by several processes at once, for builds with many pages to render.

A page is a function of the model and its PageSpec, so the workers are forked from the build with the
model, the renderer and the list of pages already in memory, and are sent only page numbers; each
sends back the bytes of its pages (and the Markdown bodies it rendered, for the build cache). The
pages come back in order, byte-identical to a build on one process. Where processes cannot be forked
(Windows, macOS by default), or for few pages, the build renders on one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from itertools import islice
from pathlib import Path
from contextlib import closing
from typing import Any, Callable, Iterator

from ..goals.config import Settings
from .render import PageSpec, Renderer, View
from .templatecheck import MACRO_NOT_EXPORTED, TemplateProblem, TemplateProblems, lacking_macros, own_templates, template_names, template_problems

PARALLEL_FROM = 300  # pages to render; below this, starting the workers costs more than they save
ONE_PROCESS_FROM = 25_000  # objectives and KPIs: from here each worker would cost as much memory as the build
CHUNK = 40  # pages a worker renders per request
AHEAD = 3  # spans each worker may have rendered before the build takes them: what waits in its memory
WORKERS_VARIABLE = "OKRSITE_WORKERS"

_work: Callable[[tuple[int, int]], Any] | None = None  # what the forked workers inherit


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(settings: Settings, notes: list[str], goals: int = 0) -> int:
    """OKRSITE_WORKERS, else the `workers` setting, else every core this process may use for a site of
    fewer than ONE_PROCESS_FROM ``goals`` (objectives and KPIs), else one.

    A forked worker shares the model with the build only until it reads it: CPython writes a reference
    count into every object read, so each worker ends up with a copy of its own. For a large site that
    copy is what the memory is spent on, and a build of 100,000 objectives on two cores would need
    three models' worth; one process is slower and needs one."""
    text = os.environ.get(WORKERS_VARIABLE, "").strip()
    if text:
        if text.isdigit() and int(text) >= 1:
            return int(text)
        notes.append(f"{WORKERS_VARIABLE}={text!r} is not a whole number of processes (1 or more): it is ignored")
    if settings.workers:
        return settings.workers
    return available_cores() if goals < ONE_PROCESS_FROM else 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and os.name == "posix" and not _on_macos()


def _on_macos() -> bool:
    return os.uname().sysname == "Darwin"


def render_pages(renderer: Renderer, view: View, pages: list[PageSpec], workers: int) -> Iterator[bytes]:
    """The bytes of each page, in order. A page its template cannot render gives none (b""): the
    build goes on, to find the mistakes of the other templates too, and once its last page is taken
    raises every one of them (TemplateProblems). Mistakes found before rendering fail it at once."""
    found = Found(template_problems(renderer))
    if found.at:
        for page in pages:
            found.render(renderer, view, page)
        # A template that fails now for a macro the site's macros.html lacks, or that it imports misspelt, fails for that: not said twice.
        own = own_templates(renderer.themes).resolve()
        lacking = tuple(f"'{name}' is undefined" for name in lacking_macros(renderer))
        raise TemplateProblems([problem for problem in found.problems()
                                if Path(problem.file).resolve().is_relative_to(own) and not any(said in problem.message for said in lacking)
                                and not MACRO_NOT_EXPORTED.search(problem.message)])
    if workers <= 1 or len(pages) < PARALLEL_FROM or not can_fork():
        for page in pages:
            yield found.render(renderer, view, page)
    else:
        yield from _in_parallel(renderer, view, pages, workers, found)
    if found.at:
        raise TemplateProblems(found.problems())


class Found:
    """The template mistakes a build met, one per place in a template (the same mistake fails every
    page that reaches it). Once there is one, the build fails: each page template is then tried on one
    more page only, for the mistakes of the others."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        self.at: dict[tuple[str, int], TemplateProblem] = {}
        self.tried: set[str] = set()
        for problem in problems:
            self.add(problem)

    def add(self, problem: TemplateProblem) -> None:
        self.at.setdefault((os.path.abspath(problem.file), problem.line), problem)

    def problems(self) -> list[TemplateProblem]:
        return list(self.at.values())

    def render(self, renderer: Renderer, view: View, page: PageSpec) -> bytes:
        if self.at:
            if page.template in self.tried:
                return b""
            self.tried.add(page.template)
        try:
            return renderer.render(view, page).encode("utf-8")
        except TemplateProblem as problem:
            self.add(problem)
            return b""


def _in_parallel(renderer: Renderer, view: View, pages: list[PageSpec], workers: int, found: Found) -> Iterator[bytes]:
    for name in template_names(renderer.env):  # compiled once, here, for every worker (and the build cache)
        renderer.env.get_template(name)
    frozen = gc.get_freeze_count() > 0
    if not frozen:
        gc.freeze()  # the model stays shared with the workers instead of being copied by their collector
    spans = [(start, min(start + CHUNK, len(pages))) for start in range(0, len(pages), CHUNK)]
    try:
        with closing(in_workers(lambda span: _render_span(renderer, view, pages, span), spans, min(workers, len(spans)))) as spans_rendered:
            for rendered, bodies, problems in spans_rendered:
                for problem in problems:
                    found.add(TemplateProblem(*problem))
                for key, html in bodies.items():  # one by one: the build cache's Bodies writes each as it comes
                    renderer._bodies[key] = html
                yield from rendered
    finally:
        if not frozen:
            gc.unfreeze()


def _render_span(renderer: Renderer, view: View, pages: list[PageSpec], span: tuple[int, int]) -> tuple[list[bytes], dict, list[tuple]]:
    """In a worker: the pages of one span, the bodies it rendered that the build had not, and the
    template mistakes it met."""
    known = len(renderer._bodies)
    found = Found([])
    rendered = [found.render(renderer, view, pages[n]) for n in range(*span)]
    bodies = list(renderer._bodies.items())[known:]
    return rendered, dict(bodies), [(p.file, p.line, p.message, p.hint) for p in found.problems()]


def in_workers(work: Callable[[tuple[int, int]], Any], spans: list[tuple[int, int]], workers: int) -> Iterator[Any]:
    """``work(span)`` of each span, in order, by ``workers`` forked processes. They inherit ``work`` (a
    closure over what they need), so only the spans are sent to them and only what it returns comes back
    (pickled: keep it compact). The caller checks can_fork first."""
    global _work
    _work = work
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            waiting = iter(spans)
            asked = deque(pool.apply_async(_run_span, (span,)) for span in islice(waiting, workers * AHEAD))
            while asked:
                done = asked.popleft().get()
                asked.extend(pool.apply_async(_run_span, (span,)) for span in islice(waiting, 1))
                yield done
    finally:
        _work = None


def _run_span(span: tuple[int, int]) -> Any:
    return _work(span)
