"""What git history shows on the site: freshness, check-ins, burn-up, edit links, changes page and feed."""

import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from okrsite.build import build
from okrsite.goals.diagnostics import Report
from okrsite.goals.config import load_settings
from okrsite.preview.state import Project

from ..conftest import write_files
from ..gitrepo import SETTINGS, TEAM, GitRepo, kpi, needs_git, objective, one_key_result, shallow_clone

pytestmark = needs_git

OBJ = "content/objectives/reduce-churn.md"
OTHER = "content/objectives/open-europe.md"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """reduce-churn is checked in weekly; open-europe was last touched on 2026-10-20 (34 days before as_of)."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective(current=10),
              OTHER: objective("Open the European market", current=40), "content/kpis/mrr.md": kpi("  - {date: 2026-09-30, value: 41000}")},
             "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({OTHER: objective("Open the European market", current=55)}, "2026-10-20T09:00:00+00:00", "Bo Chen", "Europe check-in")
    for day, value in ((8, 20), (22, 35), (29, 45)):
        r.commit({OBJ: objective(current=value)}, f"2026-10-{day:02d}T09:00:00+00:00", "Ann Lee", "Weekly check-in")
    r.commit({OBJ: objective(current=60).replace("current: 4.6", "current: 4.2")}, "2026-11-12T09:00:00+00:00", "Cy Diaz", "Churn down")
    r.commit({OBJ: objective(current=60, done=True).replace("current: 4.6", "current: 4.2")}, "2026-11-16T09:00:00+00:00", "Ann Lee", "Pricing page live")
    r.commit({OTHER: objective("Open the European market", current=55, status="at-risk")}, "2026-11-17T09:00:00+00:00", "Bo Chen", "Flag Europe")
    r.commit({"content/kpis/mrr.md": kpi("  - {date: 2026-09-30, value: 41000}\n  - {date: 2026-10-31, value: 43500}")},
             "2026-11-18T09:00:00+00:00", "Cy Diaz", "MRR October")
    return r


def built(repo: GitRepo, tmp_path: Path, settings: str = "") -> tuple[Path, dict]:
    if settings:
        (repo.root / "okrsite.toml").write_text(SETTINGS + settings)
    out = tmp_path / "out"
    result = build(repo.root, out)
    assert result.ok, result.report.items
    return out, json.loads((out / "okrs.json").read_text())


def objective_json(data: dict, ident: str) -> dict:
    return next(o for o in data["objectives"] if o["id"] == ident)


def test_okrs_json_has_check_ins_updated_and_stale(repo, tmp_path):
    _, data = built(repo, tmp_path)
    churn = objective_json(data, "reduce-churn")
    assert (churn["updated"], churn["updated_by"], churn["stale"]) == ("2026-11-16", "Ann Lee", False)
    kr = churn["key_results"][0]
    assert [(h["date"], h["value"], h["source"]) for h in kr["history"]] == [
        ("2026-10-01", 10, "git"), ("2026-10-08", 20, "git"), ("2026-10-22", 35, "git"), ("2026-10-29", 45, "git"), ("2026-11-12", 60, "git"),
    ]
    assert all(len(h["commit"]) == 7 and h["author"] for h in kr["history"])
    assert [h["value"] for h in churn["key_results"][2]["history"]] == [1]  # added not done (no check-in), then done
    europe = objective_json(data, "open-europe")
    # status: at-risk changed no number, so Europe's last check-in is still 2026-10-20
    assert (europe["updated"], europe["updated_by"], europe["stale"]) == ("2026-10-20", "Bo Chen", True)
    assert [kr["stale"] for kr in europe["key_results"]] == [True, True, True]
    mrr = data["kpis"][0]
    assert (mrr["updated"], mrr["updated_by"]) == ("2026-11-18", "Cy Diaz")
    assert mrr["values"][-1]["author"] == "Cy Diaz"


def test_git_check_ins_make_the_forecast(repo, tmp_path):
    """SPEC §11: check-ins from git are points of the forecast like written ones."""
    out, data = built(repo, tmp_path)
    churn = objective_json(data, "reduce-churn")
    accounts = churn["key_results"][0]  # start 0, target 100; commits: 10-01: 10 (replaces the start), 10-08: 20,
    # 10-22: 35, 10-29: 45, 11-12: 60 -> d = 0, 7, 21, 28, 42; mean d = 98/5, mean y = 34
    # Sxx = 5586/5, Sxy = 1323 -> b = 45/38 = 1.18421; a = 34 - 45/38 * 98/5 = 205/19 = 10.789
    # value = 205/19 + 91 * 45/38 = 4505/38 = 118.553 -> progress 1.0 (clamped)
    assert accounts["forecast"] == {"value": pytest.approx(118.553, abs=1e-3), "progress": 1, "points": 5, "date": "2026-12-31"}
    # start 5, target 3; commits: 10-01: 4.6 (replaces the start), 11-12 (d=42): 4.2 -> b = -0.4/42
    # value = 4.6 - 91 * 0.4/42 = 3.7333 -> progress (3.7333 - 5) / (3 - 5) = 0.633
    assert churn["key_results"][1]["forecast"] == {"value": pytest.approx(3.733, abs=1e-3), "progress": pytest.approx(0.633, abs=1e-3), "points": 2, "date": "2026-12-31"}
    assert churn["key_results"][2]["forecast"] == {"value": None, "progress": 1, "points": 0, "date": "2026-12-31"}  # done since 11-16
    assert churn["forecast"] == {"progress": pytest.approx((1 + 0.6333 + 1) / 3, abs=1e-3), "status": "at-risk", "date": "2026-12-31"}  # 0.878: gap 0.122
    page = (out / "objectives" / "reduce-churn" / "index.html").read_text()
    assert 'class="forecast"' in page and "straight lines through 7 check-ins of 2 key results" in page


def test_stale_after_days_decides_and_an_ended_period_is_never_stale(repo, tmp_path):
    _, data = built(repo, tmp_path, "stale_after_days = 40\n")
    assert objective_json(data, "open-europe")["stale"] is False
    _, data = built(repo, tmp_path, "stale_after_days = 2\n")
    assert objective_json(data, "reduce-churn")["stale"] is True
    out = build(repo.root, tmp_path / "later", as_of=date(2027, 1, 15))
    assert out.ok
    later = json.loads((tmp_path / "later" / "okrs.json").read_text())
    assert not any(o["stale"] for o in later["objectives"])


def test_an_achieved_key_result_is_never_stale(repo, tmp_path):
    _, data = built(repo, tmp_path, "stale_after_days = 2\n")
    done = objective_json(data, "reduce-churn")["key_results"][2]
    assert done["progress"] == 1 and done["stale"] is False


def test_stale_objectives_are_badged_listed_and_never_green(repo, tmp_path):
    (repo.root / OTHER).write_text(objective("Open the European market", current=55, status="on-track"))  # claimed, uncommitted
    out, data = built(repo, tmp_path)
    europe = objective_json(data, "open-europe")
    assert europe["status"] == "on-track" and europe["stale"] is True
    home = (out / "index.html").read_text()
    assert "Not updated for 2 weeks" in home
    listed = home.split('id="stale"')[1].split("</section>")[0]
    assert "Open the European market" in listed and "Reduce churn" not in listed
    assert "last check-in 2026-10-20 by Bo Chen (4 weeks ago)" in listed
    page = (out / "objectives" / "open-europe" / "index.html").read_text()
    assert "on-track (stale)" in page and 'class="badge status-stale"' in page
    assert 'class="badge status-on-track"' not in page  # silence is never green
    assert "no number changed for more than 14 days" in page
    fresh = (out / "objectives" / "reduce-churn" / "index.html").read_text()
    assert "stale" not in fresh.split("<main")[1].split("Recent changes")[0].replace("status-stale", "")


def test_burn_up_chart_uses_git_check_ins(repo, tmp_path):
    out, _ = built(repo, tmp_path)
    page = (out / "objectives" / "reduce-churn" / "index.html").read_text()
    chart = page.split('id="burnup"')[1]
    # one point per check-in date inside the period, then today: 7 points in the chart's data table
    for day in ("2026-10-01", "2026-10-08", "2026-10-22", "2026-10-29", "2026-11-12", "2026-11-16", "2026-11-23"):
        assert day in chart, day


def test_check_in_table_names_author_and_commit(repo, tmp_path):
    out, _ = built(repo, tmp_path)
    page = (out / "objectives" / "reduce-churn" / "index.html").read_text()
    short = repo.git("log", "-1", "--format=%h", "--abbrev=7", "--until=2026-11-13", "--", OBJ).strip()
    assert f"Cy Diaz <code>{short}</code>" in page
    assert "last check-in <time datetime=\"2026-11-16\">2026-11-16</time> by Ann Lee" in page


def test_changes_page_sums_up_each_commit_in_words(repo, tmp_path):
    out, _ = built(repo, tmp_path)
    page = (out / "changes" / "index.html").read_text()
    for text in (
        'Monthly recurring revenue: 43,500 USD on <span class="nowrap">2026-10-31</span>',  # a date kept whole on a line
        "Open the European market: status set to at-risk",
        "Reduce churn › Publish the pricing page (KR 3): done",
        "Reduce churn › Reduce monthly churn (KR 2): 4.6% → 4.2%",
        "Reduce churn › Grow accounts (KR 1): 45 → 60",
        "Open the European market › Grow accounts (KR 1): 40 → 55",
        "New objective: Open the European market (2026-Q4)",
        "New KPI: Monthly recurring revenue",
    ):
        assert text in page, text
    assert page.index("Monthly recurring revenue: 43,500") < page.index("status set to at-risk") < page.index("New KPI")
    objective_page = (out / "objectives" / "open-europe" / "index.html").read_text()
    assert "Recent changes" in objective_page and "status set to at-risk" in objective_page
    recent = objective_page.split('id="recent"')[1]
    assert "Reduce churn" not in recent
    # on its own objective's page a key result's change does not repeat the objective's title
    assert "<li>Grow accounts (KR 1): 40 → 55</li>" in recent and "Open the European market ›" not in recent


def test_changes_page_is_cut_at_fifty_commits_and_ignores_other_files(repo, tmp_path):
    for n in range(55):
        repo.commit({OBJ: objective(current=61 + n)}, f"2026-11-{19 + n // 20}T{n % 20:02d}:00:00+00:00")
    repo.commit({"content/teams/sales.md": TEAM + "Edited.\n"}, "2026-11-22T10:00:00+00:00", message="Team only")
    out, _ = built(repo, tmp_path)
    feed = ET.parse(out / "changes.xml").getroot()
    entries = feed.findall(ATOM + "entry")
    assert len(entries) == 50
    assert entries[0].find(ATOM + "title").text == "Reduce churn › Grow accounts (KR 1): 114 → 115"
    assert all("Team only" not in ET.tostring(e, encoding="unicode") for e in entries)


def test_atom_feed_is_well_formed_with_ids_dates_authors_and_links(repo, tmp_path):
    out, _ = built(repo, tmp_path, 'site_url = "https://okrs.example.com/"\n')
    feed = ET.parse(out / "changes.xml").getroot()
    assert feed.tag == ATOM + "feed"
    assert feed.find(ATOM + "id").text.startswith("urn:uuid:")
    assert feed.find(ATOM + "updated").text == "2026-11-18T09:00:00+00:00"
    entries = feed.findall(ATOM + "entry")
    assert len(entries) == 9 and len({e.find(ATOM + "id").text for e in entries}) == 9
    first = entries[0]
    assert first.find(ATOM + "author/" + ATOM + "name").text == "Cy Diaz"
    assert first.find(ATOM + "link").get("href") == "https://okrs.example.com/kpis/mrr/"
    assert first.find(ATOM + "summary").text.startswith("Monthly recurring revenue: 43,500 USD on 2026-10-31")
    home = (out / "index.html").read_text()
    assert '<link rel="alternate" type="application/atom+xml"' in home and 'href="changes.xml"' in home


def test_feed_escapes_what_people_write(repo, tmp_path):
    repo.commit({OBJ: objective("Win <script>alert(1)</script> & more", current=70)}, "2026-11-20T10:00:00+00:00", message="<b>bold</b>")
    out, _ = built(repo, tmp_path)
    feed = ET.parse(out / "changes.xml").getroot()
    assert "Win <script>alert(1)</script> & more" in feed.find(ATOM + "entry/" + ATOM + "title").text
    page = (out / "changes" / "index.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&lt;b&gt;bold" in page


@pytest.mark.parametrize("settings, edit, history", [
    ('repo_url = "https://github.com/acme/goals"\n',
     "https://github.com/acme/goals/edit/main/content/objectives/reduce-churn.md",
     "https://github.com/acme/goals/commits/main/content/objectives/reduce-churn.md"),
    ('repo_url = "https://gitlab.com/acme/goals/"\n',
     "https://gitlab.com/acme/goals/-/edit/main/content/objectives/reduce-churn.md",
     "https://gitlab.com/acme/goals/-/commits/main/content/objectives/reduce-churn.md"),
    ('repo_url = "https://github.com/acme/goals"\nedit_uri = "edit/trunk/"\n',
     "https://github.com/acme/goals/edit/trunk/content/objectives/reduce-churn.md",
     "https://github.com/acme/goals/commits/main/content/objectives/reduce-churn.md"),
    ('repo_url = "https://code.acme.internal/goals"\nedit_uri = "src/branch/main/"\nhistory_uri = "https://code.acme.internal/goals/log/main/"\n',
     "https://code.acme.internal/goals/src/branch/main/content/objectives/reduce-churn.md",
     "https://code.acme.internal/goals/log/main/content/objectives/reduce-churn.md"),
])
def test_edit_and_history_links(repo, tmp_path, settings, edit, history):
    out, _ = built(repo, tmp_path, settings)
    page = (out / "objectives" / "reduce-churn" / "index.html").read_text()
    assert f'<a href="{edit}" rel="nofollow">Edit this page</a>' in page
    assert f'<a href="{history}" rel="nofollow">History</a>' in page
    assert "/kpis/mrr.md" in (out / "kpis" / "mrr" / "index.html").read_text()


def test_other_hosts_get_no_guessed_links(repo, tmp_path):
    out, _ = built(repo, tmp_path, 'repo_url = "https://code.acme.internal/goals"\n')
    assert "Edit this page" not in (out / "objectives" / "reduce-churn" / "index.html").read_text()


def test_edit_links_include_the_sites_folder_in_the_repository(tmp_path):
    r = GitRepo(tmp_path / "mono")
    r.commit({"goals/okrsite.toml": SETTINGS + 'repo_url = "https://github.com/acme/mono"\n', "goals/content/teams/sales.md": TEAM,
              "goals/" + OBJ: objective()}, "2026-10-02T10:00:00+00:00")
    assert build(r.root / "goals", tmp_path / "out").ok
    page = (tmp_path / "out" / "objectives" / "reduce-churn" / "index.html").read_text()
    assert "https://github.com/acme/mono/edit/main/goals/content/objectives/reduce-churn.md" in page


@pytest.mark.parametrize("line", [
    'repo_url = "javascript:alert(1)"', 'repo_url = "github.com/acme"', 'edit_uri = "javascript:alert(1)//"',
    'history_uri = "data:text/html,x"', 'site_url = "ftp://x"', 'edit_uri = "edit main/"',
])
def test_link_settings_must_be_web_addresses(tmp_path, line):
    (tmp_path / "okrsite.toml").write_text(line + "\n")
    report = Report()
    load_settings(tmp_path, report)
    assert [d.line for d in report.errors] == [1], report.items


def test_live_preview_picks_up_a_new_commit_and_equals_a_full_build(repo, tmp_path):
    project = Project(repo.root)
    assert project.rebuild().ok
    before = project.file("okrs.json")
    repo.commit({OBJ: objective(current=80)}, "2026-11-21T10:00:00+00:00", "Bo Chen", "Big week")
    result = project.rebuild([repo.root / OBJ])
    assert result.ok and "objectives/reduce-churn/index.html" in result.changed and "changes/index.html" in result.changed
    data = json.loads(project.file("okrs.json"))
    assert objective_json(data, "reduce-churn")["updated_by"] == "Bo Chen"
    assert project.file("okrs.json") != before
    assert build(repo.root, tmp_path / "full").ok
    full = {p.relative_to(tmp_path / "full").as_posix(): p.read_bytes() for p in (tmp_path / "full").rglob("*") if p.is_file()}
    full.pop(".okrsite-output", None)
    assert project.snapshot() == full


def test_a_kpi_that_keeps_only_its_latest_value_gets_its_chart_from_history(tmp_path):
    r = GitRepo(tmp_path / "one-value")
    base = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective()}
    for month, value in ((8, 41000), (9, 42500), (10, 44000)):
        r.commit({**base, "content/kpis/mrr.md": kpi(f"  - {{date: 2026-{month:02d}-30, value: {value}}}")}, f"2026-{month + 1:02d}-02T09:00:00+00:00", "Cy Diaz")
    out, data = built(r, tmp_path)
    values = data["kpis"][0]["values"]
    assert [(v["date"], v["value"], v["source"]) for v in values] == [
        ("2026-08-30", 41000, "git"), ("2026-09-30", 42500, "git"), ("2026-10-30", 44000, "file"),
    ]
    assert data["kpis"][0]["current"] == 44000
    page = (out / "kpis" / "mrr" / "index.html").read_text()
    assert "replaced in the file since" in page and page.count("<circle") >= 3


def test_a_value_kept_from_history_is_as_the_commits_up_to_the_as_of_date_wrote_it(tmp_path):
    """A latest-value-only KPI whose October value was corrected after the as-of date: as of then, the
    value committed by then, by its author (history.md: commits after the as-of date are ignored)."""
    r = GitRepo(tmp_path / "corrected")
    base = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective()}
    for when, who, day, value in (("2026-10-03", "Ann Lee", "09-30", 20), ("2026-11-02", "Bo Chen", "10-31", 19),
                                  ("2026-11-04", "Cy Diaz", "10-31", 17), ("2026-12-02", "Cy Diaz", "11-30", 16)):
        r.commit({**base, "content/kpis/mrr.md": kpi(f"  - {{date: 2026-{day}, value: {value}}}")}, f"{when}T09:00:00+00:00", who)
    def as_of(day: date) -> dict:
        assert build(r.root, tmp_path / "out", as_of=day).ok
        return json.loads((tmp_path / "out" / "okrs.json").read_text())

    data = as_of(date(2026, 11, 3))
    values = data["kpis"][0]["values"]
    assert [(v["date"], v["value"], v["author"]) for v in values] == [("2026-09-30", 20, "Ann Lee"), ("2026-10-31", 19, "Bo Chen")]
    assert data["kpis"][0]["current"] == 19
    assert [(v["date"], v["value"], v["author"]) for v in as_of(date(2026, 12, 5))["kpis"][0]["values"]] == [
        ("2026-09-30", 20, "Ann Lee"), ("2026-10-31", 17, "Cy Diaz"), ("2026-11-30", 16, "Cy Diaz")]


def test_a_cancelled_objective_and_its_key_results_are_never_stale(repo, tmp_path):
    repo.commit({OTHER: objective("Open the European market", current=55, status="cancelled")}, "2026-11-19T09:00:00+00:00", "Bo Chen")
    _, data = built(repo, tmp_path, "stale_after_days = 2\n")
    europe = objective_json(data, "open-europe")
    assert europe["stale"] is False and not any(kr["stale"] for kr in europe["key_results"])


def test_a_key_result_following_a_kpi_is_as_fresh_as_the_kpi(tmp_path):
    """A monthly KPI recorded 20 days ago is on time; the key result that follows it is not stale."""
    r = GitRepo(tmp_path / "follows")
    follower = objective().replace("    current: 5\n", "    kpi: mrr\n")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: follower,
              "content/kpis/mrr.md": kpi("  - {date: 2026-10-31, value: 40}")}, "2026-11-03T09:00:00+00:00", "Cy Diaz")
    _, data = built(r, tmp_path)
    krs = objective_json(data, "reduce-churn")["key_results"]
    assert krs[0]["kpi"] == "mrr" and krs[0]["updated"] == "2026-11-03" and krs[0]["stale"] is False
    assert krs[1]["stale"] is True  # its own number, untouched for 20 days
    assert objective_json(data, "reduce-churn")["stale"] is True
    (r.root / "content/kpis/mrr.md").write_text(kpi("  - {date: 2026-10-31, value: 40}").replace("frequency: monthly", "frequency: weekly"))
    _, weekly = built(r, tmp_path)
    assert objective_json(weekly, "reduce-churn")["key_results"][0]["stale"] is True  # 23 days > 2 weeks


def test_a_kpi_value_recorded_before_its_follower_was_added_is_no_check_in_of_it(tmp_path):
    """QA: a follower carried into 2027-Q1 on 2027-01-06 showed "last check-in 2026-11-03 by Elena
    Petrova (12 weeks ago)", its KPI's last commit, on the dashboard, its page and in okrs.json: a
    value recorded before the key result existed is the start it was written from. It is quiet since
    the commit that added it, and still as stale as its KPI; the KPI's next value is its check-in."""
    r = GitRepo(tmp_path / "carried")
    r.commit({"okrsite.toml": SETTINGS.replace("2026-11-23", "2027-01-27"), "content/teams/sales.md": TEAM,
              "content/kpis/mrr.md": kpi("  - {date: 2026-10-31, value: 40}")}, "2026-11-03T09:00:00+00:00", "Elena Petrova")
    follower = one_key_result("Grow revenue", "2027-Q1", "Reach 60 MRR", 60, 40, start=40).replace("    current: 40\n", "    kpi: mrr\n")
    r.commit({OBJ: follower}, "2027-01-06T09:00:00+00:00", "Ann Lee", "Carry over 2026-Q4")
    out, data = built(r, tmp_path)
    grow = objective_json(data, "reduce-churn")
    assert (grow["updated"], grow["key_results"][0]["updated"], grow["stale"], grow["key_results"][0]["stale"]) == (None, None, True, True)
    home = (out / "index.html").read_text()
    assert "Grow revenue</a> <span class=\"muted\">· Sales · no check-in since 2027-01-06</span>" in home and "2026-11-03" not in home
    assert "no check-in on record" in (out / "objectives/reduce-churn/index.html").read_text()
    r.commit({"content/kpis/mrr.md": kpi("  - {date: 2026-10-31, value: 40}\n  - {date: 2026-12-31, value: 45}")}, "2027-01-20T09:00:00+00:00", "Elena Petrova")
    _, later = built(r, tmp_path)
    assert [objective_json(later, "reduce-churn")[key] for key in ("updated", "updated_by")] == ["2027-01-20", "Elena Petrova"]


