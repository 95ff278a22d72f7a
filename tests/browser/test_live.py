"""`okrsite serve` in a real browser: saves show up without a manual reload; errors show an overlay."""

import json
import threading
import time

import pytest

from okrsite.preview.state import Project
from okrsite.preview.server import Preview, start_server, start_watching

from ..conftest import REPO, write_files
from ..preview.test_server import wait_for

OBJ = "content/objectives/2026-q4/"


@pytest.fixture
def live(example_copy, chromium_browser):
    root = example_copy
    preview = Preview(Project(root), log=lambda line: None)
    server = start_server(preview, "127.0.0.1", 0)
    preview.rebuild()
    stop = threading.Event()
    start_watching(preview, stop)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    time.sleep(0.3)
    context = chromium_browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: "Content Security Policy" in msg.text and errors.append(msg.text))  # live reload within the policy
    yield root, f"http://127.0.0.1:{server.server_address[1]}/", page, preview
    context.close()
    server.stopping = True
    stop.set()
    server.shutdown()
    server.server_close()
    assert errors == []


def progress_of(preview, objective: str) -> str:
    data = json.loads(preview.project.file("okrs.json"))
    return "%.3f" % next(o["progress"] for o in data["objectives"] if o["id"] == objective)


def test_changed_current_appears_without_reload(live):
    root, base, page, preview = live
    page.goto(base + "objectives/migrate-largest-tenants/")
    selector = '[data-objective="migrate-largest-tenants"]'
    before = page.get_attribute(selector, "data-progress")
    path = root / OBJ / "migrate-largest-tenants.md"
    path.write_text(path.read_text().replace("done: false", "done: true", 1))
    page.wait_for_function(f"() => (document.querySelector('{selector}') || {{dataset: {{}}}}).dataset.progress !== '{before}'", timeout=10_000)
    assert page.get_attribute(selector, "data-progress") == progress_of(preview, "migrate-largest-tenants")


def test_new_csv_row_appears_without_reload(live):
    root, base, page, _ = live
    page.goto(base + "kpis/mrr/")
    csv = root / "data" / "mrr.csv"
    csv.write_text(csv.read_text().rstrip("\n") + "\n2026-11-20,512345\n")
    page.wait_for_function("() => document.querySelector('.headline .big').textContent.includes('512,345')", timeout=10_000)


def test_template_change_appears_without_reload(live):
    root, base, page, _ = live
    page.goto(base + "archive/")
    write_files(root, {"theme/templates/archive.html": '{% extends "base.html" %}{% block main %}<h1 id="swapped">Our history</h1>{% endblock %}'})
    page.wait_for_selector("#swapped", timeout=10_000)


def test_broken_yaml_shows_the_overlay_until_fixed(live):
    root, base, page, _ = live
    page.goto(base + "objectives/ship-with-confidence/")
    path = root / OBJ / "ship-with-confidence.md"
    good = path.read_text()
    path.write_text(good.replace("title: ", "title: [unclosed ", 1))
    overlay = page.wait_for_selector("#okrsite-errors", timeout=10_000)
    assert "content/objectives/2026-q4/ship-with-confidence.md:2:" in overlay.inner_text()
    assert overlay.inner_text().startswith("okrsite: the last save has 1 error(s); showing the last good pages.")
    path.write_text(good.replace("title: ", "title: Fixed - ", 1))
    page.wait_for_selector("#okrsite-errors", state="detached", timeout=10_000)
    page.wait_for_function("() => document.querySelector('h1').textContent.startsWith('Fixed - ')", timeout=10_000)


