"""The digest's differences against a real git repository with dated commits (okrsite/digest/model.py)."""

from __future__ import annotations

from dataclasses import replace

import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest

from okrsite.build import check_site
from okrsite.digest.formats import as_json, render
from okrsite.digest.model import ALL, NO_NUMBERS, NOTHING, DigestError, LateAddition, LateCorrection, disclosure, make_digest, verdicts, window
from okrsite.digest.words import summary
from okrsite.goals.repository import load_site

from ..conftest import write_files
from ..gitrepo import TEAM, GitRepo, needs_git, one_key_result, shallow_clone
from .conftest import SINCE, UNTIL, finished
from .test_formats import SCHEMA

pytestmark = needs_git


@pytest.fixture(scope="module")
def digest(week):
    result = make_digest(week.root, SINCE, date.fromisoformat(UNTIL))
    assert result.digest is not None, result.report.items
    return result.digest


def test_the_window_holds_exactly_the_check_ins_dated_in_it(digest):
    """11-16 (the day before) and 11-24 (the day after) are left out; 11-17 and 11-23 are in."""
    [moves] = digest.check_ins
    assert moves.objective.id == "reduce-churn"
    found = {(k.title, c.date.isoformat(), c.value, c.author, c.note) for k in moves.key_results for c in k.check_ins}
    assert found == {
        ("Grow accounts", "2026-11-20", 80, "Ann Lee", "big deal closed"),
        ("Reduce monthly churn", "2026-11-17", 4.2, "Cy Diaz", ""),
        ("Publish the pricing page", "2026-11-23", 1, "Bo Chen", ""),
    }


def test_each_key_result_moves_from_its_value_at_the_start_to_its_value_at_the_end(digest):
    moves = {k.title: (k.before, k.after) for k in digest.check_ins[0].key_results}
    assert moves == {"Grow accounts": (62, 80), "Reduce monthly churn": (4.6, 4.2), "Publish the pricing page": (0, 1)}


def test_the_biggest_movers_come_first(digest):
    """Pricing page 0 → 100 %, churn 20 → 40 %, accounts 62 → 80 %."""
    assert [k.title for k in digest.check_ins[0].key_results] == ["Publish the pricing page", "Reduce monthly churn", "Grow accounts"]
    assert digest.check_ins[0].progress_before == pytest.approx((0.62 + 0.2 + 0) / 3)  # exact: the JSON format writes 0.273, as okrs.json (QA BE)


def test_kpi_values_recorded_in_the_window_even_dated_before_it(digest):
    [update] = digest.kpi_updates
    assert (update.kpi.id, update.before, update.after) == ("mrr", 41000, 52000)
    assert [(v.date.isoformat(), v.value, v.author) for v in update.values] == [("2026-10-31", 52000, "Cy Diaz")]


def test_status_changes_between_the_two_ends(digest):
    changes = {c.objective.id: (c.change, c.before, c.after, c.source) for c in digest.status_changes}
    assert changes == {
        "open-europe": ("went-at-risk", "on-track", "at-risk", "manual"),
        "reduce-churn": ("recovered", "at-risk", "on-track", "computed"),
    }
    assert [c.change for c in digest.status_changes] == ["went-at-risk", "recovered"]  # worse news first


def test_kpi_health_changes(digest):
    assert [(c.kpi.id, c.before, c.after, c.value) for c in digest.health_changes] == [("mrr", "warning", "healthy", 52000)]


def test_stale_items_grouped_by_owner_teams_first(digest):
    owners = [(o.ref.title, o.kind, o.lead, [(i.ref.id, i.kind, i.days) for i in o.items]) for o in digest.stale]
    assert owners == [
        ("Sales", "team", "Ann Lee", [("open-europe", "objective", 34)]),
        ("Dana Fox", "person", None, [("signups", "kpi", 24)]),
    ]
    assert digest.stale[1].ref.link == "https://okrs.example.com/people/dana-fox/"


def test_a_stale_objective_quiet_since_before_its_period_began_is_said_so_as_check_says_it(tmp_path):
    """QA CU: a 2027 objective last changed on 2026-12-01 is 30 days quiet on 2027-01-31, counted from
    2027's first day; check says "(since 2027 began)", the digest said only "no check-in for 30 days"."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "New year"\n', "content/teams/sales.md": TEAM,
              "content/objectives/grow.md": one_key_result("Grow 2027", "2027", "Revenue", 100, 5)}, "2026-12-01T12:00:00+00:00")
    result = make_digest(r.root, "2027-01-25", date(2027, 1, 31))
    [item] = [i for o in result.digest.stale for i in o.items]
    assert (item.days, item.counted_from) == (30, "2027")
    [notice] = [d.message for d in check_site(r.root, date(2027, 1, 31)).report.items if "stale objective" in d.message]
    assert notice.endswith("for 30 days (since 2027 began)")
    assert "**Grow 2027**: no check-in for 30 days (since 2027 began)" in render(result.digest, "markdown")


@needs_git
def test_a_kpi_stale_by_its_hand_set_health_says_when_that_was_set(tmp_path):
    """Session 48's review: a KPI kept in a BI tool, its health set by hand on 2026-10-01 and stale half
    a year on (no value to be old), was only "KPI: stale" among who to nudge: it says the day now."""
    from ..gitrepo import hand_set_repo

    root = hand_set_repo(tmp_path / "g").root
    result = make_digest(root, "2027-04-03", date(2027, 4, 10))
    [item] = [i for o in result.digest.stale for i in o.items]
    assert (item.ref.id, item.days, item.health_set) == ("activation", 191, date(2026, 10, 1))
    assert "**Weekly activation**: KPI: health set by hand 191 days ago, no value since" in render(result.digest, "markdown")
    said = as_json(result.digest)
    jsonschema.validate(said, json.loads(SCHEMA.read_text()))
    assert said["stale"][0]["items"][0]["health_set"] == "2026-10-01"


@needs_git
def test_a_kpi_without_frequency_stale_by_its_hand_set_health_is_among_who_to_nudge(tmp_path):
    """QA FN: a KPI imported by `import gitlab-pi` has no `frequency:`; its hand-set health goes stale as monthly data."""
    from ..gitrepo import hand_set_repo

    result = make_digest(hand_set_repo(tmp_path / "g", frequency="").root, "2026-12-01", date(2026, 12, 7))
    [item] = [i for o in result.digest.stale for i in o.items]
    assert (item.ref.id, item.days, item.health_set) == ("activation", 67, date(2026, 10, 1))
    assert "**Weekly activation**: KPI: health set by hand 67 days ago, no value since" in render(result.digest, "markdown")


def test_a_stale_objective_quiet_within_its_period_has_its_days_alone(digest):
    assert [(i.ref.id, i.counted_from) for o in digest.stale for i in o.items] == [("open-europe", None), ("signups", None)]


def test_links_with_site_url(digest):
    assert digest.check_ins[0].objective.link == "https://okrs.example.com/objectives/reduce-churn/"
    assert digest.kpi_updates[0].kpi.link == "https://okrs.example.com/kpis/mrr/"


def test_nothing_is_read_from_the_working_tree_for_a_past_window(week):
    """The window ends before HEAD: the end is the commit of 11-23, whatever the files say now."""
    result = make_digest(week.root, "2026-11-24", date(2026, 11, 24))
    [moves] = result.digest.check_ins
    assert [(k.title, k.before, k.after, [c.date.isoformat() for c in k.check_ins]) for k in moves.key_results] == [
        ("Grow accounts", 80, 90, ["2026-11-24"])]
    assert not result.digest.notes


def test_an_empty_window_changes_nothing(week):
    """No commit and nothing dated from 11-01 to 11-07; statuses hold. Stale items are no change."""
    digest = make_digest(week.root, "2026-11-01", date(2026, 11, 7)).digest
    assert not digest.changed
    assert (digest.check_ins, digest.kpi_updates, digest.status_changes, digest.forecast_misses, digest.health_changes) == ((), (), (), (), ())


def test_the_repository_is_left_as_it_was(week):
    def state() -> tuple[str, str, list[str]]:
        status = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=week.root, capture_output=True, text=True).stdout
        refs = subprocess.run(["git", "for-each-ref"], cwd=week.root, capture_output=True, text=True).stdout
        return status, refs, sorted(p.name for p in (week.root / ".git").iterdir())

    before = state()
    make_digest(week.root, SINCE, date.fromisoformat(UNTIL))
    assert state() == before


# ---- without git: written check-ins, and forecasts that now miss -------------------------------


FORECAST = """---
title: Win the mid-market
period: 2026-Q4
owner: Eve Park
key_results:
  - title: Land mid-market accounts
    start: 0
    target: 100
    history:
      - {date: 2026-10-15, value: 30}
      - {date: 2026-11-01, value: 50}
      - {date: 2026-11-20, value: 40, note: "two accounts churned"}
