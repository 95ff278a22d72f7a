"""The review page of a period (SPEC §13), grades on period pages and the archive, lineage, okrs.json."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from okrsite.build import build

from ..conftest import FIXTURES, compose_site, write_files
from ..gitrepo import needs_git


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = compose_site(tmp_path_factory.mktemp("closing") / "goals", FIXTURES / "closing")
    target = root.parent / "site"
    assert build(root, target, strict=True).ok
    return target


def page(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


def objective_ids(html: str) -> list[str]:
    return re.findall(r'<article class="review-objective[^"]*" id="objective-[^"]+" data-objective="([^"]+)"', html)


def test_finished_review_holds_every_objective_with_its_grade_in_alignment_order(out):
    html = page(out, "periods/2026-q3/review/")
    # roots in file order (bet, grow), each followed by its children of the same period
    assert objective_ids(html) == ["bet", "region", "grow", "done-thing", "dropped", "launch"]
    grow = html.split('data-objective="grow"')[1].split("</article>")[0]
    assert "grade 0.60" in grow and "self-assessed; computed 0.43" in grow and "grade-yellow" in grow
    assert "✖</span> missed" in grow
    assert "start 0% <span aria-hidden=\"true\">→</span> <strong>final 60%</strong>" in grow
    assert "<strong>Learned:</strong> pricing needs a" in grow  # the retro, as Markdown
    launch = html.split('data-objective="launch"')[1].split("</article>")[0]
    assert "final 420" in launch, "KPI-linked: the value at the period's end"
    assert "Not continued yet" in launch
    assert "committed: <strong>0.66</strong>" in html  # (0.6 + 1.0 + 0.78 + 0.25) / 4; bet is aspirational
    assert "aspirational: <strong>0.25</strong>" in html
    assert "1 graded 0.4–0.69" in html and "2 graded below 0.4" in html
    assert "1 warning" in html, "the KPI's health at the period's end (420 of 500), not today's (520)"
    # the printed footer's text, as a custom property of <html> (moved into the page's hashed <style> block)
    assert '<html lang="en" data-css="0">' in html
    assert '[data-css="0"] { --print-footer: "Closing a quarter · review of 2026-Q3 (2026-07-01 – 2026-09-30)" !important' in html


def test_running_review_shows_status_and_progress(out):
    html = page(out, "periods/2026-q4/review/")
    assert objective_ids(html) == ["launch-2"]
    block = html.split('data-objective="launch-2"')[1].split("</article>")[0]
    assert "status-on-track" in block and "0 % done, expected" in block and "grade" not in block


def test_period_page_and_archive_link_the_review_and_count_by_band(out):
    period = page(out, "periods/2026-q3/")
    assert 'href="review/index.html"' in period or 'href="../../periods/2026-q3/review/index.html"' in period
    assert "1 graded 0.4–0.69" in period
    archive = page(out, "archive/")
    assert archive.count("/review/index.html") == 2
    assert "2 graded 0.7–1.0" in archive


def test_objective_headline_after_the_period_is_the_grade_with_the_verdict_beside(out):
    html = page(out, "objectives/launch/")
    headline = re.search(r'<p class="headline">(.*?)</p>', html, re.S)[1]
    assert "grade-green" in headline and "final grade 0.78" in headline and "missed" in headline
    assert "status-missed" not in headline, "not a red 'missed' for a 0.78"


def test_lineage_is_shown_both_ways(tmp_path):
    from okrsite.carryover import carry_over

    root = compose_site(tmp_path / "goals", FIXTURES / "closing")
    carry_over(root, "2026-Q3", "2026-Q4")
    assert build(root, tmp_path / "site", strict=True).ok
    old, new = page(tmp_path / "site", "objectives/grow/"), page(tmp_path / "site", "objectives/grow-2/")
    assert re.search(r"<dt>Continued in</dt> <dd><a href=\"../../objectives/grow-2/index.html\" dir=\"auto\">Grow the business</a>", old)
    assert re.search(r"<dt>Continues</dt> <dd><a href=\"../../objectives/grow/index.html\" dir=\"auto\">Grow the business</a>", new)
    review = page(tmp_path / "site", "periods/2026-q3/review/")
    assert "Continued in <a href=\"../../../objectives/grow-2/index.html\" dir=\"auto\">" in review
    data = json.loads((tmp_path / "site" / "okrs.json").read_text())
    by_id = {o["id"]: o for o in data["objectives"]}
    assert (by_id["grow"]["followed_by"], by_id["grow-2"]["follows"]) == (["grow-2"], "grow")


def test_okrs_json_has_score_retro_and_review_url(out):
    data = json.loads((out / "okrs.json").read_text())
    grow = next(o for o in data["objectives"] if o["id"] == "grow")
    assert (grow["score"], grow["grade"], grow["follows"], grow["followed_by"]) == (0.6, 0.6, None, [])
    assert grow["retro"].startswith("- **Went well:** the launch.")
    assert [p["review_url"] for p in data["periods"]] == ["periods/2026-q3/review/", "periods/2026-q4/review/"]


def test_the_footer_text_is_one_plain_css_string_whatever_the_title():
    from okrsite.web.render import css_string

    assert css_string('Acme "R&D" </style> {x} O\'Neil \\ /*\n') == '"Acme ”R&D” ‹/style› (x) O’Neil / /×"'


def test_running_review_of_the_example_shows_forecasts_and_guardrails(tmp_path):
    """The example's 2026-Q4 runs on its as-of date: objectives show their forecast (SPEC §11) beside the
    status, and its guardrail key result its line and whether it holds, without a progress bar."""
    from ..conftest import REPO

    assert build(REPO, tmp_path / "site").ok
    html = page(tmp_path / "site", "periods/2026-q4/review/")
    grow = html.split('data-objective="grow-recurring-revenue"')[1].split("</article>")[0]
    assert re.search(r'<span class="forecast forecast-[a-z-]+">forecast <strong>\d+ %</strong>', grow)
    guard = grow.split("Keep gross margin at or above 70%")[1].split("</li>")[0]
    assert "keep at or above 70%" in guard and "held" in guard and 'role="progressbar"' not in guard


def test_a_long_review_is_cut_into_parts_between_top_level_objectives(example_copy, tmp_path, monkeypatch):
    """At 10,000 objectives one quarter's review would be a 25 MB page: above REVIEW_PAGE_LIMIT
    objectives the review page keeps the summary and lists the parts; each part holds whole trees
    (a top-level objective and everything aligned to it), in alignment order, with links between."""
    from okrsite.web import render

    whole = tmp_path / "whole"
    assert build(example_copy, whole, cache=False).ok
    monkeypatch.setattr(render, "REVIEW_PAGE_LIMIT", 4)  # the example's 2026-Q4 has 9 objectives, 2026-Q3 6
    out = tmp_path / "out"
    assert build(example_copy, out, cache=False).ok
    order = re.findall(r'data-objective="([^"]+)" data-depth="(\d)"', (whole / "periods/2026-q4/review/index.html").read_text())
    main = (out / "periods/2026-q4/review/index.html").read_text()
    assert 'id="summary"' in main and "data-objective=" not in main
    parts = sorted((out / "periods/2026-q4/review").glob("*/index.html"), key=lambda path: int(path.parent.name))
    assert len(parts) >= 2 and main.count('<a href="../../../periods/2026-q4/review/') == len(parts) + 1  # and the breadcrumb
    found = []
    for n, part in enumerate(parts, 1):
        text = part.read_text()
        articles = re.findall(r'data-objective="([^"]+)" data-depth="(\d)"', text)
        assert articles[0][1] == "0" and (len(articles) <= 4 or sum(d == "0" for _, d in articles) == 1)
        assert f"<h1>Review of 2026-Q4, part {n} of {len(parts)}</h1>" in text and 'id="summary"' not in text
        assert ('rel="next"' in text) == (n < len(parts)) and ('rel="prev"' in text) == (n > 1)
        found += articles
    assert found == order
    for page in out.rglob("*.html"):
        for link in re.findall(r'href="([^"#]+)', page.read_text()):
            assert link.startswith("https://") or (page.parent / link).resolve().is_file(), (page, link)


def test_objective_page_after_the_period_says_final_not_now(out):
    """A month after the quarter the objective's page said "now 420" where the review said "final 420":
    the number no longer moves (SPEC §6, a finished period is frozen), so both say final."""
    ended = page(out, "objectives/grow/")
    assert "<strong>final 60%</strong>" in ended and "<strong>now " not in ended
    launch = page(out, "objectives/launch/")
    assert "<strong>final 420" in launch
    running = page(out, "objectives/launch-2/")
    assert "<strong>now " in running and "<strong>final " not in running


def lineage_of(html: str, ident: str) -> str:
    block = html.split(f'data-objective="{ident}"')[1].split("</article>")[0]
    return re.sub(r"<[^>]+>", "", re.search(r'<p class="review-lineage[^"]*">(.*?)</p>', block, re.S)[1])


def test_not_continued_yet_gives_the_command_for_the_next_period_of_the_site(out, tmp_path):
    """The review said "okrsite carry-over 2026-Q3 NEXT", a placeholder pasted as is, though the site
    has 2026-Q4: the command names it, narrowed to the owner (--owner) when the objective stands alone
    (key results of its own, nothing unfinished above it to carry first); else the whole period."""
    html = page(out, "periods/2026-q3/review/")
    assert "NEXT" not in html
    assert lineage_of(html, "launch") == "Not continued yet: okrsite carry-over 2026-Q3 2026-Q4."  # its parent grow is carried first
    assert lineage_of(html, "region") == "Not continued yet: okrsite carry-over 2026-Q3 2026-Q4."  # its parent bet is a roll-up
    root = compose_site(tmp_path / "goals", FIXTURES / "closing")
    write_files(root, {"content/objectives/2026-q3/launch.md": (root / "content/objectives/2026-q3/launch.md").read_text().replace("parent: grow\n", "")})
    assert build(root, tmp_path / "site").ok  # an orphan: a warning
    assert lineage_of(page(tmp_path / "site", "periods/2026-q3/review/"), "launch") == "Not continued yet: okrsite carry-over 2026-Q3 2026-Q4 --owner product."


def test_a_yearly_roll_up_not_continued_yet_names_its_quarter_s_carry_over_first(tmp_path):
    """QA EQ: the Review of 2026 told to run `okrsite carry-over 2026 2027` for a yearly roll-up, which
    refuses it while no child of it is continued into 2027: it names the quarter's carry-over, which
    carries the year with it; once its only child is continued (by hand here), no run carries it: its
    follower is written by hand (QA EV 1: the year's own run was named, and carried nothing)."""
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "c"\nas_of = 2027-01-04\n',
        "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/grow-2026.md": "---\ntitle: Grow in 2026\nperiod: 2026\nowner: co\n---\n",
        "content/objectives/sell-q4.md": ("---\ntitle: Sell in Q4\nperiod: 2026-Q4\nowner: co\nparent: grow-2026\n"
                                          "key_results: [{title: Deals, target: 10, current: 5}]\n---\n")})
    assert build(root, tmp_path / "before").ok
    assert (lineage_of(page(tmp_path / "before", "periods/2026/review/"), "grow-2026")
            == "Not continued yet: okrsite carry-over 2026-Q4 2027-Q1.")
    # the quarter's objective is carried with its year by the whole quarter's run, never --owner alone (QA ET 3)
    assert lineage_of(page(tmp_path / "before", "periods/2026-q4/review/"), "sell-q4") == "Not continued yet: okrsite carry-over 2026-Q4 2027-Q1."
    write_files(root, {"content/objectives/sell-q4-2.md": ("---\ntitle: Sell in Q4\nperiod: 2027-Q1\nowner: co\nparent: grow-2026\n"
                                                           "follows: sell-q4\nkey_results: [{title: Deals, target: 10}]\n---\n")})
    assert build(root, tmp_path / "after").ok
    assert lineage_of(page(tmp_path / "after", "periods/2026/review/"), "grow-2026") == (  # no run carries it (QA EV 1)
        "Not continued yet: no carry-over run carries it into 2027: write its follower by hand, with follows: grow-2026.")


