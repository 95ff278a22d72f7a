"""Model: the goals repository as plain frozen dataclasses, before anything is computed."""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Callable, Collection, Iterable, Mapping, TypeVar

from .files import windows_device
from .load import SourceDoc


def slugify(text: str) -> str:
    """Lowercase words joined by hyphens ('Jane Doe' -> 'jane-doe', '2026-Q4' -> '2026-q4'): Latin
    letters as plain ASCII ('José' -> 'jose', 'Łukasz' -> 'lukasz', 'Strauß' -> 'strauss'), letters
    of other scripts as written ('Цели роста' -> 'цели-роста', '売上拡大' -> '売上拡大'), so that
    names in any language give distinct, readable ids and URLs instead of all becoming 'item'. NFC,
    so a name gives one slug whichever normalization the file system stores it in."""
    return bare_slug(text) or "item"


def bare_slug(text: str) -> str:
    """slugify's slug, empty for a name without a letter or digit to make one from ('🚀', '--')."""
    slug = uncut_slug(text)[:MAX_SLUG].strip("-")
    while len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        slug = slug[:-1].strip("-")
    return slug


def uncut_slug(text: str) -> str:
    """bare_slug before it is cut to MAX_SLUG characters and MAX_SLUG_BYTES."""
    text = str(text)
    words = text.lower() if text.isascii() else _words(text)
    return re.sub("[^a-z0-9\u0080-\U0010ffff]+", "-", words).strip("-")


def _words(text: str) -> str:
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii():
            kept.append(char.lower())
        elif char.lower() in PLAIN_LATIN:
            kept.append(PLAIN_LATIN[char.lower()])
        elif _other_script(char) or (unicodedata.category(char)[0] == "M" and kept and _other_script(kept[-1][-1])):
            kept.append(char.lower())
    return unicodedata.normalize("NFC", "".join(kept))


# The Latin letters of European languages that Unicode does not decompose into ASCII ones, as they
# are written without them (as other slugs write them: 'Søren' -> 'soren', not 'sren'). Lowercase:
# 'Ł'.lower() is looked up, and 'ẞ'.lower() is 'ß'. Other Latin letters without a plain form ('ə',
# 'ƒ') are still dropped.
PLAIN_LATIN = {"æ": "ae", "ð": "d", "ø": "o", "þ": "th", "ß": "ss", "đ": "d", "ħ": "h", "ı": "i", "ł": "l", "ŋ": "ng", "œ": "oe", "ŧ": "t"}
_PLAIN_LATIN = str.maketrans(PLAIN_LATIN)
_ACCENTS = re.compile("[\u0300-\u036f]")  # the combining marks Latin, Greek and Cyrillic letters decompose into
_NOT_WORD = re.compile(r"[\W_]+")  # what is neither letter nor digit
# What draws an emoji but is no symbol of its own: the zero-width joiner, variation selectors, skin tones, tag letters (🏴 flags)
_EMOJI_PARTS = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
# A flag is two regional indicators, paired from the first of a run: '🇺🇸🇯🇵' is '🇺🇸' and '🇯🇵', never '🇸🇯'.
_FLAG_FOLLOWED = re.compile("([\U0001f1e6-\U0001f1ff]{2})(?=[\U0001f1e6-\U0001f1ff])")
# What one character of a search word is: a keycap ('#️⃣', its variation selector gone: '#⃣') or any one character.
_SEARCH_PART = re.compile("[0-9#*]\u20e3|.", re.S)


