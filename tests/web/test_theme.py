"""Where a site's theme files are read from (okrsite/web/theme.py): files put where okrsite never reads
them are warnings, in check and build alike, instead of a site built with the default look."""

import pytest

from okrsite.build import build, check

from ..conftest import write_files

EXTENDS = '{% extends "base.html" %}\n{% block main %}<h1>Ours</h1>{% endblock %}\n'

MISPLACED = {
    "theme/template/ (singular)": ({"theme/static/brand.css": "b{}", "theme/template/objective.html": EXTENDS},
                                   ("theme/template", "okrsite does not read theme/template/: it reads a theme only from theme/templates/ and theme/static/",
                                    "did you mean 'templates'? rename theme/template/ to theme/templates/")),
    "theme/layouts/": ({"theme/templates/logo.html": "", "theme/templates/kpi.html": '{% include "logo.html" %}', "theme/layouts/baseof.html": EXTENDS},
                       ("theme/layouts", "okrsite does not read theme/layouts/: it reads a theme only from theme/templates/ and theme/static/",
                        "move its templates to theme/templates/ and its other files (images, stylesheets, scripts) to theme/static/, "
                        "keeping their names, or remove it")),
    "a template directly in theme/": ({"theme/static/brand.css": "b{}", "theme/objective.html": EXTENDS},
                                      ("theme/objective.html", "okrsite does not read theme/objective.html: it reads a theme only from "
                                       "theme/templates/ and theme/static/", "move it to theme/templates/objective.html")),
    "a stylesheet directly in theme/": ({"theme/static/favicon.svg": "<svg/>", "theme/brand.css": "b{}"},
                                        ("theme/brand.css", "okrsite does not read theme/brand.css: it reads a theme only from "
                                         "theme/templates/ and theme/static/", "move it to theme/static/brand.css")),
    "a Hugo theme.toml directly in theme/": ({"theme/static/brand.css": "b{}", "theme/theme.toml": 'name = "Brand"\n'},
                                           ("theme/theme.toml", "okrsite does not read theme/theme.toml: it reads a theme only from "
                                            "theme/templates/ and theme/static/",
                                            "okrsite reads no settings from a theme: remove it, or keep it out of theme/ (theme/static/ is published as it is)")),
    "templates/ at the site's root": ({"templates/objective.html": EXTENDS},
                                      ("templates", "okrsite does not read templates/ at the site's root: okrsite reads a theme's templates "
                                       "from theme/templates/", "move it to theme/templates/")),
    "Theme/ (theme/ in another case)": ({"Theme/static/brand.css": "b{}"},
                                        ("Theme", "okrsite does not read Theme/ at the site's root: okrsite reads a site's theme from theme/, in lower case: "
                                         "macOS and Windows, which ignore case, read Theme/ as theme/, and Linux does not, so a site built on Linux (in CI) "
                                         "has the default look", "rename it theme/")),
    "themes/ (Hugo's and Pelican's name)": ({"themes/static/brand.css": "b{}"},
                                            ("themes", "okrsite does not read themes/ at the site's root: okrsite reads a site's theme from theme/",
                                             "rename it theme/")),
    "themes/brand/ (a Hugo theme)": ({"themes/brand/static/brand.css": "b{}"},
                                     ("themes", "okrsite does not read themes/ at the site's root: okrsite reads a site's theme from theme/",
                                      "move themes/brand/ to theme/: okrsite reads one theme, from theme/")),
    "theme-brand/ beside theme/": ({"theme/static/favicon.svg": "<svg/>", "theme-brand/static/brand.css": "b{}"},
                                   ("theme-brand", "okrsite does not read theme-brand/ at the site's root: okrsite reads a site's theme from theme/",
                                    "move its templates/ and static/ into theme/, or remove theme-brand/")),
    "a template's backup directly in theme/": ({"theme/static/brand.css": "b{}", "theme/base.html.bak": EXTENDS},
                                               ("theme/base.html.bak", "okrsite does not read theme/base.html.bak: it reads a theme only from "
                                                "theme/templates/ and theme/static/",
                                                "a backup of a template: delete it, or move it out of theme/; not into theme/static/, which is published as it is")),
    "static/ at the site's root": ({"static/brand.css": "b{}"},
                                   ("static", "okrsite does not read static/ at the site's root: okrsite reads a theme's static files "
                                    "from theme/static/", "move it to theme/static/")),
}


@pytest.mark.parametrize("case", MISPLACED)
def test_theme_files_where_okrsite_does_not_read_them_are_a_warning(base_site, tmp_path, case):
    """QA (a web designer): theme/template/, theme/layouts/, theme/objective.html, a templates/ or static/
    beside content/ were ignored without a word, and the site came out with the default look."""
    files, expected = MISPLACED[case]
    write_files(base_site, files)
    for report in (check(base_site, cache=False), build(base_site, tmp_path / "out").report):
        assert [(d.file, d.line, d.message, d.hint) for d in report.warnings] == [(expected[0], 0, *expected[1:])]
        assert report.errors == []


def test_a_theme_s_notes_and_hidden_files_beside_its_folders_are_no_warning(base_site):
    write_files(base_site, {"theme/static/brand.css": "b{}", "theme/README.md": "# Brand", "theme/LICENSE": "MIT",
                            "theme/CHANGELOG.txt": "1.0", "theme/.git/HEAD": "ref: main", "theme/.DS_Store": ""})
    assert check(base_site, cache=False).items == []


