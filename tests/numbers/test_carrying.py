"""numbers/carrying.py: which carry-over runs carry a roll-up into its next period."""

from datetime import date

import pytest

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


GROW = "content/objectives/grow.md"
FOLLOWER = "content/objectives/grow-2.md"
GROW_TEXT = ("---\ntitle: Grow\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
             "  - title: Sign customers\n    target: 10\n    current: 4\n"
             "  - title: Grow MRR\n    kpi: mrr\n    start: 480000\n    target: 600000\n---\n")
MRR_TEXT = "---\ntitle: MRR\nowner: sales\nunit: USD\ntarget: 600000\nsource: billing\ndata: data/mrr.csv\n---\n"
MRR_ROWS = "date,value\n2026-11-30,531700\n"


def carried_repo(tmp_path, carried_on: date = date(2027, 1, 6), customers: int | None = None):
    """grow (2026-Q4) ends at 4 customers and 531,700 USD; `okrsite carry-over 2026-Q4 2027-Q1` on
    ``carried_on`` writes grow-2 from those numbers, committed that day at noon. ``customers``: a
    check-in of grow committed that morning, before the carry-over."""
    from okrsite.carryover import carry_over

    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, GROW: GROW_TEXT,
                 "content/kpis/mrr.md": MRR_TEXT, "data/mrr.csv": MRR_ROWS}, "2026-10-01T10:00:00+00:00")
    if customers is not None:
        repo.commit({GROW: GROW_TEXT.replace("current: 4", f"current: {customers}")}, f"{carried_on.isoformat()}T09:00:00+00:00")
    carry_over(repo.root, "2026-Q4", "2027-Q1", as_of=carried_on)
    repo.commit({}, f"{carried_on.isoformat()}T12:00:00+00:00", message="Carry over 2026-Q4")
    return repo


MOVED_WORDS = ("ended at", "stood when", "no longer where", "not where it ended")  # with the numbers, and withheld


def moved_diagnostics(root, as_of: date = date(2027, 1, 12), audience: str | None = None) -> list[tuple]:
    from okrsite.build import check_site

    report = check_site(root, as_of, audience).report
    return [(d.severity, d.file, d.line, d.message, d.hint) for d in report.items if any(words in d.message for words in MOVED_WORDS)]


def test_a_late_check_in_and_a_late_kpi_value_of_the_old_quarter_are_warnings_at_the_followers_starts(tmp_path):
    """QA EW: after the carry-over, a late check-in of the old key result (4 → 5) and December's MRR
    written late (519,800) left grow-2 counting from the old numbers ("start 4 → now 5" beside
    "start 0 → final 5", or -42 %), and `okrsite check` said nothing."""
    repo = carried_repo(tmp_path)
    assert "start: 4\n" in (repo.root / FOLLOWER).read_text() and moved_diagnostics(repo.root) == []
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 5")}, "2027-01-08T10:00:00+00:00")
    repo.commit({"data/mrr.csv": MRR_ROWS + "2026-12-31,519800\n"}, "2027-01-10T10:00:00+00:00")
    follower = (repo.root / FOLLOWER).read_text().splitlines()
    lines = [n for n, line in enumerate(follower, 1) if line.strip().startswith("start:")]
    assert moved_diagnostics(repo.root) == [
        ("warning", FOLLOWER, lines[0], "start 4 but 2026-Q4's key result 'Sign customers' ended at 5 (its final value changed on 2027-01-08)",
         "set start: 5, where 2026-Q4 ended: the work up to there counts in 2026-Q4's grade, not again in 2027-Q1's"),
        ("warning", FOLLOWER, lines[1], "start 531,700 USD but 2026-Q4's key result 'Grow MRR' ended at 519,800 USD (its final value changed on 2027-01-10)",
         "set start: 519800, where 2026-Q4 ended: the work up to there counts in 2026-Q4's grade, not again in 2027-Q1's")]
    text = (repo.root / FOLLOWER).read_text()
    (repo.root / FOLLOWER).write_text(text.replace("start: 4\n", "start: 5\n").replace("start: 531700", "start: 519800"))
    assert moved_diagnostics(repo.root) == []


def test_a_start_taken_apart_from_the_carried_line_is_left_alone(tmp_path):
    """A follower whose first line no longer says its key results start where the old one ended keeps
    a start set on purpose: nothing is said."""
    repo = carried_repo(tmp_path)
    text = (repo.root / FOLLOWER).read_text()
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 5"),
                 FOLLOWER: text.replace(": its key results start where that one ended.", ".")}, "2027-01-08T10:00:00+00:00")
    assert moved_diagnostics(repo.root) == []


