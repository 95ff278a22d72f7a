"""Front matter to model: check each key's type and turn a SourceDoc into an Objective, KPI, Team or Page."""

from __future__ import annotations

import difflib
import math
import posixpath
import re
from decimal import Decimal
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from .characters import NEL, is_noncharacter, is_stray, same_name_otherwise, unseen_in, unseen_problem
from .config import Settings
from .diagnostics import Diagnostic, Report, did_you_mean, nearest, plural, quoted, shown_value, type_name, written_value
from .files import hidden, loop_problem, windows_device
from .formats import NUMBER_FORMATS, amount_and_rate, clean_text, drop_controls, drop_invisible, exported_value_hint, format_number, number_hint, one_form
from .load import KIND_FOLDERS, KIND_WORDS, SECRECY_KEYS, SourceDoc, kind_its_keys_tell, read_csv, yaml11_number
from .model import KPI, DataPoint, KeyResult, ManualHealth, Objective, Page, Period, Team, bare_slug, is_written_id
from .periods import NotAPeriod, PeriodError, exported_date, no_such_day, parse_period, period_hint, to_date
from .targets import (MAGNITUDES, Phrase, number_as_written, Problem, change_word, counts_in_magnitude, convert, health_level, health_reasons, known_unit, opens_with_number,
                      parse_target, starts_with_number)
from .webaddress import not_a_web_address
from .wikilinks import backslashed, heading_title

COMMON_KEYS = {"type", "id", "title"}
OBJECTIVE_KEYS = COMMON_KEYS | {"period", "owner", "parent", "kind", "status", "kpis", "tags", "key_results", "score", "retro", "follows",
                                   "confidential", "private"}
KR_KEYS = {"id", "title", "start", "target", "current", "unit", "done", "kpi", "weight", "history", "owner", "progress", "format", "keep_above", "keep_below",
           "confidential"}
GUARDRAIL_KEYS = ("keep_above", "keep_below")
POINT_KEYS = {"date", "value", "note"}
KPI_KEYS = COMMON_KEYS | {"owner", "unit", "direction", "target", "threshold", "category", "indicator", "frequency", "source", "data", "values", "objectives", "tags", "format",
                         "health", "dashboard", "confidential", "retired"}
TEAM_KEYS = COMMON_KEYS | {"parent", "lead", "members"}
PAGE_KEYS = COMMON_KEYS | {"description"}
KPI_DEFINITION = ("direction", "direction_given", "target", "threshold", "target_text", "target_inclusive", "health")  # what its health is judged by
KIND_KEYS = {"objective": OBJECTIVE_KEYS, "kpi": KPI_KEYS, "team": TEAM_KEYS}
MANUAL_STATUSES = ("on-track", "at-risk", "off-track", "achieved", "missed", "cancelled")
DIRECTIONS = ("up", "down")
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly")
INDICATORS = ("leading", "lagging")
OBJECTIVE_KINDS = ("committed", "aspirational")
# What each key holds, as the readers below check it: declared once here for `okrsite schema` and the
# editors' forms (goals/schema.py). A key of a *_KEYS set without an entry fails tests/goals/test_schema.py.
# Kinds: text, number, date, bool, ids (a name or a list), id, period, choice (of the tuple), entries (of the kind named),
# any (read by no check: a KPI's tags are kept, not used).
KEY_TYPES: dict[str, dict[str, tuple]] = {
    "objective": {"type": ("choice", ("objective",)), "id": ("id",), "title": ("text",), "period": ("period",), "owner": ("text",),
                  "parent": ("text",), "kind": ("choice", OBJECTIVE_KINDS), "status": ("choice", MANUAL_STATUSES),
                  "kpis": ("ids",), "tags": ("ids",), "key_results": ("entries", "key_result"),
                  "score": ("number", "0 to 1"), "retro": ("text",), "follows": ("text",),
                  "confidential": ("bool",), "private": ("bool",)},
    "key_result": {"id": ("id",), "title": ("text",), "start": ("number",), "target": ("number",), "current": ("number",),
                   "unit": ("text",), "done": ("bool",), "kpi": ("text",), "weight": ("number", "above 0"), "history": ("entries", "point"),
                   "owner": ("text",), "progress": ("number", "0 to 1"), "format": ("choice", NUMBER_FORMATS),
                   "keep_above": ("number",), "keep_below": ("number",), "confidential": ("bool",)},
    "point": {"date": ("date",), "value": ("number",), "note": ("text",)},
    "kpi": {"type": ("choice", ("kpi",)), "id": ("id",), "title": ("text",), "owner": ("text",), "unit": ("text",),
            "direction": ("choice", DIRECTIONS), "target": ("number or words",), "threshold": ("number",), "category": ("text",),
            "indicator": ("choice", INDICATORS), "frequency": ("choice", FREQUENCIES), "source": ("text",), "data": ("text",),
            "values": ("entries", "point"), "objectives": ("ids",), "tags": ("any",), "format": ("choice", NUMBER_FORMATS),
            "health": ("health",), "dashboard": ("links",), "confidential": ("bool",), "retired": ("date",)},
    "team": {"type": ("choice", ("team",)), "id": ("id",), "title": ("text",), "parent": ("text",), "lead": ("text",), "members": ("ids",)},
}
REQUIRED_KEYS = {"objective": ("title", "owner"), "key_result": ("title",), "point": ("date", "value"), "kpi": ("title", "owner"), "team": ("title",)}
MAX_NUMBER = 1e15  # beyond this, differences and ratios lose all precision
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


# YAML 1.1 reads a bare yes, no, on, off, true or false as true/false: a title, owner or name
# written so ("owner: no" for a team called No) is text the writer meant, once quoted.
_BARE_WORD_HINT = "YAML reads a bare yes, no, on, off, true or false as true/false: put the text in quotes, e.g. {key}: \"{word}\""


def misspelt(doc: SourceDoc, mapping: dict, key: str, path: tuple = ()) -> str:
    """The hint for a required key that is there under a misspelt name ('titel' for 'title')."""
    written = [k for k in mapping if isinstance(k, str) and k != key]
    near = difflib.get_close_matches(key, written, n=1, cutoff=0.75)
    if not near:
        return ""
    unseen = unseen_in(near[0])
    return f"line {doc.line(*path, near[0])} has '{near[0]}'" + (f", which holds {unseen}: retype it as '{key}'" if unseen else f": write '{key}'")


def _says_yes(value: Any) -> bool:
    """Whether a value reads as "yes" (true, "yes", 1): what a misspelt secrecy key holds when it was
    meant to hide something. `confidence: 0.7` is some other key okrsite does not read."""
    if isinstance(value, str):
        return value.strip().casefold() in ("true", "yes", "y", "on", "1")
    return value is True or (type(value) is int and value == 1)


# Where a secrecy key is not read: what the place is called, and where secrecy can be set instead
# (docs/audiences.md).
_SECRECY_PLACES = "secrecy is set on an objective ('private: true' or 'confidential: true'), a key result or a KPI ('confidential: true')"
UNREAD_SECRECY = {
    "": ("here", "remove the key; " + _SECRECY_PLACES),
    "page": ("on a plain page", "a plain page is always published: keep what is secret out of content/, or remove the key; " + _SECRECY_PLACES),
    "team": ("on a team", "a team's page, with its name, lead and members, is always published: remove the key; " + _SECRECY_PLACES),
    "history": ("on a check-in (an entry of 'history')", "a key result's numbers are hidden all together: write 'confidential: true' on the key result "
                "(or on its objective), and remove the key here"),
    "values": ("on a KPI's value (an entry of 'values')", "a KPI's numbers are hidden all together: write 'confidential: true' on the KPI, and remove the key here"),
    "csv": ("in a KPI's CSV file (a column after date,value)", "a KPI's numbers are hidden all together: write 'confidential: true' on the KPI, "
            "and remove the column"),
    "health": ("in a KPI's health", "a KPI's health and its reasons are public even on a confidential KPI: keep secrets out of them, and remove the key; "
               "write 'confidential: true' on the KPI to hide its numbers"),
}


def unread_secrecy(key: Any, value: Any, place: str) -> tuple[str, str] | None:
    """(message, hint) for `private: true` spelt right (in any case) where okrsite does not read it,
    on ``place`` (a key of UNREAD_SECRECY): what it was to hide would be published."""
    if not isinstance(key, str) or key.strip().casefold() not in SECRECY_KEYS or not _says_yes(value):
        return None
    where, hint = UNREAD_SECRECY[place]
    return f"okrsite does not read '{key.strip()}' {where}: the public site would show it", hint


# What a list under a misspelt key holds, not read (`key_result:` on an objective with aligned
# children is no error of its own: without a word its key results would be gone).
UNREAD_ENTRIES = {"key_results": "key results", "history": "check-ins", "values": "values"}


class Missing(Exception):
    """A value was wrong; the Fields reader has already reported it."""


