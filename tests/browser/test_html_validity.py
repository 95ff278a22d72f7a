"""The Nu HTML Checker (npm vnu-jar, run with the system Java) finds no error anywhere in the site."""

from __future__ import annotations

import json
import subprocess

from .conftest import Site


def test_nu_checker_finds_no_error(site: Site, vnu_jar):
    proc = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--skip-non-html", "--errors-only", "--format", "json", str(site.out_dir)],
        capture_output=True, text=True, timeout=600)
    # vnu writes its JSON report to stderr; exit status 1 means errors were found.
    try:
        messages = json.loads(proc.stderr)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu did not produce a JSON report (exit {proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}") from None
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")
              or m.get("subType") == "fatal"]
    prefix = f"file:{site.out_dir}/"
    lines = [f"{m.get('url', '').replace(prefix, '')}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}: "
             f"{m.get('message')}  [{' '.join((m.get('extract') or '').split())[:120]}]" for m in errors]
    assert not lines and proc.returncode == 0, (
        f"the Nu HTML Checker reports {len(lines)} error(s) (exit {proc.returncode}):\n  " + "\n  ".join(lines))


def test_nu_checker_finds_no_error_in_the_pages_of_a_large_site(vnu_jar, tmp_path, monkeypatch):
    """The pages a large site gets (kpis/, a period's alignment list in parts, a team page listing its
    sub-teams' objectives on their pages), made with the limits lowered on the example."""
    import shutil

    from okrsite.build import build
    from okrsite.web import render

    from .conftest import REPO

    for name, value in (("HOME_ROWS", 3), ("HOME_KPI_TILES", 2), ("ALIGNMENT_LIST_LIMIT", 4), ("TEAM_PAGE_ROWS", 2)):
        monkeypatch.setattr(render, name, value)
    root = tmp_path / "goals"
    root.mkdir()
    shutil.copy(REPO / "okrsite.toml", root / "okrsite.toml")
    for name in ("content", "data"):
        shutil.copytree(REPO / name, root / name)
    out = tmp_path / "out"
    assert build(root, out, cache=False).ok
    pages = [out / "index.html", out / "kpis/index.html", out / "alignment/index.html", out / "teams/company/index.html",
             *sorted((out / "periods/2026-q4/alignment").glob("*/index.html"))]
    assert all(p.is_file() for p in pages) and len(pages) > 5
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=600)
    messages = [m for m in json.loads(proc.stderr)["messages"] if m.get("type") in ("error", "non-document-error")]
    assert not messages and proc.returncode == 0, messages


def test_a_body_with_links_no_page_may_hold_is_still_valid_html(vnu_jar, tmp_path):
    """Markdown accepts `https://x/a#b#c`, a port above 65535, a host with a space: okrsite check warns,
    and the page shows the words without the link, so the checker finds nothing."""
    from okrsite.build import build

    from ..conftest import FIXTURES, compose_site, write_files

    site = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/how.md": (
        "---\ntitle: How\n---\n[two](https://example.com/a#b#c) <https://example.com:99999/> [sp](<https://a b.example/>)\n\n"
        "![chart](img/x.png#a#b) [mail](mailto:a@example.com#x#y) [here](#a#b) [ok](https://example.com/a#b)\n")})
    out = tmp_path / "out"
    assert build(site, out, cache=False).ok
    page = out / "how/index.html"
    assert 'href="https://example.com/a#b"' in page.read_text()
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", str(page)], capture_output=True, text=True, timeout=300)
    messages = [m for m in json.loads(proc.stderr)["messages"] if m.get("type") in ("error", "non-document-error")]
    assert not messages and proc.returncode == 0, messages
