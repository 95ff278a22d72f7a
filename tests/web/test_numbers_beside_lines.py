"""A current value written beside the line it is judged against (a target, a threshold, a guardrail's
line) never reads as that line (QA CL 1: 5.001 s above a 5 s threshold was "5 s ■ critical", 99.996 %
against "at least 99.999 %" "100 % ▲ warning")."""

import html
import re

import pytest

from okrsite.build import build
from okrsite.web.render import HOME_KPI_TILES

from ..conftest import write_files

LAG = """---
title: Replication lag
owner: company
unit: s
direction: down
target: 2
threshold: 5
values:
  - {date: 2026-11-01, value: 4}
  - {date: 2026-11-20, value: 5.001}
---
Lag.
"""

AVAILABILITY = """---
title: API availability
owner: company
unit: "%"
target: "at least 99.999%"
values:
  - {date: 2026-11-20, value: 99.996}
---
Availability.
"""

OBJECTIVE = """---
title: Run a reliable platform
period: 2026-Q4
owner: company
kpis: [lag, availability]
key_results:
  - {title: Keep replication lag low, kpi: lag, keep_below: 5}
  - {title: Reach four and a half nines, start: 99, target: 99.95, current: 99.949, unit: "%"}
---
"""


@pytest.fixture
def out(base_site, tmp_path):
    others = {f"content/kpis/other-{n}.md": f"---\ntitle: Other {n}\nowner: company\n---\n" for n in range(HOME_KPI_TILES)}
    write_files(base_site, {"content/kpis/lag.md": LAG, "content/kpis/availability.md": AVAILABILITY,
                            "content/objectives/reliable.md": OBJECTIVE, **others})
    target = tmp_path / "out"
    result = build(base_site, target)
    assert result.ok, result.report.items
    return target


def _page(out, path: str) -> str:
    return html.unescape((out / path / "index.html").read_text())


def test_the_kpi_page_writes_the_value_apart_from_its_threshold_and_target(out):
    lag, availability = _page(out, "kpis/lag"), _page(out, "kpis/availability")
    assert '<span class="big">5.001 s</span>' in lag and "5.001 s on 2026-11-20" in lag
    assert '<span class="big">99.996%</span>' in availability
    assert re.search(r'class="label latest-label"[^>]*>5\.001 s<', lag) and "latest 5.001 s" in lag


def test_lists_and_tiles_write_the_value_apart_from_its_lines(out):
    for path in ("", "kpis", "periods/2026-q4/review"):
        page = _page(out, path)
        assert "5.001 s" in page and "99.996%" in page, path
        assert not re.search(r">5 s<|>100%<", page), path


def test_guardrails_and_key_results_write_the_value_apart_from_their_lines(out):
    objective, home = _page(out, "objectives/reliable"), _page(out, "")
    assert "keep at or below 5 s · <strong>now 5.001 s</strong>" in objective
    assert "now 99.949%</strong>" in objective
    assert "Keep replication lag low</a>: now 5.001 s, keep at or below 5 s" in home
