"""A board pack printed from the site (docs/site.md, "Printing a quarterly review", QA CR): every sheet
says what it is and when, a box an author wrote into a text prints open, a link to another site prints
its address, and a KPI's values print once.
"""

from __future__ import annotations

import datetime

import pytest

from .conftest import serving
from .test_alignment_map import A3_LANDSCAPE_MM, MM, PRINT_MARGIN_MM
from .test_review_print import glyphs_shown, pdf_pages

A4_CONTENT = 680  # 210 mm less the 15 mm margins, in CSS pixels
PLAN = "https://docs.example.com/plans/2027-growth"
LONG = "https://docs.example.com/platform/reference/authentication-and-authorization-guide/2027-growth-plan-appendix"


def objective(ident: str, period: str, body: str = "") -> tuple[str, str]:
    return f"content/objectives/{ident}.md", (
        f"---\ntitle: Objective of {period}\nperiod: {period}\nowner: company\n"
        "key_results:\n  - title: Grow accounts\n    start: 0\n    target: 10\n    current: 6\n"
        "    history:\n      - {date: 2026-08-03, value: 2}\n      - {date: 2026-10-16, value: 6}\n"
        f"---\n{body}")


BODY = f"""\
Context for the board.

<details><summary>Risks the board asked about</summary>

Customer concentration: our top three customers are 40 % of revenue.

</details>

Why this matters: see [the plan]({PLAN}), [our runway](../kpis/cash.md) and <https://example.org/handbook>.

| Source | Link |
|---|---|
| Appendix | [the appendix]({LONG}) |
"""

VALUES = "".join(f"  - {{date: {datetime.date(2026, 1, 5) + datetime.timedelta(weeks=i)}, value: {20 + i / 10:.1f}}}\n" for i in range(45))

SITE = {
    "okrsite.toml": 'title = "Board Goals"\nas_of = 2026-11-15\nallow_html = true\n',
    "content/teams/company.md": "---\ntitle: Company\n---\n",
    "content/kpis/cash.md": ("---\ntitle: Cash runway\nowner: company\nunit: months\ndirection: up\ntarget: 24\n"
                             f"frequency: weekly\nsource: Finance\nvalues:\n{VALUES}---\nMonths of cash.\n"),
    **dict([objective("q3", "2026-Q3"), objective("q4", "2026-Q4", BODY)]),
}


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    from okrsite.build import build

    from ..conftest import write_files

    root = tmp_path_factory.mktemp("pack")
    assert build(write_files(root / "goals", SITE), root / "out", cache=False).ok
    yield from serving(root / "out")


def printed(chromium_browser, url: str, width: int = A4_CONTENT):
    context = chromium_browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    return context, page


SHEET_HEADS = """() => [...document.querySelectorAll('.map-period')].map(section => {
  const head = section.querySelector('.sheet-head'), map = section.querySelector('svg.amap');
  return {period: section.querySelector('h2').textContent.trim(), head: head && head.checkVisibility() ? head.textContent : null,
          above: !!head && head.getBoundingClientRect().bottom <= map.getBoundingClientRect().top};
})"""


def test_each_period_s_alignment_sheet_names_the_site_the_date_and_the_period(pack, chromium_browser):
    """QA CR 1: only the first period's A3 sheet had the site's name and the as-of date (the page's
    header); the closed quarter's sheet, the one the board discusses, began with "2026-Q3" alone."""
    width = round((A3_LANDSCAPE_MM[0] - 2 * PRINT_MARGIN_MM) * MM)
    context, page = printed(chromium_browser, pack.base_url + "alignment/index.html", width)
    sheets = page.evaluate(SHEET_HEADS)
    header = page.evaluate("() => document.querySelector('header.top').checkVisibility()")
    pdf = page.pdf(prefer_css_page_size=True)
    context.close()
    assert [s["period"] for s in sheets] == ["2026-Q4", "2026-Q3"] and len(pdf_pages(pdf)) == 2
    assert sheets[0]["head"] == "Board Goals · alignment as of 2026-11-15 · 2026-Q4 (2026-10-01 – 2026-12-31, running)"
    assert sheets[1]["head"] == "Board Goals · alignment as of 2026-11-15 · 2026-Q3 (2026-07-01 – 2026-09-30, ended)"
    assert all(s["above"] for s in sheets), sheets
    assert not header, "the page's header would say it twice on the first sheet"


