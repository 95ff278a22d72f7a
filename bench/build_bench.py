#!/usr/bin/env python3
"""Build-time benchmark for okrsite, side by side with Hugo on the same text, in one run.

    python bench/build_bench.py [--sizes 1000 10000] [--seed 1] [--repeat 1] [--workers N]
                                [--no-hugo] [--keep] [--fresh-corpus] [--python PY] [--json FILE]
                                [--history COMMITS]

For each size N: generate (or reuse from bench/.cache/) a synthetic goals repository with N
objectives (see gen_corpus.py), copy it to a temp dir, and time, each in a fresh child process:

- cold: ``okrsite build`` with no build cache and no earlier output (it writes the cache);
- warm: the same after one objective's ``current:`` changed (one edit, the usual check-in), as every
  build after the first warm one is: one warm build (another edit) comes first, untimed, so that the
  output the build replaces waits beside OUT as the spare it makes its folder from (docs/build-cache.md);
- no change: the same again with nothing changed;
- ci (with ``--ci``): a warm build as a CI job makes it: the goals files written anew (a fresh checkout),
  OUT and the build cache copied away and back (as a CI cache restores them: the same bytes and times,
  other inodes), one edit;
- clean: ``okrsite build --no-cache`` (the cold build without writing a cache), for reference;
- Hugo: ``hugo`` on a Hugo site of N plain pages with the same titles and bodies, one list page.

With ``--history COMMITS`` the site is instead a clone of a git repository of ``gen_history.py`` with
about N objectives (N + N/10 goal files) and COMMITS commits, built with its history on; the warm edit
is committed (the history moves by one commit), and the warm build must read only that commit
(``git log LAST..HEAD``; see tests/git/test_history.py and tests/test_cache.py).

Then it prints seconds, peak RSS and the ratios to Hugo's time (the issue's targets: cold <= 1.5x,
warm <= 0.25x, no change <= 0.15x). The warm build's output is compared with a clean build's, byte for
byte (``--no-verify`` skips it). The peak RSS comes from ``os.wait4()`` on the build's own pid: that one
child's ``ru_maxrss``, its forked render workers not included (each has its own, smaller).

Exits 1 (printing the build's stderr) if a build fails or the warm output differs, 2 if okrsite
cannot be imported. It is a benchmark, not a test: missed targets exit 0.
"""
from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CACHE = os.path.join(HERE, ".cache")
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402

TARGETS = {"cold": 1.5, "warm": 0.25, "no change": 0.15}
RACY_S = 2.1  # okrsite's cache reads again a file changed within 2 s of the build that saw it (cache.RACY_NS)


