"""Link and validate: resolve every id, build the alignment tree both ways, and report what is wrong."""

from __future__ import annotations

import difflib
import hashlib
import io
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import AbstractSet, Callable, Collection, Iterable, Iterator, Mapping

from .characters import first_lookalike, in_latin_letters, mixed_word, named, skeleton, unseen_in
from .config import Settings
from .diagnostics import ERROR, WARNING, Diagnostic, Report, did_you_mean, nearest, quoted, shortened
from .formats import format_number, one_form
from .load import KIND_WORDS, KINDS, TEXT_BELOW, SourceDoc
from .model import KPI, KeyResult, Objective, Page, Person, Site, Team, carried_from, follows_kpi, in_site_order, site_order, slugify, team_shaped, title_order, top_teams as top_level_teams
from .parse import default_id, misspelt, parse_kpi, parse_objective, parse_page, parse_team
from .periods import PeriodError, parse_period
from .targets import parse_target
from .wikilinks import MAX_NESTING, backslashed, broken_links, in_content, markdown_file_links, too_deep, wikilink_targets

@dataclass
class _Linked:
    """What one linking found, beside the site: enough to check one entity again without the others."""

    entities: list
    settings: Settings
    site: Site
    seen: dict[str, SourceDoc]
    dropped: dict[type, dict[str, list]]  # id -> the entities of that kind left out for it (a duplicate id); none for an unread file's id
    children: Mapping[str, list[str]]
    team_cycles: Mapping[str, list[str]]  # the team that reports a cycle -> the cycle
    cycles: Mapping[str, list[str]]  # the objective that reports a cycle -> the cycle
    cycle_members: AbstractSet[str]
    top_teams: AbstractSet[str]
    secret: AbstractSet[str]  # confidential KPIs
    diagnostics: list[Diagnostic]
    key_result_keepers: Mapping[str, tuple[str, int]]  # see _key_result_keepers
    unread: Mapping[str, str] = field(default_factory=dict)  # see unread_ids


def link_entities(entities: Iterable[Objective | KPI | Team | Page], settings: Settings, report: Report, unread: Collection[str] = ()) -> Site:
    """Resolve references between parsed documents (in file order) and report what does not fit.
    ``unread``: the goals files that could not be read (see unread_ids)."""
    return _link(list(entities), settings, report, unread).site


def unread_ids(paths: Collection[str]) -> dict[str, str]:
    """The id of each goals file that could not be read (its YAML, its encoding), by its file name ->
    the file. Its error is the one to fix: what refers to that id is not told it is unknown too, nor
    given a did-you-mean or "create the team" for a file that is there (as for an unreadable named period)."""
    return {slugify(PurePosixPath(path).stem): path for path in sorted(paths)}


SHAPE_SIZE = 16  # bytes of an entity's shape digest


def link_keeping(entities: list, settings: Settings, report: Report, shapes: Callable[[int], bytes | None] = lambda index: None) -> tuple[Site, tuple | None]:
    """link_entities, with what a later linking of the same files needs to take its relations and
    diagnostics as they are (linked_as_before); None when a duplicate id was dropped. ``shapes`` gives
    the shape digest an entity is known to have (the build cache: one taken unchanged), else it is made."""
    linked = _link(entities, settings, report)
    if any(linked.dropped.values()):
        return linked.site, None
    site = linked.site
    digests = b"".join(shapes(index) or shape_digest(entity) for index, entity in enumerate(entities))
    return site, (digests, linked.diagnostics, site.people, site.periods, site.children, site.objective_kpis, site.kpi_objectives,
                  site.sub_teams, site.followed_by, linked.cycles, linked.team_cycles, linked.cycle_members)


def shape_digest(entity) -> bytes:
    """A digest of _shape by its values: pickled without a memo (equal values, equal bytes, whichever
    objects hold them), a period as its id and dates."""
    shape = _shape(entity)
    if isinstance(entity, Objective) and entity.period is not None:
        period = entity.period
        shape = shape[:5] + ((period.id, period.start, period.end),) + shape[6:]
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump((type(entity).__name__, shape))
    return hashlib.blake2b(buffer.getbuffer(), digest_size=SHAPE_SIZE).digest()


def linked_as_before(entities: list, settings: Settings, report: Report, kept: tuple, changed: list[int]) -> Site | None:
    """link_entities' site and diagnostics, from what link_keeping kept of a linking of the same files in
    the same order, where every entity but those at ``changed`` is the very one (its file's content and
    the settings the same) that linking had: when each entity at ``changed`` has the shape it had then
    and no diagnostics, then or now, nothing else can have changed (see Linker). None otherwise."""
    shapes, diagnostics, people, periods, children, objective_kpis, kpi_objectives, sub_teams, followed_by, cycles, team_cycles, cycle_members = kept
    noted = {d.file for d in diagnostics}
    for index in changed:
        entity = entities[index]
        if entity.doc.path in noted or shapes[index * SHAPE_SIZE:(index + 1) * SHAPE_SIZE] != shape_digest(entity):
            return None
    tables: dict[type, dict] = {Objective: {}, KPI: {}, Team: {}, Page: {}}
    for entity in entities:
        tables[type(entity)][entity.id] = entity
    kpis, teams = tables[KPI], tables[Team]
    secret = {k.id for k in kpis.values() if k.confidential}
    objectives = in_site_order(_confided(o, secret) for o in tables[Objective].values())
    site = Site(title=settings.title, objectives=objectives, kpis=kpis, teams=teams, pages=tables[Page], people=people, periods=periods,
                children=children, objective_kpis=objective_kpis, kpi_objectives=kpi_objectives, sub_teams=sub_teams, followed_by=followed_by)
    seen = {entity.id: entity.doc for entity in entities}
    dropped: dict[type, dict[str, list]] = {Objective: {}, KPI: {}, Team: {}, Page: {}}
    top_teams = _top_teams(teams, {t for cycle in team_cycles.values() for t in cycle})
    linked = _Linked(entities, settings, site, seen, dropped, children, team_cycles, cycles, cycle_members, top_teams, secret, [],
                     _key_result_keepers(tables[Objective].values()))
    found = Report()
    for index in changed:
        _check_one(entities[index], linked, found)
    if found.items:
        return None
    report.items.extend(diagnostics)
    return site


class Linker:
    """link_entities kept from one rebuild to the next (the live preview). A save that changes no
    entity's shape — its id, type, file, and everything another entity's checks or the site's
    relations read from it (parent, owner, period, follows, KPI links, key results' KPIs and owners,
    a team's parent, lead and members, where names are written) — changes neither the relations nor
    the other files' diagnostics: only the saved entities are put in and checked again. Anything
    else (an id added, removed or renamed, a new parent, a duplicate id, new settings) links all
    again. Either way the site and the diagnostics are link_entities'
    (tests/goals/test_link.py compares them after random walks of edits)."""

    def __init__(self) -> None:
        self._last: _Linked | None = None
        self.same_shape_as: Site | None = None  # the site linked before, when this one has the same shape

    @property
    def last_site(self) -> Site | None:
        return self._last.site if self._last is not None else None

    def link(self, entities: list, settings: Settings, report: Report, unread: Collection[str] = ()) -> Site:
        last = self._last
        changed = None if unread else _changed(last, entities, settings)  # an unread file's id: linked anew
        if changed is None:
            self._last, self.same_shape_as = _link(entities, settings, report, unread), None
            return self._last.site
        self._last, self.same_shape_as = _relink(last, entities, changed), last.site
        report.items.extend(self._last.diagnostics)
        return self._last.site


def _changed(last: _Linked | None, entities: list, settings: Settings) -> list[int] | None:
    """Positions of the entities that are not the ones linked last time, if all of them kept their
    shape (None: link everything again)."""
    if last is None or last.settings != settings or len(entities) != len(last.entities) or any(last.dropped.values()):
        return None
    changed = [index for index, (old, new) in enumerate(zip(last.entities, entities)) if old is not new]
    if any(type(last.entities[i]) is not type(entities[i]) or _shape(last.entities[i]) != _shape(entities[i]) for i in changed):
        return None
    return changed


def _shape(entity) -> tuple:
    """What the relations and the other entities' checks read from an entity."""
    common = (entity.id, entity.doc.path, tuple(_mentions(entity)))
    if isinstance(entity, Objective):
        return common + (entity.parent, entity.owner, entity.period, entity.follows, entity.kpis,
                         tuple((kr.id, kr.kpi, kr.owner) for kr in entity.key_results), entity.flawed_key_results)
    if isinstance(entity, KPI):
        return common + (entity.owner, entity.objectives, entity.confidential, _said_direction(entity), entity.retired)
    if isinstance(entity, Team):
        return common + (entity.parent, entity.lead, entity.members)
    return common


