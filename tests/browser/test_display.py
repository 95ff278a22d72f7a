"""Issue 9, display: charts that fit a 390 px phone with their latest value in sight, and objective
pages that print without links or navigation, with margins, and without a heading left alone.
"""

from __future__ import annotations

import re
import zlib

import pytest

from okrsite.goals.formats import format_number

from .conftest import Site, all_pages, built_site, page_file, pages_or_skip, representative

PHONE = {"width": 390, "height": 844}

CHART_FACTS = """
() => {
  const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height}; };
  const chart = document.querySelector('svg.chart-line');
  const label = chart.querySelector('.latest-label');
  const wrap = chart.closest('.chart-wrap');
  return {page_width: document.documentElement.scrollWidth, chart: box(chart), label: box(label), text: label.textContent,
          wrap_scrolls: wrap.scrollWidth > wrap.clientWidth};
}
"""


def kpi_of(site: Site, file: str) -> dict:
    return next(k for k in site.okrs["kpis"] if page_file(k["url"]) == file)


def test_every_kpi_chart_fits_a_phone_with_its_latest_value_in_sight(site, open_page):
    page, log = open_page(**PHONE)
    for file in pages_or_skip(site, "kpi"):
        kpi = kpi_of(site, file)
        if not kpi["values"]:
            continue
        page.goto(site.base_url + file, wait_until="networkidle")  # the favicon too: one cut off by the next page is no failure of the page
        page.locator("svg.chart-line .latest-label").scroll_into_view_if_needed()
        facts = page.evaluate(CHART_FACTS)
        where = f"{file} at 390 px"
        assert facts["page_width"] <= PHONE["width"], f"{where}: the page is {facts['page_width']} px wide"
        assert not facts["wrap_scrolls"] and facts["chart"]["right"] <= PHONE["width"], f"{where}: the chart needs a swipe: {facts['chart']}"
        label = facts["label"]
        assert 0 <= label["left"] and label["right"] <= PHONE["width"], f"{where}: the latest value is cut off: {label}"
        assert 0 <= label["top"] and label["bottom"] <= PHONE["height"], f"{where}: the latest value is out of sight: {label}"
        assert label["height"] >= 10, f"{where}: the latest value is too small to read ({label['height']:.1f} px high)"
        assert facts["text"] == format_number(kpi["current"], kpi["unit"])
    assert not log.problems()


def test_the_progress_chart_of_an_objective_fits_a_phone(site, open_page):
    page, _ = open_page(**PHONE)
    page.goto(site.base_url + representative(site, "objective"), wait_until="load")
    chart = page.locator("svg.chart-burnup")
    if not chart.count():
        pytest.skip("the representative objective has no progress chart")
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


PRINT_FACTS = """
() => {
  const style = sel => { const el = document.querySelector(sel); return el ? getComputedStyle(el) : null; };
  const shown = sel => { const s = style(sel); return s ? s.display !== 'none' : null; };
  return {file_links: shown('.file-links'), site_nav: shown('header.top nav'), crumbs: shown('.crumbs'), heading: shown('h1'),
          h2_break_after: style('h2').breakAfter, h3_break_after: style('h3').breakAfter, kr_break_inside: style('.kr').breakInside};
}
"""


def left_margin_pt(pdf: bytes) -> float:
    """How far from the left edge of the first sheet anything is drawn, in points: Chromium's PDF
    draws each page in a flipped, scaled space ("s 0 0 -s 0 H cm"), then boxes as "x y w h re"."""
    content = next(s for s in _streams(pdf) if re.match(rb"[\d.]+ 0 0 -[\d.]+ 0 [\d.]+ cm", s))
    scale = float(content.split()[0])
    return scale * min(float(x) for x in re.findall(rb"(-?[\d.]+) -?[\d.]+ [\d.]+ [\d.]+ re\b", content))


def _streams(pdf: bytes):
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            yield zlib.decompress(match.group(1))
        except zlib.error:
            continue


