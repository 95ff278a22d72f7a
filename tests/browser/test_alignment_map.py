"""The alignment map in Chromium: on the example and on a generated company of 206 objectives in one
period, it passes axe and the Nu checker, and prints each period's map on one A3 landscape sheet.
Screenshots go to test-artifacts/screenshots/ (git-ignored): look at them."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from ..web.test_alignmap import gen_corpus
from .conftest import SCREENSHOTS, built_and_served
from .test_accessibility import RUN_AXE, describe

A3_LANDSCAPE_MM = (420, 297)
PRINT_MARGIN_MM = 10
MM = 96 / 25.4  # CSS pixels in a millimetre


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    base = tmp_path_factory.mktemp("generated-map")
    gen_corpus().generate(235, base / "goals", seed=1)
    yield from built_and_served(base / "site", base / "goals")


@pytest.fixture(params=["example", "generated"])
def built(request, site, generated):
    return site if request.param == "example" else generated


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_map_passes_axe(built, scheme, axe_js, open_page):
    page, log = open_page(color_scheme=scheme, bypass_csp=True)  # axe-core is an injected inline script
    page.emulate_media(color_scheme=scheme)
    lines = []
    own_maps = sorted(p.relative_to(built.out_dir).as_posix() for p in built.out_dir.glob("alignment/*/index.html"))
    assert bool(own_maps) == (len(built.okrs["objectives"]) > 100), "the generated map is too big to print: its trees have maps of their own"
    for file in ("alignment/index.html", "teams/index.html", *own_maps[:1]):
        page.goto(built.base_url + file, wait_until="load")
        page.add_script_tag(path=str(axe_js))
        lines += describe(file, scheme, page.evaluate(RUN_AXE))
    assert not lines, "axe-core violations:\n" + "\n".join(lines)
    assert not log.problems()


def test_the_generated_site_has_no_nu_checker_error(generated, vnu_jar):
    files = [str(generated.out_dir / f) for f in ("alignment/index.html", "teams/index.html")]
    files += [str(p) for p in sorted(generated.out_dir.glob("alignment/*/index.html"))]
    files += [str(generated.out_dir / t["url"] / "index.html") for t in generated.okrs["teams"][:5]]
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=600)
    errors = [m for m in json.loads(proc.stderr)["messages"] if m.get("type") in ("error", "non-document-error")]
    assert not errors and proc.returncode == 0, errors[:10]


def test_each_period_prints_on_one_a3_landscape_sheet(built, open_page):
    page, _ = open_page(width=round((A3_LANDSCAPE_MM[0] - 2 * PRINT_MARGIN_MM) * MM), height=900)
    page.goto(built.base_url + "alignment/index.html", wait_until="load")
    page.emulate_media(media="print")
    sheet = (A3_LANDSCAPE_MM[1] - 2 * PRINT_MARGIN_MM) * MM
    heights = page.evaluate("[...document.querySelectorAll('svg.amap')].map(s => s.getBoundingClientRect().height)")
    assert len(heights) == len(built.okrs["periods"]) and all(0 < h < sheet * 0.95 for h in heights), (heights, sheet)
    assert page.evaluate("getComputedStyle(document.querySelector('.map-period > ul.map')).display") == "none"
    pdf = page.pdf(format="A3", landscape=True, print_background=True)
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) == len(built.okrs["periods"]), "one sheet per period"
    css = page.pdf(prefer_css_page_size=True)
    assert pdf_pages(css) == len(built.okrs["periods"]), "the stylesheet asks for A3 landscape itself"
    sheets = [tuple(map(float, box)) for box in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", css)]
    assert sheets and all(abs(w - 1190.6) < 1.5 and abs(h - 841.9) < 1.5 for w, h in sheets), f"A3 landscape is 1191 × 842 points: {sheets}"


def test_every_box_links_to_its_objective_and_takes_the_keyboard(site, open_page):
    page, log = open_page()
    page.goto(site.base_url + "alignment/index.html", wait_until="networkidle")  # the favicon too: the Enter below navigates away
    link = page.locator("svg.amap a.amap-node").first
    link.focus()
    assert page.evaluate("document.activeElement.closest('svg') !== null")
    assert page.evaluate("getComputedStyle(document.activeElement.querySelector('.amap-box')).strokeWidth") == "3px"
    target = link.get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(target.removeprefix("..")), (page.url, target)
    assert not log.problems()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshot_of_a_big_map(generated, width, open_page):
    page, _ = open_page(width=width, height=900)
    page.goto(generated.base_url + "alignment/index.html", wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the map scrolls inside its box, not the page"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("svg.amap").first.screenshot(path=str(SCREENSHOTS / f"alignment-map-206-{width}.png"))
    page.goto(generated.base_url + "teams/index.html", wait_until="load")
    page.screenshot(path=str(SCREENSHOTS / f"teams-overview-generated-{width}.png"), full_page=True)


def test_a_public_box_s_private_parent_note_fits_its_box(chromium_browser, tmp_path):
    """"aligned to a private objective" is drawn inside the box of a child of a private objective, between
    its title (one line) and its owner, overlapping neither."""
    from okrsite.build import build

    from ..conftest import write_files

    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "P"\nas_of = 2026-12-02\n',
        "content/teams/co.md": "---\ntitle: Company operations and everything else\n---\n",
        "content/objectives/hidden.md": "---\ntitle: Hidden\nperiod: 2026-Q4\nowner: co\nprivate: true\nkey_results: [{title: h, target: 10}]\n---\n",
        "content/objectives/child.md": "---\ntitle: A rather long public objective title that wraps\nperiod: 2026-Q4\nowner: co\nparent: hidden\n"
                                       "key_results: [{title: c, target: 10, current: 5}]\n---\n"})
    assert build(tmp_path / "site", tmp_path / "out", audience="public", cache=False).ok
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto((tmp_path / "out/alignment/index.html").as_uri())
        boxes = page.evaluate("""() => [...document.querySelectorAll('svg.amap .amap-node')].map(node => {
            const r = b => { const x = b.getBBox(); return [x.x, x.y, x.x + x.width, x.y + x.height]; };
            return {box: r(node.querySelector('.amap-box')), titles: [...node.querySelectorAll('.amap-title')].map(r),
                    note: node.querySelector('.amap-note') && r(node.querySelector('.amap-note')), owner: r(node.querySelector('.amap-owner'))};
        })""")
    finally:
        context.close()
    assert len(boxes) == 1 and boxes[0]["note"] is not None and len(boxes[0]["titles"]) == 1
    box, note, title, owner = boxes[0]["box"], boxes[0]["note"], boxes[0]["titles"][0], boxes[0]["owner"]
    assert box[0] < note[0] and note[2] < box[2], (box, note)
    assert title[3] <= note[1] + 1 and note[3] <= owner[1] + 1, (title, note, owner)


def test_a_box_focused_at_320_px_scrolls_wholly_into_the_map_s_frame(chromium_browser, tmp_path):
    """QA EL: Tab onto a box partly past the right edge of the map's frame left 48 px of its 200 showing."""
    from okrsite.build import build

    from ..conftest import write_files

    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "M"\nas_of = 2026-11-23\ngit_history = false\n',
        "content/teams/eng.md": "---\ntitle: Engineering\n---\n",
        **{f"content/objectives/{n}.md": f"---\ntitle: Objective {n} of the quarter\nperiod: 2026-Q4\nowner: eng\n"
                                          "key_results: [{title: KR, target: 10, current: 3}]\n---\n" for n in ("one", "two", "three")}})
    assert build(tmp_path / "site", tmp_path / "out", cache=False).ok
    context = chromium_browser.new_context(viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        page.goto((tmp_path / "out/alignment/index.html").as_uri(), wait_until="load")
        shown = []
        for _ in range(40):
            page.keyboard.press("Tab")
            seen = page.evaluate("""() => { const e = document.activeElement;
                if (!e.classList || !e.classList.contains('amap-node')) return null;
                const r = e.getBoundingClientRect(), s = e.closest('.amap-scroll').getBoundingClientRect();
                return [Math.round(Math.min(r.right, s.right) - Math.max(r.left, s.left)), Math.round(r.width)]; }""")
            if seen:
                shown.append(seen)
    finally:
        context.close()
    assert len(shown) >= 3 and all(visible >= width for visible, width in shown), shown
