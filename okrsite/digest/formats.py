"""The digest's formats: Markdown, plain text, Slack Block Kit, an email (text + HTML) and JSON.

Every format but JSON marks up the same words (`words.sections`); JSON is the model itself. User
text is escaped for each format: Markdown punctuation, Slack's &, < and >, HTML (the email's HTML
is the Markdown rendered by markdown-it with raw HTML off).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from email.header import Header
from email.message import EmailMessage
from email.policy import Policy
from email.utils import formatdate
from html import escape
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt

from .. import __version__
from ..goals.formats import bdi_elements, isolated, round_ratio
from .model import Digest
from .words import Group, Line, Section, heading, sections, summary

FORMATS = ("markdown", "slack", "email", "json")
SLACK_BLOCKS = 50  # Slack's limits: blocks in a message, characters in a section's text, in a header
SLACK_TEXT = 3000
SLACK_HEADER = 150
SLACK_SECTION_LINES = 15  # lines of one section before "…and N more": every section gets its turn
MAIL_LINE = 998  # RFC 5322: characters in a line of a message, at most


def render(digest: Digest, form: str, to: tuple[str, ...] = (), sender: str | None = None) -> str:
    """The digest in ``form`` (one of FORMATS), as printed."""
    if form == "slack":
        return json.dumps(slack(digest), ensure_ascii=False, indent=1) + "\n"
    if form == "email":
        return email(digest, to, sender)
    if form == "json":
        return json.dumps(as_json(digest), ensure_ascii=False, indent=2) + "\n"
    return markdown(digest)


# ---- Markdown ---------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!#])")


def md(text: str) -> str:
    """User text as Markdown that says just that: its punctuation escaped. (No line starts with user
    text, so `-`, `+`, `1.` cannot begin a list.)"""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def safe_url(url: str) -> str:
    """A link's address with the characters that could end it in Markdown or Slack percent-encoded."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._[]")


def _md_title(title: str, link: str | None) -> str:
    return f"[{md(isolated(title))}](<{safe_url(link)}>)" if link else md(isolated(title))


def _md_line(line: Line) -> list[str]:
    lines = [f"- **{_md_title(line.title, line.link)}**: {md(line.text)}"]
    return lines + [f"  - {md(detail)}" for detail in line.details]


def _md_group(group: Group) -> list[str]:
    out = [f"### {_md_title(group.title, group.link)}", "", md(group.text), ""] if group.title else []
    return out + [text for line in group.lines for text in _md_line(line)] + [""]


def markdown(digest: Digest) -> str:
    out = [f"# {md(heading(digest))}", "", md(summary(digest)), ""]
    for section in sections(digest):
        out += [f"## {md(section.heading)}", ""]
        for group in section.groups:
            out += _md_group(group)
    out += [f"*{md(note)}*\n" for note in digest.notes]
    out.append(f"*{md(_footer(digest))}*")
    return "\n".join(out) + "\n"


def _footer(digest: Digest) -> str:
    audience = "the public digest: confidential numbers are left out" if digest.audience == "public" else "internal digest"
    site = f" · {digest.site_url}" if digest.site_url else ""
    return f"okrsite {__version__} · {audience}{site}"


# ---- plain text -------------------------------------------------------------------------------


def text(digest: Digest) -> str:
    """The plain-text part of the email: indented lines, each link on its own line after its title."""
    out = [heading(digest), "", summary(digest), ""]
    for section in sections(digest):
        out += [section.heading.upper(), ""]
        for group in section.groups:
            indent = "  " if group.title else ""
            if group.title:
                out += [f"{isolated(group.title)} ({group.text})"] + ([f"  <{group.link}>"] if group.link else [])
            for line in group.lines:
                out.append(f"{indent}- {isolated(line.title)}: {line.text}")
                out += [f"{indent}  <{line.link}>"] if line.link and line.link != group.link else []
                out += [f"{indent}    {detail}" for detail in line.details]
            out.append("")
    out += [*digest.notes, "", _footer(digest)] if digest.notes else [_footer(digest)]
    return "\n".join(out) + "\n"


# ---- Slack Block Kit --------------------------------------------------------------------------


_PART_ENTITY = re.compile(r"&[a-z]*$")


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_title(title: str, link: str | None) -> str:
    title = isolated(title)
    if not link:
        return f"*{slack_escape(title)}*"
    return f"*<{safe_url(link).replace('|', '%7C')}|{slack_escape(title).replace('|', '¦')}>*"


def _cut(text: str, limit: int) -> str:
    """Escaped text cut to ``limit`` characters, never inside an entity (a cut `&am` would show)."""
    return text if len(text) <= limit else _PART_ENTITY.sub("", text[: limit - 1]) + "…"


def _slack_lines(section: Section) -> list[str]:
    """The section's lines in mrkdwn (check-ins indented below their key result), at most
    SLACK_SECTION_LINES of them and then "…and N more"."""
    lines: list[str] = []
    shown = 0
    for group in section.groups:
        if shown >= SLACK_SECTION_LINES:
            break
        if group.title:
            lines.append(f"{_slack_title(group.title, group.link)} {slack_escape(group.text)}")
        for line in group.lines[: SLACK_SECTION_LINES - shown]:
            title = _slack_title(line.title, line.link if line.link != group.link else None)
            lines += [f"• {title}: {slack_escape(line.text)}", *(f"      ◦ {slack_escape(detail)}" for detail in line.details)]
            shown += 1
    if section.size > shown:
        lines.append(f"…and {section.size - shown} more")
    return [_cut(line, SLACK_TEXT) for line in lines]


