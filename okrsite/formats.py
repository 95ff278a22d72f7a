"""Numbers in words: how the site writes a progress and a value with its unit."""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def drop_controls(text: str) -> str:
    """Text without control characters but tabs and line breaks: HTML and XML forbid most of them,
    and a YAML escape, a pasted text or a commit message can hold them."""
    return _CONTROL.sub("", text)


def clean_text(value: object) -> str:
    """One piece of text as shown: without control characters, and trimmed."""
    return drop_controls(str(value)).strip()


def format_percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100):d} %"


def format_number(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"
