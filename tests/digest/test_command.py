"""`okrsite digest` on the command line: what it prints, its exit codes, and no traceback for bad input."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from okrsite.cli import main

from ..conftest import write_files
from ..gitrepo import needs_git
from .conftest import SINCE, UNTIL

pytestmark = needs_git
REPO = Path(__file__).resolve().parents[2]


def okrsite(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "okrsite", *args], capture_output=True, text=True, env=env, timeout=120)


def test_an_empty_window_prints_nothing_changed_and_exits_0(week):
    done = okrsite("digest", str(week.root), "--since", "2026-11-01", "--as-of", "2026-11-07")
    assert done.returncode == 0, done.stderr
    assert "Nothing changed from 2026-11-01 to 2026-11-07." in done.stdout
    assert "## Check-ins" not in done.stdout and len(done.stdout.splitlines()) < 25


def test_the_default_window_is_the_seven_days_to_the_as_of_date(week, capsys):
    """as_of = 2026-11-23 in okrsite.toml: 7d is 11-17 to 11-23."""
    assert main(["digest", str(week.root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["window"] == {"since": SINCE, "until": UNTIL} and data["changed"]


@pytest.mark.parametrize("form", ["markdown", "slack", "email", "json"])
def test_every_format_prints(week, capsys, form):
    assert main(["digest", str(week.root), "--since", SINCE, "--format", form]) == 0
    assert "Reduce churn" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["--since", "last week"], "okrsite digest: error: --since 'last week' is neither a date nor a number of days (write a date like"),
    (["--since", "2026-12-01"], "okrsite digest: error: --since 2026-12-01 is after the as-of date 2026-11-23"),
    (["--as-of", "2026-02-30"], "argument --as-of: '2026-02-30' is not a date like 2026-11-23"),
    (["--format", "html"], "argument --format: invalid choice: 'html'"),
    (["--audience", "everyone"], "argument --audience: must be 'internal' or 'public', not 'everyone'"),
])
def test_bad_arguments_are_clear_errors_without_a_traceback(week, args, words):
    done = okrsite("digest", str(week.root), *args)
    assert done.returncode == 2 and words in done.stderr
    assert "Traceback" not in done.stderr and not done.stdout


@pytest.mark.parametrize("option", ["--to", "--from"])
@pytest.mark.parametrize("address", ["a@example.com\nBcc: x@evil.example", "a@example.com\r", "a@example.com\u2028Bcc: x@evil.example"])
def test_an_address_with_a_line_break_is_a_usage_error_naming_the_option(week, option, address):
    """A line break in a header's address would start a header of its own (Bcc:): refused, exit 2."""
    done = okrsite("digest", str(week.root), "--format", "email", option, address)
    assert done.returncode == 2 and not done.stdout and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert f"okrsite digest: error: argument {option}: 'a@example.com\\" in done.stderr
    assert "holds a line break or another control character" in done.stderr


@pytest.mark.parametrize("option", ["--to", "--from"])
@pytest.mark.parametrize("address", ["=?utf-8?q?x=0D=0ABcc:_evil@x?= <a@x.com>", '"=?utf-8?b?eA0KQ2M6IGVAeA==?=" <o@x.com>'])
def test_an_address_with_an_encoded_word_is_a_usage_error_naming_the_option(week, capsys, option, address):
    """QA FO: the email library decoded the encoded word's line break, refused it, and okrsite said
    "internal error"."""
    with pytest.raises(SystemExit) as refused:
        main(["digest", str(week.root), "--format", "email", option, address])
    said = capsys.readouterr()
    assert refused.value.code == 2 and not said.out and "internal error" not in said.err
    assert f"okrsite digest: error: argument {option}: '{address}' holds an encoded word (=?…?=)" in said.err


@pytest.mark.parametrize("option", ["--to", "--from"])
def test_an_empty_address_is_a_usage_error(week, option):
    """QA AJ: `--to "$DIGEST_TO"` with the secret unset wrote an email to nobody and exited 0; the job's
    next step failed instead, far from the cause."""
    done = okrsite("digest", str(week.root), "--format", "email", option, "")
    assert done.returncode == 2 and not done.stdout and f"argument {option}: the address is empty" in done.stderr


