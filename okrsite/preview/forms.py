"""Update forms of `okrsite serve`: a check-in from the page, never in `build` output.

Each key result and KPI page served by the preview gets a small form that posts to the preview
server, which makes the same edit as `okrsite checkin` (git.record). A write is only accepted from
this computer, addressed to localhost, from a page of this very preview (Origin), with the token of
this run in the form: another site open in the same browser can neither post nor read the token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import parse_qs

from ..goals.checkin import CheckInError
from ..goals.model import KPI, Objective, Site
from ..git.record import record_checkin

CHECKIN = "/__okrsite/checkin"
MAX_FORM_BYTES = 16_384


@dataclass(frozen=True)
class Forms:
    token: str
    git: bool  # the site is in a git work tree: offer "commit"

    @classmethod
    def new(cls, root: Path) -> "Forms":
        return cls(secrets.token_urlsafe(32), _in_git(root))


def _in_git(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root, *root.parents))


_writing = threading.Lock()  # one check-in at a time: each reads the file the last one wrote


def _form(forms: Forms, ident: str, kr: str | None, label: str, with_note: bool) -> str:
    fields = [f'<input type="hidden" name="token" value="{escape(forms.token)}">', f'<input type="hidden" name="id" value="{escape(ident)}">']
    if kr is not None:
        fields.append(f'<input type="hidden" name="kr" value="{escape(kr)}">')
    fields.append(f'<label>New value <input name="value" required inputmode="decimal" size="10" autocomplete="off"></label>')
    if kr is None:
        fields.append('<label>Date <input name="date" type="date"></label>')
    if with_note and forms.git:
        fields.append('<label>Note <input name="note" size="28" autocomplete="off"></label>')
        fields.append('<label><input type="checkbox" name="commit" value="1" checked> commit</label>')
    fields.append("<button type=\"submit\">Update</button>")
    return (f'<form class="okrsite-checkin no-print" method="post" action="{CHECKIN}" aria-label="{escape(label)}">'
            + " ".join(fields) + "</form>")


def add_forms(html: bytes, rel: str, site: Site | None, forms: Forms) -> bytes:
    """The page with an update form under each key result's heading (objective pages) or the KPI's
    title (KPI pages); any other page, or one whose markup a theme changed, is left as it is."""
    parts = rel.split("/")
    if site is None or len(parts) != 3 or parts[2] != "index.html":
        return html
    entity = site.objectives.get(parts[1]) if parts[0] == "objectives" else site.kpis.get(parts[1]) if parts[0] == "kpis" else None
    if isinstance(entity, Objective):
        for kr in entity.key_results:
            start = html.find(f'<li id="{escape(kr.id)}" class="kr">'.encode())
            end = html.find(b"</h3>", start) if start >= 0 else -1
            if end >= 0:
                form = _form(forms, entity.id, str(kr.index + 1), f"Update {kr.title}", True).encode()
                html = html[: end + 5] + form + html[end + 5:]
    elif isinstance(entity, KPI):
        end = html.find(b"</h1>")
        if end >= 0:
            html = html[: end + 5] + _form(forms, entity.id, None, f"Update {entity.title}", False).encode() + html[end + 5:]
    return html


def token_matches(token: str, forms: Forms) -> bool:
    return hmac.compare_digest(token.encode(), forms.token.encode())


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str = ""  # where to go back to (303), after a check-in
    body: str = ""  # why not (an HTML page)


def read_form(raw: bytes) -> dict[str, str]:
    fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20)
    return {key: values[-1] for key, values in fields.items()}


def submit(root: Path, fields: dict[str, str], rebuild, as_of=None) -> Outcome:
    """Make the check-in, rebuild what it changed, and send the browser back to the page."""
    ident, kr, value = fields.get("id", ""), fields.get("kr") or None, fields.get("value", "")
    try:
        day = date.fromisoformat(fields["date"]) if fields.get("date") else None
    except ValueError:
        return Outcome(422, body=_problem_page(CheckInError(f"'{fields['date']}' is not a date", "give a date like 2026-11-23")))
    try:
        with _writing:
            checkin, _ = record_checkin(root, ident, kr, value, day=day, note=fields.get("note", ""),
                                        commit=fields.get("commit") == "1", as_of=as_of)
            rebuild([root / checkin.path])
    except CheckInError as exc:
        return Outcome(422, body=_problem_page(exc))
    return Outcome(303, location="/" + checkin.url)


def _problem_page(exc: CheckInError) -> str:
    items = "".join(f"<li>{escape(d.file)}:{d.line}: {escape(d.message)}{' (' + escape(d.hint) + ')' if d.hint else ''}</li>" for d in exc.problems)
    return ("<!doctype html><html lang=en><meta charset=utf-8><title>okrsite: check-in not made</title><body>"
            f"<h1>Nothing was written</h1><p>{escape(exc.message)}</p><p>{escape(exc.hint)}</p>"
            + (f"<ul>{items}</ul>" if items else "") + "<p>Go back with your browser's Back button and try again.</p></body></html>")
