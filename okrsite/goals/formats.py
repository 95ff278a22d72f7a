"""Numbers in words: how the site writes a progress and a value with its unit, and what to write
instead of a number written as people write them (number_hint)."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import cycle
from typing import Any, Iterable

from .characters import INVISIBLE, NEL, unseen_in, visible

# Control characters but tabs, line breaks and NEL, and the noncharacters (U+FDD0-U+FDEF, U+FFFE and
# U+FFFF of every plane), which HTML forbids.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef"
                      + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]")
# Invisible characters that change what a text looks like: bidi embeddings and overrides (U+202A-U+202E)
# and isolates (U+2066-U+2069) can show a title reversed ("Trojan source"); zero-width spaces, word
# joiners, invisible operators and U+FEFF make two names look alike. Zero-width (non-)joiners are
# matched apart: Persian, Indic scripts and emoji sequences need them. Bidi marks (U+200E, U+200F,
# U+061C) stay: they only place neutral characters in mixed-direction text, they cannot reverse it.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\u180e]|[\u200c\u200d]")

NUMBER_FORMATS = ("full", "compact")
_COMPACT_FROM = 10_000  # below this, compact keeps every digit: 4,120 reads better than 4.1k
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_EXPONENT_ABOVE = 1e15  # the largest value a goals file may hold: only a chart's widened axis goes beyond
_NOISE_DECIMALS = 9
_NOISE = 1e-9  # below this a value is float noise (0.1 * 3 - 0.3), written 0: nobody measures a goal in billionths
# Plural-looking units that are abbreviations or already singular: "1 ms", not "1 m".
_NOT_PLURAL = {"ms", "hrs", "yrs", "kbps", "mbps", "gbps", "bps", "fps", "rps", "qps", "tps", "ops", "iops",
               "news", "series", "species", "means", "lens"}
_JUST_S = {  # plurals of words ending in "ie" or "che": the singular only drops the s
    "calories", "movies", "cookies", "pies", "ties", "lies", "rookies", "selfies", "zombies", "caches", "niches", "headaches"}


def drop_controls(text: str) -> str:
    """Text without control characters but tabs and line breaks, and without noncharacters: HTML and
    XML forbid most of them, and a YAML escape, a pasted text or a commit message can hold them. A NEL
    (U+0085) is a line break, as YAML reads it: "Next\x85line" reads "Next line", not "Nextline"."""
    text = _CONTROL.sub("", text)
    return text.replace(NEL, "\n") if NEL in text else text


FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


def has_right_to_left(text: str) -> bool:
    """Whether the text holds a right-to-left letter (Hebrew, Arabic)."""
    return not text.isascii() and any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def isolated(text: str) -> str:
    """User text that holds right-to-left letters between first-strong isolates (U+2068 … U+2069):
    the numbers after a Hebrew or Arabic title or unit then keep their order ("⁨לקוחות⁩: 150 → 170",
    not "170 → 150"). Text without such letters is kept as it is."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_ISOLATE}" if has_right_to_left(text) else text


ISOLATE = re.compile(f"{FIRST_STRONG_ISOLATE}([^\u2066-\u2069]*){POP_ISOLATE}")


def bdi_elements(html: str, lang: str = "") -> str:
    """Escaped HTML with each isolate of ``isolated`` made a <bdi> element, which every browser and
    mail reader isolates (a stray isolate character, which user text never holds, is left alone);
    ``lang``: the element's attribute that gives its text the site's language (` lang="ar"`), if any."""
    return ISOLATE.sub(lambda isolate: f"<bdi{lang}>{isolate[1]}</bdi>", html)


def without_isolates(text: str) -> str:
    """Text with each isolate of ``isolated`` taken out, its text kept: for an attribute (a page's
    description), where no browser isolates anything and the characters would only be copied with it."""
    return ISOLATE.sub(r"\1", text)


def drop_invisible(text: str) -> str:
    """Text without bidi overrides, isolates and zero-width characters (see _INVISIBLE); a zero-width
    joiner or non-joiner stays only between two characters that join with it (see _joins)."""
    if text.isascii():
        return text
    return _INVISIBLE.sub(lambda m: m[0] if m[0] in "\u200c\u200d" and _joins(text, m.start()) else "", text)