def test_a_site_title_with_line_breaks_is_one_line_in_the_email_and_the_markdown_heading(tmp_path, capsys):
    site = write_files(tmp_path / "s", {
        "okrsite.toml": 'title = "Acme\\r\\nBcc: evil@example.com\\u2028X"\nas_of = 2026-11-23\ngit_history = false\n',
        "content/objectives/o.md": "---\ntitle: O\nperiod: 2026-Q4\nowner: Ann\nkey_results:\n  - {title: k, target: 10, current: 5}\n---\n"})
    assert main(["digest", str(site), "--format", "email", "--to", "a@example.com", "--from", "b@example.com"]) == 0
    message = email.message_from_string(capsys.readouterr().out)
    assert " ".join(message["Subject"].split()) == "Acme Bcc: evil@example.com X: what changed from 2026-11-17 to 2026-11-23"
    assert message["Bcc"] is None
    assert main(["digest", str(site), "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "# Acme Bcc: evil@example.com X: what changed from 2026-11-17 to 2026-11-23"


def test_a_site_with_errors_is_reported_and_no_digest_printed(tmp_path):
    site = write_files(tmp_path / "s", {"content/objectives/x.md": "---\ntitle: X\nperiod: 2026-Q9\nowner: Eve\nkey_results:\n  - {title: K, target: 2}\n---\n"})
    done = okrsite("digest", str(site), "--as-of", "2026-11-23")
    assert done.returncode == 1 and not done.stdout
    assert "content/objectives/x.md:3: error:" in done.stderr
    assert "okrsite digest: the goals as of 2026-11-23, the window's last day, have 1 error, 1 warning, 0 notices: fix the errors first (okrsite check)" in done.stderr


def test_errors_on_the_window_s_last_day_fixed_since_are_said_to_be_that_day_s_on_standard_error(tmp_path):
    """QA CQ: the weekly job (`--as-of yesterday ... > digest.json`) when a commit of the window broke
    an owner and one of today fixed it: the errors and the summary go to standard error (the job's
    log), never into the payload; the summary says they are in the goals as committed by that day,
    that the files now may be fixed already, and counts what it printed (the stale notice too)."""
    from ..gitrepo import GitRepo, TEAM, one_key_result

    r = GitRepo(tmp_path / "goals")
    quiet = one_key_result("Quiet goal", "2026-Q4", "Users", 100, 5)
    ship = one_key_result("Ship onboarding", "2026-Q4", "Steps", 10, 2)
    r.commit({"okrsite.toml": 'title = "T"\n', "content/teams/sales.md": TEAM, "content/objectives/quiet.md": quiet,
              "content/objectives/ship.md": ship}, "2026-10-01T10:00:00+00:00")
    broken = r.commit({"content/objectives/ship.md": ship.replace("owner: sales", "owner: sals")}, "2026-12-04T10:00:00+00:00")
    r.commit({"content/objectives/ship.md": ship}, "2026-12-05T06:00:00+00:00")
    assert okrsite("check", str(r.root), "--as-of", "2026-12-05").returncode == 0
    done = okrsite("digest", str(r.root), "--as-of", "2026-12-04", "--since", "7d", "--format", "slack")
    assert done.returncode == 1 and done.stdout == ""
    printed = done.stderr.splitlines()
    assert [line.split(": ")[1] for line in printed[:-1]] == ["notice", "error"], done.stderr
    assert printed[-1] == ("okrsite digest: the goals as committed by 2026-12-04, the window's last day (commit "
                           f"{broken[:7]}), have 1 error, 0 warnings, 1 notice, so this window has no digest (the files now may be "
                           "fixed already: okrsite check checks them; to cover these days, end the window on a later day whose goals "
                           "have none: --since 2026-11-28 --as-of DAY)")


def test_outside_a_goals_repository(tmp_path):
    done = okrsite("digest", str(tmp_path / "nowhere"), "--as-of", "2026-11-23")
    assert done.returncode == 1 and "Traceback" not in done.stderr and not done.stdout
    assert done.stderr == (f"okrsite digest: error: the folder {tmp_path / 'nowhere'} does not exist (give the folder of your goals "
                           f"repository, the one that holds content/, or create one there with 'okrsite init {tmp_path / 'nowhere'}')\n")
    done = okrsite("digest", str(tmp_path), "--as-of", "2026-11-23")
    assert done.returncode == 1 and done.stderr.startswith(f"okrsite digest: error: no content/ folder in {tmp_path} (")
    assert list(tmp_path.iterdir()) == []


def test_the_audience_defaults_to_the_setting_as_cli_md_says(tmp_path, capsys):
    """docs/cli.md's --audience row of digest said "`internal` (default)"; the digest follows the
    `audience` setting, and the public one leaves private objectives out."""
    site = write_files(tmp_path / "s", {
        "okrsite.toml": 'audience = "public"\nas_of = 2026-11-23\ngit_history = false\n',
        "content/objectives/o.md": "---\ntitle: Open goal\nperiod: 2026-Q4\nowner: Ann\nkey_results:\n  - {title: k, target: 10, current: 5}\n---\n",
        "content/objectives/p.md": "---\ntitle: Secret goal\nprivate: true\nperiod: 2026-Q4\nowner: Ann\nkey_results:\n  - {title: k, target: 10, current: 5}\n---\n"})
    assert main(["digest", str(site), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["audience"] == "public"
    assert main(["digest", str(site), "--audience", "internal", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["audience"] == "internal"
    row = next(line for line in (REPO / "docs" / "cli.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `--audience` |") and "check-in notes" in line)
    assert "default: the `audience` setting, else `internal`" in row and "private objectives" in row
    settings_row = next(line for line in (REPO / "docs" / "settings.md").read_text(encoding="utf-8").splitlines()
                        if line.startswith("| `audience` |"))
    assert "`okrsite digest` follows it too" in settings_row


def test_a_shallow_clone_that_does_not_reach_back_before_the_window_exits_3(week, tmp_path):
    """QA CP 2: no digest with numbers it cannot know; standard error says how to fetch what it lacks."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{week.root}", str(clone)], check=True, env=week.env, capture_output=True)
    done = okrsite("digest", str(clone), "--since", SINCE, "--as-of", UNTIL)
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr.startswith("okrsite digest: error: this shallow clone's history starts on 2026-11-24, so it cannot tell what changed")
    assert "fetch-depth: 0 in actions/checkout" in done.stderr and len(done.stderr.splitlines()) == 1


def test_a_public_digest_of_a_partial_clone_is_refused_exit_4(tmp_path):
    """QA: git gives no history of a partial clone (`git clone --filter=blob:none`), and the public digest took
    that for "no KPI was ever confidential": it printed 61777.7, recorded while the KPI 'flip' was confidential.
    It prints nothing now, exit 4, and standard error says why git gives no history and how to fix that."""
    from ..gitrepo import partial_clone

    r = _confidential_for_a_while(tmp_path)
    r.commit({"content/kpis/flip.csv": "date,value\n2026-09-30,100\n2026-10-19,61777.7\n2026-11-15,200\n"}, "2026-11-16T10:00:00+00:00")
    clone = partial_clone(r, tmp_path / "clone")
    done = okrsite("digest", str(clone), "--audience", "public", "--since", "2026-11-10", "--as-of", "2026-11-23", "--format", "json")
    assert (done.returncode, done.stdout) == (4, "")
    assert done.stderr == ("okrsite digest: error: git gives no history of this repository: a public digest cannot tell which values were "
                           "confidential when they were written, and could publish them (a partial clone (--filter) lacks the past versions "
                           "of the files; clone without --filter (fetch-depth: 0, no filter, in CI))\n")


def _confidential_for_a_while(tmp_path: Path, made_public_with: str = ""):
    """A KPI 'flip' confidential from 2026-10-20 to 2026-11-05, when 61777.7 was recorded (dated 10-19): its
    values, with ``made_public_with`` (a row) written when it was made public."""
    from ..gitrepo import GitRepo, TEAM
    from ..web.test_plan import FLIP

    public = FLIP.replace("confidential: true\n", "")
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "T"\n', "content/teams/company.md": TEAM, "content/kpis/flip.md": public,
              "content/kpis/flip.csv": "date,value\n2026-09-30,100\n"}, "2026-10-02T10:00:00+00:00")
    r.commit({"content/kpis/flip.md": FLIP, "content/kpis/flip.csv": "date,value\n2026-09-30,100\n2026-10-19,61777.7\n"}, "2026-10-20T10:00:00+00:00")
    r.commit({"content/kpis/flip.md": public, "content/kpis/flip.csv": "date,value\n2026-09-30,100\n2026-10-19,61777.7\n" + made_public_with},
             "2026-11-05T10:00:00+00:00")
    return r


def test_a_public_digest_whose_git_fails_is_refused_exit_4(tmp_path, monkeypatch):
    """A KPI confidential from 2026-10-20 to 2026-11-05: git killed while the digest read the history
    was taken for "nothing was confidential", and the public digest printed the value recorded then
    (61777.7). It prints nothing now, and says why on standard error; the internal digest goes on, also
    when the `audience` setting says public."""
    from ..gitrepo import failing_git

    r = _confidential_for_a_while(tmp_path, "2026-11-04,200\n")
    window = ("--since", "2026-10-10", "--as-of", "2026-11-23", "--format", "json")
    done = okrsite("digest", str(r.root), "--audience", "public", *window)
    assert done.returncode == 0 and "61777.7" not in done.stdout and '"numbers": false' in done.stdout
    monkeypatch.setenv("PATH", failing_git(tmp_path / "bin", "log"))
    done = okrsite("digest", str(r.root), "--audience", "public", *window)
    assert (done.returncode, done.stdout) == (4, "")
    assert done.stderr == ("okrsite digest: error: git failed while reading the history (`git log` was stopped by SIGKILL): a public digest "
                           "cannot tell which values were confidential when they were written, and could publish them (try again; if git "
                           "fails again, run `git log` in the repository to see why)\n")
    assert okrsite("digest", str(r.root), "--audience", "internal", *window).returncode == 0
    write_files(r.root, {"okrsite.toml": 'title = "T"\naudience = "public"\n'})
    assert okrsite("digest", str(r.root), "--audience", "internal", *window).returncode == 0


def test_a_public_digest_of_a_shallow_clone_is_refused_exit_4(tmp_path):
    """QA: a clone of the last 2 commits holds the KPI 'flip' as public from its oldest commit on, as if it
    had always been: the public digest printed 61777.7, recorded while it was confidential, as the value
    before the window's. A shallow clone cannot tell what was confidential before it starts: the public
    digest prints nothing, exit 4, and standard error says how to fetch the rest. The internal digest goes
    on, also when the `audience` setting says public (it checked the goals as the public site's)."""
    from ..gitrepo import shallow_clone

    r = _confidential_for_a_while(tmp_path)
    r.commit({"content/kpis/flip.csv": "date,value\n2026-09-30,100\n2026-10-19,61777.7\n2026-11-15,200\n"}, "2026-11-16T10:00:00+00:00")
    window = ("--since", "2026-11-10", "--as-of", "2026-11-23", "--format", "json")
    done = okrsite("digest", str(r.root), "--audience", "public", *window)
    assert done.returncode == 0 and "61777.7" not in done.stdout and '"value": 200' in done.stdout
    clone = shallow_clone(r, tmp_path / "clone", 2)
    done = okrsite("digest", str(clone), "--audience", "public", *window)
    assert (done.returncode, done.stdout) == (4, "")
    assert done.stderr == ("okrsite digest: error: this repository is a shallow clone: a public digest cannot tell which values were "
                           "confidential when they were written before its oldest commit, and could publish them (fetch the full "
                           "history: git fetch --unshallow, or fetch-depth: 0 in CI)\n")
    write_files(clone, {"okrsite.toml": 'title = "T"\naudience = "public"\n'})
    assert okrsite("digest", str(clone), *window).returncode == 4
    done = okrsite("digest", str(clone), "--audience", "internal", *window)
    assert done.returncode == 0 and "61777.7" in done.stdout
