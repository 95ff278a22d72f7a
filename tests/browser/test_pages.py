"""Every page type in a real browser over HTTP: it loads cleanly, its progress bars say what okrs.json
says, its <head> is complete, it fits a 360 px phone; screenshots for a human to look at.

Contracts (issue 3, SPEC §9), not markup: every progress bar is an element with role="progressbar",
an aria-label, aria-valuemin="0", aria-valuemax="100", aria-valuenow = round(progress * 100) and
data-progress = progress with 3 decimals. On an objective page the objective's own bar carries
data-objective="<id>" and each key result's bar data-kr="<kr id>"; objective rows on other pages
(home tree, period, team) carry data-objective on the row or on its bar. A guardrail has no bar: its
data-kr element says data-held="true|false|null" (SPEC §12).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from .conftest import (KINDS, REPO, SCREENSHOTS, PageLog, Site, attach_log, block_external, build_example, page_file, pages_of,
                       pages_or_skip, representative, serving)

TOLERANCE = 0.001

# One pass over the DOM: <head> facts, every progress bar and every [data-objective] / [data-kr].
EXTRACT = r"""
() => {
  const attr = (el, name) => el.getAttribute(name);
  const isBar = el => attr(el, 'role') === 'progressbar';
  const short = el => el.outerHTML.replace(/\s+/g, ' ').slice(0, 160);
  // The bar that belongs to a [data-objective] / [data-kr] element: itself, or the first progressbar
  // inside it whose nearest marked ancestor is that element (not a nested row's or a KR's bar).
  const ownBar = (el, sel, other) => [el, ...el.querySelectorAll('[role="progressbar"]')].find(
    b => isBar(b) && b.closest(sel) === el && !(b.closest(other) && el.contains(b.closest(other))
                                                && b.closest(other) !== el));
  const icons = [...document.querySelectorAll('link[rel]')]
    .filter(l => attr(l, 'rel').toLowerCase().split(/\s+/).includes('icon'))
    .map(l => attr(l, 'href'));
  const meta = document.querySelector('meta[name="description" i]');
  return {
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    description: meta ? attr(meta, 'content') : null,
    icons,
    bars: [...document.querySelectorAll('[role="progressbar"]')].map(b => ({
      html: short(b), label: attr(b, 'aria-label'), min: attr(b, 'aria-valuemin'),
      max: attr(b, 'aria-valuemax'), now: attr(b, 'aria-valuenow'), progress: attr(b, 'data-progress'),
      objective: attr(b, 'data-objective'), kr: attr(b, 'data-kr')})),
    objectives: [...document.querySelectorAll('[data-objective]')].map(el => {
      const bar = ownBar(el, '[data-objective]', '[data-kr]');
      return {id: el.dataset.objective, html: short(el), self_bar: isBar(el),
              progress: bar ? attr(bar, 'data-progress') : null};
    }),
    krs: [...document.querySelectorAll('[data-kr]')].map(el => {
      const bar = ownBar(el, '[data-kr]', '[data-objective]');
      return {id: el.dataset.kr, html: short(el), progress: bar ? attr(bar, 'data-progress') : null, held: attr(el, 'data-held')};
    }),
  };
}
"""


@dataclass
class Visit:
    file: str
    log: PageLog
    dom: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def visits(chromium_browser, site):
    """Every page of the site, opened once at 1280 px in light mode; keyed by site-relative file."""
    results: dict[str, Visit] = {}
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    block_external(context)
    try:
        for kind in KINDS:
            for file in pages_of(site, kind):
                page = context.new_page()
                log = attach_log(page)
                try:
                    page.goto(site.base_url + file, wait_until="load")
                except Exception as exc:  # a timeout or a network error: report it, go on with the others
                    log.failed_requests.append(f"{file}: {exc}")
                page.wait_for_timeout(50)  # late console messages
                visit = Visit(file, log)
                visit.dom = page.evaluate(EXTRACT)
                results[file] = visit
                page.close()
    finally:
        context.close()
    return results


def objectives_by_id(site: Site) -> dict[str, dict]:
    return {o["id"]: o for o in site.okrs["objectives"]}


def current_period(site: Site) -> str | None:
    as_of = site.okrs.get("as_of", "")
    periods = site.okrs.get("periods", [])
    for p in periods:
        if p["start"] <= as_of <= p["end"]:
            return p["id"]
    started = [p for p in periods if p["start"] <= as_of]
    return max(started, key=lambda p: p["start"])["id"] if started else None


def report(failures: list[str], what: str) -> str:
    return f"{len(failures)} {what}:\n  " + "\n  ".join(failures)


def close(shown: str | None, expected: float) -> bool:
    try:
        return abs(float(shown) - expected) <= TOLERANCE
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("kind", KINDS)
def test_page_loads_cleanly(kind, site, visits):
    """No console error, no uncaught exception, no failed request, no request off 127.0.0.1."""
    failures = [f"{file}: {problem}" for file in pages_or_skip(site, kind) for problem in visits[file].log.problems()]
    assert not failures, report(failures, f"problem(s) loading the {kind} page(s)")


@pytest.mark.parametrize("kind", KINDS)
def test_head_is_complete(kind, site, visits):
    """<html lang>, a non-empty <title>, a meta description and a favicon link on every page."""
    failures = []
    for file in pages_or_skip(site, kind):
        dom = visits[file].dom
        if not (dom["lang"] or "").strip():
            failures.append(f"{file}: <html> has no lang")
        if not dom["title"].strip():
            failures.append(f"{file}: empty or missing <title>")
        if not (dom["description"] or "").strip():
            failures.append(f"{file}: no <meta name=description> with content")
        if not any((href or "").strip() for href in dom["icons"]):
            failures.append(f"{file}: no <link rel=icon href=...>")
    assert not failures, report(failures, f"incomplete <head>(s) on {kind} pages")


def bar_attribute_failures(file: str, bars: list[dict]) -> list[str]:
    failures = []
    for bar in bars:
        where = f"{file}: {bar['html']}"
        if not (bar["label"] or "").strip():
            failures.append(f"{where}: no aria-label")
        if bar["min"] != "0" or bar["max"] != "100":
            failures.append(f"{where}: aria-valuemin/max are {bar['min']!r}/{bar['max']!r}, not '0'/'100'")
        if not re.fullmatch(r"\d+\.\d{3}", bar["progress"] or ""):
            failures.append(f"{where}: data-progress {bar['progress']!r} is not a number with 3 decimals")
            continue
        progress = float(bar["progress"])
        if not 0 <= progress <= 1:
            failures.append(f"{where}: data-progress {progress} is outside 0..1")
        try:
            now = float(bar["now"])
        except (TypeError, ValueError):
            failures.append(f"{where}: aria-valuenow {bar['now']!r} is not a number")
            continue
        # round(progress * 100) under either rounding rule for halves.
        if now != int(now) or abs(now - progress * 100) > 0.5 + 1e-9:
            failures.append(f"{where}: aria-valuenow {bar['now']} is not round({progress} * 100)")
    return failures


@pytest.mark.parametrize("kind", KINDS)
def test_progress_bars_are_accessible_and_consistent(kind, site, visits):
    """Every role=progressbar has a name, 0..100 aria values and aria-valuenow = round(data-progress*100)."""
    failures = [f for file in pages_or_skip(site, kind) for f in bar_attribute_failures(file, visits[file].dom["bars"])]
    assert not failures, report(failures, f"progress bar problem(s) on {kind} pages")


def objective_row_failures(file: str, dom: dict, objectives: dict[str, dict], need_bar: bool) -> list[str]:
    failures = []
    for row in dom["objectives"]:
        objective = objectives.get(row["id"])
        if objective is None:
            failures.append(f"{file}: data-objective={row['id']!r} is no objective of okrs.json: {row['html']}")
        elif row["progress"] is None:
            if need_bar:
                failures.append(f"{file}: the row of {row['id']} has no progress bar: {row['html']}")
        elif not close(row["progress"], objective["progress"]):
            failures.append(f"{file}: {row['id']} shows data-progress={row['progress']}, okrs.json says {objective['progress']}")
    return failures


def test_objective_pages_show_the_progress_of_okrs_json(site, visits):
    """The objective's own bar (data-objective) and every KR's bar (data-kr) match okrs.json."""
    objectives = objectives_by_id(site)
    failures = []
    for objective in site.okrs["objectives"]:
        file = page_file(objective["url"])
        dom = visits[file].dom
        own = [b for b in dom["bars"] if b["objective"] == objective["id"]]
        if not own:
            failures.append(f"{file}: no role=progressbar carries data-objective={objective['id']!r}")
        for bar in own:
            if not close(bar["progress"], objective["progress"]):
                failures.append(f"{file}: own bar data-progress={bar['progress']}, okrs.json says {objective['progress']}")
        krs = {}
        for row in dom["krs"]:
            krs.setdefault(row["id"], []).append(row)
        for kr in objective["key_results"]:
            rows = krs.get(kr["id"], [])
            if not rows:
                failures.append(f"{file}: no [data-kr={kr['id']!r}] (key result {kr['title']!r})")
            for row in rows:
                if kr["kind"] == "guardrail":
                    if row["held"] != {True: "true", False: "false", None: "null"}[kr["held"]] or row["progress"] is not None:
                        failures.append(f"{file}: guardrail {kr['id']} shows data-held={row['held']} and a bar {row['progress']}, okrs.json says held {kr['held']}")
                elif row["progress"] is None:
                    failures.append(f"{file}: [data-kr={kr['id']!r}] has no progress bar: {row['html']}")
                elif not close(row["progress"], kr["progress"]):
                    failures.append(f"{file}: KR {kr['id']} shows data-progress={row['progress']}, okrs.json says {kr['progress']}")
        # Children or parents listed on the page carry data-objective too: their values must match.
        failures += objective_row_failures(file, dom, objectives, need_bar=False)
    assert not failures, report(failures, "objective page(s) disagreeing with okrs.json")


def test_home_shows_the_progress_of_okrs_json(site, visits):
    """Every data-objective on home matches okrs.json; each top objective of the current period is there."""
    dom = visits["index.html"].dom
    objectives = objectives_by_id(site)
    failures = objective_row_failures("index.html", dom, objectives, need_bar=True)
    if not dom["objectives"]:
        failures.append("index.html: no element carries data-objective")
    shown = {row["id"] for row in dom["objectives"]}
    period = current_period(site)
    for o in site.okrs["objectives"]:
        if o["period"] == period and o["parent"] is None and o["id"] not in shown:
            failures.append(f"index.html: top objective {o['id']!r} of the current period {period} has no data-objective row")
    assert not failures, report(failures, "problem(s) with the objective rows of home")


def test_period_pages_show_their_objectives(site, visits):
    """A period page has a data-objective row with the right progress for each of its objectives."""
    objectives = objectives_by_id(site)
    failures = []
    for period in site.okrs["periods"]:
        file = page_file(period["url"])
        dom = visits[file].dom
        failures += objective_row_failures(file, dom, objectives, need_bar=True)
        shown = {row["id"] for row in dom["objectives"]}
        failures += [f"{file}: objective {o['id']!r} of {period['id']} has no data-objective row"
                     for o in site.okrs["objectives"] if o["period"] == period["id"] and o["id"] not in shown]
    assert not failures, report(failures, "problem(s) with the objective rows of period pages")


def test_team_pages_show_their_objectives(site, visits):
    """A team page has a data-objective row with the right progress for each objective the team owns."""
    objectives = objectives_by_id(site)
    failures = []
    for team in site.okrs["teams"]:
        file = page_file(team["url"])
        dom = visits[file].dom
        failures += objective_row_failures(file, dom, objectives, need_bar=True)
        shown = {row["id"] for row in dom["objectives"]}
        failures += [f"{file}: objective {o['id']!r} owned by {team['id']} has no data-objective row"
                     for o in site.okrs["objectives"] if o["owner"] == team["id"] and o["id"] not in shown]
    assert not failures, report(failures, "problem(s) with the objective rows of team pages")


@pytest.mark.parametrize("kind", ["kpi", "person", "page", "alignment", "archive", "search", "404"])
def test_other_objective_rows_match_okrs_json(kind, site, visits):
    """Wherever else an objective's bar appears, it shows okrs.json's value."""
    objectives = objectives_by_id(site)
    failures = [f for file in pages_or_skip(site, kind)
                for f in objective_row_failures(file, visits[file].dom, objectives, need_bar=False)]
    assert not failures, report(failures, f"objective row(s) disagreeing with okrs.json on {kind} pages")


# ------------------------------------------------------------------------------- layout, pictures

LAYOUT_KINDS = ["home", "objective", "kpi", "alignment"]

OVERFLOWING = r"""
(width) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 0.5)
  .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 0.5)
  .slice(0, 8)
  .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`)
"""


@pytest.mark.parametrize("kind", LAYOUT_KINDS)
def test_no_horizontal_overflow_at_360px(kind, site, open_page):
    file = representative(site, kind)
    page, _ = open_page(width=360, height=740)
    page.goto(site.base_url + file, wait_until="load")
    width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(OVERFLOWING, 360) if width > 360 else []
    assert width <= 360, f"{file} is {width} px wide at a 360 px viewport; outermost overflowing: {culprits}"


def _fits(page, base_url: str, files: list[str], width: int) -> None:
    for file in files:
        page.goto(base_url + file, wait_until="load")
        found = page.evaluate("document.documentElement.scrollWidth")
        culprits = page.evaluate(OVERFLOWING, width) if found > width else []
        assert found <= width, f"{file} is {found} px wide at a {width} px viewport; outermost overflowing: {culprits}"


def test_the_archive_and_every_review_fit_a_phone(site, open_page):
    """The archive's hidden "of 2026-Q4" (a link's name for screen readers) once sat outside its
    table's scroll box and made the page 662 px wide at 375."""
    page, _ = open_page(width=360, height=740)
    _fits(page, site.base_url, pages_or_skip(site, "archive") + pages_or_skip(site, "review"), 360)


@pytest.fixture(scope="module")
def site_before_q4(tmp_path_factory):
    """The example as of 2026-06-15: 2026-Q4 is upcoming, its guardrails "not checked until the period starts"."""
    yield from serving(out := tmp_path_factory.mktemp("before-q4") / "site", build_example(out, REPO, "--as-of", "2026-06-15"))


def test_the_review_of_an_upcoming_period_fits_a_phone(site_before_q4, open_page):
    page, _ = open_page(width=360, height=740)
    files = pages_or_skip(site_before_q4, "review")
    page.goto(site_before_q4.base_url + "periods/2026-q4/review/index.html", wait_until="load")
    assert page.get_by_text("not checked until the period starts").count(), "the example's 2026-Q4 has guardrails"
    _fits(page, site_before_q4.base_url, files, 360)


SHOTS = [(kind, width, "light") for kind in LAYOUT_KINDS for width in (1280, 390)]
SHOTS += [("home", width, "dark") for width in (1280, 390)]


@pytest.mark.parametrize("kind,width,scheme", SHOTS, ids=[f"{k}-{w}-{s}" for k, w, s in SHOTS])
def test_screenshot(kind, width, scheme, site, open_page):
    """Full-page screenshots in test-artifacts/screenshots/ (git-ignored): look at them."""
    file = representative(site, kind)
    page, _ = open_page(width=width, height=900)
    page.emulate_media(color_scheme=scheme)
    page.goto(site.base_url + file, wait_until="load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = f"{kind}-{width}" + ("-dark" if scheme == "dark" else "") + ".png"
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000, f"{path} looks empty"
