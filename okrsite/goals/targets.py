"""Targets in words: "at or above 84%", "below 0.58", "less than 12 hours", "> 4.5", "10 days or less" (SPEC §16).

A phrase gives the number, the direction (which side of it is healthy), whether the line itself
counts (inclusive) and the unit. Anything else ("TBD", "Confidential", a sentence) is not a phrase:
it is kept and shown as the target in words. Pure: no I/O, property-tested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .diagnostics import shown_value
from .formats import clean_text

# (words, direction, inclusive) written before the number; the longest that fits wins ("at or above" over "above").
_BEFORE: tuple[tuple[str, str, bool], ...] = (
    ("greater than or equal to", "up", True), ("more than or equal to", "up", True), ("higher than or equal to", "up", True),
    ("less than or equal to", "down", True), ("fewer than or equal to", "down", True), ("lower than or equal to", "down", True),
    ("equal or greater than", "up", True), ("equal or more than", "up", True), ("equal or above", "up", True),
    ("equal or less than", "down", True), ("equal or fewer than", "down", True), ("equal or below", "down", True),
    ("equal to or greater than", "up", True), ("equal to or more than", "up", True), ("equal to or above", "up", True),
    ("equal to or less than", "down", True), ("equal to or fewer than", "down", True), ("equal to or below", "down", True),
    ("at or above", "up", True), ("at or below", "down", True), ("at or over", "up", True), ("at or under", "down", True),
    ("at least", "up", True), ("at most", "down", True),
    ("no less than", "up", True), ("no fewer than", "up", True), ("no lower than", "up", True),
    ("not less than", "up", True), ("not fewer than", "up", True), ("not lower than", "up", True), ("not below", "up", True), ("not under", "up", True),
    ("no more than", "down", True), ("no greater than", "down", True), ("no higher than", "down", True),
    ("not more than", "down", True), ("not greater than", "down", True), ("not higher than", "down", True), ("not above", "down", True),
    ("not over", "down", True), ("not to exceed", "down", True), ("not exceeding", "down", True),
    ("a minimum of", "up", True), ("minimum of", "up", True), ("minimum", "up", True), ("min.", "up", True), ("min", "up", True),
    ("a maximum of", "down", True), ("maximum of", "down", True), ("maximum", "down", True), ("max.", "down", True), ("max", "down", True),
    ("greater than", "up", False), ("more than", "up", False), ("higher than", "up", False), ("above", "up", False), ("over", "up", False),
    ("less than", "down", False), ("fewer than", "down", False), ("lower than", "down", False), ("below", "down", False), ("under", "down", False),
    (">=", "up", True), ("≥", "up", True), ("=>", "up", True), ("<=", "down", True), ("≤", "down", True), ("=<", "down", True),
    (">", "up", False), ("<", "down", False),
)
# A handbook's "should be above 90%", "must stay below 5", "cannot exceed 5": a modal verb and "be" (or
# "stay", "remain", a verb of moving before "above" or "below") before a comparison say the same
# comparison, read after them (_after_modal); a negated one ("cannot be", "should never", "is not allowed
# to") the other side of its line, the line itself counting the other way ("cannot be above 5": at most 5).
_MODAL = re.compile(
    r"^(?:(?P<negated>cannot|can\s+not|(?:can|mustn|shouldn|won|shan)['’]t|(?:is|are)n['’]t\s+allowed\s+to|(?:is|are)\s+not\s+(?:allowed\s+)?to"
    r"|(?:must|should|shall|will|can|may)\s+(?:not|never)|never|not\s+to)"
    r"|must|should|shall|will|can|may|needs?\s+to|ha(?:s|ve)\s+to|(?:is|are)\s+to|ought\s+to|to)\s+"
    r"(?:(?P<be>be|stay|remain|keep|be\s+kept)|(?P<move>go|fall|drop|rise|climb|get|dip|sink)(?=\s+(?:above|below|over|under)\s)|(?P<exceed>exceed))"
    r"\s+(?P<rest>.+)$", re.IGNORECASE)
_NEGATION_FIRST = re.compile(r"^(?:no|not)\s", re.IGNORECASE)

# Words after the number (and its unit): "10 days or less", "84% or higher", "5 max". The line itself counts.
_AFTER: tuple[tuple[str, str, bool], ...] = tuple(
    (f"{joint} {word}", direction, True)
    for direction, words in (("down", ("fewer", "less", "lower", "below", "under")), ("up", ("more", "greater", "higher", "above", "over")))
    for joint in ("or", "and") for word in words
) + (("and up", "up", True), ("at least", "up", True), ("at the least", "up", True), ("minimum", "up", True),
     ("at most", "down", True), ("at the most", "down", True), ("maximum", "down", True), ("max.", "down", True), ("max", "down", True))
# Words a unit never holds: text with them compares, as a phrase above or else as words ("5 or so").
# "min" is not among them: after a number it is minutes ("10 min or less").
_COMPARISON_WORDS = ("than", "or", "and", "at", "no", "not", "equal", "fewer", "less", "lower", "below", "under", "more", "greater",
                     "higher", "above", "over", "max", "maximum", "minimum", "most", "least", "exceed", "exceeds", "exceeding",
                     "better", "worse")
# Words that say a change or a way to move ("2 hours down", "10 percent decrease", "3 days faster"): a
# target is a level to reach, so a number followed by one without a comparison is kept as words (SPEC
# §16); beside a comparison it is part of the unit ("at most 4 drops", "at least 3 lift tests").
CHANGE_WORDS = ("up", "down", "faster", "slower", "quicker", "sooner", "later", "earlier", "shorter", "longer", "smaller", "bigger",
                "larger", "increase", "increases", "increased", "increasing", "decrease", "decreases", "decreased", "decreasing",
                "reduction", "reductions", "reduce", "reduces", "reduced", "growth", "grow", "grows", "drop", "drops", "decline",
                "declines", "rise", "rises", "gain", "gains", "cut", "cuts", "improvement", "improvements", "improve", "improves",
                "improved", "lift", "uplift")
_UNIT_LENGTH = 40


def _alternatives(forms: tuple[tuple[str, str, bool], ...]) -> str:
    """The forms as a regex alternation, longest first, any spaces between their words."""
    spelled = sorted({words for words, _, _ in forms}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(word) for word in words.split()) for words in spelled)


def _lookup(forms: tuple[tuple[str, str, bool], ...]) -> dict[str, tuple[str, bool]]:
    return {words: (direction, inclusive) for words, direction, inclusive in forms}


_BEFORE_LOOKUP, _AFTER_LOOKUP = _lookup(_BEFORE), _lookup(_AFTER)
_WORD_END = r"(?![A-Za-z])"
_UNIT_WORD = rf"(?!(?:{'|'.join(_COMPARISON_WORDS)})(?![A-Za-z-]))[A-Za-z][A-Za-z.]*(?:-[A-Za-z][A-Za-z.]*)*"  # "sign-ups"
_UNIT_WORDS = rf"{_UNIT_WORD}(?:(?:\s+|\s*/\s*){_UNIT_WORD})*"
# "/month": a rate, the number's magnitude before it; "99.9% uptime", "95% of tickets": a share of what is named
_UNIT = rf"%(?:\s+{_UNIT_WORDS})?|(?:/\s*)?{_UNIT_WORDS}"
CURRENCIES = "$€£¥"
# A magnitude written right after the number ("$100M", "1.2k users", "3bn"); a lowercase m is minutes or metres
# (and mm millimetres: only MM is a million). Words, after a space or not, with a dot or not: "3.4 million",
# "3.4 mln", "3.4 Mio." are 3,400,000 (German Tsd. a thousand, Mrd. a billion).
MAGNITUDES = {"k": 10**3, "K": 10**3, "M": 10**6, "MM": 10**6, "B": 10**9, "tsd": 10**3, "mio": 10**6, "mrd": 10**9,
              "thousand": 10**3, "thousands": 10**3, "million": 10**6, "millions": 10**6, "mn": 10**6, "mln": 10**6,
              "billion": 10**9, "billions": 10**9, "bn": 10**9}
_MAGNITUDE = (r"(?P<magnitude>(?-i:MM|[kKMB])|\s*(?:tsd|mio|mrd|thousands?|millions?|billions?|mn|mln|bn)(?![A-Za-z0-9_])\.?)"
              r"(?![A-Za-z0-9_])")
_PHRASE = re.compile(
    rf"^\s*(?:(?P<before>{_alternatives(_BEFORE)}){_WORD_END})?\s*(?P<sign>[-+]?)\s*(?P<currency>[{CURRENCIES}])?\s*"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)" + rf"(?:{_MAGNITUDE})?"
    rf"\s*(?P<unit>{_UNIT})?\s*(?:(?P<after>{_alternatives(_AFTER)}){_WORD_END}\s*(?P<unit_after>{_UNIT})?)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Phrase:
    """A target read from words. ``direction`` is None for a bare "84%": the KPI's own direction decides."""

    number: float
    direction: str | None
    inclusive: bool
    unit: str | None
    scale: int = 1  # the magnitude written after the number ("$100M": 10**6), already in ``number``

    def unscaled(self) -> Phrase:
        """The phrase with its number as written, for a KPI whose `unit:` already counts in that
        magnitude (`unit: $M`, values 95.3: "> $100M" is 100 of them)."""
        return replace(self, number=float(Decimal(repr(self.number)) / self.scale), scale=1)


