"""A site's own templates as files: their bytes (BOM, encodings), the mistakes found before any page is
rendered, and the macros a macros.html override must keep (docs/themes.md)."""

import re
from pathlib import Path

import pytest

from okrsite.build import check_site
from okrsite.goals.config import Settings
from okrsite.web.render import Renderer, TemplateProblem, View, imported_macros, template_problems
from okrsite.web.theme import default_theme, theme_dirs

from ..conftest import REPO, write_files

BOM = b"\xef\xbb\xbf"


def renderer_for(site: Path) -> Renderer:
    return Renderer(Settings(), theme_dirs(site))


def test_a_template_saved_with_a_bom_renders_without_it(tmp_path):
    """Before <!doctype>, a BOM sends browsers into quirks mode and the <head>'s metas into <body>."""
    write_files(tmp_path, {"theme/templates/logo.html": BOM + "<b>logo</b>\n".encode(),
                           "theme/templates/page.html": BOM + b'<!doctype html>{% include "logo.html" %}'})
    assert renderer_for(tmp_path).env.get_template("page.html").render() == "<!doctype html><b>logo</b>"


def test_a_template_that_is_not_utf8_is_a_problem_at_its_line(tmp_path):
    write_files(tmp_path, {"theme/templates/kpi.html": b'{% extends "base.html" %}\n{% block main %}\n<p>Caf\xe9</p>\n{% endblock %}\n'})
    with pytest.raises(TemplateProblem) as raised:
        renderer_for(tmp_path).env.get_template("kpi.html")
    problem = raised.value
    assert Path(problem.file) == tmp_path / "theme/templates/kpi.html" and problem.line == 3
    assert problem.message == "the template kpi.html is not UTF-8 text: this line has the byte 0xE9, 'é' in Windows-1252"
    assert "save it as UTF-8" in problem.hint


def test_every_own_template_that_cannot_compile_is_found_before_rendering(tmp_path):
    write_files(tmp_path, {
        "theme/templates/archive.html": '{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n',
        "theme/templates/kpi.html": b"\n\nCaf\xe9\n",
        "theme/templates/parts/logo.html": "{{ oops }\n",
        "theme/templates/team.html": "{{ 1/0 }}\n",  # compiles: fails only when rendered
        "theme/templates/.kpi.html.swp": b"\x00\xff binary swap file",  # hidden: an editor's, not a template
    })
    found = [(Path(p.file).relative_to(tmp_path).as_posix(), p.line, p.message) for p in template_problems(renderer_for(tmp_path))]
    assert found == [
        ("theme/templates/archive.html", 3, "template syntax error: Expected an expression, got 'end of statement block'"),
        ("theme/templates/kpi.html", 3, "the template kpi.html is not UTF-8 text: this line has the byte 0xE9, 'é' in Windows-1252"),
        ("theme/templates/parts/logo.html", 1, "template syntax error: unexpected '}'"),
    ]


def test_the_default_theme_alone_has_no_problems(tmp_path):
    assert template_problems(renderer_for(tmp_path)) == []


def test_a_macros_override_is_told_every_macro_it_lacks(tmp_path):
    default = (default_theme() / "templates" / "macros.html").read_text()
    kept = re.sub(r"{%-? macro (objective_count|period_bar|verdict)\(.*?{%-? endmacro -?%}", "", default, flags=re.S)
    write_files(tmp_path, {"theme/templates/macros.html": kept})
    [problem] = template_problems(renderer_for(tmp_path))
    assert Path(problem.file) == tmp_path / "theme/templates/macros.html" and problem.line == 1
    assert problem.message == "macros.html lacks 3 macros that the templates import from it: objective_count, period_bar, verdict"
    assert "keep all its macros" in problem.hint


def test_a_macros_override_need_not_keep_what_only_overridden_pages_import(tmp_path):
    write_files(tmp_path, {"theme/templates/macros.html": "{% macro objective_row(o, a, b) %}{% endmacro %}{% set bar = 1 %}"})
    write_files(tmp_path, {f"theme/templates/{page.name}": '{% from "macros.html" import bar %}{{ bar }}'
                           for page in (default_theme() / "templates").glob("*.html") if page.name != "macros.html"})
    assert template_problems(renderer_for(tmp_path)) == []


def test_the_docs_list_every_macro_a_macros_override_must_keep(tmp_path):
    """docs/themes.md names them all, as the default templates import them (and the row macro)."""
    docs = (REPO / "docs" / "themes.md").read_text()
    paragraph = re.search(r"a `macros.html` override replaces all the\s+macros: the default pages import (.*?) from it", docs, re.S).group(1)
    listed = re.findall(r"`(\w+)`", paragraph)
    assert listed == imported_macros(renderer_for(tmp_path).env)
    assert len(listed) > 30


def documented_keys(row: str) -> set[str]:
    """The `names` of a docs table row's description that stand outside any parentheses: the keys it lists."""
    description = row.split(" | ", 1)[1]
    while re.search(r"\([^()]*\)", description):
        description = re.sub(r"\([^()]*\)", "", description)
    return set(re.findall(r"`(\w+)`", description))


def test_the_docs_name_every_key_of_period_summary_and_no_other():
    """docs/themes.md's row of `view.period_summary(period)`: a template reading a key it names must not fail."""
    row = next(line for line in (REPO / "docs" / "themes.md").read_text().splitlines() if line.startswith("| `view.period_summary(period)`"))
    checked = check_site(REPO)
    view = View(checked.loaded.site, checked.scores, checked.loaded.settings)
    for period in checked.loaded.site.periods.values():
        assert documented_keys(row) == set(view.period_summary(period))
