"""How numbers are written: full or compact, currency signs before the number, "1 incident"."""

import pytest
from hypothesis import example, given, strategies as st

from okrsite.goals.formats import clean_text, format_change, isolated, format_grade, format_number, format_percent, format_ratio, is_currency, round_half_up, singular


@pytest.mark.parametrize("value, unit, text", [
    (46500, "USD", "46,500 USD"), (4.2, "%", "4.2%"), (1234567.891, None, "1,234,567.89"), (-1e-12, None, "0"),
    (24_300_000, "$", "$24,300,000"), (1200, "€", "€1,200"), (-1200, "€", "-€1,200"), (9.5, "£", "£9.5"),
    (1e15, None, "1,000,000,000,000,000"), (None, "USD", "–"), (float("nan"), None, "–"),
])
def test_full_numbers(value, unit, text):
    assert format_number(value, unit) == text


@pytest.mark.parametrize("value, unit, text", [
    (24_300_000, None, "24.3M"), (24_300_000, "$", "$24.3M"), (4120, None, "4,120"), (9_999, "$", "$9,999"),
    (10_000, None, "10k"), (12_345, None, "12.3k"), (520_400, "USD", "520.4k USD"), (1_200_000_000, "¥", "¥1.2B"),
    (3e12, None, "3T"), (1e15, None, "1,000T"), (999_960, None, "1M"), (999_949, None, "999.9k"),
    (-24_300_000, "$", "-$24.3M"), (-12_345, None, "-12.3k"), (-4120, "€", "-€4,120"), (4.2, "%", "4.2%"),
    (1_240_000, "%", "1.2M%"), (31_000, "customers", "31k customers"), (None, "$", "–"),
])
def test_compact_numbers(value, unit, text):
    assert format_number(value, unit, "compact") == text


@pytest.mark.parametrize("unit, prefix", [
    ("$", True), ("€", True), ("£", True), ("¥", True), ("₹", True), ("US$", True), ("R$", True),
    ("USD", False), ("EUR", False), ("%", False), ("ms", False), ("$ per seat", False), ("dollars", False),
])
def test_currency_signs_go_before_the_number(unit, prefix):
    assert is_currency(unit) is prefix
    assert format_number(5, unit).startswith(unit) is prefix


@pytest.mark.parametrize("unit, shown, compact, change", [
    ("$/quarter", "$1,600,000/quarter", "$1.6M/quarter", "$1,200,000 → $1,600,000/quarter"),
    ("$ per seat", "$1,600,000 per seat", "$1.6M per seat", "$1,200,000 → $1,600,000 per seat"),
    ("US$/mo", "US$1,600,000/mo", "US$1.6M/mo", "US$1,200,000 → US$1,600,000/mo"),
])
def test_money_per_something_writes_the_sign_before_and_the_rate_after(unit, shown, compact, change):
    """QA BM: `> $1.2M/quarter` showed values as "$1,600,000", its rate dropped."""
    assert (format_number(1_600_000, unit), format_number(1_600_000, unit, "compact"), format_change(1_200_000, 1_600_000, unit)) == (shown, compact, change)


@pytest.mark.parametrize("unit, shown, change", [
    ("$M", "$101M", "$95.3M → $101M"), ("€k", "€101k", "€95.3k → €101k"), ("US$bn", "US$101bn", "US$95.3bn → US$101bn"),
    ("M", "101 M", "95.3 → 101 M"), ("k users", "101 k users", "95.3 → 101 k users"),
])
def test_a_currency_counted_in_a_magnitude_is_written_around_the_number(unit, shown, change):
    """QA AR: `unit: $M` (docs/kpis.md: values such as 95.3) showed "101 $M"."""
    assert format_number(101, unit) == shown and format_change(95.3, 101, unit) == change


