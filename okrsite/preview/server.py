"""`okrsite serve`: the live preview. Kept apart from the build: it serves what preview.Project holds in
memory, watches the goals repository, and tells open pages to reload (Server-Sent Events).

A broken file never stops it: the last good pages stay up and every page shows the diagnostics.
"""

from __future__ import annotations

import errno
import html
import gc
import hashlib
import ipaddress
import queue
import re
import socket
import sys
import json
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Sequence
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..goals.config import SETTINGS_FILE, load_settings
from ..goals.diagnostics import Diagnostic, Report, format_text, one_line
from ..goals.files import editor_leftover, listed_name, site_problem
from ..git.worktree import MAILMAP, git_folder
from ..web.theme import default_theme
from ..web.security import live_reload_policy
from .forms import CHECKIN, MAX_FORM_BYTES, Forms, add_forms, read_form, refused_at, submit, token_matches
from .state import Project, Rebuild, StartFrom

EVENTS = "/__okrsite/events"
FOREIGN = "okrsite serve only takes check-ins from its own pages on this computer\n"
COLLECT_AFTER_S = 0.5  # after a rebuild: browsers have reloaded the page by then
KEEP_ALIVE_S = 2  # a tab closed is noticed at the next write: its page is no longer rendered at once
CLIENT = "/__okrsite/live.js"
WORKER = "/__okrsite/live-worker.js"
TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8", ".woff2": "font/woff2", ".jpg": "image/jpeg", ".webp": "image/webp",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".avif": "image/avif", ".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8",
}


def content_type(rel: str) -> str:
    """The Content-Type of a file of the site by its suffix in any case (a camera's `photo.PNG`, a
    scanner's `scan.JPG`: a body's image is copied under the name it is linked by)."""
    return TYPES.get(Path(rel).suffix.lower(), "application/octet-stream")


# On every response: a file of the site is never run as another type than its own (a copied .txt as a
# script), and no page of the preview is shown in a frame of another site (clickjacking of the update
# forms). The pages' own policy is a <meta>, where frame-ancestors is ignored: only a header can say it.
SAFETY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Content-Security-Policy", "frame-ancestors 'none'"))
BODY_TIMEOUT_S = 5.0  # a check-in's body comes at once from this computer; one that does not, never will
TEXT = "text/plain; charset=utf-8"


def from_elsewhere(headers) -> bool:
    """A request a browser sent for a page of another site that is not opening the preview: a
    ``<script src>`` of the search index (JSONP: a page that includes it reads it, private objectives
    included), a fetch, an image or a frame. A link to the preview from elsewhere (a top-level
    navigation) still opens it.

    "same-site" is refused too: for a browser, every port of 127.0.0.1 (or of localhost) is the same
    site, so another local server (a dev server running packages of unknown origin, a folder served
    with `python -m http.server`) would count as one. The preview's own pages are same-origin; what
    the person types or bookmarks is "none". A request without the header (curl, a script, an old
    browser) is served: no page of another site sent it through a browser that has it."""
    site = (headers.get("Sec-Fetch-Site") or "same-origin").lower()
    if site in ("same-origin", "none"):
        return False
    navigation = (headers.get("Sec-Fetch-Mode") or "").lower() == "navigate" and (headers.get("Sec-Fetch-Dest") or "").lower() == "document"
    return not navigation


