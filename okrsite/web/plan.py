"""The write plan: every file a build writes and what it is made from, checked once before anything is
written. Two sources that would write one file are an error naming both (where each is written in the
site), never a page silently overwritten; so are paths that differ only in case (one file on macOS and
Windows file systems). `check`, `build` and the live preview all check the same plan, and `build`
writes exactly the plan.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Collection, Iterable, Iterator, Mapping, NamedTuple

from ..goals.config import SETTINGS_FILE, Settings, setting_line
from ..goals.characters import differs_unseen
from ..goals.diagnostics import NO_LINE, Report
from ..goals.files import file_key, hidden, how_they_differ, loop_problem, path_problem
from ..goals.link import first_line, texts_of
from ..goals.repository import Loaded
from ..goals.model import MAX_SLUG, MAX_SLUG_BYTES, PLAIN_LATIN, Site, bare_slug, uncut_slug
from ..goals.wikilinks import backslashed, in_content, markdown_file, relative_links
from ..git.checkins import data_path
from ..git.former import KPI, OBJECTIVE, renamed
from ..git.history import History
from ..numbers.compute import Scores
from .audience import confidential_data_files, site_for_audience, view_for_audience, withheld_files
from .render import GENERATED, SECTIONS, PageSpec, View, asset_path, redirect_spec, site_pages
from .search import SEARCH_INDEX
from .theme import theme_dirs, misplaced_theme_files, stylesheet_links, templates_in_static, theme_file_loops, theme_folders_outside, unusable_theme_folders, usable_theme_file

OKRS_JSON = "okrs.json"
RESERVED = frozenset({page.url.split("/", 1)[0] for page in GENERATED} | set(SECTIONS))


class Output(NamedTuple):
    """One file of the site: its path in OUT, and the page or theme file it is made from (neither: okrs.json)."""

    path: str
    page: PageSpec | None = None
    static: Path | None = None


@dataclass(frozen=True)
class Source:
    """Where an output comes from, for messages: found only for the outputs that clash."""

    what: str  # "the objective 'grow'", "the person 'Fatima Zahra'", "okrsite's home page"
    file: str = ""  # the file it is written in, relative to the site; "" for what okrsite makes by itself
    line: int = 1
    fix: str = ""  # how to give it another path

    @property
    def where(self) -> str:
        return f"{self.what} ({self.file}:{self.line})" if self.file else self.what


def write_plan(site: Site, settings: Settings, themes: list[Path], root: Path | None = None, once_confidential: Collection[str] = (),
               redirects: Iterable[tuple[str, str, str]] = ()) -> list[Output]:
    """Every file of the site in the order it is written: pages, okrs.json, the search index, the
    themes' static files, then (given the site's ``root``) the files under content/ that its bodies link to
    (but those audience.withheld_files withholds; ``once_confidential``: git.read.once_confidential), then
    the pages at former ids' addresses (``redirects``: planned_redirects) that no other file takes."""
    plan = [Output(page.output, page) for page in site_pages(site, settings)]
    plan += [Output(OKRS_JSON), Output(SEARCH_INDEX)]
    plan += [Output(rel, static=path) for rel, path in static_sources(themes)]
    if root is not None:
        plan += [Output(rel, static=path) for rel, path in content_files(site, root, withheld_files(site, settings, once_confidential))[0].items()]
    return plan + list(_redirect_outputs(plan, redirects))


_FOLDERS = {OBJECTIVE: "objectives", KPI: "kpis"}


def planned_redirects(history: History | None, whole: Site, shown: Site, audience: str) -> tuple[tuple[str, str, str], ...]:
    """(kind, former id, id now) of each former id of an objective or KPI that the audience's site
    (``shown``) has, whose address is to lead to its page (git.former.renamed): none of an id another
    objective or KPI of the whole site has now (``whole``: a private objective's too), nor on a public
    site of a private objective, or one the objective had while private. None without git."""
    if history is None:
        return ()
    taken = {OBJECTIVE: whole.objectives.keys(), KPI: whole.kpis.keys()}
    shown_ids = {OBJECTIVE: shown.objectives.keys(), KPI: shown.kpis.keys()}
    found = renamed(history, whole, public=audience == "public").redirects(taken)
    return tuple(sorted(r for r in found if r[2] in shown_ids[r[0]]))


