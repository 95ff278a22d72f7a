"""Render: one HTML page as a function of (model, page), with a Jinja environment and Markdown parser made once."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, partial
from html import escape as html_escape
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import quote, urlsplit

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup

from .. import __version__
from ..goals.config import Settings
from ..goals.diagnostics import not_utf8, plural
from ..goals.formats import round_grade, bdi_elements, has_right_to_left, without_isolates, format_change, format_grade, format_number, format_percent, format_ratio, percent_number, round_half_up
from ..goals.model import Page as PlainPage, Period, Person, Site, alignment_tops, once_per_site, person_slug, slugify, title_order, top_teams
from ..goals.periods import next_period
from ..goals.wikilinks import FILE, file_targets, in_content, markdown_file, page_at, relative_href, relative_links, wikilink_targets
from ..git.changes import ChangeSet, PageChanges, recent_changes
from ..git.checkins import Rescope
from ..git.former import NO_RENAMES, Renamed
from ..git.history import History
from ..numbers.compute import GRADE_BANDS, KPIState, awaiting_counts, KRScore, ObjectiveScore, Scores, counted_as_they_stood, current_period, cut_off, follows_kpi, in_its_time, kpi_at_end, kpi_trend, progress_history
from ..numbers.carrying import MovedFinal, moved_finals, own_run_carries, runs_carrying
from ..numbers.forecast import method_words, retired_words, scoring
from ..numbers.teams import TeamFigures, TeamGroup, deleted_homes, deleted_of, figures_of, period_figures, team_groups, team_objectives
from . import alignmap, charts
from .treelayout import layout, plan
from .links import file_links
from .markdown import heading_slug, make_parser, mark_headings, plain_summary, render as render_markdown, settle_headings
from .search import LISTING_SIZE, Entry, link_titles, listing, listing_urls, owner_name, search_entries, search_index, searchable
from .security import secure_page
from .templatecheck import Called, Names, TemplateProblem
from .theme import usable_theme_file

STATUS_ORDER = ("on-track", "at-risk", "off-track", "not-started", "achieved", "missed", "cancelled")
STATUS_ICONS = {
    "on-track": "●", "at-risk": "▲", "off-track": "■", "not-started": "○",
    "achieved": "✔", "missed": "✖", "cancelled": "⊘",
}
HEALTH_ICONS = {"healthy": "●", "warning": "▲", "critical": "■", "unknown": "?", "confidential": "◆"}
HEALTH_ORDER = ("healthy", "warning", "critical", "unknown", "confidential")
BAND_ICONS = {"green": "●", "yellow": "▲", "red": "■"}  # shapes, so a grade reads in black and white
BAND_RANGES = {"green": "0.7–1.0", "yellow": "0.4–0.69", "red": "below 0.4"}
TREND_ICONS = {"improving": "↗", "worsening": "↘", "flat": "→"}


@dataclass(frozen=True)
class PageSpec:
    """One output page: its url (relative to the site root), template and subject id; ``part`` the
    owner of the objectives a page of a period split by owner lists (see split_by_owner)."""

    url: str
    template: str
    subject: str | None = None
    part: str | None = None

    @property
    def output(self) -> str:
        return self.url if self.url.endswith((".html", ".xml", ".txt")) else self.url + "index.html"

    @property
    def root(self) -> str:
        return "../" * self.url.count("/")


class Compiled(jinja2.BytecodeCache):
    """Templates as Jinja compiled them, by template and source (Jinja checks the source's checksum):
    compiling the theme's templates costs a warm build more than rendering the pages it changed. The
    build cache keeps ``used`` and starts the next build's from it (``known``)."""

    def __init__(self, known: dict[str, bytes]) -> None:
        self.known = known
        self.used: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.known.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            if bucket.code is not None:
                self.used[bucket.key] = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.used[bucket.key] = bucket.bytecode_to_string()


try:
    from markupsafe import _escape_inner  # MarkupSafe 3
except ImportError:  # pragma: no cover - an older MarkupSafe: its own escape
    from markupsafe import escape
else:
    _new_str = str.__new__

    def escape(value) -> Markup:
        """markupsafe.escape, as the compiled templates call it for each ``{{ }}`` (a few hundred times a
        page), without Markup's own __new__ (it looks for the __html__ a str has not) and without
        copying a Markup."""
        if type(value) is str:
            return _new_str(Markup, _escape_inner(value))
        if type(value) is Markup:
            return value
        if hasattr(value, "__html__"):
            return Markup(value.__html__())
        return _new_str(Markup, _escape_inner(str(value)))


class Page(jinja2.Template):
    """A template whose code escapes with ``escape`` above: a compiled template's functions find the
    escape they call in its module's namespace, where Jinja puts markupsafe's."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = escape
        return template


KIND_DAYS = (30.4, 91.3, 182.6, 365.25)  # a month, a quarter, a half and a year


def length_kind(period: Period) -> int:
    """Which of a month, a quarter, a half and a year a period is nearest to in length: a period's kind
    also when it is named in okrsite.toml (a fiscal quarter of 13 weeks, a 4-4-5 month of 35 days)."""
    return min(range(len(KIND_DAYS)), key=lambda n: max(period.days / KIND_DAYS[n], KIND_DAYS[n] / period.days))


@dataclass
class View:
    """The linked model, its scores and what the templates derive from them (made once per build)."""

    site: Site
    scores: Scores
    settings: Settings
    history: History | None = None
    prefix: str = ""  # the site's folder inside its repository, for edit links
    ends: dict[str, list[tuple]] = field(default_factory=dict, repr=False)  # kpis_at_end, by period id
    _ends_by_id: dict[str, dict] = field(default_factory=dict, repr=False)  # the same, by KPI id: kpi_at_end_of
    copied: frozenset[str] | None = None  # the files under content/ the site copies (web/plan.py: copied_files); None: not known
    history_refused: str | None = None  # why git would not give the history (git.history.refusal), when it did not
    renamed: Renamed = field(default=NO_RENAMES, repr=False)  # the ids git shows each objective and KPI had before (git.former.renamed)

    @property
    def as_of(self) -> date:
        return self.scores.as_of

    @cached_property
    def current_period(self) -> Period | None:
        return current_period(self.site, self.settings, self.as_of, self.scores.objectives)

    @cached_property
    def by_period(self) -> dict[str, list]:
        return objectives_by_period(self.site)

    @cached_property
    def split_periods(self) -> dict[str, dict[str, list]]:
        return split_by_owner(self.site)

    def period_url_of(self, objective) -> str:
        """The page that lists an objective among those of its period: the period's page, or the page
        of its owner's objectives in a period split by owner."""
        period = objective.period
        return owner_part_url(self.site, period, objective.owner) if period.id in self.split_periods else period.url

    @cached_property
    def periods_in_order(self) -> list[Period]:
        """Every period in the order pages list them: the current one, the others running on the as-of
        date (earliest start first), the upcoming ones (soonest first), then the finished ones (most
        recent first). Not newest start first: a month or a fiscal quarter starting after the current
        quarter would come before it."""
        current, as_of = self.current_period, self.as_of
        others = [p for p in self.site.periods.values() if p != current]  # by start, then end
        finished = sorted((p for p in others if p.end < as_of), key=lambda p: (p.end, p.start), reverse=True)
        return ([current] if current in self.site.periods.values() else []) + [p for p in others if p.contains(as_of)] \
            + [p for p in others if p.start > as_of] + finished

    @cached_property
    def running_periods(self) -> list[Period]:
        return [p for p in self.periods_in_order if p.contains(self.as_of) and p != self.current_period]

    @cached_property
    def past_periods(self) -> list[Period]:
        return [p for p in self.periods_in_order if p.end < self.as_of]

    @cached_property
    def last_review(self) -> Period | None:
        """The period of the current one's kind that ended last with objectives (the last quarter when
        the current period is a quarter): readers look for its review in the first weeks of the next."""
        current = self.current_period
        if current is None:
            return None
        kind = length_kind(current)
        return next((p for p in self.past_periods if length_kind(p) == kind and self.by_period.get(p.id)), None)

    def roots(self, period: Period) -> list:
        """Objectives of ``period`` whose parent is not in the same period: the tops of its tree."""
        return alignment_tops(self.site, self.by_period.get(period.id, []))

    def owner_groups(self, objectives) -> list[tuple[str, list]]:
        """``objectives`` by owner, the owners as a reader finds them: the company's (top-level teams)
        first, then by the name shown (a team's title, a person's name) in title order (QA BY: a
        period page grouped by the ids under its titles read unsorted, the company's twelfth)."""
        groups: dict[str, list] = {}
        for o in objectives:
            groups.setdefault(o.owner, []).append(o)
        company = top_teams(self.site.teams)
        return sorted(groups.items(), key=lambda item: (item[0] not in company, title_order(owner_name(self.site, item[0])), item[0]))

    def status_counts(self, objectives) -> list[tuple[str, int]]:
        status = self._statuses
        counts = Counter(status[o.id] for o in objectives)
        return [(s, counts[s]) for s in STATUS_ORDER if counts[s] and s != "cancelled"]

    def counted(self, objectives) -> tuple[int, int]:
        """How many of ``objectives`` count and how many are cancelled: a page says "5 objectives (and 1
        cancelled)" wherever it counts a period's or an owner's objectives, as the review does (SPEC §6:
        a cancelled objective is left out of status counts)."""
        status = self._statuses
        cancelled = sum(status[o.id] == "cancelled" for o in objectives)
        return len(objectives) - cancelled, cancelled

    @cached_property
    def _statuses(self) -> dict[str, str]:
        """Each objective's status, by id: team and period pages count them by the thousand."""
        return {ident: score.status for ident, score in self.scores.objectives.items()}

    def objectives_by_id(self, ids) -> list:
        return [self.site.objectives[i] for i in ids]

    def aligned_in_period(self, objective) -> list:
        """The objectives aligned to ``objective`` in its own period: a period's tree holds that
        period's objectives only (one aligned from another period is on the objective's page)."""
        objectives = self.site.objectives
        return [objectives[c] for c in self.site.children.get(objective.id, ()) if objectives[c].period == objective.period]

    def rollup_tally(self, objective) -> tuple[int, int, int]:
        """Of the objectives aligned to ``objective``: how many its progress counts, how many are left
        out as cancelled and how many as starting after its period ends (numbers.compute.in_its_time;
        the others left out: rollup_left_out)."""
        score = self.scores.objectives[objective.id]
        timely = in_its_time(self.site, objective.id, score.added_late)
        cancelled = sum(self.scores.objectives[c].status == "cancelled" for c in timely)
        kept = len(counted_as_they_stood(score.deleted_late))
        moved = sum(c in self.site.objectives and self.scores.objectives[c].status != "cancelled" for c in score.moved_late)
        return len(timely) - cancelled + kept + moved, cancelled, len(self._aligned_when(objective, lambda p, q: p.start > q.end))

    def rollup_left_out(self, objective) -> tuple[int, int]:
        """Of the objectives aligned to ``objective``, how many its progress leaves out as ended before its
        period began, and how many as added after it ended (git held them only later: SPEC §6; those
        aligned to it after: rollup_realigned)."""
        score = self.scores.objectives[objective.id]
        added = sum(c in self.site.objectives and c not in score.aligned_late for c in score.added_late)
        return len(self._aligned_when(objective, lambda p, q: p.end < q.start)), added

    def rollup_realigned(self, objective) -> tuple[int, int]:
        """Of a finished roll-up, how many objectives aligned elsewhere since its period ended its progress
        counts as they stood (aligned to it on its last day: numbers.compute.moved_after_end), and how many
        aligned to it since it leaves out (aligned elsewhere that day: aligned_then)."""
        score, objectives = self.scores.objectives[objective.id], self.site.objectives
        moved = sum(c in objectives and self.scores.objectives[c].status != "cancelled" for c in score.moved_late)
        return moved, sum(c in objectives for c in score.aligned_late)

    def rollup_deleted(self, objective) -> tuple[int, int]:
        """Of the objectives a finished roll-up counted when its period ended whose files were deleted
        since (numbers.compute.deleted_after_end): how many its progress counts as they stood, and how
        many it no longer counts (a deleted roll-up)."""
        deleted = self.scores.objectives[objective.id].deleted_late
        kept = len(counted_as_they_stood(deleted))
        return kept, len(deleted) - kept

    def deleted_counted(self, objective) -> list[tuple[object, str, float]]:
        """The objectives aligned to a finished roll-up whose files were deleted after its period ended and
        that its progress counts as they stood (numbers.compute.deleted_after_end), each with its title
        and the progress counted: no page lists them, and with them its children's mean is its progress."""
        return [(c, _deleted_title(c), progress) for c, progress in self.scores.objectives[objective.id].deleted_counted]

    def deleted_after_end(self, period) -> list["DeletedSince"]:
        """The objectives of ``period`` deleted after it ended: those its summaries count as they stood
        (Scores.deleted_stood, ``stood``), and those a finished roll-up counted on its last day that they
        cannot (numbers.compute.deleted_after_end: a roll-up itself, or unreadable), each with the
        roll-up that counted it, if one did. No page lists them, so the review names them."""
        return self._deleted_since.get(period.id, [])

    @cached_property
    def _deleted_since(self) -> dict[str, list["DeletedSince"]]:
        by_rollup: dict[tuple[str, str], DeletedSince] = {}
        for ident, score in self.scores.objectives.items():
            end = self.site.objectives[ident].period.end
            for c in score.deleted_late:
                if c.day > c.period.end:
                    counted = next((progress for kept, progress in score.deleted_counted if kept == c), None)
                    by_rollup.setdefault((c.period.id, c.ident), _deleted_since(c, ident, end, counted))
        said_at_rollup = set(by_rollup)
        found: dict[str, list[DeletedSince]] = defaultdict(list)
        for period, deleted in self.scores.deleted_stood.items():
            for c, stood in deleted:
                named = by_rollup.pop((period, c.ident), None)
                found[period].append(stood_since(c, stood, named))
        for (period, _), named in by_rollup.items():
            found[period].append(named)
        for period, left in self.scores.deleted_left.items():
            found[period].extend(DeletedSince(_deleted_title(c), c.day, c.commit, None, False) for c in left if (period, c.ident) not in said_at_rollup)
        return {period: sorted(each, key=lambda d: (d.day, d.title, d.rollup or "")) for period, each in found.items()}

    def left_out_of(self, o):
        """The finished roll-up ``o`` is aligned to whose grade leaves ``o`` out, git having held it only
        after the roll-up's period ended (added_late: SPEC §6), or None. Every row, card and box of ``o``
        says so, next to the roll-up's number or not (QA EL)."""
        parent = self.site.objectives.get(o.parent) if o.parent else None
        return parent if parent is not None and o.id in self.scores.objectives[parent.id].added_late else None

    def left_out_as(self, o) -> str:
        """How an objective the finished roll-up it is aligned to leaves out (left_out_of) came to it after
        its period ended: "aligned" (git held it aligned elsewhere on its last day), else "added"."""
        parent = self.left_out_of(o)
        return "aligned" if parent is not None and o.id in self.scores.objectives[parent.id].aligned_late else "added"

    def _aligned_when(self, objective, when) -> list[str]:
        objectives = self.site.objectives
        return [c for c in self.site.children.get(objective.id, ()) if when(objectives[c].period, objective.period)]

    def counted_then(self, objective) -> list[tuple[object, float]]:
        """The objectives aligned to a finished roll-up whose period runs on past its end, each with the
        progress it counts at (as it stood on the roll-up's last day: SPEC §6), of those this site shows."""
        objectives = self.site.objectives
        return [(objectives[c], progress) for c, progress in self.scores.objectives[objective.id].counted_then if c in objectives]

    @cached_property
    def _by_owner(self) -> dict[str, list]:
        return grouped((o.owner, o) for o in self.site.objectives.values())

    def owned_by(self, owner: str) -> list:
        return self._by_owner.get(owner, [])

    @cached_property
    def _key_results_by_owner(self) -> dict[str, list]:
        return grouped((kr.owner, (o, kr)) for o in self.site.objectives.values() for kr in o.key_results if kr.owner != o.owner)

    def key_results_of(self, owner) -> list[tuple]:
        """Key results a person or team owns inside objectives owned by someone else (their pages list them:
        SPEC §9); ``owner``: a person or their name, a team or its id."""
        if not isinstance(owner, str):
            owner = getattr(owner, "name", None) or getattr(owner, "id", owner)
        return self._key_results_by_owner.get(owner, [])

    def teams_of(self, person: Person) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The teams a person leads, and those they are only a member of: a lead listed among the
        members too is named once, as the lead (the team's page says "Lead")."""
        teams = self.site.teams
        led = tuple(t for t in person.teams if t in teams and teams[t].lead == person.name)
        return led, tuple(t for t in person.teams if t not in led)

    @cached_property
    def _kpis_by_owner(self) -> dict[str, list]:
        return grouped((k.owner, k) for k in self.site.kpis.values())

    def kpis_owned_by(self, owner: str) -> list:
        """An owner's KPIs in the order of their files, the retired ones after the others."""
        return sorted(self._kpis_by_owner.get(owner, []), key=self._retired)

    def _retired(self, kpi) -> bool:
        return self.scores.kpis[kpi.id].retired is not None

    @cached_property
    def _key_results_by_kpi(self) -> dict[str, list]:
        return grouped((kr.kpi, (o, kr)) for o in self.site.objectives.values() for kr in o.key_results if kr.kpi)

    def krs_linked_to(self, kpi_id: str) -> list[tuple]:
        """(objective, key result) pairs following the KPI, their periods in the order pages list them."""
        return self.in_period_order(self._key_results_by_kpi.get(kpi_id, []), key=lambda pair: pair[0])

    def in_period_order(self, items: list, key: Callable = lambda o: o) -> list:
        """Objectives (or what ``key`` takes one from) grouped by period in the order pages list periods
        (periods_in_order: the current one first), as given within each: a KPI outlives its quarters."""
        rank = self._period_rank
        return sorted(items, key=lambda item: rank.get(key(item).period.id, len(rank)))

    @cached_property
    def _period_rank(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.periods_in_order)}

    def health_counts(self, states: "list[KPIState] | None" = None) -> list[tuple[str, int]]:
        """How many KPIs are in each health, the owners' own judgements included: of ``states`` (a
        period's review), else of every KPI (the home page)."""
        counts = Counter(state.health for state in (self.scores.kpis.values() if states is None else states))
        return [(h, counts[h]) for h in HEALTH_ORDER if counts[h]]

    def values(self, kpi_id: str, state=None) -> list[tuple[date, float]]:
        """A KPI's values for its charts (of ``state``, its state on another day, if given): none of a
        confidential one on the public site (SPEC §14)."""
        return [(p.date, p.value) for p in (state or self.scores.kpis[kpi_id]).values if p.value is not None]

    def burnup(self, objective) -> tuple:
        """Progress over time; none for an objective with a withheld key result, whose check-in dates
        and steps come from confidential numbers (SPEC §14)."""
        score = self.scores.objectives[objective.id]
        if any(k.withheld for k in score.key_results):
            return ()
        return progress_history(objective, score, self.scores.kpis, self.as_of)

    @cached_property
    def changes(self) -> tuple[ChangeSet, ...]:
        """The last goal-changing commits up to the as-of date (none without git history)."""
        return recent_changes(self.history, self.site, self.as_of, number_format=self.settings.number_format) if self.history else ()

    def number_format(self, item) -> str:
        """How a KPI's or key result's numbers are written: its own `format`, a linked KPI's, else the site's."""
        linked = self.site.kpis.get(getattr(item, "kpi", None) or "")
        return item.number_format or (linked.number_format if linked else None) or self.settings.number_format

    @cached_property
    def page_changes(self) -> PageChanges | None:
        """Each objective's and KPI's own latest changes up to the as-of date (None without git history)."""
        return PageChanges(self.history, self.site, self.as_of, number_format=self.settings.number_format) if self.history else None

    def changes_of(self, url: str) -> tuple[ChangeSet, ...]:
        """The latest changes of the objective or KPI whose page is at ``url``, with only what they said of
        it: its own, not those of the whole site's last commits (a finished objective's page moves only
        when its own file does)."""
        return self.page_changes.of(url) if self.page_changes is not None else ()

    def changes_context(self) -> tuple:
        """What changes_of may depend on beyond a page's own subject (PageChanges.context)."""
        return self.page_changes.context() if self.page_changes is not None else ()

    def changes_key(self, url: str) -> tuple:
        """What changes_of(url) is made of (PageChanges.key), for the page's digest."""
        return self.page_changes.key(url) if self.page_changes is not None else ()

    def stale(self, period: Period | None) -> list:
        """Objectives of the period whose numbers have not changed for too long, the longest first."""
        if period is None:
            return []
        scores = self.scores.objectives
        found = [o for o in self.by_period.get(period.id, []) if scores[o.id].stale]
        return sorted(found, key=lambda o: (scores[o.id].updated or date.min, o.id))

    def file_links(self, entity) -> dict[str, str]:
        return file_links(self.settings, entity.doc.path, self.prefix)

    @cached_property
    def stale_kpis(self) -> list:
        return [k for k in self.site.kpis.values() if self.scores.kpis[k.id].stale]

    def final_period(self, page: PageSpec) -> Period | None:
        """The ended period a page is about, if it is about one: the page of an objective of that
        period (and its map), the period's own pages, its review and its alignment list. Such a page
        says it is final rather than "as of" the build's day, and says nothing else that moves with
        the day (SPEC §6: a finished period is frozen), so the build cache keeps it from one day to the
        next (web/pagedigest.py: Digests.of)."""
        if page.subject is None:
            return None
        if page.template in ("objective.html", "map.html"):
            objective = self.site.objectives.get(page.subject)
            period = objective.period if objective is not None else None
        elif page.template in ("period.html", "review.html", "alignment.html"):
            period = self.site.periods.get(page.subject)
        else:
            return None
        return period if period is not None and self.phase(period) == "ended" else None

    def phase(self, period: Period) -> str:
        """upcoming, running or ended on the as-of date: pages speak of a pace only while it runs."""
        return "ended" if self.as_of > period.end else "running" if period.contains(self.as_of) else "upcoming"

    def graded_with(self, period: Period) -> Settings:
        """The settings ``period``'s objectives are graded with (numbers.compute.graded_periods): of a
        finished period, with git history, okrsite.toml's default_kind and aspirational_goal as
        committed by its last day; else the settings as they are."""
        then = self.scores.graded_with.get(period.id)
        return replace(self.settings, **then) if then else self.settings

    def no_value_yet(self, o, kr, k) -> bool:
        """A numeric key result that follows a KPI which has no value yet (its numbers live in a BI tool,
        say) and has no number of its own: it stands at its start (SPEC §5), but "now 70 days" would
        pass the start off as a measured value, so its pages say "no value yet"."""
        if kr.form != "numeric" or not kr.kpi or kr.current is not None or any(p.source == "file" for p in k.history):
            return False
        until = min(self.as_of, o.period.end) if o.period else self.as_of
        state = self.scores.kpis.get(kr.kpi)
        return state is None or not any(p.date <= until for p in state.values)

    @cached_property
    def awaiting(self) -> dict[str, tuple[int, int]]:
        """By period id, of the periods with either, its objectives' key results whose monthly or
        quarterly KPI has no figure yet for its last month (quarter), and its provisional grades none of
        whose key results does (awaiting_counts): their final values, and the grades, still move (numbers.awaited)."""
        unsettled = defaultdict(list)
        for ident, score in self.scores.objectives.items():
            o = self.site.objectives.get(ident)
            if o is not None and o.period is not None and score.unsettled:
                unsettled[o.period.id].append(score)
        return {period: awaiting_counts(scores) for period, scores in unsettled.items()}

    def awaiting_words(self, period: Period, objectives: Iterable[str] | None = None) -> str:
        """"1 key result awaits a month-end KPI value" of a finished period, or of ``objectives`` (ids)
        of it (a team's); "1 grade awaits …" when only a roll-up's grade does; "" when none does."""
        key_results, grades = (self.awaiting.get(period.id, (0, 0)) if objectives is None
                               else awaiting_counts(self.scores.objectives[i] for i in objectives))
        count, what = (key_results, "key result") if key_results else (grades, "grade")
        return f"{plural(count, what)} await{'s' * (count == 1)} a month-end KPI value" if count else ""

    @staticmethod
    def final_word(score) -> str:
        """What a finished period's value or grade is (a KRScore's, an ObjectiveScore's): "final", or
        "provisional" while a month-end KPI value it counts is awaited, since it moves when that comes (a
        grade its owner gave, or one only a guardrail awaits for, does not: ObjectiveScore.provisional)."""
        return "provisional" if score.provisional else "final"

    def moved_finals_of(self, o) -> tuple[MovedFinal, ...]:
        """``o``'s key results whose start is no longer where the one they continue ended (numbers.carrying)."""
        return moved_finals(self.site, self.scores, o)

    def moved_final(self, o, kr) -> MovedFinal | None:
        return next((m for m in self.moved_finals_of(o) if m.index == kr.index), None)

    def rescopes_of(self, kr, k: KRScore) -> tuple[tuple[Rescope, str], ...]:
        """Each re-scope of a key result in its period (numbers/compute.py: rescopes_in), with what it
        changed in words: "target 2,000,000 → 1,500,000 USD", its start too when that changed."""
        style = self.number_format(kr)
        return tuple((r, ", ".join(f"{name} {format_change(was, now, k.unit, style)}" for name, was, now in
                                   (("start", r.was_start, r.start), ("target", r.was_target, r.target)) if was != now))
                     for r in k.rescopes)

    @staticmethod
    def final_row(s: ObjectiveScore) -> str:
        """What the last row of a finished objective's progress by date is: its grade when that is its
        final progress; beside a self-assessed `score` (the grade, SPEC §13) or without a grade (cancelled),
        only its final progress (QA DN)."""
        if s.grade is None:
            return "final progress"
        if s.score is not None:
            return f"final progress; the grade is {format_grade(s.grade)}, self-assessed"
        return "grade"

    def check_in_rows(self, kr, k: KRScore) -> list[tuple]:
        """A key result's check-ins and re-scopes, newest first, each as (check-in, None) or (None,
        (re-scope, its words)): a re-scope below the check-ins of its day, which count against its new
        numbers as every later day's do (numbers/compute.py: scoped_on), above the earlier days'."""
        pending, rows = list(self.rescopes_of(kr, k)), []
        for point in reversed(k.history):
            while pending and pending[-1][0].day > point.date:
                rows.append((None, pending.pop()))
            rows.append((point, None))
        return rows + [(None, r) for r in reversed(pending)]

    def after_its_period(self, o, kr) -> int:
        """How many `history:` entries written for a finished period's key result are dated after its
        last day: a finished period is frozen (SPEC §6), so they count neither in
        its value nor in its grade. The page says so, rather than leave a late entry out without a word."""
        if o.period is None or self.as_of <= o.period.end or kr.current is not None:  # a written current: counts, entries or not
            return 0
        return sum(1 for p in kr.history if p.source == "file" and o.period.end < p.date)

    def period_summary(self, period: Period) -> dict:
        """Objectives (cancelled left out), how many were achieved, how many in each status
        (``statuses``), and of an ended period the mean grade of its committed and of its aspirational
        objectives, apart (never one of all: SPEC §13; ``grades``: (kind, mean, band) of each kind it
        has, as a team's figures have them) and the count in each grade band; of a finished period,
        with its objectives deleted after it ended as they stood (numbers.teams.period_figures, as the
        company team counts them: deleted_after_end names them); made once per period (every page of
        a period, its review and the archive show it)."""
        if period not in self._period_summaries:
            self._period_summaries[period] = self._period_summary(period)
        return self._period_summaries[period]

    @cached_property
    def _period_summaries(self) -> dict[Period, dict]:
        return {}

    def _period_summary(self, period: Period) -> dict:
        ended = self.phase(period) == "ended"
        f = period_figures(self.site, self.scores, tuple(o.id for o in self.by_period.get(period.id, [])), period)
        return {
            "objectives": f.counted, "cancelled": f.cancelled, "achieved": f.statuses.get("achieved", 0),
            "statuses": [(s, f.statuses[s]) for s in STATUS_ORDER if f.statuses.get(s) and s != "cancelled"],
            "committed": f.committed, "aspirational": f.aspirational, "grades": f.grades,
            "bands": [(band, f.bands.get(band, 0)) for band, _ in GRADE_BANDS] if ended else [],
            "state": self.phase(period), "aspirational_goal": self.graded_with(period).aspirational_goal,
        }

    def review_parts(self, period: Period) -> list[list[tuple]]:
        return review_parts(self.site, period.id)

    def review_part(self, period: Period, part: str | None) -> list[tuple]:
        """What a review page lists: every objective of a period reviewed on one page; of a review in
        parts, the objectives of the part (none on the page that lists the parts)."""
        parts = self.review_parts(period)
        if part is not None:
            return parts[int(part) - 1]
        return parts[0] if len(parts) == 1 else []

    def followers(self, objective) -> list:
        """The objectives of later periods that continue this one."""
        return self.objectives_by_id(self.site.followed_by.get(objective.id, ()))

    def next_period(self, period: Period) -> Period | None:
        """The period an unfinished objective of ``period`` would continue in (goals.periods.next_period)."""
        return next_period(period, self.settings.periods, self.site.periods)

    def continued_too_late(self, period: Period) -> bool:
        """Whether the period an unfinished objective of ``period`` would have continued in has ended
        too, as of the as-of date: the review then says it was not continued, and gives no command
        (carry-over refuses a period that has ended: its objectives would be graded at once)."""
        after = self.next_period(period)
        return after is not None and after.end < self.as_of

    def carry_over_command(self, objective) -> str:
        """The command that continues an unfinished objective the review says nothing continues yet
        (docs/closing-a-quarter.md): into the next period of the site (TO when it has none), narrowed
        to its owner when the objective stands alone, else the whole period, for "carry the whole
        period first and narrow with --owner only when each owner's objectives stand alone": a roll-up
        is carried only with its children, and a child carried before its unfinished parent would
        never be aligned to the parent's follower. A roll-up its own period's run would not carry (no
        child of that period left to carry with it) goes with its children's runs (runs_carrying), which
        may be none: then the command is empty, and its follower is written by hand."""
        period = objective.period
        after = self.next_period(period)
        if after is not None and not scoring(objective.key_results) and not own_run_carries(self.site, self.scores, objective):
            return " && ".join(self._runs_carrying(objective, after))
        words = ["okrsite", "carry-over", period.id, after.id if after else "TO"]
        if self._stands_alone(objective):
            words += ["--owner", objective.owner]
        return " && ".join(self._children_first(objective, after) or [" ".join(map(shlex.quote, words))])

    def _children_first(self, objective, after: Period | None) -> list[str]:
        """For a roll-up whose unfinished children are of shorter periods (a year's quarters), none yet
        continued: the commands that carry them into ``after``, which carry the roll-up with them
        (carryover._roll_ups_along; its own run would leave it, with no child continued: QA EQ); for a
        half-year between them, its quarters' (QA ET 4)."""
        if after is None or scoring(objective.key_results):
            return []
        children = [self.site.objectives[c] for c in self.site.children.get(objective.id, ()) if c in self.site.objectives]
        if any(f.period.within(after) for c in children for f in self.followers(c)):
            return []
        return self._runs_carrying(objective, after)

    def _runs_carrying(self, objective, after: Period) -> list[str]:
        """The carry-over commands that carry a roll-up into ``after`` with its children (runs_carrying)."""
        runs = runs_carrying(self.site, self.scores, objective, after, self.next_period)
        return [" ".join(map(shlex.quote, ["okrsite", "carry-over", first.id, into.id])) for first, into in runs]

    def _stands_alone(self, objective) -> bool:
        """Its own key results make its progress, and its parent is no objective still to carry with it:
        one of its period, or a roll-up of a longer one ending with it (a year, which the quarter's run
        carries along: carryover._roll_ups_along; QA ET)."""
        if not scoring(objective.key_results):
            return False
        parent = self.site.objectives.get(objective.parent) if objective.parent else None
        if parent is None or self.followers(parent):
            return True
        if parent.period != objective.period and (scoring(parent.key_results) or parent.period.end != objective.period.end):
            return True
        return self.scores.objectives[parent.id].status in ("achieved", "cancelled")

    def kpis_at_end(self, period: Period) -> list[tuple]:
        """(KPI as its file defined it then, its state) on the period's last day or today (compute.kpi_at_end),
        for the KPIs of the period's objectives (every KPI when none is linked). The public view fills
        these in (``ends``) from the whole site."""
        if period.id not in self.ends:
            self.ends[period.id] = [self.at_end(k, period) for k in self.period_kpis(period)]
        return self.ends[period.id]

    def kpi_at_end_of(self, kpi, period: Period) -> tuple:
        """A KPI as it stood on the last day of ``period`` (or today, while it runs), as kpis_at_end: what
        a finished objective's page shows of the KPIs it names, as the period's review does (they are
        among the review's, which the public view makes from the whole site)."""
        by_id = self._ends_by_id.get(period.id)
        if by_id is None:  # a page's digest asks for each of a review's KPIs: looked up, not searched
            by_id = self._ends_by_id[period.id] = {k.id: (k, state) for k, state in self.kpis_at_end(period)}
        found = by_id.get(kpi.id)
        return found if found is not None else self.at_end(kpi, period)

    def at_end(self, kpi, period: Period) -> tuple:
        """The KPI as its file defined it on the period's last day, and its state then (compute.kpi_at_end)."""
        logs = self.scores.logs
        return kpi_at_end(kpi, self.scores.kpis[kpi.id], period, self.as_of, logs.kpis.get(kpi.id) if logs is not None else None)

    @property
    def kpi_list_url(self) -> str:
        """Where every KPI is listed: their own page above HOME_KPI_TILES, else the home page's tiles."""
        return KPI_LIST.url if len(self.site.kpis) > HOME_KPI_TILES else "index.html#kpis"

    def period_kpis(self, period: Period) -> list:
        """The KPIs the period's objectives link to, or measure key results by (every KPI when none)."""
        linked: dict[str, None] = {}
        kpis, objective_kpis = self.site.kpis, self.site.objective_kpis
        for o in self.by_period.get(period.id, []):
            for k in objective_kpis.get(o.id, ()):
                linked[k] = None
            for kr in o.key_results:
                if kr.kpi in kpis:
                    linked[kr.kpi] = None
        return [kpis[k] for k in linked] or list(kpis.values())

    def elapsed_days(self, period: Period) -> int:
        return min(max((self.as_of - period.start).days + 1, 0), period.days)

    def chain(self, objective) -> list:
        """The alignment chain above an objective, top first."""
        chain, seen = [], {objective.id}
        while objective.parent in self.site.objectives and objective.parent not in seen:
            objective = self.site.objectives[objective.parent]
            seen.add(objective.id)
            chain.append(objective)
        return chain[::-1]

    def attention(self, period: Period | None) -> list:
        """Off-track, then at-risk objectives of the period, furthest behind their pace first; one whose
        progress is unknown (a roll-up with nothing left to measure, its status set by hand) after the
        others of its status."""
        if period is None:
            return []
        rank = {"off-track": 0, "at-risk": 1}
        scores = self.scores.objectives

        def behind(s) -> tuple:
            return (1, 0.0) if s.progress is None else (0, s.progress - s.expected)

        found = [o for o in self.by_period.get(period.id, []) if scores[o.id].status in rank]
        return sorted(found, key=lambda o: (rank[scores[o.id].status], *behind(scores[o.id]), o.id))

    def top_objectives(self, period: Period) -> tuple[list, int, int]:
        """The home page's tree: the tops of the period with the objectives aligned to them one level
        down, while that is at most HOME_ROWS rows; else the tops alone, at most HOME_ROWS of them. With
        the depth shown and how many tops are left out (the period's pages list them all)."""
        roots = self.roots(period)
        rows = len(roots) + sum(len(self.aligned_in_period(o)) for o in roots)
        if rows <= HOME_ROWS:
            return roots, 1, 0
        return roots[:HOME_ROWS], 0, max(0, len(roots) - HOME_ROWS)

    def home_kpis(self) -> list:
        """The KPI tiles of the home page in order of health, critical first, each health in the site's
        order (QA BY: the one critical KPI of 40 was the 37th tile); above HOME_KPI_TILES the first of
        them (the KPI list page, kpis/, holds them all); a retired KPI after every live one."""
        urgency = {h: n for n, h in enumerate(("critical", "warning", "unknown", "healthy", "confidential"))}
        return sorted(self.site.kpis.values(), key=lambda k: (self._retired(k), urgency.get(self.scores.kpis[k.id].health, len(urgency))))[:HOME_KPI_TILES]

    def alignment_parts(self, period: Period) -> list[dict]:
        """The alignment list of a period cut in pages (alignment_parts): each part's url, its top
        objectives, how many objectives it lists and its first and last title; one part when it is short."""
        if period.id not in self._alignment_parts:
            cut = period_alignment_parts(self.site, period.id)
            self._alignment_parts[period.id] = [
                {"url": alignment_part_url(period, n), "number": n, "roots": roots, "count": count,
                 "first": roots[0].title if roots else "", "last": roots[-1].title if roots else "",
                 "counting_private": [o for root in roots for o in alignment_subtree(self.site, root) if o.counts_private] if len(cut) > 1 else []}
                for n, (roots, count) in enumerate(cut, 1)]
        return self._alignment_parts[period.id]

    @cached_property
    def _alignment_parts(self) -> dict[str, list[dict]]:
        return {}

    @cached_property
    def _team_groups(self) -> dict[str, tuple[TeamGroup, ...]]:
        return team_groups(self.site)

    def team_groups(self, team_id: str) -> tuple[TeamGroup, ...]:
        """The team's objectives by team: its own and its members', then each sub-team's (numbers.teams)."""
        return self._team_groups.get(team_id, ())

    def team_periods(self, team_id: str) -> list[tuple[Period, list[tuple[TeamGroup, list]], TeamFigures]]:
        """Each period in which the team (its members and sub-teams included) has objectives, in
        periods_in_order: its groups of objectives by team, and the team's figures."""
        groups = self.team_groups(team_id)
        of_period, table = self._objectives_by_period(team_id), self.site.objectives
        found = []
        for period in self.periods_in_order:
            ids = set(of_period.get(period, ()))
            shown = [(g, [table[i] for i in g.objectives if i in ids]) for g in groups]
            shown = [(g, objectives) for g, objectives in shown if objectives]
            if shown or period in self._deleted_homes and self.team_figures(team_id, period).deleted:
                found.append((period, shown, self.team_figures(team_id, period)))
        return found

    def team_figures(self, team_id: str, period: Period) -> TeamFigures:
        """numbers.teams.team_figures of the team's groups, made once per team and period: the teams
        page, the dashboard and the team pages ask for the same ones."""
        found = self._team_figures.get((team_id, period))
        if found is None:
            deleted = deleted_of(self._deleted_homes, self.team_groups(team_id), period)
            found = self._team_figures[team_id, period] = figures_of(self.site, self.scores, self._objectives_by_period(team_id).get(period, ()), period, deleted)
        return found

    @cached_property
    def _deleted_homes(self) -> dict:
        return deleted_homes(self.site, self.scores)

    def team_deleted(self, figures: TeamFigures) -> list[tuple[object, str, object]]:
        """The objectives a team's finished period counts as they stood, deleted after it ended
        (TeamFigures.deleted), each with its title and score: no page lists them, and with them the team's
        figures add up."""
        return [(c, _deleted_title(c), s) for c, s in figures.deleted]

    def _objectives_by_period(self, team_id: str) -> dict[Period, tuple[str, ...]]:
        """numbers.teams.by_period of the team's groups, made once per team: an objective's period is
        looked up by its slot (_period_slots), not hashed again for every team that counts it."""
        if team_id not in self._team_objectives:
            slot_of, periods = self._period_slots
            found: dict[int, list[str]] = {}
            for ident in team_objectives(self.team_groups(team_id)):
                found.setdefault(slot_of[ident], []).append(ident)
            self._team_objectives[team_id] = {periods[slot]: tuple(ids) for slot, ids in found.items()}
        return self._team_objectives[team_id]

    @cached_property
    def _period_slots(self) -> tuple[dict[str, int], list]:
        """Each objective's period as a number, and the period of each number (equal periods share one)."""
        slots: dict = {}
        slot_of = {ident: slots.setdefault(o.period, len(slots)) for ident, o in self.site.objectives.items()}
        return slot_of, list(slots)

    @cached_property
    def _team_figures(self) -> dict[tuple[str, Period], TeamFigures]:
        return {}

    @cached_property
    def _team_objectives(self) -> dict[str, dict[Period, tuple[str, ...]]]:
        return {}

    def team_in_short(self, team_id: str) -> bool:
        """Whether the team's page lists only its own and its members' objectives and, of each sub-team,
        the figures and a link to the sub-team's page, which lists them: above TEAM_PAGE_ROWS rows (the
        company's page of a 10,000-objective site would list them all, 7.7 MB)."""
        return sum(len(g.objectives) for g in self.team_groups(team_id)) > TEAM_PAGE_ROWS

    def teams_table(self, period: Period) -> list[tuple]:
        """(team, its figures) of every team with objectives in the period, worst first."""
        rows = [(t, self.team_figures(t.id, period)) for t in self.site.teams.values()]
        return sorted((row for row in rows if row[1].objectives or row[1].deleted), key=lambda row: (row[1].worst_first, title_order(row[0].title)))

    def teams_without_objectives(self) -> list:
        """The teams in no period's table (no objectives of their own, their members' or sub-teams'): a
        team owning only KPIs, a new or an empty one, named below the tables so that the Teams page
        reaches every team."""
        periods = tuple(self.site.periods.values())
        return sorted((t for t in self.site.teams.values() if not any(self.team_figures(t.id, p).objectives or self.team_figures(t.id, p).deleted for p in periods)),
                      key=lambda t: (title_order(t.title), t.id))

    @staticmethod
    def status_columns(rows: list[tuple]) -> list[str]:
        """The statuses that some team of the rows has, in the site's order."""
        return [s for s in STATUS_ORDER if any(figures.statuses.get(s) for _, figures in rows)]

    def period_map(self, period: Period, href) -> Markup:
        """The alignment map of a period as SVG (links relative to the page through ``href``)."""
        return self._draw_map(alignmap.drawn_plan(self.site, period.id), href, period.id, f"Alignment map of {period.id}")

    def objective_map(self, objective, href) -> Markup:
        """The map of one objective and everything of its period aligned below it."""
        return self._draw_map(plan(alignmap.subtree_forest(self.site, objective.id, self._ids_of(objective.period.id))), href, objective.id, f"Alignment map below {objective.title}")

    def _ids_of(self, period_id: str) -> frozenset[str]:
        """The ids of a period's objectives, made once per period (each of its maps asks)."""
        if period_id not in self._period_ids:
            self._period_ids[period_id] = frozenset(o.id for o in self.by_period.get(period_id, []))
        return self._period_ids[period_id]

    @cached_property
    def _period_ids(self) -> dict[str, frozenset[str]]:
        return {}

    def _draw_map(self, planned, href, ident: str, title: str) -> Markup:
        """The map of a planned forest (treelayout.plan: it keeps every root)."""
        if not planned:
            return Markup("")
        drawn = layout(planned)
        items = {b.key: self._map_item(self.site.objectives[b.key], href) for b in drawn.boxes}
        counts = Counter(self.scores.objectives[b.key].status for b in drawn.boxes)
        levels = 1 + max((b.depth for b in drawn.boxes), default=0)
        aligned = sum(1 for node in planned if self.site.objectives[node.key].private_parent)
        elsewhere = sum(1 for node in planned if _parent_elsewhere(self.site, self.site.objectives[node.key]) is not None)
        cancelled = counts.pop("cancelled", 0)
        counted = len(drawn.boxes) - cancelled
        statuses = ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s])
        desc = (f"{objectives_counted(counted, cancelled)} on {levels} level{'s' * (levels != 1)}, "
                f"{len(planned)} at the top{_tops_aligned(aligned, elsewhere, len(planned))}" + (f": {statuses}." if statuses else "."))
        hidden = sum(b.hidden for b in drawn.boxes)
        if hidden:
            desc += f" {hidden} more further down are on maps of their own, linked under the boxes they hang from."
        if any(b.mapped for b in drawn.boxes):
            desc += " The trees of the boxes marked “its own map” are also drawn on maps of their own, to print."
        desc += " The list below the map holds the same objectives, each under the one it supports"
        elsewhere = any(self.site.objectives[c].period != self.site.objectives[b.key].period for b in drawn.boxes for c in self.site.children.get(b.key, ()))
        desc += ", and those of other periods aligned to them, each marked with its period." if elsewhere else "."
        return alignmap.draw(drawn, items, ident=ident, title=title, desc=desc, language=goals_language(self.settings.language))

    def _map_item(self, o, href) -> alignmap.MapItem:
        s = self.scores.objectives[o.id]
        stale = s.stale and s.status == "on-track"
        by_hand = s.status_source == "manual"
        if s.grade is not None:  # a box has room for about 30 characters
            words = f"{s.status} · grade {format_grade(s.grade)}" + (" · by hand" if by_hand else "")
        else:
            marks = ["stale"] * bool(s.stale) + ["set by hand"] * by_hand  # stale beside any status, as the lists say it
            words = s.status + (f" ({', '.join(marks)})" if marks else "")
        owner = self.site.teams[o.owner].title if o.owner in self.site.teams else o.owner
        expected = s.expected if self.phase(o.period) == "running" and s.progress is not None and s.status != "cancelled" else None
        return alignmap.MapItem(o.title, owner, s.progress, expected, "stale" if stale else s.status, "◷" if stale else STATUS_ICONS[s.status],
                                words, href(o.url), href(alignmap.map_url(o.id)), _box_note(o, self.site, left_out := self.left_out_of(o), self.left_out_as(o)),
                                left_out_words(o, left_out, self.left_out_as(o)) if left_out is not None else "")

    def forecast_misses(self, period: Period | None) -> list:
        """Objectives of the period (cancelled left out) projected to land at-risk or off-track (SPEC §11),
        the furthest short of their goal first. One without a trend (its forecast is its progress now,
        as its page says) is not listed: on a period's first days that would be every objective."""
        if period is None:
            return []
        scores = self.scores.objectives
        found = [o for o in self.by_period.get(period.id, []) if scores[o.id].status != "cancelled"
                 and scores[o.id].forecast and scores[o.id].forecast.falls_short]
        return sorted(found, key=lambda o: (scores[o.id].forecast.progress - scores[o.id].goal, o.id))

    def forecasts_unknown(self, period: Period | None) -> list:
        """Objectives of the period (cancelled left out) whose forecast needs check-ins from before a
        shallow clone's oldest commit: not among the misses, since nobody knows where they land."""
        scores = self.scores.objectives
        return [o for o in self.by_period.get(period.id, []) if scores[o.id].status != "cancelled" and scores[o.id].forecast_unknown] if period else []

    def quiet_in_clone(self, score) -> date | None:
        """The day a shallow clone's history starts, for a key result or objective with no update since
        it (nor a commit that added one, which the clone holds): its last check-in, if it had one, is
        older, and not in the clone (docs/history.md, Shallow clones). None otherwise."""
        since = self.scores.logs.known_since() if self.scores.logs is not None else None
        if since is None or since > self.as_of or score.updated is not None or isinstance(score, KRScore) and score.added:
            return None
        return since

    def breaches(self, period: Period | None) -> list[tuple]:
        """(objective, key result, its score) of every guardrail of the period's objectives that does not hold."""
        found = []
        scores = self.scores.objectives
        for o in self.by_period.get(period.id, []) if period else []:
            score = scores[o.id]
            if score.status != "cancelled":
                for kr, k in zip(o.key_results, score.key_results):
                    if k.held is False:
                        found.append((o, kr, k))
        return found

    @cached_property
    def needs_attention(self) -> "Attention":
        """The dashboard's "Needs attention" of every period running on the as-of date, not of the current
        one alone: a yearly company objective running beside the current quarter is the last one a reader
        may miss (SPEC §12: a breached guardrail is listed there). The current period's first, then the
        others' in the order pages list them, each period's as its own list orders them, at most
        ATTENTION_ROWS objectives of each (the period's page lists them all)."""
        current = self.current_period
        periods = [current, *self.running_periods] if current is not None else []
        attention = [(p, self.attention(p)) for p in periods]
        misses = [(p, self.forecast_misses(p)) for p in periods]
        return Attention([o for _, found in attention for o in found[:ATTENTION_ROWS]], [o for _, found in misses for o in found[:ATTENTION_ROWS]],
                         [b for p in periods for b in self.breaches(p)], _left_out(attention), _left_out(misses),
                         [o for p in periods for o in self.forecasts_unknown(p)])

    def copies(self, file: str) -> bool:
        """Whether the site has the file under content/ ``file`` (`content/img/chart.png`) that a body links
        to: a link to one it lacks shows its words alone (relinked). Every one, when that is not known."""
        return self.copied is None or file in self.copied

    def forecast_value(self, kr, score) -> float | None:
        """A key result's forecast value as its row shows it: to the decimals of its own numbers (its
        start, target, current and check-ins, at most two), as its current is written; an amount in
        whole dollars is not forecast to the cent."""
        value = score.forecast.value if score.forecast else None
        if value is None:
            return None
        own = [kr.start, kr.target, score.current, *(p.value for p in score.history)]
        return round_half_up(value, max((decimals(v) for v in own if v is not None), default=0))

    def forecast_words(self, forecast) -> str:
        """How an objective's forecast was made, in words ("from current progress: no trend yet")."""
        return method_words(forecast)

    def retired_words(self, forecast, o=None) -> str:
        """The day objective ``o``'s forecast is reached before its period's last (its ``until``), in words:
        "the day the KPI it follows is retired", of several KPIs the last one's; or its period's first
        day, when every KPI its lines follow was retired before the period began (retired_before). Without
        ``o`` (an objective.html of a theme from before it was asked for), the retired day's words alone."""
        if o is not None and forecast.until == o.period.start and self._lines_retired_before(o):
            return "the period's first day: " + ("the KPI it follows was retired before it began" if forecast.retired_kpis < 2
                                                  else "the KPIs its key results follow were retired before it began")
        return retired_words(forecast.retired_kpis)

    def _lines_retired_before(self, o) -> bool:
        """Whether every KPI that objective ``o``'s forecast lines follow was retired before its period began."""
        lined = [kr for kr, k in zip(o.key_results, self.scores.objectives[o.id].key_results) if k.forecast is not None and k.forecast.until]
        return bool(lined) and all(self.retired_before(o, kr) for kr in lined)

    def retired_before(self, o, kr) -> date | None:
        """The day the KPI ``kr`` follows was retired, when before ``o``'s period began: its forecast is
        read on the period's first day then (KRForecast.until), which is not the day the KPI was retired."""
        kpi = self.site.kpis.get(kr.kpi) if kr.kpi is not None else None
        return kpi.retired if kpi is not None and kpi.retired is not None and kpi.retired < o.period.start else None

    def guardrail_values(self, objective, kr, score) -> list[tuple[date, float]]:
        """What a guardrail's chart shows: its check-ins, or for one that follows its KPI, the KPI's
        values of the period (as far as they count for it)."""
        if score.history or not follows_kpi(kr) or kr.kpi not in self.scores.kpis:
            return [(p.date, p.value) for p in score.history if p.value is not None]
        period = objective.period
        last = cut_off(period, self.as_of)
        return [(p.date, p.value) for p in self.scores.kpis[kr.kpi].values if period.start <= p.date <= last and p.value is not None]

    def search_entries(self) -> list[Entry]:
        """Everything search finds (web/search.py): objectives, key results, KPIs, teams, people, pages."""
        return self._search_entries

    @cached_property
    def _search_entries(self) -> list[Entry]:
        return search_entries(self.site, self.scores, self.settings.allow_html)

    def search_index(self) -> dict:
        period = self.current_period
        return search_index(self.site, self.scores, self._search_entries, period.id if period else None)

    @cached_property
    def _listing(self) -> tuple[list, list[list[Entry]], int]:
        """The A–Z list cut in pages: (url, label) of each page, the entries of each, how many in all."""
        entries = listing(self._search_entries)
        urls = listing_urls(len(entries))
        chunks = [entries[n * LISTING_SIZE:(n + 1) * LISTING_SIZE] for n in range(len(urls))]
        labels = [f"{c[0].title[:2].strip()}–{c[-1].title[:2].strip()}" if c else "" for c in chunks]
        return list(zip(urls, labels)), chunks, len(entries)

    def search_page(self, url: str) -> dict:
        """One page of the A–Z list shown without JavaScript: its entries and the links to every page,
        each labelled with the first letters of its first and last titles."""
        pages, chunks, count = self._listing
        number = next((n for n, (u, _) in enumerate(pages) if u == url), 0)
        return {"entries": chunks[number], "number": number + 1, "pages": [(u, label, n == number) for n, (u, label) in enumerate(pages)], "count": count}

    def search_filters(self) -> dict:
        """The choices of the search page's filters: periods in the order of every page (periods_in_order),
        teams under their parents, statuses."""
        teams: list[tuple] = []

        def visit(team, depth: int) -> None:
            teams.append((team.id, team.title, depth))
            for sub in self.site.sub_teams.get(team.id, ()):
                visit(self.site.teams[sub], depth + 1)

        for team in self.site.teams.values():
            if team.parent not in self.site.teams:
                visit(team, 0)
        return {"periods": self.periods_in_order, "teams": teams, "statuses": STATUS_ORDER}


