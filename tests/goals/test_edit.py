"""Surgical check-in edits: one line changes (or one is added), and only that value, in any file style."""

from __future__ import annotations

import difflib
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from okrsite.goals.edit import EditError, add_csv_value, add_kpi_value, set_kr_value, yaml_number
from okrsite.goals.load import decode, front_data, split_front_matter

TITLES = st.sampled_from(["Grow revenue", "Cut churn: fast", "Ship #1", "Über KPI", "say \"hi\"", "it's done"])
NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)))


def _scalar(draw, text: str) -> str:
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "plain" and not any(c in text for c in ":#\"'") and not text[0].isdigit():
        return text
    if style == "single" or '"' in text:
        return "'" + text.replace("'", "''") + "'"
    return '"' + text + '"'


@st.composite
def objective_files(draw):
    """(text, number of KRs) of a valid objective file: block or flow key results, comments, quotes, CRLF."""
    count = draw(st.integers(1, 4))
    lines = ["---", f"title: {_scalar(draw, draw(TITLES))}" + draw(st.sampled_from(["", "  # the why"])), "period: 2026-Q4", "owner: sales"]
    if draw(st.booleans()):
        lines.append("# key results below")
    flow_list = draw(st.booleans())
    items = []
    for _ in range(count):
        start = draw(NUMBERS)
        target = start + draw(st.integers(1, 1000)) * draw(st.sampled_from([1, -1]))
        keys = [("title", _scalar(draw, draw(TITLES))), ("start", yaml_number(start)), ("target", yaml_number(target))]
        if draw(st.booleans()):
            keys.append(("current", yaml_number(draw(NUMBERS))))
        if draw(st.booleans()):
            keys.append(("unit", _scalar(draw, "customers")))
        keys = draw(st.permutations(keys))
        items.append(keys)
    if flow_list:
        lines.append("key_results: [" + ", ".join("{" + ", ".join(f"{k}: {v}" for k, v in item) + "}" for item in items) + "]")
    else:
        lines.append("key_results:")
        indent = draw(st.sampled_from([2, 4]))
        for item in items:
            if draw(st.booleans()):
                lines.append(" " * (indent - 2) + "- {" + ", ".join(f"{k}: {v}" for k, v in item) + "}" + draw(st.sampled_from(["", " # flow"])))
            else:
                for n, (k, v) in enumerate(item):
                    lead = " " * (indent - 2) + "- " if n == 0 else " " * indent
                    lines.append(f"{lead}{k}: {v}" + draw(st.sampled_from(["", "   # note"])))
    lines += ["---", "Body text.", ""]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines), count


def _meta(text: str):
    return front_data(split_front_matter(decode(text.encode()))[0])


@settings(max_examples=300, deadline=None)
@given(objective_files(), st.data())
def test_checkin_changes_one_line_and_only_current(case, data):
    text, count = case
    index = data.draw(st.integers(0, count - 1))
    value = data.draw(NUMBERS)
    edited = set_kr_value(text, index, "numeric", value)
    old_lines, new_lines = text.split("\n"), edited.split("\n")
    changed = [line for line in difflib.ndiff(old_lines, new_lines) if line[:1] in "+-"]
    assert len(new_lines) in (len(old_lines), len(old_lines) + 1)
    same = _meta(text)["key_results"][index].get("current") == value
    assert len([c for c in changed if c[0] == "+"]) == (0 if same else 1) and len([c for c in changed if c[0] == "-"]) <= 1
    if "\r\n" in text:
        assert all(line.endswith("\r") for line in new_lines[:-1])
    expected = _meta(text)
    expected["key_results"][index]["current"] = value
    assert _meta(edited) == expected
    assert edited.split("---")[-1] == text.split("---")[-1]  # the body is untouched


def test_adds_current_after_target_at_its_indent():
    text = "---\ntitle: T\nkey_results:\n  - title: A\n    target: 10  # goal\n    unit: x\n---\n"
    assert set_kr_value(text, 0, "numeric", 4) == text.replace("# goal\n", "# goal\n    current: 4\n")


@pytest.mark.parametrize("above", ["\n", "\n  \n\n", "\r\n\r\n"])
def test_empty_lines_above_the_front_matter_stay(above):
    text = above + "---\ntitle: T\nkey_results:\n  - title: A\n    target: 10\n    current: 2\n---\n"
    if "\r" in above:
        text = text.replace("\n", "\r\n").replace("\r\r", "\r")
    assert set_kr_value(text, 0, "numeric", 4) == text.replace("current: 2", "current: 4")
    newline = "\r\n" if "\r" in above else "\n"
    without = text.replace("    current: 2" + newline, "")
    assert set_kr_value(without, 0, "numeric", 4) == text.replace("current: 2", "current: 4")


