"""Which goals files a site has: its settings, and every Markdown file under content/.

Apart from load.py (which imports PyYAML to read them): a build with nothing changed lists the files
to check them, and reads none."""

from __future__ import annotations

import errno
import hashlib
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .characters import named
from .diagnostics import Report, command_line

SETTINGS_FILE = "okrsite.toml"


def os_name(path: str) -> str:
    """A path as okrsite has it (UTF-8 text: SourceDoc.path) as Python hands it to the system: the same,
    but under LC_ALL=C without UTF-8 mode, where Python names files in ASCII, with its surrogate escapes
    for the other bytes (load._utf8_name reads such names as the UTF-8 they are)."""
    return os.fsdecode(path.encode("utf-8", "surrogateescape"))


def text_name(name: str) -> str:
    """A name as the system gave it (os_name's) as UTF-8 text, with surrogate escapes for bytes that are not."""
    return os.fsencode(name).decode("utf-8", "surrogateescape")


def content_digest(raw: bytes) -> bytes:
    """What tells a file's content from any other: the build cache's and the check-ins' (repository.Rereader)
    one hash, so that the preview hands what its first build read to its forms (preview/state.py)."""
    return hashlib.blake2b(raw, digest_size=16).digest()
RACY_NS = 2_000_000_000  # a file changed this close to being looked at is read again next time


def signature(found: os.stat_result) -> tuple[int, int, int, int, int]:
    """What tells a file from another or an edited one without reading it."""
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev


def too_recent(found: os.stat_result, now: int) -> bool:
    """Changed too close to ``now`` for its stat to tell a later edit within the same clock tick."""
    return max(found.st_mtime_ns, found.st_ctime_ns) > now - RACY_NS


KINDS = ("objective", "kpi", "team")  # what `okrsite new` writes a file of
MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # Markdown files as Hugo and MkDocs name them, in any case


def listed_name(name: str) -> bool:
    """Whether a file of this name under content/ is listed: every Markdown file, but an editor's
    leftover. okrsite reads the .md ones; any other (`.MD`, `.markdown`, `x.md ` with a space at the
    end) is listed to be told it is not read (goals/load.py)."""
    return name.lower().rstrip(" .").endswith(MARKDOWN) and not editor_leftover(name)


# What editors write beside the file you edit while you work, read by no build and watched by no preview:
# Vim's swap files and its 4913 probe, backups (x.md~), partial downloads, and the owner files Word and
# LibreOffice keep for an open document (~$grow.md). Hidden files (Emacs's .#grow.md) are left out anyway.
_LEFTOVER_NAMES = ("4913",)
_LEFTOVER_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part")
_LEFTOVER_PREFIXES = ("~$", ".~lock.")


def editor_leftover(name: str) -> bool:
    """Whether a file of this name is an editor's temporary file, not one of the site's."""
    return name in _LEFTOVER_NAMES or name.endswith(_LEFTOVER_SUFFIXES) or name.startswith(_LEFTOVER_PREFIXES)


# The names Windows keeps for devices, in any case and with any extension ('aux.md', 'Con.txt'): no
# file or folder there can have one, so a repository holding one cannot be checked out on Windows
# (git for Windows refuses the console's CONIN$ and CONOUT$ too).
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", *(f"{port}{n}" for port in ("COM", "LPT") for n in "123456789¹²³")})


def windows_device(name: str) -> str | None:
    """The device Windows reserves ``name`` (a file or folder name, or an id) for, or None."""
    device = name.split(".", 1)[0].rstrip(" ").upper()
    return device if device in _DEVICES else None


def off_device(ident: str, kind: str) -> str:
    """A new file's name and id made of a title (``ident``), with ``kind`` ('objective', 'kpi', 'team')
    added as a word of its own when Windows reserves it for a device: 'Con' is con-objective.md, 'Aux'
    aux-team.md, which the repository can hold on Windows (windows_device: one list for the warning and
    for every command that names a file)."""
    return f"{ident}-{kind}" if windows_device(ident) else ident


