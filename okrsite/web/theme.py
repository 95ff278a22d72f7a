"""Where a site's theme is: its own theme/ folder over the default one shipped with okrsite.

Apart from render.py (which imports Jinja2 and the rest of the website): a build with nothing changed
needs the theme's folders to check them, and nothing else of the website."""

from __future__ import annotations

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
