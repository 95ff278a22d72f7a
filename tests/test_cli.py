import json
import subprocess
from pathlib import Path

import pytest

from okrsite.cli import main

from .conftest import FIXTURES, compose_site, write_files
from .gitrepo import GitRepo, failing_git, needs_git

TEAM_TYPO = "content/objectives/team-ref.md"


def _goals_with_a_typo(dest: Path) -> Path:
    return compose_site(dest, FIXTURES / "base", FIXTURES / "invalid" / "unknown-team")


@needs_git
def test_github_annotations_name_files_from_the_repository_root(tmp_path, monkeypatch, capsys):
    """GitHub resolves an annotation's file from the repository's top: goals kept in goals/ are named so,
    run from the top or from the goals' own folder."""
    repo = GitRepo(tmp_path / "repo")
    _goals_with_a_typo(repo.root / "goals")
    repo.commit({}, "2026-10-05T10:00:00+00:00")
    monkeypatch.chdir(repo.root)
    assert main(["check", "goals", "--format", "github"]) == 1
    assert f"::error file=goals/{TEAM_TYPO},line=4::" in capsys.readouterr().out
    monkeypatch.chdir(repo.root / "goals")
    assert main(["check", "--format", "github"]) == 1
    assert f"::error file=goals/{TEAM_TYPO},line=4::" in capsys.readouterr().out
    assert main(["check"]) == 1
    assert f"{TEAM_TYPO}:4: error:" in capsys.readouterr().err  # the text format stays relative to the site


@needs_git
def test_github_annotations_name_files_from_the_repository_root_before_the_first_commit(tmp_path, monkeypatch, capsys):
    """A repository with no commit yet has a top all the same (git rev-parse --show-toplevel)."""
    repo = GitRepo(tmp_path / "repo")
    _goals_with_a_typo(repo.root / "goals")
    monkeypatch.chdir(repo.root / "goals" / "content")
    assert main(["check", "..", "--format", "github"]) == 1
    assert f"::error file=goals/{TEAM_TYPO},line=4::" in capsys.readouterr().out


def test_github_annotations_outside_a_repository_name_files_from_the_current_folder(tmp_path, monkeypatch, capsys):
    _goals_with_a_typo(tmp_path / "work" / "goals")
    monkeypatch.chdir(tmp_path / "work")
    assert main(["check", "goals", "--format", "github"]) == 1
    assert f"::error file=goals/{TEAM_TYPO},line=4::" in capsys.readouterr().out


@needs_git
def test_github_annotations_name_a_refused_output_folder_from_the_repository_root(tmp_path, monkeypatch, capsys):
    """The output folder is named as it was given, from the current folder, not from the site's: run from
    above the goals, `-o goals/content` was annotated as goals/goals/content."""
    repo = GitRepo(tmp_path / "repo")
    compose_site(repo.root / "goals", FIXTURES / "base")
    repo.commit({}, "2026-10-05T10:00:00+00:00")
    monkeypatch.chdir(repo.root)
    assert main(["build", "goals", "-o", "goals/content", "--format", "github"]) == 1
    assert "::error file=goals/content::the output folder" in capsys.readouterr().out
    monkeypatch.chdir(repo.root / "goals")
    assert main(["build", "-o", "content/out", "--format", "github"]) == 1
    assert "::error file=goals/content/out::the output folder" in capsys.readouterr().out
    assert main(["check", "nosuch", "--format", "github"]) == 1  # the SITE as given (review 30: nosuch/nosuch)
    assert capsys.readouterr().out.startswith("::error file=nosuch::the folder nosuch does not exist")


def test_a_failed_build_in_the_github_format_says_the_previous_output_is_untouched(tmp_path, capsys):
    """QA EK: with --format github a failed build printed its ::error annotations and nothing else; the
    job's log did not say that nothing was written."""
    site = compose_site(tmp_path / "s", FIXTURES / "base")
    write_files(site, {"content/objectives/wachstum.md": GROW.format(parent="parent: nowhere\n")})
    assert main(["build", str(site), "-o", str(tmp_path / "out"), "--format", "github", "--no-cache"]) == 1
    said = capsys.readouterr()
    assert "::error file=" in said.out and "unknown parent 'nowhere'" in said.out
    assert "okrsite build failed: 1 error, 0 warnings, 0 notices; the previous output is untouched" in said.err


