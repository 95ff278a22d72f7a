"""The Content-Security-Policy in Chromium: every page kind, light and dark, over HTTP and from file://,
loads without a single violation and still draws its bars; what the policy is for (an external image,
an inline script, a style attribute slipped into a page) is refused.

Violations are read from the `securitypolicyviolation` events (recorded by a script the test adds to
every document before the page's own) and from the console, where Chromium also reports them.
"""

from __future__ import annotations

import pytest

from .conftest import KINDS, REPO, block_external, build_example, pages_of, pages_or_skip, representative, serve

RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
"""
VIOLATIONS = "() => window.__violations"

# Each progress bar's fill against its track, and each status bar's segments against the whole: the
# widths come from the style element the policy allows by hash, so a refused style shows up here.
BAR_WIDTHS = """
() => {
  const width = el => el.getBoundingClientRect().width;
  const bars = [...document.querySelectorAll('.bar[data-progress]')].map(bar => ({
    expected: Math.min(Math.max(Number(bar.dataset.progress), 0), 1) * width(bar),
    fill: width(bar.querySelector('.fill')), html: bar.outerHTML.slice(0, 120)}));
  const stacks = [...document.querySelectorAll('.stacked')].map(s => ({
    expected: width(s), fill: [...s.querySelectorAll('.seg')].reduce((sum, seg) => sum + width(seg), 0),
    html: s.outerHTML.slice(0, 120)}));
  return bars.concat(stacks);
}
"""
CHECKED = ["home", "objective", "kpi", "team", "person", "period", "alignment", "search", "changes"]


def open_recording(open_page, **options):
    page, log = open_page(**options)
    page.add_init_script(RECORD)
    return page, log


def refused_requests(page) -> list[tuple[str, str]]:
    """(url, why) of each request that failed; Chromium names a request the policy refused "csp"."""
    failed: list[tuple[str, str]] = []
    page.on("requestfailed", lambda request: failed.append((request.url, request.failure)))
    return failed


def assert_drawn_within_policy(page, log, where: str) -> None:
    assert page.evaluate(VIOLATIONS) == [], f"{where}: CSP violations"
    problems = log.console_errors + log.page_errors + log.external_requests  # failed requests: test_pages.py (one tab here)
    assert problems == [], f"{where}: {problems}"
    for bar in page.evaluate(BAR_WIDTHS):
        assert bar["fill"] == pytest.approx(bar["expected"], abs=1.5), f"{where}: a bar is not drawn to its width: {bar}"


def test_every_kind_of_page_is_checked():
    assert set(CHECKED) <= set(KINDS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_page_violates_its_policy(kind, scheme, site, open_page):
    page, log = open_recording(open_page, color_scheme=scheme)
    files = pages_or_skip(site, kind)
    for file in files:
        page.goto(site.base_url + file, wait_until="load")
        assert "default-src 'self'" in page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert_drawn_within_policy(page, log, f"{file} [{scheme}]")
    if kind in ("home", "objective"):
        assert page.locator(".bar .fill").count() > 0, "the widths are checked on real bars"


def test_search_filters_within_the_policy(site, open_page):
    page, log = open_recording(open_page)
    page.goto(site.base_url + "search/index.html", wait_until="load")
    page.fill("#q", "revenue")
    page.select_option("select[name=period]", index=1)
    page.wait_for_selector("#search-results li")
    assert "result" in page.text_content("#search-count") and page.locator(".search-listing").is_hidden()
    page.focus("#q")
    page.keyboard.press("ArrowDown")
    assert_drawn_within_policy(page, log, "search")
    page.goto(site.base_url + "index.html", wait_until="load")
    page.fill("#site-q", "revenue")
    page.wait_for_selector("#site-search-list [role=option]")
    assert_drawn_within_policy(page, log, "the header's search suggestions")


def test_the_site_works_from_file_within_the_policy(site, chromium_browser):
    """Opened from disk, 'self' still covers the site's own stylesheet, script and icon (Chromium)."""
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(RECORD)
        errors = []
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        for kind in CHECKED:
            file = representative(site, kind)
            page.goto((site.out_dir / file).as_uri(), wait_until="load")
            assert page.evaluate(VIOLATIONS) == [] and errors == [], f"{file} from file://: {errors}"
            assert page.evaluate("() => getComputedStyle(document.body).marginTop") == "0px", f"{file}: style.css not applied"
            for bar in page.evaluate(BAR_WIDTHS):
                assert bar["fill"] == pytest.approx(bar["expected"], abs=1.5), f"{file}: {bar}"
        page.goto((site.out_dir / "search" / "index.html").as_uri() + "?q=revenue")
        page.wait_for_selector("#search-results li")  # search.js ran and loaded the index
        assert page.evaluate(VIOLATIONS) == [] and errors == [], f"search from file://: {errors}"
    finally:
        context.close()


