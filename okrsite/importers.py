"""Author commands that bring goals in from elsewhere (SPEC §16): a company handbook's performance
indicators (`import gitlab-pi`) and a spreadsheet of OKRs (`import csv`).

Both read everything first and report every problem they find (naming the file and the indicator, or
the row and column), with what `okrsite check` would find in the files they plan (read as if written,
its errors told at the indicator or row they come from); then they write new files only, never
overwriting, and check the site as `okrsite check` would: when that finds an error, the files they
wrote are removed again.
"""

from __future__ import annotations

import csv
import difflib
import re
import string
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

import yaml

from .build import check_site
from .goals.config import SETTINGS_FILE, Settings, install_extra, safe_html_available
from .goals.diagnostics import Diagnostic, Report, did_you_mean, plural, shown_value
from .goals.files import linked_folder_problem, off_device, site_problem, write_new_files
from .goals.formats import clean_text, number_hint, single_line
from .goals.link import owner_problem
from .goals.load import EUROPEAN_EXPORT, csv_records, csv_text
from .goals.load import SourceDoc, front_line, load_document, parse_yaml, split_front_matter
from .goals.model import KPI, Objective, Site, bare_slug, carried_sentence, slugify, team_shaped
from .goals.periods import Period, PeriodError, parse_period, period_hint, period_meant
from .goals.repository import Rereader, load_site
from .goals.webaddress import web_address_problem
from .scaffold import existing_ids


