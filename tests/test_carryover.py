"""`okrsite carry-over FROM TO` (SPEC §13): unfinished objectives become new files that follow them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from okrsite.build import check_site
from okrsite.carryover import carry_over
from okrsite.cli import main
from okrsite.scaffold import ScaffoldError

from .conftest import FIXTURES, compose_site, goals_files_read, okrsite_bound_by_permissions, read_once_each, write_files


@pytest.fixture
def closing(tmp_path: Path) -> Path:
    return compose_site(tmp_path / "goals", FIXTURES / "closing")


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_dry_run_writes_nothing_and_says_what_it_would(closing, capsys):
    before = snapshot(closing)
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing), "--dry-run"]) == 0
    assert snapshot(closing) == before
    out = capsys.readouterr().out
    assert f"Would write {closing / 'content/objectives/2026-q4/grow-2.md'} (follows grow)" in out
    assert "  | follows: \"grow\"" in out


def test_unfinished_objectives_become_files_that_follow_them(closing, capsys):
    before = snapshot(closing)
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    out = capsys.readouterr().out
    after = snapshot(closing)
    assert {k: v for k, v in after.items() if k in before} == before, "nothing is overwritten"
    written = sorted(set(after) - set(before))
    assert written == [f"content/objectives/2026-q4/{name}.md" for name in ("bet-2", "grow-2", "launch-3", "region-2")]
    for name in written:
        assert f"Wrote {closing / name}" in out
    assert "Not carried: done-thing (achieved)" in out and "Not carried: dropped (cancelled)" in out
    assert "okrsite check: 0 errors, 0 warnings, 0 notices: the files written pass" in out

    q4 = closing / "content/objectives/2026-q4"
    grow = front_matter(q4 / "grow-2.md")
    assert {k: grow[k] for k in ("title", "period", "owner", "kind", "follows", "kpis", "tags")} == {
        "title": "Grow the business", "period": "2026-Q4", "owner": "company", "kind": "committed",
        "follows": "grow", "kpis": ["signups"], "tags": ["growth"]}
    assert "parent" not in grow and "score" not in grow and "retro" not in grow
    assert grow["key_results"] == [
        {"title": "Raise activation to 100%", "start": 60, "target": 100, "unit": "%", "weight": 2},
        {"title": "Publish the roadmap", "done": False},
        {"title": "Localise the product", "progress": 0},
    ]
    launch = front_matter(q4 / "launch-3.md")  # launch-2 is taken by another objective
    assert (launch["parent"], launch["follows"]) == ("grow-2", "launch")
    # the KR already at its target is left out; the KPI-linked one starts at the KPI's value at the
    # period's end (420), not the later 520; a decreasing one keeps its direction
    assert launch["key_results"] == [
        {"title": "Cut time to first report from 10 to 5 minutes", "start": 7, "target": 5, "unit": "minutes"},
        {"title": "Reach 500 weekly sign-ups", "kpi": "signups", "start": 420, "target": 500},
    ]
    assert "left out, reached already: Sign 3 design partners" in out
    # an objective without key results is carried with its carried child, re-pointed to it
    assert (front_matter(q4 / "bet-2.md")["kind"], front_matter(q4 / "region-2.md")["parent"]) == ("aspirational", "bet-2")
    assert "history" not in str(after[written[1]]) and "current" not in after[written[1]].decode()

    checked = check_site(closing)
    assert not checked.report.failed(strict=True), checked.report.items
    assert checked.loaded.site.followed_by["grow"] == ("grow-2",)


def test_a_second_run_carries_nothing_again(closing, capsys):
    carry_over(closing, "2026-Q3", "2026-Q4")
    before = snapshot(closing)
    result = carry_over(closing, "2026-Q3", "2026-Q4")
    assert result.carried == () and snapshot(closing) == before
    assert ("grow", "already continued in grow-2") in [(o.id, why) for o, why in result.skipped]


def test_owner_takes_only_that_owners_objectives(closing):
    result = carry_over(closing, "2026-Q3", "2026-Q4", owner="product", dry_run=True)
    assert [c.old.id for c in result.carried] == ["launch", "region"]
    # grow is not carried in this run: launch keeps its parent of Q3 (SPEC §13: the same parent), and says so
    [launch] = [c for c in result.carried if c.old.id == "launch"]
    assert "\nparent: \"grow\"\n" in launch.text
    assert launch.notes[0] == ("kept 'parent: grow' of 2026-Q3: it has no follower running through 2026-Q4; "
                               "align it to an objective running through 2026-Q4 with 'parent:'")


@pytest.mark.parametrize("args,message,hint", [
    (("2026-Q5", "2026-Q4"), "unknown period '2026-Q5'", "2026-Q4"),
    (("2026-Q4", "2026-Q3"), "2026-Q3 does not come after 2026-Q4", "give the finished period first"),
    # QA BF: a period inside FROM (2026 → 2026-Q4, 2026-H2 → 2026-11): the follower would run inside what it continues
    (("2026-H2", "2026-11"), "2026-11 (2026-11-01 to 2026-11-30) starts before 2026-H2 ends (2026-12-31)",
     "give one that starts after 2026-12-31: 2027-H1 (2027-01-01 to 2027-06-30) comes next"),
    (("2026-Q3", "2026"), "does not come after 2026-Q3", "give the finished period first"),
])
def test_mistakes_are_errors_with_a_fix(closing, args, message, hint):
    with pytest.raises(ScaffoldError) as caught:
        carry_over(closing, *args)
    assert message in caught.value.message and hint in caught.value.hint


NEW_CALENDAR = {
    "content/teams/co.md": "---\ntitle: Co\n---\n",
    "content/objectives/grow.md": "---\ntitle: Grow\nperiod: 2026-Q3\nowner: co\nkey_results: [{title: Deals, target: 20, current: 5}]\n---\n",
}


@pytest.mark.parametrize(("toml", "hint"), [
    # no period named after 2026-Q3: what works is moving FY27-Q1's start, the calendar's quarter, or followers by hand
    ("[periods.FY27-Q1]\nstart = 2026-09-27\nend = 2026-12-26\n",
     "carry-over continues objectives in a period that starts after FROM ends: to carry into FY27-Q1, start it the day after 2026-Q3 ends: "
     "in okrsite.toml, [periods.FY27-Q1] with start = 2026-10-01; or give 2026-Q4 (2026-10-01 to 2026-12-31), which comes next; "
     "or write the followers in FY27-Q1 by hand, each with 'follows:' naming the objective it continues (docs/closing-a-quarter.md, Lineage)"),
    # a period named next: that one
    ("[periods.FY27-Q1]\nstart = 2026-09-27\nend = 2026-12-26\n[periods.TRANSITION]\nstart = 2026-10-01\nend = 2026-12-26\n",
     "carry-over continues objectives in a period that starts after FROM ends: give one that starts after 2026-09-30: "
     "TRANSITION (2026-10-01 to 2026-12-26) comes next; or write the followers in FY27-Q1 by hand, each with 'follows:' naming the "
     "objective it continues (docs/closing-a-quarter.md, Lineage)"),
])
def test_a_named_period_starting_before_from_ends_is_refused_with_what_works(tmp_path, toml, hint):
    """QA FJ 9: FY27-Q1 starting on 27 September, before 2026-Q3 ends, was refused with "give one that
    starts after 2026-09-30", when none is named (FY27-Q2 is not yet)."""
    root = write_files(tmp_path / "goals", {**NEW_CALENDAR, "okrsite.toml": f'title = "c"\n{toml}'})
    with pytest.raises(ScaffoldError) as caught:
        carry_over(root, "2026-Q3", "FY27-Q1", as_of=date(2026, 10, 1))
    assert caught.value.message == "FY27-Q1 (2026-09-27 to 2026-12-26) starts before 2026-Q3 ends (2026-09-30)"
    assert caught.value.hint == hint