@pytest.mark.parametrize("newline", ["\r", "mixed"])
def test_a_file_with_old_mac_line_ends_is_checked_in_to_keeping_them(newline):
    """QA DC: check and build read a lone-CR file, and checkin refused it though docs/checkins.md says
    a file check accepts can be checked in to. Every line keeps its own end; an added one takes the end
    of the line above it."""
    lines = ["---", "title: T", "key_results:", "  - title: A", "    target: 10", "    current: 2", "---", "Body", ""]
    ends = ["\r"] * 8 if newline == "\r" else ["\r", "\n", "\r\n", "\r", "\r", "\n", "\r\n", "\r"]
    text = "".join(line + end for line, end in zip(lines, ends))
    assert set_kr_value(text, 0, "numeric", 4) == text.replace("current: 2", "current: 4")
    without = text.replace("    current: 2" + ends[5], "")
    assert set_kr_value(without, 0, "numeric", 4) == without.replace("target: 10" + ends[4], "target: 10" + ends[4] + "    current: 4" + ends[4])
    kpi = "---\rtitle: K\rvalues:\r  - {date: 2026-10-31, value: 4}\r---\r"
    assert add_kpi_value(kpi, date(2026, 11, 30), 5) == kpi.replace("4}\r", "4}\r  - {date: 2026-11-30, value: 5}\r")


def test_a_csv_with_old_mac_line_ends_is_checked_in_to_keeping_them():
    assert add_csv_value("date,value\r2026-10-01,3\r", date(2026, 11, 1), 4) == "date,value\r2026-10-01,3\r2026-11-01,4\r"
    assert add_csv_value("date,value\r2026-10-01,3\r", date(2026, 10, 1), 4) == "date,value\r2026-10-01,4\r"
    with pytest.raises(EditError, match="mixes line breaks of old Mac OS"):
        add_csv_value("date,value\r2026-10-01,3\n", date(2026, 11, 1), 4)


def test_milestone_and_estimate_set_their_own_key():
    text = "---\ntitle: T\nkey_results:\n  - {title: A, done: false}\n  - title: B\n    progress: 0.2\n---\n"
    assert "done: true}" in set_kr_value(text, 0, "binary", True)
    assert "progress: 0.6\n" in set_kr_value(text, 1, "manual", 0.6)


def test_bom_and_alias_and_missing_item():
    text = "\ufeff---\ntitle: T\nkey_results:\n  - {title: A, target: 3, current: 1}\n---\n"
    assert set_kr_value(text, 0, "numeric", 2).startswith("\ufeff---\n")
    with pytest.raises(EditError):
        set_kr_value(text, 3, "numeric", 2)
    aliased = "---\nbase: &b 1\nkey_results:\n  - {title: A, target: 3, current: *b}\n---\n"
    with pytest.raises(EditError, match="alias"):
        set_kr_value(aliased, 0, "numeric", 2)


@pytest.mark.parametrize("values, added", [
    ("values:\n  - {date: 2026-10-31, value: 4}\n", "values:\n  - {date: 2026-10-31, value: 4}\n  - {date: 2026-11-30, value: 5}\n"),
    ("values:\n- date: 2026-10-31\n  value: 4\n", "values:\n- date: 2026-10-31\n  value: 4\n- date: 2026-11-30\n  value: 5\n"),
    ("values: [{date: 2026-10-31, value: 4}]\n", "values: [{date: 2026-10-31, value: 4}, {date: 2026-11-30, value: 5}]\n"),
    ("values: []\n", "values: [{date: 2026-11-30, value: 5}]\n"),
    ("", "values:\n  - {date: 2026-11-30, value: 5}\n"),
    ("values:\n  - {date: 2026-11-30, value: 4}  # first\n", "values:\n  - {date: 2026-11-30, value: 5}  # first\n"),
])
def test_kpi_value_in_the_lists_own_style(values, added):
    head = "---\ntitle: K\nowner: x\n"
    for newline in ("\n", "\r\n"):
        text = (head + values + "---\nBody\n").replace("\n", newline)
        assert add_kpi_value(text, date(2026, 11, 30), 5) == (head + added + "---\nBody\n").replace("\n", newline)


def test_csv_value_appended_or_replaced_in_its_line_endings():
    assert add_csv_value("date,value\r\n2026-10-01,3\r\n", date(2026, 11, 1), 4) == "date,value\r\n2026-10-01,3\r\n2026-11-01,4\r\n"
    assert add_csv_value("date,value\n2026-10-01,3", date(2026, 11, 1), 4.5) == "date,value\n2026-10-01,3\n2026-11-01,4.5\n"
    assert add_csv_value("date,value\n2026-10-01,3\n", date(2026, 10, 1), 4) == "date,value\n2026-10-01,4\n"


