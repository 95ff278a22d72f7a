"""Writing the output (web/write.py): a new folder replaces OUT only once complete, and the output it
replaced, kept beside it as the spare, is brought up to date by the next build instead of being made
anew: never trusted, never written into, and the result always the same as a folder made from nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from okrsite.web import write
from okrsite.web.write import MARKER, OutputError, spare_of, stat_of, write_site

FIRST = {"index.html": b"home 1", "a/index.html": b"a 1", "a/b/index.html": b"b 1", "c/index.html": b"c 1", "okrs.json": b"{}"}


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry: a file's bytes, "folder", or "link -> target"."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = f"link -> {os.readlink(path)}"
        elif path.is_dir():
            found[rel] = "folder"
        else:
            found[rel] = path.read_bytes()
    return found


def clean_tree(files: dict[str, bytes], tmp_path: Path, audience: str | None = None) -> dict[str, bytes | str]:
    """What a folder made from nothing holds for these files."""
    out = tmp_path / "from-nothing"
    write_site(out, list(files.items()), tmp_path, reuse=False, audience=audience)
    made = tree(out)
    write._remove(out, False)
    return made


def kept(out: Path, files: dict[str, bytes], same: set[str]) -> list[tuple[str, bytes | tuple]]:
    """The build's files, those in ``same`` as the cache gives them: the previous build's file and its Stat."""
    return [(rel, (out / rel, stat_of(out / rel)) if rel in same else data) for rel, data in files.items()]


def two_builds(tmp_path: Path) -> Path:
    """OUT and a spare: the second build keeps a/ and c/ from the first."""
    out = tmp_path / "out"
    write_site(out, list(FIRST.items()), tmp_path)
    write_site(out, kept(out, {**FIRST, "index.html": b"home 2"}, {"a/index.html", "a/b/index.html", "c/index.html"}), tmp_path)
    assert _ours(spare_of(out))
    return out


def _ours(folder: Path) -> bool:
    return (folder / MARKER).is_file()


SECOND = {"index.html": b"home 3", "a/index.html": b"a 3", "a/b/index.html": b"b 1", "c/index.html": b"c 1", "d/e/index.html": b"e 3", "okrs.json": b"{}"}
SAME = {"a/b/index.html", "c/index.html", "okrs.json"}


def test_the_replaced_output_is_the_spare_the_next_build_is_made_from(tmp_path):
    out = two_builds(tmp_path)
    spare = spare_of(out)
    folder, unchanged = os.stat(spare / "a").st_ino, os.stat(out / "c/index.html").st_ino
    assert os.stat(spare / "c/index.html").st_ino == unchanged, "the spare shares the unchanged files with OUT"
    write_site(out, kept(out, SECOND, SAME), tmp_path)
    assert os.stat(out / "a").st_ino == folder, "the spare's folders are the new OUT's"
    assert os.stat(out / "c/index.html").st_ino == unchanged
    assert tree(out) == clean_tree(SECOND, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "from-nothing") == [".okrsite-spare-out", "out"]


def test_the_spare_is_ignored_by_git_and_backups_and_its_labels_never_reach_the_site(tmp_path):
    out = two_builds(tmp_path)
    assert (spare_of(out) / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (spare_of(out) / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    write_site(out, kept(out, SECOND, SAME), tmp_path)
    assert not (out / ".gitignore").exists() and not (out / "CACHEDIR.TAG").exists()


def test_a_new_file_never_writes_into_the_spares_file_which_is_the_live_sites(tmp_path):
    """The spare's unchanged files are hard links of OUT's: written into, OUT would change before the swap."""
    out = two_builds(tmp_path)

    def files():
        for rel, data in kept(out, {**SECOND, "c/index.html": b"c 3"}, SAME - {"c/index.html"}):
            yield rel, data
            if rel == "c/index.html":
                assert (out / "c/index.html").read_bytes() == b"c 1", "OUT changed during the build"

    write_site(out, files(), tmp_path)
    assert (out / "c/index.html").read_bytes() == b"c 3"
    assert (spare_of(out) / "c/index.html").read_bytes() == b"c 1"


TAMPER = {
    "file changed in place": lambda folder: (folder / "c/index.html").write_bytes(b"changed by hand"),
    "file replaced": lambda folder: (folder / "c/index.html").unlink() or (folder / "c/index.html").write_bytes(b"other"),
    "file added": lambda folder: (folder / "a/b/CNAME").write_bytes(b"okrs.example.com"),
    "file deleted": lambda folder: (folder / "a/b/index.html").unlink(),
    "folder deleted": lambda folder: write._remove(folder / "a", False),
    "folder added": lambda folder: (folder / "x/y").mkdir(parents=True) or (folder / "x/y/z.html").write_bytes(b"z"),
    "file made a folder": lambda folder: (folder / "okrs.json").unlink() or (folder / "okrs.json").mkdir(),
    "folder made a file": lambda folder: write._remove(folder / "c", False) or (folder / "c").write_bytes(b"c"),
    "name in another case": lambda folder: (folder / "a/index.html").rename(folder / "a/INDEX.html"),
    "marker deleted": lambda folder: (folder / MARKER).unlink(),
}


@pytest.mark.parametrize(("how", "where"), [(how, where) for how in sorted(TAMPER) for where in ("spare", "output") if (how, where) != ("marker deleted", "output")])
def test_a_tampered_spare_gives_the_same_folder_as_one_made_from_nothing(tmp_path, how, where):
    """Changed while it was the live site (a deploy step writing CNAME) or while it was the spare.
    (OUT without its marker is not okrsite's any more: test_build.py.)"""
    out = two_builds(tmp_path)
    if where == "output":  # the next build's spare: made from OUT as it is now
        TAMPER[how](out)
        same = {rel for rel in SAME if (out / rel).is_file() and (out / rel).read_bytes() == SECOND[rel]}
        write_site(out, kept(out, {**SECOND, "index.html": b"home 2b"}, same), tmp_path)
    else:
        TAMPER[how](spare_of(out))
    same = {rel for rel in SAME if (out / rel).is_file() and (out / rel).read_bytes() == SECOND[rel]}
    write_site(out, kept(out, SECOND, same), tmp_path)
    assert tree(out) == clean_tree(SECOND, tmp_path)


def test_a_link_in_the_spare_never_leads_the_build_outside_it(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "index.html").write_bytes(b"not okrsite's")
    out = two_builds(tmp_path)
    write._remove(spare_of(out) / "d", False)
    (spare_of(out) / "d").symlink_to(outside)
    (spare_of(out) / "a/index.html").unlink()
    (spare_of(out) / "a/index.html").symlink_to(outside / "index.html")
    write_site(out, kept(out, {**SECOND, "d/index.html": b"d 3"}, SAME), tmp_path)
    assert tree(out) == clean_tree({**SECOND, "d/index.html": b"d 3"}, tmp_path)
    assert tree(outside) == {"index.html": b"not okrsite's"}


class Stop(Exception):
    pass


def stopping(files: list, after: int):
    for n, item in enumerate(files):
        if n == after:
            raise Stop
        yield item


@pytest.mark.parametrize("after", [0, 2, 5])
def test_a_build_that_fails_while_updating_the_spare_leaves_the_output_and_the_next_build_is_right(tmp_path, after):
    out = two_builds(tmp_path)
    before = tree(out)
    with pytest.raises(Stop):
        write_site(out, stopping(kept(out, SECOND, SAME), after), tmp_path)
    assert tree(out) == before
    assert _ours(spare_of(out)), "the half-updated folder is the next build's spare (nothing in it is trusted)"
    assert not list(tmp_path.glob(".okrsite-tmp-*"))
    write_site(out, kept(out, SECOND, SAME), tmp_path)
    assert tree(out) == clean_tree(SECOND, tmp_path)


def test_a_killed_build_leaves_a_temporary_folder_that_the_next_build_removes_and_never_uses(tmp_path, monkeypatch):
    out = two_builds(tmp_path)
    before = tree(out)
    monkeypatch.setattr(write, "_after_failure", lambda *args, **kwargs: None)  # as good as killed: nothing is tidied
    with pytest.raises(Stop):
        write_site(out, stopping(kept(out, SECOND, SAME), 3), tmp_path)
    monkeypatch.undo()
    [temp] = tmp_path.glob(".okrsite-tmp-out-*")
    assert tree(out) == before and not spare_of(out).exists()
    (temp / "a/index.html").unlink()
    (temp / "a/index.html").write_bytes(b"half written")
    write_site(out, kept(out, SECOND, SAME), tmp_path)
    assert tree(out) == clean_tree(SECOND, tmp_path)
    assert not temp.exists()


def test_what_finish_wrote_into_the_spare_never_survives(tmp_path):
    """Pagefind writes pagefind/ into the folder: a stale index from the spare is gone before it runs again,
    and a site that stopped using it has none."""
    out = tmp_path / "out"

    def index(name: str):
        def finish(folder: Path) -> None:
            assert not (folder / "pagefind").exists(), "finish sees only this build's files"
            (folder / "pagefind").mkdir()
            (folder / "pagefind" / name).write_bytes(name.encode())
        return finish

    write_site(out, list(FIRST.items()), tmp_path, index("one.js"))
    write_site(out, list(SECOND.items()), tmp_path, index("two.js"))
    write_site(out, kept(out, FIRST, {"okrs.json"}), tmp_path, index("three.js"))
    assert tree(out / "pagefind") == {"three.js": b"three.js"}
    write_site(out, kept(out, SECOND, SAME - {"a/b/index.html", "c/index.html"}), tmp_path)
    assert tree(out) == clean_tree(SECOND, tmp_path)


def test_where_hard_links_are_refused_the_kept_files_are_copied(tmp_path, monkeypatch):
    out = two_builds(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    write._remove(spare_of(out), False)
    write_site(out, kept(out, FIRST, {"a/index.html", "c/index.html"}), tmp_path)  # no spare: copied into a new folder
    write_site(out, kept(out, SECOND, SAME), tmp_path)  # the spare has other files than OUT: copied again
    assert tree(out) == clean_tree(SECOND, tmp_path)
    assert os.stat(out / "c/index.html").st_ino != os.stat(spare_of(out) / "c/index.html").st_ino


def test_a_spare_place_taken_by_a_folder_okrsite_did_not_make_is_never_used_nor_removed(tmp_path):
    out = tmp_path / "out"
    mine = spare_of(out)
    mine.mkdir()
    (mine / "notes.txt").write_bytes(b"mine")
    write_site(out, list(FIRST.items()), tmp_path)
    write_site(out, kept(out, SECOND, {"okrs.json"}), tmp_path)
    write_site(out, kept(out, FIRST, {"okrs.json"}), tmp_path)
    assert tree(mine) == {"notes.txt": b"mine"}
    assert tree(out) == clean_tree(FIRST, tmp_path)
    assert not list(tmp_path.glob(".okrsite-old-*"))


def test_a_link_in_the_spares_place_is_never_followed(tmp_path):
    """Not even to a folder that holds the marker: the spare must be a folder of its own beside OUT."""
    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    write_site(elsewhere, list(FIRST.items()), tmp_path)
    spare_of(out).symlink_to(elsewhere)
    write_site(out, list(FIRST.items()), tmp_path)
    write_site(out, kept(out, SECOND, {"okrs.json"}), tmp_path)
    assert tree(elsewhere) == clean_tree(FIRST, tmp_path) and spare_of(out).is_symlink()
    assert tree(out) == clean_tree(SECOND, tmp_path)


def test_a_build_without_the_cache_makes_a_new_folder_and_removes_a_large_unused_spare_in_the_background(tmp_path, monkeypatch):
    """Thousands of folders take seconds to remove: the build does not wait for it (the next build
    removes what is left of it, if anything)."""
    out = two_builds(tmp_path)
    spare_folder = os.stat(spare_of(out)).st_ino
    monkeypatch.setattr(write, "BACKGROUND_FROM", 2)
    calls = []
    real = write.subprocess.Popen
    monkeypatch.setattr(write.subprocess, "Popen", lambda *args, **kwargs: calls.append(args) or real(*args, **kwargs))
    write_site(out, list(SECOND.items()), tmp_path, reuse=False)
    assert len(calls) == 1 and os.stat(out).st_ino != spare_folder
    assert tree(out) == clean_tree(SECOND, tmp_path)
    for _ in range(100):
        if not list(tmp_path.glob(".okrsite-old-*")):
            break
        time.sleep(0.1)
    assert not list(tmp_path.glob(".okrsite-old-*"))


def test_leftovers_of_another_output_whose_name_starts_alike_are_left_alone(tmp_path):
    other = tmp_path / ".okrsite-tmp-out-x-0123abcd"  # a build of out-x/, running now
    write_site(other, [("index.html", b"x")], tmp_path)
    write_site(tmp_path / "out", list(FIRST.items()), tmp_path)
    assert tree(other) == {MARKER: (other / MARKER).read_bytes(), "index.html": b"x"}


def test_one_path_twice_is_refused_in_the_spare_too(tmp_path):
    out = two_builds(tmp_path)
    before = tree(out)
    with pytest.raises(OutputError, match="refusing to write"):
        write_site(out, [("okrs.json", b"2"), ("OKRS.json", b"3")], tmp_path)
    with pytest.raises(OutputError, match="outside the output folder"):
        write_site(out, [("../escape.html", b"2")], tmp_path)
    assert tree(out) == before and not (tmp_path / "escape.html").exists()


def test_a_file_given_in_pieces_is_written_whole_in_a_new_folder_and_in_the_spare(tmp_path):
    """okrs.json comes as the pieces it is made of, never whole in memory; the file is the same."""
    out = two_builds(tmp_path)
    pieces = [b'{"objectives":[', b'{"id":"a"}', b",", b'{"id":"b"}', b"]}"]
    for reuse in (True, False):
        write_site(out, [("index.html", b"home"), ("okrs.json", iter(pieces))], tmp_path, reuse=reuse)
        assert (out / "okrs.json").read_bytes() == b"".join(pieces)


@pytest.mark.parametrize("rel", [".git/site", "repo/.git/x/site"])
def test_an_output_folder_inside_a_git_folder_is_refused(tmp_path, rel):
    """QA AS: `-o .git/x` wrote a site into git's own folder."""
    (tmp_path / ".git").mkdir()
    with pytest.raises(OutputError) as refused:
        write.check_output(tmp_path / rel, tmp_path)
    assert "inside a git repository's own folder (.git)" in refused.value.message
    assert not (tmp_path / rel).exists()


def test_an_output_folder_in_the_build_cache_is_refused_as_the_cache_though_not_empty(tmp_path):
    """The cache is a folder okrsite made, though with no output's marker: "not made by okrsite" is no answer."""
    cache = tmp_path / ".okrsite-cache"
    (cache / "parts").mkdir(parents=True)
    for out in (cache, cache / "parts"):
        with pytest.raises(OutputError) as refused:
            write.check_output(out, tmp_path, cache)
        assert refused.value.message == f"the output folder {out.resolve()} is or holds okrsite's build cache .okrsite-cache/"


def test_an_output_folder_holding_a_git_repository_is_refused_and_left_as_it_is(tmp_path):
    """A clone of the branch a site is published from, made inside OUT after a build: the next build
    would replace OUT, and the build after it remove the spare, with the clone's history. It is refused."""
    out = tmp_path / "site"
    write_site(out, list(FIRST.items()), tmp_path)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    before = tree(out)
    with pytest.raises(OutputError) as refused:
        write.check_output(out, tmp_path / "goals")
    assert "holds a git repository (.git)" in refused.value.message and "copy the site into it" in refused.value.hint
    assert "--delete --exclude .git" in refused.value.hint, "a copy that leaves removed pages published"
    assert tree(out) == before


def test_the_copy_the_git_hint_gives_removes_what_the_new_site_no_longer_has_and_keeps_the_clone(tmp_path):
    """Followed to the letter, the hint of a refused OUT holding a .git publishes the new site as it is:
    a page since made private, renamed or deleted must not stay in the clone of the published branch.
    Needs rsync (`.ci/run` installs it): skipped without it, failed under CI=true."""
    if shutil.which("rsync") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("rsync is missing (CI=true: this test must run, not skip)", pytrace=False)
        pytest.skip("the hint's copy uses rsync")
    goals, pages = tmp_path / "goals", tmp_path / "pages"
    site = goals / "site"
    write_site(site, list(FIRST.items()), goals)
    (site / ".git").mkdir()
    with pytest.raises(OutputError) as refused:
        write.check_output(site, goals)
    pages.mkdir()
    (site / ".git").rename(pages / ".git")
    (pages / "objectives" / "made-private").mkdir(parents=True)
    (pages / "objectives" / "made-private" / "index.html").write_bytes(b"confidential")
    copy = re.search(r"\(([^()]*\.\./pages/)\)", refused.value.hint).group(1)
    subprocess.run(copy, shell=True, cwd=goals, check=True)
    assert tree(pages) == {".git": "folder", **tree(site)}


@pytest.mark.parametrize("mode", [0o750, 0o2750, 0o700])
def test_the_new_output_keeps_the_permissions_of_the_folder_it_replaces(tmp_path, mode):
    """`chmod 750 site`, to keep an internal site from others on a shared host, holds through builds:
    for an empty folder of the user's the first build replaces, and for okrsite's own after that."""
    out = tmp_path / "site"
    out.mkdir()
    os.chmod(out, mode)
    for files in (FIRST, {**FIRST, "index.html": b"home 2"}, {**FIRST, "index.html": b"home 3"}):
        write_site(out, list(files.items()), tmp_path)
        assert oct(os.stat(out).st_mode & 0o7777) == oct(mode)


def _build_that_waits(out: Path, site: Path, started, go) -> None:
    def files():
        yield "index.html", b"slow"
        started.set()
        go.wait(30)
        yield "a/index.html", b"slow a"
    write_site(out, files(), site)


@pytest.mark.skipif(os.name != "posix", reason="folders are locked with flock")
def test_a_build_never_removes_the_folder_another_running_build_writes(tmp_path):
    """Another process is writing its temporary folder for the same OUT: this build leaves it alone,
    and both finish; a temporary folder no build holds (a killed build's) is still removed."""
    import multiprocessing

    out = tmp_path / "out"
    write_site(out, list(FIRST.items()), tmp_path)
    dead = tmp_path / ".okrsite-tmp-out-0123abcd"
    dead.mkdir()
    (dead / MARKER).write_text("")
    forked = multiprocessing.get_context("fork")
    started, go = forked.Event(), forked.Event()
    other = forked.Process(target=_build_that_waits, args=(out, tmp_path, started, go))
    other.start()
    try:
        assert started.wait(30)
        write_site(out, list(SECOND.items()), tmp_path)
        assert not dead.exists()
        [running] = tmp_path.glob(".okrsite-tmp-out-*")
        assert (running / "index.html").read_bytes() == b"slow"
    finally:
        go.set()
        other.join(30)
    assert other.exitcode == 0
    assert tree(out) == clean_tree({"index.html": b"slow", "a/index.html": b"slow a"}, tmp_path)


def test_other_okrsite_outputs_among_the_strays_are_their_outermost_folders():
    """A folder holding okrsite's marker at any depth, or okrsite's spare or temporary folder of any output."""
    found = ["CNAME", "reports/q3.pdf", "internal/.okrsite-output", "internal/index.html", "internal/team/.okrsite-output",
             "a/b/.okrsite-output", ".okrsite-spare-internal/index.html", ".okrsite-tmp-internal-0123abcd/", "x/.okrsite-old-staff-89abcdef/a.html"]
    assert write.nested_outputs(found) == [".okrsite-spare-internal", ".okrsite-tmp-internal-0123abcd", "a/b", "internal", "x/.okrsite-old-staff-89abcdef"]
    assert write.nested_outputs(["CNAME", "okrsite-output", "a/.okrsite-output.bak"]) == []
    names = [write.output_name(folder) for folder in ("internal", "a/b", ".okrsite-spare-internal", ".okrsite-tmp-internal-0123abcd", "x/.okrsite-old-staff-89abcdef")]
    assert names == ["internal", "b", "internal", "internal", "staff"]


@pytest.mark.parametrize("where, enclosing", [("out", "out"), ("out/objectives", "out"), (".okrsite-spare-out", ".okrsite-spare-out")])
def test_an_output_folder_inside_another_okrsite_output_is_refused(tmp_path, where, enclosing):
    """Built into a folder inside an okrsite output (or its spare), a site would be published with it."""
    out = two_builds(tmp_path)
    (out / "objectives").mkdir()
    folder = tmp_path / where / "internal"
    with pytest.raises(OutputError) as refused:
        write.check_output(folder, tmp_path / "goals")
    assert refused.value.message == f"the output folder {folder} is inside {tmp_path / enclosing}, another okrsite build's output: this site would be published with it"
    assert refused.value.hint == f"build it outside, e.g. -o {os.path.relpath(tmp_path / 'internal')}"
    assert not folder.exists()


def test_strays_are_the_files_the_build_that_wrote_out_did_not_write(tmp_path):
    out = tmp_path / "out"
    written = write_site(out, list(FIRST.items()), tmp_path)
    folders = {folder: os.lstat(out / folder).st_mtime_ns for folder in ("", "a", "a/b", "c")}
    time.sleep(0.01)
    (out / "CNAME").write_text("okrs.example.com")
    (out / "a" / "b" / "board.pdf").write_bytes(b"%PDF")
    (out / "reports" / "q3").mkdir(parents=True)
    (out / "reports" / "q3" / "board.pdf").write_bytes(b"%PDF")
    (out / "empty").mkdir()
    (out / "pagefind").mkdir()
    (out / "a" / "index.html").write_bytes(b"changed in place: okrsite's file all the same")
    (out / ".nojekyll").write_bytes(b"")  # made again by the publishing step after each build (publishing.md)
    (out / "a" / ".DS_Store").write_bytes(b"\0")
    assert write.strays(out, set(FIRST), folders, written.marker) == [
        "CNAME", "a/b/board.pdf", "empty/", "pagefind/", "reports/q3/board.pdf"]
    assert write.strays(out, set(FIRST), folders, None) == [
        "CNAME", "a/b/board.pdf", "empty/", "pagefind/", "reports/q3/board.pdf"], "without the cache's record: the marker's list"
    write_site(out, list(FIRST.items()), tmp_path, reuse=False, keep=["CNAME", "empty/"])
    assert write.strays(out, set(FIRST), folders, written.marker) == ["CNAME", "empty/"], "another build's folder: what it kept"
    (out / MARKER).write_text(write.marker_text(None))
    older = write.strays(out, set(FIRST), folders, None)
    assert not older.sure and "CNAME" in older and set(FIRST) <= set(older), "an older okrsite's marker lists nothing: every file"


@pytest.mark.parametrize("reuse", [True, False])
def test_an_output_built_for_another_audience_is_removed_not_kept_as_the_spare(tmp_path, reuse):
    """A public build into an internal build's folder: the internal site must not wait beside it (in a
    published web root, `.okrsite-spare-out/` would publish it)."""
    out = tmp_path / "out"
    write_site(out, list(FIRST.items()), tmp_path, audience="internal")
    write_site(out, kept(out, {**FIRST, "index.html": b"internal 2"}, {"okrs.json"}), tmp_path, audience="internal")
    assert write.audience_of(spare_of(out)) == "internal"
    write_site(out, kept(out, SECOND, {"okrs.json"}) if reuse else list(SECOND.items()), tmp_path, reuse=reuse, audience="public")
    assert tree(out) == clean_tree(SECOND, tmp_path, "public") and write.audience_of(out) == "public"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "from-nothing") == ["out"]


def test_an_output_of_the_same_audience_is_kept_as_the_spare_and_one_of_unknown_audience_is_not(tmp_path):
    out = tmp_path / "out"
    write_site(out, list(FIRST.items()), tmp_path, audience="public")
    write_site(out, list(SECOND.items()), tmp_path, audience="public")
    assert write.audience_of(spare_of(out)) == "public"
    write._remove(spare_of(out), False)
    (out / MARKER).write_text("This folder is written by okrsite; it is replaced on every build.\n")  # an older okrsite's
    write_site(out, list(FIRST.items()), tmp_path, audience="public")
    assert not os.path.lexists(spare_of(out))


def test_a_folder_okrsite_did_not_make_in_the_spares_place_survives_an_audience_change(tmp_path):
    out = tmp_path / "out"
    write_site(out, list(FIRST.items()), tmp_path, audience="internal")
    mine = spare_of(out)
    mine.mkdir()
    (mine / "notes.txt").write_bytes(b"mine")
    write_site(out, list(SECOND.items()), tmp_path, audience="public")
    assert tree(mine) == {"notes.txt": b"mine"} and tree(out) == clean_tree(SECOND, tmp_path, "public")
    assert not list(tmp_path.glob(".okrsite-old-*"))