def _packed(lines: list[str]) -> list[str]:
    """Lines joined into texts of at most SLACK_TEXT characters each."""
    texts: list[str] = []
    for line in lines:
        if texts and len(texts[-1]) + 1 + len(line) <= SLACK_TEXT:
            texts[-1] += "\n" + line
        else:
            texts.append(line)
    return texts


def _mrkdwn(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def slack(digest: Digest) -> dict:
    """A message for an incoming webhook: `text` (the notification) and its blocks, within Slack's
    limits; what does not fit is counted in a last "…and N more"."""
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(slack_escape(heading(digest)), SLACK_HEADER), "emoji": False}},
        _mrkdwn(slack_escape(summary(digest))),
    ]
    body: list[tuple[str, int]] = []  # (text, lines it holds)
    for section in sections(digest):
        for text in _packed([f"*{slack_escape(section.heading)}*", *_slack_lines(section)]):
            body.append((text, text.count("\n") + 1))
    notes = [_mrkdwn(_cut(slack_escape(note), SLACK_TEXT)) for note in digest.notes]
    footer = {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(slack_escape(_footer(digest)), SLACK_TEXT)}]}
    room = SLACK_BLOCKS - len(blocks) - len(notes) - 1
    if len(body) > room:
        kept, cut = body[: room - 1], body[room - 1:]
        body = kept + [(f"…and {sum(count for _, count in cut)} more lines", 1)]
    blocks += [_mrkdwn(text) for text, _ in body] + notes + [footer]
    return {"text": _cut(slack_escape(f"{heading(digest)}. {summary(digest)}"), SLACK_TEXT), "blocks": blocks}


# ---- email ------------------------------------------------------------------------------------


def html(digest: Digest) -> str:
    """The Markdown rendered (raw HTML off: everything escaped) in a small HTML document."""
    body = bdi_elements(MarkdownIt("commonmark", {"html": False}).render(markdown(digest)))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(heading(digest))}</title>\n</head>\n"
        '<body style="font-family: system-ui, sans-serif; line-height: 1.4; max-width: 46em">\n'
        f"{body}</body>\n</html>\n"
    )


@dataclass(frozen=True)
class LiteralHeader:
    """A header a mail program shows as written. Given text, the email library decodes what looks
    like an RFC 2047 encoded word (`=?utf-8?q?…?=`) and writes the decoded text back as it is, line
    breaks and all: a site title `=?utf-8?q?Hi=0D=0ABcc:_evil@x?=` added a Bcc: header and ended the
    header block (QA FO). So the library keeps this value as it is (it has a `name`), and `fold`
    writes it: printable ASCII without `=?` as it is (folded before spaces), any other text as encoded
    words of the whole text, which decode to that text and nothing else."""

    name: str
    text: str

    def __str__(self) -> str:
        return self.text

    def fold(self, *, policy: Policy) -> str:
        if self.text.isascii() and self.text.isprintable() and "=?" not in self.text and self.text == self.text.strip():
            lines = _folded(f"{self.name}: ", self.text, policy.max_line_length)
            if max(len(line) for line in lines) <= MAIL_LINE:
                return (policy.linesep + " ").join(lines) + policy.linesep
        encoded = Header(self.text, "utf-8", header_name=self.name).encode(linesep=policy.linesep, maxlinelen=policy.max_line_length)
        return f"{self.name}: {encoded}{policy.linesep}"


def _folded(start: str, text: str, width: int) -> list[str]:
    """``start`` and ``text`` cut before spaces into lines of at most ``width`` characters where the
    words allow: each further line starts with the space (unfolding, a reader only takes the line
    breaks out) and a word (no line is spaces only; a reader would keep a space before the first)."""
    words = text.split(" ")
    lines = [start + words[0]]
    for word in words[1:]:
        if word and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] += " " + word
    return lines


def email(digest: Digest, to: tuple[str, ...] = (), sender: str | None = None) -> str:
    """A multipart/alternative message (plain text, then HTML) ready for `sendmail -t`. The addresses
    come from the command line, which refuses one with a control character or an encoded word."""
    message = EmailMessage()
    message["Subject"] = LiteralHeader("Subject", heading(digest))
    if sender:
        message["From"] = sender
    if to:
        message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=True)
    message.set_content(text(digest), cte="quoted-printable")
    message.add_alternative(html(digest), subtype="html", cte="quoted-printable")
    return message.as_string()


# ---- JSON -------------------------------------------------------------------------------------


SHARES = frozenset({"progress", "progress_before", "progress_after", "grade", "score", "score_before", "computed_grade", "computed_before"})  # 0 to 1


def _plain(value: Any, share: bool = False) -> Any:
    """A value as JSON: a number as okrs.json writes it, a progress or grade (``share``) to three
    decimals as there (round_ratio: a tool joins the two by value, and on a public site every further
    digit of a confidential key result's progress would be a digit of its value), always with its
    decimal point (1.0, as okrs.json's progress: QA CV, a loader types a column by its first rows),
    any other whole number as an integer (1300, as okrs.json's values)."""
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name), f.name in SHARES) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if share and isinstance(value, (int, float)) and not isinstance(value, bool):
        return round_ratio(float(value))
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 6)
    return value


def as_json(digest: Digest) -> dict:
    """The digest for other tools (docs/digest.schema.json): every difference, values left out (null)
    where the audience may not see them."""
    return {"generator": f"okrsite {__version__}", "changed": digest.changed, "summary": summary(digest), **_plain(digest)}
