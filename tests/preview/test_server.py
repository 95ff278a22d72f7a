"""The preview server over real HTTP on 127.0.0.1: paths, methods, hosts, the watcher, load during rebuilds."""

import http.client
import json
import os
import re
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from okrsite.build import check_site
from okrsite.preview.state import Project
from okrsite.preview.server import CLIENT, Handler, Preview, frame_of, resolve_request, serve, start_server, start_watching

from ..conftest import write_files
from ..gitrepo import SETTINGS, TEAM, GitRepo, needs_git, objective
from .test_state import full_build



@pytest.fixture
def goals(example_copy) -> Path:
    (example_copy.parent / "secret.txt").write_text("outside the site")
    return example_copy


def start_preview(root: Path, lines: list[str], project: Project | None = None):
    preview = Preview(project or Project(root), log=lines.append)
    server = start_server(preview, "127.0.0.1", 0)
    preview.rebuild()
    stop = threading.Event()
    start_watching(preview, stop)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    time.sleep(0.3)  # let the watchers start
    return preview, server, stop


def stop_preview(server, stop) -> None:
    server.stopping = True
    stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def running(goals):
    lines: list[str] = []
    preview, server, stop = start_preview(goals, lines)
    yield preview, server.server_address[1], lines
    stop_preview(server, stop)


def get(port: int, path: str, method: str = "GET", host: str | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, dict(response.getheaders())


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("path,expected", [
    ("/", "index.html"), ("/objectives/x/", "objectives/x/index.html"), ("/style.css", "style.css"),
    ("/../secret.txt", None), ("/%2e%2e/secret.txt", None), ("/a/%2E%2E/%2e%2e/secret.txt", None),
    ("/..%2fsecret.txt", None), ("/a\\..\\secret.txt", None), ("/%00", None),
])
def test_resolve_request(path, expected):
    assert resolve_request(path) == expected


def test_serves_the_site_with_the_live_client(running):
    preview, port, _ = running
    status, body, headers = get(port, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert body.count(CLIENT.encode()) == 1
    built = preview.project.file("index.html")
    served = body.replace(f'<script src="{CLIENT}" data-version="{preview.version}" data-frame="{frame_of(built)}"></script>'.encode(), b"")
    assert b"connect-src 'none'" in built and b"form-action 'self'" in built
    # live reload's events (the check-in forms post to the page's own origin, as every form may)
    assert served == built.replace(b"connect-src 'none'", b"connect-src 'self'")
    assert headers["Cache-Control"] == "no-store" and "ETag" not in headers and "Last-Modified" not in headers
    status, body, headers = get(port, "/okrs.json")
    assert status == 200 and json.loads(body)["objectives"]
    status, _, headers = get(port, "/objectives/grow-recurring-revenue")
    assert status == 301 and headers["Location"] == "/objectives/grow-recurring-revenue/"
    assert get(port, "/", method="HEAD")[:2] == (200, b"")


def frame_served(port: int, path: str) -> str | None:
    _, body, _ = get(port, path)
    found = re.search(rb'<script src="/__okrsite/live.js" data-version="\d+"(?: data-frame="(\w+)")?></script>', body)
    return found[1].decode() if found[1] else None


def test_a_page_says_when_it_may_be_updated_in_place(running, goals):
    """The live client puts a changed page's <main> in place when the rest of the page (the frame) is the
    same; a page whose scripts read <main> (the review's, the search page's) or without one always reloads."""
    preview, port, _ = running
    page = "/objectives/migrate-largest-tenants/"
    frame = frame_served(port, page)
    assert frame is not None and frame == frame_served(port, "/objectives/grow-recurring-revenue/") != frame_served(port, "/")
    path = goals / "content/objectives/2026-q4/migrate-largest-tenants.md"
    version = preview.version
    path.write_text(path.read_text().replace("title: Move the largest", "title: Move the biggest", 1).replace("value: 26,", "value: 33,", 1))
    assert wait_for(lambda: preview.version > version)
    assert frame_served(port, page) == frame
    version = preview.version
    write_files(goals, {"content/colophon.md": "---\ntitle: Colophon\n---\nHow this site is made.\n"})
    assert wait_for(lambda: preview.version > version)
    assert frame_served(port, page) not in (frame, None)  # the top menu changed
    assert frame_served(port, "/periods/2026-q4/review/") is None and frame_served(port, "/search/") is None
    assert frame_of(b"<!doctype html><title>okrsite: this page cannot be rendered</title><body><h1>No</h1></body>") is None
    assert frame_of(b'<body><main id="main">x</main><script src="../mine.js" defer></script></body>') is None


def test_static_files_are_revalidated_not_fetched_again(running):
    """Style sheets, scripts and the live client: an ETag, and 304 without a body while they are the same
    (a reload fetches only the page); pages themselves are never stored."""
    _, port, _ = running
    for path in ("/style.css", "/search.js", CLIENT, "/okrs.json"):
        status, body, headers = get(port, path)
        assert status == 200 and body and headers["Cache-Control"] == "no-cache" and headers["ETag"].startswith('"')
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path, headers={"If-None-Match": headers["ETag"]})
        response = conn.getresponse()
        assert (response.status, response.read(), response.getheader("Content-Length")) == (304, b"", None)
        conn.request("GET", path, headers={"If-None-Match": '"other"'})
        response = conn.getresponse()
        assert (response.status, response.read()) == (200, body)
        conn.close()
    assert Handler.disable_nagle_algorithm  # headers and body are two writes: no 40 ms wait for an ACK between them


def test_a_linked_file_is_served_with_its_type_whatever_the_case_of_its_suffix(goals):
    """A camera's `photo.PNG` or a scanner's `scan.JPG` that a body shows was served as
    application/octet-stream (the type was looked up by the suffix as written): a browser then
    downloads it, or refuses it as an image under nosniff, instead of showing it."""
    body = goals / "content/objectives/2026-q4/ship-with-confidence.md"
    body.write_text(body.read_text() + "\n![photo](img/photo.PNG) ![scan](img/scan.JPG) ![plan](img/plan.Pdf)\n")
    write_files(goals, {"content/objectives/2026-q4/img/photo.PNG": "PNG", "content/objectives/2026-q4/img/scan.JPG": "JPEG",
                        "content/objectives/2026-q4/img/plan.Pdf": "PDF"})
    preview, server, stop = start_preview(goals, [])
    try:
        port = server.server_address[1]
        for path, kind, data in (("photo.PNG", "image/png", b"PNG"), ("scan.JPG", "image/jpeg", b"JPEG"), ("plan.Pdf", "application/pdf", b"PDF")):
            for method in ("GET", "HEAD"):
                status, body_bytes, headers = get(port, f"/objectives/2026-q4/img/{path}", method)
                assert (status, headers["Content-Type"]) == (200, kind), (path, method)
                assert body_bytes == (data if method == "GET" else b"")
    finally:
        stop_preview(server, stop)


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt", "//etc/passwd", "/etc/passwd", "/content/objectives/"])
def test_nothing_outside_the_output(running, path):
    _, port, _ = running
    status, body, _ = get(port, path)
    assert status == 404 and b"outside the site" not in body and b"root:" not in body


def test_symlinks_leading_out_are_not_served(goals, tmp_path):
    (goals / "theme" / "static").mkdir(parents=True)
    (goals / "theme" / "static" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    preview = Preview(Project(goals), log=lambda line: None)
    preview.rebuild()
    assert not preview.project.has("leak.txt") and preview.project.has("style.css")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "PROPFIND", "FOO"])
def test_only_get_and_head(running, method):
    """docs/serve.md: any other method gets 405 (not the library's own 501 page for one it does not know)."""
    _, port, _ = running
    status, body, headers = get(port, "/", method=method)
    assert status == 405 and headers["Allow"] == "GET, HEAD" and b"Error response" not in body