class Fields:
    """Reads typed values out of one document's front matter, reporting problems with their lines."""

    def __init__(self, doc: SourceDoc, report: Report) -> None:
        self.doc, self.report = doc, report

    def error(self, path: tuple, message: str, hint: str) -> None:
        self.report.error(self.doc.path, self.doc.line(*path), message, hint)

    def unknown_keys(self, mapping: dict, known: set[str], path: tuple = (), what: str = "key", place: str = "", quiet: set[str] = frozenset()) -> None:
        """Warn of each key okrsite does not read here (``quiet`` ones aside). A secrecy key that says yes
        and is not read is an error instead: misspelt, or written on ``place`` (a key of UNREAD_SECRECY)."""
        for key in mapping:
            if key not in known:
                written = key if isinstance(key, str) else written_value(key)
                meant = nearest(written, known) if isinstance(key, str) else None
                unread = unread_secrecy(key, mapping[key], place)
                if meant in SECRECY_KEYS and _says_yes(mapping[key]):
                    self._misspelt_secrecy(path + (key,), written, meant)
                elif unread:
                    self.error(path + (key,), *unread)
                elif key not in quiet:
                    hint = f"did you mean '{meant}'?" if meant else ""
                    unseen = unseen_in(written)
                    if unseen and meant:
                        hint = f"retype it as '{meant}'"
                    lost = UNREAD_ENTRIES.get(meant) if isinstance(mapping[key], list) and mapping[key] else None
                    self.report.warning(self.doc.path, self.doc.line(*path, key), f"unknown {what} '{written}'" + (f": it holds {unseen}" if unseen else "")
                                        + (f": the {lost} under it are not read" if lost else ""), hint or "known keys: " + ", ".join(sorted(known)))

    def _misspelt_secrecy(self, path: tuple, written: str, meant: str) -> None:
        """SPEC §14: nothing confidential leaks from a public build. A misspelt `confidential:` or
        `private:` is a key okrsite does not read, so what it was to hide would be published: an
        error, in every audience, so that no build goes out with it."""
        self.error(path, f"unknown key '{written}' (did you mean '{meant}'?): as written, it hides nothing, and a public build "
                   "would publish what it was meant to hide",
                   f"write '{meant}: true'; if the key means something else, remove it (okrsite does not read it)")

    def get(self, mapping: dict, key: str, path: tuple, required: bool, what: str) -> Any:
        value = mapping.get(key)
        if value is None and required and key in mapping:  # `title:` with nothing after it
            self.error(path + (key,), f"'{key}' is empty", f"write {what} after '{key}:'")
            raise Missing
        if value is None and required:
            self.error(path, f"missing required field '{key}'", self.misspelt(mapping, key, path) or f"add '{key}: ...' ({what})")
            raise Missing
        return value

    def bare_word(self, path: tuple, value: bool) -> str:
        """The word written at ``path`` that YAML read as ``value`` (`On`), as the file has it."""
        return (self.doc.bare_words or {}).get(path) or ("yes" if value else "no")

    def misspelt(self, mapping: dict, key: str, path: tuple) -> str:
        return misspelt(self.doc, mapping, key, path)

    def text(self, mapping: dict, key: str, path: tuple = (), required: bool = False, what: str = "text") -> str | None:
        value = self.get(mapping, key, path, required, what)
        if value is None:
            return None
        if isinstance(value, bool):
            self.error(path + (key,), f"'{key}' must be {what}, not true/false", _BARE_WORD_HINT.format(key=key, word=self.bare_word(path + (key,), value)))
            raise Missing
        if isinstance(value, (dict, list, bytes)):  # bytes: YAML's !!binary, which would show as "b'...'"
            self.error(path + (key,), f"'{key}' must be {what}, not {type_name(value)}", f"write it as {key}: some text")
            raise Missing
        if isinstance(value, str):
            self.stray(path, key, value)
        text = clean_text(value)
        if not text and required:
            self.error(path + (key,), f"'{key}' is empty", f"write {what} after '{key}:'")
            raise Missing
        return text or None

    def stray(self, path: tuple, key: str, value: str) -> None:
        """A warning at the line of a text that holds a noncharacter or a NEL (is_stray): the pages leave
        the one out, as HTML forbids it, and read the other as a line break."""
        problem = unseen_problem(value, "it", ".md", is_stray)
        if problem is None:
            return
        found, retype = problem
        effects = ["the pages leave noncharacters out, as HTML forbids them"] * any(map(is_noncharacter, value))
        effects += ["the pages read a NEL as a line break"] * (NEL in value)
        meant = "; if '…' was meant, write it: Windows-1252's '…' read as Latin-1 becomes a NEL" if NEL in value else ""
        self.report.warning(self.doc.path, self.doc.line(*path, key), f"'{key}' {found}: " + ", and ".join(effects), retype + meant)

    def line(self, mapping: dict, key: str, path: tuple = (), required: bool = False, what: str = "text") -> str | None:
        """text shown inside a line of its own (a unit after a number): its line breaks read as spaces,
        so that it starts no line of a digest's Markdown, Slack or email text."""
        text = self.text(mapping, key, path, required, what)
        return " ".join(text.split()) if text else text

    def name(self, mapping: dict, key: str, path: tuple = (), required: bool = False, what: str = "text") -> str | None:
        """text that names something: an id, a team or a person (see one_form)."""
        text = self.text(mapping, key, path, required, what)
        return one_form(text) if text else text

    def number(self, mapping: dict, key: str, path: tuple = (), required: bool = False) -> float | None:
        value = self.get(mapping, key, path, required, "a number")
        if value is None:
            return None
        number = _finite_float(value)
        surprise = yaml11_number(value) if isinstance(value, str) else None
        if surprise is not None:
            self.error(path + (key,), f"'{key}' is written {value}, {surprise[0]}: okrsite does not guess which number is meant", surprise[1])
            raise Missing
        if number is None and not isinstance(value, str) and _too_large(value):
            self.error(path + (key,), f"'{key}' is too large: {value:g}" if isinstance(value, float) and math.isfinite(value) else f"'{key}' is too large: {shown_value(value)}", TOO_LARGE_HINT)
            raise Missing
        if number is None:
            shown = shown_value(value)
            self.error(path + (key,), f"'{key}' must be a number, not {shown}", number_hint(key, value))
            raise Missing
        return number

    def choice(self, mapping: dict, key: str, choices: tuple[str, ...], default: str | None, path: tuple = ()) -> str | None:
        value = mapping.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or value not in choices:
            hint = did_you_mean(str(value), choices) or "use one of: " + ", ".join(choices)
            self.error(path + (key,), f"'{key}' must be one of {', '.join(choices)}, not {shown_value(value)}", hint)
            raise Missing
        return value

    def ids(self, mapping: dict, key: str, path: tuple = (), free_names: bool = False) -> tuple[str, ...]:
        """A list of names or ids (``free_names``: of people or tags, which may hold a comma); an entry that
        is not one (null, true/false, a list or a set of keys) is an error at its own line, and the
        others are kept."""
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str) and "," in value:
            self.listed_with_commas(path + (key,), value, free_names)
        if isinstance(value, (str, int, float, date)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            self.error(path + (key,), f"'{key}' must be a list of names or ids", f"write {key}: [first, second]")
            raise Missing
        names = []
        for index, entry in enumerate(value):
            if isinstance(entry, (dict, list, bool)) or entry is None:
                hint = (f"YAML reads a bare yes, no, on, off, true or false as true/false: put such a name in quotes, e.g. {key}: [\"on\", \"no\"]"
                        if isinstance(entry, bool) else "write a name in its place, or remove it" if entry is None
                        else f"write one name or id per entry: {key}: [first, second]")
                self.error(path + (key, index), f"entry {index + 1} of '{key}' must be a name or an id, not {shown_value(entry)}", hint)
            elif not free_names and isinstance(entry, str) and "," in entry:  # an id holds no comma: `[a, "b, c"]` (QA CH)
                parts = [part for part in (clean_text(p) for p in entry.split(",")) if part]
                listed = ", ".join(part for e in value for part in (clean_text(p) for p in str(e).split(",")) if part)
                self.error(path + (key, index), f"entry {index + 1} of '{key}' holds a comma: {quoted(entry)} names {len(parts)} ids",
                           f"write one id per entry: {key}: [{listed}]")
            else:
                names.append(one_form(clean_text(entry)))
        return tuple(names)

    def listed_with_commas(self, path: tuple, value: str, free_names: bool) -> None:
        """`kpis: mrr, churn` is one text, commas and all, which names no KPI: an error, and the hint
        writes the list. One name may hold a comma ("Lee, Ann"): for names, a warning."""
        key = path[-1]
        parts = [part for part in (clean_text(p) for p in value.split(",")) if part]
        listed = f"{key}: [{', '.join(parts)}]"
        if not free_names:
            self.error(path, f"'{key}' must be a list of ids, not the text {quoted(value)}", f"write a list: {listed}")
            raise Missing
        self.report.warning(self.doc.path, self.doc.line(*path), f"'{key}' is one name written with commas: {quoted(value)}",
                            f"for several, write a list: {listed}; for one name that holds a comma, write it as a list of one: {key}: [\"{clean_text(value)}\"]")

    def date(self, mapping: dict, key: str, path: tuple) -> date:
        value = self.get(mapping, key, path, True, "a date like 2026-10-07")
        parsed = to_date(value)
        if parsed is None:
            why, hint = no_such_day(value) or ("", "write the date as YYYY-MM-DD")
            self.error(path + (key,), f"'{key}' must be a date like 2026-10-07, not {shown_value(value)}" + (f": {why}" if why else ""), hint)
            raise Missing
        return parsed

    def entries(self, mapping: dict, key: str, path: tuple = ()) -> list[tuple[int, dict]]:
        """The entries of a list of sets of keys (key results, history, values), each with its place in
        the list; an entry that is not a set of keys is an error at its own line, and the others are
        read as if it were not there (numbered as written: key result 2 stays key result 2)."""
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path + (key,), f"'{key}' must be a list of entries, each with its own keys", f"write each entry of '{key}' on a line starting with '- '")
            raise Missing
        found = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                found.append((index, entry))
                continue
            what = f"key result {index + 1}" if key == "key_results" else f"entry {index + 1} of '{key}'"
            shown = f"the text {shown_value(entry)}" if isinstance(entry, str) else shown_value(entry)
            self.error(path + (key, index), f"{what} must be a set of keys, not {shown}", _entry_hint(key, entry))
        return found

    def attempt(self, read, *args, default=None, **kwargs):
        """Read one value; on a reported problem carry on with ``default`` so every error is found."""
        try:
            return read(*args, **kwargs)
        except Missing:
            return default


