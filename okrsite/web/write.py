"""Write: the finished site goes to a temporary folder beside OUT and replaces OUT only once complete.

A failed or killed build therefore leaves OUT as it was. okrsite marks the folders it creates and
never deletes one without the mark.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Callable, Iterable

from .plan import file_key

MARKER = ".okrsite-output"
_TEMP_PREFIX = ".okrsite-tmp-"
_OLD_PREFIX = ".okrsite-old-"


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


def write_site(out: Path, files: Iterable[tuple[str, bytes]], site_root: Path, finish: Callable[[Path], None] | None = None) -> list[str]:
    """Write every (relative path, bytes) file as the new OUT; returns the paths written. ``finish``
    works on the complete folder before it replaces OUT (Pagefind indexes it there)."""
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
    try:
        made: set[Path] = {temp}
        for relpath, data in files:
            target = (temp / relpath).resolve()
            if not target.is_relative_to(temp):
                raise OutputError(f"refusing to write {relpath!r} outside the output folder", "report this as a bug")
            key = file_key(relpath)
            if key in written:
                raise OutputError(f"refusing to write {relpath!r} over {written[key]!r}, written earlier in this build", "report this as a bug: the write plan should have caught it")
            written[key] = relpath
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        if finish is not None:
            finish(temp)
        _swap(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return list(written.values())


def _swap(temp: Path, out: Path) -> None:
    if not out.exists():
        temp.rename(out)
        return
    old = out.parent / f"{_OLD_PREFIX}{out.name}-{uuid.uuid4().hex[:8]}"
    out.rename(old)
    temp.rename(out)
    if (old / MARKER).exists():
        shutil.rmtree(old, ignore_errors=True)
    else:
        old.rmdir()  # an empty folder okrsite did not create: nothing to lose
