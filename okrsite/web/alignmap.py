"""The alignment map: a period's objectives as boxes joined by lines, one SVG drawn at build time.

Which objectives a map holds (``period_forest``, ``subtree_forest``, cut by ``treelayout.prune``) and the
objectives whose cut subtree gets a map of its own (``own_maps``) follow from the model alone, so the page
list knows them; ``draw`` turns a layout and what each box says into SVG. Every text is escaped (titles are
written by anyone); colours come from the stylesheet through the same ``status-*`` classes as the rest of the
site, and each status also has its shape and its word, so colour is never the only signal.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from markupsafe import Markup

from ..goals.formats import format_percent, percent_number
from ..goals.model import Site, alignment_tops, forget, once_per_site, slugify
from .charts import Tag, language_marks
from .treelayout import BOX_H, BOX_W, MIN_WIDTH, TAB_H, Layout, Node, cut_nodes, plan

TITLE_CHARS, OWNER_CHARS = 25, 30  # what fits a box's width at 12 and 11 px (wide characters count twice)
BAR_W = 130  # the progress bar; its percentage is written right of it


@dataclass(frozen=True)
class MapItem:
    """What one box shows and where it leads."""

    title: str
    owner: str
    progress: float | None  # None: nothing left to measure
    expected: float | None  # the pace marker, only while the period runs and not of a cancelled objective
    status: str  # the class suffix: a status, or "stale" for an on-track objective nobody updated
    icon: str
    words: str  # "at-risk", "on-track (stale)", "missed · grade 0.89"
    href: str
    more_href: str  # its own map (linked from the tab under its box, when the map gives it one)
    note: str = ""  # under its title (then of one line): "aligned to a private objective" on a public site, "private" on the internal one
    said: str = ""  # the note in full in the box's name, where the box shortens it ("added late: not counted")


PRIVATE_PARENT = "aligned to a private objective"  # a public site's top box whose parent it does not show


class DrawnMap(Markup):
    """A map's SVG, written as it is (a Markup), that also says which tabs it draws under its boxes:
    "+N below" (``below``) and "its own map" (``own``). Its caption explains the tabs it has, no other."""

    def __new__(cls, svg: str, below: bool = False, own: bool = False) -> "DrawnMap":
        drawn = super().__new__(cls, svg)
        drawn.below, drawn.own = below, own
        return drawn


def done(progress: float | None) -> str:
    """A box's progress as its name says it: a roll-up with nothing left to measure has none."""
    return "nothing left to measure" if progress is None else f"{percent_number(progress)} % done"


def period_plan(site: Site, period_id: str, inside: "set[str] | None" = None) -> tuple[Node, ...]:
    """What the period's map shows (treelayout.plan of period_forest), made once per Site: the page list
    (own_maps) and the map itself ask for it, and making the forest reads every objective of the period."""
    return once_per_site(site, ("plan", period_id), lambda: plan(period_forest(site, period_id, inside)))


def drawn_plan(site: Site, period_id: str) -> tuple[Node, ...]:
    """period_plan for the map itself, let go once taken: a build draws each period's map once, and at
    100,000 objectives the plans of every period would otherwise hold some 40 MB through the rendering
    of every later page. Asked again (the preview), the plan is made again."""
    plan_ = period_plan(site, period_id)
    forget(site, ("plan", period_id))
    return plan_


def period_forest(site: Site, period_id: str, inside: "set[str] | None" = None) -> tuple[Node, ...]:
    """The period's objectives (``inside``, when known) as trees: roots are those whose parent is not in
    the period (usually the company's); children of other periods belong to their own period's map."""
    inside = _members(site, period_id) if inside is None else inside
    return tuple(_node(site, o, inside, frozenset()) for o in alignment_tops(site, (o for o in site.objectives.values() if o.id in inside)))


def subtree_forest(site: Site, objective_id: str, inside: "set[str] | None" = None) -> tuple[Node, ...]:
    """One objective and everything of its period below it (``inside``: the period's objectives, when
    known): the tree of its own map."""
    o = site.objectives[objective_id]
    return (_node(site, o, inside if inside is not None else _members(site, o.period.id), frozenset()),)


def _members(site: Site, period_id: str) -> set[str]:
    return {o.id for o in site.objectives.values() if o.period is not None and o.period.id == period_id}


def _node(site: Site, o, inside: set[str], visiting: frozenset) -> Node:
    kids = (c for c in site.children.get(o.id, ()) if c in inside and c not in visiting)
    return Node(o.id, tuple(_node(site, site.objectives[c], inside, visiting | {o.id}) for c in kids))


