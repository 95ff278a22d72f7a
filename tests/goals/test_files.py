"""Writing new goals files all or none, and a file system's refusal in words (goals/files.py)."""

import errno
from pathlib import Path

import pytest

from okrsite.goals.files import is_listed, markdown_paths, write_new_files, write_problem


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
    """is_listed (the live preview's question about one saved file) and markdown_paths (a build's
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
    listed = {Path(path) for path in markdown_paths(site / "content")}
    every = [path for path in (site / "content").rglob("*") if path.is_file() or path.is_symlink()] + [site / "content/linked/f.md", site / "content/deep/inner/d.md"]
    assert {path for path in every if is_listed(path, site)} == listed
    assert sorted(p.relative_to(site).as_posix() for p in listed) == ["content/B.MD", "content/a.md", "content/deep/d.md", "content/gone-in.md",
                                                                       "content/link-in.md"]
    assert not is_listed(site / "data/inside.md", site)


GOAL = "---\ntitle: {title}\n{extra}period: 2026-Q4\nowner: company\nkey_results:\n  - title: Rockets\n    target: 10\n---\n{body}\n"


def _goal(title: str, extra: str = "", body: str = "") -> str:
    return GOAL.format(title=title, extra=extra, body=body)


def _said(report) -> list[tuple[str, str, str]]:
    return [(d.severity, d.file, d.message) for d in report.items]


def test_links_in_a_loop_are_said_at_the_link_in_one_run_not_an_internal_error(base_site, tmp_path):
    """QA DC 1: `ln -s self.md self.md` under content/, a KPI's looping CSV, a looping image and theme
    file crashed check and build with ELOOP; each is a broken link, said at the link, all at once."""
    from okrsite.build import build, check_site

    content = base_site / "content"
    (content / "objectives/self.md").symlink_to("self.md")
    (content / "objectives/x.md").symlink_to("y.md")
    (content / "objectives/y.md").symlink_to("x.md")
    (content / "objectives/sub").symlink_to("sub")
    (content / "img").mkdir()
    (content / "img/l.png").symlink_to("l.png")
    (content / "objectives/pictured.md").write_text(_goal("Pictured", body="![chart](../img/l.png)"), encoding="utf-8")
    (base_site / "data").mkdir(exist_ok=True)
    (base_site / "data/k.csv").symlink_to("k.csv")
    (content / "kpis/k.md").write_text("---\ntitle: K\nowner: company\nsource: x\ndata: data/k.csv\n---\n", encoding="utf-8")
    (base_site / "theme/static").mkdir(parents=True)
    (base_site / "theme/static/a.css").symlink_to("a.css")
    loop = "that leads round in a loop of links and reaches no file or folder"
    said = _said(check_site(base_site).report)
    assert ("warning", "content/objectives/self.md", f"not read: the file is a symbolic link (written self.md) {loop}") in said
    assert ("warning", "content/objectives/x.md", f"not read: the file is a symbolic link (written y.md) {loop}") in said
    assert ("warning", "content/objectives/sub", f"not read: content/objectives/sub is a symbolic link (written sub) {loop}") in said
    assert ("warning", "content/img/l.png", f"not read: content/img/l.png is a symbolic link (written l.png) {loop}") in said
    assert ("warning", "content/objectives/pictured.md", f"the image '../img/l.png' leads to no file: content/img/l.png is a symbolic link (written l.png) {loop}") in said
    assert ("error", "content/kpis/k.md", f"data file 'data/k.csv' cannot be read: data/k.csv is a symbolic link (written k.csv) {loop}") in said
    assert ("warning", "theme/static/a.css", f"not used: theme/static/a.css is a symbolic link (written a.css) {loop}") in said
    (content / "kpis/k.md").unlink()
    for _ in range(2):  # cold, then from the build cache
        result = build(base_site, tmp_path / "out")
        assert result.ok and ("warning", "content/objectives/self.md", f"not read: the file is a symbolic link (written self.md) {loop}") in _said(result.report)


def test_looping_settings_are_said_as_such(base_site):
    from okrsite.build import check_site

    (base_site / "okrsite.toml").unlink()
    (base_site / "okrsite.toml").symlink_to("okrsite.toml")
    assert ("error", "okrsite.toml", "the settings file cannot be read: okrsite.toml is a symbolic link (written okrsite.toml) "
            "that leads round in a loop of links and reaches no file or folder") in _said(check_site(base_site).report)


@pytest.mark.parametrize("links", [{"content": "content"}, {"content": "c2", "c2": "content"}])
def test_a_content_folder_that_is_a_link_in_a_loop_is_said_as_such_not_an_internal_error(base_site, tmp_path, links, capsys):
    """QA DI 1: `content -> content` (or through c2) crashed check, build and serve with Python's
    "Symlink loop" RuntimeError, checkin said only "no content/ folder" and new "Too many levels of symbolic links"."""
    import shutil

    from okrsite.build import build, check_site
    from okrsite.cli import main

    shutil.rmtree(base_site / "content")
    for name, target in links.items():
        (base_site / name).symlink_to(target)
    loop = f"content is a symbolic link (written {links['content']}) that leads round in a loop of links and reaches no file or folder"
    said = _said(check_site(base_site).report)
    assert said == [("error", "content", f"no content/ folder in {base_site}: {loop}")]
    result = build(base_site, tmp_path / "out")
    assert not result.ok and _said(result.report) == said
    for command in (["checkin", "x", "5"], ["new", "objective", "Foo", "--owner", "company"]):
        assert main([*command, "--site", str(base_site)]) == 1
        assert loop in capsys.readouterr().err


CHECKED_OUT = "the repository cannot be checked out there"


def test_names_one_file_on_macos_or_windows_or_none_there_are_warned_as_a_reserved_name_is(base_site):
    """QA DC 3: two goals files whose names differ only in case or Unicode form, folders Q4/ and q4/,
    names with a ':' or ending in a space or dot, and published files so named: the checkout there
    fails as for con.md, so each gets the warning con.md gets."""
    from okrsite.build import check_site

    objectives = base_site / "content/objectives"
    files = {"Payments.md": _goal("Upper", "id: payments-emea\n"), "payments.md": _goal("Lower"),
             "caf\u00e9.md": _goal("Composed"), "cafe\u0301.md": _goal("Decomposed", "id: cafe-mac\n"),
             "Q4/alpha.md": _goal("Alpha"), "q4/beta.md": _goal("Beta"), "q4: plan.md": _goal("Colon"),
             "q3./b.md": _goal("Dotted folder"), "links.md": _goal("Links", body="![a](img/a:b.png) ![c](img/con.png)")}
    for name, text in files.items():
        (objectives / name).parent.mkdir(exist_ok=True)
        (objectives / name).write_text(text, encoding="utf-8")
    (objectives / "img").mkdir()
    (objectives / "img/a:b.png").write_bytes(b"PNG")
    (objectives / "img/con.png").write_bytes(b"PNG")
    said = [(file, message) for severity, file, message in _said(check_site(base_site).report) if CHECKED_OUT in message]
    o = "content/objectives"
    assert sorted(said) == sorted([
        (f"{o}/caf\u00e9.md", f"{o}/cafe\u0301.md and {o}/caf\u00e9.md differ only in how an accented letter is encoded (Unicode normalisation), "
                               f"and are one file on macOS: {CHECKED_OUT} (git says the paths have collided), and one file takes the other's place"),
        (f"{o}/img/a:b.png", f"the name 'a:b.png' holds ':', which Windows allows in no file or folder name: {CHECKED_OUT}"),
        (f"{o}/img/con.png", f"the name 'con' is one Windows reserves for a device (CON): {CHECKED_OUT}, nor the site built"),
        (f"{o}/payments.md", f"{o}/Payments.md and {o}/payments.md differ only in case, and are one file on macOS and Windows: {CHECKED_OUT} "
                             "(git says the paths have collided), and one file takes the other's place"),
        (f"{o}/q3./b.md", f"the name 'q3.' ends in a dot, which Windows leaves out of a name: {CHECKED_OUT}"),
        (f"{o}/q4", f"{o}/Q4 and {o}/q4 differ only in case, and are one folder on macOS and Windows: {CHECKED_OUT} "
                    "(git says the paths have collided), and one folder takes the other's place"),
        (f"{o}/q4: plan.md", f"the name 'q4: plan.md' holds ':', which Windows allows in no file or folder name: {CHECKED_OUT}"),
    ])


@pytest.mark.parametrize("form", ["text", "github"])
def test_a_name_holding_a_bidi_control_is_warned_and_printed_escaped(base_site, capsys, form):
    """QA DL 2: U+202E in a file name turned the rest of check's line around in a terminal or CI log,
    unwarned; it is said as \\u202e, as U+001B is said as \\x1b."""
    from okrsite.cli import main

    (base_site / "content/objectives/grow\u202edm.txt.md").write_text(_goal("Grow"), encoding="utf-8")
    main(["check", str(base_site), "--format", form])
    said = capsys.readouterr()
    said = said.out + said.err
    assert "\u202e" not in said and "grow\\u202edm.txt.md" in said, said
    assert "the name 'grow\\u202edm.txt.md' holds a bidi control (U+202E), which shows as nothing or turns the text after it around" in said, said


@pytest.mark.parametrize("name, device", [("CONIN$.md", "CONIN$"), ("conout$.md", "CONOUT$"), ("Conin$.notes.md", "CONIN$")])
def test_the_console_s_names_are_reserved_as_con_is(name, device):
    """QA DI 5: git for Windows refuses CONIN$ and CONOUT$ with CON, COM1-9 and LPT1-9."""
    from okrsite.goals.files import path_problem

    message, _ = path_problem(f"content/objectives/{name}")
    assert f"one Windows reserves for a device ({device}): {CHECKED_OUT}" in message


@pytest.mark.parametrize("one, other, differ", [
    ("k.md", "\u212a.md", "differ only in case, and are one file on macOS"),
    ("K.md", "\u212a.md", "differ only in how an accented letter is encoded (Unicode normalisation), and are one file on macOS"),
    ("Pay.md", "pay.md", "differ only in case, and are one file on macOS and Windows"),
    ("\u03c2.md", "\u03c3.md", "differ only in case, and are one file on macOS and Windows"),
])
def test_windows_compares_names_by_each_letter_s_upper_case_not_by_folding_them(one, other, differ):
    """QA DI 5: the Kelvin sign (U+212A) beside k.md was "one file on macOS and Windows": NTFS upper-cases
    each letter and normalises none, and the Kelvin sign is upper case already, so there they are two."""
    from okrsite.goals.files import how_they_differ

    assert how_they_differ(one, other) == differ


def test_a_goals_path_longer_than_windows_takes_is_warned(base_site):
    from okrsite.build import check_site

    rel = "content/objectives/" + "a-rather-long-folder-name-for-planning/" * 7 + "goal.md"
    (base_site / rel).parent.mkdir(parents=True)
    (base_site / rel).write_text(_goal("Deep"), encoding="utf-8")
    assert ("warning", rel, f"the path is {len(rel)} characters long, and Windows takes paths of at most 260 (with the folder it is checked out in): {CHECKED_OUT}") \
        in _said(check_site(base_site).report)


@pytest.mark.parametrize("name, end", [("c.md ", "a space"), ("d.md.", "a dot")])
def test_a_name_ending_in_a_space_or_dot_is_said_not_read(base_site, name, end):
    from okrsite.build import check_site

    (base_site / "content/objectives" / name).write_text(_goal("Trailing"), encoding="utf-8")
    said = [d for d in check_site(base_site).report.items if d.file == f"content/objectives/{name}"]
    assert [(d.severity, d.line, d.message, d.hint) for d in said] == [
        ("warning", 1, f"not read: the name '{name}' ends in {end}, which Windows leaves out of a name: {CHECKED_OUT}, and okrsite reads only names ending in .md",
         f"rename it to {name[:-1]} (if {name[:-1]} is there too, merge the two into it)")]


def test_an_office_owner_file_is_an_editor_leftover_to_check_and_to_the_preview_alike(base_site):
    """QA DC 7: Word opening grow.md leaves ~$grow.md beside it: read as a goals file, it stopped check and the preview."""
    from okrsite.build import check_site
    from okrsite.preview.server import _wanted

    owner_file = base_site / "content/objectives/~$grow-customer-base.md"
    owner_file.write_bytes(b"\tAna Souza" + b"\0" * 40)
    assert check_site(base_site).report.errors == []
    assert not _wanted(owner_file) and not is_listed(owner_file, base_site)


def test_the_hint_for_a_link_in_a_loop_quotes_its_name(tmp_path):
    """QA EM: `ln -sfn PATH content/objectives/x;touch PWNED;#.md` ran `touch PWNED` when pasted."""
    import shlex

    from okrsite.goals.files import loop_problem

    link = tmp_path / "content/objectives/x;touch PWNED;#.md"
    link.parent.mkdir(parents=True)
    link.symlink_to(link.name)
    _, _, hint = loop_problem(tmp_path, link)
    command = hint[hint.index("(") + 1:hint.index("), or")]
    assert shlex.split(command) == ["ln", "-sfn", "PATH", "content/objectives/x;touch PWNED;#.md"]