class ImportProblem(Exception):
    """Everything an import could not read or write: (where, message and hint) lines, nothing written;
    with the notes made on the way (a column not imported may be why a row could not be read)."""

    def __init__(self, problems: list[str], notes: list[str] | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems, self.notes = problems, notes or []


@dataclass
class Plan:
    """The files an import will write (site-relative path -> text), and notes for the user."""

    root: Path
    site: Site
    settings: Settings
    reader: Rereader  # the site as the plan read it: the checks after read and parse only the planned files
    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # where each planned file comes from in the input, given a line of the file: its problems are told there
    origins: dict[str, Callable[[int], str]] = field(default_factory=dict)
    incomplete: set[str] = field(default_factory=set)  # planned files left short by a problem already told

    def __post_init__(self) -> None:
        self.taken = existing_ids(self.root, self.site)
        self.kpi_titles = {(clean_text(k.title).casefold(), k.owner): k for k in self.site.kpis.values()}
        self.new_teams: dict[str, str] = {}  # the id made of a new team's name -> the team's id

    def new_id(self, title: str, kind: str) -> str:
        """A fresh id from the title of a ``kind`` ('objective', 'kpi', 'team'): 'name', else 'name-2', ...
        (never an existing file's, nor a name Windows reserves: 'Con' is con-objective, as `okrsite new` names it)."""
        base = off_device(slugify(title), kind)
        ident, n = base, 2
        while ident in self.taken:
            ident, n = f"{base}-{n}", n + 1
        self.taken.add(ident)
        return ident

    def kpi_titled(self, title: str, owner: str) -> KPI | None:
        """The site's KPI of that title (in any case) and owner, if it has one."""
        return self.kpi_titles.get((title.casefold(), owner))

    def add(self, path: str, text: str, origin: Callable[[int], str]) -> None:
        """Plan a file, and where in the input it comes from (``origin`` of a line of it)."""
        self.files[path], self.origins[path] = text, origin

    def team(self, name: str, where: str) -> str:
        """The id of the team called ``name``: an existing one (``_known_team``), else a new team file
        (told, should it have a problem, at ``where``: the first place in the input that named it),
        with the next free id when a KPI or objective has the name's ('sales-2')."""
        if team := _known_team(name, self.site):
            return team
        if slugify(name) not in self.new_teams:
            ident = self.new_teams[slugify(name)] = self.new_id(name, "team")
            self.add(f"content/teams/{ident}.md", front_matter({"title": name}, ""), lambda line: where)
        return self.new_teams[slugify(name)]

    def told(self, diagnostic: Diagnostic) -> str:
        """A problem the check found, told where the input holds it when it is in a planned file."""
        origin = self.origins.get(diagnostic.file)
        where = origin(diagnostic.line) if origin else diagnostic.where
        return f"{where}: {diagnostic.message}" + (f" ({diagnostic.hint})" if diagnostic.hint else "")


@dataclass
class Imported:
    """The files an import wrote, its notes, and what `okrsite check` found in the site with them (no error)."""

    files: list[Path]
    notes: list[str]
    report: Report


def front_matter(meta: dict, body: str) -> str:
    """A goals file: YAML written by PyYAML (it quotes what needs quoting), then the Markdown body."""
    yaml_text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return f"---\n{yaml_text}---\n{body.strip()}\n"


def _plan(root: Path) -> Plan:
    root, reader = Path(root), Rereader()
    loaded = load_site(root, reader=reader)
    return Plan(root, loaded.site, loaded.settings, reader)


class _Planned:
    """The site's files (as ``read`` read them) and the planned ones, read as if written (nothing is)."""

    def __init__(self, files: dict[str, str], read: Rereader) -> None:
        self.files, self.read = files, read

    def documents(self, root: Path, report, settings=None) -> list[SourceDoc]:
        planned = [load_document(root, root / path, report, text.encode("utf-8")) for path, text in self.files.items() if path.startswith("content/")]
        return self.read.documents(root, report, settings) + [doc for doc in planned if doc is not None]

    def entity(self, doc: SourceDoc, settings: Settings, root: Path, report):
        return self.read.entity(doc, settings, root, report)


def check_planned(plan: Plan) -> list[str]:
    """The errors `okrsite check` would find were the planned files written, found before any is, and
    told where the input holds them: with the problems of the input, every problem of one run at once.
    A file left short by a problem already told (a key result whose cell could not be read) would
    only repeat it, or be told of what it lacks: its errors wait for the next run."""
    loaded = load_site(plan.root, reader=_Planned(plan.files, plan.reader))
    no_site = site_problem(plan.root)  # a new folder: the import makes it
    return [plan.told(d) for d in loaded.report.errors
            if d.file not in plan.incomplete and not (no_site and (d.file, d.message) == no_site[:2])]


PLACE = re.compile(r"^(.*?): (?:indicator|row) (\d+)\b")


def _in_input_order(problems: list[str]) -> list[str]:
    """The problems of each input file by indicator or row (the check's after the input's own, else)."""
    files: dict[str, int] = {}

    def place(problem: str) -> tuple[int, int]:
        match = PLACE.match(problem)
        name, number = (match[1], int(match[2])) if match else (problem, 0)
        return files.setdefault(name, len(files)), number
    return sorted(problems, key=place)


def write_plan(plan: Plan) -> Imported:
    """Check the planned files and write them (none may exist), then check the site; on an error remove them again."""
    plan.problems[:] = _in_input_order(plan.problems + check_planned(plan))
    if plan.problems:
        raise ImportProblem(plan.problems, plan.notes)
    linked = [problem for path in plan.files if (problem := linked_folder_problem(plan.root, path, "okrsite import")) is not None]
    if linked:
        raise ImportProblem([f"{message} ({hint})" for message, hint in dict.fromkeys(linked)])
    existing = [path for path in plan.files if (plan.root / path).exists()]
    if existing:
        raise ImportProblem([f"{path}: already exists (imports never overwrite: move it away, or import into another folder with -o)" for path in existing])
    written = write_new_files({plan.root / relpath: text for relpath, text in plan.files.items()})
    try:
        report = check_site(plan.root, reader=plan.reader).report
    except BaseException:
        written.undo()
        raise
    if report.errors:
        written.undo()
        raise ImportProblem([plan.told(d) for d in report.errors] + ["nothing was written"], plan.notes)
    return Imported(written.files, plan.notes, report)


# ------------------------------------------------------------------------------ handbook indicators

HREF_ROOT = re.compile(r"""(href\s*=\s*["'])/(?!/)""", re.I)
# a link to a path on the handbook's site: <a href="/handbook/...">text</a> or [text](/handbook/...)
ROOT_LINK = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?P<q>["'])(?P<html>/(?!/)[^"']*)(?P=q)[^>]*>(?P<html_text>.*?)</a\s*>"""
                       r"""|!?\[(?P<md_text>[^\]]*)\]\((?P<md>/(?!/)[^)\s]*)\)""", re.I | re.S)
ROOT_HREF = re.compile(r"""\s*\bhref\s*=\s*(["'])(/(?!/)[^"']*)\1""", re.I)  # one whose </a> is missing
HANDBOOK_PATH = "it is a path on the handbook's site (give --base-url, e.g. https://handbook.example.com, to make it a link)"


def import_gitlab_pi(files: list[Path], root: Path, base_url: str | None = None, chart_url: str | None = None) -> Imported:
    """One KPI file per performance indicator of the handbook's YAML files (a list of indicators each).

    ``base_url`` makes the definitions' root-relative links (href="/handbook/...") absolute;
    ``chart_url`` (with {dashboard} and {chart}) turns `sisense_data` into a dashboard link.
    """
    plan = _plan(root)
    has_html = False
    if chart_url is not None and (problem := _chart_url_problem(chart_url)):
        plan.problems.append(f"--chart-url '{chart_url}': {problem} (write the chart's address with {{dashboard}} and {{chart}} where "
                             "its numbers go, e.g. https://bi.example.com/dashboards/{dashboard}?widget={chart})")
        chart_url = None
    for file in files:
        for index, item in enumerate(_indicators(Path(file), plan)):
            where = f"{file}: indicator {index + 1}"
            if not isinstance(item, dict):
                plan.problems.append(f"{where}: not a set of keys (name, definition, target, org, ...); each indicator starts with '- name:'")
                continue
            told = len(plan.problems)
            name = _line(item.get("name"), "name", where, plan.problems)
            if name == "":
                plan.problems.append(f"{where}: has no name (add 'name:'; it becomes the KPI's title)")
            where = f"{where} ('{name}')" if name else where
            org = _line(item.get("org"), "org", where, plan.problems)
            if org == "":
                plan.problems.append(f"{where}: has no org (add 'org:'; it becomes the KPI's owner team)")
            if name and org:
                owner = plan.team(org, where)
                earlier = plan.kpi_titled(name, owner)
                if earlier is not None:  # run again on the handbook's newer file: the indicators it has already
                    plan.notes.append(f"{where}: already imported as {earlier.doc.path}, skipped (imports never overwrite: edit that file, "
                                      "or delete it to import the indicator again)")
                    continue
            texts = _texts(item, where, plan.problems)
            public = _public(item.get("public"))
            if public is None:
                plan.problems.append(f"{where}: public: {shown_value(item['public'])} is neither yes nor no (write public: false to keep "
                                     "its numbers off the public site, or public: true)")
            if len(plan.problems) > told:
                continue
            meta, body = _indicator(item, texts, name, owner, public is True, base_url, chart_url, where, plan.notes)
            has_html = has_html or "<" in body
            plan.add(f"content/kpis/{plan.new_id(name, 'kpi')}.md", front_matter(meta, body), lambda line, where=where: where)
    _html_setting(plan, has_html)
    _frequency_note(plan)
    return write_plan(plan)


def _frequency_note(plan: Plan) -> None:
    """The handbook says not how often an indicator is looked at, so no `frequency:` is written: once a
    run, say that the KPIs are then taken as monthly, which their hand-set health goes stale by too."""
    written = sum(path.startswith("content/kpis/") for path in plan.files)
    if written and not plan.problems:
        plan.notes.append(f"the handbook gives no frequency: {plural(written, 'KPI')} written without 'frequency:', taken as monthly: "
                          "stale 62 days after the latest value, or, with none, after the commit that set the health by hand; write "
                          "'frequency: weekly' (daily, quarterly) in a KPI looked at otherwise (see Frequency and staleness in docs/kpis.md)")


def _indicators(file: Path, plan: Plan) -> list:
    try:
        data = yaml.safe_load(file.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        plan.problems.append(f"{file}: cannot be read: {getattr(exc, 'strerror', None) or exc} (give a UTF-8 YAML file of performance indicators)")
        return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        if isinstance(exc, yaml.composer.ComposerError) and exc.context == "expected a single document in the stream":
            plan.problems.append(f"{file}:{line}: holds more than one YAML document: a '---' line after the first starts another (a file of "
                                 "performance indicators is one list: remove the '---' line and start each indicator with '- name:', "
                                 "or split the file in two)")
        else:
            plan.problems.append(f"{file}:{line}: unreadable YAML: {getattr(exc, 'problem', None) or exc} (check the indentation and quotes)")
        return []
    if not isinstance(data, list):
        plan.problems.append(f"{file}: not a list of performance indicators (the handbook's files are a list: each indicator starts with '- name:')")
        return []
    if not data:
        plan.problems.append(f"{file}: has no performance indicators (each indicator starts with '- name:')")
    return data


PUBLIC_WORDS = {"yes": True, "y": True, "true": True, "on": True, "1": True, "no": False, "n": False, "false": False, "off": False, "0": False}


def _public(value: Any) -> bool | None:
    """Whether the handbook's owner left an indicator public: no `public:` is public, and a no in any
    spelling a spreadsheet or a quoted YAML value gives ("no", "false", "0", 0) is not; None when it
    says neither."""
    if value is None or isinstance(value, bool):
        return value is not False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return PUBLIC_WORDS.get(value.strip().casefold()) if isinstance(value, str) else None


def _listed(value: Any) -> list:
    """A handbook list that may be written as one value (`reasons: On target`, `urls: https://...`):
    one text is a list of one, never a list of its characters."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


TEXT_HINTS = {
    "name": "write the indicator's name as one line of text",
    "org": "write the name of one team: it becomes the KPI's owner",
    "definition": "write the definition as text",
    "base_path": "write the path of the indicator's handbook page, e.g. /handbook/sales/performance-indicators/",
    "target": "write one number, or the target in words, e.g. target: between 3 and 5",
    "reasons": "write each reason as one line of text",
}


def _text(value: Any, key: str, where: str, problems: list[str], label: str | None = None) -> str | None:
    """A handbook field's text, cleaned ("" when empty); None when the value is no text, told: the
    text of a list, a set of keys or a YAML true/false ("['Growth', 'Sales']", "True") would be words
    the owner never wrote. A number or a date is text as written."""
    label = label or key
    if value is None:
        return ""
    if isinstance(value, bool):
        example = f"- '{'yes' if value else 'no'}'" if key == "reasons" else f"{key}: '{'yes' if value else 'no'}'"
        problems.append(f"{where}: {label}: true/false is not text (YAML reads yes, no, on, off, true and false so when they are not "
                        f"in quotes: write {example} if the word is meant)")
        return None
    if isinstance(value, (str, int, float, date)):
        return clean_text(value)
    quotes = "; a text holding ': ' is written in quotes" if isinstance(value, dict) else ""
    problems.append(f"{where}: {label}: {shown_value(value)} is not text ({TEXT_HINTS[key]}{quotes})")
    return None


def _line(value: Any, key: str, where: str, problems: list[str]) -> str | None:
    """A handbook field that is one line of the KPI's file (its name, its org): ``_text``, its line
    breaks a space (a YAML block `name: |` keeps them)."""
    text = _text(value, key, where, problems)
    return single_line(text) if text is not None else None


def _texts(item: dict, where: str, problems: list[str]) -> dict[str, Any]:
    """The indicator's definition, base_path, target (a number, else text) and health reasons, each
    read by ``_text``: a value that is no text is told, and is None."""
    texts: dict[str, Any] = {key: _text(item.get(key), key, where, problems) for key in ("definition", "base_path")}
    target = item.get("target")
    number = isinstance(target, (int, float)) and not isinstance(target, bool)
    texts["target"] = target if number else _text(target, "target", where, problems)
    health = item.get("health")
    reasons = _listed(health.get("reasons")) if isinstance(health, dict) else []
    texts["reasons"] = [_text(r, "reasons", where, problems, f"health reason {n}") for n, r in enumerate(reasons, 1)]
    return texts


def _indicator(item: dict, texts: dict[str, Any], name: str, owner: str, public: bool, base_url: str | None, chart_url: str | None,
               where: str, notes: list[str]) -> tuple[dict, str]:
    meta: dict[str, Any] = {"title": name, "owner": owner}
    definition = _definition(texts["definition"], base_url, where, notes)
    if texts["target"] not in ("", None):
        meta["target"] = texts["target"]
    health = item.get("health")
    if isinstance(health, dict) and health.get("level") is not None:
        reasons = [reason for reason in texts["reasons"] if reason]
        meta["health"] = {"level": health["level"], "reasons": reasons} if reasons else {"level": health["level"]}
    elif isinstance(health, dict):
        if any(value not in (None, "", []) for value in health.values()):
            notes.append(f"{where}: its health is not imported: it has no level (write level: 3 okay, 2 attention, 1 problem, "
                         "0 unknown or -1 confidential)")
    elif isinstance(health, str):  # `health: attention`, a form of its own (SPEC §16); the check says if it is none
        if clean_text(health):
            meta["health"] = clean_text(health)
    elif health is not None:
        meta["health"] = health  # the check says what it must be, at this indicator
    if not public:
        meta["confidential"] = True
    if item.get("is_key") is True:
        meta["tags"] = ["key"]
    links = _links(_listed(item.get("urls")), base_url, where, notes)
    chart_links, note = _charts(item, chart_url, where, notes)
    links += chart_links
    if links:
        meta["dashboard"] = links[0] if len(links) == 1 else links
    base_path = texts["base_path"]
    if base_path:
        meta["source"] = f"Handbook: {base_url.rstrip('/') + base_path if base_url and base_path.startswith('/') else base_path}"
    return meta, (definition or "No definition was given in the handbook.") + note


CHARTS = {"sisense_data": "chart", "sisense_data_secondary": "second chart"}
CHART_NUMBERS = ("chart", "dashboard")


def _chart_url_problem(template: str) -> str | None:
    """What is wrong with a --chart-url template, else None: it may name {dashboard} and {chart} only."""
    try:
        unknown = [field for field in _named(template) if field not in CHART_NUMBERS]
    except ValueError as exc:
        return f"cannot be read: {exc}"
    return f"names {{{unknown[0]}}}, which is neither {{dashboard}} nor {{chart}}" if unknown else None


def _named(template: str) -> list[str]:
    """The names a format template fills in ({dashboard}, {chart}), in order; ValueError when unreadable."""
    return [field for _, field, _, _ in string.Formatter().parse(template) if field is not None]


def _charts(item: dict, chart_url: str | None, where: str, notes: list[str]) -> tuple[list[str], str]:
    """The indicator's BI charts (`sisense_data`, and a second one in `sisense_data_secondary`): each a
    link made by ``chart_url``; without it, or when the chart lacks a number the template needs, its
    numbers written at the end of the definition (with a note then), so that none is lost unsaid."""
    links, written = [], []
    for key, label in CHARTS.items():
        chart = item.get(key)
        if chart in (None, "", {}):
            continue
        if not isinstance(chart, dict):
            notes.append(f"{where}: its {key} is not imported: {shown_value(chart)} is not a set of keys (chart: and dashboard:)")
            continue
        odd = next((name for name in CHART_NUMBERS if isinstance(chart.get(name), (bool, list, dict))), None)
        if odd:
            notes.append(f"{where}: its {key} is not imported: {odd}: {shown_value(chart[odd])} is not a number")
            continue
        numbers = {name: clean_text(chart[name]) for name in CHART_NUMBERS if chart.get(name) not in (None, "")}
        if not numbers:
            continue
        lacking = [name for name in _named(chart_url or "") if name not in numbers]
        if chart_url and not lacking:
            links.append(chart_url.format(**{name: numbers.get(name, "") for name in CHART_NUMBERS}))
            continue
        if chart_url:
            notes.append(f"{where}: its {key} has no {lacking[0]}, which --chart-url needs: no link is made, its numbers are written "
                         "into the definition")
        place = f" on dashboard {numbers['dashboard']} of the BI tool" if "dashboard" in numbers else " in the BI tool"
        what = f"Its {label} is {numbers['chart']}{place}." if "chart" in numbers else f"Its {label} is{place}."
        written.append(what)
    return links, "".join(f"\n\n{what}" for what in written)


def _definition(text: str, base_url: str | None, where: str, notes: list[str]) -> str:
    """The definition with its links to paths on the handbook's site (/handbook/...) made absolute by
    ``base_url``; without it, such a link would lead nowhere on the built site: its text is kept, its
    address left out with a note, as a url of such a path is."""
    if base_url:
        base = base_url.rstrip("/")
        made_absolute = ROOT_LINK.sub(lambda m: m[0] if m["html"] else m[0].replace("](/", f"]({base}/", 1), text)
        return HREF_ROOT.sub(lambda m: m[1] + base + "/", made_absolute)

    def link_text(m: re.Match) -> str:
        path, shown = (m["html"], m["html_text"]) if m["html"] else (m["md"], m["md_text"])
        notes.append(f"{where}: the link of its definition to '{path}' is left out, its text '{shown}' kept: {HANDBOOK_PATH}")
        return shown

    def no_href(m: re.Match) -> str:
        notes.append(f"{where}: the link of its definition to '{m[2]}' is left out: {HANDBOOK_PATH}")
        return ""
    return ROOT_HREF.sub(no_href, ROOT_LINK.sub(link_text, text))


SCHEME = re.compile(r"^[a-z][a-z0-9+-]*:", re.I)  # javascript:, data:, mailto: (not bi.example.com:8080)


def _links(urls: list, base_url: str | None, where: str, notes: list[str]) -> list[str]:
    """The indicator's urls that are web addresses (https:// or http://, as `okrsite check` takes a
    dashboard: a BI tool inside a company often has no https); a handbook path (/handbook/...) made
    one by the ``base_url``; every other left out with a note saying why."""
    links = []
    for url in urls:
        text = clean_text(url) if isinstance(url, str) else None
        path = text is not None and text.startswith("/") and not text.startswith("//")
        if text is not None and path and base_url and not web_address_problem(base_url.rstrip("/") + text):
            text = base_url.rstrip("/") + text
        problem = web_address_problem(text) if text is not None else None  # what the check takes for a dashboard (goals/webaddress.py)
        if text is not None and problem is None:
            links.append(text)
            continue
        if text == "" or url is None:
            continue
        if text is None:
            why = "it is not a web address (write https://... or http://...)"
        elif path:
            why = HANDBOOK_PATH
        elif SCHEME.match(text) and not text.lower().startswith(("http:", "https:")):
            why = "only web addresses (https://... or http://...) become links"
        elif not text.lower().startswith(("http:", "https:")):
            why = "it has no https:// or http:// (write the address in full)"
        else:
            why = f"it is not a web address: it {problem[0]}"
        shown = shown_value(url) if text is None else f"'{text}'"
        notes.append(f"{where}: url {shown} is not imported: {why}")
    return links


def _html_setting(plan: Plan, has_html: bool) -> None:
    """Definitions hold inline HTML links: a new site gets allow_html = "safe", an existing one a note."""
    settings = plan.root / SETTINGS_FILE
    if not has_html:
        return
    if not settings.exists() and safe_html_available():
        plan.files[SETTINGS_FILE] = '# inline HTML links in the imported definitions are shown as links\nallow_html = "safe"\n'
    elif 'allow_html = "safe"' not in (settings.read_text(encoding="utf-8", errors="replace") if settings.exists() else ""):
        plan.notes.append("the definitions hold inline HTML (links): set allow_html = \"safe\" in okrsite.toml to show them as links "
                          f"(it needs {install_extra('safe-html')}); until then they are shown as text")


# ------------------------------------------------------------------------------- spreadsheet of OKRs

COLUMNS = {
    "objective": ("objective", "objectives", "objective title", "goal"),
    "key_result": ("key result", "key results", "kr", "krs", "key result title", "result"),
    "owner": ("owner", "owners", "responsible", "dri", "team", "who"),
    "period": ("period", "quarter", "cycle", "timeframe", "time frame"),
    "start": ("start", "baseline", "start value", "from", "initial value"),
    "target": ("target", "target value", "to", "goal value"),
    "current": ("current", "current value", "actual", "now", "latest"),
    "parent": ("parent", "parent objective", "aligned to", "aligns to", "supports"),
    "unit": ("unit", "units"),
}


def _squeezed_names() -> dict[str, str]:
    """Each header name without spaces ('K.R.' is 'kr'), to the first field it names."""
    found: dict[str, str] = {}
    for key, names in COLUMNS.items():
        for name in (*names, key.replace("_", " ")):
            found.setdefault(name.replace(" ", ""), key)
    return found


_SQUEEZED = _squeezed_names()
DONE = {"done", "yes", "y", "true", "x", "✓", "✔", "complete", "completed"}
NOT_DONE = {"", "no", "n", "false", "not done", "todo", "to do", "open", "pending"}
NUMBER = re.compile(r"^(?P<sign>-)?\s*(?P<currency>[$€£¥])?\s*(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<percent>%)?$")


SHEET_NUMBERS = "write a plain number such as 1300, 1,300, 30% or $1,000"


def _header_key(text: str) -> str | None:
    """The field a column's header names, matched loosely: case, spaces and punctuation aside ('K.R.',
    'Key-Result', 'KEY RESULT'), or a close spelling."""
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())
    if words.replace(" ", "") in _SQUEEZED:
        return _SQUEEZED[words.replace(" ", "")]
    close = difflib.get_close_matches(words, [n for names in COLUMNS.values() for n in names], n=1, cutoff=0.85)
    return next((key for key, names in COLUMNS.items() if close and close[0] in names), None)


def _cell_number(text: str) -> tuple[float, str | None] | None:
    match = NUMBER.match(text.strip())
    if match is None:
        return None
    value = float(match["digits"].replace(",", ""))
    return (-value if match["sign"] else value), (match["currency"] or match["percent"])


NAMES = {"objective": "Objective", "key_result": "Key result", "owner": "Owner", "period": "Period", "start": "Start",
         "target": "Target", "current": "Current", "parent": "Parent", "unit": "Unit"}
KR_KEYS = {"title": "key_result", "done": "current"}  # a key result's key -> the column it comes from (else its own name)


@dataclass
class _Sheet:
    """The CSV file and its columns (key -> index), told by their names as the header writes them."""

    file: Path
    columns: dict[str, int]
    header: list[str]

    @property
    def width(self) -> int:
        return len(self.header)

    def name(self, key: str) -> str:
        """The column's name in the sheet ('To', 'Actual'), or the usual one when the sheet has none."""
        return self.header[self.columns[key]].strip() if key in self.columns else NAMES[key]

    def where(self, row: int, key: str | None = None) -> str:
        return f"{self.file}: row {row}" + (f", column '{self.name(key)}'" if key else "")


