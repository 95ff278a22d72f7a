"""The write plan: every output file with its source, and no file written twice (issue 9: "Fatima zahra"
and "Fatima Zahra" wrote one person page, and the build counted 43 pages but wrote 42)."""

from __future__ import annotations

import json
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from okrsite.build import build, check_site
from okrsite.web.plan import source_of
from okrsite.web.write import MARKER, OutputError, write_site

from ..conftest import FIXTURES, compose_site, write_files

AS_OF = date(2026, 11, 23)


def errors_of(root: Path) -> list[str]:
    return [f"{d.file}:{d.line}: {d.message} ({d.hint})" for d in check_site(root, AS_OF).report.errors]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return compose_site(tmp_path / "site", FIXTURES / "base")


def test_the_base_plan_names_a_source_for_every_file(site):
    checked = check_site(site, AS_OF)
    by_path = {o.path: o for o in checked.plan}
    assert len(by_path) == len(checked.plan)

    def source(path: str) -> tuple[str, str, int]:
        found = source_of(by_path[path], checked.loaded.site, checked.loaded.settings, site)
        return found.what, found.file, found.line

    assert source("objectives/grow-customer-base/index.html") == ("the objective 'grow-customer-base'", "content/objectives/grow-customer-base.md", 1)
    assert source("people/ada-lovelace/index.html") == ("the person 'Ada Lovelace'", "content/teams/company.md", 3)
    assert source("periods/2026-q4/index.html") == ("the period '2026-Q4'", "content/objectives/grow-customer-base.md", 3)
    assert source("index.html") == ("okrsite's home page", "", 1) and source("okrs.json") == ("okrsite's okrs.json", "", 1)
    assert source("style.css") == ("the default theme's style.css", "", 1) and by_path["style.css"].static is not None


def test_a_person_is_found_back_at_the_first_mention_of_that_spelling(site):
    write_files(site, {
        "content/objectives/a.md": "---\ntitle: A\nperiod: 2026-Q4\nowner: company\nparent: grow-customer-base\n"
                                   "key_results:\n  - title: a\n    target: 2\n    owner: Bo Chen\n---\n",
        "content/teams/sales.md": "---\ntitle: Sales\nparent: company\nmembers: [Cy Diaz, Bo Chen]\n---\n",
    })
    people = check_site(site, AS_OF).loaded.site.people
    assert people["Bo Chen"].source == ("content/objectives/a.md", 9)
    assert people["Cy Diaz"].source == ("content/teams/sales.md", 4)


def test_two_people_whose_names_slugify_alike_are_not_called_one_person(site):
    write_files(site, {"content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: Əli Veli\nmembers: [Li Veli]\n---\n"})
    [error] = errors_of(site)
    assert error == ("content/teams/sales.md:5: two people get the same page people/li-veli/: 'Əli Veli' (content/teams/sales.md:4) and 'Li Veli' (content/teams/sales.md:5) "
                     "(page addresses write Latin letters without accents, ł as l, ß as ss, ø as o, and drop those without a plain form (ə, ƒ): "
                     "write one of the names so that it differs in other letters too, the same way everywhere)")


def test_two_long_names_cut_to_one_page_address_are_told_of_the_cut(site):
    """QA: two names that differ only after the 100 characters a page address keeps got the hint about
    accents (ł as l, ß as ss), which does not apply."""
    lead, member = "Ab " * 60 + "Xavier", "Ab " * 60 + "Yvonne"
    write_files(site, {"content/teams/sales.md": f"---\ntitle: Sales\nparent: company\nlead: {lead}\nmembers: [{member}]\n---\n"})
    [error] = check_site(site, AS_OF).report.errors
    assert error.message.startswith("two people get the same page people/ab-ab-") and "ł as l" not in error.hint
    assert error.hint == ("a page address keeps at most the first 100 characters of a name (200 bytes in UTF-8), and these names differ only after that: "
                          "write one of them so that it differs within them (a shorter name), the same way everywhere")


def test_names_without_a_letter_or_digit_are_not_called_two_spellings_of_one_person(site):
    """QA AG: owners '🚀🚀' and '—' both get people/item/ and were "two spellings of one person"; two
    periods named '🚀' and '🎯' were told to "differ by more than case and punctuation"."""
    write_files(site, {"content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: \"🚀🚀\"\nmembers: [\"—\"]\n---\n"})
    assert errors_of(site) == ["content/teams/sales.md:5: '🚀🚀' and '—' have no letter or digit to make a page's address of: the person '🚀🚀' "
                               "(content/teams/sales.md:4) and the person '—' (content/teams/sales.md:5) both get people/item/index.html "
                               "(write a name with a letter or a digit in it (a person's name; a period such as FY27-launch))"]


