"""okrs.json (web/export.py): what it says of a forecast read before its period's last day."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from okrsite.build import build

from ..conftest import write_files
from ..gitrepo import needs_git, realigned_repo

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "okrs.schema.json").read_text(encoding="utf-8"))
SIGNUPS = ("---\ntitle: Signups\nowner: company\ntarget: 100\nfrequency: monthly\nsource: CRM\nretired: 2026-11-30\nvalues:\n"
           "  - {date: 2026-09-30, value: 20}\n  - {date: 2026-10-15, value: 30}\n  - {date: 2026-10-31, value: 40}\n  - {date: 2026-11-14, value: 50}\n---\n")
FOLLOWS = "  - title: Signups to 100\n    start: 20\n    target: 100\n    kpi: signups\n{secret}"
OWN = "  - title: Demos to 40\n    start: 0\n    target: 40\n    history:\n      - {date: 2026-10-20, value: 10}\n      - {date: 2026-11-10, value: 20}\n"
FILES = {
    "okrsite.toml": 'title = "Forecasts"\n',
    "content/teams/company.md": "---\ntitle: Company\n---\n",
    "content/kpis/signups.md": SIGNUPS,
    "content/objectives/grow.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n" + FOLLOWS + "---\n",
    "content/objectives/mixed.md": "---\ntitle: Mixed\nperiod: 2026-Q4\nowner: company\nkey_results:\n" + FOLLOWS + OWN + "---\n",
}


def built(tmp_path: Path, audience: str = "internal", secret: str = "", more: dict | None = None,
          as_of: date = date(2026, 11, 15)) -> tuple[dict, Path]:
    """okrs.json of FILES and ``more`` built for ``audience`` as of ``as_of`` (valid under the schema), and the site's folder."""
    root = write_files(tmp_path / "goals", {**{name: text.replace("{secret}", secret) for name, text in FILES.items()}, **(more or {})})
    out = tmp_path / audience
    assert build(root, out, as_of=as_of, audience=audience, cache=False).ok
    data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    return data, out


def okrs(tmp_path: Path, audience: str = "internal", secret: str = "", as_of: date = date(2026, 11, 15)) -> dict:
    return {o["id"]: o for o in built(tmp_path, audience, secret, as_of=as_of)[0]["objectives"]}


def test_a_forecast_says_the_day_it_is_read_on_its_kpis_retired_day_before_the_periods_end(tmp_path):
    """The page said "→ 61 by Nov 30 (its KPI is retired that day)" and its chart ended the objective's
    forecast there, but okrs.json gave no day: a reader took the value for the period's last. Each
    forecast now says its `date`: the KPI's retired day where its line is read there, else the end."""
    objectives = okrs(tmp_path)
    grow, mixed = objectives["grow"], objectives["mixed"]
    assert grow["key_results"][0]["forecast"] == {"value": 60.657, "progress": 0.508, "points": 4, "date": "2026-11-30"}
    assert grow["forecast"]["date"] == "2026-11-30"
    assert [kr["forecast"]["date"] for kr in mixed["key_results"]] == ["2026-11-30", "2026-12-31"]
    assert mixed["forecast"]["date"] == "2026-12-31"  # one line runs to the end: so does the objective's


def test_a_withheld_key_results_forecast_keeps_its_date_as_its_progress(tmp_path):
    """On a public site a confidential key result's forecast loses its value only, as before."""
    grow = okrs(tmp_path, "public", "    confidential: true\n")["grow"]
    assert grow["key_results"][0]["forecast"] == {"progress": 0.508, "points": 4, "date": "2026-11-30"}
    assert grow["forecast"]["date"] == "2026-11-30"


@pytest.mark.parametrize("as_of", [date(2026, 11, 30), date(2026, 12, 10)])
def test_from_its_kpis_retired_day_a_forecast_stands_at_the_kpis_last_value_dated_that_day(tmp_path, as_of):
    """QA: from the retired day on, a key result following the KPI had `"forecast": null` (it has four
    dated points) and its objective's forecast, its progress now dated the period's last day, said
    "from current progress: no trend yet". It stands at the KPI's last value from that day: so does
    its forecast, dated that day, and its objective's."""
    objectives = okrs(tmp_path, as_of=as_of)
    grow, mixed = objectives["grow"], objectives["mixed"]
    assert grow["key_results"][0]["forecast"] == {"value": 50, "progress": 0.375, "points": 4, "date": "2026-11-30"}
    assert grow["forecast"] == {"progress": 0.375, "status": "off-track", "date": "2026-11-30"}
    assert [kr["forecast"]["date"] for kr in mixed["key_results"]] == ["2026-11-30", "2026-12-31"]


def kpis(tmp_path: Path, audience: str, written: str = "target: at most 300\nconfidential: true\n") -> tuple[dict, Path]:
    """okrs.json's KPIs, with a latency KPI whose last two values fell (``written``: its target and more)."""
    latency = (f"---\ntitle: Latency\nowner: company\n{written}source: APM\n"
               "values:\n  - {date: 2026-10-31, value: 420}\n  - {date: 2026-11-14, value: 380}\n---\n")
    data, out = built(tmp_path, audience, more={"content/kpis/latency.md": latency})
    return {k["id"]: k for k in data["kpis"]}, out


