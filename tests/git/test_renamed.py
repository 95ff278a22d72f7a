"""An objective's or KPI's id renamed (its `id:`, or its file without one): okrs.json's `former_ids` and a
page at each old address leading to the new one, from the git history (git/former.py: renamed; QA FM)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from okrsite.build import build
from okrsite.preview.state import Project

from ..gitrepo import SETTINGS, TEAM, GitRepo, needs_git, objective

pytestmark = needs_git

AS_OF = date(2026, 11, 23)
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "okrs.schema.json").read_text())
SHIP = "content/objectives/ship-api.md"
MRR = "content/kpis/mrr.md"


def with_id(text: str, ident: str) -> str:
    return text.replace("---\n", f"---\nid: {ident}\n", 1)


@pytest.fixture
def goals(tmp_path: Path) -> GitRepo:
    """`ship-api` (with an `id:` line) and a KPI named by its file, committed in September."""
    repo = GitRepo(tmp_path / "goals")
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM,
                 SHIP: with_id(objective("Ship the public API"), "ship-api"),
                 "content/objectives/grow.md": objective("Grow accounts"),
                 MRR: "---\ntitle: Monthly recurring revenue\nowner: sales\nunit: USD\n---\n"}, "2026-09-01T09:00:00+00:00")
    return repo


def rename(repo: GitRepo) -> str:
    """`ship-api` becomes `public-api` (its id: line), the KPI `mrr` `recurring-revenue` (its file)."""
    return repo.commit({SHIP: with_id(objective("Ship the public API"), "public-api")}, "2026-10-02T09:00:00+00:00",
                       moves={MRR: "content/kpis/recurring-revenue.md"})


def built(repo: GitRepo, out: Path, audience: str | None = None) -> dict:
    result = build(repo.root, out, as_of=AS_OF, audience=audience)
    assert result.ok, result.report.sorted()
    data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    return data


def led_to(page: Path) -> str:
    """Where a redirect page sends the browser, checked to say it alike everywhere."""
    text = page.read_text(encoding="utf-8")
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', text)
    assert refresh is not None, text
    target = refresh[1]
    assert f'<link rel="canonical" href="{target}">' in text and f'<a href="{target}">' in text
    assert 'name="robots" content="noindex' in text
    return target


def test_the_old_address_leads_to_the_renamed_objective_s_page(goals, tmp_path):
    """The page of `ship-api` (a link pasted a month ago) was gone: a 404."""
    rename(goals)
    out = tmp_path / "out"
    built(goals, out)
    assert (out / "objectives/public-api/index.html").is_file()
    assert led_to(out / "objectives/ship-api/index.html") == "../../objectives/public-api/index.html"
    assert (out / "objectives" / "ship-api" / "../../objectives/public-api/index.html").resolve() == (out / "objectives/public-api/index.html").resolve()
    assert led_to(out / "kpis/mrr/index.html") == "../../kpis/recurring-revenue/index.html"


def test_okrs_json_gives_the_ids_an_objective_its_key_results_and_a_kpi_had(goals, tmp_path):
    rename(goals)
    goals.commit({SHIP: with_id(objective("Ship the public API"), "public-api-v2")}, "2026-10-20T09:00:00+00:00")
    data = built(goals, tmp_path / "out")
    api = next(o for o in data["objectives"] if o["id"] == "public-api-v2")
    assert api["former_ids"] == ["ship-api", "public-api"]
    assert [kr.get("former_ids") for kr in api["key_results"]] == [[f"ship-api-kr{n}", f"public-api-kr{n}"] for n in (1, 2, 3)]
    assert next(k for k in data["kpis"] if k["id"] == "recurring-revenue")["former_ids"] == ["mrr"]
    grow = next(o for o in data["objectives"] if o["id"] == "grow")
    assert "former_ids" not in grow and all("former_ids" not in kr for kr in grow["key_results"])
    for old in ("ship-api", "public-api"):
        assert led_to(tmp_path / "out" / "objectives" / old / "index.html") == "../../objectives/public-api-v2/index.html"


def test_a_former_id_another_objective_has_now_gets_no_redirect(goals, tmp_path):
    """A new `ship-api` (another objective) owns the address: its page, never a redirect over it."""
    rename(goals)
    goals.commit({"content/objectives/new-ship.md": with_id(objective("Ship the SDK"), "ship-api")}, "2026-10-10T09:00:00+00:00")
    out = tmp_path / "out"
    data = built(goals, out)
    assert "Ship the SDK" in (out / "objectives/ship-api/index.html").read_text(encoding="utf-8")
    assert "http-equiv=\"refresh\"" not in (out / "objectives/ship-api/index.html").read_text(encoding="utf-8")
    assert next(o for o in data["objectives"] if o["id"] == "public-api")["former_ids"] == ["ship-api"]


def test_a_public_site_has_no_trace_of_a_private_objective_s_former_id(goals, tmp_path):
    goals.commit({SHIP: with_id(objective("Ship the public API"), "public-api").replace("owner: sales", "owner: sales\nprivate: true")},
                 "2026-10-02T09:00:00+00:00")
    out = tmp_path / "public"
    built(goals, out, audience="public")
    assert not (out / "objectives/ship-api").exists() and not (out / "objectives/public-api").exists()
    assert not any(b"ship-api" in path.read_bytes() for path in out.rglob("*") if path.is_file())
    built(goals, tmp_path / "internal")
    assert led_to(tmp_path / "internal/objectives/ship-api/index.html") == "../../objectives/public-api/index.html"


def test_an_id_an_objective_had_while_private_stays_off_the_public_site(goals, tmp_path):
    goals.commit({SHIP: with_id(objective("Ship the public API"), "secret-api").replace("owner: sales", "owner: sales\nprivate: true")},
                 "2026-09-10T09:00:00+00:00")
    rename(goals)
    data = built(goals, tmp_path / "public", audience="public")
    assert next(o for o in data["objectives"] if o["id"] == "public-api")["former_ids"] == ["ship-api"]
    assert not (tmp_path / "public/objectives/secret-api").exists()
    assert not any(b"secret-api" in path.read_bytes() for path in (tmp_path / "public").rglob("*") if path.is_file())


def test_a_warm_build_keeps_the_redirect_and_a_rename_back_removes_it(goals, tmp_path):
    rename(goals)
    out = tmp_path / "out"
    built(goals, out)
    first = (out / "objectives/ship-api/index.html").read_bytes()
    goals.commit({"content/objectives/grow.md": objective("Grow accounts", current=7)}, "2026-10-05T09:00:00+00:00")
    built(goals, out)
    assert (out / "objectives/ship-api/index.html").read_bytes() == first
    goals.commit({SHIP: with_id(objective("Ship the public API"), "ship-api")}, "2026-10-06T09:00:00+00:00")
    data = built(goals, out)
    assert "refresh" not in (out / "objectives/ship-api/index.html").read_text(encoding="utf-8")
    assert next(o for o in data["objectives"] if o["id"] == "ship-api")["former_ids"] == ["public-api"]
    assert led_to(out / "objectives/public-api/index.html") == "../../objectives/ship-api/index.html"


def test_the_preview_serves_the_old_address_as_the_build_writes_it(goals, tmp_path):
    rename(goals)
    built(goals, tmp_path / "out")
    project = Project(goals.root, AS_OF)
    assert project.rebuild().ok
    assert project.file("objectives/ship-api/index.html") == (tmp_path / "out/objectives/ship-api/index.html").read_bytes()
    assert json.loads(project.file("okrs.json"))["kpis"][0]["former_ids"] == ["mrr"]


def test_without_git_nothing_changes(goals, tmp_path):
    rename(goals)
    (goals.root / "okrsite.toml").write_text(SETTINGS + "git_history = false\n", encoding="utf-8")
    out = tmp_path / "out"
    data = built(goals, out)
    assert not (out / "objectives/ship-api").exists() and not (out / "kpis/mrr").exists()
    assert "former_ids" not in json.dumps(data)
