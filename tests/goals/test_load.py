import os
import subprocess
from pathlib import Path

import pytest

from okrsite.build import build, check_site
from okrsite.goals.diagnostics import Report
from okrsite.goals.load import MAX_EXPANDED_NODES, load_document, load_documents, read_csv

from ..conftest import FIXTURES, compose_site, write_files

DOC = "---\ntitle: Grow\nperiod: 2026-Q4\nkey_results:\n  - title: A\n    target: 2\n---\nBody line\n"


def load(tmp_path: Path, raw: bytes, rel: str = "content/objectives/x.md"):
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    report = Report()
    return load_document(tmp_path, path, report), report


@pytest.mark.parametrize("raw", [DOC.encode(), DOC.replace("\n", "\r\n").encode(), b"\xef\xbb\xbf" + DOC.encode(), b"\xef\xbb\xbf" + DOC.replace("\n", "\r\n").encode()], ids=["lf", "crlf", "bom", "bom-crlf"])
def test_lines_are_file_lines_whatever_the_encoding(tmp_path, raw):
    doc, report = load(tmp_path, raw)
    assert report.items == []
    assert doc.meta["title"] == "Grow"
    assert doc.line("title") == 2 and doc.line("period") == 3 and doc.line("key_results") == 4
    assert doc.line("key_results", 0) == 5 and doc.line("key_results", 0, "target") == 6
    assert doc.body == "Body line\n" and doc.body_line == 8


def test_empty_lines_above_the_front_matter_are_skipped_as_hugo_does(tmp_path):
    doc, report = load(tmp_path, ("\n  \n" + DOC).encode())
    assert report.items == []
    assert doc.meta["title"] == "Grow"
    assert doc.line("title") == 4 and doc.line("key_results", 0, "target") == 8
    assert doc.body == "Body line\n" and doc.body_line == 10
    page, report = load(tmp_path, b"\n---\ntitle: About us\n---\nHello\n", "content/about.md")
    assert report.items == [] and page.meta == {"title": "About us"} and page.body == "Hello\n"


@pytest.mark.parametrize("raw, said", [
    (b"+++\ntitle = 'Grow'\n+++\n", "the front matter is TOML (between '+++' lines): okrsite reads YAML front matter"),
    (b'{"title": "Grow"}\n', "the front matter is JSON: okrsite reads YAML front matter"),
    (b"  ---\ntitle: Grow\n---\n", "the file has no front matter"),
])
def test_front_matter_that_is_not_yaml_is_named(tmp_path, raw, said):
    doc, report = load(tmp_path, raw)
    assert doc is None and [(e.line, e.message) for e in report.errors] == [(1, said)]


@pytest.mark.parametrize("first, after, hint", [
    ("--- # objective for Q4", "# objective for Q4", "write '---' alone on the first line, and '# objective for Q4' on a line of its own below it"),
    ("---title: Grow", "title: Grow", "write '---' alone on the first line, and the keys on the lines below it"),
])
def test_an_opening_line_with_more_than_dashes_says_what_is_on_it(tmp_path, first, after, hint):
    """QA EP: '--- # objective for Q4' was told "the file has no front matter", yet the file starts with '---'."""
    doc, report = load(tmp_path, (first + "\ntitle: Grow\nowner: x\n---\n").encode())
    (error,) = report.errors
    assert doc is None and error.line == 1
    assert error.message == f"the file has no front matter: its first line has '{after}' after '---', and okrsite opens front matter only with a line holding '---' alone"
    assert error.hint == hint


def test_unknown_path_falls_back_to_the_nearest_known_key(tmp_path):
    doc, _ = load(tmp_path, DOC.encode())
    assert doc.line("key_results", 0, "nope") == 5
    assert doc.line("nothing") == 1


def test_kind_from_folder_or_type(tmp_path):
    doc, _ = load(tmp_path, b"---\ntitle: A\n---\n", "content/kpis/a.md")
    assert doc.kind == "kpi"
    doc, _ = load(tmp_path, b"---\ntype: team\ntitle: A\n---\n", "content/other/a.md")
    assert doc.kind == "team"
    doc, _ = load(tmp_path, b"---\ntitle: A\n---\n", "content/guide.md")
    assert doc.kind == "page"


def test_plain_page_without_front_matter_is_a_page(tmp_path):
    doc, report = load(tmp_path, b"# Hello\n", "content/about.md")
    assert report.items == [] and doc.kind == "page" and doc.body == "# Hello\n"


def test_objective_without_front_matter_is_an_error(tmp_path):
    doc, report = load(tmp_path, b"# Hello\n")
    assert doc is None and "no front matter" in report.errors[0].message


def test_unclosed_front_matter(tmp_path):
    doc, report = load(tmp_path, b"---\ntitle: A\n")
    assert doc is None and report.errors[0].message == "the front matter is not closed"


def test_billion_laughs_is_refused(tmp_path):
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]" for i in range(1, 9)]
    doc, report = load(tmp_path, ("\n".join(lines) + "\n---\n").encode())
    assert doc is None
    assert report.errors[0].message == "the front matter expands to too large a document"


def test_a_few_aliases_are_fine(tmp_path):
    raw = b"---\ntitle: A\ntags: &t [a, b]\nmore: *t\n---\n"
    doc, report = load(tmp_path, raw, "content/page.md")
    assert doc.meta["more"] == ["a", "b"] and MAX_EXPANDED_NODES > 10


def test_front_matter_must_be_a_mapping(tmp_path):
    doc, report = load(tmp_path, b"---\n- a\n- b\n---\n")
    assert doc is None and report.errors[0].line == 2


def test_hidden_files_are_skipped(tmp_path):
    (tmp_path / "content/objectives").mkdir(parents=True)
    (tmp_path / "content/objectives/.#draft.md").write_text("junk")
    (tmp_path / "content/objectives/real.md").write_text(DOC)
    docs = load_documents(tmp_path, Report())
    assert [d.path for d in docs] == ["content/objectives/real.md"]


def test_a_link_to_a_file_outside_the_site_is_no_page(tmp_path):
    """A repository may hold symbolic links: one to a file inside the site is read (as Path.rglob
    would), one to a file outside it (/etc/passwd, /proc/self/environ) never becomes a page, as a
    `data:` path outside the site is refused."""
    site, outside = tmp_path / "goals", tmp_path / "secret.txt"
    (site / "content/objectives").mkdir(parents=True)
    outside.write_text("a secret\n")
    (site / "shared.md").write_text("---\ntitle: Shared\n---\n")
    (site / "content/objectives/real.md").write_text(DOC)
    (site / "content/leak.md").symlink_to(outside)
    (site / "content/shared.md").symlink_to(site / "shared.md")
    (site / "content/relative.md").symlink_to("../shared.md")
    docs = load_documents(site, Report())
    assert [d.path for d in docs] == ["content/objectives/real.md", "content/relative.md", "content/shared.md"]


def test_csv_rows_and_problems(tmp_path):
    (tmp_path / "d.csv").write_bytes(b"\xef\xbb\xbfdate,value\r\n2026-10-01,5\r\n\r\nbad\r\n")
    rows, problems = read_csv(tmp_path, "d.csv")
    assert [(r.line, r.date, r.value) for r in rows] == [(2, "2026-10-01", "5")]
    assert problems[0][0] == 4


def test_csv_needs_a_header(tmp_path):
    (tmp_path / "d.csv").write_text("2026-10-01,5\n")
    rows, problems = read_csv(tmp_path, "d.csv")
    assert rows == [] and "header row 'date,value'" in problems[0][1]


