"""Where a site's theme is: its own theme/ folder over the default one shipped with okrsite.

Apart from render.py (which imports Jinja2 and the rest of the website): a build with nothing changed
needs the theme's folders to check them, and nothing else of the website."""

from __future__ import annotations

import os
from pathlib import Path


def default_theme() -> Path:
    """The theme shipped in the package (wheel), or the repository's top-level theme/ (source tree)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "theme", package.parent / "theme"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("the default theme is missing from this okrsite installation")


def theme_dirs(site_root: Path) -> list[Path]:
    """Theme folders, most specific first: the site's own theme/ overrides the default file by file."""
    own = site_root / "theme"
    return [own, default_theme()] if own.is_dir() else [default_theme()]


def has_own_templates(site_root: Path) -> bool:
    """A site's own templates may read anything: each of its pages may change with any change to the
    site, so neither the build cache nor the preview can keep one by what it shows."""
    return (site_root / "theme" / "templates").is_dir()


def theme_bound(site_root: Path) -> Path:
    """Where a site's own theme may lie: inside the git repository that holds the site (a theme shared
    by the sites of a monorepo, `theme -> ../shared-theme`), else inside the site's folder. The
    repository is the nearest folder above holding `.git`: no git process for this."""
    site = site_root.resolve()
    return next((folder for folder in (site, *site.parents) if (folder / ".git").exists()), site)


def usable_theme_file(path: Path, folder: Path) -> bool:
    """Whether a file found in a theme's templates/ or static/ ``folder`` is used: it is really in that
    folder (a link that leads out of it is left out), and a site's own folder of them is within
    theme_bound (one linked from elsewhere is left out whole: theme_folders_outside says so). A
    repository's link to /etc/passwd never becomes a page."""
    inside = folder.resolve()
    if not path.resolve().is_relative_to(inside):
        return False
    theme = folder.parent
    return theme.resolve() == default_theme().resolve() or inside.is_relative_to(theme_bound(theme.parent))


def theme_folders_outside(site_root: Path) -> list[str]:
    """The site's theme/, else its theme/templates/ and theme/static/, when it is a link leading out of
    theme_bound: none of its files is used."""
    bound, theme = theme_bound(site_root), site_root / "theme"
    if not theme.is_dir():
        return []
    if not theme.resolve().is_relative_to(bound):
        return ["theme"]
    return [f"theme/{name}" for name in ("templates", "static") if (theme / name).is_dir() and not (theme / name).resolve().is_relative_to(bound)]


_INSTEAD = "so the default theme's files are used instead"


def unusable_theme_folders(site_root: Path) -> list[tuple[str, str, str]]:
    """(folder, what is wrong, how to fix it) of the site's theme/, theme/templates/ or theme/static/
    that is there but cannot be used: a link to nothing, a file, an empty theme/ (a git submodule not
    checked out), one without templates/ and static/. Else the site would be built with the default
    theme without a word. A theme/ leading out of theme_bound is theme_folders_outside's to say."""
    theme = site_root / "theme"
    if not (theme.exists() or theme.is_symlink()) or theme_folders_outside(site_root) == ["theme"]:
        return []
    if not theme.is_dir():
        return [_unusable(theme, "theme")]
    found = [problem for name in ("templates", "static") if (problem := _unusable(theme / name, f"theme/{name}")) is not None]
    shown = f"theme/ (a link to {os.readlink(theme)})" if theme.is_symlink() else "theme/"
    if not found and not any(theme.iterdir()):
        found.append(("theme", f"{shown} is empty (a git submodule not checked out?), {_INSTEAD}",
                      "for a git submodule, run git submodule update --init; else put the theme's files in theme/templates/ "
                      "and theme/static/, or remove theme/"))
    elif not found and not any((theme / name).exists() for name in ("templates", "static")):
        found.append(("theme", f"{shown} holds neither templates/ nor static/, so none of its files is used",
                      "put the theme's templates in theme/templates/ and its static files in theme/static/ (see docs/themes.md)"))
    return found


def _unusable(path: Path, shown: str) -> tuple[str, str, str] | None:
    """A link to nothing, or a file, where a theme folder belongs; None for a folder or nothing at all."""
    if path.is_symlink() and not path.exists():
        return (shown, f"{shown}/ is a link to {os.readlink(path)}, which does not exist, {_INSTEAD}",
                "fix the link, or create the folder it names; for a git submodule, run git submodule update --init")
    if path.exists() and not path.is_dir():
        what = f"{shown}/ is a link to {os.readlink(path)}, a file, not a folder" if path.is_symlink() else f"{shown} is a file, not a folder"
        return shown, f"{what}, {_INSTEAD}", f"make {shown}/ a folder holding the theme's files, or remove the file"
    return None
