"""History read from real git repositories made in the test: commits at set dates by set authors."""

import json
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from okrsite.build import build, check_site
from okrsite.goals.config import GRADING
from okrsite.git.read import read_site_history
from okrsite.goals.repository import load_site
from okrsite.git.history import read_history
from okrsite.git.worktree import find_repository

from ..gitrepo import KILLED, SETTINGS, TEAM, GitRepo, failing_git, kpi, needs_git, objective, one_key_result

pytestmark = needs_git

OBJ = "content/objectives/reduce-churn.md"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """Three check-ins on one key result by two people, and a KPI whose CSV grows."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective(current=0),
              "content/kpis/mrr.md": kpi(data="data/mrr.csv"), "data/mrr.csv": "date,value\n2026-09-30,41000\n"},
             "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({OBJ: objective(current=20)}, "2026-10-15T17:30:00+02:00", "Bo Chen", "Check-in")
    r.commit({"data/mrr.csv": "date,value\n2026-09-30,41000\n2026-10-31,43500\n"}, "2026-11-02T08:00:00+00:00", "Ann Lee", "MRR for October")
    r.commit({OBJ: objective(current=45)}, "2026-11-04T12:00:00+00:00", "Ann Lee", "Check-in")
    return r


def scores_of(root: Path, as_of: date | None = None):
    """The site, its history and its scores as a build computes them."""
    checked = check_site(root, as_of)
    assert not checked.report.errors, checked.report.items
    return checked.loaded, checked.history, checked.scores


def test_every_commit_that_changed_a_value_is_a_dated_check_in(repo):
    loaded, history, scores = scores_of(repo.root)
    assert len(history.commits) == 4 and history.shallow is False and history.since == date(2026, 10, 1)
    points = scores.objectives["reduce-churn"].key_results[0].history
    assert [(p.date, p.value, p.author, p.source) for p in points] == [
        (date(2026, 10, 1), 0, "Ann Lee", "git"),
        (date(2026, 10, 15), 20, "Bo Chen", "git"),  # the committer's own date, not UTC's
        (date(2026, 11, 4), 45, "Ann Lee", "git"),
    ]
    hashes = repo.git("log", "--format=%h", "--abbrev=7", "--", OBJ).split()
    assert [p.commit for p in points] == hashes[::-1]
    # the churn key result never changed after it was written: one check-in, when it was created
    assert [p.date for p in scores.objectives["reduce-churn"].key_results[1].history] == [date(2026, 10, 1)]


def test_updated_and_updated_by_come_from_the_last_change(repo):
    _, _, scores = scores_of(repo.root)
    o = scores.objectives["reduce-churn"]
    assert (o.updated, o.updated_by) == (date(2026, 11, 4), "Ann Lee")
    milestone = o.key_results[2]  # added not done, and still not done: no check-in, quiet since it was added
    assert (milestone.updated, milestone.updated_by, milestone.added) == (None, None, date(2026, 10, 1))
    k = scores.kpis["mrr"]
    assert (k.updated, k.updated_by) == (date(2026, 11, 2), "Ann Lee")
    assert [(p.date, p.commit is not None, p.author) for p in k.values] == [(date(2026, 9, 30), True, "Ann Lee"), (date(2026, 10, 31), True, "Ann Lee")]


def test_commits_after_the_as_of_date_are_ignored(repo):
    _, _, scores = scores_of(repo.root, date(2026, 10, 20))
    o = scores.objectives["reduce-churn"]
    assert [p.value for p in o.key_results[0].history] == [0, 20]
    assert (o.updated, o.updated_by) == (date(2026, 10, 15), "Bo Chen")
    assert scores.kpis["mrr"].updated == date(2026, 10, 1)


def test_a_written_check_in_wins_on_the_same_date_and_the_file_keeps_its_current(repo):
    written = "    history:\n      - {date: 2026-11-04, value: 44, note: measured by hand}"
    repo.commit({OBJ: objective(current=45).replace("    current: 45\n", "    current: 45\n" + written + "\n", 1)},
                "2026-11-06T10:00:00+00:00", "Ann Lee", "Note")
    _, _, scores = scores_of(repo.root)
    kr = scores.objectives["reduce-churn"].key_results[0]
    assert [(p.date, p.value, p.source) for p in kr.history] == [
        (date(2026, 10, 1), 0, "git"), (date(2026, 10, 15), 20, "git"), (date(2026, 11, 4), 44, "file"),
    ]
    assert kr.current == 45  # `current:` in the file is the value now; check-ins only chart the past
    assert kr.updated == date(2026, 11, 6)  # the commit that added the entry changed its numbers


def test_several_commits_on_one_day_give_that_days_last_value(repo):
    repo.commit({OBJ: objective(current=50)}, "2026-11-10T09:00:00+00:00", "Ann Lee")
    repo.commit({OBJ: objective(current=55)}, "2026-11-10T16:00:00+00:00", "Bo Chen")
    _, _, scores = scores_of(repo.root)
    last = scores.objectives["reduce-churn"].key_results[0].history[-1]
    assert (last.date, last.value, last.author) == (date(2026, 11, 10), 55, "Bo Chen")


def test_history_follows_a_renamed_file(repo):
    new = "content/objectives/keep-customers.md"
    repo.commit({}, "2026-11-08T10:00:00+00:00", "Bo Chen", "Rename", moves={OBJ: new})
    repo.commit({new: objective(current=60)}, "2026-11-09T10:00:00+00:00", "Bo Chen")
    loaded, history, scores = scores_of(repo.root)
    assert [v.path for v in history.of(new)][:2] == [OBJ, OBJ]
    assert history.of(new)[-2].path == new
    points = scores.objectives["keep-customers"].key_results[0].history
    assert [p.value for p in points] == [0, 20, 45, 60]


def test_a_deleted_objective_is_remembered_for_the_changes_page(repo):
    repo.commit({OBJ: None}, "2026-11-08T10:00:00+00:00", "Bo Chen", "Drop it")
    history = read_history(repo.root, ["content"])
    assert OBJ not in history.files and [f.versions[-1].deleted for f in history.gone] == [True]


def test_a_shallow_clone_says_how_far_back_history_goes(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True, env=repo.env)
    history = read_history(clone, ["content", "data/mrr.csv"])
    assert history.shallow is True
    assert [c.day for c in history.commits] == [date(2026, 11, 4), date(2026, 11, 2)]
    assert history.since == date(2026, 11, 2) and history.commits[-1].boundary
    _, _, scores = scores_of(clone)
    points = scores.objectives["reduce-churn"].key_results[0].history
    assert [(p.date, p.value) for p in points] == [(date(2026, 11, 4), 45)]  # the boundary commit is no check-in
    result = build(clone, tmp_path / "out")
    assert result.ok and "shallow clone, 2 commits back to 2026-11-02" in result.summary()
    page = (tmp_path / "out" / "changes" / "index.html").read_text()
    assert 'History goes back to <time datetime="2026-11-02">2026-11-02</time> only' in page


def test_outside_a_repository_there_is_no_history_and_nothing_is_said(tmp_path, capsys):
    site = tmp_path / "plain"
    for rel, text in {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective()}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    assert find_repository(site) is None and read_history(site) is None
    result = build(site, tmp_path / "out")
    assert result.ok and "History" not in result.summary()
    assert capsys.readouterr().err == ""
    assert "not built from a git repository" in (tmp_path / "out" / "changes" / "index.html").read_text()


def test_a_repository_without_commits_has_no_history(tmp_path):
    r = GitRepo(tmp_path / "fresh")
    (r.root / "content").mkdir()
    assert read_history(r.root) is None


def test_without_git_on_the_path_history_is_off_and_the_summary_says_why(repo, tmp_path, monkeypatch):
    """QA DE: a repository whose git cannot be run was built without a word of its history."""
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert read_history(repo.root) is None
    result = build(repo.root, tmp_path / "out")
    assert result.ok and "History: off, git could not be run to read this repository's history (install git" in result.summary()
    data = json.loads((tmp_path / "out" / "okrs.json").read_text())
    assert data["objectives"][0]["updated"] is None and data["objectives"][0]["key_results"][0]["history"] == []


def test_a_folder_in_no_repository_says_so_where_the_history_is_asked_for(tmp_path, monkeypatch):
    """QA EK: files downloaded or unpacked rather than cloned, with `git_history = true` written, were
    built without a word of the history they lack."""
    files = {"content/teams/sales.md": TEAM, OBJ: objective(current=20)}
    quiet, asked = tmp_path / "copy", tmp_path / "asked"
    for root, settings in ((quiet, SETTINGS), (asked, SETTINGS + "git_history = true\n")):
        for rel, text in {**files, "okrsite.toml": settings}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
    assert "History" not in build(quiet, tmp_path / "quiet-out").summary()
    result = build(asked, tmp_path / "out")
    assert result.ok and "History: off, no git repository holds this folder (its files were downloaded or unpacked, not cloned)" in result.summary()
    assert "There is no history to show: no git repository holds this folder" in (tmp_path / "out" / "changes" / "index.html").read_text()


def test_git_history_can_be_turned_off(repo):
    (repo.root / "okrsite.toml").write_text(SETTINGS + "git_history = false\n")
    loaded = load_site(repo.root)
    assert read_site_history(repo.root, loaded.site, loaded.settings).history is None
    assert check_site(repo.root).history is None


def test_a_site_in_a_subfolder_reads_its_own_history(tmp_path):
    r = GitRepo(tmp_path / "mono")
    r.commit({"README.md": "hello", "goals/okrsite.toml": SETTINGS, "goals/content/teams/sales.md": TEAM,
              "goals/" + OBJ: objective(current=10)}, "2026-10-02T10:00:00+00:00")
    r.commit({"README.md": "hello again"}, "2026-10-03T10:00:00+00:00", message="Not a goal")
    r.commit({"goals/" + OBJ: objective(current=30)}, "2026-10-09T10:00:00+00:00", "Bo Chen")
    history = read_history(r.root / "goals")
    assert history.prefix == "goals/" and len(history.commits) == 2
    assert [v.commit.author for v in history.of(OBJ)] == ["Ann Lee", "Bo Chen"]


def test_one_git_log_for_the_whole_repository(repo, monkeypatch):
    """No process per file: rev-parse, config, one log, one cat-file, whatever the number of files."""
    import subprocess as sp

    calls = []
    real_popen = sp.Popen

    def popen(args, *rest, **kw):  # every process, subprocess.run's too
        calls.append(args[1])
        return real_popen(args, *rest, **kw)

    for n in range(30):
        repo.commit({f"content/objectives/extra-{n}.md": objective(title=f"Extra {n}")}, f"2026-11-{10 + n % 10:02d}T10:{n:02d}:00+00:00")
    monkeypatch.setattr(sp, "Popen", popen)
    history = read_history(repo.root, ["content", "data/mrr.csv"])
    assert len(history.files) == 34
    assert calls == ["rev-parse", "config", "log", "cat-file"], calls  # config: is it a partial clone?


from hypothesis import given, settings as hyp_settings, strategies as st  # noqa: E402

from okrsite.git.history import Commit, _Reader  # noqa: E402
from okrsite.goals.load import front_data, split_front_matter  # noqa: E402

VALUE_TEXTS = st.one_of(st.integers(-10**6, 10**6).map(str), st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
                        st.sampled_from(["true", "false", "05", "1e3", "0.5 # note", "'7'", "", "null", "0", "-0.0", "3.", "~"]))
EDITS = st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["current", "done", "progress", "title", "extra line", "history"]), VALUE_TEXTS), max_size=12)


def _versions_text(edits, flow_current: bool = False) -> list[str]:
    krs = [
        ["  - title: Grow", "    start: 0", "    target: 100", "    current: 5"],
        ["  - done: false", "    title: Ship it"],
        ["  - title: Hire", "    progress: 0.2", "    history:", "      - {date: 2026-10-01, value: 0.1}"],
        ["  - {title: Flow style, target: 10" + (", current: 2}" if flow_current else "}")],
    ]
    texts = []
    for at, key, value in [(0, "none", "")] + list(edits):
        item = krs[at % len(krs)]
        if key == "title":
            item[0] = item[0].split(":")[0] + ": " + (value or "x")
        elif key == "extra line":
            item.append(f"    note: {value or 'n'}")
        elif key == "history":
            item.append(f"      - {{date: 2026-10-{at % 28 + 1:02d}, value: {value or 1}}}")
        elif key != "none":
            lines = [n for n, line in enumerate(item) if line.strip().removeprefix("- ").startswith(key + ":")]
            if lines:
                indent = item[lines[0]].split(key)[0]
                item[lines[0]] = f"{indent}{key}: {value}"
        texts.append("\n".join(["---", "title: T", "key_results:", *[line for kr in krs for line in kr], "tags: [a]", "---", "body", ""]))
    return texts


@hyp_settings(max_examples=300, deadline=None)
@given(EDITS, st.booleans())
def test_patched_versions_equal_a_full_parse(edits, flow_current):
    texts = _versions_text(edits, flow_current)
    blobs = {f"{n:040x}": text for n, text in enumerate(texts)}
    when = datetime.fromisoformat("2026-10-01T00:00:00+00:00")
    entries = [(Commit(blob, when, "A", "s"), "content/objectives/o.md", blob) for blob in blobs]
    versions = _Reader(blobs).versions(entries)
    for version, text in zip(versions, texts):
        assert version.data == front_data(split_front_matter(text)[0]), text


def test_a_check_in_only_commit_is_patched_not_parsed(monkeypatch):
    import okrsite.git.history as history_module

    calls = []
    monkeypatch.setattr(history_module, "front_data", lambda text: calls.append(text) or front_data(text))
    texts = _versions_text([(0, "current", "7"), (1, "done", "true"), (2, "progress", "0.4"), (0, "current", "9.5"), (0, "title", "New")])
    blobs = {f"{n:040x}": text for n, text in enumerate(texts)}
    when = datetime.fromisoformat("2026-10-01T00:00:00+00:00")
    versions = _Reader(blobs).versions([(Commit(b, when, "A", "s"), "content/objectives/o.md", b) for b in blobs])
    assert len(calls) == 2  # the first version and the title change
    assert [v.data["key_results"][0]["current"] for v in versions] == [5, 7, 7, 7, 9.5, 9.5]
    assert versions[2].data["key_results"][1]["done"] is True
    calls.clear()
    flow = {f"{n:040x}": t for n, t in enumerate(_versions_text([(0, "current", "7")], flow_current=True))}
    _Reader(flow).versions([(Commit(b, when, "A", "s"), "content/objectives/o.md", b) for b in flow])
    assert len(calls) == 2  # a value in flow style could be anywhere: every version is parsed


def test_a_repository_git_refuses_is_named_with_gits_fix(repo, tmp_path):
    import os
    import pwd
    import shutil as sh

    if os.geteuid() != 0:
        pytest.skip("making a folder another user's needs root")
    foreign = tmp_path / "foreign"
    sh.copytree(repo.root, foreign)
    nobody = pwd.getpwnam("nobody").pw_uid
    for path in [foreign, *foreign.rglob("*")]:
        os.chown(path, nobody, -1, follow_symlinks=False)
    assert read_history(foreign) is None
    result = build(foreign, tmp_path / "out")
    assert result.ok
    assert "History: off, git refuses to read this repository, owned by another user" in result.summary()
    assert f"git config --global --add safe.directory {foreign}" in result.summary()


def test_a_merge_is_the_change_it_brought_to_the_main_line(repo):
    """Branch commits are not interleaved by date with main's: the merge itself is the check-in."""
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({OBJ: objective(current=70)}, "2026-11-06T09:00:00+00:00", "Bo Chen", "Branch check-in")
    repo.git("checkout", "-q", "main")
    repo.commit({"content/kpis/mrr.md": kpi(data="data/mrr.csv").replace("target: 50000", "target: 52000")}, "2026-11-07T09:00:00+00:00", "Cy Diaz", "Main: KPI target")
    env = dict(repo.env, GIT_AUTHOR_NAME="Dee Merger", GIT_AUTHOR_EMAIL="d@x", GIT_COMMITTER_NAME="Dee Merger",
               GIT_COMMITTER_EMAIL="d@x", GIT_AUTHOR_DATE="2026-11-08T09:00:00+00:00", GIT_COMMITTER_DATE="2026-11-08T09:00:00+00:00")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "feature", env=env)
    _, _, scores = scores_of(repo.root)
    points = scores.objectives["reduce-churn"].key_results[0].history
    assert [p.value for p in points] == [0, 20, 45, 70]
    assert (points[-1].date, points[-1].author) == (date(2026, 11, 8), "Dee Merger")