def test_an_objective_page_prints_without_links_with_margins_and_keeps_headings_with_their_text(site, open_page):
    page, _ = open_page(bypass_csp=True)  # the margin check injects a style
    page.goto(site.base_url + representative(site, "objective"), wait_until="load")
    on_screen = page.evaluate(PRINT_FACTS)
    assert on_screen["file_links"] and on_screen["site_nav"] and on_screen["crumbs"], "shown on screen"
    page.emulate_media(media="print")
    printed = page.evaluate(PRINT_FACTS)
    assert (printed["file_links"], printed["site_nav"], printed["crumbs"], printed["heading"]) == (False, False, False, True)
    assert (printed["h2_break_after"], printed["h3_break_after"], printed["kr_break_inside"]) == ("avoid", "avoid", "avoid")
    fifteen_mm = 15 / 25.4 * 72
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=False)
        assert pdf.startswith(b"%PDF")
        assert left_margin_pt(pdf) == pytest.approx(fifteen_mm, abs=1.5), f"{paper}: the @page margin is not applied"
    page.add_style_tag(content="@page { margin: 0 !important }")  # the measure itself can fail
    assert left_margin_pt(page.pdf(format="A4")) < 5


LONG = "https://docs.example.com/platform/reference/authentication-and-authorization-guide"
UNBREAKABLE_TITLES = {
    "okrsite.toml": 'title = "U"\nas_of = 2026-11-23\n',
    "content/teams/company.md": "---\ntitle: Company\n---\n",
    "content/kpis/k.md": f"---\ntitle: Visits to {LONG}\nowner: company\nunit: visits\nvalues:\n  - {{date: 2026-11-01, value: 3}}\n---\n",
    "content/objectives/url.md": f"---\ntitle: Migrate docs to {LONG}\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
                                 f"  - title: Publish {LONG}/v2\n    target: 10\n    current: 5\n  - title: Visits\n    kpi: k\n    target: 10\n---\n",
    "content/objectives/child.md": f"---\ntitle: Child of {LONG}/child\nperiod: 2026-Q4\nowner: company\nparent: url\n"
                                   "key_results:\n  - {title: c, target: 10, current: 5}\n---\n",
}


@pytest.fixture(scope="module")
def unbreakable_titles(tmp_path_factory):
    """The site of UNBREAKABLE_TITLES, built once."""
    return built_site(tmp_path_factory, "unbreakable", UNBREAKABLE_TITLES)


@pytest.mark.parametrize("file", ["objectives/url/index.html", "objectives/child/index.html", "alignment/index.html",
                                  "periods/2026-q4/review/index.html", "periods/2026-q4/index.html", "kpis/k/index.html",
                                  "teams/company/index.html", "index.html"])