class Preview:
    """The state shared by the HTTP threads, the watcher and the terminal."""

    def __init__(self, project: Project, log: Callable[[str], None] = print) -> None:
        self.project = project
        self.log = log
        self.forms = Forms.new(project.root)  # the update forms' per-run token
        self.lock = threading.Condition()
        self.building = threading.Lock()
        # counted on from the clock: a page of an earlier run of serve, shown again (a tab that was out of
        # sight), takes this run's first message as newer, and reloads
        self.version = time.time_ns() // 1_000_000
        self.published = Published(self.version)
        self.open_pages: Counter[str] = Counter()  # the page each live-reload connection shows (under lock)
        self.collecting: threading.Timer | None = None
        self._etags: dict[str, tuple[bytes, str]] = {}  # path -> (the bytes it was computed for, their ETag)
        self.notices = PrintedNotices()
        self.turning = threading.Lock()  # one thread rebuilds for a new day; the others then find it done
        self.turned: date | None = None  # the last day rebuilt for (once, even if that rebuild raised)

    def etag(self, rel: str, data: bytes) -> str:
        """The ETag of a file of the site as served now, computed once per version of it (okrs.json and
        the search index are megabytes at scale)."""
        known = self._etags.get(rel)
        if known is None or known[0] is not data:
            known = self._etags[rel] = (data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"')
        return known[1]

    @property
    def message(self) -> str:
        """The last rebuild's event for a browser that did not say which page it shows."""
        return self.published.message()

    def showing(self) -> set[str]:
        """The pages browsers show now: a rebuild renders those of them it reaches at once."""
        with self.lock:
            return {page for page in self.open_pages if page}

    def rebuild(self, changed: list[Path] | None = None, reason: str = "") -> Rebuild:
        """Rebuild and tell the browsers. The cyclic garbage collector waits until the browsers are
        told: at 10,000 objectives its full passes cost a third of a rebuild. After the first build,
        the model it made is frozen out of those passes (it lives as long as the preview)."""
        with self.building:
            had_pages = self.project.site is not None
            named = [path for path in changed if not self.project.passing(path)] if changed is not None else None
            if changed and not named:
                return Rebuild(self.project.report, ok=not self.project.report.errors)
            gc.disable()
            try:
                result = self.project.rebuild(changed, self.showing())
                self._report(result, named, reason, had_pages)
                self.publish(result)
            finally:
                gc.enable()
            if not had_pages and result.ok:
                gc.collect()
                gc.freeze()
                return result
        self._collect_soon()
        return result

    def follow_the_day(self) -> None:
        """Rebuild when the day the site is shown as of has passed (a preview left open past midnight,
        with no day fixed): the page asked for, and every open page, shows the new day, as after a save.
        The watcher asks every half second; each request asks first."""
        day = self.project.day()
        if day == self.turned or not self.project.behind_the_day():
            return
        with self.turning:
            if day != self.turned and self.project.behind_the_day():
                self.turned = day
                self.rebuild([], reason=f"a new day ({day})")

    def reading(self) -> tuple:
        """What the last rebuild read (Project.reading), taken between rebuilds."""
        with self.building:
            return self.project.reading()

    def _collect_soon(self) -> None:
        """Collect what the rebuild left in cycles (with the collector off, it would pile up) once the
        browsers have reloaded: a full pass at once (about 40 ms at 10,000 objectives) would hold up
        the very page they ask for. Never during a rebuild."""
        def collect() -> None:
            with self.building:
                gc.collect()

        timer = threading.Timer(COLLECT_AFTER_S, collect)
        timer.daemon = True
        timer.start()
        self.collecting = timer

    def settle(self) -> None:
        """Wait for the collection the last rebuild asked for (tests)."""
        if self.collecting is not None:
            self.collecting.join()

    def _report(self, result: Rebuild, changed: list[Path] | None, reason: str, had_pages: bool) -> None:
        """One terminal line per rebuild: what changed, pages rendered, milliseconds, the notices counted;
        then its errors and warnings, and the notices new or gone since the last line (PrintedNotices)."""
        if changed is None:
            what = reason or "first build"
        else:
            saved = {_shown(p, self.project.root) for p in [*changed, *result.unnamed] if _wanted(p, self.project.root.resolve())}
            what = ", ".join(named(saved, {_shown(p, self.project.root) for p in result.found})) or reason or "a file"
        if result.ok:
            files = len(result.changed) - result.deferred
            later = f" ({result.deferred} more when opened)" if result.deferred else ""
            line = f"{what}: {result.rendered} pages rendered{later}, {files} file{'s' * (files != 1)} changed, in {result.seconds * 1000:.0f} ms"
        else:
            keeping = "still serving the last good pages" if had_pages else "no pages yet"
            line = f"{what}: {len(result.report.errors)} error(s), {keeping}"
        told = self.notices.told(result.report.notices, result.ok)
        self.log(one_line(line + told.counted))
        new = set(told.new)
        printed = [d for d in result.report.sorted() if d.severity != "notice" or d in new]
        if printed:
            self.log(format_text(printed))
        if told.gone:
            self.log("\n".join(one_line(f"{d.where}: notice gone: {d.message}") for d in told.gone))

    def publish(self, result: Rebuild) -> None:
        diagnostics = [d.as_dict() | {"severity": d.severity} for d in result.report.errors]
        with self.lock:
            self.version += 1
            self.published = Published(self.version, result.changed, result.styles_only, diagnostics, self.project.site is not None)
            self.lock.notify_all()


@dataclass(frozen=True)
class Published:
    """What the last rebuild tells the browsers: its version, the files that changed or may have (pages
    left to render when opened), whether only style sheets did, the errors, and whether there are good
    pages to show meanwhile (none while no build has succeeded: the box of errors says so)."""

    version: int = 0
    changed: frozenset[str] = frozenset()
    styles_only: bool = False
    errors: list = field(default_factory=list)
    site: bool = False

    def message(self, pages: Sequence[str | None] = (None,)) -> str:
        """The event for a browser showing ``pages`` (None among them: unknown): the changed files that
        matter to it. Thousands of pages may be left to render after a settings change; one tab needs one."""
        changed = sorted(self.changed) if None in pages else sorted(self.changed.intersection(pages))
        return json.dumps({"version": self.version, "changed": changed, "styles_only": self.styles_only, "errors": self.errors, "site": self.site})


@dataclass(frozen=True)
class Told:
    """What the terminal says of a rebuild's notices: their count at the end of its line, then the new
    ones in full and the gone ones by name."""

    counted: str
    new: list[Diagnostic]
    gone: list[Diagnostic]


class PrintedNotices:
    """The notices the terminal has printed. Time makes them, not a save, so each is printed once: when a
    rebuild first has it. A rebuild without errors says which ones are gone; one with errors does not
    know those of its broken files (numbers.notices.sound_part), which wait for the fix as printed."""

    def __init__(self) -> None:
        self.printed: list[Diagnostic] | None = None

    def told(self, notices: list[Diagnostic], complete: bool) -> Told:
        first, printed = self.printed is None, self.printed or []
        new = _beyond(notices, printed)
        missing = _beyond(printed, notices)
        gone, waiting = (missing, []) if complete else ([], missing)
        self.printed = notices + waiting
        if first:
            return Told(_counted(len(notices), []), new, [])
        said = [f"{len(new)} new"] * bool(new) + [f"{len(gone)} gone"] * bool(gone)
        said += [f"{len(waiting)} unknown until the errors are fixed"] * bool(waiting)
        return Told(_counted(len(notices), said or ["unchanged"] * bool(notices)), new, gone)


def _beyond(items: list[Diagnostic], others: list[Diagnostic]) -> list[Diagnostic]:
    """The notices of ``items`` that ``others`` does not have (a notice is the same at another line:
    a save above it moves it)."""
    left = Counter((d.file, d.message, d.hint) for d in others)
    beyond = []
    for d in items:
        key = (d.file, d.message, d.hint)
        if left[key]:
            left[key] -= 1
        else:
            beyond.append(d)
    return beyond


def _counted(count: int, said: list[str]) -> str:
    """The end of a rebuild line: ", 13 notices (unchanged)"; nothing for a site that has had none."""
    if not count and not said:
        return ""
    return f", {count} notice{'s' * (count != 1)}" + (f" ({', '.join(said)})" if said else "")


def _shown(path: Path, root: Path) -> str:
    """A changed path as the terminal line names it: from the goals repository, as saved (a symbolic
    link by its own name, not by where it leads)."""
    try:
        return Path(os.path.abspath(path)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def named(saved: set[str], found: set[str]) -> list[str]:
    """What a terminal line names: the files ``saved``, and the goals files a rebuild ``found`` (read or
    let go) in a folder among them, in place of that folder. A watcher that takes up a new folder may
    miss the file written into it at once (`mkdir notes` then `notes/retro.md`: the line named only
    the folder), or report both. A folder is named only when nothing within it is."""
    within = {name for name in found if any(str(folder) in saved for folder in PurePosixPath(name).parents)}
    holding = {str(folder) for name in saved | within for folder in PurePosixPath(name).parents}
    return sorted(name for name in saved | within if name not in holding)


def resolve_request(path: str) -> str | None:
    """The output file a URL path names, or None for anything that could leave the site."""
    path = unquote(urlsplit(path).path)
    if "\\" in path or "\x00" in path or not path.startswith("/"):
        return None
    parts = path.split("/")[1:]
    if any(part in (".", "..") for part in parts):
        return None
    rel = "/".join(parts)
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


class Handler(BaseHTTPRequestHandler):
    server: "PreviewServer"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: with Nagle, a kept-alive connection waits 40 ms for an ACK

    def log_message(self, format, *args):  # noqa: A002 - quiet: the terminal shows rebuilds, not requests
        pass

    def do_HEAD(self):
        self._respond(head=True)

    def do_GET(self):
        self._respond(head=False)

    def _method_not_allowed(self):
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"GET and HEAD only\n", "text/plain; charset=utf-8", head=False, extra={"Allow": "GET, HEAD"})

    def __getattr__(self, name: str):
        """Any method but GET, HEAD and POST (TRACE, PROPFIND, ...) gets 405 too, not the library's 501 page."""
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def do_POST(self):
        """A check-in from an update form: only from this computer, to localhost, from a page of this
        preview (Origin) and with this run's token; anything else is 403 and writes nothing."""
        if urlsplit(self.path).path != CHECKIN:
            self._method_not_allowed()
            return
        preview = self.server.preview
        length = self.headers.get("Content-Length", "")
        size = int(length) if length.isdigit() else None
        if size is not None and size > MAX_FORM_BYTES:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"okrsite serve takes a check-in of at most {MAX_FORM_BYTES >> 20} MB: shorten the note "
                         "(your browser's Back button returns to the form with what you typed)\n", size)
            return
        if size is None or not self._local_post(self.headers.get("Host") or ""):
            self._refuse(HTTPStatus.FORBIDDEN, FOREIGN, size or 0)
            return
        raw = self._body(size)
        if raw is None:
            self._refuse(HTTPStatus.REQUEST_TIMEOUT, "okrsite serve received only part of the check-in: send the form again\n", 0)
            return
        fields = read_form(raw)
        if not token_matches(fields.get("token", ""), preview.forms):
            self._refuse(HTTPStatus.FORBIDDEN, FOREIGN, 0)
            return
        project = preview.project
        preview.follow_the_day()
        day = project.day()
        outcome = submit(project.root, fields, lambda changed: preview.rebuild(changed, reason="check-in"), project.fixed_as_of, preview.forms, day,
                         preview.reading)
        if outcome.location:
            self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", head=False, extra={"Location": outcome.location})
            return
        back = refused_at(project.file, project.site, preview.forms, fields, outcome, day, project.whole_site)  # the page, its form saying why
        if back is not None:
            self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", head=False, extra={"Location": back})
            return
        self._send(HTTPStatus(outcome.status), outcome.body.encode(), TYPES[".html"], head=False)

    def _refuse(self, status: HTTPStatus, text: str, unread: int) -> None:
        """Answer at once and close; then read and forget what the client still sends of its body (up to
        64 MB, for the body timeout at most): a browser still sending reads the answer only if the
        connection is not reset under it."""
        self._send(status, text.encode(), TEXT, head=False, extra={"Connection": "close"})
        self._body(min(unread, 64 * MAX_FORM_BYTES), keep=False)

    def _body(self, size: int, keep: bool = True) -> bytes | None:
        """The request's body of ``size`` bytes, or None if it does not come whole within the server's
        body timeout (a client that declared more than it sends would otherwise hold this thread forever)."""
        deadline = time.monotonic() + self.server.body_timeout
        chunks: list[bytes] = []
        try:
            while size > 0:
                self.connection.settimeout(max(deadline - time.monotonic(), 0.001))
                chunk = self.rfile.read1(min(size, 1 << 16))
                if not chunk:
                    return None
                size -= len(chunk)
                if keep:
                    chunks.append(chunk)
        except OSError:  # the timeout, or the client gone
            self.close_connection = True
            return None
        finally:
            self.connection.settimeout(None)
        return b"".join(chunks)

    def _local_post(self, host: str) -> bool:
        """From a loopback address, addressed to localhost, and sent by a page of this very server."""
        return (_is_loopback(self.client_address[0]) and _is_loopback(_host_name(host))
                and self.headers.get("Origin") == f"http://{host}")

    def _host_allowed(self) -> bool:
        """DNS-rebinding guard: bound to a loopback address, answer only requests addressed to one."""
        if self.server.public:
            return True
        return _is_loopback(_host_name(self.headers.get("Host") or ""))

    def end_headers(self) -> None:
        for name, value in SAFETY_HEADERS:
            self.send_header(name, value)
        super().end_headers()

    def _respond(self, head: bool) -> None:
        if not self._host_allowed():
            self._send(HTTPStatus.FORBIDDEN, b"okrsite serve only answers requests for localhost\n", TEXT, head)
            return
        if from_elsewhere(self.headers):
            self._send(HTTPStatus.FORBIDDEN, b"okrsite serve only answers its own pages, and links that open it\n", TEXT, head)
            return
        path = urlsplit(self.path).path
        if path == EVENTS:
            if head:
                self._send(HTTPStatus.OK, b"", "text/event-stream", head=True)
            else:
                self._events()
            return
        if path in CLIENT_FILES:
            self._send_file(path, CLIENT_FILES[path], TYPES[".js"], head)
            return
        preview = self.server.preview
        preview.follow_the_day()
        rel = resolve_request(self.path)
        project = preview.project
        version = preview.version  # before the page: a rebuild in between makes the page reload, never miss one
        data = project.file(rel) if rel is not None else None
        if data is None and rel is not None and not rel.endswith(".html") and project.has(rel + "/index.html"):
            query = urlsplit(self.path).query  # a shared search address keeps its words: /search?q=x → /search/?q=x
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head, extra={"Location": path + "/" + (f"?{query}" if query else "")})
            return
        status = HTTPStatus.OK
        if data is None and project.site is None and rel is not None and rel.endswith(".html"):
            data = no_site_yet(preview.published.errors)  # the first build failed
        elif data is None:
            status, rel = HTTPStatus.NOT_FOUND, "404.html"
            found = project.file("404.html")
            data = from_root(found, path, project.settings.site_url) if found is not None else no_site_yet(preview.published.errors)
        kind = content_type(rel)
        if kind == TYPES[".html"]:
            data = inject(add_forms(without_full_text(data), rel, project.site, preview.forms, project.day(),
                                    preview.forms.answer(urlsplit(self.path).query) if status == HTTPStatus.OK else None, project.whole_site), version)
            if project.site is not None:  # a page of the last good site (its "not found" page too)
                data = with_errors(data, preview.published.errors)
        elif status == HTTPStatus.OK:
            self._send_file(rel, data, kind, head)
            return
        self._send(status, data, kind, head)

    def _send_file(self, rel: str, data: bytes, content_type: str, head: bool) -> None:
        """A style sheet, script, image or JSON file, with its ETag: a browser asks again at every use
        (no-cache) and gets 304 and no body while it is the same; pages are never stored (no-store)."""
        tag = self.server.preview.etag(rel, data)
        if tag in (self.headers.get("If-None-Match") or "").replace(" ", "").split(","):
            self._send(HTTPStatus.NOT_MODIFIED, b"", content_type, head=True, extra={"ETag": tag}, cache="no-cache")
        else:
            self._send(HTTPStatus.OK, data, content_type, head, extra={"ETag": tag}, cache="no-cache")

    def _send(self, status, body: bytes, content_type: str, head: bool, extra: dict | None = None, cache: str = "no-store") -> None:
        self.send_response(status)
        if status != HTTPStatus.NOT_MODIFIED:  # a 304 has no body, and its length would be the file's
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """The live-reload stream of a browser: of one tab, or of all its tabs of the preview through
        their shared worker. The client names the pages it shows (``?page=``, once for each): while
        it is connected, rebuilds render those pages at once (see Project.rebuild)."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        pages = shown_pages(self.path)
        seen = -1
        with preview.lock:
            preview.open_pages.update(pages)
        try:
            while not self.server.stopping:
                with preview.lock:
                    if preview.version == seen:
                        preview.lock.wait(timeout=KEEP_ALIVE_S)
                    published = preview.published
                if published.version != seen:
                    seen = published.version
                    self.wfile.write(f"data: {published.message(pages)}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            with preview.lock:
                preview.open_pages.subtract(pages)
                for page in set(pages):
                    if preview.open_pages[page] <= 0:
                        del preview.open_pages[page]


def shown_pages(url: str) -> list[str | None]:
    """The output files of the pages a live-reload connection says it shows (``?page=/objectives/x/``,
    once for each), or [None] when it names none it may (an unknown page: every change matters)."""
    asked = parse_qs(urlsplit(url).query).get("page", [])
    pages = sorted({page for query in asked if query.startswith("/") and (page := resolve_request(query))})
    return pages or [None]


_BASE = re.compile(rb'<base href="[^"]*">')
_HEAD = re.compile(rb'<meta charset="utf-8">|<head\b[^>]*>', re.I)


def from_root(page: bytes, asked: str, site_url: str | None = None) -> bytes:
    """The site's "not found" page as the preview serves it at any address, however deep: its links
    lead from the preview's root (not from where it was asked for, nor to site_url's published site,
    which the built page's links start with when it is set), and its links within itself ("Skip to
    content": #main) stay on the address ``asked`` for."""
    if site_url:
        published = html.escape(site_url.rstrip("/") + "/", quote=True).encode()
        page = page.replace(b'="' + published, b'="/')
    if _BASE.search(page):
        page = _BASE.sub(b'<base href="/">', page, count=1)
    elif head := _HEAD.search(page):
        page = page[:head.end()] + b'\n<base href="/">' + page[head.end():]
    here = html.escape(quote(asked, safe="/%"), quote=True).encode()
    return page.replace(b'href="#', b'href="' + here + b"#")


