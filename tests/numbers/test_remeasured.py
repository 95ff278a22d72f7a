"""QA EE: a KPI measured anew in another unit ("800 ms" became "0.8 s") while its older values stay in
the old one. okrsite said nothing: the old rows read "850 s", and a key result following the KPI with
its numbers in ms was graded 500 % "achieved". `check` warns at the KPI's unit line and at the key
result's numbers; once both are written in the new unit, nothing is said and nothing is re-scoped."""

from __future__ import annotations

from datetime import date

from okrsite.build import check_site

from ..gitrepo import GitRepo, needs_git

KPI = "content/kpis/latency.md"
CSV = "data/lat.csv"
FAST = "content/objectives/fast.md"
AS_OF = date(2026, 2, 3)
TEAM = "---\ntitle: Eng\nlead: Ann Lee\n---\n"


def latency(unit: str, target: float, threshold: float) -> str:
    return (f"---\ntitle: p95 latency\nowner: eng\nunit: {unit}\ndirection: down\ntarget: {target:g}\nthreshold: {threshold:g}\n"
            f"frequency: weekly\nsource: APM\ndata: {CSV}\n---\n")


def fast(start: float, target: float) -> str:
    return (f"---\ntitle: Fast product\nperiod: 2026-H1\nowner: eng\nkey_results:\n  - title: p95 under 800 ms\n    kpi: latency\n"
            f"    start: {start:g}\n    target: {target:g}\n---\n")


def rows(*pairs: tuple[str, float]) -> str:
    return "date,value\n" + "".join(f"{day},{value:g}\n" for day, value in pairs)


IN_MS = (("2026-01-05", 900), ("2026-01-12", 870), ("2026-01-19", 850))


