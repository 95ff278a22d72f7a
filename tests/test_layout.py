"""The package's layout is the pipeline: imports only go down it, and no module imports itself in a circle.

Stages, lowest first: goals (reading goals) → git → numbers → web (the website) → preview; build.py, cache.py, cli.py,
scaffold.py, importers.py, carryover.py and digest/ sit on top. A module may import its own stage and the stages below, never one above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "okrsite"
STAGES = ("goals", "git", "numbers", "web", "preview")
TOP = len(STAGES)  # build, cache, cli, scaffold, importers, carryover, digest, __main__


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


def git_runners() -> set[str]:
    """Every top-level function of the git stage that runs git (`okrsite.git.history.head_of`): one that
    names `subprocess`, or a function of the stage that does, directly or through others."""
    uses: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / "git").glob("*.py")):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.name: f"{module}.{node.name}" for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                names.update((a.asname or a.name, f"okrsite.git.{node.module}.{a.name}") for a in node.names)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                said = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                uses[f"{module}.{node.name}"] = {names.get(name, name) for name in said}
    runners = {function for function, used in uses.items() if "subprocess" in used}
    while True:
        more = {function for function, used in uses.items() if used & runners} - runners
        if not more:
            return runners
        runners |= more


def test_the_web_stage_runs_no_git():
    """The website is made from values: what it needs of the git history (the history itself, the KPIs
    whose data files were confidential once) is read by the stage that reads history (build.py, the
    preview) and handed to it. No module of web/ imports a function that runs git."""
    runners = git_runners()
    assert {"okrsite.git.history.head_of", "okrsite.git.history.read_history_from", "okrsite.git.read.read_site_history", "okrsite.git.read.once_confidential"} <= runners
    found = []
    for path in sorted((PACKAGE / "web").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                source = f"okrsite.{node.module}" if node.level == 2 else node.module  # `from ..git.history import head_of`
                found += [f"{module_name(path)} imports {name}" for a in node.names if (name := f"{source}.{a.name}") in runners]
    assert not found, "\n".join(found)