def folded(text: str) -> str:
    """A text as search matches it: lower case, without accents, words separated by one space
    ('İlkay Işık' -> 'ilkay isik', 'Größer' -> 'grosser', 'Øre-sund' -> 'ore sund'), a run of symbols a
    word of its own ('🚀Launch' -> '🚀 launch'), an emoji without the joiners, variation selectors and
    skin tones that draw it ('👩‍💻' -> '👩💻'), each flag a word ('🇺🇸🇯🇵' -> '🇺🇸 🇯🇵') and a keycap a
    symbol ('#️⃣' -> '#⃣'). The same fold as theme/static/search.js's fold() for
    Latin, Greek and Cyrillic letters and symbols (tests/web/test_search_rank.py compares them;
    casefold and JavaScript's toLowerCase differ on a few letters of other scripts): NFKD without its
    accents, case-folded, the Latin letters NFKD leaves whole as addresses write them."""
    text = str(text)
    if text.isascii():
        return _NOT_WORD.sub(" ", text.lower()).strip()
    parts = _SEARCH_PART.findall(_FLAG_FOLLOWED.sub(r"\1 ", _EMOJI_PARTS.sub("", _plain(text))))
    kinds = ((_token_kind(part), part) for part in parts)
    return " ".join("".join(char for _, char in run) for kind, run in groupby(kinds, key=itemgetter(0)) if kind)


def letters_folded(text: str) -> str:
    """folded with its letters and digits only, symbols left out: what people's lists sort by (title_order;
    search.js: lettersFold)."""
    text = str(text)
    return _NOT_WORD.sub(" ", text.lower() if text.isascii() else _plain(text)).strip()


def _plain(text: str) -> str:
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", text).casefold()).translate(_PLAIN_LATIN)


def _token_kind(char: str) -> str:
    """What a character (or a keycap) is in a search word: a letter (or digit), a symbol, or neither (a separator)."""
    if len(char) > 1:
        return "symbol"
    if char.isalnum():
        return "letter"
    return "symbol" if unicodedata.category(char) == "So" else ""


def title_order(text: str) -> tuple[str, str]:
    """A title's place A to Z, for people: by its folded letters, so that 'Öffnung' comes between 'Ofen'
    and 'Ozean' (not after 'Zukunft', as code points have it) and 'apple' with 'Apple', as the search
    page's JavaScript orders them; then as written, so that titles folding alike keep one order."""
    return letters_folded(text), text


def _other_script(char: str) -> bool:
    """A letter or digit of a script other than Latin (Latin ones without an ASCII form, like 'ə',
    are dropped, as they always were)."""
    return unicodedata.category(char) in ("Lu", "Ll", "Lt", "Lo", "Nd") and not unicodedata.name(char, "LATIN").startswith("LATIN")


MAX_SLUG = 100  # a path component well below every file system's limit
MAX_SLUG_BYTES = 200  # ... also in UTF-8 bytes (255 on most), for names in other scripts


_WORDS_JOINED = re.compile(r"^[^\W_]+(?:[-_][^\W_]+)*$")


_WRITTEN_WITH_CAPITALS = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN")


def team_shaped(name: str) -> bool:
    """Whether an owner is written as a team id is: letters and digits, words joined by '-' or '_', and
    every letter a lowercase one of a script whose names are written with capitals (`platform`,
    `команда`). It must then name a team (SPEC §7: "unknown team 'коменда'", as 'markting' is). A name
    in another script (営業部; Georgian ნინო, whose letters Unicode calls lowercase but which writes no
    capitals) is shaped like both, and stays a person's name."""
    return bool(_WORDS_JOINED.match(name)) and all(char.islower() and unicodedata.name(char, "").startswith(_WRITTEN_WITH_CAPITALS)
                                                   for char in name if char.isalpha())
# A written id: in ASCII, letters, digits, '-' and '_' (not first); any other character passes here
# and is_written_id keeps letters, digits and marks of it. One pattern for Python and JavaScript (the
# editors' JSON Schema), with or without the u flag: ASCII ranges only.
ID_SHAPE = re.compile(r"^[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f][^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]{0,99}$")