GENERATED = (
    PageSpec("", "home.html"), PageSpec("alignment/", "alignment.html"), PageSpec("archive/", "archive.html"),
    PageSpec("search/", "search.html"), PageSpec("changes/", "changes.html"), PageSpec("changes.xml", "changes.xml"),
    PageSpec("404.html", "404.html"),
)
SECTIONS = ("objectives", "kpis", "teams", "people", "periods")  # the folders of generated pages


@dataclass(frozen=True)
class Attention:
    """What the dashboard lists under "Needs attention" (View.needs_attention), and how many objectives
    of each period it leaves out of its lists (more_objectives, more_misses: (period, how many))."""

    objectives: list
    misses: list
    breaches: list[tuple]
    more_objectives: list[tuple[Period, int]]
    more_misses: list[tuple[Period, int]]
    unknown: list  # objectives whose forecast a shallow clone cannot tell (forecasts_unknown)


@dataclass(frozen=True)
class DeletedSince:
    """An objective of a finished period whose file was deleted after the period ended (View.deleted_after_end)."""

    title: str
    day: date  # the day of the commit that deleted it
    commit: str  # that commit's short hash
    rollup: str | None  # the finished roll-up it was aligned to, which counted it on its last day (None: none did)
    counted: bool  # that roll-up still counts it, as it stood (else no longer: a roll-up itself, or unreadable)
    grade: float | None = None  # counted at its own period's end: its grade then (its `score:`, else its progress)
    stood_on: date | None = None  # counted on the roll-up's last day, before its own period's end: that day
    stood: bool = False  # its period's summaries count it as it stood (Scores.deleted_stood)


