"""Safe by default when published: crawlers kept out of an internal site, a Content-Security-Policy on
every page, no bidi override or zero-width character in what a page shows.

Whether Chromium enforces the policy without a violation is tested in tests/browser/test_security.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from okrsite.build import build
from okrsite.web.security import _STYLE_ATTRIBUTE, ROBOTS_META, _style_attributes, live_reload_policy, move_style_attributes, secure_page

from ..conftest import REPO, write_files

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def built(site: Path, out: Path, settings: str = "") -> Path:
    if settings:
        path = site / "okrsite.toml"
        path.write_text(path.read_text() + settings)
    result = build(site, out)
    assert result.ok, result.report.items
    return out


def pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


def head(page: str) -> str:
    return page.split("</head>", 1)[0]


# --- crawlers ----------------------------------------------------------------------------------------


def test_an_internal_build_asks_crawlers_to_stay_out_of_every_page(base_site, tmp_path):
    out = built(base_site, tmp_path / "out")
    found = pages(out)
    assert len(found) >= 8
    for name, page in found.items():
        assert head(page).count(ROBOTS_META) == 1, name
    robots = (out / "robots.txt").read_text()
    rules = [line.split(":", 1) for line in robots.splitlines() if line and not line.startswith("#")]
    assert [(k.strip().lower(), v.strip()) for k, v in rules] == [("user-agent", "*"), ("disallow", "/")]


@pytest.mark.parametrize("setting, crawlers_out", [("noindex = false\n", False), ("noindex = true\n", True), ("", True)])
def test_the_noindex_setting_decides_both(base_site, tmp_path, setting, crawlers_out):
    out = built(base_site, tmp_path / "out", setting)
    assert (out / "robots.txt").exists() == crawlers_out
    assert {name: 'name="robots"' in page for name, page in pages(out).items()} == dict.fromkeys(pages(out), crawlers_out)


def test_a_public_build_leaves_no_robots_file_behind(base_site, tmp_path):
    out = built(base_site, tmp_path / "out")
    assert (out / "robots.txt").exists()
    built(base_site, out, "noindex = false\n")
    assert not (out / "robots.txt").exists()


def test_a_theme_can_word_its_own_robots_file(base_site, tmp_path):
    write_files(base_site, {"theme/templates/robots.txt": "User-agent: *\nDisallow: /\nAllow: /status/\n"})
    out = built(base_site, tmp_path / "out")
    assert "Allow: /status/" in (out / "robots.txt").read_text()


# --- Content-Security-Policy --------------------------------------------------------------------------


def policy_of(page: str) -> dict[str, list[str]]:
    found = CSP.findall(page)
    assert len(found) == 1, "exactly one policy"
    return {name: values for name, *values in (d.split() for d in found[0].split(";"))}


@pytest.fixture(scope="module")
def example_pages(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("example") / "site"
    assert build(REPO, out).ok
    return pages(out)


def test_every_page_allows_only_its_own_files_and_no_inline_code(example_pages):
    for name, page in example_pages.items():
        policy = policy_of(page)
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], name
        assert policy["connect-src"] == ["'none'"] and policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"], name
        assert "script-src" not in policy, name  # 'self' (default-src): the theme's search.js, nothing inline
        assert not any("unsafe" in v or "http" in v or v.endswith(":") for values in policy.values() for v in values), name
        assert " style=" not in page and "<script>" not in page and not re.search(r"\son[a-z]+=", page), name
        assert head(page).index("Content-Security-Policy") < head(page).index("<link"), name  # before every load


def test_the_bars_widths_move_into_a_style_the_policy_allows_by_hash(example_pages):
    page = example_pages["index.html"]
    (css,) = STYLE.findall(page)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert policy_of(page)["style-src"] == ["'self'", f"'sha256-{digest}'"]
    rules = dict(re.findall(r'\[data-css="(\d+)"\] \{ ([^}]*) \}', css))
    fills = re.findall(r'data-progress="([\d.]+)"[^>]*>\s*<span class="fill" data-css="(\d+)"', page)
    assert fills
    for progress, ident in fills:
        assert rules[ident] == f"width: {float(progress) * 100:.1f}% !important"


def test_a_page_without_style_attributes_has_no_style_element():
    page = secure_page('<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body></body></html>', noindex=False)
    assert "<style>" not in page and "style-src" not in page and "robots" not in page
    assert page.startswith('<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"')


@pytest.mark.parametrize("page, where", [
    ("<!doctype html><html><head><title>t</title></head><body></body></html>", "<!doctype html><html><head>"),
    ("<!doctype html><p>no head</p>", "<!doctype html>"),
    ("<p>a fragment</p>", ""),
])
def test_the_policy_comes_first_whatever_the_template(page, where):
    secured = secure_page(page, noindex=True)
    assert secured.index("Content-Security-Policy") == len(where) + len('<meta http-equiv="')
    assert ROBOTS_META in secured


@pytest.mark.parametrize("attribute, rule", [
    ('style="left: 4.5%"', "left: 4.5% !important"),
    ("style='width: 10%; color: red'", "width: 10% !important; color: red !important"),
    ('STYLE="font-family: &#34;Inter&#34;, sans-serif"', 'font-family: "Inter", sans-serif !important'),
    ('style="color: red !important"', "color: red !important"),
])
def test_style_attributes_become_rules(attribute, rule):
    page, css = move_style_attributes(f'<span class="x" {attribute} title="t">a</span>')
    assert page == '<span class="x" data-css="0" title="t">a</span>'
    assert css.strip() == f'[data-css="0"] {{ {rule} }}'


def test_equal_styles_share_one_rule_and_text_is_never_touched():
    page, css = move_style_attributes('<p>Write style="width: 1%" in a tag</p><b style="width: 1%"></b><i style="width: 1%"></i>'
                                      "<p>or style='x'</p>")
    assert page == '<p>Write style="width: 1%" in a tag</p><b data-css="0"></b><i data-css="0"></i><p>or style=\'x\'</p>'
    assert css.count("data-css") == 1


@pytest.mark.parametrize("value", ["width: 1%} body { display: none", "x: 1 /* eats the rest", "content: 'open", "a: b\\7d", "x: </style><script>"])
def test_a_style_that_could_break_out_of_its_rule_is_dropped(value):
    page, css = move_style_attributes(f'<b style="{value.replace(chr(34), "&#34;")}">x</b>')
    assert page == "<b>x</b>" and css == ""


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_style_value_stays_inside_its_rule(value):
    escaped = value.replace("&", "&amp;").replace('"', "&#34;").replace("<", "&lt;").replace(">", "&gt;")
    page = secure_page(f'<html><head></head><body><b style="{escaped}">x</b><i>y</i></body></html>', noindex=False)
    assert "style=" not in page.split("<body>")[1]
    for css in STYLE.findall(page):
        assert "<" not in css and css.count("{") == css.count("}") == 1


def slow_style_attributes(page: str) -> list[tuple]:
    return [(m.start(), m.end(), m[1] if m[1] is not None else m[2]) for m in _STYLE_ATTRIBUTE.finditer(page)]


@pytest.mark.parametrize("page", [
    '<b style="a"> <i\tstyle = \'b\'>', '<b Style="a"><i style="b">', '<b \u017ftyle="a"><i style="b">', "<b\u2003style='a'>",
    '<b xstyle="a style=\'b\'">', '<b data-x=" style="> style="c"', 'style="a" style="b"', ' style="a"style="b" style="c"',
    '<b style="x" STYLE="y">', "<b style='unclosed>", '<p>style</p><b \nstyle="a">',
])
def test_style_attributes_are_found_as_the_pattern_finds_them(page):
    assert list(_style_attributes(page)) == slow_style_attributes(page)


@given(st.lists(st.sampled_from([" ", "\n", "\u00a0", "style", "Style", "STYLE", "\u017ftyle", "=", '"', "'", "x", "<b", ">", "é", "\t"]), max_size=30))
def test_style_attributes_match_the_pattern_on_any_page(pieces):
    page = "".join(pieces)
    assert list(_style_attributes(page)) == slow_style_attributes(page)


class _Events(HTMLParser):
    """What a browser's parser meets, in order: ("doctype", ""), ("start", tag), ("end", tag)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.seen: list[tuple[str, str]] = []
        self.feed(page)

    def handle_decl(self, decl):
        self.seen.append(("doctype", ""))

    def handle_starttag(self, tag, attrs):
        self.seen.append(("start", tag))

    def handle_endtag(self, tag):
        self.seen.append(("end", tag))