# A remark in parentheses after a comparison: "< 2 days (median)", "> 95% (monthly)".
_REMARK = re.compile(r"\s*\(([^()]*)\)\s*$")
_COMPARING = re.compile(rf"[<>=≤≥]|(?<![\w-])(?:{'|'.join(_COMPARISON_WORDS + CHANGE_WORDS)})(?![\w-])", re.IGNORECASE)


def parse_target(text: str) -> Phrase | None:
    """The phrase's number, direction, inclusiveness and unit; None for any other text (prose), and for
    words that compare twice ("at least 5 or fewer") or name two units ("5 days or fewer incidents"; a
    rate after the words is one unit: "10 days or less per incident"). A remark in parentheses after a
    comparison is a comment ("< 2 days (median)"), unless it compares or says a change itself."""
    text = spaced_out(text)
    phrase = _phrase(text)
    remark = _REMARK.search(text) if phrase is None else None
    if remark is None or _COMPARING.search(remark[1]):
        return phrase
    commented = _phrase(text[:remark.start()])
    if commented is not None and commented.unit is None and known_unit(remark[1]):  # "< 2 (days)": a unit okrsite knows, not a remark
        commented = replace(commented, unit=" ".join(remark[1].split()))
    return commented if commented is not None and commented.direction else None


def spaced_out(text: str) -> str:
    """``text`` with one space between its words, none around them: every reading of a target starts
    here, so that no regex backtracks over a long run of spaces (QA DY: "(" and 400 spaces took a minute)."""
    return " ".join(text.split())