def _entry_hint(key: str, entry: Any) -> str:
    """How to write a list entry as a set of keys, from what was written instead."""
    written = written_value(entry) if isinstance(entry, (str, int, float, date)) and not isinstance(entry, bool) else ""
    written = written if len(written) <= 60 else ""
    if key == "key_results":
        title = f"'- title: {written}'" if written else "'- title: ...'"
        return f"each key result is a set of keys with a title: write {title}, then its target on the next line ('    target: ...')"
    when = written if isinstance(entry, date) else "2026-10-31"
    return f"each entry of '{key}' is a date and a value: write '- {{date: {when}, value: ...}}'"


def _finite_float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) and abs(number) <= MAX_NUMBER else None


TOO_LARGE_HINT = "okrsite reads numbers up to 1e15 (a million billions): count in a larger unit, e.g. millions"


def _too_large(value: Any) -> bool:
    """A number written plainly that lies beyond MAX_NUMBER (1e308 or 1e400 too, not .nan)."""
    if isinstance(value, str):
        value = float(value) if PLAIN_NUMBER.match(value.strip()) else None
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_NUMBER


def default_id(doc: SourceDoc) -> str:
    """The file name slugified; a name with no letter or digit (🚀.md, --.md) as written, one_form."""
    stem = PurePosixPath(doc.path).stem
    return bare_slug(stem) or one_form(stem)


def _unnamed_file(doc: SourceDoc, fields: Fields) -> None:
    """A file name with no letter or digit: every such file once had the id 'item', and clashed."""
    stem = PurePosixPath(doc.path).stem
    if bare_slug(stem):
        return
    title = doc.meta.get("title")
    example = bare_slug(title) if isinstance(title, str) and bare_slug(title) else "launch-rockets"
    fields.error((), f"the file name '{stem}' has no letter or digit to make an id from",
                 f"add an 'id:' to its front matter (e.g. id: {example}), or rename the file with letters or digits")


def doc_id(doc: SourceDoc, fields: Fields) -> str:
    value = doc.meta.get("id")
    if value is None:
        _unnamed_file(doc, fields)
        return default_id(doc)
    written = None if isinstance(value, (dict, list, bool)) else one_form(str(value).strip())
    if written is None or not is_written_id(written):
        fields.error(("id",), f"'id' must be a short name like expand-customer-base, not {shown_value(value)}", ID_HINT)
        return default_id(doc)
    device = windows_device(written)
    if device:
        fields.report.warning(doc.path, doc.line("id"), f"the id '{written}' is a name Windows reserves for a device ({device}): its page cannot be written there",
                              "choose another id (e.g. add a word to it)")
    return written


def _points(fields: Fields, mapping: dict, key: str, path: tuple) -> tuple[DataPoint, ...]:
    """Dated values in date order, one per date: of two entries with the same date the later one
    counts, and the author hears of the other (as for a KPI's CSV rows)."""
    points: dict[date, DataPoint] = {}
    lines: dict[date, int] = {}
    for index, entry in fields.attempt(fields.entries, mapping, key, path, default=[]):
        where = path + (key, index)
        fields.unknown_keys(entry, POINT_KEYS, where, place=key)
        when = fields.attempt(fields.date, entry, "date", where)
        value = fields.attempt(fields.number, entry, "value", where, required=True)
        note = fields.attempt(fields.text, entry, "note", where) or ""
        if when is not None and value is not None:
            line = fields.doc.line(*where)
            if when in lines:
                fields.report.warning(fields.doc.path, line, f"'{key}' has {when} on line {lines[when]} too: this later entry's value counts",
                                      "keep one entry per date: remove the one you do not mean")
            points[when], lines[when] = DataPoint(when, value, note), line
    return tuple(sorted(points.values(), key=lambda p: p.date))


# What `okrsite new` writes for the author to replace: published as written, a warning (check --strict fails).
PLACEHOLDER_TEXT = {"objective": "Why this objective matters now, and what success looks like.",
                    "kpi": "What this KPI measures and how it is calculated.", "team": "What this team is responsible for."}
PLACEHOLDER_KR_TITLE = "Describe the first measurable result"
PLACEHOLDER_SOURCE = "Where the number comes from, e.g. the CRM's monthly report"
PLACEHOLDER_SAID = "is still the one `okrsite new` wrote"


def is_placeholder(diagnostic: Diagnostic) -> bool:
    """A warning about text `okrsite new` wrote to be replaced: new itself does not list it."""
    return PLACEHOLDER_SAID in diagnostic.message


def _placeholders(fields: Fields, kind: str, source: Any = None) -> None:
    doc = fields.doc
    if doc.body.strip() == PLACEHOLDER_TEXT[kind]:
        fields.report.warning(doc.path, doc.body_line + next(i for i, line in enumerate(doc.body.split("\n")) if line.strip()),
                              f"the text {PLACEHOLDER_SAID}: '{PLACEHOLDER_TEXT[kind]}'",
                              "write your own below the front matter, or remove it")
    if source == PLACEHOLDER_SOURCE:
        fields.report.warning(doc.path, doc.line("source"), f"'source' {PLACEHOLDER_SAID}", "write where the number comes from, e.g. source: Finance's monthly close")


ID_HINT = "use letters of any script, digits, '-' and '_' only, no spaces, '/' or '.' (at most 100, not starting with '-' or '_')"
NO_TARGET_HINT = ("add 'target: <number>' (a number to reach, with 'current:' or 'kpi: <KPI id>'), "
                  "'done: false' (a milestone) or 'progress: 0.0–1.0' (an estimate)")


# The ids of an objective's page's own parts (theme/templates base.html and objective.html, and the
# charts' titles and descriptions: web/charts.py), which a key result's anchor must not take
# (tests/web/test_render.py keeps this in step with the page).
OBJECTIVE_PAGE_IDS = frozenset({"site-q", "main", "krs", "burnup", "burnup-title", "burnup-desc", "children", "related", "retro", "recent"})
_CHART_ID = re.compile(r"(?:spark|guard)-[a-z0-9-]+-(?:title|desc)")  # a KPI's sparkline, a guardrail's chart


def is_page_id(ident: str) -> bool:
    """Whether ``ident`` is one of the ids an objective's page gives its own parts."""
    return ident in OBJECTIVE_PAGE_IDS or _CHART_ID.fullmatch(ident) is not None


def _kr_id(fields: Fields, entry: dict, path: tuple, objective_id: str) -> str | None:
    """A key result's written id: the anchor of its place on the objective's page (#id) and how
    check-ins from git and `okrsite checkin` find it, so shaped like any other id, and not one of the
    page's own (two elements with one id: a link to either could land on the other)."""
    value = fields.name(entry, "id", path)
    if value is not None and not is_written_id(value):
        fields.error(path + ("id",), f"'id' must be a short name like grow-leads, not {shown_value(value)}", ID_HINT)
        raise Missing
    if value is not None and is_page_id(value):
        fields.report.warning(fields.doc.path, fields.doc.line(*path, "id"),
                              f"key result {path[-1] + 1} cannot have the id '{value}': the objective's page uses it for its own part, "
                              f"so it gets the id '{objective_id}-kr{path[-1] + 1}'",
                              f"give it another id, e.g. 'id: {value}-kr': a key result's id is its anchor on the page (#{value}), "
                              f"and the page's own are {', '.join(sorted(OBJECTIVE_PAGE_IDS))}, spark-…-title/-desc and guard-…-title/-desc")
        raise Missing
    if value is not None and value.isdigit():
        which = ("this one only while no key result is added or moved above it" if int(value) == path[-1] + 1 else
                 "when there is one, not this one")
        fields.report.warning(fields.doc.path, fields.doc.line(*path, "id"),
                              f"key result {path[-1] + 1} has the id '{value}', written in digits as a key result's number is: "
                              f"'okrsite checkin {objective_id} {value}' takes key result number {value}, {which}",
                              f"give it an id with a letter, e.g. 'id: kr-{value}'")
    return value


def _same_id_as(objective: str, ident: str, number: int, first: int) -> str:
    """Key result ``number`` has the id of key result ``first``, saying which of the two it is the default
    id of (`<objective>-kr<n>`): a default id is on no line of the file."""
    if ident == f"{objective}-kr{number}":
        return f"key result {number}'s default id '{ident}' is the id of key result {first}"
    if ident == f"{objective}-kr{first}":
        return f"key result {number} has the id '{ident}', the default id of key result {first}"
    return f"key result {number} has the id '{ident}' of key result {first}"


