"""Characters that look like others or like nothing, named for a message: what a text pasted from
Word, Confluence or Slack, or typed with a Chinese or Japanese keyboard, holds where a plain space,
a ':' or nothing was meant."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Callable

# A space that is not U+0020: (its name, what to write instead).
SPACES = {
    "\u00a0": "a no-break space",
    "\u2007": "a figure space",
    "\u202f": "a narrow no-break space",
    "\u3000": "a full-width space",
    **{chr(code): "a typographic space" for code in range(0x2000, 0x200B) if code != 0x2007},
}
# Characters nobody sees (or that show as a line break only in some editors).
INVISIBLE = {
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a byte-order mark",
    "\u00ad": "a soft hyphen",
    "\u200e": "a left-to-right mark",
    "\u200f": "a right-to-left mark",
    "\u061c": "an Arabic letter mark",
    "\u180e": "a Mongolian vowel separator",
    **{chr(code): "a bidi control" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]},
}
LINE_BREAKS = {"\u2028": "a line separator", "\u2029": "a paragraph separator", "\u0085": "a next-line character (NEL)"}
NEL = "\u0085"
FULL_WIDTH_COLON = "\uff1a"


def is_noncharacter(char: str) -> bool:
    """U+FDD0-U+FDEF and the last two code points of every plane (U+FFFE, U+10FFFF): no text means them,
    and HTML forbids them (a YAML escape such as "\\uFFFE", or bytes read in the wrong encoding)."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def named(char: str) -> str:
    """'a no-break space (U+00A0)', "a full-width colon '：' (U+FF1A)", "the character 'é' (U+00E9)"."""
    code = f"U+{ord(char):04X}"
    name = SPACES.get(char) or INVISIBLE.get(char) or LINE_BREAKS.get(char) or ("a noncharacter" if is_noncharacter(char) else None)
    if name:
        return f"{name} ({code})"
    if char == FULL_WIDTH_COLON:
        return f"a full-width colon '{char}' ({code})"
    return f"the character '{char}' ({code}, {unicodedata.name(char, 'unnamed').lower()})"


def is_unseen(char: str) -> bool:
    """A space other than U+0020, an invisible character, a line break YAML knows and editors may not
    show, or a noncharacter."""
    return char in SPACES or char in INVISIBLE or char in LINE_BREAKS or is_noncharacter(char)


def is_stray(char: str) -> bool:
    """A character no text is written with on purpose: a noncharacter, or a NEL (Windows-1252's '…',
    byte 0x85, read as Latin-1 comes as one)."""
    return char == NEL or is_noncharacter(char)


def unseen_in(text: str, unseen: Callable[[str], bool] = is_unseen) -> str:
    """Where ``text`` holds a character one cannot see as itself (``unseen``), in words: "a zero-width space (U+200B)
    after 'ow'" (and how many more there are); '' when it holds none."""
    if text.isascii():
        return ""
    found = [index for index, char in enumerate(text) if unseen(char)]
    if not found:
        return ""
    first = found[0]
    where = f"after '{text[max(0, first - 20):first]}'" if first else "at the start"
    more = f" (and {len(found) - 1} more such character{'s' * (len(found) > 2)})" if len(found) > 1 else ""
    return f"{named(text[first])} {where}{more}"


def visible(text: str) -> str:
    """``text`` without the characters one cannot see (INVISIBLE, noncharacters): a line as it looks."""
    return text if text.isascii() else "".join(char for char in text if char not in INVISIBLE and not is_noncharacter(char))


def joined_files(suffix: str) -> str:
    """How a byte-order mark comes to stand inside a file of this ``suffix`` ('.md', '.csv')."""
    return (f"joining two files ('type a{suffix} b{suffix} > c{suffix}') or a tool that adds a byte-order mark to text "
            "that has one leaves a second one there")