def test_a_depth_one_clone_does_not_call_anything_stale(repo, tmp_path):
    clone = tmp_path / "depth1"
    import subprocess
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True, env=repo.env)
    out = tmp_path / "out1"
    assert build(clone, out).ok
    data = json.loads((out / "okrs.json").read_text())
    assert not any(o["stale"] for o in data["objectives"])


def test_history_summary_counts_in_words(tmp_path):
    from okrsite.git.read import history_note
    from okrsite.git.history import History

    one = History({}, (), (object(),), False, date(2026, 10, 1), "", "x")
    assert history_note(one) == "History: 1 commit since 2026-10-01"
    assert history_note(History({}, (), (), False, None, "", "x")) == "History: no commit has touched the goals yet"


@needs_git
def test_a_repository_without_a_commit_yet_says_so_in_the_build_summary(tmp_path):
    """QA BI: a build right after `okrsite init` (git init, no commit) said nothing of the history,
    where docs/cli.md promises "no commit has touched the goals yet"; outside git it says nothing."""
    from ..conftest import FIXTURES, compose_site

    unborn = GitRepo(tmp_path / "unborn")
    compose_site(unborn.root, FIXTURES / "base")
    assert build(unborn.root, tmp_path / "out1").history == "History: no commit has touched the goals yet"
    assert build(unborn.root, tmp_path / "out2", cache=False).history == "History: no commit has touched the goals yet"
    plain = compose_site(tmp_path / "plain", FIXTURES / "base")
    assert build(plain, tmp_path / "out3").history == ""
    (unborn.root / "okrsite.toml").write_text((unborn.root / "okrsite.toml").read_text() + "git_history = false\n")
    assert build(unborn.root, tmp_path / "out4").history == ""


def test_changes_page_says_when_history_is_turned_off(repo, tmp_path):
    out, _ = built(repo, tmp_path, "git_history = false\n")
    assert "git_history = false" in (out / "changes" / "index.html").read_text()


def test_feed_summary_ends_with_the_commit_on_its_own_line(repo, tmp_path):
    out, _ = built(repo, tmp_path)
    summary = ET.parse(out / "changes.xml").getroot().find(ATOM + "entry/" + ATOM + "summary").text
    assert summary.splitlines()[-1].startswith("(MRR October, ")


def test_edit_links_keep_the_sites_folder_with_history_off(tmp_path):
    r = GitRepo(tmp_path / "mono")
    r.commit({"goals/okrsite.toml": SETTINGS + 'repo_url = "https://github.com/acme/mono"\ngit_history = false\n',
              "goals/content/teams/sales.md": TEAM, "goals/" + OBJ: objective()}, "2026-10-02T10:00:00+00:00")
    assert build(r.root / "goals", tmp_path / "out").ok
    page = (tmp_path / "out" / "objectives" / "reduce-churn" / "index.html").read_text()
    assert "https://github.com/acme/mono/edit/main/goals/content/objectives/reduce-churn.md" in page


def test_feed_stays_xml_whatever_the_titles_and_subjects_hold(repo, tmp_path):
    repo.commit({OBJ: objective('"Win\\fback\\u0001trust"', current=70)}, "2026-11-20T10:00:00+00:00", "Bo\x7fChen", "")
    out, _ = built(repo, tmp_path)
    entry = ET.parse(out / "changes.xml").getroot().find(ATOM + "entry")
    assert entry.find(ATOM + "title").text.startswith("Reduce churn renamed to “Winbacktrust”")
    assert entry.find(ATOM + "summary").text.splitlines()[-1] == "(" + repo.git("rev-parse", "--short=7", "HEAD").strip() + ")"


def test_the_404_page_links_hold_at_any_depth_with_site_url(repo, tmp_path):
    """Absolute links, no <base>: "Skip to content" (#main) stays on the page at whatever address it is served."""
    out, _ = built(repo, tmp_path, 'site_url = "https://okrs.example.com/goals/"\n')
    page = (out / "404.html").read_text()
    assert '<link rel="stylesheet" href="https://okrs.example.com/goals/style.css">' in page
    assert '<a href="https://okrs.example.com/goals/index.html">Dashboard</a>' in page
    assert '<a class="skip" href="#main">' in page and "<base" not in page
    assert 'href="style.css"' in (out / "index.html").read_text()
    out2, _ = built(repo, tmp_path / "plain", "\n")  # settings without site_url
    assert 'href="style.css"' in (out2 / "404.html").read_text()


def test_control_characters_never_reach_a_page(repo, tmp_path):
    repo.commit({OBJ: objective('"Reduce\\fchurn\\u0085now"', current=70, body="Why\x0b it\x1b matters.")}, "2026-11-20T10:00:00+00:00", "Bo\x1bChen", "Fix\x07it")
    out, data = built(repo, tmp_path)
    assert objective_json(data, "reduce-churn")["title"] == "Reducechurn\nnow"  # a NEL is a line break, as YAML reads it (QA DN 4)
    for page in ("objectives/reduce-churn/index.html", "changes/index.html", "index.html"):
        text = (out / page).read_text()
        assert not any(ord(c) < 32 and c not in "\t\n\r" or 0x7f <= ord(c) <= 0x9f for c in text), page



def test_a_unit_or_owner_of_a_past_version_is_cleaned_on_the_changes_page(repo, tmp_path):
    """QA DL 3: a change line read `unit:` and `owner:` raw from the file's past versions: a unit's U+2069
    closed its <bdi> early and left a U+202E after it, and an owner's BEL reached the page."""
    odd_unit = kpi("  - {date: 2026-09-30, value: 41000}").replace("unit: USD", 'unit: "\\u05e9\\u2069\\u202e"')
    repo.commit({"content/kpis/mrr.md": odd_unit}, "2026-11-19T09:00:00+00:00")
    repo.commit({"content/kpis/mrr.md": odd_unit.replace("target: 50000", "target: 60000"),
                 OBJ: objective(current=70).replace("owner: sales", 'owner: "Bob\\u2069\\u202e\\x07"')}, "2026-11-20T09:00:00+00:00")
    out, _ = built(repo, tmp_path)
    for page in ("changes/index.html", "kpis/mrr/index.html", "objectives/reduce-churn/index.html"):
        text = (out / page).read_text()
        assert not re.search("[\x07\u202a-\u202e]", text), page
    text = (out / "changes/index.html").read_text()
    assert "Monthly recurring revenue: target 50,000 → 60,000 <bdi>\u05e9</bdi></a>" in text and "Reduce churn: owner Sales → Bob</a>" in text


# --- A finished period is frozen (SPEC §6); a commit that repeats the written history is no check-in

Q3 = "content/objectives/q3-accounts.md"
KPI = "content/kpis/mrr.md"


def q3_objective(current: int | None, history: str = "") -> str:
    lines = ["---", "title: Open accounts in Q3", "period: 2026-Q3", "owner: sales", "key_results:",
             "  - title: Open 100 accounts", "    target: 100"]
    lines += [f"    current: {current}"] if current is not None else []
    lines += ["    history:", history] if history else []
    lines += ["  - title: Grow MRR to 50k", "    kpi: mrr", "    start: 40000", "    target: 50000"]
    return "\n".join(lines + ["---", ""])


