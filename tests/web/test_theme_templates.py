"""A site's own templates as files: their bytes (BOM, encodings), the mistakes found before any page is
rendered, and the macros a macros.html override must keep (docs/themes.md)."""

import re
from pathlib import Path

import jinja2
import pytest

from okrsite.build import check_site
from okrsite.goals.config import Settings
from okrsite.web.render import Renderer, View
from okrsite.web.templatecheck import TemplateProblem, imported_macros, template_problems, template_warnings
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
    assert problem.hint == ("adding just them to your macros.html is enough, your own macros kept: "
                            f"copy them from the default theme's {default_theme() / 'templates' / 'macros.html'}")


def test_a_macros_override_copied_from_an_older_default_is_told_the_macro_is_new(tmp_path):
    """QA DV: last round's macros.html lacks `no_figure`, added since: the error says so, and that copying
    that one macro is enough (not "start from a copy of the default one", which reads as losing one's own)."""
    default = (default_theme() / "templates" / "macros.html").read_text()
    write_files(tmp_path, {"theme/templates/macros.html": re.sub(r"{%-? macro no_figure\(.*?{%-? endmacro -?%}", "", default, flags=re.S)})
    [problem] = template_problems(renderer_for(tmp_path))
    assert problem.message == "macros.html lacks 1 macro that the templates import from it: no_figure (added after okrsite 0.1.0)"
    assert problem.hint.startswith("adding just it to your macros.html is enough") and str(default_theme() / "templates" / "macros.html") in problem.hint


def test_a_macros_override_need_not_keep_what_only_overridden_pages_import(tmp_path):
    write_files(tmp_path, {"theme/templates/macros.html": "{% macro objective_row(o, a, b) %}{% endmacro %}{% set bar = 1 %}"})
    write_files(tmp_path, {f"theme/templates/{page.name}": '{% from "macros.html" import bar %}{{ bar }}'
                           for page in (default_theme() / "templates").glob("*.html") if page.name != "macros.html"})
    assert template_problems(renderer_for(tmp_path)) == []


# The signatures of a macros.html copied before the default templates passed these macros more.
NARROWER = {"period_bar(o, value, label, kind, ident, shown=None, k=None)": "period_bar(o, value, label, kind, ident, shown=None)",
            "period_day(p, objectives=None)": "period_day(p)", "counted_then_note(o, listed=true)": "counted_then_note(o)"}
NARROW_SAID = [
    (14, "the macro period_bar(o, value, label, kind, ident, shown=None) lacks the parameter k that the default objective.html passes it"),
    (50, "the macro period_day(p) lacks the parameter objectives that the default team.html passes it"),
    (80, "the macro counted_then_note(o) lacks the parameter listed that the default review.html passes it"),
]


def narrower_macros() -> str:
    text = (default_theme() / "templates" / "macros.html").read_text()
    for now, before in NARROWER.items():
        assert f"{{% macro {now} -%}}" in text
        text = text.replace(f"{{% macro {now} -%}}", f"{{% macro {before} -%}}")
    return text


def test_a_macros_override_whose_macros_take_fewer_arguments_than_the_default_pages_pass_is_told_what_to_add(tmp_path):
    """docs/themes.md: a macros.html copied before the default objective.html passed `period_bar` a 7th
    argument (and team.html `period_day` a 2nd, review.html `counted_then_note` `listed=`) passed `check`, and
    the build stopped with "internal error: TypeError: macro 'period_bar' takes not more than 6 argument(s)".
    Each such macro is an error at its line, naming what to add and the default signature to add it as."""
    write_files(tmp_path, {"theme/templates/macros.html": narrower_macros()})
    problems = template_problems(renderer_for(tmp_path))
    assert [(Path(p.file), p.line, p.message) for p in problems] == [(tmp_path / "theme/templates/macros.html", line, message) for line, message in NARROW_SAID]
    assert problems[0].hint == (f"add it as the default theme's {default_theme() / 'templates' / 'macros.html'} has it, "
                                "{% macro period_bar(o, value, label, kind, ident, shown=None, k=None) %}, and use it as that macro does")


