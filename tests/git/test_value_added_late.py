"""A KPI value dated inside a finished period and first committed after it ended, which a key result of
that period ends on (numbers.compute.value_added_after_end): it counts (SPEC §6), and is said where the
quarter is graded, as a late correction is (QA FK)."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

from okrsite.build import build

from ..gitrepo import GitRepo, needs_git

pytestmark = needs_git

TEAM = "---\ntitle: Co\n---\n"
UPTIME = ("---\ntitle: API uptime\nowner: co\nunit: \"%\"\ntarget: 99.9\nthreshold: 99.5\nfrequency: weekly\nsource: status page\n"
          "values:\n{values}---\n")
WEEKS = "  - {date: 2026-09-27, value: 99.7}\n  - {date: 2026-10-04, value: 99.8}\n"
RELIABLE = ("---\ntitle: Reliable\nperiod: 2026-Q3\nowner: co\nkpis: [uptime]\nkey_results:\n  - title: Incidents\n    target: 10\n"
            "    current: 5\n  - title: Keep uptime at or above 99.5%\n    keep_above: 99.5\n    kpi: uptime\n---\n")
ADDED = "value of 2026-09-29 added on 2026-10-27 (after 2026-Q3 ended)"


def built(repo: GitRepo, out: Path, as_of: date):
    result = build(repo.root, out, as_of=as_of)
    assert result.ok, result.report.items
    return result, json.loads((out / "okrs.json").read_text())


def text_of(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.unescape(page.read_text())))


def late_notices(result) -> list:
    return [d for d in result.report.notices if "after 2026-Q" in d.message or "after 2026-Q" in d.hint]


def test_a_kpi_value_added_after_the_quarter_ended_is_said_where_the_quarter_is_graded(tmp_path):
    """QA FK: a weekly uptime value of 2026-09-29 added on 10-27 turned the Q3 guardrail's "final 99.7% ✔ held"
    into "final 99.3% ✖ breached" with no word anywhere. It still counts; the key result's row on the
    objective page and on the review, okrs.json's added_late and a notice of `check` say it. The values the
    goals were first committed with, after the quarter, are none: nothing moved."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"content/teams/co.md": TEAM, "content/kpis/uptime.md": UPTIME.format(values=WEEKS), "content/objectives/o.md": RELIABLE},
             "2026-10-04T12:00:00+00:00", "A", "Q3 closed")
    result, data = built(r, tmp_path / "before", date(2026, 10, 5))
    assert "added on" not in text_of(tmp_path / "before/periods/2026-q3/review/index.html") and late_notices(result) == []
    assert "added_late" not in data["objectives"][0]["key_results"][1]
    late = WEEKS.replace("99.7}\n", "99.7}\n  - {date: 2026-09-29, value: 99.3}\n")
    r.commit({"content/kpis/uptime.md": UPTIME.format(values=late)}, "2026-10-27T12:00:00+00:00", "A", "late figure for Sep 29")
    result, data = built(r, tmp_path / "after", date(2026, 10, 27))
    review = text_of(tmp_path / "after/periods/2026-q3/review/index.html")
    assert "final 99.3%" in review and "✖ breached" in review and ADDED in review
    assert ADDED in text_of(tmp_path / "after/objectives/o/index.html")
    kr = data["objectives"][0]["key_results"][1]
    assert (kr["current"], kr["added_late"]) == (99.3, {"date": "2026-09-29", "on": "2026-10-27", "awaited": None})
    [notice] = late_notices(result)
    assert (notice.file, notice.line, notice.timed) == ("content/objectives/o.md", 12, False)
    assert notice.message == ("key result 'Keep uptime at or above 99.5%' of 2026-Q3 ends on the value of 2026-09-29 of KPI 'uptime', "
                              "added on 2026-10-27, after 2026-Q3 ended: its final numbers count it")
    assert "give it that date in content/kpis/uptime.md" in notice.hint


MRR = "---\ntitle: MRR\nowner: co\nsource: billing\nfrequency: monthly\ntarget: 200\ndata: data/mrr.csv\n---\n"
GROW = "---\ntitle: Grow\nperiod: 2026-Q1\nowner: co\nkey_results:\n  - {title: Grow MRR, kpi: mrr, start: 100, target: 200}\n---\n"


def mrr_repo(root: Path) -> GitRepo:
    r = GitRepo(root)
    r.commit({"content/teams/co.md": TEAM, "content/kpis/mrr.md": MRR, "data/mrr.csv": "date,value\n2026-01-31,100\n",
              "content/objectives/grow.md": GROW}, "2026-02-02T10:00:00+00:00")
    return r


def test_the_month_end_value_a_provisional_quarter_awaited_is_its_arrival_said_without_alarm(tmp_path):
    """closing-a-quarter.md: March's MRR comes days after 2026-Q1 ended, and the quarter awaits it, its grade
    provisional. Its arrival is what was expected: the key result says which value it is, okrs.json names
    it, and `check` has no notice of it."""
    r = mrr_repo(tmp_path / "goals")
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n2026-03-31,150\n"}, "2026-04-03T10:00:00+00:00")
    result, data = built(r, tmp_path / "out", date(2026, 4, 10))
    page = text_of(tmp_path / "out/objectives/grow/index.html")
    assert "value of 2026-03-31 added on 2026-04-03 (the March 2026 value awaited)" in page and "after 2026-Q1 ended" not in page
    assert data["objectives"][0]["key_results"][0]["added_late"] == {"date": "2026-03-31", "on": "2026-04-03", "awaited": "March 2026"}
    assert data["objectives"][0]["grade"] == 0.5 and late_notices(result) == []


def test_a_month_end_value_added_once_the_quarter_awaited_it_no_more_is_news(tmp_path):
    """April's MRR came in first: March's was awaited no more (awaited.no_longer_to_come), and 2026-Q1's
    grades were final. March's, added after it, moves them: said as any value added late, with a notice."""
    r = mrr_repo(tmp_path / "goals")
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n2026-04-30,170\n"}, "2026-05-01T10:00:00+00:00")
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n2026-03-31,150\n2026-04-30,170\n"}, "2026-05-04T10:00:00+00:00")
    result, data = built(r, tmp_path / "out", date(2026, 5, 10))
    assert "value of 2026-03-31 added on 2026-05-04 (after 2026-Q1 ended)" in text_of(tmp_path / "out/objectives/grow/index.html")
    assert data["objectives"][0]["key_results"][0]["added_late"] == {"date": "2026-03-31", "on": "2026-05-04", "awaited": None}
    [notice] = late_notices(result)
    assert notice.message.startswith("key result 'Grow MRR' of 2026-Q1 ends on the value of 2026-03-31 of KPI 'mrr', added on 2026-05-04")


def test_a_kpi_value_corrected_after_the_quarter_ended_gets_a_notice_too(tmp_path):
    """The late correction the pages already said (QA EJ) is said by `check` as the late addition is."""
    r = mrr_repo(tmp_path / "goals")
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n2026-03-31,150\n"}, "2026-03-31T10:00:00+00:00")
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n2026-03-31,190\n"}, "2026-06-01T10:00:00+00:00")
    result, data = built(r, tmp_path / "out", date(2026, 6, 2))
    assert "added_late" not in data["objectives"][0]["key_results"][0]
    [notice] = late_notices(result)
    assert notice.message == ("key result 'Grow MRR' of 2026-Q1 ends on the value of 2026-03-31 of KPI 'mrr', corrected on 2026-06-01, "
                              "after 2026-Q1 ended: its final numbers count it")
    assert notice.hint.startswith("nothing to fix if the correction is right")
