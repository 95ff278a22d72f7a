"""No broken internal link, over http:// and over file://, and no page that the links never reach.

A crawler of our own (stdlib only). From index.html it follows every internal reference: href and
src (and srcset, poster, form action, <use href>, xlink:href) in HTML, url() and @import in CSS and
style attributes, href in SVG; it fetches HTML, CSS, SVG, JS and JSON targets and reads the ones that
can link further (HTML, CSS, SVG). Fragments (#id) must name an element of the target page.

Every internal reference must be relative: an absolute path ("/style.css") or a full URL to the site
itself breaks under a sub-path, and a relative one that climbs above the site root leaves the site.
Navigation links (<a>, <area>, <form>) may point to other sites (not followed); resources (scripts,
styles, images, fonts, ...) may not: the site makes no external request at all.

Over file:// a link ending in "/" (or naming a folder) is broken: there is no server to add
index.html; the browser shows a folder listing or nothing.
"""

from __future__ import annotations

import functools
import posixpath
import re
import shutil
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from .conftest import KINDS, REPO, Site, _QuietHandler, _QuietServer, build_example, pages_of

NAVIGATION = "navigation"
RESOURCE = "resource"

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")
SVG_HREF = re.compile(r"""(?:xlink:)?href\s*=\s*(?:"([^"]*)"|'([^']*)')""")
PARSED_TYPES = (".html", ".htm", ".css", ".svg")


@dataclass
class Ref:
    value: str
    role: str  # NAVIGATION or RESOURCE
    where: str  # e.g. "<a href>"


