"""The pages' text as a full-text indexer reads it: Pagefind joins the text nodes of <main> as they
stand, so two blocks with nothing between their tags (`<dt>Category</dt><dd>operational</dd>`) make
one word ("Categoryoperational") that no search finds. Every pair of neighbouring blocks has
whitespace between them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from okrsite.build import build

from ..conftest import REPO

BLOCKS = frozenset(
    "address article aside blockquote br caption dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
UNREAD = frozenset({"script", "style", "svg", "template"})  # no words of the page's text


class MainText(HTMLParser):
    """The text of <main> twice: its text nodes joined (an indexer's words) and with every block's
    edge a space (a reader's words)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.joined: list[str] = []
        self.spaced: list[str] = []
        self.in_main = False
        self.unread = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self.in_main = self.in_main or tag == "main"
        self.unread += tag in UNREAD
        self.handle_startendtag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in BLOCKS:
            self.spaced.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.in_main = self.in_main and tag != "main"
        self.unread -= tag in UNREAD
        self.handle_startendtag(tag, ())

    def handle_data(self, data: str) -> None:
        if self.in_main and not self.unread:
            self.joined.append(data)
            self.spaced.append(data)


def run_together(page: str) -> list[str]:
    """The indexer's words that a reader does not see: two blocks' words joined into one."""
    text = MainText()
    text.feed(page)
    seen = set("".join(text.spaced).split())
    return [word for word in "".join(text.joined).split() if word not in seen]


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    assert build(REPO, out).ok
    return out


def test_the_checker_finds_two_facts_run_together():
    assert run_together("<main><dl><dt>Category</dt><dd>operational</dd></dl></main>") == ["Categoryoperational"]
    assert run_together("<main><dl>\n<dt>Category</dt>\n<dd>operational</dd>\n</dl></main>") == []


def test_a_kpi_s_facts_are_words_apart(example_site):
    page = (example_site / "kpis" / "p95-query-latency" / "index.html").read_text(encoding="utf-8")
    text = MainText()
    text.feed(page)
    joined = " ".join("".join(text.joined).split())
    assert "Category operational" in joined and "Critical above 1,200 ms Owner Platform" in joined


def test_no_page_runs_the_words_of_two_blocks_together(example_site):
    found = {}
    for path in sorted(example_site.rglob("*.html")):
        joined = run_together(path.read_text(encoding="utf-8"))
        if joined:
            found[path.relative_to(example_site).as_posix()] = joined[:5]
    assert not found, found
