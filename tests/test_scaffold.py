"""`okrsite new` and `okrsite init` (SPEC §8): each writes valid files and never overwrites anything."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

from okrsite.goals.formats import clean_text
from okrsite.build import build, check, check_site
from okrsite.digest.model import make_digest
from okrsite.goals.repository import load_site
from okrsite.cli import main
from okrsite.goals.model import bare_slug, slugify
from okrsite.numbers.compute import FREQUENCY_DAYS
from okrsite.scaffold import ScaffoldError, init_site, new_file

from .conftest import REPO, goals_files_read, okrsite_bound_by_permissions, read_once_each
from .gitrepo import GitRepo, needs_git

TODAY = date(2026, 11, 23)


def write_files(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def tiny_site(root: Path, extra: dict[str, str] | None = None) -> Path:
    """okrsite.toml with a title, one top-level team (company) and one objective (first)."""
    return write_files(root, {
        "okrsite.toml": 'title = "Tiny goals"\n',
        "content/teams/company.md": "---\ntitle: Company\nlead: Alex Morgan\n---\nThe whole company.\n",
        "content/objectives/first.md": (
            "---\ntitle: First objective\nperiod: 2026-Q4\nowner: company\n"
            "key_results:\n  - title: Something measurable\n    target: 10\n    current: 4\n---\nWhy.\n"
        ),
        **(extra or {}),
    })


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return tiny_site(tmp_path / "site")


def problems(report) -> list[tuple]:
    return [(d.severity, d.file, d.line, d.message) for d in report.items]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fill_in(root: Path) -> None:
    """What an author does after `okrsite new`: the placeholders it wrote replaced by their own words."""
    from okrsite.goals.parse import PLACEHOLDER_KR_TITLE, PLACEHOLDER_SOURCE, PLACEHOLDER_TEXT

    for path in (root / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for placeholder in (PLACEHOLDER_KR_TITLE, PLACEHOLDER_SOURCE, *PLACEHOLDER_TEXT.values()):
            text = text.replace(placeholder, "Written by its author")
        path.write_text(text, encoding="utf-8")


def assert_builds_strictly(root: Path, tmp_path: Path, as_of: date = TODAY) -> dict:
    """Filled in, the site loads without any diagnostic and builds under --strict; returns okrs.json."""
    fill_in(root)
    loaded = load_site(root, as_of)
    assert loaded.report.errors == [], problems(loaded.report)
    out = tmp_path / "out"
    result = build(root, out, as_of=as_of, strict=True)
    assert result.ok, problems(result.report)
    assert result.report.warnings == [], problems(result.report)
    return json.loads((out / "okrs.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- new objective


@pytest.mark.parametrize("kind, title, name", [("objective", "Con", "content/objectives/con-objective.md"), ("team", "Aux", "content/teams/aux-team.md")])
def test_new_names_no_file_as_windows_reserves_a_device(site, kind, title, name):
    """QA DC 9: `okrsite new objective "Con"` wrote con.md, which the next check warns of: the kind is added as a word."""
    path = new_file(site, kind, title, as_of=TODAY)
    assert path == site / name
    assert not [d for d in check_site(site, as_of=TODAY).report.warnings if "Windows" in d.message]


def test_new_objective_is_valid_and_strict_build_accepts_it(site, tmp_path):
    path = new_file(site, "objective", "Grow revenue", as_of=TODAY)
    assert path == site / "content" / "objectives" / "grow-revenue.md"
    assert path.is_file()
    data = assert_builds_strictly(site, tmp_path)
    objective = next(o for o in data["objectives"] if o["id"] == "grow-revenue")
    assert objective["title"] == "Grow revenue"
    assert objective["owner"] == "company"  # the single top-level team
    assert objective["period"] == "2026-Q4"  # this quarter on TODAY
    assert objective["parent"] is None
    assert objective["key_results"], "a new objective has a key result to fill in"


def test_new_objective_named_with_letters_that_do_not_decompose_keeps_them_in_its_file_name(site, tmp_path):
    """'Straße für Łódź' was written to stra-fur-odz.md: ß and ł were dropped."""
    path = new_file(site, "objective", "Straße für Łódź", as_of=TODAY)
    assert path == site / "content" / "objectives" / "strasse-fur-lodz.md"
    assert any(o["id"] == "strasse-fur-lodz" for o in assert_builds_strictly(site, tmp_path)["objectives"])


def test_new_objective_with_owner_period_and_parent(site, tmp_path):
    new_file(site, "objective", "Win the enterprise segment", owner="company", period="2026-Q4", parent="first", as_of=TODAY)
    data = assert_builds_strictly(site, tmp_path)
    objective = next(o for o in data["objectives"] if o["id"] == "win-the-enterprise-segment")
    assert objective["parent"] == "first"
    first = next(o for o in data["objectives"] if o["id"] == "first")
    assert "win-the-enterprise-segment" in first["children"]


def test_new_objective_uses_default_period_setting(tmp_path):
    root = tiny_site(tmp_path / "site", {"okrsite.toml": 'title = "Tiny"\ndefault_period = "2026-H2"\n'})
    path = new_file(root, "objective", "Half-year goal", as_of=TODAY)
    loaded = load_site(root, TODAY)
    assert loaded.report.errors == [], problems(loaded.report)
    assert loaded.site.objectives["half-year-goal"].period.id == "2026-H2"
    assert "2026-H2" in path.read_text(encoding="utf-8")


def test_new_objective_takes_the_period_of_the_site_s_as_of_date_not_of_the_real_today(tmp_path):
    """`okrsite new objective` picked the quarter of the real today, while the build shows the site as
    of its `as_of` setting: on a site kept as of 2026-11-23, a new objective went into whatever
    quarter the computer's clock said, not 2026-Q4. It takes the as-of date the build uses now, and
    `--as-of`, as build, check and serve have."""
    root = tiny_site(tmp_path / "site", {"okrsite.toml": 'title = "Tiny"\nas_of = 2026-05-02\n'})
    new_file(root, "objective", "As of the setting")
    assert load_site(root).site.objectives["as-of-the-setting"].period.id == "2026-Q2"
    assert main(["new", "objective", "As of the option", "--site", str(root), "--as-of", "2027-01-12"]) == 0
    assert load_site(root).site.objectives["as-of-the-option"].period.id == "2027-Q1"
    fiscal = 'title = "Tiny"\nas_of = 2026-05-02\n[periods.FY27-Q2]\nstart = 2026-05-01\nend = 2026-07-31\n'
    (root / "okrsite.toml").write_text(fiscal, encoding="utf-8")
    (root / "content/objectives/as-of-the-setting.md").unlink()  # else 2026-Q2, of an objective, is current (SPEC §6), and taken
    assert main(["new", "objective", "Fiscal as of the setting", "--site", str(root)]) == 0
    assert load_site(root).site.objectives["fiscal-as-of-the-setting"].period.id == "FY27-Q2"


def test_new_objective_on_a_fiscal_calendar_takes_the_fiscal_quarter_and_the_default_kind(tmp_path):
    """Without default_period, and no objective of a period running today, the shortest named period
    running today (the fiscal quarter, not its year, nor the calendar's 2026-Q4), and the site's
    default_kind rather than 'committed'."""
    fiscal = ('title = "Tiny"\ndefault_kind = "aspirational"\n[periods.FY27]\nstart = 2026-02-01\nend = 2027-01-31\n'
              '[periods.FY27-Q4]\nstart = 2026-11-01\nend = 2027-01-31\n')
    root = tiny_site(tmp_path / "site", {"okrsite.toml": fiscal})
    (root / "content/objectives/first.md").unlink()  # of 2026-Q4, which it would make current (SPEC §6), and taken
    new_file(root, "objective", "Fiscal goal", as_of=TODAY)
    objective = load_site(root, TODAY).site.objectives["fiscal-goal"]
    assert (objective.period.id, objective.kind) == ("FY27-Q4", "aspirational")
    (root / "okrsite.toml").write_text(fiscal.replace("\n[", '\ncurrent_period = "FY27"\n[', 1), encoding="utf-8")
    new_file(root, "objective", "Year goal", as_of=TODAY)
    assert load_site(root, TODAY).site.objectives["year-goal"].period.id == "FY27"


def test_new_objective_takes_the_period_the_home_page_calls_current_not_a_one_day_named_one(tmp_path):
    """QA EP: a one-day named period (LAUNCH-DAY) running on the as-of date took the new objective,
    though the home page calls 2026-Q4, of the most objectives, current (SPEC §6)."""
    root = tiny_site(tmp_path / "site", {
        "okrsite.toml": 'title = "Tiny"\nas_of = 2026-11-23\n[periods.LAUNCH-DAY]\nstart = 2026-11-23\nend = 2026-11-23\n',
        "content/objectives/launch.md": "---\ntitle: Launch\nperiod: LAUNCH-DAY\nowner: company\nkey_results: [{title: a, done: false}]\n---\n",
        "content/objectives/second.md": "---\ntitle: Second\nperiod: 2026-Q4\nowner: company\nkey_results: [{title: a, done: false}]\n---\n"})
    new_file(root, "objective", "Next thing")
    assert load_site(root).site.objectives["next-thing"].period.id == "2026-Q4"


def test_new_objective_in_a_period_ending_within_days_says_so_and_names_the_next(tmp_path, capsys):
    """QA EQ: written on 28 December, the objective joined 2026-Q4 without a word, to start at 0 % and
    lower the quarter's grades on its review three days later."""
    root = tiny_site(tmp_path / "site")
    assert main(["new", "objective", "Open a Lisbon office", "--site", str(root), "--as-of", "2026-12-28"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "  note: 2026-Q4 ends on 2026-12-31, in 3 days: the new objective joins its grades; "
        "for the next one, remove the file and run new again with --period 2027-Q1")
    assert main(["new", "objective", "Plan early", "--site", str(root), "--as-of", "2026-12-20"]) == 0
    assert "note:" not in capsys.readouterr().out
    assert main(["new", "objective", "Chosen", "--site", str(root), "--as-of", "2026-12-28", "--period", "2026-Q4"]) == 0
    assert "note:" not in capsys.readouterr().out


def test_the_next_period_a_note_names_is_the_one_okrsite_toml_names(tmp_path, capsys):
    """QA FJ 1: with [periods.FY27-Q1] starting the day after 2026-Q3 ends, the note said to run new
    again with --period 2026-Q4, the calendar quarter beside it, as the review did."""
    root = tiny_site(tmp_path / "site", {
        "okrsite.toml": 'title = "Tiny"\n[periods.FY27-Q1]\nstart = 2026-10-01\nend = 2026-12-26\n',
        "content/objectives/first.md": "---\ntitle: First\nperiod: 2026-Q3\nowner: company\nkey_results: [{title: a, done: false}]\n---\n"})
    assert main(["new", "objective", "Next thing", "--site", str(root), "--as-of", "2026-09-26"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "  note: 2026-Q3 ends on 2026-09-30, in 4 days: the new objective joins its grades; "
        "for the next one, remove the file and run new again with --period FY27-Q1")


FISCAL_TOML = ('title = "Tiny"\n[periods.FY27]\nstart = 2026-10-01\nend = 2027-09-25\n'
               '[periods.FY27-Q1]\nstart = 2026-10-01\nend = 2026-12-26\n[periods.FY27-Q2]\nstart = 2026-12-27\nend = 2027-03-27\n')


@pytest.mark.parametrize(("period", "as_of", "note"), [
    ("2026", "2026-10-01", "written for 2026, the period with the most objectives today; FY27-Q1 runs today too: give --period FY27-Q1 for it"),
    ("FY27", "2026-12-28", "written for FY27, the period with the most objectives today; FY27-Q2 runs today too: give --period FY27-Q2 for it"),
])
def test_a_new_objective_of_the_fullest_period_names_a_shorter_one_okrsite_toml_names(tmp_path, capsys, period, as_of, note):
    """QA FJ 5: written as of a day a named fiscal quarter runs, still without objectives, the new
    objective took the period of the most objectives (SPEC §6: the year 2026, or the fiscal year FY27)
    without a word. The default stays; a note names the --period of the quarter."""
    root = tiny_site(tmp_path / "site", {
        "okrsite.toml": FISCAL_TOML,
        "content/objectives/first.md": f"---\ntitle: First\nperiod: \"{period}\"\nowner: company\nkey_results: [{{title: a, done: false}}]\n---\n"})
    assert main(["new", "objective", "Q thing", "--owner", "company", "--site", str(root), "--as-of", as_of]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [f"  note: {note}"]
    assert load_site(root).site.objectives["q-thing"].period.id == period
    assert main(["new", "objective", "Chosen", "--site", str(root), "--as-of", as_of, "--period", period]) == 0
    assert "note:" not in capsys.readouterr().out


def test_a_new_child_of_its_parent_s_period_names_a_shorter_one_within_it(tmp_path, capsys):
    """Without --period a child takes its parent's period when the default (2026, of the most
    objectives) lies outside it; the quarter the note names lies within the parent's."""
    objective = "---\ntitle: {0}\nperiod: \"{1}\"\nowner: company\nkey_results: [{{title: a, done: false}}]\n---\n"
    root = tiny_site(tmp_path / "site", {
        "okrsite.toml": FISCAL_TOML,
        "content/objectives/first.md": objective.format("First", "2026"),
        "content/objectives/second.md": objective.format("Second", "2026"),
        "content/objectives/company-fy27.md": objective.format("Company", "FY27")})
    assert main(["new", "objective", "Q thing", "--parent", "company-fy27", "--site", str(root), "--as-of", "2026-12-28"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  note: written for FY27, the period of its parent 'company-fy27'; FY27-Q2 runs today too: give --period FY27-Q2 for it"]


def test_no_shorter_period_note_when_the_objective_took_the_shortest_running_or_okrsite_toml_s_default(tmp_path, capsys):
    root = tiny_site(tmp_path / "site", {
        "okrsite.toml": FISCAL_TOML,
        "content/objectives/first.md": "---\ntitle: First\nperiod: FY27-Q1\nowner: company\nkey_results: [{title: a, done: false}]\n---\n"})
    assert main(["new", "objective", "Quarter thing", "--site", str(root), "--as-of", "2026-10-01"]) == 0
    assert "note:" not in capsys.readouterr().out
    write_files(root, {"okrsite.toml": FISCAL_TOML.replace('title = "Tiny"\n', 'title = "Tiny"\ndefault_period = "FY27"\n')})
    assert main(["new", "objective", "Year thing", "--site", str(root), "--as-of", "2026-10-01"]) == 0
    assert "note:" not in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["objective", "team"])
def test_a_person_written_another_way_is_refused_with_the_spelling_in_use(site, kind):
    """'Alex morgan' would share people/alex-morgan/ with 'Alex Morgan', which check refuses."""
    before = snapshot(site)
    with pytest.raises(ScaffoldError) as info:
        new_file(site, kind, "Spelt otherwise", owner="Alex morgan", as_of=TODAY)
    assert info.value.message == "'Alex morgan' is written 'Alex Morgan' in content/teams/company.md:3"
    assert info.value.hint.startswith('write --owner "Alex Morgan"')
    assert snapshot(site) == before


def test_new_objective_normalises_the_period(site):
    new_file(site, "objective", "Lowercase period", period="2026-q3", as_of=TODAY)
    loaded = load_site(site, TODAY)
    assert loaded.report.errors == [], problems(loaded.report)
    assert loaded.site.objectives["lowercase-period"].period.id == "2026-Q3"


@pytest.mark.parametrize("period", ["2026-Q9", "2026-13", "Q4", "next quarter", "1800"])
def test_new_objective_refuses_an_unknown_period(site, period):
    before = snapshot(site)
    with pytest.raises(ScaffoldError) as info:
        new_file(site, "objective", "Bad period", period=period, as_of=TODAY)
    assert info.value.message and info.value.hint
    assert snapshot(site) == before, "nothing is written for a refused period"


def test_new_objective_title_with_yaml_special_characters(site, tmp_path):
    title = 'Grow "revenue": 50% #1 & more - [really] {yes} *now* | > !tag \\ \'quoted\''
    new_file(site, "objective", title, as_of=TODAY)
    data = assert_builds_strictly(site, tmp_path)
    assert title in [o["title"] for o in data["objectives"]]


def test_new_objective_writes_no_current_so_its_key_result_has_no_number_yet(site):
    """`current: 0` made the commit adding the file a check-in at the start value (see below)."""
    text = new_file(site, "objective", "Grow revenue", as_of=TODAY).read_text(encoding="utf-8")
    assert "current:" not in text and "    start: 0\n    target: 100\n" in text


@needs_git
def test_a_new_objective_is_no_forecast_miss_in_the_digest_of_the_week_it_was_added(tmp_path):
    """The commit adding the file of `okrsite new` was a check-in of `current: 0`: a flat "straight
    line through 1 check-in" forecast of 0 %, listed under "Forecasts that now miss" on its first day,
    while a follower of carry-over (no `current:`) rightly had no trend yet."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": 'title = "R1"\nas_of = 2027-01-10\n', "content/teams/acme.md": "---\ntitle: Acme\n---\n"}, "2026-12-01T10:00:00+00:00")
    path = new_file(repo.root, "objective", "Open a Lisbon office", owner="acme")
    repo.commit({}, "2027-01-08T10:00:00+00:00")
    digest = make_digest(repo.root, "7d", date(2027, 1, 10)).digest
    assert [s.objective.id for s in digest.status_changes] == ["open-a-lisbon-office"]
    assert digest.forecast_misses == ()
    [kr] = check_site(repo.root).scores.objectives["open-a-lisbon-office"].key_results
    assert kr.history == () and (kr.forecast is None or kr.forecast.checkins == 0)
    assert path.parent == repo.root / "content" / "objectives"


def period_folders(root: Path, *folders: str) -> Path:
    """The tiny site with its objective moved into content/objectives/<folder>/, one per period."""
    objective = (root / "content/objectives/first.md").read_text(encoding="utf-8")
    (root / "content/objectives/first.md").unlink()
    for n, folder in enumerate(folders):
        write_files(root, {f"content/objectives/{folder}/first-{n}.md": objective.replace("First objective", f"First {n}").replace("2026-Q4", folder.upper())})
    return root


@pytest.mark.parametrize("folders, period, expected", [
    (("2026-q4", "2027-q1"), "2027-Q1", "2027-q1"),
    (("2026-q4",), "2027-Q1", "2027-q1"),  # made as carry-over would make it
    (("2026-Q4",), "2027-Q1", "2027-Q1"),  # spelled as the others
    (("2026-q4", "2027-q1"), "2026-Q4", "2026-q4"),
], ids=["its-folder", "folder-made", "spelled-alike", "earlier-period"])
def test_new_objective_goes_into_its_period_s_folder_where_carry_over_puts_it(site, tmp_path, folders, period, expected):
    """With objectives in content/objectives/2026-q4/ and 2027-q1/ (the layout carry-over writes),
    `new` wrote content/objectives/open-a-lisbon-office.md."""
    period_folders(site, *folders)
    path = new_file(site, "objective", "Open a Lisbon office", period=period, as_of=TODAY)
    assert path == site / "content" / "objectives" / expected / "open-a-lisbon-office.md"
    assert load_site(site, TODAY).site.objectives["open-a-lisbon-office"].period.id == period
    assert_builds_strictly(site, tmp_path)


def test_new_objective_goes_into_the_period_folder_of_its_owner(site):
    """A folder per team, each with its periods: the owner's, as carry-over follows the old file."""
    write_files(site, {
        "content/teams/sales.md": "---\ntitle: Sales\nparent: company\n---\n",
        "content/objectives/company/2026-q4/first.md": (site / "content/objectives/first.md").read_text(encoding="utf-8"),
        "content/objectives/sales/2026-q4/sell.md": (
            "---\ntitle: Sell\nperiod: 2026-Q4\nowner: sales\nparent: first\n"
            "key_results:\n  - title: Something sold\n    target: 10\n---\n"),
    })
    (site / "content/objectives/first.md").unlink()
    path = new_file(site, "objective", "Sell more", owner="sales", parent="first", as_of=TODAY)
    assert path == site / "content/objectives/sales/2026-q4/sell-more.md"
    assert new_file(site, "objective", "Grow", period="2027-Q1", as_of=TODAY) == site / "content/objectives/company/2027-q1/grow.md"


def test_new_kpi_and_team_ignore_the_period_folders(site):
    period_folders(site, "2026-q4")
    assert new_file(site, "kpi", "Churn", as_of=TODAY) == site / "content/kpis/churn.md"
    assert new_file(site, "team", "Sales", as_of=TODAY) == site / "content/teams/sales.md"


# --------------------------------------------------------------------------- new kpi / team


def test_new_kpi_is_valid_with_unknown_health_and_no_warning(site, tmp_path):
    path = new_file(site, "kpi", "Net revenue retention", as_of=TODAY)
    assert path == site / "content" / "kpis" / "net-revenue-retention.md"
    data = assert_builds_strictly(site, tmp_path)
    kpi = next(k for k in data["kpis"] if k["id"] == "net-revenue-retention")
    assert kpi["title"] == "Net revenue retention"
    assert kpi["owner"] == "company"
    assert kpi["values"] == []
    assert kpi["current"] is None
    assert kpi["health"] == "unknown"
    assert kpi["stale"] is False


def test_new_team_with_parent_is_valid(site, tmp_path):
    path = new_file(site, "team", "Growth Marketing", parent="company", as_of=TODAY)
    assert path == site / "content" / "teams" / "growth-marketing.md"
    data = assert_builds_strictly(site, tmp_path)
    team = next(t for t in data["teams"] if t["id"] == "growth-marketing")
    assert team["title"] == "Growth Marketing"
    assert team["parent"] == "company"


def test_new_team_then_objective_owned_by_it(site, tmp_path):
    new_file(site, "team", "Sales", parent="company", as_of=TODAY)
    new_file(site, "objective", "Close bigger deals", owner="sales", parent="first", as_of=TODAY)
    data = assert_builds_strictly(site, tmp_path)
    assert next(o for o in data["objectives"] if o["id"] == "close-bigger-deals")["owner"] == "sales"


# --------------------------------------------------------------------------- never overwrite


@pytest.mark.parametrize("kind", ["objective", "kpi", "team"])
def test_same_title_twice_raises_and_keeps_the_first_file(site, kind):
    path = new_file(site, kind, "Same title", as_of=TODAY)
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited by hand.\n", encoding="utf-8")
    first_bytes = path.read_bytes()
    before = snapshot(site)
    with pytest.raises(ScaffoldError) as info:
        new_file(site, kind, "Same title", as_of=TODAY)
    assert "same-title" in info.value.message
    assert info.value.hint
    assert path.read_bytes() == first_bytes
    assert snapshot(site) == before


def test_id_taken_by_another_kind_raises(site):
    before = snapshot(site)
    with pytest.raises(ScaffoldError):
        new_file(site, "kpi", "First", as_of=TODAY)  # 'first' is an objective's id
    with pytest.raises(ScaffoldError):
        new_file(site, "objective", "Company", as_of=TODAY)  # 'company' is a team's id
    assert snapshot(site) == before


def test_id_declared_with_an_id_key_is_taken_too(site):
    """Ids are unique across the site (SPEC §1): an explicit `id:` in another file counts."""
    write_files(site, {
        "content/objectives/revenue-2026.md": (
            "---\nid: grow-revenue\ntitle: Revenue\nperiod: 2026-Q4\nowner: company\n"
            "key_results:\n  - title: x\n    target: 1\n---\n"
        ),
    })
    assert load_site(site, TODAY).report.errors == []
    with pytest.raises(ScaffoldError):
        new_file(site, "objective", "Grow revenue", as_of=TODAY)
    assert load_site(site, TODAY).report.errors == []


def test_empty_title_is_refused(site):
    before = snapshot(site)
    with pytest.raises(ScaffoldError):
        new_file(site, "objective", "   ", as_of=TODAY)
    assert snapshot(site) == before


@pytest.mark.parametrize("kind", ["objective", "kpi", "team"])
@pytest.mark.parametrize("title", ["🚀🎉", "--", "!?", "— …"])
def test_a_title_with_no_letter_or_digit_is_refused_not_named_item(site, kind, title):
    """QA: `new kpi "🚀🎉"` wrote content/kpis/item.md, and the next such title clashed with it as
    'item' (docs/objectives.md: such a name gives no id). Now each is refused, saying why."""
    before = snapshot(site)
    for _ in range(2):
        with pytest.raises(ScaffoldError) as info:
            new_file(site, kind, title, owner="company", as_of=TODAY)
        assert info.value.message == f"the title '{title}' has no letter or digit to make a file name and id from"
        assert "give a title with letters or digits" in info.value.hint and "changed in the file afterwards" in info.value.hint
    assert snapshot(site) == before


def test_cli_new_with_a_title_of_signs_only_exits_1_and_writes_nothing(site, capsys):
    before = snapshot(site)
    assert main(["new", "kpi", "🚀🎉", "--owner", "company", "--site", str(site)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("okrsite new: error: the title '🚀🎉' has no letter or digit to make a file name and id from "
                   "(give a title with letters or digits (it names the file); the title can be changed in the file afterwards)\n")
    assert snapshot(site) == before


# --------------------------------------------------------------------------- owner


def test_no_owner_with_two_top_level_teams_is_refused(site):
    write_files(site, {"content/teams/board.md": "---\ntitle: Board\n---\n"})
    before = snapshot(site)
    for kind in ("objective", "kpi"):
        with pytest.raises(ScaffoldError) as info:
            new_file(site, kind, "Who owns this", as_of=TODAY)
        assert "--owner" in info.value.hint
    assert snapshot(site) == before


def test_no_owner_without_teams_is_refused(tmp_path):
    root = write_files(tmp_path / "site", {"okrsite.toml": 'title = "No teams"\n', "content/objectives/.keep": ""})
    with pytest.raises(ScaffoldError):
        new_file(root, "objective", "Orphan", as_of=TODAY)
    assert not (root / "content" / "objectives" / "orphan.md").exists()


def test_an_owner_loses_its_control_characters_as_a_title_does_and_none_left_is_refused(site):
    """`--owner $'bob\\e[2J'` wrote the escape sequence into the file (QA EO)."""
    path = new_file(site, "objective", "Own", owner="bob\x1b[2J", parent="first", as_of=TODAY)
    assert 'owner: "bob[2J"' in path.read_text()
    before = snapshot(site)
    for owner in ("", "\x1b"):
        with pytest.raises(ScaffoldError) as info:
            new_file(site, "objective", "Nobody's", owner=owner, as_of=TODAY)
        assert info.value.message == "the owner is empty"
    assert snapshot(site) == before


def test_sub_teams_do_not_count_as_top_level(site, tmp_path):
    write_files(site, {"content/teams/product.md": "---\ntitle: Product\nparent: company\n---\n"})
    new_file(site, "objective", "Still the company's", as_of=TODAY)
    loaded = load_site(site, TODAY)
    assert loaded.site.objectives["still-the-company-s"].owner == "company"


def test_person_owner(site, tmp_path):
    new_file(site, "objective", "Personal goal", owner="Jane Doe", parent="first", as_of=TODAY)
    data = assert_builds_strictly(site, tmp_path)
    assert "Jane Doe" in [p["name"] for p in data["people"]]


# --------------------------------------------------------------------------- references checked before writing


@pytest.mark.parametrize("kind,options,message,hint", [
    ("objective", {"parent": "firts"}, "unknown parent 'firts'", "did you mean 'first'?"),
    ("objective", {"parent": "company"}, "'company' is a team, not an objective", "--parent takes the id of an objective"),
    ("objective", {"owner": "compny"}, "unknown team 'compny'", "did you mean 'company'?"),
    ("kpi", {"owner": "compny"}, "unknown team 'compny'", "did you mean 'company'?"),
    ("objective", {"period": "2026-Q5"}, "unknown period '2026-Q5'", "2026-Q4, 2026-H1"),
    ("objective", {"period": "FY27-Q"}, "unknown period 'FY27-Q'", "did you mean 'FY27-Q1'?"),
    ("objective", {"parent": "first", "period": "2027-Q1"}, "period 2027-Q1 lies outside the parent's period 2026-Q4", "leave out --period"),
    ("team", {"parent": "compan"}, "unknown parent 'compan'", "did you mean 'company'?"),
    ("team", {"parent": "first"}, "'first' is an objective, not a team", "--parent takes the id of a team"),
    ("kpi", {"parent": "first"}, "a KPI has no parent", "objectives:"),
    ("kpi", {"period": "2026-Q4"}, "a KPI has no period (--period 2026-Q4)", "leave out --period"),
    ("team", {"period": "2026-Q4"}, "a team has no period (--period 2026-Q4)", "leave out --period"),
], ids=["parent-typo", "parent-kind", "owner-typo", "kpi-owner-typo", "period", "named-period-typo", "period-outside-parent", "team-parent-typo",
        "team-parent-kind", "kpi-parent", "kpi-period", "team-period"])
def test_new_checks_references_and_writes_nothing_on_error(site, kind, options, message, hint):
    (site / "okrsite.toml").write_text('title = "Tiny"\n[periods.FY27-Q1]\nstart = 2026-02-01\nend = 2026-04-30\n', encoding="utf-8")
    before = snapshot(site)
    with pytest.raises(ScaffoldError) as info:
        new_file(site, kind, "Refused", as_of=TODAY, **options)
    assert message in info.value.message and hint in info.value.hint, (info.value.message, info.value.hint)
    assert snapshot(site) == before


def test_new_refuses_every_problem_it_was_given_at_once(site):
    """QA: with both the owner and the parent misspelt, `new` named only the parent, the owner on the
    next try; like `check` (SPEC: all errors in one run) it names all, each with its hint."""
    write_files(site, {"content/objectives/first.md": "---\ntitle: Taken\nperiod: 2026-Q4\nowner: company\n"
                                                      "key_results:\n  - title: x\n    target: 1\n---\n"})
    before = snapshot(site)
    with pytest.raises(ScaffoldError) as info:
        new_file(site, "objective", "First", owner="compny", parent="firts", period="2026-Q9", as_of=TODAY)
    assert [message for message, _ in info.value.problems] == [
        "unknown parent 'firts'", "unknown team 'compny'", "unknown period '2026-Q9'",
        "an item with the id 'first' already exists: content/objectives/first.md"]
    assert [hint for _, hint in info.value.problems][:2] == ["did you mean 'first'?", "did you mean 'company'?"]
    assert (info.value.message, info.value.hint) == info.value.problems[0]
    with pytest.raises(ScaffoldError) as info:  # a title without letters, said beside the rest
        new_file(site, "team", "🚀", parent="compan", as_of=TODAY)
    assert [message for message, _ in info.value.problems] == [
        "the title '🚀' has no letter or digit to make a file name and id from", "unknown parent 'compan'"]
    assert snapshot(site) == before


def test_cli_new_with_the_owner_and_the_parent_misspelt_names_both(site, capsys):
    before = snapshot(site)
    assert main(["new", "objective", "bad2", "--site", str(site), "--owner", "compnay", "--parent", "firts"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "okrsite new: error: unknown parent 'firts' (did you mean 'first'?)",
        "okrsite new: error: unknown team 'compnay' (did you mean 'company'?)",
    ]
    assert snapshot(site) == before


def test_a_child_without_period_takes_its_parents_when_this_quarter_lies_outside(site, tmp_path):
    """Written in January 2027 under a 2026-Q4 parent: 2027-Q1 would be 'outside the parent's period'."""
    new_file(site, "objective", "Late child", parent="first", as_of=date(2027, 1, 12))
    data = assert_builds_strictly(site, tmp_path)
    assert next(o for o in data["objectives"] if o["id"] == "late-child")["period"] == "2026-Q4"


def test_cli_new_with_a_parent_typo_exits_1_and_writes_nothing(site, capsys):
    before = snapshot(site)
    assert main(["new", "objective", "Typo", "--site", str(site), "--parent", "firts"]) == 1
    err = capsys.readouterr().err
    assert "okrsite new: error: unknown parent 'firts' (did you mean 'first'?)" in err
    assert "Traceback" not in err
    assert snapshot(site) == before


# --------------------------------------------------------------------------- CLI


def test_cli_new_objective(site, capsys):
    code = main(["new", "objective", "Grow revenue", "--site", str(site), "--owner", "company", "--period", "2026-Q4"])
    assert code == 0
    path = site / "content" / "objectives" / "grow-revenue.md"
    assert path.is_file()
    assert str(path) in capsys.readouterr().out
    loaded = load_site(site, TODAY)
    assert loaded.report.errors == [], problems(loaded.report)
    assert loaded.site.objectives["grow-revenue"].period.id == "2026-Q4"


def test_cli_new_twice_exits_1_without_traceback(site, capsys):
    args = ["new", "kpi", "Churn", "--site", str(site)]
    assert main(args) == 0
    first = (site / "content" / "kpis" / "churn.md").read_bytes()
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "Traceback" not in err
    assert (site / "content" / "kpis" / "churn.md").read_bytes() == first


def test_cli_new_bad_period_exits_1(site, capsys):
    assert main(["new", "objective", "Bad", "--site", str(site), "--period", "2026-Q9"]) == 1
    assert "2026-Q9" in capsys.readouterr().err
    assert not (site / "content" / "objectives" / "bad.md").exists()


def test_cli_init_then_check(tmp_path, capsys):
    target = tmp_path / "goals"
    assert main(["init", str(target)]) == 0
    assert main(["check", str(target)]) == 0
    assert main(["init", str(target)]) == 1


def test_cli_new_lists_the_warnings_check_gives_the_file_it_wrote(site, capsys):
    """docs/cli.md: new "never writes a file that check then refuses"; an orphan is only a warning,
    but `check --strict`, the usual CI gate, refuses it: new says so at once, as carry-over does."""
    (site / "content" / "teams" / "product.md").write_text("---\ntitle: Product\nparent: company\n---\n")
    assert main(["new", "objective", "Halve the backlog", "--site", str(site), "--owner", "product", "--period", "2026-Q4"]) == 0
    out, err = capsys.readouterr()
    assert "Wrote" in out
    assert err == "content/objectives/halve-the-backlog.md:4: warning: orphan objective: no parent, and its owner is not a top-level team (add 'parent: <objective id>' to align it, or make it a company objective owned by company)\n"
    assert main(["new", "objective", "Grow revenue", "--site", str(site), "--owner", "company", "--period", "2026-Q4"]) == 0
    assert capsys.readouterr().err == "", "a file without warnings: nothing more is said"


def test_cli_new_under_a_parent_of_an_ended_period_warns_that_it_joins_that_period_s_grades(site, capsys):
    """Written in January under a 2026-Q4 parent, the objective takes 2026-Q4 (documented), a quarter
    already graded, whose average it lowers: new said nothing, nor did check --strict."""
    write_files(site, {"content/objectives/first-2.md": "---\ntitle: First again\nperiod: 2027-Q1\nowner: company\nfollows: first\n"
                                                      "key_results:\n  - title: Something measurable\n    target: 10\n---\n"})
    assert main(["new", "objective", "Late child", "--site", str(site), "--parent", "first", "--as-of", "2027-01-12"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Wrote ") and "period: \"2026-Q4\"" in (site / "content/objectives/late-child.md").read_text()
    assert err == ("content/objectives/late-child.md:3: warning: 2026-Q4, the period of its parent 'first', ended on 2026-12-31:"
                   " the new objective joins that finished period's grades (for the running period, remove the file and run new again"
                   " with --period 2027-Q1 --parent first-2, which continues 'first' there; give --period 2026-Q4 to mean the finished one)\n")


def test_new_with_a_period_outside_the_parent_s_names_the_parent_s_follower_running_through_it(site):
    """QA DA: `new --parent first --period 2027-Q1` was told to "choose a parent of 2027-Q1", though first-2
    continues first there (without --period, new names it); a cancelled follower is none, two of one length both."""
    follower = "---\ntitle: First again\nperiod: \"{period}\"\nowner: company\nfollows: first\n{more}key_results:\n  - {{title: a, target: 10}}\n---\n"

    def hint() -> str:
        with pytest.raises(ScaffoldError) as info:
            new_file(site, "objective", "Refused", as_of=TODAY, parent="first", period="2027-Q1")
        assert info.value.message == "period 2027-Q1 lies outside the parent's period 2026-Q4"
        return info.value.hint

    assert hint() == "leave out --period to take 2026-Q4, or choose a parent running through 2027-Q1"
    write_files(site, {"content/objectives/first-2.md": follower.format(period="2027", more="")})
    assert hint() == "give --parent first-2, which continues 'first' through 2027-Q1; or leave out --period to take 2026-Q4"
    write_files(site, {"content/objectives/first-q1.md": follower.format(period="2027-Q1", more="status: cancelled\n"),
                       "content/objectives/first-eu.md": follower.format(period="2027", more="")})
    assert hint() == "give --parent first-2 (or --parent first-eu), which continue 'first' through 2027-Q1; or leave out --period to take 2026-Q4"


def test_cli_new_warns_of_an_ended_period_with_the_hint_that_fits(site, capsys):
    assert main(["new", "objective", "Late child", "--site", str(site), "--parent", "first", "--as-of", "2027-01-12"]) == 0
    assert capsys.readouterr().err.endswith(" (for the running period, remove the file and run new again with --period 2027-Q1"
                                            " and a parent of 2027-Q1; give --period 2026-Q4 to mean the finished one)\n")
    assert main(["new", "objective", "Meant late", "--site", str(site), "--parent", "first", "--period", "2026-Q4", "--as-of", "2027-01-12"]) == 0
    assert capsys.readouterr().err == "", "--period says the finished period is meant"
    assert main(["new", "objective", "In time", "--site", str(site), "--parent", "first", "--as-of", "2026-12-31"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("inside", ["content/archive", "content/objectives/old", "data/more", "theme/other"])
def test_cli_init_refuses_a_folder_inside_a_goals_repository_s_own_folders(site, capsys, inside):
    """okrsite writes into content/ only through new, carry-over and checkin: init made a whole second
    repository (with its .git) in content/archive, and the site then had twelve errors."""
    (site / "okrsite.toml").write_text('title = "T"\n')
    assert main(["init", str(site / inside)]) == 1
    err = capsys.readouterr().err
    assert f"is inside {inside.split('/')[0]}/ of the goals repository {site.resolve()}: okrsite init would put a second goals repository there" in err
    assert not (site / inside).exists()


def test_cli_init_beside_a_goals_repository_or_in_a_folder_merely_named_content_is_fine(tmp_path, capsys):
    assert main(["init", str(tmp_path / "content" / "goals"), "--no-git"]) == 0
    assert main(["init", str(tmp_path / "content" / "goals" / "content" / "archive"), "--no-git"]) == 1, "inside the content/ of the one just made"
    assert main(["init", str(tmp_path / "beside"), "--no-git"]) == 0
    assert main(["init", str(tmp_path / "beside" / "okrsite.toml")]) == 1
    assert "okrsite.toml is a file, not a folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- init


@pytest.mark.parametrize("today", [None, date(2027, 2, 1), date(2026, 12, 31), date(2026, 12, 7), date(2026, 1, 1), date(2026, 10, 1)])
def test_init_builds_strictly_with_zero_warnings(tmp_path, today):
    target = tmp_path / "goals"
    init_site(target, today=today)
    out = tmp_path / "out"
    result = build(target, out, as_of=today, strict=True)
    assert result.ok, problems(result.report)
    assert result.report.items == [], problems(result.report)
    data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    assert data["objectives"], "the starter repository has objectives"
    assert data["kpis"] and data["teams"]
    statuses = {o["status"] for o in data["objectives"]}
    assert "not-started" not in statuses and "missed" not in statuses, "the starter goals run in the current quarter"
    assert (out / "index.html").is_file()
    for k in data["kpis"]:  # what its source says of how often, its frequency and its values agree
        named = {word for word in FREQUENCY_DAYS if word in k["source"].lower()}
        assert named <= {k["frequency"]}, f"{k['id']}: the source says {named}, the frequency {k['frequency']}"
        days = [date.fromisoformat(v["date"]) for v in k["values"]]
        assert all(FREQUENCY_DAYS[k["frequency"]] / 2 <= (b - a).days <= FREQUENCY_DAYS[k["frequency"]] for a, b in zip(days, days[1:]))


@pytest.mark.parametrize("today, first, last", [
    (date(2026, 12, 7), date(2026, 6, 30), date(2026, 11, 30)),
    (date(2026, 12, 31), date(2026, 7, 31), date(2026, 12, 31)),
    (date(2028, 3, 1), date(2027, 9, 30), date(2028, 2, 29)),
])
def test_init_dates_the_monthly_kpi_s_values_by_the_last_day_of_each_month_ended(tmp_path, today, first, last):
    """QA: the starter CSV dated each month's value on the init day's day of the month (2026-12-07,1600
    on the 7th), which counts as December's figure: a finished quarter's key result following the KPI
    was graded final, and moved when the month-end value, dated 2026-12-31, came in. Each value is
    dated by its month's last day, as docs/kpis.md says; the running month's is not in before it ends."""
    init_site(tmp_path, today=today, git=False)
    rows = (tmp_path / "data" / "weekly-active-users.csv").read_text(encoding="utf-8").split()[1:]
    days = [date.fromisoformat(row.split(",")[0]) for row in rows]
    assert [(day + timedelta(days=1)).day for day in days] == [1] * 6
    assert (days[0], days[-1]) == (first, last)
    assert rows[-1].endswith(",1600")


EXAMPLE_FILE = re.compile(r"<!-- example file: (?P<path>[^\s,]+)(?:, refused by check --strict: (?P<refused>.+?)|, (?P<why>.+?))? -->")


def docs_examples() -> list[tuple[str, re.Match | None, str]]:
    """(page, marker, text) of each fenced block of docs/*.md that is a whole goals file (front matter
    first) or that a marker line names: `<!-- example file: PATH -->` above the fence, invisible on the
    rendered page, says where a reader writes it; `…, refused by check --strict: WORDS` that it is
    shown refused, WORDS in each problem; `<!-- example file: none, WHY -->` that it is not one to write."""
    found = []
    for page in sorted((REPO / "docs").glob("*.md")):
        above, block, marker = "", None, None
        for line in page.read_text(encoding="utf-8").splitlines(keepends=True):
            if block is None and line.lstrip().startswith("```"):
                block, marker = [], EXAMPLE_FILE.fullmatch(above.strip())
            elif block is not None and line.strip() == "```":
                if marker or "".join(block).startswith("---\n"):
                    found.append((page.name, marker, "".join(block)))
                block = None
            elif block is not None:
                block.append(line)
            above = line
    return found


def test_each_whole_goals_file_the_docs_show_says_where_it_is_written():
    """A new example is tested below only with its marker: an unmarked one is named here."""
    examples = docs_examples()
    marked = {page for page, marker, _ in examples if marker}
    assert marked >= {"audiences.md", "cli.md", "index.md", "kpis.md", "objectives.md", "teams-and-people.md"}
    assert [(page, text.splitlines()[1]) for page, marker, text in examples if marker is None] == []
    assert all(marker["why"] for _, marker, _ in examples if marker["path"] == "none")


@pytest.mark.parametrize("page", sorted({page for page, marker, _ in docs_examples() if marker and marker["path"] != "none"}))
def test_the_files_a_docs_page_shows_pass_a_strict_check_in_the_repository_init_writes(tmp_path, page):
    """QA: the examples of docs/kpis.md, objectives.md and teams-and-people.md, copied as written into a
    repository `okrsite init` wrote, failed the `okrsite check --strict` of the docs' CI workflows: they
    named the example company's owners, teams, KPIs, objectives and data file. A page's files are
    written together into one such repository; one shown refused (docs/cli.md's draft of `new`) is
    refused only for what its marker says."""
    examples = [(marker, text) for p, marker, text in docs_examples() if p == page and marker and marker["path"] != "none"]
    init_site(tmp_path, today=TODAY, git=False)
    write_files(tmp_path, {marker["path"]: text for marker, text in examples})
    report = check(tmp_path, TODAY, cache=False)
    refused = {marker["path"]: marker["refused"] for marker, _ in examples if marker["refused"]}
    said = [(d.file, d.message) for d in report.errors + report.warnings]
    assert [(file, message) for file, message in said if file not in refused or refused[file] not in message] == []
    assert {file for file, _ in said} == set(refused), "a file shown refused is refused"


def test_init_writes_a_gitignore_for_the_site_and_the_cache(tmp_path):
    init_site(tmp_path / "goals", today=TODAY, git=False)
    lines = (tmp_path / "goals" / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["site/", ".okrsite-cache/"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_makes_a_git_repository_that_ignores_the_built_site(tmp_path, capsys):
    target = tmp_path / "goals"
    assert main(["init", str(target)]) == 0
    assert capsys.readouterr().err == ""
    assert (target / ".git").is_dir()
    git = lambda *args: subprocess.run(["git", "-C", str(target), *args], capture_output=True, text=True, check=True).stdout.strip()
    assert Path(git("rev-parse", "--show-toplevel")).resolve() == target.resolve()
    assert build(target, target / "site", as_of=TODAY).ok
    untracked = [line[3:] for line in git("status", "--porcelain", "--untracked-files=all").splitlines()]
    assert "content/teams/company.md" in untracked and not [path for path in untracked if path.startswith("site/")]
    assert git("check-ignore", "site/index.html", ".okrsite-cache/x") == "site/index.html\n.okrsite-cache/x"


def test_init_no_git_makes_no_repository(tmp_path, capsys):
    target = tmp_path / "goals"
    assert main(["init", str(target), "--no-git"]) == 0
    assert capsys.readouterr().err == ""
    assert not (target / ".git").exists()
    assert (target / "okrsite.toml").is_file() and (target / ".gitignore").is_file()


def test_init_without_git_says_so_in_one_line_and_succeeds(tmp_path, capsys, monkeypatch):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    target = tmp_path / "goals"
    assert main(["init", str(target)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "git is not installed" in err[0] and "git init" in err[0], err
    assert not (target / ".git").exists()
    assert load_site(target, TODAY).report.items == []


def test_init_into_a_non_empty_folder_raises_and_writes_nothing(tmp_path):
    target = tmp_path / "goals"
    target.mkdir()
    (target / "notes.txt").write_text("keep me\n", encoding="utf-8")
    before = snapshot(target)
    with pytest.raises(ScaffoldError) as info:
        init_site(target, today=TODAY)
    assert info.value.hint
    assert snapshot(target) == before
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_init_onto_a_file_raises(tmp_path):
    target = tmp_path / "goals"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ScaffoldError):
        init_site(target, today=TODAY)
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_init_into_an_empty_existing_folder(tmp_path):
    target = tmp_path / "goals"
    target.mkdir()
    init_site(target, today=TODAY)
    assert (target / "okrsite.toml").is_file()
    assert load_site(target, TODAY).report.items == []


# --------------------------------------------------------------------------- any title


@pytest.mark.parametrize(
    "title",
    ["Rocket 🚀 launch", "Tab\there", "Control\x01char", "Delete\x7fchar", "Next\x85line", "Line\u2028separator", "Ünïcödé only: 日本語", " ".join(["A very long title"] * 20)],
)
def test_unusual_title_round_trips(site, title):
    path = new_file(site, "objective", title, as_of=TODAY)
    loaded = load_site(site, TODAY)
    assert loaded.report.errors == [], problems(loaded.report)
    ident = path.stem
    assert loaded.site.objectives[ident].title == clean_text(title)  # control characters dropped: HTML forbids them


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(min_size=1, max_size=40), kind=st.sampled_from(["objective", "kpi", "team"]))
@example(title="LPT1", kind="objective")
def test_any_title_gives_a_valid_file_with_that_title(title, kind):
    """`new` writes one valid file for any title; the title reads back exactly (trimmed)."""
    assume(bare_slug(clean_text(title)))  # a title without a letter or digit is refused (test above)
    assume(slugify(clean_text(title)) not in ("company", "first"))
    with tempfile.TemporaryDirectory() as tmp:
        root = tiny_site(Path(tmp) / "site")
        path = new_file(root, kind, title, as_of=TODAY)
        loaded = load_site(root, TODAY)
        assert loaded.report.errors == [], problems(loaded.report)
        table = {"objective": loaded.site.objectives, "kpi": loaded.site.kpis, "team": loaded.site.teams}[kind]
        assert path.stem in (slugify(clean_text(title)), f"{slugify(clean_text(title))}-{kind}")  # a name Windows keeps for a device gets its kind
        assert table[path.stem].title == clean_text(title)


@pytest.mark.parametrize("words", [["new", "objective", "X", "--owner", "Jane Doe"], ["new", "kpi", "Y"], ["carry-over", "2026-Q3", "2026-Q4"]])
def test_a_mistyped_site_folder_is_one_error_and_never_made(tmp_path, capsys, words):
    """`okrsite new objective X --owner 'Jane Doe' --site nosuchfolder` wrote nosuchfolder/content/...
    and exited 0; docs/cli.md: a SITE that does not exist is one error, and nothing is written."""
    from okrsite.cli import main

    missing = tmp_path / "nosuchfolder"
    assert main([*words, "--site", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err == (f"okrsite {words[0]}: error: the folder {missing} does not exist (give the folder of your goals repository, "
                   f"the one that holds content/, or create one there with 'okrsite init {missing}')\n"), err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("marker", ["okrsite.toml", ".git"])
def test_new_starts_content_where_a_goals_repository_is_meant(tmp_path, marker):
    from okrsite.cli import main

    (tmp_path / marker).mkdir() if marker == ".git" else (tmp_path / marker).write_text('title = "T"\n')
    assert main(["new", "team", "Sales", "--site", str(tmp_path)]) == 0
    assert (tmp_path / "content" / "teams" / "sales.md").is_file()


def test_new_refuses_a_folder_that_is_no_goals_repository_or_inside_one(tmp_path, capsys, monkeypatch):
    """QA BC: `okrsite new` in an empty folder wrote content/ there; run in a goals repository's
    content/objectives, it wrote content/objectives/content/objectives/x.md, which check then read."""
    from okrsite.cli import main

    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert main(["new", "objective", "Grow revenue", "--owner", "Jane Doe"]) == 1
    assert "okrsite new: error: no content/ folder in . (run okrsite new in a goals repository" in capsys.readouterr().err
    assert list(outside.iterdir()) == []
    goals = tmp_path / "goals"
    (goals / "content/objectives").mkdir(parents=True)
    (goals / "okrsite.toml").write_text('title = "T"\n')
    monkeypatch.chdir(goals / "content/objectives")
    assert main(["new", "objective", "Sub dir", "--owner", "Sam Lee"]) == 1
    assert f"is inside the goals repository {goals.resolve()}, not its top folder (run okrsite new in {goals.resolve()}" in capsys.readouterr().err
    assert list((goals / "content/objectives").iterdir()) == []
    (goals / "okrsite.toml").unlink()  # QA BG: okrsite.toml is optional; a git repository nested in content/ is no top folder either
    (goals / "content/objectives/.git").mkdir()
    assert main(["new", "objective", "Sub dir", "--owner", "Sam Lee"]) == 1
    assert f"is inside the goals repository {goals.resolve()}, not its top folder" in capsys.readouterr().err
    assert [p.name for p in (goals / "content/objectives").iterdir()] == [".git"]


def test_checkin_help_offers_one_check_in():
    from okrsite.cli import parser

    usage = parser()._subparsers._group_actions[0].choices["checkin"].format_usage()
    assert "(OBJECTIVE KR VALUE | KPI VALUE)" in usage and "..." not in usage


def test_new_refuses_a_kind_folder_linked_from_elsewhere(site, tmp_path, capsys):
    """content/kpis a symbolic link to a folder outside the site: `new` wrote the file there and said
    "Wrote", but the site reads no file through a linked folder, so the KPI never showed."""
    elsewhere = tmp_path / "elsewhere-kpis"
    elsewhere.mkdir()
    shutil.rmtree(site / "content/kpis", ignore_errors=True)
    (site / "content/kpis").symlink_to(elsewhere, target_is_directory=True)
    assert main(["new", "kpi", "Churn", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/kpis is a symbolic link" in err and "a real folder" in err
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("kind, written", [("file", "id: something-else\n"), ("link", None)])
def test_new_says_the_file_is_there_when_its_name_is_taken_by_another_id(site, kind, written, tmp_path, capsys):
    """content/objectives/halve-backlog.md holding `id: something-else` (or a link leading nowhere):
    `new` said "an item with the id 'halve-backlog' already exists", which no item has."""
    path = site / "content/objectives/halve-backlog.md"
    if written is None:
        path.symlink_to(tmp_path / "nowhere.md")
    else:
        path.write_text(f"---\ntitle: Existing\n{written}period: 2026-Q4\nowner: company\nkey_results:\n  - title: k\n    target: 5\n---\n")
    assert main(["new", "objective", "Halve backlog", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/objectives/halve-backlog.md is there already" in err and "an item with the id" not in err
    assert ("it holds the id 'something-else'" in err) == (written is not None)
    assert "choose another title" in err


def test_new_into_a_read_only_folder_is_an_error_naming_it(site):
    folder = site / "content/objectives"
    before = snapshot(site)
    folder.chmod(0o555)
    try:
        done = okrsite_bound_by_permissions("new", "objective", "Read only", "--owner", "company", "--period", "2026-Q4", "--site", str(site))
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert done.stderr == (f"okrsite new: error: cannot write {folder / 'read-only.md'}: permission denied "
                           f"(make {folder} writable for you: chmod u+w {folder})\n")
    assert snapshot(site) == before


def test_init_where_no_folder_can_be_made_is_an_error_and_leaves_nothing(tmp_path, capsys):
    parent = tmp_path / "locked"
    parent.mkdir(mode=0o555)
    try:
        done = okrsite_bound_by_permissions("init", str(parent / "goals"), "--no-git")
    finally:
        parent.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert done.stderr == (f"okrsite init: error: cannot write {parent / 'goals'}: permission denied "
                           f"(make {parent} writable for you: chmod u+w {parent}, or choose another folder)\n")
    assert not any(parent.iterdir())


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="a /proc file system")
def test_init_into_proc_is_an_error(capsys):
    assert main(["init", "/proc/okrsite-x", "--no-git"]) == 1
    assert capsys.readouterr().err == "okrsite init: error: cannot write /proc/okrsite-x: no file or folder can be made there (choose another folder)\n"


def test_init_stopped_half_way_takes_back_what_it_wrote(tmp_path, capsys, monkeypatch):
    """A full disk at the third file: no starter repository in part, and the folder it made is gone."""
    real, opened = Path.open, []

    def fill_up(path, mode="r", *args, **kwargs):
        if mode == "x":
            opened.append(path)
            if len(opened) == 3:
                raise OSError(28, "No space left on device", str(path))
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", fill_up)
    assert main(["init", str(tmp_path / "goals"), "--no-git"]) == 1
    assert capsys.readouterr().err == f"okrsite init: error: cannot write {opened[2]}: the disk is full (free some space, or choose another folder)\n"
    assert not (tmp_path / "goals").exists()


def test_new_reads_the_site_once_and_then_only_the_new_file(example_copy, monkeypatch, capsys):
    """`new` read the whole site twice: to check the references, then for the new file's warnings."""
    read = goals_files_read(monkeypatch)
    assert main(["new", "objective", "Read the site once", "--site", str(example_copy), "--owner", "company", "--as-of", "2026-11-23"]) == 0
    assert read_once_each(read, example_copy, ["content/objectives/2026-q4/read-the-site-once.md"]), sorted(read)


@pytest.mark.parametrize("kind, said", [
    ("objective", [(8, "key result 1 is still the one `okrsite new` wrote: 'Describe the first measurable result'"),
                   (13, "the text is still the one `okrsite new` wrote: 'Why this objective matters now, and what success looks like.'")]),
    ("kpi", [(11, "'source' is still the one `okrsite new` wrote"),
             (14, "the text is still the one `okrsite new` wrote: 'What this KPI measures and how it is calculated.'")]),
    ("team", [(7, "the text is still the one `okrsite new` wrote: 'What this team is responsible for.'")]),
])
def test_what_new_writes_to_be_replaced_is_a_warning_of_check_until_it_is(site, capsys, kind, said):
    """A newcomer published "Describe the first measurable result" under `check --strict`: like
    Hugo's drafts, the placeholders of `okrsite new` keep a strict CI from publishing them. new itself
    does not list them (it just wrote them); check does, at their lines, until they are replaced."""
    options = ["--parent", "company"] if kind == "team" else ["--parent", "first"] if kind == "objective" else []
    assert main(["new", kind, "Filled later", "--site", str(site), *options]) == 0
    assert capsys.readouterr().err == ""
    path = next((site / "content").rglob("filled-later.md")).relative_to(site).as_posix()
    found = sorted((d.line, d.message) for d in load_site(site, TODAY).report.items if d.file == path)
    assert found == said
    assert main(["check", str(site), "--strict", "--as-of", TODAY.isoformat()]) == 1
    fill_in(site)
    assert main(["check", str(site), "--strict", "--as-of", TODAY.isoformat()]) == 0


@pytest.mark.parametrize("made", ["folder", "unreadable"])
def test_new_refuses_while_the_settings_file_cannot_be_read(tmp_path, made):
    """QA AU: with okrsite.toml a folder, or not TOML, `new` wrote its file with the defaults (its
    period, kind and date not the site's), where every other command stops at the settings file."""
    root = tmp_path / "goals"
    assert main(["init", str(root)]) == 0
    (root / "okrsite.toml").unlink()
    if made == "folder":
        (root / "okrsite.toml").mkdir()
    else:
        (root / "okrsite.toml").write_text('default_period = "2027-Q1\n')
    before = sorted(p.relative_to(root) for p in (root / "content").rglob("*"))
    assert main(["new", "objective", "Grow", "--owner", "Ann Lee", "--site", str(root)]) == 1
    assert sorted(p.relative_to(root) for p in (root / "content").rglob("*")) == before


@needs_git
def test_init_writes_into_a_repository_just_cloned_keeps_its_gitignore_and_starts_main(tmp_path, capsys):
    """QA BC: `okrsite init` refused a folder holding only .git (a repository made on a git host and
    cloned), and a new repository's branch was git's default (master with git 2.39), which the example
    workflow does not publish."""
    from okrsite.cli import main

    cloned = tmp_path / "cloned"
    subprocess.run(["git", "init", "-q", str(cloned)], check=True, capture_output=True)
    (cloned / "README.md").write_text("# Goals\n")
    (cloned / ".gitignore").write_text("*.tmp\n")
    assert main(["init", str(cloned)]) == 0
    assert (cloned / "content/objectives").is_dir() and (cloned / "README.md").read_text() == "# Goals\n"
    assert (cloned / ".gitignore").read_text() == "*.tmp\n"
    assert "add these lines to it: site/, .okrsite-cache/" in capsys.readouterr().err
    left = tmp_path / "left"  # QA BG: an empty .git/ left behind is no repository: git init makes it one
    (left / ".git").mkdir(parents=True)
    assert main(["init", str(left)]) == 0
    assert subprocess.run(["git", "-C", str(left), "status"], capture_output=True).returncode == 0
    fresh = tmp_path / "fresh"
    assert main(["init", str(fresh)]) == 0
    head = subprocess.run(["git", "-C", str(fresh), "symbolic-ref", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert head == "refs/heads/main"
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    assert main(["init", str(tmp_path / "busy")]) == 1 and list((tmp_path / "busy").iterdir()) == [tmp_path / "busy" / "notes.txt"]


def test_an_id_taken_by_an_item_of_another_kind_names_its_file(site, capsys):
    """QA BC: `okrsite new kpi "Product!"` said only "an item with the id 'product' already exists",
    where docs/cli.md shows the file named: the team's file is named too."""
    from okrsite.cli import main

    team = next(iter(load_site(site).site.teams.values()))
    assert main(["new", "kpi", team.title + "!", "--owner", "Ann Lee", "--site", str(site)]) == 1
    assert f"an item with the id '{team.id}' already exists: {team.doc.path}" in capsys.readouterr().err


LONG = "Increase the weekly active users of the analytics dashboards across all mid-market retail customers in the"


def test_a_long_title_whose_id_another_item_took_says_ids_keep_the_first_100_characters(site, capsys):
    """QA EB 3: a second title that differs from the first only after 100 characters ("... in the US"
    after "... in the EU") was refused with "choose another title", though it was another title."""
    assert main(["new", "objective", "--site", str(site), "--owner", "company", "--period", "2026-Q4", f"{LONG} EU"]) == 0
    capsys.readouterr()
    before = snapshot(site)
    with pytest.raises(ScaffoldError) as info:
        new_file(site, "objective", f"{LONG} US", owner="company", period="2026-Q4", as_of=TODAY)
    ident = bare_slug(f"{LONG} EU")
    assert info.value.message == (f"an item with the id '{ident}' already exists: content/objectives/{ident}.md; an id keeps at most the "
                                  "first 100 characters of the title (200 bytes in UTF-8), and this title differs from that one's only after them")
    assert info.value.hint.startswith("give a title that differs within its first 100 characters")
    with pytest.raises(ScaffoldError) as again:  # the same long title again: that item, as for any title
        new_file(site, "objective", f"{LONG} EU", owner="company", period="2026-Q4", as_of=TODAY)
    assert again.value.hint == "choose another title (it names the file), or edit the existing file"
    assert snapshot(site) == before
