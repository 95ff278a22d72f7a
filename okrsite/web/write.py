"""Write: the finished site goes to a temporary folder beside OUT and replaces OUT only once complete.

A failed or killed build therefore leaves OUT as it was. okrsite marks the folders it creates and
never deletes one without the mark. A file the build cache found unchanged comes from the previous
OUT: hard-linked into the new folder where the file system allows it, copied otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .plan import file_key

MARKER = ".okrsite-output"
_TEMP_PREFIX = ".okrsite-tmp-"
_OLD_PREFIX = ".okrsite-old-"
BACKGROUND_FROM = 2000  # files: a replaced output this large is removed in the background


class OutputError(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def check_output(out: Path, site_root: Path) -> None:
    """Refuse an OUT that would overwrite the goals themselves or a folder okrsite did not create."""
    out, root = out.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputError(f"the output folder {out} is or contains the site", "choose a folder inside the site, e.g. -o site")
    if out.is_relative_to(root / "content"):
        raise OutputError(f"the output folder {out} is inside content/", "okrsite never writes into content/: choose e.g. -o site")
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {out} is a file", "choose a folder, e.g. -o site")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise OutputError(
            f"the output folder {out} was not made by okrsite and is not empty",
            "okrsite only replaces folders it created: choose another folder or empty this one",
        )


def _leftovers(out: Path) -> Iterable[Path]:
    """Temporary folders of earlier killed builds of the same OUT."""
    for prefix in (_TEMP_PREFIX, _OLD_PREFIX):
        yield from out.parent.glob(f"{prefix}{out.name}-*")


Stat = tuple[int, int, int]  # (inode, size, modification time in ns): how the build cache knows a file again
Earlier = tuple[Path, Stat]  # a file of the previous build, with the Stat the build cache found it with


def stat_of(path: Path | str) -> Stat:
    found = os.lstat(path)
    return found.st_ino, found.st_size, found.st_mtime_ns


def write_site(out: Path, files: Iterable[tuple[str, bytes | Earlier]], site_root: Path,
               finish: Callable[[Path], None] | None = None) -> dict[str, Stat]:
    """Write every (relative path, bytes) file as the new OUT, or for (relative path, Earlier) the file
    of the previous build kept as it is; returns the paths written, each with its Stat (a hard link's
    is the file's it links: not asked of the file system again). ``finish`` works on the complete
    folder before it replaces OUT (Pagefind indexes it there)."""
    out = out.resolve()
    check_output(out, site_root)
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in _leftovers(out):
        if (stale / MARKER).exists():
            shutil.rmtree(stale, ignore_errors=True)
    temp = out.parent / f"{_TEMP_PREFIX}{out.name}-{uuid.uuid4().hex[:8]}"
    temp.mkdir()
    (temp / MARKER).write_text("This folder is written by okrsite; it is replaced on every build.\n")
    written: dict[str, str] = {}
    stats: dict[str, Stat] = {}
    try:
        made = {str(temp)}
        for relpath, data in files:
            parts = PurePosixPath(relpath).parts
            if not parts or parts[0] == "/" or ".." in parts:  # the folder is new and holds no links: this is enough
                raise OutputError(f"refusing to write {relpath!r} outside the output folder", "report this as a bug")
            target = os.path.join(temp, *parts)
            key = file_key(relpath)
            if key in written:
                raise OutputError(f"refusing to write {relpath!r} over {written[key]!r}, written earlier in this build", "report this as a bug: the write plan should have caught it")
            written[key] = relpath
            folder = os.path.dirname(target)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            if isinstance(data, tuple):
                earlier, stat = data
                stats[relpath] = stat if _keep(earlier, target) else stat_of(target)
                continue
            with open(target, "wb") as file:
                file.write(data)
            stats[relpath] = stat_of(target)
        if finish is not None:
            finish(temp)
        _swap(temp, out, in_background=len(stats) >= BACKGROUND_FROM)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return stats


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


def _swap(temp: Path, out: Path, in_background: bool = False) -> None:
    if not out.exists():
        temp.rename(out)
        return
    old = out.parent / f"{_OLD_PREFIX}{out.name}-{uuid.uuid4().hex[:8]}"
    out.rename(old)
    temp.rename(out)
    if (old / MARKER).exists():
        _remove(old, in_background)
    else:
        old.rmdir()  # an empty folder okrsite did not create: nothing to lose


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
