import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def _caches_in_fixtures() -> set[Path]:
    return set(FIXTURES.glob("**/.okrsite-cache"))


@pytest.fixture(scope="session", autouse=True)
def fixtures_stay_as_committed():
    """A test that builds a fixture in place must not leave a build cache in the working copy."""
    before = _caches_in_fixtures()
    yield
    left = sorted(str(path.relative_to(FIXTURES)) for path in _caches_in_fixtures() - before)
    assert not left, f"a test built a fixture with the build cache on (cache=False): {left}"


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch):
    """Tests run alike in CI and out of it: where it matters (git.history.history_expected), they set CI themselves."""
    monkeypatch.delenv("CI", raising=False)


def compose_site(dest: Path, *layers: Path) -> Path:
    """A goals repository made of fixture folders laid over each other (later layers win)."""
    for layer in layers:
        shutil.copytree(layer, dest, dirs_exist_ok=True)
    return dest


def write_files(root: Path, files: dict) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


@pytest.fixture
def base_site(tmp_path: Path) -> Path:
    return compose_site(tmp_path / "site", FIXTURES / "base")


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example goals repository (settings, content, data; not the theme)."""
    root = tmp_path / "goals"
    root.mkdir()
    shutil.copy(REPO / "okrsite.toml", root / "okrsite.toml")
    for name in ("content", "data"):
        shutil.copytree(REPO / name, root / name)
    return root


def okrsite_bound_by_permissions(*args: str, cwd: Path | None = None):
    """`okrsite ARGS` in a process that file permissions bind: as root (who writes anywhere), without
    the capabilities that let it (setpriv); skipped where that cannot be arranged."""
    import os
    import subprocess
    import sys

    prefix: list[str] = []
    if os.name != "posix":
        pytest.skip("POSIX file permissions")
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root writes anywhere, and setpriv is not installed to stop it")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([*prefix, sys.executable, "-m", "okrsite", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def goals_files_read(monkeypatch) -> list[str]:
    """The goals files read from here on (goals/repository's load_document), as paths from their site."""
    from okrsite.goals import repository

    read: list[str] = []
    real = repository.load_document

    def counted(root, path, report, raw=None):
        read.append(Path(path).relative_to(root).as_posix())
        return real(root, path, report, raw)

    monkeypatch.setattr(repository, "load_document", counted)
    return read


def read_once_each(read: list[str], root: Path, new: list[str]) -> bool:
    """Whether every goals file of ``root`` was read once, the ``new`` ones too: not the site twice."""
    from collections import Counter

    site = {p.relative_to(root).as_posix() for p in (root / "content").rglob("*.md")}
    return Counter(read) == Counter(site) and set(new) <= site and len(new) > 0