def test_not_continued_yet_names_the_period_okrsite_toml_names_next_not_the_calendar_s(tmp_path):
    """QA FJ 1: a company moving to fiscal periods named FY27-Q1 (2026-10-01 to 2026-12-26): the review
    of 2026-Q3 said `okrsite carry-over 2026-Q3 2026-Q4`, the calendar quarter starting the same day
    (closer in length to 2026-Q3's 92 days than FY27-Q1's 87); and with a 52-week FY27 named, the
    review of 2026 "no carry-over run carries it into 2027". Of the periods starting the day after, the
    one okrsite.toml names wins (goals.periods.next_period)."""
    team = {"content/teams/co.md": "---\ntitle: Co\n---\n"}
    quarter = write_files(tmp_path / "quarter", {**team,
        "okrsite.toml": 'title = "c"\nas_of = 2026-10-01\n[periods.FY27-Q1]\nstart = 2026-10-01\nend = 2026-12-26\n',
        "content/objectives/grow.md": "---\ntitle: Grow\nperiod: 2026-Q3\nowner: co\nkey_results: [{title: Deals, target: 20, current: 5}]\n---\n"})
    assert build(quarter, tmp_path / "quarter-site").ok
    assert lineage_of(page(tmp_path / "quarter-site", "periods/2026-q3/review/"), "grow") == "Not continued yet: okrsite carry-over 2026-Q3 FY27-Q1 --owner co."
    year = write_files(tmp_path / "year", {**team,
        "okrsite.toml": 'title = "c"\nas_of = 2027-01-04\n[periods.FY27]\nstart = 2027-01-01\nend = 2027-12-30\n',
        "content/objectives/grow-2026.md": "---\ntitle: Grow in 2026\nperiod: 2026\nowner: co\n---\n",
        "content/objectives/sell-q4.md": ("---\ntitle: Sell in Q4\nperiod: 2026-Q4\nowner: co\nparent: grow-2026\n"
                                          "key_results: [{title: Deals, target: 10, current: 5}]\n---\n"),
        "content/objectives/sell-q4-2.md": ("---\ntitle: Sell in Q4\nperiod: 2027-Q1\nowner: co\nparent: grow-2026\n"
                                            "follows: sell-q4\nkey_results: [{title: Deals, target: 10}]\n---\n")})
    assert build(year, tmp_path / "year-site").ok
    assert lineage_of(page(tmp_path / "year-site", "periods/2026/review/"), "grow-2026") == (
        "Not continued yet: no carry-over run carries it into FY27: write its follower by hand, with follows: grow-2026.")


