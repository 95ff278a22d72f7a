#!/usr/bin/env python3
"""Build-time benchmark for okrsite.

    python bench/build_bench.py [--sizes 1000 10000] [--seed 1] [--repeat 1] [--keep]
                                [--no-cache] [--json FILE]

For each size N: generate (or reuse from bench/.cache/) a synthetic goals repository with N
objectives (see gen_corpus.py), run ``python -m okrsite build CORPUS -o OUT`` in a fresh child
process, and report wall seconds, CPU seconds and the peak RSS of that child, the number of .html
pages written under OUT, and the summary line the build printed.

The peak RSS comes from ``os.wait4()`` on the build's own pid: it is that one child's (and its
waited-for descendants') ``ru_maxrss``, not the max over every child this script ever ran, so
several measurements in one run do not contaminate each other.

Exits 1 (printing the build's stderr) if any build fails, 2 if okrsite cannot be imported.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CACHE = os.path.join(HERE, ".cache")
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402


def child_env() -> dict:
    """Make ``python -m okrsite`` importable from a source checkout (src/ layout or flat)."""
    env = dict(os.environ)
    paths = [p for p in (os.path.join(REPO, "src"), REPO) if os.path.isdir(p)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONHASHSEED", "0")
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


def count_pages(out: str) -> int:
    n = 0
    for _, _, files in os.walk(out):
        n += sum(1 for f in files if f.endswith(".html"))
    return n


def run_build(python: str, corpus: str, out: str, workdir: str) -> dict:
    """Run one build in a fresh child; measure it with wait4 (rusage of that pid only)."""
    cmd = [python, "-m", "okrsite", "build", corpus, "-o", out]
    out_path = os.path.join(workdir, "stdout.txt")
    err_path = os.path.join(workdir, "stderr.txt")
    with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                cwd=REPO, env=child_env())
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: keep Popen from waiting again
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    # ru_maxrss is KiB on Linux, bytes on macOS
    rss_bytes = ru.ru_maxrss if sys.platform == "darwin" else ru.ru_maxrss * 1024
    return {"cmd": cmd, "rc": proc.returncode, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
            "peak_mb": rss_bytes / (1024 * 1024), "stdout": stdout, "stderr": stderr}


def summary_line(res: dict) -> str:
    for text in (res["stdout"], res["stderr"]):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if lines:
            return lines[-1]
    return "(the build printed nothing)"


def okrsite_importable(python: str) -> str | None:
    """None if ``python -m okrsite build --help`` works, else the error text."""
    proc = subprocess.run([python, "-m", "okrsite", "build", "--help"], cwd=REPO, env=child_env(),
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode == 0:
        return None
    return (proc.stderr or proc.stdout).strip() or f"exit status {proc.returncode}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark `okrsite build` on synthetic corpora.")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                    help="numbers of objectives (default: 1000 10000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="builds per size, each into a fresh output dir; the fastest is reported "
                         "(peak RSS: the largest)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the built sites (and uncached corpora) and print where they are")
    ap.add_argument("--no-cache", action="store_true",
                    help="generate corpora into a temp dir instead of reusing bench/.cache/")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter that runs okrsite (default: this one)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    problem = okrsite_importable(args.python)
    if problem is not None:
        print("okrsite CLI not available (`python -m okrsite build --help` failed):", file=sys.stderr)
        print(problem, file=sys.stderr)
        return 2

    tmp_root = tempfile.mkdtemp(prefix="okrsite-bench-")
    rows = []
    failed = False
    try:
        for n in args.sizes:
            corpus, stats, gen_secs = corpus_for(n, args.seed, not args.no_cache, tmp_root)
            how = "reused" if gen_secs is None else f"generated in {gen_secs:.2f}s"
            print(f"[{n}] corpus {corpus} ({how})", flush=True)
            best = None
            peak = 0.0
            for k in range(args.repeat):
                out = os.path.join(tmp_root, f"site-{n}")
                if os.path.exists(out):
                    shutil.rmtree(out)
                res = run_build(args.python, corpus, out, tmp_root)
                if res["rc"] != 0:
                    print(f"[{n}] build FAILED (exit {res['rc']}): {' '.join(res['cmd'])}",
                          file=sys.stderr)
                    print(res["stderr"] or res["stdout"], file=sys.stderr)
                    failed = True
                    break
                peak = max(peak, res["peak_mb"])
                if best is None or res["wall"] < best["wall"]:
                    best = res
                print(f"[{n}] run {k + 1}/{args.repeat}: {res['wall']:.2f}s wall, "
                      f"{res['peak_mb']:.0f} MB peak", flush=True)
            if failed:
                break
            pages = count_pages(out)
            rows.append({
                "size": n, "objectives": stats["objectives"], "key_results": stats["key_results"],
                "kpis": stats["kpis"], "teams": stats["teams"], "pages": pages,
                "wall_s": round(best["wall"], 3), "cpu_s": round(best["cpu"], 3),
                "pages_per_s": round(pages / best["wall"], 1) if best["wall"] > 0 else None,
                "peak_mb": round(peak, 1), "summary": summary_line(best),
                "site": out if args.keep else None,
            })
            print(f"[{n}] okrsite: {rows[-1]['summary']}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp_root, ignore_errors=True)

    if rows:
        print()
        head = ["size", "objectives", "KRs", "KPIs", "pages", "wall s", "pages/s", "peak MB", "cpu s"]
        table = [[str(r["size"]), str(r["objectives"]), str(r["key_results"]), str(r["kpis"]),
                  str(r["pages"]), f"{r['wall_s']:.2f}",
                  f"{r['pages_per_s']:.0f}" if r["pages_per_s"] is not None else "-",
                  f"{r['peak_mb']:.0f}", f"{r['cpu_s']:.2f}"] for r in rows]
        widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(head)]
        print("  ".join(h.rjust(w) for h, w in zip(head, widths)))
        print("  ".join("-" * w for w in widths))
        for t in table:
            print("  ".join(c.rjust(w) for c, w in zip(t, widths)))
        for r in rows:
            print(f"{r['size']:>{widths[0]}}: {r['summary']}")
        if args.keep:
            print(f"\nkept: {tmp_root}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"python": args.python, "seed": args.seed, "repeat": args.repeat,
                       "results": rows, "failed": failed}, f, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
