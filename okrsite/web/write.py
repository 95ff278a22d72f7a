"""Write: the finished site goes to a temporary folder beside OUT and replaces OUT only once complete.

A failed or killed build therefore leaves OUT as it was. okrsite marks the folders it creates and
never deletes one without the mark. A file the build cache found unchanged comes from the previous
OUT: hard-linked into the new folder where the file system allows it, copied otherwise.

The output a build replaces is kept beside OUT as the *spare* (``.okrsite-spare-<name>``), and the next
build brings that folder up to date instead of making thousands of folders anew: most of its files
are already the very files (hard links) the next build keeps. Nothing in it is trusted: every entry
is listed, a file stays only when it is the very file (inode) the build would hard-link there, every
file with new content is written as a new file (never into an existing one: the spare's files are
shared with OUT), and whatever the build does not write is removed before ``finish`` runs. Listing
every folder is spared where the build cache holds the spare's ``Listing``: a folder that is still the
very folder (inode and modification time) the build that wrote it left has the entries it left.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import stat as filetype
import subprocess
import sys
import time
import uuid
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

from ..goals.diagnostics import command_line
from ..goals.files import file_key, looping_link
from .lock import folder_lock, in_use

MARKER = ".okrsite-output"
_TEMP_PREFIX = ".okrsite-tmp-"
_OLD_PREFIX = ".okrsite-old-"
SPARE_PREFIX = ".okrsite-spare-"
_OKRSITE_FOLDERS = (_TEMP_PREFIX, _OLD_PREFIX, SPARE_PREFIX)
BACKGROUND_FROM = 2000  # files: a replaced output this large is removed in the background
_SPARE_LABELS = {  # what the spare holds besides the site: git and backup tools leave it alone
    ".gitignore": "# the output an earlier okrsite build replaced, kept to make the next build's folder from\n*\n",
    "CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n# okrsite's spare output folder (https://bford.info/cachedir/)\n",
}


class OutputError(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


class _Undeletable(OutputError):
    """An entry of the spare that cannot be removed: the spare is given up, not kept for the next build."""


def check_output(out: Path, site_root: Path, cache: Path | None = None) -> None:
    """Refuse an OUT that would overwrite the goals themselves, okrsite's build ``cache`` (a folder it
    made, so said before "not made by okrsite") or a folder okrsite did not create."""
    loop = looping_link(out)
    if loop is not None:
        where = "is a link that leads to itself" if loop == out else f"lies below {loop}, a link that leads to itself"
        raise OutputError(f"the output path {out} {where}", f"remove the link ({command_line('rm', loop)}) or choose another folder, e.g. -o site")
    out, root = out.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputError(f"the output folder {out} is or contains the site", "choose a folder inside the site, e.g. -o site")
    if out.is_relative_to(root / "content"):
        raise OutputError(f"the output folder {out} is inside content/", "okrsite never writes into content/: choose e.g. -o site")
    if out.is_relative_to(root / "theme"):
        raise OutputError(f"the output folder {out} is inside theme/",
                          "every build copies theme/static/ into the site, so the site would copy itself: choose e.g. -o site")
    if ".git" in out.parts:
        raise OutputError(f"the output folder {out} is inside a git repository's own folder (.git)",
                          "git keeps its history there, and a build replaces the whole folder: choose e.g. -o site")
    if cache is not None and (out.is_relative_to(cache.resolve()) or cache.resolve().is_relative_to(out)):
        raise OutputError(f"the output folder {out} is or holds okrsite's build cache {cache.name}/", "choose another folder, e.g. -o site")
    enclosing = next((folder for folder in out.parents if _ours(folder)), None)
    if enclosing is not None:
        raise OutputError(f"the output folder {out} is inside {enclosing}, {another_output(enclosing)}: this site would be published with it",
                          f"build it outside, e.g. -o {beside(enclosing, out.name)}")
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {out} is a file", "choose a folder, e.g. -o site")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise OutputError(
            f"the output folder {out} was not made by okrsite and is not empty",
            "okrsite only replaces folders it created: choose another folder or empty this one",
        )
    if out.is_dir() and os.path.lexists(out / ".git"):
        raise OutputError(f"the output folder {out} holds a git repository (.git), which okrsite did not write: a build replaces the whole folder",
                          "keep the clone of the branch you publish elsewhere and copy the site into it after each build, "
                          "deleting the pages the new site no longer has but not the clone's .git "
                          "(rsync -a --delete --exclude .git site/ ../pages/), or move .git out of this folder")


def another_output(folder: Path) -> str:
    """How a message names ``folder``, an output okrsite wrote (or is writing), with its audience."""
    audience = audience_of(folder)
    return f"another okrsite build's output ({audience})" if audience else "another okrsite build's output"


def beside(folder: Path, name: str) -> str:
    """The path (from the working folder where it can be) of a folder ``name`` beside ``folder``."""
    try:
        return os.path.relpath(folder.parent / name)
    except ValueError:  # another drive
        return str(folder.parent / name)


def nested_outputs(found: Iterable[str]) -> list[str]:
    """The folders among the files of OUT that okrsite did not write (``found``, by their paths in it)
    that another okrsite build wrote or is writing: each that holds okrsite's marker, at any depth, and
    each of okrsite's spare and temporary folders; only the outermost where they are inside one another.
    A build never carries one into its output: it would be published with it (an internal site inside
    a public one)."""
    folders = set()
    for path in found:
        parts = path.split("/")  # an empty folder's path ends in "/": its last part is ""
        at = [n for n, part in enumerate(parts[:-1]) if part.startswith(_OKRSITE_FOLDERS)]
        at += [len(parts) - 2] if parts[-1] == MARKER and len(parts) > 1 else []
        if at:
            folders.add("/".join(parts[:min(at) + 1]))
    return [folder for folder in sorted(folders) if not any(folder.startswith(f"{other}/") for other in folders)]


def output_name(folder: str) -> str:
    """The name of the output folder an okrsite folder is of: its own, or the one its spare or
    temporary name is made from (``.okrsite-spare-internal``: internal)."""
    name = folder.rpartition("/")[2]
    made = re.fullmatch(f"(?:{'|'.join(map(re.escape, _OKRSITE_FOLDERS))})(.+?)(?:-[0-9a-f]{{8}})?", name)
    return made.group(1) if made else name


_KEPT = "kept as they were, not written by okrsite:\n"
_WRITTEN = "written by okrsite:\n"


def marker_text(audience: str | None, kept: Iterable[str] | None = None, written: Iterable[str] = ()) -> str:
    """What the marker of a folder okrsite writes says: that okrsite made it, for which audience, and
    once the folder is complete (``kept`` given), the files in it that okrsite did not write and those
    it did: so that any later build, with the build cache or without, tells a file put into the folder
    by hand from its own."""
    text = "This folder is written by okrsite; it is replaced on every build.\n" + (f"audience: {audience}\n" if audience else "")
    if kept is None:
        return text
    return text + _KEPT + "".join(f"{_line(path)}\n" for path in kept) + _WRITTEN + "".join(f"{_line(path)}\n" for path in written)


def _line(path: str) -> str:
    """A path as one line of the marker, whatever its name holds (a line break, a byte that is not
    UTF-8): escaped as Python writes a string, which plain names are already."""
    return path.encode("unicode_escape").decode("ascii")


def _paths(lines: str) -> list[str]:
    """The paths of the marker's lines (see _line); a line that is no escaped path is left out."""
    found = []
    for line in lines.split("\n"):
        try:
            found.append(line.encode("ascii").decode("unicode_escape"))
        except (UnicodeError, ValueError):
            continue
    return [path for path in found if path]