def test_a_period_inside_a_named_one_with_none_named_after_is_refused_with_how_to_define_the_next(tmp_path):
    root = write_files(tmp_path / "goals", {**NEW_CALENDAR, "okrsite.toml": (
        'title = "c"\n[periods.FY26]\nstart = 2025-09-28\nend = 2026-09-26\n[periods.FY26-Q4]\nstart = 2026-06-28\nend = 2026-09-26\n')})
    with pytest.raises(ScaffoldError) as caught:
        carry_over(root, "FY26", "FY26-Q4", as_of=date(2026, 9, 1))
    assert caught.value.hint == ("carry-over continues objectives in a period that starts after FROM ends: "
                                 "define the period after FY26 in okrsite.toml, with start = 2026-09-27 (the day after FY26 ends) and end = its last day")


def test_each_way_the_refusal_names_works(tmp_path):
    """The hint's ways out, each taken: FY27-Q1 moved to start on 2026-10-01 takes the carry-over, and a
    follower written by hand into FY27-Q1 as it was passes `check`."""
    toml = 'title = "c"\n[periods.FY27-Q1]\nstart = 2026-09-27\nend = 2026-12-26\n'
    moved = write_files(tmp_path / "moved", {**NEW_CALENDAR, "okrsite.toml": toml.replace("2026-09-27", "2026-10-01")})
    assert [c.path.name for c in carry_over(moved, "2026-Q3", "FY27-Q1", as_of=date(2026, 10, 1)).carried] == ["grow-2.md"]
    by_hand = write_files(tmp_path / "by-hand", {**NEW_CALENDAR, "okrsite.toml": toml, "content/objectives/grow-on.md": (
        "---\ntitle: Grow\nperiod: FY27-Q1\nowner: co\nfollows: grow\nkey_results: [{title: Deals, start: 5, target: 20}]\n---\n")})
    assert check_site(by_hand, date(2026, 10, 1)).report.errors == []


def test_a_yearly_roll_up_goes_into_the_fiscal_year_okrsite_toml_names(tmp_path, capsys):
    """QA FJ 1: with a 52-week FY27 named from 2027-01-01, the quarter's run carried the yearly roll-up
    into the calendar's 2027 beside it (365 days, nearer 2026's length), and the year's run named that."""
    root = write_files(tmp_path / "goals", {**YEAR_ROLL_UP, "okrsite.toml": 'title = "c"\n[periods.FY27]\nstart = 2027-01-01\nend = 2027-12-30\n'})
    site = ["--site", str(root), "--as-of", "2027-01-04"]
    assert main(["carry-over", "2026", "FY27", *site]) == 0
    assert "okrsite carry-over 2026-Q4 2027-Q1 carries it with them into FY27" in capsys.readouterr().out
    assert main(["carry-over", "2026-Q4", "2027-Q1", *site]) == 0
    assert "note: carried with its children 'sell-q4': 2026 ends with 2026-Q4, into FY27" in capsys.readouterr().out
    assert front_matter(root / "content/objectives/grow-2026-2.md")["period"] == "FY27"


def test_unknown_owner_suggests_one(closing, capsys):
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing), "--owner", "prodct"]) == 1
    assert "no objective is owned by 'prodct'" in capsys.readouterr().err


def test_an_owner_of_no_objective_is_told_the_owners_of_from(closing):
    """QA CN: after data-team.md became analytics.md, `--owner analytics` said only that no objective is
    owned by 'analytics'; FROM's objectives still name 'data-team'. The hint lists FROM's owners when
    they are few (a did-you-mean when one looks alike, as 'prodct' above)."""
    with pytest.raises(ScaffoldError) as caught:
        carry_over(closing, "2026-Q3", "2026-Q4", owner="analytics")
    assert caught.value.message == "no objective is owned by 'analytics'"
    assert caught.value.hint == "the owners of 2026-Q3: 'company', 'product'; --owner takes a team id or a person's name as written in 'owner:'"


def test_an_owner_of_no_objective_of_from_is_told_so_and_the_owners_of_from(closing, capsys):
    write_files(closing, {"content/objectives/2026-q4/ana.md": "---\ntitle: Ana's\nperiod: 2026-Q4\nowner: Ana Souza\nparent: launch-2\n"
                                                               "key_results: [{title: x, target: 10, current: 5}]\n---\n"})
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing), "--owner", "Ana Souza"]) == 0
    assert capsys.readouterr().out == ("Nothing to carry over from 2026-Q3 to 2026-Q4: no objective of 2026-Q3 is owned by 'Ana Souza' (the owners of "
                                       "2026-Q3: 'company', 'product'; --owner takes a team id or a person's name as written in 'owner:')\n")


def test_a_guardrail_is_carried_with_its_line_and_never_counts_as_reached(closing):
    """A guardrail (SPEC §12) has no progress: it goes on guarding in the next period, with the same line."""
    grow = closing / "content/objectives/2026-q3/grow.md"
    text = grow.read_text(encoding="utf-8").replace(
        "  - title: Localise the product\n    progress: 0.5\n",
        "  - title: Localise the product\n    progress: 0.5\n  - title: Keep churn at or below 3%\n    keep_below: 3\n    current: 2.5\n    unit: \"%\"\n")
    grow.write_text(text, encoding="utf-8")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    carried = front_matter(closing / "content/objectives/2026-q4/grow-2.md")["key_results"]
    assert {"title": "Keep churn at or below 3%", "keep_below": 3, "unit": "%"} in carried
    assert not check_site(closing).report.failed(True)


def test_a_private_or_confidential_objective_is_carried_as_secret_as_it_was(closing):
    """SPEC §14: the follower has the same title, so it is private when the old one was; confidential
    key results stay confidential (a confidential objective says it once, for all of them)."""
    q3 = closing / "content/objectives/2026-q3"
    bet = q3 / "bet.md"
    bet.write_text(bet.read_text(encoding="utf-8").replace("kind: aspirational\n", "kind: aspirational\nprivate: true\n"), encoding="utf-8")
    grow = q3 / "grow.md"
    grow.write_text(grow.read_text(encoding="utf-8").replace("    weight: 2\n", "    weight: 2\n    confidential: true\n"), encoding="utf-8")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    q4 = closing / "content/objectives/2026-q4"
    assert front_matter(q4 / "bet-2.md")["private"] is True
    carried = front_matter(q4 / "grow-2.md")
    assert "private" not in carried and "confidential" not in carried
    assert [kr.get("confidential") for kr in carried["key_results"]] == [True, None, None]
    assert not check_site(closing).report.failed(True)