def is_written_id(text: str) -> bool:
    """Whether an `id:` as written is safe as a page's address and as a file name: the alphabet of
    slugify (letters of any script, digits, '-'), plus '_' and Latin capitals as ever, at most 100
    characters and MAX_SLUG_BYTES in UTF-8. No space, '/', '.', punctuation or symbol of any script."""
    return bool(ID_SHAPE.fullmatch(text)) and len(text.encode("utf-8")) <= MAX_SLUG_BYTES and all(
        char.isascii() or unicodedata.category(char)[0] in "LM" or unicodedata.category(char) == "Nd" for char in text)



def carried_sentence(followed: str, period: str) -> str:
    """How a follower written by carry-over starts its body: "Continues [[grow]] from 2026-Q2"."""
    return f"Continues [[{followed}]] from {period}"


STARTS_WHERE = ": its key results start where that one "  # carry-over's words after carried_sentence: "ended", or "stood on <day>, before <period> ended"
ESTIMATES_RESTART = "; estimated ones start again at 0 %"  # after STARTS_WHERE's, when the follower has an estimated key result (written at 0)


def carried_starts(body: str, followed: str) -> str | None:
    """Where a follower's body says its key results start (carried_sentence, STARTS_WHERE): "ended" (the
    final values of ``followed``), "stood" (its numbers on a day before its period ended), else None.
    With or without ESTIMATES_RESTART after it: files carried before it was written say none."""
    found = re.search(re.escape(carried_sentence(followed, "")) + r"\S+?" + re.escape(STARTS_WHERE) + r"(ended|stood)\b", body)
    return found[1] if found else None


def stood_on(body: str, followed: str) -> date | None:
    """The day a follower's body says it was carried over on while ``followed``'s period ran ("stood on
    2026-12-20, before 2026-Q4 ended"), if it says one."""
    found = re.search(re.escape(carried_sentence(followed, "")) + r"\S+?" + re.escape(STARTS_WHERE) + r"stood on (\d{4}-\d{2}-\d{2})\b", body)
    try:
        return date.fromisoformat(found[1]) if found else None
    except ValueError:
        return None


def carried_from(body: str, followed: str) -> str | None:
    """The period a follower's body says it carries ``followed`` on from (carried_sentence), if it does."""
    found = re.search(re.escape(carried_sentence(followed, "")) + r"(\S+?)(?::|\.?(?:\s|$))", body)
    return found[1] if found else None


@dataclass(frozen=True)
class Period:
    id: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def url(self) -> str:
        return f"periods/{slugify(self.id)}/"

    @property
    def review_url(self) -> str:
        return self.url + "review/"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def within(self, other: "Period") -> bool:
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class DataPoint:
    date: date
    value: float | None  # None only in the public view of a confidential item: who and when, never the value (SPEC §14)
    note: str = ""
    source: str = "file"  # file: written in the goals file | git: read from a commit that changed it
    commit: str | None = None  # short hash of the commit that wrote it
    author: str | None = None
    added: bool = False  # written by the commit that added its key result: the value it started with (no check-in in a digest)


@dataclass(frozen=True)
class KeyResult:
    """One key result as written. In the public view of a confidential one (web/audience.py) its
    numbers (start, target, current, the guardrail's line, its history's values) are None."""

    id: str
    index: int  # 0-based position in the objective's key_results
    title: str
    form: str  # numeric | binary | manual | guardrail
    owner: str
    start: float = 0.0
    target: float | None = None
    current: float | None = None  # as written; None means "derive it"
    unit: str | None = None
    done: bool = False
    manual_progress: float | None = None
    kpi: str | None = None
    weight: float = 1.0
    history: tuple[DataPoint, ...] = ()
    number_format: str | None = None  # full | compact; None: the linked KPI's, else the site's
    keep_above: float | None = None  # a guardrail keeps its value at or above this line (SPEC §12)
    keep_below: float | None = None
    confidential: bool = False  # its own `confidential: true`, its objective's, or its KPI's (SPEC §14)


