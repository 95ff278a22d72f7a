"""Each goal-changing commit summed up in words (pure: versions made here, no git)."""

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from okrsite.goals.repository import load_site
from okrsite.git.changes import PageChanges, recent_changes, withheld_commits
from okrsite.git.history import Commit, FileHistory, History, Version

from ..conftest import write_files

OBJ = "content/objectives/grow-customer-base.md"
DAY0 = datetime(2026, 10, 1, 9, tzinfo=timezone.utc)


def commit(n: int) -> Commit:
    return Commit(f"{n:040x}", DAY0 + timedelta(days=n), "Ann Lee", f"commit {n}")


def objective(**changes) -> dict:
    data = {"title": "Grow the customer base", "period": "2026-Q4", "owner": "company",
            "key_results": [{"title": "Reach 1300 customers", "start": 1000, "target": 1300, "current": 1120}]}
    data.update(changes)
    return data


def change_items(site, pairs: list[tuple[str, object]], gone: list[tuple[str, object]] = ()) -> list[list]:
    """The items (oldest commit first) of the versions of OBJ given as (path, data) pairs, one per commit."""
    versions = tuple(Version(commit(n), path, data, deleted=data is None) for n, (path, data) in enumerate(pairs))
    files = {OBJ: FileHistory(OBJ, versions)} if not gone else {}
    ended = (FileHistory(None, versions),) if gone else ()
    history = History(files, ended, tuple(v.commit for v in reversed(versions)), False, DAY0.date(), "", "0" * 40)
    return [list(change.items) for change in reversed(recent_changes(history, site, date(2026, 12, 31)))]


def texts(site, pairs: list[tuple[str, object]], gone: list[tuple[str, object]] = ()) -> list[list[str]]:
    """Summaries (oldest commit first) of the versions of OBJ given as (path, data) pairs, one per commit."""
    return [[item.text for item in change] for change in change_items(site, pairs, gone)]


@pytest.fixture
def site(base_site):
    loaded = load_site(base_site)
    assert not loaded.report.errors
    return loaded.site


def test_new_objective_values_status_and_text(site):
    kr = objective()["key_results"][0]
    assert texts(site, [
        (OBJ, objective()),
        (OBJ, objective(key_results=[dict(kr, current=1180)])),
        (OBJ, objective(key_results=[dict(kr, current=1180)], status="at-risk")),
        (OBJ, objective(key_results=[dict(kr, current=1180)], status="at-risk")),  # only the body changed
        (OBJ, objective(key_results=[dict(kr, current=1180)])),
    ]) == [
        ["New objective: Grow the customer base (2026-Q4)"],
        ["Reach 1300 customers (KR 1): 1,120 → 1,180"],
        ["Grow the customer base: status set to at-risk"],
        ["Grow the customer base: description edited"],
        ["Grow the customer base: status set by hand removed (was at-risk)"],
    ]


def test_key_results_added_removed_retargeted_and_estimated(site):
    kr = objective()["key_results"][0]
    manual = {"title": "Hire a lead", "progress": 0.4}
    assert texts(site, [
        (OBJ, objective()),
        (OBJ, objective(key_results=[kr, manual])),
        (OBJ, objective(key_results=[dict(kr, target=1400), dict(manual, progress=0.6)])),
        (OBJ, objective(key_results=[dict(kr, target=1400)])),
        (OBJ, objective(title="Grow faster", key_results=[dict(kr, target=1400, done=True)], parent="x")),
    ])[1:] == [
        ["Grow the customer base: KR 2 added: Hire a lead"],
        ["Reach 1300 customers (KR 1): target 1,300 → 1,400", "Hire a lead (KR 2): estimated 40 % → 60 %"],
        ["Grow the customer base: KR 2 removed: Hire a lead"],
        ["Grow the customer base renamed to “Grow faster”", "Grow faster: now aligned to x", "Reach 1300 customers (KR 1): done"],
    ]


def test_a_target_written_as_a_string_is_quoted_so_its_fix_reads_as_one(site):
    """QA DN: `target: "1,300"` (a string) fixed to 1300 the next day read "target 1,300 → 1,300"."""
    kr = objective()["key_results"][0]
    assert texts(site, [
        (OBJ, objective()),
        (OBJ, objective(key_results=[dict(kr, target="1,400")])),
        (OBJ, objective(key_results=[dict(kr, target=1400)])),
    ])[1:] == [["Reach 1300 customers (KR 1): target 1,300 → “1,400”"], ["Reach 1300 customers (KR 1): target “1,400” → 1,400"]]


def test_closing_a_quarter_and_a_new_owner_are_said_in_words(site):
    """QA AH: the commit that graded an objective (`score:`, `retro:`) read "details edited", and a new
    owner was said by the team's id ("owner growth-lab → experiments") where pages say its title."""
    assert texts(site, [
        (OBJ, objective()),
        (OBJ, objective(score=0.8, retro="We learned a lot.")),
        (OBJ, objective(score=0.85, retro="We learned a lot more.", owner="sales")),
        (OBJ, objective(owner="Ann Lee")),
    ])[1:] == [
        ["Grow the customer base: graded 0.80", "Grow the customer base: retrospective written"],
        ["Grow the customer base: owner Company → Sales", "Grow the customer base: grade 0.80 → 0.85", "Grow the customer base: retrospective edited"],
        ["Grow the customer base: owner Sales → Ann Lee", "Grow the customer base: grade removed (was 0.85)", "Grow the customer base: retrospective removed"],
    ]


def test_written_check_ins_units_and_moves(site):
    kr = dict(objective()["key_results"][0], unit="customers")
    entry = {"date": date(2026, 11, 4), "value": 1150}
    assert texts(site, [
        ("content/objectives/draft.md", objective(key_results=[kr])),
        (OBJ, objective(key_results=[dict(kr, history=[entry])])),
    ])[1] == [
        "Grow the customer base: moved to content/objectives/grow-customer-base.md",
        "Reach 1300 customers (KR 1): check-in 1,150 customers (2026-11-04)",
    ]


def test_a_first_check_in_says_the_value_it_started_from(site):
    """QA CF: `okrsite checkin` on a key result without `current:` commits "Sign 3 EU accounts 0 accounts
    → 1 account", and its change said only "1 account": the start (0 when none is written) is the old
    value, as history.md's "old → new" has it. A guardrail starts nowhere: its first value stands alone."""
    new = {"title": "Sign 3 EU accounts", "target": 3, "unit": "accounts"}
    started = {"title": "Cut churn", "start": 5, "target": 2, "unit": "%"}
    guard = {"title": "Keep margin up", "keep_above": 70, "unit": "%"}
    assert texts(site, [
        (OBJ, objective(key_results=[new, started, guard])),
        (OBJ, objective(key_results=[dict(new, current=1), dict(started, current=4), dict(guard, current=72)])),
    ])[1] == ["Sign 3 EU accounts (KR 1): 0 → 1 account", "Cut churn (KR 2): 5% → 4%", "Keep margin up (KR 3): 72%"]


