"""A Hebrew or Arabic title or unit moves no number beside it (QA DG): a check-in from 150 to 170 on
a Hebrew key result is drawn "150 → 170" on the Changes page and its objective's "Recent changes",
and an Arabic unit leaves the date after it as written (2026-11-01, not 01-11-2026)."""

from __future__ import annotations

import pytest

from okrsite.goals.checkin import CheckIn

from ..gitrepo import GitRepo, needs_git

KR = "לקוחות חדשים"
OBJECTIVE = "---\ntitle: הגדלת המכירות בישראל\nperiod: 2026-Q4\nowner: israel\nkey_results:\n" \
            "  - title: לקוחות חדשים\n    target: 200\n    current: {current}\n    unit: לקוחות\n---\n"
KPI = "---\ntitle: الإيرادات الشهرية\nowner: israel\nunit: ريال\ntarget: 500\nvalues:\n  - {date: 2026-11-01, value: 450}\n---\n"

# Where the first place of each needle is drawn ([left, top]) in the element whose text holds them all.
DRAWN_AT = """
([selector, needles]) => {
  const holder = [...document.querySelectorAll(selector)].find(e => needles.every(n => e.textContent.includes(n)));
  const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
  const found = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const needle of needles) {
      const at = node.data.indexOf(needle);
      if (at >= 0 && !(needle in found)) {
        const range = document.createRange(); range.setStart(node, at); range.setEnd(node, at + needle.length);
        const rect = range.getBoundingClientRect(); found[needle] = [rect.left, rect.top];
      }
    }
  }
  return needles.map(n => found[n]);
}
"""


@pytest.fixture(scope="module")
def rtl_site(tmp_path_factory):
    from okrsite.build import build

    root = tmp_path_factory.mktemp("rtl")
    repo = GitRepo(root / "site")
    repo.commit({"okrsite.toml": 'title = "Acme"\nas_of = 2026-11-23\n', "content/teams/israel.md": "---\ntitle: Israel\n---\n",
                 "content/objectives/sales-il.md": OBJECTIVE.format(current=150), "content/kpis/revenue.md": KPI}, "2026-11-10T10:00:00+00:00")
    subject = CheckIn("content/objectives/sales-il.md", "", KR, 150, 170, "לקוחות", "", "kr").message()
    repo.commit({"content/objectives/sales-il.md": OBJECTIVE.format(current=170)}, "2026-11-20T10:00:00+00:00", message=subject)
    result = build(repo.root, root / "out", cache=False)
    assert result.ok, result.report.items
    return root / "out"


def _drawn_at(chromium_browser, page_file, selector, needles):
    context = chromium_browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        return page.evaluate(DRAWN_AT, [selector, needles])
    finally:
        context.close()


@needs_git
@pytest.mark.parametrize("page,selector", [
    ("changes/index.html", ".changes ul li"),
    ("changes/index.html", ".change-head"),
    ("objectives/sales-il/index.html", ".changes ul li"),
])
def test_a_check_in_on_a_hebrew_key_result_reads_in_the_order_it_happened(chromium_browser, rtl_site, page, selector):
    before, after = _drawn_at(chromium_browser, rtl_site / page, selector, ["150", "170"])
    assert before[1] == after[1] and before[0] < after[0]


@needs_git
def test_an_arabic_unit_leaves_the_date_of_a_kpi_tile_as_written(chromium_browser, rtl_site):
    year, day = _drawn_at(chromium_browser, rtl_site / "index.html", ".tile p.muted", ["2026", "-01"])
    assert year[1] == day[1] and year[0] < day[0]