def _redirect_outputs(plan: list[Output], redirects: Iterable[tuple[str, str, str]]) -> Iterator[Output]:
    """The pages of ``redirects`` whose file no output of ``plan`` writes, also in another case, nor
    needs as a folder: a real page always wins, and no file has two sources."""
    files = {file_key(o.path) for o in plan}
    for kind, former, now in redirects:
        page = redirect_spec(_FOLDERS[kind], former, now)
        key = file_key(page.output)
        folders = {key.rsplit("/", depth)[0] for depth in range(1, key.count("/") + 1)}
        if key not in files and not folders & files:
            files.add(key)
            yield Output(page.output, page)


# The kinds of file the site copies from content/ when a body links to them (by suffix, in any case):
# pictures, documents, spreadsheets, slides, sound, video, archives. Any other is not published: a
# web page, an SVG or XML file or a script (.html, .svg, .js, .cjs, .wasm) would run as part of the site
# opened from it, and a file of no or an unknown suffix may be sent as anything (a server that sniffs
# makes it a web page; a kept `<script src>` would run it).
PUBLISHED = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff", ".heic",
    ".pdf", ".txt", ".csv", ".tsv", ".json", ".rtf", ".epub",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".key", ".numbers", ".pages",
    ".mp3", ".m4a", ".wav", ".ogg", ".oga", ".flac", ".mp4", ".m4v", ".webm", ".ogv", ".mov",
    ".zip", ".7z"})
# Suffixes a server may run or send as a page even inside a name (`x.html.gz`, `x.php.png` on Apache).
_ACTIVE = frozenset({".html", ".htm", ".xhtml", ".shtml", ".svg", ".xml", ".js", ".mjs", ".cjs", ".php", ".phtml", ".cgi", ".pl", ".py", ".asp", ".aspx", ".jsp"})
# Files static hosts read as their own settings, not as pages (Netlify, Cloudflare Pages, GitLab and
# GitHub Pages, Vercel, Azure Static Web Apps, Firebase, IIS), in any case; so is a file or folder at the site's
# root whose name starts with '_' (`_headers`, `_redirects`, `_routes.json`, `_config.yml`, `_worker.js/`), and
# one at any depth starting with '.' (hidden: `.htaccess`, `.nojekyll`, never copied). A file from content/
# there would redirect or re-head the whole site.
HOST_FILES = frozenset({"netlify.toml", "vercel.json", "now.json", "staticwebapp.config.json", "routes.json", "firebase.json",
                        "cname", "web.config", "amplify.yml"})


class Refusal(NamedTuple):
    """Why a body's link to a file is not followed: a warning (the page shows its words alone), or an
    error (``refused``) for a file that would set the host's behaviour for the whole site."""

    message: str
    hint: str
    refused: bool = False


def content_files(site: Site, root: Path, withheld: Mapping[str, str] | None = None) -> tuple[dict[str, Path], list[tuple[str, int, str, str, bool]]]:
    """The files under content/ that the bodies of ``site`` link to or show (`![chart](img/chart.png)`), by
    where the build copies them (render.asset_path: their path under content/, so that the address
    the page is given, render.relinked, leads there from any page), and what is wrong with the others:
    (file, line, message, hint, refused) of each link to a file that is not there, leads out of content/ or is
    not published (refused: a host's settings file, an error), or is one the audience's site withholds
    (``withheld``: audience.withheld_files; said where a published body links to it). Links to Markdown
    files are pages' (goals/link.py checks them)."""
    copied: dict[str, Path] = {}
    problems: list[tuple[str, int, str, str, bool]] = []
    content = Path(os.path.realpath(root / "content"))  # not Path.resolve: a content/ link in a loop is site_problem's to tell
    secret = _withheld_by_path_and_bytes(root, withheld or {})
    for table in (site.objectives, site.kpis, site.teams, site.pages):
        for entity in table.values():
            for text, where in texts_of(entity):
                for offset, url, image in relative_links(text):
                    if markdown_file(url):
                        continue
                    found = in_content(entity.doc.path, url)
                    problem = _unpublished(root, content, found, url)
                    if problem is None and secret:
                        problem = _withheld(root, found[0], secret, getattr(entity, "private", False))
                    if problem is None:
                        copied[asset_path(found[0])] = root / found[0]
                    elif problem:
                        problems.append((entity.doc.path, first_line(entity, where) + offset, *_link_problem(url, image, where, problem)))
    return copied, problems