def test_check_and_build_say_what_a_narrower_macros_override_lacks_alike(base_site, tmp_path):
    """`check` says it from the templates' text; the build says the same, once, instead of crashing on
    the first page that calls the macro (its TypeError placed at the macro's line)."""
    from okrsite.build import build, check

    write_files(base_site, {"theme/templates/macros.html": narrower_macros()})
    expected = [("theme/templates/macros.html", line, message) for line, message in NARROW_SAID]
    assert [(d.file, d.line, d.message) for d in check(base_site, cache=False).errors] == expected
    assert [(d.file, d.line, d.message) for d in build(base_site, tmp_path / "out", cache=False).report.errors] == expected


def test_a_macro_that_takes_every_argument_passed_it_is_no_problem(tmp_path):
    """A macro of one's own with `varargs` or `kwargs` in its body takes what it is passed, as Jinja calls it."""
    text = narrower_macros().replace("{% macro period_bar(o, value, label, kind, ident, shown=None) -%}",
                                     "{% macro period_bar(o, value, label, kind, ident, shown=None) -%}{% set k = varargs[0] %}")
    text = text.replace("{% macro counted_then_note(o) -%}", "{% macro counted_then_note(o) -%}{% set listed = kwargs.listed %}")
    write_files(tmp_path, {"theme/templates/macros.html": text})
    assert [(p.line, p.message) for p in template_problems(renderer_for(tmp_path))] == NARROW_SAID[1:2]


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


# --- warnings: templates that build a site that is wrong where nobody looks first -----------------


def warnings_of(site: Path) -> list[tuple[str, int, str, str]]:
    return [(Path(p.file).relative_to(site).as_posix(), p.line, p.message, p.hint) for p in template_warnings(renderer_for(site))]


def test_the_default_theme_alone_has_no_warnings(tmp_path):
    write_files(tmp_path, {f"theme/templates/{path.name}": path.read_bytes() for path in (default_theme() / "templates").iterdir()})
    assert warnings_of(tmp_path) == []


def test_a_template_no_page_uses_is_a_warning_with_the_name_it_likely_means(tmp_path):
    """QA: index.html, baseof.html, objectives.html (names from other site generators, a typo) are never
    rendered. Partials that the theme's own templates include, import or extend are used."""
    write_files(tmp_path, {"theme/templates/index.html": EXTENDS_MAIN, "theme/templates/baseof.html": "<html></html>",
                           "theme/templates/objectives.html": EXTENDS_MAIN, "theme/templates/stray.html": "<p>stray</p>",
                           "theme/templates/kpi.html": '{% extends "layout.html" %}{% block main %}{% include "parts/logo.html" %}{% endblock %}',
                           "theme/templates/layout.html": '{% extends "base.html" %}{% from "forms.html" import field %}',
                           "theme/templates/forms.html": "{% macro field() %}{% endmacro %}", "theme/templates/parts/logo.html": "<b>logo</b>"})
    found = {file: (message, hint) for file, line, message, hint in warnings_of(tmp_path) if line == 1}
    assert sorted(found) == ["theme/templates/baseof.html", "theme/templates/index.html", "theme/templates/objectives.html", "theme/templates/stray.html"]
    assert found["theme/templates/index.html"] == (
        "template index.html is never used: okrsite renders pages only with templates named as the default theme's (home.html, objective.html, …), "
        "and no template extends, includes or imports index.html", "did you mean 'home.html'? rename it home.html to replace the default one")
    assert found["theme/templates/baseof.html"][1] == "did you mean 'base.html'? rename it base.html to replace the default one"
    assert found["theme/templates/objectives.html"][1] == "did you mean 'objective.html'? rename it objective.html to replace the default one"
    assert found["theme/templates/stray.html"][1].startswith("name it as the default template it replaces")


def test_no_template_is_said_unused_while_one_is_named_by_an_expression(tmp_path):
    write_files(tmp_path, {"theme/templates/kpi.html": '{% extends "base.html" %}{% block main %}{% include "parts/" ~ subject.id ~ ".html" %}{% endblock %}',
                           "theme/templates/parts/mrr.html": "<b>MRR</b>"})
    assert warnings_of(tmp_path) == []


