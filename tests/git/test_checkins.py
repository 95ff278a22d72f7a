"""Check-ins from file versions (pure): values, same-day rule, shallow boundary, merge with written ones."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from hypothesis import given, strategies as st

from okrsite.git.checkins import days_held, kpi_log, kr_log, kr_value, merge_points
from okrsite.git.history import Commit, Version, read_history
from okrsite.goals.model import DataPoint, KeyResult
from okrsite.goals.repository import load_site

from ..gitrepo import GitRepo, needs_git

MRR = SimpleNamespace(title="MRR")  # the KPI whose log it is: its title picks its note out of a commit's list

DAY0 = datetime(2026, 10, 1, 9, tzinfo=timezone.utc)


def commit(n: int, days: float, author: str = "Ann", boundary: bool = False) -> Commit:
    return Commit(f"{n:040x}", DAY0 + timedelta(days=days), author, f"change {n}", boundary)


def numeric() -> KeyResult:
    return KeyResult("o-kr1", 0, "Grow", "numeric", "sales", start=0, target=100, current=50)


def test_values_by_form():
    assert kr_value({"current": 12}, "numeric") == 12.0
    assert kr_value({"current": True}, "numeric") is None
    assert kr_value({"current": "12"}, "numeric") is None
    assert kr_value({"current": float("nan")}, "numeric") is None
    assert kr_value({"done": True}, "binary") == 1.0 and kr_value({"done": "yes"}, "binary") is None
    assert kr_value({"progress": 0.4}, "manual") == 0.4
    assert kr_value({"current": 71.5, "keep_above": 70}, "guardrail") == 71.5  # a guardrail's check-in is its current


def test_a_guardrail_is_checked_in_through_its_current():
    guard = KeyResult("o-kr2", 1, "Keep margin", "guardrail", "sales", keep_above=70)
    log = kr_log(guard, [{"keep_above": 70, "current": 72}, {"keep_above": 70, "current": 69}], [commit(1, 0), commit(2, 6)])
    assert [(p.date.day, p.value) for p in log.points] == [(1, 72), (7, 69)]


def test_only_changes_are_check_ins_and_a_day_keeps_its_last_value():
    items = [{"current": 0}, {"current": 0, "title": "renamed"}, {"current": 10}, {"current": 15}, None, {"current": 15}]
    commits = [commit(1, 0), commit(2, 3), commit(3, 7), commit(4, 7.2, "Bo"), commit(5, 9), commit(6, 10)]
    log = kr_log(numeric(), items, commits)
    assert [(p.date.day, p.value, p.author) for p in log.points] == [(1, 0, "Ann"), (8, 15, "Bo")]
    assert [c.hash[-1] for c in log.changes] == ["1", "3", "4"]


def test_a_changed_history_list_is_a_change_but_not_a_point():
    items = [{"current": 5}, {"current": 5, "history": [{"date": "2026-10-05", "value": 5}]}]
    log = kr_log(numeric(), items, [commit(1, 0), commit(2, 5)])
    assert len(log.points) == 1 and len(log.changes) == 2


def test_the_shallow_boundary_sets_the_baseline_but_is_no_check_in():
    log = kr_log(numeric(), [{"current": 30}, {"current": 30}, {"current": 40}], [commit(1, 0, boundary=True), commit(2, 5), commit(3, 9)])
    assert [p.value for p in log.points] == [40] and len(log.changes) == 1


def test_kpi_rows_from_the_file_and_the_csv_in_commit_order():
    md = [Version(commit(1, 0), "content/kpis/k.md", {"values": [{"date": date(2026, 9, 30), "value": 1}]})]
    csv = [
        Version(commit(2, 2, "Bo"), "data/k.csv", (("2026-10-01", "5"),)),
        Version(commit(3, 4, "Cy"), "data/k.csv", (("2026-10-01", "6"), ("2026-10-02", "7"))),
        Version(commit(4, 6, "Di"), "data/k.csv", (("2026-10-01", "6"), ("2026-10-02", "7"))),
    ]
    log = kpi_log(MRR, md, csv)
    assert [c.author for c in log.changes] == ["Ann", "Bo", "Cy"]
    assert {d.day: c.author for d, c in log.recorded.items()} == {30: "Ann", 1: "Cy", 2: "Cy"}


points = st.lists(st.tuples(st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(-100, 100)), max_size=12)


@given(points, points)
def test_merged_check_ins_are_sorted_and_a_written_one_wins_its_date(written, from_git):
    written = tuple(sorted({d: DataPoint(d, v) for d, v in written}.values(), key=lambda p: p.date))
    git = tuple(sorted({d: DataPoint(d, v, source="git", commit="abcdef1") for d, v in from_git}.values(), key=lambda p: p.date))
    merged = merge_points(written, git)
    assert [p.date for p in merged] == sorted(p.date for p in merged)
    assert len({p.date for p in merged}) == len(merged)
    assert set(written) <= set(merged)
    assert {p.date for p in merged} == {p.date for p in written} | {p.date for p in git}
    assert all(p.source == "file" for p in merged if p.date in {w.date for w in written})


def test_a_value_overwritten_by_a_later_one_is_kept_and_a_deleted_one_is_not():
    def version(n, rows):
        return Version(commit(n, n, "Ann" if n < 3 else "Bo"), "content/kpis/k.md", {"values": [{"date": date(2026, m, 28), "value": v} for m, v in rows]})

    md = [version(1, [(9, 10)]), version(2, [(10, 11)]), version(3, [(10, 11), (11, 99)]), version(4, [(10, 11)]), version(5, [(11, 12)])]
    log = kpi_log(MRR, md, ())
    assert [(p.date.month, p.value, p.author, p.source) for p in log.replaced_until(date.max)] == [(9, 10, "Ann", "git"), (10, 11, "Ann", "git")]
    # the 99 of 2026-11-28 was deleted without a later value: a mistake, not history
    assert all(p.value != 99 for _, p in log.replaced)


def test_a_replaced_value_is_as_the_commits_up_to_the_as_of_date_wrote_it():
    """Written, corrected after the as-of date, then replaced: as of that date it is the first value,
    by the first commit's author; one written only after it is not there at all."""
    def version(n, author, rows):
        return Version(commit(n, n * 10, author), "content/kpis/k.md", {"values": [{"date": date(2026, m, 28), "value": v} for m, v in rows]})

    log = kpi_log(MRR, [version(1, "Ann", [(9, 19)]), version(2, "Bo", [(9, 17)]), version(3, "Cy", [(10, 16)])], ())
    assert [(p.value, p.author) for p in log.replaced_until((DAY0 + timedelta(days=10)).date())] == [(19, "Ann")]
    assert [(p.value, p.author) for p in log.replaced_until((DAY0 + timedelta(days=25)).date())] == [(17, "Bo")]
    assert log.replaced_until((DAY0 + timedelta(days=5)).date()) == ()


