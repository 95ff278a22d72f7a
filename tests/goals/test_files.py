"""Writing new goals files all or none, and a file system's refusal in words (goals/files.py)."""

import errno

import pytest

from okrsite.goals.files import write_new_files, write_problem


def test_new_files_are_written_all_or_none(tmp_path):
    """A file that cannot be written (a file stands where its folder goes) takes back the files and
    the folders written before it."""
    (tmp_path / "blocked").write_text("mine")
    texts = {tmp_path / "new/deep/a.md": "a", tmp_path / "new/b.md": "b", tmp_path / "blocked/c.md": "c"}
    with pytest.raises(OSError):
        write_new_files(texts)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"] and (tmp_path / "blocked").read_text() == "mine"


def test_an_existing_file_is_never_overwritten_nor_removed(tmp_path):
    (tmp_path / "a.md").write_text("mine")
    with pytest.raises(FileExistsError):
        write_new_files({tmp_path / "b.md": "b", tmp_path / "a.md": "a"})
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"] and (tmp_path / "a.md").read_text() == "mine"


def test_all_written_are_listed_and_can_be_taken_back(tmp_path):
    written = write_new_files({tmp_path / "x/a.md": "a", tmp_path / "x/b.md": "b"})
    assert written.files == [tmp_path / "x/a.md", tmp_path / "x/b.md"] and (tmp_path / "x/b.md").read_text() == "b"
    written.undo()
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("code, message, hint", [
    (errno.EACCES, "cannot write {new}: permission denied", "make {folder} writable for you: chmod u+w {folder}, or build elsewhere"),
    (errno.ENOSPC, "cannot write {new}: the disk is full", "free some space, or build elsewhere"),
    (errno.EROFS, "cannot write {new}: the file system is read-only", "build elsewhere"),
])
def test_a_refusal_names_the_place_what_is_wrong_and_the_fix(tmp_path, code, message, hint):
    new = tmp_path / "content/new.md"
    (tmp_path / "content").mkdir()
    said = write_problem(OSError(code, "os words", str(new)), "build elsewhere")
    assert said == (message.format(new=new), hint.format(folder=tmp_path / "content"))


def test_a_temporary_file_of_okrsite_s_is_named_by_its_folder(tmp_path):
    temporary = tmp_path / ".okrsite-tmp-site-12345678"
    assert write_problem(PermissionError(errno.EACCES, "Permission denied", str(temporary)))[0] == f"cannot write in {tmp_path}: permission denied"