@dataclass(frozen=True)
class _Secret:
    """The withheld files (audience.withheld_files) by real path, and by their bytes: a link through a
    symbolic link, or written another way, is to the same file; a hard link or a copy under another name
    (git stores a hard link as one) holds the same values (QA DY)."""

    by_path: Mapping[str, str]
    by_bytes: Mapping[tuple[int, bytes], str]

    def __bool__(self) -> bool:
        return bool(self.by_path)

    def what(self, path: str) -> str | None:
        found = self.by_path.get(os.path.realpath(path))
        if found is None and self.by_bytes:
            fingerprint = _fingerprint(path, {size for size, _ in self.by_bytes})
            found = self.by_bytes.get(fingerprint) if fingerprint else None
        return found


def _withheld_by_path_and_bytes(root: Path, withheld: Mapping[str, str]) -> _Secret:
    by_bytes: dict[tuple[int, bytes], str] = {}
    for path, what in withheld.items():
        found = _fingerprint(root / path)
        if found is not None and _holds_rows(root / path):
            by_bytes.setdefault(found, f"the same file as {path}, {what}")
    return _Secret({os.path.realpath(root / path): what for path, what in withheld.items()}, by_bytes)


def _holds_rows(path: Path) -> bool:
    """Whether a data file holds a row under its header line: one that holds none (empty, or a new KPI's
    `date,value` alone) withholds nothing, and another file with the same bytes is no copy of a secret."""
    try:
        with open(path, "rb") as file:
            return sum(1 for line in file if line.strip()) > 1
    except OSError:
        return False


def _fingerprint(path: str | Path, sizes: Collection[int] | None = None) -> tuple[int, bytes] | None:
    """(size, SHA-256) of the file at ``path``; None when it is none, or (``sizes``) of none of those sizes, read not."""
    try:
        size = os.stat(path).st_size
        if sizes is not None and size not in sizes:
            return None
        with open(path, "rb") as file:
            return size, hashlib.file_digest(file, "sha256").digest()
    except (OSError, ValueError):
        return None


def _withheld(root: Path, file: str, secret: _Secret, unpublished_body: bool) -> Refusal | None | bool:
    """Why a file a body links to is withheld from the audience's site (None: it is not); False, copied not
    and said nothing of, for a link in a body that site does not publish (a private objective's)."""
    what = secret.what(str(root / file))
    if what is None:
        return None
    if unpublished_body:
        return False
    return Refusal(f"leads to {file}, {what}, which the public site does not publish: the link shows its words alone",
                   "link to the KPI's page instead, where the public site shows what it may of it; the internal site links to the file")


def _link_problem(url: str, image: bool, where: str, problem: Refusal) -> tuple[str, str, bool]:
    """(message, hint, refused) of a body's link to a file the site does not copy: one written with
    Windows's '\\' between folders says so, quoted as written."""
    what = f"the {'image' if image else 'link'}"
    written = backslashed(url)
    if written is not None and not problem.refused:
        return f"{what} '{written[0]}'{where} is written with '\\' between folders, which a web address does not read: it leads to no file", written[1], False
    return f"{what} '{url}'{where} {problem.message}", problem.hint, problem.refused


def copied_files(plan: list[Output], root: Path) -> frozenset[str]:
    """The files under content/ that ``plan`` copies into the site, by their path from ``root``
    (`content/img/chart.png`): a page links to these only (render.View.copies)."""
    content = root / "content"
    return frozenset(o.static.relative_to(root).as_posix() for o in plan if o.static is not None and o.static.is_relative_to(content))