def _relink(last: _Linked, entities: list, changed: list[int]) -> _Linked:
    """The last linking with the entities at ``changed`` put in and checked again (same shapes)."""
    site = last.site
    touched = {type(entities[index]) for index in changed}  # a table no saved entity is in stays the very same
    tables = {kind: dict(table) if kind in touched else table
              for kind, table in ((Objective, site.objectives), (KPI, site.kpis), (Team, site.teams), (Page, site.pages))}
    for index in changed:
        entity = entities[index]
        tables[type(entity)][entity.id] = _confided(entity, last.secret) if isinstance(entity, Objective) else entity
    site = replace(site, objectives=tables[Objective], kpis=tables[KPI], teams=tables[Team], pages=tables[Page])
    linked = replace(last, entities=list(entities), site=site)
    again = {entities[index].doc.path for index in changed}
    report = Report([d for d in last.diagnostics if d.file not in again])
    for index in changed:
        _check_one(entities[index], linked, report)
    linked.diagnostics = report.items
    return linked


def _check_one(entity, linked: _Linked, report: Report) -> None:
    """Every check of one entity, in the order link_entities makes them."""
    site, dropped = linked.site, linked.dropped
    if isinstance(entity, Team):
        _check_team(entity, site.teams, report, dropped[Team], linked.seen)
        _report_cycle(entity, linked.team_cycles, "team", report)
    elif isinstance(entity, Objective):
        _check_objective_refs(entity, site.objectives, site.kpis, site.teams, report, dropped, linked.seen)
        _report_cycle(entity, linked.cycles, "alignment", report)
        _check_objective_fit(entity, site.objectives, linked.children, site.teams, linked.top_teams, linked.cycle_members, report, dropped)
        _check_follow(entity, site.objectives, site.kpis, site.teams, report, dropped[Objective], linked.seen)
        _check_key_result_ids(entity, linked.key_result_keepers, site.objectives, linked.seen, report)
    elif isinstance(entity, KPI):
        _check_kpi(entity, site.objectives, site.teams, report, dropped, linked.seen)
    _check_wikilinks_of(entity, linked.seen, report, linked.unread)
    _check_lookalike_ids([entity], linked.seen, report)


def _link(entities: list, settings: Settings, report: Report, unread_files: Collection[str] = ()) -> _Linked:
    first_item = len(report.items)
    objectives: dict[str, Objective] = {}
    kpis: dict[str, KPI] = {}
    teams: dict[str, Team] = {}
    pages: dict[str, Page] = {}
    seen: dict[str, SourceDoc] = {}
    dropped: dict[type, dict[str, list]] = {Objective: {}, KPI: {}, Team: {}, Page: {}}  # id -> the entities of that kind left out for it
    keepers, named = _keepers(entities)
    for entity in entities:
        doc, keeper = entity.doc, keepers[entity.id]
        if keeper is not entity:
            report.error(doc.path, doc.line("id"), f"duplicate id '{entity.id}': {keeper.doc.path} has it too{_how_named(doc, keeper.doc)}",
                         _duplicate_hint(doc, keeper.doc, keepers) + _why_kept(keeper, entity, named))
            dropped[type(entity)].setdefault(entity.id, []).append(entity)
            continue
        seen[entity.id] = doc
        table = {Objective: objectives, KPI: kpis, Team: teams, Page: pages}[type(entity)]
        table[entity.id] = entity
    unread = unread_ids(unread_files)
    for ident in unread:  # a file of any kind: what refers to its id is not told of it (see unread_ids)
        for kind in dropped.values():
            kind.setdefault(ident, [])

    for team in teams.values():
        _check_team(team, teams, report, dropped[Team], seen)
    in_team_cycles, team_cycles = _report_cycles(teams, "team", report, dropped[Team], _stand_ins(teams, dropped[Team]))
    children, cycle_members, cycles, top_teams = _check_objectives(objectives, kpis, teams, report, dropped, seen, in_team_cycles)
    followed_by = _check_follows(objectives, kpis, teams, report, dropped[Objective], seen)
    key_result_keepers = _key_result_keepers(objectives.values())
    for o in objectives.values():
        _check_key_result_ids(o, key_result_keepers, objectives, seen, report)
    for k in kpis.values():
        _check_kpi(k, objectives, teams, report, dropped, seen)
    for entity in [*objectives.values(), *kpis.values(), *teams.values(), *pages.values()]:
        _check_wikilinks_of(entity, seen, report, unread)
    _check_left_out(dropped, objectives, kpis, teams, seen, report, unread)
    _check_lookalike_ids([*objectives.values(), *kpis.values(), *teams.values(), *pages.values()], seen, report)

    secret = {k.id for k in kpis.values() if k.confidential}
    objectives = in_site_order(_confided(o, secret) for o in objectives.values())
    objective_kpis, kpi_objectives = _kpi_links(objectives, kpis)
    sub_teams = defaultdict(list)
    for team in sorted(teams.values(), key=lambda t: (title_order(t.title), t.id)):
        if team.parent in teams:
            sub_teams[team.parent].append(team.id)
    site = Site(
        title=settings.title, objectives=objectives, kpis=kpis, teams=teams, pages=pages,
        people=_people(objectives, kpis, teams),
        periods=_periods(objectives, settings),
        children={k: _in_time_order(v, objectives) for k, v in children.items()},
        objective_kpis=objective_kpis, kpi_objectives=kpi_objectives,
        sub_teams={k: tuple(v) for k, v in sub_teams.items()},
        followed_by=followed_by,
    )
    return _Linked(entities, settings, site, seen, dropped, children, team_cycles, cycles, cycle_members, top_teams, secret,
                   report.items[first_item:], key_result_keepers, unread)


def _key_result_keepers(objectives: Iterable[Objective]) -> dict[str, tuple[str, int]]:
    """Each key result id -> the key result that keeps it, as (its objective's id, its index): the first
    in the order files are read."""
    keepers: dict[str, tuple[str, int]] = {}
    for o in objectives:
        for kr in o.key_results:
            keepers.setdefault(kr.id, (o.id, kr.index))
    return keepers


def _check_key_result_ids(o: Objective, keepers: Mapping[str, tuple[str, int]], objectives: Mapping[str, Objective],
                          seen: Mapping[str, SourceDoc], report: Report) -> None:
    """A key result's id, written or its default, is unique across the site like any other (SPEC §1).
    A file keeps an id over a key result: references and [[links]] name files, a key result is named
    only within its objective (objectives/<id>/#<key result id>, `okrsite checkin <id> <key result>`).
    Of two key results, the one of the file read first keeps it. The other is the error; it stays on
    its objective's page under that id, an anchor no other element of that page has."""
    for kr in o.key_results:
        holder, keeper = seen.get(kr.id), keepers[kr.id]
        if holder is None and keeper[0] == o.id:  # another of its own objective's: parse_objective's error
            continue
        line = o.doc.line("key_results", kr.index, "id")
        if kr.id == o.id:
            report.error(o.doc.path, line, f"key result {kr.index + 1} has the id {quoted(kr.id)} of its own objective",
                         _own_objective_id_hint(o, kr, keepers.keys() | seen.keys()))
            continue
        default = kr.id == f"{o.id}-kr{kr.index + 1}"
        if holder is not None:
            other = holder.path
        else:
            keeper_doc = objectives[keeper[0]].doc
            other = f"key result {keeper[1] + 1} of {keeper_doc.path} (line {keeper_doc.line('key_results', keeper[1], 'id')})"
        report.error(o.doc.path, line,
                     f"duplicate id {quoted(kr.id)} of key result {kr.index + 1}{' (its default id)' if default else ''}: {other} has it too",
                     _key_result_id_hint(o, kr, default, holder, keepers.keys() | seen.keys()))


def _key_result_id_hint(o: Objective, kr: KeyResult, default: bool, holder: SourceDoc | None, taken: AbstractSet[str]) -> str:
    said = "ids are unique across the site, a key result's too"
    if default and holder is not None:
        return f"{said}: give this key result an 'id:' of its own, or give {holder.path} another id"
    own = f"{o.id}-{kr.id}"
    return f"{said}: give this key result {'an' if default else 'another'} 'id:'" + (f", e.g. 'id: {own}'" if not default and own not in taken else "")


def _own_objective_id_hint(o: Objective, kr: KeyResult, taken: AbstractSet[str]) -> str:
    """Rename the key result, never the objective: its id names its file, its page and every reference to it."""
    said = "ids are unique across the site, a key result's too: give this key result another 'id:'"
    default = f"{o.id}-kr{kr.index + 1}"
    return said + (f", or leave 'id:' out for its default id '{default}'" if default not in taken else "")