@pytest.fixture
def q3_repo(tmp_path: Path) -> GitRepo:
    """Q3 ends on 2026-09-30: weekly commits inside it, then commits and KPI values after it."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, Q3: q3_objective(10),
              KPI: kpi("  - {date: 2026-07-31, value: 42000}")}, "2026-07-06T09:00:00+00:00", "Ann Lee", "Plan Q3")
    r.commit({Q3: q3_objective(40)}, "2026-08-10T09:00:00+00:00", "Ann Lee", "Check-in")
    r.commit({KPI: kpi("  - {date: 2026-07-31, value: 42000}\n  - {date: 2026-09-30, value: 47000}")},
             "2026-10-03T09:00:00+00:00", "Cy Diaz", "MRR September")
    r.commit({Q3: q3_objective(60, "      - {date: 2026-10-20, value: 75}")}, "2026-10-12T09:00:00+00:00", "Bo Chen", "Final count")
    r.commit({KPI: kpi("  - {date: 2026-07-31, value: 42000}\n  - {date: 2026-09-30, value: 47000}\n  - {date: 2026-10-31, value: 49500}")},
             "2026-11-04T09:00:00+00:00", "Dee Ray", "MRR October")
    r.commit({Q3: q3_objective(60, "      - {date: 2026-10-20, value: 75}\n      - {date: 2026-11-09, value: 80}")},
             "2026-11-10T09:00:00+00:00", "Eve Hart", "Keep counting after the quarter")
    return r


def q3_json(repo: GitRepo, tmp_path: Path, as_of: date) -> dict:
    out = tmp_path / f"out-{as_of}"
    assert build(repo.root, out, as_of=as_of).ok
    return objective_json(json.loads((out / "okrs.json").read_text()), "q3-accounts")


def test_commits_and_kpi_values_after_the_end_do_not_move_a_finished_grade(q3_repo, tmp_path):
    for as_of in (date(2026, 10, 15), date(2026, 11, 23)):
        o = q3_json(q3_repo, tmp_path, as_of)
        accounts, mrr = o["key_results"]
        assert (accounts["current"], accounts["progress"]) == (60, 0.6)  # current: 60, written after the end, counts
        assert [(h["date"], h["value"], h["author"]) for h in accounts["history"]] == [  # the final count, late, is listed too
            ("2026-07-06", 10, "Ann Lee"), ("2026-08-10", 40, "Ann Lee"), ("2026-10-12", 60, "Bo Chen")]
        assert (mrr["current"], mrr["progress"]) == (47000, 0.7)  # not 2026-10-31's 49,500
        assert (o["progress"], o["grade"]) == (0.65, 0.65)
        assert (mrr["updated"], mrr["updated_by"]) == ("2026-10-03", "Cy Diaz")  # who recorded the value it counts
        assert (accounts["updated"], accounts["updated_by"]) == ("2026-10-12", "Bo Chen")  # set the final current; Eve's entries are Q4's
        out = tmp_path / f"out-{as_of}"
        page = (out / "objectives" / "q3-accounts" / "index.html").read_text().split('id="recent"')[0]
        assert "2026-10-12 <span class=\"muted\">(after 2026-Q3 ended)</span></td> <td>60</td> <td>Bo Chen <code>" in page
        assert "2026-10-20" not in page and "49,500" not in page and "Eve Hart" not in page
        chart = page.split('id="burnup"')[1]
        assert "<title>2026-09-30: 65 %</title>" in chart and "2026-10-" not in chart.split("</svg>")[0]


def test_an_import_that_repeats_the_written_history_is_no_check_in(tmp_path):
    r = GitRepo(tmp_path / "goals")
    written = "\n".join(["---", "title: Grow accounts", "period: 2026", "owner: sales", "key_results:",
                         "  - title: Open 100 accounts", "    target: 100", "    current: {current}", "    history:",
                         "      - {{date: 2026-06-30, value: 30}}", "      - {{date: 2026-09-30, value: 45}}", "---", ""])
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: written.format(current=45)},
             "2026-10-06T09:00:00+00:00", "Importer", "Import the goals")
    out, data = built(r, tmp_path)
    kr = objective_json(data, "reduce-churn")["key_results"][0]
    assert (kr["updated"], kr["updated_by"]) == ("2026-09-30", None)
    assert [(h["date"], h["source"]) for h in kr["history"]] == [("2026-06-30", "file"), ("2026-09-30", "file")]
    page = (out / "objectives" / "reduce-churn" / "index.html").read_text()
    assert "Importer" not in page.split("<main")[1].split('id="recent"')[0]
    r.commit({OBJ: written.format(current=50)}, "2026-10-20T09:00:00+00:00", "Bo Chen", "Check-in")
    out, data = built(r, tmp_path)
    kr = objective_json(data, "reduce-churn")["key_results"][0]
    assert (kr["updated"], kr["updated_by"]) == ("2026-10-20", "Bo Chen")
    assert [(h["date"], h["value"], h["author"]) for h in kr["history"]][-1] == ("2026-10-20", 50, "Bo Chen")
    assert "Importer" not in json.dumps(kr)


def test_a_stale_objective_is_a_notice_in_check_and_build_alike(repo, tmp_path, capsys):
    from okrsite.build import check_site
    from okrsite.cli import main

    notice = ("content/objectives/open-europe.md:6: notice: stale objective: its numbers have not changed for 34 days "
              "(check in a value for its key results (a new current: or history entry), or set 'status:' to achieved, missed or cancelled if it is settled)")
    assert main(["check", str(repo.root), "--strict"]) == 0
    assert notice in capsys.readouterr().err.splitlines()
    assert main(["build", str(repo.root), "-o", str(tmp_path / "out"), "--strict"]) == 0
    assert notice in capsys.readouterr().err.splitlines()
    assert check_site(repo.root).report.notices == build(repo.root, tmp_path / "again").report.notices != []
    assert main(["check", str(repo.root), "--fail-on-stale"]) == 1
    assert notice.replace(": notice: ", ": error: ") in capsys.readouterr().err.splitlines()


# --- Two check-ins on the same day: the later commit is the last check-in

PARENT = "content/objectives/grow.md"


@pytest.mark.parametrize("first, second", [("Ann Lee", "Bo Chen"), ("Bo Chen", "Ann Lee")])
def test_of_two_check_ins_the_same_day_the_later_commit_is_the_last(tmp_path, first, second):
    """A score keeps the date, not the commit: the place in the history decides, for the objective
    (its key results), for okrs.json and for the roll-up objective above it."""
    r = GitRepo(tmp_path / "goals")
    parent = "---\ntitle: Grow the business\nperiod: 2026-Q4\nowner: sales\n---\n"
    churn = objective(current=10).replace("owner: sales", "owner: sales\nparent: grow")
    europe = objective("Open the European market", current=40).replace("owner: sales", "owner: sales\nparent: grow")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, PARENT: parent, OBJ: churn, OTHER: europe},
             "2026-10-01T09:00:00+00:00", "Dee Ray", "Plan Q4")
    r.commit({OBJ: churn.replace("current: 10", "current: 20")}, "2026-11-20T09:00:00+00:00", first, "Accounts")
    r.commit({OBJ: churn.replace("current: 10", "current: 20").replace("current: 4.6", "current: 4.4")},
             "2026-11-20T17:00:00+00:00", second, "Churn")
    r.commit({OTHER: europe.replace("current: 40", "current: 50")}, "2026-11-21T09:00:00+00:00", first, "Europe")
    r.commit({OTHER: europe.replace("current: 40", "current: 50").replace("current: 4.6", "current: 4.5")},
             "2026-11-21T08:00:00+00:00", second, "Europe churn")  # a later commit with an earlier time
    out, data = built(r, tmp_path)
    o = objective_json(data, "reduce-churn")
    assert [kr["updated_by"] for kr in o["key_results"][:2]] == [first, second]
    assert (o["updated"], o["updated_by"]) == ("2026-11-20", second)
    assert (objective_json(data, "open-europe")["updated_by"], objective_json(data, "grow")["updated_by"]) == (second, second)
    facts = (out / "objectives" / "reduce-churn" / "index.html").read_text().split('id="recent"')[0]
    assert f'last check-in <time datetime="2026-11-20">2026-11-20</time> by {second}' in facts
    rolled = (out / "objectives" / "grow" / "index.html").read_text()
    assert f'last check-in <time datetime="2026-11-21">2026-11-21</time> by {second}' in rolled


# --- The commit that adds a milestone not done is no check-in; one added done is

LAUNCH = "content/objectives/launch.md"


def milestones(first: bool, second: bool) -> str:
    return "\n".join(["---", "title: Launch the shop", "period: 2026-Q4", "owner: sales", "key_results:",
                      "  - title: Pick a payment provider", f"    done: {str(first).lower()}",
                      "  - title: Open the shop", f"    done: {str(second).lower()}", "---", ""])


def test_a_milestone_added_not_done_has_no_check_in_but_goes_stale_from_then(tmp_path, capsys):
    from okrsite.cli import main

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, LAUNCH: milestones(True, False)},
             "2026-10-26T09:00:00+00:00", "Ann Lee", "Plan the launch")
    out, data = built(r, tmp_path)
    picked, shop = objective_json(data, "launch")["key_results"]
    assert [(h["date"], h["value"], h["author"]) for h in picked["history"]] == [("2026-10-26", 1, "Ann Lee")]  # added done
    assert (picked["updated"], picked["updated_by"]) == ("2026-10-26", "Ann Lee")
    assert (shop["history"], shop["updated"], shop["updated_by"], shop["stale"]) == ([], None, None, True)  # 28 days quiet
    page = (out / "objectives" / "launch" / "index.html").read_text().split('id="recent"')[0]
    assert page.count("Ann Lee <code>") == 1
    assert main(["check", str(r.root)]) == 0
    assert "stale objective: its numbers have not changed for 28 days" in capsys.readouterr().err
    r.commit({LAUNCH: milestones(True, True)}, "2026-11-20T09:00:00+00:00", "Bo Chen", "Shop open")
    _, data = built(r, tmp_path)
    o = objective_json(data, "launch")
    assert [(h["date"], h["value"], h["author"]) for h in o["key_results"][1]["history"]] == [("2026-11-20", 1, "Bo Chen")]
    assert (o["updated"], o["updated_by"], o["stale"]) == ("2026-11-20", "Bo Chen", False)


def test_a_milestone_only_objective_quiet_since_it_was_added_is_stale(tmp_path, capsys):
    from okrsite.cli import main

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, LAUNCH: milestones(False, False)},
             "2026-10-26T09:00:00+00:00", "Ann Lee", "Plan the launch")
    out, data = built(r, tmp_path)
    o = objective_json(data, "launch")
    assert (o["updated"], o["updated_by"], o["stale"]) == (None, None, True)
    assert main(["check", str(r.root)]) == 0
    assert "launch.md:5: notice: stale objective: its numbers have not changed for 28 days" in capsys.readouterr().err
    home = (out / "index.html").read_text()
    assert "no check-in since 2026-10-26" in home


def test_the_changes_page_before_any_commit_says_nothing_changed_without_counting_zero_commits(tmp_path):
    """"The last 0 commits that changed an objective or a KPI" above "No goal has changed yet"."""
    import html

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective()}, "2026-11-30T09:00:00+00:00", "Ann", "Plan")
    out, _ = built(r, tmp_path)  # as of 2026-11-23: the one commit is later
    page = html.unescape((out / "changes" / "index.html").read_text())
    assert "No goal has changed yet." in page and "0 commits" not in page


def test_a_moved_objectives_page_keeps_its_recent_changes(repo, tmp_path):
    """`git mv` of a closed quarter's folder left only the move in the objective's Recent changes. A
    move alone is no change of the objective (QA DQ 2): the Changes page lists it, the page does not."""
    repo.commit({}, "2026-11-20T09:00:00+00:00", message="Archive", moves={OBJ: "content/objectives/archive/reduce-churn.md"})
    out, _ = built(repo, tmp_path)
    recent = (out / "objectives" / "reduce-churn" / "index.html").read_text().split('id="recent"')[1]
    for text in ("<li>Grow accounts (KR 1): 45 → 60</li>", "<li>Publish the pricing page (KR 3): done</li>", "New objective: Reduce churn (2026-Q4)"):
        assert text in recent, text
    assert "moved to" not in recent and "Archive" not in recent
    assert "Reduce churn: moved to content/objectives/archive/reduce-churn.md" in (out / "changes" / "index.html").read_text()


def recent_section(out: Path, ident: str) -> str:
    """The text of an objective page's Recent changes."""
    import html

    section = (out / "objectives" / ident / "index.html").read_text().split('id="recent"')[1].split("All recent changes")[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_a_finished_objectives_recent_changes_stay_after_archiving_and_carry_over(tmp_path):
    """QA DQ 2 and 3: `git mv` of a finished quarter's folder added "Grow: moved to …" to its page and
    pushed its oldest check-in out; a follower of the same title, written by carry-over, reworded
    "Grow: retrospective written" as "Grow (2026-Q3): retrospective written". Both leave the page as it
    was at the close (docs/closing-a-quarter.md)."""
    r = GitRepo(tmp_path / "goals")
    grow = "content/objectives/2026-q3/grow.md"
    text = "---\ntitle: Grow\nperiod: 2026-Q3\nowner: sales\n{retro}key_results:\n  - {{title: Deals, target: 100{current}}}\n---\nBecause.\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, grow: text.format(retro="", current="")}, "2026-07-01T09:00:00+00:00", message="Plan")
    for week in range(1, 13):
        r.commit({grow: text.format(retro="", current=f", current: {week * 7}")}, f"2026-{7 + (week - 1) // 4:02d}-{1 + (week - 1) % 4 * 7 + 1:02d}T12:00:00+00:00",
                 message=f"Check-in {week}")
    r.commit({grow: text.format(retro="retro: Learned a lot.\n", current=", current: 84")}, "2026-10-02T12:00:00+00:00", message="Close 2026-Q3")
    assert build(r.root, tmp_path / "closed", as_of=date(2026, 10, 3)).ok
    r.commit({}, "2026-10-10T12:00:00+00:00", message="Archive 2026-Q3", moves={"content/objectives/2026-q3": "content/objectives/archive/2026-q3"})
    r.commit({"content/objectives/grow-2.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: sales\nfollows: grow\nkey_results:\n  - {title: Deals, target: 200}\n---\n"},
             "2026-10-12T12:00:00+00:00", message="Carry over 2026-Q3")
    assert build(r.root, tmp_path / "later", as_of=date(2026, 11, 20)).ok
    closed = recent_section(tmp_path / "closed", "grow")
    assert "Grow: retrospective written" in closed and "Check-in 4 Deals (KR 1): 21 → 28" in closed
    assert recent_section(tmp_path / "later", "grow") == closed
    changes = " ".join(re.sub(r"<[^>]+>", " ", (tmp_path / "later" / "changes" / "index.html").read_text()).split())
    assert "Grow (2026-Q3): moved to content/objectives/archive/2026-q3/grow.md" in changes and "Grow (2026-Q3): retrospective written" in changes


def test_a_commit_changing_only_line_ends_or_a_bom_is_no_change(repo, tmp_path):
    """QA DC: a Windows re-save (CRLF), an old Mac one (lone CR) or Notepad's BOM read as "description
    edited" on the Changes page, the feed and the page, while the digest (which reads the files as the site
    does) said nothing changed."""
    crlf = objective(current=60, done=True).replace("current: 4.6", "current: 4.2").replace("\n", "\r\n")
    repo.commit({OBJ: crlf, "content/kpis/mrr.md": (repo.root / "content/kpis/mrr.md").read_text().replace("\n", "\r\n")},
                "2026-11-20T09:00:00+00:00", message="Re-saved on Windows")
    repo.commit({OBJ: "\ufeff" + crlf}, "2026-11-21T09:00:00+00:00", message="Notepad added a BOM")
    repo.commit({OBJ: crlf.replace("\r\n", "\r")}, "2026-11-22T09:00:00+00:00", message="Saved on an old Mac")
    out, _ = built(repo, tmp_path)
    pages = [(out / "changes" / "index.html").read_text(), (out / "changes.xml").read_text(),
             (out / "objectives" / "reduce-churn" / "index.html").read_text(), (out / "kpis" / "mrr" / "index.html").read_text()]
    for page in pages:
        assert "edited" not in page and "Re-saved" not in page and "Notepad" not in page and "old Mac" not in page
    assert "Publish the pricing page (KR 3): done" in pages[0]


def test_changes_and_feed_tell_a_follower_from_its_forerunner(repo, tmp_path):
    """After carry-over both objectives have one title: each is named with its period, as in the digest;
    the follower's first check-in goes from its start, as `okrsite checkin` said it."""
    follower = "content/objectives/reduce-churn-2.md"
    text = "---\ntitle: Reduce churn\nperiod: 2027-Q1\nowner: sales\nfollows: reduce-churn\nkey_results:\n  - title: Grow accounts\n    start: 60\n    target: 100\n"
    repo.commit({follower: text + "---\n"}, "2026-11-20T09:00:00+00:00", message="Carry over")
    repo.commit({follower: text + "    current: 70\n---\n"}, "2026-11-21T09:00:00+00:00", message="Check-in")
    out, _ = built(repo, tmp_path)
    titles = [e.find(ATOM + "title").text for e in ET.parse(out / "changes.xml").getroot().findall(ATOM + "entry")]
    assert titles[:3] == ["Reduce churn (2027-Q1) › Grow accounts (KR 1): 60 → 70", "New objective: Reduce churn (2027-Q1)",
                          "Monthly recurring revenue: 43,500 USD on 2026-10-31"]
    page = (out / "changes" / "index.html").read_text()
    assert "Reduce churn (2026-Q4) › Grow accounts (KR 1): 45 → 60" in page and "Open the European market ›" in page


CHURN = "content/kpis/churn.md"


def churn_kpi(target: str = "3", threshold: str = "5", extra: str = "") -> str:
    return (f"---\ntitle: Monthly churn\nowner: sales\nunit: \"%\"\ndirection: down\ntarget: {target}\nthreshold: {threshold}\n{extra}"
            "frequency: monthly\nvalues:\n  - {date: 2026-12-31, value: 3.7}\n---\n")


def churn_repo(root: Path, extra: str = "") -> GitRepo:
    """Q4's churn ended at 3.7% against a target of 3% (warning: 5% is critical); in January the 2027
    targets come: 2%, critical above 3.5%."""
    r = GitRepo(root)
    r.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, CHURN: churn_kpi(extra=extra),
              OBJ: one_key_result("Reduce churn", "2026-Q4", "Bring churn to 3%", 3, 4.2, start=5.2).replace("    current: 4.2\n", "    kpi: churn\n")
              .replace("owner: sales\n", "owner: sales\nkpis: [churn]\n")},
             "2026-10-01T10:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({CHURN: churn_kpi("2", "3.5", extra)}, "2027-01-10T10:00:00+00:00", "Ann Lee", "2027 targets")
    return r


def review_row(out: Path) -> str:
    page = (out / "periods/2026-q4/review/index.html").read_text()
    return re.sub(r"<[^>]+>", " ", page.split('<tr><th scope="row">')[1].split("</tr>")[0])


