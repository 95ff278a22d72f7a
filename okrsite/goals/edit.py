"""Surgical edits of goals files for check-ins: one value of one key result, one KPI value.

Pure text in, text out. The YAML is composed (not loaded) to find where the value sits, and only
that span changes, or one entry is added, so comments, key order, quoting, flow or block style,
CRLF (or old Mac OS) line ends and a BOM stay as written. Every edit is checked by reading the result back: the
front matter (or CSV rows) must equal the old one with just the intended change, else EditError.
"""

from __future__ import annotations

import bisect
import math
import re
from datetime import date
from typing import Any, Callable

import yaml

from .load import FrontMatterError, as_read, compose_yaml, front_data, front_line, parse_csv, scan_yaml, split_front_matter
from .periods import to_date

KR_VALUE_KEYS = {"numeric": "current", "guardrail": "current", "binary": "done", "manual": "progress"}
# where a `current:` goes when a key result has none: after its target (a guardrail: its line), else its title
_CURRENT_AFTER = ("target", "keep_above", "keep_below", "title")


class EditError(Exception):
    """Nothing was changed: why, how to fix it, and the file's line it concerns (None: the file as a whole)."""

    def __init__(self, message: str, hint: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


def yaml_number(value: float) -> str:
    """A number as YAML reads it back exactly: 45, 45.5, 1.2e+20 (never `1e3`, which YAML 1.1 reads as text)."""
    if not math.isfinite(value):
        raise EditError(f"{value} is not a number", "give a plain number, e.g. 45 or 4.5")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    return text if "e" not in text or "." in text.split("e")[0] else text.replace("e", ".0e")


_LINE_ENDS = re.compile("(?<=\n)|(?<=\r)(?!\n)")  # after each line end, kept with its line


class _Lines:
    """The file as written: its lines, each with its own line end (CRLF, LF or an old Mac OS lone CR),
    and where the front matter starts, so that a span of the normalised front matter maps back."""

    def __init__(self, text: str) -> None:
        self.raw = _LINE_ENDS.split(text)
        try:
            front, _, body_line = split_front_matter(as_read(text))
        except FrontMatterError as exc:
            raise EditError(exc.message, exc.hint) from None
        if front is None:
            raise EditError("the file has no front matter", "start it with a '---' line, the keys, and another '---' line")
        self.front = front
        self.first = front_line(front, body_line) - 1  # the raw line after the opening '---'

    def place(self, index: int) -> tuple[int, int]:
        """(raw line number, column) of a character index in the front matter."""
        line = self.front.count("\n", 0, index)
        return self.first + line, index - (self.front.rfind("\n", 0, index) + 1)

    def replace(self, start: int, end: int, text: str) -> str:
        (l1, c1), (l2, c2) = self.place(start), self.place(end)
        lines = self.raw[:l1] + [self.raw[l1][:c1] + text + self.raw[l2][c2:]] + self.raw[l2 + 1:]
        return "".join(lines)

    def insert_after(self, line: int, new_lines: list[str]) -> str:
        """Add lines after raw line ``line``, each ended as that line is."""
        end = self.raw[line][len(self.raw[line].rstrip("\r\n")):] or "\n"
        lines = self.raw[: line + 1] + [text + end for text in new_lines] + self.raw[line + 1:]
        return "".join(lines)

    def last_line_of(self, node: yaml.Node) -> int:
        """The raw line holding a node's last character (block scalars end at the next line's start)."""
        return self.place(max(node.start_mark.index, node.end_mark.index - 1))[0]

    def line(self, index: int) -> int:
        """The file's line (from 1) of a character index in the front matter."""
        return self.place(index)[0] + 1


class _Anchors:
    """Where the front matter's anchors (&name) and aliases (*name) are written."""

    def __init__(self, front: str) -> None:
        self.anchors: dict[int, tuple[str, int]] = {}  # where a node with an anchor starts (its tag, if first) -> (name, the anchor's place)
        self.aliases: list[tuple[str, int, int]] = []  # (name, start, end)
        if "&" not in front and "*" not in front:
            return
        before = None
        try:
            for token in scan_yaml(front):
                if isinstance(token, yaml.AnchorToken):
                    self.anchors[token.start_mark.index] = (token.value, token.start_mark.index)
                    if isinstance(before, yaml.TagToken):
                        self.anchors[before.start_mark.index] = (token.value, token.start_mark.index)
                elif isinstance(token, yaml.AliasToken):
                    self.aliases.append((token.value, token.start_mark.index, token.end_mark.index))
                before = token
        except (yaml.YAMLError, RecursionError):
            pass

    def alias_after(self, index: int) -> tuple[str, int, int] | None:
        """The first alias written at or after ``index``."""
        return next((alias for alias in self.aliases if alias[1] >= index), None)

    def uses(self, node: yaml.Node) -> tuple[str, list[int]]:
        """The anchor ``node`` is written with ('' for none) and where the aliases that name it are
        (up to another anchor of that name, which the later aliases name)."""
        name, at = self.anchors.get(node.start_mark.index, ("", 0))
        again = min((place for other, place in self.anchors.values() if other == name and place > at), default=math.inf)
        return name, [start for other, start, _ in self.aliases if name and other == name and at < start < again]


class _KeyResults:
    """The front matter's `key_results:` as written: which key result a place in the text belongs to,
    for a message that names it."""

    def __init__(self, lines: _Lines, root: yaml.MappingNode, items: yaml.SequenceNode, anchors: _Anchors) -> None:
        self.lines, self.root, self.items, self.anchors = lines, root, items, anchors
        self.starts: list[int] = []  # where each key result is written: its own text, or the alias that names it
        cursor = items.start_mark.index
        for item in items.value:
            alias = anchors.alias_after(cursor) if item.start_mark.index < cursor else None
            self.starts.append(alias[1] if alias else item.start_mark.index)
            cursor = alias[2] if alias else max(cursor, item.end_mark.index)

    def written_as_alias(self, index: int) -> bool:
        return self.starts[index] != self.items.value[index].start_mark.index

    def whose(self, at: int) -> str:
        """'key result 2', or the top-level key whose value holds ``at``."""
        if self.items.start_mark.index <= at < self.items.end_mark.index:
            number = bisect.bisect_right(self.starts, at)
            if number:
                return f"key result {number}"
        keys = [k for k, _ in self.root.value if k.start_mark.index <= at]
        return f"'{keys[-1].value}'" if keys and isinstance(keys[-1], yaml.ScalarNode) else "another value"

    def at(self, at: int) -> str:
        """'key result 2 (line 11)'."""
        return f"{self.whose(at)} (line {self.lines.line(at)})"


def _compose(front: str) -> yaml.MappingNode:
    try:
        root = compose_yaml(front)
    except (yaml.YAMLError, RecursionError) as exc:
        raise EditError(f"the front matter cannot be read: {(str(exc).splitlines() or [type(exc).__name__])[0]}", "run 'okrsite check' and fix the file first") from None
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the front matter is not a set of 'key: value' lines", "run 'okrsite check' and fix the file first")
    return root


def _entry(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes of ``key`` as written in this mapping (the last one, as YAML reads it)."""
    found = [(k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    return found[-1] if found else None


def _aliased(mapping: yaml.MappingNode, k: yaml.Node, v: yaml.Node) -> bool:
    """Whether the value of the key ``k`` is written as an alias (*name): its node is the one written elsewhere."""
    return not (mapping.start_mark.index <= v.start_mark.index and v.end_mark.index <= mapping.end_mark.index and v.start_mark.index >= k.end_mark.index)


def _own_entry(lines: _Lines, mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """``_entry``, refused when its value is written with an alias: changing it would change where the anchor is."""
    found = _entry(mapping, key)
    if found is not None and _aliased(mapping, *found):
        raise EditError(f"'{key}' is written with a YAML alias", f"write the value of '{key}' directly, then check in again", lines.line(found[0].start_mark.index))
    return found


def _unshared(value: Any) -> Any:
    """A copy in which a value YAML's alias repeats is a value of its own, so that the expected
    change is made in one place only (copy.deepcopy would keep the two one)."""
    if isinstance(value, dict):
        return {key: _unshared(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unshared(item) for item in value]
    return value


def _verify(new_text: str, expected, unsafe: Callable[[], EditError]) -> str:
    """Read the edited file back: its front matter must be exactly ``expected``, else ``unsafe()`` says why not."""
    try:
        front, _, _ = split_front_matter(as_read(new_text))
    except FrontMatterError:
        front = None
    if front is None or front_data(front) != expected:
        raise unsafe()
    return new_text


def _unsafe(line: int | None) -> EditError:
    return EditError("okrsite could not change this file safely, so it left it as it was", "edit the value by hand; please report the file's shape", line)


def _same(old: Any, value: float | bool) -> bool:
    """Whether a value as YAML read it is ``value``: by number (1_000 is 1000, 45.0 is 45), a milestone's by true or false."""
    if isinstance(value, bool) or isinstance(old, bool):
        return old is value
    return isinstance(old, (int, float)) and old == value


def _holds(data: Any, index: int, key: str, value: float | bool) -> bool:
    """Whether key result ``index`` already has ``value`` as its ``key``, however the number is written."""
    items = data.get("key_results") if isinstance(data, dict) else None
    item = items[index] if isinstance(items, list) and 0 <= index < len(items) else None
    return isinstance(item, dict) and key in item and _same(item[key], value)


def set_kr_value(text: str, index: int, form: str, value: float | bool) -> str:
    """Set key result ``index`` (0-based)'s `current:` (`done:` for a milestone, `progress:` for an
    estimate) to ``value``: that value's text is replaced, or one `current:` is added after `target:`
    (a guardrail's after its `keep_above:` or `keep_below:`). A value it holds already, however the
    number is written (1_000, 45.0), leaves the text as it is."""
    key = KR_VALUE_KEYS.get(form)
    if key is None:
        raise EditError(f"key result {index + 1} is a {form} key result, which cannot be checked in", "edit its file by hand")
    lines = _Lines(text)
    root = _compose(lines.front)
    found = _own_entry(lines, root, "key_results")
    items = found[1] if found else None
    if not isinstance(items, yaml.SequenceNode) or not 0 <= index < len(items.value) or not isinstance(items.value[index], yaml.MappingNode):
        raise EditError(f"key result {index + 1} is not in the file", "run 'okrsite check' and fix the file first")
    data = front_data(lines.front)
    if _holds(data, index, key, value):
        return text
    item = items.value[index]
    krs = _KeyResults(lines, root, items, _Anchors(lines.front))
    written = "true" if value is True else "false" if value is False else yaml_number(float(value))
    here = _entry(item, key)
    if here is not None:
        new_text = _replaced(lines, krs, index, key, here, written)
    else:
        new_text = _added(lines, krs, item, index, key, written)
    expected = _unshared(data)
    expected["key_results"][index][key] = value
    return _verify(new_text, expected, lambda: _unsafe_kr(krs, index, key, here[1] if here else None))


def _replaced(lines: _Lines, krs: _KeyResults, index: int, key: str, here: tuple[yaml.Node, yaml.Node], written: str) -> str:
    """The text with the value of ``here`` (key result ``index``'s ``key``) replaced by ``written``."""
    key_node, node = here
    item = krs.items.value[index]
    if _aliased(item, key_node, node):
        alias = krs.anchors.alias_after(key_node.end_mark.index)
        name = f" *{alias[0]}" if alias else ""
        stands = f", which stands for the value of {krs.at(node.start_mark.index)}" if alias else ""
        raise EditError(f"'{key}' of key result {index + 1} is written with the YAML alias{name}{stands}",
                        f"write the value of '{key}' directly in place of{name or ' the alias'}, then check in again", lines.line(key_node.start_mark.index))
    if not isinstance(node, yaml.ScalarNode):
        raise EditError(f"'{key}' of key result {index + 1} is not a single value", f"write it as {key}: <value>", lines.line(key_node.start_mark.index))
    start, end = node.start_mark.index, node.end_mark.index
    gap = " " if start == end and lines.front[start - 1:start] not in (" ", "\t") else ""
    return lines.replace(start, end, gap + written)


def _added(lines: _Lines, krs: _KeyResults, item: yaml.MappingNode, index: int, key: str, written: str) -> str:
    """The text with ``key: written`` added to key result ``index`` after its target (or title), whose
    value may be an alias: the line goes after the alias, where the key result is written."""
    after = next((found for name in _CURRENT_AFTER if (found := _entry(item, name))), None)
    if after is None:
        raise EditError(f"key result {index + 1} has neither 'target' nor 'title'", "run 'okrsite check' and fix the file first")
    key_node, value_node = after
    end, last = value_node.end_mark.index, lines.last_line_of(value_node)
    if _aliased(item, key_node, value_node):
        alias = krs.anchors.alias_after(key_node.end_mark.index)
        if alias is None:
            raise _unsafe(lines.line(key_node.start_mark.index))
        end, last = alias[2], lines.place(alias[2] - 1)[0]
    pair = f"{_key_as_written(item, key)}: {written}"
    if item.flow_style:
        return lines.replace(end, end, f", {pair}")
    indent = lines.place(key_node.start_mark.index)[1]
    return lines.insert_after(last, [" " * indent + pair])


def _key_as_written(item: yaml.MappingNode, key: str) -> str:
    """``key`` quoted as every key of the mapping is ("current" among "title" and "target": JSON's style), else plain."""
    styles = {k.style for k, _ in item.value if isinstance(k, yaml.ScalarNode)}
    quote = styles.pop() if len(styles) == 1 else None
    return f"{quote}{key}{quote}" if quote in ('"', "'") else key


def _unsafe_kr(krs: _KeyResults, index: int, key: str, node: yaml.Node | None) -> EditError:
    """Why the edit of key result ``index`` changed more than its value: what it is written with is
    an anchor another place uses too (&c and *c), or the key result is written as an alias."""
    lines, item, number = krs.lines, krs.items.value[index], index + 1
    if krs.written_as_alias(index):
        alias = krs.anchors.alias_after(krs.starts[index])
        name = f" *{alias[0]}" if alias else ""
        return EditError(f"key result {number} is written as the YAML alias{name} of {krs.at(item.start_mark.index)}",
                         f"write key result {number} out in full in place of{name or ' the alias'}, so that it changes alone, then check in again",
                         lines.line(krs.starts[index]))
    for shared, what in ((node, f"'{key}' of key result {number}"), (item, f"key result {number}"), (krs.items, "'key_results'")):
        if shared is None:
            continue
        name, used = krs.anchors.uses(shared)
        if used:
            also = (f"which {krs.whose(used[0])} also uses (line {lines.line(used[0])})" if len(used) == 1 else
                    f"which {' and '.join(krs.at(at) for at in used)} also use")
            value = shared.value if isinstance(shared, yaml.ScalarNode) else "what it stands for"
            return EditError(f"{what} is the anchor &{name}, {also}: a check-in would change {'both' if len(used) == 1 else 'all of them'}",
                             f"write {value} in place of *{name} where it is used, so that each has its own, then check in again; or change them by hand",
                             lines.line(shared.start_mark.index))
    return _unsafe(lines.line((node or item).start_mark.index))


def add_kpi_value(text: str, day: date, value: float) -> str:
    """Add ``{date, value}`` to a KPI's `values:` in the list's own style (or set the value already
    recorded for that date); without `values:`, the key is added at the end of the front matter."""
    lines = _Lines(text)
    root = _compose(lines.front)
    data = front_data(lines.front)
    same = _dated(data, day)
    if same and all(_same(row.get("value"), value) for row in same):
        return text
    number = yaml_number(value)
    entry = f"{{date: {day.isoformat()}, value: {number}}}"
    found = _own_entry(lines, root, "values")
    if found is None:
        if root.flow_style:
            raise EditError("the front matter is written as one {...} mapping", "add 'values:' to it by hand once, then check in again")
        indent = lines.place(root.value[0][0].start_mark.index)[1] if root.value else 0
        last = lines.place(len(lines.front.rstrip("\n")))[0] if lines.front.strip() else 0
        new_text = lines.insert_after(last, [" " * indent + "values:", " " * (indent + 2) + "- " + entry])
    else:
        new_text = _add_to_list(lines, found, day, number, entry)
    expected = _unshared(data)
    values = expected.get("values") or []
    same = _dated(expected, day)
    for row in same:
        row["value"] = value
    expected["values"] = values if same else values + [{"date": day, "value": value}]
    return _verify(new_text, expected, lambda: _unsafe(lines.line(found[0].start_mark.index) if found else None))


def _dated(data: Any, day: date) -> list[dict]:
    """The entries of a KPI's `values:` dated ``day``."""
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, list):
        return []
    return [row for row in values if isinstance(row, dict) and to_date(row.get("date")) == day]


def _add_to_list(lines: _Lines, found: tuple[yaml.Node, yaml.Node], day: date, number: str, entry: str) -> str:
    key_node, seq = found
    if isinstance(seq, yaml.ScalarNode) and seq.value in ("", "~", "null", "Null", "NULL"):
        start, end = seq.start_mark.index, seq.end_mark.index
        gap = "" if lines.front[start - 1:start] == " " else " "
        return lines.replace(start, end, f"{gap}[{entry}]")
    if not isinstance(seq, yaml.SequenceNode):
        raise EditError("'values' is not a list", "write values as a list of {date: ..., value: ...} entries")
    for item in seq.value:
        if isinstance(item, yaml.MappingNode):
            dated = _own_entry(lines, item, "date")
            if dated and isinstance(dated[1], yaml.ScalarNode) and to_date(dated[1].value.strip()) == day:
                old = _own_entry(lines, item, "value")
                if old is None or not isinstance(old[1], yaml.ScalarNode):
                    raise EditError(f"the value of {day} is not a single number", "write it as value: <number>", lines.line(dated[0].start_mark.index))
                return lines.replace(old[1].start_mark.index, old[1].end_mark.index, number)
    if seq.flow_style:
        end = seq.end_mark.index - 1  # before the closing ']'
        return lines.replace(end, end, (", " if seq.value else "") + entry)
    last = seq.value[-1]
    line, column = lines.place(last.start_mark.index)
    prefix = lines.raw[line][:column].lstrip("\ufeff")
    if prefix.strip() != "-":  # the item sits on its own line under a bare '-'
        dash = lines.raw[line - 1] if line > 0 else ""
        prefix = dash.rstrip("\r\n") + " " if dash.strip() == "-" else " " * column
    if isinstance(last, yaml.MappingNode) and not last.flow_style:
        pad = " " * len(prefix)
        return lines.insert_after(lines.last_line_of(last), [f"{prefix}date: {day.isoformat()}", f"{pad}value: {number}"])
    return lines.insert_after(lines.last_line_of(last), [prefix + entry])


def add_csv_value(text: str, day: date, value: float) -> str:
    """Append `date,value` to a KPI's CSV (or set the value of that date's row), in the file's line endings."""
    if "\r" in text.replace("\r\n", ""):
        if "\n" in text:
            raise EditError("the CSV file mixes line breaks of old Mac OS (a lone CR) with others", "save it with LF or CRLF line endings")
        return _add_csv_value(text.replace("\r", "\n"), day, value).replace("\n", "\r")
    return _add_csv_value(text, day, value)


def _add_csv_value(text: str, day: date, value: float) -> str:
    number = yaml_number(value)
    newline = "\r\n" if "\r\n" in text else "\n"
    old_rows, problems = parse_csv(as_read(text))
    if problems:
        raise EditError(f"the CSV file has a problem on line {problems[0][0]}: {problems[0][1]}", problems[0][2])
    lines = text.split("\n")
    same = [row for row in old_rows if row.date == day.isoformat()]
    if same and _csv_number(same[-1].value) == value:
        return text
    if same:
        at = same[-1].line - 1
        cells = lines[at].split(",")
        if '"' in lines[at]:
            raise EditError(f"the row of {day} is quoted", "change its value by hand")
        cells[1] = number + ("\r" if cells[1].endswith("\r") and len(cells) == 2 else "")
        lines[at] = ",".join(cells)
        new_text = "\n".join(lines)
    else:
        new_text = _after_last_row(text, f"{day.isoformat()},{number}{newline}", newline)
    new_rows, _ = parse_csv(as_read(new_text))
    expected = [(r.date, r.value) for r in old_rows if r.date != day.isoformat()]
    if sorted((r.date, r.value) for r in new_rows if r.date != day.isoformat()) != sorted(expected) or (day.isoformat(), number) not in [(r.date, r.value) for r in new_rows]:
        raise EditError("okrsite could not change this CSV file safely, so it left it as it was", "add the row by hand")
    return new_text


def _csv_number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _after_last_row(text: str, row: str, newline: str) -> str:
    """``text`` with ``row`` put right after its last line that holds anything: empty lines at the
    end (a spreadsheet's export, an editor's) stay after the new row, not above it."""
    last = len(text.rstrip(" \t\r\n"))
    end = text.find("\n", last)
    if end == -1:
        return text + (newline if text else "") + row
    return text[:end + 1] + row + text[end + 1:]
