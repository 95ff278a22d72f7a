"""What can be wrong with a site's own templates, said as a theme author can act on it (SPEC §7):

- before a page is rendered (template_problems: errors that stop the build; template_warnings: a
  template no page uses, a link from the server's root, a base.html lacking the pages' blocks);
- while one is rendered (TemplateProblem.from_exception and its kin: a Jinja or Python error placed at
  the line of the site's own template, not in okrsite's code or the default theme's).

The renderer (web.render) raises these; the build, the parallel renderer and the preview report them."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Protocol

import jinja2
from jinja2.compiler import find_undeclared

from ..goals.diagnostics import did_you_mean, listed, nearest
from ..goals.load import display_path
from .theme import default_theme, usable_theme_file


class Renderer(Protocol):
    """What the checks read of web.render.Renderer (which imports this module): its Jinja2
    environment and the theme folders it reads templates from, the site's own first."""

    env: jinja2.Environment
    themes: list[Path]


class PageSpec(Protocol):
    """What a problem met while rendering names of web.render.PageSpec: the page and its template."""

    @property
    def output(self) -> str: ...

    template: str


class TemplateProblem(Exception):
    """A theme template that cannot be rendered, located in the template file."""

    def __init__(self, file: str, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.file, self.line, self.message, self.hint = file, line, message, hint

    def said_in(self, root: Path) -> tuple[str, int, str, str]:
        """(file, line, message, hint) as a diagnostic says them, the file named from the site's root as
        every file is: how the build and the preview report a template problem."""
        return display_path(self.file, root), self.line, self.message, self.hint

    @classmethod
    def from_exception(cls, exc: jinja2.TemplateError, page: PageSpec, themes: list[Path] = (), names: "Names | None" = None,
                       env: jinja2.Environment | None = None) -> "TemplateProblem":
        file, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        if not file:
            call = _call_into_default(exc, themes)
            if call is not None:
                return cls.from_default_call(call, exc.message or str(exc), page, themes)
            frames = _template_frames(exc, themes) or [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
            if frames:
                file, line = frames[-1].filename, frames[-1].lineno
        if isinstance(exc, jinja2.TemplateNotFound):
            return cls.not_found(exc, file or page.template, line or 1, page, themes)
        message, meant = (names or Names()).told(exc.message or str(exc))
        closing = ""
        if isinstance(exc, jinja2.TemplateSyntaxError) and env is not None:
            line, message, closing = unclosed_tag(env, exc, message)
        return cls(file or page.template, line or 1, f"template error while rendering {page.output}: {message}",
                   meant or closing or template_hint(file, themes))

    @classmethod
    def not_found(cls, exc: jinja2.TemplateNotFound, file: str, line: int, page: PageSpec, themes: list[Path]) -> "TemplateProblem":
        """A template that includes, imports or extends one that no theme has: where it was looked for,
        and why a file of that name in the site's own folder was not used (a link that leads out of it)."""
        what, hint = _missing([str(name) for name in getattr(exc, "templates", None) or [exc.name]], themes)
        return cls(file, line, f"template error while rendering {page.output}: {what}", hint)

    @classmethod
    def from_default_call(cls, call: tuple[traceback.FrameSummary, traceback.FrameSummary], error: str, page: PageSpec,
                          themes: list[Path]) -> "TemplateProblem":
        """An error met in a macro of the default theme, at the line of the site's own template that called it."""
        caller, called = call
        name, macro = _template_name(called.filename, themes), _macro_at(called.filename, called.lineno or 1)
        where = f"in the macro {macro} of the default {name}" if macro else f"at line {called.lineno or 1} of the default {name}"
        return cls(caller.filename, caller.lineno or 1, f"template error while rendering {page.output}: {where}: {error}",
                   f"check what this line passes to the macro {macro}; the default pages show how they call it" if macro
                   else "check what this line passes to the default template; the default pages show how they call it")

    @classmethod
    def from_python_error(cls, exc: Exception, page: PageSpec, themes: list[Path], called: "Called | None" = None) -> "TemplateProblem | None":
        """A Python error (1/0, "a" + 1) raised by a site's own template, at its line, or in a default macro
        it called, at the line of the call, or in one of okrsite's filters and functions (``called``) it
        handed a value of the wrong kind, at its line, naming the filter; None when it was raised in
        okrsite's code or in a template of the default theme that the site's own did not call: okrsite's
        bug, not the site's."""
        templates = [(theme / "templates").resolve() for theme in themes]
        own = [folder for theme, folder in zip(themes, templates) if theme.resolve() != default_theme().resolve()]
        frame = _raising_frame(exc, templates)
        if frame is not None and (narrow := narrow_call(exc, frame, themes)) is not None:
            return narrow
        error = f"{type(exc).__name__}: {exc}"
        if frame is not None and not any(_within(frame.filename, folder) for folder in own):
            call = _call_into_default(exc, themes)
            if call is not None and (isinstance(exc, _ARGUMENT_ERRORS) or any(_within(frame.filename, folder) for folder in templates)):
                return cls.from_default_call(call, error, page, themes)
            frame = _calling_template(exc, templates, own) if isinstance(exc, _ARGUMENT_ERRORS) and _within(frame.filename, _OKRSITE) else None
            which = (called or Called()).which(exc, own) if frame is not None else None
            if which is not None:
                return cls(frame.filename, frame.lineno or 1, f"template error while rendering {page.output}: in the {which}: {error}",
                           f"check what this line passes to the {which}; docs/themes.md says what it takes")
        if frame is None:
            return None
        return cls(frame.filename, frame.lineno or 1, f"template error while rendering {page.output}: {error}", template_hint(frame.filename, themes))

    @classmethod
    def from_recursion(cls, exc: RecursionError, page: PageSpec, themes: list[Path]) -> "TemplateProblem":
        """The template that includes, imports or extends itself, at the line that does: the innermost
        frames of templates go round the loop, the last of them is where it closes."""
        frames = _template_frames(exc, themes)
        if not frames:
            return cls(page.template, 1, f"template {page.template} includes or extends itself", "a template cannot include or extend itself")
        last = frames[-1]
        steps = [last]
        for frame in reversed(frames[:-1]):
            if frame.filename == last.filename:
                break
            steps.insert(0, frame)
        loop = [_template_name(frame.filename, themes) for frame in steps]
        name, tag = loop[-1], _loop_tag(last.line or "")
        line = last.lineno or 1
        if tag is None:
            return cls(last.filename, line, f"template {name} calls itself without end",
                       "a macro that calls itself, or a recursive loop, needs a case where it stops")
        if len(loop) > 1:  # the innermost names the outermost: said from the site's own template first by name, as loop_problems says it
            steps, loop = [steps[-1], *steps[:-1]], [name, *loop[:-1]]
            folder = own_templates(themes)
            own = [n for n, frame in enumerate(steps) if folder is not None and _within(frame.filename, folder.resolve())]
            first = min(own, key=lambda n: loop[n], default=0)
            return _loop_problem(steps[first].filename, steps[first].lineno or 1, loop[first:] + loop[:first])
        return cls(last.filename, line, f"template {name} {_LOOP_VERBS[tag]} itself", _itself_hint(name, tag))


    @classmethod
    def too_deep(cls, env: jinja2.Environment, source: str, file: str, exc: BaseException) -> "TemplateProblem":
        """A template Jinja turned into Python nested deeper than Python compiles (an IndentationError at
        about 100 levels, a SyntaxError at about 20 loops inside one another, a RecursionError further
        on), at the line of the tag that opens its deepest level."""
        loops = "statically nested blocks" in str(exc)
        tags = _deepest(env, source, lambda opened: sum(tag == "for" for tag, _ in opened) if loops else len(opened))
        line = tags[-1][1] if tags else 1
        if loops:
            depth = sum(tag == "for" for tag, _ in tags)
            what = f"{depth} {{% for %}} loops inside one another; Python allows about 20"
        else:
            what = f"{len(tags)} levels; Python allows about 100"
        return cls(file, line, f"template {Path(file).name} is nested too deeply to compile: {what}",
                   "move the inner part into a macro (in macros.html or a {% macro %} of this template) or an {% include %}d template")


_INNERMOST = re.compile(r"The innermost block that needs to be closed is '(\w+)'\.$")
_BLOCK_TAGS = {"if", "for", "block", "macro", "call", "filter", "with", "autoescape", "trans", "set"}


def unclosed_tag(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError, message: str) -> tuple[int, str, str]:
    """(line, message, hint) of a syntax error: Jinja says a tag left open where it gave up (the end of
    the template, or the end tag of another), so the line where that tag was opened is named, and for
    the end of the template the error is said there. The error's own line and message otherwise."""
    line, found = exc.lineno or 1, _INNERMOST.search(message)
    opened = _open_tags(env, exc.source, line) if found is not None and exc.source is not None else []
    if not opened or opened[-1][0] != found[1]:
        return line, message, ""
    tag, at = opened[-1]
    if message.startswith("Unexpected end of template."):
        last = max(line, len(exc.source.splitlines()))
        return at, f"{message[:-1]}, opened on this line: it is never closed (Jinja reached the end of the template at line {last})", \
            f"add its {{% end{tag} %}} where the {tag} ends"
    nesting = "nesting mistake" in message
    return line, f"{message[:-1]}, opened on line {at}", \
        f"close the {tag} of line {at} with {{% end{tag} %}} before this line, or remove this tag" if nesting else ""


def _open_tags(env: jinja2.Environment, source: str, until: int) -> list[tuple[str, int]]:
    """(tag, line) of each block tag left open up to line ``until`` (`{% if %}` without its `{% endif %}`),
    outermost first: a scan of the tags, stopped at an end tag that closes another."""
    opened: list[tuple[str, int]] = []
    for number, stack in _tag_stacks(env, source):
        if number > until or stack is None:
            break
        opened = stack
    return opened


def _deepest(env: jinja2.Environment, source: str, depth: Callable[[list[tuple[str, int]]], int]) -> list[tuple[str, int]]:
    """(tag, line) of each block tag open where a template is nested deepest by ``depth``, outermost first."""
    deepest: list[tuple[str, int]] = []
    for _, stack in _tag_stacks(env, source):
        if stack is not None and depth(stack) > depth(deepest):
            deepest = stack
    return deepest


def _tag_stacks(env: jinja2.Environment, source: str) -> Iterator[tuple[int, list[tuple[str, int]] | None]]:
    """(line, the (tag, line) of each block tag open after it, outermost first) of each tag of a
    template's source; None for an end tag that closes another than the innermost (the innermost is
    then taken as closed). Nothing for a source Jinja cannot lex."""
    opened: list[tuple[str, int]] = []
    try:
        tags = list(_tags(env, source))
    except jinja2.TemplateSyntaxError:
        return
    for number, words in tags:
        name = words[0] if words else ""
        if name.startswith("end") and name[3:] in _BLOCK_TAGS:
            matches = bool(opened) and opened[-1][0] == name[3:]
            if opened:
                opened.pop()
            yield number, list(opened) if matches else None
        elif name in _BLOCK_TAGS and (name != "set" or "=" not in words):
            opened.append((name, number))
            yield number, list(opened)


def _tags(env: jinja2.Environment, source: str) -> Iterator[tuple[int, list[str]]]:
    """(line, its words and operators) of each `{% … %}` tag of a template's source."""
    words: list[str] | None = None
    start = 0
    for number, kind, value in env.lex(source):
        if kind == "block_begin":
            words, start = [], number
        elif kind == "block_end" and words is not None:
            yield start, words
            words = None
        elif words is not None and kind in ("name", "operator"):
            words.append(value)


class TemplateProblems(Exception):
    """Every template problem a build found before it gave up: reported together (SPEC §7)."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__(f"{len(problems)} template problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class Names:
    """What a template may name (the page's variables and globals, the filters and tests), for a
    did-you-mean on a misspelt one; an object's class said by its name, not its Python path."""

    variables: Iterable[str] = ()
    filters: Iterable[str] = ()
    tests: Iterable[str] = ()

    def told(self, message: str) -> tuple[str, str]:
        """(the message as a theme author reads it, a hint naming the nearest name, or "")."""
        if (found := _UNDEFINED.fullmatch(message)) is not None:
            return message, did_you_mean(found[1], self.variables)
        if (found := _NO_ATTRIBUTE.fullmatch(message)) is not None:
            kind = found[1].rsplit(".", 1)[-1]
            return f"{kind} has no attribute '{found[2]}'", did_you_mean(found[2], _attributes(found[1]))
        if (found := _NO_FILTER.match(message)) is not None:
            return message, did_you_mean(found[2], self.filters if found[1] == "filter" else self.tests)
        return message, ""


@dataclass(frozen=True)
class Called:
    """okrsite's filters and the functions a template may call (its globals and the page's href, body,
    row…), to name the one a template handed a value it cannot take (`{{ 42 | summary }}`)."""

    filters: Mapping[str, object] = field(default_factory=dict)
    functions: Mapping[str, object] = field(default_factory=dict)

    def which(self, exc: BaseException, own: list[Path]) -> str | None:
        """"filter summary" or "function days_ago": the outermost of okrsite's filters and functions that
        the error passed through below the site's own template; None when it passed through none."""
        codes: dict = {}
        for kind, table in (("filter", self.filters), ("function", self.functions)):
            for name, value in table.items():
                code = _code_of(value)
                if code is not None and _within(code.co_filename, _OKRSITE):
                    codes.setdefault(code, f"{kind} {name}")
        which = None
        for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
            if any(_within(frame.f_code.co_filename, folder) for folder in own):
                return which
            which = codes.get(frame.f_code, which)
        return None


def _code_of(value: object):
    """The code a filter or function runs: of a function, a lambda, a bound method or a partial."""
    value = getattr(value, "__func__", value)
    return getattr(getattr(value, "func", value), "__code__", None)


_UNDEFINED = re.compile(r"'([^']+)' is undefined")
_NO_ATTRIBUTE = re.compile(r"'([\w.]+) object' has no attribute '([^']+)'")
_NO_FILTER = re.compile(r"No (filter|test) named '([^']+)'")


def _attributes(path: str) -> list[str]:
    """The public attributes of okrsite's class at ``path`` (okrsite.web.render.View), else none."""
    module, _, name = path.rpartition(".")
    if not module.startswith("okrsite."):
        return []
    import importlib

    try:
        kind = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return []
    return [n for n in {*dir(kind), *getattr(kind, "__dataclass_fields__", ())} if not n.startswith("_")]


def _missing(names: list[str], themes: list[Path]) -> tuple[str, str]:
    """(what is wrong, how to fix it) of a template named that no theme has."""
    folder = own_templates(themes)
    places = f"{_shown_folder(folder)} nor in the default theme" if folder is not None else "the default theme"
    what = f"no template {' or '.join(repr(n) for n in names)} in {places}"
    linked = [folder / name for name in names if folder is not None and (folder / name).exists() and not usable_theme_file(folder / name, folder)]
    if linked:
        return what, f"{_shown_folder(linked[0])} is a link that leads out of {_shown_folder(folder)}, which okrsite does not use: put the file itself there"
    made = f"{_shown_folder(folder)}/{names[0]}" if folder is not None else f"theme/templates/{names[0]}"
    return what, f"create {made}, or fix the name on this line"


_NAMING = {jinja2.nodes.Extends: "extends", jinja2.nodes.Include: "include", jinja2.nodes.Import: "import", jinja2.nodes.FromImport: "import"}


def named_problems(env: jinja2.Environment, name: str, themes: list[Path]) -> list[TemplateProblem]:
    """A template's `extends`, `include` and `import` of a template by a written name that no theme has,
    or of itself: found from its text, as `okrsite check` runs no page (a build met them only while rendering)."""
    source, file, _ = env.loader.get_source(env, name)
    problems = []
    for node in env.parse(source, name, file).find_all(tuple(_NAMING)):
        target = node.template
        if not isinstance(target, jinja2.nodes.Const) or not isinstance(target.value, str) or getattr(node, "ignore_missing", False):
            continue
        tag = _NAMING[type(node)]
        if target.value == name:
            problems.append(TemplateProblem(file, node.lineno, f"template {name} {_LOOP_VERBS[tag]} itself", _itself_hint(name, tag)))
            continue
        if not _has(env, target.value):
            problems.append(TemplateProblem(file, node.lineno, *_missing([target.value], themes)))
    return problems


def loop_problems(env: jinja2.Environment, own: list[str], broken: set[str]) -> list[TemplateProblem]:
    """Templates that `include`, `import` or `extend` one another by written names in a loop (a.html →
    b.html → a.html), through the default theme's too: found from their text, as named_problems finds
    one that names itself; a build meets them only while rendering (TemplateProblem.from_recursion).
    Each loop once, said as from_recursion says it: from its own template first in name order, at the
    line of that one naming the next. ``own``: the site's own templates that compile; ``broken``: those
    that do not (they name none)."""
    named: dict[str, list[tuple[str, int]]] = {}

    def names(template: str) -> list[tuple[str, int]]:
        """(template, line) of each other template this one names that a theme has, first naming first."""
        if template not in named:
            try:
                tree = None if template in broken else _parsed(env, template)
            except TemplateProblem:  # not UTF-8 (a hidden template a name leads to): its own problem, naming none
                tree = None
            found: dict[str, int] = {}
            for node in tree.find_all(tuple(_NAMING)) if tree is not None else ():
                target = node.template
                if isinstance(target, jinja2.nodes.Const) and isinstance(target.value, str) and target.value != template and _has(env, target.value):
                    found[target.value] = min(found.get(target.value, node.lineno), node.lineno)
            named[template] = sorted(found.items(), key=lambda pair: pair[1])
        return named[template]

    problems, said, done = [], set(), set()
    for start in own:
        path, lines, stack = [start], [], [iter(names(start))]  # depth first, without recursion: a theme may chain many templates
        while stack:
            step = next(stack[-1], None)
            if step is None:
                done.add(path.pop())
                stack.pop()
                if lines:
                    lines.pop()
                continue
            target, line = step
            if target in path:
                at = path.index(target)
                loop = list(zip(path[at:], [*lines[at:], line]))
                first = min((n for n, (name, _) in enumerate(loop) if name in own), default=0, key=lambda n: loop[n][0])
                loop = loop[first:] + loop[:first]
                if tuple(loop) not in said:
                    said.add(tuple(loop))
                    problems.append(_loop_problem(env.loader.get_source(env, loop[0][0])[1], loop[0][1], [name for name, _ in loop]))
            elif target not in done:
                path.append(target)
                lines.append(line)
                stack.append(iter(names(target)))
    return problems


def _loop_problem(file: str, line: int, loop: list[str]) -> TemplateProblem:
    return TemplateProblem(file, line, f"templates {' → '.join([*loop, loop[0]])} include or extend one another in a loop",
                           "remove one of these includes or extends, or make it name another template")


def _has(env: jinja2.Environment, name: str) -> bool:
    """Whether a theme has a template of this name (one that is not UTF-8 too: that is its own problem)."""
    try:
        env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return False
    except TemplateProblem:
        return True
    return True


def _itself_hint(name: str, tag: str) -> str:
    """How to fix a template that includes, imports or extends itself."""
    if tag == "extends" and (default_theme() / "templates" / name).is_file():
        return f'an override of {name} cannot extend "{name}", which means your own file; copy the default {name} and edit the copy'
    return f"remove that {{% {tag} %}}, or make it name another template"


def template_hint(file: str | None, themes: list[Path]) -> str:
    """How to fix a template's error: a site's own template that overrides a default one may also be removed."""
    folder = own_templates(themes)
    if file and folder is not None and _within(file, folder.resolve()):
        name = Path(file).resolve().relative_to(folder.resolve())
        if not (default_theme() / "templates" / name).is_file():
            return "fix the template"
    return "fix the template, or remove your override to use the default theme's"


def _shown_folder(path: Path) -> str:
    """A path in the site's own theme (SITE/theme/templates/…) as a message names it: from the site's root."""
    parts = path.parts
    at = max((n for n, part in enumerate(parts) if part == "theme"), default=0)
    return "/".join(parts[at:])
_OKRSITE = Path(__file__).resolve().parents[1]
ROW_MACRO = "objective_row"  # what Renderer.objective_row draws a row with (the templates' row())


def own_templates(themes: list[Path]) -> Path | None:
    """The folder of the site's own templates, if it has one."""
    own = [theme / "templates" for theme in themes if theme.resolve() != default_theme().resolve()]
    return own[0] if own and own[0].is_dir() else None


def template_names(env: jinja2.Environment) -> list[str]:
    """The templates of a theme, without hidden files (an editor's swap file, .DS_Store)."""
    return [name for name in env.list_templates() if not any(part.startswith(".") for part in name.split("/"))]


def template_problems(renderer: Renderer) -> list[TemplateProblem]:
    """What is wrong with the site's own templates before a page is rendered: each one that is not
    UTF-8 or does not compile (all of them, where rendering stops at the first a page meets), and a
    macros.html override without every macro the templates import from it, or whose macros take fewer
    arguments than the default templates pass them."""
    folder = own_templates(renderer.themes)
    if folder is None:
        return []
    problems = []
    own = _own_names(renderer.env, folder)
    broken = set()
    for name in own:
        try:
            renderer.env.get_template(name)
        except TemplateProblem as problem:
            problems.append(problem)
            broken.add(name)
        except jinja2.TemplateSyntaxError as exc:
            message, meant = Names((), renderer.env.filters, renderer.env.tests).told(exc.message or "")
            line, message, closing = unclosed_tag(renderer.env, exc, message)
            problems.append(TemplateProblem(exc.filename or str(folder / name), line, f"template syntax error: {message}",
                                            meant or closing or template_hint(exc.filename or str(folder / name), renderer.themes)))
            broken.add(name)
    for name in own:  # those that compile, whatever the others (SPEC §7: every error in one run)
        if name not in broken:
            problems += named_problems(renderer.env, name, renderer.themes)
    problems += loop_problems(renderer.env, [name for name in own if name not in broken], broken)
    problems += _in_another_case(own, folder)
    missing = lacking_macros(renderer) if not problems else []
    narrow = narrow_macros(renderer) if not problems else []
    if missing:
        problems.append(lacking_macros_problem(renderer.env.get_template("macros.html").filename, missing))
    problems += narrow
    problems += misspelt_imports(renderer.env, [name for name in own if name not in broken])
    return problems


# Macros of the default macros.html added after a release, by that release: an override copied from
# the default of that release lacks them.
MACROS_ADDED = {"no_figure": "0.1.0", "corrected_late": "0.1.0", "added_late": "0.1.0", "deleted_corrected_note": "0.1.0", "counted_corrected_note": "0.1.0", "awaited_note": "0.1.0", "deleted_counted_note": "0.1.0", "deleted_after_end_note": "0.1.0"}


def lacking_macros_problem(filename: str, missing: list[str]) -> TemplateProblem:
    """One error naming every macro an override of macros.html lacks, and that copying just those is enough."""
    added = [f"{name} (added after okrsite {MACROS_ADDED[name]})" if name in MACROS_ADDED else name for name in missing]
    them = "it" if len(missing) == 1 else "them"
    return TemplateProblem(filename, 1, f"macros.html lacks {len(missing)} macro{'s' * (len(missing) != 1)} that the templates import from it: {', '.join(added)}",
                           f"adding just {them} to your macros.html is enough, your own macros kept: copy {them} from the default theme's "
                           f"{default_theme() / 'templates' / 'macros.html'}")


def _own_names(env: jinja2.Environment, folder: Path) -> list[str]:
    """The names of the site's own templates that are used (not hidden, not a link leading out of ``folder``)."""
    return sorted(set(template_names(env)) & {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file() and usable_theme_file(path, folder)})


def misspelt_imports(env: jinja2.Environment, own: list[str]) -> list[TemplateProblem]:
    """Each macro a site's own template imports from macros.html that neither the macros.html in use nor
    the default one has (`import status_badge` for `status`): that line's mistake, said there with the
    nearest macro, not blamed on a macros.html that is right (one lacking a default macro is lacking_macros')."""
    tree = _tree(env, "macros.html")
    if tree is None:
        return []
    kept, known = defined_macros(tree), default_macros()
    problems = []
    for name in own:
        for node, macro, _ in _macro_imports(_tree(env, name)):
            if macro not in kept and macro not in known:
                problems.append(TemplateProblem(env.loader.get_source(env, name)[1], node.lineno, f"macros.html has no macro '{macro}' to import",
                                                _meant_macro(macro, kept)))
    return problems


def _meant_macro(macro: str, kept: set[str]) -> str:
    """The did-you-mean of a misspelt macro: one whose name the written one starts with (`status` for
    `status_badge`, a word added) before the nearest by spelling (which would say `stale_badge`)."""
    stems = [name for name in kept if macro.startswith(name + "_")]
    if stems:
        return f"did you mean '{max(stems, key=len)}'?"
    return did_you_mean(macro, kept) or "fix the name, or add the macro to your own macros.html"


MACRO_NOT_EXPORTED = re.compile(r"the template 'macros\.html' \(imported on line \d+ in '[^']*'\) does not export the requested name")
"""How Jinja says, while rendering, what lacking_macros and misspelt_imports said before it."""


def _macro_imports(tree: jinja2.nodes.Template | None) -> Iterator[tuple[jinja2.nodes.FromImport, str, str]]:
    """(the `from "macros.html" import` tag, each macro name it imports, the name the template calls it by)
    of a template's tree."""
    for node in tree.find_all(jinja2.nodes.FromImport) if tree is not None else ():
        if isinstance(node.template, jinja2.nodes.Const) and node.template.value == "macros.html":
            yield from ((node, name, name) if isinstance(name, str) else (node, *name) for name in node.names)


def defined_macros(tree: jinja2.nodes.Template) -> set[str]:
    """What a macros.html lets a template import: its macros and the names it sets at its top."""
    kept = {macro.name for macro in tree.find_all(jinja2.nodes.Macro)}
    kept.update(target.name for node in tree.body if isinstance(node, jinja2.nodes.Assign)
                for target in (node.target, *node.target.find_all(jinja2.nodes.Name)) if isinstance(target, jinja2.nodes.Name))
    return kept


def default_macros() -> set[str]:
    """The macros of the default theme's macros.html."""
    return defined_macros(jinja2.Environment().parse(_default_source()))


def _tree(env: jinja2.Environment, name: str) -> jinja2.nodes.Template | None:
    """The template's syntax tree; None for one that does not compile or is not UTF-8 (its own problem)."""
    try:
        return _parsed(env, name)
    except TemplateProblem:
        return None


def template_warnings(renderer: Renderer) -> list[TemplateProblem]:
    """What in the site's own templates gives a site that builds and is wrong where nobody looks at
    first: a template no page uses, a link starting with `/` (broken under a sub-path and from
    file://), a base.html without blocks the pages fill (the review page loses review.js), text outside
    the blocks of a template that extends another (never shown), `|safe` on a value (goal text written
    as HTML). Warnings: every page is still written; template_problems has what fails the build."""
    folder = own_templates(renderer.themes)
    if folder is None:
        return []
    env, trees = renderer.env, {}

    def tree(name: str) -> jinja2.nodes.Template | None:
        """Each template parsed once for both checks (a build of a themed site pays for it every time)."""
        if name not in trees:
            trees[name] = _tree(env, name)
        return trees[name]

    own = _own_names(env, folder)
    return [*unused_templates(env, own, tree), *root_links(env, own), *lacking_blocks(env, folder, tree), *unplaced_blocks(env, own, tree),
            *outside_blocks(env, own, tree),
            *marked_safe(env, own, tree)]


_OTHER_NAMES = {"index.html": "home.html", "layout.html": "base.html", "default.html": "base.html"}
"""What other site generators call the dashboard and the page frame: a did-you-mean no spelling distance finds."""


def unused_templates(env: jinja2.Environment, own: list[str], tree: Callable[[str], jinja2.nodes.Template | None]) -> list[TemplateProblem]:
    """The site's own templates that no page uses: okrsite renders only the default theme's page
    templates by name, so one named otherwise (`index.html`, `baseof.html`, `objectives.html`) is used
    only when a template extends, includes or imports it. None while a template names one by an
    expression (`"parts/" ~ kind`), or one does not compile: which it names is not known. Nothing is
    parsed when every one of them has a default template's name (``tree``: a template's syntax tree)."""
    defaults = sorted(path.relative_to(default_theme() / "templates").as_posix() for path in (default_theme() / "templates").rglob("*") if path.is_file())
    folded = {name.casefold() for name in defaults}
    if all(name.casefold() in folded for name in own):
        return []
    named: set[str] = set()
    for name in template_names(env):
        parsed = tree(name)
        if parsed is None and name in own:
            return []
        for node in parsed.find_all(tuple(_NAMING)) if parsed is not None else ():
            names = _written_names(node.template)
            if names is None:
                return []
            named.update(target for target in names if target != name)
    return [TemplateProblem(env.loader.get_source(env, name)[1], 1,
                            f"template {name} is never used: okrsite renders pages only with templates named as the default theme's "
                            f"(home.html, objective.html, …), and no template extends, includes or imports {name}", _unused_hint(name, defaults))
            for name in own if name.casefold() not in folded and name not in named]


def _written_names(node: jinja2.nodes.Expr) -> list[str] | None:
    """The template names an extends, include or import writes ("a.html", or a list of them); None for a
    name made while rendering."""
    nodes = node.items if isinstance(node, (jinja2.nodes.List, jinja2.nodes.Tuple)) else [node]
    if all(isinstance(item, jinja2.nodes.Const) and isinstance(item.value, str) for item in nodes):
        return [item.value for item in nodes]
    return None


def _unused_hint(name: str, defaults: list[str]) -> str:
    """A rename to the default template it most likely means: by the name before its suffix, among those
    of its suffix (else `.html` alone would make logo.html mean page.html)."""
    stem, dot, suffix = name.rpartition(".")
    stems = {default.rpartition(".")[0]: default for default in defaults if default.rpartition(".")[2] == suffix}
    meant = _OTHER_NAMES.get(name) or (stems.get(nearest(stem, stems)) if dot else None)
    if meant is not None:
        return f"did you mean '{meant}'? rename it {meant} to replace the default one"
    return "name it as the default template it replaces (docs/themes.md lists them), include it from a template that is used, or remove it"


_ROOT_LINK = re.compile(r"""(?P<attr>\b(?:href|src|action|formaction|poster)\s*=\s*)(?P<quote>["']?)/(?![/\\])(?P<path>[^"'\s>]*)"""
                        r"""|(?P<url>\burl\(\s*)(?P<uquote>["']?)/(?![/\\])(?P<upath>[^"'\s)]*)""", re.IGNORECASE)


def root_links(env: jinja2.Environment, own: list[str]) -> list[TemplateProblem]:
    """Each link of the site's own templates that starts with `/` (`href="/brand.css"`, `url(/img/a.svg)`):
    it leads to the root of the web server, so it breaks on a site served under a sub-path and on one
    opened from file:// (docs/themes.md, "Rules of the road"). Said at its line, with the link written
    as the default templates write theirs: relative to the page."""
    problems = []
    for name in own:
        try:
            source, file, _ = env.loader.get_source(env, name)
        except TemplateProblem:
            continue
        for number, line in enumerate(_without_comments(source).splitlines(), 1):
            for found in _ROOT_LINK.finditer(line):
                path = found["path"] if found["attr"] is not None else found["upath"]
                problems.append(TemplateProblem(file, number, f'the link "/{path}" starts with "/": it leads to the root of the web server, '
                                                "so it breaks on a site served under a sub-path or opened from file://", _relative_hint(found, path)))
    return problems


_COMMENT = re.compile(r"\{#.*?#\}|<!--.*?-->", re.S)


def _without_comments(source: str) -> str:
    """A template's source without its Jinja and HTML comments (a link there is never followed), each
    kept as its line breaks, so that the lines below keep their numbers."""
    return _COMMENT.sub(lambda found: "\n" * found[0].count("\n"), source)


def _relative_hint(found: re.Match, path: str) -> str:
    """The link written relative to the page: {{ root }} before a static file, as the default base.html
    links style.css; href() around a page's url, as it links the home page."""
    if found["url"] is not None:
        quote = found["uquote"]
        return f"write it relative to the page, url({quote}{{{{ root }}}}{path}{quote}), as the default base.html links style.css"
    written, quote = found["attr"], found["quote"] or '"'
    if not path or path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]:
        return f"write it relative to the page, {written}{quote}{{{{ href('{path}') }}}}{quote}, as the default templates link their pages"
    return f"write it relative to the page, {written}{quote}{{{{ root }}}}{path}{quote}, as the default base.html links style.css"


def lacking_blocks(env: jinja2.Environment, folder: Path, tree: Callable[[str], jinja2.nodes.Template | None]) -> list[TemplateProblem]:
    """The blocks of the default base.html that templates extending base.html fill and the site's own
    base.html has not: a page's block that base.html does not place is dropped without a word (the review
    page's `scripts`, which loads review.js; `description`, `root_attributes`). A block the default
    base.html has not either is the page's mistake: unplaced_blocks says it there."""
    if not (folder / "base.html").is_file():
        return []
    placed = _blocks_placed(env, "base.html", set(), tree)
    if placed is None:
        return []
    filled: set[str] = set()
    for name in template_names(env):
        parsed = tree(name)
        if parsed is not None and name != "base.html" and _extended(parsed) == "base.html":
            filled.update(node.name for node in _outer_blocks(parsed))
    missing = sorted(filled & set(_default_base_blocks()) - set(placed))
    if not missing:
        return []
    return [TemplateProblem(env.loader.get_source(env, "base.html")[1], 1,
                            f"base.html lacks {len(missing)} block{'s' * (len(missing) != 1)} that the pages fill: {', '.join(missing)}",
                            "a page's block that base.html does not have is left out of the page: start from a copy of the default "
                            "base.html and keep all its blocks")]


def unplaced_blocks(env: jinja2.Environment, own: list[str], tree: Callable[[str], jinja2.nodes.Template | None]) -> list[TemplateProblem]:
    """Each block of the site's own template that the template it extends has not (`{% block extra_head %}`
    for `head`, another site generator's name): Jinja leaves what it holds out of the page without a word.
    Said at the block's line, naming the blocks there are; one the default base.html has and the site's
    own base.html dropped is lacking_blocks' to say, at base.html."""
    own_base = "base.html" in own
    problems = []
    for name in own:
        parsed = tree(name)
        parent = _extended(parsed) if parsed is not None else None
        if parent is None or not _has(env, parent):
            continue
        placed = _blocks_placed(env, parent, {name}, tree)
        if placed is None:
            continue
        file = env.loader.get_source(env, name)[1]
        for block in _outer_blocks(parsed):
            if block.name not in placed and not (own_base and parent == "base.html" and block.name in _default_base_blocks()):
                problems.append(TemplateProblem(file, block.lineno, f"{{% block {block.name} %}} is not a block of {parent}, so what it holds "
                                                f"is left out of the page: {parent} has the blocks {', '.join(placed)}",
                                                _block_hint(block.name, placed, parent)))
    return problems


def _block_hint(name: str, placed: list[str], parent: str) -> str:
    """The block a misnamed one likely means: one whose name is a word of it (`head` for `extra_head`),
    else the nearest by spelling."""
    words = [block for block in placed if block in re.split(r"[_\W]+", name)]
    meant = max(words, key=len) if words else nearest(name, placed)
    if meant is not None:
        return f"did you mean '{meant}'? rename it {{% block {meant} %}}"
    return f"put what it holds in one of the blocks of {parent}, or add {{% block {name} %}} to {parent} where it belongs"


def _outer_blocks(node: jinja2.nodes.Node) -> Iterator[jinja2.nodes.Block]:
    """The blocks of a template that are not inside another block (one inside is shown where that one is)."""
    for child in node.iter_child_nodes():
        if isinstance(child, jinja2.nodes.Block):
            yield child
        else:
            yield from _outer_blocks(child)


@cache
def _default_base_blocks() -> tuple[str, ...]:
    source = (default_theme() / "templates" / "base.html").read_text(encoding="utf-8")
    return tuple(node.name for node in jinja2.Environment().parse(source).find_all(jinja2.nodes.Block))


def outside_blocks(env: jinja2.Environment, own: list[str], tree: Callable[[str], jinja2.nodes.Template | None]) -> list[TemplateProblem]:
    """Text and `{{ … }}` outside any block of the site's own templates that extend another: Jinja drops
    what comes after the `{% extends %}` without a word (a misspelt name there is not even an error), and
    writes what comes before it, and an `{% include %}` anywhere outside the blocks, ahead of the page's
    <!doctype>. Said at the line of each."""
    problems = []
    for name in own:
        parsed = tree(name)
        if parsed is None or parsed.find(jinja2.nodes.Extends) is None:
            continue
        parent, file, extended = _extended(parsed) or "the template it extends", env.loader.get_source(env, name)[1], False
        hint = f"put it inside {{% block main %}}, or another block of {parent}"
        for node in parsed.body:
            if isinstance(node, jinja2.nodes.Extends):
                extended = True
            for loose in _loose(node):
                if isinstance(loose, jinja2.nodes.Include):
                    problems.append(TemplateProblem(file, loose.lineno, "an {% include %} outside any block of an extending template is written "
                                                    f"ahead of the page {parent} makes, before its <!doctype>", hint))
                elif (line := _shown_line(loose)) and extended:
                    problems.append(TemplateProblem(file, line, "text outside any block of an extending template is not shown", hint))
                elif line:
                    problems.append(TemplateProblem(file, line, "text before the {% extends %} of a template is written ahead of the page "
                                                    f"{parent} makes, before its <!doctype>", hint))
    return problems


def _loose(node: jinja2.nodes.Node) -> Iterator[jinja2.nodes.Node]:
    """The output and includes of a template's top-level node that are in no block (nor in a macro, which
    writes only where it is called)."""
    if isinstance(node, (jinja2.nodes.Block, jinja2.nodes.Macro, jinja2.nodes.CallBlock)):
        return
    if isinstance(node, (jinja2.nodes.Output, jinja2.nodes.Include)):
        yield node
        return
    for child in node.iter_child_nodes():
        yield from _loose(child)


def _shown_line(output: jinja2.nodes.Output) -> int:
    """The line of the first thing an output would show (not blank text between tags, nor an HTML comment,
    which nobody expects to see); 0 when it shows none."""
    for part in output.nodes:
        if not isinstance(part, jinja2.nodes.TemplateData):
            return part.lineno
        data = _HTML_COMMENT.sub(lambda comment: "\n" * comment[0].count("\n"), part.data)
        if data.strip():
            return part.lineno + data[:len(data) - len(data.lstrip())].count("\n")
    return 0


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


_SAFE_HTML = {"body", "markdown", "sparkline", "line_chart", "burnup", "status_bar"}
"""What already returns safe HTML (docs/themes.md, "Rules of the road"): `|safe` on it changes nothing."""


def marked_safe(env: jinja2.Environment, own: list[str], tree: Callable[[str], jinja2.nodes.Template | None]) -> list[TemplateProblem]:
    """Each `|safe` (or `Markup(…)`) of the site's own templates on a value, and each value printed inside
    `{% autoescape false %}`: goal text so printed is written as raw HTML, a title's `<meta http-equiv="refresh">`
    or an `<a>` of any address among it, which the Content-Security-Policy cannot stop (docs/themes.md,
    "Never |safe goal text"). Goal text is followed into the names bound from it: a loop variable over it,
    a `{% with %}` or `{% set %}` of it, a macro's parameter that a call passes it to (QA DJ). Not on text
    written in the template itself (the default macros.html's `'/<wbr>' | safe`), nor on what returns HTML already."""
    bound = goal_names(env, tree)
    problems = []
    for name in own:
        parsed = tree(name)
        if parsed is None:
            continue
        file, macros, names = env.loader.get_source(env, name)[1], _macro_names(parsed), bound.get(name, frozenset())
        for node in parsed.find_all((jinja2.nodes.Filter, jinja2.nodes.Call)):
            value = _marked(node)
            if value is not None and _reads_goal_text(value, macros, names):
                problems.append(_marked_problem(file, node.lineno, value))
        problems += [_unescaped_problem(file, value) for value in _unescaped(parsed, False)
                     if _marked(value) is None and _reads_goal_text(value, macros, names)]
    return sorted(problems, key=lambda problem: problem.line)


def goal_names(env: jinja2.Environment, tree: Callable[[str], jinja2.nodes.Template | None]) -> dict[str, frozenset[str]]:
    """For each template of the theme (the default ones too, which call a macros.html of yours), the names
    that may hold goal text: bound from it in the template, or a parameter of a macro it defines that some
    call of any template passes goal text to. Followed until nothing more is found."""
    trees = {name: parsed for name in template_names(env) if (parsed := tree(name)) is not None}
    macros = {name: _macro_names(parsed) for name, parsed in trees.items()}
    parameters: dict[str, frozenset[str]] = {}
    while True:
        bound = {name: _bound_goal_names(parsed, macros[name], parameters) for name, parsed in trees.items()}
        found = _goal_parameters(trees, macros, bound)
        if found == parameters:
            return bound
        parameters = found


def _bound_goal_names(parsed: jinja2.nodes.Template, macros: set[str], parameters: dict[str, frozenset[str]]) -> frozenset[str]:
    names = frozenset().union(*(parameters.get(macro.name, frozenset()) for macro in parsed.find_all(jinja2.nodes.Macro)))
    while True:
        more = names | {target for targets, value in _bindings(parsed) if _reads_goal_text(value, macros, names) for target in targets}
        if more == names:
            return names
        names = more


def _bindings(parsed: jinja2.nodes.Template) -> Iterator[tuple[list[str], jinja2.nodes.Node]]:
    """Each name a template binds to a value: `{% for x in … %}`, `{% with x = … %}`, `{% set x = … %}`."""
    for node in parsed.find_all((jinja2.nodes.For, jinja2.nodes.With, jinja2.nodes.Assign)):
        if isinstance(node, jinja2.nodes.For):
            yield _target_names(node.target), node.iter
        elif isinstance(node, jinja2.nodes.With):
            yield from ((_target_names(target), value) for target, value in zip(node.targets, node.values))
        else:
            yield _target_names(node.target), node.node


def _target_names(target: jinja2.nodes.Node) -> list[str]:
    if isinstance(target, jinja2.nodes.Name):
        return [target.name]
    return [name.name for name in target.find_all(jinja2.nodes.Name)]


def _goal_parameters(trees: dict[str, jinja2.nodes.Template], macros: dict[str, set[str]],
                     bound: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Each macro's parameters that a call passes goal text to, by the macro's name."""
    defined = {macro.name: [argument.name for argument in macro.args] for parsed in trees.values() for macro in parsed.find_all(jinja2.nodes.Macro)}
    found: dict[str, set[str]] = {}
    for name, parsed in trees.items():
        for call in parsed.find_all(jinja2.nodes.Call):
            macro = _expression(call.node).rsplit(".", 1)[-1]
            if macro not in defined:
                continue
            passed = [*zip(defined[macro], call.args), *((keyword.key, keyword.value) for keyword in call.kwargs)]
            found.setdefault(macro, set()).update(parameter for parameter, value in passed
                                                  if parameter in defined[macro] and _reads_goal_text(value, macros[name], bound[name]))
    return {macro: frozenset(parameters) for macro, parameters in found.items() if parameters}


def _marked_problem(file: str, line: int, value: jinja2.nodes.Node) -> TemplateProblem:
    shown = _expression(value)
    return TemplateProblem(file, line, f"goal text marked safe is written as raw HTML: {_named(value)} is printed unescaped, so any HTML "
                                       "in it (a <meta> refresh, a link to anywhere) is published as written",
                           f"remove |safe: print it as {{{{ {shown} }}}}, escaped, and Markdown with body() or markdown()"
                           if shown != "this value" else "remove |safe (or Markup): print goal text escaped, and Markdown with body() or markdown()")


def _unescaped_problem(file: str, value: jinja2.nodes.Node) -> TemplateProblem:
    return TemplateProblem(file, value.lineno, "goal text printed inside {% autoescape false %} is written as raw HTML: "
                                               f"{_named(value)} is printed unescaped, so any HTML in it (a <meta> refresh, a link to anywhere) is published as written",
                           "print goal text outside {% autoescape false %}, where it is escaped, or escape it there with |e; "
                           "Markdown with body() or markdown()")


def _named(value: jinja2.nodes.Node) -> str:
    """A value as a message names it: as written (`o.title`), else by the first field of the goals it reads
    (`o.title in this value`)."""
    shown = _expression(value)
    if shown != "this value":
        return shown
    fields = (_expression(node) for node in value.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)))
    return next((f"{field} in this value" for field in fields if field != "this value"), shown)


def _unescaped(node: jinja2.nodes.Node, off: bool) -> Iterator[jinja2.nodes.Node]:
    """Each value printed where `{% autoescape false %}` (a literal false) turned escaping off."""
    if isinstance(node, jinja2.nodes.ScopedEvalContextModifier | jinja2.nodes.EvalContextModifier):
        off = next((not option.value.value for option in node.options if option.key == "autoescape"
                    and isinstance(option.value, jinja2.nodes.Const)), off)
    if off and isinstance(node, jinja2.nodes.Output):
        yield from (part for part in node.nodes if not isinstance(part, jinja2.nodes.TemplateData))
        return
    for child in node.iter_child_nodes():
        yield from _unescaped(child, off)


def _marked(node: jinja2.nodes.Node) -> jinja2.nodes.Node | None:
    """What a `|safe` filter or a `Markup(…)` call marks safe; None for any other filter or call."""
    if isinstance(node, jinja2.nodes.Filter) and node.name == "safe":
        return node.node
    if isinstance(node, jinja2.nodes.Call) and _expression(node.node).rsplit(".", 1)[-1] == "Markup" and node.args:
        return node.args[0]
    return None


def _reads_goal_text(node: jinja2.nodes.Node | None, macros: set[str], names: frozenset[str] = frozenset()) -> bool:
    """Whether a value marked safe reads the model: a field (`o.title`, `o.doc.meta['link']`, a method's
    result `o.doc.meta.get('link')`), alone or joined to other text (`~`, `+`, `%`, `|format`, `|join`,
    `"…".format(…)`, a list). Not text written in the template itself (the default macros.html's
    `'/<wbr>' | safe`), a variable the template set (`{% set banner %}…{% endset %}`), a macro's output, a
    value escaped first (`x | e | safe`), nor what returns HTML already (body(o), a chart, a view helper):
    those are the theme author's own HTML (QA CT)."""
    if node is None:
        return False
    if isinstance(node, jinja2.nodes.Filter):
        return node.name not in _ESCAPING and any(_reads_goal_text(part, macros, names) for part in (node.node, *_arguments(node)))
    if isinstance(node, jinja2.nodes.Call):
        return _call_reads_goal_text(node, macros, names)
    if isinstance(node, (jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        return True
    if isinstance(node, jinja2.nodes.Name):
        return node.name in names
    if isinstance(node, jinja2.nodes.CondExpr):
        return any(_reads_goal_text(part, macros, names) for part in (node.expr1, node.expr2))
    if isinstance(node, (jinja2.nodes.Concat, jinja2.nodes.BinExpr, jinja2.nodes.List, jinja2.nodes.Tuple, jinja2.nodes.Dict, jinja2.nodes.Pair)):
        return any(_reads_goal_text(part, macros, names) for part in node.iter_child_nodes())
    return False


def _call_reads_goal_text(node: jinja2.nodes.Call, macros: set[str], names: frozenset[str]) -> bool:
    """A method of goal text (`o.doc.meta.get('link')`), or one of text written in the template that
    joins its arguments (`"Page: {}".format(o.title)`, `", ".join(o.tags)`) handed goal text."""
    callee = _expression(node.node)
    if callee in _SAFE_HTML or callee.startswith("view.") or callee.split(".", 1)[0] in macros or not isinstance(node.node, jinja2.nodes.Getattr):
        return False
    if isinstance(node.node.node, jinja2.nodes.Const):
        return any(_reads_goal_text(part, macros, names) for part in _arguments(node))
    return _reads_goal_text(node.node.node, macros, names)


def _arguments(node: jinja2.nodes.Filter | jinja2.nodes.Call) -> list[jinja2.nodes.Node]:
    return [*node.args, *(keyword.value for keyword in node.kwargs), *filter(None, (node.dyn_args, node.dyn_kwargs))]


_ESCAPING = {"e", "escape", "forceescape", "urlencode", "tojson"}


def _macro_names(parsed: jinja2.nodes.Template) -> set[str]:
    """The names a template calls macros by: its own, those it imports, and the modules it imports them as."""
    names = {node.name for node in parsed.find_all(jinja2.nodes.Macro)}
    names |= {node.target for node in parsed.find_all(jinja2.nodes.Import)}
    for node in parsed.find_all(jinja2.nodes.FromImport):
        names |= {alias if isinstance(alias, str) else alias[1] for alias in node.names}
    return names


def _expression(node: jinja2.nodes.Node | None) -> str:
    """A name or attribute path as written (`o.title`, `o.doc.meta['link']`); "this value" for anything else."""
    if isinstance(node, jinja2.nodes.Name):
        return node.name
    if isinstance(node, jinja2.nodes.Getattr) and (above := _expression(node.node)) != "this value":
        return f"{above}.{node.attr}"
    if isinstance(node, jinja2.nodes.Getitem) and isinstance(node.arg, jinja2.nodes.Const) and (above := _expression(node.node)) != "this value":
        return f"{above}[{node.arg.value!r}]"
    return "this value"


def _blocks_placed(env: jinja2.Environment, name: str, seen: set[str], tree: Callable[[str], jinja2.nodes.Template | None]) -> list[str] | None:
    """The blocks a template has, with those of the templates it extends (the outermost's first, in the
    order written); None when one does not compile or they extend one another in a loop."""
    parsed = tree(name)
    if parsed is None:
        return None
    blocks = [node.name for node in parsed.find_all(jinja2.nodes.Block)]
    parent = _extended(parsed)
    if parent in seen or parent == name:
        return None  # a loop: its own error
    if parent is None or not _has(env, parent):
        return blocks
    above = _blocks_placed(env, parent, seen | {name}, tree)
    return None if above is None else [*above, *(block for block in blocks if block not in above)]


def _extended(tree: jinja2.nodes.Template) -> str | None:
    """The name of the template a template extends, when it is written."""
    node = tree.find(jinja2.nodes.Extends)
    names = _written_names(node.template) if node is not None else None
    return names[0] if names and len(names) == 1 else None


def _in_another_case(own: list[str], folder: Path) -> list[TemplateProblem]:
    """An override whose name differs from the default template's only in case (`Objective.html`): Linux
    does not use it, macOS and Windows do, so one repository would build two sites."""
    defaults = {path.relative_to(default_theme() / "templates").as_posix().casefold(): path.name
                for path in (default_theme() / "templates").rglob("*") if path.is_file()}
    return [TemplateProblem(str(folder / name), 1, f"{name} differs from the default template {defaults[name.casefold()]} only in case: "
                            "it is used on macOS and Windows, not on Linux", f"rename it {defaults[name.casefold()]}")
            for name in own if name.casefold() in defaults and name != name.casefold() and name.casefold() not in own]


def imported_macros(env: jinja2.Environment) -> list[str]:
    """The macros the templates of ``env`` import from macros.html, and the one row() draws with (of
    those that parse: a template that does not is its own error, template_problems)."""
    names = {ROW_MACRO}
    for name in template_names(env):
        tree = _parsed(env, name)
        for node in tree.find_all(jinja2.nodes.FromImport) if tree is not None else ():
            if isinstance(node.template, jinja2.nodes.Const) and node.template.value == "macros.html":
                names.update(n if isinstance(n, str) else n[0] for n in node.names)
    return sorted(names)


def _parsed(env: jinja2.Environment, name: str) -> jinja2.nodes.Template | None:
    """The template's syntax tree; None for one with a syntax error, which is said as its own problem."""
    source, file, _ = env.loader.get_source(env, name)
    try:
        return env.parse(source, name, file)
    except jinja2.TemplateSyntaxError:
        return None


def lacking_macros(renderer: Renderer) -> list[str]:
    """The macros of the default macros.html that the templates import from it and the site's own
    macros.html lacks (a name the default has not either is the importing line's: misspelt_imports)."""
    folder = own_templates(renderer.themes)
    if folder is None or not (folder / "macros.html").is_file():
        return []
    env = renderer.env
    tree = _parsed(env, "macros.html")
    if tree is None:
        return []
    kept, known = defined_macros(tree), default_macros() | {ROW_MACRO}
    return [name for name in imported_macros(env) if name not in kept and name in known]


def narrow_macros(renderer: Renderer) -> list[TemplateProblem]:
    """Each macro of the site's own macros.html that a default template in use calls with more arguments
    than it takes, or with a keyword it has not (a `period_bar` copied before the default objective.html
    passed it `k`), said at the macro's line with the parameters to add: the build would fail at the
    call with Jinja's "macro 'period_bar' takes not more than 6 argument(s)", and `check` said nothing."""
    folder = own_templates(renderer.themes)
    tree = _parsed(renderer.env, "macros.html") if folder is not None and (folder / "macros.html").is_file() else None
    if tree is None:
        return []
    own = {macro.name: macro for macro in tree.find_all(jinja2.nodes.Macro)}
    overridden = set(_own_names(renderer.env, folder))
    lacking: dict[str, dict[str, None]] = {}
    callers: dict[str, dict[str, None]] = {}
    for template, calls in _default_macro_calls().items():
        for name, positional, keywords in calls if template not in overridden else ():
            unaccepted = _unaccepted(own[name], positional, keywords) if name in own else []
            if unaccepted:
                lacking.setdefault(name, {}).update(dict.fromkeys(unaccepted))
                callers.setdefault(name, {})[template] = None
    return [narrow_macro_problem(folder / "macros.html", own[name], list(parameters), list(callers[name]))
            for name, parameters in sorted(lacking.items(), key=lambda item: own[item[0]].lineno)]


@cache
def _default_macro_calls() -> dict[str, list[tuple[str, int, list[str]]]]:
    """Of each template of the default theme, its calls of the macros it imports from macros.html: (macro,
    how many arguments it passes by position, the keywords it passes). The calls a macros.html of a
    site's own must take, read once: the default theme does not change while okrsite runs."""
    folder, env = default_theme() / "templates", jinja2.Environment()
    found = {}
    for path in sorted(path for path in folder.rglob("*") if path.is_file()):
        tree = env.parse(path.read_text(encoding="utf-8"))
        imported = {alias: name for _, name, alias in _macro_imports(tree)}
        found[path.relative_to(folder).as_posix()] = [(imported[call.node.name], len(call.args), [keyword.key for keyword in call.kwargs])
                                                     for call in tree.find_all(jinja2.nodes.Call)
                                                     if isinstance(call.node, jinja2.nodes.Name) and call.node.name in imported]
    return found


def _unaccepted(macro: jinja2.nodes.Macro, positional: int, keywords: list[str]) -> list[str]:
    """The parameters of the default theme's macro of that name which a call passing ``positional``
    arguments and ``keywords`` gives and ``macro`` lacks: the default's past the macro's parameters, the
    keywords the macro has not."""
    names = [argument.name for argument in macro.args]
    past = list(_default_parameters().get(macro.name, ())[len(names):positional])
    unknown = [keyword for keyword in keywords if keyword not in names]
    if not past and not unknown:
        return []
    catches = find_undeclared(macro.body, ("varargs", "kwargs"))
    return [*([] if "varargs" in catches else past), *([] if "kwargs" in catches else unknown)]


def narrow_macro_problem(file: Path, macro: jinja2.nodes.Macro, lacking: list[str], callers: list[str]) -> TemplateProblem:
    """One error at a macro of the site's macros.html that the default templates call with parameters it
    lacks: which, who passes them, and the default theme's signature to add them as."""
    source = file.read_text(encoding="utf-8-sig")
    these, them = ("the parameter", "it") if len(lacking) == 1 else ("the parameters", "them")
    return TemplateProblem(str(file), macro.lineno, f"the macro {macro.name}({_signature(source, macro.name)}) lacks {these} {listed(lacking)} "
                           f"that the default {listed(callers)} pass{'es' * (len(callers) == 1)} it",
                           f"add {them} as the default theme's {default_theme() / 'templates' / 'macros.html'} has {them}, "
                           f"{{% macro {macro.name}({_signature(_default_source(), macro.name)}) %}}, and use {them} as that macro does")


def narrow_call(exc: Exception, frame: traceback.FrameSummary, themes: list[Path]) -> TemplateProblem | None:
    """Jinja's TypeError at a default template's call of a macro of the site's own macros.html that takes
    fewer arguments: the problem narrow_macros says before rendering, at the macro's line (said once)."""
    found = _MACRO_ARGUMENTS.fullmatch(str(exc)) if isinstance(exc, TypeError) else None
    folder = own_templates(themes)
    if found is None or folder is None or not (folder / "macros.html").is_file() or not _within(frame.filename, (default_theme() / "templates").resolve()):
        return None
    tree = jinja2.Environment().parse((folder / "macros.html").read_text(encoding="utf-8-sig"))
    macro = next((m for m in tree.find_all(jinja2.nodes.Macro) if m.name == found[1]), None)
    if macro is None:
        return None
    lacking = [found[3]] if found[3] else list(_default_parameters().get(macro.name, ())[int(found[2]):])
    return narrow_macro_problem(folder / "macros.html", macro, lacking, [_template_name(frame.filename, themes)])


_MACRO_ARGUMENTS = re.compile(r"macro '(\w+)' takes (?:not more than (\d+) argument\(s\)|no keyword argument '(\w+)')")
"""How Jinja says a call passes a macro more than it takes."""


def _signature(source: str, name: str) -> str:
    """What a template's source writes between the parentheses of `{% macro name(…) %}`."""
    found = re.search(r"{%-?\s*macro\s+" + re.escape(name) + r"\s*\((.*?)\)\s*-?%}", source, re.S)
    return " ".join(found[1].split()) if found else ""


def _default_source() -> str:
    return (default_theme() / "templates" / "macros.html").read_text(encoding="utf-8")


@cache
def _default_parameters() -> dict[str, tuple[str, ...]]:
    """The parameters of each macro of the default theme's macros.html, in order."""
    macros = jinja2.Environment().parse(_default_source()).find_all(jinja2.nodes.Macro)
    return {macro.name: tuple(argument.name for argument in macro.args) for macro in macros}


def _raising_frame(exc: Exception, templates: list[Path]) -> traceback.FrameSummary | None:
    """The innermost frame of a template (Jinja names it by the template's file) or of okrsite's
    code that an error passed through: where the error is to be blamed. Jinja's and Python's own
    frames (a filter such as format, an operator) are skipped: the template called them."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if _within(frame.filename, _OKRSITE) or any(_within(frame.filename, folder) for folder in templates):
            return frame
    return None


_ARGUMENT_ERRORS = (TypeError, ValueError, AttributeError)
"""What okrsite's filters and functions raise when a template hands them a value of the wrong kind
(`{{ "abc"|pct }}`): the template's error when the template is the site's own, not okrsite's bug."""


def _calling_template(exc: Exception, templates: list[Path], own: list[Path]) -> traceback.FrameSummary | None:
    """The innermost template frame an error passed through, when it is one of the site's own: the
    line that called okrsite's code with the value it could not take."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(_within(frame.filename, folder) for folder in templates):
            return frame if any(_within(frame.filename, folder) for folder in own) else None
    return None


def _call_into_default(exc: BaseException, themes: list[Path]) -> tuple[traceback.FrameSummary, traceback.FrameSummary] | None:
    """(the frame of the site's own template that called a macro of the default theme, that macro's
    frame) when an error was met inside such a call; None when the innermost template frame is the
    site's own, or when the default template was reached through a block (the site's base.html places
    a default page's block: the values in it are not the site's)."""
    default = (default_theme() / "templates").resolve()
    own = [(theme / "templates").resolve() for theme in themes if theme.resolve() != default_theme().resolve()]
    called = None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(_within(frame.filename, folder) for folder in own):
            return (frame, called) if called is not None and called.name == _MACRO_FRAME else None
        if _within(frame.filename, default):
            called = frame
    return None


_MACRO_FRAME = "template"  # the name Jinja gives a macro's frame (a block's is "block 'main'", a file's "top-level template code")
_MACRO_START = re.compile(r"{%-?\s*macro\s+(\w+)")


def _macro_at(file: str, line: int) -> str | None:
    """The name of the macro a line of a template file is in; None outside any."""
    names = [match[1] for text in Path(file).read_text(encoding="utf-8-sig").splitlines()[:line] for match in _MACRO_START.finditer(text)]
    return names[-1] if names else None


def _template_frames(exc: BaseException, themes: list[Path]) -> list[traceback.FrameSummary]:
    """The frames of an error's traceback that are in a theme's templates, outermost first."""
    templates = [(theme / "templates").resolve() for theme in themes]
    return [frame for frame in traceback.extract_tb(exc.__traceback__) if any(_within(frame.filename, folder) for folder in templates)]


def _template_name(file: str, themes: list[Path]) -> str:
    for theme in themes:
        folder = (theme / "templates").resolve()
        if _within(file, folder):
            return Path(file).resolve().relative_to(folder).as_posix()
    return Path(file).name


_LOOP_VERBS = {"extends": "extends", "include": "includes", "import": "imports"}


def _loop_tag(line: str) -> str | None:
    """The tag on a line that brings in another template (extends, include, import), if any."""
    for tag in _LOOP_VERBS:
        if re.search(r"\{%-?\s*(from\s+\S+\s+)?" + tag + r"\b", line):
            return tag
    return None


def _within(file: str, folder: Path) -> bool:
    return Path(file).resolve().is_relative_to(folder)

