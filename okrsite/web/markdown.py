"""Markdown bodies as HTML: CommonMark with tables, `[[id]]` links, raw HTML escaped unless the site opts in.

With allow_html = true, a body's raw HTML is kept, written inert (web/rawhtml.py: no script, frame,
<meta>, <base>, on…= handler, link to a scheme but http(s) and mailto, or style but a text alignment). With allow_html = "safe", a small allow-list of inline tags
(INLINE_TAGS; `a` with an http(s) or relative href) is kept and every other tag is escaped, then the
whole body goes through nh3 (the Rust ammonia sanitizer) with the tags Markdown itself writes: what a
tag check misses, it does not.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape, unescape
from functools import lru_cache
from typing import Callable
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..goals.formats import drop_controls, drop_invisible, one_form
from ..goals.webaddress import href_problem, path_problem, web_address_problem
from ..goals.wikilinks import WIKILINK, commonmark, shown_text
from .rawhtml import keep_inert

Resolver = Callable[[str], "tuple[str, str] | None"]  # id -> (url relative to the page, title)
Titles = Callable[[str], "str | None"]  # id -> the title of what it names, None when it names nothing


def _render_wikilink(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    target = env.get("resolve", lambda _id: None)(meta["id"])
    if target is None:
        return escape(f"[[{meta['id']}]]")
    url, title = target
    return f'<a class="ref" href="{escape(url)}">{escape(meta["label"] or title)}</a>'


SCROLL_BOX_COLUMNS = 3  # a table's box is named by its first column headings


def _render_table_open(self, tokens, idx, options, env) -> str:
    """A table in a box that scrolls sideways on a narrow screen (the theme's .table-wrap) and takes the
    keyboard's focus, named by its column headings. A group, not a region: a body may hold tables with
    the same headings (retros written from one template), and landmarks must be told apart."""
    name = escape(table_name(tokens, idx, env, _keeps_inert(options)))
    return f'<div class="table-wrap" role="group" tabindex="0" aria-label="{name}">\n' + self.renderToken(tokens, idx, options, env)


def _render_table_close(self, tokens, idx, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _keeps_inert(options) -> bool:
    """Whether a parser keeps raw HTML and the page writes it inert (allow_html = true), leaving out a
    script's or style's text with it: the words a page reads from a body (a heading's id, a table's
    name) leave it out too (_inert_words)."""
    return bool(options.get("html")) and not options.get("safe_html")


def _words_shown(children, words: Callable[[dict], str], inert: bool, images: bool = True) -> str:
    """shown_text, read as the page shows it where the page keeps raw HTML inert."""
    if inert:
        return _inert_words(shown_text(children, words, images=images, as_html=True))
    return shown_text(children, words, images=images)


def table_name(tokens, idx: int, env, inert: bool = False) -> str:
    """"Table: Region, January, February …": the words of the header row of the table opened at ``idx``."""
    resolve = env.get("resolve", lambda _id: None) if isinstance(env, dict) else lambda _id: None

    def words(meta: dict) -> str:
        target = resolve(meta["id"])
        return f"[[{meta['id']}]]" if target is None else meta["label"] or target[1]

    headings = []
    for token in map(tokens.__getitem__, range(idx + 1, len(tokens))):  # no copy of the rest for each table
        if token.type == "thead_close":
            break
        if token.type == "inline":
            headings.append(" ".join(_words_shown(token.children or (), words, inert).split()))
    shown = [h for h in headings if h]
    if not shown:
        return "Table"
    more = " …" if len(shown) > SCROLL_BOX_COLUMNS else ""
    return "Table: " + ", ".join(shown[:SCROLL_BOX_COLUMNS]) + more


def _focusable_code(default: Callable) -> Callable:
    """A code block's renderer whose <pre> takes the keyboard's focus: it scrolls sideways on a narrow screen."""
    def render_code(self, tokens, idx, options, env) -> str:
        html = default(self, tokens, idx, options, env)
        return '<pre tabindex="0">' + html.removeprefix("<pre>") if html.startswith("<pre>") else html
    return render_code


def _links(state) -> None:
    """Each link and image address as the page shows it. One no page may hold (`https://x/a#b#c`;
    `okrsite check` warns, goals/wikilinks.py: broken_links) leaves a link's words alone and an image
    its text alternative, so the page stays valid HTML. A relative one becomes the address the page
    needs (``env["relink"]``: the address written, normalised by the parser, to the one to write,
    None to keep it, "" for its words alone, as a broken one: a file the site lacks, which check
    warns about): `../kpis/mrr.md` to the KPI's page, `img/chart.png` to the file copied beside the
    page. Only addresses the parser accepted reach it (never a `javascript:` one), and the renderer
    escapes what it returns as any address."""
    relink = state.env.get("relink") if isinstance(state.env, dict) else None
    for token in state.tokens:
        unlinked = False
        for child in token.children or ():
            if child.type == "link_close" and unlinked:
                child.hidden, unlinked = True, False
            name = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if name is None:
                continue
            written = str(child.attrGet(name) or "")
            url = "" if href_problem(written) is not None else relink(written) if relink is not None else None
            if url == "" and name == "src":
                words = shown_text(child.children or (), lambda meta: meta["label"] or meta["id"])
                child.type, child.tag, child.attrs, child.children, child.content = "text", "", {}, None, words
            elif url == "":
                child.hidden = unlinked = True  # its words alone (a link can hold no other link: the next close is its own)
            elif url:
                child.attrSet(name, url)
            if child.type == "link_open" and child.markup == "autolink" and not child.hidden:
                child.attrSet("class", "autolink")  # its words are its address: print does not repeat it


def _drop_invisible_outside_code(state) -> None:
    """Bidi overrides and zero-width characters leave a body's text, headings, links and HTML, as they
    leave titles; code keeps them as written (the stylesheet isolates code, so they cannot reach
    the text around it). ASCII without `&` (no entity can spell them) has none to drop."""
    if state.src.isascii() and "&" not in state.src:
        return
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


def _heading_ids(state) -> None:
    """Each heading gets the id GitHub, MkDocs and Hugo users expect (heading_slug of its text as the
    body shows it), a repeat within the body -1, -2 …; the page makes them unique among its own ids
    (mark_headings, settle_headings). The renderer escapes the id as any attribute."""
    resolve = state.env.get("resolve", lambda _id: None) if isinstance(state.env, dict) else lambda _id: None

    def words(meta: dict) -> str:
        target = resolve(meta["id"])
        return f"[[{meta['id']}]]" if target is None else meta["label"] or target[1]

    seen: dict[str, int] = dict.fromkeys(state.env.get("above", ()) if isinstance(state.env, dict) else (), 0)
    tokens, inert = state.tokens, _keeps_inert(state.md.options)
    for at, token in enumerate(tokens):
        if token.type == "heading_open" and at + 1 < len(tokens):
            token.attrSet("id", unique_slug(heading_slug(_words_shown(tokens[at + 1].children or (), words, inert, images=False)), seen))


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")  # Hebrew, Arabic, Syriac, Thaana …


def _directions(state) -> None:
    """A paragraph, heading, list item or table cell with right-to-left letters (Arabic, Hebrew) in it
    takes the direction of its first letter (dir="auto"): "…بنسبة 30%!" keeps its number and
    punctuation at the right end. One without them is left-to-right as it is, and written as before."""
    if not _RIGHT_TO_LEFT.search(state.src):
        return
    tokens = state.tokens
    for at, token in enumerate(tokens):
        if token.type != "inline" or at == 0 or not _RIGHT_TO_LEFT.search(token.content):
            continue
        block = tokens[at - 1]
        if block.hidden:  # a tight list's paragraph writes no tag: its list item holds the text
            block = next((t for t in reversed(tokens[:at - 1]) if t.type == "list_item_open" and t.level < block.level), block)
        if not block.hidden and block.nesting == 1:
            block.attrSet("dir", "auto")


def heading_slug(text: str) -> str:
    """A heading's text as an id, as GitHub writes it: lowercased, letters, digits, marks, '-' and '_'
    kept (of any script), every other character dropped, each space a '-'; "section" when nothing is left."""
    slug = "".join(c for c in text.lower() if c in " -" or unicodedata.category(c)[0] in "LNM" or unicodedata.category(c) == "Pc")
    return slug.replace(" ", "-") or "section"


def unique_slug(slug: str, seen: dict[str, int], taken: "set[str] | frozenset[str]" = frozenset()) -> str:
    """``slug``, or the first of slug-1, slug-2 … that neither ``seen`` (the ids given so far, updated) nor
    ``taken`` holds (as github-slugger counts repeats)."""
    found = slug
    while found in seen or found in taken:
        seen[slug] = seen.get(slug, 0) + 1
        found = f"{slug}-{seen[slug]}"
    seen.setdefault(found, 0)
    return found


_HEADING_ID = re.compile(r'<h([1-6]) id="([^"\x00]*)"')
_ANCHOR = re.compile(r'href="#([^"\x00]*)"')
_ANY_ID = re.compile(r'\sid="([^"\x00]*)"')
_MARK = "\x00okrsite-"
_MARKED = re.compile(r'(id|href)="(#?)\x00okrsite-(\d+):([^"]*)"')


def mark_headings(html: str, bodies: list[list[str]]) -> str:
    """A rendered body as one page shows it, its heading ids (and the links to them within it) marked
    for settle_headings; ``bodies`` (the page's) gets its heading ids. A body without headings as it is."""
    if "<h" not in html:
        return html
    ids = [m[2] for m in _HEADING_ID.finditer(html)]
    if not ids:
        return html
    mark, own = f"{_MARK}{len(bodies)}:", set(ids)
    bodies.append(ids)
    html = _HEADING_ID.sub(lambda m: f'<h{m[1]} id="{mark}{m[2]}"', html)
    return _ANCHOR.sub(lambda m: f'href="#{mark}{m[1]}"' if escape(unquote(unescape(m[1]))) in own else m[0], html)


def settle_headings(page: str, bodies: list[list[str]]) -> str:
    """A page whose bodies were marked (mark_headings): each heading keeps its id unless the page already
    has it (an id of the theme's, or of a heading of a body above), then it takes the next free suffix,
    and the links to it within its body follow."""
    if not bodies:
        return page
    taken = {m[1] for m in _ANY_ID.finditer(page)}
    settled: dict[tuple[int, str], str] = {}
    for n, ids in enumerate(bodies):
        seen = dict.fromkeys(ids, 0)
        for ident in ids:
            found = ident
            if ident in taken:
                found = unique_slug(ident, seen, taken)
            taken.add(found)
            settled[n, ident] = found

    def settle(m: re.Match) -> str:
        n, value = int(m[3]), m[4]
        if m[1] == "id":
            return f'id="{settled[n, value]}"'
        ident = escape(unquote(unescape(value)))
        found = settled.get((n, ident), ident)
        return f'href="#{value if found == ident else found}"'

    return _MARKED.sub(settle, page)


INLINE_TAGS = frozenset({"a", "b", "strong", "i", "em", "code", "br", "sub", "sup"})
_MARKDOWN_TAGS = {"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr", "img",
                  "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"a": {"href", "class", "title"}, "code": {"class"}, "div": {"class", "role", "tabindex", "aria-label"}, "pre": {"tabindex"}, "ol": {"start"},
               "th": {"style", "dir"}, "td": {"style", "dir"}, "p": {"dir"}, "li": {"dir"}, "img": {"src", "alt", "title"}, **{f"h{n}": {"id", "dir"} for n in range(1, 7)}}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(\s[^<>]*?)?\s*/?>", re.S)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def safe_tag(raw: str) -> str | None:
    """One raw HTML tag rebuilt from the allow-list (an `a` keeps only an http(s) or relative href
    that is a valid address, see goals/webaddress.py; other tags no attribute), or None when it must
    be escaped."""
    match = _TAG.fullmatch(raw.strip())
    if match is None or match[2].lower() not in INLINE_TAGS:
        return None
    closing, name = match[1], match[2].lower()
    if name == "br":
        return None if closing else "<br>"
    if closing or name != "a":
        return f"<{closing}{name}>"
    href = _HREF.search(match[3] or "")
    url = unescape(next((g for g in href.groups() if g is not None), "")) if href else ""
    scheme = _SCHEME.match(url)
    if not url.strip() or (scheme and scheme[1].lower() not in ("http", "https")) or url.strip().startswith(("//", "\\\\")):
        return None  # `//host/x` leads to another host as a relative path never does: write https://host/x
    if (web_address_problem if scheme else path_problem)(url.strip()):  # an href the page could not hold
        return None
    return f'<a href="{escape(url.strip())}">'


def _safe_html(raw: str, opened: list[str]) -> str:
    """Raw HTML with each allowed tag kept and everything else escaped; a closing tag is kept only
    when its opening tag was, in the same block (``opened``: the tags the block left open so far)."""
    parts, last = [], 0
    for match in _TAG.finditer(raw):
        parts.append(escape(raw[last:match.start()], quote=False))
        tag = safe_tag(match[0])
        if tag and tag != "<br>":
            name = tag.strip("</>").split()[0]
            if not tag.startswith("</"):
                opened.append(name)
            elif name in opened:
                del opened[len(opened) - 1 - opened[::-1].index(name)]
            else:
                tag = None
        parts.append(tag or escape(match[0], quote=False))
        last = match.end()
    parts.append(escape(raw[last:], quote=False))
    return "".join(parts)


def _closed(opened: list[str]) -> str:
    """The closing tags of what a block's raw HTML left open, innermost first. Left open, HTML's parser
    (nh3's too) carries a `<b>` into every block that follows: a `<p>` inside `<b>`, invalid, and bold
    to the end of the body."""
    closing = "".join(f"</{name}>" for name in reversed(opened))
    opened.clear()
    return closing


def _render_raw(self, tokens, idx, options, env) -> str:
    return _safe_html(tokens[idx].content, env.setdefault("opened", []))


def _render_raw_block(self, tokens, idx, options, env) -> str:
    opened: list[str] = []
    return _safe_html(tokens[idx].content, opened) + _closed(opened)


def _render_block_end(self, tokens, idx, options, env) -> str:
    return _closed(env.setdefault("opened", []))


def _mark_block_ends(state) -> None:
    """A "raw_html_end" token at the end of each block's inline content that holds raw HTML: where
    ``_render_block_end`` closes the tags it left open."""
    for token in state.tokens:
        if token.type == "inline" and any(child.type == "html_inline" for child in token.children or ()):
            token.children.append(Token("raw_html_end", "", 0))


def sanitize(html: str) -> str:
    import nh3  # the okrsite[safe-html] extra; its absence is an error in okrsite.toml before any page is rendered

    return nh3.clean(html, tags=set(INLINE_TAGS | _MARKDOWN_TAGS), attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel=None, filter_style_properties={"text-align"}, strip_comments=True)


def make_parser(allow_html: bool | str) -> MarkdownIt:
    md = commonmark(bool(allow_html))
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    md.add_render_rule("fence", _focusable_code(RendererHTML.fence))
    md.add_render_rule("code_block", _focusable_code(RendererHTML.code_block))
    md.core.ruler.push("drop_invisible", _drop_invisible_outside_code)
    md.core.ruler.push("links", _links)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("directions", _directions)
    if allow_html == "safe":
        md.core.ruler.push("raw_html_ends", _mark_block_ends)
        md.add_render_rule("html_inline", _render_raw)
        md.add_render_rule("raw_html_end", _render_block_end)
        md.add_render_rule("html_block", _render_raw_block)
        md.options["safe_html"] = True
    elif allow_html:
        md.core.ruler.push("raw_html_kept", _note_raw_html)
    return md


def _note_raw_html(state) -> None:
    """Note in the body's env whether it holds raw HTML (allow_html = true): render then writes it inert."""
    state.env["raw_html"] = any(token.type == "html_block" or (token.type == "inline" and any(child.type == "html_inline" for child in token.children or ()))
                                for token in state.tokens)


def render(md: MarkdownIt, body: str, resolve: Resolver, relink: Callable[[str], str | None] | None = None, above: tuple[str, ...] = ()) -> str:
    """``above``: the ids of headings above the body on its page that were once its own (a plain page's
    title): its headings count on from them, so a link to one still lands on it."""
    env = {"resolve": resolve, "relink": relink, "above": above}
    html = md.render(drop_controls(body), env)
    if md.options.get("safe_html"):
        return sanitize(html)
    return keep_inert(html) if env.get("raw_html") else html


def plain_summary(body: str, limit: int = 160, titles: Titles | None = None, allow_html: bool | str = False) -> str:
    """The body's first words as a reader sees them on its page, for meta descriptions and search: the
    text without its Markdown syntax, entities decoded (the page escapes the text once), code as
    written, raw HTML as the site's ``allow_html`` shows it (as written when it is off, its tags left
    out when on; with "safe", what it escapes as written). A `[[id]]` link reads as the rendered
    body shows it: its label, else the title of what it links to (given ``titles``); an id that names
    nothing, as the body shows it (`[[id]]`). In code it stays as written."""
    text = drop_invisible(drop_controls(body))
    if not _PLAIN.search(text):
        return _first_words(text, limit)
    parser, size = _summary_parser(bool(allow_html)), limit
    raw = (_safe_words if allow_html == "safe" else _inert_words) if allow_html else None
    whole = _REFERENCE.search(text) is not None  # a link may be defined further down: read it all
    while True:  # the first blocks, as many as hold the first words (a body's every block costs)
        end = -1 if whole else text.find("\n\n", size)
        shown = " ".join(_shown_blocks(parser.parse(text if end < 0 else text[:end]), titles, raw).split())
        if end < 0 or len(shown) > limit:
            return _first_words(shown, limit)
        size = 2 * end


def _first_words(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.M)
_PLAIN = re.compile(r"[\\`*_\[\]<>&!#|~]|^\s*(?:[-+=]|\d{1,9}[.)])", re.M)  # a body without any of these is all text


@lru_cache(maxsize=2)
def _summary_parser(allow_html: bool) -> MarkdownIt:
    return commonmark(allow_html)


def _safe_words(html: str) -> str:
    """What a reader sees of raw HTML with allow_html = "safe": a tag it escapes (safe_tag) as written,
    and the rest of the text as written too (the page escapes it)."""
    return _TAG.sub(lambda m: "" if safe_tag(m[0]) else m[0], html)


def _inert_words(html: str) -> str:
    """What a reader sees of HTML the page keeps (allow_html = true): its text without the tags, nor
    what a script, style or frame holds (rawhtml.keep_inert), nor a `<template>`'s content, which the
    page keeps and a browser never shows. An inline element's content is read with it (shown_text's
    ``as_html``), as the page drops it."""
    return unescape(_WRITTEN_TAG.sub("", _without_templates(keep_inert(html))))


# A tag as keep_inert writes it: every "<" and ">" of a text or attribute value is escaped there, so any
# "<…>" is a tag, a custom element's (<template-card>) too.
_WRITTEN_TAG = re.compile(r"<[^>]*>")


_TEMPLATE_TAG = re.compile(r"<(/?)template(?=[\s/>])[^>]*>")  # not <template-card>, a custom element that shows


def _without_templates(html: str) -> str:
    """``html`` (as keep_inert writes it) without its `<template>` elements, nested ones too; one left
    open holds the rest, as a browser reads it."""
    kept, depth, at = [], 0, 0
    for tag in _TEMPLATE_TAG.finditer(html):
        if depth == 0:
            kept.append(html[at:tag.start()])
        depth = max(depth - 1, 0) if tag[1] else depth + 1
        at = tag.end()
    if depth == 0:
        kept.append(html[at:])
    return "".join(kept)


def _shown_blocks(tokens, titles: Titles | None, raw: Callable[[str], str] | None = None) -> str:
    """The text of the blocks of a parsed body, each apart from the next. Raw HTML the page keeps
    (``raw`` is _inert_words) is read with the whole text as HTML, as the page leaves out an element
    with what it holds: a `<script>` opened in one block and closed in a later one spans them."""
    def words(meta: dict) -> str:
        if titles is None:
            return meta["label"] or meta["id"]
        title = titles(one_form(meta["id"]))
        return f"[[{meta['id']}]]" if title is None else meta["label"] or title

    inert = raw is _inert_words
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append(shown_text(token.children or (), words, raw=None if inert else raw, as_html=inert))
        elif token.type == "html_block" and raw is not None:
            parts.append(token.content if inert else raw(token.content))
        elif token.type in ("fence", "code_block", "html_block"):
            parts.append(escape(token.content) if inert else token.content)
    return _inert_words(" ".join(parts)) if inert else " ".join(parts)


def summary_links(body: str) -> list[str]:
    """The ids whose titles plain_summary of ``body`` may ask for (those in code too: a page's or the
    search index's digest must hold at least these)."""
    if "[[" not in body:
        return []
    return [one_form(m[1].strip()) for m in WIKILINK.finditer(drop_invisible(drop_controls(body)))]
