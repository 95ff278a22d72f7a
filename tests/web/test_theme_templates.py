"""A site's own templates as files: their bytes (BOM, encodings), the mistakes found before any page is
rendered, and the macros a macros.html override must keep (docs/themes.md)."""

import re
from pathlib import Path

import pytest

from okrsite.build import check_site
from okrsite.goals.config import Settings
from okrsite.web.render import Renderer, TemplateProblem, View, imported_macros, template_problems
from okrsite.web.theme import default_theme, theme_dirs

from ..conftest import FIXTURES, REPO, compose_site, write_files

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


def test_a_syntax_error_in_one_template_hides_no_error_of_another(tmp_path):
    """SPEC §7 (QA): archive.html does not compile; person.html compiles and includes a template no
    theme has. Both are said before rendering, not the second only once the first is fixed."""
    write_files(tmp_path, {"theme/templates/archive.html": '{% extends "base.html" %}{% block main %}\n<h1>{{ site.title }</h1>{% endblock %}\n',
                           "theme/templates/person.html": '{% extends "base.html" %}{% block main %}\n{% include "partials/missing.html" %}{% endblock %}\n',
                           "theme/templates/logo.html": b"Caf\xe9\n",  # there, though not UTF-8: team.html names no missing template
                           "theme/templates/team.html": '{% extends "base.html" %}{% block main %}{% include "logo.html" %}{% endblock %}\n'})
    found = [(Path(p.file).relative_to(tmp_path).as_posix(), p.line, p.message) for p in template_problems(renderer_for(tmp_path))]
    assert found == [
        ("theme/templates/archive.html", 2, "template syntax error: unexpected '}'"),
        ("theme/templates/logo.html", 1, "the template logo.html is not UTF-8 text: this line has the byte 0xE9, 'é' in Windows-1252"),
        ("theme/templates/person.html", 2, "no template 'partials/missing.html' in theme/templates nor in the default theme"),
    ]


LOOPS = {
    "two": ({"a.html": '<p>a</p>\n{% include "b.html" %}\n', "b.html": '<p>b</p>\n{% include "a.html" %}\n',
             "person.html": '{% extends "base.html" %}{% block main %}\n{% include "b.html" %}{% endblock %}\n'},
            ("a.html", 2, "a.html → b.html → a.html")),
    "two, entered at the other": ({"a.html": '<p>a</p>\n{% include "b.html" %}\n', "b.html": '<p>b</p>\n{% include "a.html" %}\n',
                                   "person.html": '{% extends "base.html" %}{% block main %}\n{% include "a.html" %}{% endblock %}\n'},
                                  ("a.html", 2, "a.html → b.html → a.html")),  # a build meets the loop at b.html or a.html, by the depth it stops at
    "three, extends and import": ({"c.html": '{% import "d.html" as d %}\n', "d.html": '\n\n{% extends "e.html" %}', "e.html": '{% include "c.html" %}',
                                   "person.html": '{% extends "base.html" %}{% block main %}{% include "e.html" %}{% endblock %}'},
                                  ("c.html", 1, "c.html → d.html → e.html → c.html")),
    "through a default template": ({"base.html": '<html>{% include "partial.html" %}{% block main %}{% endblock %}</html>',
                                    "partial.html": '{% include "404.html" %}'},  # the default 404.html extends base.html: the site's
                                   ("base.html", 1, "base.html → partial.html → 404.html → base.html")),
}


@pytest.mark.parametrize("case", LOOPS)
def test_check_finds_templates_that_include_one_another_in_a_loop_as_build_says_it(base_site, tmp_path, case):
    """QA: a.html includes b.html, b.html a.html: `check` said nothing, `build` failed on the loop. Now
    check finds it from the templates' text, and says it as build does (the same file, line and words,
    once), whichever page meets it first."""
    from okrsite.build import build, check

    files, (name, line, loop) = LOOPS[case]
    write_files(base_site, {f"theme/templates/{n}": text for n, text in files.items()})
    expected = [(f"theme/templates/{name}", line, f"templates {loop} include or extend one another in a loop")]
    assert [(d.file, d.line, d.message) for d in check(base_site, cache=False).errors] == expected
    assert [(d.file, d.line, d.message) for d in build(base_site, tmp_path / "out", cache=False).report.errors] == expected


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