def test_a_title_holding_a_long_web_address_wraps_on_a_phone(chromium_browser, unbreakable_titles, file):
    """SPEC §9, works on phones: a URL in a title (a breadcrumb, the alignment list, the review's
    headings and KPI table) breaks where it must instead of making the page scroll sideways at 375 px."""
    context = chromium_browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto((unbreakable_titles / file).as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert width <= 375, f"{file} is {width} px wide at 375 px"


BROKEN_WORDS = """
() => {
  const broken = [];
  for (const link of document.querySelectorAll('main a')) {
    const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s\\-\u2010\u2013\\/]+/g)) {  // a line may break after a hyphen or a slash
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}
"""


@pytest.mark.parametrize("kind", ["review", "teams", "kpi", "home", "objective"])
def test_on_a_phone_a_link_breaks_between_words_not_inside_one(site, open_page, kind):
    """The long-title fix let every link break anywhere: on the review page "Support first response
    time" stood in a narrowed table column as "Su / pp / ort / firs / t ...". Only a word no line can
    hold may break (the example has none)."""
    page, _ = open_page(width=375, height=800)
    file = representative(site, kind)
    page.goto(site.base_url + file, wait_until="load")
    assert page.evaluate(BROKEN_WORDS) == [], file


LONG_TILES = {
    "okrsite.toml": 'title = "T"\nas_of = 2026-12-05\n',
    "content/teams/engineering-function-development.md": "---\ntitle: Engineering Function/Development\n---\n",
    "content/teams/sales.md": "---\ntitle: Sales\n---\n",
    "content/kpis/merge-time.md": "---\ntitle: Mean time to merge\nowner: engineering-function-development\ntarget: 0.5 days\n"
                                  "health: problem\nvalues:\n  - {date: 2026-11-30, value: 0.4}\n---\n",
    "content/kpis/deal-size.md": "---\ntitle: Average deal size\nowner: sales\ntarget: '> $1.2M/quarter'\n"
                                 "values:\n  - {date: 2026-11-30, value: 1250000}\n---\n",
}

TILE_FACTS = """
() => {
  const overflowing = [], broken = [];
  for (const tile of document.querySelectorAll('.tile')) {
    const box = tile.getBoundingClientRect();
    for (const el of tile.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && (r.right > box.right + 0.5 || r.left < box.left - 0.5)) overflowing.push(el.outerHTML.slice(0, 80));
    }
    for (const part of tile.querySelectorAll('.tile-value, .badge small')) {
      const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/[^\\s\\/]+/g)) {  // a line may break at a space or after a slash
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) broken.push(match[0]);
        }
      }
    }
  }
  return {overflowing, broken, values: [...document.querySelectorAll('.tile-value, .badge small')].map(e => e.textContent)};
}
"""


@pytest.fixture(scope="module")
def long_tiles(tmp_path_factory):
    return built_site(tmp_path_factory, "tiles", LONG_TILES)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_owner_or_value_wraps_inside_its_kpi_tile(chromium_browser, long_tiles, width):
    """A KPI tile on the home page is 14rem wide at 1280 px: "(set by Engineering Function/Development)"
    ran past its right edge and "$1,250,000/quarter" broke as "$1,250,000/qu arter". Both wrap inside
    the tile, at a space or after the slash."""
    context = chromium_browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto((long_tiles / "index.html").as_uri())
        facts = page.evaluate(TILE_FACTS)
    finally:
        context.close()
    assert {"$1,250,000/quarter", "(set by Engineering Function/Development)"} <= set(facts["values"])
    assert facts["overflowing"] == [] and facts["broken"] == [], facts


# QA EE: a KPI chart's target and threshold labels were drawn over the data line (NPS -5, 0, … with
# threshold 0) or over each other (latency 0.8 s and 1.2 s at the foot of a chart in ms).
NPS_VALUES = "".join(f"  - {{date: {day}, value: {value}}}\n" for day, value in (
    ("2025-03-31", -5), ("2025-06-30", 0), ("2025-09-30", 12), ("2025-12-31", 18), ("2026-03-31", 25), ("2026-06-30", 31), ("2026-09-30", 28)))
LATENCY_VALUES = "".join(f"  - {{date: 2025-{day}, value: {value}}}\n" for day, value in (
    ("09-01", 801), ("09-08", 808), ("09-15", 815), ("09-22", 822), ("10-06", 0.806), ("10-13", 0.813), ("10-20", 0.82), ("10-27", 0.827)))
CHART_LABELS = {
    "okrsite.toml": 'title = "T"\nas_of = 2026-12-06\n',
    "content/kpis/nps.md": f"---\ntitle: NPS\nowner: Ann\ntarget: 30\nthreshold: 0\nfrequency: quarterly\nsource: survey\nvalues:\n{NPS_VALUES}---\n",
    "content/kpis/latency.md": f"---\ntitle: Latency\nowner: Ann\nunit: s\ndirection: down\ntarget: 0.8\nthreshold: 1.2\nfrequency: weekly\nsource: x\nvalues:\n{LATENCY_VALUES}---\n",
}
LABEL_FACTS = """
() => {
  const svg = document.querySelector('main svg.chart-line');
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const labels = [...svg.querySelectorAll('text.target-label, text.threshold-label, text.latest-label, text.today-label')].map(t => [t.textContent, box(t)]);
  const m = svg.getScreenCTM();
  const lines = [...svg.querySelectorAll('polyline.line')].map(l => [...l.points].map(p => [m.a * p.x + m.c * p.y + m.e, m.b * p.x + m.d * p.y + m.f]));
  return {labels, lines};
}
"""


@pytest.fixture(scope="module")
def chart_labels(tmp_path_factory):
    return built_site(tmp_path_factory, "chartlabels", CHART_LABELS)


def _crossed(line: list, box: list) -> bool:
    """Whether a polyline (screen points, left to right) runs through a box (left, top, right, bottom)."""
    for (x1, y1), (x2, y2) in zip(line, line[1:]):
        lo, hi = max(x1, box[0]), min(x2, box[2])
        if lo <= hi:
            at = [y1 + (y2 - y1) * (x - x1) / (x2 - x1) if x2 != x1 else y1 for x in (lo, hi)]
            if min(at) < box[3] and max(at) > box[1]:
                return True
    return False


@pytest.mark.parametrize("width", [1100, 390])
@pytest.mark.parametrize("kpi", ["nps", "latency"])
def test_the_labels_of_a_kpi_chart_cover_neither_each_other_nor_the_line(chromium_browser, chart_labels, kpi, width):
    context = chromium_browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto((chart_labels / "kpis" / kpi / "index.html").as_uri())
        facts = page.evaluate(LABEL_FACTS)
        page.locator("main svg.chart-line").screenshot(path=str(chart_labels / f"{kpi}-{width}.png"))
    finally:
        context.close()
    labels = dict(facts["labels"])
    assert {"today", "threshold 0" if kpi == "nps" else "threshold 1.2 s"} <= labels.keys()
    boxes = list(labels.values())
    assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for i, a in enumerate(boxes) for b in boxes[i + 1:]), labels
    marks = [box for text, box in labels.items() if text.startswith(("target", "threshold"))]
    assert not any(_crossed(line, box) for line in facts["lines"] for box in marks), facts


