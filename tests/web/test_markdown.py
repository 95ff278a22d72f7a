"""Markdown bodies (SPEC §2, §9): CommonMark with tables, `[[id]]` links, raw HTML escaped by default.

Unit tests call okrsite.web.markdown directly; the end-to-end tests build a tiny site and read the pages.
"""

from __future__ import annotations

import html as html_module
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest

from okrsite.build import build
from okrsite.goals.wikilinks import find_wikilinks
from okrsite.web.markdown import make_parser, plain_summary, render

from ..conftest import write_files

AS_OF = date(2026, 11, 23)

TITLES = {"other": "The other objective", "mrr": "Monthly recurring revenue"}


def resolver(calls: list | None = None):
    """A resolver like the renderer's: known ids give (url relative to the page, title)."""

    def resolve(ident: str):
        if calls is not None:
            calls.append(ident)
        if ident in TITLES:
            return f"../../objectives/{ident}/index.html", TITLES[ident]
        return None

    return resolve


def html(body: str, allow_html: bool = False, calls: list | None = None) -> str:
    return render(make_parser(allow_html), body, resolver(calls))


def hrefs(markup: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', markup)


# --------------------------------------------------------------------------- raw HTML


def test_raw_html_is_escaped_by_default():
    out = html("Before\n\n<script>alert(1)</script>\n\nInline <b>bold</b> and <img src=x onerror=alert(1)>.")
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<b>" not in out and "&lt;b&gt;bold&lt;/b&gt;" in out
    assert "<img" not in out


def test_raw_html_is_kept_when_the_site_allows_it_without_its_scripts():
    out = html("<script>alert(1)</script>\n\nInline <b>bold</b> <span class=\"x\" title='a \"b\"'>s</span>.", allow_html=True)
    assert "<script" not in out and "alert(1)" not in out
    assert "<b>bold</b>" in out and '<span title="a &quot;b&quot;">s</span>' in out


@pytest.mark.parametrize("body", [
    '<script src="../notes.txt"></script>', "<SCRIPT SRC=../notes.txt></SCRIPT>", '<p>x <script src="../notes.txt"></script> y</p>',
    '<svg><script href="../notes.txt"></script></svg>', '<iframe src="../notes.txt"></iframe>', '<iframe srcdoc="&lt;script src=../notes.txt&gt;&lt;/script&gt;"></iframe>',
    '<object data="../notes.txt"></object>', '<embed src="../notes.txt">', '<frameset><frame src="../notes.txt"></frameset>',
    '<base href="https://evil.example/">', '<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">',
    '<link rel="prefetch" href="https://evil.example/">', '<img src="x.png" onerror="alert(1)">', '<a href="java\tscript:alert(1)">x</a>',
    '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', '<a title="</p><script src=../notes.txt></script>">t</a>',
    '<svg><a><animate attributeName="href" values="0; JavaScript:alert(1)"/><text>x</text></a></svg>',  # QA AX: a list of values
    "<style>@import url(https://evil.example/x.css)</style>"])
def test_kept_raw_html_loses_what_runs_a_script_or_takes_the_reader_away(body):
    """allow_html = true kept `<script src="../notes.txt">` (a file copied from content/, same origin: the page's
    policy allows it) and `<meta http-equiv=refresh>` (the policy has no say over it), though the docs said kept HTML
    runs no script and loads nothing from another site."""
    out = html(f"Before\n\n{body}\n\nInline {body} after.", allow_html=True).lower()
    for element in ("<script", "<iframe", "<object", "<embed", "<frame", "<base", "<meta", "<link", "<style"):
        assert element not in out, element
    assert "onerror" not in out and "javascript:" not in out and "evil.example/refresh" not in out
    assert "<p>before</p>" in out and "after." in out


@pytest.mark.parametrize("body", [
    '<a href="data:text/html,<script>alert(document.domain)</script>">x</a>', '<a href=" D&#65;TA:text/html,x">x</a>',
    '<a href="da\tta:text/html,x">x</a>', '<svg><a xlink:href="data:text/html,x"><text>x</text></a></svg>',
    '<form action="data:text/html,x"><button>x</button></form>', '<button formaction="blob:x">x</button>',
    '<a href="file:///etc/passwd">x</a>', '<a href="intent://x#Intent;end">x</a>'])
def test_kept_raw_html_links_only_to_web_pages_mail_and_the_site(body):
    """QA CZ 2: allow_html = true kept `<a href="data:text/html,…">`, the one scheme left of those that open
    something no link of the site leads to."""
    out = html(f"{body} and <a href='https://example.org/x'>web</a> <a href='MAILTO:a@example.org'>mail</a> "
               "<a href='../plan.md#goal'>file</a> <a href='#top'>top</a>", allow_html=True)
    addresses = re.findall(r'(?:href|action)="([^"]*)"', out)
    assert addresses == ["https://example.org/x", "MAILTO:a@example.org", "../plan.md#goal", "#top"], out
    assert ">x<" in out  # the words stay, as text


@pytest.mark.parametrize("body", [
    '<a href="https://evil.example/" style="position:fixed;top:0;left:0;width:100%;height:100%;opacity:0">x</a>',
    '<a href="https://evil.example/" style="text-align:left;position:fixed;inset:0">x</a>', '<a href="https://evil.example/" style>x</a>',
    '<svg width="1" height="1" overflow="visible"><a href="https://evil.example/"><rect x="-5000" y="-5000" width="9999" height="9999"/></a></svg>',
    '<svg width="1" height="1"><set attributeName="overflow" to="visible"/><a href="https://evil.example/"><rect/></a></svg>',
    '<svg width="9" height="9" transform="translate(-500 -500) scale(100)"><a href="https://evil.example/"><rect/></a></svg>',
    '<svg width="9" height="9"><animateTransform attributeName="transform" type="scale" to="100"/><a href="https://evil.example/"><rect/></a></svg>',
    '<dialog open><a href="https://evil.example/">x</a></dialog>'])
def test_kept_raw_html_cannot_lay_a_link_over_the_page(body):
    """QA CZ 2: a style attribute (or a drawing let out of its box) laid an invisible link over the whole page,
    so that a click anywhere went to another site."""
    out = html(body, allow_html=True).lower()
    for kept in ("style=", "overflow", "transform", "<set", "<animate", " open"):
        assert kept not in out, kept
    assert 'href="https://evil.example/"' in out  # a link where it is written, which leaves only when clicked


@pytest.mark.parametrize("body", [
    '<div class="site-search"><div class="site-search-list"><a href="https://evil.example/">Sign in again</a></div></div>',
    '<a class="skip" href="https://evil.example/">Skip</a>', '<p class="visually-hidden bar">x</p>',
    '<code class="site-search-list language-js">x</code>', '<a class="ref site-search-list" href="https://evil.example/">x</a>'])
def test_kept_raw_html_keeps_no_class_of_the_theme(body):
    """QA DB 1: allow_html = true kept `class`, and the theme positions some of its classes: its search
    list is an opaque box at z-index 3, and a body laid it, with a link, over the theme's own content."""
    out = html(body, allow_html=True)
    for theme_class in ("site-search", "skip", "visually-hidden", "bar"):
        assert not re.search(rf'class="[^"]*\b{theme_class}\b', out), out
    assert 'href="https://evil.example/"' in out or ">x<" in out


def test_kept_raw_html_leaves_the_classes_of_the_bodys_own_markdown():
    """The sanitizer reads the whole rendered body, not only its raw HTML: a fence's language, a
    `[[id]]` link, a link written as its address and a table's scroll box keep their classes."""
    out = html("<b>raw</b> [[other]] <https://example.org>\n\n```python\nx = 1\n```\n\n| a |\n|---|\n| 1 |\n", allow_html=True)
    for kept in ('<b>raw</b>', '<a class="ref" href=', '<a href="https://example.org" class="autolink">', '<code class="language-python">',
                 '<div class="table-wrap" role="group"'):
        assert kept in out, (kept, out)


def test_kept_raw_html_keeps_a_tables_alignment():
    out = html("<b>raw</b>\n\n| a | b |\n|--:|:-:|\n| 1 | 2 |\n\n<p style=\"TEXT-ALIGN: center;\">c</p>", allow_html=True)
    assert out.count('style="text-align:right"') == 2 and out.count('style="text-align:center"') == 2
    assert '<p style="TEXT-ALIGN: center;">c</p>' in out


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1)  )",
        "[click](java&#x73;cript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "<javascript:alert(1)>",
        "[click][ref]\n\n[ref]: javascript:alert(1)",
        "![img](javascript:alert(1))",
    ],
)
@pytest.mark.parametrize("allow_html", [False, True])
def test_javascript_urls_never_become_links(body, allow_html):
    out = html(body, allow_html=allow_html)
    for url in hrefs(out) + re.findall(r'src="([^"]*)"', out):
        assert not url.strip().lower().startswith("javascript:"), out