def test_a_confidential_objective_says_it_once_for_all_its_key_results(closing):
    grow = closing / "content/objectives/2026-q3/grow.md"
    grow.write_text(grow.read_text(encoding="utf-8").replace("score: 0.6\n", "score: 0.6\nconfidential: true\n"), encoding="utf-8")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    carried = front_matter(closing / "content/objectives/2026-q4/grow-2.md")
    assert carried["confidential"] is True and all("confidential" not in kr for kr in carried["key_results"])
    assert not check_site(closing).report.failed(True)


def retire_signups(closing: Path, day: str) -> None:
    """The sign-ups KPI of the closing fixture, retired on ``day``, confidential, in its own unit and format."""
    kpi = closing / "content/kpis/signups.md"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("  - {date: 2026-10-05, value: 520}\n", "").replace(
        "frequency: weekly\n", f"frequency: weekly\nretired: {day}\nunit: sign-ups\nformat: compact\nconfidential: true\n"), encoding="utf-8")


def test_a_key_result_of_a_kpi_retired_before_the_new_period_is_carried_to_be_checked_in_by_hand(closing, capsys):
    """QA: the follower got `kpi:` of a KPI retired before its period, so it stood at the KPI's last value
    all quarter, and `okrsite check --strict` refused the files carry-over said pass (SPEC §13)."""
    retire_signups(closing, "2026-10-01")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    out = capsys.readouterr().out
    carried = front_matter(closing / "content/objectives/2026-q4/launch-3.md")["key_results"]
    assert carried[1] == {"title": "Reach 500 weekly sign-ups", "confidential": True, "start": 420, "target": 500, "unit": "sign-ups", "format": "compact"}
    assert ("  note: key result 2 followed signups, retired on 2026-10-01: it is now checked in by hand; "
            "give it another KPI with kpi: if one measures it\n") in out
    assert "okrsite check: 0 errors, 0 warnings, 0 notices: the files written pass\n" in out
    assert not check_site(closing).report.failed(strict=True), check_site(closing).report.items


def test_a_key_result_of_a_kpi_retired_inside_the_new_period_still_follows_it(closing, capsys):
    """Measured until its retired day, the KPI still gives the new key result its first weeks' values."""
    retire_signups(closing, "2026-10-02")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    assert front_matter(closing / "content/objectives/2026-q4/launch-3.md")["key_results"][1]["kpi"] == "signups"
    assert "checked in by hand" not in capsys.readouterr().out


def test_carrying_a_period_that_still_runs_says_the_starts_are_not_final(closing, capsys):
    """Teams plan the next quarter before this one ends: the starts are then today's numbers, and
    the new file must not claim they are where the old objective ended."""
    assert main(["carry-over", "2026-Q4", "2027-Q1", "--site", str(closing)]) == 0
    out = capsys.readouterr().out
    assert "note: 2026-Q4 runs until 2026-12-31: the new key results start from its numbers as of 2026-10-05" in out
    [written] = (closing / "content/objectives/2027-q1").glob("*.md")
    assert "start where that one stood on 2026-10-05, before 2026-Q4 ended." in written.read_text(encoding="utf-8")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    assert "runs until" not in capsys.readouterr().out


def test_as_of_carries_over_as_of_that_date_not_the_setting_s(closing, capsys):
    """carry-over had no --as-of, while build, check, serve, new and digest have one: run before the
    period's end, it read the period as running; planning for a date meant editing okrsite.toml."""
    assert main(["carry-over", "2026-Q4", "2027-Q1", "--site", str(closing), "--as-of", "2027-01-07"]) == 0
    out = capsys.readouterr().out
    assert "runs until" not in out and out.endswith("the files written pass\n")
    [written] = (closing / "content/objectives/2027-q1").glob("*.md")
    assert "start where that one ended." in written.read_text(encoding="utf-8")
    assert (closing / "okrsite.toml").read_text(encoding="utf-8").endswith("as_of = 2026-10-05\n")


def test_as_of_is_the_date_the_function_reads_the_site_as_of(closing):
    planned = carry_over(closing, "2026-Q4", "2027-Q1", dry_run=True, as_of=date(2026, 12, 3))
    assert (planned.as_of, planned.running) == (date(2026, 12, 3), True)
    ended = carry_over(closing, "2026-Q4", "2027-Q1", dry_run=True, as_of=date(2027, 1, 7))
    assert (ended.as_of, ended.running) == (date(2027, 1, 7), False)
    assert [item.path for item in ended.carried] == [item.path for item in planned.carried]


def test_a_bad_as_of_is_refused_as_the_other_commands_refuse_it(closing, capsys):
    before = snapshot(closing)
    with pytest.raises(SystemExit) as exit_:
        main(["carry-over", "2026-Q4", "2027-Q1", "--site", str(closing), "--as-of", "2027-02-30"])
    assert exit_.value.code == 2
    assert "argument --as-of: '2027-02-30' is not a date like 2026-11-23: February 2027 has 28 days" in capsys.readouterr().err
    assert snapshot(closing) == before


def test_an_in_progress_status_set_by_hand_is_carried_and_named(closing, capsys):
    """`status: at-risk` on a quarter that has ended is not achieved or cancelled, so the objective is
    carried; the old one would still say "at-risk (set by hand)" with no grade deciding it: one note
    names it and what to do (as the notice of `okrsite check` does)."""
    grow = closing / "content/objectives/2026-q3/grow.md"
    grow.write_text(grow.read_text(encoding="utf-8").replace("score: 0.6\n", "status: at-risk\n"), encoding="utf-8")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    out = capsys.readouterr().out
    assert (f"Wrote {closing / 'content/objectives/2026-q4/grow-2.md'} (follows grow)\n"
            "  note: 'grow' (content/objectives/2026-q3/grow.md): status: at-risk is set by hand, but 2026-Q3 ended on 2026-09-30; "
            "set status: achieved, missed or cancelled, or remove status: so that its grade decides\n") in out
    assert out.count("set by hand, but") == 1
    assert "okrsite check: 0 errors, 0 warnings, 1 notice: the files written pass" in out


def test_an_in_progress_status_set_by_hand_on_a_period_that_still_runs_is_no_note(closing, capsys):
    launch = closing / "content/objectives/2026-q4/launch-2.md"
    launch.write_text(launch.read_text(encoding="utf-8").replace("period: 2026-Q4\n", "period: 2026-Q4\nstatus: off-track\n"), encoding="utf-8")
    assert main(["carry-over", "2026-Q4", "2027-Q1", "--site", str(closing)]) == 0
    out = capsys.readouterr().out
    assert "(follows launch-2)" in out and "set by hand" not in out


ORPHAN = "---\ntitle: Old\nperiod: 2026-Q3\nowner: Jane Doe\nkey_results: [{title: x, target: 10, current: 5}]\n---\n"