def test_adding_the_final_slash_keeps_the_query(running):
    """A shared search address keeps its words and filters."""
    _, port, _ = running
    status, _, headers = get(port, "/search?q=revenue&status=at-risk")
    assert status == 301 and headers["Location"] == "/search/?q=revenue&status=at-risk"


def test_the_not_found_page_at_any_depth_is_styled_and_its_links_lead_from_the_root(running):
    """A stale link to a renamed objective: the "not found" page's style sheet and links hold below the
    top level, and lead to the preview's own pages (the example sets no site_url)."""
    _, port, _ = running
    status, body, _ = get(port, "/objectives/renamed-objective/")
    assert status == 404 and body.count(b'<base href="/">') == 1
    assert body.index(b'<base href="/">') < body.index(b'href="style.css"')
    assert b'href="/objectives/renamed-objective/#main"' in body and b'href="#' not in body  # "Skip to content" stays on the page
    assert get(port, "/style.css")[0] == 200 and get(port, "/index.html")[0] == 200


def test_the_not_found_page_of_a_site_with_site_url_stays_in_the_preview(goals):
    """With site_url, the built 404.html leads to the published site (its links are absolute): the preview's leads to itself."""
    settings = goals / "okrsite.toml"
    settings.write_text(settings.read_text() + '\nsite_url = "https://okrs.example.com/goals/"\n')
    preview, server, stop = start_preview(goals, [])
    try:
        assert b'href="https://okrs.example.com/goals/style.css"' in preview.project.file("404.html")
        status, body, _ = get(server.server_address[1], "/objectives/a/b/")
        assert status == 404 and b"okrs.example.com" not in body
        assert b'href="/style.css"' in body and b'href="/index.html"' in body and b'href="/objectives/a/b/#main"' in body
    finally:
        stop_preview(server, stop)


def test_the_search_page_of_a_pagefind_site_asks_for_no_full_text_index_in_the_preview(goals):
    """The preview runs no Pagefind: search.js is told so (data-full-text="preview") and says it."""
    settings = goals / "okrsite.toml"
    settings.write_text(settings.read_text() + '\nsearch = "pagefind"\n')
    preview, server, stop = start_preview(goals, [])
    try:
        assert b'data-full-text="pagefind"' in preview.project.file("search/index.html")
        status, body, _ = get(server.server_address[1], "/search/index.html")
        assert status == 200 and b'data-full-text="preview"' in body and b'data-full-text="pagefind"' not in body
    finally:
        stop_preview(server, stop)


@pytest.mark.parametrize("host,allowed", [("localhost:1", True), ("127.0.0.1", True), ("[::1]:8000", True), ("evil.example:8000", False), ("attacker.test", False), ("", False)])
def test_dns_rebinding_guard(running, host, allowed):
    _, port, _ = running
    status = get(port, "/", host=host)[0]
    assert (status == 200) == allowed and (allowed or status == 403)


def fetched(port: int, path: str, method: str = "GET", **sec_fetch: str) -> tuple[int, bytes, dict]:
    """A request as a browser sends it, with its Sec-Fetch-* headers (site, mode, dest)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers={f"Sec-Fetch-{name.title()}": value for name, value in sec_fetch.items()})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, dict(response.getheaders())


@pytest.mark.parametrize("site,mode,dest,path,served", [
    ("cross-site", "no-cors", "script", "/search/index.js", False),  # another site's <script src>: reads the whole index
    ("same-site", "no-cors", "script", "/search/index.js", False),  # another server on 127.0.0.1 is the same site
    ("cross-site", "cors", "empty", "/okrs.json", False),
    ("cross-site", "navigate", "iframe", "/objectives/grow-recurring-revenue/", False),
    ("cross-site", "no-cors", "image", "/favicon.svg", False),
    ("cross-site", "navigate", "document", "/objectives/grow-recurring-revenue/", True),  # a link to the preview opens it
    ("same-site", "navigate", "document", "/", True),
    ("same-origin", "no-cors", "script", "/search/index.js", True),  # the preview's own pages
    ("none", "navigate", "document", "/", True),  # typed or bookmarked
    (None, None, None, "/search/index.js", True),  # curl, an old browser
])
def test_another_site_cannot_include_or_fetch_the_preview_only_open_it(running, site, mode, dest, path, served):
    """QA V #5: any page the user visited read the search index, private objectives included, with a
    <script src="http://127.0.0.1:8000/search/index.js">."""
    _, port, _ = running
    headers = {"site": site, "mode": mode, "dest": dest} if site else {}
    for method in ("GET", "HEAD"):
        status, body, _ = fetched(port, path, method, **headers)
        assert status == (200 if served else 403)
        if not served and method == "GET":
            assert body == b"okrsite serve only answers its own pages, and links that open it\n"
    assert fetched(port, "/search/index.js", **headers)[1].startswith(b"okrsiteIndex(") == served


def test_one_connection_names_every_page_in_sight_and_hears_of_each(running, goals):
    """The tabs of a browser share one connection (live.js's shared worker): it names each page in
    sight (?page= once for each; one that would leave the site is no page), a save renders those it
    reaches at once, and the event names those of them it reached."""
    preview, port, _ = running
    shown = {"objectives/migrate-largest-tenants/index.html", "how-we-do-okrs/index.html"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/__okrsite/events?page=%2Fobjectives%2Fmigrate-largest-tenants%2F&page=%2Fhow-we-do-okrs%2F&page=%2F..%2Fetc")
    stream = conn.getresponse()
    assert next_event(stream)["version"] == preview.version
    assert wait_for(lambda: preview.showing() == shown)
    assert dict(preview.open_pages) == dict.fromkeys(shown, 1)
    path = goals / "content/objectives/2026-q4/migrate-largest-tenants.md"
    path.write_text(path.read_text().replace("done: false", "done: true", 1))
    assert next_event(stream)["changed"] == sorted(shown)
    assert shown <= set(preview.project.files)
    stream.close()
    conn.close()
    assert wait_for(lambda: preview.showing() == set() and not preview.open_pages)


def test_every_response_forbids_framing_and_sniffing(running):
    """QA V #3 and #6: a copied text file must not run as a script in the preview, and no other site may
    frame its pages (the check-in forms). Pages, files, 304, 404, 403, 405, the event stream, and the
    standard library's own error answers all say so."""
    _, port, _ = running
    answers = [get(port, path, method) for path, method in [("/", "GET"), ("/style.css", "GET"), ("/nowhere/", "GET"), ("/", "DELETE"),
                                                            ("/__okrsite/events", "HEAD"), (CLIENT, "GET")]]
    answers += [get(port, "/", host="evil.example"), fetched(port, "/search/index.js", site="cross-site", mode="no-cors", dest="script")]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/style.css", headers={"If-None-Match": answers[1][2]["ETag"]})
    response = conn.getresponse()
    response.read()
    answers.append((response.status, b"", dict(response.getheaders())))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:  # a header the library refuses (431)
        raw.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + b"x" * 70000 + b"\r\n\r\n")
        said = b"".join(iter(lambda: raw.recv(65536), b""))
    assert said.startswith(b"HTTP/1.1 431 ")
    answers.append((431, b"", dict(line.split(": ", 1) for line in said.split(b"\r\n\r\n")[0].decode().split("\r\n")[1:])))
    assert sorted({status for status, _, _ in answers}) == [200, 304, 403, 404, 405, 431]
    for _, _, headers in answers:
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_busy_port_gives_a_clear_message(goals):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lines: list[str] = []
        assert serve(goals, "127.0.0.1", port, log=lines.append) == 1
    assert lines == [f"okrsite serve: error: port {port} on 127.0.0.1 is already in use (try --port {port + 1})"]