def planned_view(site: Site, scores: Scores, settings: Settings, history: History | None, prefix: str, plan: list[Output], root: Path,
                 refused: str | None) -> View:
    """What the pages of ``plan`` are rendered from, in the build and in the preview: the computed site
    as the settings' audience sees it (audience.view_for_audience), knowing the files under content/ the
    plan copies (``prefix``: git.read.repository_prefix; ``refused``: why git would not give the history)."""
    return view_for_audience(View(site, scores, settings, history, prefix, copied=copied_files(plan, root), history_refused=refused,
                                  renamed=renamed(history, site, public=settings.audience == "public")))


def check_content_files(site: Site, root: Path, report: Report, found: tuple | None = None, settings: Settings | None = None,
                        once_confidential: Collection[str] = ()) -> None:
    """A warning at each link or image of a body that leads to a file the site of the ``settings``' audience
    does not have, an error at each that leads to a host's settings file (content_files; ``found``: what it
    gave, if it was asked; ``once_confidential``: git.read.once_confidential)."""
    withheld = withheld_files(site, settings, once_confidential) if settings is not None else {}
    for file, line, message, hint, refused in (found or content_files(site, root, withheld))[1]:
        (report.error if refused else report.warning)(file, line, message, hint)


def check_shared_data_files(site: Site, root: Path, report: Report, settings: Settings) -> None:
    """At the `data:` line of each KPI not confidential whose data file is a confidential KPI's (the same
    file however written, through a symbolic or hard link, or a copy: _Secret): its page, the key results
    following it and okrs.json would show every value the other withholds. An error for the public
    audience, so that no public build goes out with them; a warning for the internal one: its site shows
    them anyway, but the repository could not be built for the public as it is."""
    secret = _withheld_by_path_and_bytes(root, confidential_data_files(site))
    if not secret:
        return
    public = settings.audience == "public"
    told = report.error if public else report.warning
    for kpi in site.kpis.values():
        what = secret.what(str(root / data_path(kpi))) if kpi.data and not kpi.confidential else None
        if what is not None:
            told(kpi.doc.path, kpi.doc.line("data"),
                 f"data file '{kpi.data}' is {what}: " + ("the public site would show every value that KPI withholds on this KPI's page and in okrs.json"
                                                          if public else "a public build would show every value that KPI withholds, so it refuses"),
                 "mark it confidential: true too, or give it its own data file")


def _unpublished(root: Path, content: Path, found: tuple[str, str] | None, url: str) -> Refusal | None | bool:
    """Why the file a relative address names is not copied; None when it is; False for an address from
    the site's root that leads out of content/ (a server's own path, kept as written)."""
    out_of_content = Refusal("leads out of content/: the site publishes only the files under content/ that bodies link to",
                             "move the file under content/ (e.g. content/img/) and link to it from this file's folder, or link to a web address")
    if found is None:
        return False if url.startswith("/") else out_of_content
    file = found[0]
    path = root / file
    if hidden(file):
        return Refusal(f"leads to the hidden file {file}, which the site does not publish", "move or rename it: files and folders whose name starts with '.' are left out")
    looping = loop_problem(root, path)
    if looping is not None:
        link, what, hint = looping
        return Refusal(f"leads to no file: {link} {what}", hint)
    if path.is_dir():
        return Refusal(f"leads to the folder {file}, not to a file", "link to a file in it, or end the address with / to keep it as written")
    if not path.is_file():
        return Refusal(f"leads to no file: {file} does not exist",
                       "a relative address is read from the folder of the Markdown file it is written in (as on GitHub): correct the path, or add the file")
    real = path.resolve()
    if not real.is_relative_to(content):
        return out_of_content
    setting = host_setting(asset_path(file))
    if setting:
        return Refusal(f"leads to {file}, which the site does not publish: static hosts (Netlify, Cloudflare Pages, GitHub Pages, ...) read a file or folder named {setting} as their settings for the whole site",
                       "rename the file (or the folder under content/ that holds it) so that it is no host's settings file and no name at the top starts with '_'; "
                       "put settings for the host into theme/static/ (see docs/keeping-it-internal.md)", True)
    leads = real.relative_to(content).as_posix()
    if hidden(leads):
        return Refusal(f"leads through a symbolic link to the hidden file content/{leads}, which the site does not publish",
                       "link to the file itself: files and folders whose name starts with '.' are left out")
    unpublished = unpublished_suffix(path.name)
    if unpublished is not None:
        kind = f"a {unpublished} file" if unpublished else "a file without a suffix (.pdf, .png, ...)"
        return Refusal(f"leads to {file}, {kind}, which the site does not publish from content/: opened from the site (or named by kept HTML), it could run scripts",
                       "link to a web address instead, or put the file into theme/static/ (see docs/themes.md); "
                       "the site publishes pictures, documents, spreadsheets, slides, sound, video and archives (docs/objectives.md)")
    if real.suffix.lower() != path.suffix.lower() or unpublished_suffix(real.name) is not None:
        return Refusal(f"leads through a symbolic link to content/{leads}, which is not a {path.suffix.lower()} file, so the site does not publish it",
                       "link to the file itself, or point the link at a file of its kind")
    return None