def counterpart(kr: KeyResult, own: tuple[KeyResult, ...], other: tuple[KeyResult, ...]) -> KeyResult | None:
    """The key result of ``other`` (a follower's, or the one it continues) that ``kr``, one of ``own``,
    continues or is continued by: the one of its title, when each has that title once (of two of the
    same title, neither can be told to be it)."""
    def one(key_results: tuple[KeyResult, ...]) -> KeyResult | None:
        titled = [k for k in key_results if k.title == kr.title]
        return titled[0] if len(titled) == 1 else None
    return one(other) if one(own) is kr else None


def follows_kpi(kr: KeyResult) -> bool:
    """A key result whose value is its KPI's: linked, with neither its own `current` nor check-ins
    written, at any date (SPEC §5). One whose `history:` is all dated after the as-of date is not: it
    stands at its start until its first check-in, and its KPI's values are neither its current value
    nor the points of its forecast."""
    return kr.kpi is not None and kr.current is None and not kr.history


@dataclass(frozen=True)
class Objective:
    id: str
    title: str
    period: Period | None
    owner: str
    doc: SourceDoc = field(repr=False, compare=False)
    parent: str | None = None
    kind: str = "committed"
    status: str | None = None
    kpis: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    key_results: tuple[KeyResult, ...] = ()
    score: float | None = None  # a self-assessed grade, 0.0-1.0: the grade once the period is over
    retro: str | None = None  # Markdown: what went well, what we learned, what comes next
    follows: str | None = None  # the objective of an earlier period this one continues
    confidential: bool = False  # its key results' numbers stay off the public site (SPEC §14)
    private: bool = False  # the objective stays off the public site altogether (SPEC §14)
    # Only in the public view (web/audience.py), where private objectives are left out:
    private_parent: bool = False  # it is aligned to a private objective, which is not named
    counts_private: bool = False  # its progress (a roll-up of its children) counts private objectives
    # (index, KPI, owner) of each key result left out for an error of its own: linking still checks its references
    flawed_key_results: tuple[tuple[int, str | None, str], ...] = ()
    kind_given: bool = True  # its file says its kind; unsaid, it is default_kind's, and a change of that setting regrades it

    @property
    def url(self) -> str:
        return f"objectives/{self.id}/"


@dataclass(frozen=True)
class KPI:
    id: str
    title: str
    owner: str
    doc: SourceDoc = field(repr=False, compare=False)
    unit: str | None = None
    direction: str = "up"
    target: float | None = None
    threshold: float | None = None
    category: str | None = None
    indicator: str | None = None
    frequency: str = "monthly"
    source: str | None = None
    data: str | None = None
    values: tuple[DataPoint, ...] = ()
    objectives: tuple[str, ...] = ()
    number_format: str | None = None  # full | compact; None: the site's
    target_text: str | None = None  # the target as written in words ("at or above 84%", "TBD")
    target_inclusive: bool = True  # whether the target itself is met ("above 95%" is not met by 95)
    health: ManualHealth | None = None  # set by the owner; wins over the computed health
    dashboard: tuple[str, ...] = ()  # where the numbers live (a BI tool)
    confidential: bool = False
    # Whether the author said so. Unsaid, `frequency` is monthly for staleness and `direction` up (the
    # defaults), which pages do not present as the author's: a target in prose never uses a direction.
    frequency_given: bool = True
    direction_given: bool = True
    retired: date | None = None  # the day it stopped being measured: from then on it is not stale

    @property
    def url(self) -> str:
        return f"kpis/{self.id}/"


