"""Reading with Windows' high contrast (forced colours) and with the keyboard alone (docs/site.md,
"Accessibility"): every progress bar stays visible when the browser paints the page in system
colours, and a table box focused on the review page scrolls with the arrow keys instead of moving to
the next objective."""

from __future__ import annotations

from .conftest import pages_or_skip, representative

BARS = """() => {
  const page = getComputedStyle(document.body).backgroundColor;
  const seen = el => { const s = getComputedStyle(el);
    return s.backgroundColor !== page || (parseFloat(s.borderTopWidth) > 0 && s.borderTopColor !== page); };
  const parts = [...document.querySelectorAll('.bar, .bar .fill, .bar .pace, .stacked .seg')]
    .filter(el => el.getBoundingClientRect().width > 0);
  return {count: parts.length, unseen: parts.filter(el => !seen(el)).map(el => el.className)};
}"""

# the fill must differ from the track it is drawn on, or the bar reads empty
FILL_ON_TRACK = """() => [...document.querySelectorAll('.bar')].filter(b => b.querySelector('.fill'))
  .filter(b => getComputedStyle(b.querySelector('.fill')).backgroundColor === getComputedStyle(b).backgroundColor).length"""


def test_progress_bars_stay_visible_in_forced_colours(site, chromium_browser):
    pages = ["index.html", representative(site, "objective"), pages_or_skip(site, "review")[0]]
    for scheme in ("light", "dark"):
        context = chromium_browser.new_context(forced_colors="active", color_scheme=scheme)
        page = context.new_page()
        for file in pages:
            page.goto(site.base_url + file, wait_until="load")
            bars = page.evaluate(BARS)
            assert bars["count"] and bars["unseen"] == [], (scheme, file, bars)
            assert page.evaluate(FILL_ON_TRACK) == 0, (scheme, file)
        context.close()


def test_the_arrow_keys_scroll_a_focused_table_box_on_the_review_page(site, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(site.base_url + pages_or_skip(site, "review")[0], wait_until="load")
    box = page.locator('.table-wrap[tabindex="0"]').first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the review's table no longer scrolls at 320 px"
    box.focus()
    top = page.evaluate("window.scrollY")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    facts = page.evaluate("""() => ({left: document.activeElement.scrollLeft, box: document.activeElement.classList.contains('table-wrap'),
                                     y: window.scrollY})""")
    context.close()
    assert facts["box"] and facts["left"] > 0 and facts["y"] == top, facts
