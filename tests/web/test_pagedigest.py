"""Page digests (okrsite/web/pagedigest.py): what decides whether a warm build keeps a page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields, replace

import pytest

from okrsite.build import check_site
from okrsite.web import pagedigest
from okrsite.web.pagedigest import DEPENDS, LISTS, PINNED, Digests, pin
from okrsite.web.plan import Output
from okrsite.web.render import PageSpec, View

from ..conftest import REPO, write_files


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
    # the example has no map of its own, and its alignment list is one page (its maps' and lists', no subject)
    assert kept and {templates[path] for path in kept} == (set(DEPENDS) | set(LISTS)) & set(templates.values())
    assert "alignment/index.html" in kept
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
    assert "search/index.html" in changed  # the A–Z list shows its title
    assert "objectives/reach-500k-mrr/index.html" not in changed and "kpis/p95-query-latency/index.html" not in changed



def test_a_review_s_digest_follows_the_objectives_below_a_roll_up_that_decide_its_carry_over_command(tmp_path):
    """The Review of 2026 names, for a yearly roll-up over a half-year's over a quarter's objective, the
    quarter's carry-over (View._children_first): once the quarter's objective is continued, the command
    is another, though the year's record is the same; its digest follows the objectives below too."""
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "c"\nas_of = 2027-01-04\n', "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/grow-2026.md": "---\ntitle: Grow in 2026\nperiod: 2026\nowner: co\n---\n",
        "content/objectives/grow-h2.md": "---\ntitle: Grow in H2\nperiod: 2026-H2\nowner: co\nparent: grow-2026\n---\n",
        "content/objectives/sell-q4.md": "---\ntitle: Sell\nperiod: 2026-Q4\nowner: co\nparent: grow-h2\nkey_results: [{title: D, target: 10, current: 5}]\n---\n",
        "content/objectives/hire.md": "---\ntitle: Hire\nperiod: 2027-Q1\nowner: co\nkey_results: [{title: D, target: 10}]\n---\n"})
    checked = check_site(root)
    site, review = checked.loaded.site, [o for o in checked.plan if o.path == "periods/2026/review/index.html"]
    view = View(site, checked.scores, checked.loaded.settings)
    continued = View(replace(site, followed_by={**site.followed_by, "sell-q4": ("hire",)}), checked.scores, checked.loaded.settings)
    year = site.objectives["grow-2026"]
    assert (view.carry_over_command(year), continued.carry_over_command(year)) == ("okrsite carry-over 2026-Q4 2027-Q1", "")  # then no run carries it
    assert digests_of(view, review) != digests_of(continued, review)

def test_the_page_of_the_maps_follows_each_map_s_plan(example, monkeypatch):
    """alignment/ (without a subject) is digested from each period's map plan, the records of the
    objectives in its boxes, and its list: a plan that marks trees for maps of their own (the same
    boxes, tabs under some) is another page."""
    from okrsite.web import treelayout

    checked, view = example
    page = [output for output in checked.plan if output.path == "alignment/index.html"]
    first = digests_of(view, page)
    assert digests_of(view, page) == first  # the plan is made again once the digest has let it go
    monkeypatch.setattr(treelayout.mark, "__defaults__", (3,))
    assert digests_of(view, page) != first


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


def test_a_record_follows_every_field_of_an_objective_and_its_key_results(example):
    """Records are digests of the model's values (pickled): a change in any field shows, and so does
    a change in the text of its file; where a key sits in the file does not (no page shows it)."""
    checked, view = example
    site = view.site
    o = site.objectives["answer-customers-faster"]
    before = Digests(view, b"base", b"site", True).records.of(o.id)

    def record(changed) -> bytes:
        changed_site = replace(site, objectives={**site.objectives, o.id: changed})
        return Digests(View(changed_site, view.scores, view.settings), b"base", b"site", True).records.of(o.id)

    others = {str: "x", bool: True, float: 0.5, int: 7, tuple: ("x",)}
    for f in fields(o):
        value = getattr(o, f.name)
        if f.name in ("doc", "key_results") or not isinstance(value, tuple(others)):
            continue  # key results: below, as key results
        changed = others[type(value)] if value != others[type(value)] else type(value)()
        assert record(replace(o, **{f.name: changed})) != before, f.name
    kr = o.key_results[0]
    assert record(replace(o, key_results=(replace(kr, weight=kr.weight + 1), *o.key_results[1:]))) != before
    assert record(replace(o, doc=replace(o.doc, body=o.doc.body + "more"))) != before
    assert record(replace(o, doc=replace(o.doc, meta={**o.doc.meta, "note": "x"}))) != before
    assert record(replace(o, doc=replace(o.doc, lines={}, body_line=99))) == before


def test_a_record_is_the_same_whichever_objects_hold_equal_values(example):
    """The same values give the same record, whether one object or equal copies hold them (an
    unchanged file's objects come from the cache, a changed one's are read again): no pickle memo."""
    checked, view = example
    site = view.site
    o = site.objectives["answer-customers-faster"]

    def record(owner_of_each) -> bytes:
        changed = replace(o, key_results=tuple(replace(kr, owner=owner_of_each()) for kr in o.key_results))
        changed_site = replace(site, objectives={**site.objectives, o.id: changed})
        return Digests(View(changed_site, view.scores, view.settings), b"base", b"site", True).records.of(o.id)

    assert len(o.key_results) > 1 and len(o.owner) > 1
    assert record(lambda: o.owner) == record(lambda: "".join(list(o.owner)))  # one string object, or a copy each