def parse_key_result(fields: Fields, entry: dict, index: int, objective_id: str, owner: str, confidential: bool = False,
                     flawed: list | None = None) -> KeyResult | None:
    """The key result, or None when it has an error of its own; then its (index, KPI, owner) go to
    ``flawed``, for linking to check them too (SPEC §7: all errors in one run)."""
    path = ("key_results", index)
    fields.unknown_keys(entry, KR_KEYS | {"private"}, path)
    private = _private_elsewhere(fields, entry, path, "key result")
    read = fields.attempt
    title = read(fields.text, entry, "title", path, required=True, what="what this key result measures")
    if title == PLACEHOLDER_KR_TITLE:
        fields.report.warning(fields.doc.path, fields.doc.line(*path, "title"), f"key result {index + 1} {PLACEHOLDER_SAID}: '{title}'",
                              "write what it measures, its start, target and unit")
    kr_id = read(_kr_id, fields, entry, path, objective_id) or f"{objective_id}-kr{index + 1}"
    start = read(fields.number, entry, "start", path)
    target = read(fields.number, entry, "target", path)
    current = read(fields.number, entry, "current", path)
    manual = read(fields.number, entry, "progress", path)
    weight = read(fields.number, entry, "weight", path)
    done = entry.get("done")
    unit = read(fields.line, entry, "unit", path)
    kpi = read(fields.name, entry, "kpi", path)
    history = _points(fields, entry, "history", path)
    if done is not None and not isinstance(done, bool):
        fields.error(path + ("done",), *_not_a_flag("done", done, "write done: true or done: false"))
    if weight is not None and weight <= 0:
        fields.error(path + ("weight",), f"'weight' must be above 0, not {weight:g}", "use 1 for a normal key result, 2 for one that counts double")
    if manual is not None and not 0 <= manual <= 1:
        fields.error(path + ("progress",), f"'progress' must be between 0.0 and 1.0, not {manual:g}", "write 0.4 for 40 %")
    keep = {key: read(fields.number, entry, key, path) for key in GUARDRAIL_KEYS if key in entry}
    if keep:
        if not _guardrail_fits(fields, entry, path, keep):
            return _flawed(fields, entry, path, kpi, owner, flawed)
        form = "guardrail"
    elif target is not None:
        form = "numeric"
        for key in ("done", "progress"):
            if key in entry:
                fields.report.warning(fields.doc.path, fields.doc.line(*path, key), f"'{key}' is ignored on a key result with a target", f"remove '{key}', or remove 'target' to make it {'a milestone' if key == 'done' else 'an estimated'} key result")
        if target == (start or 0.0):
            fields.error(path + ("target",), f"target equals start ({target:g}): progress cannot be measured", "set a target different from the start value (a target below start is a decreasing metric)")
        elif kpi is None:
            _share_among_percentages(fields, entry, path, start or 0.0, target, current, history, unit)
    elif isinstance(done, bool):
        form = "binary"
        _unused_numbers(fields, entry, path, "a milestone", "done")
        if "progress" in entry:
            fields.report.warning(fields.doc.path, fields.doc.line(*path, "progress"), "'progress' is ignored on a milestone key result ('done:' gives its progress)",
                                  "remove 'progress', or remove 'done' to make it an estimated key result")
    elif manual is not None:
        form = "manual"
        _unused_numbers(fields, entry, path, "an estimated", "progress")
    elif any(entry.get(key) is not None for key in ("target", "progress", "done")):
        return _flawed(fields, entry, path, kpi, owner, flawed)  # its target, progress or done has an error already
    else:
        empty = next((key for key in ("target", "progress", "done") if key in entry), None)  # `target:` with nothing after it
        misspelt = next(filter(None, (fields.misspelt(entry, key, path) for key in ("target", "progress"))), "")
        if empty:
            fields.error(path + (empty,), f"'{empty}' of key result {index + 1} is empty", NO_TARGET_HINT)
        else:
            fields.error(path, f"key result {index + 1} has no target", misspelt or NO_TARGET_HINT)
        return _flawed(fields, entry, path, kpi, owner, flawed)
    if form in ("numeric", "guardrail"):
        _thousands_in_key_result(fields, entry, path, history)
    return KeyResult(
        id=kr_id, index=index, title=title or kr_id, form=form,
        owner=read(fields.name, entry, "owner", path) or owner,
        start=start or 0.0, target=target, current=current,
        unit=unit, done=done is True,
        manual_progress=manual, kpi=kpi, weight=weight if weight and weight > 0 else 1.0, history=history,
        number_format=read(fields.choice, entry, "format", NUMBER_FORMATS, None, path),
        keep_above=keep.get("keep_above"), keep_below=keep.get("keep_below"),
        confidential=confidential or private or bool(read(_flag, fields, entry, "confidential", path, default=False)),
    )


def _thousands_in_key_result(fields: Fields, entry: dict, path: tuple, history: tuple[DataPoint, ...]) -> None:
    """A key result's start, target, current or guardrail line written like '1.200' (target: 1.200) beside
    its other numbers, all whole and 1100 and more (thousands_among): its current, check-ins and the
    other of start and target. Another number written so is no measure of them (start: 1.000, target:
    1.500), nor a start of 0, the default."""
    written = {key: entry[key] for key in ("start", "target", "current", *GUARDRAIL_KEYS)
               if isinstance(entry.get(key), (int, float)) and _finite_float(entry[key]) is not None}
    looking = [key for key, number in written.items() if isinstance(number, float) and _THOUSANDS_LOOKING.match(str(number))]
    for key in looking:
        others = [float(n) for other, n in written.items() if other not in looking and not (other == "start" and n == 0)]
        others += [p.value for p in history]
        _thousands_in_line(fields, path + (key,), f"{key}: {written[key]}", str(written[key]), float(written[key]), others,
                           f"{key}: {str(written[key]).replace('.', '')}")


def _share_among_percentages(fields: Fields, entry: dict, path: tuple, start: float, target: float, current: float | None,
                             history: tuple[DataPoint, ...], unit: str | None) -> None:
    """A percentage key result with one number written as a share (target: 0.25, current: 30) shows
    12000 % and passes every other check. Said when one number is a share (0 < |n| <= 1) beside one
    at least 20 times its size, the progress as written is far out of line (below -100 % or above
    500 %), and reading the share as a percentage puts it in line without turning the key result
    round. So a real 12 % → 0.2 % error rate that rose to 25 % is not a mix (read as 20 % its target
    would be above its start), nor 3 % → 1 % that rose to 4.5 % (1 is not a twentieth of 4.5), nor
    0.8 % → 0.2 % that rose to 2 % (two numbers below 1)."""
    if not unit or not ("%" in unit or "percent" in unit.casefold()):
        return
    latest = ("current", current) if current is not None else ("history", history[-1].value) if history else None
    if latest is None:
        return
    numbers = {"start": start, "target": target, latest[0]: latest[1]}
    shares = [key for key, n in numbers.items() if 0 < abs(n) <= 1]
    if len(shares) != 1 or max(abs(n) for n in numbers.values()) < 20 * abs(numbers[shares[0]]):
        return
    read_as_percentages = {key: n * 100 if key in shares else n for key, n in numbers.items()}
    as_written, as_percentages = _progress(numbers), _progress(read_as_percentages)
    if as_written is None or as_percentages is None or -1 <= as_written <= 5 or not 0 <= as_percentages <= 1.5:
        return
    if (numbers["target"] > numbers["start"]) != (read_as_percentages["target"] > read_as_percentages["start"]):
        return
    said = [f"{'the latest check-in' if key == 'history' else key} {n:g}" for key, n in numbers.items() if n or key != "start"]
    written = ", ".join(said[:-1]) + " and " + said[-1]
    share = shares[0]
    where = path + ((share,) if share != "history" else ("history", _entry_dated(entry.get("history"), history[-1].date)))
    fields.report.warning(fields.doc.path, fields.doc.line(*where),
                          f"key result {path[-1] + 1} mixes a share and percentages: {written} (unit '{unit}') give {as_written * 100:,.0f} %",
                          f"write every number as a percentage: {share} {numbers[share] * 100:g}, not {numbers[share]:g}")


def _entry_dated(entries: Any, day: date) -> int:
    """The place in a `history:` list as written of its entry of ``day`` (the last such: it counts)."""
    found = [i for i, e in enumerate(entries if isinstance(entries, list) else []) if isinstance(e, dict) and to_date(e.get("date")) == day]
    return found[-1] if found else 0


def _progress(numbers: dict[str, float]) -> float | None:
    reached = numbers.get("current", numbers.get("history"))
    span = numbers["target"] - numbers["start"]
    return (reached - numbers["start"]) / span if span else None


def _flawed(fields: Fields, entry: dict, path: tuple, kpi: str | None, owner: str, flawed: list | None) -> None:
    if flawed is not None:
        flawed.append((path[-1], kpi, fields.attempt(fields.name, entry, "owner", path) or owner))
    return None


def _unused_numbers(fields: Fields, entry: dict, path: tuple, form: str, key: str) -> None:
    """A milestone counts `done`, an estimate its `progress`: a `current` or `start` beside them
    would be silently left out of its progress (SPEC §5), so the author hears of it."""
    for unused in ("current", "start"):
        if unused in entry:
            fields.report.warning(fields.doc.path, fields.doc.line(*path, unused), f"'{unused}' is ignored on {form} key result ('{key}:' gives its progress)",
                                  f"remove '{unused}', or replace '{key}' with 'target: <number>' to measure it as a number")


def _guardrail_fits(fields: Fields, entry: dict, path: tuple, keep: dict[str, float | None]) -> bool:
    """A guardrail (SPEC §12) has one line, keep_above or keep_below, and nothing of another form of key
    result; every key that does not fit is reported. start and weight mean nothing to it: a warning."""
    fits = True
    if len(keep) > 1:
        fields.error(path + ("keep_below",), "a guardrail has both keep_above and keep_below", "keep one line: 'keep_above: 70' keeps a number at or above 70, 'keep_below: 2.5' at or below 2.5; for both, write two guardrails")
        fits = False
    line = next(iter(keep))
    for key, form in (("target", "a numeric"), ("done", "a milestone"), ("progress", "an estimated")):
        if key in entry:
            fields.error(path + (key,), f"'{key}' does not go with '{line}': a guardrail keeps a number on one side of a line and has no {key}", f"remove '{key}', or remove '{line}' to make it {form} key result")
            fits = False
    for key, value in keep.items():
        if value is None and entry.get(key) is None:
            fields.error(path + (key,), f"'{key}' needs a number", f"write the line to keep, e.g. {key}: 70")
        fits = fits and value is not None
    for key, why in (("start", "a guardrail has a line, not a baseline"), ("weight", "a guardrail does not count in progress")):
        if key in entry:
            fields.report.warning(fields.doc.path, fields.doc.line(*path, key), f"'{key}' is ignored on a guardrail", f"remove '{key}': {why}")
    return fits


