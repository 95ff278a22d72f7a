"""The command line: a thin layer over build, check and scaffold.

What a build does not need (serve, digest, import, carry-over, checkin, new, init, schema) is imported
when its command runs: a build in CI, or one with nothing to do, does not pay for the preview server's
or the digest's modules; and build.py imports the stages only when a build reads the goals (a build
with nothing changed does not)."""

from __future__ import annotations

import argparse
import codecs
import json
import os
import re
import sys
import traceback
import unicodedata
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import __version__
from .goals.diagnostics import FORMATS, Report, command_line, format_json, format_text, github_warning, one_line, plural
from .build import build, check, check_site
from .cache import preview_start
from .goals.files import KINDS, looping_link, site_problem

if TYPE_CHECKING:
    from .digest import DigestResult
    from .goals.repository import Rereader


def _date(text: str) -> date:
    """A date written YYYY-MM-DD (goals.clock.written_day, as goals files are read)."""
    from .goals.clock import written_day

    day = written_day(text)
    if day is not None:
        return day
    from .goals.periods import no_such_day  # here, for a date refused only: a build with nothing changed imports no stage

    why, hint = no_such_day(text) or ("", "")
    raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-23" + (f": {why} ({hint})" if why else ""))


def _digest_format(text: str) -> str:
    from .digest import FORMATS

    if text not in FORMATS:
        raise argparse.ArgumentTypeError(f"invalid choice: '{text}' (choose from {', '.join(FORMATS)})")
    return text


def _audience(text: str) -> str:
    from .goals.config import audience_problem  # the settings' module: not imported by a build with nothing changed

    problem = audience_problem(text)
    if problem:
        message, hint = problem
        raise argparse.ArgumentTypeError(f"{message} ({hint})")
    return text


AUDIENCE_HELP = "who the site is for: internal (everything) or public (no private objectives, no confidential numbers); default: the audience setting, else internal"


