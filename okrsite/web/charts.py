"""Charts: inline SVG (and one HTML bar) drawn at build time, so pages need no JavaScript.

Every function is pure and returns ``Markup`` ready for an autoescaping template. Colours come from
the stylesheet through CSS classes; the only colour written here is ``currentColor``, so a chart is
legible without the stylesheet and follows light and dark mode with it. Each SVG has a ``<title>``,
its name, and a ``<desc>``, its description (each read once). Non-finite values are dropped and every
degenerate input (no points, one point, equal values, one date) still draws, so nothing here raises
on odd data and "nan" or "inf" never reach a page.
"""

from __future__ import annotations

import bisect
import math
import re
import sys
from datetime import date
from functools import lru_cache
from typing import Callable, Sequence

from markupsafe import Markup, escape

from ..goals.formats import format_number, format_percent
from ..numbers.compute import FREQUENCY_DAYS
from ..numbers.forecast import retired_words

__all__ = ["sparkline", "line_chart", "burnup", "burnup_steps", "status_bar"]

Series = Sequence[tuple[date, float]]


# Text is 12 units high, but a phone shows a 640-wide chart at about half its size, so the stylesheet
# makes it 18 there (style.css, .chart-line .label): the layout leaves room for that size everywhere.
ROOM = 18
CHAR = 0.6  # the width of a digit or letter, in ems (a generous guess for system fonts)
_num = format_number  # labels write numbers as the pages do
DOTS_UP_TO = 60  # a dot per value up to this many; more would draw a solid band, so only the line
SPARK_VALUES = 60  # a sparkline draws the recent values: 400 would be a smear 120 units wide


def _text_width(text: str) -> float:
    return len(text) * CHAR * ROOM


def _scale(lo: float, hi: float, out_lo: float, out_hi: float, *, nice: bool = False) -> tuple[Callable[[float], float], list[float]]:
    """A linear map from the domain [lo, hi] onto [out_lo, out_hi], and the domain's tick values.

    With ``nice`` the domain is first widened to round ticks (about five, steps of 1, 2, 2.5 or 5
    times a power of ten, never finer than 0.01); an empty domain is widened around its value.
    Without it the ticks are just [lo, hi] and an empty domain maps everything to the middle.
    The map works on values divided by the largest magnitude, so a domain like -1e308..1e308
    (whose width overflows to inf) still gives finite positions; results are clamped to the range.
    """
    if nice:
        if lo == hi:
            pad = abs(lo) / 10 or 1.0
            lo, hi = max(lo - pad, -sys.float_info.max), min(hi + pad, sys.float_info.max)
        ticks = [lo * (1 - f) + hi * f for f in (0, 0.25, 0.5, 0.75, 1)]
        span = hi - lo
        if math.isfinite(span) and span > 0:
            raw = max(span / 4, 0.01)  # labels show two decimals: no finer step (and no log10 of 0)
            magnitude = 10.0 ** math.floor(math.log10(raw))
            multiples = (1, 2, 5, 10) if magnitude < 0.1 else (1, 2, 2.5, 5, 10)  # 0.025 would need 3 decimals
            step = next(m * magnitude for m in multiples if m * magnitude >= raw)
            try:
                first, last = math.floor(lo / step), math.ceil(hi / step)
                candidate = [i * step for i in range(first, last + 1)]
            except (OverflowError, ValueError):
                candidate = []
            if 2 <= len(candidate) <= 12 and all(map(math.isfinite, candidate)):
                ticks = candidate
        lo, hi = ticks[0], ticks[-1]
    else:
        ticks = [lo, hi]
    m = max(abs(lo), abs(hi)) or 1.0
    a, b = lo / m, hi / m

    def to_px(v: float) -> float:
        t = (v / m - a) / (b - a) if b > a else 0.5
        return out_lo + (out_hi - out_lo) * min(max(t, 0.0), 1.0)

    return to_px, ticks


def _ident(text: str) -> str:
    """``text`` reduced to [a-z0-9-], so it can prefix element ids and class names; a letter or digit
    of another script as its code point ('spark-цели' -> 'spark-u446-u435-u43b-u438'), so that charts
    of ids written in other scripts keep ids of their own on a page."""
    text = str(text).lower()
    if not text.isascii():
        text = "".join(f"-u{ord(c):x}-" if not c.isascii() and c.isalnum() else c for c in text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "chart"


def _finite(values: Series) -> list[tuple[date, float]]:
    """The points with a finite value, sorted by date (stable, so same-day points keep their order)."""
    return sorted(((d, float(v)) for d, v in values if v is not None and math.isfinite(v)), key=lambda p: p[0])


class Tag(Markup):
    """Markup whose format() is Markup.format's without Python's string.Formatter (a tenth of an
    objective page's rendering): text arguments escaped, numbers and markup as they are."""

    __slots__ = ()

    def format(self, *args, **kwargs) -> Markup:  # type: ignore[override]
        return Markup(str.format(self, *map(_safe, args), **{name: _safe(value) for name, value in kwargs.items()}))


def _safe(value):
    if isinstance(value, (int, float)):
        return value
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def language_marks(language: str | None, goal_title: bool = False) -> tuple[Markup, Markup]:
    """The lang attributes of a chart of a site whose goals are written in ``language`` (not English;
    None: no marks): the <svg>'s, for okrsite's own English words in its labels and description, and
    its <title>'s, given the site's language back when the title is goal text alone (WCAG 3.1.2)."""
    if not language:
        return Markup(""), Markup("")
    goals = Tag(' lang="{}"').format(language)
    return Markup(' lang="en"'), goals if goal_title else Markup("")


def _svg(kind: str, ident: str, width: int, height: int, title: str, desc: str, body: list, language: str | None = None,
         goal_title: bool = False) -> Markup:
    i = _ident(ident)
    svg_lang, title_lang = language_marks(language, goal_title)
    head = Tag(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" viewBox="0 0 {w} {h}"'
        ' preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{i}-title" aria-describedby="{i}-desc"'
        ' fill="currentColor" font-size="12"{svg_lang}><title id="{i}-title"{title_lang}>{title}</title><desc id="{i}-desc">{desc}</desc>'
    ).format(i=i, kind=kind, w=width, h=height, title=title, desc=desc, svg_lang=svg_lang, title_lang=title_lang)
    return head + Markup("").join(body) + Markup("</svg>")


def _points(xy) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)


