"""Load: files on disk become SourceDocs (front matter, body, and the line of every key).

PyYAML's marks are relative to the front matter; everything here is shifted so that lines are
1-based in the file, counting the opening ``---``.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import math
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Mapping

import yaml

from .characters import (FULL_WIDTH_COLON, LINE_BREAKS, SPACES, escape_problem, joined_files, named, noncharacters_in_body, refused_by_yaml, unseen_in,
                         visible)
from .diagnostics import Report, command_line, merge_conflict, nearest, not_utf8, wide_encoding
from .files import dangling_link, link_problem, linked_folder_warnings, loop_problem, markdown_paths, name_problem, name_warnings, relative
from .formats import number_hint

KIND_FOLDERS = {"objectives": "objective", "kpis": "kpi", "teams": "team"}
KINDS = ("objective", "kpi", "team", "page")
KIND_WORDS = {"objective": ("an objective", "objectives"), "kpi": ("a KPI", "KPIs"), "team": ("a team", "teams")}
# The keys that tell a kind: each kind's own, which no other kind (nor a key result) has
# (tests/goals/test_load.py keeps them so against parse.KIND_KEYS). A file of one kind's folder with
# two or more of another kind's, and more than of its own, was written as that other kind.
TELLING_KEYS = {
    "objective": ("period", "kind", "status", "kpis", "key_results", "score", "retro", "follows"),
    "kpi": ("direction", "threshold", "frequency", "source", "data", "values", "indicator", "category", "health", "dashboard", "objectives", "retired"),
    "team": ("lead", "members"),
}
# A KPI's `target:` and `unit:` are at the top of its front matter, an objective's in its key results (and
# `target:` shared, they are no telling keys): in content/objectives/ they tell a KPI too when no key says
# objective (no key of TELLING_KEYS's objective, no `parent:`), as of a minimal KPI (title, owner, unit, target, source).
KPI_TOP_KEYS = ("target", "unit")
SHARED_KEYS = ("type", "id", "title", "owner", "parent", "tags", "confidential", "private")  # of more than one kind
_NEEDED = {"objective": ("key_results", "title", "owner"), "kpi": ("title", "owner"), "team": ("title",)}  # without one, no valid such file

# A front matter document may not expand (through YAML aliases) past this many nodes.
MAX_EXPANDED_NODES = 20_000

# YAML 1.1 (PyYAML) reads 1:30 as 90 (base 60), 0x10 as 16, 010 as 8 and 0b11 as 3; YAML 1.2 reads
# 1:30 as text and 010 as 10. Nobody writing goals means the first readings, so such a scalar is kept
# as written: text where text is expected, and where a number is, an error saying what happened.
_SURPRISING_NUMBER = re.compile(r"^[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$")


def yaml11_number(text: str) -> tuple[str, str] | None:
    """How YAML 1.1 would read ``text`` as a number nobody means, and how to write it: (what, hint)."""
    if not _SURPRISING_NUMBER.match(text):
        return None
    reading = yaml.safe_load(text)
    if not isinstance(reading, (int, float)):  # 0:30: YAML 1.1's base 60 starts with 1-9, so it is text
        return None
    if ":" in text:
        return (f"which YAML 1.1 reads as {reading:g} (minutes and seconds, base 60)",
                f"write a plain number, e.g. {reading:g} if you mean {reading:g} minutes")
    if "x" in text or "b" in text:
        form = "hexadecimal" if "x" in text else "binary"
        return f"which YAML 1.1 reads as the {form} number {reading}", f"write the number in decimal digits, e.g. {reading}"
    return f"which YAML 1.1 reads as the octal number {reading}", f"write {int(text.replace('_', ''))} without the leading zero"


class _Written:
    """A number or a time that YAML reads from text written another way (3.10, 1e3, +1, 1_000, .inf,
    2026-10-01T10:00:00Z): it counts as the value, and as text (str(), so a title, a tag or a name)
    is what was written, not Python's '3.1', '1000.0' or '2026-10-01 10:00:00+00:00'."""

    written: str

    def __str__(self) -> str:
        return self.written

    def __reduce_ex__(self, protocol):
        return as_written, (self.plain(), self.written)


class WrittenInt(_Written, int):
    def plain(self) -> int:
        return int(self)


class WrittenFloat(_Written, float):
    def plain(self) -> float:
        return float(self)


class WrittenTime(_Written, datetime):
    def plain(self) -> datetime:
        return datetime.combine(self.date(), self.timetz())


_WRITTEN = {int: WrittenInt, float: WrittenFloat, datetime: WrittenTime}


def as_written(value: Any, written: str) -> Any:
    """``value`` that reads as ``written`` (itself when str() gives that already: 42, 0.5, 2026-10-01)."""
    if str(value) == written or type(value) not in _WRITTEN:
        return value
    kept = _WRITTEN[type(value)].combine(value.date(), value.timetz()) if isinstance(value, datetime) else _WRITTEN[type(value)](value)
    kept.written = written
    return kept


class _LenientDates:
    """Keeps an impossible date such as 2026-13-45 as text, for a clear message later, a number
    written in one of YAML 1.1's surprising forms (above) as written, and every other number and
    time with the text it was written as (_Written)."""

    def construct_yaml_timestamp(self, node):
        try:
            return as_written(super().construct_yaml_timestamp(node), node.value)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)

    def construct_yaml_int(self, node):
        if _SURPRISING_NUMBER.match(node.value):
            return self.construct_scalar(node)
        try:
            return as_written(super().construct_yaml_int(node), node.value)
        except ValueError:  # more digits than Python turns into a number (4,300): too large, as any above 1e15
            return as_written(-math.inf if node.value.lstrip().startswith("-") else math.inf, node.value)

    def construct_yaml_float(self, node):
        return self.construct_scalar(node) if _SURPRISING_NUMBER.match(node.value) else as_written(super().construct_yaml_float(node), node.value)


