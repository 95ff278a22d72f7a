"""`[[id]]` links in Markdown bodies: the syntax, and the ids a body links to (for validation).

The body is scanned with the same CommonMark rules the site renders it with (``web/markdown.py``
adds only how a link is written out), so code blocks and spans never count.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
import re
from html import escape, unescape
from functools import lru_cache
from typing import Callable, Iterable, Iterator
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .formats import clean_text, one_form
from .model import once_per_site
from .webaddress import href_problem

WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*?))?\]\]")  # [[id]], [[id|label]]; [[id|]] is [[id]]


@dataclass(frozen=True)
class Hidden:
    """The objectives a text may not name, as a text is compared with them (one form, any case): their
    ids, and with them the names of their files that are no other objective's id (a Markdown link by
    one, `[the deal](vault.md)` to a file with `id: deal`). Made once for a site: a public build asks
    for them for each of its texts."""

    ids: frozenset[str]
    names: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.ids)

    @classmethod
    def of(cls, ids: Iterable[str], files: Iterable[str] = ()) -> "Hidden":
        folded = frozenset(one_form(ident).casefold() for ident in ids)
        return cls(folded, folded | {one_form(name).casefold() for name in files})


def unlinked(text: str, ids: "Hidden | frozenset[str] | set[str]", words: str) -> str:
    """``text`` with every `[[id]]` or `[[id|label]]` of one of ``ids`` written as ``words`` (in code
    too: an id printed as code is printed all the same), in any case and with an anchor
    (`[[Secret#plan]]`): in a commit message, nothing checked how the id was written. A Markdown
    link to one (its file `secret.md` or its page `../secret/`, by the last part of the address: an
    id, or a name of Hidden's) is its words alone, a reference to one (`[x][s]` with `[s]: secret.md`)
    too, and an address in angle brackets ``words``: a text shown as written (okrs.json's, a note's)
    would print the address."""
    if not ids or not may_link(text):
        return text
    hidden = ids if isinstance(ids, Hidden) else Hidden.of(ids)
    if "[[" in text:
        text = WIKILINK.sub(lambda m: words if one_form(m[1].strip()).split("#", 1)[0].strip().casefold() in hidden.ids else m[0], text)
    named = hidden.names
    if "]:" in text:
        labels = {_label(m[1]) for m in _DEFINITION.finditer(text) if _leads_to(m[2], named)}
        if labels:
            text = _DEFINITION.sub(lambda m: "" if _label(m[1]) in labels else m[0], text)
            text = _REFERENCE.sub(lambda m: m[1] if _label(m[2] or m[1]) in labels else m[0], text)
    if "](" in text:
        text = _INLINE_LINK.sub(lambda m: m[2] if _leads_to(m[3], named) else m[0], text)
    if "<" in text:
        text = _ANGLE_LINK.sub(lambda m: words if _leads_to(m[1], named) else m[0], text)
    if text.endswith("…"):  # a link cut short (a long note, shortened): its address is part of a name
        text = _CUT_LINK.sub(lambda m: m[1] + "…", text)
    if ".md" in text or ".markdown" in text or "/" in text:  # an address written as text: `[k]: plan.md` mid-line, `see ../objectives/x/`
        text = _ADDRESS.sub(lambda m: words if _path_like(m[0]) and _leads_to(m[0], named) else m[0], text)
    return text


def may_link(text: str) -> bool:
    """Whether a text may hold a link (`[[id]]`, a Markdown link, an address in angle brackets) or an
    address written as text (`plan.md`, `../objectives/x/`): the texts unlinked looks into."""
    return "[[" in text or "](" in text or "]:" in text or "<" in text or "/" in text or ".md" in text or ".markdown" in text


def _path_like(token: str) -> bool:
    """Whether a word of a text is an address (a file's or a page's), not a plain word an id may be."""
    path = token.split("#", 1)[0].split("?", 1)[0].lower()
    return "/" in path or path.endswith((".md", ".markdown", ".html"))


def others_than(names: Iterable[str], ids: Iterable[str]) -> frozenset[str]:
    """The ``names`` (of private objectives' files) that are none of ``ids`` in any case: a link by
    one of them leads to no other objective (see Hidden)."""
    taken = {one_form(ident).casefold() for ident in ids}
    return frozenset(name for name in names if one_form(name).casefold() not in taken)


_INLINE_LINK = re.compile(r"(!?)\[((?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]\n]*\])*)\]\(\s*(<[^<>\n]*>|[^\s()<>]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
_ADDRESS = re.compile(r"[^\s()<>\[\]\"'`,;]+")  # a word that may be an address
_CUT_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*…$")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash escape of CommonMark
_ANGLE_LINK = re.compile(r"<([^<>\s]+)>")
_DEFINITION = re.compile(r"^ {0,3}\[([^\[\]\n]+)\]:[ \t]*(<[^<>\n]*>|\S+).*(?:\n|$)", re.M)
_REFERENCE = re.compile(r"(?<!\])\[([^\[\]\n]+)\](?:\[([^\[\]\n]*)\])?(?![(:\[])")


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _leads_to(address: str, folded: set[str]) -> bool:
    """Whether a link's address names one of ``folded`` (ids, case-folded) by its last part: the file
    `../2026-q4/secret.md` or `secret.md#kr1`, the page `objectives/secret/` or `.../secret/index.html`.
    A whole address (a scheme, or `//` and a host) only as an objective's page
    (`https://okrs.example/objectives/secret/`) or a goals file (`…/content/objectives/secret.md`):
    `https://bi.example.com/dashboards/secret` is another site's page, whatever its last part."""
    address = _ESCAPED.sub(r"\1", unescape(address.strip("<>")))  # `secret&#46;md`, `sec\-ret.md`: as the page reads them
    path = _resolved(unquote(address.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/"))
    path = path.removesuffix("/index.html")
    folder, _, last = path.rpartition("/")
    suffix = next((s for s in (".md", ".markdown", ".html") if last.lower().endswith(s)), "")
    last = last[: len(last) - len(suffix)]
    if _WHOLE_ADDRESS.match(address) and suffix not in (".md", ".markdown") and folder.rpartition("/")[2].casefold() != "objectives":
        return False
    return bool(last) and one_form(last).casefold() in folded


_WHOLE_ADDRESS = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")  # a scheme, or `//` and a host


def _resolved(path: str) -> str:
    """The folders and name of an address as a browser and a server read them: each `..` takes off the
    part before it, `.` and empty parts (doubled slashes, which most servers read as one) are dropped,
    and so are a part's parameters (`secret;x`: many servers serve `secret` for it)."""
    kept: list[str] = []
    for part in path.split("/"):
        part = part.split(";", 1)[0]
        if part in ("", "."):
            continue
        if part == ".." and kept and kept[-1] != "..":
            kept.pop()
        else:
            kept.append(part)
    return "/".join(kept)


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


# How many blocks deep a body's blocks may be nested (a list and each of its items count one each):
# markdown-it's own default. Its commonmark preset's 20 left out all of a body after a list 10 levels deep.
MAX_NESTING = 100


def commonmark(allow_html: bool) -> MarkdownIt:
    """The body syntax: CommonMark with tables and `[[id]]` links."""
    md = MarkdownIt("commonmark", {"html": allow_html, "maxNesting": MAX_NESTING}).enable("table")
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    return md


@lru_cache(maxsize=1)
def _scanner() -> MarkdownIt:
    return commonmark(allow_html=False)


# A line that may open a block MAX_NESTING deep: its containers' markers and indents (a tab up to 4 columns) before it.
_DEEP_LINE = re.compile(r"^[ \t>*+\-\d.)]{%d,}" % (MAX_NESTING // 4 - 1), re.M)


def too_deep(body: str) -> int | None:
    """The 0-based line in ``body`` of the first block opened MAX_NESTING deep, None when none is. The
    parser leaves out what it holds, and with it the rest of the body from there (the page does not show it)."""
    if not _DEEP_LINE.search(body):
        return None
    return next((token.map[0] for token in _scanner().parse(body)
                 if token.nesting == 1 and token.level >= MAX_NESTING - 1 and token.map is not None), None)


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


def shown_text(children, wikilink_words: Callable[[dict], str], images: bool = True, raw: Callable[[str], str] | None = None,
               as_html: bool = False) -> str:
    """The text an inline token's children show a reader: text and code as written (entities decoded),
    a `[[link]]` as ``wikilink_words`` reads it, an image by its text alternative (unless not
    ``images``), no markup (raw HTML tags, when a site allows them, are markup; with ``raw``, a tag
    reads as it says: what allow_html = "safe" escapes is text). ``as_html``: the same as the HTML it
    makes (raw tags as written, the rest escaped), for a reader of the page's raw HTML: an element the
    page leaves out with what it holds (a `<script>…</script>` written inline) spans several children."""
    parts = []
    shown = escape if as_html else str
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(shown(child.content))
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "wikilink":
            parts.append(shown(wikilink_words(child.meta)))
        elif kind == "image" and images:
            parts.append(shown(shown_text(child.children or (), wikilink_words, raw=raw)))
        elif kind == "html_inline" and as_html:
            parts.append(child.content)
        elif kind == "html_inline" and raw is not None:
            parts.append(raw(child.content))
    return "".join(parts)


def _as_written(meta: dict) -> str:
    return f"[[{meta['id']}|{meta['label']}]]" if meta["label"] else f"[[{meta['id']}]]"


_ATX_H1 = re.compile(r" {0,3}#(?:[ \t]|$)")
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")


def heading_title(body: str) -> tuple[str, int] | None:
    """(its text, its 0-based line) of the level-1 `# heading` a body opens with (on its first line that
    is not blank), as the page shows it (no Markdown syntax; a `[[link]]` as written, which a public view
    unlinks as in any title); None when the body opens otherwise or the heading says nothing. A page
    without a title takes it, as in MkDocs."""
    blank = _BLANK_LINES.match(body).end()
    line = body[blank:].split("\n", 1)[0]
    if not _ATX_H1.match(line):
        return None
    text = body if "]:" in body else line  # a reference link's definition may be further down
    tokens = _scanner().parse(text)
    if not tokens or tokens[0].type != "heading_open" or tokens[0].tag != "h1" or not tokens[1].children:
        return None
    title = clean_text(" ".join(shown_text(tokens[1].children, _as_written).split()))
    return (title, body.count("\n", 0, blank)) if title else None


_MD_HREF = re.compile(r"^[^:?#]*\.(?:md|markdown|mdown|mkdn|mkd)(?:[?#].*)?$", re.I)  # no scheme: a path to a Markdown file
_NOT_RELATIVE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|[\\#?])")  # a scheme, another host, an anchor or a query alone
_MAY_LINK = re.compile(r"\]\(\s*<?(?![A-Za-z][A-Za-z0-9+.-]*:|//|[#?\\])|^ {0,3}\[[^\]\n]+\]:\s*<?(?![A-Za-z][A-Za-z0-9+.-]*:|//|[#?\\])", re.M)


def relative_href(href: str) -> bool:
    """Whether a link's address names a file relative to the Markdown file that holds it (as on GitHub,
    MkDocs and Hugo), or from the site's root (`/content/kpis/mrr.md`, as GitHub reads it in a repository):
    no scheme or host, not an anchor or query alone, not a folder (`../teams/`)."""
    path = re.split(r"[?#]", href, maxsplit=1)[0]
    return bool(path) and not _NOT_RELATIVE.match(href) and not path.endswith("/")


@lru_cache(maxsize=1 << 15)
def relative_links(body: str) -> tuple[tuple[int, str, bool], ...]:
    """(0-based line in the body, href, whether an image) of each link or image of ``body`` whose address is
    relative (relative_href), as the renderer parses it (its href normalised: `img/a b.png` as `img/a%20b.png`).
    Remembered: the preview asks it of every body at every save (a body's hash is kept by the string itself)."""
    if ("](" not in body and "]:" not in body) or not _MAY_LINK.search(body):  # the first two: a tenth of the pattern's time
        return ()
    return tuple(link for link in _links(body) if relative_href(link[1]))


@lru_cache(maxsize=1 << 14)
def _links(body: str) -> tuple[tuple[int, str, bool], ...]:
    """(0-based line in the body, href, whether an image) of every link and image of ``body``."""
    found = []
    for line, child in _inline_tokens(body):
        if child.type in ("link_open", "image"):
            found.append((line, str(child.attrGet("href" if child.type == "link_open" else "src") or ""), child.type == "image"))
    return tuple(found)


def broken_links(body: str) -> tuple[tuple[int, str, bool, tuple[str, str]], ...]:
    """(0-based line in the body, href, whether an image, (what is wrong, how to fix it)) of each link or image of ``body``
    whose address no page may hold (webaddress.href_problem): the page shows its words (an image, its
    alt text) without the link (web/markdown.py)."""
    if "](" not in body and "]:" not in body and "<" not in body:
        return ()
    return tuple((line, href, image, problem) for line, href, image in _links(body) if (problem := href_problem(href)) is not None)


def markdown_file(href: str) -> bool:
    """Whether a relative address names a Markdown file (`../kpis/mrr.md#why`)."""
    return bool(_MD_HREF.match(href))


def markdown_file_links(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line in the body, href) of each Markdown link or image to a Markdown file, as on GitHub:
    `[MRR](../kpis/mrr.md)`: the link the site makes to the page of that file (web/markdown.py)."""
    for line, href, _ in relative_links(body):
        if markdown_file(href):
            yield line, href


def in_content(doc_path: str, href: str) -> tuple[str, str] | None:
    """The file a relative address in the file ``doc_path`` names, from the site's root
    (`content/kpis/mrr.md`; an address that starts with / from there too), and what follows its path
    (`#why`, `?v=2`); None when it leads out of content/."""
    split = re.search(r"[?#]", href)
    path, rest = (href[:split.start()], href[split.start():]) if split else (href, "")
    file = posixpath.normpath(posixpath.join(posixpath.dirname(doc_path), unquote(path))).lstrip("/")
    return (file, rest) if file.startswith("content/") and "\0" not in file else None


def backslashed(path: str) -> tuple[str, str] | None:
    """(the path as written, what to write) for a path written with Windows's '\\' between folders
    (`img\\chart.png`, a link's address percent-encoded or not), where a web address reads only '/';
    None for a path without one. Markdown reads '\\.' as '.', so `..\\..\\img` reaches the address as `....\\img`."""
    written = unquote(path)
    if "\\" not in written:
        return None
    if "..." not in written:
        meant = written.replace("\\", "/")
        return written, f"write '/' between folders, as on every system: '{meant}'"
    meant = _unescaped(written)
    example = f": '{meant}'" if meant else " (e.g. '../img/chart.png')"
    return written, f"write '/' between folders, as on every system{example}: Markdown reads '\\.' as '.', so '..\\' is not the folder above"


_LEADING_DOTS = re.compile(r"(\.{4,})(?=[\\/]|$)")


def _unescaped(written: str) -> str | None:
    """The path meant by one whose leading `..\\..\\` Markdown read as `....` (each '\\.' a '.'): an even
    run of dots is that many folders up; None where it cannot be told (an odd run, dots further on)."""
    found = _LEADING_DOTS.match(written)
    rest = written[found.end():] if found else written
    if found is None or len(found[1]) % 2 or "..." in rest:
        return None
    return "/".join([".."] * (len(found[1]) // 2)) + rest.replace("\\", "/")


def page_at(site, file: str):
    """The objective, KPI, team or plain page whose Markdown file is ``file`` (`content/kpis/mrr.md`), else
    None. Names are compared in one Unicode form, as macOS compares them: a link typed `café.md` leads to
    a file whose name a Mac stored decomposed."""
    paths = once_per_site(site, ("pages by file",), lambda: {one_form(e.doc.path): e for table in (site.objectives, site.kpis, site.teams, site.pages)
                                                             for e in table.values()})
    return paths.get(one_form(file))


def linked_files(doc_path: str, text: str | None) -> list[str]:
    """The files under content/ other than Markdown files that the links and images of ``text`` (written
    in ``doc_path``) name: those the site copies (web/plan.py: content_files), existing or not."""
    found = [in_content(doc_path, href) for _, href, _ in relative_links(text or "") if not markdown_file(href)]
    return [target[0] for target in found if target is not None]


FILE = "\0file:"  # before a path under content/ that a body links to, among the ids a page shows (web/pagedigest.py, preview/state.py)


def file_targets(doc_path: str, text: str | None) -> list[str]:
    """The file under content/ each relative link or image of ``text`` (written in ``doc_path``) names, a
    Markdown file or any other: what a page shows of other files besides their [[ids]] (the page of a
    Markdown file; whether the site copies any other, render.relinked: else the link is its words alone)."""
    found = [in_content(doc_path, href) for _, href, _ in relative_links(text or "")]
    return [target[0] for target in found if target is not None]


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
