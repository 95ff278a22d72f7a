"""The alignment map's geometry: boxes never overlap, every box is inside the map and joined to its
parent by lines, wide maps wrap towards a printable shape, and big maps are cut below a depth."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings, strategies as st

from okrsite.web.treelayout import (BOX_H, BOX_W, BUDGET, MAX_DEPTH, MIN_WIDTH, PRINTABLE, TAB_H, Layout, Node, cut_nodes,
                                    layout, mark, prune, size)


def forests(max_leaves: int = 60):
    """Random forests with unique keys (drawn as nested lists, numbered afterwards)."""
    shapes = st.recursive(st.just([]), lambda kids: st.lists(kids, max_size=7), max_leaves=max_leaves)
    counter = itertools.count()

    def build(shape) -> Node:
        return Node(f"n{next(counter)}", tuple(build(s) for s in shape))

    return st.lists(shapes, min_size=1, max_size=6).map(lambda roots: tuple(build(r) for r in roots))


def rects(drawn: Layout) -> list[tuple[str, float, float, float, float]]:
    """Each box with the tab under it when its subtree is cut: what must not overlap."""
    return [(b.key, b.x, b.y, b.x + BOX_W, b.y + BOX_H + (TAB_H if b.hidden or b.mapped else 0)) for b in drawn.boxes]


def overlaps(drawn: Layout) -> list[tuple[str, str]]:
    boxes = rects(drawn)
    return [(a[0], b[0]) for a, b in itertools.combinations(boxes, 2)
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def touches(drawn: Layout, x: float, y: float) -> bool:
    """A line ends at (x, y)."""
    return any(math.isclose(px, x) and math.isclose(py, y) for x1, y1, x2, y2 in drawn.lines for px, py in ((x1, y1), (x2, y2)))


def parents(forest) -> dict[str, str]:
    found = {}
    stack = list(forest)
    while stack:
        node = stack.pop()
        for c in node.children:
            found[c.key] = node.key
            stack.append(c)
    return found


@settings(max_examples=150, deadline=None)
@given(forests(), st.booleans())
def test_boxes_never_overlap_and_stay_inside_the_map(forest, tabs):
    drawn = layout(mark(prune(forest, 30), printable=5) if tabs else forest)
    assert not overlaps(drawn)
    if not tabs:
        assert sorted(b.key for b in drawn.boxes) == sorted(k for n in forest for k in _keys(n))
    for _, x1, y1, x2, y2 in rects(drawn):
        assert 0 <= x1 and x2 <= drawn.width and 0 <= y1 and y2 <= drawn.height
    for x1, y1, x2, y2 in drawn.lines:
        assert x1 == x2 or y1 == y2, "lines run across or down"
        assert 0 <= min(x1, x2) and max(x1, x2) <= drawn.width and 0 <= min(y1, y2) and max(y1, y2) <= drawn.height


@settings(max_examples=100, deadline=None)
@given(forests())
def test_every_child_hangs_below_its_parent_on_a_line(forest):
    forest = mark(forest, printable=5)  # a tab under a box moves its lines down, below the tab
    drawn = layout(forest)
    at = {b.key: b for b in drawn.boxes}
    for child, parent in parents(forest).items():
        c, p = at[child], at[parent]
        assert c.y >= p.y + BOX_H + (TAB_H if p.mapped else 0), f"{child} is not below {parent}"
        assert touches(drawn, c.x + BOX_W / 2, c.y) or touches(drawn, c.x, c.y + BOX_H / 2), f"no line reaches {child}"


def test_a_small_map_keeps_every_child_in_one_row_under_its_parent():
    forest = (Node("a", (Node("b"), Node("c"), Node("d"))),)
    drawn = layout(forest)
    at = {b.key: b for b in drawn.boxes}
    assert at["b"].y == at["c"].y == at["d"].y > at["a"].y
    assert at["a"].x + BOX_W / 2 == (at["b"].x + at["d"].x + BOX_W) / 2, "the parent is centred over its children"
    assert drawn.width < MIN_WIDTH


def test_a_wide_map_wraps_towards_a_landscape_sheet():
    forest = tuple(Node(f"r{i}", tuple(Node(f"r{i}c{j}", tuple(Node(f"r{i}c{j}g{k}") for k in range(3))) for j in range(5)))
                   for i in range(6))  # 6 × 5 × 3 leaves: 120 side by side would be 26,000 wide
    drawn = layout(forest)
    assert not overlaps(drawn)
    assert MIN_WIDTH <= drawn.width < 8000
    assert 0.9 < drawn.width / drawn.height < 2.2


def test_prune_keeps_the_roots_and_cuts_below_the_deepest_level_within_the_budget():
    chain = Node("c0")
    for i in range(1, MAX_DEPTH + 3):
        chain = Node(f"c{i}", (chain,))
    cut = prune((chain,))
    assert len(list(_keys(cut[0]))) == MAX_DEPTH
    assert cut_nodes(cut) == [f"c{MAX_DEPTH + 2 - (MAX_DEPTH - 1)}"]
    wide = tuple(Node(f"r{i}", tuple(Node(f"r{i}-{j}") for j in range(3))) for i in range(BUDGET))
    cut = prune(wide)
    assert [n.key for n in cut] == [n.key for n in wide] and all(n.hidden == 3 and not n.children for n in cut)


def test_the_map_of_one_root_shows_its_children_however_many():
    star = (Node("root", tuple(Node(f"c{i}", (Node(f"g{i}"),)) for i in range(BUDGET + 50))),)
    cut = prune(star)
    assert len(cut[0].children) == BUDGET + 50 and cut_nodes(cut) == [f"c{i}" for i in range(BUDGET + 50)]
    assert not overlaps(layout(cut))


@given(forests(), st.integers(1, 40))
def test_prune_shows_and_hides_every_node_once(forest, budget):
    cut = prune(forest, budget)
    shown = sum(size(n) for n in cut)
    hidden = sum(b for n in cut for b in _hidden(n))
    assert shown + hidden == sum(size(n) for n in forest)
    assert shown <= budget or len(cut) > budget or shown == len(cut) or (len(cut) == 1 and shown == 1 + len(cut[0].children))
    originals = {n.key: n for n in _nodes(forest)}
    for key in cut_nodes(cut):  # the map of a cut subtree shows more than the box it was cut at: no endless maps
        assert sum(size(n) for n in prune((originals[key],), budget)) > 1


def _keys(node: Node):
    yield node.key
    for c in node.children:
        yield from _keys(c)


def _hidden(node: Node):
    yield node.hidden
    for c in node.children:
        yield from _hidden(c)


def test_a_map_too_big_to_print_marks_the_trees_of_its_first_branching_level():
    small = tuple(Node(f"r{i}", (Node(f"r{i}c"),)) for i in range(3))
    assert mark(small) == small
    company = tuple(Node(f"r{i}", tuple(Node(f"r{i}-{j}", (Node(f"r{i}-{j}-x"),)) for j in range(5))) for i in range(6))
    assert sum(size(n) for n in company) > PRINTABLE
    assert [n.mapped for n in mark(company)] == [True] * 6 and cut_nodes(mark(company)) == [f"r{i}" for i in range(6)]
    one = (Node("top", company),)  # one company objective: its children head the printable trees
    marked = mark(one)
    assert not marked[0].mapped and all(c.mapped for c in marked[0].children)
    assert cut_nodes(marked) == [f"r{i}" for i in range(6)]


def _nodes(forest):
    for node in forest:
        yield node
        yield from _nodes(node.children)