def parse_objective(doc: SourceDoc, settings: Settings, report: Report) -> Objective:
    fields = Fields(doc, report)
    meta, read = doc.meta, fields.attempt
    fields.unknown_keys(meta, OBJECTIVE_KEYS, quiet=_said_of_another_kind(doc))
    _placeholders(fields, "objective")
    ident = doc_id(doc, fields)
    title = read(fields.text, meta, "title", required=True, what="the objective in a few words")
    owner = read(fields.name, meta, "owner", required=True, what="a team id or a person's name") or ""
    period = _period(fields, meta, settings)
    confidential = bool(read(_flag, fields, meta, "confidential", default=False))
    key_results, flawed = [], []
    numbers: dict[str, int] = {}  # each key result's id -> its number (1-based), to find a second one
    for index, entry in read(fields.entries, meta, "key_results", default=[]):
        kr = parse_key_result(fields, entry, index, ident, owner, confidential, flawed)
        if kr is not None:
            if kr.id in numbers:
                where = ("key_results", index, "id") if "id" in entry else ("key_results", index)
                fields.error(where, _same_id_as(ident, kr.id, index + 1, numbers[kr.id]),
                             "give each key result of an objective its own id: it is the key result's anchor on the page, and how check-ins find it")
            else:
                numbers[kr.id] = index + 1
            key_results.append(kr)
    _too_many_key_results(fields, meta)
    _key_results_of_one_title(fields, meta)
    return Objective(
        id=ident, title=title or ident, period=period, owner=owner, doc=doc,
        parent=read(fields.name, meta, "parent"),
        kind=read(fields.choice, meta, "kind", OBJECTIVE_KINDS, settings.default_kind) or settings.default_kind,
        status=read(fields.choice, meta, "status", MANUAL_STATUSES, None),
        kpis=read(fields.ids, meta, "kpis", default=()),
        tags=read(fields.ids, meta, "tags", free_names=True, default=()),
        key_results=tuple(key_results), flawed_key_results=tuple(flawed),
        score=read(_score, fields, meta), retro=read(_retro, fields, meta),
        follows=read(fields.name, meta, "follows"),
        confidential=confidential, private=bool(read(_flag, fields, meta, "private", default=False)),
        kind_given=meta.get("kind") is not None,
    )


MAX_KEY_RESULTS = 5


def _too_many_key_results(fields: Fields, meta: dict) -> None:
    """SPEC §7: more than 5 key results is a warning. Counted as written, so that one with an error of
    its own (target: lots) is still one of them and both are reported in the same run; here, where the
    front matter is read, so that a build with the cache never unpacks it again to count."""
    written = meta.get("key_results")
    if isinstance(written, list) and len(written) > MAX_KEY_RESULTS:
        fields.report.warning(fields.doc.path, fields.doc.line("key_results"), f"{len(written)} key results: more than {MAX_KEY_RESULTS} dilutes focus",
                              "keep the 3-5 that matter most, or split the objective")


def _key_results_of_one_title(fields: Fields, meta: dict) -> None:
    """Two key results of one objective with one title read as one on every page and in every check-in
    (`okrsite checkin ID "Beta"` takes the first; QA CA: the preview's form, naming a key result by its
    place and title, checked in to a Beta written above the one meant): a warning at the second."""
    written = meta.get("key_results")
    seen: dict[str, int] = {}
    for n, kr in enumerate(written if isinstance(written, list) else ()):
        title = kr.get("title") if isinstance(kr, dict) else None
        if not isinstance(title, str) or not title.strip():
            continue
        key = one_form(title).strip().casefold()
        if key in seen:
            fields.report.warning(fields.doc.path, fields.doc.line("key_results", n, "title"),
                                  f"key results {seen[key] + 1} and {n + 1} have the same title {quoted(title.strip())}",
                                  "give each key result a title of its own: pages, check-ins and the update form tell them apart by it")
        else:
            seen[key] = n


def _score(fields: Fields, meta: dict) -> float | None:
    score = fields.number(meta, "score")
    if score is not None and not 0 <= score <= 1:
        fields.error(("score",), f"'score' must be between 0.0 and 1.0, not {score:g}", "write the grade you give the objective, e.g. score: 0.6 (0.7-1.0 is a good result)")
        raise Missing
    return score


def _retro(fields: Fields, meta: dict) -> str | None:
    """Markdown kept as written (line breaks matter) but for control characters and bidi overrides
    (drop_invisible), as the pages and okrs.json show it; only checked to be text."""
    value = meta.get("retro")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        fields.error(("retro",), f"'retro' must be text, not {type_name(value)}", "write it as a block: 'retro: |' and the text indented on the next lines")
        raise Missing
    return drop_invisible(drop_controls(value)).strip()


def _period(fields: Fields, meta: dict, settings: Settings) -> Period | None:
    written = meta.get("period")
    value = settings.default_period if written is None else written
    if written is None and "period" in meta:  # `period:` with nothing after it, default_period or not
        fields.error(("period",), "'period' is empty", "write the period after 'period:', e.g. 'period: 2026-Q4'")
        return None
    if value is None:
        if not settings.period_unread(None):
            fields.error((), "missing required field 'period'", fields.misspelt(meta, "period", ()) or "add 'period:' with its period (a quarter such as 2026-Q2, a year, a half or a month), or set default_period in okrsite.toml")
        return None
    try:
        return parse_period(value, settings.periods)
    except PeriodError as exc:
        # a name okrsite.toml could have defined, had it been read, is its error there; a list or a date is no name
        if written is not None and (isinstance(exc, NotAPeriod) or not settings.period_unread(written)):
            unseen = unseen_in(str(value))  # 'FY27-Q4' and 'FY27-Q4' with a zero-width space look alike in the message
            fields.error(("period",), str(exc) + (f": it holds {unseen}" if unseen else ""), period_hint(value, settings.periods))
        return None


def parse_kpi(doc: SourceDoc, root: Path, report: Report) -> KPI:
    fields = Fields(doc, report)
    meta, read = doc.meta, fields.attempt
    quiet = _said_of_another_kind(doc)
    fields.unknown_keys(meta, KPI_KEYS | {"private"}, quiet=quiet | _retiring_keys(fields, meta, quiet))
    private = _private_elsewhere(fields, meta, (), "KPI")
    _placeholders(fields, "kpi", meta.get("source"))
    ident = doc_id(doc, fields)
    data = read(fields.text, meta, "data")
    inline = _points(fields, meta, "values", ())
    from_csv = _csv_points(fields, root, data) if data else ()
    by_date = {p.date: p for p in from_csv}
    by_date.update({p.date: p for p in inline})
    judged = _judged_by(fields, meta)
    health = judged["health"]
    frequency = _frequency(fields, meta)
    threshold = _threshold(fields, meta, judged)
    _thousands_in_kpi(fields, meta, judged, threshold, list(by_date.values()))
    retired = read(_retired, fields, meta)
    if retired is not None:
        _measured_after_retiring(fields, retired, by_date.values())
    return KPI(
        id=ident, title=read(fields.text, meta, "title", required=True, what="the name of the metric") or ident,
        owner=read(fields.name, meta, "owner", required=True, what="a team id or a person's name") or "",
        doc=doc, threshold=threshold, **judged,
        dashboard=_dashboard(fields, meta),
        confidential=private or read(_flag, fields, meta, "confidential", default=False) or (health is not None and health.health == "confidential"),
        category=read(fields.text, meta, "category"),
        indicator=read(fields.choice, meta, "indicator", INDICATORS, None),
        frequency=frequency or "monthly", frequency_given=frequency is not None,
        source=read(fields.text, meta, "source"), data=(site_path(data) or data) if data else None,
        values=tuple(sorted(by_date.values(), key=lambda p: p.date)),
        objectives=read(fields.ids, meta, "objectives", default=()),
        number_format=read(fields.choice, meta, "format", NUMBER_FORMATS, None), retired=retired,
    )


# Keys people write on a KPI they stopped measuring, as objectives are closed (`status:`): each one's
# hint says `retired:` instead of guessing a known key ("did you mean 'tags'?").
RETIRING_KEYS = ("status", "state", "archived", "archive", "retire", "retirement", "retired_on", "retired_at", "retired_since", "deprecated",
                 "discontinued", "obsolete", "inactive", "active", "retired")


def _retiring_hint(written: date | None) -> str:
    """How to say a KPI is retired, with the day ``written`` under another key if there is one."""
    if written is not None:
        return f"to say the KPI is no longer measured since then, write 'retired: {written}'; see docs/kpis.md#retiring-a-kpi"
    return "to say the KPI is no longer measured, write the day it stopped, e.g. 'retired: 2026-04-03'; see docs/kpis.md#retiring-a-kpi"


def _retiring_keys(fields: Fields, meta: dict, quiet: set[str]) -> set[str]:
    """Warn of each key in RETIRING_KEYS (in any case) that is no key of a KPI, pointing to `retired:`; the
    keys warned of."""
    found = {key for key in meta if isinstance(key, str) and key not in KPI_KEYS and key not in quiet and key.strip().casefold() in RETIRING_KEYS}
    for key in found:
        fields.report.warning(fields.doc.path, fields.doc.line(key), f"unknown key '{key}'", _retiring_hint(to_date(meta[key])))
    return found


def _retired(fields: Fields, meta: dict) -> date | None:
    """`retired:`, the day the KPI stopped being measured (docs/kpis.md#retiring-a-kpi): a date, not a yes."""
    if "retired" not in meta:
        return None
    value = meta["retired"]
    day = to_date(value) if not isinstance(value, bool) else None
    if day is not None:
        return day
    if isinstance(value, bool) or value is None:
        written = fields.bare_word(("retired",), value) if isinstance(value, bool) else "nothing"
        fields.error(("retired",), f"'retired' must be the day the KPI was retired, not {written}", _retiring_hint(None))
        raise Missing
    why, hint = no_such_day(value) or ("", _retiring_hint(None))
    fields.error(("retired",), f"'retired' must be a date like 2026-04-03, not {shown_value(value)}" + (f": {why}" if why else ""), hint)
    raise Missing