TAB = "unreadable YAML: a tab character: YAML indents with spaces only"
QUOTE = "unless it is quoted"
YAML_MISTAKES = [
    # front matter, line in the file, message (contained), hint (contained)
    ("title: A\n\tperiod: 2026-Q4\n", 3, TAB, "replace the tab with spaces"),
    ("\ttitle: A\n", 2, TAB, "replace the tab with spaces"),
    ("title: A\nkey_results:\n  - title: B\n  \t target: 2\n", 5, TAB, "replace the tab with spaces"),
    ("title: A\nunit: %\n", 3, "a value cannot start with '%' " + QUOTE, 'quote it: unit: "%"'),
    ("title: A\nunit: % # share\n", 3, "a value cannot start with '%' " + QUOTE, 'quote it: unit: "%"'),
    ("title: A\nkey_results:\n  - title: B\n    unit: %\n", 5, "'%' " + QUOTE, 'quote it: unit: "%"'),
    ("title: A\nowner: @sales\n", 3, "'@' " + QUOTE, 'quote it: owner: "@sales"'),
    ("title: A\nsource: `crm`\n", 3, "'`' " + QUOTE, 'quote it: source: "`crm`"'),
    ("title: A\nnote: *very* important\n", 3, "'*' " + QUOTE, 'quote it: note: "*very* important"'),
    ("title: A\nunit: !important\n", 3, "'!' " + QUOTE, 'quote it: unit: "!important"'),
    ("title: A\ntags:\n  - %growth\n", 4, "'%' " + QUOTE, 'quote it: - "%growth"'),
    ("title: A\ntags: [%growth]\n", 3, "'%' " + QUOTE, 'put the value in quotes, e.g. "%..."'),
    ("title: A\nx: !!python/object/apply:os.system [ls]\n", 3, "unsupported YAML tag '!!python/object/apply:os.system'", "remove the '!!' tag"),
    # QA CG: a key result written as text with its keys below it: no value holds ': ' to quote
    ("title: A\nkey_results:\n  - Sign 10 enterprise accounts\n    target: 10\n", 4,
     "unreadable YAML: the entry '- Sign 10 enterprise accounts' is a line of text, so the key 'target' indented below it belongs to nothing",
     "each key result is a set of keys with a title: write '- title: Sign 10 enterprise accounts', and its other keys below it as they are"),
    ("title: A\nkey_results:\n  - title: B\n    target: 2\n\n  - Cut churn\n\n    start: 5\n    target: 3\n", 7,
     "the entry '- Cut churn' is a line of text, so the key 'start' indented below it belongs to nothing", "write '- title: Cut churn'"),
    ("title: A\nlinks:\n  - Our wiki\n    url: x\n", 4, "the entry '- Our wiki' is a line of text", "give the entry a key: write '- title: Our wiki'"),
    ("title: A\nnote: Revenue: up\n", 3, "mapping values are not allowed", "put quotes around a value that contains ': '"),
]


@pytest.mark.parametrize("reader", ["libyaml", "pure-python"])
@pytest.mark.parametrize("front,line,message,hint", YAML_MISTAKES, ids=[
    "tab", "tab-first-line", "tab-after-spaces", "percent", "percent-comment", "percent-in-kr", "at", "backtick",
    "asterisk", "exclamation", "percent-item", "percent-flow", "python-tag", "kr-as-text", "second-kr-as-text", "entry-as-text", "colon-in-value",
])
def test_yaml_mistakes_name_the_fix(front, line, message, hint, reader, tmp_path, monkeypatch):
    """Both YAML readers (the pure-Python one reads deeply nested files) give the same message."""
    if reader == "pure-python":
        monkeypatch.setattr("okrsite.goals.load._may_nest_deeply", lambda text: True)
    doc, report = load(tmp_path, f"---\n{front}---\nBody\n".encode())
    assert doc is None
    [error] = report.errors
    assert error.line == line and message in error.message and hint in error.hint, error


def test_keys_are_one_string_however_many_files_write_them(tmp_path):
    """Memory: 10,000 objectives write `current:` 40,000 times; the model keeps one string, one path."""
    docs = []
    for name in ("a", "b"):
        path = tmp_path / "content" / "objectives" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: T\nkey_results:\n  - title: K\n    current: 1\n---\n")
        docs.append(load_document(tmp_path, path, Report()))
    first, second = docs
    key = next(k for k in first.meta["key_results"][0] if k == "current")
    assert key is next(k for k in second.meta["key_results"][0] if k == "current")
    path = next(k for k in first.lines if k[-1] == "current")
    assert path[-1] is key
    assert path is next(k for k in second.lines if k[-1] == "current")  # and one tuple for the key's path


def test_numbers_with_an_exponent_are_numbers(tmp_path):
    """PyYAML (YAML 1.1) reads 1e3 and 2.5e6 as text; YAML 1.2, JSON and spreadsheets read them as
    numbers, and so does a CSV value in okrsite. Quoted, the value stays text."""
    raw = b"---\ntitle: A\nkey_results:\n  - {title: a, target: 1e3, current: 2.5e2, start: -1E-2}\n  - {title: b, target: '1e3', current: 1.5e+3}\n---\n"
    doc, report = load(tmp_path, raw)
    assert report.items == []
    first, second = doc.meta["key_results"]
    assert (first["target"], first["current"], first["start"]) == (1000.0, 250.0, -0.01)
    assert (second["target"], second["current"]) == ("1e3", 1500.0)
    assert doc.meta["title"] == "A" and doc.line("key_results", 1, "target") == 5


def test_a_control_character_is_one_line_at_its_line(tmp_path):
    """PyYAML's reader error spans two lines ('in "<unicode string>", position 49'): the report
    keeps FILE:LINE: message (hint) on one line, at the character's line."""
    doc, report = load(tmp_path, b"---\ntitle: A\nnote: a\x07b\n---\n")
    (problem,) = report.items
    assert (problem.line, problem.message) == (3, "unreadable YAML: the character U+0007 is not allowed (a control character)")
    assert "\n" not in problem.message + problem.hint and problem.hint.startswith("remove it")


CODE_POINT_HINT = "write the character itself, or its code point as '\\U' and eight hex digits, e.g. \"\\U0001F680\" for 🚀"


@pytest.mark.parametrize("escape, message, hint", [
    ("\\ud83d\\ude80", "'\\ud83d\\ude80' is a UTF-16 surrogate pair: YAML escapes name code points, not UTF-16 halves",
     "write the character itself ('🚀'), or its code point: \"\\U0001F680\""),
    ("\\ud800", "'\\ud800' is half of a UTF-16 surrogate pair, no character: YAML escapes name code points, not UTF-16 halves", CODE_POINT_HINT),
    ("\\UD800DC00", "'\\UD800DC00' names no character: the last code point is U+10FFFF", CODE_POINT_HINT),
    ("\\U00110000", "'\\U00110000' names no character: the last code point is U+10FFFF", CODE_POINT_HINT),
])
def test_a_surrogate_escape_says_yaml_escapes_name_code_points(tmp_path, escape, message, hint):
    """QA DN 6: "\\ud83d\\ude80" (JSON's way to write 🚀) was "invalid Unicode character escape code"
    with a hint about indentation and quotes."""
    doc, report = load(tmp_path, f'---\nperiod: 2026-Q4\ntitle: "Pair {escape} rocket"\n---\n'.encode())
    (problem,) = report.items
    assert (problem.line, problem.message, problem.hint) == (3, "unreadable YAML: " + message, hint)


