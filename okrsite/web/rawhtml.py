"""Raw HTML a body keeps (allow_html = true), without what runs a script or takes the reader elsewhere.

The body is written anew from what Python's HTML parser reads of it: every text and attribute value
escaped, every tag rebuilt from its name and attributes. A browser thus reads as a tag only what is
written here, however oddly the body's HTML was written (a comment, a quote, a `<script>` in an
attribute), and no element below, no `on…=` handler and no `javascript:` address is among them.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

# Left out with what they hold: a script or style (the page's policy refuses an inline one, but one from
# a file of the site would run), a frame's content (text the browser does not show).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "noembed", "noframes"})
# Left out, their content kept (an <object>'s is what shows when it cannot): they load another
# document or script, point the page's links elsewhere (<base>), refresh it to another site
# (<meta http-equiv=refresh>), or load a style sheet or preload (<link>); <plaintext> would turn the
# rest of the page, the theme's too, into text.
DROPPED = DROPPED_WITH_CONTENT | frozenset({"frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
                                           "portal", "fencedframe", "param", "plaintext"})

_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")
_ATTRIBUTE = re.compile(r"[a-z_:][-a-z0-9_:.]*\Z")
_SCRIPT_ADDRESS = re.compile(r"(?:java|vb)script:", re.I)
_UNSEEN = re.compile(r"[\x00-\x20\x7f]+")  # what a browser skips in an address's scheme (`java\tscript:`)
_LIST = re.compile(r"[;,]")


def keep_inert(html: str) -> str:
    """``html`` without the DROPPED elements, `on…` attributes and attributes whose value is (or lists)
    a `javascript:` or `vbscript:` address; comments and declarations left out too."""
    writer = _Writer()
    writer.feed(html)
    writer.close()
    return "".join(writer.parts)


class _Writer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: str | None = None  # the DROPPED_WITH_CONTENT element whose end is awaited

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self._tag(tag, attrs, "") and tag in DROPPED_WITH_CONTENT:
            self.skipping = tag

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._tag(tag, attrs, "/")

    def _tag(self, tag: str, attrs: list, closing: str) -> bool:
        """Write the tag unless it is dropped; whether it was one to skip (not inside a skipped one)."""
        if self.skipping is not None:
            return False
        if tag in DROPPED:
            return True
        if not _NAME.match(tag):
            self.parts.append(escape(self.get_starttag_text() or "", quote=False))
            return False
        self.parts.append(f"<{tag}{''.join(_attribute(name, value) for name, value in attrs)}{closing}>")
        return False

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.skipping = None
        elif tag not in DROPPED and _NAME.match(tag):
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skipping is None:
            self.parts.append(escape(data, quote=False))


def _attribute(name: str, value: str | None) -> str:
    if not _ATTRIBUTE.match(name) or name.startswith("on"):
        return ""
    if value is None:
        return f" {name}"
    if any(_SCRIPT_ADDRESS.match(part) for part in _LIST.split(_UNSEEN.sub("", value))):
        return ""  # an address, or one of a list of them (an SVG <animate>'s values="0;javascript:…", a srcset)
    return f' {name}="{escape(value)}"'