# --------------------------------------------------------------------------- bidi and zero-width characters

SPOOF = "\u202e\u2066\u200b\ufeff"


@pytest.mark.parametrize("allow_html", [False, True])
def test_a_body_loses_bidi_overrides_and_zero_width_characters_outside_code(allow_html):
    body = (f"# Head{SPOOF}ing\n\nSome {SPOOF}text, [a{SPOOF} link](https://example.org \"ti{SPOOF}tle\"), ![al{SPOOF}t](x.png),"
            f" [[other|lab{SPOOF}el]], <b>ra{SPOOF}w</b>\n\n| a{SPOOF} |\n|---|\n| b{SPOOF} |\n\n> quo{SPOOF}te\n")
    out = html(body, allow_html=allow_html)
    assert not set(out) & set(SPOOF)
    assert '<h1 id="heading">Heading</h1>' in out and "Some text" in out and 'title="title"' in out and 'alt="alt"' in out and ">label</a>" in out


def test_code_keeps_them_as_written():
    out = html(f"Run `rm {SPOOF}x` or\n\n```sh{SPOOF}\necho \"{SPOOF}\"\n```\n\n    indented {SPOOF}\n")
    assert f"<code>rm {SPOOF}x</code>" in out and f"echo &quot;{SPOOF}&quot;" in out and f"indented {SPOOF}" in out
    assert 'class="language-sh"' in out


def test_ordinary_links_still_work():
    out = html("[docs](https://example.org/a?b=1&c=2)")
    assert hrefs(out) == ["https://example.org/a?b=1&amp;c=2"]


@pytest.mark.parametrize("allow_html", [False, True, "safe"])
def test_a_link_whose_words_are_its_address_says_so(allow_html):
    """Print writes a link's address after its words (QA CR 4): not after an address written as a link."""
    if allow_html == "safe":
        pytest.importorskip("nh3")
    out = html("<https://example.org/handbook> and [the plan](https://example.org/plan)", allow_html)
    assert out.strip() == ('<p><a href="https://example.org/handbook" class="autolink">https://example.org/handbook</a>'
                           ' and <a href="https://example.org/plan">the plan</a></p>')


@pytest.mark.parametrize("body, shown", [
    ("[two](https://example.org/a#b#c)", "<p>two</p>"), ("<https://example.org:99999/>", "<p>https://example.org:99999/</p>"),
    ("[sp](<https://a b.example/>)", "<p>sp</p>"), ("[r][x]\n\n[x]: page#a#b", "<p>r</p>"),
    ("![a *chart* <b>](img/x.png#1#2)", "<p>a chart &lt;b&gt;</p>"),
    ("[ok](https://example.org/a#b) ![ok](img/x.png)", '<p><a href="https://example.org/a#b">ok</a> <img src="img/x.png" alt="ok" /></p>'),
])
def test_a_link_whose_address_no_page_may_hold_shows_its_words_alone(body, shown):
    """`okrsite check` warns about such a link (tests/goals/test_validate.py); the page stays valid HTML."""
    assert html(body).strip() == shown


# --------------------------------------------------------------------------- [[id]] links


def test_wikilink_renders_a_ref_link_with_the_resolved_title():
    out = html("See [[other]] for more.")
    assert '<a class="ref" href="../../objectives/other/index.html">The other objective</a>' in out


def test_wikilink_with_label_uses_the_label():
    out = html("See [[other|the sibling goal]].")
    assert '<a class="ref" href="../../objectives/other/index.html">the sibling goal</a>' in out
    assert "The other objective" not in out


