"""Where a site's theme is: its own theme/ folder over the default one shipped with okrsite.

Apart from render.py (which imports Jinja2 and the rest of the website): a build with nothing changed
needs the theme's folders to check them, and nothing else of the website."""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from ..goals.diagnostics import nearest
from ..goals.files import hidden, loop_problem


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

THEME_FOLDERS = ("templates", "static")
_NOTES = {"readme", "license", "licence", "copying", "notice", "changelog", "changes", "authors", "contributing"}
"""A theme's own notes (README.md, LICENSE, CHANGELOG.txt), kept beside its folders: not meant to be read."""
_TEMPLATE_SUFFIXES = {".html", ".xml", ".txt", ".j2", ".jinja", ".jinja2"}
_SETTINGS_SUFFIXES = {".toml", ".yaml", ".yml", ".json", ".ini", ".cfg"}
"""A theme's settings of another site generator (Hugo's theme.toml): not to be moved into static/, which is published."""


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
        found.append(("theme", f"{shown} holds neither templates/ nor static/, so none of its files is used", _neither_hint(theme)))
    return found


def _neither_hint(theme: Path) -> str:
    """How to fix a theme/ without templates/ and static/: rename the folder whose name is a misspelling of one."""
    for entry in sorted(theme.iterdir()):
        if entry.is_dir() and _unread_entry(entry) and nearest(entry.name, THEME_FOLDERS) is not None:
            return _where_instead(entry)
    return "put the theme's templates in theme/templates/ and its static files in theme/static/ (see docs/themes.md)"


def _unusable(path: Path, shown: str) -> tuple[str, str, str] | None:
    """A link to nothing (or round in a loop), or a file, where a theme folder belongs; None for a folder or nothing at all."""
    looping = loop_problem(path.parent.parent, path)
    if looping is not None:
        return shown, f"{looping[0]}/ {looping[1]}, {_INSTEAD}", looping[2]
    if path.is_symlink() and not path.exists():
        return (shown, f"{shown}/ is a link to {os.readlink(path)}, which does not exist, {_INSTEAD}",
                "fix the link, or create the folder it names; for a git submodule, run git submodule update --init")
    if path.exists() and not path.is_dir():
        what = f"{shown}/ is a link to {os.readlink(path)}, a file, not a folder" if path.is_symlink() else f"{shown} is a file, not a folder"
        return shown, f"{what}, {_INSTEAD}", f"make {shown}/ a folder holding the theme's files, or remove the file"
    return None


def theme_file_loops(site_root: Path) -> list[tuple[str, str, str]]:
    """(link, what is wrong, how to fix it) of each symbolic link in theme/templates/ or theme/static/
    that leads round in a loop of links: no file is there to use, as for a link that leads nowhere."""
    found = []
    for name in THEME_FOLDERS:
        for folder, _, names in os.walk(site_root / "theme" / name):
            for entry in sorted(names):
                path = Path(folder, entry)
                looping = None if hidden(entry) else loop_problem(site_root, path)
                if looping is not None:
                    found.append((looping[0], f"not used: {looping[0]} {looping[1]}", looping[2]))
    return found


def misplaced_theme_files(site_root: Path) -> list[tuple[str, str, str]]:
    """(place, what is wrong, how to fix it) of theme files where okrsite never reads them: a templates/
    or static/ folder at the site's root, a theme folder named otherwise than theme/ (Theme/, themes/,
    theme-brand/), an entry directly under theme/ other than those two
    (theme/template/, theme/layouts/, theme/objective.html). Else a theme copied from another site
    generator, or one typo, builds the site with the default look without a word. A theme/ that is not
    used at all is unusable_theme_folders' or theme_folders_outside's to say."""
    found = [_at_root(name) for name in THEME_FOLDERS if (site_root / name).is_dir()] + _misnamed_themes(site_root)
    theme = site_root / "theme"
    if not theme.is_dir() or unusable_theme_folders(site_root) or theme_folders_outside(site_root) == ["theme"]:
        return found
    return found + [_unread(entry) for entry in sorted(theme.iterdir()) if _unread_entry(entry)]


_THEME_NAME = re.compile(r"(?:.+[-_. ])?themes?(?:[-_. ].+)?")
"""A folder named as a theme (Theme, themes, theme-brand, brand_theme), casefolded."""


