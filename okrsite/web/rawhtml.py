"""Raw HTML a body keeps (allow_html = true), without what runs a script or takes the reader elsewhere.

The body is written anew from what Python's HTML parser reads of it: every text and attribute value
escaped, every tag rebuilt from its name and attributes. A browser thus reads as a tag only what is
written here, however oddly the body's HTML was written (a comment, a quote, a `<script>` in an
attribute), and no element below, no `on…=` handler, no `javascript:` address, no link to an address
other than http(s), mailto or relative, no style but a text alignment and no class but those its
Markdown is written with is among them. It is balanced too: what it leaves open is closed at its end and
a closing tag it did not open is left out, so no element of it (an unclosed `<select>`, `<textarea>`,
`<title>` or `<noscript>`, whose text a browser reads to the closing tag) takes in the page after it.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape
from html.parser import HTMLParser

# Left out with what they hold: a script or style (the page's policy refuses an inline one, but one from
# a file of the site would run), a frame's content (text the browser does not show).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "noembed", "noframes"})
# Left out, their content kept (an <object>'s is what shows when it cannot): they load another
# document or script, point the page's links elsewhere (<base>), refresh it to another site
# (<meta http-equiv=refresh>), or load a style sheet or preload (<link>); <plaintext> would turn the
# rest of the page, the theme's too, into text (no closing tag ends it); a second <html> or <body> gives
# its attributes to the page's own (`<body hidden>` hides the page); an SVG animation sets any attribute
# of its drawing (an href to a `data:` page, overflow="visible").
DROPPED = DROPPED_WITH_CONTENT | frozenset({"frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
                                           "portal", "fencedframe", "param", "plaintext", "html", "head", "body",
                                           "animate", "set", "animatetransform", "animatemotion"})

# The elements that take no closing tag (HTML's void elements): nothing is left open by them.
VOID = frozenset({"area", "br", "col", "hr", "img", "input", "source", "track", "wbr", "keygen", "basefont", "bgsound"})

_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")
_ATTRIBUTE = re.compile(r"[a-z_:][-a-z0-9_:.]*\Z")
_SCRIPT_ADDRESS = re.compile(r"(?:java|vb)script:", re.I)
_UNSEEN = re.compile(r"[\x00-\x20\x7f]+")  # what a browser skips in an address's scheme (`java\tscript:`)
_LIST = re.compile(r"[;,]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.I)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})  # as allow_html = "safe" keeps
# What a browser follows when the reader clicks or sends a form: with a `data:` page or another scheme
# it opens something no link of the site leads to.
LINK_ATTRIBUTES = frozenset({"href", "xlink:href", "action", "formaction"})
# The one style kept (a Markdown table's column alignment): any other could lay an invisible link over
# the whole page (`position:fixed; width:100%; height:100%; opacity:0`), and so could a drawing let out
# of its box (SVG's overflow="visible", a transform of the <svg> itself) or a <dialog> open over the page.
_ALIGNMENT = re.compile(r"\s*text-align\s*:\s*(?:left|right|center|justify|start|end)[\s;]*\Z", re.I)
DROPPED_ATTRIBUTES = frozenset({"overflow"})
DROPPED_FROM = {"svg": frozenset({"transform"}), "dialog": frozenset({"open"})}
# The classes kept, those the body's own Markdown is written with (web/markdown.py and markdown-it's
# fenced code): any other could be one the theme positions over the page (its search list is an opaque
# box at z-index 3), and a custom theme's classes are not known here.
MARKDOWN_CLASSES = {"a": re.compile(r"(?:ref|autolink)\Z"), "div": re.compile(r"table-wrap\Z"), "code": re.compile(r"language-\S+\Z")}


def keep_inert(html: str) -> str:
    """``html`` without the DROPPED elements, `on…` attributes, attributes whose value is (or lists)
    a `javascript:` or `vbscript:` address, links to another scheme than LINK_SCHEMES, styles but a
    text alignment and classes but MARKDOWN_CLASSES; comments and declarations left out too. Balanced:
    each element it leaves open is closed at its end, and a closing tag of none it opened is left out."""
    writer = _Writer()
    writer.feed(html)
    writer.close()
    return "".join(writer.parts) + writer.closing(0)


class _Writer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: str | None = None  # the DROPPED_WITH_CONTENT element whose end is awaited
        self.opened: list[str] = []  # the elements written and not closed yet, the innermost last
        self.open_count: Counter[str] = Counter()  # of opened: thousands of `<p>` left open make a scan of it per end tag slow

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.skipping is None and tag in DROPPED_WITH_CONTENT:
            self.skipping = tag
        else:
            self._write(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        """`<br/>` as written; `<div/>`, which HTML reads as `<div>` (SVG as an empty element), closed at once."""
        if self._write(tag, attrs, "/" if tag in VOID else "") and tag not in VOID:
            self.handle_endtag(tag)

    def _write(self, tag: str, attrs: list, closing: str) -> bool:
        """Write the tag unless it is dropped or skipped; whether it was written as a tag."""
        if self.skipping is not None or tag in DROPPED:
            return False
        if not _NAME.match(tag):
            self.parts.append(escape(self.get_starttag_text() or "", quote=False))
            return False
        self.parts.append(f"<{tag}{''.join(_attribute(tag, name, value) for name, value in attrs)}{closing}>")
        if tag not in VOID:
            self.opened.append(tag)
            self.open_count[tag] += 1
        return True

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.skipping = None
        elif self.open_count[tag]:
            self.parts.append(self.closing(next(depth for depth in range(len(self.opened) - 1, -1, -1) if self.opened[depth] == tag)))

    def closing(self, depth: int) -> str:
        """The closing tags of the elements opened at ``depth`` and within, innermost first (a `</b>`
        closes the `<i>` opened inside it too: left open, a browser would carry it on to the page after)."""
        closed = "".join(f"</{tag}>" for tag in reversed(self.opened[depth:]))
        self.open_count.subtract(self.opened[depth:])
        del self.opened[depth:]
        return closed

    def handle_data(self, data: str) -> None:
        if self.skipping is None:
            self.parts.append(escape(data, quote=False))


def _attribute(tag: str, name: str, value: str | None) -> str:
    if not _ATTRIBUTE.match(name) or name.startswith("on") or name in DROPPED_ATTRIBUTES or name in DROPPED_FROM.get(tag, ()):
        return ""
    if value is None:
        return "" if name == "style" else f" {name}"
    seen = _UNSEEN.sub("", value)
    if any(_SCRIPT_ADDRESS.match(part) for part in _LIST.split(seen)):
        return ""  # an address, or one of a list of them (a srcset)
    if (name in LINK_ATTRIBUTES and not _leads_to_a_page(seen)) or (name == "style" and not _ALIGNMENT.match(value)):
        return ""
    if name == "class":
        value = _markdown_classes(tag, value)
        if not value:
            return ""
    return f' {name}="{escape(value)}"'


def _markdown_classes(tag: str, value: str) -> str:
    """The classes of ``value`` that the body's Markdown gives a ``tag`` (MARKDOWN_CLASSES)."""
    kept = MARKDOWN_CLASSES.get(tag)
    return " ".join(name for name in value.split() if kept is not None and kept.match(name))


def _leads_to_a_page(address: str) -> bool:
    """Whether ``address`` (without what a browser skips in it) is relative or has a scheme of LINK_SCHEMES."""
    scheme = _SCHEME.match(address)
    return scheme is None or scheme[1].lower() in LINK_SCHEMES
