"""A non-editable install (what `pip install okrsite` gives a user) builds the example site.

The source tree must not be importable here: the package is installed with `pip install --target TMP`,
run with PYTHONPATH=TMP from a folder outside the repository, so the default theme has to come from
the installed package (okrsite/theme/), not from the repository's top-level theme/.

Slow-ish (a few seconds: pip builds a wheel) but part of the default run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Neither the sources nor a build's leftovers: what `git clone` gives, without caches and outputs.
_IGNORE = shutil.ignore_patterns(
    ".git", "build", "dist", "site", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
    ".benchmarks", "bench", "node_modules", "test-artifacts", ".okrsite-*", ".venv",
)


def _can_build_without_isolation() -> bool:
    """setuptools < 70.1 needs the separate `wheel` package for bdist_wheel."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    import setuptools

    parts = tuple(int(p) for p in setuptools.__version__.split(".")[:2] if p.isdigit())
    return parts >= (70, 1)


def _env(target: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = str(target)
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """okrsite installed (not editable) into a fresh --target folder."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    # A copy, so that pip's in-tree build (build/, *.egg-info) never touches the working tree.
    shutil.copytree(REPO, source, ignore=_IGNORE)
    target = base / "target"
    args = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-input", "--disable-pip-version-check", "--target", str(target)]
    if _can_build_without_isolation():
        args.append("--no-build-isolation")
    proc = _run(args + [str(source)], cwd=base)
    assert proc.returncode == 0, f"pip install failed:\n{proc.stdout}\n{proc.stderr}"
    assert (target / "okrsite" / "__init__.py").is_file()
    return target


def test_installed_package_is_the_one_imported(installed, tmp_path):
    code = "import okrsite, okrsite.web.theme as r; print(okrsite.__file__); print(r.default_theme())"
    proc = _run([sys.executable, "-c", code], cwd=tmp_path, env=_env(installed))
    assert proc.returncode == 0, proc.stderr
    module_file, theme = (Path(line) for line in proc.stdout.splitlines())
    assert module_file.resolve().is_relative_to(installed.resolve()), module_file
    assert theme.resolve().is_relative_to(installed.resolve()), theme
    assert not module_file.resolve().is_relative_to(REPO.resolve())


def test_installed_package_ships_the_default_theme(installed):
    """Every file of the repository's theme/ (templates and static, in any sub-folder) is in the wheel."""
    theme = installed / "okrsite" / "theme"
    source = REPO / "theme"
    expected = sorted(
        p.relative_to(source).as_posix() for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    )
    assert "templates/base.html" in expected and "static/style.css" in expected
    for rel in expected:
        assert (theme / rel).is_file(), f"{rel} is missing from the installed package"
        assert (theme / rel).read_bytes() == (source / rel).read_bytes(), rel


def test_installed_package_builds_the_example(installed, tmp_path):
    out = tmp_path / "out"
    proc = _run([sys.executable, "-m", "okrsite", "build", str(REPO), "-o", str(out)], cwd=tmp_path, env=_env(installed))
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    assert (out / "index.html").is_file()
    assert (out / "style.css").is_file()
    assert (out / "okrs.json").is_file()
    assert "<html" in (out / "index.html").read_text(encoding="utf-8")


def test_installed_package_builds_a_site_without_its_own_theme(installed, tmp_path):
    """The example repository has a theme/ folder (it is the default theme's source); a user's does not."""
    site = tmp_path / "goals"
    site.mkdir()
    shutil.copy2(REPO / "okrsite.toml", site / "okrsite.toml")
    shutil.copytree(REPO / "content", site / "content")
    if (REPO / "data").is_dir():
        shutil.copytree(REPO / "data", site / "data")
    out = tmp_path / "out"
    proc = _run([sys.executable, "-m", "okrsite", "build", str(site), "-o", str(out)], cwd=tmp_path, env=_env(installed))
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert (out / "index.html").is_file()
    assert (out / "style.css").read_bytes() == (installed / "okrsite" / "theme" / "static" / "style.css").read_bytes()
    assert (out / "favicon.svg").is_file()


def test_installed_console_entry_point_metadata(installed):
    """`okrsite` is declared as a console script pointing at okrsite.cli:console (main(), then out at once)."""
    entry_points = list(installed.glob("okrsite-*.dist-info/entry_points.txt"))
    assert entry_points, list(installed.iterdir())
    text = entry_points[0].read_text(encoding="utf-8")
    assert "[console_scripts]" in text
    assert "okrsite = okrsite.cli:console" in text
