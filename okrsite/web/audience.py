"""Audiences (SPEC §14): the one place that decides what a public site shows.

An internal build renders the computed site as it is. A public build first turns it into its public
view, and renders and exports only that: private objectives are not in it at all (no page, title, id,
count or link), and a confidential item keeps its title, owner, definition, health, status, trend and
progress while every number that would reveal its value is gone from the data itself (None, or a
check-in without its value). Templates and okrs.json cannot show what is not there, so a theme that
forgets a field cannot leak it.

What stays computed on the whole site: progress, status and forecast (a parent's progress still counts
its private children, and its page says so), and a past period's KPI health in its review.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import PurePosixPath
from typing import Any, Collection, Iterable, Mapping

from ..git.changes import PRIVATE_PARENT, PageChanges, Secrets, recent_changes, withheld_commits
from ..git.changes import confided as is_confided, of_confidential_time, recorded_in
from ..git.checkins import DeletedChild, Logs, data_path
from ..git.history import History
from ..goals.config import Settings
from ..goals.load import SourceDoc
from ..goals.model import KPI, DataPoint, KeyResult, Objective, Person, Site
from ..goals.wikilinks import Hidden, may_link, others_than, unlinked
from ..numbers.carrying import MovedFinal, moved_finals
from ..numbers.compute import KPIState, KRScore, ObjectiveScore, Rollup, Scores, kr_is_stale, latest, objective_is_stale, rolled_up_updates, updates_of
from ..numbers.forecast import follows_kpi, kr_forecast, objective_forecast, rolled_up_forecast, scoring
from .render import View

WITHHELD_KR_KEYS = ("start", "target", "current", "history", "keep_above", "keep_below")  # what a public file of a confidential key result loses
WITHHELD_KPI_KEYS = ("target", "threshold", "values")  # ... and of a confidential KPI


def withheld_files(site: Site, settings: Settings, once_confidential: Collection[str] = ()) -> dict[str, str]:
    """The files under content/ that the audience's site does not publish although a body links to
    them, by their path from the site's root, each with what it is: on a public site, the `data:` file
    of each confidential KPI (every value it withholds is in it), and that of each KPI of
    ``once_confidential`` (public now, confidential once, as the git history tells: git.read.once_confidential),
    whose file holds the values of that time, which its page withholds; and each file that was the data
    file of a KPI confidential then, whatever KPI names it now, or none (``once_confidential.files``: git.read.Confided)."""
    if settings.audience != "public":
        return {}
    withheld = confidential_data_files(site)
    for ident in sorted(once_confidential):
        if site.kpis[ident].data:
            withheld[data_path(site.kpis[ident])] = f"the data file of the KPI '{ident}', with the values recorded while it was confidential"
    for path, ident in sorted(getattr(once_confidential, "files", {}).items()):
        withheld.setdefault(path, f"once the data file of the KPI '{ident}' while it was confidential, with the values of that time")
    return withheld


def confidential_data_files(site: Site) -> dict[str, str]:
    """The `data:` file of each confidential KPI, by its path from the site's root, with what it is: it
    holds every value the public site withholds of that KPI."""
    return {data_path(k): f"the data file of the confidential KPI '{k.id}'" for k in site.kpis.values() if k.confidential and k.data}


def view_for_audience(view: View) -> View:
    """The view a build renders for its settings' audience: ``view`` itself (internal), else its public view."""
    return public_view(view) if view.settings.audience == "public" else view


def site_for_audience(site: Site, audience: str) -> Site:
    """The site whose pages an ``audience``'s build writes (its write plan)."""
    return public_site(site) if audience == "public" else site


