"""Lighthouse scores of the example site: home, one objective page and one KPI page.

    python bench/lighthouse.py [--form-factor desktop|mobile] [--keep] [--json FILE]

Builds the example goals repository (the repository root) into a temp dir, serves it on 127.0.0.1
at a free port, runs `npx --no-install lighthouse` on each page with Debian's chromium
(CHROME_PATH=/usr/bin/chromium and the flags a closed network needs) and prints the four category
scores ×100, then the audits that cost points. Lighthouse is installed on demand into ./node_modules
with `npm install --no-save lighthouse` (about 180 MB; it downloads no browser).

A benchmark, not a test: it exits 0 whatever the scores (1 when a build or a Lighthouse run fails).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync "
                "--disable-dev-shm-usage")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes a page while a request is in flight: not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(directory: Path) -> tuple[_QuietServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(out: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    proc = subprocess.run([sys.executable, "-m", "okrsite", "build", str(REPO), "-o", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"building the example failed:\n{proc.stdout}{proc.stderr}")
    return json.loads((out / "okrs.json").read_text(encoding="utf-8"))


def page_file(url: str) -> str:
    return url + "index.html" if url == "" or url.endswith("/") else url


def pages(okrs: dict) -> list[tuple[str, str]]:
    """(label, site-relative file): home, the richest objective and the richest KPI."""
    objective = max(okrs["objectives"], key=lambda o: (bool(o.get("kpis")), len(o["key_results"]), len(o.get("children", []))))
    kpi = max(okrs["kpis"], key=lambda k: (bool(k.get("objectives")), len(k.get("values", []))))
    return [("home", "index.html"),
            (f"objective {objective['id']}", page_file(objective["url"])),
            (f"kpi {kpi['id']}", page_file(kpi["url"]))]


def ensure_lighthouse() -> None:
    if shutil.which("npx") is None:
        sys.exit("npx (Node.js) is missing: install nodejs and npm")
    check = subprocess.run(["npx", "--no-install", "lighthouse", "--version"], cwd=REPO,
                           capture_output=True, text=True)
    if check.returncode == 0:
        return
    print("installing lighthouse into ./node_modules (npm install --no-save lighthouse) ...", file=sys.stderr)
    subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "lighthouse"],
                   cwd=REPO, check=True)


def lighthouse(url: str, report: Path, form_factor: str) -> dict:
    preset = ["--preset=desktop"] if form_factor == "desktop" else ["--form-factor=mobile"]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    proc = subprocess.run(
        ["npx", "--no-install", "lighthouse", url, f"--chrome-flags={CHROME_FLAGS}", "--output=json",
         f"--output-path={report}", "--quiet", *preset],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not report.is_file():
        sys.exit(f"lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return json.loads(report.read_text(encoding="utf-8"))


def lost_points(result: dict) -> list[str]:
    """The weighted audits that scored below 1, per category."""
    lines = []
    for cat in CATEGORIES:
        category = result["categories"].get(cat)
        if not category:
            continue
        for ref in category["auditRefs"]:
            audit = result["audits"].get(ref["id"], {})
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 1:
                value = audit.get("displayValue") or ""
                lines.append(f"{cat}: {ref['id']} {round(score * 100)} {value}".rstrip())
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--form-factor", choices=["desktop", "mobile"], default="desktop")
    parser.add_argument("--keep", action="store_true", help="keep the site and the JSON reports; print where")
    parser.add_argument("--json", metavar="FILE", help="also write the scores as JSON")
    args = parser.parse_args(argv)

    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    ensure_lighthouse()
    work = Path(tempfile.mkdtemp(prefix="okrsite-lighthouse-"))
    server = None
    try:
        okrs = build(work / "site")
        server, base = serve(work / "site")
        rows, notes = [], []
        for label, file in pages(okrs):
            result = lighthouse(base + file, work / f"report-{len(rows)}.json", args.form_factor)
            scores = {c: (None if result["categories"].get(c, {}).get("score") is None
                          else round(result["categories"][c]["score"] * 100)) for c in CATEGORIES}
            rows.append({"page": label, "file": file, **scores})
            notes += [f"{label}: {line}" for line in lost_points(result)]

        width = max(len(r["page"]) for r in rows)
        print(f"Lighthouse {args.form_factor} ({result.get('lighthouseVersion', '?')}), "
              f"chromium {result.get('environment', {}).get('hostUserAgent', '?').split('Chrome/')[-1].split()[0]}")
        print(f"{'page':<{width}}  " + "  ".join(f"{c:>14}" for c in CATEGORIES))
        for r in rows:
            print(f"{r['page']:<{width}}  " + "  ".join(f"{'-' if r[c] is None else r[c]:>14}" for c in CATEGORIES))
        if notes:
            print("\naudits below 100 (weighted):")
            print("\n".join(f"  {n}" for n in notes))
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
        if args.keep:
            print(f"\nsite and reports kept in {work}")
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
