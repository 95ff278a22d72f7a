"""Search: what it finds, the index every page's search box loads, and the A–Z list shown without JavaScript.

`search_entries` is the one place that decides what search shows (an audience that hides an objective
hides it here, from the index and from the list alike). The index is a script file, not JSON, because a
page opened from disk (file://) may load a script but not fetch a file. It is compact: the strings many
entries repeat (owners, periods, statuses, tags) are written once in tables and referred to by number,
each entry is an array, and its address is rebuilt from its kind and id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator, NamedTuple

from ..goals.model import Site, title_order
from ..numbers.compute import Scores
from .markdown import Titles, plain_summary

SEARCH_INDEX = "search/index.js"
LISTING_SIZE = 250  # entries on each page of the A–Z list, so that no page is huge at 10,000 objectives
SUMMARY_CHARS = 90  # the first words of a body that search also matches

KINDS = ("objective", "key result", "KPI", "team", "person", "page")
_PREFIXES = {"objective": "objectives/", "KPI": "kpis/", "team": "teams/", "person": "people/"}


class Entry(NamedTuple):
    """One thing search finds. ``owner`` is a team id or a person's name (a team's and a person's own:
    the team filter keeps what belongs to a team). A named tuple: a 10,000-objective site has 50,000
    entries, made 10 % faster and held in 10–15 MB less than as frozen dataclasses."""

    kind: str
    title: str
    url: str
    owner: str | None = None
    period: str | None = None
    status: str | None = None  # an objective's (a key result's objective's), a KPI's health
    tags: tuple[str, ...] = ()
    words: str = ""  # the first words of its body
    detail: str = ""  # what the A–Z list shows beside the title


@dataclass(frozen=True)
class Searchable:
    """The model objects search shows: the one place a filter (an audience) decides what is found."""

    objectives: list
    kpis: list
    teams: list
    people: list  # (name, Person)
    pages: list

    @property
    def listed(self) -> int:
        """How many entries the A–Z list has: everything with a page of its own."""
        return len(self.objectives) + len(self.kpis) + len(self.teams) + len(self.people) + len(self.pages)


def searchable(site: Site) -> Searchable:
    return Searchable(list(site.objectives.values()), list(site.kpis.values()), list(site.teams.values()), list(site.people.items()), list(site.pages.values()))


def search_entries(site: Site, scores: Scores, allow_html: bool | str = False) -> list[Entry]:
    """Every objective (each followed by its key results), KPI, team, person and page, from the same
    model the pages show (their bodies' first words as the site's ``allow_html`` shows them)."""
    found = searchable(site)
    titles = link_titles(site)
    entries: list[Entry] = []
    for o in found.objectives:
        entries += objective_entries(o, scores.objectives[o.id].status, objective_detail(site, o), titles, allow_html)
    for k in found.kpis:
        entries.append(kpi_entry(k, scores.kpis[k.id].health, owner_name(site, k.owner), titles, allow_html))
    entries += map(team_entry, found.teams)
    for name, person in found.people:
        entries.append(person_entry(site, name, person))
    entries += (page_entry(p, titles, allow_html) for p in found.pages)
    return entries


def link_titles(site: Site) -> Titles:
    """The title of what an id names, as a `[[id]]` link in a body shows it (None: it names nothing)."""
    def title(ident: str) -> str | None:
        entity = site.entity(ident)
        return entity.title if entity is not None else None
    return title


def objective_entries(o, status: str | None, detail: str = "", titles: Titles | None = None, allow_html: bool | str = False) -> list[Entry]:
    """An objective's entry and its key results', given its status, what the A–Z list shows beside
    its title and the titles its body's `[[id]]` links show: the rest follows from the objective alone."""
    period = o.period.id
    return [Entry("objective", o.title, o.url, o.owner, period, status, tuple(o.tags), summary(o.doc.body, titles, allow_html), detail),
            *(Entry("key result", kr.title, f"{o.url}#{kr.id}", kr.owner, period, status) for kr in o.key_results)]


def objective_detail(site: Site, o) -> str:
    return f"{o.period.id} · {owner_name(site, o.owner)}"


def kpi_entry(k, health: str | None, detail: str = "", titles: Titles | None = None, allow_html: bool | str = False) -> Entry:
    words = " ".join(filter(None, (k.category, k.indicator, summary(k.doc.body, titles, allow_html))))
    return Entry("KPI", k.title, k.url, k.owner, None, health, (), words, detail)


def team_entry(t) -> Entry:
    return Entry("team", t.title, t.url, t.id, words=" ".join(filter(None, (t.id, t.lead))), detail=team_detail(t))


def team_detail(t) -> str:
    return f"lead: {t.lead}" if t.lead else ""


def person_entry(site: Site, name: str, person) -> Entry:
    teams = person_teams(site, person)
    return Entry("person", name, person.url, name, words=teams, detail=teams)


def person_teams(site: Site, person) -> str:
    return ", ".join(site.teams[t].title for t in person.teams if t in site.teams)


def page_entry(p, titles: Titles | None = None, allow_html: bool | str = False) -> Entry:
    return Entry("page", p.title, p.url, words=summary(p.body, titles, allow_html))


def listed(site: Site) -> list[tuple[str, str, str, str]]:
    """What the A–Z list shows of each of its entries, (title, kind, url, detail), in its order: the
    same as ``listing(search_entries(...))`` without what it does not show (the first words of each
    body, the statuses: most of what making the entries takes)."""
    found = searchable(site)
    rows = [(o.title, "objective", o.url, objective_detail(site, o)) for o in found.objectives]
    rows += [(k.title, "KPI", k.url, owner_name(site, k.owner)) for k in found.kpis]
    rows += [(t.title, "team", t.url, team_detail(t)) for t in found.teams]
    rows += [(name, "person", person.url, person_teams(site, person)) for name, person in found.people]
    rows += [(p.title, "page", p.url, "") for p in found.pages]
    rows.sort(key=lambda row: (title_order(row[0]), KINDS.index(row[1]), row[2]))
    return rows