---
"""


@pytest.fixture
def plain_site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "goals", {"okrsite.toml": 'title = "Plain"\n', "content/objectives/mid-market.md": FORECAST})


def test_without_git_the_check_ins_dated_in_the_window_and_a_note(plain_site):
    digest = make_digest(plain_site, SINCE, date.fromisoformat(UNTIL)).digest
    [moves] = digest.check_ins
    [kr] = moves.key_results
    assert [(c.date.isoformat(), c.value, c.note) for c in kr.check_ins] == [("2026-11-20", 40, "two accounts churned")]
    assert (kr.before, kr.after) == (50, 40)
    assert digest.notes and "no git history" in digest.notes[0]


def test_a_forecast_that_now_misses(plain_site):
    """Before 11-20 the line through 10-01, 10-15, 11-01 lands at 148 (achieved); with 11-20's 40,
    at 84 % (at-risk)."""
    digest = make_digest(plain_site, SINCE, date.fromisoformat(UNTIL)).digest
    [miss] = digest.forecast_misses
    assert (miss.objective.id, miss.status, miss.before, miss.owner) == ("mid-market", "at-risk", "achieved", "Eve Park")
    assert miss.progress == pytest.approx(0.838, abs=0.001)
    assert [(c.change, c.before, c.after) for c in digest.status_changes] == [("went-at-risk", "on-track", "at-risk")]
    assert digest.check_ins[0].objective.link is None  # no site_url: no links


# ---- the window -------------------------------------------------------------------------------


@pytest.mark.parametrize("since, first", [(None, "2026-11-17"), ("7d", "2026-11-17"), ("1d", "2026-11-23"), ("2w", "2026-11-10"), (" 2026-11-01 ", "2026-11-01")])
def test_the_window(since, first):
    span = window(since, date(2026, 11, 23))
    assert (span.since.isoformat(), span.until, span.before) == (first, date(2026, 11, 23), span.since - timedelta(days=1))


@pytest.mark.parametrize("since, words", [
    ("last week", "neither a date nor a number of days"), ("20261101", "neither a date"), ("2026-04-31", "is not a date: April 2026 has 30 days"), ("2026-13-01", "is not a date: there is no month 13"), ("0d", "1 to 3660 days"),
    ("99999w", "1 to 3660 days"), ("2026-11-24", "after the as-of date"),
])
def test_a_bad_window_is_a_clear_error(since, words):
    with pytest.raises(DigestError) as raised:
        window(since, date(2026, 11, 23))
    assert words in raised.value.message and raised.value.hint


def test_a_window_reaching_before_the_year_one():
    with pytest.raises(DigestError, match="reaches back to the first day of the year 1"):
        window("3000d", date(1, 3, 1))


# ---- the audience -------------------------------------------------------------------------------


AUDIENCE_SITE = {
    "okrsite.toml": "as_of = 2026-11-23\n",
    "content/kpis/mrr.md": "---\ntitle: MRR\nowner: Eve\nsource: x\nconfidential: true\nvalues:\n  - {date: 2026-10-31, value: 5}\n---\n",
    "content/kpis/nps.md": "---\ntitle: NPS\nowner: Eve\nsource: x\n---\n",
    "content/objectives/grow.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: Eve\nkey_results:\n  - {title: Follows MRR, kpi: mrr, target: 9}\n  - {title: Plain, target: 9, current: 1}\n---\n",
}


def test_disclosure_decides_for_the_public_audience_only(tmp_path):
    site = load_site(write_files(tmp_path / "s", AUDIENCE_SITE)).site
    grow = site.objectives["grow"]
    follows, plain = grow.key_results
    assert [disclosure("internal", site, x, grow) for x in (site.kpis["mrr"], grow, follows)] == [ALL, ALL, ALL]
    assert disclosure("public", site, site.kpis["mrr"]) == NO_NUMBERS
    assert disclosure("public", site, site.kpis["nps"]) == ALL
    assert disclosure("public", site, follows, grow) == NO_NUMBERS  # linked to a confidential KPI
    assert disclosure("public", site, plain, grow) == ALL


def test_private_and_confidential_objectives(tmp_path):
    """A private objective is hidden with all its key results; a confidential one keeps no numbers."""
    site = load_site(write_files(tmp_path / "s", AUDIENCE_SITE)).site
    grow = site.objectives["grow"]
    private, confidential = replace(grow, private=True), replace(grow, confidential=True)
    assert disclosure("public", site, private) == NOTHING and disclosure("internal", site, private) == ALL
    assert disclosure("public", site, confidential) == NO_NUMBERS
    assert disclosure("public", site, grow) == ALL
    assert disclosure("public", site, replace(grow.key_results[1], confidential=True), grow) == NO_NUMBERS
    assert disclosure("public", site, grow.key_results[1], private) == NOTHING


def test_the_strictest_verdict_over_versions_wins(tmp_path):
    """A KPI made confidential after the window is hidden in that window's public digest too."""
    then = load_site(write_files(tmp_path / "then", {**AUDIENCE_SITE, "content/kpis/mrr.md": AUDIENCE_SITE["content/kpis/mrr.md"].replace("confidential: true\n", "")})).site
    now = load_site(write_files(tmp_path / "now", AUDIENCE_SITE)).site
    assert verdicts("public", [then])[("kpi", "mrr")] == ALL
    assert verdicts("public", [then, now])[("kpi", "mrr")] == NO_NUMBERS
    assert verdicts("public", [now, then])[("kr", "grow", "grow-kr1")] == NO_NUMBERS


def test_after_the_period_the_digest_says_missed_with_the_grade(week):
    """Q4 ended on 12-31: the first week of January turns Reduce churn from at-risk into missed, graded."""
    digest = make_digest(week.root, "2027-01-01", date(2027, 1, 7)).digest
    assert [(c.objective.id, c.change, c.before, c.grade) for c in digest.status_changes] == [("reduce-churn", "missed", "at-risk", 0.77)]
    assert not digest.check_ins and not digest.forecast_misses
    assert [i.ref.id for o in digest.stale for i in o.items] == ["mrr", "signups"]  # objectives of a finished period are not stale


@pytest.mark.parametrize("depth, oldest", [(3, "2026-11-20"), (6, "2026-11-17"), (1, "2026-11-24")])
def test_a_shallow_clone_that_does_not_reach_back_before_the_window_is_refused(week, tmp_path, depth, oldest):
    """QA CP 2: a clone starting in the window, on its first day (Cy's check-in of 11-17: the oldest
    commit is no check-in, so its day is not covered) or after it gave wrong "from → to" numbers, lost
    check-ins and invented forecast misses, with a note saying the window was covered. Refused now,
    saying how to fetch what it lacks."""
    clone = shallow_clone(week, tmp_path / "clone", depth)
    with pytest.raises(DigestError) as refused:
        make_digest(clone, SINCE, date.fromisoformat(UNTIL))
    assert refused.value.code == 3
    assert f"this shallow clone's history starts on {oldest}, so it cannot tell what changed from {SINCE} to {UNTIL}" in refused.value.message
    assert "fetch-depth: 0 in actions/checkout" in refused.value.hint and 'GIT_DEPTH: "0"' in refused.value.hint
    assert f"git fetch --shallow-since={SINCE}T00:00:00Z && git fetch --deepen=1" in refused.value.hint


def test_a_shallow_clone_from_the_day_before_the_window_tells_what_the_full_history_tells(week, digest, tmp_path):
    """Its oldest commit is Ann's of 11-16, the day before the window: every check-in of the window is
    in the clone, as is the start it is compared with. What a forecast would need, the check-ins of
    October, is not: the forecasts are not compared, and a note says so."""
    clone = shallow_clone(week, tmp_path / "clone", 7)
    shallow = make_digest(clone, SINCE, date.fromisoformat(UNTIL)).digest
    assert (shallow.check_ins, shallow.kpi_updates, shallow.status_changes) == (digest.check_ins, digest.kpi_updates, digest.status_changes)
    assert not shallow.forecast_misses
    # Europe last moved on 10-20: stale in the full history, quiet since 11-16 as far as the clone knows
    assert [i.ref.id for o in digest.stale for i in o.items] == ["open-europe", "signups"]
    assert [i.ref.id for o in shallow.stale for i in o.items] == ["signups"]
    fetch = "(fetch the full history: git fetch --unshallow, or fetch-depth: 0 in CI)."
    assert shallow.notes == ("2 objectives' forecasts are unknown, so whether they now miss is not said: they need check-ins from before 2026-11-16, "
                             f"where this shallow clone's history starts {fetch}",
                             f"1 objective has had no check-in since 2026-11-16, where this shallow clone's history starts: whether it is stale is not known {fetch}")


def test_the_fetch_a_refusal_names_makes_the_digest(week, digest, tmp_path):
    """The commits since the window's first day and the one before it: the clone reaches back far enough."""
    clone = shallow_clone(week, tmp_path / "clone", 1)
    for fetch in (["--shallow-since", f"{SINCE}T00:00:00Z"], ["--deepen", "1"]):
        subprocess.run(["git", "fetch", "-q", *fetch], cwd=clone, check=True, env=week.env, capture_output=True)
    assert make_digest(clone, SINCE, date.fromisoformat(UNTIL)).digest.check_ins == digest.check_ins


def test_goals_broken_at_the_window_s_start_are_compared_as_they_are_now(tmp_path):
    """The commit before the window has an error; fixed in it: the digest still comes, with a note."""
    r = GitRepo(tmp_path / "goals")
    broken = FORECAST.replace("owner: Eve Park", "owner: [")
    r.commit({"okrsite.toml": 'title = "Plain"\n', "content/objectives/mid-market.md": broken}, "2026-10-01T09:00:00+00:00")
    r.commit({"content/objectives/mid-market.md": FORECAST}, "2026-11-18T09:00:00+00:00")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    assert "the goals as committed by 2026-11-16 have errors" in digest.notes[0]
    assert [c.date.isoformat() for c in digest.check_ins[0].key_results[0].check_ins] == ["2026-11-20"]