@pytest.mark.parametrize("written,plain,page", [("Łukasz Nowak", "Lukasz Nowak", "lukasz-nowak"), ("Søren Berg", "Soren Berg", "soren-berg"),
                                                ("Jonas Strauß", "Jonas Strauss", "jonas-strauss"), ("Zoë Martin", "Zoe Martin", "zoe-martin")])
def test_a_name_written_with_and_without_its_special_letter_is_two_spellings_of_one_person(site, written, plain, page):
    """Łukasz Nowak got people/ukasz-nowak/ and Lukasz Nowak people/lukasz-nowak/: two pages for one
    person. Both now get people/lukasz-nowak/, which is the clash of two spellings, as Zoë and Zoe are."""
    write_files(site, {"content/teams/sales.md": f"---\ntitle: Sales\nparent: company\nlead: {written}\nmembers: [{plain}]\n---\n"})
    assert errors_of(site) == [f"content/teams/sales.md:5: two spellings of one person: '{written}' (content/teams/sales.md:4) and '{plain}' (content/teams/sales.md:5) "
                               f"(write the name the same way everywhere (both get the page people/{page}/))"]


def test_people_and_files_with_such_letters_get_the_addresses_people_expect(site, tmp_path):
    write_files(site, {"content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: Łukasz Nowak\nmembers: [Søren Berg]\n---\n",
                       "content/objectives/Straßenbau.md": "---\ntitle: Roads\nperiod: 2026-Q4\nowner: sales\nparent: grow-customer-base\n"
                                                           "key_results:\n  - title: km\n    target: 2\n---\n"})
    assert errors_of(site) == []
    out = tmp_path / "out"
    assert build(site, out, AS_OF).ok
    for page in ("people/lukasz-nowak", "people/soren-berg", "objectives/strassenbau"):
        assert (out / page / "index.html").is_file(), page
    assert 'href="../../people/lukasz-nowak/index.html"' in (out / "teams/sales/index.html").read_text(encoding="utf-8")


def test_people_named_in_other_scripts_get_pages_of_their_own(site):
    """Names written only in Chinese or Cyrillic once all got people/item/ (an error for the second):
    their letters are kept, so each gets its own page."""
    write_files(site, {"content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: 张伟\nmembers: [李娜, Иван Петров]\n---\n"})
    assert errors_of(site) == []
    people = check_site(site, AS_OF).loaded.site.people
    assert [people[n].url for n in ("张伟", "李娜", "Иван Петров")] == ["people/张伟/", "people/李娜/", "people/иван-петров/"]


def test_named_periods_whose_slugs_are_equal_clash(site):
    """(Names that differ only in case are an error of okrsite.toml itself: goals/config.py.)"""
    (site / "okrsite.toml").write_text('title = "Mini"\nas_of = 2026-11-23\n\n[periods."FY27 Q1"]\nstart = 2026-02-01\nend = 2026-04-30\n\n'
                                       '[periods.fy27-q1]\nstart = 2026-02-01\nend = 2026-04-30\n')
    for name, period in (("a", "FY27 Q1"), ("b", "fy27-q1")):
        write_files(site, {f"content/objectives/{name}.md": f"---\ntitle: {name}\nperiod: {period}\nowner: company\nkey_results:\n  - title: x\n    target: 2\n---\n"})
    [error] = errors_of(site)
    assert error.startswith("okrsite.toml:8: two sources would write periods/fy27-q1/index.html: the period 'FY27 Q1' (okrsite.toml:4) and the period 'fy27-q1' (okrsite.toml:8)")


def test_a_theme_file_may_not_replace_a_page_or_okrs_json(site):
    write_files(site, {"theme/static/okrs.json": "{}", "theme/static/index.html": "<p>mine</p>", "theme/static/Style.css": "body{}"})
    errors = errors_of(site)
    assert "theme/static/index.html:1: two sources would write index.html: okrsite's home page and the theme file (theme/static/index.html:1) (rename or remove the theme file)" in errors
    assert "theme/static/okrs.json:1: two sources would write okrs.json: okrsite's okrs.json and the theme file (theme/static/okrs.json:1) (rename or remove the theme file)" in errors
    assert ("theme/static/Style.css:1: style.css and Style.css differ only in case, and are one file on macOS and Windows: "
            "the default theme's style.css and the theme file (theme/static/Style.css:1) (rename or remove the theme file)") in errors
    assert len(errors) == 3