def test_every_option_of_every_command_is_in_the_command_line_page():
    """QA AF: `okrsite checkin --as-of` worked but was in neither its --help nor docs/cli.md."""
    import argparse

    page = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = _commands()
    assert "import gitlab-pi" in commands
    missing = []
    for name, command in commands.items():
        start = page.find(f"\n## okrsite {name.split()[0]}")
        section = page[start:page.find("\n## ", start + 1)] if start >= 0 else page
        for action in command._actions:
            shown = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            if shown and action.help == argparse.SUPPRESS or shown and not any(o in section for o in shown):
                missing.append((name, shown))
    assert missing == []


@needs_git
def test_the_getting_started_page_shows_the_first_build_line_as_it_is_printed(tmp_path, monkeypatch, capsys):
    """QA: docs/index.md showed the first build's line without its ". History: no commit has touched the
    goals yet", as if nothing followed the time."""
    import re

    page = (Path(__file__).parents[1] / "docs" / "index.md").read_text(encoding="utf-8")
    shown = page.split("$ okrsite build mygoals\n", 1)[1].split("\n", 1)[0]
    monkeypatch.chdir(tmp_path)
    assert main(["init", "mygoals"]) == 0
    capsys.readouterr()
    assert main(["build", "mygoals"]) == 0
    printed = capsys.readouterr().out.strip()
    assert re.sub(r"in [\d.]+ s", "in T s", printed) == re.sub(r"in [\d.]+ s", "in T s", shown)


@pytest.mark.parametrize("name", ["index.md", "serve.md"])
def test_the_pages_show_the_first_line_of_serve_as_it_is_printed(tmp_path, monkeypatch, name):
    """QA DS: docs/index.md and docs/serve.md showed `okrsite serve mygoals`'s first build with "4 files
    changed"; on the repository `okrsite init` writes, it prints 5."""
    import re

    from okrsite.preview.server import Preview
    from okrsite.preview.state import Project

    page = (Path(__file__).parents[1] / "docs" / name).read_text(encoding="utf-8")
    shown = page.split("$ okrsite serve mygoals\n", 1)[1].split("\n")[1]
    monkeypatch.chdir(tmp_path)
    assert main(["init", "mygoals", "--no-git"]) == 0
    lines: list[str] = []
    assert Preview(Project(tmp_path / "mygoals"), log=lines.append).rebuild().ok
    assert re.sub(r"in \d+ ms", "in T ms", lines[0]) == re.sub(r"in \d+ ms", "in T ms", shown)


def _commands() -> dict:
    """Every command's parser by its name, those under another (import gitlab-pi, import csv) too."""
    import argparse

    from okrsite.cli import parser

    def commands_of(command: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
        found = {}
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found[f"{prefix}{name}"] = sub
                    found.update(commands_of(sub, f"{prefix}{name} "))
        return found
    return commands_of(parser())


def test_an_option_s_value_is_named_alike_in_the_usage_line_and_the_options_list():
    """QA: `okrsite checkin --help` showed `--as-of DATE` in its usage line and `--as-of AS_OF` below it;
    every command names the value of --as-of DATE."""
    import re

    for name, command in _commands().items():
        text = command.format_help()
        usage, _, options = text.partition("\noptions:")
        for option, value in re.findall(r"\[(--[\w-]+) ([^\s\]]+)\]", usage):
            assert f"{option} {value}" in options, (name, option, value)
        assert "--as-of" not in options or "--as-of DATE" in options, name


@pytest.mark.parametrize("given,said", [("L8", "the output path L8 is a link that leads to itself"),
                                         ("L8/sub", "the output path L8/sub lies below L8, a link that leads to itself")])
def test_an_output_path_through_a_link_to_itself_is_a_clear_error(tmp_path, monkeypatch, capsys, given, said):
    """QA: `okrsite build -o L8` with `ln -sfn L8 L8` was "internal error, please report: RuntimeError:
    Symlink loop", exit 2; it is refused as every other unusable -o is, with the goals checked all the same."""
    site = compose_site(tmp_path / "goals", FIXTURES / "base")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "L8").symlink_to("L8")
    assert main(["build", str(site), "-o", given]) == 1
    err = capsys.readouterr().err
    assert f"{given}: error: {said} (remove the link (rm L8) or choose another folder, e.g. -o site)" in err, err
    assert "internal error" not in err and not (site / ".okrsite-cache").exists()