def test_a_chain_of_roll_ups_not_continued_yet_names_the_quarter_s_carry_over_at_each_level(tmp_path):
    """QA ET 4: the Review of 2026 named `okrsite carry-over 2026-H2 2027-H1` for a yearly roll-up over a
    half-year's over the quarter: that run carries nothing (the half-year rolls up quarters); the
    quarter's carries the whole chain (carryover._roll_ups_along), and each level names it."""
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "c"\nas_of = 2027-01-04\n',
        "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/grow-2026.md": "---\ntitle: Grow in 2026\nperiod: 2026\nowner: co\n---\n",
        "content/objectives/grow-h2.md": "---\ntitle: Grow in H2\nperiod: 2026-H2\nowner: co\nparent: grow-2026\n---\n",
        "content/objectives/sell-q4.md": ("---\ntitle: Sell in Q4\nperiod: 2026-Q4\nowner: co\nparent: grow-h2\n"
                                          "key_results: [{title: Deals, target: 10, current: 5}]\n---\n")})
    assert build(root, tmp_path / "site").ok
    for review, ident in (("2026", "grow-2026"), ("2026-h2", "grow-h2"), ("2026-q4", "sell-q4")):
        assert lineage_of(page(tmp_path / "site", f"periods/{review}/review/"), ident) == "Not continued yet: okrsite carry-over 2026-Q4 2027-Q1."

def test_a_roll_up_no_run_carries_is_said_to_be_written_by_hand(tmp_path):
    """QA EV 1: a half-year over a missed Q3 objective and an achieved Q4 one: the reviews of 2026 and
    2026-H2 named `okrsite carry-over 2026-H2 2027-H1`, which carries nothing (a roll-up goes only with
    a child carried in the same run)."""
    quarter = "---\ntitle: Sell in {q}\nperiod: 2026-{q}\nowner: co\nparent: grow-h2\nkey_results: [{{title: Deals, target: 10, current: {n}}}]\n---\n"
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "c"\nas_of = 2027-01-05\n',
        "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/grow-2026.md": "---\ntitle: Grow in 2026\nperiod: 2026\nowner: co\n---\n",
        "content/objectives/grow-h2.md": "---\ntitle: Grow in H2\nperiod: 2026-H2\nowner: co\nparent: grow-2026\n---\n",
        "content/objectives/sell-q3.md": quarter.format(q="Q3", n=2), "content/objectives/sell-q4.md": quarter.format(q="Q4", n=10)})
    assert build(root, tmp_path / "site").ok
    for review, ident, into in (("2026", "grow-2026", "2027"), ("2026-h2", "grow-h2", "2027-H1")):
        assert lineage_of(page(tmp_path / "site", f"periods/{review}/review/"), ident) == (
            f"Not continued yet: no carry-over run carries it into {into}: write its follower by hand, with follows: {ident}.")


