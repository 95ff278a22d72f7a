#!/usr/bin/env python3
"""Live-preview latency benchmark: how long from saving a file to the browser showing the new page.

    python bench/serve_bench.py [--sizes 1000 10000] [--edits 10] [--seed 1] [--no-mkdocs]
                                [--mkdocs-sizes N ...] [--mkdocs-full] [--mkdocs-timeout 600]
                                [--load-timeout 120] [--keep] [--json FILE] [--history COMMITS] [--form]

For each size N:

1. Generate (or reuse from bench/.cache/, like build_bench.py) a synthetic goals repository with N
   objectives and copy it to a temp dir (the cached corpus is never edited).
2. Start ``python -m okrsite serve COPY --port FREE`` (stdout captured) and wait until the chosen
   objective page shows its current value, i.e. the first build is done.
3. Open that page in headless Chromium (Playwright sync API, /usr/bin/chromium), then ``--edits``
   times: t0, rewrite the objective's file with a new ``current:`` value, t1 = the first frame the
   page shows with the new value, timed in the page (a script in every document the tab opens watches
   for the value and reads the clock in the next ``requestAnimationFrame``, which waits for the page's
   style sheet after a reload). The latency is t1 - t0, whether the live-reload client reloaded the
   page (``location.reload()``, counted) or put the new page in place. Then the page is checked for the
   new value ("verified"). Edits are ~0.5 s apart. (Until issue 16's fourth round the bench waited
   for the ``load`` event instead: about 20 ms more, the favicon and Playwright's event delivery.)
4. The same with mkdocs (if it can be imported or pip-installed): a project with N plain Markdown
   pages (the objective bodies, each page with a ``Current: V`` line), ``mkdocs serve --dirty``
   (``--mkdocs-full`` for full rebuilds; livereload is on by default), same edit loop on one page.

With ``--history COMMITS`` the okrsite site is instead a ``git clone`` of a ``gen_history.py`` repository
of about N objectives and COMMITS commits (build_bench.py's, from bench/.cache/), served with its history
on; the edits are saved, not committed (what a writer does before committing). mkdocs is not run then.

With ``--form`` each edit is made the way a writer does it in the preview: fill in the key result's update
form on the page and click Update (the server writes the file, rebuilds, and the page shows the new value).
Issue 14's target for the form: the page shows the new value within a second. mkdocs is not run then.

The objective is picked deterministically: the first objective from the middle of the id range on
that has an integer numeric key result with a plain ``current:`` (no check-in history, no KPI link)
and enough room between start and target for distinct values.

Prints median / min / max per tool and size, the servers' own per-rebuild lines, and a table.
Targets (issue 16): okrsite <= 0.15 s at 1k objectives, <= 0.5 s at 10k. Needs: playwright (pip) and Debian's
chromium (/usr/bin/chromium). Every child process is stopped at the end, whatever happens.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from build_bench import REPO, child_env, corpus_for, git, history_for  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
TARGETS = {1000: 0.15, 10000: 0.5}
PAUSE = 0.5  # between edits, so that two saves are never grouped into one rebuild


# --------------------------------------------------------------------------- helpers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5.0) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def wait_ready(url: str, proc: subprocess.Popen, pattern: re.Pattern, timeout: float) -> float:
    """Poll ``url`` until its text matches ``pattern``; seconds waited. Raises on exit/timeout."""
    t0 = time.perf_counter()
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before answering")
        text = fetch(url)
        if text is not None and pattern.search(text):
            return time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"{url} not ready after {timeout:.0f} s")
        time.sleep(0.1)


def start(cmd: list[str], log_path: str, cwd: str, env: dict) -> subprocess.Popen:
    log = open(log_path, "wb")
    try:
        # own process group, so that stopping it also stops anything it started
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=cwd, env=env, start_new_session=True)
    finally:
        log.close()


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def read_log(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def fmt_value(v: int) -> str:
    return f"{v:,}"


# --------------------------------------------------------------------------- choosing the objective

def _kr_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges of the key results in a front matter."""
    starts = [i for i, ln in enumerate(lines) if ln.startswith("  - title:")]
    ends = starts[1:] + [next(i for i in range(len(lines) - 1, -1, -1) if lines[i] == "---")]
    return list(zip(starts, ends))


