"""The build cache (okrsite/cache.py): warm builds are byte-identical to clean ones after every kind of
edit, a damaged cache is one note and a clean build, and a killed build leaves the output and a usable
cache."""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from okrsite import cli
from okrsite.build import build
from okrsite.cache import CACHE_DIR, code_version
from okrsite.goals.diagnostics import Report
from okrsite.web import parallel
from okrsite.web.write import MARKER

from .conftest import REPO, write_files
from .gitrepo import GitRepo, needs_git, realigned, realigned_repo


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(built: Path, clean: Path, kept: tuple[str, ...] = ()) -> None:
    """Every file, byte for byte, and no other file; but the files put into the output by hand
    (``kept``, an empty folder ending in "/"), which every build keeps as they are and its marker lists."""
    one, other = files_of(built), files_of(clean)
    for path in kept:
        assert (built / path).is_dir() if path.endswith("/") else path in one, path
        one.pop(path, None)
    marker = one.get(MARKER, b"").decode()
    head, listed, rest = marker.partition("kept as they were, not written by okrsite:\n")
    lines, written, files = rest.partition("written by okrsite:\n")
    assert sorted(lines.splitlines()) == sorted(kept)
    one[MARKER] = (head + listed + written + files).encode()
    assert one.keys() == other.keys()
    differ = [path for path in one if one[path] != other[path]]
    assert not differ, f"{len(differ)} files differ from a clean build, e.g. {differ[:5]}"


def clean_build(root: Path, out: Path, **options) -> None:
    if out.exists():
        shutil.rmtree(out)
    result = build(root, out, cache=False, **options)
    assert result.ok, result.report.items


def warm_equals_clean(root: Path, tmp_path: Path, out: Path | None = None, kept: tuple[str, ...] = (), **options):
    """Build with the cache into ``out`` (site/) and without into clean/: the same files (and those
    put into ``out`` by hand, ``kept``)."""
    out = out or root / "site"
    result = build(root, out, **options)
    assert result.ok, result.report.items
    clean_build(root, tmp_path / "clean", **options)
    assert_same_site(out, tmp_path / "clean", kept)
    return result


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


OBJ = "content/objectives/2026-q4/answer-customers-faster.md"
EDITS = {
    "objective": lambda root: edit(root / OBJ, "    start: 88\n", "    start: 88\n    current: 92.5\n"),
    "objective title": lambda root: edit(root / "content/objectives/2026-q4/grow-recurring-revenue.md", "title: ", "title: Newly named — "),
    "objective parent": lambda root: edit(root / OBJ, "parent: win-customer-love", "parent: grow-recurring-revenue"),
    "objective owner": lambda root: edit(root / OBJ, "owner: go-to-market", "owner: platform"),
    "kpi": lambda root: edit(root / "content/kpis/mrr.md", "target: 520000", "target: 495000"),
    "kpi title": lambda root: edit(root / "content/kpis/support-first-response-time.md", "title: ", "title: Renamed "),
    "csv": lambda root: (root / "data/mrr.csv").write_text((root / "data/mrr.csv").read_text() + "2026-11-22,533000\n"),
    "team": lambda root: edit(root / "content/teams/platform.md", "title: Platform", "title: Platform and Cloud"),
    "team members": lambda root: edit(root / "content/teams/platform.md", "Omar Haddad]", "Omar Haddad, Nadia Karim]"),
    "team lead": lambda root: edit(root / "content/teams/platform.md", "lead: Priya Natarajan", "lead: Lukas Becker"),
    "team on top": lambda root: edit(root / "content/teams/platform.md", "parent: engineering\n", ""),
    "person left": lambda root: (edit(root / "content/teams/platform.md", "lead: Priya Natarajan\nmembers: [Priya Natarajan, ", "lead: Lukas Becker\nmembers: ["),
                                 edit(root / "content/teams/engineering.md", "Priya Natarajan, ", "")),
    "body": lambda root: edit(root / OBJ, "A quick, helpful answer", "A quick and helpful answer (see [[mrr]])"),
    "page": lambda root: edit(root / "content/how-we-do-okrs.md", "title: ", "title: Our way — "),
    "template": lambda root: write_files(root, {"theme/templates/page.html": (REPO / "theme/templates/page.html").read_text().replace("<h1 dir=\"auto\">", "<h1 class=\"own\">")}),
    "static": lambda root: write_files(root, {"theme/static/extra.css": "body { color: red }\n"}),
    "settings": lambda root: edit(root / "okrsite.toml", "title = \"", "title = \"Renamed — "),
    "settings period gap": lambda root: write_files(root, {"okrsite.toml": (root / "okrsite.toml").read_text() + "on_track_gap = 0.05\n"}),
    "deleted file": lambda root: (root / "content/objectives/2026-q4/ship-with-confidence.md").unlink(),
    "added file": lambda root: write_files(root, {"content/objectives/2026-q4/new-goal.md": (
        "---\ntitle: A new goal\nperiod: 2026-Q4\nowner: platform\nparent: make-dashboards-instant\nkey_results:\n"
        "  - title: Ship it\n    done: true\n---\nLinks to [[mrr]].\n")}),
    "added team": lambda root: write_files(root, {"content/teams/data.md": "---\ntitle: Data\nparent: engineering\nlead: Ana Souza\n---\n"}),
    "made private": lambda root: edit(root / OBJ, "parent: win-customer-love\n", "parent: win-customer-love\nprivate: true\n"),
    "no longer private": lambda root: edit(root / "content/objectives/2026-q4/acquire-kingfisher-analytics.md", "private: true\n", ""),
    "made confidential": lambda root: edit(root / "content/kpis/mrr.md", "target: 520000", "target: 520000\nconfidential: true"),
    "confidential value": lambda root: edit(root / "content/kpis/customer-acquisition-cost.md", "value: 14871.4}", "value: 14102.9}"),
    "private check-in": lambda root: edit(root / "content/objectives/2026-q4/acquire-kingfisher-analytics.md", "progress: 0.7", "progress: 0.8"),
}


@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("kind", sorted(EDITS))
def test_a_warm_build_equals_a_clean_one_after_each_kind_of_edit(example_copy, tmp_path, kind, audience):
    """For both audiences: the public site's pages (private objectives left out, confidential numbers
    withheld), its search index, maps and team pages come from the public view, which the digests see."""
    warm_equals_clean(example_copy, tmp_path, audience=audience)
    EDITS[kind](example_copy)
    result = warm_equals_clean(example_copy, tmp_path, audience=audience)
    assert not result.unchanged
    assert result.audience == audience


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_a_summary_that_names_a_linked_title_follows_it_in_a_warm_build(example_copy, tmp_path, audience):
    """A body's `[[id]]` reads as the linked item's title in search and the meta description: the
    search index's part of an objective (kept by the objective's own digest) and a page's digest
    must change when only the linked item's title does. A link in an indented code block is no
    link on the page, but the summary reads it (it knows code spans and fences only)."""
    edit(example_copy / OBJ, "A quick, helpful answer", "Serves [[grow-recurring-revenue]].\n\n    [[mrr]]\n\nA quick, helpful answer")
    edit(example_copy / "content/how-we-do-okrs.md", "At Tidewater Analytics", "Read [[support-first-response-time]] first. At Tidewater Analytics")
    warm_equals_clean(example_copy, tmp_path, audience=audience)
    for renamed in ("content/kpis/mrr.md", "content/objectives/2026-q4/grow-recurring-revenue.md", "content/kpis/support-first-response-time.md"):
        edit(example_copy / renamed, "title: ", "title: Renamed ")
        assert not warm_equals_clean(example_copy, tmp_path, audience=audience).unchanged
    assert "Serves Renamed Grow" in (example_copy / "site/search/index.js").read_text(encoding="utf-8")


def test_a_warm_build_of_periods_and_reviews_in_parts_equals_a_clean_one(example_copy, tmp_path, monkeypatch):
    """Every page a large site gets in parts: periods by owner, reviews, the alignment list, team pages
    that leave their sub-teams' objectives to them, the home page's cut tree and the KPI list."""
    from okrsite.web import render

    monkeypatch.setattr(render, "PERIOD_PAGE_LIMIT", 6)  # 2026-Q4 (9 objectives) gets a page per owner
    monkeypatch.setattr(render, "REVIEW_PAGE_LIMIT", 4)  # and its review (and 2026-Q3's) parts
    monkeypatch.setattr(render, "ALIGNMENT_LIST_LIMIT", 4)
    monkeypatch.setattr(render, "TEAM_PAGE_ROWS", 3)
    monkeypatch.setattr(render, "HOME_ROWS", 3)
    monkeypatch.setattr(render, "HOME_KPI_TILES", 2)
    warm_equals_clean(example_copy, tmp_path)
    assert (example_copy / "site/periods/2026-q4/teams/platform/index.html").is_file()
    assert (example_copy / "site/kpis/index.html").is_file() and (example_copy / "site/periods/2026-q4/alignment").is_dir()
    for kind in ("objective", "objective owner", "objective parent", "team", "team members", "csv", "added file", "deleted file", "added team"):
        EDITS[kind](example_copy)
        warm_equals_clean(example_copy, tmp_path)
    monkeypatch.setattr(render, "PERIOD_PAGE_LIMIT", 300)  # whole again (a change of okrsite's code: then a KPI edit)
    monkeypatch.setattr(render, "REVIEW_PAGE_LIMIT", 200)
    EDITS["kpi"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    assert not (example_copy / "site/periods/2026-q4/teams").exists()


def test_a_warm_build_takes_the_last_build_s_cuts_while_the_structure_is_the_same(example_copy, tmp_path, monkeypatch):
    """The cuts (web/cuts.py: periods by owner, the reviews' and alignment lists' parts, the maps' plans and
    own maps) are taken from the cache by a build whose objectives keep their ids, periods, parents and
    owners, and made again after any change to those; the site is a clean build's either way (an
    objective moved into a period is on its owner's part of it, whose other entries are as they were:
    the part's digest is kept by the structure too, see pagedigest.KeptDigests)."""
    from okrsite.web import alignmap, render

    monkeypatch.setattr(render, "PERIOD_PAGE_LIMIT", 6)
    monkeypatch.setattr(render, "REVIEW_PAGE_LIMIT", 4)
    monkeypatch.setattr(render, "ALIGNMENT_LIST_LIMIT", 4)
    made: list[str] = []
    for module, name in ((render, "_split_by_owner"), (render, "cut_review"), (render, "alignment_parts"), (alignmap, "_own_maps")):
        monkeypatch.setattr(module, name, lambda *a, made_by=getattr(module, name), name=name: made.append(name) or made_by(*a))
    warm_equals_clean(example_copy, tmp_path)
    moved = example_copy / "content/objectives/2026-q3/stand-up-frankfurt-region.md"  # platform's: into 2026-Q4's part of platform's
    edits = {**EDITS, "objective period": lambda root: edit(moved, "period: 2026-Q3", "period: 2026-Q4")}
    for kind, again in (("objective", False), ("objective title", False), ("objective owner", True), ("kpi", False),
                        ("objective parent", True), ("objective period", True), ("added file", True), ("team", False), ("deleted file", True)):
        edits[kind](example_copy)
        made.clear()
        build(example_copy, example_copy / "site")
        assert bool(made) is again, (kind, made)
        clean_build(example_copy, tmp_path / "clean")
        assert_same_site(example_copy / "site", tmp_path / "clean")


SUMMARIES = ("periods/2026-q4", "periods/2026-q4/review", "kpis", "archive")


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_pages_of_counts_are_kept_while_what_they_count_is_the_same(example_copy, tmp_path, monkeypatch, audience):
    """The page of a period split by owner, the summary of a review in parts, the KPI list and the archive
    show no objective's own numbers: a check-in that moves no status keeps them. What they do show makes
    them again, equal to a clean build: a status, an owner's name, the title of a review part's top
    objective, a KPI's value."""
    from okrsite.web import render

    monkeypatch.setattr(render, "PERIOD_PAGE_LIMIT", 6)
    monkeypatch.setattr(render, "REVIEW_PAGE_LIMIT", 4)
    monkeypatch.setattr(render, "HOME_KPI_TILES", 2)  # the KPI list is a page of its own
    warm_equals_clean(example_copy, tmp_path, audience=audience)
    pages = {name: example_copy / "site" / name / "index.html" for name in SUMMARIES}
    assert 'class="owners"' in pages["periods/2026-q4"].read_text() and 'class="review-parts"' in pages["periods/2026-q4/review"].read_text()

    def made_again(change) -> set[str]:
        inodes = {name: page.stat().st_ino for name, page in pages.items()}
        change()
        warm_equals_clean(example_copy, tmp_path, audience=audience)
        return {name for name, page in pages.items() if page.stat().st_ino != inodes[name]}

    assert made_again(lambda: edit(example_copy / OBJ, "value: 91.5,", "value: 91.6,")) == set()
    status = "content/objectives/2026-q4/halve-dashboard-load-times.md"
    assert made_again(lambda: edit(example_copy / status, "owner: platform\n", "owner: platform\nstatus: cancelled\n")) == {"periods/2026-q4", "periods/2026-q4/review", "archive"}
    assert made_again(lambda: EDITS["team"](example_copy)) == {"periods/2026-q4", "kpis"}  # platform: an owner of objectives and KPIs
    assert made_again(lambda: EDITS["objective title"](example_copy)) == {"periods/2026-q4/review"}  # a top of a part
    assert "periods/2026-q4/review" in made_again(lambda: EDITS["csv"](example_copy)) and "kpis" in made_again(lambda: EDITS["kpi"](example_copy))


def test_the_page_of_the_maps_is_kept_while_its_boxes_and_parts_are_the_same(example_copy, tmp_path, monkeypatch):
    """The page of every period's map and list (alignment/) shows the objectives in the maps' boxes and,
    of a list in parts, the parts: a check-in on an objective left off the maps keeps it; one on an
    objective in a box, or one that changes what a box hides, makes it again, equal to a clean build."""
    from okrsite.web import render, treelayout

    monkeypatch.setattr(render, "ALIGNMENT_LIST_LIMIT", 4)
    monkeypatch.setattr(treelayout.prune, "__defaults__", (4, treelayout.MAX_DEPTH))  # the tops' boxes only
    warm_equals_clean(example_copy, tmp_path)
    page = example_copy / "site/alignment/index.html"
    assert "answer-customers-faster" not in page.read_text() and "+5 below" in page.read_text()

    def made_again(change) -> bool:
        inode = page.stat().st_ino
        change()
        warm_equals_clean(example_copy, tmp_path)
        return page.stat().st_ino != inode

    below = example_copy / "content/objectives/2026-q4/migrate-largest-tenants.md"  # under make-dashboards-instant's box
    assert not made_again(lambda: edit(below, "value: 26,", "value: 27,"))
    assert made_again(lambda: EDITS["objective"](example_copy))  # win-customer-love's box rolls its children's progress up
    assert made_again(lambda: edit(example_copy / "content/objectives/2026-q4/make-dashboards-instant.md", "title: ", "title: Boxed — "))
    deeper = "content/objectives/2026-q4/new-deeper.md"
    assert made_again(lambda: write_files(example_copy, {deeper: (  # one more hidden below make-dashboards-instant's box
        "---\ntitle: Deeper\nperiod: 2026-Q4\nowner: platform\nparent: migrate-largest-tenants\nkey_results:\n  - title: Go\n    done: false\n---\n")}))
    for kind in ("team", "made private", "objective parent", "objective title", "objective owner", "deleted file", "no longer private"):
        EDITS[kind](example_copy)
        warm_equals_clean(example_copy, tmp_path)
        warm_equals_clean(example_copy, tmp_path, audience="public")


def test_a_person_page_says_whom_they_lead_and_follows_a_new_lead_in_a_warm_build(example_copy, tmp_path):
    """Priya Natarajan leads Platform and is listed among its members: her page said "Member of
    Engineering, Platform". It says she leads it, once; when the team file names another lead, a warm
    build (which keeps pages whose digest did not change) writes both people's pages anew."""
    def roles(name: str) -> str:
        page = (example_copy / "site/people" / name / "index.html").read_text(encoding="utf-8")
        return re.sub(r"<[^>]+>", "", re.search(r"</h1>\n<p>(.*?)</p>", page)[1])

    warm_equals_clean(example_copy, tmp_path)
    assert (roles("priya-natarajan"), roles("lukas-becker")) == ("Lead of Platform. Member of Engineering.", "Member of Platform.")
    assert roles("daniel-reyes") == "Lead of Engineering. Member of Tidewater Analytics."
    EDITS["team lead"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    assert (roles("priya-natarajan"), roles("lukas-becker")) == ("Member of Engineering, Platform.", "Lead of Platform.")


def test_a_warm_build_keeps_the_pages_an_edit_does_not_reach(example_copy, tmp_path):
    first = warm_equals_clean(example_copy, tmp_path)
    assert first.kept == 0
    page = example_copy / "site/kpis/p95-query-latency/index.html"
    before = page.stat().st_ino
    EDITS["objective"](example_copy)
    result = warm_equals_clean(example_copy, tmp_path)
    assert 0 < result.kept < first.pages
    assert page.stat().st_ino == before  # the very file of the last build, hard-linked into the new output
    assert (example_copy / "site/objectives/answer-customers-faster/index.html").stat().st_ino != before


def test_a_warm_build_of_objective_maps_equals_a_clean_one_and_keeps_the_maps_an_edit_does_not_reach(example_copy, tmp_path, monkeypatch):
    """An objective's own map shows its lineage and everything below it: an edit renders again the maps
    it is on, and keeps the others (a map used to be rendered again after any change at all)."""
    from okrsite.web import treelayout

    monkeypatch.setattr(treelayout.mark, "__defaults__", (3,))  # a tree of more than 3 gets maps of its own
    warm_equals_clean(example_copy, tmp_path)
    maps = example_copy / "site/alignment"
    assert {"win-customer-love", "reach-500k-mrr", "make-dashboards-instant"} <= {p.name for p in maps.iterdir() if p.is_dir()}
    inode = {name: (maps / name / "index.html").stat().st_ino for name in ("win-customer-love", "reach-500k-mrr")}
    EDITS["objective"](example_copy)  # answer-customers-faster, below win-customer-love
    warm_equals_clean(example_copy, tmp_path)
    assert (maps / "reach-500k-mrr/index.html").stat().st_ino == inode["reach-500k-mrr"]
    assert (maps / "win-customer-love/index.html").stat().st_ino != inode["win-customer-love"]
    edit(example_copy / OBJ, "title: ", "title: Renamed below the map's root — ")  # its parent's record is as it was
    warm_equals_clean(example_copy, tmp_path)
    for kind in ("team", "objective title", "objective parent", "objective owner", "body", "added file", "deleted file", "no longer private", "settings"):
        EDITS[kind](example_copy)
        warm_equals_clean(example_copy, tmp_path)
        warm_equals_clean(example_copy, tmp_path, audience="public")
    moved = example_copy / "content/objectives/2026-q4/acquire-kingfisher-analytics.md"
    edit(moved, "period: 2026-Q4", "period: 2026-Q3")  # a child leaves its parent's period: off the map, still in the list
    warm_equals_clean(example_copy, tmp_path)


def test_a_warm_build_of_the_a_to_z_list_in_pages_equals_a_clean_one_and_keeps_the_pages_an_edit_does_not_reach(example_copy, tmp_path, monkeypatch):
    """A page of the A–Z list (search/, search/2/, ...) is rendered again when one of its entries, the
    list's pages or the filters' choices change; the other pages are kept."""
    from okrsite.web import render, search

    for module in (render, search):
        monkeypatch.setattr(module, "LISTING_SIZE", 8)
    warm_equals_clean(example_copy, tmp_path)
    listing = sorted(example_copy.glob("site/search/*/index.html"))
    assert len(listing) >= 4
    inodes = {page: page.stat().st_ino for page in [example_copy / "site/search/index.html", *listing]}
    edit(example_copy / OBJ, "question quickly", "question very quickly")  # one entry renamed where it stands in the list
    warm_equals_clean(example_copy, tmp_path)
    changed = [page.relative_to(example_copy).as_posix() for page, inode in inodes.items() if page.stat().st_ino != inode]
    assert len(changed) == 1, changed
    for kind in ("objective", "kpi title", "team", "added file", "deleted file", "made private", "settings"):
        EDITS[kind](example_copy)
        warm_equals_clean(example_copy, tmp_path)
        warm_equals_clean(example_copy, tmp_path, audience="public")


def test_a_warm_build_of_the_alignment_list_in_parts_equals_a_clean_one_and_keeps_the_parts_an_edit_does_not_reach(example_copy, tmp_path, monkeypatch):
    """A part of a period's alignment list is made again when an objective of its trees, their owners
    or the list of parts change; the other parts are kept (they followed the whole site before)."""
    from okrsite.web import render

    monkeypatch.setattr(render, "ALIGNMENT_LIST_LIMIT", 4)
    warm_equals_clean(example_copy, tmp_path)
    parts = sorted(example_copy.glob("site/periods/2026-q4/alignment/*/index.html"))
    assert len(parts) >= 3
    inodes = {page: page.stat().st_ino for page in parts}
    EDITS["objective"](example_copy)  # answer-customers-faster's progress
    warm_equals_clean(example_copy, tmp_path)
    changed = [page for page, inode in inodes.items() if page.stat().st_ino != inode]
    assert len(changed) == 1 and 'data-objective-node="answer-customers-faster"' in changed[0].read_text(encoding="utf-8")
    for kind in ("team", "added file", "made private", "objective parent", "objective title", "objective owner", "deleted file", "no longer private"):
        EDITS[kind](example_copy)
        warm_equals_clean(example_copy, tmp_path)
        warm_equals_clean(example_copy, tmp_path, audience="public")


def test_an_edit_rewrites_one_shard_of_the_parsed_files(example_copy, tmp_path):
    warm_equals_clean(example_copy, tmp_path)
    shards = sorted((example_copy / CACHE_DIR).glob("parsed-*.cache"))
    assert len(shards) > 4
    before = {p.name: p.stat().st_mtime_ns for p in shards}
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    after = {p.name: p.stat().st_mtime_ns for p in sorted((example_copy / CACHE_DIR).glob("parsed-*.cache"))}
    assert after.keys() == before.keys() and sum(after[name] != before[name] for name in after) == 1


def test_each_shard_of_the_parsed_files_and_the_scores_holds_its_own_and_no_other(example_copy, tmp_path):
    from okrsite import cache

    warm_equals_clean(example_copy, tmp_path)
    store = cache.Store(example_copy / CACHE_DIR, cache.signing_key())
    parsed = {shard: store.load(f"parsed-{shard}", "parsed") or {} for shard in range(cache.SHARDS)}
    assert all(cache.shard_of(rel) == shard for shard, entries in parsed.items() for rel in entries)
    assert sum(map(len, parsed.values())) == len(list((example_copy / "content").rglob("*.md")))
    scores = sorted((example_copy / CACHE_DIR).glob("scores-*.cache"))
    assert scores
    for path in scores:
        key = json.loads(path.read_bytes().split(b"\n")[1])["key"]  # the settings' and the date's
        held = store.load(path.stem, key)
        assert held and all(cache.shard_of(ident) == int(path.stem.split("-")[1]) for ident in held)


def test_an_unchanged_build_is_done_at_once_and_says_so(example_copy, tmp_path, capsys):
    warm_equals_clean(example_copy, tmp_path)
    assert cli.main(["build", str(example_copy)]) == 0
    assert "(nothing changed since the last build)" in capsys.readouterr().out
    assert_same_site(example_copy / "site", tmp_path / "clean")


def open_cache_files(root: Path) -> list[str]:
    """The files of ``root``'s build cache this process holds open (Linux's /proc; elsewhere none are
    seen). Only that site's: a preview another test left running keeps its own cache open."""
    folder = Path("/proc/self/fd")
    if not folder.is_dir():
        pytest.skip("no /proc/self/fd here")
    held = []
    for fd in os.listdir(folder):
        try:
            target = os.readlink(folder / fd)
        except OSError:
            continue
        if target.startswith(f"{os.path.realpath(root / CACHE_DIR)}/"):
            held.append(target)
    return held


def test_a_build_lets_go_of_the_cache_files_it_read(example_copy, tmp_path):
    """A process that builds many times (a test run, a tool calling build()) must not keep every
    build's cache parts open: it ran out of file descriptors."""
    out = tmp_path / "out"
    assert build(example_copy, out, as_of=date(2026, 11, 20)).ok
    EDITS["objective"](example_copy)
    assert build(example_copy, out, as_of=date(2026, 11, 20)).ok
    assert open_cache_files(example_copy) == []


def test_the_as_of_date_and_the_options_are_part_of_the_cache(example_copy, tmp_path):
    warm_equals_clean(example_copy, tmp_path)
    for day in (date(2026, 12, 20), date(2027, 1, 15), date(2026, 11, 23)):
        assert not warm_equals_clean(example_copy, tmp_path, as_of=day).unchanged
    assert warm_equals_clean(example_copy, tmp_path, as_of=date(2026, 11, 23)).unchanged
    assert not warm_equals_clean(example_copy, tmp_path, as_of=date(2026, 11, 23), strict=True).unchanged


FINISHED_Q3 = {f"objectives/{name}/index.html" for name in (
    "expand-mid-market-sales", "launch-partner-marketplace", "open-the-european-market", "reach-500k-mrr",
    "ship-usage-based-pricing", "stand-up-frankfurt-region")} | {"periods/2026-q3/index.html", "periods/2026-q3/review/index.html"}


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_a_new_day_keeps_the_pages_of_finished_periods_and_renders_the_running_ones_again(example_copy, tmp_path, audience):
    """A finished period is frozen (SPEC §6) and its pages say so instead of the day: a build on the next
    day keeps them as the last build wrote them, and renders the running period's again. What they do
    show still makes them again, equal to a clean build each time: the title of an objective that
    continues one, a KPI value dated inside the period; a KPI value of today does not. When the running
    period ends, its pages are made once more (now final), and kept from the day after."""
    out = example_copy / "site"

    def made_again(change=None, **options) -> set[str]:
        inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
        if change:
            change()
        warm_equals_clean(example_copy, tmp_path, audience=audience, **options)
        return {path for path, inode in inodes.items() if (out / path).exists() and (out / path).stat().st_ino != inode}

    warm_equals_clean(example_copy, tmp_path, as_of=date(2026, 11, 23), audience=audience)
    running = "objectives/answer-customers-faster/index.html"
    day_after = made_again(as_of=date(2026, 11, 24))
    assert running in day_after and "index.html" in day_after
    assert not day_after & FINISHED_Q3, day_after & FINISHED_Q3
    assert "Final: 2026-Q3 <span>ended on" in (out / "objectives/reach-500k-mrr/index.html").read_text()

    follower = example_copy / "content/objectives/2026-q4/build-enterprise-pipeline.md"
    named = made_again(lambda: edit(follower, "title: Build", "title: Grow"), as_of=date(2026, 11, 24))
    assert named & FINISHED_Q3 == {"objectives/expand-mid-market-sales/index.html", "periods/2026-q3/review/index.html"}
    mrr = example_copy / "data/mrr.csv"
    late = made_again(lambda: mrr.write_text(mrr.read_text() + "2026-11-20,519000\n"), as_of=date(2026, 11, 24))
    assert not late & FINISHED_Q3, late & FINISHED_Q3
    inside = made_again(lambda: edit(mrr, "2026-09-30,488300", "2026-09-30,489300"), as_of=date(2026, 11, 25))
    assert {"objectives/reach-500k-mrr/index.html", "periods/2026-q3/review/index.html"} <= inside

    q4 = {running, "periods/2026-q4/index.html", "periods/2026-q4/review/index.html"}
    assert q4 <= made_again(as_of=date(2027, 1, 1))
    top = (out / running).read_text()  # the example's December KPI values are not in: its grades may still move
    assert "Provisional: 2026-Q4 <span>ended on" in top and "Final: 2026-Q4" not in top
    assert not made_again(as_of=date(2027, 1, 2)) & (q4 | FINISHED_Q3)


def test_a_change_to_the_output_is_undone_by_the_next_build(example_copy, tmp_path):
    """The output is checked, not trusted: an edited, removed or added file there makes a real build;
    okrsite's own files are made again, a file added by hand is kept as it is."""
    warm_equals_clean(example_copy, tmp_path)
    site = example_copy / "site"
    (site / "kpis/mrr/index.html").write_text("changed by hand")
    assert not warm_equals_clean(example_copy, tmp_path).unchanged
    (site / "kpis/mrr/index.html").unlink()
    warm_equals_clean(example_copy, tmp_path)
    (site / "kpis/stray.html").write_text("added by hand")
    assert not warm_equals_clean(example_copy, tmp_path, kept=("kpis/stray.html",)).unchanged
    assert warm_equals_clean(example_copy, tmp_path, kept=("kpis/stray.html",)).unchanged
    for undo in ("changed", "removed"):  # the cache's search-index part says the same index: it is made all the same
        index = site / "search/index.js"
        index.write_text("changed by hand") if undo == "changed" else index.unlink()
        assert not warm_equals_clean(example_copy, tmp_path, kept=("kpis/stray.html",)).unchanged


def test_an_output_file_touched_or_replaced_with_the_same_size_and_time_is_seen(example_copy, tmp_path):
    """The output's record (cache part build) keeps each file's inode, size and time and each folder's
    time: a file given another time with the same bytes, one replaced by a copy with the same size and
    time (another inode), and a folder added are each a real build, equal to a clean one."""
    warm_equals_clean(example_copy, tmp_path)
    page = example_copy / "site/kpis/mrr/index.html"
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**9))
    assert not warm_equals_clean(example_copy, tmp_path).unchanged
    assert warm_equals_clean(example_copy, tmp_path).unchanged
    stat = page.stat()
    shutil.copy2(page, page.with_name("copy.html"))
    os.replace(page.with_name("copy.html"), page)
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns) and page.stat().st_ino != stat.st_ino
    assert not warm_equals_clean(example_copy, tmp_path).unchanged
    (example_copy / "site/kpis/mrr/extra").mkdir()
    assert not warm_equals_clean(example_copy, tmp_path, kept=("kpis/mrr/extra/",)).unchanged


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """An edit that keeps the file's size and modification time: only its change time tells."""
    assert len(old.encode()) == len(new.encode())
    stat = path.stat()
    edit(path, old, new)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)