def child_env(workers: int | None = None) -> dict:
    """Make ``python -m okrsite`` importable from a source checkout (src/ layout or flat), with its
    bytecode kept (in bench/.cache/pycache/, made by the untimed check that okrsite runs) as an
    installed okrsite has it: without, every build compiles okrsite's modules again (0.15 s)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(CACHE, "pycache")
    paths = [p for p in (os.path.join(REPO, "src"), REPO) if os.path.isdir(p)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONHASHSEED", "0")
    if workers is not None:
        env["OKRSITE_WORKERS"] = str(workers)
    return env


def generator_digest() -> str:
    with open(gen_corpus.__file__, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def corpus_for(n: int, seed: int, use_cache: bool, tmp_root: str) -> tuple[str, dict, float | None]:
    """Return (corpus dir, stats, generation seconds or None when reused from the cache)."""
    if use_cache:
        path = os.path.join(CACHE, f"corpus-{n}-seed{seed}")
        stamp_path = os.path.join(path, ".stamp.json")
        digest = generator_digest()
        try:
            with open(stamp_path, encoding="utf-8") as f:
                stamp = json.load(f)
            if stamp.get("generator") == digest:
                return path, stamp["stats"], None
        except (OSError, ValueError, KeyError):
            pass
        if os.path.exists(path):
            shutil.rmtree(path)
    else:
        path = os.path.join(tmp_root, f"corpus-{n}")
    t0 = time.perf_counter()
    stats = gen_corpus.generate(n, path, seed=seed)
    secs = time.perf_counter() - t0
    if use_cache:
        with open(stamp_path, "w", encoding="utf-8") as f:
            json.dump({"generator": digest, "stats": stats}, f)
    return path, stats, secs


def history_for(n: int, commits: int, seed: int) -> tuple[str, dict, float | None]:
    """A git repository of about ``n`` objectives (gen_history counts objectives and KPIs, gen_corpus makes
    a KPI per ten objectives) with ``commits`` commits, from bench/.cache/ when it is there."""
    import gen_history

    path, stats, secs = gen_history.cached_history(n + n // 10, commits, seed)
    return path, {**stats, "objectives": stats.get("objectives", n)}, secs


def working_copy(corpus: str, dest: str) -> str:
    """The corpus as a site that may be edited: settings, content and data only."""
    os.makedirs(dest)
    for name in ("okrsite.toml", "content", "data"):
        source = os.path.join(corpus, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(dest, name))
        elif os.path.isfile(source):
            shutil.copy(source, dest)
    return dest


def count_pages(out: str) -> int:
    return sum(sum(1 for f in files if f.endswith(".html")) for _, _, files in os.walk(out))


def run(cmd: list[str], workdir: str, env: dict) -> dict:
    """Run one command in a fresh child; measure it with wait4 (rusage of that pid only)."""
    out_path = os.path.join(workdir, "stdout.txt")
    err_path = os.path.join(workdir, "stderr.txt")
    with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL, cwd=REPO, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: keep Popen from waiting again
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    rss_bytes = ru.ru_maxrss if sys.platform == "darwin" else ru.ru_maxrss * 1024  # KiB on Linux
    return {"cmd": cmd, "rc": proc.returncode, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
            "peak_mb": rss_bytes / (1024 * 1024), "stdout": stdout, "stderr": stderr}


def last_line(res: dict) -> str:
    for text in (res["stdout"], res["stderr"]):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if lines:
            return lines[-1]
    return "(nothing printed)"


def okrsite_importable(python: str) -> str | None:
    """None if ``python -m okrsite build --help`` works, else the error text."""
    proc = subprocess.run([python, "-m", "okrsite", "build", "--help"], cwd=REPO, env=child_env(None),
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode == 0:
        return None
    return (proc.stderr or proc.stdout).strip() or f"exit status {proc.returncode}"


def objective_files(site: str) -> list[str]:
    """Every objective file, in subfolders too (gen_history moves some into a folder of their owner's)."""
    folder = os.path.join(site, "content", "objectives")
    return sorted(os.path.join(top, name) for top, _, names in os.walk(folder) for name in names if name.endswith(".md"))


def edit_one_objective(site: str) -> str:
    """Change the `current:` of one numeric key result of an objective from the middle of the id range."""
    paths = objective_files(site)
    for path in paths[len(paths) // 2:] + paths[:len(paths) // 2]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        match = re.search(r"^    current: (\d+)$", text, re.M)
        if match:
            new = text[:match.start(1)] + str(int(match[1]) + 1) + text[match.end(1):]
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            return os.path.relpath(path, site)
    raise SystemExit(f"no objective with an integer `current:` in {site}")


GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0",
           "GIT_AUTHOR_NAME": "Bench Check-in", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench Check-in", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def git(site: str, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=site, env={**os.environ, **GIT_ENV}, check=True, capture_output=True, text=True).stdout


def commit_edit(site: str) -> str:
    """edit_one_objective, committed: a check-in as it lands on the main line."""
    edited = edit_one_objective(site)
    git(site, "commit", "-q", "-am", f"Check-in on {edited}")
    return edited


# --------------------------------------------------------------------------- Hugo

HUGO_CONFIG = """baseURL = "http://example.org/"
title = "OKRs"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""
HUGO_SINGLE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
"""


def hugo_site(corpus: str, dest: str) -> int:
    """A Hugo site of one plain page per objective, with the objective's title and body (its Markdown,
    `[[id]]` links left as text), and a list page: the same text, none of the goals."""
    content = os.path.join(dest, "content", "objectives")
    os.makedirs(content)
    os.makedirs(os.path.join(dest, "layouts", "_default"))
    with open(os.path.join(dest, "config.toml"), "w", encoding="utf-8") as f:
        f.write(HUGO_CONFIG)
    for name, text in (("single.html", HUGO_SINGLE), ("list.html", HUGO_LIST)):
        with open(os.path.join(dest, "layouts", "_default", name), "w", encoding="utf-8") as f:
            f.write(text)
    count = 0
    for path in objective_files(corpus):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        _, front, body = text.split("---\n", 2)
        title = re.search(r"^title: (.*)$", front, re.M)[1]
        with open(os.path.join(content, os.path.basename(path)), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {title}\n---\n{body}")
        count += 1
    return count


# --------------------------------------------------------------------------- one size

def bench_size(n: int, args, tmp_root: str) -> dict | None:
    if args.history:
        corpus, stats, gen_secs = history_for(n, args.history, args.seed)
    else:
        corpus, stats, gen_secs = corpus_for(n, args.seed, not args.fresh_corpus, tmp_root)
    how = "reused" if gen_secs is None else f"generated in {gen_secs:.2f}s"
    print(f"[{n}] corpus {corpus} ({how}{f', {args.history} commits' if args.history else ''})", flush=True)
    env = child_env(args.workers)
    runs: dict[str, dict] = {}

    def timed(name: str, cmd: list[str], out: str | None = None) -> dict | None:
        best = None
        for k in range(args.repeat):
            prepare[name]()
            res = run(cmd, tmp_root, env)
            if res["rc"] != 0:
                print(f"[{n}] {name} FAILED (exit {res['rc']}): {' '.join(res['cmd'])}", file=sys.stderr)
                print(res["stderr"] or res["stdout"], file=sys.stderr)
                return None
            res["peak_mb"] = max(res["peak_mb"], best["peak_mb"] if best else 0)
            if best is None or res["wall"] < best["wall"]:
                best = res
            print(f"[{n}] {name} {k + 1}/{args.repeat}: {res['wall']:.2f}s wall, {res['peak_mb']:.0f} MB peak"
                  f" · {last_line(res)}", flush=True)
        if out is not None:
            best["pages"] = count_pages(out)
        runs[name] = best
        return best

    site = os.path.join(tmp_root, f"site-{n}")
    out = os.path.join(site, "site")
    clean_out = os.path.join(tmp_root, f"clean-{n}")
    build = [args.python, "-m", "okrsite", "build", site, "-o", out]
    edited: list[str] = []

    def fresh() -> None:
        shutil.rmtree(site, ignore_errors=True)
        if args.history:
            git(tmp_root, "clone", "-q", corpus, site)  # objects hard-linked: cheap, and the corpus stays as it is
        else:
            working_copy(corpus, site)

    def warm() -> None:  # the cold build's cache and output, one warm build (which leaves the spare), one edit
        fresh()
        time.sleep(RACY_S)  # files just copied are read again by the next build (racy): a checkout is older
        for _ in range(2):
            if run(build, tmp_root, env)["rc"] != 0:
                raise SystemExit("the build before the warm one failed")
            edited.append(commit_edit(site) if args.history else edit_one_objective(site))

    def unchanged() -> None:
        if not os.path.isdir(out):
            warm()
            run(build, tmp_root, env)

    def restored() -> None:  # a CI job: a fresh checkout, OUT and the cache put back from the CI's cache, one edit
        unchanged()
        saved = os.path.join(tmp_root, f"ci-cache-{n}")
        for name in (out, os.path.join(site, ".okrsite-cache")):
            shutil.rmtree(saved, ignore_errors=True)
            shutil.copytree(name, saved, symlinks=True)
            shutil.rmtree(name)
            shutil.copytree(saved, name, symlinks=True)
        shutil.rmtree(os.path.join(site, ".okrsite-spare-site"), ignore_errors=True)
        for top, _, names in [*os.walk(os.path.join(site, "content")), *os.walk(os.path.join(site, "data"))]:
            for name in names:
                os.utime(os.path.join(top, name))
        edited.append(commit_edit(site) if args.history else edit_one_objective(site))
        time.sleep(RACY_S)

    def day_before(day: str) -> Callable[[], None]:  # a settled site built on the day before ``day``
        def prepare_day() -> None:
            unchanged()
            before = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
            if run([*build, "--as-of", before], tmp_root, env)["rc"] != 0:
                raise SystemExit(f"the build as of {before} failed")
        return prepare_day

    prepare = {"cold": fresh, "warm": warm, "no change": unchanged, "ci": restored,
               "clean": lambda: shutil.rmtree(clean_out, ignore_errors=True), "hugo": lambda: None}
    days = [(f"day {day}", [*build, "--as-of", day]) for day in args.next_day or ()]
    prepare.update({name: day_before(name.split()[1]) for name, _ in days})
    for name, cmd in (("cold", build), ("warm", build), ("no change", build), *((("ci", build),) if args.ci else ()), *days):
        if timed(name, cmd, out) is None:
            return None
    if days:
        run(build, tmp_root, env)  # back to the corpus's own as-of date, the warm edits in: the output the clean build is compared with
    if timed("clean", [args.python, "-m", "okrsite", "build", site, "-o", clean_out, "--no-cache"], clean_out) is None:
        return None
    same = None
    if not args.no_verify:
        same = _same_tree(out, clean_out)
        print(f"[{n}] warm output {'==' if same else '!='} clean build output (edited {edited[-1]})", flush=True)
    hugo = None
    if not args.no_hugo and shutil.which("hugo"):
        hugo_src, hugo_out = os.path.join(tmp_root, f"hugo-{n}"), os.path.join(tmp_root, f"hugo-out-{n}")
        shutil.rmtree(hugo_src, ignore_errors=True)
        pages = hugo_site(corpus, hugo_src)
        prepare["hugo"] = lambda: shutil.rmtree(hugo_out, ignore_errors=True)
        hugo = timed("hugo", ["hugo", "--quiet", "-s", hugo_src, "-d", hugo_out], hugo_out)
        if hugo is not None:
            hugo["source_pages"] = pages
    elif not args.no_hugo:
        print(f"[{n}] hugo skipped: not installed (apt-get install -y hugo)", flush=True)
    row = {"size": n, "commits": args.history, **{k: stats.get(k) for k in ("objectives", "key_results", "kpis", "teams")},
           "pages": runs["cold"]["pages"], "warm_equals_clean": same, "edited": edited[-1] if edited else None,
           "load": os.getloadavg() if hasattr(os, "getloadavg") else None}
    for name, res in runs.items():
        row[name] = {"wall_s": round(res["wall"], 3), "cpu_s": round(res["cpu"], 3), "peak_mb": round(res["peak_mb"], 1),
                     "pages": res.get("pages"), "summary": last_line(res)}
    if hugo is not None:
        row["ratios"] = {name: round(runs[name]["wall"] / hugo["wall"], 3) for name in TARGETS}
    return row


def _same_tree(one: str, other: str) -> bool:
    compared = filecmp.dircmp(one, other)
    stack = [compared]
    while stack:
        c = stack.pop()
        if c.left_only or c.right_only or c.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        if mismatch or errors:
            return False
        stack.extend(c.subdirs.values())
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark `okrsite build` (cold, warm, no change) beside Hugo.")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of objectives (default: 1000 10000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest is reported (peak RSS: the largest)")
    ap.add_argument("--workers", type=int, help="OKRSITE_WORKERS for the builds (default: okrsite's own choice)")
    ap.add_argument("--no-hugo", action="store_true", help="skip Hugo")
    ap.add_argument("--no-verify", action="store_true", help="do not compare the warm output with a clean build's")
    ap.add_argument("--keep", action="store_true", help="keep the sites and print where they are")
    ap.add_argument("--fresh-corpus", action="store_true", help="generate corpora into a temp dir instead of reusing bench/.cache/")
    ap.add_argument("--python", default=sys.executable, help="interpreter that runs okrsite (default: this one)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--ci", action="store_true", help="also time a warm build as a CI job makes it: a fresh checkout, OUT and "
                    "the cache restored (new files: other inodes), one edit; the output then compared is this build's")
    ap.add_argument("--next-day", nargs="+", metavar="DAY", help="also time a build as of each DAY (YYYY-MM-DD) right after one "
                    "as of the day before: a new day (the corpus's periods: 2026-Q3 ends on 2026-09-30, 2026-Q4 on 2026-12-31)")
    ap.add_argument("--history", type=int, metavar="COMMITS", help="build a git repository with this many commits, history on (gen_history.py)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    problem = okrsite_importable(args.python)
    if problem is not None:
        print("okrsite CLI not available (`python -m okrsite build --help` failed):", file=sys.stderr)
        print(problem, file=sys.stderr)
        return 2

    tmp_root = tempfile.mkdtemp(prefix="okrsite-bench-")
    rows, failed = [], False
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs", flush=True)
    try:
        for n in args.sizes:
            row = bench_size(n, args, tmp_root)
            if row is None or row["warm_equals_clean"] is False:
                failed = True
            if row is None:
                break
            rows.append(row)
    finally:
        if not args.keep:
            shutil.rmtree(tmp_root, ignore_errors=True)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if rows:
        print_table(rows)
        if args.keep:
            print(f"\nkept: {tmp_root}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"python": args.python, "seed": args.seed, "repeat": args.repeat, "workers": args.workers,
                       "results": rows, "failed": failed}, f, indent=2)
    return 1 if failed else 0


def print_table(rows: list[dict]) -> None:
    days = sorted({name for r in rows for name in r if name.startswith("day ")})
    names = ["cold", "warm", "no change", *(["ci"] if any("ci" in r for r in rows) else []), *days, "clean", "hugo"]
    head = ["size", "pages", *(f"{name} s" for name in names), "cold MB", *(f"{name}/hugo" for name in TARGETS)]
    table = []
    for r in rows:
        cells = [str(r["size"]), str(r["pages"])]
        cells += [f"{r[name]['wall_s']:.2f}" if name in r else "-" for name in names]
        cells.append(f"{r['cold']['peak_mb']:.0f}")
        for name, target in TARGETS.items():
            ratio = r.get("ratios", {}).get(name)
            cells.append("-" if ratio is None else f"{ratio:.2f} ({'met' if ratio <= target else f'target {target}'})")
        table.append(cells)
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(head)]
    print()
    print("  ".join(h.rjust(w) for h, w in zip(head, widths)))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print("  ".join(c.rjust(w) for c, w in zip(t, widths)))


if __name__ == "__main__":
    sys.exit(main())