def test_a_half_year_one_of_whose_quarters_an_owner_s_run_carried_names_the_quarter_s_run_for_the_rest(tmp_path):
    """Review: after `carry-over 2026-Q4 2027-Q1 --owner sales`, the half-year's review said no run
    carries it, though the quarter's whole run carries the other child and the half-year with it."""
    quarter = "---\ntitle: {t}\nperiod: {p}\nowner: {o}\nparent: grow-h2\n{f}key_results: [{{title: Deals, target: 10, current: 5}}]\n---\n"
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "c"\nas_of = 2027-01-04\n',
        "content/teams/co.md": "---\ntitle: Co\n---\n", "content/teams/sales.md": "---\ntitle: Sales\nparent: co\n---\n",
        "content/objectives/grow-h2.md": "---\ntitle: Grow in H2\nperiod: 2026-H2\nowner: co\n---\n",
        "content/objectives/sell-q4.md": quarter.format(t="Sell", p="2026-Q4", o="sales", f=""),
        "content/objectives/eng-q4.md": quarter.format(t="Build", p="2026-Q4", o="co", f=""),
        "content/objectives/sell-q4-2.md": quarter.format(t="Sell", p="2027-Q1", o="sales", f="follows: sell-q4\n").replace("parent: grow-h2\n", "")})
    assert build(root, tmp_path / "site").ok
    assert lineage_of(page(tmp_path / "site", "periods/2026-h2/review/"), "grow-h2") == "Not continued yet: okrsite carry-over 2026-Q4 2027-Q1."


def test_not_continued_yet_names_the_next_quarter_or_a_named_period_before_it_has_objectives(tmp_path):
    """QA BU: with no objective of a later period yet, the review said `okrsite carry-over FY27-Q4 TO`,
    though okrsite.toml names FY28-Q1, and `2026-Q3 TO` where the next quarter is plain to see."""
    root = compose_site(tmp_path / "goals", FIXTURES / "closing")
    for path in (root / "content/objectives/2026-q4").iterdir():
        path.unlink()
    assert build(root, tmp_path / "calendar").ok
    assert lineage_of(page(tmp_path / "calendar", "periods/2026-q3/review/"), "launch") == "Not continued yet: okrsite carry-over 2026-Q3 2026-Q4."
    for name, period in (("october", "2026-10"), ("next-year", "2027-Q1")):  # review 35: not a month of the next quarter, nor one two on
        write_files(root, {f"content/objectives/2026-q4/{name}.md": f"---\ntitle: {name}\nperiod: {period}\nowner: product\nparent: grow\n"
                                                                    "key_results: [{title: k, target: 2}]\n---\n"})
        assert build(root, tmp_path / name).ok
        assert lineage_of(page(tmp_path / name, "periods/2026-q3/review/"), "launch") == "Not continued yet: okrsite carry-over 2026-Q3 2026-Q4."
        (root / f"content/objectives/2026-q4/{name}.md").unlink()
    settings = (root / "okrsite.toml").read_text(encoding="utf-8")
    named = ('[periods.FY27-Q3]\nstart = 2026-07-01\nend = 2026-09-30\n[periods.FY28]\nstart = 2026-10-01\nend = 2027-09-30\n'
             '[periods.FY28-Q1]\nstart = 2026-10-01\nend = 2026-12-31\n')
    write_files(root, {"okrsite.toml": settings + "\n" + named})
    for path in (root / "content/objectives/2026-q3").iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("period: 2026-Q3", "period: FY27-Q3"), encoding="utf-8")
    assert build(root, tmp_path / "named").ok
    assert lineage_of(page(tmp_path / "named", "periods/fy27-q3/review/"), "launch") == "Not continued yet: okrsite carry-over FY27-Q3 FY28-Q1."


def test_not_continued_yet_without_a_next_period_or_on_a_public_site(tmp_path):
    root = compose_site(tmp_path / "goals", FIXTURES / "closing")
    (root / "content/objectives/2026-q4/launch-2.md").unlink()
    settings = (root / "okrsite.toml").read_text(encoding="utf-8")
    write_files(root, {"okrsite.toml": settings + "\n[periods.FY27-Q3]\nstart = 2026-07-01\nend = 2026-09-30\n"})
    for path in (root / "content/objectives/2026-q3").iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("period: 2026-Q3", "period: FY27-Q3"), encoding="utf-8")
    assert build(root, tmp_path / "internal", strict=True).ok
    assert lineage_of(page(tmp_path / "internal", "periods/fy27-q3/review/"), "launch") == (
        "Not continued yet: okrsite carry-over FY27-Q3 TO (TO: the period to continue it in).")
    assert 'Not continued yet<span class="no-print">: <code>' in page(tmp_path / "internal", "periods/fy27-q3/review/")  # the board reads no command (QA BO)
    assert build(root, tmp_path / "public", audience="public").ok
    html = page(tmp_path / "public", "periods/fy27-q3/review/")
    assert lineage_of(html, "launch") == "Not continued yet." and "okrsite carry-over" not in html


