"""Tree layout: where each box of the alignment map goes, and the lines that join them. Pure geometry:
nodes are keys with children, the result is rectangles and line segments; nothing here knows objectives.

A node's box sits above its children. Children that fit side by side in the width allowed form one row
under their parent, which is centred over them; children that do not fit wrap into several rows, indented
under their parent, each row hanging from a trunk on the left. Whole trees (the roots) wrap the same way.
In a map too wide for a page, small subtrees become indented lists, each child under the one before.
Every subtree is a block that no other block enters, so no two boxes overlap. A map too big to read is cut
below a depth (``prune``): a node there keeps a count of what it hides, drawn as a tab under its box. In
a map too big to print legibly on one sheet, the trees of the first level that branches get a tab too
(``mark``), leading to a map of their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

BOX_W, BOX_H = 200, 92  # a box: two lines of title, owner, progress bar, status
TAB_H = 24  # the "+N below" tab under a box whose subtree is cut
H_GAP, V_GAP = 20, 40  # between sibling blocks, and between a parent and its children
ROOT_GAP = 40  # between whole trees
INDENT, TRUNK = 32, 14  # children in several rows are indented; the trunk runs at x = TRUNK from the parent's left
S_GAP = 12  # between the boxes of an indented list
OUTLINE_BOXES = 6  # subtrees this small are drawn as indented lists, far narrower than rows, in a wide map
PAD = 8  # around the whole map
ASPECT = math.sqrt(2)  # A-series paper, landscape: a big map is shaped to fill a printed sheet
MIN_WIDTH = 1400  # a map up to this wide is never wrapped: it shrinks to fit a page (a wider one scrolls sideways)
BUDGET = 250  # most boxes on one map: deeper levels are cut until it fits (see prune)
PRINTABLE = 60  # most boxes that print legibly on one A3 sheet: a bigger map's trees get maps of their own
MAX_DEPTH = 6  # most levels on one map


@dataclass(frozen=True)
class Node:
    key: str
    children: tuple["Node", ...] = ()
    hidden: int = 0  # descendants cut from this map (drawn on their own map)
    mapped: bool = False  # its tree is also drawn on a map of its own, to print

    @property
    def tab(self) -> bool:
        return bool(self.hidden or self.mapped)


@dataclass(frozen=True)
class Box:
    key: str
    x: float
    y: float
    depth: int
    hidden: int = 0
    mapped: bool = False
    width: float = BOX_W
    height: float = BOX_H


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    lines: tuple[tuple[float, float, float, float], ...]  # (x1, y1, x2, y2), each horizontal or vertical


@dataclass
class _Block:
    """A subtree laid out with its origin at (0, 0); ``anchor`` is the x of its root box's centre."""

    width: float
    height: float
    anchor: float
    boxes: list[Box] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)

    def place(self, into: "_Block", dx: float, dy: float) -> None:
        into.boxes += [Box(b.key, b.x + dx, b.y + dy, b.depth, b.hidden, b.mapped) for b in self.boxes]
        into.lines += [(x1 + dx, y1 + dy, x2 + dx, y2 + dy) for x1, y1, x2, y2 in self.lines]


def size(node: Node) -> int:
    """The boxes of a subtree, its root included."""
    return 1 + sum(size(c) for c in node.children)


def prune(forest: tuple[Node, ...], budget: int = BUDGET, max_depth: int = MAX_DEPTH) -> tuple[Node, ...]:
    """The forest cut below the deepest level at which it still has at most ``budget`` boxes (and at
    most ``max_depth`` levels); the roots are always kept, and so are the children of a single root
    (the map of a cut subtree always shows more than the box it was cut at). A node on the last kept
    level keeps the count of its cut descendants in ``hidden``."""
    levels, level = [], list(forest)
    while level:
        levels.append(len(level))
        level = [c for n in level for c in n.children]
    depth = min(1 if len(forest) > 1 else 2, len(levels))
    total = sum(levels[:depth])
    while depth < min(len(levels), max_depth) and total + levels[depth] <= budget:
        total += levels[depth]
        depth += 1

    def cut(node: Node, d: int) -> Node:
        if d == depth - 1:
            return Node(node.key, (), node.hidden + size(node) - 1) if node.children else node
        return Node(node.key, tuple(cut(c, d + 1) for c in node.children), node.hidden)

    return tuple(cut(n, 0) for n in forest)


