"""Front matter to model: check each key's type and turn a SourceDoc into an Objective, KPI, Team or Page."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .config import Settings
from .diagnostics import Report, did_you_mean
from .formats import NUMBER_FORMATS, clean_text, drop_controls
from .load import SourceDoc, read_csv
from .model import ID_SHAPE, KPI, DataPoint, KeyResult, Objective, Page, Period, Team, slugify
from .periods import PERIOD_FORMS, PeriodError, parse_period, to_date

COMMON_KEYS = {"type", "id", "title"}
OBJECTIVE_KEYS = COMMON_KEYS | {"period", "owner", "parent", "kind", "status", "kpis", "tags", "key_results", "score", "retro", "follows"}
KR_KEYS = {"id", "title", "start", "target", "current", "unit", "done", "kpi", "weight", "history", "owner", "progress", "format"}
POINT_KEYS = {"date", "value", "note"}
KPI_KEYS = COMMON_KEYS | {"owner", "unit", "direction", "target", "threshold", "category", "indicator", "frequency", "source", "data", "values", "objectives", "tags", "format"}
TEAM_KEYS = COMMON_KEYS | {"parent", "lead", "members"}
PAGE_KEYS = COMMON_KEYS | {"description"}
MANUAL_STATUSES = ("on-track", "at-risk", "off-track", "achieved", "missed", "cancelled")
DIRECTIONS = ("up", "down")
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly")
INDICATORS = ("leading", "lagging")
OBJECTIVE_KINDS = ("committed", "aspirational")
MAX_NUMBER = 1e15  # beyond this, differences and ratios lose all precision
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class Missing(Exception):
    """A value was wrong; the Fields reader has already reported it."""


class Fields:
    """Reads typed values out of one document's front matter, reporting problems with their lines."""

    def __init__(self, doc: SourceDoc, report: Report) -> None:
        self.doc, self.report = doc, report

    def error(self, path: tuple, message: str, hint: str = "") -> None:
        self.report.error(self.doc.path, self.doc.line(*path), message, hint)

    def unknown_keys(self, mapping: dict, known: set[str], path: tuple = (), what: str = "key") -> None:
        for key in mapping:
            if key not in known:
                written = key if isinstance(key, str) else _as_written(key)
                hint = did_you_mean(written, known) if isinstance(key, str) else ""
                self.report.warning(self.doc.path, self.doc.line(*path, key), f"unknown {what} '{written}'", hint or "known keys: " + ", ".join(sorted(known)))

    def get(self, mapping: dict, key: str, path: tuple, required: bool, what: str) -> Any:
        value = mapping.get(key)
        if value is None and required:
            self.error(path, f"missing required field '{key}'", f"add '{key}: ...' ({what})")
            raise Missing
        return value

    def text(self, mapping: dict, key: str, path: tuple = (), required: bool = False, what: str = "text") -> str | None:
        value = self.get(mapping, key, path, required, what)
        if value is None:
            return None
        if isinstance(value, (dict, list)) or isinstance(value, bool):
            self.error(path + (key,), f"'{key}' must be {what}, not {_type_name(value)}", f"write it as {key}: some text")
            raise Missing
        text = clean_text(value)
        if not text and required:
            self.error(path + (key,), f"'{key}' is empty", f"write {what} after '{key}:'")
            raise Missing
        return text or None

    def number(self, mapping: dict, key: str, path: tuple = (), required: bool = False) -> float | None:
        value = self.get(mapping, key, path, required, "a number")
        if value is None:
            return None
        number = _finite_float(value)
        if number is None:
            shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
            self.error(path + (key,), f"'{key}' must be a number, not {shown}", "write a plain number without quotes, units or thousands separators, e.g. 1300")
            raise Missing
        return number

    def choice(self, mapping: dict, key: str, choices: tuple[str, ...], default: str | None, path: tuple = ()) -> str | None:
        value = mapping.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or value not in choices:
            hint = did_you_mean(str(value), choices) or "use one of: " + ", ".join(choices)
            self.error(path + (key,), f"'{key}' must be one of {', '.join(choices)}, not '{value}'", hint)
            raise Missing
        return value

    def ids(self, mapping: dict, key: str, path: tuple = ()) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or any(isinstance(v, (dict, list, bool)) or v is None for v in value):
            self.error(path + (key,), f"'{key}' must be a list of names or ids", f"write {key}: [first, second]")
            raise Missing
        return tuple(str(v).strip() for v in value)

    def date(self, mapping: dict, key: str, path: tuple) -> date:
        value = self.get(mapping, key, path, True, "a date like 2026-10-07")
        parsed = to_date(value)
        if parsed is None:
            self.error(path + (key,), f"'{key}' must be a date like 2026-10-07, not {value!r}", "write the date as YYYY-MM-DD")
            raise Missing
        return parsed

    def mapping_list(self, mapping: dict, key: str, path: tuple = ()) -> list[dict]:
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(path + (key,), f"'{key}' must be a list of entries, each with its own keys", f"write each entry of '{key}' on a line starting with '- '")
            raise Missing
        return value

    def attempt(self, read, *args, default=None, **kwargs):
        """Read one value; on a reported problem carry on with ``default`` so every error is found."""
        try:
            return read(*args, **kwargs)
        except Missing:
            return default


