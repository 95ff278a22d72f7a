"""axe-core (npm, node_modules/axe-core) finds no violation on any page, in light and in dark mode.

Every page of every kind is checked (not one sample per kind): a violation can depend on the content,
e.g. a status colour that only one objective has. axe runs with its default rule set (WCAG 2.x A and
AA plus its best practices).
"""

from __future__ import annotations

import pytest

from .conftest import KINDS, pages_or_skip

RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: (n.failureSummary || '').replace(/\\s+/g, ' ')}))
  }));
}
"""

MAX_NODES = 6


def describe(file: str, scheme: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        lines.append(f"{file} [{scheme}] {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)")
        for node in v["nodes"][:MAX_NODES]:
            lines.append(f"      {node['target']}  |  {node['summary'][:240]}")
        if len(v["nodes"]) > MAX_NODES:
            lines.append(f"      … and {len(v['nodes']) - MAX_NODES} more")
    return lines


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_violation(kind, scheme, site, axe_js, open_page):
    page, _ = open_page(color_scheme=scheme, bypass_csp=True)  # axe-core is an injected inline script
    page.emulate_media(color_scheme=scheme)
    lines = []
    pages = pages_or_skip(site, kind)
    for file in pages:
        page.goto(site.base_url + file, wait_until="load")
        page.add_script_tag(path=str(axe_js))
        lines += describe(file, scheme, page.evaluate(RUN_AXE))
    assert not lines, (f"axe-core violations on {kind} pages ({len(pages)} checked) in {scheme} mode:\n"
                       + "\n".join(lines))


@pytest.fixture(scope="module")
def large_site_pages(tmp_path_factory):
    """The pages a large site gets (the home page's cut tree, kpis/, a period's alignment list in parts,
    a team page that leaves its sub-teams' objectives to them), made with the limits lowered on the example."""
    import shutil

    from okrsite.build import build
    from okrsite.web import render

    from .conftest import REPO, serving

    base = tmp_path_factory.mktemp("large-site")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (("HOME_ROWS", 3), ("HOME_KPI_TILES", 2), ("ALIGNMENT_LIST_LIMIT", 4), ("TEAM_PAGE_ROWS", 2)):
            patch.setattr(render, name, value)
        shutil.copy(REPO / "okrsite.toml", base / "okrsite.toml")
        for name in ("content", "data"):
            shutil.copytree(REPO / name, base / name)
        assert build(base, base / "out", cache=False).ok
    yield from serving(base / "out")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_pages_of_a_large_site(large_site_pages, scheme, axe_js, open_page):
    out = large_site_pages.out_dir
    files = ["", "kpis/", "alignment/", "teams/company/",
             *sorted(p.parent.relative_to(out).as_posix() + "/" for p in (out / "periods/2026-q4/alignment").glob("*/index.html"))]
    assert len(files) > 5 and all((out / f / "index.html").is_file() for f in files)
    page, _ = open_page(color_scheme=scheme, bypass_csp=True)
    lines = []
    for file in files:
        page.goto(large_site_pages.base_url + file, wait_until="load")
        page.add_script_tag(path=str(axe_js))
        lines += describe(file, scheme, page.evaluate(RUN_AXE))
    assert not lines, "\n".join(lines)