def _check_lookalike_ids(entities: Iterable, seen: Mapping[str, SourceDoc], report: Report) -> None:
    """A warning for each id that looks the same as another ('payments' and 'pаyments', its 'а'
    Cyrillic), else for one that mixes the Latin, Cyrillic and Greek alphabets within a word: a
    reference typed as it looks names the other one, or none. Ids wholly in one alphabet each are fine."""
    by_look = _ids_by_look(seen)
    for entity in entities:
        ident = entity.id
        twin = next((other for other in by_look.get(skeleton(ident), ()) if other.lower() != ident.lower()), None)
        problem = _looks_like(ident, twin, seen[twin].path) if twin is not None else _mixes_alphabets(ident)
        if problem is not None:
            report.warning(entity.doc.path, entity.doc.line("id"), *problem)


def _looks_like(ident: str, twin: str, twin_file: str) -> tuple[str, str]:
    held = "; ".join(f"{quoted(i)} holds {named(char)}" for i in (ident, twin) for char in [first_lookalike(i)] if char)
    return (f"the id {quoted(ident)} looks the same as {quoted(twin)} ({twin_file}), another id: {held}",
            "rename one of the two (its file, or its 'id:'): a 'parent:', 'owner:' or [[link]] that reads right may name the other")


def _mixes_alphabets(ident: str) -> tuple[str, str] | None:
    mixed = mixed_word(ident)
    if mixed is None:
        return None
    word, odd = mixed
    plain = in_latin_letters(ident)
    example = f", e.g. {quoted(plain)}" if mixed_word(plain) is None else ""
    return (f"the id {quoted(ident)} mixes alphabets: '{word}' holds {named(odd)} among letters of another",
            f"write the id in one alphabet (rename the file, or change its 'id:'){example}: a reference typed as it looks would not name it")


def _ids_by_look(seen: Mapping[str, SourceDoc]) -> dict[str, list[str]]:
    """Every id by its skeleton (as it looks); none when every id is ASCII, as no two can then look the same."""
    if all(ident.isascii() for ident in seen):
        return {}
    by_look: dict[str, list[str]] = defaultdict(list)
    for ident in seen:
        by_look[skeleton(ident)].append(ident)
    return by_look


def _check_left_out(dropped: Mapping[type, Mapping[str, list]], objectives: Mapping[str, Objective], kpis: Mapping[str, KPI],
                    teams: Mapping[str, Team], seen: Mapping[str, SourceDoc], report: Report, unread: Mapping[str, str]) -> None:
    """The references a file left out for a duplicate id makes itself (its parent, owner, KPIs, links):
    reported in the same run as the duplicate, not only once it is renamed (SPEC §7: all errors in one
    run). How it fits the alignment (orphan, periods) is not: it is in no tree until it has an id of its own."""
    for left_out in [entity for kind in dropped.values() for entities in kind.values() for entity in entities]:
        if isinstance(left_out, Team):
            _check_team(left_out, teams, report, dropped[Team], seen)
        elif isinstance(left_out, Objective):
            _check_objective_refs(left_out, objectives, kpis, teams, report, dropped, seen)
        elif isinstance(left_out, KPI):
            _check_kpi(left_out, objectives, teams, report, dropped, seen)
        _check_wikilinks_of(left_out, seen, report, unread)


def _keepers(entities: list) -> tuple[dict[str, object], dict[tuple[type, str], int]]:
    """(the entity that keeps each id, how many references name each clashing id: _named_by_kind).
    Of two or more files with one id, the keeper is the one more references name by their kind (an
    owner, a team's parent or members name a team; a parent, `follows:` or a KPI's `objectives:` an
    objective; `kpis:` and a key result's `kpi:` a KPI): the file just added beside a team that
    objectives are owned by is the one to rename, not the team (QA: `kpis/sales.md` beside
    `teams/sales.md` blamed the team, and renaming it broke every `owner: sales`). On a tie a team
    keeps it, else the first file read. The others are the duplicates, left out."""
    by_id: dict[str, list] = defaultdict(list)
    for entity in entities:
        by_id[entity.id].append(entity)
    keepers = {ident: group[0] for ident, group in by_id.items()}
    clashing = {ident for ident, group in by_id.items() if len(group) > 1}
    named = _named_by_kind(entities, clashing) if clashing else {}
    for ident in clashing:
        keepers[ident] = max(by_id[ident], key=lambda e: (named.get((type(e), ident), 0), isinstance(e, Team)))
    return keepers, named


def _named_by_kind(entities: Iterable, idents: AbstractSet[str]) -> dict[tuple[type, str], int]:
    """How many references name each of ``idents`` as an id of a kind: (kind, id) -> count. A `[[link]]`
    may name any kind and is not counted."""
    named: dict[tuple[type, str], int] = defaultdict(int)
    for entity in entities:
        for kind, ident in _references_of(entity):
            if ident in idents:
                named[kind, ident] += 1
    return named


def _references_of(entity) -> list[tuple[type, str]]:
    """(kind, id) of each id an entity names where only one kind of file fits."""
    if isinstance(entity, Objective):
        found = [(Objective, entity.parent), (Objective, entity.follows), (Team, entity.owner), *((KPI, k) for k in entity.kpis)]
        written = [(kr.kpi, kr.owner) for kr in entity.key_results] + [(kpi, owner) for _, kpi, owner in entity.flawed_key_results]
        found += [ref for kpi, owner in written for ref in ((KPI, kpi), (Team, owner if owner != entity.owner else None))]
    elif isinstance(entity, KPI):
        found = [(Team, entity.owner), *((Objective, o) for o in entity.objectives)]
    elif isinstance(entity, Team):
        found = [(Team, entity.parent), (Team, entity.lead), *((Team, m) for m in entity.members)]
    else:
        found = []
    return [(kind, ident) for kind, ident in found if ident]


_KIND_WORDS = {Objective: "objective", KPI: "KPI", Team: "team", Page: "page"}


def _why_kept(keeper, dropped, named: Mapping[tuple[type, str], int]) -> str:
    """Why the hint names this file, not the other: more references name the other's kind by the id."""
    count = named.get((type(keeper), keeper.id), 0)
    if count <= named.get((type(dropped), dropped.id), 0):
        return ""
    return f" ({count} reference{'s' if count != 1 else ''} name{'' if count != 1 else 's'} the {_KIND_WORDS[type(keeper)]} {keeper.doc.path} by it)"


def _how_named(doc: SourceDoc, first: SourceDoc) -> str:
    """Two files whose names look the same: one composed, one decomposed (as macOS stores accented names)."""
    return ", a file of the same name with its letters stored in another Unicode form" if _one_name(doc, first) else ""


def _one_name(doc: SourceDoc, first: SourceDoc) -> bool:
    return doc.path != first.path and one_form(doc.path) == one_form(first.path)


def _duplicate_hint(doc: SourceDoc, first: SourceDoc, taken: Collection[str] = ()) -> str:
    path, other = PurePosixPath(doc.path), PurePosixPath(first.path)
    if _one_name(doc, first):
        return "the two are copies of one file saved on two systems: keep the one you mean and delete the other (git rm)"
    if "id" in doc.meta or path.name != other.name or path.parent == other.parent:
        return "ids are unique across the site: rename one file or give it its own 'id:'"
    suggested = slugify(f"{path.stem}-{path.parent.name}")  # a slug can always be written as an id
    suggested = next(f"{suggested}-{n}" if n > 1 else suggested for n in range(1, len(taken) + 2)
                     if (f"{suggested}-{n}" if n > 1 else suggested) not in taken)  # never another file's id (QA CH)
    return (f"ids are unique across the site and come from file names, in any folder: "
            f"give this file its own id, e.g. 'id: {suggested}', or rename it")


def parse(doc: SourceDoc, settings: Settings, root: Path, report: Report) -> Objective | KPI | Team | Page:
    if doc.kind == "objective":
        return parse_objective(doc, settings, report)
    if doc.kind == "kpi":
        return parse_kpi(doc, root, report)
    if doc.kind == "team":
        return parse_team(doc, report)
    return parse_page(doc, report)


def _unknown(kind: str, ident: str, candidates: Iterable[str], fallback: str) -> tuple[str, str]:
    """An id that names nothing; one holding a character nobody sees (a soft hyphen, a left-to-right
    mark) says where, or 'did you mean' would name what looks the same."""
    unseen = unseen_in(ident)
    return f"unknown {kind} {quoted(ident)}" + (f": it holds {unseen}" if unseen else ""), did_you_mean(ident, candidates) or fallback