def _as_written(value: Any) -> str:
    """A non-text YAML key as it appears in the file (None -> 'null', True -> 'true')."""
    try:
        return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()
    except yaml.YAMLError:
        return str(value)


def _finite_float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) and abs(number) <= MAX_NUMBER else None


def _type_name(value: Any) -> str:
    return {dict: "a set of keys", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)


def default_id(doc: SourceDoc) -> str:
    return slugify(PurePosixPath(doc.path).stem)


def doc_id(doc: SourceDoc, fields: Fields) -> str:
    value = doc.meta.get("id")
    if value is None:
        return default_id(doc)
    if isinstance(value, (dict, list, bool)) or not ID_SHAPE.match(str(value).strip()):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        fields.error(("id",), f"'id' must be a short name like expand-customer-base, not {shown}", "use letters, digits, '-' and '_' only (at most 100)")
        return default_id(doc)
    return str(value).strip()


def _points(fields: Fields, mapping: dict, key: str, path: tuple) -> tuple[DataPoint, ...]:
    points = []
    for index, entry in enumerate(fields.attempt(fields.mapping_list, mapping, key, path, default=[])):
        where = path + (key, index)
        fields.unknown_keys(entry, POINT_KEYS, where)
        when = fields.attempt(fields.date, entry, "date", where)
        value = fields.attempt(fields.number, entry, "value", where, required=True)
        note = fields.attempt(fields.text, entry, "note", where) or ""
        if when is not None and value is not None:
            points.append(DataPoint(when, value, note))
    return tuple(sorted(points, key=lambda p: p.date))


NO_TARGET_HINT = ("add 'target: <number>' (a number to reach, with 'current:' or 'kpi: <KPI id>'), "
                  "'done: false' (a milestone) or 'progress: 0.0–1.0' (an estimate)")


def parse_key_result(fields: Fields, entry: dict, index: int, objective_id: str, owner: str) -> KeyResult | None:
    path = ("key_results", index)
    fields.unknown_keys(entry, KR_KEYS, path)
    read = fields.attempt
    title = read(fields.text, entry, "title", path, required=True, what="what this key result measures")
    kr_id = read(fields.text, entry, "id", path) or f"{objective_id}-kr{index + 1}"
    start = read(fields.number, entry, "start", path)
    target = read(fields.number, entry, "target", path)
    current = read(fields.number, entry, "current", path)
    manual = read(fields.number, entry, "progress", path)
    weight = read(fields.number, entry, "weight", path)
    done = entry.get("done")
    kpi = read(fields.text, entry, "kpi", path)
    history = _points(fields, entry, "history", path)
    if done is not None and not isinstance(done, bool):
        fields.error(path + ("done",), f"'done' must be true or false, not {done!r}", "write done: true or done: false")
    if weight is not None and weight <= 0:
        fields.error(path + ("weight",), f"'weight' must be above 0, not {weight:g}", "use 1 for a normal key result, 2 for one that counts double")
    if manual is not None and not 0 <= manual <= 1:
        fields.error(path + ("progress",), f"'progress' must be between 0.0 and 1.0, not {manual:g}", "write 0.4 for 40 %")
    if target is not None:
        form = "numeric"
        for key in ("done", "progress"):
            if key in entry:
                fields.report.warning(fields.doc.path, fields.doc.line(*path, key), f"'{key}' is ignored on a key result with a target", f"remove '{key}', or remove 'target' to make it a {'milestone' if key == 'done' else 'estimated'} key result")
        if target == (start or 0.0):
            fields.error(path + ("target",), f"target equals start ({target:g}): progress cannot be measured", "set a target different from the start value (a target below start is a decreasing metric)")
    elif isinstance(done, bool):
        form = "binary"
    elif manual is not None:
        form = "manual"
    elif "target" in entry:
        return None  # its target has an error already
    else:
        fields.error(path, f"key result {index + 1} has no target", NO_TARGET_HINT)
        return None
    return KeyResult(
        id=kr_id, index=index, title=title or kr_id, form=form,
        owner=read(fields.text, entry, "owner", path) or owner,
        start=start or 0.0, target=target, current=current,
        unit=read(fields.text, entry, "unit", path), done=done is True,
        manual_progress=manual, kpi=kpi, weight=weight if weight and weight > 0 else 1.0, history=history,
        number_format=read(fields.choice, entry, "format", NUMBER_FORMATS, None, path),
    )