def test_a_file_where_a_folder_is_needed(site):
    write_files(site, {"theme/static/alignment": "a file"})
    [error] = errors_of(site)
    assert error.startswith("theme/static/alignment:1: the theme file (theme/static/alignment:1) writes the file alignment, where okrsite's page alignment/ needs a folder")


def test_a_plain_page_may_not_replace_a_generated_one_reported_once(site):
    write_files(site, {"content/alignment.md": "---\ntitle: Map\n---\n", "content/people/ada-lovelace.md": "---\ntitle: Ada\n---\n"})
    assert errors_of(site) == [
        "content/alignment.md:1: this page would replace 'alignment/', which okrsite generates (rename the file or move it into another folder under content/)",
        "content/people/ada-lovelace.md:1: this page would replace 'people/', which okrsite generates (rename the file or move it into another folder under content/)",
    ]


@pytest.mark.parametrize("name", ["alignment.md", "objectives/index.md", "index.md", "search.md"])
def test_plain_page_cannot_replace_a_generated_page(site, name):
    write_files(site, {f"content/{name}": "---\ntitle: Mine\ntype: page\n---\n"})
    errors = check_site(site).report.errors
    assert len(errors) == 1 and "which okrsite generates" in errors[0].message


def test_paths_that_differ_only_in_case_clash(site):
    write_files(site, {"content/teams/sales-again.md": "---\nid: Sales\ntitle: Sales, again\nparent: company\n---\n"})
    [error] = errors_of(site)
    assert error == ("content/teams/sales.md:1: teams/Sales/index.html and teams/sales/index.html differ only in case, and are one file on macOS and Windows: "
                     "the team 'Sales' (content/teams/sales-again.md:2) and the team 'sales' (content/teams/sales.md:1) (give one of them another id (ids that differ only in case share a folder))")


def test_ids_that_one_full_case_folding_makes_one_are_two_folders_on_every_file_system(site):
    """QA: `id: straße` and `id: strasse` were said to "differ only in case, and are one file on macOS and
    Windows": casefold writes ß as ss, those file systems do not. 'STRASSE' is 'strasse' in other case."""
    objective = "---\nid: {ident}\ntitle: {ident}\nperiod: 2026-Q4\nowner: company\nparent: grow-customer-base\nkey_results:\n  - {{title: K, target: 2}}\n---\n"
    write_files(site, {"content/objectives/a.md": objective.format(ident="straße"), "content/objectives/b.md": objective.format(ident="strasse")})
    assert errors_of(site) == []
    write_files(site, {"content/objectives/c.md": objective.format(ident="STRASSE")})
    [error] = errors_of(site)
    assert "objectives/strasse/index.html and objectives/STRASSE/index.html differ only in case" in error


@pytest.mark.parametrize("second", ["okrs.json", "OKRS.json"])
def test_write_site_refuses_to_write_one_path_twice(tmp_path, second):
    out = tmp_path / "out"
    write_site(out, [("okrs.json", b"1")], tmp_path)
    with pytest.raises(OutputError, match="refusing to write"):
        write_site(out, [("okrs.json", b"2"), (second, b"3")], tmp_path)
    assert (out / "okrs.json").read_bytes() == b"1", "the previous output is untouched"


def test_write_site_sees_unicode_normalisation_as_one_name(tmp_path):
    with pytest.raises(OutputError, match="refusing to write"):
        write_site(tmp_path / "out", [(unicodedata.normalize("NFC", "é.txt"), b"1"), (unicodedata.normalize("NFD", "é.txt"), b"2")], tmp_path)


# --------------------------------------------------------------------------- random sites