def unpublished_suffix(name: str) -> str | None:
    """The suffix for which a file of this name is not published from content/ ('' for none); None when
    it is: its suffix is in PUBLISHED, and none before it in _ACTIVE."""
    suffixes = [part.lower() for part in PurePosixPath(name).suffixes]
    if not suffixes or suffixes[-1] not in PUBLISHED:
        return suffixes[-1] if suffixes else ""
    return next((part for part in suffixes[:-1] if part in _ACTIVE), None)


def host_setting(output: str) -> str | None:
    """The name in the site's path ``output`` that a static host reads as its settings (HOST_FILES at any
    depth, as IIS reads web.config in every folder; a name starting with '_' at the site's root, where
    Netlify and Cloudflare Pages read `_headers`, `_redirects`, `_worker.js/`), whatever its case; None
    for a path no host reads so (`objectives/_files/chart.png` is an ordinary file)."""
    for depth, name in enumerate(output.split("/")):
        if (depth == 0 and name.startswith("_")) or name.lower().rstrip(". ") in HOST_FILES:
            return name
    return None


_TABLES = {"objective.html": ("objective", "objectives"), "map.html": ("objective", "objectives"), "kpi.html": ("KPI", "kpis"), "team.html": ("team", "teams"), "page.html": ("page", "pages")}


def source_of(output: Output, site: Site, settings: Settings, root: Path) -> Source:
    page, static = output.page, output.static
    if static is not None:
        if static.is_relative_to(root / "content"):
            return Source("the file", static.relative_to(root).as_posix(), 1, "rename or move the file under content/, and the links to it")
        if static.is_relative_to(root):
            return Source("the theme file", static.relative_to(root).as_posix(), 1, "rename or remove the theme file")
        return Source(f"the default theme's {output.path}")
    if page is None:
        return Source(f"okrsite's {output.path}")
    subject, template = page.subject, page.template
    if subject is None:
        return Source(f"okrsite's page {page.url}" if page.url else "okrsite's home page")
    if template == "person.html":
        file, line = site.people[subject].source
        return Source(f"the person '{subject}'", file, line, "write the name the same way everywhere")
    if template in ("period.html", "review.html"):
        file, line = _period_source(site, settings, root, subject)
        return Source(f"the period '{subject}'", file, line, "name the periods so that they differ by more than case and punctuation")
    kind, table = _TABLES[template]
    entity = getattr(site, table)[subject]
    if kind == "page":
        return Source(f"the page '{entity.title}'", entity.doc.path, 1, "rename or move one of the files under content/")
    return Source(f"the {kind} '{subject}'", entity.doc.path, entity.doc.line("id"), "give one of them another id (ids that differ only in case share a folder)")


def _period_source(site: Site, settings: Settings, root: Path, ident: str) -> tuple[str, int]:
    """Where a period comes from: its name in okrsite.toml, else the first objective of it, else current_period."""
    if ident in settings.periods:
        return SETTINGS_FILE, setting_line(root, "periods", ident)
    for o in site.objectives.values():
        if o.period is not None and o.period.id == ident:
            return o.doc.path, o.doc.line("period")
    return SETTINGS_FILE, setting_line(root, "current_period")