def _span_text(points: list[tuple[date, float]]) -> str:
    """The extent of a series for a text alternative: "12 values from 2026-01-31 to 2026-11-30"."""
    n = len(points)
    count = f"{n} value" if n == 1 else f"{n} values"
    first, last = points[0][0].isoformat(), points[-1][0].isoformat()
    return f"{count} on {first}" if first == last else f"{count} from {first} to {last}"


def sparkline(values: Series, *, ident: str, label: str, unit: str | None = None, width: int = 120, height: int = 32,
              style: str = "full", lines: Sequence[float | None] = (), language: str | None = None) -> Markup:
    """A small line of the series' recent values (the last SPARK_VALUES) with the latest dotted; ""
    when there are no values. ``lines``: the target and threshold its latest value is judged against.
    ``language``: the site's, when not English (the ``label`` is goal text, the rest English)."""
    points = _finite(values)[-SPARK_VALUES:]
    if not points:
        return Markup("")
    width, height, pad = max(int(width), 8), max(int(height), 8), 3
    x, _ = _scale(points[0][0].toordinal(), points[-1][0].toordinal(), pad, width - pad)
    y, _ = _scale(min(v for _, v in points), max(v for _, v in points), height - pad, pad)
    xy = [(x(d.toordinal()), y(v)) for d, v in points]
    body = []
    if len(xy) > 1:
        body.append(Tag('<polyline class="line" fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/>').format(_points(xy)))
    body.append(Tag('<circle class="dot" cx="{:.1f}" cy="{:.1f}" r="2.5"/>').format(*xy[-1]))
    desc = f"{_span_text(points)}, latest {_num(points[-1][1], unit, style, lines)}"
    return _svg("sparkline", ident, width, height, label, desc, body, language, goal_title=True)


def _mark_scale(ys: list[float], marks, bottom: float, top: float) -> tuple[Callable[[float], float], list[float]]:
    """The y scale of a line chart (as _scale's, nice), widened by a gridline below or above where a
    target's, threshold's or guardrail's label could lie by its line only across another mark's line
    (QA EL: "target 4 h" under the 4.2 h threshold at the foot of the plot, the threshold's line through it)."""
    lo, hi = min(ys), max(ys)
    y, ticks = _scale(lo, hi, bottom, top, nice=True)
    for _ in range(2):
        down, up = _cramped_marks([y(v) for v in marks], bottom)
        if not (down or up) or len(ticks) < 2:
            break
        step = ticks[1] - ticks[0]
        lo, hi = ticks[0] - step * down, ticks[-1] + step * up
        y, ticks = _scale(lo, hi, bottom, top, nice=True)
    return y, ticks


def _mark_sides(at: float, bottom: float) -> tuple[tuple[float, bool], tuple[float, bool]]:
    """A mark's label's baselines above and below its line (at ``at``), each with whether it fits there."""
    return (at - 4, at - ROOM >= 0), (at + ROOM - 2, at + ROOM <= bottom)


def _cramped_marks(lines: list[float], bottom: float) -> tuple[bool, bool]:
    """Whether some mark's label has no side of its line that fits and that no other mark's line runs
    through: one whose only free side is below (needing room down), one whose only free side is above."""
    down = up = False
    for at in lines:
        others = [line for line in lines if abs(line - at) >= 0.5]
        free = [(base, fits) for base, fits in _mark_sides(at, bottom)
                if not any(base - 0.75 * ROOM < line < base + 0.25 * ROOM for line in others)]
        if any(fits for _, fits in free):
            continue
        (above, _), (below, _) = _mark_sides(at, bottom)
        down |= any(base == below for base, _ in free)
        up |= any(base == above for base, _ in free)
    return down, up


def _tick_labels(ticks: list[float], style: str) -> list[str]:
    """The y axis's labels, compact when asked, unless rounding to one decimal makes two alike."""
    compact = [_num(t, style=style) for t in ticks]
    return compact if len(set(compact)) == len(compact) else [_num(t) for t in ticks]


