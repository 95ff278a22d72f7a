"""A written `id:` takes the alphabet of default ids: letters of any script, digits, '-' (and, as
always, '_' and Latin capitals); what is unsafe in an address is an error with its line and a hint."""

from __future__ import annotations

import json

import jsonschema
import pytest

from okrsite.build import build, check_site
from okrsite.goals.schema import json_schema

from ..conftest import write_files

GROWTH = "---\ntitle: Рост выручки\nid: {ident}\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Продажи\n    id: продажи-q4\n    target: 10\n---\n"
CHILD = "---\ntitle: Новые клиенты\nperiod: 2026-Q4\nowner: sales\nparent: {ident}\nkey_results:\n  - title: Договоры\n    target: 5\n---\nСм. [[{ident}]].\n"


@pytest.mark.parametrize("ident", ["цели-роста", "売上拡大", "विकास-लक्ष्य", "Рост_Q4"])
def test_a_written_id_in_another_script_links_and_has_its_page(base_site, tmp_path, ident):
    write_files(base_site, {"content/objectives/growth.md": GROWTH.format(ident=ident), "content/objectives/clients.md": CHILD.format(ident=ident)})
    out = tmp_path / "out"
    result = build(base_site, out)
    assert result.ok, result.report.items
    page = out / "objectives" / ident / "index.html"
    assert "Рост выручки" in page.read_text(encoding="utf-8") and 'id="продажи-q4"' in page.read_text(encoding="utf-8")
    child = next(o for o in json.loads((out / "okrs.json").read_text(encoding="utf-8"))["objectives"] if o["title"] == "Новые клиенты")
    assert child["parent"] == ident
    assert f'href="../../objectives/{ident}/index.html"' in (out / "objectives" / child["id"] / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("ident", ['"цели роста"', '"цели/роста"', '"../цели"', '"цели«роста»"', '"цели.роста"', '"-цели"', '"ц\u00a0р"', "'" + "ц" * 101 + "'"])
def test_an_unsafe_written_id_is_an_error_on_its_line_with_a_hint(base_site, ident):
    write_files(base_site, {"content/objectives/growth.md": GROWTH.format(ident=ident)})
    found = [(d.file, d.line, d.message, d.hint) for d in check_site(base_site).report.errors]
    assert len(found) == 1, found
    file, line, message, hint = found[0]
    assert (file, line) == ("content/objectives/growth.md", 3) and message.startswith("'id' must be a short name")
    assert "letters of any script, digits, '-' and '_'" in hint


def test_the_editors_schema_takes_such_an_id_and_refuses_what_the_validator_refuses():
    objective = {"title": "T", "owner": "x", "key_results": [{"title": "A", "target": 3}]}
    schema = jsonschema.Draft202012Validator({"$ref": "#/$defs/objective", **{k: v for k, v in json_schema().items() if k in ("$schema", "$defs")}})
    for ident in ("цели-роста", "売上拡大", "विकास-लक्ष्य", "grow-2026", "Рост_Q4"):
        schema.validate({**objective, "id": ident})
    for ident in ("цели роста", "цели/роста", "../цели", "цели.роста", "-цели", "a?b"):
        assert not schema.is_valid({**objective, "id": ident}), ident