def test_a_check_in_dated_after_its_period_ended_says_it_does_not_count(base_site):
    """SPEC §6, a finished period is frozen: a `history:` entry dated after 2026-Q3 ended is listed, and
    says that it does not count, as its row in the check-ins table says "(after 2026-Q3 ended)"."""
    write_files(base_site, {OBJ: (base_site / OBJ).read_text().replace("2026-Q4", "2026-Q3")})
    loaded = load_site(base_site)
    assert not loaded.report.errors
    kr = dict(objective()["key_results"][0], unit="minutes")
    on_time, late = {"date": date(2026, 9, 28), "value": 1150}, {"date": date(2026, 10, 2), "value": 1160}
    assert texts(loaded.site, [
        (OBJ, objective(period="2026-Q3", key_results=[kr])),
        (OBJ, objective(period="2026-Q3", key_results=[dict(kr, history=[on_time])])),
        (OBJ, objective(period="2026-Q3", key_results=[dict(kr, history=[on_time, late])])),
    ])[1:] == [
        ["Reach 1300 customers (KR 1): check-in 1,150 minutes (2026-09-28)"],
        ["Reach 1300 customers (KR 1): check-in 1,160 minutes (2026-10-02, after 2026-Q3 ended: not counted)"],
    ]


def test_a_guardrail_moves_and_its_line_changes(site):
    kr = objective()["key_results"][0]
    guard = {"title": "Keep margin up", "keep_above": 70, "current": 72, "unit": "%"}
    assert texts(site, [
        (OBJ, objective(key_results=[kr, guard])),
        (OBJ, objective(key_results=[kr, dict(guard, current=69.5)])),
        (OBJ, objective(key_results=[kr, dict(guard, current=69.5, keep_above=65)])),
    ])[1:] == [
        ["Keep margin up (KR 2): 72% → 69.5%"],
        ["Keep margin up (KR 2): keep_above 70% → 65%"],
    ]


def test_removed_objective(site):
    """The site's objective of that title is another one: the removed one is named with its period."""
    assert texts(site, [(OBJ, objective()), (OBJ, None)], gone=True)[1] == ["Removed objective: Grow the customer base (2026-Q4)"]
    assert texts(site, [(OBJ, objective(title="Old goal")), (OBJ, None)], gone=True)[1] == ["Removed objective: Old goal"]


def test_items_link_to_pages_that_still_exist(site):
    versions = (Version(commit(1), OBJ, objective()),)
    history = History({OBJ: FileHistory(OBJ, versions)}, (), (versions[0].commit,), False, None, "", "")
    [change] = recent_changes(history, site, date(2026, 12, 31))
    assert change.items[0].url == "objectives/grow-customer-base/"


def test_kpi_values_added_corrected_and_removed(site):
    path = "content/kpis/mrr.md"
    base = {"title": "Monthly recurring revenue", "owner": "company", "unit": "USD", "target": 50000}
    rows = lambda *pairs: dict(base, values=[{"date": date(2026, 10, d), "value": v} for d, v in pairs])  # noqa: E731
    versions = tuple(Version(commit(n), path, data) for n, data in enumerate([
        rows((1, 40000)), rows((1, 40000), (2, 41000), (3, 42000)), rows((1, 40500), (2, 41000), (3, 42000), (4, 43000)),
        dict(rows((4, 43000)), target=55000),
    ]))
    history = History({path: FileHistory(path, versions)}, (), tuple(v.commit for v in reversed(versions)), False, None, "", "")
    said = [[i.text for i in c.items] for c in reversed(recent_changes(history, site, date(2026, 12, 31)))]
    assert said == [
        ["New KPI: Monthly recurring revenue"],
        ["Monthly recurring revenue: 2 new values, latest 42,000 USD on 2026-10-03"],
        ["Monthly recurring revenue: 43,000 USD on 2026-10-04", "Monthly recurring revenue: value of 2026-10-01 corrected 40,000 → 40,500 USD"],
        ["Monthly recurring revenue: target 50,000 → 55,000 USD", "Monthly recurring revenue: 3 values removed"],
    ]


def test_a_kpi_file_renamed_is_said_moved_as_an_objective_is(site):
    """QA AI: `git mv content/kpis/revenue.md content/kpis/mrr.md` read "description edited"."""
    data = {"title": "Monthly recurring revenue", "owner": "company", "unit": "USD", "target": 50000}
    versions = (Version(commit(0), "content/kpis/revenue.md", data), Version(commit(1), "content/kpis/mrr.md", data),
                Version(commit(2), "content/kpis/mrr.md", dict(data, target=52000)))
    history = History({"content/kpis/mrr.md": FileHistory("content/kpis/mrr.md", versions)}, (), tuple(v.commit for v in reversed(versions)), False, None, "", "")
    said = [[i.text for i in c.items] for c in reversed(recent_changes(history, site, date(2026, 12, 31)))]
    assert said[1:] == [["Monthly recurring revenue: moved to content/kpis/mrr.md"], ["Monthly recurring revenue: target 50,000 → 52,000 USD"]]


def test_a_move_with_its_description_edited_lists_both(site):
    """QA DT 6: a file moved and its description edited in one commit was listed only as "moved to …"; a
    move whose text the site reads the same (or not known) is the move alone."""
    def said(path, data, readings):
        versions = tuple(Version(commit(n), where, data, reads_as=reading) for n, (where, reading) in enumerate(zip((path.rsplit("/", 1)[0] + "/draft.md", path), readings)))
        history = History({path: FileHistory(path, versions)}, (), tuple(v.commit for v in reversed(versions)), False, None, "", "")
        return [[i.text for i in c.items] for c in reversed(recent_changes(history, site, date(2026, 12, 31)))][1]

    kpi = {"title": "Monthly recurring revenue", "owner": "company", "unit": "USD", "target": 50000}
    assert said(OBJ, objective(), (b"old", b"new")) == [f"Grow the customer base: moved to {OBJ}", "Grow the customer base: description edited"]
    assert said("content/kpis/mrr.md", kpi, (b"old", b"new")) == [
        "Monthly recurring revenue: moved to content/kpis/mrr.md", "Monthly recurring revenue: description edited"]
    assert said("content/kpis/mrr.md", kpi, (b"same", b"same")) == ["Monthly recurring revenue: moved to content/kpis/mrr.md"]
    assert said("content/kpis/mrr.md", kpi, (None, b"new")) == ["Monthly recurring revenue: moved to content/kpis/mrr.md"]


def test_teams_and_pages_are_not_goal_changes(site):
    path = "content/teams/sales.md"
    versions = (Version(commit(1), path, {"title": "Sales"}),)
    history = History({path: FileHistory(path, versions)}, (), (versions[0].commit,), False, None, "", "")
    assert recent_changes(history, site, date(2026, 12, 31)) == ()


