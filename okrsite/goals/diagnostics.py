"""Diagnostics are values: every stage appends to a Report, and the CLI prints them all at once.

Three severities: an error stops the build; a warning stops it only under --strict; a notice (something
time alone made true, like a stale KPI) never does, unless --fail-on-stale asks for it, so that a
scheduled CI job is not broken by the calendar.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import cycle
from typing import Any, Container, Iterable

from .formats import FIRST_STRONG_ISOLATE, ISOLATE, POP_ISOLATE

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"
SEVERITIES = (ERROR, WARNING, NOTICE)
NO_LINE = 0  # a problem of a folder (the output folder), which has no lines: said as "site: error: ...", not "site:1:"


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    file: str
    line: int
    message: str
    hint: str  # how to fix it: every diagnostic has one (tests/goals/test_diagnostics.py checks the code base)
    timed: bool = True  # a notice of something time made true (stale): --fail-on-stale makes it an error; one that only tells, never

    @property
    def where(self) -> str:
        """FILE:LINE, or FILE alone for a problem with no line (NO_LINE)."""
        return self.file if self.line == NO_LINE else f"{self.file}:{self.line}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": None if self.line == NO_LINE else self.line, "message": self.message, "hint": self.hint}


SHOWN_CHARACTERS = 60  # of a value quoted in a message: a megabyte pasted into `parent:` is not echoed whole


def shortened(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """``text`` as a message shows it: whole, or its first ``limit`` characters and how long it is,
    'llll…(1000000 characters)'."""
    return text if len(text) <= limit + 20 else f"{text[:limit]}…({len(text)} characters)"


def quoted(value: Any) -> str:
    """A value in single quotes for a message, shortened (see ``shortened``)."""
    return f"'{shortened(str(value))}'"


# A run no message writes itself: a value quoted (or a path, a web address) of hundreds of characters.
_LONG_RUN = re.compile(r"'[^'\n]{300,}'|[^\s'\"()]{300,}")


def _bounded(text: str) -> str:
    """A message or hint with any value its writer quoted whole shortened (a net under ``quoted``)."""
    if len(text) < 300:
        return text
    return _LONG_RUN.sub(lambda m: quoted(m[0][1:-1]) if m[0].startswith("'") else shortened(m[0]), text)


@dataclass
class Report:
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str, line: int, message: str, hint: str) -> None:
        self.items.append(Diagnostic(ERROR, file, line, _bounded(message), _bounded(hint)))

    def warning(self, file: str, line: int, message: str, hint: str) -> None:
        self.items.append(Diagnostic(WARNING, file, line, _bounded(message), _bounded(hint)))

    def notice(self, file: str, line: int, message: str, hint: str, timed: bool = True) -> None:
        """``timed``: time alone made it true (a stale KPI), so --fail-on-stale makes it an error; a notice
        that only tells (a file okrsite does not use) stays a notice."""
        self.items.append(Diagnostic(NOTICE, file, line, _bounded(message), _bounded(hint), timed))

    def extend(self, other: "Report") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    @property
    def notices(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == NOTICE]

    def failed(self, strict: bool = False, fail_on_stale: bool = False) -> bool:
        return any(d.severity == ERROR for d in self.sorted(strict, fail_on_stale))

    def sorted(self, strict: bool = False, fail_on_stale: bool = False) -> list[Diagnostic]:
        """Diagnostics in file order; --strict promotes warnings to errors, --fail-on-stale notices."""
        promoted = {WARNING} if strict else set()
        if fail_on_stale:
            promoted.add(NOTICE)
        items = [replace(d, severity=ERROR) if d.severity in promoted and d.timed else d for d in self.items]
        return sorted(items, key=lambda d: (d.file, d.line, d.severity, d.message))

    def counts(self, strict: bool = False, fail_on_stale: bool = False) -> str:
        """'1 error, 0 warnings, 2 notices', after promotion."""
        items = self.sorted(strict, fail_on_stale)
        return ", ".join(plural(sum(d.severity == s for d in items), s) for s in SEVERITIES)


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def wide_encoding(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' for text saved so (Notepad's "Unicode", Windows PowerShell's `>`, Excel's
    "Unicode text"): its byte-order mark, or without one, a NUL byte beside every character of its
    first line (ASCII text in two or four bytes a character); None for other bytes."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    head = raw[:64]
    if b"\x00" not in head[:4] or len(head) < 4:
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        cut = head[: len(head) - len(head) % width]
        units = [cut[i:i + width] for i in range(0, len(cut), width)]
        if all(unit.count(0) == width - 1 for unit in units):
            return name
    return None


def not_utf8(raw: bytes, what: str, hint: str) -> tuple[int, str, str]:
    """(line, message, hint) for bytes that are not UTF-8: saved as UTF-16 or UTF-32, or the line of the
    first byte that is not UTF-8, and what that byte is in Windows-1252, the encoding such a file
    usually has (Notepad, Excel)."""
    wide = wide_encoding(raw)
    if wide:
        return 1, f"{what} is saved as {wide}, not UTF-8", hint
    try:
        raw.decode("utf-8")
        return 1, f"{what} is not UTF-8 text", hint
    except UnicodeDecodeError as exc:
        at = exc.start
    byte = raw[at]
    try:
        meant = f", '{bytes([byte]).decode('cp1252')}' in Windows-1252"
    except UnicodeDecodeError:
        meant = ""
    return raw.count(b"\n", 0, at) + 1, f"{what} is not UTF-8 text: this line has the byte 0x{byte:02X}{meant}", hint


_CONFLICT_MARKER = re.compile(r"^(<{7}|\|{7}|>{7})(?: |$)", re.M)  # git's; its ======= line alone may underline a Markdown heading
CONFLICT_HINT = "resolve the conflict: keep one side, delete the marker lines, then commit"


def merge_conflict(text: str, shown_lines: Container[int] = ()) -> tuple[int, str, str] | None:
    """(line, message, hint) of the first marker of a merge conflict git left in a goals file's ``text``
    (its lines ended by LF), the same for every kind of file; None without a line opening one
    (`<<<<<<< HEAD`): the `=======` between the two sides also underlines a Markdown heading.
    ``shown_lines`` (1-based) are where the text shows markers rather than git having left them (a
    Markdown body's fenced code): a conflict is one with a marker elsewhere, said at the first such."""
    markers = list(_CONFLICT_MARKER.finditer(text)) if "<<<<<<<" in text else []
    if not any(marker[1].startswith("<") for marker in markers):
        return None
    left = [(line, marker[1]) for marker in markers if (line := text.count("\n", 0, marker.start()) + 1) not in shown_lines]
    if not left:
        return None
    line, first = left[0]
    return line, f"unresolved merge conflict (git's {first} marker)", CONFLICT_HINT


def written_value(value: Any) -> str:
    """A value as YAML writes it, on one line: None -> 'null', True -> 'true', nan -> '.nan', [a, b]."""
    import yaml  # here: a build with nothing changed reads no YAML, and must not import PyYAML (diagnostics it does)

    try:
        return yaml.safe_dump(value, default_flow_style=True, width=10**6).removesuffix("\n...\n").strip()
    except yaml.YAMLError:
        return str(value)


def type_name(value: Any) -> str:
    return {dict: "a set of keys", list: "a list", bool: "true/false", bytes: "binary data (!!binary)"}.get(type(value), type(value).__name__)


def shown_value(value: Any) -> str:
    """A written value as a message quotes it, in YAML's words, not Python's: text in quotes
    ('thirty'), a number as written (1.0e+20, .nan, .inf), "the date 2026-11-01", "true/false", "null (an
    empty value)", "a list [a, b]", "a set of keys {a: 1}"; shortened as ``shortened`` does."""
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null (an empty value)"
    if isinstance(value, str):
        if len(value) > SHOWN_CHARACTERS + 20:
            cut = repr(value[:SHOWN_CHARACTERS])
            return f"{cut[:-1]}…({len(value)} characters){cut[-1]}"
        return repr(value)
    elif isinstance(value, datetime):
        written = "the date and time " + value.isoformat(sep=" ")
    elif isinstance(value, date):
        written = "the date " + value.isoformat()
    elif isinstance(value, (list, dict)):
        written = f"{type_name(value)} {written_value(value)}"
    else:
        written = written_value(value)
    return shortened(written)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def listed(names: list[str] | tuple[str, ...]) -> str:
    """"A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the nearest candidate, or '' when nothing is close."""
    meant = nearest(word, candidates)
    return f"did you mean '{meant}'?" if meant is not None else ""


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` most likely means, or None when nothing is close. The same word in other
    case or with spaces for hyphens ('TOP', 'Grow Sales' for 'grow-sales') is the nearest of all, then
    the same parts in another order ('Q4-FY27' for 'FY27-Q4'), which spelling distance ranks low. A
    path to a goals file ('grow.md', 'objectives\\grow.md' copied from Explorer) means its file's id."""
    options = sorted(set(candidates))
    written = str(word)
    stem = _file_stem(written)
    if stem is None:
        return _nearest(written, options)
    if stem in options:
        return stem
    return _nearest(stem, options, close=False) or _nearest(written, options) or _nearest(stem, options)


_PATH_PARTS = re.compile(r"[\\/]+")


def _file_stem(written: str) -> str | None:
    """The name without .md of the file a path names ('content\\objectives\\grow.md': 'grow'), None when
    ``written`` is no path of a Markdown file or folder."""
    if "/" not in written and "\\" not in written and not written.lower().endswith(".md"):
        return None
    name = _PATH_PARTS.split(written.strip("/\\ "))[-1]
    stem = name[:-3] if name.lower().endswith(".md") else name
    return stem if stem and stem != written else None


def _nearest(written: str, options: list[str], close: bool = True) -> str | None:
    """nearest's rules for one word; ``close`` False: the same word in other case or with spaces only."""
    folded: dict[str, str] = {}
    for option in options:
        folded.setdefault(_fold(option), option)
    same = folded.get(_fold(written))
    if same is not None and same != written:
        return same
    if not close:
        return None
    reordered = [option for option in options if _parts(option) == _parts(written) and option != written]
    if len(reordered) == 1:
        return reordered[0]
    matches = difflib.get_close_matches(written, options, n=1, cutoff=0.6)
    if not matches:
        near = difflib.get_close_matches(_fold(written), sorted(folded), n=1, cutoff=0.6)
        matches = [folded[near[0]]] if near else []
    return matches[0] if matches else None


def _fold(text: str) -> str:
    return "-".join(text.casefold().replace("_", " ").replace("-", " ").split())


def _parts(text: str) -> list[str]:
    return sorted(_fold(text).split("-"))


BIDI_CONTROLS = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROL = {**{code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)] if code != 0x09},
            0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029", **{code: f"\\u{code:04x}" for code in BIDI_CONTROLS}}


def one_line(text: str) -> str:
    """``text`` on one line of a terminal or a CI log: line breaks and other control characters a
    goals file may hold written as escapes. Raw, a value could start a line of its own that a CI
    runner reads as a command (GitHub's `::add-mask::`) or that a terminal obeys (an escape sequence),
    and a bidi control (U+202E, a right-to-left override) shows the rest of the line reversed. The
    isolates okrsite puts around right-to-left text (``formats.isolated``) are kept as they are: a
    closed pair holds no control unescaped and only keeps the numbers after a Hebrew title in order,
    where their escapes would show as `\\u2068…\\u2069` around the title."""
    return "".join(part.translate(_CONTROL) if outside else f"{FIRST_STRONG_ISOLATE}{part.translate(_CONTROL)}{POP_ISOLATE}"
                   for outside, part in zip(cycle((True, False)), ISOLATE.split(text)))


def command_line(*words: object) -> str:
    """A command a message tells to run, each word quoted for a shell, so that it can be pasted as is:
    a file named `sales;touch x;#.md` or `sales team.md` stays one word of it."""
    return " ".join(shlex.quote(str(word)) for word in words)


def restore_command(revision: str, path: str, prefix: str = "") -> str:
    """The git command that brings back ``path`` (from the site's root) as ``revision`` had it. For a site
    in a folder of its repository (``prefix``, "goals/"), the path is named from the repository's top
    (`:(top)`), so that the command works wherever in the repository it is pasted: `check` names files
    from the top, and git reads a plain path from the folder it runs in."""
    return command_line("git", "checkout", revision, "--", f":(top){prefix}{path}" if prefix else path)


def format_text(items: list[Diagnostic]) -> str:
    """One line per problem: FILE:LINE: SEVERITY: MESSAGE (HINT), or FILE: SEVERITY: ... when it has no line."""
    lines = []
    for d in items:
        hint = f" ({d.hint})" if d.hint else ""
        lines.append(one_line(f"{d.where}: {d.severity}: {d.message}{hint}"))
    return "\n".join(lines)


NO_FIELD = object()


def format_json(items: list[Diagnostic], history: str | None | object = NO_FIELD) -> str:
    """The diagnostics by severity; with ``history`` (`check`'s), a "history" field too: what it says of
    a git history it could not read whole, null when it read it all."""
    said: dict[str, Any] = {f"{severity}s": [d.as_dict() for d in items if d.severity == severity] for severity in SEVERITIES}
    if history is not NO_FIELD:
        said["history"] = history
    return json.dumps(said, indent=2, ensure_ascii=False)


_GITHUB_CONTROL = {code: said for code, said in _CONTROL.items() if code not in (0x0A, 0x0D)}  # line breaks are %0A: an annotation may have lines


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """A workflow command's text: `%`, line breaks (and, in a property, `:` and `,`) as GitHub decodes
    them; any other control character written as an escape, as the text format writes it (raw, an
    escape sequence would reach the log, and a terminal reading it)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").translate(_GITHUB_CONTROL)
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(items: list[Diagnostic]) -> str:
    lines = []
    for d in items:
        message = d.message + (f" ({d.hint})" if d.hint else "")
        file = _github_escape(d.file, property_value=True)
        line = "" if d.line == NO_LINE else f",line={d.line}"
        lines.append(f"::{d.severity} file={file}{line}::{_github_escape(message)}")
    return "\n".join(lines)


def github_warning(text: str) -> str:
    """A warning annotation that names no file (about the run, not a goals file)."""
    return f"::warning title=okrsite::{_github_escape(text)}"


FORMATS = {"text": format_text, "json": format_json, "github": format_github}