def test_goals_broken_the_day_before_the_window_are_skipped_for_the_last_ones_that_read(tmp_path):
    """QA DN: a re-scope committed with a typo (`target: "1,500,000"`) on 05-15 and fixed on 05-16;
    the digest from 05-16 compared with today's files and said "1,200,000 → 1,200,000 USD", 80 % → 80 %.
    It compares with the goals of 05-08, the last that read, as a re-scope skips that version."""
    grow = ("---\ntitle: Grow revenue\nperiod: 2026-Q2\nowner: sales\nkey_results:\n  - title: Revenue\n"
            "    target: {0}\n    current: {1}\n    unit: USD\n---\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, "content/objectives/grow.md": grow.format(2000000, 0)},
             "2026-04-01T12:00:00+00:00")
    for day, target, current in (("05-08", 2000000, 900000), ("05-15", '"1,500,000"', 900000), ("05-16", 1500000, 900000),
                                 ("06-10", 1500000, 1200000)):
        r.commit({"content/objectives/grow.md": grow.format(target, current)}, f"2026-{day}T12:00:00+00:00")
    digest = make_digest(r.root, "2026-05-16", date(2026, 6, 20)).digest
    said = render(digest, "markdown")
    assert "900,000 → 1,200,000 USD" in said and "45 % → 80 %" in said, said
    assert "committed on 2026-05-08, the last that read without errors" in said


CLOSING = ("---\ntitle: Grow the business\nperiod: {period}\nowner: sales\n{follows}key_results:\n"
           "  - title: New logos\n    start: {start}\n    target: 10\n    current: {current}\n---\n")


@needs_git
def test_an_objective_and_its_follower_of_the_same_title_are_told_apart_by_their_period(tmp_path):
    """The week a quarter ends: carry-over gives the new quarter's objective the old one's title, and the
    digest said "Grow the business: missed" and "Grow the business: new, on-track" without saying which."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"content/teams/sales.md": "---\ntitle: Sales\n---\n",
              "content/objectives/grow.md": CLOSING.format(period="2026-Q3", follows="", start=0, current=7),
              "content/objectives/solo.md": CLOSING.format(period="2026-Q3", follows="", start=0, current=7).replace("Grow the business", "Hire")},
             "2026-07-01T09:00:00+00:00")
    r.commit({"content/objectives/grow-2.md": CLOSING.format(period="2026-Q4", follows="follows: grow\n", start=7, current=7)}, "2026-10-02T09:00:00+00:00")
    digest = make_digest(r.root, "2026-09-28", date(2026, 10, 4)).digest
    assert sorted(c.objective.title for c in digest.status_changes) == ["Grow the business (2026-Q3)", "Grow the business (2026-Q4)", "Hire"]


def test_the_first_week_of_a_quarter_reports_no_forecast_miss_without_a_trend(tmp_path):
    """A key result with no check-in yet has no line: its objective's forecast is its progress now, 0 %
    in the first days, which is no forecast of anything (SPEC §11 point, see objectives.md#forecast)."""
    fresh = FORECAST.replace("    history:\n", "").split("      - {date")[0].rstrip() + "\n---\n"
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "Plain"\n', "content/objectives/mid-market.md": fresh})
    assert not make_digest(root, "7d", date(2026, 10, 6)).digest.forecast_misses


def test_the_first_week_of_a_repository_lists_no_file_s_creation_as_a_check_in(tmp_path):
    """Nothing was committed before the window: the commit of 11-18 that created the goals files was
    listed as a check-in of every key result ("2026-11-18 · 3 · Ann Lee"). Creating a file is no
    check-in (docs/checkins.md): only Bo's commit of 11-20 that changed a number is one; and a
    check-in the same day as the files were created, after them, is one too."""
    from ..gitrepo import TEAM, kpi, objective

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/objectives/reduce-churn.md": objective(current=10),
              "content/objectives/other.md": objective("Other goal", current=3), "content/kpis/mrr.md": kpi("  - {date: 2026-10-31, value: 46500}")},
             "2026-11-18T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({"content/objectives/reduce-churn.md": objective(current=25)}, "2026-11-20T09:00:00+00:00", "Bo Chen", "Check-in")
    r.commit({"content/objectives/late.md": objective("Late goal", current=1)}, "2026-11-21T09:00:00+00:00", "Cy Diaz", "Add a goal")
    r.commit({"content/objectives/late.md": objective("Late goal", current=7)}, "2026-11-21T15:00:00+00:00", "Cy Diaz", "Check-in")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    found = {(m.objective.id, k.title, c.date.isoformat(), c.value, c.author) for m in digest.check_ins for k in m.key_results for c in k.check_ins}
    assert found == {("reduce-churn", "Grow accounts", "2026-11-20", 25, "Bo Chen"), ("late", "Grow accounts", "2026-11-21", 7, "Cy Diaz")}
    assert {m.objective.id for m in digest.check_ins} == {"late", "reduce-churn"}  # not "other": nothing changed its numbers
    assert "nothing was committed before 2026-11-17" in digest.notes[0]


def test_a_key_result_s_first_version_is_no_check_in_in_any_week(tmp_path):
    """After a repository's first week too: the commit that wrote carry-over's new file (`progress: 0`),
    a new objective's (`current: 0`) or a key result added to a file was listed as a check-in by whoever
    committed it ("1 check-in on 1 objective"). Only a commit that changes a number after it is one."""
    from ..gitrepo import TEAM, objective

    manual = "---\ntitle: Onboarding\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: Rated easy\n    progress: {p}\n---\n"
    grown = objective("Other goal", current=3).replace("key_results:\n", "key_results:\n  - title: Signed in EU\n    target: 5\n    current: 0\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/objectives/other.md": objective("Other goal", current=3)},
             "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({"content/objectives/onb.md": manual.format(p=0), "content/objectives/new.md": objective("New goal", current=0)},
             "2026-11-17T09:00:00+00:00", "Cy Diaz", "Carry over")
    r.commit({"content/objectives/other.md": grown}, "2026-11-18T09:00:00+00:00", "Cy Diaz", "Add a KR")
    r.commit({"content/objectives/new.md": objective("New goal", current=4)}, "2026-11-20T09:00:00+00:00", "Bo Chen", "Check-in")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    found = {(m.objective.id, k.title, c.date.isoformat(), c.value, c.author) for m in digest.check_ins for k in m.key_results for c in k.check_ins}
    assert found == {("new", "Grow accounts", "2026-11-20", 4, "Bo Chen")}
    assert [k.title for m in digest.check_ins for k in m.key_results] == ["Grow accounts"]


@pytest.mark.parametrize("since, until, hint", [
    ("0001-01-01", date(1, 1, 1), "give a first day from 0001-01-02 on, and a later --as-of"),
    ("7d", date(1, 1, 3), "give a first day from 0001-01-02 on, or a window of at most 2 days"),
    ("3w", date(1, 1, 3), "give a first day from 0001-01-02 on, or a window of at most 2 days"),
])
def test_a_window_reaching_the_first_day_of_the_calendar_is_an_error_with_a_window_that_fits(since, until, hint):
    """A digest compares its window with the day before it: 0001-01-01 has none (an OverflowError
    once), and the hint names a window that works rather than the one refused."""
    from okrsite.digest.model import DigestError, window
    with pytest.raises(DigestError) as refused:
        window(since, until)
    assert "reaches back to the first day of the year 1" in refused.value.args[0] and refused.value.hint == hint
    assert window("0001-01-02", date(1, 1, 3)).before == date(1, 1, 1)


def test_a_repository_git_refuses_is_named_with_gits_fix(week, tmp_path):
    from ..gitrepo import foreign_copy

    foreign = foreign_copy(week, tmp_path / "foreign")
    digest = make_digest(foreign, SINCE, date.fromisoformat(UNTIL)).digest
    assert "no git history" not in digest.notes[0]
    assert "git refuses to read this repository, owned by another user" in digest.notes[0] and f"safe.directory {foreign}" in digest.notes[0]


def test_an_objective_or_kpi_whose_file_was_renamed_in_the_window_is_the_same_goal(tmp_path):
    """QA AH: `git mv` of an objective (its id goes with its file name) was "new" and "removed" in the
    same digest, and of a KPI "new, warning" with every old value "recorded" this week, while the changes
    page says "moved to". git follows the file: the digest compares it with itself at the window's start."""
    from ..gitrepo import TEAM, kpi, objective

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/objectives/reduce-churn.md": objective(current=10),
              "content/kpis/mrr.md": kpi("  - {date: 2026-10-31, value: 46500}")}, "2026-11-02T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({}, "2026-11-19T09:00:00+00:00", "Bo Chen", "Rename", moves={"content/objectives/reduce-churn.md": "content/objectives/churn.md",
                                                                           "content/kpis/mrr.md": "content/kpis/recurring-revenue.md"})
    r.commit({"content/objectives/churn.md": objective(current=25)}, "2026-11-20T09:00:00+00:00", "Bo Chen", "Check-in")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    assert [(c.objective.id, c.change) for c in digest.status_changes] == []
    assert digest.kpi_updates == () and digest.health_changes == ()
    [moved] = digest.check_ins
    assert (moved.objective.id, [(k.before, k.after) for k in moved.key_results]) == ("churn", [(10, 25)])