def static_sources(themes: list[Path]) -> Iterator[tuple[str, Path]]:
    """Static files of every theme folder; the site's own files win over the default's. Hidden files and
    folders are left out, and so are links that lead out of the folder (theme.usable_theme_file)."""
    seen: set[str] = set()
    for theme in themes:
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            rel = path.relative_to(static).as_posix()
            if path.is_file() and rel not in seen and not hidden(rel) and usable_theme_file(path, static):
                seen.add(rel)
                yield rel, path


def check_pages(root: Path, loaded: Loaded, once_confidential: Collection[str] = ()) -> None:
    """What `okrsite check` finds in the pages a loaded site is written as (two spellings of one person,
    two sources of one address, a link to a host's settings file, a confidential KPI's data file that
    a KPI not confidential reads), in its report: a check-in is refused for these as for an error of
    reading (goals.checkin.check_edit, QA DJ). ``once_confidential``: git.read.once_confidential of the
    site, which the caller reads."""
    plan = write_plan(site_for_audience(loaded.site, loaded.settings.audience), loaded.settings, theme_dirs(root), root, once_confidential)
    check_plan(plan, loaded.site, loaded.settings, root, loaded.report)
    check_content_files(loaded.site, root, loaded.report, settings=loaded.settings, once_confidential=once_confidential)
    check_shared_data_files(loaded.site, root, loaded.report, loaded.settings)


def check_plan(plan: list[Output], site: Site, settings: Settings, root: Path, report: Report) -> None:
    """Report theme files okrsite does not use as meant (web/theme.py), plain pages in a place okrsite
    generates, then every pair of files that would be one (also by case), and every file standing where
    another needs a folder."""
    def source(output: Output) -> Source:
        return source_of(output, site, settings, root)

    for folder in theme_folders_outside(root):
        report.warning(folder, NO_LINE, f"{folder}/ leads out of the site's folder and its git repository, to {(root / folder).resolve()}: none of its files is used",
                       "put the theme inside the site's repository (a copy, or a git submodule that theme/ may link to): "
                       "a site publishes only what its own repository holds")
    for folder, problem, fix in unusable_theme_folders(root):
        report.warning(folder, NO_LINE, problem, fix)
    for place, problem, fix in [*misplaced_theme_files(root), *theme_file_loops(root)]:
        report.warning(place, NO_LINE, problem, fix)
    for file, line, problem, fix in [*templates_in_static(root), *stylesheet_links(root)]:
        report.warning(file, line, problem, fix)

    for output in plan:
        problem = _unportable_copy(output, root)
        if problem is not None:
            report.warning(*problem)
    first: dict[str, Output] = {}
    folders: set[str] = set()
    reported: set[frozenset] = set()
    for output in plan:
        if _replaces_generated(output):
            report.error(source(output).file, 1, *_replaces_message(output.page.url.split("/", 1)[0]))
            continue
        key = file_key(output.path)
        earlier = first.setdefault(key, output)
        if earlier is not output and _pair(earlier, output) not in reported:
            reported.add(_pair(earlier, output))
            _report_clash((earlier, source(earlier)), (output, source(output)), report)
        folder = key.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    for folder in sorted(folders & first.keys()):
        holder = first[folder]
        needs = next(o for key, o in first.items() if key.startswith(folder + "/"))
        a, b = source(holder), source(needs)
        message = f"{a.where} writes the file {holder.path}, where {b.where} needs a folder"
        if holder.static is not None and a.file:  # a file of the site's: rename it, not the people or ids okrsite makes folders of
            report.error(a.file, a.line, message, a.fix)
        else:
            _report(report, a, b, message, b.fix or a.fix)


def _unportable_copy(output: Output, root: Path) -> tuple[str, int, str, str] | None:
    """(file, line, message, hint) when a file of the site's that the build copies (an image a body
    links to, a theme's static file) is named so that Windows cannot hold it (goals/files.path_problem)."""
    if output.static is None or not output.static.is_relative_to(root):
        return None
    rel = output.static.relative_to(root).as_posix()
    problem = path_problem(rel)
    return None if problem is None else (rel, NO_LINE, *problem)