def _ended(text: str) -> bool:
    """Whether the objective's quarter (``period: YYYY-QN``) ended before today: its page shows the final
    value ("49 days"), not "now 49 days", which is what the bench waits for."""
    m = re.search(r"^period: *(\d{4})-Q([1-4])\b", text, re.M)
    today = time.localtime()
    return m is not None and (int(m.group(1)), int(m.group(2))) < (today.tm_year, (today.tm_mon + 2) // 3)


def pick_objective(corpus: str, n: int, edits: int) -> dict:
    """The first objective from id N/2 on, in a quarter not yet ended, with an integer numeric KR with a
    plain ``current:``."""
    objdir = os.path.join(corpus, "content", "objectives")
    paths = {}
    for top, _, names in os.walk(objdir):  # gen_history moves some into a folder of their owner's
        for name in names:
            if name.endswith(".md"):
                paths[name[:-3]] = os.path.relpath(os.path.join(top, name), corpus)
    ids = sorted(paths)
    for oid in ids[len(ids) // 2:] + ids[:len(ids) // 2]:
        with open(os.path.join(corpus, paths[oid]), encoding="utf-8") as f:
            text = f.read()
        if _ended(text):
            continue
        lines = text.split("\n")
        for kr, (first, end) in enumerate(_kr_blocks(lines), 1):
            fields, cur_line = {}, None
            for i in range(first + 1, end):
                m = re.fullmatch(r"    (\w+):\s*(.*)", lines[i])
                if m:
                    fields[m.group(1)] = m.group(2)
                    if m.group(1) == "current":
                        cur_line = i
            if cur_line is None or "history" in fields or "kpi" in fields:
                continue
            try:
                start_v, target, current = (int(fields.get("start", "0")), int(fields["target"]),
                                            int(fields["current"]))
            except (KeyError, ValueError):
                continue
            lo, hi = sorted((start_v, target))
            pool = [v for v in range(lo + 1, hi) if v != current]
            if len(pool) < edits:
                continue
            # evenly spread, distinct new values inside the (start, target) range
            values = [pool[(k + 1) * len(pool) // (edits + 1)] for k in range(edits)]
            values = list(dict.fromkeys(values))
            if len(values) < edits:
                continue
            title = re.search(r'^title: "?(.*?)"?$', text, re.M).group(1)
            given = re.search(r"^id: *(\S+)$", text, re.M)
            return {"id": given.group(1) if given else oid, "rel": paths[oid], "title": title, "line": cur_line,
                    "kr": kr, "current": current, "values": values}
    raise SystemExit(f"no objective with an integer `current:` key result in {corpus}")


# --------------------------------------------------------------------------- the edit loop

# Runs in every document the tab opens (a reload makes a new one): at the first frame after the page's
# HTML shows the value the bench waits for (sessionStorage survives reloads), log the time in the
# page's clock (milliseconds since the epoch, as time.time()), whatever the message's trip back costs.
# The bench waits for that console message without polling: it takes no CPU from the server meanwhile.
SHOWN = r"""
(() => {
  let asked = false;
  function look() {
    asked = false;
    const want = sessionStorage.getItem("okrsite-bench-want");
    if (!want || !document.body || !new RegExp(want).test(document.body.innerHTML)) return;
    sessionStorage.removeItem("okrsite-bench-want");
    console.log("okrsite-bench-shown " + (performance.timeOrigin + performance.now()));
  }
  new MutationObserver(() => { if (!asked) { asked = true; requestAnimationFrame(look); } })
    .observe(document, { childList: true, subtree: true, characterData: true });
})();
"""


def measure(page, url: str, edit, wanted, check, edits: int, load_timeout: float) -> dict:
    """Open url, then ``edits`` times: t0, edit(k), wait until the page shows the new value (its first
    frame with it: after a reload, or after the live client put the new page in place), t1. Also
    counts how the page was updated: reloaded (a new document, another ``performance.timeOrigin``) or in place."""
    page.add_init_script(SHOWN)
    page.goto(url, wait_until="load")
    time.sleep(1.0)  # let the live-reload client connect (EventSource / long poll)
    samples, verified, timeouts, reloads = [], 0, 0, 0
    for k in range(edits):
        want = wanted(k)
        page.evaluate("want => sessionStorage.setItem('okrsite-bench-want', want)", want)
        document = page.evaluate("performance.timeOrigin")  # another one after a reload
        try:
            with page.expect_console_message(lambda m: m.text.startswith("okrsite-bench-shown "), timeout=load_timeout * 1000) as shown:
                t0 = time.time()
                edit(k)
        except Exception as exc:  # playwright TimeoutError
            timeouts += 1
            print(f"    edit {k + 1}: not shown within {load_timeout:.0f} s ({type(exc).__name__})", flush=True)
            page.goto(url, wait_until="load")
            time.sleep(PAUSE)
            continue
        t1 = float(shown.value.text.split()[1]) / 1000
        reloaded = page.evaluate("performance.timeOrigin") != document
        reloads += reloaded
        ok = check(k, page.content())
        verified += ok
        samples.append(t1 - t0)
        print(f"    edit {k + 1}: {t1 - t0:.3f} s{' (reloaded)' if reloaded else ''}{'' if ok else ' (new value NOT on the page)'}",
              flush=True)
        time.sleep(PAUSE)
    return {"samples": samples, "verified": verified, "timeouts": timeouts, "reloads": reloads}


def summarize(samples: list[float]) -> dict:
    if not samples:
        return {"median": None, "min": None, "max": None}
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


def rebuild_seconds(lines: list[str]) -> list[float]:
    """Seconds of each rebuild after the first build, from the server's own lines."""
    out = []
    for ln in lines:
        if ln.startswith("first build"):
            continue
        m = re.search(r"in (\d+) ms$", ln) or re.search(r"built in ([\d.]+) seconds", ln)
        if m:
            out.append(float(m.group(1)) / (1000 if "ms" in m.group(0) else 1))
    return out


def show(name: str, res: dict) -> None:
    s = res["stats"]
    if s["median"] is None:
        print(f"  {name}: no edit shown", flush=True)
        return
    print(f"  {name}: median {s['median']:.3f} s, min {s['min']:.3f} s, max {s['max']:.3f} s "
          f"({len(res['samples'])} edits shown, {res.get('reloads', 0)} of them by a reload, {res['verified']} verified, "
          f"{res['timeouts']} timeouts)",
          flush=True)
    builds = rebuild_seconds(res["rebuild_lines"])
    res["rebuild_s"] = builds
    if builds:
        line = f"  {name}: server rebuild median {statistics.median(builds):.3f} s"
        if len(builds) == len(res["samples"]) and not res["timeouts"]:
            rest = [t - b for t, b in zip(res["samples"], builds)]
            line += (f"; the rest (watcher, notify, the browser's update) median "
                     f"{statistics.median(rest):.3f} s")
        print(line, flush=True)


# --------------------------------------------------------------------------- okrsite

def bench_okrsite(browser, corpus: str, n: int, obj: dict, edits: int, tmp: str,
                  load_timeout: float, history: bool = False, form: bool = False) -> dict:
    site = os.path.join(tmp, f"okrsite-{n}")
    if history:
        git(tmp, "clone", "-q", corpus, site)  # objects hard-linked: cheap, and the corpus stays as it is
    else:
        shutil.copytree(corpus, site, ignore=shutil.ignore_patterns(".stamp.json"))
    path = os.path.join(site, obj["rel"])
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}/objectives/{obj['id']}/"
    log_path = os.path.join(tmp, f"okrsite-{n}.log")
    env = child_env() | {"PYTHONUNBUFFERED": "1"}
    proc = None
    page = None
    try:
        t0 = time.perf_counter()
        proc = start([sys.executable, "-m", "okrsite", "serve", site, "--port", str(port)],
                     log_path, REPO, env)
        wait_ready(url, proc, re.compile(rf"now {re.escape(fmt_value(obj['current']))}(?![\d,.])"), 600)
        startup = time.perf_counter() - t0
        print(f"  okrsite serve ready in {startup:.2f} s: {url}", flush=True)
        time.sleep(0.5)  # the watcher starts right after the first build

        def fill_in(k: int) -> None:
            """What a writer does in the page: the key result's update form, then Update."""
            chosen = page.locator('form.okrsite-checkin:has(input[name="kr"][value="%d"])' % obj["kr"])
            chosen.locator('input[name="value"]').fill(str(obj["values"][k]))
            chosen.locator('button[type="submit"]').click()

        def edit(k: int) -> None:
            if form:
                return fill_in(k)
            new = list(lines)
            new[obj["line"]] = f"    current: {obj['values'][k]}"
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(new))

        def wanted(k: int) -> str:
            return rf"now {re.escape(fmt_value(obj['values'][k]))}(?![\d,.])"

        def check(k: int, html: str) -> bool:
            return re.search(wanted(k), html) is not None

        page = browser.new_page()
        res = measure(page, url, edit, wanted, check, edits, load_timeout)
    finally:
        if page is not None:
            page.close()
        stop(proc)
    log = read_log(log_path)
    res["rebuild_lines"] = [ln for ln in log.splitlines()
                            if re.search(r"pages rendered|error\(s\)", ln)]
    res["log_tail"] = log.splitlines()[-15:]
    res["startup_s"] = startup
    res["stats"] = summarize(res["samples"])
    return res


# --------------------------------------------------------------------------- mkdocs

def ensure_mkdocs() -> str | None:
    """None when `python -m mkdocs` can run (pip-installing it if needed), else why not."""
    if importlib.util.find_spec("mkdocs") is None:
        print("mkdocs is not installed: pip install mkdocs ...", flush=True)
        proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mkdocs"],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            return "pip install mkdocs failed: " + (proc.stderr or proc.stdout).strip()[-500:]
        importlib.invalidate_caches()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "--version"], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        return "`python -m mkdocs --version` failed: " + (proc.stderr or proc.stdout).strip()[-500:]
    return None


def mkdocs_info() -> tuple[str, str]:
    version = subprocess.run([sys.executable, "-m", "mkdocs", "--version"], capture_output=True,
                             text=True).stdout.strip()
    m = re.search(r"version (\S+)", version)
    version = f"mkdocs {m.group(1)}" if m else version
    helptext = subprocess.run([sys.executable, "-m", "mkdocs", "serve", "--help"],
                              capture_output=True, text=True).stdout
    return version, helptext


def mkdocs_project(corpus: str, n: int, obj: dict, root: str) -> None:
    """N Markdown pages under docs/objectives/<period>/ (title, a ``Current: V`` line and the
    objective's body), docs/index.md and mkdocs.yml. The edited page shows the same value as
    the okrsite page."""
    docs = os.path.join(root, "docs")
    objdir = os.path.join(corpus, "content", "objectives")
    for period in sorted(os.listdir(objdir)):
        os.makedirs(os.path.join(docs, "objectives", period))
        for name in sorted(os.listdir(os.path.join(objdir, period))):
            with open(os.path.join(objdir, period, name), encoding="utf-8") as f:
                text = f.read()
            title = re.search(r'^title: "(.*)"$', text, re.M).group(1)
            m = re.search(r"^    current: (\S+)$", text, re.M)
            current = obj["current"] if name[:-3] == obj["id"] else (m.group(1) if m else 0)
            body = text.split("\n---\n", 1)[1]
            with open(os.path.join(docs, "objectives", period, name), "w", encoding="utf-8") as f:
                f.write(f"# {title}\n\nCurrent: {current}\n\n{body}")
    with open(os.path.join(docs, "index.md"), "w", encoding="utf-8") as f:
        f.write(f"# Objectives\n\n{n} objectives, one page each.\n")
    with open(os.path.join(root, "mkdocs.yml"), "w", encoding="utf-8") as f:
        f.write(f"site_name: OKR benchmark ({n} pages)\ndocs_dir: docs\n")


def bench_mkdocs(browser, corpus: str, n: int, obj: dict, edits: int, tmp: str, dirty: bool,
                 build_timeout: float, load_timeout: float) -> dict:
    root = os.path.join(tmp, f"mkdocs-{n}")
    mkdocs_project(corpus, n, obj, root)
    rel = obj["rel"][len("content/"):]                      # objectives/2026-q4/obj-….md
    path = os.path.join(root, "docs", rel)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    head, rest = text.split("\n\nCurrent: ", 1)
    rest = rest.split("\n", 1)[1]
    port = free_port()
    url = f"http://127.0.0.1:{port}/{rel[:-3]}/"
    log_path = os.path.join(tmp, f"mkdocs-{n}.log")
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload"]
    if dirty:
        cmd.append("--dirty")
    env = dict(os.environ) | {"PYTHONUNBUFFERED": "1"}
    proc = None
    page = None
    res: dict = {"cmd": " ".join(cmd[2:])}
    try:
        t0 = time.perf_counter()
        proc = start(cmd, log_path, root, env)
        try:
            wait_ready(url, proc, re.compile(r"Current: " + str(obj["current"]) + r"\b"), build_timeout)
        except (TimeoutError, RuntimeError) as exc:
            res.update(error=f"first build did not complete: {exc}", samples=[], verified=0,
                       timeouts=0)
            return res
        startup = time.perf_counter() - t0
        print(f"  mkdocs serve ready in {startup:.2f} s: {url}", flush=True)
        res["startup_s"] = startup

        def edit(k: int) -> None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"{head}\n\nCurrent: {obj['values'][k]}\n{rest}")

        def wanted(k: int) -> str:
            return rf"Current: {obj['values'][k]}\b"

        def check(k: int, html: str) -> bool:
            return re.search(wanted(k), html) is not None

        page = browser.new_page()
        res.update(measure(page, url, edit, wanted, check, edits, load_timeout))
    finally:
        if page is not None:
            page.close()
        stop(proc)
        log = read_log(log_path) if os.path.exists(log_path) else ""
        res["rebuild_lines"] = [ln.strip() for ln in log.splitlines()
                                if "Documentation built in" in ln]
        res["log_tail"] = log.splitlines()[-15:]
        res["stats"] = summarize(res.get("samples", []))
    return res


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Edit -> browser reload latency of `okrsite serve` "
                                             "(and `mkdocs serve` for comparison).")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                    help="numbers of objectives for okrsite (default: 1000 10000)")
    ap.add_argument("--edits", type=int, default=10, help="edits per size and tool (default 10)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    ap.add_argument("--no-mkdocs", action="store_true", help="measure okrsite only")
    ap.add_argument("--mkdocs-sizes", type=int, nargs="+",
                    help="sizes for mkdocs (default: the --sizes); e.g. a smaller one when its "
                         "first build at the largest size takes too long")
    ap.add_argument("--mkdocs-full", action="store_true",
                    help="full mkdocs rebuilds (default: `mkdocs serve --dirty`, incremental)")
    ap.add_argument("--mkdocs-timeout", type=float, default=600,
                    help="give up on mkdocs at a size when its first build takes longer (s)")
    ap.add_argument("--load-timeout", type=float, default=120,
                    help="seconds to wait for a reload after one edit")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (sites, server logs)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--form", action="store_true",
                    help="edit through the page's update form (fill in, click Update) instead of "
                         "saving the file; okrsite only")
    ap.add_argument("--history", type=int, metavar="COMMITS",
                    help="serve a clone of a gen_history.py repository with this many commits, history on "
                         "(the edits are saved, not committed); no mkdocs")
    args = ap.parse_args(argv)
    if args.history or args.form:
        args.no_mkdocs = True

    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is missing: pip install playwright (no `playwright install` needed)",
              file=sys.stderr)
        return 2

    mkdocs_skip = "--no-mkdocs" if args.no_mkdocs else ensure_mkdocs()
    mkdocs_version = mkdocs_flags = None
    if mkdocs_skip:
        print(f"mkdocs skipped: {mkdocs_skip}", flush=True)
    else:
        mkdocs_version, helptext = mkdocs_info()
        dirty_ok = "--dirty" in helptext
        if not args.mkdocs_full and not dirty_ok:
            print("this mkdocs has no --dirty: measuring full rebuilds", flush=True)
            args.mkdocs_full = True
        mkdocs_flags = "--livereload" + ("" if args.mkdocs_full else " --dirty")
        print(f"{mkdocs_version}; serve flags: {mkdocs_flags}", flush=True)

    mkdocs_sizes = [] if mkdocs_skip else (args.mkdocs_sizes or args.sizes)
    tmp = tempfile.mkdtemp(prefix="okrsite-serve-bench-")
    rows = []
    mkdocs_capped = None  # the size at which mkdocs' first build did not finish
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for n in sorted(set(args.sizes) | set(mkdocs_sizes)):
                    if args.history:
                        corpus, stats, gen_secs = history_for(n, args.history, args.seed)
                    else:
                        corpus, stats, gen_secs = corpus_for(n, args.seed, True, tmp)
                    how = "reused" if gen_secs is None else f"generated in {gen_secs:.2f}s"
                    how += f", {args.history} commits, history on" if args.history else ""
                    obj = pick_objective(corpus, n, args.edits)
                    print(f"[{n}] corpus {corpus} ({how}); editing {obj['rel']} "
                          f"(current {obj['current']} -> {obj['values']})", flush=True)
                    row = {"size": n, "objective": obj["id"]}
                    if n in args.sizes:
                        row["okrsite"] = bench_okrsite(browser, corpus, n, obj, args.edits, tmp,
                                                       args.load_timeout, bool(args.history), args.form)
                        print("  okrsite rebuild lines:")
                        for ln in row["okrsite"]["rebuild_lines"]:
                            print(f"    | {ln}")
                        show("okrsite", row["okrsite"])
                    if n in mkdocs_sizes and mkdocs_capped is not None:
                        row["mkdocs"] = {"capped": mkdocs_capped}
                        print(f"  mkdocs skipped: its first build did not finish at {mkdocs_capped}",
                              flush=True)
                    elif n in mkdocs_sizes:
                        row["mkdocs"] = bench_mkdocs(browser, corpus, n, obj, args.edits, tmp,
                                                     not args.mkdocs_full, args.mkdocs_timeout,
                                                     args.load_timeout)
                        print("  mkdocs rebuild lines (mkdocs logs a line identical to the one "
                              "before only once, so repeats are missing):")
                        for ln in row["mkdocs"]["rebuild_lines"]:
                            print(f"    | {ln}")
                        if row["mkdocs"].get("error"):
                            print(f"  mkdocs: {row['mkdocs']['error']}", flush=True)
                            mkdocs_capped = n  # larger sizes would not finish either
                        else:
                            show("mkdocs", row["mkdocs"])
                    rows.append(row)
                    for name in ("okrsite", "mkdocs"):
                        if name in row and "log_tail" in row[name] and not row[name].get("samples"):
                            print(f"  {name} log tail:")
                            for ln in row[name]["log_tail"]:
                                print(f"    | {ln}")
            finally:
                browser.close()
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    def cell(res: dict | None, key: str = "median") -> str:
        if res is None:
            return "-"
        if res.get("capped"):
            return f"skipped (>{res['capped']})"
        if res.get("error"):
            return f"no 1st build in {args.mkdocs_timeout:.0f}s"
        v = res["stats"][key]
        return "-" if v is None else f"{v:.3f}"

    print()
    head = ["size", "okrsite median s", "okrsite min-max s", "target s", "met",
            "mkdocs median s", "mkdocs min-max s"]
    table = []
    for r in rows:
        o, m = r.get("okrsite"), r.get("mkdocs")
        target = TARGETS.get(r["size"])
        med = o["stats"]["median"] if o else None
        table.append([
            str(r["size"]), cell(o), "-" if o is None else f"{cell(o, 'min')}-{cell(o, 'max')}",
            "-" if target is None else f"{target:g}",
            "-" if target is None or med is None else ("yes" if med <= target else "NO"),
            cell(m), "-" if m is None or m.get("error") or m.get("capped")
            else f"{cell(m, 'min')}-{cell(m, 'max')}",
        ])
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(head)]
    print("  ".join(h.rjust(w) for h, w in zip(head, widths)))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print("  ".join(c.rjust(w) for c, w in zip(t, widths)))
    if mkdocs_skip:
        print(f"mkdocs skipped: {mkdocs_skip}")
    else:
        print(f"mkdocs: {mkdocs_version}, `mkdocs serve {mkdocs_flags}`")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"edits": args.edits, "seed": args.seed, "history": args.history, "mkdocs": mkdocs_version,
                       "mkdocs_flags": mkdocs_flags, "mkdocs_skipped": mkdocs_skip,
                       "targets": TARGETS,
                       "results": rows}, f, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