@pytest.mark.parametrize("unit, one", [
    ("incidents", "incident"), ("days", "day"), ("hours", "hour"), ("logos", "logo"), ("new logos", "new logo"),
    ("case studies", "case study"), ("entries", "entry"), ("processes", "process"), ("matches", "match"),
    ("boxes", "box"), ("KPIs", "KPI"), ("Customers", "Customer"), ("calories", "calorie"),
    # left alone: abbreviations, no plural, not a word
    ("ms", "ms"), ("hrs", "hrs"), ("kbps", "kbps"), ("fps", "fps"), ("s", "s"), ("class", "class"), ("status", "status"),
    ("analysis", "analysis"), ("series", "series"), ("news", "news"), ("%", "%"), ("USD", "USD"), ("people", "people"),
    ("on-calls", "on-calls"), ("km/h", "km/h"), ("", ""),
    # a rate: what is counted comes before "per"; a unit that starts with it counts nothing to change
    ("incidents per week", "incident per week"), ("errors per 1k requests", "error per 1k requests"),
    ("per 10k queries", "per 10k queries"), ("Per 10k queries", "Per 10k queries"), ("$ per seat", "$ per seat"),
])
def test_singular_of_a_plural_unit(unit, one):
    assert singular(unit) == one


@pytest.mark.parametrize("value, unit, text", [
    (1, "incidents", "1 incident"), (-1, "days", "-1 day"), (1.0, "hours", "1 hour"), (1, "logos", "1 logo"),
    (1.004, "incidents", "1 incident"),  # shown as 1
    (2, "incidents", "2 incidents"), (0, "incidents", "0 incidents"), (1.5, "days", "1.5 days"), (11, "days", "11 days"),
    (1, "ms", "1 ms"), (1, "hrs", "1 hrs"), (1, "kbps", "1 kbps"), (1, "%", "1%"), (1, "$", "$1"), (1, "USD", "1 USD"),
])
def test_one_of_a_plural_unit_is_singular(value, unit, text):
    assert format_number(value, unit) == text


def test_a_change_writes_a_word_unit_once_and_signs_twice():
    assert format_change(19, 30, "logos") == "19 → 30 logos"
    assert format_change(0, 1, "incidents") == "0 → 1 incident"
    assert format_change(4.6, 4.2, "%") == "4.6% → 4.2%"
    assert format_change(19_000_000, 30_000_000, "$", "compact") == "$19M → $30M"
    assert format_change(40_000, 40_500, None) == "40,000 → 40,500"


@pytest.mark.parametrize("value, unit, text", [
    # two significant digits at least: a small value is not rounded away to 0
    (0.0031, None, "0.0031"), (0.0042, "%", "0.0042%"), (0.001, None, "0.001"), (-0.001, None, "-0.001"),
    (0.00314159, "s", "0.0031 s"), (0.05, "$", "$0.05"), (-0.0031, "€", "-€0.0031"), (0.015, None, "0.015"),
    (0.0999, None, "0.1"), (0.000000002, None, "0.000000002"),
    # ordinary numbers as before: two decimals at most
    (0.5, None, "0.5"), (0.123, None, "0.12"), (12.5, "%", "12.5%"), (99.9, None, "99.9"), (1.333333, "s", "1.33 s"),
    (1234, None, "1,234"), (1.004, None, "1"),
    (5e-13, None, "0"),  # float noise left by arithmetic (0.1 * 3 - 0.3) is 0
])
@pytest.mark.parametrize("style", ["full", "compact"])
def test_small_numbers_keep_two_significant_digits(value, unit, text, style):
    assert format_number(value, unit, style) == text


@pytest.mark.parametrize("value, unit, text", [
    (0.0031, None, "0.0031"), (1.333333, "s", "1.333333 s"), (24_300_000, "$", "$24,300,000"), (46500.0, "USD", "46,500 USD"),
    (-1234.5678, None, "-1,234.5678"), (1e-05, "%", "0.00001%"), (1, "incidents", "1 incident"), (0.1 + 0.2, None, "0.30000000000000004"),
    (2e15, None, "2.00e+15"), (None, None, "–"),
])
def test_exact_writes_every_digit_for_tables_of_values(value, unit, text):
    assert format_number(value, unit, "exact") == text