def file_key(path: str) -> str:
    """What a case-insensitive, normalising file system (macOS, Windows) sees of a path: Windows also
    leaves out the dots and spaces a name ends with."""
    key = path.lower() if path.isascii() else _case_folded(unicodedata.normalize("NFC", path))
    return _trimmed(key) if key.endswith((".", " ")) or "./" in key or " /" in key else key


def _case_folded(text: str) -> str:
    """Case folded letter by letter, as those file systems compare names: 'Straße' and 'STRASSE' are two
    names there (QA: they were said to "differ only in case"), so ß stays ß where casefold writes ss."""
    folded = text.casefold()
    if len(folded) == len(text):  # no letter folded into two
        return folded
    return "".join(_letter_folded(char) for char in text)


def _letter_folded(char: str) -> str:
    """A letter's simple case folding: its full one when that is one letter ('Σ' -> 'σ'), else its
    lower case when that is ('ẞ' -> 'ß'), else the letter itself ('ß', 'ﬁ', 'İ')."""
    for folded in (char.casefold(), char.lower()):
        if len(folded) == 1:
            return folded
    return char


def _windows_upper(text: str) -> str:
    """A name as NTFS compares names: each letter in its simple upper case, none normalised or folded
    into two ('ß' stays, the Kelvin sign 'K' (U+212A) is not 'K', as NFC and casefold make it)."""
    return "".join(upper if len(upper := char.upper()) == 1 and char <= "\uffff" else char for char in text)


def _trimmed(path: str) -> str:
    """The path as Windows names it: without the dots and spaces its names end with."""
    return "/".join(name.rstrip(". ") for name in path.split("/"))


def how_they_differ(one: str, other: str, what: str = "file") -> str:
    """How two paths that file_key makes one differ, in words, and where they are one file."""
    trimmed = (_trimmed(one), _trimmed(other))
    trailing = trimmed != (one, other)
    one, other = trimmed
    case = unicodedata.normalize("NFC", one) != unicodedata.normalize("NFC", other)
    encoded = _case_folded(one) != _case_folded(other) or (not case and one != other)  # or a sign NFC makes a letter (K, U+212A)
    ways = [way for way, differs in (("case", case), ("how an accented letter is encoded (Unicode normalisation)", encoded),
                                     ("a dot or space at the end of a name, which Windows leaves out", trailing)) if differs]
    on_windows = _windows_upper(one) == _windows_upper(other)
    systems = " and ".join(system for system, same in (("macOS", not trailing), ("Windows", on_windows)) if same) or "macOS or Windows"
    return f"differ only in {' and in '.join(ways)}, and are one {what} on {systems}"


_NOT_IN_WINDOWS_NAMES = frozenset('<>:"|?*\\')
WINDOWS_PATH_MAX = 260  # characters a path may have on Windows unless long paths are turned on
CHECKED_OUT = "the repository cannot be checked out there"


def path_problem(rel: str) -> tuple[str, str] | None:
    """(message, hint) when Windows, or macOS and Windows alike, can hold no file at the path ``rel``
    (from the site's root): a name reserved for a device (con.md, nul/), a character Windows allows in
    no name (`q4: plan.md`), a name ending in a space or dot, which Windows leaves out, or a path
    longer than Windows takes; None when it can. The repository cannot be checked out there."""
    parts = rel.split("/")
    for depth, name in enumerate(parts, 1):
        problem = name_problem(name, PurePosixPath(name).stem if depth == len(parts) else name, page=rel.endswith(".md"))
        if problem is not None:
            return problem
    if len(rel) > WINDOWS_PATH_MAX:
        return (f"the path is {len(rel)} characters long, and Windows takes paths of at most {WINDOWS_PATH_MAX} "
                f"(with the folder it is checked out in): {CHECKED_OUT}",
                "shorten the names of the file and its folders (or have every Windows user run git config core.longpaths true)")
    return None


