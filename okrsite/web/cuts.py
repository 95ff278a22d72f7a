"""A site's cuts, kept from one build to the next: which owners a long period is split by
(render.split_by_owner), its review's parts (render.review_parts), its alignment list's parts
(render.period_alignment_parts), each period's map plan (alignmap.period_plan) and the objectives with a
map of their own (alignmap.own_maps). The write plan and the pages' digests ask for all of them; at
10,000 objectives making them is 0.15 s of a warm build, and a check-in changes none.

Each cut is made from the site's structure alone (``structure``): the periods' ids, each objective's id,
period, parent and owner in the site's order, and which objectives align to which (``Site.children``),
with the limits they are cut by. The build cache keeps the cuts, as ids, by the digest of that
structure; a build whose site has the same structure takes them (``seed``) instead of making them. A cut
that comes to read anything else must say it in ``structure`` (tests/web/test_cuts.py makes every cut
afresh after edits outside it and compares).
"""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any

from ..goals.model import Site, once_per_site, top_teams
from . import render, treelayout
from .alignmap import own_maps, period_plan
from .render import period_alignment_parts, review_parts, split_by_owner
from .treelayout import Node


def structure(site: Site) -> str:
    """The digest of everything the cuts are made of (see the module's docstring)."""
    objectives = [(o.id, o.period.id if o.period is not None else None, o.parent, o.owner, o.private_parent) for o in site.objectives.values()]
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: equal values, equal bytes
    pickler.dump((_limits(), list(site.periods), objectives, sorted(top_teams(site.teams)),
                  [(ident, tuple(children)) for ident, children in site.children.items()]))
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def _limits() -> tuple:
    """The limits the cuts are made by, as they are now (a test may lower them)."""
    return (render.PERIOD_PAGE_LIMIT, render.REVIEW_PAGE_LIMIT, render.ALIGNMENT_LIST_LIMIT, treelayout.prune.__defaults__,
            treelayout.mark.__defaults__)


def kept(site: Site) -> dict[str, Any]:
    """The site's cuts as ids and plain values, for the cache (made now if they were not yet)."""
    periods = list(site.periods)
    return {
        "by owner": {period: {owner: [o.id for o in mine] for owner, mine in owners.items()} for period, owners in split_by_owner(site).items()},
        "review": {period: [[(o.id, depth) for o, depth in part] for part in review_parts(site, period)] for period in periods},
        "alignment": {period: [([o.id for o in roots], count) for roots, count in period_alignment_parts(site, period)] for period in periods},
        "plan": {period: [_plain(node) for node in period_plan(site, period)] for period in periods},
        "own maps": own_maps(site),
    }


def seed(site: Site, cuts: Any) -> bool:
    """Give ``site`` the ``cuts`` that ``kept()`` made of a site of the same structure, as if it had made them;
    False (and nothing given) when they do not fit it."""
    by_owner, review, alignment = render.PERIOD_PAGE_LIMIT, render.REVIEW_PAGE_LIMIT, render.ALIGNMENT_LIST_LIMIT
    try:
        objectives = site.objectives
        made = {
            ("by owner", by_owner): {period: {owner: [objectives[i] for i in ids] for owner, ids in owners.items()}
                                              for period, owners in cuts["by owner"].items()},
            ("own maps",): list(cuts["own maps"]),
        }
        for period in site.periods:
            made["review", period, review] = [[(objectives[i], depth) for i, depth in part] for part in cuts["review"][period]]
            made["alignment", period, alignment] = [([objectives[i] for i in roots], count) for roots, count in cuts["alignment"][period]]
            made["plan", period] = tuple(_node(plain) for plain in cuts["plan"][period])
    except Exception:  # whatever the cache held: cuts that do not fit are made again
        return False
    for key, value in made.items():
        once_per_site(site, key, lambda value=value: value)
    return True


def _plain(node: Node) -> tuple:
    return node.key, [_plain(child) for child in node.children], node.hidden, node.mapped


def _node(plain: tuple) -> Node:
    key, children, hidden, mapped = plain
    return Node(key, tuple(_node(child) for child in children), hidden, mapped)