@dataclass(eq=False)  # each is its own: two of one title (other periods or owners) are two objectives
class _Objective:
    title: str
    row: int
    owner: str = ""
    period: str = ""
    parent: str = ""
    key_results: list = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # owner, period, parent -> the row that gave it
    kr_rows: list[int] = field(default_factory=list)  # the row of each key result
    all_rows: list[int] = field(default_factory=list)  # every row of it: all are named when it is skipped
    flawed: bool = False  # a row or cell of it could not be read (told): its file is short of it
    unread: bool = False  # a row of it could not be read at all: its owner or period may be there


def import_csv(file: Path, root: Path) -> Imported:
    """Objective files from a spreadsheet of OKRs exported as CSV: one row per key result."""
    plan = _plan(root)
    rows = _csv_rows(Path(file), plan)
    objectives: list[_Objective] = []
    sheet = None
    if rows:
        columns = _columns(Path(file), rows[0][1], plan)
        if columns is not None:
            sheet = _Sheet(Path(file), columns, rows[0][1])
            if len(rows) == 1 and not plan.problems:  # else what took the rows is told (a quote never closed)
                plan.problems.append(f"{file}: row 1: no rows below the header (write one row per key result below it, "
                                     "each cell under its column's name)")
            _read_rows(sheet, rows[1:], objectives, plan)
    if sheet is not None:
        _plan_objectives(sheet, objectives, plan)
    return write_plan(plan)


