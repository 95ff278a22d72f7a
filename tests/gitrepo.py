"""Real git repositories for tests: commits at set dates by set authors, with no global git config."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return env


class GitRepo:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.env = git_env(self.root.parent)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=self.root, env=env or self.env,
                              capture_output=True, text=True, check=True)
        return done.stdout

    def commit(self, files: dict[str, str | None], when: str, author: str = "Ann Lee", message: str = "Update goals",
               moves: dict[str, str] | None = None) -> str:
        """Move, write (None deletes) and commit, dated ``when`` (e.g. '2026-10-05T10:00:00+00:00')."""
        for old, new in (moves or {}).items():
            (self.root / new).parent.mkdir(parents=True, exist_ok=True)
            self.git("mv", old, new)
        for rel, text in files.items():
            path = self.root / rel
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.git("add", "-A")
        email = author.lower().replace(" ", ".") + "@example.com"
        env = dict(self.env, GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=author,
                   GIT_COMMITTER_EMAIL=email, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        self.git("commit", "-q", "--allow-empty", "--allow-empty-message", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()


SETTINGS = 'title = "Git goals"\nas_of = 2026-11-23\n'
TEAM = "---\ntitle: Sales\nlead: Ann Lee\n---\n"


def objective(title: str = "Reduce churn", current: float = 5, done: bool = False, status: str | None = None,
              period: str = "2026-Q4", body: str = "Why it matters.", history: str = "") -> str:
    lines = ["---", f"title: {title}", f"period: {period}", "owner: sales"]
    if status:
        lines.append(f"status: {status}")
    lines += [
        "key_results:",
        "  - title: Grow accounts",
        "    start: 0",
        "    target: 100",
        f"    current: {current}",
        "  - title: Reduce monthly churn",
        "    start: 5",
        "    target: 3",
        "    current: 4.6",
        '    unit: "%"',
        "  - title: Publish the pricing page",
        f"    done: {'true' if done else 'false'}",
    ]
    if history:
        lines.append(history)
    return "\n".join(lines + ["---", body, ""])


def kpi(values: str = "", data: str | None = None) -> str:
    lines = ["---", "title: Monthly recurring revenue", "owner: sales", "unit: USD", "target: 50000",
             "frequency: monthly", 'source: "Billing export"']
    if data:
        lines.append(f"data: {data}")
    if values:
        lines += ["values:", values]
    return "\n".join(lines + ["---", ""])


BI_KPI = "content/kpis/activation.md"


def hand_set_repo(root: Path, values: str = "", frequency: str = "frequency: weekly\n") -> GitRepo:
    """A KPI whose numbers live in a BI tool, its health set by team Product on 2026-10-01 (line 7), and
    its description edited on 2026-11-02 (the health unchanged): what QA FJ's site held."""
    def text(body: str) -> str:
        return (f"---\ntitle: Weekly activation\nowner: product\n{frequency}source: Looker\ndashboard: https://bi.example.com/activation\n"
                f"health: okay\n{values}---\n{body}\n")
    repo = GitRepo(root)
    repo.commit({"okrsite.toml": 'title = "BI goals"\n', "content/teams/product.md": "---\ntitle: Product\n---\n", BI_KPI: text("Activation.")},
                "2026-10-01T10:00:00+00:00", message="Activation, healthy")
    repo.commit({BI_KPI: text("Activation within a week.")}, "2026-11-02T10:00:00+00:00", message="Say what activation is")
    return repo


REALIGNED_TEAM = "---\ntitle: Co\n---\n"


def realigned(title: str, current: float | None, parent: str | None, period: str = "2026-Q3") -> str:
    """An objective of the QA FK repository: a roll-up without key results (``current`` None), else one key result at ``current`` of 10."""
    lines = ["---", f"title: {title}", f"period: {period}", "owner: co"] + ([f"parent: {parent}"] if parent else [])
    if current is not None:
        lines += ["key_results:", f"  - {{title: k, target: 10, current: {current}}}"]
    return "\n".join(lines + ["---", ""])


def realigned_repo(root: Path, moved_on: str = "2026-11-10", private: bool = False) -> GitRepo:
    """QA FK: the roll-up r (2026-Q3) over a = 100 %, b = 0 % and c = 50 % from July; d (20 %) aligned
    to nothing; on ``moved_on`` b is aligned to c instead, and d to r (``private``: b and d are)."""
    def moving(title: str, current: float, parent: str | None) -> str:
        text = realigned(title, current, parent)
        return text.replace("owner: co\n", "owner: co\nprivate: true\n") if private else text

    r = GitRepo(root)
    r.commit({"okrsite.toml": 'title = "Co"\n', "content/teams/co.md": REALIGNED_TEAM, "content/objectives/r.md": realigned("Roll-up", None, None),
              "content/objectives/a.md": realigned("A", 10, "r"), "content/objectives/b.md": moving("B", 0, "r"),
              "content/objectives/c.md": realigned("C", 5, "r"), "content/objectives/d.md": moving("D", 2, None)}, "2026-07-01T12:00:00+00:00")
    r.commit({"content/objectives/b.md": moving("B", 0, "c"), "content/objectives/d.md": moving("D", 2, "r")}, f"{moved_on}T12:00:00+00:00")
    return r


def one_key_result(title: str, period: str, kr_title: str, target: float, current: float, start: float | None = None) -> str:
    """An objective of team sales with one numeric key result."""
    lines = ["---", f"title: {title}", f"period: {period}", "owner: sales", "key_results:", f"  - title: {kr_title}"]
    lines += [f"    start: {start:g}"] if start is not None else []
    return "\n".join(lines + [f"    target: {target:g}", f"    current: {current:g}", "---", ""])


def foreign_copy(repo: GitRepo, place: Path) -> Path:
    """A copy of ``repo`` owned by another user, which git refuses to read ("dubious ownership");
    skips the test when not run as root (giving a folder away needs it)."""
    import pwd

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("making a folder another user's needs root")
    shutil.copytree(repo.root, place)
    nobody = pwd.getpwnam("nobody").pw_uid
    for path in [place, *place.rglob("*")]:
        os.chown(path, nobody, -1, follow_symlinks=False)
    return place


KILLED = "kill -KILL $$"  # as a timeout's kill, or the kernel's out of memory, ends a git


def shallow_clone(repo: GitRepo, place: Path, depth: int = 1) -> Path:
    """A clone of ``repo`` with its last ``depth`` commits only (`git clone --depth`), as most CI systems make one."""
    subprocess.run(["git", "clone", "-q", "--depth", str(depth), f"file://{repo.root}", str(place)], check=True, env=repo.env, capture_output=True)
    return place


def partial_clone(repo: GitRepo, place: Path) -> Path:
    """A blobless clone of ``repo`` (`git clone --filter=blob:none`): git would fetch each past version of a file
    from its remote, one by one, so okrsite reads no history from it (git.history.refusal)."""
    repo.git("config", "uploadpack.allowFilter", "true")
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{repo.root}", str(place)], check=True, env=repo.env, capture_output=True)
    return place


def failing_git(folder: Path, command: str, how: str = KILLED) -> str:
    """A PATH whose first folder holds a `git` that runs the shell line ``how`` when asked ``command``
    (`log`, `cat-file`), and is the real git otherwise: git failing while it reads the history."""
    real = shutil.which("git")
    folder.mkdir(parents=True, exist_ok=True)
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\n[ "$1" = {command} ] && {{ {how}; }}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"