def _by_its_file(ident: str, written: str, kinds: Collection[str], seen: Mapping[str, SourceDoc], otherwise: str) -> str:
    """The hint for an unknown ``ident`` that is the name of a file setting another `id:` (SPEC §1: the
    id is the file's name unless it sets one): `parent: year` for year.md with `id: co-2026` is told
    that id, written as ``written`` says ("parent: {}", "[[{}]]"), when the file is of one of ``kinds``;
    one of another kind is said to be so after ``otherwise``, the hint it had. A file renamed in git
    is told by goals.former, whose hint takes this one's place."""
    files = _named_otherwise(seen).get(ident, ())
    fitting = [(now, doc) for now, doc in files if doc.kind in kinds]
    if fitting:
        return _write_its_id(fitting, written)
    if files:
        now, doc = files[0]
        return f"{otherwise}; {doc.path} sets 'id: {now}', and is {_a_kind(doc.kind)}, not {' or '.join(map(_a_kind, kinds))}"
    return otherwise


def _write_its_id(files: list[tuple[str, SourceDoc]], written: str) -> str:
    """What to write for a reference to one of ``files`` (id, file) by its file's name."""
    if len(files) == 1:
        (now, doc), = files
        return f"{doc.path} sets 'id: {now}': write {written.format(now)}"
    return " and ".join(f"{doc.path} sets 'id: {now}'" for now, doc in files) + f": write {written.format('<the id of the one you mean>')}"


def _a_kind(kind: str) -> str:
    return KIND_WORDS[kind][0] if kind in KIND_WORDS else f"a {kind}"


_NAMED_OTHERWISE: list = [None, -1, {}]  # the last ``seen`` asked for, its size, and its _named_otherwise


def _named_otherwise(seen: Mapping[str, SourceDoc]) -> Mapping[str, list[tuple[str, SourceDoc]]]:
    """The default id of each file that sets another (its file's name slugified, as okrsite makes it) ->
    (the id it sets, the file), in the order of their paths; made once per linking."""
    if _NAMED_OTHERWISE[0] is not seen or _NAMED_OTHERWISE[1] != len(seen):
        named: dict[str, list[tuple[str, SourceDoc]]] = defaultdict(list)
        for now, doc in sorted(seen.items(), key=lambda item: item[1].path):
            if default_id(doc) != now:
                named[default_id(doc)].append((now, doc))
        _NAMED_OTHERWISE[:] = [seen, len(seen), dict(named)]
    return _NAMED_OTHERWISE[2]


def _other_kind(ident: str, **kinds: Collection[str]) -> str | None:
    """'a KPI', 'an objective' or 'a team' when ``ident`` is the id of one (given by keyword)."""
    for word, ids in kinds.items():
        if ident in ids:
            return {"kpi": "a KPI", "objective": "an objective", "team": "a team"}[word]
    return None


def _wrong_kind(kind: str, ident: str, other: str, wanted: str, hint: str, candidates: Iterable[str] = ()) -> tuple[str, str]:
    """An id of another kind where ``wanted`` belongs: say what it is rather than 'did you mean' another,
    unless one of ``candidates`` (ids of the wanted kind) is the same id in other case ('MRR' for 'mrr')."""
    same = sorted(c for c in candidates if c.casefold() == ident.casefold())
    return f"unknown {kind} {quoted(ident)}: that is {other}, not {wanted}", f"did you mean the {wanted.split(' ', 1)[1]} '{same[0]}'?" if same else hint


def owner_problem(owner: str, teams: Mapping[str, Team] | Collection[str]) -> tuple[str, str] | None:
    """(message, hint) for an owner shaped like a team id that names no team but is a typo of one's id
    (SPEC §7: "unknown team 'markting' (did you mean 'marketing'?)"); None for a team, a person a
    team names as its lead or a member, and any other name, which is a person's (SPEC §2, §4: "every
    owner that is not a team id is a person"; a team-shaped one gets a warning, see _check_owner)."""
    if not owner or owner in teams or not team_shaped(owner):
        return None
    if isinstance(teams, Mapping) and _written_as_a_person(owner, teams):
        return None
    meant = _team_typo(owner, teams)
    return (f"unknown team {quoted(owner)}", f"did you mean '{meant}'?") if meant else None


def _team_typo(owner: str, teams: Iterable[str]) -> str | None:
    """The team id ``owner`` is a typo of: a letter or two wrong, missing or swapped ('markting',
    'platfrom'), not another name that shares a part ('devops' beside 'ops', 'product-marketing'
    beside 'marketing': each may be a person, or a team not written yet)."""
    near = [(difflib.SequenceMatcher(None, owner, team).ratio(), team) for team in teams if abs(len(team) - len(owner)) <= 2]
    best = max(near, default=None)
    return best[1] if best is not None and best[0] >= 0.8 else None


def _owner_error(owner: str, teams: Collection[str], dropped_teams: Mapping[str, list]) -> tuple[str, str] | None:
    """owner_problem, with the ids of teams left out for a duplicate as suggestions too (not an unread
    file's id: it is of no known kind)."""
    if owner in dropped_teams or isinstance(teams, Mapping) and _written_as_a_person(owner, teams):
        return None
    return owner_problem(owner, [*teams, *(ident for ident, left in dropped_teams.items() if left)])


def _check_owner(doc: SourceDoc, path: tuple, owner: str, teams: Mapping[str, Team], report: Report, dropped_teams: Mapping[str, list],
                 seen: Mapping[str, SourceDoc]) -> None:
    problem = _owner_error(owner, teams, dropped_teams)
    if problem:
        message, hint = problem
        report.error(doc.path, doc.line(*path), message, _owner_by_its_file(owner, seen, hint))
    elif owner and owner not in teams and owner not in dropped_teams and team_shaped(owner) and not _written_as_a_person(owner, teams):
        report.warning(doc.path, doc.line(*path), NO_TEAM.format(owner=owner, none=" (the site has no teams)" if not teams else ""),
                       _owner_by_its_file(owner, seen, _no_team_hint(owner, teams)))
    elif owner and owner not in teams and (team := _team_called(owner, teams)) and not _written_as_a_person(owner, teams):
        report.warning(doc.path, doc.line(*path), f"owner '{owner}' is a person's name here, not the team '{team}' (a team is named by its id)",
                       f"write owner: {team}")


NO_TEAM = "owner '{owner}' is no team's id{none}, so it is read as a person's name"
PERSON_OR_NEW_TEAM = "write a person's name with capitals ('Jane Doe')"
REORGANISING = "see docs/teams-and-people.md#reorganising"
KEEP_REMOVED_TEAM = f"a team removed since? keep its file while finished quarters name it: {REORGANISING}"


def hint_removed_teams(site: Site, day: date, report: Report) -> None:
    """An owner that is no team's id in an objective of a period ended by ``day`` (a graded file, not
    to be edited) is most likely a team removed since: its hint says first to keep the team's file.
    So is one a letter from a team's id ('squad-b' beside 'squad-a', QA EC) that such an objective
    names: a build with an unknown team fails, so the quarter was graded while it was a team's id, and
    it is no typo of the other's. It is read as a person's name with a warning wherever it is written,
    as an owner near no team's id is, instead of an error telling a graded file to name the sibling.
    Linking does not know the day (its diagnostics are kept from one day to the next): told here."""
    graded = [o for o in site.objectives.values() if o.period is not None and o.period.end < day]
    if not graded:
        return
    ended = {o.doc.path for o in graded}
    removed = {f"unknown team {quoted(owner)}": owner for owner in owners_named(graded) if owner and owner not in site.teams}
    for at, said in enumerate(report.items):
        if said.severity == ERROR and said.message in removed:
            report.items[at] = _removed_team(said, removed[said.message], said.file in ended)
        elif said.file in ended and said.hint.startswith(PERSON_OR_NEW_TEAM) and _NO_TEAM_SAID.fullmatch(said.message):
            report.items[at] = replace(said, hint=f"{KEEP_REMOVED_TEAM}; {said.hint}")


def _removed_team(said: Diagnostic, owner: str, graded: bool) -> Diagnostic:
    renamed = f"renamed it? write id: {owner} in its file"
    hint = (f"{KEEP_REMOVED_TEAM}; {renamed}" if graded else
            f"finished quarters name '{owner}' as a team: removed since? give this one another owner, and keep the team's file "
            f"while they name it; {renamed} ({REORGANISING})")
    return replace(said, severity=WARNING, message=NO_TEAM.format(owner=owner, none=""), hint=hint)


