"""A goals repository read and validated: settings, every file parsed, everything linked.

`okrsite check` is this, the write plan and the notices; every later stage starts from a `Loaded`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from .ahead import warn_dated_ahead
from .config import Settings, load_settings, shown_as_of
from .diagnostics import Report
from .link import Linker, link_entities, parse
from .files import site_problem
from .load import SourceDoc, load_documents
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


def link_site(root: Path, settings: Settings, entities: list, as_of: date | None, report: Report, linker: Linker | None = None) -> tuple[Site, date]:
    """Link parsed documents and run the checks that need the whole site and its date (build and serve;
    the preview keeps a ``linker`` from one save to the next). Only a site shown as of today is told
    of values dated after it (goals/ahead.py): an earlier as-of date leaves them out on purpose."""
    problem = site_problem(root)
    if problem is not None:
        file, message, hint = problem
        report.error(file, 1, message, hint)
    unread = unread_files(report, entities)
    if not unread:
        site = linker.link(entities, settings, report) if linker is not None else link_entities(entities, settings, report)
    elif isinstance(linker, Linker):
        site = linker.link(entities, settings, report, unread)
    else:  # the build cache keeps the linking of a site whose files were all read: this one is linked afresh
        site = link_entities(entities, settings, report, unread)
    day = shown_as_of(as_of, settings.as_of)
    if as_of is None and settings.as_of is None:
        warn_dated_ahead(root, site, day, report)
    return site, day