def test_a_follower_carried_while_the_quarter_ran_is_a_notice_once_it_has_ended(tmp_path):
    """Carried on 2026-12-20, its starts were the numbers then (closing-a-quarter.md: update them once
    the final numbers are in): said once 2026-Q4 has ended, as a notice, which --strict never fails on."""
    repo = carried_repo(tmp_path, date(2026, 12, 20))
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 6")}, "2026-12-28T10:00:00+00:00")
    assert moved_diagnostics(repo.root, date(2026, 12, 31)) == []
    [found] = moved_diagnostics(repo.root)
    assert found[0] == "notice" and found[3] == ("start 4 is where 2026-Q4's key result 'Sign customers' stood when it was carried over, "
                                                 "before 2026-Q4 ended; it ended at 6")


def test_a_start_edited_after_a_carry_over_while_the_quarter_ran_is_no_longer_said_to_be_where_it_stood(tmp_path):
    """Carried on 2026-12-20 at 4, 2026-Q4 ended at 6, and the follower's start edited to 5 by hand: `check`
    said "start 5 is where … stood when it was carried over", which it never did (it stood at 4). A start
    that is neither where it stood nor where it ended is an edit: a warning, as for other edited starts,
    and the follower's page says the same."""
    from okrsite.build import build

    repo = carried_repo(tmp_path, date(2026, 12, 20))
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 6")}, "2026-12-28T10:00:00+00:00")
    text = (repo.root / FOLLOWER).read_text()
    repo.commit({FOLLOWER: text.replace("start: 4\n", "start: 5\n")}, "2027-01-08T10:00:00+00:00")
    [found] = moved_diagnostics(repo.root)
    assert found[0] == "warning" and found[3] == "start 5 but 2026-Q4's key result 'Sign customers' ended at 6 (its final value changed on 2026-12-28)"
    assert build(repo.root, tmp_path / "out", as_of=date(2027, 1, 12)).ok
    page = (tmp_path / "out" / "objectives" / "grow-2" / "index.html").read_text()
    assert "its final value changed on <time" in page and "carried over before 2026-Q4 ended" not in page


def test_a_check_in_made_after_a_carry_over_on_its_day_leaves_the_start_where_it_stood(tmp_path):
    """Carried on 2026-12-20 at 4 (12:00), a check-in of 6 that afternoon: `check` compared the start with
    the day's last value, 6, and warned "start 4 but … ended at 6", which fails --strict, though 4 is
    where the key result stood when carried over. The check-ins count in their commits' order: the
    notice of a follower carried while the quarter ran, in a public build too, and its page says so."""
    import json

    from okrsite.build import build

    repo = carried_repo(tmp_path, date(2026, 12, 20))
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 6")}, "2026-12-20T15:00:00+00:00")
    stood = ("start 4 is where 2026-Q4's key result 'Sign customers' stood when it was carried over, before 2026-Q4 ended; it ended at 6")
    assert [(found[0], found[3]) for found in moved_diagnostics(repo.root)] == [("notice", stood)]
    assert [(found[0], found[3]) for found in moved_diagnostics(repo.root, audience="public")] == [("notice", stood)]
    out = tmp_path / "out"
    assert build(repo.root, out, as_of=date(2027, 1, 12), audience="public").ok
    assert "carried over before 2026-Q4 ended" in (out / "objectives" / "grow-2" / "index.html").read_text()
    [grow] = [o for o in json.loads((out / "okrs.json").read_text())["objectives"] if o["id"] == "grow-2"]
    assert grow["key_results"][0]["predecessor_final"]["stood"] is True


def test_a_start_edited_to_a_check_in_made_after_the_carry_over_on_its_day_is_an_edit(tmp_path):
    """Carried on 2026-12-20 at 4 (12:00); at 15:00 a check-in of 5 and the follower's start set to 5;
    2026-Q4 ended at 6. `check` said "start 5 is where … stood when it was carried over", a notice:
    5 was that day's last value, but the key result stood at 4 when carried over. It is a warning, as
    other edited starts are. A check-in of that morning, before the carry-over, is where it stood."""
    repo = carried_repo(tmp_path / "after", date(2026, 12, 20))
    follower = (repo.root / FOLLOWER).read_text()
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 5"), FOLLOWER: follower.replace("start: 4\n", "start: 5\n")},
                "2026-12-20T15:00:00+00:00")
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 6")}, "2026-12-28T10:00:00+00:00")
    [found] = moved_diagnostics(repo.root)
    assert found[0] == "warning" and found[3] == "start 5 but 2026-Q4's key result 'Sign customers' ended at 6 (its final value changed on 2026-12-28)"

    repo = carried_repo(tmp_path / "before", date(2026, 12, 20), customers=5)
    repo.commit({GROW: GROW_TEXT.replace("current: 4", "current: 6")}, "2026-12-28T10:00:00+00:00")
    assert "start: 5\n" in (repo.root / FOLLOWER).read_text()
    [found] = moved_diagnostics(repo.root)
    assert found[0] == "notice" and found[3].startswith("start 5 is where 2026-Q4's key result 'Sign customers' stood when it was carried over")