def _phrase(spaced: str) -> Phrase | None:
    found = _plain_phrase(spaced)
    modal = _MODAL.match(spaced) if found is None else None
    return _after_modal(modal) if modal else found


def _after_modal(modal: re.Match) -> Phrase | None:
    """The comparison a modal verb says (_MODAL): the phrase after it, "exceed 5" more than 5, and a
    negated one the other side of its line. None when that leaves no direction to say ("cannot be 5",
    "must be 0": no side of a line, only a level a KPI's direction could not be read from, QA DX), or a
    negation meets another ("must not be no more than 4")."""
    phrase = _plain_phrase(modal["rest"])
    if phrase is None or (modal["exceed"] and phrase.direction is not None):
        return None
    if modal["exceed"]:
        phrase = replace(phrase, direction="up", inclusive=False)
    if phrase.direction is None:
        return None
    if modal["negated"] is None:
        return phrase
    if _NEGATION_FIRST.match(modal["rest"]):
        return None
    return replace(phrase, direction="down" if phrase.direction == "up" else "up", inclusive=not phrase.inclusive)


def _plain_phrase(spaced: str) -> Phrase | None:
    match = _PHRASE.match(spaced)
    rate = bool(match and match["unit"] and match["after"] and (match["unit_after"] or "").lower().startswith("per "))
    if match is None or (match["before"] and match["after"]) or (match["unit"] and match["unit_after"] and not rate):
        return None
    if not (match["before"] or match["after"]) and change_word(f"{match['unit'] or ''} {match['unit_after'] or ''}"):
        return None  # "2 hours down": how far to move, not a level
    number = _number(match["number"], match["magnitude"])
    if match["sign"] == "-":
        number = -number
    direction, inclusive = _comparison(match["before"], _BEFORE_LOOKUP) or _comparison(match["after"], _AFTER_LOOKUP) or (None, True)
    written = f"{match['unit']} {match['unit_after']}" if rate else match["unit"] or match["unit_after"] or ""
    if written.startswith("%"):  # "99.9% uptime": the words name what the share is of; the page shows them as written
        written = "%"
    unit = " ".join(written.split()) or None  # "10 days or less per incident": days per incident
    if unit and unit.startswith("/"):  # "4 / week": a rate, written "4/week"
        unit = "/" + unit[1:].lstrip()
    if match["currency"]:  # "$1.2M/quarter": dollars a quarter; "$5 users": dollars
        unit = match["currency"] + (unit if unit and unit.startswith("/") else f" {unit}" if unit and unit.lower().startswith("per ") else "")
    if unit is not None and len(unit) > _UNIT_LENGTH:
        return None
    return Phrase(number, direction, inclusive, unit, _scale(match["magnitude"]))


