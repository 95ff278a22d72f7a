#!/usr/bin/env python3
"""Make a git repository whose history is a plausible quarter of OKR check-ins.

    python3 docs/examples/example_history.py DEST [--source DIR]

DEST (which must not exist, or be empty) becomes a new git repository holding a copy of the example
goals repository (okrsite.toml, content/, data/). Its history tells how the goals got there:

* Planning commits (late June for Q3, late September for Q4) add the teams, the KPIs and the
  objectives. Key results start at their baseline: ``current:`` is the ``start`` value (else 0),
  ``done:`` is false and ``progress:`` is low; KPI values and CSV rows stop at the day of the commit.
  Everything else is as in the final files, except what could not exist yet: a KPI's
  ``objectives:`` lists only objectives that exist, a body stops before the first paragraph that
  links to a file added later, a manual ``status:`` comes later, and ``score:`` and ``retro:`` (the
  self-assessment of a finished quarter) are written in one commit a week after the quarter's end.
* A key result's ``history:`` list is in the file from the start, as written: its entries are dated
  check-ins already, so only ``current:``, ``done:`` and ``progress:`` lines move in the history.
* Weekly-ish check-ins by each objective's owner (a person, or the lead of the owning team) move
  every ``current:`` toward its final value, flip ``done:`` and raise ``progress:``; KPI owners
  append values and CSV rows in date order, a few days after each measurement.
* One objective is planned under a draft file name and renamed (``git mv``) a few days later; a
  status is set by hand; bodies grow in commits that touch nothing else; two objectives of the
  running quarter get no number changes after late October, so they are stale on ``as_of``.

Values are edited as text, on their own lines, so the YAML keeps its formatting. The last commit
leaves the work tree byte-identical to the source, except for one line: the example in okrsite's
repository turns the history off (``git_history = false``: there it is okrsite's development), and
the copy turns it on (``git_history = true``). The script checks that before it ends. The same
source always gives the same commits (dates, authors and messages are fixed, so even the hashes).

Standard library only. Try it with:  okrsite serve DEST
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import math
import os
import re
import subprocess
import sys
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

EMAIL_DOMAIN = "tidewater.example"
TIMEZONE = "+0000"
DAYS_OF_HISTORY = 161                 # the first commit is at most this many days before as_of
STALE_AFTER_DAYS = 28                 # stale objectives' last number change: as_of minus this
# Story choices for the example; the script falls back to rules for other content.
PREFERRED_STALE = ("build-enterprise-pipeline", "ship-with-confidence")
PREFERRED_RENAME = ("ship-with-confidence",)

TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(.*)$")
ITEM_START = re.compile(r"^( *)-( +|$)")
ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")
PHASES = {"setup": 0, "kpi": 1, "objective": 2, "rename": 3, "checkin": 4, "status": 5, "body": 6, "retro": 7}
CLOSING_KEYS = ("score", "retro")       # a finished period's self-assessment: written after it ends


# ---------------------------------------------------------------------------------------------
# Small helpers


def stable_hash(*parts: object) -> int:
    """The same number on every machine and run (unlike hash())."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100].strip("-") or "item"


def history_on(settings: bytes) -> bytes:
    """okrsite.toml with a `git_history = false` line turned on: in the copy, the history is the story."""
    return re.sub(rb"(?m)^([ \t]*)git_history[ \t]*=[ \t]*false\b", rb"\1git_history = true", settings)


def email_of(name: str) -> str:
    return slugify(name).replace("-", ".") + "@" + EMAIL_DOMAIN


def split_lines(text: str) -> list[str]:
    """Lines with their '\\n' (only '\\n' splits: the text is rebuilt byte for byte)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def bare(line: str) -> str:
    return line.rstrip("\n").rstrip("\r")


def unquote(value: str) -> str:
    value = value.strip()
    if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
        return value[1:-1]
    return re.sub(r"\s+#.*$", "", value).strip()


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def format_number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return "0" if decimals == 0 and text == "-0" else text


def decimals_of(*texts: str) -> int:
    return max((len(m[1]) if (m := NUMBER.match(t)) and m[1] else 0) for t in texts)


# ---------------------------------------------------------------------------------------------
# Files as final lines plus overrides: an intermediate version replaces or removes some lines


class FrontMatter:
    """Where the top-level keys, list items and the body sit, found line by line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.end: int | None = None
        if lines and bare(lines[0]).lstrip("\ufeff").rstrip() == "---":
            for index in range(1, len(lines)):
                if bare(lines[index]).rstrip() in ("---", "..."):
                    self.end = index
                    break
        self.top: dict[str, int] = {}
        for index in range(1, self.end or 0):
            match = TOP_KEY.match(bare(lines[index]))
            if match:
                self.top.setdefault(match[1], index)

    @property
    def body_start(self) -> int:
        return self.end + 1 if self.end is not None else 0

    def block(self, key: str) -> range:
        """The key's line and every line up to the next top-level key."""
        first = self.top.get(key)
        if first is None:
            return range(0)
        last = first + 1
        while last < (self.end or 0) and not TOP_KEY.match(bare(self.lines[last])):
            last += 1
        return range(first, last)

    def scalar(self, key: str) -> str | None:
        index = self.top.get(key)
        if index is None:
            return None
        value = unquote(TOP_KEY.match(bare(self.lines[index]))[2])
        return value or None

    def items(self, key: str) -> list[range]:
        """Line ranges of the block-style list items under a top-level key."""
        block = self.block(key)
        starts, indent = [], None
        for index in block[1:]:
            match = ITEM_START.match(bare(self.lines[index]))
            if match and (indent is None or len(match[1]) == indent):
                indent = len(match[1])
                starts.append(index)
        return [range(start, starts[n + 1] if n + 1 < len(starts) else block.stop) for n, start in enumerate(starts)]

    def list_values(self, key: str) -> list[str]:
        index = self.top.get(key)
        if index is None:
            return []
        value = TOP_KEY.match(bare(self.lines[index]))[2].strip()
        if value.startswith("["):
            inner = value[1 : value.rfind("]")] if "]" in value else value[1:]
            return [unquote(v) for v in inner.split(",") if unquote(v)]
        values = []
        for item in self.items(key):
            text = ITEM_START.sub("", bare(self.lines[item.start]), count=1)
            if text.strip():
                values.append(unquote(text))
        return values

    def item_keys(self, item: range) -> dict[str, int]:
        """key -> line of the keys of one block-style mapping item."""
        first = bare(self.lines[item.start])
        match = ITEM_START.match(first)
        column = len(match[1]) + 1 + len(match[2])
        keys: dict[str, int] = {}
        head = TOP_KEY.match(first[column:])
        if head:
            keys[head[1]] = item.start
        for index in item[1:]:
            line = bare(self.lines[index])
            if len(line) - len(line.lstrip(" ")) == column:
                key = TOP_KEY.match(line[column:])
                if key:
                    keys.setdefault(key[1], index)
        return keys

    def item_scalar(self, item: range, key: str) -> str | None:
        index = self.item_keys(item).get(key)
        if index is None:
            return None
        line = bare(self.lines[index])
        return unquote(line.split(":", 1)[1]) if ":" in line else None


