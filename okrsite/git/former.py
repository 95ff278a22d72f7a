"""The ids goals files had in the history and no file has now: what renamed or deleted each one.

goals/former.py says it at the diagnostics of the ids the site names but does not have; this reads it
from the history the build has already read (no git command of its own)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Collection, Iterator, Mapping

from ..goals.former import OBJECTIVE, TEAM, FormerId
from ..goals.load import kind_of
from ..goals.model import Site
from .changes import version_id
from .history import Commit, FileHistory, History, Version


def former_ids(history: History | None, site: Site, wanted: Mapping[str, Collection[str]]) -> dict[tuple[str, str], FormerId]:
    """What became of each id of ``wanted`` (by kind: goals.former.unknown_ids) that a file had: the
    latest commit after which no file had it, and the id that file has now when it is still there.
    An id no version had is left out (linking's guess at a typo stands), and so is one of a file
    changed since the last commit or now of another kind (the history does not tell what became of it)."""
    if history is None or not any(wanted.values()):
        return {}
    now = {e.doc.path: (kind, e.id) for kind, table in ((OBJECTIVE, site.objectives), (TEAM, site.teams), ("kpi", site.kpis))
           for e in table.values()}
    found: dict[tuple[str, str], tuple[Commit, FormerId]] = {}
    for file in [*history.files.values(), *history.gone]:
        current = now.get(file.path) if file.path is not None else None
        if file.path is not None and current is None:
            continue
        for (kind, ident), version, ended in _ids_left(file):
            if ident not in wanted.get(kind, ()) or current is not None and current[0] != kind:
                continue
            former = FormerId(kind, ident, version.path, ended.short, ended.day, *((current[1], file.path) if current else ()))
            if (kind, ident) not in found or found[kind, ident][0].seq < ended.seq:
                found[kind, ident] = (ended, former)
    return {key: former for key, (_, former) in found.items()}


def _ids_left(file: FileHistory) -> Iterator[tuple[tuple[str, str], Version, Commit]]:
    """Each (kind, id) the file had and then left: with the last version that had it and the commit
    that gave the file another id or kind, or deleted it. Unreadable versions neither start nor end one."""
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
        named = held if made_of == written else (kind_of(PurePosixPath(version.path), version.data), version_id(version))
        if held is not None and last is not None and named != held:
            yield held, last, version.commit
        held, last, written = named, version, made_of
