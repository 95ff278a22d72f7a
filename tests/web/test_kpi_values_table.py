"""A KPI page's Values table (QA CL 4): the latest 30 values in sight, every value in a <details> below
it, so that nothing is lost and the page works without JavaScript; a short series is one table."""

import html
import re
from datetime import date, timedelta

from okrsite.build import build

from ..conftest import write_files


def _kpi(count: int) -> str:
    rows = "".join(f"  - {{date: {date(2025, 1, 1) + timedelta(days=n)}, value: {n}}}\n" for n in range(count))
    return f"---\ntitle: Requests\nowner: company\nfrequency: daily\nvalues:\n{rows}---\n"


def _values_section(base_site, tmp_path, count: int) -> str:
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-12-31\n', "content/kpis/requests.md": _kpi(count)})
    result = build(base_site, tmp_path / "out")
    assert result.ok, result.report.items
    page = html.unescape((tmp_path / "out/kpis/requests/index.html").read_text())
    return re.search(r'<section aria-labelledby="values">.*?</section>', page, re.S)[0]


def _dates(table: str) -> list[str]:
    return re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td>", table)


def test_a_long_series_shows_its_latest_values_and_folds_all_of_them(base_site, tmp_path):
    section = _values_section(base_site, tmp_path, 712)
    shown, folded = section.split("<details", 1)
    assert _dates(shown) == [str(date(2025, 1, 1) + timedelta(days=n)) for n in range(711, 681, -1)]
    assert 'aria-label="Latest 30 values of Requests"' in shown
    assert re.match(r' class="all-values toggle"><summary>All 712 values</summary>', folded)
    assert len(_dates(folded)) == 712 and "</details>" in folded


def test_a_short_series_is_one_table_of_all_its_values(base_site, tmp_path):
    section = _values_section(base_site, tmp_path, 30)
    assert "<details" not in section and len(_dates(section)) == 30
    assert 'aria-label="All values of Requests"' in section