def test_a_noncharacter_yaml_refuses_is_named_a_noncharacter(tmp_path):
    """QA DT 5: U+FFFE typed as itself was "not allowed (a control character)"; the escape "\\uFFFE" is
    a warning that names it a noncharacter."""
    doc, report = load(tmp_path, "---\ntitle: Literal\ufffe title\nperiod: 2026-Q4\n---\n".encode())
    (problem,) = report.items
    assert (problem.line, problem.message) == (2, "unreadable YAML: the character U+FFFE is not allowed (a noncharacter)")
    assert "control" not in problem.hint and problem.hint.startswith("remove it: no text means it")


def test_noncharacters_in_the_text_are_a_warning_at_their_line(tmp_path):
    """QA DT 5: a Markdown text with U+FFFE and U+10FFFF lost them on the pages without a word, though
    docs/keeping-it-internal.md says a goals file's text that holds one is a warning at its line."""
    raw = "---\ntitle: Body\nperiod: 2026-Q4\n---\nFine.\n\nBody with\ufffe and \U0010ffff.\nAnd\ufdd0 here.\n".encode()
    doc, report = load(tmp_path, raw)
    assert [(d.severity, d.line, d.message) for d in report.items] == [
        ("warning", 7, "the text holds a noncharacter (U+FFFE) after 'Body with' (and 1 more such character), and 1 more line holds some: "
                       "the pages leave noncharacters out, as HTML forbids them")]
    assert load(tmp_path, "---\ntitle: Body\n---\nCafé, naïve \u00a0text.\n".encode(), "content/pages/p.md")[1].items == []


def test_a_key_written_twice_is_a_warning_at_the_second(tmp_path):
    """YAML keeps the last of two equal keys without a word: `status:` twice, or a key result's
    `current:` twice, is a warning naming both lines (an error under --strict)."""
    raw = b"---\ntitle: A\nstatus: at-risk\nkey_results:\n  - title: a\n    current: 3\n    current: 4\nstatus: achieved\n---\n"
    doc, report = load(tmp_path, raw)
    assert doc.meta["status"] == "achieved" and doc.meta["key_results"][0]["current"] == 4
    assert [(d.severity, d.line, d.message) for d in report.items] == [
        ("warning", 7, "'current' is written twice (also on line 6): the last one counts"),
        ("warning", 8, "'status' is written twice (also on line 3): the last one counts"),
    ]


@pytest.mark.parametrize("key", ["private", "confidential"])
def test_a_secrecy_key_written_twice_is_an_error(tmp_path, key):
    """QA BX: a merge that left `private: true` above `private: false` was a warning, and a public
    build without --strict published the objective; which one is meant is as unclear as a misspelt
    key's, an error (docs/audiences.md), also on a key result."""
    raw = (f"---\ntitle: A\n{key}: true\nkey_results:\n  - title: a\n    confidential: true\n    confidential: false\n{key}: false\n---\n").encode()
    _, report = load(tmp_path, raw)
    assert [(d.severity, d.line, d.message.split(":")[0]) for d in report.items] == [
        ("error", 7, "'confidential' is written twice (also on line 6)"), ("error", 8, f"'{key}' is written twice (also on line 3)")]
    assert "public build would publish" in report.items[0].message


def test_a_list_written_twice_is_one_warning_not_one_for_each_key_of_its_entries(tmp_path):
    """`key_results:` written twice: its own warning only. The kept key result's title and target
    are written once each; the first list's keys are not theirs, nor are its lines."""
    raw = b"---\ntitle: A\nkey_results:\n  - {title: old, target: 5, current: 1}\n  - {title: two, target: 2}\nkey_results:\n  - {title: final, target: 10}\n---\n"
    doc, report = load(tmp_path, raw)
    assert [(d.severity, d.line, d.message) for d in report.items] == [
        ("warning", 6, "'key_results' is written twice (also on line 3): the last one counts"),
    ]
    assert doc.line("key_results", 0, "title") == 7 and doc.line("key_results", 0, "current") == 7
    assert ("key_results", 1) not in doc.lines


def test_a_csv_rows_cells_beyond_the_header_are_an_error_unless_empty(tmp_path):
    """'2026-10-31,46,900' (a thousands separator) once read as 46 without a word."""
    (tmp_path / "d.csv").write_text("date,value\n2026-10-01,5,\n2026-10-31,46,900\n2026-11-30;7\n")
    rows, problems = read_csv(tmp_path, "d.csv")
    assert [(r.line, r.value) for r in rows] == [(2, "5")]
    assert [(line, "thousands" in hint or "with ';'" in hint) for line, _, hint in problems] == [(3, True), (4, True)]


def test_a_windows_1252_file_is_reported_at_the_line_of_its_first_such_byte(tmp_path):
    """A file saved by Notepad or Excel: the line to look at and what the byte is, not just 'line 1'."""
    doc, report = load(tmp_path, "---\ntitle: Grow\nperiod: 2026-Q4\nowner: Zoë Martin – café\n---\n".encode("cp1252"))
    [error] = report.errors
    assert doc is None and error.line == 4
    assert error.message == "the file is not UTF-8 text: this line has the byte 0xEB, 'ë' in Windows-1252"
    assert "save it as UTF-8" in error.hint


@pytest.mark.parametrize("rel", [b"content/objectives/caf\xe9.md", b"content/objectives/q\xff/grow.md", b"content/caf\xe9.md"])
def test_a_file_name_that_is_not_utf8_is_an_error_at_the_file_not_a_crash_of_the_build(tmp_path, rel):
    """QA AS: `check` passed such a file and `build` failed on it with an internal error."""
    site = compose_site(tmp_path / "s", FIXTURES / "base")
    path = os.fsencode(site) + b"/" + rel
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as file:
        file.write(b"---\ntitle: A\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: k\n    target: 1\n---\n")
    [error] = check_site(site).report.errors
    assert error.file == rel.decode("utf-8", "backslashreplace") and error.line == 1 and "is not UTF-8 text" in error.message
    result = build(site, tmp_path / "out")
    assert not result.ok and [e.file for e in result.report.errors] == [error.file]


def test_a_windows_1252_csv_is_reported_at_its_line(tmp_path):
    (tmp_path / "d.csv").write_bytes("date,value,note\n2026-10-01,5,ok\n2026-11-01,6,Caf\u00e9\n".encode("cp1252"))
    rows, [(line, message, hint)] = read_csv(tmp_path, "d.csv")
    assert (rows, line, message) == ([], 3, "the CSV file is not UTF-8 text: this line has the byte 0xE9, 'é' in Windows-1252")
    assert "CSV UTF-8" in hint


def test_a_merge_key_takes_the_keys_of_an_anchor(tmp_path):
    raw = (b"---\ntitle: A\nperiod: 2026-Q4\nkey_results:\n  - &seats\n    title: Seats\n    start: 0\n    target: 100\n"
           b"    current: 10\n  - <<: *seats\n    title: Seats in Europe\n    current: 40\n---\n")
    doc, report = load(tmp_path, raw)
    assert report.items == []
    assert doc.meta["key_results"][1] == {"title": "Seats in Europe", "start": 0, "target": 100, "current": 40}
    assert doc.line("key_results", 1, "current") == 12 and doc.line("key_results", 1, "target") == 10


HUGO_SECTION = "---\ntitle: Objectives\ndescription: What we aim for this year\n---\nOur objectives, by quarter.\n"