def parse_objective(doc: SourceDoc, settings: Settings, report: Report) -> Objective:
    fields = Fields(doc, report)
    meta, read = doc.meta, fields.attempt
    fields.unknown_keys(meta, OBJECTIVE_KEYS)
    ident = doc_id(doc, fields)
    title = read(fields.text, meta, "title", required=True, what="the objective in a few words")
    owner = read(fields.text, meta, "owner", required=True, what="a team id or a person's name") or ""
    period = _period(fields, meta, settings)
    key_results = []
    for index, entry in enumerate(read(fields.mapping_list, meta, "key_results", default=[])):
        kr = parse_key_result(fields, entry, index, ident, owner)
        if kr is not None:
            key_results.append(kr)
    return Objective(
        id=ident, title=title or ident, period=period, owner=owner, doc=doc,
        parent=read(fields.text, meta, "parent"),
        kind=read(fields.choice, meta, "kind", OBJECTIVE_KINDS, settings.default_kind) or settings.default_kind,
        status=read(fields.choice, meta, "status", MANUAL_STATUSES, None),
        kpis=read(fields.ids, meta, "kpis", default=()),
        tags=read(fields.ids, meta, "tags", default=()),
        key_results=tuple(key_results),
        score=read(_score, fields, meta), retro=read(_retro, fields, meta),
        follows=read(fields.text, meta, "follows"),
    )


def _score(fields: Fields, meta: dict) -> float | None:
    score = fields.number(meta, "score")
    if score is not None and not 0 <= score <= 1:
        fields.error(("score",), f"'score' must be between 0.0 and 1.0, not {score:g}", "write the grade you give the objective, e.g. score: 0.6 (0.7-1.0 is a good result)")
        raise Missing
    return score


def _retro(fields: Fields, meta: dict) -> str | None:
    """Markdown kept as written (line breaks matter), only checked to be text."""
    value = meta.get("retro")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        fields.error(("retro",), f"'retro' must be text, not {_type_name(value)}", "write it as a block: 'retro: |' and the text indented on the next lines")
        raise Missing
    return drop_controls(value).strip()


def _period(fields: Fields, meta: dict, settings: Settings) -> Period | None:
    value = meta.get("period", settings.default_period)
    if value is None:
        fields.error((), "missing required field 'period'", "add 'period: 2026-Q4', or set default_period in okrsite.toml")
        return None
    try:
        return parse_period(value, settings.periods)
    except PeriodError as exc:
        hint = did_you_mean(str(value), settings.periods) or f"use {PERIOD_FORMS}"
        fields.error(("period",), str(exc), hint)
        return None


