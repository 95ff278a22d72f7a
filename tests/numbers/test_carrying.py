"""numbers/carrying.py: which carry-over runs carry a roll-up into its next period."""

from datetime import date

from okrsite.goals.periods import following, parse_period
from okrsite.goals.repository import load_site
from okrsite.numbers.carrying import runs_carrying
from okrsite.numbers.compute import compute

from ..conftest import write_files


def test_the_runs_that_carry_a_roll_up_are_its_last_quarter_s_through_a_half_year_between(tmp_path):
    """runs_carrying: a year over a half-year over its quarters goes with the last quarter's carry-over
    (the half-year's own run carries nothing); once that quarter is continued, the half-year's run."""
    def objective(period: str, parent: str | None, krs: str = "") -> str:
        return f"---\ntitle: T\nperiod: {period}\nowner: Ann\n" + (f"parent: {parent}\n" if parent else "") + krs + "---\n"

    deals = "key_results: [{title: D, target: 10, current: 5}]\n"
    files = {"okrsite.toml": 'title = "c"\n', "content/objectives/year.md": objective("2026", None),
             "content/objectives/half.md": objective("2026-H2", "year"), "content/objectives/q3.md": objective("2026-Q3", "half", deals),
             "content/objectives/q4.md": objective("2026-Q4", "half", deals)}
    as_of = date(2027, 1, 4)

    def runs() -> list[tuple[str, str]]:
        loaded = load_site(write_files(tmp_path, files), as_of)
        site = loaded.site
        found = runs_carrying(site, compute(site, loaded.settings, as_of), site.objectives["year"], parse_period("2027", {}), following)
        return [(first.id, into.id) for first, into in found]

    assert runs() == [("2026-Q4", "2027-Q1")]
    files["content/objectives/q4-2.md"] = objective("2027-Q1", None, deals).replace("owner: Ann\n", "owner: Ann\nfollows: q4\n")
    assert runs() == []  # the half-year's own run carries it only with a child of its own period (QA EV 1)
    files["content/objectives/h2.md"] = objective("2026-H2", "half", deals)
    assert runs() == [("2026-H2", "2027-H1")]
