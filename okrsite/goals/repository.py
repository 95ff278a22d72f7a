"""A goals repository read and validated: settings, every file parsed, everything linked.

`okrsite check` is this, the write plan and the notices; every later stage starts from a `Loaded`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .config import Settings, load_settings
from .diagnostics import Report
from .link import link_entities, parse
from .load import load_documents
from .model import Site


@dataclass
class Loaded:
    settings: Settings
    site: Site
    as_of: date
    report: Report


def load_site(root: Path, as_of: date | None = None) -> Loaded:
    """Read and validate a goals repository; every problem found is in the report."""
    report = Report()
    settings = load_settings(root, report)
    entities = [parse(doc, settings, root, report) for doc in load_documents(root, report)]
    site, day = link_site(root, settings, entities, as_of, report)
    return Loaded(settings, site, day, report)


def link_site(root: Path, settings: Settings, entities: list, as_of: date | None, report: Report) -> tuple[Site, date]:
    """Link parsed documents and run the checks that need the whole site and its date (build and serve)."""
    if not (root / "content").is_dir():
        report.error("content", 1, f"no content/ folder in {root}", "run okrsite in a goals repository, or create one with 'okrsite init DIR'")
    site = link_entities(entities, settings, report)
    return site, as_of or settings.as_of or date.today()