def test_a_theme_holding_only_a_misspelt_folder_is_told_its_name(base_site):
    """theme/template/ alone: the warning that theme/ holds neither folder says which one was meant."""
    write_files(base_site, {"theme/template/objective.html": EXTENDS})
    [warning] = check(base_site, cache=False).warnings
    assert (warning.file, warning.message) == ("theme", "theme/ holds neither templates/ nor static/, so none of its files is used")
    assert warning.hint == "did you mean 'templates'? rename theme/template/ to theme/templates/"


def test_a_template_in_static_is_a_warning_at_its_first_tag(base_site, tmp_path):
    """A static file is copied as it is: theme/static/objective.html would publish the template's source."""
    write_files(base_site, {"theme/static/objective.html": "<!-- ours -->\n" + EXTENDS, "theme/static/help.html": "<p>{{ not a template }}</p>",
                            "theme/static/parts/card.html": '{% block card %}{% endblock %}'})
    expected = [("theme/static/objective.html", 2, "theme/static/objective.html looks like a template: static files are copied as they are",
                 "move it to theme/templates/objective.html"),
                ("theme/static/parts/card.html", 1, "theme/static/parts/card.html looks like a template: static files are copied as they are",
                 "move it to theme/templates/parts/card.html")]
    for report in (check(base_site, cache=False), build(base_site, tmp_path / "out").report):
        assert [(d.file, d.line, d.message, d.hint) for d in report.warnings] == expected


def test_a_templates_folder_made_at_the_root_after_a_build_is_said_by_the_next(base_site, tmp_path):
    """No theme file changes, yet what the build says does: the build cache does not replay the last report."""
    assert build(base_site, tmp_path / "out").report.warnings == []
    write_files(base_site, {"templates/objective.html": EXTENDS})
    result = build(base_site, tmp_path / "out")
    assert not result.unchanged and [d.file for d in result.report.warnings] == ["templates"]
    assert build(base_site, tmp_path / "out", strict=True).ok is False


def test_a_stylesheet_s_url_from_the_root_or_to_a_missing_file_is_a_warning_at_its_line(base_site, tmp_path):
    """QA CO: `url(/img/header.png)` in theme/static/brand.css breaks under a sub-path and from file://, as
    in a template, which docs/themes.md warns of; `url(img/missing.png)` names no file of the site. Addresses
    of other hosts, data:, files of the theme or the default theme (relative to the stylesheet's folder) and
    url()s in comments are left alone."""
    write_files(base_site, {
        "theme/static/brand.css": ".top { background: url(/img/header.png); }\nbody { background: url('img/missing.png'); }\n"
                                  "@font-face { src: url(\"fonts/brand.woff2?v=2#x\") format('woff2'); }\n"
                                  "a { background: url(data:image/png;base64,AAA=), url(https://example.com/x.png), url(//cdn.example.com/y.png); }\n"
                                  "/* old: url(/img/old.png)\n url(gone.png) */ i { background: url(favicon.svg) url(#grain); }\n",
        "theme/static/fonts/brand.woff2": "font",
        "theme/static/parts/card.css": ".card { background: url(/img/card.png), url(../fonts/brand.woff2), url(../favicon.svg); }\n",
    })
    expected = [
        ("theme/static/brand.css", 1, 'the link "/img/header.png" in url() starts with "/": it leads to the root of the web server, '
         "so it breaks on a site served under a sub-path or opened from file://", "write it relative to the stylesheet, url(img/header.png)"),
        ("theme/static/brand.css", 2, "url(img/missing.png) names a file that neither theme/static/ nor the default theme has",
         "fix the name, or put the file in theme/static/: a url() is relative to the stylesheet's own folder"),
        ("theme/static/parts/card.css", 1, 'the link "/img/card.png" in url() starts with "/": it leads to the root of the web server, '
         "so it breaks on a site served under a sub-path or opened from file://", "write it relative to the stylesheet, url(../img/card.png)"),
    ]
    for report in (check(base_site, cache=False), build(base_site, tmp_path / "out").report):
        assert [(d.file, d.line, d.message, d.hint) for d in report.warnings] == expected


def test_a_folder_that_theme_links_to_is_no_warning(base_site):
    write_files(base_site, {"theme-src/static/brand.css": "b{}"})
    (base_site / "theme").symlink_to("theme-src")
    assert check(base_site, cache=False).items == []


def test_a_folder_named_as_a_theme_that_holds_none_is_no_warning(base_site):
    """QA DJ: theme-park/ (a README) and theme-ideas/ (notes) failed `check --strict` as misnamed theme
    folders. One with templates at its top (brand-theme/base.html) still is one."""
    write_files(base_site, {"theme-park/README.md": "# Rides", "theme-ideas/notes.txt": "dark mode?", "Themes/.keep": "",
                            "theme.old/notes/todo.txt": "x", "brand-theme/base.html": EXTENDS})
    assert [(d.file, d.hint) for d in check(base_site, cache=False).items] == [("brand-theme", "rename it theme/")]


def test_a_template_s_backup_in_static_is_a_warning_not_told_to_stay_there(base_site, tmp_path):
    """QA DF: theme/static/base.html.bak is published as it is, the template's source with it."""
    write_files(base_site, {"theme/static/base.html.bak": EXTENDS, "theme/static/page.html~": EXTENDS, "theme/static/notes.txt.bak": "notes"})
    hint = "a backup of a template: delete it, or move it out of theme/; not into theme/static/, which is published as it is"
    expected = [(f"theme/static/{name}", 1, f"theme/static/{name} looks like a backup of a template: static files are copied as they are", hint)
                for name in ("base.html.bak", "page.html~")]
    for report in (check(base_site, cache=False), build(base_site, tmp_path / "out").report):
        assert [(d.file, d.line, d.message, d.hint) for d in report.warnings] == expected