def _measured_after_retiring(fields: Fields, retired: date, values) -> None:
    """A value dated after the KPI was retired: measured again (revived), or a wrong `retired:` day."""
    later = [p for p in values if p.date > retired]
    if later:
        first = min(later, key=lambda p: p.date)
        fields.report.warning(fields.doc.path, fields.doc.line("retired"), f"the KPI was retired on {retired}, but it has {plural(len(later), 'value')} dated later, "
                              f"the first on {first.date}", "if it is measured again, remove 'retired:'; else correct the day it was retired")


_BETWEEN_FREQUENCIES = {  # how often, as people say it, that falls between two frequencies (SPEC §6: stale after twice it)
    "every two weeks": ("biweekly", "bi-weekly", "fortnightly", "every two weeks", "every 2 weeks", "semimonthly", "semi-monthly", "twice a month"),
    "every two months": ("bimonthly", "bi-monthly", "every two months", "every 2 months"),
}
_BETWEEN_HINTS = {
    "every two weeks": "there is no fortnightly frequency: write 'monthly', whose values go stale after 62 days; with 'weekly' they go "
                       "stale after 14 days, whenever a value measured every two weeks is a day late",
    "every two months": "there is no two-monthly frequency: write 'quarterly', whose values go stale after 184 days; with 'monthly' they go "
                        "stale after 62 days, whenever a value measured every two months is a day late (for twice a month write 'monthly')",
}


def _frequency(fields: Fields, meta: dict) -> str | None:
    """`frequency:`, one of FREQUENCIES. "biweekly" is no typo of "weekly": its hint says which frequency
    keeps such a KPI from going stale between two values."""
    value = meta.get("frequency")
    said = _spelling(value) if isinstance(value, str) else None
    between = next((how for how, spellings in _BETWEEN_FREQUENCIES.items() if said in map(_spelling, spellings)), None)
    if between is None:
        return fields.attempt(fields.choice, meta, "frequency", FREQUENCIES, None)
    fields.error(("frequency",), f"'frequency' must be one of {', '.join(FREQUENCIES)}, not {shown_value(value)}", _BETWEEN_HINTS[between])
    return None


def _spelling(words: str) -> str:
    """Words as compared with the ways people say how often: "Bi weekly", "bi-weekly" and "biweekly" alike."""
    return re.sub(r"[\s-]+", "", words.lower())


_MEASURE = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z%][A-Za-z]*)\s*$")  # "48 hours", "90min"


def _threshold(fields: Fields, meta: dict, judged: dict[str, Any]) -> float | None:
    """The threshold, a plain number in the KPI's unit. One written with a unit the KPI's unit is not
    ("48 hours" beside the target "< 2 days") is an error whose hint gives the number in the KPI's unit:
    moving the unit into `unit:` would have the target read in it (2 hours)."""
    value, unit = meta.get("threshold"), judged["unit"]
    scaled = _SCALED.match(value) if isinstance(value, str) else None
    if scaled:
        fields.error(("threshold",), f"'threshold' must be a number, not {shown_value(value)}", _scaled_threshold_hint(scaled, unit))
        return None
    measure = _MEASURE.match(value) if isinstance(value, str) else None
    if measure is None or known_unit(measure[2]) is None or not unit:
        return fields.attempt(fields.number, meta, "threshold")
    whose = f"'unit: {unit}'" if meta.get("unit") else f"the target '{judged['target_text']}'"
    number, in_unit = float(measure[1]), known_unit(unit) or unit
    converted = convert(number, measure[2], unit)
    if known_unit(measure[2]) == known_unit(unit):
        hint = f"write threshold: {number:g} without the unit: it is read in {in_unit}, the unit of {whose}"
    elif converted is not None:
        hint = f"write threshold: {converted:.6g}, which is {number:g} {measure[2]} in {in_unit}, the unit of {whose}"
    else:
        hint = f"write the threshold as a plain number in {in_unit}, the unit of {whose}: health compares it with values in {in_unit}"
    fields.error(("threshold",), f"'threshold' must be a number, not {shown_value(value)}", hint)
    return None


_SCALED = re.compile(r"^\s*(?P<currency>[$€£¥])?\s*(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<magnitude>[kKMB]|bn)(?:\s+(?P<unit>[^\d\s].*?))?\s*$")  # "40k EUR", "1k users"


def _scaled_threshold_hint(scaled: re.Match, unit: str | None) -> str:
    """Every digit of a threshold written with a magnitude ("40k EUR": 40000), in the KPI's unit; a unit
    that names a magnitude (`unit: k EUR`) counts in it already, and the magnitude is never moved into `unit:`
    (which would read a target of "€50k" as 50)."""
    written = Decimal(scaled["number"])
    if counts_in_magnitude(unit):
        return f"write threshold: {_every_digit(written)}: it is read in {unit}, the KPI's unit"
    number = _every_digit(written * MAGNITUDES[scaled["magnitude"]])
    if unit:
        return f"write every digit, threshold: {number}: it is read in {unit}, the KPI's unit, as the target is"
    named = scaled["unit"] or scaled["currency"]
    return f"write every digit, threshold: {number}" + (f", and the unit in unit: \"{named}\"" if named else "")


def _every_digit(number: Decimal) -> str:
    written = f"{number:f}"
    return written.rstrip("0").rstrip(".") if "." in written else written


def _judged_by(fields: Fields, meta: dict) -> dict[str, Any]:
    """What a KPI's health is judged by, but its threshold: its target (a number or words), which way is
    better, and the owner's `health:`; with its unit, which the target's words may give."""
    read = fields.attempt
    target, target_text, phrase = _kpi_target(fields, meta)
    written = read(fields.choice, meta, "direction", DIRECTIONS, None)
    if phrase and phrase.direction and written and written != phrase.direction:
        fields.error(("direction",), f"'direction: {written}' contradicts the target '{target_text}', which reads as {phrase.direction}",
                     "remove 'direction:' (the target's words say it), or write the target the other way round")
    unit = read(fields.line, meta, "unit")
    if phrase and phrase.scale != 1 and counts_in_magnitude(unit):
        phrase = phrase.unscaled()
        target = phrase.number
    if phrase and _units_differ(unit, phrase.unit):
        fields.report.warning(fields.doc.path, fields.doc.line("target"),
                              f"the target '{target_text[:60]}' is in {phrase.unit}, but 'unit: {unit}' says the values are in {unit}: "
                              f"health compares them with {format_number(phrase.number, unit)}",
                              f"write the target in {unit}, or change 'unit:' to {phrase.unit} if the values are in {phrase.unit}")
    return dict(unit=unit or (phrase.unit if phrase else None), direction=written or (phrase.direction if phrase else None) or "up",
                direction_given=bool(written or (phrase and phrase.direction) or target is not None), target=target, target_text=target_text,
                target_inclusive=phrase.inclusive if phrase else True, health=_manual_health(fields, meta))


def kpi_definition(meta: Any, path: str) -> dict[str, Any] | None:
    """What a KPI's health is judged by (KPI_DEFINITION) as a past version of its file wrote it, for a
    finished period judged by the target it had then (SPEC §6); None when that front matter cannot be
    read without an error."""
    if not isinstance(meta, dict):
        return None
    report = Report()
    fields = Fields(SourceDoc(path, "kpi", meta, {}), report)
    judged = _judged_by(fields, meta)
    judged["threshold"] = fields.attempt(fields.number, meta, "threshold")
    del judged["unit"]
    return None if report.errors else judged


def _units_differ(unit: str | None, words: str | None) -> bool:
    """Whether `unit:` and the unit in the target's words are two units okrsite knows, and not the same.
    Money per something is in its currency, and per its span where that is a known one: "EUR/quarter"
    differs from "$/quarter", and "$/month" from "$/quarter"; "USD" is "$/quarter" without saying per what."""
    money, said_money = _money(unit), _money(words)
    if money and said_money:
        return money[0] != said_money[0] or bool(money[1] and said_money[1] and money[1] != said_money[1])
    known, said = known_unit(unit), known_unit(words)
    return known is not None and said is not None and known != said


_SPANS = {"day": "day", "d": "day", "week": "week", "wk": "week", "w": "week", "month": "month", "mo": "month",
          "quarter": "quarter", "q": "quarter", "qtr": "quarter", "year": "year", "yr": "year", "y": "year", "annum": "year"}


def _money(unit: str | None) -> tuple[str, str | None] | None:
    """(currency, span) of a unit of money: ("USD", None) for "$" or "USD", ("EUR", "quarter") for
    "EUR/quarter" or "€ per quarter", ("USD", "") for "$/seat" (per something not a span, not compared); None for any other unit."""
    amount, rate = amount_and_rate(unit) or (unit, None) if unit else (None, None)
    currency = known_unit(amount)
    if currency not in ("USD", "EUR", "GBP"):
        return None
    per = re.sub(r"^(?:/|per\s)\s*", "", rate.lower()) if rate else None
    return currency, (_SPANS.get(per.removesuffix("s"), "") if per else None)


def _kpi_target(fields: Fields, meta: dict) -> tuple[float | None, str | None, Phrase | None]:
    """A number, or words: a phrase ("at or above 84%") gives the number; other text is kept as words."""
    value = meta.get("target")
    if "target" in meta and (value is None or (isinstance(value, str) and not clean_text(value))):
        fields.report.notice(fields.doc.path, fields.doc.line("target"), "'target' is empty: without a target the KPI's health is unknown",
                             "write the target after 'target:' (a number, or words such as 'at or above 84%'), or remove the line", timed=False)
        return None, None, None
    if not isinstance(value, str) or yaml11_number(value):
        return fields.attempt(fields.number, meta, "target"), None, None
    text = clean_text(value) or None
    phrase = parse_target(text) if text else None
    if phrase is not None and abs(phrase.number) > MAX_NUMBER:
        fields.error(("target",), f"the target's number in '{text[:40]}' is too large", f"write a number below {MAX_NUMBER:.0e}")
        return None, text, None
    if phrase is None and text and starts_with_number(text):
        fields.report.notice(fields.doc.path, fields.doc.line("target"), f"the target '{text[:60]}' is kept as words: no health is computed from the values",
                             _words_target_hint(text), timed=False)
    return (phrase.number if phrase else None), text, phrase


