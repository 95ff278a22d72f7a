"""Targets in words: "at or above 84%", "below 0.58", "less than 12 hours", "> 4.5" (SPEC §16).

A phrase gives the number, the direction (which side of it is healthy), whether the line itself
counts (inclusive) and the unit. Anything else ("TBD", "Confidential", a sentence) is not a phrase:
it is kept and shown as the target in words. Pure: no I/O, property-tested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import shown_value

# (words, direction, inclusive), longest first so that "at or above" wins over "above".
_COMPARATORS: tuple[tuple[str, str, bool], ...] = (
    ("greater than or equal to", "up", True), ("more than or equal to", "up", True),
    ("less than or equal to", "down", True), ("fewer than or equal to", "down", True),
    ("equal or greater than", "up", True), ("equal or more than", "up", True), ("equal or above", "up", True),
    ("equal or less than", "down", True), ("equal or fewer than", "down", True), ("equal or below", "down", True),
    ("equal to or greater than", "up", True), ("equal to or more than", "up", True), ("equal to or above", "up", True),
    ("equal to or less than", "down", True), ("equal to or fewer than", "down", True), ("equal to or below", "down", True),
    ("at or above", "up", True), ("at or below", "down", True), ("at or over", "up", True), ("at or under", "down", True),
    ("at least", "up", True), ("at most", "down", True), ("no less than", "up", True), ("no more than", "down", True),
    ("greater than", "up", False), ("more than", "up", False), ("above", "up", False), ("over", "up", False),
    ("less than", "down", False), ("fewer than", "down", False), ("below", "down", False), ("under", "down", False),
    (">=", "up", True), ("≥", "up", True), ("=>", "up", True), ("<=", "down", True), ("≤", "down", True), ("=<", "down", True),
    (">", "up", False), ("<", "down", False),
)
_WORDS = "|".join(
    r"\s+".join(re.escape(word) for word in words.split()) for words, _, _ in sorted(_COMPARATORS, key=lambda c: -len(c[0]))
)
_LOOKUP = {" ".join(words.split()): (direction, inclusive) for words, direction, inclusive in _COMPARATORS}
CURRENCIES = "$€£¥"
_PHRASE = re.compile(
    rf"^\s*(?P<op>{_WORDS})?\s*(?P<sign>[-+]?)\s*(?P<currency>[{CURRENCIES}])?\s*"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<unit>%|[A-Za-z][A-Za-z /.]{0,38}[A-Za-z.]|[A-Za-z])?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Phrase:
    """A target read from words. ``direction`` is None for a bare "84%": the KPI's own direction decides."""

    number: float
    direction: str | None
    inclusive: bool
    unit: str | None


def parse_target(text: str) -> Phrase | None:
    """The phrase's number, direction, inclusiveness and unit; None for any other text (prose)."""
    match = _PHRASE.match(text)
    if match is None:
        return None
    number = float(match["number"].replace(",", ""))
    if match["sign"] == "-":
        number = -number
    op = match["op"]
    direction, inclusive = _LOOKUP[" ".join(op.lower().split())] if op else (None, True)
    unit = match["currency"] or (" ".join(match["unit"].split()) if match["unit"] else None)
    return Phrase(number, direction, inclusive, unit)


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
    """The reasons as a tuple of texts; empty entries ('-' alone, as the handbook has them) dropped."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, (dict, list)) for item in items):
        raise Problem("'reasons' must be a list of texts", "write reasons: [\"Under target\", \"Two teams above 20% attrition\"]", "reasons")
    return tuple(text for text in (str(item).strip() for item in items if item is not None) if text)
