from pathlib import Path

import pytest

from okrsite.goals.diagnostics import Report
from okrsite.goals.load import MAX_EXPANDED_NODES, load_document, load_documents, read_csv

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


def test_csv_rows_and_problems(tmp_path):
    (tmp_path / "d.csv").write_bytes(b"\xef\xbb\xbfdate,value\r\n2026-10-01,5\r\n\r\nbad\r\n")
    rows, problems = read_csv(tmp_path, "d.csv")
    assert [(r.line, r.date, r.value) for r in rows] == [(2, "2026-10-01", "5")]
    assert problems[0][0] == 4


def test_csv_needs_a_header(tmp_path):
    (tmp_path / "d.csv").write_text("2026-10-01,5\n")
    rows, problems = read_csv(tmp_path, "d.csv")
    assert rows == [] and "header row 'date,value'" in problems[0][1]