def _csv_rows(file: Path, plan: Plan) -> list[tuple[int, list[str]]]:
    """(row number as the spreadsheet shows it, cells) of every non-blank row; the header first. Every
    column imported is one line of a file (a title, an owner, a period, a number), so a cell's line
    breaks (Alt+Enter in a spreadsheet) are a space: a title's would cut a check-in's commit subject."""
    try:
        text, problem = csv_text(file.read_bytes())
    except OSError as exc:
        plan.problems.append(f"{file}: cannot be read: {exc.strerror or exc}")
        return []
    if problem is not None:
        line, message, hint = problem
        plan.problems.append(f"{file}: line {line}: {message} ({hint}, or download it as CSV from Google Sheets)")
        return []
    separator = _separator(text.splitlines()[0] if text else "")
    if separator == ";":
        plan.problems.append(f"{file}: row 1: the CSV file separates its columns with ';', not commas: a number such as 1.000 could be "
                             f"read wrong ({EUROPEAN_EXPORT})")
        return []
    records, unread = csv_records(text, separator)
    if unread:
        plan.problems.append(f"{file}: row {len(records) + 1}: {unread[1]} ({unread[2]})")
    rows = [(number, [single_line(clean_text(c)) for c in cells]) for number, (_, cells) in enumerate(records, 1)]
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows and not unread:
        plan.problems.append(f"{file}: is empty (the first row names the columns: Objective, Key result, Owner, Period, Start, Target, Current, Parent)")
    return rows


