"""Recording a check-in in git: one commit of one file, "Check-in: <title> 41 → 45", the note as its body.

Used by `okrsite checkin --commit` and by the update forms of `okrsite serve`. The file must have no
other uncommitted change (the commit would take it along, under a message that does not say so):
that is checked before anything is written.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

from ..goals.checkin import CheckIn, CheckInError, SiteCheck, check_edit, committed_later, load_for_checkin, plan_checkin, write_checkin
from ..goals.edit import yaml_number
from ..goals.formats import clean_note
from ..goals.files import os_name
from ..goals.repository import Rereader
from .worktree import refusal_in, run_git

_TIMEOUT = 60  # seconds


def _git(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """git run with ``args`` (worktree.run_git): a file's path and a message's title go to it as UTF-8, whatever the locale."""
    try:
        return run_git([os_name(arg) for arg in args], root, env=env, text=True, timeout=_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        raise CheckInError(f"git did not run ({exc})", "install git, or check in without --commit") from None


def ensure_committable(root: Path, path: str) -> None:
    """CheckInError unless ``path`` is in a git work tree and has no uncommitted change of its own."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        reason = refusal_in(inside.stderr)
        if reason is not None:
            raise CheckInError(f"{root} cannot be committed to: {reason}", "or check in without --commit")
        raise CheckInError(f"{root} is not in a git repository, so there is nothing to commit to", "run 'git init' there, or check in without --commit")
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", path)
    if status.returncode != 0:
        raise CheckInError(f"git status failed: {status.stderr.strip()[:200]}", "check the repository with 'git status'")
    if status.stdout.strip():
        raise CheckInError(f"{path} has uncommitted changes", "commit or stash them first (git diff shows them), so that the check-in commit holds only the check-in")


def ensure_in_date_order(root: Path, checkin: CheckIn, day: date, as_of: date = date.max) -> None:
    """CheckInError when a key result's check-in commit dated ``day`` would land after a commit of its
    file dated later: its number would replace the newer one in `current:` (which always counts, SPEC
    §6), and a typo (2026-08-01 for 2026-11-01) would go unnoticed. A missed week is written in
    `history:` instead, where the date is the entry's own. When that commit is after the site's
    ``as_of`` date, no date can be committed (a later one is refused too): the hint says so, and
    that the date goes with the commit: a key result's check-in without one takes no date (a form sent
    again with 'commit' unticked and its date kept was refused again)."""
    latest = last_change_day(root, checkin.real)
    if latest is not None and day < latest:
        hint = (f"its period has ended, so a final value counts whatever its date: give --date {latest} or later" if checkin.ended else
                f"the site is shown as of {as_of}, before that commit, so no date can be committed: check in without --commit and "
                f"--date (untick 'commit' and empty the date in the form) to write the value, or set as_of to {latest} or later" if latest > as_of else
                f"to fill in an earlier day, add '- {{date: {day}, value: {yaml_number(checkin.new)}}}' to the key result's history:; "
                f"or give --date {latest} or later")
        raise CheckInError(f"--date {day} is before the last commit of {checkin.real} ({latest}): committed now, its number would replace the later one "
                           f"in current:, so nothing was written", hint)


def last_change_day(root: Path, path: str) -> date | None:
    """The UTC day of the last commit that changed ``path``'s text (see _last_change), None for none: the
    later of its own history's and the main line's, where a merge brought the change (the history reader
    dates a check-in merged from a branch by its merge, QA CT; `git log --follow` shows the branch's commit)."""
    stamps = [datetime.fromisoformat(stamp).astimezone(timezone.utc) for how in (("--follow",), ("--first-parent", "--merges"))
              if (stamp := _last_change(root, path, *how))]
    return max(stamps).date() if stamps else None


def _last_change(root: Path, path: str, *how: str) -> str:
    """The date (ISO) of the last commit that changed ``path``'s text, "" for none: a commit that only
    renamed or moved the file (`git mv`, 100 % the same) changed no number of it. ``how``: `--follow`
    (the file's own commits, across renames), or the main line's merges that brought a change of it."""
    log = _git(root, "log", *(how or ("--follow",)), "-M", "--format=%x00%cI", "--name-status", "--", path)
    if log.returncode != 0:
        return ""
    for record in log.stdout.split("\0")[1:]:
        stamp, _, changes = record.strip().partition("\n")
        if not changes.strip().startswith("R100"):
            return stamp.strip()
    return ""