BARS = '<div class="bar"><span class="fill" style="width: 40%"></span></div>'


@pytest.mark.parametrize("page, after, before", [
    ("<!doctype html><html><head><title>t</title>\n<!-- our links go here, before </head> -->\n</head><body>{}</body></html>",
     ("end", "title"), ("end", "head")),
    ("<!doctype html><html><head><title>t</title><!-- </HEAD> <body> --></head><body>{}</body></html>", ("end", "title"), ("end", "head")),
    ('<!DOCTYPE html><HTML lang="en"><HEAD><meta charset="utf-8"><TITLE>t</TITLE></HEAD><BODY>{}</BODY></HTML>',
     ("end", "title"), ("end", "head")),
    ("<!DOCTYPE html><HTML><HEAD><TITLE>t</TITLE></head ><BODY>{}</BODY></HTML>", ("end", "title"), ("end", "head")),
    ("<!doctype html><html><title>t</title><BODY class=x>{}</BODY></html>", ("end", "title"), ("start", "body")),
    ("<!doctype html><title>t</title><!-- <body> -->\n<body>{}</body>", ("end", "title"), ("start", "body")),
    ("<!doctype html><title>t</title><main>{}</main>", ("doctype", ""), ("start", "title")),
    ("<!DOCTYPE html><HTML lang=en><title>t</title><main>{}</main>", ("start", "html"), ("start", "title")),
    ('<!doctype html><html><head><meta charset="utf-8"><meta name="description" content="Our goals </head> <body> and more">'
     "<title>t</title></head><body>{}</body></html>", ("end", "title"), ("end", "head")),  # text in quotes is no tag
    ("<!doctype html><html><head><title>Ends at </head> here</title></head><body>{}</body></html>", ("end", "title"), ("end", "head")),
    ("<!doctype html><html><head><title>t</title><script>/* </head><body> */</script></head><body>{}</body></html>",
     ("end", "script"), ("end", "head")),
])
def test_the_moved_styles_go_where_the_real_head_ends(page, after, before):
    secured = secure_page(page.format(BARS), noindex=False)
    seen = [event for event in _Events(secured).seen if event != ("start", "meta")]
    at = seen.index(("start", "style"))
    assert seen[0] == ("doctype", "") and seen[at - 1] == after and seen[at + 2] == before, seen  # +1: the style's end
    assert STYLE.findall(secured) == ['\n[data-css="0"] { width: 40% !important }\n']