def _separator(header: str) -> str:
    """The separator of the header's cells: a comma, else the ';' of a European locale's export or a tab."""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _columns(file: Path, header: list[str], plan: Plan) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _header_key(name)
        if key and key not in columns:
            columns[key] = index
    rename = _rename_hint([NAMES[key] for key in NAMES if key not in columns])
    for index, name in enumerate(header):
        key = _header_key(name)
        if key and columns[key] != index:
            plan.notes.append(f"{file}: column '{name}' is not imported: it reads as {COLUMNS[key][0].capitalize()}, which column "
                              f"'{header[columns[key]]}' already is ({rename})")
        elif not key and name:
            plan.notes.append(f"{file}: column '{name}' is not imported (known columns: {', '.join(n[0] for n in COLUMNS.values())})")
    missing = [key for key in ("objective", "key_result") if key not in columns]
    if missing:
        plan.problems.append(f"{file}: row 1: no column for {' and '.join(COLUMNS[k][0] for k in missing)} "
                             f"(name the columns in the first row: Objective, Key result, Owner, Period, Start, Target, Current, Parent)")
        return None
    return columns


def _rename_hint(free: list[str]) -> str:
    """How to rename a second column read as one the sheet already has: to a known one it lacks."""
    if not free:
        return "if it holds something else, it cannot be imported: every known column is there"
    names = f"{', '.join(free[:-1])} or {free[-1]}" if len(free) > 1 else free[0]
    return f"if it holds something else, name it after that: {names}"


