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


def test_values_that_came_with_check_ins_dated_before_the_window_are_not_said_to_have_changed_without_one(tmp_path: Path):
    """QA CP: Dee's commit made in August on a laptop whose clock said 2026-10-15, then Eve's NPS
    check-ins dated 08-17 and 09-28 and Dee's p95 1500 of 09-07. The digest of 10-12..10-18 starts from
    the goals as committed before the first commit dated in it (Dee's): NPS 20 → 33 came with Eve's two
    check-ins, which are said, with their dates, as dated before the window: not "changed without a
    check-in". A note names the commits out of order."""
    from okrsite.digest.formats import markdown

    r = GitRepo(tmp_path / "goals")
    fast = "content/objectives/fast.md"

    def faster(p95: float, nps: float) -> str:
        return ("---\ntitle: Faster\nperiod: 2026-Q3\nowner: sales\nkey_results:\n  - id: p95\n    title: Cut p95 latency\n    start: 2000\n"
                f"    target: 1000\n    current: {p95:g}\n    unit: ms\n  - id: nps\n    title: Raise NPS\n    start: 20\n    target: 40\n"
                f"    current: {nps:g}\n---\n")

    r.commit({"okrsite.toml": 'title = "Out of order"\n', "content/teams/sales.md": TEAM, fast: faster(2000, 20)}, "2026-07-01T09:00:00+00:00", "Ann Lee", "Plan")
    r.commit({fast: faster(1900, 20)}, "2026-07-13T10:00:00+00:00", "Dee Eng", "p95 1900")
    ahead = r.commit({fast: faster(1600, 20)}, "2026-10-15T10:00:00+00:00", "Dee Eng", "p95 1600")
    after = r.commit({fast: faster(1600, 28)}, "2026-08-17T10:00:00+00:00", "Eve Fox", "nps 28")
    r.commit({fast: faster(1500, 28)}, "2026-09-07T10:00:00+00:00", "Dee Eng", "p95 1500")
    r.commit({fast: faster(1500, 33)}, "2026-09-28T10:00:00+00:00", "Eve Fox", "nps 33")
    digest = make_digest(r.root, "2026-10-12", date(2026, 10, 18)).digest
    (moves,) = digest.check_ins
    said = {kr.id: ([(c.date.isoformat(), c.value, c.author) for c in kr.check_ins], [(c.date.isoformat(), c.value, c.author) for c in kr.earlier])
            for kr in moves.key_results}
    assert said == {"nps": ([], [("2026-08-17", 28, "Eve Fox"), ("2026-09-28", 33, "Eve Fox")]),
                    "p95": ([("2026-10-15", 1600, "Dee Eng")], [("2026-09-07", 1500, "Dee Eng")])}
    text = markdown(digest)
    assert "without a check-in" not in text, text
    assert "- **Raise NPS**: 20 → 33 · by Eve Fox · 2 check-ins dated before the window\n  - 2026-08-17 · 28 · Eve Fox\n" in text
    assert text.startswith("# Out of order: what changed from 2026-10-12 to 2026-10-18\n\n1 check-in on 1 objective.\n")
    assert digest.notes == (f"Commit {ahead[:7]} is dated 2026-10-15 but landed before {after[:7]}, dated 2026-08-17 (a wrong clock?): this digest "
                            "compares with the goals as committed before the window's first dated commit, and says the check-ins that landed "
                            "after it but are dated before the window apart (\"dated before the window\").",)
    quiet = make_digest(r.root, "2026-10-19", date(2026, 10, 25)).digest
    assert not quiet.changed and not quiet.notes, "the next week: both ends hold every commit, nothing out of order between them"


def test_a_week_with_only_check_ins_dated_before_it_says_so_in_its_first_sentence(tmp_path: Path):
    """A missed week checked in by hand with a date before the window, landed after this window's first
    commit: its objective moved by a check-in dated before the window, which the sentence counts apart."""
    from okrsite.digest.words import summary

    r = GitRepo(tmp_path / "goals")
    other = "content/objectives/other.md"
    r.commit({"okrsite.toml": 'title = "Out of order"\n', "content/teams/sales.md": TEAM, GROW: grow(5),
              other: one_key_result("Other", "2026-Q4", "Deals", 10, 1)}, "2026-11-02T10:00:00+00:00", "Ann Lee", "Plan")
    r.commit({other: one_key_result("Other", "2026-Q4", "Deals", 10, 2)}, "2026-11-18T10:00:00+00:00", "Bo Chen", "Deals 2")
    r.commit({GROW: grow(9)}, "2026-11-12T10:00:00+00:00", "Cy Diaz", "Users 9\n\nmeasured last week")
    digest = make_digest(r.root, "2026-11-17", date(2026, 11, 23)).digest
    assert summary(digest) == "1 check-in on 1 objective; 1 objective moved by check-ins dated before the window."
    (kr,) = next(m for m in digest.check_ins if m.objective.id == "grow").key_results
    assert (kr.before, kr.after, kr.check_ins, [(c.date, c.note) for c in kr.earlier]) == (5, 9, (), [(date(2026, 11, 12), "measured last week")])