def owners_named(objectives: Iterable[Objective]) -> Iterator[str]:
    """Every owner ``objectives`` name: their own and their key results' (also one with an error of its own)."""
    for o in objectives:
        yield o.owner
        yield from (kr.owner for kr in o.key_results)
        yield from (owner for _, _, owner in o.flawed_key_results)


OUTSIDE_PARENT = "period {period} lies outside the parent's period {parent}"


def hint_parent_followers(site: Site, report: Report) -> None:
    """A period outside the parent's, where the parent has a follower running through it (the child
    carried over before its parent was): the hint names that follower. It is another file's, so
    linking, whose diagnostics are kept per file, does not know it: told here."""
    hints = {}
    for o in site.objectives.values():
        parent = site.objectives.get(o.parent or "")
        if parent is None or o.period is None or parent.period is None or o.period.within(parent.period):
            continue
        followers = [f.id for f in site.followers_in(parent.id, o.period)]
        if followers:
            verb = "continues" if len(followers) == 1 else "continue"
            hints[o.doc.path, OUTSIDE_PARENT.format(period=o.period.id, parent=parent.period.id)] = (
                f"write parent: {' or '.join(followers)}, which {verb} '{parent.id}' through {o.period.id}, or change its period")
    if not hints:
        return
    for at, said in enumerate(report.items):
        if (said.file, said.message) in hints:
            report.items[at] = replace(said, hint=hints[said.file, said.message])


_NO_TEAM_SAID = re.compile(re.escape(NO_TEAM).replace(re.escape("{owner}"), ".*").replace(re.escape("{none}"), ".*"))


def _team_called(name: str, teams: Mapping[str, Team]) -> str | None:
    """The id of the team ``name`` is the id made of (Sales Team: sales-team) or the title of, in any
    case (Sales Team: sales, titled "Sales Team"); None when it is neither."""
    if slugify(name) in teams:
        return slugify(name)
    folded = name.casefold()
    return next((t.id for t in teams.values() if t.title.casefold() == folded), None)


def _no_team_hint(owner: str, teams: Mapping[str, Team]) -> str:
    named = _team_titled(owner, teams)
    if named is not None:
        return f"write owner: {named.id} (the team “{named.title}”, file {PurePosixPath(named.doc.path).name}, has the id {named.id})"
    return f"{PERSON_OR_NEW_TEAM}; for a team, add it: okrsite new team \"{owner.replace('-', ' ').title()}\" (renamed it? write id: {owner} in its file)"


def _owner_by_its_file(owner: str, seen: Mapping[str, SourceDoc], otherwise: str) -> str:
    """_by_its_file for an owner: of a team's file only (any other owner is a person's name)."""
    files = [(now, doc) for now, doc in _named_otherwise(seen).get(owner, ()) if doc.kind == "team"]
    return _write_its_id(files, "owner: {}") if files else otherwise


def _team_titled(slug: str, teams: Mapping[str, Team]) -> Team | None:
    """The team an id-shaped ``slug`` names by its title, not by its id: 'revenue' for the team `sales`
    titled "Revenue" (one written in revenue.md with `id: sales`, a renamed team: see _by_its_file)."""
    return next((t for t in teams.values() if slug == slugify(t.title)), None)


def _written_as_a_person(name: str, teams: Mapping[str, Team]) -> bool:
    """Whether a team names ``name`` as its lead or a member: then it is a person the site knows
    (a team called after its lead, 'ada' led by Ada), not a team's id written another way."""
    return any(name == team.lead or name in team.members for team in teams.values())


def _said_direction(kpi: KPI) -> str | None:
    """The KPI's direction when it has one to speak of: 'down' (never a default), or deciding its
    health against a target. A KPI that only records values is 'up' by default, which says nothing
    of the key results following it. (Not its front matter: a warm build keeps that packed.)"""
    return kpi.direction if kpi.direction == "down" or kpi.target is not None else None


def _against_its_kpi(doc: SourceDoc, path: tuple, kr, kpi: KPI, report: Report) -> None:
    """A key result measured the other way round from the KPI it follows: 'Damage rate down to 0.5'
    with no start (0) reads as 0 → 0.5, so a damage rate of 1.2 scored 100 %."""
    written = doc.lines.get(path + ("start",)) is not None
    down = kpi.direction == "down"
    start = f"{kr.start:g}" + ("" if written else " (the default)")
    report.warning(doc.path, doc.line(*path, "start" if written else "target"),
                   f"key result {kr.index + 1} follows '{kpi.id}', where {'lower' if down else 'higher'} is better, but its target "
                   f"{kr.target:g} is {'above' if down else 'below'} its start {start}: it is scored as {'higher' if down else 'lower'} is better",
                   "swap start and target, or correct the KPI's direction" if written else
                   f"write start: <the value it starts from, {'above' if down else 'below'} the target>")


def warn_retired_kpi_followers(site: Site, day: date, report: Report) -> None:
    """A key result that follows a KPI retired before its period ends (its value is the KPI's: one with
    its own `current:` or check-ins is measured by them, and is not told): no value of it is to come, so the
    key result stands at the KPI's last value. For a period that starts on or after the retired day, said
    from the files alone, whatever the as-of date, so that a CI job under --strict does not fail the day
    the period starts; for one the KPI is retired in, while it has not ended by ``day`` (QA EH: a graded
    quarter is not to be edited). Linking does not know the day: told here."""
    for o in site.objectives.values():
        for kr in (o.key_results if o.period is not None else ()):
            retired = site.kpis[kr.kpi].retired if kr.kpi in site.kpis and follows_kpi(kr) else None
            if retired is not None and (o.period.start >= retired or retired <= o.period.end >= day):
                _follows_a_retired_kpi(o.doc, ("key_results", kr.index), kr, site.kpis[kr.kpi], o.period, report)


def _follows_a_retired_kpi(doc: SourceDoc, path: tuple, kr, kpi: KPI, period, report: Report) -> None:
    during = kpi.retired > period.start
    when = f"which ends {period.end}" if during else f"from {period.start}"
    stands = "from that day to the period's end it stands at the KPI's last value" if during else "it would stand at the KPI's last value"
    report.warning(doc.path, doc.line(*path, "kpi"),
                   f"key result {kr.index + 1} of {period.id}, {when}, follows the KPI '{kpi.id}', retired on {kpi.retired}: {stands}",
                   "give the key result another KPI, or its own current: and check-ins; if the KPI is measured again, remove its 'retired:'")


def _find_cycle(start: str, parent_of: Mapping[str, str | None]) -> list[str] | None:
    path, seen = [start], {start}
    node = parent_of.get(start)
    while node is not None and node in parent_of:
        if node == start:
            return path + [start]
        if node in seen:
            return None  # a cycle further up; reported from one of its members
        path.append(node)
        seen.add(node)
        node = parent_of.get(node)
    return None


def _stand_ins(kept: Mapping[str, Objective | Team], dropped: Mapping[str, list]) -> dict[str, Objective | Team]:
    """The objectives (or teams) left out for an id another kind of file kept, one each: still what
    their ids name in a `parent:` chain, so that a cycle through one is found in the same run."""
    return {ident: only for ident in dropped if ident not in kept and (only := _only(dropped, ident)) is not None}


def _report_cycles(entities: Mapping[str, Objective | Team], what: str, report: Report, dropped: Collection[str],
                   stand_ins: Mapping[str, Objective] | None = None) -> tuple[set[str], dict[str, list[str]]]:
    """(every member of a cycle, the member that reports each cycle -> the cycle). ``stand_ins`` (see
    _stand_ins) are in the chains too."""
    every = {**(stand_ins or {}), **entities}
    parent_of = {ident: e.parent for ident, e in every.items()}
    in_cycle: set[str] = set()
    reporters: dict[str, list[str]] = {}
    for ident in sorted(every):
        if ident in in_cycle:
            continue
        cycle = _find_cycle(ident, parent_of)
        if cycle:
            in_cycle.update(cycle)
            reporters[ident] = cycle
    for ident in reporters:
        _report_cycle(every[ident], reporters, what, report, dropped, entities)
    return in_cycle, reporters


def _report_cycle(entity: Objective | Team, reporters: Mapping[str, list[str]], what: str, report: Report,
                  dropped: Collection[str] = frozenset(), entities: Mapping[str, Objective | Team] | None = None) -> None:
    """A cycle among the files the site keeps, also one through an id two files claim (SPEC §7: all
    errors in one run); the hint then says which file the id is here, the one that keeps it (_keepers)."""
    cycle = reporters.get(entity.id)
    if cycle:
        hint = "one of these must have a different parent (or none)"
        claimed = [ident for ident in dict.fromkeys(cycle) if ident in dropped and entities and ident in entities]
        if claimed:
            hint += "; here " + ", ".join(f"'{ident}' is {entities[ident].doc.path}, the file that keeps that id" for ident in claimed)
        report.error(entity.doc.path, entity.doc.line("parent"), f"{what} cycle: {' → '.join(cycle)}", hint)