@pytest.mark.parametrize("subject", ["check-in\x01x\x1fnot-a-date\x1fz\x1fq", "0123456789012345678901234567890123456789", ":100644 100644 a b M", "form\x0cfeed"])
def test_no_commit_message_confuses_the_log(repo, subject):
    repo.commit({OBJ: objective(current=50)}, "2026-11-10T09:00:00+00:00", "Bo Chen", subject)
    history = read_history(repo.root, ["content", "data/mrr.csv"])
    newest = history.commits[0]
    assert newest.author == "Bo Chen" and newest.day == date(2026, 11, 10)
    assert "\x0c" not in newest.subject and "\x01" not in newest.subject
    assert [v.data["key_results"][0]["current"] for v in history.of(OBJ)] == [0, 20, 45, 50]


def test_a_file_moved_out_of_the_site_is_gone_from_it(repo):
    repo.commit({}, "2026-11-08T10:00:00+00:00", "Bo Chen", "Archive", moves={OBJ: "archive/reduce-churn.md"})
    history = read_history(repo.root, ["content"])
    assert OBJ not in history.files and history.gone[-1].versions[-1].deleted


def test_a_worktree_of_a_shallow_clone_knows_its_oldest_commit(repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True, env=repo.env)
    subprocess.run(["git", "worktree", "add", "-q", str(tmp_path / "wt")], cwd=clone, check=True, env=repo.env)
    history = read_history(tmp_path / "wt", ["content", "data/mrr.csv"])
    assert history.shallow and history.commits[-1].boundary