def without_full_text(page: bytes) -> bytes:
    """A Pagefind site's search page as the preview serves it: the preview runs no Pagefind, so its
    search.js says that full-text search is the built site's, and asks for no pagefind/pagefind.js."""
    return page.replace(b' data-full-text="pagefind"', b' data-full-text="preview"', 1)


def inject(html: bytes, version: int) -> bytes:
    """Add the live-reload client (serve only), with the version of the site the page is from and the
    digest of its frame (see frame_of); the client also shows the error overlay."""
    frame = frame_of(html)
    in_place = f' data-frame="{frame}"' if frame else ""
    tag = f'<script src="{CLIENT}" data-version="{version}"{in_place}></script>'.encode()
    html = live_reload_policy(html)
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


_IN_PLACE = re.compile(rb'<title\b[^>]*>.*?</title>|<meta (?:http-equiv="Content-Security-Policy"|name="description") [^>]*>|<style>.*?</style>', re.S)
_SCRIPT = re.compile(rb"<script\b[^>]*>", re.I)
_THEME_SCRIPT = re.compile(rb'<script src="(?:[./]*)search\.js" defer>')


def frame_of(html: bytes) -> str | None:
    """A digest of everything of a page but its <main> and what changes with it (the title and
    description, the policy and the <style> rules the policy allows by hash). When a page changes and its frame does not, the
    live client puts the new <main> in place instead of reloading: the scroll position stays. None when
    the page reloads whatever changed: it has no <main>, or a script of its own or the search page's
    form (a script reads <main>; the header's search script does not)."""
    start, end = html.find(b"<main"), html.rfind(b"</main>")
    if start < 0 or end < start or b'<form class="search"' in html[start:end]:
        return None
    if any(not _THEME_SCRIPT.match(tag) for tag in _SCRIPT.findall(html)):
        return None
    return hashlib.sha256(_IN_PLACE.sub(b"", html[:start]) + html[end:]).hexdigest()[:20]


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    body_timeout = BODY_TIMEOUT_S
    request_queue_size = 128  # the default 5 drops connections a page's burst of requests opens at once (then TCP retries in 1, 3, 7 s)

    def __init__(self, address, preview: Preview, public: bool) -> None:
        self.preview, self.public, self.stopping = preview, public, False
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)


    def handle_error(self, request, client_address) -> None:
        """A browser that goes away mid-response is normal in a preview; anything else is printed."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _host_name(host: str) -> str:
    """The name of a Host header, without its port: 'localhost', '127.0.0.1', '[::1]'."""
    return (host.split("]")[0] + "]" if host.startswith("[") else host.rsplit(":", 1)[0]).lower()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def start_server(preview: Preview, host: str = "127.0.0.1", port: int = 8000) -> PreviewServer:
    """Bound to a loopback address, the server answers only requests addressed to localhost."""
    return PreviewServer((host.strip("[]"), port), preview, public=not _is_loopback(host))


def _wanted(path: Path, tree: Path | None = None) -> bool:
    """Editor droppings (swap, backup, lock and vim's 4913 probe files), hidden files and what hidden
    folders under ``tree`` (the watched folder) hold are not content: a build reads none of them."""
    name = path.name
    if name.startswith(".") or editor_leftover(name):
        return False
    if tree is not None and path.is_relative_to(tree) and any(part.startswith(".") for part in path.relative_to(tree).parts):
        return False
    return not any(part in (".git", "node_modules", "__pycache__") for part in path.parts)


def watched_trees(root: Path) -> list[Path]:
    """Folders a save can change: content/, data/, the site's theme/, and the default theme when it is a
    source checkout (an editable install) rather than an installed package."""
    trees = [root / name for name in ("content", "data", "theme") if (root / name).is_dir()]
    theme = default_theme()
    if "site-packages" not in theme.parts:
        trees.append(theme)
    unique: list[Path] = []
    for tree in (t.resolve() for t in trees):
        if not any(tree.is_relative_to(u) for u in unique):
            unique = [u for u in unique if not u.is_relative_to(tree)] + [tree]
    return unique


# A watcher reports a burst of changes once no new one came for STEP_MS (so STEP_MS to twice that after
# a save); batches of several watchers that follow each other within TOGETHER_S make one rebuild (a
# checkout that changes okrsite.toml and content/ reaches two watchers, a step apart at most).
STEP_MS = 10
TOGETHER_S = 0.025
# While git writes the work tree (a checkout, merge, reset, pull, rebase or stash), it holds its index
# lock, and pauses between files on a busy computer: what the watchers report meanwhile is part of one
# change. A rebuild waits for the lock to go (LOCK_WAIT_S at most: a lock a git that crashed left behind
# is waited for once), then for the watchers to be quiet for GIT_SETTLE_S (git's last files are still on
# their way), and reads it all at once.
LOCK_WAIT_S = 5.0
LOCK_POLL_S = 0.02
GIT_SETTLE_S = 0.1
DAY_CHECK_S = 0.5  # how often the worker, with nothing to do, asks whether the day has changed


class Batches:
    """The paths the watchers report, gathered into the batches of one rebuild each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pending: queue.Queue = queue.Queue()
        self.left_behind: tuple | None = None  # a lock that outlived a wait: not waited for again

    def put(self, paths: list[Path]) -> None:
        self.pending.put(paths)

    def next(self, timeout: float) -> list[Path] | None:
        """The paths of the next rebuild, or None when none came within ``timeout`` seconds: all those
        that follow each other within TOGETHER_S and, while git holds its index lock, all until it lets
        go and the watchers are quiet again."""
        try:
            batch = list(self.pending.get(timeout=timeout))
        except queue.Empty:
            return None
        quiet, deadline = TOGETHER_S, time.monotonic() + LOCK_WAIT_S
        while True:
            batch += self._until_quiet(quiet)
            held = self._lock_held()
            if held is None:
                return batch
            if time.monotonic() >= deadline:
                self.left_behind = held
                return batch
            quiet = GIT_SETTLE_S
            while self._lock_held() == held and time.monotonic() < deadline:
                batch += self._until_quiet(LOCK_POLL_S)

    def _until_quiet(self, quiet: float) -> list[Path]:
        """What the watchers report until they are quiet for ``quiet`` seconds."""
        more: list[Path] = []
        while True:
            try:
                more += self.pending.get(timeout=quiet)
            except queue.Empty:
                return more

    def _lock_held(self) -> tuple | None:
        """The index lock of the repository holding the site, when git holds it now (its inode and time,
        which tell one lock from the next), else None."""
        folder = git_folder(self.root)
        try:
            found = os.stat(folder.index_lock) if folder is not None else None
        except OSError:
            return None
        held = (found.st_ino, found.st_mtime_ns) if found is not None else None
        return None if held == self.left_behind else held


WATCHING_WAIT_S = 5.0  # how long a rebuild waits for a new watcher to watch (it takes a step, STEP_MS)


class _Asked:
    """The stop event as a watcher's loop asks it: watchfiles asks it at every step once its watches are
    set, so the first question tells that the watcher watches (``watching``)."""

    def __init__(self, stop: threading.Event, watching: threading.Event) -> None:
        self.stop, self.watching = stop, watching

    def is_set(self) -> bool:
        self.watching.set()
        return self.stop.is_set()


def _watch(paths: list[Path], stop: threading.Event, recursive: bool, keep: Callable[[Path], bool], on_change: Callable[[list[Path]], None],
           watching: threading.Event | None = None) -> None:
    """Report the changes under ``paths`` that ``keep`` keeps; ``watching`` is set once they are watched
    (or the watcher gave up: there is nothing to wait for)."""
    from watchfiles import watch as watch_changes

    watching = watching or threading.Event()
    try:
        changes_seen = watch_changes(
            *paths, watch_filter=lambda _change, path: keep(Path(path)), stop_event=_Asked(stop, watching), recursive=recursive,
            debounce=1600, step=STEP_MS, rust_timeout=500, yield_on_timeout=False,
        )
        for changes in changes_seen:
            seen = [path for path in sorted({Path(path) for _, path in changes}) if not _passing(path, changes)]
            if seen:
                on_change(seen)
    except (FileNotFoundError, OSError):
        return  # the folder went away; the root watcher starts a new watcher when it comes back
    finally:
        watching.set()


def _all_watching(started: list[threading.Event]) -> None:
    """Wait until the watchers just started watch: a file saved from then on is seen."""
    deadline = time.monotonic() + WATCHING_WAIT_S
    for watching in started:
        watching.wait(max(deadline - time.monotonic(), 0))


def data_folders(root: Path, files: Iterable[str]) -> set[Path]:
    """The folders to watch, each alone (not below it), for the KPIs' CSV files that no watched tree
    holds: of each file, the nearest folder that exists (one made later is seen as it comes, and then
    watched in turn). What the site root itself holds is the root watcher's."""
    trees = watched_trees(root)
    found = set()
    for rel in files:
        folder = (root / rel).parent
        while folder != root and not folder.is_dir():
            folder = folder.parent
        resolved = folder.resolve()
        if folder != root and resolved != root and not any(resolved.is_relative_to(tree) for tree in trees):
            found.add(folder)
    return found


def _passing(path: Path, changes: set) -> bool:
    """A file made and gone within one batch of changes, not a goals file: an editor's or `sed -i`'s
    temporary file, renamed over the file it rewrites. Nothing a build reads changed; the terminal
    line would name a file that never was."""
    from watchfiles import Change

    return (not listed_name(path.name) and (Change.added, str(path)) in changes and (Change.deleted, str(path)) in changes
            and not os.path.lexists(path))


GIT_HEAD = Path("<git HEAD>")  # what the git watcher reports: HEAD moved


def start_watching(preview: Preview, stop: threading.Event, first_build: bool = False) -> None:
    """Watch the content trees recursively and the site root itself flat (for okrsite.toml, and for a
    theme/, content/ or data/ folder made, removed or replaced later), so the output folder is never
    watched; the folders of the KPIs' CSV files elsewhere flat (watched before a rebuild reads them); of
    .git, only the reflog of HEAD, which every commit and checkout appends to. All watchers feed one
    queue, and one worker rebuilds once per quiet moment (see Batches): a git checkout, whatever it
    touches, is one rebuild. With nothing to do, the worker follows the day.

    With ``first_build``, the first build runs once the watchers watch, and the worker starts after it:
    a file saved while it reads the site is rebuilt after it, never lost."""
    root = preview.project.root
    pending = Batches(root)
    watchers: dict[Path, tuple[threading.Thread, threading.Event]] = {}
    data_watchers: dict[Path, tuple[threading.Thread, threading.Event, tuple]] = {}  # folder -> (thread, its stop, the folder's inode)

    def watch(folder: Path, own_stop: threading.Event, recursive: bool, keep: Callable[[Path], bool], on_change=pending.put) -> tuple[threading.Thread, threading.Event]:
        watching = threading.Event()
        return _start(_watch, [folder], own_stop, recursive, keep, on_change, watching), watching

    def ensure_tree_watchers(renewed: set[str] = frozenset()) -> bool:
        """Start a watcher for each content tree without a live one, and a fresh one for each folder
        in ``renewed`` (it was replaced: the old watcher follows the deleted folder). True if any started."""
        started = []
        for tree in watched_trees(root):
            thread, own_stop = watchers.get(tree, (None, None))
            if thread is not None and thread.is_alive() and tree.name not in renewed:
                continue
            if own_stop is not None:
                own_stop.set()
            own_stop = threading.Event()
            thread, watching = watch(tree, own_stop, True, partial(_wanted, tree=tree))
            watchers[tree] = (thread, own_stop)
            started.append(watching)
        _all_watching(started)
        return bool(started)

    def watch_data(files: frozenset[str]) -> None:
        """The folders of the KPIs' CSV files outside the trees watched (a folder replaced, anew), and
        those no KPI reads any more let go. Called by each rebuild before it reads them (Project.watch_data)."""
        wanted = {folder: _inode(folder) for folder in data_folders(root, files)}
        started = []
        for folder in list(data_watchers):
            thread, own_stop, inode = data_watchers[folder]
            if wanted.get(folder) != inode or not thread.is_alive():
                own_stop.set()
                del data_watchers[folder]
        for folder in wanted.keys() - data_watchers.keys():
            own_stop = threading.Event()
            thread, watching = watch(folder, own_stop, False, preview.project.reads_data)
            data_watchers[folder] = (thread, own_stop, wanted[folder])
            started.append(watching)
        _all_watching(started)

    def stop_all() -> None:
        stop.wait()
        for _, own_stop, *_ in [*watchers.values(), *data_watchers.values()]:
            own_stop.set()

    failed = False  # the last rebuild raised: the next one reads everything again

    def rebuild(batch: list[Path]) -> None:
        paths = sorted(set(batch))
        committed = GIT_HEAD in paths
        paths = [p for p in paths if p != GIT_HEAD]
        if committed and not paths and not preview.project.settings.git_history:
            return  # the site reads no history: a commit alone changes nothing on it
        moved = {p.name for p in paths if p.parent == root and p.name in ("content", "data", "theme")}
        if ensure_tree_watchers(moved) or moved or failed:
            preview.rebuild(None, reason=", ".join(_shown(p, root) for p in paths))
        else:
            preview.rebuild(paths, reason="git: a commit or checkout" if committed else "")

    def worker() -> None:
        nonlocal failed
        while not stop.is_set():
            batch = pending.next(DAY_CHECK_S)
            try:
                if batch is None:
                    preview.follow_the_day()
                    continue
                rebuild(batch)
                failed = False
            except Exception as exc:  # okrsite's bug, not the site's: said once, and the watcher lives on
                failed = True
                preview.log(one_line(f"okrsite serve: internal error, please report: {type(exc).__name__}: {exc} (still watching: the next save rebuilds everything)"))

    ensure_tree_watchers()
    started = [watch(root, stop, False, lambda path: path.name in (SETTINGS_FILE, "content", "data", "theme") or preview.project.reads_data(path))[1]]
    repository = git_folder(root)  # from the disk: a git that fails now does not leave commits unwatched
    if repository is not None and (repository.git_dir / "logs").is_dir():
        # Every commit, checkout or reset appends to the reflog of HEAD: new check-ins, without a save.
        started.append(watch(repository.git_dir / "logs", stop, False, lambda path: path.name == "HEAD", lambda _: pending.put([GIT_HEAD]))[1])
    if repository is not None:
        started.append(watch(repository.top, stop, False, lambda path: path.name == MAILMAP)[1])  # how git names the authors
    _all_watching(started)
    preview.project.watch_data = watch_data
    if first_build:
        preview.rebuild()
    else:
        with preview.building:
            watch_data(preview.project.data_files())  # the files the build made before watching read
    _start(worker)
    _start(stop_all)


def _inode(folder: Path) -> tuple | None:
    """What tells a folder from another made at its place later (None: none there)."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _served(root: Path, audience: str | None) -> str:
    """The site a preview serves, as `build` names it: its audience (``audience``, else its setting)
    when that is not internal, whichever way it was chosen."""
    audience = audience or load_settings(root, Report()).audience
    return str(root) if audience == "internal" else f"the {audience} site of {root}"


def _start(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, name="okrsite-watch", daemon=True)
    thread.start()
    return thread


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, as_of: date | None = None, log: Callable[[str], None] = print,
          audience: str | None = None, start: Callable[[Path], StartFrom | None] | None = None) -> int:
    """``start`` opens the build cache the first build starts from (None: a clean first build)."""
    root = Path(root).resolve()
    problem = site_problem(root)
    if problem is not None and not root.is_dir():
        log(one_line(f"okrsite serve: error: {problem[1]} ({problem[2]})"))
        return 1
    cache = start(root) if start is not None else None
    for note in cache.notes if cache is not None else ():
        log(one_line(f"okrsite serve: note: {note}"))
    preview = Preview(Project(root, as_of, audience, cache), log)
    try:
        server = start_server(preview, host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            log(f"okrsite serve: error: port {port} on {host} is already in use (try --port {port + 1})")
        else:
            log(f"okrsite serve: error: cannot listen on {host}:{port}: {exc.strerror or exc} (check --host and --port)")
        return 1
    shown_host = f"[{host.strip('[]')}]" if ":" in host else host
    log(one_line(f"Serving {_served(root, audience)} on http://{shown_host}:{server.server_address[1]}/ (Ctrl-C to stop)"))
    stop = threading.Event()
    start_watching(preview, stop, first_build=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping = True
        stop.set()
        server.server_close()
    return 0


def _listed(errors: list[dict]) -> str:
    """The errors as list items, every part escaped: a file name, a message or a hint may quote
    whatever a goals file holds."""
    return "".join(f"<li><code>{html.escape(str(e['file']))}:{html.escape(str(e['line']))}</code>: {html.escape(e['message'])}"
                   + (f" ({html.escape(e['hint'])})" if e.get("hint") else "") + "</li>" for e in errors)


def with_errors(page: bytes, errors: list[dict]) -> bytes:
    """A page of the last good site while the last save has errors: they are said at its top for a
    browser without JavaScript too (SPEC §8: the browser shows the error until the file is fixed);
    with it, the live client's overlay says them and keeps them current."""
    if not errors:
        return page
    body = _BODY.search(page)
    if body is None:
        return page
    said = (f'<noscript><div role="alert"><p><strong>okrsite: the last save has {len(errors)} error{"s" * (len(errors) != 1)}; '
            f"showing the last good pages.</strong></p><ol>{_listed(errors)}</ol></div></noscript>").encode("utf-8")
    return page[:body.end()] + said + page[body.end():]


_BODY = re.compile(rb"<body\b[^>]*>", re.I)


def no_site_yet(errors: list[dict]) -> bytes:
    """The page served while no build has succeeded: its errors readable without JavaScript (the
    live client's overlay replaces the list as saves change them), every part escaped, since a file
    name, a message or a hint may quote whatever a goals file holds."""
    said = (f"<p>The goals repository has {len(errors)} error{'s' * (len(errors) != 1)}; okrsite builds the site once they are fixed.</p>"
            f'<ol id="okrsite-listed">{_listed(errors)}</ol>') if errors else "<p>The site is not built yet: reload in a moment.</p>"
    return ("<!doctype html><html lang=en><meta charset=utf-8><title>okrsite: no site yet</title>"
            f"<body><h1>No site yet</h1>{said}</body></html>").encode("utf-8")

LIVE_JS = r"""// okrsite serve: update the page when it changed, swap CSS in place, show build errors.
(function () {
  var me = document.currentScript;
  var loaded = Number(me && me.getAttribute("data-version") || 0);
  function pageOf(url) {
    // The file a URL shows: "/objectives/x/" and "/objectives/x/index.html" are one page.
    var path = new URL(url, location.href).pathname.replace(/^\//, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }
  var here = pageOf(location.href);
  function ownAddress() {
    // A check-in sends the page back with ?refused= (or ?updated=) and the key of the form saying why (or
    // what it did), which a reload would show again, after a later check-in too. Shown, the page goes back
    // to its own address.
    var address = new URL(location.href);
    if (!address.searchParams.has("refused") && !address.searchParams.has("updated")) return;
    address.searchParams.delete("refused");
    address.searchParams.delete("updated");
    history.replaceState(history.state, "", address.pathname + address.search + address.hash);
  }
  ownAddress();
  var frame = me && me.getAttribute("data-frame");  // the server's digest of all but <main>; none: reload
  var busy = false, waiting = null;
  function overlay(errors, site) {
    var listed = document.getElementById("okrsite-listed");  // the "No site yet" page's own list
    if (listed) listed.remove();
    var box = document.getElementById("okrsite-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "okrsite-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#7f1d1d;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;box-shadow:0 -4px 16px #0006";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = site ? "okrsite: the last save has " + errors.length + " error(s); showing the last good pages."
      : "okrsite: the goals repository has " + errors.length + " error(s); there is no site to show until they are fixed.";
    box.appendChild(title);
    errors.forEach(function (e) {
      var line = document.createElement("div");
      line.textContent = e.file + (e.line ? ":" + e.line : "") + ": " + e.message + (e.hint ? " (" + e.hint + ")" : "");
      box.appendChild(line);
    });
  }
  function swapStyles() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = link.href.split("?")[0];
      link.href = url + "?v=" + Date.now();
    });
  }
  var STYLE = /<style>([\s\S]*?)<\/style>/g;
  var styled = Array.prototype.map.call(document.querySelectorAll("head style"), function (el) { return el.textContent; }).join("");
  function restyle(text) {
    // The new page's style rules (the widths of its bars) through the CSSOM: the policy allows the
    // page's own <style> by its hash only, and would refuse new text in it (or in a parsed copy).
    var css = "";
    text.replace(STYLE, function (_, rules) { css += rules; return ""; });
    if (css === styled) return;
    styled = css;
    document.querySelectorAll("head style").forEach(function (el) { if (el.sheet) el.sheet.disabled = true; });
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [sheet];
  }
  function update() {
    // Fetch the page and put its <main> in place of this one: no reload, the scroll position stays.
    busy = true;
    fetch(location.href, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("status " + response.status);
      return response.text();
    }).then(apply).catch(function () { location.reload(); });
  }
  function formFor(form) {
    // The key result or KPI an update form is for: its hidden fields (a key result by its place and its
    // title), else its label.
    var said = ["id", "kr", "kr_title"].map(function (name) {
      var field = form.querySelector('input[type="hidden"][name="' + name + '"]');
      return field ? field.value : "";
    });
    return said[0] ? "for " + said.join("\n") : "label " + form.getAttribute("aria-label");
  }
  function typedIn(main, sent) {
    // What was typed into the update forms of <main> (not into the one ``sent``, whose answer this is),
    // and the field with the focus and its caret: an update in place keeps them (the author's check-in
    // half typed when a save reaches the page).
    var typed = {}, focused = null, active = document.activeElement;
    main.querySelectorAll("form.okrsite-checkin").forEach(function (form) {
      if (form === sent) return;
      var key = formFor(form), fields = typed[key] = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "hidden") return;
        if (field.type === "checkbox" ? field.checked !== field.defaultChecked : field.value !== field.defaultValue)
          fields[field.name] = field.type === "checkbox" ? field.checked : field.value;
        if (field === active) focused = { form: key, name: field.name, start: field.selectionStart, end: field.selectionEnd, direction: field.selectionDirection };
      });
    });
    return { typed: typed, focused: focused };
  }
  function putBack(main, kept) {
    // ``kept`` (typedIn) into the forms of the new <main> for the same key results, focus and caret too.
    main.querySelectorAll("form.okrsite-checkin").forEach(function (form) {
      var key = formFor(form), fields = kept.typed[key] || {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "hidden") return;
        if (Object.prototype.hasOwnProperty.call(fields, field.name)) {
          if (field.type === "checkbox") field.checked = fields[field.name]; else field.value = fields[field.name];
        }
        var focused = kept.focused;
        if (!focused || focused.form !== key || focused.name !== field.name) return;
        kept.focused = null;
        field.focus({ preventScroll: true });
        try { if (focused.start !== null) field.setSelectionRange(focused.start, focused.end, focused.direction); } catch (e) {}  // a date field has no caret to set
      });
    });
  }
  var status = document.createElement("div");  // outside <main>, so that what it is told is read out
  status.setAttribute("role", "status");
  status.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap";
  document.body.appendChild(status);
  function answered(main, sent) {
    // The form ``sent`` anew in <main>: the focus back in it (where its answer puts it, or its button), and
    // what the check-in did read out (a refusal is an alert of its own).
    var key = formFor(sent);
    var form = Array.prototype.filter.call(main.querySelectorAll("form.okrsite-checkin"), function (f) { return formFor(f) === key; })[0];
    if (!form) return;
    var field = form.querySelector("[autofocus]") || form.querySelector('button[type="submit"]');
    if (field) field.focus({ preventScroll: true });
    var said = form.querySelector(".okrsite-updated");
    status.textContent = "";
    if (said) setTimeout(function () { status.textContent = said.textContent; }, 50);  // the same words again are news too
  }
  function apply(text, sent) {
    // The page's new text: its <main> in place of this one's, with what was typed into its update forms
    // (but the one ``sent``, which gets the focus back). Anything else that changed (the header, the
    // scripts, an error page) reloads the page.
    busy = true;
    try {
      var doc = new DOMParser().parseFromString(text.replace(STYLE, ""), "text/html");
      var tag = doc.querySelector('script[src="/__okrsite/live.js"]');
      if (!frame || !tag || tag.getAttribute("data-frame") !== frame) { location.reload(); return; }
      restyle(text);
      document.title = doc.title;
      var description = document.querySelector('meta[name="description"]'), theirs = doc.querySelector('meta[name="description"]');
      if (description && theirs) description.setAttribute("content", theirs.getAttribute("content"));
      var main = document.querySelector("main"), fresh = document.adoptNode(doc.querySelector("main")), kept = typedIn(main, sent);
      main.replaceWith(fresh);
      putBack(fresh, kept);
      if (sent) answered(fresh, sent);
      loaded = Math.max(loaded, Number(tag.getAttribute("data-version")));
      busy = false;
      document.dispatchEvent(new CustomEvent("okrsite:updated", { detail: { version: loaded } }));
      if (waiting) { var next = waiting; waiting = null; receive(next); }
    } catch (e) { location.reload(); }
  }
  // A form of this page sent (an update form's check-in): its answer is the new page, so no rebuild is
  // shown here meanwhile (a reload would race the answer, and what is typed in between would be lost).
  // Should the answer never come (stopped by hand), the page takes updates again after a while.
  // An update form is sent by fetch, and the page it answers with is put in place as a save's is (no
  // new page: the scroll position stays, and it shows sooner). A refusal (nothing was written) comes
  // back the same way, as the page whose form says why; one with no such page is sent again as the
  // browser sends a form, to show the page that says why.
  var sent = false;
  function settled() { sent = false; if (waiting && !busy) { var next = waiting; waiting = null; receive(next); } }
  window.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    sent = true;
    var timer = setTimeout(settled, 15000), form = event.target;
    if (!form.classList || !form.classList.contains("okrsite-checkin") || !window.fetch || !window.URLSearchParams) return;
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), cache: "no-store" }).then(function (response) {
      if (!response.ok || !response.redirected) { HTMLFormElement.prototype.submit.call(form); return; }
      if (pageOf(response.url) !== here) { location.assign(response.url); return; }
      return response.text().then(function (text) { clearTimeout(timer); sent = false; apply(text, form); });
    }).catch(function () { location.assign(location.href); });
  });
  function receive(state) {
    if (busy || sent) { waiting = state; return; }
    overlay(state.errors || [], state.site !== false);
    if (state.version <= loaded) return;
    var changed = state.changed || [];
    if (state.styles_only && state.version === loaded + 1) { loaded = state.version; swapStyles(); return; }
    if (state.version > loaded + 1) { location.reload(); return; }
    if (changed.indexOf(here) !== -1) { update(); return; }
    loaded = state.version;
  }
  // The live-reload connection. A browser opens at most 6 to one host: with one in each tab, an author's
  // seventh tab of the preview waited for ever for one, while no tab took a save. So the tabs share one,
  // which a shared worker holds for the pages of the tabs in sight (a browser without shared workers
  // gives each tab in sight its own). A page out of sight takes no message; when it comes into sight,
  // the first one it takes tells what it missed. A tab of its own connects once its page has loaded:
  // a browser opens six connections to a host, and tabs in sight holding five must not leave the sixth
  // tab's page waiting for its last file behind its own connection.
  var source = null, port = null, polling = false;
  function lost() {
    if (polling) return;
    polling = true;
    setTimeout(function () {
      fetch(location.href, { method: "HEAD", cache: "no-store" }).then(function () { location.reload(); },
        function () { polling = false; if (port) lost(); else connect(); });
    }, 1000);
  }
  function connect() {
    if (source || document.hidden) return;
    var mine = source = new EventSource("/__okrsite/events?page=" + encodeURIComponent(location.pathname));
    mine.onmessage = function (event) { receive(JSON.parse(event.data)); };
    mine.onerror = function () {
      mine.close();
      if (source !== mine) return;
      source = null;
      lost();
    };
  }
  function alone() {
    if (port) { port.onmessage = null; port.close(); port = null; }
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { connect(); return; }
      if (source) { var mine = source; source = null; mine.close(); }
    });
    if (document.readyState === "complete") connect(); else window.addEventListener("load", connect);
  }
  function tell() { if (port) port.postMessage(document.hidden ? { hide: true } : { show: location.pathname }); }
  try {
    port = window.SharedWorker ? new SharedWorker("/__okrsite/live-worker.js?1", { name: "okrsite-live" }).port : null;
  } catch (e) { port = null; }
  if (!port) { alone(); return; }
  port.onmessage = function (event) {
    var said = event.data;
    if (said.alone) alone();
    else if (!document.hidden) { if (said.lost) lost(); else receive(said); }
  };
  document.addEventListener("visibilitychange", tell);
  window.addEventListener("pagehide", function () { if (port) port.postMessage({ bye: true }); });
  window.addEventListener("pageshow", function (event) { if (event.persisted) tell(); });
  tell();
})();
"""
LIVE_JS_BYTES = LIVE_JS.encode()

LIVE_WORKER_JS = r"""// okrsite serve: the one live-reload connection of a browser's tabs of the preview (see live.js).
var tabs = new Map();  // each tab's port: the page it shows in sight, or null
var source = null, asked = null, last = null, lastFor = [];
function inSight() {
  var pages = [];
  tabs.forEach(function (page) { if (page && pages.indexOf(page) < 0) pages.push(page); });
  return pages.sort();
}
function toTabsInSight(message) { tabs.forEach(function (page, port) { if (page) port.postMessage(message); }); }
function connect() {
  // One connection, for the pages in sight: asked again when they change. Its first message is the
  // state as it is, so nothing is missed in between.
  var pages = inSight(), key = pages.join("\n");
  if (source && key === asked) return;
  if (source) { source.close(); source = null; }
  asked = key;
  if (!pages.length) return;
  var mine = source = new EventSource("/__okrsite/events?" + pages.map(function (page) { return "page=" + encodeURIComponent(page); }).join("&"));
  mine.onmessage = function (event) {
    if (source !== mine) return;
    last = JSON.parse(event.data);
    lastFor = pages;
    toTabsInSight(last);
  };
  mine.onerror = function () {
    mine.close();
    if (source !== mine) return;
    source = null; asked = null; last = null;
    toTabsInSight({ lost: true });
  };
}
onconnect = function (event) {
  var port = event.ports[0];
  if (typeof EventSource === "undefined") { port.postMessage({ alone: true }); return; }
  tabs.set(port, null);
  port.onmessage = function (event) {
    var said = event.data;
    if (said.bye) tabs.delete(port); else tabs.set(port, said.show || null);
    if (said.show && source && last && lastFor.indexOf(said.show) >= 0) port.postMessage(last);
    connect();
  };
};
"""
CLIENT_FILES = {CLIENT: LIVE_JS_BYTES, WORKER: LIVE_WORKER_JS.encode()}
