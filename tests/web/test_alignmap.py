"""The alignment map as built: one linked box per objective of the period, boxes that never overlap
(read back from the SVG's coordinates), titles escaped, and deep trees cut onto maps of their own."""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
from html import unescape
from pathlib import Path

import pytest

from okrsite.build import build
from okrsite.goals.model import slugify
from okrsite.web.alignmap import wrap
from okrsite.web.treelayout import MAX_DEPTH

from ..conftest import REPO, write_files

SVG = re.compile(r"<svg [^>]*class=\"amap[ \"].*?</svg>", re.S)
NODE = re.compile(r'<a class="amap-node" href="([^"]+)"><title>(.*?)</title><rect class="amap-box" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"')
MORE = re.compile(r'<a class="amap-more" href="([^"]+)">')


def gen_corpus():
    spec = importlib.util.spec_from_file_location("gen_corpus", REPO / "bench" / "gen_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def period_svg(page: str, period: str) -> str:
    """The map drawn in a period's section of the alignment page."""
    start = page.index(f'<h2 id="map-{slugify(period)}">')
    return SVG.search(page, start).group(0)


def boxes(svg: str) -> list[tuple[str, str, float, float, float, float]]:
    """(objective url, link title, x, y, width, height) of each box, as written in the SVG."""
    return [(href, unescape(title), *map(float, rest)) for href, title, *rest in NODE.findall(svg)]


def objective_ids(found) -> list[str]:
    return [re.search(r"objectives/([^/]+)/index\.html$", href).group(1) for href, *_ in found]


def overlapping(found) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for a, b in itertools.combinations(found, 2)
            if a[2] < b[2] + b[4] and b[2] < a[2] + a[4] and a[3] < b[3] + b[5] and b[3] < a[3] + a[5]]


def built(root: Path, out: Path) -> Path:
    result = build(root, out)
    assert result.ok, result.report.items
    return out


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    return built(REPO, tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory) -> tuple[Path, dict]:
    """bench/gen_corpus.py's company with 206 objectives in 2026-Q4 (5 levels deep)."""
    base = tmp_path_factory.mktemp("generated")
    gen_corpus().generate(235, base / "goals", seed=1)
    out = built(base / "goals", base / "site")
    return out, json.loads((out / "okrs.json").read_text())


def test_the_example_map_has_one_link_per_objective_of_each_period(example_site):
    okrs = json.loads((example_site / "okrs.json").read_text())
    page = (example_site / "alignment" / "index.html").read_text()
    for period in okrs["periods"]:
        found = boxes(period_svg(page, period["id"]))
        ids = objective_ids(found)
        assert sorted(ids) == sorted(o["id"] for o in okrs["objectives"] if o["period"] == period["id"])
        assert len(ids) == len(set(ids))
        assert not overlapping(found)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="amap amap-fit"' in page
    assert 'role="group" aria-labelledby="svg-2026-q4-title" aria-describedby="svg-2026-q4-desc"' in page
    assert '<title id="svg-2026-q4-title">Alignment map of 2026-Q4</title>' in page
    q4 = [o for o in okrs["objectives"] if o["period"] == "2026-Q4"]
    counts = ", ".join(f"{sum(o['status'] == s for o in q4)} {s}" for s in ("on-track", "at-risk", "off-track"))
    tops = sum(o["parent"] is None for o in q4)
    assert f"{len(q4)} objectives on 3 levels, {tops} at the top: {counts}." in page
    assert 'data-objective-node="grow-recurring-revenue"' in page, "the list stays below the map"


def test_a_box_says_title_owner_progress_and_status_in_shape_and_word(example_site):
    page = (example_site / "alignment" / "index.html").read_text()
    svg = period_svg(page, "2026-Q4")
    box = svg[svg.index('href="../objectives/migrate-largest-tenants/index.html"'):]
    box = box[:box.index("</a>")]
    assert "<title>Move the largest tenants to columnar storage — off-track, 33 % done, Priya Natarajan</title>" in box
    assert ">Priya Natarajan</text>" in box and ">33 %</text>" in box
    assert '<text class="amap-status status-off-track"' in box and ">■ off-track</text>" in box
    assert 'class="amap-pace"' in box, "the pace marker while the period runs"
    ended = period_svg(page, "2026-Q3")
    assert "✖ missed · grade 0.80</text>" in ended and 'class="amap-pace"' not in ended