def test_a_check_in_is_refused_into_a_csv_left_in_a_merge_conflict():
    with pytest.raises(EditError) as refused:
        add_csv_value("date,value\n<<<<<<< HEAD\n2026-10-01,3\n=======\n2026-10-01,4\n>>>>>>> other\n", date(2026, 11, 1), 5)
    assert str(refused.value).startswith("the CSV file has a problem on line 2: unresolved merge conflict")


@pytest.mark.parametrize("end", ["\n\n", "\n\n\n", "\n \n", "\r\n\r\n"])
def test_csv_value_goes_right_after_the_last_row_not_after_empty_lines_at_the_end(end):
    """A CSV file that ends with empty lines (as spreadsheets and editors leave it) got the new row
    after them, a gap in the middle of the file; it goes after the last row, the empty lines below it."""
    newline = "\r\n" if "\r" in end else "\n"
    text = f"date,value{newline}2026-10-01,3" + end
    assert add_csv_value(text, date(2026, 11, 1), 4) == f"date,value{newline}2026-10-01,3{newline}2026-11-01,4{newline}" + end.removeprefix(newline)


def test_numbers_read_back_exactly():
    for value in (45, 4.5, -0.25, 1e-05, 123456789.125):
        assert float(__import__("yaml").safe_load(yaml_number(value))) == value


@pytest.mark.parametrize("written, expected", [
    ("    keep_above: 99.9\n    current: 99.8\n", "    keep_above: 99.9\n    current: 99.95\n"),
    ("    keep_above: 99.9  # the line\n", "    keep_above: 99.9  # the line\n    current: 99.95\n"),
    ("    keep_below: 2.5\n    history:\n      - {date: 2026-11-02, value: 2.1}\n",
     "    keep_below: 2.5\n    current: 99.95\n    history:\n      - {date: 2026-11-02, value: 2.1}\n"),
])
def test_a_guardrail_takes_current_like_a_numeric_key_result(written, expected):
    """`okrsite checkin o 2 99.95` on a guardrail crashed with KeyError: 'guardrail' (SPEC §12: it takes
    `current:` as a numeric key result does); without one, it goes right after its keep_above/keep_below."""
    text = "---\ntitle: T\nkey_results:\n  - title: Keep it up\n" + written + "---\n"
    assert set_kr_value(text, 0, "guardrail", 99.95) == text.replace(written, expected)
    flow = "---\ntitle: T\nkey_results:\n  - {title: Keep it up, keep_above: 99.9}\n---\n"
    assert set_kr_value(flow, 0, "guardrail", 99.95) == flow.replace("99.9}", "99.9, current: 99.95}")


def test_a_form_the_edit_does_not_know_is_refused_in_words():
    text = "---\ntitle: T\nkey_results:\n  - {title: A, target: 3}\n---\n"
    with pytest.raises(EditError, match="cannot be checked in"):
        set_kr_value(text, 0, "sparkline", 2)


@pytest.mark.parametrize("front", [
    "title: T\nkey_results:\n  - title: A\n    target: 10\n    current:\t7\n",
    "title:\tT\nkey_results:\n  - title: A\n    target: 10\n    current: 7\n",
    "title: T\nkey_results:\n  - title: A\n    target: 10\t\n    current: 7\n",
    "title: T\nkey_results:\n  - title: A\n    target:\t10\n",
])
def test_a_tab_after_a_value_that_check_reads_is_read_by_the_edit_too(front):
    text = f"---\n{front}---\nBody\n"
    assert front_data(split_front_matter(text)[0]) is not None  # what check reads
    edited = set_kr_value(text, 0, "numeric", 8)
    added = [line for line in edited.splitlines() if line not in text.splitlines()]
    removed = [line for line in text.splitlines() if line not in edited.splitlines()]
    assert added in (["    current:\t8"], ["    current: 8"]) and len(removed) <= 1
    assert front_data(split_front_matter(edited)[0])["key_results"][0]["current"] == 8


@pytest.mark.parametrize("written, value", [("1_000", 1000), ("45.0", 45), ("1e3", 1000), ("+7", 7)])
def test_a_value_the_file_holds_spelled_otherwise_leaves_the_text_as_it_is(written, value):
    """QA EB 1: `current: 1_000` checked in as 1000 was rewritten `current: 1000` and committed as
    "1,000 → 1,000": the value is compared as the number YAML reads, as docs/checkins.md promises."""
    text = f"---\ntitle: T\nkey_results:\n  - title: A\n    target: 5_000\n    current: {written}\n  - {{title: B, target: 9, current: {written}}}\n---\n"
    assert set_kr_value(text, 0, "numeric", value) == text
    assert set_kr_value(text, 1, "numeric", float(value)) == text
    kpi = f"---\ntitle: K\nvalues:\n  - {{date: 2026-12-04, value: {written}}}\n  - date: 2026-12-05\n    value: {written}\n---\n"
    assert add_kpi_value(kpi, date(2026, 12, 4), value) == kpi
    assert add_kpi_value(kpi, date(2026, 12, 5), value) == kpi
    assert add_csv_value("date,value\n2026-12-04,1000.0\n", date(2026, 12, 4), 1000) == "date,value\n2026-12-04,1000.0\n"
    assert "current: 46\n" in set_kr_value(text.replace(written, "45.0"), 0, "numeric", 46)