def test_a_key_result_inserted_above_is_one_addition(site):
    kr = objective()["key_results"][0]
    new = {"title": "Hire a lead", "done": False}
    assert texts(site, [(OBJ, objective()), (OBJ, objective(key_results=[new, dict(kr, current=1150)]))])[1] == [
        "Grow the customer base: KR 1 added: Hire a lead",
        "Reach 1300 customers (KR 2): 1,120 → 1,150",
    ]


def items(site, pairs: list[tuple[str, object]], **options) -> list[list]:
    """The Items (oldest commit first) of the versions of OBJ given as (path, data) pairs."""
    versions = tuple(Version(commit(n), path, data) for n, (path, data) in enumerate(pairs))
    history = History({OBJ: FileHistory(OBJ, versions)}, (), tuple(v.commit for v in reversed(versions)), False, DAY0.date(), "", "0" * 40)
    return [list(change.items) for change in reversed(recent_changes(history, site, date(2026, 12, 31), **options))]


def test_a_key_results_change_names_the_key_result_and_its_objective_where_read_elsewhere(site):
    logos = {"title": "Win 30 new logos", "target": 30, "current": 19, "unit": "logos"}
    kr = objective()["key_results"][0]
    [[item]] = items(site, [(OBJ, objective(key_results=[kr, logos])), (OBJ, objective(key_results=[kr, dict(logos, current=30)]))])[1:]
    assert item.text == "Win 30 new logos (KR 2): 19 → 30 logos"  # on the objective's own page
    assert item.full == "Grow the customer base › Win 30 new logos (KR 2): 19 → 30 logos"  # on the Changes page and in the feed
    assert item.url == "objectives/grow-customer-base/"


def test_a_renamed_key_result_is_named_as_it_was(site):
    kr = objective()["key_results"][0]
    [[item]] = items(site, [(OBJ, objective()), (OBJ, objective(key_results=[dict(kr, title="Reach 1400 customers")]))])[1:]
    assert item.text == "Reach 1300 customers (KR 1) renamed to “Reach 1400 customers”"


def test_numbers_in_summaries_follow_the_format_and_the_linked_kpis_unit(base_site):
    mrr = (base_site / "content/kpis/mrr.md").read_text()
    write_files(base_site, {"content/kpis/mrr.md": mrr.replace("target: 50000", "target: 50000\nunit: $\nformat: compact")})
    site = load_site(base_site).site
    linked = {"title": "Grow MRR", "kpi": "mrr", "start": 10_000_000, "target": 30_000_000, "current": 19_000_000}
    seats = {"title": "Sell seats", "target": 40_000, "current": 30_000, "unit": "seats"}
    incidents = {"title": "Few incidents", "start": 5, "target": 0, "current": 0, "unit": "incidents"}
    pairs = [(OBJ, objective(key_results=[linked, seats, incidents])),
             (OBJ, objective(key_results=[dict(linked, current=24_300_000), dict(seats, current=31_000), dict(incidents, current=1)]))]
    # the linked key result takes the KPI's unit and format; the others the site's number_format
    assert [i.text for i in items(site, pairs)[1]] == [
        "Grow MRR (KR 1): $19M → $24.3M", "Sell seats (KR 2): 30,000 → 31,000 seats", "Few incidents (KR 3): 0 → 1 incident"]
    assert [i.text for i in items(site, pairs, number_format="compact")[1]][1] == "Sell seats (KR 2): 30k → 31k seats"
    own = [(OBJ, objective(key_results=[dict(linked, format="full")])), (OBJ, objective(key_results=[dict(linked, format="full", current=24_300_000)]))]
    assert [i.text for i in items(site, own)[1]] == ["Grow MRR (KR 1): $19,000,000 → $24,300,000"]


def test_a_kpis_own_format_shortens_its_values(site):
    path = "content/kpis/mrr.md"
    base = {"title": "Monthly recurring revenue", "owner": "company", "unit": "€", "target": 50000, "format": "compact"}
    versions = tuple(Version(commit(n), path, dict(base, values=rows)) for n, rows in enumerate([
        [{"date": date(2026, 10, 1), "value": 40000}], [{"date": date(2026, 10, 1), "value": 40500}, {"date": date(2026, 10, 2), "value": 41000}]]))
    history = History({path: FileHistory(path, versions)}, (), tuple(v.commit for v in reversed(versions)), False, None, "", "")
    [latest, _] = recent_changes(history, site, date(2026, 12, 31))
    assert [i.text for i in latest.items] == ["Monthly recurring revenue: €41k on 2026-10-02", "Monthly recurring revenue: value of 2026-10-01 corrected €40k → €40.5k"]



def test_a_kpis_values_take_the_unit_its_target_words_name(site):
    path = "content/kpis/nrr.md"
    base = {"title": "Net revenue retention", "owner": "company", "target": "at or above 110%"}
    versions = tuple(Version(commit(n), path, dict(base, values=rows)) for n, rows in enumerate([
        [{"date": date(2026, 10, 31), "value": 104}], [{"date": date(2026, 10, 31), "value": 104}, {"date": date(2026, 11, 30), "value": 108.5}]]))
    history = History({path: FileHistory(path, versions)}, (), tuple(v.commit for v in reversed(versions)), False, None, "", "")
    [latest, _] = recent_changes(history, site, date(2026, 12, 31))
    assert [i.text for i in latest.items] == ["Net revenue retention: 108.5% on 2026-11-30"]

# SPEC §14: what the public site's changes say.

KPI_FILE, CSV_FILE, SECRET = "content/kpis/mrr.md", "data/mrr.csv", "content/objectives/secret.md"


def history_of(files: dict[str, list[tuple[int, object]]]) -> History:
    """{path: [(commit number, data; None: deleted)]}: every commit touches the files that name it."""
    numbers = sorted({n for versions in files.values() for n, _ in versions})
    made = {path: FileHistory(path, tuple(Version(commit(n), path, data, deleted=data is None) for n, data in versions)) for path, versions in files.items()}
    return History(made, (), tuple(commit(n) for n in reversed(numbers)), False, DAY0.date(), "", "0" * 40)


def changes(site, history, public: bool = True) -> list[tuple[str, list[str]]]:
    """(subject, texts) of each commit, oldest first."""
    return [(c.commit.subject, [i.full for i in c.items]) for c in reversed(recent_changes(history, site, date(2026, 12, 31), public=public))]


@pytest.fixture
def secret_site(base_site):
    write_files(base_site, {
        KPI_FILE: "---\ntitle: Monthly recurring revenue\nowner: company\ntarget: 50000\nsource: Billing\nconfidential: true\ndata: data/mrr.csv\n---\nMRR.\n",
        CSV_FILE: "date,value\n2026-10-31,46500\n",
        SECRET: "---\ntitle: Buy Acme quietly\nperiod: 2026-Q4\nowner: company\nprivate: true\nkey_results:\n  - title: Sign\n    done: false\n---\n",
    })
    loaded = load_site(base_site)
    assert not loaded.report.errors, loaded.report.errors
    return loaded.site