def test_a_huge_past_version_is_skipped_not_held(repo, monkeypatch):
    import okrsite.git.history as history_module

    repo.commit({OBJ: objective(current=50, body="x" * 5000)}, "2026-11-10T09:00:00+00:00")
    repo.commit({OBJ: objective(current=55)}, "2026-11-11T09:00:00+00:00")
    monkeypatch.setattr(history_module, "MAX_VERSION_BYTES", 2000)
    versions = read_history(repo.root).of(OBJ)
    assert [v.data["key_results"][0]["current"] if v.data else None for v in versions] == [0, 20, 45, None, 55]


def test_check_ins_are_dated_by_utc_day_in_the_order_they_landed(repo):
    repo.commit({OBJ: objective(current=60)}, "2026-11-06T01:00:00+09:00", "Tokyo")  # 2026-11-05 16:00 UTC
    repo.commit({OBJ: objective(current=65)}, "2026-11-05T20:00:00-04:00", "New York")  # 2026-11-06 00:00 UTC
    _, _, scores = scores_of(repo.root)
    points = scores.objectives["reduce-churn"].key_results[0].history
    assert [(p.date, p.value) for p in points][-2:] == [(date(2026, 11, 5), 60), (date(2026, 11, 6), 65)]


def test_a_key_result_added_above_keeps_the_others_history(repo):
    extra = "  - title: Hire a lead\n    done: false\n"
    repo.commit({OBJ: objective(current=50).replace("key_results:\n", "key_results:\n" + extra)}, "2026-11-10T09:00:00+00:00", "Bo Chen")
    _, _, scores = scores_of(repo.root)
    krs = scores.objectives["reduce-churn"].key_results
    assert [p.value for p in krs[1].history] == [0, 20, 45, 50]  # "Grow accounts", now second
    assert (krs[0].history, krs[0].added) == ((), date(2026, 11, 10))  # a milestone added not done: no check-in, quiet since then
    assert [p.date for p in krs[2].history] == [date(2026, 10, 1)]  # churn: unchanged, not re-checked-in


@pytest.mark.parametrize("before, after", [
    # the real value carries a comment; a line in a text block looks like a value
    ("key_results:\n  - title: A\n    current: 40  # from the CRM\n    note: |\n      current: 40\n",
     "key_results:\n  - title: A\n    current: 40  # from the CRM\n    note: |\n      current: 55\n"),
    # a second key_results: YAML keeps the last one
    ("key_results:\n  - title: A\n    current: 1\nkey_results:\n  - title: B\n    current: 40\n",
     "key_results:\n  - title: A\n    current: 99\nkey_results:\n  - title: B\n    current: 40\n"),
    # flow style holds a value too
    ("key_results:\n  - title: A\n    current: 1\n  - {title: B, current: 2}\n",
     "key_results:\n  - title: A\n    current: 1\n  - {title: B, current: 3}\n"),
])
def test_texts_that_only_look_like_a_value_change_are_parsed(before, after):
    texts = ["---\ntitle: T\n" + body + "---\n" for body in (before, after)]
    blobs = {f"{n:040x}": text for n, text in enumerate(texts)}
    when = datetime.fromisoformat("2026-10-01T00:00:00+00:00")
    versions = _Reader(blobs).versions([(Commit(b, when, "A", "s"), "content/objectives/o.md", b) for b in blobs])
    for version, text in zip(versions, texts):
        assert version.data == front_data(split_front_matter(text)[0])