def test_a_new_file_given_the_name_a_renamed_goal_had_is_a_new_goal(tmp_path):
    """QA AI: with reduce-churn.md renamed and a new reduce-churn.md made (of another objective) in the
    same window, the digest paired the goals by id: the renamed one was "new", and the newcomer
    "moved" from the old one's numbers (a KPI likewise: its old values "corrected"). git follows the
    files: the newcomer is new, the renamed one unchanged."""
    from ..gitrepo import TEAM, kpi, objective

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/objectives/reduce-churn.md": objective(current=10),
              "content/kpis/mrr.md": kpi("  - {date: 2026-10-31, value: 46500}")}, "2026-11-02T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({}, "2026-11-18T09:00:00+00:00", "Bo Chen", "Rename", moves={"content/objectives/reduce-churn.md": "content/objectives/churn.md",
                                                                           "content/kpis/mrr.md": "content/kpis/recurring-revenue.md"})
    r.commit({"content/objectives/reduce-churn.md": objective("Newcomer", current=1),
              "content/kpis/mrr.md": kpi("  - {date: 2026-10-31, value: 7}").replace("Monthly recurring revenue", "Newcomer KPI")},
             "2026-11-20T09:00:00+00:00", "Cy Diaz", "New goals under old names")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    assert [(c.objective.id, c.change) for c in digest.status_changes] == [("reduce-churn", "new")]
    assert digest.check_ins == ()
    assert [(u.kpi.id, u.before, [v.value for v in u.values]) for u in digest.kpi_updates] == [("mrr", None, [7])]
    assert [(c.kpi.id, c.before) for c in digest.health_changes] == [("mrr", None)]


def test_an_objective_removed_in_the_window_is_named_without_a_link(tmp_path):
    """QA BB: the digest linked a deleted objective to its page (`objectives/x/`), which the site no
    longer has: as the Changes page does, it names it without a link."""
    from okrsite.digest.formats import render
    from ..gitrepo import TEAM, objective

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\nsite_url = "https://okrs.example.com/"\n', "content/teams/sales.md": TEAM,
              "content/objectives/reduce-churn.md": objective(current=10), "content/objectives/keep.md": objective("Keep it", current=10)},
             "2026-11-02T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({"content/objectives/reduce-churn.md": None}, "2026-11-19T09:00:00+00:00", "Bo Chen", "Drop it")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    [gone] = [c for c in digest.status_changes if c.change == "removed"]
    assert (gone.objective.id, gone.objective.url, gone.objective.link) == ("reduce-churn", "", None)
    for form in ("markdown", "slack", "json", "email"):
        assert "objectives/reduce-churn" not in render(digest, form), form


def test_a_key_result_measured_anew_in_the_window_says_no_value_before_in_the_new_unit(tmp_path):
    """Review 33: "Cut query timeouts: 5.5% → 0.05%": the value at the window's start, per 10k queries,
    was said in the unit the key result has since. It is said as new (its value now only)."""
    from ..gitrepo import TEAM

    def timeouts(start, target, current, unit):
        return (f"---\ntitle: Faster dashboards\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: Cut query timeouts\n"
                f"    start: {start}\n    target: {target}\n    current: {current}\n    unit: \"{unit}\"\n---\n")
    obj = "content/objectives/dashboards.md"
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, obj: timeouts(12, 3, 9, "per 10k queries")}, "2026-10-01T10:00:00+00:00")
    r.commit({obj: timeouts(12, 3, 5.5, "per 10k queries")}, "2026-10-15T10:00:00+00:00")
    r.commit({obj: timeouts(0.12, 0.03, 0.055, "%")}, "2026-11-18T10:00:00+00:00")
    r.commit({obj: timeouts(0.12, 0.03, 0.05, "%")}, "2026-11-20T10:00:00+00:00")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    [moved] = digest.check_ins
    [kr] = moved.key_results
    assert (kr.before, kr.after, kr.unit) == (None, 0.05, "%")


def test_a_guardrail_checked_in_has_no_progress_as_in_okrs_json(tmp_path):
    """QA BE: a guardrail's move said progress 0 → 0 (JSON 0), where okrs.json says null (SPEC §12)."""
    from okrsite.digest.formats import as_json
    from ..gitrepo import TEAM

    def margin(current):
        return ("---\ntitle: Grow\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: Win\n    target: 10\n    current: 4\n"
                f"  - title: Keep margin\n    keep_above: 70\n    current: {current}\n    unit: \"%\"\n---\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/objectives/grow.md": margin(70.8)}, "2026-11-02T09:00:00+00:00")
    r.commit({"content/objectives/grow.md": margin(72.4)}, "2026-11-18T09:00:00+00:00")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    [moved] = digest.check_ins
    [guard] = moved.key_results
    assert (guard.form, guard.progress_before, guard.progress_after, guard.after) == ("guardrail", None, None, 72.4)
    said = as_json(digest)["check_ins"][0]["key_results"][0]
    assert (said["progress_before"], said["progress_after"]) == (None, None)


def test_people_and_kpis_are_listed_with_accented_letters_among_the_plain_ones(tmp_path):
    """QA: lists sorted by title put 'Émile' after 'Zoe' (and 'ana' after 'Zoe', by code point); the
    digest sorts owners and KPIs with the A–Z list's key (goals.model.title_order)."""
    from .conftest import SIGNUPS_KPI, SETTINGS
    repo = GitRepo(tmp_path / "goals")
    names = {"zoe": ("Zoe Wu", "Zahlungen"), "emile": ("Émile Roux", "Ärger"), "ana": ("ana Li", "Anfragen")}
    repo.commit({"okrsite.toml": SETTINGS, **{f"content/kpis/{ident}.md": SIGNUPS_KPI.replace("Dana Fox", owner).replace("Weekly signups", title)
                                              for ident, (owner, title) in names.items()}}, "2026-10-01T09:00:00+00:00")
    repo.commit({f"content/kpis/{ident}.md": SIGNUPS_KPI.replace("Dana Fox", owner).replace("Weekly signups", title).replace("value: 95}", "value: 97}")
                 for ident, (owner, title) in names.items()}, "2026-11-18T09:00:00+00:00")
    digest = make_digest(repo.root, SINCE, date.fromisoformat(UNTIL)).digest
    assert [o.ref.title for o in digest.stale] == ["ana Li", "Émile Roux", "Zoe Wu"]
    assert [u.kpi.title for u in digest.kpi_updates] == ["Anfragen", "Ärger", "Zahlungen"]


def grow(current: float, confidential: bool) -> str:
    secret = "    confidential: true\n" if confidential else ""
    return ("---\ntitle: Grow things\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Revenue\n"
            f"{secret}    start: 3000\n    target: 4000\n    current: {current}\n---\n")


def progresses(digest) -> list:
    """Every progress the digest says of an objective or a key result it lists as moved, as its JSON writes it."""
    sides = ("progress_before", "progress_after")
    return [p for o in as_json(digest)["check_ins"] for p in (*(o[side] for side in sides), *(k[side] for k in o["key_results"] for side in sides))]


def test_a_key_result_made_public_since_a_past_window_says_no_progress_of_it(tmp_path):
    """QA CM: `--as-of` a day when the key result was confidential, the public digest said 44 % → 56 %:
    with the start (3,000) and target (4,000) the public site shows since it was made public, its
    confidential check-ins 3,444 and 3,555. While it is confidential, its progress is public (SPEC §14)."""
    from okrsite.digest.formats import render
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\nas_of = 2026-11-23\n', "content/objectives/grow.md": grow(3444, True)}, "2026-10-02T12:00:00+00:00")
    r.commit({"content/objectives/grow.md": grow(3555, True)}, "2026-10-20T12:00:00+00:00")
    r.commit({"content/objectives/grow.md": grow(3555, True).replace("title: Revenue", "title: Revenue up")}, "2026-11-01T12:00:00+00:00")  # renamed: the same key result
    still = make_digest(r.root, "2026-10-15", date(2026, 10, 25), audience="public").digest
    assert progresses(still) == [0.444, 0.555, 0.444, 0.555]  # confidential now: start and target are not public
    r.commit({"content/objectives/grow.md": grow(3555, False).replace("title: Revenue", "title: Revenue up")}, "2026-11-02T12:00:00+00:00")
    digest = make_digest(r.root, "2026-10-15", date(2026, 10, 25), audience="public").digest
    assert progresses(digest) == [None, None, None, None]
    said = render(digest, "markdown")
    assert "Revenue" in said and "%" not in said, said
    r.commit({"content/objectives/grow.md": grow(3666, False).replace("title: Revenue", "title: Revenue up")}, "2026-11-10T12:00:00+00:00")
    assert progresses(make_digest(r.root, "2026-11-05", date(2026, 11, 23), audience="public").digest) == [None, 0.666, None, 0.666]
    assert progresses(make_digest(r.root, "2026-10-15", date(2026, 10, 25)).digest) == [0.444, 0.555, 0.444, 0.555]  # internal


def margin_kpi(values: tuple, confidential: bool) -> str:
    rows = "".join(f"  - {{date: {d}, value: {v}}}\n" for d, v in values)
    return ("---\ntitle: Gross margin\nowner: finance\nunit: \"%\"\ntarget: 71.11\nsource: Ledger\n"
            + ("confidential: true\n" if confidential else "") + f"values:\n{rows}---\n")


def test_a_key_result_following_a_kpi_made_public_since_a_past_window_says_no_progress_of_it(tmp_path):
    """QA CM: the KPI was confidential from July to October 2; a digest as of September 10 said the key
    result following it moved 54 % → 59 %: with its public start 50 and target 71.11, 61.37 and 62.49."""
    from okrsite.digest.formats import render
    follower = ("---\ntitle: Spend wisely\nperiod: 2026-Q4\nowner: finance\nkey_results:\n"
                "  - {title: Margin up, kpi: margin, start: 50, target: 71.11}\n---\n")
    july, august, september = ("2026-07-31", 61.37), ("2026-08-31", 62.49), ("2026-09-30", 63.58)
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\nas_of = 2026-11-23\n', "content/objectives/spend.md": follower,
              "content/kpis/margin.md": margin_kpi((july,), True)}, "2026-07-01T12:00:00+00:00")
    r.commit({"content/kpis/margin.md": margin_kpi((july, august), True)}, "2026-08-31T12:00:00+00:00")
    r.commit({"content/kpis/margin.md": margin_kpi((july, august, september), False)}, "2026-10-02T12:00:00+00:00")
    digest = make_digest(r.root, "2026-08-15", date(2026, 9, 10), audience="public").digest
    [moved] = digest.check_ins
    assert progresses(digest) == [None, None, None, None]
    said = render(digest, "json") + render(digest, "markdown")
    assert not [n for n in ("0.539", "0.592", "54 %", "59 %", "61.37", "62.49") if n in said], said
    assert progresses(make_digest(r.root, "2026-08-15", date(2026, 9, 10)).digest) == [0.539, 0.592, 0.539, 0.592]  # internal