def test_a_finished_period_s_kpis_are_judged_by_the_targets_they_had_when_it_ended(tmp_path):
    """SPEC §6: a finished period is frozen. January's new target does not re-rate Q4's KPIs: the review
    and the objective's page show the target committed by Dec 31 and the health it gives."""
    repo = churn_repo(tmp_path / "goals")
    for as_of in (date(2027, 1, 5), date(2027, 1, 15)):
        out = tmp_path / f"out-{as_of}"
        assert build(repo.root, out, as_of=as_of).ok
        row = review_row(out)
        assert " 3% " in row and "warning" in row and "2%" not in row and "critical" not in row
        tile = (out / "objectives/reduce-churn/index.html").read_text().split('id="related"')[1]
        assert "target 3%" in tile and "health-warning" in tile and "critical" not in tile
    kpi_page = (tmp_path / "out-2027-01-15/kpis/churn/index.html").read_text()
    assert "critical" in kpi_page  # today's health, by today's target


def test_a_finished_period_s_kpi_keeps_the_health_its_owner_set_then(tmp_path):
    repo = churn_repo(tmp_path / "goals", extra="health: okay\n")
    repo.commit({CHURN: churn_kpi("2", "3.5")}, "2027-01-12T10:00:00+00:00", "Ann Lee", "Health from the numbers again")
    out = tmp_path / "out"
    assert build(repo.root, out, as_of=date(2027, 1, 15)).ok
    row = review_row(out)
    assert "healthy" in row and "set by" in row and " 3% " in row


def test_a_confidential_kpi_s_target_then_stays_off_the_public_review(tmp_path):
    repo = churn_repo(tmp_path / "goals", extra="confidential: true\n")
    out = tmp_path / "out"
    assert build(repo.root, out, as_of=date(2027, 1, 15), audience="public").ok
    row = review_row(out)
    assert "warning" in row and "not public" in row and "3" not in row.replace("2026-12-31", "")
    tile = (out / "objectives/reduce-churn/index.html").read_text().split('id="related"')[1].split("</section>")[0]
    assert "health-warning" in tile and "3%" not in tile and "3.7" not in tile


def test_a_goal_planned_ahead_is_quiet_from_its_period_s_start_in_words_too(tmp_path, capsys):
    """Written on 2026-12-04 for 2027-Q1 and not checked in: on 2027-01-20 it is stale, and check and
    the digest count its silence as staleness does, from January 1 (19 days), not from December (47)."""
    from okrsite.cli import main
    from okrsite.digest.model import make_digest

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM,
              LAUNCH: milestones(False, False).replace("2026-Q4", "2027-Q1")}, "2026-12-04T09:00:00+00:00", "Ann Lee", "Plan Q1")
    assert main(["check", str(r.root), "--as-of", "2027-01-20"]) == 0
    assert "launch.md:5: notice: stale objective: its numbers have not changed for 19 days (since 2027-Q1 began)" in capsys.readouterr().err
    assert main(["check", str(r.root), "--as-of", "2027-01-15"]) == 0
    assert "stale objective" not in capsys.readouterr().err  # 14 days: not yet
    result = make_digest(r.root, "2027-01-13", date(2027, 1, 20))
    ((item,),) = [owner.items for owner in result.digest.stale]
    assert item.days == 19


def margin(current: float | None, confidential: bool, history: tuple = ()) -> str:
    lines = ["---", "title: Win at a lower cost", "period: 2026-Q4", "owner: sales", "key_results:",
             "  - title: Cost per customer", "    start: 40000", "    target: 30000", "    unit: USD"]
    lines += ["    confidential: true"] if confidential else []
    lines += [f"    current: {current}"] if current is not None else []
    lines += ["    history:", *(f"      - {{date: {d}, value: {v}}}" for d, v in history)] if history else []
    return "\n".join([*lines, "---", ""])


def public_numbers(r: GitRepo, tmp_path: Path) -> tuple[str, dict]:
    out = tmp_path / "pub"
    assert build(r.root, out, audience="public").ok
    page = (out / "objectives/margin/index.html").read_text()
    return page, objective_json(json.loads((out / "okrs.json").read_text()), "margin")["key_results"][0]


def test_a_key_result_made_public_shows_no_value_written_while_it_was_confidential(tmp_path):
    """docs/audiences.md: a value a commit wrote is shown only if the key result was public in that
    commit. Made public on 11-20, its `history:` entries written while it was confidential showed on the
    public page (with their notes' numbers), and its "now" the very check-in its table left out. Until
    a check-in of it as a public key result, it shows no number; then that one, and none before."""
    early = (("2026-10-15", 38427.25), ("2026-11-12", 35194.6))
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, "content/objectives/margin.md": margin(None, True, early[:1])},
             "2026-10-15T09:00:00+00:00", "Ann Lee", "Plan")
    r.commit({"content/objectives/margin.md": margin(None, True, early)}, "2026-11-12T09:00:00+00:00", "Ann Lee", "November")
    r.commit({"content/objectives/margin.md": margin(33333.33, True, early)}, "2026-11-13T09:00:00+00:00", "Ann Lee", "Check-in")
    r.commit({"content/objectives/margin.md": margin(33333.33, False, early)}, "2026-11-20T09:00:00+00:00", "Ann Lee", "Public now")
    page, kr = public_numbers(r, tmp_path)
    for secret in ("38,427", "35,194", "33,333"):
        assert secret not in page and secret.replace(",", "") not in json.dumps(kr), secret
    assert "current" not in kr, kr  # absent, as a confidential one's (SPEC §14)
    from okrsite.digest.formats import render
    from okrsite.digest.model import make_digest
    said = render(make_digest(r.root, "2026-11-10", date(2026, 11, 21), audience="public").digest, "json")
    assert "Cost per customer" in said and not [n for n in ("38427", "35194", "33333") if n in said], said
    r.commit({"content/objectives/margin.md": margin(32000, False, early)}, "2026-11-22T09:00:00+00:00", "Bo Chen", "Check-in")
    said = render(make_digest(r.root, "2026-11-21", date(2026, 11, 23), audience="public").digest, "markdown")
    assert "32,000" in said and "33,333" not in said, said  # the window's start: the value written while confidential
    moved = json.loads(render(make_digest(r.root, "2026-11-21", date(2026, 11, 23), audience="public").digest, "json"))
    (kr_moved,) = [k for o in moved["check_ins"] for k in o["key_results"]]
    assert kr_moved["before"] is None and kr_moved["progress_before"] is None  # with start and target public, 0.667 would say 33,333.33
    page, kr = public_numbers(r, tmp_path / "again")
    page = page.split('id="recent"')[0]  # its key results, chart and check-ins (Recent changes: see CHANGELOG, left open)
    assert kr["current"] == 32000 and "32,000" in page
    for secret in ("38,427", "35,194", "33,333"):
        assert secret not in page and secret.replace(",", "") not in json.dumps(kr), secret


def test_a_check_in_written_while_public_and_edited_while_confidential_shows_no_edited_value(tmp_path):
    """Its date was public already: the value written while the key result was confidential is what is
    hidden, by date and value, not by date alone."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM,
              "content/objectives/margin.md": margin(None, False, (("2026-10-01", 39000), ("2026-11-02", 36000)))},
             "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan")
    r.commit({"content/objectives/margin.md": margin(None, True, (("2026-10-01", 38427.25), ("2026-11-02", 36000)))},
             "2026-11-05T09:00:00+00:00", "Ann Lee", "Confidential, corrected")
    r.commit({"content/objectives/margin.md": margin(None, False, (("2026-10-01", 38427.25), ("2026-11-02", 36000)))},
             "2026-11-20T09:00:00+00:00", "Ann Lee", "Public again")
    page, kr = public_numbers(r, tmp_path)
    page = page.split('id="recent"')[0]
    assert "38,427" not in page and "38427" not in json.dumps(kr)
    assert "36,000" in page and kr["current"] == 36000  # written while public, unchanged since
    r.commit({"content/objectives/margin.md": margin(34000, False, (("2026-10-01", 38427.25), ("2026-11-02", 36000)))},
             "2026-11-21T09:00:00+00:00", "Bo Chen", "Check-in")
    page, kr = public_numbers(r, tmp_path / "again")
    assert kr["current"] == 34000 and "34,000" in page.split('id="recent"')[0]


def cac(confidential: bool, values: tuple) -> str:
    lines = ["---", "title: Acquisition cost", "owner: sales", "unit: USD", "direction: down", "target: 12000", "source: Finance"]
    lines += ["confidential: true"] if confidential else []
    lines += ["values:", *(f"  - {{date: {d}, value: {v}}}" for d, v in values)]
    return "\n".join([*lines, "---", ""])


def test_a_kpi_made_public_shows_no_value_recorded_while_it_was_confidential(tmp_path):
    """docs/audiences.md: a value a commit wrote is shown only if the KPI is public now AND was public in
    that commit. Made public on 10-25, the KPI showed "latest 15,555 USD" on its page, in okrs.json and
    through the key result that follows it; a period that ended since showed it as its end value."""
    follower = ("---\ntitle: Cheaper deals\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
                "  - {title: Cut the cost, kpi: cac, start: 20000, target: 12000}\n---\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Git goals"\nas_of = 2026-10-28\n', "content/teams/sales.md": TEAM,
              "content/kpis/cac.md": cac(True, (("2026-10-05", 15555),)), "content/objectives/deals.md": follower},
             "2026-10-06T09:00:00+00:00", "Ann Lee", "CAC for October")
    r.commit({"content/kpis/cac.md": cac(False, (("2026-10-05", 15555),))}, "2026-10-25T09:00:00+00:00", "Ann Lee", "Public now")
    out = tmp_path / "pub"
    assert build(r.root, out, audience="public").ok
    said = "".join(p.read_text() for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml", ".js"))
    assert "15,555" not in said and "15555" not in said
    kpi = next(k for k in json.loads((out / "okrs.json").read_text())["kpis"] if k["id"] == "cac")
    assert "current" not in kpi and kpi["health"] in ("healthy", "warning", "critical", "unknown")
    r.commit({"content/kpis/cac.md": cac(False, (("2026-10-05", 15555), ("2026-10-26", 14800)))}, "2026-10-27T09:00:00+00:00", "Bo Chen", "CAC now")
    out = tmp_path / "pub2"
    assert build(r.root, out, audience="public").ok
    kpi = next(k for k in json.loads((out / "okrs.json").read_text())["kpis"] if k["id"] == "cac")
    assert kpi["current"] == 14800 and [v["value"] for v in kpi["values"]] == [14800]
    page = (out / "kpis/cac/index.html").read_text()
    assert "14,800" in page and "15,555" not in page
    assert build(r.root, tmp_path / "internal").ok and "15,555" in (tmp_path / "internal/kpis/cac/index.html").read_text()
    from okrsite.digest.formats import render
    from okrsite.digest.model import make_digest
    for since in ("2026-10-26", "2026-10-01"):
        said = render(make_digest(r.root, since, date(2026, 10, 28), audience="public").digest, "json")
        assert "14800" in said and "15555" not in said, said
    r.commit({"content/kpis/cac.md": cac(False, (("2026-10-05", 15100), ("2026-10-26", 14800)))}, "2026-10-28T09:00:00+00:00", "Bo Chen", "Corrected")
    said = render(make_digest(r.root, "2026-10-28", date(2026, 10, 28), audience="public").digest, "json")
    assert "15100" in said and "15555" not in said, said  # the value it replaces was recorded while confidential


def test_a_kpi_s_csv_rows_written_before_its_file_count_as_written_while_it_was_confidential(tmp_path):
    """A CSV file committed before the KPI file that names it, confidential from its first version:
    its rows were recorded before the KPI was public."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Git goals"\nas_of = 2026-10-28\n', "content/teams/sales.md": TEAM,
              "data/cac.csv": "date,value\n2026-09-20,15555\n"}, "2026-09-21T09:00:00+00:00", "Ann Lee", "Data first")
    kpi = cac(True, ()).replace("values:\n", "data: data/cac.csv\n")
    r.commit({"content/kpis/cac.md": kpi}, "2026-10-05T09:00:00+00:00", "Ann Lee", "The KPI")
    r.commit({"content/kpis/cac.md": kpi.replace("confidential: true\n", "")}, "2026-10-25T09:00:00+00:00", "Ann Lee", "Public now")
    out = tmp_path / "pub"
    assert build(r.root, out, audience="public").ok
    assert "15,555" not in (out / "kpis/cac/index.html").read_text() and "15555" not in (out / "okrs.json").read_text()


@pytest.mark.parametrize("flag", ["private", "confidential"])
def test_an_objective_made_public_shows_no_value_written_while_it_was_private(tmp_path, flag):
    """A private objective is out of the public site; made public, it showed every check-in of its
    private time. Nor does one made public after being confidential; and a check-in after it is
    public shows (an objective that was ever confidential showed no number again)."""
    secret = ("---\ntitle: Quiet deal\nperiod: 2026-Q4\nowner: sales\nprivate: true\nkey_results:\n"
              "  - {title: Deals, target: 10000, current: CURRENT}\n---\n").replace("private: true", f"{flag}: true")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Git goals"\nas_of = 2026-10-28\n', "content/teams/sales.md": TEAM,
              "content/objectives/quiet.md": secret.replace("CURRENT", "2647")}, "2026-10-05T09:00:00+00:00", "Ann Lee", "Plan")
    r.commit({"content/objectives/quiet.md": secret.replace("CURRENT", "3719")}, "2026-10-12T09:00:00+00:00", "Ann Lee", "Check-in")
    r.commit({"content/objectives/quiet.md": secret.replace("CURRENT", "3719").replace(f"{flag}: true\n", "")},
             "2026-10-26T09:00:00+00:00", "Ann Lee", "Public now")
    out = tmp_path / "pub"
    assert build(r.root, out, audience="public").ok
    page = (out / "objectives/quiet/index.html").read_text()
    assert "Quiet deal" in page and "3,719" not in page and "2,647" not in page and "3719" not in (out / "okrs.json").read_text()
    said = json.loads((out / "okrs.json").read_text())
    quiet = objective_json(said, "quiet")
    if flag == "private":  # QA BX: "last check-in 2026-10-12 by Ann Lee", of its private time (a confidential one's commits are listed, undescribed)
        assert "2026-10-12" not in page and "2026-10-05" not in page, page
    assert quiet.get("updated") is None and quiet["key_results"][0].get("updated") is None, quiet
    if flag == "private":  # QA CA: "◷ stale", "no check-in since 2026-10-05" on the dashboard, of its private time
        home = (out / "index.html").read_text()
        assert quiet["stale"] is False and "2026-10-05" not in home and "2026-10-12" not in home
    r.commit({"content/objectives/quiet.md": secret.replace("CURRENT", "5111").replace(f"{flag}: true\n", "")},
             "2026-10-27T09:00:00+00:00", "Bo Chen", "Check-in")
    out = tmp_path / "pub2"
    assert build(r.root, out, audience="public").ok
    page = (out / "objectives/quiet/index.html").read_text().split('id="recent"')[0]
    assert "5,111" in page and "3,719" not in page and "2,647" not in page


def test_a_key_result_linked_to_a_kpi_made_public_shows_its_own_check_ins_since_and_none_from_before(tmp_path):
    """A key result with its own `current:` linked to a KPI that was confidential: its check-ins while
    the KPI was confidential stay hidden, its later ones show (they were hidden for ever). One that
    follows the KPI, in a quarter that has ended, takes the KPI's value of its last day: recorded
    while the KPI was confidential, it shows no number."""
    own = ("---\ntitle: Own numbers\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
           "  - {title: Deals, kpi: cac, start: 0, target: 100, current: CURRENT}\n---\n")
    ended = ("---\ntitle: Last quarter\nperiod: 2026-Q3\nowner: sales\nkey_results:\n"
             "  - {title: Cut the cost, kpi: cac, start: 20000, target: 12000}\n---\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Git goals"\nas_of = 2026-10-28\n', "content/teams/sales.md": TEAM,
              "content/kpis/cac.md": cac(True, (("2026-09-20", 15555),)), "content/objectives/own.md": own.replace("CURRENT", "31"),
              "content/objectives/ended.md": ended}, "2026-09-21T09:00:00+00:00", "Ann Lee", "Plan")
    r.commit({"content/kpis/cac.md": cac(False, (("2026-09-20", 15555),))}, "2026-10-10T09:00:00+00:00", "Ann Lee", "Public now")
    r.commit({"content/objectives/own.md": own.replace("CURRENT", "37"), "content/kpis/cac.md": cac(False, (("2026-09-20", 15555), ("2026-10-26", 14800)))},
             "2026-10-20T09:00:00+00:00", "Bo Chen", "Check-in")
    out = tmp_path / "pub"
    assert build(r.root, out, audience="public").ok
    data = json.loads((out / "okrs.json").read_text())
    assert objective_json(data, "own")["key_results"][0]["current"] == 37
    assert "current" not in objective_json(data, "ended")["key_results"][0] and "15555" not in json.dumps(data)