def _read_back(text: str) -> float:
    number = text.replace(",", "")
    scale = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}.get(number[-1], 1)
    return float(number.rstrip("kMBT")) * scale


@example(2.774879039536421e-09, "full")  # was 0.000000003: float noise was taken away at nine decimals, not digits
@given(st.one_of(st.floats(-1e15, 1e15), st.floats(-1, 1)), st.sampled_from(["full", "compact"]))
def test_a_value_is_shown_within_five_percent_and_never_as_0_unless_it_is_noise(value, style):
    """Two significant digits at least (compact: one decimal of k, M, B or T); below 1e-9, float noise, 0."""
    shown = _read_back(format_number(value, None, style))
    if abs(value) < 1e-9:
        assert shown == 0
    else:
        assert shown != 0 and abs(shown - value) <= 0.05 * abs(value)


@given(st.floats(-1e15, 1e15).filter(lambda v: abs(v) >= 1e-9))
def test_exact_reads_back_as_the_value(value):
    assert float(format_number(value, None, "exact").replace(",", "")) == value


@example(-1.658975736411433e-08, "USD", "compact")  # "-0.000000017 USD": 12 characters, a space and the unit
@example(-1.6418477960972949e-09, None, "compact")  # "-0.0000000016": 13 characters
@given(st.floats(-1e15, 1e15), st.sampled_from([None, "$", "%", "USD", "incidents"]), st.sampled_from(["full", "compact"]))
def test_any_value_is_short_and_signed_like_the_value(value, unit, style):
    text, number = format_number(value, unit, style), format_number(value, None, style)
    assert "nan" not in number and "inf" not in number and "e" not in number and number.lstrip("-") in text
    assert text.startswith("-") == (value < 0 and format_number(abs(value), None, style) != "0")
    assert len(number) <= (30 if style == "full" else 13)  # -0.0000000016 (two significant digits just above the noise) is the longest compact one
    assert len(text) <= len(number) + len(" " + unit if unit else "")  # a word unit after a space


# --- What a title, owner, unit or name may hold: no bidi override, isolate or zero-width character

BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]  # embeddings, overrides, isolates
ZERO_WIDTH = ["\u200b", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\ufeff", "\u180e"]
JOINERS = ["\u200c", "\u200d"]
HIDDEN = BIDI + ZERO_WIDTH


@given(st.text(alphabet=st.characters(blacklist_characters=HIDDEN + JOINERS, blacklist_categories=("Cs",))),
       st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(HIDDEN)), max_size=8))
def test_bidi_and_zero_width_characters_never_survive_and_nothing_else_goes(text, inserted):
    spoofed = text
    for at, char in inserted:
        at %= len(spoofed) + 1
        spoofed = spoofed[:at] + char + spoofed[at:]
    assert clean_text(spoofed) == clean_text(text)
    assert not set(clean_text(spoofed)) & set(HIDDEN)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), st.sampled_from(JOINERS), st.text(max_size=30))
def test_a_joiner_stays_only_between_characters_that_join(before, joiner, after):
    cleaned = clean_text(before + joiner + after)
    for at, char in enumerate(cleaned):
        if char in JOINERS:
            assert 0 < at < len(cleaned) - 1 and not cleaned[at - 1].isascii() and not cleaned[at + 1].isascii()