def test_a_corrected_date_is_not_kept_as_a_replaced_value():
    def version(n, days):
        return Version(commit(n, n), "content/kpis/k.md", {"values": [{"date": date(2026, 10, d), "value": 5} for d in days]})

    log = kpi_log(MRR, [version(1, [1, 13]), version(2, [1, 31])], ())
    assert log.replaced == ()  # 10-13 was a typo for 10-31: newer than a date left, so not replaced


def written(*entries: tuple[str, float]) -> list[dict]:
    return [{"date": date.fromisoformat(day), "value": value} for day, value in entries]


def test_a_commit_that_repeats_the_written_history_is_no_check_in():
    history = written(("2026-06-30", 30), ("2026-09-30", 45))
    items = [{"current": 45, "history": history}, {"current": 50, "history": history}]
    log = kr_log(numeric(), items, [commit(1, 5, "Importer"), commit(2, 19, "Bo")])
    assert [(p.date.day, p.value, p.author) for p in log.points] == [(20, 50, "Bo")]
    assert [c.author for c in log.changes] == ["Bo"]


def test_a_key_result_added_with_only_its_written_history_is_no_change_but_a_later_entry_is():
    """An import (or `okrsite init`'s first commit) of a key result whose number is its written history
    only was "last check-in 2026-11-30 by Importer": its eight-week-old number fresh. With `current:`
    repeating the history it was right; the two now agree. A later commit that writes an entry is a change."""
    history = written(("2026-06-30", 30), ("2026-09-30", 45))
    log = kr_log(numeric(), [{"history": history}], [commit(1, 29, "Importer")])
    assert log.points == () and log.changes == ()
    later = written(("2026-06-30", 30), ("2026-09-30", 45), ("2026-10-28", 50))
    log = kr_log(numeric(), [{"history": history}, {"history": later}], [commit(1, 5, "Importer"), commit(2, 28, "Bo")])
    assert [c.author for c in log.changes] == ["Bo"]