def name_problem(name: str, shown: str, page: bool = False) -> tuple[str, str] | None:
    """(message, hint) when Windows can hold no file or folder named ``name`` (shown as ``shown``: a
    file's name without its .md), else None; ``page``: on the way to a goals file, whose page is named
    by its file unless it has an 'id:'."""
    device = windows_device(shown)
    if device:
        return (f"the name '{shown}' is one Windows reserves for a device ({device}): {CHECKED_OUT}, nor the site built",
                "rename the file or folder (e.g. add a word to the name)" + "; for the page's address alone, an 'id:' is enough" * page)
    refused = sorted({char for char in name if char in _NOT_IN_WINDOWS_NAMES or ord(char) < 32})
    if refused:
        chars = " and ".join(repr(char) if char.isprintable() else f"U+{ord(char):04X}" for char in refused)
        return (f"the name '{name}' holds {chars}, which Windows allows in no file or folder name: {CHECKED_OUT}",
                "rename the file or folder without it (e.g. a '-' in its place)")
    if name.endswith((" ", ".")):
        end = "a space" if name.endswith(" ") else "a dot"
        return (f"the name '{name}' ends in {end}, which Windows leaves out of a name: {CHECKED_OUT}",
                f"rename the file or folder to '{name.rstrip(' .')}'")
    return None


def unseen_name_problem(rel: str) -> tuple[str, str] | None:
    """(message, hint) when a name on the path ``rel`` holds an invisible format character (Unicode's
    category Cf: a bidi control such as U+202E, a zero-width space): it shows as nothing, or turns the
    text after it around, so the name reads otherwise than it is in a terminal, an editor or a review."""
    for name in rel.split("/"):
        found = sorted({char for char in name if unicodedata.category(char) == "Cf"})
        if found:
            return (f"the name '{name}' holds {' and '.join(named(char) for char in found)}, which shows as nothing or turns the text "
                    "after it around: the name reads otherwise than it is in a terminal, an editor or a code review",
                    "rename the file or folder without it")
    return None


def name_clashes(rels: Iterable[str]) -> list[tuple[str, str, str]]:
    """(path, message, hint) of each file or folder whose path is another's on macOS or Windows (file_key:
    `Payments.md` and `payments.md`, `café.md` written in two Unicode forms, folders `Q4/` and `q4/`):
    one of the two is lost when the repository is checked out there. Said once, at the later path."""
    first: dict[str, str] = {}
    found = []
    told: set[frozenset] = set()
    for rel in rels:
        parts = rel.split("/")
        for depth in range(2, len(parts) + 1):
            path = "/".join(parts[:depth])
            earlier = first.setdefault(file_key(path), path)
            if earlier != path:
                if frozenset((earlier, path)) not in told:
                    told.add(frozenset((earlier, path)))
                    what = "file" if depth == len(parts) else "folder"
                    found.append((path, f"{earlier} and {path} {how_they_differ(earlier, path, what)}: {CHECKED_OUT} (git says the paths have collided), "
                                        f"and one {what} takes the other's place", _CLASH_FIX[what]))
                break
    return found


_CLASH_FIX = {"file": "rename one of the two files (or merge them into one); an 'id:' changes the page's address, not the file's name",
              "folder": "rename one of the two folders, or move its files into the other"}


def name_warnings(rels: Iterable[str], report: Report) -> None:
    """A warning at each goals file (``rels``: the paths markdown_paths lists, from the site's root) that
    macOS or Windows cannot hold as it is named (path_problem, name_clashes). A file not named .md is
    not_read's to tell of (goals/load.py)."""
    read = [rel for rel in rels if rel.endswith(".md")]
    for rel in read:
        for problem in (path_problem(rel), unseen_name_problem(rel)):
            if problem is not None:
                report.warning(rel, 1, *problem)
    for path, message, hint in name_clashes(read):
        report.warning(path, 1, message, hint)


def relative(paths: list[str], root: Path) -> list[str]:
    """Each path relative to ``root``, with /: by its text where it starts with root's (pathlib's
    relative_to costs a third of a build with nothing changed at 10k files)."""
    prefix = os.path.join(str(root), "")
    found = [text[len(prefix):] if text.startswith(prefix) else Path(text).relative_to(root).as_posix() for text in paths]
    return found if os.sep == "/" else [rel.replace(os.sep, "/") for rel in found]