@pytest.mark.parametrize("text, shown", [
    ("Grow \u202eeunever\u202c revenue", "Grow eunever revenue"), ("Ja\u200bne Doe", "Jane Doe"), ("\ufeffUSD", "USD"),
    ("Jane\u200dDoe", "JaneDoe"), ("Zoë\u200cÉmile", "ZoëÉmile"), ("\u2067Ann\u2069", "Ann"),
    ("👩\u200d💻 team", "👩\u200d💻 team"),  # an emoji sequence
    ("🏳\ufe0f\u200d🌈", "🏳\ufe0f\u200d🌈"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # Persian: the non-joiner is spelling
    ("क्\u200dष", "क्\u200dष"),  # Devanagari half form
    ("Sales\u200e (EMEA)", "Sales\u200e (EMEA)"),  # a bidi mark cannot reverse text: it stays
])
def test_what_a_title_keeps(text, shown):
    assert clean_text(text) == shown


@pytest.mark.parametrize("value, percent, grade", [
    (0.625, "63 %", "0.63"), (0.125, "13 %", "0.13"), (0.375, "38 %", "0.38"), (0.695, "70 %", "0.70"),
    (0.285, "29 %", "0.29"), (0.6949, "69 %", "0.69"), (1.2, "120 %", "1.20"), (0.0, "0 %", "0.00"),
])
def test_percents_and_grades_round_a_half_up_as_people_do(value, percent, grade):
    assert (format_percent(value), format_grade(value)) == (percent, grade)


@pytest.mark.parametrize("value, unit, style, text", [
    (0.125, "%", "full", "0.13%"), (4.125, "ms", "full", "4.13 ms"), (2.675, "ms", "full", "2.68 ms"), (0.375, "ms", "full", "0.38 ms"),
    (1.005, None, "full", "1.01"), (-4.125, None, "full", "-4.13"), (0.00125, None, "full", "0.0013"), (0.00995, None, "full", "0.01"),
    (1234.565, "$", "full", "$1,234.57"), (9999.995, None, "compact", "10k"), (12_350, None, "compact", "12.4k"),
    (2_250_000, "$", "compact", "$2.3M"), (0.124, None, "full", "0.12"), (4.1249, None, "full", "4.12"),
])
def test_values_round_a_half_up_as_written(value, unit, style, text):
    """As grades and percents do: 4.125 is 4.13 (round() gives 4.12: the float is 4.12499…, and halves go to even)."""
    assert format_number(value, unit, style) == text


@given(st.integers(10, 10**11))
def test_a_written_half_always_rounds_up(hundredths):
    """Any value from 0.1 written with a 5 in its third decimal shows its two decimals one up."""
    written = float(f"{hundredths // 100}.{hundredths % 100:02d}5")
    up = hundredths + 1
    assert format_number(written, None) == f"{up // 100:,}.{up % 100:02d}".rstrip("0").rstrip(".")


@given(st.floats(-1e15, 1e15), st.integers(0, 3))
def test_round_half_up_is_within_half_a_step_and_never_minus_zero(value, digits):
    rounded = round_half_up(value, digits)
    assert abs(rounded - value) <= 0.5 * 10**-digits + 1e-9 * max(1, abs(value))
    assert str(rounded) != "-0.0"


@given(st.integers(0, 20000))
def test_a_progress_attribute_is_okrs_json_s_number(eighths):
    """data-progress (format_ratio) and okrs.json (round_half_up to 3 decimals) say the same of every
    progress, a half included: 0.3625 is 0.363 in both ('%.3f' gave 0.362)."""
    value = eighths / 8000
    assert float(format_ratio(value)) == round_half_up(value, 3)
    assert format_ratio(0.3625) == "0.363" and format_ratio(1.0) == "1.000"


@pytest.mark.parametrize("value, digits, rounded", [(-0.0625, 3, -0.063), (0.0625, 3, 0.063), (1e20, 3, 1e20), (-0.004, 2, 0.0)])
def test_round_half_up_takes_a_half_away_from_zero(value, digits, rounded):
    assert round_half_up(value, digits) == rounded


def test_a_computed_value_rounds_as_the_decimal_it_stands_for_on_pages_and_in_grades():
    """1.215 - 1.1 is 0.11499999999999999 in binary: the page showed 0.11 while round_half_up (grades,
    okrs.json) gave 0.12; both read it as 0.115 now."""
    value = 1.215 - 1.1
    assert format_number(value) == "0.12" and round_half_up(value, 2) == 0.12


@given(st.floats(min_value=-999_999, max_value=999_999, allow_nan=False), st.integers(min_value=0, max_value=6))
def test_the_float_way_of_rounding_half_up_is_the_decimal_way(value, digits):
    """round_half_up takes a shortcut in floats for the pages' numbers: it must give what the value
    as written, rounded as a decimal, gives (formats._half_up of formats._as_written)."""
    from okrsite.goals import formats

    assert round_half_up(value, digits) == float(formats._half_up(formats._as_written(value), digits)) + 0.0


@pytest.mark.parametrize("value, unit, style, text", [
    (1500, "/month", "full", "1,500/month"), (1_500_000, "/month", "compact", "1.5M/month"), (1, "/day", "full", "1/day"),
])
def test_a_rate_unit_follows_the_number_without_a_space(value, unit, style, text):
    assert format_number(value, unit, style) == text


def test_a_right_to_left_unit_is_isolated_so_that_it_moves_no_number_beside_it():
    """QA DG: "target 500 ريال · 2026-11-01" was drawn with the date as 01-11-2026."""
    assert format_number(500, "ريال") == "500 \u2068ريال\u2069"
    assert format_number(450, "﷼") == "\u2068﷼\u2069450"
    assert format_number(500, "円") == "500 円" and format_number(5, "€") == "€5"


def test_an_isolate_made_an_element_has_the_attribute_it_is_given():
    """bdi_elements makes each <bdi> with the goals' language when given one (the pages' isolates filter on a
    site not in English), with none else (the digest's email); a backslash in it is no regular expression's."""
    from okrsite.goals.formats import bdi_elements

    html = f"x {isolated('ريال')} y {isolated('שקל')}"
    assert bdi_elements(html) == "x <bdi>ريال</bdi> y <bdi>שקל</bdi>"
    assert bdi_elements(html, ' lang="ar"') == 'x <bdi lang="ar">ريال</bdi> y <bdi lang="ar">שקל</bdi>'
    assert bdi_elements(html, ' lang="a\\1"') == 'x <bdi lang="a\\1">ريال</bdi> y <bdi lang="a\\1">שקל</bdi>'


def test_only_text_with_right_to_left_letters_is_isolated():
    assert isolated("Grow revenue 🚀") == "Grow revenue 🚀"
    assert isolated("לקוחות חדשים") == "\u2068לקוחות חדשים\u2069"
    assert isolated("Grow מכירות") == "\u2068Grow מכירות\u2069"


NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=NONCHARACTERS + HIDDEN + JOINERS)),
       st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(NONCHARACTERS)), max_size=8))