def test_a_status_set_by_hand_says_so_on_the_map_and_in_its_list(example_site):
    """As everywhere else: the example's build-enterprise-pipeline has `status: at-risk` in its file."""
    page = (example_site / "alignment" / "index.html").read_text()
    svg = period_svg(page, "2026-Q4")
    box = svg[svg.index('href="../objectives/build-enterprise-pipeline/index.html"'):]
    box = box[:box.index("</a>")]
    assert ">▲ at-risk (set by hand)</text>" in box and "— at-risk (set by hand), " in box
    item = page[page.index('data-objective-node="build-enterprise-pipeline"'):]
    assert item[:item.index("</a>")].count("(set by hand)") == 1
    assert "(set by hand)" not in box.replace("at-risk (set by hand)", ""), "and only there"


def test_a_generated_period_of_200_objectives_is_one_map_without_overlap(generated_site):
    out, okrs = generated_site
    page = (out / "alignment" / "index.html").read_text()
    expected = sorted(o["id"] for o in okrs["objectives"] if o["period"] == "2026-Q4")
    assert len(expected) >= 200
    found = boxes(period_svg(page, "2026-Q4"))
    assert sorted(objective_ids(found)) == expected
    assert not overlapping(found)
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', period_svg(page, "2026-Q4")).groups())
    assert 1.0 < width / height < 2.0, "wrapped towards the shape of a landscape sheet"
    assert all(0 <= b[2] and b[2] + b[4] <= width and 0 <= b[3] and b[3] + b[5] <= height for b in found)
    roots = [o for o in okrs["objectives"] if o["period"] == "2026-Q4" and o["parent"] not in expected]
    assert MORE.findall(period_svg(page, "2026-Q4")) == [f"../alignment/{o['id']}/index.html" for o in roots if o["children"]]
    printed = []
    for o in roots:
        own = out / "alignment" / o["id"] / "index.html"
        printed += objective_ids(boxes(SVG.search(own.read_text()).group(0))) if o["children"] else [o["id"]]
        assert own.is_file() == bool(o["children"]), "each company objective's tree prints on a map of its own"
    assert sorted(printed) == expected, "the maps of the trees hold the period's objectives once each"


DEEP = """---
title: "Level {n}"
period: 2026-Q4
owner: {owner}
{parent}key_results:
  - title: Do it
    target: 10
    current: {n}
---
"""


def deep_chains(base_site: Path, out: Path) -> Path:
    """Two chains of MAX_DEPTH + 4 levels, a0 … and b0 …, built."""
    files = {}
    for n in range(MAX_DEPTH + 4):
        for side in ("a", "b"):
            parent = "" if n == 0 else f"parent: {side}{n - 1}\n"
            files[f"content/objectives/{side}{n}.md"] = DEEP.format(n=n, owner="company" if n == 0 else "Ann Lee", parent=parent)
    return built(write_files(base_site, files), out)


def test_a_tree_deeper_than_a_map_continues_on_maps_of_its_own(base_site, tmp_path):
    out = deep_chains(base_site, tmp_path / "out")
    page = (out / "alignment" / "index.html").read_text()
    svg = period_svg(page, "2026-Q4")
    cut = f"a{MAX_DEPTH - 1}"
    assert MORE.findall(svg) == [f"../alignment/{cut}/index.html", f"../alignment/b{MAX_DEPTH - 1}/index.html"]
    assert "+4 below ▸" in svg
    linked = objective_ids(boxes(svg))
    own = (out / "alignment" / cut / "index.html").read_text()
    below = objective_ids(boxes(SVG.search(own).group(0)))
    assert below == [f"a{n}" for n in range(MAX_DEPTH - 1, MAX_DEPTH + 4)], "the cut objective heads its own map"
    across = linked + below[1:] + objective_ids(boxes(SVG.search((out / "alignment" / f"b{MAX_DEPTH - 1}" / "index.html").read_text()).group(0)))[1:]
    period = [p.stem for p in (base_site / "content" / "objectives").glob("*.md")]  # all of 2026-Q4
    assert sorted(across) == sorted(period), "every objective of the period is linked once, on its map or on the map below a cut"
    assert '<a href="../../objectives/a0/index.html" dir="auto">Level 0</a>' in own, "the breadcrumb leads back up the chain"