SETTLED_EDITS = {
    "objective, same size and time": lambda root: _same_size_edit(root / OBJ, "    start: 88\n", "    start: 87\n"),
    "csv, same size and time": lambda root: _same_size_edit(root / "data/mrr.csv", "2026-", "2025-"),
    "as_of setting, same size and time": lambda root: _same_size_edit(root / "okrsite.toml", "as_of = 2026-11-23", "as_of = 2026-12-04"),
    "template": EDITS["template"],
    "added file": EDITS["added file"],
    "deleted file": EDITS["deleted file"],
}


@pytest.mark.parametrize("kind", sorted(SETTLED_EDITS))
def test_with_every_input_settled_nothing_is_hashed_and_each_change_is_still_seen(example_copy, tmp_path, monkeypatch, kind):
    """When every file the last build was made of has the stat it recorded (each changed more than
    RACY_NS before it was looked at: here at once), a build with nothing changed neither hashes a goals
    file nor reads the inputs part; an edit that keeps a file's size and time, a CSV file, okrsite.toml's
    as_of, a template, a file added or deleted still make a real build, equal to a clean one."""
    from okrsite import cache

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    warm_equals_clean(example_copy, tmp_path)
    hashed, loaded = [], []
    real_digest, real_load = cache.Files.digest, cache.Store.load
    monkeypatch.setattr(cache.Files, "digest", lambda self, rel, keep=False: hashed.append(rel) or real_digest(self, rel, keep))
    monkeypatch.setattr(cache.Store, "load", lambda self, part, key: loaded.append(part) or real_load(self, part, key))
    assert warm_equals_clean(example_copy, tmp_path).unchanged
    assert hashed == [] and "inputs" not in loaded, (hashed, loaded)
    assert (example_copy / "okrsite.toml").read_text().count("as_of = 2026-11-23") == 1
    SETTLED_EDITS[kind](example_copy)
    result = warm_equals_clean(example_copy, tmp_path)
    assert not result.unchanged
    assert warm_equals_clean(example_copy, tmp_path).unchanged


def test_a_settled_build_follows_the_as_of_date_and_the_options(example_copy, tmp_path, monkeypatch):
    from okrsite import cache

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    warm_equals_clean(example_copy, tmp_path)
    assert warm_equals_clean(example_copy, tmp_path).unchanged
    assert not warm_equals_clean(example_copy, tmp_path, as_of=date(2026, 12, 1)).unchanged
    assert warm_equals_clean(example_copy, tmp_path, as_of=date(2026, 12, 1)).unchanged
    assert not warm_equals_clean(example_copy, tmp_path, as_of=date(2026, 12, 1), fail_on_stale=False, strict=True).unchanged


@needs_git
def test_a_settled_build_follows_the_commit_checked_out(tmp_path, monkeypatch):
    """With the history on, a new commit that changes no file (HEAD moves) is a real build."""
    from okrsite import cache

    from .gitrepo import SETTINGS, TEAM, objective

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, "content/objectives/reduce-churn.md": objective(current=0)},
                "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    (repo.root / ".gitignore").write_text("site/\n")
    warm_equals_clean(repo.root, tmp_path)
    assert warm_equals_clean(repo.root, tmp_path).unchanged
    repo.commit({}, "2026-11-05T08:00:00+00:00", "Ann Lee", "Nothing")
    assert not warm_equals_clean(repo.root, tmp_path).unchanged
    assert warm_equals_clean(repo.root, tmp_path).unchanged


@needs_git
def test_a_finished_objective_s_recent_changes_stay_while_the_site_moves_on(tmp_path, monkeypatch):
    """The "Recent changes" of an objective's page are its own commits, not a window over the whole site's
    last 50: a finished quarter's page read the same the day after it and a quarter later (60 commits of
    the next quarter since), is kept by the warm build (not written again), and equals a clean build."""
    from okrsite import cache

    from .gitrepo import TEAM, objective

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    repo = GitRepo(tmp_path / "goals")
    q1, q2 = "content/objectives/q1.md", "content/objectives/q2.md"
    (repo.root / ".gitignore").write_text("site/\n")
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, q1: objective("Q1 goal", current=0, period="2026-Q1"),
                 q2: objective("Q2 goal", current=0, period="2026-Q2")}, "2026-01-05T10:00:00+00:00")
    repo.commit({q1: objective("Q1 goal", current=8, period="2026-Q1")}, "2026-03-20T10:00:00+00:00", message="Check-in")
    repo.commit({q1: objective("Q1 goal", current=8, period="2026-Q1", status="missed")}, "2026-04-02T10:00:00+00:00", message="Close Q1")
    for n in range(1, 61):
        repo.commit({q2: objective("Q2 goal", current=n, period="2026-Q2")}, f"2026-{4 + n // 30:02d}-{1 + n % 30:02d}T12:00:00+00:00", message=f"Q2 {n}")
    page = repo.root / "site/objectives/q1/index.html"
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 4, 3))
    first, inode = page.read_bytes(), page.stat().st_ino
    assert first.count(b'<li><p class="change-head">') == 3
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 7, 1))
    assert page.read_bytes() == first and page.stat().st_ino == inode



@needs_git
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_a_finished_period_s_kpis_follow_the_targets_committed_by_its_end_in_a_warm_build(tmp_path, monkeypatch, audience):
    """A finished quarter's review judges its KPIs by their targets as committed by its end: January's new
    target keeps the review (not written again), and a history rewritten to date that target back
    (the files as before) changes it, as in a clean build."""
    from okrsite import cache

    from .git.test_git_site import CHURN, churn_kpi, churn_repo

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    repo = churn_repo(tmp_path / "goals", extra="confidential: true\n" if audience == "public" else "")
    (repo.root / ".gitignore").write_text("site/\n")
    extra = "confidential: true\n" if audience == "public" else ""
    repo.git("reset", "-q", "--hard", "HEAD~1")
    review = repo.root / "site/periods/2026-q4/review/index.html"
    warm_equals_clean(repo.root, tmp_path, as_of=date(2027, 1, 15), audience=audience)
    first, inode = review.read_bytes(), review.stat().st_ino
    repo.commit({CHURN: churn_kpi("2", "3.5", extra)}, "2027-01-10T10:00:00+00:00", message="2027 targets")
    warm_equals_clean(repo.root, tmp_path, as_of=date(2027, 1, 15), audience=audience)
    assert review.read_bytes() == first and review.stat().st_ino == inode
    repo.git("reset", "-q", "--soft", "HEAD~1")
    repo.commit({}, "2026-12-20T10:00:00+00:00", message="The 2027 targets, dated back")
    warm_equals_clean(repo.root, tmp_path, as_of=date(2027, 1, 15), audience=audience)
    assert b"critical" in review.read_bytes() and b"critical" not in first

@needs_git
def test_a_kpi_value_written_ahead_of_its_day_shows_in_the_changes_from_that_day_in_a_warm_build(tmp_path, monkeypatch):
    """A commit's line says a value dated after the site's day without its number (git/changes.py:
    _value_changes): the day that value's date is reached, its pages change, as in a clean build."""
    from okrsite import cache

    from .gitrepo import TEAM, objective

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    repo = GitRepo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")
    kpi = "---\ntitle: MRR\nowner: sales\nunit: USD\ntarget: 500000\ndata: data/mrr.csv\n---\n"
    repo.commit({"okrsite.toml": 'title = "G"\n', "content/teams/sales.md": TEAM, "content/objectives/q4.md": objective(),
                 "content/kpis/mrr.md": kpi, "data/mrr.csv": "date,value\n2026-10-01,400000\n"}, "2026-10-02T10:00:00+00:00")
    repo.commit({"data/mrr.csv": "date,value\n2026-10-01,400000\n2026-10-05,410000\n2026-11-30,480000\n"}, "2026-10-06T10:00:00+00:00", message="MRR")
    page = repo.root / "site/kpis/mrr/index.html"
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 11, 15))
    assert 'MRR: a value for <span class="nowrap">2026-11-30</span> (shown from that day)' in page.read_text() and "480,000" not in page.read_text()
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 11, 30))
    assert 'MRR: 2 new values, latest 480,000 USD on <span class="nowrap">2026-11-30</span>' in page.read_text()