@dataclass
class Doc:
    refs: list[Ref] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _HTMLRefs(HTMLParser):
    NAV = {("a", "href"), ("area", "href"), ("form", "action")}
    RES_ATTRS = {"src", "poster", "data", "xlink:href"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.doc = Doc()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id",) or (name == "name" and tag == "a"):
                self.doc.ids.add(value)
            elif (tag, name) in self.NAV:
                self.doc.refs.append(Ref(value.strip(), NAVIGATION, f"<{tag} {name}>"))
            elif name == "href":  # <link>, <use>, <image>, <base> ...
                self.doc.refs.append(Ref(value.strip(), RESOURCE, f"<{tag} href>"))
            elif name in self.RES_ATTRS:
                self.doc.refs.append(Ref(value.strip(), RESOURCE, f"<{tag} {name}>"))
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if candidate.strip():
                        self.doc.refs.append(Ref(candidate.split()[0], RESOURCE, f"<{tag} {name}>"))
            elif name == "style":
                self.doc.refs += css_refs(value, f"<{tag} style>")
        if tag == "style":
            self._in_style = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.doc.refs += css_refs(data, "<style>")


def css_refs(text: str, where: str) -> list[Ref]:
    return [Ref(next(g for g in m.groups() if g is not None).strip(), RESOURCE, where) for m in CSS_URL.finditer(text)]


def parse(path: str, body: bytes) -> Doc:
    text = body.decode("utf-8", errors="replace")
    ext = posixpath.splitext(path)[1].lower()
    if ext in (".html", ".htm"):
        parser = _HTMLRefs()
        parser.feed(text)
        parser.close()
        return parser.doc
    if ext == ".css":
        return Doc(refs=css_refs(text, "css url()"))
    if ext == ".svg":
        doc = Doc(refs=[Ref((a if a is not None else b).strip(), RESOURCE, "svg href")
                        for a, b in SVG_HREF.findall(text)])
        doc.ids = set(re.findall(r"""\sid\s*=\s*["']([^"']*)["']""", text))
        return doc
    return Doc()


def page_key(rel: str) -> str:
    """The file a site-relative path names, as reached over http ("a/" -> "a/index.html")."""
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


class Crawl:
    """Breadth-first over the site from one seed; `fetch(key)` returns (bytes, None) or (None, why)."""

    def __init__(self, fetch, *, file_mode: bool):
        self.fetch = fetch
        self.file_mode = file_mode
        self.docs: dict[str, Doc | None] = {}  # key -> parsed doc (None: fetched, nothing to parse)
        self.broken: dict[str, str] = {}  # key -> why it could not be fetched
        self.linked_from: dict[str, list[str]] = {}  # broken key -> the references to it
        self.problems: list[str] = []
        self.fragments: list[tuple[str, str, str]] = []  # (reference, target key, fragment)

    def run(self, seed: str) -> set[str]:
        """Crawl; returns every key reached. Problems accumulate in .problems (see report())."""
        queue = [seed] if self._load(seed) else []
        if seed in self.broken:
            self.linked_from[seed] = ["(the start page)"]
        while queue:
            source = queue.pop(0)
            for ref in self.docs[source].refs:
                target = self._resolve(source, ref)
                if target is None:
                    continue
                if target not in self.docs and target not in self.broken and self._load(target):
                    queue.append(target)
                if target in self.broken:
                    self.linked_from.setdefault(target, []).append(f"{source}: {ref.where} {ref.value!r}")
        for where, target, fragment in self.fragments:
            doc = self.docs.get(target)
            if doc is not None and fragment not in doc.ids:
                self.problems.append(f"{where}: no element with id {fragment!r} in {target}")
        return set(self.docs)

    def report(self) -> list[str]:
        lines = list(dict.fromkeys(self.problems))
        for target, refs in self.linked_from.items():
            lines.append(f"{target}: {self.broken[target]}; linked from {len(refs)} place(s), e.g. " + "; ".join(refs[:3]))
        return lines

    def _load(self, key: str) -> bool:
        """Fetch a key; True when it is a document to read further."""
        body, why = self.fetch(key)
        if body is None:
            self.broken[key] = why
            return False
        self.docs[key] = parse(key, body) if key.lower().endswith(PARSED_TYPES) else None
        return self.docs[key] is not None

    def _resolve(self, source: str, ref: Ref) -> str | None:
        """The site-relative key a reference names, or None (recording a problem when it is one)."""
        value, where = ref.value, f"{source}: {ref.where} {ref.value!r}"
        if value == "" or value.startswith("?"):
            return None  # this document
        if value.startswith("#"):
            if value not in ("#", "#top") and not value.startswith("#:~:") and source.endswith((".html", ".htm")):
                self.fragments.append((where, source, unquote(value[1:])))
            return None
        if value.startswith("//") or SCHEME.match(value):
            scheme = value.split(":", 1)[0].lower() if SCHEME.match(value) else ""
            host = urlsplit(value if scheme else "http:" + value).hostname
            if ref.role == RESOURCE and scheme != "data":
                self.problems.append(f"{where}: a resource from outside the site (no external requests allowed)")
            elif scheme in ("http", "https", "") and host in ("127.0.0.1", "localhost"):
                self.problems.append(f"{where}: an absolute link to the site itself (must be relative)")
            elif scheme in ("javascript", "file"):
                self.problems.append(f"{where}: a {scheme}: link")
            return None  # a link to another site, mailto:, tel:, data: ...
        if value.startswith("/"):
            self.problems.append(f"{where}: an absolute path (breaks under a sub-path and from file://)")
            return None
        parts = urlsplit(value)
        raw = unquote(parts.path)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), raw)) if raw else source
        if joined == ".." or joined.startswith("../"):
            self.problems.append(f"{where}: climbs above the site root (leaves the site)")
            return None
        folder = raw.endswith("/") or posixpath.basename(raw) in (".", "..")
        if folder:
            if self.file_mode:
                self.problems.append(f"{where}: ends with '/' (a folder): broken under file://, spell out index.html")
                return None
            key = page_key("" if joined == "." else joined + "/")
        else:
            key = joined
        if parts.fragment and not parts.fragment.startswith(":~:") and key.endswith((".html", ".htm")):
            self.fragments.append((where, key, unquote(parts.fragment)))
        return key


def http_fetcher(base_url: str):
    def fetch(key: str):
        url = base_url + quote(key)
        try:
            with urllib.request.urlopen(url, timeout=15) as response:
                if response.status != 200:
                    return None, f"HTTP {response.status} for {url}"
                if response.url != url:  # followed a redirect: the server guessed (e.g. added a '/')
                    return None, f"{url} only works through a redirect to {response.url}"
                return response.read(), None
        except urllib.error.HTTPError as exc:
            return None, f"HTTP {exc.code} for {url}"
        except (urllib.error.URLError, OSError) as exc:
            return None, f"{url}: {exc}"
    return fetch


def file_fetcher(root: Path):
    def fetch(key: str):
        path = root / key
        if path.is_dir():
            return None, f"file://{path} is a folder (no index.html is added under file://)"
        if not path.is_file():
            return None, f"file://{path} does not exist"
        return path.read_bytes(), None
    return fetch