def _words_target_hint(text: str) -> str:
    """How to write a target kept as words so that health is computed; a word that says a change ("2 hours
    down") is named: a target is the level to reach, not how far or which way to move. Words that start
    with a comparison and a number are told what more they hold, not to write what they did."""
    change, inside = change_word(text), _WHOLLY_IN_PARENTHESES.match(text)
    pointed = _DECIMAL_COMMA_IN_WORDS.sub(r"\1.\2", text)
    if pointed != text and parse_target(pointed):
        return f"write '{pointed}': okrsite reads '.' as the decimal point"
    if inside and parse_target(inside[1]):
        return f"write it without the parentheses, '{inside[1].strip()}': in parentheses it reads as a remark"
    if change is None and not opens_with_number(text):  # "> 95% for 3 consecutive months"
        return ("for a computed health the target is one comparison, a number and a unit of words without digits, and at most a remark "
                "in parentheses that does not compare ('< 2 days (median)'): say the rest in the KPI's title or text (see Targets in words on the KPIs page)")
    said = (f"'{change}' says a change, not the level to reach: write the level itself and one comparison" if change
            else "for a computed health write a number, its unit and one comparison")
    return f"{said}, e.g. 'at most 10 days', '10 days or less per incident' or '99.9% or more' (see Targets in words on the KPIs page)"


_WHOLLY_IN_PARENTHESES = re.compile(r"^\s*\(([^()]*)\)\s*$")
_DECIMAL_COMMA_IN_WORDS = re.compile(r"(?<![\d,.])(\d+),(\d{1,2}|\d{4,})(?![\d,.])")  # "at least 1,5": not 1,500


def _manual_health(fields: Fields, meta: dict) -> ManualHealth | None:
    """`health: okay` or the handbook's `{level: 2, reasons: [...]}`, as the KPI's owner set it."""
    value = meta.get("health")
    if value is None:
        return None
    try:
        if not isinstance(value, dict):
            return ManualHealth(health_level(value))
        fields.unknown_keys(value, {"level", "reasons"}, ("health",), place="health")
        if value.get("level") is None:
            raise Problem("'health' has no level", "write level: 3 (okay), 2 (attention), 1 (problem), 0 (unknown) or -1 (confidential)")
        return ManualHealth(health_level(value["level"]), health_reasons(value.get("reasons")))
    except Problem as problem:
        where = ("health", problem.key) if isinstance(value, dict) and problem.key in value else ("health",)
        fields.error(where, problem.message, problem.hint)
        return None


def _dashboard(fields: Fields, meta: dict) -> tuple[str, ...]:
    """Links to where the numbers live: one web address or a list of them."""
    value = meta.get("dashboard")
    links = [value] if isinstance(value, str) else value if isinstance(value, list) else [] if value is None else [value]
    found = []
    for index, link in enumerate(links):
        text = clean_text(link) if isinstance(link, str) else link
        problem = not_a_web_address("'dashboard'", text)
        if problem:
            where = ("dashboard", index) if isinstance(value, list) else ("dashboard",)
            fields.error(where, *problem)
            continue
        found.append(text)
    return tuple(found)


_PRIVATE_HINTS = {
    "key result": "write 'confidential: true' to say so, or make its objective private to keep it off the public site entirely",
    "KPI": "write 'confidential: true' to say so; a KPI's title, owner, definition and health are public (keep secrets out of them)",
}


def _private_elsewhere(fields: Fields, meta: dict, path: tuple, what: str) -> bool:
    """`private: true` where only an objective can be private: the writer wants it hidden, and the
    nearest okrsite can do is to withhold its numbers (SPEC §14 has no private KPI or key result)."""
    if "private" not in meta:
        return False
    line, private = fields.doc.line(*path, "private"), fields.attempt(_flag, fields, meta, "private", path)
    if private is None:
        return False
    if not private:
        fields.report.warning(fields.doc.path, line, "'private' is for objectives only: remove it", _PRIVATE_HINTS[what])
        return False
    fields.report.warning(fields.doc.path, line, f"only an objective can be private: this {what} is confidential instead "
                          "(its numbers stay off the public site, its title does not)", _PRIVATE_HINTS[what])
    return True


_FLAG_WORDS = {"true": "true", "yes": "true", "on": "true", "false": "false", "no": "false", "off": "false"}


def _not_a_flag(key: str, value: object, hint: str) -> tuple[str, str]:
    """(message, hint) for a flag that is not true or false. `done: "false"` in quotes is text: "must
    be true or false, not 'false'" contradicted itself without saying so."""
    word = _FLAG_WORDS.get(value.strip().lower()) if isinstance(value, str) else None
    if word is not None:
        return f"'{key}' must be true or false, not the text {shown_value(value)} (in quotes, it is text)", f"write it without quotes: {key}: {word}"
    return f"'{key}' must be true or false, not {shown_value(value)}", hint


def _flag(fields: Fields, meta: dict, key: str, path: tuple = ()) -> bool:
    value = meta.get(key, False)
    if not isinstance(value, bool):
        fields.error(path + (key,), *_not_a_flag(key, value, f"write {key}: true"))
        raise Missing
    return value


def site_path(data: str) -> str | None:
    """A `data:` path from the site root as written, its '.' and '..' steps taken in the writing, not
    through links (data/../data/mrr.csv is data/mrr.csv); None when they lead out of the root."""
    path = posixpath.normpath(data.replace("\\", "/"))
    return None if path == ".." or path.startswith("../") else path


def _csv_points(fields: Fields, root: Path, data: str) -> tuple[DataPoint, ...]:
    """Points of a KPI's CSV file; its path must stay inside the site root, written and where links lead
    (as a body's link must stay inside content/: web/plan.py)."""
    relpath = site_path(data)
    if data.replace("\\", "/").startswith("/") or (len(data) > 1 and data[1] == ":"):
        fields.error(("data",), f"data path '{data}' is absolute", "write the path relative to the site root, e.g. data/mrr.csv")
        return ()
    if relpath is None:
        fields.error(("data",), f"data path '{data}' leads outside the site root", "keep CSV files inside the site, e.g. data/mrr.csv")
        return ()
    written = backslashed(data)
    if written is not None:
        fields.report.warning(fields.doc.path, fields.doc.line("data"), f"data path '{data}' is written with '\\' between folders (read as '{relpath}')", written[1])
    looping = loop_problem(root, root / relpath)
    if looping is not None:
        link, what, hint = looping
        fields.error(("data",), f"data file {quoted(data)} cannot be read: {link} {what}", hint)
        return ()
    try:
        resolved = (root / relpath).resolve()
        if not resolved.is_relative_to(root.resolve()):
            fields.error(("data",), f"data path '{data}' leads outside the site root through a symbolic link",
                         "keep CSV files inside the site, e.g. data/mrr.csv: a link there may lead to a file inside the site, not out of it")
            return ()
        leads = resolved.relative_to(root.resolve()).as_posix()
        if hidden(relpath) or hidden(leads):
            fields.error(("data",), f"data path '{data}' leads to the hidden {leads}" + (" through a symbolic link" if not hidden(relpath) else ""),
                         "keep CSV files in a folder that is not hidden, e.g. data/mrr.csv: okrsite reads no file or folder whose name starts with '.'")
            return ()
        if resolved.is_dir():
            inside = sorted(p.relative_to(root.resolve()).as_posix() for p in resolved.rglob("*.csv") if p.is_file())
            fields.error(("data",), f"data file '{data}' is a folder, not a file",
                         f"point 'data' at the CSV file itself, e.g. {inside[0] if inside else 'data/mrr.csv'}")
            return ()
        if not resolved.is_file():
            fields.error(("data",), f"data file {quoted(data)} does not exist", _missing_csv_hint(data, _csv_files(root)))
            return ()
        rows, problems = read_csv(root, relpath, warnings := [])
    except (OSError, ValueError) as exc:
        fields.error(("data",), f"data file {quoted(data)} cannot be read: {getattr(exc, 'strerror', None) or exc}", "write a short path to a CSV file inside the site, e.g. data/mrr.csv")
        return ()
    csv_name = relpath
    for line, message, hint in problems:
        fields.report.error(csv_name, line, message, hint)
    for line, message, hint in warnings:
        fields.report.warning(csv_name, line, message, hint)
    _secrecy_columns(fields.report, csv_name, rows)
    points = []
    lines: dict[date, int] = {}
    numbers: list[tuple[int, str, float]] = []  # (line, as written, as read)
    for row in rows:
        when = to_date(row.date)
        value = _finite_float(float(row.value)) if PLAIN_NUMBER.match(row.value) else None
        if not row.date:
            fields.report.error(csv_name, row.line, "the date is empty", "fill in the date, e.g. 2026-10-31, or remove the row if its value belongs to no date")
        elif when is None:
            unseen = unseen_problem(row.date, "the date", ".csv")
            why, hint = (f"it {unseen[0]}", unseen[1]) if unseen else no_such_day(row.date) or exported_date(row.date) or ("", "write dates as YYYY-MM-DD")
            fields.report.error(csv_name, row.line, f"bad date '{row.date}' in CSV row" + (f": {why}" if why else ""), hint)
        elif not row.value:
            fields.report.error(csv_name, row.line, "the value is empty", "fill in the number, or remove the row if there is none for that date")
        elif value is None and _too_large(row.value):
            fields.report.error(csv_name, row.line, f"value '{row.value}' is too large", TOO_LARGE_HINT)
        elif value is None:
            fields.report.error(csv_name, row.line, f"value '{row.value}' is not a number", exported_value_hint(row.value) or number_hint("value", row.value))
        else:
            if when in lines:
                fields.report.warning(csv_name, row.line, f"{when} has a row on line {lines[when]} too: this later row's value counts",
                                      "keep one row per date: remove the one you do not mean")
            lines[when] = row.line
            points.append(DataPoint(when, value))
            numbers.append((row.line, row.value, value))
    _thousands_looking(fields.report, csv_name, numbers)
    return tuple(points)