def number_as_written(text: str) -> str | None:
    """The digits of a target phrase's number as written ("1.200" of "at least 1.200"); None for words
    that are no phrase, and for a number with a magnitude after it ("1.2k": its digits are not the number)."""
    spaced = spaced_out(text)
    modal = _MODAL.match(spaced)
    match = _PHRASE.match(spaced) or (_PHRASE.match(modal["rest"]) if modal else None)
    return match["number"] if match and not match["magnitude"] and parse_target(text) is not None else None


def _scale(magnitude: str | None) -> int:
    if not magnitude:
        return 1
    magnitude = magnitude.strip().rstrip(".")
    return MAGNITUDES[magnitude if magnitude in MAGNITUDES else magnitude.lower()]


def _number(digits: str, magnitude: str | None) -> float:
    """The number written, times its magnitude: "1.2" and "k" give 1200 (in decimal, so exactly)."""
    return float(Decimal(digits.replace(",", "")) * _scale(magnitude))


_MAGNITUDE_IN_UNIT = re.compile(r"(?<![A-Za-z])(?:[kKMB]|MM|bn|mn|mln|thousands?|millions?|billions?|(?i:tsd|mio|mrd))(?![A-Za-z])")


def counts_in_magnitude(unit: str | None) -> bool:
    """Whether a KPI's `unit:` names a magnitude ("$M", "k users", "millions"): its values are
    written in it, so a target in words is compared as written."""
    return bool(unit and _MAGNITUDE_IN_UNIT.search(unit))


def _comparison(words: str | None, lookup: dict[str, tuple[str, bool]]) -> tuple[str, bool] | None:
    return lookup[" ".join(words.lower().split())] if words else None


# Units okrsite can tell apart with certainty, each spelling (any case) to one name; any other unit
# ("users", "m", "days per incident") is not compared.
_KNOWN_UNITS = {spelling: name for name, spellings in (
    ("milliseconds", ("ms", "msec", "millisecond", "milliseconds")), ("seconds", ("s", "sec", "secs", "second", "seconds")),
    ("minutes", ("min", "mins", "minute", "minutes")), ("hours", ("h", "hr", "hrs", "hour", "hours")),
    ("days", ("day", "days")), ("weeks", ("week", "weeks")), ("%", ("%", "percent")),
    ("USD", ("$", "usd")), ("EUR", ("€", "eur")), ("GBP", ("£", "gbp")),
) for spelling in spellings}


def known_unit(text: str | None) -> str | None:
    """The one name of a unit okrsite knows ("hrs" and "Hours" are hours, "$" is USD); None for any other."""
    return _KNOWN_UNITS.get(" ".join((text or "").lower().split()))


_SECONDS = {"milliseconds": Decimal("0.001"), "seconds": Decimal(1), "minutes": Decimal(60), "hours": Decimal(3600),
            "days": Decimal(86400), "weeks": Decimal(604800)}