def unseen_problem(text: str, what: str, suffix: str, unseen: Callable[[str], bool] = is_unseen) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when ``text`` (``what``: "the date", "the line" of a file of this
    ``suffix``) holds a character one cannot see as itself (``unseen``): "holds a byte-order mark (U+FEFF) at the
    start, which one cannot see", "retype the date as '2026-10-31': joining two files …"; None when it holds none."""
    found = unseen_in(text, unseen)
    if not found:
        return None
    why = f": {joined_files(suffix)}" if text.startswith("\ufeff") else ""
    return f"holds {found}, which one cannot see", f"retype {what} as '{retyped(text)}'{why}"


def retyped(text: str) -> str:
    """``text`` as it looks, typed again: its spaces and line breaks plain ones, what one cannot see
    left out, without the second space left where that stood between two ("Escaped \\uFFFE title")."""
    marked = "".join(" " if char in SPACES or char in LINE_BREAKS else char if char in visible(char) else "\0" for char in text)
    return re.sub(" \0+(?= )", "", marked).replace("\0", "").strip()


def refused_by_yaml(code: object) -> tuple[str, str]:
    """(what it is, how to fix it) for a character YAML refuses to read (its code point): a noncharacter
    (U+FFFE, U+FFFF) or a control character."""
    if isinstance(code, int) and 0 <= code <= 0x10FFFF and is_noncharacter(chr(code)):
        return "a noncharacter", f"remove it: {_NONCHARACTER_CAUSE}"
    return "a control character", "remove it: it is invisible in most editors, and often comes with text pasted from another program"


_NONCHARACTER_CAUSE = "no text means it, and most editors show nothing or a box for it; bytes read in the wrong encoding put it there"


def noncharacters_in_body(body: str, body_line: int) -> tuple[int, str, str] | None:
    """(line, message, hint) for the first line of a goals file's Markdown text (its first at
    ``body_line``) that holds a noncharacter, which the pages leave out (QA DT); None when none does."""
    if body.isascii():
        return None
    found = [(number, line) for number, line in enumerate(body.split("\n"), body_line) if any(map(is_noncharacter, line))]
    if not found:
        return None
    number, line = found[0]
    more = f", and {len(found) - 1} more line{'s hold' if len(found) > 2 else ' holds'} some" if len(found) > 1 else ""
    return (number, f"the text holds {unseen_in(line, is_noncharacter)}{more}: the pages leave noncharacters out, as HTML forbids them",
            f"remove it: {_NONCHARACTER_CAUSE}")


def differs_unseen(one: str, other: str) -> tuple[str, str] | None:
    """Which of two texts that look the same holds a character one cannot see as itself ('first' or
    'second'), and where, in words ("a no-break space (U+00A0) after 'Jane'"); None when neither does."""
    for text, which in ((one, "first"), (other, "second")):
        found = unseen_in(text)
        if found:
            return which, found
    return None


def _folded(name: str, case: bool) -> str:
    name = unicodedata.normalize("NFC", name)
    return name.casefold() if case else name


def same_name_otherwise(written: str, names: list[str]) -> tuple[str, str] | None:
    """(the name of ``names`` that is ``written`` in another case or Unicode form, how the two differ in
    words), or None: macOS and Windows find a file so named, Linux (where CI runs) does not."""
    for case in (False, True):
        for name in names:
            if name != written and _folded(name, case) == _folded(written, case):
                return name, _how_names_differ(written, name)
    return None


def _how_names_differ(written: str, stored: str) -> str:
    case = unicodedata.normalize("NFC", written) != unicodedata.normalize("NFC", stored)
    form = written.casefold() != stored.casefold()
    macos = "the same letters stored in another Unicode form (decomposed, as macOS stores accented names)"
    if case and form:
        return f"differs in case, and has {macos}: rename the file, typing its name anew as you wrote it"
    if case:
        return "differs only in case (macOS and Windows find it, Linux, where CI builds run, does not): write the path as the file is named"
    return f"has {macos}: rename the file, typing its name anew, so that Linux finds it as written"


