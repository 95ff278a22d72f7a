"""Markdown bodies as HTML: CommonMark with tables, `[[id]]` links, raw HTML escaped unless the site opts in."""

from __future__ import annotations

import re
from html import escape
from typing import Callable

from markdown_it import MarkdownIt

from ..goals.formats import drop_controls, drop_invisible
from ..goals.wikilinks import WIKILINK, commonmark

Resolver = Callable[[str], "tuple[str, str] | None"]  # id -> (url relative to the page, title)


def _render_wikilink(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    target = env.get("resolve", lambda _id: None)(meta["id"])
    if target is None:
        return escape(f"[[{meta['id']}]]")
    url, title = target
    return f'<a class="ref" href="{escape(url)}">{escape(meta["label"] or title)}</a>'


def _drop_invisible_outside_code(state) -> None:
    """Bidi overrides and zero-width characters leave a body's text, headings, links and HTML, as they
    leave titles; code keeps them as written (the stylesheet isolates code, so they cannot reach
    the text around it)."""
    for token in state.tokens:
        if token.type in ("fence", "code_block"):
            token.info = drop_invisible(token.info)
        else:
            _drop_invisible_in(token)


def _drop_invisible_in(token) -> None:
    if token.type == "code_inline":
        return
    token.content = drop_invisible(token.content)
    for name, value in (token.attrs or {}).items():
        if isinstance(value, str):
            token.attrs[name] = drop_invisible(value)
    if token.type == "wikilink":
        token.meta = {key: drop_invisible(value) for key, value in token.meta.items()}
    for child in token.children or ():
        _drop_invisible_in(child)


def make_parser(allow_html: bool) -> MarkdownIt:
    md = commonmark(allow_html)
    md.add_render_rule("wikilink", _render_wikilink)
    md.core.ruler.push("drop_invisible", _drop_invisible_outside_code)
    return md


def render(md: MarkdownIt, body: str, resolve: Resolver) -> str:
    return md.render(drop_controls(body), {"resolve": resolve})


def plain_summary(body: str, limit: int = 160) -> str:
    """The body's first words without Markdown syntax, for meta descriptions."""
    text = WIKILINK.sub(lambda m: m[2] or m[1], drop_invisible(drop_controls(body)))
    text = re.sub(r"[#>*_`|\[\]]+|\(http[^)]*\)|-{3,}", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