def test_a_tab_s_name_starts_with_its_visible_words(base_site, tmp_path):
    """QA CY (WCAG 2.5.3): speech input follows a link by the words it shows ("click plus 4 below")."""
    page = (deep_chains(base_site, tmp_path / "out") / "alignment" / "index.html").read_text()
    tabs = re.findall(r'<a class="amap-more" href="[^"]+"><title>(.*?)</title>.*?<text [^>]*>(.*?)</text></a>', period_svg(page, "2026-Q4"))
    assert tabs and all(unescape(name).startswith(unescape(words).removesuffix(" ▸")) for name, words in tabs)
    assert tabs[0] == (f"+4 below Level {MAX_DEPTH - 1}: open its map", "+4 below ▸")


def test_the_map_s_frame_is_a_named_tab_stop(base_site, tmp_path):
    """QA CY: a wide map scrolls sideways in its frame, which the arrow keys scroll once it has the focus."""
    out = deep_chains(base_site, tmp_path / "out")
    page, own = (out / "alignment" / "index.html").read_text(), (out / "alignment" / "a5" / "index.html").read_text()
    assert '<div class="amap-scroll" role="region" tabindex="0" aria-label="Alignment map of 2026-Q4">' in page
    assert '<div class="amap-scroll" role="region" tabindex="0" aria-label="Alignment map below Level 5">' in own


def test_the_list_below_the_map_indents_five_levels_and_says_the_level_of_a_deeper_card(base_site, tmp_path):
    """QA CY (WCAG 1.4.10): a card indented for every level of a chain of nine was one letter wide on a phone."""
    page = (deep_chains(base_site, tmp_path / "out") / "alignment" / "index.html").read_text()
    listed = page[page.index('<ul class="map">'):]
    levels = re.findall(r'data-objective-node="a(\d+)">.*?</a>', listed, re.S)
    said = {int(n): re.search(r'<span class="node-level">level (\d+)</span>', card) for n, card in
            re.findall(r'data-objective-node="a(\d+)">(.*?)</a>', listed, re.S)}
    assert levels == [str(n) for n in range(MAX_DEPTH + 4)]
    assert {n: m and int(m.group(1)) for n, m in said.items()} == {n: n + 1 if n >= 5 else None for n in range(MAX_DEPTH + 4)}
    assert listed.count('<ul class="unindented">') == 2 * (MAX_DEPTH + 4 - 6)  # the lists of levels 7 to 10 of both chains


def test_titles_are_escaped_in_the_map(base_site, tmp_path):
    nasty = json.dumps('Grow <script>alert("x")</script> & "win" <b>')
    write_files(base_site, {"content/objectives/nasty.md": DEEP.format(n=1, owner="company", parent="").replace('"Level 1"', nasty)})
    out = built(base_site, tmp_path / "out")
    svg = period_svg((out / "alignment" / "index.html").read_text(), "2026-Q4")
    assert "<script>" not in svg and "<b>" not in svg and "&lt;script&gt;" in svg and "&amp;" in svg and "&#34;win&#34;" in svg


@pytest.mark.parametrize("text,chars,lines,expected", [
    ("Grow recurring revenue to $560k a month", 25, 2, ["Grow recurring revenue to", "$560k a month"]),
    ("Halve dashboard load times for our largest tenants", 25, 2, ["Halve dashboard load", "times for our largest…"]),
    ("Supercalifragilisticexpialidocious words", 10, 3, ["Supercalif", "ragilistic", "expialido…"]),
    ("一二三四五六七八九十", 10, 2, ["一二三四五", "六七八九十"]),
    ("", 10, 2, [""]),
])
def test_wrap_breaks_between_words_and_ends_cut_text_with_an_ellipsis(text, chars, lines, expected):
    assert wrap(text, chars, lines) == expected


def test_a_period_without_objectives_has_no_map(base_site, tmp_path):
    write_files(base_site, {"okrsite.toml": (base_site / "okrsite.toml").read_text() + 'current_period = "2027-Q1"\n'})
    page = (built(base_site, tmp_path / "out") / "alignment" / "index.html").read_text()
    section = page[page.index('<h2 id="map-2027-q1">'):page.index('<h2 id="map-2026-q4">')]
    assert "<svg" not in section and "<figure" not in section