def test_a_confidential_kpi_is_updated_without_its_numbers(secret_site):
    kpi = {"title": "Monthly recurring revenue", "owner": "company", "target": 50000, "confidential": True, "data": "data/mrr.csv"}
    history = history_of({
        KPI_FILE: [(0, kpi), (2, dict(kpi, target=52000)), (3, dict(kpi, title="MRR", target=52000))],
        CSV_FILE: [(0, (("2026-09-30", "44100"),)), (1, (("2026-09-30", "44100"), ("2026-10-31", "46500")))],
    })
    assert changes(secret_site, history) == [
        ("", ["New KPI: Monthly recurring revenue", "Monthly recurring revenue updated"]),
        ("", ["Monthly recurring revenue updated"]),
        ("", ["Monthly recurring revenue updated"]),
        ("commit 3", ["Monthly recurring revenue renamed to “MRR”"]),
    ]
    internal = changes(secret_site, history, public=False)
    assert internal[1] == ("commit 1", ["Monthly recurring revenue: 46,500 on 2026-10-31"])
    assert internal[2] == ("commit 2", ["Monthly recurring revenue: target 50,000 → 52,000"])


def test_a_private_objective_is_left_out_and_never_named(secret_site):
    secret = {"title": "Buy Acme quietly", "period": "2026-Q4", "owner": "company", "private": True, "key_results": [{"title": "Sign", "done": False}]}
    history = history_of({
        SECRET: [(0, secret), (1, dict(secret, key_results=[{"title": "Sign", "done": True}]))],
        OBJ: [(0, objective()), (1, objective(parent="secret")), (2, objective(parent=None, status="at-risk"))],
    })
    assert changes(secret_site, history) == [
        ("", ["New objective: Grow the customer base (2026-Q4)"]),
        ("", ["Grow the customer base: now aligned to a private objective"]),
        ("", ["Grow the customer base: status set to at-risk", "Grow the customer base: no longer aligned to a private objective"]),
    ]
    assert "Buy Acme quietly" in str(changes(secret_site, history, public=False))


@pytest.mark.parametrize("written", ["secret ", "\u200bsecret"])
def test_a_private_parent_written_as_the_loader_reads_it_is_never_named(secret_site, written):
    """The loader trims a `parent:` and drops invisible characters from it before it looks the id up:
    the changes must read it so too, or a public site named the private objective by its id and
    published the commit message that aligned to it."""
    secret = {"title": "Buy Acme quietly", "period": "2026-Q4", "owner": "company", "private": True, "key_results": [{"title": "Sign", "done": False}]}
    history = history_of({SECRET: [(0, secret)], OBJ: [(0, objective()), (1, objective(parent=written)), (2, objective())]})
    told = changes(secret_site, history)
    assert told[1:] == [("", ["Grow the customer base: now aligned to a private objective"]),
                        ("", ["Grow the customer base: no longer aligned to a private objective"])]
    assert "secret" not in str(told).replace("a private objective", "")


def test_an_objective_once_private_stays_out_of_the_public_changes(site):
    secret = objective(private=True)
    history = history_of({OBJ: [(0, secret), (1, objective())]})
    assert changes(site, history) == []
    assert len(changes(site, history, public=False)) == 2


def test_a_confidential_key_result_is_updated_without_its_numbers(secret_site):
    kr = objective()["key_results"][0]
    linked = {"title": "Grow MRR", "kpi": "mrr", "start": 40000, "target": 60000}
    history = history_of({OBJ: [
        (0, objective(key_results=[dict(kr, confidential=True), linked])),
        (1, objective(key_results=[dict(kr, confidential=True, current=1180), linked])),
        (2, objective(key_results=[dict(kr, confidential=True, current=1180, title="Reach more customers"), dict(linked, target=61000)])),
        (3, objective(confidential=True, key_results=[dict(kr, current=1190, title="Reach more customers"), dict(linked, target=61000)])),
    ]})
    assert changes(secret_site, history)[1:] == [
        ("", ["Grow the customer base › Reach 1300 customers (KR 1) updated"]),
        ("", ["Grow the customer base › Reach 1300 customers (KR 1) renamed to “Reach more customers”", "Grow the customer base › Grow MRR (KR 2) updated"]),
        ("", ["Grow the customer base › Reach more customers (KR 1) updated"]),
    ]
    assert changes(secret_site, history, public=False)[3] == ("commit 3", ["Grow the customer base › Reach more customers (KR 1): 1,180 → 1,190"])


def test_commits_whose_message_a_public_site_does_not_show(secret_site):
    kpi = {"title": "Monthly recurring revenue", "owner": "company", "confidential": True}
    history = history_of({KPI_FILE: [(0, kpi), (1, dict(kpi, target=1))], OBJ: [(0, objective()), (2, objective(status="at-risk"))]})
    assert withheld_commits(history, secret_site) == frozenset({commit(1).short})


def test_a_link_to_a_private_objective_in_a_title_names_no_id(secret_site):
    """Titles are said as written: `[[secret]]` in one named the private objective on the public Changes page."""
    kr = objective()["key_results"][0]
    history = history_of({OBJ: [(0, objective()), (1, objective(title="Grow after [[secret]]", key_results=[dict(kr, title="Reach [[secret|the deal]]")]))]})
    assert changes(secret_site, history)[1] == ("commit 1", [
        "Grow the customer base renamed to “Grow after a private objective”",
        "Grow after a private objective › Reach 1300 customers (KR 1) renamed to “Reach a private objective”"])
    assert "[[secret]]" in str(changes(secret_site, history, public=False))


def test_a_kpi_written_private_is_updated_without_its_numbers(secret_site):
    kpi = {"title": "Pipeline", "owner": "company", "private": True, "values": [{"date": "2026-10-31", "value": 9292}]}
    history = history_of({"content/kpis/pipeline.md": [(0, kpi), (1, dict(kpi, values=[{"date": "2026-10-31", "value": 9393}]))]})
    assert changes(secret_site, history) == [("", ["New KPI: Pipeline"]), ("", ["Pipeline updated"])]


def test_a_commit_that_adds_or_removes_confidential_numbers_keeps_its_message_to_itself(secret_site):
    """A new confidential KPI with its values, a new objective with a confidential key result, a key
    result added or removed: the message of such a commit may say the numbers ("Gross margin: 63.25 in
    November"), and it was shown on the public Changes page."""
    kpi = {"title": "Gross margin", "owner": "company", "confidential": True, "values": [{"date": "2026-11-30", "value": 63.25}]}
    kr = objective()["key_results"][0]
    secret_kr = {"title": "Cut cost", "start": 5858, "target": 5151, "confidential": True}
    history = history_of({
        "content/kpis/margin.md": [(0, kpi), (4, None)],
        OBJ: [(1, objective(key_results=[kr, secret_kr])), (2, objective()), (3, objective(key_results=[kr, secret_kr]))],
    })
    assert changes(secret_site, history) == [
        ("", ["New KPI: Gross margin"]),
        ("", ["New objective: Grow the customer base (2026-Q4)"]),
        ("", ["Grow the customer base: KR 2 removed: Cut cost"]),
        ("", ["Grow the customer base: KR 2 added: Cut cost"]),
        ("", ["Removed KPI: Gross margin"]),
    ]
    assert [subject for subject, _ in changes(secret_site, history, public=False)] == [f"commit {n}" for n in range(5)]