def test_a_save_is_picked_up_and_reported(running, goals):
    preview, port, lines = running
    version = preview.version
    path = goals / "content/objectives/2026-q4/migrate-largest-tenants.md"
    path.write_text(path.read_text().replace("done: false", "done: true", 1))
    assert wait_for(lambda: preview.version > version)
    status, body, _ = get(port, "/objectives/migrate-largest-tenants/")
    assert b"done" in body and status == 200
    assert any(line.startswith("content/objectives/2026-q4/migrate-largest-tenants.md: ") and " ms" in line for line in lines)


def next_event(stream, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout  # keep-alive lines come every 2 s: a missing event is a failure, not a hang
    while time.monotonic() < deadline:
        line = stream.fp.readline()
        if line.startswith(b"data: "):
            return json.loads(line[6:])
    raise AssertionError(f"no event within {timeout} s")


def test_the_page_a_browser_shows_is_rendered_at_once_the_others_when_asked_for(running, goals, tmp_path):
    """The live client names the page it shows (?page=): a save renders that page at once and tells
    the client it changed; a page no browser shows is rendered when asked for, with the save in it."""
    from okrsite.build import build

    preview, port, lines = running
    shown = "objectives/migrate-largest-tenants/index.html"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/__okrsite/events?page=%2Fobjectives%2Fmigrate-largest-tenants%2F")
    stream = conn.getresponse()
    assert next_event(stream)["version"] == preview.version
    assert wait_for(lambda: preview.showing() == {shown})
    assert get(port, "/periods/2026-q4/")[0] == get(port, "/")[0] == 200  # rendered now; the save below reaches them
    path = goals / "content/objectives/2026-q4/migrate-largest-tenants.md"
    path.write_text(path.read_text().replace("done: false", "done: true", 1))
    event = next_event(stream)
    assert event["changed"] == [shown] and event["errors"] == []
    assert wait_for(lambda: any(line.startswith("content/objectives/2026-q4/migrate-largest-tenants.md: 1 pages rendered (2 more when opened), 1 file changed") for line in lines)), lines
    assert shown in preview.project.files and "periods/2026-q4/index.html" in preview.project._stale
    assert build(goals, tmp_path / "site").ok
    for page in (shown, "periods/2026-q4/index.html", "index.html"):
        assert get(port, "/" + page.removesuffix("index.html"))[0] == 200  # (rendered now, if it was left to render)
        assert page not in preview.project._stale and preview.project.files[page] == (tmp_path / "site" / page).read_bytes(), page
    stream.close()
    conn.close()
    assert wait_for(lambda: preview.showing() == set())  # noticed at the next keep-alive


def test_editor_droppings_are_ignored(running, goals):
    preview, _, _ = running
    version = preview.version
    folder = goals / "content/objectives"
    for name in (".x.md.swp", "x.md~", ".#x.md", "4913"):
        (folder / name).write_text("junk")
    time.sleep(1.0)
    assert preview.version == version


def test_saves_in_hidden_folders_are_not_content(running, goals):
    """A build reads nothing in content/.drafts/ or theme/templates/.old/, so a save there starts no rebuild
    (a template there made every page render again); a save beside them still does."""
    preview, _, lines = running
    (goals / "theme/templates").mkdir(parents=True)  # a theme of its own (a rebuild)
    assert wait_for(lambda: any(line.startswith("theme") for line in lines))
    time.sleep(0.5)
    seen = len(lines)
    for folder in (goals / "content/.drafts", goals / "theme/templates/.old"):
        folder.mkdir(parents=True)
        (folder / "a.md").write_text("---\ntitle: Draft\n---\n")
        (folder / "b.html").write_text("{{ nothing }}")
    time.sleep(1.0)
    assert lines[seen:] == []
    path = goals / "content/objectives/2026-q4/ship-with-confidence.md"
    path.write_text(path.read_text() + "\nchanged\n")
    assert wait_for(lambda: any("ship-with-confidence.md" in line for line in lines[seen:]))


def test_a_git_checkout_burst_is_one_rebuild(running, goals):
    preview, _, _ = running
    version = preview.version
    for path in sorted((goals / "content/objectives").rglob("*.md"))[:8]:
        path.write_text(path.read_text() + "\nchanged\n")
    assert wait_for(lambda: preview.version > version)
    time.sleep(0.5)
    assert preview.version == version + 1


def test_no_5xx_under_load_during_rebuilds(running, goals):
    preview, port, _ = running
    urls = ["/", "/alignment/", "/objectives/grow-recurring-revenue/", "/kpis/mrr/", "/okrs.json", "/style.css"] * 10
    path = goals / "content/objectives/2026-q4/ship-with-confidence.md"
    text = path.read_text()
    statuses = []
    with ThreadPoolExecutor(max_workers=50) as pool:
        for round_ in range(3):
            path.write_text(text + f"\nround {round_}\n")
            statuses += [s for s, _, _ in pool.map(lambda u: get(port, u), urls)]
            preview.rebuild([path])  # and one more rebuild racing the requests
            statuses += [s for s, _, _ in pool.map(lambda u: get(port, u), urls)]
    assert len(statuses) == 360 and set(statuses) == {200}


def test_broken_content_keeps_serving_and_reports(running, goals):
    preview, port, lines = running
    good = preview.project.file("index.html")
    broken = goals / "content/objectives/broken.md"
    broken.write_text("---\ntitle: [oops\n---\n")
    assert wait_for(lambda: preview.project.report.errors)
    assert get(port, "/")[0] == 200 and preview.project.file("index.html") == good
    assert wait_for(lambda: json.loads(preview.message)["errors"])
    assert json.loads(preview.message)["errors"][0]["file"] == "content/objectives/broken.md"
    assert json.loads(preview.message)["site"] is True  # the last good pages: the live box says it shows them
    assert any("content/objectives/broken.md:2: error:" in line for line in lines)
    served = get(port, "/objectives/grow-recurring-revenue/")[1].decode()  # read without JavaScript (QA AQ): the error is on the page
    assert re.search(r"<noscript><div role=\"alert\">.*the last save has 1 error.*<code>content/objectives/broken.md:2</code>", served)
    status, missing, _ = get(port, "/no/such/page/")  # the "not found" page too (QA AU)
    assert status == 404 and "<code>content/objectives/broken.md:2</code>" in missing.decode()
    broken.unlink()
    assert wait_for(lambda: not preview.project.report.errors)
    assert wait_for(lambda: json.loads(preview.message)["errors"] == [])  # published just after the rebuild
    assert "<noscript><div role" not in get(port, "/objectives/grow-recurring-revenue/")[1].decode()


def test_a_template_saved_in_another_encoding_is_shown_and_the_next_save_is_rebuilt(running, goals):
    """A theme template saved in Latin-1 is an error the browsers are told of, not the end of the
    watcher: once it is saved as UTF-8 the pages are rebuilt."""
    preview, port, lines = running
    kpi = goals / "theme/templates/kpi.html"
    write_files(goals, {"theme/templates/kpi.html": '{% extends "base.html" %}{% block main %}<p>Cafe</p>{% endblock %}\n'})
    assert wait_for(lambda: b"Cafe" in get(port, "/kpis/mrr/")[1])
    kpi.write_bytes(b'{% extends "base.html" %}\n{% block main %}\n<p>Caf\xe9</p>{% endblock %}\n')
    assert wait_for(lambda: json.loads(preview.message)["errors"])
    [error] = json.loads(preview.message)["errors"]
    assert (error["file"], error["line"]) == ("theme/templates/kpi.html", 3) and "not UTF-8" in error["message"] and "UTF-8" in error["hint"]
    assert get(port, "/kpis/mrr/")[0] == 200
    kpi.write_text('{% extends "base.html" %}{% block main %}<p>FIXED</p>{% endblock %}\n')
    # The pages are swapped in before the message to the browsers is replaced: wait for both (a CI run
    # under load read the message in between).
    assert wait_for(lambda: b"FIXED" in get(port, "/kpis/mrr/")[1] and json.loads(preview.message)["errors"] == [])
    assert not any("Traceback" in line for line in lines)


def test_the_watcher_outlives_a_rebuild_that_raises(running, goals):
    """A rebuild that raises (okrsite's bug) is said once; the next save rebuilds everything."""
    preview, port, lines = running
    real = preview.project.rebuild
    raised = []

    def once(*args):
        if not raised:
            raised.append(True)
            raise KeyError("boom")
        return real(*args)

    preview.project.rebuild = once
    page = goals / "content/objectives/2026-q4/migrate-largest-tenants.md"
    page.write_text(page.read_text().replace("done: false", "done: true", 1))
    assert wait_for(lambda: any("internal error, please report: KeyError: 'boom'" in line for line in lines))
    version = preview.version
    page.write_text(page.read_text() + "\nOne more line.\n")
    assert wait_for(lambda: preview.version > version)
    assert b"One more line." in get(port, "/objectives/migrate-largest-tenants/")[1]


def test_a_failing_first_build_still_serves_the_overlay(goals):
    (goals / "content/objectives/broken.md").write_text("---\ntitle: [oops\n---\n")
    preview = Preview(Project(goals), log=lambda line: None)
    server = start_server(preview, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert not preview.rebuild().ok
        status, body, _ = get(server.server_address[1], "/")
        assert status == 200 and CLIENT.encode() in body
        assert json.loads(preview.message)["errors"]
        assert json.loads(preview.message)["site"] is False, "no good pages to show: the live box says so"
    finally:
        server.shutdown()
        server.server_close()


def test_settings_and_content_in_one_burst_is_one_rebuild(running, goals):
    preview, _, lines = running
    version = preview.version
    settings = goals / "okrsite.toml"
    settings.write_text(settings.read_text() + '\n[periods.FY27-Q1]\nstart = 2026-10-01\nend = 2026-12-31\n')
    path = goals / "content/objectives/2026-q4/ship-with-confidence.md"
    path.write_text(path.read_text().replace("period: 2026-Q4", "period: FY27-Q1", 1))
    assert wait_for(lambda: preview.version > version)
    time.sleep(0.6)
    assert preview.version == version + 1 and preview.project.report.errors == []


def test_content_folder_replaced_is_read_again(running, goals, tmp_path):
    preview, port, _ = running
    shutil.copytree(goals / "content", tmp_path / "saved")
    shutil.rmtree(goals / "content")
    assert wait_for(lambda: not preview.project.has("objectives/grow-recurring-revenue/index.html") or preview.project.report.errors)
    shutil.copytree(tmp_path / "saved", goals / "content")
    assert wait_for(lambda: preview.project.has("objectives/grow-recurring-revenue/index.html") and not preview.project.report.errors)
    time.sleep(0.5)
    path = goals / "content/objectives/2026-q4/ship-with-confidence.md"
    path.write_text(path.read_text() + "\nstill watched\n")
    assert wait_for(lambda: b"still watched" in get(port, "/objectives/ship-with-confidence/")[1])


def test_warnings_are_printed_after_a_good_rebuild(running, goals):
    preview, _, lines = running
    version = preview.version
    path = goals / "content/kpis/mrr.md"
    path.write_text(path.read_text().replace("title: ", "statuss: x\ntitle: ", 1))
    assert wait_for(lambda: preview.version > version)
    assert any("content/kpis/mrr.md:2: warning: unknown key 'statuss'" in line for line in lines)


def test_head_on_the_event_stream_ends(running):
    _, port, _ = running
    status, body, headers = get(port, "/__okrsite/events", method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Type"] == "text/event-stream"


def test_ipv6_loopback(goals):
    preview = Preview(Project(goals), log=lambda line: None)
    try:
        server = start_server(preview, "::1", 0)
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    preview.rebuild()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        conn = http.client.HTTPConnection("::1", server.server_address[1], timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("host,message", [("10.255.255.254", "cannot listen on 10.255.255.254"), ("not a host", "cannot listen on not a host")])
def test_bad_host_is_a_clear_error(goals, host, message):
    lines: list[str] = []
    assert serve(goals, host, 0, log=lines.append) == 1
    assert lines[0].startswith(f"okrsite serve: error: {message}")


def test_missing_site_folder(tmp_path):
    lines: list[str] = []
    assert serve(tmp_path / "nope", log=lines.append) == 1
    assert lines == [f"okrsite serve: error: the folder {tmp_path / 'nope'} does not exist (give the folder of your goals repository, "
                     f"the one that holds content/, or create one there with 'okrsite init {tmp_path / 'nope'}')"]
    assert list(tmp_path.iterdir()) == []


def test_add_rename_delete_over_http(running, goals):
    _, port, _ = running
    folder = goals / "content/objectives/2026-q4"
    new = folder / "fresh-goal.md"
    new.write_text("---\ntitle: Fresh goal\nperiod: 2026-Q4\nowner: platform\nparent: halve-dashboard-load-times\n"
                   "key_results:\n  - title: Something\n    target: 10\n---\n")
    assert wait_for(lambda: get(port, "/objectives/fresh-goal/")[0] == 200)
    new.rename(folder / "renamed-goal.md")
    assert wait_for(lambda: get(port, "/objectives/renamed-goal/")[0] == 200)
    assert get(port, "/objectives/fresh-goal/")[0] == 404
    (folder / "renamed-goal.md").unlink()
    assert wait_for(lambda: get(port, "/objectives/renamed-goal/")[0] == 404)
    assert b"Fresh goal" not in get(port, "/alignment/")[1]


def test_a_folder_renamed_under_content_is_its_files_moved_as_a_build_has_them(running, goals, tmp_path):
    """`mv` or an editor's file tree renames a folder: the watcher reports the folder alone, and every
    file below it is gone from the old path and new at the new one (its links, okrs.json's path), with
    no false "duplicate id" on the next save of one of them; a deletion there is then seen too."""
    preview, port, _ = running
    objectives = goals / "content/objectives"
    (objectives / "2026-q3").rename(objectives / "q3-archive")
    assert wait_for(lambda: b'"path":"content/objectives/q3-archive/reach-500k-mrr.md"' in get(port, "/okrs.json")[1])
    assert b"content/objectives/2026-q3/" not in get(port, "/objectives/reach-500k-mrr/")[1]
    assert preview.project.snapshot() == full_build(goals, tmp_path / "renamed")
    path = objectives / "q3-archive/reach-500k-mrr.md"
    path.write_text(path.read_text().replace("title: Reach $500k", "title: Reach 500k", 1))
    assert wait_for(lambda: b"Reach 500k" in get(port, "/objectives/reach-500k-mrr/")[1])
    assert preview.project.report.errors == []
    (objectives / "q3-archive/stand-up-frankfurt-region.md").unlink()
    assert wait_for(lambda: get(port, "/objectives/stand-up-frankfurt-region/")[0] == 404)
    assert preview.project.snapshot() == full_build(goals, tmp_path / "edited")


def test_a_folder_renamed_so_that_its_files_lose_their_kind_has_the_errors_of_a_check(running, goals, tmp_path):
    """content/kpis renamed content/metrics: the files without a `type:` have no kind there (SPEC §1),
    and the preview says what `okrsite check` says; renamed back, it is the build again."""
    preview, _, _ = running
    (goals / "content/kpis").rename(goals / "content/metrics")
    checked = [(d.file, d.line, d.message) for d in check_site(goals).report.errors]

    def said() -> list:
        return [(d.file, d.line, d.message) for d in preview.project.report.errors]

    # The watcher may report the rename in two batches (a machine under load): wait for the whole of it.
    assert wait_for(lambda: said() == checked, timeout=30), (said(), checked)
    assert any(file.startswith("content/metrics/") for file, _, _ in said())
    (goals / "content/metrics").rename(goals / "content/kpis")
    built = full_build(goals, tmp_path / "back")
    assert wait_for(lambda: not preview.project.report.errors and preview.project.snapshot() == built, timeout=30)


@needs_git
def test_a_commit_alone_brings_its_check_in(tmp_path):
    """Committing an edit the preview already shows changes no content file: the reflog watcher sees it."""
    obj = "content/objectives/reduce-churn.md"
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: objective(current=10)}, "2026-10-01T09:00:00+00:00")
    lines: list[str] = []
    preview, server, stop = start_preview(repo.root, lines)
    try:
        port = server.server_address[1]

        def key_result() -> dict:
            return json.loads(get(port, "/okrs.json")[1])["objectives"][0]["key_results"][0]

        (repo.root / obj).write_text(objective(current=30))
        assert wait_for(lambda: key_result()["current"] == 30)
        assert [h["value"] for h in key_result()["history"]] == [10]
        repo.commit({}, "2026-11-20T09:00:00+00:00", "Bo Chen", "Check-in")
        assert wait_for(lambda: [h["value"] for h in key_result()["history"]] == [10, 30])
        assert key_result()["updated_by"] == "Bo Chen"
        assert any(line.startswith("git: a commit or checkout:") for line in lines), lines
    finally:
        stop_preview(server, stop)


@needs_git
def test_with_the_history_off_a_commit_alone_rebuilds_nothing(tmp_path):
    """A site that reads no history (git_history = false) is the same after a commit: no rebuild, no line;
    a save still rebuilds."""
    obj = "content/objectives/reduce-churn.md"
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS + "git_history = false\n", "content/teams/sales.md": TEAM, obj: objective(current=10)}, "2026-10-01T09:00:00+00:00")
    lines: list[str] = []
    preview, server, stop = start_preview(repo.root, lines)
    try:
        seen = len(lines)
        repo.commit({}, "2026-11-20T09:00:00+00:00", "Bo Chen", "Nothing the site reads")
        time.sleep(1.5)
        assert lines[seen:] == []
        (repo.root / obj).write_text(objective(current=30))
        assert wait_for(lambda: any(line.startswith(obj) for line in lines[seen:])), lines[seen:]
    finally:
        stop_preview(server, stop)