def _deleted_title(child) -> str:
    return child.objective.title if child.objective is not None else child.title


def _deleted_since(child, rollup: str, rollup_end: date, progress: float | None) -> DeletedSince:
    """``child`` (a DeletedChild of the roll-up ``rollup``) as a review names it, with the ``progress``
    the roll-up counts it at (None: it no longer counts it)."""
    if progress is None:
        return DeletedSince(_deleted_title(child), child.day, child.commit, rollup, False)
    if rollup_end < child.period.end:
        return DeletedSince(_deleted_title(child), child.day, child.commit, rollup, True, stood_on=rollup_end)
    score = child.objective.score
    return DeletedSince(_deleted_title(child), child.day, child.commit, rollup, True, round_grade(progress if score is None else score))


def stood_since(child, stood: ObjectiveScore, named: DeletedSince | None) -> DeletedSince:
    """``child``, of Scores.deleted_stood, as a review names it: counted in its period's summaries with
    its grade as it stood (``stood``), and the roll-up that counted it as ``named`` says, if one did."""
    grade = round_grade(stood.grade) if stood.grade is not None else None
    if named is None:
        return DeletedSince(_deleted_title(child), child.day, child.commit, None, False, grade, stood=True)
    return replace(named, grade=grade, stood=True)


def _left_out(found: list[tuple[Period, list]]) -> list[tuple[Period, int]]:
    return [(p, len(items) - ATTENTION_ROWS) for p, items in found if len(items) > ATTENTION_ROWS]