def test_the_review_s_kpi_table_shows_a_target_as_written(tmp_path):
    """`target: above 95%` beside a value of 95 % marked warning: the review says "above 95%", as the
    KPI page and its tile do, not a bare "95%" that the value seems to meet; a target only in words too."""
    write_files(tmp_path, {
        "okrsite.toml": "git_history = false\n",
        "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/kpis/uptime.md": "---\ntitle: Uptime\nowner: co\nsource: status page\ntarget: above 95%\n"
                                  "values: [{date: 2026-11-01, value: 95}]\n---\n",
        "content/kpis/nps.md": "---\ntitle: NPS\nowner: co\nsource: survey\ntarget: TBD\n---\n",
        "content/objectives/reliable.md": "---\ntitle: Be reliable\nperiod: 2026-Q4\nowner: co\nkpis: [uptime, nps]\n"
                                          "key_results: [{title: a, target: 2, current: 1}]\n---\n",
    })
    assert build(tmp_path, tmp_path / "site", as_of=date(2026, 11, 15)).ok
    rows = {re.search(r">([^<]+)</a></th>", row).group(1): re.sub(r"<[^>]+>", "", row)
            for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", page(tmp_path / "site", "periods/2026-q4/review/"))}
    assert "above 95%" in rows["Uptime"], rows
    assert "TBD" in rows["NPS"], rows


def test_the_review_says_how_many_kpis_its_table_leaves_out_and_where_they_all_are(tmp_path):
    """The table holds the KPIs the period's objectives link to: the others are not dropped without a
    word (QA BY), and the line links where every KPI is listed (the home page's tiles, or kpis/ above 48)."""
    kpi = "---\ntitle: {0}\nowner: co\nsource: s\ntarget: 10\nvalues: [{{date: 2026-11-01, value: 9}}]\n---\n"
    write_files(tmp_path, {
        "okrsite.toml": "git_history = false\n",
        "content/teams/co.md": "---\ntitle: Co\n---\n",
        **{f"content/kpis/k{n}.md": kpi.format(f"KPI {n}") for n in range(3)},
        "content/objectives/one.md": "---\ntitle: One\nperiod: 2026-Q4\nowner: co\nkpis: [k0]\n"
                                     "key_results: [{title: a, target: 2, current: 1}]\n---\n",
        "content/objectives/old.md": "---\ntitle: Old\nperiod: 2026-Q3\nowner: co\n"
                                     "key_results: [{title: a, target: 2, current: 1}]\n---\n",
    })
    assert build(tmp_path, tmp_path / "site", as_of=date(2026, 11, 15)).ok
    html = page(tmp_path / "site", "periods/2026-q4/review/")
    assert len(re.findall(r'<tr><th scope="row">', html)) == 1
    line = re.sub(r"<[^>]+>", "", re.search(r'<p class="muted">2 other KPIs.*?</p>', html).group(0))
    assert line == "2 other KPIs, linked to no objective of 2026-Q4, are left out of this table and its health counts: all KPIs."
    assert '<a href="../../../index.html#kpis">all KPIs</a>' in html
    old = page(tmp_path / "site", "periods/2026-q3/review/")  # none linked: every KPI is in the table
    assert len(re.findall(r'<tr><th scope="row">', old)) == 3 and "other KPI" not in old
    for n in range(3, 50):
        write_files(tmp_path, {f"content/kpis/k{n}.md": kpi.format(f"KPI {n}")})
    assert build(tmp_path, tmp_path / "site", as_of=date(2026, 11, 15)).ok
    html = page(tmp_path / "site", "periods/2026-q4/review/")
    assert "49 other KPIs" in html and '<a href="../../../kpis/index.html">all KPIs</a>' in html


def test_an_old_review_says_not_continued_and_gives_no_command_once_the_next_period_has_ended(tmp_path):
    """QA CK: two years on, 2024-Q1's review still said "Not continued yet: okrsite carry-over 2024-Q1
    2024-Q2", a command that wrote into a quarter long over. Once the next period has ended too, the
    review says "Not continued." and gives none; while it runs, the command stays."""
    write_files(tmp_path, {
        "okrsite.toml": "git_history = false\n",
        "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/old.md": "---\ntitle: Old\nperiod: 2026-Q2\nowner: co\nkey_results: [{title: a, target: 2, current: 1}]\n---\n",
        "content/objectives/last.md": "---\ntitle: Last\nperiod: 2026-Q3\nowner: co\nkey_results: [{title: a, target: 2, current: 1}]\n---\n",
    })
    for audience in ("internal", "public"):
        site = tmp_path / audience
        assert build(tmp_path, site, as_of=date(2026, 11, 15), audience=audience).ok
        assert lineage_of(page(site, "periods/2026-q2/review/"), "old") == "Not continued."
        expected = "Not continued yet: okrsite carry-over 2026-Q3 2026-Q4 --owner co." if audience == "internal" else "Not continued yet."
        assert lineage_of(page(site, "periods/2026-q3/review/"), "last") == expected
    assert build(tmp_path, tmp_path / "internal", as_of=date(2027, 1, 2)).ok  # the build cache's review is made again
    assert lineage_of(page(tmp_path / "internal", "periods/2026-q3/review/"), "last") == "Not continued."


def test_a_finished_review_marks_a_kpi_stale_on_the_period_s_last_day(tmp_path):
    """QA CW: a weekly KPI whose latest value was five weeks old when the quarter ended showed as healthy
    with no stale mark on the review; a value a week old then is fresh, though both are stale today."""
    kpi = "---\ntitle: {0}\nowner: co\nsource: s\ntarget: 10\nfrequency: weekly\nvalues: [{{date: {1}, value: 12}}]\n---\n"
    write_files(tmp_path, {
        "okrsite.toml": "git_history = false\n",
        "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/kpis/late.md": kpi.format("Late", "2026-08-25"),
        "content/kpis/fresh.md": kpi.format("Fresh", "2026-09-24"),
        "content/objectives/one.md": "---\ntitle: One\nperiod: 2026-Q3\nowner: co\nkpis: [late, fresh]\n"
                                     "key_results: [{title: a, target: 2, current: 1}]\n---\n",
    })
    assert build(tmp_path, tmp_path / "site", as_of=date(2026, 11, 15)).ok
    rows = {re.search(r">([^<]+)</a></th>", row).group(1): re.sub(r"<[^>]+>", "", row)
            for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", page(tmp_path / "site", "periods/2026-q3/review/"))}
    assert "healthy" in rows["Late"] and "stale" in rows["Late"], rows
    assert "healthy" in rows["Fresh"] and "stale" not in rows["Fresh"], rows


PIPELINE = "content/objectives/pipe.md"


def pipeline(target: int, current: int | None = None, extra: str = "") -> str:
    """An objective of 2026-Q2 whose one key result aims at ``target`` USD."""
    now = f"    current: {current}\n" if current is not None else ""
    return (f"---\ntitle: Build pipeline\nperiod: 2026-Q2\nowner: sales\n{extra}key_results:\n  - title: Qualified pipeline\n"
            f"    target: {target}\n    unit: USD\n{now}---\n")


def rescoped_repo(root: Path, rescoped_on: str = "2026-05-15", extra: str = ""):
    """QA DD's quarter: 900,000 USD on 05-08 against 2,000,000, re-scoped to 1,500,000, then 1,520,000 on 06-29."""
    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(root)
    (repo.root / ".gitignore").write_text("site/\n")
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, PIPELINE: pipeline(2000000, extra=extra)}, "2026-03-30T12:00:00+00:00")
    repo.commit({PIPELINE: pipeline(2000000, 900000, extra)}, "2026-05-08T12:00:00+00:00", message="Check-in")
    repo.commit({PIPELINE: pipeline(1500000, 900000, extra)}, f"{rescoped_on}T12:00:00+00:00", author="Bo Chen", message="Re-scope to 1.5M")
    repo.commit({PIPELINE: pipeline(1500000, 1520000, extra)}, "2026-06-29T12:00:00+00:00", message="Check-in")
    return repo