def public_view(view: View) -> View:
    """What the public may see of ``view`` (the whole computed site), as a View to render or export.

    Private objectives are left out everywhere (pages, lists, counts, children, people's `owns`,
    search, changes, links in texts); their public children are aligned to "a private objective".
    Confidential KPIs and key results keep their title, owner, definition, health, status, trend and
    progress; their values, current, start, target, threshold, guardrail line, check-in values and
    notes, forecast value and the charts drawn from them are gone (``withheld``). Changes say
    "Monthly recurring revenue updated", and a commit that touched a secret loses its message (and
    its check-ins their notes), keeping who and when. Pure: ``view`` is not changed.

    Render it, export it, or make any other publication from it (a digest); never compute numbers
    from its site: they are not there.
    """
    full, history = view.site, view.history
    site = public_site(full, view.scores.objectives)
    secrets = Secrets.of(full, history) if history else None
    quiet = withheld_commits(history, full, secrets) if history else frozenset()
    kpi_commits = secrets.kpi_commits if secrets else {}
    scores = public_scores(full, site, view.scores, quiet, secrets.check_ins if secrets else {}, kpi_commits, view.settings)
    public = View(site, scores, view.settings, _without_files(history), view.prefix, copied=view.copied, history_refused=view.history_refused,
                  renamed=view.renamed)
    public.__dict__["changes"] = recent_changes(history, full, view.as_of, number_format=view.settings.number_format, public=True, secrets=secrets) if history else ()
    public.__dict__["page_changes"] = PageChanges(history, full, view.as_of, number_format=view.settings.number_format, public=True, withheld=quiet,
                                                  secrets=secrets) if history else None
    private = Private.of(full)
    for period in site.periods.values():  # a past period's health at its end needs the values: from the whole site
        public.ends[period.id] = [_public_end(k, full.kpis[k.id], view.at_end(full.kpis[k.id], period), private, kpi_commits.get(k.id, frozenset()), quiet)
                                  for k in public.period_kpis(period)]
    return public


def _public_end(k: KPI, whole: KPI, end: tuple[KPI, KPIState], private: frozenset[str], commits: frozenset[str] = frozenset(),
                quiet: frozenset[str] = frozenset()) -> tuple[KPI, KPIState]:
    """A KPI at a period's end (View.kpis_at_end) as the public site has it: ``k`` (its public model),
    or, defined otherwise then, that definition with the same numbers withheld; without the values
    recorded while it was confidential (``commits``, as _once_confidential), and its values' notes as
    public_scores leaves them (``quiet``)."""
    then, state = end
    shown = k if then is whole else _public_kpi(then, private)
    shown, state = _once_confidential(shown, state, commits)
    return shown, _unlinked(_quiet(_public_state(shown, state), quiet, whole), private)


def public_site(site: Site, scores: Mapping[str, ObjectiveScore] | None = None) -> Site:
    """The model without private objectives and without confidential numbers (see public_view); with
    the whole site's ``scores``, a roll-up counts as they say (children added late left out: Rollup.of)."""
    private = Private.of(site)
    if not private and not any(k.confidential for k in site.kpis.values()) and not any(
            kr.confidential for o in site.objectives.values() for kr in o.key_results) and not _counts_deleted_private(scores):
        return site
    rollup = Rollup(site) if scores is None else Rollup.of(site, scores)
    objectives = {o.id: _public_objective(o, site, private, rollup) for o in site.objectives.values() if o.id not in private}
    kpis = {k.id: _public_kpi(k, private) for k in site.kpis.values()}
    public_ids = objectives.keys() | kpis.keys()
    used = {o.period.id for o in objectives.values() if o.period is not None}  # none: a site with errors, planned for its clashes
    dropped_periods = {o.period.id for o in site.objectives.values() if o.id in private and o.period is not None} - used
    return replace(
        site, objectives=objectives, kpis=kpis,
        teams={t.id: _relinked(t, private) for t in site.teams.values()},
        pages={p.id: _relinked(p, private) for p in site.pages.values()},
        people=_public_people(site, objectives, public_ids, private),
        periods={ident: p for ident, p in site.periods.items() if ident not in dropped_periods},
        children=_without(site.children, private),
        objective_kpis={ident: kpis_of for ident, kpis_of in site.objective_kpis.items() if ident not in private},
        kpi_objectives=_without(site.kpi_objectives, private),
        followed_by=_without(site.followed_by, private),
    )


