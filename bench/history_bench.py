#!/usr/bin/env python3
"""History-extraction benchmark for okrsite.

    python bench/history_bench.py [--files 1000] [--commits 10000] [--repeat 3] [--seed 1]
                                  [--paths PATH ...] [--profile [N]] [--json FILE]

Generates (or reuses from bench/.cache/) a git repository with FILES goal files and COMMITS
commits (see gen_history.py), then measures ``okrsite.git.history.read_history(root, paths)``:

* the paths: ``--paths``, else what a build passes (``okrsite.git.read.history_paths(site)`` with
  ``site = okrsite.goals.repository.load_site(root).site``), else ``content data``;
* ``git log`` alone: the exact command line read_history runs (captured by wrapping
  ``okrsite.git.history._git`` during one untimed run, so it always matches the source), and for
  comparison the same with the files in the pathspec replaced by their folders, and with none;
* read_history in this process: median and min of ``--repeat`` runs, after that untimed run,
  which also gives the split into its git calls (rev-parse, log, cat-file) and Python; and for
  comparison read_history with the files in the paths replaced by their folders;
* commits, files and versions read;
* memory, in a fresh child process started before this one grows: its peak RSS (VmHWM), the
  ru_maxrss of its largest git child, and the tracemalloc peak of Python allocations during
  read_history (and what the returned History keeps);
* ``okrsite.git.checkins.site_logs(site, history)`` when that module exists (``load_site`` is timed
  apart and is not part of the target).

The target (issue): history extraction on 1,000 goal files and 10,000 commits in at most 2 s,
judged on the read_history median. A benchmark, not a test: exits 0 on MISS too (1 when
read_history finds no history, 2 when okrsite.git.history cannot be imported).
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
for _p in (os.path.join(REPO, "src"), REPO):
    if os.path.isdir(_p) and _p not in sys.path:
        sys.path.insert(1, _p)

import gen_history  # noqa: E402
from build_bench import child_env  # noqa: E402

TARGET_S = 2.0

# Run in a fresh interpreter, so its peak RSS is read_history's alone (plus the import).
CHILD = r"""
import gc, json, resource, sys, time, tracemalloc
from pathlib import Path
from okrsite.git.history import read_history
root, paths = Path(sys.argv[1]), sys.argv[2:]
unit = 1 if sys.platform == "darwin" else 1024   # ru_maxrss: bytes on macOS, KiB on Linux
def peak_rss():
    # VmHWM is this process's own high-water mark; ru_maxrss can carry the parent's over exec
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit
before = peak_rss()
t0 = time.perf_counter()
h = read_history(root, paths)
secs = time.perf_counter() - t0
after = peak_rss()
git = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit
del h
gc.collect()
tracemalloc.start()
h = read_history(root, paths)
kept, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
print(json.dumps({"rss_import": before, "rss_peak": after, "git_peak": git, "seconds": secs,
                  "traced_peak": peak, "traced_kept": kept}))