def test_what_is_in_force_is_the_latest_written_entry_or_a_later_git_check_in():
    history = written(("2026-09-30", 45), ("2026-11-01", 60))  # 2026-11-01 is not in force in October
    items = [{"current": 45, "history": history}, {"current": 50, "history": history},
             {"current": 45, "history": history}, {"current": 60, "history": history}]
    log = kr_log(numeric(), items, [commit(1, 5), commit(2, 12, "Bo"), commit(3, 19, "Cy"), commit(4, 20, "Di")])
    # back to 45 after Bo's 50 is a check-in; 60 before its written date is one too
    assert [(p.date.day, p.value, p.author) for p in log.points] == [(13, 50, "Bo"), (20, 45, "Cy"), (21, 60, "Di")]
    assert len(log.changes) == 3


def test_a_value_other_than_the_written_one_is_a_check_in_and_milestones_follow_the_same_rule():
    assert [p.value for p in kr_log(numeric(), [{"current": 48, "history": written(("2026-09-30", 45))}], [commit(1, 5)]).points] == [48]
    milestone = KeyResult("o-kr2", 1, "Ship", "binary", "sales", done=True)
    items = [{"done": True, "history": written(("2026-09-30", 1))}, {"done": False, "history": written(("2026-09-30", 1))}]
    log = kr_log(milestone, items, [commit(1, 5, "Importer"), commit(2, 9, "Bo")])
    assert [(p.value, p.author) for p in log.points] == [(0, "Bo")] and [c.author for c in log.changes] == ["Bo"]


def test_the_commit_that_adds_a_milestone_not_done_is_no_check_in():
    milestone = KeyResult("o-kr2", 1, "Ship", "binary", "sales", done=True)
    log = kr_log(milestone, [{"done": False}, {"done": False, "title": "Ship it"}, {"done": True}], [commit(1, 0), commit(2, 3), commit(3, 9, "Bo")])
    assert [(p.date.day, p.value, p.author) for p in log.points] == [(10, 1, "Bo")] and [c.author for c in log.changes] == ["Bo"]
    assert log.added == date(2026, 10, 1)
    done = kr_log(milestone, [{"done": True}], [commit(1, 0)])
    assert [p.value for p in done.points] == [1] and done.added is None
    shallow = kr_log(milestone, [{"done": False}, {"done": True}], [commit(1, 0, boundary=True), commit(2, 4)])
    assert [p.value for p in shallow.points] == [1] and shallow.added is None


def test_a_key_result_measured_anew_drops_the_check_ins_in_its_old_unit():
    """QA BB: "12 → 3 per 10k queries" became "0.12 → 0.03 %": the check-in 5.5 (per 10k) was shown as
    5.5 % and fitted into the forecast. A commit that changes the unit and the start or target starts
    the key result again; its value there is where it starts from (added), not a move."""
    old = {"start": 12, "target": 3, "unit": "per 10k queries"}
    new = {"start": 0.12, "target": 0.03, "unit": "%"}
    items = [{**old, "current": 9}, {**old, "current": 5.5}, {**new, "current": 0.055}, {**new, "current": 0.05}]
    log = kr_log(numeric(), items, [commit(1, 0), commit(2, 10), commit(3, 20), commit(4, 30)])
    assert [(p.date.day, p.value, p.added) for p in log.points] == [(21, 0.055, True), (31, 0.05, False)]
    renamed = [{**old, "current": 9}, {**old, "unit": "per 10,000 queries", "current": 5.5}, {**old, "unit": "per 10,000 queries", "current": 5}]
    log = kr_log(numeric(), renamed, [commit(1, 0), commit(2, 10), commit(3, 20)])
    assert [p.value for p in log.points] == [9, 5.5, 5], "a unit spelt anew alone is the same measure"
    added = [{"target": 30, "current": 10}, {"target": 30, "current": 12}, {"target": 35, "unit": "logos", "current": 14}]
    log = kr_log(numeric(), added, [commit(1, 0), commit(2, 10), commit(3, 20)])
    assert [p.value for p in log.points] == [10, 12, 14], "review 33: a unit added with a target raised names the numbers it had"


