"""SPEC §14's guarantee, tested on every byte: a public build of the example leaks no confidential
number and nothing of its private objective, in any output file, in any form the site could print.

The example (content/) holds a confidential KPI with values, a key result linked to it, two key
results marked confidential (one a guardrail) and a private objective with a public child. The
example is built twice, for each audience, as it is and replayed as a quarter of git commits
(docs/examples/example_history.py: check-ins, a changes page and an Atom feed, commit messages that
name values). The needles are read from the goals themselves and from the internal build (forecasts,
chart labels), then written in every way the site writes numbers. The same search over the internal
build finds every one of them, so the test can fail.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from okrsite.build import build
from okrsite.goals.formats import format_number
from okrsite.goals.repository import load_site

from .conftest import REPO

SCHEMA = json.loads((REPO / "docs" / "okrs.schema.json").read_text())
LABEL = re.compile(r"<text[^>]*>([^<]+)</text>|<title>[^<:]*: ([^<]+)</title>")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def printed_forms(value: float) -> set[str]:
    """Every way the site (or a theme, or a tool reading okrs.json) could write ``value``: as written,
    rounded, with thousands separators, compact (k, M), with a unit, as a percentage. A form of fewer
    than three digits ("12k") is no evidence: the example's own words say "about $12k a month"."""
    value = float(value)
    forms = {repr(value), f"{value:g}", json.dumps(int(value) if value.is_integer() else value)}
    for digits in (0, 1, 2):
        forms |= {f"{value:.{digits}f}", f"{value:,.{digits}f}"}
    for unit in (None, "USD", "$", "%"):
        forms |= {format_number(value, unit, style) for style in ("full", "compact")}
    for size, suffix in ((1e3, "k"), (1e6, "M")):
        if value >= size * 10:
            forms |= {f"{value / size:.0f}{suffix}", f"{value / size:.1f}{suffix}", f"{value / size:.2f}{suffix}", f"{value / size:g}{suffix}"}
    forms |= {f"{value:g}%", f"{value:g} %", f"{round(value)} %", f"{round(value * 100)} %", f"{value * 100:g}%"}
    return {form for form in forms if sum(c.isdigit() for c in form) >= 3}


def number_pattern(forms: set[str]) -> re.Pattern:
    """Any of the forms, not as a piece of a longer number (16412 is no hit in 116412 or 0.16412)."""
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![0-9.,])(?:{alternatives})(?![0-9])".encode())


def confidential_numbers(source: Path, internal: Path) -> dict[str, set[float]]:
    """{what: values} for every confidential number: from the goals (values, targets, thresholds,
    starts, lines, check-ins) and from the internal build (currents, forecasts, chart labels)."""
    site = load_site(source).site
    found: dict[str, set[float]] = {}
    for k in site.kpis.values():
        if k.confidential:
            found[f"KPI {k.id}"] = {v for v in (k.target, k.threshold, *(p.value for p in k.values)) if v is not None}
    for o in site.objectives.values():
        for kr in o.key_results:
            if kr.confidential and not o.private:
                numbers = {kr.target, kr.current, kr.keep_above, kr.keep_below, *(p.value for p in kr.history)}
                numbers |= {kr.start} if kr.form == "numeric" else set()
                found[f"KR {kr.id}"] = {v for v in numbers if v is not None}
    okrs = json.loads((internal / "okrs.json").read_text(encoding="utf-8"))
    for o in okrs["objectives"]:
        for kr in o["key_results"]:
            if kr["confidential"] and not o["private"]:
                derived = {kr["current"], (kr["forecast"] or {}).get("value"), *(p["value"] for p in kr["history"])}
                found.setdefault(f"KR {kr['id']}", set()).update(float(v) for v in derived if v is not None)
    for kpi in okrs["kpis"]:
        if kpi["confidential"]:
            found[f"KPI {kpi['id']}"] |= {float(kpi["current"])} | {float(v["value"]) for v in kpi["values"]}
    return found


def chart_labels(source: Path, internal: Path) -> set[str]:
    """The texts of the internal site's charts of confidential series (a confidential KPI's history, a
    confidential guardrail's): axis ticks, the latest value, the target, threshold and line, every
    dot's title; dates and the "today" mark left out, as the public site keeps them."""
    site = load_site(source).site
    charts = [(k.url, "kpi-chart") for k in site.kpis.values() if k.confidential]
    charts += [(o.url, f"guard-{kr.id}") for o in site.objectives.values() for kr in o.key_results if kr.confidential and kr.form == "guardrail"]
    labels: set[str] = set()
    for url, ident in charts:
        html = (internal / url / "index.html").read_text(encoding="utf-8")
        chart = re.search(rf'<svg[^>]*aria-labelledby="{re.escape(ident)}-title.*?</svg>', html, re.S)
        assert chart, f"the internal page {url} has no chart {ident}"
        for text, title in LABEL.findall(chart[0]):
            label = (text or title).strip().removeprefix("keep ").removeprefix("above ").removeprefix("target ").removeprefix("threshold ")
            if not DATE.match(label) and label != "today":
                labels.add(label.removesuffix(", across the line"))
    return labels


