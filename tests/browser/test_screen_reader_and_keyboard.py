"""A reader with a keyboard and a screen reader (QA CY, docs/site.md "Accessibility"): a deep alignment
list reflows at 320 px, a chart's numbers are read once and its dots' values are text, a wide map's
frame is a named Tab stop whose tabs say their visible words, and the review page shows where its
arrow keys put the focus. One small site serves them all."""

from __future__ import annotations

import pytest

from .conftest import serving

OBJECTIVE = "---\ntitle: {title}\nperiod: {period}\nowner: company\n{parent}key_results:\n  - {{title: Thing {n}, start: 0, target: 10, current: 5}}\n---\n"
GROW = """---
title: Grow revenue
period: 2026-Q4
owner: company
key_results:
  - title: Sign 10 customers
    start: 0
    target: 10
    history:
      - {date: 2026-10-09, value: 1}
      - {date: 2026-10-30, value: 3}
      - {date: 2026-11-13, value: 6}
  - title: Hire two engineers
    start: 0
    target: 2
    history:
      - {date: 2026-10-20, value: 1}
---
"""
CHAIN = ["top", *(f"d{n}" for n in range(1, 9))]  # nine levels


def objective(name: str, title: str, parent: str = "", period: str = "2026-Q4") -> tuple[str, str]:
    return f"content/objectives/{name}.md", OBJECTIVE.format(title=title, period=period, n=name, parent=f"parent: {parent}\n" if parent else "")


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory):
    """A chain of nine levels with eight siblings under its top (a map wider than a 720 px screen),
    an objective with check-ins, and three of an ended quarter (a review)."""
    from okrsite.build import build

    from ..conftest import write_files

    files = dict([objective(name, f"Level {n + 1} objective", CHAIN[n - 1] if n else "") for n, name in enumerate(CHAIN)]
                 + [objective(f"s{n}", f"Sibling {n} objective", "top") for n in range(1, 9)]
                 + [objective(f"q{n}", f"Objective {n}", period="2026-Q3") for n in range(1, 4)])
    files.update({"okrsite.toml": 'title = "Reader"\nas_of = 2026-11-23\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
                  "content/objectives/grow.md": GROW})
    root = tmp_path_factory.mktemp("reader")
    assert build(write_files(root / "site", files), root / "out", cache=False).ok
    yield from serving(root / "out")


@pytest.fixture
def tab(reader_site, chromium_browser):
    """tab(file, width) -> a page of the site opened in a fresh context of that width."""
    contexts = []

    def _open(file: str, width: int = 1280):
        context = chromium_browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.goto(reader_site.base_url + file, wait_until="load")
        return page

    yield _open
    for context in contexts:
        context.close()