def test_check_ins_before_a_key_result_is_measured_anew_leave_its_page_and_forecast(tmp_path):
    """QA BB: a key result moved from "per 10k queries" to "%" (start 12 → 0.12, target 3 → 0.03) kept
    its git check-in 5.5 of the old unit: shown as "5.5%", and fitted into the forecast (2.82 %,
    off-track). The check-ins before that commit are in another unit, and count no more."""
    repo = GitRepo(tmp_path / "goals")

    def timeouts(start, target, current, unit):
        return (f"---\ntitle: Faster dashboards\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: Cut query timeouts\n"
                f"    start: {start}\n    target: {target}\n    current: {current}\n    unit: \"{unit}\"\n---\n")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: timeouts(12, 3, 9, "per 10k queries")}, "2026-10-01T10:00:00+00:00")
    repo.commit({OBJ: timeouts(12, 3, 5.5, "per 10k queries")}, "2026-10-15T10:00:00+00:00")
    repo.commit({OBJ: timeouts(0.12, 0.03, 0.055, "%")}, "2026-11-01T10:00:00+00:00")
    repo.commit({OBJ: timeouts(0.12, 0.03, 0.05, "%")}, "2026-11-10T10:00:00+00:00")
    out, data = built(repo, tmp_path)
    kr = objective_json(data, "reduce-churn")["key_results"][0]
    assert [(h["date"], h["value"]) for h in kr["history"]] == [("2026-11-01", 0.055), ("2026-11-10", 0.05)]
    assert kr["forecast"]["points"] == 3 and kr["forecast"]["value"] < 0.05
    page = (out / "objectives/reduce-churn/index.html").read_text()
    assert "5.5%" not in page and "5.5 per 10k queries → 0.055%" in page  # no check-in of 5.5 %, the change said in words
    changes = (out / "changes/index.html").read_text()
    assert "unit per 10k queries → %" in changes and "5.5 per 10k queries → 0.055%" in changes


def test_a_kpi_value_shows_its_note_written_or_from_the_commit_that_recorded_it(repo, tmp_path):
    """QA BJ: `okrsite checkin KPI V --commit --note N` put N in the commit's body, and the site showed
    it nowhere (checkins.md: the note is shown beside the check-in, never dropped silently). A value's
    own `note:` wins; the public site shows a note as it shows a key result's, a confidential KPI's never."""
    values = "  - {date: 2026-09-30, value: 41000}\n  - {date: 2026-10-31, value: 43500}\n  - {date: 2026-11-20, value: 44000}"
    repo.commit({"content/kpis/mrr.md": kpi(values)}, "2026-11-21T09:00:00+00:00", "Cy Diaz", "Check-in: MRR\n\ntwo logos paused")
    values += "\n  - {date: 2026-11-21, value: 44100, note: written by hand}"
    repo.commit({"content/kpis/mrr.md": kpi(values)}, "2026-11-22T09:00:00+00:00", "Cy Diaz", "Check-in: MRR\n\nthe body")
    out, data = built(repo, tmp_path)
    notes = {v["date"]: v["note"] for v in next(k for k in data["kpis"] if k["id"] == "mrr")["values"]}
    assert notes == {"2026-09-30": None, "2026-10-31": None, "2026-11-20": "two logos paused", "2026-11-21": "written by hand"}
    page = (out / "kpis" / "mrr" / "index.html").read_text()
    assert '<th scope="col">Note</th>' in page and "two logos paused" in page and "written by hand" in page
    public = tmp_path / "public"
    assert build(repo.root, public, audience="public").ok
    assert "two logos paused" in (public / "kpis" / "mrr" / "index.html").read_text()
    quiet = values + "\n  - {date: 2026-11-22, value: 44200}"  # with a private objective: its message is not the public's
    secret = objective("Buy Kingfisher").replace("owner: sales", "owner: sales\nprivate: true")
    repo.commit({"content/kpis/mrr.md": kpi(quiet), "content/objectives/kingfisher.md": secret}, "2026-11-22T10:00:00+00:00", "Cy Diaz",
                "Deal\n\nthe kingfisher deal moved MRR")
    written = quiet.replace("value: 44100, note: written by hand", "value: 44150, note: ours to say")
    repo.commit({"content/kpis/mrr.md": kpi(written), "content/objectives/kingfisher.md": secret.replace("Why it matters.", "Why.")},
                "2026-11-22T11:00:00+00:00", "Cy Diaz", "Deal again\n\nkingfisher once more")
    assert build(repo.root, public, audience="public").ok
    assert "kingfisher" not in (public / "kpis" / "mrr" / "index.html").read_text().lower()
    assert "ours to say" in (public / "kpis" / "mrr" / "index.html").read_text()  # QA BN: written in the file, not the commit's message
    assert "the kingfisher deal moved MRR" in (built(repo, tmp_path)[0] / "kpis" / "mrr" / "index.html").read_text()
    values = written
    repo.commit({"content/kpis/mrr.md": kpi(values).replace("unit: USD", "unit: USD\nconfidential: true")}, "2026-11-23T08:00:00+00:00", "Cy Diaz", "Keep MRR in")
    secret = tmp_path / "secret"
    assert build(repo.root, secret, audience="public").ok
    found = [path for path in secret.rglob("*") if path.is_file() and b"two logos paused" in path.read_bytes()]
    assert found == []
    assert all("note" not in v for v in next(k for k in json.loads((secret / "okrs.json").read_text())["kpis"] if k["id"] == "mrr")["values"])
    both = values.replace("44000", "44001").replace("value: 44150, note: ours to say", "value: 44151")
    repo.commit({"content/kpis/mrr.md": kpi(both)}, "2026-11-23T09:30:00+00:00", "Cy Diaz", "Import\n\nfrom the BI tool")
    _, data = built(repo, tmp_path)  # two values in one commit: an import, not why one number moved
    assert [v["note"] for v in next(k for k in data["kpis"] if k["id"] == "mrr")["values"]][2:4] == [None, None]


def test_a_kpi_file_made_with_its_value_gives_no_note_and_its_first_check_in_does(repo, tmp_path):
    """Review 34: the commit that makes a KPI's file says why the file is there, not why a number moved;
    a KPI made without values (`okrsite new kpi` writes `values: []`) takes its first value's note."""
    made = kpi("  - {date: 2026-10-31, value: 7}").replace("Monthly recurring revenue", "Net promoter")
    repo.commit({"content/kpis/nps.md": made}, "2026-11-02T09:00:00+00:00", "Cy Diaz", "Add NPS\n\nthe board asked for it")
    empty = kpi().replace("Monthly recurring revenue", "Churned logos").rstrip("-\n") + "\nvalues: []\n---\n"
    repo.commit({"content/kpis/churned.md": empty}, "2026-11-03T09:00:00+00:00", "Cy Diaz", "Add churned logos")
    repo.commit({"content/kpis/churned.md": empty.replace("values: []", "values:\n  - {date: 2026-11-04, value: 3}")},
                "2026-11-04T09:00:00+00:00", "Cy Diaz", "Check-in: Churned logos\n\nthree lost to the new competitor")
    _, data = built(repo, tmp_path)
    notes = {k["id"]: [v["note"] for v in k["values"]] for k in data["kpis"]}
    assert notes["nps"] == [None] and notes["churned"] == ["three lost to the new competitor"]


def test_the_changes_page_says_its_feed_after_a_space(repo, tmp_path):
    """QA BO: "…up to 2026-11-23.Subscribe (Atom feed)."."""
    out, _ = built(repo, tmp_path)
    assert 'up to <time datetime="2026-11-23">2026-11-23</time>. <a href="../changes.xml">Subscribe (Atom feed)</a>.' in (out / "changes" / "index.html").read_text()


GROW = "content/objectives/grow.md"
SHIP = "content/objectives/ship.md"


def two_krs(wau: float, deals: float) -> str:
    return ("---\ntitle: Grow\nperiod: 2026-Q3\nowner: sales\nparent: company\nkey_results:\n"
            f"  - id: wau\n    title: Grow users\n    start: 0\n    target: 100\n    current: {wau:g}\n"
            f"  - id: deals\n    title: Sign deals\n    start: 0\n    target: 10\n    current: {deals:g}\n---\n")


@pytest.fixture
def quarter(tmp_path: Path) -> GitRepo:
    """QA CP: a 2026-Q3 objective checked in from 07-13 on, under a roll-up; another objective added on 08-20."""
    r = GitRepo(tmp_path / "quarter")
    company = "---\ntitle: Company\nperiod: 2026-Q3\nowner: sales\n---\n"
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-09-01\n', "content/teams/sales.md": TEAM, "content/objectives/company.md": company,
              GROW: two_krs(0, 0)}, "2026-07-01T09:00:00+00:00")
    for day, wau, deals in (("07-13", 20, 0), ("07-20", 20, 3), ("07-27", 40, 3), ("08-10", 40, 5), ("08-17", 50, 5)):
        r.commit({GROW: two_krs(wau, deals)}, f"2026-{day}T10:00:00+00:00")
    r.commit({SHIP: one_key_result("Ship", "2026-Q3", "Ship features", 10, 2, start=0)}, "2026-08-20T10:00:00+00:00", "Bo Chen")
    r.commit({SHIP: one_key_result("Ship", "2026-Q3", "Ship features", 10, 5, start=0)}, "2026-08-24T10:00:00+00:00", "Bo Chen")
    r.commit({GROW: two_krs(55, 5)}, "2026-08-31T10:00:00+00:00")
    return r


def test_a_shallow_clone_gives_no_forecast_it_lacks_the_check_ins_for(quarter, tmp_path):
    """QA CP 1: a clone back to 08-17 lacks Grow's check-ins of July and early August. Its forecasts
    (83 % through 2 points, instead of 87 % through 5) were shown as fact on its page, on the dashboard
    and in okrs.json: now there is none, and each says why. Ship, added after the clone's oldest
    commit, has every check-in there: its forecast is the full history's."""
    _, full = built(quarter, tmp_path / "full")
    clone = shallow_clone(quarter, tmp_path / "clone", 4)
    out = tmp_path / "out"
    assert build(clone, out).ok
    data = json.loads((out / "okrs.json").read_text())
    grow, company = objective_json(data, "grow"), objective_json(data, "company")
    assert objective_json(full, "grow")["forecast"] is not None and "forecast_unknown" not in objective_json(full, "grow")
    assert grow["forecast"] is None and grow["forecast_unknown"] == "2026-08-17"
    assert [(kr["forecast"], kr["forecast_unknown"]) for kr in grow["key_results"]] == [(None, "2026-08-17")] * 2
    assert company["forecast"] is None and company["forecast_unknown"] == "2026-08-17"  # a roll-up of it
    jsonschema.validate(data, json.loads((Path(__file__).parents[2] / "docs" / "okrs.schema.json").read_text()))
    ship = objective_json(data, "ship")
    assert ship["forecast"] == objective_json(full, "ship")["forecast"] and "forecast_unknown" not in ship
    assert ship["key_results"][0]["forecast"]["points"] == 3
    page = (out / "objectives" / "grow" / "index.html").read_text()
    assert "forecast unknown<small>: check-ins before <time datetime=\"2026-08-17\">2026-08-17</time> are not in the shallow clone" in page
    assert "forecast <strong>" not in page and "straight line" not in page
    home = (out / "index.html").read_text()
    assert "The forecasts of 2 objectives are unknown: this site was built from a shallow clone that starts on" in home


def test_a_key_result_quiet_since_a_shallow_clone_s_oldest_commit_says_so(quarter, tmp_path):
    """QA CP 1: Sign deals last moved on 08-10, before the clone's oldest commit (08-17). It is stale
    from that day (docs/history.md), and its page says "no check-in since 2026-08-17", not nothing;
    okrs.json's updated stays null: nothing in the clone says when it last changed."""
    clone = shallow_clone(quarter, tmp_path / "clone", 4)
    out = tmp_path / "out"
    assert build(clone, out).ok
    deals = objective_json(json.loads((out / "okrs.json").read_text()), "grow")["key_results"][1]
    assert (deals["updated"], deals["stale"]) == (None, True)
    row = (out / "objectives" / "grow" / "index.html").read_text().split('id="deals"')[1].split("</p>")[0]
    assert 'no check-in since <time datetime="2026-08-17">2026-08-17</time> <span class="muted">(earlier ones are not in the shallow clone' in row


WRITTEN = ("---\ntitle: Grow\nperiod: 2026-Q3\nowner: sales\nkey_results:\n  - title: Grow users\n    start: 0\n    target: 100\n"
           "    current: {current}\n    history:\n      - {{date: 2026-07-15, value: 10}}\n      - {{date: 2026-08-01, value: 30}}\n"
           "      - {{date: 2026-08-20, value: 50}}\n---\n")


@pytest.mark.parametrize("current, known", [(50, True), (60, False)])
def test_a_key_result_whose_check_ins_are_written_keeps_its_forecast_in_a_shallow_clone(tmp_path, current, known):
    """QA CS: a key result whose `current:` is the last entry of its written `history:` has every
    check-in in its file: a depth-1 clone called its forecast unknown. One whose `current:` says more
    than its written history still has check-ins only git knew."""
    r = GitRepo(tmp_path / "written")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-09-01\n', "content/teams/sales.md": TEAM, GROW: WRITTEN.format(current=current)},
             "2026-08-25T09:00:00+00:00")  # the quarter's check-ins written in, as an import or a late start writes them
    r.commit({"content/teams/sales.md": TEAM + "Sells.\n"}, "2026-08-31T09:00:00+00:00")
    _, full = built(r, tmp_path / "full")
    out = tmp_path / "out"
    assert build(shallow_clone(r, tmp_path / "clone", 1), out).ok
    grow = objective_json(json.loads((out / "okrs.json").read_text()), "grow")
    if known:
        assert grow["forecast"] == objective_json(full, "grow")["forecast"] is not None and "forecast_unknown" not in grow
    else:
        assert grow["forecast"] is None and grow["forecast_unknown"] == "2026-08-31"


ROLL_UP = "---\ntitle: Grow in Q3\nperiod: 2026-Q3\nowner: sales\n---\nRoll-up.\n"
ALIGNED = "---\ntitle: {title}\nperiod: {period}\nowner: sales\nparent: grow-q3\nkey_results:\n  - {{title: K, target: 10, current: {current}}}\n---\n"