def test_a_kpis_trend_is_what_its_page_says(tmp_path):
    """QA: pages showed "↘ falling, improving", okrs.json had no trend. It says it now, as the page."""
    found, out = kpis(tmp_path, "internal")
    assert found["latency"]["trend"] == {"movement": "falling", "improving": True}
    assert "</span> falling, improving</span>" in (out / "kpis" / "latency" / "index.html").read_text(encoding="utf-8")
    assert found["signups"]["trend"] == {"movement": "rising", "improving": True}


def test_a_trend_says_no_improving_where_no_direction_is_written(tmp_path):
    found, out = kpis(tmp_path, "internal", "target: TBD\n")
    assert found["latency"]["trend"] == {"movement": "falling", "improving": None}
    assert "</span> falling</span>" in (out / "kpis" / "latency" / "index.html").read_text(encoding="utf-8")


def test_a_confidential_kpis_public_trend_is_kept_as_its_public_page_keeps_it(tmp_path):
    found, out = kpis(tmp_path, "public")
    assert found["latency"]["withheld"] and found["latency"]["trend"] == {"movement": "falling", "improving": True}
    assert "</span> falling, improving</span>" in (out / "kpis" / "latency" / "index.html").read_text(encoding="utf-8")


def test_the_schema_rejects_a_withheld_key_results_predecessor_final_on_a_public_site(tmp_path):
    """QA: a confidential key result's `predecessor_final` (its predecessor's final value) in a public
    file passed the schema, which says a public file holding a confidential number is invalid."""
    data, _ = built(tmp_path, "public", "    confidential: true\n")
    withheld = next(kr for o in data["objectives"] for kr in o["key_results"] if kr.get("withheld"))
    withheld["predecessor_final"] = {"period": "2026-Q3", "value": 37, "changed_on": None, "stood": False}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


@needs_git
def test_a_kpis_hand_set_health_has_the_day_it_was_set_and_stale_as_its_page(tmp_path):
    """QA FJ: okrs.json had no field for when a KPI's health was set by hand."""
    import shutil

    from ..gitrepo import hand_set_repo

    root = hand_set_repo(tmp_path / "g").root

    def activation(as_of: date) -> dict:
        out = tmp_path / str(as_of)
        assert build(root, out, as_of=as_of, cache=False).ok
        data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, SCHEMA)
        [kpi] = data["kpis"]
        return {key: kpi[key] for key in ("health", "health_source", "health_set", "current", "stale")}

    assert activation(date(2026, 10, 15)) == {"health": "healthy", "health_source": "manual", "health_set": "2026-10-01", "current": None, "stale": False}
    assert activation(date(2027, 4, 10)) == {"health": "healthy", "health_source": "manual", "health_set": "2026-10-01", "current": None, "stale": True}
    shutil.rmtree(root / ".git")
    assert activation(date(2027, 4, 11))["health_set"] is None
    computed, _ = built(tmp_path / "computed")
    assert computed["kpis"][0]["health_set"] is None


@needs_git
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_okrs_json_names_the_children_a_finished_roll_up_counts_or_leaves_out_as_realigned(tmp_path, audience):
    """QA FK: of the Q3 roll-up r, `left_out` names d (aligned to it on Nov 10: aligned_after_end) and
    `still_counted` names b (aligned to c then: moved_after_end), so that its grade adds up from the
    file; valid under the schema."""
    repo = realigned_repo(tmp_path / "goals")
    out = tmp_path / "out"
    assert build(repo.root, out, as_of=date(2026, 11, 10), audience=audience, cache=False).ok
    data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    r = {o["id"]: o for o in data["objectives"]}["r"]
    assert (r["grade"], r["children"]) == (0.5, ["a", "c", "d"])
    assert r["left_out"] == [{"id": "d", "reason": "aligned_after_end"}]
    assert r["still_counted"] == [{"id": "b", "reason": "moved_after_end"}]


@needs_git
def test_a_public_okrs_json_names_no_private_child_a_finished_roll_up_counts_as_it_stood(tmp_path):
    """b and d private: the public roll-up keeps its grade, counts a private objective, and names neither."""
    repo = realigned_repo(tmp_path / "goals", private=True)
    out = tmp_path / "out"
    assert build(repo.root, out, as_of=date(2026, 11, 10), audience="public", cache=False).ok
    data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    r = {o["id"]: o for o in data["objectives"]}["r"]
    assert (r["grade"], r["children"], r.get("counts_private")) == (0.5, ["a", "c"], True)
    assert "left_out" not in r and "still_counted" not in r
    assert '"b"' not in (out / "okrs.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_a_kpi_names_the_key_results_that_follow_it_as_its_page_does(tmp_path, audience):
    """`objectives` holds only the links written as `objectives:`/`kpis:`: a consumer joining a KPI to
    the key results measured by it (its page's "Key results measured by this KPI") had to scan every
    objective. A private objective's key result is named on the internal site only."""
    private = {"content/objectives/hidden.md": "---\ntitle: Hidden\nperiod: 2026-Q4\nowner: company\nprivate: true\nkey_results:\n"
               + FOLLOWS.replace("{secret}", "") + "---\n"}
    data, out = built(tmp_path, audience, more=private)
    [signups] = data["kpis"]
    expected = ["grow-kr1", "mixed-kr1"] + (["hidden-kr1"] if audience == "internal" else [])
    assert sorted(signups["key_results"]) == sorted(expected)
    by_id = {kr["id"] for o in data["objectives"] for kr in o["key_results"]}
    assert set(signups["key_results"]) <= by_id
    page = (out / "kpis" / "signups" / "index.html").read_text(encoding="utf-8")
    assert all(f"#{ident}" in page for ident in signups["key_results"])