HEADER_FACTS = """
() => {
  const header = document.querySelector('header.top'), brand = header.querySelector('.brand'), note = header.querySelector('.asof');
  return {height: header.getBoundingClientRect().height, page_width: document.documentElement.scrollWidth,
          note: note.getBoundingClientRect().width, said: note.textContent,
          brand_cut: brand.scrollWidth > brand.clientWidth || getComputedStyle(brand).textOverflow === 'ellipsis',
          cut: [...header.children].filter(e => e.scrollWidth > e.clientWidth).map(e => e.className || e.tagName.toLowerCase())};
}
"""


def finished_pages(site: Site) -> list[str]:
    """The page of the finished period with the longest name and one of its objectives': their header says
    "Final: 2026-Q3 ended on 2026-09-30" where the home page's says "As of …"."""
    ended = max((p for p in site.okrs["periods"] if p["end"] < site.okrs["as_of"]), key=lambda p: len(p["id"]))
    objective = next(o for o in site.okrs["objectives"] if o["period"] == ended["id"])
    return [page_file(ended["url"]), page_file(objective["url"])]


def header_facts(site: Site, page, file: str) -> dict:
    page.goto(site.base_url + file, wait_until="networkidle")  # the favicon too: the next page is opened at once
    return page.evaluate(HEADER_FACTS)


@pytest.mark.parametrize("width", [320, 360, 390, 1024, 1280, 1600])
def test_a_finished_periods_header_wraps_where_the_home_pages_does(site, open_page, width):
    """QA: at 1280 px a finished period's pages had a header 93 px high, against 60 px elsewhere: "Final:
    2026-Q4 ended on 2026-12-31" is longer than "As of …", and the search box went to a second row (on a
    390 px phone too: 185 px against 155 px). The header may wrap, but its note must take no more room
    on those pages than the home page's, and the site's name is never cut short to make room."""
    page, log = open_page(width=width)
    home = header_facts(site, page, "index.html")
    finished = {file: header_facts(site, page, file) for file in finished_pages(site)}
    for file, facts in finished.items():
        where = f"{file} at {width} px: {facts}, the home page's {home}"
        assert facts["said"].startswith("Final:") and home["said"].startswith("As of"), where
        assert facts["height"] == pytest.approx(home["height"], abs=.5), where
        assert facts["note"] <= home["note"] + .5, where
    for file, facts in {"index.html": home, **finished}.items():
        assert not facts["brand_cut"] and not facts["cut"] and facts["page_width"] <= width, f"{file} at {width} px: {facts}"
    assert not log.problems()


def test_below_1024_px_the_header_wraps_and_shows_everything_whole(site, open_page):
    page, _ = open_page(width=800)
    for file in ["index.html", *finished_pages(site)]:
        facts = header_facts(site, page, file)
        assert facts["page_width"] <= 800 and not facts["brand_cut"] and not facts["cut"], f"{file}: {facts}"


FALLING = "\n".join(f"      - {{date: 2026-{m:02}-{d:02}, value: {v}}}" for m, d, v in
                    [(10, 8, 40), (10, 22, 38), (11, 5, 35), (11, 19, 33), (12, 3, 30), (12, 17, 28), (12, 28, 26)])