def test_library_versions_are_read_without_importing_them():
    """code_version's libraries: the version importlib.metadata gives, from the dist-info beside each."""
    from importlib import metadata

    from okrsite.cache import LIBRARIES, library_version

    for name, module in LIBRARIES.items():
        try:
            expected = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected = "-"
        assert library_version(name, module) == expected, name
    assert library_version("No-Such-Library", "no_such_library_okrsite") == "-"


def test_a_public_build_keeps_its_pages_when_only_a_private_objective_changes(example_copy, tmp_path):
    """The public pages' digests are made from the public view: after a private objective's check-in
    a KPI page that cannot show it is the very file of the last build."""
    first = warm_equals_clean(example_copy, tmp_path, audience="public")
    page = example_copy / "site/kpis/p95-query-latency/index.html"
    before = page.stat().st_ino
    EDITS["private check-in"](example_copy)
    result = warm_equals_clean(example_copy, tmp_path, audience="public")
    assert first.kept == 0 < result.kept < first.pages
    assert page.stat().st_ino == before
    assert not (example_copy / "site/objectives/acquire-kingfisher-analytics").exists()


def _random_edit(rng: random.Random, root: Path, step: int):
    """One small edit of a goals file (a number, a title, an owner, a parent, a link, a file added or
    removed, an objective made private or public); returns what undoes it."""
    files = sorted(p for p in (root / "content").rglob("*.md"))
    target = rng.choice(files)
    original = text = target.read_text(encoding="utf-8")
    copy = None
    teams = ["company", "engineering", "go-to-market", "platform", "product-experience", "Ana Souza", "Lukas Becker"]
    choice = rng.randrange(8)
    if choice == 0 and re.search(r"\b(start|target|current|value): \d", text):
        text = re.sub(r"\b(start|target|current|value): (\d+)", lambda m: f"{m[1]}: {int(m[2]) + rng.randint(1, 9)}", text, count=1)
    elif choice == 1:
        text = text.replace("title: ", f"title: Step {step} ", 1)
    elif choice == 2 and "owner: " in text:
        text = re.sub(r"owner: .*", f"owner: {rng.choice(teams)}", text, count=1)
    elif choice == 3 and "parent: " in text and "objectives" in target.parts:
        others = [p.stem for p in files if "objectives" in p.parts and p != target and p.parent == target.parent]
        text = re.sub(r"parent: .*", f"parent: {rng.choice(others)}", text, count=1)
    elif choice == 4:
        text += f"\nSee [[{rng.choice([p.stem for p in files])}]].\n"
    elif choice == 5 and "objectives" in target.parts:
        copy = target.with_name(f"copy-{step}.md")
        copy.write_text(text.replace("title: ", "title: Copy of ", 1), encoding="utf-8")
    elif choice == 6 and "objectives" in target.parts:
        text = None
    elif choice == 7 and "objectives" in target.parts:
        text = text.replace("private: true\n", "") if "private: true\n" in text else text.replace("title: ", "private: true\ntitle: ", 1)
    if text is None:
        target.unlink()
    else:
        target.write_text(text, encoding="utf-8")

    def undo() -> None:
        target.write_text(original, encoding="utf-8")
        if copy is not None:
            copy.unlink()
    return undo

def test_a_warm_build_follows_the_files_a_body_links_to_as_they_move_and_change(example_copy, tmp_path):
    """A body's links to .md files lead to the pages of those files, and its images to the files copied
    beside the pages: when a linked file moves (the plain page's address with it, or a KPI's file while
    its id stays), is moved back, or an image's bytes change or it appears, the warm build is the clean one."""
    root = example_copy
    edit(root / OBJ, "A quick, helpful answer", "A quick, helpful answer ([MRR](../../kpis/mrr.md#why), [our way](../../how-we-do-okrs.md),"
                                              " ![chart](img/chart.png), ![later](img/later.png))")
    write_files(root, {"content/objectives/2026-q4/img/chart.png": "PNG one"})
    page = root / "site/objectives/answer-customers-faster/index.html"
    warm_equals_clean(root, tmp_path)
    assert 'href="../../how-we-do-okrs/index.html"' in page.read_text(encoding="utf-8")
    steps = [
        lambda: (root / "content/guide").mkdir(),
        lambda: (root / "content/how-we-do-okrs.md").rename(root / "content/guide/how-we-do-okrs.md"),  # the page moves, the link now leads nowhere
        lambda: (root / "content/guide/how-we-do-okrs.md").rename(root / "content/how-we-do-okrs.md"),  # and back
        lambda: (root / "content/kpis/finance").mkdir(),
        lambda: (root / "content/kpis/mrr.md").rename(root / "content/kpis/finance/mrr.md"),  # the same KPI, in another file
        lambda: (root / "content/objectives/2026-q4/img/chart.png").write_bytes(b"PNG two"),
        lambda: (root / "content/objectives/2026-q4/img/later.png").write_bytes(b"PNG later"),  # the missing image appears
        lambda: (root / "content/kpis/finance/mrr.md").rename(root / "content/kpis/mrr.md"),
    ]
    seen = {page.read_bytes()}
    for step in steps:
        step()
        warm_equals_clean(root, tmp_path)
        seen.add(page.read_bytes())
    # as first built, without the plain page, without the KPI's file; then with the image that appeared
    # (a missing image shows its text alternative), without the KPI's file and with it
    assert len(seen) == 5
    assert (root / "site/objectives/2026-q4/img/chart.png").read_bytes() == b"PNG two"
    assert (root / "site/objectives/2026-q4/img/later.png").read_bytes() == b"PNG later"


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_a_random_walk_of_edits_never_gives_another_site_than_a_clean_build(example_copy, tmp_path, audience):
    """Many small edits in a row (numbers, titles, owners, parents, links, files added and removed,
    objectives made private or public), each followed by a warm build compared with a clean one."""
    rng = random.Random(16)
    warm_equals_clean(example_copy, tmp_path, audience=audience)
    for step in range(24):
        undo = _random_edit(rng, example_copy, step)
        if not build(example_copy, example_copy / "site", audience=audience).ok:  # a cycle, a dangling reference: undo the edit
            undo()
            continue
        clean_build(example_copy, tmp_path / "clean", audience=audience)
        assert_same_site(example_copy / "site", tmp_path / "clean")


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_a_walk_through_the_days_with_edits_never_gives_another_site_than_a_clean_build(example_copy, tmp_path, audience):
    """Days go by, past the end of 2026-Q4 and into 2027, with an edit on some of them: each build, on
    its day, equals a clean build of that day (the pages of finished periods are kept from day to day;
    see test_a_new_day_keeps_the_pages_of_finished_periods_and_renders_the_running_ones_again)."""
    rng = random.Random(6)
    day = date(2026, 11, 23)
    warm_equals_clean(example_copy, tmp_path, as_of=day, audience=audience)
    for step in range(16):
        day = date.fromordinal(day.toordinal() + rng.choice([1, 1, 2, 5, 9, 17]))
        undo = _random_edit(rng, example_copy, step) if rng.random() < 0.6 else (lambda: None)
        if not build(example_copy, example_copy / "site", as_of=day, audience=audience).ok:
            undo()
            continue
        clean_build(example_copy, tmp_path / "clean", as_of=day, audience=audience)
        assert_same_site(example_copy / "site", tmp_path / "clean")
    assert day > date(2027, 1, 1), "the walk crosses the end of 2026-Q4"


def test_a_parallel_build_equals_a_serial_one(example_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    monkeypatch.setenv("OKRSITE_WORKERS", "2")
    from okrsite.web.render import Renderer

    pids = tmp_path / "pids"
    real = Renderer.render

    def render(self, view, page):
        with open(pids, "a") as file:
            file.write(f"{os.getpid()}\n")
        return real(self, view, page)

    monkeypatch.setattr(Renderer, "render", render)
    clean_build(example_copy, tmp_path / "parallel")
    rendered_by = set(pids.read_text().split())
    assert parallel.can_fork() and len(rendered_by) == 2 and str(os.getpid()) not in rendered_by  # two workers, not this process
    monkeypatch.setenv("OKRSITE_WORKERS", "1")
    clean_build(example_copy, tmp_path / "serial")
    assert_same_site(tmp_path / "parallel", tmp_path / "serial")
    monkeypatch.setenv("OKRSITE_WORKERS", "2")
    EDITS["template"](example_copy)
    warm_equals_clean(example_copy, tmp_path)


def test_files_read_by_workers_are_read_as_by_one_process(example_copy, tmp_path, monkeypatch):
    """A cold build with many files reads them in forked workers (cache.py: _read_apart): the same
    site, the same diagnostics in the same order, and a cache from which the next build reads nothing
    again; a file the cache knows is read by the build itself."""
    from okrsite import cache
    from okrsite.goals import load

    monkeypatch.setattr(cache, "READ_APART_FROM", 1)
    monkeypatch.setattr(cache, "READ_SPAN", 2)
    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)  # every stat tells: a file is hashed again only when its stat was not taken
    monkeypatch.setenv("OKRSITE_WORKERS", "2")
    pids = tmp_path / "pids"
    real = load.load_document

    def reading(root, path, report, raw=None):
        with open(pids, "a") as file:
            file.write(f"{os.getpid()}\n")
        return real(root, path, report, raw)

    monkeypatch.setattr(load, "load_document", reading)
    hashed_here = []
    real_hash = cache._hash
    monkeypatch.setattr(cache, "_hash", lambda data: hashed_here.append(data) or real_hash(data))  # by this process: a worker's list is its own

    def built_by() -> list[str]:
        pids.unlink(missing_ok=True)
        assert build(example_copy, example_copy / "site").ok
        found = pids.read_text().split() if pids.exists() else []
        clean_build(example_copy, tmp_path / "clean")
        assert_same_site(example_copy / "site", tmp_path / "clean")
        return found

    read_by = set(built_by())
    assert parallel.can_fork() and len(read_by) == 2 and str(os.getpid()) not in read_by
    goals_files = list((example_copy / "content").rglob("*.md"))
    assert not {path.read_bytes() for path in goals_files} & set(hashed_here)  # the workers' hashes are taken, not made again
    assert built_by() == []
    EDITS["objective"](example_copy)
    assert built_by() == [str(os.getpid())]  # one file changed: read here
    write_files(example_copy, {
        "content/objectives/not-utf8.md": "---\ntitle: caf\xe9\n---\n",
        "content/objectives/unclosed.md": "---\ntitle: Unclosed\n",
        "content/objectives/bad-yaml.md": "---\ntitle: [unclosed\nowner: x\n---\n",
        "content/objectives/no-period.md": "---\ntitle: No period\nowner: x\n---\nSee [[nowhere]].\n",
        "content/pages/empty.md": "",
    })
    (example_copy / "content/objectives/not-utf8.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    found = {}
    for workers in ("2", "1"):
        monkeypatch.setenv("OKRSITE_WORKERS", workers)
        shutil.rmtree(example_copy / CACHE_DIR)
        result = build(example_copy, tmp_path / f"site-{workers}")
        assert not result.ok
        found[workers] = result.report.items
    assert found["2"] == found["1"] == build(example_copy, tmp_path / "clean", cache=False).report.items
    assert len(found["1"]) >= 5


def test_rows_beyond_those_kept_are_rendered_the_same(example_copy, tmp_path, monkeypatch):
    """A large site remembers only ROWS_KEPT objective rows; the others are rendered each time they are shown."""
    from okrsite.web import render

    monkeypatch.setenv("OKRSITE_WORKERS", "1")
    clean_build(example_copy, tmp_path / "all-kept")
    monkeypatch.setattr(render, "ROWS_KEPT", 3)
    kept = []
    real = render.Renderer.render

    def counting(self, view, page):
        kept.append(len(self._rows))
        return real(self, view, page)

    monkeypatch.setattr(render.Renderer, "render", counting)
    clean_build(example_copy, tmp_path / "few-kept")
    assert max(kept) == 3
    assert_same_site(tmp_path / "few-kept", tmp_path / "all-kept")


def test_workers_come_from_the_environment_then_the_setting(example_copy, monkeypatch, capsys):
    from okrsite.goals.config import Settings

    notes: list[str] = []
    monkeypatch.setenv("OKRSITE_WORKERS", "3")
    assert parallel.worker_count(Settings(workers=2), notes) == 3
    monkeypatch.setenv("OKRSITE_WORKERS", "many")
    assert parallel.worker_count(Settings(workers=2), notes) == 2
    assert notes == ["OKRSITE_WORKERS='many' is not a whole number of processes (1 or more): it is ignored"]
    monkeypatch.delenv("OKRSITE_WORKERS")
    assert parallel.worker_count(Settings(), []) == parallel.available_cores()
    assert parallel.worker_count(Settings(), [], parallel.ONE_PROCESS_FROM - 1) == parallel.available_cores()
    assert parallel.worker_count(Settings(), [], parallel.ONE_PROCESS_FROM) == 1  # a large site: one model in memory, not one per core
    assert parallel.worker_count(Settings(workers=2), [], parallel.ONE_PROCESS_FROM) == 2
    write_files(example_copy, {"okrsite.toml": (example_copy / "okrsite.toml").read_text() + "workers = 0\n"})
    assert cli.main(["build", str(example_copy)]) == 1
    assert "setting 'workers' must be a whole number of processes, at least 1" in capsys.readouterr().err


# -- faults -------------------------------------------------------------------------------------------


def parses_counted(monkeypatch) -> list[str]:
    """The goals files parsed from here on (okrsite.goals.load.load_document), by name."""
    from okrsite.goals import load

    parsed, parse = [], load.load_document
    monkeypatch.setattr(load, "load_document", lambda root, path, *rest: parsed.append(path.name) or parse(root, path, *rest))
    return parsed


def cache_state(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted((root / CACHE_DIR).rglob("*")) if p.is_file()}


def said(report: Report) -> list[tuple]:
    return [(d.severity, d.file, d.line, d.message, d.hint) for d in report.items]


def test_check_reads_what_the_last_build_parsed_and_writes_nothing(example_copy, monkeypatch):
    """A check after a build parses only the files changed since (in CI: after the cache is restored), says
    exactly what a check without the cache says, and leaves the cache as the build left it."""
    from okrsite.build import check

    assert build(example_copy).ok
    kept = cache_state(example_copy)
    edit(example_copy / OBJ, "    start: 88\n", "    start: 88\n    current: lots\n")  # an error, in one file
    (example_copy / "content/kpis/mrr.md").touch()  # the same bytes: not parsed again either
    parsed = parses_counted(monkeypatch)
    notes: list[str] = []
    with_cache = check(example_copy, notes=notes)
    assert parsed == [Path(OBJ).name] and notes == []
    parsed.clear()
    without = check(example_copy, cache=False)
    assert len(parsed) > 20
    assert said(with_cache) == said(without) and with_cache.errors
    assert cache_state(example_copy) == kept
    assert check(example_copy, date(2026, 10, 1)).items == check(example_copy, date(2026, 10, 1), cache=False).items  # another day


def test_check_makes_no_cache_and_reads_none_while_a_build_holds_the_site(example_copy, monkeypatch):
    from okrsite.build import check
    from okrsite.web.lock import Lock, folder_lock

    parsed = parses_counted(monkeypatch)
    assert not check(example_copy).failed()
    assert not (example_copy / CACHE_DIR).exists()
    assert build(example_copy).ok
    parsed.clear()
    with folder_lock(example_copy) as lock:  # as a running build (or `okrsite serve`) holds it
        assert lock is Lock.TAKEN
        assert not check(example_copy).failed()
    assert len(parsed) > 20  # the cache may be half written: every file read instead


@pytest.mark.parametrize("how", ["truncated", "another version"])
def test_check_with_a_damaged_cache_is_one_note_and_the_same_report(example_copy, capsys, how):
    assert build(example_copy).ok
    EDITS["objective"](example_copy)
    damage(example_copy / CACHE_DIR, how)
    damaged = cache_state(example_copy)
    capsys.readouterr()
    assert cli.main(["check", str(example_copy)]) == 0
    out, err = capsys.readouterr()
    notes = [line for line in err.splitlines() if "note:" in line]
    assert len(notes) == 1 and notes[0].endswith("; the check reads the files instead") and "Traceback" not in err, err
    assert cache_state(example_copy) == damaged  # a check removes no part it cannot use: a build does
    assert cli.main(["check", str(example_copy), "--no-cache"]) == 0
    again, err = capsys.readouterr()
    assert again == out and "note:" not in err


def damage(folder: Path, how: str) -> None:
    parts = sorted(folder.glob("*.cache"))
    assert parts
    for part in parts:
        raw = part.read_bytes()
        if how == "random bytes":
            part.write_bytes(random.Random(part.name).randbytes(len(raw)))
        elif how == "truncated":
            part.write_bytes(raw[: len(raw) // 2])
        elif how == "flipped byte":
            at = len(raw) - 10
            part.write_bytes(raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1:])
        elif how == "another version":
            part.write_bytes(raw.replace(code_version().encode(), b"0.0.1+00000000000000000000"))
        elif how == "empty":
            part.write_bytes(b"")


@pytest.mark.parametrize("how", ["random bytes", "truncated", "flipped byte", "another version", "empty"])
def test_a_damaged_cache_is_one_note_and_a_correct_build(example_copy, tmp_path, capsys, how):
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    damage(example_copy / CACHE_DIR, how)
    assert cli.main(["build", str(example_copy)]) == 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if "note: the build cache" in line]
    assert len(notes) == 1 and "Traceback" not in err, err
    assert notes[0].startswith("okrsite build: note: the build cache .okrsite-cache/ ") and notes[0].endswith("; this build makes it again")
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")
    assert cli.main(["build", str(example_copy)]) == 0  # made again: no note the next time
    assert "note:" not in capsys.readouterr().err


def test_a_cache_folder_that_cannot_be_used_is_one_note(example_copy, tmp_path, capsys):
    """A file where the cache folder goes: the build and the check each say so, and use no cache (the
    build cannot make one there: it does not say it does)."""
    (example_copy / CACHE_DIR).write_text("a file where the cache folder goes")
    assert cli.main(["build", str(example_copy)]) == 0
    err = capsys.readouterr().err
    assert err.count("note:") == 1 and "is not a folder" in err and err.rstrip().endswith("; this build runs without it"), err
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")
    assert cli.main(["check", str(example_copy)]) == 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if "note:" in line]
    assert len(notes) == 1 and "is not a folder" in notes[0] and notes[0].endswith("; the check reads the files instead"), err
    assert (example_copy / CACHE_DIR).read_text() == "a file where the cache folder goes"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_cache_folder_is_one_note(example_copy, tmp_path, capsys):
    warm_equals_clean(example_copy, tmp_path)
    folder = example_copy / CACHE_DIR
    folder.chmod(0)
    try:
        EDITS["kpi"](example_copy)
        assert cli.main(["build", str(example_copy)]) == 0
        err = capsys.readouterr().err
        assert err.count("note: the build cache") == 1 and "Traceback" not in err
    finally:
        folder.chmod(0o755)
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")