def _misnamed_themes(site_root: Path) -> list[tuple[str, str, str]]:
    """Each folder at the site's root named as a theme but not exactly theme/: on Linux okrsite never
    reads it (Theme/ too: macOS and Windows, which ignore case, read it as theme/). Not the folder a
    theme/ link leads to (theme -> theme-src)."""
    theme = site_root / "theme"
    used = theme.resolve() if theme.exists() else None
    if not site_root.is_dir():
        return []
    return [_at_root(entry.name, entry) for entry in sorted(site_root.iterdir())
            if entry.name != "theme" and not entry.name.startswith(".") and _THEME_NAME.fullmatch(entry.name.casefold())
            and entry.is_dir() and not (used is not None and used.is_relative_to(entry.resolve())) and _looks_like_theme(entry)]


_THEME_SUFFIXES = (".html", ".css", ".jinja", ".jinja2", ".j2")


def _looks_like_theme(folder: Path) -> bool:
    """Whether a folder named as a theme holds one: templates/ or static/, in it or in a folder of it
    (themes/brand/), or templates and stylesheets at its top; not a theme-park/ of notes (QA DJ)."""
    try:
        entries = list(folder.iterdir())
        return any(entry.is_file() and entry.name.casefold().endswith(_THEME_SUFFIXES) for entry in entries) or _holds_theme_folders(folder) \
            or any(entry.is_dir() and _holds_theme_folders(entry) for entry in entries)
    except OSError:
        return False


def _holds_theme_folders(folder: Path) -> bool:
    return any((folder / name).is_dir() for name in THEME_FOLDERS)


def _at_root(name: str, entry: Path | None = None) -> tuple[str, str, str]:
    """A theme's folder at the site's root that okrsite does not read: templates/, static/ (theme/'s own
    folders) or one named as a theme (``entry``), with where okrsite reads them."""
    if entry is not None:
        return name, f"okrsite does not read {name}/ at the site's root: okrsite reads a site's theme from theme/{_case_note(name)}", _theme_hint(entry)
    what = "templates" if name == "templates" else "static files"
    return (name, f"okrsite does not read {name}/ at the site's root: okrsite reads a theme's {what} from theme/{name}/",
            f"move it to theme/{name}/")


def _case_note(name: str) -> str:
    if name.casefold() != "theme":
        return ""
    return f", in lower case: macOS and Windows, which ignore case, read {name}/ as theme/, and Linux does not, so a site built on Linux (in CI) has the default look"


def _theme_hint(entry: Path) -> str:
    """How to make a misnamed theme folder theme/: rename it, move the theme it holds (themes/brand/), or
    merge it into a theme/ that is there too."""
    if (entry.parent / "theme").is_dir() and not os.path.samefile(entry.parent / "theme", entry):
        return f"move its templates/ and static/ into theme/, or remove {entry.name}/"
    if not any((entry / name).is_dir() for name in THEME_FOLDERS):
        inner = next((sub for sub in sorted(entry.iterdir()) if sub.is_dir() and any((sub / name).is_dir() for name in THEME_FOLDERS)), None)
        if inner is not None:
            return f"move {entry.name}/{inner.name}/ to theme/: okrsite reads one theme, from theme/"
    return "rename it theme/"


def _unread_entry(entry: Path) -> bool:
    """Whether an entry directly under theme/ is one okrsite does not read and that looks meant to be."""
    name = entry.name
    return name not in THEME_FOLDERS and not name.startswith(".") and not (entry.is_file() and name.split(".")[0].casefold() in _NOTES)


def _unread(entry: Path) -> tuple[str, str, str]:
    place = f"theme/{entry.name}"
    message = f"okrsite does not read {place}{'/' * entry.is_dir()}: it reads a theme only from theme/templates/ and theme/static/"
    return place, message, _where_instead(entry)


def _where_instead(entry: Path) -> str:
    """Where an entry directly under theme/ belongs: the folder its name is a misspelling of, else by what it holds."""
    if entry.is_dir():
        meant = nearest(entry.name, THEME_FOLDERS)
        if meant is not None:
            return f"did you mean '{meant}'? rename theme/{entry.name}/ to theme/{meant}/"
        return ("move its templates to theme/templates/ and its other files (images, stylesheets, scripts) to theme/static/, "
                "keeping their names, or remove it")
    if template_backup(entry.name):
        return _BACKUP_HINT
    if entry.suffix.casefold() in _SETTINGS_SUFFIXES:
        return "okrsite reads no settings from a theme: remove it, or keep it out of theme/ (theme/static/ is published as it is)"
    folder = "templates" if entry.suffix.casefold() in _TEMPLATE_SUFFIXES else "static"
    return f"move it to theme/{folder}/{entry.name}"