def line_chart(values: Series, *, ident: str, label: str, unit: str | None = None, target: float | None = None,
               threshold: float | None = None, width: int = 640, height: int = 260, style: str = "full",
               keep: tuple[str, float] | None = None, frequency: str | None = None, as_of: date | None = None,
               retired: date | None = None, language: str | None = None) -> Markup:
    """A line chart of a series against time, with dashed target and threshold lines when given.

    x positions are proportional to dates, so uneven gaps between measurements show as such; with
    the series' ``frequency``, a gap of more than twice it (when the KPI would be stale) breaks the
    line. Each value is a dot up to DOTS_UP_TO values; a longer series is only its line (a lone value
    between two gaps keeps its dot), on a time axis with a tick per month, quarter or year. Given
    ``as_of``, a day after the latest value, the time axis runs on to it and a "today" line marks it
    (as on a burn-up chart), so that the silence since the latest value shows. A KPI ``retired`` (the
    day, once it has come) has no value to come: its axis ends at that day, marked "retired", or at its
    latest value when that is later, and has no "today" line, so years of retirement do not squeeze it.
    The y range covers the values, the target and the threshold, widened to round gridlines.
    The latest value is written next to its dot, at the right, where the eye ends; the target and
    threshold labels sit at the left so that they never cover it, each by its line, clear of the other
    labels and, where there is room near the left, of the data line (_mark_labels). A guardrail's line,
    ``keep`` = ("above" or "below", value), is drawn with a band over the side it must not cross, and every
    value on that side is ringed as a breach. ``language``: the site's, when not English (the ``label``
    is goal text; the chart's own words are marked English).
    """
    points = _finite(values)
    width, height = max(int(width), 160), max(int(height), 100)
    marks = {name: float(v) for name, v in (("target", target), ("threshold", threshold)) if v is not None and math.isfinite(v)}
    if keep is not None and math.isfinite(keep[1]):
        marks["keep"] = float(keep[1])
    silent_until, end_word = _axis_end(points, as_of, retired)
    ys = [v for _, v in points] + list(marks.values()) or [0.0]
    top, bottom = (ROOM + 4 if silent_until else 12), height - ROOM - 10  # room above the plot for "today"
    y, ticks = _mark_scale(ys, marks.values(), bottom, top)
    tick_labels = _tick_labels(ticks, style)
    left, right = min(int(max(map(_text_width, tick_labels))) + 12, width // 3), width - 12
    body = []
    for t, text in zip(ticks, tick_labels):
        body.append(Tag('<line class="grid" x1="{l}" x2="{r}" y1="{y:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-opacity="0.15"/>'
                           '<text class="label" x="{lx}" y="{y:.1f}" dy="0.35em" text-anchor="end">{text}</text>')
                    .format(l=left, r=right, y=y(t), lx=left - 6, text=text))
    body.append(Tag('<path class="axis" d="M{l} {t}V{b}H{r}" fill="none" stroke="currentColor" stroke-opacity="0.5"/>')
                .format(l=left, t=top, b=bottom, r=right))
    if "keep" in marks:
        line_y, edge = y(marks["keep"]), bottom if keep[0] == "above" else top
        body.append(Tag('<rect class="breach-zone" x="{l}" y="{y:.1f}" width="{w}" height="{h:.1f}" fill="currentColor" fill-opacity="0.08"/>')
                    .format(l=left, y=min(line_y, edge), w=right - left, h=abs(edge - line_y)))
    for name, v in sorted(marks.items(), key=lambda item: -item[1]):
        body.append(Tag('<line class="{n}" x1="{l}" x2="{r}" y1="{y:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-dasharray="6 4"/>')
                    .format(n=name, l=left, r=right, y=y(v)))
    plot = _Plot(left, right, top, bottom)
    labels = []
    if points:
        first, last = points[0][0].toordinal(), (silent_until or points[-1][0]).toordinal()
        x, _ = _scale(first, last, left + 4, right - 4)
        xy = [(x(d.toordinal()), y(v)) for d, v in points]
        months = _month_ticks(points[0][0], silent_until or points[-1][0], right - left) if len(points) > DOTS_UP_TO else []
        for d, text in months:
            body.append(Tag('<line class="tick" x1="{x:.1f}" x2="{x:.1f}" y1="{b}" y2="{b4}" stroke="currentColor" stroke-opacity="0.5"/>'
                            '<text class="label" x="{x:.1f}" y="{y}" text-anchor="middle">{t}</text>')
                        .format(x=x(d.toordinal()), b=bottom, b4=bottom + 4, y=height - 5, t=text))
        for d, anchor in ([] if months else _date_labels(points, silent_until, x, left, right)):
            body.append(Tag('<text class="label" x="{x:.1f}" y="{y}" text-anchor="{a}">{d}</text>')
                        .format(x=x(d.toordinal()), y=height - 5, a=anchor, d=d.isoformat()))
        if silent_until:
            today, box = _today_mark(x(last), width, top, bottom, end_word)
            body.append(today)
            plot.taken.append(box)
        runs = _runs(points, frequency)
        for start, end in runs:
            if end - start > 1:
                body.append(Tag('<polyline class="line" fill="none" stroke="currentColor" stroke-width="2" points="{}"/>').format(_points(xy[start:end])))
        plot.draw(xy, runs)
        dotted = range(len(points)) if len(points) <= DOTS_UP_TO else [start for start, end in runs if end - start == 1]
        for i in dotted:
            (d, v), (cx, cy) = points[i], xy[i]
            body.append(Tag('<circle class="dot" cx="{:.1f}" cy="{:.1f}" r="3"><title>{}: {}</title></circle>').format(cx, cy, d.isoformat(), _num(v, unit, "exact")))  # every digit, as in the values table
        latest = _num(points[-1][1], unit, style, marks.values())
        lx, ly, anchor = _latest_label(points, xy, top, bottom, right, latest, [y(v) for v in marks.values()], plot.taken, alone=silent_until is None)
        labels.append(Tag('<text class="label latest-label" x="{x:.1f}" y="{y:.1f}" text-anchor="{a}">{text}</text>').format(x=lx, y=ly, a=anchor, text=latest))
        plot.taken.append(_text_box(lx, ly, latest, anchor))
        desc = f"{_span_text(points)}, latest {latest}"
        if silent_until:
            desc += f", none since, retired on {silent_until.isoformat()}" if retired else f", none since, up to today ({silent_until.isoformat()})"
        if len(runs) > 1:
            desc += f", broken by {len(runs) - 1} {'gap' if len(runs) == 2 else 'gaps'} of more than twice its {frequency} frequency"
        if "keep" in marks:
            breaches = [((d, v), at) for (d, v), at in zip(points, xy) if _crosses(keep[0], v, marks["keep"])]
            for (d, v), (cx, cy) in breaches:
                body.append(Tag('<circle class="breach" cx="{:.1f}" cy="{:.1f}" r="7" fill="none" stroke="currentColor" stroke-width="2"><title>{}: {}, across the line</title></circle>')
                            .format(cx, cy, d.isoformat(), _num(v, unit, "exact")))
            desc += f", across the line on {', '.join(d.isoformat() for (d, _), _ in breaches)}" if breaches else ", never across the line"
    else:
        ex, ey = (left + right) / 2, top + (bottom - top) * 0.3  # clear of a lone target, drawn mid-height
        body.append(Tag('<text class="label empty" x="{x:.1f}" y="{y:.1f}" text-anchor="middle">no values yet</text>').format(x=ex, y=ey))
        plot.taken.append(_text_box(ex, ey, "no values yet", "middle"))
        desc = "no values yet"
    texts = {name: f"{_mark_words(name, keep)} {_num(v, unit, style)}" for name, v in marks.items()}
    for name, (lx, ly) in _mark_labels({name: (y(v), texts[name]) for name, v in marks.items()}, plot).items():
        labels.append(Tag('<text class="label {n}-label" x="{x:.1f}" y="{ly:.1f}" text-anchor="start">{text}</text>')
                      .format(n=name, x=lx, ly=ly, text=texts[name]))
    body += labels  # drawn last, over the data line, on a halo of the background (style.css)
    desc += "".join(f", {_mark_words(name, keep)} {_num(v, unit, style)}" for name, v in marks.items())
    return _svg("line", ident, width, height, label, desc, body, language, goal_title=True)


def _date_labels(points: list[tuple[date, float]], silent_until: date | None, x: Callable[[float], float], left: float, right: float) -> list[tuple[date, str]]:
    """The dates written under a short series' time axis, with their anchors: its first and its last day
    (the as-of day when the axis runs on to it), and the value's nearest the middle where it fits."""
    first, end = points[0][0], silent_until or points[-1][0]
    if first == end:
        return [(first, "middle")]
    found = [(first, "start"), (end, "end")]
    centre = (first.toordinal() + end.toordinal()) / 2
    middle = min(points, key=lambda p: abs(p[0].toordinal() - centre))[0]
    at = x(middle.toordinal())
    if min(at - left, right - at) >= 1.5 * _text_width(middle.isoformat()) + 8:
        found.append((middle, "middle"))
    return found


def _axis_end(points: list[tuple[date, float]], as_of: date | None, retired: date | None) -> tuple[date | None, str]:
    """The day after the latest value that the time axis runs on to (None: it ends at the latest value)
    and the word marking it: a retired KPI's day, "retired", or else the as-of day, "today"."""
    day, word = (retired, "retired") if retired is not None else (as_of, "today")
    return (day if points and day is not None and day > points[-1][0] else None), word


def _today_mark(tx: float, width: int, top: float, bottom: float, word: str = "today", clear_of: Box | None = None) -> tuple[Markup, Box]:
    """A vertical line on the as-of day, labelled "today" above the plot as a burn-up chart marks it (or
    on a retired KPI's day, labelled "retired"), and where its label is. ``clear_of``: a label above
    the plot already (a burn-up chart's "today"), which this one keeps clear of: written after the
    line, or else just inside the plot's top."""
    usual = "end" if tx + _text_width(word) / 2 > width else "middle"
    places = [(usual, top - 4), ("start", top - 4), (usual, top + ROOM)]
    anchor, ty = next(((a, b) for a, b in places if clear_of is None or _clear(_text_box(tx, b, word, a), clear_of, width)), places[-1])
    mark = Tag('<line class="{w}" x1="{x:.1f}" x2="{x:.1f}" y1="{t}" y2="{b}" stroke="currentColor" stroke-opacity="0.6"/>'
               '<text class="label {w}-label" x="{x:.1f}" y="{ty}" text-anchor="{a}">{w}</text>').format(w=word, x=tx, t=top, b=bottom, ty=ty, a=anchor)
    return mark, _text_box(tx, ty, word, anchor)


def _clear(box: Box, other: Box, width: int) -> bool:
    """A label's box inside the chart's width and off another's."""
    return box[0] >= 0 and box[2] <= width and not _overlap(box, other)


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _text_box(x: float, baseline: float, text: str, anchor: str) -> Box:
    """Where a label's text lies, at the size a phone shows it (ROOM)."""
    w = _text_width(text)
    x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
    return x0, baseline - 0.75 * ROOM, x0 + w, baseline + 0.25 * ROOM


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _Plot:
    """What is drawn in a line chart's plot that a label must keep clear of: the texts already placed
    (``taken``), the data line and its dots (ink), the marks' dashed lines."""

    def __init__(self, left: float, right: float, top: float, bottom: float) -> None:
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.taken: list[Box] = []
        self.xy: list[tuple[float, float]] = []
        self.xs: list[float] = []
        self.joined: list[bool] = []  # whether the line runs from each point to the next
        self.lines: list[float] = []  # the marks' lines' y

    def draw(self, xy: list[tuple[float, float]], runs: list[tuple[int, int]]) -> None:
        self.xy, self.xs = xy, [x for x, _ in xy]
        ends = {end - 1 for _, end in runs}
        self.joined = [i not in ends for i in range(len(xy))]

    def ink(self, box: Box) -> float:
        """How much of the data line and its dots runs through ``box``: the length of line inside it, and
        each dot as the width of one."""
        xs = self.xs
        lo, hi = max(bisect.bisect_left(xs, box[0] - 3) - 1, 0), min(bisect.bisect_right(xs, box[2] + 3), len(xs))
        found = 0.0
        for i in range(lo, hi):
            x, y = self.xy[i]
            if box[0] - 3 < x < box[2] + 3 and box[1] - 3 < y < box[3] + 3:
                found += 6
            if i + 1 < len(xs) and self.joined[i]:
                found += _inside(self.xy[i], self.xy[i + 1], box)
        return found


def _inside(a: tuple[float, float], b: tuple[float, float], box: Box) -> float:
    """The length of the straight line from ``a`` to ``b`` inside ``box`` (Liang-Barsky clipping)."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return 0.0
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return max(high - low, 0.0) * math.hypot(dx, dy)


def _mark_labels(marks: dict[str, tuple[float, str]], plot: _Plot) -> dict[str, tuple[float, float]]:
    """Where each mark's label goes, ``marks`` being name -> (its line's y, its text): at the left, the
    higher mark's above its line and the lower ones' below (on the other side where there is no room),
    clear of the labels placed before. Where the data line runs through it there, on the other side of
    its line, or further right, after one of the first values (within the left part of the plot), where
    it would not (QA EE: "threshold 0" was crossed by a series starting at -5, 0); where it runs through
    every such place, the one it crosses least."""
    placed: dict[str, tuple[float, float]] = {}
    plot.lines = [at for at, _ in marks.values()]
    for rank, (name, (at, text)) in enumerate(sorted(marks.items(), key=lambda item: item[1][0])):
        (above, room_above), (below, room_below) = _mark_sides(at, plot.bottom)
        first = above if (rank == 0 and room_above) or not room_below else below
        sides = [first] + [side for side, room in ((above, room_above), (below, room_below)) if room and side != first]
        near = _best_spot(plot, text, at, sides, 0.4)
        far = _best_spot(plot, text, at, sides, 1.0) if near is None or any(near[0]) else None
        best = min((spot for spot in (near, far) if spot is not None), key=lambda spot: spot[0], default=None)
        _, (spot, box) = best if best is not None else (None, ((plot.left + 6, first), _text_box(plot.left + 6, first, text, "start")))
        placed[name] = spot
        plot.taken.append(box)
    return placed


def _best_spot(plot: _Plot, text: str, at: float, sides: list[float], reach: float) -> tuple[tuple[bool, int], tuple[tuple[float, float], Box]] | None:
    """The first place (x, baseline) for a mark's label at ``sides`` of its line, starting in the left
    ``reach`` of the plot, clear of the labels placed, that the other marks' lines and the data line do not
    run through; else one no other mark's line runs through, the least of the data line; None when every
    place covers a label. With its cost: whether a mark's line runs through it, how much data line."""
    best = None
    for x in _label_starts(plot, _text_width(text), reach):
        for side in sides:
            box = _text_box(x, side, text, "start")
            if any(_overlap(box, other) for other in plot.taken):
                continue
            cost = (any(box[1] < line < box[3] for line in plot.lines if abs(line - at) >= 0.5), round(plot.ink(box)))
            if best is None or cost < best[0]:
                best = cost, ((x, side), box)
            if not any(cost):
                return best
    return best