def test_hugo_s_section_file_in_a_goals_folder_is_a_notice_not_an_objective(base_site):
    """`content/objectives/_index.md`, brought over from Hugo, was read as an objective: "missing
    required field 'period'", "'owner'", no key results. It is told not to be read, as a notice that
    no flag makes an error (not --strict, not --fail-on-stale: time did not make it true)."""
    from okrsite.goals.repository import load_site

    write_files(base_site, {"content/objectives/_index.md": HUGO_SECTION, "content/kpis/finance/_index.md": "---\ntitle: Finance\n---\n",
                            "content/teams/_index.md": HUGO_SECTION.replace("Objectives", "Teams")})
    loaded = load_site(base_site)
    said = [(d.severity, d.file, d.line, d.message) for d in loaded.report.sorted()]
    assert said == [("notice", f"content/{rel}", 1, "not read: _index.md is a section file (Hugo's); okrsite does not use it")
                    for rel in ("kpis/finance/_index.md", "objectives/_index.md", "teams/_index.md")]
    assert "move it into a page of its own" in loaded.report.items[0].hint
    assert not loaded.report.failed(strict=True, fail_on_stale=True)
    assert sorted(loaded.site.objectives) == ["grow-customer-base"] and "index" not in loaded.site.teams and "index" not in loaded.site.kpis


@pytest.mark.parametrize("name", ["q4-growth.markdown", "q4-growth.Markdown", "q4-growth.MD", "q4-growth.mdown"])
def test_a_markdown_file_not_named_md_is_a_warning_at_the_file_not_silence(base_site, name):
    """SPEC §1 reads `.md` files: `q4-growth.markdown` was left out without a word, and its objective
    was not on the site. It is still not read (no two names for one id), and a warning says so."""
    from okrsite.goals.repository import load_site

    text = (base_site / "content/objectives/grow-customer-base.md").read_text().replace("Grow the customer base", "Q4 growth")
    write_files(base_site, {f"content/objectives/{name}": text})
    loaded = load_site(base_site)
    stem, suffix = name.rsplit(".", 1)
    assert [(d.severity, d.file, d.line, d.message, d.hint) for d in loaded.report.sorted()] == [
        ("warning", f"content/objectives/{name}", 1, f"not read: okrsite reads .md files, not .{suffix}",
         f"rename it to {stem}.md (if {stem}.md is there too, merge the two into it)")]
    assert loaded.report.failed(strict=True) and sorted(loaded.site.objectives) == ["grow-customer-base"]


def test_x_md_and_x_MD_side_by_side_give_one_objective_and_a_warning(base_site):
    """On a case-sensitive file system both can be there: only the .md file is read, so they never
    claim one id or one page; the other is named, and the hint says to merge rather than rename."""
    from okrsite.goals.repository import load_site

    same = base_site / "content/objectives/grow-customer-base.md"
    write_files(base_site, {"content/objectives/grow-customer-base.MD": same.read_text().replace("1120", "1200")})
    loaded = load_site(base_site)
    [told] = loaded.report.items
    assert (told.severity, told.file) == ("warning", "content/objectives/grow-customer-base.MD") and "merge the two" in told.hint
    assert loaded.site.objectives["grow-customer-base"].doc.path == "content/objectives/grow-customer-base.md"
    assert loaded.site.objectives["grow-customer-base"].key_results[0].current == 1120


NEVER_CLOSED = ("a quote (\") opened here is never closed, so the rest of the file would be one cell",
                "close it or remove it; a quote inside a quoted cell is written twice: \"\"")


@pytest.mark.parametrize("text, line", [
    ('date,value,note\n2026-09-30,5,"migration started\n2026-10-31,6,ok\n2026-11-30,7,fine\n', 2),
    ('date,value\n2026-10-31,"5\n2026-11-30,6\n', 2),
    ('date,value\r\n2026-09-30,4\r\n2026-10-31,"5\r\n2026-11-30,6\r\n', 3),
    ('date,value,note\n2026-09-30,4,"two\nlines"\n\n2026-10-31,5,"""quoted"" and never closed\n2026-11-30,6\n', 5),
])
def test_a_quote_never_closed_in_a_csv_is_an_error_at_the_line_it_opens(tmp_path, text, line):
    """A note column's open quote took every later row without a word; in the value column it was told
    as "value '5\\n2026-11-30,6' is not a number", on the next line."""
    (tmp_path / "d.csv").write_bytes(text.encode())
    rows, problems = read_csv(tmp_path, "d.csv")
    assert problems == [(line, *NEVER_CLOSED)]


@pytest.mark.parametrize("first, message, hint", [
    ("Date,Revenue", "the CSV header row names its columns 'Date,Revenue', not 'date,value'",
     "the second column must be named value: rename 'Revenue' to value, so the header row starts 'date,value'"),
    ("Day,value,note", "the CSV header row names its columns 'Day,value,note', not 'date,value'",
     "the first column must be named date: rename 'Day' to date, so the header row starts 'date,value'"),
    ("Month,Revenue (USD)", "the CSV header row names its columns 'Month,Revenue (USD)', not 'date,value'",
     "rename the first two columns to date and value, so the header row starts 'date,value'"),
    ("sep=,", "the first line 'sep=,' is a spreadsheet's note of the separator, not the header row 'date,value'",
     "remove the line 'sep=,', so the file starts with the header row 'date,value'"),
    ("Revenue", "the CSV header row names its columns 'Revenue', not 'date,value'",
     "write the header row as 'date,value': the column of dates first, then the column of values"),
    ("2026-09-30,4", "the CSV file must start with the header row 'date,value'", "add 'date,value' as its first line"),
])
def test_a_csv_header_is_told_the_fix_that_fits_it(tmp_path, first, message, hint):
    """A BI export's 'Date,Revenue' and Excel's 'sep=,' line were told to "add 'date,value' as its first
    line": done, the old header became a row with a bad date. A file with no header at all still is."""
    (tmp_path / "d.csv").write_text(first + ("\ndate,value" if first == "sep=," else "") + "\n2026-10-31,5\n")
    rows, problems = read_csv(tmp_path, "d.csv")
    assert problems == [(1, message, hint)]
    in_place = first not in ("sep=,", "Revenue")  # two named columns or more: the rows read as date and value, their problems told too
    assert [(r.date, r.value) for r in rows] == ([("2026-10-31", "5")] if in_place else [])


def test_excel_s_sep_line_naming_another_separator_is_told_both_fixes_at_once(tmp_path):
    """QA DC: 'remove the line sep=;' led straight to the next error, the ';' between the columns."""
    (tmp_path / "d.csv").write_text("sep=;\r\ndate;value\r\n2026-10-01;1,5\r\n")
    [(line, message, hint)] = read_csv(tmp_path, "d.csv")[1]
    assert (line, message) == (1, "the first line 'sep=;' is a spreadsheet's note of the separator, not the header row 'date,value'")
    assert hint == ("export it with ',' between columns and '.' as the decimal point (a spreadsheet set to a European locale writes ';' and ','), "
                    "and without the line 'sep=;', so that it starts with the header row 'date,value' (removing the line alone leaves the columns separated with ';')")