def test_a_key_result_renamed_then_moved_keeps_its_own_history(tmp_path):
    r = GitRepo(tmp_path / "chain")
    def two(first: tuple, second: tuple) -> str:
        krs = "".join(f"  - title: {t}\n    start: 0\n    target: 100\n    current: {v}\n" for t, v in (first, second))
        return f"---\ntitle: O\nperiod: 2026-Q4\nowner: sales\nkey_results:\n{krs}---\n"
    base = {"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM}
    r.commit({**base, OBJ: two(("Grow A", 10), ("Grow B", 20))}, "2026-10-01T09:00:00+00:00")
    r.commit({OBJ: two(("Grow A faster", 30), ("Grow B", 20))}, "2026-10-08T09:00:00+00:00")
    r.commit({OBJ: two(("Grow B", 25), ("Grow A faster", 30))}, "2026-10-15T09:00:00+00:00")
    _, _, scores = scores_of(r.root)
    b, a = scores.objectives["reduce-churn"].key_results
    assert [(p.date.day, p.value) for p in a.history] == [(1, 10), (8, 30)]
    assert [(p.date.day, p.value) for p in b.history] == [(1, 20), (15, 25)]


def test_the_users_log_settings_do_not_change_what_is_read(repo):
    repo.git("config", "log.showRoot", "false")
    repo.git("config", "log.showSignature", "true")
    history = read_history(repo.root, ["content", "data/mrr.csv"])
    assert len(history.commits) == 4 and history.of(OBJ)[0].data["key_results"][0]["current"] == 0


def test_a_log_output_encoding_setting_does_not_garble_names(tmp_path):
    """QA BZ: `i18n.logOutputEncoding = ISO-8859-1` in a runner's git settings made "Zoë" "Zo\ufffd" on
    the published site; the log is read as UTF-8 whatever it says (docs/history.md)."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ: objective(current=0)}, "2026-10-01T09:00:00+00:00", "Zoë Größer", "Plan")
    r.commit({OBJ: objective(current=20)}, "2026-10-15T09:00:00+00:00", "Zoë Größer", "Check-in: Größe")
    r.git("config", "i18n.logOutputEncoding", "ISO-8859-1")
    history = read_history(r.root, ["content"])
    assert sorted((c.author, c.subject) for c in history.commits) == [("Zoë Größer", "Check-in: Größe"), ("Zoë Größer", "Plan")]


def test_a_partial_clone_is_named_not_fetched_blob_by_blob(repo, tmp_path):
    repo.git("config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "blobless"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{repo.root}", str(clone)], check=True, env=repo.env)
    assert read_history(clone) is None
    result = build(clone, tmp_path / "out")
    assert result.ok and "History: off, a partial clone (--filter)" in result.summary()


def test_a_version_that_cannot_be_read_is_not_a_new_objective(repo, tmp_path):
    repo.commit({OBJ: "---\ntitle: [unclosed\n---\n"}, "2026-11-10T09:00:00+00:00", "Bo Chen", "broken")
    repo.commit({OBJ: objective(current=50)}, "2026-11-11T09:00:00+00:00", "Bo Chen", "fixed")
    result = build(repo.root, tmp_path / "out")
    page = (tmp_path / "out" / "changes" / "index.html").read_text()
    fixed = page.split("fixed</span>")[1].split("</ul>")[0]
    assert "Reduce churn › Grow accounts (KR 1): 45 → 50" in fixed and "New objective" not in fixed
    assert result.ok


def test_commit_note_is_the_body_without_trailers_in_one_line():
    from okrsite.git.history import MAX_NOTE, commit_note, note_for
    body = commit_note(b"two logos signed\nat the summit\n\nSigned-off-by: Ann <a@b.c>\n")
    assert note_for(body, "Sign 12 customers") == "two logos signed at the summit"
    assert commit_note(b"") == note_for("", "Sign 12 customers") == ""
    assert len(note_for(commit_note(b"x" * 2000), "Sign 12 customers")) == MAX_NOTE


def test_a_note_that_reads_like_a_key_and_value_is_no_trailer():
    from okrsite.git.history import commit_note, note_for
    assert note_for(commit_note(b"final: signed on the last day\n"), "Close deals") == "final: signed on the last day"
    assert commit_note(b"Q4: two more\n\nCo-authored-by: Bo <b@c.d>\nChange-Id: I12ab\nFixes: #12\n") == "Q4: two more"
    assert note_for(commit_note(b"Issue: late export from finance\n"), "Close deals") == "Issue: late export from finance"  # review


def test_a_listed_body_gives_each_key_result_its_own_lines():
    from okrsite.git.history import commit_note, note_for
    body = commit_note(b"- Grow revenue: Sign 12 customers: 5 -> 7\n- Cut churn: Keep churn below 2%: 2.4 -> 2.1\n")
    assert note_for(body, "Sign 12 customers") == "Grow revenue: Sign 12 customers: 5 -> 7"
    assert note_for(body, "keep churn below 2%") == "Cut churn: Keep churn below 2%: 2.4 -> 2.1"
    assert note_for(body, "Ship the wizard") == "- Grow revenue: Sign 12 customers: 5 -> 7 - Cut churn: Keep churn below 2%: 2.4 -> 2.1"
    headed = commit_note(b"Weekly update:\n- Sign 12 customers: two more\n- Cut churn: 2.1\n")
    assert note_for(headed, "Sign 12 customers") == "Sign 12 customers: two more"
    assert note_for(commit_note(b"Weekly update, no list.\nTwo more customers.\n"), "Sign 12 customers") == "Weekly update, no list. Two more customers."


def test_a_listed_item_is_found_by_its_whole_title_and_keeps_its_wrapped_lines():
    from okrsite.git.history import commit_note, note_for
    body = commit_note(b"- Grow: Sign 12 customers in EU: 3 -> 5\n- Grow: Sign 12 customers: 5 -> 7, two at\n  the retail summit\n")
    assert note_for(body, "Sign 12 customers") == "Grow: Sign 12 customers: 5 -> 7, two at the retail summit"
    assert note_for(body, "sign 12  customers in EU") == "Grow: Sign 12 customers in EU: 3 -> 5"
    assert note_for(body, "12 customers in") == "Grow: Sign 12 customers in EU: 3 -> 5"


def test_a_commit_listing_its_check_ins_gives_each_its_own_line_as_its_note(repo):
    other = "content/objectives/grow-trials.md"
    repo.commit({other: objective(title="Grow trials", current=10).replace("Grow accounts", "Double weekly trials")},
                "2026-11-05T09:00:00+00:00", "Ann Lee", "Plan trials")
    message = ("Check-in 20 Nov: sales, 2 updates\n\n- Reduce churn: Grow accounts: 45 -> 60, two logos at the summit\n"
               "- Grow trials: Double weekly trials: 10 -> 14\n")
    repo.commit({OBJ: objective(current=60), other: objective(title="Grow trials", current=14).replace("Grow accounts", "Double weekly trials")},
                "2026-11-20T09:00:00+00:00", "Ann Lee", message)
    _, _, scores = scores_of(repo.root)
    churn = scores.objectives["reduce-churn"].key_results[0].history[-1]
    trials = scores.objectives["grow-trials"].key_results[0].history[-1]
    assert churn.note == "Reduce churn: Grow accounts: 45 -> 60, two logos at the summit"
    assert trials.note == "Grow trials: Double weekly trials: 10 -> 14"


def _continued(root: Path, earlier):
    """A read that continues from ``earlier``, checked against a read from scratch."""
    from okrsite.git.history import read_history_from

    paths = ["content", "data/mrr.csv"]
    history, kept = read_history_from(root, paths, earlier)[:2]
    fresh, _ = read_history_from(root, paths)[:2]
    assert history == fresh
    return history, kept


def test_a_history_read_continues_from_the_last_commit_seen(repo, monkeypatch):
    """The build cache keeps what a read saw: the next read asks git only for the commits since
    (`last..HEAD`) and reads only the versions it has not seen, and the history is the same."""
    from okrsite.git import history as module

    _, kept = _continued(repo.root, None)
    repo.commit({OBJ: objective(current=60)}, "2026-11-06T10:00:00+00:00", "Bo Chen", "Check-in")
    repo.commit({"data/mrr.csv": "date,value\n2026-09-30,41000\n2026-10-31,43500\n2026-11-05,44000\n"}, "2026-11-07T10:00:00+00:00", "Ann Lee")
    logs, blobs = [], []
    real_git, real_blobs = module.git_output, module._read_blobs
    monkeypatch.setattr(module, "git_output", lambda args, cwd: (logs.append(args) if args[0] == "log" else None) or real_git(args, cwd))
    monkeypatch.setattr(module, "_read_blobs", lambda top, wanted: blobs.append(len(wanted)) or real_blobs(top, wanted))
    history, again = module.read_history_from(repo.root, ["content", "data/mrr.csv"], kept)[:2]
    monkeypatch.undo()
    assert len(logs) == 1 and f"{kept.head}..HEAD" in logs[0]
    assert blobs == [2]  # the two new versions
    assert history == read_history(repo.root, ["content", "data/mrr.csv"]) and len(history.commits) == 6
    _continued(repo.root, again)


def test_a_history_read_starts_again_when_the_last_commit_seen_is_gone(repo):
    """A rewritten history (an amend, a rebase, a reset) or another repository: read from scratch."""
    _, kept = _continued(repo.root, None)
    repo.git("reset", "-q", "--hard", "HEAD~2")
    repo.commit({OBJ: objective(current=33)}, "2026-11-05T10:00:00+00:00", "Bo Chen", "Another line")
    history, _ = _continued(repo.root, kept)
    assert history.of(OBJ)[-1].data["key_results"][0]["current"] == 33 and len(history.commits) == 3
    other = GitRepo(repo.root.parent / "other")
    other.commit({OBJ: objective(current=1)}, "2026-10-02T09:00:00+00:00")
    history, _ = _continued(other.root, kept)
    assert len(history.commits) == 1


def test_versions_parsed_apart_share_their_strings():
    """Every version's data is made by YAML anew; the reader gives equal strings one object across
    versions (what ten thousand commits keep in memory), the data itself unchanged."""
    texts = ["---\ntitle: Grow\nowner: sales\nkey_results:\n  - title: Leads\n    target: 10\n---\n",
             "---\ntitle: Grow faster\nowner: sales\nkey_results:\n  - title: Leads\n    target: 20\n---\n"]
    blobs = {f"{n:040x}": text for n, text in enumerate(texts)}
    when = datetime.fromisoformat("2026-10-01T00:00:00+00:00")
    first, second = _Reader(blobs).versions([(Commit(blob, when, "A", "s"), "content/objectives/o.md", blob) for blob in blobs])
    assert [first.data, second.data] == [front_data(split_front_matter(text)[0]) for text in texts]
    assert next(k for k in first.data if k == "owner") is next(k for k in second.data if k == "owner")
    assert first.data["owner"] is second.data["owner"]
    assert first.data["key_results"][0]["title"] is second.data["key_results"][0]["title"]


def test_okrsite_toml_gives_the_grading_settings_committed_by_each_day(repo, monkeypatch):
    """okrsite.toml's versions come from the same log and cat-file as the goals files, and a read that
    continues reads only its new ones; its commits are no goals change (the fixture's 4 commits stay 4)."""
    from okrsite.git import history as module

    _, kept = _continued(repo.root, None)
    repo.commit({"okrsite.toml": SETTINGS + 'default_kind = "aspirational"\naspirational_goal = 0.5\n'}, "2026-11-05T10:00:00+00:00")
    repo.commit({"okrsite.toml": SETTINGS + "aspirational_goal = [\n"}, "2026-11-06T10:00:00+00:00")
    repo.commit({"okrsite.toml": None}, "2026-11-07T10:00:00+00:00")
    blobs = []
    real_blobs = module._read_blobs
    monkeypatch.setattr(module, "_read_blobs", lambda top, wanted: blobs.append(len(wanted)) or real_blobs(top, wanted))
    history, _ = module.read_history_from(repo.root, ["content", "data/mrr.csv"], kept)[:2]
    monkeypatch.undo()
    assert blobs == [2] and len(history.commits) == 4  # the two versions written since (the deletion has none)
    defaults = {"default_kind": "committed", "aspirational_goal": 0.7}
    assert [grading(history.grading_on(date(2026, month, day))) for month, day in ((9, 30), (10, 1), (11, 4), (11, 5), (11, 6), (11, 7))] == [
        None, defaults, defaults, {"default_kind": "aspirational", "aspirational_goal": 0.5}, None, defaults]
    _continued(repo.root, kept)


def grading(found: dict | None) -> dict | None:
    """The grading settings of what History.grading_on found (a version's data holds default_period too)."""
    return None if found is None else {key: found[key] for key in GRADING}


def test_okrsite_toml_gives_the_default_period_committed_by_each_commit(repo):
    """History.default_periods: from the versions grading_on reads (no second read of okrsite.toml),
    None where none is set or the file was deleted; a version that cannot be read, or whose
    default_period cannot be, is left out, and leaves the grading settings of its version known."""
    moves = [(SETTINGS + 'default_period = "2026-Q4"\n', 5), (SETTINGS + "default_period = [\n", 6), (SETTINGS + "default_period = true\n", 7),
             (SETTINGS + 'default_period = "FY27-Q1"\n', 8), (None, 9)]
    for text, day in moves:
        repo.commit({"okrsite.toml": text}, f"2026-11-{day:02d}T10:00:00+00:00")
    history = read_history(repo.root, ["content", "data/mrr.csv"])
    assert [(commit.day.isoformat(), value) for commit, value in history.default_periods()] == [
        ("2026-10-01", None), ("2026-11-05", "2026-Q4"), ("2026-11-08", "FY27-Q1"), ("2026-11-09", None)]
    assert grading(history.grading_on(date(2026, 11, 7))) == {"default_kind": "committed", "aspirational_goal": 0.7}


def test_history_follows_the_goals_moved_into_a_folder(repo, monkeypatch):
    """`git mv content data okrsite.toml okrs/`: the site is read from okrs/, and its files' history
    before the move (under the old paths, outside okrs/) is read on, not begun anew at the move."""
    before = read_history(repo.root, ["content", "data/mrr.csv"])
    (repo.root / "okrs").mkdir()
    repo.git("mv", "content", "data", "okrsite.toml", "okrs/")
    repo.commit({}, "2026-11-08T10:00:00+00:00", "Mover", "Move the goals into okrs/")
    site = repo.root / "okrs"
    history = read_history(site, ["content", "data/mrr.csv"])
    assert history.prefix == "okrs/" and history.commits == before.commits  # the move changed no goal
    assert [v.commit.author for v in history.of(OBJ)] == ["Ann Lee", "Bo Chen", "Ann Lee"]
    assert [v.commit.author for v in history.of("data/mrr.csv")] == ["Ann Lee", "Ann Lee"]
    assert [v.path for v in history.of(OBJ)] == [OBJ] * 3 and not history.gone
    assert history.since == date(2026, 10, 1) and len(history.settings) == 2
    _, _, scores = scores_of(site)
    points = scores.objectives["reduce-churn"].key_results[0].history
    assert [(p.date, p.value, p.author) for p in points] == [
        (date(2026, 10, 1), 0, "Ann Lee"), (date(2026, 10, 15), 20, "Bo Chen"), (date(2026, 11, 4), 45, "Ann Lee")]
    _, kept = _continued(site, None)
    repo.commit({"okrs/" + OBJ: objective(current=70)}, "2026-11-09T10:00:00+00:00", "Bo Chen", "Check-in")
    history, _ = _continued(site, kept)
    assert [v.commit.author for v in history.of(OBJ)] == ["Ann Lee", "Bo Chen", "Ann Lee", "Bo Chen"]


def test_a_site_moved_from_the_top_reads_only_what_was_moved_before_the_move(repo, monkeypatch):
    """A monorepo's other files (src/) are not read: the older log asks for the moved folders only,
    never the whole repository."""
    from okrsite.git import history as module

    repo.commit({"src/app.py": "print(1)\n"}, "2026-11-05T10:00:00+00:00", "Dev", "Code")
    (repo.root / "okrs").mkdir()
    repo.git("mv", "content", "data", "okrsite.toml", "okrs/")
    repo.commit({}, "2026-11-08T10:00:00+00:00", "Mover", "Move the goals into okrs/")
    pathspecs = []
    real_git = module.git_output
    walks = lambda args: args[0] == "log" and "--no-walk=unsorted" not in args  # noqa: E731 (asking about named commits is no walk)
    monkeypatch.setattr(module, "git_output", lambda args, cwd: (pathspecs.append(args[args.index("--") + 1:]) if walks(args) else None) or real_git(args, cwd))
    history = read_history(repo.root / "okrs", ["content", "data/mrr.csv"])
    assert [v.commit.author for v in history.of(OBJ)] == ["Ann Lee", "Bo Chen", "Ann Lee"]
    assert all(spec and "src" not in spec for spec in pathspecs), pathspecs


def test_a_docs_file_renamed_into_the_site_brings_no_history(tmp_path):
    """Only a goals file (a page, a CSV, the settings) moved in is followed back: a README renamed to
    an objective beside a new CSV starts afresh."""
    r = GitRepo(tmp_path / "mono")
    r.commit({"goals/okrsite.toml": SETTINGS, "goals/content/teams/sales.md": TEAM, "docs/template.txt": "old text\n"},
             "2026-10-01T09:00:00+00:00", "Ann Lee")
    r.commit({"docs/template.txt": "newer text\n"}, "2026-10-05T09:00:00+00:00", "Bo Chen")
    r.commit({"goals/data/mrr.csv": "date,value\n"}, "2026-11-02T09:00:00+00:00", "Mover", moves={"docs/template.txt": "goals/content/objectives/x.md"})
    history = read_history(r.root / "goals", ["content", "data/mrr.csv"])
    assert [v.commit.author for v in history.of("content/objectives/x.md")] == ["Mover"]


def test_a_file_moved_in_from_elsewhere_brings_its_history_and_nothing_else(tmp_path):
    r = GitRepo(tmp_path / "mono")
    r.commit({"goals/okrsite.toml": SETTINGS, "goals/content/teams/sales.md": TEAM, "exports/mrr.csv": "date,value\n2026-09-30,41000\n",
              "exports/other.csv": "date,value\n"}, "2026-10-01T09:00:00+00:00", "Ann Lee")
    r.commit({"exports/mrr.csv": "date,value\n2026-09-30,41000\n2026-10-31,43500\n"}, "2026-11-01T09:00:00+00:00", "Bo Chen")
    r.commit({"goals/content/kpis/mrr.md": kpi(data="data/mrr.csv")}, "2026-11-02T09:00:00+00:00", "Mover",
             moves={"exports/mrr.csv": "goals/data/mrr.csv"})
    history = read_history(r.root / "goals", ["content", "data/mrr.csv", "data/other.csv"])
    assert [v.commit.author for v in history.of("data/mrr.csv")] == ["Ann Lee", "Bo Chen"]
    assert "data/other.csv" not in history.files and not history.gone


def test_a_site_that_never_moved_asks_git_nothing_more(tmp_path, monkeypatch):
    """A site in a subfolder whose files were only ever added there: commits adding one file each
    cost no second log; one adding two files is asked about."""
    from okrsite.git import history as module

    r = GitRepo(tmp_path / "mono")
    r.commit({"goals/okrsite.toml": SETTINGS, "goals/content/teams/sales.md": TEAM}, "2026-10-01T09:00:00+00:00")
    _, kept = module.read_history_from(r.root / "goals", ["content"])[:2]
    r.commit({"goals/" + OBJ: objective()}, "2026-10-02T09:00:00+00:00")
    r.commit({"goals/" + OBJ: objective(current=9)}, "2026-10-03T09:00:00+00:00")
    logs = []
    real_git = module.git_output
    monkeypatch.setattr(module, "git_output", lambda args, cwd: (logs.append(args[0]) if args[0] == "log" else None) or real_git(args, cwd))
    _, kept = module.read_history_from(r.root / "goals", ["content"], kept)[:2]
    assert logs == ["log"]  # the commits since; none added two files
    logs.clear()
    r.commit({"goals/" + OBJ: objective(current=12)}, "2026-10-04T09:00:00+00:00")
    _, kept = module.read_history_from(r.root / "goals", ["content"], kept)[:2]
    assert logs == ["log"]
    logs.clear()
    r.commit({"goals/content/objectives/b.md": objective(), "goals/content/objectives/c.md": objective()}, "2026-10-05T09:00:00+00:00")
    module.read_history_from(r.root / "goals", ["content"], kept)
    assert logs == ["log", "log"]  # the commits since, and whether the two files came from elsewhere


def test_history_follows_a_renamed_kpi_csv(repo):
    """`git mv data/mrr.csv data/mrr-2026.csv` with `data:` changed: its values keep their authors."""
    repo.commit({"content/kpis/mrr.md": kpi(data="data/mrr-2026.csv")}, "2026-11-08T10:00:00+00:00", "Mover", "Move the export",
                moves={"data/mrr.csv": "data/mrr-2026.csv"})
    loaded, history, scores = scores_of(repo.root)
    assert [v.commit.author for v in history.of("data/mrr-2026.csv")] == ["Ann Lee", "Ann Lee", "Mover"]
    assert [v.path for v in history.of("data/mrr-2026.csv")] == ["data/mrr.csv"] * 2 + ["data/mrr-2026.csv"] and len(history.commits) == 5
    state = scores.kpis["mrr"]
    assert (state.updated, state.updated_by) == (date(2026, 11, 2), "Ann Lee")


def test_the_summary_counts_the_commits_used_by_the_as_of_date(repo, tmp_path):
    """--as-of before some commits: they are left out of the history, and the summary says so."""
    result = build(repo.root, tmp_path / "out", as_of=date(2026, 10, 20))
    assert result.ok and "History: 2 commits since 2026-10-01; 2 dated after the as-of date 2026-10-20 left out" in result.summary()
    result = build(repo.root, tmp_path / "out2", as_of=date(2026, 9, 1))
    assert "History: no commit by the as-of date 2026-09-01; 4 dated after it left out" in result.summary()


def test_a_shallow_clones_changes_page_knows_nothing_of_a_day_before_it(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True, env=repo.env)
    result = build(clone, tmp_path / "out", as_of=date(2026, 10, 20))
    page = (tmp_path / "out" / "changes" / "index.html").read_text()
    assert result.ok and "No goal has changed yet" not in page
    assert ('Nothing is known of the changes up to <time datetime="2026-10-20">2026-10-20</time>: this site was built from a shallow clone whose history '
            'starts on <time datetime="2026-11-02">2026-11-02</time>') in page
    assert "a shallow clone back to 2026-11-02, after the as-of date 2026-10-20: its 2 commits are left out" in result.summary()


GIT_REFUSES = """fatal: detected dubious ownership in repository at '/srv/goals'
To add an exception for this directory, call:

\tgit config --global --add safe.directory /srv/goals
"""


def test_the_reason_git_refuses_a_repository_is_read_from_what_git_says():
    from okrsite.git.worktree import refusal_in

    assert refusal_in(GIT_REFUSES) == ("git refuses to read this repository, owned by another user "
                                       "(to allow it: git config --global --add safe.directory /srv/goals)")
    assert refusal_in("fatal: not a git repository (or any of the parent directories): .git") is None


def test_the_changes_page_of_a_repository_git_refuses_gives_the_reason_and_fix(repo, tmp_path):
    from ..gitrepo import foreign_copy

    foreign = foreign_copy(repo, tmp_path / "foreign")
    assert build(foreign, tmp_path / "out").ok
    page = (tmp_path / "out" / "changes" / "index.html").read_text()
    assert "not built from a git repository" not in page
    assert "git refuses to read this repository, owned by another user" in page and f"safe.directory {foreign}" in page


LONG = "[periods.W]\nstart = 2026-11-01\nend = 2027-01-31\n"
ROLL_UP = "---\ntitle: Parent\nperiod: 2026-Q4\nowner: sales\n---\n"


def aligned(period: str, krs: str) -> str:
    return f"---\ntitle: Kid {period}\nperiod: {period}\nowner: sales\nparent: {{parent}}\nkey_results:\n{krs}---\n"


@needs_git
@pytest.mark.parametrize("as_of", [date(2026, 12, 31), date(2027, 1, 5), date(2027, 2, 5)])
def test_a_finished_roll_up_is_dated_by_the_commit_that_set_its_child_as_it_stood(tmp_path, as_of):
    """A child of a longer period counts in a Q4 roll-up as it stood on Dec 31, and so dates it: by the
    commit that set that value (the one that added it: Bob, Nov 10), not by Carol's January commit,
    nor by nothing once the quarter is over."""
    repo = GitRepo(tmp_path / "goals")
    kid = aligned("W", "  - title: K\n    target: 100\n    current: {current}\n").replace("{parent}", "parent")
    repo.commit({"okrsite.toml": SETTINGS + LONG, "content/teams/sales.md": TEAM, "content/objectives/parent.md": ROLL_UP,
                 "content/objectives/kid.md": kid.format(current=20)}, "2026-11-10T10:00:00+00:00", author="Bob Stone")
    repo.commit({"content/objectives/kid.md": kid.format(current=90)}, "2027-01-02T10:00:00+00:00", author="Carol King")
    loaded, history, scores = scores_of(repo.root, as_of)
    parent = scores.objectives["parent"]
    assert (parent.updated, parent.updated_by) == (date(2026, 11, 10), "Bob Stone")


@needs_git
def test_finished_roll_ups_are_dated_by_the_commit_of_a_back_dated_check_in_whatever_their_child_s_period(tmp_path):
    """Frank commits a check-in dated Dec 5 on Dec 28 to two children, one of Q4 and one of a longer
    period, each aligned to a Q4 roll-up: both roll-ups were last updated by Frank on Dec 28, in
    January as on Dec 31 (the date of the commit, as for the children themselves)."""
    repo = GitRepo(tmp_path / "goals")
    entry = "      - {{date: 2026-11-10, value: 20}}\n{more}"
    kr = "  - title: K\n    target: 100\n    history:\n" + entry
    files = {"okrsite.toml": SETTINGS + LONG, "content/teams/sales.md": TEAM,
             "content/objectives/parent-a.md": ROLL_UP, "content/objectives/parent-b.md": ROLL_UP.replace("Parent", "Parent B")}
    kids = {"content/objectives/kid-a.md": aligned("W", kr).replace("{parent}", "parent-a"),
            "content/objectives/kid-b.md": aligned("2026-Q4", kr).replace("{parent}", "parent-b")}
    repo.commit({**files, **{path: text.format(more="") for path, text in kids.items()}}, "2026-11-10T10:00:00+00:00", author="Ann Lee")
    repo.commit({path: text.format(more="      - {date: 2026-12-05, value: 50}\n") for path, text in kids.items()}, "2026-12-28T10:00:00+00:00", author="Frank Ho")
    for as_of in (date(2026, 12, 31), date(2027, 1, 5), date(2027, 2, 5)):
        loaded, history, scores = scores_of(repo.root, as_of)
        for ident in ("parent-a", "parent-b"):
            assert (scores.objectives[ident].updated, scores.objectives[ident].updated_by) == (date(2026, 12, 28), "Frank Ho"), (as_of, ident)


@needs_git
def test_a_finished_roll_up_counts_a_child_s_milestone_and_estimate_as_they_stood_on_its_last_day(tmp_path):
    """Eve marks a milestone done and raises an estimate in January: the child's own progress moves, the
    Q4 roll-up's grade does not (done: and progress: are rewound as current: is), and its date stays
    Bob's December check-in, the last that set what it counts."""
    repo = GitRepo(tmp_path / "goals")
    kid = aligned("W", "  - title: Ship\n    done: {done}\n  - title: Estimate\n    progress: {progress}\n").replace("{parent}", "parent")
    repo.commit({"okrsite.toml": SETTINGS + LONG, "content/teams/sales.md": TEAM, "content/objectives/parent.md": ROLL_UP,
                 "content/objectives/kid.md": kid.format(done="false", progress=0.1)}, "2026-11-06T10:00:00+00:00", author="Alice Wu")
    repo.commit({"content/objectives/kid.md": kid.format(done="false", progress=0.2)}, "2026-12-15T10:00:00+00:00", author="Bob Stone")
    repo.commit({"content/objectives/kid.md": kid.format(done="true", progress=0.9)}, "2027-01-10T10:00:00+00:00", author="Eve Park")
    loaded, history, scores = scores_of(repo.root, date(2027, 1, 15))
    parent, kid_score = scores.objectives["parent"], scores.objectives["kid"]
    assert (parent.grade, parent.updated, parent.updated_by) == (0.1, date(2026, 12, 15), "Bob Stone")
    assert kid_score.progress == pytest.approx(0.95) and parent.counted_then == (("kid", pytest.approx(0.1)),)


def test_the_commit_that_adds_a_carried_over_objective_is_no_one_s_check_in(tmp_path):
    """QA AF: the files `carry-over` writes hold no `current:`, `done: false` and `progress: 0`, and
    the commit that adds them records no number: its author was shown as every key result's last
    check-in ("last check-in 2026-10-02 by Hana Kim"), the estimate got a check-in of 0 %, and a key
    result that follows a KPI was dated by that commit. Nor is the KPI's value committed before it (see
    test_git_site's test_a_kpi_value_recorded_before_its_follower_was_added_is_no_check_in_of_it)."""
    from okrsite.carryover import carry_over

    repo = GitRepo(tmp_path / "goals")
    q3 = ("---\ntitle: Win the mid-market\nperiod: 2026-Q3\nowner: sales\nkey_results:\n"
          "  - {title: Sign shippers, start: 0, target: 20, current: 13}\n"
          "  - {title: Grow revenue, kpi: mrr, target: 50000}\n"
          "  - {title: Rail partnership signed, done: false}\n"
          "  - {title: Dispatch migrated, progress: 0.4}\n---\n")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, "content/objectives/mid-market.md": q3,
                 "content/kpis/mrr.md": kpi(data="data/mrr.csv"), "data/mrr.csv": "date,value\n2026-09-30,41000\n"},
                "2026-07-01T09:00:00+00:00", "Ann Lee", "Plan Q3")
    carry_over(repo.root, "2026-Q3", "2026-Q4", as_of=date(2026, 10, 2))
    repo.commit({}, "2026-10-02T09:00:00+00:00", "Hana Kim", "Carry over 2026-Q3")
    _, _, scores = scores_of(repo.root, date(2026, 10, 20))
    follower = scores.objectives["mid-market-2"]
    assert [(s.updated, s.updated_by, s.history, s.added) for s in follower.key_results] == [
        (None, None, (), date(2026, 10, 2)),
        (None, None, (), date(2026, 10, 2)),  # the KPI's value committed on 2026-07-01, before it existed, is its start, no check-in
        (None, None, (), date(2026, 10, 2)),
        (None, None, (), date(2026, 10, 2))]
    assert (follower.updated, follower.updated_by) == (None, None)
    repo.commit({"content/objectives/mid-market-2.md": (repo.root / "content/objectives/mid-market-2.md").read_text().replace(
        "    target: 20\n", "    target: 20\n    current: 15\n", 1)}, "2026-10-19T09:00:00+00:00", "Leo Martin", "Check-in")
    _, _, scores = scores_of(repo.root, date(2026, 10, 20))
    first = scores.objectives["mid-market-2"].key_results[0]
    assert (first.updated, first.updated_by, [p.value for p in first.history]) == (date(2026, 10, 19), "Leo Martin", [15])


