"""goals/model.py: slugify, the one function every address and default id is made with."""

from __future__ import annotations

import unicodedata

import pytest

from okrsite.goals.model import slugify


@pytest.mark.parametrize("name,slug", [
    ("Łukasz Nowak", "lukasz-nowak"), ("Søren", "soren"), ("SØREN", "soren"), ("Strauß", "strauss"), ("STRAUẞ", "strauss"),
    ("Æsir", "aesir"), ("Cœur", "coeur"), ("Đorđe", "dorde"), ("Guðrún", "gudrun"), ("Þór", "thor"), ("Işık", "isik"),
    ("paŀlacio", "pallacio"), ("Ħal Far", "hal-far"), ("Bjørn-Ændre", "bjorn-aendre"), ("ǽ", "ae"),
    ("José", "jose"), ("Jane Doe", "jane-doe"), ("2026-Q4", "2026-q4"), ("Цели роста", "цели-роста"), ("売上拡大", "売上拡大"),
])
def test_latin_letters_without_a_decomposition_are_written_as_people_write_them_without(name, slug):
    """'Łukasz Nowak' gave people/ukasz-nowak/ and 'Strauß' strau: Unicode does not decompose ł, ß, ø,
    æ, œ, đ, ð, þ or ı into ASCII letters, so they were dropped; they are written as other site
    generators write them. In either normalization form of the name."""
    assert slugify(name) == slugify(unicodedata.normalize("NFD", name)) == slug


def test_latin_letters_without_any_plain_form_are_still_dropped():
    assert slugify("Əli Veli") == "li-veli" and slugify("ƒ") == "item"


def test_followers_are_the_chain_of_follows_nearest_first(tmp_path):
    from okrsite.goals.repository import load_site

    from ..conftest import write_files

    def objective(ident: str, period: str, follows: str = "") -> tuple[str, str]:
        follows = f"follows: {follows}\n" if follows else ""
        return (f"content/objectives/{ident}.md", f"---\ntitle: {ident}\nperiod: {period}\nowner: company\n{follows}"
                "key_results:\n  - title: Done\n    done: false\n---\n")

    root = write_files(tmp_path / "goals", dict([("content/teams/company.md", "---\ntitle: Company\n---\n"),
                                                 objective("act", "2026-Q2"), objective("act-2", "2026-Q3", "act"),
                                                 objective("act-3", "2026-Q4", "act-2"), objective("side", "2026-Q3", "act")]))
    site = load_site(root).site
    assert [o.id for o in site.followers("act")] == ["act-2", "side", "act-3"]
    assert [o.id for o in site.followers("act-3")] == []