def commit_checkin(root: Path, checkin: CheckIn, note: str = "", day: date | None = None) -> str:
    """Commit just the check-in's file (the file a link leads to, not the link); returns the new
    commit's short hash. ``day`` dates the commit (noon UTC). The note is written cleaned (clean_note):
    an escape sequence or a bidi override in it would act on every terminal that shows `git log`."""
    note = clean_note(note)
    when = {"GIT_AUTHOR_DATE": f"{day.isoformat()}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day.isoformat()}T12:00:00+00:00"} if day else {}
    message = ["-m", checkin.message()] + (["-m", note.strip()] if note.strip() else [])
    added = _git(root, "add", "--", checkin.real)
    done = _git(root, "commit", "-q", "--only", *message, "--", checkin.real, env=when) if added.returncode == 0 else added
    if done.returncode != 0:
        _git(root, "reset", "-q", "--", checkin.real)  # unstaged again, as it was before
        reason = (done.stderr or done.stdout).strip().splitlines()
        said = reason[-1] if reason else "no reason given"
        raise CheckInError(f"the check-in is written in {checkin.real}, but git commit failed: {said}", _commit_hint(checkin.real, said))
    return _git(root, "rev-parse", "--short", "HEAD").stdout.strip()


_NO_IDENTITY = ("email", "user.name", "identity", "auto-detect", "empty ident", "name was given")


def _commit_hint(path: str, reason: str) -> str:
    """How to finish a check-in whose commit failed: without a git identity (git complains of the
    name or the e-mail, whichever it missed first), set both."""
    if any(word in reason for word in _NO_IDENTITY):
        return (f"tell git who you are with git config user.name \"Your Name\" and git config user.email you@example.com, "
                f"then commit {path} yourself")
    return f"commit {path} yourself (git status shows it, not staged)"


def record_checkin(root: Path, ident: str, kr: str | None, value: str, *, day: date | None = None, note: str = "",
                   commit: bool = False, as_of: date | None = None, kept: Rereader | None = None, meant: str | None = None,
                   site_check: SiteCheck | None = None) -> tuple[CheckIn, str]:
    """The whole check-in: plan, refuse a dirty file (with ``commit``), check, write, commit.

    Returns the check-in and the commit's short hash ('' without ``commit``, or when the file already
    holds the value: then nothing is written or committed). A key result's date is
    its commit's, so for a key result ``day`` needs ``commit``; so does a note (it is the commit body).
    ``kept``: what an earlier check-in read (the preview's), so that only what changed since is read again.
    ``meant``: the key result's title as the page that sent the check-in showed it (the preview's form,
    which names a key result by its place): refused when the file has another there now.
    ``site_check``: what the stages above check of the site after the check-in (web.plan.check_pages), so
    that it is refused for every error `okrsite check` would report.
    """
    root, kept, note = Path(root).resolve(), kept or Rereader(), clean_note(note)
    loaded = load_for_checkin(root, kept, as_of)
    checkin = plan_checkin(root, loaded, ident, kr, value, day, lambda path: last_change_day(root, path))
    if meant is not None and checkin.kind == "kr" and checkin.subject != meant:
        raise CheckInError(f"key result {kr} of '{ident}' is now \"{checkin.subject}\", not \"{meant}\": the file changed after the page was shown",
                           "reload the page and check in again")
    if not commit and note.strip():
        raise CheckInError("a note is kept as the check-in commit's message", "add --commit (or tick 'commit' in the form), or leave the note out")
    if not commit and day is not None and checkin.kind == "kr":
        raise CheckInError("a key result's check-in is dated by its commit", "add --commit (or tick 'commit' in the form) to commit it on that date, or leave --date out (empty the form's date)")
    if checkin.unchanged and note.strip():
        raise CheckInError(f"{checkin.said()}: there is no change to commit the note with", "check in a new value with the note, or leave the note out")
    if checkin.unchanged:
        return checkin, ""
    if commit:
        ensure_committable(root, checkin.real)
        if day is not None and checkin.kind == "kr":
            ensure_in_date_order(root, checkin, day, loaded.as_of)
    if commit and day is None and checkin.kind == "kr":
        checkin = replace(checkin, later=committed_later(loaded))
    if not commit:
        checkin = replace(checkin, early="")  # a value written undated: no check-in of any date yet
    check_edit(root, checkin, kept, as_of, site_check)
    write_checkin(root, checkin)
    return checkin, commit_checkin(root, checkin, note, day if checkin.kind == "kr" else None) if commit else ""