def summary(body: str, titles: Titles | None = None, allow_html: bool | str = False) -> str:
    """The first words of a body (only its start is read: at 10,000 objectives the whole bodies cost)."""
    return plain_summary(summary_source(body), SUMMARY_CHARS, titles, allow_html)


def summary_source(body: str) -> str:
    """The part of a body its search summary is made from."""
    return body[:SUMMARY_CHARS * 4]


def owner_name(site: Site, owner: str | None) -> str:
    team = site.teams.get(owner or "")
    return team.title if team else owner or ""


def listing(entries: list[Entry]) -> list[Entry]:
    """The A–Z list of the search pages: everything that has a page of its own (key results do not),
    accented letters with their plain ones (goals.model.title_order), as the search page's JavaScript lists them."""
    return sorted((e for e in entries if e.kind != "key result"), key=lambda e: (title_order(e.title), KINDS.index(e.kind), e.url))


def listing_urls(count: int) -> list[str]:
    """The url of each page of an A–Z list of ``count`` entries: search/, search/2/, search/3/ …"""
    pages = max(1, -(-count // LISTING_SIZE))
    return ["search/"] + [f"search/{n}/" for n in range(2, pages + 1)]


def listing_pages(items: list) -> list[list]:
    """An A–Z list cut in its pages, one per url of listing_urls."""
    return [items[n * LISTING_SIZE:(n + 1) * LISTING_SIZE] for n in range(len(listing_urls(len(items))))]


def team_ancestry(site: Site) -> dict[str, list[str]]:
    """Each team id, a team with the teams above it: the team filter keeps a sub-team's goals too."""
    chains: dict[str, list[str]] = {}
    for ident in site.teams:
        chain, seen, at = [], set(), ident
        while at in site.teams and at not in seen:
            seen.add(at)
            chain.append(at)
            at = site.teams[at].parent
        chains[ident] = chain
    return chains


class _Table:
    """Strings written once in the index, referred to by their number."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._numbers: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        number = self._numbers.get(value)
        if number is None:
            number = self._numbers[value] = len(self.items)
            self.items.append(value)
        return number


def search_index(site: Site, scores: Scores, entries: list[Entry], current_period: str | None = None) -> dict:
    """The index as data, column by column (gzip packs a column of like values far better than rows):
    ``kind`` is a string of one digit per entry (its number in ``kinds``) and ``title`` the list of
    their titles; the other columns hold one value per entry that is not a key result: its address
    (the id, its kind's folder is added back; a page's whole url), owner, period and status (numbers
    into those tables, -1: none), tags (numbers into ``tagNames``) and the first words of its body. A key result follows
    its objective and shares its owner, period and status; ``krOwner`` and ``krAddress`` hold only the
    exceptions (by entry number): an owner of its own, an id other than ``<objective-id>-kr<N>``."""
    ancestry = team_ancestry(site)
    owners, periods, statuses, tags = _Table(), _Table(), _Table(), _Table()
    teams = list(site.teams)
    team_number = {t: n for n, t in enumerate(teams)}
    owner_teams: dict[int, list[int]] = {}
    columns: dict[str, list] = {name: [] for name in ("title", "address", "owner", "period", "status", "tags", "words")}
    kinds, kr_owner, kr_address = [], {}, {}
    objective, krs = None, 0
    for n, entry in enumerate(entries):
        owner = -1 if entry.owner is None else owners(entry.owner)
        if owner >= 0 and owner not in owner_teams:
            owner_teams[owner] = sorted({team_number[a] for t in _teams_of(site, entry.owner) for a in ancestry.get(t, ())})
        kinds.append(str(KINDS.index(entry.kind)))
        columns["title"].append(entry.title)
        if entry.kind == "key result":
            krs += 1
            if objective is None or entry.url != f"{objective.url}#{objective.url[11:-1]}-kr{krs}":
                kr_address[n] = entry.url.partition("#")[2]
            if objective is None or entry.owner != objective.owner:
                kr_owner[n] = owner
            continue
        if entry.kind == "objective":
            objective, krs = entry, 0
        prefix = _PREFIXES.get(entry.kind)
        columns["address"].append(entry.url[len(prefix):-1] if prefix and entry.url.startswith(prefix) and entry.url.endswith("/") else entry.url)
        columns["owner"].append(owner)
        columns["period"].append(periods(entry.period) if entry.period else -1)
        columns["status"].append(statuses(entry.status) if entry.status else -1)
        columns["tags"].append([tags(t) for t in entry.tags])
        columns["words"].append(entry.words)
    names = [owner_name(site, owner) for owner in owners.items]
    return {
        "v": 1, "current": current_period,
        "kinds": list(KINDS), "prefixes": [_PREFIXES.get(kind, "") for kind in KINDS],
        "owners": names, "ownerTeams": [owner_teams.get(n, []) for n in range(len(names))],
        "teams": teams, "periods": periods.items, "statuses": statuses.items, "tagNames": tags.items,
        "kind": "".join(kinds), **columns, "krOwner": kr_owner, "krAddress": kr_address,
    }


def _teams_of(site: Site, owner: str) -> Iterator[str]:
    if owner in site.teams:
        yield owner
    person = site.people.get(owner)
    if person is not None:
        yield from person.teams


def index_script(index: dict) -> bytes:
    """The index as the script file the search box loads: one call of okrsiteIndex(...)."""
    return ("okrsiteIndex(" + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ");\n").encode("utf-8")