# Cyrillic and Greek letters that look like a Latin one, and the Latin letter each looks like.
LOOKALIKES = {
    **dict(zip("аӑӓсԁеёһіїјӏоӧрԛѕԝхуүАВСЕЁНІЇЈКМОӦРЅТХУҮԜ", "aăäcdeëhiïjloöpqswxyyABCEËHIÏJKMOÖPSTXYYW")),
    **dict(zip("αγικνορυχϲϳΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ayikvopuxcjABEZHIKMNOPTYX")),
}
SCRIPTS = ("Latin", "Cyrillic", "Greek")  # the alphabets whose letters are taken for one another
_LETTERS = re.compile(r"[^\W\d_]+")


def script_of(char: str) -> str | None:
    """'Latin', 'Cyrillic' or 'Greek' for a letter of that alphabet (by its Unicode name), else None."""
    words = unicodedata.name(char, "").split()
    return next((script for script in SCRIPTS if script.upper() in words), None)


def mixed_word(text: str) -> tuple[str, str] | None:
    """(a word of ``text`` that mixes the letters of two of SCRIPTS, its first letter of the alphabet
    fewer of its letters are in), or None: 'pаyments' with a Cyrillic 'а'. Words of one alphabet
    each ('sales-отдел') are not mixed."""
    if text.isascii():
        return None
    for word in _LETTERS.findall(text):
        scripts = [script_of(char) for char in word]
        counts = Counter(script for script in scripts if script)
        if len(counts) > 1:
            fewest = min(counts, key=lambda script: (counts[script], SCRIPTS.index(script)))
            return word, word[scripts.index(fewest)]
    return None


def in_latin_letters(text: str) -> str:
    """``text`` with each of LOOKALIKES written as the Latin letter it looks like."""
    return "".join(LOOKALIKES.get(char, char) for char in text)


def skeleton(text: str) -> str:
    """``text`` as it looks: in_latin_letters, in lower case."""
    return in_latin_letters(text).lower()


def first_lookalike(text: str) -> str | None:
    """The first letter of ``text`` that LOOKALIKES takes for a Latin one."""
    return next((char for char in text if char in LOOKALIKES), None)


_SURROGATE_PAIR = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
_CODE_POINT_HINT = "write the character itself, or its code point as '\\U' and eight hex digits, e.g. \"\\U0001F680\" for 🚀"


def escape_problem(text: str, start: int, language: str) -> tuple[int, str, str]:
    """(index, message, hint) for a "\\u" or "\\U" escape at ``start`` that YAML or TOML (``language``)
    refuses: a UTF-16 surrogate, alone or as a JSON-style pair ("\\ud83d\\ude80"), or a number beyond
    U+10FFFF. Both name code points: one explanation for either file (QA DN, DT)."""
    pair = _SURROGATE_PAIR.match(text, start)
    if pair:
        high, low = int(pair[1], 16), int(pair[2], 16)
        char = chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        return (start, f"unreadable {language}: '{pair[0]}' is a UTF-16 surrogate pair: {language} escapes name code points, not UTF-16 halves",
                f"write the character itself ('{char}'), or its code point: \"\\U{ord(char):08X}\"")
    escape = _ESCAPE.match(text, start)
    written = escape[0] if escape else text[start:start + 6]
    code = int(written[2:], 16) if escape else None
    if code is not None and 0xD800 <= code <= 0xDFFF:
        return (start, f"unreadable {language}: '{written}' is half of a UTF-16 surrogate pair, no character: {language} escapes name code points, "
                "not UTF-16 halves", _CODE_POINT_HINT)
    return start, f"unreadable {language}: '{written}' names no character: the last code point is U+10FFFF", _CODE_POINT_HINT


def no_character_escape(line: str) -> int | None:
    """Where a line's first "\\u" or "\\U" escape that names no character starts (a UTF-16 surrogate, a
    number beyond U+10FFFF); None when it has none."""
    for escape in _ESCAPE.finditer(line):
        code = int(escape[0][2:], 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            return escape.start()
    return None