def _joins(text: str, at: int) -> bool:
    """A joiner between emoji, marks or letters of a script that shapes with it (Arabic, Devanagari,
    ...): never next to ASCII, Latin, Greek or Cyrillic, where it is only ever invisible."""
    def joinable(char: str) -> bool:
        category = unicodedata.category(char)
        if char.isascii() or not (category.startswith(("L", "M")) or category in ("So", "Sk")):
            return False
        return not category.startswith("L") or not unicodedata.name(char, "").startswith(("LATIN", "GREEK", "CYRILLIC"))

    return 0 < at < len(text) - 1 and joinable(text[at - 1]) and joinable(text[at + 1])


def clean_text(value: object) -> str:
    """One piece of text as shown (a title, owner, unit or name): without control characters, bidi
    overrides or zero-width characters, and trimmed."""
    return drop_invisible(drop_controls(str(value))).strip()


_LINE_BREAK = re.compile("\r\n?|[\u2028\u2029]")


def clean_note(value: str) -> str:
    """A note typed for a check-in as okrsite writes it into the commit's body, and reads a commit's
    body: clean_text, line by line. Its lines stay (CR LF, CR, U+2028 and U+2029 are line breaks), and
    its tabs; the rest of the control characters go, escape sequences with them ('ESC [2J' clears a
    terminal that shows `git log`), as do bidi overrides and zero-width characters (QA FO)."""
    return "\n".join(drop_invisible(drop_controls(line)).rstrip() for line in _LINE_BREAK.sub("\n", value).split("\n")).strip("\n")


def single_line(text: str) -> str:
    """Text that is one line wherever it goes (a title, an owner, a spreadsheet's cell, a commit's
    subject): its line breaks, and the runs of spaces around and between words, one space. A commit
    subject with a line break in it is cut there: the numbers after the title go to the body."""
    return " ".join(text.split())


def clean_keeping_isolates(value: str) -> str:
    """Text as clean_text makes it, but for the isolates ``isolated`` puts around right-to-left
    titles and units (a check-in's commit subject): those stay, each around its text."""
    parts = ISOLATE.split(value)
    return "".join(isolated(clean_text(part)) if odd else drop_invisible(drop_controls(part)) for odd, part in zip(cycle((False, True)), parts)).strip()