@dataclass(frozen=True)
class ManualHealth:
    """A KPI's health as its owner set it: the site's word for it, and the owner's reasons."""

    health: str  # healthy | warning | critical | unknown | confidential
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Team:
    id: str
    title: str
    doc: SourceDoc = field(repr=False, compare=False)
    parent: str | None = None
    lead: str | None = None
    members: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"teams/{self.id}/"


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    doc: SourceDoc = field(repr=False, compare=False)
    heading: int | None = None  # the body's line of the `# heading` the title was taken from (0-based)

    @property
    def body(self) -> str:
        """The body as the page shows it under its title: without the heading the title was taken
        from (the page's own <h1>), its line left blank so that the lines of the rest stay where they are."""
        if self.heading is None:
            return self.doc.body
        lines = self.doc.body.split("\n", self.heading + 1)
        lines[self.heading] = ""
        return "\n".join(lines)

    @property
    def url(self) -> str:
        stem = self.doc.path.removeprefix("content/").removesuffix(".md")
        parts = [slugify(part) for part in stem.split("/")]
        if parts[-1] == "index":
            parts = parts[:-1]
        return "/".join(parts) + "/" if parts else ""


@dataclass(frozen=True)
class Person:
    name: str
    teams: tuple[str, ...] = ()
    owns: tuple[str, ...] = ()
    # Where this spelling of the name is first written (file, line): people are not files, and two
    # spellings of one name must be found back. Left out of equality: live preview compares people
    # to decide which pages to re-render, and moving a mention changes no page.
    source: tuple[str, int] = field(default=("", 1), compare=False)

    @property
    def url(self) -> str:
        return f"people/{person_slug(self.name)}/"


def person_slug(name: str) -> str:
    """A person's name in their page's address: slugified, and 'con-' for a name Windows keeps for a
    device ('Con', 'Aux'), which no folder there can have (no slug ends with '-': it is no other's)."""
    slug = slugify(name)
    return slug + "-" if windows_device(slug) else slug


@dataclass(frozen=True)
class Site:
    """Everything read from a goals repository, linked: ids resolve and relations run both ways."""

    title: str
    objectives: Mapping[str, Objective]  # in site_order
    kpis: Mapping[str, KPI]
    teams: Mapping[str, Team]
    pages: Mapping[str, Page]
    people: Mapping[str, Person]
    periods: Mapping[str, Period]
    children: Mapping[str, tuple[str, ...]]  # objective id -> aligned child objective ids
    objective_kpis: Mapping[str, tuple[str, ...]]  # union of both sides' declarations
    kpi_objectives: Mapping[str, tuple[str, ...]]
    sub_teams: Mapping[str, tuple[str, ...]]
    followed_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # objective id -> the objectives that follow it

    def followers(self, ident: str) -> list[Objective]:
        """The objectives that continue ``ident`` down the chain of `follows:`, nearest first."""
        chain: list[Objective] = []
        seen, waiting = {ident}, list(self.followed_by.get(ident, ()))
        while waiting:
            ident = waiting.pop(0)
            if ident in seen or ident not in self.objectives:
                continue
            seen.add(ident)
            chain.append(self.objectives[ident])
            waiting += self.followed_by.get(ident, ())
        return chain

    def follower_in(self, ident: str, period: Period) -> Objective | None:
        """The objective that continues ``ident`` through ``period``: of its followers down the chain, one
        whose period holds ``period``, the shortest (2027-Q1 rather than 2027), the nearest of equals.
        grow-2026's follower of 2027 is its follower in 2027-Q1 when no quarter has one."""
        return next(iter(self.followers_in(ident, period)), None)

    def followers_in(self, ident: str, period: Period) -> list[Objective]:
        """The followers of ``ident`` that run through ``period`` and are as short as the shortest of
        them (two when grow-2026 was split into grow-us and grow-eu of 2027), the nearest first. A
        cancelled one is left out: it is in no roll-up, so nothing is aligned to it."""
        holding = [o for o in self.followers(ident)
                   if o.period is not None and period.within(o.period) and o.status != "cancelled"]
        shortest = min((o.period.days for o in holding), default=None)
        return [o for o in holding if o.period.days == shortest]

    def nothing_left(self, o: Objective, removed: Collection[int]) -> bool:
        """Whether ``o`` without its key results numbered ``removed`` (from 0) would have nothing to
        measure its progress (guardrails at most, and no aligned objective), which `okrsite check`
        refuses: a follower whose carried key results have all reached their targets since is to be
        deleted, not emptied."""
        return not self.children.get(o.id) and all(kr.form == "guardrail" for kr in o.key_results if kr.index not in removed)

    def entity(self, ident: str):
        for table in (self.objectives, self.kpis, self.teams, self.pages):
            if ident in table:
                return table[ident]
        return None