NAMES = ["Fatima Zahra", "Fatima zahra", "fatima zahra", "Fátima Zahra", "FATIMA-ZAHRA", "Fatima  Zahra", "张伟", "李娜", "Ørsted", "Orsted Ø", "Ann Lee", "ann lee", "Zoë Ñandú"]
IDS = ["grow", "Grow", "GROW", "grow-2", "Grow-2", "gröw", "people", "index", "alignment"]
PERIODS = ["2026-Q4", "2026-q4", "FY27-Q1", "fy27-q1", "FY27 Q1", "FY27_Q1", "Ｆｙ27-Q1", "2026"]
PAGES = ["guide.md", "Guide.md", "guide/index.md", "über.md", "uber.md", "ÜBER.md", "about/us.md", "about-us.md", "people/x.md", "index.md", "a b.md"]
STATICS = ["extra.txt", "okrs.json", "index.html", "Style.css", "alignment", "people/item/index.html", "Extra.txt", "objectives/grow/index.html"]
TOML_PERIOD = '[periods."{name}"]\nstart = 2026-10-01\nend = 2026-12-31\n'


@st.composite
def random_sites(draw) -> dict[str, str]:
    named = draw(st.lists(st.sampled_from([p for p in PERIODS if not p[0].isdigit()]), unique=True, max_size=3))
    files = {"okrsite.toml": 'title = "Random"\nas_of = 2026-11-23\n\n' + "\n".join(TOML_PERIOD.format(name=n) for n in named)}
    files["content/teams/company.md"] = "---\n" + yaml.safe_dump({"title": "Company", "lead": draw(st.sampled_from(NAMES)),
                                                                  "members": draw(st.lists(st.sampled_from(NAMES), max_size=3))}, allow_unicode=True) + "---\n"
    for index in range(draw(st.integers(1, 4))):
        meta = {"title": draw(st.sampled_from(NAMES + IDS)), "period": draw(st.sampled_from(["2026-Q4", "2026-q4", "2026", *named])),
                "owner": draw(st.sampled_from(["company", *NAMES])),
                "key_results": [{"title": "x", "target": 2, **({"owner": draw(st.sampled_from(NAMES))} if draw(st.booleans()) else {})}]}
        if draw(st.booleans()):
            meta["id"] = draw(st.sampled_from(IDS))
        files[f"content/objectives/o{index}.md"] = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"
    for index in range(draw(st.integers(0, 2))):
        meta = {"title": "K", "owner": draw(st.sampled_from(["company", *NAMES])), "source": "s"}
        if draw(st.booleans()):
            meta["id"] = draw(st.sampled_from(IDS))
        files[f"content/kpis/k{index}.md"] = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"
    for name in draw(st.lists(st.sampled_from(PAGES), unique_by=str.casefold, max_size=3)):
        files[f"content/{name}"] = f"---\ntitle: {name}\n---\n"
    for name in draw(st.lists(st.sampled_from(STATICS), unique_by=str.casefold, max_size=2)):
        files[f"theme/static/{name}"] = "x"
    return files