def test_warnings_already_in_the_repository_do_not_fail_carry_over(tmp_path, capsys):
    """`okrsite carry-over 2026-Q3 2026-Q4` wrote its file, then exited 1: its closing check ran as
    --strict, and the repository already had a warning (an orphan). SPEC §13 asks that the result
    passes `okrsite check`: exit 0 then, so `carry-over && git commit` commits; warnings are printed,
    those of the files written apart from those that were there before."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "c"\nas_of = 2026-12-02\n', "content/objectives/old.md": ORPHAN})
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(root)]) == 0
    said = capsys.readouterr()
    assert (root / "content/objectives/old-2.md").is_file()
    assert "content/objectives/old-2.md:4: warning: orphan objective" in said.err
    assert "content/objectives/old.md:4" not in said.err, "a warning that was there before is counted, not listed"
    assert said.out.endswith("okrsite check: 0 errors, 2 warnings, 0 notices: the files written pass (1 warning in them, listed; "
                             "1 already in the repository before carry-over: okrsite check lists it)\n"), said.out


def test_an_error_in_the_files_written_fails_carry_over_with_the_error(tmp_path, capsys, monkeypatch):
    """Should a written file not pass `okrsite check`, the command says so and exits 1, so a
    `carry-over && git commit` commits nothing broken."""
    import okrsite.carryover
    monkeypatch.setattr(okrsite.carryover, "_number", lambda value: "lots")
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "c"\nas_of = 2026-12-02\n', "content/objectives/old.md": ORPHAN})
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(root)]) == 1
    said = capsys.readouterr()
    assert "content/objectives/old-2.md:" in said.err and ": error: " in said.err
    assert "the files written do not pass okrsite check: fix the errors above (or remove those files) before you commit them" in said.err, said.err


ROLL_UP = {
    "okrsite.toml": 'title = "c"\nas_of = 2026-10-05\n',
    "content/teams/co.md": "---\ntitle: Co\n---\n",
    "content/teams/ops.md": "---\ntitle: Ops\nparent: co\n---\n",
    "content/objectives/love.md": "---\ntitle: Customers love us\nperiod: 2026-Q3\nowner: co\n---\nRoll-up.\n",
    "content/objectives/fast.md": ("---\ntitle: Answer fast\nperiod: 2026-Q3\nowner: ops\nparent: love\nkey_results:\n"
                                   "  - title: Hours\n    start: 10\n    target: 2\n    current: 6\n---\n"),
}


def test_a_roll_up_s_follower_says_what_it_continues_not_where_its_key_results_start(tmp_path):
    """QA AF: the follower of a roll-up said "its key results start where that one ended": it has none."""
    root = write_files(tmp_path / "goals", ROLL_UP)
    carried = {c.ident: c for c in carry_over(root, "2026-Q3", "2026-Q4").carried}
    assert carried["love-2"].text.endswith("---\nContinues [[love]] from 2026-Q3.\n")
    assert carried["fast-2"].text.endswith("---\nContinues [[fast]] from 2026-Q3: its key results start where that one ended.\n")


def test_a_roll_up_whose_child_an_earlier_run_carried_says_so_and_what_to_do(tmp_path):
    """`carry-over --owner ops` carried 'fast' (aligned to 'love', which had no follower); the full run then
    left 'love' out "because none of its children is carried over", which was false, and said nothing
    of the orphan 'fast-2'. Written now, 'love-2' would have neither key results nor children (an
    error: SPEC §13 wants the result to pass the check), so it is left out with the true reason and
    what to write where."""
    root = write_files(tmp_path / "goals", ROLL_UP)
    first = carry_over(root, "2026-Q3", "2026-Q4", owner="ops")
    assert [c.ident for c in first.carried] == ["fast-2"]
    second = carry_over(root, "2026-Q3", "2026-Q4")
    assert second.carried == ()
    assert dict((o.id, why) for o, why in second.skipped) == {
        "fast": "already continued in fast-2",
        "love": ("no key results, and its children were carried by an earlier run, still aligned to it (fast-2): write its follower "
                 "by hand (follows: love) and set it as their 'parent:' in content/objectives/fast-2.md")}
    assert not check_site(root).report.errors


YEAR_ROLL_UP = {
    "okrsite.toml": 'title = "c"\n',
    "content/teams/co.md": "---\ntitle: Co\n---\n",
    "content/objectives/grow-2026.md": "---\ntitle: Grow in 2026\nperiod: 2026\nowner: co\n---\nRoll-up of the quarters.\n",
    **{f"content/objectives/sell-q{q}.md": (f"---\ntitle: Sell in Q{q}\nperiod: 2026-Q{q}\nowner: co\nparent: grow-2026\nkey_results:\n"
                                            "  - title: Deals\n    target: 10\n    current: 5\n---\n") for q in (3, 4)},
}


def test_a_yearly_roll_up_is_carried_with_its_last_quarter_s_children(tmp_path, capsys):
    """QA EQ: a yearly objective rolling up its quarters was never carried into 2027: its children are
    quarters, never carried in the year's run, and the reason said none was carried; the quarter's run
    left its Q4 follower aligned to the finished 2026 objective (a warning `check --strict` fails on),
    and carry-over edits no file it did not write. The year's run says to carry the quarter; the
    quarter's run carries the year with it (new files only), its follower aligned to the year's; the
    year's run then has nothing left to do."""
    root = write_files(tmp_path / "goals", YEAR_ROLL_UP)
    site = ["--site", str(root), "--as-of", "2027-01-04"]
    assert main(["carry-over", "2026", "2027", *site]) == 0
    assert ("Not carried: grow-2026 (no key results, and its children are of shorter periods, never carried in this run: "
            "okrsite carry-over 2026-Q4 2027-Q1 carries it with them into 2027)") in capsys.readouterr().out
    assert main(["carry-over", "2026-Q4", "2027-Q1", *site]) == 0
    out = capsys.readouterr().out
    assert f"Wrote {root / 'content/objectives/grow-2026-2.md'} (follows grow-2026)" in out
    assert "note: carried with its children 'sell-q4': 2026 ends with 2026-Q4, into 2027" in out
    assert "okrsite check: 0 errors, 0 warnings, 0 notices: the files written pass" in out
    assert front_matter(root / "content/objectives/sell-q4-2.md")["parent"] == "grow-2026-2"
    assert front_matter(root / "content/objectives/grow-2026-2.md")["period"] == "2027"
    assert main(["carry-over", "2026", "2027", *site]) == 0
    assert "Not carried: grow-2026 (already continued in grow-2026-2)" in capsys.readouterr().out
    assert main(["check", str(root), "--strict", "--as-of", "2027-01-04"]) == 0


def test_a_yearly_roll_up_left_by_an_owner_s_run_says_what_to_write_by_hand(tmp_path, capsys):
    """QA ET 3: after `--owner` runs (the year is another owner's, so not carried along), the year's run
    named next spring's `carry-over 2027-Q1 2027-Q2` (the followers, aligned to the year, taken for its
    children of shorter periods): it says what to write by hand, as for a quarter's roll-up."""
    files = dict(YEAR_ROLL_UP)
    files["content/objectives/sell-q4.md"] = files["content/objectives/sell-q4.md"].replace("owner: co", "owner: Ann")
    root = write_files(tmp_path / "goals", files)
    site = ["--site", str(root), "--as-of", "2027-01-04"]
    assert main(["carry-over", "2026-Q4", "2027-Q1", "--owner", "Ann", *site]) == 0
    capsys.readouterr()
    assert main(["carry-over", "2026", "2027", *site]) == 0
    assert ("Not carried: grow-2026 (no key results, and its children were carried by an earlier run, still aligned to it (sell-q4-2): "
            "write its follower by hand (follows: grow-2026) and set it as their 'parent:' in content/objectives/sell-q4-2.md)") in capsys.readouterr().out


