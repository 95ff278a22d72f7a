from okrsite.goals.characters import is_stray, retyped, unseen_problem


def test_a_character_left_out_between_two_spaces_leaves_one_space():
    """QA DT 5: `"Escaped \\uFFFE title"` was to be retyped as 'Escaped  title', two spaces."""
    assert unseen_problem("Escaped \ufffe title", "it", ".md", is_stray)[1] == "retype it as 'Escaped title'"
    assert retyped("Nonchar \ufffe \uffff \U0010ffff") == "Nonchar"
    assert retyped("Seats\ufdd0 \u00a0sold") == "Seats  sold", "two spaces written stay two"
    assert retyped("Next\x85line") == "Next line"
