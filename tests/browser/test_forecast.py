"""Forecast and guardrails in a real browser (SPEC §11, §12): the dashed forecast line is drawn where
check-ins make one and nowhere else; the pages that show forecasts and guardrails pass axe-core and
the Nu HTML Checker.

The example (the `site` fixture, with its git history) has a forecast on every running objective with
key results; tests/fixtures/forecast (built here) adds an objective page with a progress chart but no
line to draw, guardrails breached, held and without data, and objectives forecast to fall short.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from .conftest import REPO, build_example, page_file, serve
from .test_accessibility import RUN_AXE, describe

FIXTURE = REPO / "tests" / "fixtures" / "forecast"
CHANGED = ["index.html", "objectives/grow-signups/index.html", "objectives/protect-margins/index.html",
           "objectives/one-checkin/index.html", "objectives/steady-operations/index.html", "objectives/company-goals/index.html"]

FORECAST_LINE = """
() => {
  const line = document.querySelector('svg.chart-burnup line.forecast');
  if (!line) return null;
  const box = line.getBoundingClientRect();
  const labels = [...document.querySelectorAll('svg.chart-burnup .forecast-label')].map(t => t.textContent);
  return {dash: getComputedStyle(line).strokeDasharray, width: box.width, labels,
          note: (document.querySelector('.chart-note') || {}).textContent || '',
          headline: document.querySelector('.headline').textContent.replace(/\\s+/g, ' ')};
}
"""


@pytest.fixture(scope="module")
def forecast_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("forecast") / "site"
    okrs = build_example(out, FIXTURE)
    server, base_url = serve(out)
    try:
        yield out, base_url, okrs
    finally:
        server.shutdown()
        server.server_close()


def test_the_example_draws_a_dashed_forecast_line_where_check_ins_make_one(site, open_page):
    page, _ = open_page()
    running = [o for o in site.okrs["objectives"] if o["forecast"] and any((k["forecast"] or {}).get("points") for k in o["key_results"])]
    assert running, "the example has no objective whose key results make a forecast line"
    for o in running:
        page.goto(site.base_url + page_file(o["url"]), wait_until="load")
        found = page.evaluate(FORECAST_LINE)
        assert found is not None, f"{o['id']}: no forecast line on the burn-up chart"
        assert found["dash"] not in ("", "none") and found["width"] > 10, found
        shown = re.fullmatch(r"forecast (\d+) %", found["labels"][0])
        assert shown and abs(int(shown[1]) - o["forecast"]["progress"] * 100) <= 0.55, (found, o["forecast"])  # okrs.json has 3 decimals
        assert "straight line" in found["note"] and "check-in" in found["note"]  # the method in words, under the chart
        assert f"forecast {shown[1]} % ({o['forecast']['status']})" in found["headline"]
    ended = [o for o in site.okrs["objectives"] if o["forecast"] is None and any(k["history"] for k in o["key_results"])]
    assert ended, "the example has no ended objective with check-ins"
    for o in ended:
        page.goto(site.base_url + page_file(o["url"]), wait_until="load")
        assert page.locator("svg.chart-burnup").count() == 1, o["id"]
        assert page.evaluate(FORECAST_LINE) is None, f"{o['id']}: a forecast line after the period"


CHART_TEXT = """
() => [...document.querySelectorAll('svg.chart')].filter(svg => !svg.matches('.chart-sparkline')).map(svg => {
  const edge = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].filter(t => t.getBoundingClientRect().width > 0).map(t => {
    const box = t.getBoundingClientRect(), bb = t.getBBox();
    // the points of the chart's lines under the label (user units; the label's halo hides them)
    const lines = [...svg.querySelectorAll('.line, .pace, .forecast:not(text), .today')];
    let crossed = [];
    if (t.matches('.forecast-label')) {
      for (let x = bb.x; x <= bb.x + bb.width && !crossed.length; x += 2)
        for (let y = bb.y + 2; y <= bb.y + bb.height - 2 && !crossed.length; y += 2)
          crossed = lines.filter(l => l.isPointInStroke(new DOMPoint(x, y))).map(l => ({line: 'progress', forecast: 'forecast', pace: 'pace', today: 'today'})[l.classList[0]]);
    }
    return {text: t.textContent, left: box.left, right: box.right, top: box.top, bottom: box.bottom, crossed};
  });
  return {chart: svg.getAttribute('class'), edge: {left: edge.left, right: edge.right, top: edge.top, bottom: edge.bottom}, texts};
})
"""


def chart_text_failures(where: str, charts: list[dict], slack: float = 0.5) -> list[str]:
    """Labels of a chart that overlap another, reach past the chart's edge, or (a forecast's) lie over its lines."""
    failures = []
    for chart in charts:
        texts, edge = chart["texts"], chart["edge"]
        for i, a in enumerate(texts):
            if a["left"] < edge["left"] - slack or a["right"] > edge["right"] + slack or a["top"] < edge["top"] - slack or a["bottom"] > edge["bottom"] + slack:
                failures.append(f"{where}: {chart['chart']}: {a['text']!r} is cut by the chart's edge")
            if a["crossed"]:
                failures.append(f"{where}: {chart['chart']}: {a['text']!r} lies over the {' and '.join(a['crossed'])} line")
            for b in texts[i + 1:]:
                if min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack:
                    failures.append(f"{where}: {chart['chart']}: {a['text']!r} overlaps {b['text']!r}")
    return failures


def test_a_forecast_label_on_a_phone_is_clear_of_the_other_labels_and_the_lines(site, forecast_site, open_page):
    """At 360 px a chart is drawn at about half its size and its labels at 18 units (style.css): the
    forecast's method ("straight lines through 11 check-ins of 2 key results") then ran across the whole
    chart, over the progress and today lines, and over the forecast's own figure 14 units above it."""
    _, forecast_base, forecast_okrs = forecast_site
    pages = [(base, page_file(o["url"])) for base, okrs in ((site.base_url, site.okrs), (forecast_base, forecast_okrs))
             for o in okrs["objectives"] if o["forecast"] and any((k["forecast"] or {}).get("points") for k in o["key_results"])]
    assert len(pages) >= 5, "the example and the fixture have objectives with a forecast line"
    page, _ = open_page(width=360, height=740)
    failures = []
    for base, file in pages:
        page.goto(base + file, wait_until="load")
        charts = page.evaluate(CHART_TEXT)
        assert any(t["text"].startswith("forecast ") for c in charts for t in c["texts"]), f"{file}: no forecast label on a phone"
        failures += chart_text_failures(file, charts)
    assert not failures, "\n".join(failures)