HALF_AND_YEAR = {
    **YEAR_ROLL_UP,
    "content/objectives/grow-h2.md": "---\ntitle: Grow in H2\nperiod: 2026-H2\nowner: co\nparent: grow-2026\n---\nRoll-up of its quarters.\n",
    "content/objectives/sell-q4.md": YEAR_ROLL_UP["content/objectives/sell-q4.md"].replace("parent: grow-2026", "parent: grow-h2"),
}


def test_the_whole_chain_of_roll_ups_ending_with_the_quarter_is_carried_with_it(tmp_path, capsys):
    """QA ET 4: with a yearly roll-up above a half-year's above the quarter, `carry-over 2026-Q4 2027-Q1`
    carried the half-year only; the year's own run then said to write its follower by hand (carry-over
    edits no file, and the half-year's follower was left aligned to the finished year). Each roll-up
    ending with the quarter is carried into its own next period, aligned to the one above."""
    root = write_files(tmp_path / "goals", HALF_AND_YEAR)
    site = ["--site", str(root), "--as-of", "2027-01-04"]
    assert main(["carry-over", "2026", "2027", *site]) == 0
    assert ("Not carried: grow-2026 (no key results, and its children are of shorter periods, never carried in this run: "
            "okrsite carry-over 2026-Q4 2027-Q1 carries it with them into 2027)") in capsys.readouterr().out
    before = snapshot(root)
    assert main(["carry-over", "2026-Q4", "2027-Q1", "--dry-run", *site]) == 0
    planned = capsys.readouterr().out
    assert snapshot(root) == before
    assert main(["carry-over", "2026-Q4", "2027-Q1", *site]) == 0
    out = capsys.readouterr().out
    written = {"sell-q4-2": ("2027-Q1", "grow-h2-2"), "grow-h2-2": ("2027-H1", "grow-2026-2"), "grow-2026-2": ("2027", None)}
    for name, (period, parent) in written.items():
        path = root / f"content/objectives/{name}.md"
        assert f"Would write {path} " in planned and f"Wrote {path} " in out
        assert (front_matter(path)["period"], front_matter(path).get("parent")) == (period, parent)
    assert sorted(set(snapshot(root)) - set(before)) == sorted(f"content/objectives/{name}.md" for name in written)
    assert "note: carried with its children 'grow-h2': 2026 ends with 2026-H2, into 2027" in out
    assert "okrsite check: 0 errors, 0 warnings, 0 notices: the files written pass" in out
    for run in (("2026-H2", "2027-H1", "grow-h2", "grow-h2-2"), ("2026", "2027", "grow-2026", "grow-2026-2")):
        assert main(["carry-over", *run[:2], *site]) == 0
        assert f"Not carried: {run[2]} (already continued in {run[3]})" in capsys.readouterr().out
    assert main(["check", str(root), "--strict", "--as-of", "2027-01-04"]) == 0


def test_a_chain_of_roll_ups_is_carried_from_a_month_any_depth_and_stops_at_one_not_carried(tmp_path):
    """A month's objective under roll-ups of its quarter, half-year and year, all ending on 2026-12-31:
    each is carried; one above that is finished stops the chain (nothing is aligned to a roll-up
    written anew above it)."""
    files = {**HALF_AND_YEAR, "content/objectives/sell-q4.md": "---\ntitle: Sell in Q4\nperiod: 2026-Q4\nowner: co\nparent: grow-h2\n---\n",
             "content/objectives/sell-dec.md": YEAR_ROLL_UP["content/objectives/sell-q4.md"].replace("2026-Q4", "2026-12").replace("grow-2026", "sell-q4")}
    root = write_files(tmp_path / "goals", files)
    carried = carry_over(root, "2026-12", "2027-01", dry_run=True, as_of=date(2027, 1, 4)).carried
    assert [(c.ident, front_matter_of(c.text)["period"], front_matter_of(c.text).get("parent")) for c in carried] == [
        ("sell-dec-2", "2027-01", "sell-q4-2"), ("sell-q4-2", "2027-Q1", "grow-h2-2"), ("grow-h2-2", "2027-H1", "grow-2026-2"), ("grow-2026-2", "2027", None)]
    write_files(root, {"content/objectives/grow-h2.md": files["content/objectives/grow-h2.md"].replace("owner: co\n", "owner: co\nstatus: cancelled\n")})
    assert [c.ident for c in carry_over(root, "2026-12", "2027-01", dry_run=True, as_of=date(2027, 1, 4)).carried] == ["sell-dec-2", "sell-q4-2"]


def test_a_half_year_whose_quarters_no_run_carries_is_named_by_no_run(tmp_path, capsys):
    """QA EV 1: a half-year rolling up a missed Q3 objective and an achieved Q4 one: the year's run said
    `okrsite carry-over 2026-H2 2027-H1` "carries it with them into 2027", and that run carried nothing."""
    files = {**HALF_AND_YEAR, "content/objectives/sell-q3.md": HALF_AND_YEAR["content/objectives/sell-q3.md"].replace("parent: grow-2026", "parent: grow-h2"),
             "content/objectives/sell-q4.md": HALF_AND_YEAR["content/objectives/sell-q4.md"].replace("current: 5", "current: 10")}
    root = write_files(tmp_path / "goals", files)
    site = ["--site", str(root), "--as-of", "2027-01-05"]
    assert main(["carry-over", "2026", "2027", *site]) == 0
    assert "Not carried: grow-2026 (no key results, and none of its children is carried over)" in capsys.readouterr().out
    assert main(["carry-over", "2026-H2", "2027-H1", *site]) == 0
    assert "Not carried: grow-h2 (no key results, and none of its children is carried over)" in capsys.readouterr().out


