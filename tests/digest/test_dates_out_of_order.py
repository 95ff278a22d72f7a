"""The digest when commits do not land in date order: each end agrees with `okrsite build --as-of` that day."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from okrsite.build import build
from okrsite.digest.model import make_digest

from ..gitrepo import TEAM, GitRepo, kpi, needs_git, one_key_result

pytestmark = needs_git

GROW = "content/objectives/grow.md"
MRR = "content/kpis/mrr.md"


def grow(current: float) -> str:
    return one_key_result("Grow", "2026-Q4", "Users", 100, current)


def test_a_commit_dated_after_the_window_hides_none_of_the_check_ins_in_it(tmp_path: Path):
    """A KPI value committed with the date 2026-12-02, then key result check-ins dated 11-20 and 11-25:
    the build as of 11-30 counts both check-ins; so does the digest of the window ending that day."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Out of order"\n', "content/teams/sales.md": TEAM, GROW: grow(0),
              MRR: kpi("  - {date: 2026-09-30, value: 41000}")}, "2026-09-28T10:00:00+00:00", "Ann Lee", "Plan")
    r.commit({MRR: kpi("  - {date: 2026-09-30, value: 41000}\n  - {date: 2026-10-31, value: 43000}")},
             "2026-12-02T10:00:00+00:00", "Cy Diaz", "MRR October")
    r.commit({GROW: grow(40)}, "2026-11-20T12:00:00+00:00", "Ann Lee", "Check-in: Users 0 → 40\n\nbig week")
    r.commit({GROW: grow(60)}, "2026-11-25T12:00:00+00:00", "Bo Chen", "Check-in: Users 40 → 60")
    out = tmp_path / "out"
    assert build(r.root, out, as_of=date(2026, 11, 30)).ok
    built = json.loads((out / "okrs.json").read_text())["objectives"][0]
    assert (built["progress"], built["updated"]) == (0.6, "2026-11-25")

    result = make_digest(r.root, "2026-11-17", date(2026, 11, 30))
    assert result.digest is not None, result.report.items
    (moves,) = result.digest.check_ins
    assert (moves.progress_before, moves.progress_after) == (0.0, built["progress"])
    (kr,) = moves.key_results
    assert (kr.before, kr.after) == (0, 60)
    assert [(c.date, c.value, c.author, c.note) for c in kr.check_ins] == [
        (date(2026, 11, 20), 40, "Ann Lee", "big week"), (date(2026, 11, 25), 60, "Bo Chen", "")]
    assert not result.digest.stale  # checked in on 11-25: not "no check-in for 63 days"


def test_a_check_in_dated_back_into_the_window_s_start_still_counts_the_week(tmp_path: Path):
    """A check-in of the window (11-19) and then one dated back before it (11-12, committed after it):
    the window's start is not the back-dated commit, which holds the week's check-in already."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Out of order"\n', "content/teams/sales.md": TEAM, GROW: grow(5)}, "2026-11-10T10:00:00+00:00", "Ann Lee", "Plan")
    r.commit({GROW: grow(8)}, "2026-11-19T12:00:00+00:00", "Bo Chen", "Check-in: Users 5 → 8")
    r.commit({GROW: grow(7)}, "2026-11-12T12:00:00+00:00", "Cy Diaz", "Check-in: Users 8 → 7")
    result = make_digest(r.root, "2026-11-17", date(2026, 11, 23))
    (moves,) = result.digest.check_ins
    (kr,) = moves.key_results
    assert kr.before == 5 and [(c.date, c.value) for c in kr.check_ins] == [(date(2026, 11, 19), 8)]