def test_an_unreadable_cache_part_is_one_note(example_copy, tmp_path, capsys, monkeypatch):
    """As root no permission stops a read: a part whose read fails (EACCES) stands for it."""
    warm_equals_clean(example_copy, tmp_path)
    real = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.suffix == ".cache":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    EDITS["kpi"](example_copy)
    assert cli.main(["build", str(example_copy)]) == 0
    err = capsys.readouterr().err
    assert err.count("note:") == 1 and "cannot be read (" in err and "Permission denied" in err
    monkeypatch.undo()
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")


def test_a_cache_is_no_place_to_run_code(example_copy, tmp_path, capsys):
    """A part is read back with only okrsite's model classes and dates: a pickle that would call
    anything else is a damaged part, with a valid checksum and version or not."""
    import json
    import pickle

    from okrsite import cache

    warm_equals_clean(example_copy, tmp_path)
    part = sorted((example_copy / CACHE_DIR).glob("parsed-*.cache"))[0]
    magic, header, _ = part.read_bytes().split(b"\n", 2)
    payload = pickle.dumps(os.system)  # what an attacker would put there, signed with this user's own key
    fields = json.loads(header) | {"size": len(payload)}
    fields["mac"] = cache._mac(cache.signing_key(), fields, payload)
    part.write_bytes(magic + b"\n" + json.dumps(fields).encode() + b"\n" + payload)
    EDITS["objective"](example_copy)
    assert cli.main(["build", str(example_copy)]) == 0
    assert f"is damaged ({part.name})" in capsys.readouterr().err
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")


def test_a_cache_made_by_another_user_or_machine_is_one_note(example_copy, tmp_path, capsys, monkeypatch):
    """Parts are signed with a key of this user's, kept outside the site: a cache committed to the
    repository or copied from another machine is never read (its Markdown could be any HTML)."""
    from okrsite import cache

    warm_equals_clean(example_copy, tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    cache._key_at.cache_clear()
    try:
        EDITS["kpi"](example_copy)
        assert cli.main(["build", str(example_copy)]) == 0
        err = capsys.readouterr().err
        assert err.count("note:") == 1 and "was made by another user or on another machine" in err
        assert (tmp_path / "elsewhere/okrsite/cache-key").stat().st_mode & 0o777 == 0o600
        clean_build(example_copy, tmp_path / "clean")
        assert_same_site(example_copy / "site", tmp_path / "clean")
        assert cli.main(["build", str(example_copy)]) == 0 and "note:" not in capsys.readouterr().err
    finally:
        cache._key_at.cache_clear()


EXTRA = "---\ntitle: An extra goal\nperiod: 2026-Q4\nowner: platform\nkey_results:\n  - title: Do it\n    done: true\n---\n"


def built_and_gone(root: Path, count: int = 12) -> None:
    """Built with ``count`` objectives more, then without them: the shards of their parsed files, scores
    and okrs.json's texts that held nothing else were written empty, and nothing now writes them."""
    extras = {f"content/objectives/2026-q4/extra-{n}.md": EXTRA for n in range(1, count + 1)}
    write_files(root, extras)
    assert build(root).ok
    for rel in extras:
        (root / rel).unlink()
    assert build(root).ok


def made_foreign(monkeypatch, keys: Path, how: str) -> None:
    """The cache made by another okrsite (an upgrade), or signed with a key since removed."""
    from okrsite import cache

    if how == "another version":
        monkeypatch.setattr(cache, "code_version", lambda: "0.1.0+upgraded")
    else:
        (keys / cache.KEY_FILE).unlink()
        cache._key_at.cache_clear()


@pytest.mark.parametrize("how", ["another version", "a new key"])
def test_the_note_on_a_foreign_cache_is_said_by_the_first_build_only(example_copy, tmp_path, monkeypatch, how):
    """QA: after an upgrade or a new key, the parts of files gone since were never written again (a build
    writes what changed), and every later build and check said the note. The build that finds a part it
    cannot use writes it anew or removes it: the note is its own, and the site a clean build's."""
    from okrsite.build import check

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "keys"))
    built_and_gone(example_copy)
    made_foreign(monkeypatch, tmp_path / "keys", how)
    said = []
    for step in range(3):
        edit(example_copy / "content/how-we-do-okrs.md", "title: ", f"title: Step {step} — ")
        said.append(warm_equals_clean(example_copy, tmp_path).notes)
    assert len(said[0]) == 1 and said[1:] == [[], []], said
    notes: list[str] = []
    check(example_copy, notes=notes)
    assert notes == []


def test_a_build_killed_after_the_note_on_a_foreign_cache_leaves_a_usable_one(example_copy, tmp_path, monkeypatch):
    """The parts a build removes as foreign are parts it would not have used: killed before it wrote them
    anew, it leaves a cache the next build uses, with the note at most once more."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "keys"))
    built_and_gone(example_copy)
    made_foreign(monkeypatch, tmp_path / "keys", "a new key")
    EDITS["objective"](example_copy)
    assert killed_build(example_copy, after=3) == -signal.SIGKILL
    EDITS["kpi"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    EDITS["team"](example_copy)
    assert warm_equals_clean(example_copy, tmp_path).notes == []


def test_without_a_key_there_is_no_cache_and_one_note(example_copy, tmp_path, capsys, monkeypatch):
    from okrsite import cache

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    cache._key_at.cache_clear()
    try:
        assert cli.main(["build", str(example_copy)]) == 0
        err = capsys.readouterr().err
        assert err.count("note:") == 1 and "there is no key to sign it with" in err and "; this build runs without it" in err
        assert not (example_copy / CACHE_DIR).exists()
    finally:
        cache._key_at.cache_clear()


def test_a_check_makes_no_key_and_says_it_cannot_verify_the_cache(example_copy, tmp_path, capsys, monkeypatch):
    """A check only reads: with a cache but no key of this user's (a CI job that restored the cache and
    not the key), it makes no key, says so in one note and reads the files; its report is the same."""
    from okrsite import cache

    assert build(example_copy).ok
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "keys"))
    cache._key_at.cache_clear()
    try:
        assert cli.main(["check", str(example_copy)]) == 0
        said = capsys.readouterr()
        notes = [line for line in said.err.splitlines() if "note:" in line]
        assert len(notes) == 1 and "cannot be verified: there is no key of yours" in notes[0], said.err
        assert notes[0].endswith("; the check reads the files instead")
        assert not (tmp_path / "keys").exists()
        assert cli.main(["check", "--no-cache", str(example_copy)]) == 0
        plain = capsys.readouterr()
        assert plain.out == said.out and plain.err.splitlines() == [line for line in said.err.splitlines() if "note:" not in line]
    finally:
        cache._key_at.cache_clear()


def test_no_cache_neither_reads_nor_writes_it(example_copy, tmp_path):
    assert build(example_copy, cache=False).ok
    assert not (example_copy / CACHE_DIR).exists()
    assert build(example_copy).ok
    made = files_of(example_copy / CACHE_DIR)
    EDITS["kpi"](example_copy)
    assert build(example_copy, cache=False).ok
    assert files_of(example_copy / CACHE_DIR) == made
    warm_equals_clean(example_copy, tmp_path)  # the cache of before the clean build still gives the right site


def test_the_cache_folder_is_ignored_by_git_by_itself(example_copy):
    assert build(example_copy).ok
    folder = example_copy / CACHE_DIR
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    made = (folder / ".gitignore").read_text()
    (folder / ".gitignore").write_text("# emptied by hand\n")  # else `git add -A` commits the whole cache
    EDITS["objective"](example_copy)
    assert build(example_copy).ok
    assert (folder / ".gitignore").read_text() == made


@pytest.mark.parametrize("built_before", [False, True])
def test_the_output_may_not_be_the_cache(example_copy, capsys, built_before):
    """QA: with the cache made by an earlier build, `-o .okrsite-cache` was refused as a folder "not
    made by okrsite", which okrsite did make: it is refused as the cache, as before the first build."""
    if built_before:
        assert build(example_copy).ok
    assert cli.main(["build", str(example_copy), "-o", str(example_copy / CACHE_DIR)]) == 1
    err = capsys.readouterr().err
    assert "is or holds okrsite's build cache .okrsite-cache/ (choose another folder, e.g. -o site)" in err and "not made by okrsite" not in err


# -- killed builds ------------------------------------------------------------------------------------

KILLER = """
import os, signal, sys
from okrsite.web import render
real, count = render.Renderer.render, [0]
def render_and_die(self, view, page):
    count[0] += 1
    if count[0] == {after}:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(self, view, page)
render.Renderer.render = render_and_die
{more}
from okrsite import cli
sys.exit(cli.main(["build", sys.argv[1]]))
"""


def killed_build(root: Path, after: int, more: str = "") -> int:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]), OKRSITE_WORKERS="1")
    done = subprocess.run([sys.executable, "-c", KILLER.format(after=after, more=more), str(root)], env=env, capture_output=True, timeout=300)
    return done.returncode


def test_a_killed_warm_build_leaves_the_last_output_and_a_usable_cache(example_copy, tmp_path):
    warm_equals_clean(example_copy, tmp_path)
    before = files_of(example_copy / "site")
    EDITS["objective"](example_copy)
    EDITS["team"](example_copy)
    assert killed_build(example_copy, after=3) == -signal.SIGKILL
    assert files_of(example_copy / "site") == before  # the last output, whole
    warm_equals_clean(example_copy, tmp_path)  # and the next build is right
    assert not [p.name for p in example_copy.iterdir() if p.name.startswith((".okrsite-tmp", ".okrsite-old"))]  # the killed build's folder is gone


def test_a_build_killed_while_saving_the_cache_leaves_a_usable_cache(example_copy, tmp_path):
    warm_equals_clean(example_copy, tmp_path)
    EDITS["kpi"](example_copy)
    die_in_save = (
        "from okrsite import cache\n"
        "real_save, saved = cache.Store.save, [0]\n"
        "def save(self, part, key, value):\n"
        "    saved[0] += 1\n"
        "    if saved[0] == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real_save(self, part, key, value)\n"
        "cache.Store.save = save\n"
    )
    assert killed_build(example_copy, after=10**9, more=die_in_save) == -signal.SIGKILL
    EDITS["csv"](example_copy)
    result = warm_equals_clean(example_copy, tmp_path)
    assert result.notes == []



@pytest.mark.parametrize("part", ["parsed-", "markdown", "okrs-", "pages"])
def test_a_build_killed_halfway_through_writing_a_part_leaves_a_usable_cache(example_copy, tmp_path, part):
    """A part is written as it is made (cache.PartWriter: okrs.json's texts and the bodies while the
    pages are written): killed halfway through one, the part is the last build's, and the half-written
    file beside it is never read."""
    warm_equals_clean(example_copy, tmp_path)
    EDITS["body"](example_copy)
    die_in_write = (
        "from okrsite import cache\n"
        "real_write = cache.PartWriter.write\n"
        "def write(self, data):\n"
        "    real_write(self, data)\n"
        f"    if self.part.startswith({part!r}):\n"
        "        self.file.flush()\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "cache.PartWriter.write = write\n"
    )
    assert killed_build(example_copy, after=10**9, more=die_in_write) == -signal.SIGKILL
    assert [p for p in (example_copy / CACHE_DIR).glob(f".{part}*.tmp") if p.stat().st_size > len(cache_magic())]
    EDITS["kpi"](example_copy)
    result = warm_equals_clean(example_copy, tmp_path)
    assert result.notes == [] and result.kept


def cache_magic() -> bytes:
    from okrsite import cache

    return cache._MAGIC


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_build_saves_each_body_as_it_renders_it_or_a_worker_sends_it_back(example_copy, tmp_path, monkeypatch, workers):
    """A body goes to the cache as it is rendered in one process (every large site), or as a forked
    worker sends it back, not held until the end (cache.Bodies): the next build renders only the
    bodies of what changed, and after each kind of edit the site is a clean build's."""
    from okrsite import cache
    from okrsite.web import render

    monkeypatch.setenv("OKRSITE_WORKERS", workers)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    held, real_save = [], cache.Bodies.save
    monkeypatch.setattr(cache.Bodies, "save", lambda self, in_use: held.append(dict.__len__(self)) or real_save(self, in_use))
    warm_equals_clean(example_copy, tmp_path)
    assert held and not any(held)  # every body written as it came
    log = tmp_path / "rendered.json"  # written by whichever process renders
    real = render.render_markdown

    def rendering(md, text, resolve, *rest):
        with open(log, "a", encoding="utf-8") as file:
            file.write(json.dumps(text) + "\n")
        return real(md, text, resolve, *rest)

    monkeypatch.setattr(render, "render_markdown", rendering)
    for kind in ("body", "objective title", "added file", "deleted file", "page", "settings"):
        log.write_text("")
        EDITS[kind](example_copy)
        result = build(example_copy, example_copy / "site")
        assert result.ok and not result.notes
        rendered = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        if kind == "body":
            assert len(rendered) == 1 and "A quick and helpful answer (see [[mrr]])" in rendered[0], rendered
        elif kind == "added file":
            assert rendered == ["Links to [[mrr]].\n"], rendered
        clean_build(example_copy, tmp_path / "clean")
        assert_same_site(example_copy / "site", tmp_path / "clean")



# -- the spare output folder ---------------------------------------------------------------------------

SPARE = ".okrsite-spare-site"
CHANGES = {
    "file changed in place": lambda folder: (folder / "kpis/mrr/index.html").write_text("changed by hand"),
    "file added": lambda folder: (folder / "CNAME").write_text("okrs.example.com\n"),
    "file deleted": lambda folder: (folder / "teams/platform/index.html").unlink(),
    "folder deleted": lambda folder: shutil.rmtree(folder / "kpis/p95-query-latency"),
    "file added to a page's folder": lambda folder: (folder / "kpis/mrr/notes.txt").write_text("added by hand"),
    "file replaced": lambda folder: ((folder / "teams/platform/index.html").unlink(), (folder / "teams/platform/index.html").write_text("replaced")),
}


ADDED_BY_HAND = {"file added": ["CNAME"], "file added to a page's folder": ["kpis/mrr/notes.txt"]}


@pytest.mark.parametrize("where", ["site", SPARE])
@pytest.mark.parametrize("how", sorted(CHANGES))
def test_a_warm_build_made_from_the_spare_equals_a_clean_one_even_after_a_change_to_it(example_copy, tmp_path, how, where):
    """The output a build replaced is the next build's folder: changed while it was the site (a deploy
    step writing CNAME) or since, it still gives exactly the clean build's files."""
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    CHANGES[how](example_copy / where)
    EDITS["kpi"](example_copy)
    spare = os.stat(example_copy / SPARE).st_ino
    kept = tuple(ADDED_BY_HAND.get(how, ())) if where == "site" else ()  # added to the spare: not the site's, nobody's to keep
    result = warm_equals_clean(example_copy, tmp_path, kept=kept)
    assert os.stat(example_copy / "site").st_ino == spare, "the spare became the site"
    assert 0 < result.kept < result.pages
    EDITS["team"](example_copy)
    warm_equals_clean(example_copy, tmp_path, kept=kept)


@pytest.mark.parametrize("how", [*sorted(CHANGES), "a failed build"])
def test_the_spare_s_folders_left_as_listed_are_not_listed_again_and_the_build_equals_a_clean_one(example_copy, tmp_path, monkeypatch, how):
    """A folder of the spare that is the very folder (inode, time) the build that wrote it left has the
    files it left (web/write.py: Listing): a change to the spare or the site (or a failed build
    that wrote into the spare) changes its folder's time, and that folder is listed again."""
    from okrsite.web import write
    from okrsite.web.render import Renderer

    monkeypatch.setattr(write, "RACY_NS", 0)  # a folder written a moment ago is settled (else every folder of a quick build is listed)
    trusted, real_entries = [], write._entries
    monkeypatch.setattr(write, "_entries", lambda root, listing=None: (lambda found: trusted.append(found[3]) or found)(real_entries(root, listing)))
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)  # the site's folder and its listing; the cold build's output is the spare
    if how == "a failed build":
        EDITS["team"](example_copy)
        real_render, count = Renderer.render, [0]
        monkeypatch.setattr(Renderer, "render", lambda self, view, page: real_render(self, view, page) if (count.__setitem__(0, count[0] + 1) or count[0] < 4) else 1 / 0)
        monkeypatch.setenv("OKRSITE_WORKERS", "1")
        with pytest.raises(ZeroDivisionError):
            build(example_copy, example_copy / "site")
        monkeypatch.setattr(Renderer, "render", real_render)
        assert (example_copy / SPARE).is_dir(), "the failed build's folder is the spare"
    else:
        CHANGES[how](example_copy / SPARE)
    trusted.clear()
    EDITS["kpi"](example_copy)
    result = warm_equals_clean(example_copy, tmp_path)
    assert 0 < result.kept < result.pages
    assert trusted and len(trusted[0]) > 10, "most folders of the spare were taken as listed"
    listed_again = {"file added to a page's folder": "kpis/mrr", "file replaced": "teams/platform", "folder deleted": "kpis", "file deleted": "teams/platform"}
    assert listed_again.get(how) not in trusted[0]
    EDITS["team"](example_copy)
    warm_equals_clean(example_copy, tmp_path)


def test_a_build_that_fails_while_updating_the_spare_leaves_the_last_output(example_copy, tmp_path, monkeypatch):
    from okrsite.web.render import Renderer

    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    before = files_of(example_copy / "site")
    EDITS["team"](example_copy)
    real, count = Renderer.render, [0]

    def render(self, view, page):
        count[0] += 1
        if count[0] == 3:
            raise RuntimeError("stopped")
        return real(self, view, page)

    monkeypatch.setattr(Renderer, "render", render)
    monkeypatch.setenv("OKRSITE_WORKERS", "1")
    with pytest.raises(RuntimeError):
        build(example_copy, example_copy / "site")
    monkeypatch.undo()
    assert files_of(example_copy / "site") == before
    warm_equals_clean(example_copy, tmp_path)


def test_a_build_killed_while_updating_the_spare_leaves_the_last_output_and_a_right_next_build(example_copy, tmp_path):
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    before = files_of(example_copy / "site")
    EDITS["team"](example_copy)
    assert killed_build(example_copy, after=3) == -signal.SIGKILL
    assert files_of(example_copy / "site") == before
    assert [p.name for p in example_copy.glob(".okrsite-tmp-site-*")] and not (example_copy / SPARE).exists(), "the spare, half updated, is a temporary folder"
    warm_equals_clean(example_copy, tmp_path)
    assert not [p.name for p in example_copy.iterdir() if p.name.startswith((".okrsite-tmp", ".okrsite-old"))]


CHECKED_OUT = {"content", "data", "okrsite.toml"}  # example_copy's files, as a checkout has them