def test_code_is_isolated_from_the_text_around_it(site, open_page):
    page, _ = open_page()
    page.goto(site.base_url + "changes/index.html")
    assert page.eval_on_selector("code", "c => getComputedStyle(c).unicodeBidi") == "isolate"


def test_what_is_injected_into_a_page_is_refused(site, open_page):
    page, log = open_recording(open_page)
    failed = refused_requests(page)
    page.goto(site.base_url + representative(site, "objective"), wait_until="load")
    page.evaluate("""() => {
      const img = document.createElement('img'); img.src = 'https://tracker.example/pixel.gif'; document.body.append(img);
      const script = document.createElement('script'); script.textContent = 'window.__ran = true'; document.body.append(script);
      document.querySelector('h1').setAttribute('style', 'color: rgb(255, 0, 0)');
    }""")
    page.wait_for_timeout(200)
    found = page.evaluate(VIOLATIONS)
    assert any(v.startswith("img-src https://tracker.example/pixel.gif") for v in found), found
    assert any(v.startswith("script-src-elem inline") for v in found), found
    assert any(v.startswith("style-src-attr inline") for v in found), found
    assert page.evaluate("() => window.__ran") is None
    assert page.eval_on_selector("h1", "h => getComputedStyle(h).color") != "rgb(255, 0, 0)"
    assert failed == [("https://tracker.example/pixel.gif", "csp")]  # refused by the policy, not by the test's network block


def test_an_external_image_in_a_page_body_is_refused(tmp_path, chromium_browser):
    """An author's raw HTML (allow_html = true) may show an external image: the policy refuses it. Its
    script is not in the page at all (web/rawhtml.py), so nothing is left for the policy to refuse."""
    from ..conftest import FIXTURES, compose_site, write_files

    root = compose_site(tmp_path / "goals", FIXTURES / "base")
    objective = root / "content/objectives/grow-customer-base.md"
    write_files(root, {"okrsite.toml": (root / "okrsite.toml").read_text() + "allow_html = true\n",
                       objective.relative_to(root).as_posix(): objective.read_text()
                       + '\n<img id="tracker" src="https://tracker.example/p.gif" alt="">\n<script>window.__ran = true</script>\n'})
    build_example(tmp_path / "site", root)
    server, base_url = serve(tmp_path / "site")
    context = chromium_browser.new_context()
    block_external(context)
    try:
        page = context.new_page()
        page.add_init_script(RECORD)
        failed = refused_requests(page)
        page.goto(base_url + "objectives/grow-customer-base/index.html", wait_until="load")
        assert page.locator("#tracker").count() == 1  # the image is in the page, and refused:
        found = page.evaluate(VIOLATIONS)
        assert any(v.startswith("img-src https://tracker.example/p.gif") for v in found), found
        assert page.locator(".body script").count() == 0 and not any(v.startswith("script-src") for v in found), found
        assert page.evaluate("() => window.__ran") is None
        assert failed == [("https://tracker.example/p.gif", "csp")] and page.eval_on_selector("#tracker", "i => i.naturalWidth") == 0
    finally:
        context.close()
        server.shutdown()
        server.server_close()


# Points of the viewport outside the body's box whose topmost element is inside the body.
COVERED_OUTSIDE = """
() => {
  const body = document.querySelector('main .body'), box = body.getBoundingClientRect(), covered = [];
  for (let y = 4; y < innerHeight; y += 16) for (let x = 4; x < innerWidth; x += 16) {
    if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) continue;
    const top = document.elementFromPoint(x, y);
    if (top && body.contains(top)) covered.push([x, y, top.tagName]);
  }
  return covered;
}
"""


