"""A team that owns key results of objectives it does not own: its page lists them, as a person's page does (SPEC §9)."""

import html
import re

from okrsite.build import build

from ..conftest import write_files

GROW = """---
title: Grow the business
period: 2026-Q4
owner: company
key_results:
  - {title: Deliver to 40 new towns, target: 40, current: 12, owner: sales}
  - {title: Sign 5 wholesale partners, target: 5, current: 1, owner: Rosa Lind}
  - {title: Keep the lights on, target: 1, current: 0}
---
"""

OWN = """---
title: Sell more
period: 2026-Q4
owner: sales
key_results:
  - {title: Close 10 deals, target: 10, current: 2, owner: sales}
---
"""


def _section(page: str, ident: str) -> str:
    found = re.search(rf'<section aria-labelledby="{ident}">(.*?)</section>', page, re.S)
    return found[1] if found else ""


def test_a_team_page_lists_the_key_results_it_owns_in_others_objectives_linked_both_ways(base_site, tmp_path):
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n',
                            "content/objectives/grow.md": GROW, "content/objectives/sell.md": OWN})
    out = tmp_path / "out"
    assert build(base_site, out).ok
    objective = html.unescape((out / "objectives/grow/index.html").read_text())
    team = html.unescape((out / "teams/sales/index.html").read_text())
    person = html.unescape((out / "people/rosa-lind/index.html").read_text())
    assert 'href="../../teams/sales/index.html"' in objective
    krs = _section(team, "krs")
    assert '<h2 id="krs">Key results</h2>' in krs
    assert re.search(r'<a href="../../objectives/grow/index.html#[^"]+" dir="auto">Deliver to 40 new towns</a> · <span class="nowrap">\d+ %</span> <span class="muted">in '
                     r'<a href="../../objectives/grow/index.html" dir="auto">Grow the business</a> \(<span class="nowrap">2026-Q4</span>, ', krs)
    assert "Sign 5 wholesale" not in krs and "Close 10 deals" not in krs  # another owner's; its own objective's (listed above)
    assert "Sign 5 wholesale partners</a> · <span class=\"nowrap\">20 %</span> <span class=\"muted\">in <a href=\"../../objectives/grow/index.html\" dir=\"auto\">Grow the business</a> (<span class=\"nowrap\">2026-Q4</span>, " in _section(person, "krs")  # the same list
    company = html.unescape((out / "teams/company/index.html").read_text())
    assert 'id="krs"' not in company


def test_a_warm_build_lists_a_key_result_on_the_team_page_once_the_team_owns_it(base_site, tmp_path):
    """The build cache keeps a team's page only while the objectives it owns key results of are the same."""
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/grow.md": GROW.replace("owner: sales}", "owner: company}")})
    out = tmp_path / "out"
    assert build(base_site, out).ok
    assert 'id="krs"' not in (out / "teams/sales/index.html").read_text()
    write_files(base_site, {"content/objectives/grow.md": GROW})
    assert build(base_site, out).ok
    assert "Deliver to 40 new towns" in _section((out / "teams/sales/index.html").read_text(), "krs")


def test_a_theme_may_ask_for_key_results_by_the_person_or_team_or_by_name(base_site, tmp_path):
    """view.key_results_of takes a person or a team as the template has it, or a name or id: a person
    object gave an empty list, silently."""
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/grow.md": GROW,
                            "theme/templates/page.html": '{% extends "base.html" %}{% block main %}'
                            "<p id=by>{% for owner in [site.people['Rosa Lind'], 'Rosa Lind', site.teams['sales'], 'sales'] %}"
                            "{{ view.key_results_of(owner) | map(attribute=1) | map(attribute='title') | join(',') }};{% endfor %}</p>{% endblock %}",
                            "content/about.md": "About.\n"})
    out = tmp_path / "out"
    assert build(base_site, out).ok
    said = re.search(r"<p id=by>(.*?)</p>", (out / "about/index.html").read_text())[1]
    assert said == "Sign 5 wholesale partners;Sign 5 wholesale partners;Deliver to 40 new towns;Deliver to 40 new towns;"


def test_a_lead_who_owns_no_objective_is_pointed_to_the_team_s_not_told_none(base_site, tmp_path):
    """Elena Petrova leads Go-to-Market (3 objectives) and owns none herself: her page said
    "Objectives: None.", which reads as if she had no goals. One who leads no team still reads "None"."""
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/sell.md": OWN,
                            "content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: Elena Petrova\nmembers: [Bo Chen]\n---\n"})
    out = tmp_path / "out"
    assert build(base_site, out).ok
    lead = _section((out / "people/elena-petrova/index.html").read_text(), "objs")
    assert re.search(r'<p class="team-objectives">Their team\'s objectives: <a href="[^"]*teams/sales/index.html"[^>]*>Sales</a>\.</p>', lead), lead
    assert "None." in _section((out / "people/bo-chen/index.html").read_text(), "objs")


def test_every_person_page_points_to_the_objectives_of_the_teams_they_belong_to_whatever_they_own(base_site, tmp_path):
    """QA: Ana Souza's page said "Member of Platform. Objectives: None." though Platform has three
    objectives, and a lead who owns one objective got no pointer to the team's. Every person in a team
    reads "Their team's objectives: Sales" (the teams they lead first), under their own objectives or "None."."""
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n', "content/objectives/sell.md": OWN,
                            "content/objectives/mine.md": OWN.replace("title: Sell more", "title: My own").replace("owner: sales", "owner: Elena Petrova"),
                            "content/objectives/hers.md": OWN.replace("title: Sell more", "title: Hers").replace("owner: sales", "owner: Rosa Lind"),
                            "content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: Elena Petrova\nmembers: [Bo Chen]\n---\n",
                            "content/teams/support.md": "---\ntitle: Support\nparent: company\nmembers: [Bo Chen]\n---\n"})
    out = tmp_path / "out"
    assert build(base_site, out).ok

    def said(person: str) -> str:
        return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _section((out / f"people/{person}/index.html").read_text(), "objs")))).strip()

    assert said("elena-petrova").endswith("My own 20 % ■ off-track 2026-Q4 Their team's objectives: Sales ."), said("elena-petrova")
    assert said("bo-chen") == "Objectives None. Their teams' objectives: Sales , Support .", said("bo-chen")
    assert said("rosa-lind").endswith("Hers 20 % ■ off-track 2026-Q4")  # in no team: nothing to point to


def test_a_key_result_of_a_private_objective_has_its_lock_in_the_owners_list(base_site, tmp_path):
    """QA BR: a person's list of key results showed one of a private objective without the lock every
    other list shows (internal site); the public site leaves it out."""
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2026-11-23\n',
                            "content/objectives/grow.md": GROW.replace("owner: company\n", "owner: company\nprivate: true\n")})
    out = tmp_path / "out"
    assert build(base_site, out).ok
    krs = _section((out / "people/rosa-lind/index.html").read_text(), "krs")
    assert re.search(r'>Grow the business</a> <span class="badge lock">.*? private</span> \(', krs, re.S), krs