_THOUSANDS_LOOKING = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")  # 1.234: a thousand and more, written with a '.' between thousands?
_WHOLE = re.compile(r"^[+-]?\d+$")


def _thousands_looking(report: Report, csv_name: str, numbers: list[tuple[int, str, float]]) -> None:
    """A warning at a value such as '1.234' in a file of whole numbers a hundred times as large or more
    (1180, 1250): '.' is the decimal point, but here it may separate thousands (1234)."""
    looking = [(line, text, value) for line, text, value in numbers if _THOUSANDS_LOOKING.match(text)]
    whole = [value for _, text, value in numbers if _WHOLE.match(text)]
    if not looking or len(looking) + len(whole) != len(numbers):
        return
    for line, text, value in looking:
        among = thousands_among(text, value, whole)
        if among:
            meant = text.replace(".", "")
            report.warning(csv_name, line, f"value '{text}' is read as {text} ('.' is the decimal point), but the file's other values are "
                           f"{among}: it may be {meant} written with a thousands separator",
                           f"write {meant} if that is meant; if {text} is right, write it {text}0 to say so")


def thousands_among(text: str, value: float, others: list[float]) -> str | None:
    """How ``others`` are told of, when a number written like '1.234' (read 1.234) stands among whole
    numbers a hundred times as large or more: there '.' may separate thousands (1234). None when it does
    not look so: another form, no others, one of them not whole, or one not that large. The one test of
    a CSV file's values and of a target, threshold or guardrail line beside the values it is compared with.
    A value beyond MAX_NUMBER is left out: it is an error of its own (QA DY)."""
    others = [n for n in others if abs(n) <= MAX_NUMBER]
    if not _THOUSANDS_LOOKING.match(text.strip()) or not others or not all(float(n).is_integer() for n in others):
        return None
    smallest = min(others, key=abs)
    if abs(smallest) < 100 * abs(value):
        return None
    shown = f"{abs(smallest):.0f}"
    signs = {n < 0 for n in others}
    return (f"whole numbers from -{shown} down" if signs == {True} else f"whole numbers from {shown} up" if signs == {False}
            else f"whole numbers of {shown} or more either side of 0")


def _thousands_in_line(fields: Fields, path: tuple, what: str, written: str, value: float, others: list[float], rewrite: str) -> None:
    """A warning at a target, threshold or guardrail written like '1.200' beside values all a hundred
    times as large or more (thousands_among); ``rewrite`` is the line as it would be written with the
    thousands' digits."""
    among = thousands_among(written, value, others)
    if among:
        fields.report.warning(fields.doc.path, fields.doc.line(*path), f"{what} is read as {value:g} ('.' is the decimal point), but the values it is "
                              f"compared with are {among}: it may be {written.replace('.', '')} written with a thousands separator",
                              f"write {rewrite} if that is meant: okrsite reads no thousands separator; if {value:g} is right, write it {_unmistaken(written, value)} to say so")


def _unmistaken(written: str, value: float) -> str:
    """``value`` written so that it does not look like thousands (12.345 → 12.3450, 1.200 → 1.2)."""
    shown = f"{value:g}"
    return shown if shown != written and not _THOUSANDS_LOOKING.match(shown) else written + "0"


def _thousands_in_kpi(fields: Fields, meta: dict, judged: dict[str, Any], threshold: float | None, values: list[DataPoint]) -> None:
    """The target and threshold of a KPI written like '1.200' (at least 1.200) among values of 1100 and 1150."""
    numbers = [p.value for p in values]
    target = meta.get("target")
    if judged["target"] is not None and isinstance(target, str):
        digits = number_as_written(target)
        if digits:
            _thousands_in_line(fields, ("target",), f"the target {quoted(judged['target_text'])}", digits, judged["target"], numbers,
                               "target: " + clean_text(target).replace(digits, digits.replace(".", ""), 1))
    elif judged["target"] is not None and isinstance(target, float):
        _thousands_in_line(fields, ("target",), f"target: {str(target)}", str(target), judged["target"], numbers, f"target: {str(target).replace('.', '')}")
    written = meta.get("threshold")
    if threshold is not None and isinstance(written, float):
        _thousands_in_line(fields, ("threshold",), f"threshold: {str(written)}", str(written), threshold, numbers, f"threshold: {str(written).replace('.', '')}")


def _secrecy_columns(report: Report, csv_name: str, rows: list) -> None:
    """A column named `confidential` or `private` that says yes is not read: an error at its first yes."""
    told: set[str] = set()
    for row in rows:
        for column, cell in row.rest:
            unread = unread_secrecy(column, cell, "csv") if column not in told else None
            if unread:
                told.add(column)
                report.error(csv_name, row.line, *unread)


def _missing_csv_hint(data: str, files: list[str]) -> str:
    """Did you mean the file named so in another case or Unicode form (and how it differs), else the nearest."""
    other = same_name_otherwise(data, files)
    if other:
        name, how = other
        return f"did you mean '{name}'? Its name {how}"
    return _did_you_mean_file(data, files) or "check the path; it is relative to the site root, e.g. data/mrr.csv"


def _did_you_mean_file(data: str, files: list[str]) -> str:
    """did_you_mean among the CSV files, by what their paths differ in: every one shares 'data/' and
    '.csv', which made 'data/nps.csv' the nearest of 'data/missing.csv' (QA EI)."""
    def bare(path: str) -> str:
        path = path.removeprefix("data/")
        return path[:-4] if path.lower().endswith(".csv") else path

    named = {bare(f): f for f in files}
    meant = nearest(bare(data), named)
    return f"did you mean '{named[meant]}'?" if meant is not None else ""


def _csv_files(root: Path) -> list[str]:
    data = root / "data"
    return [p.relative_to(root).as_posix() for p in data.rglob("*") if p.suffix.lower() == ".csv" and p.is_file()] if data.is_dir() else []


def parse_team(doc: SourceDoc, report: Report) -> Team:
    fields = Fields(doc, report)
    meta, read = doc.meta, fields.attempt
    fields.unknown_keys(meta, TEAM_KEYS, place="team", quiet=_said_of_another_kind(doc))
    _placeholders(fields, "team")
    ident = doc_id(doc, fields)
    return Team(
        id=ident, title=read(fields.text, meta, "title", required=True, what="the team's name") or ident, doc=doc,
        parent=read(fields.name, meta, "parent"), lead=read(fields.name, meta, "lead"),
        members=read(fields.ids, meta, "members", free_names=True, default=()),
    )


def _said_of_another_kind(doc: SourceDoc) -> set[str]:
    """The keys of another kind in a file of its folder's kind, said once as it was read (load.py:
    a KPI's front matter in content/objectives/): none of them is an unknown key of its own."""
    other = kind_its_keys_tell(doc.kind, doc.meta)
    return KIND_KEYS[other] - KIND_KEYS[doc.kind] if other else set()


def parse_page(doc: SourceDoc, report: Report) -> Page:
    fields = Fields(doc, report)
    meant = KIND_KEYS.get(_meant_kind(doc, report), set())
    fields.unknown_keys(doc.meta, PAGE_KEYS, place="page", quiet=meant)
    ident = doc_id(doc, fields)
    title = fields.attempt(fields.text, doc.meta, "title")
    if title:
        return Page(id=ident, title=title, doc=doc)
    heading = heading_title(doc.body)
    if heading is not None:
        return Page(id=ident, title=heading[0], doc=doc, heading=heading[1])
    return Page(id=ident, title=file_title(PurePosixPath(doc.path).stem), doc=doc)


def file_title(stem: str) -> str:
    """A page's title from its file name: 'how-we-work' -> 'How we work'; a name with capitals of its
    own keeps them ('FAQ', 'Q4-OKR-guide' -> 'Q4 OKR guide')."""
    words = stem.replace("-", " ")
    return words if words != words.lower() else words.capitalize()


def _meant_kind(doc: SourceDoc, report: Report) -> str | None:
    """The kind a plain page without 'type:' was most likely meant to be, warned about once: an
    objective written under content/goals/ would otherwise become a page with each key 'unknown',
    and the hint that fixes it (add 'type:') said nowhere. Its kind's keys get no warning of their own.
    One key alone ('tags:', 'owner:' on a page) tells no kind: it stays an unknown key."""
    if "type" in doc.meta:
        return None
    theirs = {kind: [k for k in doc.meta if isinstance(k, str) and k in keys and k not in PAGE_KEYS] for kind, keys in KIND_KEYS.items()}
    kind = max(KIND_KEYS, key=lambda k: len(theirs[k]))
    if len(theirs[kind]) < 2:
        return None
    one, many = KIND_WORDS[kind]
    folder = next(f for f, k in KIND_FOLDERS.items() if k == kind)
    report.warning(doc.path, doc.line(theirs[kind][0]),
                   f"read as a plain page, yet it has keys of {one} ({', '.join(repr(k) for k in theirs[kind][:4])}): "
                   f"only files under content/{folder}/ or with 'type: {kind}' are {many}",
                   f"add 'type: {kind}' to its front matter, or move it under content/{folder}/")
    return kind