class FileState:
    """One file of the goals repository: final bytes, and how the current version differs."""

    def __init__(self, rel: str, raw: bytes) -> None:
        self.rel, self.raw, self.path = rel, raw, rel
        self.present = False
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        self.lines = split_lines(text) if text is not None else None
        self.fm = FrontMatter(self.lines) if self.lines is not None and rel.endswith(".md") else None
        self.overrides: dict[int, str | None] = {}     # line index -> replacement, None = left out

    def content(self) -> bytes:
        if not self.overrides:
            return self.raw
        out = []
        for index, line in enumerate(self.lines):
            if index in self.overrides:
                if self.overrides[index] is not None:
                    out.append(self.overrides[index])
            else:
                out.append(line)
        return "".join(out).encode("utf-8")

    def set_lines(self, indices, replacement: str | None) -> None:
        for index in indices:
            self.overrides[index] = replacement

    def reset_lines(self, indices) -> None:
        for index in indices:
            self.overrides.pop(index, None)

    def value_line(self, index: int, value: str) -> str:
        """The line at ``index`` with its value replaced (key, indentation, comment and EOL kept)."""
        line = self.lines[index]
        match = re.match(r"^(\s*(?:-\s+)?[A-Za-z_][\w-]*\s*:[ \t]*)(.*?)([ \t]+#.*)?(\r?\n?)$", line, re.DOTALL)
        return match[1] + value + (match[3] or "") + match[4]

    def set_value(self, index: int, value: str, final: str) -> None:
        if value == final:
            self.overrides.pop(index, None)
        else:
            self.overrides[index] = self.value_line(index, value)

    def current_value(self, index: int) -> str:
        line = self.overrides.get(index, self.lines[index])
        return unquote(bare(line).split(":", 1)[1])


# ---------------------------------------------------------------------------------------------
# The goals repository as read from the source


@dataclass
class Period:
    ident: str
    start: date
    end: date


@dataclass
class SteppedLine:
    """A key result's current:, done: or progress: line, with the values it moves through."""

    line: int
    kind: str            # current | done | progress
    final: str
    initial: str
    kr_title: str
    unit: str
    author: str


@dataclass
class Entity:
    ident: str
    kind: str            # page | team | kpi | objective | file
    state: FileState
    title: str = ""
    owner: str = ""
    author: str = ""
    hard_refs: set[str] = field(default_factory=set)
    link_paragraphs: list[tuple[int, set[str]]] = field(default_factory=list)  # (first line, targets)
    period: Period | None = None
    day: date | None = None
    rank: tuple = ()
    csv: FileState | None = None
    children: list[str] = field(default_factory=list)
    body_cut: int | None = None          # first line left out of the body, while it is short
    shown_until: date = date.min         # a KPI's values are shown up to this day
    stepped: list | None = None          # an objective's SteppedLines