def folders(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(files=random_sites())
def test_no_random_site_ever_loses_a_file(files):
    """Either the plan check reports an error, or every path is unique without case or normalisation
    (and no file stands where a folder is needed), and the build writes exactly the plan."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write_files(Path(tmp) / "site", files)
        checked = check_site(root, AS_OF)
        if checked.report.errors:
            return
        keys = [unicodedata.normalize("NFC", o.path).casefold() for o in checked.plan]
        assert len(set(keys)) == len(keys), sorted(keys)
        assert not set(keys) & {folder for key in keys for folder in folders(key)}
        people = checked.loaded.site.people
        assert len({p.url for p in people.values()}) == len(people), "every person has a page of their own"
        out = Path(tmp) / "out"
        result = build(root, out, AS_OF)
        assert result.ok, result.report.errors
        written = [p for p in out.rglob("*") if p.is_file() and p.name != MARKER]
        assert len(written) == len(checked.plan)
        assert result.pages == sum(o.path.endswith(".html") for o in checked.plan)
        assert len(json.loads((out / "okrs.json").read_text())["people"]) == len(people)


# --------------------------------------------------------------------------- clashes beside other errors
# SPEC §7: all errors in one run. A site with errors of reading or linking is planned all the same
# (what can be placed: an objective without a period has its page, but is in no period's), so that
# its clashes are reported with them, in the very words they have on a site without other errors.

CLASHES = {
    "two spellings of one person": {"content/kpis/nps.md": "---\ntitle: NPS\nowner: ada lovelace\nsource: survey\n---\n"},
    "two people, one page": {"content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: Əli Veli\nmembers: [Li Veli]\n---\n"},
    "ids that differ only in case": {"content/teams/sales-again.md": "---\nid: Sales\ntitle: Sales, again\nparent: company\n---\n"},
    "periods alike": {
        "okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n\n[periods.FY27-Q1]\nstart = 2026-02-01\nend = 2026-04-30\n\n'
                        '[periods.fy27-q1]\nstart = 2026-02-01\nend = 2026-04-30\n',
        **{f"content/objectives/{name}.md": f"---\ntitle: {name}\nperiod: {period}\nowner: company\nkey_results:\n  - title: x\n    target: 2\n---\n"
           for name, period in (("a", "FY27-Q1"), ("b", "fy27-q1"))},
    },
    "a theme file over a page": {"theme/static/index.html": "<p>mine</p>"},
    "a file where a folder is needed": {"theme/static/alignment": "a file"},
    "a plain page in okrsite's place": {"content/alignment.md": "---\ntitle: Map\n---\n"},
}
LOST = "---\ntitle: Lost\n{period}owner: {owner}\nkey_results:\n  - title: x\n    target: 2\n---\n"
OTHER_ERRORS = {
    "unreadable YAML": {"content/objectives/broken.md": "---\ntitle: [unclosed\n---\n"},
    "an unknown period": {"content/objectives/lost.md": LOST.format(period="period: 2026-Q9\n", owner="company")},
    "no period": {"content/objectives/lost.md": LOST.format(period="", owner="company")},
    "no owner": {"content/objectives/lost.md": "---\ntitle: Lost\nperiod: 2026-Q4\nkey_results:\n  - title: x\n    target: 2\n---\n"},
    "an unknown parent": {"content/objectives/lost.md": LOST.format(period="period: 2026-Q4\nparent: grow-customer-bas\n", owner="company")},
    "an alignment cycle": {f"content/objectives/{a}.md": LOST.format(period=f"period: 2026-Q4\nparent: {b}\n", owner="company") for a, b in (("c1", "c2"), ("c2", "c1"))},
    "a duplicate id": {"content/kpis/dup.md": "---\nid: grow-customer-base\ntitle: Dup\nowner: company\nsource: s\n---\n"},
    "a private objective without a period": {"content/objectives/lost.md": LOST.format(period="period: 2026-Q9\nprivate: true\n", owner="company")},
}


def error_lines(root: Path, audience: str | None = None) -> list[str]:
    return sorted(f"{d.file}:{d.line}: {d.message} ({d.hint})" for d in check_site(root, AS_OF, audience).report.errors)


@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("other", OTHER_ERRORS)
@pytest.mark.parametrize("clash", CLASHES)
def test_a_clash_is_reported_in_one_run_with_other_errors_in_its_own_words(tmp_path, clash, other, audience):
    def errors_with(name: str, *layers: dict) -> list[str]:
        root = compose_site(tmp_path / name, FIXTURES / "base")
        for layer in layers:
            write_files(root, layer)
        return error_lines(root, audience)

    alone, others = errors_with("clash", CLASHES[clash]), errors_with("other", OTHER_ERRORS[other])
    assert alone and others and not set(alone) & set(others)
    assert errors_with("both", CLASHES[clash], OTHER_ERRORS[other]) == sorted(alone + others)


def test_a_period_split_by_owner_is_planned_beside_an_objective_without_a_period(site, monkeypatch):
    from okrsite.web import render

    monkeypatch.setattr(render, "PERIOD_PAGE_LIMIT", 0)
    write_files(site, {**OTHER_ERRORS["an unknown period"], **CLASHES["two spellings of one person"]})
    checked = check_site(site, AS_OF)
    assert [d.message.split(":")[0] for d in checked.report.sorted() if d.severity == "error"] == ["unknown period '2026-Q9'", "two spellings of one person"]
    assert {"objectives/lost/index.html", "periods/2026-q4/teams/company/index.html"} <= {o.path for o in checked.plan}


def test_files_in_hidden_folders_of_the_theme_are_not_published(site, tmp_path):
    """As under content/: files and folders whose name starts with '.' are left out (a brand-assets
    clone's .git/config, an editor's .vscode/), wherever they are in theme/static/."""
    write_files(site, {"theme/static/.git/config": '[remote "origin"] url = https://TOKEN@example.com/brand', "theme/static/.vscode/settings.json": "{}",
                       "theme/static/img/.secrets/keys.txt": "k", "theme/static/.hidden.css": ".x{}", "theme/static/img/logo.svg": "<svg/>",
                       "theme/static/.well-known/security.txt": "Contact: x"})
    assert build(site, tmp_path / "out").ok
    published = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert "img/logo.svg" in published
    assert [path for path in published if any(part.startswith(".") for part in path.split("/")) and path != MARKER] == []


@pytest.mark.parametrize("name, needs", [
    ("people", "the person 'Ada Lovelace' (content/teams/company.md:3)"),
    ("objectives", "the objective 'grow-customer-base' (content/objectives/grow-customer-base.md:1)"),
    ("alignment", "okrsite's page alignment/"),
])
def test_a_theme_file_where_a_folder_is_needed_is_the_file_to_rename(site, name, needs):
    """Whatever needs the folder (a person's, an objective's or okrsite's own page), the theme file is what to change."""
    write_files(site, {f"theme/static/{name}": "x"})
    assert errors_of(site) == [f"theme/static/{name}:1: the theme file (theme/static/{name}:1) writes the file {name}, "
                               f"where {needs} needs a folder (rename or remove the theme file)"]


@pytest.mark.parametrize("first, second, differ", [
    ("a.css", "a.css.", "differ only in a dot or space at the end of a name, which Windows leaves out, and are one file on Windows"),
    ("style.css ", None, "differ only in a dot or space at the end of a name, which Windows leaves out, and are one file on Windows"),
    ("img./logo.svg", "img/logo.svg", "differ only in a dot or space at the end of a name, which Windows leaves out, and are one file on Windows"),
    (unicodedata.normalize("NFC", "café.css"), unicodedata.normalize("NFD", "café.css"),
     "differ only in how an accented letter is encoded (Unicode normalisation), and are one file on macOS"),
    ("A.css", "a.css.", "differ only in case and in a dot or space at the end of a name, which Windows leaves out, and are one file on Windows"),
    ("Style.css", None, "differ only in case, and are one file on macOS and Windows"),
])
def test_theme_files_that_one_file_system_reads_as_one_are_named_in_its_words(site, first, second, differ):
    write_files(site, {f"theme/static/{name}": "x" for name in (first, second) if name})
    [error] = check_site(site, AS_OF).report.errors
    assert differ in error.message and "differ only in case," not in error.message.replace(differ, ""), error.message
    assert error.hint == "rename or remove the theme file"


@pytest.mark.parametrize("invisible, named", [("\u00a0", "a no-break space (U+00A0) after 'Jane'"), ("\u200e ", "a left-to-right mark (U+200E) after 'Jane'"),
                                              ("\u00ad ", "a soft hyphen (U+00AD) after 'Jane'")])
def test_two_spellings_that_look_the_same_name_the_invisible_character(site, invisible, named):
    """'Jane Doe' and 'Jane Doe' quoted side by side gave nobody a way to see what differs."""
    write_files(site, {"content/teams/sales.md": f"---\ntitle: Sales\nparent: company\nlead: Jane Doe\nmembers: [Jane{invisible}Doe]\n---\n"})
    [error] = errors_of(site)
    assert f"two spellings of one person: 'Jane Doe' (content/teams/sales.md:4) and 'Jane{invisible}Doe' (content/teams/sales.md:5): the second holds {named} " in error
    assert "retype the second one" in error


BURN = """---
title: Burn
owner: company
unit: USD
target: 61283
confidential: true
source: finance
data: content/kpis/burn.csv
---
How we measure it; the raw figures are in [burn.csv](burn.csv), drawn: ![burn chart](./burn.csv).
"""
SPEND = """---
title: Spend less
period: 2026-Q4
owner: company
{private}key_results:
  - {{title: x, target: 10, current: 3}}
---
The [figures](../kpis/burn.csv).
"""


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_a_confidential_kpi_s_data_file_is_no_file_of_the_public_site(site, tmp_path, audience):
    """QA DO: a confidential KPI's own CSV file under content/, linked from its definition, was copied into
    the public site (every value it withholds), and `check --audience public --strict` said nothing.
    The public site shows such a link or image as its words, and check warns at each published body's line."""
    import re

    from okrsite.preview.state import Project

    root = write_files(site, {"okrsite.toml": f'title = "Mini"\nas_of = 2026-11-23\naudience = "{audience}"\n',
                              "content/kpis/burn.md": BURN, "content/kpis/burn.csv": "date,value\n2026-10-31,73519.4\n",
                              "content/objectives/spend.md": SPEND.format(private=""),
                              "content/objectives/hush.md": SPEND.format(private="private: true\n").replace("Spend less", "Hush")})
    out = tmp_path / "out"
    result = build(root, out, cache=False)
    assert result.ok
    warned = sorted((d.file, d.line) for d in result.report.warnings if "burn.csv" in d.message)
    pages = [(out / page).read_text(encoding="utf-8") for page in ("kpis/burn/index.html", "objectives/spend/index.html")]
    project = Project(root)
    assert project.rebuild(open_pages={"kpis/burn/index.html"}).ok
    if audience == "internal":
        assert warned == [] and (out / "kpis/burn.csv").read_text() == "date,value\n2026-10-31,73519.4\n"
        assert all("burn.csv\"" in page for page in pages)
        return
    assert warned == [("content/kpis/burn.md", 10), ("content/kpis/burn.md", 10), ("content/objectives/spend.md", 8)]
    assert not [p for p in out.rglob("*") if p.is_file() and b"73519" in p.read_bytes()]
    assert not any(re.search(r"(href|src)=\"[^\"]*burn\.csv", page) for page in pages)
    assert "raw figures are in burn.csv" in pages[0] and "The figures." in pages[1]
    assert "73519" not in project.file("kpis/burn/index.html").decode() and project.file("kpis/burn.csv") is None
    strict = check_site(root, AS_OF, audience="public").report
    assert sorted(d.line for d in strict.warnings if "the data file of the confidential KPI 'burn'" in d.message) == [8, 10, 10]


def test_the_data_file_of_a_kpi_confidential_once_is_no_file_of_the_public_site(tmp_path):
    """QA DU 2: a KPI made public after being confidential: its page withholds the values of its
    confidential time, but a body's link to its own CSV copied the CSV, with those values, into the
    public site, and check said nothing. The git history tells it, as it tells the page."""
    from okrsite.preview.state import Project

    r = _flipped(tmp_path)
    out = tmp_path / "out"
    result = build(r.root, out, as_of=AS_OF, cache=False)
    assert result.ok
    assert [d.line for d in result.report.warnings if "data file of the KPI 'flip', with the values recorded while it was confidential" in d.message] == [9, 9]
    assert not [p for p in out.rglob("*") if p.is_file() and b"61777" in p.read_bytes()]
    project = Project(r.root)
    assert project.rebuild(open_pages={"kpis/flip/index.html"}).ok and project.file("kpis/flip.csv") is None
    assert (build(r.root, tmp_path / "internal", as_of=AS_OF, audience="internal", cache=False).ok and
            "61777.7" in (tmp_path / "internal" / "kpis" / "flip.csv").read_text())


FLIP = BURN.replace("Burn", "Flip").replace("burn", "flip").replace("How we measure it; the raw figures are in", "Raw figures:")


def _flipped(tmp_path: Path):
    """A public site whose KPI 'flip' was confidential in its first commit and is public since the second."""
    from ..gitrepo import GitRepo, TEAM

    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "T"\naudience = "public"\n', "content/teams/company.md": TEAM, "content/kpis/flip.md": FLIP,
              "content/kpis/flip.csv": "date,value\n2026-09-30,61777.7\n"}, "2026-10-02T10:00:00+00:00")
    r.commit({"content/kpis/flip.md": FLIP.replace("confidential: true\n", ""), "content/kpis/flip.csv": "date,value\n2026-09-30,61777.7\n2026-10-31,62888.8\n"},
             "2026-11-02T10:00:00+00:00")
    return r