def test_a_title_corrected_since_keeps_each_old_note_its_own_line(tmp_path):
    """A check-in commit listing two objectives' key results, then a typo fixed in one title (QA CQ):
    each note is matched against the title as that commit wrote it, not the whole list with the other
    objective's line; a later check-in naming the title as it is now still finds its own line."""
    r = GitRepo(tmp_path / "goals")
    grow = lambda title, current: one_key_result("Grow sales", "2026-Q3", title, 10, current, start=0)  # noqa: E731
    hire = lambda current: one_key_result("Hire", "2026-Q3", "Hire 10 engineers", 10, current, start=0)  # noqa: E731
    grow_path, hire_path = "content/objectives/grow.md", "content/objectives/hire.md"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, grow_path: grow("Sign 10 new custmers", 0), hire_path: hire(0)},
             "2026-07-01T10:00:00+00:00", "Ann Lee", "Plan")
    r.commit({grow_path: grow("Sign 10 new custmers", 4), hire_path: hire(3)}, "2026-08-06T10:00:00+00:00", "Ann Lee",
             "Check-in 06 Aug: 2 updates\n\n- Sign 10 new custmers: 0 -> 4, two logos at the summit\n"
             "- Hire 10 engineers: 0 -> 3, an offer declined\n")
    r.commit({grow_path: grow("Sign 10 new customers", 4)}, "2026-09-01T10:00:00+00:00", "Bo Chen", "Fix a typo")
    r.commit({grow_path: grow("Sign 10 new customers", 6), hire_path: hire(5)}, "2026-09-08T10:00:00+00:00", "Ann Lee",
             "Check-in 08 Sep\n\n- Sign 10 new customers: 4 -> 6\n- Hire 10 engineers: 3 -> 5\n")
    _, _, scores = scores_of(r.root, date(2026, 12, 5))
    notes = [(p.date.isoformat(), p.note) for p in scores.objectives["grow"].key_results[0].history if p.source == "git"]
    assert notes == [("2026-07-01", ""), ("2026-08-06", "Sign 10 new custmers: 0 -> 4, two logos at the summit"),
                     ("2026-09-08", "Sign 10 new customers: 4 -> 6")]


