"""A written `id:` takes the alphabet of default ids: letters of any script, digits, '-' (and, as
always, '_' and Latin capitals); what is unsafe in an address is an error with its line and a hint."""

from __future__ import annotations

import json
import unicodedata

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


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


KR = "key_results:\n  - title: K\n    target: 10\n"


def test_an_id_or_name_written_composed_in_one_file_and_decomposed_in_another_is_one(base_site, tmp_path):
    """'é' is one character (NFC, most keyboards) or 'e' and a combining accent (NFD: macOS file names,
    some copy-paste); both look the same. `parent: josé-q4` written NFD was 'unknown parent' of the
    objective written `id: josé-q4` NFC, and José Núñez written both ways were two spellings of one person."""
    (base_site / "okrsite.toml").write_text(nfc('title = "Mini"\nas_of = 2026-11-23\n\n[periods."Été-27"]\nstart = 2026-10-01\nend = 2026-12-31\n'), encoding="utf-8")
    write_files(base_site, {
        "content/teams/equipe.md": nfc("---\nid: équipe\ntitle: Équipe\nparent: company\nlead: José Núñez\n") + nfd("members: [José Núñez]\n---\n"),
        "content/kpis/debit.md": nfc("---\nid: débit\ntitle: Débit\nowner: José Núñez\nsource: s\n---\n"),
        "content/objectives/a.md": nfc("---\nid: josé-q4\ntitle: A\nperiod: 2026-Q4\nowner: company\nparent: grow-customer-base\n" + KR + "---\n"),
        nfd("content/objectives/Йогурт.md"): nfc("---\ntitle: Yogurt\nperiod: 2026-Q4\nowner: company\nparent: grow-customer-base\n" + KR + "---\n"),
        "content/objectives/b.md": nfd("---\ntitle: B\nperiod: Été-27\nowner: équipe\nparent: josé-q4\nkpis: [débit]\nkey_results:\n"
                                       "  - title: K\n    target: 10\n    kpi: débit\n    owner: José Núñez\n---\nSee [[josé-q4]] and [[йогурт]].\n"),
    })
    checked = check_site(base_site)
    assert [d.message for d in checked.report.errors] == []
    site = checked.loaded.site
    b = next(o for o in site.objectives.values() if o.title == "B")
    assert (b.parent, b.owner, b.kpis, b.key_results[0].kpi, b.period.id) == ("josé-q4", "équipe", ("débit",), "débit", "Été-27")
    assert [p for p in site.people] == ["Ada Lovelace", "José Núñez"] and all(p == nfc(p) for p in site.people)
    assert site.people["José Núñez"].teams == ("équipe",) and "йогурт" in site.objectives
    out = tmp_path / "out"
    assert build(base_site, out).ok
    page = (out / "objectives" / b.id / "index.html").read_text(encoding="utf-8")
    assert 'href="../../objectives/josé-q4/index.html"' in page and 'href="../../objectives/йогурт/index.html"' in page


def test_one_id_written_in_two_unicode_forms_is_a_duplicate_id(base_site):
    """Two files whose ids only looked the same were two objectives; now they are one id, named twice."""
    objective = "---\nid: {ident}\ntitle: {title}\nperiod: 2026-Q4\nowner: company\nparent: grow-customer-base\n" + KR + "---\n"
    write_files(base_site, {"content/objectives/a.md": objective.format(ident=nfc("josé-q4"), title="A"),
                            "content/objectives/b.md": objective.format(ident=nfd("josé-q4"), title="B")})
    assert [(d.file, d.message) for d in check_site(base_site).report.errors] == [("content/objectives/b.md", "duplicate id 'josé-q4': content/objectives/a.md has it too")]


def test_one_file_name_in_two_unicode_forms_is_said_to_be_one_name_stored_twice(base_site):
    """QA BK: Crème.md (composed) beside Crème.md (decomposed, as a Mac writes it) read as a file
    clashing with itself: "duplicate id 'creme': content/objectives/Crème.md has it too"."""
    objective = "---\ntitle: {title}\nperiod: 2026-Q4\nowner: company\nparent: grow-customer-base\n" + KR + "---\n"
    write_files(base_site, {f"content/objectives/{nfc('Crème')}.md": objective.format(title="A"),
                            f"content/objectives/{nfd('Crème')}.md": objective.format(title="B")})
    [error] = check_site(base_site).report.errors
    assert error.message.endswith("has it too, a file of the same name with its letters stored in another Unicode form")
    assert error.hint.startswith("the two are copies of one file saved on two systems")