_STARTS = 24  # how many of the first values a mark's label may start after


def _label_starts(plot: _Plot, width: float, reach: float) -> list[float]:
    """Where a mark's label may start: at the left of the plot, after a label placed there, or after one of
    the first values or at a step of the text's height, within the left ``reach`` of the plot (further right than two fifths it would read as
    the line's: only where the labels leave no other room)."""
    limit = min(plot.left + reach * (plot.right - plot.left), plot.right - 4 - width)
    starts = [plot.left + 6] + [box[2] + 12 for box in plot.taken] + [x + 6 for x, _ in plot.xy[:_STARTS]]
    starts += [plot.left + 6 + step * ROOM for step in range(1, int((limit - plot.left) // ROOM) + 1)]
    return sorted({x for x in starts if plot.left + 6 <= x <= limit}) or [plot.left + 6]


def _runs(points: list[tuple[date, float]], frequency: str | None) -> list[tuple[int, int]]:
    """The stretches of the series (start and end index) that its line joins: without a frequency the
    whole series; with one, a gap of more than twice it (when the KPI would be stale) ends a stretch."""
    longest = 2 * FREQUENCY_DAYS.get(frequency or "", 0) or None
    starts = [0] + [i for i in range(1, len(points)) if longest and (points[i][0] - points[i - 1][0]).days > longest]
    return list(zip(starts, starts[1:] + [len(points)]))


_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _month_ticks(first: date, last: date, room: float) -> list[tuple[date, str]]:
    """Ticks on the first of every month, quarter, half year or year between two dates, as many as
    fit in ``room`` with their labels ("Jan 2026" at a year's start and the first tick, "Apr" else)."""
    fits = max(int(room // (_text_width("Jan 2026") + 12)), 2)
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next((s for s in _MONTH_STEPS if months // s <= fits), 120)
    index = first.year * 12 + first.month  # the month after first: a tick never falls before the data
    index += -index % step
    ticks = []
    while (day := date(index // 12, index % 12 + 1, 1)) <= last:
        ticks.append((day, _month_label(day, step, first_tick=not ticks)))
        index += step
    return ticks


def _month_label(day: date, step: int, *, first_tick: bool) -> str:
    if step >= 12:
        return str(day.year)
    return f"{_MONTHS[day.month - 1]} {day.year}" if first_tick or day.month == 1 else _MONTHS[day.month - 1]


def _latest_label(points: list[tuple[date, float]], xy: list[tuple[float, float]], top: float, bottom: float, right: float, text: str,
                  lines: list[float] = (), taken: list[Box] = (), alone: bool = True) -> tuple[float, float, str]:
    """Where the latest value is written by its dot (x, baseline, anchor): above it after a rise, below it
    after a fall (clear of the line coming in), on the other side when there is no room, or when a text
    already placed (``taken``: "today"), a target's or threshold's line (at ``lines``; QA BO: "1,260 ms"
    written on the 1,200 ms threshold read as the threshold), or the data line and the other dots (QA EL)
    would run through it, or a line part it from its dot, there and not on the other side; failing both, a
    little further from the dot, or after it.
    Right-aligned to the plot's edge. A series of one day is centred on its dot, ``alone`` on its axis;
    else written after it."""
    cx, cy = xy[-1]
    rising = len(points) < 2 or points[-1][1] >= points[-2][1]
    single = points[0][0] == points[-1][0]
    x, anchor = (cx, "middle") if single and alone else (cx - 4, "start") if single else (min(cx + 4, right), "end")
    data = _Plot(0, right, top, bottom)
    data.draw(xy, [(0, len(xy))])

    def fits(base: float) -> bool:
        return base - 0.75 * ROOM >= 0 and base + 0.25 * ROOM <= bottom

    def cost(candidate: tuple[float, float, str, bool, int]) -> tuple:
        x, base, anchor, second, shift = candidate
        box = _text_box(x, base, text, anchor)
        return (not fits(base), any(_overlap(box, other) for other in taken), any(min(box[1], cy) <= line <= max(box[3], cy) for line in lines),
                round(_ink_beside(data, box, len(xy) - 1)), shift, second)

    first_above = (rising and fits(cy - 8)) or not fits(cy + 8 + 0.75 * ROOM)
    after = [(cx + 6, "start")] if not single and cx + 6 + _text_width(text) <= right else []  # the other side of the dot
    candidates = [(at, cy - 8 - shift * 6 if above else cy + 8 + 0.75 * ROOM + shift * 6, side, above != first_above, shift + 4 * moved)
                  for moved, (at, side) in enumerate([(x, anchor)] + after) for shift in range(4) for above in (True, False)]
    x, base, anchor, _, _ = min(candidates, key=cost)
    return x, base, anchor


def _ink_beside(data: _Plot, box: Box, own: int) -> float:
    """How much of the data line and the dots other than the ``own`` one runs through a box beside it."""
    cx, cy = data.xy[own]
    found = data.ink(box)
    return found - 6 if box[0] - 3 < cx < box[2] + 3 and box[1] - 3 < cy < box[3] + 3 else found


def _mark_words(name: str, keep: tuple[str, float] | None) -> str:
    """A mark's words; a guardrail's line holds on the line itself (SPEC §12), as its row says."""
    return f"keep at or {keep[0]}" if name == "keep" and keep else name


def _crosses(side: str, value: float, line: float) -> bool:
    """A guardrail's value on the wrong side of its line (the line itself is on the right side)."""
    return value < line if side == "above" else value > line


def burnup(points: Series, *, ident: str, label: str, start: date, end: date, as_of: date, goal: float | None,
           width: int = 640, height: int = 240, forecast: float | None = None, method: str = "", listed: str = "",
           retired: date | None = None, retired_kpis: int = 1, language: str | None = None) -> Markup:
    """Progress (0..1) over the period start..end against the straight pace from (start, 0) to (end, goal).

    Progress is drawn as a step line: a measurement holds until the next one, and the latest holds
    until ``as_of``. The step line is clipped to the period: the last measurement before ``start``
    becomes the level at ``start`` and measurements after ``end`` are left out. Values and ``goal``
    are clamped to 0..1; a non-finite goal counts as 1. The text alternative speaks of an expected
    pace only while the period runs; after it, of the final progress. A ``forecast`` (0..1) while the
    period runs is a dashed line from the progress on ``as_of`` to the forecast on ``end``, its figure
    written below the plot (_forecast_line); ``method``, how it was made, in words, is said by the text
    alternative (the page says it under the chart). A ``retired`` day after ``as_of`` and before
    ``end`` (ObjectiveForecast.until: the KPI its lines follow is retired then, and they are read there)
    ends the dashed line on that day, at a line marked "retired" as a retired KPI's chart marks its day;
    the text alternative says the progress stands there to ``end``, and whose day that is: of several
    ``retired_kpis`` (ObjectiveForecast.retired_kpis), the last one's. ``listed``: where the page lists the
    dots' values in words, which the text alternative then says. A ``goal`` of None (a cancelled
    objective) draws no pace line and speaks of none: nothing is expected of it. ``language``: the
    site's, when not English: the chart, its ``label`` ("Progress of …") with it, is marked English.
    """
    paced = goal is not None
    goal = min(max(goal, 0.0), 1.0) if paced and math.isfinite(goal) else 1.0
    width, height = max(int(width), 160), max(int(height), 100)
    x, y = _burnup_scales(width, height, start, end)
    inside = burnup_steps(points, start=start, end=end)
    day = min(max(as_of, start), end)
    span = max(end.toordinal() - start.toordinal() + 1, 1)
    expected = goal * min(max((as_of.toordinal() - start.toordinal() + 1) / span, 0.0), 1.0)  # as compute: the as-of day counts as passed

    body = [_burnup_frame(width, height, start, end, as_of, goal if paced else None)]
    if inside:
        steps, level = [], None
        for d, v in inside:
            if level is not None:
                steps.append((x(d.toordinal()), y(level)))
            steps.append((x(d.toordinal()), y(v)))
            level = v
        if day > inside[-1][0]:
            steps.append((x(day.toordinal()), y(level)))
        if len(steps) > 1:
            body.append(Tag('<polyline class="line" fill="none" stroke="currentColor" stroke-width="2" points="{}"/>').format(_points(steps)))
        for d, v in inside:
            body.append(Tag('<circle class="dot" cx="{:.1f}" cy="{:.1f}" r="3"><title>{}: {}</title></circle>')
                        .format(x(d.toordinal()), y(v), d.isoformat(), _pct(v)))
    known = [v for d, v in inside if d <= day]
    progress = f"Progress {_pct(known[-1])}" if known else "No progress recorded"
    period = f"period {start.isoformat()} to {end.isoformat()}, " + (f"goal {_pct(goal)}" if paced else "cancelled: no progress is expected of it")
    if as_of > end:
        desc = f"Final progress {_pct(known[-1])} on {end.isoformat()}; {period}" if known else f"No progress recorded by {end.isoformat()}; {period}"
    elif as_of < start:
        desc = f"Not started yet; {period}"
    else:
        desc = f"{progress} on {day.isoformat()}" + (f" against an expected {_pct(expected)}" if paced else "") + f"; {period}"
    if forecast is not None and math.isfinite(forecast) and start <= as_of <= end:
        forecast = min(max(forecast, 0.0), 1.0)
        left, _, top, bottom = _burnup_box(width, height)
        reached = retired if retired is not None and as_of < retired < end else end
        if reached < end:
            today = x(day.toordinal())
            body.append(_today_mark(x(reached.toordinal()), width, top, bottom, "retired", _text_box(today, top - 4, "today", _today_anchor(today, left, width)))[0])
        body += _forecast_line((x(day.toordinal()), y(known[-1] if known else 0.0)), (x(reached.toordinal()), y(forecast)), _pct(forecast),
                               x(end.toordinal()) - _text_width(end.isoformat()) - 12, height - 5)
        desc += f"; forecast {_pct(forecast)} by {reached.isoformat()}" + (f" ({method})" if method else "")
        if reached < end:
            desc += f", {retired_words(retired_kpis)}: it stands there to {end.isoformat()}"
    if listed:
        desc += f"; {listed}"
    return _svg("burnup", ident, width, height, label, desc, body, language)


def burnup_steps(points: Series, *, start: date, end: date) -> list[tuple[date, float]]:
    """The dated progress (0..1) a burn-up chart of the period start..end draws a dot for: the last
    value before ``start`` as the level at ``start``, then every value up to ``end``, clamped."""
    clamped = [(d, min(max(v, 0.0), 1.0)) for d, v in _finite(points) if d <= end]
    before = [p for p in clamped if p[0] < start]
    return ([(start, before[-1][1])] if before else []) + [p for p in clamped if p[0] >= start]


def _pct(v: float) -> str:  # as the templates' pct filter
    return format_percent(v)


def _burnup_box(width: int, height: int) -> tuple[int, int, int, int]:
    """The plot's left, right, top and bottom inside a burn-up chart, room left for the labels."""
    return int(_text_width("100 %")) + 12, width - 12, ROOM + 4, height - ROOM - 10


def _burnup_scales(width: int, height: int, start: date, end: date) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """x of a day's ordinal and y of a progress (0..1) in a burn-up chart."""
    left, right, top, bottom = _burnup_box(width, height)
    return _scale(start.toordinal(), end.toordinal(), left, right)[0], _scale(0.0, 1.0, bottom, top)[0]


@lru_cache(maxsize=256)
def _burnup_frame(width: int, height: int, start: date, end: date, as_of: date, goal: float | None) -> Markup:
    """A burn-up chart's grid, axes, dates, pace line (none without a ``goal``) and today line: the same
    for every objective of a period with the same goal, so drawn once for them all."""
    left, right, top, bottom = _burnup_box(width, height)
    x, y = _burnup_scales(width, height, start, end)
    body = []
    for v in (0.0, 0.5, 1.0):
        body.append(Tag('<line class="grid" x1="{l}" x2="{r}" y1="{y:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-opacity="0.15"/>'
                           '<text class="label" x="{lx}" y="{y:.1f}" dy="0.35em" text-anchor="end">{text}</text>')
                    .format(l=left, r=right, y=y(v), lx=left - 6, text=_pct(v)))
    body.append(Tag('<path class="axis" d="M{l} {t}V{b}H{r}" fill="none" stroke="currentColor" stroke-opacity="0.5"/>')
                .format(l=left, t=top, b=bottom, r=right))
    for d, anchor in ((start, "start"), (end, "end")):
        body.append(Tag('<text class="label" x="{x:.1f}" y="{y}" text-anchor="{a}">{d}</text>')
                    .format(x=x(d.toordinal()), y=height - 5, a=anchor, d=d.isoformat()))
    if goal is not None:
        body.append(Tag('<line class="pace" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="currentColor" stroke-dasharray="6 4"/>')
                    .format(x1=x(start.toordinal()), y1=y(0.0), x2=x(end.toordinal()), y2=y(goal)))
    if start <= as_of <= end:
        tx = x(as_of.toordinal())
        anchor = _today_anchor(tx, left, width)
        body.append(Tag('<line class="today" x1="{x:.1f}" x2="{x:.1f}" y1="{t}" y2="{b}" stroke="currentColor" stroke-opacity="0.6"/>'
                           '<text class="label today-label" x="{x:.1f}" y="{ty}" text-anchor="{a}">today</text>')
                    .format(x=tx, t=top, b=bottom, ty=top - 4, a=anchor))
    return Markup("").join(body)


def _today_anchor(tx: float, left: float, width: int) -> str:
    """How a burn-up chart's "today" is aligned on its line: inside the chart at either end."""
    half = _text_width("today") / 2
    return "start" if tx - half < left else "end" if tx + half > width else "middle"


def _forecast_line(now: tuple[float, float], end: tuple[float, float], value: str, right: float, baseline: float) -> list[Markup]:
    """The dashed forecast line and its figure ("forecast 67 %") below the plot: on the dates' ``baseline``,
    right-aligned at ``right``, left of the period's last date. Inside the plot it lay over the progress
    line wherever that ran at its height, and for some data no place there is clear of every line."""
    (x1, y1), (x2, y2) = now, end
    return [Tag('<line class="forecast" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="currentColor" stroke-dasharray="3 4" stroke-width="2"/>')
            .format(x1, y1, x2, y2),
            Tag('<text class="label forecast-label" x="{x:.1f}" y="{y:.1f}" text-anchor="end">forecast {v}</text>').format(x=right, y=baseline, v=value)]


def status_bar(counts: Sequence[tuple[str, int]], *, ident: str, label: str) -> Markup:
    """One horizontal bar of segments proportional to the counts per status; "" when all counts are 0.

    HTML rather than SVG so the segments are plain boxes the stylesheet colours with the same
    ``status-*`` classes as the rest of the site; the count sits in an inner ``.n`` so that it can
    take a contrasting colour when the segment's background is its ``currentColor``. Widths are in
    tenths of a percent shared out by largest remainder, so they add up to exactly 100 %. It needs
    no ids: ``ident`` is accepted only so that all four functions are called alike.
    """
    shown = [(str(status), int(n)) for status, n in counts if n and n > 0]
    if not shown:
        return Markup("")
    total = sum(n for _, n in shown)
    exact = [n * 1000 / total for _, n in shown]
    tenths = [math.floor(e) for e in exact]
    for i in sorted(range(len(exact)), key=lambda i: tenths[i] - exact[i])[: 1000 - sum(tenths)]:
        tenths[i] += 1
    summary = ", ".join(f"{n} {status}" for status, n in shown)
    segments = Markup("").join(
        Tag('<span class="seg status-{cls}" style="width: {w:.1f}%" title="{n} {status}"><span class="n">{n}</span></span>')
        .format(cls=_ident(status), w=t / 10, n=n, status=status)
        for (status, n), t in zip(shown, tenths)
    )
    return Tag('<div class="stacked" role="img" aria-label="{label}: {summary}">{segments}</div>').format(
        label=label, summary=summary, segments=segments)
