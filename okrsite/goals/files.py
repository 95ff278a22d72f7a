"""Which goals files a site has: its settings, and every Markdown file under content/.

Apart from load.py (which imports PyYAML to read them): a build with nothing changed lists the files
to check them, and reads none."""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_FILE = "okrsite.toml"
KINDS = ("objective", "kpi", "team")  # what `okrsite new` writes a file of
MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # Markdown files as Hugo and MkDocs name them, in any case


def listed_name(name: str) -> bool:
    """Whether a file of this name under content/ is listed: every Markdown file. okrsite reads the
    .md ones; any other (`.MD`, `.markdown`) is listed to be told it is not read (goals/load.py)."""
    return name.lower().endswith(MARKDOWN)


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
        return "content", f"no content/ folder in {root}", "run okrsite in a goals repository, or create one with 'okrsite init DIR'"
    return None


def linked_folder(root: Path, relpath: str) -> str | None:
    """The first folder below content/ on the way to the file ``relpath`` (e.g.
    content/objectives/2026-q4/x.md) that is a symbolic link, None when there is none: the site
    reads no file through a linked folder (markdown_files), so a file written there never shows."""
    parts = Path(relpath).parts
    for depth in range(2, len(parts)):
        if root.joinpath(*parts[:depth]).is_symlink():
            return "/".join(parts[:depth])
    return None


def markdown_files(content: Path) -> list[Path]:
    """Every Markdown file under ``content`` (see listed_name) in path order, none in or of a hidden folder or hidden itself.
    Symbolic links to files are followed, to folders not (as Path.rglob does); a link to a file
    outside the site (the folder holding ``content``) is left out, as a `data:` path outside it is an
    error: a repository's link to /etc/passwd or /proc/self/environ must not become a page."""
    return [Path(path) for path in markdown_paths(content)]


def markdown_paths(content: Path) -> list[str]:
    """markdown_files as text (making 10,000 Paths costs a build with nothing changed a fifth)."""
    found: list[str] = []
    _walk(str(content), found, os.path.realpath(os.path.dirname(os.path.abspath(content))))
    return found


def _inside(path: str, site: str) -> bool:
    """Whether the file a symbolic link leads to lies inside the site folder ``site`` (a real path)."""
    target = os.path.realpath(path)
    return os.path.commonpath([target, site]) == site


def _walk(folder: str, found: list[str], site: str) -> None:
    """Each folder's entries in name order, a folder's files where its name falls: the order of the
    paths' parts (a function of its own, not a closure: that would be a cycle holding every path found)."""
    try:
        with os.scandir(folder) as entries:
            named = sorted((entry.name, entry) for entry in entries if not entry.name.startswith("."))
    except OSError:
        return
    for name, entry in named:
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, found, site)
        elif listed_name(name) and entry.is_file() and (not entry.is_symlink() or _inside(entry.path, site)):
            found.append(entry.path)
