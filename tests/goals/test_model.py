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