class Source:
    def __init__(self, root: Path) -> None:
        self.root = root
        files = [root / "okrsite.toml"]
        for folder in ("content", "data"):
            files += sorted(p for p in (root / folder).rglob("*") if p.is_file())
        self.files = {p.relative_to(root).as_posix(): FileState(p.relative_to(root).as_posix(), p.read_bytes()) for p in files}
        self.files["okrsite.toml"] = FileState("okrsite.toml", history_on(self.files["okrsite.toml"].raw))
        settings = tomllib.loads(self.files["okrsite.toml"].raw.decode("utf-8"))
        if settings.get("git_history") is False:
            raise SystemExit("okrsite.toml turns git_history off in a way this script cannot undo: write it as 'git_history = false' on its own line")
        as_of = settings.get("as_of")
        self.as_of: date = as_of if isinstance(as_of, date) else date(2026, 11, 23)
        self.default_period = settings.get("default_period")
        self.named_periods = {
            name: Period(name, spec["start"], spec["end"])
            for name, spec in (settings.get("periods") or {}).items()
            if isinstance(spec, dict) and isinstance(spec.get("start"), date) and isinstance(spec.get("end"), date)
        }
        self.entities: dict[str, Entity] = {}
        self.by_path: dict[str, Entity] = {}
        for rel, state in self.files.items():
            entity = self._entity(rel, state)
            self.by_path[rel] = entity
            if entity.kind != "file":
                self.entities.setdefault(entity.ident, entity)
        self.teams = {i: e for i, e in self.entities.items() if e.kind == "team"}
        for entity in self.entities.values():
            self._describe(entity)

    def _entity(self, rel: str, state: FileState) -> Entity:
        if state.fm is None or not rel.startswith("content/"):
            return Entity(rel, "file", state)
        parts = rel.split("/")
        kind = {"objectives": "objective", "kpis": "kpi", "teams": "team"}.get(parts[1], "page") if len(parts) > 2 else "page"
        declared = state.fm.scalar("type")
        if declared in ("objective", "kpi", "team", "page"):
            kind = declared
        ident = state.fm.scalar("id") or slugify(Path(rel).stem)
        return Entity(ident, kind, state, title=state.fm.scalar("title") or ident)

    def period(self, text: str | None) -> Period | None:
        if text is None:
            return None
        if text in self.named_periods:
            return self.named_periods[text]
        match = re.match(r"^(\d{4})(?:-(?:[Qq]([1-4])|[Hh]([12])|(\d{2})))?$", text.strip())
        if not match:
            return None
        year = int(match[1])
        first, months = (1, 12)
        if match[2]:
            first, months = 3 * int(match[2]) - 2, 3
        elif match[3]:
            first, months = 6 * int(match[3]) - 5, 6
        elif match[4]:
            first, months = int(match[4]), 1
        last_month = first + months - 1
        after = date(year + (last_month == 12), last_month % 12 + 1, 1)
        return Period(text, date(year, first, 1), after - timedelta(days=1))

    def person(self, owner: str) -> str:
        """The person who writes an owner's check-ins: the team's lead, or the named person."""
        team = self.teams.get(owner)
        if team is None:
            return owner
        fm = team.state.fm
        return fm.scalar("lead") or next(iter(fm.list_values("members")), "") or team.title

    def _describe(self, entity: Entity) -> None:
        fm = entity.state.fm
        entity.owner = fm.scalar("owner") or ""
        if entity.kind == "team":
            entity.author = self.person(entity.ident)
            if fm.scalar("parent"):
                entity.hard_refs.add(fm.scalar("parent"))
        elif entity.kind in ("kpi", "objective"):
            entity.author = self.person(entity.owner) if entity.owner else ""
            if entity.owner in self.teams:
                entity.hard_refs.add(entity.owner)
        if entity.kind == "objective":
            entity.period = self.period(fm.scalar("period") or self.default_period)
            if fm.scalar("parent"):
                entity.hard_refs.add(fm.scalar("parent"))
            entity.hard_refs.update(fm.list_values("kpis"))
            for item in fm.items("key_results"):
                for key in ("kpi", "owner"):
                    value = fm.item_scalar(item, key)
                    if value and (key == "kpi" or value in self.teams):
                        entity.hard_refs.add(value)
        if entity.kind == "kpi" and fm.scalar("data"):
            entity.csv = self.files.get(fm.scalar("data").replace("\\", "/").removeprefix("./"))
        entity.link_paragraphs = self._paragraph_links(entity.state)

    @staticmethod
    def _paragraph_links(state: FileState) -> list[tuple[int, set[str]]]:
        """(first line, link targets) of each paragraph of the body, outside code."""
        paragraphs: list[tuple[int, set[str]]] = []
        fence, start, targets = None, None, set()
        for index in range(state.fm.body_start, len(state.lines)):
            line = bare(state.lines[index])
            marker = re.match(r"^\s*(```|~~~)", line)
            if fence is None and not line.strip():
                if start is not None:
                    paragraphs.append((start, targets))
                start, targets = None, set()
                continue
            if start is None:
                start = index
            if marker and (fence is None or marker[1] == fence):
                fence = None if fence else marker[1]
                continue
            if fence is None and not line.startswith("    "):
                targets.update(m[1].strip() for m in WIKILINK.finditer(re.sub(r"`[^`]*`", "", line)))
        if start is not None:
            paragraphs.append((start, targets))
        return paragraphs


# ---------------------------------------------------------------------------------------------
# The plan: dated changes, grouped into commits


@dataclass
class Change:
    day: date
    phase: str
    author: str
    group: str
    order: tuple
    apply: Callable[[], list[str]]          # changes the files; returns what it did, in words
    subject: str | None = None
    rename: tuple[str, str] | None = None