def restored_as_in_ci(root: Path, saved: Path, cached: tuple[str, ...] = ("site", CACHE_DIR)) -> None:
    """What a CI job starts from: a fresh checkout (every goals file written anew) with the output and
    the build cache (the ``cached`` folders) put back from the CI's cache (every file anew: another
    inode, its time kept); nothing else the last job left (the spare, what is not cached)."""
    for name in cached:
        shutil.copytree(root / name, saved / name, symlinks=True)
    for left in root.iterdir():
        if left.name not in CHECKED_OUT:
            shutil.rmtree(left) if left.is_dir() and not left.is_symlink() else left.unlink()
    for name in cached:
        shutil.copytree(saved / name, root / name, symlinks=True)
    for path in [*(root / "content").rglob("*"), *(root / "data").rglob("*"), root / "okrsite.toml"]:
        if path.is_file():
            path.write_bytes(path.read_bytes())


def test_a_ci_job_that_restores_the_output_with_the_cache_keeps_the_pages_an_edit_does_not_reach(example_copy, tmp_path):
    first = warm_equals_clean(example_copy, tmp_path)
    restored_as_in_ci(example_copy, tmp_path / "ci-cache")
    page = example_copy / "site/kpis/p95-query-latency/index.html"
    restored = page.stat().st_ino
    EDITS["objective"](example_copy)
    result = warm_equals_clean(example_copy, tmp_path)
    assert first.pages // 2 < result.kept < first.pages
    assert page.stat().st_ino == restored  # the restored file, known by its bytes, hard-linked into the new output
    again = warm_equals_clean(example_copy, tmp_path)
    assert again.unchanged


def test_the_gitlab_example_keeps_the_cache_its_key_and_the_output_inside_the_project(example_copy, tmp_path, monkeypatch):
    """docs/ci/gitlab-ci.yml: GitLab caches only folders inside the project, so the key is kept there
    (XDG_CACHE_HOME); with the three folders it caches restored, a job's build keeps the pages an edit
    does not reach, as on GitHub."""
    from okrsite import cache

    job = yaml.safe_load((REPO / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    project = str(example_copy)
    monkeypatch.setenv("XDG_CACHE_HOME", job["variables"]["XDG_CACHE_HOME"].replace("$CI_PROJECT_DIR", project))
    out = example_copy / job["artifacts"]["paths"][0]
    cached = tuple(job["cache"]["paths"])
    assert set(cached) >= {CACHE_DIR, out.name}
    cache._key_at.cache_clear()
    try:
        first = warm_equals_clean(example_copy, tmp_path, out=out)
        assert cache.key_path().is_file() and cache.key_path().is_relative_to(example_copy)
        assert any(cache.key_path().is_relative_to(example_copy / name) for name in cached), "the key is cached"
        restored_as_in_ci(example_copy, tmp_path / "ci-cache", cached)
        cache._key_at.cache_clear()  # a new job: a new process reads the restored key
        EDITS["objective"](example_copy)
        result = warm_equals_clean(example_copy, tmp_path, out=out)
        assert first.pages // 2 < result.kept < first.pages
        assert not result.notes, result.notes
    finally:
        cache._key_at.cache_clear()


RESTORED_WRONG = {
    "same size, other bytes": lambda page: (page.write_bytes(page.read_bytes().replace(b"<h1 ", b"<h2 ", 1)),),
    "a link to the same bytes": lambda page: (page.rename(page.with_name("real.html")), page.symlink_to("real.html")),
    "a folder": lambda page: (page.unlink(), page.mkdir()),
}


@pytest.mark.parametrize("how", sorted(RESTORED_WRONG))
def test_a_restored_output_file_that_is_not_what_the_last_build_wrote_is_written_again(example_copy, tmp_path, how):
    warm_equals_clean(example_copy, tmp_path)
    restored_as_in_ci(example_copy, tmp_path / "ci-cache")
    page = example_copy / "site/kpis/p95-query-latency/index.html"
    stat = page.stat()
    RESTORED_WRONG[how](page)
    if page.is_file() and not page.is_symlink():
        os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert page.stat().st_size == stat.st_size
    EDITS["objective"](example_copy)
    kept = ("kpis/p95-query-latency/real.html",) if how == "a link to the same bytes" else ()  # the link's file: put there, kept
    result = warm_equals_clean(example_copy, tmp_path, kept=kept)
    assert result.kept > 0
    assert page.is_file() and not page.is_symlink()


def test_a_build_without_the_cache_does_not_use_the_spare(example_copy, tmp_path):
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    spare = os.stat(example_copy / SPARE).st_ino
    EDITS["kpi"](example_copy)
    assert build(example_copy, example_copy / "site", cache=False).ok
    assert os.stat(example_copy / "site").st_ino != spare
    warm_equals_clean(example_copy, tmp_path)


@needs_git
def test_git_sees_neither_the_spare_nor_the_cache(example_copy, tmp_path):
    repo = GitRepo(example_copy)
    (example_copy / ".gitignore").write_text("site/\n")
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    assert (example_copy / SPARE).is_dir()
    untracked = repo.git("status", "--porcelain", "--untracked-files=all").splitlines()
    assert untracked and not [line for line in untracked if ".okrsite" in line]

@needs_git
def test_a_warm_build_in_git_grades_a_finished_quarter_with_the_settings_it_ended_with(example_copy, tmp_path, monkeypatch):
    """The grading settings of each ended period are read from the history the cache continues (git/
    checkins.py: Logs.grading): a warm build unpacks no more front matter for them, and once default_kind
    changes its pages equal a clean build's, 2026-Q3's objectives without `kind:` still committed."""
    from okrsite import cache

    settings = example_copy / "okrsite.toml"
    settings.write_text(settings.read_text().replace("git_history = false", ""))
    repo = GitRepo(example_copy)
    repo.commit({".gitignore": "site/\n"}, "2026-06-01T09:00:00+00:00", "Ann Lee", "The goals")
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    unpacked = []
    real_meta, real_lines = cache._Packed.unpack, cache._Lines.unpacked
    monkeypatch.setattr(cache._Packed, "unpack", lambda self: unpacked.append("meta") or real_meta(self))
    monkeypatch.setattr(cache._Lines, "unpacked", lambda self: (self._all is None and unpacked.append("lines")) or real_lines(self))
    warm = build(example_copy, example_copy / "site")
    files = len(list((example_copy / "content").rglob("*.md")))
    assert warm.ok and unpacked.count("lines") < files / 3 and unpacked.count("meta") < files / 3, unpacked
    settings.write_text(settings.read_text() + 'default_kind = "aspirational"\n')
    warm = warm_equals_clean(example_copy, tmp_path)
    assert not [d for d in warm.report.items if d.file == "okrsite.toml"]
    kinds = {o["id"]: (o["period"], o["kind"]) for o in json.loads((example_copy / "site" / "okrs.json").read_text())["objectives"]}
    assert kinds["reach-500k-mrr"] == ("2026-Q3", "committed") and kinds["answer-customers-faster"] == ("2026-Q4", "aspirational")


# -- git history --------------------------------------------------------------------------------------


@needs_git
def test_a_warm_build_continues_the_history_and_equals_a_clean_one(tmp_path):
    from .gitrepo import SETTINGS, TEAM, kpi, objective

    repo = GitRepo(tmp_path / "goals")
    obj = "content/objectives/reduce-churn.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: objective(current=0),
                 "content/kpis/mrr.md": kpi(data="data/mrr.csv"), "data/mrr.csv": "date,value\n2026-09-30,41000\n"},
                "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    repo.commit({obj: objective(current=20)}, "2026-10-15T17:30:00+02:00", "Bo Chen", "Check-in")
    (repo.root / ".gitignore").write_text("site/\n")
    first = warm_equals_clean(repo.root, tmp_path)
    assert "History: 2 commits" in first.history
    repo.commit({obj: objective(current=45)}, "2026-11-04T12:00:00+00:00", "Ann Lee", "Check-in")
    result = warm_equals_clean(repo.root, tmp_path)
    assert "History: 3 commits" in result.history and not result.unchanged
    repo.commit({"data/mrr.csv": "date,value\n2026-09-30,41000\n2026-10-31,43500\n"}, "2026-11-05T08:00:00+00:00", "Ann Lee", "MRR")
    warm_equals_clean(repo.root, tmp_path)
    repo.git("reset", "-q", "--hard", "HEAD~2")
    assert "History: 2 commits" in warm_equals_clean(repo.root, tmp_path).history
    assert warm_equals_clean(repo.root, tmp_path).unchanged


@needs_git
def test_a_mailmap_renames_the_authors_of_a_cached_history(tmp_path):
    """Authors are named after the repository's mailmap (history.md). A commit of `.mailmap` touches no
    goals file, and an edit of it or of `mailmap.file` touches no commit: the warm build kept the names
    its cached history was read with, where a clean one showed the mapped names."""
    from .gitrepo import SETTINGS, TEAM, objective

    repo = GitRepo(tmp_path / "goals")
    obj = "content/objectives/reduce-churn.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: objective(current=0), ".gitignore": "site/\n"},
                "2026-10-01T09:00:00+00:00", "ann", "Plan Q4")
    repo.commit({obj: objective(current=20)}, "2026-10-15T09:00:00+00:00", "ann", "Check-in")
    page = repo.root / "site" / "objectives" / "reduce-churn" / "index.html"
    warm_equals_clean(repo.root, tmp_path)
    repo.commit({".mailmap": "Ann Example <ann@example.com>\n"}, "2026-10-16T09:00:00+00:00", "ann", "Names")
    warm_equals_clean(repo.root, tmp_path)
    assert "by Ann Example" in page.read_text()
    (repo.root / ".mailmap").write_text("Ann Lee <ann@example.com>\n")
    assert not warm_equals_clean(repo.root, tmp_path).unchanged
    assert "by Ann Lee" in page.read_text()
    (tmp_path / "names").write_text("Ann Mapped <ann@example.com>\n")
    repo.git("config", "mailmap.file", str(tmp_path / "names"))
    warm_equals_clean(repo.root, tmp_path)
    assert "by Ann Mapped" in page.read_text()


@needs_git
def test_a_warm_build_reads_and_parses_only_the_commits_since_the_last_one_it_saw(tmp_path, monkeypatch):
    """The history is continued from the last commit the cache saw: one `git log LAST..HEAD`, the new
    commit the only one parsed, its version the only one read, and the site is a clean build's."""
    from okrsite.git import history as module

    from .gitrepo import SETTINGS, TEAM, objective

    repo = GitRepo(tmp_path / "goals")
    obj = "content/objectives/reduce-churn.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: objective(current=0), ".gitignore": "site/\n"},
                "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    for n, current in enumerate((10, 20, 30)):
        repo.commit({obj: objective(current=current)}, f"2026-10-{10 + n}T09:00:00+00:00", "Bo Chen", "Check-in")
    assert "History: 4 commits" in warm_equals_clean(repo.root, tmp_path).history
    last = repo.git("rev-parse", "HEAD").strip()
    repo.commit({obj: objective(current=45)}, "2026-11-04T12:00:00+00:00", "Ann Lee", "Check-in")
    logs, parsed, blobs = [], [], []
    real_git, real_parse, real_blobs = module.git_output, module._parse_log, module._read_blobs
    monkeypatch.setattr(module, "git_output", lambda args, cwd: (logs.append(args) if args[0] == "log" else None) or real_git(args, cwd))
    monkeypatch.setattr(module, "_parse_log", lambda raw, boundary: parsed.append(real_parse(raw, boundary)) or parsed[-1])
    monkeypatch.setattr(module, "_read_blobs", lambda top, wanted: blobs.append(len(wanted)) or real_blobs(top, wanted))
    result = build(repo.root, repo.root / "site")
    monkeypatch.undo()
    assert result.ok and "History: 5 commits" in result.history
    assert len(logs) == 1 and f"{last}..HEAD" in logs[0]
    assert [[commit.subject for commit, _ in commits] for commits in parsed] == [["Check-in"]]
    assert blobs == [1]
    clean_build(repo.root, tmp_path / "clean")
    assert_same_site(repo.root / "site", tmp_path / "clean")
    assert "History: 5 commits" in warm_equals_clean(repo.root, tmp_path).history  # the cache kept the commits


@needs_git
def test_a_warm_build_writes_only_the_commits_it_read_into_the_cache(tmp_path, monkeypatch):
    """The history part is written whole once; builds after new commits write what they read into
    ``history-since``, whose loss costs only the reading of those commits again; after HISTORY_SINCE
    commits, or a rewritten history, the history part is written whole again. Every site a clean one."""
    from okrsite import cache

    from .gitrepo import SETTINGS, TEAM, objective

    repo = GitRepo(tmp_path / "goals")
    obj = "content/objectives/reduce-churn.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: objective(current=0), ".gitignore": "site/\n"},
                "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    warm_equals_clean(repo.root, tmp_path)
    folder = repo.root / CACHE_DIR
    whole = (folder / "history.cache").stat()
    saved = []
    real = cache.Store.save
    monkeypatch.setattr(cache.Store, "save", lambda self, part, key, value: saved.append(part) or real(self, part, key, value))
    monkeypatch.setattr(cache, "HISTORY_SINCE", 2)
    for n, current in enumerate((10, 20)):
        repo.commit({obj: objective(current=current)}, f"2026-10-{10 + n}T09:00:00+00:00", "Bo Chen", "Check-in")
        assert f"History: {n + 2} commits" in warm_equals_clean(repo.root, tmp_path).history
    assert "history" not in saved and saved.count("history-since") == 2
    assert (folder / "history.cache").stat().st_mtime_ns == whole.st_mtime_ns
    (folder / "history-since.cache").write_bytes(b"not a part")
    repo.commit({obj: objective(current=30)}, "2026-10-12T09:00:00+00:00", "Bo Chen", "Check-in")
    result = warm_equals_clean(repo.root, tmp_path)
    assert "History: 4 commits" in result.history and len(result.notes) == 1 and "history-since.cache" in result.notes[0], result.notes
    saved.clear()
    for n, current in enumerate((40, 50, 60)):
        repo.commit({obj: objective(current=current)}, f"2026-10-{13 + n}T09:00:00+00:00", "Bo Chen", "Check-in")
        warm_equals_clean(repo.root, tmp_path)
    assert saved.count("history") == 1
    repo.git("reset", "-q", "--hard", "HEAD~2")
    repo.commit({obj: objective(current=70)}, "2026-10-20T09:00:00+00:00", "Ann Lee", "Check-in")
    saved.clear()
    assert "History: 6 commits" in warm_equals_clean(repo.root, tmp_path).history
    assert saved.count("history") == 1


LINKED = "content/objectives/grow-revenue.md"


def linked_objective(partners: int = 2) -> str:
    """An objective whose first key result follows the KPI mrr (gitrepo.kpi) and whose second is its own."""
    return ("---\ntitle: Grow revenue\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
            "  - title: Reach the MRR target\n    kpi: mrr\n    start: 40000\n    target: 50000\n"
            f"  - title: Sign partners\n    start: 0\n    target: 10\n    current: {partners}\n---\nRevenue.\n")


@pytest.fixture
def scored_history(tmp_path, monkeypatch):
    """A git repository of two objectives (reduce-churn, and grow-revenue that follows the KPI mrr and
    its CSV file), built once, and a function that builds it warm, checks the site against a clean
    build and says which objectives the warm build scored (numbers/compute.py: objective_score)."""
    from okrsite.numbers import compute

    from .gitrepo import SETTINGS, TEAM, kpi, objective

    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ_GIT: objective(current=0), LINKED: linked_objective(),
                 "content/kpis/mrr.md": kpi(data="data/mrr.csv"), "data/mrr.csv": "date,value\n2026-09-30,41000\n", ".gitignore": "site/\n"},
                "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    repo.commit({OBJ_GIT: objective(current=20)}, "2026-10-15T17:30:00+02:00", "Bo Chen", "Check-in")
    scored: list[str] = []
    real = compute.objective_score
    monkeypatch.setattr(compute, "objective_score", lambda o, *rest: scored.append(o.id) or real(o, *rest))

    def warm(**options) -> set[str]:
        scored.clear()
        result = build(repo.root, repo.root / "site", **options)
        assert result.ok and "History: " in result.history and not result.unchanged, (result.report.items, result.history)
        found = set(scored)
        clean_build(repo.root, tmp_path / "clean", **options)
        assert_same_site(repo.root / "site", tmp_path / "clean")
        return found

    assert warm() == {"reduce-churn", "grow-revenue"}
    return repo, warm


OBJ_GIT = "content/objectives/reduce-churn.md"


@needs_git
def test_with_history_a_warm_build_scores_again_only_what_a_commit_reached(scored_history):
    """With git history on, an objective's score is the last build's when its file, the files of the KPIs
    its key results name and the versions of all of them in the history are the same: a check-in
    commit scores its objective again, a commit to the KPI's CSV file or the KPI the objective that
    follows it, a commit to nothing the scores read neither; each build the same as a clean one."""
    from .gitrepo import kpi, objective

    repo, warm = scored_history
    repo.commit({OBJ_GIT: objective(current=45)}, "2026-11-04T12:00:00+00:00", "Ann Lee", "Check-in")
    assert warm() == {"reduce-churn"}
    repo.commit({"data/mrr.csv": "date,value\n2026-09-30,41000\n2026-10-31,43500\n"}, "2026-11-05T08:00:00+00:00", "Bo Chen", "MRR")
    assert warm() == {"grow-revenue"}
    repo.commit({"content/kpis/mrr.md": kpi(data="data/mrr.csv").replace("target: 50000", "target: 48000")}, "2026-11-06T08:00:00+00:00", "Bo Chen", "MRR target")
    assert warm() == {"grow-revenue"}
    repo.commit({"README.md": "Our goals.\n"}, "2026-11-07T08:00:00+00:00", "Ann Lee", "Readme")
    assert warm() == set()
    repo.commit({}, "2026-11-08T08:00:00+00:00", "Ann Lee", "Nothing")
    assert warm() == set()
    repo.commit({"content/teams/sales.md": (repo.root / "content/teams/sales.md").read_text() + "The sales team.\n"}, "2026-11-09T08:00:00+00:00", "Ann Lee", "Team")
    assert warm() == set()


@needs_git
@needs_git
def test_a_site_checked_out_in_another_folder_keeps_its_cache(scored_history, tmp_path, monkeypatch):
    """CI runners that give each job a folder of its own, or a repository moved: no page depends on where
    the site is, so the cache and the restored output are used there too. The history continues from
    the last commit read, only the objective the new commit reached is scored, and the site is a clean
    build's."""
    from okrsite.numbers import compute

    from .gitrepo import objective

    repo, _ = scored_history
    elsewhere = tmp_path / "runner-2" / "goals"
    repo.git("clone", "-q", str(repo.root), str(elsewhere))
    for name in ("site", CACHE_DIR):
        shutil.copytree(repo.root / name, elsewhere / name, symlinks=True)
    clone = GitRepo(elsewhere)
    clone.commit({OBJ_GIT: objective(current=35)}, "2026-10-20T09:00:00+00:00", "Bo Chen", "Check-in")
    scored: list[str] = []
    real = compute.objective_score
    monkeypatch.setattr(compute, "objective_score", lambda o, *rest: scored.append(o.id) or real(o, *rest))
    result = build(elsewhere, elsewhere / "site")
    assert result.ok and "History: 3 commits" in result.history
    assert set(scored) == {"reduce-churn"}, "the other objective's score is the cache's"
    assert result.kept > 0 and not result.notes, result.notes
    clean_build(elsewhere, tmp_path / "clean")
    assert_same_site(elsewhere / "site", tmp_path / "clean")
    assert warm_equals_clean(elsewhere, tmp_path).unchanged