def mark(forest: tuple[Node, ...], printable: int = PRINTABLE) -> tuple[Node, ...]:
    """In a map of more than ``printable`` boxes, the nodes with children on the first level that has
    two of them are marked: their trees get maps of their own, each small enough to print."""
    if sum(size(n) for n in forest) <= printable:
        return forest
    level, depth = list(forest), 0
    while level and sum(1 for n in level if n.children) < 2:
        level, depth = [c for n in level for c in n.children], depth + 1
    if not level:
        return forest

    def marked(node: Node, d: int) -> Node:
        if d == depth:
            return Node(node.key, node.children, node.hidden, bool(node.children))
        return Node(node.key, tuple(marked(c, d + 1) for c in node.children), node.hidden, node.mapped)

    return tuple(marked(n, 0) for n in forest)


def plan(forest: tuple[Node, ...]) -> tuple[Node, ...]:
    """What one map shows: cut to the budget, then its trees marked when it is too big to print."""
    return mark(prune(forest))


def cut_nodes(forest: tuple[Node, ...]) -> list[str]:
    """Keys of the nodes that hide a subtree or head a marked tree: each gets its own map."""
    found, stack = [], list(forest)
    while stack:
        node = stack.pop(0)
        if node.tab:
            found.append(node.key)
        stack[:0] = node.children
    return found


def layout(forest: tuple[Node, ...]) -> Layout:
    """The map of a forest: every child in a row under its parent when that is at most MIN_WIDTH wide;
    else with the lowest levels as indented lists, wrapped at the width (at least MIN_WIDTH) whose map is
    closest in shape to a landscape A-series sheet."""
    natural = _arrange(forest, math.inf, 0)
    if natural.width <= MIN_WIDTH:
        return _finish(natural)
    narrow = _arrange(forest, math.inf, OUTLINE_BOXES)
    candidates = [_arrange(forest, MIN_WIDTH * 1.25 ** k, OUTLINE_BOXES) for k in range(16) if MIN_WIDTH * 1.25 ** k < narrow.width]
    candidates.append(narrow)
    best = min(candidates, key=lambda b: (abs(math.log(b.width / b.height / ASPECT)), b.width * b.height))
    return _finish(best)


def _finish(block: _Block) -> Layout:
    whole = _Block(block.width + 2 * PAD, block.height + 2 * PAD, block.anchor + PAD)
    block.place(whole, PAD, PAD)
    return Layout(whole.width, whole.height, tuple(whole.boxes), tuple(whole.lines))


def _arrange(forest: tuple[Node, ...], width: float, outline: int) -> _Block:
    """Whole trees side by side, wrapping into rows no wider than ``width`` (one tree per row at least);
    subtrees of at most ``outline`` boxes are indented lists."""
    blocks = [_subtree(n, 0, width, outline) for n in forest]
    whole = _Block(0, 0, 0)
    for row in _rows(blocks, width, ROOT_GAP):
        x, top = 0.0, whole.height + (ROOT_GAP if whole.boxes else 0)
        for b in row:
            b.place(whole, x, top)
            x += b.width + ROOT_GAP
        whole.width = max(whole.width, x - ROOT_GAP)
        whole.height = top + max(b.height for b in row)
    return whole


