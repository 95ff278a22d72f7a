"""The list of every KPI (kpis/, on sites of more than HOME_KPI_TILES KPIs): on a phone, and shown by
health or category and put in another order (theme/static/kpis.js; QA CL: a wall of 70 KPIs had no sort or filter). The
choice is kept in the address; without JavaScript the page is the whole table in the order of the files."""

from __future__ import annotations

import pytest

from okrsite.web.render import HOME_KPI_TILES

from .conftest import serving

# (value, category): target 100, threshold 50, higher is better: >= 100 healthy, 50..100 warning, < 50 critical
HEALTHS = [(120, "financial"), (70, "operational"), (10, "Financial"), (None, None)]
EXPECTED = ["healthy", "warning", "critical", "unknown"]


def kpi(n: int) -> str:
    value, category = HEALTHS[n % len(HEALTHS)]
    lines = [f"title: {'zyx'[n % 3]} KPI {n:02d}", f"owner: Owner {(7 * n) % 5}", "target: 100", "threshold: 50",
             "source: a test", "frequency: monthly"]
    if category:
        lines.append(f"category: {category}")
    if value is not None:
        lines.append(f"values:\n  - {{date: 2026-11-20, value: {value}}}")
    return "---\n" + "\n".join(lines) + "\n---\n"


COUNT = HOME_KPI_TILES + 4


def kpi_site(tmp_path_factory, kpis: dict[str, str]):
    """A site of the KPIs ``kpis`` (file name: text), built and served (a fixture's body)."""
    from okrsite.build import build

    from ..conftest import write_files

    root = tmp_path_factory.mktemp("kpilist")
    files = {"okrsite.toml": 'title = "KPIs"\nas_of = 2026-12-03\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
             **{f"content/kpis/{name}": text for name, text in kpis.items()}}
    assert build(write_files(root / "site", files), root / "out", cache=False).ok
    yield from serving(root / "out")


@pytest.fixture(scope="module")
def kpi_wall(tmp_path_factory):
    yield from kpi_site(tmp_path_factory, {f"k{n:02d}.md": kpi(n) for n in range(COUNT)})


PHONE = {"width": 390, "height": 800}
LONG = ("---\ntitle: Replication lag of the primary database cluster in the eu-west-{n} region\nowner: Site Reliability Engineering\n"
        "unit: seconds behind the primary\ntarget: 2\nvalues:\n  - {{date: 2026-11-20, value: 123456.75}}\n---\n")


@pytest.fixture(scope="module")
def long_kpis(tmp_path_factory):
    yield from kpi_site(tmp_path_factory, {f"k{n}.md": LONG.format(n=n) for n in range(HOME_KPI_TILES + 1)})


def test_the_kpi_list_scrolls_inside_its_box_on_a_phone(long_kpis, chromium_browser):
    """QA CL 3: on a 390 px phone the table scrolls sideways inside its own box, which takes the
    keyboard's focus, and the page itself never scrolls sideways."""
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(long_kpis.base_url + "kpis/index.html", wait_until="load")
    facts = page.evaluate("""() => {
        const box = document.querySelector('table.kpi-list').closest('.table-wrap');
        return {page: document.documentElement.scrollWidth, boxed: !!box, focusable: box ? box.tabIndex : null,
                named: box ? box.getAttribute('role') + ': ' + box.getAttribute('aria-label') : null};
    }""")
    context.close()
    assert facts == {"page": PHONE["width"], "boxed": True, "focusable": 0, "named": "region: Every KPI"}


ROWS = """() => Array.from(document.querySelectorAll('table.kpi-list tbody tr')).filter(r => !r.hidden)
    .map(r => [r.querySelector('th').textContent.trim(), r.dataset.health, r.dataset.category || ''])"""


