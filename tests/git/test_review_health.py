"""QA FL: a finished period's review ("KPIs at the end of 2026-Q3") showed the health a KPI's owner set
by hand after the period ended, and counted it in the review's health summary. A review shows each
KPI's health as it stood on the period's last day (SPEC §6, §16): a hand-set health counts only when
git shows a commit by then that set it."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from okrsite.build import build

from ..gitrepo import GitRepo, needs_git, shallow_clone

pytestmark = needs_git

SETTINGS = 'title = "Goals"\nas_of = 2026-11-23\n'
TEAM = "---\ntitle: Sales\n---\n"
OBJECTIVE = ("---\ntitle: Keep customers\nperiod: 2026-Q3\nowner: sales\nkpis: [churn, nps]\n"
             "key_results:\n  - {title: Calls, target: 10, current: 7}\n---\n")
REVIEW = "periods/2026-q3/review/index.html"


def churn(health: str = "") -> str:
    """No value dated by 2026-Q3's end: its health then is unknown unless one set by hand was in force."""
    return ("---\ntitle: Churn\nowner: sales\ntarget: \"< 5%\"\nfrequency: monthly\n" + health
            + "values:\n  - {date: 2026-10-31, value: 6}\n---\n")


def nps(health: str = "") -> str:
    """A value dated in 2026-Q3 that meets the target: healthy then by its values."""
    return "---\ntitle: NPS\nowner: sales\ntarget: 30\nfrequency: quarterly\n" + health + "values:\n  - {date: 2026-09-15, value: 40}\n---\n"


def page_words(path: Path) -> str:
    """A page's text as read (tags out before "&lt; 5%" is read as "< 5%"), its spaces run together."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))).split())


def built(root: Path, out: Path) -> Path:
    result = build(root, out)
    assert result.ok, result.report.items
    return out


def planned(tmp_path: Path, churn_health: str, nps_health: str) -> GitRepo:
    """The site committed on 2026-07-01, without hand-set health; each KPI's ``health:`` set on 2026-10-05."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, "content/objectives/keep.md": OBJECTIVE,
                 "content/kpis/churn.md": churn(), "content/kpis/nps.md": nps()}, "2026-07-01T10:00:00+00:00", message="Plan Q3")
    repo.commit({"content/kpis/churn.md": churn(churn_health), "content/kpis/nps.md": nps(nps_health)},
                "2026-10-05T10:00:00+00:00", message="Judge by hand")
    return repo


def test_a_review_leaves_out_a_health_set_by_hand_after_the_period_ended(tmp_path):
    """Set on 2026-10-05, after 2026-Q3 ended: the review and the finished objective's KPI tiles judge
    each KPI by its values up to 2026-09-30 (Churn: none, unknown; NPS: 40 against 30, healthy), and
    the summary counts those; the KPIs' own pages show the hand-set health of today."""
    repo = planned(tmp_path, "health: okay\n", 'health: {level: 2, reasons: ["survey late"]}\n')
    out = built(repo.root, tmp_path / "out")
    review = page_words(out / REVIEW)
    assert "Churn no value < 5% ? unknown" in review and "NPS 40 (2026-09-15) 30 ● healthy" in review
    assert "KPI health ● 1 healthy ? 1 unknown" in review
    assert "set by" not in review and "warning" not in review
    tiles = page_words(out / "objectives/keep/index.html")
    assert "Churn no value yet ? unknown target < 5%" in tiles and "set by" not in tiles
    assert "● healthy (set by Sales on 2026-10-05)" in page_words(out / "kpis/churn/index.html")
    assert "▲ warning (set by Sales on 2026-10-05)" in page_words(out / "kpis/nps/index.html")


def test_a_review_counts_a_health_set_by_hand_before_the_period_ended_with_its_day(tmp_path):
    """Churn judged healthy by hand on 2026-08-01 and critical on 2026-10-05: the review shows the one
    in force on 2026-09-30, with the day it was set; its own page today's."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, "content/objectives/keep.md": OBJECTIVE,
                 "content/kpis/churn.md": churn(), "content/kpis/nps.md": nps()}, "2026-07-01T10:00:00+00:00", message="Plan Q3")
    repo.commit({"content/kpis/churn.md": churn("health: okay\n")}, "2026-08-01T10:00:00+00:00", message="Churn fine")
    repo.commit({"content/kpis/churn.md": churn("health: critical\n")}, "2026-10-05T10:00:00+00:00", message="Churn bad")
    out = built(repo.root, tmp_path / "out")
    review = page_words(out / REVIEW)
    assert "Churn no value < 5% ● healthy (set by Sales on 2026-08-01)" in review
    assert "KPI health ● 2 healthy" in review
    assert "critical (set by Sales on 2026-10-05)" in page_words(out / "kpis/churn/index.html")


def test_a_kpi_first_committed_after_the_period_ended_has_no_hand_set_health_in_its_review(tmp_path):
    """QA FL's site: every file first committed on 2026-10-05, the health with it."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, "content/objectives/keep.md": OBJECTIVE,
                 "content/kpis/churn.md": churn("health: okay\n"), "content/kpis/nps.md": nps('health: {level: 2, reasons: ["survey late"]}\n')},
                "2026-10-05T10:00:00+00:00", message="Everything")
    review = page_words(built(repo.root, tmp_path / "out") / REVIEW)
    assert "KPI health ● 1 healthy ? 1 unknown" in review and "set by" not in review


def test_where_git_cannot_tell_when_a_health_was_set_the_review_shows_it(tmp_path):
    """Without git, for a file no commit holds yet, and in a shallow clone whose one commit came after
    the period ended, the hand-set health is shown as it is (git cannot say it came later)."""
    repo = planned(tmp_path, "health: okay\n", 'health: {level: 2, reasons: ["survey late"]}\n')
    plain = tmp_path / "plain"
    shutil.copytree(repo.root, plain, ignore=shutil.ignore_patterns(".git"))
    clone = shallow_clone(repo, tmp_path / "clone")
    new = GitRepo(tmp_path / "new")
    new.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM}, "2026-07-01T10:00:00+00:00")
    shutil.copytree(plain / "content", new.root / "content", dirs_exist_ok=True)  # the objective and KPIs not committed
    for root in (plain, clone, new.root):
        review = page_words(built(root, tmp_path / f"out-{root.name}") / REVIEW)
        assert "Churn no value < 5% ● healthy (set by Sales)" in review, root.name
        assert "KPI health ● 1 healthy ▲ 1 warning" in review, root.name
