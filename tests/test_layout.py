"""The package's layout is the pipeline: imports only go down it, and no module imports itself in a circle.

Stages, lowest first: goals (reading goals) → git → numbers → web (the website) → preview; build.py, cache.py, cli.py,
scaffold.py and carryover.py sit on top. A module may import its own stage and the stages below, never one above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "okrsite"
STAGES = ("goals", "git", "numbers", "web", "preview")
TOP = len(STAGES)  # build, cli, scaffold, importers, __main__


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in STAGES:
        return STAGES.index(parts[1])
    return TOP if len(parts) > 1 else -1  # the package's __init__ (its version) is below everything


def imports_of(path: Path) -> set[str]:
    """Every okrsite module ``path`` imports, wherever the import stands (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "okrsite":
                continue
            for alias in node.names:  # `from . import charts` imports a module, not a name
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _is_module(candidate) else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "okrsite"}
    return found


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def package_modules() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_belongs_to_a_stage_or_the_top():
    loose = [m for m in package_modules() if m.count(".") == 1 and m.split(".")[1] not in (*STAGES, "build", "cache", "cli", "scaffold", "importers", "carryover", "digest", "__main__")]
    assert not loose, f"modules outside the pipeline's stages: {loose}"


def test_no_module_imports_a_stage_above_its_own():
    upward = [
        f"{module} ({STAGES[stage_of(module)] if stage_of(module) < TOP else 'top'}) imports {target}"
        for module, targets in package_modules().items() for target in targets
        if stage_of(target) > stage_of(module)
    ]
    assert not upward, "imports that go up the pipeline:\n" + "\n".join(upward)


def test_no_circular_imports():
    graph = package_modules()
    for module in graph:  # a package imports the modules it re-exports: follow real edges only
        graph[module] = {t for t in graph[module] if t in graph and t != module}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(" → ".join(path[path.index(target):] + [node, target]) if target in path else f"{node} → {target}")
            elif target not in state:
                visit(target, path + [node])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert not cycles, "circular imports:\n" + "\n".join(cycles)


@pytest.mark.parametrize("source, expected", [
    ("from ..numbers.compute import x", {"okrsite.numbers.compute"}),
    ("from . import charts", {"okrsite.web.charts"}),
])
def test_the_import_walker_reads_relative_imports(tmp_path, monkeypatch, source, expected):
    module = PACKAGE / "web" / "render.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    assert imports_of(module) == expected


def test_the_walker_would_catch_an_upward_import():
    """The check above can fail: a goals module importing the numbers stage is reported."""
    assert stage_of("okrsite.numbers.compute") > stage_of("okrsite.goals.link")
    assert stage_of("okrsite.build") > stage_of("okrsite.preview.server")