def measured_anew(tmp_path) -> GitRepo:
    """Weekly values in ms, then a commit that switches the KPI to seconds and adds a value in them."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/eng.md": TEAM, KPI: latency("ms", 800, 1200), CSV: rows(*IN_MS),
                 FAST: fast(1000, 800)}, "2026-01-20T06:00:00+00:00", message="latency in ms")
    repo.commit({KPI: latency("s", 0.8, 1.2), CSV: rows(*IN_MS, ("2026-01-26", 0.86))}, "2026-01-27T06:00:00+00:00",
                message="Latency now reported in seconds")
    return repo


def warnings(root) -> list[tuple[str, int, str, str]]:
    return [(d.file, d.line, d.message, d.hint) for d in check_site(root, AS_OF).report.warnings]


@needs_git
def test_values_and_a_key_results_numbers_written_before_the_unit_changed_are_warned_at_their_lines(tmp_path):
    repo = measured_anew(tmp_path)
    short = repo.git("rev-parse", "--short=7", "HEAD").strip()
    assert warnings(repo.root) == [
        (KPI, 4, f"the unit changed from ms to s on 2026-01-27 (commit {short}), but 3 values written before then (2026-01-05 to 2026-01-19) "
                 "are read in s by its page, its health and the key result that follows it: 850 ms is shown as 850 s",
         f"convert them into s in {CSV} (850 ms is 0.85 s), or point 'data:' to a new file for the values in s, keeping the old one as it is"),
        (FAST, 9, "this key result follows the KPI 'p95 latency', whose unit changed from ms to s on 2026-01-27, but its numbers were "
                  "written before then (start 1,000 ms, target 800 ms): they are read in s, against the KPI's values in s",
         "write them in s (start: 1, target: 0.8), or have it follow a KPI measured in ms"),
    ]


@needs_git
def test_once_both_are_written_in_the_new_unit_nothing_is_said_and_the_key_result_is_no_re_scope(tmp_path):
    """Its start and target written anew in seconds measure it anew, as a key result's own unit does:
    no "re-scoped: target 800 → 0.8 s", and every day is measured against the numbers in seconds."""
    repo = measured_anew(tmp_path)
    repo.commit({CSV: rows(*((day, value / 1000) for day, value in IN_MS), ("2026-01-26", 0.86)), FAST: fast(1, 0.8)},
                "2026-02-02T06:00:00+00:00", message="Convert to seconds")
    checked = check_site(repo.root, AS_OF)
    assert checked.report.warnings == []
    [kr] = checked.scores.objectives["fast"].key_results
    assert (kr.rescopes, round(kr.progress, 2), kr.unit) == ((), 0.7, "s")


@needs_git
def test_an_edit_not_committed_yet_is_read_as_written(tmp_path):
    repo = measured_anew(tmp_path)
    (repo.root / FAST).write_text(fast(1, 0.8), encoding="utf-8")
    assert [file for file, *_ in warnings(repo.root)] == [KPI]


@needs_git
def test_a_unit_spelt_anew_or_changed_alone_measures_nothing_anew(tmp_path):
    """`USD` → `$` with a target raised is the same measure; so is a unit changed with its numbers kept."""
    repo = measured_anew(tmp_path)
    repo.commit({KPI: latency("seconds", 0.9, 1.2)}, "2026-01-28T06:00:00+00:00", message="spelt out")
    repo.commit({KPI: latency("secs", 0.9, 1.2)}, "2026-01-29T06:00:00+00:00", message="shorter")
    checked = check_site(repo.root, AS_OF)
    assert [(c.was, c.unit) for c in checked.scores.logs.kpis["latency"].unit_changes] == [("ms", "s")]
    assert [d.file for d in checked.report.warnings] == [KPI, FAST]  # still read in seconds


@needs_git
def test_a_unit_changed_back_leaves_the_numbers_written_in_it_alone(tmp_path):
    """QA EG 4: ms → s → ms. The values and the key result's numbers written in ms are right again;
    the hints read them all as seconds ("start: 1,000,000"), 1000× wrong. Only the value written in s is said."""
    repo = measured_anew(tmp_path)
    repo.commit({KPI: latency("ms", 800, 1200)}, "2026-02-03T06:00:00+00:00", message="Back to ms")
    assert warnings(repo.root) == [
        (KPI, 4, f"the unit changed from s to ms on 2026-02-03 (commit {repo.git('rev-parse', '--short=7', 'HEAD').strip()}), but 1 value "
                 "written before then (2026-01-26) is read in ms by its page, its health and the key result that follows it: 0.86 s is shown as 0.86 ms",
         f"convert it into ms in {CSV} (0.86 s is 860 ms), or point 'data:' to a new file for the values in ms, keeping the old one as it is"),
    ]


@needs_git
def test_after_two_changes_of_unit_each_number_is_named_in_the_unit_it_was_written_in(tmp_path):
    """QA EG 4: ms → s → min. The values and the key result's start and target written in ms are
    converted from ms, not from s (1,000 ms is 0.017 min, not 16.67)."""
    repo = measured_anew(tmp_path)
    repo.commit({KPI: latency("min", 0.0133, 0.02)}, "2026-02-03T06:00:00+00:00", message="In minutes")
    short = repo.git("rev-parse", "--short=7", "HEAD").strip()
    assert warnings(repo.root) == [
        (KPI, 4, f"the unit changed from s to min on 2026-02-03 (commit {short}), but 4 values written before then (2026-01-05 to 2026-01-26) "
                 "are read in min by its page, its health and the key result that follows it: 850 ms is shown as 850 min, 0.86 s is shown as 0.86 min",
         f"convert them into min in {CSV}, each from the unit it was written in (850 ms is 0.014 min, 0.86 s is 0.014 min), "
         "or point 'data:' to a new file for the values in min, keeping the old one as it is"),
        (FAST, 9, "this key result follows the KPI 'p95 latency', whose unit changed from s to min on 2026-02-03, but its numbers were "
                  "written before then (start 1,000 ms, target 800 ms): they are read in min, against the KPI's values in min",
         "write them in min (start: 0.017, target: 0.013), or have it follow a KPI measured in ms"),
    ]
