"""Update forms of `okrsite serve`: a check-in from the page, never in `build` output.

Each key result and KPI page served by the preview gets a small form that posts to the preview
server, which makes the same edit as `okrsite checkin` (git.record): a KPI's value gets the form's
date, a key result's check-in in a git repository is a commit on that date with the note as its
body (`--date --note --commit`). The date is filled in: the day the site is shown as of when that is
set (`as_of`, --as-of), else today, so that the value shows after the reload. A refused check-in is
said in the form, on the page, with what was typed; a check-in made is said there too ("Updated: 1,040
accounts"), and the form's field has the focus again. A write is only accepted from
this computer, addressed to localhost, from a page of this very preview (Origin), with the token of
this run in the form: another site open in the same browser can neither post nor read the token.
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, quote

from ..goals.checkin import CheckInError
from ..goals.files import os_name, write_problem
from ..goals.model import KPI, Objective, Site
from ..goals.periods import to_date
from ..goals.repository import Rereader
from ..git.read import OnceConfidential, once_confidential
from ..git.record import record_checkin
from ..web.plan import check_pages

CHECKIN = "/__okrsite/checkin"
MAX_FORM_BYTES = 1 << 20  # a note of some hundred thousand characters, in any script; read whole, so bounded
REFUSED = "refused"  # the query parameter of the page a refused check-in goes back to
UPDATED = "updated"  # and of the page a check-in made goes back to
ANSWERS_KEPT = 32


@dataclass(frozen=True)
class Forms:
    token: str
    git: bool  # the site is in a git work tree: offer "commit"
    kept: Rereader = field(default_factory=Rereader, compare=False)  # the site as the last check-in read it: the next reads only what changed
    answers: dict = field(default_factory=dict, compare=False)  # the last check-ins' answers (Refused, Updated), by the key their page's address holds
    held: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)  # answers: one request thread at a time
    once_confidential: OnceConfidential = field(default_factory=OnceConfidential, compare=False, repr=False)  # what check_pages needs of git, kept per HEAD

    @classmethod
    def new(cls, root: Path) -> "Forms":
        return cls(secrets.token_urlsafe(32), _in_git(root))

    def keep(self, answer: "Answer") -> str:
        key = secrets.token_urlsafe(9)
        with self.held:
            self.answers[key] = answer
            while len(self.answers) > ANSWERS_KEPT:
                self.answers.pop(next(iter(self.answers)))
        return key

    def answer(self, query: str) -> "Answer | None":
        """The answer to a check-in a page's address (its ``query``) names, if this run keeps it."""
        asked = parse_qs(query)
        key = (asked.get(REFUSED) or asked.get(UPDATED) or [""])[-1]
        with self.held:
            return self.answers.get(key)


def _in_git(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root, *root.parents))


_writing = threading.Lock()  # one check-in at a time: each reads the file the last one wrote


@dataclass(frozen=True)
class Answer:
    """What a check-in's form held, to say its answer in that form."""

    fields: dict

    def names(self, ident: str, kr: str | None, title: str = "") -> bool:
        """Whether the refused check-in was sent for this form: the same KPI, or the key result of the
        same place and title (refused for another title in its place, it is not that one's to fill)."""
        return self.fields.get("id") == ident and (self.fields.get("kr") or None) == kr and (kr is None or self.fields.get("kr_title", title) == title)


@dataclass(frozen=True)
class Refused(Answer):
    """A check-in that was refused: what the form held, and why, said again in that form."""

    problem: CheckInError


@dataclass(frozen=True)
class Updated(Answer):
    """A check-in made, said in its form ("Updated: 1,040 accounts"): the page updates in place, and the
    preview's script reads it out from there (LIVE_JS)."""

    said: str