def test_noncharacters_never_survive_and_nothing_else_goes(text, inserted):
    """QA DN 4: a title's "\\uFFFE", "\\uFFFF" or "\\U0010FFFF" reached every page, which HTML forbids."""
    written = text
    for at, char in inserted:
        at %= len(written) + 1
        written = written[:at] + char + written[at:]
    assert clean_text(written) == clean_text(text)


@pytest.mark.parametrize("text, shown", [("Next\x85line", "Next\nline"), ("Nonchar \ufffe\uffff\U0010ffff\ufdd0!", "Nonchar !"),
                                         ("\ufffd replacement stays", "\ufffd replacement stays")])
def test_a_nel_is_a_line_break_and_a_noncharacter_goes(text, shown):
    """QA DN 4: a NEL, which YAML reads as a line break, was dropped: "Next\\x85line" read "Nextline"."""
    assert clean_text(text) == shown


# QA DU 4: the hint for an amount with a magnitude word ('€3.4 Mio.') must name the number meant: it read
# every '.' before a German word as a thousands separator, and told "34000000" for 3.4 million.

MAGNITUDES = {"Tsd.": 10**3, "Mio.": 10**6, "Mio": 10**6, "Mrd.": 10**9, "Mrd": 10**9, "million": 10**6, "thousand": 10**3}