class Planner:
    def __init__(self, source: Source) -> None:
        self.src = source
        self.as_of = source.as_of
        self.floor = self.as_of - timedelta(days=DAYS_OF_HISTORY)
        self.changes: list[Change] = []
        objectives = [e for e in source.entities.values() if e.kind == "objective"]
        periods = [o.period for o in objectives if o.period]
        first_planning = min((self.planning_days(p)[0] for p in periods), default=self.as_of - timedelta(days=60))
        self.setup_day = self.clamp(first_planning)
        top_teams = sorted(i for i, t in source.teams.items() if not t.hard_refs)
        self.company_author = source.person(top_teams[0]) if top_teams else "Goals Admin"
        self.top_teams = set(top_teams)

    # dates ----------------------------------------------------------------------------------
    def clamp(self, day: date) -> date:
        return min(max(day, self.floor), self.as_of)

    def planning_days(self, period: Period) -> list[date]:
        """Working days from about nine days before a period starts to its second day."""
        first = weekday_on_or_after(period.start - timedelta(days=9))
        return [d for d in days_between(first, period.start + timedelta(days=1)) if d.weekday() < 5]

    def weekday_of(self, author: str) -> int:
        return stable_hash("weekday", author) % 5

    def author_day(self, author: str, day: date) -> date:
        return self.clamp(on_or_after(day, self.weekday_of(author)))

    # the plan --------------------------------------------------------------------------------
    def plan(self) -> list[Change]:
        self.schedule_adds()
        self.plan_adds()
        self.plan_rename()
        self.plan_statuses()
        self.plan_retros()
        self.plan_checkins()
        self.plan_kpi_values()
        self.plan_bodies()
        return self.changes

    def schedule_adds(self) -> None:
        """Day and rank (commit order) at which every file first appears."""
        src = self.src
        for entity in src.by_path.values():
            if entity.kind in ("file", "page") or src.entities.get(entity.ident) is not entity:
                entity.day, entity.rank = self.setup_day, (self.setup_day, 0, 0)   # (a second file with an id is as is)
        for order, ident in enumerate(self.topological([i for i, e in src.entities.items() if e.kind == "team"]), start=1):
            team = src.entities[ident]
            team.day, team.rank = self.setup_day, (self.setup_day, 0, order if team.hard_refs else 0)
        objectives = [e for e in src.entities.values() if e.kind == "objective"]
        far = self.as_of + timedelta(days=365)
        objectives.sort(key=lambda o: (o.period.start if o.period else far, self.depth(o), o.owner not in self.top_teams, o.ident))
        ordered = self.topological([o.ident for o in objectives])
        self.bundled: dict[str, str] = {}     # objective without key results -> first child
        for o in objectives:
            parent = src.entities.get(o.state.fm.scalar("parent") or "")
            if parent and parent.kind == "objective":
                parent.children.append(o.ident)
        for ident in ordered:
            o = src.entities[ident]
            if "key_results" not in o.state.fm.top and o.children:
                first_child = next(c for c in ordered if c in o.children)
                self.bundled[ident] = first_child
        by_period: dict[str, list[Entity]] = {}
        for ident in ordered:
            if ident not in self.bundled:
                o = src.entities[ident]
                by_period.setdefault(o.period.ident if o.period else "", []).append(o)
        for group in by_period.values():
            period = group[0].period
            days = self.planning_days(period)[1:] if period else [self.setup_day]
            days = days or [self.setup_day]
            for n, o in enumerate(group):
                o.day = self.clamp(days[n * len(days) // len(group)])
        for ident in ordered:
            o = src.entities[ident]
            if ident in self.bundled:
                o.day = src.entities[self.bundled[ident]].day
            parent = src.entities.get(o.state.fm.scalar("parent") or "")
            if parent is not None and parent.day is not None and parent.day > o.day:
                o.day = parent.day
        for n, ident in enumerate(ordered):
            o = src.entities[ident]
            position = ordered.index(self.bundled[ident]) if ident in self.bundled else n
            o.rank = (o.day, PHASES["objective"], position)
        for n, kpi in enumerate(sorted((e for e in src.entities.values() if e.kind == "kpi"), key=lambda e: e.ident)):
            needed = [o.day for o in objectives if kpi.ident in o.hard_refs]
            first_value = min(self.kpi_points(kpi).keys(), default=None)
            natural = self.setup_day
            if first_value is not None and first_value > self.setup_day:
                natural = weekday_on_or_after(first_value + timedelta(days=self.lag(kpi)))
            kpi.day = self.clamp(min([natural, *needed]))
            kpi.rank = (kpi.day, PHASES["kpi"], n)

    def topological(self, idents: list[str]) -> list[str]:
        """``idents`` in their order, except that a file comes after the files it needs."""
        done: list[str] = []
        wanted = set(idents)

        def visit(ident: str, trail: tuple) -> None:
            if ident in done or ident in trail:
                return
            for ref in sorted(self.src.entities[ident].hard_refs):
                if ref in wanted:
                    visit(ref, trail + (ident,))
            done.append(ident)

        for ident in idents:
            visit(ident, ())
        return done

    def depth(self, entity: Entity) -> int:
        depth, seen = 0, {entity.ident}
        parent = entity.state.fm.scalar("parent")
        while parent in self.src.entities and parent not in seen and depth < 50:
            seen.add(parent)
            depth += 1
            parent = self.src.entities[parent].state.fm.scalar("parent")
        return depth

    def lag(self, kpi: Entity) -> int:
        return {"daily": 0, "weekly": 1, "monthly": 3, "quarterly": 5}.get(kpi.state.fm.scalar("frequency") or "monthly", 3)

    # KPI values ------------------------------------------------------------------------------
    def kpi_points(self, kpi: Entity) -> dict[date, list[tuple[FileState, range]]]:
        """Date -> where its values sit (inline items and CSV rows)."""
        points: dict[date, list[tuple[FileState, range]]] = {}
        fm = kpi.state.fm
        for item in fm.items("values"):
            match = ISO_DATE.search("".join(kpi.state.lines[i] for i in item))
            if match:
                points.setdefault(self.parse_day(match[1]), []).append((kpi.state, item))
        if kpi.csv is not None and kpi.csv.lines:
            for index in range(1, len(kpi.csv.lines)):
                match = re.match(r"^\s*\"?(\d{4}-\d{2}-\d{2})", kpi.csv.lines[index])
                if match:
                    points.setdefault(self.parse_day(match[1]), []).append((kpi.csv, range(index, index + 1)))
        points.pop(None, None)
        return dict(sorted(points.items()))

    @staticmethod
    def parse_day(text: str) -> date | None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None

    def show_values_until(self, kpi: Entity, cutoff: date) -> list[str]:
        """Leave out the KPI values dated after ``cutoff``; words for the values that appear now."""
        fm = kpi.state.fm
        block = fm.block("values")
        kpi.state.reset_lines(block)
        if kpi.csv is not None:
            kpi.csv.reset_lines(range(len(kpi.csv.lines or [])))
        words, hidden_items = [], 0
        unit = fm.scalar("unit") or ""
        for day, places in self.kpi_points(kpi).items():
            for state, lines in places:
                if day > cutoff:
                    state.set_lines(lines, None)
                    hidden_items += state is kpi.state
                elif day > kpi.shown_until:
                    text = "".join(state.lines[i] for i in lines)
                    match = re.search(r"value:\s*([^,}\s]+)", text) if state is kpi.state else re.match(r"^[^,]*,\s*([^,\s]+)", text)
                    shown = (match[1] + ("" if unit == "%" else " ") + unit).rstrip() if match else "a new value"
                    words.append(f"{kpi.title}: {shown} for {day.isoformat()}")
        items = fm.items("values")
        if items and hidden_items == len(items):
            kpi.state.set_lines(block, None)
        kpi.shown_until = max(kpi.shown_until, cutoff)
        return words

    def kpi_values_change(self, kpi: Entity, cutoff: date) -> Callable[[], list[str]]:
        return lambda: self.show_values_until(kpi, cutoff)

    # adds --------------------------------------------------------------------------------------
    def link_existing_objectives(self) -> list[str]:
        """KPIs list in ``objectives:`` only the objectives that exist (flow or block list)."""
        words = []
        existing = {i for i, e in self.src.entities.items() if e.state.present and e.kind == "objective" and e.state.path == e.state.rel}
        for kpi in self.src.entities.values():
            if kpi.kind != "kpi" or not kpi.state.present or "objectives" not in kpi.state.fm.top:
                continue
            state, fm = kpi.state, kpi.state.fm
            before = state.content()
            block, wanted = fm.block("objectives"), fm.list_values("objectives")
            kept = [v for v in wanted if v in existing]
            state.reset_lines(block)
            if not kept:
                state.set_lines(block, None)
            elif len(kept) < len(wanted):
                line = state.lines[block.start]
                if TOP_KEY.match(bare(line))[2].strip().startswith("["):
                    state.set_lines([block.start], state.value_line(block.start, "[" + ", ".join(kept) + "]"))
                else:
                    for item in fm.items("objectives"):
                        text = unquote(ITEM_START.sub("", bare(state.lines[item.start]), count=1))
                        if text not in kept:
                            state.set_lines(item, None)
            if state.content() != before:
                words.append(f"link KPI {kpi.title} to: {', '.join(kept)}")
        return words

    def truncate_body(self, entity: Entity) -> None:
        """Leave out the body from the first paragraph linking to a file that is added later."""
        later = [start for start, targets in entity.link_paragraphs
                 if any(t in self.src.entities and self.src.entities[t].rank > entity.rank for t in targets)]
        if not later:
            return
        cut = later[0]
        while cut > entity.state.fm.body_start and not bare(entity.state.lines[cut - 1]).strip():
            cut -= 1
        entity.body_cut = cut
        entity.state.set_lines(range(cut, len(entity.state.lines)), None)

    def add_file(self, entity: Entity) -> None:
        state = entity.state
        state.present = True
        if entity.kind in ("page", "team", "kpi", "objective"):
            self.truncate_body(entity)
        if entity.kind == "kpi":
            if entity.csv is not None:
                entity.csv.present = True
            self.show_values_until(entity, entity.day)
        if entity.kind == "objective":
            for key in ("status", *CLOSING_KEYS):
                if key in state.fm.top:
                    state.set_lines(state.fm.block(key), None)
            for stepped in self.stepped_lines(entity):
                state.set_value(stepped.line, stepped.initial, stepped.final)

    def plan_adds(self) -> None:
        src = self.src
        setup = [e for e in src.by_path.values() if e.kind in ("file", "page") or src.entities.get(e.ident) is not e]
        setup = [e for e in setup if not any(k.csv is e.state for k in src.entities.values() if k.kind == "kpi")]
        setup += [t for t in src.teams.values() if t.rank[2] == 0]

        def add_setup() -> list[str]:
            for entity in setup:
                self.add_file(entity)
            return []

        names = [f"“{e.title}”" for e in setup if e.kind == "page"] + [f"the {e.title} team" for e in setup if e.kind == "team"]
        names = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names) or "the settings"
        self.changes.append(Change(self.setup_day, "setup", self.company_author, "setup", (0,), add_setup,
                                   subject=f"Start the goals repository: okrsite settings, {names}"))
        for team in sorted((t for t in src.teams.values() if t.rank[2]), key=lambda t: t.rank):
            self.changes.append(Change(team.day, "setup", team.author, "team:" + team.ident, team.rank[1:],
                                       self.adder([team]), subject=f"Add the {team.title} team"))
        for kpi in (e for e in src.entities.values() if e.kind == "kpi"):
            count = sum(1 for d in self.kpi_points(kpi) if d <= kpi.day)
            note = f" with {count} earlier value{'s' if count > 1 else ''}" if count else ""
            self.changes.append(Change(kpi.day, "kpi", kpi.author or self.company_author, "kpi:" + kpi.ident, kpi.rank[1:],
                                       self.adder([kpi]), subject=f"Add KPI: {kpi.title}{note}"))
        bundles: dict[str, list[Entity]] = {}
        for ident, child in self.bundled.items():
            bundles.setdefault(child, []).append(src.entities[ident])
        for o in (e for e in src.entities.values() if e.kind == "objective" and e.ident not in self.bundled):
            group = bundles.get(o.ident, []) + [o]
            label = o.period.ident + " planning" if o.period else "Planning"
            if len(group) > 1:
                subject = f"{label}: add objectives “{group[0].title}” and “{o.title}”"
                author = group[0].author
            else:
                draft = " (draft)" if o.ident in self.drafts() else ""
                subject, author = f"{label}: add objective “{o.title}”{draft}", o.author
            self.changes.append(Change(o.day, "objective", author or self.company_author, "objective:" + o.ident, o.rank[1:],
                                       self.adder(group), subject=subject))

    def adder(self, entities: list[Entity]) -> Callable[[], list[str]]:
        def apply() -> list[str]:
            for entity in entities:
                if entity.ident in self.drafts():
                    entity.state.path = self.drafts()[entity.ident]
                self.add_file(entity)
            return self.link_existing_objectives()

        return apply

    # the draft that is renamed -------------------------------------------------------------------
    def drafts(self) -> dict[str, str]:
        if hasattr(self, "_drafts"):
            return self._drafts
        src = self.src
        inbound: set[str] = set()
        for entity in src.entities.values():
            if entity.kind == "objective" and entity.state.fm.scalar("parent"):
                inbound.add(entity.state.fm.scalar("parent"))
            if entity.kind == "kpi":
                inbound.update(entity.state.fm.list_values("objectives"))
            for _, targets in entity.link_paragraphs:
                inbound.update(targets)
        candidates = [o for o in src.entities.values()
                      if o.kind == "objective" and o.period and o.period.start <= self.as_of <= o.period.end
                      and o.ident not in inbound and o.owner and o.ident not in self.bundled
                      and "id" not in o.state.fm.top and o.day + timedelta(days=14) <= self.as_of]
        candidates.sort(key=lambda o: (o.ident not in PREFERRED_RENAME, o.ident))
        self._drafts = {}
        if candidates:
            o = candidates[0]
            stem = f"draft-{slugify(o.owner)}-{slugify(o.period.ident)}"
            self._drafts[o.ident] = str(Path(o.state.rel).with_name(stem + ".md").as_posix())
        return self._drafts

    def plan_rename(self) -> None:
        for ident, draft in self.drafts().items():
            o = self.src.entities[ident]
            day = self.clamp(weekday_on_or_after(o.day + timedelta(days=5)))

            def apply(o: Entity = o) -> list[str]:
                o.state.path = o.state.rel
                return self.link_existing_objectives()

            self.changes.append(Change(day, "rename", o.author, "rename:" + ident, (0,), apply,
                                       subject=f"Rename {Path(draft).stem} to {ident} now that the title is settled",
                                       rename=(draft, o.state.rel)))

    # statuses ------------------------------------------------------------------------------------
    def status_day(self, o: Entity) -> date | None:
        if "status" not in o.state.fm.top or o.period is None:
            return None
        period = o.period
        if period.end < self.as_of:
            day = period.start + (period.end - period.start) / 2 if o.state.fm.scalar("status") == "cancelled" else period.end - timedelta(days=21)
        else:
            day = self.as_of - timedelta(days=STALE_AFTER_DAYS - 2)
        return self.clamp(weekday_on_or_after(max(day, o.day + timedelta(days=7))))

    def plan_statuses(self) -> None:
        for o in (e for e in self.src.entities.values() if e.kind == "objective"):
            day = self.status_day(o)
            if day is None:
                continue
            status = o.state.fm.scalar("status")

            def apply(o: Entity = o) -> list[str]:
                o.state.reset_lines(o.state.fm.block("status"))
                return []

            self.changes.append(Change(day, "status", o.author, "status:" + o.ident, (0,), apply,
                                       subject=f"Mark “{o.title}” as {status}"))

    def plan_retros(self) -> None:
        """The owner grades a finished quarter's objective and writes its retrospective a week after its end."""
        for o in (e for e in self.src.entities.values() if e.kind == "objective"):
            keys = [key for key in CLOSING_KEYS if key in o.state.fm.top]
            if not keys or o.period is None:
                continue
            day = self.clamp(weekday_on_or_after(max(o.period.end + timedelta(days=7), o.day + timedelta(days=7))))

            def apply(o: Entity = o, keys: list[str] = keys) -> list[str]:
                for key in keys:
                    o.state.reset_lines(o.state.fm.block(key))
                return []

            self.changes.append(Change(day, "retro", o.author, "retro:" + o.ident, (0,), apply,
                                       subject=f"Grade “{o.title}” and write its retrospective"))

    # check-ins ---------------------------------------------------------------------------------------
    def stepped_lines(self, o: Entity) -> list[SteppedLine]:
        if o.stepped is not None:
            return o.stepped
        fm, lines = o.state.fm, []
        for item in fm.items("key_results"):
            keys = fm.item_keys(item)
            title = fm.item_scalar(item, "title") or "key result"
            unit = fm.item_scalar(item, "unit") or ""
            kr_owner = fm.item_scalar(item, "owner")
            author = self.src.person(kr_owner) if kr_owner else o.author
            for kind in ("current", "done", "progress"):
                if kind not in keys:
                    continue
                raw_value = bare(o.state.lines[keys[kind]]).split(":", 1)[1].strip()
                final = unquote(raw_value)
                if raw_value[:1] in "\"'[{":
                    continue
                if kind == "current":
                    start = fm.item_scalar(item, "start") or "0"
                    if not (NUMBER.match(final) and NUMBER.match(start)):
                        continue
                    initial = format_number(float(start), decimals_of(start, final))
                elif kind == "done":
                    if final.lower() not in ("true", "yes", "on"):
                        continue
                    initial = "False" if final[0].isupper() else "false"
                else:
                    if not NUMBER.match(final):
                        continue
                    low = 0.1 if float(final) >= 0.2 else 0.0
                    initial = format_number(low, max(1, decimals_of(final)))
                if initial != final:
                    lines.append(SteppedLine(keys[kind], kind, final, initial, title, unit, author))
        o.stepped = lines
        return lines

    def stale_objectives(self) -> set[str]:
        """Two objectives of the running period whose numbers stop moving in late October."""
        running = [o for o in self.src.entities.values()
                   if o.kind == "objective" and o.period and o.period.start <= self.as_of <= o.period.end and self.stepped_lines(o)]
        running.sort(key=lambda o: (o.ident not in PREFERRED_STALE, o.ident))
        return {o.ident for o in running[:2]}

    def checkin_days(self, o: Entity, author: str, last: date) -> list[date]:
        first = o.day + timedelta(days=6)
        candidates = [d for d in days_between(first, last) if d.weekday() == self.weekday_of(author)] if first <= last else []
        if not candidates:
            return [self.clamp(max(min(last, self.as_of), o.day))]
        step = 2 if stable_hash("cadence", o.ident, author) % 3 == 0 else 1
        return candidates[::-1][::step][::-1]

    def plan_checkins(self) -> None:
        stale = self.stale_objectives()
        for o in (e for e in self.src.entities.values() if e.kind == "objective"):
            stepped = self.stepped_lines(o)
            if not stepped:
                continue
            period = o.period
            status_day = self.status_day(o)
            if status_day and o.state.fm.scalar("status") == "cancelled":
                last = status_day - timedelta(days=3)
            elif o.ident in stale:
                last = self.as_of - timedelta(days=STALE_AFTER_DAYS + stable_hash("stale", o.ident) % 4)
            elif period and period.end < self.as_of:
                last = period.end + timedelta(days=5)
            else:
                last = self.as_of
            last = min(last, self.as_of)
            for author in sorted({s.author for s in stepped}):
                mine = [s for s in stepped if s.author == author]
                days = self.checkin_days(o, author, last)
                plan = self.values_over(o, mine, days)
                for n, day in enumerate(days):
                    settings = [(s, plan[id(s)][n]) for s in mine]
                    self.changes.append(Change(day, "checkin", author or o.author, "checkin", (o.ident,),
                                               self.setter(o, settings)))

    def values_over(self, o: Entity, stepped: list[SteppedLine], days: list[date]) -> dict[int, list[str]]:
        """The value of each stepped line at each check-in; the last one is the final text."""
        count = len(days)
        plan: dict[int, list[str]] = {}
        dated = [self.parse_day(m) for m in ISO_DATE.findall("".join(o.state.lines[o.state.fm.body_start:]))]
        dated = [d for d in dated if d and o.period and o.period.start <= d <= o.period.end]
        done_lines = [s for s in stepped if s.kind == "done"]
        for s in stepped:
            values = []
            if s.kind == "done":
                flip = math.ceil(count * (0.45 + stable_hash("done", o.ident, s.line) % 30 / 100))
                if dated and len(done_lines) == 1:
                    flip = next((n + 1 for n, d in enumerate(days) if d >= dated[0]), count)
                flip = min(max(flip, 1), count)
                values = [s.initial if n + 1 < flip else s.final for n in range(count)]
            else:
                start, end = float(s.initial), float(s.final)
                decimals = decimals_of(s.initial, s.final)
                power = (0.75, 0.9, 1.0, 1.2, 1.4)[stable_hash("curve", o.ident, s.line) % 5]
                for n in range(1, count + 1):
                    value = start + (end - start) * (n / count) ** power
                    values.append(s.final if n == count else format_number(value, decimals))
            plan[id(s)] = values
        return plan

    def setter(self, o: Entity, settings: list[tuple[SteppedLine, str]]) -> Callable[[], list[str]]:
        def apply() -> list[str]:
            words = []
            for stepped, value in settings:
                old = o.state.current_value(stepped.line)
                o.state.set_value(stepped.line, value, stepped.final)
                if old == value:
                    continue
                if stepped.kind == "done":
                    words.append(f"{o.title}: done: {stepped.kr_title}")
                elif stepped.kind == "progress":
                    words.append(f"{o.title}: {stepped.kr_title}: estimated {float(old):.0%} → {float(value):.0%}")
                else:
                    unit = f" {stepped.unit}" if stepped.unit and stepped.unit != "%" else stepped.unit
                    words.append(f"{o.title}: {stepped.kr_title}: {old} → {value}{unit}")
            return words

        return apply

    def plan_kpi_values(self) -> None:
        for kpi in (e for e in self.src.entities.values() if e.kind == "kpi"):
            author = kpi.author or self.company_author
            for day in self.kpi_points(kpi):
                if day <= kpi.day:
                    continue
                # on the owner's check-in day when that comes soon, else on the next working day
                earliest = day + timedelta(days=max(self.lag(kpi), 1))
                when = self.author_day(author, earliest)
                if (when - earliest).days > 2:
                    when = self.clamp(weekday_on_or_after(earliest))
                self.changes.append(Change(when, "checkin", author, "checkin", ("~" + kpi.ident, day),
                                           self.kpi_values_change(kpi, day)))

    # bodies ------------------------------------------------------------------------------------------
    def plan_bodies(self) -> None:
        for entity in self.src.entities.values():
            later = [t for _, targets in entity.link_paragraphs for t in targets
                     if t in self.src.entities and self.src.entities[t].rank > entity.rank]
            if not later:
                continue
            author = entity.author or self.company_author
            day = max(self.src.entities[t].day for t in later) + timedelta(days=7)
            period = entity.period
            graded = entity.kind == "objective" and period and period.end < self.as_of
            if graded:
                day = max(day, period.end + timedelta(days=1))
            day = max(self.author_day(author, day), entity.day)
            links = ", ".join(sorted(set(later)))
            subject = (f"Grade {period.ident}: write up “{entity.title}”" if graded
                       else f"Describe “{entity.title}” further, with links to {links}")

            def apply(entity: Entity = entity) -> list[str]:
                entity.state.reset_lines(range(entity.body_cut or len(entity.state.lines), len(entity.state.lines)))
                return []

            self.changes.append(Change(day, "body", author, "body:" + entity.ident, (0,), apply, subject=subject))


# ---------------------------------------------------------------------------------------------
# Writing the repository


@dataclass
class Commit:
    day: date
    phase: int
    author: str
    changes: list[Change]
    when: datetime | None = None


def group_commits(changes: list[Change]) -> list[Commit]:
    groups: dict[tuple, Commit] = {}
    for change in changes:
        key = (change.day, PHASES[change.phase], change.author, change.group)
        if key not in groups:
            groups[key] = Commit(change.day, PHASES[change.phase], change.author, [])
        groups[key].changes.append(change)
    commits = list(groups.values())
    for commit in commits:
        commit.changes.sort(key=lambda c: c.order)
    commits.sort(key=lambda c: (c.day, c.phase, c.changes[0].order, c.author))
    by_day: dict[date, list[Commit]] = {}
    for commit in commits:
        by_day.setdefault(commit.day, []).append(commit)
    for day, todays in by_day.items():
        minute = 8 * 60 + 35 + stable_hash("morning", day) % 50
        gap = max(8, min(75, (23 * 60 - minute) // max(len(todays), 1)))
        for commit in todays:
            commit.when = datetime(day.year, day.month, day.day, minute // 60, minute % 60, stable_hash("s", day, minute) % 60)
            minute += gap // 2 + stable_hash("gap", day, minute) % (gap // 2 + 1)
    return commits


class Git:
    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        self.env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C", GIT_TERMINAL_PROMPT="0")

    def __call__(self, *args: str, env: dict | None = None, stdin: str | None = None) -> str:
        command = ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", "-c", "core.hooksPath=" + os.devnull,
                   "-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "init.defaultBranch=main", *args]
        done = subprocess.run(command, cwd=self.dest, env={**self.env, **(env or {})}, input=stdin,
                              capture_output=True, text=True, encoding="utf-8", check=False)
        if done.returncode:
            raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout


def commit_message(commit: Commit, words: list[str], source: Source) -> str:
    subjects = [c.subject for c in commit.changes if c.subject]
    if subjects:
        return subjects[0] + "".join(f"\n\n- {w}" if n == 0 else f"\n- {w}" for n, w in enumerate(words)) + "\n"
    if len(words) == 1:
        return words[0] + "\n"
    led = [t.title for t in source.teams.values() if source.person(t.ident) == commit.author]
    who = led[0] if led else commit.author
    return f"Check-in {commit.day:%d %b}: {who}, {len(words)} updates\n\n" + "\n".join(f"- {w}" for w in words) + "\n"


def write_history(source: Source, dest: Path) -> list[tuple[str, datetime, str]]:
    commits = group_commits(Planner(source).plan())
    git = Git(dest)
    git("init", "-q")
    git("symbolic-ref", "HEAD", "refs/heads/main")
    # as `okrsite init`'s .gitignore: a build of the example leaves `git status` clean (not committed:
    # the history is the company's, and okrsite's own files are not part of it)
    (dest / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (dest / ".git" / "info" / "exclude").write_text("site/\n.okrsite-cache/\n", encoding="utf-8")
    on_disk: dict[str, bytes] = {}
    made: list[tuple[str, datetime, str]] = []
    previous: datetime | None = None
    for commit in commits:
        rename = next((c.rename for c in commit.changes if c.rename), None)
        words = [w for change in commit.changes for w in change.apply()]
        if rename:
            git("mv", rename[0], rename[1])
            on_disk[rename[1]] = on_disk.pop(rename[0])
        wanted = {s.path: s.content() for s in source.files.values() if s.present}
        for path in sorted(set(on_disk) - set(wanted)):
            (dest / path).unlink()
            del on_disk[path]
        changed = False
        for path, data in sorted(wanted.items()):
            if on_disk.get(path) != data:
                (dest / path).parent.mkdir(parents=True, exist_ok=True)
                (dest / path).write_bytes(data)
                on_disk[path] = data
                changed = True
        if not (changed or rename):
            continue
        assert previous is None or commit.when > previous, f"dates must increase: {commit.when} after {previous}"
        previous = commit.when
        stamp = commit.when.strftime("%Y-%m-%dT%H:%M:%S") + TIMEZONE
        identity = {"GIT_AUTHOR_NAME": commit.author, "GIT_AUTHOR_EMAIL": email_of(commit.author), "GIT_AUTHOR_DATE": stamp,
                    "GIT_COMMITTER_NAME": commit.author, "GIT_COMMITTER_EMAIL": email_of(commit.author), "GIT_COMMITTER_DATE": stamp}
        message = commit_message(commit, words, source)
        git("add", "-A")
        git("commit", "-q", "--no-verify", "--cleanup=whitespace", "-F", "-", env=identity, stdin=message)
        made.append((commit.author, commit.when, message.splitlines()[0]))
    return made


def verify(source: Source, dest: Path, made: list) -> None:
    """The last commit is the source, byte for byte, and the work tree is clean."""
    for state in source.files.values():
        assert state.present and state.path == state.rel and not state.overrides, f"{state.rel} did not reach its final version"
        assert (dest / state.rel).read_bytes() == state.raw, f"{state.rel} differs from the source"
    tracked = set(Git(dest)("ls-files", "-z").split("\0")) - {""}
    assert tracked == set(source.files), f"the tree differs from the source: {sorted(tracked ^ set(source.files))}"
    on_disk = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file() and ".git" not in p.relative_to(dest).parts}
    assert on_disk == set(source.files), f"stray files: {sorted(on_disk ^ set(source.files))}"
    assert Git(dest)("status", "--porcelain") == "", "the work tree is not clean"
    times = [when for _, when, _ in made]
    assert all(a < b for a, b in itertools.pairwise(times)), "commit dates must increase"
    assert times[-1].date() <= source.as_of, "a commit is dated after as_of"


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="where to create the repository (must not exist, or be empty)")
    parser.add_argument("--source", type=Path, default=here, help=f"the goals repository to copy (default: {here})")
    args = parser.parse_args(argv)
    source_root, dest = args.source.resolve(), args.dest.resolve()
    if not (source_root / "okrsite.toml").is_file() or not (source_root / "content").is_dir():
        parser.error(f"{source_root} has no okrsite.toml and content/")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        parser.error(f"{dest} exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    source = Source(source_root)
    made = write_history(source, dest)
    verify(source, dest, made)
    authors = len({author for author, _, _ in made})
    print(f"{len(made)} commits by {authors} people, {made[0][1]:%Y-%m-%d} to {made[-1][1]:%Y-%m-%d}, in {dest}")
    print(f"View it: okrsite serve {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
