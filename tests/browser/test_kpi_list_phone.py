"""The list of every KPI on a 390 px phone (QA CL 3): its table scrolls sideways inside its own box,
which takes the keyboard's focus, and the page itself never scrolls sideways."""

from __future__ import annotations

import pytest

from okrsite.web.render import HOME_KPI_TILES

from .conftest import serving

PHONE = {"width": 390, "height": 800}
KPI = ("---\ntitle: Replication lag of the primary database cluster in the eu-west-{n} region\nowner: Site Reliability Engineering\n"
       "unit: seconds behind the primary\ntarget: 2\nvalues:\n  - {{date: 2026-11-20, value: 123456.75}}\n---\n")


@pytest.fixture(scope="module")
def many_kpis(tmp_path_factory):
    from okrsite.build import build

    from ..conftest import write_files

    root = tmp_path_factory.mktemp("kpilist")
    files = {"okrsite.toml": 'title = "KPIs"\nas_of = 2026-12-03\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
             **{f"content/kpis/k{n}.md": KPI.format(n=n) for n in range(HOME_KPI_TILES + 1)}}
    assert build(write_files(root / "site", files), root / "out", cache=False).ok
    yield from serving(root / "out")


def test_the_kpi_list_scrolls_inside_its_box_on_a_phone(many_kpis, chromium_browser):
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(many_kpis.base_url + "kpis/index.html", wait_until="load")
    facts = page.evaluate("""() => {
        const box = document.querySelector('table.kpi-list').closest('.table-wrap');
        return {page: document.documentElement.scrollWidth, boxed: !!box, focusable: box ? box.tabIndex : null,
                named: box ? box.getAttribute('role') + ': ' + box.getAttribute('aria-label') : null};
    }""")
    context.close()
    assert facts == {"page": PHONE["width"], "boxed": True, "focusable": 0, "named": "region: Every KPI"}