def _check_team(team: Team, teams: Mapping[str, Team], report: Report, dropped: Collection[str], seen: Mapping[str, SourceDoc]) -> None:
    if team.parent is not None and team.parent not in teams and team.parent not in dropped:
        message, hint = _unknown("team", team.parent, teams, "the parent must be the id of a file in content/teams/")
        report.error(team.doc.path, team.doc.line("parent"), f"unknown parent {message.removeprefix('unknown ')}",
                     _by_its_file(team.parent, "parent: {}", ("team",), seen, hint))


def _check_objectives(objectives: Mapping[str, Objective], kpis: Mapping[str, KPI], teams: Mapping[str, Team], report: Report,
                      dropped: Mapping[type, Collection[str]], seen: Mapping[str, SourceDoc], in_team_cycles: AbstractSet[str] = frozenset()
                      ) -> tuple[dict[str, list[str]], set[str], dict[str, list[str]], set[str]]:
    """Reports every broken reference and misfit, except those that may mean a file dropped as a
    duplicate: the duplicate id is the error, and which of the two files a reference means is unknown.
    Returns (the children of each objective, the members of cycles, who reports which cycle, the top teams)."""
    children: dict[str, list[str]] = defaultdict(list)
    for o in objectives.values():
        if o.parent is not None and o.parent in objectives:
            children[o.parent].append(o.id)
        _check_objective_refs(o, objectives, kpis, teams, report, dropped, seen)
    cycle_members, cycles = _report_cycles(objectives, "alignment", report, dropped[Objective], _stand_ins(objectives, dropped[Objective]))
    top_teams = _top_teams(teams, in_team_cycles)
    for o in objectives.values():
        _check_objective_fit(o, objectives, children, teams, top_teams, cycle_members, report, dropped)
    return children, cycle_members, cycles, top_teams


def _check_objective_refs(o: Objective, objectives: Mapping[str, Objective], kpis: Mapping[str, KPI], teams: Mapping[str, Team], report: Report,
                          dropped: Mapping[type, Collection[str]], seen: Mapping[str, SourceDoc]) -> None:
    doc = o.doc
    if o.parent is not None and o.parent not in objectives and o.parent not in dropped[Objective]:
        message, hint = _objective_of_another_kind("parent", o.parent, objectives, kpis, teams, "'parent' takes the id of an objective (a file in content/objectives/)") \
            or _unknown_parent(o, objectives, dropped[Objective], seen)
        report.error(doc.path, doc.line("parent"), message, hint)
    _check_owner(doc, ("owner",), o.owner, teams, report, dropped[Team], seen)
    for index, ident in enumerate(o.kpis):
        if ident not in kpis and ident not in dropped[KPI]:
            report.error(doc.path, doc.line("kpis", index), *_unknown_kpi(ident, [*kpis, *dropped[KPI]], objectives, teams, "list ids of files in content/kpis/",
                                                                          "{} in kpis:", seen))
    for kr in o.key_results:
        path = ("key_results", kr.index)
        _check_kr_refs(o, kr.index, kr.kpi, kr.owner, objectives, kpis, teams, report, dropped, seen)
        if kr.kpi in kpis and kr.form == "numeric" and kr.target not in (None, kr.start) and _said_direction(kpis[kr.kpi]) not in (None, "down" if kr.target < kr.start else "up"):
            _against_its_kpi(doc, path, kr, kpis[kr.kpi], report)
    for index, kpi, owner in o.flawed_key_results:
        _check_kr_refs(o, index, kpi, owner, objectives, kpis, teams, report, dropped, seen)


def _check_kr_refs(o: Objective, index: int, kpi: str | None, owner: str, objectives: Mapping[str, Objective], kpis: Mapping[str, KPI],
                   teams: Mapping[str, Team], report: Report, dropped: Mapping[type, Collection[str]], seen: Mapping[str, SourceDoc]) -> None:
    """The KPI and the owner a key result names (also one with an error of its own)."""
    doc, path = o.doc, ("key_results", index)
    if kpi is not None and kpi not in kpis and kpi not in dropped[KPI]:
        report.error(doc.path, doc.line(*path, "kpi"), *_unknown_kpi(kpi, [*kpis, *dropped[KPI]], objectives, teams, "use the id of a file in content/kpis/",
                                                                     "kpi: {}", seen))
    if owner != o.owner:
        _check_owner(doc, path + ("owner",), owner, teams, report, dropped[Team], seen)


def _objective_of_another_kind(said: str, ident: str, objectives: Collection[str], kpis: Collection[str], teams: Collection[str],
                               hint: str) -> tuple[str, str] | None:
    """(message, hint) for the id of a KPI or a team where an objective's belongs (`parent:`, `follows:`);
    None when ``ident`` is neither."""
    other = _other_kind(ident, kpi=kpis, team=teams)
    if other is None:
        return None
    return _wrong_kind(said, ident, other, "an objective", hint + (f"; to link the KPI, write kpis: [{ident}]" if other == "a KPI" else ""), objectives)


def _unknown_parent(o: Objective, objectives: Mapping[str, Objective], dropped: Collection[str], seen: Mapping[str, SourceDoc]) -> tuple[str, str]:
    """An unknown parent: the objective whose file's name it is (see _by_its_file), else the nearest id
    of an objective whose period holds this one's first (a parent deleted in a finished quarter is not
    its follower of the next one), else the nearest of all, with its period when that does not hold
    this one's (aligning to it would be a warning)."""
    holding = [i for i, p in objectives.items() if o.period is not None and p.period is not None and o.period.within(p.period)]
    meant = nearest(o.parent, holding) or nearest(o.parent, [*objectives, *dropped])
    message, hint = _unknown("parent", o.parent, [meant] if meant else (), "the parent must be the id of another objective")
    elsewhere = objectives[meant].period if meant in objectives else None
    if elsewhere is not None and o.period is not None and not o.period.within(elsewhere):
        hint = f"did you mean '{meant}' (of {elsewhere.id}, which does not hold {o.period.id})?"
    return message, _by_its_file(o.parent, "parent: {}", ("objective",), seen, hint)


RETIRED_KPI = "if the KPI was retired, keep its file (see docs/kpis.md#retiring-a-kpi)"


def _unknown_kpi(ident: str, kpis: Collection[str], objectives: Collection[str], teams: Collection[str], fallback: str,
                 written: str, seen: Mapping[str, SourceDoc]) -> tuple[str, str]:
    """An id in `kpis:` or `kpi:` (``written``, see _by_its_file) that names no KPI. Most often one whose
    file was deleted when it was no longer measured, which makes every graded objective that followed it
    an error: the hint says to keep it."""
    other = _other_kind(ident, objective=objectives, team=teams)
    if other:
        return _wrong_kind("KPI", ident, other, "a KPI", "'kpi' and 'kpis' take ids of KPIs (files in content/kpis/)", kpis)
    message, hint = _unknown("KPI", ident, kpis, f"{fallback}; {RETIRED_KPI}")
    return message, _by_its_file(ident, written, ("kpi",), seen, hint)


def _top_teams(teams: Mapping[str, Team], in_cycles: AbstractSet[str]) -> set[str]:
    """The teams at the top of the organisation: those without a parent, and those of a team cycle
    (an error of its own, told once: their objectives are not orphans on top of it)."""
    return set(top_level_teams(teams) | in_cycles)


def _in_time_order(ids: list[str], objectives: Mapping[str, Objective]) -> tuple[str, ...]:
    """An objective's aligned children in the site's order: those of an earlier period first (an annual
    objective's quarters in their order, QA BU: "Sales kickoff" of 2027-01 came before Q1 by its file's name)."""
    return tuple(sorted(ids, key=lambda ident: site_order(objectives[ident])))


