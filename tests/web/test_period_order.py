"""The order of periods on the team pages, the alignment page, the archive and the search page's
period filter: the current period,
the others running on the as-of date, then the upcoming ones (soonest first), then the finished ones
(most recent first); the same as the home page's "Also running"."""

from __future__ import annotations

import re
from datetime import date

from okrsite.build import build

from ..conftest import write_files

SETTINGS = 'title = "Periods"\nas_of = 2026-11-23\n\n[periods.FY27-Q1]\nstart = 2026-11-01\nend = 2027-01-31\n'
TEAM = "---\ntitle: Sales\n---\n"
EXPECTED = ["2026-Q4", "2026", "FY27-Q1", "2026-12", "2027-Q1", "2026-Q3", "2026-Q2"]


def goal(title: str, period: str) -> str:
    return f"---\ntitle: {title}\nperiod: {period}\nowner: sales\nkey_results:\n  - title: Do it\n    done: false\n---\n"


def test_periods_read_current_running_upcoming_then_finished(tmp_path):
    files = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM}
    for n, period in enumerate(["2026-Q2", "2026-Q3", "2026-Q4", "2026-Q4", "2026-Q4", "2026", "FY27-Q1", "2026-12", "2027-Q1"]):
        files[f"content/objectives/goal-{n}.md"] = goal(f"Goal {n}", period)
    root = write_files(tmp_path / "site", files)
    out = tmp_path / "out"
    result = build(root, out, as_of=date(2026, 11, 23))
    assert result.ok, result.report.items
    read = lambda page: (out / page).read_text(encoding="utf-8")
    slug = {p.lower(): p for p in EXPECTED}
    archive = re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', read("archive/index.html"))
    alignment = [slug[s] for s in re.findall(r'<h2 id="map-([^"]+)">', read("alignment/index.html"))]
    team = [slug[s] for s in re.findall(r'<h3 id="period-([^"]+)">', read("teams/sales/index.html"))]
    search = re.findall(r'<option value="([^"]+)">', read("search/index.html").split('name="period"', 1)[1].split("</select>", 1)[0])
    assert archive == alignment == team == search == EXPECTED
    home = read("index.html").split("Also running", 1)[1]
    assert re.findall(r'<li><a href="[^"]*">([^<]+)</a>', home)[:2] == ["2026", "FY27-Q1"]


def test_also_running_counts_a_period_s_objectives_as_the_archive_does(tmp_path):
    """SPEC §6: a cancelled objective is left out of status counts. "Also running" said "2026 (2
    objectives)" for one that counts and one cancelled; the archive says "1 (and 1 cancelled)"."""
    files = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM}
    for n, period in enumerate(["2026-Q4", "2026-Q4", "2026", "2026", "2026-11"]):
        files[f"content/objectives/goal-{n}.md"] = goal(f"Goal {n}", period)
    files["content/objectives/goal-3.md"] = files["content/objectives/goal-3.md"].replace("owner: sales", "owner: sales\nstatus: cancelled")
    root = write_files(tmp_path / "site", files)
    assert build(root, tmp_path / "out", as_of=date(2026, 11, 23)).ok
    home = re.sub(r"<[^>]+>", "", (tmp_path / "out/index.html").read_text(encoding="utf-8").split("Also running", 1)[1])
    assert "2026 (1 objective and 1 cancelled, ends 2026-12-31)" in home
    assert "2026-11 (1 objective, ends 2026-11-30)" in home


def test_a_period_of_cancelled_objectives_only_says_so_not_zero_objectives(tmp_path):
    """"2026 (2 cancelled objectives, …)" on the home page, in the period page's description and on the team's,
    not "0 objectives (and 2 cancelled)"."""
    files = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM}
    for n, period in enumerate(["2026-Q4", "2026", "2026"]):
        files[f"content/objectives/goal-{n}.md"] = goal(f"Goal {n}", period)
    for n in (1, 2):
        files[f"content/objectives/goal-{n}.md"] = files[f"content/objectives/goal-{n}.md"].replace("owner: sales", "owner: sales\nstatus: cancelled")
    root = write_files(tmp_path / "site", files)
    assert build(root, tmp_path / "out", as_of=date(2026, 11, 23)).ok
    text = lambda page: re.sub(r"<[^>]+>", "", (tmp_path / "out" / page).read_text(encoding="utf-8"))
    assert "2026 (2 cancelled objectives, ends 2026-12-31)" in text("index.html").split("Also running", 1)[1]
    assert "): 2 cancelled objectives of Periods." in (tmp_path / "out/periods/2026/index.html").read_text(encoding="utf-8")
    assert "2 cancelled objectives" in text("teams/sales/index.html")
    for page in ("index.html", "periods/2026/index.html", "teams/sales/index.html", "alignment/index.html"):
        assert "0 objectives" not in text(page), page
    assert re.search(r"<dd>2 cancelled</dd>", (tmp_path / "out/periods/2026/review/index.html").read_text(encoding="utf-8"))
    assert re.search(r'<a href="[^"]*">2026</a></th> <td>.*?</td> <td>2 cancelled</td>', (tmp_path / "out/archive/index.html").read_text(encoding="utf-8"))