def test_the_rows_under_a_misnamed_header_are_checked_in_the_same_run(tmp_path, capsys):
    """'date,vaule' hid a row's bad date and value until the header was fixed (SPEC §7: every problem
    in one run). Under a header of two or more columns they are read as date and value; under one of
    one column (another separator) or with date and value swapped, they are not (every row would be wrong)."""
    from okrsite.cli import main

    from ..conftest import FIXTURES, compose_site, write_files
    site = compose_site(tmp_path / "s", FIXTURES / "base")
    write_files(site, {"content/kpis/wau.md": "---\ntitle: WAU\nowner: company\ntarget: 10\ndata: data/wau.csv\n---\n",
                       "data/wau.csv": "date,vaule\n2026-10-01,5\n03/01/2027,6\n2026-11-01,x\n"})
    assert main(["check", str(site)]) == 1
    err = capsys.readouterr().err
    assert "data/wau.csv:1: error: the CSV header row names its columns 'date,vaule', not 'date,value'" in err
    assert "data/wau.csv:3: error: bad date '03/01/2027' in CSV row" in err and "data/wau.csv:4: error: value 'x' is not a number" in err
    for header in ("value,date", "date;value"):
        rows, problems = read_csv(write_files(tmp_path, {"d.csv": f"{header}\n2026-10-31,5\n"}), "d.csv")
        assert rows == [] and len(problems) == 1


LOOKALIKE_DOC = "---\ntitle: Grow revenue\nperiod: 2026-Q4\nowner: product\nkey_results:\n  - title: KR one\n    start: 0\n    target: 10\n---\n"


@pytest.mark.parametrize("written, meant, line, message, hint", [
    ("title: Grow", "title:\u00a0Grow", 2, "a no-break space (U+00A0) after 'title:' at column 7", "replace it with a plain space"),
    ("    start: 0", "\u00a0" * 4 + "start: 0", 7, "a no-break space (U+00A0) in the indentation at column 1", "replace it with a plain space"),
    ("target: 10", "target:\u00a010", 8, "a no-break space (U+00A0) after 'target:' at column 12", "replace it with a plain space"),
    ("title: Grow revenue", "title:\u3000增长收入", 2, "a full-width space (U+3000) after 'title:' at column 7", "replace it with a plain space"),
    ("title: Grow revenue", "title\uff1a增长收入", 2, "a full-width colon '：' (U+FF1A) after 'title' at column 6", "replace it with ':' and a plain space: title: 增长收入"),
    ("title: Grow revenue", "title: Grow\u2028revenue", 2, "a line separator (U+2028) in a value at column 12", "replace it with a plain space, or put the value in quotes"),
    ("owner: product", "\ufeffowner: product", 4, "a byte-order mark (U+FEFF) at the start of 'owner: product' at column 1", "retype the line as 'owner: product'"),
], ids=["nbsp-after-key", "nbsp-indent", "nbsp-nested-key", "ideographic-space", "full-width-colon", "line-separator", "bom-in-front-matter"])
def test_a_look_alike_character_is_named_at_its_line_and_column(tmp_path, written, meant, line, message, hint):
    """Text pasted from Word or Confluence, or typed with a CJK keyboard: the character is named where it
    is, not the next line's "mapping values are not allowed" with a hint to add quotes."""
    doc, report = load(tmp_path, LOOKALIKE_DOC.replace(written, meant).encode())
    (error,) = report.errors
    assert doc is None and error.line == line
    assert error.message.startswith("unreadable YAML: " + message + ":")
    assert error.hint.startswith(hint)


def test_a_second_byte_order_mark_before_the_opening_line_is_named(tmp_path):
    """QA DC: a file joined from two ('type a.md b.md > c.md') starts with two BOMs, and was told it had no
    front matter although its first visible line is '---'."""
    doc, report = load(tmp_path, ("\ufeff\ufeff" + LOOKALIKE_DOC).encode())
    (error,) = report.errors
    assert doc is None and error.line == 1
    assert error.message == "the file has no front matter: its first line '---' holds a byte-order mark (U+FEFF) at the start, so it is not read as '---'"
    assert error.hint.startswith("retype the first line as '---': joining two files")


def test_a_look_alike_character_in_a_quoted_value_is_text(tmp_path):
    doc, report = load(tmp_path, LOOKALIKE_DOC.replace("Grow revenue", '"Grow\u00a0revenue\u2028now"').encode())
    assert report.items == [] and doc.meta["title"] == "Grow\u00a0revenue\u2028now"


@pytest.mark.parametrize("encoding, bom", [("utf-16", True), ("utf-16-le", False), ("utf-16-be", False), ("utf-32", True)])
def test_a_utf16_file_is_told_to_be_saved_as_utf8(tmp_path, encoding, bom):
    """Notepad's "Unicode", Windows PowerShell's `>`: not a Windows-1252 'ÿ', not "no front matter"."""
    doc, report = load(tmp_path, DOC.replace("\n", "\r\n").encode(encoding))
    (error,) = report.errors
    width = "UTF-32" if "32" in encoding else "UTF-16"
    assert doc is None and error.line == 1
    assert error.message == f"the file is saved as {width}, not UTF-8"
    assert "save it as UTF-8" in error.hint


def test_a_utf16_csv_is_told_to_be_saved_as_utf8(tmp_path):
    (tmp_path / "d.csv").write_bytes("date,value\r\n2026-10-01,10\r\n".encode("utf-16"))
    rows, [(line, message, hint)] = read_csv(tmp_path, "d.csv")
    assert (rows, line, message) == ([], 1, "the CSV file is saved as UTF-16, not UTF-8")