def site_problem(root: Path) -> tuple[str, str, str] | None:
    """(file, message, hint) when ``root`` is no goals repository: it does not exist, it is a file, or
    it has no content/ folder; None when it is one. Decided before anything is read or written, so
    that `okrsite build nowhere` makes no build cache and no output, and says only this."""
    root = Path(root)
    if not root.exists():
        return (str(root), f"the folder {root} does not exist",
                f"give the folder of your goals repository, the one that holds content/, or create one there with 'okrsite init {root}'")
    if not root.is_dir():
        return str(root), f"{root} is a file, not a folder", "give the folder of your goals repository, the one that holds content/"
    if not (root / "content").is_dir():
        return "content", *_no_content(root)
    return None


def _no_content(root: Path) -> tuple[str, str]:
    """(message, hint) for a site with no content/ folder: its content/ may be a link in a loop (`content -> content`)."""
    looping = loop_problem(root, root / "content")
    if looping is not None:
        link, what, hint = looping
        return f"no content/ folder in {root}: {link} {what}", hint
    return f"no content/ folder in {root}", "run okrsite in a goals repository, or create one with 'okrsite init DIR'"


def looping_link(path: Path) -> Path | None:
    """The link on the way to ``path`` (``path`` itself or a folder above it) that leads back to itself
    (`ln -s L8 L8`): no file or folder is ever reached through it, and Path.resolve gives up."""
    if not _loops(path):
        return None
    return next(step for step in [*reversed(path.parents), path] if _loops(step))


def _loops(path: Path | str) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def loop_problem(root: Path, path: Path) -> tuple[str, str, str] | None:
    """(link, what, hint) when a symbolic link on the way to ``path`` leads round in a loop of links
    (`ln -s self.md self.md`, two links to each other): it reaches no file or folder, as a link that
    leads nowhere, and every stat, read or resolve through it fails; None for any other path. ``link``
    is the looping link's path from ``root``, ``what`` what it is, for a message to follow the link's name."""
    link = looping_link(path)
    if link is None:
        return None
    shown = link.relative_to(root).as_posix() if link.is_relative_to(root) else str(link)
    return (shown, f"is a symbolic link (written {os.readlink(link)}) that leads round in a loop of links and reaches no file or folder",
            f"point the link at what it stands for ({command_line('ln', '-sfn', 'PATH', shown)}), or put the file or folder itself in its place")


def linked_folder(root: Path, relpath: str) -> str | None:
    """The first folder below content/ on the way to the file ``relpath`` (e.g.
    content/objectives/2026-q4/x.md) that is a symbolic link, None when there is none: the site
    reads no file through a linked folder (markdown_paths), so a file written there never shows."""
    parts = Path(relpath).parts
    for depth in range(2, len(parts)):
        if root.joinpath(*parts[:depth]).is_symlink():
            return "/".join(parts[:depth])
    return None


def linked_folder_problem(root: Path, relpath: str, command: str) -> tuple[str, str] | None:
    """(message, hint) when a new file ``relpath`` would be written through a content/ folder that is
    a symbolic link (linked_folder): where the site never reads it; else None."""
    folder = linked_folder(root, relpath)
    if folder is None:
        return None
    target = os.readlink(root / folder)
    return (f"{folder} is a symbolic link (to {target}), and the site reads no file through a linked folder, so nothing was written",
            f"put a real folder {folder} in the link's place, with the files it links to moved into it; then run {command} again")


def markdown_paths(content: Path, linked: list[str] | None = None) -> list[str]:
    """Every Markdown file under ``content`` (see listed_name) in path order, none in or of a hidden folder or hidden itself.
    Symbolic links to files are followed, to folders not (as Path.rglob does); a link to a file
    outside the site (the folder holding ``content``) is left out, as a `data:` path outside it is an
    error: a repository's link to /etc/passwd or /proc/self/environ must not become a page. A link
    into the site that leads nowhere (its file renamed) is listed, for the loader to tell of it.
    The paths are text, not Paths (making 10,000 Paths costs a build with nothing changed a fifth);
    the linked folders it does not read, whose files would be left out without a word, go to ``linked``,
    with each link in a loop (loop_problem) that is not named as a Markdown file (those are listed)."""
    found: list[str] = []
    _walk(str(content), found, os.path.realpath(os.path.dirname(os.path.abspath(content))), linked)
    return found


