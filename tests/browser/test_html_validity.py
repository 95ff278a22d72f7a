"""The Nu HTML Checker (npm vnu-jar, run with the system Java) finds no error anywhere in the site."""

from __future__ import annotations

import json
import subprocess

from .conftest import Site


def test_nu_checker_finds_no_error(site: Site, vnu_jar):
    proc = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--skip-non-html", "--errors-only", "--format", "json", str(site.out_dir)],
        capture_output=True, text=True, timeout=600)
    # vnu writes its JSON report to stderr; exit status 1 means errors were found.
    try:
        messages = json.loads(proc.stderr)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu did not produce a JSON report (exit {proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}") from None
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")
              or m.get("subType") == "fatal"]
    prefix = f"file:{site.out_dir}/"
    lines = [f"{m.get('url', '').replace(prefix, '')}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}: "
             f"{m.get('message')}  [{' '.join((m.get('extract') or '').split())[:120]}]" for m in errors]
    assert not lines and proc.returncode == 0, (
        f"the Nu HTML Checker reports {len(lines)} error(s) (exit {proc.returncode}):\n  " + "\n  ".join(lines))