def _read_rows(sheet: _Sheet, rows: list, objectives: list[_Objective], plan: Plan) -> None:
    current: _Objective | None = None
    for number, cells in rows:
        cell = {key: cells[index] if index < len(cells) else "" for key, index in sheet.columns.items()}
        title = cell["objective"]
        if len(cells) > sheet.width:  # even empty ones: `0,1,300,1,` is an unquoted 1,300 before an empty last column
            plan.problems.append(f"{sheet.where(number)}: has {len(cells)} cells, the header {sheet.width} (a number with a comma must be "
                                 "quoted, \"1,300\", or written without it, 1300; a cell past the last column needs a name in row 1, "
                                 "a comma at the end of the row can go)")
            # the rows below it still belong to its objective (a title that may have moved, but a parent
            # named by it is found): they are checked, with no second error for what this row leaves out
            if title:  # its owner and period cells may have moved: it goes with any objective of its title
                current = _objective_of(title, {}, number, current, objectives, plan.settings)
            if current is not None:
                current.flawed = current.unread = True
                current.all_rows.append(number)
            continue
        if title:
            current = _objective_of(title, cell, number, current, objectives, plan.settings)
        elif current is None:
            plan.problems.append(f"{sheet.where(number, 'objective')}: empty (write the objective's title; rows below it may leave it empty)")
            continue
        current.all_rows.append(number)
        for key in ("owner", "period", "parent"):
            value = cell.get(key, "")
            if value and not getattr(current, key):
                setattr(current, key, value)
                current.rows[key] = number
            elif value and key != "owner" and not _same(key, value, getattr(current, key), plan.settings):  # another owner owns the key result
                another = ("write the title in this row to start an objective of that period" if key == "period" else
                           "start another objective with a title of its own")
                plan.problems.append(f"{sheet.where(number, key)}: {value}, but its objective '{current.title}' "
                                     f"{'is in' if key == 'period' else 'aligns to'} {getattr(current, key)} (row {current.rows[key]}) "
                                     f"(the rows of an objective share its {key}: leave the cell empty, or {another})")
                current.flawed = True
        if cell["key_result"]:
            kr = _key_result(sheet, number, cell, current, plan)
            if kr is None:
                current.flawed = True
            else:
                current.key_results.append(kr)
                current.kr_rows.append(number)


def _objective_of(title: str, cell: dict[str, str], row: int, current: _Objective | None, objectives: list[_Objective],
                  settings: Settings) -> _Objective:
    """The objective a row naming ``title`` belongs to, the same rule within a sheet as across imports
    (_imported_before): the one of the rows just above when they are of that title and the row's
    period agrees (a run of rows: another owner there owns the row's key result), else the sheet's
    objective of that title whose period and owner agree with the row's (an empty cell agrees), else a
    new one. The same title in another period, or of another owner away from its run, is an objective
    of its own (an id of its own, 'title-2'): never merged into another team's, never dropped."""
    folded = title.casefold()
    if current is not None and current.title.casefold() == folded and _agrees(cell, current, "period", settings):
        return current
    for o in objectives:
        if o.title.casefold() == folded and all(_agrees(cell, o, key, settings) for key in ("period", "owner")):
            return o
    objectives.append(new := _Objective(title, row))
    return new


def _agrees(cell: dict[str, str], o: _Objective, key: str, settings: Settings) -> bool:
    """Whether a row's cell (owner, period) agrees with its objective's: the same, or either empty."""
    value, its = cell.get(key, ""), getattr(o, key)
    return not value or not its or _same(key, value, its, settings)