def test_a_changed_start_or_target_in_its_unit_is_a_rescope_with_the_numbers_it_replaced():
    """QA DD: a key result re-scoped from 2,000,000 to 1,500,000 USD; the days before the commit were
    measured against 2,000,000, which its log keeps. A unit changed with the numbers measures it anew
    (no re-scope: its check-ins before are gone), and a guardrail's line or a shallow clone's first
    commit is none."""
    from okrsite.git.checkins import Rescope

    items = [{"target": 2000000, "unit": "USD", "current": 900000}, {"target": 1500000, "unit": "USD", "current": 900000},
             {"target": 1500000, "unit": "USD", "current": 1520000}]
    log = kr_log(numeric(), items, [commit(1, 0), commit(2, 10, "Bo"), commit(3, 20)])
    assert log.rescopes == (Rescope(date(2026, 10, 11), 0.0, 2000000.0, 0.0, 1500000.0, commit(2, 10).short, "Bo"),)
    assert [p.value for p in log.points] == [900000, 1520000]
    moved_start = kr_log(numeric(), [{"start": 10, "target": 50}, {"target": 50}], [commit(1, 0), commit(2, 10)])
    assert [(r.was_start, r.start) for r in moved_start.rescopes] == [(10.0, 0.0)], "a start removed is a start of 0"
    anew = [{"start": 12, "target": 3, "unit": "per 10k"}, {"start": 0.12, "target": 0.03, "unit": "%"}]
    assert kr_log(numeric(), anew, [commit(1, 0), commit(2, 10)]).rescopes == ()
    shallow = kr_log(numeric(), [{"target": 20}, {"target": 30}], [commit(1, 0, boundary=True), commit(2, 10)])
    assert len(shallow.rescopes) == 1
    assert kr_log(numeric(), [{"target": 20}, {"target": 30}], [commit(1, 0), commit(2, 10, boundary=True)]).rescopes == ()
    guard = KeyResult("o-kr2", 1, "Keep margin", "guardrail", "sales", keep_above=70)
    assert kr_log(guard, [{"keep_above": 70}, {"keep_above": 60}], [commit(1, 0), commit(2, 10)]).rescopes == ()


def test_an_unreadable_target_fixed_by_the_next_commit_neither_starts_nor_ends_a_rescope():
    """QA DN: re-scoped from 2,000,000 with a typo (`target: "1,500,000"`, .nan, null, a target equal to
    the start...) fixed the next day: the re-scope was lost, and the days before it measured against the
    new target. It is the commit that made the numbers readable again, from the last readable ones."""
    from okrsite.git.checkins import Rescope

    for typo in ("1,500,000", float("nan"), float("inf"), 1e308, 0, None, "abc"):
        items = [{"target": 2000000, "current": 900000}, {"target": typo, "current": 900000},
                 {"target": 1500000, "current": 900000}, {"target": 1500000, "current": 1200000}]
        log = kr_log(numeric(), items, [commit(1, 0), commit(2, 10), commit(3, 11, "Bo"), commit(4, 20)])
        assert log.rescopes == (Rescope(date(2026, 10, 12), 0.0, 2000000.0, 0.0, 1500000.0, commit(3, 11).short, "Bo"),), typo
    fixed_back = [{"target": 100}, {"target": "100 deals"}, {"target": 100}]
    assert kr_log(numeric(), fixed_back, [commit(1, 0), commit(2, 10), commit(3, 11)]).rescopes == (), "a typo undone changed nothing"