def test_a_kpi_renamed_since_keeps_its_old_note_its_own_line(tmp_path):
    """The same for a KPI's value: its note is the item naming the KPI's title as that commit's file had it."""
    r = GitRepo(tmp_path / "goals")
    mrr = "content/kpis/mrr.md"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, mrr: kpi("  - {date: 2026-09-30, value: 41000}").replace("Monthly recurring revenue", "Montly revenue")},
             "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan")
    r.commit({mrr: kpi("  - {date: 2026-09-30, value: 41000}\n  - {date: 2026-10-31, value: 43000}").replace("Monthly recurring revenue", "Montly revenue")},
             "2026-11-02T09:00:00+00:00", "Ann Lee", "Numbers\n\n- Montly revenue: 43,000, a big renewal\n- Churn: 2.1%, two small accounts\n")
    r.commit({mrr: kpi("  - {date: 2026-09-30, value: 41000}\n  - {date: 2026-10-31, value: 43000}").replace("Monthly recurring revenue", "Monthly revenue")},
             "2026-11-05T09:00:00+00:00", "Bo Chen", "Fix a typo")
    _, _, scores = scores_of(r.root)
    (october,) = [p for p in scores.kpis["mrr"].values if p.date == date(2026, 10, 31)]
    assert october.note == "Montly revenue: 43,000, a big renewal"


