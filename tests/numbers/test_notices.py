"""Notices (SPEC §7): what time passing alone makes true. A status set by hand to one of a running
period (on-track, at-risk, off-track) on a period that has ended is one: the site would go on
saying "at-risk (set by hand)" for a quarter that is over, and nothing would grade it."""

from __future__ import annotations

from datetime import date

import pytest

from okrsite.build import check_site
from okrsite.cli import main

from ..conftest import FIXTURES, compose_site, write_files

HOLD = "content/objectives/hold.md"
LEFT_OPEN = "set by hand, but 2026-Q3 ended on 2026-09-30"


def site_with(tmp_path, status: str, period: str = "2026-Q3"):
    """The base fixture (as of 2026-11-23) and one objective whose `status:` is on line 5."""
    text = (f"---\ntitle: Hold the line\nperiod: {period}\nowner: company\nstatus: {status}\n"
            "key_results:\n  - title: Keep 20 customers\n    target: 20\n    current: 12\n---\n")
    return write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {HOLD: text})


def left_open(root, as_of: date | None = None) -> list[tuple]:
    return [(d.severity, d.file, d.line, d.message, d.hint) for d in check_site(root, as_of).report.items if "set by hand" in d.message]


@pytest.mark.parametrize("status", ["on-track", "at-risk", "off-track"])
def test_an_in_progress_status_set_by_hand_after_the_period_is_a_notice_at_its_line(status, tmp_path):
    assert left_open(site_with(tmp_path, status)) == [
        ("notice", HOLD, 5, f"status: {status} is {LEFT_OPEN}", "set status: achieved, missed or cancelled, or remove status: so that its grade decides")]


@pytest.mark.parametrize("status", ["achieved", "missed", "cancelled"])
def test_a_settled_status_set_by_hand_is_no_notice(status, tmp_path):
    assert left_open(site_with(tmp_path, status)) == []


@pytest.mark.parametrize("period", ["2026-Q4", "2027-Q1", "2026"])
def test_a_period_running_or_not_started_is_no_notice(period, tmp_path):
    assert left_open(site_with(tmp_path, "at-risk", period)) == []


@pytest.mark.parametrize("as_of,given", [(date(2026, 9, 30), False), (date(2026, 7, 1), False), (date(2026, 10, 1), True)])
def test_the_as_of_date_decides(as_of, given, tmp_path):
    """Shown as of the period's last day, the period has not ended yet; the day after, it has."""
    assert bool(left_open(site_with(tmp_path, "at-risk"), as_of)) is given


def test_strict_does_not_fail_on_it_and_fail_on_stale_does(tmp_path, capsys):
    root = site_with(tmp_path, "off-track")
    line = f"{HOLD}:5: notice: status: off-track is {LEFT_OPEN} (set status: achieved, missed or cancelled, or remove status: so that its grade decides)"
    assert main(["check", str(root), "--strict"]) == 0
    captured = capsys.readouterr()
    assert line in captured.err and "okrsite check: 0 errors, 0 warnings, 1 notice" in captured.out
    assert main(["check", str(root), "--fail-on-stale"]) == 1
    captured = capsys.readouterr()
    assert line.replace(": notice: ", ": error: ") in captured.err and "okrsite check: 1 error, 0 warnings, 0 notices" in captured.err
    assert main(["check", str(root), "--fail-on-stale", "--as-of", "2026-09-15"]) == 0
    assert LEFT_OPEN not in capsys.readouterr().err


def test_a_build_says_it_and_still_builds_under_strict(tmp_path, capsys):
    root = site_with(tmp_path, "at-risk")
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "--strict", "--no-cache"]) == 0
    assert f"{HOLD}:5: notice: status: at-risk is {LEFT_OPEN}" in capsys.readouterr().err
    assert (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize("as_of, said, written", [(date(2026, 9, 30), False, "2026-Q3"), (date(2026, 10, 1), True, "2026-Q3"), (date(2026, 10, 1), True, "2026-q3")])
def test_an_objective_on_a_default_period_that_ended_is_told_to_write_it_down(tmp_path, as_of, said, written):
    """Moving default_period to the next quarter, the step after the last one ends, moved every
    objective without `period:` with it: its graded quarter, review and grade gone, without a word."""
    root = compose_site(tmp_path / "s", FIXTURES / "base")
    write_files(root, {"okrsite.toml": (root / "okrsite.toml").read_text() + f'default_period = "{written}"\n',
                       HOLD: "---\ntitle: Hold the line\nowner: company\nkey_results:\n  - title: Keep 20\n    target: 20\n    current: 12\n---\n"})
    report = check_site(root, as_of).report
    found = [(d.severity, d.file, d.line, d.message, d.hint) for d in report.items if "default_period" in d.message]
    assert found == ([("notice", HOLD, 2, "the objective has no 'period:' and takes default_period (2026-Q3), which ended on 2026-09-30",
                       "write 'period: 2026-Q3' in it before default_period moves on, or it moves with it into the next period")] if said else [])
    assert not report.failed(strict=True, fail_on_stale=True)
