"""The ids goals files had in the history and no file has now: what renamed or deleted each one.

goals/former.py says it at the diagnostics of the ids the site names but does not have; this reads it
from the history the build has already read and from the working tree's files the site was read from
(no git command of its own): a file of HEAD renamed or deleted and not committed yet is told so.

``renamed`` reads the other way: the ids each objective and KPI the site has had before, for okrs.json's
`former_ids` and the pages at their old addresses (web/plan.py: planned_redirects)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import weakref
from pathlib import Path, PurePosixPath
from typing import Collection, Iterator, Mapping

from ..goals.former import KPI, OBJECTIVE, PAGE, TEAM, FormerId
from ..goals.files import windows_device
from ..goals.load import kind_of
from ..goals.model import Site, is_written_id
from .history import Commit, FileHistory, History, Version

UNCOMMITTED = float("inf")  # the working tree's place in the history: after every commit


@dataclass(frozen=True)
class _Fate:
    """The last thing that happened to a file: the commit that deleted it or gave it the id it has now
    (None: the working tree did, not committed yet), and that id and path when it is still there."""

    commit: Commit | None
    now: str | None = None
    now_path: str | None = None
    kind: str | None = None  # the kind of goal the file is now, when it is still there


def former_ids(history: History | None, site: Site, wanted: Mapping[str, Collection[str]],
               root: Path | None = None) -> dict[tuple[str, str], FormerId]:
    """What became of each id of ``wanted`` (by kind: goals.former.unknown_ids) that a file had: of the
    file that left it last (in the working tree when HEAD's file has it), the last thing that happened
    to that file (its deletion, its last rename). An id no version had is left out (linking's guess at
    a typo stands), and so is one of a file now of another kind or, at ``root``, there but unreadable."""
    if history is None or not any(wanted.values()):
        return {}
    now = {e.doc.path: (kind, e.id, e.doc.meta) for kind, table in ((OBJECTIVE, site.objectives), (TEAM, site.teams), (KPI, site.kpis), (PAGE, site.pages))
           for e in table.values()}
    added = {path: entry for path, entry in now.items() if path not in history.files}
    found: dict[tuple[str, str], tuple[float, FormerId]] = {}
    for file in [*history.files.values(), *history.gone]:
        held = list(_ids_held(file))
        if not any(ident in wanted.get(kind, ()) for (kind, ident), _, _ in held):
            continue
        fate = _fate(file, held, now, added, root)
        if fate is None:
            continue
        for (kind, ident), version, ended in _ids_left(held, fate):
            if ident not in wanted.get(kind, ()) or fate.kind not in (None, kind):
                continue
            place = UNCOMMITTED if ended is None else ended.seq
            if (kind, ident) not in found or found[kind, ident][0] < place:
                found[kind, ident] = (place, _former(kind, ident, version, ended, fate, file, history.prefix))
    return {key: former for key, (_, former) in found.items()}


def _former(kind: str, ident: str, version: Version, ended: Commit | None, fate: _Fate, file: FileHistory, prefix: str) -> FormerId:
    source = "HEAD" if ended is None else f"{ended.short}~1"
    if fate.commit is None:
        return FormerId(kind, ident, version.path, None, None, fate.now, fate.now_path, source, file.path, prefix)
    return FormerId(kind, ident, version.path, fate.commit.short, fate.commit.day, fate.now, fate.now_path, source, prefix=prefix)


Held = list[tuple[tuple[str, str], Version, Commit | None]]  # _ids_held's


def _fate(file: FileHistory, held: Held, now: Mapping[str, tuple], added: Mapping[str, tuple], root: Path | None) -> _Fate | None:
    """None when the history cannot tell: a file now of another kind, or there and unreadable."""
    last = file.versions[-1] if file.versions else None
    if file.path is None:
        return _Fate(last.commit) if last is not None and last.deleted else None
    at_head = _at_head(held)
    current = now.get(file.path)
    if current is not None:
        if at_head is not None and current[1] != at_head[0][1]:
            return _Fate(None, current[1], file.path, current[0])
        return _Fate(_named_last(file, held), current[1], file.path, current[0])
    if root is not None and (Path(root) / file.path).exists():
        return None
    moved = _moved_to(at_head, added) if at_head is not None else None
    return _Fate(None, *moved, at_head[0][0]) if moved is not None else _Fate(None)


def _at_head(held: Held) -> tuple[tuple[str, str], Version] | None:
    """The (kind, id) the file has at HEAD, with its last version."""
    return next(((ident, version) for ident, version, ended in held if ended is None), None)


def _named_last(file: FileHistory, held: Held) -> Commit:
    """The commit that gave the file the id it has at HEAD (after another id, or a deletion)."""
    renames = [ended for _, _, ended in held if ended is not None]
    return renames[-1] if renames else file.versions[0].commit


def _moved_to(at_head: tuple[tuple[str, str], Version], added: Mapping[str, tuple]) -> tuple[str, str] | None:
    """The working tree's new file that is HEAD's renamed: the same front matter, else the same title, alone."""
    (kind, _), version = at_head
    data = version.data if isinstance(version.data, dict) else {}
    same_kind = [(path, ident, meta) for path, (of, ident, meta) in added.items() if of == kind]
    for alike in (lambda meta: meta == data, lambda meta: bool(data.get("title")) and meta.get("title") == data.get("title")):
        matches = [(ident, path) for path, ident, meta in same_kind if alike(meta)]
        if len(matches) == 1:
            return matches[0]
    return None


def _ids_left(held: Held, fate: _Fate) -> Iterator[tuple[tuple[str, str], Version, Commit | None]]:
    """Each (kind, id) the file had and then left: with the last version that had it and the commit
    that gave the file another id or kind, or deleted it; None when the working tree did (``fate``)."""
    for ident, last, ended in held:
        if ended is not None:
            yield ident, last, ended
        elif fate.commit is None and ident[1] != fate.now:
            yield ident, last, None


def _ids_held(file: FileHistory) -> Iterator[tuple[tuple[str, str], Version, Commit | None]]:
    """Each (kind, id) the file had: with the last version that had it and the commit that gave the
    file another id or kind, or deleted it (None: it still has it at HEAD). Unreadable versions neither
    start nor end one."""
    held: tuple[str, str] | None = None
    last: Version | None = None
    written: tuple | None = None  # what the id and kind are made of: a check-in changes none of it
    for version in file.versions:
        if version.deleted:
            if held is not None and last is not None:
                yield held, last, version.commit
            held = last = written = None
            continue
        if not isinstance(version.data, dict):
            continue
        made_of = (version.path, version.data.get("id"), version.data.get("type"))
        named = held if made_of == written else (kind_of(PurePosixPath(version.path), version.data), version.ident)
        if held is not None and last is not None and named != held:
            yield held, last, version.commit
        held, last, written = named, version, made_of
    if held is not None and last is not None:
        yield held, last, None


@dataclass(frozen=True)
class Renamed:
    """The ids git shows each objective and KPI had before the one it has now (a changed `id:`, a file
    renamed without one), oldest first: what okrs.json's `former_ids` says and the pages that keep an
    old address working lead from (Hugo's `aliases`, from the history instead of the front matter)."""

    objectives: Mapping[str, tuple[str, ...]]  # by id now
    kpis: Mapping[str, tuple[str, ...]]
    key_results: Mapping[tuple[str, str], tuple[str, ...]]  # by (objective's id, key result's id): default ids only
    left: Mapping[tuple[str, str, str], int]  # (kind, former id, id now): the place in the history of the last commit that had it

    def of(self, kind: str, ident: str) -> tuple[str, ...]:
        return (self.objectives if kind == OBJECTIVE else self.kpis).get(ident, ())

    def redirects(self, taken: Mapping[str, Collection[str]]) -> Iterator[tuple[str, str, str]]:
        """(kind, former id, id now) of each former id no entity of its kind has now (``taken``, by kind: of
        the whole site, private objectives too), each once: of two entities that had it, the one that had
        it last."""
        owners: dict[tuple[str, str], str] = {}
        for kind, table in ((OBJECTIVE, self.objectives), (KPI, self.kpis)):
            for now, formers in table.items():
                for ident in formers:
                    key = (kind, ident)
                    if ident not in taken.get(kind, ()) and (key not in owners or self._later(key, now, owners[key])):
                        owners[key] = now
        return ((kind, ident, now) for (kind, ident), now in owners.items())

    def _later(self, key: tuple[str, str], one: str, other: str) -> bool:
        return self.left.get((*key, one), 0) > self.left.get((*key, other), 0)


NO_RENAMES = Renamed({}, {}, {}, {})


def renamed(history: History | None, site: Site, public: bool = False) -> Renamed:
    """The former ids of every objective and KPI of ``site`` (Renamed), read from the versions of its
    file since it was last added: those of its kind, written as an `id:` may be (goals.model.is_written_id,
    no Windows device). ``public``: a version of a private objective gives none, so that no id it had
    while private shows on a public site. A key result with its default id (`<objective>-kr<n>`) had
    the default id of its place under each former id, when the last version with that id had a key
    result there without an `id:`."""
    if history is None:
        return NO_RENAMES
    if _last_renamed and _last_renamed[0]() is history and _last_renamed[1]() is site and _last_renamed[2] == public:
        return _last_renamed[3]
    answer = _renamed(history, site, public)
    _last_renamed[:] = [weakref.ref(history), weakref.ref(site), public, answer]
    return answer


# the last answer of renamed, for the same history and site objects: a build asks it for its plan
# (redirect pages) and again for its pages (former_ids), each a pass over every file's versions
_last_renamed: list = []


def _renamed(history: History, site: Site, public: bool) -> Renamed:
    found: dict[str, dict[str, tuple[str, ...]]] = {OBJECTIVE: {}, KPI: {}}
    left: dict[tuple[str, str, str], int] = {}
    key_results: dict[tuple[str, str], tuple[str, ...]] = {}
    for kind, table in ((OBJECTIVE, site.objectives), (KPI, site.kpis)):
        for entity in table.values():
            held = _former_versions(history.of(entity.doc.path), kind, entity.id, public)
            if not held:
                continue
            found[kind][entity.id] = tuple(held)
            left.update({(kind, ident, entity.id): version.commit.seq for ident, version in held.items()})
            if kind == OBJECTIVE:
                key_results.update(_key_results_renamed(entity, held))
    return Renamed(found[OBJECTIVE], found[KPI], key_results, left)


_posix = lru_cache(maxsize=8192)(PurePosixPath)  # a path of a version, made once: a file's versions share it


def _former_versions(versions: tuple[Version, ...], kind: str, now: str, public: bool) -> dict[str, Version]:
    """Each id other than ``now`` that the versions since the file's last deletion gave it as a goal
    of ``kind``, oldest first, with the last version that had it."""
    since = max((at + 1 for at, version in enumerate(versions) if version.deleted), default=0)
    held: dict[str, Version] = {}
    for version in versions[since:]:
        data = version.data
        if not isinstance(data, dict) or kind_of(_posix(version.path), data) != kind or (public and data.get("private") is True):
            continue
        ident = version.ident
        if ident != now and is_written_id(ident) and windows_device(ident) is None:
            held[ident] = version
    return held


def _key_results_renamed(o, held: Mapping[str, Version]) -> Iterator[tuple[tuple[str, str], tuple[str, ...]]]:
    for kr in o.key_results:
        number = kr.index + 1
        if kr.id != f"{o.id}-kr{number}":
            continue
        formers = tuple(f"{ident}-kr{number}" for ident, version in held.items() if _default_kr_at(version.data, kr.index))
        if formers:
            yield (o.id, kr.id), formers


def _default_kr_at(data: dict, index: int) -> bool:
    """Whether a version's key result at ``index`` is there without an `id:` of its own."""
    entries = data.get("key_results")
    return isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict) and entries[index].get("id") is None
