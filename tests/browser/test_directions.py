"""Text written right to left (Arabic, Hebrew) reads right to left: each element that holds a title, a
name or a body's paragraph takes the direction of its own first letter (dir="auto"), so a number and
punctuation stay where they were written; text written left to right stays left to right."""

from __future__ import annotations

import pytest

from .conftest import built_site

ARABIC = "زيادة المبيعات بنسبة 30%!"
ARABIC_KR = "إطلاق حملتين تسويقيتين جديدتين."
ARABIC_BODY = "هذا هدف مهم للنمو (الربع الرابع)."
HEBREW = "להגדיל את ההכנסות ב-20%!"

SITE = {
    "okrsite.toml": 'title = "Directions"\nas_of = 2026-11-23\n',
    "content/teams/company.md": "---\ntitle: Company\n---\n",
    "content/objectives/rtl.md": f"---\ntitle: {ARABIC}\nperiod: 2026-Q4\nowner: company\nparent: ltr\nkey_results:\n"
                                 f"  - title: {ARABIC_KR}\n    target: 2\n    current: 1\n---\n{ARABIC_BODY}\n\n- {ARABIC_KR}\n- one item\n\nAn English paragraph.\n",
    "content/objectives/hebrew.md": f"---\ntitle: {HEBREW}\nperiod: 2026-Q4\nowner: company\nparent: ltr\nkey_results:\n  - {{title: KR, target: 2}}\n---\n",
    "content/objectives/ltr.md": "---\ntitle: Grow revenue by 30%!\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
                                 "  - title: Launch two campaigns.\n    target: 2\n    current: 1\n---\nAn English body (the fourth quarter).\n",
}

DIRECTIONS = """
(selector) => [...document.querySelectorAll(selector)].map(e => [e.textContent.trim(), getComputedStyle(e).direction])
"""

# Where the "30" of the Arabic heading is drawn: in Arabic it belongs at the left end, after "بنسبة",
# next to its "%"; laid out left to right it was drawn first, at the very left, before the words.
NUMBER_AT = """
() => { const h = document.querySelector('h1'); const t = h.firstChild; const i = t.data.indexOf('30');
        const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 2);
        const word = document.createRange(); word.setStart(t, 0); word.setEnd(t, 5);
        return [r.getBoundingClientRect().left, word.getBoundingClientRect().left, h.getBoundingClientRect().right - word.getBoundingClientRect().right]; }
"""


@pytest.fixture(scope="module")
def directions_site(tmp_path_factory):
    return built_site(tmp_path_factory, "directions", SITE)


def _directions(chromium_browser, page_file, selector):
    context = chromium_browser.new_context(viewport={"width": 900, "height": 800})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        return dict(page.evaluate(DIRECTIONS, selector)), page.evaluate(NUMBER_AT) if selector == "h1" else None
    finally:
        context.close()


def test_an_arabic_title_reads_right_to_left_with_its_number_in_place(chromium_browser, directions_site):
    found, (number, first_word, gap) = _directions(chromium_browser, directions_site / "objectives/rtl/index.html", "h1")
    assert found == {ARABIC: "rtl"}
    assert number < first_word and gap < 2  # the first word at the right edge, the number after the words


@pytest.mark.parametrize("selector,expected", [
    ("main h3", {ARABIC_KR: "rtl"}),
    (".crumbs a", {"Dashboard": "ltr", "Grow revenue by 30%!": "ltr", ARABIC: "rtl"}),
    (".body p, .body li", {ARABIC_BODY: "rtl", ARABIC_KR: "rtl", "one item": "ltr", "An English paragraph.": "ltr"}),
])
def test_the_key_results_breadcrumb_and_body_of_an_arabic_objective_take_their_own_directions(chromium_browser, directions_site, selector, expected):
    found, _ = _directions(chromium_browser, directions_site / "objectives/rtl/index.html", selector)
    assert found == expected


def test_an_english_objective_stays_left_to_right(chromium_browser, directions_site):
    page = directions_site / "objectives/ltr/index.html"
    assert _directions(chromium_browser, page, "h1")[0] == {"Grow revenue by 30%!": "ltr"}
    assert _directions(chromium_browser, page, "main h3")[0] == {"Launch two campaigns.": "ltr"}
    assert _directions(chromium_browser, page, ".body p")[0] == {"An English body (the fourth quarter).": "ltr"}
    found, _ = _directions(chromium_browser, page, ".row-title")
    assert found == {ARABIC: "rtl", HEBREW: "rtl"}  # its aligned objectives, each in its own direction


@pytest.mark.parametrize("file", ["index.html", "alignment/index.html", "periods/2026-q4/review/index.html", "teams/company/index.html"])
def test_titles_in_lists_take_their_own_directions(chromium_browser, directions_site, file):
    found, _ = _directions(chromium_browser, directions_site / file, "main a, main .node-title")
    titles = {text: direction for text, direction in found.items() if text in (ARABIC, HEBREW, "Grow revenue by 30%!")}
    assert titles == {ARABIC: "rtl", HEBREW: "rtl", "Grow revenue by 30%!": "ltr"}


MAP_LABELS = """
() => [...document.querySelectorAll('svg.amap .amap-title')].map(t => {
  const box = t.closest('a').querySelector('.amap-box').getBoundingClientRect(), r = t.getBoundingClientRect();
  return [t.textContent, getComputedStyle(t).direction, Math.round(box.right - r.right), Math.round(r.left - box.left)]; })
"""


def test_a_title_on_the_alignment_map_reads_in_its_own_direction(chromium_browser, directions_site):
    """SVG text has no dir="auto": an Arabic or Hebrew title is drawn right to left from the box's right side."""
    context = chromium_browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        page = context.new_page()
        page.goto((directions_site / "alignment/index.html").as_uri())
        labels = {text: (direction, right_gap, left_gap) for text, direction, right_gap, left_gap in page.evaluate(MAP_LABELS)}
    finally:
        context.close()
    assert labels[ARABIC][0] == labels[HEBREW][0] == "rtl" and labels[ARABIC][1] <= 12 < labels[ARABIC][2]
    assert labels["Grow revenue by 30%!"][0] == "ltr" and labels["Grow revenue by 30%!"][2] <= 16