def test_wikilink_label_and_title_are_escaped():
    titles = dict(TITLES)
    out = render(make_parser(False), "[[other|<i>x</i>]] [[mrr]]", lambda i: ("u.html", "<b>T</b>") if i == "mrr" else ("o.html", titles[i]))
    assert "<i>" not in out and "&lt;i&gt;x&lt;/i&gt;" in out
    assert "<b>" not in out and "&lt;b&gt;T&lt;/b&gt;" in out


def test_unknown_wikilink_is_not_a_link():
    out = html("See [[nope]].")
    assert "<a" not in out
    assert "[[nope]]" in out


def test_find_wikilinks_reports_body_lines_and_ids():
    body = "first line\n\nsee [[other]] and [[mrr|revenue]]\n\nlast [[ spaced ]]"
    assert list(find_wikilinks(body)) == [(2, "other"), (2, "mrr"), (4, "spaced")]


CODE_BODIES = {
    "inline code": "Write `[[other]]` to link.",
    "double backtick code": "Write ``[[other]]`` to link.",
    "backtick fence": "```\n[[other]]\n```",
    "fence with info string": "```markdown\nSee [[other]]\n```",
    "tilde fence": "~~~\n[[other]]\n~~~",
    "unclosed fence": "```\n[[other]]",
}


@pytest.mark.parametrize("body", CODE_BODIES.values(), ids=CODE_BODIES.keys())
def test_wikilink_in_code_is_not_a_link(body):
    calls: list = []
    out = html(body, calls=calls)
    assert '<a class="ref"' not in out
    assert "[[other]]" in out
    assert calls == []
    assert list(find_wikilinks(body)) == []


# Code blocks that CommonMark recognises but a line-by-line scan can get wrong. find_wikilinks must
# agree with the renderer: a [[x]] the page shows as code is not checked as a link (a check error on
# it would block the build of a page that merely documents the syntax).
TRICKY_CODE_BODIES = {
    "longer fence containing a shorter one": "````markdown\n```\n[[nope]]\n```\n````",
    "tilde fence containing backticks": "~~~\n```\n[[nope]]\n~~~",
    "indented code block": "Example:\n\n    [[nope]]\n",
    "fence inside a block quote": "> ```\n> [[nope]]\n> ```",
}


@pytest.mark.parametrize("body", TRICKY_CODE_BODIES.values(), ids=TRICKY_CODE_BODIES.keys())
def test_find_wikilinks_agrees_with_the_renderer_on_code(body):
    calls: list = []
    out = html(body, calls=calls)
    assert '<a class="ref"' not in out and calls == [], "precondition: the renderer shows it as code"
    assert list(find_wikilinks(body)) == []


@pytest.mark.parametrize(
    "body, expected",
    [
        # an id that is a prefix of an earlier one on another line of the same paragraph
        ("See [[other-goal]]\nand [[other]]", [(0, "other-goal"), (1, "other")]),
        # the same id twice in one paragraph, on two lines
        ("first [[other]]\nsecond [[other]]", [(0, "other"), (1, "other")]),
        # in a list item and a block quote
        ("- a [[mrr-total]]\n  b [[mrr]]", [(0, "mrr-total"), (1, "mrr")]),
        ("> [[other-goal]]\n> [[other]]", [(0, "other-goal"), (1, "other")]),
    ],
)
def test_find_wikilinks_gives_each_link_its_own_line(body, expected):
    assert list(find_wikilinks(body)) == expected


def test_find_wikilinks_in_tables_and_headings():
    body = "# About [[other]]\n\n| KR | KPI |\n|----|-----|\n| x | [[mrr]] |\n"
    assert list(find_wikilinks(body)) == [(0, "other"), (4, "mrr")]


def test_find_wikilinks_sees_links_after_a_closed_fence():
    body = "```\n[[inside]]\n```\nafter [[other]]"
    assert list(find_wikilinks(body)) == [(3, "other")]


# --------------------------------------------------------------------------- CommonMark + tables


def test_tables_render():
    out = html("| KR | Target |\n|----|-------:|\n| Leads | 4,500 |\n")
    assert "<table>" in out
    assert "<th>KR</th>" in out
    assert "<td>Leads</td>" in out


@pytest.mark.parametrize("allow_html", [False, True, "safe"])
def test_a_table_and_a_code_block_scroll_in_boxes_the_keyboard_reaches(allow_html):
    """On a phone they scroll sideways (docs/site.md): each box takes the focus, a table's named by its
    first column headings, in every allow_html mode (nh3 keeps the box)."""
    if allow_html == "safe":
        pytest.importorskip("nh3")
    out = html("| Region | [[mrr]] | **March** | April |\n|---|---|---|---|\n| North | 1 | 2 | 3 |\n\n"
               "```sh\nokrsite build\n```\n\n    indented\n", allow_html)
    assert '<div class="table-wrap" role="group" tabindex="0" aria-label="Table: Region, Monthly recurring revenue, March …">\n<table>' in out
    assert "</table>\n</div>" in out
    assert '<pre tabindex="0"><code class="language-sh">okrsite build' in out and '<pre tabindex="0"><code>indented' in out


def test_a_table_without_headings_is_named_table():
    assert 'aria-label="Table"' in html("| | |\n|---|---|\n| 1 | 2 |\n")


def test_safe_html_still_escapes_a_box_written_by_hand():
    pytest.importorskip("nh3")
    out = html('<div class="table-wrap" tabindex="0">x</div>\n\na <pre tabindex="0">y</pre>\n', "safe")
    assert "<div" not in out and "<pre" not in out


def test_commonmark_basics():
    out = html("# Heading\n\n- one\n- two\n\n**strong** _em_")
    assert '<h1 id="heading">Heading</h1>' in out
    assert "<li>one</li>" in out
    assert "<strong>strong</strong>" in out and "<em>em</em>" in out


# --------------------------------------------------------------------------- end to end


def write_site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def tiny_site(root: Path, body: str, title: str = "Ship <b>bold</b> things", settings: str = "") -> Path:
    return write_site(root, {
        "okrsite.toml": f'title = "Tiny"\nas_of = 2026-11-23\n{settings}',
        "content/teams/company.md": "---\ntitle: Company\n---\nThe company.\n",
        "content/objectives/main.md": (
            f"---\ntitle: {title!r}\nperiod: 2026-Q4\nowner: company\n"
            "key_results:\n  - title: Do it\n    target: 10\n    current: 5\n---\n" + body
        ),
        "content/objectives/other.md": (
            "---\ntitle: The other objective\nperiod: 2026-Q4\nowner: company\n"
            "key_results:\n  - title: Something\n    done: false\n---\nOther body.\n"
        ),
    })


