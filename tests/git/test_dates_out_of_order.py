"""Commits whose dates are not in the order they landed (a check-in back-dated with `okrsite checkin
--date ... --commit`, a commit dated ahead): the site goes by the dates, as the as-of date does."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from okrsite.build import build, check_site

from ..gitrepo import TEAM, GitRepo, needs_git, one_key_result

pytestmark = needs_git

Q4 = "content/objectives/q4.md"
ATOM = "{http://www.w3.org/2005/Atom}"


def q4(current: float) -> str:
    return one_key_result("Ship the API", "2026-Q4", "Endpoints", 12, current)


@pytest.fixture
def backfilled(tmp_path: Path) -> GitRepo:
    """This week's check-in (3, 2026-11-20), then a missed week back-filled (2, dated 2026-11-06)."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Out of order"\n', "content/teams/sales.md": TEAM, Q4: q4(0)}, "2026-06-25T10:00:00+00:00", "Ann Lee", "Plan")
    r.commit({Q4: q4(3)}, "2026-11-20T12:00:00+00:00", "Bo Chen", "Check-in: Endpoints 0 → 3")
    r.commit({Q4: q4(2)}, "2026-11-06T12:00:00+00:00", "Cy Diaz", "Check-in: Endpoints 3 → 2")
    return r


def test_a_back_filled_check_in_is_not_the_last_one(backfilled, tmp_path):
    out = tmp_path / "out"
    assert build(backfilled.root, out, as_of=date(2026, 11, 30)).ok
    o = next(o for o in json.loads((out / "okrs.json").read_text())["objectives"] if o["id"] == "q4")
    kr = o["key_results"][0]
    assert [(h["date"], h["value"]) for h in kr["history"]] == [("2026-06-25", 0), ("2026-11-06", 2), ("2026-11-20", 3)]
    assert (kr["updated"], kr["updated_by"], kr["stale"]) == ("2026-11-20", "Bo Chen", False)
    assert (o["updated"], o["updated_by"], o["stale"]) == ("2026-11-20", "Bo Chen", False)
    # the value now is the file's `current:` (SPEC §6: it always counts), whichever commit wrote it:
    # `okrsite checkin` refuses to make such a commit (tests/test_checkin.py); a history: entry back-fills
    assert kr["current"] == 2
    page = (out / "objectives" / "q4" / "index.html").read_text()
    assert 'last check-in <time datetime="2026-11-20">2026-11-20</time> by Bo Chen' in page and "stale" not in page
    assert not [n for n in check_site(backfilled.root, date(2026, 11, 30)).report.notices if "stale" in n.message]


def test_an_uncommitted_value_is_still_the_value_now(backfilled, tmp_path):
    (backfilled.root / Q4).write_text(q4(5))
    out = tmp_path / "out"
    assert build(backfilled.root, out, as_of=date(2026, 11, 30)).ok
    o = next(o for o in json.loads((out / "okrs.json").read_text())["objectives"] if o["id"] == "q4")
    assert o["key_results"][0]["current"] == 5


def test_as_of_before_the_later_check_in_the_back_filled_one_is_the_last(backfilled, tmp_path):
    out = tmp_path / "out"
    assert build(backfilled.root, out, as_of=date(2026, 11, 10)).ok
    o = next(o for o in json.loads((out / "okrs.json").read_text())["objectives"] if o["id"] == "q4")
    kr = o["key_results"][0]
    assert (kr["current"], kr["updated"], kr["updated_by"]) == (2, "2026-11-06", "Cy Diaz")


def test_changes_page_and_feed_are_newest_first_by_date(backfilled, tmp_path):
    out = tmp_path / "out"
    assert build(backfilled.root, out, as_of=date(2026, 11, 30)).ok
    feed = ET.parse(out / "changes.xml").getroot()
    assert [e.find(f"{ATOM}updated").text[:10] for e in feed.iter(f"{ATOM}entry")] == ["2026-11-20", "2026-11-06", "2026-06-25"]
    page = (out / "changes" / "index.html").read_text()
    assert page.index("Bo Chen") < page.index("Cy Diaz") < page.index("Ann Lee")


def test_a_kpi_value_recorded_after_the_as_of_date_is_credited_to_no_one(tmp_path):
    """A value dated 2026-10-15 but committed on 2026-12-01: as of 2026-11-01 the file's value shows
    (the files are not rewound), but no commit after the as-of date recorded it on that day."""
    nps = "\n".join(["---", "title: NPS", "owner: sales", "source: survey", "frequency: monthly", "target: 40", "values:",
                     "  - {date: 2026-09-15, value: 30}"])
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Out of order"\n', "content/teams/sales.md": TEAM, "content/kpis/nps.md": nps + "\n---\n"},
             "2026-09-20T10:00:00+00:00", "Ann Lee", "NPS")
    r.commit({"content/kpis/nps.md": nps + "\n  - {date: 2026-10-15, value: 33}\n---\n"}, "2026-12-01T10:00:00+00:00", "Bo Chen", "Check-in: NPS 30 → 33")
    out = tmp_path / "out"
    assert build(r.root, out, as_of=date(2026, 11, 1)).ok
    values = json.loads((out / "okrs.json").read_text())["kpis"][0]["values"]
    assert [(v["date"], v["value"], v.get("commit") is not None, v.get("author")) for v in values] == [
        ("2026-09-15", 30, True, "Ann Lee"), ("2026-10-15", 33, False, None)]
    page = (out / "kpis" / "nps" / "index.html").read_text()
    assert "Bo Chen" not in page
    assert build(r.root, tmp_path / "later", as_of=date(2026, 12, 1)).ok
    later = json.loads((tmp_path / "later" / "okrs.json").read_text())["kpis"][0]["values"]
    assert later[-1]["author"] == "Bo Chen"


def test_a_final_value_checked_in_after_the_period_is_a_row_with_its_note(tmp_path):
    """SPEC §15: a late final value goes in with `okrsite checkin --commit --note`; its `current:`
    counts, and the site shows it as a check-in after the period's end, with the note."""
    q3 = lambda current: one_key_result("Q3 goal", "2026-Q3", "Users", 200, current, start=100)  # noqa: E731
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Late"\n', "content/teams/sales.md": TEAM, "content/objectives/q3.md": q3(150)},
             "2026-06-25T10:00:00+00:00", "Ann Lee", "Plan")
    r.commit({"content/objectives/q3.md": q3(170)}, "2026-10-05T12:00:00+00:00", "Bo Chen",
             "Check-in: Users 150 → 170\n\nfinal count from billing, late")
    out = tmp_path / "out"
    assert build(r.root, out, as_of=date(2026, 11, 30)).ok
    o = json.loads((out / "okrs.json").read_text())["objectives"][0]
    kr = o["key_results"][0]
    assert o["progress"] == 0.7 and (kr["updated"], kr["updated_by"]) == ("2026-10-05", "Bo Chen")
    assert [(h["date"], h["value"], h["note"]) for h in kr["history"]] == [
        ("2026-06-25", 150, None), ("2026-10-05", 170, "final count from billing, late")]
    page = (out / "objectives" / "q3" / "index.html").read_text()
    table = page.split("Check-ins of Users</caption>")[1].split("</table>")[0]
    assert "final count from billing, late" in table and "after 2026-Q3 ended" in table
    assert table.index("2026-10-05") < table.index("2026-06-25")
    chart = page.split('id="burnup"')[1].split("</svg>")[0] if 'id="burnup"' in page else ""
    assert "2026-10-05" not in chart  # the chart stays inside the period