def test_a_date_is_written_yyyy_mm_dd_only(capsys):
    """QA AG: `--as-of 20280229` and `--as-of 2028-W09-2` were read as 2028-02-29 (Python's ISO forms),
    while the docs promise YYYY-MM-DD and refuse 2028-2-29; in a goals file too (`date: "20280229"`)."""
    from datetime import date

    from okrsite.goals.periods import to_date

    for written in ("20280229", "2028-W09-2", "2028-060"):
        with pytest.raises(SystemExit) as refused:
            main(["check", str(FIXTURES / "base"), "--as-of", written])
        assert refused.value.code == 2
        assert f"'{written}' is not a date like 2026-11-23" in capsys.readouterr().err
        assert to_date(written) is None
    assert to_date(" 2028-02-29 ") == date(2028, 2, 29)


def test_a_bad_argument_is_named_with_its_control_characters_as_escapes(capsys):
    """`--as-of`, checkin's `--date` and a command's name reached the terminal raw: an escape sequence
    in them was obeyed, where `digest --since` wrote it as \\x1b (QA EO)."""
    typed = "2026\x1b[31mRED\x1b]0;PWNED\x07"
    for words in (["check", str(FIXTURES / "base"), "--as-of", typed], ["build", "--as-of", typed],
                  ["serve", "--as-of", typed], ["checkin", "x", "1", "5", "--date", typed], [typed]):
        with pytest.raises(SystemExit) as refused:
            main(words)
        assert refused.value.code == 2
        said = capsys.readouterr().err
        assert "2026\\x1b[31mRED\\x1b]0;PWNED\\x07" in said and "\x1b" not in said and "\x07" not in said


def _okrsite_without_utf8(*args: str, cwd: Path | None = None):
    """`python -m okrsite` where Python writes and names files in ASCII: LC_ALL=C, no UTF-8 mode."""
    import os
    import subprocess
    import sys

    from .conftest import REPO

    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONIOENCODING", "LANG", "LC_CTYPE")}
    env.update(LC_ALL="C", PYTHONUTF8="0", PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "okrsite", *args], capture_output=True, env=env, cwd=cwd, timeout=120)


GROW = "---\ntitle: Wachstum\nperiod: 2026-Q4\nowner: company\n{parent}key_results:\n  - title: k\n    target: 1\n---\n"


def test_every_output_format_writes_a_goals_text_in_a_locale_without_utf8(tmp_path):
    """QA: `LC_ALL=C PYTHONUTF8=0 okrsite check --format json` (or github) on `parent: größe` was an
    internal error (UnicodeEncodeError), exit 2 and nothing on standard output: the text format, on
    standard error, was written. JSON says it with \\u escapes, the others with \\x escapes."""
    import json

    site = compose_site(tmp_path / "s", FIXTURES / "base")
    write_files(site, {"content/objectives/wachstum.md": GROW.format(parent="parent: größe\n")})
    said = _okrsite_without_utf8("check", str(site), "--format", "json")
    assert said.returncode == 1 and b"internal error" not in said.stderr, said.stderr
    assert said.stdout.isascii()
    [error] = json.loads(said.stdout)["errors"]
    assert error["message"] == "unknown parent 'größe'"
    for command in (["check", "s", "--format", "github"], ["build", "s", "-o", "out", "--format", "github"]):
        said = _okrsite_without_utf8(*command, cwd=tmp_path)
        assert said.returncode == 1 and b"internal error" not in said.stderr, said.stderr
        assert b"::error file=s/content/objectives/wachstum.md,line=5::unknown parent 'gr\\xf6\\xdfe'" in said.stdout
    said = _okrsite_without_utf8("check", str(site))
    assert said.returncode == 1 and b"wachstum.md:5: error: unknown parent 'gr\\xf6\\xdfe'" in said.stderr


