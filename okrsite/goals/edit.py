"""Surgical edits of goals files for check-ins: one value of one key result, one KPI value.

Pure text in, text out. The YAML is composed (not loaded) to find where the value sits, and only
that span changes, or one entry is added, so comments, key order, quoting, flow or block style,
CRLF (or old Mac OS) line ends and a BOM stay as written. Every edit is checked by reading the result back: the
front matter (or CSV rows) must equal the old one with just the intended change, else EditError.
"""

from __future__ import annotations

import copy
import math
import re
from datetime import date

import yaml

from .load import FrontMatterError, as_read, compose_yaml, front_data, front_line, parse_csv, split_front_matter
from .periods import to_date

KR_VALUE_KEYS = {"numeric": "current", "guardrail": "current", "binary": "done", "manual": "progress"}
# where a `current:` goes when a key result has none: after its target (a guardrail: its line), else its title
_CURRENT_AFTER = ("target", "keep_above", "keep_below", "title")


class EditError(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


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
    if not found:
        return None
    k, v = found[-1]
    if not (mapping.start_mark.index <= v.start_mark.index and v.end_mark.index <= mapping.end_mark.index and v.start_mark.index >= k.end_mark.index):
        raise EditError(f"'{key}' is written with a YAML alias", f"write the value of '{key}' directly, then check in again")
    return k, v


def _verify(old_front: str, new_text: str, expected) -> str:
    """Read the edited file back: its front matter must be exactly ``expected``."""
    try:
        front, _, _ = split_front_matter(as_read(new_text))
    except FrontMatterError:
        front = None
    if front is None or front_data(front) != expected:
        raise EditError("okrsite could not change this file safely, so it left it as it was", "edit the value by hand; please report the file's shape")
    return new_text


def set_kr_value(text: str, index: int, form: str, value: float | bool) -> str:
    """Set key result ``index`` (0-based)'s `current:` (`done:` for a milestone, `progress:` for an
    estimate) to ``value``: that value's text is replaced, or one `current:` is added after `target:`
    (a guardrail's after its `keep_above:` or `keep_below:`)."""
    key = KR_VALUE_KEYS.get(form)
    if key is None:
        raise EditError(f"key result {index + 1} is a {form} key result, which cannot be checked in", "edit its file by hand")
    lines = _Lines(text)
    root = _compose(lines.front)
    found = _entry(root, "key_results")
    items = found[1] if found else None
    if not isinstance(items, yaml.SequenceNode) or not 0 <= index < len(items.value) or not isinstance(items.value[index], yaml.MappingNode):
        raise EditError(f"key result {index + 1} is not in the file", "run 'okrsite check' and fix the file first")
    item = items.value[index]
    written = "true" if value is True else "false" if value is False else yaml_number(float(value))
    here = _entry(item, key)
    if here is not None:
        node = here[1]
        if not isinstance(node, yaml.ScalarNode):
            raise EditError(f"'{key}' of key result {index + 1} is not a single value", f"write it as {key}: <value>")
        start, end = node.start_mark.index, node.end_mark.index
        gap = " " if start == end and lines.front[start - 1:start] not in (" ", "\t") else ""
        new_text = lines.replace(start, end, gap + written)
    else:
        after = next((found for name in _CURRENT_AFTER if (found := _entry(item, name))), None)
        if after is None:
            raise EditError(f"key result {index + 1} has neither 'target' nor 'title'", "run 'okrsite check' and fix the file first")
        key_node, value_node = after
        if item.flow_style:
            end = value_node.end_mark.index
            new_text = lines.replace(end, end, f", {key}: {written}")
        else:
            indent = lines.place(key_node.start_mark.index)[1]
            new_text = lines.insert_after(lines.last_line_of(value_node), [" " * indent + f"{key}: {written}"])
    expected = copy.deepcopy(front_data(lines.front))
    expected["key_results"][index][key] = value
    return _verify(lines.front, new_text, expected)


def add_kpi_value(text: str, day: date, value: float) -> str:
    """Add ``{date, value}`` to a KPI's `values:` in the list's own style (or set the value already
    recorded for that date); without `values:`, the key is added at the end of the front matter."""
    lines = _Lines(text)
    root = _compose(lines.front)
    data = front_data(lines.front)
    number = yaml_number(value)
    entry = f"{{date: {day.isoformat()}, value: {number}}}"
    found = _entry(root, "values")
    if found is None:
        if root.flow_style:
            raise EditError("the front matter is written as one {...} mapping", "add 'values:' to it by hand once, then check in again")
        indent = lines.place(root.value[0][0].start_mark.index)[1] if root.value else 0
        last = lines.place(len(lines.front.rstrip("\n")))[0] if lines.front.strip() else 0
        new_text = lines.insert_after(last, [" " * indent + "values:", " " * (indent + 2) + "- " + entry])
    else:
        new_text = _add_to_list(lines, found, day, number, entry)
    expected = copy.deepcopy(data)
    values = expected.get("values") or []
    same = [row for row in values if isinstance(row, dict) and to_date(row.get("date")) == day]
    for row in same:
        row["value"] = value
    expected["values"] = values if same else values + [{"date": day, "value": value}]
    return _verify(lines.front, new_text, expected)


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
            dated = _entry(item, "date")
            if dated and isinstance(dated[1], yaml.ScalarNode) and to_date(dated[1].value.strip()) == day:
                old = _entry(item, "value")
                if old is None or not isinstance(old[1], yaml.ScalarNode):
                    raise EditError(f"the value of {day} is not a single number", "write it as value: <number>")
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


def _after_last_row(text: str, row: str, newline: str) -> str:
    """``text`` with ``row`` put right after its last line that holds anything: empty lines at the
    end (a spreadsheet's export, an editor's) stay after the new row, not above it."""
    last = len(text.rstrip(" \t\r\n"))
    end = text.find("\n", last)
    if end == -1:
        return text + (newline if text else "") + row
    return text[:end + 1] + row + text[end + 1:]
