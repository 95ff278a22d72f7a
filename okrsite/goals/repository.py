"""A goals repository read and validated: settings, every file parsed, everything linked.

`okrsite check` is this, the write plan and the notices; every later stage starts from a `Loaded`.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Collection, Protocol

from .ahead import warn_dated_ahead
from .config import Settings, is_today, load_settings, shown_as_of
from .diagnostics import NO_LINE, Report
from .link import Linker, hint_parent_followers, hint_removed_teams, link_entities, parse, warn_retired_kpi_followers
from .parse import site_path
from .files import content_digest, linked_folder_warnings, markdown_paths, name_warnings, relative, signature, site_problem, too_recent
from .load import SourceDoc, load_document, load_documents
from .model import Site


class Reader(Protocol):
    """How a repository's files become documents and entities: read afresh, or (the build cache)
    remembered from the last build for the files that did not change, with the same diagnostics."""

    def documents(self, root: Path, report: Report, settings: Settings | None = None) -> list[SourceDoc]:
        """Every file's document; given the ``settings``, a reader may parse the entities as it reads."""

    def entity(self, doc: SourceDoc, settings: Settings, root: Path, report: Report): ...

    # A reader may also link (goals/link.py: Linker's ``link``): the build cache takes the last build's linking.


class Fresh:
    """Every file read and parsed."""

    def documents(self, root: Path, report: Report, settings: Settings | None = None) -> list[SourceDoc]:
        return load_documents(root, report)

    def entity(self, doc: SourceDoc, settings: Settings, root: Path, report: Report):
        return parse(doc, settings, root, report)


class Rereader:
    """Every file read and parsed, as Fresh does, and each one's digest, document, entity and diagnostics
    kept: `edited` then reads the same site with one file changed by reading and parsing just that
    file. A check-in checks the site as it would be after its edit that way, in a fraction of a second
    load (which took 20 s at 10,000 objectives). Read again (the preview keeps one from one check-in to
    the next), a file whose bytes are the same is not parsed again, nor a KPI whose CSV's bytes are."""

    def __init__(self) -> None:
        self.docs: list[tuple[str, bytes | None, SourceDoc | None, list]] = []  # (path, digest of its bytes, document, diagnostics of reading)
        # by id() of the document, which the entry keeps alive: (document, settings, its CSV's path and digest, entity, diagnostics)
        self.entities: dict[int, tuple[SourceDoc, Settings, tuple | None, Any, list]] = {}
        self.linker = Linker()  # links again only the entities parsed again, when they keep their shape
        self.looked = Looked()  # a file whose stat tells it is the one read is not read again

    def documents(self, root: Path, report: Report, settings: Settings | None = None) -> list[SourceDoc]:
        earlier = {path: (raw, doc, items) for path, raw, doc, items in self.docs}
        self.docs = []
        content, linked = root / "content", []
        listed = markdown_paths(content, linked) if content.is_dir() else []
        for path in listed:
            old = earlier.get(path)
            seen, raw = self.looked.digest(path, old[0] if old is not None else None)
            if seen is not None and old is not None and old[0] == seen:
                doc, items = old[1], old[2]
            else:
                read = Report()
                doc, items = load_document(root, Path(path), read, raw if raw is not None else file_bytes(path)), read.items
            self.docs.append((path, seen, doc, items))
            report.items.extend(items)
        linked_folder_warnings(root, linked, report)
        name_warnings(relative(listed, root), report)
        docs = [doc for _, _, doc, _ in self.docs if doc is not None]
        present = {id(doc) for doc in docs}
        self.entities = {key: kept for key, kept in self.entities.items() if key in present}
        return docs

    def entity(self, doc: SourceDoc, settings: Settings, root: Path, report: Report):
        kept = self.entities.get(id(doc))
        csv = _csv_seen(doc, root, self.looked)
        if kept is not None and kept[0] is doc and kept[1] == settings and kept[2] == csv and (csv is None or csv[1] is not None):
            report.items.extend(kept[4])
            return kept[3]
        parsed = Report()
        entity = parse(doc, settings, root, parsed)
        self.entities[id(doc)] = (doc, settings, csv, entity, parsed.items)
        report.items.extend(parsed.items)
        return entity

    def link(self, entities: list, settings: Settings, report: Report, unread: Collection[str] = ()) -> Site:
        return self.linker.link(entities, settings, report, unread)

    @property
    def empty(self) -> bool:
        return not self.docs

    def seed(self, files: list[tuple[str, bytes | None, SourceDoc | None, list]], entities: list[tuple[SourceDoc, Any, list]], settings: Settings) -> None:
        """Take what another reading read (the live preview's): each file's path, content_digest of the
        bytes its document was read from, document and diagnostics, and the entities parsed with
        ``settings``. The next `documents` reads every file's bytes as always: a file changed since is
        read again. A KPI that reads a CSV is not taken (its rows may be newer than its entity)."""
        self.docs = list(files)
        self.entities = {id(doc): (doc, settings, None, entity, items) for doc, entity, items in entities if not _reads_csv(doc)}

    def edited(self, path: str, text: str) -> "Edited":
        """A reader of the site as it was read, but with the file ``path`` (from the root: a goals
        file or a KPI's CSV) holding ``text``."""
        return Edited(self, path, text)