def _open(site, browser, query="", **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(site.base_url + "kpis/index.html" + query, wait_until="load")
    return context, page


def test_without_javascript_every_kpi_in_the_order_of_the_files(kpi_wall, chromium_browser):
    context, page = _open(kpi_wall, chromium_browser, java_script_enabled=False)
    rows, form_shown = page.evaluate(ROWS), page.locator("form.kpi-filter").is_visible()
    context.close()
    assert not form_shown
    assert [r[0].split()[2] for r in rows] == [f"{n:02d}" for n in range(COUNT)]  # k00.md, k01.md, ...
    assert [r[1] for r in rows[:4]] == EXPECTED


def test_one_health_is_shown_and_the_choice_is_kept_in_the_address(kpi_wall, chromium_browser):
    context, page = _open(kpi_wall, chromium_browser)
    page.get_by_label("Health", exact=True).select_option("critical")
    rows, status, address = page.evaluate(ROWS), page.locator("#kpi-count").text_content(), page.url
    context.close()
    critical = sum(1 for n in range(COUNT) if n % len(HEALTHS) == 2)
    assert {r[1] for r in rows} == {"critical"} and len(rows) == critical
    assert status == f"{critical} of {COUNT} KPIs shown."
    assert address.endswith("kpis/index.html?health=critical")


def test_an_address_with_a_choice_opens_with_it(kpi_wall, chromium_browser):
    context, page = _open(kpi_wall, chromium_browser, "?category=financial&order=name")
    rows, chosen = page.evaluate(ROWS), page.get_by_label("Order", exact=True).input_value()
    context.close()
    assert chosen == "name"
    assert {r[2] for r in rows} == {"financial"}  # "Financial" is a category of its own: as the files write it
    names = [r[0] for r in rows]
    assert names == sorted(names) and names != sorted(names, key=lambda t: t.split()[2])  # not the files' order


def test_most_in_need_first(kpi_wall, chromium_browser):
    context, page = _open(kpi_wall, chromium_browser, "?order=need")
    rows = page.evaluate(ROWS)
    context.close()
    healths = [r[1] for r in rows]
    assert healths == sorted(healths, key=["critical", "warning", "unknown", "healthy"].index)
    criticals = [r[0] for r in rows if r[1] == "critical"]
    assert criticals == sorted(criticals, key=lambda t: t.split()[2])  # each health in the order of the files


RETIRED = "---\ntitle: Retired KPI\nowner: Owner 1\ntarget: 100\nthreshold: 50\nsource: a test\nretired: 2026-06-01\nvalues:\n  - {date: 2026-05-31, value: 10}\n---\n"


@pytest.fixture(scope="module")
def with_a_retired_kpi(tmp_path_factory):
    yield from kpi_site(tmp_path_factory, {"a-retired.md": RETIRED, **{f"k{n:02d}.md": kpi(n) for n in range(HOME_KPI_TILES)}})


def test_most_in_need_first_puts_a_retired_kpi_after_every_live_one(with_a_retired_kpi, chromium_browser):
    """QA EE: a retired KPI (`retired:`), critical by its last value, is no longer in need: it comes last."""
    context, page = _open(with_a_retired_kpi, chromium_browser, "?order=need")
    rows = page.evaluate(ROWS)
    context.close()
    assert (rows[-1][0], rows[-1][1]) == ("Retired KPI", "critical")
    assert rows[0][1] == "critical" and rows[0][0] != "Retired KPI"


def test_an_unknown_choice_in_the_address_shows_everything_and_says_so(kpi_wall, chromium_browser):
    """QA CS: a link to a category renamed since (`?category=SALES`) showed every KPI without a word."""
    context, page = _open(kpi_wall, chromium_browser, "?health=%3Cb%3E&order=nonsense")
    rows, status = page.evaluate(ROWS), page.locator("#kpi-count").text_content()
    context.close()
    assert len(rows) == COUNT and status == "No KPI has the health \u201c<b>\u201d; every KPI is shown."
    context, page = _open(kpi_wall, chromium_browser, "?health=critical&category=SALES")
    rows, status = page.evaluate(ROWS), page.locator("#kpi-count").text_content()
    context.close()
    assert {r[1] for r in rows} == {"critical"}
    assert status == f"No KPI has the category \u201cSALES\u201d; {len(rows)} of {COUNT} KPIs shown."


def test_the_page_says_the_order_it_shows(kpi_wall, chromium_browser):
    context, page = _open(kpi_wall, chromium_browser, "?order=owner")
    said = page.locator("main p.muted").first.text_content()
    page.get_by_label("Order", exact=True).select_option("")
    again = page.locator("main p.muted").first.text_content()
    context.close()
    assert said.startswith(f"All {COUNT} KPIs, by owner, A to Z;") and again.startswith(f"All {COUNT} KPIs, in the order of their files;")


def test_by_category_in_the_order_of_the_menu_each_spelling_apart(kpi_wall, chromium_browser):
    """QA CS: `Sales` and `sales` are two entries of the menu, but the order by category mixed them."""
    context, page = _open(kpi_wall, chromium_browser, "?order=category")
    rows = page.evaluate(ROWS)
    menu = page.evaluate("() => Array.from(document.querySelectorAll('#kpi-category option')).map(o => o.value).filter(Boolean)")
    context.close()
    runs = [c for n, (_, _, c) in enumerate(rows) if n == 0 or rows[n - 1][2] != c]
    assert runs == [*menu, ""]  # each category in one run, in the menu's order; those without one last


@pytest.mark.parametrize("query", ["?length=1", "?item=x", "?namedItem=x", "?constructor=x", "?toString=x",
                                   "?length=1&health=critical"])
def test_a_query_name_of_no_menu_is_ignored(kpi_wall, chromium_browser, query):
    """QA CZ 1: a name that is a property of the form's controls (`length`, `item`, `toString`) stopped
    kpis.js, and the form never appeared."""
    context, page = _open(kpi_wall, chromium_browser)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(kpi_wall.base_url + "kpis/index.html" + query, wait_until="load")
    shown = page.locator("form.kpi-filter").is_visible()
    page.get_by_label("Order", exact=True).select_option("name")
    rows, address = page.evaluate(ROWS), page.url
    context.close()
    assert errors == [] and shown
    healths = {r[1] for r in rows}
    assert healths == ({"critical"} if "health" in query else set(EXPECTED))
    assert address.endswith("kpis/index.html?" + ("health=critical&" if "health" in query else "") + "order=name")


SORTED = "() => Array.from(document.querySelectorAll('table.kpi-list thead th[aria-sort]')).map(th => [th.textContent, th.getAttribute('aria-sort')])"


def test_a_new_order_is_said_in_the_status_line_and_on_its_column_and_the_count_follows_a_filter(kpi_wall, chromium_browser):
    """QA CY (WCAG 4.1.3): a new order was never announced, no column said it was sorted, and the
    sentence over the table said "All 52 KPIs" while a filter showed 13."""
    context, page = _open(kpi_wall, chromium_browser)
    status, sentence = page.locator("#kpi-count"), page.locator("main p.muted").first
    page.get_by_label("Order", exact=True).select_option("owner")
    by_owner = status.text_content(), page.evaluate(SORTED)
    page.get_by_label("Health", exact=True).select_option("critical")
    filtered = status.text_content(), sentence.text_content()
    page.get_by_label("Order", exact=True).select_option("need")
    by_need = status.text_content(), page.evaluate(SORTED)
    page.get_by_label("Order", exact=True).select_option("")
    unsorted = status.text_content(), page.evaluate(SORTED)
    context.close()
    critical = sum(1 for n in range(COUNT) if n % len(HEALTHS) == 2)
    assert by_owner == (f"All {COUNT} KPIs shown, by owner, A to Z.", [["Owner", "ascending"]])
    assert filtered[0] == f"{critical} of {COUNT} KPIs shown." and filtered[1].startswith(f"{critical} of {COUNT} KPIs, by owner, A to Z;")
    assert by_need == (f"{critical} of {COUNT} KPIs shown, most in need first.", [["Health", "other"]])
    assert unsorted == (f"{critical} of {COUNT} KPIs shown, in the order of their files.", [])