# --- templates linked from outside ------------------------------------------------------------------


def outside_secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside-secret.txt"
    secret.write_text("db_password=hunter2\n")
    return secret


def test_a_template_linked_from_outside_the_site_is_left_out(base_site, tmp_path):
    """As a static file is: a repository's link to a file elsewhere never becomes a page (docs/validation.md)."""
    from okrsite.build import build

    secret = outside_secret(tmp_path)
    templates = base_site / "theme/templates"
    templates.mkdir(parents=True)
    for name in ("robots.txt", "404.html", "changes.xml", "logo.html"):
        (templates / name).symlink_to(secret)
    write_files(base_site, {"theme/templates/kpi.html": '{% extends "base.html" %}{% block main %}<h1>{{ subject.title }}</h1>{% endblock %}'})
    result = build(base_site, tmp_path / "out")
    assert result.ok, result.report.items
    published = [path for path in (tmp_path / "out").rglob("*") if path.is_file() and b"hunter2" in path.read_bytes()]
    assert published == []
    assert (tmp_path / "out/robots.txt").read_text().strip() == (default_theme() / "templates/robots.txt").read_text().strip()
    assert "<h1>" in (tmp_path / "out/kpis/mrr/index.html").read_text()  # the site's own templates are still used
    assert "logo.html" not in renderer_for(base_site).env.list_templates() and template_problems(renderer_for(base_site)) == []


def test_an_own_template_that_includes_one_linked_from_outside_finds_none(base_site, tmp_path):
    from okrsite.build import build

    (base_site / "theme/templates").mkdir(parents=True)
    (base_site / "theme/templates/logo.html").symlink_to(outside_secret(tmp_path))
    write_files(base_site, {"theme/templates/kpi.html": '{% extends "base.html" %}{% block main %}\n{% include "logo.html" %}{% endblock %}'})
    [error] = build(base_site, tmp_path / "out").report.errors
    assert (error.file, error.line) == ("theme/templates/kpi.html", 2) and "logo.html" in error.message and "hunter2" not in error.message


def test_a_template_linked_from_inside_its_folder_is_used(base_site, tmp_path):
    from okrsite.build import build

    write_files(base_site, {"theme/templates/parts/robots.txt": "User-agent: *\nDisallow: /mine/\n"})
    (base_site / "theme/templates/robots.txt").symlink_to("parts/robots.txt")
    assert build(base_site, tmp_path / "out").ok
    assert (tmp_path / "out/robots.txt").read_text().startswith("User-agent: *\nDisallow: /mine/")


def test_a_theme_folder_linked_from_outside_the_site_is_left_out_with_a_warning(base_site, tmp_path):
    """A theme/ that is a link to a folder outside the site (a checkout beside it) is not used: what the
    site publishes is what its own folder holds. Linked to a folder inside the site, it is."""
    from okrsite.build import build

    shared = write_files(tmp_path / "shared-theme", {"templates/robots.txt": "User-agent: *\nDisallow: /shared/\n", "static/brand.css": "b{}"})
    (base_site / "theme").symlink_to(shared, target_is_directory=True)
    result = build(base_site, tmp_path / "out")
    assert result.ok and not (tmp_path / "out/brand.css").exists() and "/shared/" not in (tmp_path / "out/robots.txt").read_text()
    [warning] = result.report.warnings
    assert (warning.file, warning.line) == ("theme", 0) and "leads out of the site's folder and its git repository" in warning.message, warning
    (base_site / "theme").unlink()
    inside = compose_site(base_site / "vendor/brand-theme", shared)
    (base_site / "theme").symlink_to("vendor/brand-theme", target_is_directory=True)
    result = build(base_site, tmp_path / "out2")
    assert result.ok and result.report.warnings == [] and inside.is_dir()
    assert (tmp_path / "out2/brand.css").read_text() == "b{}" and "/shared/" in (tmp_path / "out2/robots.txt").read_text()