_BACKUP = re.compile(r"#(?P<hashed>.+)#|(?P<name>.+?)(?:~|\.~\d+~|\.(?:bak|backup|orig|old|save|swp|swo|tmp|rej))", re.IGNORECASE)


_BACKUP_HINT = "a backup of a template: delete it, or move it out of theme/; not into theme/static/, which is published as it is"


def template_backup(name: str) -> bool:
    """Whether a file's name is an editor's or a merge's backup of a template (base.html.bak, base.html~,
    base.html.orig, #base.html#)."""
    found = _BACKUP.fullmatch(name)
    return found is not None and Path(found["name"] or found["hashed"]).suffix.casefold() in _TEMPLATE_SUFFIXES


_TEMPLATE_TAG = re.compile(r"{%-?\s*(extends|block)\b")


def templates_in_static(site_root: Path) -> list[tuple[str, int, str, str]]:
    """(file, line, what is wrong, how to fix it) of each .html file of the site's theme/static/, or backup
    of one (base.html.bak), that is a Jinja template (it has an `{% extends %}` or a `{% block %}`): a
    static file is copied as it is, so the site would publish the template's source, and the page it was
    meant to be keeps the default look."""
    static = site_root / "theme" / "static"
    found = []
    for path in sorted(static.rglob("*")) if static.is_dir() else ():
        rel, backup = path.relative_to(static).as_posix(), template_backup(path.name)
        if (path.suffix == ".html" or backup) and path.is_file() and not any(part.startswith(".") for part in rel.split("/")) \
                and usable_theme_file(path, static) and (line := _template_line(path)):
            found.append((f"theme/static/{rel}", line, f"theme/static/{rel} looks like {'a backup of ' * backup}a template: static files are copied as they are",
                          _BACKUP_HINT if backup else f"move it to theme/templates/{rel}"))
    return found


def _template_line(path: Path) -> int:
    """The line of a file's first `{% extends %}` or `{% block %}`; 0 when it has none."""
    text = path.read_bytes().decode("utf-8", "replace")
    return next((number for number, line in enumerate(text.splitlines(), 1) if _TEMPLATE_TAG.search(line)), 0)


_CSS_URL = re.compile(r"""\burl\(\s*(?P<quote>["']?)(?P<link>[^"')\s]*)(?P=quote)\s*\)""", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_ELSEWHERE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
"""A url() not to a file of the site: data:, https:, //host/, #an-svg-filter."""


def stylesheet_links(site_root: Path) -> list[tuple[str, int, str, str]]:
    """(file, line, what is wrong, how to fix it) of each url() of a stylesheet of the site's theme/static/
    that starts with `/` (it leads to the root of the web server: broken under a sub-path and from
    file://, as in a template) or names a file that neither theme/static/ nor the default theme has."""
    static = site_root / "theme" / "static"
    found = []
    for path in sorted(static.rglob("*.css")) if static.is_dir() else ():
        rel = path.relative_to(static).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")) and usable_theme_file(path, static):
            found += _stylesheet_links(path, rel, static)
    return found


def _stylesheet_links(path: Path, rel: str, static: Path) -> list[tuple[str, int, str, str]]:
    try:
        source = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return []  # one nobody may read: the build says so where it copies it
    text = _CSS_COMMENT.sub(lambda comment: "\n" * comment[0].count("\n"), source)
    found, file, depth = [], f"theme/static/{rel}", rel.count("/")
    for number, line in enumerate(text.splitlines(), 1):
        for link in (match["link"] for match in _CSS_URL.finditer(line)):
            if link.startswith("/") and not link.startswith("//"):
                found.append((file, number, f'the link "{link}" in url() starts with "/": it leads to the root of the web server, '
                                            "so it breaks on a site served under a sub-path or opened from file://",
                              f"write it relative to the stylesheet, url({'../' * depth}{link.lstrip('/')})"))
            elif link and not _ELSEWHERE.match(link) and not _in_static(rel, link, static):
                found.append((file, number, f'url({link}) names a file that neither theme/static/ nor the default theme has',
                              "fix the name, or put the file in theme/static/: a url() is relative to the stylesheet's own folder"))
    return found


def _in_static(rel: str, link: str, static: Path) -> bool:
    """Whether a url() relative to a stylesheet at ``rel`` of theme/static/ names a file the built site has."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(re.split(r"[?#]", link, maxsplit=1)[0])))
    if target == ".." or target.startswith("../"):
        return True  # above the site's root: a file okrsite does not know of, left alone
    return any((folder / target).is_file() for folder in (static, default_theme() / "static"))