GOAL = "---\ntitle: Launch\n{ident}period: 2026-Q4\nowner: company\nkey_results:\n  - title: Rockets\n    target: 10\n---\n"


def test_a_file_named_without_a_letter_or_digit_is_an_error_asking_for_an_id(base_site):
    """🚀.md, 🎉.md and ✅ ✅.md all had the hidden id 'item' and then clashed as duplicates."""
    names = ["🚀", "🎉", "✅ ✅", "--", "«»"]
    write_files(base_site, {f"content/objectives/{name}.md": GOAL.format(ident="") for name in names})
    found = sorted((d.file, d.line, d.message, d.hint) for d in check_site(base_site).report.errors)
    assert found == sorted((f"content/objectives/{name}.md", 1, f"the file name '{name}' has no letter or digit to make an id from",
                            "add an 'id:' to its front matter (e.g. id: launch), or rename the file with letters or digits") for name in names)


def test_a_file_named_without_a_letter_or_digit_takes_its_written_id(base_site, tmp_path):
    write_files(base_site, {"content/objectives/🚀.md": GOAL.format(ident="id: launch\n"), "content/objectives/🎉.md": GOAL.format(ident="id: party\n")})
    out = tmp_path / "out"
    result = build(base_site, out)
    assert result.ok, result.report.items
    assert (out / "objectives/launch/index.html").is_file() and (out / "objectives/party/index.html").is_file()
    assert not (out / "objectives/item").exists()


@pytest.mark.parametrize("rel,name", [("content/objectives/aux.md", "aux"), ("content/objectives/Con.md", "Con"), ("content/kpis/nul.md", "nul"),
                                      ("content/objectives/com1.md", "com1"), ("content/objectives/LPT9.md", "LPT9"), ("content/prn.md", "prn"),
                                      ("content/con/plan.md", "con"), ("content/objectives/aux.notes.md", "aux.notes")])
def test_a_file_or_folder_named_as_windows_reserves_is_a_warning_at_the_file(base_site, rel, name):
    """A repository with content/objectives/aux.md cannot be checked out on Windows, nor its site written there."""
    write_files(base_site, {rel: GOAL.format(ident="") if "/objectives/" in rel else "---\ntitle: T\nowner: company\nsource: x\n---\n" if "/kpis/" in rel
                            else "---\ntitle: Plan\n---\n"})
    found = [(d.file, d.line, d.message, d.hint) for d in check_site(base_site).report.warnings if "Windows" in d.message]
    device = name.split(".")[0].upper()
    assert found == [(rel, 1, f"the name '{name}' is one Windows reserves for a device ({device}): the repository cannot be checked out there, nor the site built",
                      "rename the file or folder (e.g. add a word to the name); for the page's address alone, an 'id:' is enough")]


@pytest.mark.parametrize("ident", ["con", "Aux", "com3", "lpt1"])
def test_a_written_id_that_windows_reserves_is_a_warning_on_its_line(base_site, ident):
    write_files(base_site, {"content/objectives/launch.md": GOAL.format(ident=f"id: {ident}\n")})
    found = [(d.file, d.line, d.message, d.hint) for d in check_site(base_site).report.warnings if "Windows" in d.message]
    assert found == [("content/objectives/launch.md", 3, f"the id '{ident}' is a name Windows reserves for a device ({ident.upper()}): its page cannot be written there",
                      "choose another id (e.g. add a word to it)")]


@pytest.mark.parametrize("name", ["console", "auxiliary", "com10", "lpt0", "nullable", "con-goal"])
def test_a_name_that_only_begins_as_a_reserved_one_is_no_warning(base_site, name):
    write_files(base_site, {f"content/objectives/{name}.md": GOAL.format(ident="")})
    assert [d for d in check_site(base_site).report.warnings if "Windows" in d.message] == []


def test_a_person_named_as_windows_reserves_a_device_has_a_page_address_windows_can_write(base_site, tmp_path):
    """`lead: Con` (a common short name) was written to people/con/, which Windows cannot create."""
    write_files(base_site, {"content/teams/sales.md": "---\ntitle: Sales\nparent: company\nlead: Con\nmembers: [Aux Smith]\n---\n"})
    out = tmp_path / "out"
    assert build(base_site, out).ok
    assert (out / "people/con-/index.html").is_file() and (out / "people/aux-smith/index.html").is_file()
    assert not (out / "people/con").exists()
    assert 'href="../../people/con-/index.html"' in (out / "teams/sales/index.html").read_text(encoding="utf-8")