class _FastLoader(_LenientDates, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


class _DeepLoader(_LenientDates, yaml.SafeLoader):
    """Pure Python: deep nesting ends in a RecursionError instead of overflowing libyaml's C stack."""


# YAML 1.1 (PyYAML) reads a number with an exponent but no '.' or no exponent sign (1e3, 2.5e6)
# as text; YAML 1.2, JSON, Python and every spreadsheet read it as a number, and so does okrsite
# (its CSV values too). Quoted, it stays text.
_EXPONENT_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")

for _loader in (_FastLoader, _DeepLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _loader.construct_yaml_timestamp)
    _loader.add_constructor("tag:yaml.org,2002:int", _loader.construct_yaml_int)
    _loader.add_constructor("tag:yaml.org,2002:float", _loader.construct_yaml_float)
    _loader.add_implicit_resolver("tag:yaml.org,2002:float", _EXPONENT_FLOAT, list("-+0123456789."))

_NESTING_LIMIT = 100


def _may_nest_deeply(text: str) -> bool:
    """A cheap upper bound on YAML nesting depth: indentation, '- ' and ': ' per line, and brackets."""
    for line in text.split("\n"):
        if len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count(": ") > _NESTING_LIMIT:
            return True
    if text.count("[") + text.count("{") <= _NESTING_LIMIT:
        return False
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > _NESTING_LIMIT:
                return True
        elif char in "]}":
            depth = max(depth - 1, 0)
    return False


LinePath = tuple


SECRECY_KEYS = ("confidential", "private")  # a misspelling of one is an error (parse.Fields.unknown_keys), and so is one written twice


@dataclass(frozen=True)
class SourceDoc:
    """One Markdown file: its front matter (``meta``), body and where every key sits."""

    path: str
    kind: str
    meta: Mapping[str, Any]
    lines: Mapping[LinePath, int] = field(repr=False)
    body: str = ""
    body_line: int = 1
    # The word YAML read as true/false (`On`, `no`) at each key or list item written so: a message
    # quotes it. None for the many files without one.
    bare_words: Mapping[LinePath, str] | None = field(default=None, repr=False)

    def __getattr__(self, name: str) -> Any:
        """The ``meta`` of a document the build cache kept packed (cache.py: ``_packed``, with its
        ``unpack()``), unpacked when first asked for: a warm build asks for few of them."""
        if name != "meta":
            raise AttributeError(name)
        packed = object.__getattribute__(self, "_packed")  # none: an AttributeError, as for any attribute
        meta = packed.unpack()
        object.__setattr__(self, "meta", meta)
        object.__delattr__(self, "_packed")
        return meta

    def line(self, *keys: Any) -> int:
        """The line of the deepest known key on ``keys``, falling back to the file's first line."""
        lines = self.lines
        while keys:
            found = lines.get(keys)
            if found is not None:
                return found
            keys = keys[:-1]
        return 1


def decode(raw: bytes) -> str | None:
    """UTF-8 text with or without a BOM, CRLF or LF; None when the bytes are not UTF-8 (UTF-16 text
    without a BOM is valid UTF-8, a NUL byte beside each character: it is not taken for it)."""
    if b"\x00" in raw[:4] and wide_encoding(raw):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return as_read(text)


def as_read(text: str) -> str:
    """A goals file's text as okrsite reads it: without a byte-order mark, every line ended by LF
    whether it was written with CRLF (Windows), LF (Unix) or a lone CR (old Mac OS)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _opening(lines: list[str]) -> int | None:
    """Index of the '---' that opens the front matter: the first line that is not blank (Hugo, too,
    skips empty lines above it), or None when the file has no front matter."""
    for index, line in enumerate(lines):
        if line.strip():
            return index if line.rstrip() == "---" else None
    return None


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, line of the body's first line)."""
    lines = text.split("\n")
    opening = _opening(lines)
    if opening is None:
        return None, text, 1
    for index in range(opening + 1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[opening + 1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise FrontMatterError(opening + 1, "the front matter is not closed", "add a line '---' after the last key")


def goals_file_conflict(text: str, body: str, body_line: int) -> tuple[int, str, str] | None:
    """merge_conflict of a goals file's text, whose body may show git's markers in fenced code (a
    page on how to resolve a conflict)."""
    if "<<<<<<<" not in body:
        return merge_conflict(text)
    return merge_conflict(text, {body_line + line for line in fenced_code_lines(body)})


def fenced_code_lines(body: str) -> set[int]:
    """The 0-based lines of ``body`` in its fenced code blocks (``` or ~~~), fence lines included, as
    CommonMark reads them (the site's tables and `[[id]]` links change no block)."""
    from markdown_it import MarkdownIt  # here: only a body showing a marker is parsed while loading

    blocks = MarkdownIt("commonmark", {"html": False}).parse(body)
    return {line for token in blocks if token.type == "fence" and token.map for line in range(*token.map)}


def front_line(front: str, body_line: int) -> int:
    """The file line of the front matter's first line, from split_front_matter's front and body line."""
    return body_line - 2 - front.count("\n")


def _no_front_matter(text: str) -> tuple[str, str]:
    """The error for a goals file without YAML front matter: Hugo's TOML (+++) and JSON ({) named."""
    first = text.lstrip().split("\n", 1)[0].rstrip()
    if first == "+++":
        return ("the front matter is TOML (between '+++' lines): okrsite reads YAML front matter",
                "write it between '---' lines, as YAML: 'title: Grow revenue', not 'title = \"Grow revenue\"'")
    if first.startswith("{"):
        return ("the front matter is JSON: okrsite reads YAML front matter",
                "write it between '---' lines, as YAML: 'title: Grow revenue', not '\"title\": \"Grow revenue\"'")
    if _link_target_only(text):
        return (f"the file holds only the path '{text.strip()}': it looks like a symbolic link checked out without link support "
                "(git writes a link as a text file holding its target where core.symlinks is false, as on Windows by default)",
                "check it out as a link (turn on Windows's Developer Mode, 'git config core.symlinks true', then 'git checkout -- <this file>'), "
                "or replace it with a copy of the file it names")
    if first != "---" and visible(first) == "---":
        return (f"the file has no front matter: its first line '---' holds {unseen_in(first)}, so it is not read as '---'",
                "retype the first line as '---'" + (_SECOND_BOM if "\ufeff" in first else ""))
    if first.startswith("---") and first[3:].strip():
        after = first[3:].strip()
        shown = after if len(after) <= 60 else after[:60] + "…"
        return (f"the file has no front matter: its first line has '{shown}' after '---', and okrsite opens front matter only with a line holding '---' alone",
                f"write '---' alone on the first line, and '{shown}' on a line of its own below it" if after.startswith("#")
                else "write '---' alone on the first line, and the keys on the lines below it")
    return "the file has no front matter", "start the file with a '---' line, the keys, and another '---' line"


def _link_target_only(text: str) -> bool:
    """Whether a file's text is one relative path to a Markdown file (`../../shared/s.md`): a symbolic link
    git checked out as a text file."""
    path = text.strip()
    return "\n" not in path and path.endswith(".md") and not path.startswith(("/", "\\")) and not re.search(r"^[A-Za-z]:|://", path)


_SECOND_BOM = ": " + joined_files(".md")


TOO_DEEP_HINT = ("write the keys and lists flatter, 50 levels at most, and use no YAML alias *name inside the "
                 "value its anchor &name marks: that repeats the value inside itself without end")


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


class _FileLines:
    """File line of a YAML mark. PyYAML also counts U+0085, U+2028 and U+2029 as line breaks; files don't."""

    def __init__(self, text: str, first_line: int) -> None:
        self.breaks = [i for i, char in enumerate(text) if char == "\n"]
        self.first_line = first_line

    def __call__(self, mark) -> int:
        return self.at(mark.index)

    def at(self, index: int) -> int:
        return self.first_line + bisect.bisect_left(self.breaks, index)


def _expanded_size(node: yaml.Node, memo: dict[int, int], file_line: _FileLines, depth: int = 0) -> int:
    if id(node) in memo:
        return memo[id(node)]
    if depth > 50:
        raise FrontMatterError(file_line(node.start_mark), "the front matter is nested too deeply", TOO_DEEP_HINT)
    size = 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            size += _expanded_size(key, memo, file_line, depth + 1) + _expanded_size(value, memo, file_line, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo, file_line, depth + 1)
    if size > MAX_EXPANDED_NODES:
        raise FrontMatterError(
            file_line(node.start_mark),
            "the front matter expands to too large a document",
            "remove the repeated YAML aliases (*name)",
        )
    memo[id(node)] = size
    return size


_STR_TAG = "tag:yaml.org,2002:str"  # a key the loader reads as the text it is written as
_BOOL_TAG = "tag:yaml.org,2002:bool"  # a value the loader reads as true/false
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"  # `<<: *defaults`: merged into its mapping when constructed, no key of its own


_PATHS: dict[LinePath, LinePath] = {}


TEXT_BELOW = "\x00text"  # under a key whose value is a block of text (`retro: |`), the line its text starts on (no YAML key holds a NUL)


def _shared(path: LinePath) -> LinePath:
    """One tuple for each key path however many files have it (('key_results', 0, 'current') is in
    most objectives): the line tables hold only their numbers, a quarter of a large site's model else.
    Like sys.intern, the table grows with the distinct paths ever read: a few hundred for a site."""
    return _PATHS.setdefault(path, path)


def _record_lines(node: yaml.Node, path: LinePath, lines: dict[LinePath, int], file_line: _FileLines, loader,
                  twice: list[tuple[str, int, int]] | None = None, words: dict[LinePath, str] | None = None) -> None:
    """Each key's and list item's line in ``lines``, and in ``words`` the word of each read as true/false;
    a key written twice in one mapping (YAML keeps the last, silently) goes to ``twice`` as (key, its
    first line, this line), and the lines under its first value are forgotten: the keys of two lists
    written under it are not each other's twice."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _BOOL_TAG and words is not None:
            words[path] = node.value
        elif node.style in ("|", ">") and path:
            lines[_shared(path + (TEXT_BELOW,))] = file_line(node.start_mark) + 1  # its text starts below its `|` or `>`
        return
    if isinstance(node, yaml.MappingNode):
        here: dict[str, int] = {}  # this mapping's keys: the line of each
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                key.value = sys.intern(key.value)  # the same few keys in every file: one string each, in lines and meta
                line = file_line(key.start_mark)
                below = _shared(path + (key.value,))
                if key.tag == _STR_TAG and key.value in here:
                    if twice is not None:
                        twice.append((key.value, here[key.value], line))
                    _forget_under(lines, below)
                if key.tag == _STR_TAG:
                    here[key.value] = line
                lines[below] = line  # the last of a key written twice is the one that counts, and the one told of
                if key.tag not in (_STR_TAG, _MERGE_TAG):  # `~` is None, `2026-01-01` a date: look-ups use these
                    as_read = loader.construct_object(key)
                    if not isinstance(as_read, str):
                        lines[_shared(path + (as_read,))] = line
                _record_lines(value, below, lines, file_line, loader, twice, words)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            below = _shared(path + (index,))
            lines[below] = file_line(item.start_mark)
            _record_lines(item, below, lines, file_line, loader, twice, words)


def _forget_under(lines: dict[LinePath, int], path: LinePath) -> None:
    """Drop the lines of the keys and items below ``path``: a value YAML does not keep."""
    size = len(path)
    for known in [known for known in lines if len(known) > size and known[:size] == path]:
        del lines[known]


def _loader_for(text: str) -> type:
    """libyaml, or the pure-Python reader for text that may nest deeply. The two differ on a few
    inputs (libyaml reads a tab after 'key:', the pure-Python reader refuses it): whatever reads a
    file the way check does takes its reader from here."""
    return _DeepLoader if _may_nest_deeply(text) else _FastLoader


def compose_yaml(text: str) -> yaml.Node | None:
    """The YAML's nodes (with their places in ``text``), read as parse_yaml reads it: a surgical edit
    (goals.edit) then finds every file check reads. Raises yaml.YAMLError or RecursionError."""
    loader = _loader_for(text)(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def scan_yaml(text: str) -> Iterator[yaml.Token]:
    """The YAML's tokens (anchors, aliases, tags, with their places in ``text``), by the reader compose_yaml uses."""
    loader = _loader_for(text)(text)
    try:
        while loader.check_token():
            yield loader.get_token()
    finally:
        loader.dispose()


def parse_yaml(text: str, first_line: int, twice: list[tuple[str, int, int]] | None = None,
               words: dict[LinePath, str] | None = None, commas: list[tuple[int, str, str]] | None = None) -> tuple[Any, dict[LinePath, int]]:
    """Safely parse YAML whose first line is ``first_line`` in its file (keys written twice to ``twice``,
    the words read as true/false to ``words``: see SourceDoc.bare_words). A value in braces that a
    comma split (_split_by_commas) goes to ``commas`` as (line, message, hint), each of them; without
    the list, the first is raised."""
    file_line = _FileLines(text, first_line)
    loader = None
    try:
        loader = _loader_for(text)(text)  # the pure-Python reader checks characters here
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _expanded_size(node, {}, file_line)
        if "{" in text:
            for split in _split_by_commas(node, text):
                said = (file_line(split[2].start_mark), *_comma_problem(*split, text))
                if commas is None:
                    raise FrontMatterError(*said)
                commas.append(said)
        lines: dict[LinePath, int] = {}
        _record_lines(node, (), lines, file_line, loader, twice, words)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        at, message, hint = _yaml_problem(exc, text)
        # An unclosed quote or bracket is reported where the file ends: point at where it opened.
        opened = exc.context_mark and any(word in (exc.context or "") for word in ("flow", "quoted", "simple key"))
        mark = exc.context_mark if opened else exc.problem_mark or exc.context_mark
        index = at if at is not None else mark.index if mark else None
        line = file_line.at(index) if index is not None else first_line
        raise FrontMatterError(line, message, _unclosed_hint(text, first_line, line) or hint) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: one line, at its line
        line = file_line.at(exc.position) if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else first_line
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        what, hint = refused_by_yaml(exc.character)
        raise FrontMatterError(line, f"unreadable YAML: the character {shown} is not allowed ({what})", hint) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(first_line, f"unreadable YAML: {exc}", "check the indentation and quotes of the front matter") from None
    except RecursionError:
        raise FrontMatterError(first_line, "the front matter is nested too deeply", TOO_DEEP_HINT) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise FrontMatterError(first_line, f"unreadable YAML: {exc}", "check the values for typos") from None
    finally:
        if loader is not None:
            loader.dispose()


def _split_by_commas(node: yaml.Node, text: str) -> Iterator[tuple[yaml.Node, yaml.Node, yaml.ScalarNode, yaml.ScalarNode]]:
    """Each value in braces that commas split: (its key, its value, the first and the last of the
    entries with no colon after it). `{target: 1,300}` is `target: 1` and a key `300` with no value;
    `{note: webinar, started late}` a key `started late`: YAML reads a comma in braces as the end of
    the value."""
    if isinstance(node, yaml.MappingNode):
        pairs, at = node.value, 0
        while at < len(pairs):
            key, value = pairs[at]
            end = at + 1
            while node.flow_style and end < len(pairs) and _no_colon(*pairs[end], text):
                end += 1
            if end > at + 1:
                yield key, value, pairs[at + 1][0], pairs[end - 1][0]
            yield from _split_by_commas(value, text)
            at = end
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _split_by_commas(item, text)


def _no_colon(key: yaml.Node, value: yaml.Node, text: str) -> bool:
    return (isinstance(key, yaml.ScalarNode) and not key.style and isinstance(value, yaml.ScalarNode) and value.tag == _NULL_TAG
            and not value.value and ":" not in text[key.end_mark.index:value.start_mark.index])


_GROUPED = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,300 1,300,000.5
_ONE_COMMA = re.compile(r"[-+]?\d+,\d+")  # 4,2


def _comma_problem(key: yaml.Node, value: yaml.Node, first: yaml.ScalarNode, last: yaml.ScalarNode, text: str) -> tuple[str, str]:
    """(message, hint) for a value _split_by_commas found: what YAML read, and the value meant."""
    name = key.value if isinstance(key, yaml.ScalarNode) else "the key before it"
    if not isinstance(value, yaml.ScalarNode):
        return (f"'{first.value}' is read as a key of its own, with no value: in {{…}} a comma ends an entry",
                f"give it a key of its own ('key: {first.value}'), or remove it")
    written = text[value.start_mark.index:last.end_mark.index]
    message = f"'{first.value}' is read as a key of its own, with no value: in {{…}} a comma ends a value, so '{name}' is {value.value or 'empty'}"
    if _GROUPED.fullmatch(written):
        return message, f"a number has no comma: write {written.replace(',', '')}"
    if _ONE_COMMA.fullmatch(written):
        number, decimals = written.split(",")
        return message, f"a number has no comma: write {number}{decimals} (a thousands separator) or {number}.{decimals} (a decimal comma)"
    return message, f"put quotes around a text that holds a comma: {name}: {json.dumps(written.strip(chr(34) + chr(39)), ensure_ascii=False)}"


def front_data(front: str) -> Any:
    """Front matter text (without its '---' lines) as plain data, or None when unreadable.

    For reading many past versions (history): no line marks, and the fast loader whenever the text
    has no aliases and cannot nest deeply.
    """
    try:
        if "*" not in front and not _may_nest_deeply(front):
            loader = _FastLoader(front)
            try:
                return loader.get_single_data()
            finally:
                loader.dispose()
        return parse_yaml(front, 2, commas=[])[0]  # a past version, read as the fast reader reads it
    except (FrontMatterError, yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return None


# Characters YAML reads as syntax at the start of a plain value: directive, reserved, alias, anchor,
# tag and block scalar indicators. `unit: %` is the common case.
_INDICATORS = "%@`*&!|>"


def _line_at(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start : end if end >= 0 else len(text)]


def _tab_problem(text: str, index: int) -> bool:
    """A tab at the error, or in the indentation of its line: YAML indents with spaces only."""
    line = _line_at(text, index)
    return text[index : index + 1] == "\t" or "\t" in line[: len(line) - len(line.lstrip(" \t"))]


def _unquoted_value(text: str, index: int) -> tuple[str, str] | None:
    """(value, the line's `key: "value"` as it should be written) when its value starts with an indicator."""
    rest, items = _line_at(text, index).lstrip(" \t"), []
    while rest.startswith("- ") or rest == "-":
        items.append("-")
        rest = rest[1:].lstrip(" ")
    key, colon, value = rest.partition(": ")
    if not colon or not key or key[0] in _INDICATORS + "#'\"{}[]," or "#" in key:
        key, value = "", rest
    value = value.lstrip(" \t").split(" #", 1)[0].rstrip()
    if not value or value[0] not in _INDICATORS:
        return None
    quoted = json.dumps(value, ensure_ascii=False)
    return value, " ".join(items + ([f"{key}: {quoted}"] if key else [quoted]))


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str, str]:
    """(index of the character at fault or None, message, hint) for a YAML error, naming the fix."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None, _yaml_message(exc), _yaml_hint(exc)
    at = mark.index
    unseen = _unseen_problem(text, max(m.index for m in (exc.problem_mark, exc.context_mark) if m is not None))
    if unseen:
        return unseen
    if "invalid Unicode character escape" in (exc.problem or ""):
        return escape_problem(text, max(0, at - 2), "YAML")
    swallowing = _swallowing_quote(text, at)
    if swallowing is not None:
        return swallowing
    if _tab_problem(text, at):
        return at, "unreadable YAML: a tab character: YAML indents with spaces only", "replace the tab with spaces"
    unquoted = _unquoted_value(text, at)
    if unquoted and not unquoted[0].startswith("!!"):  # a '!!' tag is refused as such (never run)
        value, fixed = unquoted
        return at, f"unreadable YAML: a value cannot start with '{value[0]}' unless it is quoted", f"quote it: {fixed}"
    char = text[at : at + 1]
    if char and char in _INDICATORS and "cannot start any token" in (exc.problem or ""):
        return at, f"unreadable YAML: a value cannot start with '{char}' unless it is quoted", f"put the value in quotes, e.g. \"{char}...\""
    unclosed = _unclosed_quote(text, at)
    if unclosed is not None:
        return unclosed
    if "mapping values are not allowed" in (exc.problem or ""):
        entry = _text_entry_with_keys(text, at)
        if entry is not None:
            return entry
    return None, _yaml_message(exc), _yaml_hint(exc)


_TEXT_ENTRY = re.compile(r"^( *)- +([^\s\"'\[{#&*!|>%@`-][^#]*?) *$")  # `  - Sign 10 accounts`: a list entry of plain text
_KEY_AT = re.compile(r"^( *)([A-Za-z_][\w-]*):(?: |$)")
_LINE_START = re.compile(r"^", re.M)


def _text_entry_with_keys(text: str, at: int) -> tuple[int, str, str] | None:
    """(index, message, hint) for keys indented below a list entry written as text (a key result's
    title with no 'title:'), which YAML reads on as the text's next words until their ': '; None for
    any other 'mapping values are not allowed'."""
    starts = [m.start() for m in _LINE_START.finditer(text)]
    number = bisect.bisect_right(starts, at) - 1
    key = _KEY_AT.match(_line_at(text, at))
    above = next((i for i in range(number - 1, -1, -1) if text[starts[i]:].split("\n", 1)[0].strip()), None)
    entry = _TEXT_ENTRY.match(text[starts[above]:].split("\n", 1)[0]) if above is not None else None
    if key is None or entry is None or len(key[1]) <= len(entry[1]) or ": " in entry[2]:
        return None
    words, owner = entry[2], _list_key(text, starts, above, len(entry[1]))
    message = f"unreadable YAML: the entry '- {words}' is a line of text, so the key '{key[2]}' indented below it belongs to nothing"
    if owner == "key_results":
        return starts[above], message, f"each key result is a set of keys with a title: write '- title: {words}', and its other keys below it as they are"
    return starts[above], message, f"give the entry a key: write '- title: {words}' (or the key it is meant to have), and its other keys below it as they are"


def _list_key(text: str, starts: list[int], entry: int, indent: int) -> str | None:
    """The key whose list holds the entry on line ``entry`` (its lines start at ``starts``): the
    nearest key above it indented no more than its '-'."""
    for number in range(entry - 1, -1, -1):
        line = text[starts[number]:].split("\n", 1)[0]
        found = _KEY_AT.match(line)
        if found and len(found[1]) <= indent:
            return found[2]
        if line.strip() and len(line) - len(line.lstrip(" ")) < indent:
            return None
    return None


_QUOTED_VALUE = re.compile(r"""^[ ]*(?:-[ ]+)*(?:[A-Za-z_][\w-]*:[ ]+)?(["'])""")


def _unclosed_quote(text: str, at: int) -> tuple[int, str, str] | None:
    """(index, message, hint) for the first value above the line of ``at`` that opens a quote and
    does not close it on its line: YAML reads on to the next such quote, lines below, and fails
    there (QA AT: "line 26" for a missing '"' on line 2)."""
    start = 0
    for line in text[: text.rfind("\n", 0, at) + 1].splitlines(keepends=True):
        found = _QUOTED_VALUE.match(line)
        if found is not None:
            quote, rest = found.group(1), line[found.end():].rstrip("\r\n")
            closed = bool(re.search(r'(?<!\\)"', rest)) if quote == '"' else _closes_single(rest)
            if not closed:
                if not _closing_helps(text, start + len(line.rstrip("\r\n")), quote, text.count("\n", 0, at)):
                    return None  # a value that goes on over lines, or a quote in a block of text: the error is elsewhere
                return _open_quote(start + found.start(1), quote)
        start += len(line)
    return None


def _open_quote(index: int, quote: str) -> tuple[int, str, str]:
    """(index, message, hint) for the quote at ``index`` that its line does not close."""
    return (index, f"unreadable YAML: the quote ({quote}) that opens this value is not closed on its line",
            f"close it at the end of the value ({quote}...{quote}); YAML read on to the next {quote}, lines below")


def _swallowing_quote(text: str, at: int) -> tuple[int, str, str] | None:
    """(index, message, hint) for a quoted value YAML read over lines, up to a later value's quote,
    when that is why it fails at ``at``: `title: "Publish` above `unit: "%"` reads as the value
    'Publish … unit: ' and fails at the `%` ("a value cannot start with '%' unless it is
    quoted", on a line that quotes it). Such a value is to blame when closing it on its first line
    (or before the `}` or `]` that ends that line) reads past the error; a value meant to go on over
    lines is not."""
    error_line = text.count("\n", 0, at)
    for value in _quoted_over_lines(text, at):
        opened = value.start_mark.index
        if any(_closing_helps(text, end, value.style, error_line) for end in _closing_places(text, opened)):
            return _open_quote(opened, value.style)
    return None


def _quoted_over_lines(text: str, at: int) -> Iterator[yaml.ScalarToken]:
    """The quoted values YAML reads before ``at`` that start on one line and end on another."""
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= at:
                return
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and token.end_mark.line > token.start_mark.line:
                yield token
    except (yaml.YAMLError, ValueError):  # ValueError: the pure-Python reader's chr() of "\U00110000"
        return


def _closing_places(text: str, opened: int) -> list[int]:
    """Where the quote opened at ``opened`` may be meant to close: its line's end, and in braces or
    brackets, before the ones that end the line (`{date: 2026-10-16, note: "Harbor Foods}`)."""
    end = text.find("\n", opened)
    line = text[opened:end if end >= 0 else len(text)].rstrip()
    inside = line.rstrip("}] ")
    return [opened + len(line)] + ([opened + len(inside)] if len(inside) > 1 and inside != line else [])


def _closing_helps(text: str, end: int, quote: str, error_line: int) -> bool:
    """Whether the front matter with ``quote`` added at ``end`` (a line's end, or before its closing braces) reads, or fails only
    further down than at ``error_line`` (0-based): then that quote is what was missing."""
    try:
        yaml.compose(text[:end] + quote + text[end:], Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line > error_line
    except (yaml.YAMLError, ValueError):
        return False
    return True


def _closes_single(rest: str) -> bool:
    """Whether a value quoted with ' closes in ``rest``: a ' that is not doubled ('' is a quote inside)."""
    return bool(re.search(r"'(?!')", rest.replace("''", "")))


_SPACE_LIKE = "".join(SPACES)
_ITEM_START = re.compile(f"^[ \t{_SPACE_LIKE}]*(?:-[ \t{_SPACE_LIKE}]+)*")
_KEY = re.compile(r"[A-Za-z_][\w-]*")


def _unseen_problem(text: str, until: int) -> tuple[int, str, str] | None:
    """(index, message, hint) for the first look-alike character where YAML needs its plain form, on a
    line up to the one holding ``until``: a no-break or full-width space in the indentation or after
    'key:', a full-width colon after a key, a line separator in a value not quoted."""
    start = 0
    while start <= min(until, len(text)):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        found = _unseen_on_line(text[start:end])
        if found:
            column, what, why, hint = found
            return start + column, f"unreadable YAML: {what} at column {column + 1}: {why}", hint
        start = end + 1
    return None


_KEY_OR_ITEM = re.compile(r"\s|#|-(\s|$)|[^\s:#][^:#]*:(\s|$)")  # what a front matter line starts with: not text


def _unclosed_hint(text: str, first_line: int, error_line: int) -> str | None:
    """A front matter whose closing '---' is missing, when the text below it holds a '---' rule: the
    text above the rule is read as YAML and fails there. Said when an empty line is followed by a line
    of text (no key, item or indentation) at or above the error's line."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        line = lines[index]
        if first_line + index > error_line:
            return None
        if line.strip() and not lines[index - 1].strip() and not _KEY_OR_ITEM.match(line):
            last = max((i for i in range(index) if lines[i].strip()), default=None)
            if last is None:
                return None
            return f"is the front matter closed? Line {first_line + index} reads as text: add a line '---' after the last key (line {first_line + last})"
    return None


def _unseen_on_line(line: str) -> tuple[int, str, str, str] | None:
    """(column from 0, what, why, hint) for _unseen_problem on one line."""
    if line.isascii():
        return None
    if line.startswith("\ufeff"):  # a byte-order mark YAML takes for the start of another stream
        return (0, f"{named(line[0])} at the start of '{visible(line).strip()}'", "one cannot see it, and YAML cannot read the line with it",
                f"retype the line as '{visible(line).strip()}'")
    prefix = _ITEM_START.match(line)[0]
    for column, char in enumerate(prefix):
        if char in SPACES:
            return column, f"{named(char)} in the indentation", "YAML indents with plain spaces only", "replace it with a plain space (retype the spaces)"
    key = _KEY.match(line, len(prefix))
    after = key.end() if key else len(prefix)
    if key and line[after:after + 1] == FULL_WIDTH_COLON:
        return (after, f"{named(FULL_WIDTH_COLON)} after '{key[0]}'", "YAML reads only ':' there",
                f"replace it with ':' and a plain space: {key[0]}: {line[after + 1:].strip(' ' + _SPACE_LIKE)}")
    if key and line[after:after + 1] == ":" and line[after + 1:after + 2] in SPACES:
        return (after + 1, f"{named(line[after + 1])} after '{key[0]}:'", "YAML needs a plain space there",
                "replace it with a plain space (retype the space)")
    value = line[after + 1:].lstrip(" ") if key and line[after:after + 1] == ":" else line[len(prefix):]
    if value[:1] in ("'", '"'):
        return None
    for column, char in enumerate(line):
        if char in LINE_BREAKS:
            return column, f"{named(char)} in a value", "YAML reads it as a line break", "replace it with a plain space, or put the value in quotes"
    return None


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip().replace("tag:yaml.org,2002:", "!!")
        return f"unsupported YAML tag {tag}"
    context = (exc.context or "").strip()
    return "unreadable YAML: " + (f"{problem} {context}".strip() if problem else context or "syntax error")


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "constructor" in problem:
        return "okrsite only reads plain YAML values; remove the '!!' tag"
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': '"
    return "check the indentation and quotes on this line and the one above"


def kind_of(relpath: PurePosixPath, meta: Mapping[str, Any]) -> str:
    declared = meta.get("type") if isinstance(meta, Mapping) else None
    if isinstance(declared, str) and declared in KINDS:
        return declared
    folder = relpath.parts[1] if len(relpath.parts) > 2 else ""
    return KIND_FOLDERS.get(folder, "page")


def not_read(rel: PurePosixPath, report: Report) -> bool:
    """Whether a file listed under content/ is one okrsite does not read, said in ``report``: a Markdown
    file not named .md (SPEC §1 reads `.md`: `q4.markdown` is told to be renamed, so no two files
    can give one id), and Hugo's section file `_index.md` in objectives/, kpis/ or teams/ (it is no
    goal; okrsite makes those lists itself)."""
    name = rel.name
    if name != name.rstrip(" ."):
        meant = name.rstrip(" .")
        report.warning(str(rel), 1, f"not read: {name_problem(name, name)[0]}, and okrsite reads only names ending in .md",
                       f"rename it to {meant} (if {meant} is there too, merge the two into it)")
        return True
    if not name.endswith(".md"):
        stem, _, suffix = name.rpartition(".")
        report.warning(str(rel), 1, f"not read: okrsite reads .md files, not .{suffix}", f"rename it to {stem}.md (if {stem}.md is there too, merge the two into it)")
        return True
    if name == "_index.md" and len(rel.parts) > 2 and rel.parts[1] in KIND_FOLDERS:
        report.notice(str(rel), 1, f"not read: {name} is a section file (Hugo's); okrsite does not use it",
                      "delete it; to keep its text, move it into a page of its own outside objectives/, kpis/ and teams/, "
                      "e.g. content/how-we-set-goals.md", timed=False)
        return True
    return False


def _utf8_name(name: str, report: Report) -> str | None:
    """A file's path as UTF-8 text, or None when a name on it is not UTF-8, said in ``report``: no page,
    link or okrs.json path can be written with it. Python reads names in the locale's encoding: under
    LC_ALL=C without UTF-8 mode a UTF-8 name comes as surrogate escapes, and is read from its bytes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        written = os.fsencode(name)
    try:
        return written.decode("utf-8")
    except UnicodeDecodeError:
        report.error(written.decode("utf-8", "backslashreplace"), 1,
                     "the file's name (or a folder's on its way) is not UTF-8 text: no page or link can be made of it",
                     "rename it with letters your system writes as UTF-8 (e.g. 'cafe.md'); the name's bytes that are not are shown as \\x..")
        return None


def load_document(root: Path, path: Path, report: Report, raw: bytes | None = None) -> SourceDoc | None:
    """Read one Markdown file (or its ``raw`` bytes, already read); problems go to ``report`` and give None."""
    rel = PurePosixPath(path.relative_to(root).as_posix())
    name = str(rel)
    if not name.isprintable():
        name = _utf8_name(name, report)
        if name is None:
            return None
        rel = PurePosixPath(name)
    if not_read(rel, report):
        return None
    looping = loop_problem(root, path) if raw is None else None
    if looping is not None:
        link, what, hint = looping
        report.warning(name, 1, f"not read: {'the file' if link == name else link} {what}", hint)
        return None
    refused = link_problem(root, path)
    if refused is not None:
        report.error(name, 1, *refused)
        return None
    if raw is None and dangling_link(path):
        report.warning(name, 1, *_dangling(root, path))
        return None
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        report.error(name, 1, f"cannot read the file: {exc.strerror}", "check the file's permissions")
        return None
    text = decode(raw)
    if text is None:
        report.error(name, *not_utf8(raw, "the file", "save it as UTF-8 in your editor (in Notepad: Save as, Encoding: UTF-8)"))
        return None
    if not text.strip():
        report.error(name, 1, "the file is empty", "add front matter with at least a title, or delete the file")
        return None
    try:
        front, body, body_line = split_front_matter(text)
    except FrontMatterError as exc:
        report.error(name, *(merge_conflict(text) or (exc.line, exc.message, exc.hint)))
        return None
    conflict = goals_file_conflict(text, body, body_line)
    if conflict is not None:
        report.error(name, *conflict)
        if front is None or conflict[0] < body_line:  # the front matter is not what either side wrote: not read
            return None
    try:
        twice: list[tuple[str, int, int]] = []
        words: dict[LinePath, str] = {}
        commas: list[tuple[int, str, str]] = []
        meta, lines = parse_yaml(front, front_line(front, body_line), twice, words, commas) if front is not None else ({}, {})
    except FrontMatterError as exc:
        report.error(name, exc.line, exc.message, exc.hint)
        return None
    if commas:  # the numbers and texts it holds are not the ones written: not read, as an unreadable file
        for line, message, hint in commas:
            report.error(name, line, message, hint)
        return None
    for key, first, again in twice:
        if key in SECRECY_KEYS:  # as a misspelt one: a merge that left `private: true` above `private: false` would publish
            report.error(name, again, f"'{key}' is written twice (also on line {first}): which one is meant is unclear, and a public build "
                         "would publish what the other was written to hide", "keep the one you mean and delete the other")
        else:
            report.warning(name, again, f"'{key}' is written twice (also on line {first}): the last one counts",
                           "remove the one you do not mean")
    if front is not None and (second := _second_front_matter(body, body_line)):
        report.warning(name, second, "a second block of front matter: okrsite reads only the first, so its keys are not read, and the page shows them as text",
                       "move its keys into the front matter at the top of the file, and remove this block's '---' lines")
    if (stray := noncharacters_in_body(body, body_line)) is not None:
        report.warning(name, *stray)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        report.error(name, 2, "the front matter must be a set of 'key: value' lines", "start each line with a key, e.g. 'title: ...'")
        return None
    if front is None and rel.parts[1:2] and rel.parts[1] in KIND_FOLDERS:
        report.error(name, 1, *_no_front_matter(text))
        return None
    declared = meta.get("type")
    if declared is not None and declared not in KINDS:
        meant, folder = nearest(str(declared), KINDS), kind_of(rel, {})
        report.error(name, lines.get(("type",), 1), f"unknown type '{declared}'", f"did you mean '{meant}'?" if meant else "use one of: " + ", ".join(KINDS))
        if folder == "page" or meant not in (None, folder):
            return None  # nothing says what it is meant to be, or it names another kind than its folder's
        # in content/kpis/ (say) it is read as its folder makes it, so its other mistakes come in this run too
    kind = kind_of(rel, meta)
    if _written_as_another_kind(name, kind, meta, lines, report):
        return None
    return SourceDoc(name, kind, meta, lines, body, body_line, words or None)


def kind_its_keys_tell(kind: str, meta: Mapping[str, Any]) -> str | None:
    """The kind other than ``kind`` (its folder's) whose keys a file without 'type:' has: a KPI's
    front matter saved in content/objectives/ (TELLING_KEYS); None for a file of its own kind."""
    if kind not in TELLING_KEYS or "type" in meta:
        return None
    told = {other: len(keys) for other, keys in telling_keys(kind, meta).items()}
    other = max((k for k in TELLING_KEYS if k != kind), key=lambda k: told[k])
    return other if told[other] >= 2 and told[other] > told[kind] else None


def telling_keys(kind: str, meta: Mapping[str, Any]) -> dict[str, list[str]]:
    """The keys of ``meta`` that tell each kind, in the order written; in content/objectives/, after a
    KPI's own, its `target:` and `unit:` when nothing in the file says objective (KPI_TOP_KEYS)."""
    told = {other: [key for key in meta if key in keys] for other, keys in TELLING_KEYS.items()}
    if kind == "objective" and not told["objective"] and "parent" not in meta and not any(map(misspells_an_objective_key, meta)):
        told["kpi"] += [key for key in meta if key in KPI_TOP_KEYS]
    return told


def misspells_an_objective_key(key: Any) -> bool:
    """An unknown key nearest to a key only an objective has (`key_result:` for `key_results:`): it says
    objective as the key it misspells would."""
    known = {*SHARED_KEYS, *KPI_TOP_KEYS}.union(*TELLING_KEYS.values())
    return isinstance(key, str) and key not in known and nearest(key, known) in TELLING_KEYS["objective"]


def _written_as_another_kind(name: str, kind: str, meta: Mapping[str, Any], lines: Mapping[LinePath, int], report: Report) -> bool:
    """Say once that a file has another kind's keys (parse leaves them out of its unknown keys), in
    place of an unknown key for each and the errors of the kind it is not. True when it lacks what a
    file of its own kind needs (an objective's key results), or has key results that would not be
    read: an error, and the file is not read."""
    other = kind_its_keys_tell(kind, meta)
    if other is None:
        return False
    theirs = telling_keys(kind, meta)[other]
    folder, elsewhere = (next(f for f, k in KIND_FOLDERS.items() if k == each) for each in (kind, other))
    said = (f"read as {KIND_WORDS[kind][0]} (it is in content/{folder}/), yet it has the keys of {KIND_WORDS[other][0]} "
            f"({', '.join(repr(k) for k in theirs[:4])}{', …' if len(theirs) > 4 else ''})")
    hint = f"add 'type: {other}' to its front matter, or move it to content/{elsewhere}/"
    if len(set(theirs) - set(KPI_TOP_KEYS)) < 2:  # told by a target and unit, which an objective's key result has
        hint += "; if it is an objective, write its target and unit in a key result, below 'key_results:'"
    line = lines.get((theirs[0],), 1)
    missing = next((key for key in _NEEDED[kind] if meta.get(key) in (None, "", [])), None)
    if missing is not None:
        report.error(name, line, f"{said} and no {'key results' if missing == 'key_results' else repr(missing)}", hint)
        return True
    if other == "objective" and meta.get("key_results"):
        report.error(name, line, f"{said}: its key results are not read", hint)
        return True
    report.warning(name, line, f"{said}: they are not read", f"{hint}; if it is {KIND_WORDS[kind][0]}, remove them")
    return False


_KEY_LINE = re.compile(r"[a-z_][a-z0-9_-]*:(?:\s|$)")  # front matter's keys are written in lower case; "Context: …" is text


def _second_front_matter(body: str, body_line: int) -> int | None:
    """The line of a block at the top of the body that reads as front matter (`---`, `key: value` lines
    with no empty line among them, `---`): a file split in two by mistake, or keys added below the
    first block. Two rules around a paragraph are none."""
    if not body.lstrip().startswith("---"):
        return None
    lines = body.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip())
    if lines[at].rstrip() != "---":
        return None
    keys = 0
    for line in lines[at + 1:]:
        if line.rstrip() == "---":
            return body_line + at if keys else None
        if not line.strip():
            return None
        if not line.startswith((" ", "\t", "-", "#")):
            if not _KEY_LINE.match(line):
                return None
            keys += 1
    return None


def _dangling(root: Path, path: Path) -> tuple[str, str]:
    """(message, hint) for a goals file that is a symbolic link to a file not there (renamed, moved)."""
    written = os.readlink(path)
    try:
        leads = Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()
    except ValueError:
        leads = written
    shown = leads if leads == written else f"{leads} (written {written})"
    return (f"not read: the file is a symbolic link to {shown}, which does not exist",
            f"point the link at the file where it is now ({command_line('ln', '-sfn', 'NEW-PATH', path.relative_to(root).as_posix())}), or delete the link")


def load_documents(root: Path, report: Report) -> list[SourceDoc]:
    content = root / "content"
    docs, linked = [], []
    listed = markdown_paths(content, linked) if content.is_dir() else []
    for path in listed:
        doc = load_document(root, Path(path), report)
        if doc is not None:
            docs.append(doc)
    linked_folder_warnings(root, linked, report)
    name_warnings(relative(listed, root), report)
    return docs


@dataclass(frozen=True)
class CsvRow:
    line: int
    date: str
    value: str
    rest: tuple[tuple[str, str], ...] = ()  # (column, cell) of the named columns after date,value: not read


def read_csv(root: Path, relpath: str, warnings: list[tuple[int, str, str]] | None = None) -> tuple[list[CsvRow], list[tuple[int, str, str]]]:
    """Rows of a ``date,value`` CSV (header on line 1) and (line, message, hint) problems; what it reads
    but a check-in could not write to goes to ``warnings`` (mixed_line_ends)."""
    raw = (root / relpath).read_bytes()
    text, problem = csv_text(raw)
    if problem is not None:
        return [], [problem]
    if warnings is not None:
        warnings += mixed_line_ends(raw.decode("utf-8"))
    return parse_csv(text)


_LINE_END = re.compile(r"\r\n|\r|\n")


def mixed_line_ends(text: str) -> list[tuple[int, str, str]]:
    """(line, message, hint) at the first line of a CSV's ``text`` whose end is not of the kind the
    first line's is, when it mixes old Mac OS's lone CR with LF or CRLF: okrsite reads it, and a
    check-in cannot tell which to end its row with (goals/edit.add_csv_value refuses it)."""
    if "\n" not in text or "\r" not in text.replace("\r\n", ""):
        return []
    lone = [end[0] == "\r" for end in _LINE_END.finditer(text)]
    line = lone.index(not lone[0]) + 1
    kinds = ("a lone CR (old Mac OS)", "LF or CRLF")
    this, before = (kinds[0], kinds[1]) if lone[0] is False else (kinds[1], kinds[0])
    return [(line, f"the line ends with {this}, and the lines before it with {before}: 'okrsite checkin' cannot add a row to a CSV file that mixes them",
             "save the file again with one kind of line end, LF or CRLF: most editors set it in their status bar or in Save as")]


def csv_text(raw: bytes) -> tuple[str | None, tuple[int, str, str] | None]:
    """(the text of a CSV file as decode reads it, None) or, for bytes that are not UTF-8 (a Windows-1252
    or UTF-16 export), (None, its (line, message, hint) naming the encoding). KPI data files and `import csv` read so."""
    text = decode(raw)
    if text is None:
        return None, not_utf8(raw, "the CSV file", "export it as CSV UTF-8 (in Excel: Save as, CSV UTF-8)")
    return text, None


def parse_csv(text: str | None, misnamed_rows: bool = True) -> tuple[list[CsvRow], list[tuple[int, str, str]]]:
    """Rows and problems of a CSV file's text. Under a header that is not 'date,value', the rows are
    read in place (_read_in_place) for check to tell their problems too; ``misnamed_rows`` False reads
    none there (the history: a past version with such a header held no values)."""
    if text is None:
        return [], [(1, "the CSV file is not UTF-8 text", "save it as UTF-8")]
    conflict = merge_conflict(text)
    if conflict is not None:
        return [], [conflict]
    records, stop = csv_records(text)
    told = [stop] if stop else []
    if not records:
        return [], told or [(1, *_header_problem([], []))]
    header = records[0][1]
    columns = [c.strip().lower() for c in header]
    problems: list[tuple[int, str, str]] = []
    if columns[:2] != ["date", "value"]:
        problems.append((1, *_header_problem(header, columns)))
        if not (misnamed_rows and _read_in_place(columns)):
            return [], problems + told
    rows: list[CsvRow] = []
    for line, record in records[1:]:
        if not record or all(not cell.strip() for cell in record):
            continue
        shown = ",".join(record)[:60]
        if len(record) < 2:
            problems.append((line, f"malformed CSV row {shown!r}: expected 'date,value'", _row_hint(shown)))
            continue
        if any(cell.strip() for cell in record[len(columns):]):
            problems.append((line, f"CSV row {shown!r} has {len(record)} cells, the header {len(columns)}: okrsite would read the value as {record[1].strip()!r}",
                             _extra_cells_hint(record, columns)))
            continue
        rest = tuple((name, cell.strip()) for name, cell in zip(header[2:], record[2:]) if name.strip() and cell.strip())
        rows.append(CsvRow(line, record[0].strip(), record[1].strip(), rest))
    return rows, problems + told


def _read_in_place(columns: list[str]) -> bool:
    """Whether the rows under a header that is not 'date,value' are still read as date and value
    (a misspelt 'date,vaule', a BI export's 'Day,Revenue'), so that their problems are told in the same
    run as the header's: not for one column (another separator) nor for date or value in the other's place."""
    return len(columns) >= 2 and all(columns[:2]) and not columns[0].startswith("sep=") and columns[0] != "value" and "date" not in columns[1:]


def _extra_cells_hint(record: list[str], columns: list[str]) -> str:
    """A number split at its comma (46,500 or 7,5: number_hint says what to write), or cells the header
    does not name (a note): name them there."""
    surplus = len(record) - len(columns)
    said = number_hint("value", ",".join(cell.strip() for cell in record[1:2 + surplus]), plain="")  # the value and as many cells as are too many
    if said:
        return f"{said}, or quote a cell that holds a comma"
    names = [name for n in range(1, len(record) + 1) if (name := f"note{n}" if n > 1 else "note") not in columns][:surplus]
    return f"name each cell in the header ({','.join([*columns, *names])}), or quote a cell that holds a comma"


def csv_records(text: str, separator: str = ",") -> tuple[list[tuple[int, list[str]]], tuple[int, str, str] | None]:
    """The CSV's records, each with the line it ends on (a quote written twice inside a quoted cell is
    one quote, as spreadsheets write it; rows may end as Windows, Unix or old Macs end lines), and what
    stopped the reading, if anything did: (line, message, hint). KPI data files and `import csv` read so."""
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=separator, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as exc:
        if "end of data" in str(exc):
            return records, (_opening_quote_line(text), "a quote (\") opened here is never closed, so the rest of the file would be one cell",
                             "close it or remove it; a quote inside a quoted cell is written twice: \"\"")
        return records, (reader.line_num or 1, f"unreadable CSV: {exc}",
                         "a cell that starts with a quote ends with one: write a quote inside it as two, \"5\"\" screen\", as spreadsheets export it")
    return records, None


def _opening_quote_line(text: str) -> int:
    """The line of the quote a CSV never closes: the last run of an odd number of quotes (inside the
    cell it opens, quotes only come in pairs)."""
    opening = [run.start() for run in re.finditer(r'"+', text) if len(run[0]) % 2]
    return len(re.split(r"\r\n|\r|\n", text[:opening[-1]])) if opening else 1


# How to export a CSV file a spreadsheet set to a European locale wrote: KPI data files and import csv say it.
EUROPEAN_EXPORT = "export it with ',' between columns and '.' as the decimal point (a spreadsheet set to a European locale writes ';' and ',')"
_SEPARATORS = {";": ("';'", EUROPEAN_EXPORT), "\t": ("tabs", "save it as CSV (comma-separated values), not as tab-separated text")}


def _header_problem(header: list[str], columns: list[str]) -> tuple[str, str]:
    """What is wrong with a CSV's first row, and how to fix it: the usual spreadsheet exports are named."""
    first = ",".join(header)
    for separator, (name, fix) in _SEPARATORS.items():
        if [c.strip().lower() for c in first.split(separator)][:2] == ["date", "value"]:
            return f"the CSV file separates its columns with {name}, not commas", f"{fix}, so that it starts with the header row 'date,value'"
    if "date" in columns and "value" in columns:
        return (f"the CSV columns are in the order {first[:60]!r}: okrsite reads the date from the first column and the value from the second",
                "move the date column first and the value column second (other columns may follow them), so the header row starts 'date,value'")
    if columns[:1] and columns[0].startswith("sep="):
        return (f"the first line {first[:20]!r} is a spreadsheet's note of the separator, not the header row 'date,value'",
                _sep_line_hint(first))
    if not columns or columns[0][:1].isdigit():
        return "the CSV file must start with the header row 'date,value'", "add 'date,value' as its first line"
    return f"the CSV header row names its columns {first[:60]!r}, not 'date,value'", _rename_hint(header, columns)


def _sep_line_hint(first: str) -> str:
    """How to fix a CSV that starts with Excel's `sep=` line: all at once when the line names a separator
    other than ',' (the header below it then separates its columns so too)."""
    other = _SEPARATORS.get(first[4:5])
    if other is None:
        return f"remove the line {first[:20]!r}, so the file starts with the header row 'date,value'"
    name, fix = other
    return (f"{fix}, and without the line {first[:20]!r}, so that it starts with the header row 'date,value' "
            f"(removing the line alone leaves the columns separated with {name})")


def _rename_hint(header: list[str], columns: list[str]) -> str:
    """How to name a header's columns 'date,value' (a BI export's 'Date,Revenue'): the one that is wrong, or both."""
    if len(header) < 2:
        return "write the header row as 'date,value': the column of dates first, then the column of values"
    wrong = [(index, name) for index, name in enumerate(("date", "value")) if columns[index:index + 1] != [name]]
    if len(wrong) == 1:
        index, name = wrong[0]
        return (f"the {('first', 'second')[index]} column must be named {name}: rename {header[index].strip()[:40]!r} to {name}, "
                "so the header row starts 'date,value'")
    return "rename the first two columns to date and value, so the header row starts 'date,value'"


def _row_hint(row: str) -> str:
    for separator, (name, _) in _SEPARATORS.items():
        if separator in row:
            return f"this row separates its cells with {name}: write it with a comma, e.g. 2026-10-31,46500 ('.' as the decimal point)"
    return "write each row as e.g. 2026-10-31,46500"


def display_path(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path