def test_a_goals_file_that_is_a_link_to_a_file_not_there_is_a_warning_naming_where_it_leads(tmp_path):
    """Its target renamed, the objective vanished without a word and check passed."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared/goal.md").write_bytes(DOC.encode())
    (tmp_path / "content/objectives").mkdir(parents=True)
    (tmp_path / "content/objectives/goal.md").symlink_to("../../shared/goal.md")
    (tmp_path / "shared/goal.md").rename(tmp_path / "shared/renamed.md")
    report = Report()
    assert load_documents(tmp_path, report) == []
    [(severity, file, line, message)] = [(d.severity, d.file, d.line, d.message) for d in report.items]
    assert (severity, file, line) == ("warning", "content/objectives/goal.md", 1)
    assert message == "not read: the file is a symbolic link to shared/goal.md (written ../../shared/goal.md), which does not exist"


@pytest.mark.parametrize("target, what", [("../.git/config", "the hidden .git/config"), ("../.env", "the hidden .env"),
                                          ("../.drafts/plan.md", "the hidden .drafts/plan.md"), ("../okrsite.toml", "okrsite.toml")])
def test_a_goals_file_that_links_to_a_hidden_file_or_to_no_markdown_file_is_refused(tmp_path, target, what):
    """A committed `content/notes.md -> ../.git/config` published the CI runner's credentials as a page
    (and in the search index): a link leads only to a Markdown file that is not hidden."""
    write_files(tmp_path, {".git/config": "[http]\nextraheader = AUTHORIZATION: basic c2VjcmV0\n", ".env": "DB_PASSWORD=s3cr3t\n",
                           ".drafts/plan.md": DOC, "okrsite.toml": 'title = "T"\n', "content/objectives/real.md": DOC})
    (tmp_path / "content/notes.md").symlink_to(target)
    report = Report()
    docs = load_documents(tmp_path, report)
    assert [d.path for d in docs] == ["content/objectives/real.md"]
    [problem] = report.items
    assert (problem.severity, problem.file, problem.line) == ("error", "content/notes.md", 1)
    assert problem.message.startswith(f"not read: the file is a symbolic link to {what} (written {target})")
    assert "delete the link" in problem.hint
    raw = (tmp_path / "content/notes.md").read_bytes()
    assert load_document(tmp_path, tmp_path / "content/notes.md", Report(), raw) is None  # the reading of the cache and the preview too


@pytest.mark.parametrize("header, row, hint", [
    ("date,value", "2026-07-31,46,500", "write 46500, without the thousands separator, or quote a cell that holds a comma"),
    ("date,value", "2026-07-31,7,5", "write 7.5: okrsite reads '.' as the decimal point, or quote a cell that holds a comma"),
    ("date,value", "2026-07-31,350000,late export", "name each cell in the header (date,value,note), or quote a cell that holds a comma"),
    ("date,value", "2026-07-31,350000,late,by Ann", "name each cell in the header (date,value,note,note2), or quote a cell that holds a comma"),
    ("date,value,note", "2026-07-31,46,500,late", "write 46500, without the thousands separator, or quote a cell that holds a comma"),
    ("date,value,note", "2026-07-31,350000,late,by Ann", "name each cell in the header (date,value,note,note2), or quote a cell that holds a comma"),
])
def test_a_csv_row_with_a_cell_the_header_does_not_name_gets_the_fix_that_fits(header, row, hint):
    """QA AF: a row with a note after its value was told only of thousands separators, though an extra
    column is fine once the header names it (docs/kpis.md); a number split at its comma is told what
    to write, as a value in a file is (review 30: 7,5 and a header that names a note already)."""
    from okrsite.goals.load import parse_csv

    rows, problems = parse_csv(f"{header}\n2026-06-30,340000\n{row}\n")
    assert [row.value for row in rows] == ["340000"] and [(line, found_hint) for line, _, found_hint in problems] == [(3, hint)]


def test_a_front_matter_not_closed_above_a_rule_in_the_text_says_where_to_close_it(tmp_path, capsys):
    """Without its closing '---', a file whose text below has a '---' rule was read as YAML down to the
    rule and failed at the first line of text ("could not find expected ':'", "check the indentation"),
    with nothing about the missing line. A YAML mistake with no text line above it keeps its own hint."""
    from okrsite.cli import main

    from ..conftest import FIXTURES, compose_site, write_files
    site = compose_site(tmp_path / "s", FIXTURES / "base")
    write_files(site, {"content/objectives/hiring.md": "---\ntitle: Hire\nperiod: 2026-Q4\nowner: sales\nparent: grow-customer-base\n"
                                                       "key_results:\n  - title: Hire 3\n    target: 3\n\nWe need more hands.\n\n---\n\nMore.\n"})
    assert main(["check", str(site)]) == 1
    assert ("hiring.md:10: error: unreadable YAML: could not find expected ':' while scanning a simple key "
            "(is the front matter closed? Line 10 reads as text: add a line '---' after the last key (line 8))") in capsys.readouterr().err
    write_files(site, {"content/objectives/hiring.md": "---\ntitle: Hire\nperiod: 2026-Q4\nowner: sales\nkey_results:\n\n  - title: [Hire 3\n---\n"})
    assert main(["check", str(site)]) == 1
    assert "is the front matter closed" not in capsys.readouterr().err


@pytest.mark.parametrize("title, quote", [('"Grow recurring revenue to $700k a month', '"'), ("'It''s the year of growth", "'")])
def test_a_quote_left_open_is_told_at_its_own_line_not_where_yaml_gave_up(tmp_path, title, quote):
    """QA AT: a missing closing '"' on line 2 was "line 26: did not find expected key": YAML reads a
    quoted value on to the next quote, lines below."""
    text = (f"---\ntitle: {title}\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: a\n    target: 2\n"
            f"  - title: {quote}Quoted{quote}\n    done: false\n---\n")
    doc, report = load(tmp_path, text.encode())
    [error] = report.errors
    assert doc is None and error.line == 2
    assert error.message == f"unreadable YAML: the quote ({quote}) that opens this value is not closed on its line"


def test_closed_quotes_and_a_quote_inside_a_value_are_no_open_quote(tmp_path):
    text = "---\ntitle: 'It''s ours'\nperiod: \"2026-Q4\"\nowner: company\nkey_results:\n  - title: a \"b\n    target: [2\n---\n"
    _, report = load(tmp_path, text.encode())
    [error] = report.errors
    assert "is not closed on its line" not in error.message


@pytest.mark.parametrize("lines", [
    'title: "Grow revenue\n  in EMEA"',  # a quoted value that goes on over two lines
    'title: "C:\\\\"',  # an escaped backslash before the closing quote
    'title: Grow\nretro: |\n  "Customers love it',  # a quote inside a block of text
], ids=["wrapped", "backslash", "block"])
def test_a_quote_that_yaml_reads_is_not_blamed_for_an_error_below(tmp_path, lines):
    """Review 32: every YAML error blamed the first line above it whose quote its line did not close."""
    text = f"---\n{lines}\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: a\n    target: [2\n---\n"
    _, report = load(tmp_path, text.encode())
    [error] = report.errors
    assert "is not closed on its line" not in error.message and error.line > 4


SWALLOWED = [
    # front matter, the line of the quote left open (the file's), the quote
    ('title: Grow\nkey_results:\n  - title: "Publish the Q4 pricing page\n    keep_above: 70\n    unit: "%"\n    owner: Sam\n', 4, '"'),
    ('title: Grow\nkey_results:\n  - title: "Sign 12 customers\n    target: 12\n    owner: "@sales"\n'
     '    history:\n      - {date: 2026-10-16, value: 3, note: "Harbor Foods"}\n', 4, '"'),
    ("title: Grow\nkey_results:\n  - title: 'Keep gross margin at 70%\n    keep_above: 70\n    unit: '%'\n", 4, "'"),
    ('title: Grow\nkey_results:\n  - title: Sign\n    target: 12\n    history:\n      - {date: 2026-10-16, value: 3, note: "Harbor Foods}\n'
     '      - {date: 2026-11-20, value: 7, note: "after the summit"}\n', 7, '"'),
    ('title: "Grow revenue\n  in EMEA"\nkey_results:\n  - title: "Publish\n    unit: "%"\n', 5, '"'),
]


@pytest.mark.parametrize("reader", ["libyaml", "pure-python"])
@pytest.mark.parametrize("front, line, quote", SWALLOWED, ids=["percent", "kr-title", "single", "in-braces", "below-a-wrapped-value"])
def test_a_quote_left_open_above_later_quotes_is_told_at_its_own_line(tmp_path, monkeypatch, front, line, quote, reader):
    """A quote left open reads on to the next quote, a later value's opening one, and YAML fails just
    after it: `unit: "%"` was told "a value cannot start with '%' unless it is quoted", on a line that
    quotes it; `owner: "@sales"` the same of '@', a note in braces "did not find expected ','"."""
    if reader == "pure-python":
        monkeypatch.setattr("okrsite.goals.load._may_nest_deeply", lambda text: True)
    doc, report = load(tmp_path, f"---\n{front}---\n".encode())
    [error] = report.errors
    assert doc is None and error.line == line, error
    assert error.message == f"unreadable YAML: the quote ({quote}) that opens this value is not closed on its line"
    assert error.hint.startswith(f"close it at the end of the value ({quote}...{quote})")


def test_a_value_quoted_over_lines_leaves_the_error_below_it_its_own(tmp_path):
    doc, report = load(tmp_path, b'---\ntitle: "Grow revenue\n  in EMEA"\nunit: %\n---\n')
    [error] = report.errors
    assert error.line == 4 and "a value cannot start with '%' unless it is quoted" in error.message
    doc, report = load(tmp_path, b'---\ntitle: "Grow revenue\n  in EMEA"\nnote: \'it\'\'s\n  ours\'\n---\n')
    assert report.items == [] and doc.meta == {"title": "Grow revenue in EMEA", "note": "it's ours"}


@pytest.mark.parametrize("entry, line, message, hint", [
    ("  - {title: Revenue, target: 1,300, current: 200}\n", 6, "'300' is read as a key of its own, with no value: in {…} a comma ends a value, so 'target' is 1",
     "a number has no comma: write 1300"),
    ("  - title: Churn\n    target: 3\n    start: 5\n    history:\n      - {date: 2026-10-07, value: 4,2}\n", 10, "so 'value' is 4", "write 42 (a thousands separator) or 4.2"),
    ("  - title: Churn\n    target: 3\n    history:\n      - {date: 2026-10-07, value: 4, note: webinar, started late}\n", 9,
     "'started late' is read as a key of its own", 'put quotes around a text that holds a comma: note: "webinar, started late"'),
], ids=["target", "value", "note"])
def test_a_comma_in_braces_that_splits_a_value_is_an_error_at_its_line(tmp_path, entry, line, message, hint):
    """QA BA: `{target: 1,300}` read as `target: 1` and a key `300`, with a warning only: the wrong number
    silently (SPEC §2 writes check-ins in braces). A key with no colon after another entry in braces."""
    text = f"---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n{entry}---\n"
    doc, report = load(tmp_path, text.encode())
    [error] = report.errors
    assert doc is None and error.line == line
    assert message in error.message and hint in error.hint


@pytest.mark.parametrize("entry", ["  - {title: Revenue, target: 1300, current: 200, owner: }\n", '  - {title: "Ann, Bo", target: 3}\n',
                                   "  - title: a\n    target: 3\n    history: [{date: 2026-10-07, value: 1}, {date: 2026-10-08, value: 2}]\n"])
def test_braces_written_right_are_no_comma_problem(tmp_path, entry):
    doc, report = load(tmp_path, f"---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n{entry}---\n".encode())
    assert doc is not None and not report.errors


@pytest.mark.parametrize("body, line", [
    ("\n---\nstatus: on-track\nkind: aspirational\n---\nWhy it matters.\n", 10),
    ("---\n# a comment\nstatus: on-track\ntags:\n  - a\n---\n", 9),
    ("Intro.\n\n---\n\nstatus: on-track\n---\n", None),  # rules in a text
    ("\n---\n\nA rule; then: words of a text\n\n---\n", None),
    ("---\n---\n", None),
    ("\n---\n\nContext: two people left in October.\n\n---\n", None),  # review 33: rules around a paragraph
    ("---\nContext: two people left.\n---\n", None),
])
def test_a_second_block_of_front_matter_is_a_warning_at_its_line(tmp_path, body, line):
    """QA BA: keys written in a second `---` block below the first (status, kind) were not read, and the
    page showed them as a heading, with no word from check."""
    text = "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: a\n    done: false\n---\n" + body
    doc, report = load(tmp_path, text.encode())
    said = [(d.line, d.message) for d in report.items if "second block" in d.message]
    assert doc is not None and said == ([(line, "a second block of front matter: okrsite reads only the first, so its keys are not read, "
                                                "and the page shows them as text")] if line else [])


def test_every_comma_that_splits_a_value_in_braces_is_told_in_one_run_with_the_value_meant(tmp_path):
    """QA BD: only the first was told, and the fix dropped words after the second comma ('a, b, c' became
    "a, b"); review 33: a list before the comma was "empty", a thousands group with decimals the quotes hint."""
    text = ("---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {title: Y, target: [1, 2], 3}\n  - title: Churn\n    target: 3\n"
            "    history:\n      - {date: 2026-10-08, value: 5, note: a, b, c}\n      - {date: 2026-10-09, value: 1,300.5}\n---\n")
    doc, report = load(tmp_path, text.encode())
    assert doc is None
    assert [(e.line, e.hint) for e in report.errors] == [
        (6, "give it a key of its own ('key: 3'), or remove it"),
        (10, 'put quotes around a text that holds a comma: note: "a, b, c"'),
        (11, "a number has no comma: write 1300.5"),
    ]


def test_a_misspelt_type_in_a_kinds_folder_hides_none_of_the_files_other_mistakes(tmp_path):
    """QA BI: `type: kpii` in content/kpis/ was the only error; `direction: dwon` came one run later.
    The folder says what the file is meant to be, so it is read as that, beside the error."""
    site = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {
        "content/kpis/k2.md": "---\ntitle: K2\nowner: company\nsource: x\ntype: kpii\ndirection: dwon\n---\n",
        "content/other/p.md": "---\ntitle: P\ntype: objectve\ndirection: dwon\n---\n",
        "content/kpis/meant.md": "---\ntitle: M\ntype: objectiv\nperiod: 2026-Q4\n---\n"})  # QA BN: meant another kind than its folder's
    report = check_site(site).report
    found = [(d.file, d.line, d.message.split(",")[0]) for d in report.errors]
    assert sorted(found) == [("content/kpis/k2.md", 5, "unknown type 'kpii'"), ("content/kpis/k2.md", 6, "'direction' must be one of up"),
                             ("content/kpis/meant.md", 3, "unknown type 'objectiv'"), ("content/other/p.md", 3, "unknown type 'objectve'")], found
    assert not any(d.file == "content/kpis/meant.md" for d in report.warnings)  # not read as a KPI: no "unknown key 'period'"


def test_the_keys_that_tell_a_kind_are_its_own():
    """A file in content/objectives/ with a KPI's keys is said to be one (goals/load.py): only by keys
    no objective and no key result has, so that a key result's `target:` and `unit:` written one
    level too high do not make an objective a KPI."""
    from okrsite.goals.load import _NEEDED, TELLING_KEYS
    from okrsite.goals.parse import KIND_KEYS, KR_KEYS, REQUIRED_KEYS
    for kind, keys in TELLING_KEYS.items():
        others = set(KR_KEYS).union(*(KIND_KEYS[other] for other in KIND_KEYS if other != kind))
        assert set(keys) <= KIND_KEYS[kind] and not set(keys) & others, kind
        assert set(REQUIRED_KEYS[kind]) <= set(_NEEDED[kind]), kind


CONFLICTED_FRONT = ("---\ntitle: Grow\nperiod: 2026-Q4\nkey_results:\n  - title: A\n    target: 2\n"
                    "<<<<<<< HEAD\n    current: 1\n=======\n    current: 2\n>>>>>>> other\n---\nBody line\n")
CONFLICTED_BODY = DOC + "\n<<<<<<< HEAD\nThe end of day one.\n=======\nThe end of day two.\n>>>>>>> other\n"
CONFLICT = ("unresolved merge conflict (git's <<<<<<< marker)", "resolve the conflict: keep one side, delete the marker lines, then commit")


@pytest.mark.parametrize("text, line", [(CONFLICTED_FRONT, 7), (CONFLICTED_FRONT.replace("=======", "||||||| base\n    current: 0\n======="), 7),
                                        ("<<<<<<< HEAD\n" + DOC + "=======\n" + DOC + ">>>>>>> other\n", 1)],
                         ids=["front-matter", "diff3", "around-the-front-matter"])
def test_a_merge_conflict_in_the_front_matter_is_that_one_error_not_a_yaml_one(tmp_path, text, line):
    """QA CX: a `git pull` that left conflict markers in the front matter said "unreadable YAML ...
    (check the indentation and quotes on this line and the one above)"."""
    for raw in (text.encode(), text.replace("\n", "\r\n").encode()):
        doc, report = load(tmp_path, raw)
        assert doc is None and [(e.line, e.message, e.hint) for e in report.items] == [(line, *CONFLICT)]