def decimals(value: float, most: int = 2) -> int:
    """The decimals ``value`` is written with in its shortest form, at most ``most`` (as numbers are
    shown): 430000 → 0, 7.5 → 1, 4.25 → 2."""
    text = repr(float(value))
    if "e" in text or not text.lstrip("-")[:1].isdigit():  # 1e+20, inf, nan
        return most
    return min(len(text.partition(".")[2].rstrip("0")), most)


def site_pages(site: Site, settings: Settings) -> Iterator[PageSpec]:
    """Every page of the site: okrsite's own (robots.txt for a site that keeps crawlers out), then one
    per objective, KPI, team, person, period (and owner of a period split by owner) and page."""
    yield from GENERATED
    for url in listing_urls(searchable(site).listed)[1:]:
        yield PageSpec(url, "search.html")
    if settings.keeps_crawlers_out:
        yield PageSpec("robots.txt", "robots.txt")
    for o in site.objectives.values():
        yield PageSpec(o.url, "objective.html", o.id)
    for k in site.kpis.values():
        yield PageSpec(k.url, "kpi.html", k.id)
    if site.teams:
        yield PageSpec("teams/", "teams.html")
    for t in site.teams.values():
        yield PageSpec(t.url, "team.html", t.id)
    for name, person in site.people.items():
        yield PageSpec(person.url, "person.html", name)
    split = split_by_owner(site)
    for ident, period in site.periods.items():
        yield PageSpec(period.url, "period.html", ident)
        yield PageSpec(period.review_url, "review.html", ident)
        for owner in split.get(ident, ()):
            yield PageSpec(owner_part_url(site, period, owner), "period.html", ident, owner)
        parts = review_parts(site, ident)
        for n in range(1, len(parts) + 1) if len(parts) > 1 else ():
            yield PageSpec(f"{period.review_url}{n}/", "review.html", ident, str(n))
        parts = period_alignment_parts(site, ident)
        for n in range(1, len(parts) + 1) if len(parts) > 1 else ():
            yield PageSpec(alignment_part_url(period, n), "alignment.html", ident, str(n))
    if len(site.kpis) > HOME_KPI_TILES:
        yield KPI_LIST
    for p in site.pages.values():
        yield PageSpec(p.url, "page.html", p.id)
    for ident in alignmap.own_maps(site):
        yield PageSpec(alignmap.map_url(ident), "map.html", ident)