def progress_by_date(html: str) -> list[tuple[str, str]]:
    table = html.split('<table class="progress-values">')[1].split("</table>")[0]
    return re.findall(r"<tr><td>(\S+)[^<]*(?:<span[^>]*>[^<]*</span>)?</td> <td>([^<]+)</td></tr>", table)


@needs_git
def test_a_re_scoped_key_result_keeps_its_past_and_its_review_says_so(tmp_path):
    """QA DD: a key result re-scoped mid-quarter (2,000,000 → 1,500,000 USD). Its 05-08 check-in was 45 %
    then: after the close, "Progress by date" still says 45 % (it said 60 %), the grade is the final
    progress against 1,500,000, and the review (which replaces slides) and the check-ins table say
    "re-scoped on 2026-05-15: target 2,000,000 → 1,500,000 USD", a month later as on the day after."""
    repo = rescoped_repo(tmp_path / "goals")
    pages = {}
    for as_of in (date(2026, 7, 7), date(2026, 8, 7)):
        out = tmp_path / f"site-{as_of}"
        assert build(repo.root, out, as_of=as_of, cache=False).ok
        pages[as_of] = page(out, "objectives/pipe/"), page(out, "periods/2026-q2/review/")
    objective, review = pages[date(2026, 7, 7)]
    assert pages[date(2026, 8, 7)] == (objective, review)
    assert progress_by_date(objective) == [("2026-04-01", "0 %"), ("2026-05-08", "45 %"), ("2026-05-15", "60 %"), ("2026-06-29", "100 %"),
                                           ("2026-06-30", "100 %")], "QA DP: the re-scope's day is a row (and a point of the chart)"
    assert "<title>2026-05-15: 60 %</title>" in objective
    said = "re-scoped</span> on <time datetime=\"2026-05-15\">2026-05-15</time>: target 2,000,000 → 1,500,000 USD"
    assert said in review and said in objective
    assert "grade 1.00" in review
    row = '<tr class="rescope"><td>2026-05-15</td> <td>target 2,000,000 → 1,500,000 USD</td> <td>Bo Chen'
    assert row in objective and objective.index(row) < objective.index("<td>900,000 USD</td>"), "newest first: above the check-in it came after"


@needs_git
def test_a_public_site_says_no_re_scope_of_a_confidential_key_result(tmp_path):
    repo = rescoped_repo(tmp_path / "goals", extra="confidential: true\n")
    out = tmp_path / "site"
    assert build(repo.root, out, as_of=date(2026, 7, 7), audience="public", cache=False).ok
    shown = b"".join(p.read_bytes() for p in out.rglob("*.html"))
    assert b"re-scoped" not in shown and b"2,000,000" not in shown