def public_scores(site: Site, public: Site, scores: Scores, quiet: frozenset[str] = frozenset(),
                  confided: Mapping[str, Mapping[int, frozenset]] = {}, kpi_commits: Mapping[str, frozenset[str]] = {},
                  settings: Settings | None = None) -> Scores:
    """``scores`` of the whole ``site`` as the ``public`` site shows them: of its objectives only,
    confidential numbers withheld, no note from a commit in ``quiet`` (short hashes), and no check-in
    from a commit in which its key result was not public (``confided``: Secrets.check_ins), nor a
    KPI's value recorded while it was confidential (``kpi_commits``: Secrets.kpi_commits); an
    objective's forecast made again from its key results' when one of theirs left such a check-in
    out (``settings``: its at-risk gap)."""
    private = Private.of(site, site.objectives.keys() - public.objectives.keys())
    kpis = {ident: _unlinked(_quiet(_public_state(*_once_confidential(public.kpis[ident], state, kpi_commits.get(ident, frozenset()))), quiet,
                                    site.kpis[ident]), private)
            for ident, state in scores.kpis.items()}
    objectives, forecast_changed = {}, set()
    for ident in public.objectives:
        score, o = scores.objectives[ident], site.objectives[ident]
        hidden = confided.get(ident, {})
        krs = tuple(_public_kr_score(replace(kr, confidential=True) if _follows_a_hidden_value(kr, o, scores, kpi_commits) else kr, k, quiet,
                                     hidden.get(kr.index, frozenset()), o, scores, kpis[kr.kpi].values if kr.kpi in kpi_commits and kr.kpi in kpis else None)
                    for kr, k in zip(o.key_results, score.key_results))
        krs = _unlinked(krs, private)  # their units and check-ins' notes: of the model, or from commit messages
        objectives[ident] = score if all(a is b for a, b in zip(krs, score.key_results)) else replace(score, key_results=krs)
        if any(_deleted_private(c) for c in score.deleted_late):  # in no count nor word (SPEC §14, QA ER)
            objectives[ident] = replace(objectives[ident], deleted_late=tuple(c for c in score.deleted_late if not _deleted_private(c)),
                                        deleted_corrected=tuple(c for c in score.deleted_corrected if not _deleted_private(c.child)),
                                        deleted_counted=tuple((c, p) for c, p in score.deleted_counted if not _deleted_private(c)))
        if any(c not in public.objectives for c in score.moved_late):  # counted as a private child is, and said nowhere (SPEC §14)
            objectives[ident] = replace(objectives[ident], moved_late=tuple(c for c in score.moved_late if c in public.objectives))
        if any(c.objective.id not in public.objectives for c in score.counted_corrected):
            objectives[ident] = replace(objectives[ident], counted_corrected=tuple(c for c in score.counted_corrected if c.objective.id in public.objectives))
        if settings is not None and score.forecast is not None and any(a.forecast is not b.forecast for a, b in zip(krs, score.key_results)):
            forecast = objective_forecast(o.key_results, [s.progress for s in krs], [s.forecast for s in krs], score.goal, settings)
            if forecast != score.forecast:
                objectives[ident] = replace(objectives[ident], forecast=forecast)
                forecast_changed.add(ident)
    if settings is not None and (forecast_changed or private):
        _roll_ups_forecast_again(site, scores, objectives, forecast_changed, settings, private)
    if private:
        _awaited_of_shown(site, scores, objectives, private)
    objectives = rolled_up_updates(public, {ident: _own_dates(public.objectives[ident], score, scores.objectives[ident], scores.as_of, settings)
                                            for ident, score in objectives.items()}, scores.as_of, scores.updates_then)
    logs = Logs({}, {}, scores.logs.shallow, scores.logs.since) if scores.logs else None
    moved = _moved_finals(site, scores) if logs else {}
    return Scores(scores.as_of, objectives, kpis, logs, scores.updates_then, {key: m.changed for key, m in moved.items() if m.changed is not None},
                  {key: m.stood for key, m in moved.items()}, scores.graded_with, _public_deleted_stood(scores),
                  {period: kept for period, each in scores.deleted_left.items() if (kept := tuple(c for c in each if not _deleted_private(c)))})