def test_an_objective_aligned_to_a_finished_roll_up_afterwards_leaves_its_grade_as_it_was(tmp_path):
    """QA EC 1: an annual objective aligned on Nov 19 to a Q3 roll-up that ended on Sep 30 counted at 0 %
    "as it stood" on a day it did not exist, and the final grade fell from 0.80 to 0.40. git holds the
    child only from Nov 19 (and the other one, archived into a folder in October, since September: its
    file is followed through the rename), so the grade stays, and the page says
    why the child listed below is not in it; so does one not committed yet. Without git history nothing
    dates a file: it counts."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-11-20\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=8)}, "2026-09-20T10:00:00+00:00")
    r.commit({}, "2026-10-05T10:00:00+00:00", moves={"content/objectives/ship-x.md": "content/objectives/2026-q3/ship-x.md"})  # archived
    r.commit({"content/objectives/annual-y.md": ALIGNED.format(title="Annual Y", period="2026", current=5)}, "2026-11-19T10:00:00+00:00")
    out, data = built(r, tmp_path)
    grow = objective_json(data, "grow-q3")
    assert (grow["progress"], grow["grade"], "counted_then" in grow) == (0.8, 0.8, False)
    page = html.unescape((out / "objectives/grow-q3/index.html").read_text())
    assert "its progress is that of the one objective aligned to it (1 added after 2026-Q3 ended left out)." in page
    write_files(r.root, {"content/objectives/annual-z.md": ALIGNED.format(title="Annual Z", period="2026", current=5)})
    out, data = built(r, tmp_path)
    assert objective_json(data, "grow-q3")["grade"] == 0.8
    assert "(2 added after 2026-Q3 ended left out)." in html.unescape((out / "objectives/grow-q3/index.html").read_text())
    _, data = built(r, tmp_path, "git_history = false\n")
    assert objective_json(data, "grow-q3")["grade"] == pytest.approx(0.6)


def test_an_objective_deleted_after_its_roll_up_ended_still_counts_as_it_stood(tmp_path):
    """QA EJ 1: `git rm` of a child a year after its roll-up's quarter ended moved the final grade
    0.75 → 0.50. The roll-up counts it as its last version stood, scored as the file was (its final
    value checked in after the quarter ended counts, as it did for the live file), so the grade stays
    as graded; the page says so, and check has nothing to warn of."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5),
              "content/objectives/year-z.md": ALIGNED.format(title="Year Z", period="2026", current=2)}, "2026-09-20T10:00:00+00:00")
    r.commit({"content/objectives/ship x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=0),
              "content/objectives/year-z.md": ALIGNED.format(title="Year Z", period="2026", current=9)}, "2026-10-20T10:00:00+00:00")
    _, before = built(r, tmp_path)
    r.commit({"content/objectives/ship x.md": None, "content/objectives/year-z.md": None}, "2027-02-01T10:00:00+00:00")
    result = build(r.root, tmp_path / "out")
    assert result.ok and result.report.warnings == []
    data = json.loads((tmp_path / "out/okrs.json").read_text())
    assert objective_json(data, "grow-q3")["progress"] == objective_json(before, "grow-q3")["progress"] == pytest.approx((0 + 0.5 + 0.2) / 3, abs=0.001)
    page = html.unescape((tmp_path / "out/objectives/grow-q3/index.html").read_text())
    assert "its progress is the mean of the 3 objectives aligned to it (2 deleted after 2026-Q3 ended counted as they stood then)." in page


def test_a_deleted_roll_up_below_a_finished_one_is_said_at_the_roll_up(tmp_path):
    """A deleted child that was a roll-up itself cannot be counted as it stood (its progress was its
    own children's): check warns at the roll-up (the commit, the command that brings the file back),
    and the page says it is no longer counted; a written `score:` keeps the grade, and check is quiet."""
    r = GitRepo(tmp_path / "goals")
    middle = "---\ntitle: Middle\nperiod: 2026-Q3\nowner: sales\nparent: grow-q3\n---\n"
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/mid x.md": middle, "content/objectives/leaf.md": ALIGNED.format(title="Leaf", period="2026-Q3", current=10).replace("grow-q3", "mid-x"),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    _, before = built(r, tmp_path)
    assert objective_json(before, "grow-q3")["grade"] == 0.75
    gone = r.commit({"content/objectives/mid x.md": None, "content/objectives/leaf.md": None}, "2027-02-01T10:00:00+00:00")
    result = build(r.root, tmp_path / "out")
    warned = [(d.file, d.message, d.hint) for d in result.report.warnings]
    short = gone[:7]
    assert warned == [("content/objectives/grow-q3.md",
                       f"its aligned objective 'mid-x' of 2026-Q3 was deleted in {short} on 2027-02-01, after 2026-Q3 ended: its grade no longer counts it",
                       f"bring it back with git checkout '{short}~1' -- 'content/objectives/mid x.md', or set its 'score:' to the grade it had")]
    page = html.unescape((tmp_path / "out/objectives/grow-q3/index.html").read_text())
    assert "its progress is that of the one objective aligned to it (1 deleted after 2026-Q3 ended no longer counted)." in page
    r.commit({"content/objectives/grow-q3.md": ROLL_UP.replace("owner: sales\n", "owner: sales\nscore: 0.5\n")}, "2027-02-01T11:00:00+00:00")
    result = build(r.root, tmp_path / "out")
    assert result.report.warnings == [] and objective_json(json.loads((tmp_path / "out/okrs.json").read_text()), "grow-q3")["grade"] == 0.5


def test_a_deleted_child_whose_last_version_had_an_error_is_no_longer_counted_and_said(tmp_path):
    """Review: a deleted child's last version with an error (a key result whose target is its start)
    was scored anyway, and divided by zero: a traceback. The site would not have read it: it is no
    longer counted, with the warning."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10).replace("{title: K, target: 10,", "{title: K, start: 10, target: 10,")},
             "2026-12-01T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": None}, "2027-02-01T10:00:00+00:00")
    result = build(r.root, tmp_path / "out")
    assert result.ok and [d.message for d in result.report.warnings if "was deleted" in d.message]
    assert objective_json(json.loads((tmp_path / "out/okrs.json").read_text()), "grow-q3")["grade"] == 0.5


def test_a_deleted_child_s_id_taken_by_an_unrelated_objective_still_counts_as_it_stood(tmp_path):
    """QA ET 2: a new objective of another quarter, aligned to nothing, written as `ship-x.md`, made the
    deleted child's grade stop counting (0.75 → 0.50). Only a live objective aligned to the same
    roll-up is the deleted one back."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": None}, "2027-01-10T10:00:00+00:00")
    other = "---\ntitle: Ship X again\nperiod: 2027-Q1\nowner: sales\nkey_results:\n  - {title: K, target: 10, current: 1}\n---\n"
    r.commit({"content/objectives/ship-x.md": other}, "2027-01-20T10:00:00+00:00")
    out, data = built(r, tmp_path)
    assert objective_json(data, "grow-q3")["grade"] == 0.75
    assert "(1 deleted after 2026-Q3 ended counted as it stood then)" in html.unescape((out / "objectives/grow-q3/index.html").read_text())


@pytest.mark.parametrize("moved_to", ["grow-more", None])
def test_a_child_moved_to_another_roll_up_after_the_quarter_and_then_deleted_counts_where_it_stood(tmp_path, moved_to):
    """Review (forty-ninth round): Charlie, in grow-q3 on its last day, was moved to grow-more in April
    and deleted later: grow-q3 dropped it (0.75 → 0.50) and grow-more, which had left it out as aligned
    late, counted it as it stood (0.60 → 0.80). A deleted child counts under the roll-up it was aligned
    to on that roll-up's last day, as a live one does; one whose `parent:` was removed before it was
    deleted too."""
    more = "---\ntitle: Grow more\nperiod: 2026-Q3\nowner: sales\n---\nRoll-up.\n"
    charlie = ALIGNED.format(title="Charlie", period="2026-Q3", current=10)
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-11-01\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/grow-more.md": more, "content/objectives/alpha.md": ALIGNED.format(title="Alpha", period="2026-Q3", current=5),
              "content/objectives/charlie.md": charlie,
              "content/objectives/echo.md": ALIGNED.format(title="Echo", period="2026-Q3", current=6).replace("parent: grow-q3", "parent: grow-more")},
             "2026-07-05T10:00:00+00:00")
    r.commit({"content/objectives/charlie.md": charlie.replace("parent: grow-q3\n", f"parent: {moved_to}\n" if moved_to else "")}, "2026-10-10T10:00:00+00:00")
    _, data = built(r, tmp_path / "moved")
    assert (objective_json(data, "grow-q3")["grade"], objective_json(data, "grow-more")["grade"]) == (0.75, 0.6)
    r.commit({"content/objectives/charlie.md": None}, "2026-10-20T10:00:00+00:00")
    _, data = built(r, tmp_path / "deleted")
    assert (objective_json(data, "grow-q3")["grade"], objective_json(data, "grow-more")["grade"]) == (0.75, 0.6)
    assert [c["id"] for c in objective_json(data, "grow-q3")["deleted_counted"]] == ["charlie"]
    assert "deleted_counted" not in objective_json(data, "grow-more")


def test_a_deleted_child_following_a_kpi_deleted_later_is_said_not_counted_silently(tmp_path):
    """QA ET 1: a deleted child's key result following a KPI counted as it stood until the KPI's file was
    deleted too (no live file named it: check was silent), then at 0 %: the grade moved 0.75 → 0.50
    with no word. It is now one no longer counted, with the warning and its restore command."""
    r = GitRepo(tmp_path / "goals")
    kpi = "---\ntitle: Deals\nowner: sales\nsource: crm\nfrequency: monthly\nvalues:\n  - {date: 2026-09-30, value: 10}\n---\n"
    follows = "---\ntitle: Ship X\nperiod: 2026-Q3\nowner: sales\nparent: grow-q3\nkey_results:\n  - {title: K, kpi: deals, start: 0, target: 10}\n---\n"
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/kpis/deals.md": kpi, "content/objectives/ship-x.md": follows,
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": None}, "2027-01-10T10:00:00+00:00")
    result = build(r.root, tmp_path / "out")
    assert result.ok and result.report.warnings == []
    assert objective_json(json.loads((tmp_path / "out/okrs.json").read_text()), "grow-q3")["grade"] == 0.75
    r.commit({"content/kpis/deals.md": None}, "2027-01-20T10:00:00+00:00")
    result = build(r.root, tmp_path / "out")
    assert [d.message for d in result.report.warnings if "its aligned objective 'ship-x'" in d.message]


DEALS = "---\ntitle: Deals\nowner: sales\nsource: crm\nfrequency: monthly\nvalues:\n  - {{date: 2026-09-30, value: {value}}}\n---\n"
FOLLOWS_DEALS = "---\ntitle: {title}\nperiod: 2026-Q3\nowner: sales\nparent: grow-q3\n{more}key_results:\n  - {{title: Deals won, kpi: deals, start: 0, target: 10}}\n---\n"


@pytest.mark.parametrize("private", [False, True])
def test_a_kpi_value_corrected_after_a_child_was_deleted_is_said_at_the_roll_up(tmp_path, private):
    """QA ET 1 (left): a deleted child's key result follows a KPI whose September value is rewritten a
    year on, after the child's deletion: the roll-up's grade moved 0.50 → 0.80 and nothing said why. It
    moves as a live child's does (the KPI's values are corrected for every key result that follows
    it), and the roll-up's page, its review and okrs.json say which value was corrected, as a live
    child's key result says it. A private one is in no word on a public site (SPEC §14)."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/kpis/deals.md": DEALS.format(value=5), "content/objectives/ship-y.md": FOLLOWS_DEALS.format(title="Ship Y", more=""),
              "content/objectives/ship-x.md": FOLLOWS_DEALS.format(title="Ship X", more="private: true\n" if private else "")},
             "2026-09-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": None}, "2027-01-10T10:00:00+00:00")
    out, data = built(r, tmp_path)
    assert objective_json(data, "grow-q3")["grade"] == 0.5 and "corrected" not in (out / "objectives/grow-q3/index.html").read_text()
    r.commit({"content/kpis/deals.md": DEALS.format(value=8)}, "2027-01-20T10:00:00+00:00")
    out, data = built(r, tmp_path)
    grow = objective_json(data, "grow-q3")
    said = "Ship X (deleted after 2026-Q3 ended, counted as it stood), Deals won: value of 2026-09-30 corrected on 2027-01-20 (after 2026-Q3 ended)."
    assert grow["grade"] == 0.8 and objective_json(data, "ship-y")["key_results"][0]["corrected_late"] == {"date": "2026-09-30", "on": "2027-01-20"}
    assert grow["deleted_corrected_late"] == [{"id": "ship-x", "key_result": "ship-x-kr1", "date": "2026-09-30", "on": "2027-01-20"}]
    page, public = said_then_public(r, tmp_path, out, data, said, "2027-02-02")
    assert public["grade"] == 0.8 and ("Ship X" in page, "deleted_corrected_late" in public) == (not private, not private)


def said_then_public(r: GitRepo, tmp_path: Path, out: Path, data: dict, said: str, as_of: str) -> tuple[str, dict]:
    """Checks that the built roll-up grow-q3's page and the 2026-Q3 review say ``said`` and that okrs.json
    matches its schema; then builds the site for the public: the roll-up's page and okrs.json record."""
    jsonschema.validate(data, json.loads((Path(__file__).parents[2] / "docs" / "okrs.schema.json").read_text()))
    for page in ("objectives/grow-q3/index.html", "periods/2026-q3/review/index.html"):
        assert said in " ".join(re.sub(r"<[^>]+>", "", html.unescape((out / page).read_text())).split()), page
    (r.root / "okrsite.toml").write_text(f'title = "Q3"\nas_of = {as_of}\naudience = "public"\n')
    out, public = built(r, tmp_path)
    return html.unescape((out / "objectives/grow-q3/index.html").read_text()), objective_json(public, "grow-q3")


@pytest.mark.parametrize("private", [False, True])
def test_a_kpi_value_corrected_late_of_a_child_running_on_past_its_roll_up_is_said_at_the_roll_up(tmp_path, private):
    """A 2026-Q3 roll-up counts an annual child that follows a KPI as it stood on September 30. The
    September value rewritten 5 → 8 on November 18 moved the roll-up's grade 0.50 → 0.65, and no page
    said why: the annual objective still runs, so its key result has no late correction of its own.
    The roll-up's page, its review and okrs.json now say which value was corrected on which day; a
    private child is in no word on a public site (SPEC §14)."""
    deals = DEALS.replace("\n---\n", "\n  - {{date: 2026-10-31, value: 9}}\n---\n")
    annual = FOLLOWS_DEALS.format(title="Win deals this year", more="private: true\n" if private else "").replace("period: 2026-Q3", "period: 2026")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-11-20\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/kpis/deals.md": deals.format(value=5), "content/objectives/annual.md": annual,
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    out, data = built(r, tmp_path)
    assert objective_json(data, "grow-q3")["grade"] == 0.5 and "corrected" not in (out / "objectives/grow-q3/index.html").read_text()
    r.commit({"content/kpis/deals.md": deals.format(value=8)}, "2026-11-18T10:00:00+00:00")
    out, data = built(r, tmp_path)
    grow = objective_json(data, "grow-q3")
    assert grow["grade"] == 0.65 and "corrected_late" not in objective_json(data, "annual")["key_results"][0]
    assert grow["counted_corrected_late"] == [{"id": "annual", "key_result": "annual-kr1", "date": "2026-09-30", "on": "2026-11-18"}]
    said = "Win deals this year (2026, counted as it stood on 2026-09-30), Deals won: value of 2026-09-30 corrected on 2026-11-18 (after 2026-Q3 ended)."
    page, public = said_then_public(r, tmp_path, out, data, said, "2026-11-20")
    assert public["grade"] == 0.65 and ("Win deals this year" in page, "counted_corrected_late" in public) == (not private, not private)


def test_a_private_child_deleted_after_its_roll_up_ended_is_counted_but_not_said_in_public(tmp_path):
    """A private child deleted after the quarter still counts in the public roll-up's grade, as a live
    private one does (SPEC §14), and is in no count on the public page (QA ER 1)."""
    r = GitRepo(tmp_path / "goals")
    private = ALIGNED.format(title="Ship Y", period="2026-Q3", current=4).replace("owner: sales\n", "owner: sales\nprivate: true\n")
    middle = "---\ntitle: Middle\nperiod: 2026-Q3\nowner: sales\nparent: grow-q3\nprivate: true\n---\n"
    leaf = ALIGNED.format(title="Leaf", period="2026-Q3", current=4).replace("grow-q3", "mid")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10), "content/objectives/ship-y.md": private,
              "content/objectives/mid.md": middle, "content/objectives/leaf.md": leaf}, "2026-09-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-y.md": None}, "2027-02-01T10:00:00+00:00")
    out, after = built(r, tmp_path)
    assert objective_json(after, "grow-q3")["grade"] == 0.6
    assert "(1 deleted after 2026-Q3 ended counted as it stood then)." in html.unescape((out / "objectives/grow-q3/index.html").read_text())
    r.commit({"content/objectives/mid.md": None, "content/objectives/leaf.md": None}, "2027-02-01T11:00:00+00:00")
    out, after = built(r, tmp_path)
    assert objective_json(after, "grow-q3")["grade"] == 0.7
    assert ("(1 deleted after 2026-Q3 ended counted as it stood then) (1 deleted after 2026-Q3 ended no longer counted)."
            in html.unescape((out / "objectives/grow-q3/index.html").read_text()))
    (r.root / "okrsite.toml").write_text('title = "Q3"\nas_of = 2027-02-02\naudience = "public"\n')  # built's settings would move as_of before the deletions
    out, public = built(r, tmp_path)
    page = html.unescape((out / "objectives/grow-q3/index.html").read_text())
    assert objective_json(public, "grow-q3")["grade"] == 0.7 and "deleted after" not in page and "the mean of the objectives aligned to it" in page