def test_the_alignment_sheet_line_is_not_on_screen(pack, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(pack.base_url + "alignment/index.html", wait_until="load")
    shown = page.evaluate("() => [...document.querySelectorAll('.sheet-head')].map(p => p.checkVisibility())")
    context.close()
    assert shown == [False, False]


BOXES = """() => [...document.querySelectorAll('details')].map(box => ({
  own: box.classList.contains('toggle'), open: box.open,
  summary: box.querySelector('summary').checkVisibility(),
  content: [...box.children].filter(c => c.tagName !== 'SUMMARY').every(c => c.checkVisibility()),
}))"""


def test_a_box_in_an_author_s_text_prints_open_and_the_site_s_toggles_not(pack, chromium_browser):
    """QA CR 2: `details summary { display: none }` hid an author's closed box from the printout
    altogether, summary and content, with nothing on paper to say so."""
    context, page = printed(chromium_browser, pack.base_url + "objectives/q4/index.html")
    boxes = page.evaluate(BOXES)
    context.close()
    authors = [b for b in boxes if not b["own"]]
    toggles = [b for b in boxes if b["own"]]
    assert authors == [{"own": False, "open": False, "summary": True, "content": True}], boxes
    assert toggles and all(not b["summary"] and not b["content"] for b in toggles), "a closed check-in list stays off paper"


def test_on_screen_an_author_s_box_stays_closed(pack, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(pack.base_url + "objectives/q4/index.html", wait_until="load")
    boxes = page.evaluate(BOXES)
    context.close()
    assert [b for b in boxes if not b["own"]] == [{"own": False, "open": False, "summary": True, "content": False}]


ADDRESSES = """() => [...document.querySelectorAll('a')].filter(a => a.checkVisibility())
  .map(a => ({text: a.textContent, after: getComputedStyle(a, '::after').content}))"""


def test_a_link_to_another_site_prints_its_address_and_a_link_within_the_site_not(pack, chromium_browser):
    """QA CR 4: "see the plan." on paper, and no way for a board member to find the plan."""
    context, page = printed(chromium_browser, pack.base_url + "objectives/q4/index.html")
    links = {link["text"]: link["after"] for link in page.evaluate(ADDRESSES)}
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert links["the plan"] == f'" ({PLAN})"'
    assert links["the appendix"] == f'" ({LONG})"'
    assert links["our runway"] == "none", "a page of the site is on paper already"
    assert links["https://example.org/handbook"] == "none", "an address written as a link's words is not repeated"
    assert links["Company"] == "none", "only the prose of a text shows its addresses"
    assert widths[0] <= widths[1], f"a long address widens the sheet past A4: {widths}"


def test_on_screen_a_link_shows_no_address(pack, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(pack.base_url + "objectives/q4/index.html", wait_until="load")
    links = {link["text"]: link["after"] for link in page.evaluate(ADDRESSES)}
    context.close()
    assert links["the plan"] == "none"


ROWS = "() => [...document.querySelectorAll('table.kpi-values tbody tr')].filter(r => r.checkVisibility()).map(r => r.cells[0].textContent)"


@pytest.mark.parametrize("opened", [False, True], ids=["closed", "all-values-opened"])
def test_a_kpi_s_values_print_once(pack, chromium_browser, opened):
    """QA CR 7: with "All 45 values" opened, the latest 30 printed twice: 76 rows for 45 values."""
    context = chromium_browser.new_context(viewport={"width": A4_CONTENT, "height": 900})
    page = context.new_page()
    page.goto(pack.base_url + "kpis/cash/index.html", wait_until="load")
    if opened:
        page.click("details.all-values summary")
    page.emulate_media(media="print")
    rows = page.evaluate(ROWS)
    context.close()
    assert len(rows) == (45 if opened else 30) and len(set(rows)) == len(rows), len(rows)


FOOTER = "() => getComputedStyle(document.documentElement).getPropertyValue('--print-footer').trim()"


@pytest.mark.parametrize("file, footer", [
    ("kpis/cash/index.html", "Board Goals · Cash runway · as of 2026-11-15"),
    ("index.html", "Board Goals · as of 2026-11-15"),
    ("objectives/q4/index.html", "Board Goals · Objective of 2026-Q4 (2026-Q4) · as of 2026-11-15"),
    ("objectives/q3/index.html", "Board Goals · Objective of 2026-Q3 (2026-Q3) · 2026-Q3 as it ended on 2026-09-30"),
    ("teams/company/index.html", "Board Goals · Company · as of 2026-11-15"),
    ("periods/2026-q4/review/index.html", "Board Goals · review of 2026-Q4 (2026-10-01 – 2026-12-31) · as of 2026-11-15"),
    ("periods/2026-q3/review/index.html", "Board Goals · review of 2026-Q3 (2026-07-01 – 2026-09-30)"),
])
def test_every_printed_sheet_says_the_site_the_page_and_when(pack, chromium_browser, file, footer):
    """QA CR 3: the sheets after the first of a KPI page, the dashboard, a team's page carried only
    "page 2 of 2": a loose sheet of a board pack could not be told apart or dated."""
    context, page = printed(chromium_browser, pack.base_url + file)
    said = page.evaluate(FOOTER)
    with_footer = page.pdf(format="A4")
    page.evaluate("() => document.documentElement.removeAttribute('data-css')")  # the footer's rule matches it no more
    without = page.pdf(format="A4")
    context.close()
    assert said == f'"{footer}"'
    drawn = len(footer.replace(" ", ""))
    assert glyphs_shown(with_footer) - glyphs_shown(without) >= len(pdf_pages(with_footer)) * drawn, "at the foot of every sheet"