def _check_objective_fit(o: Objective, objectives: Mapping[str, Objective], children: Mapping[str, list[str]], teams: Collection[str], top_teams: AbstractSet[str],
                         cycle_members: AbstractSet[str], report: Report, dropped: Mapping[type, Collection[str]]) -> None:
    doc = o.doc
    parent = objectives.get(o.parent) if o.parent else None
    if not o.key_results and not children.get(o.id) and not doc.meta.get("key_results"):
        report.error(doc.path, doc.line("key_results"), "the objective has no key results and no aligned children",
                     misspelt(doc, doc.meta, "key_results") or "add 1-5 key_results, or align other objectives to it with 'parent:'")
    elif o.key_results and all(kr.form == "guardrail" for kr in o.key_results) and not children.get(o.id):
        report.error(doc.path, doc.line("key_results"), "the objective has only guardrails: nothing measures its progress", "add a key result with a target (or done:, or progress:) beside the guardrails, or align other objectives to it with 'parent:'")
    if parent and o.period and parent.period and not o.period.within(parent.period) and o.id not in cycle_members and o.parent not in dropped[Objective]:
        report.warning(doc.path, doc.line("period"), OUTSIDE_PARENT.format(period=o.period.id, parent=parent.period.id),
                       f"align it to an objective running through {o.period.id}, or change its period")
    if o.parent is None and o.owner and o.owner not in top_teams and o.owner not in dropped[Team] and _owner_error(o.owner, teams, dropped[Team]) is None:  # no owner, an unknown team: its own error
        tops = ", ".join(sorted(top_teams)) or "a team without parent"
        report.warning(doc.path, doc.line("parent") if "parent" in doc.meta else doc.line("owner"), "orphan objective: no parent, and its owner is not a top-level team", f"add 'parent: <objective id>' to align it, or make it a company objective owned by {tops}")


def _check_follows(objectives: Mapping[str, Objective], kpis: Collection[str], teams: Collection[str], report: Report,
                   dropped: Mapping[str, list], seen: Mapping[str, SourceDoc]) -> dict[str, tuple[str, ...]]:
    """Each `follows:` names an objective of an earlier period (one that starts before), so a chain of
    them always goes back in time and cannot loop. Returns who follows whom, the other way round."""
    followed_by: dict[str, list[str]] = defaultdict(list)
    for o in objectives.values():
        if _check_follow(o, objectives, kpis, teams, report, dropped, seen):
            followed_by[o.follows].append(o.id)
    return {k: tuple(v) for k, v in followed_by.items()}


def _only(dropped: Mapping[str, list], ident: str) -> Objective | Team | None:
    """The one objective left out for a duplicate ``ident`` (its id kept by a KPI, team or page): what a
    `follows:` naming it can only mean; None when two objectives have it (which one is meant is unknown)."""
    left_out = dropped.get(ident, ())
    return left_out[0] if len(left_out) == 1 else None


def _check_follow(o: Objective, objectives: Mapping[str, Objective], kpis: Collection[str], teams: Collection[str], report: Report,
                  dropped: Mapping[str, list], seen: Mapping[str, SourceDoc]) -> bool:
    """Whether ``o`` follows an objective of an earlier period; what is wrong with its `follows:` is reported."""
    if o.follows is None:
        return False
    doc, earlier = o.doc, objectives.get(o.follows) or _only(dropped, o.follows)
    if earlier is None:
        if o.follows not in dropped:
            hint = "'follows' takes the id of the objective of an earlier period that this one continues"
            message, hint = _objective_of_another_kind("objective", o.follows, objectives, kpis, teams, hint) \
                or _unknown_follows(o, objectives, dropped, hint, seen)
            report.error(doc.path, doc.line("follows"), f"'follows' names an {message}", hint)
    elif earlier is o:
        report.error(doc.path, doc.line("follows"), f"'{o.id}' follows itself",
                     "'follows' names the objective of an earlier period that this one continues: name that one, or remove 'follows'")
    elif o.period and earlier.period and earlier.period.start == o.period.start:
        report.error(doc.path, doc.line("follows"), f"'{o.id}' ({o.period.id}) cannot follow '{earlier.id}' ({earlier.period.id}): both periods start on {o.period.start}",
                     _moved_with_default_period(o, earlier) or "'follows' names the objective of an earlier period that this one continues: name one of an earlier period, or remove 'follows'")
    elif o.period and earlier.period and not earlier.period.start < o.period.start:
        report.error(doc.path, doc.line("follows"), f"'{o.id}' ({o.period.id}) cannot follow '{earlier.id}' ({earlier.period.id}): a follows chain goes back in time",
                     _moved_with_default_period(o, earlier) or "'follows' names the objective of an earlier period that this one continues; swap the two, or remove 'follows'")
    elif o.period and earlier.period:
        _warn_moved_with_default_period(o, earlier, report)
        return o.follows in objectives  # not the one left out for a duplicate: the site has no page of it
    return False


def _unknown_follows(o: Objective, objectives: Mapping[str, Objective], dropped: Mapping[str, list], hint: str, seen: Mapping[str, SourceDoc]) -> tuple[str, str]:
    message, hint = _unknown("objective", o.follows, (i for i in [*objectives, *dropped] if i != o.id), hint)
    return message, _by_its_file(o.follows, "follows: {}", ("objective",), seen, hint)


def _warn_moved_with_default_period(o: Objective, earlier: Objective, report: Report) -> None:
    """QA DK: default_period moved to a period that still starts earlier than the follower's (a year
    holding the quarter carry-over wrote): the finished objective moved without a word. The follower
    says the period it continues from ("Continues [[grow]] from 2026-Q2"); one that differs is said at
    the followed objective's file, with the hint of the error of a period starting later."""
    was = carried_from(o.doc.body, earlier.id) if earlier.doc.meta.get("period") is None else None
    if was and was != earlier.period.id:
        report.warning(earlier.doc.path, earlier.doc.line("title"),
                       f"'{o.id}' continues '{earlier.id}' from {was}, but '{earlier.id}' now takes default_period ({earlier.period.id})",
                       _moved_with_default_period(o, earlier))


def _moved_with_default_period(o: Objective, earlier: Objective) -> str | None:
    """The hint when the objective ``o`` follows has no `period:` and takes default_period, which moved
    on since (closing-a-quarter.md): its own file is what to fix, not the follower's `follows:`. The
    period it had is the one carry-over wrote in the follower ("Continues [[grow]] from 2026-Q2")."""
    if earlier.doc.meta.get("period") is not None:
        return None
    was = carried_from(o.doc.body, earlier.id)
    write = f"write 'period: {was}'" if was else "write 'period:' with the period it was graded in"
    return (f"'{earlier.id}' has no 'period:' and takes default_period ({earlier.period.id}): {write} in {earlier.doc.path}, "
            f"and the 'follows' in {o.doc.path} is right as it is")


def _check_kpi(k: KPI, objectives: Mapping[str, Objective], teams: Mapping[str, Team], report: Report, dropped: Mapping[type, Collection[str]],
               seen: Mapping[str, SourceDoc]) -> None:
    doc = k.doc
    _check_owner(doc, ("owner",), k.owner, teams, report, dropped[Team], seen)
    for index, ident in enumerate(k.objectives):
        if ident not in objectives and ident not in dropped[Objective]:
            message, hint = _unknown("objective", ident, objectives, "list ids of files in content/objectives/")
            report.error(doc.path, doc.line("objectives", index), message, _by_its_file(ident, "{} in objectives:", ("objective",), seen, hint))
    if not k.source and not k.dashboard:  # a dashboard link says where the numbers live
        report.warning(doc.path, 1, "the KPI has no source", "add 'source: ...' saying where the number comes from, e.g. \"Billing system, monthly export\"")
    _check_threshold(k, report)


def _check_threshold(k: KPI, report: Report) -> None:
    """A threshold on the good side of the target: 'Churn, target 3, threshold 5' without
    'direction: down' would call 2 % critical and 6 % healthy, and no value ever a warning."""
    if k.target is None or k.threshold is None:
        return
    down = k.direction == "down"
    if (k.threshold < k.target) if down else (k.threshold > k.target):
        better, side = ("lower", "below") if down else ("higher", "above")
        report.warning(k.doc.path, k.doc.line("threshold"),
                       f"the threshold {k.threshold:g} is {side} the target {k.target:g}, but {better} is better for this KPI: "
                       f"every value that misses the target would be critical, none a warning", _threshold_hint(k))


def _threshold_hint(k: KPI) -> str:
    """How to put a threshold on the wrong side of the target. When the target's words say which way is
    better ("Above 95%"), `direction:` cannot change it (it must agree with them): the words can."""
    down = k.direction == "down"
    side = "above" if down else "below"
    then = f"a value {side} the threshold is then critical, one between it and the target a warning"
    worded = parse_target(k.target_text) if k.target_text else None
    if worded is None or worded.direction is None:
        return f"set the threshold {side} {k.target:g}: {then}; or correct the KPI's direction" + ("" if down else " ('direction: down' when lower is better)")
    other, comparison = ("higher", "at least") if down else ("lower", "at most")
    return (f"set the threshold {side} {k.target:g}, as the target '{k.target_text}' says {'lower' if down else 'higher'} is better: {then}; "
            f"if {other} is better, write the target so, e.g. '{comparison} {format_number(k.target, k.unit)}'")