class Edited:
    """The site a `Rereader` read with one file's text replaced, the rest as it was read: the file's
    document is read from the new text; a KPI whose `data:` is that file is parsed with the new text
    in a scratch folder (a KPI reads its CSV as it is parsed); every other entity is the one kept."""

    def __init__(self, kept: Rereader, path: str, text: str) -> None:
        self.kept, self.path, self.text = kept, path, text

    def documents(self, root: Path, report: Report, settings: Settings | None = None) -> list[SourceDoc]:
        docs = []
        edited = os.path.join(root, self.path)
        for path, _, doc, items in self.kept.docs:
            if path == edited:
                read = Report()
                doc = load_document(root, Path(path), read, self.text.encode("utf-8"))
                items = read.items
            report.items.extend(items)
            if doc is not None:
                docs.append(doc)
        return docs

    def entity(self, doc: SourceDoc, settings: Settings, root: Path, report: Report):
        kept = self.kept.entities.get(id(doc))
        if kept is not None and kept[0] is doc and kept[1] == settings and not self._reads_edited(doc):
            report.items.extend(kept[4])
            return kept[3]
        if not self._reads_edited(doc):
            return parse(doc, settings, root, report)
        with tempfile.TemporaryDirectory(prefix="okrsite-edited-") as scratch:
            csv = Path(scratch) / self.path
            csv.parent.mkdir(parents=True, exist_ok=True)
            csv.write_bytes(self.text.encode("utf-8"))
            return parse(doc, settings, Path(scratch), report)

    def link(self, entities: list, settings: Settings, report: Report, unread: Collection[str] = ()) -> Site:
        return self.kept.link(entities, settings, report, unread)

    def _reads_edited(self, doc: SourceDoc) -> bool:
        return _reads_csv(doc) and site_path(doc.meta["data"]) == self.path


def _reads_csv(doc: SourceDoc) -> bool:
    return doc.kind == "kpi" and isinstance(doc.meta.get("data"), str)


def _csv_seen(doc: SourceDoc, root: Path, looked: "Looked") -> tuple[str, bytes | None] | None:
    """A KPI's CSV (its path and the digest of its bytes, None when it cannot be read), which it reads as it is parsed."""
    if not _reads_csv(doc):
        return None
    path = site_path(doc.meta["data"])
    return (doc.meta["data"], looked.digest(os.path.join(root, path))[0] if path is not None else None)