def test_a_kpi_without_target_or_threshold_is_measured_anew_by_a_unit_okrsite_converts():
    """QA ET 6: a KPI whose key results hold the targets, converted ms → s, was not measured anew, so
    its key result's start and target converted with it read as a re-scope. A unit okrsite cannot
    convert, or a target left as it was, says nothing of a new measure."""
    from okrsite.git.checkins import kpi_measured_anew
    assert kpi_measured_anew({"unit": "ms"}, {"unit": "s"})
    assert not kpi_measured_anew({"unit": "customers"}, {"unit": "accounts"})
    assert not kpi_measured_anew({"unit": "ms", "target": 800}, {"unit": "s", "target": 800})
    assert kpi_measured_anew({"unit": "ms", "target": 800}, {"unit": "s", "target": 0.8})
    assert not kpi_measured_anew({"unit": "hrs"}, {"unit": "hours"})


def test_a_kpi_measured_anew_knows_its_values_written_in_the_old_unit():
    """QA EE: a commit that changes a KPI's unit with its target measures it anew; the values written
    before it, and not since, are numbers in the old unit."""
    kpi = {"title": "Latency", "unit": "ms", "target": 800}
    rows = lambda *pairs: [{"date": date(2026, 1, d), "value": v} for d, v in pairs]  # noqa: E731
    log = kpi_log(MRR, [Version(commit(1, 0), "k.md", dict(kpi, values=rows((5, 900), (12, 850)))),
                        Version(commit(2, 1), "k.md", dict(kpi, unit="seconds", target=0.8, values=rows((5, 900), (12, 850), (19, 0.86)))),
                        Version(commit(3, 2), "k.md", dict(kpi, unit="s", target=0.9, values=rows((5, 0.9), (12, 850), (19, 0.86))))], ())
    [change] = log.unit_changes
    assert (change.commit, change.was, change.unit) == (commit(2, 1), "ms", "seconds")  # "s" is seconds spelt short: the same measure
    assert log.unit_change(date(2026, 10, 1)) is None and log.unit_change(date(2026, 10, 2)) == change
    assert log.in_old_unit(change, [date(2026, 1, d) for d in (5, 12, 19)]) == [date(2026, 1, 12)]  # the 5th was converted since


def test_a_kpi_value_converted_into_its_new_unit_is_neither_a_check_in_nor_a_correction():
    """QA EO 3: 800 ms written anew as 0.8 s is the same value: its check-in stays the one that recorded
    it, and it is no correction; 850 ms written as 0.86 s is one. Without a known conversion, the ratio
    of the target (200,000 USD → 200 kUSD) converts."""
    rows = lambda *pairs: [{"date": date(2026, 1, d), "value": v} for d, v in pairs]  # noqa: E731
    kpi = {"title": "Latency", "unit": "ms", "target": 800}
    log = kpi_log(MRR, [Version(commit(1, 0), "k.md", dict(kpi, values=rows((5, 900), (12, 850)))),
                        Version(commit(2, 10), "k.md", dict(kpi, unit="s", target=0.8, values=rows((5, 0.9), (12, 0.86))))], ())
    assert log.recorded[date(2026, 1, 5)] == commit(1, 0) and log.written[date(2026, 1, 5)] == commit(2, 10)
    assert set(log.corrected) == {date(2026, 1, 12)}
    money = {"title": "MRR", "unit": "USD", "target": 200000}
    log = kpi_log(MRR, [Version(commit(1, 0), "k.md", dict(money, values=rows((5, 150000)))),
                        Version(commit(2, 10), "k.md", dict(money, unit="kUSD", target=200, values=rows((5, 150))))], ())
    assert log.corrected == {} and log.changes == (commit(1, 0),)


