"""The public site (SPEC §14) in real Chromium: axe finds no violation and the Nu checker no error on
the pages that show confidential items ("not public", the lock) or a child of a private objective.

The example with its git history (check-ins, the changes page and feed) is built for the public
audience by the real command line and served on 127.0.0.1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, example_with_history, serving
from .test_accessibility import RUN_AXE, describe

MARKS = (b"not public", b'class="badge lock"', b"a private objective", b"this site does not show them")


@pytest.fixture(scope="module")
def public_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("public")
    source = example_with_history(base / "goals")
    out = base / "site"
    proc = subprocess.run([sys.executable, "-m", "okrsite", "build", str(source), "-o", str(out), "--audience", "public"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    yield from serving(out)


def marked_pages(out: Path) -> list[str]:
    """Every page of the build that shows a confidential item or a private objective's child."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if any(mark in p.read_bytes() for mark in MARKS))


def test_the_public_site_has_pages_with_confidential_items(public_site):
    pages = marked_pages(public_site.out_dir)
    for page in ("index.html", "kpis/customer-acquisition-cost/index.html", "objectives/win-customers-at-lower-cost/index.html",
                 "objectives/offer-live-warehouse-connectors/index.html", "periods/2026-q4/review/index.html"):
        assert page in pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_public_pages_with_confidential_items(public_site, scheme, axe_js, open_page):
    page, _ = open_page(color_scheme=scheme, bypass_csp=True)  # axe-core is an injected inline script
    page.emulate_media(color_scheme=scheme)
    lines = []
    pages = marked_pages(public_site.out_dir)
    for file in pages:
        page.goto(public_site.base_url + file, wait_until="load")
        page.add_script_tag(path=str(axe_js))
        lines += describe(file, scheme, page.evaluate(RUN_AXE))
    assert not lines, f"axe-core violations on {len(pages)} public pages in {scheme} mode:\n" + "\n".join(lines)


def test_nu_checker_finds_no_error_in_the_public_site(public_site, vnu_jar):
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--skip-non-html", "--errors-only", "--format", "json", str(public_site.out_dir)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") in ("error", "non-document-error")]
    assert not errors and proc.returncode == 0, "\n".join(errors)


def test_the_lock_is_a_word_for_a_screen_reader_and_an_icon_for_the_eye(public_site, open_page):
    page, log = open_page()
    page.goto(public_site.base_url + "kpis/customer-acquisition-cost/index.html", wait_until="load")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().split() == ["Customer", "acquisition", "cost", "confidential"]
    icon = page.locator("h1 .lock-icon")
    assert icon.get_attribute("aria-hidden") == "true" and icon.bounding_box()["width"] > 0
    assert page.get_by_text("numbers not public").is_visible()
    assert not log.problems()
