"""The handbook-style fixture (tests/fixtures/handbook: targets in words, health set by the owner,
dashboards, HTML links in definitions) in Chromium: axe-core and the Nu checker find nothing, and the
definition's link leads to the other KPI's page."""

from __future__ import annotations

import pytest

from .conftest import REPO, built_and_served
from .test_accessibility import RUN_AXE, describe
from .test_html_validity import test_nu_checker_finds_no_error as nu_check

HANDBOOK = REPO / "tests" / "fixtures" / "handbook"


@pytest.fixture(scope="module")
def handbook_site(tmp_path_factory):
    yield from built_and_served(tmp_path_factory.mktemp("handbook") / "site", HANDBOOK)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_handbook_pages(handbook_site, scheme, axe_js, chromium_browser):
    context = chromium_browser.new_context(color_scheme=scheme, bypass_csp=True)  # axe-core is an injected inline script
    context.route(lambda url: not url.startswith(handbook_site.base_url), lambda route: route.abort())
    page = context.new_page()
    lines = []
    files = ["index.html"] + [k["url"] + "index.html" for k in handbook_site.okrs["kpis"]] + [t["url"] + "index.html" for t in handbook_site.okrs["teams"]]
    for file in files:
        page.goto(handbook_site.base_url + file, wait_until="load")
        page.add_script_tag(path=str(axe_js))
        lines += describe(file, scheme, page.evaluate(RUN_AXE))
    context.close()
    assert not lines, "\n".join(lines)


def test_nu_checker_finds_no_error_in_the_handbook_site(handbook_site, vnu_jar):
    nu_check(handbook_site, vnu_jar)


def test_a_link_in_a_definition_leads_to_its_page(handbook_site, chromium_browser):
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(handbook_site.base_url + "kpis/team-member-retention/index.html", wait_until="load")
    page.get_by_role("link", name="average location factor").click()
    page.wait_for_url("**/kpis/average-location-factor/index.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Average Location Factor"
    assert page.get_by_role("link", name="bi.example.com").get_attribute("href").startswith("https://bi.example.com/")
    context.close()