def test_a_merge_conflict_in_the_body_is_an_error_beside_what_the_front_matter_says(tmp_path):
    """QA CX: markers left in the text passed check, and the build published both sides, the
    `=======` making the `<<<<<<< HEAD` line and ours a heading."""
    doc, report = load(tmp_path, CONFLICTED_BODY.encode())
    assert doc.meta["title"] == "Grow" and [(e.line, e.message, e.hint) for e in report.items] == [(10, *CONFLICT)]
    doc, report = load(tmp_path, CONFLICTED_BODY.replace("<<<<<<< HEAD", ">>>>>>> theirs\n<<<<<<< HEAD").encode())
    assert [(e.line, e.message) for e in report.items] == [(10, "unresolved merge conflict (git's >>>>>>> marker)")]


@pytest.mark.parametrize("body", ["Heading\n=======\n\nText.\n", "Quoted\n\n>>>>>>> deep\n", "Code: `<<<<<<<` inline.\n", "A ||||||| bar\n"])
def test_a_marker_line_without_an_opening_one_is_markdown(tmp_path, body):
    doc, report = load(tmp_path, (DOC + body).encode())
    assert doc is not None and report.items == []


SHOWN_CONFLICT = "<<<<<<< HEAD\n    current: 24\n=======\n    current: 22\n>>>>>>> other\n"


