"""Writing new goals files all or none, and a file system's refusal in words (goals/files.py)."""

import errno

import pytest

from okrsite.goals.files import is_listed, markdown_files, write_new_files, write_problem


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


def test_one_file_is_listed_exactly_when_the_whole_listing_lists_it(tmp_path):
    """is_listed (the live preview's question about one saved file) and markdown_files (a build's
    listing) follow one rule: hidden names, linked folders and links out of the site are left out."""
    site, outside = tmp_path / "site", tmp_path / "outside"
    for rel in ("content/a.md", "content/B.MD", "content/notes.txt", "content/.hidden.md", "content/.drafts/c.md",
                "content/deep/d.md", "content/deep/.e.md", "data/inside.md"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x")
    (outside / "sub").mkdir(parents=True)
    (outside / "out.md").write_text("x")
    (outside / "sub/f.md").write_text("x")
    (site / "content/link-out.md").symlink_to(outside / "out.md")
    (site / "content/link-in.md").symlink_to(site / "data/inside.md")
    (site / "content/linked").symlink_to(outside / "sub", target_is_directory=True)
    (site / "content/deep/inner").symlink_to(site / "content/deep", target_is_directory=True)
    (site / "content/gone-in.md").symlink_to(site / "data/renamed.md")
    (site / "content/gone-out.md").symlink_to(outside / "renamed.md")
    listed = set(markdown_files(site / "content"))
    every = [path for path in (site / "content").rglob("*") if path.is_file() or path.is_symlink()] + [site / "content/linked/f.md", site / "content/deep/inner/d.md"]
    assert {path for path in every if is_listed(path, site)} == listed
    assert sorted(p.relative_to(site).as_posix() for p in listed) == ["content/B.MD", "content/a.md", "content/deep/d.md", "content/gone-in.md",
                                                                       "content/link-in.md"]
    assert not is_listed(site / "data/inside.md", site)
