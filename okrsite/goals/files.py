"""Which goals files a site has: its settings, and every Markdown file under content/.

Apart from load.py (which imports PyYAML to read them): a build with nothing changed lists the files
to check them, and reads none."""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_FILE = "okrsite.toml"
KINDS = ("objective", "kpi", "team")  # what `okrsite new` writes a file of


def markdown_files(content: Path) -> list[Path]:
    """Every .md file under ``content`` in path order, none in or of a hidden folder or hidden itself.
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
        elif name.endswith(".md") and entry.is_file() and (not entry.is_symlink() or _inside(entry.path, site)):
            found.append(entry.path)