EXTENDS_MAIN = '{% extends "base.html" %}{% block main %}<h1>Ours</h1>{% endblock %}'


def test_a_link_that_starts_with_a_slash_is_a_warning_at_its_line(tmp_path):
    """QA: `href="/brand.css"` works on a test server at the root and breaks under a sub-path and from
    file:// (docs/themes.md, "Rules of the road"): each is said with the link written as base.html writes its own."""
    write_files(tmp_path, {"theme/templates/base.html": (default_theme() / "templates/base.html").read_text().replace(
        '<link rel="stylesheet" href="{{ root }}style.css">',
        '<link rel="stylesheet" href="{{ root }}style.css">\n<link rel="stylesheet" href="/brand.css">\n'
        "<a href='/'><img src=\"/img/logo.svg\" alt=\"\"></a> <a href=\"//cdn.example.com/x.css\">cdn</a> <a href=\"https://example.com/\">x</a>\n"
        '<div style="background: url(/img/bg.png)"></div><a href="{{ root }}brand.css">ok</a>\n'
        '{# <a href="/legacy"> #}<!-- old logo: <img src="/">\n -->{#\n<a href="/old"> #}')})  # QA CA: in comments, never followed
    found = [(line, message.split(":")[0], hint) for _, line, message, hint in warnings_of(tmp_path)]
    line = next(n for n, text in enumerate((tmp_path / "theme/templates/base.html").read_text().splitlines(), 1) if "/brand.css" in text)
    assert found == [
        (line, 'the link "/brand.css" starts with "/"', 'write it relative to the page, href="{{ root }}brand.css", as the default base.html links style.css'),
        (line + 1, 'the link "/" starts with "/"', "write it relative to the page, href='{{ href('') }}', as the default templates link their pages"),
        (line + 1, 'the link "/img/logo.svg" starts with "/"', 'write it relative to the page, src="{{ root }}img/logo.svg", as the default base.html links style.css'),
        (line + 2, 'the link "/img/bg.png" starts with "/"', "write it relative to the page, url({{ root }}img/bg.png), as the default base.html links style.css"),
    ]
    assert "breaks on a site served under a sub-path or opened from file://" in template_warnings(renderer_for(tmp_path))[0].message


def test_a_misspelt_macro_import_is_said_at_its_line_not_blamed_on_macros_html(tmp_path):
    """QA: `import status_badge` for `status` was "macros.html:1: macros.html lacks 1 macro … status_badge",
    blaming a correct file; without a macros.html of the site's own, check said nothing at all."""
    write_files(tmp_path, {"theme/templates/person.html": '{% extends "base.html" %}\n{% from "macros.html" import bar, status_badge with context %}\n'
                                                           '{% block main %}{{ status_badge("on-track") }}{% endblock %}'})
    expected = [("theme/templates/person.html", 2, "macros.html has no macro 'status_badge' to import", "did you mean 'status'?")]
    found = [(Path(p.file).relative_to(tmp_path).as_posix(), p.line, p.message, p.hint) for p in template_problems(renderer_for(tmp_path))]
    assert found == expected
    write_files(tmp_path, {"theme/templates/macros.html": (default_theme() / "templates/macros.html").read_text()})
    found = [(Path(p.file).relative_to(tmp_path).as_posix(), p.line, p.message, p.hint) for p in template_problems(renderer_for(tmp_path))]
    assert found == expected


def test_a_base_override_without_the_blocks_the_pages_fill_is_a_warning(tmp_path):
    """QA: a base.html of the site's own without `{% block scripts %}` dropped review.js from the review
    page without a word; without `description`, every page's description."""
    default = (default_theme() / "templates/base.html").read_text()
    write_files(tmp_path, {"theme/templates/base.html": re.sub(r"{% block (scripts|description|root_attributes) %}.*?{% endblock %}", "", default, flags=re.S)})
    [(file, line, message, hint)] = warnings_of(tmp_path)
    assert (file, line, message) == ("theme/templates/base.html", 1, "base.html lacks 3 blocks that the pages fill: description, root_attributes, scripts")
    assert "keep all its blocks" in hint
    write_files(tmp_path, {"theme/templates/base.html": '{% extends "frame.html" %}{% block head %}{% endblock %}',
                           "theme/templates/frame.html": default})
    assert warnings_of(tmp_path) == []  # the blocks of the template it extends are its own


