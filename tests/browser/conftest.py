"""Browser acceptance tests: the built example site in Debian's chromium, axe-core, the Nu checker.

Everything here needs tools from outside PyPI's test extra: /usr/bin/chromium (apt-get), Java and the
npm packages of package.json (axe-core, vnu-jar). When one is missing the tests that need it are
skipped with the reason, except under CI=true (what `.ci/run` sets), where they fail instead: CI must
never pass by skipping.

Fixtures:
- `site` (session): the example (the repository root) with the git history that
  docs/examples/example_history.py gives it (check-ins, stale objectives, a changes page), built
  once into a temp dir and served over HTTP on 127.0.0.1; a `Site(out_dir, base_url, okrs)` tuple.
- `chromium_browser` (session): Playwright (sync API) driving /usr/bin/chromium with the flags of
  /work/shared/TOOLING.md. Launched here rather than through pytest-playwright's `browser`
  fixture so that only `playwright` itself is needed and no option of that plugin (`--browser`)
  can point it at a browser that is not installed.
- `open_page`: a factory that opens a page in a fresh context and records its console errors,
  uncaught exceptions, failed requests and every request to another host (which is aborted).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("OKRSITE_CHROMIUM", "/usr/bin/chromium")  # Debian's; override for other systems
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-dev-shm-usage",
]
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

IN_CI = os.environ.get("CI", "").lower() == "true"

# Page kinds, in the order of SPEC §9. Optional kinds are skipped when the build has no such page.
KINDS = ["home", "objective", "kpi", "team", "person", "period", "review", "page", "alignment", "teams", "archive", "search", "changes", "404"]
OPTIONAL_KINDS = {"alignment", "teams", "archive", "search"}


def need(condition: bool, reason: str) -> None:
    """Skip the test when `condition` is false, or fail it under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser acceptance tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def _playwright_importable() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    need(os.access(CHROMIUM, os.X_OK),
         f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests")
    need(_playwright_importable(),
         "Python Playwright is missing: pip install -e '.[test]' (playwright, pytest-playwright)")


@pytest.fixture(scope="session")
def axe_js() -> Path:
    need(AXE_JS.is_file(), f"{AXE_JS.relative_to(REPO)} is missing: run `npm ci` (or `npm install`) at the repository root")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    need(shutil.which("java") is not None, "java is missing: install a JRE (apt-get install -y default-jre-headless)")
    need(VNU_JAR.is_file(), f"{VNU_JAR.relative_to(REPO)} is missing: run `npm ci` (or `npm install`) at the repository root")
    return VNU_JAR


# --------------------------------------------------------------------------------------------- site


class Site(NamedTuple):
    out_dir: Path
    base_url: str  # ends with "/"
    okrs: dict[str, Any]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes a page while a request is in flight: not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(directory: Path) -> tuple[_QuietServer, str]:
    """Serve `directory` on 127.0.0.1 at a free port in a daemon thread; returns (server, base url)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, name="okrsite-test-http", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def built_site(tmp_path_factory, name: str, files: dict[str, str]) -> Path:
    """The tiny goals repository ``files`` built, without a cache, in a folder of its own: its output."""
    from okrsite.build import build

    from ..conftest import write_files

    root = tmp_path_factory.mktemp(name)
    result = build(write_files(root / "site", files), root / "out", cache=False)
    assert result.ok, result.report.items
    return root / "out"


def build_example(out: Path, source: Path = REPO, *options: str) -> dict[str, Any]:
    """`python -m okrsite build SOURCE -o OUT [OPTIONS]`, the real command line; returns okrs.json."""
    proc = subprocess.run([sys.executable, "-m", "okrsite", "build", str(source), "-o", str(out), "--no-cache", *options],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"building the example failed:\n{proc.stdout}\n{proc.stderr}"
    return json.loads((out / "okrs.json").read_text(encoding="utf-8"))


def example_with_history(dest: Path) -> Path:
    """The example goals repository replayed as a quarter of commits (docs/examples/example_history.py)."""
    need(shutil.which("git") is not None, "git is missing: install git to build the example's history")
    proc = subprocess.run([sys.executable, str(REPO / "docs" / "examples" / "example_history.py"), str(dest)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"making the example history failed:\n{proc.stdout}\n{proc.stderr}"
    return dest


def built_and_served(out: Path, source: Path):
    """Build ``source`` into ``out`` and serve it for as long as the generator runs (a fixture's body)."""
    yield from serving(out, build_example(out, source))


def serving(out: Path, okrs: dict[str, Any] | None = None):
    """Serve the built site ``out`` for as long as the generator runs (a fixture's body)."""
    server, base_url = serve(out)
    try:
        yield Site(out, base_url, okrs if okrs is not None else json.loads((out / "okrs.json").read_text(encoding="utf-8")))
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    base = tmp_path_factory.mktemp("browser")
    yield from built_and_served(base / "site", example_with_history(base / "goals"))


def page_file(url: str) -> str:
    """A site-relative url as the file it names ("teams/x/" -> "teams/x/index.html")."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def pages_of(site: Site, kind: str) -> list[str]:
    """The site-relative files of every page of one kind, from okrs.json (or fixed urls)."""
    okrs = site.okrs
    if kind == "home":
        files = ["index.html"]
    elif kind in ("objective", "kpi", "team", "period", "page"):
        key = {"objective": "objectives", "kpi": "kpis", "team": "teams", "period": "periods", "page": "pages"}[kind]
        files = [page_file(item["url"]) for item in okrs.get(key, [])]
    elif kind == "person":
        files = [page_file(p["url"]) for p in okrs.get("people", [])]
    elif kind == "review":
        files = [page_file(p["review_url"]) for p in okrs.get("periods", [])]
    elif kind in ("alignment", "teams", "archive", "search", "changes"):
        files = [f"{kind}/index.html"]
    elif kind == "404":
        files = ["404.html"]
    else:  # pragma: no cover - a typo in a test
        raise ValueError(kind)
    if kind in OPTIONAL_KINDS:
        files = [f for f in files if (site.out_dir / f).is_file()]
    return files


def pages_or_skip(site: Site, kind: str) -> list[str]:
    files = pages_of(site, kind)
    if not files:
        if kind in OPTIONAL_KINDS:
            pytest.skip(f"the site has no {kind}/index.html (yet)")
        pytest.fail(f"the example site has no page of kind {kind!r}")
    return files


def all_pages(site: Site) -> list[str]:
    return [f for kind in KINDS for f in pages_of(site, kind)]


def representative(site: Site, kind: str) -> str:
    """One page of a kind, for screenshots and layout checks: the richest one, deterministically."""
    okrs = site.okrs
    if kind == "objective":
        best = max(okrs["objectives"], key=lambda o: (bool(o.get("kpis")), len(o["key_results"]), len(o.get("children", []))))
        return page_file(best["url"])
    if kind == "kpi":
        best = max(okrs["kpis"], key=lambda k: (bool(k.get("objectives")), len(k.get("values", []))))
        return page_file(best["url"])
    return pages_or_skip(site, kind)[0]


# ------------------------------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def chromium_browser(_require_chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What went wrong while a page was open."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"uncaught exception: {m}" for m in self.page_errors]
                + [f"failed request: {m}" for m in self.failed_requests]
                + [f"external request (aborted): {m}" for m in self.external_requests])


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "file"):  # file: the site opened from disk
        return True
    return parts.scheme in ("http", "https") and parts.hostname == "127.0.0.1"


def block_external(context) -> None:
    """Nothing may leave 127.0.0.1: abort any such request (page.on("request") still records it;
    the network is closed anyway, aborting keeps a test from hanging on it)."""
    context.route(lambda url: not is_local(url), lambda route: route.abort())


def attach_log(page) -> PageLog:
    """Record the page's console errors, uncaught exceptions, failed requests and external requests."""
    log = PageLog()
    page.on("console", lambda msg: msg.type == "error" and log.console_errors.append(
        f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"))
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("requestfailed", lambda req: is_local(req.url) and log.failed_requests.append(
        f"{req.url}: {req.failure}"))
    page.on("response", lambda resp: resp.status >= 400 and log.failed_requests.append(
        f"{resp.url}: HTTP {resp.status}"))
    page.on("request", lambda req: not is_local(req.url) and log.external_requests.append(req.url))
    return log


@pytest.fixture
def open_page(chromium_browser, site):
    """open_page(width=1280, height=900, color_scheme="light") -> (page, PageLog); navigate yourself.

    bypass_csp=True turns the pages' Content-Security-Policy off, for a test that injects its own
    script or style (axe-core, a print override); test_security.py tests the policy itself."""
    contexts = []

    def _open(width: int = 1280, height: int = 900, color_scheme: str = "light", bypass_csp: bool = False):
        context = chromium_browser.new_context(viewport={"width": width, "height": height},
                                               color_scheme=color_scheme, reduced_motion="reduce", bypass_csp=bypass_csp)
        contexts.append(context)
        block_external(context)
        page = context.new_page()
        log = attach_log(page)
        page.set_default_timeout(15_000)
        return page, log

    yield _open
    for context in contexts:
        context.close()
