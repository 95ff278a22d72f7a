"""The digest's CI examples (docs/ci/digest-*.yml) and their copies in docs/digest.md: they load, run on
a schedule with the full history, every okrsite command parses, the Slack webhook and the mail
server's password come from CI secrets, and the commands really post what okrsite printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..test_ci_examples import commands, github_scripts, github_steps, gitlab_jobs, gitlab_scripts, load, okrsite_commands, parse, yaml_blocks

REPO = Path(__file__).resolve().parents[2]
GITHUB = REPO / "docs" / "ci" / "digest-github-actions.yml"
GITLAB = REPO / "docs" / "ci" / "digest-gitlab-ci.yml"
PAGE = REPO / "docs" / "digest.md"
AS_OF = "2026-11-22"  # what $(date -u -d yesterday +%F) gives on a Monday


def digests(scripts: list[str]) -> list:
    """The `okrsite digest` commands, the shell's date filled in."""
    return [parse([AS_OF if word == "$AS_OF" else word for word in argv]) for argv in okrsite_commands(scripts)]


def curls(scripts: list[str]) -> list[list[str]]:
    return [argv for script in scripts for argv in commands(script) if argv[0] == "curl"]


@pytest.mark.parametrize("path, scripts", [(GITHUB, github_scripts), (GITLAB, gitlab_scripts)], ids=["github", "gitlab"])
def test_slack_and_email_digests_of_the_seven_days_to_yesterday(path, scripts):
    found = digests(scripts(load(path)))
    assert sorted(a.format for a in found) == ["email", "slack"]
    assert all((a.command, a.since, str(a.as_of)) == ("digest", "7d", AS_OF) for a in found)
    email = next(a for a in found if a.format == "email")
    assert email.to == ["$DIGEST_TO"] and email.sender == "$DIGEST_FROM"


@pytest.mark.parametrize("path, scripts", [(GITHUB, github_scripts), (GITLAB, gitlab_scripts)], ids=["github", "gitlab"])
def test_curl_posts_the_files_okrsite_wrote(path, scripts):
    texts = scripts(load(path))
    joined = "\n".join(texts)
    assert "--format slack > digest.json" in joined and "--format email" in joined and "> digest.eml" in joined
    posts = curls(texts)
    slack = next(argv for argv in posts if "$SLACK_WEBHOOK_URL" in argv)
    assert "--fail" in slack and slack[slack.index("--data-binary") + 1] == "@digest.json"
    mail = next(argv for argv in posts if "--mail-rcpt" in argv)
    assert mail[mail.index("--upload-file") + 1] == "digest.eml" and "--ssl-reqd" in mail and "$SMTP_URL" in mail


def test_github_runs_weekly_with_the_full_history_and_secrets():
    workflow = load(GITHUB)
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["schedule"][0]["cron"] == "0 7 * * 1" and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read"}
    checkouts = [s for s in github_steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 2 and all(s["with"]["fetch-depth"] == 0 for s in checkouts)
    env = {key: value for step in github_steps(workflow) for key, value in step.get("env", {}).items()}
    assert env["SLACK_WEBHOOK_URL"] == "${{ secrets.SLACK_WEBHOOK_URL }}"
    assert all(env[key] == f"${{{{ secrets.{key} }}}}" for key in ("SMTP_URL", "SMTP_USER", "SMTP_PASSWORD", "DIGEST_FROM", "DIGEST_TO"))


def test_gitlab_runs_on_the_schedule_with_the_full_history():
    config = load(GITLAB)
    assert str(config["variables"]["GIT_DEPTH"]) == "0" and config["image"].startswith("python:3.12")
    jobs = gitlab_jobs(config)
    assert set(jobs) == {"digest-slack", "digest-email"}
    assert all(job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}] for job in jobs.values())


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=lambda p: p.name)
def test_the_digest_page_shows_the_example_as_it_is(path):
    assert path.read_text(encoding="utf-8") in yaml_blocks(PAGE.read_text(encoding="utf-8")), (
        f"docs/digest.md has no ```yaml block identical to {path.relative_to(REPO)}")