def test_objectives_counted_words():
    from okrsite.web.render import objectives_counted

    assert objectives_counted(1, 0) == "1 objective" and objectives_counted(0, 0) == "0 objectives"
    assert objectives_counted(5, 1) == "5 objectives (and 1 cancelled)"
    assert objectives_counted(5, 1, nested=True) == "5 objectives and 1 cancelled"
    assert objectives_counted(0, 1) == "1 cancelled objective" == objectives_counted(0, 1, nested=True)


def test_a_period_page_links_its_own_map_and_the_alignment_page_lists_its_periods_at_the_top(tmp_path):
    """QA CK: the period page linked only alignment/index.html, and with 17 periods a reader scrolled past 13 maps."""
    files = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM}
    for n, period in enumerate(["2026-Q2", "2026-Q3", "2026-Q4", "2026-Q4", "2026", "FY27-Q1", "2026-12", "2027-Q1"]):
        files[f"content/objectives/goal-{n}.md"] = goal(f"Goal {n}", period)
    root = write_files(tmp_path / "site", files)
    out = tmp_path / "out"
    assert build(root, out, as_of=date(2026, 11, 23)).ok
    period = (out / "periods/2026-q3/index.html").read_text(encoding="utf-8")
    assert '<a href="../../alignment/index.html#map-2026-q3">Alignment map of 2026-Q3</a>' in period
    alignment = (out / "alignment/index.html").read_text(encoding="utf-8")
    jumps = re.search(r'<nav class="jump-list" aria-label="Periods on this page">(.*?)</nav>', alignment, re.S)
    assert jumps is not None and re.findall(r'<a href="#map-([^"]+)">', jumps[1]) == [p.lower() for p in EXPECTED]
    assert set(re.findall(r'<a href="#map-([^"]+)">', jumps[1])) <= set(re.findall(r'<h2 id="map-([^"]+)">', alignment))


def test_an_alignment_page_of_a_few_periods_has_no_list_of_them(tmp_path):
    files = {"okrsite.toml": 'title = "Periods"\n', "content/teams/sales.md": TEAM,
             "content/objectives/a.md": goal("A", "2026-Q3"), "content/objectives/b.md": goal("B", "2026-Q4")}
    root = write_files(tmp_path / "site", files)
    assert build(root, tmp_path / "out", as_of=date(2026, 11, 23)).ok
    assert "jump-list" not in (tmp_path / "out/alignment/index.html").read_text(encoding="utf-8")


def test_the_home_page_links_the_review_of_the_last_finished_period_of_the_current_ones_kind(tmp_path):
    """QA CK: between two quarters readers look for the last one's review; a month that ended since is
    not it, nor a quarter without objectives."""
    files = {"okrsite.toml": SETTINGS + '\n[periods.FY26-Q4]\nstart = 2026-08-01\nend = 2026-10-31\n', "content/teams/sales.md": TEAM}
    for n, period in enumerate(["2026-Q2", "2026-Q3", "2026-Q4", "2026-Q4", "2026-10", "FY27-Q1"]):
        files[f"content/objectives/goal-{n}.md"] = goal(f"Goal {n}", period)
    root = write_files(tmp_path / "site", files)
    out = tmp_path / "out"
    assert build(root, out, as_of=date(2026, 11, 23)).ok
    home = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<p class="review-link"><a href="([^"]+)">Review of ([^<]+)</a> <span class="muted">— ended <time datetime="[^"]+">([^<]+)</time></span>', home) \
        == [("periods/2026-q3/review/index.html", "2026-Q3", "2026-09-30")]
    assert (out / "periods/2026-q3/review/index.html").is_file()
    files = {"okrsite.toml": 'title = "Periods"\n', "content/teams/sales.md": TEAM, "content/objectives/a.md": goal("A", "2026-Q4")}
    root = write_files(tmp_path / "first", files)
    assert build(root, tmp_path / "out-first", as_of=date(2026, 11, 23)).ok
    assert "review-link" not in (tmp_path / "out-first/index.html").read_text(encoding="utf-8")