def test_no_forecast_line_without_check_ins_to_fit(forecast_site, chromium_browser):
    out, base_url, okrs = forecast_site
    page = chromium_browser.new_page()
    try:
        page.goto(base_url + "objectives/one-checkin/index.html", wait_until="load")
        assert page.locator("svg.chart-burnup").count() == 1  # a chart of its progress, but no line to draw
        assert page.evaluate(FORECAST_LINE) is None
        headline = page.locator(".headline").inner_text()
        assert "forecast 40 % (off-track), from current progress: no trend yet" in headline  # one check-in: no trend to forecast by
        page.goto(base_url + "objectives/grow-signups/index.html", wait_until="load")
        found = page.evaluate(FORECAST_LINE)
        assert found and found["labels"] == ["forecast 92 %"] and "(straight line through 2 check-ins)" in found["note"]
        page.goto(base_url + "objectives/protect-margins/index.html", wait_until="load")
        guard = page.locator("#protect-margins-kr3")
        assert "breached" in guard.inner_text()
        assert guard.locator("svg .breach-zone").count() == 1 and guard.locator("svg circle.breach").count() == 1
    finally:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_forecast_and_guardrail_pages(scheme, forecast_site, chromium_browser, axe_js):
    out, base_url, _ = forecast_site
    context = chromium_browser.new_context(color_scheme=scheme, bypass_csp=True)  # axe-core is an injected inline script
    page = context.new_page()
    lines = []
    try:
        for file in CHANGED:
            page.goto(base_url + file, wait_until="load")
            page.add_script_tag(path=str(axe_js))
            lines += describe(file, scheme, page.evaluate(RUN_AXE))
    finally:
        context.close()
    assert not lines, "axe-core violations:\n" + "\n".join(lines)


def test_nu_checker_finds_no_error_on_forecast_and_guardrail_pages(forecast_site, vnu_jar):
    out, _, _ = forecast_site
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *(str(out / f) for f in CHANGED)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr)["messages"]
    errors = [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") in ("error", "non-document-error")]
    assert not errors and proc.returncode == 0, "\n".join(errors)