@pytest.fixture
def built(tmp_path):
    body = "Why it matters.\n\n<script>alert(1)</script>\n\nSee [[other]] and [[other|the other one]].\n"
    site = tiny_site(tmp_path / "site", body)
    out = tmp_path / "out"
    result = build(site, out, as_of=AS_OF)
    assert result.ok, [vars(d) for d in result.report.items]
    return out


def test_built_page_escapes_script_in_body(built):
    page = (built / "objectives" / "main" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert re.findall(r"<script[^>]*>", page.lower()) == ['<script src="../../search.js" defer>']  # the theme's own, nothing else


def test_built_page_links_wikilinks_relatively(built):
    page_file = built / "objectives" / "main" / "index.html"
    page = page_file.read_text(encoding="utf-8")
    refs = re.findall(r'<a class="ref" href="([^"]*)">([^<]*)</a>', page)
    assert ("../../objectives/other/index.html", "The other objective") in refs
    assert ("../../objectives/other/index.html", "the other one") in refs
    for href, _ in refs:
        assert href.startswith("../../")
        assert (page_file.parent / href).resolve().is_file(), href


def test_front_matter_title_is_escaped_in_every_page(built):
    pages = list(built.rglob("*.html"))
    assert pages
    main = (built / "objectives" / "main" / "index.html").read_text(encoding="utf-8")
    assert "Ship &lt;b&gt;bold&lt;/b&gt; things" in main
    for page in pages:
        assert "<b>bold</b>" not in page.read_text(encoding="utf-8"), page


def test_allow_html_setting_keeps_raw_html_in_built_page(tmp_path):
    site = tiny_site(tmp_path / "site", "Some <mark>marked</mark> text.\n", settings="allow_html = true\n")
    out = tmp_path / "out"
    result = build(site, out, as_of=AS_OF)
    assert result.ok, [vars(d) for d in result.report.items]
    page = (out / "objectives" / "main" / "index.html").read_text(encoding="utf-8")
    assert "<mark>marked</mark>" in page
    # The title is front matter, not Markdown: it stays escaped even with allow_html.
    assert "<b>bold</b>" not in page


@pytest.mark.parametrize("allow_html, shown", [
    (False, '<p class="note">Hello <b>bold</b> & more</p> Text with <em>em</em> and <span>span</span><!-- c -->.'),
    (True, "Hello bold & more Text with em and span."),
    ("safe", '<p class="note">Hello bold &amp; more</p> Text with em and <span>span</span><!-- c -->.'),
])
def test_a_summary_shows_raw_html_as_the_page_does(allow_html, shown):
    """Meta descriptions and search read a body's first words as its page shows them: raw HTML as
    text where the site escapes it, its tags left out where the page keeps them (with "safe", what it
    escapes is text: a block's <p>, a <span>, a comment and the & the page escapes once more)."""
    body = '<p class="note">Hello <b>bold</b> &amp; more</p>\n\nText with <em>em</em> and <span>span</span><!-- c -->.\n'
    assert plain_summary(body, 160, None, allow_html) == shown


def test_a_page_description_and_its_search_entry_leave_out_the_tags_a_site_keeps(tmp_path):
    site = tiny_site(tmp_path / "site", "Some <mark>marked</mark> text.\n", settings="allow_html = true\n")
    out = tmp_path / "out"
    assert build(site, out, as_of=AS_OF).ok
    page = (out / "objectives" / "main" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="description" content="[^"]*Some marked text\.">', page), page[:800]
    index = (out / "search" / "index.js").read_text(encoding="utf-8")
    assert "Some marked text." in index and "mark&gt;" not in index and "<mark>" not in index


def test_wikilink_in_code_in_a_body_does_not_fail_the_build(tmp_path):
    body = "Link with `[[id]]`, e.g.:\n\n```\nSee [[some-objective]]\n```\n"
    site = tiny_site(tmp_path / "site", body)
    out = tmp_path / "out"
    result = build(site, out, as_of=AS_OF)
    assert result.ok, [vars(d) for d in result.report.items]
    page = (out / "objectives" / "main" / "index.html").read_text(encoding="utf-8")
    assert "See [[some-objective]]" in page


def test_unknown_wikilink_in_a_body_is_an_error_with_its_line(tmp_path):
    body = "line one\n\nSee [[othr]].\n"
    site = tiny_site(tmp_path / "site", body)
    result = build(site, tmp_path / "out", as_of=AS_OF)
    assert not result.ok
    errors = [d for d in result.report.errors if "othr" in d.message]
    assert len(errors) == 1
    assert errors[0].file == "content/objectives/main.md"
    text = (site / "content/objectives/main.md").read_text(encoding="utf-8").split("\n")
    assert "[[othr]]" in text[errors[0].line - 1]
    assert "other" in errors[0].hint


def test_unknown_wikilink_error_points_at_its_own_line(tmp_path):
    """A typo that is a prefix of a valid id on an earlier line of the same paragraph."""
    body = "See [[other]] for the\nsibling, and [[oth]] for nothing.\n"
    site = tiny_site(tmp_path / "site", body)
    result = build(site, tmp_path / "out", as_of=AS_OF)
    errors = [d for d in result.report.errors if "[[oth]]" in d.message]
    assert len(errors) == 1, [vars(d) for d in result.report.items]
    text = (site / "content/objectives/main.md").read_text(encoding="utf-8").split("\n")
    assert "[[oth]]" in text[errors[0].line - 1], (errors[0].line, text)


# allow_html = "safe": a small allow-list of inline tags, everything else escaped (SPEC §16).

def safe(text: str) -> str:
    from okrsite.web.markdown import make_parser, plain_summary, render
    return render(make_parser("safe"), text, lambda ident: ("../x/index.html", "X") if ident == "x" else None)


@pytest.mark.parametrize("source, shown", [
    ('See <a href="/handbook/people/#retention">how</a>.', '<p>See <a href="/handbook/people/#retention">how</a>.</p>'),
    ('<a href="https://e.com/a?b=1&amp;c=2">e</a>', '<a href="https://e.com/a?b=1&amp;c=2">e</a>'),
    ('<a href="../other/index.html">o</a>', '<a href="../other/index.html">o</a>'),
    ("<b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <code>c</code> H<sub>2</sub>O x<sup>2</sup> a<br>b",
     "<b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <code>c</code> H<sub>2</sub>O x<sup>2</sup> a<br>b"),
    ('<a href="javascript:alert(1)">x</a>', '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'),
    ('<a href="data:text/html,hi">x</a>', '&lt;a href="data:text/html,hi"&gt;x&lt;/a&gt;'),
    ("<a href='https://e.com/\"x'>e</a>", "&lt;a href='https://e.com/\"x'&gt;e&lt;/a&gt;"),  # no href a page cannot hold
    ('<a href="https://e.com/a|b">e</a>', '&lt;a href="https://e.com/a|b"&gt;e&lt;/a&gt;'),
    ('<a href="https:///x">e</a>', '&lt;a href="https:///x"&gt;e&lt;/a&gt;'),
    ('<a href="//evil.example/x">e</a>', '&lt;a href="//evil.example/x"&gt;e&lt;/a&gt;'),  # another host: docs/settings.md asks for https://
    ('<a href="../a{b}.html">e</a>', '&lt;a href="../a{b}.html"&gt;e&lt;/a&gt;'),
    ('<a href="../a[1].html">e</a>', '&lt;a href="../a[1].html"&gt;e&lt;/a&gt;'),
    ('<a href="https://e.com" onclick="steal()">e</a>', '<a href="https://e.com">e</a>'),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<img src="x" onerror="alert(1)">', '&lt;img src="x" onerror="alert(1)"&gt;'),
    ("<span style='color:red'>s</span>", "&lt;span style='color:red'&gt;s&lt;/span&gt;"),
    ("<b class='x'>b</b></b>", "<b>b</b>&lt;/b&gt;"),
    ("[[x]] and [[x|label]]", '<a class="ref" href="../x/index.html">X</a> and <a class="ref" href="../x/index.html">label</a>'),
])
def test_safe_html_keeps_the_allow_list_and_escapes_everything_else(source, shown):
    assert shown in safe(source)


def test_safe_html_escapes_a_block_of_html_but_keeps_markdown():
    html = safe("<div onclick=\"x()\">block <i>it</i></div>\n\n| a | b |\n|--:|---|\n| **1** | 2 |\n")
    assert '&lt;div onclick="x()"&gt;block <i>it</i>&lt;/div&gt;' in html
    assert '<th style="text-align:right">a</th>' in html and "<strong>1</strong>" in html


def inline_tags_left_open(html: str) -> list[str]:
    """Where an inline tag is still open as a block starts or ends, or as the body ends (HTML's parser
    carries such a tag into the blocks that follow: a `<p>` inside `<b>`, invalid, bold to the end)."""
    from html.parser import HTMLParser

    blocks = {"div", "p", "li", "ul", "ol", "blockquote", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr",
              *(f"h{n}" for n in range(1, 7))}
    found: list[str] = []

    class Nesting(HTMLParser):
        def __init__(self):
            super().__init__()
            self.open: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag in blocks and self.open:
                found.append(f"<{tag}> inside <{self.open[-1]}>")
            if tag not in blocks and tag not in ("br", "img"):
                self.open.append(tag)

        def handle_endtag(self, tag):
            if tag in blocks and self.open:
                found.append(f"</{tag}> with <{self.open[-1]}> open")
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]

    parser = Nesting()
    parser.feed(html)
    parser.close()
    return found + [f"<{tag}> open at the end" for tag in parser.open]