def test_rebuilds_leave_no_garbage_behind_and_the_collector_on(goals):
    """The collector is off during a rebuild (speed at 10,000 objectives): what a rebuild leaves in
    cycles must still be collected, or every settings save grows the preview's memory."""
    import gc

    preview = Preview(Project(goals), log=lambda line: None)
    preview.rebuild()
    settings = goals / "okrsite.toml"
    text = settings.read_text()
    counts = []
    for n in range(6):
        settings.write_text(text + f"\n# save {n}\n")
        preview.rebuild([settings])
        assert gc.isenabled()
        preview.settle()
        counts.append(len(gc.get_objects()))
    assert counts[-1] < counts[1] * 1.2, counts


def test_a_notice_is_printed_but_never_published_as_an_error(goals):
    write_files(goals, {"content/kpis/old.md": "---\ntitle: Old\nowner: company\nsource: x\nfrequency: weekly\nvalues:\n  - {date: 2026-10-01, value: 3}\n---\n"})
    lines: list[str] = []
    preview = Preview(Project(goals), log=lines.append)
    assert preview.rebuild().ok
    assert json.loads(preview.message)["errors"] == []
    assert any("content/kpis/old.md:6: notice: stale KPI" in line for line in lines)


OLD_KPI = "---\ntitle: Old\nowner: company\nsource: x\nfrequency: weekly\nvalues:\n  - {date: 2026-10-01, value: 3}\n---\n"
STALE = "content/kpis/old.md:6: notice: stale KPI: the latest value is 53 days old (weekly data)"