TEAM_PAGE_ROWS = 500  # objectives; a team page that would list more lists its sub-teams' on their own pages
HOME_ROWS = 250  # rows of the home page's tree of top objectives (10,000 objectives: 1,600 rows, 1.2 MB)
HOME_KPI_TILES = 48  # KPI tiles on the home page; more KPIs get a list page of their own (1,000 tiles: 1 MB)
ATTENTION_ROWS = 12  # objectives of each period under "Needs attention" and under "Forecast to fall short"
KPI_LIST = PageSpec("kpis/", "kpis.html")
REDIRECT = "redirect"  # the page at a former id's address (redirect_page): no template renders it


def redirect_spec(folder: str, former: str, now: str) -> PageSpec:
    """The page at the address an objective or KPI had under a former id (``folder``: "objectives" or "kpis")."""
    return PageSpec(f"{folder}/{former}/", REDIRECT, now)


def redirect_page(settings: Settings, page: PageSpec) -> str:
    """What a former id's address holds (redirect_spec): a refresh to the page of the id now, by a
    relative address so that it works on any host and from file://, a plain link for browsers that do
    not follow it, the new page as canonical, and kept out of search engines. Made of the spec and
    the settings alone, the same in every theme: nothing on it is the site's to style."""
    folder = page.url.split("/", 1)[0]
    target = f"{folder}/{page.subject}/"
    link = html_escape(href(page.root, target))
    canonical = html_escape(absolute(settings, target) if settings.site_url else href(page.root, target))
    robots = "" if settings.keeps_crawlers_out else '<meta name="robots" content="noindex">\n'  # secure_page adds its own
    text = (f'<!doctype html>\n<html lang="{html_escape(settings.language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<title>Moved to {html_escape(target)}</title>\n<meta http-equiv="refresh" content="0; url={link}">\n'
            f'<link rel="canonical" href="{canonical}">\n{robots}</head>\n<body>\n'
            f'<p>This page has moved to <a href="{link}">{html_escape(target)}</a>.</p>\n</body>\n</html>\n')
    return secure_page(text, settings.keeps_crawlers_out)