def test_a_moved_objectives_earlier_changes_link_to_its_page(site):
    """A `git mv` (archiving a closed quarter's folder) keeps the objective: its earlier changes are
    still its own, shown on its page's Recent changes, not only the move."""
    kr = objective()["key_results"][0]
    old = "content/objectives/2026-q4/grow-customer-base.md"
    said = items(site, [(old, objective()), (old, objective(key_results=[dict(kr, current=1150)])), (OBJ, objective(key_results=[dict(kr, current=1150)]))])
    assert [[(i.text, i.url) for i in change] for change in said] == [
        [("New objective: Grow the customer base (2026-Q4)", "objectives/grow-customer-base/")],
        [("Reach 1300 customers (KR 1): 1,120 → 1,150", "objectives/grow-customer-base/")],
        [(f"Grow the customer base: moved to {OBJ}", "objectives/grow-customer-base/")],
    ]


FOLLOWER = "content/objectives/grow-customer-base-2.md"


@pytest.fixture
def carried_site(base_site):
    """grow-customer-base (2026-Q4) and its follower of 2027-Q1, with the same title, as carry-over writes it."""
    write_files(base_site, {FOLLOWER: "---\ntitle: Grow the customer base\nperiod: 2027-Q1\nowner: company\nfollows: grow-customer-base\n"
                                      "key_results:\n  - title: Reach 1300 customers\n    start: 1150\n    target: 1300\n---\n"})
    loaded = load_site(base_site)
    assert not loaded.report.errors, loaded.report.errors
    return loaded.site


def follower(**changes) -> dict:
    kr = {"title": "Reach 1300 customers", "start": 1150, "target": 1300}
    return dict(objective(period="2027-Q1", follows="grow-customer-base", key_results=[kr]), **changes)


def test_objectives_that_share_a_title_are_named_with_their_period(carried_site):
    """As the digest names them (docs/digest.md): after carry-over, the Changes page and the feed told
    the two quarters' "Grow the customer base" apart nowhere."""
    kr = follower()["key_results"][0]
    history = history_of({
        OBJ: [(0, objective()), (1, objective(status="at-risk"))],
        FOLLOWER: [(2, follower()), (3, follower(key_results=[dict(kr, current=1200)]))],
    })
    assert changes(carried_site, history, public=False) == [
        ("commit 0", ["New objective: Grow the customer base (2026-Q4)"]),
        ("commit 1", ["Grow the customer base (2026-Q4): status set to at-risk"]),
        ("commit 2", ["New objective: Grow the customer base (2027-Q1)"]),
        ("commit 3", ["Grow the customer base (2027-Q1) › Reach 1300 customers (KR 1): 1,150 → 1,200"]),
    ]


def test_a_title_no_other_objective_has_is_said_alone(site):
    history = history_of({OBJ: [(0, objective()), (1, objective(status="at-risk"))]})
    assert changes(site, history, public=False)[1] == ("commit 1", ["Grow the customer base: status set to at-risk"])


def test_a_private_objective_of_the_same_title_does_not_show_on_the_public_site(carried_site, base_site):
    """Named with the period only when another objective the audience sees has the title: that one
    would otherwise tell of the private one."""
    write_files(base_site, {FOLLOWER: (base_site / FOLLOWER).read_text().replace("follows:", "private: true\nfollows:")})
    loaded = load_site(base_site)
    history = history_of({OBJ: [(0, objective()), (1, objective(status="at-risk"))]})
    assert changes(loaded.site, history)[1] == ("commit 1", ["Grow the customer base: status set to at-risk"])
    assert changes(loaded.site, history, public=False)[1] == ("commit 1", ["Grow the customer base (2026-Q4): status set to at-risk"])


def test_a_first_check_in_of_a_key_result_without_current_starts_from_its_start(site):
    """A carried key result has no `current:` yet: its value was its start, as `okrsite checkin` says
    ("300 ms → 250 ms"); the Changes page said only "250 ms"."""
    kr = {"title": "Cut p95 latency", "start": 300, "target": 200, "unit": "ms"}
    assert texts(site, [(OBJ, objective(key_results=[kr])), (OBJ, objective(key_results=[dict(kr, current=250)]))])[1] == [
        "Cut p95 latency (KR 1): 300 → 250 ms"]


def test_a_first_check_in_after_written_history_starts_from_its_latest_entry(site):
    kr = {"title": "Cut p95 latency", "start": 300, "target": 200, "unit": "ms",
          "history": [{"date": date(2026, 10, 2), "value": 280}, {"date": date(2026, 10, 1), "value": 290}]}
    assert texts(site, [(OBJ, objective(key_results=[kr])), (OBJ, objective(key_results=[dict(kr, current=250)]))])[1] == [
        "Cut p95 latency (KR 1): 280 → 250 ms"]


def test_a_first_value_of_a_key_result_following_a_kpi_has_no_start_to_come_from(site):
    """Its value before was the KPI's, not its start: only the new value is said."""
    kr = {"title": "Grow MRR", "start": 40000, "target": 50000, "kpi": "mrr"}
    assert texts(site, [(OBJ, objective(key_results=[kr])), (OBJ, objective(key_results=[dict(kr, current=45000)]))])[1] == [
        "Grow MRR (KR 1): 45,000"]


def test_each_page_lists_its_own_latest_changes_not_a_window_over_the_site(secret_site):
    """An objective's or a KPI's page lists the last commits that changed its own files (a KPI's file and
    its CSV file: one commit said once), newest first up to the as-of date, however many other commits
    the site had since: a finished objective's page moved week after week as the whole site's last 50
    commits went by, and lost its "Recent changes" months later."""
    kr = objective()["key_results"][0]
    kpi = {"title": "Monthly recurring revenue", "owner": "company", "target": 50000, "data": "data/mrr.csv"}
    grown = [(n, objective(key_results=[dict(kr, current=1120 + n)])) for n in range(1, 13)]
    history = history_of({OBJ: [(0, objective()), *grown], KPI_FILE: [(0, kpi), (3, dict(kpi, target=60000))],
                          CSV_FILE: [(2, (("2026-10-31", "46500"),)), (3, (("2026-10-31", "46500"), ("2026-11-30", "47000")))],
                          "content/objectives/other.md": [(n, objective(title="Other", status="at-risk" if n % 2 else None)) for n in range(13, 80)]})
    url, kpi_url = secret_site.objectives["grow-customer-base"].url, secret_site.kpis["mrr"].url
    pages = PageChanges(history, secret_site, date(2026, 12, 31))
    assert [c.commit.subject for c in pages.of(url)] == [f"commit {n}" for n in range(12, 2, -1)]
    assert [i.text for i in pages.of(url)[0].items] == ["Reach 1300 customers (KR 1): 1,131 → 1,132"]
    assert [(c.commit.subject, len(c.items)) for c in pages.of(kpi_url)] == [("commit 3", 2), ("commit 2", 1), ("commit 0", 1)]
    then = PageChanges(history, secret_site, commit(5).day)
    assert [c.commit.subject for c in then.of(url)] == [f"commit {n}" for n in range(5, -1, -1)]
    public = PageChanges(history, secret_site, date(2026, 12, 31), public=True)
    assert [c.commit.subject for c in public.of(kpi_url)] == ["", "", ""] and public.of(kpi_url)[0].items[0].text == "Monthly recurring revenue updated"
    assert pages.key(url) == PageChanges(history, secret_site, date(2027, 1, 31)).key(url) != then.key(url)