def test_a_roll_up_s_forecast_in_the_public_digest_leaves_its_private_child_out_as_its_site_does(tmp_path):
    """QA CM: the public forecast of a roll-up is the mean of its public children's (web.audience); the
    digest's "Forecasts that now miss" said the whole site's, which counts the private child's 100 %."""
    def aligned(title: str, first: int, then: int, private: bool = False) -> str:
        return (f"---\ntitle: {title}\nperiod: 2026-Q4\nowner: company\nparent: top\n" + ("private: true\n" if private else "")
                + f"key_results:\n  - title: Sign\n    target: 10\n    history:\n      - {{date: 2026-10-10, value: {first}}}\n"
                f"      - {{date: 2026-11-20, value: {then}}}\n---\n")
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "G"\nas_of = 2026-11-23\ngit_history = false\n',
        "content/objectives/top.md": "---\ntitle: Win the market\nperiod: 2026-Q4\nowner: company\n---\n",
        "content/objectives/secret.md": aligned("Acquire Kingfisher", 2, 9, private=True), "content/objectives/shop.md": aligned("Grow sales", 3, 4)})
    misses = {audience: {m.objective.id: m.progress for m in make_digest(root, "7d", audience=audience).digest.forecast_misses}
              for audience in ("internal", "public")}
    assert misses["internal"]["top"] != misses["internal"]["shop"]
    assert misses["public"] == {"top": misses["internal"]["shop"], "shop": misses["internal"]["shop"]}


def test_what_was_renamed_and_made_secret_since_a_past_window_is_withheld_under_its_old_name(tmp_path):
    """QA DO: an objective file renamed and made private, a KPI file renamed and made confidential and a
    key result whose id changed as it was made confidential, all in one commit after the window: the
    public digest matched the window's goals to today's by id, and printed the old names' titles and
    values. It follows them as the public site does (git.changes.Secrets)."""
    from okrsite.digest.formats import render
    deal, margin, burn = "content/objectives/project-x.md", "content/objectives/margin.md", "content/kpis/burn.md"

    def objective(title: str, kr: str, current: float, secret: str = "") -> str:
        return f"---\ntitle: {title}\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: {kr}\n{secret}    target: 100\n    current: {current}\n---\n"

    def kpi(values: str, secret: str = "") -> str:
        return f"---\ntitle: Burn rate\nowner: company\ntarget: 100\nsource: x\n{secret}values:\n{values}---\n"

    october = "  - {date: 2026-10-01, value: 41.731}\n"
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\nas_of = 2026-11-23\n', deal: objective("Acquire Zorblaxcorp quietly", "Zorbsign pages", 13),
              margin: objective("Margin", "Gross margin", 12.345, "    id: margin-pct\n"), burn: kpi(october)}, "2026-10-02T10:00:00+00:00")
    r.commit({deal: objective("Acquire Zorblaxcorp quietly", "Zorbsign pages", 17), margin: objective("Margin", "Gross margin", 23.456, "    id: margin-pct\n"),
              burn: kpi(october + "  - {date: 2026-10-15, value: 57.913}\n")}, "2026-10-16T10:00:00+00:00")
    r.commit({"content/objectives/zorblax-deal.md": objective("Acquire Zorblaxcorp quietly", "Zorbsign pages", 17).replace("owner: company\n", "owner: company\nprivate: true\n"),
              "content/kpis/burn-rate.md": kpi(october + "  - {date: 2026-10-15, value: 57.913}\n", "confidential: true\n"),
              margin: objective("Margin", "Gross margin", 23.456, "    id: gross-margin\n    confidential: true\n")}, "2026-11-01T10:00:00+00:00",
             moves={deal: "content/objectives/zorblax-deal.md", burn: "content/kpis/burn-rate.md"})
    for since, until in (("2026-10-01", date(2026, 10, 20)), ("2026-10-10", date(2026, 11, 5))):
        digest = make_digest(r.root, since, until, audience="public").digest
        said = "".join(render(digest, form) for form in ("markdown", "slack", "json", "email"))
        assert not [n for n in ("Zorb", "project-x", "12.34", "23.45", "23.46", "41.73", "57.91") if n in said], (since, said)
        assert "Gross margin" in said and "Burn rate" in said
    internal = render(make_digest(r.root, "2026-10-01", date(2026, 10, 20), audience="internal").digest, "markdown")
    assert "Zorbsign pages" in internal and "23.46" in internal and "57.91" in internal


def test_an_objective_private_once_and_public_again_keeps_its_check_ins_in_the_public_digest(tmp_path):
    """QA DU 1: the DO-1 fix withheld every objective that was ever private from the public digest, so
    one made public again lost the check-ins made since, which its page shows. Only an objective
    private now (or deleted once private) is withheld in every window (git.changes.Secrets.private_paths_now)."""
    flip = "content/objectives/flip.md"
    text = "---\ntitle: Flip objective\nperiod: 2026-Q4\nowner: company\n{private}key_results:\n  - {{title: Flip KR, start: 0, target: 100, current: {current}}}\n---\n"
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "T"\n', "content/teams/company.md": TEAM, flip: text.format(private="private: true\n", current=10)}, "2026-10-02T10:00:00+00:00")
    r.commit({flip: text.format(private="", current=10)}, "2026-10-20T10:00:00+00:00")
    r.commit({flip: text.format(private="", current=35)}, "2026-11-05T10:00:00+00:00")
    said = render(make_digest(r.root, "2026-11-02", date(2026, 11, 8), audience="public").digest, "markdown")
    assert "Flip KR" in said and "now 35" in said
    r.commit({flip: text.format(private="private: true\n", current=35)}, "2026-11-20T10:00:00+00:00")
    assert "Flip" not in render(make_digest(r.root, "2026-11-02", date(2026, 11, 8), audience="public").digest, "markdown")


def test_a_kpi_health_changed_by_its_target_or_direction_says_so(tmp_path):
    """QA EE: "Churn: critical → healthy at 2.5" with no new value read as if churn had improved: the
    direction had been flipped. A health changed with the KPI's definition names what changed."""
    def kpi(ident, title, direction, target, threshold):
        return (f"---\ntitle: {title}\nowner: Ann Lee\ndirection: {direction}\ntarget: {target}\nthreshold: {threshold}\nfrequency: monthly\n"
                f"source: x\nvalues:\n  - {{date: 2026-10-31, value: {20 if ident == 'profit' else 2.5}}}\n---\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/kpis/profit.md": kpi("profit", "Profit", "up", 10, 0),
              "content/kpis/churn.md": kpi("churn", "Churn", "up", 3, 5)}, "2026-11-01T10:00:00+00:00")
    r.commit({"content/kpis/profit.md": kpi("profit", "Profit", "up", 30, 0)}, "2026-11-18T10:00:00+00:00", message="Raise the profit target")
    r.commit({"content/kpis/churn.md": kpi("churn", "Churn", "down", 3, 5)}, "2026-11-19T10:00:00+00:00", message="Churn: lower is better")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    assert [line for line in render(digest, "markdown").splitlines() if line.startswith("- ")] == [
        "- **Profit**: healthy → warning at 20 (target 10 → 30) · Ann Lee",
        "- **Churn**: critical → healthy at 2.5 (direction up → down) · Ann Lee",
    ]
    assert [change["definition_changes"] for change in as_json(digest)["health_changes"]] == [
        [{"key": "target", "before": 10, "after": 30}], [{"key": "direction", "before": "up", "after": "down"}]]


def test_a_unit_only_spelt_anew_is_not_named_as_the_cause_of_a_health_change(tmp_path):
    """QA EG 6: `ms` → `milliseconds` with a new value of 700 said "warning → healthy at 700
    milliseconds (unit ms → milliseconds)": the value moved the health, the measure is the same."""
    def latency(unit, values):
        return (f"---\ntitle: p95 latency\nowner: Ann Lee\nunit: {unit}\ndirection: down\ntarget: 800\nthreshold: 1200\nfrequency: weekly\n"
                f"source: APM\nvalues:\n" + "".join(f"  - {{date: 2026-11-{d}, value: {v}}}\n" for d, v in values) + "---\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/kpis/latency.md": latency("ms", [("09", 900)])}, "2026-11-10T10:00:00+00:00")
    r.commit({"content/kpis/latency.md": latency("milliseconds", [("09", 900), ("18", 700)])}, "2026-11-19T10:00:00+00:00")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    assert "- **p95 latency**: warning → healthy at 700 milliseconds · Ann Lee" in render(digest, "markdown").splitlines()
    assert [change["definition_changes"] for change in as_json(digest)["health_changes"]] == [[]]