def test_a_save_with_an_error_prints_the_notices_check_reports(goals):
    """QA CX: while a save had an error, the terminal printed its errors and warnings, and none of the
    notices `okrsite check` gives the files without an error (docs/serve.md, docs/cli.md say it does)."""
    broken = write_files(goals, {"content/kpis/broken.md": "---\ntitle: Broken\nowner: company\nsource: x\ndirection: dwon\n---\n"}) / "content/kpis/broken.md"
    kpi = write_files(goals, {"content/kpis/old.md": OLD_KPI}) / "content/kpis/old.md"
    lines: list[str] = []
    preview = Preview(Project(goals), log=lines.append)
    assert not preview.rebuild().ok
    assert lines[0] == "first build: 1 error(s), no pages yet, 1 notice" and STALE in lines[1], lines
    assert [d for d in preview.project.report.notices] == check_site(goals).report.notices
    broken.unlink()
    assert preview.rebuild([broken]).ok
    kpi.write_text(OLD_KPI.replace("2026-10-01", "2026-11-20"))
    assert preview.rebuild([kpi]).ok
    seen = len(lines)
    kpi.write_text(OLD_KPI)  # stale again, in the save that breaks another file
    broken.write_text("---\ntitle: Broken\nowner: company\nsource: x\ndirection: dwon\n---\n")
    assert not preview.rebuild([kpi, broken]).ok
    assert lines[seen].endswith(": 1 error(s), still serving the last good pages, 1 notice (1 new)"), lines[seen:]
    assert STALE in lines[seen + 1] and "error: 'direction' must be one of" in lines[seen + 1], lines[seen:]


def test_the_terminal_prints_a_notice_once_and_then_counts_it_on_each_rebuild_line(goals):
    """QA CX: each save printed every notice of the site again after its line (13 notices, 14 lines a
    save). A notice is printed when it first appears, said gone when it goes; each line counts them."""
    kpi = write_files(goals, {"content/kpis/old.md": OLD_KPI}) / "content/kpis/old.md"
    objective = goals / "content/objectives/2026-q4/migrate-largest-tenants.md"
    lines: list[str] = []
    preview = Preview(Project(goals), log=lines.append)
    assert preview.rebuild().ok
    assert lines[0].endswith(", 1 notice") and sum(STALE in line for line in lines) == 1, lines
    text = objective.read_text()
    for n in range(3):
        seen = len(lines)
        objective.write_text(text + f"\nSaved {n} times.\n")
        assert preview.rebuild([objective]).ok
        [line] = lines[seen:]
        assert line.startswith("content/objectives/2026-q4/migrate-largest-tenants.md: ") and line.endswith(" ms, 1 notice (unchanged)"), line
    seen = len(lines)
    kpi.write_text(OLD_KPI.replace("\nvalues:", "\n# measured by hand\nvalues:"))  # the same notice, a line lower
    assert preview.rebuild([kpi]).ok and lines[seen:][0].endswith("1 notice (unchanged)") and len(lines) == seen + 1, lines[seen:]
    kpi.write_text(OLD_KPI.replace("2026-10-01", "2026-11-20"))
    assert preview.rebuild([kpi]).ok
    assert lines[seen + 1].endswith(", 0 notices (1 gone)"), lines[seen:]
    assert lines[seen + 2] == "content/kpis/old.md:7: notice gone: stale KPI: the latest value is 53 days old (weekly data)", lines[seen:]
    kpi.write_text(OLD_KPI.replace("title: Old", "title: Old\nnope: 1"))
    assert preview.rebuild([kpi]).ok
    assert lines[seen + 3].endswith(", 1 notice (1 new)") and "warning: unknown key 'nope'" in lines[seen + 4] and STALE.replace(":6:", ":7:") in lines[seen + 4]
    seen = len(lines)
    kpi.write_text(OLD_KPI.replace("title: Old", "title: Old\ndirection: dwon"))
    assert not preview.rebuild([kpi]).ok
    assert lines[seen].endswith("still serving the last good pages, 0 notices (1 unknown until the errors are fixed)"), lines[seen:]
    kpi.write_text(OLD_KPI)
    assert preview.rebuild([kpi]).ok
    assert lines[seen + 2].endswith(", 1 notice (unchanged)") and len(lines) == seen + 3, lines[seen:]