def _pair(one: Output, other: Output) -> frozenset:
    """What clashes, once: two periods whose pages clash have review pages that clash too, and two
    objectives whose pages clash, map pages that clash too."""
    same = {"review.html": "period.html", "map.html": "objective.html"}

    def subject(output: Output):
        page = output.page
        return (same.get(page.template, page.template), page.subject) if page else output.path
    return frozenset((subject(one), subject(other)))


def _replaces_generated(output: Output) -> bool:
    """A plain page may not take an address okrsite generates, nor a place in one of its sections."""
    return output.page is not None and output.page.template == "page.html" and output.page.url.split("/", 1)[0] in RESERVED


def _replaces_message(first: str) -> tuple[str, str]:
    where = f"'{first}/'" if first else "the home page"
    return f"this page would replace {where}, which okrsite generates", "rename the file or move it into another folder under content/"


def _report_clash(one: tuple[Output, Source], other: tuple[Output, Source], report: Report) -> None:
    (a_out, a), (b_out, b) = sorted((one, other), key=lambda pair: (pair[1].file.split("/"), pair[1].line))  # file order, okrsite's own first
    letterless = [str(o.page.subject) for o in (a_out, b_out) if o.page and o.page.subject is not None and not bare_slug(str(o.page.subject))]
    if letterless:  # a name of signs only ('—', '🚀') gets the page 'item': not a spelling of another such name
        names = " and ".join(f"'{name}'" for name in letterless)
        message = f"{names} {'have' if len(letterless) > 1 else 'has'} no letter or digit to make a page's address of: {a.where} and {b.where} both get {b_out.path}"
        hint = "write a name with a letter or a digit in it (a person's name; a period such as FY27-launch)"
    elif a_out.page and b_out.page and a_out.page.template == b_out.page.template == "person.html":
        names = f"'{a_out.page.subject}' ({a.file}:{a.line}) and '{b_out.page.subject}' ({b.file}:{b.line})"
        if _letters(a_out.page.subject) == _letters(b_out.page.subject):
            unseen = differs_unseen(a_out.page.subject, b_out.page.subject)
            message = f"two spellings of one person: {names}" + (f": the {unseen[0]} holds {unseen[1]}" if unseen else "")
            retype = f": retype the {unseen[0]} one" if unseen else ""
            hint = f"write the name the same way everywhere{retype} (both get the page {b_out.page.url})"
        else:
            message = f"two people get the same page {b_out.page.url}: {names}"
            hint = _why_one_page(a_out.page.subject, b_out.page.subject)
    elif a_out.path != b_out.path:
        message, hint = f"{a_out.path} and {b_out.path} {how_they_differ(a_out.path, b_out.path)}: {a.where} and {b.where}", b.fix or a.fix
    else:
        message, hint = f"two sources would write {b_out.path}: {a.where} and {b.where}", b.fix or a.fix
    _report(report, a, b, message, hint)


def _why_one_page(one: str, other: str) -> str:
    """Why two names that differ in letters get one page: cut at its length, or written alike."""
    if uncut_slug(one) != uncut_slug(other):
        return (f"a page address keeps at most the first {MAX_SLUG} characters of a name ({MAX_SLUG_BYTES} bytes in UTF-8), and these names "
                "differ only after that: write one of them so that it differs within them (a shorter name), the same way everywhere")
    return ("page addresses write Latin letters without accents, ł as l, ß as ss, ø as o, and drop those without a plain form (ə, ƒ): "
            "write one of the names so that it differs in other letters too, the same way everywhere")


def _report(report: Report, a: Source, b: Source, message: str, hint: str) -> None:
    """At the later source when it is a file of the site, else at the earlier one."""
    at = b if b.file else a
    report.error(at.file or "content", at.line, message, hint)


def _letters(name: str) -> str:
    """A name's letters and digits, without case or accents, Latin ones as page addresses write them:
    'Fátima-Zahra' and 'fatima zahra' agree, and so do 'Łukasz' and 'Lukasz'."""
    decomposed = unicodedata.normalize("NFKD", name).casefold()
    return "".join(PLAIN_LATIN.get(c, c) for c in decomposed if c.isalnum())