def test_a_child_brought_back_as_the_warning_says_counts_again_as_it_did(tmp_path):
    """QA EN: the file restored with the warning's `git checkout <c>~1 -- <file>` (or `git revert`) and
    committed was taken for one added after the quarter ended: left out, the grade stayed moved."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    _, before = built(r, tmp_path)
    gone = r.commit({"content/objectives/ship-y.md": None}, "2027-01-10T10:00:00+00:00")
    r.git("checkout", f"{gone}~1", "--", "content/objectives/ship-y.md")
    r.commit({}, "2027-02-01T10:00:00+00:00", message="Bring back Ship Y")
    out, after = built(r, tmp_path)
    assert objective_json(after, "grow-q3")["grade"] == objective_json(before, "grow-q3")["grade"] == 0.75
    assert "left_out" not in objective_json(after, "grow-q3") and "not counted" not in (out / "periods/2026-q3/index.html").read_text()


@pytest.mark.parametrize("again", ["written anew", "brought back"])
def test_a_child_deleted_while_the_quarter_ran_and_written_again_later_is_left_out(tmp_path, again):
    """QA EO 1: a child deleted inside its quarter was not in the grade as it ended (0.75); its id
    written again a year later (a new file, or the old one brought back) counted, as if git had held it
    since its first commit, and the grade fell to 0.50 with no word. Git did not hold it on the
    quarter's last day: it is left out, and said to be."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-07-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": None}, "2026-08-01T10:00:00+00:00")
    _, before = built(r, tmp_path)
    assert objective_json(before, "grow-q3")["grade"] == 0.5
    if again == "brought back":
        r.git("checkout", "HEAD~1", "--", "content/objectives/ship-x.md")
        r.commit({}, "2027-01-10T10:00:00+00:00", message="Bring back Ship X")
    else:
        r.commit({"content/objectives/ship-x.md": ALIGNED.format(title="Ship X v2", period="2026-Q3", current=0)}, "2027-01-10T10:00:00+00:00")
    _, after = built(r, tmp_path)
    grow = objective_json(after, "grow-q3")
    assert (grow["grade"], grow["left_out"]) == (0.5, [{"id": "ship-x", "reason": "added_after_end"}])


def test_a_child_brought_back_and_then_renamed_keeps_the_grade(tmp_path):
    """QA EO 2: a child deleted after the quarter, brought back with the printed command, then renamed
    with `git mv` (its id with it) moved the grade again. The renamed one is new to the quarter (left
    out); the id git held on its last day is counted as its last version stood."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    gone = r.commit({"content/objectives/ship-x.md": None}, "2027-01-10T10:00:00+00:00")
    r.git("checkout", f"{gone}~1", "--", "content/objectives/ship-x.md")
    r.commit({}, "2027-01-11T10:00:00+00:00", message="Bring back Ship X")
    r.commit({}, "2027-01-12T10:00:00+00:00", moves={"content/objectives/ship-x.md": "content/objectives/shipped.md"})
    result = build(r.root, tmp_path / "out")
    assert result.ok and result.report.warnings == []
    assert objective_json(json.loads((tmp_path / "out/okrs.json").read_text()), "grow-q3")["grade"] == 0.75


def test_a_deleted_child_whose_parent_was_written_with_spaces_is_said_too(tmp_path):
    """Review: the parent as written (`parent: " grow-q3 "`) is read as the loader reads it."""
    r = GitRepo(tmp_path / "goals")
    spaced = ALIGNED.format(title="Ship X", period="2026-Q3", current=10).replace("parent: grow-q3", 'parent: " grow-q3 "')
    assert 'parent: " grow-q3 "' in spaced
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": spaced, "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)},
             "2026-09-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": None}, "2027-02-01T10:00:00+00:00")
    out, data = built(r, tmp_path)
    assert objective_json(data, "grow-q3")["grade"] == 0.75
    assert "(1 deleted after 2026-Q3 ended counted as it stood then)" in html.unescape((out / "objectives/grow-q3/index.html").read_text())


def test_an_objective_deleted_before_its_roll_up_ended_is_not_said(tmp_path):
    """QA EJ 1: a child deleted while the quarter ran was never in its final grade."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=10),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-07-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": None}, "2026-08-01T10:00:00+00:00")
    out, _ = built(r, tmp_path)
    assert "deleted after" not in (out / "objectives/grow-q3/index.html").read_text()



def page_words(path: Path) -> str:
    """A page's text as read: without tags, its spaces run together."""
    return " ".join(re.sub(r"<[^>]+>", "", html.unescape(path.read_text(encoding="utf-8"))).split())


def test_a_finished_review_names_an_objective_deleted_after_it_ended_and_its_roll_up_adds_up(tmp_path):
    """QA FK: `git rm` of a finished 2026-Q3 objective on 2026-11-10 rewrote the quarter's review without
    a word (3 objectives → 2, "✔ 1 achieved" and "● 1 graded 0.7–1.0" gone, committed 0.60 → 0.40, its
    retro gone), while its roll-up still showed grade 0.60 with B at 20 % its only listed child, and
    okrs.json gave it progress 0.6 with children ['b'] and nothing to account for the rest. The
    deleted objective stays off the site, but the review counts it as it stood and says so (QA FN), and
    the roll-up's page, its review row and okrs.json name it with the progress counted and the commit
    that deleted it."""
    r = GitRepo(tmp_path / "goals")
    rollup = "---\ntitle: Roll-up\nperiod: 2026-Q3\nowner: sales\n---\n"
    a = ("---\ntitle: A\nperiod: 2026-Q3\nowner: sales\nparent: r\nkey_results:\n  - {title: a, target: 10, current: 10}\n"
         "retro: |\n  We did it.\n---\n")
    b = "---\ntitle: B\nperiod: 2026-Q3\nowner: sales\nparent: r\nkey_results:\n  - {title: b, target: 10, current: 2}\n---\n"
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-11-10\n', "content/teams/sales.md": TEAM, "content/objectives/r.md": rollup,
              "content/objectives/a.md": a, "content/objectives/b.md": b}, "2026-07-01T12:00:00+00:00")
    gone = r.commit({"content/objectives/a.md": None}, "2026-11-10T12:00:00+00:00", message="remove A")[:7]
    result = build(r.root, tmp_path / "out")
    assert result.ok and result.report.warnings == []
    out, data = tmp_path / "out", json.loads((tmp_path / "out/okrs.json").read_text())
    jsonschema.validate(data, json.loads((Path(__file__).parents[2] / "docs" / "okrs.schema.json").read_text()))
    review = page_words(out / "periods/2026-q3/review/index.html")
    assert ("1 objective of 2026-Q3, deleted after it ended, is counted as it stood: "
            f"A (grade 1.00, deleted on 2026-11-10 in {gone}; still counted as it stood in the grade of Roll-up).") in review
    assert "Objectives 3 By status" in review and "committed: 0.60" in review and "1 achieved" in review
    said = f"Deleted after 2026-Q3 ended and counted as it stood then: A at 100 % (deleted on 2026-11-10 in {gone})."
    assert said in review and said in page_words(out / "objectives/r/index.html")
    assert f"<code>{gone}</code>" in (out / "periods/2026-q3/review/index.html").read_text()
    roll_up = objective_json(data, "r")
    assert roll_up["children"] == ["b"] and roll_up["progress"] == 0.6 and roll_up["grade"] == 0.6
    assert roll_up["deleted_counted"] == [{"id": "a", "title": "A", "progress": 1.0, "deleted_on": "2026-11-10", "commit": gone}]
    counted = [objective_json(data, c)["progress"] for c in roll_up["children"]] + [d["progress"] for d in roll_up["deleted_counted"]]
    assert sum(counted) / len(counted) == pytest.approx(roll_up["progress"])


def test_a_review_names_a_deleted_roll_up_no_longer_counted_and_a_longer_child_counted_as_it_stood(tmp_path):
    """The review's note of the objectives deleted after the period ended says which its roll-up no longer
    counts (one that was a roll-up itself: check warns of it) and, of a yearly one aligned to a quarter's
    roll-up, the day it counted as it stood (its own grade came later: none is given)."""
    r = GitRepo(tmp_path / "goals")
    middle = "---\ntitle: Middle\nperiod: 2026-Q3\nowner: sales\nparent: grow-q3\n---\n"
    leaf = ALIGNED.format(title="Leaf", period="2026-Q3", current=10).replace("grow-q3", "mid")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/mid.md": middle, "content/objectives/leaf.md": leaf,
              "content/objectives/year-z.md": ALIGNED.format(title="Year Z", period="2026", current=4),
              "content/objectives/year-w.md": ALIGNED.format(title="Year W", period="2026", current=4).replace("parent: grow-q3\n", ""),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    gone = r.commit({"content/objectives/mid.md": None, "content/objectives/leaf.md": None, "content/objectives/year-z.md": None},
                    "2027-01-20T10:00:00+00:00")[:7]
    out, data = built(r, tmp_path)
    q3 = page_words(out / "periods/2026-q3/review/index.html")
    assert ("1 objective of 2026-Q3, deleted after it ended, is counted as it stood: "
            f"Leaf (grade 1.00, deleted on 2027-01-20 in {gone}).") in q3  # its roll-up, Middle, deleted too
    assert ("1 objective of 2026-Q3, deleted after it ended, is left out of these counts and averages: "
            f"Middle (deleted on 2027-01-20 in {gone}; no longer counted in the grade of Grow in Q3).") in q3
    assert ("1 objective of 2026, deleted after it ended, is counted as it stood: "
            f"Year Z (grade 0.40, deleted on 2027-01-20 in {gone}; counted as it stood on 2026-09-30 in the grade of Grow in Q3).") in page_words(
        out / "periods/2026/review/index.html")
    assert [d["id"] for d in objective_json(data, "grow-q3")["deleted_counted"]] == ["year-z"]


@pytest.mark.parametrize("readable", [True, False])
def test_a_public_build_names_no_deleted_private_objective(tmp_path, readable):
    """A private objective deleted after its quarter ended, which its roll-up counts as it stood (or, its
    last version unreadable, no longer counts), is named on the internal site's review and roll-up;
    on the public site not one byte of any file names its title or id (SPEC §14), and the review
    names the public one deleted with it."""
    r = GitRepo(tmp_path / "goals")
    secret = ALIGNED.format(title="Kingfisher Takeover", period="2026-Q3", current=8).replace("owner: sales\n", "owner: sales\nprivate: true\n")
    if not readable:
        secret = secret.replace("{title: K, target: 10,", "{title: K, start: 10, target: 10,")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/kingfisher-takeover.md": secret, "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=6),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    gone = r.commit({"content/objectives/kingfisher-takeover.md": None, "content/objectives/ship-x.md": None}, "2027-01-20T10:00:00+00:00")[:7]
    out, _ = built(r, tmp_path)
    internal = page_words(out / "periods/2026-q3/review/index.html")
    assert "Kingfisher Takeover" in internal
    assert f"Objectives {4 if readable else 3} By status" in internal
    (r.root / "okrsite.toml").write_text('title = "Q3"\nas_of = 2027-02-02\naudience = "public"\n')
    out, public = built(r, tmp_path)
    review = page_words(out / "periods/2026-q3/review/index.html")
    assert ("1 objective of 2026-Q3, deleted after it ended, is counted as it stood: "
            f"Ship X (grade 0.60, deleted on 2027-01-20 in {gone}; still counted as it stood in the grade of Grow in Q3).") in review
    assert "Objectives 3 By status" in review  # Grow, Ship Y and Ship X: the private one is in no count, as a live private one
    assert [d["id"] for d in objective_json(public, "grow-q3")["deleted_counted"]] == ["ship-x"]
    for path in (p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        assert b"kingfisher" not in data, path


MRR_KPI = "---\ntitle: MRR\nowner: sales\nsource: billing\nfrequency: monthly\ntarget: 200\ndata: data/mrr.csv\n---\n"
GROW_MRR = "---\ntitle: Grow\nperiod: 2026-Q1\nowner: sales\nkey_results:\n  - {title: Grow MRR, kpi: mrr, start: 100, target: 200}\n---\n"


def test_a_kpi_value_rewritten_after_the_period_ended_is_marked_on_the_key_result(tmp_path):
    """QA EJ 2: March's MRR corrected ten months after 2026-Q1 ended regraded it 0.50 → 0.90, and the key
    result said only "last check-in 2027-02-01": it now says the value was corrected after the quarter
    ended, as a late `current:` is marked; the month-end value first written two days after it is no
    correction: it is the value the quarter awaited, said so (QA FK)."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q1"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/kpis/mrr.md": MRR_KPI,
              "data/mrr.csv": "date,value\n2026-01-31,100\n", "content/objectives/grow.md": GROW_MRR}, "2026-02-02T10:00:00+00:00")
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n2026-03-31,150\n"}, "2026-04-02T10:00:00+00:00")
    out, _ = built(r, tmp_path)
    page = re.sub(r"<[^>]+>", "", (out / "objectives/grow/index.html").read_text())
    assert "corrected" not in page and "value of 2026-03-31 added on 2026-04-02 (the March 2026 value awaited)" in page
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n2026-03-31,190\n"}, "2027-02-01T10:00:00+00:00")
    out, data = built(r, tmp_path)
    page = re.sub(r"<[^>]+>", "", html.unescape((out / "objectives/grow/index.html").read_text()))
    assert objective_json(data, "grow")["grade"] == 0.9
    assert "value of 2026-03-31 corrected on 2027-02-01 (after 2026-Q1 ended)" in page
    review = re.sub(r"<[^>]+>", "", html.unescape((out / "periods/2026-q1/review/index.html").read_text()))
    assert "value of 2026-03-31 corrected on 2027-02-01 (after 2026-Q1 ended)" in review  # QA EO 4: said where the grade is
    assert objective_json(data, "grow")["key_results"][0]["corrected_late"] == {"date": "2026-03-31", "on": "2027-02-01"}


LATENCY_KPI = ("---\ntitle: Latency\nowner: sales\nsource: apm\nunit: {unit}\ndirection: down\nfrequency: monthly\ntarget: {target}\n"
               "values:\n  - {{date: 2026-01-31, value: {jan}}}\n  - {{date: 2026-03-31, value: {mar}}}\n---\n")
FASTER = "---\ntitle: Faster\nperiod: 2026-Q1\nowner: sales\nkey_results:\n  - {{title: Latency down, kpi: latency, start: {start}, target: {target}}}\n---\n"


def test_a_kpi_value_converted_into_a_new_unit_is_no_correction(tmp_path):
    """QA EO 3: converting a KPI's values into its new unit as docs/kpis.md says (ms → s, each /1000) a
    year after the quarter marked its key result "value of 2026-03-31 corrected", made the conversion its
    last check-in and the Changes page said "corrected 800 ms → 0.8 s". 800 ms is 0.8 s: none of that;
    a value written anew as another number in the same commit still is a correction."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q1"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM,
              "content/kpis/latency.md": LATENCY_KPI.format(unit="ms", target=700, jan=900, mar=800),
              "content/objectives/grow.md": FASTER.format(start=900, target=700)}, "2026-04-02T10:00:00+00:00")
    r.commit({"content/kpis/latency.md": LATENCY_KPI.format(unit="s", target=0.7, jan=0.9, mar=0.8),
              "content/objectives/grow.md": FASTER.format(start=0.9, target=0.7)}, "2027-02-01T10:00:00+00:00")
    out, data = built(r, tmp_path)
    page = re.sub(r"<[^>]+>", "", html.unescape((out / "objectives/grow/index.html").read_text()))
    changes = re.sub(r"<[^>]+>", "", html.unescape((out / "changes/index.html").read_text()))
    assert "corrected" not in page and "last check-in 2027-02-01" not in page
    assert "corrected" not in changes and "2 values of 2026-01-31 to 2026-03-31 converted from ms into s" in changes
    assert "corrected_late" not in objective_json(data, "grow")["key_results"][0]
    r.commit({"content/kpis/latency.md": LATENCY_KPI.format(unit="ms", target=700, jan=900, mar=780)}, "2027-02-02T10:00:00+00:00")
    out, data = built(r, tmp_path)
    assert objective_json(data, "grow")["key_results"][0]["corrected_late"] == {"date": "2026-03-31", "on": "2027-02-02"}


