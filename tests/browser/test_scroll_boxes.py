"""Wide content on a phone and on paper (docs/site.md, "On a phone", "Printing", "Accessibility"):
a table or code block wider than a 360 px screen scrolls sideways inside its own box, never the
page, and that box takes the keyboard's focus; printed on A4, a table wraps instead of being cut
off at the sheet's edge, and a number is never broken in two.
"""

from __future__ import annotations

import pytest

from .conftest import serving
from .test_accessibility import RUN_AXE, describe

PHONE = {"width": 360, "height": 800}
A4_CONTENT = 680  # 210 mm less the 15 mm margins, in CSS pixels

WIDE_TABLE = """\
| Region | January | February | March | April | May | June | July | August | September |
|---|---|---|---|---|---|---|---|---|---|
| Europe North | 1,200,000 | 1,250,000 | 1,300,000 | 1,350,000 | 1,400,000 | 1,450,000 | 1,500,000 | 1,550,000 | 1,600,000 |
"""

CODE = """\
```
okrsite check --strict
okrsite build          # then open site/index.html
```
"""

SITE = {
    "content/teams/company.md": "---\ntitle: Tidewater Analytics\n---\n",
    "content/how-we-do-okrs.md": f"---\ntitle: How we do OKRs\n---\nRun this before you push:\n\n{CODE}\n{WIDE_TABLE}",
    "content/objectives/grow.md": (
        "---\ntitle: Grow recurring revenue\nperiod: 2026-Q4\nowner: Elena Petrova\nkey_results:\n"
        "  - title: Sign 12 new enterprise customers\n    target: 12\n    unit: customers\n    history:\n"
        '      - {date: 2026-10-16, value: 3, note: "Harbor Foods, Copperline, Nordvik"}\n'
        '      - {date: 2026-11-20, value: 7, note: "two more signed after the retail summit"}\n'
        f"---\n{WIDE_TABLE}"),
    "content/objectives/h.md": ("---\ntitle: Set by hand\nperiod: 2026-Q3\nowner: company\nstatus: at-risk\n"
                                "key_results:\n  - {title: k, target: 10, current: 6}\n---\n"),
    **{f"content/objectives/c{i}.md": (f"---\ntitle: Committed objective {i}\nperiod: 2026-Q3\nowner: company\n"
                                       f"key_results:\n  - {{title: k, target: 10, current: {i + 2}}}\n---\n") for i in (1, 2, 3)},
    "content/kpis/mrr.md": ("---\ntitle: Monthly recurring revenue\nowner: company\nunit: USD\ntarget: 600000\nsource: Billing\nvalues:\n"
                            "  - {date: 2026-10-31, value: 501200}\n"
                            "  - {date: 2026-11-30, value: 512400, note: \"two renewals moved from December into November\"}\n---\n"),
    "content/objectives/leads.md": ("---\ntitle: More leads\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Qualified leads\n"
                                    "    target: 5000000\n    unit: qualified enterprise leads per month\n    history:\n"
                                    '      - {date: 2026-10-16, value: 1234567.5, note: "a long unit: the note stays on the screen all the same"}\n---\n'),
    "content/objectives/a1.md": ("---\ntitle: Aspirational objective\nperiod: 2026-Q3\nowner: company\nkind: aspirational\n"
                                 "key_results:\n  - {title: k, target: 10, current: 3}\n---\n"),
}
PAGES = ["objectives/grow/index.html", "how-we-do-okrs/index.html", "teams/index.html", "archive/index.html"]


@pytest.fixture(scope="module", params=["false", '"safe"'])
def wide_site(request, tmp_path_factory):
    """SITE built as of 2026-12-03 (2026-Q3 graded), with raw HTML escaped or allow_html = "safe"."""
    from okrsite.build import build

    from ..conftest import write_files

    if request.param != "false":
        pytest.importorskip("nh3")
    root = tmp_path_factory.mktemp("wide")
    files = {**SITE, "okrsite.toml": f'title = "Wide"\nas_of = 2026-12-03\nallow_html = {request.param}\n'}
    assert build(write_files(root / "site", files), root / "out", cache=False).ok
    yield from serving(root / "out")