@pytest.mark.parametrize("source", [
    "<b>Important\n\nSecond paragraph that should not be bold.\n",
    '<div class="note"><b>Note:</b> first <i>open\n\nnext\n',
    "- <em>one\n- two\n",
    "# <strong>Head\n\ntext\n",
    '<a href="https://e.com">open <b>nested\n\n| a |\n|---|\n| <sub>b |\n\nc\n',
    "> <code>quoted\n\nafter\n",
])
def test_safe_html_closes_an_inline_tag_within_its_block(source):
    assert inline_tags_left_open(safe(source)) == []


def test_safe_html_closes_where_the_writer_left_it_open():
    assert "<p><b>Important</b></p>\n<p>Second</p>" in safe("<b>Important\n\nSecond\n")
    assert "<p><b>a</b></p>\n<p>b&lt;/b&gt;</p>" in safe("<b>a\n\nb</b>\n")  # a closing tag of another block's is text


@pytest.mark.parametrize("allow_html, shown", [(False, "&lt;b&gt;b&lt;/b&gt;"), (True, "<b>b</b>")])
def test_true_and_false_keep_their_meaning(allow_html, shown):
    from okrsite.web.markdown import make_parser, plain_summary, render
    assert shown in render(make_parser(allow_html), "<b>b</b>", lambda ident: None)


def test_an_entity_in_an_ascii_body_cannot_spell_them_either():
    """An ASCII body skips the pass that drops them, unless it holds `&`: an entity is decoded to one."""
    out = html("Some&#8203;text &#x202E;here, [a&#x200B;b](https://example.org) and `code&#8203;`\n")
    assert not set(out) & set(SPOOF) and "Sometext" in out and ">ab</a>" in out


# --------------------------------------------------------------------------- links to files, as on GitHub


