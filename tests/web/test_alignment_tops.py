"""The tops of a period's alignment trees, the same on every page that lists them (the home page's
top objectives, the review, the alignment list and its map): the company's first, then those aligned
to an objective of another period, then orphans, each kind in the site's order (QA BY: a person's
orphan objective, its file first by name, headed the dashboard, the review and the map)."""

from __future__ import annotations

import re

from okrsite.build import build
from okrsite.goals.model import alignment_tops
from okrsite.goals.repository import load_site

from ..conftest import write_files

FILES = {
    "okrsite.toml": 'title = "Tops"\nas_of = 2026-11-23\ngit_history = false\n',
    "content/teams/company.md": "---\ntitle: Tidewater\n---\n",
    "content/teams/sales.md": "---\ntitle: Sales\nparent: company\n---\n",
    "content/objectives/aaa-orphan.md": "---\ntitle: Halve the docs backlog\nperiod: 2026-Q4\nowner: Oskar Ferreira\nkey_results:\n  - {title: k, target: 10, current: 9}\n---\n",
    "content/objectives/bbb-year.md": "---\ntitle: Become the analytics tool\nperiod: 2026\nowner: company\nkey_results:\n  - {title: k, target: 10, current: 5}\n---\n",
    "content/objectives/ccc-quarter.md": "---\ntitle: Win the Nordics\nperiod: 2026-Q4\nowner: sales\nparent: bbb-year\nkey_results:\n  - {title: k, target: 10, current: 5}\n---\n",
    "content/objectives/ddd-company.md": "---\ntitle: Grow recurring revenue\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {title: k, target: 10, current: 5}\n---\n",
}
ORDER = ["Grow recurring revenue", "Win the Nordics", "Halve the docs backlog"]


def in_order(html: str, titles=ORDER) -> list[str]:
    found = sorted((html.index(t), t) for t in titles if t in html)
    return [t for _, t in found]


def test_the_company_s_objectives_head_every_list_of_a_period_s_tops(tmp_path):
    root = write_files(tmp_path / "site", FILES)
    loaded = load_site(root)
    q4 = [o for o in loaded.site.objectives.values() if o.period.id == "2026-Q4"]
    assert [o.id for o in alignment_tops(loaded.site, q4)] == ["ddd-company", "ccc-quarter", "aaa-orphan"]
    out = tmp_path / "out"
    assert build(root, out).ok
    read = lambda page: (out / page).read_text(encoding="utf-8")
    home = read("index.html").split("Needs attention")[0]
    assert in_order(home) == ORDER
    assert in_order(read("periods/2026-q4/review/index.html")) == ORDER
    alignment = read("alignment/index.html").split('id="map-2026-q4"')[1].split('id="map-2026"')[0]
    map_part, list_part = alignment.split("</svg>", 1)
    assert in_order(list_part) == ORDER
    boxes = re.findall(r'<a [^>]*href="[^"]*objectives/([^/]+)/', map_part)
    assert [b for b in dict.fromkeys(boxes) if b in ("ddd-company", "ccc-quarter", "aaa-orphan")] == ["ddd-company", "ccc-quarter", "aaa-orphan"]


def test_a_period_page_lists_the_company_s_objectives_first_then_owners_by_the_name_shown(tmp_path):
    """QA BY: the period page grouped its objectives by owner id ("support" for Customer Support, a
    person's name beside team ids), so its titles read unsorted and the company's came twelfth; and it
    said no count of them (docs/site.md: a page that counts a period's objectives names the cancelled apart)."""
    files = {**FILES,
             "content/teams/support.md": "---\ntitle: Customer Support\nparent: company\n---\n",
             "content/teams/alpha.md": "---\ntitle: Zebra crossings\nparent: company\n---\n",
             "content/objectives/eee-support.md": "---\ntitle: Answer faster\nperiod: 2026-Q4\nowner: support\nparent: ddd-company\n"
                                                  "key_results:\n  - {title: k, target: 10, current: 5}\n---\n",
             "content/objectives/fff-alpha.md": "---\ntitle: Paint stripes\nperiod: 2026-Q4\nowner: alpha\nparent: ddd-company\nstatus: cancelled\n"
                                                "key_results:\n  - {title: k, target: 10, current: 5}\n---\n"}
    root = write_files(tmp_path / "site", files)
    out = tmp_path / "out"
    assert build(root, out).ok
    page = (out / "periods/2026-q4/index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<section class="group"><h2>(.*?)</h2>', page)
    shown = [re.sub(r"<[^>]+>", "", h).strip() for h in headings]
    assert shown == ["Tidewater", "Customer Support", "Oskar Ferreira", "Sales", "Zebra crossings"], shown
    assert "4 objectives (and 1 cancelled)" in page


def test_the_alignment_list_marks_an_objective_of_another_period_with_its_period(tmp_path):
    """QA BU: the FY27 map said "2 objectives" and that "the list below the map holds the same
    objectives", and the list then held its 11, quarters and months among them, none saying its period."""
    root = write_files(tmp_path / "site", FILES)
    out = tmp_path / "out"
    assert build(root, out).ok
    page = (out / "alignment/index.html").read_text(encoding="utf-8")
    year = page.split('id="map-2026"')[1]
    quarter = page.split('id="map-2026-q4"')[1].split('id="map-2026"')[0]
    node = lambda part, ident: part.split(f'data-objective-node="{ident}"')[1].split("</a>")[0]
    assert " · 2026-Q4" in node(year, "ccc-quarter") and " · 2026-Q4" not in node(quarter, "ccc-quarter")
    assert "and those of other periods aligned to them, each marked with its period" in year.split("</svg>")[0]
    assert "those of other periods" not in quarter.split("</svg>")[0]


def test_on_a_public_site_one_aligned_to_a_private_objective_comes_before_the_orphans(tmp_path):
    """QA CA: on a public build an objective aligned to a private one has no parent to show, and came
    after the orphans; it is aligned, as on the internal site."""
    files = {**FILES, "content/objectives/bbb-year.md": FILES["content/objectives/bbb-year.md"].replace("owner: company\n", "owner: company\nprivate: true\n")}
    root = write_files(tmp_path / "site", files)
    out = tmp_path / "out"
    assert build(root, out, audience="public").ok
    home = (out / "index.html").read_text(encoding="utf-8").split("Needs attention")[0]
    assert in_order(home) == ORDER