class ObjectiveNames:
    """How an objective is named where it is read away from its page (the digest, the Changes page,
    the feed): by its title, and with its period when another objective has that title too, as a
    follower has its forerunner's after carry-over: "Grow the business (2026-Q3)"."""

    def __init__(self, objectives: Iterable[Objective]) -> None:
        self._ids: dict[str, set[str]] = {}
        for o in objectives:
            self._ids.setdefault(o.title, set()).add(o.id)

    def every_title(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Every title with the ids of its objectives, in order: all that names them."""
        return tuple((title, tuple(sorted(ids))) for title, ids in sorted(self._ids.items()))

    def holders(self, title: str) -> tuple[str, ...]:
        """The ids of the objectives with ``title``: whether one is named with its period follows from them."""
        return tuple(sorted(self._ids.get(title, ())))

    def __call__(self, title: str, period: str | None, ident: str | None = None) -> str:
        """``title`` of the objective ``ident`` (None: one no longer in the site), of ``period``."""
        shared = bool(self._ids.get(title, set()) - {ident})
        return f"{title} ({period})" if shared and period else title


def site_order(o: Objective) -> tuple:
    """Where an objective comes in every list of them: by period, the earliest first (of two that start
    on one day, the shorter), then by id; not by the folder its file is in (QA EC: a quarter's folder
    moved into archive/ listed that quarter after the next ones, and moving one file reordered its siblings)."""
    period = o.period
    return (period.start, period.end, period.id, o.id) if period is not None else (date.max, date.max, "", o.id)


def in_site_order(objectives: Iterable[Objective]) -> dict[str, Objective]:
    """``objectives`` by id, in site_order: the order of Site.objectives."""
    return {o.id: o for o in sorted(objectives, key=site_order)}


def top_teams(teams: Mapping[str, Team]) -> frozenset[str]:
    """The teams at the top of the organisation (no parent): whose objectives are the company's."""
    return frozenset(t.id for t in teams.values() if t.parent is None)


def alignment_tops(site: Site, objectives: Iterable) -> list:
    """The tops of the alignment trees of ``objectives``: those whose parent is not among them, in
    their order, the company's first (owned by a top-level team), then those aligned to an objective
    elsewhere (of another period, or, on a public site, a private one), then those aligned to nothing,
    which check calls orphans (QA BY: a person's orphan objective headed the dashboard, the review and
    the map of a 400-person company)."""
    objectives = list(objectives)
    inside = {o.id for o in objectives}
    company = top_teams(site.teams)
    return sorted((o for o in objectives if o.parent not in inside),
                  key=lambda o: 0 if o.owner in company else 1 if o.parent is not None or o.private_parent else 2)


_MADE: dict[int, dict] = {}  # by id of the Site, while it lives: see once_per_site
T = TypeVar("T")


def once_per_site(site: Site, key: tuple, make: Callable[[], T]) -> T:
    """``make()``, made once per Site and ``key``, for what several stages ask of one site and each
    would make by a pass over every objective of a period (web.render: a period's cuts; web.alignmap:
    its map's plan). A linked Site is not changed (a new one is made, as by dataclasses.replace), so
    it holds; ``key`` holds whatever else the value is made by (a limit). Let go with the Site."""
    made = _MADE.get(id(site))
    if made is None:
        made = _MADE[id(site)] = {}
        weakref.finalize(site, _MADE.pop, id(site), None)
    if key not in made:
        made[key] = make()
    return made[key]


def forget(site: Site, key: tuple) -> None:
    """Let go of what once_per_site made for ``site`` and ``key`` (made again if asked for)."""
    _MADE.get(id(site), {}).pop(key, None)
