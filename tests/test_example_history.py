"""docs/examples/example_history.py: a git repository whose history is a quarter of check-ins."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from okrsite.build import build
from okrsite.goals.repository import load_site

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "docs" / "examples" / "example_history.py"
AS_OF = date(2026, 11, 23)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def make_history(dest: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(dest), *options],
                          capture_output=True, text=True, timeout=300, check=False)


def source_files() -> dict[str, bytes]:
    """The example's files, as the history's last commit holds them: git_history turned on."""
    settings = (REPO / "okrsite.toml").read_bytes()
    assert b"\ngit_history = false\n" in settings, "the example in okrsite's repository reads no history"
    files = {"okrsite.toml": settings.replace(b"\ngit_history = false\n", b"\ngit_history = true\n")}
    for folder in ("content", "data"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file():
                files[path.relative_to(REPO).as_posix()] = path.read_bytes()
    return files


def tree_files(repo: Path, commit: str) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    data = subprocess.run(["git", "archive", "--format=tar", commit], cwd=repo, env=env, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def extract(repo: Path, commit: str, dest: Path) -> Path:
    for name, data in tree_files(repo, commit).items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(data)
    return dest


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("history") / "goals"
    done = make_history(dest, "--source", str(REPO))
    assert done.returncode == 0, done.stderr
    assert re.search(r"\d+ commits .*2026-06-\d\d to 2026-11-\d\d", done.stdout), done.stdout
    assert f"okrsite serve {dest}" in done.stdout
    return dest


def commits(repo: Path) -> list[tuple[str, str, datetime, datetime]]:
    """(hash, author email, author date, committer date), oldest first."""
    rows = []
    for line in git(repo, "log", "--reverse", "--format=%H %ae %aI %cI").splitlines():
        ident, email, authored, committed = line.split()
        rows.append((ident, email, datetime.fromisoformat(authored), datetime.fromisoformat(committed)))
    return rows


def test_a_quarter_of_commits_with_increasing_dates(history: Path) -> None:
    rows = commits(history)
    assert len(rows) > 20
    for _, _, authored, committed in rows:
        assert authored == committed
        assert date(2026, 6, 15) <= authored.date() <= AS_OF
    times = [authored for _, _, authored, _ in rows]
    assert all(a < b for a, b in itertools.pairwise(times)), "commit dates must strictly increase"


def test_check_ins_come_from_several_people(history: Path) -> None:
    emails = {email for _, email, _, _ in commits(history)}
    assert len(emails) >= 4
    assert all(email.endswith("@tidewater.example") for email in emails)


def test_the_last_commit_is_the_example_byte_for_byte(history: Path) -> None:
    assert git(history, "status", "--porcelain") == ""
    assert tree_files(history, "HEAD") == source_files()


def test_the_copy_reads_its_history(history: Path, tmp_path: Path) -> None:
    """The example turns git history off (okrsite's own commits are not check-ins); its copy turns it on."""
    out = tmp_path / "out"
    result = build(history, out)
    assert result.ok, result.report.items
    assert result.history.startswith("History: ") and "commits since 2026-06-" in result.history
    data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    assert any(p["source"] == "git" for o in data["objectives"] for kr in o["key_results"] for p in kr["history"])


def test_a_draft_objective_is_renamed(history: Path) -> None:
    renames = [line.split("\t") for line in git(history, "log", "--diff-filter=R", "-M", "--name-status", "--format=").splitlines() if line]
    assert renames, "no commit renames a file"
    status, old, new = renames[0]
    assert status.startswith("R") and new.startswith("content/objectives/")
    followed = git(history, "log", "--follow", "--name-status", "--format=%H", "--", new)
    assert re.search(rf"^R\d+\t{re.escape(old)}\t{re.escape(new)}$", followed, re.MULTILINE)
    assert re.search(rf"^A\t{re.escape(old)}$", followed, re.MULTILINE), "the draft was added earlier under its draft name"


def _value_changes(repo: Path) -> list[tuple[datetime, str, int, str]]:
    """(commit date, file, line, key) of every changed current:/done:/progress: line of a key result."""
    changes, when, path, line_no, removed = [], None, None, 0, set()
    log = git(repo, "log", "-p", "--unified=0", "--no-renames", "--format=commit %aI", "--", "content/objectives")
    for line in log.splitlines():
        if line.startswith("commit "):
            when = datetime.fromisoformat(line.split()[1])
        elif line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@ "):
            line_no, removed = int(re.match(r"^@@ -\S+ \+(\d+)", line)[1]), set()
        elif line.startswith("-") and not line.startswith("---"):
            match = re.match(r"^-\s+(current|done|progress):", line)
            if match:
                removed.add(match[1])
        elif line.startswith("+") and path:
            match = re.match(r"^\+\s+(current|done|progress):", line)
            if match and match[1] in removed:      # a changed value, not a new file's line
                changes.append((when, path, line_no, match[1]))
            line_no += 1
    return changes


def test_key_results_move_in_check_ins(history: Path) -> None:
    changes = _value_changes(history)
    per_line = Counter((path, line) for _, path, line, key in changes if key == "current")
    assert max(per_line.values()) >= 3, per_line
    assert any(key == "done" for *_, key in changes)
    assert any(key == "progress" for *_, key in changes)


def test_two_running_objectives_are_stale(history: Path) -> None:
    """Two Q4 objectives whose numbers moved have not changed for more than 14 days on as_of."""
    last: dict[str, datetime] = {}
    for when, path, _, _ in _value_changes(history):
        if "/2026-q4/" in path:
            last[path] = max(last.get(path, when), when)
    stale = [path for path, when in last.items() if when.date() < AS_OF - timedelta(days=14)]
    assert len(stale) >= 2, last
    assert len(stale) < len(last), "the other objectives keep moving"


def test_the_repository_loads_without_errors(history: Path) -> None:
    loaded = load_site(history)
    assert loaded.report.errors == []
    assert len(loaded.site.objectives) == len(list((REPO / "content" / "objectives").rglob("*.md")))


def test_intermediate_commits_load_without_errors(history: Path, tmp_path: Path) -> None:
    rows = commits(history)
    rename = git(history, "log", "-M", "--diff-filter=R", "--format=%H").split()[0]
    picked = {rows[len(rows) // 2][0], rows[len(rows) // 4][0], git(history, "rev-parse", rename + "^").strip()}
    picked |= {ident for ident, *_ in rows[5:-1:12]}  # the last commit is the source itself
    for n, ident in enumerate(sorted(picked)):
        root = extract(history, ident, tmp_path / f"c{n}")
        loaded = load_site(root)
        assert loaded.report.errors == [], f"commit {ident[:10]}: {loaded.report.errors}"
        assert tree_files(history, ident) != source_files()


def test_the_same_source_gives_the_same_commits(history: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    done = make_history(again)  # the source defaults to the repository next to docs/
    assert done.returncode == 0, done.stderr
    assert git(again, "log", "--format=%H %an %aI %s") == git(history, "log", "--format=%H %an %aI %s")


def test_refuses_a_destination_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("keep me")
    done = make_history(tmp_path / "busy")
    assert done.returncode != 0 and "not empty" in done.stderr
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]


def test_every_objective_is_updated_when_a_descendant_is(history: Path, tmp_path: Path) -> None:
    """An objective that rolls up its children (no key results) carries its latest descendant's update."""
    out = tmp_path / "out"
    assert build(history, out).ok
    objectives = {o["id"]: o for o in json.loads((out / "okrs.json").read_text(encoding="utf-8"))["objectives"]}

    def below(ident: str):
        for child in objectives[ident]["children"]:
            yield objectives[child]
            yield from below(child)

    for o in objectives.values():
        dated = [(d["updated"], d["updated_by"]) for d in below(o["id"]) if d["updated"]]
        if dated:
            assert o["updated"], f"{o['id']} has no updated though {len(dated)} of its descendants have"
        if not o["key_results"] and dated:
            assert (o["updated"], o["updated_by"]) == max(dated, key=lambda pair: (pair[0], pair[1] is not None))
    assert objectives["win-customer-love"]["key_results"] == [] and objectives["win-customer-love"]["updated"] == "2026-11-23"


def test_a_build_of_the_example_leaves_git_status_clean(history: Path) -> None:
    """The site/ and the build cache in the example's repository were untracked files in `git status`
    (`okrsite init` writes a .gitignore for them)."""
    assert build(history).ok
    assert (history / "site" / "index.html").is_file() and (history / ".okrsite-cache").is_dir()
    assert git(history, "status", "--porcelain") == ""


DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def example_json(history: Path, tmp_path_factory) -> dict[str, dict]:
    """okrs.json of the example with its history, internal and public: what the docs' figures come from."""
    built = {}
    for audience in ("internal", "public"):
        out = tmp_path_factory.mktemp(audience)
        assert build(history, out, AS_OF, audience=audience, cache=False).ok
        built[audience] = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    return built


def _by_id(data: dict) -> dict[str, dict]:
    found = {entity["id"]: entity for kind in ("teams", "objectives", "kpis") for entity in data[kind]}
    found |= {kr["id"]: kr for o in data["objectives"] for kr in o["key_results"]}
    return found


def _documented(block: str) -> dict | None:
    """A JSON example of okrs-json.md read as JSON: `[...]` is any value, a `...` entry of a list elided
    entries, and `...` among an object's keys elided keys. None for a block that is not one object."""
    text = block.replace("[...]", '"…"')
    text = re.sub(r"\.\.\.,(?=\s*\")", '"…": "…",', text)
    text = re.sub(r"\.\.\.(?=\s*[,\]])", '"…"', text)
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _agrees(shown, real) -> bool:
    if shown == "…":
        return True
    if isinstance(shown, list) and isinstance(real, list):
        kept = [item for item in shown if item != "…"]
        if len(kept) == len(shown):
            return len(shown) == len(real) and all(map(_agrees, shown, real))
        rest = iter(real)  # the shown entries, in their order, among the real ones
        return all(any(_agrees(item, candidate) for candidate in rest) for item in kept)
    if isinstance(shown, dict) and isinstance(real, dict):
        return all(key == "…" or (key in real and _agrees_at(key, value, real[key])) for key, value in shown.items())
    return shown == real


def _agrees_at(key: str, shown, real) -> bool:
    """A commit's hash changes with any earlier edit of the example: only whether there is one counts."""
    if key == "commit":
        return (shown is None) == (real is None)
    return _agrees(shown, real)


def test_okrs_json_examples_are_the_example_build(example_json: dict[str, dict]) -> None:
    """docs/okrs-json.md's examples "come from the example company with its git history, built as of
    2026-11-23": every field they show is what that build writes (those under "On a public site" from
    the public build)."""
    text = (DOCS / "okrs-json.md").read_text(encoding="utf-8")
    internal, public = text.split("\n## On a public site\n")
    checked = []
    for part, audience in ((internal, "internal"), (public, "public")):
        entities = _by_id(example_json[audience])
        for block in re.findall(r"```json\n(.*?)```", part, re.DOTALL):
            shown = _documented(block.strip())
            if shown is None or shown.get("id") not in entities:
                continue
            assert _agrees(shown, entities[shown["id"]]), f"okrs-json.md: {shown['id']} differs from the build:\n{block}"
            checked.append(shown["id"])
    assert {"engineering", "grow-recurring-revenue", "grow-recurring-revenue-kr1", "open-the-european-market-kr3",
            "mrr", "customer-acquisition-cost"} <= set(checked), checked


def test_okrs_json_notes_of_git_check_ins(example_json: dict[str, dict]) -> None:
    """A git check-in's note is its commit's body: okrs-json.md's table says so, and its example of a
    git check-in with a note is one of the build's."""
    text = (DOCS / "okrs-json.md").read_text(encoding="utf-8")
    assert "always for `git`" not in text
    example = re.search(r'\{"date": "2026-10-12", "value": 2, "source": "git".*?\}', text, re.DOTALL)[0]
    shown = json.loads(example)
    history = [p for o in example_json["internal"]["objectives"] for kr in o["key_results"] for p in kr["history"]]
    assert shown in history and shown["note"]


def _pct(x: float) -> str:
    return f"{round(x * 100)} %"


def _prose(name: str) -> str:
    return re.sub(r"\s+", " ", (DOCS / name).read_text(encoding="utf-8"))


def test_digest_md_sample_lists_the_new_kpi_values_as_the_digest_prints_them(history: Path, capsys) -> None:
    """QA DS: docs/digest.md's sample ("On the example company's history ... okrsite digest") listed the
    new KPI values in another order than the digest of that history prints them."""
    from okrsite.cli import main

    assert main(["digest", str(history)]) == 0
    printed = capsys.readouterr().out
    section = re.compile(r"\n## New KPI values\n\n(.*?)\n\n##", re.DOTALL)
    assert section.search((DOCS / "digest.md").read_text(encoding="utf-8"))[1] == section.search(printed)[1]


def test_site_md_figures_are_the_example_build(example_json: dict[str, dict]) -> None:
    """docs/site.md's worked figures ("The examples come from the example company ... 2026-11-23")."""
    data = example_json["internal"]
    objectives = {o["id"]: o for o in data["objectives"]}
    rollups = {t["id"]: {r["period"]: r for r in t["rollup"]} for t in data["teams"]}
    text = _prose("site.md")

    pipeline = objectives["build-enterprise-pipeline"]
    assert pipeline["status_source"] == "manual" and pipeline["progress"] >= pipeline["expected"] - 0.1
    owner = next(team["title"] for team in data["teams"] if team["id"] == pipeline["owner"])  # QA DS: the page names the team by its title
    assert pipeline["stale"] and (pipeline["updated"], pipeline["updated_by"]) == ("2026-11-03", "Elena Petrova")
    quiet = f'"Build a pipeline of enterprise deals for 2027 · {owner} · last check-in 2026-11-03 by Elena Petrova (20 days ago)"'
    assert quiet in text and quiet in _prose("history.md")
    assert f'"Build a pipeline of enterprise deals for 2027" is {_pct(pipeline["progress"])} done and would be on-track' in text

    eng = rollups["engineering"]
    assert (f'"{eng["2026-Q4"]["counted"]} objectives · average progress {_pct(eng["2026-Q4"]["progress"])} '
            f'(expected {_pct(eng["2026-Q4"]["expected"])} by now)"') in text
    assert (f'"{eng["2026-Q3"]["counted"]} objectives · average progress {_pct(eng["2026-Q3"]["progress"])} · '
            f'average grade ▲ committed {eng["2026-Q3"]["committed_grade"]:.2f}"') in text

    q4 = {team: periods["2026-Q4"] for team, periods in rollups.items() if "2026-Q4" in periods}

    def worst(r: dict) -> tuple:
        n = r["counted"]
        return (-r["statuses"].get("off-track", 0) / n, -r["statuses"].get("at-risk", 0) / n, r["progress"] - r["expected"])

    first, second = sorted(q4, key=lambda team: worst(q4[team]))[:2]
    platform, gtm = q4["platform"], q4["go-to-market"]
    assert (first, second) == ("platform", "go-to-market")
    assert platform["counted"] == 3 and platform["statuses"]["off-track"] == 1 and platform["statuses"]["at-risk"] == 1
    assert worst(platform)[:2] == worst(gtm)[:2]
    assert ("Platform leads the table: one of its three objectives is off-track and one at-risk, the same shares as "
            f"Go-to-Market, but it is further behind the expected {_pct(platform['expected'])} "
            f"({_pct(platform['progress'])} against Go-to-Market's {_pct(gtm['progress'])})") in text
    assert f'("{_pct(platform["progress"])} (expected {_pct(platform["expected"])})")' in text
