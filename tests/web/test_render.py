"""Pages as rendered: how numbers are written (full or compact, per site, KPI or key result)."""

import html
import json
from pathlib import Path

from okrsite.build import build

from ..conftest import write_files

KPI = """---
title: Annual recurring revenue
owner: company
unit: "$"
target: 30000000
threshold: 20000000
source: Finance
{format}values:
  - {{date: 2026-10-31, value: 21000000}}
  - {{date: 2026-11-20, value: 24300000}}
---
ARR.
"""

OBJECTIVE = """---
title: Grow the customer base
period: 2026-Q4
owner: company
kpis: [mrr]
key_results:
  - title: Reach $30M in annual recurring revenue
    kpi: mrr
    start: 12000000
    target: 30000000
  - title: Sign 40,000 new seats
    target: 40000
    current: 31000
    unit: seats
{kr_format}  - title: Keep incidents at one or fewer
    start: 5
    target: 1
    current: 1
    unit: incidents
---
Why it matters.
"""


def site(base_site: Path, settings: str = "", kpi_format: str = "", kr_format: str = "") -> Path:
    write_files(base_site, {
        "okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n' + settings,
        "content/kpis/mrr.md": KPI.format(format=kpi_format),
        "content/objectives/grow-customer-base.md": OBJECTIVE.format(kr_format=kr_format),
    })
    return base_site


def pages(root: Path, tmp_path: Path) -> tuple[str, str, str, dict]:
    """The KPI page, the objective page and the dashboard as text (entities unescaped), and okrs.json."""
    out = tmp_path / "out"
    result = build(root, out)
    assert result.ok, result.report.items
    read = lambda rel: html.unescape((out / rel).read_text())  # noqa: E731
    return read("kpis/mrr/index.html"), read("objectives/grow-customer-base/index.html"), read("index.html"), json.loads((out / "okrs.json").read_text())


def test_full_numbers_by_default_with_the_currency_sign_first(base_site, tmp_path):
    kpi, objective, home, _ = pages(site(base_site), tmp_path)
    assert '<span class="big">$24,300,000</span>' in kpi and "target $30,000,000" in kpi
    assert "now 31,000 seats" in objective and "$12,000,000" in objective


def test_compact_setting_shortens_headlines_tiles_charts_and_facts(base_site, tmp_path):
    kpi, objective, home, okrs = pages(site(base_site, 'number_format = "compact"\n'), tmp_path)
    assert '<span class="big">$24.3M</span>' in kpi
    assert "<dd>$30M (higher is better)</dd>" in kpi and "<dd>$20M</dd>" in kpi
    assert 'class="label latest-label"' in kpi and ">$24.3M</text>" in kpi and ">target $30M</text>" in kpi
    assert "<td>$24,300,000</td>" in kpi  # the values table keeps every digit
    assert "2026-11-20: $24,300,000</title>" in kpi  # and so does a dot's tooltip
    assert '<p class="tile-value">$24.3M</p>' in home and "target $30M" in home
    assert "start $12M" in objective and "now $24.3M" in objective and "now 31k seats" in objective
    mrr = okrs["kpis"][0]
    assert (mrr["current"], mrr["target"], mrr["values"][-1]["value"]) == (24300000, 30000000, 24300000)  # okrs.json: raw numbers


def test_a_kpi_or_key_result_format_wins_over_the_site(base_site, tmp_path):
    kpi, objective, _, _ = pages(site(base_site, kpi_format="format: compact\n"), tmp_path)
    assert '<span class="big">$24.3M</span>' in kpi
    assert "now $24.3M" in objective  # a key result follows its linked KPI
    assert "now 31,000 seats" in objective  # the others, the site
    kpi, objective, _, _ = pages(site(base_site, 'number_format = "compact"\n', kr_format="    format: full\n"), tmp_path)
    assert "now 31,000 seats" in objective and "now $24.3M" in objective


def test_one_of_a_plural_unit_is_singular_on_the_page(base_site, tmp_path):
    _, objective, _, _ = pages(site(base_site), tmp_path)
    assert "now 1 incident</strong>" in objective and "start 5 incidents" in objective


def test_a_period_with_many_objectives_has_one_page_per_owner_linked_both_ways(example_copy, tmp_path, monkeypatch):
    """At scale a period's page would be several MB (10,000 objectives: 6 MB): above PERIOD_PAGE_LIMIT
    objectives it lists the owners, each owner's objectives of the period have a page of their own, and
    an objective's page links to that page; every link on every page still leads to a file."""
    import re
    from urllib.parse import urlsplit

    from okrsite.web import render

    monkeypatch.setattr(render, "PERIOD_PAGE_LIMIT", 6)  # the example's 2026-Q4 has 9 objectives, 2026-Q3 6
    out = tmp_path / "out"
    assert build(example_copy, out, cache=False).ok
    period = (out / "periods/2026-q4/index.html").read_text()
    owners = re.findall(r'<li><a href="../../periods/2026-q4/((?:teams|people)/[^"]+)index.html">', period)
    assert "By owner" in period and len(owners) >= 3 and 'class="rows"' not in period
    part = (out / "periods/2026-q4/teams/platform/index.html").read_text()
    assert "<h1>2026-Q4: Platform</h1>" in part and 'aria-current="page">Platform</a>' in part
    listed = re.findall(r'class="row-title" href="../../../../objectives/([^/]+)/index.html"', part)
    assert listed and all(re.search(r"\nowner: platform\n", (next(example_copy.glob(f"content/objectives/*/{ident}.md"))).read_text()) for ident in listed)
    page = (out / f"objectives/{listed[0]}/index.html").read_text()
    assert '<dt>Period</dt><dd><a href="../../periods/2026-q4/teams/platform/index.html">2026-Q4</a>' in page
    assert "2026-q3" not in {p.name for p in (out / "periods").iterdir() if (p / "teams").exists()}  # a small period stays whole
    for html_file in out.rglob("*.html"):
        for link in re.findall(r'href="([^"#]+)', html_file.read_text()):
            if not urlsplit(link).scheme:
                assert (html_file.parent / link).resolve().is_file(), (html_file, link)