def linked_folder_warnings(root: Path, linked: Iterable[str], report: Report) -> None:
    """A warning at each folder under content/ that is a symbolic link: none of its files is read (or
    at a link in a loop, which reaches nothing)."""
    for path in linked:
        try:
            target = os.readlink(path)
        except OSError:  # no longer a link (the live preview's list is of its last reading)
            continue
        rel = Path(path).relative_to(root).as_posix()
        looping = loop_problem(root, Path(path))
        if looping is not None:
            report.warning(rel, 1, f"not read: {looping[0]} {looping[1]}", looping[2])
            continue
        report.warning(rel, 1, f"not read: the folder is a symbolic link (to {target}), and okrsite reads no file through a linked folder",
                       "put a real folder in the link's place, with the files moved into it, or link each file on its own (ln -s ../../shared/x.md x.md)")


def is_listed(path: Path, root: Path) -> bool:
    """Whether markdown_paths(root / "content") lists ``path``, decided for one file (a save the live
    preview is told about) by the same rules: no hidden part, no linked folder on the way, and a linked
    file only when it leads into the site."""
    content = root / "content"
    try:
        rel = path.relative_to(content).as_posix()
    except ValueError:
        return False
    if hidden(rel) or not listed_name(path.name):
        return False
    if any((content / folder).is_symlink() for folder in _folders_of(rel)):
        return False
    return _listed_file(str(path), path.is_file(), path.is_symlink(), os.path.realpath(root))


def _listed_file(path: str, is_file: bool, is_link: bool, site: str) -> bool:
    """A file, or a symbolic link into the site ``site`` (a real path) to a file or to nothing."""
    if not is_link:
        return is_file
    return _inside(path, site) and (is_file or not os.path.lexists(os.path.realpath(path)) or _loops(path))


def link_problem(root: Path, path: Path) -> tuple[str, str] | None:
    """(message, hint) when the goals file ``path`` is a symbolic link okrsite does not read, None for
    any other file. A link may lead anywhere inside the site ``root`` (markdown_paths lists no other),
    but not to a hidden file or into a hidden folder (`../.git/config`, `../.env`: okrsite reads no
    hidden file, nor would a committed link show its reader what it publishes), nor to a file that is
    no Markdown file (`../okrsite.toml`): either would publish a file nobody wrote as a page."""
    if not path.is_symlink():
        return None
    target = os.path.realpath(path)
    leads = os.path.relpath(target, os.path.realpath(root)).replace(os.sep, "/")
    shown = f"{leads} (written {os.readlink(path)})"
    if hidden(leads):
        return (f"not read: the file is a symbolic link to the hidden {shown}; okrsite reads and publishes no hidden file or folder (one whose name starts with '.')",
                "delete the link, or point it at a Markdown file that is not hidden (ln -sfn PATH.md LINK)")
    if not listed_name(target):
        return (f"not read: the file is a symbolic link to {shown}, which is no Markdown file",
                "delete the link, or point it at a Markdown (.md) file inside the site (ln -sfn PATH.md LINK)")
    return None


def dangling_link(path: Path) -> bool:
    """Whether ``path`` is a symbolic link that leads to no file or folder."""
    return path.is_symlink() and not path.exists()


def _folders_of(rel: str) -> list[str]:
    parts = rel.split("/")[:-1]
    return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


def hidden(rel: str) -> bool:
    """A path with a file or folder whose name starts with '.' (.git/config, .vscode/, .DS_Store): never
    read from content/ nor published."""
    return any(part.startswith(".") for part in rel.split("/"))


def _inside(path: str, site: str) -> bool:
    """Whether the file a symbolic link leads to lies inside the site folder ``site`` (a real path)."""
    target = os.path.realpath(path)
    return os.path.commonpath([target, site]) == site