PROGRESS_CHART = {
    "okrsite.toml": 'title = "P"\nas_of = 2026-12-28\n',
    "content/teams/company.md": "---\ntitle: Company\n---\n",
    "content/objectives/losing-ground.md": "---\ntitle: Losing ground\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
                                           f"  - title: Signups\n    target: 100\n    history:\n{FALLING}\n"
                                           f"  - title: Trials\n    target: 100\n    history:\n{FALLING}\n---\n",
}
# Every text of a burn-up chart against the data it plots (user units): the progress line and the forecast's
# (sampled every half unit) and the dots; each text with what it crosses.
PROGRESS_LABELS = """
() => {
  const svg = document.querySelector('main svg.chart-burnup');
  const segments = [];
  for (const l of svg.querySelectorAll('polyline.line')) { const p = [...l.points]; p.slice(1).forEach((b, i) => segments.push(['progress', p[i], b])); }
  for (const l of svg.querySelectorAll('line.forecast'))
    segments.push([l.classList[0], {x: l.x1.baseVal.value, y: l.y1.baseVal.value}, {x: l.x2.baseVal.value, y: l.y2.baseVal.value}]);
  const dots = [...svg.querySelectorAll('circle.dot')].map(c => [c.cx.baseVal.value, c.cy.baseVal.value, c.r.baseVal.value]);
  return [...svg.querySelectorAll('text')].filter(t => t.getBBox().width > 0).map(t => {
    const b = t.getBBox(), inside = (x, y, m) => x > b.x - m && x < b.x + b.width + m && y > b.y - m && y < b.y + b.height + m;
    const crossed = segments.filter(([, a, z]) => { const n = Math.ceil(Math.hypot(z.x - a.x, z.y - a.y) * 2) || 1;
      return [...Array(n + 1).keys()].some(k => inside(a.x + (z.x - a.x) * k / n, a.y + (z.y - a.y) * k / n, 1.25)); }).map(([what]) => what);
    if (dots.some(([x, y, r]) => inside(x, y, r))) crossed.push('dot');
    return [t.textContent, crossed];
  });
}
"""


@pytest.fixture(scope="module")
def progress_chart(tmp_path_factory):
    return built_site(tmp_path_factory, "progresschart", PROGRESS_CHART)


@pytest.mark.parametrize("width", [1280, 390])
def test_no_text_of_a_progress_chart_lies_over_what_it_plots(chromium_browser, progress_chart, width):
    """QA: "straight lines through 3 check-ins of 2 key results", the forecast's method, was written over the
    progress line. Here progress runs the whole period to today, falling through the height where the
    forecast's figure and method were written: no text of the chart may cross its progress or forecast line
    or a dot. The method is said under the chart instead."""
    context = chromium_browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto((progress_chart / "objectives/losing-ground/index.html").as_uri())
        texts = page.evaluate(PROGRESS_LABELS)
        note = page.locator(".chart-note").inner_text()
    finally:
        context.close()
    assert any(text.startswith("forecast ") for text, _ in texts) and "straight lines through 14 check-ins of 2 key results" in note
    assert [(text, crossed) for text, crossed in texts if crossed] == []


BROKEN_DATES = r"""
() => {
  const broken = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.getClientRects().length || node.parentElement.closest('[dir="auto"]')) continue;  // an author's own words left as written
    for (const m of node.data.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
      const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      if (new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top))).size > 1)
        broken.push(`${m[0]} in ${node.parentElement.closest('p, li, td, th, caption, dd, h1, h2, h3') ?.textContent.trim().slice(0, 90)}`);
    }
  }
  return broken;
}
"""


@pytest.mark.parametrize("width", [320, 360, 390])
def test_on_a_phone_a_date_is_never_broken_over_lines_and_no_page_scrolls_sideways(site, open_page, width):
    """QA: on a phone "ended 2026-09-30" read "ended 2026-09-" / "30", a period "· 2026-" / "07-01 –
    2026-09-30", "expected 59 % by 2026-" / "11-23"; the browser breaks a line after a hyphen. Every page's
    dates stay whole (its opened lists too), and keeping them whole makes no page wider than the screen."""
    page, _ = open_page(width=width, height=800)
    found = []
    for file in [*all_pages(site), "kpis/index.html"]:
        page.goto(site.base_url + file, wait_until="load")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        found += [f"{file}: {b}" for b in page.evaluate(BROKEN_DATES)]
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            found.append(f"{file}: {wide} px wide")
    assert found == [], "\n".join(found)