def test_a_value_rewritten_after_a_unit_okrsite_cannot_convert_was_renamed_is_a_correction():
    """Review: `customers` renamed `accounts` (no conversion, no target): the values may be written anew
    in that very commit, but a value changed a year later is a correction, as without the rename."""
    rows = lambda *pairs: [{"date": date(2026, 3, d), "value": v} for d, v in pairs]  # noqa: E731
    kpi = {"title": "Customers", "unit": "customers"}
    log = kpi_log(MRR, [Version(commit(1, 0), "k.md", dict(kpi, values=rows((31, 100)))),
                        Version(commit(2, 60), "k.md", dict(kpi, unit="accounts", values=rows((31, 100)))),
                        Version(commit(3, 300), "k.md", dict(kpi, unit="accounts", values=rows((31, 120))))], ())
    assert set(log.corrected) == {date(2026, 3, 31)} and log.corrected[date(2026, 3, 31)] == commit(3, 300)
    renamed = kpi_log(MRR, [Version(commit(1, 0), "k.md", dict(kpi, values=rows((31, 100)))),
                            Version(commit(2, 60), "k.md", dict(kpi, unit="accounts", values=rows((31, 1))))], ())
    assert renamed.corrected == {}


def test_a_key_result_knows_since_when_its_numbers_are_as_written():
    first, rescoped, checked_in = commit(1, 0), commit(2, 5), commit(3, 9)
    log = kr_log(numeric(), [{"start": 0, "target": 80, "current": 10}, {"start": 0, "target": 100, "current": 10},
                             {"start": 0, "target": 100, "current": 50}], [first, rescoped, checked_in])
    assert (log.first, log.numbers_since, log.numbers) == (first, rescoped, (0, 100, None, None))


ROLL_UP = "---\ntitle: {title}\nperiod: 2026-Q3\nowner: sales\n---\n"
ALIGNED = "---\ntitle: {title}\nperiod: 2026-Q3\nowner: sales\n{parent}key_results:\n  - {{title: K, target: 10, current: 5}}\n---\n"


@needs_git
def test_git_holds_the_parent_each_commit_aligned_an_objective_to(tmp_path):
    """QA FK: a finished roll-up reads its children as committed on its last day (numbers.compute:
    aligned_on). Held.aligned names each parent by its id now: a roll-up renamed with its children's
    `parent:` (" grow " read as the loader reads it) is the one they were aligned to all along, and an
    objective whose `parent:` no commit changed has nothing to read."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-11-20\n', "content/teams/sales.md": "---\ntitle: Sales\n---\n",
              "content/objectives/grow.md": ROLL_UP.format(title="Grow"), "content/objectives/other.md": ROLL_UP.format(title="Other"),
              "content/objectives/b.md": ALIGNED.format(title="B", parent='parent: " grow "\n'),
              "content/objectives/c.md": ALIGNED.format(title="C", parent="parent: other\n")}, "2026-07-01T10:00:00+00:00")
    r.commit({"content/objectives/b.md": ALIGNED.format(title="B", parent="")}, "2026-08-03T10:00:00+00:00")
    r.commit({"content/objectives/b.md": ALIGNED.format(title="B", parent="parent: grow\n")}, "2026-08-03T12:00:00+00:00")
    r.commit({"content/objectives/b.md": ALIGNED.format(title="B", parent="parent: grow-q3\n"),
              "content/objectives/c.md": ALIGNED.format(title="C", parent="parent: grow-q3\n")}, "2026-10-02T10:00:00+00:00",
             moves={"content/objectives/grow.md": "content/objectives/grow-q3.md"})
    r.commit({"content/objectives/b.md": ALIGNED.format(title="B", parent="parent: other\n")}, "2026-11-10T10:00:00+00:00")
    loaded = load_site(r.root, date(2026, 11, 20))
    assert not loaded.report.errors
    held = days_held(loaded.site, read_history(r.root))
    assert held["b"].aligned == ((date(2026, 7, 1), "grow-q3"), (date(2026, 8, 3), None), (date(2026, 8, 3), "grow-q3"),
                                 (date(2026, 11, 10), "other"))
    assert [held["b"].parent_on(day, "other") for day in (date(2026, 8, 3), date(2026, 9, 30), date(2026, 11, 10))] == ["grow-q3", "grow-q3", "other"]
    assert held["c"].aligned == ((date(2026, 7, 1), "other"), (date(2026, 10, 2), "grow-q3"))
    assert held["c"].parent_on(date(2026, 9, 30), "grow-q3") == "other"
    assert held["grow-q3"].aligned == held["other"].aligned == ()
