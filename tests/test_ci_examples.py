"""The CI examples (docs/ci/), the pre-commit hook (.pre-commit-hooks.yaml) and their copies in
docs/publishing.md: they load, every okrsite command in them is one the command line accepts,
they fetch the full git history, and the hook runs on the files okrsite reads."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
import yaml

from okrsite.cli import parser

REPO = Path(__file__).resolve().parents[1]
GITHUB = REPO / "docs" / "ci" / "github-actions.yml"
GITLAB = REPO / "docs" / "ci" / "gitlab-ci.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
PUBLISHING = REPO / "docs" / "publishing.md"

CONTROL = {";", "&&", "||", "|", "&", "(", ")"}
REDIRECT = re.compile(r"^[0-9]*(<|<<|>|>>|>\||&>|&>>|<&|>&|<>)$")


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ---- finding the commands ---------------------------------------------------------------------


def shell_lines(script: str) -> list[str]:
    """The logical lines of a shell snippet: backslash-newline continuations joined."""
    return script.replace("\\\n", " ").splitlines()


def commands(script: str) -> list[list[str]]:
    """The simple commands of a shell snippet, as argument lists, without redirections.

    `okrsite check > report.json && cat report.json` gives [["okrsite", "check"], ["cat", "report.json"]].
    """
    found = []
    for line in shell_lines(script):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        current: list[str] = []
        skip_next = False
        for token in tokens:
            if skip_next:
                skip_next = False
            elif token in CONTROL:
                found.append(current)
                current = []
            elif REDIRECT.match(token):
                if current and current[-1].isdigit():  # `2>` comes out as "2", ">"
                    current.pop()
                skip_next = True  # the file (or descriptor) the redirection names
            else:
                current.append(token)
        found.append(current)
    return [c for c in found if c]


def okrsite_commands(scripts: list[str]) -> list[list[str]]:
    return [argv for script in scripts for argv in commands(script) if argv[0] == "okrsite"]


def github_steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def github_scripts(workflow: dict) -> list[str]:
    return [step["run"] for step in github_steps(workflow) if "run" in step]


def gitlab_jobs(config: dict) -> dict[str, dict]:
    """Jobs are the top-level mappings with a script; `default` can hold before/after scripts."""
    return {name: job for name, job in config.items() if isinstance(job, dict) and (name == "default" or "script" in job)}


def gitlab_scripts(config: dict) -> list[str]:
    scripts = []
    for job in gitlab_jobs(config).values():
        for key in ("before_script", "script", "after_script"):
            value = job.get(key, [])
            scripts.extend([value] if isinstance(value, str) else value)
    return scripts


def hook_scripts(hooks: list[dict]) -> list[str]:
    return [shlex.join(shlex.split(hook["entry"]) + list(hook.get("args", []))) for hook in hooks]


def long_options(command: str) -> set[str]:
    """The long options `okrsite COMMAND --help` lists, spelled in full."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        parser().parse_args([command, "--help"])
    return set(re.findall(r"--[a-z][a-z-]*", out.getvalue()))


def parse(argv: list[str]):
    """What `okrsite ARGS` would parse to; a test failure (not an exit) on anything argparse rejects.

    argparse also accepts a long option cut short (`--stric` for `--strict`); an example must not
    rely on that, so each long option must be one that `okrsite COMMAND --help` spells out.
    """
    try:
        args = parser().parse_args(argv[1:])
    except SystemExit as exc:
        pytest.fail(f"okrsite rejects {shlex.join(argv)!r} (exit {exc.code})")
    known = long_options(args.command)
    for token in argv[2:]:
        if token.startswith("--") and token.split("=")[0] not in known:
            pytest.fail(f"{shlex.join(argv)!r}: {token} is not an option of okrsite {args.command} spelled in full")
    return args


# ---- the helpers themselves -------------------------------------------------------------------


