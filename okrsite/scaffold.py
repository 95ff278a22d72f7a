"""Author commands: `new` writes one valid file (never overwriting), `init` a starter goals repository."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from .goals.config import load_settings
from .goals.diagnostics import Report
from .goals.formats import clean_text
from .goals.load import load_documents
from .goals.model import slugify
from .goals.periods import PERIOD_FORMS, PeriodError, parse_period

KINDS = ("objective", "kpi", "team")
FOLDERS = {"objective": "objectives", "kpi": "kpis", "team": "teams"}


class ScaffoldError(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _quote(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly ``text``.

    A JSON string is valid YAML, except for characters YAML refuses raw or reads as line breaks:
    those are written as \\u escapes.
    """
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


def this_quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _declared_id(doc) -> str:
    return str(doc.meta["id"]) if doc.meta.get("id") is not None else slugify(Path(doc.path).stem)


def _top_level_teams(root: Path) -> list[str]:
    return sorted(_declared_id(d) for d in load_documents(root, Report()) if d.kind == "team" and not d.meta.get("parent"))


def _existing_ids(root: Path) -> set[str]:
    """Ids taken by a file's name or by its `id:` (a file that does not load still takes its name)."""
    content = root / "content"
    names = {slugify(p.stem) for p in content.rglob("*.md")} if content.is_dir() else set()
    return names | {_declared_id(d) for d in load_documents(root, Report())}


def new_file(root: Path, kind: str, title: str, owner: str | None = None, period: str | None = None, parent: str | None = None, today: date | None = None) -> Path:
    """Write content/<kind folder>/<slug of title>.md and return its path."""
    root = Path(root)
    title = clean_text(title)
    if not title:
        raise ScaffoldError("the title is empty", "give the title in quotes, e.g. okrsite new objective \"Grow revenue\"")
    ident = slugify(title)
    path = root / "content" / FOLDERS[kind] / f"{ident}.md"
    if path.exists() or ident in _existing_ids(root):
        raise ScaffoldError(f"an item with the id '{ident}' already exists", "choose another title, or edit the existing file")
    if kind != "team" and owner is None:
        tops = _top_level_teams(root)
        if len(tops) != 1:
            raise ScaffoldError("no owner given", "add --owner with a team id or a person's name")
        owner = tops[0]
    lines = ["---", f"title: {_quote(title.strip())}"]
    if kind == "objective":
        lines += _objective_lines(root, owner, period, parent, today or date.today())
    elif kind == "kpi":
        lines += [f"owner: {_quote(owner)}", "unit: \"\"", "direction: up", "target: 100", "threshold: 80",
                  "category: operational", "indicator: leading", "frequency: monthly",
                  "source: \"Where the number comes from, e.g. the CRM's monthly report\"", "values: []"]
        body = "What this KPI measures and how it is calculated."
    else:
        if parent:
            lines.append(f"parent: {_quote(parent)}")
        lines += [f"lead: {_quote(owner)}" if owner else "lead: null", "members: []"]
        body = "What this team is responsible for."
    if kind == "objective":
        body = "Why this objective matters now, and what success looks like."
    lines += ["---", body, ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    return path


def _objective_lines(root: Path, owner: str, period: str | None, parent: str | None, today: date) -> list[str]:
    settings = load_settings(root, Report())
    period = period or settings.default_period or this_quarter(today)
    try:
        period = parse_period(period, settings.periods).id
    except PeriodError as exc:
        raise ScaffoldError(str(exc), f"use {PERIOD_FORMS}") from None
    lines = [f"period: {_quote(period)}", f"owner: {_quote(owner)}"]
    if parent:
        lines.append(f"parent: {_quote(parent)}")
    return lines + [
        "kind: committed",
        "key_results:",
        "  - title: \"Describe the first measurable result\"",
        "    start: 0",
        "    target: 100",
        "    current: 0",
        "    unit: \"%\"",
    ]


def _starter_files(today: date) -> dict[str, str]:
    quarter = parse_period(this_quarter(today), {})
    checkin = max(quarter.start, today - timedelta(days=7))
    values = "\n".join(f"{(today - timedelta(days=30 * i)).isoformat()},{1000 + 120 * (5 - i)}" for i in range(5, -1, -1))
    return {
        "okrsite.toml": 'title = "Our goals"\n# as_of = 2026-11-23   # uncomment to show the goals as of a fixed date\n',
        "content/teams/company.md": "---\ntitle: Our company\nlead: Alex Morgan\nmembers: [Alex Morgan]\n---\nThe whole company: its objectives are the roots of alignment.\n",
        "content/teams/product.md": "---\ntitle: Product\nparent: company\nlead: Sam Lee\nmembers: [Sam Lee, Ria Patel]\n---\nBuilds what our customers use every day.\n",
        "content/objectives/delight-customers.md": (
            f"---\ntitle: Delight our customers\nperiod: {quarter.id}\nowner: company\nkpis: [weekly-active-users]\n"
            "key_results:\n  - title: Grow weekly active users to 2,000\n    kpi: weekly-active-users\n    start: 1000\n    target: 2000\n"
            "  - title: Publish the public roadmap\n    done: false\n---\n"
            "Customers who love the product tell others about it. See [[how-we-do-okrs]] for how we work with OKRs.\n"
        ),
        "content/objectives/ship-onboarding.md": (
            f"---\ntitle: Make the first day effortless\nperiod: {quarter.id}\nowner: product\nparent: delight-customers\n"
            "key_results:\n  - title: Cut time to first report from 30 to 10 minutes\n    start: 30\n    target: 10\n    unit: minutes\n"
            f"    history:\n      - {{date: {checkin.isoformat()}, value: 24, note: \"new sign-up flow\"}}\n"
            "  - title: Onboarding checklist shipped\n    done: true\n---\n"
            "New customers reach their first insight on day one.\n"
        ),
        "content/kpis/weekly-active-users.md": (
            "---\ntitle: Weekly active users\nowner: product\nunit: users\ndirection: up\ntarget: 1500\nthreshold: 1000\n"
            "category: strategic\nindicator: leading\nfrequency: monthly\nsource: \"Product analytics, weekly export\"\n"
            "data: data/weekly-active-users.csv\n---\nPeople who opened the product at least once in a week.\n"
        ),
        "data/weekly-active-users.csv": f"date,value\n{values}\n",
        "content/how-we-do-okrs.md": (
            "---\ntitle: How we do OKRs\n---\n"
            "Every quarter each team sets 1-3 objectives with 1-5 key results, aligned to a company objective.\n\n"
            "- **Committed** objectives are expected to reach 100 %.\n"
            "- **Aspirational** objectives count as achieved at 70 %.\n\n"
            "Edit the Markdown files under `content/`, run `okrsite check`, and open a pull request.\n"
        ),
    }


def init_site(target: Path, today: date | None = None) -> None:
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} is not an empty folder", "choose a new or empty folder; okrsite init never overwrites")
    for relpath, text in _starter_files(today or date.today()).items():
        path = target / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