def _rows(blocks: list[_Block], width: float, gap: float) -> list[list[_Block]]:
    """Blocks in order, as many to a row as fit in ``width``."""
    rows: list[list[_Block]] = []
    used = 0.0
    for b in blocks:
        if not rows or used + gap + b.width > width:
            rows.append([b])
            used = b.width
        else:
            rows[-1].append(b)
            used += gap + b.width
    return rows


def _subtree(node: Node, depth: int, width: float, outline: int) -> _Block:
    if not node.children:
        return _Block(BOX_W, _bottom(node), BOX_W / 2, [_box(node, 0, depth)])
    if size(node) <= outline:
        return _outline(node, depth)
    kids = [_subtree(c, depth + 1, max(width - INDENT, BOX_W), outline) for c in node.children]
    row_width = sum(k.width for k in kids) + H_GAP * (len(kids) - 1)
    if row_width <= width:
        return _one_row(node, depth, kids, row_width)
    return _wrapped(node, depth, kids, width)


def _box(node: Node, x: float, depth: int) -> Box:
    return Box(node.key, x, 0, depth, node.hidden, node.mapped)


def _bottom(node: Node) -> float:
    """Where lines leave a node's box: below its tab, when it has one."""
    return BOX_H + (TAB_H if node.tab else 0)


def _one_row(node: Node, depth: int, kids: list[_Block], row_width: float) -> _Block:
    """Children in one row, the parent centred over the first and last child (within the block)."""
    width = max(BOX_W, row_width)
    left = (width - row_width) / 2
    anchors, x = [], left
    for k in kids:
        anchors.append(x + k.anchor)
        x += k.width + H_GAP
    centre = min(max((anchors[0] + anchors[-1]) / 2, BOX_W / 2), width - BOX_W / 2)
    bottom = _bottom(node)
    top = bottom + V_GAP
    block = _Block(width, top + max(k.height for k in kids), centre, [_box(node, centre - BOX_W / 2, depth)])
    bus = bottom + V_GAP / 2
    block.lines += [(centre, bottom, centre, bus), (min(anchors[0], centre), bus, max(anchors[-1], centre), bus)]
    x = left
    for k, a in zip(kids, anchors):
        block.lines.append((a, bus, a, top))
        k.place(block, x, top)
        x += k.width + H_GAP
    return block


def _wrapped(node: Node, depth: int, kids: list[_Block], width: float) -> _Block:
    """Children in rows indented under the parent, each row on a bus that hangs from a trunk at the left."""
    bottom = _bottom(node)
    block = _Block(BOX_W, bottom, BOX_W / 2, [_box(node, 0, depth)])
    bus = bottom
    for row in _rows(kids, max(width - INDENT, BOX_W), H_GAP):
        top = block.height + V_GAP
        bus = top - V_GAP / 2
        x = INDENT
        for k in row:
            block.lines.append((x + k.anchor, bus, x + k.anchor, top))
            k.place(block, x, top)
            x += k.width + H_GAP
        block.lines.append((TRUNK, bus, x - H_GAP - row[-1].width + row[-1].anchor, bus))
        block.width = max(block.width, x - H_GAP)
        block.height = top + max(k.height for k in row)
    block.lines.append((TRUNK, bottom, TRUNK, bus))
    return block


def _outline(node: Node, depth: int) -> _Block:
    """The lowest levels as an indented list: each child under the one before, joined from the left."""
    bottom = _bottom(node)
    block = _Block(BOX_W, bottom, BOX_W / 2, [_box(node, 0, depth)])
    elbow = bottom
    for child in node.children:
        top = block.height + S_GAP
        kid = _outline(child, depth + 1) if child.children else _subtree(child, depth + 1, math.inf, 0)
        kid.place(block, INDENT, top)
        elbow = top + BOX_H / 2
        block.lines.append((TRUNK, elbow, INDENT, elbow))
        block.width = max(block.width, INDENT + kid.width)
        block.height = top + kid.height
    block.lines.append((TRUNK, bottom, TRUNK, elbow))
    return block