ALIGNMENT_LIST_LIMIT = 1000  # objectives; a period's longer alignment list is cut into pages between its top objectives


def alignment_subtree(site: Site, o, seen: set | None = None) -> Iterator:
    """``o`` and every objective the alignment list shows under it, in the list's order: it follows every child."""
    seen = set() if seen is None else seen
    seen.add(o.id)
    yield o
    for c in site.children.get(o.id, ()):
        if c not in seen:
            yield from alignment_subtree(site, site.objectives[c], seen)


def alignment_parts(site: Site, roots: list) -> list[tuple[list, int]]:
    """A period's top objectives in parts of at most ALIGNMENT_LIST_LIMIT objectives listed (a larger
    tree is a part of its own), with each part's count; one part when the list is no longer."""
    sized = [(o, sum(1 for _ in alignment_subtree(site, o))) for o in roots]
    if sum(size for _, size in sized) <= ALIGNMENT_LIST_LIMIT or not sized:
        return [(roots, sum(size for _, size in sized))]
    parts: list[tuple[list, int]] = [([], 0)]
    for o, size in sized:
        if parts[-1][0] and parts[-1][1] + size > ALIGNMENT_LIST_LIMIT:
            parts.append(([], 0))
        parts[-1] = (parts[-1][0] + [o], parts[-1][1] + size)
    return parts


def alignment_part_url(period: Period, number: int) -> str:
    """periods/2026-q4/alignment/2/: inside the period's folder, so no objective's own map can take it."""
    return f"{period.url}alignment/{number}/"


PERIOD_PAGE_LIMIT = 300  # objectives; a period with more has one page per owner, and its own page lists the owners


def objectives_by_period(site: Site) -> dict[str, list]:
    """{period id: its objectives in the site's order}. An objective without a period (one a site with
    errors has, planned all the same so that its clashes are reported with them: SPEC §7) is in none."""
    return once_per_site(site, ("by period",), lambda: grouped((o.period.id, o) for o in site.objectives.values() if o.period is not None))


def review_parts(site: Site, period_id: str) -> list[list[tuple]]:
    """The period's review in parts (cut_review of its alignment order)."""
    return once_per_site(site, ("review", period_id, REVIEW_PAGE_LIMIT),
                         lambda: cut_review(alignment_order(site, objectives_by_period(site).get(period_id, []))))


def period_alignment_parts(site: Site, period_id: str) -> list[tuple[list, int]]:
    """alignment_parts of the period's top objectives (those whose parent is not of the period)."""
    def make() -> list[tuple[list, int]]:
        return alignment_parts(site, alignment_tops(site, objectives_by_period(site).get(period_id, [])))
    return once_per_site(site, ("alignment", period_id, ALIGNMENT_LIST_LIMIT), make)


def split_by_owner(site: Site) -> dict[str, dict[str, list]]:
    """{period id: {owner: its objectives of the period}} for every period with more objectives than one
    page should list (a 10,000-objective site's quarter would be a page of several MB), owners in order."""
    return once_per_site(site, ("by owner", PERIOD_PAGE_LIMIT), lambda: _split_by_owner(site))


def _split_by_owner(site: Site) -> dict[str, dict[str, list]]:
    counts = Counter(o.period.id for o in site.objectives.values() if o.period is not None)  # (see objectives_by_period)
    large = {ident for ident, count in counts.items() if count > PERIOD_PAGE_LIMIT}
    if not large:
        return {}
    split: dict[str, dict[str, list]] = {ident: {} for ident in sorted(large)}
    for o in site.objectives.values():
        if o.period is not None and o.period.id in large:
            split[o.period.id].setdefault(o.owner, []).append(o)
    return {ident: dict(sorted(owners.items(), key=lambda item: title_order(item[0]))) for ident, owners in split.items()}  # a team by its id: a cut reads no titles (cuts.py)


def _box_note(o, site: Site, left_out=None, came: str = "added") -> str:
    """What a map's box says under its title: on a public site, that its parent is private; on the
    internal one, that it is private or confidential itself, as the lock beside it in every list does
    (the one mark of it on the map); of one a finished roll-up leaves out (``left_out``,
    View.left_out_of; ``came``: View.left_out_as), that it is not counted (its name and the list below the map say in full); else
    of a box at the top of a period's map because its parent is of another period, that period."""
    if o.private_parent:
        return alignmap.PRIVATE_PARENT
    if o.private or o.confidential:
        return "private" if o.private else "confidential"
    if left_out is not None:
        return f"{came} late: not counted"
    parent = _parent_elsewhere(site, o)
    return f"its parent is in {parent.period.id}" if parent is not None else ""


def left_out_words(o, parent, came: str = "added") -> str:
    """Of an objective the finished roll-up ``parent`` leaves out (View.left_out_of), why, in full
    (``came``: View.left_out_as)."""
    return f"{came} after {parent.period.id} ended: not counted in {parent.title}'s grade"


def _parent_elsewhere(site: Site, o):
    """The objective ``o`` is aligned to, where that is of another period (``o`` tops its period's tree)."""
    parent = site.objectives.get(o.parent) if o.parent else None
    return parent if parent is not None and parent.period != o.period else None


REVIEW_PAGE_LIMIT = 200  # objectives; a longer review is cut into parts between its top-level objectives


def alignment_order(site: Site, objectives: list) -> list[tuple]:
    """(objective, depth) of each of ``objectives``, each under its parent among them."""
    ordered: list[tuple] = []
    inside = {o.id for o in objectives}

    def visit(o, depth: int) -> None:
        ordered.append((o, depth))
        for child in site.children.get(o.id, ()):
            if child in inside:
                visit(site.objectives[child], depth + 1)

    for root in alignment_tops(site, objectives):
        visit(root, 0)
    return ordered


def cut_review(ordered: list[tuple]) -> list[list[tuple]]:
    """A review in alignment order cut before top-level objectives into parts of at most
    REVIEW_PAGE_LIMIT objectives (a larger tree is a part of its own); one part when it is no longer."""
    if len(ordered) <= REVIEW_PAGE_LIMIT:
        return [ordered]
    trees: list[list[tuple]] = []
    for item in ordered:
        if item[1] == 0 or not trees:
            trees.append([])
        trees[-1].append(item)
    parts: list[list[tuple]] = [[]]
    for tree in trees:
        if parts[-1] and len(parts[-1]) + len(tree) > REVIEW_PAGE_LIMIT:
            parts.append([])
        parts[-1].extend(tree)
    return parts


def owner_part_url(site: Site, period: Period, owner: str) -> str:
    """periods/2026-q4/teams/sales/ or periods/2026-q4/people/jane-doe/: as unique as the owner's own page."""
    return period.url + (f"teams/{owner}/" if owner in site.teams else f"people/{person_slug(owner)}/")


def grouped(pairs) -> dict:
    """{key: [items in order]} from (key, item) pairs."""
    groups = defaultdict(list)
    for key, item in pairs:
        groups[key].append(item)
    return groups


EVERY_KPI = "\0every KPI"
"""An input of the pages that show how many KPIs the site has (a review's summary says how many its
table leaves out): changed when a KPI comes or goes (preview.state._changed_ids)."""