def expected_pages(site: Site) -> list[str]:
    """Every page a reader must be able to reach by links from home (404.html may stay unreached)."""
    return [f for kind in KINDS if kind != "404" for f in pages_of(site, kind)]


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_no_broken_link_and_no_orphan_page(scheme, site):
    fetch = http_fetcher(site.base_url) if scheme == "http" else file_fetcher(site.out_dir)
    crawl = Crawl(fetch, file_mode=scheme == "file")
    reached = crawl.run("index.html")
    # 404.html is reached by no link, but its own links must work too (from the site root).
    if (site.out_dir / "404.html").is_file():
        crawl.run("404.html")
    problems = crawl.report()
    orphans = [f for f in expected_pages(site) if f not in reached]
    message = []
    if problems:
        message.append(f"{len(problems)} broken or leaving link(s) over {scheme}://:\n  " + "\n  ".join(problems))
    if orphans:
        message.append(f"{len(orphans)} page(s) of okrs.json never reached from index.html over {scheme}://:\n  "
                       + "\n  ".join(orphans))
    assert not message, "\n".join(message)
    assert len(reached) >= len(expected_pages(site))


def test_a_link_to_a_heading_opens_the_page_at_that_heading(chromium_browser, tmp_path):
    """`[MRR](../kpis/mrr.md#how-we-count)` in one body and `[below](#steps)` in another: a click lands on the
    heading (the :target), over file:// as a reader opens a site from disk, and a heading whose id the page
    already has (`## KRs`: the key results' section is #krs) is reached by its own link all the same."""
    from datetime import date

    from okrsite.build import build

    from ..conftest import write_files

    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "H"\nas_of = 2026-11-23\n',
        "content/teams/company.md": "---\ntitle: Company\n---\n",
        "content/objectives/o.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {title: x, target: 10, current: 5}\n---\n"
                                   "Measured by [MRR](../kpis/mrr.md#how-we-count); see [our KRs](#krs).\n\n" + "Filler.\n\n" * 60 + "## KRs\n\nOurs.\n",
        "content/kpis/mrr.md": "---\ntitle: MRR\nowner: company\nsource: billing\n---\n" + "Filler.\n\n" * 80
                               + "## How we count\n\nSum of subscriptions.\n"})
    out = tmp_path / "out"
    assert build(tmp_path / "site", out, as_of=date(2026, 11, 23), cache=False).ok
    context = chromium_browser.new_context(viewport={"width": 800, "height": 600})
    try:
        page = context.new_page()
        page.goto((out / "objectives/o/index.html").as_uri())
        page.click("text=our KRs")
        assert page.evaluate("document.querySelector(':target').outerHTML") == '<h2 id="krs-1">KRs</h2>'
        page.click("text=MRR")
        page.wait_for_url("**/kpis/mrr/index.html#how-we-count")
        assert page.evaluate("document.querySelector(':target').textContent") == "How we count"
        assert page.evaluate("document.querySelector(':target').getBoundingClientRect().top") < 600
    finally:
        context.close()


class _NotFoundPage(_QuietHandler):
    """A host that answers every missing address, however deep, with the site's goals/404.html."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "goals" / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_not_found_page_with_site_url_skips_to_its_own_main_and_links_from_any_depth(chromium_browser, tmp_path):
    """site_url makes 404.html's links hold at any missing address; "Skip to content" stays on the page."""
    www = tmp_path / "www"
    www.mkdir()
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_NotFoundPage, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site_url = f"http://127.0.0.1:{server.server_address[1]}/goals/"
    goals = tmp_path / "goals"
    for part in ("content", "data"):
        shutil.copytree(REPO / part, goals / part)
    (goals / "okrsite.toml").write_text(f'site_url = "{site_url}"\n' + (REPO / "okrsite.toml").read_text(encoding="utf-8"), encoding="utf-8")
    build_example(www / "goals", goals)
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        missing = site_url + "objectives/renamed/old/"
        assert page.goto(missing).status == 404
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.keyboard.press("Enter")
        page.wait_for_url(missing + "#main")
        assert page.title().startswith("Not found") and page.evaluate("document.querySelector(':target').tagName") == "MAIN"
        addresses = page.eval_on_selector_all("a[href], link[href], script[src], form[action]",
                                              "els => els.map(e => e.href || e.src || e.action)")
        broken = [a for a in addresses if not a.startswith(missing) and urllib.request.urlopen(a.split("#")[0]).status != 200]
        assert broken == [] and site_url + "index.html" in addresses
    finally:
        context.close()
        server.shutdown()
        server.server_close()
