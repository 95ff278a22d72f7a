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