def page_inputs(view: View, page: PageSpec) -> frozenset[str] | None:
    """Ids (and names) of what a default-theme page shows, so live preview re-renders only the pages a
    change reaches; None means 'everything' (the dashboard, the map, the archive, search)."""
    site, subject = view.site, page.subject
    if page.template == "objective.html":
        o = site.objectives[subject]
        ids = {o.id, o.owner, *(a.id for a in view.chain(o)), *site.children.get(o.id, ()), *site.objective_kpis.get(o.id, ())}
        ids |= {kr.kpi for kr in o.key_results if kr.kpi} | {kr.owner for kr in o.key_results}
        ids |= {site.objectives[c].owner for c in site.children.get(o.id, ())}
        ids |= {o.follows, *site.followed_by.get(o.id, ())}
        score = view.scores.objectives.get(o.id)
        ids |= set(score.moved_late) if score is not None else set()  # counted as they stood, aligned elsewhere since (View.rollup_realigned)
    elif page.template == "kpi.html":
        k = site.kpis[subject]
        linked = [site.objectives[i] for i in site.kpi_objectives.get(k.id, ())]
        ids = {k.id, k.owner, *(o.id for o in linked), *(o.owner for o in linked), *(o.id for o, _ in view.krs_linked_to(k.id))}
    elif page.template == "team.html":
        t = site.teams[subject]
        ids = {t.id, t.parent, t.lead, *t.members, *site.sub_teams.get(t.id, ())} | {k.id for k in view.kpis_owned_by(t.id)}
        for group in view.team_groups(t.id):
            sub = site.teams[group.team]
            ids |= {sub.id, sub.lead, *sub.members, *group.objectives} | {site.objectives[i].owner for i in group.objectives}
        ids |= {o.id for o, _ in view.key_results_of(t.id)}
    elif page.template == "person.html":
        person = site.people[subject]
        ids = {person.name, *person.teams, *(o.id for o in view.owned_by(person.name)), *(k.id for k in view.kpis_owned_by(person.name))}
        ids |= {o.id for o, _ in view.key_results_of(person.name)}
    elif page.template == "period.html":
        objectives = view.split_periods[subject][page.part] if page.part is not None else view.by_period.get(subject, [])
        ids = {o.id for o in objectives} | {o.owner for o in objectives}
    elif page.template == "review.html":
        period = site.periods[subject]
        objectives = [o for o, _ in view.review_part(period, page.part)] if page.part is not None else view.by_period.get(subject, [])
        ids = {o.id for o in objectives} | {o.owner for o in objectives} | {o.parent for o in objectives} | (set(site.kpis) | {EVERY_KPI} if page.part is None else set())
        ids |= {ident for o in objectives for _, ident in wikilink_targets(o.retro or "")}
        ids |= {o.follows for o in objectives} | {f for o in objectives for f in site.followed_by.get(o.id, ())}
        ids |= {ident for ident, score in view.scores.objectives.items()  # the roll-ups its deleted objectives count in (View.deleted_after_end)
                if any(c.period.id == subject for c in score.deleted_late)}
    elif page.template == "page.html":
        ids = {subject}
    elif page.template == REDIRECT:
        return frozenset()  # redirect_page: of its spec and the settings alone
    else:
        return None
    entity = site.entity(subject) if page.template in ("objective.html", "kpi.html", "team.html", "page.html") else None
    if entity is not None:
        ids |= {ident for _, ident in wikilink_targets(entity.doc.body)} | {FILE + path for path in file_targets(entity.doc.path, entity.doc.body)}
    if page.template == "objective.html":
        ids |= {ident for _, ident in wikilink_targets(site.objectives[subject].retro or "")}
    if page.template in ("objective.html", "review.html"):
        shown = [site.objectives[subject]] if page.template == "objective.html" else objectives
        ids |= {FILE + path for o in shown for path in file_targets(o.doc.path, o.retro)}
    ids.discard(None)
    return frozenset(ids)


def page_digest(view: View, page: PageSpec) -> tuple:
    """Everything a whole-site page (dashboard, map, archive, search, 404) shows, as one comparable
    value: live preview re-renders such a page only when this changes."""
    site, scores = view.site, view.scores
    owners = tuple((t.id, t.title) for t in site.teams.values()), tuple(site.people)
    if page.template == "home.html":
        period = view.current_period
        objectives = view.by_period.get(period.id, []) if period else []
        objectives = [*objectives, *(o for p in view.running_periods for o in view.by_period.get(p.id, []))]  # their needs_attention
        rows = tuple((o, scores.objectives[o.id], site.children.get(o.id)) for o in objectives)
        kpis = tuple((k, scores.kpis[k.id]) for k in site.kpis.values())
        running = tuple((p, len(view.by_period.get(p.id, []))) for p in view.running_periods)
        return rows, kpis, running, owners
    if page.template in ("alignment.html", "map.html", "teams.html"):
        return tuple((o, scores.objectives[o.id], site.children.get(o.id)) for o in site.objectives.values()), owners, tuple(site.teams.values()), tuple(site.people.values())
    if page.template == "kpis.html":
        return tuple((k, scores.kpis[k.id]) for k in site.kpis.values()), owners
    if page.template == "archive.html":
        return tuple(tuple(view.period_summary(p).items()) for p in site.periods.values())
    if page.template == "search.html":
        shown = view.search_page(page.url)
        return tuple(shown["entries"]), tuple(shown["pages"]), tuple(view.site.periods.values()), view.current_period, tuple(view.site.teams.values())
    if page.template in ("changes.html", "changes.xml"):
        return view.changes, view.history.shallow if view.history else None
    return ()


@jinja2.pass_context
def summary(context, body: str, limit: int = 160) -> str:
    """The templates' ``summary`` filter (meta descriptions): a body's first words, its `[[id]]` links
    read as the page shows them, by the titles of what they link to."""
    site, settings = context.get("site"), context.get("settings")
    return plain_summary(body, limit, link_titles(site) if isinstance(site, Site) else None, getattr(settings, "allow_html", False))


ROWS_KEPT = 60_000  # objective rows remembered (~1 KB each): every row of a 10,000-objective site, not all of 100,000


_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")


def isolates(text: str, lang: str = "") -> Markup:
    """The templates' ``isolates`` filter: plain text, as a change or a commit subject says it,
    escaped, with each right-to-left title or unit it isolates (goals/formats.py, isolated) in a <bdi>,
    goal text, which ``lang`` (the templates' ``goals_lang``) gives the site's language, and each date
    in it ("latest 438,800 USD on 2026-05-31") in a <span class="nowrap">: a phone broke one after a hyphen."""
    return Markup(_DATE.sub(r'<span class="nowrap">\g<0></span>', bdi_elements(str(escape(text)), lang)))


def time_element(day: date) -> Markup:
    """The templates' ``time`` filter: a date as a <time> element, which the default stylesheet keeps
    on one line (a phone broke "2026-09-30" after a hyphen: "2026-09-" / "30")."""
    return Markup('<time datetime="{0}">{0}</time>').format(day)


def unisolated(text: str) -> str:
    """The templates' ``without_isolates`` filter (a meta description): escaped text kept escaped."""
    return Markup(without_isolates(str(text))) if isinstance(text, Markup) else without_isolates(str(text))


def goals_language(language: str) -> str | None:
    """The site's language where okrsite's own English words are marked apart from the goal text; None on an English site."""
    return None if language.split("-")[0].lower() == "en" else language


def language_marks(language: str) -> dict[str, Markup]:
    """The templates' ``interface_lang`` and ``goals_lang``: on a site whose language is not English, the
    attribute that marks okrsite's own English words (a label, a badge, the navigation) as English, and the
    one that gives goal text inside them the site's language back (WCAG 3.1.2); on an English site, none."""
    if goals_language(language) is None:
        return {"interface_lang": Markup(""), "goals_lang": Markup("")}
    return {"interface_lang": Markup(' lang="en"'), "goals_lang": Markup(' lang="{}"').format(language)}


def goal_text(text: object, goals_lang: Markup) -> Markup:
    """The templates' ``goal_text`` filter: goal text (a title, a name) inside okrsite's words, in a <bdi>
    that gives it the site's language back and isolates it, so that a right-to-left title takes no date
    or number beside it into its own direction; on an English site, the text alone, or in a <bdi> if it
    holds right-to-left letters."""
    if goals_lang or has_right_to_left(str(text)):
        return Markup("<bdi{}>{}</bdi>").format(goals_lang, text)
    return escape(text)


@dataclass
class Renderer:
    settings: Settings
    themes: list[Path]
    _bodies: dict = field(default_factory=dict, repr=False)
    _rows: dict = field(default_factory=dict, repr=False)
    _row_macros: tuple = field(default_factory=lambda: (None, {}), repr=False)  # (view, {page depth: macros.html made with a page's context})
    compiled: jinja2.BytecodeCache | None = field(default=None, repr=False)  # templates compiled by earlier builds

    def __post_init__(self) -> None:
        loader = ThemeLoader([str(t / "templates") for t in self.themes])
        # auto_reload off: a renderer's templates never change under it (the preview makes a new renderer
        # when a template changes), so no page stats the three or so template files it is made from
        self.env = ThemeEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      bytecode_cache=self.compiled, auto_reload=False)
        self.env.template_class = Page
        self.env.filters.update(pct=format_percent, percent=percent_number, grade=format_grade, ratio=format_ratio, num=self.number, slug=slugify, summary=summary)
        self.env.globals.update(days_ago=days_ago, objectives_counted=objectives_counted)
        self.env.filters.update(without_isolates=unisolated, time=time_element, weeks=in_weeks, xml=xml_text, host=host_of, css_string=css_string, heading_id=heading_slug)
        self.env.globals.update(feed_id=feed_id, absolute=lambda url: absolute(self.settings, url))
        self.env.globals.update(language_marks(self.settings.language))
        self.env.filters["goal_text"] = lambda text, lang=self.env.globals["goals_lang"]: goal_text(text, lang)
        self.env.filters["isolates"] = lambda text, lang=self.env.globals["goals_lang"]: isolates(text, lang)  # an isolated title or unit is goal text
        self.env.globals.update(
            status_icons=STATUS_ICONS, health_icons=HEALTH_ICONS, band_icons=BAND_ICONS, band_ranges=BAND_RANGES, trend_icons=TREND_ICONS, kpi_trend=kpi_trend, generator=f"okrsite {__version__}",
            sparkline=charts.sparkline, line_chart=charts.line_chart, burnup=charts.burnup, burnup_steps=charts.burnup_steps, status_bar=charts.status_bar,
        )
        if self.env.globals["goals_lang"]:  # a chart's own words are English, its title a goal's
            self.env.globals.update({name: partial(self.env.globals[name], language=self.settings.language) for name in ("sparkline", "line_chart", "burnup")})
        self.md = make_parser(self.settings.allow_html)

    def number(self, value: float | None, unit: str | None = None, style: str | None = None, lines: tuple = ()) -> str:
        """The templates' ``num`` filter: the site's number_format unless a page passes one; ``lines``,
        the target, threshold or guardrail line the value is shown beside, which it must not read as."""
        return format_number(value, unit, style or self.settings.number_format, lines)

    def body_html(self, view: View, text: str, root: str, source: str | None = None, above: tuple[str, ...] = ()) -> str:
        """Markdown of a body, rendered once per (text, page depth, link targets) in the renderer's lifetime;
        with ``source`` (the Markdown file it is written in), its relative links lead where they do from that file.
        ``above``: the ids of headings the text had above it (a plain page's title), which its own headings count on from."""
        def resolve(ident: str):
            entity = view.site.entity(ident)
            return (href(root, entity.url), entity.title) if entity is not None else None

        relink = None
        files: tuple = ()
        if source is not None and relative_links(text):
            def relink(url: str) -> str | None:
                return relinked(view.site, source, root, url, view.copies)
            files = (source, tuple(relink(url) for _, url, _ in relative_links(text)))
        key = (text_key(text), root, tuple(resolve(ident) for _, ident in wikilink_targets(text)), above, *files)
        if key not in self._bodies:
            self._bodies[key] = render_markdown(self.md, text, resolve, relink, above)
        return self._bodies[key]

    def objective_row(self, view: View, context: dict, o, show_owner: bool, show_period: bool):
        """The `objective_row` macro's HTML, remembered by everything it shows: whole-site pages list
        thousands of rows, and the same row appears on many pages and in every live-preview rebuild."""
        owner = view.site.teams.get(o.owner)
        left_out = view.left_out_of(o)
        shown = (o, view.scores.objectives[o.id], owner.title if owner else o.owner in view.site.people, view.phase(o.period),
                 left_out and (left_out.title, left_out.url, left_out.period.id, view.left_out_as(o)), view.graded_with(o.period).default_kind)
        key = (o.id, context["root"], show_owner, show_period)
        cached = self._rows.get(key)
        if cached is None or cached[0] != shown:
            cached = (shown, self._macros_at(view, context).objective_row(o, show_owner, show_period))
            if key in self._rows or len(self._rows) < ROWS_KEPT:
                self._rows[key] = cached
        return cached[1]

    def _macros_at(self, view: View, context: dict):
        """The macros a row is drawn with, made once per page depth of a view: a row shows the same on every
        page at its depth (the rows' cache above relies on it too), and making the module costs as much as
        drawing a few rows."""
        made, modules = self._row_macros
        if made is not view:
            modules = {}
            self._row_macros = (view, modules)
        if context["root"] not in modules:
            modules[context["root"]] = self.env.get_template("macros.html").make_module(context)
        return modules[context["root"]]

    def forget_rows(self) -> None:
        """Let the remembered rows go once every page of a build is rendered (60 MB at 100,000 objectives)."""
        self._rows.clear()
        self._row_macros = (None, {})

    def render(self, view: View, page: PageSpec) -> str:
        if page.template == REDIRECT:
            return redirect_page(self.settings, page)
        root = page_root(self.settings, page)
        if self._row_macros[0] is not view:
            self._row_macros = (None, {})  # the last view's (the preview's last rebuild) need not stay in memory
        subject = None
        if page.subject is not None:
            site = view.site
            subject = {
                "objective.html": site.objectives, "kpi.html": site.kpis, "team.html": site.teams,
                "person.html": site.people, "period.html": site.periods, "review.html": site.periods, "page.html": site.pages, "map.html": site.objectives, "alignment.html": site.periods,
            }[page.template][page.subject]
        bodies: list[list[str]] = []  # the heading ids of each body the page shows (mark_headings, settle_headings)
        context = {
            "view": view, "site": view.site, "scores": view.scores, "settings": self.settings,
            "page": page, "subject": subject, "root": root, "final": view.final_period(page),
            "href": lambda url: href(root, url),
            "body": lambda entity: jinja2.filters.Markup(mark_headings(self.body_html(view, shown_body(entity), root, entity.doc.path, title_ids(entity)), bodies)),
            "markdown": lambda text, source=None: jinja2.filters.Markup(mark_headings(self.body_html(view, text, root, source), bodies)),
        }
        context["row"] = lambda o, show_owner=True, show_period=False: self.objective_row(view, context, o, show_owner, show_period)
        try:
            text = settle_headings(self.env.get_template(page.template).render(context), bodies)
        except TemplateProblem:
            raise
        except jinja2.TemplateError as exc:
            raise TemplateProblem.from_exception(exc, page, self.themes, Names([*context, *self.env.globals], self.env.filters), self.env) from None
        except RecursionError as exc:
            raise TemplateProblem.from_recursion(exc, page, self.themes) from None
        except Exception as exc:
            problem = TemplateProblem.from_python_error(exc, page, self.themes, Called(self.env.filters, {**self.env.globals, **context}))
            if problem is None:
                raise
            raise problem from None
        full_text = page.template == "search.html" and self.settings.search == "pagefind"
        return secure_page(text, self.settings.keeps_crawlers_out, full_text) if page.output.endswith(".html") else text