def parse_kpi(doc: SourceDoc, root: Path, report: Report) -> KPI:
    fields = Fields(doc, report)
    meta, read = doc.meta, fields.attempt
    fields.unknown_keys(meta, KPI_KEYS)
    ident = doc_id(doc, fields)
    data = read(fields.text, meta, "data")
    inline = _points(fields, meta, "values", ())
    from_csv = _csv_points(fields, root, data) if data else ()
    by_date = {p.date: p for p in from_csv}
    by_date.update({p.date: p for p in inline})
    return KPI(
        id=ident, title=read(fields.text, meta, "title", required=True, what="the name of the metric") or ident,
        owner=read(fields.text, meta, "owner", required=True, what="a team id or a person's name") or "",
        doc=doc, unit=read(fields.text, meta, "unit"),
        direction=read(fields.choice, meta, "direction", DIRECTIONS, "up") or "up",
        target=read(fields.number, meta, "target"), threshold=read(fields.number, meta, "threshold"),
        category=read(fields.text, meta, "category"),
        indicator=read(fields.choice, meta, "indicator", INDICATORS, None),
        frequency=read(fields.choice, meta, "frequency", FREQUENCIES, "monthly") or "monthly",
        source=read(fields.text, meta, "source"), data=data,
        values=tuple(sorted(by_date.values(), key=lambda p: p.date)),
        objectives=read(fields.ids, meta, "objectives", default=()),
        number_format=read(fields.choice, meta, "format", NUMBER_FORMATS, None),
    )


def _csv_points(fields: Fields, root: Path, data: str) -> tuple[DataPoint, ...]:
    """Points of a KPI's CSV file; its path must stay inside the site root."""
    relpath = PurePosixPath(data.replace("\\", "/"))
    if relpath.is_absolute() or data.startswith("/") or (len(data) > 1 and data[1] == ":"):
        fields.error(("data",), f"data path '{data}' is absolute", "write the path relative to the site root, e.g. data/mrr.csv")
        return ()
    try:
        resolved = (root / relpath).resolve()
        if ".." in relpath.parts or not resolved.is_relative_to(root.resolve()):
            fields.error(("data",), f"data path '{data}' leads outside the site root", "keep CSV files inside the site, e.g. data/mrr.csv")
            return ()
        if not resolved.is_file():
            hint = did_you_mean(data, _csv_files(root)) or "check the path; it is relative to the site root, e.g. data/mrr.csv"
            fields.error(("data",), f"data file '{data}' does not exist", hint)
            return ()
        rows, problems = read_csv(root, str(relpath))
    except (OSError, ValueError) as exc:
        fields.error(("data",), f"data file '{data[:80]}' cannot be read: {getattr(exc, 'strerror', None) or exc}", "write a short path to a CSV file inside the site, e.g. data/mrr.csv")
        return ()
    csv_name = relpath.as_posix()
    for line, message, hint in problems:
        fields.report.error(csv_name, line, message, hint)
    points = []
    for row in rows:
        when = to_date(row.date)
        value = _finite_float(float(row.value)) if PLAIN_NUMBER.match(row.value) else None
        if when is None:
            fields.report.error(csv_name, row.line, f"bad date '{row.date}' in CSV row", "write dates as YYYY-MM-DD")
        elif value is None:
            fields.report.error(csv_name, row.line, f"value '{row.value}' is not a number", "write a plain number, e.g. 46500 (no units or thousands separators)")
        else:
            points.append(DataPoint(when, value))
    return tuple(points)


def _csv_files(root: Path) -> list[str]:
    data = root / "data"
    return [p.relative_to(root).as_posix() for p in data.rglob("*.csv")] if data.is_dir() else []


def parse_team(doc: SourceDoc, report: Report) -> Team:
    fields = Fields(doc, report)
    meta, read = doc.meta, fields.attempt
    fields.unknown_keys(meta, TEAM_KEYS)
    ident = doc_id(doc, fields)
    return Team(
        id=ident, title=read(fields.text, meta, "title", required=True, what="the team's name") or ident, doc=doc,
        parent=read(fields.text, meta, "parent"), lead=read(fields.text, meta, "lead"),
        members=read(fields.ids, meta, "members", default=()),
    )


def parse_page(doc: SourceDoc, report: Report) -> Page:
    fields = Fields(doc, report)
    fields.unknown_keys(doc.meta, PAGE_KEYS)
    ident = doc_id(doc, fields)
    title = fields.attempt(fields.text, doc.meta, "title") or PurePosixPath(doc.path).stem.replace("-", " ").capitalize()
    return Page(id=ident, title=title, doc=doc)