def test_a_kpi_measured_anew_in_the_window_is_not_compared_across_its_units(tmp_path):
    """QA EE: "p95 latency: now 0.86 s (was 850 s)" and a key result following it "850 → 0.86 s": the
    value at the window's start was in ms. Neither is compared; the unit's change is said."""
    from ..gitrepo import TEAM

    def latency(unit, target, threshold, values):
        return (f"---\ntitle: p95 latency\nowner: sales\nunit: {unit}\ndirection: down\ntarget: {target}\nthreshold: {threshold}\n"
                f"frequency: weekly\nsource: APM\nvalues:\n" + "".join(f"  - {{date: 2026-11-{d}, value: {v}}}\n" for d, v in values) + "---\n")
    fast = ("---\ntitle: Fast product\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: p95 under 800 ms\n    kpi: latency\n"
            "    start: {0}\n    target: {1}\n---\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/kpis/latency.md": latency("ms", 800, 1200, [("09", 850)]),
              "content/objectives/fast.md": fast.format(1000, 800)}, "2026-11-10T10:00:00+00:00")
    r.commit({"content/kpis/latency.md": latency("s", 0.8, 1.2, [("09", 0.9), ("16", 1.3)]), "content/objectives/fast.md": fast.format(1, 0.8)},
             "2026-11-18T10:00:00+00:00", message="Latency in seconds")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    [update] = digest.kpi_updates
    assert (update.before, update.after, update.unit_before, update.unit) == (None, 1.3, "ms", "s")
    [kr] = digest.check_ins[0].key_results
    assert (kr.before, kr.after) == (None, 1.3)
    lines = render(digest, "markdown").splitlines()
    assert ("- **p95 latency**: now 1.3 s (unit ms → s) · dated 2026-11-16 · value of 2026-11-09 corrected 850 ms → 0.9 s on 2026-11-18"
            " · by Ann Lee") in lines
    assert "- **p95 latency**: warning → critical at 1.3 s (unit ms → s, target 800 ms → 0.8 s, threshold 1,200 ms → 1.2 s) · Sales" in lines
    assert as_json(digest)["kpi_updates"][0]["unit_before"] == "ms"


def test_a_kpi_s_values_only_converted_into_its_new_unit_are_no_correction(tmp_path):
    """Review: a KPI measured anew in s, its five values in ms converted and no new date, was said "5
    values corrected, dated 2026-09-01 to 2026-09-05" ("1 KPI with corrected values"), and its unit's
    change not at all: a value only converted is the same value (git.checkins.converted_value). One
    converted and changed (5 ms → 0.006 s) is a correction, said in each unit, after the unit's change."""
    def kpi(title, unit, target, values):
        return (f"---\ntitle: {title}\nowner: Ann\nunit: {unit}\ndirection: down\ntarget: {target}\nfrequency: monthly\n"
                f"source: APM\nvalues:\n" + "".join(f"  - {{date: 2026-11-0{d}, value: {v}}}\n" for d, v in values) + "---\n")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "G"\n', "content/kpis/latency.md": kpi("p95 latency", "ms", 800, [(d, d) for d in range(1, 6)]),
              "content/kpis/wait.md": kpi("Queue wait", "ms", 800, [(d, d) for d in range(1, 6)])}, "2026-11-10T10:00:00+00:00")
    r.commit({"content/kpis/latency.md": kpi("p95 latency", "s", 0.8, [(d, d / 1000) for d in range(1, 6)]),
              "content/kpis/wait.md": kpi("Queue wait", "s", 0.8, [(d, d / 1000) for d in range(1, 5)] + [(5, 0.006)])},
             "2026-11-18T10:00:00+00:00")
    digest = make_digest(r.root, SINCE, date.fromisoformat(UNTIL)).digest
    assert [(u.kpi.title, len(u.values), u.unit_before) for u in digest.kpi_updates] == [("p95 latency", 0, "ms"), ("Queue wait", 1, "ms")]
    lines = render(digest, "markdown").splitlines()
    assert "- **p95 latency**: unit ms → s" in lines
    assert "- **Queue wait**: unit ms → s · value of 2026-11-05 corrected 5 ms → 0.006 s on 2026-11-18 · by Ann Lee" in lines
    assert summary(digest) == "1 KPI with a corrected value; 1 KPI measured anew in another unit."
    jsonschema.validate(as_json(digest), json.loads(SCHEMA.read_text()))


def test_a_finished_quarter_s_kpi_value_corrected_late_is_said_where_its_grade_moves(corrected_late):
    """QA EO 4: September's MRR rewritten on 11-18, after 2026-Q3 ended, regraded its objective 0.50 → 1.00
    and the digest said only "150 → 200 · follows its KPI" and "achieved (was missed)": a finished
    quarter's grade changed with no word of why. Its key result and its status change now say it as the
    objective page does; the value first written two days after the quarter ended is no correction."""
    digest = make_digest(corrected_late.root, SINCE, date.fromisoformat(UNTIL)).digest
    [kr] = digest.check_ins[0].key_results
    assert (kr.before, kr.after, kr.corrected_late) == (150, 200, LateCorrection(date(2026, 9, 30), date(2026, 11, 18), "2026-Q3"))
    [change] = digest.status_changes
    assert (change.change, change.grade, change.corrected_late) == ("achieved", 1.0, (kr.corrected_late,))
    lines = render(digest, "markdown").splitlines()
    assert "- **Reach 200 MRR**: 150 → 200 · follows its KPI · value of 2026-09-30 corrected on 2026-11-18 (after 2026-Q3 ended)" in lines
    assert ("- **Grow MRR in Q3**: achieved (was missed) · grade 1.00 · value of 2026-09-30 corrected on 2026-11-18 (after 2026-Q3 ended)"
            " · Sales") in lines
    first = make_digest(corrected_late.root, "2026-09-28", date(2026, 10, 4)).digest
    assert first.check_ins[0].key_results[0].corrected_late is None and "corrected" not in render(first, "markdown")



def test_a_finished_quarter_s_kpi_value_added_late_is_said_with_its_own_value_and_date(added_late):
    """QA FK: a value of 09-29 added on 10-27 moved a 2026-Q3 guardrail 99.7 % → 99.3 % and the digest said
    "99.7% → 99.3% · follows its KPI" with no word of why, and "API uptime: now 99.8% · dated 2026-09-29":
    10-04's value, with the added one's date. The key result says the value was added after the quarter
    ended, as a late correction is said; the KPI says the value added, and its date."""
    digest = make_digest(added_late.root, "2026-10-21", date(2026, 10, 27)).digest
    [kr] = digest.check_ins[0].key_results
    assert (kr.before, kr.after, kr.added_late) == (99.7, 99.3, LateAddition(date(2026, 9, 29), date(2026, 10, 27), "2026-Q3", None))
    [update] = digest.kpi_updates
    assert (update.after, update.before_date, [v.date for v in update.values]) == (99.8, date(2026, 10, 4), [date(2026, 9, 29)])
    lines = render(digest, "markdown").splitlines()
    assert ("- **Keep uptime at or above 99.5%**: 99.7% → 99.3% · follows its KPI · value of 2026-09-29 added on 2026-10-27 "
            "(after 2026-Q3 ended)") in lines
    assert "- **API uptime**: value of 2026-09-29 added: 99.3% · by Bo Chen" in lines
    data = as_json(digest)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert data["check_ins"][0]["key_results"][0]["added_late"] == {"date": "2026-09-29", "on": "2026-10-27", "period": "2026-Q3", "awaited": None}
    assert data["kpi_updates"][0]["before_date"] == "2026-10-04"


def test_the_month_end_value_a_finished_quarter_awaited_is_said_as_its_arrival(corrected_late):
    """September's MRR, first written on 10-02, is the figure 2026-Q3 awaited: said without alarm, as the
    value awaited, where the grade it settles is said."""
    digest = make_digest(corrected_late.root, "2026-09-28", date(2026, 10, 4)).digest
    came = LateAddition(date(2026, 9, 30), date(2026, 10, 2), "2026-Q3", "September 2026")
    assert digest.check_ins[0].key_results[0].added_late == came and digest.status_changes[0].added_late == (came,)
    markdown = render(digest, "markdown")
    assert "value of 2026-09-30 added on 2026-10-02 (the September 2026 value awaited)" in markdown and "ended)" not in markdown
    jsonschema.validate(as_json(digest), json.loads(SCHEMA.read_text()))


def test_a_kpi_value_of_an_earlier_month_corrected_in_the_window_is_said_as_a_correction(september_corrected):
    """September's MRR rewritten 41,000 → 43,000 on 11-18, October's 52,000 still the latest: the KPI's
    line said "now 52,000 USD · dated 2026-09-30 · 1 value corrected" (October's value beside September's
    date, as if a new latest value had come in) and the summary "1 KPI with new values". It now says which
    value was corrected, from what to what, on which day, as the key result following it says it."""
    digest = make_digest(september_corrected.root, SINCE, date.fromisoformat(UNTIL)).digest
    lines = render(digest, "markdown").splitlines()
    link = "[Monthly recurring revenue](<https://okrs.example.com/kpis/mrr/>)"
    assert f"- **{link}**: value of 2026-09-30 corrected 41,000 → 43,000 USD on 2026-11-18 · by Bo Chen" in lines
    [update] = digest.kpi_updates
    [value] = update.values
    assert (value.date, value.value, value.replaces, value.corrected, value.corrected_on) == (date(2026, 9, 30), 43000, 41000, True, date(2026, 11, 18))
    assert "value of 2026-09-30 corrected on 2026-11-18 (after 2026-Q3 ended)" in render(digest, "markdown")  # its key result's words
    assert summary(digest) == "1 objective moved by KPI values; 1 KPI with a corrected value."
    both = make_digest(september_corrected.root, SINCE, date(2026, 11, 30)).digest  # and 11-25's value, new
    assert (f"- **{link}**: now 55,000 USD (was 52,000 USD) · dated 2026-11-25 · value of 2026-09-30 corrected 41,000 → 43,000 USD "
            "on 2026-11-18 · by Bo Chen, Cy Diaz") in render(both, "markdown").splitlines()
    assert summary(both) == "1 objective moved by KPI values; 1 KPI with new values."


