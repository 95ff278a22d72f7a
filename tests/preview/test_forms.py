"""Update forms of `okrsite serve` over real HTTP: only this run's pages on this computer can write."""

from __future__ import annotations

import http.client
import re
import threading
from urllib.parse import urlencode

import pytest

from okrsite.build import build
from okrsite.preview.server import Preview, start_server
from okrsite.preview.state import Project

OBJ = "content/objectives/2026-q4/migrate-largest-tenants.md"


@pytest.fixture
def running(example_copy):
    preview = Preview(Project(example_copy), log=lambda line: None)
    server = start_server(preview, "127.0.0.1", 0)
    preview.rebuild()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield example_copy, server.server_address[1], preview
    server.stopping = True
    server.shutdown()
    server.server_close()


def request(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data, dict(response.getheaders())


def post(port: int, fields: dict, host: str | None = None, origin: str | None = "same"):
    host = host or f"127.0.0.1:{port}"
    headers = {"Host": host, "Content-Type": "application/x-www-form-urlencoded"}
    if origin is not None:
        headers["Origin"] = f"http://{host}" if origin == "same" else origin
    return request(port, "POST", "/__okrsite/checkin", urlencode(fields).encode(), headers)


def form_fields(html: str, kr: str) -> dict:
    form = re.search(r'<form class="okrsite-checkin[^>]*>(.*?)</form>', html[html.index(f'<li id="{kr}"'):]).group(1)
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))


def test_each_kr_and_kpi_page_has_a_form_in_serve_and_none_in_build(running, tmp_path):
    root, port, preview = running
    _, page, _ = request(port, "GET", "/objectives/migrate-largest-tenants/")
    html = page.decode()
    objective = preview.project.site.objectives["migrate-largest-tenants"]
    assert html.count('<form class="okrsite-checkin') == len(objective.key_results)
    assert form_fields(html, objective.key_results[0].id)["token"] == preview.forms.token
    _, kpi_page, _ = request(port, "GET", "/kpis/mrr/")
    assert kpi_page.decode().count('<form class="okrsite-checkin') == 1
    assert build(root, tmp_path / "out").ok
    built = "".join(p.read_text() for p in (tmp_path / "out").rglob("*.html"))
    assert "okrsite-checkin" not in built and preview.forms.token not in built


def test_a_post_with_the_token_checks_in_and_goes_back_to_the_page(running):
    root, port, preview = running
    objective = preview.project.site.objectives["grow-recurring-revenue"]
    kr = objective.key_results[2]
    path = root / objective.doc.path
    before = path.read_text().splitlines()
    fields = dict(form_fields(request(port, "GET", "/" + objective.url)[1].decode(), kr.id), value="9")
    status, _, headers = post(port, fields)
    assert status == 303 and headers["Location"] == f"/{objective.url}#{kr.id}"
    after = path.read_text().splitlines()
    assert len(after) == len(before) + 1 and [line for line in after if line not in before] == ["    current: 9"]
    assert "now 9 customers" in request(port, "GET", "/" + objective.url)[1].decode()


@pytest.mark.parametrize("change", ["no token", "wrong token", "other origin", "no origin", "other host", "get"])
def test_anything_else_is_403_and_writes_nothing(running, change):
    root, port, preview = running
    objective = preview.project.site.objectives["grow-recurring-revenue"]
    snapshot = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    fields = {"token": preview.forms.token, "id": objective.id, "kr": "3", "value": "9"}
    if change == "no token":
        del fields["token"]
    if change == "wrong token":
        fields["token"] = "x" * len(preview.forms.token)
    if change == "get":
        status = request(port, "GET", "/__okrsite/checkin?" + urlencode(fields))[0]
        assert status == 404
    else:
        host = f"evil.example:{port}" if change == "other host" else None
        origin = {"other origin": "http://evil.example", "no origin": None}.get(change, "same")
        assert post(port, fields, host=host, origin=origin)[0] == 403
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == snapshot


def test_a_refused_check_in_explains_and_writes_nothing(running):
    root, port, preview = running
    before = (root / OBJ).read_bytes()
    status, body, _ = post(port, {"token": preview.forms.token, "id": "migrate-largest-tenants", "kr": "1", "value": "lots"})
    assert status == 422 and b"is not a number" in body and b"Nothing was written" in body
    assert (root / OBJ).read_bytes() == before