def _public_deleted_stood(scores: Scores) -> dict[str, tuple]:
    """Scores.deleted_stood without the private ones: a team's public figures leave private objectives
    out, live or deleted (SPEC §14), and name none."""
    found = {period: tuple((c, s) for c, s in each if not _deleted_private(c)) for period, each in scores.deleted_stood.items()}
    return {period: each for period, each in found.items() if each}


def _moved_finals(site: Site, scores: Scores) -> dict[tuple[str, int], MovedFinal]:
    """Followers' key results whose old final values moved (carrying.moved_finals), by (follower id,
    key result index), found in the logs the public scores leave out: of each, the day that value
    changed and whether its start is where the old one stood when carried over, which `okrsite check
    --audience public` says too. A date and a yes are no numbers (SPEC §14)."""
    return {(o.id, moved.index): moved for o in site.objectives.values() if o.follows for moved in moved_finals(site, scores, o)}


def _roll_ups_forecast_again(site: Site, scores: Scores, objectives: dict[str, ObjectiveScore], changed: set[str], settings: Settings,
                             private: frozenset[str] = frozenset()) -> None:
    """The roll-ups above an objective whose forecast the public view made again (public_scores), or
    above a private one, made again in turn from their children's forecasts, deepest first: a
    roll-up with one child would otherwise say that child's forecast from the whole site. Each child
    counts with its own forecast (a child whose period runs past the roll-up's end is read on the
    roll-up's last day in the whole site's numbers: here, at its own end); a private child not at all
    (SPEC §14 lets only its progress count: the public forecast is the mean of the public children's,
    and one with none of them has none, nor counts in the roll-ups above it)."""
    rollup, now = Rollup.of(site, scores.objectives), {ident: s.forecast for ident, s in scores.objectives.items()}
    now.update({ident: objectives[ident].forecast for ident in changed})
    counted_private = {ident for ident in private if site.objectives[ident].parent in site.objectives
                       and ident in rollup.children(site.objectives[ident].parent)}
    above = {parent for ident in changed | counted_private for parent in _roll_ups_above(site, ident)}
    unshown = set(private)
    for ident in sorted(above, key=lambda i: len(_ancestors(site, i)), reverse=True):  # the deepest first
        whole = scores.objectives[ident]
        if whole.forecast is None:
            continue
        counted = rollup.children(ident)
        shown = [c for c in counted if c not in unshown]
        kids = [(scores.objectives[c].progress, now[c]) for c in shown]
        now[ident] = (replace(rolled_up_forecast(kids, whole.goal, settings), of_shown=len(shown) < len(counted)) if shown else None)
        if not shown:
            unshown.add(ident)  # its forecast was its private children's alone: not one of the shown ones above it (QA CS)
        if ident in objectives:
            objectives[ident] = replace(objectives[ident], forecast=now[ident])


def _awaited_of_shown(site: Site, scores: Scores, objectives: dict[str, ObjectiveScore], private: Collection[str]) -> None:
    """A public roll-up's grade awaits what the public objectives it counts await (Rollup.awaited), as
    the public digest says it: a private child's would say which KPI that child follows (SPEC §14 lets
    only its progress count), as its forecast leaves it out (_roll_ups_forecast_again)."""
    rollup, private = Rollup.of(site, scores.objectives), frozenset(private)
    for ident, score in objectives.items():
        if score.awaited and not scoring(site.objectives[ident].key_results):
            shown = rollup.awaited(ident, lambda i: scores.objectives[i].key_results, private)
            if shown != score.awaited:
                objectives[ident] = replace(score, awaited=shown)


def _roll_ups_above(site: Site, ident: str) -> list[str]:
    """The roll-ups whose forecast an objective's counts in: its parent while that is one, and so on up."""
    found = []
    for parent in _ancestors(site, ident):
        if scoring(site.objectives[parent].key_results):
            break
        found.append(parent)
    return found


