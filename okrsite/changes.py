"""What changed: the latest goal-changing commits, each summed up in words. Pure: no git, no I/O.

"Reduce churn: KR 2 4.6% → 4.2%", "New objective: Expand the customer base", "Win back trust:
status set to at-risk". A commit that touched only teams or plain pages changed no goal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any, Iterator

from .checkins import csv_rows, data_path, inline_rows, kr_value, pair_items
from .formats import clean_text, format_number, format_percent
from .history import Commit, History, Version
from .load import kind_of
from .model import Site

LIMIT = 50
_KR_FORMS = (("current", "numeric"), ("done", "binary"), ("progress", "manual"))


@dataclass(frozen=True)
class Item:
    text: str
    url: str | None  # the page of what changed, while it exists


@dataclass(frozen=True)
class ChangeSet:
    commit: Commit
    items: tuple[Item, ...]


def recent_changes(history: History, site: Site, as_of: date, limit: int = LIMIT) -> tuple[ChangeSet, ...]:
    """The last ``limit`` commits up to the as-of date that changed an objective or a KPI, newest first."""
    pairs: dict[str, list[tuple[Version | None, Version]]] = defaultdict(list)
    for file in (*history.files.values(), *history.gone):
        readable: Version | None = None  # a version that cannot be read is compared with none, and skipped
        for version in file.versions:
            if not version.commit.boundary:
                pairs[version.commit.hash].append((readable, version))
            if version.data is not None or version.deleted:
                readable = version
    describe = _Describer(site)
    found = []
    for commit in history.commits:
        if commit.day > as_of or commit.hash not in pairs:
            continue
        items = tuple(item for before, after in pairs[commit.hash] for item in describe(before, after))
        if items:
            found.append(ChangeSet(commit, items))
            if len(found) == limit:
                break
    return tuple(found)


def _title(data: Any, fallback: str) -> str:
    title = data.get("title") if isinstance(data, dict) else None
    title = clean_text(title) if isinstance(title, (str, int, float)) else ""
    return title or fallback


def _plain(value: Any) -> str:
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


class _Describer:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.by_path = {e.doc.path: e for table in (site.objectives, site.kpis) for e in table.values()}
        self.by_csv = {data_path(k): k for k in site.kpis.values() if k.data}

    def __call__(self, before: Version | None, after: Version) -> Iterator[Item]:
        path = after.path
        if path.endswith(".csv"):
            kpi = self.by_csv.get(path)
            old = csv_rows(before.data) if before and not before.deleted else {}
            new = csv_rows(after.data) if not after.deleted else {}
            if old is not None and new is not None:
                label, url = (kpi.title, kpi.url) if kpi else (path, None)
                yield from (Item(text, url) for text in _value_changes(label, old, new, kpi.unit if kpi else None))
            return
        data = before.data if after.deleted and before else after.data
        if not isinstance(data, dict):
            return
        kind = kind_of(PurePosixPath(path), data)
        if kind not in ("objective", "kpi"):
            return
        entity = self.by_path.get(path) if not after.deleted else None
        url = entity.url if entity is not None else None
        title = _title(data, PurePosixPath(path).stem)
        texts = list(self.objective(before, after, title) if kind == "objective" else self.kpi(before, after, title))
        yield from (Item(text, url) for text in texts)

    def objective(self, before: Version | None, after: Version, title: str) -> Iterator[str]:
        if before is None or before.deleted or not isinstance(before.data, dict):
            period = after.data.get("period") if isinstance(after.data, dict) else None
            yield f"New objective: {title}" + (f" ({_plain(period)})" if period is not None else "")
            return
        if after.deleted:
            yield f"Removed objective: {title}"
            return
        old, new = before.data, after.data
        said = False
        if before.path != after.path:
            said = True
            yield f"{title}: moved to {after.path}"
        for text in _field_changes(title, old, new, ("title", "status", "period", "owner", "parent", "kind")):
            said = True
            yield text
        for text in _kr_changes(title, old.get("key_results"), new.get("key_results")):
            said = True
            yield text
        if not said:
            yield f"{title}: description edited" if old == new else f"{title}: details edited"

    def kpi(self, before: Version | None, after: Version, title: str) -> Iterator[str]:
        if before is None or before.deleted or not isinstance(before.data, dict):
            yield f"New KPI: {title}"
            return
        if after.deleted:
            yield f"Removed KPI: {title}"
            return
        old, new = before.data, after.data
        unit = new.get("unit") if isinstance(new.get("unit"), str) else None
        texts = list(_field_changes(title, old, new, ("title", "target", "threshold", "direction", "owner", "data")))
        old_rows, new_rows = inline_rows(old), inline_rows(new)
        if old_rows is not None and new_rows is not None:
            texts += _value_changes(title, old_rows, new_rows, unit)
        yield from texts or [f"{title}: description edited" if old == new else f"{title}: details edited"]


def _field_changes(title: str, old: dict, new: dict, keys: tuple[str, ...]) -> Iterator[str]:
    for key in keys:
        was, now = old.get(key), new.get(key)
        if was == now:
            continue
        if key == "title":
            yield f"{_title(old, title)} renamed to “{title}”"
        elif key == "status":
            yield f"{title}: status set to {now}" if now is not None else f"{title}: status set by hand removed (was {was})"
        elif key == "parent":
            yield f"{title}: now aligned to {now}" if now is not None else f"{title}: no longer aligned to {was}"
        elif was is None:
            yield f"{title}: {key} set to {_plain(now)}"
        elif now is None:
            yield f"{title}: {key} removed (was {_plain(was)})"
        else:
            yield f"{title}: {key} {_plain(was)} → {_plain(now)}"


def _kr_changes(title: str, old: Any, new: Any) -> Iterator[str]:
    old = old if isinstance(old, list) else []
    new = new if isinstance(new, list) else []
    for i, j in pair_items(old, new):
        was = old[i] if i is not None and isinstance(old[i], dict) else None
        now = new[j] if j is not None and isinstance(new[j], dict) else None
        label = f"{title}: KR {(j if j is not None else i) + 1}"
        if was is None and now is not None:
            yield f"{label} added: {_title(now, 'untitled')}"
        elif now is None and was is not None:
            yield f"{label} removed: {_title(was, 'untitled')}"
        elif was is not None and was != now:
            yield from _one_kr(label, was, now)


def _one_kr(label: str, was: dict, now: dict) -> Iterator[str]:
    unit = now.get("unit") if isinstance(now.get("unit"), str) else None
    for key, form in _KR_FORMS:
        before, after = kr_value(was, form), kr_value(now, form)
        if before == after or after is None:
            continue
        if form == "binary":
            yield f"{label} done" if after else f"{label} no longer done"
        elif form == "manual":
            yield f"{label} estimated {format_percent(before)} → {format_percent(after)}" if before is not None else f"{label} estimated {format_percent(after)}"
        else:
            yield f"{label} {format_number(before, unit)} → {format_number(after, unit)}" if before is not None else f"{label} {format_number(after, unit)}"
    for key in ("start", "target", "keep_above", "keep_below"):
        if was.get(key) != now.get(key) and now.get(key) is not None:
            yield f"{label} {key} {_plain(was.get(key)) if was.get(key) is not None else '–'} → {_plain(now.get(key))}"
    old_entries = was.get("history") if isinstance(was.get("history"), list) else []
    for entry in (now.get("history") if isinstance(now.get("history"), list) else []):
        if entry not in old_entries and isinstance(entry, dict) and isinstance(entry.get("value"), (int, float)):
            yield f"{label} check-in {format_number(entry['value'], unit)} ({_plain(entry.get('date'))})"
    if was.get("title") != now.get("title") and now.get("title"):
        yield f"{label} renamed to “{_title(now, '')}”"


def _value_changes(label: str, old: dict[date, float], new: dict[date, float], unit: str | None) -> list[str]:
    added = sorted(day for day in new if day not in old)
    corrected = sorted(day for day in new if day in old and new[day] != old[day])
    removed = [day for day in old if day not in new]
    texts = []
    if len(added) == 1:
        texts.append(f"{label}: {format_number(new[added[0]], unit)} on {added[0].isoformat()}")
    elif added:
        texts.append(f"{label}: {len(added)} new values, latest {format_number(new[added[-1]], unit)} on {added[-1].isoformat()}")
    for day in corrected:
        texts.append(f"{label}: value of {day.isoformat()} corrected {format_number(old[day], unit)} → {format_number(new[day], unit)}")
    if removed:
        texts.append(f"{label}: {len(removed)} value{'s' * (len(removed) != 1)} removed")
    return texts
