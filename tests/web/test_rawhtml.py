"""Raw HTML kept inert (web/rawhtml.py): a body's HTML cannot reach the page after it."""

from __future__ import annotations

import pytest

from okrsite.web.rawhtml import keep_inert

# A browser reads the text after an unclosed one of these into it, to the end of the page.
SWALLOWING = ["select", "textarea", "title", "noscript", "xmp", "template", "option", "optgroup", "noembed", "iframe"]


@pytest.mark.parametrize("tag", SWALLOWING)
def test_an_element_left_open_is_closed_at_the_end_of_the_text(tag):
    kept = keep_inert(f"<p>The <{tag}> for regions confused people.</p>")
    assert kept.count(f"<{tag}>") == kept.count(f"</{tag}>")
    assert kept.endswith("</p>")


def test_each_element_left_open_is_closed_innermost_first():
    assert keep_inert("<div><b>bold <i>both") == "<div><b>bold <i>both</i></b></div>"


def test_a_closing_tag_closes_what_was_opened_inside_it():
    """Left open, a browser carries an `<i>` on into the text after the `</b>`, and after the body."""
    assert keep_inert("<b><i>x</b>y</i>z") == "<b><i>x</i></b>yz"


def test_a_closing_tag_of_nothing_the_text_opened_is_left_out():
    assert keep_inert("Done.</div></main><p>x</p></footer>") == "Done.<p>x</p>"


def test_an_element_written_as_self_closing_is_closed_at_once():
    """HTML reads `<div/>` as `<div>`: it would hold the rest of the page."""
    assert keep_inert('<div/>after<br/><svg><circle r="1"/></svg>') == '<div></div>after<br/><svg><circle r="1"></circle></svg>'


def test_a_second_body_gives_the_page_none_of_its_attributes():
    """`<body hidden>` in a body would hide the whole page: a browser adds its attributes to the page's own."""
    assert keep_inert("<html lang=x><body hidden>text</body></html>") == "text"