def test_commands_splits_multi_line_scripts_and_strips_redirections():
    script = (
        "pip install 'git+<url>'\n"
        "okrsite check --format json > okrsite-report.json 2>&1 || true\n"
        "# okrsite build --nonsense\n"
        "okrsite build --strict \\\n  -o public && echo done; okrsite check 2> errors.txt\n"
    )
    assert commands(script) == [
        ["pip", "install", "git+<url>"],
        ["okrsite", "check", "--format", "json"],
        ["true"],
        ["okrsite", "build", "--strict", "-o", "public"],
        ["echo", "done"],
        ["okrsite", "check"],
    ]


@pytest.mark.parametrize("line", [
    "okrsite check --format gitlab",
    "okrsite build --stric",
    "okrsite check -o public",
    "okrsite publish",
])
def test_parse_fails_on_what_okrsite_rejects(line):
    with pytest.raises(pytest.fail.Exception):
        parse(shlex.split(line))


# ---- the files load ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [GITHUB, GITLAB, HOOKS], ids=lambda p: p.name)
def test_loads_as_yaml(path):
    data = load(path)
    assert data, f"{path} is empty"
    if path == HOOKS:
        assert isinstance(data, list) and all(isinstance(h, dict) for h in data)
    else:
        assert isinstance(data, dict)


# ---- every okrsite command parses -------------------------------------------------------------


def all_commands() -> list[tuple[str, list[str]]]:
    return (
        [("github", argv) for argv in okrsite_commands(github_scripts(load(GITHUB)))]
        + [("gitlab", argv) for argv in okrsite_commands(gitlab_scripts(load(GITLAB)))]
        + [("pre-commit", argv) for argv in okrsite_commands(hook_scripts(load(HOOKS)))]
    )


@pytest.mark.parametrize("where, argv", all_commands(), ids=lambda v: v if isinstance(v, str) else shlex.join(v))
def test_okrsite_command_parses(where, argv):
    parse(argv)