def test_values_and_check_ins_for_a_day_after_the_as_of_date_are_said_without_their_numbers(site):
    """A site as of a day shows no value dated after it (SPEC §6): a commit's line names such a value's
    day, not its number, so that it does not contradict the page's latest value; from that day on, as any."""
    path = "content/kpis/mrr.md"
    base = {"title": "Monthly recurring revenue", "owner": "company", "unit": "USD", "target": 50000}
    rows = lambda *pairs: dict(base, values=[{"date": date(2026, 10, d), "value": v} for d, v in pairs])  # noqa: E731
    kr = dict(objective()["key_results"][0], unit="customers")
    versions = (Version(commit(1), path, rows((1, 40000))), Version(commit(2), path, rows((1, 40000), (2, 41000), (20, 48000), (25, 49000))))
    checked_in = (Version(commit(1), OBJ, objective(key_results=[kr])),
                  Version(commit(3), OBJ, objective(key_results=[dict(kr, history=[{"date": date(2026, 10, 30), "value": 1200}])])))
    history = History({path: FileHistory(path, versions), OBJ: FileHistory(OBJ, checked_in)}, (),
                      tuple(sorted((*versions, *checked_in), key=lambda v: v.commit.when, reverse=True)[i].commit for i in range(4)), False, None, "", "")

    def said(as_of: date) -> list[list[str]]:
        return [[i.text for i in c.items] for c in recent_changes(history, site, as_of)][:2]

    assert said(date(2026, 10, 10)) == [
        ["Reach 1300 customers (KR 1): a check-in for 2026-10-30 (shown from that day)"],
        ["Monthly recurring revenue: 41,000 USD on 2026-10-02", "Monthly recurring revenue: 2 values for 2026-10-20 to 2026-10-25 (shown from those days)"],
    ]
    assert said(date(2026, 10, 22))[1] == ["Monthly recurring revenue: 2 new values, latest 48,000 USD on 2026-10-20",
                                           "Monthly recurring revenue: a value for 2026-10-25 (shown from that day)"]
    assert said(date(2026, 11, 1)) == [["Reach 1300 customers (KR 1): check-in 1,200 customers (2026-10-30)"],
                                       ["Monthly recurring revenue: 3 new values, latest 49,000 USD on 2026-10-25"]]
    key = lambda as_of: PageChanges(history, site, as_of).key("kpis/mrr/")  # noqa: E731
    assert key(date(2026, 10, 10)) == key(date(2026, 10, 19)) != key(date(2026, 10, 20)) == key(date(2026, 10, 24)) != key(date(2026, 10, 25))


def test_a_new_parent_is_named_by_its_title_today(base_site):
    """As the pages name it: by its title (with its period where two objectives share it), not its
    id; an id the site no longer has is said as written."""
    parent = "---\ntitle: Win the market\nperiod: {period}\nowner: company\nkey_results:\n  - title: Lead\n    done: false\n---\n"
    write_files(base_site, {"content/objectives/win-q4.md": parent.format(period="2026-Q4"),
                            "content/objectives/win-q3.md": parent.format(period="2026-Q3")})
    loaded = load_site(base_site)
    assert not loaded.report.errors, loaded.report.errors
    write_files(base_site, {"content/objectives/2026.md": "---\ntitle: The year\nperiod: '2026'\nowner: company\nkey_results:\n  - title: Lead\n    done: false\n---\n"})
    loaded = load_site(base_site)
    history = history_of({OBJ: [(0, objective()), (1, objective(parent="win-q4")), (2, objective(parent="win-q3")),
                                (3, objective(parent="win-q3 ")), (4, objective(parent=2026)), (5, objective(parent="left-long-ago")), (6, objective())]})
    assert changes(loaded.site, history, public=False)[1:] == [
        ("commit 1", ["Grow the customer base: now aligned to “Win the market” (2026-Q4)"]),
        ("commit 2", ["Grow the customer base: now aligned to “Win the market” (2026-Q3)"]),
        ("commit 3", ["Grow the customer base: details edited"]),  # the same parent, written with a space after it
        ("commit 4", ["Grow the customer base: now aligned to “The year”"]),  # `parent: 2026` is the id '2026'
        ("commit 5", ["Grow the customer base: now aligned to left-long-ago"]),
        ("commit 6", ["Grow the customer base: no longer aligned to left-long-ago"]),
    ]


def test_a_link_to_a_private_objective_in_a_commit_message_names_no_id(secret_site):
    """`okrsite checkin --commit` writes "Check-in: <the key result's title as written> 10 → 20": a
    title with `[[secret]]` put the private objective's id on the public Changes page, the feed and
    the objective's Recent changes, while the item beside it said "a private objective"."""
    kr = objective()["key_results"][0]
    history = history_of({OBJ: [(0, objective(key_results=[dict(kr, title="Onboard [[secret]]")])),
                                (1, objective(key_results=[dict(kr, title="Onboard [[secret]]", current=1200)]))]})
    told = replace(history.files[OBJ].versions[1].commit, subject="Check-in: Onboard [[secret]] 1120 → 1200", body="with [[secret|the deal]]")
    versions = (history.files[OBJ].versions[0], replace(history.files[OBJ].versions[1], commit=told))
    history = replace(history, files={OBJ: FileHistory(OBJ, versions)}, commits=(told, history.commits[1]))
    public = recent_changes(history, secret_site, date(2026, 12, 31), public=True)
    assert public[0].commit.subject == "Check-in: Onboard a private objective 1120 → 1200" and public[0].commit.body == "with a private objective"
    url = secret_site.objectives["grow-customer-base"].url
    (page,) = PageChanges(history, secret_site, date(2026, 12, 31), public=True).of(url)[:1]
    assert page.commit.subject == "Check-in: Onboard a private objective 1120 → 1200"
    assert recent_changes(history, secret_site, date(2026, 12, 31))[0].commit.subject == told.subject  # the internal site as written