def _address(text: str) -> str:
    """An email address for a header: a line break in it would end the header and start another (Bcc:).
    So would an RFC 2047 encoded word (`=?utf-8?q?…=0D=0A…?=`): the email library decodes it, even in
    quotes, and refuses the line break it finds with an "internal error" (QA FO). Empty, an address
    is most often a CI secret that is not set: the mail would go nowhere, later."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the address is empty (write one, e.g. team@example.com; in CI, check that the variable "
                                         "or secret that holds it is set)")
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in text):
        raise argparse.ArgumentTypeError(f"'{one_line(text)}' holds a line break or another control character "
                                         "(write one address, e.g. team@example.com; repeat --to for more)")
    if "=?" in text:
        raise argparse.ArgumentTypeError(f"'{one_line(text)}' holds an encoded word (=?…?=), which could hide a line break or "
                                         "another address (write the name as it reads, e.g. Équipe OKR <team@example.com>: "
                                         "okrsite encodes it)")
    return text


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0-65535)")
    return int(text)


class _Parser(argparse.ArgumentParser):
    """Its errors name what was typed (a date, a command) with control characters as escapes, as
    every other message does (one_line): raw, an escape sequence in an argument reaches the terminal."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {one_line(message)}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="okrsite", description="Publish a git repository of OKRs and KPIs as a static site.")
    p.add_argument("--version", action="version", version=f"okrsite {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="validate and write the site")
    b.add_argument("site", nargs="?", default=".", type=Path, help="the goals repository (default: .)")
    b.add_argument("-o", "--out", type=Path, help="output folder (default: SITE/site)")
    b.add_argument("--as-of", type=_date, metavar="DATE", help="show the world as of this date (YYYY-MM-DD)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--fail-on-stale", action="store_true", help="treat notices (stale KPIs and objectives) as errors")
    b.add_argument("--format", choices=sorted(FORMATS), default="text", help="how to print problems")
    b.add_argument("--audience", type=_audience, metavar="internal|public", help=AUDIENCE_HELP)
    b.add_argument("--no-cache", dest="cache", action="store_false", help="a clean build: neither use nor update SITE/.okrsite-cache/")

    c = sub.add_parser("check", help="validate without writing anything")
    c.add_argument("site", nargs="?", default=".", type=Path, help="the goals repository (default: .)")
    c.add_argument("--as-of", type=_date, metavar="DATE", help="check the site as of this date (YYYY-MM-DD)")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument("--fail-on-stale", action="store_true", help="treat notices (stale KPIs and objectives) as errors")
    c.add_argument("--format", choices=sorted(FORMATS), default="text", help="how to print problems")
    c.add_argument("--audience", type=_audience, metavar="internal|public", help="check the pages of this audience's site (a private objective has none on the public one)")
    c.add_argument("--no-cache", dest="cache", action="store_false", help="read every file again, not what the last build left in SITE/.okrsite-cache/ (which check never writes)")

    s = sub.add_parser("serve", help="live preview: rebuild on every save and reload the browser")
    s.add_argument("site", nargs="?", default=".", type=Path, help="the goals repository (default: .)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    s.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    s.add_argument("--as-of", type=_date, metavar="DATE", help="show the world as of this date (YYYY-MM-DD)")
    s.add_argument("--audience", type=_audience, metavar="internal|public", help="preview the site of this audience: " + AUDIENCE_HELP.split(": ", 1)[1])
    s.add_argument("--no-cache", dest="cache", action="store_false", help="do not start from SITE/.okrsite-cache/ (nor update it)")

    n = sub.add_parser("new", help="write a new objective, KPI or team file (never overwrites)")
    n.add_argument("kind", choices=KINDS)
    n.add_argument("title")
    n.add_argument("--owner", help="a team id or a person's name")
    n.add_argument("--period", help="e.g. 2026-Q4 (objectives; default: default_period, else current_period, else the shortest named period running on the as-of date, else its quarter)")
    n.add_argument("--parent", help="the objective (or team) this one sits under")
    n.add_argument("--site", type=Path, default=Path("."), help="the goals repository (default: .)")
    n.add_argument("--as-of", type=_date, metavar="DATE", help="the date whose period a new objective takes (default: as_of in okrsite.toml, else today)")

    k = sub.add_parser("checkin", help="record a key result's or KPI's new value (one line changes)",
                       usage="okrsite checkin [-h] (OBJECTIVE KR VALUE | KPI VALUE) [--date DATE] [--note NOTE] [--commit] [--as-of DATE] [--site SITE]",
                       description="okrsite checkin OBJECTIVE KR VALUE (KR: its number from 1, or its id), or okrsite checkin KPI VALUE")
    k.add_argument("words", nargs="+", metavar="ID [KR] VALUE", help="an objective id, a key result and the value; or a KPI id and the value")
    k.add_argument("--date", type=_date, help="a KPI value's date (default: today); for a key result, the commit's date (with --commit)")
    k.add_argument("--note", default="", help="why the number moved; it becomes the commit message's body (needs --commit)")
    k.add_argument("--commit", action="store_true", help="commit just that file: 'Check-in: <title> 41 → 45'")
    k.add_argument("--site", type=Path, default=Path("."), help="the goals repository (default: .)")
    k.add_argument("--as-of", type=_date, metavar="DATE", help="check the edited site as of this date (YYYY-MM-DD; default: as_of in okrsite.toml, else today)")

    sub.add_parser("schema", help="print a JSON Schema of objective, KPI and team front matter (for editors)")

    co = sub.add_parser("carry-over", help="continue the unfinished objectives of a finished period in the next one (never overwrites)")
    co.add_argument("from_period", metavar="FROM", help="the finished period, e.g. 2026-Q3")
    co.add_argument("to_period", metavar="TO", help="the next period, e.g. 2026-Q4")
    co.add_argument("--owner", help="only the objectives of this team id or person")
    co.add_argument("--dry-run", action="store_true", help="print what would be written, write nothing")
    co.add_argument("--site", type=Path, default=Path("."), help="the goals repository (default: .)")
    co.add_argument("--as-of", type=_date, metavar="DATE", help="carry over as of this date (YYYY-MM-DD): whether FROM has ended, and its numbers then (default: as_of in okrsite.toml, else today)")

    d = sub.add_parser("digest", help="print what changed in a window of days, for CI to post to chat or mail")
    d.add_argument("site", nargs="?", default=".", type=Path, help="the goals repository (default: .)")
    d.add_argument("--since", metavar="DATE|7d", help="the window's first day (YYYY-MM-DD), or its length: 7d (default), 2w")
    d.add_argument("--as-of", type=_date, metavar="DATE", help="the window's last day (default: as_of in okrsite.toml, else today)")
    d.add_argument("--audience", type=_audience, metavar="internal|public", help="public: no private objectives, no confidential numbers, no check-in notes; default: the audience setting, else internal")
    d.add_argument("--format", type=_digest_format, metavar="markdown|slack|email|json", default="markdown", help="markdown (default), slack (Block Kit JSON), email (MIME for sendmail) or json")
    d.add_argument("--to", action="append", default=[], type=_address, metavar="ADDRESS", help="the email's To: address (repeatable; --format email)")
    d.add_argument("--from", dest="sender", type=_address, metavar="ADDRESS", help="the email's From: address (--format email)")

    i = sub.add_parser("init", help="write a starter goals repository into an empty folder")
    i.add_argument("dir", type=Path)
    i.add_argument("--no-git", action="store_true", help="do not run 'git init' in it (default: it becomes a git repository)")

    imp = sub.add_parser("import", help="write goals files from a handbook's performance indicators or a spreadsheet (never overwrites)")
    source = imp.add_subparsers(dest="source", required=True, metavar="SOURCE")
    g = source.add_parser("gitlab-pi", help="one KPI file per indicator of a handbook's performance-indicator YAML files")
    g.add_argument("files", nargs="+", type=Path, metavar="FILE")
    g.add_argument("-o", "--out", type=Path, default=Path("."), help="the goals repository to write into (default: .)")
    g.add_argument("--base-url", help="the handbook's address, to make its links (href=\"/handbook/...\") absolute")
    g.add_argument("--chart-url", help="a BI chart's address with {dashboard} and {chart}, to link sisense_data charts")
    v = source.add_parser("csv", help="objective files from a spreadsheet of OKRs saved as CSV, one row per key result")
    v.add_argument("file", type=Path, metavar="FILE")
    v.add_argument("-o", "--out", type=Path, default=Path("."), help="the goals repository to write into (default: .)")
    return p


def _import(args: argparse.Namespace) -> int:
    from .importers import ImportProblem, import_csv, import_gitlab_pi

    try:
        if args.source == "csv":
            imported = import_csv(args.file, args.out)
        else:
            imported = import_gitlab_pi(args.files, args.out, args.base_url, args.chart_url)
    except ImportProblem as problem:
        for note in problem.notes:
            print(one_line(f"okrsite import: note: {note}"), file=sys.stderr)
        for line in problem.problems:
            print(one_line(f"okrsite import: error: {line}"), file=sys.stderr)
        return 1
    except OSError as exc:
        return _write_refused("import", exc, "import into another folder with -o DIR")
    for path in imported.files:
        print(one_line(f"Wrote {path}"))
    for note in imported.notes:
        print(one_line(f"okrsite import: note: {note}"), file=sys.stderr)
    told = _told_warnings(imported.report, imported.files, args.out, "the import")
    checked = f": {imported.report.counts()} ({'; '.join(told)})" if told else " passes"
    print(one_line(f"Imported {plural(len(imported.files), 'file')}; {command_line('okrsite', 'check', args.out)}{checked}"))
    return 0


def _print_report(report: Report, args: argparse.Namespace, history: list[str] | None = None) -> None:
    """The diagnostics in the format asked for; with ``history`` (check's words on a git history it could
    not read whole), those too: a field of the JSON, a warning annotation on GitHub (text: see run)."""
    items = report.sorted(args.strict, args.fail_on_stale)
    if args.format == "json":
        print(_json_out(FORMATS["json"](items) if history is None else format_json(items, " ".join(history) or None)))
        return
    if args.format == "github" and history:
        print("\n".join(github_warning(words) for words in history))
    if items:
        stream = sys.stdout if args.format == "github" else sys.stderr
        if args.format == "github":
            items = _from_repository_top(items, Path(args.site), _output_folder(args))
        print(FORMATS[args.format](items), file=stream)


def _output_folder(args: argparse.Namespace) -> set[str]:
    """The folders diagnostics name as given, from the current folder: SITE, when it is no goals
    repository (goals.files.site_problem), and a build's output folder (build.py)."""
    given = {str(args.site)}
    if args.command != "build":
        return given
    return given | {str(args.out if args.out is not None else Path(args.site) / "site")}


def _from_repository_top(items: list, site: Path, from_here: set[str] = frozenset()) -> list:
    """The diagnostics with each file named from the top of the site's git repository (where GitHub
    looks for an annotation's file), else from the current folder; a path outside both stays as it is.
    A file is named from the site's folder, but those ``from_here`` (the output folder) from the current one."""
    from dataclasses import replace

    from .git.worktree import work_tree_top

    site = site.resolve()
    top = work_tree_top(site) or Path.cwd().resolve()
    shown = {}
    for file in {d.file for d in items}:
        path = Path(file) if os.path.isabs(file) else Path(os.path.abspath(file)) if file in from_here else site / file
        try:
            shown[file] = Path(os.path.normpath(path)).relative_to(top).as_posix()
        except ValueError:
            shown[file] = file
    return [replace(d, file=shown[d.file]) for d in items]


def run(args: argparse.Namespace) -> int:
    looping = next((path for path in (getattr(args, "site", None), getattr(args, "dir", None)) if path is not None and looping_link(Path(path))), None)
    if looping is not None:  # `ln -s L8 L8; okrsite build L8`: no folder is reached through it (QA CH)
        print(one_line(f"okrsite {args.command}: error: {looping} is a link that leads to itself (remove the link ({command_line('rm', looping)}), "
                       "or give the folder of your goals repository)"), file=sys.stderr)
        return 1
    if args.command == "check":
        notes: list[str] = []
        history: list[str] = []
        report = check(args.site, args.as_of, args.audience, cache=args.cache, notes=notes, history=history)
        for note in notes:
            print(one_line(f"okrsite check: note: {note}"), file=sys.stderr)
        _print_report(report, args, history)
        failed = report.failed(args.strict, args.fail_on_stale)
        if args.format == "text":
            summary = sys.stderr if failed else sys.stdout
            for words in history:
                print(one_line(f"okrsite check: {words}"), file=summary)
            print(f"okrsite check: {report.counts(args.strict, args.fail_on_stale)}", file=summary)
        return 1 if failed else 0
    if args.command == "build":
        result = build(args.site, args.out, args.as_of, args.strict, args.fail_on_stale, args.audience, cache=args.cache)
        for note in result.notes:
            print(one_line(f"okrsite build: note: {note}"), file=sys.stderr)
        _print_report(result.report, args, [result.history_gap] if args.format == "json" else None)  # text and github: the summary says it
        if not result.ok:
            if args.format != "json":  # github too: the job's log says nothing was published (QA EK)
                print(f"okrsite build failed: {result.report.counts(args.strict, args.fail_on_stale)}; the previous output is untouched", file=sys.stderr)
            return 1
        if args.format != "json":
            print(result.summary())
        return 0
    if args.command == "checkin":
        return _checkin(args)
    if args.command == "digest":
        return _digest(args)
    if args.command == "schema":
        from .goals.schema import json_schema

        print(json.dumps(json_schema(), indent=2))
        return 0
    if args.command == "import":
        return _import(args)
    if args.command == "serve":
        from .preview.server import serve

        return serve(args.site, args.host, args.port, args.as_of, log=lambda line: print(line, flush=True), audience=args.audience,
                     start=preview_start if args.cache else None)
    if args.command == "new":
        return _scaffold(args, _new, _place_for_new(args.site))
    if args.command == "carry-over":
        return _scaffold(args, _carry_over, site_problem(args.site))
    return _scaffold(args, _init)


def _scaffold(args: argparse.Namespace, write: Callable[[argparse.Namespace], int], problem: tuple[str, str, str] | None = None) -> int:
    """A command that writes goals files (new, init, carry-over): refused with the site's ``problem``, if
    any (a mistyped --site: never a new folder of that name, docs/cli.md), else ``write``, with every
    problem it found said one a line, or the file system's refusal."""
    from .scaffold import ScaffoldError

    if problem is not None:
        print(one_line(f"okrsite {args.command}: error: {problem[1]} ({problem[2]})"), file=sys.stderr)
        return 1
    try:
        return write(args)
    except ScaffoldError as exc:
        for message, hint in exc.problems:  # `new` says every problem it found, one a line
            print(one_line(f"okrsite {args.command}: error: {message} ({hint})"), file=sys.stderr)
        return 1
    except OSError as exc:
        return _write_refused(args.command, exc, "choose another folder" if args.command == "init" else "")


def _place_for_new(site: Path) -> tuple[str, str, str] | None:
    """site_problem, but `new` may start content/ where a goals repository is meant (scaffold.no_place_for_new)."""
    from .scaffold import no_place_for_new

    problem = site_problem(site)
    if problem is not None and problem[0] == "content" and not looping_link(site / "content"):
        return no_place_for_new(site)
    return problem


def _new(args: argparse.Namespace) -> int:
    from .goals.parse import is_placeholder
    from .goals.repository import Rereader, load_site
    from .scaffold import ended_period_warning, ending_period_note, new_file, shorter_period_note

    reader = Rereader()  # read again, the site parses only the new file
    path = new_file(args.site, args.kind, args.title, owner=args.owner, period=args.period, parent=args.parent, as_of=args.as_of, reader=reader)
    print(one_line(f"Wrote {path}"))
    loaded = load_site(Path(args.site), args.as_of, reader)  # the links' warnings: no history, no scores
    late = ended_period_warning(loaded, Path(args.site).resolve(), path.resolve(), args.period)
    for note in (ending_period_note(loaded, path, args.period), shorter_period_note(loaded, path, args.period)):
        if note:
            print(one_line(f"  note: {note}"))
    _tell_warnings(Report([*(d for d in loaded.report.items if not is_placeholder(d)), *late]), [path], args.site)
    return 0


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init_site

    note = init_site(args.dir, git=not args.no_git)
    print(one_line(f"Wrote a starter goals repository to {args.dir}; preview it with: {command_line('okrsite', 'serve', args.dir)}"))
    if note:
        print(one_line(f"okrsite init: {note}"), file=sys.stderr)
    return 0


def _write_refused(command: str, exc: OSError, elsewhere: str) -> int:
    """A command stopped by the file system (a folder you may not write, a full disk), having written
    nothing: what, where and how to fix it, exit code 1 (docs/cli.md)."""
    from .goals.files import write_problem

    if isinstance(exc, BrokenPipeError):  # the reader of stdout left (`| head -1`): no file was refused
        raise exc
    message, hint = write_problem(exc, elsewhere)
    print(one_line(f"okrsite {command}: error: {message} ({hint})"), file=sys.stderr)
    return 1


def _checkin(args: argparse.Namespace) -> int:
    from .goals.checkin import CheckInError
    from .git.read import once_confidential
    from .git.record import record_checkin
    from .web.plan import check_pages

    words = args.words
    if len(words) not in (2, 3):
        print("okrsite checkin: error: give OBJECTIVE KR VALUE or KPI VALUE (e.g. okrsite checkin grow-revenue 1 45)", file=sys.stderr)
        return 2
    ident, kr, value = (words[0], None, words[1]) if len(words) == 2 else words
    try:
        checkin, commit = record_checkin(args.site, ident, kr, value, day=args.date, note=args.note, commit=args.commit, as_of=args.as_of,
                                         site_check=lambda root, loaded: check_pages(root, loaded, once_confidential(root, loaded.site, loaded.settings)))
    except CheckInError as exc:
        if exc.problems:
            print(format_text(list(exc.problems)), file=sys.stderr)
        print(one_line(f"okrsite checkin: error: {exc.message} ({exc.hint})"), file=sys.stderr)
        return 1
    except OSError as exc:
        return _write_refused("checkin", exc, "")
    print(one_line(f"{checkin.said()} in {checkin.where()}" + (f", committed as {commit}" if commit else ": nothing written" if checkin.unchanged else "")))
    for ended in checkin.ended if not checkin.unchanged else ():
        print(one_line(f"okrsite checkin: note: {ended}"), file=sys.stderr)
    if checkin.detached and not checkin.unchanged:
        print(one_line(f"okrsite checkin: note: {checkin.detached}"), file=sys.stderr)
    if checkin.early and not checkin.unchanged:
        print(one_line(f"okrsite checkin: note: {checkin.early}"), file=sys.stderr)
    if checkin.later:
        print(one_line(f"okrsite checkin: note: {checkin.later}"), file=sys.stderr)
    if checkin.reading:
        print(one_line(f"okrsite checkin: note: {checkin.reading}"), file=sys.stderr)
    if checkin.previous and not checkin.unchanged:
        print(one_line(f"okrsite checkin: note: {checkin.previous}"), file=sys.stderr)
    return 0


def _digest(args: argparse.Namespace) -> int:
    from .digest import DigestError, make_digest, render

    problem = site_problem(args.site)
    if problem is not None:
        print(one_line(f"okrsite digest: error: {problem[1]} ({problem[2]})"), file=sys.stderr)
        return 1
    try:
        result = make_digest(args.site, args.since, args.as_of, args.audience)
    except DigestError as exc:
        print(one_line(f"okrsite digest: error: {exc.message} ({exc.hint})"), file=sys.stderr)
        return exc.code
    if result.digest is None:
        told = result.report.sorted()
        print(FORMATS["text"](told), file=sys.stderr)
        print(one_line(f"okrsite digest: {_errors_of_window(result, Report(told))}"), file=sys.stderr)
        return 1
    written = render(result.digest, args.format, tuple(args.to), args.sender)
    sys.stdout.write(_json_out(written) if args.format in ("json", "slack") else written)
    return 0


def _errors_of_window(result: DigestResult, told: Report) -> str:
    """Why no digest was made: the goals of the window's last day have errors (those printed, counted).
    When that day's goals are a past commit's, the files now may be fixed already (`okrsite check`
    passes), and that day's cannot be: a window ending on a later day can cover these days."""
    span, counts = result.window, told.counts()
    if result.end_commit is None:
        return f"the goals as of {span.until}, the window's last day, have {counts}: fix the errors first (okrsite check)"
    return (f"the goals as committed by {span.until}, the window's last day (commit {result.end_commit[:7]}), have {counts}, so this "
            f"window has no digest (the files now may be fixed already: okrsite check checks them; to cover these days, end the window "
            f"on a later day whose goals have none: --since {span.since} --as-of DAY)")


def _carry_over(args: argparse.Namespace) -> int:
    from .carryover import carry_over
    from .goals.repository import Rereader

    reader = Rereader()  # the closing check parses only the files written
    result = carry_over(args.site, args.from_period, args.to_period, owner=args.owner, dry_run=args.dry_run, as_of=args.as_of, reader=reader)
    verb = "Would write" if args.dry_run else "Wrote"
    if result.running and result.carried:
        print(f"note: {result.source.id} runs until {result.source.end}: the new key results start from its numbers as of {result.as_of}, "
              f"and what is not achieved yet is carried; update the starts once its final numbers are in")
    for item in result.carried:
        print(one_line(f"{verb} {item.path} (follows {item.old.id})"))
        for note in item.notes:
            print(one_line(f"  note: {note}"))
        if args.dry_run:
            print("\n".join(one_line("  | " + line) for line in item.text.splitlines()))
    for o, why in result.skipped:
        print(one_line(f"Not carried: {o.id} ({why})"))
    if not result.carried:
        print(one_line(f"Nothing to carry over from {result.source.id} to {result.target.id}" + (f": {result.none_owned}" if result.none_owned else "")))
    elif not args.dry_run:
        followed = [Path(args.site) / item.old.doc.path for item in result.carried]
        return _check_carried(Path(args.site), [item.path for item in result.carried], reader, args.as_of, followed)
    return 0


def _check_carried(root: Path, written: list[Path], reader: Rereader | None = None, as_of: date | None = None, followed: list[Path] = ()) -> int:
    """The closing check of carry-over (SPEC §13: the result passes `okrsite check`): 1 with the errors
    when there are any; else 0, with the warnings of the files written listed and those the repository
    had before counted apart (they are not carry-over's to fail on: `carry-over && git commit`), and
    the notices of the files written and ``followed`` listed: "write 'period: 2026-Q2'" in an objective
    that takes default_period is to be done now, before default_period moves on (QA DD)."""
    report = check_site(root, as_of, reader=reader).report
    sys.stdout.flush()  # what was written first, then what the check found, also when both go to one pipe
    if report.failed():
        print(FORMATS["text"](report.sorted()), file=sys.stderr)
        print(f"okrsite check: {report.counts()}: the files written do not pass okrsite check: fix the errors above "
              "(or remove those files) before you commit them", file=sys.stderr)
        return 1
    told = _told_warnings(report, written, root, "carry-over")
    noticed = _of_files(report.notices, [*written, *followed], root)
    if noticed:
        print(format_text(noticed), file=sys.stderr)
        told.append(f"{plural(len(noticed), 'notice')} on the files carried over and written, listed")
    print(f"okrsite check: {report.counts()}: the files written pass" + (f" ({'; '.join(told)})" if told else ""))
    return 0


def _told_warnings(report: Report, written: list[Path], root: Path, command: str) -> list[str]:
    """The warnings of a site that passes `okrsite check` after ``command`` wrote files: those in the
    files written listed (_tell_warnings), and what to say of them and of those the repository had
    before, counted apart (they are not the command's doing); empty when there is none."""
    new = _tell_warnings(report, written, root)
    old = len(report.warnings) - len(new)
    return ([f"{plural(len(new), 'warning')} in them, listed"] if new else []) + (
        [f"{old} already in the repository before {command}: okrsite check lists {'it' if old == 1 else 'them'}"] if old else [])


def _tell_warnings(report: Report, written: list[Path], root: Path) -> list:
    """The warnings `okrsite check` gives the files just written (an orphan objective, which --strict
    refuses): listed at once, on stderr, rather than found by the next CI run."""
    new = _of_files(report.warnings, written, root)
    sys.stdout.flush()
    if new:
        print(format_text(new), file=sys.stderr)
    return new


def _of_files(diagnostics: list, files: list[Path], root: Path) -> list:
    """Those of ``diagnostics`` about ``files``, by file and line."""
    mine = {Path(path).resolve().relative_to(Path(root).resolve()).as_posix() for path in files}
    return sorted((d for d in diagnostics if d.file in mine), key=lambda d: (d.file, d.line))


def _writes_unicode(stream) -> bool:
    """Whether ``stream`` can write every character: its encoding is one of Unicode's. Under LC_ALL=C
    without Python's UTF-8 mode it is ASCII, on Windows a code page."""
    try:
        return codecs.lookup(stream.encoding).name.startswith("utf")
    except (AttributeError, LookupError, TypeError):
        return False


def _json_out(text: str) -> str:
    """JSON as standard output can write it: where it cannot write every character, those beyond
    ASCII as \\u escapes, which JSON reads as the same text."""
    if text.isascii() or _writes_unicode(sys.stdout):
        return text
    return _BEYOND_ASCII.sub(lambda found: json.dumps(found[0])[1:-1], text)


_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


def _safe_streams() -> None:
    """Standard output and error write a character their encoding has not as an escape (ö as \\xf6),
    as Python writes it to standard error already: a goal's text printed under LC_ALL=C was an
    internal error (UnicodeEncodeError), and nothing of the report reached CI."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not _writes_unicode(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def console() -> None:
    """The `okrsite` program (and `python -m okrsite`): main(), then out at once. A build leaves a
    model of millions of objects that Python would otherwise free one by one on the way out (about
    a second at 10,000 objectives, after the build is done and its files are in place); what the
    program writes is flushed first, and nothing of okrsite's runs at exit."""
    _safe_streams()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: there is nobody left to tell
            pass
    os._exit(code)


def _quiet_stdout() -> None:
    """After a closed pipe: what is still buffered for stdout goes nowhere, so flushing it at exit
    cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `okrsite check | head`: the reader left; nothing to report, no message
        _quiet_stdout()
        return 1
    except Exception as exc:  # never a traceback for users: one line, and the details on request
        print(f"okrsite: internal error, please report: {type(exc).__name__}: {exc}", file=sys.stderr)
        if "OKRSITE_DEBUG" in os.environ:
            traceback.print_exc()
        return 2