def one_form(text: str) -> str:
    """Text that names something (an id, a reference to one, a person's name, a period) in NFC: a
    name typed on macOS or pasted may come decomposed ('e' and a combining accent), one typed
    elsewhere composed; they look the same and must be the same name."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def round_half_up(value: float, digits: int = 0) -> float:
    """``value`` to ``digits`` decimals as people round by hand, a half up (away from zero): 62.5 % is
    63 %, a grade of 0.625 is 0.63 (round() gives 62 and 0.62: halves to even). Float noise below 1e-9
    is taken for the decimal it stands for: 0.695 (0.69499… in binary) is 0.70, as on paper."""
    if not math.isfinite(value) or abs(value) > _EXPONENT_ABOVE:
        return value
    if digits <= 6 and abs(value) < 1e6:  # the pages' numbers: the same as below, in floats, a few times faster
        scaled = abs(round(value * 10 ** digits, 9 - digits))  # float noise below 1e-9 of the value taken away
        return math.copysign(math.floor(scaled + 0.5) / 10 ** digits, value) + 0.0
    return float(_half_up(_as_written(value), digits)) + 0.0  # + 0.0 turns -0.0 into 0.0


def _as_written(value: float) -> Decimal:
    """The decimal a float stands for: its shortest repr, with float noise below 1e-9 taken away (a
    computed 1.215 - 1.1 is 0.115, not 0.11499999999999999); a value that small itself stays, and
    one a little larger keeps nine significant digits (0.0000000027749 is not 0.000000003)."""
    cleaned = round(value, max(9, 8 - math.floor(math.log10(abs(value)))) if value else 9)
    return Decimal(repr(cleaned if cleaned else value))


def _half_up(written: Decimal, decimals: int) -> Decimal:
    """``written`` to ``decimals`` places, a half up as on paper: 4.125 is 4.13. The value is taken as
    written (its shortest repr), not as the binary float (4.12499…), which round() would take to 4.12."""
    return written.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent_number(value: float) -> int:
    return int(round_half_up(value * 100))


def format_percent(value: float | None) -> str:
    return "–" if value is None else f"{percent_number(value):d} %"


def round_grade(value: float | None) -> float | None:
    """A grade as every output gives it (SPEC §13): two decimals, a half up; a team's mean grade of
    0.425 is 0.43 in okrs.json as on its page."""
    return None if value is None else round_half_up(value, 2)


def format_grade(value: float) -> str:
    return f"{round_grade(value):.2f}"


def round_ratio(value: float | None) -> float | None:
    """A progress as okrs.json and the digest's JSON write it: three decimals, a half up (0.0625 is
    0.063). Only for those files: a page's or a digest's whole percentage is rounded from the exact
    figure (format_percent), so 0.9949 is 99 %, not the 100 % of its 0.995."""
    return None if value is None else round_half_up(value, 3)


def format_ratio(value: float) -> str:
    """A progress as three decimals, a half up, as okrs.json writes it: 0.3625 is "0.363"."""
    return f"{round_ratio(value):.3f}"


def format_number(value: float | None, unit: str | None = None, style: str = "full", lines: Iterable[float | None] = ()) -> str:
    """A value as shown on a page: "46,500 USD", "4.2%", "$24.3M" (compact), "1 incident".

    At most two decimals with thousands separators, but two significant digits at least: 0.0031 is
    "0.0031", not "0" (only float noise below 1e-9 is 0); ``style="compact"`` writes 10,000 and more
    as 12.3k, 24.3M, 1.2B or 3T; ``style="exact"`` (tables of values) every digit, as written:
    "1.333333". A currency sign is written before the number, "%" or a rate ("/month") right after it and any other unit
    after a space, in the singular for exactly 1 ("1 incident", not "1 incidents").

    ``lines`` are the values it is judged against (a target, a threshold, a guardrail's line): where
    the rounded value would read as equal to one of them, or fall on its other side, it keeps as many
    more decimals as that takes, up to its own (see _apart_from).
    """
    if value is None or not math.isfinite(value):
        return "–"
    number = _apart_from(value, lines, style) or _digits(abs(value), style)
    sign = "-" if value < 0 and number != "0" else ""  # -1e-12 is written 0, not -0
    if not unit:
        return sign + number
    return _with_unit(sign, number, unit)


def _with_unit(sign: str, number: str, unit: str) -> str:
    """The number with its unit, a right-to-left one isolated (``isolated``) so that it moves no
    number or date around it ("500 ⁨ريال⁩ · 2026-11-01")."""
    if unit == "%" or unit.startswith("/"):  # "4.2%", "1,500/month"
        return f"{sign}{number}{isolated(unit)}"
    if is_currency(unit):
        return f"{sign}{isolated(unit)}{number}"
    per = currency_rate(unit)
    if per:  # "$1,500/month", "$12 per seat"
        return f"{sign}{isolated(per[0])}{number}{isolated(per[1]) if per[1].startswith('/') else ' ' + isolated(per[1])}"
    counted = _currency_magnitude(unit)
    if counted:  # "$M": "$101M", as "$101" and "101M" are written
        return f"{sign}{isolated(counted[0])}{number}{counted[1]}"
    return f"{sign}{number} {isolated(singular(unit) if number == '1' else unit)}"


def currency_rate(unit: str) -> tuple[str, str] | None:
    """(currency, rate) of an amount of money per something: "$/quarter", "€ per seat"."""
    found = amount_and_rate(unit)
    return found if found and is_currency(found[0]) else None


def amount_and_rate(unit: str) -> tuple[str, str] | None:
    """(what is counted, per what) of a rate: ("$", "/quarter"), ("EUR", "per seat"); None for a unit
    that is no rate."""
    found = re.fullmatch(r"(.+?)\s*(/\s*\S.*|per\s+\S.*)", unit, re.IGNORECASE)
    return (found[1], found[2]) if found else None


def _currency_magnitude(unit: str) -> tuple[str, str] | None:
    """(currency, magnitude) of a unit that counts in a magnitude of a currency: "$M", "€k", "US$bn"."""
    found = re.fullmatch(r"(.+?)(k|K|M|B|bn)", unit)
    return (found[1], found[2]) if found and is_currency(found[1]) else None


def format_change(before: float | None, after: float | None, unit: str | None = None, style: str = "full") -> str:
    """"19 → 30 logos": a unit written as a word follows only the new value; "$19 → $30", "4.6% → 4.2%"."""
    per = currency_rate(unit) if unit else None
    first = format_number(before, per[0] if per else unit if unit == "%" or (unit and (is_currency(unit) or _currency_magnitude(unit))) else None, style)
    return f"{first} → {format_number(after, unit, style)}"


def same_number(written: float, other: float) -> bool:
    """Whether ``other`` is the number ``written`` (a start, as its file holds it), but for float noise:
    a final value summed from check-ins (0.1 + 0.2) is the start 0.3 carry-over wrote of it."""
    return abs(written - other) <= _NOISE * max(1.0, abs(written))


def reaches_target(start: float, target: float | None, value: float) -> bool:
    """Whether a numeric key result from ``start`` at ``value`` reached ``target``, whichever way it
    goes, but for float noise: carry-over leaves out one reached (SPEC §13)."""
    return target is not None and target != start and ((value - start) / (target - start) >= 1 or same_number(target, value))


def start_text(value: float) -> str:
    """A number as `start:` takes it, every digit kept: 5, 519800, 4.25."""
    return f"{value:.15g}"


def _digits(magnitude: float, style: str) -> str:
    if magnitude > _EXPONENT_ABOVE:
        return f"{magnitude:.2e}"
    if style == "compact" and round_half_up(magnitude, 2) >= _COMPACT_FROM:
        index = next(i for i, (size, _) in enumerate(_SUFFIXES) if magnitude >= size)
        if index and round_half_up(magnitude / _SUFFIXES[index][0], 1) >= 1000:
            index -= 1  # 999,960 is 1M, not 1,000k
        size, suffix = _SUFFIXES[index]
        return f"{round_half_up(magnitude / size, 1):,.1f}".removesuffix(".0") + suffix
    if style == "exact" and magnitude >= _NOISE:
        return _every_digit(magnitude)
    decimals = _usual_decimals(magnitude)
    shown = round_half_up(magnitude, decimals)
    return f"{shown:,.0f}" if shown.is_integer() else f"{shown:,.{decimals}f}".rstrip("0").rstrip(".")


def _apart_from(value: float, lines: Iterable[float | None], style: str) -> str:
    """The value's digits with the fewest more decimals that keep it apart from every line it differs
    from, "" when the usual ones do: 99.996 against a target of 99.999 is "99.996", not "100" (which
    reads as the target met), 5.001 s against a threshold of 5 s "5.001", not "5". A value shown apart
    at some decimals is also on the right side of the exact line: both round the same way, and they
    differ by a whole last decimal. More decimals than the value's own would be noise: 5 against 5.001
    stays "5"."""
    apart = [line for line in lines if line is not None and math.isfinite(line) and line != value]
    if style == "exact" or not apart or not _NOISE <= abs(value) <= _EXPONENT_ABOVE or all(_reads_apart(value, line, style) for line in apart):
        return ""
    own = min(max(-_as_written(abs(value)).normalize().as_tuple().exponent, 0), _NOISE_DECIMALS)
    decimals = next((d for d in range(_usual_decimals(abs(value)), own) if all(
        round_half_up(value, d) != round_half_up(line, d) for line in apart)), own)
    return f"{abs(round_half_up(value, decimals)):,.{decimals}f}"


def _reads_apart(value: float, line: float, style: str) -> bool:
    """Whether the value as usually written differs from the line as usually written and lies on the
    same side of the exact line as the value."""
    shown, line_shown = _shown(value, style), _shown(line, style)
    return shown != line_shown and (shown > line) == (value > line)


def _shown(value: float, style: str) -> float:
    """The value as format_number writes it, as a number."""
    return math.copysign(float(_digits(abs(value), style).replace(",", "").rstrip("kMBT") or 0) * _magnitude(abs(value), style), value)


def _magnitude(magnitude: float, style: str) -> float:
    """What a compact number's suffix stands for (1 without one)."""
    written = _digits(magnitude, style)
    return next((size for size, suffix in _SUFFIXES if written.endswith(suffix)), 1.0)


def _usual_decimals(magnitude: float) -> int:
    """The decimals a value is written with: two, and more for a small one to keep two significant digits."""
    return 2 if magnitude >= 0.1 or magnitude < _NOISE else max(2, 1 - int(f"{magnitude:.1e}".partition("e")[2]))


def _every_digit(magnitude: float) -> str:
    """The shortest digits that read back as the value, as it was written: 1.333333, 0.00001, 46,500."""
    written = Decimal(repr(magnitude))
    return f"{written:,.0f}" if written == written.to_integral_value() else f"{written:,f}"


@lru_cache(maxsize=1024)
def is_currency(unit: str) -> bool:
    """A unit written before the number: a currency sign ($ € £ ¥ ₹ …), alone or after up to three
    letters (US$, R$, HK$). A currency code such as USD or EUR is a word and follows the number."""
    return bool(re.fullmatch(r"[A-Za-z]{0,3}\S", unit)) and unicodedata.category(unit[-1]) == "Sc"


def singular(unit: str) -> str:
    """The unit for exactly one: "incidents" → "incident", "new logos" → "new logo", "KPIs" → "KPI".

    Only a plural English word changes (its last word, if there are several). Abbreviations such as
    ms, hrs or kbps, words without a vowel and words ending in "ss", "us" or "is" are left alone. In a
    rate the counted word is the one before "per": "1 incident per week", and "1 per 10k queries".
    """
    rate = re.search(r"(?:^|\s)per\s", unit, re.IGNORECASE)
    if rate is not None:
        return singular(unit[:rate.start()]) + unit[rate.start():] if rate.start() else unit
    head, _, word = unit.rpartition(" ")
    lower = word.lower()
    if re.fullmatch(r"[A-Z]{2,}s", word):
        one = word[:-1]
    elif (not re.fullmatch(r"[A-Za-z]{3,}", word) or not lower.endswith("s") or lower.endswith(("ss", "us", "is"))
          or lower in _NOT_PLURAL or not re.search("[aeiouy]", lower[:-1])):
        return unit
    elif lower in _JUST_S:
        one = word[:-1]
    elif lower.endswith("ies"):
        one = word[:-3] + ("Y" if word.isupper() else "y")
    elif lower.endswith(("sses", "shes", "ches", "xes", "zzes")):
        one = word[:-2]
    else:
        one = word[:-1]
    return f"{head} {one}" if head else one


_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,' \u00a0\u2009\u202f])\d{3}(?:\1\d{3})*(?:\.\d+)?$")  # 1,300 1 300 1'300
_LEADING_ZERO = re.compile(r"^[+-]?0\d+(?:\.\d+)?$")  # 08: YAML keeps it as text (not octal)
_CURRENCY_FIRST = re.compile(r"^([+-]?)\s*([$€£¥₹])\s*(?:(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(\d+,\d+))$")  # $5,000 $5000 €4,5
_MEASURED = {"start", "target", "current", "keep_above", "keep_below", "threshold", "value"}  # the keys a unit goes with
_MULTIPLIERS = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "bn": 1e9}
_UNIT_AFTER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(%|[^\d\s.,+-]\D*)$")  # a unit holds no digit: not 12x3
_MAGNITUDE_THEN_UNIT = re.compile(r"^(k|K|M|B|bn)\s+(\S.*)$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")  # "12" in quotes: a number kept as text
_CURRENCY_MULTIPLIED = re.compile(r"^([+-]?)\s*([$€£¥₹])\s*(\d+(?:\.\d+)?)\s*(k|K|M|B|bn)$")  # $5k €1.2M
_BASE_PREFIXED = re.compile(r"^[+-]?0(?:x[0-9a-f]+|b[01]+|o[0-7]+)$", re.IGNORECASE)
_BASES = {"x": "a hexadecimal", "b": "a binary", "o": "an octal"}


