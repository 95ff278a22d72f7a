"""The review page printed by Chromium (SPEC §13): A4 and Letter, as many pages as the content needs,
and no objective cut in two.

Chromium's PDF keeps link annotations uncompressed: each objective's title link gives the page it
starts on and where (its /Rect); the print layout (print media, the page's content width) gives how
far the objective reaches below its title. An objective is whole when it ends above the page's
bottom margin.
"""

from __future__ import annotations

import math
import re
import zlib

import pytest

MM = 72 / 25.4  # PDF points per millimetre
PX = 0.75  # PDF points per CSS pixel
MARGIN = 15 * MM  # @page { margin: 15mm } in style.css
SHEETS = {"A4": (210 * MM, 297 * MM), "Letter": (8.5 * 72, 11 * 72)}


def pdf_pages(data: bytes) -> list[list[str]]:
    """Each page's link targets, in page order, from the PDF's page and annotation objects."""
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S)}
    kids = re.search(rb"/Type\s*/Pages.*?/Kids\s*\[([^\]]*)\]", data, re.S)
    order = [int(n) for n in re.findall(rb"(\d+) 0 R", kids[1])]
    pages = []
    for number in order:
        annots = re.search(rb"/Annots\s*\[([^\]]*)\]", objects[number])
        links = []
        for ref in re.findall(rb"(\d+) 0 R", annots[1]) if annots else []:
            body = objects[int(ref)]
            uri, rect = re.search(rb"/URI\s*\(([^)]*)\)", body), re.search(rb"/Rect\s*\[([^\]]*)\]", body)
            if uri and rect:
                links.append((uri[1].decode(), [float(v) for v in rect[1].split()]))
        pages.append(links)
    return pages


def glyphs_shown(data: bytes) -> int:
    """How many glyphs the PDF's pages draw (Chromium writes each text run as <hex glyph ids> Tj)."""
    count = 0
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            continue
        count += sum(len(run) // 4 for run in re.findall(rb"<([0-9A-Fa-f]+)>\s*Tj", text))
    return count


@pytest.fixture
def finished_review(site):
    period = next(p for p in site.okrs["periods"] if p["id"] == "2026-Q3")
    ids = [o["id"] for o in site.okrs["objectives"] if o["period"] == "2026-Q3"]
    return site.base_url + period["review_url"] + "index.html", ids


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_review_prints_whole_objectives_on_as_many_pages_as_needed(sheet, finished_review, open_page):
    url, ids = finished_review
    width, height = SHEETS[sheet]
    content_width, content_height = width - 2 * MARGIN, height - 2 * MARGIN
    page, log = open_page(width=round(content_width / PX), height=900)
    page.goto(url, wait_until="load")
    data = page.pdf(format=sheet, print_background=True)
    page.emulate_media(media="print")
    layout = page.evaluate("""() => {
      const review = document.querySelector('.review').getBoundingClientRect();
      const blocks = [...document.querySelectorAll('.review-objective')].map(el => {
        const box = el.getBoundingClientRect(), title = el.querySelector('h3 a').getBoundingClientRect();
        return {id: el.dataset.objective, below: box.bottom - title.top};
      });
      return {height: review.height, blocks};
    }""")
    pages = pdf_pages(data)
    needed = math.ceil(layout["height"] * PX / content_height)
    assert needed <= len(pages) <= needed + 1, f"{len(pages)} {sheet} pages for {layout['height'] * PX / content_height:.2f} pages of content"
    assert len(pages) >= 2, "the example's finished quarter fills more than one page: the check below means something"
    starts = {}
    for number, links in enumerate(pages):
        for uri, rect in links:
            ident = re.search(r"/objectives/([^/]+)/index\.html$", uri)
            if ident and ident[1] in ids and ident[1] not in starts:
                starts[ident[1]] = (number, rect[3])  # the title link's top, in points from the sheet's foot
    assert sorted(starts) == sorted(ids), "every objective of the period is in the PDF"
    for block in layout["blocks"]:
        number, top = starts[block["id"]]
        bottom = top - block["below"] * PX
        assert bottom >= MARGIN - 2, f"{block['id']} runs past the foot of page {number + 1} ({sheet}): cut in two"
    assert not log.problems()


def test_review_print_layout_has_no_navigation_and_names_the_period(finished_review, open_page):
    url, _ = finished_review
    page, _ = open_page()
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['header.top', '.crumbs', 'footer'].map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none", "none", "none"]
    footer = page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--print-footer')")
    assert "review of 2026-Q3 (2026-07-01 – 2026-09-30)" in footer  # style.css's @page @bottom-left shows it
    with_footer = page.pdf(format="A4")
    page.evaluate("() => document.documentElement.removeAttribute('data-css')")  # the footer's rule in the page's <style> matches it no more
    without = page.pdf(format="A4")
    sheets = len(pdf_pages(with_footer))
    drawn = len(footer.strip().strip('"').replace(" ", ""))
    assert glyphs_shown(with_footer) - glyphs_shown(without) >= sheets * drawn, "the period is at the foot of every sheet"
    # black and white: each grade and status is in words and a shape, not colour alone
    verdicts = page.locator(".review-objective .review-verdict").all_inner_texts()
    assert verdicts and all(re.search(r"[●▲■]\s+grade \d\.\d\d", v) and re.search(r"achieved|missed|cancelled", v) for v in verdicts if "cancelled" not in v)


def test_arrow_keys_move_from_one_top_level_objective_to_the_next(finished_review, open_page):
    url, _ = finished_review
    page, log = open_page(width=1280, height=700)
    page.goto(url, wait_until="load")
    tops = page.eval_on_selector_all('.review-objective[data-depth="0"]', "els => els.map(e => e.dataset.objective)")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    at_top = page.evaluate("""() => [...document.querySelectorAll('.review-objective[data-depth="0"]')]
        .find(e => Math.abs(e.getBoundingClientRect().top) < 20)?.dataset.objective""")
    assert len(tops) >= 2 and at_top == tops[1]
    assert not log.problems()