def test_the_policy_is_not_put_into_an_attribute_or_a_title():
    secured = secure_page('<!doctype html><html><head><meta name="x" content="<meta charset=utf-8> <head>"><title>a <head> b</title>'
                          "</head><body></body></html>", noindex=False)
    assert secured.index('<meta http-equiv="Content-Security-Policy"') == len("<!doctype html><html><head>")
    secured = secure_page('<!doctype html><html><head><meta content="x" charset="utf-8"><title>t</title></head><body></body></html>', noindex=False)
    assert secured.index('<meta http-equiv="Content-Security-Policy"') == len('<!doctype html><html><head><meta content="x" charset="utf-8">')


def test_the_policy_is_not_put_into_a_comment_either():
    secured = secure_page('<!doctype html><html><head><!-- the <meta charset="utf-8"> goes below --><meta charset="utf-8">'
                          "<title>t</title></head><body></body></html>", noindex=True)
    assert secured.index("-->") < secured.index('<meta http-equiv="Content-Security-Policy"') < secured.index("<title>")
    assert secured.index("-->") < secured.index(ROBOTS_META)


def test_a_copied_base_with_a_comment_about_its_head_still_draws_its_bars(base_site, tmp_path):
    base = (REPO / "theme/templates/base.html").read_text(encoding="utf-8")
    comment = "<!-- our own links go here, before </head> -->"
    write_files(base_site, {"theme/templates/base.html": base.replace("{% block head %}", comment + "\n{% block head %}")})
    out = built(base_site, tmp_path / "out")
    page = (out / "objectives/grow-customer-base/index.html").read_text(encoding="utf-8")
    assert comment in page
    (css,) = STYLE.findall(page)
    assert page.index(comment) < page.index("<style>") < page.index("</head>\n<body>") and "width:" in css