def test_what_pickle_refuses_is_digested_by_its_repr():
    class Local:  # a class defined in a function cannot be pickled
        def __init__(self, text: str) -> None:
            self.text = text

        def __repr__(self) -> str:
            return self.text

    assert pagedigest._digest(Local("a")) == pagedigest._digest(Local("a")) != pagedigest._digest(Local("b"))


def test_a_known_digest_stands_for_the_very_object_it_was_made_for_only(example):
    """The build cache passes the digests of the objects it took unchanged; an object that linking or
    the audience replaced (equal or not) is digested again."""
    from okrsite.web.pagedigest import Records

    checked, view = example
    o = view.site.objectives["answer-customers-faster"]
    made = Records(view)
    made.of(o.id)
    assert made.entities[id(o)] == (o, pagedigest._digest(o))
    assert Records(view, {id(o): (o, made.entities[id(o)][1])}).of(o.id) == made.of(o.id)
    assert Records(view, {id(o): (o, b"another digest..")}).of(o.id) != made.of(o.id)
    other = replace(o)
    assert Records(view, {id(other): (other, b"another digest..")}).of(o.id) == made.of(o.id)


def test_the_search_index_digest_follows_every_entry_and_not_the_rest(example):
    """The index's digest is made of each object's entries without status (its part, kept from build
    to build by the object's digest) and the statuses: any change of an entry, a team's title or a
    person's teams changes it, a new value of a key result that changes no status does not; and the
    parts of the last build give the digest that making every part again gives."""
    from okrsite.web.pagedigest import Records, search_index_digest

    checked, view = example
    site = view.site
    o = site.objectives["answer-customers-faster"]

    def digest(changed_site=site, scores=view.scores, were=None) -> tuple[bytes, bytes]:
        changed = View(changed_site, scores, view.settings)
        return search_index_digest(changed, b"base", Records(changed), were)

    def with_objective(changed) -> bytes:
        return digest(replace(site, objectives={**site.objectives, o.id: changed}))[0]

    before, parts = digest()
    assert digest(were=parts) == (before, parts)
    assert len(parts) % 32 == 0 and digest(were=b"".join(parts[at:at + 16] + b"made before....." for at in range(0, len(parts), 32)))[0] != before
    assert digest(were=parts[:-1]) == (before, parts)  # a damaged value: every part made again
    kr = o.key_results[0]
    assert with_objective(replace(o, key_results=(replace(kr, current=(kr.current or 0) + 1), *o.key_results[1:]))) == before
    assert with_objective(replace(o, key_results=(replace(kr, title="Another"), *o.key_results[1:]))) != before
    assert with_objective(replace(o, tags=("another",))) != before
    assert with_objective(replace(o, doc=replace(o.doc, body="Other words. " + o.doc.body))) != before
    status = view.scores.objectives[o.id]
    other = "missed" if status.status != "missed" else "on-track"
    assert digest(scores=replace(view.scores, objectives={**view.scores.objectives, o.id: replace(status, status=other)}))[0] != before
    team = next(iter(site.teams.values()))
    assert digest(replace(site, teams={**site.teams, team.id: replace(team, title="Renamed")}))[0] != before
    name, person = next(iter(site.people.items()))
    assert digest(replace(site, people={**site.people, name: replace(person, teams=())}))[0] != before
    assert digest(replace(site, objectives={i: x for i, x in site.objectives.items() if i != o.id}))[0] != before


def test_the_a_to_z_rows_are_what_the_list_shows_of_the_entries(example):
    """Pages of the A–Z list are digested from web/search.py's ``listed``, which must be the list's
    entries as the page shows them (title, kind, address, detail), in its order."""
    from okrsite.web.search import listed, listing, search_entries

    checked, view = example
    entries = listing(search_entries(view.site, view.scores))
    assert listed(view.site) == [(e.title, e.kind, e.url, e.detail) for e in entries] and len(entries) > 20


def test_digesting_the_site_leaves_its_objects_as_they_were(example):
    """The digests pickle the model by its fields (goals/pickling.py): the default way would leave a
    dict of its attributes on each object digested, for as long as the build lives."""
    import gc

    checked, view = example
    digests_of(view, checked.plan)
    objects = [kr for o in view.site.objectives.values() for kr in o.key_results] + list(view.scores.objectives.values())
    assert objects and not [thing for thing in objects if any(isinstance(r, dict) for r in gc.get_referents(thing))]


def test_a_page_digest_follows_the_day_a_kpi_s_health_was_set_by_hand_and_whether_it_is_stale(example):
    """QA FJ: a KPI's badge says "(set by Product on 2026-10-01)" and "◷ stale" on its page, as it stands,
    and on a finished period's review, as it stood at the period's end (the summary's table of states).
    Digested by value as on a public site: an internal one's states follow from the files and the date."""
    from datetime import date

    checked, view = example
    kpis, public = view.scores.kpis, replace(view.settings, audience="public")

    def digests(**changed) -> dict[str, bytes]:
        changed_view = View(view.site, replace(view.scores, kpis={**kpis, "mrr": replace(kpis["mrr"], **changed)}), public)
        for period in view.site.periods.values():
            changed_view.ends[period.id] = [(k, replace(state, **changed) if k.id == "mrr" else state) for k, state in view.kpis_at_end(period)]
        return digests_of(changed_view, checked.plan)

    before = digests(health_set=None, health_stale=False, stale=False)
    for after in (digests(health_set=date(2026, 10, 1)), digests(health_set=date(2026, 6, 1), health_stale=True, stale=True)):
        changed = {path for path in before if before[path] != after[path]}
        assert {"kpis/mrr/index.html", "periods/2026-q3/review/index.html"} <= changed
        assert "kpis/p95-query-latency/index.html" not in changed