@pytest.mark.parametrize("fence", ["```", "~~~", "````text"])
def test_conflict_markers_shown_in_fenced_code_are_text(tmp_path, fence):
    """QA DB: a how-to page that shows what git leaves, in a fenced code block, was an unresolved
    merge conflict, and the build failed."""
    closing = fence.rstrip("text")
    body = f"When git says CONFLICT, the file looks like this:\n\n{fence}\n{SHOWN_CONFLICT}{closing}\n"
    for raw in ((DOC + body).encode(), (DOC + body).replace("\n", "\r\n").encode()):
        doc, report = load(tmp_path, raw)
        assert doc is not None and report.items == []


@pytest.mark.parametrize("body, line", [
    ("```\n" + SHOWN_CONFLICT + "```\n\n<<<<<<< HEAD\nOurs.\n=======\nTheirs.\n>>>>>>> other\n", 17),
    ("<<<<<<< HEAD\n```python\nx = 1\n=======\n```js\n>>>>>>> other\nx = 1\n```\n", 9),
    ("```\ncode\n<<<<<<< HEAD\nours\n```\n=======\ntheirs\n>>>>>>> other\n", 16),
    ("```\ncode\n```\n" + SHOWN_CONFLICT, 12)],
    ids=["after-a-shown-one", "opening-fences", "across-a-closing-fence", "below-the-fence"])
def test_a_conflict_outside_fenced_code_is_still_said(tmp_path, body, line):
    """Markers git left outside a fence, or on both sides of a fence line a side changed, are a
    conflict, said at the first marker outside fenced code."""
    doc, report = load(tmp_path, (DOC + body).encode())
    assert [e.line for e in report.items] == [line] and report.items[0].message.startswith("unresolved merge conflict")


def test_fenced_code_shows_markers_only_in_a_markdown_body(tmp_path):
    """The front matter, a CSV file and okrsite.toml have no fenced code: a fence line there hides nothing."""
    front = "---\ntitle: Grow\nperiod: 2026-Q4\ndescription: |\n  ```\n" + SHOWN_CONFLICT + "  ```\nkey_results:\n  - title: A\n    target: 2\n---\n"
    doc, report = load(tmp_path, front.encode())
    assert doc is None and [(e.line, e.message, e.hint) for e in report.items] == [(6, *CONFLICT)]
    (tmp_path / "d.csv").write_text("date,value\n```\n" + SHOWN_CONFLICT + "```\n")
    assert read_csv(tmp_path, "d.csv")[1] == [(3, *CONFLICT)]


def test_a_merge_conflict_in_a_csv_is_one_error_not_a_malformed_row_for_each_marker(tmp_path):
    (tmp_path / "d.csv").write_text("date,value\n2026-10-01,5\n<<<<<<< HEAD\n2026-11-01,6\n=======\n2026-11-01,7\n>>>>>>> other\n")
    rows, problems = read_csv(tmp_path, "d.csv")
    assert problems == [(3, *CONFLICT)]


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")
def test_what_a_conflicted_git_merge_leaves_is_one_error_in_each_file(tmp_path):
    """A real `git merge` of two branches that changed one value, one sentence, one CSV row and one
    setting: check names each file once, at its first marker; nothing is built."""
    from ..gitrepo import GitRepo, SETTINGS, TEAM, objective

    obj, csv, kpi = "content/objectives/reduce-churn.md", "data/mrr.csv", "content/kpis/mrr.md"
    kpi_text = "---\ntitle: MRR\nowner: sales\nsource: Billing\ndata: data/mrr.csv\n---\n"
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: objective(current=10, body="Day one."),
                 kpi: kpi_text, csv: "date,value\n2026-10-01,5\n"}, "2026-10-01T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "other")
    repo.commit({obj: objective(current=22, body="Day one, every time."), csv: "date,value\n2026-10-01,5\n2026-11-01,7\n",
                 "okrsite.toml": SETTINGS + 'default_kind = "aspirational"\n'}, "2026-10-02T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.commit({obj: objective(current=20, body="Day one, or day two."), csv: "date,value\n2026-10-01,5\n2026-11-01,6\n",
                 "okrsite.toml": SETTINGS + 'default_kind = "committed"\n'}, "2026-10-03T09:00:00+00:00")
    who = dict(repo.env, GIT_AUTHOR_NAME="Bo Chen", GIT_AUTHOR_EMAIL="bo@example.com", GIT_COMMITTER_NAME="Bo Chen", GIT_COMMITTER_EMAIL="bo@example.com")
    with pytest.raises(subprocess.CalledProcessError) as merged:
        repo.git("merge", "other", env=who)
    assert merged.value.stdout.count("CONFLICT") == 3
    report = check_site(repo.root).report
    assert sorted((d.file, d.line, d.message, d.hint) for d in report.errors) == [
        (obj, 9, *CONFLICT), (csv, 3, *CONFLICT), ("okrsite.toml", 3, *CONFLICT)]
    assert build(repo.root, tmp_path / "out", cache=False).report.errors and not (tmp_path / "out").exists()


def test_the_hint_for_a_link_to_a_file_not_there_quotes_its_name(tmp_path):
    """QA EM: the suggested `ln -sfn NEW-PATH …` named the link unquoted: a shell ran the code in its name."""
    import shlex

    link = tmp_path / "content/objectives/x;touch PWNED;#.md"
    link.parent.mkdir(parents=True)
    link.symlink_to("gone.md")
    report = Report()
    load_documents(tmp_path, report)
    [said] = [d for d in report.items if "does not exist" in d.message]
    command = said.hint[said.hint.index("(") + 1:said.hint.index("), or")]
    assert shlex.split(command) == ["ln", "-sfn", "NEW-PATH", "content/objectives/x;touch PWNED;#.md"]