def test_the_docs_list_every_view_helper_filter_and_global_the_default_templates_use(tmp_path):
    """QA (a web designer): the default templates used view helpers and filters docs/themes.md did not
    list, so a theme of one's own could not learn them but from okrsite's source."""
    docs = (REPO / "docs" / "themes.md").read_text()
    text = "\n".join(path.read_text() for path in (default_theme() / "templates").iterdir())
    env = renderer_for(tmp_path).env
    helpers = set(re.findall(r"(?<![\w.])view\.(\w+)", text))
    filters = {name for name in re.findall(r"\|\s*(\w+)", text) if name in env.filters and name not in jinja2.filters.FILTERS}
    named = set(re.findall(r"(?<![\w.])(\w+)\(", text)) & {name for name in env.globals if name not in jinja2.defaults.DEFAULT_NAMESPACE}
    assert len(helpers) > 50 and filters and named
    assert sorted(name for name in helpers if f"`view.{name}" not in docs) == []
    section = docs.split("### Globals and filters", 1)[1].split("\n## ", 1)[0]
    assert sorted(name for name in filters | named if f"`{name}`" not in section and f"`{name}(" not in section) == []


def test_the_docs_warn_that_safe_on_goal_text_publishes_its_html_and_to_check_colours():
    """QA: `{{ o.title | safe }}` let a title's `<meta http-equiv="refresh">` send readers elsewhere,
    which the Content-Security-Policy cannot stop; a recolouring broke contrast, which okrsite does not check."""
    themes = " ".join((REPO / "docs/themes.md").read_text(encoding="utf-8").split())
    assert "**Never `|safe` goal text.**" in themes and 'http-equiv="refresh"' in themes and "cannot stop it" in themes
    assert "a rendered Markdown body is already safe" in themes
    assert "**Check your colours.**" in themes and "okrsite does not check contrast" in themes


def test_text_outside_the_blocks_of_an_extending_template_is_a_warning_at_its_line(tmp_path):
    """QA CO: a banner and `{{ subject.titel }}` after the last `{% endblock %}` of a copied kpi.html were
    dropped by Jinja without a word (the misspelt name no error either); text before the `{% extends %}` and
    an `{% include %}` outside the blocks come before the page's <!doctype>. Tags, macros, `{% set %}`,
    blank lines and HTML comments (QA CT) between blocks show nothing and are no warning."""
    kpi = (default_theme() / "templates/kpi.html").read_text()
    write_files(tmp_path, {
        "theme/templates/kpi.html": kpi + '\n<aside class="banner">Numbers are reviewed every Monday.</aside>\n{{ subject.titel }}\n',
        "theme/templates/team.html": '<p>ours</p>\n{% extends "base.html" %}\n{% set n = 1 %}\n{% macro m() %}<b>m</b>{% endmacro %}\n<!-- a\nnote -->'
                                     '{% block main %}{{ m() }}{% endblock %}\n{% if n %}\n  <p>{{ n }}</p>\n{% endif %}\n{% include "logo.html" %}\n',
        "theme/templates/logo.html": "<b>logo</b>",  # no extends: all of it is shown where it is included
    })
    hint = "put it inside {% block main %}, or another block of base.html"
    after = len(kpi.splitlines()) + 2
    assert warnings_of(tmp_path) == [
        ("theme/templates/kpi.html", after, "text outside any block of an extending template is not shown", hint),
        ("theme/templates/team.html", 1, "text before the {% extends %} of a template is written ahead of the page base.html makes, before its <!doctype>", hint),
        ("theme/templates/team.html", 8, "text outside any block of an extending template is not shown", hint),
        ("theme/templates/team.html", 10, "an {% include %} outside any block of an extending template is written ahead of the page base.html makes, "
         "before its <!doctype>", hint),
    ]