def links_of(page_file: Path) -> dict[str, str]:
    """Each link's or image's text (its alt) -> its address, in a built page's body."""
    page = page_file.read_text(encoding="utf-8")
    body = page[page.index('class="body"'):]
    found = {text: url for url, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', body)}
    found |= {alt: src for src, alt in re.findall(r'<img src="([^"]*)" alt="([^"]*)"', body)}
    return found


def lands(page_file: Path, url: str) -> Path:
    """The file a relative address of a built page leads to."""
    return (page_file.parent / unquote(url.split("#")[0].split("?")[0])).resolve()


FILE_LINKS = {
    "content/objectives/q4/main.md": (
        "---\ntitle: Main\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Do it\n    target: 10\n---\n"
        "See [MRR](../../kpis/mrr.md#why), [guide](../../guide/deep/index.md), [root](/content/teams/company.md) and ![chart](img/chart.png).\n\n"
        "The [sheet](../../files/plan%20v2.pdf?v=2#page=3), the [folder](../../teams/) and [nope](../nope.md) and [out](../../../README.txt).\n"),
    "content/objectives/q4/img/chart.png": "PNG-chart",
    "content/kpis/mrr.md": "---\ntitle: MRR\nowner: company\nsource: billing\n---\nOn [the main objective](../objectives/q4/main.md).\n",
    "content/guide/deep/index.md": "---\ntitle: Deep guide\n---\nBack to [main](../../objectives/q4/main.md) with its ![chart](../../objectives/q4/img/chart.png).\n",
    "content/files/plan v2.pdf": "PDF",
    "content/files/unlinked.txt": "never copied",
    "content/teams/company.md": "---\ntitle: Company\n---\n",
    "okrsite.toml": 'title = "Files"\nas_of = 2026-11-23\n',
}


@pytest.fixture
def file_links(tmp_path):
    site = write_site(tmp_path / "site", FILE_LINKS)
    out = tmp_path / "out"
    result = build(site, out, as_of=AS_OF, cache=False)
    assert result.ok, [vars(d) for d in result.report.items]
    return out, result


def test_a_link_to_a_goals_file_leads_to_its_page_from_any_depth(file_links):
    """As MkDocs does: `[MRR](../kpis/mrr.md)` (read from the Markdown file's folder, as GitHub shows it)
    leads to the page of that objective, KPI, team or plain page, its #anchor kept, from a page at any depth."""
    out, _ = file_links
    main, guide, mrr = out / "objectives/main/index.html", out / "guide/deep/index.html", out / "kpis/mrr/index.html"
    links = links_of(main)
    assert links["MRR"] == "../../kpis/mrr/index.html#why"
    assert lands(main, links["guide"]) == guide.resolve()
    assert lands(main, links["root"]) == (out / "teams/company/index.html").resolve()
    assert lands(guide, links_of(guide)["main"]) == main.resolve()
    assert lands(mrr, links_of(mrr)["the main objective"]) == main.resolve()


def test_a_file_next_to_the_markdown_is_copied_and_shown_from_every_page(file_links):
    """`![chart](img/chart.png)` names a file beside the Markdown file: the build copies it (at its path under
    content/) and every page that shows it gets the address that leads there; files no body links to stay out."""
    out, _ = file_links
    main, guide = out / "objectives/main/index.html", out / "guide/deep/index.html"
    assert lands(main, links_of(main)["chart"]).read_bytes() == b"PNG-chart"
    assert lands(guide, links_of(guide)["chart"]) == lands(main, links_of(main)["chart"])
    sheet = links_of(main)["sheet"]
    assert sheet.endswith("?v=2#page=3") and lands(main, sheet).read_bytes() == b"PDF"
    assert not (out / "files/unlinked.txt").exists()


def test_links_the_site_cannot_follow_are_kept_as_written_and_warned_about(file_links):
    """A folder (`../../teams/`) and anything that leads out of content/ stay as written (a link to the
    site's own pages written before keeps working); a link to a .md file that is no page shows its words
    alone. Both are warnings at their line."""
    out, result = file_links
    page = out / "objectives/main/index.html"
    links = links_of(page)
    assert (links["folder"], links["out"]) == ("../../teams/", "../../../README.txt")
    assert "nope" not in links and " and nope and " in page.read_text(encoding="utf-8")
    warned = sorted((d.file, d.line, d.message.split(" leads")[0]) for d in result.report.items)
    assert warned == [("content/objectives/q4/main.md", 11, "the link '../../../README.txt'"),
                      ("content/objectives/q4/main.md", 11, "the link to '../nope.md'")]


@pytest.mark.parametrize("url", ["./javascript:alert(1).png", "javascript%3Aalert(1).png", "./data:text/html,x.pdf", "a/../vbscript:x.md"])
def test_no_address_the_site_rewrites_becomes_a_script(url):
    """A file whose name starts like a scheme (`./javascript:alert(1).png`) is rewritten with the colon
    escaped, so not even a page at the site's root (no `../` before it) could give it a scheme."""
    from okrsite.goals.model import Site
    from okrsite.web.render import relinked

    site = Site("s", {}, {}, {}, {}, {}, {}, {}, {}, {}, {})
    for root in ("", "../"):
        found = relinked(site, "content/x.md", root, url)
        assert found is None or not re.match(r"\s*[A-Za-z][A-Za-z0-9+.-]*:", found), found
    assert relinked(site, "content/x.md", "", "./javascript:alert(1).png") == "javascript%3Aalert%281%29.png"


def test_a_page_or_script_under_content_is_not_published(tmp_path):
    """An HTML, SVG or script file a body links to is not copied (opened from the site it would run as
    part of it): a warning says where to put it instead."""
    site = write_site(tmp_path / "site", {**FILE_LINKS, "content/objectives/q4/x.html": "<script>alert(1)</script>",
                                          "content/objectives/q4/x.svg": "<svg onload='alert(1)'/>",
                                          "content/objectives/q4/main.md": FILE_LINKS["content/objectives/q4/main.md"] + "\n[p](x.html) ![s](x.svg)\n"})
    result = build(site, tmp_path / "out", as_of=AS_OF, cache=False)
    assert result.ok
    assert not list((tmp_path / "out").rglob("x.*"))
    assert [d.line for d in result.report.items if "which the site does not publish" in d.message] == [13, 13]


def test_a_page_or_script_is_not_published_whatever_the_case_of_its_suffix(tmp_path):
    """`EVIL.SVG` or `x.HTML` is refused exactly like `evil.svg`: a web server or the preview types a
    file by its suffix in any case, so it would run as part of the site just the same."""
    names = ("EVIL.SVG", "x.HTML", "y.Htm", "z.JS", "w.XhTmL")
    site = write_site(tmp_path / "site", {**FILE_LINKS, **{f"content/objectives/q4/{name}": "<script>alert(1)</script>" for name in names},
                                          "content/objectives/q4/main.md": FILE_LINKS["content/objectives/q4/main.md"]
                                          + "\n" + " ".join(f"[{name}]({name})" for name in names) + "\n"})
    result = build(site, tmp_path / "out", as_of=AS_OF, cache=False)
    assert result.ok
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name in names]
    refused = [d.message for d in result.report.items if "which the site does not publish" in d.message]
    assert [m.split("'")[1] for m in refused] == list(names)
    assert all(f"a {name[name.index('.'):].lower()} file" in m for name, m in zip(names, refused))


