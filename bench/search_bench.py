#!/usr/bin/env python3
"""Search benchmark: what the search page weighs and how fast results follow a keystroke, in Chromium.

    python bench/search_bench.py [--size 10000] [--seed 1] [--built DIR] [--no-cache] [--json FILE]

Builds the synthetic corpus of ``--size`` objectives (gen_corpus.py, cached in bench/.cache/ like
build_bench.py), or takes an already built site (``--built DIR``), then prints:

- sizes, raw and gzipped (gzip's default level 6): the search page (search/index.html), the script
  (search.js), the index (search/index.js), and their sum; style.css, shared by every page, apart;
- in real headless Chromium (/usr/bin/chromium, or OKRSITE_CHROMIUM), over http:// and from file://:
  the time from focusing the box to the first results (the index loads then), and the time from each
  keystroke to its results painted — measured in the page from the input event to the frame after it
  (requestAnimationFrame, then a task) — while typing known objective titles, initials and words
  letter by letter, on the search page and in the header's box of an objective page.

Needs Python Playwright (the test extra). Exits 1 if the build fails, 2 without Chromium or Playwright.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_bench  # noqa: E402

CHROMIUM = os.environ.get("OKRSITE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
FILES = {"search page": "search/index.html", "search.js": "search.js", "index": "search/index.js"}

# Type ``text`` into ``selector`` one character at a time; for each, the milliseconds from the input
# event to the frame after it (the results are in the page by then: search runs in the event handler).
TYPE = """async ([selector, text]) => {
  const input = document.querySelector(selector), times = [];
  input.focus(); input.value = "";
  input.dispatchEvent(new Event("input", {bubbles: true}));
  for (const ch of text) {
    const started = performance.now();
    input.value += ch;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
    times.push(performance.now() - started);
  }
  return times;
}"""
FIRST = """async (selector) => {
  const started = performance.now();
  document.querySelector(selector).focus();
  while (!window.okrsiteIndex || !document.querySelector("#search-results li, #site-search-list li")) {
    const input = document.querySelector(selector);
    if (!input.value) { input.value = "a"; input.dispatchEvent(new Event("input", {bubbles: true})); }
    await new Promise(done => setTimeout(done, 2));
  }
  return performance.now() - started;
}"""


def sizes(out: Path) -> dict:
    """Raw and gzipped bytes of each file the search page needs."""
    found = {}
    for name, rel in {**FILES, "style.css": "style.css"}.items():
        data = (out / rel).read_bytes()
        found[name] = {"raw": len(data), "gzip": len(gzip.compress(data, 6))}
    found["page + script + index"] = {key: sum(found[name][key] for name in FILES) for key in ("raw", "gzip")}
    return found


def queries(out: Path) -> list[str]:
    """Known titles (first, middle and last objective), initials of one, a word start and two words."""
    objectives = json.loads((out / "okrs.json").read_text(encoding="utf-8"))["objectives"]
    picked = [objectives[0]["title"], objectives[len(objectives) // 2]["title"], objectives[-1]["title"]]
    initials = "".join(word[0] for word in picked[1].split()[:3]).lower()
    return picked + [initials, "rev", "reduce churn"]


def serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def in_chromium(out: Path, texts: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    server, base = serve(out)
    objective = json.loads((out / "okrs.json").read_text(encoding="utf-8"))["objectives"][0]["url"] + "index.html"
    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for scheme, root in (("http", base), ("file", out.resolve().as_uri() + "/")):
                for where, url, selector in (("search page", "search/index.html", "#q"), ("header box", objective, "#site-q")):
                    page = browser.new_page()
                    page.goto(root + url)
                    first = page.evaluate(FIRST, selector)
                    times = [t for text in texts for t in page.evaluate(TYPE, [selector, text])]
                    page.close()
                    results[f"{scheme} {where}"] = {"first_ms": first, "keystrokes": len(times), "median_ms": statistics.median(times),
                                                    "p95_ms": sorted(times)[int(0.95 * (len(times) - 1))], "max_ms": max(times)}
            browser.close()
    finally:
        server.shutdown()
    return results


def report(size: int, found: dict, timings: dict) -> str:
    lines = [f"search at {size:,} objectives", "", f"{'file':<24}{'raw KB':>10}{'gzip KB':>10}"]
    lines += [f"{name:<24}{v['raw'] / 1024:>10.1f}{v['gzip'] / 1024:>10.1f}" for name, v in found.items()]
    lines += ["", f"{'Chromium':<24}{'first ms':>10}{'keys':>6}{'median':>8}{'p95':>8}{'max':>8}"]
    lines += [f"{name:<24}{v['first_ms']:>10.0f}{v['keystrokes']:>6}{v['median_ms']:>8.1f}{v['p95_ms']:>8.1f}{v['max_ms']:>8.1f}" for name, v in timings.items()]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--built", type=Path, help="an already built site: measure it instead of building")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("Python Playwright is missing: pip install -e '.[test]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="okrsite-search-bench-") as tmp:
        out = args.built
        if out is None:
            corpus, _, _ = build_bench.corpus_for(args.size, args.seed, not args.no_cache, tmp)
            out = Path(tmp) / "site"
            built = build_bench.run_build(sys.executable, corpus, str(out), tmp)
            if built["rc"] != 0:
                print(built["stderr"], file=sys.stderr)
                return 1
            print(build_bench.summary_line(built))
        objectives = len(json.loads((out / "okrs.json").read_text(encoding="utf-8"))["objectives"])
        found, timings = sizes(out), in_chromium(out, queries(out))
    print(report(objectives, found, timings))
    if args.json:
        args.json.write_text(json.dumps({"objectives": objectives, "sizes": found, "chromium": timings}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