def _ancestors(site: Site, ident: str) -> list[str]:
    """The objectives an objective aligns to, up to the top (a cycle, an error, stops it)."""
    found, parent = [], site.objectives[ident].parent
    while parent in site.objectives and parent not in found and parent != ident:
        found.append(parent)
        parent = site.objectives[parent].parent
    return found


def _follows_a_hidden_value(kr: KeyResult, o: Objective, scores: Scores, kpi_commits: Mapping[str, frozenset[str]]) -> bool:
    """A key result that takes its value from a KPI made public, whose value it takes (the latest by
    its period's end, or by today) was recorded while the KPI was confidential."""
    commits = kpi_commits.get(kr.kpi) if kr.kpi else None
    if not commits or not follows_kpi(kr) or kr.kpi not in scores.kpis or o.period is None:
        return False
    until = min(scores.as_of, o.period.end)
    return recorded_in(tuple(p for p in scores.kpis[kr.kpi].values if p.date <= until), commits)


def _once_confidential(kpi: KPI, state: KPIState, commits: frozenset[str]) -> tuple[KPI, KPIState]:
    """A KPI made public, as the public may see it: without the values recorded while it was
    confidential (``commits``), and with no number at all while its latest value is one of those."""
    if not commits or not state.values:
        return kpi, state
    if recorded_in(state.values, commits):
        return replace(kpi, confidential=True), state
    kept = tuple(p for p in state.values if not of_confidential_time(p, commits))
    return kpi, (state if len(kept) == len(state.values) else replace(state, values=kept))


def _own_dates(o: Objective, score: ObjectiveScore, whole: ObjectiveScore, as_of: date, settings: Settings | None) -> ObjectiveScore:
    """A roll-up objective's score dated by its own key results only, before its public descendants
    date it again: a private child's check-in must not show as its parent's "updated" (who and when).
    An objective of key results is dated anew when one of theirs was (_dated_by), from ``whole``'s,
    and judged stale again by those dates (_fresh_again)."""
    if scoring(o.key_results):
        if all(a.updated == b.updated for a, b in zip(score.key_results, whole.key_results)):
            return score
        settled = score.status in ("achieved", "missed", "cancelled")
        krs = tuple(_fresh_again(kr, s, w, o, as_of, settings, settled) for kr, s, w in zip(o.key_results, score.key_results, whole.key_results))
        score = replace(score, key_results=krs, stale=settings is not None and objective_is_stale(krs, o.period, as_of, settings))
    when, who, seq = latest(updates_of(score.key_results))
    return replace(score, updated=when, updated_by=who, updated_seq=seq)


def _fresh_again(kr: KeyResult, score: KRScore, whole: KRScore, o: Objective, as_of: date, settings: Settings | None, settled: bool) -> KRScore:
    """A key result dated anew (_dated_by) judged stale by its public dates: its silence counted from
    its last public check-in; with none, not judged (QA CA: "◷ stale, no check-in since" the day of
    its private time, whose freshness, stale or not, would tell of a check-in the public may not see)."""
    if score.updated == whole.updated or follows_kpi(kr):
        return score
    stale = settings is not None and not settled and kr_is_stale(score.updated or score.added, score.progress, o.period, as_of, settings)
    return replace(score, stale=stale)


# -- the model -------------------------------------------------------------------------------------


def _counts_deleted_private(scores: Mapping[str, ObjectiveScore] | None) -> bool:
    """Whether a finished roll-up counts, as it stood, a private objective deleted since (Rollup.kept)."""
    return scores is not None and any(c.objective is not None and c.objective.private for s in scores.values() for c in s.deleted_late)


def _deleted_private(child: DeletedChild | None) -> bool:
    """A deleted objective's last version private, as read (its objective) or, one the site could not
    read, as written: any `private:` but false keeps its title and id off the public site."""
    return child is not None and (child.private or (child.objective is not None and child.objective.private))


