"""The README's promises: its two commands first, CI running exactly the test command, and the build
command working in a fresh clone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from .conftest import REPO

VENV = "python3 -m venv .venv && . .venv/bin/activate && "


def fenced_blocks() -> list[str]:
    """The bodies of README.md's fenced blocks (``` at the start of a line), in order."""
    return re.findall(r"^```[^\n]*\n(.*?)\n```$", (REPO / "README.md").read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    build, tests = fenced_blocks()[:2]
    assert readme.index("```sh\n" + tests) < readme.index("\n## "), "both commands come before the first section"
    assert build == VENV + "pip install . && okrsite build"
    assert tests.startswith(VENV + "pip install -e '.[test]' && ") and tests.endswith("pytest -q")


def test_ci_runs_the_readme_test_command():
    printed = subprocess.run(["bash", str(REPO / ".ci" / "run"), "--print-test-command"], capture_output=True, text=True, check=True, timeout=30)
    assert printed.stdout.rstrip("\n") == fenced_blocks()[1]
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert script.rstrip().endswith('bash -c "$test_command"'), "the README's command is what CI runs last"
    code = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if "pytest" in line], "CI has no test command of its own"


def _git(*args: str, cwd=REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=120).stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_readme_build_command_works_in_a_fresh_clone(tmp_path):
    """The README's first command, run literally by bash in a `git clone` of this commit.

    It makes a new virtual environment (without the system's packages) and `pip install .` there:
    dependencies come from the package index, or offline from the mirror and wheel folder pip is
    configured with. About 10 s with a warm pip cache. Uncommitted changes are not in the clone:
    this checks what CI checks out.
    """
    command = fenced_blocks()[0]
    assert command.startswith(VENV), "never run a pip install outside a virtual environment"
    clone = tmp_path / "okrsite"
    _git("clone", "-q", str(REPO), str(clone), cwd=tmp_path)
    _git("checkout", "-q", _git("rev-parse", "HEAD"), cwd=clone)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env.update(PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1")
    proc = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert (clone / "site" / "index.html").is_file()
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("Built 18 objectives") and "History" not in summary, summary