def test_kept_raw_html_cannot_lay_the_themes_own_boxes_over_the_page(tmp_path, chromium_browser):
    """QA DB 1: with allow_html = true, a body wrote the theme's search list (`position: absolute;
    z-index: 3`, an opaque background) holding a link, and it covered the theme's recent changes and
    footer below the body: a click there went to another site."""
    from ..conftest import FIXTURES, compose_site, write_files

    root = compose_site(tmp_path / "goals", FIXTURES / "base")
    objective = root / "content/objectives/grow-customer-base.md"
    lines = "<br>" * 20
    write_files(root, {"okrsite.toml": (root / "okrsite.toml").read_text() + "allow_html = true\n",
                       objective.relative_to(root).as_posix(): objective.read_text()
                       + f'\n<div class="site-search"><div class="site-search-list"><a href="https://evil.example/">Sign in again</a>{lines}</div></div>\n'
                       + '<p><a class="skip" href="https://evil.example/">Skip</a></p>\n'})
    build_example(tmp_path / "site", root)
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto((tmp_path / "site/objectives/grow-customer-base/index.html").as_uri())
        page.eval_on_selector("main .body", "body => body.lastElementChild.scrollIntoView({block: 'start'})")
        assert page.evaluate(COVERED_OUTSIDE) == []
        positioned = "els => els.filter(e => getComputedStyle(e).position !== 'static').map(e => e.outerHTML.slice(0, 80))"
        assert page.eval_on_selector_all("main .body *", positioned) == []  # the `skip` link too, which takes focus over the header
    finally:
        page.close()


def test_pages_of_helper_knows_the_checked_kinds(site):
    assert all(pages_of(site, kind) for kind in CHECKED if kind not in ("alignment", "search"))


def test_a_commented_head_end_in_a_copied_base_still_draws_its_bars(tmp_path, chromium_browser):
    """A comment that mentions </head> in a theme's base.html: the moved widths still reach the bars."""
    from ..conftest import FIXTURES, compose_site, write_files

    root = compose_site(tmp_path / "goals", FIXTURES / "base")
    base = (REPO / "theme/templates/base.html").read_text(encoding="utf-8")
    write_files(root, {"theme/templates/base.html": base.replace("{% block head %}", "<!-- our links go here, before </head> -->\n{% block head %}")})
    build_example(tmp_path / "site", root)
    context = chromium_browser.new_context()
    block_external(context)
    try:
        page = context.new_page()
        page.add_init_script(RECORD)
        page.goto((tmp_path / "site/objectives/grow-customer-base/index.html").as_uri(), wait_until="load")
        bars = page.evaluate(BAR_WIDTHS)
        partly = "() => [...document.querySelectorAll('.bar[data-progress]')].some(b => b.dataset.progress > 0 && b.dataset.progress < 1)"
        assert page.evaluate(VIOLATIONS) == [] and page.evaluate(partly)  # a bar drawn full would differ
        for bar in bars:
            assert bar["fill"] == pytest.approx(bar["expected"], abs=1.5), bar
    finally:
        context.close()


SWALLOWING = ["select", "textarea", "title", "noscript", "xmp", "template", "option", "optgroup"]


def test_a_tag_left_open_in_kept_raw_html_hides_nothing_after_it(tmp_path, chromium_browser):
    """QA: with allow_html = true, a retro "The <select> for regions confused people" ended the review
    page there in Chromium: the objectives after it and the footer were gone (a `<textarea>`, `<title>`
    or `<noscript>` too). Each text is written balanced: what follows the element shows."""
    from ..conftest import FIXTURES, compose_site, write_files

    root = compose_site(tmp_path / "goals", FIXTURES / "base")
    objective = root / "content/objectives/grow-customer-base.md"
    front, body = objective.read_text().split("---\n")[1:]
    retro = 'retro: "The <select> for regions confused people; we replace it next quarter."\n'
    paragraphs = "".join(f"\nThe <{tag}> for regions.\n\nShown after {tag}.\n" for tag in SWALLOWING)
    write_files(root, {"okrsite.toml": (root / "okrsite.toml").read_text() + "allow_html = true\n",
                       objective.relative_to(root).as_posix(): f"---\n{front}{retro}---\n{body}{paragraphs}"})
    build_example(tmp_path / "site", root)
    page = chromium_browser.new_page()
    try:
        for url in ("periods/2026-q4/review/index.html", "objectives/grow-customer-base/index.html"):
            page.goto((tmp_path / "site" / url).as_uri())
            footer = page.locator("footer").first
            assert footer.is_visible() and footer.inner_text().strip() in page.inner_text("body"), url
        assert [tag for tag in SWALLOWING if f"Shown after {tag}." not in page.inner_text("body")] == []
    finally:
        page.close()
