"""Numbers in words: how the site writes a progress and a value with its unit."""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: object) -> str:
    """One piece of text as shown: without control characters (HTML and XML forbid most of them; a
    YAML escape or a commit message can hold them), and trimmed."""
    return _CONTROL.sub("", str(value)).strip()


def format_percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100):d} %"


def format_number(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"
