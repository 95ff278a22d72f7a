"""What changed: the latest goal-changing commits, each summed up in words. Pure: no git, no I/O.

"Cut monthly churn to 4% (KR 2): 4.6% → 4.2%", "New objective: Expand the customer base", "Win back
trust: status set to at-risk". A commit that touched only teams or plain pages changed no goal.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from datetime import date
from pathlib import PurePosixPath
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..goals.formats import NUMBER_FORMATS, clean_keeping_isolates, clean_text, format_change, format_number, format_percent, isolated, one_form
from ..goals.load import kind_of
from ..goals.model import KPI, DataPoint, Objective, ObjectiveNames, Period, Site
from ..goals.parse import GUARDRAIL_KEYS
from ..goals.periods import to_date
from ..goals.wikilinks import Hidden, others_than, unlinked
from .checkins import (UnitChange, csv_rows, data_path, dated_rows, inline_rows, kpi_measured_anew, kpi_unit, kr_places, kr_value,
                       converted_value, factor_between, measured_anew, pair_items, rolled_out, unit_changes, unit_factor, unit_steps,
                       unit_then)
from .history import Commit, FileHistory, History, Version

LIMIT = 50
PAGE_LIMIT = 10  # the changes an objective's or a KPI's page lists: its own latest
PRIVATE_PARENT = "a private objective"  # how a public site names an objective it leaves out (SPEC §14)
_KR_FORMS = (("current", "numeric"), ("done", "binary"), ("progress", "manual"))
KR_NUMBERS = ("current", "done", "progress", "start", "target", "keep_above", "keep_below", "history")  # a key result's keys that hold its numbers


@dataclass(frozen=True)
class Item:
    text: str
    url: str | None  # the page of what changed, while it exists
    context: str = ""  # the objective of a key result's change, said where the item is read away from its page
    names: tuple[str, ...] = ()  # the goal text in ``text`` (titles, owners), in the order it comes

    @property
    def full(self) -> str:
        """The text with its objective: "Reduce churn › Cut monthly churn (KR 2): 4.6% → 4.2%"."""
        return f"{self.context} › {self.text}" if self.context else self.text

    def parts(self, full: bool = False) -> list[tuple[str, bool]]:
        """The text (``full``: with its objective) in runs of okrsite's words and of goal text (True),
        which a page marks in the site's language (WCAG 3.1.2); the runs make up the text exactly."""
        runs = [(self.context, True), (" › ", False)] if full and self.context else []
        at = 0
        for name in self.names:
            found = self.text.find(name, at) if name else -1
            if found < 0:
                continue
            runs += [(self.text[at:found], False)] * (found > at) + [(name, True)]
            at = found + len(name)
        return runs + [(self.text[at:], False)] * (at < len(self.text))


@dataclass(frozen=True)
class Line:
    """A change's line as it is made: runs of okrsite's words and of goal text (True: a title, an owner),
    so that its Item knows its goal text (Item.names) without reading it back out of the words."""

    runs: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(text for text, goal in self.runs if goal)

    def __format__(self, spec: str) -> str:
        raise TypeError("a Line is joined to words with line(), not formatted: its goal text would be lost")


def line(*pieces: "str | Line") -> Line:
    """Words (str) and lines joined into one line, each piece's runs kept."""
    return Line(tuple(run for piece in pieces for run in (piece.runs if isinstance(piece, Line) else ((piece, False),))))


def _goal(text: str) -> Line:
    """Goal text (a title, an owner) inside a change's line: one name of Item.names."""
    return Line(((text, True),))


def _item(text: Line, url: str | None, context: "Line | str" = "") -> Item:
    """The item of a line, cleaned as the site cleans its own text, with its goal text as names."""
    return Item(clean_keeping_isolates(text.text), url, clean_keeping_isolates(context.text if isinstance(context, Line) else context),
                tuple(clean_keeping_isolates(name) for name in text.names))


@dataclass(frozen=True)
class ChangeSet:
    commit: Commit
    items: tuple[Item, ...]


def recent_changes(history: History, site: Site, as_of: date, limit: int = LIMIT, number_format: str = "full", public: bool = False,
                   secrets: "Secrets | None" = None) -> tuple[ChangeSet, ...]:
    """The last ``limit`` commits up to the as-of date that changed an objective or a KPI, newest first:
    by date, and on the same date by their place in the history (a commit dated back with `okrsite
    checkin --date` goes under its date, as its check-in does).

    Numbers are written as on the pages: ``number_format`` is the site's, a KPI's or key result's
    own ``format`` wins over it. ``public`` (SPEC §14; ``site`` is then the whole site, private
    objectives included): what concerns a private objective is left out, a confidential number's
    change is said without it ("Monthly recurring revenue updated"), and a commit that touched
    either keeps its author and date but not its message, which may name them. ``secrets``: those
    of this history and site, when already known."""
    pairs = _pairs(history)
    describe = _Describer(site, number_format, (secrets or Secrets.of(site, history)) if public else None, as_of, history)
    found = []
    for commit in sorted((c for c in history.commits if c.day <= as_of and c.hash in pairs), key=lambda c: (c.day, c.seq), reverse=True):
        items, withheld = describe.commit(pairs[commit.hash])
        if items and describe.secrets:
            items = tuple(describe.unlinked(items))
        if items:
            found.append(ChangeSet(_shown(commit, withheld, describe.secrets), items))
            if len(found) == limit:
                break
    return tuple(found)


