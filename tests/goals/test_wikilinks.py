"""`[[id]]` links found in bodies: the pattern's shortcut for plain bodies agrees with the parser."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from okrsite.goals.wikilinks import find_wikilinks, plain_wikilinks, wikilink_targets

PIECES = st.sampled_from([
    "[[grow]]", "[[ grow ]]", "[[a|label]]", "[[", "]]", "[", "]", "(x)", "word", " ", "  ", "    ", "\n", "\n\n", "- ", "1. ", "# ",
    "> ", "*", "_", "**", "`", "```", "~~~", "\\", "<b>", "<http://x>", "|", "---", "===", "!", "![", "&#91;", "\t", "\r", "\x00", ":", "\u2028",
    "\xa0", "\x0b", "\u3000", "1) ", "+ ", "[[a|-]]", "[[b|c|d]]", "[[a*b]]", "[[a]](x)", "[[x]]:", " #", "\n- ", "\n> ", "\n  ",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=24).map("".join))
@example("Text, see [[obj-01166]].\n\n- a [[x]] item\n  continued [[y]]\n\n# [[h]]\n> quoted\n[[q]]")
@example("[[a]]\n===\n[[b]]")
def test_a_plain_body_gives_what_the_parser_gives(body):
    plain = plain_wikilinks(body)
    if plain is not None:
        assert plain == tuple(find_wikilinks(body))


def test_the_shortcut_takes_plain_bodies_and_leaves_the_rest_to_the_parser():
    assert plain_wikilinks("We lose deals, see [[obj-1]].\n\n- one\n- two [[kpi-2|the KPI]]\n") == ((0, "obj-1"), (3, "kpi-2"))
    for body in ("`[[a]]`", "    [[a]]", "> -     [[a]]", "\\[[a]]", "[x]([[a]])", "| [[a]] |", "<[[a]]>", "- \u2028\n[[a]]"):
        assert plain_wikilinks(body) is None
        assert wikilink_targets(body) == tuple(find_wikilinks(body))
