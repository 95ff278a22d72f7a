"""`[[id]]` links found in bodies: the pattern's shortcut for plain bodies agrees with the parser."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings, strategies as st

from okrsite.goals.wikilinks import MAX_NESTING, backslashed, find_wikilinks, heading_title, plain_wikilinks, too_deep, wikilink_targets

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


# A plain page without a title takes its body's first `# heading` (as in MkDocs).

@pytest.mark.parametrize("body, title", [
    ("# Frequently asked questions\n\nSome text.\n", ("Frequently asked questions", 0)),
    ("\n  \n# The *big* `plan` #\ntext", ("The big plan", 2)),  # blank lines above; its Markdown and closing #s are not words
    ("# Fish &amp; chips \\*\n", ("Fish & chips *", 0)),
    ("# About [[grow]] and [[k1|the KR]]\n", ("About [[grow]] and [[k1|the KR]]", 0)),  # as written: a public view unlinks it
    ("# See [the docs][d]\n\n[d]: https://example.com\n", ("See the docs", 0)),
    ("   # Indented a little\n", ("Indented a little", 0)),
])
def test_a_body_that_opens_with_a_level_1_heading_gives_its_text(body, title):
    assert heading_title(body) == title


@pytest.mark.parametrize("body", [
    "", "\n\n", "Some text.\n\n# Later heading\n", "## A level-2 heading\n", "#hashtag\n", "#\n\ntext", "#   #\n",
    "    # a code block\n", "Setext heading\n==============\n", "<!-- note -->\n# Heading\n", "# \u200b\n",
])
def test_a_body_that_opens_otherwise_gives_none(body):
    assert heading_title(body) is None


def test_a_private_id_is_unlinked_in_any_case_with_an_anchor_or_an_empty_label():
    """A commit message is not checked: `[[SECRET]]`, `[[secret#plan]]` and `[[secret|]]` showed the
    private objective's id on the public Changes page and feed."""
    from okrsite.goals.wikilinks import unlinked

    said = [unlinked(text, {"secret"}, "a private objective") for text in
            ("upd [[SECRET]]", "[[Secret|the deal]]", "[[secret#plan]]", "[[secret|]]", "[[ secret ]] and [[other]]")]
    assert said == ["upd a private objective", "a private objective", "a private objective", "a private objective",
                    "a private objective and [[other]]"]


@pytest.mark.parametrize("text, said", [
    ("Lost focus to [the deal](secret.md).", "Lost focus to the deal."),
    ("[kf](../2026-q4/Secret.md#kr1 \"title\") and [ok](other.md)", "kf and [ok](other.md)"),
    ("![chart](../objectives/secret/index.html)", "chart"),
    ("see <https://okrs.example/objectives/secret/> or <b>this</b>", "see a private objective or <b>this</b>"),
    ("a [deal][s] and [S] and [s][]\n\n[s]: <secret.md> \"t\"\nafter", "a deal and S and s\n\nafter"),
    ("[secret](secretive.md) [x](secret-plan/) 3 < 4", "[secret](secretive.md) [x](secret-plan/) 3 < 4"),
    ("[the\n  deal](secret.md) and [the [big] one](secret.md)", "the\n  deal and the [big] one"),  # review 33: wrapped, nested
    ("[a](x.md)\n\n[b](secret.md)", "[a](x.md)\n\nb"),
    ("[v14](secret&#46;md) [v15](secret\\.md) [v16](Secret.MD)", "v14 v15 v16"),  # QA BD: escaped spellings
    ("note: [w13](secr…", "note: w13…"),  # QA BD: a link cut short by a note's length
    ("N4 [k]: secret.md", "N4 [k]: a private objective"),  # QA BG: a definition mid-line, an address as text
    ("see ../objectives/secret/ and secret alone, 5/10 done, ../x/y.md", "see a private objective and secret alone, 5/10 done, ../x/y.md"),
    # QA CM: another site's address is no link to a private objective, whatever its last part; its page or file on any host is
    ("[board](https://bi.example.com/dashboards/secret), <//bi.example.com/secret?x=1> and https://bi.example.com/secret.html",
     "[board](https://bi.example.com/dashboards/secret), <//bi.example.com/secret?x=1> and https://bi.example.com/secret.html"),
    ("[f](https://git.example/g/blob/main/content/objectives/Secret.md) and //okrs.example/objectives/secret/index.html",
     "f and a private objective"),
    # QA DO: dot segments, doubled slashes and a part's parameters, as a browser or a server reads them
    ("[A](https://okrs.example.com/objectives/x/../secret/) [B](../../objectives/secret/./) [C](https://okrs.example.com//objectives//secret//)",
     "A B C"),
    ("[a17](https://okrs.example.com/objectives/secret;x) [d](./x/../secret.md) and ../../objectives/x/../secret/ too",
     "a17 d and a private objective too"),
    ("[up](../objectives/secret/..) [kept](https://bi.example.com/secret/../objectives/other/)",
     "[up](../objectives/secret/..) [kept](https://bi.example.com/secret/../objectives/other/)"),
])
def test_a_markdown_link_to_a_private_objective_is_its_words_alone(text, said):
    """QA AX: a text shown as written (okrs.json's retro, a note) kept `[the deal](secret.md)`, the
    private objective's file name. Its file or page, by the address's last part, in any form."""
    from okrsite.goals.wikilinks import unlinked

    assert unlinked(text, {"secret"}, "a private objective") == said