def _public_objective(o: Objective, site: Site, private: frozenset[str], rollup: Rollup) -> Objective:
    """``counts_private``: its progress is a roll-up that counts a private objective (one cancelled,
    by hand or as computed, counts nowhere; one deleted since that it counts as it stood, Rollup.kept)."""
    key_results = tuple(_withheld_kr(kr) if kr.confidential else kr for kr in o.key_results)
    counts_private = not scoring(o.key_results) and (any(c in private for c in rollup.children(o.id))
                                                     or any(c.objective.private for c in rollup.kept.get(o.id, ())))
    changes: dict[str, Any] = {}
    if o.parent in private:
        changes.update(parent=None, private_parent=True)
    if o.follows in private:
        changes["follows"] = None
    if counts_private:
        changes["counts_private"] = True
    if any(a is not b for a, b in zip(key_results, o.key_results)):
        changes["key_results"] = key_results
    hidden = {"parent"} if o.parent in private else set()
    hidden |= {"follows"} if o.follows in private else set()
    doc = _public_doc(o.doc, private, hidden, {kr.index for kr in o.key_results if kr.confidential})
    public = replace(o, **changes, doc=doc) if changes or doc is not o.doc else o
    return public if doc is o.doc else _unlinked(public, private)  # its texts are its file's: as they are, when its file is


def _withheld_kr(kr: KeyResult) -> KeyResult:
    return replace(kr, start=None, target=None, current=None, keep_above=None, keep_below=None, history=_withheld_points(kr.history))


def _public_kpi(k: KPI, private: frozenset[str]) -> KPI:
    changes: dict[str, Any] = {}
    if k.confidential:
        changes.update(target=None, threshold=None, target_text=None, values=_withheld_points(k.values))
    if set(k.objectives) & private:
        changes["objectives"] = tuple(i for i in k.objectives if i not in private)
    doc = _public_doc(k.doc, private, set(WITHHELD_KPI_KEYS) if k.confidential else set())
    if doc is not k.doc:
        changes["doc"] = doc
    return _unlinked(replace(k, **changes) if changes else k, private)


def _relinked(entity, private: frozenset[str]):
    doc = _public_doc(entity.doc, private)
    return _unlinked(entity if doc is entity.doc else replace(entity, doc=doc), private)


def _public_doc(doc: SourceDoc, private: frozenset[str], hidden: set[str] = frozenset(), secret_krs: set[int] = frozenset()) -> SourceDoc:
    """The file as the public may read it: `[[links]]` to private objectives (in the body, and in the
    front matter's text) say "a private objective", and the front matter holds no hidden key and no
    number of a confidential key result; the very same object when nothing changes."""
    body = _unlinked(doc.body, private)
    meta = {key: _unlinked(value, private) for key, value in doc.meta.items() if key not in hidden}
    if isinstance(meta.get("kpis"), list):
        meta["kpis"] = list(meta["kpis"])
    if isinstance(meta.get("objectives"), list):
        meta["objectives"] = [i for i in meta["objectives"] if i not in private]
    entries = meta.get("key_results")
    if secret_krs and isinstance(entries, list):
        meta["key_results"] = [{key: value for key, value in entry.items() if key not in WITHHELD_KR_KEYS} if index in secret_krs and isinstance(entry, dict) else entry
                               for index, entry in enumerate(entries)]
    if body == doc.body and meta == dict(doc.meta):
        return doc
    return replace(doc, body=body, meta=meta)


def _unlinked(value: Any, private: frozenset[str]) -> Any:
    """``value`` with every `[[link]]` to a private objective in any text it holds saying "a private
    objective": a string, and every string in a tuple, list, dict or dataclass of the model or the
    scores (a title, unit, tag, note, health reason...), all alike, since a text shown as written
    would print the objective's id. A file (SourceDoc) is _public_doc's. The very same object when
    nothing changes."""
    if not private:
        return value
    kind = type(value)
    if kind is str:
        return _unlinked_text(value, private) if may_link(value) else value
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        pairs = enumerate(value)
    elif kind is dict:
        pairs = value.items()
    elif kind is not SourceDoc and hasattr(kind, "__dataclass_fields__"):
        pairs = vars(value).items()
    else:
        return value
    changes = None
    for key, item in pairs:
        inner = type(item)
        if inner is str:
            if not may_link(item):
                continue
            new = _unlinked_text(item, private)
        elif inner in _PLAIN:
            continue
        else:
            new = _unlinked(item, private)
        if new is not item:
            changes = changes or {}
            changes[key] = new
    if changes is None:
        return value
    if kind is tuple or kind is list:
        return kind(changes.get(index, item) for index, item in enumerate(value))
    if kind is dict:
        return {**value, **changes}
    return replace(value, **{name: new for name, new in changes.items() if name in kind.__dataclass_fields__})