_ACCOUNTING_NEGATIVE = re.compile(r"^\(\s*(?:([$€£¥₹])\s*)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*\)$")  # (120), ($1,200.50)
_NO_VALUE = {"n/a", "na", "#n/a", "n.a.", "null", "none", "-", "–", "—", "?", "#div/0!", "#value!", "#ref!", "#num!", "#name?", "#null!", "#error!"}
_SPREADSHEET_ERROR = re.compile(r"^#[A-Z/0]+[!?]$", re.IGNORECASE)
_MAGNITUDE_WORDS = {"tsd": 10**3, "tsd.": 10**3, "mio": 10**6, "mio.": 10**6, "mrd": 10**9, "mrd.": 10**9, "md.": 10**9,
                    "thousand": 10**3, "million": 10**6, "mn": 10**6, "mln": 10**6, "billion": 10**9}
_GERMAN_MAGNITUDES = ("tsd", "mio", "mrd", "md")  # written with a decimal comma and '.' between thousands
# €3,4 Mio., 1.2 million; each optional part with its own spaces, so that a long run of them is tried one way (QA DY 2)
_WORDED_AMOUNT = re.compile(r"^([+-]?)\s*(?:([$€£¥₹])\s*)?(\d[\d.,']*)\s*([A-Za-z]+\.?)(?:\s*([$€£¥₹]|EUR|USD|GBP))?$")