def test_a_kpi_value_written_again_unchanged_is_no_correction(tmp_path):
    """Review: a value removed and added back as it was (or values moved from one file to another) was
    said "corrected" on every finished key result that follows the KPI."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q1"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/kpis/mrr.md": MRR_KPI,
              "data/mrr.csv": "date,value\n2026-01-31,100\n2026-03-31,150\n", "content/objectives/grow.md": GROW_MRR}, "2026-04-02T10:00:00+00:00")
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n"}, "2026-06-02T10:00:00+00:00")
    r.commit({"data/mrr.csv": "date,value\n2026-01-31,100\n2026-03-31,150\n"}, "2026-06-03T10:00:00+00:00")
    out, _ = built(r, tmp_path)
    assert "corrected on" not in re.sub(r"<[^>]+>", "", (out / "objectives/grow/index.html").read_text())


def team_rollup(data: dict, team: str, period: str) -> dict:
    return next(p for p in next(t for t in data["teams"] if t["id"] == team)["rollup"] if p["period"] == period)


TEAM_OBJECTIVE = "---\ntitle: {title}\nperiod: {period}\nowner: {owner}\n{extra}key_results:\n  - {{title: K, target: 4, current: {current}}}\n---\n"


def _team_site(tmp_path: Path, as_of: str, extra: str = "") -> GitRepo:
    """QA FM: company > eng; a 2026-Q3 roll-up of the company's with an eng child, and two more eng
    objectives, Hire SRE aligned to the roll-up and Public API aligned to nothing; a 2026-Q4 one of eng."""
    r = GitRepo(tmp_path / "goals")
    obj = TEAM_OBJECTIVE.format
    r.commit({"okrsite.toml": f'title = "FM"\nas_of = {as_of}\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
              "content/teams/eng.md": "---\ntitle: Engineering\nparent: company\nmembers: [Eve Engineer]\n---\n",
              "content/objectives/be-reliable.md": "---\ntitle: Be reliable\nperiod: 2026-Q3\nowner: company\n---\n",
              "content/objectives/cut-latency.md": obj(title="Cut latency", period="2026-Q3", owner="eng", extra="parent: be-reliable\n", current=4),
              "content/objectives/hire-sre.md": obj(title="Hire SRE", period="2026-Q3", owner="eng", extra="parent: be-reliable\n", current=3),
              "content/objectives/public-api.md": obj(title="Public API", period="2026-Q3", owner="Eve Engineer", extra=extra, current=2),
              "content/objectives/q4.md": obj(title="Q4 work", period="2026-Q4", owner="eng", extra="", current=1),
              "content/objectives/q4-gone.md": obj(title="Q4 gone", period="2026-Q4", owner="eng", extra="", current=4)},
             "2026-07-01T12:00:00+00:00")
    return r


def test_a_finished_quarter_s_team_figures_count_its_objectives_deleted_after_it_ended_as_they_stood(tmp_path):
    """QA FM: `git rm` of a finished 2026-Q3 objective on 2026-10-05 moved Engineering's figures (3 objectives
    → 2, progress 0.8 → 0.825, grade 0.8 → 0.83) with no word on its page or in okrs.json, while the roll-up
    it was aligned to stayed frozen. Its figures, and the company's, now count it and one aligned to
    nothing as they stood, the team's page names them, okrs.json lists them in deleted_counted; a
    running quarter's objective deleted in it is gone from its figures as before."""
    r = _team_site(tmp_path, "2026-10-02")
    _, before = built(r, tmp_path)
    (r.root / "okrsite.toml").write_text('title = "FM"\nas_of = 2026-10-05\n')
    gone = r.commit({"content/objectives/hire-sre.md": None, "content/objectives/public-api.md": None, "content/objectives/q4-gone.md": None},
                    "2026-10-05T10:00:00+00:00", message="Drop hire-sre")[:7]
    out, after = built(r, tmp_path)
    jsonschema.validate(after, json.loads((Path(__file__).parents[2] / "docs" / "okrs.schema.json").read_text()))
    for team in ("eng", "company"):
        was, now = team_rollup(before, team, "2026-Q3"), team_rollup(after, team, "2026-Q3")
        assert {k: now[k] for k in ("counted", "progress", "grade", "committed_grade", "statuses")} == {
            k: was[k] for k in ("counted", "progress", "grade", "committed_grade", "statuses")}, team
        assert now["deleted_counted"] == [
            {"id": "hire-sre", "title": "Hire SRE", "progress": 0.75, "grade": 0.75, "deleted_on": "2026-10-05", "commit": gone},
            {"id": "public-api", "title": "Public API", "progress": 0.5, "grade": 0.5, "deleted_on": "2026-10-05", "commit": gone}]
    eng = team_rollup(after, "eng", "2026-Q3")
    assert eng["objectives"] == ["cut-latency"] and eng["counted"] == 3 and eng["progress"] == 0.75
    q4 = team_rollup(after, "eng", "2026-Q4")
    assert q4["objectives"] == ["q4"] and q4["counted"] == 1 and "deleted_counted" not in q4
    page = page_words(out / "teams/eng/index.html")
    assert "3 objectives · average progress 75 %" in page
    assert (f"2 deleted after 2026-Q3 ended, counted as they stood: Hire SRE at 75 % (deleted on 2026-10-05, {gone}), "
            f"Public API at 50 % (deleted on 2026-10-05, {gone}).") in page
    assert "Q4 gone" not in page


def _between(words: str, start: str, end: str) -> str:
    """``words`` from ``start`` to the first match of the pattern ``end`` after it."""
    at = words.index(start)
    return words[at:re.compile(end).search(words, at + len(start)).start()]


def _period_summaries(out: Path) -> dict[str, str]:
    """What a period's review summary, page and archive row say of 2026-Q3 and 2026-Q4, as read."""
    archive = page_words(out / "archive/index.html")
    found = {"archive Q3": _between(archive, "2026-Q3 2026-07-01", "Review of 2026-Q3"),
             "archive Q4": _between(archive, "2026-Q4 2026-10-01", "Review of 2026-Q4")}
    for period in ("2026-Q3", "2026-Q4"):
        url = period.lower()
        found[f"review {period}"] = _between(page_words(out / f"periods/{url}/review/index.html"), "Objectives", "Objectives, in alignment order")
        found[f"page {period}"] = _between(page_words(out / f"periods/{url}/index.html"), "every objective under the one it supports", r"\d+ objectives? (?!of)")
    return found


def test_a_finished_quarter_s_review_page_and_archive_count_its_objectives_deleted_after_it_ended(tmp_path):
    """QA FN: `git rm` of two finished 2026-Q3 objectives after the review meeting moved the review's
    summary (4 objectives → 2, committed 0.78 → 0.94) and left it disagreeing with the company team's
    figures, which count them as they stood; the period's page and the archive moved with it. Every
    summary of the finished quarter now counts them as they stood and the review and period page name
    them; the running 2026-Q4's objective deleted in it is gone from its figures, as before."""
    r = _team_site(tmp_path, "2026-10-02")
    before_out, before = built(r, tmp_path)
    was = _period_summaries(before_out)
    (r.root / "okrsite.toml").write_text('title = "FM"\nas_of = 2026-10-05\n')
    gone = r.commit({"content/objectives/hire-sre.md": None, "content/objectives/public-api.md": None, "content/objectives/q4-gone.md": None},
                    "2026-10-05T10:00:00+00:00", message="Drop hire-sre")[:7]
    out, after = built(r, tmp_path)
    now = _period_summaries(out)
    said = ("2 objectives of 2026-Q3, deleted after it ended, are counted as they stood: "
            f"Hire SRE (grade 0.75, deleted on 2026-10-05 in {gone}; still counted as it stood in the grade of Be reliable), "
            f"Public API (grade 0.50, deleted on 2026-10-05 in {gone}).")
    for key in ("archive Q3", "review 2026-Q3"):
        assert now[key].replace(said, "").split() == was[key].split(), key
    page = now["page 2026-Q3"].replace(said, "").split()
    assert page == was["page 2026-Q3"].split()
    assert said in now["review 2026-Q3"] and said in now["page 2026-Q3"]
    assert "Objectives 4 By status" in now["review 2026-Q3"] and "committed: 0.78" in now["review 2026-Q3"]
    company = team_rollup(after, "company", "2026-Q3")
    assert company["counted"] == 4 and company["committed_grade"] == 0.78
    assert now["review 2026-Q4"] != was["review 2026-Q4"] and "Objectives 1 By status" in now["review 2026-Q4"]
    assert "deleted after" not in now["review 2026-Q4"] and "Q4 gone" not in now["page 2026-Q4"]


def test_a_public_site_counts_and_names_no_deleted_private_objective_in_a_team_s_figures(tmp_path):
    """A private objective deleted after its quarter ended counts in its team's figures on the internal
    site, named; a public site leaves it out of them, as it leaves out a live private one, and no byte
    of any file names it (SPEC §14)."""
    r = _team_site(tmp_path, "2026-10-05", extra="private: true\n")
    r.commit({"content/objectives/public-api.md": None}, "2026-10-05T10:00:00+00:00")
    out, internal = built(r, tmp_path)
    assert team_rollup(internal, "eng", "2026-Q3")["counted"] == 3
    assert "Public API" in page_words(out / "teams/eng/index.html")
    (r.root / "okrsite.toml").write_text('title = "FM"\nas_of = 2026-10-05\naudience = "public"\n')
    out, public = built(r, tmp_path)
    eng = team_rollup(public, "eng", "2026-Q3")
    assert eng["counted"] == 2 and "deleted_counted" not in eng
    for path in (p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        assert b"public api" not in data and b"public-api" not in data, path


STOOD_KPI = "---\ntitle: M\nowner: company\nsource: x\ntarget: 100\nfrequency: monthly\nvalues:\n  - {date: 2025-12-15, value: 80}\n---\n"
STOOD_KEEP = "---\ntitle: Keep\nperiod: 2025-Q4\nowner: company\nkey_results:\n  - {title: KR, target: 10, current: 10}\n---\n"
STOOD_GONE = "---\ntitle: Gone\nperiod: 2025-Q4\nowner: company\nkey_results:\n  - {title: KR, kpi: m, target: 100}\n---\n"
STOOD_GONE_OWN = "---\ntitle: Gone\nperiod: 2025-Q4\nowner: company\nkey_results:\n  - {{title: KR, target: 10, current: {current}}}\n---\n"


def _stood_site(tmp_path: Path, gone: str) -> GitRepo:
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "T"\n', "content/teams/company.md": "---\ntitle: Company\n---\n", "content/kpis/m.md": STOOD_KPI,
              "content/objectives/keep.md": STOOD_KEEP, "content/objectives/gone.md": gone}, "2025-10-02T10:00:00+00:00")
    return r


def test_a_deleted_objective_following_a_kpi_renamed_since_still_counts_as_it_stood(tmp_path):
    """Review (fiftieth round): a finished quarter's objective deleted after it ended, its key result
    following KPI `m`, counted as it stood (grade 0.9) until `git mv m.md m2.md`: then it was dropped
    from the team's figures (1 counted, grade 1.0) and named nowhere. It follows the KPI under its new id."""
    r = _stood_site(tmp_path, STOOD_GONE)
    gone = r.commit({"content/objectives/gone.md": None}, "2026-01-10T10:00:00+00:00")[:7]
    (r.root / "okrsite.toml").write_text('title = "T"\nas_of = 2026-01-11\n')
    _, before = built(r, tmp_path)
    r.commit({}, "2026-01-12T10:00:00+00:00", moves={"content/kpis/m.md": "content/kpis/m2.md"})
    (r.root / "okrsite.toml").write_text('title = "T"\nas_of = 2026-01-15\n')
    out, after = built(r, tmp_path)
    was, now = team_rollup(before, "company", "2025-Q4"), team_rollup(after, "company", "2025-Q4")
    assert (now["counted"], now["grade"]) == (was["counted"], was["grade"]) == (2, 0.9)
    assert now["deleted_counted"] == was["deleted_counted"] == [
        {"id": "gone", "title": "Gone", "progress": 0.8, "grade": 0.8, "deleted_on": "2026-01-10", "commit": gone}]
    assert "is counted as it stood: Gone (grade 0.80" in page_words(out / "periods/2025-q4/index.html")


def test_an_objective_deleted_brought_back_and_deleted_again_counts_as_it_stood_when_finally_deleted(tmp_path):
    """Review (fiftieth round): `gone` (2/10) deleted after its quarter, brought back with a final value
    of 7 (SPEC §6 counts one written after the period) and deleted again was counted at 0.2, deleted on
    the first day, in the first commit. Its last version counts, with the last deletion's day and commit."""
    r = _stood_site(tmp_path, STOOD_GONE_OWN.format(current=2))
    r.commit({"content/objectives/gone.md": None}, "2026-01-10T10:00:00+00:00")
    r.commit({"content/objectives/gone.md": STOOD_GONE_OWN.format(current=7)}, "2026-01-20T10:00:00+00:00")
    gone = r.commit({"content/objectives/gone.md": None}, "2026-01-25T10:00:00+00:00")[:7]
    (r.root / "okrsite.toml").write_text('title = "T"\nas_of = 2026-02-01\n')
    out, after = built(r, tmp_path)
    company = team_rollup(after, "company", "2025-Q4")
    assert (company["counted"], company["grade"]) == (2, 0.85)
    assert company["deleted_counted"] == [{"id": "gone", "title": "Gone", "progress": 0.7, "grade": 0.7, "deleted_on": "2026-01-25", "commit": gone}]
    assert f"Gone (grade 0.70, deleted on 2026-01-25 in {gone}" in page_words(out / "periods/2025-q4/index.html")


def test_a_deleted_objective_following_a_kpi_deleted_since_is_named_left_out_and_warned(tmp_path):
    """Review (fiftieth round): with the KPI it follows deleted too, a finished quarter's deleted objective
    that no roll-up counted cannot be counted as it stood: it was dropped from the figures with no word.
    The period's page and review name it as left out, and check warns with the command to bring it back."""
    r = _stood_site(tmp_path, STOOD_GONE)
    gone = r.commit({"content/objectives/gone.md": None}, "2026-01-10T10:00:00+00:00")[:7]
    r.commit({"content/kpis/m.md": None}, "2026-01-12T10:00:00+00:00")
    (r.root / "okrsite.toml").write_text('title = "T"\nas_of = 2026-01-15\n')
    result = build(r.root, tmp_path / "out")
    assert result.ok
    said = f"1 objective of 2025-Q4, deleted after it ended, is left out of these counts and averages: Gone (deleted on 2026-01-10 in {gone})."
    for page in ("periods/2025-q4/index.html", "periods/2025-q4/review/index.html"):
        assert said in page_words(tmp_path / "out" / page), page
    [warning] = [d for d in result.report.warnings if "'gone'" in d.message]
    assert warning.file == "content/objectives/gone.md" and gone in warning.message and f"git checkout '{gone}~1' -- content/objectives/gone.md" in warning.hint


def test_a_child_deleted_brought_back_and_deleted_again_counts_in_its_roll_up_as_it_stood_when_finally_deleted(tmp_path):
    """The roll-up agrees with the team figures: its child deleted twice counts at its last version's 0.7."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2027-02-02\n', "content/teams/sales.md": TEAM, "content/objectives/grow-q3.md": ROLL_UP,
              "content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=2),
              "content/objectives/ship-y.md": ALIGNED.format(title="Ship Y", period="2026-Q3", current=5)}, "2026-09-20T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": None}, "2027-01-10T10:00:00+00:00")
    r.commit({"content/objectives/ship-x.md": ALIGNED.format(title="Ship X", period="2026-Q3", current=7)}, "2027-01-20T10:00:00+00:00")
    gone = r.commit({"content/objectives/ship-x.md": None}, "2027-01-25T10:00:00+00:00")[:7]
    _, data = built(r, tmp_path)
    grow = objective_json(data, "grow-q3")
    assert grow["grade"] == 0.6
    assert grow["deleted_counted"] == [{"id": "ship-x", "title": "Ship X", "progress": 0.7, "deleted_on": "2027-01-25", "commit": gone}]