def test_a_key_result_measured_anew_says_its_unit_changed_and_each_number_in_its_own(site):
    """QA BB: "5.5% → 0.055%", "start 12% → 0.12%": the numbers before a change of unit were said in
    the new one. The change of unit is said, and each number in the unit it was written in."""
    kr = {"title": "Cut query timeouts", "start": 12, "target": 3, "current": 5.5, "unit": "per 10k queries"}
    assert texts(site, [
        (OBJ, objective(key_results=[kr])),
        (OBJ, objective(key_results=[dict(kr, start=0.12, target=0.03, current=0.055, unit="%")])),
        (OBJ, objective(key_results=[dict(kr, start=0.12, target=0.03, current=0.055, unit="% of queries")])),
    ])[1:] == [
        ["Cut query timeouts (KR 1): unit per 10k queries → %", "Cut query timeouts (KR 1): 5.5 per 10k queries → 0.055%",
         "Cut query timeouts (KR 1): start 12 per 10k queries → 0.12%", "Cut query timeouts (KR 1): target 3 per 10k queries → 0.03%"],
        ["Grow the customer base: details edited"],
    ]


def test_a_child_re_aligned_to_its_parent_s_new_id_is_not_said_aligned_anew(base_site):
    """QA BB: a parent's file renamed (its id with it) and its children's `parent:` updated in the same
    commit said "now aligned to “…”" for every child, to the very same objective."""
    write_files(base_site, {"content/objectives/faster.md": "---\ntitle: Faster dashboards\nperiod: 2026-Q4\nowner: company\n---\n",
                            "content/objectives/child.md": "---\ntitle: Child\nperiod: 2026-Q4\nowner: company\nparent: faster\n"
                                                           "key_results:\n  - title: a\n    done: false\n---\n"})
    site = load_site(base_site).site
    parent = {"title": "Faster dashboards", "period": "2026-Q4", "owner": "company"}
    child = {"title": "Child", "period": "2026-Q4", "owner": "company", "key_results": [{"title": "a", "done": False}]}
    c1, c2 = commit(1), commit(2)
    files = {
        "content/objectives/faster.md": FileHistory("content/objectives/faster.md", (
            Version(c1, "content/objectives/halve-load.md", parent), Version(c2, "content/objectives/faster.md", parent))),
        "content/objectives/child.md": FileHistory("content/objectives/child.md", (
            Version(c1, "content/objectives/child.md", dict(child, parent="halve-load")), Version(c2, "content/objectives/child.md", dict(child, parent="faster")))),
    }
    history = History(files, (), (c2, c1), False, DAY0.date(), "", "0" * 40)
    said = [item.text for change in recent_changes(history, site, date(2026, 12, 31)) for item in change.items]
    assert not any("now aligned" in text for text in said), said
    assert "Faster dashboards: moved to content/objectives/faster.md" in said


def test_a_rolling_window_export_drops_its_oldest_value_kept_from_the_history(site):
    """QA DR: a two-month export moving on a month read "1 value removed" beside a values table that
    keeps the dropped month; a removal that is no such move is still a removal."""
    path = "content/kpis/mrr.md"
    base = {"title": "Monthly recurring revenue", "owner": "company", "unit": "USD", "target": 50000}
    rows = lambda *pairs: dict(base, values=[{"date": date(2026, m, d), "value": v} for m, d, v in pairs])  # noqa: E731
    versions = tuple(Version(commit(n), path, data) for n, data in enumerate([
        rows((9, 30, 95), (10, 31, 100)), rows((10, 31, 100), (11, 30, 110)), rows((11, 30, 110)),
    ]))
    history = History({path: FileHistory(path, versions)}, (), tuple(v.commit for v in reversed(versions)), False, None, "", "")
    said = [[i.text for i in c.items] for c in reversed(recent_changes(history, site, date(2026, 12, 31)))]
    assert said[1:] == [
        ["Monthly recurring revenue: 110 USD on 2026-11-30",
         "Monthly recurring revenue: 1 value of 2026-09-30 no longer in the file, kept from the history"],
        ["Monthly recurring revenue: 1 value removed"],
    ]


def test_a_lines_titles_and_names_are_told_apart_from_okrsite_s_words(site):
    """QA DV F1: a page marks okrsite's words in a change's line English and the titles and owners in it
    in the site's language; the line's text (the feed's, the digest's) is the same."""
    kr = objective()["key_results"][0]
    changes = change_items(site, [
        (OBJ, objective()),
        (OBJ, objective(owner="Dana Cohen", key_results=[dict(kr, current=1180)])),
        (OBJ, objective(title="להגדיל", owner="Dana Cohen", key_results=[dict(kr, current=1180, title="לקוחות")])),
    ])
    assert changes[0][0].parts() == [("New objective: ", False), ("Grow the customer base", True), (" (2026-Q4)", False)]
    assert [item.parts(full=True) for item in changes[1]] == [
        [("Grow the customer base", True), (": owner ", False), ("Company", True), (" → ", False), ("Dana Cohen", True)],
        [("Grow the customer base", True), (" › ", False), ("Reach 1300 customers", True), (" (KR 1): 1,120 → 1,180", False)],
    ]
    assert [item.parts() for item in changes[2]] == [
        [("Grow the customer base", True), (" renamed to “", False), ("להגדיל", True), ("”", False)],
        [("Reach 1300 customers", True), (" (KR 1) renamed to “", False), ("לקוחות", True), ("”", False)],
    ]
    for item in (item for change in changes for item in change):
        assert "".join(text for text, _ in item.parts(full=True)) == item.full


LATENCY, LATENCY_CSV = "content/kpis/latency.md", "data/latency.csv"


@pytest.fixture
def latency_site(base_site):
    write_files(base_site, {
        LATENCY: "---\ntitle: p95 latency\nowner: company\nunit: s\ndirection: down\ntarget: 0.8\nthreshold: 1.2\nsource: APM\ndata: data/latency.csv\n---\n",
        LATENCY_CSV: "date,value\n2026-10-05,900\n2026-10-12,850\n2026-10-19,0.86\n",
    })
    loaded = load_site(base_site)
    assert not loaded.report.errors, loaded.report.errors
    return loaded.site