def exported_value_hint(value: str) -> str | None:
    """What to write for a value as BI tools and spreadsheets export it: an accountant's negative in
    parentheses, a mark that there is no value (N/A, #DIV/0!), an amount with a magnitude word
    (€3,4 Mio.); None for any other text (number_hint covers the rest)."""
    written = value.strip()
    if negative := _ACCOUNTING_NEGATIVE.match(written):
        amount = negative[2].replace(",", "")
        unit = f", and the unit in unit: \"{negative[1]}\"" if negative[1] else ""
        meant = "0" if Decimal(amount) == 0 else f"-{amount}"
        return f"write {meant}{unit}: a number in parentheses is an accountant's way to write a negative one"
    if written.lower() in _NO_VALUE or _SPREADSHEET_ERROR.match(written):
        what = "a spreadsheet's error, no number" if written.startswith("#") and written.lower() != "#n/a" else "no value"
        return f"remove the row: '{written}' is {what}, and a date the file has no row for has no value; if the value is 0, write 0"
    if amount := _worded_amount(written):
        return amount
    return None


def _worded_amount(written: str) -> str | None:
    worded = _WORDED_AMOUNT.match(written)
    scale = _MAGNITUDE_WORDS.get(worded[4].lower()) if worded else None
    if scale is None:
        return None
    readings = _amounts_meant(worded[3].rstrip(".,"), worded[4].lower().rstrip(".") in _GERMAN_MAGNITUDES)
    if not readings:
        return None
    sign = worded[1] if worded[1] == "-" else ""
    numbers = [sign + _times(digits, scale) for digits in readings]
    currency = worded[2] or worded[5]
    unit = f", and the unit in unit: \"{currency}\"" if currency else ""
    plain = f"okrsite reads plain numbers, no '{worded[4]}'"
    if len(numbers) == 1:
        return f"write every digit, {numbers[0]}{unit}: {plain}"
    return (f"write every digit: {numbers[0]} if '.' separates thousands there, or {numbers[1]} if it is the decimal point{unit}; {plain}")