def test_a_periods_plan_is_made_once_per_site_and_anew_for_another_site(tmp_path):
    """The page list (own_maps) and the period's map share one plan of the period (period_plan); a site
    made anew (the preview's next rebuild, here with a top objective's children cut off) is planned
    anew, and the plan goes with its site."""
    import dataclasses
    import gc

    from okrsite.build import check_site
    from okrsite.web import alignmap
    from okrsite.web.treelayout import plan

    gen_corpus().generate(235, tmp_path / "goals", seed=1)
    site = check_site(tmp_path / "goals").loaded.site
    period = max(site.periods, key=lambda p: sum(o.period.id == p for o in site.objectives.values()))
    first = alignmap.period_plan(site, period)
    assert first == plan(alignmap.period_forest(site, period)) and alignmap.period_plan(site, period) is first
    top = first[0].key
    other = dataclasses.replace(site, children={**site.children, top: ()})
    again = alignmap.period_plan(other, period)
    assert again == plan(alignmap.period_forest(other, period)) != first
    assert alignmap.period_plan(site, period) is first, "each site keeps its own"
    made = id(other)
    del other, again
    gc.collect()
    from okrsite.goals import model
    assert made not in model._MADE


def test_the_drawn_map_lets_its_plan_go(tmp_path):
    """The period's map takes the plan own_maps made and lets it go (at 100,000 objectives the plans of
    every period would hold 40 MB through the rendering of every later page); asked again, it is made
    again, the same."""
    from okrsite.build import check_site
    from okrsite.web import alignmap

    gen_corpus().generate(235, tmp_path / "goals", seed=1)
    site = check_site(tmp_path / "goals").loaded.site
    alignmap.own_maps(site)
    period = max(site.periods, key=lambda p: sum(o.period.id == p for o in site.objectives.values()))
    kept = alignmap.period_plan(site, period)
    drawn = alignmap.drawn_plan(site, period)
    from okrsite.goals.model import _MADE
    assert drawn is kept and ("plan", period) not in _MADE[id(site)]
    assert alignmap.drawn_plan(site, period) == drawn and ("plan", period) not in _MADE[id(site)]


def test_a_public_map_says_which_top_boxes_hang_from_a_private_objective(tmp_path):
    """SPEC §14: on the public site a child of a private objective is a top box of its period's map, and
    its box, its name, the map's count and the list below say it is "aligned to a private objective", as
    its own page does; the private objective's title, owner and numbers are nowhere."""
    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "Leak"\nas_of = 2026-12-02\n',
        "content/teams/co.md": "---\ntitle: Co\nlead: Boss Person\n---\n",
        "content/objectives/top.md": "---\ntitle: Top\nperiod: 2026-Q4\nowner: co\nkey_results: [{title: t, target: 10, current: 2}]\n---\n",
        "content/objectives/hidden.md": "---\ntitle: Zebra takeover plan\nperiod: 2026-Q4\nowner: Hidden Owner\nparent: top\nprivate: true\n"
                                        "key_results: [{title: Zebra KR, target: 10, current: 4}]\n---\n",
        "content/objectives/child.md": "---\ntitle: Public child\nperiod: 2026-Q4\nowner: co\nparent: hidden\n"
                                       "key_results: [{title: c, target: 10, current: 5}]\n---\n"})
    result = build(tmp_path / "site", tmp_path / "out", audience="public", cache=False)
    assert result.ok, result.report.items
    page = (tmp_path / "out/alignment/index.html").read_text(encoding="utf-8")
    own_map = (tmp_path / "out/alignment/child/index.html")
    svg = period_svg(page, "2026-Q4")
    titles = {objective_ids([box])[0]: box[1] for box in boxes(svg)}
    assert titles["child"].endswith("; aligned to a private objective") and "private" not in titles["top"]
    desc = unescape(re.search(r"<desc[^>]*>([^<]*)</desc>", svg)[1])
    assert desc.startswith("2 objectives on 1 level, 2 at the top (1 of them aligned to a private objective, not shown on this site): "), desc
    child_box = svg[svg.index('href="../objectives/child/index.html"'):]
    child_box = child_box[:child_box.index("</a>")]
    assert re.search(r'<text class="amap-note"[^>]*>aligned to a private objective</text>', child_box), child_box
    listed = page[page.index('<ul class="map">'):]
    child_item = listed[listed.index('data-objective-node="child"'):]
    assert "aligned to a private objective" in child_item[:child_item.index("</li>")]
    objective = (tmp_path / "out/objectives/child/index.html").read_text(encoding="utf-8")
    assert "a private objective" in objective
    for text in [page, objective] + ([own_map.read_text(encoding="utf-8")] if own_map.exists() else []):
        assert "Zebra" not in text and "Hidden Owner" not in text and "objectives/hidden/" not in text