def test_a_linked_file_may_not_take_the_path_of_another_output(tmp_path):
    """No two outputs share a path: a file under content/ at okrs.json is an error naming both."""
    site = write_site(tmp_path / "site", {**FILE_LINKS, "content/okrs.json": "{}",
                                          "content/teams/company.md": "---\ntitle: Company\n---\nOur [data](../okrs.json).\n"})
    result = build(site, tmp_path / "out", as_of=AS_OF, cache=False)
    assert not result.ok
    assert [(d.file, d.message) for d in result.report.errors] == [
        ("content/okrs.json", "two sources would write okrs.json: okrsite's okrs.json and the file (content/okrs.json:1)")]


def test_a_symbolic_link_out_of_content_is_not_followed(tmp_path):
    site = write_site(tmp_path / "site", FILE_LINKS)
    (tmp_path / "secret.txt").write_text("secret")
    (site / "content/objectives/q4/img/leak.png").symlink_to(tmp_path / "secret.txt")
    (site / "content/objectives/q4/main.md").write_text(FILE_LINKS["content/objectives/q4/main.md"] + "\n![leak](img/leak.png)\n")
    result = build(site, tmp_path / "out", as_of=AS_OF, cache=False)
    assert result.ok
    assert b"secret" not in b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert [d.line for d in result.report.items if "leads out of content/" in d.message] == [11, 13]


def test_a_public_page_does_not_link_or_name_a_private_objective_s_file(tmp_path):
    """On the public site a link to a private objective's file shows its words alone, as a [[link]] to it
    says "a private objective": neither its page nor its file name is printed, nor its images copied."""
    site = write_site(tmp_path / "site", {**FILE_LINKS, "content/objectives/q4/secret-deal.md": (
        "---\ntitle: Buy Kingfisher\nperiod: 2026-Q4\nowner: company\nprivate: true\nkey_results:\n  - title: Sign\n    done: false\n---\n"
        "![the term sheet](img/terms.png)\n"), "content/objectives/q4/img/terms.png": "PNG terms",
        "content/teams/company.md": "---\ntitle: Company\n---\nSee [the plan](../objectives/q4/secret-deal.md#terms).\n"})
    for audience, shown in (("internal", True), ("public", False)):
        result = build(site, tmp_path / audience, as_of=AS_OF, cache=False, audience=audience)
        assert result.ok
        page = (tmp_path / audience / "teams/company/index.html").read_text(encoding="utf-8")
        assert ('href="../../objectives/secret-deal/index.html#terms">the plan</a>' in page) is shown
        assert (tmp_path / audience / "objectives/q4/img/terms.png").exists() is shown  # only the files of the pages a site has
        assert ("secret-deal" in page) is shown and "See the plan." in page.replace('<a href="../../objectives/secret-deal/index.html#terms">', "").replace("</a>", "")


def test_a_retro_s_links_lead_from_its_objective_s_file_on_the_objective_and_review_pages(tmp_path):
    site = write_site(tmp_path / "site", {**FILE_LINKS, "content/objectives/q4/main.md": FILE_LINKS["content/objectives/q4/main.md"].replace(
        "---\nSee", "retro: \"Per [MRR](../../kpis/mrr.md), as ![the chart](img/chart.png) shows\"\n---\nSee")})
    result = build(site, tmp_path / "out", as_of=AS_OF, cache=False)
    assert result.ok, [vars(d) for d in result.report.items]
    for page in (tmp_path / "out/objectives/main/index.html", tmp_path / "out/periods/2026-q4/review/index.html"):
        text = page.read_text(encoding="utf-8")
        retro = text[text.index("Per <a"):]
        mrr, chart = re.search(r'href="([^"]*)">MRR', retro)[1], re.search(r'src="([^"]*)" alt="the chart"', retro)[1]
        assert lands(page, mrr) == (tmp_path / "out/kpis/mrr/index.html").resolve(), page
        assert lands(page, chart).read_bytes() == b"PNG-chart", page


# --------------------------------------------------------------------------- heading ids


def heading_ids(markup: str) -> list[str]:
    return re.findall(r'<h[1-6] id="([^"]*)"', markup)


@pytest.mark.parametrize("allow_html", [False, True, "safe"])
def test_headings_get_the_ids_github_mkdocs_and_hugo_users_expect(allow_html):
    """A heading's id is its text as a reader sees it, lowercased, punctuation dropped, each space a
    '-', letters of any script kept; a repeat gets -1, -2 … within the body."""
    out = html("## How we count\n\n### Über uns – 2026!\n\n## How we count\n\n## How we count\n\n"
               "## The `okrsite build` command\n\n## See [[mrr]] and [[mrr|the revenue]]\n\n## snake_case and *emphasis*\n\n## !!!\n",
               allow_html=allow_html)
    assert heading_ids(out) == ["how-we-count", "über-uns--2026", "how-we-count-1", "how-we-count-2", "the-okrsite-build-command",
                                "see-monthly-recurring-revenue-and-the-revenue", "snake_case-and-emphasis", "section"]


def test_a_heading_id_is_escaped_and_a_repeat_that_meets_a_suffixed_one_moves_on():
    out = html('## <script>"x" & \'y\'</script>\n\n## A\n\n## A-1\n\n## A\n')
    assert heading_ids(out) == ["scriptx--yscript", "a", "a-1", "a-2"]
    assert '"x"' not in re.search(r"<h2[^>]*>", out)[0]


def test_a_link_to_a_heading_of_the_same_body_is_kept():
    out = html("See [how](#how-we-count).\n\n## How we count\n")
    assert 'href="#how-we-count"' in out and '<h2 id="how-we-count">' in out


def page_heading_ids(page: Path) -> list[str]:
    return re.findall(r'<h[1-6] id="([^"]*)"', page.read_text(encoding="utf-8"))