class Looked:
    """The digest of each file read, with the stat it had (stat'ed before it was read), when that stat
    can tell a later edit (goals/files.too_recent: not changed within the last two seconds): a file
    whose stat is the same is the same file, and is not read again (a check-in in the preview at
    10,000 objectives read 11,000 files' bytes each time). The build cache knows its files the same way."""

    def __init__(self) -> None:
        self.known: dict[str, tuple[tuple, bytes]] = {}  # path -> (signature, digest)

    def digest(self, path: str, expected: bytes | None = None) -> tuple[bytes | None, bytes | None]:
        """The digest of the file's bytes (None: unreadable), and the bytes when they were read (None
        when the stat told the file is the one known, with the digest ``expected``: then the caller's
        document of it is right)."""
        try:
            found = os.stat(path)
        except OSError:
            self.known.pop(path, None)
            return None, None
        known = self.known.get(path)
        if known is not None and known[0] == signature(found) and (expected is None or known[1] == expected):
            return known[1], None
        raw = file_bytes(path)
        seen = file_digest(raw)
        if seen is not None and not too_recent(found, time.time_ns()):
            self.known[path] = (signature(found), seen)
        else:
            self.known.pop(path, None)
        return seen, raw


def file_digest(raw: bytes | None) -> bytes | None:
    """What tells a file's bytes from others, kept instead of them (16 MB at 10,000 objectives)."""
    return content_digest(raw) if raw is not None else None


def file_bytes(path: str) -> bytes | None:
    """The file's bytes; None when it cannot be read (load_document and parse say why)."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError:
        return None


@dataclass
class Loaded:
    settings: Settings
    site: Site
    as_of: date
    report: Report


def load_site(root: Path, as_of: date | None = None, reader: Reader | None = None) -> Loaded:
    """Read and validate a goals repository; every problem found is in the report."""
    report = Report()
    settings = load_settings(root, report)
    reader = reader or Fresh()
    entities = [reader.entity(doc, settings, root, report) for doc in reader.documents(root, report, settings)]
    site, day = link_site(root, settings, entities, as_of, report, reader if hasattr(reader, "link") else None)
    return Loaded(settings, site, day, report)


def unread_files(report: Report, entities: list) -> set[str]:
    """The goals files under content/ that could not be read: an error of reading, and no entity."""
    made = {entity.doc.path for entity in entities}
    return {d.file for d in report.errors if d.file.startswith("content/") and d.file.endswith(".md") and d.file not in made}


def link_site(root: Path, settings: Settings, entities: list, as_of: date | None, report: Report, linker: Linker | None = None,
              clock: Callable[[], date] | None = None) -> tuple[Site, date]:
    """Link parsed documents and run the checks that need the whole site and its date (build and serve;
    the preview keeps a ``linker`` from one save to the next). Only a site shown as of today (however it is given) is told
    of values dated after it (goals/ahead.py): an earlier as-of date leaves them out on purpose, and
    one okrsite.toml sets but could not be read is not known yet. ``clock``: what day today is (the
    live preview's own clock; None: the computer's)."""
    problem = site_problem(root)
    if problem is not None:
        file, message, hint = problem
        report.error(file, NO_LINE, message, hint)
    unread = unread_files(report, entities)
    if not unread:
        site = linker.link(entities, settings, report) if linker is not None else link_entities(entities, settings, report)
    elif isinstance(linker, Linker):
        site = linker.link(entities, settings, report, unread)
    else:  # the build cache keeps the linking of a site whose files were all read: this one is linked afresh
        site = link_entities(entities, settings, report, unread)
    day = shown_as_of(as_of, settings.as_of, clock)
    hint_removed_teams(site, day, report)
    hint_parent_followers(site, report)
    warn_retired_kpi_followers(site, day, report)
    if is_today(day, clock) and not settings.as_of_unread:  # an as_of okrsite.toml could not read: no day to compare with
        warn_dated_ahead(root, site, day, report, settings.periods.values())
    return site, day
