"""Web addresses: the one test of whether a text written in okrsite.toml or a goals file is an
absolute http(s) address a page can link to (``dashboard:``, ``repo_url``, ``site_url``, ``edit_uri``
and ``history_uri``, the links an importer writes). It accepts what the WHATWG URL standard (and so the
Nu HTML checker, which reads an href by it) accepts without an error, in the forms people write, and
says what is wrong with the rest: no page made from a goals repository holds an href a browser or a
checker reads as broken."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from .diagnostics import listed, shown_value

START = re.compile(r"^https?://", re.IGNORECASE)
_NEVER = '"<>\\`{}|^'  # not allowed anywhere in an address as they are: written %22, %3C and so on
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_IN_HOST = set(' #%/:<>?@[\\]^|')  # what a host cannot hold, even written %XX (the WHATWG URL standard's forbidden host code points)
_NUMBER = re.compile(r"^(?:0[xX][0-9A-Fa-f]*|[0-9]+)$")
_WHOLE = "write the whole address, starting with https://, as the browser's address bar shows it"
_HOST = "write the host right after https://, as in https://example.com/reports/42"


def character_problem(text: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when ``text``, a web address or a path in one, holds a
    character no address holds as it is: a space or a control character, one of "<>\\`{}|^, or a
    '%' that does not start %XX; else None. What is wrong is said of the text: "contains a space"."""
    for char in text:
        if char in "\t\n\r":
            return "contains a tab or a line break", "remove it, or write a space as %20"
        if ord(char) < 32 or 127 <= ord(char) < 160:
            return f"contains the control character U+{ord(char):04X}", "remove it (it came with a copied address)"
        if char.isspace():
            return "contains a space", "write it as %20" if char == " " else "remove it, or write a space as %20"
        if char in _NEVER:
            return f"contains '{char}', which a web address cannot hold", f"write it as %{ord(char):02X}"
    if _PERCENT.search(text):
        return "has a '%' without two hexadecimal digits after it", "write a '%' meant as itself as %25"
    return None


def path_problem(text: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when ``text``, a path put into a web address after its host
    (edit_uri = "edit/main/"), could not be part of one; else None."""
    return character_problem(text) or _after_host_problem(text)


def _after_host_problem(rest: str) -> tuple[str, str] | None:
    for char in "[]":
        if char in rest:
            return f"contains '{char}', which a web address holds only around an IPv6 host", f"write it as %{ord(char):02X}"
    if rest.count("#") > 1:
        return "has more than one '#'", "write each '#' after the first as %23"
    return None


def web_address_problem(text: object) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when ``text`` is not an absolute http(s) web address with a
    host, as a page links to it; else None."""
    if not isinstance(text, str):
        return "is not text", _WHOLE + ", in quotes"
    if not START.match(text):
        return "does not start with https:// (or http://)", _WHOLE
    problem = character_problem(text)
    if problem:
        return problem
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number below 65536
    except ValueError:
        return "has a host or port that cannot be read", "write the host and an optional port as https://example.com:8443/…"
    problem = _after_host_problem(text[len(parts.scheme) + 3 + len(parts.netloc):])
    if problem:
        return problem
    if "@" in parts.netloc:
        return "holds a user name or password", "remove the part up to '@': a page must not give credentials away"
    return _host_problem(parts.hostname or "", parts.netloc)


def _host_problem(host: str, netloc: str) -> tuple[str, str] | None:
    if not host:
        return "names no host", _HOST
    if netloc.startswith("["):
        return None  # an IPv6 address, its brackets read by urlsplit
    if any(char in _NOT_IN_HOST or ord(char) < 32 for char in unquote(host)):
        return f"has a character its host '{host}' cannot hold, written as it is or as %XX", _HOST
    labels = host.split(".")
    if "" in labels[:-1]:
        return f"has an empty part between the dots of its host '{host}'", _HOST
    if labels[-1] == "" and len(labels) > 1:
        labels = labels[:-1]  # example.com. (a final dot) is allowed
    if _NUMBER.match(labels[-1]) and not (len(labels) == 4 and all(p.isdigit() and int(p) <= 255 for p in labels)):
        return f"has a host '{host}' that is neither a name nor an IP address", "write a name such as bi.example.com, or four numbers up to 255 such as 10.0.0.1"
    return None


_PAGE_FILE = re.compile(r"[^/]+\.html?$", re.IGNORECASE)


def folder_problem(address: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when ``address``, a web address, cannot be the folder a site is
    published in, which each page's address is made from by putting its path after it (…/goals/ +
    changes/): one ending in a page's file (index.html), a query (?v=1) or a fragment (#home) would
    have the path after them. None for a folder's address, with or without its final '/'."""
    parts = urlsplit(address)
    page = _PAGE_FILE.search(parts.path)
    after = [("the page", page[0])] if page else []
    after += [("the query", "?" + parts.query)] if "?" in address.split("#", 1)[0] else []
    after += [("the fragment", "#" + parts.fragment)] if "#" in address else []
    if not after:
        return None
    folder = f"{parts.scheme}://{parts.netloc}{parts.path[:page.start()] if page else parts.path or '/'}"
    return (f"ends in {listed([f'{what} {shown_value(text)}' for what, text in after])}, after which no page's address can follow",
            f"drop {listed([shown_value(text) for _, text in after])}: write the address of the folder the site is published in, {folder}")


def href_problem(href: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when ``href``, the address of a link or image in a Markdown body
    as the parser writes it out (a space already %20), is one no page may hold; else None. An http(s)
    address, or one that starts with // (another host), is checked as a web address; any other, a
    relative path or a mailto:, for its characters and its '#'."""
    if START.match(href):
        return web_address_problem(href)
    if href.startswith("//"):
        return web_address_problem("https:" + href)
    scheme = _SCHEME.match(href)
    return path_problem(href[scheme.end():] if scheme else href)


def not_a_web_address(what: str, value: object) -> tuple[str, str] | None:
    """(message, hint) when ``value``, written as ``what`` ("'dashboard'", "setting 'repo_url'"), is
    not a web address; else None: "'dashboard' is not a web address: 'https://x/\"' contains '\"', ..."."""
    problem = web_address_problem(value)
    if problem is None:
        return None
    why, hint = problem
    return f"{what} is not a web address: {shown_value(value)} {why}", hint