def private_words(source: Path) -> set[str]:
    """The private objective's title, id and key results' titles: none may appear anywhere."""
    site = load_site(source).site
    words = set()
    for o in site.objectives.values():
        if o.private:
            words |= {o.title, o.id, *(kr.title for kr in o.key_results), *(kr.id for kr in o.key_results)}
    return words


def hits(out: Path, pattern: re.Pattern) -> list[str]:
    """Every file (by its path in the output) in which the pattern matches, with the first match."""
    found = []
    for path in sorted(out.rglob("*")):
        if path.is_file():
            match = pattern.search(path.read_bytes())
            if match:
                found.append(f"{path.relative_to(out)}: {match[0].decode(errors='replace')!r}")
    return found


def replayed(dest: Path) -> Path:
    proc = subprocess.run([sys.executable, str(REPO / "docs" / "examples" / "example_history.py"), str(dest)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return dest


@pytest.fixture(scope="module", params=["example", "example with history", "a month after the quarter"])
def builds(request, tmp_path_factory):
    """(source, internal output, public output) of the example, with and without its git history, and
    as of a month after its quarter (grades, final values, the review of a finished period)."""
    base = tmp_path_factory.mktemp("leaks")
    as_of = date(2027, 1, 31) if request.param == "a month after the quarter" else None
    if request.param == "example with history":
        if shutil.which("git") is None:
            pytest.skip("git is not installed")
        source = replayed(base / "goals")
    else:
        source = REPO
    outputs = []
    for audience in ("internal", "public"):
        result = build(source, base / audience, as_of=as_of, audience=audience)
        assert result.ok, result.report.items
        outputs.append(base / audience)
    return source, *outputs


def test_the_example_has_every_kind_of_secret():
    site = load_site(REPO).site
    private = [o for o in site.objectives.values() if o.private]
    assert private and any(site.objectives[c].private is False for o in private for c in site.children.get(o.id, ()))
    assert any(k.confidential and k.values for k in site.kpis.values())
    krs = [kr for o in site.objectives.values() if not o.private for kr in o.key_results if kr.confidential]
    assert {kr.form for kr in krs} >= {"numeric", "guardrail"} and any(kr.kpi for kr in krs) and any(kr.history for kr in krs)


def test_no_confidential_number_in_any_file_of_the_public_build(builds):
    source, internal, public = builds
    numbers = confidential_numbers(source, internal)
    assert sum(len(v) for v in numbers.values()) >= 15, numbers
    for what, values in numbers.items():
        for value in values:
            pattern = number_pattern(printed_forms(value))
            assert hits(internal, pattern), f"the internal build never shows {what}'s {value}: the search cannot be trusted"
            leaks = hits(public, pattern)
            assert not leaks, f"{what}'s {value} is in the public build:\n" + "\n".join(leaks)


def test_no_chart_label_of_a_confidential_series_in_the_public_build(builds):
    source, internal, public = builds
    labels = chart_labels(source, internal)
    assert len(labels) >= 8, labels  # ticks, the latest value, the target, threshold and line
    leaks = hits(public, number_pattern(labels))
    assert not leaks, "labels of confidential charts in the public build:\n" + "\n".join(leaks)


def test_nothing_of_the_private_objective_in_the_public_build(builds):
    source, internal, public = builds
    for word in private_words(source):
        pattern = re.compile(re.escape(word).encode(), re.IGNORECASE)
        assert hits(internal, pattern), f"the internal build never shows {word!r}"
        assert not hits(public, pattern), f"{word!r} is in the public build:\n" + "\n".join(hits(public, pattern))


def test_both_okrs_json_validate_against_the_schema_and_say_their_audience(builds):
    _, internal, public = builds
    for out, audience in ((internal, "internal"), (public, "public")):
        data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, SCHEMA)
        assert data["audience"] == audience


def test_the_schema_refuses_an_internal_okrs_json_labelled_public(builds):
    _, internal, _ = builds
    data = json.loads((internal / "okrs.json").read_text(encoding="utf-8"))
    data["audience"] = "public"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_confidential_numbers_are_absent_keys_not_nulls(builds):
    _, _, public = builds
    data = json.loads((public / "okrs.json").read_text(encoding="utf-8"))
    kpi = next(k for k in data["kpis"] if k["confidential"])
    assert not {"target", "threshold", "current", "target_text"} & kpi.keys()
    assert kpi["values"] and all(set(v) == {"date", "source", "commit", "author"} for v in kpi["values"])
    assert kpi["health"] == "warning" and kpi["current_date"] == "2026-10-31"
    krs = [kr for o in data["objectives"] for kr in o["key_results"] if kr["confidential"]]
    assert len(krs) == 3
    for kr in krs:
        assert not {"start", "target", "current", "keep_above", "keep_below"} & kr.keys(), kr
        assert all("value" not in p and "note" not in p for p in kr["history"])
        assert kr["forecast"] is None or "value" not in kr["forecast"]
        assert kr["kind"] == "guardrail" or 0 <= kr["progress"] <= 1


def test_private_objectives_are_absent_from_lists_children_owners_and_counts(builds):
    source, internal, public = builds
    inside = json.loads((internal / "okrs.json").read_text(encoding="utf-8"))
    outside = json.loads((public / "okrs.json").read_text(encoding="utf-8"))
    private = {o["id"] for o in inside["objectives"] if o["private"]}
    assert private == {"acquire-kingfisher-analytics"}
    assert len(outside["objectives"]) == len(inside["objectives"]) - 1
    ids = {o["id"] for o in outside["objectives"]}
    assert not private & ids
    assert not private & {c for o in outside["objectives"] for c in o["children"] + o["followed_by"]}
    assert not private & {i for p in outside["people"] for i in p["owns"]}
    assert not private & {i for k in outside["kpis"] for i in k["objectives"]}
    child = next(o for o in outside["objectives"] if o["id"] == "offer-live-warehouse-connectors")
    assert child["parent"] is None and child["private_parent"] is True
    parent = next(o for o in outside["objectives"] if o["id"] == "win-customer-love")
    assert parent["counts_private"] is True
    assert parent["progress"] == next(o for o in inside["objectives"] if o["id"] == "win-customer-love")["progress"], "a parent's progress still counts it"
    assert not (public / "objectives" / "acquire-kingfisher-analytics").exists()
    assert (internal / "objectives" / "acquire-kingfisher-analytics" / "index.html").is_file()


def links_of(out: Path, page: str) -> set[Path]:
    html = (out / page).read_text(encoding="utf-8")
    return {(out / page).parent.joinpath(link.split("#")[0]).resolve() for link in re.findall(r'href="([^"#][^"]*)"', html) if "://" not in link}


def test_the_public_child_says_aligned_to_a_private_objective_and_links_nowhere_private(builds):
    _, internal, public = builds
    page = "objectives/offer-live-warehouse-connectors/index.html"
    assert "<dt>Aligned to</dt> <dd>a private objective" in (public / page).read_text(encoding="utf-8")
    private_page = "objectives/acquire-kingfisher-analytics/index.html"
    assert (internal / private_page).resolve() in links_of(internal, page)
    missing = [str(t) for t in links_of(public, page) if not t.exists()]
    assert not missing and (public / private_page).resolve() not in links_of(public, page)


def test_the_parent_says_its_progress_counts_private_objectives(builds):
    _, internal, public = builds
    note = "This progress also counts objectives aligned to this one that are private"
    assert note in (public / "objectives" / "win-customer-love" / "index.html").read_text(encoding="utf-8")
    assert note not in (internal / "objectives" / "win-customer-love" / "index.html").read_text(encoding="utf-8")


def test_confidential_items_keep_title_owner_health_status_trend_and_progress(builds):
    _, internal, public = builds
    kpi = (public / "kpis" / "customer-acquisition-cost" / "index.html").read_text(encoding="utf-8")
    for kept in ("<h1 dir=\"auto\">Customer acquisition cost", "health-warning", "falling, improving", "Go-to-Market", "Everything sales and marketing spent",
                 "numbers not public", 'class="badge lock"'):
        assert kept in kpi, kept
    assert 'class="chart' not in kpi and 'class="chart' in (internal / "kpis" / "customer-acquisition-cost" / "index.html").read_text(encoding="utf-8")
    objective = (public / "objectives" / "win-customers-at-lower-cost" / "index.html").read_text(encoding="utf-8")
    inside = json.loads((internal / "okrs.json").read_text(encoding="utf-8"))
    mine = next(o for o in inside["objectives"] if o["id"] == "win-customers-at-lower-cost")
    for kr in mine["key_results"]:
        assert kr["title"] in objective
        if kr["kind"] == "numeric":
            assert f'data-kr="{kr["id"]}"' in objective and f'data-progress="{kr["progress"]:.3f}"' in objective
    assert mine["status"] in objective and f'{round(mine["progress"] * 100)} %' in objective
    if mine["grade"] is not None:  # after the quarter: a grade is a progress, kept (docs/audiences.md)
        word = "provisional" if any(kr.get("awaiting") for kr in mine["key_results"]) else "final"  # a month-end KPI value awaited
        assert f'{word} grade {mine["grade"]:.2f}' in objective
    assert 'id="burnup' not in objective  # its steps are the dates and sizes of confidential check-ins
    tiles = (public / "index.html").read_text(encoding="utf-8").split('<article class="tile')[1:]
    (tile,) = [t.split("</article>", 1)[0] for t in tiles if "Customer acquisition cost</a>" in t.split("</article>", 1)[0]]
    assert 'class="chart' not in tile


def test_an_internal_build_marks_confidential_and_private_items_with_a_lock_in_words(builds):
    _, internal, _ = builds
    kpi = (internal / "kpis" / "customer-acquisition-cost" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1 dir="auto">Customer acquisition cost <span class="badge lock"><svg class="lock-icon" aria-hidden="true"[^>]*>.*?</svg> confidential</span></h1>', kpi)
    private = (internal / "objectives" / "acquire-kingfisher-analytics" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<svg class="lock-icon" aria-hidden="true"[^>]*>.*?</svg> private</span></h1>', private)
    home = (internal / "index.html").read_text(encoding="utf-8")
    assert "lock-icon" in home and "16,412.8" not in home  # the tile shows the current value only


def test_robots_follow_the_audience(builds):
    _, internal, public = builds
    assert (internal / "robots.txt").is_file() and 'name="robots"' in (internal / "index.html").read_text(encoding="utf-8")
    assert not (public / "robots.txt").exists() and 'name="robots"' not in (public / "index.html").read_text(encoding="utf-8")


def test_a_secrecy_key_okrsite_does_not_read_stops_the_public_build(base_site, tmp_path):
    """`private: true` on a plain page or a team is read nowhere: rather than publish what it was meant
    to hide, the public build stops with an error (goals/parse.py UNREAD_SECRECY)."""
    (base_site / "content/notes").mkdir()
    (base_site / "content/notes/reorg.md").write_text("---\ntitle: Reorg SECRETPAGE\nprivate: true\n---\nClose the office.\n", encoding="utf-8")
    (base_site / "content/teams/stealth.md").write_text("---\ntitle: Stealth SECRETTEAM\nprivate: true\n---\n", encoding="utf-8")
    out = tmp_path / "public"
    result = build(base_site, out, audience="public", cache=False)
    assert not result.ok
    assert sorted(d.file for d in result.report.errors) == ["content/notes/reorg.md", "content/teams/stealth.md"]
    assert not out.exists() or not hits(out, re.compile("SECRETPAGE|SECRETTEAM"))


def test_a_public_kpi_reading_a_confidential_kpi_s_data_file_stops_the_public_build(base_site, tmp_path):
    """QA (forty-sixth round): a KPI not confidential whose `data:` is a confidential KPI's file (here
    written another way) showed its values on its page, the home page, its team's and in okrs.json.
    The public build stops with an error and leaves the previous site as it was; the internal one builds."""
    (base_site / "data").mkdir()
    (base_site / "data/cac.csv").write_text("date,value\n2026-10-31,14871.4\n2026-11-30,13999.9\n", encoding="utf-8")
    kpi = "---\ntitle: {}\nowner: company\ndirection: down\ntarget: 12850\nsource: Finance\n{}data: {}\n---\n"
    (base_site / "content/kpis/cac.md").write_text(kpi.format("Customer acquisition cost", "confidential: true\n", "data/cac.csv"), encoding="utf-8")
    out = tmp_path / "public"
    assert build(base_site, out, audience="public", cache=False).ok
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (base_site / "content/kpis/cac-trend.md").write_text(kpi.format("Acquisition cost trend", "", "./data/../data/cac.csv"), encoding="utf-8")
    result = build(base_site, out, audience="public", cache=False)
    assert not result.ok
    assert [(d.file, d.line) for d in result.report.errors] == [("content/kpis/cac-trend.md", 7)]
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not hits(out, number_pattern(printed_forms(14871.4) | printed_forms(13999.9)))
    internal = build(base_site, tmp_path / "internal", audience="internal", cache=False)
    assert internal.ok and [d.file for d in internal.report.warnings] == ["content/kpis/cac-trend.md"]