"""


def machine() -> dict:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    git = subprocess.run(["git", "--version"], capture_output=True, text=True,
                         check=False).stdout.strip()
    return {"cpus": os.cpu_count(), "usable_cpus": usable, "cpu_model": model,
            "platform": platform.platform(), "python": platform.python_version(), "git": git}


def instrumented_run(history, root: Path, paths: list[str]):
    """One read_history with every git process timed (``_git`` for rev-parse and log, ``_read_blobs``
    for the streamed cat-file); returns (result, seconds, calls)."""
    calls = []
    original_git, original_blobs = history._git, history._read_blobs

    def timed(args, cwd):
        t0 = time.perf_counter()
        out = original_git(args, cwd)
        calls.append({"args": list(args), "cwd": str(cwd), "seconds": time.perf_counter() - t0,
                      "out_bytes": len(out) if out is not None else None, "in_lines": 0})
        return out

    def timed_blobs(top, blobs):
        t0 = time.perf_counter()
        texts = original_blobs(top, blobs)
        calls.append({"args": ["cat-file", "--batch"], "cwd": str(top), "seconds": time.perf_counter() - t0,
                      "out_bytes": sum(len(t) for t in texts.values()), "in_lines": len(blobs)})
        return texts

    history._git, history._read_blobs = timed, timed_blobs
    try:
        t0 = time.perf_counter()
        result = history.read_history(root, paths)
        secs = time.perf_counter() - t0
    finally:
        history._git, history._read_blobs = original_git, original_blobs
    return result, secs, calls


def time_git_log(args: list[str], cwd: str, env_extra: dict, repeat: int) -> list[float]:
    env = {**os.environ, **env_extra}
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise RuntimeError(f"git log failed: {done.stderr.decode(errors='replace')}")
    return times


def folders_only(spec: list[str]) -> list[str]:
    """The pathspec with each file replaced by its folder, and nested entries dropped."""
    dirs = sorted({os.path.dirname(p) if os.path.splitext(p)[1] else p for p in spec})
    return [d for d in dirs if d and not any(d.startswith(o + "/") for o in dirs)]


def memory(root: str, paths: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, root, *paths], cwd=REPO, env=child_env(),
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def counts(h) -> dict:
    lineages = [*h.files.values(), *h.gone]
    versions = [v for fh in lineages for v in fh.versions]
    return {"commits": len(h.commits), "files": len(h.files), "gone": len(h.gone),
            "versions": len(versions),
            "unreadable": sum(1 for v in versions if v.data is None and not v.deleted),
            "md_versions": sum(1 for v in versions if v.path.endswith(".md")),
            "csv_versions": sum(1 for v in versions if v.path.endswith(".csv"))}


def resolve_paths(root: Path, given: list[str] | None):
    """(paths, how, site): --paths, else what a build reads (okrsite.git.read.history_paths)."""
    site = None
    try:
        from okrsite.goals.repository import load_site
        site = load_site(root).site
    except Exception as e:  # noqa: BLE001 - okrsite is being edited; report and go on
        print(f"(load_site failed: {type(e).__name__}: {e})", file=sys.stderr)
    if given:
        return given, "--paths", site
    paths_of = getattr(sys.modules.get("okrsite.build"), "history_paths", None)
    if site is not None and paths_of is not None:
        return list(paths_of(site)), "the build's history_paths(site)", site
    return ["content", "data"], "default", site


def site_logs_timing(site, h, repeat: int) -> dict:
    try:
        from okrsite.git.checkins import site_logs
    except ImportError as e:
        return {"available": False, "why": f"okrsite.git.checkins.site_logs not importable ({e})"}
    if site is None:
        return {"available": False, "why": "load_site failed"}
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        t0 = time.perf_counter()
        result = site_logs(site, h)
        times.append(time.perf_counter() - t0)
    what = None
    try:
        krs = [kr for logs in result.objectives.values() for kr in logs]
        what = (f"{len(krs):,} KR logs with {sum(len(kr.points) for kr in krs):,} points, "
                f"{len(result.kpis):,} KPI logs")
    except (AttributeError, TypeError):
        pass
    return {"available": True, "times": times, "what": what}


def profile(history, root: Path, paths: list[str], top: int) -> str:
    prof = cProfile.Profile()
    prof.enable()
    history.read_history(root, paths)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def mb(n) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark okrsite.git.history.read_history on a "
                                             "generated git repository.")
    ap.add_argument("--files", type=int, default=1000, help="goal files: objectives + KPIs (1000)")
    ap.add_argument("--commits", type=int, default=10000, help="commits (10000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each step (3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--paths", nargs="+",
                    help="paths given to read_history (default: what a build passes, "
                         "okrsite.git.read.history_paths(site), else content data)")
    ap.add_argument("--profile", type=int, nargs="?", const=25, metavar="N",
                    help="also cProfile one read_history and print the top N functions (25)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    try:
        from okrsite.git import history
    except ImportError as e:
        print(f"okrsite.git.history not importable: {e}", file=sys.stderr)
        return 2

    mach = machine()
    load0 = os.getloadavg()
    print(f"machine: {mach['cpus']} CPUs ({mach['usable_cpus']} usable) {mach['cpu_model']}; "
          f"{mach['platform']}; Python {mach['python']}; {mach['git']}", flush=True)
    path, stats, gen_s = gen_history.cached_history(args.files, args.commits, args.seed)
    how = "reused" if gen_s is None else f"generated in {gen_s:.1f}s"
    print(f"repository: {os.path.relpath(path, REPO)} ({how}; HEAD {stats['head'][:12]}): "
          f"{stats['goal_files']:,} goal files ({stats['objectives']:,} objectives, "
          f"{stats['kpis']:,} KPIs), {stats['files']:,} files, {stats['commits']:,} commits "
          f"({stats['checkins']:,} check-ins, {stats['done_flips']} done flips, "
          f"{stats['body_edits']} body edits, {stats['kpi_commits']} KPI value commits, "
          f"{stats['renames']} renames)", flush=True)
    root = Path(path)
    t0 = time.perf_counter()
    paths, how, site = resolve_paths(root, args.paths)
    load_s = time.perf_counter() - t0
    shown = " ".join(paths) if len(paths) <= 4 else (
        f"{' '.join(paths[:2])} ... ({len(paths)} paths: "
        f"{sum(1 for p in paths if os.path.splitext(p)[1])} files)")
    print(f"paths: {how}: {shown}", flush=True)
    mem = memory(path, paths)   # in a fresh process (see CHILD)

    # one untimed run: warms the page cache, captures the git command lines and their split
    h, first_s, calls = instrumented_run(history, root, paths)
    if h is None:
        print(f"read_history({path!r}) found no history", file=sys.stderr)
        return 1
    log_call = next((c for c in calls if c["args"][:1] == ["log"]), None)
    cat_call = next((c for c in calls if c["args"][:1] == ["cat-file"]), None)
    git_s = sum(c["seconds"] for c in calls)
    n = counts(h)

    env_extra = getattr(history, "_GIT_ENV", {})
    variants = []   # (label, args): the command read_history runs, then the same with other pathspecs
    if log_call is not None:
        cmd = log_call["args"]
        cut = cmd.index("--") if "--" in cmd else len(cmd)
        spec = cmd[cut + 1:]
        variants.append(("git log alone", cmd))
        dirs = folders_only(spec)
        if dirs and dirs != spec:
            variants.append((f"  same, pathspec {' '.join(dirs)}", cmd[:cut + 1] + dirs))
        if spec:
            variants.append(("  same, no pathspec", cmd[:cut]))
    log_times = {label: time_git_log(a, log_call["cwd"], env_extra, args.repeat)
                 for label, a in variants}
    rh_times = []
    for _ in range(args.repeat):
        h = None   # every run starts as the first did: no earlier History alive for gc to walk
        gc.collect()
        t0 = time.perf_counter()
        h = history.read_history(root, paths)
        rh_times.append(time.perf_counter() - t0)
    logs = site_logs_timing(site, h, args.repeat)
    # the same with files replaced by their folders (content data instead of content + each CSV)
    alt_paths = folders_only(paths)
    alt_times = []
    if alt_paths and alt_paths != sorted(p.strip("/") for p in paths):
        for _ in range(args.repeat):
            h2 = None
            gc.collect()
            t0 = time.perf_counter()
            h2 = history.read_history(root, alt_paths)
            alt_times.append(time.perf_counter() - t0)
        del h2

    def med_min(ts):
        return (f"{statistics.median(ts):.3f}", f"{min(ts):.3f}") if ts else ("n/a", "")

    rows = []
    for k, (label, a) in enumerate(variants):
        note = (f"{log_call['out_bytes'] / 1e6:.1f} MB of output" if k == 0
                else "for comparison: not what read_history runs")
        rows.append((label, *med_min(log_times[label]), note))
    if log_call is None:
        rows.append(("git log alone", "n/a", "", "no git log call seen through history._git"))
    rows.append(("read_history", *med_min(rh_times), f"{args.repeat} run{'s' * (args.repeat != 1)} after an untimed one"))
    if alt_times:
        rows.append((f"  same, paths {' '.join(alt_paths)}", *med_min(alt_times),
                     "for comparison: files replaced by their folders"))
    split = " + ".join(f"{c['args'][0]} {c['seconds']:.3f}" for c in calls)
    rows.append(("  untimed 1st run", f"{first_s:.3f}", "",
                 f"{split} + Python {first_s - git_s:.3f}"))
    if logs["available"]:
        rows.append(("site_logs", *med_min(logs["times"]), logs["what"] or ""))
        both = [a + b for a, b in zip(rh_times, logs["times"])]
        rows.append(("read_history + site_logs", *med_min(both), "what a build adds (build.check_site)"))
    else:
        rows.append(("site_logs", "n/a", "", logs["why"]))
    if site is not None:
        rows.append(("(load_site, apart)", f"{load_s:.3f}", "", "one run; not part of the target"))
    widths = [max(len(r[i]) for r in rows + [("step", "median s", "min s", "")]) for i in range(3)]
    print()
    print(f"{'step':<{widths[0]}}  {'median s':>{widths[1]}}  {'min s':>{widths[2]}}  notes")
    print(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * widths[2]}  -----")
    for r in rows:
        print(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}")
    print()
    print(f"read: {n['commits']:,} commits, {n['files']:,} files (+{n['gone']} deleted since), "
          f"{n['versions']:,} versions ({n['md_versions']:,} .md, {n['csv_versions']:,} .csv, "
          f"{n['unreadable']} unreadable)"
          + (f", {cat_call['in_lines']:,} blobs read" if cat_call else ""))
    if "error" in mem:
        print(f"memory: child failed: {mem['error']}")
    else:
        print(f"memory (fresh process): peak RSS {mb(mem['rss_peak'])} "
              f"({mb(mem['rss_import'])} after the import), largest git child {mb(mem['git_peak'])}; "
              f"tracemalloc peak {mb(mem['traced_peak'])}, History kept {mb(mem['traced_kept'])}; "
              f"cold-process read_history {mem['seconds']:.3f} s")
    med = statistics.median(rh_times)
    verdict = "PASS" if med <= TARGET_S else "MISS"
    print(f"target: read_history <= {TARGET_S:g} s on {args.files:,} goal files / "
          f"{args.commits:,} commits: {verdict} (median {med:.3f} s)"
          + ("" if (args.files, args.commits) == (1000, 10000)
             else "; the issue's target is for 1,000 goal files and 10,000 commits"))
    print(f"load average: {' '.join(f'{x:.2f}' for x in load0)} at the start, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end (1, 5, 15 min)")
    if log_call is not None:
        line = "git " + " ".join(log_call["args"])
        print("git log command: " + (line if len(line) <= 300 else line[:300] + " ..."))
    if args.profile:
        print()
        print(profile(history, root, paths, args.profile))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"machine": mach, "params": vars(args), "repository": stats,
                       "paths": paths, "git_log_s": log_times, "read_history_s": rh_times,
                       "load_site_s": load_s, "alt_paths": alt_paths, "alt_read_history_s": alt_times,
                       "first_run": {"seconds": first_s, "git_calls": calls}, "read": n,
                       "site_logs": logs, "memory": mem, "target_s": TARGET_S,
                       "load_average": {"start": load0, "end": os.getloadavg()},
                       "verdict": verdict}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