def _walk(folder: str, found: list[str], site: str, linked: list[str] | None = None) -> None:
    """Each folder's entries in name order, a folder's files where its name falls: the order of the
    paths' parts (a function of its own, not a closure: that would be a cycle holding every path found)."""
    try:
        with os.scandir(folder) as entries:
            named = sorted((entry.name, entry) for entry in entries if not entry.name.startswith("."))
    except OSError:
        return
    for name, entry in named:
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, found, site, linked)
        elif linked is not None and entry.is_symlink() and (_answers(entry.is_dir) or (_loops(entry.path) and not listed_name(name))):
            linked.append(entry.path)
        elif listed_name(name) and _listed_file(entry.path, _answers(entry.is_file), entry.is_symlink(), site):
            found.append(entry.path)


def _answers(test: Callable[[], bool]) -> bool:
    """A file's test of what it is, False for a link the system cannot follow (one in a loop: ELOOP)."""
    try:
        return test()
    except OSError:
        return False


@dataclass
class NewFiles:
    """Files written where none was, and the folders made for them (outermost first)."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def undo(self) -> None:
        """Take them back: the files, then each folder made for them that is empty again (deepest
        first), so a failed command leaves no half-written goals and no empty content/kpis/."""
        for path in reversed(self.files):
            path.unlink(missing_ok=True)
        for folder in reversed(self.folders):
            try:
                folder.rmdir()
            except OSError:  # not empty (something else is in it now), or never made
                pass


def write_new_files(texts: dict[Path, str]) -> NewFiles:
    """Write each text to its path, none of which may exist (FileExistsError): all of them, or
    (any OSError: a folder you may not write, a full disk) none, raising what stopped it."""
    written = NewFiles()
    try:
        for path, text in texts.items():
            missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
            written.folders.extend(reversed(missing))
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:
                written.files.append(path)  # before its text: a file written in part is taken back too
                handle.write(text)
    except BaseException:
        written.undo()
        raise
    return written


TEMPORARY = ".okrsite-"  # how okrsite's temporary files and folders beside the user's begin

_WHY = {  # errno: (what is wrong, how to fix it: {place} is the file or folder to change; None: go elsewhere)
    errno.EACCES: ("permission denied", "make {place} writable for you: {command}"),
    errno.EPERM: ("the operation is not permitted", "make {place} writable for you: {command}"),
    errno.EROFS: ("the file system is read-only", None),
    errno.ENOSPC: ("the disk is full", "free some space"),
    errno.EDQUOT: ("your disk quota is used up", "free some space"),
    errno.EEXIST: ("a file is in the way", "move {place} away"),
    errno.ENOTDIR: ("a file is where a folder must be", "move the file away"),
    errno.EISDIR: ("a folder is where a file must be", "move {place} away"),
    errno.ENOENT: ("no file or folder can be made there", None),
}


def write_problem(exc: OSError, elsewhere: str = "") -> tuple[str, str]:
    """(message, hint) for a file system's refusal to write: which file or folder, what is wrong and
    how to fix it; ``elsewhere`` is the command's other way out (e.g. "build elsewhere with -o DIR").
    A temporary file or folder of okrsite's is named by the folder it was to be made in."""
    where = Path(exc.filename) if exc.filename else None
    if where is not None and where.name.startswith(TEMPORARY):
        where = where.parent
    why, fix = _WHY.get(exc.errno, (exc.strerror or str(exc), "check the path and its permissions"))
    place = where if where is None or where.exists() else _nearest_existing(where)
    if fix is None:
        hint = elsewhere or "choose another place"
    else:
        hint = fix.format(place=place, command=command_line('chmod', 'u+w', place)) + (f", or {elsewhere}" if elsewhere else "")
    if where is None:
        return f"cannot write: {why}", hint
    return f"cannot write {'in ' * where.is_dir()}{where}: {why}", hint


def _nearest_existing(path: Path) -> Path:
    """The folder that refused a new file or folder: the nearest of ``path``'s that exists."""
    return next((folder for folder in path.parents if folder.exists()), path.parent)