def test_safe_on_a_value_in_an_own_template_is_a_warning_at_its_line(tmp_path):
    """QA CO: `{{ o.title|safe }}` published a title's `<meta http-equiv="refresh">` as it was written, which
    the Content-Security-Policy cannot stop. Not on text written in the template (the default macros.html's
    `'/<wbr>' | safe`), nor on what is HTML already (body(), charts, view helpers)."""
    write_files(tmp_path, {"theme/templates/objective.html": '{% extends "base.html" %}\n{% block main %}{% set o = subject %}\n'
                           "<h1>{{ o.title|safe }}</h1>\n<a href=\"{{ o.doc.meta['link'] | safe }}\">More</a>{{ (o.title ~ '!')|safe }}\n"
                           "{{ '<wbr>'|safe }}{{ body(o)|safe }}{{ view.period_map(o.period, href)|safe }}{{ ('a' ~ '<b>')|safe }}\n"
                           "{% endblock %}\n"})
    found = [(file, line, message.split(":")[0], hint) for file, line, message, hint in warnings_of(tmp_path)]
    said = "goal text marked safe is written as raw HTML"
    assert found == [
        ("theme/templates/objective.html", 3, said, "remove |safe: print it as {{ o.title }}, escaped, and Markdown with body() or markdown()"),
        ("theme/templates/objective.html", 4, said, "remove |safe: print it as {{ o.doc.meta['link'] }}, escaped, and Markdown with body() or markdown()"),
        ("theme/templates/objective.html", 4, said, "remove |safe (or Markup): print goal text escaped, and Markdown with body() or markdown()"),
    ]
    assert "o.title is printed unescaped, so any HTML in it (a <meta> refresh, a link to anywhere) is published as written" in \
        template_warnings(renderer_for(tmp_path))[0].message


def test_safe_on_the_template_s_own_html_is_no_warning(tmp_path):
    """QA CT: a `{% set %}` block or string of the template's own HTML, a macro's output (its own or an
    imported one's) and a value escaped first were each warned about as goal text marked safe."""
    write_files(tmp_path, {"theme/templates/objective.html": '{% extends "base.html" %}\n{% import "macros.html" as m %}\n'
                           "{% from 'macros.html' import lock as padlock %}{% macro star() %}<b>*</b>{% endmacro %}\n"
                           "{% block main %}{% set o = subject %}{% set banner %}<p class=\"b\">Hi</p>{% endset %}{% set icon = '<svg></svg>' %}\n"
                           "{{ banner|safe }}{{ icon|safe }}{{ star()|safe }}{{ m.lock()|safe }}{{ padlock()|safe }}{{ o.title|e|safe }}\n"
                           "{{ (o.title if o else '')|safe }}{{ o.doc.meta.get('link')|safe }}\n{% endblock %}\n"})
    assert [(line, message.split(":")[0]) for _, line, message, _ in warnings_of(tmp_path)] == \
        [(6, "goal text marked safe is written as raw HTML")] * 2  # the field in a condition, a method's result


def test_the_docs_name_every_field_the_default_templates_read_and_what_stays_stable():
    """QA CO: the shipped templates read `.review_url`, `.quiet_since`, `.frequency_given`, `.direction_given`
    and `.target_inclusive`, which docs/themes.md never named, and nothing said what a theme may rely on
    across versions, nor how a break is announced."""
    docs = (REPO / "docs/themes.md").read_text(encoding="utf-8")
    text = "\n".join(path.read_text() for path in (default_theme() / "templates").iterdir())
    own = {"revindex", "strftime", "strip", "endswith"} | set(Settings.__dataclass_fields__)  # Jinja's loop, Python's own; settings.md lists the settings
    read = set(re.findall(r"\b[a-z_]+\.([a-z_]+)\b", text)) - own
    assert {"review_url", "quiet_since", "frequency_given", "direction_given", "target_inclusive"} <= read
    assert sorted(name for name in read if not re.search(rf"`[^`\n]*\b{name}\b[^`\n]*`", docs)) == []
    stable = " ".join(docs.split("### What stays stable across okrsite versions", 1)[1].split("\n## ", 1)[0].split())
    assert "**Themes:** or **Theme authors:**" in stable and "macros a `macros.html` override must keep" in stable
    assert all(f"`{block}`" in stable for block in ("root_attributes", "base", "title", "description", "head", "main", "scripts"))