def _same(key: str, one: str, other: str, settings: Settings) -> bool:
    """Whether two cells name the same period (2026-Q4, 2026-q4), owner or parent (in any case, or a
    title and the id made of it: "Grow revenue", "grow-revenue")."""
    if key == "period":
        try:
            return _period(one, settings).id == _period(other, settings).id
        except PeriodError:  # told once, at the objective's own cell
            pass
    return one.casefold() == other.casefold() or (key != "period" and slugify(one) == slugify(other))


def _period(text: str, settings: Settings) -> Period:
    """The period a cell names, read as loosely as the sheet's headers: a spreadsheet's "Q1 2027" or
    "2027 Q1" is 2027-Q1, written so in the file."""
    try:
        return parse_period(text, settings.periods)
    except PeriodError as written:
        unread = written
    meant = period_meant(text.strip())
    try:
        if meant:
            return parse_period(meant, settings.periods)
    except PeriodError:
        pass
    raise unread


def _key_result(sheet: _Sheet, row: int, cell: dict[str, str], objective: _Objective, plan: Plan) -> dict | None:
    numbers: dict[str, float] = {}
    unit = cell.get("unit") or None
    bad = False
    for key in ("start", "target", "current"):
        text = cell.get(key, "")
        if not text or (key == "current" and not cell.get("target")):
            continue
        parsed = _cell_number(text)
        if parsed is None:  # every bad cell of the row is told, not only the first (SPEC §7)
            plan.problems.append(f"{sheet.where(row, key)}: '{text}' is not a number ({number_hint('', text.strip().lstrip('$€£¥').strip(), SHEET_NUMBERS)})")
            bad = True
            continue
        numbers[key], unit = parsed[0], unit or parsed[1]
    if bad:
        return None
    kr: dict[str, Any] = {"title": cell["key_result"]}
    owner = cell.get("owner", "")
    if owner and objective.owner and owner != objective.owner:
        kr["owner"] = owner
    if "target" in numbers:
        if numbers["target"] == numbers.get("start", 0.0):
            plan.problems.append(f"{sheet.where(row, 'target')}: the target equals the start ({cell['target']}) (write a target different from the start)")
            return None
        kr.update({k: _plain(v) for k, v in numbers.items()})
        if unit:
            kr["unit"] = unit
        return kr
    done = cell.get("current", "").casefold()
    if done in DONE | NOT_DONE:
        kr["done"] = done in DONE
        return kr
    plan.problems.append(f"{sheet.where(row, 'current')}: '{cell['current']}' without a target (write a target in column "
                         f"'{sheet.name('target')}', or 'done' / 'not done' for a milestone)")
    return None