def convert(number: float, unit: str | None, into: str | None) -> float | None:
    """``number`` of a span of time in ``unit`` counted in ``into`` (48 hours: 2 days); None unless both
    are spans okrsite knows."""
    source, target = known_unit(unit), known_unit(into)
    if source not in _SECONDS or target not in _SECONDS:
        return None
    return float(Decimal(repr(number)) * _SECONDS[source] / _SECONDS[target])


def meets(value: float, target: float, direction: str, inclusive: bool = True) -> bool:
    """Whether ``value`` meets ``target`` on the healthy side; the line itself only when ``inclusive``."""
    gap = (value - target) if direction == "up" else (target - value)
    return gap >= 0 if inclusive else gap > 0


# Health set by a KPI's owner (SPEC §16): the named levels, the handbook's numbers, the site's words.
HEALTH_WORDS = {"okay": "healthy", "attention": "warning", "problem": "critical", "unknown": "unknown", "confidential": "confidential",
                "healthy": "healthy", "warning": "warning", "critical": "critical"}
HEALTH_LEVELS = {3: "healthy", 2: "warning", 1: "critical", 0: "unknown", -1: "confidential"}
HEALTH_FORMS = "okay, attention, problem or unknown, or {level: 3|2|1|0|-1, reasons: [...]}"


class Problem(ValueError):
    """A value that cannot be read: what is wrong (the message) and how to fix it (the hint)."""

    def __init__(self, message: str, hint: str, key: str | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.key = message, hint, key


def health_level(value: object) -> str:
    """The site's health word for an owner's level: a word (okay, attention, ...) or a number 3..-1."""
    if isinstance(value, int) and not isinstance(value, bool) and value in HEALTH_LEVELS:
        return HEALTH_LEVELS[value]
    if isinstance(value, str) and value.strip().lower() in HEALTH_WORDS:
        return HEALTH_WORDS[value.strip().lower()]
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and int(value) in HEALTH_LEVELS:
        return HEALTH_LEVELS[int(value)]
    raise Problem(f"'health' must be {HEALTH_FORMS}, not {shown_value(value)}", "3 okay, 2 attention, 1 problem, 0 unknown, -1 confidential", "level")


def health_reasons(value: object) -> tuple[str, ...]:
    """The reasons as a tuple of texts, cleaned as titles are (clean_text: no control character or bidi
    override reaches a page or okrs.json); empty entries ('-' alone, as the handbook has them) dropped."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, (dict, list)) for item in items):
        raise Problem("'reasons' must be a list of texts", "write reasons: [\"Under target\", \"Two teams above 20% attrition\"]", "reasons")
    return tuple(text for text in (clean_text(item) for item in items if item is not None) if text)


_A_NUMBER = rf"\s*[-+]?\s*[{CURRENCIES}]?\s*\.?\d"  # how a number starts: "-3", "$100", ".5"
_NUMBER_FIRST = re.compile(rf"^\s*\(?\s*(?:target\s*:\s*)?(?:(?:{_alternatives(_BEFORE)}){_WORD_END})?{_A_NUMBER}", re.IGNORECASE)
_NUMBER_ALONE_FIRST = re.compile(rf"^{_A_NUMBER}")
_CHANGE_WORD = re.compile(rf"(?<![\w-])({'|'.join(CHANGE_WORDS)})(?![\w-])", re.IGNORECASE)  # not the "up" of "sign-up"


def starts_with_number(text: str) -> bool:
    """Whether words okrsite keeps as words start with a number ("4.5 stars or better", "2 hours down"),
    or with a comparison and a number ("> 95% for 3 consecutive months"), in parentheses or not: the writer may have meant a
    target that health is computed from; after a handbook's modal verb too ("should be above 5 users!")."""
    spaced = spaced_out(text)
    modal = _MODAL.match(spaced)
    return bool(_NUMBER_FIRST.match(spaced) or (modal and _NUMBER_FIRST.match(modal["rest"])))


def opens_with_number(text: str) -> bool:
    """Whether ``text`` starts with the number itself ("2 hours down"), not a comparison before it."""
    return bool(_NUMBER_ALONE_FIRST.match(spaced_out(text)))


def change_word(text: str) -> str | None:
    """The first word of ``text`` that says a change or a way to move ("decrease" in "10 percent
    decrease"), as written; None when it has none."""
    found = _CHANGE_WORD.search(text)
    return found[1] if found else None