def test_css_change_swaps_the_stylesheet_without_reload(live):
    root, base, page, _ = live
    page.goto(base)
    page.evaluate("window.__kept = 42")
    write_files(root, {"theme/static/style.css": (REPO / "theme/static/style.css").read_text() + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n"})
    # the save makes theme/, a folder the watchers take up first: on a loaded machine that took more than 10 s once
    page.wait_for_function("() => getComputedStyle(document.body).outlineWidth === '7px'", timeout=30_000)
    assert page.evaluate("window.__kept") == 42


@pytest.fixture
def own_theme(example_copy):
    """The site's own theme (asked for before `live`, which builds it): the default base.html, loading
    a style sheet of its own too."""
    base = (REPO / "theme/templates/base.html").read_text()
    link = '<link rel="stylesheet" href="{{ root }}style.css">'
    assert link in base
    write_files(example_copy, {"theme/templates/base.html": base.replace(link, link + '\n<link rel="stylesheet" href="{{ root }}brand.css">'),
                               "theme/static/brand.css": "h1 { outline: 2px solid rgb(1, 2, 3); }\n"})
    return example_copy / "theme/static/brand.css"


def test_the_first_css_change_swaps_in_place_on_a_site_with_its_own_templates(own_theme, live):
    """QA: with templates of the site's own, the first save of a style sheet after opening a page was
    lost (neither swapped in nor reloaded); the later ones were applied."""
    root, base, page, _ = live
    page.goto(base + "kpis/mrr/")
    page.evaluate("window.__kept = 42")
    for width in (30, 31):
        own_theme.write_text(own_theme.read_text() + f"h1 {{ outline-width: {width}px; }}\n")
        page.wait_for_function(f"() => getComputedStyle(document.querySelector('h1')).outlineWidth === '{width}px'", timeout=10_000)
    assert page.evaluate("window.__kept") == 42


def test_pages_appear_and_disappear(live):
    root, base, page, _ = live
    page.goto(base + "alignment/")
    new = root / OBJ / "brand-new.md"
    new.write_text("---\ntitle: Brand new goal\nperiod: 2026-Q4\nowner: platform\nparent: halve-dashboard-load-times\n"
                   "key_results:\n  - title: Something\n    target: 10\n---\n")
    page.wait_for_selector("[data-objective-node='brand-new']", timeout=10_000)  # its card (the map's box has it in an SVG <title> too)
    assert page.locator("svg.amap a[href$='objectives/brand-new/index.html']").count() == 1
    assert page.request.get(base + "objectives/brand-new/").status == 200
    new.unlink()
    page.wait_for_selector("text=Brand new goal", state="detached", timeout=10_000)
    assert page.request.get(base + "objectives/brand-new/").status == 404


def test_a_stale_kpi_is_shown_on_the_page_never_as_broken(live):
    """A notice (here a stale KPI) is printed in the terminal; the browser shows the KPI as stale, no overlay."""
    root, base, page, preview = live
    page.goto(base)
    write_files(root, {"content/kpis/old-survey.md": "---\ntitle: Old survey score\nowner: company\nsource: survey\nfrequency: weekly\nvalues:\n  - {date: 2026-10-01, value: 3}\n---\n"})
    page.wait_for_selector("text=Old survey score", timeout=10_000)
    assert [d.message for d in preview.project.report.notices] == ["stale KPI: the latest value is 53 days old (weekly data)"]
    assert json.loads(preview.message)["errors"] == []
    assert page.query_selector("#okrsite-errors") is None


SAME_PAGE = """() => ({
  main: document.querySelector('main').outerHTML,
  title: document.title,
  description: document.querySelector('meta[name="description"]').content,
  widths: Array.from(document.querySelectorAll('main [data-css]'), el => getComputedStyle(el).width),
})"""


def test_a_changed_page_is_put_in_place_as_freshly_loaded_and_keeps_its_scroll(live, chromium_browser):
    """The save changes a key result's value and so the widths of the page's bars, which the policy
    allows by their hash only: the page updated in place shows what a fresh load of it shows."""
    root, base, page, _ = live
    url = base + "objectives/migrate-largest-tenants/"
    page.set_viewport_size({"width": 900, "height": 300})
    page.goto(url)
    page.evaluate("window.__kept = 42; window.scrollTo(0, 200)")
    before = page.evaluate(SAME_PAGE)
    path = root / OBJ / "migrate-largest-tenants.md"
    path.write_text(path.read_text().replace("title: Move the largest tenants", "title: Move the biggest tenants", 1)
                    .replace("value: 26, note", "value: 34, note", 1))
    page.wait_for_function("() => document.title.startsWith('Move the biggest tenants')", timeout=10_000)
    assert page.evaluate("window.__kept") == 42, "the page was reloaded, not updated in place"
    assert page.evaluate("window.scrollY") == 200
    now = page.evaluate(SAME_PAGE)
    assert now["widths"] != before["widths"] and now["description"] != before["description"]
    fresh = chromium_browser.new_page()
    try:
        fresh.set_viewport_size({"width": 900, "height": 300})
        fresh.goto(url)
        assert fresh.evaluate(SAME_PAGE) == now
    finally:
        fresh.close()


def test_an_update_in_place_keeps_what_was_typed_into_the_update_forms_and_the_focus(live):
    """QA: a value and a note typed into a key result's update form were wiped by any save reaching the
    page (the in-place update put the new <main> in with empty forms), and the focus went to the body.
    Each form of the new content gets what was typed into the form for the same key result, and the
    field that had the focus has it again, its caret where it was."""
    root, base, page, preview = live
    objective = preview.project.site.objectives["grow-recurring-revenue"]
    kr, other = objective.key_results[2], objective.key_results[0]
    page.goto(base + objective.url)
    page.evaluate("window.__kept = 42")
    form = page.locator(f'li[id="{kr.id}"] form.okrsite-checkin')
    form.locator('input[name="value"]').fill("12")
    note = form.locator('input[name="note"]')
    note.fill("two logos signed")
    note.evaluate("field => { field.focus(); field.setSelectionRange(4, 9); }")
    path = root / objective.doc.path
    path.write_text(path.read_text() + "\nA line appended while a check-in was typed.\n")
    page.wait_for_function("() => document.querySelector('main').textContent.includes('A line appended while a check-in was typed.')", timeout=10_000)
    assert page.evaluate("window.__kept") == 42, "the page was reloaded, not updated in place"
    form = page.locator(f'li[id="{kr.id}"] form.okrsite-checkin')
    assert (form.locator('input[name="value"]').input_value(), form.locator('input[name="note"]').input_value()) == ("12", "two logos signed")
    assert page.locator(f'li[id="{other.id}"] form.okrsite-checkin input[name="value"]').input_value() == ""
    assert page.evaluate("""() => { const field = document.activeElement;
        return [field.name, field.closest('li.kr').id, field.selectionStart, field.selectionEnd]; }""") == ["note", kr.id, 4, 9]
    page.locator(f'li[id="{other.id}"] form.okrsite-checkin input[name="value"]').fill("7")
    note.fill("")  # outside git a note is refused
    form.locator('button[type="submit"]').click()  # the answer is the page: the form sent is empty again, the other keeps its value
    page.wait_for_function(f"() => document.getElementById('{kr.id}').textContent.includes('now 12 customers')", timeout=10_000)
    assert page.locator(f'li[id="{kr.id}"] form.okrsite-checkin input[name="value"]').input_value() == ""
    assert page.locator(f'li[id="{other.id}"] form.okrsite-checkin input[name="value"]').input_value() == "7"


HIDE = ("() => { Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
        " document.dispatchEvent(new Event('visibilitychange')); }")
SHOW = ("() => { Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});"
        " document.dispatchEvent(new Event('visibilitychange')); }")


def test_the_tabs_share_one_connection_so_eight_tabs_load_and_follow_a_save(live):
    """QA AT and AU: each tab held a live-reload connection, and a browser opens at most 6 to one host:
    with 6 tabs of the preview no tab took a save, and a 7th never loaded. The tabs of a browser share
    one connection now (a shared worker's), which asks for the pages of the tabs in sight."""
    root, base, page, preview = live
    url = base + "objectives/migrate-largest-tenants/"
    tabs = [page] + [page.context.new_page() for _ in range(6)]
    for tab in tabs:
        tab.goto(url, timeout=10_000)
    eighth = page.context.new_page()
    eighth.goto(base + "kpis/mrr/", timeout=10_000)
    assert wait_for(lambda: dict(preview.open_pages) == {"objectives/migrate-largest-tenants/index.html": 1, "kpis/mrr/index.html": 1})
    path = root / OBJ / "migrate-largest-tenants.md"
    path.write_text(path.read_text().replace("title: Move the largest tenants", "title: Move the biggest tenants", 1))
    for tab in tabs:
        tab.wait_for_function("() => document.title.startsWith('Move the biggest tenants')", timeout=10_000)
    assert eighth.evaluate("document.querySelector('main') !== null")


def test_a_tab_out_of_sight_takes_up_what_it_missed_when_it_comes_into_sight(live):
    """A tab out of sight takes no message, and its page is no longer asked for while no tab in sight
    shows it; shown again, it catches up at once."""
    root, base, page, preview = live
    url = base + "objectives/migrate-largest-tenants/"
    page.goto(base + "kpis/mrr/")
    other = page.context.new_page()
    other.goto(url)
    assert wait_for(lambda: "objectives/migrate-largest-tenants/index.html" in preview.open_pages)
    other.evaluate(HIDE)
    assert wait_for(lambda: dict(preview.open_pages) == {"kpis/mrr/index.html": 1})
    path = root / OBJ / "migrate-largest-tenants.md"
    path.write_text(path.read_text().replace("title: Move the largest tenants", "title: Move the biggest tenants", 1))
    assert wait_for(lambda: preview.project.file("objectives/migrate-largest-tenants/index.html") is not None
                    and b"Move the biggest tenants" in preview.project.file("objectives/migrate-largest-tenants/index.html"))
    time.sleep(0.5)
    assert other.title().startswith("Move the largest tenants"), "out of sight: not updated meanwhile"
    other.evaluate(SHOW)
    other.wait_for_function("() => document.title.startsWith('Move the biggest tenants')", timeout=10_000)


def test_without_shared_workers_each_tab_in_sight_holds_its_own_connection(live):
    """A browser without shared workers: each tab in sight connects by itself, and lets its connection
    go out of sight, so a seventh tab still loads."""
    root, base, page, preview = live
    page.context.add_init_script("delete window.SharedWorker")
    url = base + "objectives/migrate-largest-tenants/"
    tabs = [page.context.new_page() for _ in range(6)]  # (the fixture's own page is blank: it was made before the script)
    for tab in tabs:
        tab.goto(url)
        assert tab.evaluate("typeof SharedWorker") == "undefined"
    page = tabs[0]
    assert wait_for(lambda: sum(preview.open_pages.values()) == 6)
    for tab in tabs[1:]:
        tab.evaluate(HIDE)
    assert wait_for(lambda: sum(preview.open_pages.values()) == 1)
    seventh = page.context.new_page()
    seventh.goto(base + "kpis/mrr/", timeout=10_000)
    seventh.evaluate(HIDE)
    path = root / OBJ / "migrate-largest-tenants.md"
    path.write_text(path.read_text().replace("title: Move the largest tenants", "title: Move the biggest tenants", 1))
    page.wait_for_function("() => document.title.startsWith('Move the biggest tenants')", timeout=10_000)
    assert tabs[1].title().startswith("Move the largest tenants"), "out of sight: not updated meanwhile"
    tabs[1].evaluate(SHOW)
    tabs[1].wait_for_function("() => document.title.startsWith('Move the biggest tenants')", timeout=10_000)


def test_a_page_whose_frame_changed_reloads(live):
    """A new page in the top menu changes every page outside <main>: the page reloads."""
    root, base, page, _ = live
    page.goto(base + "objectives/migrate-largest-tenants/")
    page.evaluate("window.__kept = 42")
    write_files(root, {"content/colophon.md": "---\ntitle: Colophon\n---\nHow this site is made.\n"})
    page.wait_for_selector("header nav >> text=Colophon", timeout=10_000)
    assert page.evaluate("window.__kept") is None


def test_a_page_that_goes_away_and_comes_back(live, chromium_browser):
    """Deleted: the page reloads into "not found"; restored: it shows the objective again, as a fresh load."""
    root, base, page, _ = live
    url = base + "objectives/migrate-largest-tenants/"
    page.goto(url)
    path = root / OBJ / "migrate-largest-tenants.md"
    text = path.read_text()
    path.unlink()
    page.wait_for_function("() => !document.title.startsWith('Move the largest tenants')", timeout=10_000)
    assert page.request.get(url).status == 404
    path.write_text(text)
    page.wait_for_function("() => document.title.startsWith('Move the largest tenants')", timeout=10_000)
    fresh = chromium_browser.new_page()
    try:
        fresh.goto(url)
        assert fresh.evaluate(SAME_PAGE) == page.evaluate(SAME_PAGE)
    finally:
        fresh.close()


def test_no_site_yet_lists_the_errors_without_javascript_and_the_overlay_follows_with_it(example_copy, chromium_browser):
    """QA: the live box of a preview whose first build failed said it showed "the last good pages":
    there are none, and it says so."""
    path = example_copy / OBJ / "ship-with-confidence.md"
    good = path.read_text()
    path.write_text(good.replace("title: ", "title: [unclosed ", 1))
    preview = Preview(Project(example_copy), log=lambda line: None)
    server = start_server(preview, "127.0.0.1", 0)
    assert not preview.rebuild().ok
    stop = threading.Event()
    start_watching(preview, stop)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    time.sleep(0.3)
    url = f"http://127.0.0.1:{server.server_address[1]}/objectives/ship-with-confidence/"
    where = "content/objectives/2026-q4/ship-with-confidence.md:2"
    try:
        plain = chromium_browser.new_context(java_script_enabled=False)
        page = plain.new_page()
        page.goto(url)
        assert page.inner_text("h1") == "No site yet" and where in page.inner_text("#okrsite-listed")
        plain.close()
        scripted = chromium_browser.new_context()
        page = scripted.new_page()
        page.goto(url)
        box = page.wait_for_selector("#okrsite-errors", timeout=10_000).inner_text()
        assert where in box and page.query_selector("#okrsite-listed") is None, "the live box replaces the page's own list"
        assert box.startswith("okrsite: the goals repository has 1 error(s); there is no site to show until they are fixed."), box
        path.write_text(good.replace("title: ", "title: Fixed - ", 1))
        page.wait_for_function("() => document.querySelector('h1').textContent.startsWith('Fixed - ')", timeout=10_000)
        scripted.close()
    finally:
        server.stopping = True
        stop.set()
        server.shutdown()
        server.server_close()


def test_a_pagefind_site_s_preview_says_full_text_search_is_for_the_built_site(example_copy, chromium_browser):
    """The preview has no Pagefind index: its search page says so plainly and asks for no pagefind.js."""
    settings = example_copy / "okrsite.toml"
    settings.write_text(settings.read_text() + '\nsearch = "pagefind"\n')
    preview = Preview(Project(example_copy), log=lambda line: None)
    server = start_server(preview, "127.0.0.1", 0)
    assert preview.rebuild().ok
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        failed = []
        page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
        page.on("console", lambda msg: msg.type == "error" and failed.append(msg.text))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/index.html?q=normalised")
        page.wait_for_function("() => document.getElementById('full-text-count').textContent !== ''")
        note = page.inner_text("#full-text-count")
        assert "not available in the preview" in note and "built site" in note and "could not be loaded" not in note
        assert failed == []
    finally:
        context.close()
        server.stopping = True
        server.shutdown()
        server.server_close()



def test_another_site_can_link_to_the_preview_but_not_read_or_frame_it(live, tmp_path, chromium_browser):
    """QA V #5 and #6 in Chromium: a page of another site that includes the preview's search index as a
    script (JSONP) read every title, private objectives included; it could also frame the preview."""
    from .conftest import serve

    root, base, page, preview = live
    (tmp_path / "evil.html").write_text(
        "<!doctype html><title>evil</title><script>window.leaked = 0; window.okrsiteIndex = function (d) { window.leaked = JSON.stringify(d).length; };</script>"
        f'<script src="{base}search/index.js"></script><iframe id="framed" src="{base}objectives/grow-recurring-revenue/"></iframe>'
        f'<a id="link" href="{base}objectives/grow-recurring-revenue/">the goals</a>')
    server, other = serve(tmp_path)
    context = chromium_browser.new_context()  # its console has the refused frame's message: not the live page's
    evil = context.new_page()
    try:
        for address in (other.replace("127.0.0.1", "localhost"), other):  # another site, and another port of this one
            evil.goto(address + "evil.html", wait_until="load")
            assert evil.evaluate("window.leaked") == 0
            assert [frame.url for frame in evil.frames if frame.url.startswith(base)] == []
            evil.click("#link")
            evil.wait_for_url(base + "objectives/grow-recurring-revenue/")
            assert evil.locator("h1").inner_text() == preview.project.site.objectives["grow-recurring-revenue"].title
        page.goto(base + "search/?q=revenue")  # the preview's own pages still read the index
        page.wait_for_selector("#search-results li")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
