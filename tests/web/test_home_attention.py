"""The dashboard's "Needs attention" covers every period running on the as-of date, not only the current one
(SPEC §12: a breached guardrail is listed there), each item of another period marked with it."""

import html
import json
import re

from okrsite.build import build

from ..conftest import write_files

YEAR = """---
title: Profitable growth in 2026
period: 2026
owner: company
key_results:
  - {title: Open 5 shops, target: 5, current: 4}
  - {title: Keep gross margin at or above 60%, keep_above: 60, current: 51, unit: "%"}
---
"""

QUARTER = """---
title: Quarter objective {n}
period: 2026-Q4
owner: company
parent: year
key_results:
  - {{title: x, target: 10, current: {current}}}
---
"""


def _attention(root, tmp_path) -> str:
    out = tmp_path / "out"
    result = build(root, out)
    assert result.ok, result.report.items
    page = html.unescape((out / "index.html").read_text())
    found = re.search(r'<section aria-labelledby="attention".*?</section>', page, re.S)
    return found[0] if found else ""


def _behind(root, tmp_path, period: str) -> int:
    okrs = json.loads((tmp_path / "out/okrs.json").read_text())
    return sum(o["period"] == period and o["status"] in ("off-track", "at-risk") for o in okrs["objectives"])


def test_a_breached_guardrail_of_a_year_running_beside_the_current_quarter_needs_attention(base_site, tmp_path):
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/year.md": YEAR,
                            **{f"content/objectives/q{n}.md": QUARTER.format(n=n, current=6) for n in (1, 2)}})
    attention = _attention(base_site, tmp_path)
    assert "<h3>Guardrails breached</h3>" in attention
    assert re.search(r'<a href="objectives/year/index.html#[^"]+" dir="auto">Keep gross margin at or above 60%</a>: now 51%, keep at or above 60%'
                     r' <span class="muted">· Profitable growth in 2026 · <a href="periods/2026/index.html">2026</a></span>', attention)
    # the year's objective is at-risk (the breach): listed with its period, which the current quarter's are not
    assert re.search(r'Profitable growth in 2026</a>.*?<span class="row-owner">.*?<a href="periods/2026/index.html">2026</a></span>', attention, re.S)


def test_the_current_periods_objectives_come_first_and_are_not_marked_with_their_period(base_site, tmp_path):
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/year.md": YEAR,
                            **{f"content/objectives/q{n}.md": QUARTER.format(n=n, current=0) for n in (1, 2)}})
    attention = _attention(base_site, tmp_path)
    rows = re.findall(r'<a class="row-title" href="objectives/([^/]+)/index.html" dir="auto">', attention)
    assert rows[:2] == ["q1", "q2"] and "year" in rows[2:]
    assert "periods/2026-q4/index.html" not in attention.split("Forecast to fall short")[0]


def test_more_than_twelve_of_a_period_leave_room_for_the_others_and_link_to_the_rest(base_site, tmp_path):
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/year.md": YEAR,
                            **{f"content/objectives/q{n:02}.md": QUARTER.format(n=n, current=0) for n in range(1, 15)}})
    attention = _attention(base_site, tmp_path)
    rows = re.findall(r'<a class="row-title" href="objectives/([^/]+)/index.html" dir="auto">', attention)
    assert len([r for r in rows if r.startswith("q")]) == 12 and "year" in rows
    left_out = _behind(base_site, tmp_path, "2026-Q4") - 12
    assert left_out >= 2 and f'<a href="periods/2026-q4/index.html">{left_out} more off-track or at-risk objectives in 2026-Q4</a>' in attention


def test_live_preview_shows_a_guardrail_of_another_running_period_breached_by_a_save(base_site, tmp_path):
    """The dashboard's digest (render.page_digest) follows the objectives of every running period, not only the current one's."""
    from okrsite.preview.state import Project

    held = YEAR.replace("current: 51", "current: 65")
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/year.md": held,
                            **{f"content/objectives/q{n}.md": QUARTER.format(n=n, current=6) for n in (1, 2)}})
    project = Project(base_site)
    assert project.rebuild(open_pages={"index.html"}).ok
    assert "gross margin" not in project.file("index.html").decode()
    year = write_files(base_site, {"content/objectives/year.md": YEAR}) / "content/objectives/year.md"
    assert project.rebuild([year], open_pages={"index.html"}).ok
    assert "Keep gross margin at or above 60%</a>: now 51%" in html.unescape(project.file("index.html").decode())


def test_the_day_after_a_quarter_its_breached_guardrail_reads_final_as_on_its_page(base_site, tmp_path):
    """An ended period's figures are final (docs/objectives.md): the dashboard does not say "now"
    where the objective's page says "final 51%"."""
    guarded = YEAR.replace("period: 2026\n", "period: 2026-Q4\n")
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2027-01-01\n', "content/objectives/year.md": guarded})
    attention = _attention(base_site, tmp_path)
    assert "Keep gross margin at or above 60%</a>: final 51%, keep at or above 60%" in attention
    page = html.unescape((tmp_path / "out/objectives/year/index.html").read_text())
    assert "<strong>final 51%</strong>" in page


def test_the_kpi_tiles_show_the_critical_first_then_warnings_each_in_the_site_s_order(tmp_path):
    """QA BY: the one critical KPI of 40 was the 37th tile, the tiles in the order of their files."""
    def kpi(title, value):
        return f"---\ntitle: {title}\nowner: company\nsource: BI\ntarget: 100\nthreshold: 80\nvalues: [{{date: 2026-11-20, value: {value}}}]\n---\n"
    root = write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "Tiles"\nas_of = 2026-11-23\ngit_history = false\n', "content/teams/company.md": "---\ntitle: Co\n---\n",
        "content/kpis/a-fine.md": kpi("Fine one", 120), "content/kpis/b-soso.md": kpi("So-so one", 90),
        "content/kpis/c-fine.md": kpi("Fine two", 101), "content/kpis/d-bad.md": kpi("Bad one", 10)})
    out = tmp_path / "out"
    assert build(root, out).ok
    tiles = (out / "index.html").read_text().split('<div class="tiles">')[1].split("</div>\n")[0]
    assert re.findall(r'<article class="tile health-edge-(\w+)">', tiles) == ["critical", "warning", "healthy", "healthy"]
    titles = [t for t in ("Bad one", "So-so one", "Fine one", "Fine two") if t in tiles]
    assert sorted(titles, key=tiles.index) == ["Bad one", "So-so one", "Fine one", "Fine two"]