def test_goal_text_formatted_joined_or_printed_with_escaping_off_is_a_warning_at_its_line(tmp_path):
    """QA DF: `|format`, `%`, `|join`, `"…".format()` of goal text marked safe, and goal text printed inside
    `{% autoescape false %}`, published a title's `<meta>` refresh without a warning. Escaped first, or
    printed where `{% autoescape true %}` is back on, it is no warning."""
    write_files(tmp_path, {"theme/templates/page.html": '{% extends "base.html" %}\n{% block main %}\n'
                           '{{ "Page: %s"|format(subject.title)|safe }}\n'
                           '{% autoescape false %}{{ subject.title }}{{ "<b>ours</b>" }}{{ subject.title|e }}{% autoescape true %}\n'
                           '{{ subject.title }}{% endautoescape %}{% endautoescape %}\n'
                           '{{ ("<b>%s</b>" % subject.title)|safe }}{{ [subject.title, "x"]|join(", ")|safe }}\n'
                           '{{ "Page: {}".format(subject.title)|safe }}{{ "Page: {}".format(subject.title|e)|safe }}{{ ["<b>", "</b>"]|join|safe }}\n'
                           "{% endblock %}\n"})
    found = [(line, message.split(" is printed")[0]) for _, line, message, _ in warnings_of(tmp_path)]
    safe, off = "goal text marked safe is written as raw HTML: ", "goal text printed inside {% autoescape false %} is written as raw HTML: "
    assert found == [(3, safe + "subject.title in this value"), (4, off + "subject.title"),
                     (6, safe + "subject.title in this value"), (6, safe + "subject.title in this value"), (7, safe + "subject.title in this value")]


def test_goal_text_reached_through_a_loop_a_macro_or_a_with_and_marked_safe_is_a_warning(tmp_path):
    """QA DJ: `{{ tag|safe }}` over `subject.tags`, a macro's parameter passed a key result's title, a
    `{% with %}` or `{% set %}` of goal text, and a loop variable printed inside `{% autoescape false %}`
    published a tag's `<meta>` refresh without a warning. A macro passed only the template's own HTML, a
    loop over the template's own list and goal text escaped first are no warning."""
    write_files(tmp_path, {"theme/templates/objective.html": '{% extends "base.html" %}\n'
                           '{% macro label(x, y) %}<span>{{ x|safe }}{{ y|safe }}</span>{% endmacro %}{% block main %}\n'
                           '{% for tag in subject.tags %}{{ tag|safe }}{% endfor %}\n'
                           '{% for kr in subject.key_results %}{{ label(kr.title, "<b>ours</b>") }}{% endfor %}\n'
                           '{% with t = subject.key_results[0].title %}{{ t|safe }}{% endwith %}{% set s = subject.title %}{{ s|safe }}\n'
                           '{% autoescape false %}{% for tag in subject.tags %}{{ tag }}{{ tag|e }}{% endfor %}{% endautoescape %}\n'
                           '{% for w in ["<b>", "<i>"] %}{{ w|safe }}{% endfor %}{% for k in subject.tags %}{{ k|e|safe }}{{ markdown(k)|safe }}{% endfor %}\n'
                           '{{ body(subject)|safe }}{{ markdown(subject.title)|safe }}\n'
                           "{% endblock %}\n"})
    found = [(line, message.split(" is printed")[0]) for _, line, message, _ in warnings_of(tmp_path)]
    safe, off = "goal text marked safe is written as raw HTML: ", "goal text printed inside {% autoescape false %} is written as raw HTML: "
    assert found == [(2, safe + "x"), (3, safe + "tag"), (5, safe + "t"), (5, safe + "s"), (6, off + "tag")]


def test_the_docs_say_autoescape_false_is_warned_of_as_safe_is():
    themes = " ".join((REPO / "docs/themes.md").read_text(encoding="utf-8").split())
    assert "{% autoescape false %}" in themes and '"Page: %s"|format(o.title)|safe' in themes