def test_a_number_is_not_already_a_milestone_s_true():
    text = "---\ntitle: T\nkey_results:\n  - {title: A, done: true}\n  - {title: B, target: 3, current: true}\n---\n"
    assert set_kr_value(text, 0, "binary", True) == text
    assert set_kr_value(text, 1, "numeric", 1) != text


ANCHORED = """---
title: Anchors
period: 2026-Q4
owner: company
key_results:
  - title: First
    target: &t 100
    current: &c 40
  - title: Second
    target: *t
    current: *c
---
"""


def test_a_value_an_anchor_shares_is_refused_at_its_line_with_who_else_uses_it():
    """QA EB 4: "okrsite could not change this file safely ... please report the file's shape", with
    no line and no reason, for a `current:` whose anchor another key result's alias uses."""
    with pytest.raises(EditError) as first:
        set_kr_value(ANCHORED, 0, "numeric", 50)
    assert first.value.line == 8
    assert first.value.message == "'current' of key result 1 is the anchor &c, which key result 2 also uses (line 11): a check-in would change both"
    assert "write 40 in place of *c" in first.value.hint and "report" not in first.value.hint
    with pytest.raises(EditError) as second:
        set_kr_value(ANCHORED, 1, "numeric", 60)
    assert second.value.line == 11
    assert second.value.message == "'current' of key result 2 is written with the YAML alias *c, which stands for the value of key result 1 (line 8)"


def test_a_key_result_written_as_an_alias_of_another_is_refused_not_changed_with_it():
    """`- *kr` repeats key result 1: a check-in to either would change both (the copy the edit is
    checked against kept the two one, so it passed)."""
    text = "---\ntitle: T\nkey_results:\n  - &kr\n    title: US\n    target: 100\n  - *kr\n---\n"
    with pytest.raises(EditError, match=r"key result 1 is the anchor &kr, which key result 2 also uses \(line 7\)") as first:
        set_kr_value(text, 0, "numeric", 7)
    assert first.value.line == 4
    with pytest.raises(EditError, match=r"key result 2 is written as the YAML alias \*kr of key result 1 \(line 4\)") as second:
        set_kr_value(text, 1, "numeric", 7)
    assert second.value.line == 7


@pytest.mark.parametrize("text, index, added", [
    (ANCHORED.replace("    current: *c\n", ""), 1, "    target: *t\n    current: 4\n---"),
    ("---\ntitle: T\nkey_results:\n  - {title: A, target: &t 5}\n  - {title: B, target: *t}\n---\n", 1, "{title: B, target: *t, current: 4}"),
    ("---\ntitle: T\nkey_results:\n  - title: A\n    target: &t 5\n  - title: B\n    target:\n      *t\n---\n", 1, "      *t\n    current: 4\n---"),
    ("---\ntitle: T\nkey_results:\n  - &seats {title: US, start: 0, target: 100}\n  - {<<: *seats, title: EU}\n---\n", 1, "{<<: *seats, title: EU, current: 4}"),
])
def test_a_current_is_added_after_a_target_written_as_an_alias(text, index, added):
    """QA EB 4: a key result whose target is `*t` was refused ("'target' is written with a YAML alias"),
    though adding its `current:` changes no anchor."""
    assert added in set_kr_value(text, index, "numeric", 4)


@pytest.mark.parametrize("text, added", [
    ('---\n{"title": "JSON style", "period": "2026-Q4",\n "key_results": [{"title": "A", "target": 5}]}\n---\n', '{"title": "A", "target": 5, "current": 2}'),
    ("---\ntitle: T\nkey_results:\n  - 'title': A\n    'target': 5\n---\n", "    'target': 5\n    'current': 2\n"),
    ('---\ntitle: T\nkey_results:\n  - {"title": A, target: 5}\n---\n', '{"title": A, target: 5, current: 2}'),
])
def test_the_added_key_is_quoted_as_every_key_of_its_mapping_is(text, added):
    """QA EB 7: `current: 2` was added unquoted among JSON-style quoted keys."""
    assert added in set_kr_value(text, 0, "numeric", 2)