def test_a_box_at_the_top_because_its_parent_is_of_another_period_says_so(tmp_path):
    """QA EC 5: a Q4 objective aligned to a 2027-Q1 one heads a tree of its own in the Q4 map, and the
    map said "2 at the top" with no reason, where a public map says "aligned to a private objective".
    Its box and the count say it; a company objective at the top says nothing more."""
    kr = "key_results: [{title: k, target: 10, current: 5}]\n"
    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "t"\nas_of = 2026-12-02\n', "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/top.md": "---\ntitle: Top\nperiod: 2026-Q4\nowner: co\n" + kr + "---\n",
        "content/objectives/next.md": "---\ntitle: Next\nperiod: 2027-Q1\nowner: co\n" + kr + "---\n",
        "content/objectives/early.md": "---\ntitle: Early\nperiod: 2026-Q4\nowner: co\nparent: next\n" + kr + "---\n"})
    result = build(tmp_path / "site", tmp_path / "out", cache=False)
    assert not result.report.errors, result.report.items
    svg = period_svg((tmp_path / "out/alignment/index.html").read_text(encoding="utf-8"), "2026-Q4")
    titles = {objective_ids([box])[0]: box[1] for box in boxes(svg)}
    assert titles["early"].endswith("; its parent is in 2027-Q1") and ";" not in titles["top"], titles
    desc = unescape(re.search(r"<desc[^>]*>([^<]*)</desc>", svg)[1])
    assert desc.startswith("2 objectives on 1 level, 2 at the top (1 of them aligned to an objective of another period): "), desc


def test_the_list_under_the_map_shows_a_stale_objective_as_the_other_pages_do(tmp_path):
    """The list under the map drew a stale on-track objective as a green "● on-track" (and a stale
    at-risk one without "◷ stale"), while its box, its own page and the period's page say
    "◷ on-track (stale)": the list uses the same status macro as those pages."""
    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "t"\nas_of = 2026-10-26\n', "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/quiet.md": "---\ntitle: Quiet\nperiod: 2026-Q4\nowner: co\nkey_results:\n  - title: a\n    target: 10\n"
                                       "    history:\n      - {date: 2026-10-01, value: 3}\n---\n",
        "content/objectives/worried.md": "---\ntitle: Worried\nperiod: 2026-Q4\nowner: co\nstatus: at-risk\nkey_results:\n  - title: b\n    target: 10\n"
                                         "    history:\n      - {date: 2026-10-01, value: 3}\n---\n"})
    result = build(tmp_path / "site", tmp_path / "out", cache=False)
    assert result.ok, result.report.items
    page = (tmp_path / "out/alignment/index.html").read_text(encoding="utf-8")
    period = (tmp_path / "out/periods/2026-q4/index.html").read_text(encoding="utf-8")
    listed = page[page.index('<ul class="map">'):]

    def item(text: str, ident: str) -> str:
        start = text.index(f'objectives/{ident}/index.html"')
        return text[start:text.index("</li>", start)]

    quiet, worried = item(listed, "quiet"), item(listed, "worried")
    assert '<span class="badge status-stale"><span aria-hidden="true">◷</span> on-track (stale)</span>' in quiet
    assert "status-edge-stale" in listed and "status-on-track" not in quiet
    assert "(set by hand)" in worried and '<span class="badge stale"><span aria-hidden="true">◷</span> stale</span>' in worried
    for ident in ("quiet", "worried"):
        shown = re.search(r'<span class="badge status-.*?</span>(?: <span class="badge stale">.*?</span></span>)?', item(period, ident))[0]
        assert shown in item(listed, ident), (ident, shown)