def _plain(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _plan_objectives(sheet: _Sheet, objectives: list[_Objective], plan: Plan) -> None:
    before = {o: found for o in objectives if (found := _imported_before(o, plan)) is not None}
    ids = {o: before[o].id if o in before else plan.new_id(o.title, "objective") for o in objectives}
    titles = {o.title.casefold(): o.id for o in plan.site.objectives.values()}
    settings = plan.settings
    for o in objectives:
        if o in before:
            plan.notes.append(_skipped_note(sheet, o, before[o]))
            continue
        told = len(plan.problems)
        meta: dict[str, Any] = {"title": o.title}
        period = o.period or settings.default_period
        try:
            if period:
                meta["period"] = _period(period, settings).id
        except PeriodError as exc:
            plan.problems.append(f"{sheet.where(o.rows.get('period', o.row), 'period')}: {exc} ({period_hint(period, settings.periods)})")
        if not period and o.unread:
            pass
        elif not period and "period" in sheet.columns:
            plan.problems.append(f"{sheet.where(o.row, 'period')}: empty (write the period, e.g. 2026-Q4, or set default_period in okrsite.toml)")
        elif not period:
            plan.problems.append(f"{sheet.where(o.row)}: no period (add a column 'Period', e.g. 2026-Q4, or set default_period in okrsite.toml)")
        if not o.owner and not o.unread:
            plan.problems.append(f"{sheet.where(o.row, 'owner')}: empty (write a team or a person's name)" if "owner" in sheet.columns else
                                 f"{sheet.where(o.row)}: no owner (add a column 'Owner': a team or a person's name)")
        elif o.owner:
            meta["owner"] = _owner(o.owner, plan, sheet.where(o.rows["owner"], "owner"))
        if o.parent:
            in_sheet = _sheet_parent(o, objectives, settings)
            parent = (ids[in_sheet] if in_sheet else None) or titles.get(o.parent.casefold()) or (o.parent if o.parent in plan.site.objectives else None)
            if in_sheet is None and o.parent.casefold() == o.title.casefold():
                plan.problems.append(f"{sheet.where(o.rows['parent'], 'parent')}: '{o.parent}' is the objective of this row itself "
                                     "(leave it empty, or name the objective this one aligns to)")
            elif parent is None:
                hint = did_you_mean(o.parent, [x.title for x in objectives] + list(plan.site.objectives)) or "write the title of an objective in the file, or an objective's id"
                plan.problems.append(f"{sheet.where(o.rows['parent'], 'parent')}: no objective '{o.parent}' ({hint})")
            else:
                meta["parent"] = parent
        if o.key_results:
            meta["key_results"] = [dict(kr, owner=_owner(kr["owner"], plan, sheet.where(row, "owner"))) if "owner" in kr else kr
                                   for kr, row in zip(o.key_results, o.kr_rows)]
        path, text = f"content/objectives/{ids[o]}.md", front_matter(meta, f"Imported from {sheet.file.name}.")
        plan.add(path, text, _origin(sheet, o, text))
        if o.flawed or len(plan.problems) > told:
            plan.incomplete.add(path)


def _sheet_parent(o: _Objective, objectives: list[_Objective], settings: Settings) -> _Objective | None:
    """The sheet's objective ``o`` names as its parent, by title: of several of that title (other
    periods or owners), the one in ``o``'s period, else the first; never ``o`` itself."""
    titled = [x for x in objectives if x is not o and x.title.casefold() == o.parent.casefold()]
    period = o.period or settings.default_period or ""
    in_period = [x for x in titled if period and _same("period", x.period or settings.default_period or "", period, settings)]
    return (in_period or titled or [None])[0]


def _skipped_note(sheet: _Sheet, o: _Objective, there: Objective) -> str:
    """The note for an objective of the sheet the site has already: its rows skipped, where the site
    has it (and who wrote that file, when it says), and what of the sheet's differs from the file, to
    edit there (imports never overwrite)."""
    rows = [row for row in o.all_rows if row != o.row]
    also = f" with {'rows' if len(rows) > 1 else 'row'} {', '.join(map(str, rows))} of it" if rows else ""
    owner = f", {there.owner}" if there.owner else ""
    what = f"'{o.title}' ({there.period.id}{owner})"
    if there.doc.body.lstrip().startswith("Imported from "):
        found = f"{what} was imported before as {there.doc.path}"
    elif there.follows and there.doc.body.lstrip().startswith(carried_sentence(there.follows, "").removesuffix(" from ")):
        found = f"{what} is already in {there.doc.path}, written by carry-over from '{there.follows}'"
    else:
        found = f"{what} is already in {there.doc.path}"
    differs = _differences(o, there)
    return (f"{sheet.where(o.row)}: {found}: skipped{also}" + (f"; the sheet differs from the file: {'; '.join(differs)}" if differs else "") +
            " (imports never overwrite: edit that file, or delete it to import the objective again)")


def _differences(o: _Objective, there: Objective) -> list[str]:
    """What the sheet's key results say that the file's do not: one not in the file, or another number."""
    theirs = {clean_text(kr.title).casefold(): kr for kr in there.key_results}
    told = []
    for kr, row in zip(o.key_results, o.kr_rows):
        found = theirs.get(clean_text(kr["title"]).casefold())
        if found is None:
            told.append(f"key result '{kr['title']}' (row {row}) is not in the file")
            continue
        sheet = {"start": kr.get("start", 0), "target": kr.get("target"), "current": kr.get("current"), "unit": kr.get("unit")} \
            if "target" in kr else {"done": kr["done"]}
        other = [f"{'' if key == 'done' else key + ' '}{_shown(value)} in the sheet, {_shown(getattr(found, key))} in the file"
                 for key, value in sheet.items() if value != getattr(found, key) and not (key == "unit" and value is None)]
        if other:
            told.append(f"key result '{kr['title']}' (row {row}): {', '.join(other)}")
    return told


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "done" if value else "not done"
    if isinstance(value, float):
        return str(_plain(value))
    return "none" if value is None else str(value)


def _imported_before(o: _Objective, plan: Plan) -> Objective | None:
    """The site's objective of the same title (in any case), period and owner: the sheet, or an older
    copy of it, was imported before. Run again, an import adds only the objectives new to the site, as
    `import gitlab-pi` adds only the indicators new to it."""
    period = o.period or plan.settings.default_period
    try:
        period_id = _period(period, plan.settings).id if period else None
    except PeriodError:
        return None
    owners = {o.owner, _known_team(o.owner, plan.site), slugify(o.owner)}  # as written, a team's id or title, a new team's id
    title = clean_text(o.title).casefold()
    return next((x for x in plan.site.objectives.values()
                 if clean_text(x.title).casefold() == title and x.period is not None and x.period.id == period_id and x.owner in owners), None)


def _known_team(name: str, site: Site) -> str | None:
    """The id of the site's team an owner cell or a handbook's org names, else None: its id or its
    title in any case and spacing (a sheet's 'Company' is the team `company`, as the docs promise), or
    the id made of the name ('Engineering (function)': `engineering-function`); an exact id first.
    Both imports match so: a team is never a person's name in one and the team in the other."""
    written = single_line(name)
    if written in site.teams:
        return written
    folded, slug = written.casefold(), bare_slug(written)
    for named in (lambda t: t.id.casefold() == folded, lambda t: single_line(t.title).casefold() == folded, lambda t: t.id == slug):
        found = next((t.id for t in site.teams.values() if named(t)), None)
        if found is not None:
            return found
    return None


def _origin(sheet: _Sheet, o: _Objective, text: str) -> Callable[[int], str]:
    """Where a line of an objective's planned file comes from: the row (and column) of the sheet."""
    front, _, body_line = split_front_matter(text)
    at: dict[int, tuple] = {}
    for path, line in parse_yaml(front or "", front_line(front or "", body_line))[1].items():
        if len(path) >= len(at.get(line, ())):  # the deepest key on the line
            at[line] = path

    def origin(line: int) -> str:
        path = at.get(line, ())
        if path[:1] == ("key_results",) and len(path) > 1:
            key = KR_KEYS.get(path[2], path[2]) if len(path) > 2 else None
            return sheet.where(o.kr_rows[path[1]], key if key in sheet.columns else None)
        key = "objective" if path[:1] == ("title",) else path[0] if path else None
        return sheet.where(o.rows.get(key, o.row), key if key in sheet.columns else None)
    return origin


def _owner(name: str, plan: Plan, where: str) -> str:
    """A team's id when the name is a team's (or shaped like a team id: then a new team, unless it is
    a typo of a team's id: told at ``where``), else a person's name."""
    if team := _known_team(name, plan.site):
        return team
    if team_shaped(name) and name not in plan.site.teams:
        problem = owner_problem(name, plan.site.teams)
        if problem is not None:
            plan.problems.append(f"{where}: {problem[0]} ({problem[1]})")
            return name
        return plan.team(name, where)
    return name