def test_a_roll_up_carried_after_an_owner_s_run_says_which_earlier_follower_to_align(tmp_path, capsys):
    """QA EV 2: after `--owner sales` carried one quarter's child under a half-year, the whole quarter's
    run carried the half-year and the year, and left the earlier follower aligned to the finished
    half-year without a word (`okrsite check` then refused it). It says the line to change."""
    files = {**HALF_AND_YEAR, "content/teams/sales.md": "---\ntitle: Sales\nparent: co\n---\n",
             "content/objectives/eng-q4.md": HALF_AND_YEAR["content/objectives/sell-q4.md"].replace("Sell in Q4", "Build in Q4")}
    files["content/objectives/sell-q4.md"] = files["content/objectives/sell-q4.md"].replace("owner: co", "owner: sales")
    root = write_files(tmp_path / "goals", files)
    site = ["--site", str(root), "--as-of", "2027-01-04"]
    assert main(["carry-over", "2026-Q4", "2027-Q1", "--owner", "sales", *site]) == 0
    capsys.readouterr()
    assert main(["carry-over", "2026-H2", "2027-H1", *site]) == 0  # the half-year's own run names the quarter's (review)
    assert ("Not carried: grow-h2 (no key results, and its children are of shorter periods, never carried in this run: "
            "okrsite carry-over 2026-Q4 2027-Q1 carries it with them into 2027-H1)") in capsys.readouterr().out
    before = snapshot(root)
    assert main(["carry-over", "2026-Q4", "2027-Q1", *site]) == 0
    out = capsys.readouterr().out
    assert {k: v for k, v in snapshot(root).items() if k in before} == before, "nothing is overwritten"
    assert ("note: a child's follower written by an earlier run is not aligned to it: set 'parent: grow-h2-2' in "
            f"'sell-q4-2' ({Path('content/objectives/sell-q4-2.md')})") in out
    sell = root / "content/objectives/sell-q4-2.md"
    sell.write_text(re.sub(r'parent: "?grow-h2"?\n', "parent: grow-h2-2\n", sell.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["check", str(root), "--strict", "--as-of", "2027-01-04"]) == 0


def front_matter_of(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize(("old", "new"), [("2026-Q3", "2026-Q4"), ("2026-q3", "2026-q4")])
def test_a_folder_named_after_its_period_in_either_case_gives_the_new_period_s_folder_spelled_alike(closing, old, new):
    """content/objectives/2026-Q3/ (the period as written) counted as not named after its period:
    the follower went beside the old file, into the finished quarter's folder."""
    (closing / "content/objectives/2026-q4/launch-2.md").unlink()
    (closing / "content/objectives/2026-q4").rmdir()
    (closing / "content/objectives/2026-q3").rename(closing / "content/objectives/tmp")
    (closing / "content/objectives/tmp").rename(closing / f"content/objectives/{old}")
    before = snapshot(closing)
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    after = snapshot(closing)
    assert {k: v for k, v in after.items() if k in before} == before, "nothing is overwritten"
    written = sorted(set(after) - set(before))
    assert written and all(name.startswith(f"content/objectives/{new}/") for name in written), written
    assert front_matter(closing / f"content/objectives/{new}/grow-2.md")["period"] == "2026-Q4"


def test_the_new_period_s_folder_spelled_otherwise_is_used_not_made_twice(closing):
    """2026-Q3/ beside an existing 2026-q4/: the followers join 2026-q4/, not a second 2026-Q4/."""
    (closing / "content/objectives/2026-q3").rename(closing / "content/objectives/2026-Q3")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    assert not (closing / "content/objectives/2026-Q4").exists()
    assert (closing / "content/objectives/2026-q4/grow-2.md").is_file()


def test_a_period_folder_linked_from_elsewhere_is_refused_and_nothing_is_written(closing, tmp_path, capsys):
    """content/objectives/2026-q4 a symbolic link to a folder outside the site: carry-over wrote the
    files there and said they pass, but the site reads no file through a linked folder."""
    elsewhere = tmp_path / "elsewhere"
    (closing / "content/objectives/2026-q4").rename(elsewhere)
    (closing / "content/objectives/2026-q4").symlink_to(elsewhere, target_is_directory=True)
    before, there = snapshot(closing), snapshot(elsewhere)
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 1
    captured = capsys.readouterr()
    assert "content/objectives/2026-q4 is a symbolic link" in captured.err and "Wrote" not in captured.out
    assert "a real folder" in captured.err
    assert snapshot(closing) == before and snapshot(elsewhere) == there


def test_a_file_where_the_period_s_folder_goes_is_an_error_and_nothing_is_written(closing, capsys):
    (closing / "content/objectives/2026-q4/launch-2.md").unlink()
    (closing / "content/objectives/2026-q4").rmdir()
    (closing / "content/objectives/2026-q4").write_text("")
    before = snapshot(closing)
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 1
    folder = closing / "content/objectives/2026-q4"
    assert capsys.readouterr().err == f"okrsite carry-over: error: cannot write {folder}: a file is in the way (move {folder} away)\n"
    assert snapshot(closing) == before


def test_a_read_only_folder_is_an_error_and_nothing_is_written(closing):
    folder = closing / "content/objectives/2026-q4"
    before = snapshot(closing)
    folder.chmod(0o555)
    try:
        done = okrsite_bound_by_permissions("carry-over", "2026-Q3", "2026-Q4", "--site", str(closing))
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1 and "okrsite carry-over: error: cannot write " in done.stderr
    assert f": permission denied (make {folder} writable for you: chmod u+w {folder})" in done.stderr
    assert snapshot(closing) == before


@pytest.mark.parametrize("command", [["carry-over", "2026-Q3", "2026-Q4"], ["new", "objective", "Grow further"]])
def test_a_reader_that_leaves_stdout_early_is_not_a_file_refused(closing, capsys, monkeypatch, command):
    """`okrsite carry-over … | head -1`: the files are written; the closed pipe that follows was told
    "cannot write: Broken pipe (check the path and its permissions)", as if a goals file had been refused."""
    import sys

    class Gone:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    before = snapshot(closing)
    monkeypatch.setattr(sys, "stdout", Gone())
    assert main([*command, "--site", str(closing)]) == 1
    assert capsys.readouterr().err == ""
    assert set(snapshot(closing)) > set(before), "the files were written"


def test_carry_over_reads_the_site_once_and_its_closing_check_only_the_files_written(closing, monkeypatch, capsys):
    read = goals_files_read(monkeypatch)
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing)]) == 0
    written = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("Wrote ")]
    assert read_once_each(read, closing, [Path(p).relative_to(closing).as_posix() for p in written]), sorted(read)


def test_an_objective_aligned_to_the_ancestor_above_its_parent_says_so_plainly(tmp_path):
    """QA AU: "aligned to 'year' (for 'year'): 'q3-parent' has no follower" named the ancestor twice."""
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "c"\nas_of = 2026-10-05\n', "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/year.md": "---\ntitle: The year\nperiod: 2026\nowner: co\nkey_results:\n  - {title: a, target: 10, current: 1}\n---\n",
        "content/objectives/mid.md": "---\ntitle: Mid\nperiod: 2026-Q3\nowner: co\nparent: year\nkey_results:\n  - {title: b, target: 10, current: 10}\n---\n",
        "content/objectives/low.md": "---\ntitle: Low\nperiod: 2026-Q3\nowner: co\nparent: mid\nkey_results:\n  - {title: c, target: 10, current: 2}\n---\n"})
    [low] = [c for c in carry_over(root, "2026-Q3", "2026-Q4", dry_run=True).carried if c.old.id == "low"]
    assert "\nparent: \"year\"\n" in low.text
    assert low.notes[0] == "aligned to 'year', above 'mid', which has no follower running through 2026-Q4"