@pytest.mark.parametrize("period, deleted", [("2026-Q3", True), ("2026", False)])
def test_a_finished_roll_up_s_grade_moved_by_a_correction_of_a_child_counted_as_it_stood_says_why(tmp_path, period, deleted):
    """Review: a finished roll-up counts a child deleted after the quarter, or one of a year that runs
    on past it, as it stood on September 30; September's MRR rewritten afterwards moved the roll-up
    0.75 → 1.00, and the digest's status change said "achieved (was missed) · grade 1.00" with no word
    of why (neither child has a change of its own that says it)."""
    from .conftest import GROW_Q3, MRR_Q3

    roll_up = "---\ntitle: Grow in Q3\nperiod: 2026-Q3\nowner: sales\n---\n"
    mrr = "  - {{date: 2026-09-30, value: {}}}\n  - {{date: 2026-10-31, value: 150}}\n"
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-11-23\n', "content/teams/sales.md": TEAM, "content/objectives/all.md": roll_up,
              "content/kpis/mrr.md": MRR_Q3.format(september=mrr.format(150)),
              "content/objectives/grow.md": GROW_Q3.replace("owner: sales\n", "owner: sales\nparent: all\n").replace("2026-Q3", period),
              "content/objectives/sell.md": one_key_result("Sell in Q3", "2026-Q3", "Deals", 10, 10).replace("owner: sales\n", "owner: sales\nparent: all\n")},
             "2026-08-01T09:00:00+00:00")
    if deleted:
        r.commit({"content/objectives/grow.md": None}, "2026-10-10T09:00:00+00:00")
    r.commit({"content/kpis/mrr.md": MRR_Q3.format(september=mrr.format(200))}, "2026-11-18T09:00:00+00:00")
    digest = make_digest(r.root, "2026-11-15", date(2026, 11, 22)).digest
    [change] = digest.status_changes
    assert (change.objective.id, change.change, change.grade) == ("all", "achieved", 1.0)
    assert change.corrected_late == (LateCorrection(date(2026, 9, 30), date(2026, 11, 18), "2026-Q3"),)
    assert "grade 1.00 · value of 2026-09-30 corrected on 2026-11-18 (after 2026-Q3 ended)" in render(digest, "markdown")


def _grades(digest) -> list[tuple]:
    return [(g.objective.id, g.score_before, g.score, g.computed_grade, g.grade, g.retro) for g in digest.graded]


def test_a_score_set_in_the_window_is_said_graded_beside_the_computed_grade(graded):
    """QA: the digest of 2027-01-05 covered the commit "Q4 scores and retros" and listed nothing of it:
    the owners' grades (0.50 where 0.55 was computed) never reached chat or mail."""
    digest = make_digest(graded.root, "2027-01-05", date(2027, 1, 5)).digest
    assert _grades(digest) == [("secret", None, 0.9, 0.6, 0.9, "written"), ("cut", None, 0.8, 0.78, 0.8, "written"),
                               ("grow", None, 0.5, 0.55, 0.5, "written"), ("vault", None, 0.75, 0.7, 0.75, "written")]
    assert summary(digest) == "4 objectives graded."
    assert "- **Grow recurring revenue**: grade 0.50 (self-assessed; computed 0.55) · retro written · Sales" in render(digest, "markdown").splitlines()


def test_a_score_changed_in_the_window_is_said_from_the_old_grade_to_the_new(graded):
    digest = make_digest(graded.root, "2027-01-06", date(2027, 1, 12)).digest
    assert _grades(digest) == [("cut", 0.8, 0.85, 0.78, 0.85, None)]
    assert "- **Cut incidents**: grade 0.80 → 0.85 (self-assessed; computed 0.78) · Sales" in render(digest, "markdown").splitlines()


def test_a_finished_objective_whose_score_is_untouched_is_not_graded_again(graded):
    """A late check-in moves Grow recurring revenue's computed grade 0.55 → 0.57; its self-assessed 0.50 stays its grade."""
    digest = make_digest(graded.root, "2027-01-13", date(2027, 1, 19)).digest
    assert [m.objective.id for m in digest.check_ins] == ["grow"]
    assert digest.graded == () and "## Graded" not in render(digest, "markdown")


def test_the_public_digest_grades_a_confidential_objective_and_names_no_private_one(graded):
    """A confidential objective's grade is public, as its page shows it (docs/audiences.md); a private one is not named."""
    digest = make_digest(graded.root, "2027-01-05", date(2027, 1, 5), "public").digest
    assert _grades(digest) == [("cut", None, 0.8, 0.78, 0.8, "written"), ("grow", None, 0.5, 0.55, 0.5, "written"),
                               ("vault", None, 0.75, 0.7, 0.75, "written")]


def test_a_grade_given_in_the_window_its_period_ended_in_is_said_under_graded_alone(graded):
    """Review: Q4 ended on 12-31 and its owners graded it on 01-05, both in the window: each objective's
    grade was said twice, "missed (was off-track) · grade 0.50" under Status changes and again under
    Graded. The status change says the move, Graded the grade."""
    digest = make_digest(graded.root, "2026-12-29", date(2027, 1, 5)).digest
    assert [(c.objective.id, c.change, c.progress, c.grade) for c in digest.status_changes] == [
        ("secret", "missed", None, None), ("cut", "missed", None, None), ("grow", "missed", None, None), ("vault", "missed", None, None)]
    assert [g[0] for g in _grades(digest)] == ["secret", "cut", "grow", "vault"]
    lines = render(digest, "markdown").splitlines()
    assert "- **Grow recurring revenue**: missed (was off-track) · Sales" in lines
    assert "- **Grow recurring revenue**: grade 0.50 (self-assessed; computed 0.55) · retro written · Sales" in lines


def test_a_score_written_before_the_period_ended_is_the_grade_its_status_change_says(tmp_path):
    """Graded before the period ended, it is no grade in that window; the week the period ends, its status change gives the grade."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'as_of = 2027-01-31\n', "content/teams/sales.md": TEAM,
              "content/objectives/grow.md": finished("Grow recurring revenue", 20)}, "2026-10-01T09:00:00+00:00")
    r.commit({"content/objectives/grow.md": finished("Grow recurring revenue", 55, 0.5)}, "2026-12-15T09:00:00+00:00")
    digest = make_digest(r.root, "2027-01-01", date(2027, 1, 7)).digest
    assert [(c.change, c.grade) for c in digest.status_changes] == [("missed", 0.5)] and digest.graded == ()
    assert "- **Grow recurring revenue**: missed (was off-track) · grade 0.50 · Sales" in render(digest, "markdown").splitlines()


def test_the_public_secrets_of_the_goals_now_are_refused_when_git_fails(week, tmp_path, monkeypatch):
    """secrets_now (a window ending at a past commit: what is secret today, by every name it had) took git
    failing for "nothing is secret now". A public digest is refused then, with the exit code 4."""
    from okrsite.digest.model import HISTORY_UNREAD, secrets_now

    from ..gitrepo import failing_git

    now = load_site(week.root, date.fromisoformat(UNTIL))
    assert secrets_now("public", week.root, now) is not None
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    with pytest.raises(DigestError) as refused:
        secrets_now("public", week.root, now)
    assert refused.value.code == HISTORY_UNREAD and refused.value.message.startswith("git failed while reading the history (`git log` was stopped")
    assert secrets_now("internal", week.root, now) is None


def _awaited_names(values) -> list[tuple[str, str]]:
    return [(v.kpi.id, v.name) for v in values]


def test_a_grade_awaiting_a_month_end_kpi_value_is_said_provisional_with_what_it_awaits(awaited):
    """QA: from 2027-01-01 the digest said "Grow revenue efficiently: missed (was off-track) · grade 0.32"
    while the site said "Provisional: 2026-Q4": December's MRR and NRR were not in, and the grade later
    became 0.45 and 0.60. A grade said while its key results await month-end KPI values now says so,
    with what it awaits, under Status changes and under Graded."""
    digest = make_digest(awaited.root, "2027-01-01", date(2027, 1, 5)).digest
    grow, keep = digest.status_changes
    assert (grow.objective.id, grow.change, grow.grade) == ("grow", "missed", 0.32)
    assert _awaited_names(grow.awaiting) == [("mrr", "December 2026"), ("nrr", "December 2026")]
    assert (keep.objective.id, keep.grade, keep.awaiting) == ("keep", None, ())  # its grade is said under Graded
    [graded] = digest.graded
    assert (graded.objective.id, graded.grade, graded.came_in, _awaited_names(graded.awaiting)) == ("keep", 0.5, (), [("nrr", "December 2026")])
    lines = render(digest, "markdown").splitlines()
    assert ("- **Grow revenue efficiently**: missed (was off-track) · grade 0.32 (provisional: awaiting the December 2026 values of MRR "
            "and Net revenue retention) · Sales") in lines
    assert ("- **Keep our customers**: grade 0.50 (self-assessed; computed 0.30; provisional: awaiting the December 2026 value of "
            "Net revenue retention) · retro written · Sales") in lines
    assert digest.final_periods == () and summary(digest) == "2 status changes; 1 objective graded."


def test_a_provisional_grade_moved_by_a_month_end_value_is_said_under_graded_until_it_is_final(awaited):
    """December's MRR on 01-06 moved Grow revenue efficiently 0.32 → 0.45, still awaiting NRR; December's
    NRR on 01-13 made 2026-Q4's grades final: Grow 0.60, Keep our customers' computed grade 0.90 under
    its own 0.50. Each week's digest says the grade as it moved, and the summary when the quarter's are final."""
    week = make_digest(awaited.root, "2027-01-06", date(2027, 1, 12)).digest
    [grow] = week.graded
    assert (grow.objective.id, grow.computed_before, grow.grade, grow.score, grow.retro) == ("grow", 0.32, 0.45, None, None)
    assert (_awaited_names(grow.came_in), _awaited_names(grow.awaiting)) == ([("mrr", "December 2026")], [("nrr", "December 2026")])
    assert ("- **Grow revenue efficiently**: grade 0.32 → 0.45 (computed; provisional: awaiting the December 2026 value of Net revenue "
            "retention) · Sales") in render(week, "markdown").splitlines()
    assert summary(week) == "1 objective moved by KPI values; 1 KPI with new values; 1 provisional grade updated."
    last = make_digest(awaited.root, "2027-01-13", date(2027, 1, 19)).digest
    assert [(g.objective.id, g.computed_before, g.computed_grade, g.grade, g.awaiting) for g in last.graded] == [
        ("grow", 0.45, 0.6, 0.6, ()), ("keep", 0.3, 0.9, 0.5, ())]
    lines = render(last, "markdown").splitlines()
    assert ("- **Grow revenue efficiently**: grade 0.45 → 0.60 (computed; final: the December 2026 value of Net revenue retention came in)"
            " · Sales") in lines
    assert ("- **Keep our customers**: grade 0.50 (self-assessed; computed 0.30 → 0.90; final: the December 2026 value of Net revenue "
            "retention came in) · Sales") in lines
    assert last.final_periods == ("2026-Q4",)
    assert summary(last) == "2 objectives moved by KPI values; 1 KPI with new values; 2 grades made final. 2026-Q4's grades are final."
    jsonschema.validate(as_json(last), json.loads(SCHEMA.read_text()))


def test_a_window_in_which_the_quarter_ended_and_its_month_end_values_came_says_the_final_grade_alone(awaited):
    """Not provisional at the window's start (the quarter ran), final at its end: nothing was provisional to the reader."""
    digest = make_digest(awaited.root, "2027-01-01", date(2027, 1, 19)).digest
    assert [(c.objective.id, c.grade, c.awaiting) for c in digest.status_changes] == [("grow", 0.6, ()), ("keep", None, ())]
    assert [(g.objective.id, g.computed_before, g.came_in, g.awaiting) for g in digest.graded] == [("keep", None, (), ())]
    assert digest.final_periods == () and "provisional" not in render(digest, "markdown") and "final" not in summary(digest)