def test_a_decreasing_key_result_whose_late_final_value_reaches_its_target_is_to_be_left_out_of_the_follower(tmp_path):
    """QA EW 1: a final value corrected late to past the target (churn 7 → 4, target 5) had the hint
    "set start: 4", which, below the follower's target 5, turns its key result into an increasing one:
    carry-over leaves out a key result reached, and the hint says to."""
    from okrsite.carryover import carry_over

    from ..gitrepo import TEAM, GitRepo

    churn = "---\ntitle: Keep\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: Cut churn\n    start: 10\n    target: 5\n    current: 7\n---\n"
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, "content/objectives/keep.md": churn}, "2026-10-01T10:00:00+00:00")
    carry_over(repo.root, "2026-Q4", "2027-Q1", as_of=date(2027, 1, 6))
    repo.commit({}, "2027-01-06T12:00:00+00:00", message="Carry over 2026-Q4")
    repo.commit({"content/objectives/keep.md": churn.replace("current: 7", "current: 4")}, "2027-01-08T10:00:00+00:00")
    [(severity, _, _, message, hint)] = moved_diagnostics(repo.root)
    assert (severity, message) == ("warning", "start 7 but 2026-Q4's key result 'Cut churn' ended at 4 (its final value changed on 2027-01-08)")
    assert hint == ("delete content/objectives/keep-2.md: 2026-Q4's reached its target, a key result reached is not carried over, "
                    "and 'keep-2' has nothing else to measure its progress")  # its only key result


ONE_KR_TEXT = ("---\ntitle: Grow\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
               "  - title: Grow MRR\n    kpi: mrr\n    start: 550000\n    target: 600000\n---\n")
MONTHLY_MRR = MRR_TEXT.replace("source: billing\n", "source: billing\nfrequency: monthly\n")


def one_kr_carried_repo(tmp_path):
    """QA: grow (2026-Q4), whose one key result follows the monthly MRR (November 590,000, target
    600,000), carried over on 2027-01-04 before December's value came: grow-2 starts at 590,000."""
    from okrsite.carryover import carry_over

    from ..gitrepo import TEAM, GitRepo

    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, GROW: ONE_KR_TEXT,
                 "content/kpis/mrr.md": MONTHLY_MRR, "data/mrr.csv": "date,value\n2026-11-30,590000\n"}, "2026-10-01T10:00:00+00:00")
    carry_over(repo.root, "2026-Q4", "2027-Q1", as_of=date(2027, 1, 4))
    repo.commit({}, "2027-01-04T12:00:00+00:00", message="Carry over 2026-Q4")
    return repo


PLANNED_KR = '  - title: "Launch in Spain"\n    done: false\n'
GUARDRAIL_KR = '  - title: "Keep MRR up"\n    keep_above: 500000\n    current: 605000\n'
CHILD = "---\ntitle: Sell more\nperiod: 2027-Q1\nowner: sales\nparent: grow-2\nkey_results:\n  - title: Deals\n    target: 5\n---\n"


@pytest.mark.parametrize("added, to_delete", [({}, True), ({"kr": PLANNED_KR}, False), ({"kr": GUARDRAIL_KR}, True),
                                              ({"child": CHILD}, False)], ids=["alone", "planned-kr", "guardrail", "aligned-child"])