def own_maps(site: Site) -> list[str]:
    """Objectives whose subtree is cut from a map (its period's, or the map of an objective above it),
    or whose tree is marked on a map too big to print: each gets a map of its own, cut again if need be.
    Made once per Site (the build cache may give it: web/cuts.py)."""
    return once_per_site(site, ("own maps",), lambda: _own_maps(site))


def _own_maps(site: Site) -> list[str]:
    found: dict[str, None] = {}
    for period in site.periods:
        inside = _members(site, period)
        pending = cut_nodes(period_plan(site, period, inside))
        while pending:
            ident = pending.pop(0)
            if ident not in found:
                found[ident] = None
                pending += cut_nodes(plan(subtree_forest(site, ident, inside)))
    return list(found)


def map_url(objective_id: str) -> str:
    return f"alignment/{objective_id}/"


def wrap(text: str, chars: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of about ``chars`` characters, broken between words (inside a
    word only when it is longer than a line), the last line ending in "…" when text is left over."""
    return list(_wrapped(str(text), chars, lines))


@lru_cache(maxsize=1 << 14)
def _wrapped(text: str, chars: int, lines: int) -> tuple[str, ...]:
    """wrap's lines, worked out once per title: an objective's box is on the map of every objective
    above it that has a map of its own, and on its period's."""
    words = " ".join(str(text).split()).split(" ")
    out: list[str] = []
    line = ""
    for word in words:
        while _width(word) > chars:
            head, word = _split(word, chars - _width(line) - (1 if line else 0))
            if head:
                out.append(f"{line} {head}".strip())
                line = ""
            elif line:
                out.append(line)
                line = ""
        candidate = f"{line} {word}".strip()
        if _width(candidate) <= chars:
            line = candidate
        else:
            out.append(line)
            line = word
    out.append(line)
    out = [part for part in out if part]
    if len(out) > lines:
        last = out[lines - 1]
        while last and _width(last) + 1 > chars:
            last = last[:-1]
        out = out[: lines - 1] + [last.rstrip() + "…"]
    return tuple(out or [""])


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _split(word: str, room: int) -> tuple[str, str]:
    """The longest head of ``word`` that fits ``room`` (nothing when room is under 1), and the rest."""
    used = 0
    for i, c in enumerate(word):
        used += _width(c)
        if used > room:
            return word[:i], word[i:]
    return word, ""


def draw(layout: Layout, items: Mapping[str, MapItem], *, ident: str, title: str, desc: str, language: str | None = None) -> DrawnMap:
    """The map as an SVG image whose <title> and <desc> are its short text alternative; each box links
    to its objective, each "+N below" tab to the map of what is cut there. ``language``: the site's,
    when not English: the map's own words (its title and description, a box's status and note, and
    its name, which mixes them with the title) are marked English, a box's title and owner lines
    the site's language (WCAG 3.1.2)."""
    i = "svg-" + slugify(ident)
    interface, goals = language_marks(language, goal_title=True)
    head = Tag(
        '<svg xmlns="http://www.w3.org/2000/svg" class="amap{fit}" viewBox="0 0 {w:g} {h:g}" width="{w:g}" height="{h:g}"'
        ' role="group" aria-labelledby="{i}-title" aria-describedby="{i}-desc" font-size="12" data-boxes="{n}"{lang}>'
        '<title id="{i}-title">{title}</title><desc id="{i}-desc">{desc}</desc>'
    ).format(fit=" amap-fit" if layout.width <= MIN_WIDTH + 20 else "", w=layout.width, h=layout.height, i=i, title=title, desc=desc, n=len(layout.boxes),
             lang=interface)
    path = " ".join(f"M{x1:g} {y1:g}{'H' if y1 == y2 else 'V'}{x2 if y1 == y2 else y2:g}" for x1, y1, x2, y2 in layout.lines)
    lines = Tag('<path class="amap-lines" d="{}" fill="none" stroke="currentColor" stroke-opacity="0.5"/>').format(path) if path else Markup("")
    boxes = Markup("").join(_box(b.x, b.y, items[b.key], b.hidden, b.mapped, goals) for b in layout.boxes)
    return DrawnMap(head + lines + boxes + Markup("</svg>"), any(b.hidden for b in layout.boxes), any(b.mapped for b in layout.boxes))


def starts_right_to_left(text: str) -> bool:
    """Whether ``text`` reads right to left: its first letter is of a right-to-left script (Arabic,
    Hebrew), as HTML's dir="auto" decides. SVG text has no dir="auto": the map says it itself."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return kind != "L"
    return False


def _line(x: float, right: float, text: str) -> Markup:
    """A label's position and direction: from ``x`` left to right, or from ``right`` right to left."""
    return Tag('x="{x:g}" direction="rtl"').format(x=right) if starts_right_to_left(text) else Tag('x="{x:g}"').format(x=x)


def _progress(left: float, right: float, y: float, item: MapItem) -> Markup:
    """A box's bar (its pace tick while the period runs) and percentage; a box with nothing left to
    measure has no bar, and says so in words where it would be."""
    if item.progress is None:
        return Tag('<text class="amap-pct" x="{x:g}" y="{y:g}">{words}</text>').format(x=left, y=y + 66, words=done(None))
    fill = max(min(item.progress, 1.0), 0.0) * BAR_W
    pace = Markup("")
    if item.expected is not None:
        px = left + max(min(item.expected, 1.0), 0.0) * BAR_W
        pace = Tag('<path class="amap-pace" d="M{x:.1f} {t:g}V{b:g}" stroke="currentColor" stroke-width="2"/>').format(x=px, t=y + 55, b=y + 69)
    return Tag(
        '<rect class="amap-track" x="{left:g}" y="{by:g}" width="{bw}" height="8" rx="4" fill="none" stroke="currentColor" stroke-opacity="0.4"/>'
        '<rect class="amap-fill" x="{left:g}" y="{by:g}" width="{fill:.1f}" height="8" rx="4" fill="currentColor"/>{pace}'
        '<text class="amap-pct" x="{px:g}" y="{py:g}" text-anchor="end">{pct}</text>'
    ).format(left=left, by=y + 58, bw=BAR_W, fill=fill, pace=pace, px=right, py=y + 66, pct=format_percent(item.progress))


def _box(x: float, y: float, item: MapItem, hidden: int, mapped: bool, goals: Markup = Markup("")) -> Markup:
    left, right = x + 14, x + BOX_W - 10
    lines = wrap(item.title, TITLE_CHARS, 1 if item.note else 2)
    text = Markup("").join(
        Tag('<text class="amap-title" {at} y="{y:g}" font-weight="600"{lang}>{t}</text>').format(at=_line(left, right, item.title), y=y + 18 + 15 * n, t=line, lang=goals)
        for n, line in enumerate(lines))
    if item.note:
        text += Tag('<text class="amap-note" x="{x:g}" y="{y:g}" font-size="11" font-style="italic">{t}</text>').format(
            x=left, y=y + 33, t=wrap(item.note, OWNER_CHARS, 1)[0])
    name = f"{item.title} — {item.words}, {done(item.progress)}, {item.owner}" + (f"; {item.said or item.note}" if item.note else "")
    box = Tag(
        '<a class="amap-node" href="{href}"><title>{name}</title>'
        '<rect class="amap-box" x="{x:g}" y="{y:g}" width="{w}" height="{h}" rx="6" fill="none" stroke="currentColor"/>'
        '<rect class="amap-edge status-{status}" x="{x:g}" y="{y:g}" width="6" height="{h}" fill="currentColor"/>'
        '{text}<text class="amap-owner" {owner_at} y="{oy:g}" font-size="11"{lang}>{owner}</text>{progress}'
        '<text class="amap-status status-{status}" x="{left:g}" y="{sy:g}">{icon} {words}</text></a>'
    ).format(href=item.href, name=name, x=x, y=y, w=BOX_W, h=BOX_H, status=item.status, text=text, left=left,
             oy=y + 51, owner=wrap(item.owner, OWNER_CHARS, 1)[0], owner_at=_line(left, right, item.owner),
             progress=_progress(left, x + BOX_W - 10, y, item), icon=item.icon, words=item.words, sy=y + 84, lang=goals)
    if hidden or mapped:
        # a tab's name starts with its visible words, which speech input says to follow it (QA CY)
        name, words = (f"+{hidden} below {item.title}: open its map", f"+{hidden} below ▸") if hidden else (
            f"its own map of {item.title} and everything below it, to print", "its own map ▸")
        box += Tag(
            '<a class="amap-more" href="{href}"><title>{name}</title>'
            '<rect class="amap-tab" x="{x:g}" y="{y:g}" width="{w}" height="{h}" rx="4" fill="none" stroke="currentColor"/>'
            '<text x="{tx:g}" y="{ty:g}">{words}</text></a>'
        ).format(href=item.more_href, name=name, words=words, x=x + 14, y=y + BOX_H, w=BOX_W - 28, h=TAB_H - 4, tx=x + 24, ty=y + BOX_H + 15)
    return box