def test_the_map_counts_its_cancelled_objectives_apart_as_every_page_does(tmp_path):
    """"2 objectives (and 1 cancelled)", as the home, period and team pages count them: the cancelled box is drawn, not counted."""
    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "Counts"\nas_of = 2026-11-15\n',
        "content/teams/co.md": "---\ntitle: Co\nlead: Boss Person\n---\n",
        "content/objectives/top.md": "---\ntitle: Top\nperiod: 2026-Q4\nowner: co\nkey_results: [{title: t, target: 10, current: 9}]\n---\n",
        "content/objectives/kept.md": "---\ntitle: Kept\nperiod: 2026-Q4\nowner: co\nparent: top\nkey_results: [{title: k, target: 10, current: 9}]\n---\n",
        "content/objectives/dropped.md": "---\ntitle: Dropped\nperiod: 2026-Q4\nowner: co\nparent: top\nstatus: cancelled\n"
                                         "key_results: [{title: d, target: 10, current: 0}]\n---\n"})
    assert build(tmp_path / "site", tmp_path / "out", cache=False).ok
    svg = period_svg((tmp_path / "out/alignment/index.html").read_text(encoding="utf-8"), "2026-Q4")
    assert len(boxes(svg)) == 3
    desc = unescape(re.search(r"<desc[^>]*>([^<]*)</desc>", svg)[1])
    assert desc.startswith("2 objectives (and 1 cancelled) on 2 levels, 1 at the top: 2 on-track."), desc
    assert "(and 1 cancelled)" in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def test_a_stale_box_says_stale_whatever_its_status(tmp_path):
    """QA AZ: the box of a stale at-risk objective (set by hand) said "▲ at-risk (set by hand)" and its
    name had no "stale", while the list under it said "stale": the box says it beside any status."""
    write_files(tmp_path / "site", {
        "okrsite.toml": 'title = "t"\nas_of = 2026-10-26\n', "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/worried.md": "---\ntitle: Worried\nperiod: 2026-Q4\nowner: co\nstatus: at-risk\nkey_results:\n  - title: b\n    target: 10\n"
                                         "    history:\n      - {date: 2026-10-01, value: 3}\n---\n"})
    assert build(tmp_path / "site", tmp_path / "out", cache=False).ok
    page = (tmp_path / "out/alignment/index.html").read_text(encoding="utf-8")
    assert "Worried — at-risk (stale, set by hand), 30 % done, Co" in page and "▲ at-risk (stale, set by hand)</text>" in page


def test_a_map_of_a_site_in_another_language_marks_its_own_words_english(base_site, tmp_path):
    """QA DV F1 (WCAG 3.1.2): the map's title, description, statuses and each box's name are okrsite's
    English words (a box's name mixes in its title: it cannot be split); titles and owners are goal text."""
    settings = base_site / "okrsite.toml"
    settings.write_text('language = "he"\n' + settings.read_text())
    svg = period_svg((deep_chains(base_site, tmp_path / "out") / "alignment" / "index.html").read_text(), "2026-Q4")
    assert re.match(r'<svg [^>]* lang="en">', svg)
    assert re.findall(r'<text class="amap-(?:title|owner)"[^>]*>', svg) and all(
        tag.endswith(' lang="he">') for tag in re.findall(r'<text class="amap-(?:title|owner)"[^>]*>', svg))
    assert not re.findall(r'<text class="amap-(?:status|pct)"[^>]* lang=', svg)


@pytest.mark.parametrize("text, holds, starts", [("Budget ב", True, False), ("ב Budget", True, True), ("Budget", False, False), ("42 ب", True, True)])
def test_the_two_right_to_left_questions_have_two_names(text, holds, starts):
    """QA ES: goals.formats and web.alignmap each had a `right_to_left`, one asking whether a text holds
    a right-to-left letter (isolated in pages), the other whether it reads right to left (a map label
    drawn from the right): "Budget ב" answers yes and no."""
    from okrsite.goals.formats import has_right_to_left
    from okrsite.web.alignmap import starts_right_to_left

    assert (has_right_to_left(text), starts_right_to_left(text)) == (holds, starts)


def test_a_map_s_caption_explains_the_tabs_it_draws_and_no_other(example_site, generated_site, base_site, tmp_path):
    """QA: every map's caption said "A tab under a box opens a map of its own: “+N below” …, “its own
    map” …", also under the example's maps, which draw no tab."""
    def captions(page: Path) -> list[str]:
        return [unescape(c) for c in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", page.read_text())]

    assert captions(example_site / "alignment/index.html") and not any("tab" in c for c in captions(example_site / "alignment/index.html"))
    deep = captions(deep_chains(base_site, tmp_path / "out") / "alignment/index.html")
    assert deep[0].endswith("it links to the objective. A tab under a box opens a map of its own: “+N below” for what this map leaves out."), deep
    big = captions(generated_site[0] / "alignment/index.html")
    assert big[0].endswith("A tab under a box opens a map of its own: “its own map” for a tree to print.") and "tab" not in big[1], big