def test_with_history_a_check_in_committed_after_the_build_that_saw_it_scores_again(scored_history):
    """A file the last build read as it is now, whose history moved since (its edit committed): its
    check-ins now have a commit, an author and a date of their own, so its score is made again."""
    from .gitrepo import objective

    repo, warm = scored_history
    (repo.root / OBJ_GIT).write_text(objective(current=60), encoding="utf-8")
    (repo.root / "data/mrr.csv").write_text("date,value\n2026-09-30,41000\n2026-11-10,45000\n", encoding="utf-8")
    assert warm() == {"reduce-churn", "grow-revenue"}
    repo.commit({}, "2026-11-12T10:00:00+00:00", "Bo Chen", "Check-in and MRR")  # the files as the last build read them
    assert warm() == {"reduce-churn", "grow-revenue"}
    assert "Bo Chen" in (repo.root / "site/kpis/mrr/index.html").read_text(encoding="utf-8")


@needs_git
def test_with_history_a_public_site_takes_the_scores_too(scored_history):
    from .gitrepo import objective

    repo, warm = scored_history
    warm(audience="public")
    repo.commit({OBJ_GIT: objective(current=45)}, "2026-11-04T12:00:00+00:00", "Ann Lee", "Check-in")
    assert warm(audience="public") == {"reduce-churn"}


@needs_git
def test_with_history_a_commit_keeps_the_pages_of_the_files_it_did_not_touch(tmp_path, monkeypatch):
    """With git history on, a page's kept digest follows what the page's own latest changes are made of
    (View.changes_key), not every commit of the history: after a check-in commit the other objectives'
    pages keep their digests (each the one its page would get anew), the page checked in is made again
    and lists the commit. A finished objective's page is kept from day to day, and made again when a new
    as-of date lets in a commit of its file that was dated after the old one. Each build equals a clean one."""
    from .gitrepo import SETTINGS, TEAM, objective

    repo = GitRepo(tmp_path / "goals")
    other, finished = "content/objectives/grow-pipeline.md", "content/objectives/ship-reports.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ_GIT: objective(current=0),
                 other: objective(title="Grow pipeline", current=3), finished: objective(title="Ship reports", period="2026-Q3", current=1),
                 ".gitignore": "site/\n"}, "2026-09-01T09:00:00+00:00", "Ann Lee", "Plan")
    repo.commit({finished: objective(title="Ship reports", period="2026-Q3", current=1, body="Shipped late.")},
                "2026-11-30T09:00:00+00:00", "Bo Chen", "Reports shipped late")
    warm_equals_clean(repo.root, tmp_path)
    kept = kept_digests_checked(monkeypatch)
    repo.commit({OBJ_GIT: objective(current=20)}, "2026-10-15T09:00:00+00:00", "Bo Chen", "Twenty accounts saved")
    assert not warm_equals_clean(repo.root, tmp_path).unchanged
    assert {"objectives/grow-pipeline/index.html", "objectives/ship-reports/index.html"} <= set(kept)
    assert "objectives/reduce-churn/index.html" not in kept
    site = repo.root / "site" / "objectives"
    assert "Twenty accounts saved" in (site / "reduce-churn/index.html").read_text(encoding="utf-8")
    assert "Reports shipped late" not in (site / "ship-reports/index.html").read_text(encoding="utf-8")  # dated after 2026-11-23
    kept.clear()
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 11, 29))
    assert "objectives/ship-reports/index.html" in kept
    kept.clear()
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 12, 1))
    assert "objectives/ship-reports/index.html" not in kept
    assert "Reports shipped late" in (site / "ship-reports/index.html").read_text(encoding="utf-8")


@needs_git
def test_with_history_a_page_s_changes_name_a_former_parent_as_it_is_named_today(tmp_path, monkeypatch):
    """A change of `parent:` names the parent by its title today, with its period where another
    objective has the title (git/changes.py): a commit that moves that parent to another period
    makes again the pages whose changes name it, though it touches none of their files and the site
    keeps its periods; each build equals a clean one."""
    from .gitrepo import SETTINGS, TEAM, objective

    repo = GitRepo(tmp_path / "goals")
    market = "content/objectives/win-the-market-2026-q3.md"

    def aligned(parent: str | None) -> str:
        return objective().replace("owner: sales", f"owner: sales\nparent: {parent}") if parent else objective()

    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, OBJ_GIT: objective(), ".gitignore": "site/\n",
                 "content/objectives/win-the-market.md": objective(title="Win the market"),
                 market: objective(title="Win the market", period="2026-Q3"),
                 "content/objectives/hire.md": objective(title="Hire", period="2026-Q2"),
                 "content/objectives/train.md": objective(title="Train", period="2026-Q3")}, "2026-09-01T09:00:00+00:00", "Ann Lee", "Plan")
    repo.commit({OBJ_GIT: aligned("win-the-market-2026-q3")}, "2026-10-01T09:00:00+00:00", "Ann Lee", "Align")
    repo.commit({OBJ_GIT: aligned(None)}, "2026-10-02T09:00:00+00:00", "Ann Lee", "Unalign")
    page = repo.root / "site/objectives/reduce-churn/index.html"
    warm_equals_clean(repo.root, tmp_path)
    assert "now aligned to “Win the market” (2026-Q3)" in page.read_text(encoding="utf-8")
    kept = kept_digests_checked(monkeypatch)
    repo.commit({market: objective(title="Win the market", period="2026-Q2")}, "2026-10-03T09:00:00+00:00", "Bo Chen", "Earlier")
    warm_equals_clean(repo.root, tmp_path)
    assert "objectives/reduce-churn/index.html" not in kept
    assert "now aligned to “Win the market” (2026-Q2)" in page.read_text(encoding="utf-8")


@needs_git
def test_with_history_a_new_as_of_date_scores_everything_again(scored_history):
    repo, warm = scored_history
    assert warm(as_of=date(2026, 11, 30)) == {"reduce-churn", "grow-revenue"}
    assert warm(as_of=date(2026, 11, 30), strict=True) == set()
    assert warm(as_of=date(2027, 1, 15), strict=True) == {"reduce-churn", "grow-revenue"}  # the period has ended: grades


@needs_git
def test_with_history_fetching_more_of_a_shallow_clone_builds_again(scored_history, tmp_path):
    """A shallow clone's oldest commit is no check-in and says since when the numbers are known (stale
    or not): `git fetch --deepen` moves it, not HEAD, and the next build is no build with nothing
    changed, nor are its scores the last build's."""
    from .gitrepo import objective

    repo, _ = scored_history
    repo.commit({OBJ_GIT: objective(current=45)}, "2026-11-04T12:00:00+00:00", "Ann Lee", "Check-in")
    repo.commit({LINKED: linked_objective(partners=4)}, "2026-11-05T12:00:00+00:00", "Bo Chen", "Partners")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True, env=repo.env, capture_output=True)
    assert build(clone, clone / "site").ok
    subprocess.run(["git", "fetch", "-q", "--deepen", "2"], cwd=clone, check=True, env=repo.env, capture_output=True)
    result = warm_equals_clean(clone, tmp_path)
    assert not result.unchanged and "shallow" in result.history and "3 commits" in result.history, result.history


# -- okrs.json from the parts the last build wrote ---------------------------------------------------


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_okrs_json_made_of_its_parts_is_okrs_json(audience):
    from okrsite.build import check_site
    from okrsite.web.audience import view_for_audience
    from okrsite.web.export import dumps, okrs_json, okrs_pieces
    from okrsite.web.render import View

    checked = check_site(REPO, audience=audience)
    view = view_for_audience(View(checked.loaded.site, checked.scores, checked.loaded.settings))
    assert "".join(okrs_pieces(view.site, view.scores, audience)) == dumps(okrs_json(view.site, view.scores, audience))


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_okrs_json_of_a_build_with_the_pages_team_figures_is_okrs_json(example_copy, tmp_path, audience):
    """A build's okrs.json takes the teams' figures its pages made (the View's team_figures), after
    a warm build too: the same text as export.py makes them of the site alone."""
    from okrsite.build import check_site
    from okrsite.web.audience import view_for_audience
    from okrsite.web.export import dumps, okrs_json
    from okrsite.web.render import View

    for kind in (None, "objective owner", "team members", "added team"):
        if kind:
            EDITS[kind](example_copy)
        assert build(example_copy, example_copy / "site", audience=audience).ok
        checked = check_site(example_copy, audience=audience)
        view = view_for_audience(View(checked.loaded.site, checked.scores, checked.loaded.settings))
        made = dumps(okrs_json(view.site, view.scores, audience))
        assert (example_copy / "site/okrs.json").read_text(encoding="utf-8") == made, kind


def test_a_warm_build_keeps_the_okrs_json_parts_of_what_an_edit_does_not_reach(example_copy, tmp_path, monkeypatch):
    """Each objective's and KPI's text in okrs.json is kept by its record: an edit makes those of the
    objectives and KPIs it reaches again (the objective, its parent's roll-up, its KPIs), and okrs.json
    is a clean build's."""
    from okrsite.web import export

    warm_equals_clean(example_copy, tmp_path)
    shards = {path: path.stat().st_mtime_ns for path in (example_copy / CACHE_DIR).glob("okrs-*.cache")}
    made = []
    real = export.objective_json
    monkeypatch.setattr(export, "objective_json", lambda site, scores, o, *renamed: made.append(o.id) or real(site, scores, o, *renamed))
    EDITS["objective"](example_copy)
    result = build(example_copy, example_copy / "site")
    assert result.ok and "answer-customers-faster" in made and len(made) <= 3, made  # it and what it rolls up into
    assert 1 <= sum(path.stat().st_mtime_ns != mtime for path, mtime in shards.items()) <= len(made) < len(shards)  # their shards only
    monkeypatch.undo()
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")


def test_a_warm_build_takes_the_digests_of_the_files_it_took_unchanged(example_copy, tmp_path, monkeypatch):
    """An objective's, KPI's, team's or page's own digest (web/pagedigest.py) is the last build's when
    its file, the settings and its CSV file are the same: only the edited one is digested again."""
    from okrsite.cache import BuildCache

    taken = []
    original = BuildCache.known_entities
    monkeypatch.setattr(BuildCache, "known_entities", lambda self: taken.append(original(self)) or taken[-1])
    warm_equals_clean(example_copy, tmp_path)
    assert taken[-1] == {}
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    names = {entity.id for entity, _ in taken[-1].values()}
    assert {"grow-recurring-revenue", "mrr", "platform", "how-we-do-okrs"} <= names and "answer-customers-faster" not in names


def kept_digests_checked(monkeypatch) -> list[str]:
    """The paths of the pages whose digest a build keeps from the last one (web/pagedigest.py:
    KeptDigests), each checked against the page's digest made anew."""
    from okrsite.web.pagedigest import Digests
    from okrsite.web.plan import Output

    kept: list[str] = []
    as_before = Digests._as_before

    def checked(self, path, page, kept_as):
        found = as_before(self, path, page, kept_as)
        if found is not None:
            earlier, self.earlier = self.earlier, None
            assert self.of(Output(path, page)) == found, f"{path}: a kept digest that is not the page's"
            self.earlier = earlier
            kept.append(path)
        return found

    monkeypatch.setattr(Digests, "_as_before", checked)
    return kept


@pytest.mark.parametrize("audience, parts", [("internal", False), ("public", False), ("internal", True)])
def test_a_digest_kept_from_the_last_build_is_the_one_its_page_would_get(example_copy, tmp_path, monkeypatch, audience, parts):
    """A page whose ids all have the records they had keeps its last digest without listing its ids
    (web/pagedigest.py: KeptDigests): each kept digest is checked against the page's digest made
    anew, after edits that change pages' lists of ids (a new child, a changed parent or owner, a team
    renamed or given members, an objective made private or public, a link in a body). With ``parts``,
    2026-Q4 is split by owner and the reviews are in parts (pagedigest.PARTS)."""
    from okrsite.web import render

    if parts:
        monkeypatch.setattr(render, "PERIOD_PAGE_LIMIT", 6)
        monkeypatch.setattr(render, "REVIEW_PAGE_LIMIT", 4)

    kept = kept_digests_checked(monkeypatch)
    warm_equals_clean(example_copy, tmp_path, audience=audience)
    assert not kept
    for kind in ("objective", "added file", "made private", "no longer private", "objective parent", "objective owner", "team",
                 "team members", "added team", "body", "kpi title", "deleted file"):
        EDITS[kind](example_copy)
        kept.clear()
        warm_equals_clean(example_copy, tmp_path, audience=audience)
        assert kept, kind
        if parts and kind in ("objective", "body", "kpi title"):  # the structure as it was: the parts the edit does not reach are kept
            assert any(path.startswith(("periods/2026-q4/teams/", "periods/2026-q4/review/")) for path in kept), kind
    assert "objectives/reach-500k-mrr/index.html" in kept


def test_a_page_whose_ids_changed_does_not_keep_its_digest(example_copy, tmp_path):
    """A new child changes its parent's list of ids: the parent's page is made again, its neighbours kept."""
    warm_equals_clean(example_copy, tmp_path)
    parent = example_copy / "site/objectives/make-dashboards-instant/index.html"
    other = example_copy / "site/objectives/reach-500k-mrr/index.html"
    inodes = parent.stat().st_ino, other.stat().st_ino
    EDITS["added file"](example_copy)  # a child of make-dashboards-instant
    warm_equals_clean(example_copy, tmp_path)
    assert parent.stat().st_ino != inodes[0] and "A new goal" in parent.read_text(encoding="utf-8")
    assert other.stat().st_ino == inodes[1]


def test_a_build_that_stopped_at_an_error_then_one_fixed_equal_a_clean_one(example_copy, tmp_path):
    """The failed build keeps what it read (the renamed objective, parsed), but makes no digests: the
    next one must not take the last digests for it (they are of the file before the edit)."""
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective title"](example_copy)
    edit(example_copy / OBJ, "parent: win-customer-love", "parent: no-such-objective")
    assert not build(example_copy, example_copy / "site").ok
    edit(example_copy / OBJ, "parent: no-such-objective", "parent: win-customer-love")
    warm_equals_clean(example_copy, tmp_path)



def test_builds_that_stopped_at_an_error_and_a_clash_then_at_the_clash_then_one_fixed_equal_a_clean_one(example_copy, tmp_path):
    """A site with errors is planned for its clashes (SPEC §7: all in one run); neither that run nor the
    next (the clash alone) leaves the cache anything a later build takes for its own."""
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective title"](example_copy)
    edit(example_copy / OBJ, "period: 2026-Q4", "period: 2026-Q9")
    write_files(example_copy, {"content/kpis/nps.md": "---\ntitle: NPS\nowner: priya natarajan\nsource: survey\n---\n"})
    failed = build(example_copy, example_copy / "site")
    assert not failed.ok and [d.message.split(":")[0] for d in failed.report.sorted() if d.severity == "error"] == [
        "unknown period '2026-Q9'", "two spellings of one person"]
    edit(example_copy / OBJ, "period: 2026-Q9", "period: 2026-Q4")
    failed = build(example_copy, example_copy / "site")
    assert not failed.ok and not failed.unchanged and [d.message.split(":")[0] for d in failed.report.errors] == ["two spellings of one person"]
    edit(example_copy / "content/kpis/nps.md", "priya natarajan", "Priya Natarajan")
    assert not warm_equals_clean(example_copy, tmp_path).unchanged


def test_the_kept_page_digests_are_saved_before_the_pages_are_written(example_copy, tmp_path, monkeypatch):
    """The page-ids part is saved once every digest is made, so that its lists of ids are let go before
    the pages are written (the build's peak of memory); a build that then stops leaves digests that the
    next build keeps, and that build equals a clean one."""
    from okrsite.web import write
    from okrsite.web.pagedigest import Digests

    warm_equals_clean(example_copy, tmp_path)
    part = example_copy / CACHE_DIR / "page-ids.cache"
    before = part.read_bytes()
    EDITS["objective"](example_copy)
    saved = []

    def stopped(*args, **kwargs):
        saved.append(part.read_bytes() != before)
        raise write.OutputError("stopped while writing", "a test")

    monkeypatch.setattr(write, "write_site", stopped)
    assert not build(example_copy, example_copy / "site").ok
    assert saved == [True]
    monkeypatch.undo()
    kept = []
    as_before = Digests._as_before
    monkeypatch.setattr(Digests, "_as_before", lambda self, path, page, kept_as: kept.append(found := as_before(self, path, page, kept_as)) or found)
    warm_equals_clean(example_copy, tmp_path)
    assert any(found is not None for found in kept)


def test_the_search_index_is_made_once_before_the_digests(example_copy, tmp_path, monkeypatch):
    """The search index's file is made before the pages' digests (what making it takes is not added to
    what the build holds when it writes), once, and written as made: the same as a clean build's."""
    from okrsite.web import search
    from okrsite.web.pagedigest import Digests

    order = []
    index_script, of_all = search.index_script, Digests.of_all
    monkeypatch.setattr(search, "index_script", lambda index: order.append("index") or index_script(index))
    monkeypatch.setattr(Digests, "of_all", lambda self, outputs: order.append("digests") or of_all(self, outputs))
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    assert order[:2] == ["index", "digests"] and order.count("index") == 2  # the warm build's, the clean build's


def test_pages_that_show_the_progress_of_an_objective_follow_the_kpi_it_follows(example_copy, tmp_path):
    """Without git history an objective's record holds what its score is made from (its file and the
    files of the KPIs its key results name), not the score: an edit to a KPI alone must still render
    again the period page that shows the progress of an objective whose key result follows that KPI."""
    period = example_copy / "site/periods/2026-q4/index.html"
    warm_equals_clean(example_copy, tmp_path)
    before = period.read_bytes()
    EDITS["csv"](example_copy)  # mrr's values: grow-recurring-revenue's first key result follows it
    result = warm_equals_clean(example_copy, tmp_path)
    assert result.kept and period.read_bytes() != before


def test_a_warm_build_takes_the_scores_of_the_objectives_an_edit_does_not_reach(example_copy, tmp_path, monkeypatch):
    """The score of an objective whose own key results score is the last build's when its file, the
    files of the KPIs its key results name, the settings and the date are the same: a KPI's CSV file
    edited, its objectives are scored again (and their pages right), the others not."""
    from okrsite.numbers import compute

    scored = []
    original = compute.kr_score
    monkeypatch.setattr(compute, "kr_score", lambda kr, *rest: scored.append(kr.title) or original(kr, *rest))
    warm_equals_clean(example_copy, tmp_path)
    everything = set(scored)
    scored.clear()
    EDITS["csv"](example_copy)  # mrr's values
    build(example_copy, example_copy / "site")
    assert "Grow monthly recurring revenue from $488k to $560k" in scored  # follows mrr
    assert "Sign 12 new enterprise customers" in scored  # of the same objective
    assert set(scored) < everything and not any("latency" in title.lower() for title in scored)
    monkeypatch.undo()
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")


# -- parts read by key: the rendered bodies and okrs.json's texts ------------------------------------