@pytest.mark.parametrize("command, how, said", [
    ("log", KILLED, "`git log` was stopped by SIGKILL"),
    ("log", "echo 'fatal: bad object HEAD' >&2; exit 128", "`git log` failed with exit status 128: fatal: bad object HEAD"),
    ("log", "echo garbled; exit 0", "`git log` gave output that could not be read"),
    ("cat-file", KILLED, "`git cat-file` was stopped by SIGKILL"),
])
def test_git_failing_while_reading_the_history_is_said_not_taken_for_no_repository(repo, tmp_path, monkeypatch, command, how, said):
    """A git killed while reading the log (a timeout), or failing, left the site without history in
    silence: the summary said nothing and the Changes page "not built from a git repository". Now the
    summary and the page say git failed, how, and what to do; the next build reads the history again,
    not "nothing changed since the last build"."""
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", command, how))
    result = build(repo.root, tmp_path / "out")
    assert result.ok and f"History: off, git failed while reading the history ({said}), so check-ins and freshness are unknown" in result.summary()
    page = (tmp_path / "out" / "changes" / "index.html").read_text()
    assert "not built from a git repository" not in page and "There is no history to show: git failed while reading the history" in page
    monkeypatch.undo()
    again = build(repo.root, tmp_path / "out")
    assert again.summary().endswith("History: 4 commits since 2026-10-01") and not again.unchanged