def test_a_period_that_has_ended_is_refused_as_the_period_to_carry_into(closing, capsys):
    """QA CK: `carry-over 2024-Q1 2024-Q2`, as a two-year-old review said, wrote 11 objectives into a
    quarter that had ended, each graded at once with no check-ins. It is refused; --as-of TO's last day
    or an earlier one records the past (QA CU: the hint said "a day before" the last day, which works too)."""
    objectives = closing / "content/objectives"
    before = sorted(objectives.rglob("*.md"))
    with pytest.raises(ScaffoldError) as refused:
        carry_over(closing, "2026-Q3", "2026-Q4", as_of=date(2027, 1, 15))
    assert refused.value.message == "2026-Q4 ended on 2026-12-31 (as of 2027-01-15): objectives carried into it would be graded at once, with no check-ins"
    assert refused.value.hint.endswith("give --as-of 2026-12-31 or an earlier day")
    assert sorted(objectives.rglob("*.md")) == before
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(closing), "--as-of", "2027-01-15", "--dry-run"]) == 1
    assert carry_over(closing, "2026-Q3", "2026-Q4", dry_run=True, as_of=date(2026, 12, 31)).carried


YEAR_END = {
    "content/teams/company.md": "---\ntitle: Company\n---\n",
    "content/teams/ops.md": "---\ntitle: Ops\nparent: company\n---\n",
}


def year_and_quarter(year: str, quarter: str) -> dict[str, str]:
    """A yearly company objective 'grow' and a quarterly one of ops aligned to it, both unfinished."""
    return {**YEAR_END,
            "content/objectives/grow.md": f"---\ntitle: Grow revenue\nperiod: {year}\nowner: company\nkey_results:\n  - {{title: Revenue, target: 100, current: 60}}\n---\n",
            "content/objectives/sales.md": f"---\ntitle: Close deals\nperiod: {quarter}\nowner: ops\nparent: grow\nkey_results:\n  - {{title: Deals, target: 10, current: 4}}\n---\n"}


FISCAL = "".join(f"[periods.{name}]\nstart = {start}\nend = {end}\n\n" for name, start, end in (
    ("FY27-Q4", "2026-11-01", "2027-01-31"), ("FY27", "2026-02-01", "2027-01-31"),
    ("FY28-Q1", "2027-02-01", "2027-04-30"), ("FY28", "2027-02-01", "2028-01-31")))


@pytest.mark.parametrize("settings,year,quarter,next_year,next_quarter,as_of", [
    ('title = "c"\n', "2026", "2026-Q4", "2027", "2027-Q1", date(2027, 1, 4)),
    ('title = "c"\n' + FISCAL, "FY27", "FY27-Q4", "FY28", "FY28-Q1", date(2027, 2, 3)),
])
def test_at_year_end_the_quarter_is_aligned_to_the_year_s_follower(tmp_path, settings, year, quarter, next_year, next_quarter, as_of):
    """QA CU: `carry-over 2026 2027`, then `carry-over 2026-Q4 2027-Q1`, kept 'parent: grow' of 2026 (a
    warning, an error under --strict): the parent's follower runs through 2027-Q1 in 2027, and is the
    parent (SPEC §13), as `okrsite new` suggests it."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": settings, **year_and_quarter(year, quarter)})
    carry_over(root, year, next_year, as_of=as_of)
    [sales] = carry_over(root, quarter, next_quarter, as_of=as_of).carried
    assert "\nparent: \"grow-2\"\n" in sales.text and sales.notes == ()
    checked = check_site(root, as_of)
    assert not checked.report.failed(strict=True), checked.report.items
    assert checked.loaded.site.children["grow-2"] == ("sales-2",)


def test_a_cancelled_follower_is_no_parent_and_a_follower_with_an_equal_is_named_with_it(tmp_path):
    """QA DA: grow-q1 of 2027-Q1, cancelled, in no roll-up, was the parent over grow-2027 running through
    the quarter; and of grow-eu and grow-us of 2027 (grow split in two) one was taken without a word."""
    follower = "---\ntitle: Grow\nperiod: \"{period}\"\nowner: company\nfollows: grow\n{more}key_results:\n  - {{title: a, target: 10}}\n---\n"
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "c"\n', **year_and_quarter("2026", "2026-Q4"),
                                            "content/objectives/grow-2027.md": follower.format(period="2027", more=""),
                                            "content/objectives/grow-q1.md": follower.format(period="2027-Q1", more="status: cancelled\n")})
    [sales] = carry_over(root, "2026-Q4", "2027-Q1", dry_run=True, as_of=date(2027, 1, 4)).carried
    assert "\nparent: \"grow-2027\"\n" in sales.text and sales.notes == ()

    root = write_files(tmp_path / "split", {"okrsite.toml": 'title = "c"\n', **year_and_quarter("2026", "2026-Q4"),
                                            "content/objectives/grow-us.md": follower.format(period="2027", more=""),
                                            "content/objectives/grow-eu.md": follower.format(period="2027", more="")})
    for _ in range(2):
        [sales] = carry_over(root, "2026-Q4", "2027-Q1", dry_run=True, as_of=date(2027, 1, 4)).carried
        assert "\nparent: \"grow-eu\"\n" in sales.text
        assert sales.notes == ("aligned to 'grow-eu'; 'grow-us' also continues 'grow' in 2027: change 'parent:' if 'grow-us' was meant",)


def test_a_follower_in_the_period_itself_comes_before_one_in_a_longer_period(tmp_path):
    """grow is continued both in 2027 and in 2027-Q1: a 2027-Q1 objective is aligned to the quarter's."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "c"\n', **year_and_quarter("2026", "2026-Q4"),
                                            "content/objectives/grow-2027.md": "---\ntitle: Grow\nperiod: 2027\nowner: company\nfollows: grow\nkey_results:\n  - {title: a, target: 10}\n---\n",
                                            "content/objectives/grow-q1.md": "---\ntitle: Grow\nperiod: 2027-Q1\nowner: company\nfollows: grow\nkey_results:\n  - {title: a, target: 10}\n---\n"})
    [sales] = carry_over(root, "2026-Q4", "2027-Q1", dry_run=True, as_of=date(2027, 1, 4)).carried
    assert "\nparent: \"grow-q1\"\n" in sales.text


def test_the_default_period_notice_of_an_objective_carried_over_is_printed_when_it_is_time_to_act(tmp_path, capsys):
    """QA DD: the closing check counted "1 notice" without printing it; it was the one telling to write
    `period:` in the objective carried over, before default_period moves on. Moved anyway, check blames
    that file, not the follower's `follows:`."""
    root = tmp_path / "goals"
    write_files(root, {"okrsite.toml": 'title = "X"\ndefault_period = "2026-Q2"\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
                       "content/objectives/grow.md": "---\ntitle: Grow\nowner: company\nkey_results:\n  - title: K\n    target: 10\n    current: 4\n---\n"})
    assert main(["carry-over", "2026-Q2", "2026-Q3", "--site", str(root), "--as-of", "2026-07-02"]) == 0
    said = capsys.readouterr()
    assert ("content/objectives/grow.md:2: notice: the objective has no 'period:' and takes default_period (2026-Q2), which ended on 2026-06-30 "
            "(write 'period: 2026-Q2' in it before default_period moves on, or it moves with it into the next period)") in said.err
    assert "okrsite check: 0 errors, 0 warnings, 1 notice: the files written pass (1 notice on the files carried over and written, listed)" in said.out
    settings = root / "okrsite.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("2026-Q2", "2026-Q3"), encoding="utf-8")
    [error] = check_site(root, date(2026, 7, 2)).report.errors
    assert (error.file, error.hint) == ("content/objectives/grow-2.md", "'grow' has no 'period:' and takes default_period (2026-Q3): "
                                        "write 'period: 2026-Q2' in content/objectives/grow.md, and the 'follows' in content/objectives/grow-2.md is right as it is")


