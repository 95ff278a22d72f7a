"""A body's link or image to a file under content/ that the site does not copy (one `okrsite check` warns
about: missing, a folder, hidden, not published) shows its words (an image, its text alternative)
without the address, as a link to a missing .md file does: a page never links to a file it lacks."""

import html
import re
import shutil

import pytest

from okrsite.build import build

from ..conftest import write_files

OBJECTIVE = """---
title: O
period: 2026-Q4
owner: company
key_results:
  - {title: x, target: 10, current: 3}
---
See the [board deck](files/q4-deck.pdf), the [plan](plan.md), the [notes](files/notes.txt) and ![the chart](img/chart.png).

The [page](files/page.html), the [secret](.hidden/x.txt), the [folder](files) and [here](https://example.com/x.pdf).
"""


def _page(out) -> str:
    return (out / "objectives/o/index.html").read_text(encoding="utf-8")


def _site(base_site):
    return write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/o.md": OBJECTIVE,
                                   "content/objectives/files/notes.txt": "notes", "content/objectives/files/page.html": "<p>x</p>",
                                   "content/objectives/.hidden/x.txt": "x"})


def test_a_link_or_image_to_a_file_the_site_does_not_copy_shows_its_words_alone(base_site, tmp_path):
    out = tmp_path / "out"
    result = build(_site(base_site), out, cache=False)
    assert result.ok
    page = _page(out)
    warned = sorted(re.search(r"'([^']*)'", d.message)[1] for d in result.report.items if d.file == "content/objectives/o.md")
    assert warned == [".hidden/x.txt", "files", "files/page.html", "files/q4-deck.pdf", "img/chart.png", "plan.md"]
    for words in ("board deck", "plan", "page", "secret", "folder"):
        assert not re.search(rf"<a [^>]*>{words}</a>", page), words
        assert f" {words}" in html.unescape(page)
    assert "the chart" in page and "alt=\"the chart\"" not in page and "chart.png" not in page and "q4-deck" not in page
    assert '<a href="../../objectives/files/notes.txt">notes</a>' in page and (out / "objectives/files/notes.txt").is_file()
    assert '<a href="https://example.com/x.pdf">here</a>' in page


def test_a_warm_build_and_live_preview_link_the_file_once_it_is_there(base_site, tmp_path):
    """The page's digest (build cache) and its inputs (live preview) follow whether each file it links to is copied."""
    from okrsite.preview.state import Project

    root = _site(base_site)
    out = tmp_path / "out"
    assert build(root, out).ok
    project = Project(root)
    assert project.rebuild(open_pages={"objectives/o/index.html"}).ok
    assert _page(out) == project.file("objectives/o/index.html").decode()
    deck = write_files(root, {"content/objectives/files/q4-deck.pdf": "PDF", "content/objectives/img/chart.png": "PNG"})
    assert build(root, out).ok
    clean = tmp_path / "clean"
    assert build(root, clean, cache=False).ok
    assert _page(out) == _page(clean)
    assert '<a href="../../objectives/files/q4-deck.pdf">board deck</a>' in _page(out) and '<img src="../../objectives/img/chart.png"' in _page(out)
    changed = [deck / "content/objectives/files/q4-deck.pdf", deck / "content/objectives/img/chart.png"]
    assert project.rebuild(changed, open_pages={"objectives/o/index.html"}).ok
    assert project.file("objectives/o/index.html").decode() == _page(clean)
    shutil.rmtree(root / "content/objectives/img")
    assert project.rebuild([root / "content/objectives/img/chart.png"], open_pages={"objectives/o/index.html"}).ok
    assert "chart.png" not in project.file("objectives/o/index.html").decode()


HOSTS = OBJECTIVE.split("See the")[0] + "The [rules](../{name}).\n"


@pytest.mark.parametrize("name", ["_headers", "_redirects", "_Redirects", "_routes.json", "_config.yml", "_worker.js/wasm.png",
                                  "netlify.toml", "Vercel.JSON", "staticwebapp.config.json", "CNAME", "web.config"])
def test_a_file_a_static_host_reads_as_its_settings_is_never_copied_into_the_site(base_site, tmp_path, name):
    """`[r](../_redirects)` copied content/_redirects to the site's root, where Netlify and Cloudflare Pages
    read it: a goals file could redirect the whole site elsewhere. It is an error at the link, in any case."""
    root = write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/o.md": HOSTS.replace("{name}", name),
                                   f"content/{name}": "/* https://evil.example/:splat 302\n"})
    out = tmp_path / "out"
    result = build(root, out, cache=False)
    assert not result.ok
    [error] = [d for d in result.report.errors if d.file == "content/objectives/o.md"]
    assert error.line == 8 and f"the link '../{name}' leads to content/{name}, which the site does not publish" in error.message
    assert "static hosts" in error.message and "rename the file" in error.hint
    assert not (out / name).exists()


def test_a_folder_named_with_an_underscore_deeper_down_is_an_ordinary_folder(base_site, tmp_path):
    """Hosts read `_headers` and `_redirects` at the site's root only: `objectives/_files/` is copied as any folder."""
    root = write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n',
                                   "content/objectives/o.md": HOSTS.replace("../{name}", "_files/chart.png"), "content/objectives/_files/chart.png": "PNG"})
    out = tmp_path / "out"
    result = build(root, out, cache=False)
    assert result.ok, result.report.items
    assert [p.name for p in out.rglob("chart.png")] == ["chart.png"]


def test_only_pictures_documents_and_the_like_are_copied_and_never_through_a_link_to_a_hidden_file(base_site, tmp_path):
    """A `.cjs`, `.txt`-named script or a file without a suffix was copied, and a kept `<script src>` ran it from the
    site's own origin. A file is copied only with a known, inert suffix (none before it that a server would run), and
    a link under content/ only to a file of its kind that is not hidden."""
    names = ["x.cjs", "x.wasm", "x.ts", "x.jsx", "notes", "x.html.pdf", "x.php.png", "ok.txt", "ok.pdf", "ok.PNG", "hidden.txt", "secret.png"]
    body = " ".join(f"[{name}]({name})" for name in names)
    root = write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/o.md": OBJECTIVE.split("See the")[0] + body + "\n",
                                   **{f"content/objectives/{name}": "alert(1)" for name in names if name not in ("hidden.txt", "secret.png")},
                                   "content/objectives/.drafts/plan.txt": "a secret", "content/notes/plan.md": "---\ntitle: P\n---\nsecret\n"})
    (root / "content/objectives/hidden.txt").symlink_to(".drafts/plan.txt")
    (root / "content/objectives/secret.png").symlink_to("../notes/plan.md")
    out = tmp_path / "out"
    result = build(root, out, cache=False)
    assert result.ok
    warned = sorted(re.search(r"'([^']*)'", d.message)[1] for d in result.report.warnings if d.file == "content/objectives/o.md")
    assert warned == sorted(name for name in names if not name.startswith("ok"))
    copied = sorted(path.name for path in (out / "objectives").iterdir() if path.is_file())
    assert copied == ["ok.PNG", "ok.pdf", "ok.txt"]
