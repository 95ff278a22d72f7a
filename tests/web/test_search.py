"""okrsite/web/search.py: what search finds, the index file, the A–Z list pages; search = "pagefind"."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from okrsite.build import build, check_site
from okrsite.goals import config
from okrsite.goals.model import title_order
from okrsite.web import search
from okrsite.web.write import OutputError

from ..conftest import FIXTURES, REPO, compose_site, write_files

AS_OF = date(2026, 11, 23)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return compose_site(tmp_path / "site", FIXTURES / "base")


def index_of(out: Path) -> dict:
    text = (out / search.SEARCH_INDEX).read_text(encoding="utf-8")
    assert text.startswith("okrsiteIndex(") and text.endswith(");\n")
    return json.loads(text[len("okrsiteIndex("):-3])


def test_the_index_holds_every_objective_key_result_kpi_team_person_and_page(tmp_path):
    out = tmp_path / "out"
    assert build(REPO, out, as_of=AS_OF).ok
    okrs, index = json.loads((out / "okrs.json").read_text(encoding="utf-8")), index_of(out)
    kinds = [index["kinds"][int(k)] for k in index["kind"]]
    titles = list(zip(kinds, index["title"]))
    expected = [("objective", o["title"]) for o in okrs["objectives"]] + [("key result", kr["title"]) for o in okrs["objectives"] for kr in o["key_results"]]
    expected += [("KPI", k["title"]) for k in okrs["kpis"]] + [("team", t["title"]) for t in okrs["teams"]]
    expected += [("person", p["name"]) for p in okrs["people"]] + [("page", p["title"]) for p in okrs["pages"]]
    assert sorted(titles) == sorted(expected)
    others = [kind for kind in kinds if kind != "key result"]
    assert len(index["address"]) == len(index["owner"]) == len(index["words"]) == len(others)
    objectives = [a for kind, a in zip(others, index["address"]) if kind == "objective"]
    assert objectives == [o["id"] for o in okrs["objectives"]]
    first = next(o for o in okrs["objectives"] if o["key_results"])
    at = others.index("objective") + [a for kind, a in zip(others, index["address"])].index(first["id"])
    assert index["periods"][index["period"][at]] == first["period"] and index["statuses"][index["status"][at]] == first["status"]
    assert index["current"] == "2026-Q4" and "2026-Q4" in index["periods"]


def test_the_index_writes_repeated_strings_once_and_no_numbers(tmp_path):
    out = tmp_path / "out"
    assert build(REPO, out, as_of=AS_OF).ok
    index, text = index_of(out), (out / search.SEARCH_INDEX).read_text(encoding="utf-8")
    assert len(index["owners"]) == len(set(index["owners"])) and len(index["periods"]) == len(set(index["periods"]))
    assert text.count('"2026-Q4"') == 2  # a period is a number everywhere but in its table (and as the current one)
    assert set(index) == {"v", "current", "kinds", "prefixes", "owners", "ownerTeams", "teams", "periods", "statuses", "tagNames",
                          "kind", "title", "address", "owner", "period", "status", "tags", "words", "krOwner", "krAddress"}  # no values


def test_key_results_keep_only_what_differs_from_their_objective(site):
    write_files(site, {"content/objectives/own.md": "---\ntitle: Own\nperiod: 2026-Q4\nowner: company\nparent: grow-customer-base\n"
                       "key_results:\n  - title: Default id\n    target: 2\n  - id: launch\n    title: Own id and owner\n    target: 2\n    owner: Bo Chen\n---\n"})
    checked = check_site(site, AS_OF)
    found = checked.loaded.site
    index = search.search_index(found, checked.scores, search.search_entries(found, checked.scores))
    default, own = index["title"].index("Default id"), index["title"].index("Own id and owner")
    assert default not in index["krAddress"] and default not in index["krOwner"]
    assert index["krAddress"][own] == "launch" and index["owners"][index["krOwner"][own]] == "Bo Chen"


def test_the_team_filter_reaches_sub_teams_and_members(site):
    write_files(site, {"content/teams/sales.md": "---\ntitle: Sales\nparent: company\nmembers: [Cy Diaz]\n---\n"})
    checked = check_site(site, AS_OF)
    found = checked.loaded.site
    index = search.search_index(found, checked.scores, search.search_entries(found, checked.scores))
    teams_of = {name: {index["teams"][t] for t in teams} for name, teams in zip(index["owners"], index["ownerTeams"])}
    assert teams_of["Cy Diaz"] == {"sales", "company"} and teams_of["Sales"] == {"sales", "company"}


def test_the_list_without_javascript_is_split_in_pages_a_to_z(site, monkeypatch, tmp_path):
    monkeypatch.setattr(search, "LISTING_SIZE", 3)
    monkeypatch.setattr("okrsite.web.render.LISTING_SIZE", 3)
    out = tmp_path / "out"
    assert build(site, out, as_of=AS_OF).ok
    count = search.searchable(check_site(site, AS_OF).loaded.site).listed
    pages = [out / "search" / "index.html"] + [out / "search" / str(n) / "index.html" for n in range(2, -(-count // 3) + 1)]
    assert all(p.is_file() for p in pages) and not (out / "search" / str(len(pages) + 1)).exists()
    titles = []
    for p in pages:
        html = p.read_text(encoding="utf-8")
        listed = re.findall(r'<li><a href="[^"]+" dir="auto">([^<]+)</a>', re.search(r'<ul class="search-results">(.*?)</ul>', html, re.S)[1])
        assert 0 < len(listed) <= 3
        assert len(re.findall(r'<li><a href="[^"]+" aria-current="page">\d+<', html)) == 1  # this page of the list
        titles += listed
    assert len(titles) == count and titles == sorted(titles, key=title_order)


def test_the_list_sorts_accented_titles_with_their_plain_letters(site, monkeypatch, tmp_path):
    """QA: the A–Z list put 'Ärger', 'Öffnung' and 'Über' after 'Zukunft' (code points, case-folded), and
    its pages' labels followed; the search page's JavaScript lists them with their plain letters."""
    objective = "---\ntitle: {}\nperiod: 2026-Q4\nowner: {}\nkey_results:\n  - {{title: k, target: 10, current: 1}}\n---\n"
    write_files(site, {f"content/objectives/o{n}.md": objective.format(title, owner) for n, (title, owner) in enumerate([
        ("Zukunft sichern", "company"), ("Ärger reduzieren", "company"), ("Öffnung Wien", "İlkay Işık"), ("Ozean", "company"),
        ("Über uns", "sales"), ("Émile plan", "company")])})
    monkeypatch.setattr(search, "LISTING_SIZE", 4)
    monkeypatch.setattr("okrsite.web.render.LISTING_SIZE", 4)
    out = tmp_path / "out"
    assert build(site, out, as_of=AS_OF).ok
    expected = ["Ada Lovelace", "Ärger reduzieren", "Company", "Émile plan", "Grow the customer base", "İlkay Işık",
                "Monthly recurring revenue", "Öffnung Wien", "Ozean", "Sales", "Über uns", "Zukunft sichern"]
    checked = check_site(site, AS_OF)
    found = checked.loaded.site
    assert [e.title for e in search.listing(search.search_entries(found, checked.scores))] == expected
    assert [row[0] for row in search.listed(found)] == expected  # what the pages' digests read
    pages = [out / "search" / "index.html", out / "search" / "2" / "index.html", out / "search" / "3" / "index.html"]
    html = [p.read_text(encoding="utf-8") for p in pages]
    listed = [re.findall(r'<li><a href="[^"]+" dir="auto">([^<]+)</a>', re.search(r'<ul class="search-results">(.*?)</ul>', h, re.S)[1]) for h in html]
    assert sum(listed, []) == expected
    assert re.findall(r'<span class="muted"> ([^<]+)</span>', html[0]) == ["Ad–Ém", "Gr–Öf", "Oz–Zu"]


def test_every_page_has_the_header_box_but_the_search_page(tmp_path):
    out = tmp_path / "out"
    assert build(REPO, out, as_of=AS_OF).ok
    home, kpi, found = (out / "index.html").read_text(), next((out / "kpis").glob("*/index.html")).read_text(), (out / "search/index.html").read_text()
    assert '<form class="site-search" role="search" action="search/index.html">' in home
    assert 'action="../../search/index.html"' in kpi and 'name="q"' in kpi
    assert "site-search" not in found and 'id="q" name="q"' in found


def test_the_search_setting_is_checked(site):
    write_files(site, {"okrsite.toml": 'title = "T"\nsearch = "elastic"\n'})
    [error] = check_site(site, AS_OF).report.errors
    assert (error.file, error.line, error.message) == ("okrsite.toml", 2, "setting 'search' must be \"builtin\" or \"pagefind\", not 'elastic'")


def test_pagefind_that_is_not_installed_is_an_error_saying_how_to_install_it(site, monkeypatch):
    monkeypatch.setattr(config, "pagefind_available", lambda: False)
    write_files(site, {"okrsite.toml": 'title = "T"\n\nsearch = "pagefind"\n'})
    [error] = check_site(site, AS_OF).report.errors
    assert (error.line, error.message) == (3, 'search = "pagefind" needs Pagefind, which is not installed')
    assert error.hint == f"{config.install_extra('pagefind')}, or remove the setting to use okrsite's own search"


def test_a_failed_pagefind_leaves_the_previous_site(site, monkeypatch, tmp_path):
    out = tmp_path / "out"
    assert build(site, out, as_of=AS_OF).ok
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(config, "pagefind_available", lambda: True)

    def broken(folder):
        raise OutputError("Pagefind could not index the site (exit status 1): boom", "pip install 'okrsite[pagefind]' again")

    monkeypatch.setattr("okrsite.web.pagefind.index_site", broken)
    write_files(site, {"okrsite.toml": 'title = "T"\nsearch = "pagefind"\n'})
    result = build(site, out, as_of=AS_OF)
    assert not result.ok and "Pagefind could not index the site" in result.report.errors[0].message
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_pagefind_indexes_the_pages_of_goals(site, tmp_path):
    if not config.pagefind_available():
        pytest.skip("Pagefind is not installed: pip install 'okrsite[pagefind]'")
    write_files(site, {"okrsite.toml": 'title = "T"\nsearch = "pagefind"\n'})
    out = tmp_path / "out"
    result = build(site, out, as_of=AS_OF)
    assert result.ok, [vars(d) for d in result.report.items]
    assert (out / "pagefind" / "pagefind.js").is_file() and (out / search.SEARCH_INDEX).is_file()
    objective = (out / "objectives" / "grow-customer-base" / "index.html").read_text(encoding="utf-8")
    assert '<main id="main" data-pagefind-body>' in objective
    assert "data-pagefind-body" not in (out / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', (out / "search" / "index.html").read_text(encoding="utf-8"))[1]
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "connect-src 'self'" in policy
    assert "wasm-unsafe-eval" not in objective and "connect-src 'none'" in objective


def test_a_body_s_link_reads_as_the_title_it_links_to_in_search_and_the_meta_description(site, tmp_path):
    """A body starting "Pays for [[grow-customer-base]]" was "Pays for grow-customer-base" in the
    search index's words and in the page's <meta name="description">, where the page itself shows
    the objective's title. Both read as the page now: the title (or the link's own label); an id
    that names nothing stays as written."""
    write_files(site, {
        "content/objectives/keep-customers.md": "---\ntitle: Keep customers\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
                                                "  - title: K\n    target: 10\n    current: 3\n---\n"
                                                "Pays for [[grow-customer-base]] and [[mrr|our revenue]].\n",
        "content/kpis/churn.md": "---\ntitle: Churn\nowner: company\ntarget: 2\nsource: CRM\n---\nEats into [[grow-customer-base]].\n",
        "content/why.md": "---\ntitle: Why\n---\nSee [[keep-customers]] and [[mrr]].\n"})
    out = tmp_path / "out"
    assert build(site, out, as_of=AS_OF).ok
    index = index_of(out)
    words = dict(zip([t for k, t in zip(index["kind"], index["title"]) if index["kinds"][int(k)] != "key result"], index["words"]))
    assert words["Keep customers"] == "Pays for Grow the customer base and our revenue."
    assert words["Churn"] == "Eats into Grow the customer base."
    assert words["Why"] == "See Keep customers and Monthly recurring revenue."
    described = lambda rel: re.search(r'<meta name="description" content="([^"]*)"', (out / rel).read_text(encoding="utf-8"))[1]  # noqa: E731
    assert described("objectives/keep-customers/index.html").endswith("Pays for Grow the customer base and our revenue.")
    assert described("kpis/churn/index.html").endswith("Eats into Grow the customer base.")
    assert described("why/index.html") == "See Keep customers and Monthly recurring revenue."
    assert search.summary("Waits for [[nothing-here]].", lambda ident: None) == "Waits for [[nothing-here]].", "as the page shows it"
    assert search.summary("Write `[[mrr]]` for [[mrr]].", {"mrr": "MRR"}.get) == "Write [[mrr]] for MRR.", "in code, as the page shows it"


SHOWN = [  # a body, and its words as a reader sees them (a summary, before the page escapes them once)
    ("Latency must stay > 200 ms & < 900 ms; NPS -> 40.", "Latency must stay > 200 ms & < 900 ms; NPS -> 40."),
    ("Raw <b>bold</b> and <script>x</script>, shown as text.", "Raw <b>bold</b> and <script>x</script>, shown as text."),
    ("<div>\nA block of HTML\n</div>", "<div> A block of HTML </div>"),
    ("AT&amp;T &lt;b&gt; &quot;quoted&quot; &#39;single&#39; &copy;", "AT&T <b> \"quoted\" 'single' ©"),
    ('He said "yes" and \'no\'.', 'He said "yes" and \'no\'.'),
    ("Run `a > b && c < d` and `[[mrr]]` for [[mrr]].", "Run a > b && c < d and [[mrr]] for MRR."),
    ("# Title\n\n> quoted *words* and __strong__ with a\\*star\n\n- one\n- two", "Title quoted words and strong with a*star one two"),
    ("See [the docs](https://example.org/a_b) and ![a chart](c.png).", "See the docs and a chart."),
    ("| a | b |\n|---|---|\n| 1 > 0 | x |", "a b 1 > 0 x"),
    ("Waits for [[nothing-here]].", "Waits for [[nothing-here]]."),
    ("```\nif a > b:\n```\nThen.", "if a > b: Then."),
    ("A line\n\n---\n\nafter a rule", "A line after a rule"),
]


@pytest.mark.parametrize("body, shown", SHOWN)
def test_a_summary_is_the_text_a_reader_sees_of_the_markdown(body, shown):
    """Markup goes, what the page shows stays: <, >, & and quotes as the reader sees them (entities
    decoded once; the page escapes them once), code and raw HTML (escaped: allow_html is off) as text."""
    assert search.summary(body, {"mrr": "MRR"}.get) == shown


def test_a_description_and_the_search_words_keep_what_the_page_shows(tmp_path):
    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "M"\nas_of = 2026-11-23\n',
        "content/teams/company.md": "---\ntitle: Company\n---\n",
        "content/objectives/o.md": "---\ntitle: o\nperiod: 2026-Q4\nowner: company\nkey_results: [{title: x, target: 1}]\n---\n"
                                   "Latency must stay > 200 ms & < 900 ms; NPS -> 40. Raw <b>bold</b>, AT&amp;T \"q\".\n"})
    out = tmp_path / "out"
    assert build(tmp_path / "site", out, as_of=AS_OF).ok
    page = (out / "objectives/o/index.html").read_text(encoding="utf-8")
    described = re.search(r'<meta name="description" content="([^"]*)"', page)[1]
    assert described.endswith("Latency must stay &gt; 200 ms &amp; &lt; 900 ms; NPS -&gt; 40. Raw &lt;b&gt;bold&lt;/b&gt;, AT&amp;T &#34;q&#34;."), described
    words = dict(zip(index_of(out)["title"], index_of(out)["words"]))
    assert words["o"] == 'Latency must stay > 200 ms & < 900 ms; NPS -> 40. Raw <b>bold</b>, AT&T "q".'