def _form(forms: Forms, ident: str, kr: str | None, label: str, day: date, answer: Answer | None = None, title: str = "", english: str = "") -> str:
    """``title``: the key result's, sent beside its place (``kr``) so that a page left open while its
    file gained a key result above this one does not check in to that one (QA BT). ``english``: the
    attribute that marks the form's words on a page in another language (interface_marks). The form
    ``answer`` is for has the focus: a refused one holds what was typed, to correct."""
    refused = answer if isinstance(answer, Refused) else None
    typed = refused.fields if refused is not None else {}
    fields = [f'<input type="hidden" name="token" value="{escape(forms.token)}">', f'<input type="hidden" name="id" value="{escape(ident)}">']
    if kr is not None:
        fields.append(f'<input type="hidden" name="kr" value="{escape(kr)}">')
        fields.append(f'<input type="hidden" name="kr_title" value="{escape(title)}">')
    again = (f' value="{escape(typed.get("value", ""))}"' if refused is not None else "") + (" autofocus" if answer is not None else "")
    fields.append(f'<label{english}>New value <input name="value" required inputmode="decimal" size="10" autocomplete="off"{again}></label>')
    if kr is None or forms.git:  # a key result's check-in is dated by its commit: in git only
        shown = typed.get("date", day.isoformat()) if refused is not None else day.isoformat()
        fields.append(f'<label{english}>Date <input name="date" type="date" value="{escape(shown)}"></label>')
    if kr is not None:
        fields.append(f'<label{english}>Note <input name="note" size="28" autocomplete="off" value="{escape(typed.get("note", ""))}"></label>')
        if forms.git:
            ticked = " checked" if refused is None or typed.get("commit") == "1" else ""
            fields.append(f'<label{english}><input type="checkbox" name="commit" value="1"{ticked}> commit</label>')
    fields.append(f'<button type="submit"{english}>Update</button>')
    if refused is not None:
        fields.append(_said(refused.problem, english))
    elif answer is not None:
        fields.append(f'<p class="okrsite-updated"{english}>{escape(answer.said)}</p>')
    return (f'<form class="okrsite-checkin no-print" method="post" action="{CHECKIN}" aria-label="{escape(label)}">'
            + " ".join(fields) + "</form>")


def _said(exc: CheckInError, english: str = "") -> str:
    """Why nothing was written, in the form: the message, its hint, the edited site's errors."""
    hint = f" ({escape(exc.hint)})" if exc.hint else ""
    return f'<p class="okrsite-refused" role="alert"{english}><strong>Nothing was written:</strong> {escape(exc.message)}{hint}</p>' + _errors(exc, english)


def _errors(exc: CheckInError, english: str = "") -> str:
    """The edited site's errors, as a list (none: nothing)."""
    items = "".join(f"<li>{escape(d.where)}: {escape(d.message)}{' (' + escape(d.hint) + ')' if d.hint else ''}</li>" for d in exc.problems)
    return f"<ul{english}>{items}</ul>" if items else ""


def add_forms(html: bytes, rel: str, site: Site | None, forms: Forms, day: date, answer: Answer | None = None, whole: Site | None = None) -> bytes:
    """The page with an update form under each key result's heading (objective pages) or the KPI's
    title (KPI pages), its date ``day``; any other page, or one whose markup a theme changed, is left
    as it is. The form ``answer`` is for says it: a refused check-in's holds what was typed and says why. ``whole``: the
    site as written, whose key results' titles the forms send (``site`` is the audience's)."""
    parts = rel.split("/")
    english = interface_marks(html)
    if site is None or len(parts) != 3 or parts[2] != "index.html":
        return html
    entity = site.objectives.get(parts[1]) if parts[0] == "objectives" else site.kpis.get(parts[1]) if parts[0] == "kpis" else None
    if isinstance(entity, Objective):
        for kr in entity.key_results:
            start = html.find(f'<li id="{escape(kr.id)}" class="kr">'.encode())
            end = html.find(b"</h3>", start) if start >= 0 else -1
            if end >= 0:
                number, title = str(kr.index + 1), _written_title(whole, entity.id, kr)
                mine = answer if answer is not None and answer.names(entity.id, number, title) else None
                form = _form(forms, entity.id, number, f"Update {kr.title}", day, mine, title, english).encode()
                html = html[: end + 5] + form + html[end + 5:]
    elif isinstance(entity, KPI):
        end = html.find(b"</h1>")
        if end >= 0:
            mine = answer if answer is not None and answer.names(entity.id, None) else None
            html = html[: end + 5] + _form(forms, entity.id, None, f"Update {entity.title}", day, mine, english=english).encode() + html[end + 5:]
    return html


def interface_marks(html: bytes) -> str:
    """` lang="en"` for the form's English words on a page whose language is another (as the page's own
    interface words are marked: web/render.py, language_marks); "" on an English page."""
    found = re.search(rb'<html[^>]*\slang="?([A-Za-z0-9-]+)', html[:2048])
    return ' lang="en"' if found and found[1].split(b"-")[0].lower() != b"en" else ""


def _written_title(whole: Site | None, ident: str, kr) -> str:
    """The key result's title as its file has it (the whole site's), else as shown."""
    o = whole.objectives.get(ident) if whole is not None else None
    return o.key_results[kr.index].title if o is not None and kr.index < len(o.key_results) else kr.title


