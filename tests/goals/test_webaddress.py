"""goals/webaddress.py: the one test of a web address, as strict as the Nu HTML checker reads an href."""

import pytest

from okrsite.goals.webaddress import character_problem, folder_problem, href_problem, not_a_web_address, path_problem, web_address_problem

VALID = [
    "https://bi.example.com/dashboards/42", "http://x", "https://x.example.com/?a=b&c=d#top", "https://x.example.com/a%2Fb",
    "https://x.example.com/a!$&()*+,;='@~:b", "https://x_y.example.com/", "https://[::1]:8443/", "https://1.2.3.4/",
    "https://x.example.com:/", "https://example.com./", "https://bücher.example/straße", "HTTPS://X.EXAMPLE.COM/", "https://a%41b.example/",
]

# Each of these the Nu HTML checker reports as "Bad value ... for attribute href".
INVALID = [
    ('https://x.example.com/"><script>alert(1)</script>', "contains '\"'"), ("https://x.example.com/a<b", "contains '<'"),
    ("https://x.example.com/a>b", "contains '>'"), ("https://x.example.com\\path", "contains '\\'"), ("https://x.example.com/a`b", "contains '`'"),
    ("https://x.example.com/{b}", "contains '{'"), ("https://x.example.com/a|b", "contains '|'"), ("https://x.example.com/a^b", "contains '^'"),
    ("https://x.example.com/a b", "contains a space"), ("https://x.example.com/a\tb", "contains a tab"),
    ("https://x.example.com/a\x01b", "contains the control character U+0001"), ("https://x.example.com/a\x85b", "U+0085"), ("https://x.example.com/a\u00a0b", "contains a space"),
    ("https://x.example.com/100%", "has a '%' without"), ("https://x.example.com/%zz", "has a '%' without"),
    ("https://x.example.com/a#b#c", "more than one '#'"), ("https://x.example.com/?q=[1]", "contains '['"), ("https://x.example.com/a]", "contains ']'"),
    ("https://x.example.com:abc/", "host or port"), ("https://x.example.com:99999/", "host or port"),
    ("https://user:pw@x.example.com/", "user name or password"), ("https:///path", "names no host"), ("https://", "names no host"),
    ("https://x..com/", "empty part"), ("https://a%20b.example/", "cannot hold"), ("https://a%2Fb.example/", "cannot hold"), ("https://300.1.1.1/", "neither a name nor an IP address"),
    ("bi.example.com/42", "does not start with https://"), ("javascript:alert(1)", "does not start with https://"),
    ("ftp://x.example.com/", "does not start with https://"), (42, "is not text"),
]


@pytest.mark.parametrize("url", VALID)
def test_a_web_address_a_page_can_link_to(url):
    assert web_address_problem(url) is None


@pytest.mark.parametrize("url, why", INVALID)
def test_what_is_wrong_with_an_address_and_a_hint(url, why):
    problem = web_address_problem(url)
    assert problem is not None and why in problem[0] and problem[1], problem


def test_the_message_names_what_and_shows_the_value():
    message, hint = not_a_web_address("'dashboard'", "https://x/a b")
    assert message == "'dashboard' is not a web address: 'https://x/a b' contains a space" and hint == "write it as %20"
    assert not_a_web_address("'dashboard'", "https://x/") is None


def test_a_path_is_checked_for_its_characters_only():
    assert character_problem("src/branch/main/") is None
    assert "contains '\"'" in character_problem('edit/"main/')[0]
    assert path_problem("commits/branch/main/#L1") is None
    assert "contains '['" in path_problem("log/[main]/")[0] and "more than one '#'" in path_problem("a#b#c")[0]


# Each invalid one the Nu HTML checker reports as "Bad value ... for attribute href" (checked by hand
# with vnu.jar); the Markdown parser has already written a space as %20 and a '[' in a path as %5B.
HREFS = [
    ("https://x.example.com/a#b#c", "more than one '#'"), ("//a%20b/x", "cannot hold"), ("page#x#y", "more than one '#'"),
    ("img/a%zz.png", "has a '%' without"), ("mailto:x@example.com#a#b", "more than one '#'"), ("#a#b", "more than one '#'"),
    ("https://x.example.com:99999/", "host or port"), ("http://", "names no host"),
    ("https://x.example.com/a%20b", None), ("//cdn.example.com/x.png", None), ("../kpis/mrr.md#why", None),
    ("mailto:okrs@example.com", None), ("#top", None), ("img/a%5B1%5D.png", None),
]


@pytest.mark.parametrize("href, why", HREFS)
def test_a_body_links_address_as_the_parser_writes_it(href, why):
    problem = href_problem(href)
    if why is None:
        assert problem is None
    else:
        assert problem is not None and why in problem[0] and problem[1], problem


@pytest.mark.parametrize("address, said, dropped, folder", [
    ("https://example.com/goals/2026/index.html", "the page 'index.html'", "'index.html'", "https://example.com/goals/2026/"),
    ("https://example.com/goals/#home", "the fragment '#home'", "'#home'", "https://example.com/goals/"),
    ("https://example.com/goals/?v=1", "the query '?v=1'", "'?v=1'", "https://example.com/goals/"),
    ("https://example.com/a/Index.HTM?x#y", "the page 'Index.HTM', the query '?x' and the fragment '#y'", "'Index.HTM', '?x' and '#y'", "https://example.com/a/"),
    ("https://example.com#a?b", "the fragment '#a?b'", "'#a?b'", "https://example.com/"),
])
def test_an_address_a_page_s_path_cannot_follow_is_no_folder_and_the_hint_gives_the_folder(address, said, dropped, folder):
    """QA: site_url = "https://example.com/goals/2026/index.html" gave 404.html the href
    …/index.html/style.css, and one with a query or a fragment put every path after it (…/?v=1/changes/)."""
    assert folder_problem(address) == (f"ends in {said}, after which no page's address can follow",
                                       f"drop {dropped}: write the address of the folder the site is published in, {folder}")


@pytest.mark.parametrize("address", ["https://example.com", "https://example.com/goals", "https://example.com/goals/", "https://example.com/v1.2/",
                                     "https://example.com/html/", "https://[::1]:8443/okrs/"])
def test_a_folder_s_address_with_or_without_its_final_slash_is_one(address):
    assert folder_problem(address) is None