UNUSABLE = {
    "a link to nothing": (lambda site: (site / "theme").symlink_to("nonexistent-theme"),
                          "theme/ is a link to nonexistent-theme, which does not exist, so the default theme's files are used instead"),
    "a submodule not checked out": (lambda site: ((site / "vendor/brand-theme").mkdir(parents=True), (site / "theme").symlink_to("vendor/brand-theme")),
                                    "theme/ (a link to vendor/brand-theme) is empty (a git submodule not checked out?), so the default theme's files are used instead"),
    "a file": (lambda site: (site / "theme").write_text("brand"), "theme is a file, not a folder, so the default theme's files are used instead"),
    "templates/ a link to nothing": (lambda site: ((site / "theme/static").mkdir(parents=True), (site / "theme/templates").symlink_to("../brand/templates")),
                                     "theme/templates/ is a link to ../brand/templates, which does not exist, so the default theme's files are used instead"),
    "neither templates/ nor static/": (lambda site: write_files(site, {"theme/brand-theme/templates/base.html": "<html></html>"}),
                                       "theme/ holds neither templates/ nor static/, so none of its files is used"),
}


@pytest.mark.parametrize("case", UNUSABLE)
def test_a_theme_folder_that_is_there_but_cannot_be_used_is_a_warning(base_site, tmp_path, case):
    """QA: a theme/ that is a link to nothing, an empty git submodule or a file was left out without a
    word, and the site published unbranded. Each is a warning at theme/ (an error with --strict) in
    check and build alike, saying what is wrong and how to fix it."""
    from okrsite.build import build, check

    make, message = UNUSABLE[case]
    make(base_site)
    folder = "theme/templates" if case.startswith("templates/") else "theme"
    for report in (check(base_site, cache=False), build(base_site, tmp_path / "out").report):
        assert [(d.file, d.line, d.message) for d in report.warnings] == [(folder, 0, message)] and report.errors == []
        assert report.failed(True, False) and not report.failed(False, False)
        assert report.warnings[0].hint


def test_a_theme_shared_by_the_sites_of_one_repository_is_used(tmp_path):
    """A monorepo's sites linking one theme beside them (`okrs/theme -> ../shared-theme`): the theme is
    in the repository a reviewer sees, so it is used, without a warning."""
    from okrsite.build import build

    mono = tmp_path / "mono"
    (mono / ".git").mkdir(parents=True)
    site = compose_site(mono / "okrs", FIXTURES / "base")
    write_files(mono / "shared-theme", {"templates/robots.txt": "User-agent: *\nDisallow: /shared/\n", "static/brand.css": "b{}"})
    (site / "theme").symlink_to("../shared-theme", target_is_directory=True)
    result = build(site, tmp_path / "out", cache=False)
    assert result.ok and result.report.warnings == [], result.report.warnings
    assert (tmp_path / "out/brand.css").read_text() == "b{}" and "/shared/" in (tmp_path / "out/robots.txt").read_text()


def test_the_docs_say_templates_are_code_that_needs_review():
    """Templates run unsandboxed with the build's rights (QA: `cycler.__init__.__globals__.os.environ`):
    the theme guide says so, and the pages on publishing and keeping a site internal lead to it."""
    themes = (REPO / "docs/themes.md").read_text(encoding="utf-8")
    assert "\n## Templates are code: review them like code\n" in themes and "environment variable" in themes
    for page in ("publishing.md", "keeping-it-internal.md"):
        assert "themes.md#templates-are-code-review-them-like-code" in (REPO / "docs" / page).read_text(encoding="utf-8"), page
