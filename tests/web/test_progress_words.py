"""What a page says of progress where there is no figure to give (a roll-up with nothing left to
measure, a KPI without a value) and of a cancelled objective, which is expected nothing (QA DP)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from okrsite.build import build

from ..conftest import write_files

TEAM = "---\ntitle: Company\nlead: Ana\n---\n"
KR = "key_results:\n  - title: K\n    start: 0\n    target: 10\n    current: {current}\n"
UNKNOWN = '<span aria-hidden="true">–</span><span class="visually-hidden">nothing left to measure</span>'


def objective(title: str, *lines: str, current: int | None = 0) -> str:
    krs = KR.format(current=current) if current is not None else ""
    return "---\n" + f"title: {title}\nperiod: 2026-Q4\nowner: company\n" + "".join(line + "\n" for line in lines) + krs + "---\n"


def built(root: Path, files: dict, as_of: str = "2026-11-23") -> Path:
    write_files(root, {"okrsite.toml": f'title = "QA"\nas_of = {as_of}\n', "content/teams/company.md": TEAM, **files})
    out = root.parent / "out"
    assert build(root, out).ok
    return out


def text(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


def map_box(page: str, objective_id: str) -> str:
    return re.search(rf'<a class="amap-node" href="[^"]*objectives/{objective_id}/index.html">.*?</a>', page).group(0)


@pytest.fixture(scope="module")
def rollup(tmp_path_factory) -> Path:
    """A roll-up whose two aligned objectives are cancelled, and a KPI with neither a value nor a target."""
    files = {
        "content/objectives/grow.md": objective("Grow", "kpis: [csat]", current=5),
        "content/objectives/rollup.md": objective("Experiments", "parent: grow", current=None),
        "content/kpis/csat.md": "---\ntitle: Satisfaction\nowner: company\ndirection: up\nfrequency: monthly\n---\n",
    }
    for n in (1, 2):
        files[f"content/objectives/c{n}.md"] = objective(f"Try {n}", "parent: rollup", "status: cancelled")
    return built(tmp_path_factory.mktemp("rollup") / "goals", files)


@pytest.mark.parametrize("url", ["", "periods/2026-q4/"])
def test_a_row_with_nothing_left_to_measure_says_so_in_words_not_a_bare_dash(rollup, url):
    """NVDA and JAWS skip an en dash at their default punctuation: the row read "Experiments, cancelled"."""
    row = re.search(r'>Experiments</a>.*?<span class="row-pct">(.*?)</span>\s*<span class="row-status">', text(rollup, url), re.S).group(1)
    assert row == UNKNOWN


def test_the_alignment_list_says_nothing_left_to_measure_in_words(rollup):
    node = re.search(r'data-objective-node="rollup">.*?</a>', text(rollup, "alignment/"), re.S).group(0)
    assert f"cancelled</span> · {UNKNOWN} · Company" in node


def test_a_map_box_with_nothing_left_to_measure_draws_no_bar(rollup):
    """The box drew an empty track (read as 0 %) though such a roll-up has no bar anywhere else."""
    box = map_box(text(rollup, "alignment/"), "rollup")
    assert "amap-track" not in box and "amap-fill" not in box and "amap-pace" not in box
    assert '<text class="amap-pct" x="132" y="206">nothing left to measure</text>' in box


def test_the_review_s_kpi_table_says_no_value_and_no_target_in_words(rollup):
    row = re.search(r"<tr><th scope=\"row\"><a [^>]*>Satisfaction</a></th>.*?</tr>", text(rollup, "periods/2026-q4/review/")).group(0)
    assert "<td>no value yet</td>" in row
    assert '<td><span aria-hidden="true">–</span><span class="visually-hidden">no target</span></td>' in row


def test_a_closed_review_s_average_grade_of_a_kind_with_none_graded_says_so(tmp_path):
    out = built(tmp_path / "goals", {"content/objectives/grow.md": objective("Grow", current=5)}, as_of="2027-01-10")
    review = text(out, "periods/2026-q4/review/")
    assert 'aspirational: <strong><span aria-hidden="true">–</span><span class="visually-hidden">none graded</span></strong>' in review
    assert "committed: <strong>0.50</strong>" in review


@pytest.fixture(scope="module")
def cancelled(tmp_path_factory) -> Path:
    files = {"content/objectives/try.md": objective("Try it", "status: cancelled"),
             "content/objectives/grow.md": objective("Grow", current=5)}
    return built(tmp_path_factory.mktemp("cancelled") / "goals", files)


def test_a_cancelled_objective_s_bars_say_cancelled_and_no_expected_pace(cancelled):
    """Its bar and its key result's said "0 %, expected 59 % by now" before the word "cancelled"."""
    page = text(cancelled, "objectives/try/")
    assert re.findall(r'aria-valuetext="([^"]*)"', page) == ["0 %, cancelled", "0 %, cancelled"]
    assert 'class="pace"' not in page
    assert "<strong>0 %</strong> done · cancelled: no progress is expected of it" in page
    row = re.search(r'>Try it</a>.*?</div>', text(cancelled, ""), re.S).group(0)
    assert 'aria-valuetext="0 %, cancelled"' in row and 'class="pace"' not in row


def test_a_cancelled_objective_has_no_expected_pace_in_the_review_nor_on_the_map(cancelled):
    review = re.search(r'data-objective="try".*?</article>', text(cancelled, "periods/2026-q4/review/"), re.S).group(0)
    assert "expected" not in review
    assert re.findall(r'aria-valuetext="([^"]*)"', review) == ["0 %, cancelled"]
    alignment = text(cancelled, "alignment/")
    assert "amap-pace" not in map_box(alignment, "try") and "amap-pace" in map_box(alignment, "grow")


def test_a_cancelled_objective_s_chart_has_no_pace(tmp_path):
    """Its burn-up chart drew the dashed pace to the goal and said "against an expected 59 %"."""
    kr = "key_results:\n  - title: K\n    start: 0\n    target: 10\n    history:\n      - {date: 2026-10-20, value: 3}\n"
    page = text(built(tmp_path / "goals", {"content/objectives/try.md": objective("Try it", "status: cancelled", kr.rstrip("\n"), current=None)}),
                "objectives/try/")
    chart = re.search(r'<svg[^>]*class="[^"]*burnup.*?</svg>', page, re.S).group(0)
    assert 'class="dot"' in chart and 'class="pace"' not in chart
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart, re.S).group(1)
    assert "against an expected" not in desc and "cancelled: no progress is expected of it" in desc
