"""goals/model.py: slugify, the one function every address and default id is made with; folded and
title_order, how search matches and people's lists sort."""

from __future__ import annotations

import unicodedata

import pytest

from okrsite.goals.model import carried_starts, folded, slugify, title_order


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


@pytest.mark.parametrize("text,fold", [
    ("İlkay Işık", "ilkay isik"), ("ILIK", "ilik"), ("ılık", "ilik"), ("Größer", "grosser"), ("STRAUẞ", "strauss"),
    ("Æble Øl", "aeble ol"), ("Đorđe Łukasz", "dorde lukasz"), ("Cœur", "coeur"), ("Þór", "thor"), ("Ħal", "hal"),
    ("Café", "cafe"), ("Cafe\u0301", "cafe"), ("ﬁnance", "finance"), ("ΟΔΟΣ", "οδοσ"), ("Grow — revenue (EMEA)", "grow revenue emea"),
    ("👩‍💻", "👩💻"), ("🚀Launch ✅done", "🚀 launch ✅ done"), ("👍🏽 ❤️", "👍 ❤"), ("Цели роста", "цели роста"),
])
def test_folded_is_without_case_accents_or_letters_nfkd_keeps_whole(text, fold):
    """QA: "case and accents do not matter", but 'isik' did not find 'Işık' nor 'grosser' 'Größer': ı, ß
    and the other Latin letters NFKD does not decompose fold as page addresses write them."""
    assert folded(text) == folded(unicodedata.normalize("NFD", text)) == fold


def test_symbols_are_search_words_but_not_sort_letters():
    """QA DG: an emoji in a title is searched for (folded keeps it), while lists still sort by the letters alone."""
    assert folded("🚀 Zeta") == "🚀 zeta" and title_order("🚀 Zeta") == ("zeta", "🚀 Zeta")
    assert sorted(["🚀 Zeta", "Alpha ✅", "Mitte"], key=title_order) == ["Alpha ✅", "Mitte", "🚀 Zeta"]


def test_titles_sort_with_their_plain_letters_not_after_z():
    """QA: the A–Z list without JavaScript put 'Ärger', 'Öffnung' and 'Über' after 'Zukunft'."""
    titles = ["Zukunft sichern", "Über uns", "Öffnung Wien", "Ozean", "Ofen", "Şirket", "Émile plan", "Çalışma", "Ärger reduzieren",
              "apple", "Apple", "Isik", "Işık", "דוד כהן"]
    assert sorted(titles, key=title_order) == ["Apple", "apple", "Ärger reduzieren", "Çalışma", "Émile plan", "Isik", "Işık", "Ofen",
                                               "Öffnung Wien", "Ozean", "Şirket", "Über uns", "Zukunft sichern", "דוד כהן"]
    assert sorted(reversed(titles), key=title_order) == sorted(titles, key=title_order)  # ties broken by the text: one order


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


def test_the_follower_through_a_period_is_in_it_or_in_the_shortest_period_holding_it(tmp_path):
    """QA CU: carry-over and `new` name a parent's follower through a quarter alike, also one of the year."""
    from okrsite.goals.periods import parse_period
    from okrsite.goals.repository import load_site

    from ..conftest import write_files

    def objective(ident: str, period: str, follows: str = "") -> tuple[str, str]:
        follows = f"follows: {follows}\n" if follows else ""
        return (f"content/objectives/{ident}.md", f"---\ntitle: {ident}\nperiod: {period}\nowner: company\n{follows}"
                "key_results:\n  - title: Done\n    done: false\n---\n")

    root = write_files(tmp_path / "goals", dict([("content/teams/company.md", "---\ntitle: Company\n---\n"),
                                                 objective("grow", "2026"), objective("grow-2", "2027", "grow"),
                                                 objective("grow-h1", "2027-H1", "grow"), objective("grow-q2", "2027-Q2", "grow")]))
    loaded = load_site(root)
    assert not loaded.report.errors, loaded.report.items
    site = loaded.site
    assert site.follower_in("grow", parse_period("2027-Q1", {})).id == "grow-h1"
    assert site.follower_in("grow", parse_period("2027-Q2", {})).id == "grow-q2"
    assert site.follower_in("grow", parse_period("2027-Q4", {})).id == "grow-2"
    assert site.follower_in("grow", parse_period("2028-Q1", {})) is None


def test_a_cancelled_follower_is_none_to_align_to_and_followers_of_one_length_are_all_listed(tmp_path):
    """QA DA: grow-q1 of 2027-Q1 was cancelled (in no roll-up): the follower through 2027-Q1 is grow-2027.
    grow split into grow-eu and grow-us of 2027: both are listed, the nearest (the first in file order) first."""
    from okrsite.goals.periods import parse_period
    from okrsite.goals.repository import load_site

    from ..conftest import write_files

    def objective(ident: str, period: str, more: str = "") -> tuple[str, str]:
        return (f"content/objectives/{ident}.md", f"---\ntitle: {ident}\nperiod: \"{period}\"\nowner: company\nfollows: grow\n{more}"
                "key_results:\n  - title: Done\n    done: false\n---\n")

    root = write_files(tmp_path / "goals", dict([("content/teams/company.md", "---\ntitle: Company\n---\n"),
                                                 ("content/objectives/grow.md", "---\ntitle: grow\nperiod: \"2026\"\nowner: company\n"
                                                  "key_results:\n  - title: Done\n    done: false\n---\n"),
                                                 objective("grow-us", "2027"), objective("grow-eu", "2027"),
                                                 objective("grow-q1", "2027-Q1", "status: cancelled\n")]))
    loaded = load_site(root)
    assert not loaded.report.errors, loaded.report.items
    quarter = parse_period("2027-Q1", {})
    assert loaded.site.follower_in("grow", quarter).id == "grow-eu"
    assert [o.id for o in loaded.site.followers_in("grow", quarter)] == ["grow-eu", "grow-us"]


@pytest.mark.parametrize(("body", "where"), [
    ("Continues [[grow]] from 2026-Q4: its key results start where that one ended.\n", "ended"),  # as written before ESTIMATES_RESTART
    ("Continues [[grow]] from 2026-Q4: its key results start where that one ended; estimated ones start again at 0 %.\n", "ended"),
    ("Continues [[grow]] from 2026-Q4: its key results start where that one stood on 2026-12-20, before 2026-Q4 ended; "
     "estimated ones start again at 0 %.\n", "stood"),
    ("Continues [[grow]] from 2026-Q4.\n", None),
])
def test_a_follower_s_first_line_says_where_its_key_results_start_with_or_without_the_estimates(body, where):
    assert carried_starts(body, "grow") == where