def test_serve_audience_public_previews_the_public_site_over_http(example_copy):
    """`okrsite serve --audience public`, the real command on 127.0.0.1: every page of the public site,
    okrs.json, the feed and search; no confidential number and nothing of the private objective."""
    import json
    import re
    import subprocess
    import sys

    from ..test_leaks import number_pattern, printed_forms

    proc = subprocess.Popen([sys.executable, "-m", "okrsite", "serve", str(example_copy), "--audience", "public", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = proc.stdout.readline()
        match = re.search(r"^Serving the public site of .* on http://127\.0\.0\.1:(\d+)/", first)
        assert match, first
        port = int(match[1])
        deadline = time.monotonic() + 30
        while get(port, "/okrs.json")[0] != 200:
            assert time.monotonic() < deadline, "the first build did not finish"
            time.sleep(0.1)
        okrs = json.loads(get(port, "/okrs.json")[1])
        assert okrs["audience"] == "public" and "acquire-kingfisher-analytics" not in {o["id"] for o in okrs["objectives"]}
        urls = ["/", "/alignment/", "/search/", "/changes/", "/changes.xml", "/archive/", "/404.html", "/okrs.json"]
        urls += ["/" + item["url"] for table in ("objectives", "kpis", "teams", "people", "periods") for item in okrs[table]]
        pages = {}
        for url in urls:
            status, body, _ = get(port, url)
            assert status == 200, url
            pages[url] = body
        secrets = number_pattern(printed_forms(14871.4) | printed_forms(12850) | printed_forms(41863.5) | printed_forms(21475))
        private = re.compile(rb"Kingfisher|acquire-kingfisher-analytics", re.IGNORECASE)
        assert [url for url, body in pages.items() if secrets.search(body) or private.search(body)] == []
        assert b"numbers not public" in pages["/kpis/customer-acquisition-cost/"] and b"a private objective" in pages["/objectives/offer-live-warehouse-connectors/"]
        assert get(port, "/objectives/acquire-kingfisher-analytics/")[0] == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("setting, flag, named", [
    ('audience = "public"\n', [], "the public site of "), ('audience = "public"\n', ["--audience", "public"], "the public site of "),
    ("", [], ""), ("", ["--audience", "internal"], ""), ('audience = "public"\n', ["--audience", "internal"], "")])
def test_serve_names_the_audience_it_previews_whichever_way_it_was_chosen(tmp_path, setting, flag, named):
    """QA CM: with `audience = "public"` in okrsite.toml the banner said "Serving <folder>", the
    internal site's words, though it served the public site; `build` says "Built the public site" both ways."""
    import subprocess
    import sys

    root = write_files(tmp_path / "goals", {"okrsite.toml": f'title = "T"\nas_of = 2026-11-23\ngit_history = false\n{setting}',
                                            "content/objectives/a.md": "---\ntitle: A\nperiod: 2026-Q4\nowner: Jane Doe\nkey_results:\n  - {title: K, done: false}\n---\n"})
    proc = subprocess.Popen([sys.executable, "-m", "okrsite", "serve", str(root), "--port", "0", *flag], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert re.match(rf"Serving {re.escape(named + str(root.resolve()))} on http://127\.0\.0\.1:\d+/", first), first


def test_the_no_site_yet_page_lists_the_errors_without_javascript_escaped(goals):
    """SPEC §8: the browser shows the error (file, line, message) until the file is fixed; without
    JavaScript too. A message quotes what the file holds, so it is escaped."""
    (goals / "content/objectives/broken.md").write_text("---\ntitle: [oops\n---\n")
    (goals / "content/objectives/odd.md").write_text(
        "---\ntitle: Odd\nperiod: 2026-Q4\nowner: leadership\nparent: \"<script>alert(1)</script>\"\nkey_results:\n  - title: K\n    target: 2\n---\n")
    preview = Preview(Project(goals), log=lambda line: None)
    server = start_server(preview, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert not preview.rebuild().ok
        for path in ("/", "/objectives/odd/"):
            status, body, _ = get(server.server_address[1], path)
            page = body.decode()
            assert status == 200 and "<h1>No site yet</h1>" in page
            listed = page[page.index('<ol id="okrsite-listed">'):page.index("</ol>")]
            assert "<li><code>content/objectives/broken.md:2</code>: unreadable YAML" in listed
            assert "<li><code>content/objectives/odd.md:5</code>: unknown parent &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in listed
            assert "<script>alert" not in page
    finally:
        server.shutdown()
        server.server_close()


def test_a_saved_mailmap_renames_the_authors_without_a_commit(tmp_path):
    """history.md: authors are named after the repository's .mailmap. Saving it changes no goals file
    and moves no HEAD: the preview watches it and reads the history again with the new names."""
    obj = "content/objectives/reduce-churn.md"
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: objective(current=10)}, "2026-10-01T09:00:00+00:00", "ann")
    repo.commit({obj: objective(current=20)}, "2026-10-15T09:00:00+00:00", "ann", "Check-in")
    lines: list[str] = []
    preview, server, stop = start_preview(repo.root, lines)
    try:
        port = server.server_address[1]

        def updated_by() -> str:
            return json.loads(get(port, "/okrs.json")[1])["objectives"][0]["key_results"][0]["updated_by"]

        assert wait_for(lambda: updated_by() == "ann")
        (repo.root / ".mailmap").write_text("Ann Lee <ann@example.com>\n")
        assert wait_for(lambda: updated_by() == "Ann Lee"), lines
    finally:
        stop_preview(server, stop)


def test_a_temporary_file_renamed_over_a_goals_file_is_not_named(running, goals):
    """`sed -i` and many editors write a temporary file beside the file and rename it over it: the
    terminal line names the goals file, not the temporary one, which is gone by then."""
    preview, _, lines = running
    seen = len(lines)
    path = goals / "content/objectives/2026-q4/migrate-largest-tenants.md"
    passing = path.parent / "sedX1b2c3"
    passing.write_text(path.read_text().replace("done: false", "done: true", 1))
    os.replace(passing, path)
    assert wait_for(lambda: len(lines) > seen)
    assert lines[seen].startswith("content/objectives/2026-q4/migrate-largest-tenants.md: ") and "sedX1b2c3" not in lines[seen], lines[seen:]


def test_a_markdown_file_made_and_gone_is_not_named_and_a_goals_file_deleted_is(running, goals):
    """A temporary `.md` renamed over the goals file, or a scratch `.md` made and deleted, is not named
    on the terminal line; a goals file the site read that is deleted is."""
    preview, _, lines = running
    folder = goals / "content/objectives/2026-q4"
    path = folder / "migrate-largest-tenants.md"
    seen = len(lines)
    passing = folder / "migrate-largest-tenants.tmp.md"
    passing.write_text(path.read_text().replace("done: false", "done: true", 1))
    os.replace(passing, path)
    assert wait_for(lambda: any(line.startswith("content/objectives/2026-q4/migrate-largest-tenants.md") for line in lines[seen:]))
    time.sleep(0.5)
    assert not [line for line in lines[seen:] if ".tmp.md" in line], lines[seen:]
    seen = len(lines)
    scratch = folder / "scratch.md"
    scratch.write_text("x")
    scratch.unlink()
    time.sleep(1.0)
    assert not [line for line in lines[seen:] if "scratch.md" in line], lines[seen:]
    deleted = folder / "ship-with-confidence.md"
    deleted.unlink()
    assert wait_for(lambda: any(line.startswith("content/objectives/2026-q4/ship-with-confidence.md") for line in lines[seen:])), lines[seen:]


def test_the_rebuild_line_names_a_link_by_its_own_path(tmp_path):
    """QA AT: a saved link to /etc/passwd or ../../okrsite.toml was named by where it leads, absolute or
    as another file of the repository."""
    from okrsite.preview.server import _shown

    (tmp_path / "content" / "objectives").mkdir(parents=True)
    (tmp_path / "okrsite.toml").write_text("")
    for name, target in (("out.md", "/etc/passwd"), ("in.md", "../../okrsite.toml")):
        (tmp_path / "content" / "objectives" / name).symlink_to(target)
        assert _shown(tmp_path / "content" / "objectives" / name, tmp_path) == f"content/objectives/{name}"


def test_the_rebuild_line_names_the_file_saved_in_a_new_folder_not_the_folder(goals):
    """QA: `mkdir content/notes` and at once `content/notes/retro.md` printed "content/notes: 3 pages
    rendered": the watcher took up the new folder after the file was written, and reported the folder
    alone (or with the file). The line names the file; a folder only when nothing within it is named."""
    lines: list[str] = []
    preview = Preview(Project(goals), log=lines.append)
    preview.rebuild()
    retro = "---\ntitle: Retro {}\n---\nWhat went well.\n"
    notes, more = goals / "content/notes", goals / "content/more"
    write_files(goals, {"content/notes/retro.md": retro.format(1), "content/more/retro-2.md": retro.format(2), "content/empty/.keep": ""})
    preview.rebuild([notes])
    preview.rebuild([more, more / "retro-2.md"])
    preview.rebuild([goals / "content/empty"])
    shutil.rmtree(notes)
    preview.rebuild([notes])
    assert [line.split(": ")[0] for line in lines[1:]] == ["content/notes/retro.md", "content/more/retro-2.md", "content/empty", "content/notes/retro.md"]


def _open_stream(port: int, page: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/__okrsite/events?page=" + page.replace("/", "%2F"))
    return conn, conn.getresponse()


SIGNUPS = "---\ntitle: Signups\nowner: sales\ntarget: 100\nfrequency: daily\nsource: db\nvalues:\n  - {date: 2026-12-30, value: 120}\n---\n"


def _midnight_site(root: Path, settings: str = 'title = "Midnight"\n') -> Path:
    return write_files(root, {"okrsite.toml": settings, "content/teams/sales.md": TEAM, "content/kpis/signups.md": SIGNUPS,
                              "content/objectives/q4.md": objective("Q4 goal"), "content/objectives/q1.md": objective("Q1 goal", period="2027-Q1")})


def test_a_preview_left_open_past_midnight_shows_the_new_day_and_reloads_the_open_pages(tmp_path):
    """QA DZ: with no day fixed, each rebuild is as of today, and the day changing is a rebuild too,
    with nothing saved: the open pages are told (they reload, the date in their frame changed), and a
    page asked for shows the new day at once, its update form dated by the day the page shows."""
    root = _midnight_site(tmp_path / "goals")
    clock = [date(2026, 12, 31)]
    lines: list[str] = []
    preview, server, stop = start_preview(root, lines, Project(root, today=lambda: clock[0]))
    port = server.server_address[1]
    conn, stream = _open_stream(port, "/")
    try:
        seen = next_event(stream)["version"]
        assert b"Goals as of 2026-12-31" in get(port, "/")[1] and b"stale" not in get(port, "/kpis/signups/")[1]
        clock[0] = date(2027, 1, 1)  # no page asked for: the watcher notices
        event = next_event(stream)
        assert event["version"] > seen and "index.html" in event["changed"] and event["errors"] == []
        home = get(port, "/")[1]
        assert b"Goals as of 2027-01-01" in home and b"2027-Q1" in home
        assert any(line.startswith("a new day (2027-01-01): ") for line in lines), lines
        clock[0] = date(2027, 1, 2)  # a page asked for at once shows the new day
        kpi = get(port, "/kpis/signups/")[1]
        assert b"Goals as of 2027-01-02" in kpi and b'name="date" type="date" value="2027-01-02"' in kpi
        assert b"stale" in kpi
        assert next_event(stream)["version"] > event["version"]
        time.sleep(1.2)
        assert sum(line.startswith("a new day (2027-01-02)") for line in lines) == 1, lines
    finally:
        conn.close()
        stop_preview(server, stop)


@pytest.mark.parametrize("fixed", ["setting", "--as-of"])
def test_a_day_fixed_by_the_setting_or_as_of_stays_past_midnight(tmp_path, fixed):
    root = _midnight_site(tmp_path / "goals", 'title = "Midnight"\nas_of = 2026-12-31\n' if fixed == "setting" else 'title = "Midnight"\n')
    clock = [date(2026, 12, 31)]
    lines: list[str] = []
    project = Project(root, as_of=date(2026, 12, 31) if fixed == "--as-of" else None, today=lambda: clock[0])
    preview, server, stop = start_preview(root, lines, project)
    try:
        version, seen = preview.version, len(lines)
        clock[0] = date(2027, 1, 1)
        kpi = get(server.server_address[1], "/kpis/signups/")[1]
        assert b"Goals as of 2026-12-31" in kpi and b'name="date" type="date" value="2026-12-31"' in kpi
        time.sleep(1.2)
        assert preview.version == version and lines[seen:] == []
    finally:
        stop_preview(server, stop)


def _git_site(root: Path, count: int, settings: str = SETTINGS) -> GitRepo:
    repo = GitRepo(root)
    files = {f"content/objectives/goal-{n}.md": objective(f"Goal {n}", current=10) for n in range(count)}
    repo.commit({"okrsite.toml": settings, "content/teams/sales.md": TEAM, **files}, "2026-10-01T09:00:00+00:00")
    return repo


def _rebuild_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if " pages rendered" in line or " error(s)" in line]


@contextmanager
def _checkout_in_progress(repo: GitRepo):
    """A preview of ``repo`` while git holds its index lock: yields the preview, its server, the lines it
    printed and a function that lets the lock go and waits for the one rebuild that follows it."""
    lines: list[str] = []
    preview, server, stop = start_preview(repo.root, lines)
    lock = repo.root / ".git/index.lock"
    lock.write_bytes(b"")
    version, seen = preview.version, len(lines)

    def let_go() -> list[str]:
        assert preview.version == version and lines[seen:] == []
        lock.unlink()
        assert wait_for(lambda: preview.version > version)
        time.sleep(0.8)
        assert preview.version == version + 1, lines[seen:]
        return lines[seen:]

    try:
        yield preview, server, let_go
    finally:
        stop_preview(server, stop)


@needs_git
def test_a_checkout_is_read_once_git_lets_go_of_its_index(tmp_path):
    """QA DZ: git pauses between files on a busy computer, and creates a file before it fills it. While
    it holds .git/index.lock the work tree is half written: nothing is read until the lock goes, then
    everything once, as it is in the end (no "the file is empty", no mix of two commits)."""
    repo = _git_site(tmp_path / "goals", 6)
    with _checkout_in_progress(repo) as (preview, server, let_go):
        (repo.root / "content/objectives/goal-5.md").write_text("")  # created, not yet filled
        for n in range(6):
            time.sleep(0.1)  # longer than the watchers' pauses: each file would be a rebuild of its own
            (repo.root / f"content/objectives/goal-{n}.md").write_text(objective(f"Goal {n}", current=90))
        time.sleep(0.6)
        done = _rebuild_lines(let_go())
        assert len(done) == 1 and done[0].startswith(", ".join(f"content/objectives/goal-{n}.md" for n in range(6)) + ": "), done
        assert preview.project.report.errors == []
        served = json.loads(get(server.server_address[1], "/okrs.json")[1])["objectives"]
        assert sorted(o["key_results"][0]["current"] for o in served) == [90] * 6


@needs_git
def test_a_checkout_of_okrsite_toml_and_content_together_never_flashes_an_error(tmp_path):
    """QA DZ: git writes content/ first, okrsite.toml last; a new named period in both is one rebuild
    with no error, however long git takes between them."""
    repo = _git_site(tmp_path / "goals", 4)
    with _checkout_in_progress(repo) as (preview, server, let_go):
        for n in range(4):
            (repo.root / f"content/objectives/goal-{n}.md").write_text(objective(f"Goal {n}", period="FY27-Q1"))
        time.sleep(0.3)
        (repo.root / "okrsite.toml").write_text(SETTINGS + '\n[periods.FY27-Q1]\nstart = 2026-10-01\nend = 2026-12-31\n')
        time.sleep(0.3)
        printed = let_go()
        assert not any(": error: " in line or " error(s)" in line for line in printed), printed
        assert _rebuild_lines(printed)[0].startswith("content/objectives/goal-0.md") and "okrsite.toml: " in printed[0]
        assert b"FY27-Q1" in get(server.server_address[1], "/objectives/goal-0/")[1]


@needs_git
def test_a_lock_git_left_behind_is_waited_for_once(tmp_path, monkeypatch):
    """A git that crashed leaves its index.lock: a save is rebuilt after LOCK_WAIT_S anyway, and the
    saves after it are not held up by that lock again."""
    from okrsite.preview import server as serving

    monkeypatch.setattr(serving, "LOCK_WAIT_S", 2.0)
    repo = _git_site(tmp_path / "goals", 2)
    lines: list[str] = []
    preview, server, stop = start_preview(repo.root, lines)
    try:
        (repo.root / ".git/index.lock").write_bytes(b"")
        path = repo.root / "content/objectives/goal-0.md"
        version, started = preview.version, time.monotonic()
        path.write_text(objective("Goal 0", current=50))
        assert wait_for(lambda: preview.version > version)
        assert time.monotonic() - started >= 2.0
        version, started = preview.version, time.monotonic()
        path.write_text(objective("Goal 0", current=60))
        assert wait_for(lambda: preview.version > version, timeout=1.8)
        assert preview.project.report.errors == []
    finally:
        stop_preview(server, stop)


@needs_git
def test_the_index_lock_of_a_linked_work_tree_is_waited_for(tmp_path):
    """A site in a work tree of `git worktree add`: its .git is a file, and git locks the index of that
    work tree in the main repository's .git/worktrees/NAME/."""
    repo = _git_site(tmp_path / "goals", 2)
    repo.git("worktree", "add", "-q", str(tmp_path / "other"))
    other = tmp_path / "other"
    lines: list[str] = []
    preview, server, stop = start_preview(other, lines)
    try:
        lock = repo.root / ".git/worktrees/other/index.lock"
        lock.write_bytes(b"")
        version = preview.version
        (other / "content/objectives/goal-0.md").write_text(objective("Goal 0", current=50))
        time.sleep(0.6)
        assert preview.version == version
        lock.unlink()
        assert wait_for(lambda: preview.version > version)
    finally:
        stop_preview(server, stop)


def test_the_rebuild_line_names_a_file_with_escape_sequences_escaped(goals):
    """QA EM: a file whose name holds ESC and BEL (from a git pull) had the rebuild line write them raw
    to the terminal: clear the screen, set its title."""
    lines: list[str] = []
    preview = Preview(Project(goals), log=lines.append)
    assert preview.rebuild().ok
    seen = len(lines)
    named = write_files(goals, {"content/objectives/n\x1b[2J\x1b]0;OWNED\x07.md": "---\ntitle: N\nowner: company\nperiod: 2026-Q4\n---\n"})
    preview.rebuild([named / "content/objectives/n\x1b[2J\x1b]0;OWNED\x07.md"])
    said = "\n".join(lines[seen:])
    assert "content/objectives/n\\x1b[2J\\x1b]0;OWNED\\x07.md: " in said
    assert "\x1b" not in said and "\x07" not in said


@pytest.mark.parametrize("data", ["metrics/mrr.csv", "content/kpis/mrr.csv"])
def test_a_kpi_s_csv_file_in_any_folder_is_watched_and_read_again(goals, tmp_path, data):
    """docs/kpis.md allows a `data:` path anywhere in the site: a row added to the file shows as a build
    shows it (outside data/ no save was seen; under content/ it was taken for a file a body links to)."""
    csv = goals / data
    csv.parent.mkdir(parents=True, exist_ok=True)
    (goals / "data/mrr.csv").rename(csv)
    kpi = goals / "content/kpis/mrr.md"
    kpi.write_text(kpi.read_text().replace("data: data/mrr.csv", f"data: {data}"))
    lines: list[str] = []
    preview, server, stop = start_preview(goals, lines)
    try:
        version = preview.version
        with csv.open("a") as file:
            file.write("2026-11-20,530000\n")
        assert wait_for(lambda: preview.version > version), lines
        status, body, _ = get(server.server_address[1], "/okrs.json")
        assert status == 200 and b"530000" in body
        assert preview.project.snapshot() == full_build(goals, tmp_path / "site")
    finally:
        stop_preview(server, stop)


def test_a_save_while_the_first_build_reads_the_site_is_rebuilt_after_it(goals, tmp_path, monkeypatch):
    """`okrsite serve` watches before its first build reads the files: a key result saved once the first
    build has read its file (and before the build is done) is rebuilt after it, not lost till saved again."""
    saved = goals / "content/objectives/2026-q4/offer-live-warehouse-connectors.md"
    real_read, real_start, servers = Project._read_changed, start_server, []

    def read_then_save(project, full, kinds):
        real_read(project, full, kinds)
        if full and not saved.read_text().count("current: 7"):
            saved.write_text(saved.read_text().replace("current: 4", "current: 7", 1))

    def started(preview, host, port):
        servers.append(real_start(preview, host, port))
        return servers[-1]

    monkeypatch.setattr(Project, "_read_changed", read_then_save)
    monkeypatch.setattr("okrsite.preview.server.start_server", started)
    lines: list[str] = []
    thread = threading.Thread(target=serve, args=(goals,), kwargs={"port": 0, "log": lines.append}, daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: any(line.startswith(f"content/objectives/2026-q4/{saved.name}: ") for line in lines)), lines
        status, _, _ = get(servers[0].server_address[1], "/objectives/offer-live-warehouse-connectors/")
        page = "objectives/offer-live-warehouse-connectors/index.html"
        assert status == 200 and servers[0].preview.project.files[page] == full_build(goals, tmp_path / "site")[page]
    finally:
        if servers:
            servers[0].shutdown()
        thread.join(10)


def test_a_new_or_moved_follows_updates_the_earlier_objectives_pages(running, goals, tmp_path):
    """Both the objective a `follows:` names now and the one it named before get their "Continued in"
    (their pages and their period's review), as `okrsite build` writes them."""
    preview, port, lines = running
    follower = goals / "content/objectives/2026-q4/win-customer-love.md"
    earlier = ("/objectives/open-the-european-market/", "/periods/2026-q3/review/")
    later = ("/objectives/launch-partner-marketplace/",)
    for pages in (earlier, later + earlier):
        assert all(get(port, page)[0] == 200 for page in pages)  # rendered before the save
    for follows, shown, gone in (("open-the-european-market", earlier, ()), ("launch-partner-marketplace", later, earlier[:1])):
        version = preview.version
        text = re.sub(r"\nfollows: .*", "", follower.read_text())
        follower.write_text(text.replace("kind: committed\n", f"kind: committed\nfollows: {follows}\n", 1))
        assert wait_for(lambda: preview.version > version), lines
        for page in shown:
            assert b"Continued in" in get(port, page)[1], page
        for page in gone:
            assert b"Continued in" not in get(port, page)[1], page
        assert preview.project.snapshot() == full_build(goals, tmp_path / follows)