class PageChanges:
    """Each objective's and KPI's own changes, by its page's url: the last ``limit`` commits up to the
    as-of date that changed its file (or its KPI's CSV file), newest first as in recent_changes, each
    with only what it said of that page. Not a window over the whole site: a finished objective's list
    moves only when its own file's text does (a commit that only moved it, `git mv`, is not one of its
    changes), and names the objective by its title alone, with no period (another objective that has
    its title since, a follower carry-over wrote, changes nothing on it). ``public`` as in recent_changes; ``withheld``: the short hashes
    of withheld_commits, when already known.

    Told for one page when it asks (describing every commit of 10,000 objectives takes seconds); ``key``
    says without telling them what they are made of, so a page's digest changes whenever they can."""

    def __init__(self, history: History, site: Site, as_of: date, limit: int = PAGE_LIMIT, number_format: str = "full",
                 public: bool = False, withheld: frozenset[str] | None = None, secrets: Secrets | None = None) -> None:
        self.history, self.site, self.limit, self.number_format, self.public = history, site, limit, number_format, public
        self._as_of, self._withheld, self._secrets = as_of, withheld, secrets
        self._told: dict[str, tuple[ChangeSet, ...]] = {}

    @cached_property
    def _order(self) -> dict[str, tuple[date, int]]:
        """(day, place) of every commit up to the as-of date, by hash: a commit after it is in none."""
        as_of = self.as_of
        return {c.hash: (c.day, c.seq) for c in self.history.commits if c.day <= as_of}

    @cached_property
    def _describe(self) -> "_Describer":
        return _Describer(self.site, self.number_format, (self._secrets or Secrets.of(self.site, self.history)) if self.public else None, self.as_of,
                          self.history, own_page=True)

    @cached_property
    def _quiet(self) -> frozenset[str]:
        if not self.public:
            return frozenset()
        return withheld_commits(self.history, self.site, self._secrets) if self._withheld is None else self._withheld

    @cached_property
    def _urls(self) -> dict[str, str]:
        """The page of each path, as _Describer names it: an objective's or KPI's file, a KPI's CSV file."""
        urls = {data_path(k): k.url for k in self.site.kpis.values() if k.data}
        urls.update((e.doc.path, e.url) for table in (self.site.objectives, self.site.kpis) for e in table.values())
        return urls

    @cached_property
    def _files(self) -> dict[str, list[FileHistory]]:
        """The files whose changes may be said of each page, by its url: a file by the page of its path
        now; one deleted since by the pages of every path it had."""
        files: dict[str, list[FileHistory]] = defaultdict(list)
        for file in (*self.history.files.values(), *self.history.gone):
            paths = {file.path} if file.path else {v.path for v in file.versions}
            for url in {self._urls[p] for p in paths if p in self._urls}:
                files[url].append(file)
        return files

    def of(self, url: str) -> tuple[ChangeSet, ...]:
        if url not in self._told:
            self._told[url] = self._tell(url)
        return self._told[url]

    def _tell(self, url: str) -> tuple[ChangeSet, ...]:
        order, found = self._order, {}
        commits: dict[str, Commit] = {}
        for file in self._files.get(url, ()):
            for commit, items in self._latest_of_file(file, url):
                found.setdefault(commit.hash, []).extend(items)
                commits[commit.hash] = commit
        latest = sorted(found, key=order.__getitem__, reverse=True)[:self.limit]
        secrets = self._describe.secrets
        return tuple(ChangeSet(_shown(commits[h], h[:7] in self._quiet, secrets), tuple(found[h])) for h in latest)

    def _latest_of_file(self, file: FileHistory, url: str) -> Iterator[tuple[Commit, list[Item]]]:
        """(commit, items) of the last ``limit`` commits up to the as-of date that said something of the page at ``url``, newest first."""
        order, describe = self._order, self._describe
        pairs = sorted((pair for pair in _file_pairs(file) if pair[1].commit.hash in order and not pair[1].moved_from(pair[0])),
                       key=lambda p: order[p[1].commit.hash], reverse=True)
        told = 0
        for before, version in pairs:
            items = [i for i in describe(before, version, file.path) if i.url == url]
            if items and describe.secrets:
                items = describe.unlinked(tuple(items))
            if items:
                yield version.commit, items
                told += 1
                if told == self.limit:
                    return

    @cached_property
    def _common(self) -> bytes:
        """What every page's changes are told with: the limit, the number format, the audience's secrets,
        every KPI as a change names it (its title, unit, format, page and CSV file, and the commits that
        changed its unit: a value or a linked key result's number before one is said in the unit it had)."""
        units = self._describe.unit_changes
        kpis = sorted((k.id, k.title, k.unit, k.number_format, k.url, k.data, tuple((c.commit.hash, c.was, c.unit) for c in units(k)))
                      for k in self.site.kpis.values())
        secrets = self._describe.secrets
        secret = (tuple(sorted(getattr(secrets, f.name)) for f in fields(secrets)), sorted(self._quiet)) if secrets is not None else None
        return hashlib.blake2b(repr((self.limit, self.number_format, secret, kpis)).encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def context(self) -> tuple:
        """What every page's changes may depend on beyond what ``key`` holds of its own objective or KPI:
        the KPIs and secrets (_common) and every title's objectives. A commit dated back or renamed by a
        mailmap is in the key of each page whose files it touched. A page kept by its ids and its key
        (web/pagedigest.py) is kept with this the same."""
        return self._common, self._describe.names.every_title()

    def key(self, url: str) -> tuple:
        """What the changes of the page at ``url`` are made of, without telling them: every version of its
        files up to the as-of date (a version's text is its commit's and path's) with its commit, the
        page of each path they had, the objective it names (id, period and its end), and which objectives have
        each title the versions wrote (ObjectiveNames names one with its period when another has its title),
        and how each parent they name is said (_Describer.parent_named: by that objective's title now)."""
        order, names = self._order, self._describe.names
        files, titles, paths, parents = [], set(), set(), {}
        for file in self._files.get(url, ()):
            versions = [v for v in file.versions if v.commit.hash in order]
            ahead = tuple(day for day in self._written_ahead(file) if day <= self.as_of)  # _value_changes says them as of the date
            files.append((file.path, tuple((*_as_shown(v.commit), v.path, v.deleted) for v in versions), ahead))
            paths |= {file.path} if file.path else {v.path for v in file.versions}
            titles |= {_title(v.data, "") or PurePosixPath(v.path).stem for v in versions if isinstance(v.data, dict)}
            parents.update((repr(v.data["parent"]), v.data["parent"]) for v in versions if isinstance(v.data, dict) and v.data.get("parent") is not None)
        entities = [(p, self._urls.get(p), *_named_as(self._describe.by_path.get(p))) for p in sorted(paths)]
        named = tuple((shown, self._describe.parent_named(parents[shown])) for shown in sorted(parents))
        return self._common, tuple(files), tuple(entities), tuple((t, names.holders(t)) for t in sorted(titles)), named

    @property
    def as_of(self) -> date:
        return self._as_of

    def _written_ahead(self, file: FileHistory) -> tuple[date, ...]:
        """The days of the file's values and check-ins written before their day (dated after their
        commit's): the only ones whose line depends on the as-of date."""
        found = self._ahead.get(id(file))
        if found is None:
            days: set[date] = set()
            for version in file.versions:
                if version.data:
                    written = version.commit.day
                    days.update(day for day in _value_days(version.data) if day > written)
            found = self._ahead[id(file)] = tuple(sorted(days))
        return found

    @cached_property
    def _ahead(self) -> dict[int, tuple[date, ...]]:
        return {}


def _value_days(data: Any) -> Iterator[date]:
    """The days of the dated values a version holds: a CSV file's rows, a KPI's `values:`, its key results' `history:`."""
    if isinstance(data, tuple):
        yield from csv_rows(data) or ()
    elif isinstance(data, dict):
        yield from inline_rows(data) or ()
        for entry in _entries(data):
            if isinstance(entry, dict):
                yield from dated_rows(entry.get("history"))


def _as_shown(commit: Commit) -> tuple:
    """A commit as a list of changes shows it, and its place: plain values, quick to digest."""
    return commit.hash, commit.when.isoformat(), commit.author, commit.subject, commit.boundary, commit.seq


def _named_as(entity: Any) -> tuple:
    """The id and period an objective's changes name it by (_Describer.named), with the period's end (a
    check-in dated after it is said not to count); a KPI's id."""
    if entity is None:
        return (None, None, None)
    period = getattr(entity, "period", None)
    return (entity.id, period.id, period.end) if period is not None else (entity.id, None, None)


def _shown(commit: Commit, withheld: bool, secrets: "Secrets | None" = None) -> Commit:
    """A commit as a page shows it: on a public site (``secrets``) without its message when it touched
    a secret, and a `[[link]]` to a private objective in its message saying "a private objective" (the
    message `okrsite checkin --commit` writes names the key result by its title as written)."""
    if withheld:
        return replace(commit, subject="", body="")
    if secrets is None:
        return commit
    hidden = secrets.hidden
    subject, body = unlinked(commit.subject, hidden, PRIVATE_PARENT), unlinked(commit.body, hidden, PRIVATE_PARENT)
    return commit if subject == commit.subject and body == commit.body else replace(commit, subject=subject, body=body)


def withheld_commits(history: History, site: Site, secrets: "Secrets | None" = None) -> frozenset[str]:
    """Short hashes of the commits whose message a public site does not show (see recent_changes):
    a check-in's note is its commit's message, so these commits' notes go too."""
    pairs = _pairs(history)
    describe = _Describer(site, "full", secrets or Secrets.of(site, history), history=history)
    return frozenset(commit.short for commit in history.commits if commit.hash in pairs and describe.commit(pairs[commit.hash])[1])


Pair = tuple["Version | None", Version, "str | None"]  # (the version before, the version, the file's path now)


def _pairs(history: History) -> dict[str, list[Pair]]:
    """(the version before, the version, the file's path now: None once deleted) of every file each
    commit wrote. A file moved since (`git mv`) is still the same objective or KPI: its earlier
    versions' changes are its page's, whatever path they were written at."""
    pairs: dict[str, list[Pair]] = defaultdict(list)
    for file in (*history.files.values(), *history.gone):
        for before, version in _file_pairs(file):
            pairs[version.commit.hash].append((before, version, file.path))
    return pairs


def _file_pairs(file: FileHistory) -> Iterator[tuple["Version | None", Version]]:
    """(the version before, the version) of each commit that wrote ``file``, oldest first: a version
    that cannot be read is compared with none, and skipped; a shallow clone's oldest commit changed nothing,
    nor did one that left the file reading as it did (Version.reads_like: only line ends or a BOM changed)."""
    readable: Version | None = None
    for version in file.versions:
        if not version.commit.boundary and not version.reads_like(readable):
            yield readable, version
        if version.data is not None or version.deleted:
            readable = version


@dataclass(frozen=True)
class Secrets:
    """What a public site's change summaries must not say (SPEC §14), from the site as it is and
    every version of its files: a file that was ever private or confidential counts as such, so an
    objective made private later does not show up under its old title."""

    private_paths: frozenset[str]  # objective files ever private, by every path they had
    private_ids: frozenset[str]  # the ids those objectives had (a `parent:` names one)
    kpis: frozenset[str]  # ids of confidential KPIs: a key result linked to one is confidential
    kpi_paths: frozenset[str]  # their files and CSV files
    key_results: Mapping[tuple[str, str], frozenset[int]] = field(default_factory=dict)  # (commit, path): places of the key results not public in that version
    # objective id: per key result, the commits (short hashes) whose check-in is not public and the
    # (date, value) of its written `history:` entries first written while it was not (see confided)
    check_ins: Mapping[str, Mapping[int, frozenset[str | tuple[date, float]]]] = field(default_factory=dict)
    # KPI id (public now, confidential once): the commits (short hashes) made while it was confidential
    kpi_commits: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # (commit, path): places of public key results whose value is still one set while they were not
    kept_values: Mapping[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    # the names of private objectives' files that are no objective's id (a Markdown link by one, see wikilinks.unlinked)
    private_files: frozenset[str] = frozenset()
    # (commit, path): places of the key results that are confidential now, as that version wrote them
    # (followed through renamed ids and files: a past version names them as it named them then)
    confidential_now: Mapping[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    # the files and CSV files of the KPIs confidential now (or deleted once confidential), by every path
    # they had: kpi_paths without those of KPIs made public since, whose values kpi_commits judge
    kpi_paths_now: frozenset[str] = frozenset()
    # likewise the files of the objectives private now (or deleted once private): private_paths without
    # those of objectives made public since, whose check-ins since are public
    private_paths_now: frozenset[str] = frozenset()

    @cached_property
    def hidden(self) -> Hidden:
        """The private objectives as a text may name them (wikilinks.unlinked)."""
        return Hidden.of(self.private_ids, self.private_files)

    @classmethod
    def of(cls, site: Site, history: History) -> "Secrets":
        private_paths, private_ids, kpis, kpi_paths, kpi_paths_now, private_paths_now = set(), set(), set(), set(), set(), set()
        objective_files, kpi_commits, in_order = [], {}, None
        by_path = {e.doc.path: e for table in (site.objectives, site.kpis) for e in table.values()}
        moved = _moved_kpis(site, history)
        for file in (*history.files.values(), *history.gone):
            entity = (by_path.get(file.path) or moved.get(file.path)) if file.path else None
            versions = [v for v in file.versions if isinstance(v.data, dict)]
            paths = {v.path for v in file.versions} | ({file.path} if file.path else set())
            ids = {v.ident for v in versions} | ({entity.id} if entity else set())
            kinds = {kind_of(PurePosixPath(v.path), v.data) for v in versions} | ({"kpi"} if isinstance(entity, KPI) else set())
            if "objective" in kinds:
                objective_files.append((file, entity))
            if "objective" in kinds and (getattr(entity, "private", False) or any(v.data.get("private") is True for v in versions)):
                private_paths |= paths
                private_ids |= ids
                if _secret_now(entity, Objective):
                    private_paths_now |= paths
            if "kpi" in kinds and (getattr(entity, "confidential", False) or any(_confidential_kpi(v.data) for v in versions)):
                if isinstance(entity, KPI) and not entity.confidential:
                    in_order = in_order or sorted(history.commits, key=lambda c: c.seq)
                    kpi_commits[entity.id] = _made_while_confidential(file.versions, in_order)
                kpis |= ids
                its_paths = paths | {_data_path(v.data.get("data")) for v in versions if isinstance(v.data.get("data"), str)}
                kpi_paths |= its_paths
                if _secret_now(entity, KPI):
                    kpi_paths_now |= its_paths
        for o in site.objectives.values():
            if o.private:
                private_paths.add(o.doc.path)
                private_paths_now.add(o.doc.path)
                private_ids.add(o.id)
        for k in site.kpis.values():
            if k.confidential:
                kpis.add(k.id)
                kpi_paths |= {k.doc.path} | ({data_path(k)} if k.data else set())
                kpi_paths_now |= {k.doc.path} | ({data_path(k)} if k.data else set())
        files = others_than({PurePosixPath(path).stem for path in private_paths}, {*site.objectives, *private_ids})
        found = cls(frozenset(private_paths), frozenset(private_ids), frozenset(kpis), frozenset(kpi_paths), kpi_commits=kpi_commits, private_files=files,
                    kpi_paths_now=frozenset(kpi_paths_now), private_paths_now=frozenset(private_paths_now))
        key_results: dict[tuple[str, str], frozenset[int]] = {}
        kept_values: dict[tuple[str, str], frozenset[int]] = {}
        check_ins: dict[str, dict[int, frozenset]] = {}
        for file, entity in objective_files:
            found.withheld_in(file.versions, entity if isinstance(entity, Objective) else None, key_results, check_ins, kept_values)
        confidential_now = {place: hidden for file, entity in objective_files if isinstance(entity, Objective)
                            for place, hidden in _confidential_now(file.versions, entity).items()}
        return replace(found, key_results=key_results, check_ins=check_ins, kept_values=kept_values, confidential_now=confidential_now)

    def confidential_then(self, version: Version, item: Any) -> bool:
        """A key result as ``version`` of its objective file wrote it whose numbers were not public
        then: its own `confidential:` (or `private:`), its objective's in that version, or its KPI's
        at that commit (a KPI confidential now: in every commit)."""
        data = version.data if isinstance(version.data, dict) else {}
        if data.get("confidential") is True or data.get("private") is True:
            return True
        if not isinstance(item, dict):
            return False
        kpi = item.get("kpi")
        return item.get("confidential") is True or item.get("private") is True or isinstance(kpi, str) and kpi in self.kpis and (
            kpi not in self.kpi_commits or version.commit.short in self.kpi_commits[kpi])

    def withheld_in(self, versions: tuple[Version, ...], objective: Objective | None,
                    key_results: dict[tuple[str, str], frozenset[int]], check_ins: dict[str, dict[int, frozenset]],
                    kept_values: dict[tuple[str, str], frozenset[int]]) -> None:
        """The one rule of a public site for a key result's numbers (docs/audiences.md): a value from a
        commit is shown only if the key result is public now AND was public in that commit. Fills
        ``key_results`` (the places not public in each version), ``check_ins`` (by ``objective``,
        today's key result: the commits whose value is not public) and ``kept_values`` (the places of
        public key results whose value is still the one set while they were not: a change from it
        must not quote it)."""
        secret_now = {kr.index for kr in objective.key_results if kr.confidential} if objective is not None else set()
        readable = [v for v in versions if isinstance(v.data, dict) and isinstance(v.data.get("key_results"), list)]
        if not secret_now and not any(self.confidential_then(v, item) for v in readable for item in v.data["key_results"]):
            return
        now = objective.doc.meta.get("key_results") if objective is not None else None
        now = now if isinstance(now, list) else []
        commits: dict[int, set[str | tuple[date, float]]] = defaultdict(set)
        written: dict[int, set[tuple[date, float]]] = defaultdict(set)  # each one's `history:` entries seen so far
        before, set_unseen = [], frozenset()  # the last readable version's key results, and those whose value was set unseen
        for version, (items, at) in zip(versions, kr_places(now, versions)):
            if items is None:
                continue
            today = {place: index for index, place in enumerate(at) if place is not None}
            hidden = frozenset(place for place, item in enumerate(items)
                               if self.confidential_then(version, item) or today.get(place) in secret_now)
            if hidden:
                key_results[version.commit.hash, version.path] = hidden
            set_unseen = hidden | _same_value(before, items, set_unseen)
            if set_unseen - hidden:
                kept_values[version.commit.hash, version.path] = set_unseen - hidden
            before = items
            for place, index in today.items():
                entries = items[place].get("history") if isinstance(items[place], dict) else None
                new = set(dated_rows(entries).items()) - written[index]
                written[index] |= new
                if place in hidden:  # written while it was not public: a value this commit wrote, as a check-in is
                    commits[index] |= new
            for place in hidden & today.keys():
                commits[today[place]].add(version.commit.short)
        if objective is not None and commits:
            check_ins[objective.id] = {index: frozenset(shorts) for index, shorts in commits.items()}

    def key_result(self, version: Version, place: int) -> bool:
        """Whether the key result at ``place`` in ``version`` of an objective file may not show its numbers."""
        return place in self.key_results.get((version.commit.hash, version.path), ())

    def any_key_result(self, version: Version) -> bool:
        return bool(self.key_results.get((version.commit.hash, version.path)))

    def value_kept(self, version: Version, place: int) -> bool:
        """Whether the key result at ``place`` in ``version`` is public with a value set while it was not."""
        return place in self.kept_values.get((version.commit.hash, version.path), ())


def _confidential_now(versions: tuple[Version, ...], objective: Objective) -> dict[tuple[str, str], frozenset[int]]:
    """(commit, path) of each version of ``objective``'s file: the places of its key results that are
    confidential now, paired back one version at a time as the check-ins are (kr_places)."""
    secret_now = {kr.index for kr in objective.key_results if kr.confidential}
    now = objective.doc.meta.get("key_results")
    if not secret_now or not isinstance(now, list):
        return {}
    found = {}
    for version, (items, at) in zip(versions, kr_places(now, versions)):
        places = frozenset(place for index, place in enumerate(at) if place is not None and index in secret_now)
        if items is not None and places:
            found[version.commit.hash, version.path] = places
    return found


def _same_value(old: list, new: list, places: frozenset[int]) -> frozenset[int]:
    """The places in ``new`` of the key results at ``places`` in ``old`` whose value did not change."""
    def value(item: Any) -> tuple:  # what a change from it would quote (_one_kr): its number, else its latest written check-in
        if not isinstance(item, dict):
            return ()
        numbers = tuple(kr_value(item, form) for _, form in _KR_FORMS)
        return numbers if any(n is not None for n in numbers) else (_value_before(item, date.max),)
    return frozenset(j for i, j in pair_items(old, new) if i in places and j is not None and value(old[i]) == value(new[j]))


def confidential_data_files(history: History) -> dict[str, str]:
    """Each file under content/ that a version of a KPI file, confidential in that version, named as
    its `data:` file, with the id that version gave the KPI: it holds values of that time whatever KPI
    names it now, or none (its `data:` line removed, the KPI deleted; QA EG)."""
    found: dict[str, str] = {}
    for file in (*history.files.values(), *history.gone):
        for version in file.versions:
            data = version.data
            if isinstance(data, dict) and isinstance(data.get("data"), str) and kind_of(PurePosixPath(version.path), data) == "kpi" and _confidential_kpi(data):
                path = _data_path(data["data"])
                if path.startswith("content/"):
                    found.setdefault(path, version.ident)
    return found


def _moved_kpis(site: Site, history: History) -> dict[str, KPI]:
    """The KPIs of ``site`` whose file has no history under its name now, by the committed file no more
    on disk under its name whose last version gave their id or wrote their front matter: a rename not
    committed yet (`git mv burn.md spend.md`) is the same KPI, confidential once or not (QA EG)."""
    unread = {k.id: k for k in site.kpis.values() if k.doc.path not in history.files}
    if not unread:
        return {}
    named = {e.doc.path for table in (site.objectives, site.kpis, site.teams, site.pages) for e in table.values()}
    found = {}
    for path, file in history.files.items():
        last = file.versions[-1] if file.versions else None
        if path in named or last is None or not isinstance(last.data, dict):
            continue
        same = unread.get(last.ident) or next((k for k in unread.values() if dict(k.doc.meta) == last.data), None)
        if same is not None:
            found[path] = same
    return found


class ConfidentialTime(frozenset):
    """The commits (short hashes) made while a KPI made public since was confidential, and the day of
    the commit that made it public (``public_since``): a value dated before it is one of that time,
    whatever file or commit carries it now (a copy of its old CSV file, a file not committed yet; QA EG)."""

    public_since: date | None = None

    def holds(self, point: DataPoint) -> bool:
        return point.commit in self or (self.public_since is not None and point.date < self.public_since)


def _made_while_confidential(versions: tuple[Version, ...], in_order: list[Commit]) -> ConfidentialTime:
    """The commits (``in_order``: oldest first) made while a KPI file's latest version was confidential:
    a value of its CSV file recorded in one of them was recorded while it was (the file's own versions
    say only when it changed)."""
    secret_from = {v.commit.hash: isinstance(v.data, dict) and _confidential_kpi(v.data) for v in versions}
    made, secret = set(), bool(versions) and secret_from[versions[0].commit.hash]  # a CSV row written before the KPI file: as its first version
    public_since = None
    for commit in in_order:
        was, secret = secret, secret_from.get(commit.hash, secret)
        if secret:
            made.add(commit.short)
        elif was:
            public_since = commit.day
    found = ConfidentialTime(made)
    found.public_since = public_since
    return found


def recorded_in(values: tuple[DataPoint, ...], commits: frozenset[str]) -> bool:
    """Whether the latest of a KPI's ``values`` (the value it shows, or a key result following it takes)
    was recorded in one of ``commits`` (Secrets.kpi_commits: while the KPI was confidential), or is
    dated in that time (ConfidentialTime)."""
    return bool(commits and values and of_confidential_time(values[-1], commits))


def of_confidential_time(point: DataPoint, commits: frozenset[str]) -> bool:
    """Whether a KPI's value was recorded while it was confidential, or is dated then (ConfidentialTime)."""
    return commits.holds(point) if isinstance(commits, ConfidentialTime) else point.commit in commits


def confided(point: DataPoint, hidden: frozenset) -> bool:
    """Whether a key result's check-in is one the public may not see (Secrets.check_ins of it): from a
    commit in which the key result was not public, or a `history:` entry first written (or edited)
    in one."""
    return point.commit in hidden if point.source == "git" else point.source == "file" and (point.date, point.value) in hidden


def _entries(data: Any) -> list:
    entries = data.get("key_results") if isinstance(data, dict) else None
    return entries if isinstance(entries, list) else []


def _secret_now(entity: Objective | KPI | None, kind: type) -> bool:
    """Whether the objective (``kind``) or KPI a file once secret holds now is private or confidential
    still, or is no more (a file deleted once secret stays so)."""
    return not isinstance(entity, kind) or (entity.private if kind is Objective else entity.confidential)


def _confidential_kpi(data: dict) -> bool:
    """`confidential: true`, or the owner's health -1 (SPEC §16) as a version of a KPI file wrote it."""
    health = data.get("health")
    level = health.get("level") if isinstance(health, dict) else health
    return data.get("confidential") is True or data.get("private") is True or level in (-1, "-1", "confidential")


def _data_path(text: str) -> str:
    return PurePosixPath(text.replace("\\", "/")).as_posix()


def _title(data: Any, fallback: str) -> str:
    title = data.get("title") if isinstance(data, dict) else None
    title = clean_text(title) if isinstance(title, (str, int, float)) else ""
    return title or fallback


def _plain(value: Any, unit: str | None = None, style: str = "full") -> str:
    return format_number(value, unit, style) if _is_number(value) else str(value)


def _written(value: Any, unit: str | None = None, style: str = "full") -> str:
    """A start or target as the version wrote it: a string in quotes, so that a target written
    "1,500,000" (no number) and the 1,500,000 that fixed it do not read as the same (QA DN)."""
    return f"“{value}”" if isinstance(value, str) else _plain(value, unit, style)


def _edits(name: Line, before: Version, after: Version, said: bool, moved: bool) -> list[Line]:
    """What a commit changed in a file beyond what was ``said`` of it (its fields, values, key results):
    its description, the text below the front matter (QA EE: a KPI revived with new words and a value
    was told only the value), or else another key of its front matter ("details edited"). A file
    moved and not edited, nothing."""
    described = after.body_edited(before)
    if said:
        return [line(name, ": description edited")] * described
    if moved and not edited_too(before, after):
        return []
    if before.data == after.data:
        return [line(name, ": description edited")]
    return [line(name, ": details edited")] + [line(name, ": description edited")] * described


def _page_by_page(items: Iterable[Item]) -> tuple[Item, ...]:
    """A commit's lines with those of one page together, in the order the pages first come: a KPI's
    file and its CSV file are two files of one commit, which other files may come between (QA EH)."""
    pages: dict[object, list[Item]] = {}
    for n, item in enumerate(items):
        pages.setdefault(item.url if item.url is not None else n, []).append(item)
    return tuple(item for page in pages.values() for item in page)


def edited_too(before: Version, after: Version) -> bool:
    """Whether a file moved in a commit had its text changed too, as the site reads it (QA DT): its
    description is then an edit to list with the move; not said when either reading is unknown."""
    return before.reads_as is not None and after.reads_as is not None and before.reads_as != after.reads_as


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _unit(data: dict) -> str | None:
    return data.get("unit") if isinstance(data.get("unit"), str) else None


class _Describer:
    """Says what one commit changed. With ``secrets`` (a public site), it leaves out and says without
    numbers what they name, and remembers that it did (``withheld``): that commit's message is not shown."""

    def __init__(self, site: Site, number_format: str = "full", secrets: Secrets | None = None, until: date = date.max,
                 history: History | None = None, own_page: bool = False) -> None:
        self.site, self.number_format, self.secrets, self.until, self.history = site, number_format, secrets, until, history
        self.own_page = own_page  # the changes are told on the page of what they name
        self.by_path = {e.doc.path: e for table in (site.objectives, site.kpis) for e in table.values()}
        self.by_csv = {data_path(k): k for k in site.kpis.values() if k.data}
        self.names = ObjectiveNames(o for o in site.objectives.values() if not secrets or o.id not in secrets.private_ids)
        self.withheld = False
        self._unit_changes: dict[str, tuple[UnitChange, ...]] = {}
        self._unit_steps: dict[str, tuple[UnitChange, ...]] = {}

    def unit_changes(self, kpi: KPI) -> tuple[UnitChange, ...]:
        """The commits that measured ``kpi`` anew in another unit (git.checkins.unit_changes)."""
        found = self._unit_changes.get(kpi.doc.path)
        if found is None:
            found = self._unit_changes[kpi.doc.path] = unit_changes(self.history.of(kpi.doc.path)) if self.history is not None else ()
        return found

    def unit_steps(self, kpi: KPI) -> tuple[UnitChange, ...]:
        """The commits that changed ``kpi``'s unit, its target with it or not (git.checkins.unit_steps)."""
        found = self._unit_steps.get(kpi.doc.path)
        if found is None:
            found = self._unit_steps[kpi.doc.path] = unit_steps(self.history.of(kpi.doc.path)) if self.history is not None else ()
        return found

    def conversion(self, kpi: KPI | None, before: Version | None, after: Version) -> tuple[float | None, str | None]:
        """(factor_between, the unit before) of the values of ``kpi``'s data file from ``before`` to ``after``."""
        if kpi is None or before is None:
            return 1.0, None
        steps = self.unit_steps(kpi)
        return factor_between(steps, before.commit, after.commit), unit_then(steps, before.commit, kpi.unit)

    def unit_then(self, kpi: KPI, commit: Commit) -> str | None:
        """The unit of ``kpi``'s values as ``commit`` left its file: the one it had before a later change of unit (QA EE), else its unit now."""
        return unit_then(self.unit_changes(kpi), commit, kpi.unit)

    def unlinked(self, items: tuple[Item, ...]) -> list[Item]:
        """Titles are said as written: a `[[link]]` to a private objective in one says "a private objective"."""
        hidden = self.secrets.hidden if self.secrets else frozenset()
        return [replace(i, text=unlinked(i.text, hidden, PRIVATE_PARENT), context=unlinked(i.context, hidden, PRIVATE_PARENT),
                        names=tuple(unlinked(name, hidden, PRIVATE_PARENT) for name in i.names)) for i in items]

    def commit(self, pairs: list[Pair]) -> tuple[tuple[Item, ...], bool]:
        """(what the commit changed, whether anything of it was withheld)."""
        self.withheld = False
        items = _page_by_page(item for before, after, now in pairs for item in self(before, after, now))
        return items, self.withheld

    def confided(self, secret: bool) -> None:
        """A file or key result that holds confidential numbers came or went: the commit's message may say them."""
        self.withheld = self.withheld or secret

    def quiet(self, label: "Line | str") -> Line:
        """A confidential number's change, without the number (SPEC §14)."""
        self.withheld = True
        return line(label, " updated")

    def __call__(self, before: Version | None, after: Version, now: str | None = None) -> Iterator[Item]:
        """What ``after`` changed of ``before``, each line cleaned as the site cleans its own text: a
        unit, owner, status or path read from a past version holds what it was written with (a control
        character, a U+2069 that would close the isolate around it and a U+202E after it); the isolates
        put around right-to-left text stay."""
        for text, url, context in self._changes(before, after, now):
            yield _item(text, url, context)

    def _changes(self, before: Version | None, after: Version, now: str | None = None) -> Iterator[tuple[Line, str | None, "Line | str"]]:
        """What ``after`` changed of ``before``; ``now`` is the file's path today, which names the
        objective or KPI it is (else the path it had, for a file deleted since)."""
        path = after.path
        secrets = self.secrets
        if secrets and (path in secrets.private_paths or (before is not None and before.path in secrets.private_paths)):
            self.withheld = True
            return
        if path.endswith(".csv"):
            kpi = self.by_csv.get(now or path)
            old = csv_rows(before.data) if before and not before.deleted else {}
            new = csv_rows(after.data) if not after.deleted else {}
            if old is not None and new is not None:
                label, url = (_goal(isolated(kpi.title)), kpi.url) if kpi else (isolated(path), None)
                style = (kpi.number_format if kpi else None) or self.number_format
                unit = self.unit_then(kpi, after.commit) if kpi else None
                was_unit = self.unit_then(kpi, before.commit) if kpi and before else unit
                texts = _value_changes(label, old, new, unit, style, self.until, was_unit, self.conversion(kpi, before, after))
                if texts and secrets and path in secrets.kpi_paths:
                    texts = [self.quiet(label)]
                yield from ((text, url, "") for text in texts)
            return
        data = before.data if after.deleted and before else after.data
        if not isinstance(data, dict):
            return
        kind = kind_of(PurePosixPath(path), data)
        if kind not in ("objective", "kpi"):
            return
        entity = self.by_path.get(now or path) if not after.deleted else None
        url = entity.url if entity is not None else None
        title = _title(data, PurePosixPath(path).stem)
        if kind == "objective":
            objective = entity if isinstance(entity, Objective) else None
            named = self.named(data, objective)
            period = objective.period if objective is not None else None
            yield from ((text, url, context) for text, context in list(self.objective(before, after, title, named, period)))
        else:
            yield from ((text, url, "") for text in list(self.kpi(before, after, title)))

    def named(self, data: dict, objective: Objective | None) -> Callable[[str], str]:
        """How the objective of a version is named in its changes (ObjectiveNames): with its period,
        the one it has now (else the one written), when another objective has the title; on its own
        page by its title alone."""
        if self.own_page:
            return str
        period = objective.period.id if objective is not None and objective.period is not None else data.get("period")
        period = str(period) if isinstance(period, (str, int)) and not isinstance(period, bool) else None
        return lambda title: self.names(title, period, objective.id if objective is not None else None)

    def owner_marked(self, value: object) -> Line:
        return _goal(self.owner_named(value))

    def parent_marked(self, value: object) -> "Line | str":
        named = self.parent_named(value)
        return named if named == PRIVATE_PARENT else _goal(named)

    def owner_named(self, value: object) -> str:
        """An `owner:` as a change says it: a team by its title, as pages name it; a person as written."""
        team = self.site.teams.get(value) if isinstance(value, str) else None
        return team.title if team is not None else str(value)

    @cached_property
    def former_ids(self) -> dict[str, str]:
        """The ids objectives had in earlier versions of their files, each to its id now: a `parent:`
        written before its parent's file was renamed (or given an `id:`) names the same objective, and
        a child re-aligned to it under its new id is not "now aligned" to another one."""
        found: dict[str, str] = {}
        for file in self.history.files.values() if self.history is not None else ():
            entity = self.by_path.get(file.path)
            if isinstance(entity, Objective):
                for version in file.versions:
                    if isinstance(version.data, dict) and (old := version.ident) != entity.id:
                        found.setdefault(old, entity.id)
        return found

    def parent_named(self, value: object) -> str:
        """A `parent:` as a change says it: the objective by its title today (with its period where
        another objective has the title, ObjectiveNames), "a private objective" on a public site, and
        as written for an id the site no longer has."""
        ident = _named(value)
        if isinstance(ident, str) and ident not in self.site.objectives:
            ident = self.former_ids.get(ident, ident)
        if self.secrets and ident in self.secrets.private_ids:
            return PRIVATE_PARENT
        parent = self.site.objectives.get(ident) if isinstance(ident, str) else None
        if parent is None:
            return str(ident)
        period = parent.period.id if parent.period is not None else None
        return f"“{parent.title}”" + (f" ({period})" if self.names(parent.title, period, parent.id) != parent.title else "")

    def objective(self, before: Version | None, after: Version, title: str, named: Callable[[str], str] = str,
                  period: Period | None = None) -> Iterator[tuple[Line, "Line | str"]]:
        """(text, context) pairs: a key result's change names its objective in the context; ``period``
        is the objective's (as the site has it), whose end a check-in may be dated after."""
        if before is None or before.deleted or not isinstance(before.data, dict):
            period = after.data.get("period") if isinstance(after.data, dict) else None
            self.confided(self.secrets is not None and self.secrets.any_key_result(after))
            yield line("New objective: ", _goal(isolated(title)), f" ({period})" if period is not None else ""), ""
            return
        if after.deleted:
            self.confided(self.secrets is not None and self.secrets.any_key_result(before))
            yield line("Removed objective: ", _goal(isolated(named(title)))), ""
            return
        old, new = before.data, after.data
        name = _goal(isolated(named(title)))
        moved = [(line(name, f": moved to {after.path}"), "")] if before.path != after.path else []
        said: list[tuple[Line, Line | str]] = []
        private = self.secrets.private_ids if self.secrets else frozenset()
        if old.get("parent") != new.get("parent") and {_named(old.get("parent")), _named(new.get("parent"))} & private:
            self.withheld = True
        keys = ("title", "status", "period", "owner", "parent", "kind", "score", "retro")
        said += [(text, "") for text in _field_changes(name, old, new, keys, parent=self.parent_marked,
                                                       renamed=(_goal(named(_title(old, title))), _goal(title)), owner=self.owner_marked)]
        said += list(self.kr_changes(name, before, after, period))
        said += [(text, "") for text in _edits(name, before, after, bool(said), bool(moved))]
        yield from moved + said

    def kpi(self, before: Version | None, after: Version, title: str) -> Iterator[Line]:
        secret = self.secrets is not None and (after.path in self.secrets.kpi_paths or (before is not None and before.path in self.secrets.kpi_paths))
        if before is None or before.deleted or not isinstance(before.data, dict):
            self.confided(secret)
            yield line("New KPI: ", _goal(isolated(title)))
            return
        if after.deleted:
            self.confided(secret)
            yield line("Removed KPI: ", _goal(isolated(title)))
            return
        old, new = before.data, after.data
        name = _goal(isolated(title))
        unit, style = kpi_unit(new), self.style(new)
        keys = ("title", "direction", "owner", "data", "retired") if secret else ("title", "unit", "target", "threshold", "direction", "owner", "data", "retired")
        was_unit = kpi_unit(old) if kpi_measured_anew(old, new) else unit
        texts = list(_field_changes(name, old, new, keys, unit, style, owner=self.owner_marked, was_unit=was_unit))
        old_rows, new_rows = inline_rows(old), inline_rows(new)
        conversion = unit_factor(old, new), kpi_unit(old)
        numbers = _value_changes(name, old_rows, new_rows, unit, style, self.until, was_unit, conversion) if old_rows is not None and new_rows is not None else []
        if secret and (numbers or any(old.get(key) != new.get(key) for key in ("target", "threshold"))):
            numbers = [self.quiet(name)]
        texts += numbers
        moved = [line(name, f": moved to {after.path}")] if before.path != after.path else []  # renamed or moved (git follows the file), as an objective's is said
        yield from moved + texts + _edits(name, before, after, bool(texts), bool(moved))

    def style(self, data: dict, linked: Any = None) -> str:
        """The number format of a KPI or key result as written in this version: its own, a linked KPI's, the site's."""
        own = data.get("format")
        return own if own in NUMBER_FORMATS else (linked.number_format if linked else None) or self.number_format

    def kr_changes(self, title: Line, before: Version, after: Version, period: Period | None = None) -> Iterator[tuple[Line, "Line | str"]]:
        """The changes of each key result from ``before`` to ``after``, with ``title`` (the objective's,
        as named) for their context; the commit's day is when a written check-in up to it is the value
        a first `current:` follows."""
        old, new = _entries(before.data), _entries(after.data)
        day = after.commit.day
        secret = self.secrets.key_result if self.secrets is not None else (lambda version, place: False)
        for i, j in pair_items(old, new):
            was = old[i] if i is not None and isinstance(old[i], dict) else None
            now = new[j] if j is not None and isinstance(new[j], dict) else None
            number = (j if j is not None else i) + 1
            if was is None and now is not None:
                self.confided(secret(after, j))
                yield line(title, f": KR {number} added: ", _goal(_title(now, 'untitled'))), ""
            elif now is None and was is not None:
                self.confided(secret(before, i))
                yield line(title, f": KR {number} removed: ", _goal(_title(was, 'untitled'))), ""
            elif was is not None and was != now:
                linked = self.site.kpis.get(now.get("kpi")) if isinstance(now.get("kpi"), str) else None
                unit = _unit(now) or (self.unit_then(linked, after.commit) if linked else None)
                was_unit = _unit(was) or (self.unit_then(linked, before.commit) if linked else None)
                if secret(before, i) or secret(after, j):
                    texts = [self.quiet(line(_goal(_title(now, 'untitled')), f" (KR {number})"))] if any(was.get(k) != now.get(k) for k in KR_NUMBERS) else []
                    texts += _kr_renamed(number, was, now)
                else:
                    unseen = self.secrets is not None and self.secrets.value_kept(before, i)
                    texts = list(_one_kr(number, was, now, unit, self.style(now, linked), day, self.until, unseen, period,
                                         was_unit if _unit(now) is None and _unit(was) is None else unit))
                yield from ((text, title) for text in texts)


def _named(value: object) -> object:
    """A reference as written in a past version, in the form the loader reads it (a `parent: 2026` is
    the id '2026', `"win "` is 'win': goals/parse.py, Fields.name), so that it names what the site's
    objective of that id is; a list or mapping (an error in that version) as written."""
    return value if value is None or isinstance(value, (bool, dict, list)) else one_form(clean_text(value))


def _field_changes(name: Line, old: dict, new: dict, keys: tuple[str, ...], unit: str | None = None, style: str = "full",
                   parent: Callable[[object], "Line | str"] = str, renamed: tuple[Line, Line] | None = None,
                   owner: Callable[[object], "Line | str"] = str, was_unit: Any = None) -> Iterator[Line]:
    """Changes of plain fields of what ``name`` names; a number in ``target`` or ``threshold`` is
    written with ``unit``, the one it replaced with ``was_unit`` when that differs (a KPI measured
    anew: "target 800 ms → 0.8 s"); a parent is named by ``parent`` (_Describer.parent_named), an owner by
    ``owner`` (a team by its title, as pages name it). A new title is said ``renamed`` (the old one as
    named, the new one as written), else as written. A grade and a retrospective (closing a quarter)
    are said in words, not as "details edited", and so is a KPI retired."""
    for key in keys:
        was, now = old.get(key), new.get(key)
        if was == now:
            continue
        shown = (lambda v: _plain(v, unit, style)) if key in ("target", "threshold") else owner if key == "owner" else str
        if key == "retro":
            yield line(name, ": retrospective " + ("written" if not was else "removed" if not now else "edited"))
        elif key == "score" and (_is_number(was) or was is None) and (_is_number(now) or now is None):
            yield line(name, f": graded {now:.2f}" if was is None else f": grade removed (was {was:.2f})" if now is None else f": grade {was:.2f} → {now:.2f}")
        elif key == "title":
            old_name, title = renamed or (_goal(_title(old, name.text)), name)
            yield line(old_name, " renamed to “", title, "”")
        elif key == "status":
            yield line(name, f": status set to {now}" if now is not None else f": status set by hand removed (was {was})")
        elif key == "retired":
            yield line(name, f": retired on {now}" if was is None else f": measured again (was retired on {was})" if now is None else f": retired on {now} (was {was})")
        elif key == "parent":
            was, now = (None if v is None else parent(v) for v in (was, now))
            if was != now:
                yield line(name, ": now aligned to ", now) if now is not None else line(name, ": no longer aligned to ", was)
        elif was is None:
            yield line(name, f": {key} set to ", shown(now))
        elif now is None:
            yield line(name, f": {key} removed (was ", shown(was), ")")
        elif shown is not str and _is_number(was) and _is_number(now):
            moved = format_change(was, now, unit, style) if was_unit in (None, unit) else f"{format_number(was, was_unit, style)} → {format_number(now, unit, style)}"
            yield line(name, f": {key} {moved}")
        else:
            yield line(name, f": {key} ", shown(was), " → ", shown(now))


def _one_kr(number: int, was: dict, now: dict, unit: str | None, style: str, day: date = date.max, until: date = date.max,
            unseen: bool = False, period: Period | None = None, was_unit: Any = "") -> Iterator[Line]:
    """What changed in one key result, named by its title and place: "Win 30 new logos (KR 2): 19 → 30 logos";
    "Win 30 new logos (KR 2): 30 logos" when the value before was set ``unseen`` (while it was confidential).
    ``was_unit``: the unit of its numbers before, where its KPI's unit changed since ("target 800 ms → 0.8 s").
    A check-in dated after ``period`` ended says that it does not count: a finished period is frozen (SPEC §6)."""
    label = line(_goal(isolated(_title(now, 'untitled'))), f" (KR {number})")
    anew = measured_anew(was, now)
    if anew:
        yield line(label, f": unit {_plain(was.get('unit')) if was.get('unit') is not None else '–'} → {_plain(now.get('unit')) if now.get('unit') is not None else '–'}")
    old_unit = _plain(was.get("unit")) if anew and was.get("unit") is not None else None if anew else unit if was_unit == "" else was_unit

    def moved(before: float, after: float) -> str:
        return format_change(before, after, unit, style) if old_unit == unit else f"{format_number(before, old_unit, style)} → {format_number(after, unit, style)}"

    for key, form in _KR_FORMS:
        before, after = kr_value(was, form), kr_value(now, form)
        if before == after or after is None:
            continue
        if before is None and form == "numeric":
            before = _value_before(was, day)
            before = None if before == after else before
        if unseen and form != "binary":
            before = None
        if form == "binary":
            yield line(label, ": done" if after else ": no longer done")
        elif form == "manual":
            yield line(label, f": estimated {format_percent(before)} → {format_percent(after)}" if before is not None else f": estimated {format_percent(after)}")
        else:
            yield line(label, f": {moved(before, after)}" if before is not None else f": {format_number(after, unit, style)}")
    for key in ("start", "target", "keep_above", "keep_below"):
        if was.get(key) != now.get(key) and now.get(key) is not None:
            before, after = was.get(key), now.get(key)
            if _is_number(before) and _is_number(after):
                yield line(label, f": {key} {moved(before, after)}")
            else:
                yield line(label, f": {key} {_written(before) if before is not None else '–'} → {_written(after, unit, style)}")
    old_entries = was.get("history") if isinstance(was.get("history"), list) else []
    ahead = []
    for entry in (now.get("history") if isinstance(now.get("history"), list) else []):
        if entry not in old_entries and isinstance(entry, dict) and _is_number(entry.get("value")):
            when = to_date(entry.get("date"))
            if when is not None and when > until:
                ahead.append(when)  # as a KPI's value for a later day (_value_changes)
            else:
                late = f", after {period.id} ended: not counted" if period is not None and when is not None and when > period.end else ""
                yield line(label, f": check-in {format_number(entry['value'], unit, style)} ({_plain(entry.get('date'))}{late})")
    if ahead:
        yield _written_ahead(label, "check-in", sorted(set(ahead)))
    yield from _kr_renamed(number, was, now)


def _value_before(item: dict, day: date) -> float | None:
    """The value a key result without `current:` had, as `okrsite checkin` takes it over: its latest
    written check-in up to ``day``, else its `start`, 0 when none is written (a carried key result's
    first check-in is "300 → 250 ms", a new one's "0 → 1 account"). None when it followed a KPI,
    whose value this version does not hold, and for a guardrail, which starts nowhere."""
    if item.get("kpi") is not None or any(item.get(key) is not None for key in GUARDRAIL_KEYS):
        return None
    written = [value for when, value in sorted(dated_rows(item.get("history")).items()) if when <= day]
    if written:
        return written[-1]
    start = item.get("start", 0)
    return float(start) if _is_number(start) and abs(start) <= 1e15 else None


def _kr_renamed(number: int, was: dict, now: dict) -> list[Line]:
    if was.get("title") != now.get("title") and now.get("title"):
        return [line(_goal(_title(was, 'untitled')), f" (KR {number}) renamed to “", _goal(_title(now, '')), "”")]
    return []


def _value_changes(label: "Line | str", old: dict[date, float], new: dict[date, float], unit: str | None, style: str = "full",
                   until: date = date.max, was_unit: Any = "", conversion: tuple[float | None, str | None] = (1.0, None)) -> list[Line]:
    """What a commit did to dated values. One for a day after ``until`` (the site's as-of date) is said
    without its number: the site does not show it yet (SPEC §6), and the commit's line must not
    contradict the page it is on (a value written ahead, or a site built as of an earlier day). A value
    corrected by the commit that changed the unit is said in each (``was_unit``: "850 ms → 0.85 s");
    one it only converted into the new unit (``conversion``: git.checkins.factor_between and the unit
    before) is no correction (QA EO)."""
    ahead = sorted(when for when in new if when > until and old.get(when) != new[when])
    added = sorted(when for when in new if when not in old and when <= until)
    rewritten = sorted(when for when in new if when in old and new[when] != old[when] and when <= until)
    factor, before = conversion
    converted = [when for when in rewritten if converted_value(old[when], new[when], factor)]
    corrected = [when for when in rewritten if when not in converted]
    kept = set(rolled_out(old, new))
    removed = [when for when in old if when not in new and when not in kept]
    texts = []
    if len(added) == 1:
        texts.append(line(label, f": {format_number(new[added[0]], unit, style)} on {added[0].isoformat()}"))
    elif added:
        texts.append(line(label, f": {len(added)} new values, latest {format_number(new[added[-1]], unit, style)} on {added[-1].isoformat()}"))
    for day in corrected:
        moved = (format_change(old[day], new[day], unit, style) if was_unit in ("", unit)
                 else f"{format_number(old[day], was_unit, style)} → {format_number(new[day], unit, style)}")
        texts.append(line(label, f": value of {day.isoformat()} corrected {moved}"))
    if converted:
        texts.append(line(label, f": {_counted(len(converted), 'value')} of {_days_between(converted)} converted from {before or 'its old unit'} into {unit or 'its new unit'}"))
    if kept:
        texts.append(line(label, f": {_counted(len(kept), 'value')} of {_days_between(sorted(kept))} no longer in the file, kept from the history"))
    if removed:
        texts.append(line(label, f": {len(removed)} value{'s' * (len(removed) != 1)} removed"))
    if ahead:
        texts.append(_written_ahead(label, "value", ahead))
    return texts


def _counted(count: int, what: str) -> str:
    return f"{count} {what}{'s' * (count != 1)}"


def _days_between(days: list[date]) -> str:
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()} to {days[-1].isoformat()}"


def _written_ahead(label: "Line | str", what: str, days: list[date]) -> Line:
    if len(days) == 1:
        return line(label, f": a {what} for {days[0].isoformat()} (shown from that day)")
    return line(label, f": {len(days)} {what}s for {days[0].isoformat()} to {days[-1].isoformat()} (shown from those days)")