def test_the_kpis_confidential_once_are_handed_to_the_web_stage_as_a_value(site):
    """Design debt (forty-first round): web/audience.py read the git history itself to find the KPIs made
    public whose data file was confidential once, and kept the answer in a module global. The stages that
    read history find them (git.read.once_confidential) and hand them over: the web stage reads no git."""
    from dataclasses import replace

    from okrsite.goals.repository import load_site
    from okrsite.web.audience import withheld_files

    root = write_files(site, {"content/kpis/flip.md": FLIP.replace("confidential: true\n", ""), "content/kpis/flip.csv": "date,value\n2026-09-30,61777.7\n"})
    loaded = load_site(root, AS_OF)
    public = replace(loaded.settings, audience="public")
    said = "the data file of the KPI 'flip', with the values recorded while it was confidential"
    assert withheld_files(loaded.site, public, frozenset({"flip"})).get("content/kpis/flip.csv") == said
    assert "content/kpis/flip.csv" not in withheld_files(loaded.site, public)
    assert withheld_files(loaded.site, replace(public, audience="internal"), frozenset({"flip"})) == {}


def test_the_preview_asks_git_for_the_kpis_confidential_once_only_when_head_or_those_kpis_change(tmp_path, monkeypatch):
    """What the module global of web/audience.py did for the live preview, the Project does: git is asked
    again only when HEAD moved or a KPI whose data file may be withheld changed (its file, id, `data:`,
    confidentiality). A KPI given another id by a save was answered under its old one (no commit, same files)."""
    from dataclasses import replace

    from okrsite.git import read
    from okrsite.goals.repository import load_site
    from okrsite.preview.state import Project

    r = _flipped(tmp_path)
    loaded = load_site(r.root, AS_OF)
    assert read.once_confidential(r.root, loaded.site, loaded.settings) == {"flip"}
    assert read.once_confidential(r.root, loaded.site, replace(loaded.settings, audience="internal")) == frozenset()
    assert read.once_confidential(r.root, loaded.site, replace(loaded.settings, git_history=False)) == frozenset()
    asked = []
    reading = read._confidential_in
    monkeypatch.setattr(read, "_confidential_in", lambda root, site, kpis: asked.append(kpis) or reading(root, site, kpis))
    project = Project(r.root, AS_OF)
    assert project.rebuild(open_pages={"kpis/flip/index.html"}).ok and project.file("kpis/flip.csv") is None
    kpi = r.root / "content/kpis/flip.md"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("Raw figures:", "The raw figures:"), encoding="utf-8")
    assert project.rebuild([kpi]).ok and len(asked) == 1
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("title: Flip", "id: flop\ntitle: Flip"), encoding="utf-8")
    rebuilt = project.rebuild([kpi])
    assert rebuilt.ok and len(asked) == 2 and project.file("kpis/flip.csv") is None
    assert [d.message for d in rebuilt.report.warnings if "flip.csv" in d.message][:1] == [
        "the link 'flip.csv' leads to content/kpis/flip.csv, the data file of the KPI 'flop', with the values recorded while it was confidential, "
        "which the public site does not publish: the link shows its words alone"]
    r.commit({}, "2026-11-03T10:00:00+00:00")
    assert project.rebuild([kpi]).ok and len(asked) == 3 and project.file("kpis/flip.csv") is None


