"""Page digests: one value per output file that changes whenever the file's bytes could, so that a
build can keep a file from the last build whose digest it finds unchanged (the build cache).

A page of the default theme is digested from exactly the model values its template reads: the
records (everything the model knows) of every id the page shows, in the order it shows them, with
what every page shows (settings, date, navigation, periods). Every other file, and every page where
what it reads is not known for sure, gets the digest of the whole site: a page of a site's own
templates, a template this module was not written for (a new page kind), and the default theme's
pages as soon as its templates or the View differ from those the dependencies below were checked
against (``PINNED``): then any change anywhere renders them again. Never a wrong page.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..goals.load import SourceDoc
from ..goals.model import Site, top_teams
from ..goals.pickling import ByFields
from ..goals.wikilinks import FILE, file_targets, page_at, wikilink_targets
from ..numbers.forecast import scoring
from .alignmap import drawn_plan
from .markdown import summary_links
from .plan import Output
from .render import REDIRECT, PageSpec, View
from .search import (SEARCH_INDEX, kpi_entry, link_titles, listed, listing_pages, listing_urls, objective_entries, page_entry, person_entry, searchable,
                     summary_source, team_entry)
from .theme import default_theme

# The digest of the default theme's templates and of render.py that the dependency functions below
# were last checked against. tests/web/test_pagedigest.py fails when they differ: read what changed,
# bring DEPENDS up to date with what the templates now read, then update this value.
PINNED = "8d02aa2d7467a412b3ad01829e7203be"


def _digest(*parts: object) -> bytes:
    """The digest of ``parts`` by their values: pickled without a memo (so the same values give the
    same bytes whichever objects hold them, in any process), five times cheaper than their repr;
    a source file's record is what the pages may show of it: its path, kind, front matter and body,
    not where each key sits. Anything pickle refuses is digested by its repr."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: no back-references that would depend on which objects are shared
    pickler.dispatch_table = _BY_VALUE
    try:
        pickler.dump(parts)
        data = b"p" + buffer.getvalue()
    except Exception:  # an object pickle refuses (or a cycle): its repr, as before
        data = b"r" + repr(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


def _source(doc: SourceDoc) -> tuple:
    return SourceDoc, (doc.path, doc.kind, doc.meta, {}, doc.body)


_BY_VALUE = ByFields({SourceDoc: _source})


@lru_cache(maxsize=1)
def pin() -> str:
    """What the dependency functions depend on: the default theme's templates and render.py."""
    digest = hashlib.blake2b(digest_size=16)
    templates = default_theme() / "templates"
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(Path(__file__).with_name("render.py").read_bytes())
    return digest.hexdigest()


def every_page_shows(view: View) -> bytes:
    """What any page may show besides its own subject: settings (every one: a new setting is in by
    itself), and those a finished period was graded with (View.graded_with), the site's folder in its repository, the navigation (its Teams link is there while the
    site has teams), the periods, which of them runs, how many key results and grades of each await a month-end
    KPI value (the top of a finished period's pages and its "ended" words say it: View.awaiting_words),
    the history's extent. Not the date: a page of a finished period does not show it (see page_day),
    and the as_of setting is the date."""
    site, history = view.site, view.history
    return _digest(
        replace(view.settings, as_of=None), sorted((ident, sorted(then.items())) for ident, then in view.scores.graded_with.items()), view.prefix, site.title, tuple((p.id, p.title, p.url) for p in site.pages.values()), bool(site.teams),
        sorted(top_teams(site.teams)),  # which objectives are the company's: the first of every alignment tree (alignment_tops)
        tuple(site.periods.values()), view.current_period, view.running_periods, sorted(view.awaiting.items()),
        None if history is None else (history.shallow, history.since, history.prefix),
    )


def page_day(view: View, page: PageSpec) -> tuple:
    """The day as a page shows it: the as-of date, but for a page of a finished period only that it
    ended (View.final_period). What such a page shows of its objectives is in their records: a
    finished objective's score by value (Records.score_of), which stays the same from day to day, and
    a running one's (a parent in a longer period, say) with the date. So a new day renders again the
    pages of running periods, and keeps a company's archive of finished quarters."""
    final = view.final_period(page)
    return ("final", final.id, final.end) if final is not None else ("as of", view.as_of)


def base_digest(view: View, base: bytes) -> bytes:
    """What every output's digest starts from: ``base`` (okrsite's code, the theme, the build's
    options) and what every page shows."""
    return _digest(base, every_page_shows(view))


def search_index_digest(view: View, base: bytes, records: Records, parts_were: object = None) -> tuple[bytes, bytes]:
    """The search index's digest from what it is made of, not the whole site's: a check-in that
    changes no status keeps the last build's file (3 MB at 10,000 objectives, 0.1–0.2 s to make).
    Made before the pages' digests, so that the build knows in time whether it will make the index
    (see build.search_index_early); and without making the entries (web/search.py), for most of what
    that takes is the first words of every body.

    What search_index reads: the entries, the teams (their order, parents and titles: owners' names
    and the team filter), the people's teams and the current period. An objective's, KPI's or page's
    entries are a function of the object alone but for its status (an objective's, a KPI's health),
    the A–Z list's ``detail``, which the index does not read, and the titles its summary shows for
    the `[[id]]` links in it: each is digested as its entries without the first two (its ``part``),
    and the status beside it. ``parts_were`` holds the last build's parts by the digest of the
    object they were made from (Records.entity) and, for one whose summary links, the titles of what
    it links to: an object the same by value, linking to the same titles, has the same entries, and
    its part of the last build is not made again (an edited objective's is: an edit that changes
    none of its entries changes no part; a renamed objective changes the part of each object whose
    summary names it). Returns the digest and the parts used, for the next build (see _pairs)."""
    site, scores = view.site, view.scores
    were = _unpaired(parts_were)
    parts: dict[bytes, bytes] = {}
    titles, raw = link_titles(site), view.settings.allow_html

    def part(thing, entries) -> bytes:
        entity = records.entity(thing)
        linked = summary_links(summary_source(thing.doc.body))
        key = _digest(entity, [(ident, titles(ident)) for ident in linked]) if linked else entity
        made = parts[key] = were.get(key) or parts.get(key) or _digest([tuple(e) for e in entries(thing)])
        return made

    found = searchable(site)
    period = view.current_period
    shown = (
        period.id if period else None,
        [(part(o, lambda o: objective_entries(o, None, "", titles, raw)), scores.objectives[o.id].status) for o in found.objectives],
        [(part(k, lambda k: [kpi_entry(k, None, "", titles, raw)]), scores.kpis[k.id].health) for k in found.kpis],
        [tuple(team_entry(t)) for t in found.teams], [tuple(person_entry(site, name, p)) for name, p in found.people],
        [part(p, lambda p: [page_entry(p, titles, raw)]) for p in found.pages],
        [(t.id, t.parent, t.title) for t in site.teams.values()], [(name, tuple(p.teams)) for name, p in site.people.items()],
    )
    return _digest(base_digest(view, base), view.as_of, SEARCH_INDEX, shown), b"".join(key + part for key, part in parts.items())


def _unpaired(pairs: object) -> dict[bytes, bytes]:
    """The parts of the search index's digest by the digest of their object, from one bytes object
    of 32-byte pairs: that is what the build holds to its end (for the cache), 3.5 MB at 100,000
    objectives against 15 MB as a dict."""
    if not isinstance(pairs, bytes) or len(pairs) % 32:
        return {}
    return {pairs[at:at + 16]: pairs[at + 16:at + 32] for at in range(0, len(pairs), 32)}


Entities = dict[int, tuple[object, bytes]]  # id() of an objective, KPI, team or page -> it, its digest


class Records:
    """The record of an id: everything the model knows about the objective, KPI, team, person or page
    of that name, its computed values and its relations both ways; made once per id and build.

    An objective's, KPI's, team's or page's own part is the digest of the object (all its fields, and
    its file's path, front matter and body): ``known`` holds those of objects the build cache took
    unchanged from the last build, which made their digests (the very objects: one that linking or
    the audience replaced is digested again). ``entities`` holds every one used, for the cache."""

    def __init__(self, view: View, known: Entities | None = None, log_inputs: Callable[[object], bytes] | None = None) -> None:
        self.view, self.known = view, known or {}
        self._known: dict[str | None, bytes] = {}
        self.entities: Entities = {}
        # Internal, a build's scores are compute()'s of this very site, from its files, the settings and
        # the date alone, and with git history the check-ins of its files (``log_inputs``, what they are
        # made of: git/checkins.py) in a history as deep: see score_of.
        logs = view.scores.logs
        self.by_inputs = view.settings.audience == "internal" and (logs is None or log_inputs is not None)
        self.log_inputs = log_inputs if logs is not None else None
        since = logs.known_since() if logs is not None else None
        self._inputs = ("inputs", _digest(view.settings, view.as_of, logs is not None, since)) if self.by_inputs else ()

    def of(self, ident: str | None) -> bytes:
        found = self._known.get(ident)
        if found is None:
            found = self._known[ident] = _digest(ident, *self._parts(ident))
        return found

    def joined(self, idents: tuple) -> bytes:
        """The records of ``idents``, one after another (16 bytes each: the sequence is unambiguous)."""
        found = list(map(self._known.get, idents))
        if None in found:
            found = [record or self.of(ident) for ident, record in zip(idents, found)]
        return b"".join(found)

    @property
    def made(self) -> dict[str | None, bytes]:
        """The record of every id made so far, by id."""
        return self._known

    def entity(self, thing: object) -> bytes:
        found = self.known.get(id(thing))
        digest = found[1] if found is not None and found[0] is thing else _digest(thing)
        self.entities[id(thing)] = (thing, digest)
        return digest

    def score_of(self, o) -> object:
        """What an objective's score is made from, where that is known and cheaper than the score: the
        score of an objective whose own key results make its progress (not a roll-up of its children's)
        follows from its file and the files of the KPIs its key results name, the settings and the date
        (numbers/compute.py: kr_scores_of, objective_score), and with git history the versions of those
        files; a KPI's state from its own file and CSV file, the date and their versions (kpi_of). Else
        the score itself; of an objective of a finished period, its score and how the KPIs its key results name
        format its numbers: its score no longer moves with the date (SPEC §6),
        and its pages leave the date out (page_day). (The settings are in every page's
        digest, but a record is also the key of okrs.json's parts.)"""
        kpis = self.view.site.kpis
        linked = sorted({kr.kpi for kr in o.key_results if kr.kpi})
        if self.view.phase(o.period) == "ended":
            return self.view.scores.objectives.get(o.id), tuple((k, kpis[k].number_format) for k in linked if k in kpis)
        if not self.by_inputs or not scoring(o.key_results):
            return self.view.scores.objectives.get(o.id)
        return self._inputs, self._logs_of(o), tuple((k, self.entity(kpis[k]) if k in kpis else None, self._logs_of(kpis.get(k))) for k in linked)

    def kpi_of(self, k) -> object:
        return (self._inputs, self._logs_of(k)) if self.by_inputs else self.view.scores.kpis.get(k.id)

    def _logs_of(self, thing) -> bytes | None:
        return self.log_inputs(thing) if self.log_inputs is not None and thing is not None else None

    def _shown_as(self, kind: str, ident: str, period_id: str | None = None) -> tuple:
        """The record of an id as a page shows less of it than everything: ("link", id) what a [[id]]
        link shows, its target's url and title (Renderer.body_html); ("named", id) an objective named
        with its period ("Continues", "Continued in"), its url, title and period; ("at end", KPI id,
        period id) a KPI as it stood when a finished period ended (View.kpi_at_end_of), not as it stands
        today: its fields but its values, as its file defined it then, and its state then (which holds its
        values up to that day); ("left out", id) the finished roll-up an objective's row, card or box says
        leaves it out (View.left_out_of): its url, title and period, and how the objective came to it
        (View.left_out_as), or None."""
        site = self.view.site
        if kind == "left out":
            parent = self.view.left_out_of(site.objectives[ident]) if ident in site.objectives else None
            return ("left out", None if parent is None else (parent.url, parent.title, parent.period.id, self.view.left_out_as(site.objectives[ident])))
        if kind == "named":
            o = site.objectives.get(ident)
            return ("named", None if o is None else (o.url, o.title, o.period.id))
        if kind == "link":
            entity = site.entity(ident)
            return ("link", None if entity is None else (entity.url, entity.title))
        k, period = site.kpis.get(ident), site.periods.get(period_id)
        if k is None or period is None:
            return ("at end", None)
        then, state = self.view.kpi_at_end_of(k, period)
        return ("at end", _digest(replace(then, values=(), doc=None)), state)

    def _parts(self, ident: str | None) -> Iterator[tuple]:
        view = self.view
        site = view.site
        if ident is None:
            return
        if isinstance(ident, tuple):
            yield self._shown_as(*ident)
            return
        if ident.startswith(FILE):
            entity = page_at(site, ident[len(FILE):])
            yield ("file", entity.url if entity is not None else None, view.copies(ident[len(FILE):]))
            return
        if ident in site.objectives:
            o = site.objectives[ident]
            yield ("objective", self.entity(o), self.score_of(o), site.children.get(ident),
                   site.objective_kpis.get(ident), site.followed_by.get(ident), view.moved_finals_of(o), _renamed(view, o))
        if ident in site.kpis:
            k = site.kpis[ident]
            yield ("kpi", self.entity(k), self.kpi_of(k), site.kpi_objectives.get(ident),
                   [(o.id, kr.id) for o, kr in view.krs_linked_to(ident)], view.renamed.kpis.get(ident))
        if ident in site.teams:
            t = site.teams[ident]
            yield ("team", self.entity(t), site.sub_teams.get(ident))
        if ident in site.people:
            yield ("person", site.people[ident], [(o.id, kr.id) for o, kr in view.key_results_of(ident)])
        if ident in site.pages:
            p = site.pages[ident]
            yield ("page", self.entity(p))
        if ident in site.teams or ident in site.people:
            yield ("owns", [o.id for o in view.owned_by(ident)], [k.id for k in view.kpis_owned_by(ident)])


def _renamed(view: View, o) -> tuple | None:
    """An objective's former ids and its key results' (okrs.json's `former_ids`, read from the history):
    in its record, which the build cache keeps okrs.json's part of it by."""
    renamed = view.renamed
    if o.id not in renamed.objectives:
        return None
    return renamed.objectives[o.id], tuple(renamed.key_results.get((o.id, kr.id)) for kr in o.key_results)


Depends = Callable[[View, object, PageSpec], tuple[Iterable[str | tuple | None], tuple]]


def _links(entity, text: str | None) -> list:
    """The ``[[id]]`` links of a text of ``entity``'s file as ids of their own (see Records._shown_as: a
    link shows its target's url and title, not its numbers, so a check-in on the target keeps the pages
    that merely name it), also those its summary (the meta description) reads, and the files it links
    to (`../kpis/mrr.md`, `img/chart.png`), each as FILE and its path: the record of one is the url of
    the page of that file, if any, and whether the site copies it."""
    named = [ident for _, ident in wikilink_targets(text or "")] + summary_links(text or "")  # as rendered, and as the summary reads them
    return [("link", ident) for ident in named] + [FILE + path for path in file_targets(entity.doc.path, text)]


def _left_out(idents: Iterable[str]) -> list[tuple[str, str]]:
    """Objectives a page shows with whether a finished roll-up's grade leaves them out: see Records._shown_as."""
    return [("left out", ident) for ident in idents]


def _named(idents: Iterable[str | None]) -> list[tuple[str, str]]:
    """Objectives a page names with their period, and links to: see Records._shown_as."""
    return [("named", ident) for ident in idents if ident is not None]


def _chain(view: View, o) -> list[str | None]:
    """The ids of the alignment chain above an objective, top first, and the parent named by its top
    (missing, hidden or in a loop): whether that one is an objective decides where the chain ends."""
    chain = view.chain(o)
    return [*(a.id for a in chain), (chain[0] if chain else o).parent]


def _kpis_as_shown(view: View, spec: PageSpec, kpis: Iterable[str | None]) -> list:
    """KPI ids as a page shows them: on a page of a finished period, as they stood at its end."""
    final = view.final_period(spec)
    return list(kpis) if final is None else [("at end", k, final.id) for k in kpis if k is not None]


def _objective(view: View, o, spec: PageSpec) -> tuple[list, tuple]:
    site = view.site
    children = site.children.get(o.id, ())
    linked = site.objective_kpis.get(o.id, ())
    ids = [o.id, o.owner, o.parent, *_named([o.follows, *site.followed_by.get(o.id, ())]), *_chain(view, o)]
    ids += [*children, *(site.objectives[c].owner for c in children if c in site.objectives), *_left_out(children)]
    ids += view.scores.objectives[o.id].moved_late  # counted as they stood, aligned elsewhere since (View.rollup_realigned)
    ids += [*_kpis_as_shown(view, spec, linked), *(site.kpis[k].owner for k in linked if k in site.kpis)]
    ids += _kpis_as_shown(view, spec, [kr.kpi for kr in o.key_results]) + [kr.owner for kr in o.key_results]
    ids += _links(o, o.doc.body) + _links(o, o.retro)
    return ids, (view.period_url_of(o),)


def _kpi(view: View, k, spec: PageSpec) -> tuple[list, tuple]:
    site = view.site
    named = site.kpi_objectives.get(k.id, ())
    linked = [site.objectives[i] for i in named if i in site.objectives]
    ids = [k.id, k.owner, *named, *(o.owner for o in linked), *_left_out(named), *(o.id for o, _ in view.krs_linked_to(k.id))]
    return ids + _links(k, k.doc.body), ()


def _team(view: View, t, spec: PageSpec) -> tuple[list, tuple]:
    """The team, its sub-teams and members, and every objective it rolls up (its own, its members',
    its sub-teams'; the only top-level team's, those of no team too: numbers/teams.py home_teams),
    grouped as the page groups them, with their owners and the groups' parents; the objectives it
    owns key results of; the objectives of its finished periods deleted after they ended that its figures
    count as they stood (View.team_deleted), as it shows them. (Whether there is one top-level team is on
    every page: every_page_shows.)"""
    site = view.site
    groups = view.team_groups(t.id)
    rolled = [o for g in groups for o in view.objectives_by_id(g.objectives)]
    kpis = view.kpis_owned_by(t.id)
    ids = [t.id, t.parent, t.lead, *t.members, *site.sub_teams.get(t.id, ()), *(k.id for k in kpis)]
    ids += [*(o.id for o in rolled), *(o.owner for o in rolled), *_left_out(o.id for o in rolled), *(g.team for g in groups)]
    ids += [site.teams[g.team].parent for g in groups if g.team in site.teams]
    ids += [o.id for o, _ in view.key_results_of(t.id)]
    deleted = [(p.id, [(c.ident, title, c.day, c.commit, score) for c, title, score in view.team_deleted(f)])
               for p, _, f in view.team_periods(t.id) if f.deleted]
    return ids + _links(t, t.doc.body), (groups, deleted)


def _person(view: View, person, spec: PageSpec) -> tuple[list, tuple]:
    name = person.name
    owned = [o.id for o in view.owned_by(name)]
    ids = [name, *person.teams, *owned, *_left_out(owned), *(o.id for o, _ in view.key_results_of(name))]
    return ids + [k.id for k in view.kpis_owned_by(name)], ()


def _period(view: View, period, spec: PageSpec) -> tuple[list, tuple]:
    """The period's objectives and their owners, its summary and the objectives deleted after it ended
    that it names (those it counts as they stood: View.deleted_after_end); a page of one owner's, its
    objectives only; the page of a period split by owner, its owners (see _owners)."""
    owners = view.split_periods.get(period.id)
    if spec.part is None and owners:
        return _owners(view, period, owners)
    objectives = view.split_periods[period.id][spec.part] if spec.part is not None else view.by_period.get(period.id, [])
    ids = [period.id, spec.part, *(o.id for o in objectives), *(o.owner for o in objectives), *_left_out(o.id for o in objectives)]
    if spec.part is not None:
        return ids, (period, owners is not None)
    return [*ids, *_deleted_named(view, period)], (period, owners is not None, view.period_summary(period), view.deleted_after_end(period))


def _owners(view: View, period, owners: dict[str, list]) -> tuple[list, tuple]:
    """The page of a period split by owner (period.html without a part) lists no objective: it shows the
    period's summary, how many objectives it has and their statuses, and each owner (the owner's record:
    a team's title, and whether the link goes to teams/ or people/) with the statuses of their
    objectives, and the objectives deleted after it ended it names. So a check-in that moves no status keeps it."""
    scores = view.scores.objectives
    objectives = view.by_period.get(period.id, [])
    each = [(name, [scores[o.id].status for o in mine]) for name, mine in owners.items()]
    return ([period.id, *owners, *_deleted_named(view, period)],
            (period, "owners", len(objectives), view.status_counts(objectives), view.period_summary(period), each, view.deleted_after_end(period)))


def _review(view: View, period, spec: PageSpec) -> tuple[list, tuple]:
    """A review's objectives with their owners, parents, lineage and the children of a longer period a
    finished roll-up names (counted_then), and every KPI (its summary's table
    holds the period's KPIs, or all, and says how many it leaves out), and the objectives of the period
    deleted after it ended that its summary names (_deleted_named); a part of a review in parts, the objectives of the part."""
    site = view.site
    parts = view.review_parts(period)
    if spec.part is None and len(parts) > 1:
        return _review_summary(view, period, parts, spec)
    part = view.review_part(period, spec.part)
    shown = [o for o, _ in part]
    ids = [period.id, spec.part, *(o.id for o in shown), *(o.owner for o in shown), *_left_out(o.id for o in shown)]
    for o in shown:
        ids += [o.parent, *_named([o.follows, *site.followed_by.get(o.id, ())]), *_links(o, o.retro)]
        ids += [c for c, _ in view.scores.objectives[o.id].counted_then]  # a roll-up's children of a longer period, named
        ids += _carried_with(site, o)
    if spec.part is None:  # the summary: every objective of the period, every KPI, the parts
        objectives = view.by_period.get(period.id, [])
        kpis = site.kpis if view.final_period(spec) is None else [k.id for k, _ in view.kpis_at_end(period)]
        ids += [*(o.id for o in objectives), *(o.owner for o in objectives), *_kpis_as_shown(view, spec, kpis), *_deleted_named(view, period)]
        return ids, (period, [[(o.id, depth) for o, depth in each] for each in parts], len(site.kpis), view.continued_too_late(period),
                     view.deleted_after_end(period), view.period_summary(period))
    return ids, (period, (len(parts), [(o.id, d) for o, d in part]), view.continued_too_late(period))


def _carried_with(site: Site, o) -> list:
    """Below a roll-up, what decides the carry-over command its review names when nothing continues it
    (View._children_first, carrying.runs_carrying): its children, with the periods of their followers,
    and the children of each of them that rolls up its own, to any depth."""
    below: dict[str, None] = {}
    waiting = [] if scoring(o.key_results) else list(site.children.get(o.id, ()))
    while waiting:
        ident = waiting.pop()
        child = site.objectives.get(ident)
        if ident in below or child is None:
            continue
        below[ident] = None
        if not scoring(child.key_results):
            waiting += site.children.get(ident, ())
    return [*below, *_named(f for ident in below for f in site.followed_by.get(ident, ()))]


def _review_summary(view: View, period, parts: list[list[tuple]], spec: PageSpec) -> tuple[list, tuple]:
    """The summary of a review in parts (review.html without a part) shows no objective of its own: the
    period's summary, how many objectives it has and their statuses, its KPIs as they stood at its end
    (each KPI's record, and what the table shows of its state then: the public view's states are made
    from the whole site's), and of each part its size and the titles of its top objectives. So a
    check-in that moves no status keeps it."""
    scores = view.scores.objectives
    objectives = view.by_period.get(period.id, [])
    kpis = view.kpis_at_end(period)
    table = [(k.id, st.withheld, st.current, st.current_date, st.health, st.health_source, st.stale, st.retired) for k, st in kpis]
    listed = [(len(part), [o.title for o, depth in part if depth == 0]) for part in parts]
    return ([period.id, *_kpis_as_shown(view, spec, (k.id for k, _ in kpis)), *_deleted_named(view, period)],
            (period, "summary", [scores[o.id].status for o in objectives], view.period_summary(period), table, listed, len(view.site.kpis),
             view.deleted_after_end(period)))


def _deleted_named(view: View, period) -> list[tuple[str, str]]:
    """The roll-ups a review's summary names beside the objectives of its period deleted after it ended
    (View.deleted_after_end): the deleted ones are in its digest as it shows them."""
    return _named(d.rollup for d in view.deleted_after_end(period))


def _page(view: View, page, spec: PageSpec) -> tuple[list, tuple]:
    return [page.id, *_links(page, page.doc.body)], ()


def _map(view: View, o, spec: PageSpec) -> tuple[list, tuple]:
    """An objective's own map: its lineage (the breadcrumbs), and every objective below it in any period
    (the list below the map holds them all; the map, those of its period, which their records say),
    with their owners."""
    site = view.site
    below: dict[str, None] = {}
    missing: dict[str, None] = {}  # children named that are no objective of this site: see KeptDigests
    pending = [o.id]
    while pending:
        ident = pending.pop()
        if ident in site.objectives:
            if ident not in below:
                below[ident] = None
                pending += reversed(site.children.get(ident, ()))
        else:
            missing[ident] = None
    ids = [*_chain(view, o), *below, *(site.objectives[i].owner for i in below), *_left_out(below), *missing]
    return ids, ()


def _alignment(view: View, period, spec: PageSpec) -> tuple[list, tuple]:
    """A part of a period's alignment list (alignment.html with a subject; the page of every period's
    map and list has none: see _maps): every objective of the trees under the part's
    top objectives (alignment_node follows every child, of any period) with their owners, and the list
    of parts (each one's url, number, count, first and last title)."""
    site = view.site
    parts = view.alignment_parts(period)
    number = int(spec.part)
    part = parts[number - 1] if 0 < number <= len(parts) else {"roots": []}
    tree = _trees(site, part["roots"])
    ids = [period.id, spec.part, *tree, *(site.objectives[i].owner for i in tree), *_left_out(tree)]
    return ids, (period, _parts_listed(parts))


def _trees(site, roots: list) -> dict[str, None]:
    """The ids of every objective of the trees under ``roots``, as alignment_node lists them (every child)."""
    tree: dict[str, None] = {}
    pending = [o.id for o in reversed(roots)]
    while pending:
        ident = pending.pop()
        if ident not in tree:
            tree[ident] = None
            pending += reversed(site.children.get(ident, ()))
    return tree


def _parts_listed(parts: list[dict]) -> list[tuple]:
    return [(q["url"], q["number"], q["count"], q["first"], q["last"]) for q in parts]


def _maps(digests: Digests, spec: PageSpec) -> tuple[list, tuple]:
    """The page of every period's map and list (alignment.html without a subject). Of each period: its
    map's plan (which objectives have a box, how they hang, what each box hides or has a map of its own:
    the layout follows from it) and the records of those objectives and of their owners (what a box
    says, and the period of the objective a top box is aligned to); its list in parts (each part's url,
    number, count, first and last title), or its list whole
    (_trees of its top objectives, and their owners). Not the objectives left off the map: a check-in on
    one of those keeps the page. The plan is taken as the map takes it (drawn_plan: let go once read,
    made again if the page is rendered; the build holds no plan of a kept page to its end)."""
    view = digests.view
    site = view.site
    ids: list = []
    extra: list = []
    for period in reversed(site.periods.values()):
        planned = drawn_plan(site, period.id)
        boxes: list[str] = []
        pending = list(reversed(planned))
        while pending:
            node = pending.pop()
            boxes.append(node.key)
            pending += reversed(node.children)
        parts = view.alignment_parts(period)
        tree = _trees(site, view.roots(period)) if len(parts) <= 1 else {}
        shown = [*boxes, *tree]
        ids += [period.id, *shown, *(site.objectives[i].owner for i in shown), *_left_out(shown), *_named(site.objectives[node.key].parent for node in planned)]
        extra.append((period.id, planned, _parts_listed(parts) if len(parts) > 1 else None))
    return ids, tuple(extra)


# What each page of the default theme reads, as ids whose records it shows and other values.
DEPENDS: dict[str, Depends] = {
    "objective.html": _objective, "kpi.html": _kpi, "team.html": _team, "person.html": _person,
    "period.html": _period, "review.html": _review, "page.html": _page,
    "map.html": _map, "alignment.html": _alignment,
}


def _search(digests: Digests, spec: PageSpec) -> tuple[list, tuple]:
    """A page of the A–Z list: what it shows of its entries (web/search.py: listed), the list's pages
    (each one's url and its first and last titles, which make its label) and how many entries in all,
    and the filters' choices."""
    view = digests.view
    rows = digests.listed
    urls, pages = listing_urls(len(rows)), listing_pages(rows)
    number = urls.index(spec.url) if spec.url in urls else 0
    ends = [(url, page[0][0], page[-1][0]) if page else (url,) for url, page in zip(urls, pages)]
    return [], (pages[number], number, ends, len(rows), view.search_filters(), view.current_period)


def _kpis(digests: Digests, spec: PageSpec) -> tuple[list, tuple]:
    """The list of every KPI (kpis.html): each KPI's record (its state is made of it) and its owner's."""
    kpis = digests.view.site.kpis.values()
    return [*(k.id for k in kpis), *(k.owner for k in kpis)], ()


def _archive(digests: Digests, spec: PageSpec) -> tuple[list, tuple]:
    """The archive (archive.html): each period's summary (the periods themselves are on every page)."""
    view = digests.view
    return [], [view.period_summary(p) for p in view.site.periods.values()]


# What each page of the default theme without a subject reads, where that is less than the whole site.
# (alignment.html with a subject is a part of a period's list: in DEPENDS.)
LISTS: dict[str, Callable[[Digests, PageSpec], tuple[Iterable[str | None], tuple]]] = {
    "search.html": _search, "kpis.html": _kpis, "archive.html": _archive, "alignment.html": _maps}
SUBJECTS = {
    "objective.html": "objectives", "kpi.html": "kpis", "team.html": "teams", "person.html": "people",
    "period.html": "periods", "review.html": "periods", "page.html": "pages",
    "map.html": "objectives", "alignment.html": "periods",
}


# The pages whose list of ids follows from the records of the ids on it, see KeptDigests.
CLOSED = frozenset({"objective.html", "kpi.html", "person.html", "page.html", "map.html"})
# The pages that list their subject's own latest changes (View.changes_of).
OWN_CHANGES = frozenset({"objective.html", "kpi.html"})
# The pages whose list follows from those records and the site's structure (web/cuts.py), when they are a part:
# of a period split by owner, of a review in parts.
PARTS = frozenset({"period.html", "review.html"})

Kept = dict[str, tuple[tuple, tuple, bytes]]  # path -> its page's fields, the ids of its digest, the digest


def _fields(page: PageSpec) -> tuple:
    """A page as plain values, as the build cache keeps them."""
    return page.url, page.template, page.subject, page.part


class KeptDigests:
    """The last build's digests of the pages in CLOSED, each with the ids it was made of, and the record
    of every one of those ids, for the next build: a page whose ids all have the same record now
    keeps its digest without its ids being listed again (10,000 objective pages: most of the digests'
    time in a warm build), when ``context`` (below) is the same too.

    Why that is the digest the page's DEPENDS function would give. A page's digest is made of the
    build's base (okrsite's code, the theme, the options, what every page shows), its path and spec,
    its ``extra`` values and the records of its ids in order. The DEPENDS function of each page in
    CLOSED lists every id it looks at while it lists them: after the subject, each id is read from
    the record of an id listed before it (a field of an objective, KPI or page, the people a person's
    record holds, or a relation the record holds: children, followers, linked KPIs and key results,
    what a person owns), and an id looked up only to see whether it is an objective is listed too (the
    parent named by the top of the alignment chain, a child that is no objective). So when the record
    of every id on the last build's list is the same, the list is built the same way to the same end:
    it is the same list. The ``extra`` values: an objective's period page (its period and owner, from
    its record; whether the owner is a team, from the owner's record; which periods are split by
    owner, in ``context``); the other pages in CLOSED have none. What an objective's or KPI's page lists
    of its own latest changes is made of (View.changes_key: its files' versions with their commits,
    the as-of date's place among them) is compared with the page's spec, and what those may depend on
    beyond it (the KPIs, the audience's secrets, every title's objectives: View.changes_context) is in
    ``context``, so a commit keeps the pages of the files it did not touch. ``context`` also holds
    the base, and the spec is compared. Team, period and review pages are not in CLOSED: whose
    objectives they list follows from every objective's owner and period (a new objective of a
    team's member is on no id list of the team's page before it is added).

    A part of a period split by owner or of a review in parts (PARTS) is kept with the site's
    structure (web/cuts.py: every objective's id, period, parent and owner, and the alignment), compared
    with its spec: the objectives it lists are its cut of the period (render.split_by_owner,
    render.review_parts), which follows from that structure alone, with their owners; a review's part
    also lists each one's parent, the objectives it follows and that follow it and the [[ids]] of its
    retrospective, read from its record. Its ``extra`` values: the period (in ``context``), whether the
    period is split, and the review's number of parts and each objective's depth, from the structure."""

    def __init__(self, context: bytes, records: dict, pages: Kept) -> None:
        self.context, self.records, self.pages = context, records, pages

    @classmethod
    def of(cls, items: object) -> KeptDigests | None:
        """What the build cache holds, as the last build left it (``items``)."""
        if not isinstance(items, list) or not items or not isinstance(items[0], bytes):
            return None
        found: dict[str, dict] = {"records": {}, "pages": {}}
        for at in range(1, len(items)):
            kind, chunk = items[at]
            found[kind].update(chunk)
            items[at] = None  # each chunk let go as it is merged: not held twice
        return cls(items[0], found["records"], found["pages"])

    def items(self) -> Iterator[object]:
        """The context, then the records and the pages in chunks: the cache pickles each item apart, so
        that no pickler's memo holds every object of 100,000 pages' lists at once (about 100 MB)."""
        yield self.context
        for kind, entries in (("records", self.records), ("pages", self.pages)):
            keys = list(entries)
            for start in range(0, len(keys), CHUNK):
                yield kind, {key: entries[key] for key in keys[start:start + CHUNK]}


CHUNK = 5000


class Digests:
    """The digest of every output of a build. ``base`` holds what is the same for every file (okrsite's
    code, the theme, the build's options); ``whole_site`` changes with any input at all; ``precise``
    is False for a site with templates of its own. ``earlier``: the last build's KeptDigests; ``records``:
    the build's Records, when made before (see search_index_digest), else made of ``known``."""

    def __init__(self, view: View, base: bytes, whole_site: bytes, precise: bool, known: Entities | None = None,
                 earlier: KeptDigests | None = None, records: Records | None = None, structure: str | None = None) -> None:
        self.view, self.records, self.structure = view, records if records is not None else Records(view, known), structure
        self.base = base_digest(view, base)
        self.whole_site = _digest(self.base, whole_site)
        self.precise = precise and pin() == PINNED
        self.context = _digest(self.base, list(view.split_periods), view.changes_context())
        self.earlier = earlier if earlier is not None and earlier.context == self.context else None
        self.closed: Kept = {}

    @cached_property
    def listed(self) -> list[tuple[str, str, str, str]]:
        return listed(self.view.site)

    def of(self, output: Output) -> bytes:
        page = output.page
        if page is not None and page.template == REDIRECT:
            return _digest(self.base, output.path, page)  # render.redirect_page: the spec and the settings, whatever the theme
        if page is None or not self.precise or (page.template not in DEPENDS and page.template not in LISTS):
            return _digest(self.whole_site, output.path)
        day, own = page_day(self.view, page), self._own_changes(page)
        kept_as = self._kept_as(page, day, own)
        if kept_as is not None and self.earlier is not None:
            found = self._as_before(output.path, page, kept_as)
            if found is not None:
                return found
        if page.template in LISTS and page.subject is None:
            ids, extra = LISTS[page.template](self, page)
        else:
            subject = getattr(self.view.site, SUBJECTS[page.template]).get(page.subject)
            if subject is None:
                return _digest(self.whole_site, output.path)
            ids, extra = DEPENDS[page.template](self.view, subject, page)
        digest = hashlib.blake2b(_digest(self.base, output.path, page, day, own, extra), digest_size=16)
        unique = tuple(dict.fromkeys(ids))
        digest.update(self.records.joined(unique))
        made = digest.digest()
        if kept_as is not None:
            self.closed[output.path] = (kept_as, unique, made)
        return made

    def _kept_as(self, page: PageSpec, day: tuple, own: bytes) -> tuple | None:
        """What a page's digest is kept by (see KeptDigests): its fields, its day and its own changes
        (page_day, _own_changes), and a part's the site's structure; None for a page whose digest is made
        anew each build."""
        if page.template in CLOSED:
            return (*_fields(page), day, own)
        if page.template in PARTS and page.part is not None and self.structure is not None:
            return (*_fields(page), day, self.structure)
        return None

    def _own_changes(self, page: PageSpec) -> bytes:
        """What the latest changes a page lists of its own subject are made of (View.changes_key): in its
        digest, and in what its kept digest is kept by, so that a commit keeps the pages of the files it
        did not touch (with git history, a build after one check-in)."""
        if page.template not in OWN_CHANGES or self.view.page_changes is None:
            return b""
        subject = getattr(self.view.site, SUBJECTS[page.template]).get(page.subject)
        return _digest(self.view.changes_key(subject.url)) if subject is not None else b""

    def _as_before(self, path: str, page: PageSpec, kept_as: tuple) -> bytes | None:
        """The last build's digest of the page, if the record of every id it was made of is the same."""
        found = self.earlier.pages.get(path)
        if found is None or found[0] != kept_as or not self._changed.isdisjoint(found[1]):
            return None
        if not all(map(self.earlier.records.__contains__, found[1])):
            return None
        self.closed[path] = found
        return found[2]

    @cached_property
    def _changed(self) -> frozenset:
        """The ids whose record is not the last build's, of all the last build's records (those of its
        kept pages' ids, see kept): made once for every page, each page's ids then compared at once."""
        make = self.records.of
        return frozenset(ident for ident, record in self.earlier.records.items() if make(ident) != record)

    def of_all(self, outputs: Iterable[Output]) -> dict[str, bytes]:
        """The digest of every output, by path; then the last build's KeptDigests are let go, before the
        build's peak of memory (the end, when the cache is saved): 100,000 pages' lists of ids."""
        digests = {output.path: self.of(output) for output in outputs}
        self.earlier = None
        return digests

    def kept(self) -> KeptDigests:
        """For the next build: the pages in CLOSED and the records of their ids (of those only: an id on no
        page, a deleted objective's, is not carried from build to build), handed over once every
        digest is made, so that the build saves them and lets them go before it writes the pages (100,000
        pages' lists of ids: 50 MB made, 100 MB as read from the cache, held through the build's peak
        otherwise). Saved even by a build that then stops: a kept digest is what ``of`` makes of its
        page's ids and records and the context, whatever was written."""
        closed, self.closed = self.closed, {}
        shown = set().union(*(entry[1] for entry in closed.values()))
        return KeptDigests(self.context, {ident: record for ident, record in self.records.made.items() if ident in shown}, closed)