def _check_wikilinks_of(entity, seen: Mapping[str, SourceDoc], report: Report, unread: Mapping[str, str] | None = None) -> None:
    for text, where in texts_of(entity):
        _check_links_in(text, first_line(entity, where), where, entity, seen, report, unread or {})
        _check_nesting(text, first_line(entity, where), where, entity.doc, report)


def _check_nesting(text: str, first_line: int, where: str, doc: SourceDoc, report: Report) -> None:
    deep = too_deep(text)
    if deep is not None:
        report.warning(doc.path, first_line + deep, f"this list or quote{where} is nested deeper than {MAX_NESTING} levels "
                       "(a list and its item count one each): the rest of the text from here on is not shown",
                       "nest it less deeply, e.g. write the deepest levels as one list")


_PATHS: list = [None, -1, frozenset()]  # the last ``seen`` asked for, its size, and the paths of its files


def _paths_of(seen: Mapping[str, SourceDoc]) -> frozenset[str]:
    """The files of the entities in ``seen`` (in one Unicode form, see wikilinks.page_at), made once per
    linking (not once per link to a .md file)."""
    if _PATHS[0] is not seen or _PATHS[1] != len(seen):
        _PATHS[:] = [seen, len(seen), frozenset(one_form(d.path) for d in seen.values())]
    return _PATHS[2]


RETRO = " in 'retro'"


def texts_of(entity) -> list[tuple[str, str]]:
    """The Markdown an entity's pages show (its body, an objective's retro): (text, how a message names
    where it is: "" for the body, RETRO)."""
    retro = (entity.retro or "") if isinstance(entity, Objective) else ""
    return [(entity.doc.body, ""), (retro, RETRO)] if retro else [(entity.doc.body, "")]


def first_line(entity, where: str) -> int:
    """The line in its file where a text of texts_of starts."""
    doc = entity.doc
    if where != RETRO:
        return doc.body_line
    written = doc.meta.get("retro")
    above = written[:len(written) - len(written.lstrip())].count("\n") if isinstance(written, str) else 0  # the retro is kept stripped
    return (doc.lines.get(("retro", TEXT_BELOW)) or doc.line("retro")) + above


def unknown_link(message: str, ident: str, where: str) -> str:
    """The message of a `[[ident]]` that links nothing (``message``: "unknown link target 'ident'", or
    with what is unseen in it), ``where`` in its file's texts (texts_of); goals.former says it anew."""
    return f"{message} in [[{shortened(ident)}]]{where}"


def _check_links_in(text: str, first_line: int, where: str, entity, seen: Mapping[str, SourceDoc], report: Report,
                    unread: Mapping[str, str]) -> None:
    """``entity``'s own id is never the did-you-mean of a link in its text: it would link to itself (QA FK)."""
    doc = entity.doc
    for offset, ident in wikilink_targets(text):
        if ident not in seen and ident not in unread:
            others = (known for known in seen if known != entity.id)
            message, hint = _unknown("link target", ident, others, "[[...]] takes the id of an objective, KPI, team or page")
            report.error(doc.path, first_line + offset, unknown_link(message, ident, where), _by_its_file(ident, "[[{}]]", KINDS, seen, hint))
    for offset, href in markdown_file_links(text):
        target = in_content(doc.path, href)
        if target is not None and (one_form(target[0]) in _paths_of(seen) or one_form(target[0]) in map(one_form, unread.values())):
            continue  # the site links the page of that file (web/render.py: relinked); an unread file's is its own error
        written = backslashed(href)
        if written is not None:
            report.warning(doc.path, first_line + offset, f"the link to {quoted(written[0])}{where} is written with '\\' between folders, "
                           "which a web address does not read: it leads nowhere on the site", written[1])
            continue
        report.warning(doc.path, first_line + offset, f"the link to {quoted(href)}{where} leads nowhere on the site: "
                       + (f"{target[0]} is not an objective, KPI, team or page" if target is not None else "it leads out of content/"),
                       "link to the .md file of an objective, KPI, team or page (its path from this file), write [[id]], or link to a web address")
    for offset, href, image, (why, hint) in broken_links(text):
        shown = "the page shows its text alternative instead" if image else "the page shows its words without the link"
        report.warning(doc.path, first_line + offset, f"the address of the {'image' if image else 'link'} {quoted(href)}{where} {why}: {shown}", hint)


def _confided(o: Objective, secret: AbstractSet[str]) -> Objective:
    """A key result that takes its value from a confidential KPI is confidential too (SPEC §14): its
    numbers are the KPI's. Objectives without such a key result stay the very same objects."""
    if any(kr.kpi in secret and not kr.confidential for kr in o.key_results):
        return replace(o, key_results=tuple(replace(kr, confidential=True) if kr.kpi in secret else kr for kr in o.key_results))
    return o


def _kpi_links(objectives: Mapping[str, Objective], kpis: Mapping[str, KPI]) -> tuple[dict, dict]:
    pairs = {(o.id, k) for o in objectives.values() for k in o.kpis if k in kpis}
    pairs |= {(o, k.id) for k in kpis.values() for o in k.objectives if o in objectives}
    by_objective, by_kpi = defaultdict(list), defaultdict(list)
    for o, k in sorted(pairs):
        by_objective[o].append(k)
        by_kpi[k].append(o)
    return {k: tuple(v) for k, v in by_objective.items()}, {k: tuple(v) for k, v in by_kpi.items()}


def _people(objectives: Mapping[str, Objective], kpis: Mapping[str, KPI], teams: Mapping[str, Team]) -> dict[str, Person]:
    owns: dict[str, list[str]] = defaultdict(list)
    member_of: dict[str, list[str]] = defaultdict(list)
    for entity in [*objectives.values(), *kpis.values()]:
        if entity.owner and entity.owner not in teams:
            owns[entity.owner].append(entity.id)
    for o in objectives.values():
        for kr in o.key_results:
            if kr.owner not in teams:
                owns.setdefault(kr.owner, [])
    for team in teams.values():
        for name in ([team.lead] if team.lead else []) + list(team.members):
            if name not in teams and team.id not in member_of[name]:
                member_of[name].append(team.id)
    names = sorted(set(owns) | set(member_of), key=title_order)
    sources = _name_sources(objectives, kpis, teams)
    return {name: Person(name, tuple(member_of.get(name, ())), tuple(owns.get(name, ())), sources.get(name, ("", 1))) for name in names if name}


def _mentions(entity) -> list[tuple[str, str, int]]:
    """(name, file, line) of each name an entity writes: as an owner, a key result's owner, a lead or a member."""
    doc = entity.doc
    if isinstance(entity, Objective):
        found, lines = [(entity.owner, doc.path, doc.line("owner"))], doc.lines
        for kr in entity.key_results:
            line = lines.get(("key_results", kr.index, "owner"))  # else the objective's owner, mentioned above
            if line is not None:
                found.append((kr.owner, doc.path, line))
        return found
    if isinstance(entity, KPI):
        return [(entity.owner, doc.path, doc.line("owner"))]
    if isinstance(entity, Team):
        found = [(entity.lead, doc.path, doc.line("lead"))] if entity.lead else []
        return found + [(name, doc.path, doc.line("members", index)) for index, name in enumerate(entity.members)]
    return []


def _name_sources(objectives: Mapping[str, Objective], kpis: Mapping[str, KPI], teams: Mapping[str, Team]) -> dict[str, tuple[str, int]]:
    """Where each name is first written (in file order)."""
    places = sorted((entity.doc.path.split("/"), position, entity) for position, entity in enumerate([*objectives.values(), *kpis.values(), *teams.values()]))
    first: dict[str, tuple[str, int]] = {}
    for _, _, entity in places:  # a file's mentions together: each file is one entity's
        for name, path, line in sorted(_mentions(entity), key=lambda m: m[2]):
            first.setdefault(name, (path, line))
    return first


def _periods(objectives: Mapping[str, Objective], settings: Settings) -> dict:
    """Periods with objectives, and the one okrsite.toml names as current (it gets a page too)."""
    periods = {o.period.id: o.period for o in objectives.values() if o.period}
    try:
        current = parse_period(settings.current_period, settings.periods) if settings.current_period else None
    except PeriodError:
        current = None  # reported with the settings
    if current is not None:
        periods.setdefault(current.id, current)
    return dict(sorted(periods.items(), key=lambda item: (item[1].start, item[1].end)))