def test_a_hard_link_or_a_copy_of_a_confidential_kpi_s_data_file_is_no_file_of_the_public_site(site, tmp_path):
    """QA DY 4: a hard link to a confidential KPI's CSV under another name (git stores it as a copy), or a
    copy, linked from a body, was published with every value the KPI withholds, and check said nothing: the
    file was compared with the withheld ones by its real path alone. An empty file withholds nothing."""
    import os

    root = write_files(site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\naudience = "public"\n',
                              "content/kpis/burn.md": BURN.replace("How we measure it; the raw figures are in [burn.csv](burn.csv), drawn: ![burn chart](./burn.csv).",
                                                                   "How we measure it."),
                              "content/kpis/burn.csv": "date,value\n2026-10-31,73519.4\n", "content/files/copy.csv": "date,value\n2026-10-31,73519.4\n",
                              "content/files/empty.txt": "", "content/files/other.csv": "date,value\n2026-10-31,73519.5\n",
                              "content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: Jane Doe\n---\n"
                                                        "[hard](../files/hard.csv) [copy](../files/copy.csv) [empty](../files/empty.txt) [other](../files/other.csv)\n"})
    os.link(root / "content/kpis/burn.csv", root / "content/files/hard.csv")
    out = tmp_path / "out"
    result = build(root, out, cache=False)
    assert result.ok
    warned = sorted(d.message for d in result.report.warnings if d.file == "content/teams/sales.md")
    assert warned == [f"the link '../files/{name}.csv' leads to content/files/{name}.csv, the same file as content/kpis/burn.csv, the data file of the "
                      "confidential KPI 'burn', which the public site does not publish: the link shows its words alone" for name in ("copy", "hard")]
    assert not [p for p in out.rglob("*") if p.is_file() and b"73519.4" in p.read_bytes()]
    assert (out / "files/other.csv").is_file() and (out / "files/empty.txt").is_file()
