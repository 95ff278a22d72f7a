"""Settings: okrsite.toml, declared and validated (every key optional, unknown keys are errors)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import shlex
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import unquote, urlparse

from .characters import escape_problem, no_character_escape, unseen_in, unseen_problem
from .diagnostics import Report, did_you_mean, merge_conflict, nearest, not_utf8, quoted, shown_value, wide_encoding
from .files import SETTINGS_FILE, loop_problem
from .formats import NUMBER_FORMATS, clean_text, one_form
from .model import Period
from .clock import today
from .periods import PeriodError, no_such_day, parse_period, period_hint, to_date
from .webaddress import START as _START, folder_problem, path_problem, web_address_problem

AUDIENCES = ("internal", "public")  # who a build is for (SPEC §14): everything, or what may be published


@dataclass(frozen=True)
class Settings:
    title: str = "OKRs"
    as_of: date | None = None
    default_period: str | None = None
    current_period: str | None = None
    default_kind: str = "committed"
    aspirational_goal: float = 0.7
    on_track_gap: float = 0.10
    at_risk_gap: float = 0.25
    allow_html: bool | str = False  # True: raw HTML kept; "safe": a small allow-list of inline tags
    repo_url: str | None = None
    edit_uri: str | None = None
    history_uri: str | None = None
    site_url: str | None = None
    git_history: bool = True
    stale_after_days: int = 14
    number_format: str = "full"
    language: str = "en"  # the BCP 47 tag of the goals' language: every page's <html lang>
    noindex: bool | None = None  # unset: follows the audience (see keeps_crawlers_out)
    audience: str = "internal"
    search: str = "builtin"  # builtin: okrsite's own index | pagefind: Pagefind's full-text index as well
    workers: int | None = None  # processes that render a large build; unset: every core (OKRSITE_WORKERS wins)
    periods: Mapping[str, Period] = field(default_factory=dict)
    # What okrsite.toml has but okrsite could not read, each already an error there: "*" (the whole
    # file, with "as_of" beside it when the file writes one or cannot be told not to), a setting's
    # name, "periods" (the table) or "periods.NAME" (casefolded). Not a setting.
    unread: tuple[str, ...] = ()  # sorted: its repr is part of the build cache's key

    def goal(self, kind: str) -> float:
        return self.aspirational_goal if kind == "aspirational" else 1.0

    @property
    def keeps_crawlers_out(self) -> bool:
        """noindex as set, else by the site's audience: an internal site stays out of search engines,
        a public one is meant to be found."""
        return self.audience == "internal" if self.noindex is None else self.noindex

    @property
    def as_of_unread(self) -> bool:
        """Whether okrsite.toml sets an as-of date that could not be read: what depends on the day the
        site is shown as of (a value dated after it) waits until the file is fixed."""
        return "as_of" in self.unread

    def period_unread(self, name: Any) -> bool:
        """Whether an unknown (or, for None, a missing) period only repeats an error of okrsite.toml:
        the file, its [periods] table or that period's definition could not be read, or (None)
        default_period could not. The files that use it are not blamed for it too."""
        if "*" in self.unread:
            return True
        if name is None:
            return "default_period" in self.unread
        return "periods" in self.unread or f"periods.{one_form(str(name).strip()).casefold()}" in self.unread


def shown_as_of(given: date | None, setting: date | None, clock: Callable[[], date] | None = None) -> date:
    """The day a site is shown as of (SPEC §6): ``--as-of``, else the `as_of` setting, else today
    (by ``clock``: the live preview's, which tests set). Builds, the preview's forms, check-ins, the
    digest and the build cache all ask this one rule."""
    return given or setting or (clock or today)()


def is_today(day: date, clock: Callable[[], date] | None = None) -> bool:
    """Whether a site shown as of ``day`` is shown as of today: `--as-of` today is as no `--as-of`."""
    return day == (clock or today)()


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text in quotes")
    if not clean_text(value):
        raise SettingProblem("is empty", "write its value between the quotes, or leave the line out")
    return clean_text(value)


def _line(value: Any) -> str:
    """Text shown on one line (the site's title: a page's <title>, a feed's, an email's Subject:): a
    line break written in it, even U+2028, is a space."""
    return " ".join(_text(value).split())


def _date(value: Any) -> date:
    parsed = to_date(value)
    if parsed is None:
        why, hint = no_such_day(value) or ("", "")
        raise ValueError("must be a date like 2026-11-23" + (f": {why} ({hint})" if why else ""))
    return parsed


def _share(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError("must be a number between 0 and 1")
    return float(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _allow_html(value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    meant = nearest(value, ("true", "false")) if isinstance(value, str) else None
    if meant is not None:
        raise SettingProblem(f"must be true, false or \"safe\", not '{value}' in quotes", f"write allow_html = {meant}, without quotes")
    return _one_of(value, ("safe",), 'true, false or "safe"')


def safe_html_available() -> bool:
    """Whether the HTML sanitizer behind allow_html = "safe" (nh3, the okrsite[safe-html] extra) is installed."""
    return importlib.util.find_spec("nh3") is not None


def pagefind_available() -> bool:
    """Whether Pagefind (search = "pagefind", the okrsite[pagefind] extra) is installed."""
    return importlib.util.find_spec("pagefind") is not None


# What each extra of pyproject.toml adds: the one package to install when how okrsite was installed is unknown.
EXTRAS = {"safe-html": "nh3>=0.2.14", "pagefind": "pagefind[extended]>=1.1"}


def install_extra(extra: str) -> str:
    """The pip command that adds ``extra`` to okrsite the way this okrsite was installed: never
    `pip install 'okrsite[extra]'`, which would fetch another package of that name from PyPI."""
    return pip_install_extra(extra, _installed_from())


def pip_install_extra(extra: str, direct_url: Mapping[str, Any] | None) -> str:
    """The command for an installation that pip recorded in ``direct_url`` (PEP 610's direct_url.json):
    a folder or a wheel by its path while it is there, a git repository by its address at the commit
    installed, else the extra's own package; that too for a recorded address or path with a character
    a terminal does not print as itself (an escape code could hide part of the command, QA DY)."""
    command = _recorded_install(extra, direct_url or {})
    return command if command.isprintable() else "pip install " + shlex.quote(EXTRAS[extra])


def _recorded_install(extra: str, direct_url: Mapping[str, Any]) -> str:
    url = str(direct_url.get("url") or "")
    vcs = direct_url.get("vcs_info") or {}
    if url and vcs.get("vcs") == "git":
        at = f"@{vcs['commit_id']}" if vcs.get("commit_id") else ""
        return "pip install " + shlex.quote(f"okrsite[{extra}] @ git+{url}{at}")
    if url.startswith("file://") and not _still_there(unquote(urlparse(url).path)):  # moved or removed since
        return "pip install " + shlex.quote(EXTRAS[extra])
    if url.startswith("file://"):
        editable = (direct_url.get("dir_info") or {}).get("editable")
        return "pip install " + ("-e " if editable else "") + shlex.quote(f"{unquote(urlparse(url).path)}[{extra}]")
    if url and "archive_info" in direct_url:
        return "pip install " + shlex.quote(f"okrsite[{extra}] @ {url}")
    return "pip install " + shlex.quote(EXTRAS[extra])


def _still_there(path: str) -> bool:
    """Whether a recorded path is there; not for one the system cannot look up (too long, a NUL in it)."""
    try:
        return Path(path).exists()
    except (OSError, ValueError):
        return False


def _installed_from() -> Mapping[str, Any] | None:
    """direct_url.json of the installed okrsite, if it is the okrsite running (not one of another
    folder, with this one run from its source by PYTHONPATH)."""
    try:
        dist = importlib.metadata.distribution("okrsite")
        recorded = json.loads(dist.read_text("direct_url.json") or "null")
    except (importlib.metadata.PackageNotFoundError, ValueError, OSError):
        return None
    if not isinstance(recorded, dict):
        return None
    package = Path(__file__).resolve().parents[1]
    url = str(recorded.get("url") or "")
    if (recorded.get("dir_info") or {}).get("editable"):
        running = url.startswith("file://") and Path(unquote(urlparse(url).path)).resolve() == package.parent
    else:
        running = Path(str(dist.locate_file("okrsite"))).resolve() == package
    return recorded if running else None


def _one_of(value: Any, choices: tuple[str, ...], said: str) -> str:
    """``value`` when it is one of ``choices``; else the problem, with the nearest choice for a typo
    (SPEC §7: "commited" is "did you mean 'committed'?", as in a goals file)."""
    if value in choices:
        return value
    message = f"must be {said}" + (f", not '{value}'" if isinstance(value, str) else "")
    hint = did_you_mean(value, choices) if isinstance(value, str) else ""
    raise SettingProblem(message, hint) if hint else ValueError(message)


def _search(value: Any) -> str:
    return _one_of(value, ("builtin", "pagefind"), '"builtin" or "pagefind"')


def _web_url(value: Any) -> str:
    text = _text(value)
    problem = web_address_problem(text)
    if problem:
        raise SettingProblem(f"is not a web address: {shown_value(text)} {problem[0]}", problem[1])
    return text


def _site_url(value: Any) -> str:
    """The address of the folder the site is published in: changes.xml, 404.html and the digest put a
    page's path after it, so it ends in no page, query or fragment."""
    text = _web_url(value)
    problem = folder_problem(text)
    if problem:
        raise SettingProblem(f"is not the address of a folder: {shown_value(text)} {problem[0]}", problem[1])
    return text


def _uri_path(value: Any) -> str:
    """A path under repo_url (edit/main/) or a whole web address; never javascript: or the like. Empty
    (`edit_uri = ""`, as in MkDocs): no such link, also on GitHub and GitLab."""
    if value == "":
        return ""
    text = _text(value)
    if _START.match(text):
        return _web_url(text)
    if ":" in text.split("/", 1)[0]:
        raise ValueError("must be a path below repo_url, such as 'edit/main/', or a web address starting with https://")
    problem = path_problem(text)
    if problem:
        raise SettingProblem(f"is not a path in a web address: {shown_value(text)} {problem[0]}", problem[1])
    if _goes_up(text):
        raise SettingProblem(f"must be a path below repo_url, but {shown_value(text)} goes up out of it with '..'",
                             "write the path from repo_url down, such as 'edit/main/', or a whole web address starting with https://")
    return text


_UP = re.compile(r"(?:\.|%2e){2}\Z", re.IGNORECASE)


def _goes_up(path: str) -> bool:
    """Whether a segment of ``path`` (before any '?' or '#') is '..', which a browser reads also when
    written %2e%2e."""
    return any(_UP.match(segment) for segment in re.split(r"[?#]", path, maxsplit=1)[0].split("/"))


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number of days, at least 1")
    return value


def _workers(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number of processes, at least 1")
    return value


def _kind(value: Any) -> str:
    return _one_of(value, ("committed", "aspirational"), "'committed' or 'aspirational'")


def _number_format(value: Any) -> str:
    return _one_of(value, tuple(NUMBER_FORMATS), "'full' or 'compact'")


_LANGUAGE_TAG = re.compile(r"""
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3})              # a language, with extended language subtags (zh-yue)
    (?:-[a-z]{4})?                                # a script (zh-Hans)
    (?:-(?:[a-z]{2}|[0-9]{3}))?                   # a region (pt-BR, es-419)
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*      # variants (de-CH-1996)
    (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*           # extensions (de-DE-u-co-phonebk)
    (?:-x(?:-[a-z0-9]{1,8})+)?                    # private use (en-US-x-twain)
    | x(?:-[a-z0-9]{1,8})+                        # private use alone (x-klingon)
    | en-gb-oed | sgn-(?:be-fr|be-nl|ch-de)       # the grandfathered tags of another form
    | i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    """, re.X | re.I)


def _language(value: Any) -> str:
    """A BCP 47 language tag as pages declare it: a language, then an optional script, region, variants,
    extensions and private use ("ja", "zh-Hans", "pt-BR", "de-CH-1996", "de-DE-u-co-phonebk", "x-klingon")."""
    if isinstance(value, str) and _LANGUAGE_TAG.fullmatch(value.strip()):
        return value.strip()
    shown = f", not '{value}'" if isinstance(value, str) else ""
    raise SettingProblem(f"must be a language tag such as 'en', 'ja', 'zh-Hans' or 'pt-BR'{shown}",
                         "write the BCP 47 tag of the language the goals are written in (a language, then an optional script and region, joined by '-')")


COUNTRY_CODES = {"jp": ("Japan", "ja", ""), "cn": ("China", "zh", ""), "kr": ("South Korea", "ko", "Kanuri"), "ua": ("Ukraine", "uk", ""),
                 "dk": ("Denmark", "da", ""), "se": ("Sweden", "sv", "Northern Sami"), "gr": ("Greece", "el", ""), "cz": ("Czechia", "cs", ""),
                 "il": ("Israel", "he", ""), "vn": ("Vietnam", "vi", ""), "gb": ("the United Kingdom", "en-GB", ""), "us": ("the United States", "en-US", ""),
                 "ir": ("Iran", "fa", ""), "ee": ("Estonia", "et", "Ewe"), "br": ("Brazil", "pt-BR", "Breton"), "at": ("Austria", "de-AT", ""),
                 "ae": ("the United Arab Emirates", "ar", ""), "sa": ("Saudi Arabia", "ar", "Sanskrit"), "eg": ("Egypt", "ar", "")}
"""Country codes written for a language tag by mistake: (the country, its language's tag, the language the
code is itself, if any). `jp` is no language: a screen reader has no voice for a page so declared."""


def mistaken_language(tag: str) -> tuple[str, str, bool] | None:
    """(message, hint, whether the code is a language too) when ``tag``'s language is a country's code."""
    code = tag.split("-", 1)[0].casefold()
    if code not in COUNTRY_CODES:
        return None
    country, meant, itself = COUNTRY_CODES[code]
    if itself:
        return (f"setting 'language': '{tag}' is {itself}, and also the country code of {country}",
                f"for the language of {country} write '{meant}'; keep '{tag}' if the goals are written in {itself}", True)
    return (f"setting 'language': '{tag}' is the country code of {country}, not a language, so a screen reader has no voice for the pages",
            f"did you mean '{meant}'? " + ("a region comes after the language's tag" if "-" in meant
                                            else f"write the language's tag, and the country after it if it matters: '{meant}-{code.upper()}'"), False)


class SettingProblem(ValueError):
    """A setting's value is wrong, with a hint more precise than the settings page."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def audience_problem(value: Any) -> tuple[str, str] | None:
    """(message, hint) when ``value`` is not an audience (the setting or --audience), else None."""
    if value in AUDIENCES:
        return None
    shown = f", not '{value}'" if isinstance(value, str) else ""
    return f"must be 'internal' or 'public'{shown}", (did_you_mean(str(value), AUDIENCES) if isinstance(value, str) else "") or \
        "internal shows everything (behind your login); public leaves out private objectives and confidential numbers"


def _audience(value: Any) -> str:
    problem = audience_problem(value)
    if problem:
        raise SettingProblem(*problem)
    return value


def _period_id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "title": _line,
    "as_of": _date,
    "default_period": _period_id,
    "current_period": _period_id,
    "default_kind": _kind,
    "aspirational_goal": _share,
    "on_track_gap": _share,
    "at_risk_gap": _share,
    "allow_html": _allow_html,
    "repo_url": _web_url,
    "edit_uri": _uri_path,
    "history_uri": _uri_path,
    "site_url": _site_url,
    "git_history": _bool,
    "stale_after_days": _days,
    "number_format": _number_format,
    "language": _language,
    "noindex": _bool,
    "audience": _audience,
    "search": _search,
    "workers": _workers,
}
KNOWN_KEYS = sorted([*_CONVERTERS, "periods"])
assert set(KNOWN_KEYS) == {f.name for f in fields(Settings)} - {"unread"}


_BARE_KEY = r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'"""
_KEY_PATH = rf"(?:{_BARE_KEY})(?:\s*\.\s*(?:{_BARE_KEY}))*"
_TABLE_LINE = re.compile(rf"^\s*\[\[?\s*({_KEY_PATH})\s*\]\]?\s*(?:#.*)?$")
_KEY_VALUE_LINE = re.compile(rf"^\s*({_KEY_PATH})\s*=")


def _toml_path(written: str) -> tuple[str, ...]:
    """'periods."FY.1"' -> ('periods', 'FY.1'): a dotted TOML key, its parts unquoted (and a basic
    string's escapes read, as tomllib reads them: "FY27\\u002DQ4" is FY27-Q4)."""
    return tuple(_key_part(part) for part in re.findall(_BARE_KEY, written))


def _key_part(written: str) -> str:
    if written[:1] == "'":
        return written[1:-1]
    if written[:1] == '"':
        try:
            return tomllib.loads(f"k = {written}")["k"]
        except tomllib.TOMLDecodeError:
            return written[1:-1]
    return written


def _key_paths(text: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line, key path) of each [table] line and each key's line of okrsite.toml, as TOML nests them:
    a key below [periods.FY27-Q1] is ('periods', 'FY27-Q1', 'start')."""
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), 1):  # TOML's lines: a NEL or U+2028 in a string breaks none (QA DY)
        header = _TABLE_LINE.match(line)
        if header:
            table = _toml_path(header[1])
            yield number, table
            continue
        pair = _KEY_VALUE_LINE.match(line)
        if pair:
            yield number, table + _toml_path(pair[1])


def _key_line(text: str, *path: str) -> int:
    """The line where the key ``path`` (('title',), ('periods', 'FY27-Q1', 'start')) is written in
    okrsite.toml, as TOML nests keys: under a [table] line, as a dotted key or as the table's own
    [line]. tomllib gives no lines; where the key itself is not on a line of its own (an inline
    table), the line of the nearest key above it in the path; else 1."""
    best, best_depth = 1, 0
    for number, found in _key_paths(text):
        depth = next((i for i, (a, b) in enumerate(zip(found, path)) if a != b), min(len(found), len(path)))
        if depth == len(path):
            return number
        if depth > best_depth and depth == len(found):
            best, best_depth = number, depth
    return best


def _path_on_line(text: str, number: int) -> tuple[str, ...]:
    """The key path written on line ``number`` of okrsite.toml: a [table] line's, or a key's under
    the table it is in; () for any other line."""
    return next((found for at, found in _key_paths(text) if at == number), ())


_TWICE = ("Cannot overwrite a value", "Cannot declare")  # how tomllib words a key or [table] written twice


def _written_twice(text: str, number: int, error: str) -> tuple[str, str] | None:
    """(message, hint) for a key or [table] that tomllib refused at line ``number`` as written
    before, naming it and the line it was first written on; None for any other TOML error."""
    if not error.startswith(_TWICE):
        return None
    path = _path_on_line(text, number)
    first = _key_line(text, *path) if path else number
    if first >= number:
        return None
    return f"'{'.'.join(path)}' is written twice (also on line {first})", "keep the one you mean and delete the other"


def _period_key_hint(name: str, key: str) -> str:
    """A setting written below [periods.NAME] (appended at the end of the file, say) is, in TOML,
    a key of that period: say where it belongs."""
    below = f"in TOML, every line below [periods.{name}] belongs to that period: move it above the first [periods.…] line"
    if key in KNOWN_KEYS:
        return below
    typo = did_you_mean(key, ("start", "end"))
    if typo:
        return f"{typo} (a period has only start and end)"
    setting = did_you_mean(key, KNOWN_KEYS)
    return f"{setting} {below}" if setting else "a period has only start and end"


def _named_periods(raw: Any, text: str, report: Report, unread: set[str]) -> dict[str, Period]:
    """The named periods; the name of each that cannot be read goes to ``unread`` ("periods.name")."""
    if not isinstance(raw, dict):
        report.error(SETTINGS_FILE, _key_line(text, "periods"), "'periods' must be a table of named periods", "write [periods.FY27-Q1] with start = 2026-02-01 and end = 2026-04-30")
        unread.add("periods")
        return {}
    periods = {}
    folded: dict[str, str] = {}  # each name as a goal's `period:` may write it: the name first written so
    for name, spec in raw.items():
        line = _key_line(text, "periods", name)
        misnamed = _period_name_problem(name)
        if misnamed:  # said beside the period's other problems (SPEC §7: all errors in one run)
            report.error(SETTINGS_FILE, line, *misnamed)
        elif (same := folded.setdefault(one_form(name).casefold(), name)) != name:  # `period: fy27-q1` would name either
            report.error(SETTINGS_FILE, line, f"periods '{same}' and '{name}' differ only in case: a goal's period names either of them",
                         "give each period a name of its own, or remove one")
            continue
        if not isinstance(spec, dict):
            report.error(SETTINGS_FILE, line, f"period '{name}' must be a table with start and end", f"write [periods.{name}] then start = ... and end = ...")
            unread.add(f"periods.{one_form(name).casefold()}")
            continue
        for key in spec:  # reported beside any other problem of the period (SPEC §7: all errors in one run)
            if key not in _PERIOD_EXAMPLES:
                report.error(SETTINGS_FILE, _key_line(text, "periods", name, key), f"period '{name}' has unknown key '{key}'", _period_key_hint(name, key))
        problems = _period_problems(name, spec)
        for key, message, hint in problems:
            report.error(SETTINGS_FILE, _key_line(text, "periods", name, key) if key else line, message, hint)
        if problems or misnamed:
            unread.add(f"periods.{one_form(name).casefold()}")
            continue
        periods[one_form(name)] = Period(one_form(name), to_date(spec["start"]), to_date(spec["end"]))
    return periods


_PERIOD_EXAMPLES = {"start": "2026-02-01", "end": "2026-04-30"}  # a named period's keys, each with an example


def _period_name_problem(name: str) -> tuple[str, str] | None:
    """(message, hint) for a period's name no goal could write as its `period:` (read trimmed, as
    text), or one that pages would show otherwise than it reads: spaces around it, a control
    character (a NUL written into every page that names it), an invisible or direction-changing one."""
    if name != name.strip():
        return f"period {quoted(name)} has spaces around its name", (f"write [periods.{name.strip()}]" if name.strip() else "give the period a name, e.g. [periods.FY27-Q1]")
    control = next((char for char in name if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0), None)
    if control is not None:
        return f"period {quoted(name)} holds a control character (U+{ord(control):04X})", "write its name with letters, digits and hyphens, e.g. [periods.FY27-Q1]"
    unseen = unseen_in(name)
    if unseen:
        return f"period {quoted(name)} holds {unseen}", "type its name anew, with letters, digits and hyphens, e.g. [periods.FY27-Q1]"
    return None


def _period_problems(name: str, spec: dict) -> list[tuple[str | None, str, str]]:
    """(the key at fault, or None for the period's table; message; hint) for each problem of a named
    period's start and end: one missing, one that is not a date, an end before the start."""
    missing = [key for key in _PERIOD_EXAMPLES if key not in spec]
    if missing:
        said = "neither" if len(missing) == 2 else f"no {missing[0]}"
        keys = " and ".join(f"{key} = YYYY-MM-DD" for key in missing)
        examples = " and ".join(f"{key} = {_PERIOD_EXAMPLES[key]}" for key in missing)
        problems: list[tuple[str | None, str, str]] = [(None, f"period '{name}' needs start and end dates: it has {said}", f"add {keys}, e.g. {examples}")]
    else:
        problems = []
    for key, example in _PERIOD_EXAMPLES.items():
        if key in spec and to_date(spec[key]) is None:
            why, hint = no_such_day(spec[key]) or ("", f"write {key} = YYYY-MM-DD, e.g. {key} = {example}")
            problems.append((key, f"period '{name}': '{key}' must be a date like 2026-02-01, not {shown_value(spec[key])}" + (f": {why}" if why else ""), hint))
    if not problems and to_date(spec["end"]) < to_date(spec["start"]):
        problems.append((None, f"period '{name}' ends before it starts", "swap start and end"))
    return problems


_BARE_DAY = re.compile(r"(=\s*)(\d{4}-\d{1,2}-\d{1,2})(?=\s*(?:[,}#]|$))")  # a value written as a date: start = 2026-13-01


def _read_toml(text: str) -> dict[str, Any]:
    """tomllib's reading of the settings. TOML refuses a date that is no day (start = 2026-13-01,
    2026-02-30, 2026-9-30) as a syntax error at its line: such a date is read as the text it is,
    so that its setting says what is wrong with it (there is no month 13), as a goals file does."""
    while True:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            quoted = _no_day_quoted(text, _error_line(exc))
            if quoted is None:
                raise
            text = quoted


def _no_day_quoted(text: str, number: int) -> str | None:
    """``text`` with the dates that are no day on line ``number`` in quotes; None when it has none."""
    lines = text.split("\n")
    if not 1 <= number <= len(lines):
        return None
    line = lines[number - 1]
    quoted = _BARE_DAY.sub(lambda m: f'{m[1]}"{m[2]}"' if no_such_day(m[2]) else m[0], line)
    if quoted == line:
        return None
    lines[number - 1] = quoted
    return "\n".join(lines)


def _error_line(exc: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"line (\d+)", str(exc))
    return int(match[1]) if match else 1


def _unreadable(text: str) -> Settings:
    """The settings of a file that could not be read at all, its as-of date among what is unread
    when the file writes one (without one, the site is shown as of today, as it would be once fixed)."""
    writes_as_of = any(path == ("as_of",) for _, path in _key_paths(text))
    return Settings(unread=("*", "as_of") if writes_as_of else ("*",))


def _lenient_text(raw: bytes) -> str:
    """Bytes that are not UTF-8 (UTF-16's among them) read well enough to find the keys they write."""
    return raw.replace(b"\x00", b"").decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


_BARE_VALUE_LINE = re.compile(rf"^\s*({_KEY_PATH})\s*=\s*([^\s\"'\[{{].*?)\s*(?:\s#.*)?$")  # a value not in quotes, brackets or braces
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")  # 2027/02/20, 2027.2.20


def _unseen_on_line(text: str, number: int) -> tuple[str, str] | None:
    """(message, hint) when the line TOML cannot read holds a character one cannot see (a byte-order
    mark at its start: two files joined)."""
    lines = text.split("\n")
    problem = unseen_problem(lines[number - 1], "the line", ".toml") if 1 <= number <= len(lines) else None
    return None if problem is None else (f"unreadable TOML: line {number} {problem[0]}", problem[1])


def _no_character_on_line(text: str, number: int, problem: str) -> tuple[str, str] | None:
    """(message, hint) when TOML refuses an escape on line ``number`` as no character ("\\uD83D"): the
    words a goals file's YAML gets (QA DT)."""
    lines = text.split("\n")
    at = no_character_escape(lines[number - 1]) if "not a Unicode scalar value" in problem and 1 <= number <= len(lines) else None
    return None if at is None else escape_problem(lines[number - 1], at, "TOML")[1:]


def _toml_line_hint(text: str, number: int) -> str:
    """The hint for line ``number`` that TOML cannot read. A value written bare that TOML takes for
    nothing (`default_period = FY27-Q4`) is text to put in quotes, or for a date, a date to write as
    YYYY-MM-DD; any other problem is in the quotes or the '='."""
    lines = text.split("\n")
    line = lines[number - 1] if 1 <= number <= len(lines) else ""
    bare = _BARE_VALUE_LINE.match(line)
    if bare is None or _reads_alone(line):
        return "check the quotes and '=' on this line"
    written, value = bare[1], bare[2]
    path = _path_on_line(text, number)
    if path[-1:] in (("as_of",), ("start",), ("end",)):
        return _date_hint(written, value, _PERIOD_EXAMPLES.get(path[-1], "2026-11-23"))
    if len(path) == 1 and path[0] in _CONVERTERS:
        try:
            _CONVERTERS[path[0]](value)
        except ValueError as exc:
            return getattr(exc, "hint", "") or f"'{path[0]}' {exc}"
    return f"write {written} = {json.dumps(value, ensure_ascii=False)} (text goes in quotes)"


def _reads_alone(line: str) -> bool:
    """Whether the line is TOML on its own: then the problem lies in the lines around it."""
    try:
        tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _date_hint(written: str, value: str, example: str) -> str:
    """How to write a date TOML could not read: YYYY-MM-DD, the one meant when its year comes first."""
    year_first = _YEAR_FIRST.match(value)
    if year_first:
        meant = f"{year_first[1]}-{int(year_first[2]):02d}-{int(year_first[3]):02d}"
        if to_date(meant) is not None:
            return f"write the date as YYYY-MM-DD: {written} = {meant}"
    return f"write the date as YYYY-MM-DD, e.g. {written} = {example}"


def settings_text(raw: bytes) -> str:
    """okrsite.toml's text, read as goals files are: with or without a BOM, its lines ended as Windows,
    Unix or old Mac OS end them (TOML itself reads no lone CR). Raises UnicodeDecodeError for bytes
    that are not UTF-8, UTF-16 and UTF-32 among them."""
    if wide_encoding(raw):
        raise UnicodeDecodeError("utf-8", raw, 0, 1, "UTF-16 or UTF-32")
    return raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def load_settings(root: Path, report: Report) -> Settings:
    path = root / SETTINGS_FILE
    if not os.path.lexists(path):
        return Settings()
    try:
        data = path.read_bytes() if path.is_file() else None
        problem = None if data is not None else "it is a folder" if path.is_dir() else "it is no file (a link that leads nowhere?)"
    except OSError as exc:
        data, problem = None, exc.strerror or str(exc)
    if data is None:
        hint = "make okrsite.toml a text file of settings, or remove it (every setting has a default)"
        looping = loop_problem(root, path)
        if looping is not None:
            problem, hint = f"{looping[0]} {looping[1]}", looping[2]
        report.error(SETTINGS_FILE, 1, f"the settings file cannot be read: {problem}", hint)
        return Settings(unread=("*", "as_of"))
    try:
        text = settings_text(data)
    except UnicodeDecodeError:
        report.error(SETTINGS_FILE, *not_utf8(data, "the settings file", "save it as UTF-8"))
        return _unreadable(_lenient_text(data))
    conflict = merge_conflict(text)
    if conflict is not None:
        report.error(SETTINGS_FILE, *conflict)
        return _unreadable(text)
    try:
        raw = _read_toml(text)
    except tomllib.TOMLDecodeError as exc:
        line = _error_line(exc)
        report.error(SETTINGS_FILE, line, *(_written_twice(text, line, str(exc)) or _unseen_on_line(text, line) or _no_character_on_line(text, line, str(exc))
                                             or (f"unreadable TOML: {exc}", _toml_line_hint(text, line))))
        return _unreadable(text)
    values: dict[str, Any] = {}
    unread: set[str] = set()
    for key, value in raw.items():
        line = _key_line(text, key)
        if key == "periods":
            values["periods"] = _named_periods(value, text, report, unread)
        elif key not in _CONVERTERS:
            hint = did_you_mean(key, KNOWN_KEYS) or "known settings: " + ", ".join(KNOWN_KEYS)
            report.error(SETTINGS_FILE, line, f"unknown setting '{key}'", hint)
        else:
            try:
                values[key] = _CONVERTERS[key](value)
            except ValueError as exc:
                report.error(SETTINGS_FILE, line, f"setting '{key}' {exc}", getattr(exc, "hint", "") or f"see the settings page for '{key}'")
                unread.add(key)
    settings = Settings(**values, unread=tuple(sorted(unread)))
    if settings.allow_html == "safe" and not safe_html_available():
        report.error(SETTINGS_FILE, _key_line(text, "allow_html"), "allow_html = \"safe\" needs the HTML sanitizer nh3, which is not installed",
                     f"{install_extra('safe-html')}, or set allow_html = false")
    if settings.search == "pagefind" and not pagefind_available():
        report.error(SETTINGS_FILE, _key_line(text, "search"), "search = \"pagefind\" needs Pagefind, which is not installed",
                     f"{install_extra('pagefind')}, or remove the setting to use okrsite's own search")
    for key in ("default_period", "current_period"):
        value = getattr(settings, key)
        try:
            if value is not None and not settings.period_unread(value):  # a broken definition is its own error
                parse_period(value, settings.periods)
        except PeriodError as exc:
            hint = period_hint(value, settings.periods)
            report.error(SETTINGS_FILE, _key_line(text, key), f"setting '{key}': {exc}", hint)
    mistaken = mistaken_language(settings.language)
    if mistaken is not None:
        message, hint, itself = mistaken
        if itself:
            report.notice(SETTINGS_FILE, _key_line(text, "language"), message, hint, timed=False)
        else:
            report.warning(SETTINGS_FILE, _key_line(text, "language"), message, hint)
    if settings.on_track_gap > settings.at_risk_gap:
        report.error(SETTINGS_FILE, _key_line(text, "on_track_gap"), "on_track_gap is larger than at_risk_gap", "on_track_gap must be the smaller of the two")
    return settings


GRADING = ("default_kind", "aspirational_goal")  # the settings that grade objectives: with git history, a finished period keeps those of its last day


def written_settings(text: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """The values of the settings ``keys`` as an okrsite.toml ``text`` (a past version of it: see
    git/history.py) sets them, the defaults for those it leaves out; None when the text cannot be read
    or gives one of them a wrong value."""
    try:
        raw = tomllib.loads(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
        return {key: _CONVERTERS[key](raw[key]) if key in raw else getattr(Settings, key) for key in keys}
    except (tomllib.TOMLDecodeError, ValueError):
        return None


def recorded_settings(text: str) -> dict[str, Any] | None:
    """What the git history keeps of a past okrsite.toml ``text`` (git/history.py): its grading settings
    (written_settings of GRADING; None when they cannot be read) and its default_period, read apart so
    that one written wrong hides neither: None when it sets none, left out when it cannot be read."""
    grading = written_settings(text, GRADING)
    if grading is None:
        return None
    return {**grading, **(written_settings(text, ("default_period",)) or {})}


def writes_setting(root: Path, key: str) -> bool:
    """Whether okrsite.toml writes the top-level setting ``key`` itself, rather than leaving its default."""
    try:
        text = settings_text((root / SETTINGS_FILE).read_bytes())
    except (OSError, UnicodeDecodeError):
        return False
    return any(path == (key,) for _, path in _key_paths(text))


def setting_line(root: Path, *path: str) -> int:
    """The line of the key ``path`` (e.g. 'periods', 'FY27-Q1') in okrsite.toml, else 1."""
    try:
        text = settings_text((root / SETTINGS_FILE).read_bytes())
    except (OSError, UnicodeDecodeError):
        return 1
    return _key_line(text, *path)