def _marker(folder: Path) -> str | None:
    try:
        return (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def audience_of(folder: Path) -> str | None:
    """The audience the marker of ``folder`` names (None: none, or no marker to read)."""
    text = _marker(folder)
    found = re.search(r"^audience: (\S+)$", text.partition(_KEPT)[0], re.MULTILINE) if text is not None else None
    return found.group(1) if found else None


def kept_files(folder: Path) -> list[str]:
    """The files the build that wrote ``folder`` kept in it as they were (not okrsite's), by their paths in it."""
    text = _marker(folder)
    head, listed, rest = (text or "").partition(_KEPT)
    return _paths(rest.partition(_WRITTEN)[0]) if listed else []


def _written_files(folder: Path) -> set[str] | None:
    """The files the build that wrote ``folder`` wrote, as its marker lists them; None for a marker
    that lists none (an older okrsite's, or one copied in without its folder's files)."""
    rest = (_marker(folder) or "").partition(_KEPT)[2]
    kept, listed, written = rest.partition(_WRITTEN)
    return set(_paths(written)) if listed else None


def spare_of(out: Path) -> Path:
    """Where the output a build replaced waits to become the next build's folder."""
    return out.parent / f"{SPARE_PREFIX}{out.name}"


def _leftovers(out: Path) -> Iterable[Path]:
    """Temporary folders of earlier killed builds of the same OUT (not of another OUT whose name starts alike)."""
    for prefix in (_TEMP_PREFIX, _OLD_PREFIX):
        named = re.compile(re.escape(f"{prefix}{out.name}-") + "[0-9a-f]{8}")
        yield from (path for path in out.parent.glob(f"{prefix}{glob.escape(out.name)}-*") if named.fullmatch(path.name))


def _ours(folder: Path) -> bool:
    """A folder okrsite made: a real folder (not a link to one) that holds the marker."""
    try:
        return filetype.S_ISDIR(os.lstat(folder).st_mode) and filetype.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


Stat = tuple[int, int, int]  # (inode, size, modification time in ns): how the build cache knows a file again
Earlier = tuple[Path, Stat]  # a file of the previous build, with the Stat the build cache found it with


def stat_of(path: Path | str) -> Stat:
    found = os.lstat(path)
    return found.st_ino, found.st_size, found.st_mtime_ns


def content_digest(pieces: Iterable[bytes]) -> bytes:
    """What a file holds, in 16 bytes: how a build knows an output file again that is not the very file
    it wrote (restored by a CI job's cache: another inode, another time)."""
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
    return digest.digest()[:16]


def found_again(path: str, stat: Stat, content: bytes | None) -> Stat | None:
    """The Stat of the output file at ``path`` when it is the file a build wrote with ``stat`` and
    ``content``: the very file (same inode, size and time), else a regular file (never a link) of the same
    size whose bytes have that digest, read and compared (a CI job that restores OUT from its cache
    restores every file anew). None for anything else."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    now = (found.st_ino, found.st_size, found.st_mtime_ns)
    if now == tuple(stat):
        return now
    if content is None or not filetype.S_ISREG(found.st_mode) or found.st_size != stat[1]:
        return None
    try:
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb") as file:
            same = content_digest(iter(lambda: file.read(1 << 20), b"")) == content
    except OSError:
        return None
    return now if same else None


RACY_NS = 2_000_000_000  # a folder changed this close to being looked at is listed again by the next build that uses it


class Listing(tuple):
    """What a build left in its folder, for the build that makes its folder from it once it is the spare:
    (top, folders, files, seen): the top folder's (device, inode); each folder below it by path, with
    its (inode, modification time); each file's Stat; when they were looked at (ns). Only for a folder
    that holds nothing but what the build wrote (no ``finish``: Pagefind writes into it). Plain
    values, as the build cache keeps them."""

    __slots__ = ()

    def children(self) -> dict[str, tuple[list[str], list[str]]]:
        """The files and the folders directly in each folder."""
        _, folders, files, _ = self
        children: dict[str, tuple[list[str], list[str]]] = {rel: ([], []) for rel in folders}
        children[""] = ([], [])
        for path in files:
            children[path.rpartition("/")[0]][0].append(path)
        for rel in folders:
            if rel:
                children[rel.rpartition("/")[0]][1].append(rel)
        return children


class Written(dict):
    """The paths a build wrote, each with its Stat; ``listing``, what it left in the folder (or None);
    ``contents``, the content_digest of each file it wrote anew (not of one kept from the last build)."""

    listing: Listing | None = None
    contents: dict[str, bytes] = {}
    marker: Stat | None = None  # the Stat of the marker it wrote: OUT is this build's folder while the marker is that file
    kept: list[str] = []  # the files of the replaced OUT that okrsite did not write, kept as they were


UNNOTED = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".nojekyll"})  # left by a desktop, or made again by the publishing step after each build


class Strays(list):
    """The files in OUT that okrsite did not write, by their paths in it (strays). ``sure`` is False
    where OUT's marker lists nothing (written by an okrsite before the list): every file of OUT is
    among them then, and those this build writes are written anew, not kept (none is refused)."""

    sure = True


def strays(out: Path, files: set[str], folders: dict[str, int], marker: Stat | None) -> Strays:
    """The files in OUT that the build that wrote it did not write (a CNAME, a PDF put there by hand or
    by a CI step). While OUT is the very folder the build cache knows (its ``marker``; ``files`` and
    ``folders`` are what that build wrote), they are looked for only in the folders whose modification
    time is no longer the one that build left (adding a file changes its folder's time), with those it
    kept, less what its marker lists as okrsite's (a Pagefind bundle, made after the pages); else every
    file of OUT is held against that list (_unlisted)."""
    if marker is None or found_again(str(out / MARKER), marker, None) is None:
        return _unlisted(out)
    found = []
    for folder, mtime in folders.items():
        here = _folder_stat(f"{out}/{folder}" if folder else str(out))
        if here is None or here[1] == mtime:
            continue
        prefix = f"{folder}/" if folder else ""
        try:
            with os.scandir(f"{out}/{folder}") as entries:
                for entry in entries:
                    path = prefix + entry.name
                    if path not in files and path not in folders and path != MARKER and entry.name not in UNNOTED:
                        found.extend(_all_files(entry.path, path) if entry.is_dir(follow_symlinks=False) else [path])
        except OSError:
            continue
    found += [path for path in kept_files(out) if os.path.lexists(f"{out}/{path}")]
    if found:
        written = _written_files(out) or set()
        found = [path for path in found if path not in written]
    return Strays(sorted(set(found)))


def _unlisted(out: Path) -> Strays:
    """The files in OUT that its marker does not list as okrsite's (OUT built without the build cache,
    or last built by another build than the cache's last, or a marker copied in alone): every file is
    looked at. Where the marker lists nothing (an older okrsite's), every file, not ``sure``; none
    where OUT is not okrsite's."""
    if not _ours(out):
        return Strays()
    written = _written_files(out)
    every = [path for path in _files_in(str(out), empty=True) if path != MARKER and path.rpartition("/")[2] not in UNNOTED]
    if written is None:
        found = Strays(sorted(every))
        found.sure = False
        return found
    holding = {path[:at + 1] for path in written for at in range(len(path)) if path[at] == "/"}
    return Strays(sorted(path for path in every if path not in written and path not in holding))


def _all_files(folder: str, path: str) -> list[str]:
    """Every file (or link) under ``folder``, by its path from OUT; an empty folder by its own."""
    return [f"{path}/{inside}" for inside in _files_in(folder)] or [f"{path}/"]


def _files_in(root: str, empty: bool = False) -> list[str]:
    """Every file (or link) in the folder, by its path in it; with ``empty``, each empty folder too
    (its path ending in "/")."""
    found = []
    for parent, subfolders, names in os.walk(root):
        inside = os.path.relpath(parent, root).replace(os.sep, "/")
        prefix = "" if inside == "." else f"{inside}/"
        found += [prefix + name for name in names + [sub for sub in subfolders if os.path.islink(os.path.join(parent, sub))]]
        if empty and prefix and not names and not subfolders:
            found.append(prefix)
    return found


def write_site(out: Path, files: Iterable[tuple[str, bytes | Earlier | Iterator[bytes]]], site_root: Path,
               finish: Callable[[Path], None] | None = None, reuse: bool = True, listing: Listing | None = None,
               audience: str | None = None, keep: Iterable[str] = (), reserved: Iterable[str] = ()) -> Written:
    """Write every (relative path, bytes or an iterator of its pieces) file as the new OUT, or for (relative path, Earlier) the file
    of the previous build kept as it is; returns the paths written, each with its Stat (a hard link's
    is the file's it links: not asked of the file system again). ``finish`` works on the complete
    folder before it replaces OUT (Pagefind indexes it there). With ``reuse`` the spare, if there is
    one, becomes the new folder; without, the folder is made anew (a build without the cache). ``listing``
    is the ``Listing`` the build that wrote the spare left (see _entries); the result's ``listing`` is
    this build's, for the build that will make its folder from this one. The marker names the
    ``audience`` the folder is built for: an OUT built for another one (or for an unknown one) is
    removed once replaced, never kept as the spare (a public site's spare must not be an internal site).
    ``keep``: the files of OUT that okrsite did not write (``Strays``), carried into the new folder as
    they are: a build never removes a file it did not write. ``reserved``: the folders ``finish`` writes
    (pagefind/), where no such file may be."""
    out = out.resolve()
    check_output(out, site_root)
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in _leftovers(out):
        if (stale / MARKER).exists() and not in_use(stale):
            shutil.rmtree(stale, ignore_errors=True)
    spare = spare_of(out)
    temp = out.parent / f"{_TEMP_PREFIX}{out.name}-{uuid.uuid4().hex[:8]}"
    folder = (reuse and _Folder.from_spare(spare, temp, listing, audience)) or _Folder.new(temp, audience)
    with folder_lock(temp):
        try:
            for relpath, data in files:
                folder.put(relpath, data)
            sure = getattr(keep, "sure", True)
            kept = [path for path in keep if folder.carry(out, path, sure, tuple(reserved))]
            folder.prune()
            folder.keep_modes(out)
            if finish is not None:
                finish(temp)
            folder.seal(kept, _files_in(str(temp)) if finish is not None else folder.stats)
            written = Written(folder.stats)
            written.listing = folder.listing() if finish is None else None
            written.contents = folder.contents
            written.marker = folder.marker
            written.kept = kept
            _swap(temp, out, spare, large=len(folder.stats) >= BACKGROUND_FROM, audience=audience)
        except BaseException as exc:
            _after_failure(temp, spare, keep=not isinstance(exc, (OSError, _Undeletable)))
            raise
        return written


class _Folder:
    """The folder a build writes: new and empty, or the spare with every entry it holds (``found``: by
    file key, its path and whether it is a real folder; ``twins``: more entries of one key, only where
    names differ in case on a file system that tells them apart). An entry is gone from both once this
    build has written or removed it, so what is left at the end is what the build does not have."""

    def __init__(self, root: Path, found: dict[str, Entry], twins: dict[str, list[Entry]],
                 known: dict[str, Stat] | None = None, trusted: dict[str, tuple[int, int]] | None = None, audience: str | None = None) -> None:
        self.root, self.found, self.twins = str(root), found, twins
        self.known, self.trusted = known or {}, trusted or {}  # see _entries
        self.changed: set[str] = set()  # the folders whose entries this build changed
        self.ready = {""}  # the folders this build has made sure of
        self.written: dict[str, str] = {}
        self.stats: dict[str, Stat] = {}
        self.contents: dict[str, bytes] = {}
        self.audience = audience
        self.modes: dict[str, int] = {}  # the folders made for kept files: their permissions in OUT
        if self._claim(MARKER, file_key(MARKER), folder=False):
            os.unlink(f"{self.root}/{MARKER}")
        self._mark(marker_text(audience))

    def _mark(self, text: str) -> None:
        with open(f"{self.root}/{MARKER}", "x", encoding="utf-8") as file:
            file.write(text)
        self.marker = stat_of(f"{self.root}/{MARKER}")

    def seal(self, kept: list[str], files: Iterable[str]) -> None:
        """The complete folder's marker: the files it keeps that okrsite did not write, and every other
        one (``files``), which okrsite wrote."""
        os.unlink(f"{self.root}/{MARKER}")
        self._mark(marker_text(self.audience, kept, sorted(path for path in files if path != MARKER and path not in kept)))

    @classmethod
    def new(cls, temp: Path, audience: str | None = None) -> _Folder:
        temp.mkdir()
        return cls(temp, {}, {}, audience=audience)

    @classmethod
    def from_spare(cls, spare: Path, temp: Path, listing: Listing | None = None, audience: str | None = None) -> _Folder | None:
        """The spare under the temporary name (so a killed build leaves only a temporary folder, which
        the next build removes), with what it holds; None if there is none or it cannot be used."""
        if not _ours(spare):
            return None
        try:
            spare.rename(temp)
        except OSError:
            return None
        try:
            try:
                return cls(temp, *_entries(str(temp), listing), audience=audience)
            except (KeyError, TypeError, ValueError):  # a listing not of this folder's shape: every entry listed
                return cls(temp, *_entries(str(temp)), audience=audience)
        except OSError:
            _discard(temp, spare.name.removeprefix(SPARE_PREFIX), in_background=True)
            return None

    def put(self, relpath: str, data: bytes | Earlier | Iterator[bytes]) -> None:
        rel = _inside(relpath)
        key = file_key(relpath)
        if key in self.written:
            raise OutputError(f"refusing to write {relpath!r} over {self.written[key]!r}, written earlier in this build", "report this as a bug: the write plan should have caught it")
        self.written[key] = relpath
        folder = rel.rpartition("/")[0]
        if folder not in self.ready:
            self._folder(folder)
        target = f"{self.root}/{rel}"
        there = self._claim(rel, key if rel is relpath else file_key(rel), folder=False)
        if isinstance(data, tuple):
            earlier, stat = data
            if there and (self.known.get(rel) == tuple(stat) or stat_of(target) == tuple(stat)):  # the very file of the previous build
                self.stats[relpath] = stat
                return
            self.changed.add(folder)
            if there:
                os.unlink(target)
            self.stats[relpath] = stat if _keep(earlier, target) else stat_of(target)
            return
        self.changed.add(folder)
        if there:
            os.unlink(target)
        with open(target, "xb") as file:  # a new file: never written into one the spare shares with OUT
            pieces = (data,) if isinstance(data, bytes) else data
            self.contents[relpath] = content_digest(_written(file, pieces))
        self.stats[relpath] = stat_of(target)

    def carry(self, out: Path, rel: str, sure: bool = True, reserved: tuple[str, ...] = ()) -> bool:
        """Whether a file of ``out`` that okrsite did not write (``rel``; an empty folder ending in "/")
        is in the new folder as it is: a hard link where the file system allows, else a copy; a link as
        a link. Refused where this build writes a page or a folder at its place, or in a ``reserved``
        folder: a file of the user's is never written over (an empty folder there holds nothing to
        lose, and a file not ``sure`` to be the user's is okrsite's own: not kept)."""
        path = rel.rstrip("/")
        parts = path.split("/")
        taken = next((self.written[file_key(at)] for at in ("/".join(parts[:n]) for n in range(1, len(parts) + 1)) if file_key(at) in self.written), None)
        taken = taken or next((f"{folder}/" for folder in reserved if path == folder or path.startswith(f"{folder}/")), None)
        if (rel.endswith("/") or not sure) and (taken is not None or path in self.ready):
            return False
        if taken is not None or path in self.ready:
            raise OutputError(f"{out}/{rel}: not written by okrsite, and this build writes {taken or path + '/'} at its place",
                              f"move it out of {out}/ and build again; put files to publish with the site in theme/static/")
        if rel.endswith("/"):
            self._kept_folder(out, path)
            return True
        folder = path.rpartition("/")[0]
        if folder not in self.ready:
            self._kept_folder(out, folder)
        if self._claim(path, file_key(path), folder=False):
            os.unlink(f"{self.root}/{path}")
        source, target = f"{out}/{path}", f"{self.root}/{path}"
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            if os.path.islink(source):
                os.symlink(os.readlink(source), target)
            else:
                shutil.copy2(source, target)
        self.changed.add(folder)
        return True

    def _kept_folder(self, out: Path, rel: str) -> None:
        """The folders on the way to a kept file, those this build made for it remembered with the
        permissions they had in ``out`` (keep_modes)."""
        parts = rel.split("/")
        made = ["/".join(parts[:n]) for n in range(1, len(parts) + 1) if "/".join(parts[:n]) not in self.ready]
        self._folder(rel)
        for folder in made:
            try:
                self.modes[folder] = filetype.S_IMODE(os.stat(f"{out}/{folder}").st_mode)
            except OSError:
                pass

    def keep_modes(self, out: Path) -> None:
        """The kept folders' permissions as they were in ``out`` (a `chmod 700` folder of one's own stays
        700), always with the owner's, which the next build needs to make its folder from this one."""
        for folder, mode in sorted(self.modes.items(), reverse=True):
            try:
                os.chmod(f"{self.root}/{folder}", mode | 0o700)
            except OSError:
                pass

    def _folder(self, rel: str) -> None:
        """Every folder on the way made sure of, from the top: a file or link in the spare where a
        folder belongs is removed, so nothing is ever written through a link."""
        parent = rel.rpartition("/")[0]
        if parent not in self.ready:
            self._folder(parent)
        if not self._claim(rel, file_key(rel), folder=True):
            os.mkdir(f"{self.root}/{rel}")
            self.changed.update((rel, parent))
        self.ready.add(rel)

    def _claim(self, rel: str, key: str, folder: bool) -> bool:
        """Whether the spare has a real ``folder`` (else a file or link) at exactly ``rel``; anything
        else it has under that name (another kind, or the name in another case) is removed."""
        entry = self.found.pop(key, None)
        if entry is None:
            return False
        there = False
        for path, is_folder in [entry, *self.twins.pop(key, ())] if self.twins else [entry]:
            if path == rel and is_folder == folder:
                there = True
            else:
                self._remove(path, is_folder)
        return there

    def prune(self) -> None:
        """Remove what the spare holds and this build does not write (a stale pagefind/ index too)."""
        for path, is_folder in [*self.found.values(), *(twin for twins in self.twins.values() for twin in twins)]:
            self._remove(path, is_folder)
        self.found, self.twins = {}, {}

    def _remove(self, path: str, is_folder: bool) -> None:
        _delete(f"{self.root}/{path}", is_folder)
        self.changed.add(path.rpartition("/")[0])

    def listing(self) -> Listing | None:
        """What this build leaves in the folder (complete: nothing but what it wrote is left in it):
        a folder whose entries it did not change is as the spare's listing had it, every other one is
        looked at now (after the last change: the time is taken first)."""
        seen = time.time_ns()
        try:
            top = os.lstat(self.root)
            folders = {rel: self.trusted[rel] if rel in self.trusted and rel not in self.changed else _folder_stat(f"{self.root}/{rel}")
                       for rel in self.ready if rel}
        except OSError:
            return None
        return Listing(((top.st_dev, top.st_ino), folders, dict(self.stats), seen))


Entry = tuple[str, bool]  # an entry of the spare: its path in it, and whether it is a real folder (not a link)


def _written(file, pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Each piece, once written to ``file``."""
    for piece in pieces:
        file.write(piece)
        yield piece


def _inside(relpath: str) -> str:
    """The path as the folder writes it, refused if it would leave the folder (every folder on the way
    is made sure of, and the folder holds no links: this is enough)."""
    parts = relpath.split("/")
    if "" not in parts and "." not in parts and ".." not in parts:
        return relpath
    parts = PurePosixPath(relpath).parts
    if not parts or parts[0] == "/" or ".." in parts:
        raise OutputError(f"refusing to write {relpath!r} outside the output folder", "report this as a bug")
    return "/".join(parts)


def _entries(root: str, listing: Listing | None = None) -> tuple[dict[str, Entry], dict[str, list[Entry]], dict[str, Stat], dict[str, tuple[int, int]]]:
    """Every entry in the folder by file key, and the twins (see _Folder). With the ``listing`` of the
    build that wrote the folder, a folder below the top that is still the very folder it left (same
    inode and modification time, changed more than RACY_NS before that build looked) has the entries
    it left: it is not listed again, and its files are the very files that build saw (``known``, by
    their Stat), since replacing, adding or removing an entry changes the folder's time. Those
    folders are ``trusted``. The top folder is always listed (the spare's labels go there)."""
    found: dict[str, Entry] = {}
    twins: dict[str, list[Entry]] = {}
    known: dict[str, Stat] = {}
    trusted: dict[str, tuple[int, int]] = {}

    def add(path: str, folder: bool) -> None:
        key = file_key(path)
        if key in found:
            twins.setdefault(key, []).append((path, folder))
        else:
            found[key] = (path, folder)
        if folder:
            stack.append(path)

    folders, files, children, settled = _usable(root, listing)
    stack = [""]
    while stack:
        rel = stack.pop()
        was = folders.get(rel)
        if was is not None and was[1] < settled and _folder_stat(f"{root}/{rel}") == was:
            trusted[rel] = was
            names, below = children[rel]
            for path in names:
                add(path, False)
                known[path] = tuple(files[path])
            for path in below:
                add(path, True)
            continue
        prefix = f"{rel}/" if rel else ""
        with os.scandir(f"{root}/{rel}") as listing_now:
            for entry in listing_now:
                add(prefix + entry.name, entry.is_dir(follow_symlinks=False))
    return found, twins, known, trusted


def _usable(root: str, listing: Listing | None) -> tuple[dict, dict, dict, int]:
    """The listing's folders, files, children and the time before which a folder's change is settled,
    if it is of this very top folder (same device and inode); else nothing to trust."""
    if listing is None:
        return {}, {}, {}, 0
    try:
        top, folders, files, seen = listing
        here = os.lstat(root)
        if (here.st_dev, here.st_ino) != tuple(top):
            return {}, {}, {}, 0
        return folders, files, listing.children(), seen - RACY_NS
    except (OSError, TypeError, ValueError):
        return {}, {}, {}, 0


def _folder_stat(path: str) -> tuple[int, int] | None:
    """A real folder's (inode, modification time); None for anything else or nothing."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return (found.st_ino, found.st_mtime_ns) if filetype.S_ISDIR(found.st_mode) else None


def _delete(path: str, folder: bool) -> None:
    try:
        shutil.rmtree(path) if folder else os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):  # inside a folder removed or replaced before
        pass
    except OSError as exc:
        raise _Undeletable(f"cannot remove {path} from the output folder okrsite is writing ({exc.strerror or exc})",
                           "okrsite may not delete it (check its permissions); the next build makes a new folder") from None


def _keep(earlier: Path, target: str) -> bool:
    """A file of the previous build in the new folder: a hard link (True), else a copy."""
    try:
        os.link(earlier, target)
        return True
    except OSError:
        try:
            shutil.copyfile(earlier, target)
            return False
        except OSError as exc:
            raise OutputError(f"the file {earlier} of the previous build went missing during this build ({exc.strerror or exc})",
                              "build again; nothing else may write into the output folder") from None


def why_removed(out: Path, audience: str | None) -> str | None:
    """Why the OUT a build for ``audience`` replaces will be removed, not kept as the spare (see _swap);
    None when it is kept."""
    return _not_kept(out, spare_of(out.resolve()), audience, spare_goes=True)


def _not_kept(out: Path, spare: Path, audience: str | None, spare_goes: bool = False) -> str | None:
    """Why ``out`` cannot become the spare (None: it can): the place is taken by something not
    okrsite's (``spare_goes``: okrsite's spare there is removed first), it holds no marker, or it
    was built for another audience than this build's (a public site's spare must not be an internal site)."""
    if os.path.lexists(spare) and not (spare_goes and _ours(spare)):
        return f"{spare} is not okrsite's, so the folder cannot become the spare"
    if not (out / MARKER).exists():
        return "it holds no marker of okrsite's"
    if audience_of(out) != audience:
        return f"it was built for another audience than {audience}, so it is not kept as the spare"
    return None


def _swap(temp: Path, out: Path, spare: Path, large: bool, audience: str | None = None) -> None:
    """The complete folder becomes OUT; the replaced OUT becomes the spare (an earlier spare this build
    did not use is removed), or is removed: where that place is taken by something not okrsite's, or
    when it was built for another ``audience`` than this build's (or one its marker does not name)."""
    if not os.path.lexists(out):
        temp.rename(out)
        return
    _same_mode(temp, out)
    if _ours(spare):
        _discard(spare, out.name, large)
    if _not_kept(out, spare, audience):
        old = out.parent / f"{_OLD_PREFIX}{out.name}-{uuid.uuid4().hex[:8]}"
        out.rename(old)
        _replace(temp, out, old)
        if (old / MARKER).exists():
            _remove(old, large)
        else:
            old.rmdir()  # an empty folder okrsite did not create: nothing to lose
        return
    out.rename(spare)
    _replace(temp, out, spare)
    _label(spare)


def _same_mode(temp: Path, out: Path) -> None:
    """The new folder gets the permissions of the OUT it replaces (a `chmod 2750 site` to keep an internal
    site from other users of a shared host holds through every build)."""
    try:
        os.chmod(temp, filetype.S_IMODE(os.stat(out).st_mode))
    except OSError:
        pass


def _replace(temp: Path, out: Path, moved: Path) -> None:
    try:
        temp.rename(out)
    except BaseException:
        moved.rename(out)  # the previous output back in its place
        raise


def _label(spare: Path) -> None:
    for name, text in _SPARE_LABELS.items():
        try:
            (spare / name).unlink(missing_ok=True)  # a site file of that name may be OUT's too: replaced, never written into
            with open(spare / name, "x", encoding="utf-8") as file:
                file.write(text)
        except OSError:
            pass


def _after_failure(temp: Path, spare: Path, keep: bool) -> None:
    """A failed build's folder: the spare for the next build (it trusts nothing in it), unless the place
    is taken or the folder could not be written as it should; then it is removed."""
    if not os.path.lexists(temp):
        return
    if keep and not os.path.lexists(spare):
        try:
            temp.rename(spare)
            _label(spare)
            return
        except OSError:
            pass
    shutil.rmtree(temp, ignore_errors=True)


def _discard(folder: Path, out_name: str, in_background: bool) -> None:
    """okrsite's folder out of the way at once (renamed as a leftover of OUT, which the next build
    removes if this removal is stopped), then removed."""
    old = folder.parent / f"{_OLD_PREFIX}{out_name}-{uuid.uuid4().hex[:8]}"
    try:
        folder.rename(old)
    except OSError:
        return
    _remove(old, in_background)


def _remove(old: Path, in_background: bool) -> None:
    """The replaced output, removed; a large one by a process of its own that the build does not wait
    for (thousands of folders take seconds to remove). If that is stopped, the next build removes it."""
    if in_background:
        try:
            subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(old)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)