_PLAIN = frozenset({int, float, bool, type(None), date})


def _unlinked_text(text: str, private: frozenset[str]) -> str:
    found = unlinked(text, getattr(private, "hidden", private), PRIVATE_PARENT)
    return text if found == text else found


class Private(frozenset):
    """The ids of a site's private objectives; ``hidden`` adds the names of their files that are no
    public objective's id, by which a Markdown link in a text may reach one (`[the deal](vault.md)` to a file
    with `id: deal`; `[growth](growth.md)` to a public `growth` is not one, whatever the private files)."""

    hidden: Hidden

    @classmethod
    def of(cls, site: Site, ids: Iterable[str] | None = None) -> "Private":
        private = cls(o.id for o in site.objectives.values() if o.private) if ids is None else cls(ids)
        stems = {PurePosixPath(str(site.objectives[i].doc.path)).stem for i in private if i in site.objectives}
        private.hidden = Hidden.of(private, others_than(stems, {i for i in site.objectives if i not in private} | private))
        return private


def _public_people(site: Site, objectives: Mapping[str, Objective], public_ids: Iterable[str], private: frozenset[str]) -> dict[str, Person]:
    """People with what they own on the public site; a person named only in private objectives is not
    there (nor is the file where a name was first written, when that file is private)."""
    shown = set(public_ids)
    named = {o.owner for o in objectives.values()} | {kr.owner for o in objectives.values() for kr in o.key_results}
    named |= {k.owner for k in site.kpis.values()}
    private_files = {site.objectives[i].doc.path for i in private}
    people = {}
    for name, person in site.people.items():
        owns = tuple(i for i in person.owns if i in shown)
        if not (person.teams or owns or name in named):
            continue
        changes: dict[str, Any] = {"owns": owns} if owns != person.owns else {}
        if person.source[0] in private_files:
            changes["source"] = ("", 1)
        people[name] = replace(person, **changes) if changes else person
    return people