@needs_git
def test_a_check_in_committed_with_a_re_scope_is_listed_above_it_as_it_counts_against_the_new_numbers(tmp_path):
    """QA DK: the re-scope's row came above the check-in of its own commit, and said "those below against
    the old ones", while progress by date counts that check-in against the new target (900,000 of
    1,500,000: 60 %)."""
    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, PIPELINE: pipeline(2000000)}, "2026-03-30T12:00:00+00:00")
    repo.commit({PIPELINE: pipeline(2000000, 400000)}, "2026-04-10T12:00:00+00:00", message="Check-in")
    repo.commit({PIPELINE: pipeline(1500000, 900000)}, "2026-05-10T12:00:00+00:00", message="Check-in and re-scope")
    out = tmp_path / "site"
    assert build(repo.root, out, as_of=date(2026, 5, 20), cache=False).ok
    objective = page(out, "objectives/pipe/")
    assert ("2026-05-10", "60 %") in progress_by_date(objective)
    row = objective.index('<tr class="rescope"><td>2026-05-10</td>')
    assert objective.index("<td>900,000 USD</td>") < row < objective.index("<td>400,000 USD</td>")


@needs_git
def test_the_last_row_of_a_finished_period_re_scoped_after_its_end_is_labelled_the_grade(tmp_path):
    """QA DK: a re-scope committed after the quarter ended changed the row of its last day (the grade,
    against the final numbers) under a note saying each day keeps the numbers it had."""
    repo = rescoped_repo(tmp_path / "goals", rescoped_on="2026-07-05")
    out = tmp_path / "site"
    assert build(repo.root, out, as_of=date(2026, 7, 10), cache=False).ok
    objective = page(out, "objectives/pipe/")
    assert progress_by_date(objective)[1] == ("2026-05-08", "45 %")
    assert '<tr><td>2026-06-30 <span class="muted">(grade)</span></td> <td>100 %</td></tr>' in objective
    assert "The last row, 2026-06-30, is the grade: the final progress against the numbers as they are now" in objective
    note = "re-scoped after 2026-Q2 ended: the grade counts against the new numbers, the check-ins below against the old ones"
    assert note in objective and "the check-ins above count" not in objective, "QA DM: no check-in above a re-scope after the period's end"


@needs_git
def test_the_last_row_is_the_grade_only_when_the_grade_is_the_final_progress(tmp_path):
    """QA DN: "2026-06-30 (grade) 90 %" under "final grade 0.30 self-assessed", and "(grade) 10 %" for an
    objective cancelled by hand, which has no grade (SPEC §13: the score wins)."""
    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, PIPELINE: pipeline(100, 0),
                 "content/objectives/drop.md": pipeline(100, 0).replace("Build pipeline", "Dropped")}, "2026-03-30T12:00:00+00:00")
    repo.commit({PIPELINE: pipeline(100, 90), "content/objectives/drop.md": pipeline(100, 10, "status: cancelled\n").replace("Build pipeline", "Dropped")},
                "2026-05-08T12:00:00+00:00")
    repo.commit({PIPELINE: pipeline(100, 90, "score: 0.3\n")}, "2026-07-02T12:00:00+00:00")
    out = tmp_path / "site"
    assert build(repo.root, out, as_of=date(2026, 7, 10), cache=False).ok
    graded, dropped = page(out, "objectives/pipe/"), page(out, "objectives/drop/")
    assert '<td>2026-06-30 <span class="muted">(final progress; the grade is 0.30, self-assessed)</span></td> <td>90 %</td>' in graded
    assert '<td>2026-06-30 <span class="muted">(final progress)</span></td> <td>10 %</td>' in dropped
    assert "(grade)" not in graded + dropped


@needs_git
def test_targets_changed_as_the_quarter_is_planned_after_it_began_are_no_re_scope(tmp_path):
    """QA DQ: carried over on 04-02 and planned on 04-03 (target 100 → 150), as docs/closing-a-quarter.md
    says; the review said "re-scoped on 2026-04-03" for ever. A change before the first check-in of the
    period is the plan; one after it is a re-scope."""
    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, PIPELINE: pipeline(100)}, "2026-04-02T12:00:00+00:00")
    repo.commit({PIPELINE: pipeline(150)}, "2026-04-03T12:00:00+00:00", message="Plan Q2")
    repo.commit({PIPELINE: pipeline(150, 60)}, "2026-05-08T12:00:00+00:00", message="Check-in")
    repo.commit({PIPELINE: pipeline(120, 60)}, "2026-05-20T12:00:00+00:00", message="Re-scope")
    out = tmp_path / "site"
    assert build(repo.root, out, as_of=date(2026, 7, 10), cache=False).ok
    review = page(out, "periods/2026-q2/review/")
    assert "target 100 → 150" not in review and "2026-04-03" not in review
    assert "re-scoped</span> on <time datetime=\"2026-05-20\">2026-05-20</time>: target 150 → 120 USD" in review


@needs_git
def test_a_cut_after_the_first_check_in_or_after_the_close_is_a_re_scope(tmp_path):
    """QA DT: a target cut 8 hours after the first check-in, on its day, was called the plan; one cut
    after the quarter ended, of a key result whose value was written before the quarter, doubled its
    grade (0.30 → 0.60) and nothing said so."""
    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")
    closed = "content/objectives/closed.md"
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, PIPELINE: pipeline(100),
                 closed: pipeline(100, 30).replace("Build pipeline", "Closed")}, "2026-03-25T12:00:00+00:00")
    repo.commit({PIPELINE: pipeline(100, 40)}, "2026-05-20T09:00:00+00:00", message="First check-in")
    repo.commit({PIPELINE: pipeline(50, 40)}, "2026-05-20T17:00:00+00:00", message="Cut")
    repo.commit({closed: pipeline(50, 30).replace("Build pipeline", "Closed")}, "2026-07-05T12:00:00+00:00", message="Cut late")
    out = tmp_path / "site"
    assert build(repo.root, out, as_of=date(2026, 7, 15), cache=False).ok
    review = page(out, "periods/2026-q2/review/")
    assert "re-scoped</span> on <time datetime=\"2026-05-20\">2026-05-20</time>: target 100 → 50 USD" in review
    assert "re-scoped</span> on <time datetime=\"2026-07-05\">2026-07-05</time>: target 100 → 50 USD" in review