def accessible(page, role: str) -> list[tuple[str, str]]:
    """(name, description) of every node of a role in Chromium's accessibility tree."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    return [(n.get("name", {}).get("value", ""), n.get("description", {}).get("value", "")) for n in nodes
            if n.get("role", {}).get("value") == role]


@pytest.mark.parametrize("file", ["alignment/index.html", "alignment/d5/index.html", "objectives/grow/index.html",
                                  "periods/2026-q3/review/index.html", "index.html"])
def test_at_320_px_no_page_scrolls_sideways_and_a_deep_card_keeps_its_width(tab, file):
    """WCAG 1.4.10: the alignment list indented every level by 34 px, a ninth-level card 31 px wide."""
    page = tab(file, 320)
    widths = page.evaluate("[...document.querySelectorAll('ul.map a.node')].map(a => a.getBoundingClientRect().width)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert min(widths, default=320) >= 200, widths
    if file == "alignment/index.html":
        assert page.locator("ul.map a.node", has_text="Level 9 objective").inner_text().endswith("level 9")


def test_the_progress_chart_is_read_once_and_its_values_open_as_text_by_keyboard(tab):
    page = tab("objectives/grow/index.html")
    (chart,) = [n for n in accessible(page, "image") if n[0] == "Progress of Grow revenue"]
    assert chart[1].startswith("Progress 55 % on 2026-11-23") and chart[1].endswith("its progress by date is listed under the chart")
    summary = page.locator("summary", has_text="Progress by date")
    summary.focus()
    page.keyboard.press("Enter")
    text = page.locator("table.progress-values").inner_text()
    assert all(f"{day}\t{value}" in text for day, value in
               [("2026-10-01", "0 %"), ("2026-10-09", "5 %"), ("2026-10-20", "30 %"), ("2026-10-30", "40 %"), ("2026-11-13", "55 %")])


def test_a_wide_map_s_frame_is_a_named_tab_stop_and_its_tabs_say_their_words(tab):
    page = tab("alignment/index.html", 720)
    frame = page.locator(".amap-scroll").first
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth"), "the map is wider than the screen"
    frame.focus()
    assert page.evaluate("document.activeElement.classList.contains('amap-scroll')")
    page.keyboard.press("ArrowRight")
    for _ in range(30):  # a smooth scroll: polled from here, as the pages' Content-Security-Policy forbids wait_for_function's eval
        if frame.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert frame.evaluate("e => e.scrollLeft") > 0, "the arrow keys scroll the focused frame"
    assert ("Alignment map of 2026-Q4", "") in accessible(page, "region")
    more = [name for name, _ in accessible(page, "link") if "below" in name and "—" not in name]
    assert more == ["+3 below Level 6 objective: open its map"]


def test_the_review_s_arrow_keys_show_where_they_put_the_focus(tab):
    page = tab("periods/2026-q3/review/index.html")
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return [e.tagName, e.id, s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert focused[:2] == ["ARTICLE", "objective-q1"] and focused[2] != "none" and focused[3] >= 2, focused


SCROLL_BOXES = "() => [...document.querySelectorAll('.table-wrap, .amap-scroll')].map(b => [b.scrollWidth > b.clientWidth, b.tabIndex])"


def test_a_scroll_box_is_a_tab_stop_only_while_it_scrolls(tab):
    """Every table box and map frame was a Tab stop, also where it fits and there is nothing to scroll
    (an empty stop on the way, WCAG 2.4.3): it is one while it scrolls, a narrower window making it one."""
    page = tab("teams/index.html")
    assert scroll_boxes_settle(page, [[False, -1], [False, -1]]) == [[False, -1], [False, -1]]
    page.set_viewport_size({"width": 320, "height": 800})
    assert scroll_boxes_settle(page, [[True, 0], [True, 0]]) == [[True, 0], [True, 0]]


def scroll_boxes_settle(page, expected):
    """The boxes' stops as the page's ResizeObserver leaves them: it reports after a layout, which on a
    busy machine comes after the page's load event. Polled from here, as the pages'
    Content-Security-Policy forbids wait_for_function's eval."""
    for _ in range(50):
        boxes = page.evaluate(SCROLL_BOXES)
        if boxes == expected:
            break
        page.wait_for_timeout(100)
    return boxes


RING = "e => { if (document.activeElement !== e) e.focus(); const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"


@pytest.mark.parametrize("file, width, selector", [("alignment/index.html", 320, ".amap-scroll"), ("search/index.html", 1280, "select"),
                                                   ("search/index.html", 1280, "button")])
def test_every_focusable_thing_has_the_same_thick_focus_ring(tab, file, width, selector):
    """Only links, summaries, inputs and table boxes had the 3 px ring; a map's frame, a select and a
    button (the update form's, in `okrsite serve`) had the browser's thin one (WCAG 2.4.7)."""
    page = tab(file, width)
    page.evaluate("document.body.prepend(document.createElement('button'))")
    page.keyboard.press("Tab")  # a keyboard in use, the focus is shown: on the button first, which a script's focus would not show
    assert page.locator(selector).first.evaluate(RING) == ["solid", "3px"]