STYLES = {"German": (",", "."), "Swiss": (".", "'"), "English": (".", ","), "plain": (".", "")}  # (decimal mark, thousands mark)


def _written(amount, style: str) -> str:
    """``amount`` (a Decimal) as ``style`` writes it."""
    point, grouping = STYLES[style]
    whole, _, fraction = f"{amount:f}".partition(".")
    return f"{int(whole):,}".replace(",", grouping) + (point + fraction if fraction else "")


def _hinted(hint: str) -> list[int]:
    import re
    return [int(n) for n in re.findall(r"(?<![\d.])(\d+)(?=[ ,;:])", hint.split("okrsite reads")[0])]


@given(st.decimals(min_value=0, max_value=99_999, places=2, allow_nan=False, allow_infinity=False), st.sampled_from(sorted(MAGNITUDES)),
       st.sampled_from(sorted(STYLES)))
@example(__import__("decimal").Decimal("3.4"), "Mio.", "plain")
@example(__import__("decimal").Decimal("1.25"), "Mio", "plain")
@example(__import__("decimal").Decimal("1234"), "Mio.", "German")
def test_the_digits_hinted_for_an_amount_with_a_magnitude_word_are_the_number_meant(amount, word, style):
    """A lone '.' with three digits after it before a German word is the one case with two readings."""
    import re

    from okrsite.goals.formats import exported_value_hint
    written = _written(amount, style)
    hint = exported_value_hint(f"€{written} {word}")
    assert hint is not None, written
    readings = _hinted(hint)
    assert int(amount * MAGNITUDES[word]) in readings and amount * MAGNITUDES[word] == int(amount * MAGNITUDES[word]), (written, hint)
    two = word[:3] in ("Tsd", "Mio", "Mrd") and re.fullmatch(r"\d{1,3}\.\d{3}", written)
    assert len(readings) == (2 if two else 1), (written, hint)


@pytest.mark.parametrize("written, hint", [
    ("€3.4 Mio.", "write every digit, 3400000, and the unit in unit: \"€\": okrsite reads plain numbers, no 'Mio.'"),
    ("12.5 Tsd.", "write every digit, 12500: okrsite reads plain numbers, no 'Tsd.'"),
    ("€1.234,5 Mio.", "write every digit, 1234500000, and the unit in unit: \"€\": okrsite reads plain numbers, no 'Mio.'"),
    ("1.250 Mio", "write every digit: 1250000000 if '.' separates thousands there, or 1250000 if it is the decimal point; okrsite reads plain numbers, no 'Mio'"),
])
def test_an_amount_with_a_magnitude_word_is_hinted_by_its_marks(written, hint):
    from okrsite.goals.formats import exported_value_hint
    assert exported_value_hint(written) == hint


@pytest.mark.parametrize("written, meant", [("(0)", "write 0:"), ("(0.00)", "write 0:"), ("(120)", "write -120:")])
def test_an_accountants_zero_in_parentheses_is_told_0(written, meant):
    """QA DU 8: '(0)' was told "write -0"."""
    from okrsite.goals.formats import exported_value_hint
    assert exported_value_hint(written).startswith(meant)


@pytest.mark.parametrize("cell", ["+" + " " * 60_000 + "$", "(" + " " * 60_000 + "$", "1 Mio" + " " * 60_000 + "x"])
def test_a_value_with_a_long_run_of_spaces_is_looked_at_once(cell):
    """QA DY 2: the spaces either side of an optional currency sign were tried every way between them, in
    time growing with their square: 7.4 s for "+", 30,000 spaces and "$" (about 30 s here, and a minute for "(")."""
    from okrsite.goals.formats import exported_value_hint
    assert exported_value_hint(cell) is None
    assert exported_value_hint("(" + " " * 1000 + "$" + " " * 1000 + "120)").startswith('write -120, and the unit in unit: "$"')
    assert exported_value_hint("+" + " " * 1000 + "€3,4 Mio." + " " * 1000).startswith('write every digit, 3400000, and the unit in unit: "€"')