def _in_folder(root: Path, folder: str) -> Path:
    return write_files(root, {
        "okrsite.toml": 'title = "QA"\nas_of = 2026-11-23\n', "content/teams/company.md": "---\ntitle: Company\nlead: Ann Lee\n---\n",
        f"content/objectives/{folder}/grow.md": "---\ntitle: Grow\nperiod: 2026-Q3\nowner: company\nkey_results:\n  - {title: A, target: 5, current: 1}\n---\n"})


@pytest.mark.parametrize(("old", "new", "later"), [
    ("Q3-2026", "Q4-2026", "Q1-2027"), ("2026/q3", "2026/q4", "2027/q1"), ("2026q3", "2026q4", "2027q1"),
    ("2026_Q3", "2026_Q4", "2027_Q1"), ("q3 2026", "q4 2026", "q1 2027"), ("2026/Q3", "2026/Q4", "2027/Q1")])
def test_a_period_folder_spelled_another_way_gives_the_new_period_s_folder_spelled_alike(tmp_path, old, new, later):
    """QA EB 6: objectives kept in Q3-2026/ or 2026/q3/ were carried into the 2026-Q3 folder without a word."""
    root = _in_folder(tmp_path / "goals", old)
    carried = carry_over(root, "2026-Q3", "2026-Q4").carried
    assert [c.path for c in carried] == [root / f"content/objectives/{new}/grow-2.md"] and carried[0].notes == ()
    assert [c.path for c in carry_over(root, "2026-Q4", "2027-Q1").carried] == [root / f"content/objectives/{later}/grow-3.md"]
    assert main(["new", "objective", "Ship it", "--site", str(root), "--owner", "company", "--period", "2027-Q1"]) == 0
    assert (root / f"content/objectives/{later}/ship-it.md").is_file()
    assert not check_site(root).report.errors


@pytest.mark.parametrize("folder", ["2026-Q3 Sales", "q3", "sales/2026/q3-plans"])
def test_a_folder_that_looks_named_after_its_period_but_is_not_read_so_is_told(tmp_path, capsys, folder):
    """QA EB 6: where the file went and why, in one line, when the folder holds the period's quarter
    and year but is not read as its folder."""
    root = _in_folder(tmp_path / "goals", folder)
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"Wrote {root / f'content/objectives/{folder}/grow-2.md'} (follows grow)\n" in out
    assert (f"  note: content/objectives/{folder}/ is not read as the folder of 2026-Q3 (one is named like 2026-Q3, 2026q3, Q3-2026 or "
            "2026/Q3), so the file for 2026-Q4 went beside the old one: move it where 2026-Q4's objectives go\n") in out


def test_a_folder_of_another_name_is_not_told(tmp_path):
    root = _in_folder(tmp_path / "goals", "sales")
    assert carry_over(root, "2026-Q3", "2026-Q4").carried[0].notes == ()


REVENUE = "content/objectives/grow-revenue.md"
REVENUE_TEXT = ("---\ntitle: Grow revenue\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
                "  - title: Grow MRR\n    kpi: mrr\n    start: 40000\n    target: 60000\n"
                "  - title: Localise the product\n    progress: 0.5\n---\nWhy it matters.\n")
MONTHLY_MRR = "---\ntitle: MRR\nowner: sales\nunit: USD\nfrequency: monthly\ntarget: 60000\nsource: billing\ndata: data/mrr.csv\n---\n"



def carried_revenue(tmp_path) -> tuple:
    """grow-revenue (2026-Q4) follows MRR, measured monthly, whose December figure is not in on
    2027-01-04, when `okrsite carry-over 2026-Q4 2027-Q1` runs and is committed: the repository, the
    follower's path and its text."""
    from .gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, REVENUE: REVENUE_TEXT, "content/kpis/mrr.md": MONTHLY_MRR,
                 "data/mrr.csv": "date,value\n2026-10-31,45000\n2026-11-30,49800\n"}, "2026-10-01T10:00:00+00:00")
    assert main(["carry-over", "2026-Q4", "2027-Q1", "--site", str(repo.root), "--as-of", "2027-01-04"]) == 0
    repo.commit({}, "2027-01-04T12:00:00+00:00", message="Carry over 2026-Q4")
    follower = repo.root / "content/objectives/grow-revenue-2.md"
    return repo, follower, follower.read_text(encoding="utf-8")


def start_line(text: str, start: str) -> int:
    return next(n for n, written in enumerate(text.splitlines(), 1) if written == f"    start: {start}")


def test_a_start_from_a_kpi_without_the_quarter_s_last_month_says_so_and_the_line_to_update(tmp_path, capsys):
    """QA: `carry-over` on 01-04 took November's MRR (49,800) as the final start without a word."""
    _, _, text = carried_revenue(tmp_path)
    assert (f"  note: awaiting the December 2026 value of MRR: the start 49,800 USD is November's; when that value is checked in, "
            f"set the start of content/objectives/grow-revenue-2.md:{start_line(text, '49800')} to it") in capsys.readouterr().out


def test_a_follower_with_an_estimate_says_it_starts_again_at_0_and_is_still_read_as_carried(tmp_path):
    """QA: the first line said "its key results start where that one ended" above an estimate carry-over
    resets to 0 %. Once December's figure is checked in, `check` still reads that line as carry-over's
    (carrying.moved_finals) and warns at the start it names until the start is set."""
    repo, _, text = carried_revenue(tmp_path)
    assert text.endswith("Continues [[grow-revenue]] from 2026-Q4: its key results start where that one ended; estimated ones start again at 0 %.\n")
    assert main(["checkin", "mrr", "55200", "--date", "2026-12-31", "--site", str(repo.root), "--as-of", "2027-01-05"]) == 0
    repo.commit({}, "2027-01-05T09:00:00+00:00", message="MRR of December")
    [warning] = [d for d in check_site(repo.root, date(2027, 1, 6)).report.warnings if "ended at" in d.message]
    assert (warning.file, warning.line) == ("content/objectives/grow-revenue-2.md", start_line(text, "49800"))
    assert "ended at 55,200 USD" in warning.message


def test_a_follower_is_never_named_as_windows_names_a_device(tmp_path):
    """QA FO: the follower of con-2 (itself a follower) takes its lineage's name, 'con', which is free:
    con.md, which Windows cannot hold and `check --strict` fails on. Now con-objective, as `okrsite new` names it."""
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "c"\nas_of = 2026-10-05\n',
        "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/console.md": "---\ntitle: Console\nperiod: 2026-Q2\nowner: co\nkey_results: [{title: x, target: 10, current: 5}]\n---\n",
        "content/objectives/con-2.md": "---\ntitle: Con\nperiod: 2026-Q3\nowner: co\nfollows: console\nkey_results: [{title: x, target: 10, current: 5}]\n---\n"})
    carried = carry_over(root, "2026-Q3", "2026-Q4").carried
    assert [c.ident for c in carried] == ["con-objective"]
    assert not [item for item in check_site(root).report.items if "Windows" in item.message]