def _amounts_meant(digits: str, german: bool) -> list[str]:
    """The plain decimal numbers (1234.5) that ``digits`` (1.234,5 or 3.4 or 1,250) may mean before a
    magnitude word: where '.' and ',' both stand, the last one is the decimal point; a lone separator
    followed by other than three digits can be nothing else. Three digits after a lone one: ',' is the
    decimal comma before a German word (3,400 Mio.) and separates thousands before an English one, '.'
    is the decimal point before an English word and either before a German one (two readings). An
    apostrophe separates thousands (1'234.5)."""
    if "'" in digits:  # Swiss: 1'234.5
        whole, mark, fraction = re.fullmatch(r"([\d']*)([.,]?)(.*)", digits).groups()
        grouped = _grouped(whole, "'")
        return [grouped + (f".{fraction}" if mark else "")] if grouped is not None and (not mark or fraction.isdigit()) else []
    marks = {char for char in digits if char in ".,"}
    if len(marks) == 2:
        point = max(".,", key=digits.rindex)
        whole, fraction = digits.rsplit(point, 1)
        grouped = _grouped(whole, ".,".replace(point, ""))
        return [f"{grouped}.{fraction}"] if grouped is not None and fraction.isdigit() else []
    if not marks:
        return [digits]
    mark = marks.pop()
    parts = digits.split(mark)
    if len(parts) > 2:
        return [digits.replace(mark, "")] if _grouped(digits, mark) is not None else []
    whole, fraction = parts
    if not whole or not fraction or len(fraction) != 3 or len(whole) > 3:
        return [f"{whole or 0}.{fraction}"] if fraction else []
    as_thousands, as_point = whole + fraction, f"{whole}.{fraction}"
    if mark == ",":
        return [as_point] if german else [as_thousands]
    return [as_thousands, as_point] if german else [as_point]