def test_a_utf8_file_name_is_read_in_a_locale_without_utf8(tmp_path):
    """QA: Python names files in the locale's encoding: under LC_ALL=C a UTF-8 name such as
    wachstum-größer.md came as surrogate escapes, and was told "the file's name ... is not UTF-8 text"."""
    import json
    import os

    site = compose_site(tmp_path / "s", FIXTURES / "base")
    with open(os.fsencode(site) + "/content/objectives/wachstum-größer.md".encode("utf-8"), "wb") as file:
        file.write(GROW.format(parent="").encode("utf-8"))
    said = _okrsite_without_utf8("check", str(site), "--format", "json")
    assert said.returncode == 0 and json.loads(said.stdout)["errors"] == [], said.stdout
    built = _okrsite_without_utf8("build", str(site), "-o", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(b"Built 2 objectives") and (tmp_path / "out" / "objectives" / "wachstum-grosser" / "index.html").is_file()
    checked_in = _okrsite_without_utf8("checkin", "wachstum-grosser", "1", "1", "--site", str(site))
    assert checked_in.returncode == 0, checked_in.stderr
    assert b"in content/objectives/wachstum-gr\\xf6\\xdfer.md" in checked_in.stdout
    assert "    current: 1\n" in (site / "content" / "objectives" / "wachstum-größer.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["build"], ["check"], ["serve"], ["new", "objective", "T", "--site"], ["carry-over", "2026-Q3", "2026-Q4", "--site"], ["init"]])
def test_a_site_that_is_a_link_to_itself_is_an_error_not_an_internal_one(tmp_path, monkeypatch, capsys, command):
    """QA CH: `okrsite build L8` with `ln -s L8 L8` was "internal error, please report: RuntimeError: Symlink loop"."""
    monkeypatch.chdir(tmp_path)
    Path("L8").symlink_to("L8")
    assert main([*command, "L8"]) == 1
    err = capsys.readouterr().err
    assert f"error: L8 is a link that leads to itself (remove the link (rm L8)" in err and "internal error" not in err


QUIET_OBJECTIVE = """---
title: Grow
period: 2026-Q4
owner: co
key_results:
  - title: Survey score to 90
    start: 80
    target: 90
    history:
      - {{date: 2026-11-10, value: 85}}
  - title: Deals to 10
    start: 0
    target: 10
    current: {current}
---
"""


def _checked_in_nine_days_ago(root: Path) -> GitRepo:
    """QA DE's repository: a key result checked in on 2026-11-28 in a commit, another whose file dates it
    2026-11-10: on 2026-12-07 its numbers are 9 days quiet, 27 by its file's dates alone."""
    repo = GitRepo(root)
    repo.commit({"content/teams/co.md": "---\ntitle: Company\nlead: Ann\n---\n", "content/objectives/o.md": QUIET_OBJECTIVE.format(current=1)},
                "2026-10-05T10:00:00+00:00", message="plan")
    repo.commit({"content/objectives/o.md": QUIET_OBJECTIVE.format(current=4)}, "2026-11-28T10:00:00+00:00", message="Check-in: Deals 1 -> 4")
    return repo


CHECK_AS_OF = ["check", "--strict", "--fail-on-stale", "--no-cache", "--as-of", "2026-12-07"]


@needs_git
def test_check_says_it_could_not_read_the_history_and_does_not_fail_on_a_guess(tmp_path, monkeypatch, capsys):
    """QA DE: where git could not be run (or refused the folder), `check --fail-on-stale` failed on an
    objective stale only by its file's dates, and said nothing of the history: now it says what `build`
    says, in every format, and the staleness it cannot know is a notice that does not fail."""
    repo = _checked_in_nine_days_ago(tmp_path / "goals")
    assert main([*CHECK_AS_OF, str(repo.root)]) == 0 and "History" not in capsys.readouterr().out
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert main([*CHECK_AS_OF, str(repo.root)]) == 0
    said = capsys.readouterr()
    assert "okrsite check: History: off, git could not be run to read this repository's history (install git" in said.out
    assert "stale objective: by the dates in its file, its numbers have not changed for 27 days; the git history was not read" in said.err
    assert main([*CHECK_AS_OF, "--format", "github", str(repo.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("::warning title=okrsite::History: off, git could not be run") and out[1].startswith("::notice file=content/objectives/o.md,line=5::")
    assert main([*CHECK_AS_OF, "--format", "json", str(repo.root)]) == 0
    assert json.loads(capsys.readouterr().out)["history"].startswith("History: off, git could not be run")


@needs_git
def test_check_says_git_failed_while_reading_the_history_and_does_not_fail_on_a_guess(tmp_path, monkeypatch, capsys):
    """A git killed while reading the log (a timeout) was taken for no repository: `check` said nothing
    of the history, and the stale objective lost its "the git history was not read" caveat."""
    repo = _checked_in_nine_days_ago(tmp_path / "goals")
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    assert main([*CHECK_AS_OF, str(repo.root)]) == 0
    said = capsys.readouterr()
    assert "okrsite check: History: off, git failed while reading the history (`git log` was stopped by SIGKILL)" in said.out
    assert "stale objective: by the dates in its file, its numbers have not changed for 27 days; the git history was not read" in said.err


@needs_git
def test_build_json_has_checks_history_field(tmp_path, monkeypatch, capsys):
    """`build --format json` had no "history" while `check --format json` has one: the same field, null
    when the whole history was read, the words of the summary's History line when it was not; also when
    nothing changed since the last build (the build cache's answer)."""
    repo = _checked_in_nine_days_ago(tmp_path / "goals")
    build_json = ["build", "--format", "json", "--as-of", "2026-12-07", str(repo.root), "-o", str(tmp_path / "out")]
    assert main(build_json) == 0 and json.loads(capsys.readouterr().out)["history"] is None
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    for _ in range(2):  # built, then unchanged
        assert main(build_json) == 0
        assert json.loads(capsys.readouterr().out)["history"].startswith("History: off, git could not be run")
    assert main([*build_json, "--fail-on-stale"]) == 0


@needs_git
def test_check_in_a_shallow_clone_says_so_and_states_only_what_it_knows(tmp_path, capsys):
    """A `--depth 1` clone starts on 2026-11-28: 9 days of quiet are known, not stale; on 2027-01-02
    the numbers have been quiet for at least 35 days, which is stale for sure and fails --fail-on-stale."""
    repo = _checked_in_nine_days_ago(tmp_path / "goals")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True, env=repo.env, capture_output=True)
    assert main([*CHECK_AS_OF, "--format", "json", str(clone)]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["notices"] == [] and said["history"].startswith("History: a shallow clone, 1 commit back to 2026-11-28") and "fetch-depth: 0" in said["history"]
    assert main([*CHECK_AS_OF[:-1], "2026-12-30", str(clone)]) == 1
    said = capsys.readouterr()
    assert "stale objective: its numbers have not changed for at least 32 days (the clone's history starts on 2026-11-28)" in said.err
    assert "okrsite check: History: a shallow clone" in said.err
    assert main([*CHECK_AS_OF, "--format", "json", str(repo.root)]) == 0 and json.loads(capsys.readouterr().out)["history"] is None


SHIP_IT = """---
title: Ship it
period: 2026-Q4
owner: co
key_results:
  - title: Cut time
    start: 30
    target: 10
    history:
      - {date: 2026-10-20, value: 24}
  - title: Checklist shipped
    done: true
---
"""


@needs_git
def test_a_dateless_milestone_first_seen_in_a_shallow_clone_leaves_the_notice_by_the_files_dates(tmp_path, capsys):
    """QA DM: the done milestone, first seen in the clone's oldest commit (2026-11-25), counted as a change
    that day: the objective, whose key result the page marks stale (checked in on 2026-10-20), had no notice."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"content/teams/co.md": "---\ntitle: Company\nlead: Ann\n---\n", "content/objectives/ship.md": SHIP_IT}, "2026-10-20T10:00:00+00:00")
    repo.commit({"README": "x\n"}, "2026-11-25T10:00:00+00:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True, env=repo.env, capture_output=True)
    assert main([*CHECK_AS_OF[:-1], "2026-12-06", str(clone)]) == 0
    said = capsys.readouterr().err
    assert ("content/objectives/ship.md:5: notice: stale objective: by the dates in its file, its numbers have not changed for 47 days; "
            "the clone's history starts on 2026-11-25, and a check-in before then is not known") in said
    assert main([*CHECK_AS_OF[:-1], "2026-12-06", str(repo.root)]) == 1
    assert "stale objective: its numbers have not changed for 47 days" in capsys.readouterr().err


def _unpacked(repo: GitRepo, dest: Path, settings: str = "") -> Path:
    """``repo``'s files as a tarball or a checkout without git leaves them: no `.git`."""
    dest.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=repo.root, check=True, env=repo.env, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    if settings:
        (dest / "okrsite.toml").write_text(settings)
    return dest


@needs_git
def test_check_without_a_repository_where_the_history_is_expected_says_so_and_does_not_fail_on_a_guess(tmp_path, monkeypatch, capsys):
    """QA EK: a checkout with no `.git` (no git in the CI image, GIT_STRATEGY: none, a tarball) with
    `git_history = true` had no History line, and `--fail-on-stale` failed on staleness from its files' dates."""
    files = _unpacked(_checked_in_nine_days_ago(tmp_path / "goals"), tmp_path / "tarball", "git_history = true\n")
    assert main([*CHECK_AS_OF, "--format", "github", str(files)]) == 0
    out = capsys.readouterr().out
    assert "::warning title=okrsite::History: off, no git repository holds this folder (its files were downloaded or unpacked, not cloned)" in out
    assert "::notice file=content/objectives/o.md,line=5::stale objective: by the dates in its file, its numbers have not changed for 27 days" in out


@needs_git
def test_check_without_a_repository_in_ci_says_so_and_quietly_elsewhere(tmp_path, monkeypatch, capsys):
    """QA EK: in a CI job (CI=true) no `.git` means a checkout without history, whatever okrsite.toml
    says; an unpacked copy on one's own computer, the history not asked for, is built without a word."""
    files = _unpacked(_checked_in_nine_days_ago(tmp_path / "goals"), tmp_path / "tarball")
    monkeypatch.setenv("CI", "true")
    assert main([*CHECK_AS_OF, str(files)]) == 0
    said = capsys.readouterr()
    assert "okrsite check: History: off, no git repository holds this folder" in said.out
    assert "stale objective: by the dates in its file" in said.err
    monkeypatch.delenv("CI")
    assert main([*CHECK_AS_OF, str(files)]) == 1
    said = capsys.readouterr()
    assert "History" not in said.out and "error: stale objective: its numbers have not changed for 27 days" in said.err


@needs_git
def test_check_of_a_folder_git_refuses_says_gits_fix(tmp_path, capsys):
    from .gitrepo import foreign_copy

    foreign = foreign_copy(_checked_in_nine_days_ago(tmp_path / "goals"), tmp_path / "foreign")
    assert main([*CHECK_AS_OF, "--format", "github", str(foreign)]) == 0
    out = capsys.readouterr().out
    assert f"::warning title=okrsite::History: off, git refuses to read this repository, owned by another user (to allow it: git config --global --add safe.directory {foreign})" in out


ESCAPES = "\x1b]0;OWNED\x07\x1b[2J"
GOAL = "---\ntitle: Grow\nperiod: {period}\nowner: company\nkey_results:\n  - title: Sign customers\n    start: 0\n    target: 10\n    current: 3\n---\n"


def _site_with_a_folder_of_escapes(tmp_path: Path, period: str = "2026-Q4") -> Path:
    return write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "T"\n',
        "content/teams/company.md": "---\ntitle: Company\n---\n",
        f"content/objectives/sales{ESCAPES}/{period.lower()}/grow.md": GOAL.format(period=period),
    })


def _no_escape_written(capsys) -> str:
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err, out + err
    return out


def test_checkin_names_a_file_with_escape_sequences_escaped(tmp_path, capsys):
    """QA EM: `okrsite checkin` wrote the goal file's name raw: ESC[2J cleared the terminal."""
    root = _site_with_a_folder_of_escapes(tmp_path)
    assert main(["checkin", "--site", str(root), "--as-of", "2026-11-23", "grow", "1", "4"]) == 0
    assert "sales\\x1b]0;OWNED\\x07\\x1b[2J/2026-q4/grow.md" in _no_escape_written(capsys)


def test_new_names_the_file_it_wrote_with_escape_sequences_escaped(tmp_path, capsys):
    root = _site_with_a_folder_of_escapes(tmp_path)
    assert main(["new", "objective", "Open a Lisbon office", "--owner", "company", "--period", "2026-Q4", "--site", str(root), "--as-of", "2026-11-23"]) == 0
    assert "Wrote " in _no_escape_written(capsys)


def test_carry_over_names_the_files_it_would_write_with_escape_sequences_escaped(tmp_path, capsys):
    root = _site_with_a_folder_of_escapes(tmp_path, "2026-Q3")
    assert main(["carry-over", "2026-Q3", "2026-Q4", "--site", str(root), "--dry-run", "--as-of", "2026-10-05"]) == 0
    assert "Would write " in _no_escape_written(capsys)


def test_import_names_the_files_it_wrote_with_escape_sequences_escaped(tmp_path, capsys):
    out = tmp_path / f"out{ESCAPES}"
    assert main(["import", "csv", str(FIXTURES / "imports/okrs.csv"), "-o", str(out)]) == 0
    assert "Wrote " in _no_escape_written(capsys)