def read_by_key(monkeypatch) -> tuple[list[str], list[tuple]]:
    """The parts loaded whole, and the (part, key) of every item read from a part read by key."""
    from okrsite import cache

    loaded, read = [], []
    real_load, real_read = cache.Store.load, cache.Indexed.read
    monkeypatch.setattr(cache.Store, "load", lambda self, part, key: loaded.append(part) or real_load(self, part, key))
    monkeypatch.setattr(cache.Indexed, "read", lambda self, key: read.append((self.part, key)) or real_read(self, key))
    return loaded, read


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_warm_build_reads_only_the_bodies_of_the_pages_it_renders(example_copy, tmp_path, monkeypatch, workers):
    """The markdown part is never loaded whole: a warm build reads from it the bodies of the pages it
    renders (a check-in renders a few), renders none again, and is a clean build; so is one that renders
    every page (a template edit), on one process or in forked workers reading the same file."""
    from okrsite.web import render

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setenv("OKRSITE_WORKERS", workers)
    warm_equals_clean(example_copy, tmp_path)
    loaded, read = read_by_key(monkeypatch)
    rendered, asked = [], []
    real, real_body = render.render_markdown, render.Renderer.body_html
    monkeypatch.setattr(render, "render_markdown", lambda md, text, resolve, *rest: rendered.append(text) or real(md, text, resolve, *rest))
    monkeypatch.setattr(render.Renderer, "body_html", lambda self, view, text, root, *rest: asked.append((text, root)) or real_body(self, view, text, root, *rest))
    EDITS["objective"](example_copy)
    result = build(example_copy, example_copy / "site")
    assert result.ok and not result.notes and rendered == []
    assert "markdown" not in loaded and not [part for part in loaded if part.startswith("okrs-")]
    if workers == "1":
        bodies = [key for part, key in read if part == "markdown"]
        assert 1 <= len(bodies) == len(set(asked)) < len(read_index(example_copy / CACHE_DIR / "markdown.cache")) / 2, (len(bodies), len(asked))
    monkeypatch.setattr(render, "render_markdown", real)
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")
    EDITS["template"](example_copy)
    rendered.clear()
    monkeypatch.setattr(render, "render_markdown", lambda md, text, resolve, *rest: rendered.append(text) or real(md, text, resolve, *rest))
    result = build(example_copy, example_copy / "site")
    assert result.ok and not result.notes and rendered == []  # every page rendered again, every body read
    monkeypatch.setattr(render, "render_markdown", real)
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")


def read_index(path: Path) -> dict:
    """The index of a part read by key, as its file holds it."""
    import io
    import json
    import pickle

    from okrsite import cache

    raw = path.read_bytes()
    end = raw.index(b"\n", len(cache._MAGIC))
    header = json.loads(raw[len(cache._MAGIC):end])
    return pickle.Unpickler(io.BytesIO(raw[end + 1 + header["index"]:])).load()


def forge(path: Path, change) -> None:
    """The part rewritten with its items as they are and its index changed by ``change``, signed with
    this user's key: a part that verifies, yet whose index points at the wrong items."""
    import json
    import pickle

    from okrsite import cache

    raw = path.read_bytes()
    end = raw.index(b"\n", len(cache._MAGIC))
    header = json.loads(raw[len(cache._MAGIC):end])
    items = raw[end + 1:end + 1 + header["index"]]
    index = change(read_index(path))
    payload = items + pickle.dumps(index, protocol=5)
    header = {name: value for name, value in header.items() if name != "mac"} | {"size": len(payload)}
    header["mac"] = cache._mac(cache.signing_key(), header, payload)
    path.write_bytes(cache._MAGIC + json.dumps(header).encode() + b"\n" + payload)


def rotated(index: dict) -> dict:
    """Each key pointing at the next key's item."""
    keys = list(index)
    return {key: index[keys[(n + 1) % len(keys)]][:2] + index[key][2:] for n, key in enumerate(keys)}


def flip_inside(path: Path) -> None:
    raw = path.read_bytes()
    at = len(raw) // 2
    path.write_bytes(raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1:])


PART_FAULTS = {
    "a flipped byte in an item": flip_inside,
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) - 100]),
    "an index pointing at other items": lambda path: forge(path, rotated),
    "an index that is not one": lambda path: forge(path, lambda index: list(index)),
    "an index pointing past the end": lambda path: forge(path, lambda index: {key: (10**9, 10) + entry[2:] for key, entry in index.items()}),
}


@pytest.mark.parametrize("how", sorted(PART_FAULTS))
@pytest.mark.parametrize("part", ["markdown", "okrs-"])
def test_a_damaged_part_read_by_key_is_one_note_and_a_correct_build(example_copy, tmp_path, capsys, monkeypatch, part, how):
    """A part read by key is checked whole as it is opened (streamed, not loaded) and each item against
    its key as it is read: damaged anywhere, it is one note, the bodies or texts are made again, and the
    site is a clean build's; the next build has no note."""
    monkeypatch.setenv("OKRSITE_WORKERS", "1")
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    paths = sorted((example_copy / CACHE_DIR).glob(f"{part}*.cache"), key=lambda p: -p.stat().st_size)
    PART_FAULTS[how](paths[0])
    assert cli.main(["build", str(example_copy)]) == 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if "note: the build cache" in line]
    assert len(notes) == 1 and paths[0].name in notes[0] and "Traceback" not in err, err
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")
    EDITS["kpi"](example_copy)
    assert cli.main(["build", str(example_copy)]) == 0
    assert "note:" not in capsys.readouterr().err
    clean_build(example_copy, tmp_path / "clean")
    assert_same_site(example_copy / "site", tmp_path / "clean")


# -- the model as the cache keeps it: front matter packed, scores' check-ins by reference -------------


def test_a_kept_document_is_the_document_read_and_unpacks_its_front_matter_when_asked(example_copy):
    import pickle

    from okrsite import cache
    from okrsite.goals.load import load_document

    doc = load_document(example_copy, example_copy / OBJ, Report())
    kept = cache._Unpickler(io.BytesIO(cache._pickled(doc))).load()
    assert "meta" not in vars(kept) and isinstance(kept.lines, cache._Lines) and kept.lines._all is None
    assert kept.lines[("owner",)] == doc.lines[("owner",)] and ("key_results", 0, "owner") not in kept.lines
    assert kept.lines[("key_results", 1, "owner")] == doc.lines[("key_results", 1, "owner")]
    assert kept.lines.get(("key_results", 1, "owner")) == doc.lines[("key_results", 1, "owner")] and kept.lines.get(("key_results", 0, "owner")) is None
    assert kept.line("owner") == doc.line("owner")
    with pytest.raises(KeyError):
        kept.lines[("key_results", 0, "owner")]
    assert kept.lines._all is None  # the lines of names are at hand: where names are first written is looked up every build
    assert kept.line("key_results", 0, "owner") == doc.line("key_results", 0, "owner")  # the key result's line: unpacked
    assert kept.lines.get(("title",)) == doc.lines[("title",)] and kept.lines.get(("no such key",), -1) == -1 and kept.lines._all is not None
    kept = cache._Unpickler(io.BytesIO(cache._pickled(doc))).load()
    assert cache._pickled(kept) == cache._pickled(doc)  # kept again as it was read, neither unpacked
    assert kept.line("key_results", 1, "history") == doc.line("key_results", 1, "history") and kept.lines._all is not None
    assert kept.meta == doc.meta and "meta" in vars(kept) and not hasattr(kept, "_packed")
    assert kept == doc and dict(kept.lines) == dict(doc.lines) and list(kept.lines) == list(doc.lines)
    refused = cache._Packed(pickle.dumps(os.system))
    with pytest.raises(pickle.UnpicklingError):  # a packed front matter is read like a part: no code runs
        refused.unpack()


def test_a_kept_document_keeps_the_numbers_and_times_as_written(tmp_path):
    """3.10, 1e3, +1 and a timestamp count as their values and read as what was written, also unpacked."""
    from okrsite import cache
    from okrsite.goals.load import load_document

    (tmp_path / "content/objectives").mkdir(parents=True)
    path = tmp_path / "content/objectives/grow.md"
    path.write_text("---\ntitle: 3.10\ntags: [1e3, +1, 1_000, .inf, 2026-10-01T10:00:00Z]\n---\n")
    doc = load_document(tmp_path, path, Report())
    kept = cache._Unpickler(io.BytesIO(cache._pickled(doc))).load()
    assert kept.meta == doc.meta and kept.meta["title"] == 3.1 and kept.meta["tags"][:2] == [1000.0, 1]
    assert [str(v) for v in [kept.meta["title"], *kept.meta["tags"]]] == ["3.10", "1e3", "+1", "1_000", ".inf", "2026-10-01T10:00:00Z"]


def test_a_kept_document_keeps_the_words_yaml_read_as_true_or_false(tmp_path):
    """A document the cache kept (a warm build whose settings changed parses it again) or a worker read
    keeps each word YAML read as true/false: the hint to quote it quotes it as written (`title: "On"`)."""
    import pickle

    from okrsite import cache
    from okrsite.goals.load import load_document

    (tmp_path / "content/teams").mkdir(parents=True)
    path = tmp_path / "content/teams/no.md"
    path.write_text("---\ntitle: On\nparent: NO\nmembers: [ann]\n---\n")
    doc = load_document(tmp_path, path, Report())
    assert doc.bare_words == {("title",): "On", ("parent",): "NO"}
    kept = cache._Unpickler(io.BytesIO(cache._pickled(doc))).load()
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer)
    pickler.dispatch_table = cache._by_constructor()
    pickler.dump(doc)
    for again in (kept, pickle.loads(buffer.getvalue())):
        assert again.bare_words == doc.bare_words and again == doc


def test_a_warm_build_unpacks_the_front_matter_of_few_files_and_reports_the_same_lines(example_copy, tmp_path, monkeypatch):
    """The documents taken unchanged from the cache keep their front matter and the lines of their keys
    packed until asked: the report's lines (here: a warning of an unchanged file) are a clean build's."""
    from okrsite import cache

    write_files(example_copy, {"content/objectives/2026-q4/many-results.md": (
        "---\ntitle: Many results\nperiod: 2026-Q4\nowner: platform\nparent: make-dashboards-instant\nkey_results:\n"
        + "".join(f"  - title: Result {n}\n    done: false\n" for n in range(6)) + "---\nBody.\n")})
    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    unpacked: list[str] = []
    real_meta, real_lines = cache._Packed.unpack, cache._Lines.unpacked
    monkeypatch.setattr(cache._Packed, "unpack", lambda self: unpacked.append("meta") or real_meta(self))
    monkeypatch.setattr(cache._Lines, "unpacked", lambda self: (self._all is None and unpacked.append("lines")) or real_lines(self))
    warm = build(example_copy, example_copy / "site")
    files = len(list((example_copy / "content").rglob("*.md")))
    assert unpacked.count("lines") < files / 3 and unpacked.count("meta") < files / 3, unpacked  # the files with notes
    clean = build(example_copy, tmp_path / "clean", cache=False)
    assert warm.report.items == clean.report.items
    assert any(item.file.endswith("many-results.md") and item.line == 6 for item in warm.report.items)
    assert_same_site(example_copy / "site", tmp_path / "clean")


def test_kept_scores_take_their_check_ins_from_the_model_and_the_site_equals_a_clean_one(example_copy, tmp_path, monkeypatch):
    """A kept score's key results hold their check-ins as the number of the model's key result's first
    ones they count (cache.py: _by_reference): restored after a check-in elsewhere and after an edit
    of a KPI a key result names, with a check-in dated after the as-of date (not counted), the site is
    a clean build's, and the check-ins are the model's own."""
    from okrsite import cache

    edit(example_copy / OBJ, '      - {date: 2026-11-20, value: 91.5, note: "new macros for billing questions"}\n',
         '      - {date: 2026-11-20, value: 91.5, note: "new macros for billing questions"}\n      - {date: 2026-12-04, value: 93}\n')
    warm_equals_clean(example_copy, tmp_path)
    restored: dict[str, tuple] = {}
    real = cache._restored

    def spy(o, score):
        counts = tuple(s.history for s in score.key_results)
        made = real(o, score)
        restored[o.id] = (o, counts, made)
        return made
    monkeypatch.setattr(cache, "_restored", spy)
    edit(example_copy / "content/objectives/2026-q4/halve-dashboard-load-times.md", "      - {date: 2026-11-20, value: 6}\n",
         "      - {date: 2026-11-20, value: 6}\n      - {date: 2026-11-22, value: 5}\n")  # a check-in
    warm_equals_clean(example_copy, tmp_path)
    assert "halve-dashboard-load-times" not in restored  # edited: scored again
    o, counts, made = restored["answer-customers-faster"]
    assert counts[1] == 2 and made.key_results[1].history == o.key_results[1].history[:2] and len(o.key_results[1].history) == 3
    for o, counts, made in restored.values():
        assert made is not None and all(type(n) is int or n == () for n in counts)  # no copies kept
        assert all(s.history is kr.history for n, s, kr in zip(counts, made.key_results, o.key_results) if n and n == len(kr.history))
    restored.clear()
    EDITS["kpi"](example_copy)  # mrr's target: the objectives whose key results name it are scored again
    warm_equals_clean(example_copy, tmp_path)
    assert restored and "grow-recurring-revenue" not in restored and "answer-customers-faster" in restored


def test_the_search_index_is_kept_while_what_search_shows_is_the_same(example_copy, tmp_path, monkeypatch):
    """The search index's digest is made of its entries (web/search.py: index_made_of), not of the whole
    site: a check-in that changes no status keeps the very file, and the warm build does not make the
    index at all (the cache's ``search-index`` part tells it before the pages' digests); a status, a
    team's title, a person's teams, an objective's title or body, or an objective made private (on the
    public site) make it again, as a clean build does."""
    import json

    from okrsite.web import search

    made = []
    index_script = search.index_script
    monkeypatch.setattr(search, "index_script", lambda index: made.append(1) or index_script(index))

    def status() -> str:
        found = json.loads((example_copy / "site/okrs.json").read_text(encoding="utf-8"))
        return next(o["status"] for o in found["objectives"] if o["id"] == "halve-dashboard-load-times")

    def index_inode() -> int:
        return (example_copy / "site/search/index.js").stat().st_ino

    objective = example_copy / "content/objectives/2026-q4/halve-dashboard-load-times.md"
    warm_equals_clean(example_copy, tmp_path)
    was, before = status(), index_inode()
    edit(objective, "value: 6}", "value: 6}\n      - {date: 2026-11-21, value: 5.9}")
    made.clear()
    assert 0 < warm_equals_clean(example_copy, tmp_path).kept
    assert status() == was and index_inode() == before
    assert len(made) == 1  # the clean build's: the warm build kept the file without making it
    edit(objective, "tags: [performance]\n", "tags: [performance]\nstatus: cancelled\n")
    warm_equals_clean(example_copy, tmp_path)
    assert status() != was and index_inode() != before
    for kind in ("team", "team members", "objective title", "body"):
        before = index_inode()
        EDITS[kind](example_copy)
        warm_equals_clean(example_copy, tmp_path)
        assert index_inode() != before, kind
    warm_equals_clean(example_copy, tmp_path, audience="public")
    before = index_inode()
    EDITS["made private"](example_copy)  # still in the internal site's index, gone from the public one's
    warm_equals_clean(example_copy, tmp_path, audience="public")
    assert index_inode() != before


# -- the warm build's reading: the linking, the scores and the output's record kept -------------------


def test_a_check_in_takes_the_last_builds_linking_and_an_edit_of_a_relation_links_again(example_copy, tmp_path, monkeypatch):
    """A check-in changes no relation: the last build's linking (its relations and diagnostics) is
    taken as it is. An edit that changes what linking reads (an owner, a parent, a file added or gone,
    a team's members) or a file with a diagnostic of linking links everything again, the shapes of the
    other files taken from the part. Always: the report and the site of a clean build."""
    from okrsite.goals import link

    linked, digested = [], []
    real, real_digest = link._link, link.shape_digest
    monkeypatch.setattr(link, "_link", lambda *args: linked.append(1) or real(*args))
    monkeypatch.setattr(link, "shape_digest", lambda entity: digested.append(entity.id) or real_digest(entity))
    write_files(example_copy, {"content/objectives/2026-q4/orphan.md": (
        "---\ntitle: An orphan\nperiod: 2026-Q4\nowner: platform\nkey_results:\n  - title: Ship it\n    done: true\n---\nNo parent.\n")})
    warm_equals_clean(example_copy, tmp_path)
    edits = {**EDITS, "check-in in place": lambda root: edit(root / OBJ, "    current: 92.5\n", "    current: 93.5\n")}  # no line moves
    for kind, again in [("objective", True), ("check-in in place", False), ("objective owner", True), ("private check-in", False),
                        ("objective parent", True), ("csv", False), ("team members", True), ("added file", True), ("deleted file", True),
                        ("body", False)]:
        edits[kind](example_copy)
        linked.clear()
        digested.clear()
        warm = build(example_copy, example_copy / "site")
        assert bool(linked) == again, kind
        assert len(set(digested)) <= 2, (kind, digested)  # the shapes of the files changed since the part alone: the rest are its
        clean = build(example_copy, tmp_path / "clean", cache=False)
        assert warm.report.items == clean.report.items, kind
        assert any(item.file.endswith("orphan.md") for item in warm.report.items)
        assert_same_site(example_copy / "site", tmp_path / "clean")
    edit(example_copy / "content/objectives/2026-q4/orphan.md", "done: true", "done: false")  # a file with a diagnostic: linked again
    linked.clear()
    warm = build(example_copy, example_copy / "site")
    assert linked and warm.report.items == build(example_copy, tmp_path / "clean", cache=False).report.items