MRR_KPI = "---\ntitle: MRR\nowner: sales\nunit: USD\ntarget: 60000\nfrequency: monthly\nsource: billing\ndata: data/mrr.csv\n---\n"


def mrr(*rows: str) -> str:
    return "date,value\n2026-06-30,42000\n2026-08-31,47000\n" + "".join(f"{row}\n" for row in rows)


@needs_git
@pytest.mark.parametrize("set_on,rescoped", [("2026-10-06", False), ("2026-11-03", True)])
def test_a_carried_start_set_where_the_last_quarter_ended_before_its_first_check_in_is_the_plan(tmp_path, set_on, rescoped):
    """QA FJ: carried over on 10-02 at 47,000, September's MRR (49,500, dated 09-30) recorded on 10-05,
    and the start set to 49,500 as `okrsite check` asked: the page and the review said "re-scoped on
    …: start 47,000 → 49,500 USD", and Progress by date measured 2026-10-01 against the old start
    (19 %). Before the first value of the quarter (10-31) that is the plan; after it, a re-scope."""
    from okrsite.carryover import carry_over
    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")
    grow = ("---\ntitle: Grow\nperiod: 2026-Q3\nowner: sales\nkey_results:\n  - title: Reach 60,000 USD MRR\n    kpi: mrr\n"
            "    start: 42000\n    target: 60000\n---\n")
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/kpis/mrr.md": MRR_KPI,
                 "data/mrr.csv": mrr(), "content/objectives/grow.md": grow}, "2026-07-01T10:00:00+00:00")
    assert len(carry_over(repo.root, "2026-Q3", "2026-Q4", as_of=date(2026, 10, 2)).carried) == 1
    repo.commit({}, "2026-10-02T10:00:00+00:00", message="Carry over")
    repo.commit({"data/mrr.csv": mrr("2026-09-30,49500")}, "2026-10-05T10:00:00+00:00", message="September MRR")
    carried = "content/objectives/grow-2.md"
    set_start = {carried: (repo.root / carried).read_text().replace("start: 47000", "start: 49500")}
    october = {"data/mrr.csv": mrr("2026-09-30,49500", "2026-10-31,52000")}
    for files, when in sorted([(set_start, set_on), (october, "2026-11-01")], key=lambda commit: commit[1]):
        repo.commit(files, f"{when}T10:00:00+00:00")
    out = tmp_path / "site"
    assert build(repo.root, out, as_of=date(2026, 11, 15), cache=False).ok
    objective, review = page(out, "objectives/grow-2/"), page(out, "periods/2026-q4/review/")
    said = f're-scoped</span> on <time datetime="{set_on}">{set_on}</time>: start 47,000 → 49,500 USD'
    assert (said in objective, said in review) == (rescoped, rescoped)
    assert ("re-scoped" in objective + review) == rescoped
    assert progress_by_date(objective)[0] == ("2026-10-01", "19 %" if rescoped else "0 %")


@needs_git
@pytest.mark.parametrize("first_by", ["commit", "history"])
@pytest.mark.parametrize("set_on,rescoped", [("2026-10-10", False), ("2026-10-25", True)])
def test_a_start_set_where_the_last_quarter_ended_is_the_plan_until_the_key_result_s_own_first_check_in(tmp_path, first_by, set_on, rescoped):
    """QA FJ, of a key result with check-ins of its own: its first check-in of the quarter, dated
    2026-10-20 by its commit or by a `history:` entry (written on 11-05), ends its plan. The start set
    to the last quarter's final value (a late check-in dated 09-30) before it is the plan; after it, a
    re-scope, however late the entry was written."""
    from okrsite.carryover import carry_over
    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")

    def ship(current: int) -> str:
        return (f"---\ntitle: Ship\nperiod: 2026-Q3\nowner: sales\nkey_results:\n  - title: Sign 10 partners\n    start: 0\n"
                f"    target: 10\n    current: {current}\n---\n")

    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/objectives/ship.md": ship(4)},
                "2026-07-01T10:00:00+00:00")
    assert len(carry_over(repo.root, "2026-Q3", "2026-Q4", as_of=date(2026, 10, 2)).carried) == 1
    repo.commit({}, "2026-10-02T10:00:00+00:00", message="Carry over")
    repo.commit({"content/objectives/ship.md": ship(5)}, "2026-09-30T12:00:00+00:00", message="Late check-in")
    carried = "content/objectives/ship-2.md"
    written = (repo.root / carried).read_text()
    start, value = "    start: 4\n    target: 10\n", "    start: {}\n    target: 10\n{}"
    check_in = ("    current: 6\n", "2026-10-20") if first_by == "commit" else ("    history:\n      - {date: 2026-10-20, value: 6}\n", "2026-11-05")
    for when in sorted([set_on, check_in[1]]):
        numbers = (5 if when >= set_on else 4, check_in[0] if when >= check_in[1] else "")
        repo.commit({carried: written.replace(start, value.format(*numbers))}, f"{when}T10:00:00+00:00")
    out = tmp_path / "site"
    assert build(repo.root, out, as_of=date(2026, 11, 15), cache=False).ok
    objective, review = page(out, "objectives/ship-2/"), page(out, "periods/2026-q4/review/")
    said = f're-scoped</span> on <time datetime="{set_on}">{set_on}</time>: start 4 → 5'
    assert (said in objective, said in review) == (rescoped, rescoped)
    assert ("re-scoped" in objective + review) == rescoped
    assert ("2026-10-20", "33 %" if rescoped else "20 %") in progress_by_date(objective)