def test_a_roll_up_s_grade_awaits_what_the_objectives_it_counts_await(tmp_path):
    """A roll-up's grade is the mean of its children's: it moves when their month-end values come, and says so."""
    from .conftest import GROW_EFFICIENTLY, monthly

    mrr = {"2026-09-30": 40000, "2026-11-30": 50000}
    nrr = {"2026-09-30": 100, "2026-11-30": 102}
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'as_of = 2027-01-31\n', "content/teams/sales.md": TEAM,
              "content/kpis/mrr.md": monthly("MRR", "USD", 60000, mrr), "content/kpis/nrr.md": monthly("Net revenue retention", "%", 110, nrr),
              "content/objectives/all.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: sales\n---\n",
              "content/objectives/grow.md": GROW_EFFICIENTLY.replace("owner: sales\n", "owner: sales\nparent: all\n")},
             "2026-10-01T09:00:00+00:00")
    r.commit({"content/kpis/mrr.md": monthly("MRR", "USD", 60000, {**mrr, "2026-12-31": 60000})}, "2027-01-03T09:00:00+00:00")
    digest = make_digest(r.root, "2027-01-01", date(2027, 1, 5)).digest
    assert [(c.objective.id, c.grade, _awaited_names(c.awaiting)) for c in digest.status_changes] == [
        ("all", 0.6, [("nrr", "December 2026")]), ("grow", 0.6, [("nrr", "December 2026")])]


def test_a_roll_up_s_grade_is_provisional_in_the_digest_as_on_its_page(tmp_path):
    """QA: the digest and the pages disagreed on a roll-up: its page said "final grade" while the digest
    said "provisional: awaiting …" of a child's guardrail's KPI (a guardrail moves no grade, SPEC §12),
    and the year the roll-up is of never got "2026's grades are final": only objectives' own key results
    were asked. Both now ask the numbers (ObjectiveScore.awaited)."""
    from okrsite.build import build

    from ..web.test_render import text_of
    from .conftest import GROW_EFFICIENTLY, monthly

    mrr, nrr = {"2026-09-30": 40000, "2026-11-30": 50000}, {"2026-09-30": 100, "2026-11-30": 102}
    safe = ("---\ntitle: Hire safely\nperiod: 2026-Q4\nowner: sales\nparent: all\nkey_results:\n"
            "  - {title: Hire engineers, start: 0, target: 10, current: 8}\n  - {title: Keep NRR, kpi: nrr, keep_above: 95}\n---\n")
    grow = GROW_EFFICIENTLY.replace("owner: sales\n", "owner: sales\nparent: all\n").replace("  - {title: Reach 110% NRR, kpi: nrr, start: 100, target: 110}\n", "")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'as_of = 2027-01-31\n', "content/teams/sales.md": TEAM,
              "content/kpis/mrr.md": monthly("MRR", "USD", 60000, mrr), "content/kpis/nrr.md": monthly("Net revenue retention", "%", 110, nrr),
              "content/objectives/all.md": "---\ntitle: Grow\nperiod: 2026\nowner: sales\n---\n",
              "content/objectives/grow.md": grow, "content/objectives/safe.md": safe}, "2026-10-01T09:00:00+00:00")
    digest = make_digest(r.root, "2027-01-01", date(2027, 1, 5)).digest
    changes = {c.objective.id: _awaited_names(c.awaiting) for c in digest.status_changes}
    assert changes == {"all": [("mrr", "December 2026")], "grow": [("mrr", "December 2026")], "safe": []}
    build(r.root, tmp_path / "out", as_of=date(2027, 1, 5))
    assert "provisional grade" in text_of(tmp_path / "out/objectives/all/index.html")
    assert "final grade" in text_of(tmp_path / "out/objectives/safe/index.html")

    r.commit({"content/kpis/mrr.md": monthly("MRR", "USD", 60000, {**mrr, "2026-12-31": 60000})}, "2027-01-06T09:00:00+00:00")
    week = make_digest(r.root, "2027-01-06", date(2027, 1, 12)).digest
    assert week.final_periods == ("2026",)  # 2026-Q4 is not: a guardrail's value still awaits December's NRR
    assert summary(week).endswith("2026's grades are final.")


@pytest.mark.parametrize("change, since, as_of, why, said", [
    ({}, "2027-03-01", "2027-03-06", "stale", "did not come"),
    ({"2027-01-31": 52000}, "2027-02-08", "2027-02-14", "later", "did not come, a later one did"),
    ({"retired": "2026-12-15"}, "2027-01-18", "2027-01-24", "retired", "did not come, the KPI was retired"),
])
def test_a_provisional_grade_whose_awaited_value_will_not_come_is_said_final(tmp_path, change, since, as_of, why, said):
    """QA: December's MRR never came (January's did, it would be stale by 2027-03-04, or MRR was retired):
    the grade stopped being provisional, yet that window's digest said "Nothing changed" to a reader who
    had read "provisional". It is now listed under Graded as final, with why, and counted in the summary."""
    from .conftest import december_missing

    r = december_missing(tmp_path / "goals", change, since)
    before = make_digest(r.root, "2027-01-01", date(2027, 1, 5)).digest
    assert [(c.grade, _awaited_names(c.awaiting)) for c in before.status_changes] == [(0.49, [("mrr", "December 2026")])]
    digest = make_digest(r.root, since, date.fromisoformat(as_of)).digest
    [grow] = digest.graded
    assert (grow.objective.id, grow.grade, grow.came_in, grow.awaiting) == ("grow", 0.49, (), ())
    assert [(v.kpi.id, v.name, v.why) for v in grow.never_came] == [("mrr", "December 2026", why)]
    assert f"- **Grow recurring revenue**: grade 0.49 (computed; final: the December 2026 value of MRR {said}) · Sales" in render(digest, "markdown")
    assert digest.final_periods == ("2026-Q4",) and "1 grade made final. 2026-Q4's grades are final." in summary(digest)
    jsonschema.validate(as_json(digest), json.loads(SCHEMA.read_text()))


def test_a_public_digest_says_no_value_a_private_objective_awaited_will_not_come(tmp_path):
    """A public roll-up's grade awaits only what its public children await (Rollup.awaited): a private
    child's awaited value that will not come is said on the internal digest, not on the public one."""
    from .conftest import GROW_MRR, december_missing

    r = december_missing(tmp_path / "goals")
    r.commit({"content/objectives/all.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: sales\n---\n",
              "content/objectives/grow.md": GROW_MRR.replace("owner: sales\n", "owner: sales\nparent: all\nprivate: true\n")},
             "2026-10-02T09:00:00+00:00")
    internal = make_digest(r.root, "2027-03-01", date(2027, 3, 6)).digest
    assert [(g.objective.id, [v.why for v in g.never_came]) for g in internal.graded] == [("all", ["stale"]), ("grow", ["stale"])]
    public = make_digest(r.root, "2027-03-01", date(2027, 3, 6), "public").digest
    assert public.graded == () and "did not come" not in render(public, "markdown")