def test_serve_opens_connections_to_itself_only_and_forms_go_to_the_site_itself():
    page = secure_page("<html><head></head><body></body></html>", noindex=False).encode()
    assert live_reload_policy(page) == page.replace(b"connect-src 'none'", b"connect-src 'self'")
    assert b"connect-src 'self'" not in page and b"form-action 'self'" in page


def test_raw_html_in_a_body_cannot_load_or_run_anything(base_site, tmp_path):
    """allow_html lets authors write HTML; the policy still refuses an external image and inline script."""
    path = base_site / "content/objectives/grow-customer-base.md"
    path.write_text(path.read_text() + '\n<img src="https://tracker.example/p.gif"><script>alert(1)</script>\n')
    out = built(base_site, tmp_path / "out", "allow_html = true\n")
    page = (out / "objectives/grow-customer-base/index.html").read_text()
    assert '<img src="https://tracker.example/p.gif">' in page  # refused by the browser: tests/browser/test_security.py
    policy = policy_of(page)
    assert policy["default-src"] == ["'self'"] and "script-src" not in policy


# --- bidi overrides and zero-width characters -----------------------------------------------------


BIDI_AND_ZERO_WIDTH = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff")


def test_a_spoofed_title_owner_unit_and_name_render_without_them(base_site, tmp_path):
    write_files(base_site, {
        "content/objectives/grow-customer-base.md": (base_site / "content/objectives/grow-customer-base.md").read_text()
        .replace("Grow the customer base", "Grow the \u202eesab remotsuc\u200b")
        .replace("    current: 1120", "    current: 1120\n    unit: cust\u2066omers\u200b\n    owner: Jane\u200b Doe\u202e"),
        "content/teams/sales.md": '---\ntitle: Sa\u2067les\nparent: company\nmembers: ["Ann\\u202d Lee", "Bo\\ufeffChen"]\n---\n',
    })
    (base_site / "okrsite.toml").write_text('title = "Mi\\u202eni"\nas_of = 2026-11-23\n')
    out = built(base_site, tmp_path / "out")
    data = (out / "okrs.json").read_text(encoding="utf-8")
    shown = json.loads(data)
    assert shown["objectives"][0]["title"] == "Grow the esab remotsuc"
    assert shown["objectives"][0]["key_results"][0]["unit"] == "customers"
    assert {"Jane Doe", "Ann Lee", "BoChen"} <= {p["name"] for p in shown["people"]}
    assert "Sales" in {t["title"] for t in shown["teams"]} and shown["title"] == "Mini"
    for name, page in [*pages(out).items(), ("okrs.json", data)]:
        assert not set(page) & BIDI_AND_ZERO_WIDTH, name
