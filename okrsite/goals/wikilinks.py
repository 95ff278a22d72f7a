"""`[[id]]` links in Markdown bodies: the syntax, and the ids a body links to (for validation).

The body is scanned with the same CommonMark rules the site renders it with (``web/markdown.py``
adds only how a link is written out), so code blocks and spans never count.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .formats import one_form

WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")


def unlinked(text: str, ids: frozenset[str] | set[str], words: str) -> str:
    """``text`` with every `[[id]]` or `[[id|label]]` of one of ``ids`` written as ``words`` (in code
    too: an id printed as code is printed all the same)."""
    if not ids or "[[" not in text:
        return text
    return WIKILINK.sub(lambda m: words if m[1].strip() in ids else m[0], text)


def wikilink_rule(state, silent: bool) -> bool:
    """markdown-it inline rule: `[[id]]` or `[[id|label]]` becomes a `wikilink` token."""
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKILINK.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"id": one_form(match[1].strip()), "label": (match[2] or "").strip()}
    state.pos = match.end()
    return True


def commonmark(allow_html: bool) -> MarkdownIt:
    """The body syntax: CommonMark with tables and `[[id]]` links."""
    md = MarkdownIt("commonmark", {"html": allow_html}).enable("table")
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    return md


@lru_cache(maxsize=1)
def _scanner() -> MarkdownIt:
    return commonmark(allow_html=False)


def find_wikilinks(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line in the body, target id) of each `[[id]]` the renderer will link."""
    if "[[" not in body:
        return
    for line, child in _inline_tokens(body):
        if child.type == "wikilink":
            yield line, child.meta["id"]


def _inline_tokens(body: str) -> Iterator[tuple[int, Token]]:
    """(0-based line in the body, token) of each inline token of ``body`` as the renderer parses it."""
    for token in _scanner().parse(body):
        if token.type != "inline" or not token.children or token.map is None:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            else:
                yield line, child


_MD_HREF = re.compile(r"^[^:?#]*\.md(?:[?#].*)?$", re.I)  # no scheme: a path to a Markdown file


def markdown_file_links(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line in the body, href) of each Markdown link or image to a `.md` file, as on GitHub:
    `[MRR](../kpis/mrr.md)`. The site has no such file (its pages are at their ids), so it leads nowhere."""
    if ".md" not in body.lower() or "](" not in body:
        return
    for line, child in _inline_tokens(body):
        if child.type in ("link_open", "image"):
            href = str(child.attrGet("href" if child.type == "link_open" else "src") or "")
            if _MD_HREF.match(href):
                yield line, href


KNOWN: dict[str, tuple[tuple[int, str], ...]] = {}  # body -> its targets, as the build cache remembers them


def wikilink_targets(body: str) -> tuple[tuple[int, str], ...]:
    """find_wikilinks as a tuple, remembered: live preview re-links every body on every change, and the
    build cache fills KNOWN with the bodies of the files that did not change since the last build."""
    known = KNOWN.get(body)
    return known if known is not None else _targets(body)


@lru_cache(maxsize=1 << 16)
def _targets(body: str) -> tuple[tuple[int, str], ...]:
    plain = plain_wikilinks(body)
    return plain if plain is not None else tuple(find_wikilinks(body))


_NOT_PLAIN = ("`", "~~~", "\\", "<", "![", "\0", "    ")
_ODD_SPACE = re.compile(r"[^\S \n]")  # tabs, carriage returns, Unicode spaces: the parser strips some, counts others


def plain_wikilinks(body: str) -> tuple[tuple[int, str], ...] | None:
    """find_wikilinks of a body without anything that could make an `[[id]]` mean something else (code,
    escapes, HTML, autolinks, images, four spaces in a row, odd spaces, brackets or table bars outside `[[…]]`), found by the
    pattern alone: a tenth of parsing it, and most bodies are plain text, lists and headings. None
    for any other body (tests/goals/test_wikilinks.py checks both ways agree)."""
    if any(mark in body for mark in _NOT_PLAIN) or _ODD_SPACE.search(body):
        return None
    found = [(body.count("\n", 0, m.start()), one_form(m[1].strip())) for m in WIKILINK.finditer(body)]
    rest = WIKILINK.sub("", body)
    return None if "[" in rest or "]" in rest or "|" in rest else tuple(found)
