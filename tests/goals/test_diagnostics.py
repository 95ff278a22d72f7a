import pytest

from okrsite.goals.diagnostics import did_you_mean


@pytest.mark.parametrize("word, candidates, hint", [
    ("grow-custmer-base", ["grow-customer-base", "reduce-churn"], "did you mean 'grow-customer-base'?"),
    ("TOP", ["top", "tap"], "did you mean 'top'?"),  # only the case differs: difflib alone finds nothing
    ("Grow Sales", ["grow-sales", "grow-leads"], "did you mean 'grow-sales'?"),  # the title for the id
    ("Committed", ["committed", "aspirational"], "did you mean 'committed'?"),
    ("REDUCE-CHRN", ["reduce-churn"], "did you mean 'reduce-churn'?"),
    ("xyz", ["top"], ""),
    ("Q4-FY27", ["FY27", "FY27-Q1", "FY27-Q3", "FY27-Q4"], "did you mean 'FY27-Q4'?"),  # difflib: 'FY27'
    ("q4 fy27", ["FY27-Q1", "FY27-Q4"], "did you mean 'FY27-Q4'?"),
    ("churn-reduce", ["reduce-churn", "reduce-cost"], "did you mean 'reduce-churn'?"),
    ("grow.md", ["grow", "growth"], "did you mean 'grow'?"),  # QA DI: a path means its file's id
    ("content\\objectives\\grow.md", ["grow", "growth"], "did you mean 'grow'?"),
    ("objectives/Grow.MD", ["grow", "growth"], "did you mean 'grow'?"),
    ("objectives\\grwth.md", ["grow-sales", "growth"], "did you mean 'growth'?"),
    ("data/mrr.csv", ["data/mrr.csv", "data/arr.csv"], "did you mean 'data/mrr.csv'?"),
])
def test_the_nearest_candidate_whatever_the_case(word, candidates, hint):
    assert did_you_mean(word, candidates) == hint


# Every diagnostic says how to fix it (SPEC §7): a hint is never left out, nor written empty.

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "okrsite"
# What makes a diagnostic, or an exception that becomes one, and where its hint is among the arguments.
HINT_AT = {"Diagnostic": 4, "FrontMatterError": 2, "TemplateProblem": 3, "CheckInError": 1, "EditError": 1, "OutputError": 1,
           "Problem": 1, "SettingProblem": 1}
REPORTING = ("error", "warning", "notice")


def _hint_index(call: ast.Call, path: Path) -> int | None:
    func = call.func
    if isinstance(func, ast.Name):
        return HINT_AT.get(func.id)
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in HINT_AT:
        return HINT_AT[func.attr]
    if func.attr not in REPORTING:
        return None
    receiver = ast.unparse(func.value)
    if receiver.split(".")[-1] == "report":
        return 3  # Report.error(file, line, message, hint)
    if path.name == "parse.py" and receiver in ("fields", "self") and func.attr == "error":
        return 2  # Fields.error(path, message, hint)
    raise AssertionError(f"{path.name}:{call.lineno}: {receiver}.{func.attr}(...): teach this test where its hint is")


def _empty(node: ast.AST) -> bool:
    """Whether a hint expression is, or may be, the empty text."""
    if isinstance(node, ast.Constant):
        return not node.value
    if isinstance(node, ast.JoinedStr):
        return not node.values
    if isinstance(node, ast.IfExp):
        return _empty(node.body) or _empty(node.orelse)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return _empty(node.values[-1])
    return False


def hintless_calls() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args.args + node.args.kwonlyargs
                defaults = dict(zip([a.arg for a in node.args.args][::-1], node.args.defaults[::-1]))
                defaults.update({a.arg: d for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is not None})
                if any(a.arg == "hint" for a in args) and "hint" in defaults:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.name}() has a default hint")
            if not isinstance(node, ast.Call):
                continue
            at = _hint_index(node, path)
            if at is None:
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)[:100]}"
            if any(isinstance(a, ast.Starred) for a in node.args[:at + 1]):
                continue  # (message, hint) from a helper: each such helper's hints are checked where it writes them
            hint = node.args[at] if len(node.args) > at else next((k.value for k in node.keywords if k.arg == "hint"), None)
            if hint is None or _empty(hint):
                found.append(where)
    return found


def test_no_diagnostic_in_the_code_base_is_made_without_a_hint():
    assert hintless_calls() == []


def test_the_check_itself_finds_a_missing_or_empty_hint(tmp_path, monkeypatch):
    code = ("def f(report, fields):\n    report.error('a.md', 1, 'bad')\n    report.warning('a.md', 1, 'bad', '')\n"
            "    report.notice('a.md', 1, 'bad', x or '')\n    raise FrontMatterError(1, 'bad')\n"
            "    report.error('a.md', 1, 'fine', 'do this')\n    report.error('a.md', *problem)\n"
            "def g(message, hint=''):\n    pass\n")
    (tmp_path / "okrsite").mkdir()
    (tmp_path / "okrsite" / "m.py").write_text(code)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "PACKAGE", tmp_path / "okrsite")
    assert sorted(int(f.split(":")[1]) for f in hintless_calls()) == [2, 3, 4, 5, 8]


def test_text_output_keeps_each_problem_on_one_line_whatever_a_goals_file_holds(tmp_path, capsys):
    """A parent written "x\\n::warning file=okrsite.toml,line=1::injected" started a line of its own in
    `okrsite check`'s output, which GitHub Actions reads as a workflow command (and an escape sequence
    would be obeyed by a terminal)."""
    from okrsite.cli import main
    from ..conftest import FIXTURES, compose_site, write_files

    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/objectives/odd.md": (
        '---\ntitle: Odd\nperiod: 2026-Q4\nowner: company\nparent: "delight\\n::add-mask::secret\\u2028\\u001b[2J"\n'
        'key_results:\n  - {title: K, target: "50%\\n::notice::injected"}\n---\n')})
    assert main(["check", str(root)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines and all(line.startswith(("content/", "okrsite check:")) for line in lines), lines
    said = "\n".join(lines)
    assert "unknown parent 'delight\\n::add-mask::secret\\u2028" in said and "\x1b" not in said


def test_a_command_line_quotes_each_word_for_a_shell():
    """QA EM: a suggested command with a file named `sales;touch PWNED;#.md` ran `touch PWNED` when pasted."""
    import shlex

    from okrsite.goals.diagnostics import command_line

    said = command_line("git", "checkout", "444b058~1", "--", "content/teams/sales;touch PWNED;#.md")
    assert shlex.split(said) == ["git", "checkout", "444b058~1", "--", "content/teams/sales;touch PWNED;#.md"]
    assert command_line("ln", "-sfn", "PATH", "content/objectives/x.md") == "ln -sfn PATH content/objectives/x.md"


def test_one_line_keeps_the_isolates_okrsite_puts_around_right_to_left_text():
    """QA EU: `okrsite checkin` printed "Check-in: \\u2068صافي الحرق\\u2069 …", the escapes of okrsite's own
    isolates; a closed pair is kept, while what it holds, and any isolate or override left unpaired, is
    still escaped."""
    from okrsite.goals.diagnostics import one_line
    from okrsite.goals.formats import isolated

    assert one_line(f"Check-in: {isolated('صافي الحرق')} 1 → 2") == "Check-in: \u2068صافي الحرق\u2069 1 → 2"
    assert one_line("\u2068a\u202eb\u2069 \u2069 \u2068 \x1b[2J\n") == "\u2068a\\u202eb\u2069 \\u2069 \\u2068 \\x1b[2J\\n"