def test_a_kpi_measured_anew_says_its_unit_changed_and_each_number_in_its_own(latency_site):
    """QA EE: a KPI switched from ms to s read "target 800 → 0.8 s" (a thousandfold cut), its values
    before the switch "850 s", and a key result following it re-expressed "start 1,000 → 1 s"."""
    kpi = {"title": "p95 latency", "owner": "company", "unit": "ms", "direction": "down", "target": 800, "threshold": 1200, "data": LATENCY_CSV}
    linked = {"title": "p95 under 800 ms", "kpi": "latency", "start": 1000, "target": 800}
    in_ms = (("2026-10-05", "900"), ("2026-10-12", "850"))
    history = history_of({
        LATENCY: [(0, kpi), (2, dict(kpi, unit="s", target=0.8, threshold=1.2))],
        LATENCY_CSV: [(0, in_ms[:1]), (1, in_ms), (2, (*in_ms, ("2026-10-19", "0.86"))), (4, (("2026-10-05", "0.9"), *in_ms[1:], ("2026-10-19", "0.86")))],
        OBJ: [(0, objective(key_results=[linked])), (3, objective(key_results=[dict(linked, start=1, target=0.8)]))],
    })
    assert changes(latency_site, history, public=False)[1:] == [
        ("commit 1", ["p95 latency: 850 ms on 2026-10-12"]),
        ("commit 2", ["p95 latency: unit ms → s", "p95 latency: target 800 ms → 0.8 s", "p95 latency: threshold 1,200 ms → 1.2 s",
                      "p95 latency: 0.86 s on 2026-10-19"]),
        ("commit 3", ["Grow the customer base › p95 under 800 ms (KR 1): start 1,000 ms → 1 s",
                      "Grow the customer base › p95 under 800 ms (KR 1): target 800 ms → 0.8 s"]),
        ("commit 4", ["p95 latency: value of 2026-10-05 corrected 900 → 0.9 s"]),
    ]


def test_a_line_knows_its_titles_and_names_as_it_is_made_whatever_a_past_version_holds(site):
    """Design debt (forty-first round): a line marked its goal text with two control characters (U+001D,
    U+001C) and read it back out; a status or an owner a past version wrote holding them (a YAML escape)
    made okrsite's words goal text, or cut an owner's name. The line is made of its runs (changes.Line)."""
    changes = change_items(site, [
        (OBJ, objective()),
        (OBJ, objective(status="on\x1dtrack", owner="Dana\x1c Cohen")),
    ])
    assert [item.parts() for item in changes[1]] == [
        [("Grow the customer base", True), (": status set to ontrack", False)],
        [("Grow the customer base", True), (": owner ", False), ("Company", True), (" → ", False), ("Dana Cohen", True)],
    ]


def kpi_text(values: str, body: str, retired: str = "") -> str:
    return f"---\ntitle: Partner leads\nowner: company\ntarget: 60\n{retired}values:\n{values}---\n{body}"


def kpi_versions(site, texts_written: list[str]) -> list[list[str]]:
    """What each commit (oldest first) of the KPI file's ``texts_written`` is said to have changed."""
    from okrsite.git.history import reading_of
    from okrsite.goals.load import front_data, split_front_matter

    path = "content/kpis/pl.md"
    versions = tuple(Version(commit(n), path, front_data(split_front_matter(text)[0]), reads_as=reading_of(text)) for n, text in enumerate(texts_written))
    history = History({path: FileHistory(path, versions)}, (), tuple(v.commit for v in reversed(versions)), False, None, "", "")
    return [[i.text for i in c.items] for c in reversed(recent_changes(history, site, date(2026, 12, 31)))]


def test_a_commit_that_edits_the_text_and_adds_a_value_lists_both(site):
    """QA EE: a KPI revived in one commit (new text, and its first new value) was listed with the value
    alone, "description edited" dropped: each thing a commit changed is listed (docs/history.md)."""
    first = "  - {date: 2025-08-31, value: 61}\n"
    second = first + "  - {date: 2026-08-31, value: 20}\n"
    third = second + "  - {date: 2026-09-30, value: 25}\n"
    assert kpi_versions(site, [kpi_text(first, "Partner-sourced leads.\n"), kpi_text(first, "Retired in 2025-Q4.\n"),
                               kpi_text(second, "Revived in 2026-Q3.\n"), kpi_text(third, "Revived in 2026-Q3.\n\n")]) == [
        ["New KPI: Partner leads"],
        ["Partner leads: description edited"],
        ["Partner leads: 20 on 2026-08-31", "Partner leads: description edited"],
        ["Partner leads: 25 on 2026-09-30"],  # a blank line more at the end changes nothing the page shows
    ]


def test_an_objective_s_check_in_with_its_text_edited_lists_both(site):
    from okrsite.git.history import reading_of

    kr = objective()["key_results"][0]
    pairs = [(objective(), "Why it matters.\n"), (objective(key_results=[dict(kr, current=1180)]), "Why it matters most.\n"),
             (objective(key_results=[dict(kr, current=1180)], kind="aspirational"), "Why it matters at all.\n")]
    versions = tuple(Version(commit(n), OBJ, data, reads_as=reading_of(f"---\n{data}\n---\n{body}")) for n, (data, body) in enumerate(pairs))
    history = History({OBJ: FileHistory(OBJ, versions)}, (), tuple(v.commit for v in reversed(versions)), False, DAY0.date(), "", "0" * 40)
    assert [[i.text for i in c.items] for c in reversed(recent_changes(history, site, date(2026, 12, 31)))][1:] == [
        ["Reach 1300 customers (KR 1): 1,120 → 1,180", "Grow the customer base: description edited"],
        ["Grow the customer base: kind set to aspirational", "Grow the customer base: description edited"],
    ]


def test_retiring_a_kpi_and_measuring_it_again_are_said_in_words(site):
    values = "  - {date: 2025-08-31, value: 61}\n"
    assert kpi_versions(site, [kpi_text(values, "Leads.\n"), kpi_text(values, "Leads.\n", "retired: 2025-10-03\n"),
                               kpi_text(values, "Leads.\n", "retired: 2025-10-01\n"), kpi_text(values, "Leads.\n")])[1:] == [
        ["Partner leads: retired on 2025-10-03"], ["Partner leads: retired on 2025-10-01 (was 2025-10-03)"],
        ["Partner leads: measured again (was retired on 2025-10-01)"]]


def test_a_commit_lists_each_kpi_s_lines_together_its_csv_value_too(secret_site, base_site):
    """QA EH: a commit that changed a KPI's file and its CSV file, and another KPI between them, listed
    the first KPI's value after the other KPI's lines."""
    write_files(base_site, {"content/kpis/nps.md": "---\ntitle: NPS\nowner: company\ntarget: 40\nsource: Survey\nvalues:\n  - {date: 2026-09-30, value: 31}\n---\n"})
    site = load_site(base_site).site
    mrr = {"title": "Monthly recurring revenue", "owner": "company", "target": 50000, "data": "data/mrr.csv"}
    nps = {"title": "NPS", "owner": "company", "target": 40, "values": [{"date": "2026-09-30", "value": 31}]}
    history = history_of({
        KPI_FILE: [(0, mrr), (1, dict(mrr, target=52000))],
        "content/kpis/nps.md": [(0, nps), (1, dict(nps, target=45))],
        CSV_FILE: [(0, (("2026-09-30", "44100"),)), (1, (("2026-09-30", "44100"), ("2026-10-31", "46500")))],
    })
    assert changes(site, history, public=False)[1] == ("commit 1", [
        "Monthly recurring revenue: target 50,000 → 52,000", "Monthly recurring revenue: 46,500 on 2026-10-31", "NPS: target 40 → 45"])