def test_github_workflow_checks_pull_requests_and_builds_main():
    workflow = load(GITHUB)
    parsed = [parse(argv) for argv in okrsite_commands(github_scripts(workflow))]
    checks = [a for a in parsed if a.command == "check"]
    builds = [a for a in parsed if a.command == "build"]
    assert checks and all(a.format == "github" for a in checks), "pull requests get annotations"
    assert builds and all(a.strict for a in builds)
    # PyYAML reads the bare key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"][0]["cron"]

    jobs = workflow["jobs"]
    uses = {name: [s.get("uses", "").split("@")[0] for s in job.get("steps", [])] for name, job in jobs.items()}
    build = next(name for name, steps in uses.items() if "actions/upload-pages-artifact" in steps)
    deploy = next(name for name, steps in uses.items() if "actions/deploy-pages" in steps)
    assert build != deploy
    assert jobs[deploy]["needs"] in (build, [build])
    assert jobs[deploy]["environment"]["name"] == "github-pages"
    assert jobs[deploy]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "pull_request" in jobs[build]["if"] and "!=" in jobs[build]["if"], "pull requests never publish"
    upload = next(s for s in jobs[build]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    out = next(a.out for a in parsed if a.command == "build")
    assert upload["with"]["path"] == str(out or "site")


def test_gitlab_checks_merge_requests_and_publishes_public():
    config = load(GITLAB)
    assert config["image"].startswith("python:3.12")
    jobs = gitlab_jobs(config)
    pages = [parse(argv) for argv in okrsite_commands(jobs["pages"]["script"])]
    assert [(a.command, a.strict, str(a.out)) for a in pages] == [("build", True, "public")]
    assert jobs["pages"]["artifacts"]["paths"] == ["public"]
    assert "CI_DEFAULT_BRANCH" in jobs["pages"]["rules"][0]["if"]
    check = [parse(argv) for argv in okrsite_commands(jobs["check"]["script"])]
    assert [a.command for a in check] == ["check"]
    assert "merge_request_event" in jobs["check"]["rules"][0]["if"]


def test_gitlab_keeps_the_build_cache_of_the_default_branch_only():
    """The cache is the pages job's, which merge requests never run, and kept per branch; that it works
    (the key inside the project) is tests/test_cache.py's test_the_gitlab_example_keeps_..."""
    jobs = gitlab_jobs(load(GITLAB))
    assert "cache" not in jobs["check"] and "cache" not in load(GITLAB).get("default", {})
    assert "$CI_COMMIT_REF_SLUG" in jobs["pages"]["cache"]["key"]
    assert jobs["pages"]["variables"]["XDG_CACHE_HOME"].startswith("$CI_PROJECT_DIR/")


def test_every_file_runs_okrsite():
    where = {w for w, _ in all_commands()}
    assert where == {"github", "gitlab", "pre-commit"}


# ---- full git history -------------------------------------------------------------------------


def test_github_checks_out_the_full_history():
    checkouts = [s for s in github_steps(load(GITHUB)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts, "no actions/checkout step"
    for step in checkouts:
        assert step.get("with", {}).get("fetch-depth") == 0, f"shallow checkout: {step}"


def test_gitlab_clones_the_full_history():
    config = load(GITLAB)
    assert str(config.get("variables", {}).get("GIT_DEPTH")) == "0"
    for name, job in gitlab_jobs(config).items():
        depth = job.get("variables", {}).get("GIT_DEPTH")
        assert depth is None or str(depth) == "0", f"job {name} sets GIT_DEPTH: {depth}"


# ---- the pre-commit hook ----------------------------------------------------------------------


def okrsite_hook() -> dict:
    [hook] = [h for h in load(HOOKS) if h["id"] == "okrsite-check"]
    return hook


def test_pre_commit_hook_fields():
    hook = okrsite_hook()
    assert hook["name"] and hook["description"]
    assert hook["entry"] == "okrsite check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False, "okrsite takes a site folder, not file names"
    assert hook["always_run"] is False


@pytest.mark.parametrize("path, runs", [
    ("content/objectives/x.md", True),
    ("content/kpis/mrr.md", True),
    ("content/how-we-do-okrs.md", True),
    ("data/mrr.csv", True),
    ("okrsite.toml", True),
    ("README.md", False),
    ("docs/content/x.md", False),
    ("mycontent/x.md", False),
    ("site/index.html", False),
    ("okrsite.toml.bak", False),
    ("notes/okrsite.toml", False),
])
def test_pre_commit_hook_files(path, runs):
    # pre-commit matches `files` with re.search against paths relative to the repository root.
    assert bool(re.search(okrsite_hook()["files"], path)) is runs


def test_github_workflow_keeps_the_build_cache_its_key_and_the_output_between_builds_of_main():
    """docs/build-cache.md, "In CI": with the output restored too, a build renders only what changed."""
    jobs = load(GITHUB)["jobs"]
    build = next(job for job in jobs.values() if any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in job["steps"]))
    steps = build["steps"]
    cached = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert len(cached) == 1
    assert set(cached[0]["with"]["path"].split()) == {".okrsite-cache", "~/.cache/okrsite", "site"}
    assert "github.ref" in cached[0]["with"]["key"] and "github.ref" in cached[0]["with"]["restore-keys"]
    runs = [n for n, s in enumerate(steps) if "okrsite build" in s.get("run", "")]
    assert runs and steps.index(cached[0]) < runs[0], "restored before the build"
    assert "!= 'pull_request'" in build.get("if", ""), "a cache no pull request's build writes (docs/build-cache.md)"


# ---- the copies in docs/publishing.md ---------------------------------------------------------


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```$", markdown, re.S | re.M)


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=lambda p: p.name)
def test_publishing_page_shows_the_example_as_it_is(path):
    assert path.read_text(encoding="utf-8") in yaml_blocks(PUBLISHING.read_text(encoding="utf-8")), (
        f"docs/publishing.md has no ```yaml block identical to {path.relative_to(REPO)}"
    )


def test_publishing_page_pre_commit_config_uses_the_hook():
    blocks = [block for block in yaml_blocks(PUBLISHING.read_text(encoding="utf-8")) if "repos:" in block]
    assert blocks, "docs/publishing.md has no .pre-commit-config.yaml example"
    config = yaml.safe_load(blocks[0])
    hook_ids = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert hook_ids == ["okrsite-check"]
    assert {h["id"] for h in load(HOOKS)} >= set(hook_ids)
    assert all(repo.get("rev") for repo in config["repos"])


# ---- the hosting snippets of docs/keeping-it-internal.md ---------------------------------------

INTERNAL = REPO / "docs" / "keeping-it-internal.md"


def scripts_in(node) -> list[str]:
    """Every `run:` and `script:` of a YAML snippet, wherever it sits (a job, a step, a list of steps)."""
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            found += ([value] if isinstance(value, str) else value) if key in ("run", "script") else scripts_in(value)
        return found
    if isinstance(node, list):
        return [script for item in node for script in scripts_in(item)]
    return []


def internal_snippets() -> list:
    return [yaml.safe_load(block) for block in yaml_blocks(INTERNAL.read_text(encoding="utf-8"))]


def test_each_host_of_keeping_it_internal_has_a_ci_snippet_that_builds_strictly():
    snippets = internal_snippets()
    assert len(snippets) == 5  # GitLab, GitHub, S3/CloudFront, nginx, Cloudflare
    builds = [parse(argv) for snippet in snippets for argv in okrsite_commands(scripts_in(snippet))]
    assert all(a.command == "build" and a.strict for a in builds) and len(builds) == 4  # GitHub's only adds a guard step
    for snippet in snippets:
        for job in (snippet.values() if "steps" not in snippet else [snippet]):
            for step in job.get("steps", []) if isinstance(job, dict) else []:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step.get("with", {}).get("fetch-depth") == 0, f"shallow checkout: {step}"


def test_every_guard_runs_before_the_upload():
    """A guard that refuses a public site must come before what publishes it."""
    gitlab, github, s3 = internal_snippets()[:3]
    script = gitlab["pages"]["script"]
    assert "pages_access_level" in script[0] and script[1].startswith("okrsite build")
    steps = github["steps"]
    assert "pages" in steps[0]["run"] and steps[1]["uses"].startswith("actions/deploy-pages")
    runs = [step.get("run", "") for step in s3["publish"]["steps"]]
    guard = next(i for i, run in enumerate(runs) if "get-public-access-block" in run)
    assert guard < next(i for i, run in enumerate(runs) if run.startswith("aws s3 sync"))


# ---- two audiences (docs/ci/two-audiences.yml, docs/audiences.md) -------------------------------

TWO = REPO / "docs" / "ci" / "two-audiences.yml"
AUDIENCES = REPO / "docs" / "audiences.md"


def test_the_two_audiences_workflow_builds_both_and_publishes_only_the_public_one():
    workflow = load(TWO)
    jobs = workflow["jobs"]
    parsed = [parse(argv) for argv in okrsite_commands(github_scripts(workflow))]
    checks = [a for a in parsed if a.command == "check"]
    assert sorted(a.audience for a in checks) == ["internal", "public"] and all(a.strict and a.format == "github" for a in checks)
    builds = {a.audience: str(a.out) for a in parsed if a.command == "build" and a.strict}
    assert builds == {"internal": "internal", "public": "public"}, "each build names its audience"
    steps = [s for job in jobs.values() for s in job.get("steps", [])]
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert [s["with"]["path"] for s in upload] == [builds["public"]], "only the public site reaches GitHub Pages"
    wrangler = [s for s in steps if s.get("uses", "").startswith("cloudflare/wrangler-action")]
    assert [s["with"]["command"].split()[2] for s in wrangler] == [builds["internal"]]
    deploy = next(name for name, job in jobs.items() if any(s.get("uses", "").startswith("actions/deploy-pages") for s in job["steps"]))
    assert jobs[deploy]["environment"]["name"] == "github-pages" and jobs[deploy]["needs"] == "build"
    assert all(s.get("with", {}).get("fetch-depth") == 0 for s in steps if s.get("uses", "").startswith("actions/checkout@"))


def test_the_audiences_page_shows_the_workflow_as_it_is():
    assert TWO.read_text(encoding="utf-8") in yaml_blocks(AUDIENCES.read_text(encoding="utf-8"))


def test_keeping_it_internal_never_builds_a_public_site():
    builds = [parse(argv) for snippet in internal_snippets() for argv in okrsite_commands(scripts_in(snippet))]
    assert builds and all(a.audience in (None, "internal") for a in builds)


def test_github_workflow_says_where_a_build_of_goals_in_a_folder_writes():
    """QA CQ 4: the workflow told how to check goals kept in a folder, not how to build them; its
    build step as written then failed (no content/ folder), and its cache and upload named site/."""
    text = GITHUB.read_text(encoding="utf-8")
    comments = "\n".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    folder_builds = [parse(shlex.split(cmd)) for cmd in re.findall(r"`(okrsite build [^`]+)`", comments)]
    assert folder_builds, "the comments show the build of goals kept in a folder"
    for args in folder_builds:
        site = str(args.site)
        assert site not in ("", ".") and args.strict
        assert f"{site}/site" in comments and f"{site}/.okrsite-cache" in comments


# ---- where the docs' builds write ------------------------------------------------------------


def docs_build_outputs() -> list[tuple[str, str]]:
    """(page, OUT) of every `okrsite build … -o OUT` in docs/ and the README."""
    pages = sorted((REPO / "docs").glob("*.md")) + sorted((REPO / "docs" / "ci").glob("*.yml")) + [REPO / "README.md"]
    built = re.compile(r"okrsite build\s[^\n`]*?\s-o\s+([^\s`]+?)\.?(?=[\s`])")  # a command, not "okrsite build's output"
    return [(page.name, out) for page in pages for out in built.findall(page.read_text(encoding="utf-8"))]


def test_the_docs_build_into_folders_their_gitignore_leaves_out():
    """QA: docs/audiences.md built the internal site with `-o internal` (publishing.md `-o q3-final`),
    a folder the `.gitignore` of publishing.md (and of `okrsite init`) did not name: `git add -A`
    committed its confidential numbers. Each OUT is outside the repository or has its line there (or a
    folder above it has: `-o site/internal`, shown refused, is under `site/`)."""
    blocks = re.findall(r"^```\n# \.gitignore\n(.*?)^```$", PUBLISHING.read_text(encoding="utf-8"), re.S | re.M)
    ignored = {line.rstrip("/") for block in blocks for line in block.splitlines()}
    found = docs_build_outputs()
    assert ("audiences.md", "internal") in found and ("publishing.md", "q3-final") in found
    assert [(page, out) for page, out in found if not (out.startswith("/") or any(out == i or out.startswith(f"{i}/") for i in ignored))] == []


# ---- runs that publish take turns --------------------------------------------------------------

TURNS = re.compile(r"\$\{\{ github\.event_name == 'pull_request' && (?P<check>.+) \|\| '(?P<publish>[^']+)' \}\}")


@pytest.mark.parametrize("path", [GITHUB, TWO], ids=lambda p: p.name)
def test_runs_that_publish_take_turns_whole_not_only_their_deployment(path):
    """With the deploy job alone taking turns, builds ran side by side and deployed in the order they
    finished: an older commit's could be published over a newer one. So every run that publishes is in
    one group, whole, as GitHub's Pages starter workflows do. Pull requests only check: grouped per pull
    request, they never wait for a deployment, nor replace another's waiting check (a group keeps one
    waiting run). No job takes a group again: in its workflow's, it would wait for its own run, and GitHub
    cancels it as a deadlock."""
    workflow = load(path)
    turns = workflow.get("concurrency") or {}
    group = TURNS.fullmatch(str(turns.get("group", "")))
    assert group and group["publish"] == "pages" and "github.ref" in group["check"]
    assert turns["cancel-in-progress"] is False, "a deployment is never stopped half-way"
    assert [name for name, job in workflow["jobs"].items() if "concurrency" in job] == []