def _without(relation: Mapping[str, tuple[str, ...]], private: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """A relation between ids without the private ones, on either side (an empty entry goes too)."""
    kept = {ident: tuple(i for i in ids if i not in private) for ident, ids in relation.items() if ident not in private}
    return {ident: ids for ident, ids in kept.items() if ids}


# -- the numbers -----------------------------------------------------------------------------------


def _withheld_points(points: Iterable[DataPoint]) -> tuple[DataPoint, ...]:
    """Check-ins and values as the public sees a confidential one's: who and when, not the value nor its note."""
    return tuple(replace(p, value=None, note="") for p in points)


def _public_kr_score(kr: KeyResult, score: KRScore, quiet: frozenset[str], confided: frozenset, o: Objective, scores: Scores,
                     kpi_values: tuple[DataPoint, ...] | None = None) -> KRScore:
    """``kpi_values``: the public values of its KPI when that was confidential once (_once_confidential):
    a key result that follows it fits its forecast through those only. One whose value now is from a
    commit in which it was not public is withheld as a confidential one is: no number, and its forecast
    from all its check-ins, of which only the progress is shown (SPEC §14: a confidential key result's
    progress is public), so its objective's forecast is the internal site's."""
    if kr.confidential:
        forecast = replace(score.forecast, value=None) if score.forecast is not None else None
        return replace(score, current=None, history=_withheld_points(score.history), forecast=forecast, withheld=True, rescopes=())
    if confided and score.rescopes:  # a start or target it had while confidential is no number to show
        score = replace(score, rescopes=())
    if any(is_confided(p, confided) for p in score.history) or (kpi_values is not None and follows_kpi(kr)):
        shown = _without_check_ins(kr, score, confided, o, scores, kpi_values)
        if score.history and is_confided(score.history[-1], confided):  # its value now is one the public may not see: withheld
            return _public_kr_score(replace(kr, confidential=True), replace(shown, forecast=score.forecast), quiet, confided, o, scores)
        score = shown
    history = _without_notes_of(score.history, quiet)
    return score if history is score.history else replace(score, history=history)


def _without_check_ins(kr: KeyResult, score: KRScore, commits: frozenset, o: Objective, scores: Scores,
                       kpi_values: tuple[DataPoint, ...] | None = None) -> KRScore:
    """A public key result without the check-ins of the commits in which it was confidential (or
    another, confidential one, in its place), from git or written then (changes.confided): nor its
    chart, nor its forecast counts them; nor, with ``kpi_values``, the values its KPI had while that
    was confidential."""
    history = tuple(p for p in score.history if not is_confided(p, commits))
    score = _dated_by(score, history) if len(history) < len(score.history) else score
    forecast = score.forecast
    if forecast is not None and o.period is not None:
        if kpi_values is None:
            kpi_values = scores.kpis[kr.kpi].values if kr.kpi in scores.kpis else ()
        forecast = kr_forecast(kr, o.period, scores.as_of, score.progress, history, kpi_values, score.current, forecast.until)
    return replace(score, history=history, forecast=forecast)


def _dated_by(score: KRScore, shown: tuple[DataPoint, ...]) -> KRScore:
    """A key result's "last check-in" (when and who) among the check-ins the public may see, when one
    left out was it (QA BX: an objective made public showed the day and author of a check-in of its
    private time): the latest of those shown, else none."""
    if score.updated is None or any(p.date == score.updated and p.author == score.updated_by for p in shown):
        return score
    kept = [p for p in shown if p.date <= score.updated]
    last = max(kept, key=lambda p: p.date, default=None)
    if last is None:  # nor the day it was added, then: "no check-in since" that day
        return replace(score, updated=None, updated_by=None, updated_seq=None, added=None)
    return replace(score, updated=last.date, updated_by=last.author, updated_seq=None)


def _quiet(state: KPIState, quiet: frozenset[str], kpi: KPI) -> KPIState:
    """A KPI's values without the notes of commits in ``quiet`` (withheld_commits), as a key result's
    check-ins; a `note:` written beside a value in its file is the file's, not the commit message's."""
    values = _without_notes_of(state.values, quiet, {p.date: p.note for p in kpi.values if p.note})
    return state if values is state.values else replace(state, values=values)


def _without_notes_of(points: tuple[DataPoint, ...], quiet: frozenset[str], written: Mapping[date, str] = {}) -> tuple[DataPoint, ...]:
    """Check-ins or values without the notes of the commits in ``quiet``: such a note is its commit's
    message, unless it is the one ``written`` in the file for its date. The very same tuple when none has such a note."""
    def from_quiet(p: DataPoint) -> bool:
        return bool(p.note) and p.commit in quiet and written.get(p.date) != p.note
    if any(from_quiet(p) for p in points):
        return tuple(replace(p, note="") if from_quiet(p) else p for p in points)
    return points


def _public_state(kpi: KPI, state: KPIState) -> KPIState:
    """``kpi`` as the public site has it: its owner's reasons read there (their links to private objectives unlinked)."""
    if state.health_source == "manual" and kpi.health is not None and state.health_reasons != kpi.health.reasons:
        state = replace(state, health_reasons=kpi.health.reasons)
    if not kpi.confidential:
        return state
    return replace(state, current=None, values=_withheld_points(state.values), withheld=True)


def _without_files(history: History | None) -> History | None:
    """The history as a public page may use it (shallow, since, head): without a file's data or a commit."""
    return replace(history, files={}, gone=(), commits=()) if history is not None else None