def test_a_link_to_a_heading_of_another_page_lands_on_it(tmp_path):
    """`[MRR](../kpis/mrr.md#how-we-count)` leads to the KPI's page, where its heading has that id."""
    site = write_site(tmp_path / "site", {
        "okrsite.toml": 'title = "H"\nas_of = 2026-11-23\n',
        "content/teams/company.md": "---\ntitle: Company\n---\n",
        "content/objectives/o.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {title: x, target: 10, current: 5}\n---\n"
                                   "Measured by [MRR](../kpis/mrr.md#how-we-count).\n",
        "content/kpis/mrr.md": "---\ntitle: MRR\nowner: company\nsource: billing\n---\n## How we count\n\nSum of subscriptions.\n"})
    out = tmp_path / "out"
    assert build(site, out, as_of=AS_OF).ok
    objective, kpi = out / "objectives/o/index.html", out / "kpis/mrr/index.html"
    url = links_of(objective)["MRR"]
    assert url == "../../kpis/mrr/index.html#how-we-count" and lands(objective, url) == kpi.resolve()
    assert '<h2 id="how-we-count">How we count</h2>' in kpi.read_text(encoding="utf-8")


def test_a_heading_never_takes_an_id_the_page_already_has(tmp_path):
    """The theme's ids (the key results' section `krs`, a key result's own id, the retrospective's
    `retro`) and the ids of another body on the same page are taken: a heading that meets one gets a
    suffix, and a link to it within its body follows."""
    site = write_site(tmp_path / "site", {
        "okrsite.toml": 'title = "H"\nas_of = 2026-11-23\n',
        "content/teams/company.md": "---\ntitle: Company\n---\n",
        "content/objectives/o.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\n"
                                   "retro: \"## Notes\\n\\nWe learned.\"\n"
                                   "key_results:\n  - {id: signups, title: x, target: 10, current: 5}\n---\n"
                                   "See [the KRs](#krs).\n\n## KRs\n\n## Signups\n\n## Retro\n\n## Notes\n\n## Main\n"})
    out = tmp_path / "out"
    assert build(site, out, as_of=AS_OF).ok
    page = out / "objectives/o/index.html"
    ids = re.findall(r'\sid="([^"]*)"', page.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    text = page.read_text(encoding="utf-8")
    assert 'href="#krs-1">the KRs</a>' in text
    assert '<h2 id="krs-1">KRs</h2>' in text and '<h2 id="signups-1">Signups</h2>' in text and '<h2 id="retro-1">Retro</h2>' in text
    assert '<h2 id="notes">Notes</h2>' in text and '<h2 id="main-1">Main</h2>' in text and '<h2 id="notes-1">Notes</h2>' in text


def test_a_summary_leaves_out_what_the_page_leaves_out_of_kept_html():
    body = "<script>location='https://evil.example/'</script>\n\n<style>p{}</style>\n\nHello <b>world</b> <!-- note --> &amp; more."
    assert plain_summary(body, allow_html=True) == "Hello world & more."


@pytest.mark.parametrize("body, shown", [
    ('Plan <script>var token = "abc123";</script> <style>.x{color:red}</style> ready.', "Plan ready."),
    ("x <iframe>inner</iframe> y <b>bold</b> 1 < 2", "x y bold 1 < 2"),
    ("Plan <script>opened here\n\nand closed in the next paragraph</script> after.", "Plan after."),
    ("Code `<script>as written</script>` stays.\n\n```\n<style>too</style>\n```", "Code <script>as written</script> stays. <style>too</style>"),
    ("Plan <template>hidden <template>inner</template> still hidden</template> ready.", "Plan ready."),
    ("<template>\n\nhidden across blocks\n\n</template>\n\nShown.", "Shown."),
    ("Alpha <template-card>Visible words</template-card> omega.", "Alpha Visible words omega."),
])
def test_a_summary_leaves_out_an_element_written_inline_with_what_it_holds(body, shown, tmp_path):
    """allow_html = true: a `<script>` or `<style>` written inside a paragraph is left out of the page with
    what it holds, but the meta description and the search index kept its text ("Plan var token =
    "abc123"; .x{color:red} ready."): its tags are inline tokens of their own, and the text between
    them was read as text. The summary now reads them as the page does."""
    assert plain_summary(body, allow_html=True) == shown
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": "allow_html = true\n", "content/teams/co.md": "---\ntitle: Co\n---\n",
        "content/objectives/launch.md": f"---\ntitle: Launch\nperiod: 2026-Q4\nowner: co\nkey_results:\n  - {{title: x, done: false}}\n---\n{body}\n"})
    assert build(root, tmp_path / "out").ok
    page = (tmp_path / "out/objectives/launch/index.html").read_text(encoding="utf-8")
    described = html_module.unescape(re.search(r'<meta name="description" content="([^"]*)"', page)[1])
    assert described.endswith(shown)
    index = (tmp_path / "out/search/index.js").read_text(encoding="utf-8")
    for hidden in ("abc123", "color:red", "inner", "closed in the next", "hidden"):
        assert hidden not in described and hidden not in index


def test_a_heading_id_and_a_table_label_leave_out_what_the_page_leaves_out():
    """allow_html = true: a `<script>` or `<style>` written in a heading or a table's header row is left out
    of the page with what it holds, but its text still made the heading's id ("plan-var-token--abc123-now")
    and the table's label ("Table: Region .k{color:red}, Q1")."""
    body = '## Plan <script>var token = "abc123";</script> now\n\n| Region <style>.k{color:red}</style> | Q1 |\n|---|---|\n| EU | 3 |\n'
    out = html(body, allow_html=True)
    assert 'id="plan--now"' in out and 'aria-label="Table: Region, Q1"' in out  # "Plan  now": a hyphen a space, as GitHub's ids
    assert "abc123" not in out and "color:red" not in out
    assert 'id="plan-bold-now"' in html("## Plan <b>bold</b> now\n", allow_html=True)


def test_a_template_left_open_holds_the_rest_and_a_stray_end_tag_hides_nothing():
    from okrsite.web.markdown import _without_templates

    assert _without_templates("a<template>b<template>c</template>d</template>e") == "ae"
    assert _without_templates("a</template>b") == "ab"
    assert _without_templates('a<template id="x">b') == "a"


def nested_list(levels: int) -> str:
    return "START\n\n" + "".join("  " * n + f"- level{n}\n" for n in range(levels)) + "\nEND MARK paragraph after the list.\n"


def test_a_list_nested_ten_levels_deep_loses_none_of_the_body():
    """QA: markdown-it's commonmark preset stops at 20 blocks deep: a list 11 levels deep showed level0
    to level8, and nothing of the body after it."""
    shown = html(nested_list(11))
    assert "<li>level9" in shown and "<li>level10" in shown and "END MARK paragraph after the list." in shown
