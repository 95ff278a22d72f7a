"""The repository readers: a site read with one file's text replaced (what a check-in checks before it
writes) says what a fresh reading of the site with that file written would say, and reads only that file."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from okrsite.goals import repository
from okrsite.goals.repository import Rereader, load_site

EXAMPLE = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    for name in ("content", "data"):
        shutil.copytree(EXAMPLE / name, root / name)
    shutil.copy2(EXAMPLE / "okrsite.toml", root / "okrsite.toml")
    return root


def _said(loaded) -> list[tuple]:
    return sorted((d.severity, d.file, d.line, d.message) for d in loaded.report.items)


def _written(root: Path, path: str, text: str, tmp_path: Path):
    """The site read afresh with ``text`` written in ``path``, in a copy."""
    copy = tmp_path / "written"
    shutil.copytree(root, copy)
    (copy / path).write_text(text, encoding="utf-8")
    return load_site(copy, AS_OF)


def _edits(root: Path) -> list[tuple[str, str]]:
    """(path, new text): a goals file and a CSV, each changed so that it reads well and so that it does not."""
    objective = "content/objectives/2026-q4/grow-recurring-revenue.md"
    text = (root / objective).read_text(encoding="utf-8")
    csv = "data/mrr.csv"
    rows = (root / csv).read_text(encoding="utf-8")
    return [
        (objective, text.replace("target: 12\n", "target: 15\n", 1)),  # another number
        (objective, text.replace("target: 12\n", "target: a dozen\n", 1)),  # not a number: an error
        (objective, text.replace("title:", "title: [", 1)),  # YAML that does not read: the file is not read
        (csv, rows + "2026-11-20,512345\n"),
        (csv, rows + "2026-11-31,5\n"),  # no such day: an error on the CSV's line
        ("content/kpis/mrr.md", (root / "content/kpis/mrr.md").read_text(encoding="utf-8").replace("title:", "owner: nobody-at-all\ntitle:", 1)),
    ]


@pytest.mark.parametrize("which", range(6))
def test_a_site_read_with_one_file_edited_says_what_the_site_with_it_written_says(site, tmp_path, which):
    kept = Rereader()
    before = load_site(site, AS_OF, kept)
    path, text = _edits(site)[which]
    assert text != (site / path).read_text(encoding="utf-8")
    edited = load_site(site, AS_OF, kept.edited(path, text))
    written = _written(site, path, text, tmp_path)
    assert _said(edited) == _said(written)
    assert _said(edited) != _said(before) or which in (0, 3)
    assert edited.site.objectives.keys() == written.site.objectives.keys()
    assert [k.values for k in edited.site.kpis.values()] == [k.values for k in written.site.kpis.values()]
    assert [[(kr.target, kr.current) for kr in o.key_results] for o in edited.site.objectives.values()] == \
        [[(kr.target, kr.current) for kr in o.key_results] for o in written.site.objectives.values()]
    assert (site / path).read_text(encoding="utf-8") != text  # the site itself is not written


def test_the_edited_reading_reads_and_parses_only_the_edited_file(site, monkeypatch):
    kept = Rereader()
    load_site(site, AS_OF, kept)
    read, parsed = [], []
    real_read, real_parse = repository.load_document, repository.parse
    monkeypatch.setattr(repository, "load_document", lambda root, path, report, raw=None: read.append(path) or real_read(root, path, report, raw))
    monkeypatch.setattr(repository, "parse", lambda doc, *rest: parsed.append(doc.path) or real_parse(doc, *rest))
    path, text = _edits(site)[0]
    load_site(site, AS_OF, kept.edited(path, text))
    assert [p.relative_to(site).as_posix() for p in read] == [path] and parsed == [path]
    read.clear(), parsed.clear()
    load_site(site, AS_OF, kept.edited(*_edits(site)[3]))
    assert read == [] and parsed == ["content/kpis/mrr.md"]  # the KPI whose CSV it is, with the new rows


def _counting(monkeypatch) -> tuple[list, list]:
    read, parsed = [], []
    real_read, real_parse = repository.load_document, repository.parse
    monkeypatch.setattr(repository, "load_document", lambda root, path, report, raw=None: read.append(path.relative_to(root).as_posix()) or real_read(root, path, report, raw))
    monkeypatch.setattr(repository, "parse", lambda doc, *rest: parsed.append(doc.path) or real_parse(doc, *rest))
    return read, parsed


def test_a_site_read_again_parses_only_what_changed_on_disk_and_says_what_a_fresh_reading_says(site, monkeypatch):
    """The preview keeps one Rereader from one check-in to the next: the files saved meanwhile are read
    again, a KPI whose CSV changed is parsed again, and new settings parse all."""
    kept = Rereader()
    load_site(site, AS_OF, kept)
    path, text = _edits(site)[1]
    (site / path).write_text(text, encoding="utf-8")
    csv, rows = _edits(site)[4]
    (site / csv).write_text(rows, encoding="utf-8")
    read, parsed = _counting(monkeypatch)
    again = load_site(site, AS_OF, kept)
    assert read == [path] and sorted(parsed) == sorted([path, "content/kpis/mrr.md"])
    monkeypatch.undo()
    assert _said(again) == _said(load_site(site, AS_OF)) and {d.file for d in again.report.errors} == {path, csv}
    settings = (site / "okrsite.toml").read_text(encoding="utf-8")
    (site / "okrsite.toml").write_text(settings.replace('number_format = ', 'number_format = "compact"\n# ', 1) if "number_format" in settings
                                       else settings + '\nnumber_format = "compact"\n', encoding="utf-8")
    read, parsed = _counting(monkeypatch)
    load_site(site, AS_OF, kept)
    assert read == [] and len(parsed) == len(kept.docs)


def _opened(monkeypatch) -> list[str]:
    opened, real = [], repository.file_bytes
    monkeypatch.setattr(repository, "file_bytes", lambda path: opened.append(path) or real(path))
    return opened


def test_a_site_read_again_opens_only_the_files_whose_stat_changed_or_is_too_recent_to_tell(site, monkeypatch):
    """A file whose stat (size, times, inode) is the one it had when it was read is that file: read
    again, the site opens no file but those changed since, and a file changed within the last two
    seconds (whose stat cannot tell a second change in the same clock tick) is opened each time."""
    kept = Rereader()
    load_site(site, AS_OF, kept)
    opened = _opened(monkeypatch)
    load_site(site, AS_OF, kept)
    assert len(opened) > 20  # every file was written a moment ago, by the fixture: too recent to tell
    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    load_site(site, AS_OF, kept)
    opened.clear()
    assert _said(load_site(site, AS_OF, kept)) == _said(load_site(site, AS_OF)) and opened == []
    path = site / "content/objectives/2026-q4/grow-recurring-revenue.md"
    text, was = path.read_text(encoding="utf-8"), path.stat()
    assert "target: 12\n" in text
    path.write_text(text.replace("target: 12\n", "target: 13\n", 1), encoding="utf-8")  # the same size
    os.utime(path, ns=(was.st_atime_ns, was.st_mtime_ns))  # and the old time: the inode's change time still tells
    opened.clear()
    again = load_site(site, AS_OF, kept)
    assert opened == [str(path)] and 13 in [kr.target for kr in again.site.objectives["grow-recurring-revenue"].key_results]
    assert _said(again) == _said(load_site(site, AS_OF))