def test_a_late_value_leaving_the_follower_nothing_else_to_measure_says_to_delete_it(tmp_path, added, to_delete):
    """QA: December's MRR (605,000) recorded after the carry-over made 2026-Q4's objective achieved; the
    warning said to remove the follower's one key result, which `check` then refused ("the objective
    has no key results and no aligned children"). With nothing else to measure (a guardrail does not)
    it says to delete the follower's file, as carry-over would not have written it; else, to remove
    the key result. Done as said, `check` passes."""
    from okrsite.build import check_site

    repo = one_kr_carried_repo(tmp_path)
    follower = (repo.root / FOLLOWER).read_text()
    files = {FOLLOWER: follower.replace("key_results:\n", "key_results:\n" + added["kr"]) if "kr" in added else follower}
    if "child" in added:
        files["content/objectives/sell.md"] = added["child"]
    repo.commit(files, "2027-01-05T10:00:00+00:00")
    repo.commit({"data/mrr.csv": "date,value\n2026-11-30,590000\n2026-12-31,605000\n"}, "2027-01-06T10:00:00+00:00")
    [(_, path, line, _, hint)] = moved_diagnostics(repo.root)
    assert (path, (repo.root / FOLLOWER).read_text().splitlines()[line - 1].strip()) == (FOLLOWER, "start: 590000")
    if to_delete:
        assert hint == (f"delete {FOLLOWER}: 2026-Q4's reached its target, a key result reached is not carried over, "
                        "and 'grow-2' has nothing else to measure its progress")
        (repo.root / FOLLOWER).unlink()
    else:
        assert hint == f"remove this key result from {FOLLOWER}: 2026-Q4's reached its target, and a key result reached is not carried over"
        text = (repo.root / FOLLOWER).read_text()
        (repo.root / FOLLOWER).write_text(text.replace('  - title: "Grow MRR"\n    kpi: "mrr"\n    start: 590000\n    target: 600000\n', ""))
    assert [d.message for d in check_site(repo.root, date(2027, 1, 12)).report.items if d.severity != "notice"] == []


def test_a_confidential_old_key_result_s_final_value_is_said_nowhere_on_a_public_build(tmp_path):
    """grow made confidential after it was carried over (grow-2 is not): `check --audience public` said
    "ended at 5" and "set start: 5", a number the public site withholds. Now the check message, the
    follower's page and its okrs.json all leave it out."""
    import json

    from okrsite.build import build

    repo = carried_repo(tmp_path)
    secret = GROW_TEXT.replace("owner: sales\n", "owner: sales\nconfidential: true\n", 1).replace("current: 4", "current: 5")
    repo.commit({GROW: secret}, "2027-01-08T10:00:00+00:00")
    line = next(n for n, text in enumerate((repo.root / FOLLOWER).read_text().splitlines(), 1) if text.strip().startswith("start:"))
    assert moved_diagnostics(repo.root, audience="public") == [
        ("warning", FOLLOWER, line, "its start is no longer where 2026-Q4's key result 'Sign customers' ended (its final value changed on 2027-01-08)",
         "set start: to that key result's final value, where 2026-Q4 ended: the work up to there counts in 2026-Q4's grade, not again in 2027-Q1's")]
    out = tmp_path / "out"
    build(repo.root, out, as_of=date(2027, 1, 12), audience="public")
    assert "ended at" not in (out / "objectives/grow-2/index.html").read_text()
    [grow] = [o for o in json.loads((out / "okrs.json").read_text())["objectives"] if o["id"] == "grow-2"]
    assert not any("predecessor_final" in kr for kr in grow["key_results"])


def test_the_day_a_final_value_changed_is_that_of_its_conversion_into_a_new_unit_as_the_digest_says(tmp_path):
    """December's MRR written late (2027-01-08), then MRR measured anew in kUSD (2027-01-10), its values
    and the key results' numbers converted: the warning named the day of the late value, the digest
    (KPILog.writer) the conversion's, which wrote the final value as it is (519.8 kUSD). Both name the conversion's."""
    repo = carried_repo(tmp_path)
    repo.commit({"data/mrr.csv": MRR_ROWS + "2026-12-31,519800\n"}, "2027-01-08T10:00:00+00:00")
    follower = (repo.root / FOLLOWER).read_text()
    repo.commit({"content/kpis/mrr.md": MRR_TEXT.replace("unit: USD", "unit: kUSD").replace("target: 600000", "target: 600"),
                 "data/mrr.csv": "date,value\n2026-11-30,531.7\n2026-12-31,519.8\n",
                 GROW: GROW_TEXT.replace("start: 480000", "start: 480").replace("target: 600000", "target: 600"),
                 FOLLOWER: follower.replace("start: 531700", "start: 531.7").replace("target: 600000", "target: 600")}, "2027-01-10T10:00:00+00:00")
    [found] = moved_diagnostics(repo.root)
    assert found[3] == "start 531.7 kUSD but 2026-Q4's key result 'Grow MRR' ended at 519.8 kUSD (its final value changed on 2027-01-10)"
