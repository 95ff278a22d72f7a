"""okrs.json (web/export.py): what it says of a forecast read before its period's last day."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from okrsite.build import build

from ..conftest import write_files

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


def okrs(tmp_path: Path, audience: str = "internal", secret: str = "", as_of: date = date(2026, 11, 15)) -> dict:
    root = write_files(tmp_path / "goals", {name: text.replace("{secret}", secret) for name, text in FILES.items()})
    out = tmp_path / audience
    assert build(root, out, as_of=as_of, audience=audience, cache=False).ok
    data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    return {o["id"]: o for o in data["objectives"]}


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