def test_a_page_s_block_that_base_html_has_not_is_a_warning_at_its_line(tmp_path):
    """QA DF: `{% block extra_head %}` (the MkDocs habit) in a page.html override was dropped without a word
    with the default base.html, and blamed on base.html:1 with a copy of it, whose hint could not fix it."""
    page = (default_theme() / "templates/page.html").read_text()
    write_files(tmp_path, {"theme/templates/page.html": page + '{% block extra_head %}<link rel="stylesheet" href="{{ root }}page.css">{% endblock %}\n'
                                                              "{% block sidebar %}<aside>x</aside>{% endblock %}\n"})
    blocks = "root_attributes, base, title, description, head, main, scripts"
    line = len(page.splitlines()) + 1
    expected = [("theme/templates/page.html", line, f"{{% block extra_head %}} is not a block of base.html, so what it holds is left out of the page: "
                 f"base.html has the blocks {blocks}", "did you mean 'head'? rename it {% block head %}"),
                ("theme/templates/page.html", line + 1, f"{{% block sidebar %}} is not a block of base.html, so what it holds is left out of the page: "
                 f"base.html has the blocks {blocks}",
                 "put what it holds in one of the blocks of base.html, or add {% block sidebar %} to base.html where it belongs")]
    assert warnings_of(tmp_path) == expected
    write_files(tmp_path, {"theme/templates/base.html": (default_theme() / "templates/base.html").read_text()})
    assert warnings_of(tmp_path) == expected


@pytest.mark.parametrize("opened", ["if", "for"])
def test_an_unclosed_tag_is_said_at_the_line_that_opened_it(tmp_path, opened):
    """QA DF: `<footer>{% if settings.repo_url %}` never closed was said at the template's last line, where
    Jinja gave up, not at line 39 of the copied base.html where the `if` was opened."""
    tag = {"if": "{% if settings.repo_url %}", "for": "{% for n in [1] %}"}[opened]
    base = (default_theme() / "templates/base.html").read_text().replace("<footer{{ interface_lang }}>", "<footer{{ interface_lang }}>" + tag)
    write_files(tmp_path, {"theme/templates/base.html": base})
    [problem] = template_problems(renderer_for(tmp_path))
    line = next(n for n, text in enumerate(base.splitlines(), 1) if tag in text)
    assert problem.line == line and line < len(base.splitlines()) - 2
    assert problem.message.startswith("template syntax error: Unexpected end of template.")
    assert f"The innermost block that needs to be closed is '{opened}', opened on this line: it is never closed" in problem.message
    assert problem.hint == f"add its {{% end{opened} %}} where the {opened} ends"


def test_an_end_tag_that_closes_another_names_the_line_of_the_tag_left_open(tmp_path):
    write_files(tmp_path, {"theme/templates/page.html": '{% extends "base.html" %}\n{% block main %}\n{% for n in [1] %}\n'
                                                        "{% if n %}\n<p>{{ n }}</p>\n{% endfor %}\n{% endblock %}\n"})
    [problem] = template_problems(renderer_for(tmp_path))
    assert problem.line == 6 and problem.message.endswith("The innermost block that needs to be closed is 'if', opened on line 4")
    assert problem.hint == "close the if of line 4 with {% endif %} before this line, or remove this tag"


def test_an_unclosed_tag_met_while_rendering_is_said_at_the_line_that_opened_it(tmp_path):
    write_files(tmp_path, {"theme/templates/logo.html": "<b>\n{% if site %}\nlogo</b>\n\n"})
    renderer = renderer_for(tmp_path)
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        renderer.env.get_template("logo.html")
    page = type("Page", (), {"output": "index.html", "template": "home.html"})()
    problem = TemplateProblem.from_exception(raised.value, page, renderer.themes, env=renderer.env)
    assert problem.line == 2 and "'if', opened on this line: it is never closed" in problem.message
    assert problem.hint == "add its {% endif %} where the if ends"


def test_an_unclosed_tag_names_the_templates_last_line_as_its_end(tmp_path):
    """QA DM: data running over the last lines ("x\ny\n") ended "at line 47" of a 48-line base.html."""
    base = (default_theme() / "templates/base.html").read_text() + "{% if true %}\nx\ny\n"
    write_files(tmp_path, {"theme/templates/base.html": base})
    [problem] = template_problems(renderer_for(tmp_path))
    assert problem.message.endswith(f"(Jinja reached the end of the template at line {len(base.splitlines())})")