def test_a_git_failure_is_said_in_the_words_of_the_page_not_its_markup(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log", "echo 'fatal: <b>bad</b> & worse' >&2; exit 1"))
    assert build(repo.root, tmp_path / "out").ok
    assert "fatal: &lt;b&gt;bad&lt;/b&gt; &amp; worse" in (tmp_path / "out" / "changes" / "index.html").read_text()


def test_a_public_build_whose_git_fails_is_refused_leaving_the_previous_site(repo, tmp_path, monkeypatch):
    """A public site reads from git which values were confidential when written (a KPI made public since,
    a once-confidential data file): a build where git failed took that as "none were" and could publish
    them. It is refused now, and the previous output stays; an internal build goes on as before."""
    out = tmp_path / "public"
    assert build(repo.root, out, audience="public").ok
    before = sorted((p.relative_to(out).as_posix(), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    result = build(repo.root, out, audience="public", cache=False)  # with the cache, nothing changed: no build, no git
    assert not result.ok
    error = next(d for d in result.report.errors)
    assert error.message.startswith("git failed while reading the history (") and "cannot tell which values were confidential" in error.message
    assert sorted((p.relative_to(out).as_posix(), p.read_bytes()) for p in out.rglob("*") if p.is_file()) == before
    assert build(repo.root, tmp_path / "internal").ok