class ThemeEnvironment(jinja2.Environment):
    """Jinja's environment, where a template nested deeper than Python compiles is a TemplateProblem at
    the template, not an IndentationError or RecursionError from okrsite."""

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        try:
            return super().compile(source, name, filename, raw, defer_init)
        except (SyntaxError, RecursionError) as exc:
            if not isinstance(source, str):
                raise
            raise self._too_deep(source, name, filename, exc) from None

    def _parse(self, source, name, filename):
        try:
            return super()._parse(source, name, filename)
        except RecursionError as exc:
            raise self._too_deep(source, name, filename, exc) from None

    def _too_deep(self, source: str, name: str | None, filename: str | None, exc: BaseException) -> TemplateProblem:
        return TemplateProblem.too_deep(self, source, os.path.normpath(filename) if filename else name or "<template>", exc)


class ThemeLoader(jinja2.FileSystemLoader):
    """The theme's templates as UTF-8 text: a BOM an editor put first is left out (in a page it would
    come before <!doctype>, and browsers then read the page in quirks mode, its <head> in <body>), and
    a file in another encoding is a TemplateProblem at the line of its first byte that is not UTF-8."""

    def __init__(self, folders: list[str]) -> None:
        super().__init__(folders, encoding="utf-8-sig")

    def get_source(self, environment: jinja2.Environment, template: str):
        folder = self._folder_of(template)
        if folder is None:
            raise jinja2.TemplateNotFound(template)
        try:
            return jinja2.FileSystemLoader(folder, encoding=self.encoding).get_source(environment, template)
        except UnicodeDecodeError:
            file = Path(folder, *split_template_path(template))
            raw = file.read_bytes()
            raise TemplateProblem(os.path.normpath(file), *not_utf8(raw, f"the template {template}", "save it as UTF-8 in your editor (in Notepad: Save as, Encoding: UTF-8)")) from None

    def list_templates(self) -> list[str]:
        return [name for name in super().list_templates() if self._folder_of(name) is not None]

    def _folder_of(self, template: str) -> str | None:
        """The first theme folder with a file of this name that is used (a link leading out of the
        folder, or out of the site, is not: theme.usable_theme_file)."""
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if path.is_file() and usable_theme_file(path, Path(folder)):
                return folder
        return None


def _tops_aligned(private: int, elsewhere: int, tops: int) -> str:
    """What a map's count adds of its top boxes aligned all the same: to a private objective, on a
    public map (SPEC §14), or to an objective of another period."""
    def which(count: int) -> str:
        return "it" if tops == 1 else f"{'all' if count == tops else count} of them"

    said = [f"{which(private)} aligned to a private objective, not shown on this site"] * bool(private)
    said += [f"{which(elsewhere)} aligned to {'an objective of another period' if elsewhere == 1 else 'objectives of other periods'}"] * bool(elsewhere)
    return f" ({'; '.join(said)})" if said else ""


def text_key(text: str) -> bytes:
    """What a rendered body is remembered by (in the build cache too): a hash of its text."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def objectives_counted(counted: int, cancelled: int, nested: bool = False) -> str:
    """"5 objectives (and 1 cancelled)", the cancelled ones apart (View.counted); inside parentheses
    already (``nested``), "5 objectives and 1 cancelled". Of cancelled ones only, "2 cancelled
    objectives", not "0 objectives (and 2 cancelled)"."""
    if counted == 0 and cancelled:
        return f"{cancelled} cancelled objective{'s' * (cancelled != 1)}"
    said = f"{counted} objective{'s' * (counted != 1)}"
    if not cancelled:
        return said
    return f"{said} and {cancelled} cancelled" if nested else f"{said} (and {cancelled} cancelled)"


def days_ago(as_of: date, day: date | None) -> str:
    """'today', '1 day ago', '23 days ago' or '3 weeks ago' (whole weeks from 3 weeks on); '–' for no day
    (a score's ``updated`` without a dated check-in), as the pct and num filters write none."""
    if day is None:
        return "–"
    days = (as_of - day).days
    if days <= 0:
        return "today"
    if days >= 21:
        return f"{days // 7} weeks ago"
    return f"{days} day{'s' * (days != 1)} ago"


def feed_id(settings: Settings, title: str, commit: str = "") -> str:
    """A stable Atom id (a URN) for the feed, or for one commit's entry in it."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.site_url or settings.repo_url or title}#{commit}"))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value) -> str:
    """Text without the characters XML 1.0 forbids (a title may hold a form feed written as \\f)."""
    return _NOT_XML.sub("", str(value))


def title_ids(entity) -> tuple[str, ...]:
    """The id of the heading a plain page is titled by (its <h1>, the page.html template's `heading_id`)."""
    return (heading_slug(entity.title),) if isinstance(entity, PlainPage) and entity.heading is not None else ()


def shown_body(entity) -> str:
    """The body an entity's page shows: a plain page's without the `# heading` it is titled by."""
    return entity.body if isinstance(entity, PlainPage) else entity.doc.body


def page_root(settings: Settings, page: PageSpec) -> str:
    """What a page's links start with: the way up to the site root; for 404.html, which a host serves at
    any missing address however deep, site_url when set (no <base>: "#main" must stay on the page)."""
    if page.url == "404.html" and settings.site_url:
        return absolute(settings, "")
    return page.root


def absolute(settings: Settings, url: str) -> str:
    """A site url made absolute with site_url; without it, relative to the site root (where the feed is)."""
    return settings.site_url.rstrip("/") + "/" + url if settings.site_url else url or "./"


def host_of(url: str) -> str:
    """'bi.example.com' for a dashboard link: "see the numbers in bi.example.com". A host with other
    characters than ASCII is shown as its ASCII form (`xn--…`), as browsers show a host that mixes
    scripts: 'bі.example.com' with a Cyrillic 'і' would read as another host."""
    host = urlsplit(url).hostname
    return (host if host.isascii() else ascii_host(host)) if host else url


def ascii_host(host: str) -> str:
    """``host`` in its IDNA form; a label the IDNA codec refuses, as its Punycode all the same."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ".".join(label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii") for label in host.split("."))


_CSS_LOOKALIKES = str.maketrans({'"': "”", "'": "’", "\\": "/", "<": "‹", ">": "›", "{": "(", "}": ")", "*": "×"})


def css_string(value) -> str:
    """Text as a double-quoted CSS string, e.g. for a custom property in a style attribute: characters
    that could end the string or its rule become look-alikes (a page footer needs no escapes), so it
    stays one plain declaration that a Content-Security-Policy can move into a hashed rule."""
    text = "".join(c for c in str(value) if c.isprintable()).translate(_CSS_LOOKALIKES)
    return f'"{text}"'


def in_weeks(days: int) -> str:
    """14 -> '2 weeks', 10 -> '10 days', 7 -> '1 week'."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' * (weeks != 1)}"
    return f"{days} day{'s' * (days != 1)}"


def relinked(site: Site, source: str, root: str, url: str, copies: Callable[[str], bool] = lambda _file: True) -> str | None:
    """Where a relative link or image of the Markdown file ``source`` leads from a page at depth ``root``:
    a Markdown file's page (its #anchor kept), or a file under content/ where the build copies it (its
    path there, web/plan.py: content_files); None to keep it as written (it leads out of content/: check
    warns); "" for a link to a Markdown file under content/ that is no page of this site (a private
    objective's, on the public site; a file check warns about), or to another file the site does not
    copy (``copies``: one that is not there, a folder, a hidden or unpublished file; check warns), shown
    as its words alone."""
    if not relative_href(url):
        return None
    found = in_content(source, url)
    if found is None:
        return None
    file, rest = found
    if markdown_file(url):
        entity = page_at(site, file)
        if entity is None:
            return ""
        return href(root, entity.url) + (rest[rest.index("#"):] if "#" in rest else "")
    if not copies(file):
        return ""
    return root + quote(asset_path(file), safe="/") + rest


def asset_path(file: str) -> str:
    """Where the build copies a file under content/ that a body links to: its path under content/."""
    return file.removeprefix("content/")


def href(root: str, url: str) -> str:
    """A link from a page at depth ``root`` to a site url; index.html spelled out so file:// works."""
    if url == "" or url.endswith("/"):
        return f"{root}{url}index.html"
    return f"{root}{url}"