def open_all_details(page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


SCROLLERS = """
() => [...document.querySelectorAll('main *')].filter(el => {
    const s = getComputedStyle(el);
    return ['auto', 'scroll'].includes(s.overflowX) && el.scrollWidth > el.clientWidth;
  }).map(el => ({html: el.outerHTML.slice(0, 80), tabindex: el.tabIndex, name: el.getAttribute('aria-label') || '',
                 role: el.getAttribute('role') || '', tag: el.tagName}))
"""


def test_an_opened_check_in_list_scrolls_inside_its_box_on_a_phone(wide_site, chromium_browser):
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(wide_site.base_url + "objectives/grow/index.html", wait_until="load")
    page.click("details summary")
    facts = page.evaluate("""() => ({page: document.documentElement.scrollWidth,
        boxed: !!document.querySelector('details table').closest('.table-wrap')})""")
    context.close()
    assert facts == {"page": PHONE["width"], "boxed": True}


NOTES = """
() => [...document.querySelectorAll('table.check-ins tbody tr, table.kpi-values tbody tr')].filter(row => row.lastElementChild.textContent.trim())
  .map(row => {
    const date = row.firstElementChild.getBoundingClientRect(), note = row.lastElementChild.getBoundingClientRect();
    return {left: Math.round(note.left), right: Math.round(note.right), width: Math.round(note.width),
            below: note.top >= date.bottom - 1, table: row.closest('table').className};
  })
"""


@pytest.mark.parametrize("file", ["objectives/grow/index.html", "objectives/leads/index.html", "kpis/mrr/index.html"])
def test_a_check_in_s_note_is_a_line_of_its_own_on_a_phone_and_a_column_on_a_wide_screen(wide_site, chromium_browser, file):
    """docs/site.md, "On a phone": a note was a column a word wide at the screen's right edge (QA BR);
    on a phone it is a line under its row's date and value, as wide as the screen; on a wide screen it
    stays the table's last column, beside the date."""
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(wide_site.base_url + file, wait_until="load")
    open_all_details(page)
    phone = page.evaluate(NOTES)
    page.set_viewport_size({"width": 1200, "height": 800})
    wide = page.evaluate(NOTES)
    context.close()
    assert phone and all(note["below"] and note["left"] >= 0 and note["right"] <= PHONE["width"] and note["width"] >= PHONE["width"] * 0.6
                         for note in phone), phone
    assert wide and not any(note["below"] for note in wide), wide


def test_every_box_that_scrolls_sideways_on_a_phone_takes_the_keyboard_focus(wide_site, chromium_browser, axe_js):
    context = chromium_browser.new_context(viewport=PHONE, bypass_csp=True)  # axe-core is an injected inline script
    page = context.new_page()
    found, lines, seen = [], [], set()
    for file in PAGES:
        page.goto(wide_site.base_url + file, wait_until="load")
        open_all_details(page)
        assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"], file
        for box in page.evaluate(SCROLLERS):
            seen.add(box["tag"])
            if box["tabindex"] != 0 or (box["tag"] != "PRE" and not (box["name"] and box["role"] in ("region", "group"))):
                found.append(f"{file}: {box}")
        page.add_script_tag(path=str(axe_js))
        lines += describe(file, "light", page.evaluate(RUN_AXE))
    context.close()
    assert seen >= {"PRE", "DIV"}, f"the pages no longer scroll anything at 360 px: {seen}"
    assert not found, "scroll boxes a keyboard cannot reach or that have no name:\n" + "\n".join(found)
    assert not lines, "\n".join(lines)


def test_the_site_s_own_table_boxes_take_the_keyboard_focus_wherever_they_are(wide_site):
    """Not only those that scroll at 360 px: a wider table scrolls on a wider screen too."""
    import re

    for file in ("objectives/grow/index.html", "teams/index.html", "archive/index.html"):
        html = (wide_site.out_dir / file).read_text(encoding="utf-8")
        boxes = re.findall(r'<div class="table-wrap"[^>]*>', html)
        assert boxes, file
        for box in boxes:
            assert 'tabindex="0"' in box and re.search(r'role="(region|group)"', box) and re.search(r'aria-label="[^"]+"', box), (file, box)


PRINTED_CELLS = """
sel => [...document.querySelectorAll(sel)].map(cell => {
    const words = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        words.push({word: m[0], lines: new Set([...r.getClientRects()].map(x => Math.round(x.top))).size});
      }
    }
    return {text: cell.textContent.trim(), right: cell.getBoundingClientRect().right, words};
  })
"""

GRADES_ON_ONE_LINE = """
() => [...document.querySelectorAll('.teams-table td:last-child > span')].map(span => {
    const r = document.createRange(); r.selectNodeContents(span);
    return {text: span.textContent.trim(), lines: new Set([...r.getClientRects()].map(x => Math.round(x.top))).size};
  })
"""


def printed(chromium_browser, url: str):
    context = chromium_browser.new_context(viewport={"width": A4_CONTENT, "height": 900})
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(url, wait_until="load")
    return context, page


def test_the_teams_overview_prints_every_average_grade_on_a4(wide_site, chromium_browser):
    context, page = printed(chromium_browser, wide_site.base_url + "teams/index.html")
    cells = page.evaluate(PRINTED_CELLS, ".teams-table td, .teams-table th")
    grades = page.evaluate(GRADES_ON_ONE_LINE)
    clipping = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')].map(el => getComputedStyle(el).overflowX)""")
    context.close()
    assert any("aspirational" in c["text"] for c in cells)
    assert [c for c in cells if c["right"] > A4_CONTENT] == [], "cut off at the edge of the sheet"
    assert set(clipping) == {"visible"}
    assert grades and all(g["lines"] == 1 for g in grades), grades


def test_a_wide_table_in_a_body_prints_its_numbers_whole_on_a4(wide_site, chromium_browser):
    context, page = printed(chromium_browser, wide_site.base_url + "objectives/grow/index.html")
    cells = page.evaluate(PRINTED_CELLS, ".body td, .body th")
    context.close()
    broken = [w["word"] for c in cells for w in c["words"] if w["lines"] > 1]
    assert len(cells) == 20 and broken == [], f"broken over lines: {broken}"
    assert max(c["right"] for c in cells) <= A4_CONTENT, "the table runs off the sheet"


BROKEN_FIGURES = r"""
() => {
  const broken = [], loose = [], walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const figure = /\d{4}-\d{2}-\d{2}|\d{4}-[QH]\d|\d+(?:\.\d+)?–\d+(?:\.\d+)?|\d[\d,.]* (?:%|customers|USD)/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('table') || !node.parentElement.getClientRects().length) continue;
    for (const m of node.data.matchAll(figure)) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
      if (getComputedStyle(node.parentElement).whiteSpace !== 'nowrap') loose.push(m[0]);  // on a narrower screen it could break
    }
  }
  const caption = document.querySelector('main .table-wrap caption:not(.visually-hidden)');
  return {broken, loose, captionRight: caption ? Math.round(caption.getBoundingClientRect().right) : null};
}
"""


@pytest.mark.parametrize("file", ["archive/index.html", "objectives/grow/index.html", "kpis/mrr/index.html"])
def test_a_date_a_period_or_a_figure_in_a_table_is_never_broken_over_lines_on_a_phone(wide_site, chromium_browser, file):
    """docs/site.md, "On a phone": the archive broke "2026-10-01" as "2026-/10-01", "2026-Q3" and
    "0.7–1.0" over lines, an opened check-in list "7 customers"; a caption wider than the screen was cut
    off at its edge instead of wrapping in sight."""
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(wide_site.base_url + file, wait_until="load")
    open_all_details(page)
    found = page.evaluate(BROKEN_FIGURES)
    context.close()
    assert found["broken"] == [] and found["loose"] == []
    assert found["captionRight"] is None or found["captionRight"] <= PHONE["width"]


SHADED = """
async ({png, bg}) => {
  const img = new Image(); img.src = 'data:image/png;base64,' + png; await img.decode();
  const canvas = document.createElement('canvas'); canvas.width = img.width; canvas.height = img.height;
  const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
  const px = g.getImageData(0, 0, img.width, img.height).data;
  let off = 0;
  for (let i = 0; i < px.length; i += 4) off += Math.abs(px[i] - bg[0]) + Math.abs(px[i + 1] - bg[1]) + Math.abs(px[i + 2] - bg[2]) > 24;
  return off / (px.length / 4);
}
"""


def shaded_edges(page, box, reader) -> dict[str, float]:
    """Of each inner edge of the scroll box ``box`` (a strip 4 px wide over the middle half of its height,
    where a shadow is darkest), the share of its pixels not of the page's background colour: decoded
    in ``reader``, a blank page (a page's own policy refuses data: images)."""
    import base64

    bg = [int(n) for n in page.evaluate("getComputedStyle(document.body).backgroundColor").strip("rgba()").split(",")[:3]]
    r = box.bounding_box()
    strips = {"left": r["x"] + 2, "right": r["x"] + r["width"] - 6}
    return {side: reader.evaluate(SHADED, {"png": base64.b64encode(page.screenshot(clip={"x": x, "y": r["y"] + r["height"] / 4, "width": 4,
                                                                                          "height": r["height"] / 2})).decode(), "bg": bg})
            for side, x in strips.items()}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("file, selector", [("archive/index.html", ".table-wrap"), ("periods/2026-q3/review/index.html", ".table-wrap:has(.review-kpis)"),
                                            ("alignment/index.html", ".amap-scroll")])
def test_a_box_that_scrolls_sideways_shows_a_shadow_where_more_lies_beyond_its_edge(site, open_page, file, selector, scheme):
    """QA (docs/site.md, "On a phone"): on a 390 px phone the archive showed Period, Dates and Objectives,
    its other columns starting exactly at the box's right edge, with nothing to tell that it scrolled.
    A shadow lies along each edge the content goes on past: the right one first, the left one once
    scrolled to the end."""
    page, _ = open_page(width=390, color_scheme=scheme)
    reader = page.context.new_page()
    page.goto(site.base_url + file, wait_until="load")
    box = page.locator(selector).first
    box.scroll_into_view_if_needed()
    assert box.evaluate("el => el.scrollWidth > el.clientWidth + 40"), "the box no longer scrolls at 390 px"
    at_start = shaded_edges(page, box, reader)
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    at_end = shaded_edges(page, box, reader)
    assert at_start["right"] > 0.6 and at_start["left"] < 0.3, at_start
    assert at_end["left"] > 0.6 and at_end["right"] < 0.3, at_end


def test_a_printed_box_has_no_scroll_shadow(site, open_page):
    page, _ = open_page(width=390)
    page.emulate_media(media="print")
    page.goto(site.base_url + "archive/index.html", wait_until="load")
    assert page.evaluate("getComputedStyle(document.querySelector('.table-wrap')).backgroundImage") == "none"