def test_a_linking_kept_from_files_that_changed_since_is_not_taken(example_copy, tmp_path, monkeypatch):
    """The linking part names the content of every file it linked: a part older than the parsed files
    (a build stopped between the two) is taken only for the files whose content it names."""
    from okrsite import cache

    warm_equals_clean(example_copy, tmp_path)
    older = (example_copy / CACHE_DIR / "linked.cache").read_bytes()
    EDITS["objective owner"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    (example_copy / CACHE_DIR / "linked.cache").write_bytes(older)  # the owner's old relations
    taken = []
    real = cache.Remembering.link
    monkeypatch.setattr(cache.Remembering, "link", lambda self, *args: taken.append(self._linked) or real(self, *args))
    EDITS["objective"](example_copy)
    result = warm_equals_clean(example_copy, tmp_path)
    assert taken and result.report.items == build(example_copy, tmp_path / "clean", cache=False).report.items


def test_the_scores_a_build_took_are_saved_as_when_it_works_out_again_what_each_is_made_of(example_copy, tmp_path, monkeypatch):
    """save_scores keeps the entries known_scores took as they were, without working out again what each
    is made of: the parts it leaves are those it would leave working it out, and the next build scores
    the objectives it would score either way."""
    from okrsite import cache
    from okrsite.numbers import compute

    other = tmp_path / "other"
    shutil.copytree(example_copy, other)

    def steps(root: Path) -> tuple[dict, list]:
        warm_equals_clean(root, tmp_path)
        EDITS["objective"](root)
        build(root, root / "site")
        scored = []
        original = compute.kr_score
        with monkeypatch.context() as patched:
            patched.setattr(compute, "kr_score", lambda kr, *rest: scored.append(kr.title) or original(kr, *rest))
            edit(root / "content/objectives/2026-q4/grow-recurring-revenue.md", "title: ", "title: Newly named — ")
            build(root, root / "site")
        store = cache.Store(root / CACHE_DIR, cache.signing_key())
        parts = {}
        for path in sorted((root / CACHE_DIR).glob("scores-*.cache")):
            raw = path.read_bytes()
            header, _ = store._header(path.stem, raw, len(raw))
            parts[path.stem] = store._value(path.stem, raw, header["key"])
        return parts, sorted(scored)

    shortcut = []
    real = cache._digests_kept
    with monkeypatch.context() as patched:
        patched.setattr(cache, "_digests_kept", lambda known, made: shortcut.append(real(known, made)) or shortcut[-1])
        kept, kept_scored = steps(example_copy)
    assert shortcut and all(shortcut)
    with monkeypatch.context() as patched:
        patched.setattr(cache, "_digests_kept", lambda known, made: False)
        worked_out, worked_out_scored = steps(other)
    assert kept == worked_out and kept_scored == worked_out_scored
    assert sum(len(part) for part in kept.values()) > 10 and kept_scored


def test_the_output_record_takes_the_folders_times_from_the_listing_and_a_build_with_nothing_changed_is_done_at_once(example_copy, tmp_path, monkeypatch):
    """The record of the output (what a build with nothing changed checks) takes each folder's time from
    the listing the build made of its folder, not from the file system again: the same times."""
    from okrsite import cache

    warm_equals_clean(example_copy, tmp_path)
    EDITS["objective"](example_copy)
    warm_equals_clean(example_copy, tmp_path)
    record = cache.Store(example_copy / CACHE_DIR, cache.signing_key()).load("build", "build")["output"]
    folders, times = record[2].split("\0"), cache.array("q")
    times.frombytes(record[3])
    assert len(folders) > 10 and dict(zip(folders, times)) == {name: os.lstat(f"{example_copy / 'site'}/{name}").st_mtime_ns for name in folders}
    assert build(example_copy, example_copy / "site").unchanged


def test_a_build_that_finds_a_settled_file_changed_stats_each_goals_file_once(example_copy, tmp_path, monkeypatch):
    """The no-change check stats the files in order until one is not as the last build recorded it; the
    files before it are then taken as recorded (not stat'ed again to hash the fingerprint)."""
    from collections import Counter

    from okrsite import cache

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    warm_equals_clean(example_copy, tmp_path)
    stats = []
    real = os.stat
    monkeypatch.setattr(cache.os, "stat", lambda path, *rest, **named: (stats.append(str(path)) if "/content/" in str(path) else None) or real(path, *rest, **named))
    files = sorted((example_copy / "content").rglob("*.md"))
    changed = files[len(files) // 2]
    _same_size_edit(changed, "title: ", "title= ")
    result = build(example_copy, example_copy / "site", strict=False)
    counted = Counter(stats)
    assert len(counted) == len(files) and all(n == 1 for path, n in counted.items() if not path.endswith(changed.name)), counted
    assert not result.unchanged
    monkeypatch.undo()
    clean = build(example_copy, tmp_path / "clean", cache=False)
    assert result.report.items == clean.report.items


def test_a_kpis_target_or_direction_written_later_reaches_the_warning_of_a_key_result_following_it(example_copy, tmp_path):
    """A KPI with neither 'down' nor a target says nothing of the key results following it; a target
    written later makes 'the other way round' a warning on the key result's file, whose linking a warm
    build took from the last one: the report and the site of a clean build."""
    backlog = "---\ntitle: Backlog\nowner: platform\nsource: tracker\n{}values:\n  - {{date: 2026-11-01, value: 240}}\n---\n"
    write_files(example_copy, {
        "content/kpis/backlog.md": backlog.format(""),
        "content/objectives/2026-q4/calm.md": "---\ntitle: Calm\nperiod: 2026-Q4\nowner: platform\nparent: make-dashboards-instant\nkey_results:\n"
                                              "  - {title: Backlog from 300 to 100, kpi: backlog, start: 300, target: 100}\n---\n"})
    assert not [d for d in warm_equals_clean(example_copy, tmp_path).report.items if d.file.endswith("calm.md")]
    for extra in ("direction: up\n", "direction: down\n", "target: 500\n", ""):
        write_files(example_copy, {"content/kpis/backlog.md": backlog.format(extra)})
        warm = warm_equals_clean(example_copy, tmp_path)
        assert warm.report.items == build(example_copy, tmp_path / "clean", cache=False).report.items, extra
        assert [d.file.endswith("calm.md") for d in warm.report.items].count(True) == (extra == "target: 500\n"), extra


def test_a_markdown_file_not_named_md_is_told_with_the_cache_and_read_once_renamed(base_site, tmp_path):
    """A `.markdown` file added after a build is no "nothing changed": the warning comes, the next
    build with nothing changed says it again, and renamed to `.md` its objective is on the site."""
    assert build(base_site, base_site / "site").ok
    text = (base_site / "content/objectives/grow-customer-base.md").read_text().replace("Grow the customer base", "Q4 growth")
    write_files(base_site, {"content/objectives/q4-growth.markdown": text, "content/objectives/_index.md": "---\ntitle: Objectives\n---\n"})
    for _ in range(2):
        result = warm_equals_clean(base_site, tmp_path)
        assert [(d.severity, d.file) for d in result.report.sorted()] == [
            ("notice", "content/objectives/_index.md"), ("warning", "content/objectives/q4-growth.markdown")]
    assert result.unchanged and not (base_site / "site/objectives/q4-growth").exists()
    (base_site / "content/objectives/q4-growth.markdown").rename(base_site / "content/objectives/q4-growth.md")
    result = warm_equals_clean(base_site, tmp_path)
    assert [d.file for d in result.report.items] == ["content/objectives/_index.md"]
    assert (base_site / "site/objectives/q4-growth/index.html").exists()


def test_bodies_rendered_by_another_okrsite_are_not_reused():
    """The rendered bodies are kept under code_version, a digest of every .py file of okrsite, web/markdown.py
    among them: bodies an okrsite rendered otherwise (headings without ids, before they had them) are
    rendered again, never reused (test_a_damaged_cache_is_one_note_and_a_correct_build: "another version")."""
    from okrsite import cache

    assert "web/markdown.py" in dict(cache._sources(str(REPO / "okrsite")))
    assert "code_version()" in Path(cache.__file__).read_text(encoding="utf-8").split("def bodies(", 1)[1].split("def ", 1)[0]


def test_a_warm_build_renames_a_child_a_finished_roll_up_counts_as_it_stood_on_its_review(tmp_path):
    """The period's review names a finished roll-up's children of a longer period (counted_then), which
    it does not list: retitling one makes the review again."""
    okr = "---\ntitle: {title}\nperiod: FYX\nowner: company\nparent: par\nkey_results:\n  - title: a\n    target: 10\n" \
          "    history:\n      - {{date: 2026-12-20, value: 2}}\n      - {{date: 2027-01-10, value: 10}}\n---\n"
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": "git_history = false\nas_of = 2027-01-12\n[periods.FYX]\nstart = 2026-11-01\nend = 2027-01-15\n",
        "content/teams/company.md": "---\ntitle: Company\n---\n",
        "content/objectives/par.md": "---\ntitle: Parent\nperiod: 2026-Q4\nowner: company\n---\n",
        "content/objectives/ch2.md": okr.format(title="Child two"),
    })
    warm_equals_clean(root, tmp_path)
    review = lambda: re.sub(r"<[^>]+>", "", (root / "site/periods/2026-q4/review/index.html").read_text())
    assert "Child two (FYX) at 20" in review()
    write_files(root, {"content/objectives/ch2.md": okr.format(title="Renamed child")})
    warm_equals_clean(root, tmp_path)
    assert "Renamed child (FYX) at 20" in review()


def test_a_theme_folder_made_a_link_to_nothing_is_no_build_with_nothing_changed(example_copy):
    """A `theme -> nonexistent-theme` made after a build changes no file the cache hashes, but the
    build's warning: the next build says it (web/theme.py: unusable_theme_folders), and the one after
    it, kept, says it again; removing the link is a change too."""
    assert build(example_copy, example_copy / "site").report.warnings == []
    (example_copy / "theme").symlink_to("nonexistent-theme")
    for _ in range(2):
        assert [(d.file, d.message.split(",")[0]) for d in build(example_copy, example_copy / "site").report.warnings] == \
            [("theme", "theme/ is a link to nonexistent-theme")]
    (example_copy / "theme").unlink()
    assert build(example_copy, example_copy / "site").report.warnings == []


def test_a_theme_link_fixed_to_lead_inside_the_site_is_no_build_with_nothing_changed(base_site, tmp_path):
    """`theme -> ../outside-theme` (out of the site: not used, a warning) fixed to `theme -> vendor/brand`,
    which holds the same files byte for byte: the theme is used and the warning gone at the next build,
    not "nothing changed" with the old warning (QA CO)."""
    for theme in (tmp_path / "outside-theme", base_site / "vendor/brand"):
        write_files(theme, {"static/brand.css": "body{}\n"})
    (base_site / "theme").symlink_to(tmp_path / "outside-theme")
    assert "theme" in [d.file for d in build(base_site, base_site / "site").report.warnings]
    (base_site / "theme").unlink()
    (base_site / "theme").symlink_to("vendor/brand")
    result = build(base_site, base_site / "site")
    assert not result.unchanged and "theme" not in [d.file for d in result.report.warnings]
    assert (base_site / "site/brand.css").read_text() == "body{}\n"


def test_a_theme_file_linked_out_of_its_folder_then_put_there_itself_is_used(base_site, tmp_path):
    """A `theme/static/brand.css` leading out of theme/static/ is left out; the same bytes put there as the
    file itself are copied at the next build (QA CO)."""
    write_files(tmp_path, {"outside/brand.css": "body{}\n"})
    (base_site / "theme/static").mkdir(parents=True)
    (base_site / "theme/static/brand.css").symlink_to(tmp_path / "outside/brand.css")
    assert build(base_site, base_site / "site").ok and not (base_site / "site/brand.css").exists()
    (base_site / "theme/static/brand.css").unlink()
    write_files(base_site, {"theme/static/brand.css": "body{}\n"})
    assert build(base_site, base_site / "site").ok and (base_site / "site/brand.css").read_text() == "body{}\n"


@needs_git
def test_a_finished_review_follows_the_day_of_a_re_scope_in_a_warm_build(tmp_path, monkeypatch):
    """QA DD: a finished quarter's review and objective page say when its key result was re-scoped and
    measure the days before against the old target. A month later both are kept (not written again);
    a history rewritten to date the re-scope later (the files as before) changes them, as in a clean build."""
    from .web.test_review import rescoped_repo

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    repo = rescoped_repo(tmp_path / "goals")
    review, objective = repo.root / "site/periods/2026-q2/review/index.html", repo.root / "site/objectives/pipe/index.html"
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 7, 7))
    first, inode = review.read_bytes(), review.stat().st_ino
    assert b"2026-05-15</time>: target 2,000,000" in first
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 8, 7))
    assert review.read_bytes() == first and review.stat().st_ino == inode
    later = rescoped_repo(tmp_path / "later", rescoped_on="2026-06-10")
    repo.git("fetch", "-q", str(later.root), "main")
    repo.git("reset", "-q", "--hard", "FETCH_HEAD")
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 8, 7))
    assert b"2026-06-10</time>: target 2,000,000" in review.read_bytes()
    assert b"<td>2026-06-10</td> <td>target 2,000,000" in objective.read_bytes()


def test_the_key_is_kept_where_the_xdg_spec_says(tmp_path, monkeypatch):
    """A relative XDG_CACHE_HOME is ignored (it would put the key in the goals repository a build runs
    in), and an empty HOME is no home: the account's home, else no key at all (QA DE)."""
    from okrsite import cache

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache-ci")
    assert cache.key_path() == tmp_path / "home/.cache/okrsite/cache-key"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.key_path() == tmp_path / "xdg/okrsite/cache-key"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(cache, "_account_home", lambda: str(tmp_path / "account"))
    assert cache.key_path() == tmp_path / "account/.cache/okrsite/cache-key"
    for no_home in (None, "/", "relative"):
        monkeypatch.setattr(cache, "_account_home", lambda: no_home)
        assert cache.key_path() is None
        assert cache.signing_key() is None


def test_with_no_place_for_the_key_a_build_runs_without_its_cache(example_copy, capsys, monkeypatch):
    from okrsite import cache

    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(cache, "_account_home", lambda: None)
    monkeypatch.chdir(example_copy)
    assert cli.main(["build", str(example_copy)]) == 0
    err = capsys.readouterr().err
    assert err.count("note:") == 1 and "HOME is empty or unset, and XDG_CACHE_HOME is no absolute path" in err
    assert not (example_copy / CACHE_DIR).exists() and not (example_copy / "relative-cache").exists()


def test_the_note_without_a_key_names_a_home_that_is_the_root(example_copy, capsys, monkeypatch):
    """QA DM: HOME=/ was said to be "empty or unset"."""
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", "/")
    assert cli.main(["build", str(example_copy)]) == 0
    err = capsys.readouterr().err
    assert "HOME is '/', the file system's root, and XDG_CACHE_HOME is no absolute path" in err
    assert "empty or unset" not in err


def test_a_part_being_written_is_no_leftover_whatever_the_clocks_say(tmp_path):
    """QA EK: a build whose clock ran over an hour ahead of the file system's took its own half-written
    parts for leftovers of killed builds and deleted them ("cannot be written (No such file or
    directory)"). Only another process's part, an hour old by the file system's own clock, is one."""
    import time

    from okrsite import cache

    store = cache.Store(tmp_path / CACHE_DIR, cache.signing_key())
    writing = store.writer("scores-0", "key", items=False)
    hour_ago, hours_ahead = time.time() - 2 * 3600, time.time() + 3 * 3600
    os.utime(writing.temp, (hour_ago, hour_ago))  # as a clock ahead of the file system's dates it
    killed, dated_ahead = store.folder / ".build.1-dead.tmp", store.folder / ".build.2-ahead.tmp"
    for part, when in ((killed, hour_ago), (dated_ahead, hours_ahead)):
        part.write_bytes(b"half")
        os.utime(part, (when, when))
    store.save("build", "key", {"output": "site"})
    writing.add({"kr": 1})
    writing.commit()
    assert store.notes == [] and store.load("scores-0", "key") == {"kr": 1}
    assert not killed.exists() and dated_ahead.exists()


@needs_git
def test_a_child_s_rows_follow_whether_a_finished_roll_up_leaves_it_out_in_a_warm_build(tmp_path, monkeypatch):
    """QA EL 1: a row of an objective a finished roll-up leaves out (added after its period ended) says
    so, from the roll-up's score: the page of the child's team, which shows no roll-up, follows a key
    result given to the roll-up (its own numbers make its grade then, and it leaves nothing out)."""
    from .web.test_left_out_of_a_roll_up import ROLL_UP, late_child_repo, roll_up

    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    repo = late_child_repo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")
    team = repo.root / "site/teams/ops/index.html"
    warm_equals_clean(repo.root, tmp_path)
    assert "not counted in" in team.read_text()
    repo.commit({ROLL_UP: roll_up("key_results:\n  - {title: Own, target: 10, current: 3}\n")}, "2026-11-20T10:00:00+00:00")
    warm_equals_clean(repo.root, tmp_path)
    assert "not counted in" not in team.read_text()


@needs_git
def test_a_warm_build_follows_a_child_a_finished_roll_up_counts_though_moved_away(tmp_path, monkeypatch):
    """QA FK: the Q3 roll-up r counts b (moved to c on Nov 10) as it stood and leaves d (aligned to it
    then) out. A save to b, no longer below r, makes r's page and grade again; one that cancels b takes
    it out of r's count; d's rows say it is left out."""
    monkeypatch.setattr("okrsite.goals.files.RACY_NS", 0)
    repo = realigned_repo(tmp_path / "goals")
    (repo.root / ".gitignore").write_text("site/\n")
    page = repo.root / "site/objectives/r/index.html"
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 11, 10))
    assert "(1 moved to another parent after 2026-Q3 ended counted as it stood then)" in page.read_text()
    assert "aligned after 2026-Q3 ended: not counted in" in (repo.root / "site/teams/co/index.html").read_text()
    write_files(repo.root, {"content/objectives/b.md": realigned("B", 10, "c")})
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 11, 10))
    assert "final grade 0.83" in re.sub(r"<[^>]+>", "", page.read_text())  # a, b and c at 100, 100 and 50 %
    write_files(repo.root, {"content/objectives/b.md": realigned("B", 10, "c").replace("owner: co\n", "owner: co\nstatus: cancelled\n")})
    warm_equals_clean(repo.root, tmp_path, as_of=date(2026, 11, 10))
    assert "moved to another parent" not in page.read_text()


def test_a_finished_quarter_awaiting_a_month_end_value_is_cached_without_a_note(example_copy, tmp_path, capsys):
    """QA FH: while a key result awaited a month-end KPI value (numbers.awaited.Awaited in its score), the
    cache could not read its score back: every later build and check said the cache was damaged."""
    from okrsite.build import check_site

    as_of = date(2027, 1, 3)
    scores = check_site(example_copy, as_of, None).scores
    assert any(k.awaited for s in scores.objectives.values() for k in s.key_results)  # the case at hand
    assert cli.main(["build", str(example_copy), "-o", str(tmp_path / "out"), "--as-of", str(as_of)]) == 0
    EDITS["objective title"](example_copy)
    capsys.readouterr()
    assert cli.main(["check", str(example_copy), "--as-of", str(as_of)]) == 0
    assert cli.main(["build", str(example_copy), "-o", str(tmp_path / "out"), "--as-of", str(as_of)]) == 0
    assert "note:" not in capsys.readouterr().err


def test_every_kind_of_value_a_cached_score_holds_is_one_the_cache_reads_back():
    """The scores of objectives whose own key results score are cached (Cache.save_scores) and read back
    only as the kinds cache._ALLOWED names: a new kind of value in a score, not named there, made every
    build after it find the cache damaged (Awaited, above). The fields only a roll-up's score fills are
    never cached."""
    import dataclasses
    import typing

    from okrsite.cache import _ALLOWED
    from okrsite.numbers.compute import KRScore, ObjectiveScore

    roll_up_only = {"counted_then", "added_late", "deleted_late", "deleted_corrected", "counted_corrected", "deleted_counted"}
    found: set[type] = set()

    def walk(kind: object) -> None:
        if dataclasses.is_dataclass(kind) and kind not in found:
            found.add(kind)
            hints = typing.get_type_hints(kind)
            for field in dataclasses.fields(kind):
                if not (kind is ObjectiveScore and field.name in roll_up_only):
                    walk(hints[field.name])
        for arg in typing.get_args(kind):
            walk(arg)

    walk(ObjectiveScore)
    assert KRScore in found and {(kind.__module__, kind.__name__) for kind in found} <= _ALLOWED
