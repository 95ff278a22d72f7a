"""What every page tells the browser and search engines: load nothing but the site's own files, and, for
an internal site, stay out of search results.

Both are added to each rendered page whatever its template, so a theme's own base.html cannot lose
them. The Content-Security-Policy is a <meta> tag, since a static site sets no headers: it refuses every
other origin, inline scripts and style attributes. The style attributes the theme writes (the widths of
progress bars) therefore move into one <style> element per page, which the policy allows by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from html import unescape
from typing import Iterator

ROBOTS_META = '<meta name="robots" content="noindex, nofollow">'
# A static page never connects anywhere: `serve` opens connect-src to itself for live reload (live_reload_policy).
# Forms go to the site itself only: the header's search box goes to the search page (without JavaScript too).
POLICY = ("default-src 'self'", "connect-src 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'")
_NO_CONNECT, _SELF_CONNECT = b"connect-src 'none'", b"connect-src 'self'"
FULL_TEXT = {"connect-src": "connect-src 'self'", "script-src": "script-src 'self' 'wasm-unsafe-eval'"}

_STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_LOWER_STYLE_ATTRIBUTE = re.compile(r"""style\s*=\s*(?:"([^"]*)"|'([^']*)')""")  # the same without its space, in lower case
_SPACE = re.compile(r"\s")
_NOT_A_DECLARATION = re.compile(r"[{}<\\]|/\*")  # what could end the rule it is moved into


def secure_page(page: str, noindex: bool, full_text: bool = False) -> str:
    """The page with its Content-Security-Policy (and robots) meta tags first in <head>, its style
    attributes moved into a <style> element at the end of <head> that the policy allows by hash.
    ``full_text``: the search page of a site searched by Pagefind, which fetches its index from the site
    and compiles WebAssembly; it may do both, and only that page."""
    page, css = move_style_attributes(page)
    directives = POLICY if not full_text else tuple(FULL_TEXT.get(d.split()[0], d) for d in POLICY) + (FULL_TEXT["script-src"],)
    style = ""
    if css:
        digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
        directives += (f"style-src 'self' 'sha256-{digest}'",)
        style = f"<style>{css}</style>\n"
    meta = f'<meta http-equiv="Content-Security-Policy" content="{"; ".join(directives)}">\n' + (ROBOTS_META + "\n" if noindex else "")
    start, end = _head_bounds(page)
    return page[:start] + meta + page[start:end] + style + page[end:]


def _head_bounds(page: str) -> tuple[int, int]:
    """(where the policy goes, where the head ends) as a browser reads the page: comments are not markup,
    nor is text inside an attribute's quotes or inside a <title>, <script> or <style>; tags are in any
    case, and a head's start and end tags may be left out.

    The policy goes right after <meta charset>, else after <head>, else after <html>, else after the
    doctype. The head ends at </head>, else at <body>; with neither, the policy's place ends it too."""
    places: dict[str, int] = {}
    close, at = None, 0
    while (tag := _MARKUP.search(page, at)) is not None:
        at = tag.end()
        name = tag[2].lower() if tag[2] else None
        if name is None:
            if tag[0][2:9].lower() == "doctype":
                places.setdefault("doctype", at)
        elif tag[1]:
            if name == "head":
                close = tag.start()
                break
        elif name == "body":
            close = tag.start()
            break
        else:
            if name in ("head", "html") or (name == "meta" and _CHARSET.search(_QUOTED.sub("=", tag[3]))):
                places.setdefault("charset" if name == "meta" else name, at)
            if name in _RAW_TEXT:
                ended = _raw_text_end(name).search(page, at)
                at = ended.start() if ended else len(page)
    start = next((places[place] for place in ("charset", "head", "html", "doctype") if place in places), 0)
    start += page[start:start + 1] == "\n"
    return start, start if close is None else close


_MARKUP = re.compile(r"""<!--(?:>|->|.*?(?:--!?>|\Z))|<![^>]*>|<(/?)([A-Za-z][^\s/>]*+)((?:[^>"'=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|[="'])*+)>""", re.DOTALL)
_RAW_TEXT = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes"})  # no tag inside
_CHARSET = re.compile(r"(?:^|[\s/])charset\s*=", re.IGNORECASE)
_QUOTED = re.compile(r"""=\s*(?:"[^"]*"|'[^']*')""")


@lru_cache(maxsize=None)
def _raw_text_end(name: str) -> re.Pattern:
    return re.compile(rf"</{name}[\s/>]", re.IGNORECASE)


def move_style_attributes(page: str) -> tuple[str, str]:
    """(the page with each style="..." replaced by data-css="N", the CSS rules for them).

    A rule keeps its attribute's precedence over the stylesheet with !important. An attribute whose
    value could break out of its rule is dropped: the policy would have refused it anyway.
    """
    rules: dict[str, int] = {}
    replaced: dict[str, str] = {}  # each attribute as written -> what stands for it (a page repeats a few widths)
    parts, last = [], 0
    for start, end, value in _style_attributes(page):
        if page.rfind("<", 0, start) <= page.rfind(">", 0, start):
            continue  # text that reads like an attribute (an attribute's own quotes are always escaped)
        attribute = page[start:end]
        if attribute not in replaced:
            declarations = _rule_of(value)
            replaced[attribute] = f' data-css="{rules.setdefault(declarations, len(rules))}"' if declarations else ""
        parts += (page[last:start], replaced[attribute])
        last = end
    if last == 0:
        return page, ""
    parts.append(page[last:])
    css = "".join(f'\n[data-css="{index}"] {{ {body} }}' for body, index in rules.items())
    return "".join(parts), css + "\n" if css else ""


def _style_attributes(page: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, value) of each match of _STYLE_ATTRIBUTE, in order. That pattern, with no literal
    start, is tried at every character of the page; when every "style" of the page, in any case, is
    written in lower case (as on every page of the default theme), each "style" is found by a plain
    search instead and kept when a space comes before it: the same matches, four times as fast."""
    if "\u017f" in page or page.encode("utf-8", "surrogatepass").lower().count(b"style") != page.count("style"):  # ſ matches s too
        for match in _STYLE_ATTRIBUTE.finditer(page):
            yield match.start(), match.end(), match[1] if match[1] is not None else match[2]
        return
    at = 0
    while (match := _LOWER_STYLE_ATTRIBUTE.search(page, at)) is not None:
        start = match.start() - 1
        if start >= 0 and _SPACE.match(page, start):
            yield start, match.end(), match[1] if match[1] is not None else match[2]
            at = match.end()
        else:
            at = start + 2


@lru_cache(maxsize=1 << 12)
def _rule_of(value: str) -> str:
    """The declarations of a style attribute's value as written, worked out once per value: a site's
    pages repeat a few hundred progress-bar widths thousands of times."""
    return _declarations(unescape(value))


def _declarations(css: str) -> str:
    if _NOT_A_DECLARATION.search(css) or css.count('"') % 2 or css.count("'") % 2:
        return ""
    found = (d.strip() for d in css.split(";"))
    return "; ".join(d if d.replace(" ", "").lower().endswith("!important") else d + " !important" for d in found if d)


def live_reload_policy(page: bytes) -> bytes:
    """The page as `serve` sends it: its live-reload client may connect to the preview server (its
    check-in forms post to it, the page's own origin, as form-action 'self' allows everywhere)."""
    return page.replace(_NO_CONNECT, _SELF_CONNECT, 1)
