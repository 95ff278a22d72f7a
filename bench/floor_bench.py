#!/usr/bin/env python3
"""What a warm build cannot go below: the fixed costs of a build in a fresh process, side by side
with the warm build itself and with Hugo, on the same corpus, in one run.

    python bench/floor_bench.py [--size 10000] [--seed 1] [--repeat 5] [--python PY] [--json FILE]

The issue's warm target is 0.25x Hugo's cold build. A build in CI is a fresh process: before it can
render the pages an edit reaches, it starts Python, imports its stages and has the model (every
objective, key result, KPI and their scores: the dashboard, the teams pages and the period pages an
edit reaches show figures of all of them). Each row below is a fresh child process, timed by its wall
time (the median of ``--repeat``), on a copy of the corpus that was built once, so that the build
cache is there:

- interpreter: ``python -c pass``;
- imports: the modules a warm build imports (its stages, Jinja2, markdown-it-py, PyYAML);
- model, one pickle: the imports and the model (the linked site and its scores) unpickled from one
  file, the cheapest form any cache could keep it in (the file is written by this script, untimed);
- model from the cache: the imports and ``check_site`` with the build cache after one edit: the model
  as a warm build makes it (the documents and scores it keeps, the linking it takes as before);
- no change, warm: ``okrsite build`` with nothing changed, and after one ``current:`` edit (as
  ``build_bench.py``: one warm build first, untimed, so that the spare folder is there);
- Hugo: a cold build of the same titles and bodies as plain pages (``build_bench.hugo_site``).

The model rows are what a warm build that renders nothing would cost; the difference between them and
the budget is what is left for everything else. It is a benchmark, not a test: it exits 0 whatever
the figures, 1 if a build fails.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from build_bench import RACY_S, TARGETS, child_env, corpus_for, edit_one_objective, hugo_site, run, working_copy  # noqa: E402

IMPORTS = ("import okrsite.cli, okrsite.build, okrsite.cache, okrsite.goals.repository, okrsite.git.read, okrsite.numbers.compute, "
           "okrsite.web.render, okrsite.web.pagedigest, okrsite.web.write, okrsite.web.export, jinja2, markdown_it, yaml")

SNAPSHOT = """
import pickle, sys
from pathlib import Path
from okrsite.build import check_site
checked = check_site(Path(sys.argv[1]), None, None, None)
with open(sys.argv[2], "wb") as file:
    pickle.dump((checked.loaded.site, checked.scores), file, protocol=pickle.HIGHEST_PROTOCOL)
"""

FROM_SNAPSHOT = IMPORTS + """
import gc, pickle, sys
gc.disable()  # as the build makes its model (build.py: _batch_collector)
with open(sys.argv[1], "rb") as file:
    site, scores = pickle.load(file)
print(len(site.objectives), "objectives")
"""

FROM_CACHE = IMPORTS + """
import gc, sys
gc.disable()
from pathlib import Path
from okrsite.build import _open_cache, check_site
root = Path(sys.argv[1]).resolve()
out = root / "site"
options = {"root": root, "out": out, "as_of": None, "strict": False, "fail_on_stale": False, "audience": None, "cache": True}
checked = check_site(root, None, None, _open_cache(root, out, options))
print(len(checked.loaded.site.objectives), "objectives")
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--json", help="write the figures to this file as well")
    args = parser.parse_args(argv)
    corpus, stats, _ = corpus_for(args.size, args.seed, True, tempfile.gettempdir())
    env = child_env()
    with tempfile.TemporaryDirectory(prefix="okrsite-floor-") as tmp:
        site = working_copy(corpus, os.path.join(tmp, "site"))
        snapshot = os.path.join(tmp, "model.pickle")
        build = [args.python, "-m", "okrsite", "build", site, "-o", os.path.join(site, "site")]
        time.sleep(RACY_S)
        for step in ([args.python, "-c", SNAPSHOT, site, snapshot], build):
            if _failed(run(step, tmp, env)):
                return 1
        edit_one_objective(site)
        time.sleep(RACY_S)
        if _failed(run(build, tmp, env)):  # the warm build that leaves the spare folder
            return 1
        rows: dict[str, list[float]] = {}
        cpus: dict[str, list[float]] = {}

        def timed(name: str, cmd: list[str], before=None) -> bool:
            for _ in range(args.repeat):
                if before is not None:
                    before()
                res = run(cmd, tmp, env)
                if _failed(res):
                    return False
                rows.setdefault(name, []).append(res["wall"])
                cpus.setdefault(name, []).append(res["cpu"])
            print(f"{name}: wall {' '.join(f'{s:.3f}' for s in rows[name])}; cpu {' '.join(f'{s:.3f}' for s in cpus[name])}", flush=True)
            return True

        def edited() -> None:
            edit_one_objective(site)
            time.sleep(RACY_S)

        hugo_src, hugo_out = os.path.join(tmp, "hugo"), os.path.join(tmp, "hugo-out")
        hugo_site(corpus, hugo_src)
        steps = [
            ("interpreter", [args.python, "-c", "pass"], None),
            ("imports", [args.python, "-c", IMPORTS], None),
            ("model, one pickle", [args.python, "-c", FROM_SNAPSHOT, snapshot], None),
            ("model from the cache", [args.python, "-c", FROM_CACHE, site], None),  # one edit waiting (below)
            ("no change", build, None),  # the build before it took the edit in
            ("warm", build, edited),
            ("hugo", ["hugo", "--quiet", "-s", hugo_src, "-d", hugo_out], lambda: shutil.rmtree(hugo_out, ignore_errors=True)),
        ]
        for name, cmd, before in steps:
            if name == "model from the cache":
                edited()
            if name == "no change" and _failed(run(build, tmp, env)):
                return 1
            if name == "hugo" and not shutil.which("hugo"):
                print("hugo skipped: not installed (apt-get install -y hugo)")
                continue
            if not timed(name, cmd, before):
                return 1
    medians = {name: statistics.median(walls) for name, walls in rows.items()}
    cpu = {name: statistics.median(times) for name, times in cpus.items()}
    _print(medians, cpu, args, stats)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump({"size": args.size, "repeat": args.repeat, "walls": rows, "cpus": cpus, "medians": medians, "cpu_medians": cpu,
                       "load": os.getloadavg() if hasattr(os, "getloadavg") else None}, file, indent=1)
    return 0


def _failed(res: dict) -> bool:
    if res["rc"] == 0:
        return False
    print(f"FAILED (exit {res['rc']}): {' '.join(res['cmd'][:3])}", file=sys.stderr)
    print(res["stderr"] or res["stdout"], file=sys.stderr)
    return True


def _print(medians: dict[str, float], cpu: dict[str, float], args, stats: dict) -> None:
    hugo = medians.get("hugo")
    budget = hugo * TARGETS["warm"] if hugo else None
    print(f"\n{args.size} objectives ({stats.get('kpis')} KPIs), median of {args.repeat} fresh processes each;"
          f" load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if budget:
        print(f"warm budget: {TARGETS['warm']} x Hugo {hugo:.3f} s = {budget:.3f} s (wall)")
    print(f"{'':24s} {'wall s':>8s} {'cpu s':>8s} {'x Hugo':>8s} {'of budget':>10s}")
    for name, wall in medians.items():
        ratio = f"{wall / hugo:8.2f}" if hugo else f"{'':8s}"
        share = f"{wall / budget:9.0%}" if budget else ""
        print(f"{name:24s} {wall:8.3f} {cpu[name]:8.3f} {ratio} {share:>10s}")


if __name__ == "__main__":
    sys.exit(main())
