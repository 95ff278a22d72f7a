"""The README's promises: its two commands, and CI running exactly the test command."""

import re

from .conftest import REPO


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (REPO / "README.md").read_text())


def test_readme_opens_with_the_two_commands():
    build, tests = readme_commands()[:2]
    assert "pip install ." in build and "okrsite build" in build
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in ci