def _grouped(whole: str, mark: str) -> str | None:
    """``whole`` (1.234.567) without its thousands separator ``mark``, if it is grouped so; None if not."""
    return whole.replace(mark, "") if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})*", whole) else None


def _times(digits: str, scale: int) -> str:
    return f"{Decimal(digits) * scale:f}".rstrip("0").rstrip(".") if "." in digits else str(int(digits) * scale)


def number_hint(key: str, value: Any, plain: str = "write a plain number without quotes, units or thousands separators, e.g. 1300") -> str:
    """What to write instead, for the ways people write numbers that YAML keeps as text: a share as
    '60%', a decimal comma, a thousands separator, a unit after the number; else ``plain``. Also for
    a number typed on the command line (``key`` "": no unit: key to point to)."""
    written = str(value).strip()
    if not written.isascii() and any(char in INVISIBLE for char in written):  # '\ufeff488300' from two CSV files joined
        shown = visible(written)
        again = "" if _PLAIN_NUMBER.match(shown) else number_hint(key, shown, "")
        return f"it holds {unseen_in(written, INVISIBLE.__contains__)}, which one cannot see: retype it as {shown}" + (f"; then {again}" if again else "")
    if not written.isascii() and any(c.isdecimal() and not c.isascii() for c in written):  # ١٢٣, １２３: YAML reads text
        ascii_digits = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in written)
        again = number_hint(key, ascii_digits, "") if ascii_digits.isascii() else ""
        return f"write it in the digits 0-9, {ascii_digits}" + (f"; then {again}" if again and "without quotes" not in again else "")
    if money := _CURRENCY_MULTIPLIED.match(written):
        amount = f"{float(money[1] + money[3]) * _MULTIPLIERS[money[4]]:.15g}"
        return f"write every digit, {amount}, and the unit in unit: \"{money[2]}\"" if key in _MEASURED else f"write every digit, {amount}"
    if thousands := _THOUSANDS.match(written):
        return f"write {written.replace(thousands[1], '')}, without the thousands separator"
    if _LEADING_ZERO.match(written):
        sign, digits = (written[0], written[1:]) if written[0] in "+-" else ("", written)
        digits = digits.lstrip("0")
        return f"write {sign}{'0' if digits.startswith('.') else ''}{digits} without the leading zero"
    if key and isinstance(value, str) and _PLAIN_NUMBER.match(written):
        return f"in quotes, it is text: write {key}: {written} without quotes"
    if money := _CURRENCY_FIRST.match(written):
        amount = money[1] + (money[3].replace(",", "") if money[3] else money[4].replace(",", "."))
        return f"write the plain number {amount} and the unit in unit: \"{money[2]}\"" if key in _MEASURED else f"write the plain number {amount}"
    if _DECIMAL_COMMA.match(written):
        return f"write {written.replace(',', '.')}: okrsite reads '.' as the decimal point"
    if _BASE_PREFIXED.match(written):
        return f"{written} is {_BASES[written.lstrip('+-')[1].lower()]} number: write it in decimal digits, {int(written, 0)}"
    unit = _UNIT_AFTER.match(written)
    if unit and (unit[2] in ("e", "E") or re.match(r"^[+-]?0x", written, re.IGNORECASE)):  # 1e, 0xZZ: no unit, a number gone wrong
        unit = None
    if unit and unit[2] in _MULTIPLIERS:
        return f"write every digit, {float(unit[1]) * _MULTIPLIERS[unit[2]]:.15g}"
    if (scaled := unit and _MAGNITUDE_THEN_UNIT.match(unit[2])) and key in _MEASURED:  # "40k EUR": not 40 and unit: "k EUR"
        return f"write every digit, {float(unit[1]) * _MULTIPLIERS[scaled[1]]:.15g}, and the unit in unit: \"{scaled[2]}\""
    if unit and key == "progress" and unit[2] == "%":
        return f"write {float(unit[1]) / 100:g} for {unit[1]} %: progress is a share from 0.0 to 1.0"
    if unit and key == "score" and unit[2] == "%":
        return f"write {float(unit[1]) / 100:g} for {unit[1]} %: a score is a grade from 0.0 to 1.0"
    if unit and key in _MEASURED:
        return f"write the plain number {unit[1]} and the unit in unit: \"{unit[2]}\""
    if unit:
        return f"write the plain number {unit[1]}"
    return plain