def token_matches(token: str, forms: Forms) -> bool:
    return hmac.compare_digest(token.encode(), forms.token.encode())


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str = ""  # where to go back to (303), after a check-in
    body: str = ""  # why not (an HTML page)
    problem: CheckInError | None = None  # why not, to say in the form (refused_at)


def read_form(raw: bytes) -> dict[str, str]:
    fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20)
    return {key: values[-1] for key, values in fields.items()}


def submit(root: Path, fields: dict[str, str], rebuild, as_of=None, forms: Forms | None = None, day: date | None = None,
           reading=None) -> Outcome:
    """Make the check-in, rebuild what it changed, and send the browser back to the page. ``day`` is
    the date the form showed: a value sent with the date emptied gets it (a KPI's, or a key result's
    committed), as the form said. ``reading``: what the preview read (Preview.reading), for the first
    check-in to start from instead of reading the whole site again."""
    ident, kr, value = fields.get("id", ""), fields.get("kr") or None, fields.get("value", "")
    commit, note = fields.get("commit") == "1", fields.get("note", "")
    typed = to_date(fields["date"]) if fields.get("date") else None
    if fields.get("date") and typed is None:
        return _refused(CheckInError(f"'{fields['date']}' is not a date", "give a date like 2026-11-23"))
    if note.strip() and forms is not None and not forms.git:
        return _refused(CheckInError(f"a note is kept as the check-in commit's message, and {root} is not in a git repository",
                                     "leave the note out, or run 'git init' there and start okrsite serve again"))
    when = typed or (day if kr is None or commit else None)
    try:
        with _writing:
            if forms is not None and reading is not None and forms.kept.empty:
                forms.kept.seed(*reading())
            checkin, _ = record_checkin(root, ident, kr, value, day=when, note=note, commit=commit, as_of=as_of,
                                        kept=forms.kept if forms is not None else None, meant=fields.get("kr_title") if kr else None,
                                        site_check=_site_check(forms))
            rebuild([root / os_name(checkin.path)])
    except CheckInError as exc:
        return _refused(exc)
    except OSError as exc:  # the file's folder may not be written: said on the form, as the command line says it
        return _refused(CheckInError(*write_problem(exc)))
    page, _, anchor = checkin.url.partition("#")
    said = _updated(forms, fields, checkin)
    return Outcome(303, location="/" + quote(page) + said + (f"#{quote(anchor)}" if anchor else ""))  # an id in any script: a header is ASCII


def _updated(forms: Forms | None, fields: dict[str, str], checkin) -> str:
    """The query that has the page's form say the check-in (Updated), kept in ``forms``."""
    if forms is None:
        return ""
    said = f"{checkin.said()}: nothing written" if checkin.unchanged else f"Updated: {checkin.shown()}"
    return f"?{UPDATED}={forms.keep(Updated(fields, said))}"


def _site_check(forms: Forms | None):
    """check_pages of the site after a check-in, with the KPIs it withholds for their past as of the last HEAD read (Forms.once_confidential)."""
    confidential_once = forms.once_confidential if forms is not None else once_confidential
    return lambda root, loaded: check_pages(root, loaded, confidential_once(root, loaded.site, loaded.settings))


def _refused(exc: CheckInError) -> Outcome:
    return Outcome(422, body=_problem_page(exc), problem=exc)


def refused_at(page_of, site: Site | None, forms: Forms, fields: dict[str, str], outcome: Outcome, day: date, whole: Site | None = None) -> str | None:
    """Where a refused check-in sends the browser back to (303, so that a reload sends nothing again):
    the page of its key result or KPI, whose form holds what was typed and says why, the refusal kept
    under a key in the page's address; None when there is no such page (then the problem page says it)."""
    if site is None or outcome.problem is None:
        return None
    ident = fields.get("id", "")
    entity = site.objectives.get(ident) if fields.get("kr") else site.kpis.get(ident)
    rel = f"{entity.url}index.html" if entity is not None and entity.url.endswith("/") else None
    html = page_of(rel) if rel is not None else None
    if html is None:
        return None
    refused = Refused(fields, outcome.problem)
    if b'class="okrsite-refused"' not in add_forms(html, rel, site, forms, day, refused, whole):  # a theme without the form's place, or another key result in it
        return None
    return f"/{quote(entity.url)}?{REFUSED}={forms.keep(refused)}"


def _problem_page(exc: CheckInError) -> str:
    return ("<!doctype html><html lang=en><meta charset=utf-8><title>okrsite: check-in not made</title><body>"
            f"<h1>Nothing was written</h1><p>{escape(exc.message)}</p><p>{escape(exc.hint)}</p>"
            + _errors(exc) + "<p>Go back with your browser's Back button and try again.</p></body></html>")
