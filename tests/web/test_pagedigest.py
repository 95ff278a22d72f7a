"""Page digests (okrsite/web/pagedigest.py): what decides whether a warm build keeps a page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from okrsite.build import check_site
from okrsite.web import pagedigest
from okrsite.web.pagedigest import DEPENDS, LISTS, PINNED, Digests, pin
from okrsite.web.plan import Output
from okrsite.web.render import PageSpec, View

from ..conftest import REPO


@pytest.fixture(scope="module")
def example():
    checked = check_site(REPO)
    view = View(checked.loaded.site, checked.scores, checked.loaded.settings)
    return checked, view


def digests_of(view: View, plan, whole: bytes = b"site", precise: bool = True) -> dict[str, bytes]:
    found = Digests(view, b"base", whole, precise)
    return {output.path: found.of(output) for output in plan}


def test_the_dependencies_were_checked_against_this_default_theme():
    """DEPENDS lists what each default template reads. When a template or render.py changes, read
    the change, bring DEPENDS up to date with it, then set PINNED to the new value. Until then every
    page of the default theme is rendered again on any change (correct, only slower)."""
    assert pin() == PINNED, (
        f"the default templates or render.py changed: check that DEPENDS in okrsite/web/pagedigest.py still names "
        f"everything each template reads, then set PINNED = \"{pin()}\""
    )


def test_only_a_page_of_a_known_template_keeps_its_digest_when_something_else_changes(example):
    checked, view = example
    one, other = digests_of(view, checked.plan, b"one"), digests_of(view, checked.plan, b"other")
    kept = {path for path in one if one[path] == other[path]}
    templates = {output.path: output.page.template for output in checked.plan if output.page}
    assert kept and {templates[path] for path in kept} == (set(DEPENDS) | set(LISTS)) & set(templates.values())  # the example has no map of its own
    assert "okrs.json" not in kept and "style.css" not in kept and "index.html" not in kept
    new_kind = Output("teams/overview/index.html", PageSpec("teams/overview/", "teams-overview.html"))
    assert digests_of(view, [new_kind], b"one") != digests_of(view, [new_kind], b"other")


def test_with_templates_of_its_own_or_another_default_theme_every_page_follows_the_whole_site(example, monkeypatch):
    checked, view = example
    own = digests_of(view, checked.plan, b"one", precise=False), digests_of(view, checked.plan, b"other", precise=False)
    assert all(own[0][path] != own[1][path] for path in own[0])
    monkeypatch.setattr(pagedigest, "PINNED", "another")
    assert not Digests(view, b"base", b"site", True).precise


def test_a_page_digest_follows_what_the_page_shows(example):
    checked, view = example
    site = view.site
    before = digests_of(view, checked.plan)
    o = site.objectives["answer-customers-faster"]
    renamed = replace(site, objectives={**site.objectives, o.id: replace(o, title="Renamed")})
    after = digests_of(View(renamed, view.scores, view.settings), checked.plan)
    changed = {path for path in before if before[path] != after[path]}
    assert "objectives/answer-customers-faster/index.html" in changed
    assert f"objectives/{o.parent}/index.html" in changed  # lists it as an aligned objective
    assert "periods/2026-q4/index.html" in changed and "periods/2026-q4/review/index.html" in changed
    assert "kpis/support-first-response-time/index.html" in changed  # a key result measured by it
    assert "objectives/reach-500k-mrr/index.html" not in changed and "kpis/p95-query-latency/index.html" not in changed


def test_digests_are_the_same_in_every_process():
    """Records are made of reprs: nothing in them may depend on the process (an address, a set's order)."""
    script = (
        "import json, sys; from okrsite.build import check_site; from okrsite.web.pagedigest import Digests; "
        "from okrsite.web.render import View; c = check_site(sys.argv[1]); "
        "v = View(c.loaded.site, c.scores, c.loaded.settings); d = Digests(v, b'b', b's', True); "
        "print(json.dumps({o.path: d.of(o).hex() for o in c.plan}))"
    )
    runs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
        done = subprocess.run([sys.executable, "-c", script, str(REPO)], env=env, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