def test_a_link_by_a_private_file_s_name_that_is_a_public_id_is_kept():
    """Review 33: a private `old/growth.md` (id growth-2026) made `[growth](growth.md)`, a link to the
    public `growth`, "growth" alone: a file's name counts only when it is no objective's id."""
    from okrsite.goals.wikilinks import Hidden, others_than, unlinked

    files = others_than({"growth", "vault"}, {"Growth", "plan-b"})
    assert files == {"vault"}
    said = unlinked("[[growth]] [g](growth.md) [v](vault.md) [[vault]]", Hidden.of({"plan-b"}, files), "a private objective")
    assert said == "[[growth]] [g](growth.md) v [[vault]]", "a file's name is no id: [[vault]] is no link to it"


def test_an_empty_label_is_a_link_with_the_title_not_text_left_as_written():
    """`[[grow|]]` was left as written in the page (a private id with it), and no check saw it."""
    from okrsite.goals.wikilinks import find_wikilinks

    assert list(find_wikilinks("See [[grow|]] and [[other]].")) == [(0, "grow"), (0, "other")]


@pytest.mark.parametrize(("markdown_read", "meant"), [("....\\img\\a.png", "../../img/a.png"), ("......\\img\\a.png", "../../../img/a.png"),
                                                      ("..\\img\\a.png", "../img/a.png"), ("...\\img\\a.png", None), ("img\\....\\a.png", None)])
def test_a_backslashed_path_is_told_the_path_to_write(markdown_read, meant):
    """QA DM: `..\\..\\img\\a.png`, read by Markdown as '....\\img\\a.png', was told a fixed '../img/chart.png'."""
    written, hint = backslashed(markdown_read)
    assert written == markdown_read
    assert hint.startswith(f"write '/' between folders, as on every system: '{meant}'" if meant else
                           "write '/' between folders, as on every system (e.g. '../img/chart.png')")


def test_a_body_nested_too_deeply_is_found_at_the_line_whose_text_is_lost():
    levels = MAX_NESTING // 2  # a list and its item are a block each
    body = "START\n\n" + "".join("  " * n + f"- level{n}\n" for n in range(levels)) + "\nEND\n"
    assert too_deep(body) == 2 + levels - 1
    assert too_deep(body.replace(f"- level{levels - 1}\n", "")) is None
    assert too_deep("> " * (MAX_NESTING - 1) + "quoted") == 0
    assert too_deep("> " * (MAX_NESTING - 2) + "quoted") is None
